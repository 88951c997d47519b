//! OpenCode, through the plugin so-hook ships (`plugin/opencode/so-hook.js`): before a tool runs,
//! the plugin sends `{"hook_event_name": "tool.execute.before", "tool", "args", "sessionID",
//! "cwd"}` and throws when the answer is a deny, so the model reads the reason as the tool's
//! error. The answer is `{"decision": "deny", "reason"}`, `{"decision": "allow", "message"}` for a
//! warning, or silence. OpenCode has no prompt a plugin can raise, so an ask is a deny that tells
//! the agent to have the user run it. The plugin also blocks when so-hook cannot be run or
//! answers anything it cannot read.

use super::{Answer, Input, Payload, Rejected, edit, required, shell_command, string_field};
use crate::hook::call::{Platform, Tool, ToolCall};
use crate::hook::decision::{Outcome, Verdict, clamp};
use crate::project::Environment;
use serde::Serialize;

const PLATFORM: Platform = Platform::OpenCode;
const REASON_MAX: usize = 9_000;
/// The event name the plugin sends.
pub const EVENT: &str = "tool.execute.before";

pub fn decode(p: &Payload, env: &Environment) -> Result<ToolCall, Rejected> {
    let event = required(&p.hook_event_name, "payload", "hook_event_name", false)?;
    let mut dir = None;
    let tool = if event == EVENT {
        let name = required(&p.tool, "payload", "tool", true)?.to_string();
        let args = match &p.args {
            Some(Input::Object(o)) => Some(o.as_ref()),
            _ => None,
        };
        let object = || {
            args.ok_or_else(|| {
                Rejected::Invalid(format!("the {name} call's args is not an object"))
            })
        };
        match name.as_str() {
            "bash" => {
                let a = object()?;
                dir = string_field(&a.workdir)
                    .filter(|d| !d.is_empty())
                    .map(std::path::PathBuf::from);
                shell_command(
                    required(&a.command, &format!("{name} call"), "command", false)?,
                    &name,
                )?
            }
            "write" | "edit" => edit(object()?, &name, "file_path")?,
            "apply_patch" => super::patch(
                required(&object()?.patch_text, "apply_patch call", "patchText", true)?,
                &name,
            )?,
            _ => Tool::Other { name },
        }
    } else {
        Tool::Other {
            name: event.to_string(),
        }
    };
    let mut call = super::place(PLATFORM, tool, None, None, super::cwd(p), env);
    super::paths_from_cwd(&mut call);
    if let Some(d) = dir {
        call.cwd = call.cwd.join(d);
    }
    Ok(call)
}

#[derive(Serialize)]
struct Output {
    decision: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

pub fn encode(outcome: &Outcome) -> Answer {
    let (decision, primary) = match super::deciding(outcome) {
        Ok(d) => d,
        Err(silence) => return silence,
    };
    let out = match primary.verdict {
        Verdict::Deny | Verdict::Ask => Output {
            decision: "deny",
            reason: Some(clamp(
                &super::reason_without_prompt(primary, "OpenCode"),
                REASON_MAX,
            )),
            message: None,
        },
        Verdict::Warn => Output {
            decision: "allow",
            reason: None,
            message: Some(clamp(&super::warnings(decision), REASON_MAX)),
        },
        Verdict::Allow => return Answer::silent(),
    };
    super::json_answer(&out, primary)
}
