#!/usr/bin/env bash
# End-to-end runs of the real Gemini CLI, GitHub Copilot CLI and OpenCode with so-hook registered
# the way a user registers it (`so-hook install --platform X --project P`), in a throw-away HOME
# and fresh git projects, against scripted models: Gemini's own offline replay of canned
# responses (--fake-responses-non-strict), and for Copilot (BYOK) and OpenCode (a custom
# provider) tests/e2e/fake_model.py on loopback, speaking Chat Completions. For each client:
#
#   a. install writes the registration and `so-hook doctor --platform X` passes;
#   b. the client loads it (Gemini's --debug log, Copilot's denial in its JSON events,
#      OpenCode's `debug config`);
#   c. the model asks for `rm -rf src` (src/keep.txt must survive, so-hook's rule must reach the
#      model), `echo ok > out.txt` (must run), and in a wave that may edit only src/, writes,
#      edits and patches outside src/ with each of the client's file tools (must not happen,
#      with the rule sent to the model) and inside it (must happen); a Copilot subagent may not
#      delete the wave manifest;
#   d. with the registered binary gone, or killed by a signal, `rm -rf src` is still not carried
#      out. What each client does without so-hook's safety net (Gemini without the exit-2
#      fallback, OpenCode with --pure) is reported, not checked.
#
#   scripts/e2e-more-clients.sh [SO_HOOK_BINARY]
#
# The clients come from npm at pinned versions (GEMINI_CLI_VERSION, COPILOT_CLI_VERSION,
# OPENCODE_VERSION; see scripts/lib/clients.sh), cached in SO_HOOK_CLIENTS_DIR when it is set.
# SO_HOOK_E2E_KEEP=1 keeps the projects and the clients' output for a look afterwards.
# Exit status: 0 all checks passed, 1 one failed, 3 skipped (npm or a client could not be had).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$("$repo/scripts/build-release.sh")}
. "$repo/scripts/lib/clients.sh"
[ -x "$bin" ] || { echo "no so-hook binary at $bin"; exit 1; }
for tool in python3 git timeout; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool is not installed"; exit 3; }
done

started=$(date +%s)
work=$(mktemp -d /var/tmp/so-hook-e2e-more.XXXXXX)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  if [ -n "${SO_HOOK_E2E_KEEP:-}" ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
mkdir -p "$work/bin" "$work/home"
cp "$bin" "$work/bin/so-hook"
clients=${SO_HOOK_CLIENTS_DIR:-$work/npm}
install_more_clients "$clients" || exit $?
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export XDG_CACHE_HOME="$work/home/.cache" XDG_STATE_HOME="$work/home/.local/state"
export PATH="$work/bin:$clients/more/node_modules/.bin:$PATH"
# Gemini CLI keeps the hook environment to a short list in GitHub Actions; nothing here needs it.
unset GITHUB_SHA SURFACE || true
# No usage statistics from Gemini CLI (it would try to send them).
mkdir -p "$HOME/.gemini"
echo '{"privacy": {"usageStatisticsEnabled": false}}' >"$HOME/.gemini/settings.json"

failures=0
mentions() { grep -q -- "$2" "$1"; }
exists() { test -e "$1"; }
absent() { test ! -e "$1"; }

# project CLIENT NAME: a fresh git project with src/keep.txt and docs/notes.md (holding `old`),
# so-hook installed for CLIENT; prints its path. The install's output is in $work/NAME.install.
project() {
  local client=$1 name=$2 dir="$work/$2/project"
  mkdir -p "$dir/src" "$dir/docs"
  echo keep >"$dir/src/keep.txt"
  echo old >"$dir/docs/notes.md"
  (cd "$dir" && git init -q)
  so-hook install --platform "$client" --project "$dir" >"$work/$name.install" 2>&1 || {
    echo "FAIL: $name: so-hook install --platform $client" >&2
    cat "$work/$name.install" >&2
    return 1
  }
  echo "$dir"
}
# wave DIR CLIENT: wave 1 may edit only src/.
wave() {
  so-hook scope set --platform "$2" --wave 1 --role Impl-Core --allow src/ --cwd "$1" >/dev/null
}
# The registered binary gone, or crashing (killed by a signal, before it can answer), and back
# again (the registration names it by its absolute path).
binary_gone() { mv "$work/bin/so-hook" "$work/bin/so-hook.real"; }
binary_crashes() {
  binary_gone
  printf '#!/bin/sh\nkill -9 $$\n' >"$work/bin/so-hook"
  chmod +x "$work/bin/so-hook"
}
binary_back() { mv -f "$work/bin/so-hook.real" "$work/bin/so-hook"; }
# model NAME SCRIPT...: starts tests/e2e/fake_model.py for the scenario; sets $port.
model() {
  local dir="$work/$1"
  shift
  rm -f "$dir/port"
  python3 "$repo/tests/e2e/fake_model.py" "$dir/port" "$dir/model.log" "$@" 2>"$dir/model.err" &
  server=$!
  for _ in $(seq 50); do [ -s "$dir/port" ] && break; sleep 0.1; done
  port=$(cat "$dir/port")
}
model_stop() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=
}
# What the model got back as the tool's result (the last message of the follow-up request).
tool_result_for_model() { grep '"tool_result": true' "$work/$1/model.log" | head -1 >"$work/$1.seen" || true; }
setup_check() { # NAME CLIENT DIR: install passed, and doctor passes on what it wrote
  local name=$1 client=$2 dir=$3
  check "$name" "so-hook install --platform $client --project wrote $(sed -n 's/.* in \(.*\)$/\1/p' "$work/$name.install" | head -1 | sed "s|$dir/||")" \
    mentions "$work/$name.install" "installed in"
  check "$name" "so-hook doctor --platform $client passes" doctor "$client" "$dir" "$work/$name.doctor"
}
doctor() { so-hook doctor --platform "$1" --cwd "$2" >"$3" 2>&1 || { cat "$3"; return 1; }; }

# ---------------------------------------------------------------------------------------------
# Gemini CLI: headless (-p) with --yolo (without it the shell and write tools are not offered),
# the project trusted through GEMINI_CLI_TRUST_WORKSPACE (--skip-trust alone leaves project
# hooks unloaded), the model's turns replayed from a file.
gemini_call() { # TOOL ARGS_JSON: one model turn that calls TOOL
  printf '{"method":"generateContentStream","response":[{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"%s","args":%s}}]},"finishReason":"STOP"}]}]}\n' "$1" "$2"
}
gemini_done='{"method":"generateContentStream","response":[{"candidates":[{"content":{"role":"model","parts":[{"text":"done"}]},"finishReason":"STOP"}]}]}'
gemini_run() { # NAME DIR TOOL ARGS_JSON
  local name=$1 dir=$2
  { gemini_call "$3" "$4"; echo "$gemini_done"; echo "$gemini_done"; } >"$work/$name/turns.jsonl"
  (cd "$dir" && GEMINI_CLI_TRUST_WORKSPACE=true GEMINI_API_KEY=e2e timeout 150 gemini -p "do the task" \
    --yolo --debug -o stream-json --fake-responses-non-strict "$work/$name/turns.jsonl" \
    >"$work/$name.out" 2>"$work/$name.err") || echo "note: $name: gemini exited $?"
}
hook_entries() { # ERR: how many hook entries Gemini's registry loaded
  sed -n 's/.*Hook registry initialized with \([0-9]*\) hook entries.*/\1/p' "$1" | tail -1
}
has_entries() { [ "$(hook_entries "$1")" -ge 1 ] 2>/dev/null; }

echo "== Gemini CLI $(gemini --version 2>/dev/null | tail -1)"
name=gemini-destructive
dir=$(project gemini $name)
setup_check $name gemini "$dir"
gemini_run $name "$dir" run_shell_command '{"command":"rm -rf src","description":"clean"}'
check $name "Gemini loaded the registration ($(hook_entries "$work/$name.err") hook entries)" has_entries "$work/$name.err"
check $name "Gemini ran so-hook at SessionStart" mentions "$work/$name.err" "Hook execution for SessionStart: 1 hooks executed successfully"
# --debug logs the router's request to the model, which carries the session's context.
check $name "so-hook's SessionStart context reached the model's conversation" mentions "$work/$name.err" "<hook_context>so-hook [0-9.]* guards this session"
check $name "Gemini made a BeforeTool plan and ran so-hook" mentions "$work/$name.err" "Hook execution for BeforeTool: 1 hooks executed successfully"
check $name "rm -rf src was not carried out (src/keep.txt is there)" exists "$dir/src/keep.txt"
check $name "the model got so-hook's rule" mentions "$work/$name.out" 'Tool execution blocked: .*so-hook rule rm-recursive-force'

name=gemini-harmless
dir=$(project gemini $name)
gemini_run $name "$dir" run_shell_command '{"command":"echo ok > out.txt","description":"write"}'
check $name "echo ok > out.txt ran" mentions "$dir/out.txt" ok

name=gemini-write-outside
dir=$(project gemini $name)
wave "$dir" gemini
gemini_run $name "$dir" write_file "{\"file_path\":\"$dir/docs/x.md\",\"content\":\"x\"}"
check $name "write_file docs/x.md outside the wave did not happen" absent "$dir/docs/x.md"
check $name "the model got so-hook's rule" mentions "$work/$name.out" 'Tool execution blocked: .*scope-not-allowed'

name=gemini-write-inside
dir=$(project gemini $name)
wave "$dir" gemini
gemini_run $name "$dir" write_file '{"file_path":"src/inside.md","content":"x"}'
check $name "write_file src/inside.md (a relative path) inside the wave happened" exists "$dir/src/inside.md"
check $name "Gemini ran so-hook's AfterTool hook after the write" mentions "$work/$name.err" "Hook execution for AfterTool: 1 hooks executed successfully"

name=gemini-edit-outside
dir=$(project gemini $name)
wave "$dir" gemini
gemini_run $name "$dir" replace "{\"file_path\":\"$dir/docs/notes.md\",\"instruction\":\"update\",\"old_string\":\"old\",\"new_string\":\"new\"}"
check $name "replace in docs/notes.md outside the wave did not happen" mentions "$dir/docs/notes.md" '^old$'
check $name "the model got so-hook's rule" mentions "$work/$name.out" 'Tool execution blocked: .*scope-not-allowed'

name=gemini-no-binary
dir=$(project gemini $name)
binary_gone
gemini_run $name "$dir" run_shell_command '{"command":"rm -rf src","description":"clean"}'
binary_back
check $name "with the registered so-hook gone, rm -rf src was not carried out" exists "$dir/src/keep.txt"
check $name "the registration's exit-2 fallback blocked it, with its message" mentions "$work/$name.out" 'Tool execution blocked: .*so-hook did not answer'

name=gemini-crash
dir=$(project gemini $name)
binary_crashes
gemini_run $name "$dir" run_shell_command '{"command":"rm -rf src","description":"clean"}'
binary_back
check $name "with so-hook killed by a signal, rm -rf src was not carried out" exists "$dir/src/keep.txt"
check $name "the registration's exit-2 fallback blocked it, with its message" mentions "$work/$name.out" 'Tool execution blocked: .*so-hook did not answer'

# What the exit-2 fallback is for: the same registration without it. Gemini reads a failing
# hook's plain-text output as a deny only when the exit status is 2 or more, and a hook killed by
# a signal as a warning. Reported, not checked: it is Gemini's behaviour, not so-hook's answer.
without_fallback() {
  python3 - "$1/.gemini/settings.json" <<'PY'
import json, sys
settings = json.load(open(sys.argv[1]))
for group in settings["hooks"]["BeforeTool"]:
    for hook in group["hooks"]:
        hook["command"] = hook["command"].split(" || ", 1)[0]
json.dump(settings, open(sys.argv[1], "w"), indent=2)
PY
}
for how in gone crashes; do
  name=gemini-no-fallback-$how
  dir=$(project gemini $name)
  without_fallback "$dir"
  "binary_$how"
  gemini_run $name "$dir" run_shell_command '{"command":"rm -rf src","description":"clean"}'
  binary_back
  if [ -e "$dir/src/keep.txt" ]; then
    echo "observed: $name: without the fallback, so-hook $how: Gemini CLI $gemini_version blocked rm -rf src ($(grep -o 'Tool execution blocked: [^"]\{0,60\}' "$work/$name.out" | head -1))"
  else
    echo "observed: $name: without the fallback, so-hook $how: Gemini CLI $gemini_version ran rm -rf src (fails open)"
  fi
done

# ---------------------------------------------------------------------------------------------
# Copilot CLI: BYOK against the scripted model, offline, tools allowed, the folder trusted for
# the run (without it Copilot skips the repository's hooks in -p without a word).
copilot_run() { # NAME DIR TOOL INPUT_JSON
  model "$1" "$3" "$4"
  copilot_go "$1" "$2"
}
copilot_go() { # NAME DIR: runs Copilot against the model already started
  local name=$1 dir=$2
  (cd "$dir" && COPILOT_OFFLINE=true COPILOT_AUTO_UPDATE=false \
    COPILOT_PROVIDER_BASE_URL="http://127.0.0.1:$port/v1" COPILOT_MODEL=${copilot_model:-gpt-4.1} timeout 150 \
    copilot -p "do the task" --allow-all-tools --trust-folder --output-format json \
    >"$work/$name.out" 2>"$work/$name.err") || echo "note: $name: copilot exited $?"
  model_stop
  tool_result_for_model "$name"
}
model_asked() { grep -q '"answer": "tool"' "$work/$1/model.log"; }

echo "== GitHub Copilot CLI $(copilot --version 2>/dev/null | head -1)"
name=copilot-destructive
dir=$(project copilot $name)
setup_check $name copilot "$dir"
copilot_run $name "$dir" bash '{"command":"rm -rf src","description":"clean"}'
check $name "the scripted model was asked and called bash" model_asked $name
check $name "Copilot loaded the registration: its JSON output has the hook's denial" mentions "$work/$name.out" "Denied by preToolUse hook"
check $name "rm -rf src was not carried out (src/keep.txt is there)" exists "$dir/src/keep.txt"
check $name "the model got so-hook's rule" mentions "$work/$name.seen" "so-hook rule rm-recursive-force"

name=copilot-harmless
dir=$(project copilot $name)
copilot_run $name "$dir" bash '{"command":"echo ok > out.txt","description":"write"}'
check $name "echo ok > out.txt ran" mentions "$dir/out.txt" ok
check $name "no denial in Copilot's output" test -z "$(grep -l 'Denied by preToolUse hook' "$work/$name.out")"

name=copilot-write-outside
dir=$(project copilot $name)
wave "$dir" copilot
copilot_run $name "$dir" create "{\"path\":\"$dir/docs/x.md\",\"file_text\":\"x\"}"
check $name "create docs/x.md outside the wave did not happen" absent "$dir/docs/x.md"
check $name "the model got so-hook's rule" mentions "$work/$name.seen" "scope-not-allowed"

name=copilot-edit-outside
dir=$(project copilot $name)
wave "$dir" copilot
copilot_run $name "$dir" edit "{\"path\":\"$dir/docs/notes.md\",\"old_str\":\"old\",\"new_str\":\"new\"}"
check $name "edit of docs/notes.md outside the wave did not happen" mentions "$dir/docs/notes.md" '^old$'
check $name "the model got so-hook's rule" mentions "$work/$name.seen" "scope-not-allowed"

# GPT-5 models get the freeform apply_patch instead of create and edit.
name=copilot-patch-outside
dir=$(project copilot $name)
wave "$dir" copilot
copilot_model=gpt-5.4 copilot_run $name "$dir" apply_patch '"*** Begin Patch\n*** Add File: docs/x.md\n+x\n*** Update File: src/keep.txt\n@@\n-keep\n+kept\n*** End Patch\n"'
check $name "the scripted model was offered apply_patch and called it" model_asked $name
check $name "the patch adding docs/x.md outside the wave was not applied" absent "$dir/docs/x.md"
check $name "nor its part inside the wave" mentions "$dir/src/keep.txt" '^keep$'
check $name "the model got so-hook's rule" mentions "$work/$name.seen" "scope-not-allowed"

name=copilot-patch-inside
dir=$(project copilot $name)
wave "$dir" copilot
copilot_model=gpt-5.4 copilot_run $name "$dir" apply_patch '"*** Begin Patch\n*** Add File: src/patched.md\n+x\n*** End Patch\n"'
check $name "the patch inside the wave was applied" exists "$dir/src/patched.md"

name=copilot-write-inside
dir=$(project copilot $name)
wave "$dir" copilot
copilot_run $name "$dir" create "{\"path\":\"$dir/src/inside.md\",\"file_text\":\"x\"}"
check $name "create src/inside.md inside the wave happened" exists "$dir/src/inside.md"

# A subagent (the main agent's task call starts one; given its own prompt, it gets the bash call)
# tries to delete the wave manifest. Copilot marks a subagent's calls (agentId); so-hook's
# control-plane rule for a subagent shows that so-hook read the mark.
name=copilot-subagent
dir=$(project copilot $name)
wave "$dir" copilot
model $name script '[["bash", {"command": "rm -f .copilot/wave-scope.json", "description": "remove"}, "remove the wave manifest"], ["task", {"name": "tidy", "description": "tidy up", "prompt": "remove the wave manifest", "agent_type": "task", "mode": "sync"}, "do the task"]]'
copilot_go $name "$dir"
subagent_asked() { grep '"answer": "tool"' "$work/$name/model.log" | grep -q "remove the wave manifest"; }
check $name "the subagent ran and asked for the deletion" subagent_asked
check $name "the subagent did not delete the manifest" exists "$dir/.copilot/wave-scope.json"
check $name "so-hook knew the call for a subagent's (rule control-plane)" mentions "$work/$name/model.log" "so-hook rule control-plane"

name=copilot-no-binary
dir=$(project copilot $name)
binary_gone
copilot_run $name "$dir" bash '{"command":"rm -rf src","description":"clean"}'
binary_back
check $name "with the registered so-hook gone, rm -rf src was not carried out" exists "$dir/src/keep.txt"
check $name "Copilot denied because the hook failed" mentions "$work/$name.seen" 'Denied by preToolUse hook from .*so-hook.json.* (hook errored)'

name=copilot-crash
dir=$(project copilot $name)
binary_crashes
copilot_run $name "$dir" bash '{"command":"rm -rf src","description":"clean"}'
binary_back
check $name "with so-hook killed by a signal, rm -rf src was not carried out" exists "$dir/src/keep.txt"
check $name "Copilot denied because the hook failed" mentions "$work/$name.seen" 'Denied by preToolUse hook from .*so-hook.json.* (hook errored)'

# ---------------------------------------------------------------------------------------------
# OpenCode: `opencode run` with a custom OpenAI-compatible provider on loopback. The model's id
# has no `gpt-` in it, so OpenCode offers its `write` tool (not apply_patch).
opencode_config() { # PORT: the user's config, pointing at the scripted model ($opencode_model)
  local id=${opencode_model:-e2e-model}
  mkdir -p "$XDG_CONFIG_HOME/opencode"
  cat >"$XDG_CONFIG_HOME/opencode/opencode.json" <<JSON
{"\$schema": "https://opencode.ai/config.json", "model": "scripted/$id", "autoupdate": false,
 "share": "disabled", "provider": {"scripted": {"npm": "@ai-sdk/openai-compatible", "name": "Scripted",
 "options": {"baseURL": "http://127.0.0.1:$1/v1", "apiKey": "e2e"},
 "models": {"$id": {"name": "Scripted", "tool_call": true}}}}}
JSON
}
opencode_run() { # NAME DIR TOOL INPUT_JSON [OPTION...]
  local name=$1 dir=$2
  model "$name" "$3" "$4"
  shift 4
  opencode_config "$port"
  (cd "$dir" && OPENCODE_DISABLE_AUTOUPDATE=1 OPENCODE_DISABLE_MODELS_FETCH=1 timeout 150 \
    opencode run "do the task" --format json "$@" >"$work/$name.out" 2>"$work/$name.err") ||
    echo "note: $name: opencode exited $?"
  model_stop
  tool_result_for_model "$name"
}
plugin_listed() { # DIR: `opencode debug config` names the project's so-hook plugin
  (cd "$1" && OPENCODE_DISABLE_AUTOUPDATE=1 OPENCODE_DISABLE_MODELS_FETCH=1 timeout 60 \
    opencode debug config) >"$work/opencode-debug-config.json" 2>/dev/null &&
    python3 - "$work/opencode-debug-config.json" "$1/.opencode/plugins/so-hook.js" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
sys.exit(0 if any(o.get("spec") == "file://" + sys.argv[2] and o.get("scope") == "local"
                  for o in config.get("plugin_origins", [])) else 1)
PY
}

echo "== OpenCode $(opencode --version 2>/dev/null | tail -1)"
name=opencode-destructive
dir=$(project opencode $name)
setup_check $name opencode "$dir"
opencode_config 9
check $name "opencode debug config lists .opencode/plugins/so-hook.js in plugin_origins" plugin_listed "$dir"
opencode_run $name "$dir" bash '{"command":"rm -rf src","description":"clean"}'
check $name "the scripted model was asked and called bash" model_asked $name
check $name "rm -rf src was not carried out (src/keep.txt is there)" exists "$dir/src/keep.txt"
check $name "the model got so-hook's rule" mentions "$work/$name.seen" "so-hook rule rm-recursive-force"
check $name "OpenCode's JSON events show the call failed with so-hook's reason" mentions "$work/$name.out" '"status":"error".*so-hook rule rm-recursive-force'

name=opencode-harmless
dir=$(project opencode $name)
opencode_run $name "$dir" bash '{"command":"echo ok > out.txt","description":"write"}'
check $name "echo ok > out.txt ran" mentions "$dir/out.txt" ok

name=opencode-write-outside
dir=$(project opencode $name)
wave "$dir" opencode
opencode_run $name "$dir" write "{\"filePath\":\"$dir/docs/x.md\",\"content\":\"x\"}"
check $name "write docs/x.md outside the wave did not happen" absent "$dir/docs/x.md"
check $name "the model got so-hook's rule" mentions "$work/$name.seen" "scope-not-allowed"

name=opencode-edit-outside
dir=$(project opencode $name)
wave "$dir" opencode
opencode_run $name "$dir" edit "{\"filePath\":\"$dir/docs/notes.md\",\"oldString\":\"old\",\"newString\":\"new\"}"
check $name "edit of docs/notes.md outside the wave did not happen" mentions "$dir/docs/notes.md" '^old$'
check $name "the model got so-hook's rule" mentions "$work/$name.seen" "scope-not-allowed"

# A model whose id has `gpt-` (not gpt-4) gets apply_patch instead of write and edit.
name=opencode-patch-outside
dir=$(project opencode $name)
wave "$dir" opencode
opencode_model=gpt-5-e2e opencode_run $name "$dir" apply_patch '{"patchText":"*** Begin Patch\n*** Add File: docs/x.md\n+x\n*** End Patch\n"}'
check $name "the scripted model was offered apply_patch and called it" model_asked $name
check $name "the patch adding docs/x.md outside the wave was not applied" absent "$dir/docs/x.md"
check $name "the model got so-hook's rule" mentions "$work/$name.seen" "scope-not-allowed"

name=opencode-patch-inside
dir=$(project opencode $name)
wave "$dir" opencode
opencode_model=gpt-5-e2e opencode_run $name "$dir" apply_patch '{"patchText":"*** Begin Patch\n*** Add File: src/patched.md\n+x\n*** End Patch\n"}'
check $name "the patch inside the wave was applied" exists "$dir/src/patched.md"

name=opencode-write-inside
dir=$(project opencode $name)
wave "$dir" opencode
opencode_run $name "$dir" write "{\"filePath\":\"$dir/src/inside.md\",\"content\":\"x\"}"
check $name "write src/inside.md inside the wave happened" exists "$dir/src/inside.md"

name=opencode-no-binary
dir=$(project opencode $name)
binary_gone
opencode_run $name "$dir" bash '{"command":"rm -rf src","description":"clean"}'
binary_back
check $name "with the registered so-hook gone, rm -rf src was not carried out" exists "$dir/src/keep.txt"
check $name "the plugin's error reached the model" mentions "$work/$name.seen" "so-hook could not check this call"

name=opencode-crash
dir=$(project opencode $name)
binary_crashes
opencode_run $name "$dir" bash '{"command":"rm -rf src","description":"clean"}'
binary_back
check $name "with so-hook killed by a signal, rm -rf src was not carried out" exists "$dir/src/keep.txt"
check $name "the plugin's error reached the model" mentions "$work/$name.seen" "so-hook could not check this call (exit SIGKILL)"

# --pure turns every plugin off: reported, not checked (OpenCode's switch, not so-hook's answer).
name=opencode-pure
dir=$(project opencode $name)
opencode_run $name "$dir" bash '{"command":"rm -rf src","description":"clean"}' --pure
if [ -e "$dir/src/keep.txt" ]; then
  echo "observed: $name: with --pure, OpenCode $opencode_version still blocked rm -rf src"
else
  echo "observed: $name: with --pure, OpenCode $opencode_version ran rm -rf src (plugins are off)"
fi

elapsed=$(($(date +%s) - started))
if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed (${elapsed}s)"
  exit 1
fi
echo "end-to-end: all checks passed against Gemini CLI $gemini_version, Copilot CLI $copilot_version and OpenCode $opencode_version (${elapsed}s)"
