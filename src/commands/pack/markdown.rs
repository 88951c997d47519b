//! The Markdown files of the pack: commands, skills, agents, output styles and Cursor rules, each
//! held to the frontmatter keys and values its platform reads.

use super::yaml::{Fm, Frontmatter, frontmatter};
use super::{Findings, is_kebab, stem};
use std::path::Path;

/// "a command", "an agent": the kind of file with its article.
fn a(what: &str) -> String {
    let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {what}")
}

/// Reads a Markdown file's frontmatter, reporting what is wrong with it.
fn read_frontmatter(file: &Path, what: &str, f: &mut Findings) -> Option<Frontmatter> {
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
                format!("{} starts with frontmatter between `---` lines", a(what)),
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
    fm: &Frontmatter,
    required: &[&str],
    known: &[&str],
    what: &str,
    f: &mut Findings,
) {
    for r in required {
        match fm.get(*r) {
            Some((_, Fm::Str(s))) if !s.trim().is_empty() => {}
            Some((line, _)) => f.error(file, *line, format!("`{r}` must be a non-empty string")),
            None => f.error(
                file,
                1,
                format!("{} needs `{r}` in its frontmatter", a(what)),
            ),
        }
    }
    for (k, (line, _)) in fm {
        if !known.contains(&k.as_str()) {
            f.warn(
                file,
                *line,
                format!(
                    "`{k}` is not {} frontmatter key the platform reads ({})",
                    a(what),
                    known.join(", ")
                ),
            );
        }
    }
}

fn string_or_list(file: &Path, fm: &Frontmatter, key: &str, f: &mut Findings) {
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

pub(super) fn command(file: &Path, f: &mut Findings) {
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

pub(super) fn skill(file: &Path, dir_name: &str, f: &mut Findings) {
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

pub(super) fn agent(file: &Path, f: &mut Findings) {
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

/// Claude Code's output-style frontmatter (its loader rejects other keys).
const OUTPUT_STYLE_KEYS: &[&str] = &[
    "name",
    "description",
    "keep-coding-instructions",
    "force-for-plugin",
];

/// An output style (`output-styles/*.md`): `name` (what users select, as `<plugin>:<name>`) and
/// `description` (shown in the style picker), the two switches as real booleans. Returns the name,
/// for the caller to keep the names of one plugin unique.
pub(super) fn output_style(file: &Path, f: &mut Findings) -> Option<(String, usize)> {
    let fm = read_frontmatter(file, "output style", f)?;
    keys(
        file,
        &fm,
        &["name", "description"],
        OUTPUT_STYLE_KEYS,
        "output style",
        f,
    );
    for b in ["keep-coding-instructions", "force-for-plugin"] {
        if let Some((line, v)) = fm.get(b)
            && !matches!(v, Fm::Bool(_))
        {
            f.error(file, *line, format!("`{b}` must be true or false"));
        }
    }
    if let Some((line, Fm::Bool(true))) = fm.get("force-for-plugin") {
        f.warn(
            file,
            *line,
            "force-for-plugin: true imposes this style on every session of everyone who enables \
             the plugin, whatever style they chose"
                .into(),
        );
    }
    match fm.get("name") {
        Some((line, Fm::Str(name))) if !is_kebab(name) => {
            f.error(
                file,
                *line,
                format!(
                    "output style name `{name}` must be kebab-case (users type it in settings)"
                ),
            );
            None
        }
        Some((line, Fm::Str(name))) => Some((name.clone(), *line)),
        _ => None,
    }
}

pub(super) fn cursor_rule(file: &Path, f: &mut Findings) {
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
