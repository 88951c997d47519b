//! Shell writes held to the wave scope (`gates.bash-write-guard`, on by default in a strict wave).
//!
//! During a wave, a command that writes, moves, deletes or truncates a file outside the wave's
//! `allowedPaths` (a redirection, `tee`, a `cp`/`mv` destination, `sed -i`, `touch`, `mkdir`,
//! `rm`, `dd of=`, `git checkout -- path`, ...: every file [`super::files`] finds a command
//! touching) is answered like an edit of that file: denied in a strict wave, a warning in a warn
//! wave. A target that only running the command would tell (`> "$OUT"`, a substitution) is a
//! warning. Disposable places are always open: devices that are not disks, the temp roots and the
//! user's caches, the project's disposable directories (`node_modules`, `.orchestrator/tmp`, the
//! policy's `safeDirs`) and the directories tools regenerate.

use super::files::Effect;
use crate::guard::{GuardContext, Target, Walker, WriteScope};
use crate::hook::decision::{Finding, Verdict, clamp};
use crate::project::paths::{self, Leaf};
use std::path::{Path, PathBuf};

pub const RULE: &str = "shell-write-scope";

/// Judges one file a command touches against every wave that holds shell writes.
pub fn judge(w: &mut Walker, t: &Target, effect: Effect, shown: &str, display: &str) {
    let ctx = w.ctx();
    // `$DOCKER rm -f app` read as `rm` is a guess, too loose to hold writes to a scope.
    let Some(first) = ctx.write_scopes.first().filter(|_| !w.guessing()) else {
        return;
    };
    let below = effect.below();
    let names: Vec<PathBuf> = match t {
        // `/dev/stderr` leads to a terminal or a pipe: a name under /dev is judged as given.
        Target::Path(p) if paths::within(p, Path::new("/dev")) => return,
        Target::Path(p) => readings(p, effect),
        Target::Glob { dir, pattern } => match expand(dir, pattern) {
            Some(found) => found.iter().flat_map(|p| readings(p, effect)).collect(),
            None if disposable(dir, ctx) => return,
            None => return w.report(unresolved(first, shown, display)),
        },
        Target::Unknown => return w.report(unresolved(first, shown, display)),
    };
    for scope in &ctx.write_scopes {
        if let Some(p) = names.iter().find(|p| !covered(scope, p, below, ctx)) {
            w.report(outside(scope, p, display, ctx));
            return;
        }
    }
}

/// The names a write to `p` lands under: `p`, and where its symlinks lead (the last one too for a
/// write into the file; only its directories for a removal, which takes the link itself).
fn readings(p: &Path, effect: Effect) -> Vec<PathBuf> {
    let leaf = match effect {
        Effect::Truncates
        | Effect::Changes
        | Effect::Creates
        | Effect::Modes { .. }
        | Effect::Unpacks => Leaf::Follow,
        Effect::Removes { .. } | Effect::TakesAway | Effect::Deletes { .. } => Leaf::Keep,
    };
    let real = paths::real(p, leaf);
    if real == p {
        vec![p.to_path_buf()]
    } else {
        vec![p.to_path_buf(), real]
    }
}

/// What a one-component glob matches now (bash leaves an unmatched glob as it is: then the
/// literal name); `None` for a glob across directories, which is not expanded here.
fn expand(dir: &Path, pattern: &str) -> Option<Vec<PathBuf>> {
    let mut found = crate::guard::class::expand(dir, pattern)?;
    if found.is_empty() {
        found.push(dir.join(pattern));
    }
    Some(found)
}

/// Places whose contents are disposable, open to every wave.
fn disposable(p: &Path, ctx: &GuardContext) -> bool {
    // Block devices were judged before (disk-write); the rest of /dev is /dev/null and the like.
    // A temp root holds disposable files, but not a project that lives there.
    paths::within(p, Path::new("/dev"))
        || (!paths::within(p, &ctx.root) && ctx.temp_roots.iter().any(|t| paths::within(p, t)))
        || ctx.safe_dirs.iter().any(|d| paths::within(p, d))
        || crate::guard::class::regenerated_dir(p, &ctx.root)
}

/// Whether the wave may change `p` (and, for a recursive effect on a directory, all below it).
fn covered(scope: &WriteScope, p: &Path, below: bool, ctx: &GuardContext) -> bool {
    if disposable(p, ctx) || scope.allowed.granted(p) {
        return true;
    }
    let Some(rel) = paths::relative(p, &ctx.root) else {
        return false;
    };
    if !ctx.subagent && crate::project::manifest::coordinator_file(&rel) {
        return true;
    }
    let itself = !rel.is_empty() && scope.allowed.matches(&rel);
    if itself && !below {
        return true;
    }
    // A directory (one stat, made only now): a stand-in for any entry below it, which a pattern
    // takes only if it takes everything there; a recursive effect needs that.
    if !p.is_dir() {
        return itself;
    }
    let child = if rel.is_empty() {
        "\u{1}".to_string()
    } else {
        format!("{rel}/\u{1}")
    };
    scope.allowed.matches(&child)
}

fn outside(scope: &WriteScope, p: &Path, display: &str, ctx: &GuardContext) -> Finding {
    let m = scope.manifest;
    let shown = match paths::relative(p, &ctx.root) {
        Some(rel) if !rel.is_empty() => format!("`{}`", clamp(&rel, 160)),
        Some(_) => "the project root".to_string(),
        None => format!("`{}`", clamp(&p.display().to_string(), 160)),
    };
    Finding::new(
        m.verdict(),
        RULE,
        format!(
            "`{}` changes {shown}, outside the scope of {}, which may change: {} (per {}). Keep \
             to the files your task names, or report back to the coordinator that this file needs \
             changing.",
            clamp(display, 200),
            m.label(),
            m.scope_summary(),
            scope.source.display()
        ),
    )
    .with_unit(clamp(display, 200))
}

fn unresolved(scope: &WriteScope, shown: &str, display: &str) -> Finding {
    Finding::new(
        Verdict::Warn,
        RULE,
        format!(
            "`{}` changes `{}`, which cannot be resolved before it runs; {} may change only: {} \
             (per {}). Make sure it lands inside that scope.",
            clamp(display, 200),
            clamp(shown, 120),
            scope.manifest.label(),
            scope.manifest.scope_summary(),
            scope.source.display()
        ),
    )
    .with_unit(clamp(display, 200))
}
