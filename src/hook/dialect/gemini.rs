//! Gemini CLI's hook dialect: `BeforeTool` guards `run_shell_command` and the file tools
//! (`write_file`, `replace`), `AfterTool` reports what the type-check finds after a write, and
//! `SessionStart` tells the agent what is guarded.
//!
//! The payload is Claude Code's shape (`hook_event_name`, `tool_name`, `tool_input`, `cwd`) with
//! Gemini's event and tool names. The answer is one JSON object on stdout with exit 0:
//! `{"decision": "deny", "reason": ..., "systemMessage": ...}` (the reason goes to the agent as
//! the tool's error, the message to the user). Gemini has no `ask` for a tool call, so an ask is a
//! deny that tells the agent to have the user run it. Any exit status but 0 and 2 is only a
//! warning to Gemini, and the call goes on: the registration `so-hook install` writes turns a
//! missing binary or a crash into exit 2, which blocks.

use super::{Answer, Payload, Rejected, edit, required, shell_command, string_field, tool_input};
use crate::hook::call::{Platform, Tool, ToolCall};
use crate::hook::decision::{ContextEvent, Outcome, Verdict, clamp};
use crate::project::Environment;
use serde::Serialize;

const PLATFORM: Platform = Platform::Gemini;
/// The events only Gemini CLI sends (its `SessionStart` has Claude Code's name).
pub const EVENTS: &[&str] = &[
    "BeforeTool",
    "AfterTool",
    "BeforeAgent",
    "AfterAgent",
    "BeforeModel",
    "AfterModel",
    "BeforeToolSelection",
    "PreCompress",
];
/// Gemini's tools that write files, with the argument that names the file.
const WRITE_TOOLS: &[&str] = &["write_file", "replace"];
/// Room for the strings we send (Gemini sets no cap of its own; the agent reads the reason).
const REASON_MAX: usize = 9_000;
const MESSAGE_MAX: usize = 1_000;

pub fn decode(p: &Payload, env: &Environment) -> Result<ToolCall, Rejected> {
    let event = required(&p.hook_event_name, "payload", "hook_event_name", false)?;
    let mut dir = None;
    let tool = match event {
        "BeforeTool" => {
            let name = super::tool_name(p)?;
            match name.as_str() {
                "run_shell_command" => {
                    let input = tool_input(p, &name)?;
                    // The command runs in `dir_path` (relative to the project) when it is given.
                    dir = string_field(&input.dir_path)
                        .filter(|d| !d.is_empty())
                        .map(std::path::PathBuf::from);
                    let command =
                        required(&input.command, &format!("{name} call"), "command", false)?;
                    shell_command(command, &name)?
                }
                n if WRITE_TOOLS.contains(&n) => edit(tool_input(p, &name)?, &name, "file_path")?,
                _ => Tool::Other { name },
            }
        }
        // A write tool has run: the type-check follows. Nothing here can block, so a payload
        // that cannot be read is passed over.
        "AfterTool" => {
            let name = super::tool_name(p).unwrap_or_default();
            match tool_input(p, &name).and_then(|i| edit(i, &name, "file_path")) {
                Ok(Tool::Edit { paths, .. }) if WRITE_TOOLS.contains(&name.as_str()) => {
                    Tool::Written { paths }
                }
                _ => Tool::Other { name },
            }
        }
        "SessionStart" => Tool::Started,
        other => Tool::Other {
            name: other.to_string(),
        },
    };
    let cwd = super::cwd(p);
    let mut call = super::place(PLATFORM, tool, None, None, cwd, env);
    super::paths_from_cwd(&mut call);
    if let Some(d) = dir {
        call.cwd = call.cwd.join(d);
    }
    Ok(call)
}

/// The object Gemini reads on stdout.
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Output {
    #[serde(skip_serializing_if = "Option::is_none")]
    decision: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hook_specific_output: Option<Specific>,
    #[serde(skip_serializing_if = "Option::is_none")]
    system_message: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Specific {
    additional_context: String,
}

impl Output {
    fn answer(&self, stderr: Option<String>) -> Answer {
        Answer {
            stdout: Some(serde_json::to_string(self).expect("the answer types serialize")),
            stderr,
            exit: 0,
        }
    }
}

pub fn encode(outcome: &Outcome) -> Answer {
    let (decision, primary) = match outcome {
        Outcome::Context(c) => {
            let max = match c.event {
                ContextEvent::SessionStart => MESSAGE_MAX,
                ContextEvent::PostToolUse => REASON_MAX,
            };
            if c.text.is_none() && c.message.is_none() {
                return Answer::silent();
            }
            return Output {
                hook_specific_output: c.text.as_ref().map(|t| Specific {
                    additional_context: clamp(t, max),
                }),
                system_message: c.message.as_ref().map(|m| clamp(m, MESSAGE_MAX)),
                ..Output::default()
            }
            .answer(c.message.clone());
        }
        Outcome::Decision(d) => match d.primary() {
            Some(p) => (d, p),
            None => return Answer::silent(),
        },
    };
    let unit = super::unit_suffix(primary);
    let out = match primary.verdict {
        Verdict::Deny | Verdict::Ask => Output {
            decision: Some("deny"),
            reason: Some(clamp(
                &super::reason_without_prompt(primary, "Gemini CLI"),
                REASON_MAX,
            )),
            system_message: Some(clamp(
                &format!("so-hook blocked [{}]{unit}", primary.rule),
                MESSAGE_MAX,
            )),
            ..Output::default()
        },
        // A tool call goes on; the user sees the warning (Gemini has no context for the agent
        // before a tool runs).
        Verdict::Warn => Output {
            system_message: Some(clamp(&super::warnings(decision), MESSAGE_MAX)),
            ..Output::default()
        },
        Verdict::Allow => return Answer::silent(),
    };
    out.answer(Some(super::log_line(primary)))
}

/// An allow that says something to the user.
pub fn notice(text: &str) -> Answer {
    Output {
        system_message: Some(clamp(text, MESSAGE_MAX)),
        ..Output::default()
    }
    .answer(None)
}
