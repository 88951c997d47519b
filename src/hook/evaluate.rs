//! Judging a normalized tool call against the project: the platform-neutral middle of so-hook.

use crate::guard::{self, CommandPattern, Matcher};
use crate::hook::call::{Tool, ToolCall};
use crate::hook::decision::{Decision, Finding, Verdict};
use crate::project::manifest::{Enforcement, Found, Manifest};
use crate::project::paths;
use crate::project::scope::{self, AllowedPaths};
use crate::project::{Environment, Project};
use std::path::Path;

/// Judges one guarded call: a shell command or an edit. Any other tool is allowed at once, without
/// touching the filesystem. Pure: it reads the project and writes nothing (the hook's other work
/// is in [`crate::hook::respond`]).
pub fn evaluate(call: &ToolCall, env: &Environment) -> Decision {
    if !matches!(call.tool, Tool::Shell { .. } | Tool::Edit { .. }) {
        return Decision::allow();
    }
    let _snapshot = paths::Snapshot::take();
    let project = Project::load(&call.root);
    let mut decision = Decision::default();
    if let Some(p) = project.policy() {
        decision.disabled = p.disabled.clone();
    }
    let subagent = call.agent_id.is_some();
    if let Some(broken) = broken_files(&project) {
        // The coordinating session may repair it, and only by replacing or removing the broken
        // file: the one way out that needs no human at a terminal.
        if !subagent && repairs(call, &project) {
            return decision;
        }
        decision.findings.push(broken.for_caller(subagent));
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
            let judged = guard::judge(command, &ctx);
            decision.findings.extend(judged.findings);
            let store = match judged.patches.is_empty() {
                true => Vec::new(),
                false => crate::hook::grants::store_names(env),
            };
            let caller = Caller {
                subagent,
                store: &store,
            };
            for patch in &judged.patches {
                shell_patch(&project, &manifests, patch, caller, &mut decision);
            }
        }
        Tool::Edit { tool, paths } => {
            if paths.is_empty() {
                decision.findings.push(Finding::deny(
                    "input-invalid",
                    format!("The {tool} call names no file, so its scope cannot be checked."),
                ));
            }
            let store = crate::hook::grants::store_names(env);
            let caller = Caller {
                subagent,
                store: &store,
            };
            edits(&project, &manifests, paths, caller, &mut decision);
        }
        Tool::Other { .. }
        | Tool::Stopped { .. }
        | Tool::Edited { .. }
        | Tool::Started
        | Tool::Written { .. } => {}
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

/// A manifest or policy file that cannot be read: every guarded call is denied until it is
/// repaired.
pub(crate) struct Broken {
    rule: &'static str,
    /// What is wrong, with the file, line and column.
    problem: String,
    /// The file, relative to the root when inside it.
    file: String,
    manifest: bool,
}

impl Broken {
    /// The deny: the coordinating session is told how to repair it (the one reason that names the
    /// control plane's own commands), a subagent to report to it.
    pub(crate) fn for_caller(&self, subagent: bool) -> Finding {
        let what = if self.manifest {
            "The wave manifest is malformed, so no call can be checked against it"
        } else {
            "The so-hook policy file is malformed, so commands cannot be checked against it"
        };
        let fix = if subagent {
            "Report this to the coordinating session; a subagent cannot repair it.".to_string()
        } else if self.manifest {
            format!(
                "Repair it: rewrite `{}` with the edit tool, or replace it with `so-hook scope set \
                 --wave N --role ROLE --allow PATH...`, or remove it with `so-hook scope clear` \
                 (only these are allowed until it is valid).",
                self.file
            )
        } else {
            format!(
                "Repair it: rewrite `{}` with the edit tool (the only call allowed until it is \
                 valid), or ask the user to fix it.",
                self.file
            )
        };
        Finding::deny(self.rule, format!("{what}: {}. {fix}", self.problem))
    }

    /// The reason as a session start states it (to the coordinating session).
    pub(crate) fn reason(&self) -> String {
        self.for_caller(false).reason
    }
}

/// A manifest or policy that cannot be read denies every guarded call.
pub(crate) fn broken_files(project: &Project) -> Option<Broken> {
    let file =
        |p: &Path| paths::relative(p, &project.root).unwrap_or_else(|| p.display().to_string());
    for f in &project.manifests {
        if let Err(e) = &f.manifest {
            return Some(Broken {
                rule: "manifest-invalid",
                problem: e.clone(),
                file: file(&f.path),
                manifest: true,
            });
        }
    }
    if let Some(Err(e)) = &project.policy {
        return Some(Broken {
            rule: "policy-invalid",
            problem: e.clone(),
            file: file(&project.root.join(crate::project::policy::RELATIVE_PATH)),
            manifest: false,
        });
    }
    None
}

/// Whether a call of the coordinating session only replaces or removes so-hook's own files: an
/// edit of nothing but manifests and the policy, or a shell command that is nothing but
/// `so-hook scope set` or `so-hook scope clear`.
fn repairs(call: &ToolCall, project: &Project) -> bool {
    match &call.tool {
        Tool::Edit { paths, .. } => {
            let control = project.control_files();
            !paths.is_empty()
                && paths.iter().all(|raw| {
                    scope::resolve(raw, &project.root)
                        .iter()
                        .all(|p| Project::is_control(p, &control))
                })
        }
        Tool::Shell { command } => guard::is_scope_command(command),
        _ => false,
    }
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

/// Judges the edited paths (a relative one is relative to the root) against the control plane and
/// every manifest that guards edits.
fn edits(
    project: &Project,
    manifests: &[(&Found, &Manifest)],
    paths: &[String],
    caller: Caller,
    decision: &mut Decision,
) {
    // Each guarding manifest's patterns are compiled once, whatever the number of paths.
    let guards: Vec<Guard> = manifests
        .iter()
        .filter(|(_, m)| m.enforcement != Enforcement::Off && m.path_guard)
        .map(|&(f, m)| (f, m, AllowedPaths::new(&m.allowed_paths)))
        .collect();
    for raw in paths {
        edit(project, &guards, raw, caller, decision);
    }
}

/// A patch applied from the shell: judged as the `apply_patch` tool's patch is, its relative paths
/// in the directory the command runs in. One that cannot be read is denied, as the tool's is.
fn shell_patch(
    project: &Project,
    manifests: &[(&Found, &Manifest)],
    patch: &guard::ShellPatch,
    caller: Caller,
    decision: &mut Decision,
) {
    const RULE: &str = "shell-apply-patch";
    // With no wave holding edits and no subagent, an edit is not checked: nor is this one.
    let guarded = manifests
        .iter()
        .any(|(_, m)| m.enforcement != Enforcement::Off && m.path_guard);
    if !caller.subagent && !guarded {
        return;
    }
    let deny = |why: String| {
        Finding::deny(
            RULE,
            format!(
                "`{}` applies a patch (Codex runs `apply_patch` in a shell as one), but {why}, so \
                 the files it changes cannot be checked against the wave. Use the apply_patch \
                 tool, or give the patch literally in a here-document.",
                patch.display
            ),
        )
        .with_unit(patch.display.clone())
    };
    let Some(text) = &patch.text else {
        decision
            .findings
            .push(deny("its text is not known before it runs".into()));
        return;
    };
    let paths = match crate::hook::patch::paths(text) {
        Ok(p) => p,
        Err(e) => {
            decision
                .findings
                .push(deny(format!("its text cannot be read as a patch ({e})")));
            return;
        }
    };
    let mut placed = Vec::with_capacity(paths.len());
    for p in paths {
        if Path::new(&p).is_absolute() {
            placed.push(p);
        } else if let Some(cwd) = &patch.cwd {
            placed.push(cwd.join(&p).to_string_lossy().into_owned());
        } else {
            decision.findings.push(deny(format!(
                "it runs after a `cd` to a directory not known before it runs, so where `{p}` is \
                 cannot be told"
            )));
            return;
        }
    }
    edits(project, manifests, &placed, caller, decision);
}

/// Who makes a call, as the edit checks need it: a subagent or the coordinating session, and the
/// names of the approvals store ([`crate::hook::grants::store_names`]).
#[derive(Clone, Copy)]
struct Caller<'a> {
    subagent: bool,
    store: &'a [std::path::PathBuf],
}

/// A manifest that holds edits to its paths, with those paths compiled (or why they cannot be).
type Guard<'a> = (&'a Found, &'a Manifest, Result<AllowedPaths<'a>, String>);

/// Judges one edited path (a relative one is relative to the root) against the control plane and
/// every manifest that guards edits.
fn edit(project: &Project, guards: &[Guard], raw: &str, caller: Caller, decision: &mut Decision) {
    let subagent = caller.subagent;
    let readings = scope::resolve(raw, &project.root);
    // Where the user's one-time approvals are kept: only the user grants them, from a terminal.
    if readings.iter().any(|p| {
        caller
            .store
            .iter()
            .any(|s| crate::project::paths::within(p, s))
    }) {
        decision.findings.push(guard::rules::files::store_finding(
            &format!("edit {raw}"),
            raw,
        ));
        return;
    }
    if subagent {
        let control = project.control_files();
        if readings.iter().any(|p| Project::is_control(p, &control)) {
            decision.findings.push(
                Finding::deny(
                    "control-plane",
                    format!(
                        "`{raw}` is a so-hook control file (a wave manifest, the policy or a hook \
                         registration), which only the coordinating session may change. Report back to the coordinator \
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

#[cfg(test)]
mod tests;
