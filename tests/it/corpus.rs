//! The command corpus: every case in `tests/corpus/*.jsonl` is judged by the built-in rules in a
//! fixed project, and must come out as the file says. Cases marked `gap` are known holes owned by a
//! later issue: they must still differ from the desired decision, so closing one fails this test
//! until the mark is removed.

use so_hook::hook::call::{Platform, ToolCall};
use so_hook::hook::evaluate::evaluate;
use so_hook::project::Environment;
use std::path::{Path, PathBuf};

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    cmd: String,
    expect: String,
    #[serde(default)]
    rule: Option<String>,
    #[serde(default)]
    why: Option<String>,
    #[serde(default)]
    gap: Option<String>,
    /// For a harmless command that writes outside `src/`: what it writes (denied in a wave).
    #[serde(default)]
    wave: Option<String>,
}

/// The project every case runs in (not under a temp root), made once: the tests of this file run
/// in parallel, and one rewriting the policy file while another reads it would see it empty.
fn project() -> PathBuf {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(make_project).clone()
}

fn make_project() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-project");
    for d in [
        "src",
        "docs",
        "node_modules/.cache",
        "dist",
        "build",
        "target",
        ".git/objects",
        ".orchestrator/tmp",
    ] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
    }
    // The protected files exist, so writing them is truncation (creating one is not).
    for (f, text) in [
        ("CLAUDE.md", "# instructions\n"),
        ("AGENTS.md", "# agents\n"),
        ("SECURITY.md", "# security\n"),
        (".claude/rules/style.md", "x\n"),
        (".claude/rules/a/b.md", "x\n"),
        (".cursor/rules/a.mdc", "x\n"),
        (".git/HEAD", "ref: refs/heads/main\n"),
        (".git/config", "[core]\n"),
        (".git/index", ""),
        (".git/hooks/pre-commit", "#!/bin/sh\n"),
        (".git/refs/heads/main", "0\n"),
        (".so-hook/policy.json", "{}\n"),
        ("src/a.rs", "fn main() {}\n"),
        ("package-lock.json", "{}\n"),
    ] {
        std::fs::create_dir_all(dir.join(f).parent().unwrap()).unwrap();
        std::fs::write(dir.join(f), text).unwrap();
    }
    std::fs::canonicalize(&dir).unwrap()
}

/// The process environment of every case: `HOME=/home/tester`, `TMPDIR=/tmp`, cwd at the root.
fn environment(root: &Path) -> Environment {
    Environment {
        home: Some(PathBuf::from("/home/tester")),
        state_home: None,
        tmpdir: Some(PathBuf::from("/tmp")),
        claude_project_dir: None,
        process_cwd: Some(root.to_path_buf()),
    }
}

/// A shell call of the main session in `root`.
fn shell(root: &Path, command: &str) -> ToolCall {
    ToolCall::shell(Platform::Claude, root, command)
}

/// Every case of every corpus file, with its file and line.
fn load() -> Vec<(String, Case)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, l) in text.lines().enumerate() {
            if l.trim().is_empty() || l.trim_start().starts_with("//") {
                continue;
            }
            let case: Case =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("{name}:{}: {e}", i + 1));
            out.push((format!("{name}:{}", i + 1), case));
        }
    }
    out
}

#[test]
fn corpus() {
    let root = project();
    let env = environment(&root);
    let cases = load();
    let (mut allow, mut deny) = (0, 0);
    let mut failures = Vec::new();
    for (at, case) in &cases {
        let call = shell(&root, &case.cmd);
        let d = evaluate(&call, &env);
        let got = d.verdict().as_str();
        let got_rule = d.primary().map(|f| f.rule.clone());
        let matches = got == case.expect && (case.expect == "allow" || got_rule == case.rule);
        match (&case.gap, matches) {
            (None, true) | (Some(_), false) => {}
            (None, false) => failures.push(format!(
                "{at}: {:?}\n    expected {} {:?}, got {got} {:?} ({})",
                case.cmd,
                case.expect,
                case.rule,
                got_rule,
                case.why.as_deref().unwrap_or("")
            )),
            (Some(issue), true) => failures.push(format!(
                "{at}: {:?} is marked as a gap of issue {issue} but now comes out as expected: \
                 remove the mark",
                case.cmd
            )),
        }
        if case.expect == "allow" {
            allow += 1;
        } else {
            deny += 1;
        }
    }
    assert!(
        allow >= 150 && allow + deny >= 400,
        "corpus too small: {allow} allow, {deny} deny"
    );
    assert!(
        failures.is_empty(),
        "{} of {} corpus cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The harmless commands of the corpus again, in a strict wave that may change only `src/**` (its
/// `blockedCommands` off, to see the shell-write guard alone): none may be denied, except those
/// marked `"wave": "deny"`, which really write outside `src/` (the mark says what).
#[test]
fn harmless_commands_in_a_strict_wave() {
    let root = project();
    let wave_root = root.with_file_name("corpus-wave-project");
    let _ = std::fs::remove_dir_all(&wave_root);
    copy_tree(&root, &wave_root);
    std::fs::create_dir_all(wave_root.join(".claude")).unwrap();
    std::fs::write(
        wave_root.join(".claude/wave-scope.json"),
        r#"{"wave": 3, "enforcement": "strict", "allowedPaths": ["src/**"], "gates": {"command-guard": false}}"#,
    )
    .unwrap();
    let env = environment(&wave_root);
    let mut harmless = 0;
    let mut failures = Vec::new();
    for (at, case) in load().iter().filter(|(_, c)| c.expect == "allow") {
        let call = shell(&wave_root, &case.cmd);
        let d = evaluate(&call, &env);
        let got = (d.verdict().as_str(), d.primary().map(|f| f.rule.as_str()));
        match case.wave.as_deref() {
            None if got.0 != "deny" => harmless += 1,
            None => failures.push(format!(
                "{at}: {:?} denied in the wave: {got:?}: {}",
                case.cmd,
                d.primary().map(|f| f.reason.as_str()).unwrap_or_default()
            )),
            Some(_) if got.0 == "deny" => {}
            Some(why) => failures.push(format!(
                "{at}: {:?} writes outside the wave ({why}) but got {got:?}",
                case.cmd
            )),
        }
    }
    assert!(harmless >= 150, "only {harmless} harmless commands");
    assert!(
        failures.is_empty(),
        "{} harmless commands misjudged in a wave:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// `docs/bypasses.md`: every example with a decision is judged so in the corpus project, and every
/// test a row names exists.
#[test]
fn bypass_document() {
    let root = project();
    let env = environment(&root);
    let base = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(base.join("docs/bypasses.md")).unwrap();
    // Every Rust source of the crate and its tests, at any depth.
    let mut sources = String::new();
    let mut dirs = vec![base.join("tests"), base.join("src")];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                sources.push_str(&std::fs::read_to_string(p).unwrap());
            }
        }
    }
    let (mut judged, mut named) = (0, 0);
    let mut wrong = Vec::new();
    for line in doc
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| technique"))
    {
        let cells = table_cells(line);
        let [_, example, decision, pinned] = cells.as_slice() else {
            wrong.push(format!("not four cells: {line}"));
            continue;
        };
        if decision == "—" {
            // A test named in backticks must exist.
            if let Some(name) = pinned.strip_prefix('`').and_then(|p| p.split('`').next())
                && !name.contains('.')
                && !name.contains('/')
            {
                named += 1;
                if !sources.contains(&format!("fn {name}(")) {
                    wrong.push(format!("{name}: no such test"));
                }
            }
            continue;
        }
        let command = code_span(example).unwrap_or_else(|| panic!("no example in {line}"));
        let call = shell(&root, &command);
        let d = evaluate(&call, &env);
        let got = match d.primary() {
            Some(f) => format!("{} {}", d.verdict().as_str(), f.rule),
            None => d.verdict().as_str().to_string(),
        };
        judged += 1;
        if got != *decision {
            wrong.push(format!(
                "{command:?}: the document says {decision}, so-hook {got}"
            ));
        }
    }
    assert!(
        judged >= 50 && named >= 8,
        "{judged} examples, {named} tests"
    );
    assert!(wrong.is_empty(), "docs/bypasses.md:\n{}", wrong.join("\n"));
}

/// The cells of a Markdown table row (`\|` is a `|` inside a cell).
fn table_cells(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut chars = line.trim().trim_matches('|').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cells.last_mut().unwrap().push('|');
                chars.next();
            }
            '|' => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    cells.iter().map(|c| c.trim().to_string()).collect()
}

/// The text of the first code span (`x` or ``x``) of a cell.
fn code_span(cell: &str) -> Option<String> {
    let start = cell.find('`')?;
    let ticks = cell[start..].chars().take_while(|c| *c == '`').count();
    let fence = "`".repeat(ticks);
    let rest = &cell[start + ticks..];
    let end = rest.find(&fence)?;
    Some(rest[..end].trim().to_string())
}
