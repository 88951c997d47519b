//! Files the guard protects from the shell: truncation of agent instruction files, `SECURITY.md`,
//! `.git`, the wave manifests and the policy (always), writes to block devices, and any change to
//! the manifests and the policy by a subagent (the control plane).

use crate::guard::shell::RedirOp;
use crate::guard::{Arg, GuardContext, Scope, Target, Walker, target};
use crate::hook::decision::{Finding, clamp};
use crate::project::paths::{self, Leaf};
use std::path::{Path, PathBuf};

use super::system::is_block_device;

/// Agent instruction and policy files, protected wherever they are (with this exact spelling).
const PROTECTED_NAMES: &[(&str, &str)] = &[
    ("CLAUDE.md", "an agent instruction file"),
    ("CLAUDE.local.md", "an agent instruction file"),
    ("AGENTS.md", "an agent instruction file"),
    ("SECURITY.md", "the security policy"),
];

/// How a command touches a file it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Effect {
    /// Its old content is gone: `>`, `tee`, `truncate`, `sort -o`, `cp` onto it.
    Truncates,
    /// Changed or added to in place: `>>`, `sed -i`, `touch`, `chmod`.
    Changes,
    /// Removed or changed, with everything below it when `below` (`rm -r`, `chmod -R`,
    /// `git checkout -- dir`).
    Removes { below: bool },
    /// Taken away whole, everything below included (`mv` sources, `tar --remove-files`): for `/`,
    /// home, the project or `.git`, as good as a recursive delete.
    TakesAway,
    /// Deleted, with everything below it when `below`: `rm`, `unlink`, `srm`.
    Deletes { below: bool },
    /// Its mode, owner or group changed, everything below it too when `below`: `chmod`, `chown`.
    Modes { below: bool },
    /// Made or touched, nothing lost: `mkdir`, `touch`, `rmdir` (of an empty directory).
    Creates,
    /// What an archive holds lands below it, over whatever is there (`tar -x -C DIR`, `unzip -d`).
    Unpacks,
}

impl Effect {
    /// Whether the effect reaches everything below a directory.
    pub fn below(self) -> bool {
        matches!(
            self,
            Effect::Removes { below: true }
                | Effect::TakesAway
                | Effect::Deletes { below: true }
                | Effect::Modes { below: true }
                | Effect::Unpacks
        )
    }
}

/// Why `p` may not be truncated, if it may not.
pub fn protected(p: &Path, ctx: &GuardContext) -> Option<&'static str> {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    // Exact spelling anywhere in the project or home; any case at the root (which is the same file
    // on a case-insensitive filesystem).
    let at_root = p.parent() == Some(ctx.root.as_path());
    let ours =
        paths::within(p, &ctx.root) || ctx.home.as_deref().is_some_and(|h| paths::within(p, h));
    for (n, what) in PROTECTED_NAMES.iter().filter(|_| ours) {
        if name == *n || (at_root && name.eq_ignore_ascii_case(n)) {
            return Some(what);
        }
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

/// Why a glob may reach a protected file, if it may.
fn protected_glob(dir: &Path, pattern: &str, ctx: &GuardContext) -> Option<&'static str> {
    if pattern.split('/').any(|c| c == "**") {
        // Anything below `dir`: an instruction file can be anywhere in the project.
        return (paths::within(dir, &ctx.root) || paths::within(&ctx.root, dir))
            .then_some("an agent instruction file");
    }
    if pattern.contains('/') {
        return None;
    }
    // The glob expands to what is there: judge the entries it matches.
    if let Ok(entries) = crate::guard::listing::names(dir) {
        return entries
            .iter()
            .filter(|name| wildcard(pattern, name))
            .find_map(|name| protected(&dir.join(name), ctx));
    }
    let at_root = dir == ctx.root;
    for (n, what) in PROTECTED_NAMES {
        let hit = wildcard(pattern, n)
            || (at_root && wildcard(&pattern.to_ascii_lowercase(), &n.to_ascii_lowercase()));
        if hit {
            return Some(what);
        }
    }
    protected(&dir.join("\u{1}"), ctx).filter(|_| {
        // Every entry of `.git/` or a rules directory is protected.
        dir != ctx.root
    })
}

/// A wave manifest or the policy file (compared without case: macOS and Windows fold it).
pub fn is_control(p: &Path, ctx: &GuardContext) -> bool {
    crate::project::Project::is_control(p, &ctx.control_files)
}

/// Whether touching `t` can change the user's approvals store: a path in it (by its name or by
/// where its links lead, whatever the effect), one of its own directories below home (moving one
/// away and linking another in its place, or copying a tree over it), or a glob that can match
/// either.
fn touches_store(t: &Target, store: &Path, real_store: &Path, home: Option<&Path>) -> bool {
    let stores = [store, real_store];
    // A directory between home and the store.
    let holds_store = |p: &Path| {
        home.is_some_and(|h| paths::within(p, h) && p != h)
            && stores.iter().any(|s| paths::within(s, p))
    };
    let reaches = |p: &Path| stores.iter().any(|s| paths::within(p, s)) || holds_store(p);
    match t {
        Target::Unknown => false,
        Target::Path(p) => reaches(p) || reaches(&paths::real(p, Leaf::Follow)),
        Target::Glob { dir, pattern } => {
            if reaches(dir) || reaches(&paths::real(dir, Leaf::Follow)) {
                return true;
            }
            // The glob's first segment may match the next directory on the way to the store,
            // from home down (`/*` and `~/*` are judged as what they are, wider than this).
            let first = pattern.split('/').next().unwrap_or_default();
            let below_home = home.is_some_and(|h| paths::within(dir, h) && dir != h);
            below_home
                && stores.iter().any(|s| {
                    paths::relative(s, dir)
                        .and_then(|rel| rel.split('/').next().map(str::to_string))
                        .is_some_and(|next| wildcard(first, &next))
                })
        }
    }
}

/// Whether touching `t` reaches a control file: the file itself, or (when the effect reaches below
/// a directory) a directory holding it; a glob when it can match either.
fn touches_control(t: &Target, below: bool, ctx: &GuardContext) -> bool {
    let lower = |p: &Path| p.to_string_lossy().to_ascii_lowercase();
    match t {
        Target::Unknown => false,
        Target::Path(p) => ctx.control_files.iter().any(|c| {
            let (c, p) = (lower(c), lower(p));
            c == p
                || (below
                    && p != "/"
                    && c.starts_with(&p)
                    && c.as_bytes().get(p.len()) == Some(&b'/'))
        }),
        Target::Glob { dir, pattern } => ctx.control_files.iter().any(|c| {
            let Some(rest) = paths::relative(c, dir) else {
                return false;
            };
            let (mut r, mut g) = (rest.split('/'), pattern.split('/'));
            loop {
                match (r.next(), g.next()) {
                    (_, Some("**")) => return true,
                    (Some(rc), Some(gc)) => {
                        if !wildcard(&gc.to_ascii_lowercase(), &rc.to_ascii_lowercase()) {
                            return false;
                        }
                    }
                    // The glob names a directory above the control file.
                    (Some(_), None) => return below,
                    (None, None) => return true,
                    (None, Some(_)) => return false,
                }
            }
        }),
    }
}

/// Shell pattern matching of one path component: `*`, `?`, `[...]` (the segment matcher of the
/// `allowedPaths` language); a leading dot must be matched explicitly, as the shell's globs do.
pub fn wildcard(pattern: &str, name: &str) -> bool {
    if name.starts_with('.') && !pattern.starts_with('.') {
        return false;
    }
    crate::project::scope::segment(pattern, name)
}

fn truncate_finding(display: &str, what: &str, path: &str) -> Finding {
    Finding::deny(
        "truncate-protected",
        format!(
            "`{}` empties or overwrites `{}`, which is {what}. Append with `>>`, or edit the file \
             with the edit tool so the change can be reviewed.",
            clamp(display, 200),
            clamp(path, 120)
        ),
    )
    .with_unit(clamp(display, 200))
}

pub fn control_finding(display: &str, path: &str) -> Finding {
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

/// A command writing where the user's one-time approvals are kept.
pub fn store_finding(display: &str, path: &str) -> Finding {
    Finding::deny(
        crate::hook::grants::RULE,
        format!(
            "`{}` writes `{}`, where the user's one-time approvals of denied commands are kept; \
             only the user grants them, from a terminal. Ask the user if a command was denied \
             wrongly.",
            clamp(display, 200),
            clamp(path, 120)
        ),
    )
    .with_unit(clamp(display, 200))
}

fn disk_finding(display: &str, device: &Path) -> Finding {
    Finding::deny(
        "disk-write",
        format!(
            "`{}` writes straight to the device `{}`, destroying what is on it. Write to an image \
             file instead, or ask the user to run it.",
            clamp(display, 200),
            device.display()
        ),
    )
    .with_unit(clamp(display, 200))
}

/// Judges one file a command touches.
pub(super) fn touched(w: &mut Walker, t: &Target, shown: &str, effect: Effect, display: &str) {
    // The same file with the same effect was judged before in this decision (a loop pass, a
    // function called again, the file named again further on): its finding, if any, is in.
    // Guesses at unknown command names are not remembered: the write scope does not hold them.
    if !w.guessing() && !w.first_write_judgement(effect, t) {
        return;
    }
    let ctx = w.ctx();
    let writes = matches!(effect, Effect::Truncates | Effect::Changes);
    // A symlink carries a write to its target: judge both names.
    let mut paths: Vec<PathBuf> = Vec::new();
    if let Target::Path(p) = t {
        paths.push(p.clone());
        if writes {
            let real = paths::real(p, Leaf::Follow);
            if real != *p {
                paths.push(real);
            }
        }
    }
    if writes && let Some(dev) = paths.iter().find(|p| is_block_device(p)) {
        w.report(disk_finding(display, dev));
        return;
    }
    // A glob under /dev can match any disk.
    if writes
        && let Target::Glob { dir, .. } = t
        && paths::within(dir, Path::new("/dev"))
    {
        w.report(disk_finding(display, dir));
        return;
    }
    // The user's one-time approvals are the user's alone (contract 3.3), whoever calls.
    if let Some(store) = &ctx.grants
        && touches_store(
            t,
            store,
            ctx.grants_real
                .get_or_init(|| paths::real(store, Leaf::Follow)),
            ctx.home.as_deref(),
        )
    {
        w.report(store_finding(display, shown));
        return;
    }
    let below = effect.below();
    if ctx.subagent && touches_control(t, below, ctx) {
        w.report(control_finding(display, shown));
        return;
    }
    // Moving or archiving away `/`, home, the project or `.git` is as good as deleting it.
    if effect == Effect::TakesAway
        && let Target::Path(p) = t
        && let Some(why) = super::rm::never_safe(p, ctx)
    {
        w.report(
            Finding::deny(
                "rm-recursive-force",
                format!(
                    "`{}` takes `{shown}` away, and it {why}. Work on copies of the files you \
                     need, or ask the user to run it.",
                    clamp(display, 200)
                ),
            )
            .with_unit(clamp(display, 200)),
        );
        return;
    }
    if effect == Effect::Truncates
        && let Some(what) = truncated_protected(t, &paths, ctx)
    {
        w.report(truncate_finding(display, what, shown));
        return;
    }
    super::effects::judge(w, t, effect, shown, display);
    super::writes::judge(w, t, effect, shown, display);
}

/// Why emptying `t` (whose names are `paths`) would lose a protected file, if it would.
fn truncated_protected(t: &Target, paths: &[PathBuf], ctx: &GuardContext) -> Option<&'static str> {
    match t {
        Target::Glob { dir, pattern } => protected_glob(dir, pattern, ctx),
        // A file that is not there yet (in any case) is created, not emptied. The name test is
        // pure and almost always fails, so it goes before the directory scan.
        _ => paths
            .iter()
            .find_map(|p| protected(p, ctx).filter(|_| exists_any_case(p))),
    }
}

/// The file exists, also under another case of its name (the same file on a case-insensitive
/// filesystem).
fn exists_any_case(p: &Path) -> bool {
    if std::fs::symlink_metadata(p).is_ok() {
        return true;
    }
    let (Some(dir), Some(name)) = (p.parent(), p.file_name()) else {
        return false;
    };
    let name = name.to_string_lossy();
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().eq_ignore_ascii_case(&name))
    })
}

/// A path operand, with a stand-in for a value that only a default gives (`${F:-CLAUDE.md}`): for
/// protection, the default is what to judge.
pub(super) fn operand(arg: &Arg, scope: &Scope) -> Target {
    // `/dev/sd$X`: a device whatever the unknown part is; judge the known prefix.
    if !arg.exact
        && let Some(prefix) = arg
            .text
            .split('$')
            .next()
            .filter(|p| p.starts_with("/dev/") && p.len() > 5)
    {
        return Target::Path(PathBuf::from(prefix));
    }
    match target(arg, scope) {
        Target::Unknown if !arg.exact && !arg.text.contains('$') && !arg.text.is_empty() => {
            target(&Arg::known(arg.text.clone()), scope)
        }
        t => t,
    }
}

/// A redirection (or a wrapper's output file, like `time -o`).
pub fn redirect(w: &mut Walker, op: RedirOp, arg: &Arg, scope: &Scope, display: &str) {
    let effect = if op.truncates() {
        Effect::Truncates
    } else {
        Effect::Changes
    };
    touched(w, &operand(arg, scope), &arg.text, effect, display);
}

#[cfg(test)]
mod tests {
    use super::wildcard;

    #[test]
    fn wildcard_follows_shell_rules() {
        assert!(wildcard("*.json", "wave-scope.json"));
        assert!(wildcard("wave-?cope.json", "wave-scope.json"));
        assert!(wildcard("[vw]ave*", "wave-scope.json"));
        assert!(wildcard("[!a]ave*", "wave-scope.json"));
        assert!(!wildcard("*", ".claude"));
        assert!(wildcard(".*", ".claude"));
        assert!(wildcard(".c*", ".claude"));
        assert!(!wildcard("*.md", "wave-scope.json"));
        assert!(wildcard("C*.md", "CLAUDE.md"));
        assert!(wildcard("CLAUDE.m?", "CLAUDE.md"));
        assert!(wildcard("*a*b*c", "xaybzc"));
        assert!(!wildcard("*a*b*c", "xaybz"));
    }

    #[test]
    fn wildcard_with_many_stars_finishes() {
        // Backtracking matchers take exponential time here; this one is linear per star.
        let pattern = format!("{}b", "*a".repeat(40));
        assert!(!wildcard(&pattern, &"a".repeat(5000)));
    }
}
