//! Shared by the fuzz targets: a sandbox project, payload builders and the properties every
//! decision must keep.

use so_hook::hook::call::{Platform, ToolCall};
use so_hook::hook::decision::{Decision, Verdict};
use so_hook::hook::dialect::Rejected;
use so_hook::project::Environment;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub const PLATFORMS: [Platform; 6] = Platform::ALL;

/// A project made once per process under the temp dir: a strict wave manifest for Claude that
/// allows `src/**`, a `src/` with a file, and a symlink that leads out of the project.
pub fn project() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("so-hook-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join(".claude")).unwrap();
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("src/lib.rs"), "").unwrap();
        std::fs::write(
            root.join(".claude/wave-scope.json"),
            r#"{"wave":1,"enforcement":"strict","allowedPaths":["src/**","docs/*.md"],"blockedCommands":[]}"#,
        )
        .unwrap();
        #[cfg(unix)]
        let _ = std::os::unix::fs::symlink("/etc", root.join("src/out"));
        std::fs::canonicalize(&root).unwrap()
    })
}

/// A process environment that does not depend on the machine's.
pub fn environment() -> Environment {
    Environment {
        home: Some(PathBuf::from("/home/fuzz")),
        state_home: None,
        tmpdir: None,
        claude_project_dir: None,
        process_cwd: Some(project().to_path_buf()),
    }
}

/// What a decision amounts to, for comparing two of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub verdict: Verdict,
    pub rule: Option<String>,
}

impl Outcome {
    pub fn of(d: &Decision) -> Outcome {
        Outcome {
            verdict: d.verdict(),
            rule: d.primary().map(|f| f.rule.clone()),
        }
    }
}

/// A shell call in the project.
pub fn shell(command: &str, root: &Path) -> ToolCall {
    ToolCall::shell(Platform::Claude, root, command)
}

/// The platform's PreToolUse payload for a shell command (the shape each client sends).
pub fn shell_payload(platform: Platform, command: &str, root: &Path) -> Vec<u8> {
    let root = root.to_string_lossy();
    let v = match platform {
        Platform::Claude => serde_json::json!({
            "session_id": "s", "cwd": root, "hook_event_name": "PreToolUse",
            "tool_name": "Bash", "tool_input": {"command": command}
        }),
        Platform::Codex => serde_json::json!({
            "session_id": "s", "turn_id": "1", "cwd": root, "hook_event_name": "PreToolUse",
            "model": "m", "tool_name": "Bash", "tool_input": {"command": command}
        }),
        Platform::Cursor => serde_json::json!({
            "conversation_id": "c", "cursor_version": "3", "workspace_roots": [root],
            "hook_event_name": "beforeShellExecution", "command": command, "cwd": root
        }),
        Platform::Gemini => serde_json::json!({
            "session_id": "s", "cwd": root, "hook_event_name": "BeforeTool",
            "timestamp": "2026-01-01T00:00:00Z", "tool_name": "run_shell_command",
            "tool_input": {"command": command}
        }),
        Platform::Copilot => serde_json::json!({
            "sessionId": "s", "timestamp": 0, "cwd": root, "toolName": "bash",
            "toolArgs": {"command": command}
        }),
        Platform::OpenCode => serde_json::json!({
            "hook_event_name": "tool.execute.before", "tool": "bash",
            "args": {"command": command}, "sessionID": "s", "cwd": root
        }),
    };
    serde_json::to_vec(&v).unwrap()
}

/// The Codex payload of an `apply_patch` call.
pub fn patch_payload(patch: &str, root: &Path) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "session_id": "s", "turn_id": "1", "cwd": root.to_string_lossy(),
        "hook_event_name": "PreToolUse", "model": "m", "tool_name": "apply_patch",
        "tool_input": {"command": patch}
    }))
    .unwrap()
}

/// Answers a payload as `so-hook hook` does (its side effects, such as recording events or
/// running the project's type-check, are only listed, never applied), and checks what every
/// answer must be: JSON on stdout when there is any, and an exit status the platform reads.
pub fn judge(bytes: &[u8], forced: Option<Platform>) -> (Platform, Result<Outcome, Rejected>) {
    let env = environment();
    let response = so_hook::hook::answer(bytes, forced, &env);
    let (platform, answer) = (response.platform, &response.answer);
    let decision = response.outcome.decision().cloned().unwrap_or_default();
    if let Some(out) = &answer.stdout {
        serde_json::from_str::<serde_json::Value>(out)
            .unwrap_or_else(|e| panic!("the answer is not JSON ({e}): {out}"));
    }
    assert!(
        matches!(answer.exit, 0 | 2),
        "exit status {} is neither 0 nor 2",
        answer.exit
    );
    if decision.verdict() == Verdict::Deny {
        // A deny must reach the platform as one: JSON on stdout or exit 2.
        assert!(
            answer.exit == 2 || answer.stdout.as_deref().is_some_and(|s| s.contains("deny")),
            "a deny left as {answer:?}"
        );
    }
    match response.call {
        Err(r) => (platform, Err(r)),
        Ok(_) => (platform, Ok(Outcome::of(&decision))),
    }
}

/// `s` as one single-quoted shell word.
pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}
