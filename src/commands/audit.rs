//! `so-hook audit`: the size of what an agent loads every turn (CLAUDE.md, AGENTS.md, rule files,
//! skills, the Session Config), with one concrete suggestion per finding, and the ignore files a
//! project with generated directories should have.
//!
//! Tokens are estimated as bytes / 4 (close enough for English and code to compare files; not a
//! tokenizer). Thresholds, in lines: an instruction file (CLAUDE.md, AGENTS.md,
//! CLAUDE.local.md) warns above 150 and is high above 250; a rule file warns above 100; a skill
//! file warns above 300; the Session Config section warns above 60; everything loaded every turn
//! together warns above 8,000 estimated tokens.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const INSTRUCTION_WARN: usize = 150;
const INSTRUCTION_HIGH: usize = 250;
const RULE_WARN: usize = 100;
const SKILL_WARN: usize = 300;
const SESSION_CONFIG_WARN: usize = 60;
const ALWAYS_TOKENS_WARN: usize = 8_000;
/// Generated or vendored directories an agent should not read.
const GENERATED: &[&str] = &[
    "node_modules",
    "dist",
    "build",
    "target",
    ".next",
    "coverage",
    "vendor",
    ".venv",
    "__pycache__",
];

/// One file the audit measured.
struct Measured {
    path: PathBuf,
    kind: &'static str,
    lines: usize,
    bytes: usize,
    /// Loaded into every turn (instruction files, always-applied rules), or only on demand.
    always: bool,
}

fn measure(path: PathBuf, kind: &'static str, always: bool) -> Option<Measured> {
    let text = std::fs::read_to_string(&path).ok()?;
    Some(Measured {
        lines: text.lines().count(),
        bytes: text.len(),
        path,
        kind,
        always,
    })
}

fn tokens(bytes: usize) -> usize {
    bytes.div_ceil(4)
}

/// Files under `dir` (recursively) whose name ends with one of `exts`, sorted.
fn walk(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if exts.iter().any(|x| p.to_string_lossy().ends_with(x)) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Runs the audit of the project at `root`; prints text or JSON; returns 0.
pub fn run(root: &Path, json_out: bool) -> i32 {
    let rel = |p: &Path| {
        crate::project::paths::relative(p, root).unwrap_or_else(|| p.display().to_string())
    };
    let mut files: Vec<Measured> = Vec::new();
    for name in ["CLAUDE.md", "CLAUDE.local.md", "AGENTS.md"] {
        files.extend(measure(root.join(name), "instructions", true));
    }
    for p in walk(&root.join(".claude/rules"), &[".md"]) {
        files.extend(measure(p, "rule", true));
    }
    for p in walk(&root.join(".cursor/rules"), &[".mdc", ".md"]) {
        let always = std::fs::read_to_string(&p)
            .is_ok_and(|t| t.lines().take(20).any(|l| l.trim() == "alwaysApply: true"));
        files.extend(measure(p, "cursor rule", always));
    }
    for p in walk(&root.join(".claude/skills"), &["SKILL.md"]) {
        files.extend(measure(p, "skill", false));
    }
    let mut findings: Vec<(String, String, String)> = Vec::new(); // (file, problem, suggestion)
    for f in &files {
        let name = rel(&f.path);
        match f.kind {
            "instructions" if f.lines > INSTRUCTION_HIGH => findings.push((
                name,
                format!("{} lines (high: over {INSTRUCTION_HIGH}), about {} tokens on every turn", f.lines, tokens(f.bytes)),
                "Move reference material (long examples, API notes, history) into rule or skill files that load on demand, and keep the essentials here.".into(),
            )),
            "instructions" if f.lines > INSTRUCTION_WARN => findings.push((
                name,
                format!("{} lines (over {INSTRUCTION_WARN}), about {} tokens on every turn", f.lines, tokens(f.bytes)),
                "Trim it: cut what the agent can read from the code itself, and link to longer documents instead of copying them.".into(),
            )),
            "rule" | "cursor rule" if f.lines > RULE_WARN => findings.push((
                name,
                format!("{} lines (over {RULE_WARN}){}", f.lines, if f.always { ", loaded on every turn" } else { "" }),
                "Split it by topic, or scope it to the files it is about (globs) instead of applying it always.".into(),
            )),
            "skill" if f.lines > SKILL_WARN => findings.push((
                name,
                format!("{} lines (over {SKILL_WARN})", f.lines),
                "Move the detail into side files of the skill that it links to, read only when needed.".into(),
            )),
            _ => {}
        }
    }
    // The Session Config section.
    let mut session_config: Option<Value> = None;
    for name in ["CLAUDE.md", "AGENTS.md"] {
        let path = root.join(name);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let c = crate::project::config::parse(&text);
        if let Some(start) = c.section_line {
            let lines = text
                .lines()
                .skip(start)
                .take_while(|l| !l.starts_with("## "))
                .count();
            if lines > SESSION_CONFIG_WARN {
                findings.push((
                    format!("{name}:{start}"),
                    format!("the Session Config section has {lines} lines (over {SESSION_CONFIG_WARN})"),
                    "Keep only the keys that differ from the defaults (`so-hook config` shows every default).".into(),
                ));
            }
            session_config = Some(json!({"file": name, "line": start, "lines": lines}));
        }
    }
    let always_tokens: usize = files
        .iter()
        .filter(|f| f.always)
        .map(|f| tokens(f.bytes))
        .sum();
    if always_tokens > ALWAYS_TOKENS_WARN {
        findings.push((
            "(every turn)".into(),
            format!("about {always_tokens} tokens of instructions load on every turn (over {ALWAYS_TOKENS_WARN})"),
            "Start with the largest file above; anything only some tasks need belongs in a skill or a scoped rule.".into(),
        ));
    }
    // Ignore files for generated directories.
    let generated: Vec<&str> = GENERATED
        .iter()
        .copied()
        .filter(|d| root.join(d).is_dir())
        .collect();
    if !generated.is_empty() {
        for (ignore, platform_dir) in [(".claudeignore", ".claude"), (".cursorignore", ".cursor")] {
            let relevant = ignore == ".claudeignore" || root.join(platform_dir).is_dir();
            let text = std::fs::read_to_string(root.join(ignore)).unwrap_or_default();
            let missing: Vec<&str> = generated
                .iter()
                .copied()
                .filter(|d| !text.lines().any(|l| l.trim().trim_matches('/') == *d))
                .collect();
            if relevant && !missing.is_empty() {
                findings.push((
                    ignore.into(),
                    if text.is_empty() {
                        format!("missing, while the project has {}", missing.join(", "))
                    } else {
                        format!("does not list {}", missing.join(", "))
                    },
                    format!(
                        "Add these lines to {ignore}: {}",
                        missing
                            .iter()
                            .map(|d| format!("{d}/"))
                            .collect::<Vec<_>>()
                            .join(" ")
                    ),
                ));
            }
        }
    }
    if json_out {
        let report = json!({
            "files": files.iter().map(|f| json!({
                "path": rel(&f.path), "kind": f.kind, "lines": f.lines, "bytes": f.bytes,
                "tokens_estimate": tokens(f.bytes), "every_turn": f.always,
            })).collect::<Vec<_>>(),
            "session_config": session_config,
            "every_turn_tokens_estimate": always_tokens,
            "findings": findings.iter().map(|(file, problem, suggestion)| json!({
                "file": file, "problem": problem, "suggestion": suggestion,
            })).collect::<Vec<_>>(),
        });
        println!("{report}");
        return 0;
    }
    println!("| file | kind | lines | ~tokens | every turn |");
    println!("|---|---|---:|---:|---|");
    for f in &files {
        println!(
            "| {} | {} | {} | {} | {} |",
            rel(&f.path),
            f.kind,
            f.lines,
            tokens(f.bytes),
            if f.always { "yes" } else { "no" }
        );
    }
    println!();
    println!("About {always_tokens} tokens load on every turn (estimated as bytes / 4).");
    if findings.is_empty() {
        println!("No findings.");
    }
    for (file, problem, suggestion) in &findings {
        println!("- {file}: {problem}. {suggestion}");
    }
    0
}
