//! Path arithmetic shared by the scope guard and the command rules.

use std::path::{Component, Path, PathBuf};

/// The system's temp directories.
pub const DEFAULT_TEMP_ROOTS: &[&str] = &["/tmp", "/var/tmp"];

/// Top-level directories of the system: a recursive permission change there breaks the machine,
/// and a wave may not be granted one.
pub const SYSTEM_DIRS: &[&str] = &[
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/home",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/opt",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/srv",
    "/sys",
    "/usr",
    "/var",
    "/snap",
    "/mnt",
    "/media",
    "/Users",
    "/System",
    "/Library",
    "/Applications",
    "/private",
    "/Volumes",
];

/// A text file's content when it is at most `max` bytes (`None` when it is larger, not UTF-8 or
/// cannot be read): what the guard reads of a project's own files (build files, scripts, SQL).
pub fn read_capped(p: &Path, max: usize) -> Option<String> {
    let f = std::fs::File::open(p).ok()?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::Read::take(f, max as u64 + 1), &mut text).ok()?;
    (text.len() <= max).then_some(text)
}

/// Resolves `.` and `..` without touching the filesystem. `..` above the root stays at the root.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => out.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() && !p.is_absolute() {
                    out.push("..");
                }
                if out.as_os_str().is_empty() && p.is_absolute() {
                    out.push("/");
                }
            }
            Component::Normal(s) => out.push(s),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(if p.is_absolute() { "/" } else { "." });
    }
    out
}

/// `p` made absolute against `base`, then normalized.
pub fn absolute(base: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        normalize(p)
    } else {
        normalize(&base.join(p))
    }
}

/// How far [`real`] follows symlinks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Leaf {
    /// Follow a symlink in the last component too (a write through it lands at its target).
    Follow,
    /// Resolve only the parent chain (`rm` of a symlink removes the link, not its target).
    Keep,
}

thread_local! {
    /// `canonicalize` results while a [`Snapshot`] is held.
    static CANONICAL: std::cell::RefCell<Option<std::collections::BTreeMap<PathBuf, Option<PathBuf>>>> =
        const { std::cell::RefCell::new(None) };
}

/// While held, the file system is taken as not changing: each directory is canonicalized once (a
/// 50-file patch under one directory asks the kernel about that directory once, not 50 times).
/// Held for the length of one decision; dropped, it forgets everything.
pub struct Snapshot {
    outer: bool,
}

impl Snapshot {
    pub fn take() -> Snapshot {
        let outer = CANONICAL.with(|c| {
            let mut c = c.borrow_mut();
            let fresh = c.is_none();
            if fresh {
                *c = Some(std::collections::BTreeMap::new());
            }
            fresh
        });
        Snapshot { outer }
    }
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        if self.outer {
            CANONICAL.with(|c| *c.borrow_mut() = None);
        }
    }
}

/// A path canonicalized earlier in this decision.
fn remembered(p: &Path) -> Option<PathBuf> {
    CANONICAL.with(|c| {
        c.borrow()
            .as_ref()
            .and_then(|m| m.get(p).cloned().flatten())
    })
}

/// `std::fs::canonicalize`, remembered while a [`Snapshot`] is held.
pub fn canonical(p: &Path) -> Option<PathBuf> {
    let cached = CANONICAL.with(|c| c.borrow().as_ref().map(|m| m.get(p).cloned()));
    match cached {
        Some(Some(hit)) => hit,
        Some(None) => {
            let r = std::fs::canonicalize(p).ok();
            CANONICAL.with(|c| {
                if let Some(m) = c.borrow_mut().as_mut() {
                    m.insert(p.to_path_buf(), r.clone());
                }
            });
            r
        }
        None => std::fs::canonicalize(p).ok(),
    }
}

/// The real location of an absolute path: symlinks resolved through the longest existing ancestor,
/// with the missing tail re-attached. A dangling symlink is followed to where it points.
pub fn real(p: &Path, leaf: Leaf) -> PathBuf {
    // Longer than PATH_MAX: the kernel refuses it before looking at any link, and walking it up
    // one component at a time would cost a syscall per component.
    if p.as_os_str().len() > PATH_MAX {
        return p.to_path_buf();
    }
    let mut hops = 40u32;
    let mut follow = leaf == Leaf::Follow;
    let mut cur = p.to_path_buf();
    // Components below `cur` to re-attach, the deepest first.
    let mut tail: Vec<std::ffi::OsString> = Vec::new();
    let base = loop {
        let (Some(parent), Some(name)) = (cur.parent(), cur.file_name()) else {
            break canonical(&cur).unwrap_or(cur);
        };
        // A directory already resolved in this decision; else one lstat tells an entry that
        // exists (canonicalized, and remembered) from a symlink and from nothing at all.
        if follow && let Some(c) = remembered(&cur) {
            break c;
        }
        if follow && std::fs::symlink_metadata(&cur).is_ok() {
            if let Some(c) = canonical(&cur) {
                break c;
            }
            if hops > 0
                && let Ok(target) = std::fs::read_link(&cur)
            {
                // A dangling (or looping) symlink: writing through it creates its target.
                hops -= 1;
                cur = absolute(parent, &target);
                continue;
            }
        }
        tail.push(name.to_owned());
        cur = parent.to_path_buf();
        follow = true;
    };
    let mut out = base;
    for name in tail.iter().rev() {
        out.push(name);
    }
    out
}

/// The longest path Linux resolves (`PATH_MAX`, including the terminating NUL).
const PATH_MAX: usize = 4096;

/// `p` is `base` or below it (component-wise, so `/a/bc` is not below `/a/b`).
pub fn within(p: &Path, base: &Path) -> bool {
    p.starts_with(base)
}

/// `p` relative to `base` as a `/`-separated string, when `p` is inside `base`.
pub fn relative(p: &Path, base: &Path) -> Option<String> {
    let rest = p.strip_prefix(base).ok()?;
    let mut out = String::new();
    for c in rest.components() {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(&c.as_os_str().to_string_lossy());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_resolves_dots_lexically() {
        assert_eq!(normalize(Path::new("/a/b/../c/./d")), Path::new("/a/c/d"));
        assert_eq!(normalize(Path::new("/../../etc")), Path::new("/etc"));
        assert_eq!(normalize(Path::new("/a/..")), Path::new("/"));
        assert_eq!(normalize(Path::new("a/../../b")), Path::new("../b"));
    }

    #[test]
    fn within_is_component_wise() {
        assert!(within(Path::new("/a/b/c"), Path::new("/a/b")));
        assert!(within(Path::new("/a/b"), Path::new("/a/b")));
        assert!(!within(Path::new("/a/bc"), Path::new("/a/b")));
    }

    #[test]
    fn relative_joins_with_slashes() {
        assert_eq!(
            relative(Path::new("/r/src/a.rs"), Path::new("/r")).as_deref(),
            Some("src/a.rs")
        );
        assert_eq!(
            relative(Path::new("/r"), Path::new("/r")).as_deref(),
            Some("")
        );
        assert_eq!(relative(Path::new("/x"), Path::new("/r")), None);
    }

    #[test]
    fn real_reattaches_missing_tail_and_follows_dangling_links() {
        let dir = std::env::temp_dir().join(format!("so-hook-paths-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("in")).unwrap();
        let dir = std::fs::canonicalize(&dir).unwrap();
        let missing = dir.join("in/new/deeper/file.txt");
        assert_eq!(real(&missing, Leaf::Follow), missing);
        std::os::unix::fs::symlink("/nonexistent-so-hook/target", dir.join("in/dangling")).unwrap();
        assert_eq!(
            real(&dir.join("in/dangling"), Leaf::Follow),
            Path::new("/nonexistent-so-hook/target")
        );
        assert_eq!(
            real(&dir.join("in/dangling"), Leaf::Keep),
            dir.join("in/dangling")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
