//! PostToolUse after an edit: the type-check named in the Session Config runs; a failure is told
//! to the agent as context, in the PostToolUse envelope of Claude Code and Codex; nothing blocks.

use crate::common::*;
use serde_json::{Value, json};
use std::path::Path;

fn config(root: &Path, section: &str) {
    write(
        root,
        "CLAUDE.md",
        &format!("# Project\n\n## Session Config\n\n{section}\n\n## Other\n"),
    );
}

fn post_edit(root: &Path, file: &str) -> Value {
    let mut p = write_call(root, file);
    p["hook_event_name"] = json!("PostToolUse");
    p["tool_response"] = json!({"filePath": root.join(file), "success": true});
    p
}

fn out(a: &Answer) -> Value {
    serde_json::from_str(&a.stdout).unwrap_or(Value::Null)
}

#[test]
fn a_failing_check_is_context_for_the_agent() {
    let root = project("tc-fail");
    config(
        &root,
        "- **typecheck-command:** echo 'src/a.ts(3,1): error TS2322' >&2; exit 2",
    );
    let a = run(&post_edit(&root, "src/a.ts"));
    assert_eq!(a.exit, 0, "PostToolUse never blocks");
    let v = out(&a);
    assert_eq!(v["hookSpecificOutput"]["hookEventName"], "PostToolUse");
    let context = v["hookSpecificOutput"]["additionalContext"]
        .as_str()
        .unwrap();
    assert!(context.contains("error TS2322"), "{context}");
    assert!(context.contains("exit status 2"), "{context}");
    assert!(
        v["systemMessage"]
            .as_str()
            .unwrap()
            .contains("type-check failed")
    );
    assert!(v.get("decision").is_none(), "nothing is blocked");
}

#[test]
fn a_passing_check_an_unset_one_and_prose_edits_are_silent() {
    let root = project("tc-pass");
    config(&root, "typecheck-command: test -f src/a.ts");
    write(&root, "src/a.ts", "let x = 1;\n");
    assert_eq!(run(&post_edit(&root, "src/a.ts")).stdout, "");

    let unset = project("tc-unset");
    config(&unset, "waves: 3");
    assert_eq!(run(&post_edit(&unset, "src/a.ts")).stdout, "");

    let prose = project("tc-prose");
    config(&prose, "typecheck-command: exit 1");
    assert_eq!(run(&post_edit(&prose, "docs/guide.md")).stdout, "");
    assert_ne!(run(&post_edit(&prose, "src/a.rs")).stdout, "");
}

#[test]
fn the_gate_in_the_manifest_turns_it_off() {
    let root = project("tc-gate");
    config(&root, "typecheck-command: exit 1");
    manifest(
        &root,
        ".claude",
        json!({"wave": 1, "role": "Impl-Core", "enforcement": "strict", "allowedPaths": ["src/"],
               "blockedCommands": [], "gates": {"post-edit-validate": false}}),
    );
    assert_eq!(run(&post_edit(&root, "src/a.rs")).stdout, "");
}

#[test]
fn a_destructive_check_is_not_run() {
    let root = project("tc-guard");
    write(&root, "src/keep.rs", "fn main() {}\n");
    config(&root, "typecheck-command: rm -rf src");
    let a = run(&post_edit(&root, "src/a.rs"));
    assert!(
        root.join("src/keep.rs").exists(),
        "the guard judged the command first"
    );
    let v = out(&a);
    let msg = v["systemMessage"].as_str().unwrap();
    assert!(
        msg.contains("did not run") && msg.contains("rm-recursive-force"),
        "{msg}"
    );
    assert!(v.get("hookSpecificOutput").is_none());
}

#[test]
fn a_slow_check_is_stopped_and_said_to_the_user() {
    let root = project("tc-slow");
    config(&root, "typecheck-command: sleep 30\ntypecheck-timeout: 1");
    let start = std::time::Instant::now();
    let a = run(&post_edit(&root, "src/a.rs"));
    assert!(start.elapsed().as_secs() < 10);
    let msg = out(&a)["systemMessage"].as_str().unwrap().to_string();
    assert!(msg.contains("after 1 s"), "{msg}");
}

#[test]
fn codex_apply_patch_reads_agents_md() {
    let root = project("tc-codex");
    write(
        &root,
        "AGENTS.md",
        "## Session Config\n\ntypecheck-command: echo \"broken\"; exit 1\n",
    );
    let p = json!({"session_id": "s", "turn_id": "1", "transcript_path": null, "cwd": root,
        "hook_event_name": "PostToolUse", "model": "gpt-5", "permission_mode": "default",
        "tool_name": "apply_patch", "tool_use_id": "c1",
        "tool_input": {"command": "*** Begin Patch\n*** Add File: src/n.rs\n+fn x() {}\n*** End Patch\n"},
        "tool_response": "Success"});
    let a = run(&p);
    let v = out(&a);
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["hookSpecificOutput", "systemMessage"]);
    let hso = v["hookSpecificOutput"].as_object().unwrap();
    assert_eq!(hso.len(), 2, "{hso:?}");
    assert!(
        hso["additionalContext"]
            .as_str()
            .unwrap()
            .contains("broken")
    );
    assert!(
        hso["additionalContext"]
            .as_str()
            .unwrap()
            .contains("src/n.rs")
    );
}

#[test]
fn cursor_post_tool_use_gets_additional_context() {
    let root = project("tc-cursor");
    config(&root, "typecheck-command: echo 'cursor broke it'; exit 1");
    let p = json!({"conversation_id": "c1", "generation_id": "g1", "model": "default",
        "cursor_version": "3.9.16", "workspace_roots": [root], "user_email": null,
        "transcript_path": null, "hook_event_name": "postToolUse", "tool_name": "Write",
        "tool_input": {"file_path": root.join("src/a.ts")}, "tool_output": "{}", "duration": 5});
    let v = out(&run(&p));
    assert!(
        v["additional_context"]
            .as_str()
            .unwrap()
            .contains("cursor broke it"),
        "{v}"
    );
}
