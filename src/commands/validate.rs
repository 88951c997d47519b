//! `so-hook validate`: the wave manifest, the project policy and the Session Config, checked with
//! messages that name the file, the line and column, what is wrong and what is allowed.
//!
//! The manifest is held to the original plugin's validator (every key present, `wave` > 0, a
//! non-empty `role`, `enforcement` one of three, non-empty `allowedPaths` entries without `../`,
//! no absolute grant of `/`, a system directory or a home root), with warnings for patterns that
//! allow everything. Anything the hook itself would refuse is an error here too.

use crate::hook::call::Platform;
use crate::project::manifest::{self, STATE_DIRS};
use crate::project::policy;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// A wave manifest (`wave-scope.json`).
    Manifest,
    /// The project policy (`.so-hook/policy.json`).
    Policy,
    /// The `## Session Config` section of CLAUDE.md or AGENTS.md.
    Config,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One finding about one place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    /// `error: message`, for text that is not in a file yet.
    pub fn message_without_place(&self) -> String {
        match self.severity {
            Severity::Warning => format!("warning: {}", self.message),
            Severity::Error => format!("error: {}", self.message),
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            f,
            "{}:{}:{}: {sev}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// Where each value of a JSON text starts, by JSON pointer (`/allowedPaths/2`), as (line, column),
/// both 1-based. The text must be valid JSON.
pub fn positions(text: &str) -> HashMap<String, (usize, usize)> {
    struct Scan<'a> {
        b: &'a [u8],
        i: usize,
        line: usize,
        line_start: usize,
        out: HashMap<String, (usize, usize)>,
    }
    impl Scan<'_> {
        fn ws(&mut self) {
            while let Some(&c) = self.b.get(self.i) {
                match c {
                    b'\n' => {
                        self.i += 1;
                        self.line += 1;
                        self.line_start = self.i;
                    }
                    b' ' | b'\t' | b'\r' => self.i += 1,
                    _ => break,
                }
            }
        }
        fn here(&self) -> (usize, usize) {
            // Columns count characters, as editors show them.
            let col = String::from_utf8_lossy(&self.b[self.line_start..self.i])
                .chars()
                .count();
            (self.line, col + 1)
        }
        fn string(&mut self) -> String {
            let start = self.i;
            self.i += 1;
            while let Some(&c) = self.b.get(self.i) {
                self.i += 1;
                match c {
                    b'\\' => self.i += 1,
                    b'"' => break,
                    _ => {}
                }
            }
            serde_json::from_slice(&self.b[start..self.i]).unwrap_or_default()
        }
        fn value(&mut self, pointer: String, depth: usize) {
            self.ws();
            let at = self.here();
            self.out.insert(pointer.clone(), at);
            if depth > 128 {
                return;
            }
            match self.b.get(self.i) {
                Some(b'{') => {
                    self.i += 1;
                    loop {
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b'}') | None => {
                                self.i += 1;
                                break;
                            }
                            Some(b',') => self.i += 1,
                            Some(b'"') => {
                                let key = self.string();
                                self.ws();
                                self.i += 1; // ':'
                                let escaped = key.replace('~', "~0").replace('/', "~1");
                                self.value(format!("{pointer}/{escaped}"), depth + 1);
                            }
                            Some(_) => self.i += 1,
                        }
                    }
                }
                Some(b'[') => {
                    self.i += 1;
                    let mut n = 0;
                    loop {
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b']') | None => {
                                self.i += 1;
                                break;
                            }
                            Some(b',') => self.i += 1,
                            Some(_) => {
                                self.value(format!("{pointer}/{n}"), depth + 1);
                                n += 1;
                            }
                        }
                    }
                }
                Some(b'"') => {
                    self.string();
                }
                Some(_) => {
                    while let Some(&c) = self.b.get(self.i) {
                        if matches!(c, b',' | b'}' | b']') || c.is_ascii_whitespace() {
                            break;
                        }
                        self.i += 1;
                    }
                }
                None => {}
            }
        }
    }
    let mut s = Scan {
        b: text.as_bytes(),
        i: 0,
        line: 1,
        line_start: 0,
        out: HashMap::new(),
    };
    s.value(String::new(), 0);
    s.out
}

/// Collects diagnostics for one JSON file, placing each at a JSON pointer.
struct Report<'a> {
    file: &'a Path,
    at: HashMap<String, (usize, usize)>,
    out: Vec<Diagnostic>,
}

impl Report<'_> {
    fn push(&mut self, pointer: &str, severity: Severity, message: String) {
        // The nearest enclosing value that has a position.
        let mut p = pointer.to_string();
        let (line, column) = loop {
            if let Some(pos) = self.at.get(&p) {
                break *pos;
            }
            match p.rfind('/') {
                Some(i) => p.truncate(i),
                None => break (1, 1),
            }
        };
        self.out.push(Diagnostic {
            file: self.file.to_path_buf(),
            line,
            column,
            severity,
            message,
        });
    }
    fn error(&mut self, pointer: &str, message: String) {
        self.push(pointer, Severity::Error, message);
    }
    fn warn(&mut self, pointer: &str, message: String) {
        self.push(pointer, Severity::Warning, message);
    }
}

/// A JSON syntax or shape error from serde, at its own position.
fn syntax(file: &Path, e: &serde_json::Error) -> Diagnostic {
    let mut msg = e.to_string();
    if let Some(i) = msg.rfind(" at line ") {
        msg.truncate(i);
    }
    Diagnostic {
        file: file.to_path_buf(),
        line: e.line().max(1),
        column: e.column().max(1),
        severity: Severity::Error,
        message: format!("not valid JSON: {msg}"),
    }
}

/// Checks a wave manifest's text: what the hook refuses is an error (the same reading,
/// `manifest::read`), and nothing else is; the rest are warnings.
pub fn manifest_text(file: &Path, text: &str, home: Option<&Path>) -> Vec<Diagnostic> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return vec![syntax(file, &e)],
    };
    let mut r = Report {
        file,
        at: positions(text),
        out: Vec::new(),
    };
    let Some(obj) = value.as_object() else {
        r.error(
            "",
            "a manifest is a JSON object with wave, role, enforcement, allowedPaths and \
             blockedCommands"
                .into(),
        );
        return r.out;
    };
    for key in obj.keys() {
        if !matches!(
            key.as_str(),
            "wave" | "role" | "enforcement" | "allowedPaths" | "blockedCommands" | "gates"
        ) {
            r.warn(
                &format!("/{key}"),
                format!(
                    "unknown key `{key}` is ignored (known: wave, role, enforcement, \
                     allowedPaths, blockedCommands, gates)"
                ),
            );
        }
    }
    let (read, problems) = manifest::read(text);
    if let Err(manifest::Refusal::Json(e)) = read {
        // The hook refuses the shape; say which values, in words, where serde names one.
        let shape = manifest::shape_problems(&value);
        if shape.is_empty() {
            let mut d = syntax(file, &e);
            d.message = d
                .message
                .replacen("not valid JSON: ", "not a manifest: ", 1);
            r.out.push(d);
        }
        for p in shape {
            r.error(&p.pointer, p.message);
        }
    }
    for p in problems {
        match p.level {
            manifest::Level::Error => r.error(&p.pointer, p.message),
            manifest::Level::Warning => r.warn(&p.pointer, p.message),
        }
    }
    if let (Some(root), Some(items)) = (
        project_of(file),
        obj.get("allowedPaths").and_then(Value::as_array),
    ) {
        pattern_warnings(&mut r, &root, items);
    }
    // A grant of the user's own home, wherever it is, is worth a second look.
    let refused = r.out.iter().any(|d| d.severity == Severity::Error);
    if let (Some(home), Some(items), false) = (
        home,
        obj.get("allowedPaths").and_then(Value::as_array),
        refused,
    ) {
        for (i, item) in items.iter().enumerate() {
            if item
                .as_str()
                .is_some_and(|p| crate::project::paths::normalize(Path::new(p)) == home)
            {
                r.warn(
                    &format!("/allowedPaths/{i}"),
                    format!(
                        "`{}` grants the whole home directory",
                        item.as_str().unwrap_or_default()
                    ),
                );
            }
        }
    }
    r.out.sort_by_key(|d| (d.line, d.column));
    r.out
}

/// The project a manifest belongs to: the parent of its state directory (`.claude`, ...).
fn project_of(file: &Path) -> Option<PathBuf> {
    let dir = file.parent()?;
    let name = dir.file_name()?.to_str()?;
    STATE_DIRS
        .contains(&name)
        .then(|| dir.parent().map(Path::to_path_buf))
        .flatten()
        .filter(|root| root.is_dir())
}

/// Most files and directories of the project looked at for the pattern warnings.
const MAX_SCANNED: usize = 20_000;

/// The project's files and directories (project-relative, `/`-separated), up to
/// [`MAX_SCANNED`], without `.git` and the directories tools regenerate.
fn project_entries(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            if out.len() >= MAX_SCANNED {
                return out;
            }
            let name = e.file_name().to_string_lossy().into_owned();
            let path = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            if is_dir
                && (name == ".git"
                    || crate::guard::class::REGENERATED_DIRS.contains(&name.as_str()))
            {
                continue;
            }
            if is_dir {
                stack.push((e.path(), path.clone()));
            }
            out.push(path);
        }
    }
    out
}

/// Warnings about patterns as the project stands: a directory named without its trailing slash
/// (which allows only that path, not the files in it), and a pattern that matches nothing.
fn pattern_warnings(r: &mut Report, root: &Path, items: &[Value]) {
    let mut entries: Option<Vec<String>> = None;
    for (i, item) in items.iter().enumerate() {
        let Some(p) = item.as_str() else { continue };
        let p = p.trim().trim_start_matches("./");
        if p.is_empty() || p.starts_with('/') || p.starts_with('~') || p.contains("..") {
            continue;
        }
        let here = format!("/allowedPaths/{i}");
        if !p.ends_with('/') && !crate::project::scope::has_wildcard(p) && root.join(p).is_dir() {
            r.warn(
                &here,
                format!(
                    "`{p}` is a directory: as written it allows no file in it; write `{p}/` for \
                     everything below it"
                ),
            );
            continue;
        }
        let entries = entries.get_or_insert_with(|| project_entries(root));
        let one = [p.to_string()];
        let Ok(allowed) = crate::project::scope::AllowedPaths::new(&one) else {
            continue;
        };
        if !entries.iter().any(|e| allowed.matches(e)) {
            r.warn(
                &here,
                format!(
                    "`{p}` matches nothing in the project now (a file created there later is \
                     allowed); check the spelling"
                ),
            );
        }
    }
}

/// Checks a policy's text (as the hook reads it; the first problem).
pub fn policy_text(file: &Path, text: &str, root: &Path) -> Vec<Diagnostic> {
    if let Err(e) = serde_json::from_str::<Value>(text) {
        return vec![syntax(file, &e)];
    }
    let Err(message) = policy::parse(text, file, root) else {
        return Vec::new();
    };
    let mut r = Report {
        file,
        at: positions(text),
        out: Vec::new(),
    };
    // The hook's message starts with the file (and, for shape errors, its position).
    let prefix = format!("{}:", file.display());
    let rest = message
        .strip_prefix(&prefix)
        .unwrap_or(&message)
        .trim_start();
    // One line per diagnostic (a regex error draws a caret diagram over several).
    let rest = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    let rest = rest.as_str();
    if let Some((pos, msg)) = split_position(rest) {
        r.out.push(Diagnostic {
            file: file.to_path_buf(),
            line: pos.0,
            column: pos.1,
            severity: Severity::Error,
            message: msg.to_string(),
        });
    } else {
        r.error(&pointer_of(rest), rest.to_string());
    }
    r.out
}

/// `3:14: message` -> ((3, 14), "message").
fn split_position(s: &str) -> Option<((usize, usize), &str)> {
    let mut parts = s.splitn(3, ':');
    let line = parts.next()?.trim().parse().ok()?;
    let col = parts.next()?.trim().parse().ok()?;
    Some(((line, col), parts.next()?.trim()))
}

/// The JSON pointer a policy message names first: `rules[2].regex ...` -> `/rules/2/regex`.
fn pointer_of(msg: &str) -> String {
    let word = msg.split_whitespace().next().unwrap_or_default();
    let mut out = String::new();
    for part in word.split('.') {
        match part.split_once('[') {
            Some((name, idx)) => {
                out.push('/');
                out.push_str(name);
                out.push('/');
                out.push_str(idx.trim_end_matches(']'));
            }
            None if part.chars().all(|c| c.is_ascii_alphanumeric()) && !part.is_empty() => {
                out.push('/');
                out.push_str(part);
            }
            None => break,
        }
    }
    out
}

/// Checks the Session Config section of a Markdown file.
pub fn config_file(file: &Path) -> Vec<Diagnostic> {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => return vec![unreadable(file, &e)],
    };
    crate::project::config::parse(&text)
        .problems
        .into_iter()
        .map(|p| Diagnostic {
            file: file.to_path_buf(),
            line: p.line,
            column: 1,
            severity: match p.severity {
                crate::project::config::Severity::Error => Severity::Error,
                crate::project::config::Severity::Warning => Severity::Warning,
            },
            message: p.message,
        })
        .collect()
}

fn unreadable(file: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic {
        file: file.to_path_buf(),
        line: 1,
        column: 1,
        severity: Severity::Error,
        message: format!("cannot be read: {e}"),
    }
}

/// What a file is, by its name.
pub fn kind_of(file: &Path) -> Option<Kind> {
    let name = file.file_name()?.to_str()?;
    if name == manifest::FILE_NAME {
        Some(Kind::Manifest)
    } else if name == "policy.json" {
        Some(Kind::Policy)
    } else if name.ends_with(".md") {
        Some(Kind::Config)
    } else {
        None
    }
}

/// Checks one file of a known kind (`-` reads standard input).
pub fn file(file: &Path, kind: Kind, root: &Path, home: Option<&Path>) -> Vec<Diagnostic> {
    if kind == Kind::Config {
        return config_file(file);
    }
    let read = if file == Path::new("-") {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map(|_| s)
    } else {
        std::fs::read_to_string(file)
    };
    let text = match read {
        Ok(t) => t,
        Err(e) => return vec![unreadable(file, &e)],
    };
    let shown = if file == Path::new("-") {
        Path::new("<stdin>")
    } else {
        file
    };
    match kind {
        Kind::Manifest => manifest_text(shown, &text, home),
        Kind::Policy => policy_text(shown, &text, root),
        Kind::Config => unreachable!("handled above"),
    }
}

/// The files of a project that so-hook reads: its manifests, its policy and its Session Config.
pub fn project_files(root: &Path, platform: Option<Platform>) -> Vec<(PathBuf, Kind)> {
    let mut out: Vec<(PathBuf, Kind)> = STATE_DIRS
        .iter()
        .map(|d| root.join(d).join(manifest::FILE_NAME))
        .filter(|p| p.exists())
        .map(|p| (p, Kind::Manifest))
        .collect();
    let policy = root.join(policy::RELATIVE_PATH);
    if policy.exists() {
        out.push((policy, Kind::Policy));
    }
    match platform {
        Some(p) => {
            out.extend(crate::project::config::locate(root, Some(p)).map(|f| (f, Kind::Config)))
        }
        None => out.extend(
            ["CLAUDE.md", "AGENTS.md"]
                .iter()
                .map(|f| root.join(f))
                .filter(|p| p.is_file())
                .map(|p| (p, Kind::Config)),
        ),
    }
    out
}

/// One `so-hook validate` run.
pub struct Request {
    pub files: Vec<PathBuf>,
    pub kind: Option<Kind>,
    /// Check the pack of the repository at this directory instead.
    pub plugin: Option<PathBuf>,
    pub root: PathBuf,
    pub json: bool,
}

/// Prints the diagnostics; returns 0 (no error), 1 (an error) or 2 (nothing to check).
pub fn run(req: &Request) -> i32 {
    if let Some(dir) = &req.plugin {
        let (diags, files) = crate::commands::pack::check(dir);
        return report(&diags, &[(dir.clone(), "plugin")], files, req.json);
    }
    let root = std::fs::canonicalize(&req.root).unwrap_or_else(|_| req.root.clone());
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let targets: Vec<(PathBuf, Kind)> = if req.files.is_empty() {
        project_files(&root, None)
    } else {
        let mut t = Vec::new();
        for f in &req.files {
            match req.kind.or_else(|| kind_of(f)) {
                Some(k) => t.push((f.clone(), k)),
                None => {
                    eprintln!(
                        "so-hook validate: cannot tell what {} is; pass --kind manifest, policy \
                         or config",
                        f.display()
                    );
                    return 2;
                }
            }
        }
        t
    };
    if targets.is_empty() {
        eprintln!(
            "so-hook validate: {} has no manifest, policy, CLAUDE.md or AGENTS.md to check",
            root.display()
        );
        return 2;
    }
    let mut all = Vec::new();
    for (f, k) in &targets {
        all.extend(file(f, *k, &root, home.as_deref()));
    }
    let checked: Vec<(PathBuf, &str)> = targets
        .iter()
        .map(|(f, k)| {
            let kind = match k {
                Kind::Manifest => "manifest",
                Kind::Policy => "policy",
                Kind::Config => "config",
            };
            (f.clone(), kind)
        })
        .collect();
    report(&all, &checked, checked.len(), req.json)
}

/// Prints diagnostics and a summary (or one JSON object); returns 1 when there is an error.
fn report(all: &[Diagnostic], targets: &[(PathBuf, &str)], files: usize, json_out: bool) -> i32 {
    let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = all.len() - errors;
    if json_out {
        let items: Vec<Value> = all
            .iter()
            .map(|d| {
                json!({"file": d.file.display().to_string(), "line": d.line, "column": d.column,
                       "severity": if d.severity == Severity::Error { "error" } else { "warning" },
                       "message": d.message})
            })
            .collect();
        let checked: Vec<Value> = targets
            .iter()
            .map(|(f, k)| json!({"file": f.display().to_string(), "kind": k}))
            .collect();
        println!(
            "{}",
            json!({"checked": checked, "errors": errors, "warnings": warnings, "diagnostics": items})
        );
    } else {
        for d in all {
            println!("{d}");
        }
        println!(
            "{files} file{} checked: {errors} error{}, {warnings} warning{}",
            if files == 1 { "" } else { "s" },
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
        );
    }
    i32::from(errors > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Vec<String> {
        manifest_text(Path::new("m.json"), text, Some(Path::new("/home/me")))
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    const GOOD: &str = r#"{"wave": 1, "role": "Impl-Core", "enforcement": "strict", "allowedPaths": ["src/"], "blockedCommands": []}"#;

    #[test]
    fn a_good_manifest_is_clean() {
        assert!(check(GOOD).is_empty(), "{:?}", check(GOOD));
    }

    #[test]
    fn positions_follow_pointers() {
        let text = "{\n  \"a\": [1,\n    \"x\"],\n  \"b/c\": {\"d\": null}\n}";
        let p = positions(text);
        assert_eq!(p["/a"], (2, 8));
        assert_eq!(p["/a/1"], (3, 5));
        assert_eq!(p["/b~1c/d"], (4, 16));
    }

    #[test]
    fn every_malformed_case_has_its_place_and_reason() {
        let text = "{\n  \"wave\": 0,\n  \"role\": \"\",\n  \"enforcement\": \"loose\",\n  \"allowedPaths\": [\"src/\", \"\", \"../x\", \"/\", \"/etc\", \"/home/me\", \"**\", \"/srv/data/x\"],\n  \"blockedCommands\": \"rm\",\n  \"gates\": {\"path-guard\": \"no\", \"typo\": true}\n}";
        let out = check(text);
        let has = |s: &str| out.iter().any(|l| l.contains(s));
        // The shape first: the hook refuses these, so the values are not read further.
        assert!(
            has("m.json:6:22: error: blockedCommands is \"rm\""),
            "{out:#?}"
        );
        assert!(
            has("m.json:7:27: error: gates.path-guard is \"no\""),
            "{out:#?}"
        );
        let text = text
            .replace("\"rm\"", "[\"rm\"]")
            .replace("\"no\"", "false");
        let out = check(&text);
        let has = |s: &str| out.iter().any(|l| l.contains(s));
        // What the hook reads anyway is a warning (these were errors: the hook uses them).
        assert!(has("m.json:2:11: warning: wave is 0"), "{out:#?}");
        assert!(has("m.json:3:11: warning: role is \"\""), "{out:#?}");
        assert!(
            has("m.json:4:18: warning: enforcement is \"loose\""),
            "{out:#?}"
        );
        assert!(
            has("m.json:5:28: warning: an empty allowedPaths entry is ignored"),
            "{out:#?}"
        );
        assert!(has("error: `../x` climbs out"), "{out:#?}");
        assert!(has("error: `/` would grant"), "{out:#?}");
        assert!(has("error: `/etc` would grant"), "{out:#?}");
        assert!(
            has("error: `/home/me` would grant the whole of a home directory"),
            "{out:#?}"
        );
        assert!(has("warning: `**` allows every file"), "{out:#?}");
        assert!(
            has("warning: `/srv/data/x` grants edits outside"),
            "{out:#?}"
        );
        assert!(has("warning: unknown gate `typo`"), "{out:#?}");
        // The one reading: the hook refuses exactly the errors.
        assert!(manifest::parse(&text, Path::new("m.json")).is_err());
        let ok = GOOD.replace("[\"src/\"]", "[\"src/\", \"\", \"**\", \"/srv/data/x\"]");
        assert!(check(&ok).iter().all(|l| l.contains("warning")));
        assert!(manifest::parse(&ok, Path::new("m.json")).is_ok());
    }

    #[test]
    fn missing_keys_bad_json_and_wrong_shapes() {
        // The contract fills every missing key with a default: warnings (they were errors).
        let out = check("{}");
        assert!(out.iter().all(|l| l.contains("warning")), "{out:#?}");
        for k in [
            "wave",
            "role",
            "enforcement",
            "allowedPaths",
            "blockedCommands",
        ] {
            assert!(
                out.iter().any(|l| l.contains(&format!("missing `{k}`"))),
                "{k}: {out:#?}"
            );
        }
        let out = check("{\n  \"wave\": 1,\n  \"role\": \"x\"\n  \"enforcement\": \"strict\"\n}");
        assert_eq!(out.len(), 1);
        assert!(
            out[0].starts_with("m.json:4:3: error: not valid JSON"),
            "{out:#?}"
        );
        assert!(check("[1]")[0].contains("a manifest is a JSON object"));
        let out = check(&GOOD.replace("[\"src/\"]", "\"src/\""));
        assert!(
            out[0].contains("allowedPaths is \"src/\"; it must be an array"),
            "{out:#?}"
        );
        let out = check(&GOOD.replace("\"Impl-Core\"", "\"Impl-Core\", \"extra\": 1"));
        assert!(out[0].contains("warning: unknown key `extra`"), "{out:#?}");
    }

    #[test]
    fn an_empty_scope_outside_discovery_is_a_warning() {
        let out = check(&GOOD.replace("[\"src/\"]", "[]"));
        assert!(
            out[0].contains("warning: allowedPaths is empty"),
            "{out:#?}"
        );
        let out = check(
            &GOOD
                .replace("[\"src/\"]", "[]")
                .replace("Impl-Core", "Discovery"),
        );
        assert!(out.is_empty(), "{out:#?}");
    }

    #[test]
    fn policy_errors_are_placed() {
        let root = Path::new("/nonexistent/project");
        let text = "{\n  \"rules\": [\n    {\"id\": \"ok\", \"action\": \"warn\", \"command\": \"curl\"},\n    {\"id\": \"bad\", \"action\": \"block\", \"regex\": \"(\"}\n  ]\n}";
        let d = policy_text(Path::new("p.json"), text, root);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column), (4, 47), "{}", d[0]);
        assert!(
            d[0].message.contains("rules[1].regex does not compile"),
            "{}",
            d[0]
        );
        let d = policy_text(Path::new("p.json"), "{\"rulez\": []}", root);
        assert!(d[0].message.contains("unknown field `rulez`"), "{}", d[0]);
        let d = policy_text(Path::new("p.json"), "{\"disable\": [\"nope\"]}", root);
        assert_eq!((d[0].line, d[0].column), (1, 14), "{}", d[0]);
        assert!(policy_text(Path::new("p.json"), "{}", root).is_empty());
        // The other malformed policies of the contract: bad JSON, a wrong type, an unknown rule.
        let d = policy_text(Path::new("p.json"), "{\"rules\": [}", root);
        assert_eq!((d[0].line, d[0].column), (1, 12), "{}", d[0]);
        assert!(d[0].message.starts_with("not valid JSON"), "{}", d[0]);
        let d = policy_text(
            Path::new("p.json"),
            "{\n  \"disable\": \"git-stash-drop\"\n}",
            root,
        );
        assert_eq!(d[0].line, 2, "{}", d[0]);
        assert!(d[0].message.contains("invalid type: string"), "{}", d[0]);
        let d = policy_text(
            Path::new("p.json"),
            "{\"rules\": [{\"id\": \"git-push-force\", \"action\": \"warn\", \"command\": \"x\"}]}",
            root,
        );
        assert!(d[0].message.contains("is a built-in rule id"), "{}", d[0]);
        assert_eq!((d[0].line, d[0].column), (1, 19), "{}", d[0]);
    }
}
