//! `so-hook gate` and `so-hook audit` on small projects made here.

use crate::common::*;
use serde_json::Value;
use std::path::Path;

fn run_json(root: &Path, args: &[&str]) -> (i32, Value) {
    let out = so_hook().args(args).current_dir(root).output().unwrap();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap_or(-1), v)
}

fn git(root: &Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .args(["-c", "user.email=t@t", "-c", "user.name=t"])
        .args(args)
        .current_dir(root)
        .output()
        .unwrap()
        .status
        .success();
    assert!(ok, "git {args:?}");
}

fn gate_project(name: &str) -> std::path::PathBuf {
    let root = project(name);
    write(
        &root,
        "CLAUDE.md",
        "## Session Config\n\n- **typecheck-command:** true\n- **test-command:** echo '3 passed, 1 failed'; exit 1\n- **lint-command:** no-such-linter-here {files}\n",
    );
    root
}

#[test]
fn the_full_gate_fails_on_a_failing_check_and_a_missing_tool_is_a_skip() {
    let root = gate_project("gate-full");
    let (code, v) = run_json(&root, &["gate", "--variant", "full"]);
    assert_eq!(code, 2, "{v}");
    assert_eq!(v["checks"]["typecheck"]["status"], "pass");
    assert_eq!(v["checks"]["test"]["status"], "fail");
    assert_eq!(v["checks"]["test"]["exit_code"], 1);
    assert!(
        v["checks"]["test"]["output_tail"]
            .as_str()
            .unwrap()
            .contains("3 passed, 1 failed")
    );
    assert_eq!(v["checks"]["lint"]["status"], "skip");
    assert_eq!(v["checks"]["lint"]["exit_code"], 127);
    assert_eq!(v["passed"], false);
    // The baseline only informs.
    let (code, v) = run_json(&root, &["gate", "--variant", "baseline"]);
    assert_eq!(code, 0);
    assert_eq!(v["passed"], false);
}

#[test]
fn incremental_and_per_file_hand_the_files_to_commands_that_take_them() {
    let root = gate_project("gate-files");
    write(
        &root,
        "CLAUDE.md",
        "## Session Config\n\ntypecheck-command: skip\ntest-command: true\nlint-command: echo checking {files}\n",
    );
    git(&root, &["init", "-q"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "start"]);
    write(&root, "src/changed file.ts", "x\n");
    let (code, v) = run_json(
        &root,
        &["gate", "--variant", "incremental", "--since", "HEAD"],
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["files"], serde_json::json!(["src/changed file.ts"]));
    assert_eq!(v["checks"]["typecheck"]["status"], "skip");
    let lint = &v["checks"]["lint"];
    assert_eq!(lint["scope"], "files");
    assert!(
        lint["output_tail"]
            .as_str()
            .unwrap()
            .contains("checking src/changed file.ts"),
        "{lint}"
    );
    let (_, v) = run_json(
        &root,
        &["gate", "--variant", "per-file", "--files", "a.ts,b.ts"],
    );
    assert!(
        v["checks"]["lint"]["output_tail"]
            .as_str()
            .unwrap()
            .contains("checking a.ts b.ts")
    );
    // Misuse: a ref git does not know, per-file without files.
    let out = so_hook()
        .args(["gate", "--variant", "incremental", "--since", "no-such-ref"])
        .current_dir(&root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = so_hook()
        .args(["gate", "--variant", "per-file"])
        .current_dir(&root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_slow_check_times_out_and_a_destructive_one_is_not_run() {
    let root = gate_project("gate-slow");
    write(&root, "src/keep.rs", "fn main() {}\n");
    write(
        &root,
        "CLAUDE.md",
        "## Session Config\n\ntypecheck-command: sleep 20\ntest-command: rm -rf src\nlint-command: skip\n",
    );
    let start = std::time::Instant::now();
    let (code, v) = run_json(&root, &["gate", "--variant", "full", "--timeout", "1"]);
    assert!(start.elapsed().as_secs() < 10);
    assert_eq!(code, 2);
    assert_eq!(v["checks"]["typecheck"]["status"], "timeout");
    assert_eq!(v["checks"]["test"]["status"], "skip");
    assert!(
        v["checks"]["test"]["reason"]
            .as_str()
            .unwrap()
            .contains("rm-recursive-force")
    );
    assert!(root.join("src/keep.rs").exists());
}

#[test]
fn audit_flags_oversized_instructions_and_missing_ignore_files() {
    let root = project("audit");
    let big: String = (0..300)
        .map(|i| format!("instruction line {i}\n"))
        .collect();
    write(&root, "CLAUDE.md", &format!("# Project\n{big}"));
    write(&root, ".claude/rules/style.md", "Use tabs.\n");
    std::fs::create_dir_all(root.join("node_modules")).unwrap();
    let (code, v) = run_json(&root, &["audit", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(v["files"].as_array().unwrap().len(), 2);
    let findings: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {} {}", f["file"], f["problem"], f["suggestion"]))
        .collect();
    assert!(
        findings
            .iter()
            .any(|f| f.contains("CLAUDE.md") && f.contains("301 lines (high")),
        "{findings:?}"
    );
    assert!(
        findings
            .iter()
            .any(|f| f.contains(".claudeignore") && f.contains("node_modules/")),
        "{findings:?}"
    );
    // Fixed: no findings.
    write(&root, "CLAUDE.md", "# Project\nShort.\n");
    write(&root, ".claudeignore", "node_modules/\n");
    let (_, v) = run_json(&root, &["audit", "--json"]);
    assert_eq!(v["findings"], serde_json::json!([]), "{v}");
}

#[test]
fn a_gate_in_which_nothing_ran_is_no_pass_and_guessed_defaults_are_not_run() {
    // With no Session Config the defaults (tsgo, pnpm) were run; with none installed every check
    // was a skip and the gate said "passed": true.
    let root = project("gate-nothing");
    let (code, v) = run_json(&root, &["gate", "--variant", "full"]);
    assert_eq!(v["outcome"], "nothing ran", "{v}");
    assert_eq!(v["passed"], false, "{v}");
    assert_eq!(v["ran"], 0);
    assert_eq!(
        code, 2,
        "a full gate that checked nothing does not pass: {v}"
    );
    for check in ["typecheck", "test", "lint"] {
        assert_eq!(v["checks"][check]["status"], "skip", "{v}");
        assert!(
            v["checks"][check]["reason"]
                .as_str()
                .unwrap()
                .contains("not for this project"),
            "{v}"
        );
    }
    // The session's own files are no sources to check.
    write(
        &root,
        "CLAUDE.md",
        "## Session Config\n\n- **typecheck-command:** echo {files}\n- **test-command:** true\n- **lint-command:** skip\n",
    );
    let (_, v) = run_json(
        &root,
        &[
            "gate",
            "--variant",
            "per-file",
            "--files",
            "src/a.rs,.claude/STATE.md,.orchestrator/metrics/events.jsonl,.claude/wave-scope.json",
        ],
    );
    assert_eq!(v["files"], serde_json::json!(["src/a.rs"]), "{v}");
    assert_eq!(v["outcome"], "passed", "{v}");
}
