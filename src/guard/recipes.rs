//! `npm run X`, `make X`, `just X`: a script runner is judged by what it runs, read where the
//! runner reads it (the project's `package.json`, Makefile or justfile). A script that cannot be
//! read (no file, no such script, too large, another language) leaves the command judged as it
//! was: no new deny without evidence.

use super::{Arg, Scope, Target, Walker, target};
use crate::hook::decision::clamp;
use std::path::{Path, PathBuf};

/// Most bytes read of a package.json, Makefile or justfile.
const MAX_FILE: u64 = 256 * 1024;
/// Most bytes of script text judged for one runner command (a few KB is any real recipe).
const MAX_TEXT: usize = 16 * 1024;
/// Most targets a make or just command reaches through prerequisites.
const MAX_TARGETS: usize = 32;

/// What a runner command runs: each entry is one shell invocation, in the directory it runs in.
pub struct Recipe {
    /// Where the text was read, for the reason (`package.json's script \`clean\``).
    pub from: String,
    pub dir: PathBuf,
    pub lines: Vec<String>,
}

impl Walker<'_> {
    /// Judges each line of a recipe as the shell the runner starts would run it, in the
    /// recipe's directory; what it finds says which command and script it came from.
    pub(super) fn run_recipe(&mut self, r: &Recipe, scope: &Scope, display: &str) {
        let before = self.findings.len();
        for line in &r.lines {
            let mut at = scope.clone();
            at.cwd = Some(r.dir.clone());
            self.run_code(line, &mut at, display);
        }
        let shown = clamp(display, 120);
        for f in &mut self.findings[before..] {
            f.reason = format!("`{shown}` runs {}: {}", r.from, f.reason);
        }
    }
}

/// The recipe `verb args` runs, when it is one this module reads and its text can be read.
pub fn read(verb: &str, args: &[Arg], scope: &Scope) -> Option<Recipe> {
    if args.iter().any(|a| !a.exact) && !matches!(verb, "make" | "gmake" | "just") {
        return None;
    }
    match verb {
        "npm" | "pnpm" | "yarn" | "bun" => package_script(verb, args, scope),
        "make" | "gmake" => make(args, scope),
        "just" => just(args, scope),
        _ => None,
    }
}

fn read_text(p: &Path) -> Option<String> {
    let f = std::fs::File::open(p).ok()?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::Read::take(f, MAX_FILE + 1), &mut text).ok()?;
    (text.len() as u64 <= MAX_FILE).then_some(text)
}

/// A directory named by an option, from where the command runs.
fn dir_of(value: &str, scope: &Scope) -> Option<PathBuf> {
    match target(&Arg::known(value), scope) {
        Target::Path(p) => Some(p),
        _ => None,
    }
}

fn quoted(a: &Arg) -> String {
    format!("'{}'", a.text.replace('\'', "'\\''"))
}

// ---- package.json scripts ----

/// Package managers' own commands: `pnpm X`/`yarn X` runs the script X only when X is not one.
const PM_BUILTINS: &[&str] = &[
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

fn package_script(verb: &str, args: &[Arg], scope: &Scope) -> Option<Recipe> {
    let mut dir = scope.cwd.clone()?;
    let mut words: Vec<&Arg> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let t = args[i].text.as_str();
        let value = |i: usize| args.get(i + 1).map(|a| a.text.to_string());
        match t {
            "--prefix" | "-C" | "--dir" | "--cwd" => {
                dir = dir_of(&value(i)?, scope)?;
                i += 2;
                continue;
            }
            "--" => {
                words.extend(&args[i..]);
                break;
            }
            _ => {}
        }
        if let Some(d) = ["--prefix=", "--dir=", "--cwd="]
            .iter()
            .find_map(|p| t.strip_prefix(p))
        {
            dir = dir_of(d, scope)?;
        } else if !t.starts_with('-') {
            words.push(&args[i]);
        }
        i += 1;
    }
    let first = words.first()?.text.as_str();
    let (name, rest) = match first {
        "run" | "run-script" | "rum" | "urn" => (words.get(1)?.text.as_str(), &words[2..]),
        "test" | "t" | "tst" | "start" | "stop" | "restart" => {
            let name = match first {
                "t" | "tst" => "test",
                n => n,
            };
            (name, &words[1..])
        }
        // `pnpm build`, `yarn build`: a script when one has that name.
        n if verb != "npm" && verb != "bun" && !PM_BUILTINS.contains(&n) => (n, &words[1..]),
        _ => return None,
    };
    let text = read_text(&dir.join("package.json"))?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let scripts = json.get("scripts")?.as_object()?;
    let main = scripts.get(name)?.as_str()?;
    let extra: Vec<String> = rest
        .iter()
        .filter(|a| a.text != "--")
        .map(|a| quoted(a))
        .collect();
    let mut lines = Vec::new();
    // npm and yarn run `preX` and `postX` around X.
    lines.extend(
        scripts
            .get(&format!("pre{name}"))
            .and_then(|v| v.as_str())
            .map(str::to_string),
    );
    lines.push(if extra.is_empty() {
        main.to_string()
    } else {
        format!("{main} {}", extra.join(" "))
    });
    lines.extend(
        scripts
            .get(&format!("post{name}"))
            .and_then(|v| v.as_str())
            .map(str::to_string),
    );
    Some(Recipe {
        from: format!("package.json's script `{name}`"),
        dir,
        lines,
    })
    .filter(|r| r.lines.iter().map(String::len).sum::<usize>() <= MAX_TEXT)
}

// ---- make ----

/// A Makefile, read: its variables and its explicit rules (targets, prerequisites, recipe).
struct Makefile {
    vars: Vec<(String, String)>,
    rules: Vec<(Vec<String>, Vec<String>, Vec<String>)>,
    default_goal: Option<String>,
}

fn make(args: &[Arg], scope: &Scope) -> Option<Recipe> {
    let mut dir = scope.cwd.clone()?;
    let mut file = None;
    let mut goals = Vec::new();
    let mut overrides = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let t = a.text.as_str();
        let next = || {
            args.get(i + 1)
                .filter(|v| v.exact)
                .map(|v| v.text.to_string())
        };
        match t {
            "-C" | "--directory" => {
                dir = dir_of(
                    &next()?,
                    &Scope {
                        cwd: Some(dir.clone()),
                        ..scope.clone()
                    },
                )?;
                i += 2;
                continue;
            }
            "-f" | "--file" | "--makefile" => {
                file = Some(next()?);
                i += 2;
                continue;
            }
            "-n" | "--dry-run" | "--just-print" | "--recon" | "-q" | "--question" | "-p"
            | "--print-data-base" | "--help" | "-h" | "-v" | "--version" => return None,
            // Options with a value in the same word, or another value after them.
            "-j" | "-l" | "-o" | "-W" | "-I" | "--jobs" | "--load-average" => {}
            _ if t.starts_with('-') => {}
            _ if !a.exact => return None,
            _ => match t.split_once('=') {
                Some((k, v)) => overrides.push((k.to_string(), v.to_string())),
                None => goals.push(t.to_string()),
            },
        }
        i += 1;
    }
    let path = match file {
        Some(f) => dir.join(f),
        None => ["GNUmakefile", "makefile", "Makefile"]
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())?,
    };
    let mut mk = parse_make(&read_text(&path)?);
    mk.vars.extend(overrides);
    if goals.is_empty() {
        goals.push(mk.default_goal.clone()?);
    }
    let shown = goals.join(" ");
    let mut lines = Vec::new();
    let mut seen = Vec::new();
    for g in &goals {
        make_target(&mk, g, &mut seen, &mut lines);
    }
    let total: usize = lines.iter().map(String::len).sum();
    (total <= MAX_TEXT && !lines.is_empty()).then(|| Recipe {
        from: format!("the Makefile's recipe for `{shown}`"),
        dir,
        lines,
    })
}

/// Adds the recipe lines of `target` and of its prerequisites (first) to `lines`.
fn make_target(mk: &Makefile, target: &str, seen: &mut Vec<String>, lines: &mut Vec<String>) {
    if seen.iter().any(|s| s == target) || seen.len() >= MAX_TARGETS {
        return;
    }
    seen.push(target.to_string());
    for (targets, prereqs, recipe) in &mk.rules {
        if !targets.iter().any(|t| t == target) {
            continue;
        }
        for p in prereqs {
            make_target(mk, p, seen, lines);
        }
        for line in recipe {
            lines.push(make_expand(mk, line, target, prereqs, 0));
        }
    }
}

/// A recipe line as the shell gets it: `$(VAR)` and `${VAR}` replaced by the Makefile's value
/// (an unknown one, or a function, becomes a shell variable nobody set: not knowable), `$@` by
/// the target, `$^`/`$<` by the prerequisites, `$$` by `$`; the `@`, `-` and `+` prefixes dropped.
fn make_expand(
    mk: &Makefile,
    line: &str,
    target: &str,
    prereqs: &[String],
    depth: usize,
) -> String {
    let line = if depth == 0 {
        line.trim_start()
            .trim_start_matches(['@', '-', '+'])
            .trim_start()
    } else {
        line
    };
    let mut out = String::new();
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        match chars.peek().map(|&(_, n)| n) {
            Some('$') => {
                chars.next();
                out.push('$');
            }
            Some('@') => {
                chars.next();
                out.push_str(target);
            }
            Some('<') => {
                chars.next();
                out.push_str(prereqs.first().map_or("", String::as_str));
            }
            Some('^' | '+') => {
                chars.next();
                out.push_str(&prereqs.join(" "));
            }
            Some(open @ ('(' | '{')) => {
                let close = if open == '(' { ')' } else { '}' };
                // The matching close, nesting counted.
                let body_start = i + 2;
                let mut level = 0;
                let mut end = None;
                for (j, ch) in line[body_start..].char_indices() {
                    if ch == open {
                        level += 1;
                    } else if ch == close {
                        if level == 0 {
                            end = Some(body_start + j);
                            break;
                        }
                        level -= 1;
                    }
                }
                let Some(end) = end else {
                    out.push_str(&line[i..]);
                    break;
                };
                let name = &line[body_start..end];
                while chars.peek().is_some_and(|&(k, _)| k <= end) {
                    chars.next();
                }
                let plain = name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
                let value = plain.then(|| {
                    mk.vars
                        .iter()
                        .rev()
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.clone())
                        .or_else(|| match name {
                            "RM" => Some("rm -f".to_string()),
                            "MAKE" => Some("make".to_string()),
                            _ => None,
                        })
                });
                match value.flatten() {
                    Some(v) if depth < 8 => {
                        out.push_str(&make_expand(mk, &v, target, prereqs, depth + 1))
                    }
                    _ if plain => out.push_str(&format!("${{{name}}}")),
                    _ => out.push_str("${make_function_value}"),
                }
            }
            // `$*`, `$?`, `$|`, `$%`: parts of the target or prerequisites, not known here.
            Some(_) => {
                chars.next();
                out.push_str("${make_automatic_value}");
            }
            None => out.push('$'),
        }
    }
    out
}

fn parse_make(text: &str) -> Makefile {
    // Backslash-newline joins lines (in recipes too, where the shell gets both).
    let joined = text.replace("\\\r\n", " ").replace("\\\n", " ");
    let mut mk = Makefile {
        vars: Vec::new(),
        rules: Vec::new(),
        default_goal: None,
    };
    let mut current: Option<usize> = None;
    for line in joined.lines() {
        if let Some(body) = line.strip_prefix('\t') {
            if let Some(r) = current {
                if !body.trim().is_empty() && !body.trim_start().starts_with('#') {
                    mk.rules[r].2.push(body.to_string());
                }
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let word = trimmed.split_whitespace().next().unwrap_or("");
        if matches!(
            word,
            "ifeq"
                | "ifneq"
                | "ifdef"
                | "ifndef"
                | "else"
                | "endif"
                | "include"
                | "-include"
                | "sinclude"
                | "define"
                | "endef"
                | "vpath"
                | "unexport"
        ) {
            continue;
        }
        let stripped = trimmed
            .strip_prefix("export ")
            .or_else(|| trimmed.strip_prefix("override "))
            .unwrap_or(trimmed);
        // An assignment: the first `=` comes before any `:` that is not part of `:=`/`::=`.
        if let Some(eq) = stripped.find('=') {
            let head = &stripped[..eq];
            let colon = head.find(':');
            let op_colon = head.trim_end_matches([':', '?', '+', '!']).len();
            if colon.is_none_or(|c| c >= op_colon) {
                let name = head.trim_end_matches([':', '?', '+', '!']).trim();
                let op = &head[op_colon..];
                let value = stripped[eq + 1..].trim().to_string();
                current = None;
                if op == "!" {
                    mk.vars
                        .push((name.to_string(), "${make_shell_value}".to_string()));
                } else if op == "+" {
                    let old = mk
                        .vars
                        .iter()
                        .rev()
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default();
                    mk.vars.push((name.to_string(), format!("{old} {value}")));
                } else if op != "?" || !mk.vars.iter().any(|(k, _)| k == name) {
                    if name == ".DEFAULT_GOAL" {
                        mk.default_goal = Some(value.clone());
                    }
                    mk.vars.push((name.to_string(), value));
                }
                continue;
            }
        }
        // A rule: `targets: prerequisites [; recipe]`.
        if let Some(colon) = trimmed.find(':') {
            let targets: Vec<String> = trimmed[..colon]
                .split_whitespace()
                .map(str::to_string)
                .collect();
            let after = trimmed[colon..].trim_start_matches(':');
            let (prereqs, inline) = match after.split_once(';') {
                Some((p, r)) => (p, Some(r.trim().to_string())),
                None => (after, None),
            };
            let prereqs: Vec<String> = prereqs
                .split('|')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .map(str::to_string)
                .collect();
            if mk.default_goal.is_none()
                && let Some(t) = targets
                    .iter()
                    .find(|t| !t.starts_with('.') && !t.contains('%'))
            {
                mk.default_goal = Some(t.clone());
            }
            mk.rules
                .push((targets, prereqs, inline.into_iter().collect()));
            current = Some(mk.rules.len() - 1);
            continue;
        }
        current = None;
    }
    mk
}

// ---- just ----

fn just(args: &[Arg], scope: &Scope) -> Option<Recipe> {
    let mut dir = scope.cwd.clone()?;
    let mut file = None;
    let mut words = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let t = args[i].text.as_str();
        let next = || {
            args.get(i + 1)
                .filter(|v| v.exact)
                .map(|v| v.text.to_string())
        };
        match t {
            "-f" | "--justfile" => {
                file = Some(next()?);
                i += 2;
                continue;
            }
            "-d" | "--working-directory" => {
                dir = dir_of(&next()?, scope)?;
                i += 2;
                continue;
            }
            "-n" | "--dry-run" | "-l" | "--list" | "--summary" | "--show" | "-s" | "--help"
            | "-h" | "--evaluate" | "--dump" | "--choose" | "--edit" | "-e" => return None,
            _ if t.starts_with('-') => {}
            _ => words.push(&args[i]),
        }
        i += 1;
    }
    let path = match file {
        Some(f) => dir.join(f),
        None => {
            // just looks upward from where it runs.
            let mut at = Some(dir.as_path());
            let mut found = None;
            while let Some(d) = at {
                if let Some(p) = ["justfile", "Justfile", ".justfile"]
                    .iter()
                    .map(|n| d.join(n))
                    .find(|p| p.is_file())
                {
                    found = Some(p);
                    break;
                }
                at = d.parent();
            }
            found?
        }
    };
    let text = read_text(&path)?;
    let (recipes, vars) = parse_just(&text);
    let name = match words.first() {
        Some(a) if a.exact => a.text.to_string(),
        Some(_) => return None,
        None => recipes.first()?.0.clone(),
    };
    let mut lines = Vec::new();
    let mut seen = Vec::new();
    just_recipe(&recipes, &name, &mut seen, &mut lines);
    let lines: Vec<String> = lines.iter().map(|l| interpolate(l, &vars)).collect();
    let total: usize = lines.iter().map(String::len).sum();
    (total <= MAX_TEXT && !lines.is_empty()).then(|| Recipe {
        from: format!("the justfile's recipe `{name}`"),
        dir: path.parent().map_or(dir, Path::to_path_buf),
        lines,
    })
}

type JustRecipe = (String, Vec<String>, Vec<String>);

fn just_recipe(
    recipes: &[JustRecipe],
    name: &str,
    seen: &mut Vec<String>,
    lines: &mut Vec<String>,
) {
    if seen.iter().any(|s| s == name) || seen.len() >= MAX_TARGETS {
        return;
    }
    seen.push(name.to_string());
    let Some((_, deps, body)) = recipes.iter().find(|(n, _, _)| n == name) else {
        return;
    };
    for d in deps {
        just_recipe(recipes, d, seen, lines);
    }
    // A shebang recipe in another language is not read (no new deny without evidence); one for a
    // POSIX shell is one script.
    match body.first() {
        Some(first) if first.starts_with("#!") => {
            let shell = ["sh", "bash", "dash", "zsh"]
                .iter()
                .any(|s| first.ends_with(&format!("/{s}")) || first.ends_with(&format!(" {s}")));
            if shell {
                lines.push(body[1..].join("\n"));
            }
        }
        _ => lines.extend(body.iter().cloned()),
    }
}

/// A justfile's recipes (name, dependencies and body lines, the `@`/`-` prefixes dropped) and its
/// variables with a literal value (`dir := "build"`).
fn parse_just(text: &str) -> (Vec<JustRecipe>, Vec<(String, String)>) {
    let mut out: Vec<JustRecipe> = Vec::new();
    let mut vars = Vec::new();
    let mut current: Option<usize> = None;
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(r) = current {
                let body = line.trim();
                if !body.is_empty() {
                    let body = if out[r].2.first().is_some_and(|f| f.starts_with("#!")) {
                        body
                    } else {
                        body.trim_start_matches(['@', '-'])
                    };
                    out[r].2.push(body.to_string());
                }
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('[') {
            continue;
        }
        current = None;
        let head = trimmed.trim_start_matches('@');
        let Some((sig, deps)) = head.split_once(':') else {
            continue;
        };
        // `name := value` is an assignment, not a recipe.
        if let Some(value) = deps.strip_prefix('=') {
            let name = sig.trim().trim_start_matches("export ").trim();
            let value = value.trim();
            let literal = ['"', '\'']
                .iter()
                .find_map(|q| value.strip_prefix(*q)?.strip_suffix(*q))
                .filter(|v| !v.contains(['"', '\'', '\\']));
            if let Some(v) = literal {
                vars.push((name.to_string(), v.to_string()));
            }
            continue;
        }
        if sig.starts_with("set ") || sig.starts_with("alias ") {
            continue;
        }
        let mut parts = sig.split_whitespace();
        let Some(name) = parts.next() else { continue };
        if !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            continue;
        }
        let deps = deps
            .split_whitespace()
            .filter(|d| !d.starts_with('(') && !d.starts_with('&'))
            .map(|d| d.trim_matches(|c| c == '(' || c == ')').to_string())
            .collect();
        out.push((name.to_string(), deps, Vec::new()));
        current = Some(out.len() - 1);
    }
    (out, vars)
}

/// A line with its `{{...}}` interpolations replaced: a variable with a literal value by it, any
/// other by a shell variable nobody set (not knowable).
fn interpolate(line: &str, vars: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        match rest[start + 2..].find("}}") {
            Some(end) => {
                let inner = rest[start + 2..start + 2 + end].trim();
                let plain = inner
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_');
                if let Some((_, v)) = vars.iter().rev().find(|(k, _)| k == inner) {
                    out.push_str(v);
                } else if plain && !inner.is_empty() {
                    out.push_str(&format!("${{{inner}}}"));
                } else {
                    out.push_str("${just_value}");
                }
                rest = &rest[start + 2 + end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_makefile_gives_each_target_its_recipe_prerequisites_first() {
        let mk = parse_make(
            "BUILD := out\nSRC = src\n.PHONY: clean\n\nall: build\nbuild:\n\t@cargo build\n\
             clean: clean-pyc\n\t-$(RM) -r $(BUILD) \\\n\t  $(SRC)\n\techo $@ $$HOME\n\
             clean-pyc:\n\tfind . -name '*.pyc' -delete\nx: ; rm -rf $(shell pwd)\n",
        );
        assert_eq!(mk.default_goal.as_deref(), Some("all"));
        let mut lines = Vec::new();
        make_target(&mk, "clean", &mut Vec::new(), &mut lines);
        assert_eq!(
            lines,
            vec![
                "find . -name '*.pyc' -delete".to_string(),
                "rm -f -r out  \t  src".to_string(),
                "echo clean $HOME".to_string(),
            ]
        );
        let mut lines = Vec::new();
        make_target(&mk, "x", &mut Vec::new(), &mut lines);
        assert_eq!(lines, vec!["rm -rf ${make_function_value}".to_string()]);
    }

    #[test]
    fn a_justfile_gives_each_recipe_its_body_dependencies_first() {
        let (recipes, vars) = parse_just(
            "set shell := [\"bash\", \"-c\"]\ndir := \"build\"\n\ndefault:\n  just --list\n\n\
             [private]\nclean arg=\"x\": prep\n    @rm -rf {{dir}}\n    -echo {{ arg + \"y\" }}\n\
             prep:\n\tmkdir -p tmp\npy:\n  #!/usr/bin/env python3\n  import shutil\n",
        );
        let names: Vec<&str> = recipes.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(names, ["default", "clean", "prep", "py"]);
        let mut lines = Vec::new();
        just_recipe(&recipes, "clean", &mut Vec::new(), &mut lines);
        let lines: Vec<String> = lines.iter().map(|l| interpolate(l, &vars)).collect();
        assert_eq!(
            lines,
            ["mkdir -p tmp", "rm -rf build", "echo ${just_value}"]
        );
        let mut lines = Vec::new();
        just_recipe(&recipes, "py", &mut Vec::new(), &mut lines);
        assert!(lines.is_empty());
    }
}
