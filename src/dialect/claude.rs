//! Claude Code's PreToolUse dialect.
//!
//! Allow is silence (exit 0, empty stdout: the user's own permission rules still apply); deny and ask
//! are one `hookSpecificOutput` object with `permissionDecision`; a warning is a `systemMessage` for
//! the user plus `additionalContext` for the agent. Strings stay below Claude Code's 10,000-character
//! cap.

use super::{Answer, Payload, Rejected};
use crate::call::{Platform, Tool, ToolCall};
use crate::decision::{Decision, Verdict, clamp};
use crate::project::Environment;
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::PathBuf;

/// Room left under Claude Code's 10,000-character limit for the strings we send.
const REASON_MAX: usize = 9_000;
const MESSAGE_MAX: usize = 1_000;

#[derive(Deserialize)]
struct Input {
    #[serde(default)]
    command: Option<Value>,
    #[serde(default)]
    file_path: Option<Value>,
    #[serde(default)]
    notebook_path: Option<Value>,
}

fn string_field(v: &Option<Value>) -> Option<&str> {
    v.as_ref().and_then(Value::as_str)
}

pub fn decode(p: &Payload, env: &Environment) -> Result<ToolCall, Rejected> {
    if let Some(event) = &p.hook_event_name {
        match event.as_str() {
            Some("PreToolUse") => {}
            Some(other) => return Err(Rejected::WrongEvent(other.to_string())),
            None => {
                return Err(Rejected::Invalid(
                    "the payload's hook_event_name is not a string".into(),
                ));
            }
        }
    }
    let tool_name = match &p.tool_name {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(_) => {
            return Err(Rejected::Invalid(
                "the payload's tool_name is not a string".into(),
            ));
        }
        None => return Err(Rejected::Invalid("the payload has no tool_name".into())),
    };
    let guarded = matches!(
        tool_name.as_str(),
        "Bash" | "Edit" | "Write" | "MultiEdit" | "NotebookEdit"
    );
    let tool = if guarded {
        let raw = p
            .tool_input
            .ok_or_else(|| Rejected::Invalid(format!("the {tool_name} call has no tool_input")))?;
        let input: Input = serde_json::from_str(raw.get()).map_err(|_| {
            Rejected::Invalid(format!(
                "the {tool_name} call's tool_input is not an object"
            ))
        })?;
        match tool_name.as_str() {
            "Bash" => match &input.command {
                Some(Value::String(c)) => Tool::Shell { command: c.clone() },
                Some(_) => {
                    return Err(Rejected::Invalid(
                        "the Bash call's command is not a string".into(),
                    ));
                }
                None => return Err(Rejected::Invalid("the Bash call has no command".into())),
            },
            name => {
                let field = if name == "NotebookEdit" {
                    &input.notebook_path
                } else {
                    &input.file_path
                };
                match string_field(field) {
                    Some(path) if !path.is_empty() => Tool::Edit {
                        tool: tool_name.clone(),
                        paths: vec![path.to_string()],
                    },
                    _ => {
                        return Err(Rejected::Invalid(format!(
                            "the {name} call has no {} string",
                            if name == "NotebookEdit" {
                                "notebook_path"
                            } else {
                                "file_path"
                            }
                        )));
                    }
                }
            }
        }
    } else {
        Tool::Other { name: tool_name }
    };
    let cwd = string_field(&p.cwd)
        .filter(|c| !c.is_empty())
        .map(PathBuf::from);
    let root = env
        .claude_project_dir
        .clone()
        .or_else(|| cwd.clone())
        .or_else(|| env.process_cwd.clone())
        .unwrap_or_else(|| PathBuf::from("."));
    let agent_id = match &p.agent_id {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    };
    Ok(ToolCall {
        platform: Platform::Claude,
        tool,
        agent_id,
        cwd: cwd.unwrap_or_else(|| root.clone()),
        root,
    })
}

/// A notice that allows: `systemMessage` for the user.
pub fn notice(text: &str) -> Answer {
    Answer {
        stdout: Some(json!({ "systemMessage": clamp(text, MESSAGE_MAX) }).to_string()),
        stderr: None,
        exit: 0,
    }
}

pub fn encode(decision: &Decision) -> Answer {
    let Some(primary) = decision.primary() else {
        return Answer {
            stdout: None,
            stderr: None,
            exit: 0,
        };
    };
    let unit = primary
        .unit
        .as_deref()
        .map(|u| format!(": {}", clamp(u, 200)))
        .unwrap_or_default();
    let value = match primary.verdict {
        Verdict::Deny | Verdict::Ask => {
            let (word, decision_str) = if primary.verdict == Verdict::Deny {
                ("blocked", "deny")
            } else {
                ("asks", "ask")
            };
            json!({
                "hookSpecificOutput": {
                    "hookEventName": "PreToolUse",
                    "permissionDecision": decision_str,
                    "permissionDecisionReason":
                        clamp(&format!("{} (so-hook rule {})", primary.reason, primary.rule), REASON_MAX),
                },
                "systemMessage": clamp(&format!("so-hook {word} [{}]{unit}", primary.rule), MESSAGE_MAX),
            })
        }
        Verdict::Warn => {
            let text: Vec<String> = decision
                .warnings()
                .map(|w| format!("{} (so-hook rule {})", w.reason, w.rule))
                .collect();
            let text = text.join("\n");
            json!({
                "hookSpecificOutput": {
                    "hookEventName": "PreToolUse",
                    "additionalContext": clamp(&text, REASON_MAX),
                },
                "systemMessage": clamp(&format!("so-hook warning [{}]{unit}", primary.rule), MESSAGE_MAX),
            })
        }
        Verdict::Allow => Value::Null,
    };
    Answer {
        stdout: (!value.is_null()).then(|| value.to_string()),
        // Debug log on success; the reason of the exit-2 fallback when stdout cannot be written.
        stderr: Some(clamp(
            &format!(
                "so-hook {} [{}]{unit}: {}",
                primary.verdict.as_str(),
                primary.rule,
                primary.reason
            ),
            REASON_MAX,
        )),
        exit: 0,
    }
}
