//! git commands that destroy history, refs, stashes or uncommitted work, and shell code that git
//! runs for us (aliases with `!`, `core.pager`, `rebase -x`, `bisect run`, ...).
//!
//! Global options (`-C dir`, `-c k=v`, `--git-dir`, `--no-pager`, ...) are read to find the
//! subcommand; an alias given with `-c alias.NAME=...` is expanded; each subcommand's options are
//! read with its own grammar, in any order, cluster or abbreviation.

mod invocation;
pub mod repo;

use super::files::{Effect, control_finding};
use crate::guard::args::{Scanned, Spec, scan, valued};
use crate::guard::expand::has_glob;
use crate::guard::{Arg, Scope, Stdin, Target, Unit, Walker, target};
use crate::hook::decision::{Finding, clamp};
pub use invocation::{Invocation, invocation};
use std::path::PathBuf;

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
    "uploadpack.packobjectshook",
];

/// Shell code git runs for this invocation: `!` aliases, code-carrying settings, `rebase -x`,
/// `bisect run`, `submodule foreach`, `difftool -x`.
fn code(inv: &Invocation) -> Vec<String> {
    let mut out = Vec::new();
    // `git config KEY VALUE` stores code that later git commands run: judged now, as they
    // would run it (an alias's code alone, without the arguments of a later call).
    let mut settings: Vec<(String, String)> = inv.config.clone();
    if inv.sub == "config" {
        let plain: Vec<&str> = inv
            .args
            .iter()
            .map(|a| a.text.as_str())
            .filter(|t| !t.starts_with('-'))
            .collect();
        let plain = match plain.first() {
            Some(&"set" | &"add") => &plain[1..],
            _ => &plain[..],
        };
        if let [key, value, ..] = plain {
            let key = key.to_ascii_lowercase();
            if key.starts_with("alias.") {
                if let Some(code) = value.strip_prefix('!') {
                    out.push(code.to_string());
                }
            } else {
                settings.push((key, value.to_string()));
            }
        }
    }
    for (key, value) in &settings {
        if key.starts_with("alias.") {
            if key == &format!("alias.{}", inv.sub.to_ascii_lowercase())
                && let Some(code) = value.strip_prefix('!')
            {
                out.push(format!("{code} {}", crate::guard::join_args(&inv.args)));
            }
        } else if CODE_KEYS.contains(&key.as_str())
            || key.starts_with("pager.")
            || (key.ends_with(".cmd")
                && (key.starts_with("mergetool.") || key.starts_with("difftool.")))
        {
            out.push(value.clone());
        } else if key.starts_with("credential") && key.ends_with("helper") {
            if let Some(code) = value.strip_prefix('!') {
                out.push(code.to_string());
            }
        }
    }
    // An argv handed on: each word quoted, so the code reads back as the same words.
    let quoted = |args: &[Arg]| {
        args.iter()
            .map(|a| format!("'{}'", a.text.replace('\'', "'\\''")))
            .collect::<Vec<_>>()
            .join(" ")
    };
    // `ext::CMD` remotes run CMD (`% ` is a space there).
    for a in &inv.args {
        if let Some(cmd) = a.text.strip_prefix("ext::") {
            // Blanks separate the program's arguments; `% ` is a blank inside one, `%%` a `%`.
            let mut argv: Vec<Arg> = Vec::new();
            let mut cur = String::new();
            let mut chars = cmd.chars();
            while let Some(c) = chars.next() {
                match c {
                    '%' => match chars.next() {
                        Some(' ') => cur.push(' '),
                        Some('%') => cur.push('%'),
                        Some(o) => {
                            cur.push('%');
                            cur.push(o);
                        }
                        None => cur.push('%'),
                    },
                    ' ' => argv.push(Arg::known(std::mem::take(&mut cur))),
                    c => cur.push(c),
                }
            }
            argv.push(Arg::known(cur));
            argv.retain(|a| !a.text.is_empty());
            out.push(quoted(&argv));
        }
    }
    // Programs to run on the other side of a local transport.
    let s = scan(
        &inv.args,
        &Spec::gnu(
            "uoO",
            &["upload-pack", "receive-pack", "exec", "open-files-in-pager"],
        ),
    );
    for (short, long) in [
        ('\0', "upload-pack"),
        ('\0', "receive-pack"),
        ('\0', "exec"),
    ] {
        out.extend(s.values(short, long).map(str::to_string));
    }
    if matches!(inv.sub.as_str(), "clone" | "fetch" | "ls-remote" | "pull") {
        out.extend(s.values('u', "upload-pack").map(str::to_string));
    }
    if inv.sub == "grep" {
        out.extend(s.values('O', "open-files-in-pager").map(str::to_string));
    }
    match inv.sub.as_str() {
        "rebase" => {
            let s = scan(&inv.args, &Spec::gnu("xsX", &["exec", "strategy", "onto"]));
            out.extend(s.values('x', "exec").map(str::to_string));
        }
        "difftool" | "mergetool" => {
            let s = scan(&inv.args, &Spec::gnu("xt", &["extcmd", "tool"]));
            out.extend(s.values('x', "extcmd").map(str::to_string));
        }
        "bisect" if inv.args.first().is_some_and(|a| a.text == "run") => {
            out.push(quoted(&inv.args[1..]));
        }
        "submodule" if inv.args.first().is_some_and(|a| a.text == "foreach") => {
            let rest: Vec<Arg> = inv.args[1..]
                .iter()
                .filter(|a| a.text != "--recursive" && a.text != "-q" && a.text != "--quiet")
                .cloned()
                .collect();
            out.push(crate::guard::join_args(&rest));
        }
        _ => {}
    }
    out
}

pub fn git(w: &mut Walker, unit: &Unit, scope: &Scope, inv: &Invocation) {
    for c in code(inv) {
        w.run_code(&c, &mut scope.clone(), unit.display);
    }
    if let Some((rule, what)) = judge(inv, unit, scope) {
        w.report(
            Finding::deny(
                rule,
                format!("`{}` {what}. {}", clamp(unit.display, 200), instead(rule)),
            )
            .with_unit(clamp(unit.display, 200)),
        );
    }
}

type Hit = Option<(&'static str, &'static str)>;

fn judge(inv: &Invocation, unit: &Unit, scope: &Scope) -> Hit {
    let args = inv.args.as_slice();
    let first = args.first().map(|a| a.text.as_str());
    match inv.sub.as_str() {
        "reset" => reset(&scan(args, &Spec::gnu("", &["pathspec-from-file"]))),
        "checkout" => checkout(inv, scope),
        "rm" => {
            let s = scan(args, &Spec::gnu("", &["pathspec-from-file"]));
            (s.has('f', "force") && !s.has_long("cached")).then_some((
                "git-rm-force",
                "deletes files together with their uncommitted changes",
            ))
        }
        // Dropping a submodule's worktree, or checking it out over local changes.
        "submodule" => {
            let s = scan(args, &Spec::gnu("", &["reference", "depth", "jobs"]));
            let force = s.has('f', "force");
            matches!(first, Some("deinit" | "update"))
                .then_some(())
                .and(force.then_some(DISCARD))
        }
        "checkout-index" => {
            let s = scan(args, &Spec::gnu("", &["prefix", "stage", "temp"]));
            s.has('f', "force").then_some(DISCARD)
        }
        "read-tree" => {
            let s = scan(
                args,
                &Spec::gnu("", &["prefix", "index-output", "exclude-per-directory"]),
            );
            (s.has_short('u') && s.has_long("reset")).then_some(DISCARD)
        }
        "switch" => {
            let s = scan(
                args,
                &Spec::gnu("cC", &["create", "force-create", "orphan", "conflict"]),
            );
            (s.has('f', "force") || s.has_long("discard-changes")).then_some((
                "git-switch-discard",
                "throws away uncommitted changes in the worktree",
            ))
        }
        "restore" => restore(&scan(args, &RESTORE)),
        "clean" => {
            let s = scan(args, &Spec::gnu("eE", &["exclude"]));
            let dry = s.has('n', "dry-run");
            let unforced = inv.config("clean.requireforce").is_some_and(|v| {
                matches!(
                    v.to_ascii_lowercase().as_str(),
                    "false" | "no" | "off" | "0"
                )
            });
            ((s.has('f', "force") || unforced) && !dry).then_some((
                "git-clean-force",
                "deletes untracked files, which git cannot bring back",
            ))
        }
        "push" => push(
            inv,
            &scan(
                args,
                &Spec::gnu(
                    "o",
                    &["push-option", "repo", "receive-pack", "exec", "signed"],
                ),
            ),
        ),
        "send-pack" => {
            let s = scan(args, &Spec::gnu("", &["receive-pack", "exec", "remote"]));
            let refspec_force = s.operands.iter().skip(1).any(|a| a.text.starts_with('+'));
            (s.has_long("force") || s.has_long("mirror") || refspec_force).then_some(FORCE_PUSH)
        }
        "branch" => {
            let s = scan(
                args,
                &Spec::gnu(
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
        "stash" => match first {
            Some("drop" | "clear") => Some(("git-stash-drop", "discards stashed work for good")),
            _ => None,
        },
        "worktree" => match first {
            Some("remove") => {
                let s = scan(&args[1..], &Spec::gnu("", &[]));
                s.has('f', "force").then_some((
                    "git-worktree-remove-force",
                    "removes a worktree even with uncommitted or untracked changes in it",
                ))
            }
            _ => None,
        },
        "update-ref" => {
            let s = scan(args, &Spec::gnu("m", &["create-reflog"]));
            // `--stdin` reads commands; a `delete` among them (or input we cannot see) deletes.
            let stdin_deletes = s.has_long("stdin")
                && match unit.stdin {
                    Stdin::Text(t) => t.lines().any(|l| l.trim_start().starts_with("delete")),
                    _ => true,
                };
            (s.has_short('d') || stdin_deletes)
                .then_some(("git-update-ref-delete", "deletes a ref directly"))
        }
        "reflog" => match first {
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
    }
}

const DISCARD: (&str, &str) = (
    "git-checkout-discard",
    "overwrites uncommitted changes in worktree files",
);
const FORCE_PUSH: (&str, &str) = (
    "git-push-force",
    "force-pushes and can overwrite commits on the remote",
);

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

fn reset(s: &Scanned) -> Hit {
    (s.has_long("hard") || s.has_long("merge") || s.has_long("keep")).then_some((
        "git-reset-hard",
        "overwrites uncommitted changes in the worktree",
    ))
}

/// `git checkout` discards work when it is given paths: after `--`, as `.`/globs/pathspec magic, or
/// as an operand that names a file or directory that exists (git takes those as paths).
const CHECKOUT: Spec = Spec::gnu("bBU", &["conflict", "pathspec-from-file", "orphan"]);
const RESTORE: Spec = Spec::gnu("s", &["source", "pathspec-from-file", "conflict"]);

fn checkout(inv: &Invocation, scope: &Scope) -> Hit {
    let args = inv.args.as_slice();
    let s = scan(args, &CHECKOUT);
    // `-p` picks hunks to throw away, from every changed file unless paths are named;
    // `--ours`/`--theirs` take paths only, and write one side over them.
    if s.has('f', "force")
        || s.has_long("pathspec-from-file")
        || s.has('p', "patch")
        || s.has_long("ours")
        || s.has_long("theirs")
    {
        return Some(DISCARD);
    }
    if let Some(dd) = args.iter().position(|a| a.text == "--")
        && dd + 1 < args.len()
    {
        return Some(DISCARD);
    }
    if creates_branch(&s) {
        return None;
    }
    // `git checkout TREE PATH...`: whatever the first operand is, the others are paths.
    if s.operands.len() > 1 {
        return Some(DISCARD);
    }
    let at = where_git_runs(inv, scope);
    s.operands
        .iter()
        .any(|a| pathlike(a, &at))
        .then_some(DISCARD)
}

/// `checkout -b/-B/--orphan`: a new branch, no worktree files named.
fn creates_branch(s: &Scanned) -> bool {
    s.has_short('b') || s.has_short('B') || s.has_long("orphan") || s.has('t', "track")
}

/// Where git runs: the walk's directory, moved by any `-C`.
fn where_git_runs(inv: &Invocation, scope: &Scope) -> Scope {
    let mut at = scope.clone();
    for d in &inv.dirs {
        at.cwd = match target(&Arg::known(d.clone()), &at) {
            Target::Path(p) => Some(p),
            _ => None,
        };
    }
    at
}

/// An operand of `checkout` that git reads as worktree paths rather than a branch or a commit.
fn pathlike(a: &Arg, at: &Scope) -> bool {
    let t = a.text.as_str();
    t == "."
        || t == ".."
        || t.starts_with("./")
        || t.starts_with("../")
        || t.starts_with(':')
        || has_glob(t)
        || a.glob
        || matches!(target(a, at), Target::Path(p) if exists(&p))
        || path_shaped(t)
            && at
                .cwd
                .as_deref()
                .and_then(repo::find)
                .is_some_and(|r| !r.names_revision(t))
}

/// A name that reads as a file's (`src/app/page.tsx`, `notes.md`): with an extension. Such a name that is no revision in the repository is a path to git, even if a
/// parallel agent has yet to create it.
fn path_shaped(t: &str) -> bool {
    // (A `/` alone is no sign: branches are named `feature/login`, and one fetched earlier on
    // the line is not in the refs yet.)
    let last = t.rsplit('/').next().unwrap_or(t);
    last.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && (1..=5).contains(&ext.len())
            && ext.bytes().all(|b| b.is_ascii_alphanumeric())
            && ext.bytes().any(|b| b.is_ascii_alphabetic())
    })
}

/// The worktree files a `git checkout`, `restore`, `rm` or `mv` writes or removes: its path
/// operands as the rules above read them; none when it works on the index alone (`rm --cached`,
/// `restore --staged`) or makes a branch (`checkout -b`).
pub(super) fn worktree_paths(inv: &Invocation, scope: &Scope) -> Vec<Arg> {
    let args = inv.args.as_slice();
    let owned = |s: Scanned| s.operands.into_iter().cloned().collect();
    match inv.sub.as_str() {
        "checkout" => {
            let s = scan(args, &CHECKOUT);
            if creates_branch(&s) {
                return Vec::new();
            }
            if let Some(dd) = args.iter().position(|a| a.text == "--") {
                return args[dd + 1..].to_vec();
            }
            let at = where_git_runs(inv, scope);
            s.operands
                .into_iter()
                .filter(|a| pathlike(a, &at))
                .cloned()
                .collect()
        }
        "restore" => {
            let s = scan(args, &RESTORE);
            if s.has('S', "staged") && !s.has('W', "worktree") {
                return Vec::new();
            }
            owned(s)
        }
        "rm" => {
            let s = scan(args, &Spec::gnu("", &["pathspec-from-file"]));
            if s.has_long("cached") {
                return Vec::new();
            }
            owned(s)
        }
        _ => owned(scan(args, &Spec::gnu("", &[]))),
    }
}

fn exists(p: &PathBuf) -> bool {
    std::fs::symlink_metadata(p).is_ok()
}

fn restore(s: &Scanned) -> Hit {
    let staged = s.has('S', "staged");
    let worktree = s.has('W', "worktree");
    let has_paths = !s.operands.is_empty() || s.has_long("pathspec-from-file");
    (has_paths && (!staged || worktree)).then_some((
        "git-restore-worktree",
        "overwrites uncommitted changes in worktree files",
    ))
}

fn push(inv: &Invocation, s: &Scanned) -> Hit {
    let configured_force = inv.config.iter().any(|(k, v)| {
        k.starts_with("remote.")
            && ((k.ends_with(".mirror") && v.eq_ignore_ascii_case("true"))
                || (k.ends_with(".push") && v.starts_with('+')))
    });
    let force = s.has('f', "force")
        || s.has_long("mirror")
        || configured_force
        || s.operands.iter().skip(1).any(|a| a.text.starts_with('+'));
    if force {
        return Some(FORCE_PUSH);
    }
    let delete = s.has('d', "delete")
        || s.has_long("prune")
        || s.operands
            .iter()
            .skip(1)
            .any(|a| a.text.starts_with(':') && a.text.len() > 1);
    delete.then_some(("git-push-delete", "deletes branches or tags on the remote"))
}

/// Files git writes, restores or removes (for the writer catalogue).
pub(super) fn writes(
    w: &mut Walker,
    unit: &Unit,
    inv: &Invocation,
    scope: &Scope,
    all: &mut impl FnMut(Vec<Arg>, Effect),
    carries: &mut Vec<(std::path::PathBuf, crate::guard::class::Class)>,
) {
    let s = scan(&inv.args, &Spec::gnu("o", &["output"]));
    match inv.sub.as_str() {
        "checkout" | "restore" | "rm" | "mv" => {
            let paths = worktree_paths(inv, scope);
            if inv.sub == "mv"
                && let Some((dest, sources)) = paths.split_last()
            {
                all(vec![dest.clone()], Effect::Truncates);
                // `git mv` moves its sources away, like `mv`, and what they hold keeps its
                // class where it lands.
                all(sources.to_vec(), Effect::TakesAway);
                carries.extend(super::writers::moved(w, sources, dest, scope));
            }
            all(paths, Effect::Removes { below: true });
        }
        "config" => {
            let s = scan(&inv.args, &Spec::gnu("f", &["file", "blob"]));
            all(
                s.values('f', "file")
                    .map(|v| valued(&inv.args, v))
                    .collect(),
                Effect::Truncates,
            );
        }
        "bundle" if inv.args.first().is_some_and(|a| a.text == "create") => {
            all(
                inv.args.get(1).cloned().into_iter().collect(),
                Effect::Truncates,
            );
        }
        "diff" | "log" | "show" | "range-diff" | "format-patch" | "whatchanged" => {
            all(
                s.values('\0', "output")
                    .map(|v| valued(&inv.args, v))
                    .collect(),
                Effect::Truncates,
            );
        }
        "archive" => all(
            s.values('o', "output")
                .map(|v| valued(&inv.args, v))
                .collect(),
            Effect::Truncates,
        ),
        // Stashing untracked files removes them, manifests included.
        // Stashing takes changed (and with `-u`, untracked) files out of the worktree, a
        // manifest among them once it is added.
        // `--autostash` (or `rebase.autoStash`/`merge.autoStash`) stashes the worktree first.
        "pull" | "rebase" | "merge"
            if w.ctx().subagent
                && (inv.args.iter().any(|a| a.text == "--autostash")
                    || inv.config.iter().any(|(k, v)| {
                        k.ends_with(".autostash")
                            && matches!(
                                v.to_ascii_lowercase().as_str(),
                                "true" | "yes" | "on" | "1"
                            )
                    })) =>
        {
            w.report(control_finding(unit.display, "the worktree"));
        }
        "stash" if w.ctx().subagent => {
            let sub = inv.args.first().map(|a| a.text.as_str());
            if matches!(
                sub,
                None | Some(
                    "push"
                        | "save"
                        | "-u"
                        | "-a"
                        | "--include-untracked"
                        | "--all"
                        | "-m"
                        | "--message"
                        | "-k"
                        | "--keep-index"
                        | "-p"
                        | "--patch"
                        | "-q"
                        | "--quiet"
                        | "--"
                )
            ) {
                w.report(control_finding(unit.display, "the worktree"));
            }
        }
        _ => {}
    }
}
