//! The hook engine: a payload in, an answer out.
//!
//! [`dialect`] decodes a platform's payload into a normalized [`call::ToolCall`]; [`evaluate`]
//! judges it (pure: it reads the project, it writes nothing) into a [`decision::Decision`];
//! [`dialect`] encodes that for the platform. What the hook does besides answering (recording
//! events, keeping a notice for the next call, running the type-check) comes back from [`answer`]
//! as [`SideEffect`]s, which only the hook process applies ([`apply`]).

pub mod call;
pub mod decision;
pub mod dialect;
pub mod evaluate;
pub mod events;
pub mod grants;
mod lifecycle;
pub mod patch;
pub(crate) mod sink;
pub(crate) mod typecheck;

use crate::project::Environment;
use call::{Platform, Tool, ToolCall};
use decision::{Decision, Finding, Outcome, Verdict};
use dialect::Answer;
use std::path::PathBuf;

/// Something the hook does besides answering. [`answer`] only lists them; [`apply`] does them,
/// and only the hook process calls it (`check`, `test` and `test --record` never do).
#[derive(Debug, Clone)]
pub enum SideEffect {
    /// Append an event line to the session's log (`.orchestrator/metrics/events.jsonl`).
    Record {
        root: PathBuf,
        event: serde_json::Value,
    },
    /// Keep a notice for the agent's next call.
    KeepNotice { root: PathBuf, text: String },
    /// The first `lines` kept notices were told: remove them.
    NoticesTold { root: PathBuf, lines: usize },
    /// Files were written: run the project's type-check, and tell the agent what it finds.
    TypeCheck { call: ToolCall, paths: Vec<String> },
    /// A denied command's code: keep its record for `so-hook allow-once` ([`grants`]).
    Remember {
        record: PathBuf,
        entry: serde_json::Value,
    },
    /// The call is allowed by the user's one-time grant: claim it before answering; when another
    /// call claimed it first, `denied` is the answer.
    Claim { grant: PathBuf, denied: Outcome },
}

/// One hook call, answered: the platform it came from, the call (or why the payload could not be
/// read), what it came to, the answer the platform reads, and the side effects still to apply.
#[derive(Debug)]
pub struct Response {
    pub platform: Platform,
    pub call: Result<ToolCall, dialect::Rejected>,
    pub outcome: Outcome,
    pub answer: Answer,
    pub effects: Vec<SideEffect>,
}

/// The pipeline: decodes a payload (`forced` names the platform, else the payload tells), judges
/// it and encodes the answer. Pure: the side effects come back in the response.
/// The rule ids of the hook itself (edit scope, wave, manifests, input), besides the command
/// guard's (`guard::BUILTIN_RULES`): what `so-hook rules` lists under them. They cannot be
/// switched off.
pub const CALL_RULES: &[(&str, &str)] = &[
    (
        "scope-outside-project",
        "an edit outside the project that no absolute grant covers",
    ),
    (
        "scope-not-allowed",
        "an edit outside the wave's allowedPaths",
    ),
    (
        "scope-after-edit",
        "a file changed outside the wave's scope, reported after the edit",
    ),
    (
        "wave-blocked-command",
        "a command the wave's blockedCommands lists",
    ),
    (
        "shell-apply-patch",
        "a shell apply_patch whose patch cannot be read, during a wave",
    ),
    (
        "manifest-invalid",
        "a wave manifest that cannot be read: every guarded call is denied",
    ),
    (
        "policy-invalid",
        "a project policy that cannot be read: every guarded call is denied",
    ),
    (
        "input-invalid",
        "a payload that is not a hook call (not JSON, a NUL byte, ...)",
    ),
    (
        "internal-error",
        "so-hook failed; the call is denied to stay safe",
    ),
    (
        "allow-once-used",
        "a denied command let through once by the user's `so-hook allow-once` (a warning)",
    ),
];

pub fn answer<R: std::io::Read>(input: R, forced: Option<Platform>, env: &Environment) -> Response {
    answer_noting(input, forced, env, |_| {})
}

/// [`answer`], telling `decoded` the platform as soon as the payload has been read (the hook's
/// panic handler must answer in that platform's format).
pub fn answer_noting<R: std::io::Read>(
    input: R,
    forced: Option<Platform>,
    env: &Environment,
    decoded: impl FnOnce(Platform),
) -> Response {
    let (platform, call) = dialect::decode_reader(input, forced, env);
    decoded(platform);
    match call {
        Ok(call) => {
            let (outcome, effects) = respond(&call, env);
            Response {
                platform,
                answer: dialect::encode(platform, &outcome),
                call: Ok(call),
                outcome,
                effects,
            }
        }
        Err(rejected) => Response {
            platform,
            answer: dialect::reject(platform, &rejected),
            outcome: rejected.decision().into(),
            call: Err(rejected),
            effects: Vec::new(),
        },
    }
}

/// What a decoded call comes to, and the side effects it asks for.
pub fn respond(call: &ToolCall, env: &Environment) -> (Outcome, Vec<SideEffect>) {
    let mut effects = Vec::new();
    let outcome = match &call.tool {
        Tool::Other { .. } => Decision::allow().into(),
        Tool::Started => Outcome::Context(lifecycle::session_start(call)),
        Tool::Stopped { subagent } => {
            effects.push(lifecycle::stop_event(call, subagent.as_deref()));
            Decision::allow().into()
        }
        Tool::Written { paths } => {
            effects.push(SideEffect::TypeCheck {
                call: call.clone(),
                paths: paths.clone(),
            });
            Decision::allow().into()
        }
        Tool::Edited { paths } => {
            let (decision, keep) = lifecycle::after_edit(call, paths, env);
            effects.extend(keep);
            effects.extend(lifecycle::guard_event(call, &decision));
            decision.into()
        }
        Tool::Shell { .. } | Tool::Edit { .. } => {
            let mut decision = evaluate::evaluate(call, env);
            // A violation found after the fact reaches the agent with the next call it is
            // allowed to make.
            if call.platform == Platform::Cursor
                && decision.verdict() <= Verdict::Warn
                && let Some((text, lines)) = events::pending(&call.real_root())
            {
                decision
                    .findings
                    .push(Finding::new(Verdict::Warn, "scope-after-edit", text));
                effects.push(SideEffect::NoticesTold {
                    root: call.real_root(),
                    lines,
                });
            }
            if let Tool::Shell { command } = &call.tool {
                match grants::consider_call(&mut decision, call, command, call.platform.id(), env) {
                    grants::Approval::None => {}
                    grants::Approval::Offer { record, entry } => {
                        effects.push(SideEffect::Remember { record, entry })
                    }
                    grants::Approval::Granted { grant, denied } => {
                        effects.push(SideEffect::Claim {
                            grant,
                            denied: denied.into(),
                        })
                    }
                }
            }
            effects.extend(lifecycle::guard_event(call, &decision));
            decision.into()
        }
    };
    (outcome, effects)
}

/// Applies a response's side effects and returns the answer to give: the response's own, or what
/// the type-check found. Recording is best effort: a failure is said on stderr and changes no
/// decision.
pub fn apply(response: Response, env: &Environment) -> Answer {
    let mut answer = response.answer;
    // A grant another call claimed first: the denial stands, and this call's allow-once event
    // would be untrue.
    let mut unclaimed = false;
    for effect in response.effects {
        let done = match effect {
            SideEffect::Claim { grant, denied } => {
                if !grants::claim(&grant) {
                    unclaimed = true;
                    answer = dialect::encode(response.platform, &denied);
                }
                Ok(())
            }
            SideEffect::Remember { record, entry } => grants::remember(&record, &entry),
            SideEffect::Record { .. } if unclaimed => Ok(()),
            SideEffect::Record { root, event } => events::append(&root, response.platform, event),
            SideEffect::KeepNotice { root, text } => events::add_pending(&root, &text),
            SideEffect::NoticesTold { root, lines } => events::told(&root, lines),
            SideEffect::TypeCheck { call, paths } => {
                if let Some(found) = typecheck::after_write(&call, &paths, env) {
                    answer = dialect::encode(response.platform, &Outcome::Context(found));
                }
                Ok(())
            }
        };
        if let Err(e) = done {
            eprintln!("so-hook: could not record the call: {e}");
        }
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("so-hook-pipeline-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join(".cursor")).unwrap();
        std::fs::write(
            dir.join(".cursor/wave-scope.json"),
            r#"{"wave":1,"enforcement":"strict","allowedPaths":["src/"]}"#,
        )
        .unwrap();
        std::fs::canonicalize(dir).unwrap()
    }

    fn env(root: &std::path::Path) -> Environment {
        Environment {
            process_cwd: Some(root.to_path_buf()),
            ..Environment::default()
        }
    }

    #[test]
    fn answering_writes_nothing_and_applying_does_the_side_effects() {
        let root = project("apply");
        let payload = serde_json::json!({
            "conversation_id": "c", "cursor_version": "3", "hook_event_name": "afterFileEdit",
            "workspace_roots": [root], "file_path": root.join("docs/out.md"), "edits": []
        })
        .to_string();
        let response = answer(payload.as_bytes(), Some(Platform::Cursor), &env(&root));
        assert_eq!(response.outcome.verdict(), Verdict::Warn);
        assert!(
            response
                .effects
                .iter()
                .any(|e| matches!(e, SideEffect::KeepNotice { .. })),
            "{:?}",
            response.effects
        );
        let pending = root.join(events::PENDING_PATH);
        assert!(!pending.exists(), "answer() kept a notice by itself");
        apply(response, &env(&root));
        assert!(pending.exists(), "apply() did not keep the notice");

        // The next allowed call tells it once, and the telling is a side effect too.
        let shell = serde_json::json!({
            "conversation_id": "c", "cursor_version": "3", "hook_event_name": "beforeShellExecution",
            "workspace_roots": [root], "command": "ls", "cwd": root
        })
        .to_string();
        let response = answer(shell.as_bytes(), Some(Platform::Cursor), &env(&root));
        assert_eq!(response.outcome.primary().unwrap().rule, "scope-after-edit");
        assert!(pending.exists(), "answer() removed the notice by itself");
        apply(response, &env(&root));
        assert!(!pending.exists(), "the told notice was kept");
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn a_written_file_asks_for_the_type_check_without_running_it() {
        let root = project("written");
        std::fs::write(
            root.join("CLAUDE.md"),
            "## Session Config\n\ntypecheck-command: touch ran\n",
        )
        .unwrap();
        let payload = serde_json::json!({
            "cwd": root, "hook_event_name": "PostToolUse", "tool_name": "Write",
            "tool_input": {"file_path": root.join("src/a.rs")}
        })
        .to_string();
        let response = answer(payload.as_bytes(), Some(Platform::Claude), &env(&root));
        assert!(matches!(
            response.effects.as_slice(),
            [SideEffect::TypeCheck { .. }]
        ));
        assert!(!root.join("ran").exists(), "the type-check ran in answer()");
        let _ = std::fs::remove_dir_all(root);
    }
}
