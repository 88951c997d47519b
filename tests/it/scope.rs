//! The scope guard on real directories and symlinks (contract 3.1; the upstream matrix of 3.2).

use crate::common::*;
use serde_json::json;
use std::os::unix::fs::symlink;
use std::path::Path;

/// A project with `allowedPaths: ["src/"]` and the upstream matrix's symlinks.
fn setup(name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let root = project(name);
    let outside = root.with_extension("outside");
    let _ = std::fs::remove_dir_all(&outside);
    std::fs::create_dir_all(&outside).unwrap();
    manifest(
        &root,
        ".claude",
        json!({"wave": 2, "role": "Impl-Core", "enforcement": "strict", "allowedPaths": ["src/"]}),
    );
    symlink("/etc", root.join("src/etclink")).unwrap();
    symlink("../docs", root.join("src/docslink")).unwrap();
    symlink(outside.join("target.txt"), root.join("src/leaflink.txt")).unwrap();
    symlink(
        outside.join("missing/new.txt"),
        root.join("src/dangling.txt"),
    )
    .unwrap();
    symlink("../src", root.join("docs/srclink")).unwrap();
    (root, outside)
}

fn verdict_of(root: &Path, file_path: &str) -> (String, String) {
    let a = run(&write_call(root, file_path));
    (a.verdict().to_string(), a.rule())
}

#[test]
fn upstream_scope_matrix() {
    let (root, _outside) = setup("matrix");
    let r = root.display().to_string();
    let cases: Vec<(String, &str, &str)> = vec![
        (format!("{r}/src/a.ts"), "allow", ""),
        (format!("{r}/docs/a.md"), "deny", "scope-not-allowed"),
        (
            format!("{r}/src/etclink/passwd"),
            "deny",
            "scope-outside-project",
        ),
        (
            format!("{r}/src/docslink/x.md"),
            "deny",
            "scope-not-allowed",
        ),
        (
            format!("{r}/src/leaflink.txt"),
            "deny",
            "scope-outside-project",
        ),
        (
            format!("{r}/src/dangling.txt"),
            "deny",
            "scope-outside-project",
        ),
        (
            format!("{r}/src/nonexist/../../docs/x.md"),
            "deny",
            "scope-not-allowed",
        ),
        (
            format!("{r}/src/nonexist/../../../../etc/passwd"),
            "deny",
            "scope-outside-project",
        ),
        (format!("{r}/src/../docs/y.md"), "deny", "scope-not-allowed"),
        ("src/rel.ts".to_string(), "allow", ""),
        (
            "../outside.txt".to_string(),
            "deny",
            "scope-outside-project",
        ),
        (format!("{r}/SRC/a.ts"), "deny", "scope-not-allowed"),
        (format!("{r}/docs/srclink/ok.rs"), "allow", ""),
        (format!("{r}/src/new/deeper/file.rs"), "allow", ""),
        // `..` after a symlink: the kernel lands in /, the lexical reading in the project.
        (
            format!("{r}/src/etclink/../../src/x.rs"),
            "deny",
            "scope-outside-project",
        ),
    ];
    for (path, verdict, rule) in cases {
        let (v, got_rule) = verdict_of(&root, &path);
        assert_eq!(v, verdict, "{path}");
        if !rule.is_empty() {
            assert_eq!(got_rule, rule, "{path}");
        }
    }
}

#[test]
fn every_edit_tool_is_guarded() {
    let (root, _) = setup("tools");
    let docs = root.join("docs/a.md");
    for (tool, input) in [
        ("Write", json!({"file_path": docs, "content": "x"})),
        (
            "Edit",
            json!({"file_path": docs, "old_string": "a", "new_string": "b"}),
        ),
        (
            "MultiEdit",
            json!({"file_path": docs, "edits": [{"old_string": "a", "new_string": "b"}]}),
        ),
        (
            "NotebookEdit",
            json!({"notebook_path": root.join("docs/a.ipynb"), "new_source": "x"}),
        ),
    ] {
        assert_eq!(
            run(&payload(&root, tool, input)).verdict(),
            "deny",
            "{tool}"
        );
    }
}

#[test]
fn state_md_carve_out_is_for_the_coordinator_only() {
    let (root, _) = setup("state");
    for dir in [".claude", ".codex", ".cursor"] {
        let p = root.join(dir).join("STATE.md");
        let p = p.to_str().unwrap();
        assert_eq!(run(&write_call(&root, p)).verdict(), "allow", "{dir}");
        assert_eq!(
            run(&as_subagent(write_call(&root, p))).verdict(),
            "deny",
            "{dir}"
        );
    }
    // Only STATE.md: other files in the state dir are not carved out.
    let notes = root.join(".claude/notes.md");
    assert_eq!(
        run(&write_call(&root, notes.to_str().unwrap())).verdict(),
        "deny"
    );
}

#[test]
fn subagents_cannot_touch_the_control_plane_with_edit_tools() {
    let (root, _) = setup("control");
    for rel in [
        ".claude/wave-scope.json",
        ".codex/wave-scope.json",
        ".so-hook/policy.json",
        ".CLAUDE/Wave-Scope.json",
    ] {
        let a = run(&as_subagent(write_call(
            &root,
            &root.join(rel).display().to_string(),
        )));
        assert_eq!(a.verdict(), "deny", "{rel}");
        if !rel.contains("CLAUDE") {
            assert_eq!(a.rule(), "control-plane", "{rel}");
        }
    }
    // No wave at all: a subagent still cannot write a manifest.
    let bare = project("control-bare");
    let a = run(&as_subagent(write_call(&bare, ".claude/wave-scope.json")));
    assert_eq!(a.rule(), "control-plane");
    assert_eq!(
        run(&write_call(&bare, ".claude/wave-scope.json")).verdict(),
        "allow"
    );
}

#[test]
fn patterns_of_the_manifest_language() {
    let root = project("patterns");
    manifest(
        &root,
        ".claude",
        json!({"allowedPaths": ["src/*.rs", "tests/**", "**/*.md", "Cargo.toml", "/opt/so-hook-grant/"]}),
    );
    for (p, v) in [
        ("src/a.rs", "allow"),
        ("src/x/a.rs", "deny"),
        ("tests/a/b/c.rs", "allow"),
        ("README.md", "allow"),
        ("docs/deep/x.md", "allow"),
        ("Cargo.toml", "allow"),
        ("Cargo.lock", "deny"),
        ("/opt/so-hook-grant/x/y.txt", "allow"),
        ("/opt/so-hook-grantx/y.txt", "deny"),
        ("/etc/passwd", "deny"),
    ] {
        assert_eq!(run(&write_call(&root, p)).verdict(), v, "{p}");
    }
}

#[test]
fn empty_scope_denies_every_edit() {
    let root = project("discovery");
    manifest(
        &root,
        ".claude",
        json!({"wave": 1, "role": "Discovery", "allowedPaths": []}),
    );
    let a = run(&write_call(&root, "src/a.rs"));
    assert_eq!(a.verdict(), "deny");
    assert!(a.reason().contains("no files at all"));
}

#[test]
fn without_a_manifest_edits_are_not_scope_checked() {
    let root = project("nowave");
    assert_eq!(
        run(&write_call(&root, "/etc/so-hook-test")).verdict(),
        "allow"
    );
}
