//! `so-hook test`: the repository's fixtures pass; a wrong expectation fails with a readable diff;
//! reports in every format; --filter, --update and --record.

use crate::common::*;
use serde_json::Value;
use std::path::Path;

fn test_cmd(args: &[&str], work: &Path) -> (i32, String, String) {
    let out = so_hook()
        .arg("test")
        .args(args)
        .arg("--work-dir")
        .arg(work)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const MIXED: &str = r#"// two right, one wrong, one broken
{"name": "force push", "platform": "codex", "command": "git push -f origin main", "expect": {"decision": "deny", "rule": "git-push-force"}}
{"name": "wrong on purpose", "command": "ls -la", "expect": {"decision": "deny", "rule": "rm-recursive-force"}}
{"name": "scope", "platform": "cursor", "edit": "docs/a.md", "manifest": {"wave": 1, "role": "r", "enforcement": "strict", "allowedPaths": ["src/"], "blockedCommands": []}, "expect": "deny"}
{"name": "broken", "command": "ls", "expect": "maybe"}
"#;

#[test]
fn the_repository_fixtures_pass() {
    // The default work directory: the target directory may sit under /tmp (as in CI), where
    // paths outside a fixture's project would count as disposable.
    let state = project("fx-repo");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let out = so_hook()
        .arg("test")
        .arg(&dir)
        .env("XDG_STATE_HOME", state.join("state"))
        .output()
        .unwrap();
    let (code, out) = (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    );
    let work = state.join("state/so-hook");
    assert_eq!(code, 0, "{out}");
    let last = out.lines().last().unwrap();
    let passed: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert!(passed >= 200, "{last}");
    assert!(last.ends_with("passed, 0 failed"), "{last}");
    // The throw-away projects are gone.
    assert_eq!(std::fs::read_dir(&work).unwrap().count(), 0);
}

#[test]
fn failures_show_expected_and_actual_and_exit_1() {
    let work = project("fx-fail");
    write(&work, "f/mixed.jsonl", MIXED);
    let file = work.join("f/mixed.jsonl");
    let (code, out, _) = test_cmd(&[file.to_str().unwrap()], &work);
    assert_eq!(code, 1);
    assert!(out.contains("FAIL wrong on purpose"), "{out}");
    assert!(out.contains("mixed.jsonl:3"), "{out}");
    assert!(
        out.contains("- expected: deny [rm-recursive-force]"),
        "{out}"
    );
    assert!(out.contains("+ actual:   allow"), "{out}");
    assert!(out.contains("BROKEN") && out.contains("mixed.jsonl:5") && out.contains("`maybe`"));
    assert!(out.ends_with("2 passed, 2 failed\n"), "{out}");

    let (code, out, _) = test_cmd(&["--filter", "force", file.to_str().unwrap()], &work);
    assert_eq!(code, 1, "the broken line still counts");
    assert!(out.ends_with("1 passed, 1 failed\n"), "{out}");
}

#[test]
fn every_report_format_is_well_formed() {
    let work = project("fx-formats");
    write(&work, "f/mixed.jsonl", MIXED);
    let file = work.join("f/mixed.jsonl");
    let f = file.to_str().unwrap();
    let (_, out, _) = test_cmd(&["--format", "json", f], &work);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["passed"].as_u64(), v["failed"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(v["results"][1]["actual"]["decision"], "allow");
    assert_eq!(v["results"][0]["actual"]["decision"], "deny");
    assert!(
        v["results"][0]["actual"]["stdout"]
            .as_str()
            .unwrap()
            .contains("permissionDecision")
    );

    let (_, out, _) = test_cmd(&["--format", "tap", f], &work);
    assert!(out.starts_with("TAP version 13\n1..4\n"), "{out}");
    assert_eq!(out.matches("\nok ").count(), 2);
    assert_eq!(out.matches("\nnot ok ").count(), 2);

    let (_, out, _) = test_cmd(&["--format", "junit", f], &work);
    assert!(out.starts_with("<?xml"));
    assert!(out.contains("tests=\"4\" failures=\"2\""), "{out}");
    assert_eq!(out.matches("<testcase ").count(), 4);
    assert_eq!(out.matches("<failure ").count(), 2);
}

#[test]
fn update_rewrites_only_the_failing_expectation() {
    let work = project("fx-update");
    let good = MIXED
        .lines()
        .filter(|l| !l.contains("broken"))
        .collect::<Vec<_>>()
        .join("\n");
    write(&work, "f/u.jsonl", &good);
    let file = work.join("f/u.jsonl");
    let (code, out, _) = test_cmd(&["--update", file.to_str().unwrap()], &work);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("wrong on purpose: deny [rm-recursive-force] -> allow"),
        "{out}"
    );
    let after = std::fs::read_to_string(&file).unwrap();
    let changed: Vec<(&str, &str)> = good
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "{after}");
    assert!(
        changed[0].1.ends_with(r#""expect": {"decision":"allow"}}"#),
        "{}",
        changed[0].1
    );
    let (code, out, _) = test_cmd(&[file.to_str().unwrap()], &work);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn record_turns_payloads_into_fixtures_that_replay() {
    let root = project("fx-record");
    write(&root, "src/a.rs", "fn main() {}\n");
    manifest(
        &root,
        ".claude",
        serde_json::json!({"wave": 1, "role": "Impl-Core", "enforcement": "strict",
                           "allowedPaths": ["src/"], "blockedCommands": []}),
    );
    let payloads = [
        bash(&root, &format!("rm -rf {}/src", root.display())),
        write_call(&root, &root.join("docs/x.md").display().to_string()),
        bash(&root, "cargo test"),
    ]
    .iter()
    .map(|p| p.to_string())
    .collect::<Vec<_>>()
    .join("\n");
    let out = so_hook()
        .args(["test", "--record"])
        .write_stdin(payloads)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 3);
    assert!(
        !text.contains(&root.display().to_string()),
        "the root became $ROOT"
    );
    assert!(text.contains(r#""rule":"rm-recursive-force""#), "{text}");
    assert!(text.contains(r#""rule":"scope-not-allowed""#), "{text}");
    assert!(
        !root.join(".orchestrator/metrics/events.jsonl").exists(),
        "recording writes no events"
    );
    write(&root, "rec/r.jsonl", &text);
    let (code, out, _) = test_cmd(&[root.join("rec/r.jsonl").to_str().unwrap()], &root);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("3 passed, 0 failed\n"));
}

#[test]
fn nothing_to_run_is_exit_2_with_a_hint() {
    let work = project("fx-none");
    let out = so_hook().arg("test").current_dir(&work).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(".so-hook/fixtures"));
}

#[test]
fn record_reads_claude_code_transcripts() {
    let root = project("fx-transcript");
    let line = |content: serde_json::Value| {
        serde_json::json!({"type": "assistant", "sessionId": "s1", "cwd": root, "uuid": "u",
                           "message": {"role": "assistant", "content": content}})
        .to_string()
    };
    let transcript = [
        serde_json::json!({"type": "user", "sessionId": "s1", "cwd": root,
                           "message": {"role": "user", "content": "clean up"}})
        .to_string(),
        line(serde_json::json!([
            {"type": "text", "text": "cleaning"},
            {"type": "tool_use", "id": "t1", "name": "Bash", "input": {"command": "git clean -fdx"}},
            {"type": "tool_use", "id": "t2", "name": "Read", "input": {"file_path": "/etc/hosts"}}
        ])),
        line(serde_json::json!([
            {"type": "tool_use", "id": "t3", "name": "Write", "input": {"file_path": root.join("src/a.rs"), "content": "x"}}
        ])),
    ]
    .join("\n");
    let out = so_hook()
        .args(["test", "--record"])
        .write_stdin(transcript)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "Bash and Write, not Read: {text}");
    assert!(lines[0].contains(r#""rule":"git-clean-force""#), "{text}");
    assert!(
        lines[1].contains(r#""expect": {"decision":"allow"}"#),
        "{text}"
    );
}

#[test]
fn a_work_dir_under_tmp_is_pointed_out() {
    let root = project("fx-tmpnote");
    write(
        &root,
        "f/a.jsonl",
        r#"{"name": "a", "command": "ls", "expect": "allow"}"#,
    );
    let work = format!("/tmp/so-hook-fixture-note-{}", std::process::id());
    let (code, _, err) = test_cmd(
        &[root.join("f/a.jsonl").to_str().unwrap()],
        Path::new(&work),
    );
    let _ = std::fs::remove_dir_all(&work);
    assert_eq!(code, 0);
    assert!(err.contains("a temp directory"), "{err}");
}

#[test]
fn record_keeps_no_notice_for_an_edit_already_made() {
    // An afterFileEdit outside the wave is a notice for the agent's next call when the hook
    // answers it; recording it as a fixture must not leave that notice in the project.
    let root = project("fx-record-notice");
    manifest(
        &root,
        ".cursor",
        serde_json::json!({"wave": 1, "allowedPaths": ["src/"]}),
    );
    let payload = serde_json::json!({
        "conversation_id": "c", "cursor_version": "3", "hook_event_name": "afterFileEdit",
        "workspace_roots": [root], "file_path": root.join("docs/x.md"), "edits": []
    });
    so_hook()
        .current_dir(&root)
        .args(["test", "--record", "--platform", "cursor"])
        .write_stdin(payload.to_string())
        .assert()
        .success();
    assert!(
        !root
            .join(".orchestrator/metrics/pending-notices.txt")
            .exists(),
        "recording kept a notice"
    );
}
