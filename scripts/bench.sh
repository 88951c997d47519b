#!/usr/bin/env bash
# Whole-process cost of `so-hook hook` next to a trivial process (/bin/true) fed the same stdin,
# measured in the same hyperfine run. Prints a Markdown table of medians and ratios.
#
#   scripts/bench.sh            # builds the release binary, installs hyperfine when missing
#
# hyperfine runs each command through `sh` (it subtracts the shell's own start-up), because the
# version Debian ships has no option to feed a file to a command run without a shell.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v hyperfine >/dev/null; then
  apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null
fi
cargo build --release --quiet
bin="$PWD/target/release/so-hook"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/project"
mkdir -p "$root/src" "$root/.claude"
echo '{"wave": 2, "role": "Impl-Core", "allowedPaths": ["src/", "tests/**"]}' > "$root/.claude/wave-scope.json"

payload() { # name tool input-json
  printf '{"session_id":"s","cwd":"%s","hook_event_name":"PreToolUse","tool_name":"%s","tool_input":%s}' \
    "$root" "$2" "$3" > "$work/$1.json"
}
payload benign Bash '{"command":"cargo test --workspace && git status"}'
payload destructive Bash '{"command":"git push -f origin main"}'
payload write Write "{\"file_path\":\"$root/src/a.rs\",\"content\":\"fn main() {}\\n\"}"

cd "$work"
hyperfine -S sh --warmup 100 --runs "${RUNS:-1000}" --export-json "$work/r.json" \
  "/bin/true < benign.json" \
  "$bin hook < benign.json" \
  "$bin hook < destructive.json 2>/dev/null" \
  "$bin hook < write.json" >/dev/null 2>&1

python3 - "$work/r.json" "$bin" <<'PY'
import json, os, sys
results = json.load(open(sys.argv[1]))["results"]
base = results[0]["median"]
print("| command | median (ms) | ratio to /bin/true |")
print("|---|---:|---:|")
for r in results:
    name = r["command"].replace(sys.argv[2], "so-hook").replace(" 2>/dev/null", "")
    print(f"| `{name}` | {r['median'] * 1000:.3f} | {r['median'] / base:.2f} |")
print()
print(f"release binary: {os.path.getsize(sys.argv[2])} bytes")
PY
