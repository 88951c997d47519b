//! `so-hook check`, the human front door.

use crate::common::*;
use predicates::prelude::*;
use serde_json::Value;

#[test]
fn check_command_prints_decision_rule_unit_and_reason() {
    let root = project("check");
    so_hook()
        .args(["check", "--command", "git push -f origin main", "--cwd"])
        .arg(&root)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("deny  git-push-force"))
        .stdout(predicate::str::contains("unit:   git push -f origin main"))
        .stdout(predicate::str::contains("reason:"));
    so_hook()
        .args(["check", "--command", "git push origin main", "--cwd"])
        .arg(&root)
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("allow"));
}

#[test]
fn check_json_and_edit_and_agent() {
    let root = project("check-json");
    manifest(
        &root,
        ".claude",
        serde_json::json!({"allowedPaths": ["src/"]}),
    );
    let out = so_hook()
        .args(["check", "--json", "--edit", "docs/x.md", "--cwd"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["decision"], "deny");
    assert_eq!(v["rule"], "scope-not-allowed");
    assert_eq!(v["unit"], "docs/x.md");
    so_hook()
        .args(["check", "--edit", "src/x.rs", "--cwd"])
        .arg(&root)
        .assert()
        .code(0);
    so_hook()
        .args([
            "check",
            "--agent",
            "--command",
            "rm .claude/wave-scope.json",
            "--cwd",
        ])
        .arg(&root)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("control-plane"));
}

#[test]
fn check_reports_rules_the_policy_switched_off() {
    let root = project("check-disabled");
    write(
        &root,
        ".so-hook/policy.json",
        r#"{"disable": ["git-stash-drop"]}"#,
    );
    so_hook()
        .args(["check", "--command", "git stash drop", "--cwd"])
        .arg(&root)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("git-stash-drop is switched off"));
}

#[test]
fn usage_errors_and_help() {
    so_hook().arg("check").assert().code(2);
    so_hook()
        .args(["check", "--command", "ls", "--cwd", "/nonexistent/so-hook"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a directory"));
    so_hook()
        .args(["check", "--command", "ls", "--edit", "x"])
        .assert()
        .code(2);
    so_hook()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("so-hook check --command"));
    so_hook()
        .arg("rules")
        .assert()
        .success()
        .stdout(predicate::str::contains("rm-recursive-force"));
}
