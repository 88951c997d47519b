//! Files the guard protects from the shell: truncation of agent instruction files, `SECURITY.md`,
//! `.git`, the wave manifests and the policy (always), and any change to the manifests and the policy
//! by a subagent (the control plane).

use crate::decision::{Finding, clamp};
use crate::guard::args::{Spec, scan};
use crate::guard::{Arg, GuardContext, Scope, Target, Unit, Walker, target};
use crate::paths;
use crate::shell::RedirOp;
use std::path::Path;

use super::system::is_block_device;

/// Why `p` may not be truncated, if it may not.
pub fn protected(p: &Path, ctx: &GuardContext) -> Option<&'static str> {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if matches!(name.as_str(), "claude.md" | "agents.md" | "claude.local.md") {
        return Some("an agent instruction file");
    }
    if name == "security.md" {
        return Some("the security policy");
    }
    if is_control(p, ctx) {
        return Some("a so-hook control file");
    }
    let rel = paths::relative(p, &ctx.root)?.to_ascii_lowercase();
    if rel == ".git" || rel.starts_with(".git/") {
        return Some("part of the git repository");
    }
    if rel.starts_with(".claude/rules/") || rel.starts_with(".cursor/rules/") {
        return Some("an agent rules file");
    }
    None
}

/// A wave manifest or the policy file (compared without case: macOS and Windows fold it).
pub fn is_control(p: &Path, ctx: &GuardContext) -> bool {
    let s = p.to_string_lossy();
    ctx.control_files
        .iter()
        .any(|c| c.to_string_lossy().eq_ignore_ascii_case(&s))
}

/// Whether a write, move or delete of `t` reaches a control file (the file itself, a directory
/// holding it, or a glob that can match either).
fn touches_control(t: &Target, ctx: &GuardContext) -> bool {
    match t {
        Target::Unknown => false,
        Target::Path(p) => ctx.control_files.iter().any(|c| {
            let (c, p) = (
                c.to_string_lossy().to_ascii_lowercase(),
                p.to_string_lossy().to_ascii_lowercase(),
            );
            c == p || (c.starts_with(&p) && c.as_bytes().get(p.len()) == Some(&b'/') && p != "/")
        }),
        Target::Glob { dir, pattern } => ctx.control_files.iter().any(|c| {
            let Some(rest) = paths::relative(c, dir) else {
                return false;
            };
            let (mut r, mut g) = (rest.split('/'), pattern.split('/'));
            loop {
                match (r.next(), g.next()) {
                    (Some(rc), Some(gc)) => {
                        if !wildcard(gc, rc) {
                            return false;
                        }
                    }
                    // The glob names the control file or a directory above it.
                    (_, None) => return true,
                    (None, Some(_)) => return false,
                }
            }
        }),
    }
}

/// Shell pattern matching of one path component (`*`, `?`, `[...]`; a leading dot must be explicit).
pub fn wildcard(pattern: &str, name: &str) -> bool {
    if name.starts_with('.') && !pattern.starts_with('.') {
        return false;
    }
    fn go(p: &[char], n: &[char]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some('*') => (0..=n.len()).any(|k| go(&p[1..], &n[k..])),
            Some('?') => !n.is_empty() && go(&p[1..], &n[1..]),
            Some('[') => {
                let Some(end) = p.iter().position(|&c| c == ']') else {
                    return n.first() == Some(&'[') && go(&p[1..], &n[1..]);
                };
                let Some(&c) = n.first() else {
                    return false;
                };
                let set = &p[1..end];
                let (neg, set) = match set.first() {
                    Some('!' | '^') => (true, &set[1..]),
                    _ => (false, set),
                };
                let mut hit = false;
                let mut i = 0;
                while i < set.len() {
                    if i + 2 < set.len() && set[i + 1] == '-' {
                        hit |= set[i] <= c && c <= set[i + 2];
                        i += 3;
                    } else {
                        hit |= set[i] == c;
                        i += 1;
                    }
                }
                hit != neg && go(&p[end + 1..], &n[1..])
            }
            Some(&c) => n.first() == Some(&c) && go(&p[1..], &n[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

fn truncate_finding(display: &str, what: &str, path: &str) -> Finding {
    Finding::deny(
        "truncate-protected",
        format!(
            "`{}` empties `{}`, which is {what}. Append with `>>`, or edit the file with the edit \
             tool so the change can be reviewed.",
            clamp(display, 200),
            clamp(path, 120)
        ),
    )
    .with_unit(clamp(display, 200))
}

fn control_finding(display: &str, path: &str) -> Finding {
    Finding::deny(
        "control-plane",
        format!(
            "`{}` changes `{}`, which only the coordinating session may change. A subagent works \
             within the scope it was given; report back to the coordinator if the scope is wrong.",
            clamp(display, 200),
            clamp(path, 120)
        ),
    )
    .with_unit(clamp(display, 200))
}

/// A file a command writes: judged for truncation of protected files, block devices and the
/// control plane.
fn written(w: &mut Walker, t: &Target, shown: &str, truncates: bool, display: &str) {
    let ctx = w.ctx();
    if let Target::Path(p) = t {
        if is_block_device(p) {
            w.report(
                Finding::deny(
                    "disk-write",
                    format!(
                        "`{}` writes straight to the block device `{}`, destroying the filesystem \
                         on it. Write to an image file instead, or ask the user to run it.",
                        clamp(display, 200),
                        p.display()
                    ),
                )
                .with_unit(clamp(display, 200)),
            );
            return;
        }
    }
    if ctx.subagent && touches_control(t, ctx) {
        w.report(control_finding(display, shown));
        return;
    }
    if let Target::Path(p) = t
        && truncates
        && let Some(what) = protected(p, ctx)
    {
        w.report(truncate_finding(display, what, shown));
    }
}

/// A redirection (or a wrapper's output file, like `time -o`).
pub fn redirect(w: &mut Walker, op: RedirOp, arg: &Arg, scope: &Scope, display: &str) {
    let t = target(arg, scope);
    written(w, &t, &arg.text, op.truncates(), display);
}

/// Commands that truncate, overwrite, move or delete the files they name.
pub fn commands(w: &mut Walker, unit: &Unit, scope: &Scope, verb: &str) {
    let args = unit.args();
    let scan_gnu = |short_values: &'static str, long_values: &'static [&'static str]| {
        scan(args, &Spec::gnu(short_values, long_values))
    };
    // (operands written, whether they are truncated)
    let (targets, truncates): (Vec<Arg>, bool) = match verb {
        "truncate" => {
            let s = scan_gnu("sr", &["size", "reference"]);
            let grows = s
                .value('s', "size")
                .is_some_and(|v| v.starts_with('+') || v.starts_with('>'));
            (s.operands.into_iter().cloned().collect(), !grows)
        }
        "tee" => {
            let s = scan_gnu("", &["output-error"]);
            let append = s.has('a', "append");
            (s.operands.into_iter().cloned().collect(), !append)
        }
        "cp" | "mv" | "install" | "ln" | "rsync" => {
            let s = scan_gnu(
                "tSmogb",
                &[
                    "target-directory",
                    "suffix",
                    "mode",
                    "owner",
                    "group",
                    "backup",
                ],
            );
            let from_null = s
                .operands
                .iter()
                .rev()
                .skip(1)
                .any(|a| matches!(a.text.as_str(), "/dev/null" | "/dev/zero"));
            let mut t: Vec<Arg> = match s.value('t', "target-directory") {
                Some(d) => vec![Arg::known(d)],
                None => s
                    .operands
                    .last()
                    .map(|a| (*a).clone())
                    .into_iter()
                    .collect(),
            };
            if verb == "mv" {
                // A move also deletes its sources.
                t = s.operands.iter().map(|a| (*a).clone()).collect();
            }
            (t, from_null && verb != "ln")
        }
        "dd" => {
            let notrunc = args
                .iter()
                .any(|a| a.text.starts_with("conv=") && a.text.contains("notrunc"));
            let of: Vec<Arg> = args
                .iter()
                .filter_map(|a| {
                    a.text.strip_prefix("of=").map(|v| Arg {
                        text: v.to_string(),
                        exact: a.exact,
                        glob: false,
                        feed: None,
                    })
                })
                .collect();
            (of, !notrunc)
        }
        "rm" | "unlink" | "shred" | "touch" | "chmod" | "chown" | "chgrp" | "rmdir" => {
            let s = scan_gnu("", &["reference"]);
            let skip = usize::from(matches!(verb, "chmod" | "chown" | "chgrp"));
            (s.operands.into_iter().skip(skip).cloned().collect(), false)
        }
        "sed" | "perl" => {
            let in_place = args.iter().any(|a| {
                a.text.starts_with("-i")
                    || a.text.starts_with("--in-place")
                    || (a.text.starts_with('-')
                        && !a.text.starts_with("--")
                        && a.text.contains('i')
                        && verb == "perl")
            });
            if !in_place {
                return;
            }
            (
                args.iter()
                    .filter(|a| !a.text.starts_with('-'))
                    .skip(1)
                    .cloned()
                    .collect(),
                false,
            )
        }
        "git" => match super::git::subcommand(args) {
            Some(("checkout" | "restore" | "rm" | "mv", rest)) => (
                rest.iter()
                    .filter(|a| !a.text.starts_with('-'))
                    .cloned()
                    .collect(),
                false,
            ),
            _ => return,
        },
        _ => return,
    };
    for a in &targets {
        let t = target(a, scope);
        written(w, &t, &a.text, truncates, unit.display);
    }
}

#[cfg(test)]
mod tests {
    use super::wildcard;

    #[test]
    fn wildcard_follows_shell_rules() {
        assert!(wildcard("*.json", "wave-scope.json"));
        assert!(wildcard("wave-?cope.json", "wave-scope.json"));
        assert!(wildcard("[vw]ave*", "wave-scope.json"));
        assert!(!wildcard("*", ".claude"));
        assert!(wildcard(".*", ".claude"));
        assert!(wildcard(".c*", ".claude"));
        assert!(!wildcard("*.md", "wave-scope.json"));
    }
}
