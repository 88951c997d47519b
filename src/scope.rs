//! The edit scope: whether a file an edit tool touches lies within the wave's `allowedPaths`.
//!
//! Paths are resolved the way the write will land: relative paths against the project root, `..`
//! normalized lexically, then symlinks resolved through the longest existing ancestor (a symlink in
//! the last component is followed too, dangling or not). When the raw path climbs with `..` through
//! a symlink, the kernel's reading is judged as well; both must be allowed.
//!
//! Patterns (project-relative): `dir/` is everything under `dir`; `*` is one path segment; `**` is any
//! depth (`**/` may match no directory); anything else is an exact path. `?`, `[`, `{` are literal.
//! An absolute entry grants its own subtree, inside or outside the project. Matching uses `globset`:
//! it compiles all patterns into one matcher that sorts them by shape (literal, prefix, suffix,
//! regex), which keeps a 10,000-pattern manifest cheap.

use crate::paths::{self, Leaf};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::path::{Component, Path, PathBuf};

/// A manifest's `allowedPaths`, compiled.
#[derive(Debug)]
pub struct AllowedPaths {
    set: GlobSet,
    absolute: Vec<PathBuf>,
}

/// Our pattern language as globset globs (one pattern may need two globs).
fn translate(pattern: &str) -> Vec<String> {
    let mut p = pattern.trim();
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    if p.is_empty() {
        return Vec::new();
    }
    let mut escaped = String::with_capacity(p.len() + 4);
    for c in p.chars() {
        if matches!(c, '?' | '[' | ']' | '{' | '}' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    if escaped.ends_with('/') {
        escaped.push_str("**");
    }
    // `**` glued to other characters in a segment (`src/**.ts`) means any depth there: offer the
    // zero-depth form (`src/*.ts`) and the deep form (`src/*/**/*.ts`).
    let segs: Vec<&str> = escaped.split('/').collect();
    if let Some(i) = segs.iter().position(|s| s.contains("**") && *s != "**") {
        let shallow: Vec<String> = segs
            .iter()
            .map(|s| {
                if *s == "**" {
                    s.to_string()
                } else {
                    collapse(s)
                }
            })
            .collect();
        let (head, tail) = segs[i].split_once("**").unwrap_or((segs[i], ""));
        let mut deep: Vec<String> = segs[..i].iter().map(|s| collapse(s)).collect();
        deep.push(format!("{}*", collapse(head)));
        deep.push("**".into());
        deep.push(format!("*{}", collapse(tail)));
        deep.extend(segs[i + 1..].iter().map(|s| {
            if *s == "**" {
                s.to_string()
            } else {
                collapse(s)
            }
        }));
        return vec![shallow.join("/"), deep.join("/")];
    }
    vec![escaped]
}

/// Collapses runs of `*` within a segment to one.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !(c == '*' && out.ends_with('*')) {
            out.push(c);
        }
    }
    out
}

impl AllowedPaths {
    /// Compiles patterns; an entry that cannot be compiled is reported, not skipped.
    pub fn new(patterns: &[String]) -> Result<AllowedPaths, String> {
        let mut b = GlobSetBuilder::new();
        let mut absolute = Vec::new();
        for pat in patterns {
            if pat.starts_with('/') {
                absolute.push(paths::normalize(Path::new(pat)));
                continue;
            }
            for g in translate(pat) {
                let glob = GlobBuilder::new(&g)
                    .literal_separator(true)
                    .backslash_escape(true)
                    .build()
                    .map_err(|e| format!("allowedPaths entry `{pat}`: {e}"))?;
                b.add(glob);
            }
        }
        let set = b.build().map_err(|e| format!("allowedPaths: {e}"))?;
        Ok(AllowedPaths { set, absolute })
    }

    /// A project-relative path (with `/` separators) matches a pattern.
    pub fn matches(&self, rel: &str) -> bool {
        self.set.is_match(rel)
    }

    /// An absolute grant covers `p`.
    pub fn granted(&self, p: &Path) -> bool {
        self.absolute.iter().any(|g| {
            paths::within(p, g) || {
                let real = paths::real(g, Leaf::Follow);
                real != *g && paths::within(p, &real)
            }
        })
    }
}

/// Where an edit of `raw` lands: every reading that must be allowed (usually one).
pub fn resolve(raw: &str, root: &Path) -> Vec<PathBuf> {
    let p = Path::new(raw);
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        root.join(p)
    };
    let lexical = paths::normalize(&joined);
    let mut out = vec![paths::real(&lexical, Leaf::Follow)];
    if joined.components().any(|c| c == Component::ParentDir) {
        let kernel = paths::normalize(&paths::real(&joined, Leaf::Follow));
        if !out.contains(&kernel) {
            out.push(kernel);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(patterns: &[&str]) -> AllowedPaths {
        AllowedPaths::new(&patterns.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn directory_prefix_covers_everything_below() {
        let a = allowed(&["src/"]);
        assert!(a.matches("src/a.rs"));
        assert!(a.matches("src/deep/er/a.rs"));
        assert!(!a.matches("srcx/a.rs"));
        assert!(!a.matches("docs/a.md"));
    }

    #[test]
    fn star_is_one_segment_and_double_star_any_depth() {
        let a = allowed(&["src/*.rs"]);
        assert!(a.matches("src/a.rs"));
        assert!(!a.matches("src/x/a.rs"));
        let a = allowed(&["tests/**"]);
        assert!(a.matches("tests/a/b/c.rs"));
        let a = allowed(&["**/*.md"]);
        assert!(a.matches("README.md"));
        assert!(a.matches("docs/x/y.md"));
        let a = allowed(&["src/**/mod.rs"]);
        assert!(a.matches("src/mod.rs"));
        assert!(a.matches("src/a/b/mod.rs"));
    }

    #[test]
    fn glued_double_star_spans_depth() {
        let a = allowed(&["src/**.ts"]);
        assert!(a.matches("src/a.ts"));
        assert!(a.matches("src/x/y/a.ts"));
        assert!(!a.matches("lib/a.ts"));
    }

    #[test]
    fn exact_paths_and_literal_metacharacters() {
        let a = allowed(&["Cargo.toml", "docs/[draft]?.md", "./README.md"]);
        assert!(a.matches("Cargo.toml"));
        assert!(!a.matches("Cargo.lock"));
        assert!(a.matches("docs/[draft]?.md"));
        assert!(!a.matches("docs/d1.md"));
        assert!(a.matches("README.md"));
    }

    #[test]
    fn matching_is_case_sensitive() {
        assert!(!allowed(&["src/"]).matches("SRC/a.rs"));
    }

    #[test]
    fn empty_list_matches_nothing() {
        let a = allowed(&[]);
        assert!(!a.matches("a"));
        assert!(!a.matches(""));
    }

    #[test]
    fn absolute_grants_cover_their_subtree_only() {
        let a = allowed(&["/opt/shared/"]);
        assert!(a.granted(Path::new("/opt/shared/x/y")));
        assert!(a.granted(Path::new("/opt/shared")));
        assert!(!a.granted(Path::new("/opt/sharedx")));
        assert!(!a.matches("opt/shared/x"));
    }
}
