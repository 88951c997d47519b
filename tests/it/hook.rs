//! The Claude Code envelope and the fail-closed promises, end to end through the real binary.

use crate::common::*;
use serde_json::{Value, json};

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[test]
fn benign_bash_is_a_silent_allow() {
    let root = project("benign");
    let a = run(&bash(&root, "cargo test && git status"));
    assert_eq!(a.stdout, "");
    assert_eq!(a.verdict(), "allow");
}

#[test]
fn destructive_bash_is_denied_in_the_exact_envelope() {
    let root = project("deny");
    let a = run(&bash(&root, "ls; rm -fr src"));
    let v = a.json.as_ref().unwrap();
    assert_eq!(keys(v), vec!["hookSpecificOutput", "systemMessage"]);
    let h = &v["hookSpecificOutput"];
    assert_eq!(
        keys(h),
        vec![
            "hookEventName",
            "permissionDecision",
            "permissionDecisionReason"
        ]
    );
    assert_eq!(h["hookEventName"], "PreToolUse");
    assert_eq!(h["permissionDecision"], "deny");
    assert_eq!(a.rule(), "rm-recursive-force");
    assert!(a.reason().contains("rm -fr src"));
    assert!(
        v["systemMessage"]
            .as_str()
            .unwrap()
            .contains("rm-recursive-force")
    );
    assert_eq!(a.stdout.trim().lines().count(), 1);
}

#[test]
fn unguarded_tools_are_allowed_without_looking_at_their_input() {
    let root = project("other");
    for (tool, input) in [
        ("Read", json!({"file_path": "/etc/passwd"})),
        ("Glob", json!({"pattern": "**/*"})),
        ("mcp__github__create_issue", json!("not even an object")),
        (
            "WebFetch",
            json!({"url": "https://example.com", "prompt": "rm -rf /"}),
        ),
    ] {
        let a = run(&payload(&root, tool, input));
        assert_eq!(a.verdict(), "allow", "{tool}");
    }
}

#[test]
fn reasons_stay_under_the_platform_cap() {
    let root = project("cap");
    let huge = format!("rm -rf src/{}", "a".repeat(1_000_000));
    let a = run(&bash(&root, &huge));
    assert_eq!(a.verdict(), "deny");
    let v = a.json.unwrap();
    assert!(
        v["hookSpecificOutput"]["permissionDecisionReason"]
            .as_str()
            .unwrap()
            .chars()
            .count()
            < 10_000
    );
    assert!(v["systemMessage"].as_str().unwrap().chars().count() < 10_000);
}

fn denied_as_invalid(a: &Answer, what: &str) {
    assert_eq!(a.exit, 0, "{what}");
    assert_eq!(a.verdict(), "deny", "{what}: {:?}", a.stdout);
    assert_eq!(a.rule(), "input-invalid", "{what}");
}

#[test]
fn unreadable_payloads_are_denied_with_a_reason() {
    let root = project("bad");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty stdin", b"".to_vec()),
        ("whitespace", b"  \n".to_vec()),
        ("not json", b"rm -rf /".to_vec()),
        (
            "truncated json",
            br#"{"tool_name":"Bash","tool_input":{"command":"ls""#.to_vec(),
        ),
        ("array", b"[1,2]".to_vec()),
        ("string", b"\"Bash\"".to_vec()),
        (
            "invalid utf-8",
            b"{\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"\xff\xfe\"}}".to_vec(),
        ),
    ];
    for (what, bytes) in cases {
        denied_as_invalid(&run_bytes(bytes, &[]), what);
    }
    let shapes = vec![
        (
            "no tool_name",
            json!({"hook_event_name": "PreToolUse", "tool_input": {"command": "ls"}}),
        ),
        (
            "tool_name not a string",
            json!({"tool_name": 3, "tool_input": {"command": "ls"}}),
        ),
        (
            "command not a string",
            bash_with(&root, json!({"command": ["rm", "-rf", "/"]})),
        ),
        ("no command", bash_with(&root, json!({"description": "x"}))),
        (
            "tool_input not an object",
            bash_with(&root, json!("rm -rf /")),
        ),
        ("no tool_input", json!({"tool_name": "Bash", "cwd": root})),
        (
            "write without file_path",
            payload(&root, "Write", json!({"content": "x"})),
        ),
        (
            "edit with numeric path",
            payload(&root, "Edit", json!({"file_path": 7})),
        ),
        (
            "notebook without path",
            payload(&root, "NotebookEdit", json!({"new_source": "x"})),
        ),
        ("event not a string", {
            let mut p = bash(&root, "ls");
            p["hook_event_name"] = json!(1);
            p
        }),
    ];
    for (what, p) in shapes {
        denied_as_invalid(&run(&p), what);
    }
}

fn bash_with(root: &std::path::Path, input: Value) -> Value {
    payload(root, "Bash", input)
}

#[test]
fn payloads_over_the_limit_are_denied() {
    let big = vec![b' '; 33 * 1024 * 1024];
    let a = run_bytes(big, &[]);
    denied_as_invalid(&a, "oversized");
    assert!(a.reason().contains("32 MiB"));
}

#[test]
fn large_legitimate_writes_pass() {
    let root = project("bigwrite");
    let content = "x".repeat(12 * 1024 * 1024);
    let p = payload(
        &root,
        "Write",
        json!({"file_path": root.join("src/big.txt"), "content": content}),
    );
    assert_eq!(run(&p).verdict(), "allow");
}

#[test]
fn other_events_get_a_visible_notice_not_a_decision() {
    let root = project("event");
    let mut p = bash(&root, "rm -rf src");
    p["hook_event_name"] = json!("UserPromptSubmit");
    let a = run(&p);
    assert_eq!(a.verdict(), "notice");
    assert!(a.reason().contains("PreToolUse"));
    assert!(a.reason().contains("UserPromptSubmit"));
}

#[test]
fn platform_flag_and_inference() {
    let root = project("platform");
    let p = serde_json::to_vec(&bash(&root, "git push --force")).unwrap();
    let a = run_bytes(p.clone(), &["--platform", "claude"]);
    assert_eq!(a.verdict(), "deny");
    // Without the flag, a Codex payload (it has `turn_id`) is answered in Codex's shape.
    let mut codex = bash(&root, "git push --force");
    codex["turn_id"] = json!("1");
    let a = run(&codex);
    assert_eq!(a.verdict(), "deny");
    assert!(a.json.as_ref().unwrap().get("systemMessage").is_some());
}

#[test]
fn claude_project_dir_names_the_root() {
    let root = project("envroot");
    manifest(&root, ".claude", json!({"allowedPaths": ["src/"]}));
    let mut p = write_call(&root, "docs/a.md");
    p["cwd"] = json!("/");
    let out = so_hook()
        .arg("hook")
        .env("CLAUDE_PROJECT_DIR", &root)
        .write_stdin(serde_json::to_vec(&p).unwrap())
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["hookSpecificOutput"]["permissionDecision"], "deny");
}

#[cfg(debug_assertions)]
#[test]
fn a_panic_still_answers_with_a_deny() {
    let root = project("panic");
    let out = so_hook()
        .arg("hook")
        .env("SO_HOOK_DEBUG_PANIC", "1")
        .write_stdin(serde_json::to_vec(&bash(&root, "ls")).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["hookSpecificOutput"]["permissionDecision"], "deny");
    assert!(
        v["hookSpecificOutput"]["permissionDecisionReason"]
            .as_str()
            .unwrap()
            .contains("internal error")
    );
}

#[test]
fn hostile_paths_and_expansions_still_end_in_a_decision() {
    let root = project("hostile");
    manifest(&root, ".claude", json!({"allowedPaths": ["src/"]}));
    // 20,000 path components: resolving them once recursed per component and overflowed the stack
    // (an abort, which no panic handler turns into a deny).
    let deep = "a/".repeat(20_000);
    let redirect = bash_with(&root, json!({"command": format!("echo hi > /{deep}x")}));
    let a = run(&redirect);
    // A file under `/` is a system file: the main session's table denies before the wave does.
    assert_eq!((a.verdict(), a.rule().as_str()), ("deny", "system-change"));
    let redirect = bash_with(&root, json!({"command": format!("echo hi > /tmp/{deep}x")}));
    assert_eq!(run(&redirect).verdict(), "allow");
    let write = json!({"session_id": "s", "cwd": root, "hook_event_name": "PreToolUse",
                       "tool_name": "Write", "tool_input": {"file_path": format!("{deep}x")}});
    assert_eq!(run(&write).verdict(), "deny");
    // Sequence bounds at the ends of i64 (a debug build overflowed and denied as an internal error).
    let edge = bash_with(
        &root,
        json!({"command": "echo {-9223372036854775808..9223372036854775807..9223372036854775807}"}),
    );
    assert_eq!(run(&edge).verdict(), "allow");
}

#[test]
fn a_small_stack_limit_still_ends_in_an_answer() {
    // Under `ulimit -s 64` the main thread overflowed on 40 nested substitutions and the process
    // aborted without an answer (Codex then runs the call); judging now moves to a thread with a
    // stack of its own.
    let bin = assert_cmd::cargo::cargo_bin("so-hook");
    let command = format!("echo {}x{}", "$(echo ".repeat(40), ")".repeat(40));
    let payload = serde_json::json!({"cwd": "/tmp", "hook_event_name": "PreToolUse",
        "tool_name": "Bash", "tool_input": {"command": command}});
    for limit in ["64", "8192"] {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "ulimit -s {limit} && exec \"$0\" hook --platform claude"
            ))
            .arg(&bin)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin
                    .take()
                    .unwrap()
                    .write_all(payload.to_string().as_bytes())?;
                c.wait_with_output()
            })
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "ulimit -s {limit}: {text}");
        assert!(text.contains("\"permissionDecision\":\"deny\""), "{text}");
        assert!(text.contains("nesting-limit"), "{text}");
    }
}
