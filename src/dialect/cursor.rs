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
use super::{Answer, Payload, Rejected, edit, shell, string_field, tool_input};
use crate::call::{Platform, Tool, ToolCall};
use crate::decision::{Decision, Verdict, clamp};
use crate::project::Environment;
use serde_json::{Value, json};
use std::path::PathBuf;

pub fn decode(p: &Payload, env: &Environment) -> Result<ToolCall, Rejected> {
    let event = match &p.hook_event_name {
        Some(Value::String(e)) => e.clone(),
        Some(_) => {
            return Err(Rejected::Invalid(
                "the payload's hook_event_name is not a string".into(),
            ));
        }
        None => {
            return Err(Rejected::Invalid(
                "the payload has no hook_event_name".into(),
            ));
        }
    };
    let tool = match event.as_str() {
        "beforeShellExecution" => match &p.command {
            Some(Value::String(c)) => Tool::Shell { command: c.clone() },
            Some(_) => {
                return Err(Rejected::Invalid(
                    "the beforeShellExecution call's command is not a string".into(),
                ));
            }
            None => {
                return Err(Rejected::Invalid(
                    "the beforeShellExecution call has no command".into(),
                ));
            }
        },
        "preToolUse" => {
            let name = super::tool_name(p)?;
            match name.as_str() {
                "Shell" | "Bash" | "Terminal" => shell(&tool_input(p, &name)?, &name)?,
                "Write" | "Edit" | "MultiEdit" | "StrReplace" | "Delete" => {
                    edit(&tool_input(p, &name)?, &name, "file_path")?
                }
                _ => Tool::Other { name },
            }
        }
        "sessionStart" => Tool::Started,
        "afterFileEdit" => match &p.file_path {
            Some(Value::String(f)) if !f.is_empty() => Tool::Edited {
                paths: vec![f.clone()],
            },
            _ => {
                return Err(Rejected::Invalid(
                    "the afterFileEdit call has no file_path".into(),
                ));
            }
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
    let cwd = super::cwd(p).or_else(|| {
        p.tool_input
            .and_then(|raw| serde_json::from_str::<super::ToolInput>(raw.get()).ok())
            .and_then(|i| string_field(&i.cwd).map(PathBuf::from))
    });
    let root = first_root
        .or_else(|| cwd.clone())
        .or_else(|| env.process_cwd.clone())
        .unwrap_or_else(|| PathBuf::from("."));
    Ok(ToolCall {
        platform: Platform::Cursor,
        tool,
        agent_id: None,
        cwd: cwd.unwrap_or_else(|| root.clone()),
        root,
    })
}

pub fn encode(decision: &Decision) -> Answer {
    if let Some(context) = &decision.session_context {
        return Answer {
            stdout: Some(json!({ "additional_context": clamp(context, REASON_MAX) }).to_string()),
            stderr: None,
            exit: 0,
        };
    }
    let primary = decision.primary();
    let value = match primary.map(|f| f.verdict) {
        None | Some(Verdict::Allow) => json!({ "permission": "allow" }),
        Some(Verdict::Warn) => {
            let text = clamp(&super::warnings(decision), REASON_MAX);
            json!({ "permission": "allow", "user_message": text, "agent_message": text })
        }
        Some(_) => {
            let reason = super::reason_without_prompt(primary.expect("a finding"), "Cursor");
            let text = clamp(&reason, REASON_MAX);
            json!({ "permission": "deny", "user_message": text, "agent_message": text })
        }
    };
    Answer {
        stdout: Some(value.to_string()),
        stderr: primary.map(super::log_line),
        exit: 0,
    }
}
