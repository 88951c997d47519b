//! The wave manifest, `<state-dir>/wave-scope.json`: which files the current wave may edit and which
//! extra commands it may not run. Compatible with the original session-orchestrator plugin.

use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where manifests live, relative to the project root, in the order they are reported.
pub const STATE_DIRS: [&str; 6] = [
    ".claude",
    ".codex",
    ".cursor",
    ".gemini",
    ".copilot",
    ".opencode",
];
pub const FILE_NAME: &str = "wave-scope.json";

/// Commands a wave blocks when its `blockedCommands` is empty or missing.
pub const FALLBACK_BLOCKED: &[&str] = &[
    "rm -rf",
    "git push --force",
    "git push -f",
    "git reset --hard",
    "DROP TABLE",
    "git checkout -- .",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enforcement {
    Strict,
    Warn,
    Off,
}

/// A parsed manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub wave: Option<u64>,
    pub role: Option<String>,
    pub enforcement: Enforcement,
    /// An `enforcement` value that is not `strict|warn|off` (treated as strict, with a notice).
    pub unknown_enforcement: Option<String>,
    pub allowed_paths: Vec<String>,
    pub blocked_commands: Vec<String>,
    /// `path-guard`: edits are held to `allowedPaths`.
    pub path_guard: bool,
    /// `command-guard`: `blockedCommands` applies.
    pub command_guard: bool,
    /// `bash-write-guard` as given (its default belongs to the shell-write guard).
    pub bash_write_guard: Option<bool>,
    /// `post-edit-validate`: the project's type-check runs after an edit.
    pub post_edit_validate: bool,
}

impl Manifest {
    /// The wave gave no blocked commands of its own.
    pub fn uses_fallback(&self) -> bool {
        self.blocked_commands.iter().all(|c| c.trim().is_empty())
    }

    /// Shell commands that write files are held to `allowedPaths` (`gates.bash-write-guard`): on
    /// by default in a strict wave, off by default in a warn wave, never in an `off` one.
    pub fn guards_shell_writes(&self) -> bool {
        self.enforcement != Enforcement::Off
            && self
                .bash_write_guard
                .unwrap_or(self.enforcement == Enforcement::Strict)
    }

    /// How a step out of scope is answered: a deny in a strict wave, a warning in a warn wave.
    pub fn verdict(&self) -> crate::hook::decision::Verdict {
        match self.enforcement {
            Enforcement::Warn => crate::hook::decision::Verdict::Warn,
            _ => crate::hook::decision::Verdict::Deny,
        }
    }

    /// The wave as a reason names it: `wave 2 (Impl-Core)`.
    pub fn label(&self) -> String {
        match (self.wave, &self.role) {
            (Some(w), Some(r)) => format!("wave {w} ({r})"),
            (Some(w), None) => format!("wave {w}"),
            (None, Some(r)) => format!("the {r} wave"),
            (None, None) => "the current wave".to_string(),
        }
    }

    /// What the wave may change, as a reason shows it: the first patterns, enough to fill a line
    /// (a manifest may hold thousands).
    pub fn scope_summary(&self) -> String {
        if self.allowed_paths.is_empty() {
            return "no files at all (a read-only wave)".to_string();
        }
        let mut shown = String::new();
        for p in &self.allowed_paths {
            if shown.len() > 300 {
                break;
            }
            if !shown.is_empty() {
                shown.push_str(", ");
            }
            shown.push_str(p);
        }
        crate::hook::decision::clamp(&shown, 300)
    }

    /// The wave's blocked command patterns, with the fallback list for an empty one.
    pub fn blocked(&self) -> Vec<String> {
        if self.uses_fallback() {
            FALLBACK_BLOCKED.iter().map(|s| s.to_string()).collect()
        } else {
            self.blocked_commands.clone()
        }
    }
}

/// A manifest file found in the project, parsed or not.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    pub manifest: Result<Manifest, String>,
}

/// Rejects `null` where a value is present: a key given as `null` is malformed, not absent.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw {
    #[serde(default, deserialize_with = "present")]
    wave: Option<u64>,
    #[serde(default, deserialize_with = "present")]
    role: Option<String>,
    #[serde(default, deserialize_with = "present")]
    enforcement: Option<String>,
    #[serde(default, deserialize_with = "present")]
    allowed_paths: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present")]
    blocked_commands: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present")]
    gates: Option<BTreeMap<String, bool>>,
}

const SHAPE: &str = "expected keys: wave (integer), role (string), enforcement (\"strict\" | \"warn\" | \
                     \"off\"), allowedPaths (array of strings), blockedCommands (array of strings), \
                     gates (object of booleans)";

/// `file:line:column: problem` for a JSON error.
pub fn json_error(path: &Path, e: &serde_json::Error, text: &str) -> String {
    let mut msg = e.to_string();
    if let Some(i) = msg.rfind(" at line ") {
        msg.truncate(i);
    }
    let line = text
        .lines()
        .nth(e.line().saturating_sub(1))
        .unwrap_or("")
        .trim();
    let near = if line.is_empty() || e.line() == 0 {
        String::new()
    } else {
        format!(" (near `{}`)", crate::hook::decision::clamp(line, 80))
    };
    format!(
        "{}:{}:{}: {msg}{near}",
        path.display(),
        e.line(),
        e.column()
    )
}

/// A file the coordinating session keeps whatever the wave's scope: its `STATE.md` (a
/// project-relative path).
pub fn coordinator_file(rel: &str) -> bool {
    STATE_DIRS
        .iter()
        .any(|d| rel.strip_prefix(d) == Some("/STATE.md"))
}

/// How much a problem with a manifest matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// The hook reads the manifest anyway (a default fills the gap, or the entry does little).
    Warning,
    /// The hook refuses the manifest: every guarded call is denied until it is repaired.
    Error,
}

/// One problem, at a JSON pointer (`/allowedPaths/2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub pointer: String,
    pub level: Level,
    pub message: String,
}

/// Roles the original plugin names (free text is allowed).
pub const ROLES: &[&str] = &[
    "Discovery",
    "Impl-Core",
    "Impl-Polish",
    "Quality",
    "Finalization",
];
/// Gates a manifest may switch.
pub const GATES: &[&str] = &[
    "path-guard",
    "command-guard",
    "post-edit-validate",
    "bash-write-guard",
];

/// What an absolute grant opens, when that is too much: the file system, a system directory or a
/// user's home (`/home/NAME`, `/Users/NAME`, `/root`).
fn too_wide(grant: &Path) -> Option<&'static str> {
    let norm = crate::project::paths::normalize(grant);
    if norm == Path::new("/") {
        return Some("the file system");
    }
    if crate::project::paths::SYSTEM_DIRS
        .iter()
        .any(|d| norm == Path::new(d))
    {
        return Some("a system or top-level directory");
    }
    let home_root = (norm.starts_with("/home") || norm.starts_with("/Users"))
        && norm.components().count() == 3
        || norm == Path::new("/var/root");
    home_root.then_some("a home directory")
}

/// Every problem with a manifest's values, as the hook and `validate` both read them: an
/// [`Level::Error`] is what the hook refuses, and nothing else is.
fn review(raw: &Raw) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut say = |pointer: String, level: Level, message: String| {
        out.push(Problem {
            pointer,
            level,
            message,
        })
    };
    if raw.wave.is_none() {
        say(
            String::new(),
            Level::Warning,
            "missing `wave` (a whole number > 0; it labels the wave)".into(),
        );
    }
    if raw.role.is_none() {
        say(
            String::new(),
            Level::Warning,
            format!("missing `role` (one of {})", ROLES.join(", ")),
        );
    }
    if raw.wave == Some(0) {
        say(
            "/wave".into(),
            Level::Warning,
            "wave is 0; waves are numbered from 1".into(),
        );
    }
    match raw.role.as_deref() {
        Some(r) if r.trim().is_empty() => say(
            "/role".into(),
            Level::Warning,
            "role is \"\" (the wave has no name)".into(),
        ),
        Some(r) if !ROLES.iter().any(|role| r.contains(role)) => say(
            "/role".into(),
            Level::Warning,
            format!(
                "role `{r}` is none of {} (free text is allowed)",
                ROLES.join(", ")
            ),
        ),
        _ => {}
    }
    match raw.enforcement.as_deref() {
        None => say(
            String::new(),
            Level::Warning,
            "missing `enforcement`; the hook treats the wave as \"strict\"".into(),
        ),
        Some("strict" | "warn" | "off") => {}
        Some(other) => say(
            "/enforcement".into(),
            Level::Warning,
            format!(
                "enforcement is \"{other}\"; it must be \"strict\", \"warn\" or \"off\" (the hook \
                 treats anything else as strict)"
            ),
        ),
    }
    match &raw.allowed_paths {
        None => say(
            String::new(),
            Level::Warning,
            "missing `allowedPaths`; the hook allows no edit (as for [])".into(),
        ),
        Some(items) => {
            for (i, p) in items.iter().enumerate() {
                allowed_path(&mut say, i, p);
            }
            let role = raw.role.as_deref().unwrap_or_default();
            if items.is_empty() && !role.contains("Discovery") && !role.is_empty() {
                say(
                    "/allowedPaths".into(),
                    Level::Warning,
                    format!(
                        "allowedPaths is empty, so the `{role}` wave may edit nothing (an empty \
                         scope is meant for Discovery)"
                    ),
                );
            }
        }
    }
    match &raw.blocked_commands {
        None => say(
            String::new(),
            Level::Warning,
            "missing `blockedCommands`; the fallback list applies (as for [])".into(),
        ),
        Some(items) => {
            for (i, c) in items.iter().enumerate() {
                if c.trim().is_empty() {
                    say(
                        format!("/blockedCommands/{i}"),
                        Level::Warning,
                        "an empty blocked command is ignored".into(),
                    );
                }
            }
        }
    }
    for k in raw.gates.iter().flat_map(|g| g.keys()) {
        if !GATES.contains(&k.as_str()) {
            say(
                format!("/gates/{k}"),
                Level::Warning,
                format!(
                    "unknown gate `{k}` is ignored (known: {})",
                    GATES.join(", ")
                ),
            );
        }
    }
    out
}

/// The problems of one `allowedPaths` entry.
fn allowed_path(say: &mut impl FnMut(String, Level, String), i: usize, p: &str) {
    let here = format!("/allowedPaths/{i}");
    if p.trim().is_empty() {
        say(
            here,
            Level::Warning,
            "an empty allowedPaths entry is ignored".into(),
        );
        return;
    }
    if p.split('/').any(|c| c == "..") {
        say(
            here,
            Level::Error,
            format!(
                "`{p}` climbs out with `..`; patterns are project-relative (or an absolute grant)"
            ),
        );
        return;
    }
    if p.starts_with('~') {
        say(
            here,
            Level::Error,
            format!("`{p}`: `~` is not expanded, so it would never match; write the absolute path"),
        );
        return;
    }
    if p.starts_with('/') {
        // What a grant opens is its literal head: `/etc/*.conf` opens `/etc`.
        let head: PathBuf = p
            .split('/')
            .take_while(|seg| !crate::project::scope::has_wildcard(seg))
            .collect::<Vec<_>>()
            .join("/")
            .into();
        let head = if head.as_os_str().is_empty() {
            PathBuf::from("/")
        } else {
            head
        };
        match too_wide(&head) {
            Some(what) => say(
                here,
                Level::Error,
                format!("`{p}` would grant the whole of {what}; grant a directory inside it"),
            ),
            None => say(
                here,
                Level::Warning,
                format!("`{p}` grants edits outside the project (an absolute grant)"),
            ),
        }
        return;
    }
    if matches!(p.trim(), "*" | "**" | "**/*" | "**/" | "./" | ".") {
        say(
            here.clone(),
            Level::Warning,
            format!("`{p}` allows every file of the project: the wave has no scope"),
        );
    }
    if crate::project::scope::alternatives(p).len() >= crate::project::scope::MAX_ALTERNATIVES {
        say(
            here,
            Level::Warning,
            format!(
                "`{p}` has more than {} alternatives; the rest are ignored",
                crate::project::scope::MAX_ALTERNATIVES
            ),
        );
    }
}

/// A manifest's text as the hook reads it, with every problem found: the manifest, or what makes
/// the hook refuse it (a JSON syntax or shape error with its position, or an [`Level::Error`]
/// problem), and the warnings.
pub fn read(text: &str) -> (Result<Manifest, Refusal>, Vec<Problem>) {
    let raw: Raw = match serde_json::from_str(text) {
        Ok(r) => r,
        Err(e) => return (Err(Refusal::Json(e)), Vec::new()),
    };
    let problems = review(&raw);
    match problems.iter().find(|p| p.level == Level::Error) {
        Some(e) => (Err(Refusal::Value(e.clone())), problems),
        None => (Ok(build(raw)), problems),
    }
}

/// The values of a manifest that are not of the manifest's shape (what makes `read` refuse it as
/// [`Refusal::Json`]), each named in words: `blockedCommands is "rm"; it must be an array of
/// strings`.
pub fn shape_problems(value: &serde_json::Value) -> Vec<Problem> {
    use serde_json::Value;
    let mut out = Vec::new();
    let Some(obj) = value.as_object() else {
        return out;
    };
    let mut bad = |pointer: String, message: String| {
        out.push(Problem {
            pointer,
            level: Level::Error,
            message,
        })
    };
    if let Some(v) = obj.get("wave")
        && v.as_u64().is_none()
    {
        bad(
            "/wave".into(),
            format!("wave is {v}; it must be a whole number > 0"),
        );
    }
    for key in ["role", "enforcement"] {
        if let Some(v) = obj.get(key)
            && !v.is_string()
        {
            bad(
                format!("/{key}"),
                format!("{key} is {v}; it must be a string"),
            );
        }
    }
    for key in ["allowedPaths", "blockedCommands"] {
        match obj.get(key) {
            None => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if !item.is_string() {
                        bad(
                            format!("/{key}/{i}"),
                            format!("{key} entry {item} must be a string"),
                        );
                    }
                }
            }
            Some(v) => bad(
                format!("/{key}"),
                format!("{key} is {v}; it must be an array of strings"),
            ),
        }
    }
    match obj.get("gates") {
        None => {}
        Some(Value::Object(g)) => {
            for (k, v) in g {
                if !v.is_boolean() {
                    bad(
                        format!("/gates/{k}"),
                        format!("gates.{k} is {v}; it must be true or false"),
                    );
                }
            }
        }
        Some(v) => bad(
            "/gates".into(),
            format!("gates is {v}; it must be an object of booleans"),
        ),
    }
    out
}

/// Why the hook refuses a manifest.
#[derive(Debug)]
pub enum Refusal {
    /// Not JSON, or not the manifest's shape (serde's error carries the position).
    Json(serde_json::Error),
    /// A value the hook will not use (a grant of `/`, a pattern that climbs out with `..`).
    Value(Problem),
}

/// Parses a manifest's text; the error names the file, the position and the problem.
pub fn parse(text: &str, path: &Path) -> Result<Manifest, String> {
    read(text).0.map_err(|r| match r {
        Refusal::Json(e) => match e.classify() {
            serde_json::error::Category::Data => {
                format!("{}; {SHAPE}", json_error(path, &e, text))
            }
            _ => json_error(path, &e, text),
        },
        Refusal::Value(p) => format!(
            "{}: {}: {}",
            path.display(),
            pointer_name(&p.pointer),
            p.message
        ),
    })
}

/// `/allowedPaths/2` as a reader names it: `allowedPaths[2]`.
fn pointer_name(pointer: &str) -> String {
    let mut out = String::new();
    for part in pointer.split('/').filter(|s| !s.is_empty()) {
        if part.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(part);
        }
    }
    out
}

fn build(raw: Raw) -> Manifest {
    let (enforcement, unknown_enforcement) = match raw.enforcement.as_deref() {
        None | Some("strict") => (Enforcement::Strict, None),
        Some("warn") => (Enforcement::Warn, None),
        Some("off") => (Enforcement::Off, None),
        Some(other) => (Enforcement::Strict, Some(other.to_string())),
    };
    let gates = raw.gates.unwrap_or_default();
    Manifest {
        wave: raw.wave,
        role: raw.role,
        enforcement,
        unknown_enforcement,
        allowed_paths: raw.allowed_paths.unwrap_or_default(),
        blocked_commands: raw.blocked_commands.unwrap_or_default(),
        path_guard: gates.get("path-guard").copied().unwrap_or(true),
        command_guard: gates.get("command-guard").copied().unwrap_or(true),
        bash_write_guard: gates.get("bash-write-guard").copied(),
        post_edit_validate: gates.get("post-edit-validate").copied().unwrap_or(true),
    }
}

/// Reads every manifest present under `root`.
pub fn find(root: &Path) -> Vec<Found> {
    let mut out = Vec::new();
    for dir in STATE_DIRS {
        let path = root.join(dir).join(FILE_NAME);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let manifest = match std::str::from_utf8(&bytes) {
                    Ok(text) => parse(text, &path),
                    Err(e) => Err(format!(
                        "{}: not valid UTF-8 (byte {})",
                        path.display(),
                        e.valid_up_to()
                    )),
                };
                out.push(Found { path, manifest });
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {}
            Err(e) => out.push(Found {
                manifest: Err(format!("{}: cannot be read: {e}", path.display())),
                path,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Manifest, String> {
        parse(text, Path::new(".claude/wave-scope.json"))
    }

    #[test]
    fn defaults_are_strict_with_guards_on() {
        let m = p(r#"{"wave": 2, "allowedPaths": ["src/"]}"#).unwrap();
        assert_eq!(m.enforcement, Enforcement::Strict);
        assert!(m.path_guard && m.command_guard);
        assert_eq!(m.blocked().len(), FALLBACK_BLOCKED.len());
    }

    #[test]
    fn unknown_enforcement_is_strict_and_remembered() {
        let m = p(r#"{"enforcement": "lenient"}"#).unwrap();
        assert_eq!(m.enforcement, Enforcement::Strict);
        assert_eq!(m.unknown_enforcement.as_deref(), Some("lenient"));
    }

    #[test]
    fn wrong_types_and_nulls_are_malformed_with_position() {
        let e = p("{\n  \"allowedPaths\": \"src/\"\n}").unwrap_err();
        assert!(e.starts_with(".claude/wave-scope.json:2:"), "{e}");
        assert!(e.contains("expected a sequence"), "{e}");
        assert!(p(r#"{"allowedPaths": null}"#).is_err());
        assert!(p(r#"{"gates": {"path-guard": "no"}}"#).is_err());
        assert!(p(r#"{"wave": "one"}"#).is_err());
    }

    #[test]
    fn bad_json_names_line_and_column() {
        let e = p("{\n  \"wave\": 1,\n}").unwrap_err();
        assert!(e.starts_with(".claude/wave-scope.json:3:1:"), "{e}");
        assert!(p("").is_err());
    }

    #[test]
    fn gates_can_turn_guards_off() {
        let m = p(r#"{"gates": {"path-guard": false, "command-guard": false}}"#).unwrap();
        assert!(!m.path_guard && !m.command_guard);
    }
}
