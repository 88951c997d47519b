//! git commands that destroy history, refs, stashes or uncommitted work.
//!
//! Global options (`-C dir`, `-c k=v`, `--git-dir`, `--no-pager`, ...) are skipped to find the
//! subcommand; each subcommand's options are read with its own grammar, in any order and cluster.

use crate::decision::{Finding, clamp};
use crate::guard::args::{Scanned, Spec, scan};
use crate::guard::{Arg, Scope, Unit, Walker};

/// Global options that take a separate value.
const GLOBAL_VALUES: &[&str] = &[
    "-C",
    "-c",
    "--git-dir",
    "--work-tree",
    "--namespace",
    "--exec-path",
    "--super-prefix",
    "--config-env",
    "--list-cmds",
    "--attr-source",
];

/// The subcommand and its arguments, after git's global options.
pub fn subcommand(args: &[Arg]) -> Option<(&str, &[Arg])> {
    let mut i = 0;
    while i < args.len() {
        let t = args[i].text.as_str();
        if !args[i].exact {
            return None;
        }
        if !t.starts_with('-') {
            return Some((t, &args[i + 1..]));
        }
        if GLOBAL_VALUES.contains(&t) {
            i += 1;
        }
        i += 1;
    }
    None
}

fn spec(short_values: &'static str, long_values: &'static [&'static str]) -> Spec<'static> {
    Spec::gnu(short_values, long_values)
}

/// Configuration keys whose value git runs as shell code.
const CODE_KEYS: &[&str] = &[
    "core.pager",
    "core.editor",
    "core.sshcommand",
    "core.fsmonitor",
    "core.askpass",
    "sequence.editor",
    "diff.external",
    "gpg.program",
];

/// Shell code handed to git with `-c key=value` (`alias.x=!code`, `core.pager=code`, ...).
fn config_code(args: &[Arg]) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if !a.text.starts_with('-') {
            break;
        }
        if a.text != "-c" {
            continue;
        }
        let Some(kv) = it.next() else { break };
        let Some((key, value)) = kv.text.split_once('=') else {
            continue;
        };
        let key = key.to_ascii_lowercase();
        if key.starts_with("alias.") {
            if let Some(code) = value.strip_prefix('!') {
                out.push(code.to_string());
            }
        } else if CODE_KEYS.contains(&key.as_str()) || key.starts_with("pager.") {
            out.push(value.to_string());
        }
    }
    out
}

pub fn git(w: &mut Walker, unit: &Unit, scope: &Scope) {
    for code in config_code(unit.args()) {
        let mut sub = scope.clone();
        w.run_code(&code, &mut sub, unit.display);
    }
    let Some((sub, args)) = subcommand(unit.args()) else {
        return;
    };
    let hit = match sub {
        "reset" => reset(&scan(args, &spec("", &["pathspec-from-file"]))),
        "checkout" => checkout(args),
        "switch" => {
            let s = scan(
                args,
                &spec("cC", &["create", "force-create", "orphan", "conflict"]),
            );
            (s.has('f', "force") || s.has_long("discard-changes")).then_some((
                "git-switch-discard",
                "throws away uncommitted changes in the worktree",
            ))
        }
        "restore" => restore(&scan(
            args,
            &spec("s", &["source", "pathspec-from-file", "conflict"]),
        )),
        "clean" => {
            let s = scan(args, &spec("eE", &["exclude"]));
            let dry = s.has('n', "dry-run");
            (s.has('f', "force") && !dry).then_some((
                "git-clean-force",
                "deletes untracked files, which git cannot bring back",
            ))
        }
        "push" => push(&scan(
            args,
            &spec(
                "o",
                &["push-option", "repo", "receive-pack", "exec", "signed"],
            ),
        )),
        "branch" => {
            let s = scan(
                args,
                &spec(
                    "tu",
                    &[
                        "set-upstream-to",
                        "track",
                        "contains",
                        "merged",
                        "no-merged",
                        "points-at",
                        "sort",
                        "format",
                        "color",
                    ],
                ),
            );
            let delete = s.has('d', "delete");
            let force = s.has('f', "force");
            (s.has_short('D') || (delete && force)).then_some((
                "git-branch-force-delete",
                "deletes a branch even when its commits are merged nowhere",
            ))
        }
        "stash" => match args.first().map(|a| a.text.as_str()) {
            Some("drop" | "clear") => Some(("git-stash-drop", "discards stashed work for good")),
            _ => None,
        },
        "worktree" => match args.first().map(|a| a.text.as_str()) {
            Some("remove") => {
                let s = scan(&args[1..], &spec("", &[]));
                s.has('f', "force").then_some((
                    "git-worktree-remove-force",
                    "removes a worktree even with uncommitted or untracked changes in it",
                ))
            }
            _ => None,
        },
        "update-ref" => {
            let s = scan(args, &spec("m", &["create-reflog"]));
            s.has_short('d')
                .then_some(("git-update-ref-delete", "deletes a ref directly"))
        }
        "reflog" => match args.first().map(|a| a.text.as_str()) {
            Some("expire" | "delete") => Some((
                "git-reflog-expire",
                "deletes reflog entries, the last way back to lost commits",
            )),
            _ => None,
        },
        "filter-branch" | "filter-repo" => Some((
            "git-filter-branch",
            "rewrites the whole history of the repository",
        )),
        _ => None,
    };
    if let Some((rule, what)) = hit {
        w.report(
            Finding::deny(
                rule,
                format!("`{}` {what}. {}", clamp(unit.display, 200), instead(rule)),
            )
            .with_unit(clamp(unit.display, 200)),
        );
    }
}

fn instead(rule: &str) -> &'static str {
    match rule {
        "git-push-force" => {
            "Push without force, or use `git push --force-with-lease` after checking the remote; \
             otherwise ask the user."
        }
        "git-reset-hard" => {
            "Use `git reset --soft`/`--mixed`, or `git stash` to set work aside; ask the user before \
             discarding work."
        }
        "git-checkout-discard" | "git-restore-worktree" | "git-switch-discard" => {
            "Commit or `git stash` the changes first, or ask the user."
        }
        "git-clean-force" => "Run `git clean -n` to list what it would delete, and ask the user.",
        _ => "Ask the user to run it if it is really intended.",
    }
}

fn reset(s: &Scanned) -> Option<(&'static str, &'static str)> {
    (s.has_long("hard") || s.has_long("merge") || s.has_long("keep")).then_some((
        "git-reset-hard",
        "overwrites uncommitted changes in the worktree",
    ))
}

fn checkout(args: &[Arg]) -> Option<(&'static str, &'static str)> {
    const HIT: Option<(&str, &str)> = Some((
        "git-checkout-discard",
        "overwrites uncommitted changes in worktree files",
    ));
    let s = scan(
        args,
        &spec("bBU", &["conflict", "pathspec-from-file", "orphan"]),
    );
    if s.has('f', "force") || s.has_long("pathspec-from-file") {
        return HIT;
    }
    // Paths after `--`.
    if let Some(dd) = args.iter().position(|a| a.text == "--")
        && dd + 1 < args.len()
    {
        return HIT;
    }
    let creates = s.has_short('b') || s.has_short('B') || s.has_long("orphan");
    if !creates
        && s.operands.iter().any(|a| {
            let t = a.text.as_str();
            t == "."
                || t == ".."
                || t.starts_with("./")
                || t.starts_with("../")
                || t.starts_with(":/")
                || t.starts_with(":(")
                || a.glob
        })
    {
        return HIT;
    }
    None
}

fn restore(s: &Scanned) -> Option<(&'static str, &'static str)> {
    let staged = s.has('S', "staged");
    let worktree = s.has('W', "worktree");
    let has_paths = !s.operands.is_empty() || s.has_long("pathspec-from-file");
    (has_paths && (!staged || worktree)).then_some((
        "git-restore-worktree",
        "overwrites uncommitted changes in worktree files",
    ))
}

fn push(s: &Scanned) -> Option<(&'static str, &'static str)> {
    let force = s.has_short('f')
        || s.opts.iter().any(|o| {
            matches!(o, crate::guard::args::Opt::Long(n, _) if n == "force" || (n.len() >= 4 && "force".starts_with(n.as_str())))
        })
        || s.has_long("mirror")
        || s.operands.iter().skip(1).any(|a| a.text.starts_with('+'));
    if force {
        return Some((
            "git-push-force",
            "force-pushes and can overwrite commits on the remote",
        ));
    }
    let delete = s.has('d', "delete")
        || s.has_long("prune")
        || s.operands
            .iter()
            .skip(1)
            .any(|a| a.text.starts_with(':') && a.text.len() > 1);
    delete.then_some(("git-push-delete", "deletes branches or tags on the remote"))
}
