//! The dialects of Gemini CLI, GitHub Copilot CLI and OpenCode: payloads as the real clients
//! sent them (recorded offline from gemini-cli 0.61.0, copilot 1.0.102 and opencode 1.18.33), and
//! the answers each reads.

use super::*;
use crate::hook::call::Tool;
use crate::hook::decision::Verdict;
use serde_json::json;
use std::path::PathBuf;

const AWAY: &str = "/nonexistent-so-hook-clients/app";

fn env() -> Environment {
    Environment {
        process_cwd: Some(PathBuf::from(AWAY)),
        ..Environment::default()
    }
}

fn decoded(payload: Value) -> (Platform, Result<ToolCall, Rejected>) {
    decode(payload.to_string().as_bytes(), None, &env())
}

fn call(payload: Value) -> ToolCall {
    let (_, c) = decoded(payload);
    c.expect("a call")
}

fn edit(tool: &str, path: &str) -> Tool {
    Tool::Edit {
        tool: tool.into(),
        paths: vec![path.into()],
    }
}

fn gemini(event: &str, tool: &str, input: Value) -> Value {
    json!({"session_id": "5d65", "transcript_path": "/h/.gemini/tmp/p/chats/s.jsonl",
           "cwd": AWAY, "hook_event_name": event, "timestamp": "2026-12-06T05:11:17.619Z",
           "tool_name": tool, "tool_input": input})
}

fn copilot(tool: &str, args: Value) -> Value {
    json!({"sessionId": "575d", "timestamp": 1_796_534_179_140_u64, "cwd": AWAY,
           "toolName": tool, "toolArgs": args})
}

fn opencode(tool: &str, args: Value) -> Value {
    json!({"hook_event_name": "tool.execute.before", "tool": tool, "args": args,
           "sessionID": "ses_1", "cwd": AWAY})
}

const PATCH: &str = "*** Begin Patch\n*** Add File: src/new.rs\n+fn main() {}\n*** End Patch\n";

#[test]
fn gemini_payloads_become_calls() {
    let c = call(gemini(
        "BeforeTool",
        "run_shell_command",
        json!({"command": "rm -rf build", "description": "clean", "dir_path": "web"}),
    ));
    assert_eq!(c.platform, Platform::Gemini);
    assert_eq!(
        c.tool,
        Tool::Shell {
            command: "rm -rf build".into()
        }
    );
    // The command runs in `dir_path`, below the working directory.
    assert_eq!(c.cwd, PathBuf::from(AWAY).join("web"));
    let w = call(gemini(
        "BeforeTool",
        "write_file",
        json!({"file_path": "/p/a.rs", "content": "x"}),
    ));
    assert_eq!(w.tool, edit("write_file", "/p/a.rs"));
    let r = call(gemini(
        "BeforeTool",
        "replace",
        json!({"file_path": "/p/b.rs", "old_string": "a", "new_string": "b"}),
    ));
    assert_eq!(r.tool, edit("replace", "/p/b.rs"));
    let read = call(gemini(
        "BeforeTool",
        "read_file",
        json!({"file_path": "/p/a"}),
    ));
    assert!(matches!(read.tool, Tool::Other { .. }));
    let after = call(gemini(
        "AfterTool",
        "write_file",
        json!({"file_path": "/p/a.rs"}),
    ));
    assert_eq!(
        after.tool,
        Tool::Written {
            paths: vec!["/p/a.rs".into()]
        }
    );
    // A guarded call that cannot be read is refused, not passed.
    let (p, bad) = decoded(gemini("BeforeTool", "run_shell_command", json!({})));
    assert_eq!(p, Platform::Gemini);
    assert!(matches!(bad, Err(Rejected::Invalid(_))));
}

#[test]
fn copilot_payloads_become_calls_whatever_form_the_arguments_take() {
    let object = call(copilot(
        "bash",
        json!({"command": "ls", "description": "list"}),
    ));
    assert_eq!(object.platform, Platform::Copilot);
    assert_eq!(
        object.tool,
        Tool::Shell {
            command: "ls".into()
        }
    );
    // Older releases: the arguments as a JSON string.
    let string = call(copilot("bash", json!("{\"command\":\"git push -f\"}")));
    assert_eq!(
        string.tool,
        Tool::Shell {
            command: "git push -f".into()
        }
    );
    let create = call(copilot(
        "create",
        json!({"path": "/p/a.md", "file_text": "x"}),
    ));
    assert_eq!(create.tool, edit("create", "/p/a.md"));
    let edited = call(copilot(
        "edit",
        json!({"path": "/p/b.md", "old_str": "a", "new_str": "b"}),
    ));
    assert_eq!(edited.tool, edit("edit", "/p/b.md"));
    // A patch's relative paths are where the client applies them: its working directory.
    let patch = call(copilot("apply_patch", json!(PATCH)));
    assert_eq!(
        patch.tool,
        edit("apply_patch", &format!("{AWAY}/src/new.rs"))
    );
    // Every path key the call carries is judged: a decoy `file_path` does not hide `path`.
    let decoy = call(copilot(
        "create",
        json!({"path": "/p/README.md", "file_path": "/p/src/ok.rs", "file_text": "x"}),
    ));
    let Tool::Edit { paths, .. } = decoy.tool else {
        panic!("not an edit")
    };
    assert!(paths.contains(&"/p/README.md".to_string()), "{paths:?}");
    // PowerShell is not read, so it is refused rather than judged as a POSIX shell.
    let (_, ps) = decoded(copilot(
        "powershell",
        json!({"command": "Remove-Item -Recurse -Force src"}),
    ));
    assert!(matches!(ps, Err(Rejected::Invalid(_))), "{ps:?}");
    assert!(matches!(
        call(copilot("view", json!({"path": "/p"}))).tool,
        Tool::Other { .. }
    ));
    // A subagent's call carries its id.
    let mut sub = copilot("bash", json!({"command": "ls"}));
    sub["agentId"] = json!("a-1");
    sub["agentType"] = json!("task");
    assert_eq!(call(sub).agent_id.as_deref(), Some("a-1"));
    for broken in [
        copilot("bash", json!("not json")),
        copilot("bash", json!([1])),
        copilot("apply_patch", json!("not a patch")),
        json!({"sessionId": "s", "cwd": AWAY, "toolName": 3, "toolArgs": {}}),
    ] {
        let (p, r) = decoded(broken.clone());
        assert_eq!(p, Platform::Copilot, "{broken}");
        assert!(matches!(r, Err(Rejected::Invalid(_))), "{broken}: {r:?}");
    }
}

#[test]
fn copilots_claude_format_payloads_keep_its_own_argument_keys() {
    // What Copilot CLI sends to a hook in .claude/settings.json.
    let base = |tool: &str, input: Value| {
        json!({"hook_event_name": "PreToolUse", "session_id": "3509", "cwd": AWAY,
               "timestamp": "2026-12-06T05:17:27.365Z", "tool_name": tool, "tool_input": input})
    };
    let w = call(base("Write", json!({"path": "/p/a.md", "file_text": "x"})));
    assert_eq!(w.platform, Platform::Claude);
    assert_eq!(w.tool, edit("Write", "/p/a.md"));
    let e = call(base("Edit", json!(PATCH)));
    assert_eq!(e.tool, edit("Edit", "src/new.rs"));
}

#[test]
fn opencode_payloads_become_calls() {
    let b = call(opencode(
        "bash",
        json!({"command": "rm -rf src", "workdir": "pkg"}),
    ));
    assert_eq!(b.platform, Platform::OpenCode);
    assert_eq!(
        b.tool,
        Tool::Shell {
            command: "rm -rf src".into()
        }
    );
    assert_eq!(b.cwd, PathBuf::from(AWAY).join("pkg"));
    let w = call(opencode(
        "write",
        json!({"filePath": "/p/a.ts", "content": "x"}),
    ));
    assert_eq!(w.tool, edit("write", "/p/a.ts"));
    let e = call(opencode(
        "edit",
        json!({"filePath": "/p/b.ts", "oldString": "a", "newString": "b"}),
    ));
    assert_eq!(e.tool, edit("edit", "/p/b.ts"));
    let p = call(opencode("apply_patch", json!({"patchText": PATCH})));
    assert_eq!(p.tool, edit("apply_patch", &format!("{AWAY}/src/new.rs")));
    // A relative file is where OpenCode writes it: in its working directory.
    let rel = call(opencode(
        "write",
        json!({"filePath": "README.md", "content": "x"}),
    ));
    assert_eq!(rel.tool, edit("write", &format!("{AWAY}/README.md")));
    let decoy = call(opencode(
        "write",
        json!({"filePath": "/p/README.md", "path": "/p/src/ok.rs", "content": "x"}),
    ));
    let Tool::Edit { paths, .. } = decoy.tool else {
        panic!("not an edit")
    };
    assert!(paths.contains(&"/p/README.md".to_string()), "{paths:?}");
    assert!(matches!(
        call(opencode("read", json!({"filePath": "/p"}))).tool,
        Tool::Other { .. }
    ));
    let (_, bad) = decoded(opencode("bash", json!({})));
    assert!(matches!(bad, Err(Rejected::Invalid(_))));
}

#[test]
fn each_platform_is_told_apart_without_platform() {
    let claude = json!({"session_id": "s", "transcript_path": "/t", "cwd": AWAY,
        "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "ls"}});
    let codex = json!({"session_id": "s", "turn_id": "1", "cwd": AWAY,
        "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "ls"}});
    let cursor = json!({"conversation_id": "c", "cursor_version": "3", "workspace_roots": [AWAY],
        "hook_event_name": "beforeShellExecution", "command": "ls"});
    for (payload, want) in [
        (claude, Platform::Claude),
        (codex, Platform::Codex),
        (cursor, Platform::Cursor),
        (
            gemini("BeforeTool", "run_shell_command", json!({"command": "ls"})),
            Platform::Gemini,
        ),
        (copilot("bash", json!({"command": "ls"})), Platform::Copilot),
        (
            opencode("bash", json!({"command": "ls"})),
            Platform::OpenCode,
        ),
    ] {
        assert_eq!(decoded(payload.clone()).0, want, "{payload}");
    }
}

fn answer(platform: Platform, finding: Finding) -> Value {
    let out = encode(platform, &Decision::of(finding).into());
    assert_eq!(out.exit, 0, "{platform:?} answers with exit 0");
    serde_json::from_str(out.stdout.as_deref().expect("an answer")).unwrap()
}

#[test]
fn each_answer_is_what_its_client_reads() {
    let deny = || Finding::deny("rm-recursive-force", "it deletes src").with_unit("rm -rf src");
    let ask = || Finding::new(Verdict::Ask, "pipe-to-shell", "it runs a download");
    let warn = || Finding::new(Verdict::Warn, "scope-not-allowed", "outside the wave");

    // Gemini: decision + reason; no ask (it would hang a headless run); a warning to the user.
    let g = answer(Platform::Gemini, deny());
    assert_eq!(g["decision"], "deny");
    assert!(
        g["reason"]
            .as_str()
            .unwrap()
            .contains("(so-hook rule rm-recursive-force)")
    );
    assert!(g["systemMessage"].as_str().unwrap().contains("rm -rf src"));
    let g = answer(Platform::Gemini, ask());
    assert_eq!(g["decision"], "deny");
    assert!(g["reason"].as_str().unwrap().contains("cannot ask"), "{g}");
    let g = answer(Platform::Gemini, warn());
    assert!(
        g.get("decision").is_none() && g["systemMessage"].is_string(),
        "{g}"
    );

    // Copilot: permissionDecision; ask is its own; never `allow` (it would grant permission).
    let c = answer(Platform::Copilot, deny());
    assert_eq!(c["permissionDecision"], "deny");
    assert!(
        c["permissionDecisionReason"]
            .as_str()
            .unwrap()
            .contains("it deletes src")
    );
    assert_eq!(
        answer(Platform::Copilot, ask())["permissionDecision"],
        "ask"
    );
    let c = answer(Platform::Copilot, warn());
    assert!(c.get("permissionDecision").is_none() && c["additionalContext"].is_string());

    // OpenCode's plugin: a deny it throws, an allow with a message.
    let o = answer(Platform::OpenCode, deny());
    assert_eq!(o["decision"], "deny");
    assert_eq!(answer(Platform::OpenCode, ask())["decision"], "deny");
    assert_eq!(answer(Platform::OpenCode, warn())["decision"], "allow");

    for p in [Platform::Gemini, Platform::Copilot, Platform::OpenCode] {
        let allowed = encode(p, &Decision::allow().into());
        assert_eq!(allowed.stdout, None, "{p:?}: an allow is silence");
        assert_eq!(allowed.exit, 0);
    }
}

#[test]
fn a_registration_with_another_clients_platform_still_judges_the_call() {
    // Claude Code's payload to a hook registered `--platform gemini`: Gemini's dialect reads a
    // PreToolUse as some other event and would allow it; the payload's own dialect reads it.
    let claude = json!({"session_id": "s", "transcript_path": "/t", "cwd": AWAY,
        "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "rm -rf /"}});
    let (p, c) = decode(
        claude.to_string().as_bytes(),
        Some(Platform::Gemini),
        &env(),
    );
    assert_eq!(
        p,
        Platform::Gemini,
        "the answer stays in the registered dialect"
    );
    assert_eq!(
        c.unwrap().tool,
        Tool::Shell {
            command: "rm -rf /".into()
        }
    );
    let gem = gemini(
        "BeforeTool",
        "run_shell_command",
        json!({"command": "rm -rf /"}),
    );
    let (p, c) = decode(gem.to_string().as_bytes(), Some(Platform::Claude), &env());
    assert_eq!(p, Platform::Claude);
    assert!(
        matches!(
            c,
            Ok(ToolCall {
                tool: Tool::Shell { .. },
                ..
            })
        ),
        "{c:?}"
    );
}
