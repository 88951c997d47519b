//! `package.json` scripts, as npm, pnpm, yarn and bun run them: `run X` and its spellings, the
//! lifecycle scripts an install or a pack runs, `preX`/`postX`, workspaces named by path, and
//! `run-s`/`run-p`/`npm-run-all`.

use super::{Arg, Files, Recipe, Scope, dir_of, quoted, sized};
use std::path::{Path, PathBuf};

/// Package managers' own commands: `pnpm X`/`yarn X`/`bun X` runs the script X only when X is
/// not one.
const BUILTINS: &[&str] = &[
    "add",
    "audit",
    "bin",
    "cache",
    "ci",
    "config",
    "create",
    "dedupe",
    "dlx",
    "env",
    "exec",
    "get",
    "global",
    "help",
    "i",
    "import",
    "info",
    "init",
    "install",
    "link",
    "list",
    "login",
    "logout",
    "ls",
    "outdated",
    "pack",
    "patch",
    "prune",
    "publish",
    "rebuild",
    "remove",
    "rm",
    "root",
    "set",
    "setup",
    "store",
    "un",
    "uninstall",
    "unlink",
    "up",
    "update",
    "upgrade",
    "version",
    "view",
    "whoami",
    "why",
    "workspace",
    "workspaces",
    "x",
];

/// Options of the package managers that take a value in the next word.
const VALUED: &[&str] = &[
    "--prefix",
    "-C",
    "--dir",
    "--cwd",
    "-w",
    "--workspace",
    "--filter",
    "-F",
    "--userconfig",
    "--registry",
    "--cache",
    "--loglevel",
    "--script-shell",
    "--tag",
    "--otp",
];

/// The scripts an install runs in the project itself (npm's order).
const INSTALL: &[&str] = &[
    "preinstall",
    "install",
    "postinstall",
    "prepublish",
    "preprepare",
    "prepare",
    "postprepare",
];
/// The scripts `npm pack` and `npm publish` run.
const PACK: &[&str] = &["prepack", "prepare", "postpack"];

/// The nearest `package.json` at or above `dir` (npm runs a script in its package's root).
fn package_dir(dir: &Path, files: &Files) -> Option<PathBuf> {
    let mut at = Some(dir);
    while let Some(d) = at {
        if files.exists(&d.join("package.json")) {
            return Some(d.to_path_buf());
        }
        at = d.parent();
    }
    None
}

fn scripts(dir: &Path, files: &mut Files) -> Option<serde_json::Map<String, serde_json::Value>> {
    let text = files.text(&dir.join("package.json"))?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get("scripts")?.as_object().cloned()
}

pub(super) fn script(verb: &str, args: &[Arg], scope: &Scope, files: &mut Files) -> Option<Recipe> {
    if args.iter().any(|a| !a.exact) {
        return None;
    }
    let mut dir = scope.cwd.clone()?;
    let mut words: Vec<&Arg> = Vec::new();
    let mut rest_from = None;
    let mut i = 0;
    while i < args.len() {
        let t = args[i].text.as_str();
        let (opt, attached) = match t.split_once('=') {
            Some((o, v)) if o.starts_with("--") => (o, Some(v.to_string())),
            _ => (t, None),
        };
        if VALUED.contains(&opt) {
            let value = attached.or_else(|| args.get(i + 1).map(|a| a.text.to_string()))?;
            match opt {
                "--prefix" | "-C" | "--dir" | "--cwd" => dir = dir_of(&value, scope)?,
                // A workspace named by its path runs that package's script; one named otherwise
                // (a package name, a filter) is not followed.
                "-w" | "--workspace" if value.contains('/') || value.starts_with('.') => {
                    dir = dir_of(
                        &value,
                        &Scope {
                            cwd: Some(dir.clone()),
                            ..scope.clone()
                        },
                    )?
                }
                "-w" | "--workspace" | "--filter" | "-F" => return None,
                _ => {}
            }
            i += if opt == t { 2 } else { 1 };
            continue;
        }
        if matches!(t, "--workspaces" | "-ws" | "-r" | "--recursive") {
            return None;
        }
        if t == "--" {
            // `npm run -- clean`: the name may follow; after it, the script's own arguments.
            if words.len() < 2 {
                i += 1;
                continue;
            }
            rest_from = Some(i + 1);
            break;
        }
        if !t.starts_with('-') {
            words.push(&args[i]);
        }
        i += 1;
    }
    let first = words.first().map(|a| a.text.as_str());
    let pkg = package_dir(&dir, files);
    // npm accepts any unambiguous abbreviation of its commands (`npm run-s`, `npm tes`).
    let abbrev = |word: &str, full: &str, min: usize| word.len() >= min && full.starts_with(word);
    // package.json's scripts, once read.
    let mut loaded = None;
    let (names, extra): (Vec<String>, &[&Arg]) = match first {
        Some(w) if matches!(w, "run" | "rum" | "urn") || abbrev(w, "run-script", 4) => {
            (vec![words.get(1)?.text.to_string()], &words[2..])
        }
        // (`bun test` is bun's own test runner.)
        Some(w)
            if verb != "bun"
                && (matches!(w, "t" | "tst" | "test")
                    || (verb == "npm" && abbrev(w, "test", 3))) =>
        {
            (vec!["test".into()], &words[1..])
        }
        Some(w) if w == "start" || w == "stop" || (verb == "npm" && abbrev(w, "restart", 4)) => {
            let name = if w.starts_with("res") { "restart" } else { w };
            (vec![name.into()], &words[1..])
        }
        // An install in the project (no package named) runs the project's own lifecycle
        // scripts.
        Some("install" | "i" | "ci" | "add") | None
            if words.len() <= 1 && (first.is_some() || verb == "yarn") =>
        {
            (INSTALL.iter().map(|s| s.to_string()).collect(), &[][..])
        }
        Some("pack" | "publish") => (PACK.iter().map(|s| s.to_string()).collect(), &[][..]),
        // `pnpm build`, `yarn build`, `bun build`: a script when one has that name, else the
        // package binary of that name.
        Some(n)
            if verb != "npm"
                && !BUILTINS.contains(&n)
                && !(verb == "bun"
                    && matches!(n, "build" | "test" | "pm" | "repl" | "upgrade")) =>
        {
            loaded = Some(pkg.as_deref().and_then(|d| scripts(d, files)));
            let has = loaded
                .as_ref()
                .and_then(Option::as_ref)
                .is_some_and(|s| s.contains_key(n));
            if !has {
                // The binary of that name, when it comes first (an option before it may take
                // it as its value: `bun -e CODE`).
                let at = args.iter().position(|a| std::ptr::eq(a, words[0]))?;
                return (at == 0).then(|| Recipe::Command(args.to_vec()));
            }
            (vec![n.to_string()], &words[1..])
        }
        _ => return None,
    };
    let pkg = pkg?;
    // Read once: `pnpm X` has read it to tell a script from a binary.
    let all = match loaded {
        Some(all) => all?,
        None => scripts(&pkg, files)?,
    };
    let mut extra: Vec<String> = extra.iter().map(|a| quoted(a)).collect();
    if let Some(from) = rest_from {
        extra.extend(args[from..].iter().map(quoted));
    }
    let mut lines = Vec::new();
    let lifecycle = names.len() > 1;
    for name in &names {
        let Some(main) = all.get(name).and_then(|v| v.as_str()) else {
            if lifecycle {
                continue;
            }
            return None;
        };
        // npm and yarn run `preX` and `postX` around X.
        if !lifecycle {
            lines.extend(
                all.get(&format!("pre{name}"))
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
            );
        }
        lines.push(if extra.is_empty() || lifecycle {
            main.to_string()
        } else {
            format!("{main} {}", extra.join(" "))
        });
        if !lifecycle {
            lines.extend(
                all.get(&format!("post{name}"))
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
            );
        }
    }
    if lines.is_empty() {
        return None;
    }
    let from = if lifecycle {
        "package.json's lifecycle scripts".to_string()
    } else {
        format!("package.json's script `{}`", names[0])
    };
    Some(sized(from, pkg, lines, names.len()))
}

/// `run-s A B`, `run-p 'lint:*'`, `npm-run-all -s A -p B`: the scripts they name (a `*` in a name
/// matches within one `:` part, as npm-run-all does).
pub(super) fn run_all(args: &[Arg], scope: &Scope, files: &mut Files) -> Option<Recipe> {
    if args.iter().any(|a| !a.exact) {
        return None;
    }
    let dir = package_dir(scope.cwd.as_deref()?, files)?;
    let all = scripts(&dir, files)?;
    let mut lines = Vec::new();
    let mut names = Vec::new();
    for a in args.iter().filter(|a| !a.text.starts_with('-')) {
        let pattern = a.text.split_whitespace().next().unwrap_or_default();
        for (name, text) in &all {
            let hit = if pattern.contains('*') {
                crate::project::scope::segment(&pattern.replace(':', "/"), &name.replace(':', "/"))
                    || pattern.ends_with(":*") && name.starts_with(pattern.trim_end_matches('*'))
            } else {
                name == pattern
            };
            if hit && let Some(t) = text.as_str() {
                names.push(name.clone());
                lines.push(t.to_string());
            }
        }
    }
    if lines.is_empty() {
        return None;
    }
    Some(sized(
        format!("package.json's scripts {}", names.join(", ")),
        dir,
        lines,
        names.len(),
    ))
}
