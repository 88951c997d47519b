//! The edit scope: whether a file an edit tool touches lies within the wave's `allowedPaths`.
//!
//! Paths are resolved the way the write will land: relative paths against the project root, `..`
//! normalized lexically, then symlinks resolved through the longest existing ancestor (a symlink in
//! the last component is followed too, dangling or not). When the raw path climbs with `..` through
//! a symlink, the kernel's reading is judged as well; both must be allowed.
//!
//! Patterns (project-relative): `dir/` is everything under `dir`; `*` is one path segment; `**` is any
//! depth (`**/` may match no directory); anything else is an exact path. `?`, `[`, `{` are literal.
//! An absolute entry grants its own subtree, inside or outside the project.
//!
//! Patterns are split into segments once and matched segment by segment, with a table over
//! (pattern segment, path segment) for `**`: no regex is built, so a 10,000-pattern manifest costs
//! a pass over its patterns per path, not the compile of a 10,000-way automaton.

use crate::project::paths::{self, Leaf};
use std::path::{Component, Path, PathBuf};

/// One segment of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    /// `**`: any number of segments (none in the middle or at the start; at least one at the end).
    Any,
    /// A segment in which `*` matches any run of characters other than `/`.
    Glob(String),
    /// A segment matched as it is.
    Lit(String),
}

/// A manifest's `allowedPaths`, ready to match. Patterns are split into segments only when their
/// first segment can match the path's, so a 10,000-pattern manifest costs one string comparison
/// per pattern for most of them.
#[derive(Debug)]
pub struct AllowedPaths<'a> {
    relative: Vec<&'a str>,
    absolute: Vec<PathBuf>,
}

/// Our pattern language as segment lists (one pattern may need two).
fn translate(pattern: &str) -> Vec<Vec<Seg>> {
    translate_text(pattern)
        .into_iter()
        .map(|t| {
            t.split('/')
                .map(|s| {
                    if s == "**" {
                        Seg::Any
                    } else if s.contains('*') {
                        Seg::Glob(collapse(s))
                    } else {
                        Seg::Lit(s.to_string())
                    }
                })
                .collect()
        })
        .collect()
}

/// Our pattern language as `/`-separated text in which `*` and `**` are the only wildcards (one
/// pattern may need two).
fn translate_text(pattern: &str) -> Vec<String> {
    let mut p = pattern.trim();
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    if p.is_empty() {
        return Vec::new();
    }
    let mut escaped = p.to_string();
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

/// Whether the path's segments match the pattern's: a table over (pattern position, path
/// position), so `**` never backtracks exponentially.
fn matches_segments(pat: &[Seg], path: &[&str]) -> bool {
    let (p, n) = (pat.len(), path.len());
    // ok[j] for the current pattern suffix: whether it matches path[j..].
    let mut ok = vec![false; n + 1];
    ok[n] = true; // the empty pattern matches the empty path
    for i in (0..p).rev() {
        let mut next = vec![false; n + 1];
        match &pat[i] {
            // A trailing `**` takes every remaining segment, at least one.
            Seg::Any if i + 1 == p => next[..n].fill(true),
            // Elsewhere it takes none or more: the rest must match from some later position.
            Seg::Any => {
                let mut acc = false;
                for j in (0..=n).rev() {
                    acc |= ok[j];
                    next[j] = acc;
                }
            }
            Seg::Lit(s) => {
                for j in 0..n {
                    next[j] = ok[j + 1] && path[j] == s;
                }
            }
            Seg::Glob(g) => {
                for j in 0..n {
                    next[j] = ok[j + 1] && glob_segment(g.as_bytes(), path[j].as_bytes());
                }
            }
        }
        ok = next;
    }
    ok[0]
}

/// `*` (any run, possibly empty) within one segment; everything else literal.
fn glob_segment(p: &[u8], s: &[u8]) -> bool {
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < s.len() {
        if i < p.len() && p[i] == b'*' {
            star = Some((i, j));
            i += 1;
        } else if i < p.len() && p[i] == s[j] {
            i += 1;
            j += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == b'*')
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

impl<'a> AllowedPaths<'a> {
    /// Takes a manifest's patterns. Every pattern of this language is valid; the `Result` keeps
    /// room for entries a later version may refuse.
    pub fn new(patterns: &'a [String]) -> Result<AllowedPaths<'a>, String> {
        let mut relative = Vec::new();
        let mut absolute = Vec::new();
        for pat in patterns {
            if pat.starts_with('/') {
                absolute.push(paths::normalize(Path::new(pat)));
                continue;
            }
            let mut p = pat.trim();
            while let Some(rest) = p.strip_prefix("./") {
                p = rest;
            }
            if !p.is_empty() {
                relative.push(p);
            }
        }
        Ok(AllowedPaths { relative, absolute })
    }

    /// A project-relative path (with `/` separators) matches a pattern.
    pub fn matches(&self, rel: &str) -> bool {
        let path: Vec<&str> = rel.split('/').collect();
        self.relative.iter().any(|p| {
            let first = p.split('/').next().unwrap_or_default();
            (first.contains('*') || first == path[0])
                && translate(p)
                    .iter()
                    .any(|segs| matches_segments(segs, &path))
        })
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

    fn allowed(patterns: &[&str]) -> AllowedPaths<'static> {
        let owned: Vec<String> = patterns.iter().map(|s| s.to_string()).collect();
        AllowedPaths::new(Box::leak(owned.into_boxed_slice())).unwrap()
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
    fn double_star_takes_none_in_the_middle_and_at_least_one_at_the_end() {
        let a = allowed(&["a/**/b", "c/**"]);
        assert!(a.matches("a/b") && a.matches("a/x/y/b"));
        assert!(!a.matches("a/b/x"));
        assert!(a.matches("c/x") && a.matches("c/x/y"));
        assert!(!a.matches("c"), "the directory itself is not below it");
        let a = allowed(&["**/x*y/*.rs"]);
        assert!(a.matches("x1y/a.rs") && a.matches("p/q/xy/b.rs"));
        assert!(!a.matches("p/xa/b.rs"));
    }

    #[test]
    fn many_double_stars_stay_linear() {
        // Exponential backtracking would not finish: the table makes it patterns x depth.
        let pattern = vec!["**"; 40].join("/") + "/z";
        let path = vec!["d"; 100].join("/") + "/y";
        assert!(!allowed(&[pattern.as_str()]).matches(&path));
        let many: Vec<String> = (0..10_000).map(|i| format!("pkg{i}/src/**/*.rs")).collect();
        let a = AllowedPaths::new(&many).unwrap();
        assert!(a.matches("pkg9999/src/a/b.rs"));
        assert!(!a.matches("pkg10000/src/a/b.rs"));
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
