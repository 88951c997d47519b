//! Shared helpers for the end-to-end tests: throw-away projects and runs of the real binary.

#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A fresh project directory (canonical), removed and recreated for each test. It has a `.git`
/// directory, as a project does: without one, the project of a call made in it would be found
/// further up (this checkout).
pub fn project(name: &str) -> PathBuf {
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("e2e")
        .join(format!("{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::canonicalize(&dir).unwrap()
}

pub fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

pub fn manifest(root: &Path, state_dir: &str, value: Value) {
    write(
        root,
        &format!("{state_dir}/wave-scope.json"),
        &serde_json::to_string_pretty(&value).unwrap(),
    );
}

/// The binary with a clean environment: no CLAUDE_PROJECT_DIR leaking in from the test runner.
pub fn so_hook() -> Command {
    let mut c = Command::cargo_bin("so-hook").unwrap();
    c.env_remove("CLAUDE_PROJECT_DIR")
        .env("HOME", "/home/tester")
        .env("TMPDIR", "/tmp");
    c
}

/// A Claude Code PreToolUse payload.
pub fn payload(root: &Path, tool: &str, input: Value) -> Value {
    json!({
        "session_id": "abc123",
        "transcript_path": "/home/tester/.claude/projects/p/abc123.jsonl",
        "cwd": root,
        "permission_mode": "default",
        "hook_event_name": "PreToolUse",
        "tool_name": tool,
        "tool_input": input,
        "tool_use_id": "toolu_01ABC",
    })
}

pub fn bash(root: &Path, command: &str) -> Value {
    payload(
        root,
        "Bash",
        json!({ "command": command, "description": "test" }),
    )
}

pub fn write_call(root: &Path, file_path: &str) -> Value {
    payload(
        root,
        "Write",
        json!({ "file_path": file_path, "content": "x" }),
    )
}

pub fn as_subagent(mut p: Value) -> Value {
    p["agent_id"] = json!("a4d2c8f1e0b3a297");
    p["agent_type"] = json!("wave-worker");
    p
}

/// What the hook answered.
#[derive(Debug)]
pub struct Answer {
    pub exit: i32,
    pub stdout: String,
    pub stderr: String,
    pub json: Option<Value>,
}

impl Answer {
    /// `allow`, `deny`, `ask`, `warn`, or `notice` (a bare systemMessage).
    pub fn verdict(&self) -> &'static str {
        match &self.json {
            None => "allow",
            Some(v) => match v["hookSpecificOutput"]["permissionDecision"].as_str() {
                Some("deny") => "deny",
                Some("ask") => "ask",
                Some(_) => "other",
                None if v["hookSpecificOutput"]["additionalContext"].is_string() => "warn",
                None => "notice",
            },
        }
    }

    pub fn reason(&self) -> String {
        self.json
            .as_ref()
            .and_then(|v| {
                v["hookSpecificOutput"]["permissionDecisionReason"]
                    .as_str()
                    .or(v["hookSpecificOutput"]["additionalContext"].as_str())
                    .or(v["systemMessage"].as_str())
            })
            .unwrap_or("")
            .to_string()
    }

    /// The rule id named in the reason.
    pub fn rule(&self) -> String {
        let r = self.reason();
        r.rsplit("(so-hook rule ")
            .next()
            .map(|s| s.trim_end_matches(')').to_string())
            .unwrap_or_default()
    }
}

pub fn run_bytes(stdin: Vec<u8>, extra: &[&str]) -> Answer {
    let out = so_hook()
        .arg("hook")
        .args(extra)
        .write_stdin(stdin)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let json = if stdout.trim().is_empty() {
        None
    } else {
        Some(serde_json::from_str(stdout.trim()).expect("stdout is one JSON object"))
    };
    Answer {
        exit: out.status.code().unwrap_or(-1),
        stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        json,
    }
}

pub fn run(payload: &Value) -> Answer {
    let a = run_bytes(serde_json::to_vec(payload).unwrap(), &[]);
    assert_eq!(
        a.exit, 0,
        "the hook always exits 0 when it can write stdout"
    );
    a
}
