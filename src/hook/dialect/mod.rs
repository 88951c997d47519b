//! The two ends that differ per platform: decoding a hook payload into a [`ToolCall`], and encoding
//! a [`Decision`] into the answer the platform reads (stdout, stderr, exit code).

pub mod claude;
pub mod codex;
pub mod copilot;
pub mod cursor;
pub mod gemini;
pub mod opencode;
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
    /// GitHub Copilot CLI (camelCase hooks): the tool, its arguments (an object, or the patch text
    /// of `apply_patch`), the session and, in a subagent, the agent.
    #[serde(default, rename = "toolName")]
    pub tool_name_camel: Option<Value>,
    #[serde(default, rename = "toolArgs")]
    pub tool_args: Option<Input>,
    #[serde(default, rename = "sessionId")]
    pub session_id_camel: Option<Value>,
    #[serde(default, rename = "agentId")]
    pub agent_id_camel: Option<Value>,
    /// OpenCode (what so-hook's plugin sends): the tool and its arguments.
    #[serde(default)]
    pub tool: Option<Value>,
    #[serde(default)]
    pub args: Option<Input>,
}

/// A payload's `tool_input`: the object a guard reads (only its known fields are kept), or a note
/// that it was something else (Cursor sends an MCP call's input as a string).
pub enum Input {
    Object(Box<ToolInput>),
    /// A string: the patch text of Copilot CLI's `apply_patch`.
    Text(String),
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
                    .map(|t| Input::Object(Box::new(t)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Input, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Input::NotAnObject)
            }
            fn visit_str<E>(self, s: &str) -> Result<Input, E> {
                Ok(Input::Text(s.to_string()))
            }
            fn visit_string<E>(self, s: String) -> Result<Input, E> {
                Ok(Input::Text(s))
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
    /// Gemini CLI: the directory `run_shell_command` runs in.
    #[serde(default)]
    pub dir_path: Option<Value>,
    /// GitHub Copilot CLI: the file of `create` and `edit` (also in its Claude-format payloads).
    #[serde(default)]
    pub path: Option<Value>,
    /// OpenCode: the file of `write` and `edit`, the patch of `apply_patch`, the directory a
    /// `bash` command runs in.
    #[serde(default, rename = "filePath")]
    pub file_path_camel: Option<Value>,
    #[serde(default, rename = "patchText")]
    pub patch_text: Option<Value>,
    #[serde(default)]
    pub workdir: Option<Value>,
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
        Some(Input::NotAnObject | Input::Text(_)) => Err(Rejected::Invalid(format!(
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
    // Copilot CLI names the file `path` (in its Claude-format payloads too), OpenCode `filePath`.
    // Every one of them that the call carries is judged: which one the tool writes is the
    // tool's business, and a decoy in another key must not be what is checked.
    let values: Vec<&Option<Value>> = if field == "notebook_path" {
        vec![&input.notebook_path]
    } else {
        vec![&input.file_path, &input.path, &input.file_path_camel]
    };
    let mut paths = Vec::new();
    for value in values.into_iter().filter(|v| v.is_some()) {
        match string_field(value) {
            Some(path) if path.contains('\0') => {
                return Err(Rejected::Invalid(format!(
                    "the {name} call's {field} contains a NUL byte, which no file name can hold"
                )));
            }
            Some(path) if !path.is_empty() => paths.push(path.to_string()),
            _ => {
                return Err(Rejected::Invalid(format!(
                    "the {name} call has no {field} string"
                )));
            }
        }
    }
    if paths.is_empty() {
        return Err(Rejected::Invalid(format!(
            "the {name} call has no {field} string"
        )));
    }
    Ok(crate::hook::call::Tool::Edit {
        tool: name.to_string(),
        paths,
    })
}

/// A patch tool's call (Codex's and Copilot CLI's `apply_patch`, OpenCode's): the files its
/// text adds, updates, moves or deletes. A patch that cannot be read is refused: what it changes
/// cannot be checked.
pub(crate) fn patch(text: &str, name: &str) -> Result<crate::hook::call::Tool, Rejected> {
    let paths = crate::hook::patch::paths(text)
        .map_err(|e| Rejected::Invalid(format!("the {name} call's patch cannot be read: {e}")))?;
    Ok(crate::hook::call::Tool::Edit {
        tool: name.to_string(),
        paths,
    })
}

/// Makes a call's relative file paths absolute against the directory it runs in: the clients
/// other than Claude Code and Cursor resolve them there, which may be below the project root.
pub(crate) fn paths_from_cwd(call: &mut ToolCall) {
    if let crate::hook::call::Tool::Edit { paths, .. }
    | crate::hook::call::Tool::Written { paths } = &mut call.tool
    {
        for path in paths.iter_mut() {
            if std::path::Path::new(path.as_str()).is_relative() {
                *path = call.cwd.join(&*path).to_string_lossy().into_owned();
            }
        }
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

/// The decision of an outcome and its deciding finding, for a dialect that answers decisions
/// only: a context, or a decision with nothing to say, is silence (`Err`).
pub(crate) fn deciding(outcome: &Outcome) -> Result<(&Decision, &Finding), Answer> {
    match outcome {
        Outcome::Decision(d) => d.primary().map(|p| (d, p)).ok_or_else(Answer::silent),
        Outcome::Context(_) => Err(Answer::silent()),
    }
}

/// One JSON object on stdout with exit 0, and the deciding finding logged on stderr.
pub(crate) fn json_answer(out: &impl serde::Serialize, primary: &Finding) -> Answer {
    Answer {
        stdout: Some(serde_json::to_string(out).expect("the answer types serialize")),
        stderr: Some(log_line(primary)),
        exit: 0,
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
        let event = self.hook_event_name.as_ref().and_then(Value::as_str);
        if self.turn_id.is_some() {
            Platform::Codex
        } else if event == Some(opencode::EVENT) {
            Platform::OpenCode
        } else if self.tool_name_camel.is_some()
            || self.tool_args.is_some()
            || self.session_id_camel.is_some()
        {
            Platform::Copilot
        } else if event.is_some_and(|e| gemini::EVENTS.contains(&e)) {
            Platform::Gemini
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
    // A payload is an object (serde would also read an array, field by field).
    if skimmed
        .bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'[')
    {
        return reject("the hook payload is not a JSON object".into());
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
    let call = decode_as(platform, &payload, env);
    // A registration whose `--platform` is not its client's (Copilot CLI runs Claude Code's
    // hooks, a hand-written file names the wrong one) reads a guarded call as some other event:
    // the payload's own dialect reads it, and the answer stays in the registered one.
    let unread = match &call {
        Ok(c) => matches!(c.tool, crate::hook::call::Tool::Other { .. }),
        Err(r) => matches!(r, Rejected::WrongEvent(_)),
    };
    let detected = payload.platform();
    if unread && detected != platform {
        let other = decode_as(detected, &payload, env);
        if matches!(&other, Ok(c) if matches!(c.tool, crate::hook::call::Tool::Shell { .. } | crate::hook::call::Tool::Edit { .. }))
        {
            return (platform, other);
        }
    }
    (platform, call)
}

fn decode_as(
    platform: Platform,
    payload: &Payload,
    env: &Environment,
) -> Result<ToolCall, Rejected> {
    match platform {
        Platform::Claude => claude::decode(payload, env),
        Platform::Codex => codex::decode(payload, env),
        Platform::Cursor => cursor::decode(payload, env),
        Platform::Gemini => gemini::decode(payload, env),
        Platform::Copilot => copilot::decode(payload, env),
        Platform::OpenCode => opencode::decode(payload, env),
    }
}

/// The platform's answer for an outcome.
pub fn encode(platform: Platform, outcome: &Outcome) -> Answer {
    match platform {
        Platform::Claude => claude::encode(outcome),
        Platform::Codex => codex::encode(outcome),
        Platform::Cursor => cursor::encode(outcome),
        Platform::Gemini => gemini::encode(outcome),
        Platform::Copilot => copilot::encode(outcome),
        Platform::OpenCode => opencode::encode(outcome),
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
                Platform::Gemini => gemini::notice(&text),
                Platform::Copilot | Platform::OpenCode => Answer::silent(),
            }
        }
    }
}

#[cfg(test)]
mod clients_tests;
#[cfg(test)]
mod tests;
