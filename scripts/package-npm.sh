#!/bin/sh
# Makes the npm packages: one per platform holding the binary (@so-hook/linux-x64, ...) and the
# main package `so-hook`, whose `so-hook` command is a Node.js launcher for the platform's binary
# and which lists the platform packages as optional dependencies (npm installs the one whose `os`
# and `cpu` match the machine). The sources are in packaging/npm/; the version is Cargo.toml's.
#
#   scripts/package-npm.sh [PLATFORM=]BIN... OUTDIR
#
# Each BIN is a so-hook binary; a bare BIN is for this machine's platform, PLATFORM=BIN names it
# (linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64: Node.js's platform-arch). The main
# package lists exactly the platforms given, so a release run gives all of them at once
# (docs/release.md). A Linux binary must be statically linked (scripts/build-release.sh builds it
# so on x86_64): the package promises one that runs on any distribution. `npm pack` writes the
# tarballs (so-hook-VERSION.tgz, so-hook-PLATFORM-VERSION.tgz) to OUTDIR and their paths are
# printed, one a line.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
usage="usage: scripts/package-npm.sh [PLATFORM=]BIN... OUTDIR"
[ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
for tool in node npm; do
    command -v "$tool" >/dev/null || { echo "package-npm.sh needs $tool" >&2; exit 1; }
done
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$repo/Cargo.toml" | head -1)
[ -n "$version" ] || { echo "no version in $repo/Cargo.toml" >&2; exit 1; }
eval "outdir=\${$#}"
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
host=$(node -p 'process.platform + "-" + process.arch')
stage=$(mktemp -d "${TMPDIR:-/tmp}/so-hook-npm.XXXXXX")
trap 'rm -rf "$stage"' EXIT

platforms=
n=$#
i=1
for arg in "$@"; do
    [ "$i" -lt "$n" ] || break
    i=$((i + 1))
    case $arg in
        *=*) platform=${arg%%=*}; bin=${arg#*=} ;;
        *) platform=$host; bin=$arg ;;
    esac
    case $platform in
        linux-x64|linux-arm64|darwin-x64|darwin-arm64|win32-x64) ;;
        *) echo "unknown platform $platform (linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64)" >&2; exit 2 ;;
    esac
    case " $platforms " in *" $platform "*) echo "$platform is given twice" >&2; exit 2 ;; esac
    [ -f "$bin" ] || { echo "no binary at $bin" >&2; exit 1; }
    os=${platform%-*}
    cpu=${platform#*-}
    exe=so-hook
    [ "$os" = win32 ] && exe=so-hook.exe
    if [ "$os" = linux ]; then
        # A PT_INTERP header names the dynamic loader: the binary is not static.
        if ! command -v readelf >/dev/null; then
            echo "readelf is needed to check that $bin is statically linked" >&2; exit 1
        fi
        if readelf -lW "$bin" | grep -q INTERP; then
            echo "$bin is dynamically linked; the Linux packages ship the static build (scripts/build-release.sh)" >&2
            exit 1
        fi
    fi
    # A binary this machine can run must be the version being packaged (a stale build is caught).
    if [ "$platform" = "$host" ]; then
        got=$("$bin" --version 2>/dev/null || true)
        [ "$got" = "so-hook $version" ] || { echo "$bin says '$got', expected 'so-hook $version'" >&2; exit 1; }
    fi
    dir="$stage/$platform"
    mkdir -p "$dir/bin"
    cp "$bin" "$dir/bin/$exe"
    chmod 755 "$dir/bin/$exe"
    cp "$repo/LICENSE" "$dir/"
    printf '# @so-hook/%s\n\nThe so-hook %s binary for %s on %s, installed by the `so-hook` package (`npm install -g so-hook`); it is not meant to be installed on its own.\n' \
        "$platform" "$version" "$cpu" "$os" >"$dir/README.md"
    PLATFORM=$platform OS=$os CPU=$cpu VERSION=$version node -e '
        const e = process.env;
        const pkg = {
          name: `@so-hook/${e.PLATFORM}`,
          version: e.VERSION,
          description: `The so-hook binary for ${e.PLATFORM} (installed by the so-hook package)`,
          license: "MIT",
          os: [e.OS],
          cpu: [e.CPU],
          files: ["bin/", "README.md", "LICENSE"],
          preferUnplugged: true,
        };
        require("fs").writeFileSync(process.argv[1], JSON.stringify(pkg, null, 2) + "\n");
    ' "$dir/package.json"
    platforms="$platforms $platform"
done

main="$stage/so-hook"
cp -R "$repo/packaging/npm/so-hook" "$main"
cp "$repo/LICENSE" "$main/"
VERSION=$version PLATFORMS=$platforms node -e '
    const fs = require("fs");
    const file = process.argv[1];
    const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
    pkg.version = process.env.VERSION;
    pkg.optionalDependencies = {};
    for (const p of process.env.PLATFORMS.trim().split(/ +/)) {
      pkg.optionalDependencies[`@so-hook/${p}`] = process.env.VERSION;
    }
    fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
' "$main/package.json"
chmod 755 "$main/bin/so-hook.js" "$main/bin/so-hook-path.js"

for dir in $platforms so-hook; do
    name=$(cd "$stage/$dir" && npm pack --silent --pack-destination "$outdir")
    echo "$outdir/$name"
done
