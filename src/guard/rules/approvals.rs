//! Running `so-hook allow-once` is the user's, at a terminal: no agent call may, however it names
//! the program (`$(which so-hook)`, `uvx so-hook`, a copy under another name, a script that
//! drives a pseudo-terminal). Those names are open-ended, the subcommand's is not: a command that
//! mentions it, or a glob that could become it, is denied (rule `allow-once`), unless it only
//! searches text for it.

use crate::hook::decision::{Finding, clamp};

/// Whether a command's text names the approvals subcommand, or a glob that could expand to it
/// (`allow-o*`, `allow-on?e`).
pub fn mentioned(command: &str) -> bool {
    // One SIMD search for the middle of the word (commands can be megabytes of here-document);
    // the subcommand is lower case, as the command line takes it.
    let bytes = command.as_bytes();
    memchr::memmem::find_iter(bytes, b"llow-").any(|at| {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let glob = |b: &u8| matches!(b, b'*' | b'?' | b'[');
        let tail = &bytes[at + 5..bytes.len().min(at + 9)];
        (before == Some(b'a') || before.as_ref().is_some_and(glob))
            && (tail == b"once" || tail.iter().any(glob))
    })
}

/// Whether the command is nothing but a search of text (`grep -r allow-once src/`), which runs
/// nothing it finds.
fn search_only(command: &str) -> bool {
    let first = command.split_whitespace().next().unwrap_or_default();
    let name = first.rsplit('/').next().unwrap_or_default();
    matches!(
        name,
        "grep" | "egrep" | "fgrep" | "rg" | "ag" | "ack" | "git"
    ) && !command.contains(['$', '`', ';', '&', '|', '(', ')', '<', '>', '\n'])
        && !command.contains(" -exec")
}

/// The finding for a command that names the approvals subcommand, if it does.
pub fn judge(command: &str) -> Option<Finding> {
    if !mentioned(command) || search_only(command) {
        return None;
    }
    let shown = clamp(command, 200);
    Some(
        Finding::deny(
            crate::hook::grants::RULE,
            format!(
                "`{shown}` names `so-hook allow-once`, which approves a denied command: only the \
                 user may run it, in their own terminal. Tell the user which command was denied \
                 and why it should run; they decide."
            ),
        )
        .with_unit(shown),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_the_subcommand_is_named_and_searches_pass() {
        for c in [
            "so-hook allow-once 49nj1w",
            "$(which so-hook) allow-once 49nj1w",
            "uvx so-hook allow-once x",
            "npm exec so-hook -- allow-once x",
            "touch allow-once && so-hook allow-o* x",
            "/var/tmp/h allow-on?e x",
            "python3 -c 'import pty; pty.spawn([\"so-hook\", \"allow-once\", \"x\"])'",
            "expect -c \"spawn so-hook allow-once x\"",
        ] {
            assert!(judge(c).is_some(), "{c}");
        }
        for c in [
            "grep -rn allow-once src/",
            "rg 'allow-once' docs",
            "git log --grep allow-once",
            "echo allowed once",
            "cargo test --features allow-other",
            "ls allow",
            "cargo test allow_once",
        ] {
            assert!(judge(c).is_none(), "{c}");
        }
        assert!(judge("grep allow-once x | sh").is_some());
    }
}
