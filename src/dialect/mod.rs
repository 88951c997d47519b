//! The two ends that differ per platform: decoding a hook payload into a [`ToolCall`], and encoding
//! a [`Decision`] into the answer the platform reads (stdout, stderr, exit code).

pub mod claude;

use crate::call::{Platform, ToolCall};
use crate::decision::{Decision, Finding};
use crate::project::Environment;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

/// The largest payload read from stdin. Larger payloads are denied unread: a `Write` of a big file
/// carries its whole content, so the cap sits well above any source file an agent writes.
pub const STDIN_LIMIT: usize = 32 * 1024 * 1024;

/// The fields of a hook payload that any dialect reads. Unknown fields (a `Write`'s `content` among
/// them) are skipped without being copied.
#[derive(Deserialize)]
pub struct Payload<'a> {
    #[serde(default)]
    pub hook_event_name: Option<Value>,
    #[serde(default)]
    pub tool_name: Option<Value>,
    #[serde(default, borrow)]
    pub tool_input: Option<&'a RawValue>,
    #[serde(default)]
    pub cwd: Option<Value>,
    #[serde(default)]
    pub agent_id: Option<Value>,
    #[serde(default)]
    pub turn_id: Option<Value>,
    #[serde(default)]
    pub cursor_version: Option<Value>,
    #[serde(default)]
    pub conversation_id: Option<Value>,
}

impl Payload<'_> {
    /// The platform that sent this payload, judged from its fields (used without `--platform`).
    pub fn platform(&self) -> Platform {
        let camel_event = self
            .hook_event_name
            .as_ref()
            .and_then(Value::as_str)
            .is_some_and(|e| e.starts_with(|c: char| c.is_ascii_lowercase()));
        if self.turn_id.is_some() {
            Platform::Codex
        } else if self.cursor_version.is_some() || self.conversation_id.is_some() || camel_event {
            Platform::Cursor
        } else {
            Platform::Claude
        }
    }
}

/// Why a payload could not become a tool call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejected {
    /// The payload is broken: deny with this reason.
    Invalid(String),
    /// The hook was registered for an event it does not guard: allow, but say so.
    WrongEvent(String),
}

/// What the process prints and how it exits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub stdout: Option<String>,
    pub stderr: Option<String>,
    pub exit: i32,
}

impl Answer {
    /// Writes the answer; when stdout cannot take it, blocks with exit 2 and the reason on stderr.
    pub fn emit(&self) -> i32 {
        use std::io::Write;
        if let Some(out) = &self.stdout {
            let mut stdout = std::io::stdout().lock();
            let written = stdout
                .write_all(out.as_bytes())
                .and_then(|_| stdout.write_all(b"\n"))
                .and_then(|_| stdout.flush());
            if written.is_err() {
                let reason = self
                    .stderr
                    .clone()
                    .unwrap_or_else(|| "so-hook could not write its decision; blocked.".into());
                let _ = writeln!(std::io::stderr(), "{reason}");
                return 2;
            }
        }
        if let Some(err) = &self.stderr {
            let _ = writeln!(std::io::stderr(), "{err}");
        }
        self.exit
    }
}

/// Reads a payload: the platform (given or inferred) and the call, or why not.
pub fn decode(
    bytes: &[u8],
    forced: Option<Platform>,
    env: &Environment,
) -> (Platform, Result<ToolCall, Rejected>) {
    let fallback = forced.unwrap_or(Platform::Claude);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return (
            fallback,
            Err(Rejected::Invalid(
                "the hook received an empty payload on stdin".into(),
            )),
        );
    }
    let payload: Payload = match serde_json::from_slice(bytes) {
        Ok(p) => p,
        Err(e) => {
            let what = if e.classify() == serde_json::error::Category::Data {
                "is not a JSON object".to_string()
            } else {
                format!("is not valid JSON ({e})")
            };
            return (
                fallback,
                Err(Rejected::Invalid(format!("the hook payload {what}"))),
            );
        }
    };
    let platform = forced.unwrap_or_else(|| payload.platform());
    let call = match platform {
        Platform::Claude => claude::decode(&payload, env),
        other => Err(Rejected::Invalid(format!(
            "this so-hook build does not speak the {} hook dialect yet",
            other.name()
        ))),
    };
    (platform, call)
}

/// The platform's answer for a decision.
pub fn encode(platform: Platform, decision: &Decision) -> Answer {
    match platform {
        Platform::Claude => claude::encode(decision),
        _ => blocked(platform, decision),
    }
}

/// The answer for a payload that could not be judged.
pub fn reject(platform: Platform, rejected: &Rejected) -> Answer {
    match rejected {
        Rejected::Invalid(reason) => encode(
            platform,
            &Decision::of(Finding::deny(
                "input-invalid",
                format!("so-hook blocked this call because {reason}."),
            )),
        ),
        Rejected::WrongEvent(event) => match platform {
            Platform::Claude => claude::notice(&format!(
                "so-hook guards PreToolUse calls only, but it was called for `{event}`; nothing was \
                 checked. Register it under PreToolUse."
            )),
            _ => Answer {
                stdout: None,
                stderr: Some(format!("so-hook: not a guarded event ({event})")),
                exit: 0,
            },
        },
    }
}

/// The universal block (exit 2, reason on stderr) for a dialect this build cannot encode.
fn blocked(platform: Platform, decision: &Decision) -> Answer {
    match decision.primary() {
        Some(f) if f.verdict >= crate::decision::Verdict::Ask => Answer {
            stdout: None,
            stderr: Some(format!(
                "{} [so-hook {} for {}]",
                f.reason,
                f.rule,
                platform.name()
            )),
            exit: 2,
        },
        _ => Answer {
            stdout: None,
            stderr: None,
            exit: 0,
        },
    }
}
