//! Manifests (defaults, several at once, malformed ones) and the project policy, end to end.

use crate::common::*;
use serde_json::json;

#[test]
fn missing_enforcement_is_strict_and_unknown_is_strict_with_a_notice() {
    let root = project("strict");
    manifest(&root, ".claude", json!({"allowedPaths": ["src/"]}));
    assert_eq!(run(&write_call(&root, "docs/a.md")).verdict(), "deny");
    manifest(
        &root,
        ".claude",
        json!({"allowedPaths": ["src/"], "enforcement": "lenient"}),
    );
    let a = run(&write_call(&root, "docs/a.md"));
    assert_eq!(a.verdict(), "deny");
    let a = run(&write_call(&root, "src/a.rs"));
    assert_eq!(a.verdict(), "warn");
    assert!(a.reason().contains("lenient"));
}

#[test]
fn warn_allows_with_a_visible_notice_and_off_skips() {
    let root = project("warn");
    manifest(
        &root,
        ".claude",
        json!({"allowedPaths": ["src/"], "enforcement": "warn"}),
    );
    let a = run(&write_call(&root, "docs/a.md"));
    assert_eq!(a.verdict(), "warn");
    let v = a.json.as_ref().unwrap();
    assert!(
        v["systemMessage"]
            .as_str()
            .unwrap()
            .contains("scope-not-allowed")
    );
    assert!(v["hookSpecificOutput"].get("permissionDecision").is_none());
    manifest(
        &root,
        ".claude",
        json!({"allowedPaths": ["src/"], "enforcement": "off"}),
    );
    assert_eq!(run(&write_call(&root, "docs/a.md")).verdict(), "allow");
    // Built-in command rules hold whatever the wave says.
    assert_eq!(run(&bash(&root, "rm -rf src")).verdict(), "deny");
}

#[test]
fn every_manifest_present_must_allow() {
    let root = project("several");
    manifest(
        &root,
        ".cursor",
        json!({"allowedPaths": ["**"], "enforcement": "off"}),
    );
    manifest(&root, ".claude", json!({"allowedPaths": ["src/"]}));
    assert_eq!(run(&write_call(&root, "docs/a.md")).verdict(), "deny");
    manifest(&root, ".claude", json!({"allowedPaths": ["**"]}));
    manifest(&root, ".cursor", json!({"allowedPaths": ["src/"]}));
    let a = run(&write_call(&root, "docs/a.md"));
    assert_eq!(a.verdict(), "deny");
    assert!(a.reason().contains(".cursor/wave-scope.json"));
}

#[test]
fn malformed_manifests_deny_everything_with_position() {
    let root = project("malformed");
    write(
        &root,
        ".claude/wave-scope.json",
        "{\n  \"wave\": 1,\n  \"allowedPaths\": \"src/\"\n}\n",
    );
    for p in [write_call(&root, "src/a.rs"), bash(&root, "ls")] {
        let a = run(&p);
        assert_eq!(a.verdict(), "deny");
        assert_eq!(a.rule(), "manifest-invalid");
        assert!(a.reason().contains("wave-scope.json:3:"), "{}", a.reason());
        assert!(
            !a.reason().contains("rm "),
            "never tells the agent how to disarm"
        );
    }
    write(&root, ".claude/wave-scope.json", "{\"wave\": 1,");
    assert_eq!(run(&bash(&root, "ls")).rule(), "manifest-invalid");
    write(&root, ".claude/wave-scope.json", "");
    assert_eq!(run(&bash(&root, "ls")).rule(), "manifest-invalid");
    write(&root, ".claude/wave-scope.json", "{\"allowedPaths\": null}");
    assert_eq!(run(&bash(&root, "ls")).rule(), "manifest-invalid");
    // Unguarded tools are not affected.
    assert_eq!(
        run(&payload(&root, "Read", json!({"file_path": "x"}))).verdict(),
        "allow"
    );
}

#[test]
fn wave_blocked_commands_and_the_fallback_list() {
    let root = project("blocked");
    manifest(
        &root,
        ".claude",
        json!({"allowedPaths": ["src/"], "blockedCommands": ["npm publish", "docker"]}),
    );
    let a = run(&bash(&root, "cd src && npm --tag next publish"));
    assert_eq!(a.rule(), "wave-blocked-command");
    assert_eq!(run(&bash(&root, "echo npm publish")).verdict(), "allow");
    assert_eq!(
        run(&bash(&root, "sudo docker ps")).rule(),
        "wave-blocked-command"
    );
    assert_eq!(run(&bash(&root, "dockerd --help")).verdict(), "allow");
    // Empty list: the fallback list applies; its rm and git entries through the built-in rules,
    // which still allow disposable cleanups.
    manifest(
        &root,
        ".claude",
        json!({"allowedPaths": ["src/"], "blockedCommands": []}),
    );
    assert_eq!(
        run(&bash(&root, "git checkout -- .")).rule(),
        "git-checkout-discard"
    );
    assert_eq!(run(&bash(&root, "git push -f")).rule(), "git-push-force");
    assert_eq!(
        run(&bash(&root, "Drop Table users")).rule(),
        "wave-blocked-command"
    );
    assert_eq!(
        run(&bash(&root, "rm -rf /tmp/build && rm -rf node_modules")).verdict(),
        "allow"
    );
    // The command guard gate switches the wave list off, not the built-ins.
    manifest(
        &root,
        ".claude",
        json!({"allowedPaths": ["src/"], "blockedCommands": ["ls"], "gates": {"command-guard": false}}),
    );
    assert_eq!(run(&bash(&root, "ls")).verdict(), "allow");
    assert_eq!(run(&bash(&root, "git push -f")).verdict(), "deny");
    // Warn waves warn.
    manifest(
        &root,
        ".claude",
        json!({"allowedPaths": ["src/"], "blockedCommands": ["ls"], "enforcement": "warn"}),
    );
    assert_eq!(run(&bash(&root, "ls")).verdict(), "warn");
}

#[test]
fn path_guard_gate_turns_the_scope_off() {
    let root = project("gate");
    manifest(
        &root,
        ".claude",
        json!({"allowedPaths": [], "gates": {"path-guard": false}}),
    );
    assert_eq!(run(&write_call(&root, "docs/a.md")).verdict(), "allow");
}

#[test]
fn policy_adds_rules_targets_and_switches_rules_off() {
    let root = project("policy");
    write(&root, ".so-hook/policy.json", &json!({
        "version": 1,
        "rules": [
            {"id": "no-publish", "action": "block", "command": "npm publish", "message": "Releases go through CI."},
            {"id": "tf-apply", "action": "ask", "regex": "^terraform (apply|destroy)"},
            {"id": "curl-pipe", "action": "warn", "command": "curl"}
        ],
        "safeDeleteTargets": ["build/"],
        "disable": ["git-stash-drop"]
    }).to_string());
    let a = run(&bash(&root, "npm publish --access public"));
    assert_eq!(a.rule(), "no-publish");
    assert!(a.reason().contains("Releases go through CI."));
    assert_eq!(
        run(&bash(&root, "terraform apply -auto-approve")).verdict(),
        "ask"
    );
    assert_eq!(run(&bash(&root, "curl -sL example.com")).verdict(), "warn");
    assert_eq!(run(&bash(&root, "rm -rf build/out")).verdict(), "allow");
    assert_eq!(run(&bash(&root, "rm -rf src")).verdict(), "deny");
    assert_eq!(run(&bash(&root, "git stash drop")).verdict(), "allow");
    assert_eq!(
        run(&bash(&root, "git stash clear; git reset --hard")).rule(),
        "git-reset-hard"
    );
}

#[test]
fn empty_or_broken_policies_never_weaken_the_floor() {
    let root = project("policy-broken");
    write(&root, ".so-hook/policy.json", "{\"rules\": []}");
    assert_eq!(run(&bash(&root, "rm -rf src")).rule(), "rm-recursive-force");
    write(&root, ".so-hook/policy.json", "{\"disable\": [\"rm-rf\"]}");
    let a = run(&bash(&root, "ls"));
    assert_eq!(a.rule(), "policy-invalid");
    assert!(a.reason().contains("not a built-in rule or pack id"));
    write(&root, ".so-hook/policy.json", "");
    assert_eq!(run(&bash(&root, "ls")).rule(), "policy-invalid");
}

/// The project of a call made from `src/` is the directory above that holds the manifest.
#[test]
fn a_call_from_a_subdirectory_is_held_to_the_root_manifest() {
    let root = project("subdir");
    std::fs::create_dir_all(root.join(".git")).unwrap();
    manifest(&root, ".claude", json!({"allowedPaths": ["src/"]}));
    manifest(&root, ".codex", json!({"allowedPaths": ["src/"]}));
    manifest(&root, ".cursor", json!({"allowedPaths": ["src/"]}));
    let src = root.join("src");
    let outside = root.join("docs/x.md");

    // Claude Code without CLAUDE_PROJECT_DIR (the helper removes it), working in src/.
    let mut claude = write_call(&root, outside.to_str().unwrap());
    claude["cwd"] = json!(src);
    assert_eq!(run(&claude).verdict(), "deny");

    // Codex: a patch's relative path is relative to the cwd, as Codex applies it.
    let codex = |path: &str| {
        json!({"session_id": "s", "turn_id": "1", "transcript_path": null, "cwd": src,
            "hook_event_name": "PreToolUse", "model": "m", "permission_mode": "default",
            "tool_name": "apply_patch", "tool_use_id": "t",
            "tool_input": {"command": format!("*** Begin Patch\n*** Add File: {path}\n+x\n*** End Patch\n")}})
    };
    assert_eq!(run(&codex("../docs/x.md")).verdict(), "deny");
    assert_eq!(run(&codex("a.rs")).verdict(), "allow");

    // Cursor without workspace roots.
    let cursor = json!({"conversation_id": "c", "cursor_version": "3", "hook_event_name": "preToolUse",
        "tool_name": "Write", "cwd": src, "tool_input": {"file_path": outside}});
    let out = so_hook()
        .args(["hook", "--platform", "cursor"])
        .write_stdin(cursor.to_string())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["permission"], "deny", "{v}");

    // A worktree of an agent inside the project stays under the project's wave.
    let worktree = root.join(".claude/worktrees/agent-1");
    write(
        &worktree,
        ".git",
        "gitdir: ../../../.git/worktrees/agent-1\n",
    );
    let mut in_worktree = write_call(&root, worktree.join("docs/y.md").to_str().unwrap());
    in_worktree["cwd"] = json!(worktree);
    assert_eq!(run(&in_worktree).verdict(), "deny");
}

#[test]
fn scope_set_from_a_subdirectory_writes_the_manifest_the_hook_reads() {
    let root = project("subdir-scope");
    std::fs::create_dir_all(root.join(".git")).unwrap();
    so_hook()
        .args([
            "scope",
            "set",
            "--wave",
            "1",
            "--role",
            "Impl-Core",
            "--allow",
            "src/",
        ])
        .arg("--cwd")
        .arg(root.join("src"))
        .assert()
        .success();
    assert!(root.join(".claude/wave-scope.json").exists());
    assert!(!root.join("src/.claude").exists());
}

/// Codex applies `apply_patch` run through its shell tool as a patch (a here-document, maybe
/// after `cd DIR &&`), and has the command on the shell's PATH for every other form: each is
/// judged like the apply_patch tool.
#[test]
fn codex_shell_apply_patch_is_held_to_the_wave_like_the_tool() {
    let root = project("shell-patch");
    manifest(&root, ".codex", json!({"allowedPaths": ["src/"]}));
    let bash = |command: &str| {
        json!({"session_id": "s", "turn_id": "1", "transcript_path": null, "cwd": root,
            "hook_event_name": "PreToolUse", "model": "m", "permission_mode": "default",
            "tool_name": "Bash", "tool_use_id": "t", "tool_input": {"command": command}})
    };
    let patch = |path: &str| format!("*** Begin Patch\n*** Add File: {path}\n+x\n*** End Patch");
    let outside = patch("OUTSIDE.txt");
    for command in [
        format!("apply_patch <<'EOF'\n{outside}\nEOF"),
        format!("applypatch <<EOF\n{outside}\nEOF"),
        format!("cd docs && apply_patch <<'EOF'\n{outside}\nEOF"),
        format!("bash -lc \"apply_patch <<'EOF'\n{outside}\nEOF\""),
        format!("apply_patch '{outside}'"),
        format!("printf '%s' '{outside}' | apply_patch"),
    ] {
        let a = run(&bash(&command));
        assert_eq!(a.verdict(), "deny", "{command}");
        assert_eq!(a.rule(), "scope-not-allowed", "{command}");
    }
    // A patch whose text is not known before it runs cannot be checked.
    for command in ["apply_patch \"$PATCH\"", "cat p.diff | apply_patch"] {
        let a = run(&bash(command));
        assert_eq!(a.rule(), "shell-apply-patch", "{command}");
    }
    // In scope, or relative to a `cd` into the scope, it is an ordinary edit.
    let inside = patch("src/a.rs");
    assert_eq!(
        run(&bash(&format!("apply_patch <<'EOF'\n{inside}\nEOF"))).verdict(),
        "allow"
    );
    assert_eq!(
        run(&bash(&format!(
            "cd src && apply_patch <<'EOF'\n{outside}\nEOF"
        )))
        .verdict(),
        "allow"
    );
    // A subagent cannot reach the control plane this way, wave or not.
    std::fs::remove_file(root.join(".codex/wave-scope.json")).unwrap();
    let control = patch(".codex/wave-scope.json").replace("Add File", "Delete File");
    let control = control.replace("+x\n", "");
    let a = run(&as_subagent(bash(&format!(
        "apply_patch <<'EOF'\n{control}\nEOF"
    ))));
    assert_eq!(a.rule(), "control-plane");
    // The main session without a wave edits freely, by the tool or the shell.
    assert_eq!(
        run(&bash(&format!("apply_patch <<'EOF'\n{outside}\nEOF"))).verdict(),
        "allow"
    );
}

/// A malformed manifest denies every guarded call, but the coordinating session can repair it
/// (an edit of the manifest, `so-hook scope set|clear`) without a human at a terminal; a
/// subagent cannot, and is told to report it.
#[test]
fn a_broken_manifest_can_be_repaired_by_the_coordinator_only() {
    let root = project("repair");
    write(
        &root,
        ".claude/wave-scope.json",
        "{\"wave\": 1, \"allowedPaths\": [",
    );
    let manifest_path = root.join(".claude/wave-scope.json");
    let a = run(&bash(&root, "ls"));
    assert_eq!(a.rule(), "manifest-invalid");
    assert!(a.reason().contains("so-hook scope clear"), "{}", a.reason());
    for allowed in [
        write_call(&root, manifest_path.to_str().unwrap()),
        bash(&root, "so-hook scope clear"),
        bash(
            &root,
            "so-hook scope set --wave 2 --role Impl-Core --allow src/",
        ),
    ] {
        assert_eq!(run(&allowed).verdict(), "allow", "{allowed}");
    }
    for denied in [
        bash(&root, "so-hook scope clear; rm -rf src"),
        bash(&root, "so-hook scope clear > /tmp/x"),
        bash(&root, "$(echo so-hook) scope clear"),
        write_call(&root, "src/a.rs"),
    ] {
        assert_eq!(run(&denied).rule(), "manifest-invalid", "{denied}");
    }
    let a = run(&as_subagent(write_call(
        &root,
        manifest_path.to_str().unwrap(),
    )));
    assert_eq!(a.rule(), "manifest-invalid");
    assert!(a.reason().contains("Report this"), "{}", a.reason());
    assert!(!a.reason().contains("scope clear"), "{}", a.reason());
}

/// The files that register hooks with each client are part of the control plane: a subagent may
/// not change them by any means; the main session's shell may not empty or delete them.
#[test]
fn hook_registrations_are_control_files() {
    let root = project("registrations");
    write(&root, ".claude/settings.json", "{\"hooks\": {}}\n");
    write(&root, ".codex/hooks.json", "{}\n");
    for call in [
        write_call(&root, root.join(".claude/settings.json").to_str().unwrap()),
        bash(&root, "echo '{}' > .claude/settings.json"),
        bash(&root, "cd .claude && rm settings.json"),
        bash(
            &root,
            "python3 -c \"import os; os.remove('.codex/hooks.json')\"",
        ),
        bash(&root, "cp /tmp/x .claude/settings.local.json"),
    ] {
        assert_eq!(
            run(&as_subagent(call.clone())).rule(),
            "control-plane",
            "{call}"
        );
    }
    assert_eq!(
        run(&bash(&root, ": > .claude/settings.json")).verdict(),
        "deny"
    );
    assert_eq!(
        run(&bash(&root, "rm -f .codex/hooks.json")).verdict(),
        "deny"
    );
    // The coordinating session edits them with its tools as before.
    let edit = write_call(&root, root.join(".claude/settings.json").to_str().unwrap());
    assert_eq!(run(&edit).verdict(), "allow");
}

#[test]
fn a_grant_the_validator_refuses_is_refused_by_the_hook_too() {
    // Was allowed: the hook read `["/"]` as a grant of the whole file system while `validate`
    // called it an error.
    let root = project("grant-root");
    for grant in [
        "/",
        "/etc",
        "/etc/*.conf",
        "/home/someone",
        "../outside/",
        "~/notes/",
    ] {
        manifest(&root, ".claude", json!({"allowedPaths": ["src/", grant]}));
        let a = run(&write_call(&root, "/etc/passwd"));
        assert_eq!(a.verdict(), "deny", "{grant}");
        assert_eq!(a.rule(), "manifest-invalid", "{grant}: {}", a.reason());
        assert!(a.reason().contains("allowedPaths[1]"), "{}", a.reason());
        let out = so_hook()
            .args(["validate", "--cwd"])
            .arg(&root)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{grant}");
    }
    // What the contract fills with a default is read, and only warned about.
    manifest(&root, ".claude", json!({"allowedPaths": ["src/"]}));
    assert_eq!(run(&write_call(&root, "src/a.rs")).verdict(), "allow");
    let out = so_hook()
        .args(["validate", "--cwd"])
        .arg(&root)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("warning: missing `enforcement`"), "{text}");
}

#[test]
fn patterns_are_globs_with_alternatives_classes_and_absolute_forms() {
    let root = project("patterns");
    write(&root, "src/lib/a.rs", "");
    write(&root, "docs/x.md", "");
    let vault = root.join("vault-outside");
    std::fs::create_dir_all(&vault).unwrap();
    manifest(
        &root,
        ".claude",
        json!({"allowedPaths": ["src/{lib,bin}/*.rs", "docs/[a-x].md", "notes/?.md",
                                format!("{}/**", vault.display()), "${PROJECT}/tests/**"]}),
    );
    for (path, want) in [
        ("src/lib/a.rs", "allow"),
        ("src/bin/b.rs", "allow"),
        ("src/other/c.rs", "deny"),
        ("docs/x.md", "allow"),
        ("docs/z.md", "deny"),
        ("notes/1.md", "allow"),
        ("notes/12.md", "deny"),
        ("tests/t.rs", "allow"),
    ] {
        assert_eq!(run(&write_call(&root, path)).verdict(), want, "{path}");
    }
    let inside_vault = vault.join("deep/n.md");
    assert_eq!(
        run(&write_call(&root, inside_vault.to_str().unwrap())).verdict(),
        "allow"
    );
}

#[test]
fn validate_warns_about_a_directory_without_its_slash_and_a_pattern_matching_nothing() {
    let root = project("pattern-warnings");
    write(&root, "src/a.rs", "");
    manifest(
        &root,
        ".claude",
        json!({"wave": 1, "role": "Impl-Core", "enforcement": "strict",
               "allowedPaths": ["src", "lib/*.rs", "src/*.rs"], "blockedCommands": []}),
    );
    let out = so_hook()
        .args(["validate", "--cwd"])
        .arg(&root)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("`src` is a directory"), "{text}");
    assert!(text.contains("`lib/*.rs` matches nothing"), "{text}");
    assert!(!text.contains("`src/*.rs` matches nothing"), "{text}");
    assert_eq!(out.status.code(), Some(0), "warnings only: {text}");
}
