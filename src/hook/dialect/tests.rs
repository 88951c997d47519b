use super::*;
use crate::hook::call::Tool;
use crate::hook::decision::{Context, ContextEvent, Verdict};
use serde_json::json;
use std::path::{Path, PathBuf};

/// A directory that holds no project, so a search for the root stops where it starts.
const AWAY: &str = "/nonexistent-so-hook-dialect/app";

fn env() -> Environment {
    Environment {
        process_cwd: Some(PathBuf::from(AWAY)),
        ..Environment::default()
    }
}

fn decoded(payload: Value, forced: Option<Platform>) -> (Platform, Result<ToolCall, Rejected>) {
    decode(payload.to_string().as_bytes(), forced, &env())
}

fn call(payload: Value) -> ToolCall {
    decoded(payload, None).1.expect("a call")
}

fn invalid(bytes: &[u8], forced: Option<Platform>) -> (Platform, String) {
    match decode(bytes, forced, &env()) {
        (p, Err(Rejected::Invalid(why))) => (p, why),
        (_, other) => panic!("not rejected as invalid: {other:?}"),
    }
}

fn claude(tool_name: &str, tool_input: Value) -> Value {
    json!({
        "session_id": "s1", "transcript_path": "/t.jsonl", "cwd": AWAY,
        "hook_event_name": "PreToolUse", "tool_name": tool_name, "tool_input": tool_input
    })
}

fn cursor(event: &str, extra: Value) -> Value {
    let mut v = json!({
        "conversation_id": "c1", "generation_id": "g1", "cursor_version": "3.9.16",
        "workspace_roots": ["/ws/root"], "hook_event_name": event
    });
    v.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    v
}

fn shell_tool(command: &str) -> Tool {
    Tool::Shell {
        command: command.into(),
    }
}

#[test]
fn claude_code_payloads_become_calls() {
    let c = call(claude("Bash", json!({"command": "cargo test"})));
    assert_eq!(c.platform, Platform::Claude);
    assert_eq!(c.tool, shell_tool("cargo test"));
    assert_eq!(c.agent_id, None);
    assert_eq!(c.root, Path::new(AWAY));
    assert_eq!(c.cwd, Path::new(AWAY));

    for name in ["Edit", "Write", "MultiEdit"] {
        let c = call(claude(
            name,
            json!({"file_path": "src/a.rs", "content": "x"}),
        ));
        assert_eq!(
            c.tool,
            Tool::Edit {
                tool: name.into(),
                paths: vec!["src/a.rs".into()]
            }
        );
    }
    let c = call(claude(
        "NotebookEdit",
        json!({"notebook_path": "/p/n.ipynb"}),
    ));
    assert_eq!(
        c.tool,
        Tool::Edit {
            tool: "NotebookEdit".into(),
            paths: vec!["/p/n.ipynb".into()]
        }
    );
    assert_eq!(
        call(claude("Read", json!({"file_path": "/etc/passwd"}))).tool,
        Tool::Other {
            name: "Read".into()
        }
    );

    // A subagent's call carries its id; an empty one is none.
    let mut sub = claude("Bash", json!({"command": "ls"}));
    sub["agent_id"] = json!("agent-7");
    assert_eq!(call(sub.clone()).agent_id.as_deref(), Some("agent-7"));
    sub["agent_id"] = json!("");
    assert_eq!(call(sub).agent_id, None);
}

#[test]
fn claude_code_names_its_project_with_claude_project_dir() {
    let env = Environment {
        claude_project_dir: Some(PathBuf::from("/named/root")),
        ..env()
    };
    let payload = claude("Bash", json!({"command": "ls"})).to_string();
    let (_, c) = decode(payload.as_bytes(), None, &env);
    let c = c.unwrap();
    assert_eq!(c.root, Path::new("/named/root"));
    assert_eq!(c.cwd, Path::new(AWAY));
    // Only Claude Code reads it: the same payload sent as Codex's finds its own root.
    let (_, c) = decode(payload.as_bytes(), Some(Platform::Codex), &env);
    assert_eq!(c.unwrap().root, Path::new(AWAY));
}

#[test]
fn lifecycle_events_and_post_tool_use() {
    let event = |name: &str, extra: Value| {
        let mut v = json!({"session_id": "s1", "cwd": AWAY, "hook_event_name": name});
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        call(v).tool
    };
    assert_eq!(event("SessionStart", json!({})), Tool::Started);
    assert_eq!(event("Stop", json!({})), Tool::Stopped { subagent: None });
    assert_eq!(
        event(
            "SubagentStop",
            json!({"agent_type": "reviewer", "agent_id": "a1"})
        ),
        Tool::Stopped {
            subagent: Some("reviewer".into())
        }
    );
    assert_eq!(
        event("SubagentStop", json!({})),
        Tool::Stopped {
            subagent: Some("unknown".into())
        }
    );
    assert_eq!(
        event(
            "PostToolUse",
            json!({"tool_name": "Write", "tool_input": {"file_path": "/p/a.rs"}})
        ),
        Tool::Written {
            paths: vec!["/p/a.rs".into()]
        }
    );
    // An unreadable PostToolUse cannot block: it is passed over.
    assert_eq!(
        event("PostToolUse", json!({"tool_name": "Write"})),
        Tool::Other {
            name: "PostToolUse".into()
        }
    );
    // An event it does not serve is allowed with a notice.
    let (p, r) = decoded(
        json!({"hook_event_name": "UserPromptSubmit", "prompt": "hi"}),
        None,
    );
    assert_eq!(p, Platform::Claude);
    assert_eq!(
        r.unwrap_err(),
        Rejected::WrongEvent("UserPromptSubmit".into())
    );
    // A payload without an event name is taken as PreToolUse.
    let c = call(json!({"cwd": AWAY, "tool_name": "Bash", "tool_input": {"command": "ls"}}));
    assert_eq!(c.tool, shell_tool("ls"));
}

#[test]
fn codex_payloads_become_calls_with_patch_paths_in_the_turn_directory() {
    let base = json!({
        "session_id": "0199a", "turn_id": "1", "transcript_path": null,
        "cwd": format!("{AWAY}/sub"), "hook_event_name": "PreToolUse", "model": "gpt-5",
        "tool_use_id": "call_1"
    });
    let with = |name: &str, input: Value| {
        let mut v = base.clone();
        v["tool_name"] = json!(name);
        v["tool_input"] = input;
        v
    };
    let (p, c) = decoded(with("Bash", json!({"command": "git status"})), None);
    assert_eq!(p, Platform::Codex);
    assert_eq!(c.unwrap().tool, shell_tool("git status"));

    let patch = "*** Begin Patch\n*** Update File: src/a.rs\n@@\n-a\n+b\n*** Add File: /abs/n.md\n+x\n*** End Patch\n";
    let c = call(with("apply_patch", json!({"command": patch})));
    assert_eq!(c.platform, Platform::Codex);
    assert_eq!(
        c.tool,
        Tool::Edit {
            tool: "apply_patch".into(),
            paths: vec![format!("{AWAY}/sub/src/a.rs"), "/abs/n.md".into()]
        }
    );
    // The text may come as `patch` or `input` too.
    let c = call(with("apply_patch", json!({"input": patch})));
    assert!(matches!(c.tool, Tool::Edit { ref paths, .. } if paths.len() == 2));

    let (_, r) = decoded(with("apply_patch", json!({"command": "not a patch"})), None);
    assert!(
        matches!(r, Err(Rejected::Invalid(ref why)) if why.starts_with("the apply_patch call's patch cannot be read")),
        "{r:?}"
    );
    let (_, r) = decoded(with("apply_patch", json!({})), None);
    assert_eq!(
        r.unwrap_err(),
        Rejected::Invalid("the apply_patch call carries no patch text".into())
    );
    assert_eq!(
        call(with("mcp__fs__read", json!({}))).tool,
        Tool::Other {
            name: "mcp__fs__read".into()
        }
    );
}

#[test]
fn cursor_payloads_become_calls_in_the_first_workspace_root() {
    let (p, c) = decoded(
        cursor(
            "beforeShellExecution",
            json!({"command": "npm test", "cwd": "/ws/root/pkg"}),
        ),
        None,
    );
    assert_eq!(p, Platform::Cursor);
    let c = c.unwrap();
    assert_eq!(c.tool, shell_tool("npm test"));
    assert_eq!(c.root, Path::new("/ws/root"));
    assert_eq!(c.cwd, Path::new("/ws/root/pkg"));
    assert_eq!(c.agent_id, None);

    // preToolUse: the shell's directory may be in tool_input.
    let c = call(cursor(
        "preToolUse",
        json!({"tool_name": "Shell", "tool_input": {"command": "git reset --hard", "cwd": "/ws/root/x"}}),
    ));
    assert_eq!(c.tool, shell_tool("git reset --hard"));
    assert_eq!(c.cwd, Path::new("/ws/root/x"));
    for name in ["Write", "Edit", "MultiEdit", "StrReplace", "Delete"] {
        let c = call(cursor(
            "preToolUse",
            json!({"tool_name": name, "tool_input": {"file_path": "/ws/root/src/a.rs"}}),
        ));
        assert_eq!(
            c.tool,
            Tool::Edit {
                tool: name.into(),
                paths: vec!["/ws/root/src/a.rs".into()]
            }
        );
        // Without a cwd, the call runs at the root.
        assert_eq!(c.cwd, Path::new("/ws/root"));
    }
    assert_eq!(
        call(cursor(
            "preToolUse",
            json!({"tool_name": "Read", "tool_input": {"file_path": "/etc/passwd"}})
        ))
        .tool,
        Tool::Other {
            name: "Read".into()
        }
    );
    assert_eq!(
        call(cursor(
            "afterFileEdit",
            json!({"file_path": "/ws/root/docs/a.md", "edits": []})
        ))
        .tool,
        Tool::Edited {
            paths: vec!["/ws/root/docs/a.md".into()]
        }
    );
    assert_eq!(
        call(cursor(
            "postToolUse",
            json!({"tool_name": "Write", "tool_input": {"file_path": "/ws/root/a.rs"}})
        ))
        .tool,
        Tool::Written {
            paths: vec!["/ws/root/a.rs".into()]
        }
    );
    assert_eq!(call(cursor("sessionStart", json!({}))).tool, Tool::Started);
    // An MCP call's tool_input is a string: not guarded, so not a problem.
    assert_eq!(
        call(cursor(
            "beforeMCPExecution",
            json!({"tool_name": "x", "tool_input": "{}"})
        ))
        .tool,
        Tool::Other {
            name: "beforeMCPExecution".into()
        }
    );
    let (_, r) = decoded(
        cursor("beforeShellExecution", json!({"cwd": "/ws/root"})),
        None,
    );
    assert_eq!(
        r.unwrap_err(),
        Rejected::Invalid("the beforeShellExecution call has no command".into())
    );
}

#[test]
fn the_platform_is_told_from_the_payload_unless_forced() {
    assert_eq!(decoded(json!({"turn_id": "1"}), None).0, Platform::Codex);
    assert_eq!(
        decoded(json!({"conversation_id": "c"}), None).0,
        Platform::Cursor
    );
    assert_eq!(
        decoded(json!({"hook_event_name": "stop"}), None).0,
        Platform::Cursor
    );
    assert_eq!(
        decoded(json!({"hook_event_name": "Stop"}), None).0,
        Platform::Claude
    );
    let (p, _) = decoded(json!({"conversation_id": "c"}), Some(Platform::Claude));
    assert_eq!(p, Platform::Claude);
}

#[test]
fn broken_payloads_are_rejected_as_invalid() {
    let (p, why) = invalid(b"tool_name: Bash", None);
    assert_eq!(p, Platform::Claude);
    assert!(
        why.starts_with("the hook payload is not valid JSON ("),
        "{why}"
    );
    // The platform named on the command line answers, even for a payload it cannot read.
    assert_eq!(invalid(b"{", Some(Platform::Cursor)).0, Platform::Cursor);
    for not_an_object in [
        &b"\"PreToolUse\""[..],
        b"42",
        b"null",
        // Was decoded field by field into a call (`ls` judged as a Bash command).
        br#"["PreToolUse", "Bash", {"command": "ls"}]"#,
        b"[1]",
    ] {
        assert_eq!(
            invalid(not_an_object, None).1,
            "the hook payload is not a JSON object"
        );
    }
    for empty in [&b""[..], b"  \n\t"] {
        assert_eq!(
            invalid(empty, Some(Platform::Codex)),
            (
                Platform::Codex,
                "the hook received an empty payload on stdin".into()
            )
        );
    }
    let nul = claude("Bash", json!({"command": "rm -rf x\u{0}y"})).to_string();
    let why = invalid(nul.as_bytes(), None).1;
    assert!(
        why.starts_with("the Bash call's command contains a NUL byte"),
        "{why}"
    );
    let nul = claude("Write", json!({"file_path": "src/a\u{0}.rs"})).to_string();
    assert_eq!(
        invalid(nul.as_bytes(), None).1,
        "the Write call's file_path contains a NUL byte, which no file name can hold"
    );
    let cases = [
        (
            json!({"hook_event_name": "PreToolUse", "tool_input": {}}),
            "the payload has no tool_name",
        ),
        (
            json!({"hook_event_name": "PreToolUse", "tool_name": ""}),
            "the payload's tool_name is not a string",
        ),
        (
            json!({"hook_event_name": 3, "tool_name": "Bash"}),
            "the payload's hook_event_name is not a string",
        ),
        (
            claude("Bash", json!("ls")),
            "the Bash call's tool_input is not an object",
        ),
        (
            json!({"hook_event_name": "PreToolUse", "tool_name": "Bash"}),
            "the Bash call has no tool_input",
        ),
        (claude("Bash", json!({})), "the Bash call has no command"),
        (
            claude("Bash", json!({"command": ["rm", "-rf"]})),
            "the Bash call's command is not a string",
        ),
        (
            claude("Edit", json!({"file_path": ""})),
            "the Edit call has no file_path string",
        ),
    ];
    for (payload, reason) in cases {
        assert_eq!(invalid(payload.to_string().as_bytes(), None).1, reason);
    }
}

fn finding(verdict: Verdict) -> Finding {
    Finding::new(verdict, "some-rule", "Because.").with_unit("rm -rf src")
}

fn outcome(verdict: Verdict) -> Outcome {
    Decision::of(finding(verdict)).into()
}

fn stdout(a: &Answer) -> Value {
    serde_json::from_str(a.stdout.as_deref().expect("stdout")).unwrap()
}

#[test]
fn claude_code_answers() {
    let deny = encode(Platform::Claude, &outcome(Verdict::Deny));
    assert_eq!(
        stdout(&deny),
        json!({
            "hookSpecificOutput": {
                "hookEventName": "PreToolUse",
                "permissionDecision": "deny",
                "permissionDecisionReason": "Because. (so-hook rule some-rule)"
            },
            "systemMessage": "so-hook blocked [some-rule]: rm -rf src"
        })
    );
    assert_eq!(deny.exit, 0);
    assert_eq!(
        deny.stderr.as_deref(),
        Some("so-hook deny [some-rule]: rm -rf src: Because.")
    );
    let ask = encode(Platform::Claude, &outcome(Verdict::Ask));
    assert_eq!(
        stdout(&ask),
        json!({
            "hookSpecificOutput": {
                "hookEventName": "PreToolUse",
                "permissionDecision": "ask",
                "permissionDecisionReason": "Because. (so-hook rule some-rule)"
            },
            "systemMessage": "so-hook asks [some-rule]: rm -rf src"
        })
    );
    let warn = encode(Platform::Claude, &outcome(Verdict::Warn));
    assert_eq!(
        stdout(&warn),
        json!({
            "hookSpecificOutput": {
                "hookEventName": "PreToolUse",
                "additionalContext": "Because. (so-hook rule some-rule)"
            },
            "systemMessage": "so-hook warning [some-rule]: rm -rf src"
        })
    );
    assert_eq!(
        encode(Platform::Claude, &Decision::allow().into()),
        Answer::silent()
    );
}

#[test]
fn codex_answers_deny_for_an_ask_and_a_message_for_a_warning() {
    let deny = encode(Platform::Codex, &outcome(Verdict::Deny));
    assert_eq!(
        stdout(&deny),
        json!({
            "hookSpecificOutput": {
                "hookEventName": "PreToolUse",
                "permissionDecision": "deny",
                "permissionDecisionReason": "Because. (so-hook rule some-rule)"
            },
            "systemMessage": "so-hook blocked [some-rule]: rm -rf src"
        })
    );
    let ask = stdout(&encode(Platform::Codex, &outcome(Verdict::Ask)));
    let specific = &ask["hookSpecificOutput"];
    assert_eq!(specific["permissionDecision"], "deny");
    assert_eq!(
        specific["permissionDecisionReason"],
        "Because. (so-hook rule some-rule) This needs the user's approval, which Codex \
         cannot ask for here: ask the user to run it themselves."
    );
    assert_eq!(specific.as_object().unwrap().len(), 3);
    assert_eq!(
        stdout(&encode(Platform::Codex, &outcome(Verdict::Warn))),
        json!({"systemMessage": "Because. (so-hook rule some-rule)"})
    );
    assert_eq!(
        encode(Platform::Codex, &Decision::allow().into()),
        Answer::silent()
    );
}

#[test]
fn cursor_answers_a_permission_object_every_time() {
    assert_eq!(
        stdout(&encode(Platform::Cursor, &Decision::allow().into())),
        json!({"permission": "allow"})
    );
    let warn = encode(Platform::Cursor, &outcome(Verdict::Warn));
    assert_eq!(
        stdout(&warn),
        json!({
            "permission": "allow",
            "agent_message": "Because. (so-hook rule some-rule)",
            "user_message": "Because. (so-hook rule some-rule)"
        })
    );
    assert_eq!(
        warn.stderr.as_deref(),
        Some("so-hook warn [some-rule]: rm -rf src: Because.")
    );
    assert_eq!(
        stdout(&encode(Platform::Cursor, &outcome(Verdict::Deny))),
        json!({
            "permission": "deny",
            "agent_message": "Because. (so-hook rule some-rule)",
            "user_message": "Because. (so-hook rule some-rule)"
        })
    );
    let ask = stdout(&encode(Platform::Cursor, &outcome(Verdict::Ask)));
    assert_eq!(ask["permission"], "deny");
    assert!(
        ask["agent_message"]
            .as_str()
            .unwrap()
            .ends_with("which Cursor cannot ask for here: ask the user to run it themselves.")
    );
}

#[test]
fn context_answers_per_platform() {
    let start: Outcome = Outcome::Context(Context {
        event: ContextEvent::SessionStart,
        text: Some("Wave 2 may edit src/.".into()),
        message: Some("so-hook: wave 2".into()),
    });
    let expected = json!({
        "hookSpecificOutput": {
            "hookEventName": "SessionStart",
            "additionalContext": "Wave 2 may edit src/."
        },
        "systemMessage": "so-hook: wave 2"
    });
    for p in [Platform::Claude, Platform::Codex] {
        let a = encode(p, &start);
        assert_eq!(stdout(&a), expected, "{p:?}");
        assert_eq!(a.stderr.as_deref(), Some("so-hook: wave 2"));
    }
    assert_eq!(
        stdout(&encode(Platform::Cursor, &start)),
        json!({"additional_context": "Wave 2 may edit src/."})
    );
    let nothing = Outcome::Context(Context {
        event: ContextEvent::PostToolUse,
        text: None,
        message: None,
    });
    assert_eq!(encode(Platform::Claude, &nothing), Answer::silent());
    assert_eq!(
        stdout(&encode(Platform::Cursor, &nothing)),
        json!({"additional_context": ""})
    );
}

#[test]
fn rejections_are_answered_per_platform() {
    let broken = Rejected::Invalid("the payload has no tool_name".into());
    let d = broken.decision();
    assert_eq!(d.verdict(), Verdict::Deny);
    assert_eq!(d.primary().unwrap().rule, "input-invalid");
    assert_eq!(
        stdout(&reject(Platform::Cursor, &broken)),
        json!({
            "permission": "deny",
            "agent_message": "so-hook blocked this call because the payload has no tool_name. (so-hook rule input-invalid)",
            "user_message": "so-hook blocked this call because the payload has no tool_name. (so-hook rule input-invalid)"
        })
    );
    let wrong = Rejected::WrongEvent("Notification".into());
    assert_eq!(wrong.decision().verdict(), Verdict::Allow);
    let a = reject(Platform::Claude, &wrong);
    let out = stdout(&a);
    assert_eq!(out.as_object().unwrap().len(), 1);
    assert!(
        out["systemMessage"]
            .as_str()
            .unwrap()
            .contains("it was called for `Notification`; nothing was checked")
    );
    assert_eq!(
        stdout(&reject(Platform::Cursor, &wrong)),
        json!({"permission": "allow"})
    );
}
