#!/usr/bin/env bash
# The benchmark suite: whole-process cost of `so-hook hook` over a fixed set of payloads, each
# next to /bin/true fed the same stdin in the same hyperfine run; medians, the ratio to
# /bin/true, peak memory, and whether each budget of docs/performance.md is met.
#
#   scripts/bench.sh              # builds the shipped binary (scripts/build-release.sh); installs
#                                 # hyperfine and GNU time from Debian's packages when missing
#   RUNS=1000 scripts/bench.sh    # more runs per command (default 300)
#   scripts/bench.sh BINARY       # time another binary
#
# It prints a Markdown report on stdout. hyperfine runs each command through `sh` and subtracts
# the shell's own start-up: Debian's hyperfine has no option to feed a file to a command run
# without a shell.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq >&2 && apt-get install -y -qq "${need[@]}" >/dev/null
fi
bin=${1:-$(scripts/build-release.sh)}

work=$(mktemp -d /var/tmp/so-hook-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
root="$work/project"
big="$work/big"
mkdir -p "$root/src" "$root/.claude" "$big/src" "$big/.claude"
echo '{"wave": 2, "role": "Impl-Core", "enforcement": "strict", "allowedPaths": ["src/", "tests/**"], "blockedCommands": []}' \
  > "$root/.claude/wave-scope.json"

python3 - "$work" "$root" "$big" <<'PY'
import json, os, sys
work, root, big = sys.argv[1:4]

def claude(name, tool, tool_input, cwd=root):
    p = {"session_id": "bench", "transcript_path": None, "cwd": cwd, "permission_mode": "default",
         "hook_event_name": "PreToolUse", "tool_name": tool, "tool_input": tool_input,
         "tool_use_id": "toolu_bench"}
    open(os.path.join(work, name + ".json"), "w").write(json.dumps(p))

claude("benign", "Bash", {"command": "cargo test --workspace && git status"})
claude("destructive", "Bash", {"command": "git push -f origin main"})
claude("chain", "Bash", {"command": "cd src && cargo fmt && cargo clippy -- -D warnings && "
                                    "cargo test 2>&1 | tee ../test.log; git add -A && git status"})
body = "".join(f"line {i}: the quick brown fox jumps over the lazy dog, $HOME and all\n"
               for i in range(1600))[:100_000]
claude("heredoc-100k", "Bash", {"command": "cat > notes.txt <<'EOF'\n" + body + "EOF\n"})
message = ("fix: " + "lorem ipsum dolor sit amet " * 3 + "\n") * 11_000
claude("command-1m", "Bash", {"command": "git commit -m '" + message[:999_980] + "'"})
words = " ".join(f"w{i}" for i in range(200_000))[:1_000_000]
claude("words-1m", "Bash", {"command": "echo " + words})
unit = "git status && echo \"done: $HOME\" | tee -a log.txt; ls -la src/ "
claude("script-1m", "Bash", {"command": (unit * (1_000_000 // len(unit) + 1))[:1_000_000]})
claude("write-10m", "Write", {"file_path": root + "/src/big.txt", "content": "x" * 10_000_000})
claude("edit-in", "Edit", {"file_path": root + "/src/a.rs", "old_string": "a", "new_string": "b"})
claude("edit-out", "Edit", {"file_path": root + "/docs/a.md", "old_string": "a", "new_string": "b"})
patch = "*** Begin Patch\n" + "".join(
    f"*** Update File: src/mod{i}.rs\n@@\n-let x = {i};\n+let x = {i + 1};\n" for i in range(50)
) + "*** End Patch\n"
codex = {"session_id": "bench", "turn_id": "1", "transcript_path": None, "cwd": root,
         "hook_event_name": "PreToolUse", "model": "bench", "permission_mode": "default",
         "tool_name": "apply_patch", "tool_use_id": "call_bench", "tool_input": {"command": patch}}
open(os.path.join(work, "codex-patch-50.json"), "w").write(json.dumps(codex))
cursor = {"conversation_id": "c", "generation_id": "g", "model": "bench", "cursor_version": "3.9.16",
          "workspace_roots": [root], "user_email": None, "transcript_path": None,
          "hook_event_name": "beforeShellExecution", "command": "npm run build && npm test",
          "cwd": root, "sandbox": False}
open(os.path.join(work, "cursor-shell.json"), "w").write(json.dumps(cursor))
# A manifest of 10,000 patterns; the edit matches none of them.
patterns = [f"pkg{i}/src/**/*.rs" for i in range(5000)] + [f"docs/area{i}/" for i in range(5000)]
open(os.path.join(big, ".claude/wave-scope.json"), "w").write(json.dumps(
    {"wave": 1, "role": "Impl-Core", "enforcement": "strict", "allowedPaths": patterns,
     "blockedCommands": []}))
claude("manifest-10k", "Edit", {"file_path": big + "/src/lib.rs", "old_string": "a",
                                "new_string": "b"}, cwd=big)
PY

# name | budget kind | limit. `ratio`: median at most LIMIT times /bin/true's; `ms`: median under
# LIMIT ms; both with peak RSS under 8 MiB. `stress`: a payload beyond the issue's set, built to
# find what grows with input (150,000 words in one command; 58,000 commands in one script):
# reported in a table of their own, not judged (see docs/performance.md for what they cost and
# why).
budgets="benign ratio 1.5
destructive ratio 1.5
chain ratio 1.5
edit-in ratio 1.5
edit-out ratio 1.5
codex-patch-50 ratio 1.5
cursor-shell ratio 1.5
heredoc-100k ratio 2
command-1m ms 30
words-1m stress -
script-1m stress -
write-10m ms 30
manifest-10k ms 5"

cmds=()
while read -r name _ _; do
  cmds+=("/bin/true < $name.json" "$bin hook < $name.json")
done <<<"$budgets"
(cd "$work" && hyperfine -S sh --warmup 20 --runs "${RUNS:-300}" --export-json "$work/r.json" \
  "${cmds[@]}" >/dev/null 2>&1)

for name in $(cut -d' ' -f1 <<<"$budgets"); do
  /usr/bin/time -f "%M" -o "$work/$name.rss" "$bin" hook < "$work/$name.json" >/dev/null 2>&1 || true
done

python3 - "$work" "$bin" "$budgets" <<'PY'
import json, os, platform, subprocess, sys, datetime
work, binary, budgets = sys.argv[1], sys.argv[2], sys.argv[3]
results = json.load(open(os.path.join(work, "r.json")))["results"]
rows, stress, all_met = [], [], True
for i, line in enumerate(budgets.splitlines()):
    name, kind, limit = line.split()
    base, hook = results[2 * i], results[2 * i + 1]
    ratio = hook["median"] / base["median"]
    ms = hook["median"] * 1000
    rss = int(open(os.path.join(work, name + ".rss")).read().strip() or 0)
    size = os.path.getsize(os.path.join(work, name + ".json"))
    if kind == "stress":
        stress.append(f"| {name} | {size:,} | {base['median'] * 1000:.3f} | {ms:.3f} | {ratio:.2f} "
                      f"| {rss / 1024:.1f} |")
        continue
    ok_time = ratio <= float(limit) if kind == "ratio" else ms < float(limit)
    ok_rss = rss < 8 * 1024
    all_met &= ok_time and ok_rss
    budget = f"<= {limit}x" if kind == "ratio" else f"< {limit} ms"
    rows.append(f"| {name} | {size:,} | {base['median'] * 1000:.3f} | {ms:.3f} | {ratio:.2f} "
                f"| {budget} | {rss / 1024:.1f} | {'yes' if ok_time and ok_rss else '**no**'} |")
header = ("| payload | bytes | /bin/true median (ms) | so-hook median (ms) | ratio | budget | peak RSS (MiB) | met |\n"
          "|---|---:|---:|---:|---:|---|---:|---|")
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"Machine: {cpu}, {os.cpu_count()} cores, Linux {platform.release()}; "
      f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; "
      f"`RUNS={os.environ.get('RUNS', '300')} scripts/bench.sh`.")
print()
print(header)
print("\n".join(rows))
print()
if stress:
    print("Stress payloads (reported, not judged):")
    print()
    print("| payload | bytes | /bin/true median (ms) | so-hook median (ms) | ratio | peak RSS (MiB) |")
    print("|---|---:|---:|---:|---:|---:|")
    print("\n".join(stress))
    print()
size = os.path.getsize(binary)
print(f"Release binary: {size:,} bytes (budget: under 3 MiB, {'met' if size < 3 * 1024 * 1024 else '**not met**'}); "
      f"peak RSS budget: under 8 MiB on every payload of the first table.")
print()
print("Every budget met." if all_met and size < 3 * 1024 * 1024 else "Some budgets are not met (rows marked **no**).")
PY
