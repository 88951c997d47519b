# Sourced by scripts/verify-clients.sh, scripts/e2e.sh and scripts/e2e-more-clients.sh: the client
# versions the project is checked against, and their installation from npm.
claude_version=${CLAUDE_CODE_VERSION:-2.1.332}
codex_version=${CODEX_VERSION:-0.169.0}

# install_clients DIR: installs both clients under DIR (their commands in DIR/node_modules/.bin).
# An installation of the same versions already there is reused, so runs that share DIR (CI sets
# SO_HOOK_CLIENTS_DIR) download once. Returns 3, saying why, when npm cannot supply them.
install_clients() {
  local dir=$1 want="$claude_version $codex_version"
  if [ "$(cat "$dir/.versions" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  command -v npm >/dev/null || { echo "skipped: npm is not installed"; return 3; }
  mkdir -p "$dir"
  if ! npm install --silent --no-audit --no-fund --prefix "$dir" \
    "@anthropic-ai/claude-code@$claude_version" "@openai/codex@$codex_version" >"$dir/npm.log" 2>&1; then
    tail -5 "$dir/npm.log"
    echo "skipped: the clients could not be installed from npm"
    return 3
  fi
  echo "$want" >"$dir/.versions"
}

# Gemini CLI, GitHub Copilot CLI and OpenCode, for scripts/e2e-more-clients.sh. They live in a
# directory of their own (DIR/more), with their own version stamp, so installing them leaves the
# Claude Code and Codex installation above untouched and the reverse.
gemini_version=${GEMINI_CLI_VERSION:-0.61.0}
copilot_version=${COPILOT_CLI_VERSION:-1.0.102}
opencode_version=${OPENCODE_VERSION:-1.18.33}

# install_more_clients DIR: installs the three under DIR/more (commands in
# DIR/more/node_modules/.bin) and exports COPILOT_PKG_CACHE_HOME=DIR/more/copilot-pkg, where
# Copilot unpacks its bundled package on first start (a few hundred MB), so that happens once per
# DIR. Reused like install_clients; returns 3, saying why, when npm cannot supply them or a client
# does not start on this machine.
install_more_clients() {
  local dir=$1/more want="$gemini_version $copilot_version $opencode_version"
  export COPILOT_PKG_CACHE_HOME="$dir/copilot-pkg"
  if [ "$(cat "$dir/.versions" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  command -v npm >/dev/null || { echo "skipped: npm is not installed"; return 3; }
  mkdir -p "$dir" "$COPILOT_PKG_CACHE_HOME"
  if ! npm install --silent --no-audit --no-fund --prefix "$dir" "@google/gemini-cli@$gemini_version" \
    "@github/copilot@$copilot_version" "opencode-ai@$opencode_version" >"$dir/npm.log" 2>&1; then
    tail -5 "$dir/npm.log"
    echo "skipped: Gemini CLI, Copilot CLI or OpenCode could not be installed from npm"
    return 3
  fi
  local client
  for client in gemini copilot opencode; do
    if ! HOME="$dir/probe-home" COPILOT_OFFLINE=true COPILOT_AUTO_UPDATE=false timeout 300 \
      "$dir/node_modules/.bin/$client" --version \
      >"$dir/$client.version" 2>&1; then
      tail -5 "$dir/$client.version"
      echo "skipped: $client was installed but does not start here"
      return 3
    fi
  done
  rm -rf "$dir/probe-home"
  echo "$want" >"$dir/.versions"
}

# check NAME WHAT TEST...: runs TEST, prints "ok: NAME: WHAT" or "FAIL: NAME: WHAT", and counts
# the failures in $failures (which the sourcing script sets to 0 and reads at the end).
check() {
  local name=$1 what=$2
  shift 2
  if "$@"; then
    echo "ok: $name: $what"
  else
    echo "FAIL: $name: $what"
    failures=$((failures + 1))
  fi
}
