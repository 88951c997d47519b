#!/usr/bin/env bash
# Checks the plugin and hook files against the real Claude Code and Codex CLIs, in a throw-away
# HOME: Claude Code validates the marketplace and plugin manifests, installs the plugin, lists its
# hooks, commands, skills, agents and output styles, and selects one style; Codex installs the same marketplace and, through its app server's `hooks/list`, shows
# which hook file and commands it loaded, for the plugin and for a project registered with
# `so-hook install`. Each registered command is then sent `rm -rf /` and must deny.
#
# Usage: scripts/verify-clients.sh [SO_HOOK_BINARY]
# The clients come from npm at pinned versions (CLAUDE_CODE_VERSION, CODEX_VERSION to change).
# Exit status: 0 verified, 1 a check failed, 3 skipped (npm or the clients could not be had).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$("$repo/scripts/build-release.sh")}
. "$repo/scripts/lib/clients.sh"
[ -x "$bin" ] || { echo "no so-hook binary at $bin"; exit 1; }
command -v python3 >/dev/null || { echo "skipped: python3 is not installed"; exit 3; }

work=$(mktemp -d /var/tmp/so-hook-clients.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/home" "$work/project"
cp "$bin" "$work/bin/so-hook"
clients=${SO_HOOK_CLIENTS_DIR:-$work/npm}
install_clients "$clients" || exit $?
export HOME="$work/home" PATH="$work/bin:$clients/node_modules/.bin:$PATH"
fail() { echo "FAIL: $*"; exit 1; }

echo "== Claude Code $(claude --version 2>/dev/null | head -1)"
claude plugin validate "$repo" >/dev/null 2>&1 || fail "claude rejects .claude-plugin/marketplace.json"
validated=$(claude plugin validate "$repo/plugin" 2>&1) || fail "claude rejects plugin/.claude-plugin/plugin.json"
echo "ok: marketplace and plugin manifests validate"
# `plugin details` has no output styles in its inventory; `plugin validate` lists what it found.
for style in session-report finding-report; do
  grep -q "outputStyles: so-hook:$style\$" <<<"$validated" || fail "claude found no output style $style: $validated"
done
claude plugin marketplace add "$repo" >/dev/null 2>&1 || fail "/plugin marketplace add failed"
claude plugin install so-hook@so-hook >/dev/null 2>&1 || fail "/plugin install so-hook@so-hook failed"
details=$(claude plugin details so-hook@so-hook 2>&1)
for event in SessionStart PreToolUse PostToolUse Stop SubagentStop; do
  grep -q "Hooks.*$event" <<<"$details" || fail "the installed plugin has no $event hook: $details"
done
echo "ok: marketplace added, plugin installed, hooks: SessionStart PreToolUse PostToolUse Stop SubagentStop"
skills=$(grep -E '^ *Skills \(' <<<"$details" | sed -E 's/^ *Skills \([0-9]+\) *//')
agents=$(grep -E '^ *Agents \(' <<<"$details" | sed -E 's/^ *Agents \(([0-9]+)\).*/\1/')
for name in session go close discovery plan evolve session-start wave-executor session-end; do
  grep -qw -- "$name" <<<"$skills" || fail "Claude Code did not load the command or skill $name: $skills"
done
dups=$(tr ',' '\n' <<<"$skills" | sed 's/ //g' | sort | uniq -d)
[ -z "$dups" ] || fail "two commands or skills share a name in Claude Code: $dups"
[ "$agents" = 6 ] || fail "Claude Code loaded $agents agents, expected 6"
echo "ok: commands and skills ($(tr ',' '\n' <<<"$skills" | wc -l) names, none twice) and 6 agents loaded"
# The installed plugin's output styles, as a user picks one (`/output-style` runs without a login).
mkdir -p "$work/styles" && (cd "$work/styles" && git init -q)
styles=$(cd "$work/styles" && timeout 60 claude -p /output-style </dev/null 2>&1 || true)
for style in session-report finding-report; do
  grep -q "^- so-hook:$style: " <<<"$styles" || fail "Claude Code does not offer the output style so-hook:$style: $styles"
done
(cd "$work/styles" && timeout 60 claude -p "/output-style so-hook:session-report" </dev/null >/dev/null 2>&1) || true
grep -q '"outputStyle": "so-hook:session-report"' "$work/styles/.claude/settings.local.json" 2>/dev/null ||
  fail "/output-style so-hook:session-report did not select the style"
echo "ok: output styles so-hook:session-report and so-hook:finding-report offered and selectable"

echo "== Codex $(codex --version 2>/dev/null | tail -1)"
codex plugin marketplace add "$repo" >/dev/null 2>&1 || fail "codex plugin marketplace add failed"
codex plugin add so-hook@so-hook >/dev/null 2>&1 || fail "codex plugin add failed"
(cd "$work/project" && git init -q)
so-hook install --platform codex --project "$work/project" >/dev/null || fail "so-hook install --platform codex failed"
printf '\n[projects."%s"]\ntrust_level = "trusted"\n' "$work/project" >>"$HOME/.codex/config.toml"

# The hooks Codex loads for the project, from its app server.
answers=$(cd "$work/project" && {
  printf '%s\n' '{"id":1,"method":"initialize","params":{"clientInfo":{"name":"verify","version":"1"}}}' \
    '{"method":"initialized"}' '{"id":2,"method":"hooks/list","params":{}}' \
    '{"id":3,"method":"skills/list","params":{}}'
  sleep 5
} | timeout 30 codex app-server 2>/dev/null || true)
hooks_json=$(grep '"id":2' <<<"$answers" || true)
skills_json=$(grep '"id":3' <<<"$answers" || true)
[ -n "$hooks_json" ] || fail "codex app-server did not answer hooks/list"
[ -n "$skills_json" ] || fail "codex app-server did not answer skills/list"
python3 - "$skills_json" <<'PY' || exit 1
import json, sys
names = {s["name"] for d in json.loads(sys.argv[1])["result"]["data"] for s in d["skills"]}
want = {f"so-hook:{n}" for n in ["session-start", "session-plan", "wave-executor", "session-end",
                                 "quality-gates", "discovery-probes", "planning", "learnings",
                                 "vcs-ops", "ecosystem-health"]}
if not want <= names:
    sys.exit(f"FAIL: Codex did not load the skills {sorted(want - names)}")
print(f"ok: Codex loaded the plugin's {len(want)} skills")
PY

python3 - "$hooks_json" "$work/project" <<'PY' || exit 1
import json, subprocess, sys
answer, project = json.loads(sys.argv[1]), sys.argv[2]
entry = answer["result"]["data"][0]
if entry.get("errors"):
    sys.exit(f"FAIL: Codex reports errors: {entry['errors']}")
hooks = entry["hooks"]
plugin = sorted(h["eventName"] for h in hooks if h["source"] == "plugin")
want = sorted(["sessionStart", "preToolUse", "postToolUse", "stop", "subagentStop"])
if plugin != want:
    sys.exit(f"FAIL: the plugin's hooks are {plugin}, expected {want}")
for h in hooks:
    if h["source"] == "plugin" and not h["sourcePath"].endswith("hooks/hooks-codex.json"):
        sys.exit(f"FAIL: Codex loaded the plugin hooks from {h['sourcePath']}")
    if not h["command"].endswith("hook --platform codex"):
        sys.exit(f"FAIL: a Codex hook runs {h['command']!r}")
project_hooks = [h for h in hooks if h["source"] != "plugin"]
if not any(h["eventName"] == "preToolUse" for h in project_hooks):
    sys.exit(f"FAIL: the project's .codex/hooks.json was not loaded: {[h['source'] for h in hooks]}")
print(f"ok: plugin hooks from hooks-codex.json: {', '.join(want)}")
print(f"ok: project hooks from {project_hooks[0]['sourcePath']}: "
      + ", ".join(sorted(h['eventName'] for h in project_hooks)))
payload = json.dumps({"session_id": "verify", "turn_id": "1", "transcript_path": None,
    "cwd": project, "hook_event_name": "PreToolUse", "model": "verify",
    "permission_mode": "default", "tool_name": "Bash", "tool_use_id": "c1",
    "tool_input": {"command": "rm -rf /"}})
for h in hooks:
    if h["eventName"] != "preToolUse":
        continue
    out = subprocess.run(h["command"], shell=True, input=payload, capture_output=True,
                         text=True, cwd=project, env={"PATH": __import__("os").environ["PATH"],
                                                      "SO_HOOK_NO_EVENTS": "1"})
    decision = json.loads(out.stdout or "{}").get("hookSpecificOutput", {}).get("permissionDecision")
    if decision != "deny":
        sys.exit(f"FAIL: {h['command']!r} answered {out.stdout!r} to rm -rf /")
    print(f"ok: {h['source']} command `{h['command']}` denies rm -rf /")
PY
echo "verified against Claude Code $claude_version and Codex $codex_version"
