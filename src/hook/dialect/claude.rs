//! Claude Code's PreToolUse dialect.
//!
//! Allow is silence (exit 0, empty stdout: the user's own permission rules still apply); deny and ask
//! are one `hookSpecificOutput` object with `permissionDecision`; a warning is a `systemMessage` for
//! the user plus `additionalContext` for the agent. Strings stay below Claude Code's 10,000-character
//! cap.

use super::{Answer, Payload, Rejected, edit, shell, tool_input};
use crate::hook::call::{Platform, Tool, ToolCall};
use crate::hook::decision::{Outcome, Verdict, clamp};
use crate::project::Environment;
use serde::Serialize;

/// Room left under Claude Code's 10,000-character limit for the strings we send.
pub(super) const REASON_MAX: usize = 9_000;
pub(super) const MESSAGE_MAX: usize = 1_000;
const PLATFORM: Platform = Platform::Claude;

pub fn decode(p: &Payload, env: &Environment) -> Result<ToolCall, Rejected> {
    super::decode_hook(p, env, PLATFORM, tool)
}

/// The PreToolUse tool, by its name.
fn tool(p: &Payload, name: String) -> Result<Tool, Rejected> {
    Ok(match name.as_str() {
        "Bash" => shell(tool_input(p, &name)?, &name)?,
        // Copilot CLI runs Claude-format hooks too, and sends its `apply_patch` as an `Edit`
        // whose input is the patch text.
        "Edit" | "Write" | "MultiEdit" => match &p.tool_input {
            Some(super::Input::Text(text)) => super::patch(text, &name)?,
            _ => edit(tool_input(p, &name)?, &name, "file_path")?,
        },
        "NotebookEdit" => edit(tool_input(p, &name)?, &name, "notebook_path")?,
        _ => Tool::Other { name },
    })
}

/// The answer object Claude Code reads on stdout (Codex reads the same one, more strictly).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct HookOutput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hook_specific_output: Option<Specific>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_message: Option<String>,
}

/// `hookSpecificOutput`: a permission decision (PreToolUse), or context for the model.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum Specific {
    #[serde(rename_all = "camelCase")]
    Permission {
        hook_event_name: &'static str,
        permission_decision: &'static str,
        permission_decision_reason: String,
    },
    #[serde(rename_all = "camelCase")]
    Context {
        hook_event_name: &'static str,
        additional_context: String,
    },
}

impl HookOutput {
    /// Only a message for the user.
    pub fn message(text: &str) -> HookOutput {
        HookOutput {
            hook_specific_output: None,
            system_message: Some(clamp(text, MESSAGE_MAX)),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("the answer types serialize")
    }
}

/// A notice that allows: `systemMessage` for the user (Codex reads the same key).
pub fn notice(text: &str) -> Answer {
    Answer {
        stdout: Some(HookOutput::message(text).to_json()),
        stderr: None,
        exit: 0,
    }
}

pub fn encode(outcome: &Outcome) -> Answer {
    let (decision, primary) = match super::decided(outcome) {
        Ok(decided) => decided,
        Err(answer) => return answer,
    };
    let unit = super::unit_suffix(primary);
    let out = match primary.verdict {
        Verdict::Deny => super::permission("deny", primary, &super::reason(primary), "blocked"),
        Verdict::Ask => super::permission("ask", primary, &super::reason(primary), "asks"),
        Verdict::Warn => HookOutput {
            hook_specific_output: Some(Specific::Context {
                hook_event_name: "PreToolUse",
                additional_context: clamp(&super::warnings(decision), REASON_MAX),
            }),
            system_message: Some(clamp(
                &format!("so-hook warning [{}]{unit}", primary.rule),
                MESSAGE_MAX,
            )),
        },
        Verdict::Allow => return Answer::silent(),
    };
    Answer {
        stdout: Some(out.to_json()),
        stderr: Some(super::log_line(primary)),
        exit: 0,
    }
}
