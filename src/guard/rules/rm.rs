//! Recursive deletes: `rm` with recursive and force, and `find -delete`.
//!
//! A recursive forced delete is allowed only when every target is disposable: below a temp root
//! (`/tmp`, `/var/tmp`, a `$TMPDIR` under them), in a `node_modules/` of the project, in
//! `.orchestrator/tmp/`, or in a directory the policy adds. The project root, its parent, `/`, home,
//! the temp roots themselves and `.git` never are. Targets are resolved lexically, then the parent
//! chain is resolved on disk so a symlink cannot carry the delete somewhere else.

use crate::guard::args::{Spec, scan};
use crate::guard::expand::has_glob;
use crate::guard::{Arg, GuardContext, Scope, Target, Unit, Walker, target};
use crate::hook::decision::{Finding, clamp};
use crate::project::paths::DEFAULT_TEMP_ROOTS;
use crate::project::paths::{self, Leaf};
use std::path::{Path, PathBuf};

/// `rm`'s options (also read by the truncation rule, for `rm` of a protected file).
pub(super) const RM: Spec = Spec::gnu("", &["interactive", "preserve-root"]);

pub fn rm(w: &mut Walker, unit: &Unit, scope: &Scope) {
    let s = scan(unit.args(), &RM);
    let recursive = s.has_short('r') || s.has_short('R') || s.has_long("recursive");
    let force = s.has_short('f')
        || s.has_long("force")
        || s.value('\0', "interactive")
            .is_some_and(|v| v.starts_with('n'));
    // An argument not knowable before the command runs may be the missing `-r` or `-f`: then the
    // known operands are what a recursive forced delete would take.
    // A guess at an unknown command name counts only in its unmistakable form: spelled flags.
    let maybe_flags = !w.guessing() && s.operands.iter().any(|o| !o.exact);
    if recursive && !force && !maybe_flags {
        // Without a terminal on stdin (an agent's shell), `rm -r` does not ask either: it may not
        // take `/`, home, the project, its parent or `.git`.
        for op in &s.operands {
            if let Target::Path(p) = target(op, scope)
                && let Some(why) = never_safe(&p, w.ctx())
            {
                w.report(
                    Finding::deny(
                        "rm-recursive-force",
                        format!(
                            "`{}` deletes recursively, and `{}` {why}; with no terminal to ask on, \
                             rm does not stop to confirm. Delete the specific files you mean.",
                            clamp(unit.display, 200),
                            clamp(&op.text, 120)
                        ),
                    )
                    .with_unit(clamp(unit.display, 200)),
                );
                return;
            }
        }
        return;
    }
    if !(maybe_flags || recursive && force) {
        return;
    }
    let speculative = !(recursive && force);
    let mut absent_only = None;
    for op in &s.operands {
        if speculative && (!op.exact || op.text.starts_with('-')) {
            continue;
        }
        let t = target(op, scope);
        if matches!(t, Target::Unknown) && crate::guard::class::ends_in_regenerated_dir(&op.text) {
            continue;
        }
        // On an existing file that is not a directory, recursion means nothing: it is `rm -f`.
        if let Target::Path(p) = &t
            && std::fs::symlink_metadata(p).is_ok_and(|m| !m.is_dir())
        {
            continue;
        }
        // A glob that matches nothing now deletes nothing by itself.
        let nothing = matches!(&t, Target::Glob { dir, pattern }
            if crate::guard::class::expand(dir, pattern).is_some_and(|f| f.is_empty()));
        let carried = w
            .carried(&t)
            .filter(|c| *c != crate::guard::class::Class::Disposable)
            .map(|c| {
                format!(
                    "holds what an earlier move put there, which is {}",
                    c.describe()
                )
            });
        if let Err(why) = carried.map_or_else(|| safe_to_delete(&t, w.ctx()), Err) {
            let finding = Finding::deny(
                "rm-recursive-force",
                format!(
                    "`{}` deletes recursively without confirmation, and `{}` {why}. Only disposable files (temp \
                     directories, caches, output the project's build files name) may be removed \
                     this way. Delete the specific files you created, or ask the user to run it.",
                    clamp(unit.display, 200),
                    clamp(&op.text, 120)
                ),
            )
            .with_unit(clamp(unit.display, 200));
            if nothing || absent(op, &t, w.ctx()) {
                // Nothing to delete now; only an earlier command of the line could put it there.
                absent_only.get_or_insert(finding);
                continue;
            }
            w.report(finding);
            return;
        }
    }
    if let Some(finding) = absent_only {
        w.report_unless_alone(finding);
    }
}

/// What a `find ... -delete` deletes below its start, as a glob: from the tests of the alternative
/// that deletes (after the last `-o` before `-delete`; the prune idiom's first branch deletes
/// nothing). `-name N` is `**/N`, `-path P` is `P` anchored below the start, `-regex '.*\.EXT'`
/// is `**/*.EXT`; `None` (everything) when no such test narrows it or a negation widens it.
fn deleted(tests: &[Arg]) -> Option<String> {
    let at = tests.iter().position(|a| a.text == "-delete")?;
    let from = tests[..at]
        .iter()
        .rposition(|a| matches!(a.text.as_str(), "-o" | "-or" | ","))
        .map_or(0, |i| i + 1);
    let group = &tests[from..at];
    if group
        .iter()
        .any(|a| matches!(a.text.as_str(), "!" | "-not" | "(" | ")"))
    {
        return None;
    }
    let value = |names: &[&str]| {
        group
            .windows(2)
            .find(|w| names.contains(&w[0].text.as_str()) && w[1].exact)
            .map(|w| (w[0].text.as_str(), w[1].text.to_string()))
    };
    if let Some((test, name)) = value(&["-name", "-iname"])
        && !name.contains('/')
    {
        let name = if test == "-iname" {
            name.to_ascii_lowercase()
        } else {
            name
        };
        return Some(format!("**/{name}"));
    }
    if let Some((test, path)) = value(&["-path", "-wholename", "-ipath"]) {
        let path = if test == "-ipath" {
            path.to_ascii_lowercase()
        } else {
            path
        };
        let rest = path
            .strip_prefix("./")
            .map(str::to_string)
            .or_else(|| path.strip_prefix("*/").map(|r| format!("**/{r}")))
            .unwrap_or_else(|| format!("**/{}", path.trim_start_matches('*')));
        return Some(rest);
    }
    if let Some((_, re)) = value(&["-regex", "-iregex"])
        && let Some(ext) = re.strip_prefix(".*\\.")
        && !ext.is_empty()
        && ext.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Some(format!("**/*.{}", ext.to_ascii_lowercase()));
    }
    None
}

/// Whether an operand names nothing on disk now (`rm -rf node_modules package-lock.json` with no
/// lockfile). Only a plain path in the project counts, outside `.git`: with a `..` the kernel
/// resolves through symlinks, which the lexical path does not, and a path outside the project may
/// rest on an environment the hook does not share.
fn absent(op: &Arg, t: &Target, ctx: &GuardContext) -> bool {
    let Target::Path(p) = t else {
        return false;
    };
    op.exact
        && paths::within(p, &ctx.root)
        && p != &ctx.root
        && !paths::within(p, &ctx.root.join(".git"))
        && !Path::new(&op.text)
            .components()
            .any(|c| c == std::path::Component::ParentDir)
        && std::fs::symlink_metadata(p).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
}

/// `rsync --delete SRC DEST` deletes whatever in DEST is not in SRC: a recursive delete of DEST.
pub fn rsync(w: &mut Walker, unit: &Unit, scope: &Scope) {
    let args = unit.args();
    // `--del` is rsync's own short name for `--delete-during`.
    if !args
        .iter()
        .any(|a| a.text.starts_with("--delete") || a.text == "--del")
    {
        return;
    }
    let s = scan(
        args,
        &Spec::gnu(
            "eTBf",
            &[
                "rsh",
                "temp-dir",
                "block-size",
                "filter",
                "exclude",
                "include",
            ],
        ),
    );
    let Some(dest) = s.operands.last() else {
        return;
    };
    // A remote destination (`host:path`) is not this machine.
    if dest.text.contains(':') && !dest.text.starts_with('/') {
        return;
    }
    if let Err(why) = safe_to_delete(&target(dest, scope), w.ctx()) {
        w.report(
            Finding::deny(
                "rm-recursive-force",
                format!(
                    "`{}` deletes everything in `{}` that the source lacks, and `{}` {why}. Sync \
                     into a fresh or temporary directory, or ask the user to run it.",
                    clamp(unit.display, 200),
                    clamp(&dest.text, 120),
                    clamp(&dest.text, 120)
                ),
            )
            .with_unit(clamp(unit.display, 200)),
        );
    }
}

pub fn find(w: &mut Walker, unit: &Unit, scope: &Scope) {
    let args = unit.args();
    if !args.iter().any(|a| a.text == "-delete") {
        return;
    }
    let ctx = w.ctx();
    if ctx.subagent {
        // A name test that can match a manifest or the policy deletes it wherever it lies.
        let names = args.windows(2).filter_map(|w| {
            matches!(w[0].text.as_str(), "-name" | "-iname").then_some(w[1].text.as_str())
        });
        for n in names {
            let hit = ctx.control_files.iter().any(|c| {
                c.file_name().is_some_and(|f| {
                    super::files::wildcard(&n.to_ascii_lowercase(), &f.to_string_lossy())
                })
            });
            if hit {
                w.report(super::files::control_finding(unit.display, n));
                return;
            }
        }
    }
    let starts = crate::guard::wrappers::find_starts(args);
    // What it deletes: every entry below each start, or those of the one name it tests for (other
    // tests narrow it further, but the name decides what it can reach).
    let pattern = deleted(&args[starts.len()..]);
    // `-type d -empty`: only empty directories go, which hold nothing.
    let empty_dirs = args.iter().any(|a| a.text == "-empty")
        && args
            .windows(2)
            .any(|w| w[0].text == "-type" && w[1].text == "d");
    if empty_dirs {
        return;
    }
    let start_targets: Vec<(String, Target)> = if starts.is_empty() {
        vec![(".".to_string(), target(&Arg::known("."), scope))]
    } else {
        starts
            .iter()
            .map(|a| (a.text.to_string(), target(a, scope)))
            .collect()
    };
    for (text, t) in start_targets {
        let found = match &t {
            Target::Path(p) => Target::Glob {
                dir: p.clone(),
                pattern: pattern.clone().unwrap_or_else(|| "**".into()),
            },
            other => other.clone(),
        };
        let class = crate::guard::class::classify(&found, ctx);
        if class == crate::guard::class::Class::Disposable {
            continue;
        }
        let what = match &pattern {
            Some(p) => format!(
                "every entry matching `{}` below `{}`",
                clamp(p, 60),
                clamp(&text, 120)
            ),
            None => format!("everything below `{}`", clamp(&text, 120)),
        };
        w.report(
            Finding::deny(
                "find-delete",
                format!(
                    "`{}` deletes {what}, which is {}. Delete the specific files you mean, or ask \
                     the user to run it.",
                    clamp(unit.display, 200),
                    class.describe()
                ),
            )
            .with_unit(clamp(unit.display, 200)),
        );
        return;
    }
}

/// Why a path may never be deleted wholesale, if it may not.
pub fn never_safe(p: &Path, ctx: &GuardContext) -> Option<&'static str> {
    if p == Path::new("/") {
        return Some("is the filesystem root");
    }
    if p == ctx.root {
        return Some("is the project root");
    }
    if ctx.root.parent() == Some(p) {
        return Some("is the project's parent directory");
    }
    if ctx.home.as_deref() == Some(p) {
        return Some("is the home directory");
    }
    // The temp roots themselves (not the caches in home, which may go whole).
    let home_cache = |t: &PathBuf| ctx.home.as_deref().is_some_and(|h| t.starts_with(h));
    if ctx.temp_roots.iter().any(|t| t == p && !home_cache(t)) {
        return Some("is a temp root itself");
    }
    if paths::within(p, &ctx.root.join(".git")) {
        return Some("is the project's git repository");
    }
    None
}

/// Whether a recursive forced delete of `t` is harmless; otherwise why not.
pub fn safe_to_delete(t: &Target, ctx: &GuardContext) -> Result<(), String> {
    let p: PathBuf = match t {
        Target::Unknown => return Err("cannot be known before the command runs".into()),
        Target::Path(p) => p.clone(),
        // A glob names entries below its directory: judge a stand-in for what it matches, each
        // wildcard component replaced by a name that is nothing special.
        Target::Glob { dir, pattern } => {
            if let Some(why) = glob_hits_protected(dir, pattern, ctx) {
                return Err(why.into());
            }
            // What it matches now, each judged as itself.
            if let Some(found) = crate::guard::class::expand(dir, pattern)
                && !found.is_empty()
            {
                return found
                    .iter()
                    .try_for_each(|p| safe_to_delete(&Target::Path(p.clone()), ctx));
            }
            let mut p = dir.clone();
            for c in pattern.split('/') {
                // Before bash 5.2, `.?`, `.*` and `.[.]` also match `..`.
                p.push(if super::files::wildcard(c, "..") {
                    ".."
                } else if has_glob(c) {
                    "\u{1}glob"
                } else {
                    c
                });
            }
            paths::normalize(&p)
        }
    };
    if let Some(why) = never_safe(&p, ctx) {
        return Err(why.into());
    }
    let disposable = |q: &Path| -> bool {
        crate::guard::class::of_path(q, ctx) == crate::guard::class::Class::Disposable
            || ctx
                .temp_roots
                .iter()
                .any(|r| q == r.as_path() && ctx.home.as_deref().is_some_and(|h| r.starts_with(h)))
    };
    if !disposable(&p) {
        return Err(if paths::within(&p, &ctx.root) {
            "is project content".into()
        } else {
            "is outside the temp directories".into()
        });
    }
    // The parent chain on disk must agree (a symlinked parent could point anywhere).
    let real = paths::real(&p, Leaf::Keep);
    if real != p {
        if let Some(why) = never_safe(&real, ctx) {
            return Err(why.into());
        }
        let real_ok = if paths::within(&real, &ctx.root) {
            ctx.safe_dirs
                .iter()
                .any(|d| paths::within(&real, &paths::real(d, Leaf::Keep)))
                || crate::guard::class::regenerated(&real, &ctx.root)
        } else {
            // Only the fixed temp roots count here: a `$TMPDIR` that is itself a symlink must not
            // carry its target along.
            DEFAULT_TEMP_ROOTS.iter().any(|r| {
                let r = paths::real(Path::new(r), Leaf::Follow);
                paths::within(&real, &r) && real != r
            })
        };
        if !real_ok {
            return Err(format!("resolves through a symlink to {}", real.display()));
        }
    }
    Ok(())
}

/// A glob whose directory is the project root or home can match `.git` or everything.
fn glob_hits_protected(dir: &Path, pattern: &str, ctx: &GuardContext) -> Option<&'static str> {
    if dir != ctx.root {
        return None;
    }
    let parts: Vec<&str> = pattern.split('/').collect();
    let last = parts.last().copied().unwrap_or("");
    // `**/__pycache__` names entries called `__pycache__`; `*`, `**`, `.*` name everything.
    let named = !has_glob(last) && last != ".git" && !last.is_empty();
    let first = parts[0];
    if !named && (first.starts_with('.') || first == "*" || first == "**") {
        return Some("can match the project's .git or everything in the project");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "/nonexistent-so-hook-rm/work/p";

    /// The context of a project at `root`, home `/home/u` (whose `.cache` is a temp root too).
    fn ctx_at(root: &Path) -> GuardContext<'static> {
        GuardContext {
            cwd: root.to_path_buf(),
            home: Some(PathBuf::from("/home/u")),
            grants: None,
            grants_real: std::cell::OnceCell::new(),
            temp_roots: vec![
                PathBuf::from("/tmp"),
                PathBuf::from("/var/tmp"),
                PathBuf::from("/home/u/.cache"),
            ],
            safe_dirs: vec![root.join("node_modules"), root.join(".orchestrator/tmp")],
            root: root.to_path_buf(),
            ..Default::default()
        }
    }

    fn ctx() -> GuardContext<'static> {
        ctx_at(Path::new(ROOT))
    }

    fn in_root(rel: &str) -> PathBuf {
        Path::new(ROOT).join(rel)
    }

    fn safe(t: Target) -> Result<(), String> {
        safe_to_delete(&t, &ctx())
    }

    fn at(p: impl Into<PathBuf>) -> Target {
        Target::Path(p.into())
    }

    fn glob(dir: impl Into<PathBuf>, pattern: &str) -> Target {
        Target::Glob {
            dir: dir.into(),
            pattern: pattern.into(),
        }
    }

    #[test]
    fn never_safe_names_what_may_never_go_whole() {
        let c = ctx();
        let never = |p: &Path| never_safe(p, &c);
        assert_eq!(never(Path::new("/")), Some("is the filesystem root"));
        assert_eq!(never(Path::new(ROOT)), Some("is the project root"));
        assert_eq!(
            never(Path::new("/nonexistent-so-hook-rm/work")),
            Some("is the project's parent directory")
        );
        assert_eq!(never(Path::new("/home/u")), Some("is the home directory"));
        assert_eq!(never(Path::new("/tmp")), Some("is a temp root itself"));
        assert_eq!(never(Path::new("/var/tmp")), Some("is a temp root itself"));
        assert_eq!(
            never(&in_root(".git")),
            Some("is the project's git repository")
        );
        assert_eq!(
            never(&in_root(".git/refs/heads")),
            Some("is the project's git repository")
        );
        // A cache in home may go whole; what is below the others is not their business.
        assert_eq!(never(Path::new("/home/u/.cache")), None);
        for p in [
            in_root("src"),
            in_root("node_modules"),
            in_root(".github"),
            PathBuf::from("/tmp/build"),
            PathBuf::from("/nonexistent-so-hook-rm"),
            PathBuf::from("/usr"),
        ] {
            assert_eq!(never(&p), None, "{}", p.display());
        }
    }

    #[test]
    fn disposable_targets_are_safe_to_delete() {
        assert_eq!(safe(at("/tmp/build")), Ok(()));
        assert_eq!(safe(at("/var/tmp/a/b")), Ok(()));
        assert_eq!(safe(at(in_root("node_modules"))), Ok(()));
        assert_eq!(safe(at(in_root("node_modules/left-pad"))), Ok(()));
        assert_eq!(safe(at(in_root(".orchestrator/tmp/run-1"))), Ok(()));
        // A cache in home, and what is in it.
        assert_eq!(safe(at("/home/u/.cache")), Ok(()));
        assert_eq!(safe(at("/home/u/.cache/pip")), Ok(()));
    }

    #[test]
    fn the_rest_is_refused_with_the_reason() {
        let err = |t: Target| safe(t).unwrap_err();
        assert_eq!(
            err(Target::Unknown),
            "cannot be known before the command runs"
        );
        assert_eq!(err(at("/")), "is the filesystem root");
        assert_eq!(err(at(ROOT)), "is the project root");
        assert_eq!(
            err(at("/nonexistent-so-hook-rm/work")),
            "is the project's parent directory"
        );
        assert_eq!(err(at("/home/u")), "is the home directory");
        assert_eq!(err(at("/tmp")), "is a temp root itself");
        assert_eq!(err(at(in_root(".git"))), "is the project's git repository");
        assert_eq!(err(at(in_root("src"))), "is project content");
        assert_eq!(err(at(in_root("dist-notes"))), "is project content");
        assert_eq!(err(at("/usr/lib")), "is outside the temp directories");
        assert_eq!(
            err(at("/home/u/projects")),
            "is outside the temp directories"
        );
    }

    #[test]
    fn globs_are_judged_by_what_they_can_match() {
        let err = |t: Target| safe(t).unwrap_err();
        // At the root, `*` and `.*` reach `.git` and everything.
        for pattern in ["*", ".*", "**", ".[!.]*", "*/*"] {
            assert_eq!(
                err(glob(ROOT, pattern)),
                "can match the project's .git or everything in the project",
                "{pattern}"
            );
        }
        // A named entry below the root is judged as that entry.
        assert_eq!(err(glob(ROOT, "**/src")), "is project content");
        assert_eq!(err(glob(ROOT, "*/x")), "is project content");
        assert_eq!(err(glob(in_root("src"), "*.rs")), "is project content");
        assert_eq!(safe(glob(in_root("node_modules"), "*")), Ok(()));
        // `.*` below a temp directory also matches `..` (before bash 5.2): the temp root itself.
        let gone = format!("/tmp/so-hook-rm-absent-{}", std::process::id());
        assert_eq!(err(glob(&gone, ".*")), "is a temp root itself");
        assert_eq!(safe(glob(&gone, "*.log")), Ok(()));
    }

    #[test]
    fn a_symlinked_parent_cannot_carry_the_delete_into_the_project() {
        let base = std::env::temp_dir().join(format!("so-hook-rm-link-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(base.join("proj/src/lib")).unwrap();
        std::fs::create_dir_all(base.join("scratch")).unwrap();
        let base = std::fs::canonicalize(&base).unwrap();
        let root = base.join("proj");
        std::os::unix::fs::symlink(root.join("src"), base.join("scratch/link")).unwrap();
        let mut c = ctx_at(&root);
        c.temp_roots.push(base.join("scratch"));
        assert_eq!(safe_to_delete(&at(base.join("scratch/other")), &c), Ok(()));
        // The link itself is the link (its parent is real); below it is the project's src/.
        assert_eq!(safe_to_delete(&at(base.join("scratch/link")), &c), Ok(()));
        assert_eq!(
            safe_to_delete(&at(base.join("scratch/link/lib")), &c),
            Err(format!(
                "resolves through a symlink to {}",
                root.join("src/lib").display()
            ))
        );
        std::fs::remove_dir_all(&base).unwrap();
    }
}
