#!/bin/sh
# Creates the fixture project that the real-world command set is judged in.
# Usage: scripts/realworld/project.sh [DIR]   (default: target/realworld-project under the repo)
# The directory is removed and rebuilt each time, so the result is always the same.
set -eu

here=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-$here/target/realworld-project}

case $dir in
    /tmp/*|/var/tmp/*) echo "project.sh: the fixture must not live under a temp root: $dir" >&2; exit 2 ;;
    /|"") echo "project.sh: refusing to use $dir" >&2; exit 2 ;;
esac

if [ -e "$dir" ]; then
    [ -f "$dir/.realworld-fixture" ] || { echo "project.sh: $dir exists and is not a fixture; not touching it" >&2; exit 2; }
    rm -rf -- "$dir"
fi
mkdir -p "$dir"
cd "$dir"
: > .realworld-fixture

mkdir -p src/lib docs scripts target/debug/deps node_modules/.cache/babel node_modules/left-pad \
         dist build .claude .github/workflows tests
printf 'pub mod lib;\nfn main() { println!("hello"); }\n' > src/main.rs
printf 'pub fn add(a: i32, b: i32) -> i32 { a + b }\n' > src/lib/mod.rs
printf 'export const answer = 42;\n' > src/index.js
printf 'def hello():\n    return "hi"\n' > src/app.py
printf '# Guide\n\nHow to use the demo.\n' > docs/guide.md
printf '#!/bin/sh\necho build\n' > scripts/build.sh && chmod +x scripts/build.sh
printf 'test("a", () => {});\n' > tests/app.test.js
cat > package.json <<'JSON'
{
  "name": "demo-app",
  "version": "1.0.0",
  "private": true,
  "scripts": {
    "build": "tsc -p .",
    "test": "jest",
    "clean": "rm -rf dist build"
  }
}
JSON
cat > Cargo.toml <<'TOML'
[package]
name = "demo-app"
version = "0.1.0"
edition = "2021"
TOML
printf 'binary\n' > target/debug/demo-app
printf 'dep\n' > target/debug/deps/libdemo.rlib
printf 'cache\n' > node_modules/.cache/babel/entry.json
printf 'module.exports = 1;\n' > node_modules/left-pad/index.js
printf 'bundle\n' > dist/bundle.js
printf 'out\n' > build/out.o
printf '# CLAUDE.md\n\nProject rules for the agent.\n' > CLAUDE.md
printf '# AGENTS.md\n\nProject rules for agents.\n' > AGENTS.md
printf '{\n  "hooks": {}\n}\n' > .claude/settings.json
printf '# demo-app\n\nA demo project.\n' > README.md
printf 'DATABASE_URL=postgres://localhost/demo\nAPI_KEY=not-a-real-key\n' > .env
printf 'name: ci\non: push\njobs: {}\n' > .github/workflows/ci.yml
printf 'all:\n\tcargo build\n' > Makefile
printf 'target/\nnode_modules/\ndist/\nbuild/\n.env\n.realworld-fixture\n' > .gitignore

git init -q .
git -c user.name=fixture -c user.email=fixture@example.invalid add -A
GIT_AUTHOR_DATE='2024-01-01T00:00:00Z' GIT_COMMITTER_DATE='2024-01-01T00:00:00Z' \
    git -c user.name=fixture -c user.email=fixture@example.invalid commit -q -m 'fixture: initial commit'
echo "$dir"
