//! `so-hook validate --plugin [DIR]`: the Markdown pack and the plugin files checked the way the
//! platforms load them. From the repository root `DIR`:
//!
//! - `.claude-plugin/marketplace.json` and each plugin it lists (`.claude-plugin/plugin.json`,
//!   `.codex-plugin/plugin.json`): valid JSON, the required keys, kebab-case names, paths that exist;
//! - hook files: Claude Code's and Codex's (`hooks/hooks.json`, `hooks/hooks-codex.json`: Codex
//!   accepts only `description` and `hooks` at the root) and Cursor's (`cursor-rules/hooks.json`:
//!   version 1, `failClosed` booleans);
//! - commands, skills and agents: the frontmatter each platform reads, with valid values; no two
//!   files define the same command;
//! - Cursor rules (`cursor-rules/*.mdc`): `description`, `globs`, and `alwaysApply` as a real
//!   boolean; Codex roles (`.codex-plugin/agents/*.toml`): the keys Codex reads;
//! - every relative Markdown link in the pack points to a file that exists.

use crate::commands::validate::{Diagnostic, Severity};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Collects the findings of one run.
#[derive(Default)]
struct Findings {
    out: Vec<Diagnostic>,
    /// How many files were read.
    files: usize,
}

impl Findings {
    fn at(&mut self, file: &Path, line: usize, severity: Severity, message: String) {
        self.out.push(Diagnostic {
            file: file.to_path_buf(),
            line: line.max(1),
            column: 1,
            severity,
            message,
        });
    }
    fn error(&mut self, file: &Path, line: usize, message: String) {
        self.at(file, line, Severity::Error, message);
    }
    fn warn(&mut self, file: &Path, line: usize, message: String) {
        self.at(file, line, Severity::Warning, message);
    }
}

/// Checks the pack under `root`: the diagnostics (naming files relative to it when they can) and
/// the number of files checked.
pub fn check(root: &Path) -> (Vec<Diagnostic>, usize) {
    let mut f = Findings::default();
    let mut markdown: Vec<PathBuf> = Vec::new();
    let plugins = marketplace(root, &mut f);
    for plugin in &plugins {
        plugin_dir(plugin, &mut f, &mut markdown);
    }
    // The repository root as a Codex plugin of its own.
    let root_codex = root.join(".codex-plugin/plugin.json");
    if root_codex.is_file() {
        codex_manifest(&root_codex, root, &mut f);
    }
    let roles = root.join(".codex-plugin/agents");
    for file in files_with(&roles, "toml") {
        codex_role(&file, &mut f);
    }
    let cursor = root.join("cursor-rules");
    if cursor.join("hooks.json").is_file() {
        cursor_hooks(&cursor.join("hooks.json"), &mut f);
    }
    for file in files_with(&cursor, "mdc") {
        cursor_rule(&file, &mut f);
        markdown.push(file);
    }
    for file in &markdown {
        links(file, &mut f);
    }
    for d in &mut f.out {
        if let Ok(rel) = d.file.strip_prefix(root) {
            d.file = rel.to_path_buf();
        }
    }
    (f.out, f.files)
}

/// The files of one extension directly in `dir`, sorted.
fn files_with(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().and_then(|e| e.to_str()) == Some(ext))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn read_json(file: &Path, f: &mut Findings) -> Option<Value> {
    f.files += 1;
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            f.error(file, 1, format!("cannot be read: {e}"));
            return None;
        }
    };
    match serde_json::from_str(&text) {
        Ok(v) => Some(v),
        Err(e) => {
            f.error(file, e.line(), format!("not valid JSON: {e}"));
            None
        }
    }
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.ends_with('-')
        && !s.contains("--")
}

fn is_semver(s: &str) -> bool {
    let core = s.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// The marketplace and the plugin directories it lists.
fn marketplace(root: &Path, f: &mut Findings) -> Vec<PathBuf> {
    let file = root.join(".claude-plugin/marketplace.json");
    if !file.is_file() {
        f.error(
            &file,
            1,
            "missing: the repository is installed as a marketplace (`/plugin marketplace add`)"
                .into(),
        );
        return Vec::new();
    }
    let Some(v) = read_json(&file, f) else {
        return Vec::new();
    };
    if !v.get("name").and_then(Value::as_str).is_some_and(is_kebab) {
        f.error(&file, 1, "`name` must be a kebab-case string".into());
    }
    if v.pointer("/owner/name").and_then(Value::as_str).is_none() {
        f.error(&file, 1, "`owner.name` is required".into());
    }
    let mut dirs = Vec::new();
    let Some(plugins) = v.get("plugins").and_then(Value::as_array) else {
        f.error(&file, 1, "`plugins` must be an array".into());
        return dirs;
    };
    let mut names = Vec::new();
    for (i, p) in plugins.iter().enumerate() {
        let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
        if !is_kebab(name) {
            f.error(&file, 1, format!("plugins[{i}].name must be kebab-case"));
        }
        if names.contains(&name) {
            f.error(
                &file,
                1,
                format!("plugins[{i}].name `{name}` is listed twice"),
            );
        }
        names.push(name);
        match p.get("source").and_then(Value::as_str) {
            Some(src) if src.starts_with("./") => {
                let dir = root.join(src);
                if dir.is_dir() {
                    dirs.push(dir);
                } else {
                    f.error(
                        &file,
                        1,
                        format!("plugins[{i}].source `{src}` does not exist"),
                    );
                }
            }
            Some(src) => f.warn(
                &file,
                1,
                format!("plugins[{i}].source `{src}` is not a local path; not checked"),
            ),
            None if p.get("source").is_some() => f.warn(
                &file,
                1,
                format!("plugins[{i}].source is not a local path; not checked"),
            ),
            None => f.error(&file, 1, format!("plugins[{i}] has no source")),
        }
    }
    dirs
}

/// One plugin directory: its manifests, hooks, commands, skills and agents.
fn plugin_dir(dir: &Path, f: &mut Findings, markdown: &mut Vec<PathBuf>) {
    let manifest = dir.join(".claude-plugin/plugin.json");
    if let Some(v) = manifest
        .is_file()
        .then(|| read_json(&manifest, f))
        .flatten()
    {
        if !v.get("name").and_then(Value::as_str).is_some_and(is_kebab) {
            f.error(&manifest, 1, "`name` must be a kebab-case string".into());
        }
        if let Some(ver) = v.get("version").and_then(Value::as_str)
            && !is_semver(ver)
        {
            f.error(
                &manifest,
                1,
                format!("version `{ver}` is not semver (x.y.z)"),
            );
        }
        for key in [
            "commands",
            "agents",
            "skills",
            "hooks",
            "mcpServers",
            "outputStyles",
        ] {
            if let Some(p) = v.get(key).and_then(Value::as_str)
                && !dir.join(p).exists()
            {
                f.error(
                    &manifest,
                    1,
                    format!("`{key}` names {p}, which does not exist"),
                );
            }
        }
    }
    let codex = dir.join(".codex-plugin/plugin.json");
    if codex.is_file() {
        codex_manifest(&codex, dir, f);
    }
    let hooks = dir.join("hooks/hooks.json");
    if hooks.is_file() {
        hook_file(&hooks, false, f);
    }
    let codex_hooks = dir.join("hooks/hooks-codex.json");
    if codex_hooks.is_file() {
        hook_file(&codex_hooks, true, f);
    }
    let mut commands: BTreeMap<String, PathBuf> = BTreeMap::new();
    for file in files_with(&dir.join("commands"), "md") {
        command(&file, f);
        let name = stem(&file);
        commands.insert(name, file.clone());
        markdown.push(file);
    }
    let skills_dir = dir.join("skills");
    let mut skill_dirs: Vec<PathBuf> = std::fs::read_dir(&skills_dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    skill_dirs.sort();
    for sd in skill_dirs {
        let file = sd.join("SKILL.md");
        let name = sd
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !file.is_file() {
            f.error(&sd, 1, "a skill directory needs a SKILL.md".into());
            continue;
        }
        skill(&file, &name, f);
        // Claude Code loads command files as skills: one name may not be both, whether or not
        // the skill is user-invocable (its plugin inventory lists both under the one name).
        if commands.contains_key(&name) {
            f.error(
                &file,
                1,
                format!(
                    "the skill `{name}` and commands/{name}.md define the same command; rename one"
                ),
            );
        }
        markdown.extend(files_with(&sd, "md"));
    }
    for file in files_with(&dir.join("agents"), "md") {
        agent(&file, f);
        markdown.push(file.clone());
    }
    markdown.extend(files_with(&dir.join("reference"), "md"));
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

const CODEX_MANIFEST_KEYS: &[&str] = &[
    "name",
    "version",
    "description",
    "author",
    "homepage",
    "repository",
    "license",
    "keywords",
    "skills",
    "hooks",
    "mcpServers",
    "apps",
    "interface",
];

fn codex_manifest(file: &Path, base: &Path, f: &mut Findings) {
    let Some(v) = read_json(file, f) else { return };
    let Some(obj) = v.as_object() else {
        f.error(file, 1, "must be a JSON object".into());
        return;
    };
    if !obj
        .get("name")
        .and_then(Value::as_str)
        .is_some_and(is_kebab)
    {
        f.error(file, 1, "`name` must be a kebab-case string".into());
    }
    for k in obj.keys() {
        if !CODEX_MANIFEST_KEYS.contains(&k.as_str()) {
            f.error(
                file,
                1,
                format!(
                    "`{k}` is not a key Codex reads in plugin.json ({})",
                    CODEX_MANIFEST_KEYS.join(", ")
                ),
            );
        }
    }
    for key in ["skills", "hooks", "mcpServers", "apps"] {
        if let Some(p) = obj.get(key).and_then(Value::as_str)
            && !base.join(p).exists()
        {
            f.error(file, 1, format!("`{key}` names {p}, which does not exist"));
        }
    }
}

const CLAUDE_EVENTS: &[&str] = &[
    "PreToolUse",
    "PostToolUse",
    "PostToolUseFailure",
    "PermissionRequest",
    "UserPromptSubmit",
    "Notification",
    "Stop",
    "SubagentStart",
    "SubagentStop",
    "PreCompact",
    "PostCompact",
    "SessionStart",
    "SessionEnd",
];

/// A Claude Code or Codex hook file.
fn hook_file(file: &Path, codex: bool, f: &mut Findings) {
    let Some(v) = read_json(file, f) else { return };
    let Some(obj) = v.as_object() else {
        f.error(file, 1, "must be a JSON object".into());
        return;
    };
    if codex {
        for k in obj.keys() {
            if !matches!(k.as_str(), "description" | "hooks") {
                f.error(
                    file,
                    1,
                    format!("`{k}`: Codex rejects a hook file with any root key but description and hooks"),
                );
            }
        }
    }
    let Some(events) = obj.get("hooks").and_then(Value::as_object) else {
        f.error(file, 1, "`hooks` must be an object of events".into());
        return;
    };
    for (event, groups) in events {
        if !CLAUDE_EVENTS.contains(&event.as_str()) {
            f.error(file, 1, format!("`{event}` is not a hook event"));
        }
        let Some(groups) = groups.as_array() else {
            f.error(
                file,
                1,
                format!("hooks.{event} must be an array of matcher groups"),
            );
            continue;
        };
        for g in groups {
            let Some(handlers) = g.get("hooks").and_then(Value::as_array) else {
                f.error(file, 1, format!("a {event} group has no `hooks` array"));
                continue;
            };
            for h in handlers {
                if h.get("type").and_then(Value::as_str) != Some("command")
                    || h.get("command").and_then(Value::as_str).is_none()
                {
                    f.error(
                        file,
                        1,
                        format!("a {event} handler needs type \"command\" and a command"),
                    );
                }
                let command = h.get("command").and_then(Value::as_str).unwrap_or_default();
                let platform = if codex { "codex" } else { "claude" };
                if command.contains("so-hook")
                    && !command.ends_with(&format!("--platform {platform}"))
                {
                    f.error(
                        file,
                        1,
                        format!("`{command}` must pass --platform {platform}"),
                    );
                }
                if codex && let Some(hobj) = h.as_object() {
                    for k in hobj.keys() {
                        if !matches!(k.as_str(), "type" | "command" | "timeout" | "statusMessage") {
                            f.error(file, 1, format!("`{k}` in a {event} handler: Codex accepts type, command, timeout, statusMessage"));
                        }
                    }
                }
            }
        }
    }
}

fn cursor_hooks(file: &Path, f: &mut Findings) {
    let Some(v) = read_json(file, f) else { return };
    if v.get("version") != Some(&Value::from(1)) {
        f.error(file, 1, "`version` must be 1".into());
    }
    let Some(events) = v.get("hooks").and_then(Value::as_object) else {
        f.error(file, 1, "`hooks` must be an object of events".into());
        return;
    };
    for (event, handlers) in events {
        for h in handlers.as_array().into_iter().flatten() {
            if h.get("command").and_then(Value::as_str).is_none() {
                f.error(file, 1, format!("a {event} handler has no command"));
            }
            match h.get("failClosed") {
                Some(Value::Bool(true)) => {}
                Some(Value::Bool(false)) | None => f.error(
                    file,
                    1,
                    format!("the {event} handler must set failClosed: true (a missing binary would let calls through)"),
                ),
                Some(other) => f.error(
                    file,
                    1,
                    format!("failClosed is {other}; Cursor needs a real boolean"),
                ),
            }
        }
    }
}

/// A frontmatter value: only what the pack uses.
#[derive(Debug, Clone, PartialEq)]
enum Fm {
    Str(String),
    Bool(bool),
    List(Vec<String>),
}

/// The frontmatter of a Markdown file, with each key's line; `None` when there is none.
#[allow(clippy::type_complexity)]
fn frontmatter(text: &str) -> Option<Result<BTreeMap<String, (usize, Fm)>, (usize, String)>> {
    let mut lines = text.lines().enumerate();
    let (_, first) = lines.next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let mut out = BTreeMap::new();
    let mut last_key: Option<String> = None;
    for (i, line) in lines {
        let n = i + 1;
        if line.trim_end() == "---" {
            return Some(Ok(out));
        }
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        // A `- item` line continues the list of the key above it.
        if let Some(item) = line.trim_start().strip_prefix("- ")
            && line.starts_with([' ', '-'])
            && let Some(k) = &last_key
            && let Some((_, Fm::List(items))) = out.get_mut(k)
        {
            items.push(unquote(item.trim()).to_string());
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            return Some(Err((n, format!("`{line}` is not `key: value`"))));
        };
        if line.starts_with([' ', '\t']) {
            return Some(Err((
                n,
                format!("`{}`: nested values are not used in this pack", k.trim()),
            )));
        }
        let k = k.trim().to_string();
        let v = v.trim();
        let value = if v.is_empty() {
            Fm::List(Vec::new())
        } else if v == "true" || v == "false" {
            Fm::Bool(v == "true")
        } else if let Some(inner) = v.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
            Fm::List(
                inner
                    .split(',')
                    .map(|s| unquote(s.trim()).to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
            )
        } else if v == ">" || v == "|" || v == ">-" || v == "|-" {
            return Some(Err((n, format!("`{k}`: write the value on one line"))));
        } else {
            Fm::Str(unquote(v).to_string())
        };
        last_key = Some(k.clone());
        out.insert(k, (n, value));
    }
    Some(Err((1, "the frontmatter has no closing `---`".into())))
}

fn unquote(s: &str) -> &str {
    s.strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
        .unwrap_or(s)
}

/// Reads a Markdown file's frontmatter, reporting what is wrong with it.
fn read_frontmatter(
    file: &Path,
    what: &str,
    f: &mut Findings,
) -> Option<BTreeMap<String, (usize, Fm)>> {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            f.error(file, 1, format!("cannot be read: {e}"));
            return None;
        }
    };
    match frontmatter(&text) {
        None => {
            f.error(
                file,
                1,
                format!("a {what} starts with frontmatter between `---` lines"),
            );
            None
        }
        Some(Err((line, msg))) => {
            f.error(file, line, msg);
            None
        }
        Some(Ok(m)) => Some(m),
    }
}

/// Checks the keys of a frontmatter: required ones present and non-empty strings, unknown ones
/// reported.
fn keys(
    file: &Path,
    fm: &BTreeMap<String, (usize, Fm)>,
    required: &[&str],
    known: &[&str],
    what: &str,
    f: &mut Findings,
) {
    for r in required {
        match fm.get(*r) {
            Some((_, Fm::Str(s))) if !s.trim().is_empty() => {}
            Some((line, _)) => f.error(file, *line, format!("`{r}` must be a non-empty string")),
            None => f.error(file, 1, format!("a {what} needs `{r}` in its frontmatter")),
        }
    }
    for (k, (line, _)) in fm {
        if !known.contains(&k.as_str()) {
            f.warn(
                file,
                *line,
                format!(
                    "`{k}` is not a {what} frontmatter key the platform reads ({})",
                    known.join(", ")
                ),
            );
        }
    }
}

fn string_or_list(file: &Path, fm: &BTreeMap<String, (usize, Fm)>, key: &str, f: &mut Findings) {
    if let Some((line, Fm::Bool(_))) = fm.get(key) {
        f.error(
            file,
            *line,
            format!("`{key}` is a list of tools, not a boolean"),
        );
    }
}

const SKILL_KEYS: &[&str] = &[
    "name",
    "description",
    "when_to_use",
    "argument-hint",
    "arguments",
    "disable-model-invocation",
    "user-invocable",
    "allowed-tools",
    "disallowed-tools",
    "model",
    "effort",
    "context",
    "agent",
    "background",
    "hooks",
    "paths",
    "shell",
    "metadata",
    "license",
    "compatibility",
];

fn command(file: &Path, f: &mut Findings) {
    let Some(fm) = read_frontmatter(file, "command", f) else {
        return;
    };
    let known: Vec<&str> = SKILL_KEYS
        .iter()
        .copied()
        .filter(|k| !matches!(*k, "name" | "paths"))
        .collect();
    keys(file, &fm, &["description"], &known, "command", f);
    string_or_list(file, &fm, "allowed-tools", f);
    if !is_kebab(&stem(file)) {
        f.error(
            file,
            1,
            "a command's file name is its kebab-case name".into(),
        );
    }
}

fn skill(file: &Path, dir_name: &str, f: &mut Findings) {
    let Some(fm) = read_frontmatter(file, "skill", f) else {
        return;
    };
    keys(file, &fm, &["name", "description"], SKILL_KEYS, "skill", f);
    if let Some((line, Fm::Str(name))) = fm.get("name")
        && name != dir_name
    {
        f.error(
            file,
            *line,
            format!("name `{name}` differs from its directory `{dir_name}`"),
        );
    }
    if !is_kebab(dir_name) {
        f.error(
            file,
            1,
            format!("the skill directory `{dir_name}` must be kebab-case"),
        );
    }
    for b in ["user-invocable", "disable-model-invocation"] {
        if let Some((line, v)) = fm.get(b)
            && !matches!(v, Fm::Bool(_))
        {
            f.error(file, *line, format!("`{b}` must be true or false"));
        }
    }
    string_or_list(file, &fm, "allowed-tools", f);
}

const AGENT_KEYS: &[&str] = &[
    "name",
    "description",
    "tools",
    "disallowedTools",
    "model",
    "permissionMode",
    "maxTurns",
    "skills",
    "mcpServers",
    "hooks",
    "memory",
    "background",
    "effort",
    "isolation",
    "color",
    "initialPrompt",
];
const MODELS: &[&str] = &["inherit", "sonnet", "opus", "haiku"];
const COLORS: &[&str] = &[
    "red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan",
];

fn agent(file: &Path, f: &mut Findings) {
    let Some(fm) = read_frontmatter(file, "agent", f) else {
        return;
    };
    keys(file, &fm, &["name", "description"], AGENT_KEYS, "agent", f);
    if let Some((line, Fm::Str(name))) = fm.get("name")
        && *name != stem(file)
    {
        f.error(
            file,
            *line,
            format!("name `{name}` differs from the file name"),
        );
    }
    if let Some((line, v)) = fm.get("model") {
        let ok =
            matches!(v, Fm::Str(m) if MODELS.contains(&m.as_str()) || m.starts_with("claude-"));
        if !ok {
            f.error(
                file,
                *line,
                format!(
                    "model must be one of {} or a full model id",
                    MODELS.join(", ")
                ),
            );
        }
    }
    if let Some((line, v)) = fm.get("color")
        && !matches!(v, Fm::Str(c) if COLORS.contains(&c.as_str()))
    {
        f.error(
            file,
            *line,
            format!("color must be one of {}", COLORS.join(", ")),
        );
    }
    string_or_list(file, &fm, "tools", f);
}

fn cursor_rule(file: &Path, f: &mut Findings) {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    // Cursor reads `alwaysApply: "true"` as false: catch the quoted form before parsing.
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if let Some(v) = l.strip_prefix("alwaysApply:")
            && !matches!(v.trim(), "true" | "false")
        {
            f.error(
                file,
                i + 1,
                format!(
                    "alwaysApply is `{}`; Cursor needs a bare true or false",
                    v.trim()
                ),
            );
            return;
        }
        if i > 0 && l == "---" {
            break;
        }
    }
    let Some(fm) = read_frontmatter(file, "Cursor rule", f) else {
        return;
    };
    keys(
        file,
        &fm,
        &["description"],
        &["description", "globs", "alwaysApply"],
        "Cursor rule",
        f,
    );
    match fm.get("alwaysApply") {
        Some((_, Fm::Bool(_))) => {}
        Some((line, _)) => f.error(file, *line, "alwaysApply must be true or false".into()),
        None => f.warn(
            file,
            1,
            "no alwaysApply: the rule applies only when the agent picks it".into(),
        ),
    }
    if let Some((line, Fm::Bool(_))) = fm.get("globs") {
        f.error(file, *line, "globs is a pattern string or a list".into());
    }
}

const ROLE_KEYS: &[&str] = &[
    "name",
    "description",
    "developer_instructions",
    "nickname_candidates",
    "model",
    "model_reasoning_effort",
    "sandbox_mode",
    "web_search",
    "mcp_servers",
    "skills",
];

/// A Codex role file: the top-level keys of its TOML (string values, `"""` blocks included).
fn codex_role(file: &Path, f: &mut Findings) {
    f.files += 1;
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            f.error(file, 1, format!("cannot be read: {e}"));
            return;
        }
    };
    let mut found: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut lines = text.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if l.starts_with('[') {
            // Tables hold nested settings (mcp_servers): not top-level keys.
            break;
        }
        let Some((k, v)) = l.split_once('=') else {
            f.error(file, i + 1, format!("`{l}` is not `key = value`"));
            return;
        };
        let (k, v) = (k.trim().to_string(), v.trim());
        let value = if let Some(rest) = v.strip_prefix("\"\"\"").or_else(|| v.strip_prefix("'''")) {
            let close = &v[..3];
            let mut body = rest.to_string();
            if let Some(end) = rest.find(close) {
                body.truncate(end);
            } else {
                let mut closed = false;
                for (_, more) in lines.by_ref() {
                    if let Some(end) = more.find(close) {
                        body.push('\n');
                        body.push_str(&more[..end]);
                        closed = true;
                        break;
                    }
                    body.push('\n');
                    body.push_str(more);
                }
                if !closed {
                    f.error(
                        file,
                        i + 1,
                        format!("`{k}`: the multi-line string is not closed"),
                    );
                    return;
                }
            }
            body
        } else if let Some(s) = v.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
            s.to_string()
        } else {
            v.to_string()
        };
        found.insert(k, (i + 1, value));
    }
    for r in ["name", "description", "developer_instructions"] {
        match found.get(r) {
            Some((_, v)) if !v.trim().is_empty() => {}
            Some((line, _)) => f.error(file, *line, format!("`{r}` is empty")),
            None => f.error(file, 1, format!("a Codex role needs `{r}`")),
        }
    }
    for (k, (line, v)) in &found {
        if !ROLE_KEYS.contains(&k.as_str()) {
            f.error(
                file,
                *line,
                format!(
                    "`{k}` is not a key Codex reads in a role file ({})",
                    ROLE_KEYS.join(", ")
                ),
            );
        }
        let allowed: &[&str] = match k.as_str() {
            "sandbox_mode" => &["read-only", "workspace-write", "danger-full-access"],
            "model_reasoning_effort" => &["minimal", "low", "medium", "high", "xhigh"],
            _ => &[],
        };
        if !allowed.is_empty() && !allowed.contains(&v.as_str()) {
            f.error(
                file,
                *line,
                format!("{k} `{v}` is not one of {}", allowed.join(", ")),
            );
        }
    }
    if let Some((line, name)) = found.get("name")
        && *name != stem(file)
    {
        f.error(
            file,
            *line,
            format!("name `{name}` differs from the file name"),
        );
    }
}

/// Every relative Markdown link `[text](path)` (outside code) must name an existing file.
fn links(file: &Path, f: &mut Findings) {
    f.files += 1;
    let Ok(text) = std::fs::read_to_string(file) else {
        return;
    };
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut fenced = false;
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            let target = after[..end].trim();
            rest = &after[end..];
            // Inline code spans are examples, not links.
            let before = &line[..line.len() - rest.len()];
            if before.matches('`').count() % 2 == 1 {
                continue;
            }
            let path = target.split('#').next().unwrap_or_default();
            if path.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let resolved = dir.join(path);
            if !resolved.exists() {
                f.error(
                    file,
                    i + 1,
                    format!("the link to `{target}` points to nothing"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frontmatter_forms() {
        let fm = frontmatter("---\nname: x\ndescription: \"a: b\"\nuser-invocable: false\ntools: [Read, Grep]\nlist:\n  - a\n  - b\n---\nbody").unwrap().unwrap();
        assert_eq!(fm["name"].1, Fm::Str("x".into()));
        assert_eq!(fm["description"].1, Fm::Str("a: b".into()));
        assert_eq!(fm["user-invocable"].1, Fm::Bool(false));
        assert_eq!(fm["tools"].1, Fm::List(vec!["Read".into(), "Grep".into()]));
        assert_eq!(fm["list"].1, Fm::List(vec!["a".into(), "b".into()]));
        assert!(frontmatter("no frontmatter").is_none());
        assert!(frontmatter("---\nname: x\n").unwrap().is_err());
        assert!(
            frontmatter("---\ndescription: >\n  folded\n---\n")
                .unwrap()
                .is_err()
        );
    }

    #[test]
    fn names_and_versions() {
        assert!(is_kebab("so-hook") && is_kebab("a1-b"));
        assert!(!is_kebab("So-hook") && !is_kebab("a_b") && !is_kebab("a--b") && !is_kebab(""));
        assert!(is_semver("0.1.0") && is_semver("1.2.3-beta.1"));
        assert!(!is_semver("1.2") && !is_semver("v1.2.3"));
    }
}
