#!/bin/sh
# Registers so-hook in Codex's hooks.json (the project's, or yours with --user). Options: see
# scripts/install.sh.
exec "$(dirname "$0")/install.sh" codex "$@"
