//! Judging a command whole ([`judge`]): its findings, the patches it applies, and the one command
//! shape a broken manifest still lets through.

use super::shell::{self, Command, Sep, Word};
use super::{GuardContext, Scope, Walker, command_name, listing, rules};
use crate::hook::decision::Finding;
use std::path::PathBuf;

/// Whether `command` is one plain `so-hook scope set ...` or `so-hook scope clear ...` and nothing
/// else: no other command, no substitution, no redirection, no variable (the repair a malformed
/// manifest allows; see `hook::evaluate`).
pub fn is_scope_command(command: &str) -> bool {
    let Ok(parsed) = shell::parse(command) else {
        return false;
    };
    let [item] = parsed.script.items.as_slice() else {
        return false;
    };
    let [Command::Simple(sc)] = item.pipeline.commands.as_slice() else {
        return false;
    };
    if !sc.assigns.is_empty() || !sc.redirects.is_empty() || item.sep == Sep::Background {
        return false;
    }
    let Some(words) = sc
        .words
        .iter()
        .map(Word::plain)
        .collect::<Option<Vec<&str>>>()
    else {
        return false;
    };
    matches!(
        words.as_slice(),
        [bin, "scope", "set" | "clear", ..] if command_name(bin) == "so-hook"
    )
}

/// The findings of [`judge`] alone, for callers that judge no edits (tests, benchmarks).
pub fn check(command: &str, ctx: &GuardContext) -> Vec<Finding> {
    judge(command, ctx).findings
}

/// What the guard concludes about a shell command: its findings, and the patches it applies,
/// which the caller judges as edits (they are held to the wave's edit scope, like the
/// `apply_patch` tool).
#[derive(Debug, Default)]
pub struct Judged {
    pub findings: Vec<Finding>,
    pub patches: Vec<ShellPatch>,
}

/// An `apply_patch` (or `applypatch`) run by the shell. Codex applies such a command as a patch
/// itself, and puts both names on the shell's `PATH` for any other form, so either way the files
/// it names are edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellPatch {
    /// The patch text: the first argument, else the here-document or text piped in; `None` when it
    /// is not known before the command runs.
    pub text: Option<String>,
    /// The directory its relative paths are in; `None` when a `cd` went somewhere unknown.
    pub cwd: Option<PathBuf>,
    /// The command, for the reason.
    pub display: String,
}

/// Judges a shell command; the findings come in source order, except that the wave-scope findings
/// of shell writes come after the others: `git checkout -- .` is first a discard of changes, and
/// only then a write outside the wave.
pub fn judge(command: &str, ctx: &GuardContext) -> Judged {
    let mut walker = Walker {
        ctx,
        findings: Vec::new(),
        exec_depth: 0,
        wrapper_guess: false,
        data_only: false,
        recipes: 0,
        started: std::time::Instant::now(),
        commands: 0,
        replaying: 0,
        guesses: 0,
        replayed: 0,
        in_loop: false,
        unless_alone: Vec::new(),
        guessing: false,
        writes_judged: Default::default(),
        patches: Vec::new(),
        carried: Vec::new(),
        downloads: Vec::new(),
        written: Vec::new(),
    };
    listing::begin();
    let mut scope = Scope::new(ctx);
    walker.run_code(command, &mut scope, "the command");
    walker.findings.extend(listing::finding(&walker.findings));
    if walker.commands == 1 {
        for i in walker.unless_alone.into_iter().rev() {
            walker.findings.remove(i);
        }
    }
    walker.findings.extend(rules::approvals::judge(command));
    walker
        .findings
        .sort_by_key(|f| f.rule == rules::writes::RULE);
    Judged {
        findings: walker.findings,
        patches: walker.patches,
    }
}
