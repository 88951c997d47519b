#!/bin/sh
# Registers so-hook for one platform: scripts/install.sh codex|cursor [so-hook install options].
# Used by codex-install.sh and cursor-install.sh; see `so-hook install --help` for the options
# (--project DIR or --user, required; --dry-run, --uninstall, --use-path). The project must be an
# existing directory, and not this so-hook checkout unless --into-checkout says so (this script's
# own option, for working on so-hook itself).
#
# Then it copies the pack files the platform reads from disk: the Cursor rules
# (cursor-rules/*.mdc -> <project>/.cursor/rules/so-hook-*.mdc) with the pack they link to
# (plugin/{commands,skills,agents,reference} -> <project>/.cursor/plugin/), and the Codex roles
# (.codex-plugin/agents/*.toml -> <project or ~>/.codex/agents/) with a .codex/config.toml that
# turns Codex's multi-agent feature on (scripts/codex-config.toml) where the place has none; an
# existing config.toml is never changed, only checked for the feature. A file of the same name that
# differs from ours is kept and reported; --uninstall removes only files still identical to ours.
#
# The binary is $SO_HOOK when set, else `so-hook` on PATH, else built from this repository with
# `cargo install --path`. The hook file is merged, never overwritten, and the registration is
# checked by sending `rm -rf /` through it before "installed" is printed.
set -eu

platform=${1:?usage: scripts/install.sh codex|cursor [--project DIR | --user] [--dry-run] [--uninstall] [--into-checkout]}
shift
repo=$(cd "$(dirname "$0")/.." && pwd)

# --into-checkout is ours; everything else goes to `so-hook install`.
into_checkout=0
for arg in "$@"; do
    shift
    if [ "$arg" = --into-checkout ]; then
        into_checkout=1
    else
        set -- "$@" "$arg"
    fi
done

# The place is always named: run from this repository, "." would be the so-hook checkout itself.
case " $* " in
    *" --project "*|*" --project="*|*" --user "*) ;;
    *)
        echo "say where to install: --project DIR (your project) or --user" >&2
        exit 2
        ;;
esac

target=.
dry=0
uninstall=0
user=0
parse() {
    while [ $# -gt 0 ]; do
        case $1 in
            --project)
                [ $# -ge 2 ] || { echo "--project needs a directory" >&2; exit 2; }
                target=$2; shift ;;
            --project=*) target=${1#--project=} ;;
            --user) target=$HOME; user=1 ;;
            --dry-run) dry=1 ;;
            --uninstall) uninstall=1 ;;
        esac
        shift
    done
}
parse "$@"
if [ "$user" = 0 ]; then
    # A project that is not there is a typo, not a place to create.
    if [ ! -d "$target" ]; then
        echo "$target is not a directory; pass your project's own directory" >&2
        exit 1
    fi
    if [ "$(cd "$target" && pwd -P)" = "$(cd "$repo" && pwd -P)" ] && [ "$into_checkout" = 0 ]; then
        echo "$target is this so-hook checkout: name your own project with --project DIR" \
            "(or pass --into-checkout to install into the checkout itself)" >&2
        exit 2
    fi
fi

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
    # Linked statically on Linux x86_64, as scripts/build-release.sh builds it (docs/performance.md).
    if [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] && [ -e /usr/lib/x86_64-linux-gnu/libc.a ]; then
        RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static -C relocation-model=static" \
            cargo install --locked --quiet --path "$repo" --target x86_64-unknown-linux-gnu
    else
        cargo install --locked --quiet --path "$repo"
    fi
    bin=${CARGO_HOME:-$HOME/.cargo}/bin/so-hook
fi
if ! "$bin" --version >/dev/null 2>&1; then
    echo "$bin does not run; set SO_HOOK to a working so-hook binary" >&2
    exit 1
fi
"$bin" install --platform "$platform" "$@"

# copy FILE TO: one pack file, kept when the user changed it, removed on --uninstall only when
# it is still ours.
added=0; removed=0; same=0
copy() {
    f=$1; to=$2
    if [ "$uninstall" = 1 ]; then
        if cmp -s "$f" "$to"; then
            [ "$dry" = 1 ] || rm -f "$to"
            removed=$((removed + 1))
        elif [ -e "$to" ]; then
            echo "kept $to: it was changed after install"
        fi
    elif cmp -s "$f" "$to"; then
        same=$((same + 1))
    elif [ -e "$to" ]; then
        echo "kept $to: it differs from so-hook's (remove it to take ours)"
    else
        if [ "$dry" = 0 ]; then
            mkdir -p "$(dirname "$to")" && cp "$f" "$to"
        fi
        added=$((added + 1))
    fi
}

case $platform in
    cursor)
        if [ "$user" = 1 ]; then
            echo "Cursor keeps user rules in its settings, not in files: install per project (--project DIR) for the rules"
            exit 0
        fi
        for f in "$repo"/cursor-rules/*.mdc; do
            copy "$f" "$target/.cursor/rules/so-hook-$(basename "$f")"
        done
        # The rules link to the pack as ../plugin/...: from .cursor/rules/ that is .cursor/plugin/.
        for rel in $(cd "$repo/plugin" && find commands skills agents reference -type f -name '*.md' | sort); do
            copy "$repo/plugin/$rel" "$target/.cursor/plugin/$rel"
        done
        if [ "$uninstall" = 1 ] && [ "$dry" = 0 ] && [ -d "$target/.cursor/plugin" ]; then
            find "$target/.cursor/plugin" -depth -type d -empty -delete
        fi
        ;;
    codex)
        for f in "$repo"/.codex-plugin/agents/*.toml; do
            copy "$f" "$target/.codex/agents/$(basename "$f")"
        done
        # The roles run as sub-agents: the multi-agent feature must be on (see platform-tools.md).
        config="$target/.codex/config.toml"
        if [ "$uninstall" = 1 ] || [ ! -e "$config" ] || cmp -s "$repo/scripts/codex-config.toml" "$config"; then
            copy "$repo/scripts/codex-config.toml" "$config"
        elif ! grep -Eq '^[[:space:]]*multi_agent[[:space:]]*=[[:space:]]*true' "$config"; then
            echo "kept $config: if Codex offers no sub-agents, add 'multi_agent = true' under [features] there"
        fi
        ;;
esac
# No empty directory is left behind by an uninstall (one that holds anything else stays).
if [ "$uninstall" = 1 ] && [ "$dry" = 0 ]; then
    for d in "$target/.codex/agents" "$target/.cursor/rules" "$target/.codex" "$target/.cursor"; do
        rmdir "$d" 2>/dev/null || true
    done
fi
would=
[ "$dry" = 1 ] && would="would be "
if [ "$uninstall" = 1 ]; then
    echo "pack files: $removed ${would}removed"
else
    echo "pack files: $added ${would}added, $same already there"
fi
