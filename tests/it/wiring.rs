//! The shipped hook registrations: they parse, name the right platform, fail closed where the
//! platform allows it, and carry only keys each platform accepts.

use serde_json::Value;
use std::path::Path;

fn load(rel: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every handler object of a Claude/Codex style file (event -> matcher groups -> hooks).
fn handlers(v: &Value) -> Vec<&Value> {
    v["hooks"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|groups| groups.as_array().unwrap())
        .flat_map(|g| g["hooks"].as_array().unwrap())
        .collect()
}

#[test]
fn claude_hooks_block_when_the_binary_fails() {
    let v = load("plugin/hooks/hooks.json");
    let hs = handlers(&v);
    assert!(!hs.is_empty());
    for h in hs {
        assert_eq!(h["type"], "command");
        assert!(
            h["command"]
                .as_str()
                .unwrap()
                .ends_with("--platform claude")
        );
        assert_eq!(h["onFailure"], "block", "onFailure belongs on each handler");
    }
    let groups = v["hooks"]["PreToolUse"].as_array().unwrap();
    let matcher = groups[0]["matcher"].as_str().unwrap();
    for tool in ["Bash", "Edit", "Write", "MultiEdit", "NotebookEdit"] {
        assert!(matcher.split('|').any(|m| m == tool), "{tool}");
    }
}

#[test]
fn codex_hooks_carry_only_keys_codex_accepts() {
    let v = load("plugin/hooks/hooks-codex.json");
    for key in v.as_object().unwrap().keys() {
        assert!(
            matches!(key.as_str(), "description" | "hooks"),
            "Codex rejects `{key}`"
        );
    }
    for h in handlers(&v) {
        assert!(h["command"].as_str().unwrap().ends_with("--platform codex"));
        for key in h.as_object().unwrap().keys() {
            assert!(
                matches!(
                    key.as_str(),
                    "type" | "command" | "timeout" | "statusMessage"
                ),
                "{key}"
            );
        }
    }
    // The repository root as a plugin, and `plugin/` as the marketplace installs it: both point
    // Codex at its own file (without a Codex manifest, Codex 0.169 loads the Claude file).
    for (manifest, base) in [
        (".codex-plugin/plugin.json", ""),
        ("plugin/.codex-plugin/plugin.json", "plugin"),
    ] {
        let hooks = load(manifest)["hooks"].as_str().unwrap().to_string();
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(base)
            .join(&hooks);
        assert!(
            file.ends_with("hooks/hooks-codex.json"),
            "{manifest}: {hooks}"
        );
        assert!(file.is_file(), "{manifest}: {hooks}");
    }
}

#[test]
fn cursor_hooks_always_fail_closed() {
    let v = load("cursor-rules/hooks.json");
    assert_eq!(v["version"], 1);
    let events = v["hooks"].as_object().unwrap();
    assert!(events.contains_key("beforeShellExecution") && events.contains_key("preToolUse"));
    for h in events.values().flat_map(|hs| hs.as_array().unwrap()) {
        assert!(
            h["command"]
                .as_str()
                .unwrap()
                .ends_with("--platform cursor")
        );
        assert_eq!(h["failClosed"], true);
    }
}

#[test]
fn the_marketplace_points_at_the_plugin() {
    let m = load(".claude-plugin/marketplace.json");
    let source = m["plugins"][0]["source"].as_str().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(source);
    assert!(root.join(".claude-plugin/plugin.json").is_file());
    assert!(root.join("hooks/hooks.json").is_file());
    assert_eq!(
        load("plugin/.claude-plugin/plugin.json")["name"],
        m["plugins"][0]["name"]
    );
}
