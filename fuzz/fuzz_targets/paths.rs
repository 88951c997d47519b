//! Path resolution and the scope matcher, on any path and pattern.
//!
//! Properties: normalizing is idempotent and leaves no `.` or `..` in an absolute path; a path
//! made relative to a base leads back to itself; a literal pattern matches itself; resolving an
//! edit's path never panics, and every reading it gives is absolute and normalized.
#![no_main]

use libfuzzer_sys::fuzz_target;
use so_hook::project::paths;
use so_hook::project::scope::{self, AllowedPaths};
use so_hook_fuzz::*;
use std::path::{Component, Path};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (raw, pattern) = text.split_once('\n').unwrap_or((text, text));
    let root = project();

    let abs = paths::absolute(root, Path::new(raw));
    assert_eq!(
        paths::normalize(&abs),
        abs,
        "normalize is not idempotent on {raw:?}"
    );
    assert!(
        abs.components()
            .all(|c| !matches!(c, Component::CurDir | Component::ParentDir)),
        "{abs:?} keeps a dot"
    );
    if let Some(rel) = paths::relative(&abs, root) {
        assert_eq!(
            paths::absolute(root, Path::new(&rel)),
            abs,
            "{rel:?} does not lead back"
        );
    }
    for reading in scope::resolve(raw, root) {
        assert!(reading.is_absolute(), "{reading:?} is not absolute");
    }

    let patterns = vec![pattern.to_string()];
    let scope = AllowedPaths::new(&patterns).unwrap();
    // Every pattern also matches the path it spells (wildcards and all), except one that starts
    // with the project root's stand-in, which names the rest below the root.
    let literal = pattern.trim().trim_start_matches("./");
    let stand_in = [
        "${PROJECT}/",
        "$PROJECT/",
        "${CLAUDE_PROJECT_DIR}/",
        "$CLAUDE_PROJECT_DIR/",
    ]
    .iter()
    .any(|p| literal.starts_with(p));
    if !literal.is_empty()
        && literal == literal.trim()
        && !literal.starts_with('/')
        && !stand_in
        && !literal
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
    {
        assert!(scope.matches(literal), "{literal:?} does not match itself");
    }
    let _ = scope.matches(raw);
});
