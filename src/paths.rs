//! Path arithmetic shared by the scope guard and the command rules.

use std::path::{Component, Path, PathBuf};

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
            break std::fs::canonicalize(&cur).unwrap_or(cur);
        };
        if follow {
            if let Ok(c) = std::fs::canonicalize(&cur) {
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
