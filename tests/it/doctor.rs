//! `so-hook doctor` on projects with working, broken and missing registrations.

use crate::common::*;
use serde_json::{Value, json};

/// The test binary's directory first on PATH, so `so-hook` in hook commands is this build.
fn path_with_binary() -> String {
    let bin = assert_cmd::cargo::cargo_bin("so-hook");
    let dir = bin.parent().unwrap().display().to_string();
    format!("{dir}:{}", std::env::var("PATH").unwrap_or_default())
}

fn doctor(root: &std::path::Path, extra: &[&str]) -> (i32, Value) {
    let out = so_hook()
        .env("PATH", path_with_binary())
        .env("HOME", root.join("home"))
        .args(["doctor", "--json", "--cwd"])
        .arg(root)
        .args(extra)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    (out.status.code().unwrap(), v)
}

fn check<'a>(v: &'a Value, prefix: &str) -> &'a Value {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"].as_str().unwrap().starts_with(prefix))
        .unwrap_or_else(|| panic!("no check {prefix}: {v}"))
}

#[test]
fn a_working_registration_passes_with_a_simulated_deny() {
    let root = project("doctor-ok");
    let hooks = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("plugin/hooks/hooks.json"),
    )
    .unwrap();
    write(&root, ".claude/settings.json", &hooks);
    write(
        &root,
        ".cursor/hooks.json",
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cursor-rules/hooks.json"),
        )
        .unwrap(),
    );
    let (code, v) = doctor(&root, &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(check(&v, "Claude Code hook")["ok"], true);
    assert_eq!(check(&v, "Cursor hook")["ok"], true);
    // The simulated calls are not the session's: nothing is logged.
    assert!(!root.join(".orchestrator").exists());
}

#[test]
fn a_registration_that_cannot_deny_fails() {
    let root = project("doctor-broken");
    write(
        &root,
        ".claude/settings.json",
        &json!({"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [
            {"type": "command", "command": "/nonexistent/so-hook hook --platform claude"}]}]}})
        .to_string(),
    );
    let (code, v) = doctor(&root, &["--platform", "claude"]);
    assert_eq!(code, 1);
    let broken = check(&v, "Claude Code hook");
    assert_eq!(broken["ok"], false);
    assert!(
        broken["detail"].as_str().unwrap().contains("(exit 127,"),
        "{broken}"
    );
}

#[test]
fn a_cursor_handler_that_fails_open_is_flagged_even_when_it_denies() {
    let root = project("doctor-fail-open");
    write(
        &root,
        ".cursor/hooks.json",
        &json!({"version": 1, "hooks": {"beforeShellExecution": [
            {"command": "so-hook hook --platform cursor"}]}})
        .to_string(),
    );
    let (code, v) = doctor(&root, &["--platform", "cursor"]);
    assert_eq!(code, 1, "{v}");
    let checks: Vec<&Value> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["check"].as_str().unwrap().starts_with("Cursor hook"))
        .collect();
    assert_eq!(checks.len(), 2, "{v}");
    assert_eq!(checks[0]["ok"], false);
    assert!(checks[0]["detail"].as_str().unwrap().contains("failClosed"));
    // The simulated deny itself still works: the failure is the registration alone.
    assert_eq!(checks[1]["ok"], true);
}

#[test]
fn broken_manifests_and_policies_fail_with_the_reason() {
    let root = project("doctor-manifest");
    write(&root, ".claude/wave-scope.json", "{\"allowedPaths\": 5}");
    write(&root, ".so-hook/policy.json", "{\"disable\": [\"nope\"]}");
    let (code, v) = doctor(&root, &["--platform", "cursor"]);
    assert_eq!(code, 1);
    assert!(
        check(&v, "manifest")["detail"]
            .as_str()
            .unwrap()
            .contains("wave-scope.json:1:")
    );
    assert!(
        check(&v, "policy")["detail"]
            .as_str()
            .unwrap()
            .contains("nope")
    );
}

#[test]
fn a_codex_project_registration_needs_a_trusted_project() {
    let root = project("doctor-codex-trust");
    write(
        &root,
        ".codex/hooks.json",
        &json!({"hooks": {"PreToolUse": [{"matcher": "Bash|apply_patch", "hooks": [
            {"type": "command", "command": "so-hook hook --platform codex"}]}]}})
        .to_string(),
    );
    let (code, v) = doctor(&root, &["--platform", "codex"]);
    assert_eq!(code, 1, "{v}");
    let trust = check(&v, "Codex project trust");
    assert_eq!(trust["ok"], false);
    assert!(trust["fix"].as_str().unwrap().contains("/hooks"), "{trust}");
    write(
        &root,
        "home/.codex/config.toml",
        &format!(
            "[projects.\"{}\"]\ntrust_level = \"trusted\"\n",
            root.display()
        ),
    );
    let (code, v) = doctor(&root, &["--platform", "codex"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(check(&v, "Codex hook trust")["ok"], true);
}

#[test]
fn nothing_registered_fails_and_an_installed_plugin_counts() {
    // doctor said "ok" and exited 0 with no hook registered anywhere, and could not see a
    // plugin-installed hook.
    let root = project("doctor-none");
    let (code, v) = doctor(&root, &[]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(check(&v, "registration")["ok"], false);
    let (code, v) = doctor(&root, &["--platform", "claude"]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(check(&v, "Claude Code registration")["ok"], false);
    // The plugin as Claude Code installs it: a copy in its cache.
    write(
        &root,
        "home/.claude/plugins/cache/so-hook/so-hook/0.1.0/hooks/hooks.json",
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("plugin/hooks/hooks.json"),
        )
        .unwrap(),
    );
    let (code, v) = doctor(&root, &["--platform", "claude"]);
    assert_eq!(code, 0, "{v}");
    let fired = check(&v, "Claude Code hook in");
    assert_eq!(fired["ok"], true, "{v}");
    assert!(
        fired["check"].as_str().unwrap().contains("plugins/cache"),
        "{v}"
    );
    // Without --platform, one registered client is enough.
    let (code, v) = doctor(&root, &[]);
    assert_eq!(code, 0, "{v}");
}

#[test]
fn a_script_in_front_of_the_binary_on_path_gets_a_hint() {
    // npm's `so-hook` is a Node.js launcher: hooks that call `so-hook` from PATH pay its start-up.
    let root = project("doctor-launcher");
    let real = assert_cmd::cargo::cargo_bin("so-hook");
    let run = |dir: &std::path::Path| {
        let out = so_hook()
            .env("PATH", format!("{}:/usr/bin:/bin", dir.display()))
            .env("HOME", root.join("home"))
            .args(["doctor", "--json", "--platform", "cursor", "--cwd"])
            .arg(&root)
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        check(&v, "binary").clone()
    };
    let launcher = root.join("launcher");
    write(
        &launcher,
        "so-hook",
        &format!("#!/bin/sh\nexec '{}' \"$@\"\n", real.display()),
    );
    std::process::Command::new("chmod")
        .arg("755")
        .arg(launcher.join("so-hook"))
        .status()
        .unwrap();
    let c = run(&launcher);
    assert_eq!(c["ok"], true, "{c}");
    let hint = c["fix"].as_str().unwrap_or_default();
    assert!(hint.contains("is a script"), "{c}");
    assert!(hint.contains(&real.display().to_string()), "{c}");

    // The binary itself on PATH: no hint.
    let direct = root.join("direct");
    std::fs::create_dir_all(&direct).unwrap();
    std::os::unix::fs::symlink(&real, direct.join("so-hook")).unwrap();
    let c = run(&direct);
    assert_eq!(c["ok"], true, "{c}");
    assert!(c["fix"].is_null(), "{c}");
}
