//! The effect table (contract 3.4): what a command does to a file, times what the file is,
//! decides. Every command in the writer catalogue (`writers::commands`), every redirection and every
//! wrapper's output file comes here with its [`Effect`]; a new way to delete or overwrite is a new
//! source of an effect, never a new row.
//!
//! | effect \ class       | disposable | project | git / instructions | home     | home secret | system | unknown |
//! |----------------------|------------|---------|--------------------|----------|-------------|--------|---------|
//! | delete one file      | allow      | allow   | deny               | ask      | deny        | deny   | ask     |
//! | delete a tree / bulk | allow      | deny    | deny               | deny     | deny        | deny   | deny    |
//! | overwrite, truncate  | allow      | allow   | (truncate-protected) | ask    | deny        | deny   | ask     |
//! | move away            | allow      | allow   | deny               | ask      | deny        | deny   | ask     |
//! | change in place      | allow      | allow   | allow              | ask      | deny        | deny   | allow   |
//! | mode/owner, one file | allow      | allow   | allow              | ask      | deny        | deny   | ask     |
//! | mode/owner, a tree   | allow      | allow   | allow              | deny     | deny        | deny   | deny    |
//!
//! The rows apply in the main session; a wave adds its scope (`writes`), a subagent the control
//! plane (`files`). Guesses at unknown command names are left out: only their unmistakable forms
//! count, and the rules that read them say which.

use super::files::Effect;
use crate::guard::class::{Class, classify};
use crate::guard::{Target, Walker};
use crate::hook::decision::{Finding, Verdict, clamp};

/// What an effect does, as the table's rows read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    DeleteOne,
    DeleteBulk,
    Overwrite,
    MoveAway,
    Change,
    ModeOne,
    ModeTree,
}

impl Row {
    fn of(effect: Effect, t: &Target, shown: &str) -> Option<Row> {
        // A glob, or the word list `xargs` reads, names many files.
        let bulk = matches!(t, Target::Glob { .. }) || shown == crate::guard::wrappers::XARGS_INPUT;
        // Recursion means nothing for a file that is there and is not a directory (for a delete,
        // a symlink is removed itself; a mode change reaches what it points to).
        let a_file = |follow: bool| {
            let Target::Path(p) = t else { return false };
            let meta = if follow {
                std::fs::metadata(p)
            } else {
                std::fs::symlink_metadata(p)
            };
            meta.is_ok_and(|m| !m.is_dir())
        };
        Some(match effect {
            Effect::Deletes { below } if bulk || below && !a_file(false) => Row::DeleteBulk,
            Effect::Deletes { .. } => Row::DeleteOne,
            Effect::Truncates | Effect::Unpacks => Row::Overwrite,
            Effect::TakesAway => Row::MoveAway,
            Effect::Changes => Row::Change,
            Effect::Modes { below } if bulk || below && !a_file(true) => Row::ModeTree,
            Effect::Modes { .. } => Row::ModeOne,
            // Written below a directory as a copy lands, or made: what is lost is judged where it
            // is named (the files it overwrites, the wave's scope).
            Effect::Removes { .. } | Effect::Creates => return None,
        })
    }

    /// How the effect reads in a reason: "`cmd` {what} `target`".
    fn what(self) -> &'static str {
        match self {
            Row::DeleteOne => "deletes",
            Row::DeleteBulk => "deletes everything in",
            Row::Overwrite => "overwrites",
            Row::MoveAway => "moves away",
            Row::Change => "changes",
            Row::ModeOne => "changes the mode or owner of",
            Row::ModeTree => "changes the mode or owner of everything in",
        }
    }
}

/// The table: the verdict and rule id for an effect on a class (`None`: allowed).
fn decide(row: Row, class: Class) -> Option<(Verdict, &'static str)> {
    use Class::*;
    use Row::*;
    use Verdict::{Ask, Deny};
    match (row, class) {
        (_, Disposable) => None,
        (DeleteBulk, Project | Vcs | Instructions | Home | HomeSecret | System | Unknown) => {
            Some((Deny, "rm-recursive-force"))
        }
        (ModeTree, Project | Vcs | Instructions) => None,
        (ModeTree, Home | HomeSecret | System | Unknown) => Some((Deny, "perm-recursive-system")),
        (_, System) => Some((Deny, "system-change")),
        (_, HomeSecret) => Some((Deny, "home-secret")),
        (Change | ModeOne, Project | Vcs | Instructions) => None,
        // The user's own files outside the project: settings an append or a tool rewrites
        // (`>> ~/.gitconfig`, `defaults write`), modes (`chmod -rwx ~` locked a user out).
        (Change | ModeOne, Home) => Some((Ask, "home-change")),
        (Change, Unknown) => None,
        (DeleteOne | MoveAway, Vcs | Instructions) => Some((Deny, "protected-delete")),
        // Emptying an existing instruction file is truncate-protected's (which knows a file that
        // is not there yet is only created).
        // A new file in `.git` (a hook, most of all) is code git will run.
        (Overwrite, Vcs) => Some((Deny, "truncate-protected")),
        (Overwrite, Instructions) => None,
        (DeleteOne | Overwrite | MoveAway, Project) => None,
        (DeleteOne | Overwrite | MoveAway, Home) => Some((Ask, "home-change")),
        (DeleteOne | Overwrite | MoveAway | ModeOne, Unknown) => Some((Ask, "unknown-target")),
    }
}

/// What to do instead, per class.
fn advice(class: Class) -> &'static str {
    match class {
        Class::Unknown => {
            "Name the file literally so it can be checked, or ask the user to run the command."
        }
        Class::Home => "Ask the user to run it, or confirm it with them first.",
        Class::Project => "Delete the specific files you mean, or ask the user to run it.",
        _ => "Ask the user to run it if it is really needed.",
    }
}

/// Judges one effect on one target by the table.
pub fn judge(w: &mut Walker, t: &Target, effect: Effect, shown: &str, display: &str) {
    if w.guessing() && !w.wrapper_guess() {
        return;
    }
    let Some(row) = Row::of(effect, t, shown) else {
        return;
    };
    // A write to /dev/null, /dev/stderr and the like keeps nothing (block devices were judged
    // before: disk-write).
    if let Target::Path(p) = t
        && p.starts_with("/dev")
        && matches!(row, Row::Overwrite | Row::Change)
    {
        return;
    }
    // What a move earlier on the line put there keeps its class.
    let class = w
        .carried(t)
        .map_or_else(|| classify(t, w.ctx()), |c| c.worst(classify(t, w.ctx())));
    let class = if class == Class::Unknown && crate::guard::class::ends_in_regenerated_dir(shown) {
        Class::Disposable
    } else {
        class
    };
    let Some((verdict, rule)) = decide(row, class) else {
        return;
    };
    // Deleting what is not there is nothing, unless an earlier command on the line makes it. A
    // directory's name is judged all the same: parallel agents share the tree, and what is not
    // there when the hook runs may be there when the command does (a name with an extension is
    // taken for a file, which one delete may take).
    let missing = matches!(row, Row::DeleteOne | Row::DeleteBulk | Row::MoveAway)
        && absent(t, shown, w.ctx());
    let a_directory = row == Row::DeleteBulk
        && missing
        && !std::path::Path::new(shown)
            .file_name()
            .is_some_and(|n| n.to_string_lossy().contains('.'));
    let absent = (missing && !a_directory)
        || (matches!(row, Row::DeleteOne | Row::DeleteBulk | Row::MoveAway) && matches_nothing(t));
    let listed = shown == crate::guard::wrappers::XARGS_INPUT;
    let shown = readable(shown);
    let shown = shown.as_str();
    let display = readable(display);
    let display = display.as_str();
    let seen = match t {
        Target::Path(p) if p.to_string_lossy() != shown => {
            format!(
                "`{}` ({})",
                clamp(shown, 120),
                clamp(&p.to_string_lossy(), 120)
            )
        }
        _ => format!("`{}`", clamp(shown, 120)),
    };
    // What the target is, as precisely as the guard knows it.
    let is = match (t, class) {
        (Target::Path(p), Class::Instructions) => format!(
            "is {}",
            super::files::protected(p, w.ctx())
                .unwrap_or("a directory holding agent instruction, rules or so-hook control files")
        ),
        (Target::Glob { .. }, _) => format!("includes {}", class.describe()),
        _ => format!("is {}", class.describe()),
    };
    let finding = Finding::new(
        verdict,
        rule,
        format!(
            "`{}` {} {seen}{}, which {}. {}",
            clamp(display, 200),
            if listed {
                "deletes each of"
            } else {
                row.what()
            },
            if a_directory {
                " (nothing is there now, but a directory of that name would be lost)"
            } else {
                ""
            },
            is,
            advice(class)
        ),
    )
    .with_unit(clamp(display, 200));
    if absent {
        w.report_unless_alone(finding);
    } else {
        w.report(finding);
    }
}

/// A word as the agent would recognize it: the stand-ins for values not known before the command
/// runs are said in words.
fn readable(shown: &str) -> String {
    shown
        .replace(
            crate::guard::wrappers::XARGS_INPUT,
            "<the names xargs reads>",
        )
        .replace("$(:)", "<output of a command>")
        .replace(
            crate::guard::inline::UNKNOWN_SHOWN,
            "<a value the code computes>",
        )
}

/// A glob that matches nothing now: the shell passes it on as a name no file has.
fn matches_nothing(t: &Target) -> bool {
    matches!(t, Target::Glob { dir, pattern }
        if crate::guard::class::expand(dir, pattern).is_some_and(|f| f.is_empty()))
}

/// A literal path in the project (not the root, not in `.git`, not reached through `..`) that does
/// not exist: a delete of it does nothing by itself.
fn absent(t: &Target, shown: &str, ctx: &crate::guard::GuardContext) -> bool {
    let Target::Path(p) = t else {
        return false;
    };
    crate::project::paths::within(p, &ctx.root)
        && p != &ctx.root
        && !crate::project::paths::within(p, &ctx.root.join(".git"))
        && !std::path::Path::new(shown)
            .components()
            .any(|c| c == std::path::Component::ParentDir)
        && std::fs::symlink_metadata(p).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_as_the_contract() {
        use Class::*;
        let v = |row, class| decide(row, class).map(|(v, _)| v);
        // Disposable files go, whatever the effect.
        for row in [Row::DeleteBulk, Row::Overwrite, Row::ModeTree] {
            assert_eq!(v(row, Disposable), None);
        }
        assert_eq!(v(Row::DeleteOne, Project), None);
        assert_eq!(v(Row::DeleteBulk, Project), Some(Verdict::Deny));
        assert_eq!(v(Row::DeleteOne, Unknown), Some(Verdict::Ask));
        assert_eq!(v(Row::DeleteBulk, Unknown), Some(Verdict::Deny));
        assert_eq!(v(Row::Overwrite, Home), Some(Verdict::Ask));
        assert_eq!(v(Row::Overwrite, HomeSecret), Some(Verdict::Deny));
        assert_eq!(v(Row::Change, System), Some(Verdict::Deny));
        assert_eq!(v(Row::Change, Unknown), None);
        assert_eq!(v(Row::ModeTree, Project), None);
        assert_eq!(v(Row::ModeTree, Home), Some(Verdict::Deny));
        assert_eq!(v(Row::MoveAway, Vcs), Some(Verdict::Deny));
    }
}
