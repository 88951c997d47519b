//! GitHub Copilot CLI's `preToolUse` dialect (hooks registered with Copilot's camelCase event
//! names, in `.github/hooks/*.json` or `~/.copilot/hooks/*.json`).
//!
//! The payload is camelCase: `toolName`, `toolArgs` (an object; for `apply_patch` the patch text,
//! and older releases sent the object as a JSON string), `cwd`, and in a subagent `agentId`. The
//! answer is `{"permissionDecision": "deny" | "ask", "permissionDecisionReason": ...}`; nothing
//! to block is silence, never `allow`, which would grant the call permission the user's own
//! settings may refuse. Copilot denies on any non-zero exit, so a crash or a missing binary
//! blocks; a hook that times out lets the call through.
//!
//! Copilot also runs Claude Code-format hooks (`.claude/settings*.json`) with Claude's tool names
//! and its own argument keys: those payloads are Claude Code's dialect (see `claude.rs`).

use super::{Answer, Input, Payload, Rejected, edit, required, shell, string_field};
use crate::hook::call::{Platform, Tool, ToolCall};
use crate::hook::decision::{Outcome, Verdict, clamp};
use crate::project::Environment;
use serde::Serialize;

const PLATFORM: Platform = Platform::Copilot;
const REASON_MAX: usize = 9_000;

pub fn decode(p: &Payload, env: &Environment) -> Result<ToolCall, Rejected> {
    let tool = match string_field(&p.tool_name_camel) {
        // A lifecycle event (sessionStart, ...): nothing to judge.
        None if p.tool_name_camel.is_none() => Tool::Other {
            name: "event".into(),
        },
        None => {
            return Err(Rejected::Invalid(
                "the payload's toolName is not a string".into(),
            ));
        }
        Some(name) => tool(p, name)?,
    };
    let agent = match &p.agent_id_camel {
        Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => super::agent_id(p),
    };
    let mut call = super::place(PLATFORM, tool, agent, None, super::cwd(p), env);
    super::paths_from_cwd(&mut call);
    Ok(call)
}

/// The tool, by its name, with `toolArgs` read as the tool reads them.
fn tool(p: &Payload, name: &str) -> Result<Tool, Rejected> {
    let args = match &p.tool_args {
        // Older releases sent the arguments as a JSON string.
        Some(Input::Text(text)) if name != "apply_patch" => {
            match serde_json::from_str::<Input>(text) {
                Ok(parsed) => Some(parsed),
                Err(_) => {
                    return Err(Rejected::Invalid(format!(
                        "the {name} call's toolArgs is neither an object nor JSON text"
                    )));
                }
            }
        }
        _ => None,
    };
    let args = args.as_ref().or(p.tool_args.as_ref());
    let object = || match args {
        Some(Input::Object(o)) => Ok(o.as_ref()),
        Some(_) => Err(Rejected::Invalid(format!(
            "the {name} call's toolArgs is not an object"
        ))),
        None => Err(Rejected::Invalid(format!(
            "the {name} call has no toolArgs"
        ))),
    };
    Ok(match name {
        "bash" => shell(object()?, name)?,
        // so-hook reads POSIX shells; a PowerShell command (Copilot CLI on Windows) cannot be
        // judged, so it is refused rather than read as something it is not.
        "powershell" => {
            return Err(Rejected::Invalid(
                "the powershell call runs PowerShell, which so-hook does not read; use the bash \
                 tool, or ask the user to run the command"
                    .into(),
            ));
        }
        "create" | "edit" | "str_replace_editor" => edit(object()?, name, "file_path")?,
        "apply_patch" => match args {
            Some(Input::Text(text)) => super::patch(text, name)?,
            Some(Input::Object(o)) => super::patch(
                required(&o.input, "apply_patch call", "patch text", true)?,
                name,
            )?,
            _ => {
                return Err(Rejected::Invalid(
                    "the apply_patch call carries no patch text".into(),
                ));
            }
        },
        _ => Tool::Other {
            name: name.to_string(),
        },
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Output {
    #[serde(skip_serializing_if = "Option::is_none")]
    permission_decision: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    permission_decision_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    additional_context: Option<String>,
}

pub fn encode(outcome: &Outcome) -> Answer {
    // Copilot's camelCase hooks have no context events of ours: a context is silence.
    let (decision, primary) = match super::deciding(outcome) {
        Ok(d) => d,
        Err(silence) => return silence,
    };
    let out = match primary.verdict {
        Verdict::Deny => Output {
            permission_decision: Some("deny"),
            permission_decision_reason: Some(clamp(&super::reason(primary), REASON_MAX)),
            additional_context: None,
        },
        // Copilot asks the user; where it cannot (a prompt run, autopilot), it denies.
        Verdict::Ask => Output {
            permission_decision: Some("ask"),
            permission_decision_reason: Some(clamp(&super::reason(primary), REASON_MAX)),
            additional_context: None,
        },
        Verdict::Warn => Output {
            permission_decision: None,
            permission_decision_reason: None,
            additional_context: Some(clamp(&super::warnings(decision), REASON_MAX)),
        },
        Verdict::Allow => return Answer::silent(),
    };
    super::json_answer(&out, primary)
}
