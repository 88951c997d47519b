//! OpenAI Codex CLI's PreToolUse dialect.
//!
//! Codex reads the answer strictly: a deny is `hookSpecificOutput` with exactly `hookEventName`,
//! `permissionDecision: "deny"` and a non-empty `permissionDecisionReason` (a top-level
//! `systemMessage` may ride along); any other key makes Codex ignore the whole answer. Codex does not
//! support `ask` (nor a bare `allow`), so an ask becomes a deny that tells the agent to have the user
//! run the command. A warning is a top-level `systemMessage`.

use super::claude::HookOutput;
use super::{Answer, Payload, Rejected, shell, tool_input};
use crate::hook::call::{Platform, Tool, ToolCall};
use crate::hook::decision::{Outcome, Verdict};
use crate::project::Environment;

const PLATFORM: Platform = Platform::Codex;

pub fn decode(p: &Payload, env: &Environment) -> Result<ToolCall, Rejected> {
    let mut call = super::decode_hook(p, env, PLATFORM, tool)?;
    // Codex applies a patch's relative paths in the turn's directory, which may be below the root.
    super::paths_from_cwd(&mut call);
    Ok(call)
}

/// The PreToolUse tool, by its name.
fn tool(p: &Payload, name: String) -> Result<Tool, Rejected> {
    Ok(match name.as_str() {
        "Bash" => shell(tool_input(p, &name)?, &name)?,
        "apply_patch" => {
            let input = tool_input(p, &name)?;
            let text = input
                .command
                .as_ref()
                .or(input.patch.as_ref())
                .or(input.input.as_ref())
                .and_then(|v| v.as_str())
                .ok_or_else(|| {
                    Rejected::Invalid("the apply_patch call carries no patch text".into())
                })?;
            super::patch(text, &name)?
        }
        _ => Tool::Other { name },
    })
}

pub fn encode(outcome: &Outcome) -> Answer {
    let (decision, primary) = match super::decided(outcome) {
        Ok(decided) => decided,
        Err(answer) => return answer,
    };
    let out = match primary.verdict {
        Verdict::Deny | Verdict::Ask => {
            let reason = super::reason_without_prompt(primary, "Codex");
            super::permission("deny", primary, &reason, "blocked")
        }
        Verdict::Warn => HookOutput::message(&super::warnings(decision)),
        Verdict::Allow => return Answer::silent(),
    };
    Answer {
        stdout: Some(out.to_json()),
        stderr: Some(super::log_line(primary)),
        exit: 0,
    }
}
