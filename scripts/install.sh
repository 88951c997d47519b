#!/bin/sh
# Registers so-hook for one platform: scripts/install.sh codex|cursor [so-hook install options].
# Used by codex-install.sh and cursor-install.sh; see `so-hook install --help` for the options
# (--project DIR, --user, --dry-run, --uninstall, --use-path).
#
# Then it copies the pack files the platform reads from disk: the Cursor rules
# (cursor-rules/*.mdc -> <project>/.cursor/rules/so-hook-*.mdc) and the Codex roles
# (.codex-plugin/agents/*.toml -> <project or ~>/.codex/agents/). A file of the same name that
# differs from ours is kept and reported; --uninstall removes only files still identical to ours.
#
# The binary is $SO_HOOK when set, else `so-hook` on PATH, else built from this repository with
# `cargo install --path`. The hook file is merged, never overwritten, and the registration is
# checked by sending `rm -rf /` through it before "installed" is printed.
set -eu

platform=${1:?usage: scripts/install.sh codex|cursor [--project DIR | --user] [--dry-run] [--uninstall]}
shift
repo=$(cd "$(dirname "$0")/.." && pwd)

if [ -n "${SO_HOOK:-}" ]; then
    bin=$SO_HOOK
elif command -v so-hook >/dev/null 2>&1; then
    bin=$(command -v so-hook)
else
    if ! command -v cargo >/dev/null 2>&1; then
        echo "so-hook is not installed and cargo is missing: install Rust (https://rustup.rs), then run this again" >&2
        exit 1
    fi
    echo "building so-hook (cargo install --path $repo) ..." >&2
    cargo install --locked --quiet --path "$repo"
    bin=${CARGO_HOME:-$HOME/.cargo}/bin/so-hook
fi
if ! "$bin" --version >/dev/null 2>&1; then
    echo "$bin does not run; set SO_HOOK to a working so-hook binary" >&2
    exit 1
fi
"$bin" install --platform "$platform" "$@"

target=.
dry=0
uninstall=0
user=0
while [ $# -gt 0 ]; do
    case $1 in
        --project) target=$2; shift ;;
        --project=*) target=${1#--project=} ;;
        --user) target=$HOME; user=1 ;;
        --dry-run) dry=1 ;;
        --uninstall) uninstall=1 ;;
    esac
    shift
done
case $platform in
    cursor)
        if [ "$user" = 1 ]; then
            echo "Cursor keeps user rules in its settings, not in files: copy cursor-rules/*.mdc into each project's .cursor/rules/"
            exit 0
        fi
        src=$repo/cursor-rules; dest=$target/.cursor/rules; ext=mdc; prefix=so-hook- ;;
    codex) src=$repo/.codex-plugin/agents; dest=$target/.codex/agents; ext=toml; prefix= ;;
    *) exit 0 ;;
esac
for f in "$src"/*."$ext"; do
    [ -f "$f" ] || continue
    to=$dest/$prefix$(basename "$f")
    if [ "$uninstall" = 1 ]; then
        if cmp -s "$f" "$to"; then
            if [ "$dry" = 1 ]; then echo "would remove $to"; else rm -f "$to" && echo "removed $to"; fi
        elif [ -e "$to" ]; then
            echo "kept $to: it was changed after install"
        fi
    elif cmp -s "$f" "$to"; then
        echo "already there: $to"
    elif [ -e "$to" ]; then
        echo "kept $to: it differs from so-hook's (remove it to take ours)"
    else
        if [ "$dry" = 1 ]; then
            echo "would add $to"
        else
            mkdir -p "$dest" && cp "$f" "$to" && echo "added $to"
        fi
    fi
done
