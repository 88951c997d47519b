//! The hand-labelled real-world sets (tests/realworld/*.jsonl, docs/realworld.md) judged by the
//! guard in the fixture project that `scripts/realworld/project.sh` lays out, as
//! `scripts/realworld/measure.py` judges them: a floor under recall (stops among the commands
//! labelled stop), precision (stops that are labelled stop) and the share of harmless commands
//! stopped, a little below what the guard measures now, so that a change that loses judgement
//! fails here. The floors are raised as the guard improves; they are never lowered to let a
//! change through.

use so_hook::hook::call::{Platform, ToolCall};
use so_hook::hook::decision::Verdict;
use so_hook::hook::evaluate::evaluate;
use so_hook::project::Environment;
use std::path::{Path, PathBuf};

#[derive(serde::Deserialize)]
struct Label {
    cmd: String,
    label: String,
    origin: String,
}

/// The fixture project, laid out once by the script the measurement uses.
fn project() -> PathBuf {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("realworld-project");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/realworld/project.sh");
        let out = std::process::Command::new("sh")
            .arg(script)
            .arg(&dir)
            .output()
            .expect("sh runs");
        assert!(
            out.status.success(),
            "project.sh failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::canonicalize(&dir).unwrap()
    })
    .clone()
}

struct Score {
    stop: usize,
    pass: usize,
    caught: usize,
    false_alarms: usize,
}

fn score(file: &str, project_level: bool) -> Score {
    let root = project();
    let env = Environment {
        home: Some(PathBuf::from("/home/tester")),
        state_home: None,
        tmpdir: Some(PathBuf::from("/tmp")),
        claude_project_dir: None,
        process_cwd: Some(root.clone()),
    };
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
    let mut s = Score {
        stop: 0,
        pass: 0,
        caught: 0,
        false_alarms: 0,
    };
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let l: Label = serde_json::from_str(line).unwrap();
        if project_level && l.origin == "system-script" {
            continue;
        }
        let call = ToolCall::shell(Platform::Claude, &root, &l.cmd);
        let stopped = evaluate(&call, &env).verdict() >= Verdict::Ask;
        match (l.label.as_str(), stopped) {
            ("stop", true) => {
                s.stop += 1;
                s.caught += 1;
            }
            ("stop", false) => s.stop += 1,
            (_, true) => {
                s.pass += 1;
                s.false_alarms += 1;
            }
            _ => s.pass += 1,
        }
    }
    s
}

fn check(file: &str, recall: f64, precision: f64, stopped_harmless: f64) {
    let s = score(file, true);
    let r = s.caught as f64 / s.stop as f64;
    let p = s.caught as f64 / (s.caught + s.false_alarms) as f64;
    let f = s.false_alarms as f64 / s.pass as f64;
    eprintln!(
        "{file} (project-level): recall {:.1}%, precision {:.1}%, harmless stopped {:.1}%",
        r * 100.0,
        p * 100.0,
        f * 100.0
    );
    assert!(r >= recall, "{file}: recall {r:.3} under {recall}");
    assert!(p >= precision, "{file}: precision {p:.3} under {precision}");
    assert!(
        f <= stopped_harmless,
        "{file}: {f:.3} of harmless commands stopped, over {stopped_harmless}"
    );
}

#[test]
fn the_labelled_set_keeps_its_judgement() {
    check("tests/realworld/labels.jsonl", 0.95, 0.95, 0.02);
}

#[test]
fn the_held_out_set_keeps_its_judgement() {
    check("tests/realworld/holdout.jsonl", 0.94, 0.95, 0.02);
}

#[test]
fn the_second_held_out_set_keeps_its_judgement() {
    // Measured once before the guard saw it (73.5% / 89.6% / 6.1%), then after the sources its
    // misses showed were added (docs/realworld.md): no longer held out, kept as a floor.
    check("tests/realworld/holdout2.jsonl", 0.91, 0.93, 0.04);
}

#[test]
fn the_third_held_out_set_keeps_its_judgement() {
    // Measured once, nothing changed for it: 79.5% / 95.4% / 2.5% (docs/realworld.md).
    check("tests/realworld/holdout3.jsonl", 0.78, 0.93, 0.03);
}

#[test]
fn the_blind_pack_set_keeps_its_judgement() {
    // Written blind by a helper from the CLIs' references (cloud, IaC, clusters, containers,
    // databases, hosting, disks, host). Measured once before anything changed for it: 98.4% /
    // 92.5% / 9.9% (10 false alarms, all dry runs or reads); then its 12 disagreements were
    // fixed (docs/packs.md), so it is a floor now, no longer held out.
    check("tests/realworld/packs-blind.jsonl", 0.97, 0.97, 0.02);
}
