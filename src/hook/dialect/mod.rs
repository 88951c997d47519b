//! The two ends that differ per platform: decoding a hook payload into a [`ToolCall`], and encoding
//! a [`Decision`] into the answer the platform reads (stdout, stderr, exit code).

pub mod claude;
pub mod codex;
pub mod cursor;
pub mod skim;

use crate::hook::call::{Platform, ToolCall};
use crate::hook::decision::{Decision, Finding, Outcome};
use crate::project::Environment;
use serde::Deserialize;
use serde_json::Value;

/// The largest payload read from stdin. Larger payloads are denied unread: a `Write` of a big file
/// carries its whole content, so the cap sits well above any source file an agent writes.
pub const STDIN_LIMIT: usize = 32 * 1024 * 1024;

/// The fields of a hook payload that any dialect reads. Unknown fields (a `Write`'s `content` among
/// them) are skipped as they stream past, without being kept.
#[derive(Deserialize)]
pub struct Payload {
    #[serde(default)]
    pub hook_event_name: Option<Value>,
    #[serde(default)]
    pub tool_name: Option<Value>,
    #[serde(default)]
    pub tool_input: Option<Input>,
    #[serde(default)]
    pub cwd: Option<Value>,
    #[serde(default)]
    pub agent_id: Option<Value>,
    #[serde(default)]
    pub agent_type: Option<Value>,
    #[serde(default)]
    pub turn_id: Option<Value>,
    #[serde(default)]
    pub cursor_version: Option<Value>,
    #[serde(default)]
    pub conversation_id: Option<Value>,
    /// Cursor: the shell command of `beforeShellExecution`, and the open folders.
    #[serde(default)]
    pub command: Option<Value>,
    #[serde(default)]
    pub workspace_roots: Option<Value>,
    /// Cursor: the file of `afterFileEdit`.
    #[serde(default)]
    pub file_path: Option<Value>,
}

/// A payload's `tool_input`: the object a guard reads (only its known fields are kept), or a note
/// that it was something else (Cursor sends an MCP call's input as a string).
pub enum Input {
    Object(ToolInput),
    NotAnObject,
}

impl<'de> Deserialize<'de> for Input {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Input, D::Error> {
        use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Input;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a tool_input")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Input, A::Error> {
                ToolInput::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(Input::Object)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Input, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Input::NotAnObject)
            }
            fn visit_str<E>(self, _: &str) -> Result<Input, E> {
                Ok(Input::NotAnObject)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Input, E> {
                Ok(Input::NotAnObject)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Input, E> {
                Ok(Input::NotAnObject)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Input, E> {
                Ok(Input::NotAnObject)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Input, E> {
                Ok(Input::NotAnObject)
            }
            fn visit_unit<E>(self) -> Result<Input, E> {
                Ok(Input::NotAnObject)
            }
        }
        d.deserialize_any(V)
    }
}

/// The fields of a `tool_input` that a guard reads.
#[derive(Deserialize)]
pub struct ToolInput {
    #[serde(default)]
    pub command: Option<Value>,
    #[serde(default)]
    pub file_path: Option<Value>,
    #[serde(default)]
    pub notebook_path: Option<Value>,
    #[serde(default)]
    pub patch: Option<Value>,
    #[serde(default)]
    pub input: Option<Value>,
    #[serde(default)]
    pub cwd: Option<Value>,
}

pub(crate) fn string_field(v: &Option<Value>) -> Option<&str> {
    v.as_ref().and_then(Value::as_str)
}

/// `SessionStart`, `Stop` or `SubagentStop` (with the subagent's type; `"unknown"` only when the
/// payload has none).
fn lifecycle_tool(p: &Payload) -> Option<crate::hook::call::Tool> {
    match p.hook_event_name.as_ref().and_then(Value::as_str)? {
        "SessionStart" => Some(crate::hook::call::Tool::Started),
        "Stop" => Some(crate::hook::call::Tool::Stopped { subagent: None }),
        "SubagentStop" => {
            let agent = string_field(&p.agent_type)
                .or_else(|| string_field(&p.agent_id))
                .unwrap_or("unknown");
            Some(crate::hook::call::Tool::Stopped {
                subagent: Some(agent.to_string()),
            })
        }
        _ => None,
    }
}

/// A Claude-style hook call (Claude Code, Codex): a lifecycle event, or a guarded PreToolUse whose
/// tool `tool` reads by name; placed in its project.
pub(crate) fn decode_hook(
    p: &Payload,
    env: &Environment,
    platform: Platform,
    tool: fn(&Payload, String) -> Result<crate::hook::call::Tool, Rejected>,
) -> Result<ToolCall, Rejected> {
    let post_tool_use = p.hook_event_name.as_ref().and_then(Value::as_str) == Some("PostToolUse");
    let tool = match lifecycle_tool(p) {
        Some(t) => t,
        // An edit has run: the type-check follows. Nothing here can block, so a payload that
        // cannot be read is passed over.
        None if post_tool_use => match tool_name(p).and_then(|name| tool(p, name)) {
            Ok(crate::hook::call::Tool::Edit { paths, .. }) => {
                crate::hook::call::Tool::Written { paths }
            }
            _ => crate::hook::call::Tool::Other {
                name: "PostToolUse".into(),
            },
        },
        None => {
            pre_tool_use(p)?;
            tool(p, tool_name(p)?)?
        }
    };
    Ok(locate(p, env, tool, platform))
}

/// The call placed in its project: Claude Code's `CLAUDE_PROJECT_DIR`, else the project found
/// from the payload's `cwd` (else the process directory) by [`crate::project::root::discover`].
fn locate(
    p: &Payload,
    env: &Environment,
    tool: crate::hook::call::Tool,
    platform: Platform,
) -> ToolCall {
    let named = match platform {
        Platform::Claude => env.claude_project_dir.clone(),
        _ => None,
    };
    place(platform, tool, agent_id(p), named, cwd(p), env)
}

/// A call in the project the platform names, else in the one found from `cwd` (else from the
/// process directory); it runs in `cwd`.
pub(crate) fn place(
    platform: Platform,
    tool: crate::hook::call::Tool,
    agent_id: Option<String>,
    named: Option<std::path::PathBuf>,
    cwd: Option<std::path::PathBuf>,
    env: &Environment,
) -> ToolCall {
    let (root, cwd) = match named {
        Some(root) => (root.clone(), cwd.unwrap_or(root)),
        None => {
            let start = cwd
                .or_else(|| env.cwd())
                .unwrap_or_else(|| std::path::PathBuf::from("."));
            let root = crate::project::root::discover(&start, env.home.as_deref());
            (root, start)
        }
    };
    ToolCall {
        platform,
        tool,
        agent_id,
        root,
        cwd,
    }
}

/// Only PreToolUse is guarded; another event is answered with a notice (a missing name is taken as
/// PreToolUse, as older payloads had none).
fn pre_tool_use(p: &Payload) -> Result<(), Rejected> {
    match &p.hook_event_name {
        None => Ok(()),
        Some(Value::String(e)) if e == "PreToolUse" => Ok(()),
        Some(Value::String(e)) => Err(Rejected::WrongEvent(e.clone())),
        Some(_) => Err(Rejected::Invalid(
            "the payload's hook_event_name is not a string".into(),
        )),
    }
}

/// A string field the call cannot be judged without: `the {owner} has no {field}` when it is
/// missing, `the {owner}'s {field} is not a string` when it is something else (or, with
/// `non_empty`, an empty string).
pub(crate) fn required<'v>(
    v: &'v Option<Value>,
    owner: &str,
    field: &str,
    non_empty: bool,
) -> Result<&'v str, Rejected> {
    match v {
        Some(Value::String(s)) if !(non_empty && s.is_empty()) => Ok(s),
        Some(_) => Err(Rejected::Invalid(format!(
            "the {owner}'s {field} is not a string"
        ))),
        None => Err(Rejected::Invalid(format!("the {owner} has no {field}"))),
    }
}

pub(crate) fn tool_name(p: &Payload) -> Result<String, Rejected> {
    required(&p.tool_name, "payload", "tool_name", true).map(str::to_string)
}

/// The guarded call's `tool_input`.
pub(crate) fn tool_input<'p>(p: &'p Payload, name: &str) -> Result<&'p ToolInput, Rejected> {
    match &p.tool_input {
        Some(Input::Object(t)) => Ok(t),
        Some(Input::NotAnObject) => Err(Rejected::Invalid(format!(
            "the {name} call's tool_input is not an object"
        ))),
        None => Err(Rejected::Invalid(format!(
            "the {name} call has no tool_input"
        ))),
    }
}

pub(crate) fn shell(input: &ToolInput, name: &str) -> Result<crate::hook::call::Tool, Rejected> {
    let command = required(&input.command, &format!("{name} call"), "command", false)?;
    shell_command(command, name)
}

/// A shell call's command, unless no shell could receive it intact.
pub(crate) fn shell_command(
    command: &str,
    name: &str,
) -> Result<crate::hook::call::Tool, Rejected> {
    if command.contains('\0') {
        return Err(Rejected::Invalid(format!(
            "the {name} call's command contains a NUL byte, which no shell receives intact, so \
             what would run cannot be judged"
        )));
    }
    Ok(crate::hook::call::Tool::Shell {
        command: command.to_string(),
    })
}

pub(crate) fn edit(
    input: &ToolInput,
    name: &str,
    field: &str,
) -> Result<crate::hook::call::Tool, Rejected> {
    let value = if field == "notebook_path" {
        &input.notebook_path
    } else {
        &input.file_path
    };
    match string_field(value) {
        Some(path) if path.contains('\0') => Err(Rejected::Invalid(format!(
            "the {name} call's {field} contains a NUL byte, which no file name can hold"
        ))),
        Some(path) if !path.is_empty() => Ok(crate::hook::call::Tool::Edit {
            tool: name.to_string(),
            paths: vec![path.to_string()],
        }),
        _ => Err(Rejected::Invalid(format!(
            "the {name} call has no {field} string"
        ))),
    }
}

pub(crate) fn cwd(p: &Payload) -> Option<std::path::PathBuf> {
    string_field(&p.cwd)
        .filter(|c| !c.is_empty())
        .map(std::path::PathBuf::from)
}

pub(crate) fn agent_id(p: &Payload) -> Option<String> {
    match &p.agent_id {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// A PreToolUse answer with a permission decision (Claude Code and Codex read the same object).
pub(crate) fn permission(
    decision: &'static str,
    f: &Finding,
    reason: &str,
    headline: &str,
) -> claude::HookOutput {
    claude::HookOutput {
        hook_specific_output: Some(claude::Specific::Permission {
            hook_event_name: "PreToolUse",
            permission_decision: decision,
            permission_decision_reason: crate::hook::decision::clamp(reason, claude::REASON_MAX),
        }),
        system_message: Some(crate::hook::decision::clamp(
            &format!("so-hook {headline} [{}]{}", f.rule, unit_suffix(f)),
            claude::MESSAGE_MAX,
        )),
    }
}

/// A `SessionStart` or `PostToolUse` answer in the envelope Claude Code and Codex share: context
/// for the model, a message for the user; silence when there is neither.
pub(crate) fn context(context: &crate::hook::decision::Context) -> Answer {
    use crate::hook::decision::{ContextEvent, clamp};
    let out = claude::HookOutput {
        hook_specific_output: context.text.as_ref().map(|text| {
            let max = match context.event {
                ContextEvent::SessionStart => claude::MESSAGE_MAX,
                ContextEvent::PostToolUse => claude::REASON_MAX,
            };
            claude::Specific::Context {
                hook_event_name: context.event.as_str(),
                additional_context: clamp(text, max),
            }
        }),
        system_message: context
            .message
            .as_ref()
            .map(|m| clamp(m, claude::MESSAGE_MAX)),
    };
    if out.hook_specific_output.is_none() && out.system_message.is_none() {
        return Answer::silent();
    }
    Answer {
        stdout: Some(out.to_json()),
        stderr: context.message.clone(),
        exit: 0,
    }
}

/// The decision and its deciding finding, for an answer in the envelope Claude Code and Codex
/// share; the answer itself when there is nothing to decide (context, or a silent allow).
pub(crate) fn decided(outcome: &Outcome) -> Result<(&Decision, &Finding), Answer> {
    match outcome {
        Outcome::Context(c) => Err(context(c)),
        Outcome::Decision(d) => d.primary().map(|p| (d, p)).ok_or_else(Answer::silent),
    }
}

/// The reason the agent reads, naming the rule.
pub(crate) fn reason(f: &Finding) -> String {
    format!("{} (so-hook rule {})", f.reason, f.rule)
}

/// The reason for a platform that cannot put a question to the user from this hook: an `ask`
/// becomes a deny that tells the agent to hand the command to the user.
pub(crate) fn reason_without_prompt(f: &Finding, platform: &str) -> String {
    let mut text = reason(f);
    if f.verdict == crate::hook::decision::Verdict::Ask {
        text.push_str(&format!(
            " This needs the user's approval, which {platform} cannot ask for here: ask the user \
             to run it themselves."
        ));
    }
    text
}

/// The warnings of a decision, one per line.
pub(crate) fn warnings(d: &Decision) -> String {
    d.warnings().map(reason).collect::<Vec<_>>().join("\n")
}

pub(crate) fn unit_suffix(f: &Finding) -> String {
    f.unit
        .as_deref()
        .map(|u| format!(": {}", crate::hook::decision::clamp(u, 200)))
        .unwrap_or_default()
}

/// The stderr line: a debug log where the platform keeps one, and the reason of the exit-2
/// fallback when stdout cannot be written.
pub(crate) fn log_line(f: &Finding) -> String {
    crate::hook::decision::clamp(
        &format!(
            "so-hook {} [{}]{}: {}",
            f.verdict.as_str(),
            f.rule,
            unit_suffix(f),
            f.reason
        ),
        claude::REASON_MAX,
    )
}

impl Payload {
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

impl Rejected {
    /// The decision a payload that could not be read amounts to: a deny for a broken payload, an
    /// allow (with the notice [`reject`] prints) for an event so-hook does not serve.
    pub fn decision(&self) -> Decision {
        match self {
            Rejected::Invalid(reason) => Decision::of(Finding::deny(
                "input-invalid",
                format!("so-hook blocked this call because {reason}."),
            )),
            Rejected::WrongEvent(_) => Decision::allow(),
        }
    }
}

/// What the process prints and how it exits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub stdout: Option<String>,
    pub stderr: Option<String>,
    pub exit: i32,
}

impl Answer {
    /// Nothing to say: exit 0, no output.
    pub fn silent() -> Answer {
        Answer {
            stdout: None,
            stderr: None,
            exit: 0,
        }
    }

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
    decode_reader(bytes, forced, env)
}

/// Reads a payload as it streams in (stdin): what no guard reads, such as the content of a
/// `Write`, is dropped as it passes ([`skim`]), so memory does not grow with it. More than
/// [`STDIN_LIMIT`] bytes are refused.
pub fn decode_reader<R: std::io::Read>(
    input: R,
    forced: Option<Platform>,
    env: &Environment,
) -> (Platform, Result<ToolCall, Rejected>) {
    let fallback = forced.unwrap_or(Platform::Claude);
    let reject = |reason: String| (fallback, Err(Rejected::Invalid(reason)));
    let skimmed = match skim::skim(input, STDIN_LIMIT) {
        Ok(s) => s,
        Err(e) => return reject(format!("its payload could not be read from stdin ({e})")),
    };
    if skimmed.read > STDIN_LIMIT {
        return reject(format!(
            "its payload is larger than the {} MiB limit",
            STDIN_LIMIT / (1024 * 1024)
        ));
    }
    if skimmed.bytes.iter().all(u8::is_ascii_whitespace) {
        return reject("the hook received an empty payload on stdin".into());
    }
    let payload: Payload = match serde_json::from_slice(&skimmed.bytes) {
        Ok(p) => p,
        Err(e) => {
            return reject(if e.classify() == serde_json::error::Category::Data {
                "the hook payload is not a JSON object".into()
            } else {
                format!("the hook payload is not valid JSON ({e})")
            });
        }
    };
    let platform = forced.unwrap_or_else(|| payload.platform());
    let call = match platform {
        Platform::Claude => claude::decode(&payload, env),
        Platform::Codex => codex::decode(&payload, env),
        Platform::Cursor => cursor::decode(&payload, env),
    };
    (platform, call)
}

/// The platform's answer for an outcome.
pub fn encode(platform: Platform, outcome: &Outcome) -> Answer {
    match platform {
        Platform::Claude => claude::encode(outcome),
        Platform::Codex => codex::encode(outcome),
        Platform::Cursor => cursor::encode(outcome),
    }
}

/// The answer for a payload that could not be judged.
pub fn reject(platform: Platform, rejected: &Rejected) -> Answer {
    match rejected {
        Rejected::Invalid(_) => encode(platform, &rejected.decision().into()),
        Rejected::WrongEvent(event) => {
            let text = format!(
                "so-hook answers PreToolUse, PostToolUse, SessionStart, Stop and SubagentStop, \
                 but it was called for `{event}`; nothing was checked. Register it under \
                 PreToolUse."
            );
            match platform {
                // Both read a top-level `systemMessage`.
                Platform::Claude | Platform::Codex => claude::notice(&text),
                Platform::Cursor => cursor::encode(&Decision::allow().into()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hook::call::Tool;
    use crate::hook::decision::{Context, ContextEvent, Verdict};
    use serde_json::json;
    use std::path::{Path, PathBuf};

    /// A directory that holds no project, so a search for the root stops where it starts.
    const AWAY: &str = "/nonexistent-so-hook-dialect/app";

    fn env() -> Environment {
        Environment {
            process_cwd: Some(PathBuf::from(AWAY)),
            ..Environment::default()
        }
    }

    fn decoded(payload: Value, forced: Option<Platform>) -> (Platform, Result<ToolCall, Rejected>) {
        decode(payload.to_string().as_bytes(), forced, &env())
    }

    fn call(payload: Value) -> ToolCall {
        decoded(payload, None).1.expect("a call")
    }

    fn invalid(bytes: &[u8], forced: Option<Platform>) -> (Platform, String) {
        match decode(bytes, forced, &env()) {
            (p, Err(Rejected::Invalid(why))) => (p, why),
            (_, other) => panic!("not rejected as invalid: {other:?}"),
        }
    }

    fn claude(tool_name: &str, tool_input: Value) -> Value {
        json!({
            "session_id": "s1", "transcript_path": "/t.jsonl", "cwd": AWAY,
            "hook_event_name": "PreToolUse", "tool_name": tool_name, "tool_input": tool_input
        })
    }

    fn cursor(event: &str, extra: Value) -> Value {
        let mut v = json!({
            "conversation_id": "c1", "generation_id": "g1", "cursor_version": "3.9.16",
            "workspace_roots": ["/ws/root"], "hook_event_name": event
        });
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        v
    }

    fn shell_tool(command: &str) -> Tool {
        Tool::Shell {
            command: command.into(),
        }
    }

    #[test]
    fn claude_code_payloads_become_calls() {
        let c = call(claude("Bash", json!({"command": "cargo test"})));
        assert_eq!(c.platform, Platform::Claude);
        assert_eq!(c.tool, shell_tool("cargo test"));
        assert_eq!(c.agent_id, None);
        assert_eq!(c.root, Path::new(AWAY));
        assert_eq!(c.cwd, Path::new(AWAY));

        for name in ["Edit", "Write", "MultiEdit"] {
            let c = call(claude(
                name,
                json!({"file_path": "src/a.rs", "content": "x"}),
            ));
            assert_eq!(
                c.tool,
                Tool::Edit {
                    tool: name.into(),
                    paths: vec!["src/a.rs".into()]
                }
            );
        }
        let c = call(claude(
            "NotebookEdit",
            json!({"notebook_path": "/p/n.ipynb"}),
        ));
        assert_eq!(
            c.tool,
            Tool::Edit {
                tool: "NotebookEdit".into(),
                paths: vec!["/p/n.ipynb".into()]
            }
        );
        assert_eq!(
            call(claude("Read", json!({"file_path": "/etc/passwd"}))).tool,
            Tool::Other {
                name: "Read".into()
            }
        );

        // A subagent's call carries its id; an empty one is none.
        let mut sub = claude("Bash", json!({"command": "ls"}));
        sub["agent_id"] = json!("agent-7");
        assert_eq!(call(sub.clone()).agent_id.as_deref(), Some("agent-7"));
        sub["agent_id"] = json!("");
        assert_eq!(call(sub).agent_id, None);
    }

    #[test]
    fn claude_code_names_its_project_with_claude_project_dir() {
        let env = Environment {
            claude_project_dir: Some(PathBuf::from("/named/root")),
            ..env()
        };
        let payload = claude("Bash", json!({"command": "ls"})).to_string();
        let (_, c) = decode(payload.as_bytes(), None, &env);
        let c = c.unwrap();
        assert_eq!(c.root, Path::new("/named/root"));
        assert_eq!(c.cwd, Path::new(AWAY));
        // Only Claude Code reads it: the same payload sent as Codex's finds its own root.
        let (_, c) = decode(payload.as_bytes(), Some(Platform::Codex), &env);
        assert_eq!(c.unwrap().root, Path::new(AWAY));
    }

    #[test]
    fn lifecycle_events_and_post_tool_use() {
        let event = |name: &str, extra: Value| {
            let mut v = json!({"session_id": "s1", "cwd": AWAY, "hook_event_name": name});
            v.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            call(v).tool
        };
        assert_eq!(event("SessionStart", json!({})), Tool::Started);
        assert_eq!(event("Stop", json!({})), Tool::Stopped { subagent: None });
        assert_eq!(
            event(
                "SubagentStop",
                json!({"agent_type": "reviewer", "agent_id": "a1"})
            ),
            Tool::Stopped {
                subagent: Some("reviewer".into())
            }
        );
        assert_eq!(
            event("SubagentStop", json!({})),
            Tool::Stopped {
                subagent: Some("unknown".into())
            }
        );
        assert_eq!(
            event(
                "PostToolUse",
                json!({"tool_name": "Write", "tool_input": {"file_path": "/p/a.rs"}})
            ),
            Tool::Written {
                paths: vec!["/p/a.rs".into()]
            }
        );
        // An unreadable PostToolUse cannot block: it is passed over.
        assert_eq!(
            event("PostToolUse", json!({"tool_name": "Write"})),
            Tool::Other {
                name: "PostToolUse".into()
            }
        );
        // An event it does not serve is allowed with a notice.
        let (p, r) = decoded(
            json!({"hook_event_name": "UserPromptSubmit", "prompt": "hi"}),
            None,
        );
        assert_eq!(p, Platform::Claude);
        assert_eq!(
            r.unwrap_err(),
            Rejected::WrongEvent("UserPromptSubmit".into())
        );
        // A payload without an event name is taken as PreToolUse.
        let c = call(json!({"cwd": AWAY, "tool_name": "Bash", "tool_input": {"command": "ls"}}));
        assert_eq!(c.tool, shell_tool("ls"));
    }

    #[test]
    fn codex_payloads_become_calls_with_patch_paths_in_the_turn_directory() {
        let base = json!({
            "session_id": "0199a", "turn_id": "1", "transcript_path": null,
            "cwd": format!("{AWAY}/sub"), "hook_event_name": "PreToolUse", "model": "gpt-5",
            "tool_use_id": "call_1"
        });
        let with = |name: &str, input: Value| {
            let mut v = base.clone();
            v["tool_name"] = json!(name);
            v["tool_input"] = input;
            v
        };
        let (p, c) = decoded(with("Bash", json!({"command": "git status"})), None);
        assert_eq!(p, Platform::Codex);
        assert_eq!(c.unwrap().tool, shell_tool("git status"));

        let patch = "*** Begin Patch\n*** Update File: src/a.rs\n@@\n-a\n+b\n*** Add File: /abs/n.md\n+x\n*** End Patch\n";
        let c = call(with("apply_patch", json!({"command": patch})));
        assert_eq!(c.platform, Platform::Codex);
        assert_eq!(
            c.tool,
            Tool::Edit {
                tool: "apply_patch".into(),
                paths: vec![format!("{AWAY}/sub/src/a.rs"), "/abs/n.md".into()]
            }
        );
        // The text may come as `patch` or `input` too.
        let c = call(with("apply_patch", json!({"input": patch})));
        assert!(matches!(c.tool, Tool::Edit { ref paths, .. } if paths.len() == 2));

        let (_, r) = decoded(with("apply_patch", json!({"command": "not a patch"})), None);
        assert!(
            matches!(r, Err(Rejected::Invalid(ref why)) if why.starts_with("the apply_patch call's patch cannot be read")),
            "{r:?}"
        );
        let (_, r) = decoded(with("apply_patch", json!({})), None);
        assert_eq!(
            r.unwrap_err(),
            Rejected::Invalid("the apply_patch call carries no patch text".into())
        );
        assert_eq!(
            call(with("mcp__fs__read", json!({}))).tool,
            Tool::Other {
                name: "mcp__fs__read".into()
            }
        );
    }

    #[test]
    fn cursor_payloads_become_calls_in_the_first_workspace_root() {
        let (p, c) = decoded(
            cursor(
                "beforeShellExecution",
                json!({"command": "npm test", "cwd": "/ws/root/pkg"}),
            ),
            None,
        );
        assert_eq!(p, Platform::Cursor);
        let c = c.unwrap();
        assert_eq!(c.tool, shell_tool("npm test"));
        assert_eq!(c.root, Path::new("/ws/root"));
        assert_eq!(c.cwd, Path::new("/ws/root/pkg"));
        assert_eq!(c.agent_id, None);

        // preToolUse: the shell's directory may be in tool_input.
        let c = call(cursor(
            "preToolUse",
            json!({"tool_name": "Shell", "tool_input": {"command": "git reset --hard", "cwd": "/ws/root/x"}}),
        ));
        assert_eq!(c.tool, shell_tool("git reset --hard"));
        assert_eq!(c.cwd, Path::new("/ws/root/x"));
        for name in ["Write", "Edit", "MultiEdit", "StrReplace", "Delete"] {
            let c = call(cursor(
                "preToolUse",
                json!({"tool_name": name, "tool_input": {"file_path": "/ws/root/src/a.rs"}}),
            ));
            assert_eq!(
                c.tool,
                Tool::Edit {
                    tool: name.into(),
                    paths: vec!["/ws/root/src/a.rs".into()]
                }
            );
            // Without a cwd, the call runs at the root.
            assert_eq!(c.cwd, Path::new("/ws/root"));
        }
        assert_eq!(
            call(cursor(
                "preToolUse",
                json!({"tool_name": "Read", "tool_input": {"file_path": "/etc/passwd"}})
            ))
            .tool,
            Tool::Other {
                name: "Read".into()
            }
        );
        assert_eq!(
            call(cursor(
                "afterFileEdit",
                json!({"file_path": "/ws/root/docs/a.md", "edits": []})
            ))
            .tool,
            Tool::Edited {
                paths: vec!["/ws/root/docs/a.md".into()]
            }
        );
        assert_eq!(
            call(cursor(
                "postToolUse",
                json!({"tool_name": "Write", "tool_input": {"file_path": "/ws/root/a.rs"}})
            ))
            .tool,
            Tool::Written {
                paths: vec!["/ws/root/a.rs".into()]
            }
        );
        assert_eq!(call(cursor("sessionStart", json!({}))).tool, Tool::Started);
        // An MCP call's tool_input is a string: not guarded, so not a problem.
        assert_eq!(
            call(cursor(
                "beforeMCPExecution",
                json!({"tool_name": "x", "tool_input": "{}"})
            ))
            .tool,
            Tool::Other {
                name: "beforeMCPExecution".into()
            }
        );
        let (_, r) = decoded(
            cursor("beforeShellExecution", json!({"cwd": "/ws/root"})),
            None,
        );
        assert_eq!(
            r.unwrap_err(),
            Rejected::Invalid("the beforeShellExecution call has no command".into())
        );
    }

    #[test]
    fn the_platform_is_told_from_the_payload_unless_forced() {
        assert_eq!(decoded(json!({"turn_id": "1"}), None).0, Platform::Codex);
        assert_eq!(
            decoded(json!({"conversation_id": "c"}), None).0,
            Platform::Cursor
        );
        assert_eq!(
            decoded(json!({"hook_event_name": "stop"}), None).0,
            Platform::Cursor
        );
        assert_eq!(
            decoded(json!({"hook_event_name": "Stop"}), None).0,
            Platform::Claude
        );
        let (p, _) = decoded(json!({"conversation_id": "c"}), Some(Platform::Claude));
        assert_eq!(p, Platform::Claude);
    }

    #[test]
    fn broken_payloads_are_rejected_as_invalid() {
        let (p, why) = invalid(b"tool_name: Bash", None);
        assert_eq!(p, Platform::Claude);
        assert!(
            why.starts_with("the hook payload is not valid JSON ("),
            "{why}"
        );
        // The platform named on the command line answers, even for a payload it cannot read.
        assert_eq!(invalid(b"{", Some(Platform::Cursor)).0, Platform::Cursor);
        for not_an_object in [&b"\"PreToolUse\""[..], b"42", b"null"] {
            assert_eq!(
                invalid(not_an_object, None).1,
                "the hook payload is not a JSON object"
            );
        }
        for empty in [&b""[..], b"  \n\t"] {
            assert_eq!(
                invalid(empty, Some(Platform::Codex)),
                (
                    Platform::Codex,
                    "the hook received an empty payload on stdin".into()
                )
            );
        }
        let nul = claude("Bash", json!({"command": "rm -rf x\u{0}y"})).to_string();
        let why = invalid(nul.as_bytes(), None).1;
        assert!(
            why.starts_with("the Bash call's command contains a NUL byte"),
            "{why}"
        );
        let nul = claude("Write", json!({"file_path": "src/a\u{0}.rs"})).to_string();
        assert_eq!(
            invalid(nul.as_bytes(), None).1,
            "the Write call's file_path contains a NUL byte, which no file name can hold"
        );
        let cases = [
            (
                json!({"hook_event_name": "PreToolUse", "tool_input": {}}),
                "the payload has no tool_name",
            ),
            (
                json!({"hook_event_name": "PreToolUse", "tool_name": ""}),
                "the payload's tool_name is not a string",
            ),
            (
                json!({"hook_event_name": 3, "tool_name": "Bash"}),
                "the payload's hook_event_name is not a string",
            ),
            (
                claude("Bash", json!("ls")),
                "the Bash call's tool_input is not an object",
            ),
            (
                json!({"hook_event_name": "PreToolUse", "tool_name": "Bash"}),
                "the Bash call has no tool_input",
            ),
            (claude("Bash", json!({})), "the Bash call has no command"),
            (
                claude("Bash", json!({"command": ["rm", "-rf"]})),
                "the Bash call's command is not a string",
            ),
            (
                claude("Edit", json!({"file_path": ""})),
                "the Edit call has no file_path string",
            ),
        ];
        for (payload, reason) in cases {
            assert_eq!(invalid(payload.to_string().as_bytes(), None).1, reason);
        }
    }

    fn finding(verdict: Verdict) -> Finding {
        Finding::new(verdict, "some-rule", "Because.").with_unit("rm -rf src")
    }

    fn outcome(verdict: Verdict) -> Outcome {
        Decision::of(finding(verdict)).into()
    }

    fn stdout(a: &Answer) -> Value {
        serde_json::from_str(a.stdout.as_deref().expect("stdout")).unwrap()
    }

    #[test]
    fn claude_code_answers() {
        let deny = encode(Platform::Claude, &outcome(Verdict::Deny));
        assert_eq!(
            stdout(&deny),
            json!({
                "hookSpecificOutput": {
                    "hookEventName": "PreToolUse",
                    "permissionDecision": "deny",
                    "permissionDecisionReason": "Because. (so-hook rule some-rule)"
                },
                "systemMessage": "so-hook blocked [some-rule]: rm -rf src"
            })
        );
        assert_eq!(deny.exit, 0);
        assert_eq!(
            deny.stderr.as_deref(),
            Some("so-hook deny [some-rule]: rm -rf src: Because.")
        );
        let ask = encode(Platform::Claude, &outcome(Verdict::Ask));
        assert_eq!(
            stdout(&ask),
            json!({
                "hookSpecificOutput": {
                    "hookEventName": "PreToolUse",
                    "permissionDecision": "ask",
                    "permissionDecisionReason": "Because. (so-hook rule some-rule)"
                },
                "systemMessage": "so-hook asks [some-rule]: rm -rf src"
            })
        );
        let warn = encode(Platform::Claude, &outcome(Verdict::Warn));
        assert_eq!(
            stdout(&warn),
            json!({
                "hookSpecificOutput": {
                    "hookEventName": "PreToolUse",
                    "additionalContext": "Because. (so-hook rule some-rule)"
                },
                "systemMessage": "so-hook warning [some-rule]: rm -rf src"
            })
        );
        assert_eq!(
            encode(Platform::Claude, &Decision::allow().into()),
            Answer::silent()
        );
    }

    #[test]
    fn codex_answers_deny_for_an_ask_and_a_message_for_a_warning() {
        let deny = encode(Platform::Codex, &outcome(Verdict::Deny));
        assert_eq!(
            stdout(&deny),
            json!({
                "hookSpecificOutput": {
                    "hookEventName": "PreToolUse",
                    "permissionDecision": "deny",
                    "permissionDecisionReason": "Because. (so-hook rule some-rule)"
                },
                "systemMessage": "so-hook blocked [some-rule]: rm -rf src"
            })
        );
        let ask = stdout(&encode(Platform::Codex, &outcome(Verdict::Ask)));
        let specific = &ask["hookSpecificOutput"];
        assert_eq!(specific["permissionDecision"], "deny");
        assert_eq!(
            specific["permissionDecisionReason"],
            "Because. (so-hook rule some-rule) This needs the user's approval, which Codex \
             cannot ask for here: ask the user to run it themselves."
        );
        assert_eq!(specific.as_object().unwrap().len(), 3);
        assert_eq!(
            stdout(&encode(Platform::Codex, &outcome(Verdict::Warn))),
            json!({"systemMessage": "Because. (so-hook rule some-rule)"})
        );
        assert_eq!(
            encode(Platform::Codex, &Decision::allow().into()),
            Answer::silent()
        );
    }

    #[test]
    fn cursor_answers_a_permission_object_every_time() {
        assert_eq!(
            stdout(&encode(Platform::Cursor, &Decision::allow().into())),
            json!({"permission": "allow"})
        );
        let warn = encode(Platform::Cursor, &outcome(Verdict::Warn));
        assert_eq!(
            stdout(&warn),
            json!({
                "permission": "allow",
                "agent_message": "Because. (so-hook rule some-rule)",
                "user_message": "Because. (so-hook rule some-rule)"
            })
        );
        assert_eq!(
            warn.stderr.as_deref(),
            Some("so-hook warn [some-rule]: rm -rf src: Because.")
        );
        assert_eq!(
            stdout(&encode(Platform::Cursor, &outcome(Verdict::Deny))),
            json!({
                "permission": "deny",
                "agent_message": "Because. (so-hook rule some-rule)",
                "user_message": "Because. (so-hook rule some-rule)"
            })
        );
        let ask = stdout(&encode(Platform::Cursor, &outcome(Verdict::Ask)));
        assert_eq!(ask["permission"], "deny");
        assert!(
            ask["agent_message"]
                .as_str()
                .unwrap()
                .ends_with("which Cursor cannot ask for here: ask the user to run it themselves.")
        );
    }

    #[test]
    fn context_answers_per_platform() {
        let start: Outcome = Outcome::Context(Context {
            event: ContextEvent::SessionStart,
            text: Some("Wave 2 may edit src/.".into()),
            message: Some("so-hook: wave 2".into()),
        });
        let expected = json!({
            "hookSpecificOutput": {
                "hookEventName": "SessionStart",
                "additionalContext": "Wave 2 may edit src/."
            },
            "systemMessage": "so-hook: wave 2"
        });
        for p in [Platform::Claude, Platform::Codex] {
            let a = encode(p, &start);
            assert_eq!(stdout(&a), expected, "{p:?}");
            assert_eq!(a.stderr.as_deref(), Some("so-hook: wave 2"));
        }
        assert_eq!(
            stdout(&encode(Platform::Cursor, &start)),
            json!({"additional_context": "Wave 2 may edit src/."})
        );
        let nothing = Outcome::Context(Context {
            event: ContextEvent::PostToolUse,
            text: None,
            message: None,
        });
        assert_eq!(encode(Platform::Claude, &nothing), Answer::silent());
        assert_eq!(
            stdout(&encode(Platform::Cursor, &nothing)),
            json!({"additional_context": ""})
        );
    }

    #[test]
    fn rejections_are_answered_per_platform() {
        let broken = Rejected::Invalid("the payload has no tool_name".into());
        let d = broken.decision();
        assert_eq!(d.verdict(), Verdict::Deny);
        assert_eq!(d.primary().unwrap().rule, "input-invalid");
        assert_eq!(
            stdout(&reject(Platform::Cursor, &broken)),
            json!({
                "permission": "deny",
                "agent_message": "so-hook blocked this call because the payload has no tool_name. (so-hook rule input-invalid)",
                "user_message": "so-hook blocked this call because the payload has no tool_name. (so-hook rule input-invalid)"
            })
        );
        let wrong = Rejected::WrongEvent("Notification".into());
        assert_eq!(wrong.decision().verdict(), Verdict::Allow);
        let a = reject(Platform::Claude, &wrong);
        let out = stdout(&a);
        assert_eq!(out.as_object().unwrap().len(), 1);
        assert!(
            out["systemMessage"]
                .as_str()
                .unwrap()
                .contains("it was called for `Notification`; nothing was checked")
        );
        assert_eq!(
            stdout(&reject(Platform::Cursor, &wrong)),
            json!({"permission": "allow"})
        );
    }
}
