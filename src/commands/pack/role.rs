//! A Codex role file (`.codex-plugin/agents/*.toml`): the keys Codex reads, with valid values.

use super::{Findings, stem};
use std::path::Path;

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
pub(super) fn codex_role(file: &Path, f: &mut Findings) {
    f.files += 1;
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            f.error(file, 1, format!("cannot be read: {e}"));
            return;
        }
    };
    let found = match super::toml::top_level(&text) {
        Ok(found) => found,
        Err((line, message)) => {
            f.error(file, line, message);
            return;
        }
    };
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
