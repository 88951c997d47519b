//! A dry run of a whole session, `/session` -> `/go` (a Discovery and an Impl-Core wave) ->
//! `/close`, in a scratch git project, with the real binary. Every so-hook and git command line it
//! runs is taken from the pack's own text (the skill that owns the step), with its placeholders
//! filled: when the pack and the binary drift apart, this test breaks. Between the commands it
//! sends the hook the calls a session makes and checks what the guard answers.

use crate::common::*;
use serde_json::{Value, json};
use std::path::Path;
use std::process::Output;

/// The code of a pack file (spans and code-block lines), read as `validate --plugin` reads it.
fn pack_code(rel: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("plugin")
        .join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    so_hook::commands::pack::code_of(&text)
        .into_iter()
        .map(|(_, code)| code.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// The first command line in `rel` that starts with `prefix`.
fn template(rel: &str, prefix: &str) -> String {
    pack_code(rel)
        .into_iter()
        .find(|c| c.starts_with(prefix))
        .unwrap_or_else(|| {
            panic!("plugin/{rel} no longer writes `{prefix}...`; the dry run follows the pack")
        })
}

/// The argv of a so-hook usage template: `PLACEHOLDER`s and `a|b` alternatives (after their
/// option) from `values`; an optional `[--opt X]` (or `[--opt X]...`) group once per value in
/// `repeated`, or left out.
fn fill(template: &str, values: &[(&str, &str)], repeated: &[(&str, &[&str])]) -> Vec<String> {
    let words: Vec<&str> = template.split_whitespace().collect();
    let value = |key: &str| values.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if w.starts_with('[') {
            let flag = w.trim_start_matches('[');
            while !words[i].contains(']') {
                i += 1;
            }
            i += 1;
            for v in repeated
                .iter()
                .find(|(f, _)| *f == flag)
                .map_or(&[][..], |(_, v)| *v)
            {
                out.extend([flag.to_string(), v.to_string()]);
            }
            continue;
        }
        let word = if w.contains('|') {
            let flag = out.last().unwrap().clone();
            let chosen = value(&flag).unwrap_or_else(|| panic!("choose a value for {flag}"));
            assert!(w.split('|').any(|a| a == chosen), "{template}: {chosen}");
            chosen.to_string()
        } else if let Some(v) = value(w).filter(|_| !w.starts_with("--")) {
            v.to_string()
        } else {
            assert!(
                w.starts_with("--") || w.chars().any(|c| c.is_ascii_lowercase()),
                "{template}: the placeholder {w} is new to the dry run"
            );
            w.to_string()
        };
        out.push(word);
        i += 1;
    }
    assert_eq!(out[0], "so-hook", "{template}");
    out
}

struct Session {
    root: std::path::PathBuf,
    path: String,
}

impl Session {
    fn so_hook(&self, argv: &[String]) -> Output {
        so_hook()
            .args(&argv[1..])
            .current_dir(&self.root)
            .env("PATH", &self.path)
            .output()
            .unwrap()
    }

    /// A git command line of the pack, with the state dir and the start ref filled in.
    fn sh(&self, line: &str, start_ref: &str) -> String {
        let line = line
            .replace("<state-dir>", ".claude")
            .replace("SESSION_START_REF", start_ref)
            .replace("START_REF", start_ref);
        let out = std::process::Command::new("sh")
            .args(["-c", &line])
            .current_dir(&self.root)
            .output()
            .unwrap();
        assert!(out.status.success(), "{line}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    }

    fn git(&self, args: &[&str]) -> String {
        let out = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(&self.root)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    }

    fn edit(&self, rel: &str) -> Answer {
        run(&write_call(
            &self.root,
            &self.root.join(rel).to_string_lossy(),
        ))
    }
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{out:?}"))
}

fn sorted_lines(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text.lines().map(str::to_string).collect();
    v.sort();
    v.dedup();
    v
}

#[test]
fn a_session_runs_from_the_packs_own_command_lines() {
    let bin = assert_cmd::cargo::cargo_bin("so-hook");
    let s = Session {
        root: project("dry-run"),
        path: format!(
            "{}:{}",
            bin.parent().unwrap().display(),
            std::env::var("PATH").unwrap_or_default()
        ),
    };
    let p = "claude";
    s.git(&["init", "-q"]);
    write(
        &s.root,
        "CLAUDE.md",
        "# App\n\n## Session Config\n\n- **typecheck-command:** skip\n- **test-command:** test -s src/app.txt\n- **lint-command:** skip\n",
    );
    write(&s.root, "src/app.txt", "one\n");
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "start"]);
    // What an earlier, closed session left: its logbook and its metrics (not project changes).
    write(&s.root, ".claude/STATE.md", "---\nstatus: completed\n---\n");
    write(&s.root, ".orchestrator/metrics/sessions.jsonl", "{}\n");
    assert_eq!(run(&bash(&s.root, "git push --force")).verdict(), "deny");

    // /session: config, the guard proven by doctor, no leftover scope, the baseline.
    let config = fill(
        &template("reference/config-reading.md", "so-hook config --json"),
        &[("P", p)],
        &[],
    );
    let out = s.so_hook(&config);
    assert!(out.status.success(), "{out:?}");
    let c = json_of(&out);
    assert_eq!(c["config"]["isolation"], "none");
    assert_eq!(c["config"]["enforcement"], "strict");
    let doctor = fill(
        &template("skills/session-start/SKILL.md", "so-hook doctor"),
        &[("P", p)],
        &[],
    );
    assert_eq!(
        s.so_hook(&doctor).status.code(),
        Some(1),
        "no registration: the guard check must not pass"
    );
    write(
        &s.root,
        ".claude/settings.json",
        r#"{"hooks": {"PreToolUse": [{"matcher": "Bash|Edit|Write", "hooks": [{"type": "command", "command": "so-hook hook --platform claude"}]}]}}"#,
    );
    let out = s.so_hook(&doctor);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    s.git(&["add", ".claude/settings.json"]);
    s.git(&["commit", "-qm", "register so-hook"]);
    let show = fill(
        &template("skills/session-start/SKILL.md", "so-hook scope show"),
        &[("P", p)],
        &[],
    );
    assert!(s.so_hook(&show).status.success());
    let gate = template("skills/quality-gates/SKILL.md", "so-hook gate --variant");
    let baseline = fill(&gate, &[("--variant", "baseline"), ("P", p)], &[]);
    let out = s.so_hook(&baseline);
    assert_eq!(json_of(&out)["outcome"], "passed", "{out:?}");

    // /go: init. The tree counts as clean: the workflow's own files are left out.
    let version = template("skills/wave-executor/SKILL.md", "so-hook --version");
    assert!(s.so_hook(&fill(&version, &[], &[])).status.success());
    let clean = template("skills/wave-executor/SKILL.md", "git status --porcelain");
    let start_ref = s.git(&["rev-parse", "HEAD"]).trim().to_string();
    assert_eq!(s.sh(&clean, &start_ref), "", "{clean}");
    // The coordinator writes its STATE.md, in any wave.
    assert_eq!(s.edit(".claude/STATE.md").verdict(), "allow");

    // Wave 1, Discovery: nothing may be edited.
    let discovery = fill(
        &template(
            "skills/wave-executor/wave-loop.md",
            "so-hook scope set --wave N --role Discovery",
        ),
        &[("N", "1"), ("P", p)],
        &[],
    );
    assert!(s.so_hook(&discovery).status.success());
    assert_eq!(s.edit("src/app.txt").rule(), "scope-not-allowed");
    assert_eq!(s.edit(".claude/STATE.md").verdict(), "allow");

    // Wave 2, Impl-Core: src/ only, no commits.
    let set = template(
        "reference/so-hook.md",
        "so-hook scope set --wave N --role R",
    );
    let wave2 = fill(
        &set,
        &[("N", "2"), ("R", "Impl-Core"), ("P", p)],
        &[("--allow", &["src/"]), ("--block", &["git commit"])],
    );
    let out = s.so_hook(&wave2);
    assert!(out.status.success(), "{out:?}");
    let out = s.so_hook(&show);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Impl-Core"),
        "{out:?}"
    );
    assert_eq!(s.edit("src/app.txt").verdict(), "allow");
    write(&s.root, "src/app.txt", "one\ntwo\n");
    assert_eq!(s.edit("docs/notes.md").rule(), "scope-not-allowed");
    assert_eq!(
        run(&bash(&s.root, "git commit -am wip")).rule(),
        "wave-blocked-command"
    );
    let incremental = fill(
        &gate,
        &[("--variant", "incremental"), ("P", p)],
        &[("--since", &[&start_ref])],
    );
    let report = json_of(&s.so_hook(&incremental));
    assert_eq!(report["outcome"], "passed", "{report}");
    assert_eq!(report["files"], json!(["src/app.txt"]), "no state file");

    // After the last wave: the scope is cleared and nothing is fenced any more.
    let clear = fill(
        &template("skills/wave-executor/SKILL.md", "so-hook scope clear"),
        &[("P", p)],
        &[],
    );
    assert!(s.so_hook(&clear).status.success());
    let out = s.so_hook(&show);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("no wave manifest"),
        "{out:?}"
    );
    assert_eq!(s.edit("docs/notes.md").verdict(), "allow");

    // /close: the session's files are its change alone, the gate passes, they are committed.
    let close_config = fill(
        &template("skills/session-end/SKILL.md", "so-hook config --json"),
        &[("P", p)],
        &[],
    );
    assert!(s.so_hook(&close_config).status.success());
    let close_clear = template("skills/session-end/SKILL.md", "so-hook scope clear");
    assert!(s.so_hook(&fill(&close_clear, &[], &[])).status.success());
    let changed = template(
        "skills/session-end/SKILL.md",
        "git diff --name-only START_REF",
    );
    let untracked = template(
        "skills/session-end/SKILL.md",
        "git ls-files --others --exclude-standard",
    );
    let files = sorted_lines(&format!(
        "{}{}",
        s.sh(&changed, &start_ref),
        s.sh(&untracked, &start_ref)
    ));
    assert_eq!(
        files,
        ["src/app.txt"],
        "the workflow's own files are left out"
    );
    let full = fill(&gate, &[("--variant", "full"), ("P", p)], &[]);
    let out = s.so_hook(&full);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    for f in &files {
        s.git(&["add", "--", f]);
    }
    assert_eq!(
        sorted_lines(&s.git(&["diff", "--cached", "--name-only"])),
        files
    );
    assert_eq!(
        run(&bash(&s.root, "git commit -m 'feat: two'")).verdict(),
        "allow"
    );
    s.git(&["commit", "-qm", "feat: two"]);
    assert_eq!(
        s.git(&["ls-files", ".claude/STATE.md", ".orchestrator"]),
        "",
        "/close never commits the workflow's own files"
    );
    assert_eq!(
        s.sh(&clean, &start_ref),
        "",
        "the session's change is committed"
    );
}
