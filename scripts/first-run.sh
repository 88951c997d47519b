#!/usr/bin/env bash
# A first run, the way the README tells a new user to do it, on a fresh clone of this repository
# in a fresh HOME, with no Rust toolchain on PATH:
#
#   1. the npm packages (scripts/package-npm.sh) installed from their tarballs into a fresh
#      prefix, offline, and the PyPI wheel (scripts/package-pypi.sh) into a fresh venv with
#      --no-index; each `so-hook --version` answers;
#   2. with npm's `so-hook` on PATH, in a fresh git project: `so-hook doctor` fails while nothing
#      is registered; Claude Code's plugin (`claude plugin marketplace add`, `claude plugin
#      install`, the real pinned CLI), Codex's step (scripts/codex-install.sh and its plugin, the
#      real pinned CLI) and Cursor's (scripts/cursor-install.sh) each make `so-hook doctor
#      --platform P` pass, then `so-hook doctor` passes and `so-hook check --command 'rm -rf /'`
#      denies.
#
#   scripts/first-run.sh [SO_HOOK_BINARY]
#
# The clone is of what is committed (the README and scripts it follows are the clone's); the
# binary is SO_HOOK_BINARY, else scripts/build-release.sh's. The clients come from npm at the
# versions pinned in scripts/lib/clients.sh, shared through SO_HOOK_CLIENTS_DIR as for
# scripts/e2e.sh. Exit status: 0 all passed, 1 a step failed, 3 skipped (npm, Python or the
# clients could not be had).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$("$repo/scripts/build-release.sh")}
. "$repo/scripts/lib/clients.sh"
[ -x "$bin" ] || { echo "no so-hook binary at $bin"; exit 1; }
for tool in node npm python3 git; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool is not installed"; exit 3; }
done
started=$(date +%s)
work=$(mktemp -d /var/tmp/so-hook-first-run.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# expect STATUS DESCRIPTION COMMAND...: runs the command, its output in $work/last.out.
expect() {
  local want=$1 what=$2 status=0
  shift 2
  "$@" >"$work/last.out" 2>&1 || status=$?
  if [ "$status" -ne "$want" ]; then
    cat "$work/last.out"
    fail "$what: exit $status, expected $want ($*)"
  fi
  echo "ok: $what (exit $status)"
}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$repo/Cargo.toml" | head -1)

echo "== the packages"
"$repo/scripts/package-npm.sh" "$bin" "$work/dist" >"$work/tarballs" || fail "scripts/package-npm.sh"
status=0
"$repo/scripts/package-pypi.sh" "$work/dist" >"$work/wheels" || status=$?
case $status in
  0) ;;
  3) tail -1 "$work/wheels"; exit 3 ;;
  *) fail "scripts/package-pypi.sh (exit $status)" ;;
esac
ls -l "$work/dist" | tail -n +2
clients=${SO_HOOK_CLIENTS_DIR:-$work/clients}
install_clients "$clients" || exit $?

git clone --quiet "$repo" "$work/so-hook" || fail "git clone"
checkout=$work/so-hook
mkdir -p "$work/home" "$work/project"
export HOME=$work/home
export npm_config_cache=$work/npm-cache npm_config_update_notifier=false
# A machine without Rust: no directory that holds cargo or a so-hook stays on PATH.
clean=
IFS=: read -r -a dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [ -n "$d" ] && [ ! -e "$d/cargo" ] && [ ! -e "$d/so-hook" ] && clean=${clean:+$clean:}$d
done

echo "== npm: npm install -g from the tarballs, offline"
mapfile -t tarballs <"$work/tarballs"
(cd "$work" && PATH=$clean npm install --global --prefix "$work/npm" --offline --no-audit \
  --no-fund "${tarballs[@]}" >"$work/npm.log" 2>&1) || { cat "$work/npm.log"; fail "npm install"; }
[ "$("$work/npm/bin/so-hook" --version)" = "so-hook $version" ] || fail "npm's so-hook --version"
native=$("$work/npm/bin/so-hook-path")
echo "ok: npm's so-hook --version says so-hook $version; so-hook-path: $native"

echo "== PyPI: pip install --no-index the wheel into a fresh venv"
PATH=$clean python3 -m venv "$work/venv"
PATH=$clean "$work/venv/bin/pip" install --quiet --no-index --disable-pip-version-check \
  "$(head -1 "$work/wheels")" || fail "pip install the wheel"
[ "$("$work/venv/bin/so-hook" --version)" = "so-hook $version" ] || fail "pip's so-hook --version"
echo "ok: pip's so-hook --version says so-hook $version"
# Where build-release.sh links statically, the wheel must hold that build too.
if [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] && [ -e /usr/lib/x86_64-linux-gnu/libc.a ]; then
  command -v readelf >/dev/null || fail "readelf is needed to check the wheel's binary"
  ! readelf -lW "$work/venv/bin/so-hook" | grep -q INTERP || fail "the wheel's binary is dynamically linked"
  same=$(cmp -s "$work/venv/bin/so-hook" "$bin" && echo "the same file as" || echo "built apart from")
  echo "ok: the wheel's binary is statically linked ($same $bin)"
fi
expect 1 "pip's so-hook check --command 'rm -rf /' denies" "$work/venv/bin/so-hook" check --command 'rm -rf /'

echo "== the README's steps, with npm's so-hook on PATH, in a fresh project"
export PATH="$work/npm/bin:$clients/node_modules/.bin:$clean"
[ "$(command -v so-hook)" = "$work/npm/bin/so-hook" ] || fail "so-hook on PATH is $(command -v so-hook)"
cd "$work/project"
git init --quiet
expect 1 "so-hook doctor fails before anything is registered" so-hook doctor

claude plugin marketplace add "$checkout" >"$work/last.out" 2>&1 || { cat "$work/last.out"; fail "claude plugin marketplace add"; }
claude plugin install so-hook@so-hook >"$work/last.out" 2>&1 || { cat "$work/last.out"; fail "claude plugin install so-hook@so-hook"; }
echo "ok: Claude Code $claude_version: plugin installed from the clone"
expect 0 "so-hook doctor --platform claude" so-hook doctor --platform claude

expect 0 "scripts/codex-install.sh --project" "$checkout/scripts/codex-install.sh" --project "$work/project"
# `so-hook install` registers the binary itself, not npm's launcher.
grep -qF "$native" "$work/project/.codex/hooks.json" ||
  fail "the Codex registration does not name $native: $(cat "$work/project/.codex/hooks.json")"
echo "ok: the Codex registration names the binary, not the launcher"
codex plugin marketplace add "$checkout" >"$work/last.out" 2>&1 || { cat "$work/last.out"; fail "codex plugin marketplace add"; }
codex plugin add so-hook@so-hook >"$work/last.out" 2>&1 || { cat "$work/last.out"; fail "codex plugin add so-hook@so-hook"; }
echo "ok: Codex $codex_version: plugin added from the clone"
expect 1 "so-hook doctor --platform codex fails while the project is not trusted" so-hook doctor --platform codex
# What trusting the project when Codex asks writes (the /hooks review is Codex's own, unseen here).
printf '\n[projects."%s"]\ntrust_level = "trusted"\n' "$work/project" >>"$HOME/.codex/config.toml"
expect 0 "so-hook doctor --platform codex" so-hook doctor --platform codex

expect 0 "scripts/cursor-install.sh --project" "$checkout/scripts/cursor-install.sh" --project "$work/project"
expect 0 "so-hook doctor --platform cursor" so-hook doctor --platform cursor

expect 0 "so-hook doctor" so-hook doctor
grep -q "is a script that starts the binary" "$work/last.out" || fail "doctor did not point out npm's launcher"
expect 1 "so-hook check --command 'rm -rf /' denies" so-hook check --command 'rm -rf /'
expect 1 "the quick start's first deny" so-hook check --command 'git push -f origin main'
grep -q "^deny  git-push-force" "$work/last.out" || fail "the quick start's deny reads: $(cat "$work/last.out")"
echo "first run passed in $(($(date +%s) - started)) s"
