//! The edit scope: whether a file an edit tool touches lies within the wave's `allowedPaths`.
//!
//! Paths are resolved the way the write will land: relative paths against the project root, `..`
//! normalized lexically, then symlinks resolved through the longest existing ancestor (a symlink in
//! the last component is followed too, dangling or not). When the raw path climbs with `..` through
//! a symlink, the kernel's reading is judged as well; both must be allowed.
//!
//! Patterns (contract 2), relative and absolute alike: `dir/` is everything under `dir`; `*` is
//! any run within one path segment and `?` one character; `[...]` a character class (`[!...]` or
//! `[^...]` negated, ranges); `{a,b}` alternatives; `**` is any depth (`**/` may match no
//! directory); `\` escapes the next character. A pattern also matches the path it spells literally,
//! so `app/[id]/page.tsx` keeps working. An absolute entry is a grant inside or outside the
//! project: without wildcards it grants its own subtree. `${PROJECT}/` or `${CLAUDE_PROJECT_DIR}/`
//! at the start stands for the project root.
//!
//! Patterns are split into segments once and matched segment by segment, with a table over
//! (pattern segment, path segment) for `**`: no regex is built, so a 10,000-pattern manifest costs
//! a pass over its patterns per path, not the compile of a 10,000-way automaton.

use crate::project::paths::{self, Leaf};
use std::path::{Component, Path, PathBuf};

/// Most patterns one entry's `{a,b}` alternatives expand to; past that the rest are dropped (and
/// `validate` says so).
pub const MAX_ALTERNATIVES: usize = 256;

/// One segment of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    /// `**`: any number of segments (none in the middle or at the start; at least one at the end).
    Any,
    /// A segment with wildcards (`*`, `?`, `[...]`, escapes), matched by [`segment`].
    Glob(String),
    /// A segment matched as it is (escapes removed).
    Lit(String),
}

/// A manifest's `allowedPaths`, ready to match. Patterns are split into segments only when their
/// first segment can match the path's, so a 10,000-pattern manifest costs one string comparison
/// per pattern for most of them.
#[derive(Debug)]
pub struct AllowedPaths<'a> {
    relative: Vec<&'a str>,
    /// Absolute grants without wildcards: each covers its subtree.
    absolute: Vec<PathBuf>,
    /// Absolute patterns with wildcards, without their leading `/`.
    absolute_globs: Vec<&'a str>,
}

/// Whether a pattern (or a segment) holds a wildcard of the language.
pub fn has_wildcard(p: &str) -> bool {
    p.contains(['*', '?', '[', '{', '\\'])
}

/// `{a,b}` alternatives expanded (nested ones too), at most [`MAX_ALTERNATIVES`]. A brace without
/// a comma at its level, or without its closing brace, is literal.
pub fn alternatives(p: &str) -> Vec<String> {
    let mut out = Vec::new();
    expand_braces(p, &mut out);
    out
}

fn expand_braces(p: &str, out: &mut Vec<String>) {
    if out.len() >= MAX_ALTERNATIVES {
        return;
    }
    let b = p.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'{' => {
                // The matching close and the commas at this level.
                let (mut depth, mut j, mut commas) = (0, i + 1, Vec::new());
                let mut close = None;
                while j < b.len() {
                    match b[j] {
                        b'\\' => j += 1,
                        b'{' => depth += 1,
                        b'}' if depth == 0 => {
                            close = Some(j);
                            break;
                        }
                        b'}' => depth -= 1,
                        b',' if depth == 0 => commas.push(j),
                        _ => {}
                    }
                    j += 1;
                }
                if let Some(close) = close
                    && !commas.is_empty()
                {
                    let mut starts = vec![i + 1];
                    starts.extend(commas.iter().map(|c| c + 1));
                    let mut ends = commas.clone();
                    ends.push(close);
                    for (s, e) in starts.into_iter().zip(ends) {
                        let variant = format!("{}{}{}", &p[..i], &p[s..e], &p[close + 1..]);
                        expand_braces(&variant, out);
                    }
                    return;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    if out.len() < MAX_ALTERNATIVES {
        out.push(p.to_string());
    }
}

/// A pattern as segment lists (alternatives and a glued `**` make several).
fn translate(pattern: &str) -> Vec<Vec<Seg>> {
    alternatives(pattern)
        .iter()
        .flat_map(|alt| translate_text(alt))
        .map(|t| {
            t.split('/')
                .map(|s| {
                    if s == "**" {
                        Seg::Any
                    } else if s.contains(['*', '?', '[', '\\']) {
                        Seg::Glob(collapse(s))
                    } else {
                        Seg::Lit(s.to_string())
                    }
                })
                .collect()
        })
        .collect()
}

/// One alternative as `/`-separated text: `./` dropped, a trailing `/` made `/**`, a `**` glued
/// to other characters offered in its zero-depth and deep forms.
fn translate_text(pattern: &str) -> Vec<String> {
    let p = strip_dot(pattern);
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
        let keep = |s: &&str| {
            if *s == "**" {
                s.to_string()
            } else {
                collapse(s)
            }
        };
        let shallow: Vec<String> = segs.iter().map(keep).collect();
        let (head, tail) = segs[i].split_once("**").unwrap_or((segs[i], ""));
        let mut deep: Vec<String> = segs[..i].iter().map(|s| collapse(s)).collect();
        deep.push(format!("{}*", collapse(head)));
        deep.push("**".into());
        deep.push(format!("*{}", collapse(tail)));
        deep.extend(segs[i + 1..].iter().map(keep));
        return vec![shallow.join("/"), deep.join("/")];
    }
    vec![escaped]
}

fn strip_dot(pattern: &str) -> &str {
    let mut p = pattern.trim();
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p
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
                    next[j] = ok[j + 1] && segment(g, path[j]);
                }
            }
        }
        ok = next;
    }
    ok[0]
}

/// One element of a segment pattern: what it matches of one character.
enum Elem {
    Star,
    One,
    Char(char),
    Class {
        negated: bool,
        items: Vec<(char, char)>,
    },
}

fn elements(p: &str) -> Vec<Elem> {
    let c: Vec<char> = p.chars().collect();
    let mut out = Vec::with_capacity(c.len());
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '*' => out.push(Elem::Star),
            '?' => out.push(Elem::One),
            '\\' if i + 1 < c.len() => {
                out.push(Elem::Char(c[i + 1]));
                i += 1;
            }
            '[' => {
                // `[]...]` and `[!]...]` hold a `]`; without a closing `]` the `[` is literal.
                let mut j = i + 1;
                let negated = matches!(c.get(j), Some('!' | '^'));
                if negated {
                    j += 1;
                }
                let body_start = j;
                if c.get(j) == Some(&']') {
                    j += 1;
                }
                while j < c.len() && c[j] != ']' {
                    j += 1;
                }
                if j >= c.len() {
                    out.push(Elem::Char('['));
                } else {
                    let body = &c[body_start..j];
                    let mut items = Vec::new();
                    let mut k = 0;
                    while k < body.len() {
                        if k + 2 < body.len() && body[k + 1] == '-' {
                            items.push((body[k], body[k + 2]));
                            k += 3;
                        } else {
                            items.push((body[k], body[k]));
                            k += 1;
                        }
                    }
                    out.push(Elem::Class { negated, items });
                    i = j;
                }
            }
            ch => out.push(Elem::Char(ch)),
        }
        i += 1;
    }
    out
}

/// Glob matching of one path segment: `*`, `?`, `[...]`, `\` escapes; everything else literal.
/// Linear in the name for any number of `*` (each other element takes exactly one character, so
/// only the last `*` needs to be retried).
pub fn segment(pattern: &str, name: &str) -> bool {
    let p = elements(pattern);
    let n: Vec<char> = name.chars().collect();
    let one = |e: &Elem, ch: char| match e {
        Elem::Star => false,
        Elem::One => true,
        Elem::Char(x) => *x == ch,
        Elem::Class { negated, items } => {
            items.iter().any(|(lo, hi)| *lo <= ch && ch <= *hi) != *negated
        }
    };
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < n.len() {
        if i < p.len() && matches!(p[i], Elem::Star) {
            star = Some((i + 1, j));
            i += 1;
        } else if i < p.len() && one(&p[i], n[j]) {
            i += 1;
            j += 1;
        } else if let Some((si, sj)) = star {
            i = si;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|e| matches!(e, Elem::Star))
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

/// The project root's stand-ins a pattern may start with.
const PROJECT_PREFIXES: &[&str] = &[
    "${PROJECT}/",
    "$PROJECT/",
    "${CLAUDE_PROJECT_DIR}/",
    "$CLAUDE_PROJECT_DIR/",
];

/// A pattern matches `rel` (`/`-separated, no leading `/`): by its wildcards, or literally.
fn pattern_matches(p: &str, rel: &str, path: &[&str]) -> bool {
    let literal = strip_dot(p);
    if literal == rel || (literal.ends_with('/') && rel.starts_with(literal)) {
        return true;
    }
    translate(p).iter().any(|segs| matches_segments(segs, path))
}

impl<'a> AllowedPaths<'a> {
    /// Takes a manifest's patterns. Every pattern of this language is valid; the `Result` keeps
    /// room for entries a later version may refuse.
    pub fn new(patterns: &'a [String]) -> Result<AllowedPaths<'a>, String> {
        let mut relative = Vec::new();
        let mut absolute = Vec::new();
        let mut absolute_globs = Vec::new();
        for pat in patterns {
            let pat = pat.trim();
            if let Some(rest) = PROJECT_PREFIXES.iter().find_map(|x| pat.strip_prefix(x)) {
                if !rest.is_empty() {
                    relative.push(rest);
                }
                continue;
            }
            if let Some(rest) = pat.strip_prefix('/') {
                if has_wildcard(pat) {
                    absolute_globs.push(rest);
                } else {
                    absolute.push(paths::normalize(Path::new(pat)));
                }
                continue;
            }
            let p = strip_dot(pat);
            if !p.is_empty() {
                relative.push(p);
            }
        }
        Ok(AllowedPaths {
            relative,
            absolute,
            absolute_globs,
        })
    }

    /// A project-relative path (with `/` separators) matches a pattern.
    pub fn matches(&self, rel: &str) -> bool {
        let path: Vec<&str> = rel.split('/').collect();
        self.relative.iter().any(|p| {
            let first = p.split('/').next().unwrap_or_default();
            (has_wildcard(first) || first == path[0]) && pattern_matches(p, rel, &path)
        })
    }

    /// An absolute grant covers `p`.
    pub fn granted(&self, p: &Path) -> bool {
        let covered = self.absolute.iter().any(|g| {
            paths::within(p, g) || {
                let real = paths::real(g, Leaf::Follow);
                real != *g && paths::within(p, &real)
            }
        });
        if covered || self.absolute_globs.is_empty() {
            return covered;
        }
        let text = p.to_string_lossy();
        let rel = text.trim_start_matches('/');
        let path: Vec<&str> = rel.split('/').collect();
        self.absolute_globs.iter().any(|g| {
            pattern_matches(g, rel, &path) || {
                // The pattern's literal head may be a symlink (`/tmp` on macOS): match through
                // where it leads too.
                let cut = g.find(|c| "*?[{\\".contains(c)).unwrap_or(g.len());
                let head = &g[..g[..cut].rfind('/').unwrap_or(0)];
                let real = paths::real(&Path::new("/").join(head), Leaf::Follow);
                let real = real.to_string_lossy();
                let moved = format!("{}{}", real.trim_start_matches('/'), &g[head.len()..]);
                !head.is_empty() && moved != *g && pattern_matches(&moved, rel, &path)
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
    fn exact_paths_and_the_literal_reading_of_wildcards() {
        // `[draft]` is a class and `?` one character (they were literal: `docs/d1.md` did not
        // match); the path the pattern spells still matches too.
        let a = allowed(&[
            "Cargo.toml",
            "docs/[draft]?.md",
            "./README.md",
            "app/[id]/page.tsx",
        ]);
        assert!(a.matches("Cargo.toml"));
        assert!(!a.matches("Cargo.lock"));
        assert!(a.matches("docs/[draft]?.md"));
        assert!(a.matches("docs/d1.md"));
        assert!(!a.matches("docs/x1.md"));
        assert!(a.matches("README.md"));
        assert!(a.matches("app/[id]/page.tsx"));
        assert!(a.matches("app/i/page.tsx"));
    }

    #[test]
    fn alternatives_classes_single_characters_and_escapes() {
        let a = allowed(&[
            "src/{lib,bin}/*.rs",
            "docs/v?.md",
            "img/[a-c]*.png",
            "x/\\*.txt",
        ]);
        assert!(a.matches("src/lib/a.rs") && a.matches("src/bin/b.rs"));
        assert!(!a.matches("src/test/a.rs"));
        assert!(a.matches("docs/v1.md") && !a.matches("docs/v10.md"));
        assert!(a.matches("img/b2.png") && !a.matches("img/d2.png"));
        assert!(a.matches("x/*.txt") && !a.matches("x/a.txt"));
        let a = allowed(&["{src,tests}/", "{a,{b,c}}.md", "[!.]*.toml"]);
        assert!(a.matches("src/x/y.rs") && a.matches("tests/t.rs") && !a.matches("docs/x"));
        assert!(a.matches("c.md") && a.matches("a.md") && !a.matches("d.md"));
        assert!(a.matches("Cargo.toml") && !a.matches(".hidden.toml"));
        // A brace without a comma, or unclosed, is literal.
        let a = allowed(&["{x}.md", "{y.md"]);
        assert!(a.matches("{x}.md") && a.matches("{y.md"));
        assert_eq!(alternatives(&"{a,b}".repeat(20)).len(), MAX_ALTERNATIVES);
    }

    #[test]
    fn absolute_patterns_and_the_project_root_stand_in() {
        let a = allowed(&["/abs/vault/**", "/opt/notes/*.md", "${PROJECT}/src/**"]);
        assert!(a.granted(Path::new("/abs/vault/x/y.md")));
        assert!(!a.granted(Path::new("/abs/vaultx/y.md")));
        assert!(a.granted(Path::new("/opt/notes/a.md")));
        assert!(!a.granted(Path::new("/opt/notes/a/b.md")));
        assert!(a.matches("src/a/b.rs") && !a.matches("docs/a.md"));
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
