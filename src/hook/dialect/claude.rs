//! Claude Code's PreToolUse dialect.
//!
//! Allow is silence (exit 0, empty stdout: the user's own permission rules still apply); deny and ask
//! are one `hookSpecificOutput` object with `permissionDecision`; a warning is a `systemMessage` for
//! the user plus `additionalContext` for the agent. Strings stay below Claude Code's 10,000-character
//! cap.

use super::{Answer, Payload, Rejected, edit, shell, tool_input};
use crate::hook::call::{Platform, Tool, ToolCall};
use crate::hook::decision::{Decision, Verdict, clamp};
use crate::project::Environment;
use serde_json::{Value, json};

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
        "Edit" | "Write" | "MultiEdit" => edit(tool_input(p, &name)?, &name, "file_path")?,
        "NotebookEdit" => edit(tool_input(p, &name)?, &name, "notebook_path")?,
        _ => Tool::Other { name },
    })
}

/// A notice that allows: `systemMessage` for the user (Codex reads the same key).
pub fn notice(text: &str) -> Answer {
    Answer {
        stdout: Some(json!({ "systemMessage": clamp(text, MESSAGE_MAX) }).to_string()),
        stderr: None,
        exit: 0,
    }
}

pub fn encode(decision: &Decision) -> Answer {
    if let Some(context) = &decision.context {
        return super::context(context);
    }
    let Some(primary) = decision.primary() else {
        return Answer::silent();
    };
    let unit = super::unit_suffix(primary);
    let value = match primary.verdict {
        Verdict::Deny => super::permission("deny", primary, &super::reason(primary), "blocked"),
        Verdict::Ask => super::permission("ask", primary, &super::reason(primary), "asks"),
        Verdict::Warn => json!({
            "hookSpecificOutput": {
                "hookEventName": "PreToolUse",
                "additionalContext": clamp(&super::warnings(decision), REASON_MAX),
            },
            "systemMessage": clamp(&format!("so-hook warning [{}]{unit}", primary.rule), MESSAGE_MAX),
        }),
        Verdict::Allow => Value::Null,
    };
    Answer {
        stdout: (!value.is_null()).then(|| value.to_string()),
        stderr: Some(super::log_line(primary)),
        exit: 0,
    }
}
