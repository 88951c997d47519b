#!/bin/sh
# Registers so-hook for one platform: scripts/install.sh codex|cursor [so-hook install options].
# Used by codex-install.sh and cursor-install.sh; see `so-hook install --help` for the options
# (--project DIR, --user, --dry-run, --uninstall, --use-path).
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
exec "$bin" install --platform "$platform" "$@"
