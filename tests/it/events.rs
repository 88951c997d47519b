//! Stop and SubagentStop calls append to the session's event log and answer with silence.

use crate::common::*;
use serde_json::{Value, json};

fn events(root: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(root.join(".orchestrator/metrics/events.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn stops_are_recorded_with_the_wave_and_the_real_agent_type() {
    let root = project("events");
    manifest(
        &root,
        ".claude",
        json!({"wave": 3, "allowedPaths": ["src/"]}),
    );
    let stop = json!({"session_id": "s", "cwd": root, "hook_event_name": "Stop", "stop_hook_active": false});
    let a = run(&stop);
    assert_eq!(a.stdout, "");
    let sub = json!({"session_id": "s", "cwd": root, "hook_event_name": "SubagentStop",
                     "agent_id": "a1", "agent_type": "Explore"});
    assert_eq!(run(&sub).stdout, "");
    let mut codex_stop = stop.clone();
    codex_stop["turn_id"] = json!("7");
    assert_eq!(run(&codex_stop).stdout, "");
    let e = events(&root);
    assert_eq!(e.len(), 3);
    assert_eq!(e[0]["event"], "stop");
    assert_eq!(e[0]["wave"], 3);
    assert_eq!(e[1]["event"], "subagent_stop");
    assert_eq!(e[1]["agent"], "Explore");
    assert!(e[0]["timestamp"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn a_stop_without_a_wave_records_a_null_wave() {
    let root = project("events-nowave");
    run(&json!({"cwd": root, "hook_event_name": "Stop"}));
    assert_eq!(events(&root)[0]["wave"], Value::Null);
}

#[test]
fn each_decision_that_is_not_a_plain_allow_is_recorded_without_the_command() {
    let root = project("events-guard");
    let bash = |c: &str| {
        json!({"session_id": "s", "cwd": root, "hook_event_name": "PreToolUse",
               "tool_name": "Bash", "tool_input": {"command": c}})
    };
    run(&bash("ls src"));
    assert!(events(&root).is_empty(), "an allow is not recorded");
    let secret = "git push --force origin main-secret-branch";
    run(&bash(secret));
    let mut codex = bash("rm -rf /");
    codex["turn_id"] = json!("1");
    run(&codex);
    let e = events(&root);
    assert_eq!(e.len(), 2, "{e:?}");
    assert_eq!(e[0]["event"], "guard");
    assert_eq!(e[0]["rule"], "git-push-force");
    assert_eq!(e[0]["decision"], "deny");
    assert_eq!(e[0]["platform"], "claude");
    assert_eq!(e[1]["platform"], "codex");
    assert_eq!(e[1]["rule"], "rm-recursive-force");
    let digest = e[0]["subject_sha256"].as_str().unwrap();
    assert_eq!(digest.len(), 16);
    assert_ne!(digest, e[1]["subject_sha256"].as_str().unwrap());
    // A long command is fingerprinted by its first 4 KiB and its length.
    let long = |n: usize| format!("git push --force origin main # {}", "x".repeat(n));
    for n in [8_000, 8_000, 9_000] {
        run(&bash(&long(n)));
    }
    let e = events(&root);
    assert_eq!(e[2]["subject_sha256"], e[3]["subject_sha256"]);
    assert_ne!(e[3]["subject_sha256"], e[4]["subject_sha256"]);
    let log = std::fs::read_to_string(root.join(".orchestrator/metrics/events.jsonl")).unwrap();
    assert!(
        !log.contains("secret"),
        "the command never reaches the log: {log}"
    );
}

#[test]
fn session_start_tells_the_agent_what_is_guarded_in_each_dialect() {
    let root = project("events-start");
    manifest(
        &root,
        ".claude",
        json!({"wave": 4, "role": "Impl-Core", "allowedPaths": ["src/", "tests/**"]}),
    );
    let claude = run(
        &json!({"session_id": "s", "cwd": root, "hook_event_name": "SessionStart",
                              "source": "startup"}),
    );
    let v = claude.json.unwrap();
    assert_eq!(v["hookSpecificOutput"]["hookEventName"], "SessionStart");
    let context = v["hookSpecificOutput"]["additionalContext"]
        .as_str()
        .unwrap();
    assert!(context.contains("Wave 4 (Impl-Core)"), "{context}");
    assert!(context.contains("src/, tests/**"), "{context}");
    let codex = run(&json!({"session_id": "s", "turn_id": "1", "cwd": root,
                             "hook_event_name": "SessionStart", "model": "m", "source": "startup"}));
    assert_eq!(
        codex.json.unwrap()["hookSpecificOutput"]["additionalContext"],
        context
    );
    let cursor = run(&json!({"conversation_id": "c", "cursor_version": "3.9.16",
                              "hook_event_name": "sessionStart", "workspace_roots": [root]}));
    assert_eq!(cursor.json.unwrap(), json!({"additional_context": context}));
    // A broken manifest is said up front, not only at the first denied call.
    manifest(&root, ".claude", json!({"allowedPaths": 5}));
    let v = run(&json!({"cwd": root, "hook_event_name": "SessionStart"}))
        .json
        .unwrap();
    let context = v["hookSpecificOutput"]["additionalContext"]
        .as_str()
        .unwrap();
    assert!(
        context.contains("Every guarded call is denied"),
        "{context}"
    );
    assert!(
        events(&root).is_empty(),
        "a session start is not a guard decision"
    );
}

#[test]
fn the_event_log_stays_out_of_git_status() {
    // The first deny left an untracked .orchestrator/metrics/events.jsonl in the user's repository.
    let root = project("events-gitignore");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(&root)
            .output()
            .unwrap()
    };
    git(&["init", "-q"]);
    let stop = json!({"session_id": "s", "cwd": root, "hook_event_name": "Stop", "stop_hook_active": false});
    assert_eq!(run(&stop).stdout, "");
    assert_eq!(events(&root).len(), 1);
    let status =
        String::from_utf8_lossy(&git(&["status", "--porcelain", "--untracked-files=all"]).stdout)
            .into_owned();
    assert!(!status.contains(".orchestrator/metrics"), "{status}");
    // What the pack keeps there for later sessions is not hidden.
    std::fs::write(root.join(".orchestrator/metrics/learnings.jsonl"), "{}\n").unwrap();
    let status =
        String::from_utf8_lossy(&git(&["status", "--porcelain", "--untracked-files=all"]).stdout)
            .into_owned();
    assert!(status.contains("learnings.jsonl"), "{status}");
}

#[test]
fn persistence_false_keeps_no_metrics() {
    // The pack promises no metrics with `persistence: false`; the hook wrote events regardless.
    let root = project("events-no-persistence");
    write(
        &root,
        "CLAUDE.md",
        "# P\n\n## Session Config\n\n- **persistence:** false\n",
    );
    let deny = bash(&root, "git push --force origin main");
    assert_eq!(run(&deny).verdict(), "deny");
    run(&json!({"cwd": root, "hook_event_name": "Stop"}));
    assert!(!root.join(".orchestrator").exists());
    // Codex reads AGENTS.md: its own `persistence: false` counts there, CLAUDE.md's does not.
    let root = project("events-no-persistence-codex");
    write(
        &root,
        "AGENTS.md",
        "## Session Config\n\npersistence: false\n",
    );
    write(
        &root,
        "CLAUDE.md",
        "## Session Config\n\npersistence: true\n",
    );
    let mut codex = bash(&root, "rm -rf /");
    codex["turn_id"] = json!("1");
    run(&codex);
    assert!(events(&root).is_empty());
    run(&deny_in(&root));
    assert_eq!(events(&root).len(), 1, "Claude Code reads CLAUDE.md");
}

fn deny_in(root: &std::path::Path) -> Value {
    bash(root, "git push --force origin main")
}
