//! The JSON files of the pack: the marketplace, the plugin manifests (Claude Code's and Codex's)
//! and the hook files (Claude Code's, Codex's and Cursor's).

use super::{Findings, is_kebab, is_semver, read_json};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The marketplace and the plugin directories it lists.
pub(super) fn marketplace(root: &Path, f: &mut Findings) -> Vec<PathBuf> {
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

/// A plugin's Claude Code manifest (`.claude-plugin/plugin.json`), when there is one.
pub(super) fn claude_manifest(dir: &Path, f: &mut Findings) {
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
            for p in component_paths(&v, key) {
                if !dir.join(p).exists() {
                    f.error(
                        &manifest,
                        1,
                        format!("`{key}` names {p}, which does not exist"),
                    );
                }
            }
        }
    }
}

/// The paths a manifest's component key gives: one string or a list of them.
pub(super) fn component_paths<'a>(manifest: &'a Value, key: &str) -> Vec<&'a str> {
    match manifest.get(key) {
        Some(Value::String(p)) => vec![p.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
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

pub(super) fn codex_manifest(file: &Path, base: &Path, f: &mut Findings) {
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
pub(super) fn hook_file(file: &Path, codex: bool, f: &mut Findings) {
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

pub(super) fn cursor_hooks(file: &Path, f: &mut Findings) {
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
