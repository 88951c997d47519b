//! `so-hook gate`: the project's quality checks (type-check, tests, lint) as the Session Config
//! names them, each run with a time limit, reported as one JSON object.
//!
//! A command that contains `{files}` is given the files of the run (the changed ones for
//! `incremental`, the listed ones for `per-file`), shell-quoted; other commands check the whole
//! project. `skip` (or `none`) turns a check off; a command that is not installed (exit 127) is a
//! skip with that reason, not a failure; a command the command guard would block is not run.

use crate::hook::call::{Platform, Tool, ToolCall};
use crate::hook::typecheck::{Outcome, run, tail};
use crate::project::Environment;
use crate::project::config::Config;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Which checks run, on what, and whether a failure fails the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Variant {
    /// Every check on the whole project, to record the state before a session (never fails).
    Baseline,
    /// Every check; `{files}` commands get the files changed since --since.
    Incremental,
    /// Every check on the whole project; any failure fails the gate (exit 2).
    Full,
    /// Every check; `{files}` commands get the files listed with --files.
    PerFile,
}

impl Variant {
    fn as_str(self) -> &'static str {
        match self {
            Variant::Baseline => "baseline",
            Variant::Incremental => "incremental",
            Variant::Full => "full",
            Variant::PerFile => "per-file",
        }
    }
}

/// One `so-hook gate` run.
pub struct Request {
    pub root: std::path::PathBuf,
    pub platform: Option<Platform>,
    pub variant: Variant,
    pub files: Vec<String>,
    pub since: Option<String>,
    pub timeout: Duration,
}

/// The checks, in the order they run: (name in the report, Session Config key).
const CHECKS: [(&str, &str); 3] = [
    ("typecheck", "typecheck-command"),
    ("test", "test-command"),
    ("lint", "lint-command"),
];

/// How many bytes of a check's output the report keeps (its end).
const OUTPUT_TAIL: usize = 4_000;

/// Runs the gate, prints the report; returns the exit status (0 pass or informational, 2 the full
/// gate failed, 1 misuse).
pub fn run_gate(req: &Request) -> i32 {
    let config = match crate::project::config::load(&req.root, req.platform, None) {
        Ok(c) if c.is_valid() => c,
        Ok(c) => {
            for p in c
                .problems
                .iter()
                .filter(|p| p.severity == crate::project::config::Severity::Error)
            {
                eprintln!(
                    "so-hook gate: Session Config line {}: {}",
                    p.line, p.message
                );
            }
            return 1;
        }
        Err(e) => {
            eprintln!("so-hook gate: {e}");
            return 1;
        }
    };
    let files = match files(req) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("so-hook gate: {e}");
            return 1;
        }
    };
    let mut checks = serde_json::Map::new();
    let mut failed = false;
    let mut ran = 0;
    for (name, key) in CHECKS {
        let result = check(req, &config, key, files.as_deref());
        failed |= matches!(result["status"].as_str(), Some("fail" | "timeout"));
        ran += usize::from(matches!(
            result["status"].as_str(),
            Some("pass" | "fail" | "timeout")
        ));
        checks.insert(name.into(), result);
    }
    // A gate in which no check ran proves nothing: it never reads as passed.
    let outcome = match (failed, ran) {
        (true, _) => "failed",
        (false, 0) => "nothing ran",
        (false, _) => "passed",
    };
    let gate_fails = req.variant == Variant::Full && outcome != "passed";
    let report = json!({
        "variant": req.variant.as_str(),
        "files": files,
        "checks": checks,
        "ran": ran,
        "outcome": outcome,
        "passed": outcome == "passed",
        "config": config.file.as_ref().map(|f| f.display().to_string()),
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&report).expect("JSON values serialize")
    );
    if gate_fails { 2 } else { 0 }
}

/// The files of the run: listed (`per-file`), changed since the ref (`incremental`), or none.
fn files(req: &Request) -> Result<Option<Vec<String>>, String> {
    match req.variant {
        Variant::PerFile | Variant::Incremental if !req.files.is_empty() => Ok(Some(
            req.files.iter().filter(|f| !is_state(f)).cloned().collect(),
        )),
        Variant::PerFile => Err("--variant per-file needs --files a,b,...".into()),
        Variant::Incremental => {
            let since = req.since.as_deref().unwrap_or("HEAD");
            let git = |args: &[&str]| {
                std::process::Command::new("git")
                    .arg("-C")
                    .arg(&req.root)
                    .args(args)
                    .output()
                    .map_err(|e| format!("cannot run git: {e}"))
            };
            let diff = git(&["diff", "--name-only", "--diff-filter=d", since, "--"])?;
            if !diff.status.success() {
                return Err(format!(
                    "git cannot compare with `{since}`: {}",
                    String::from_utf8_lossy(&diff.stderr).trim()
                ));
            }
            let untracked = git(&["ls-files", "--others", "--exclude-standard"])?;
            let mut out: Vec<String> = String::from_utf8_lossy(&diff.stdout)
                .lines()
                .chain(String::from_utf8_lossy(&untracked.stdout).lines())
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
            // The session's own state is no source to check.
            out.retain(|f| !is_state(f));
            out.sort();
            out.dedup();
            Ok(Some(out))
        }
        Variant::Baseline | Variant::Full => Ok(None),
    }
}

/// Whether a project-relative file is the session's own state: the coordinator's STATE.md and
/// the wave manifests (`.claude/`, `.codex/`, `.cursor/`), the metrics (`.orchestrator/`) and the
/// policy (`.so-hook/`).
fn is_state(file: &str) -> bool {
    let f = file.trim_start_matches("./");
    [
        ".claude/",
        ".codex/",
        ".cursor/",
        ".orchestrator/",
        ".so-hook/",
    ]
    .iter()
    .any(|d| f.starts_with(d))
}

/// One check's report.
fn check(req: &Request, config: &Config, key: &str, files: Option<&[String]>) -> Value {
    let configured = config.str(key).map(str::trim).unwrap_or_default();
    let origin = if config.is_set(key) {
        "Session Config"
    } else {
        "default"
    };
    if configured.is_empty() || configured == "skip" || configured == "none" {
        return json!({"status": "skip", "reason": format!("{key} is off in the Session Config")});
    }
    // A default the project does not use is not run (it would fail, or skip as not installed and
    // read as nothing wrong): the TypeScript and pnpm defaults need the files they read.
    if !config.is_set(key) {
        let program = configured.split_whitespace().next().unwrap_or_default();
        let needs = match program {
            "tsgo" | "tsc" => Some("tsconfig.json"),
            "pnpm" | "npm" | "yarn" | "npx" => Some("package.json"),
            _ => None,
        };
        if let Some(file) = needs
            && !req.root.join(file).is_file()
        {
            return json!({"command": configured, "origin": origin, "status": "skip",
                "reason": format!("{key} is not set in the Session Config, and the default \
                    `{configured}` is not for this project (no {file})")});
        }
    }
    let (command, scope) = match (configured.contains("{files}"), files) {
        (true, Some([])) => {
            return json!({"command": configured, "status": "skip",
                          "reason": "no files to check"});
        }
        (true, Some(f)) => (configured.replace("{files}", &shell_words(f)), "files"),
        (true, None) => (configured.replace("{files}", "."), "project"),
        (false, _) => (configured.to_string(), "project"),
    };
    // The check runs as the agent's commands do: only if the guard would let it run.
    let project = ToolCall {
        platform: req.platform.unwrap_or(Platform::Claude),
        tool: Tool::Other {
            name: "gate".into(),
        },
        agent_id: None,
        root: req.root.clone(),
        cwd: req.root.clone(),
    };
    if let Some(rule) =
        crate::hook::evaluate::blocking_rule(&project, &command, &Environment::from_process())
    {
        return json!({"command": command, "origin": origin, "status": "skip",
                      "reason": format!("so-hook's command guard blocks it (rule {rule})")});
    }
    let start = Instant::now();
    let outcome = run(&command, &req.root, req.timeout, true);
    let duration = (start.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    let mut r = json!({"command": command, "origin": origin, "scope": scope,
                       "duration_s": duration});
    let (status, code, output, reason) = match outcome {
        Outcome::Passed { output } => ("pass", Some(0), output, None),
        Outcome::Failed {
            code: Some(127),
            output,
        } => (
            "skip",
            Some(127),
            output,
            Some("the command is not installed (exit 127)".to_string()),
        ),
        Outcome::Failed { code, output } => ("fail", code, output, None),
        Outcome::TimedOut => (
            "timeout",
            None,
            String::new(),
            Some(format!("stopped after {} s", req.timeout.as_secs())),
        ),
        Outcome::NotStarted(e) => ("skip", None, String::new(), Some(e)),
    };
    r["status"] = json!(status);
    r["exit_code"] = json!(code);
    r["output_tail"] = json!(tail(&output, OUTPUT_TAIL));
    if let Some(reason) = reason {
        r["reason"] = json!(reason);
    }
    r
}

/// Files as shell words, each single-quoted.
fn shell_words(files: &[String]) -> String {
    files
        .iter()
        .map(|f| format!("'{}'", f.replace('\'', "'\\''")))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_quoted_one_by_one() {
        assert_eq!(
            shell_words(&["a b.rs".into(), "it's.ts".into()]),
            "'a b.rs' 'it'\\''s.ts'"
        );
    }
}
