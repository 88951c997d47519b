#!/usr/bin/env bash
# Time and peak memory of `so-hook check` on inputs built to be expensive (nested substitutions
# under brace expansion, full-Unicode character ranges, printf repeating a large format) and of
# `so-hook hook` on a Write to a 200,000-component path, and the inputs the fuzzer found slow (a
# function calling itself around a shell write in a wave, unknown command names read within each
# other). Every run must end in a decision.
#
#   scripts/hostile-inputs.sh [BINARY]     # default: the shipped build (scripts/build-release.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-$(scripts/build-release.sh)}
if [ ! -x /usr/bin/time ]; then
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

nested=x
for _ in $(seq 22); do nested="{a,}\$(echo $nested)"; done
ranges=$(python3 -c "print('{!..\U0010FFFF}' * 16)")
fmt=$(python3 -c "print('x' * 20000)")
args=$(python3 -c "print('a ' * 10000)")
deep=$(python3 -c "print('a/' * 200000)")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/.claude"
echo '{"allowedPaths": ["src/"]}' > "$work/.claude/wave-scope.json"
printf '{"cwd":"%s","hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":"%sx"}}' \
  "$work" "$deep" > "$work/deep.json"

measure() { # label command...
  local label=$1; shift
  local out
  out=$( { /usr/bin/time -f "%e s, %M KB, exit %x" "$@" > /dev/null; } 2>&1 | tail -1) || true
  printf '| %s | %s |\n' "$label" "$out"
}
echo "| input | time, peak memory, exit |"
echo "|---|---|"
measure "22 nested {a,}\$(echo ...)" "$bin" check --command "echo $nested"
measure "16 full-Unicode ranges" "$bin" check --command "echo $ranges"
measure "printf '%s<20 KB>' a x10000 | cat" "$bin" check --command "printf '%s$fmt' $args | cat"
measure "Write to a 200,000-component path" sh -c "\"$bin\" hook < \"$work/deep.json\""
measure "f() { f; f; f; f; f; f; f; f; }; f (8^8 calls)" "$bin" check --command 'f() { f; f; f; f; f; f; f; f; }; f'
python3 - "$work" fuzz/seeds/command/write-scope-replay-timeout > "$work/replay.json" <<'PY'
import json, sys
command = open(sys.argv[2], encoding="utf-8", errors="replace").read()
print(json.dumps({"cwd": sys.argv[1], "hook_event_name": "PreToolUse", "tool_name": "Bash",
                  "tool_input": {"command": command}}))
PY
measure "fuzzer: a self-calling function around rm -r * in a wave" sh -c "\"$bin\" hook < \"$work/replay.json\""
measure "fuzzer: unknown names within unknown names" sh -c "\"$bin\" hook < fuzz/seeds/payload/guesses-timeout"
python3 - "$work" > "$work/nested.json" <<'PY'
import json, sys
command = "echo " + "$(echo " * 40 + "x" + ")" * 40
print(json.dumps({"cwd": sys.argv[1], "hook_event_name": "PreToolUse", "tool_name": "Bash",
                  "tool_input": {"command": command}}))
PY
measure "40 nested \$(echo under ulimit -s 64" sh -c "ulimit -s 64 && \"$bin\" hook < \"$work/nested.json\""
python3 - "$work" > "$work/script29.json" <<'PY'
import json, sys
unit = 'git status && echo "done: $HOME" | tee -a log.txt; ls -la src/ \n'
command = (unit * (29_000_000 // len(unit) + 1))[:29_000_000]
print(json.dumps({"cwd": sys.argv[1], "hook_event_name": "PreToolUse", "tool_name": "Bash",
                  "tool_input": {"command": command}}))
PY
measure "a 29 MB script (more commands than the walker follows)" sh -c "\"$bin\" hook < \"$work/script29.json\""
