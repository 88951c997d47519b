//! The wave manifest, `<state-dir>/wave-scope.json`: which files the current wave may edit and which
//! extra commands it may not run. Compatible with the original session-orchestrator plugin.

use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where manifests live, relative to the project root, in the order they are reported.
pub const STATE_DIRS: [&str; 3] = [".claude", ".codex", ".cursor"];
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

/// Parses a manifest's text; the error names the file, the position and the problem.
pub fn parse(text: &str, path: &Path) -> Result<Manifest, String> {
    let raw: Raw = serde_json::from_str(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => format!("{}; {SHAPE}", json_error(path, &e, text)),
        _ => json_error(path, &e, text),
    })?;
    let (enforcement, unknown_enforcement) = match raw.enforcement.as_deref() {
        None | Some("strict") => (Enforcement::Strict, None),
        Some("warn") => (Enforcement::Warn, None),
        Some("off") => (Enforcement::Off, None),
        Some(other) => (Enforcement::Strict, Some(other.to_string())),
    };
    let gates = raw.gates.unwrap_or_default();
    Ok(Manifest {
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
    })
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
