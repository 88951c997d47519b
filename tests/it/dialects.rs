//! Codex and Cursor payloads replayed through the real binary (`tests/envelopes/*.jsonl`), with each
//! answer checked against the exact shape the platform reads.

use crate::common::*;
use serde_json::{Value, json};
use std::path::Path;

#[derive(serde::Deserialize)]
struct Fixture {
    name: String,
    payload: Value,
    expect: String,
    #[serde(default)]
    rule: Option<String>,
}

fn fixtures(file: &str, root: &Path) -> Vec<Fixture> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
    let root = root.display().to_string();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("//"))
        .map(|l| serde_json::from_str(&l.replace("$ROOT", &root)).unwrap())
        .collect()
}

/// A project with a Codex or Cursor wave over `src/`, and a policy with an ask and a warn rule.
fn setup(name: &str, state_dir: &str) -> std::path::PathBuf {
    let root = project(name);
    write(&root, "src/a.rs", "fn main() {}\n");
    manifest(
        &root,
        state_dir,
        json!({"wave": 2, "allowedPaths": ["src/"]}),
    );
    write(
        &root,
        ".so-hook/policy.json",
        r#"{"rules": [{"id": "tf-apply", "action": "ask", "regex": "^terraform (apply|destroy)"},
                      {"id": "curl", "action": "warn", "command": "curl"}]}"#,
    );
    root
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[test]
fn codex_answers_in_the_shape_codex_accepts() {
    let root = setup("codex", ".codex");
    for f in fixtures("tests/envelopes/codex.jsonl", &root) {
        for platform in [Some("codex"), None] {
            let args: Vec<&str> = platform.map(|p| vec!["--platform", p]).unwrap_or_default();
            let a = run_bytes(serde_json::to_vec(&f.payload).unwrap(), &args);
            assert_eq!(a.exit, 0, "{}", f.name);
            match (f.expect.as_str(), &a.json) {
                ("allow", None) => {}
                ("deny", Some(v)) => {
                    assert_eq!(
                        keys(v),
                        vec!["hookSpecificOutput", "systemMessage"],
                        "{}",
                        f.name
                    );
                    let h = &v["hookSpecificOutput"];
                    assert_eq!(
                        keys(h),
                        vec![
                            "hookEventName",
                            "permissionDecision",
                            "permissionDecisionReason"
                        ],
                        "{}",
                        f.name
                    );
                    assert_eq!(h["hookEventName"], "PreToolUse");
                    assert_eq!(h["permissionDecision"], "deny", "{}", f.name);
                    let reason = h["permissionDecisionReason"].as_str().unwrap();
                    assert!(!reason.is_empty());
                    let rule = f.rule.as_deref().unwrap();
                    assert!(
                        reason.contains(&format!("so-hook rule {rule}")),
                        "{}: {reason}",
                        f.name
                    );
                    if rule == "tf-apply" {
                        assert!(reason.contains("ask the user"), "{reason}");
                    }
                }
                ("warn", Some(v)) => {
                    assert_eq!(keys(v), vec!["systemMessage"], "{}", f.name);
                }
                (expect, got) => panic!("{}: expected {expect}, got {got:?}", f.name),
            }
        }
    }
}

#[test]
fn cursor_always_answers_with_a_decision() {
    let root = setup("cursor", ".cursor");
    for f in fixtures("tests/envelopes/cursor.jsonl", &root) {
        for platform in [Some("cursor"), None] {
            let args: Vec<&str> = platform.map(|p| vec!["--platform", p]).unwrap_or_default();
            let a = run_bytes(serde_json::to_vec(&f.payload).unwrap(), &args);
            assert_eq!(a.exit, 0, "{}", f.name);
            let v = a
                .json
                .as_ref()
                .unwrap_or_else(|| panic!("{}: no decision", f.name));
            assert_eq!(v["permission"], f.expect.as_str(), "{}: {v}", f.name);
            if f.expect == "allow" {
                assert_eq!(keys(v), vec!["permission"], "{}", f.name);
            } else {
                assert_eq!(keys(v), vec!["agent_message", "permission", "user_message"]);
                assert_eq!(v["user_message"], v["agent_message"]);
                let rule = f.rule.as_deref().unwrap();
                let message = v["user_message"].as_str().unwrap();
                assert!(message.contains(rule), "{}", f.name);
                // An ask rule cannot prompt through Cursor: it is denied, and says why.
                if rule == "tf-apply" {
                    assert!(message.contains("ask the user"), "{}: {message}", f.name);
                }
            }
        }
    }
}

#[test]
fn broken_payloads_are_denied_in_each_dialect() {
    let a = run_bytes(b"not json".to_vec(), &["--platform", "cursor"]);
    assert_eq!(a.json.as_ref().unwrap()["permission"], "deny");
    let a = run_bytes(b"".to_vec(), &["--platform", "codex"]);
    assert_eq!(
        a.json.as_ref().unwrap()["hookSpecificOutput"]["permissionDecision"],
        "deny"
    );
    // A Codex event the hook does not guard: a visible notice, in keys Codex knows.
    let a = run_bytes(
        serde_json::to_vec(
            &json!({"turn_id": "1", "hook_event_name": "UserPromptSubmit", "cwd": "/"}),
        )
        .unwrap(),
        &[],
    );
    assert_eq!(keys(a.json.as_ref().unwrap()), vec!["systemMessage"]);
}

#[test]
fn cursor_after_file_edit_reports_and_tells_the_agent_on_its_next_call() {
    let root = setup("cursor-after", ".cursor");
    let base = json!({"conversation_id": "c1", "generation_id": "g1", "cursor_version": "3.9.16",
                      "workspace_roots": [root], "hook_event_name": "afterFileEdit"});
    let after = |file: &str| {
        let mut p = base.clone();
        p["file_path"] = json!(root.join(file));
        p["edits"] = json!([]);
        run_bytes(serde_json::to_vec(&p).unwrap(), &["--platform", "cursor"])
    };
    let shell = |c: &str| {
        let p = json!({"conversation_id": "c1", "generation_id": "g2", "cursor_version": "3.9.16",
                       "workspace_roots": [root], "hook_event_name": "beforeShellExecution",
                       "command": c, "cwd": root});
        run_bytes(serde_json::to_vec(&p).unwrap(), &["--platform", "cursor"])
    };
    // Inside the scope: nothing to say, and nothing kept.
    let a = after("src/a.rs");
    assert_eq!(a.json.as_ref().unwrap(), &json!({"permission": "allow"}));
    assert_eq!(shell("ls").json.unwrap(), json!({"permission": "allow"}));
    // Outside: reported (it cannot be undone here) and kept for the next call.
    let a = after("docs/notes.md");
    let v = a.json.unwrap();
    assert_eq!(v["permission"], "allow");
    assert!(
        v["agent_message"].as_str().unwrap().contains("Revert"),
        "{v}"
    );
    assert!(a.stderr.contains("scope-not-allowed"), "{}", a.stderr);
    // A denied call does not use the notice up; the next allowed call carries it, once.
    assert_eq!(shell("rm -rf /").json.unwrap()["permission"], "deny");
    let v = shell("ls").json.unwrap();
    assert_eq!(v["permission"], "allow");
    let told = v["agent_message"].as_str().unwrap();
    assert!(told.contains("docs/notes.md"), "{told}");
    assert_eq!(shell("ls").json.unwrap(), json!({"permission": "allow"}));
    // A payload without a file is refused like any other broken payload.
    let mut p = base.clone();
    p["edits"] = json!([]);
    let a = run_bytes(serde_json::to_vec(&p).unwrap(), &["--platform", "cursor"]);
    assert_eq!(a.json.unwrap()["permission"], "deny");
}

#[test]
fn a_nul_byte_in_a_command_or_path_is_invalid_input() {
    let root = setup("nul", ".claude");
    let a = run(&bash(&root, "\u{0}rm -rf /"));
    assert_eq!(a.verdict(), "deny");
    assert_eq!(a.rule(), "input-invalid");
    assert!(a.reason().contains("NUL"), "{}", a.reason());
    let a = run(&write_call(&root, "src/a\u{0}.rs"));
    assert_eq!(a.rule(), "input-invalid");
    let cursor = json!({"conversation_id": "c", "cursor_version": "3",
        "hook_event_name": "beforeShellExecution", "command": "ls\u{0}; rm -rf ~",
        "workspace_roots": [root], "cwd": root});
    let a = run_bytes(cursor.to_string().into_bytes(), &["--platform", "cursor"]);
    assert_eq!(a.json.as_ref().unwrap()["permission"], "deny");
}
