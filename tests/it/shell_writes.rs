//! Shell writes held to the wave scope (`gates.bash-write-guard`, rule `shell-write-scope`).

use crate::common::*;
use serde_json::json;
use so_hook::hook::call::{Platform, ToolCall};
use so_hook::hook::decision::Verdict;
use so_hook::hook::evaluate::evaluate;
use so_hook::project::Environment;
use std::path::{Path, PathBuf};

/// A project with a strict wave that may change `src/**` only.
fn wave_project(name: &str) -> PathBuf {
    let root = project(name);
    manifest(
        &root,
        ".claude",
        json!({"wave": 4, "role": "Impl", "enforcement": "strict", "allowedPaths": ["src/**"],
               "blockedCommands": ["nothing-blocked"]}),
    );
    write(&root, "src/a.rs", "fn main() {}\n");
    write(&root, "docs/x.md", "# x\n");
    write(&root, "README.md", "# r\n");
    std::fs::create_dir_all(root.join("node_modules/pkg")).unwrap();
    std::os::unix::fs::symlink("../docs", root.join("src/docs-link")).unwrap();
    root
}

fn judge(root: &Path, command: &str, subagent: bool) -> (Verdict, String, String) {
    let env = Environment {
        home: Some(PathBuf::from("/home/tester")),
        state_home: None,
        tmpdir: Some(PathBuf::from("/tmp")),
        claude_project_dir: None,
        process_cwd: Some(root.to_path_buf()),
    };
    let call = ToolCall {
        agent_id: subagent.then(|| "a1".to_string()),
        ..ToolCall::shell(Platform::Claude, root, command)
    };
    let d = evaluate(&call, &env);
    let (rule, reason) = d
        .primary()
        .map(|f| (f.rule.clone(), f.reason.clone()))
        .unwrap_or_default();
    (d.verdict(), rule, reason)
}

#[test]
fn writes_outside_the_scope_are_denied_with_the_file_named() {
    let root = wave_project("outside");
    // (command, the file the reason names)
    let cases = [
        ("echo hi > docs/new.md", "docs/new.md"),
        ("echo hi >> README.md", "README.md"),
        ("ls &> listing.txt", "listing.txt"),
        ("echo x >| docs/x.md", "docs/x.md"),
        ("cargo test 2>&1 | tee test.log", "test.log"),
        ("cp src/a.rs docs/", "docs/a.rs"),
        ("mv docs/x.md src/", "docs/x.md"),
        ("install -m 644 src/a.rs docs/a.rs", "docs/a.rs"),
        ("rsync -a src/ backup/", "backup"),
        ("sed -i 's/x/y/' docs/x.md", "docs/x.md"),
        ("perl -pi -e 's/x/y/' README.md", "README.md"),
        ("truncate -s 0 README.md", "README.md"),
        ("touch docs/y.md", "docs/y.md"),
        ("mkdir -p docs/more", "docs/more"),
        ("rm docs/x.md", "docs/x.md"),
        ("rm -f docs/*.md", "docs/x.md"),
        ("rmdir docs", "docs"),
        ("dd if=/dev/zero of=docs/z bs=1 count=1", "docs/z"),
        ("ln -s ../src/a.rs docs/l", "docs/l"),
        ("chmod 600 README.md", "README.md"),
        ("cd docs && echo x > a.md", "docs/a.md"),
        ("echo x > src/docs-link/x.md", "docs/x.md"),
        ("bash -c 'echo x > docs/c.md'", "docs/c.md"),
        ("echo x > ~/.bashrc", "/home/tester/.bashrc"),
        ("echo x > /etc/hosts", "/etc/hosts"),
    ];
    // Where the main session's own table denies first (a bulk delete of project content, a home
    // secret, a system file), that row is the reason; the wave's scope holds them too.
    let first = |command: &str| match command {
        "rm -f docs/*.md" => ("rm-recursive-force", "`docs/*.md`"),
        "echo x > ~/.bashrc" => ("home-secret", "/home/tester/.bashrc"),
        "echo x > /etc/hosts" => ("system-change", "`/etc/hosts`"),
        _ => ("shell-write-scope", ""),
    };
    let mut wrong = Vec::new();
    for (command, file) in cases {
        let (v, rule, reason) = judge(&root, command, true);
        let (expected, shown) = first(command);
        let named = if shown.is_empty() {
            reason.contains(&format!("`{file}`"))
        } else {
            reason.contains(shown)
        };
        if v != Verdict::Deny || rule != expected || !named {
            wrong.push(format!("{command:?}: {v:?} {rule} {reason}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Restoring paths is a discard of changes first (its own rule), out of scope or not.
    for command in [
        "git checkout -- docs/x.md",
        "git restore docs/x.md",
        "git checkout HEAD~1 docs/x.md",
    ] {
        assert_eq!(judge(&root, command, true).0, Verdict::Deny, "{command}");
    }
    let (_, _, reason) = judge(&root, "echo hi > docs/new.md", true);
    assert!(
        reason.contains("wave 4 (Impl)") && reason.contains("src/**"),
        "{reason}"
    );
}

#[test]
fn writes_inside_the_scope_and_to_disposable_places_pass() {
    let root = wave_project("inside");
    for command in [
        "echo hi > src/b.rs",
        "cat src/a.rs > src/c.rs && rm src/c.rs",
        "cp docs/x.md src/",
        "sed -i 's/a/b/' src/a.rs",
        "mkdir -p src/deep/er && touch src/deep/er/x.rs",
        "rm src/deep/er/x.rs",
        "cd src && echo x > new.rs",
        "cargo build 2>/dev/null > /dev/null",
        "echo x > /dev/stderr",
        "make 2>&1 | tee /tmp/build.log",
        "f=$(mktemp) && echo x > \"$f\"",
        "echo x > /var/tmp/so-hook-test",
        "rm -rf node_modules/pkg",
        "echo x > ~/.cache/tool/state",
        "git status && git diff > /tmp/d.patch",
        "git checkout -b feature",
        "git checkout main",
        "git restore --staged docs/x.md",
        "git rm --cached docs/x.md",
        "cat docs/x.md README.md | grep x",
        "echo 'rm -rf docs' > src/notes.txt",
    ] {
        let (v, rule, reason) = judge(&root, command, true);
        assert_eq!(v, Verdict::Allow, "{command:?}: {rule} {reason}");
    }
}

#[test]
fn targets_known_only_at_run_time_ask() {
    // Overwriting or deleting a file not known before the command runs asks, wave or not
    // (contract 3.4); the wave's own notice is then not the deciding one.
    let root = wave_project("unknown");
    for command in ["echo x > \"$OUT\"", "rm -f \"$(ls docs | head -1)\""] {
        let (v, rule, reason) = judge(&root, command, true);
        assert_eq!(
            (v, rule.as_str()),
            (Verdict::Ask, "unknown-target"),
            "{command:?}: {reason}"
        );
        assert!(
            reason.contains("not known before the command runs"),
            "{reason}"
        );
    }
    // An unknown command name read as `rm` is a guess: it does not hold writes to the scope.
    assert_eq!(judge(&root, "$DOCKER rm -f app", true).0, Verdict::Allow);
}

#[test]
fn the_gate_and_the_enforcement_decide() {
    let root = wave_project("gate");
    let m = |v: serde_json::Value| manifest(&root, ".claude", v);
    // Off in a strict wave by the gate.
    m(json!({"allowedPaths": ["src/**"], "gates": {"bash-write-guard": false}}));
    assert_eq!(judge(&root, "echo x > docs/y.md", true).0, Verdict::Allow);
    // A warn wave: off unless asked for; then a warning.
    m(json!({"allowedPaths": ["src/**"], "enforcement": "warn"}));
    assert_eq!(judge(&root, "echo x > docs/y.md", true).0, Verdict::Allow);
    m(
        json!({"allowedPaths": ["src/**"], "enforcement": "warn", "gates": {"bash-write-guard": true}}),
    );
    let (v, rule, _) = judge(&root, "echo x > docs/y.md", true);
    assert_eq!((v, rule.as_str()), (Verdict::Warn, "shell-write-scope"));
    // `off` switches it off whatever the gate says.
    m(
        json!({"allowedPaths": ["src/**"], "enforcement": "off", "gates": {"bash-write-guard": true}}),
    );
    assert_eq!(judge(&root, "echo x > docs/y.md", true).0, Verdict::Allow);
    // The policy can switch the rule off like any built-in rule.
    m(json!({"allowedPaths": ["src/**"]}));
    write(
        &root,
        ".so-hook/policy.json",
        r#"{"version": 1, "disable": ["shell-write-scope"]}"#,
    );
    assert_eq!(judge(&root, "echo x > docs/y.md", true).0, Verdict::Allow);
}

#[test]
fn the_coordinator_keeps_its_state_file_and_a_subagent_the_control_plane_rule() {
    let root = wave_project("coordinator");
    assert_eq!(
        judge(&root, "echo '- wave 4 done' >> .claude/STATE.md", false).0,
        Verdict::Allow
    );
    let (v, rule, _) = judge(&root, "echo '- done' >> .claude/STATE.md", true);
    assert_eq!((v, rule.as_str()), (Verdict::Deny, "shell-write-scope"));
    // A subagent changing the manifest is a control-plane deny first.
    for command in [
        "echo '{}' > .claude/wave-scope.json",
        "rm .claude/wave-scope.json",
    ] {
        assert_eq!(judge(&root, command, true).1, "control-plane", "{command}");
    }
}

#[test]
fn every_platform_denies_a_shell_write_outside_the_scope() {
    let root = wave_project("platforms");
    let claude = run(&bash(&root, "echo x > docs/y.md"));
    assert_eq!(
        (claude.verdict(), claude.rule().as_str()),
        ("deny", "shell-write-scope")
    );
    let codex = json!({"session_id": "s", "turn_id": "1", "cwd": root, "hook_event_name": "PreToolUse",
                       "model": "gpt-5", "tool_name": "Bash", "tool_input": {"command": "echo x > docs/y.md"}});
    let a = run_bytes(
        serde_json::to_vec(&codex).unwrap(),
        &["--platform", "codex"],
    );
    assert_eq!(a.verdict(), "deny", "{a:?}");
    assert!(a.reason().contains("docs/y.md"), "{a:?}");
    let cursor = json!({"conversation_id": "c", "cursor_version": "3.9.16", "workspace_roots": [root],
                        "hook_event_name": "beforeShellExecution", "command": "echo x > docs/y.md", "cwd": root});
    let a = run_bytes(
        serde_json::to_vec(&cursor).unwrap(),
        &["--platform", "cursor"],
    );
    let v = a.json.expect("a Cursor decision");
    assert_eq!(v["permission"], "deny", "{v}");
    assert!(
        v["user_message"].as_str().unwrap().contains("docs/y.md"),
        "{v}"
    );
    assert!(
        run_bytes(
            serde_json::to_vec(&json!({"conversation_id": "c", "cursor_version": "3.9.16",
                "workspace_roots": [root], "hook_event_name": "beforeShellExecution",
                "command": "echo x > src/y.rs", "cwd": root}))
            .unwrap(),
            &["--platform", "cursor"]
        )
        .json
        .is_some_and(|v| v["permission"] == "allow")
    );
}

#[test]
fn the_session_start_context_says_shell_writes_are_held_too() {
    let root = wave_project("session-start");
    let start = json!({"session_id": "s", "cwd": root, "hook_event_name": "SessionStart",
                       "source": "startup"});
    let context = |a: &Answer| {
        a.json.as_ref().unwrap()["hookSpecificOutput"]["additionalContext"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let a = run(&start);
    assert!(
        context(&a).contains("edits and the files shell commands write"),
        "{a:?}"
    );
    manifest(
        &root,
        ".claude",
        json!({"allowedPaths": ["src/**"], "gates": {"bash-write-guard": false}}),
    );
    let a = run(&start);
    assert!(context(&a).contains("edits are limited to"), "{a:?}");
}

#[test]
fn a_file_judged_once_is_not_judged_again_but_a_guess_does_not_count() {
    let root = wave_project("memo");
    // The same file written by many commands: judged once, still denied.
    let many: Vec<String> = (0..2000)
        .map(|i| format!("echo {i} >> docs/log.md"))
        .collect();
    let (verdict, rule, reason) = judge(&root, &many.join("; "), false);
    assert_eq!(
        (verdict, rule.as_str()),
        (Verdict::Deny, "shell-write-scope")
    );
    assert!(reason.contains("docs/log.md"), "{reason}");
    // A guess at an unknown command name that touches a file first does not make the real
    // command touching it later pass.
    let (verdict, rule, _) = judge(&root, "$DOCKER rm -f docs/x.md; rm -f docs/x.md", false);
    assert_eq!(
        (verdict, rule.as_str()),
        (Verdict::Deny, "shell-write-scope")
    );
    // Nor does a harmless effect first (read) hide a later write of the same file.
    let (verdict, rule, _) = judge(
        &root,
        "touch src/a.rs; cat docs/x.md; truncate -s 0 docs/x.md",
        false,
    );
    assert_eq!(
        (verdict, rule.as_str()),
        (Verdict::Deny, "shell-write-scope")
    );
}
