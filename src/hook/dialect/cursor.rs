//! Cursor's hook dialect: `beforeShellExecution` (a top-level `command`), `preToolUse` (`Shell`
//! and file-writing tools) and `afterFileEdit` (a file already written: reported, not blocked).
//!
//! Cursor hooks are registered with `failClosed: true`, so every answer is a decision object with
//! snake_case keys: `{"permission": "allow" | "deny", "user_message", "agent_message"}`.
//! Cursor has delivered `user_message` to the model, so both messages carry the same text.
//!
//! An `ask` is answered as a deny that says so: `preToolUse` accepts `ask` without enforcing it
//! (the call would run), and `beforeShellExecution` has been seen to treat it as a deny anyway.

use super::claude::REASON_MAX;
use super::{Answer, Payload, Rejected, edit, required, shell, string_field, tool_input};
use crate::hook::call::{Platform, Tool, ToolCall};
use crate::hook::decision::{Outcome, Verdict, clamp};
use crate::project::Environment;
use serde::Serialize;
use std::path::PathBuf;

/// The tools that write files.
const WRITE_TOOLS: &[&str] = &["Write", "Edit", "MultiEdit", "StrReplace", "Delete"];

pub fn decode(p: &Payload, env: &Environment) -> Result<ToolCall, Rejected> {
    let event = required(&p.hook_event_name, "payload", "hook_event_name", false)?;
    let tool = match event {
        "beforeShellExecution" => super::shell_command(
            required(&p.command, "beforeShellExecution call", "command", false)?,
            "beforeShellExecution",
        )?,
        "preToolUse" => {
            let name = super::tool_name(p)?;
            match name.as_str() {
                "Shell" | "Bash" | "Terminal" => shell(tool_input(p, &name)?, &name)?,
                n if WRITE_TOOLS.contains(&n) => edit(tool_input(p, &name)?, &name, "file_path")?,
                _ => Tool::Other { name },
            }
        }
        "sessionStart" => Tool::Started,
        // A write tool has run: the type-check follows (nothing here can block, so a payload
        // that cannot be read is passed over).
        "postToolUse" => {
            let name = super::tool_name(p).unwrap_or_default();
            match tool_input(p, &name).and_then(|i| edit(i, &name, "file_path")) {
                Ok(Tool::Edit { paths, .. }) if WRITE_TOOLS.contains(&name.as_str()) => {
                    Tool::Written { paths }
                }
                _ => Tool::Other { name },
            }
        }
        "afterFileEdit" => Tool::Edited {
            paths: vec![
                required(&p.file_path, "afterFileEdit call", "file_path", true)?.to_string(),
            ],
        },
        other => Tool::Other {
            name: other.to_string(),
        },
    };
    let first_root = p
        .workspace_roots
        .as_ref()
        .and_then(|v| v.as_array())
        .and_then(|a| a.first())
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty())
        .map(PathBuf::from);
    let cwd = super::cwd(p).or_else(|| match &p.tool_input {
        Some(super::Input::Object(i)) => string_field(&i.cwd).map(PathBuf::from),
        _ => None,
    });
    Ok(super::place(
        Platform::Cursor,
        tool,
        None,
        first_root,
        cwd,
        env,
    ))
}

/// The answer object Cursor reads on stdout (snake_case keys).
#[derive(Serialize)]
#[serde(untagged)]
enum CursorOutput {
    Permission {
        #[serde(skip_serializing_if = "Option::is_none")]
        agent_message: Option<String>,
        permission: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        user_message: Option<String>,
    },
    Context {
        additional_context: String,
    },
}

pub fn encode(outcome: &Outcome) -> Answer {
    let decision = match outcome {
        Outcome::Context(context) => {
            // Cursor shows the user nothing from these events: a message goes to the agent too.
            let text = context
                .text
                .as_deref()
                .or(context.message.as_deref())
                .unwrap_or_default();
            let out = CursorOutput::Context {
                additional_context: clamp(text, REASON_MAX),
            };
            return Answer {
                stdout: Some(to_json(&out)),
                stderr: context.message.clone(),
                exit: 0,
            };
        }
        Outcome::Decision(d) => d,
    };
    let primary = decision.primary();
    let (permission, text) = match primary.map(|f| f.verdict) {
        None | Some(Verdict::Allow) => ("allow", None),
        Some(Verdict::Warn) => ("allow", Some(clamp(&super::warnings(decision), REASON_MAX))),
        Some(Verdict::Ask | Verdict::Deny) => {
            let reason = super::reason_without_prompt(primary.expect("a finding"), "Cursor");
            ("deny", Some(clamp(&reason, REASON_MAX)))
        }
    };
    let out = CursorOutput::Permission {
        agent_message: text.clone(),
        permission,
        user_message: text,
    };
    Answer {
        stdout: Some(to_json(&out)),
        stderr: primary.map(super::log_line),
        exit: 0,
    }
}

fn to_json(out: &CursorOutput) -> String {
    serde_json::to_string(out).expect("the answer types serialize")
}
