//! The `## Session Config` section of CLAUDE.md / AGENTS.md, read with the original plugin's grammar
//! (shared `upstream-markdown-pack.md` §2b) and its defaults, plus the line forms it silently
//! dropped.
//!
//! The section runs from the line `## Session Config` to the next `## ` heading. A setting is a line
//! of one of these forms (the last of a repeated key wins; surrounding double quotes are removed):
//!
//! ```text
//! - **waves:** 4              bold bullet, colon inside the bold
//! - **waves**: 4              colon outside the bold (the original ignored it)
//! waves: 4                    plain key (indentation allowed)
//! - waves: 4                  plain key in a bullet
//! enforcement-gates:          a key with no value opens a block: the indented
//!   path-guard: true          `key: value` lines below it are its members
//! ```
//!
//! Values are checked against each field's type; a bad value is a [`Problem`] with its line number,
//! and the field keeps its default.

use crate::hook::call::Platform;
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

/// The heading that opens the section.
pub const HEADING: &str = "## Session Config";

/// A field's type, which decides how its text becomes a value.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Free text; `none` or empty is null.
    Str,
    /// Digits, or `N (type: M, ...)`, which becomes `{"default": N, "type": M}`.
    Int,
    /// `true` or `false`, any case.
    Bool,
    /// One of the listed words, any case (stored lower-case).
    Enum(&'static [&'static str]),
    /// `[a, b]` or `a, b`; `[]` is empty; `none` is null.
    List,
    /// `{k: v, ...}` (or a block of indented `k: v` lines): an object of strings.
    Object,
    /// Like `Object`, but every value must be `true` or `false`.
    Gates,
    /// A positive integer or `auto`.
    Turns,
}

/// Every field: its key, type and default, as the original `parse-config.sh` fills them.
const FIELDS: &[(&str, Kind, &str)] = &[
    ("agents-per-wave", Kind::Int, "6"),
    ("waves", Kind::Int, "5"),
    ("recent-commits", Kind::Int, "20"),
    ("special", Kind::Str, "null"),
    ("vcs", Kind::Str, "null"),
    ("gitlab-host", Kind::Str, "null"),
    ("mirror", Kind::Str, "null"),
    ("cross-repos", Kind::List, "null"),
    ("pencil", Kind::Str, "null"),
    ("ecosystem-health", Kind::Bool, "false"),
    ("health-endpoints", Kind::List, "null"),
    ("issue-limit", Kind::Int, "50"),
    ("stale-branch-days", Kind::Int, "7"),
    ("stale-issue-days", Kind::Int, "30"),
    ("test-command", Kind::Str, "\"pnpm test --run\""),
    ("typecheck-command", Kind::Str, "\"tsgo --noEmit\""),
    ("lint-command", Kind::Str, "\"pnpm lint\""),
    ("ssot-files", Kind::List, "null"),
    ("ssot-freshness-days", Kind::Int, "5"),
    ("plugin-freshness-days", Kind::Int, "30"),
    ("discovery-on-close", Kind::Bool, "false"),
    ("discovery-probes", Kind::List, "[\"all\"]"),
    ("discovery-exclude-paths", Kind::List, "[]"),
    (
        "discovery-severity-threshold",
        Kind::Enum(&["critical", "high", "medium", "low"]),
        "\"low\"",
    ),
    ("discovery-confidence-threshold", Kind::Int, "60"),
    ("persistence", Kind::Bool, "true"),
    ("memory-cleanup-threshold", Kind::Int, "5"),
    ("learning-expiry-days", Kind::Int, "30"),
    (
        "enforcement",
        Kind::Enum(&["strict", "warn", "off"]),
        // What `scope set` writes when the file sets none (the contract: missing = strict).
        "\"strict\"",
    ),
    (
        "isolation",
        Kind::Enum(&["worktree", "none", "auto"]),
        // Worktrees only when the project asks for them (`auto` reads as `none`): an agent in a
        // worktree edits paths outside the wave's patterns (docs/guide.md).
        "\"none\"",
    ),
    ("max-turns", Kind::Turns, "\"auto\""),
    ("plan-baseline-path", Kind::Str, "null"),
    ("plan-default-visibility", Kind::Str, "\"internal\""),
    ("plan-prd-location", Kind::Str, "\"docs/prd/\""),
    ("plan-retro-location", Kind::Str, "\"docs/retro/\""),
    ("agent-mapping", Kind::Object, "null"),
    ("enforcement-gates", Kind::Gates, "null"),
    ("reasoning-output", Kind::Bool, "false"),
    ("grounding-check", Kind::Bool, "true"),
    // so-hook's own: how long the post-edit type-check may run, in seconds.
    ("typecheck-timeout", Kind::Int, "20"),
    // so-hook's own: where events are also sent (off when null), and the variable with the secret.
    ("event-endpoint", Kind::Str, "null"),
    ("event-secret-env", Kind::Str, "\"SO_HOOK_EVENT_SECRET\""),
];

/// Keys of the original plugin's vault integration (an Obsidian-style notes folder). so-hook's pack
/// has none, by decision (docs/guide.md): these lines are reported as doing nothing, not read.
const VAULT_KEYS: &[&str] = &["vault-integration", "vault-dir", "vault-sync"];

/// How much a problem matters: an error makes the configuration invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// Something wrong with one line of the section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line in the file.
    pub line: usize,
    pub severity: Severity,
    pub message: String,
}

/// A Session Config, read.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file read (none: no CLAUDE.md or AGENTS.md was found).
    pub file: Option<PathBuf>,
    /// The line of the `## Session Config` heading (none: the file has no such section).
    pub section_line: Option<usize>,
    /// Every field, with defaults filled in.
    pub values: Map<String, Value>,
    /// The fields the file sets, with the line that set them.
    pub set: Map<String, Value>,
    pub problems: Vec<Problem>,
}

impl Config {
    /// Whether any problem is an error.
    pub fn is_valid(&self) -> bool {
        self.problems
            .iter()
            .all(|p| p.severity == Severity::Warning)
    }

    /// A string field, as the file set it or its default.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.values.get(key).and_then(Value::as_str)
    }

    /// Whether the file sets `key` itself (rather than leaving the default).
    pub fn is_set(&self, key: &str) -> bool {
        self.set.contains_key(key)
    }

    /// The whole configuration as one JSON object, as `so-hook config --json` prints it.
    pub fn to_json(&self) -> Value {
        json!({
            "file": self.file.as_ref().map(|f| f.display().to_string()),
            "section_line": self.section_line,
            "config": Value::Object(self.values.clone()),
            "set": Value::Object(self.set.clone()),
            "problems": self.problems.iter().map(|p| json!({
                "line": p.line,
                "severity": match p.severity { Severity::Warning => "warning", Severity::Error => "error" },
                "message": p.message,
            })).collect::<Vec<_>>(),
        })
    }
}

/// The file a platform keeps its Session Config in, at `root`: the instruction file the client
/// reads (CLAUDE.md for Claude Code and Cursor; AGENTS.md for Codex, Copilot CLI and OpenCode;
/// GEMINI.md for Gemini CLI), else the first of the others that exists.
pub fn locate(root: &Path, platform: Option<Platform>) -> Option<PathBuf> {
    let preferred: &[&str] = match platform {
        Some(Platform::Codex | Platform::Copilot | Platform::OpenCode) => {
            &["AGENTS.md", "CLAUDE.md"]
        }
        Some(Platform::Gemini) => &["GEMINI.md", "AGENTS.md", "CLAUDE.md"],
        _ => &["CLAUDE.md", "AGENTS.md"],
    };
    preferred.iter().map(|f| root.join(f)).find(|p| p.is_file())
}

/// Reads the Session Config of the project at `root` (or of `file`, when given). A file that
/// cannot be read is an error; no file at all is every default.
pub fn load(
    root: &Path,
    platform: Option<Platform>,
    file: Option<&Path>,
) -> Result<Config, String> {
    let path = match file {
        Some(f) => Some(f.to_path_buf()),
        None => locate(root, platform),
    };
    let Some(path) = path else {
        return Ok(parse(""));
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(parse_file(&text, path))
}

/// The Session Config in `text`, read from `path`.
fn parse_file(text: &str, path: PathBuf) -> Config {
    let mut config = parse(text);
    config.file = Some(path);
    config
}

/// The project's Session Config when its file mentions `key` at all: for a setting most projects
/// never write, a text search spares parsing the section (a 30 KB CLAUDE.md cost a denied call a
/// quarter of its instructions). An unreadable file counts as none.
pub fn mentioning(root: &Path, platform: Option<Platform>, key: &str) -> Option<Config> {
    let path = locate(root, platform)?;
    let text = std::fs::read_to_string(&path).ok()?;
    text.contains(key).then(|| parse_file(&text, path))
}

/// One setting found in the section.
struct Setting {
    line: usize,
    key: String,
    value: String,
    /// The block it sits in (`enforcement-gates` for an indented `path-guard: true` below it).
    parent: Option<String>,
}

/// Parses a whole Markdown file's `## Session Config` section.
pub fn parse(text: &str) -> Config {
    let mut config = Config {
        file: None,
        section_line: None,
        values: Map::new(),
        set: Map::new(),
        problems: Vec::new(),
    };
    for (key, _, default) in FIELDS {
        config
            .values
            .insert(key.to_string(), serde_json::from_str(default).unwrap());
    }
    let settings = settings(text, &mut config);
    let mut blocks: Vec<(String, usize, Map<String, Value>)> = Vec::new();
    for s in settings {
        // Members of a block become one object value.
        let vault = |k: &str| VAULT_KEYS.contains(&k);
        if vault(&s.key) || s.parent.as_deref().is_some_and(vault) {
            config.problems.push(Problem {
                line: s.line,
                severity: Severity::Warning,
                message: format!(
                    "`{}` does nothing: so-hook's workflow has no vault integration (see \
                     docs/guide.md); remove the line",
                    s.parent.as_deref().unwrap_or(&s.key)
                ),
            });
            continue;
        }
        if let Some(parent) = &s.parent {
            if let Some((_, kind, _)) = FIELDS.iter().find(|(k, _, _)| k == parent)
                && matches!(kind, Kind::Object | Kind::Gates)
            {
                let member = match kind {
                    Kind::Gates => match bool_of(&s.value) {
                        Some(b) => Value::Bool(b),
                        None => {
                            config.problems.push(error(
                                s.line,
                                format!(
                                    "`{parent}` member `{}` is `{}`; it must be true or false",
                                    s.key, s.value
                                ),
                            ));
                            continue;
                        }
                    },
                    _ => Value::String(unquote(&s.value).to_string()),
                };
                match blocks.iter_mut().find(|(k, _, _)| k == parent) {
                    Some((_, _, map)) => {
                        map.insert(s.key.clone(), member);
                    }
                    None => {
                        let mut map = Map::new();
                        map.insert(s.key.clone(), member);
                        blocks.push((parent.clone(), s.line, map));
                    }
                }
                continue;
            }
        }
        let Some((key, kind, _)) = FIELDS.iter().find(|(k, _, _)| *k == s.key) else {
            config.problems.push(Problem {
                line: s.line,
                severity: Severity::Warning,
                message: format!(
                    "`{}` is not a Session Config key; it is ignored{}",
                    s.key,
                    suggestion(&s.key)
                ),
            });
            continue;
        };
        match coerce(*kind, unquote(&s.value)) {
            Ok(v) => {
                config.values.insert(key.to_string(), v);
                config.set.insert(key.to_string(), json!(s.line));
            }
            Err(why) => config.problems.push(error(
                s.line,
                format!("`{key}: {}` is invalid: {why}", s.value),
            )),
        }
    }
    for (key, line, map) in blocks {
        config.values.insert(key.clone(), Value::Object(map));
        config.set.insert(key, json!(line));
    }
    config
}

fn error(line: usize, message: String) -> Problem {
    Problem {
        line,
        severity: Severity::Error,
        message,
    }
}

/// The settings of the section, in order, with their blocks; records where the section starts.
fn settings(text: &str, config: &mut Config) -> Vec<Setting> {
    let mut out = Vec::new();
    let mut in_section = false;
    let mut block: Option<(String, usize)> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        let number = i + 1;
        if line.starts_with("## ") || line == "##" {
            in_section = line == HEADING;
            if in_section {
                config.section_line = Some(number);
            }
            block = None;
            continue;
        }
        if !in_section || line.trim_start().starts_with("```") || line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let Some((key, value)) = setting(line.trim_start()) else {
            block = None;
            continue;
        };
        if value.is_empty() {
            // `key:` alone opens a block for the more indented lines below it.
            block = Some((key, indent));
            continue;
        }
        let parent = match &block {
            Some((k, at)) if indent > *at => Some(k.clone()),
            _ => {
                block = None;
                None
            }
        };
        out.push(Setting {
            line: number,
            key,
            value,
            parent,
        });
    }
    out
}

/// The key and value of one line (leading indentation removed), if it is a setting.
fn setting(line: &str) -> Option<(String, String)> {
    let bullet = line
        .strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .map(str::trim_start);
    if let Some(rest) = bullet.and_then(|b| b.strip_prefix("**")) {
        // `**key:** value` or `**key**: value`.
        let close = rest.find("**")?;
        let (inside, after) = (&rest[..close], &rest[close + 2..]);
        let (key, value) = if let Some(k) = inside.strip_suffix(':') {
            (k, after)
        } else {
            (inside, after.strip_prefix(':')?)
        };
        let key = key.trim();
        return is_key(key).then(|| (key.to_string(), value.trim().to_string()));
    }
    let body = bullet.unwrap_or(line);
    let colon = body.find(':')?;
    let (key, rest) = (&body[..colon], &body[colon + 1..]);
    if !is_key(key) {
        return None;
    }
    // A value must be separated from the colon by whitespace (`http://x` is no setting).
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    Some((key.to_string(), rest.trim().to_string()))
}

fn is_key(k: &str) -> bool {
    let mut chars = k.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn unquote(v: &str) -> &str {
    v.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(v)
}

fn bool_of(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// A close known key for a misspelt one (`typecheck_command` -> `typecheck-command`).
fn suggestion(key: &str) -> String {
    let norm = |k: &str| k.to_ascii_lowercase().replace('_', "-");
    FIELDS
        .iter()
        .map(|(k, _, _)| *k)
        .find(|k| norm(k) == norm(key))
        .map(|k| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

/// The value of `text` as a field of `kind`, or why it is not one.
fn coerce(kind: Kind, text: &str) -> Result<Value, String> {
    let text = text.trim();
    match kind {
        Kind::Str => Ok(if text.is_empty() || text == "none" {
            Value::Null
        } else {
            Value::String(text.to_string())
        }),
        Kind::Int => int(text),
        Kind::Bool => bool_of(text)
            .map(Value::Bool)
            .ok_or_else(|| "expected true or false".to_string()),
        Kind::Enum(allowed) => {
            let v = text.to_ascii_lowercase();
            if allowed.contains(&v.as_str()) {
                Ok(Value::String(v))
            } else {
                Err(format!("expected one of {}", allowed.join(", ")))
            }
        }
        Kind::List => list(text),
        Kind::Object | Kind::Gates => object(text, matches!(kind, Kind::Gates)),
        Kind::Turns => {
            if text.eq_ignore_ascii_case("auto") {
                Ok(json!("auto"))
            } else {
                match text.parse::<u64>() {
                    Ok(n) if n > 0 => Ok(json!(n)),
                    _ => Err("expected a positive whole number or `auto`".into()),
                }
            }
        }
    }
}

/// `6` or `6 (deep: 18, housekeeping: 2)`.
fn int(text: &str) -> Result<Value, String> {
    let expected = || "expected a whole number, or `N (type: M, ...)`".to_string();
    let (head, overrides) = match text.split_once('(') {
        Some((h, rest)) => (h.trim(), Some(rest.strip_suffix(')').ok_or_else(expected)?)),
        None => (text, None),
    };
    let n: u64 = head.parse().map_err(|_| expected())?;
    let Some(overrides) = overrides else {
        return Ok(json!(n));
    };
    let mut map = Map::new();
    map.insert("default".into(), json!(n));
    for part in overrides
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (k, v) = part.split_once(':').ok_or_else(expected)?;
        let v: u64 = v.trim().parse().map_err(|_| expected())?;
        map.insert(k.trim().to_string(), json!(v));
    }
    Ok(Value::Object(map))
}

fn list(text: &str) -> Result<Value, String> {
    if text == "none" {
        return Ok(Value::Null);
    }
    if text.contains('{') {
        return Err(
            "a list holds plain words (`[a, b]` or `a, b`); objects are not supported".into(),
        );
    }
    let inner = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(text);
    Ok(Value::Array(
        inner
            .split(',')
            .map(|s| unquote(s.trim()).trim())
            .filter(|s| !s.is_empty())
            .map(|s| Value::String(s.to_string()))
            .collect(),
    ))
}

fn object(text: &str, gates: bool) -> Result<Value, String> {
    if text.is_empty() || text == "none" {
        return Ok(Value::Null);
    }
    let inner = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .ok_or_else(|| "expected `{key: value, ...}`".to_string())?;
    let mut map = Map::new();
    for part in inner.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part
            .split_once(':')
            .ok_or_else(|| format!("`{part}` is not `key: value`"))?;
        let (k, v) = (unquote(k.trim()), unquote(v.trim()));
        let value = if gates {
            Value::Bool(bool_of(v).ok_or_else(|| format!("`{k}` must be true or false"))?)
        } else {
            Value::String(v.to_string())
        };
        map.insert(k.to_string(), value);
    }
    Ok(if map.is_empty() {
        Value::Null
    } else {
        Value::Object(map)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(section: &str) -> Config {
        parse(&format!(
            "# Project\n\nintro: text\n\n{HEADING}\n\n{section}\n\n## Next\nwaves: 99\n"
        ))
    }

    #[test]
    fn no_section_is_every_default() {
        let c = parse("# nothing here\nwaves: 3\n");
        assert_eq!(c.section_line, None);
        assert_eq!(c.values["waves"], json!(5));
        assert_eq!(c.values["typecheck-command"], json!("tsgo --noEmit"));
        assert_eq!(c.values["discovery-probes"], json!(["all"]));
        assert!(c.set.is_empty() && c.problems.is_empty());
    }

    #[test]
    fn every_line_form_is_read_and_the_last_wins() {
        let c = cfg(
            "- **waves:** 3\n- **recent-commits**: 7\nissue-limit: 10\n- stale-branch-days: 2\n  persistence: false\nwaves: 4",
        );
        assert_eq!(c.section_line, Some(5));
        assert_eq!(c.values["waves"], json!(4));
        assert_eq!(c.values["recent-commits"], json!(7));
        assert_eq!(c.values["issue-limit"], json!(10));
        assert_eq!(c.values["stale-branch-days"], json!(2));
        assert_eq!(c.values["persistence"], json!(false));
        assert_eq!(c.set["waves"], json!(12));
        assert!(c.problems.is_empty(), "{:?}", c.problems);
    }

    #[test]
    fn values_are_coerced_by_type() {
        let c = cfg(concat!(
            "agents-per-wave: 6 (deep: 18)\n",
            "special: \"keep it small\"\n",
            "vcs: none\n",
            "enforcement: STRICT\n",
            "cross-repos: [a, b]\n",
            "ssot-files: README.md, docs/x.md\n",
            "discovery-exclude-paths: []\n",
            "agent-mapping: {impl: coder, test: tester}\n",
            "enforcement-gates: {path-guard: true, post-edit-validate: false}\n",
            "max-turns: 12\n",
            "typecheck-command: cargo check --quiet\n",
        ));
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(
            c.values["agents-per-wave"],
            json!({"default": 6, "deep": 18})
        );
        assert_eq!(c.values["special"], json!("keep it small"));
        assert_eq!(c.values["vcs"], Value::Null);
        assert_eq!(c.values["enforcement"], json!("strict"));
        assert_eq!(c.values["cross-repos"], json!(["a", "b"]));
        assert_eq!(c.values["ssot-files"], json!(["README.md", "docs/x.md"]));
        assert_eq!(c.values["discovery-exclude-paths"], json!([]));
        assert_eq!(
            c.values["agent-mapping"],
            json!({"impl": "coder", "test": "tester"})
        );
        assert_eq!(
            c.values["enforcement-gates"],
            json!({"path-guard": true, "post-edit-validate": false})
        );
        assert_eq!(c.values["max-turns"], json!(12));
        assert_eq!(c.str("typecheck-command"), Some("cargo check --quiet"));
        assert!(c.is_set("typecheck-command") && !c.is_set("lint-command"));
    }

    #[test]
    fn bad_values_are_errors_with_their_line_and_keep_the_default() {
        let c = cfg(
            "waves: many\npersistence: yes\nenforcement: loose\nmax-turns: 0\nenforcement-gates: {path-guard: maybe}",
        );
        let lines: Vec<usize> = c.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![7, 8, 9, 10, 11]);
        assert!(!c.is_valid());
        assert_eq!(c.values["waves"], json!(5));
        assert!(
            c.problems[2].message.contains("strict, warn, off"),
            "{:?}",
            c.problems[2]
        );
    }

    #[test]
    fn unknown_keys_warn_with_a_suggestion() {
        let c = cfg("typecheck_command: cargo check");
        assert!(c.is_valid());
        assert_eq!(c.problems.len(), 1);
        assert!(
            c.problems[0]
                .message
                .contains("did you mean `typecheck-command`")
        );
    }

    #[test]
    fn blocks_are_objects_and_vault_keys_do_nothing_visibly() {
        let c = cfg(
            "enforcement-gates:\n  path-guard: true\n  command-guard: false\nvault-integration:\n  enabled: true\n  vault-dir: ~/vault\nvault-dir: ~/notes\nwaves: 2",
        );
        assert_eq!(
            c.values["enforcement-gates"],
            json!({"path-guard": true, "command-guard": false})
        );
        assert_eq!(c.values["waves"], json!(2));
        assert!(!c.values.contains_key("vault-integration"));
        assert!(!c.set.contains_key("vault-integration"));
        let lines: Vec<usize> = c.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [11, 12, 13], "{:?}", c.problems);
        assert!(
            c.problems
                .iter()
                .all(|p| p.severity == Severity::Warning
                    && p.message.contains("no vault integration"))
        );
    }

    #[test]
    fn isolation_is_none_unless_the_project_asks_for_worktrees() {
        assert_eq!(cfg("waves: 2").values["isolation"], json!("none"));
        assert_eq!(
            cfg("isolation: worktree").values["isolation"],
            json!("worktree")
        );
    }

    #[test]
    fn fences_urls_and_prose_are_not_settings() {
        let c = cfg("```yaml\nwaves: 3\n```\nSee https://example.com: here\nplain prose line");
        assert_eq!(c.values["waves"], json!(3));
        assert!(c.problems.is_empty(), "{:?}", c.problems);
    }

    #[test]
    fn lists_of_objects_are_reported_not_dropped_silently() {
        let c = cfg("health-endpoints: [{url: x}]");
        assert_eq!(c.problems.len(), 1);
        assert_eq!(c.values["health-endpoints"], Value::Null);
    }
}
