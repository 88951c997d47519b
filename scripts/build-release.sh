#!/bin/sh
# Builds the release binary the way it ships and prints its path.
#
# On Linux x86_64 with glibc it is linked statically and without PIE
# (-C target-feature=+crt-static -C relocation-model=static): no dynamic loader, no relocations at
# start, which is most of what a hook call costs beyond starting a process (see
# docs/performance.md). Elsewhere it is the plain `cargo build --release`.
#
# The static build needs --target (the flags must not reach the proc-macros), so its binary is
# target/x86_64-unknown-linux-gnu/release/so-hook (under $CARGO_TARGET_DIR when that is set).
set -eu
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-$PWD/target}
case $target in /*) ;; *) target=$PWD/$target ;; esac
if [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] && [ -e /usr/lib/x86_64-linux-gnu/libc.a ]; then
    RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static -C relocation-model=static" \
        cargo build --release --quiet --target x86_64-unknown-linux-gnu >&2
    echo "$target/x86_64-unknown-linux-gnu/release/so-hook"
else
    cargo build --release --quiet >&2
    echo "$target/release/so-hook"
fi
