#!/usr/bin/env bash
# End-to-end runs of the real Claude Code and Codex CLIs against a scripted model on loopback
# (tests/e2e/fake_model.py): each client is set up the way a user sets it up (Claude Code installs
# the plugin from this repository; Codex gets `so-hook install --platform codex` in a trusted
# project), runs headless, the model asks for one tool call, and the side effect on disk shows
# whether so-hook's answer was obeyed. No real model and no network beyond npm are involved.
#
#   scripts/e2e.sh [SO_HOOK_BINARY]
#
# The clients come from npm at pinned versions (CLAUDE_CODE_VERSION, CODEX_VERSION). Exit status:
# 0 all scenarios passed, 1 one failed, 3 skipped (npm or the clients could not be had).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$("$repo/scripts/build-release.sh")}
. "$repo/scripts/lib/clients.sh"

work=$(mktemp -d /var/tmp/so-hook-e2e.XXXXXX)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/bin" "$work/home"
cp "$bin" "$work/bin/so-hook"
clients=${SO_HOOK_CLIENTS_DIR:-$work/npm}
install_clients "$clients" || exit $?
export HOME="$work/home"
export PATH="$work/bin:$clients/node_modules/.bin:$PATH"
claude plugin marketplace add "$repo" >/dev/null 2>&1 || { echo "FAIL: marketplace add"; exit 1; }
claude plugin install so-hook@so-hook >/dev/null 2>&1 || { echo "FAIL: plugin install"; exit 1; }
echo "Claude Code $(claude --version 2>/dev/null | head -1), so-hook plugin installed in a temporary HOME"

failures=0
# scenario NAME TOOL INPUT_JSON [MANIFEST_JSON] [PATH_WITHOUT_SO_HOOK]
# Runs the client once in a fresh project; leaves the project in $work/NAME and the client's
# stream in $work/NAME.out.
scenario() {
  local name=$1 tool=$2 input=$3 manifest=${4:-} nobinary=${5:-}
  local dir="$work/$name"
  mkdir -p "$dir/project/src" "$dir/project/docs"
  (cd "$dir/project" && git init -q)
  if [ -n "$manifest" ]; then
    mkdir -p "$dir/project/.claude" && printf '%s\n' "$manifest" > "$dir/project/.claude/wave-scope.json"
  fi
  input=${input//@ROOT@/$dir/project}
  rm -f "$dir/port"
  python3 "$repo/tests/e2e/fake_model.py" "$dir/port" "$dir/model.log" "$tool" "$input" &
  server=$!
  for _ in $(seq 50); do [ -s "$dir/port" ] && break; sleep 0.1; done
  local path=$PATH
  [ -n "$nobinary" ] && path=${PATH#"$work/bin:"}
  (cd "$dir/project" && PATH=$path ANTHROPIC_BASE_URL="http://127.0.0.1:$(cat "$dir/port")" \
    ANTHROPIC_API_KEY=sk-e2e IS_SANDBOX=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 \
    DISABLE_AUTOUPDATER=1 timeout 120 claude -p "do the task" --output-format stream-json \
    --verbose --include-hook-events --dangerously-skip-permissions >"$dir.out" 2>"$dir.err") || true
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=
}
result_mentions() { grep -q "$2" "$work/$1.out"; }

scenario destructive Bash '{"command": "touch blocked-marker && git push --force origin main", "description": "push"}'
check destructive "the chained marker command did not run" test ! -e "$work/destructive/project/blocked-marker"
check destructive "the model was told the rule" result_mentions destructive "so-hook rule git-push-force"

scenario harmless Bash '{"command": "touch allowed-marker && git status", "description": "status"}'
check harmless "the harmless command ran" test -e "$work/harmless/project/allowed-marker"

wave='{"wave": 2, "role": "Impl-Core", "enforcement": "strict", "allowedPaths": ["src/"], "blockedCommands": []}'
scenario write-outside Write '{"file_path": "@ROOT@/docs/outside.md", "content": "x"}' "$wave"
check write-outside "the write outside the wave did not happen" test ! -e "$work/write-outside/project/docs/outside.md"
check write-outside "the model was told the rule" result_mentions write-outside "scope-not-allowed"

scenario write-inside Write '{"file_path": "@ROOT@/src/inside.rs", "content": "fn main() {}"}' "$wave"
check write-inside "the write inside the wave happened" test -e "$work/write-inside/project/src/inside.rs"

# A subagent (the main agent's Agent call starts one; given its own prompt, it gets the Bash
# call) tries to delete the wave manifest.
scenario subagent script '[["Agent", {"description": "tidy up", "prompt": "remove the wave manifest", "subagent_type": "general-purpose"}, "do the task"], ["Bash", {"command": "rm -f .claude/wave-scope.json", "description": "remove"}]]' "$wave"
check subagent "the subagent did not delete the manifest" test -e "$work/subagent/project/.claude/wave-scope.json"
check subagent "the subagent was told the rule" result_mentions subagent "control-plane"

scenario no-binary Bash '{"command": "touch nobinary-marker && git status", "description": "status"}' "" yes
check no-binary "with so-hook missing from PATH, the call was blocked" test ! -e "$work/no-binary/project/nobinary-marker"
check no-binary "the client's output says how to install so-hook" grep -q "so-hook is not installed" "$work/no-binary.out"

# Codex: the hook file written by `so-hook install`, the project trusted, the provider pointed
# at the scripted model, hook trust bypassed for the run (a user approves it once in /hooks).
codex_scenario() { # NAME TOOL INPUT_JSON [MANIFEST_JSON] [CONFIG_TOML]
  local name=$1 tool=$2 input=$3 manifest=${4:-} extra=${5:-}
  local dir="$work/$name"
  mkdir -p "$dir/project/src" "$dir/project/docs" "$dir/home/.codex"
  (cd "$dir/project" && git init -q)
  if [ -n "$manifest" ]; then
    mkdir -p "$dir/project/.codex" && printf '%s\n' "$manifest" > "$dir/project/.codex/wave-scope.json"
  fi
  so-hook install --platform codex --project "$dir/project" >"$dir.install" 2>&1 || true
  rm -f "$dir/port"
  python3 "$repo/tests/e2e/fake_model.py" "$dir/port" "$dir/model.log" "$tool" "$input" 2>/dev/null &
  server=$!
  for _ in $(seq 50); do [ -s "$dir/port" ] && break; sleep 0.1; done
  # A model slug Codex knows (its catalogue decides the tools; an unknown one gets no apply_patch).
  printf '%s\n' 'model = "gpt-5.5"' 'model_provider = "scripted"' \
    'check_for_update_on_startup = false' '' '[model_providers.scripted]' 'name = "scripted"' \
    "base_url = \"http://127.0.0.1:$(cat "$dir/port")/v1\"" 'wire_api = "responses"' \
    'env_key = "SCRIPTED_API_KEY"' '' "[projects.\"$dir/project\"]" 'trust_level = "trusted"' '' \
    '[analytics]' 'enabled = false' >"$dir/home/.codex/config.toml"
  [ -z "$extra" ] || printf '\n%s\n' "$extra" >>"$dir/home/.codex/config.toml"
  (cd "$dir/project" && HOME="$dir/home" SCRIPTED_API_KEY=e2e timeout 120 codex exec \
    --dangerously-bypass-approvals-and-sandbox --dangerously-bypass-hook-trust \
    --skip-git-repo-check "do the task" >"$dir.out" 2>"$dir.err") || true
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=
}
echo "Codex $(codex --version 2>/dev/null | tail -1)"
codex_scenario codex-destructive exec_command '{"cmd": "touch blocked-marker && git push --force origin main"}'
check codex-destructive "the chained marker command did not run" test ! -e "$work/codex-destructive/project/blocked-marker"
check codex-destructive "Codex reported the hook's block" grep -q "Command blocked by PreToolUse hook" "$work/codex-destructive.err"
codex_scenario codex-harmless exec_command '{"cmd": "touch allowed-marker && git status"}'
check codex-harmless "the harmless command ran" test -e "$work/codex-harmless/project/allowed-marker"
codex_scenario codex-patch-outside apply_patch '"*** Begin Patch\n*** Add File: docs/outside.md\n+x\n*** End Patch\n"' "$wave"
check codex-patch-outside "the patch outside the wave was not applied" test ! -e "$work/codex-patch-outside/project/docs/outside.md"
check codex-patch-outside "Codex reported the rule" grep -q "outside the scope of wave 2" "$work/codex-patch-outside.err"
codex_scenario codex-patch-inside apply_patch '"*** Begin Patch\n*** Add File: src/inside.rs\n+fn main() {}\n*** End Patch\n"' "$wave"
check codex-patch-inside "the patch inside the wave was applied" test -e "$work/codex-patch-inside/project/src/inside.rs"
# The same patch given to the shell tool as a here-document: Codex applies it itself as a patch.
codex_scenario codex-shell-patch exec_command '{"cmd": "apply_patch <<'"'"'EOF'"'"'\n*** Begin Patch\n*** Add File: docs/outside.md\n+x\n*** End Patch\nEOF\n"}' "$wave"
check codex-shell-patch "the shell patch outside the wave was not applied" test ! -e "$work/codex-shell-patch/project/docs/outside.md"
check codex-shell-patch "Codex reported the rule" grep -q "outside the scope of wave 2" "$work/codex-shell-patch.err"

# A Codex subagent tries to delete the wave manifest. multi_agent_v2 offers the `collaboration`
# tools up front: the main agent (it got "do the task") spawns a subagent without its history and
# waits for it; the subagent (its task arrives as a NEW_TASK message) gets the shell call. so-hook
# tells a subagent (payload with agent_id) control-plane; without one, the call counts as the
# coordinator's and the strict wave's shell-write-scope blocks it instead. Plain `rm`: Codex
# itself rejects `rm -f`, so that would leave the manifest in place without so-hook too.
codex_scenario codex-subagent script '[["collaboration.spawn_agent", {"task_name": "tidy", "message": "remove the wave manifest", "fork_turns": "none"}, "do the task"], ["collaboration.wait_agent", {"timeout_ms": 30000}, "do the task"], ["exec_command", {"cmd": "rm .codex/wave-scope.json"}, "NEW_TASK"]]' "$wave" \
  $'[features]\nmulti_agent_v2 = true'
subagent_asked() { grep '"answer": "tool"' "$work/codex-subagent/model.log" | grep -q NEW_TASK; }
check codex-subagent "the subagent ran and asked for the deletion" subagent_asked
check codex-subagent "the subagent did not delete the manifest" test -e "$work/codex-subagent/project/.codex/wave-scope.json"
check codex-subagent "Codex reported so-hook's block" grep -q "Command blocked by PreToolUse hook: .*so-hook rule" "$work/codex-subagent.err"
if grep -q "so-hook rule control-plane" "$work/codex-subagent.err"; then
  echo "observed: codex-subagent: the subagent's call carried an agent_id; so-hook reported control-plane"
elif grep -q "so-hook rule shell-write-scope" "$work/codex-subagent.err"; then
  echo "observed: codex-subagent: the subagent's call carried no agent_id; so-hook reported shell-write-scope"
else
  echo "observed: codex-subagent: no so-hook rule reported for the subagent's call"
fi

# The registered binary gone (installed, then removed): what Codex does with the call.
codex_missing() {
  local dir="$work/codex-no-binary"
  mkdir -p "$dir/project"
  (cd "$dir/project" && git init -q)
  so-hook install --platform codex --project "$dir/project" >/dev/null 2>&1
  mv "$work/bin/so-hook" "$work/bin/so-hook.gone"
}
codex_missing
codex_scenario codex-no-binary exec_command '{"cmd": "touch nobinary-marker && git status"}'
mv "$work/bin/so-hook.gone" "$work/bin/so-hook"
if [ -e "$work/codex-no-binary/project/nobinary-marker" ]; then
  echo "observed: codex-no-binary: with the registered so-hook gone, Codex $codex_version ran the call"
else
  echo "observed: codex-no-binary: with the registered so-hook gone, the call was blocked"
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "end-to-end: all checks passed against Claude Code $claude_version and Codex $codex_version"
