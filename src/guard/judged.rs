//! What the guard hands back besides its findings (the patches a command applies), and the one
//! command shape a broken manifest still lets through.

use super::shell::{self, Command, Sep, Word};
use super::{GuardContext, command_name, judge};
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
