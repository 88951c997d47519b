#!/bin/sh
# Builds the PyPI wheel: the so-hook binary and nothing else (maturin's "bin" bindings, from
# packaging/pypi/pyproject.toml), so `pipx install so-hook` and `uvx so-hook` need no Rust
# toolchain. Prints the wheel's path.
#
#   scripts/package-pypi.sh OUTDIR
#
# maturin (MATURIN_VERSION, pinned) is installed from PyPI into a throw-away virtual environment.
# The binary is built the way scripts/build-release.sh builds it: on Linux x86_64 with glibc's
# static library, statically linked and without PIE, for --target x86_64-unknown-linux-gnu, so
# cargo reuses that build when it is already there. Its wheel is tagged manylinux_2_17 (glibc 2.17
# or later): true of a binary that needs no C library at all, and the tag maturin checks. The
# binary would run on musl too, but maturin does not mix musllinux and manylinux tags for one gnu
# target (docs/release.md). Elsewhere it is the plain release build with maturin's default tag.
#
# Exit status: 0 built, 1 the build failed, 3 skipped (python3 or its venv module is missing, or
# maturin could not be installed from PyPI).
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
[ $# -eq 1 ] || { echo "usage: scripts/package-pypi.sh OUTDIR" >&2; exit 2; }
maturin_version=${MATURIN_VERSION:-1.16.0}
mkdir -p "$1"
outdir=$(cd "$1" && pwd)
command -v cargo >/dev/null || { echo "package-pypi.sh needs cargo (maturin builds the binary with it)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "skipped: python3 is not installed"; exit 3; }
venv=$(mktemp -d "${TMPDIR:-/tmp}/so-hook-maturin.XXXXXX")
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv" >/dev/null 2>&1 || { echo "skipped: python3 cannot make a virtual environment (venv)"; exit 3; }
if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "maturin==$maturin_version" >"$venv/pip.log" 2>&1; then
    tail -5 "$venv/pip.log"
    echo "skipped: maturin $maturin_version could not be installed from PyPI"
    exit 3
fi

cd "$repo/packaging/pypi"
if [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] && [ -e /usr/lib/x86_64-linux-gnu/libc.a ]; then
    RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static -C relocation-model=static" \
        "$venv/bin/maturin" build --quiet --release --locked --target x86_64-unknown-linux-gnu \
        --compatibility manylinux2014 --out "$venv/out" >&2
else
    "$venv/bin/maturin" build --quiet --release --locked --out "$venv/out" >&2
fi
for wheel in "$venv"/out/*.whl; do
    [ -f "$wheel" ] || { echo "maturin wrote no wheel" >&2; exit 1; }
    cp "$wheel" "$outdir/"
    echo "$outdir/$(basename "$wheel")"
done
