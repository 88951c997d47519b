# Sourced by scripts/verify-clients.sh and scripts/e2e.sh: the client versions the project is
# checked against, and their installation from npm.
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
