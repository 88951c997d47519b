//! The hook's answers to the events around the tool calls: a session starting, an edit that has
//! already been made, a session or subagent stopping; and the event line a decided call leaves.
//! Each returns what to say and the side effects to apply, and does none of them itself.

use super::SideEffect;
use crate::hook::call::{Tool, ToolCall};
use crate::hook::decision::{Context, ContextEvent, Decision, Finding, Verdict};
use crate::hook::evaluate::{broken_files, evaluate};
use crate::project::paths;
use crate::project::{Environment, Project};
use serde_json::json;

/// What the agent is told when a session starts: that the guard is on, what the wave may change,
/// and what is broken (a malformed manifest or policy denies every guarded call until fixed).
pub(crate) fn session_start(call: &ToolCall) -> Context {
    let project = Project::load(&call.root);
    let mut lines = vec![format!(
        "so-hook {} guards this session: destructive shell commands (recursive deletes, git \
         history rewrites, force pushes, database drops, disk writes) are blocked before they run.",
        env!("CARGO_PKG_VERSION")
    )];
    if let Some(broken) = broken_files(&project) {
        lines.push(format!(
            "Every guarded call is denied for now: {}",
            broken.reason()
        ));
    }
    for f in &project.manifests {
        if let Ok(m) = &f.manifest {
            let mut paths = m.allowed_paths.iter().take(20).cloned().collect::<Vec<_>>();
            if m.allowed_paths.len() > 20 {
                paths.push(format!("and {} more", m.allowed_paths.len() - 20));
            }
            let what = if m.guards_shell_writes() {
                "edits and the files shell commands write (temp directories aside)"
            } else {
                "edits"
            };
            lines.push(format!(
                "Wave {}{}: {what} are limited to {} ({}).",
                m.wave.map_or("?".into(), |w| w.to_string()),
                m.role
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default(),
                if paths.is_empty() {
                    "nothing".to_string()
                } else {
                    paths.join(", ")
                },
                paths::relative(&f.path, &project.root)
                    .unwrap_or_else(|| f.path.display().to_string())
            ));
        }
    }
    lines.push(
        "A blocked call comes back with its reason and rule id: do what the reason says or ask \
         the user; do not look for another spelling of the same command."
            .into(),
    );
    Context {
        event: ContextEvent::SessionStart,
        text: Some(lines.join("\n")),
        message: None,
    }
}

/// A file already written: judged like an edit. A deny becomes a warning (nothing can be undone
/// here) that is also kept for the agent's next call, since Cursor shows this answer to no one.
pub(crate) fn after_edit(
    call: &ToolCall,
    paths: &[String],
    env: &Environment,
) -> (Decision, Option<SideEffect>) {
    let as_edit = ToolCall {
        tool: Tool::Edit {
            tool: "afterFileEdit".into(),
            paths: paths.to_vec(),
        },
        ..call.clone()
    };
    let judged = evaluate(&as_edit, env);
    let Some(primary) = judged.primary().filter(|f| f.verdict >= Verdict::Ask) else {
        return (judged, None);
    };
    let text = format!(
        "An edit already made is outside what this wave may change: {} (so-hook rule {}). \
         Revert it.",
        primary.reason, primary.rule
    );
    let keep = SideEffect::KeepNotice {
        root: call.real_root(),
        text: text.clone(),
    };
    (
        Decision::of(Finding::new(Verdict::Warn, &primary.rule, text)),
        Some(keep),
    )
}

/// `{"event": "stop", "wave": N}` (the wave of the first valid manifest, if any) or
/// `{"event": "subagent_stop", "agent": TYPE}`.
pub(crate) fn stop_event(call: &ToolCall, subagent: Option<&str>) -> SideEffect {
    let root = call.real_root();
    let event = match subagent {
        Some(agent) => json!({ "event": "subagent_stop", "agent": agent }),
        None => {
            let wave = crate::project::manifest::find(&root)
                .into_iter()
                .find_map(|f| f.manifest.ok().and_then(|m| m.wave));
            json!({ "event": "stop", "wave": wave })
        }
    };
    SideEffect::Record { root, event }
}

/// How much of a guard event's subject is hashed (with its length past that).
const SUBJECT_MAX: usize = 4096;

/// The `guard` event of a call that was not simply allowed: the rule, the verdict, the platform
/// and a fingerprint of what was judged (a sha256 prefix, never the command or path).
pub(crate) fn guard_event(call: &ToolCall, decision: &Decision) -> Option<SideEffect> {
    let primary = decision.primary()?;
    let subject = match &call.tool {
        Tool::Shell { command } => std::borrow::Cow::Borrowed(command.as_str()),
        Tool::Edit { tool, paths } => format!("{tool} {}", paths.join("\n")).into(),
        Tool::Edited { paths } => format!("afterFileEdit {}", paths.join("\n")).into(),
        Tool::Other { .. } | Tool::Stopped { .. } | Tool::Started | Tool::Written { .. } => {
            return None;
        }
    };
    // A long subject is fingerprinted by its start and its length: hashing a 10 MB command would
    // cost more than judging it.
    let digest = if subject.len() > SUBJECT_MAX {
        let head = crate::hook::decision::head(&subject, SUBJECT_MAX);
        crate::sha256::hex(format!("{head}\n{}", subject.len()).as_bytes())
    } else {
        crate::sha256::hex(subject.as_bytes())
    };
    Some(SideEffect::Record {
        root: call.real_root(),
        event: json!({
            "event": "guard",
            "rule": primary.rule,
            "decision": primary.verdict.as_str(),
            "platform": call.platform.id(),
            "subject_sha256": &digest[..16],
            "agent": call.agent_id,
        }),
    })
}
