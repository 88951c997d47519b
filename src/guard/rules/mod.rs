//! The built-in command rules, and the user's command patterns (wave `blockedCommands`, policy rules).

pub mod approvals;
mod archives;
mod cloud;
pub mod data;
pub mod effects;
pub mod files;
pub mod git;
mod infra;
pub mod packs;
pub mod rm;
mod settings;
pub mod sql;
pub mod system;
pub mod windows;
pub mod writers;
pub mod writes;

use super::{Matcher, Scope, Unit, Walker};
use crate::hook::decision::{Finding, clamp};

/// Every built-in rule id with what it catches. Ids are stable: policies and tests name them.
pub const BUILTIN_RULES: &[(&str, &str)] = &[
    (
        "rm-recursive-force",
        "a recursive or bulk delete (any command) of anything but disposable files",
    ),
    ("find-delete", "find -delete over a broad tree"),
    ("git-reset-hard", "git reset --hard, --merge or --keep"),
    (
        "git-checkout-discard",
        "git checkout that overwrites worktree files (-- paths, ., -f)",
    ),
    ("git-switch-discard", "git switch -f / --discard-changes"),
    ("git-restore-worktree", "git restore of worktree files"),
    ("git-clean-force", "git clean with force"),
    (
        "git-push-force",
        "git push that can overwrite remote history (-f, --force, +refspec, --mirror)",
    ),
    (
        "git-push-delete",
        "git push that deletes remote refs (--delete, :branch, --prune)",
    ),
    (
        "git-branch-force-delete",
        "git branch -D / --delete --force",
    ),
    ("git-stash-drop", "git stash drop / clear"),
    ("git-worktree-remove-force", "git worktree remove --force"),
    ("git-update-ref-delete", "git update-ref -d"),
    ("git-reflog-expire", "git reflog expire / delete"),
    ("git-filter-branch", "git filter-branch / filter-repo"),
    (
        "git-rm-force",
        "git rm -f, which deletes files with uncommitted changes",
    ),
    (
        "sql-drop",
        "DROP TABLE|DATABASE|SCHEMA or TRUNCATE sent to a database client",
    ),
    ("dropdb", "dropdb, mysqladmin drop"),
    (
        "sql-delete-all",
        "DELETE or UPDATE without WHERE sent to a database client (asks)",
    ),
    ("disk-write", "writing to a block device"),
    (
        "disk-format",
        "mkfs, wipefs and other tools that erase a disk",
    ),
    (
        "perm-recursive-system",
        "chmod/chown/chgrp -R on /, a system directory, home or the project root",
    ),
    (
        "truncate-protected",
        "truncating an agent instruction file, SECURITY.md, .git, a manifest or the policy",
    ),
    (
        "control-plane",
        "a subagent changing a wave manifest, the policy or a hook registration (.claude/settings*.json, .codex/hooks.json, .cursor/hooks.json)",
    ),
    (
        "shell-write-scope",
        "during a wave, a shell command writing, moving or deleting files outside allowedPaths",
    ),
    (
        "system-change",
        "deleting, overwriting, moving, changing or re-moding a system file",
    ),
    (
        "home-secret",
        "any change to a credential or shell start-up file in home (~/.ssh, ~/.aws, ~/.bashrc ...)",
    ),
    (
        "home-change",
        "deleting, overwriting or moving a file in home, outside the project (asks)",
    ),
    (
        "unknown-target",
        "deleting, overwriting, moving or re-moding a file not known before the command runs (asks)",
    ),
    (
        "protected-delete",
        "deleting or moving away .git internals or an agent instruction file",
    ),
    (
        "container-volume-delete",
        "a container volume deleted (docker/podman volume rm/prune, system prune --volumes, \
         compose down -v)",
    ),
    (
        "db-reset",
        "a database dropped or reset by its tool (prisma migrate reset, db push \
         --accept-data-loss, rails db:drop, manage.py flush, ...)",
    ),
    (
        "iac-destroy",
        "infrastructure as code torn down (terraform/tofu destroy, pulumi destroy, cdk destroy)",
    ),
    (
        "cluster-delete",
        "cluster namespaces, volumes, definitions or everything deleted (kubectl delete, helm \
         uninstall)",
    ),
    (
        "cloud-delete",
        "cloud resources deleted (aws s3 rm --recursive, delete-*, gcloud/az ... delete)",
    ),
    (
        "hosted-delete",
        "a hosted repository, release or published package deleted",
    ),
    (
        "registry-yank",
        "a published crate or gem version yanked (asks)",
    ),
    (
        "host-disrupt",
        "the machine stopped or restarted, or every process killed (asks)",
    ),
    ("nesting-limit", "code nested deeper than so-hook follows"),
    (
        "allow-once",
        "an agent approving a denied command (so-hook allow-once) or writing where approvals are kept",
    ),
    (
        "pipe-to-shell",
        "a shell running code piped from a download or a decoder (asks)",
    ),
];

/// The rules that keep the guard itself in place: a policy can neither switch them off nor make
/// them ask.
pub const FIXED_RULES: &[&str] = &["control-plane", "nesting-limit", "allow-once"];

pub fn is_builtin(id: &str) -> bool {
    BUILTIN_RULES.iter().any(|(r, _)| *r == id)
}

/// Applies the built-in rules to one unwrapped command.
pub fn judge(w: &mut Walker, unit: &Unit, scope: &Scope) {
    let Some(verb) = unit.verb() else {
        return;
    };
    // What a command does to the files it names comes first: for a subagent touching the control
    // plane, that is the finding to report.
    // A git command line is read once (global options, `-c` settings, aliases) for both rule sets.
    let git = (verb == "git")
        .then(|| git::invocation(unit.args(), scope))
        .flatten();
    writers::commands(w, unit, scope, verb, git.as_ref());
    w.inline_code(verb, unit, scope);
    if infra::is_infra_tool(verb) {
        infra::judge(w, unit, verb, scope);
    }
    match verb {
        "rm" => rm::rm(w, unit, scope),
        "rsync" => rm::rsync(w, unit, scope),
        "find" => rm::find(w, unit, scope),
        "git" => {
            if let Some(inv) = &git {
                git::git(w, unit, scope, inv)
            }
        }
        "psql" | "mysql" | "mariadb" | "sqlite3" | "duckdb" | "clickhouse-client" => {
            sql::client(w, unit, verb, scope)
        }
        "clickhouse" if unit.args().first().is_some_and(|a| a.text == "client") => {
            sql::client(w, unit, verb, scope)
        }
        "dropdb" | "mysqladmin" | "mariadb-admin" => sql::drop_program(w, unit, verb),
        // `pg_restore --clean` drops the database objects before it restores them.
        "pg_restore"
            if unit
                .args()
                .iter()
                .any(|a| a.text == "--clean" || a.text == "-c") =>
        {
            sql::drop_program(w, unit, "dropdb")
        }
        "chmod" | "chown" | "chgrp" | "chattr" | "setfacl" => system::perms(w, unit, scope),
        "so-hook" => {
            let words: Vec<&str> = unit.args().iter().map(|a| a.text.as_str()).collect();
            // Approving a denied command is the user's, at a terminal: never an agent's call.
            if words.first() == Some(&"allow-once") {
                w.report(
                    Finding::deny(
                        crate::hook::grants::RULE,
                        format!(
                            "`{}` approves a denied command, which only the user may do, in their \
                             own terminal. Tell the user which command was denied and why it \
                             should run; they decide.",
                            clamp(unit.display, 200)
                        ),
                    )
                    .with_unit(clamp(unit.display, 200)),
                );
                return;
            }
            // The coordinator's own tool writes and removes the manifests.
            if !w.ctx().subagent {
                return;
            }
            if let ["scope", "set" | "clear", ..] = words.as_slice() {
                w.report(files::control_finding(unit.display, "the wave manifest"));
            } else if words.first() == Some(&"install") && words.contains(&"--uninstall") {
                w.report(files::control_finding(
                    unit.display,
                    "the hook registration",
                ));
            }
        }
        v if data::is_data_tool(v) || v == "kubectl" || v == "oc" => {
            data::judge(w, unit, v);
            data::in_container(w, unit, v, scope);
        }
        v if system::is_disk_tool(v) => system::disk_tool(w, unit, scope),
        _ => {}
    }
}

/// Matches the user's command patterns against a unit (at every wrapper layer).
pub fn patterns(w: &mut Walker, unit: &Unit) {
    let ctx = w.ctx();
    if ctx.patterns.is_empty() {
        return;
    }
    // The text regexes are matched against, built once for all of them when one needs it.
    let mut text = None;
    let mut hits = Vec::new();
    for p in &ctx.patterns {
        if matches_with(&p.matcher, unit.words, &mut text) {
            let shown = clamp(unit.display, 200);
            let reason = match &p.message {
                Some(m) => format!("`{shown}` matches {} ({}). {m}", p.rule, p.source),
                None => format!(
                    "`{shown}` matches a command rule of {} ({}). Use another way to reach the \
                     goal, or ask the user to run it.",
                    p.source, p.rule
                ),
            };
            hits.push(Finding::new(p.verdict, &p.rule, reason).with_unit(shown));
        }
    }
    for f in hits {
        w.report(f);
    }
}

/// Whether a pattern matches a list of words (`words[0]` is the verb, possibly a path); the text a
/// regex is matched against is built into `text` once and kept for the next pattern.
fn matches_with<W: AsRef<str>>(matcher: &Matcher, words: &[W], text: &mut Option<String>) -> bool {
    match matcher {
        Matcher::Words(pat) => {
            let Some((first, rest)) = pat.split_first() else {
                return false;
            };
            let Some(verb) = words.first() else {
                return false;
            };
            let verb = crate::guard::command_name(verb.as_ref());
            if !verb.eq_ignore_ascii_case(first) {
                return false;
            }
            let mut it = words[1..].iter();
            rest.iter()
                .all(|p| it.any(|w| w.as_ref().eq_ignore_ascii_case(p)))
        }
        Matcher::Regex(re) => {
            let text = text.get_or_insert_with(|| {
                let verb = words
                    .first()
                    .map(|v| crate::guard::command_name(v.as_ref()));
                let mut text = String::from(verb.unwrap_or(""));
                for w in words.iter().skip(1) {
                    text.push(' ');
                    text.push_str(w.as_ref());
                }
                text
            });
            re.is_match(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern_matches(matcher: &Matcher, words: &[&str]) -> bool {
        matches_with(matcher, words, &mut None)
    }

    fn words(p: &str) -> Matcher {
        Matcher::Words(p.split_whitespace().map(str::to_string).collect())
    }

    #[test]
    fn word_patterns_match_on_word_boundaries_in_order() {
        assert!(pattern_matches(&words("rm -rf"), &["rm", "-rf", "x"]));
        assert!(pattern_matches(&words("rm -rf"), &["/bin/rm", "-rf", "x"]));
        assert!(!pattern_matches(&words("rm"), &["format", "x"]));
        assert!(pattern_matches(
            &words("git push --force"),
            &["git", "push", "origin", "--force"]
        ));
        assert!(!pattern_matches(
            &words("git push --force"),
            &["git", "--force", "push"]
        ));
        assert!(pattern_matches(
            &words("DROP TABLE"),
            &["drop", "table", "t"]
        ));
    }

    #[test]
    fn every_rule_id_is_unique() {
        for (i, (a, _)) in BUILTIN_RULES.iter().enumerate() {
            assert!(BUILTIN_RULES[i + 1..].iter().all(|(b, _)| a != b), "{a}");
        }
    }
}
