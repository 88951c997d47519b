//! Judging a normalized tool call against the project: the platform-neutral middle of so-hook.

use crate::guard::{self, CommandPattern, Matcher};
use crate::hook::call::{Tool, ToolCall};
use crate::hook::decision::{Decision, Finding, Verdict};
use crate::project::manifest::{Enforcement, Found, Manifest};
use crate::project::paths;
use crate::project::scope::{self, AllowedPaths};
use crate::project::{Environment, Project};
use std::path::Path;

/// Judges one call. Unguarded tools return at once, without touching the filesystem.
pub fn evaluate(call: &ToolCall, env: &Environment) -> Decision {
    match &call.tool {
        Tool::Other { .. } => return Decision::allow(),
        Tool::Stopped { subagent } => {
            record_stop(call, subagent.as_deref());
            return Decision::allow();
        }
        Tool::Edited { paths } => return after_edit(call, paths, env),
        Tool::Started => return session_start(call),
        Tool::Written { paths } => return crate::hook::typecheck::after_write(call, paths, env),
        Tool::Shell { .. } | Tool::Edit { .. } => {}
    }
    let _snapshot = paths::Snapshot::take();
    let project = Project::load(&call.root);
    let mut decision = Decision::default();
    if let Some(p) = project.policy() {
        decision.disabled = p.disabled.clone();
    }
    if let Some(broken) = broken_files(&project) {
        decision.findings.push(broken);
        return decision;
    }
    let manifests: Vec<(&Found, &Manifest)> = project
        .manifests
        .iter()
        .filter_map(|f| f.manifest.as_ref().ok().map(|m| (f, m)))
        .collect();
    for (f, m) in &manifests {
        if let Some(v) = &m.unknown_enforcement {
            decision.findings.push(Finding::new(
                Verdict::Warn,
                "manifest-enforcement",
                format!(
                    "{}: enforcement `{v}` is not strict, warn or off; it is treated as strict.",
                    f.path.display()
                ),
            ));
        }
    }
    let subagent = call.agent_id.is_some();
    match &call.tool {
        Tool::Shell { command } => {
            let wave = wave_patterns(&manifests);
            let mut ctx = project.guard_context(env, &call.cwd, subagent);
            ctx.patterns = wave.iter().collect();
            if let Some(p) = project.policy() {
                ctx.patterns.extend(p.patterns.iter());
            }
            ctx.write_scopes = manifests
                .iter()
                .filter(|(_, m)| m.guards_shell_writes())
                .filter_map(|&(f, m)| {
                    let allowed = AllowedPaths::new(&m.allowed_paths).ok()?;
                    Some(guard::WriteScope {
                        manifest: m,
                        source: &f.path,
                        allowed,
                    })
                })
                .collect();
            decision.findings.extend(guard::check(command, &ctx));
        }
        Tool::Edit { tool, paths } => {
            if paths.is_empty() {
                decision.findings.push(Finding::deny(
                    "input-invalid",
                    format!("The {tool} call names no file, so its scope cannot be checked."),
                ));
            }
            // Each guarding manifest's patterns are compiled once, whatever the number of paths.
            let guards: Vec<Guard> = manifests
                .iter()
                .filter(|(_, m)| m.enforcement != Enforcement::Off && m.path_guard)
                .map(|&(f, m)| (f, m, AllowedPaths::new(&m.allowed_paths)))
                .collect();
            for raw in paths {
                edit(&project, &guards, raw, subagent, &mut decision);
            }
        }
        Tool::Other { .. }
        | Tool::Stopped { .. }
        | Tool::Edited { .. }
        | Tool::Started
        | Tool::Written { .. } => {}
    }
    // A violation found after the fact reaches the agent with the next call it is allowed to make.
    if call.platform == crate::hook::call::Platform::Cursor
        && decision.verdict() <= Verdict::Warn
        && let Some(text) = crate::hook::events::take_pending(&project.root)
    {
        decision
            .findings
            .push(Finding::new(Verdict::Warn, "scope-after-edit", text));
    }
    decision
}

/// For a command so-hook runs itself (a type-check, a quality gate) in `call`'s project: the rule
/// that would keep the agent from running it (a deny or an ask), if any. Such commands come from
/// files the agent can edit, so they pass the same guard as the agent's own.
pub fn blocking_rule(call: &ToolCall, command: &str, env: &Environment) -> Option<String> {
    let as_shell = ToolCall {
        tool: Tool::Shell {
            command: command.to_string(),
        },
        ..call.clone()
    };
    let judged = evaluate(&as_shell, env);
    (judged.verdict() >= Verdict::Ask)
        .then(|| judged.primary().map(|f| f.rule.clone()).unwrap_or_default())
}

/// What the agent is told when a session starts: that the guard is on, what the wave may change,
/// and what is broken (a malformed manifest or policy denies every guarded call until fixed).
fn session_start(call: &ToolCall) -> Decision {
    let project = Project::load(&call.root);
    let mut lines = vec![format!(
        "so-hook {} guards this session: destructive shell commands (recursive deletes, git \
         history rewrites, force pushes, database drops, disk writes) are blocked before they run.",
        env!("CARGO_PKG_VERSION")
    )];
    if let Some(broken) = broken_files(&project) {
        lines.push(format!(
            "Every guarded call is denied for now: {}",
            broken.reason
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
    Decision {
        context: Some(crate::hook::decision::Context {
            event: crate::hook::decision::ContextEvent::SessionStart,
            text: Some(lines.join("\n")),
            message: None,
        }),
        ..Decision::default()
    }
}

/// A file already written: judged like an edit. A deny becomes a warning (nothing can be undone
/// here) that is also kept for the agent's next call, since Cursor shows this answer to no one.
fn after_edit(call: &ToolCall, paths: &[String], env: &Environment) -> Decision {
    let as_edit = ToolCall {
        tool: Tool::Edit {
            tool: "afterFileEdit".into(),
            paths: paths.to_vec(),
        },
        ..call.clone()
    };
    let judged = evaluate(&as_edit, env);
    let Some(primary) = judged.primary().filter(|f| f.verdict >= Verdict::Ask) else {
        return judged;
    };
    let text = format!(
        "An edit already made is outside what this wave may change: {} (so-hook rule {}). \
         Revert it.",
        primary.reason, primary.rule
    );
    let root = call.real_root();
    if let Err(e) = crate::hook::events::add_pending(&root, &text) {
        eprintln!("so-hook: could not keep the notice for the next call: {e}");
    }
    Decision::of(Finding::new(Verdict::Warn, &primary.rule, text))
}

/// `{"event": "stop", "wave": N}` (the wave of the first valid manifest, if any) or
/// `{"event": "subagent_stop", "agent": TYPE}`. Failing to record is reported, never blocking.
fn record_stop(call: &ToolCall, subagent: Option<&str>) {
    let root = call.real_root();
    let event = match subagent {
        Some(agent) => serde_json::json!({ "event": "subagent_stop", "agent": agent }),
        None => {
            let wave = crate::project::manifest::find(&root)
                .into_iter()
                .find_map(|f| f.manifest.ok().and_then(|m| m.wave));
            serde_json::json!({ "event": "stop", "wave": wave })
        }
    };
    if let Err(e) = crate::hook::events::append(&root, event) {
        eprintln!("so-hook: could not record the stop event: {e}");
    }
}

/// How much of a guard event's subject is hashed (with its length past that).
const SUBJECT_MAX: usize = 4096;

/// Appends a `guard` event for a hook call that was not simply allowed: the rule, the verdict, the
/// platform and a fingerprint of what was judged (a sha256 prefix, never the command or path).
///
/// `doctor` and `install` set `SO_HOOK_NO_EVENTS` for their simulated calls, which are not the
/// session's.
pub fn record_guard(call: &ToolCall, decision: &Decision) {
    let Some(primary) = decision.primary() else {
        return;
    };
    if std::env::var_os("SO_HOOK_NO_EVENTS").is_some() {
        return;
    }
    let subject = match &call.tool {
        Tool::Shell { command } => std::borrow::Cow::Borrowed(command.as_str()),
        Tool::Edit { tool, paths } => format!("{tool} {}", paths.join("\n")).into(),
        Tool::Edited { paths } => format!("afterFileEdit {}", paths.join("\n")).into(),
        Tool::Other { .. } | Tool::Stopped { .. } | Tool::Started | Tool::Written { .. } => return,
    };
    // A long subject is fingerprinted by its start and its length: hashing a 10 MB command would
    // cost more than judging it.
    let digest = if subject.len() > SUBJECT_MAX {
        let head = crate::hook::decision::head(&subject, SUBJECT_MAX);
        crate::sha256::hex(format!("{head}\n{}", subject.len()).as_bytes())
    } else {
        crate::sha256::hex(subject.as_bytes())
    };
    let root = call.real_root();
    let event = serde_json::json!({
        "event": "guard",
        "rule": primary.rule,
        "decision": primary.verdict.as_str(),
        "platform": call.platform.id(),
        "subject_sha256": &digest[..16],
        "agent": call.agent_id,
    });
    if let Err(e) = crate::hook::events::append(&root, event) {
        eprintln!("so-hook: could not record the guard event: {e}");
    }
}

/// A manifest or policy that cannot be read denies every guarded call.
fn broken_files(project: &Project) -> Option<Finding> {
    for f in &project.manifests {
        if let Err(e) = &f.manifest {
            return Some(Finding::deny(
                "manifest-invalid",
                format!(
                    "The wave manifest is malformed, so no call can be checked against it: {e}. \
                     The coordinating session must rewrite it."
                ),
            ));
        }
    }
    if let Some(Err(e)) = &project.policy {
        return Some(Finding::deny(
            "policy-invalid",
            format!(
                "The so-hook policy file is malformed, so commands cannot be checked against it: \
                 {e}. Ask the user to fix it."
            ),
        ));
    }
    None
}

/// Each active wave's `blockedCommands` as command patterns.
fn wave_patterns(manifests: &[(&Found, &Manifest)]) -> Vec<CommandPattern> {
    let mut out = Vec::new();
    for (f, m) in manifests {
        let verdict = match m.enforcement {
            Enforcement::Off => continue,
            Enforcement::Warn => Verdict::Warn,
            Enforcement::Strict => Verdict::Deny,
        };
        if !m.command_guard {
            continue;
        }
        let fallback = m.uses_fallback();
        for c in m.blocked() {
            let words: Vec<String> = c.split_whitespace().map(str::to_string).collect();
            if words.is_empty() {
                continue;
            }
            // The fallback list's rm and git entries are what the built-in rules judge precisely
            // (and more): matched as words they would only add false alarms (`rm -rf /tmp/x`).
            if fallback && matches!(words[0].as_str(), "rm" | "git") {
                continue;
            }
            out.push(CommandPattern {
                rule: "wave-blocked-command".into(),
                verdict,
                matcher: Matcher::Words(words),
                source: f.path.display().to_string(),
                message: Some(format!(
                    "This wave does not run `{c}`. Finish the task within the wave's limits, or \
                     report back to the coordinator."
                )),
            });
        }
    }
    out
}

/// A manifest that holds edits to its paths, with those paths compiled (or why they cannot be).
type Guard<'a> = (&'a Found, &'a Manifest, Result<AllowedPaths<'a>, String>);

/// Judges one edited path against the control plane and every manifest that guards edits.
fn edit(project: &Project, guards: &[Guard], raw: &str, subagent: bool, decision: &mut Decision) {
    let readings = scope::resolve(raw, &project.root);
    if subagent {
        let control = project.control_files();
        if readings.iter().any(|p| Project::is_control(p, &control)) {
            decision.findings.push(
                Finding::deny(
                    "control-plane",
                    format!(
                        "`{raw}` is a so-hook control file (a wave manifest or the policy), which \
                         only the coordinating session may change. Report back to the coordinator \
                         if the scope is wrong."
                    ),
                )
                .with_unit(raw.to_string()),
            );
            return;
        }
    }
    for (f, m, allowed) in guards {
        let verdict = m.verdict();
        let allowed = match allowed {
            Ok(a) => a,
            Err(e) => {
                decision.findings.push(Finding::deny(
                    "manifest-invalid",
                    format!("{}: {e}", f.path.display()),
                ));
                return;
            }
        };
        for p in &readings {
            if let Some(finding) = judge_path(project, f, m, allowed, p, raw, subagent, verdict) {
                decision.findings.push(finding);
                return;
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn judge_path(
    project: &Project,
    f: &Found,
    m: &Manifest,
    allowed: &AllowedPaths,
    p: &Path,
    raw: &str,
    subagent: bool,
    verdict: Verdict,
) -> Option<Finding> {
    let root = &project.root;
    if allowed.granted(p) {
        return None;
    }
    let wave = m.label();
    let Some(rel) = paths::relative(p, root) else {
        return Some(
            Finding::new(
                verdict,
                "scope-outside-project",
                format!(
                    "`{raw}` resolves to {}, outside the project {}; {wave} may only edit files \
                     inside it (per {}). Work inside the project, or report back to the \
                     coordinator.",
                    p.display(),
                    root.display(),
                    f.path.display()
                ),
            )
            .with_unit(raw.to_string()),
        );
    };
    // The coordinator keeps its own STATE.md whatever the wave's scope.
    if !subagent && crate::project::manifest::coordinator_file(&rel) {
        return None;
    }
    if allowed.matches(&rel) {
        return None;
    }
    let scope_text = m.scope_summary();
    Some(
        Finding::new(
            verdict,
            "scope-not-allowed",
            format!(
                "`{rel}` is outside the scope of {wave}, which may edit: {scope_text} (per {}). \
                 Keep to the files your task names, or report back to the coordinator that this \
                 file needs changing.",
                f.path.display()
            ),
        )
        .with_unit(rel),
    )
}
