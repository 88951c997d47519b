//! After an edit (`PostToolUse`): the project's own type-check, from the `typecheck-command` of its
//! Session Config, run with a time limit. It never blocks; a failure becomes context for the agent,
//! and a command that cannot run or finish becomes a message for the user.
//!
//! It runs only when the project names the command itself (the original's default, `tsgo
//! --noEmit`, is not guessed onto every project), not for documentation files, and not when a
//! wave's manifest turns the `post-edit-validate` gate off. The command comes from a file the agent
//! can edit, so it is judged by the command guard first, like any command the agent runs.

use crate::hook::call::ToolCall;
use crate::hook::decision::{Context, ContextEvent};
use crate::project::config::{self, Config};
use crate::project::{Environment, Project};
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The longest a type-check may run, whatever the Session Config says: the handler's own timeout
/// (60 s in the shipped hook files) must not cut so-hook off first.
pub const MAX_SECONDS: u64 = 50;
/// How much of the check's output the agent is shown (its end, where the summary is).
const OUTPUT_TAIL: usize = 6_000;
/// Files whose edits cannot break a type-check.
const PROSE: &[&str] = &["md", "markdown", "mdx", "txt", "rst", "adoc"];

/// What the type-check found after `paths` were written, if there is anything to tell.
pub fn after_write(call: &ToolCall, paths: &[String], env: &Environment) -> Option<Context> {
    if paths.iter().all(|p| is_prose(p)) {
        return None;
    }
    let project = Project::load(&call.root);
    let gated_off = project
        .manifests
        .iter()
        .filter_map(|f| f.manifest.as_ref().ok())
        .any(|m| !m.post_edit_validate);
    if gated_off {
        return None;
    }
    let config = match config::load(&project.root, Some(call.platform), None) {
        Ok(c) => c,
        Err(e) => return message(format!("so-hook skipped the type-check: {e}.")),
    };
    let command = configured(&config)?;
    let source = source(&config);
    // The command runs as the agent's commands do: only if the guard would let the agent run it.
    if let Some(rule) = crate::hook::evaluate::blocking_rule(call, command, env) {
        return message(format!(
            "so-hook did not run the type-check `{command}` ({source}): the guard blocks it \
             (rule {rule}). Fix typecheck-command in the Session Config."
        ));
    }
    let seconds = timeout_seconds(&config);
    match run(command, &project.root, Duration::from_secs(seconds), false) {
        Outcome::Passed { .. } => None,
        Outcome::Failed {
            code: Some(127), ..
        } => message(format!(
            "so-hook could not run the type-check `{command}` ({source}): the command was not \
             found. Install it or fix typecheck-command in the Session Config."
        )),
        Outcome::Failed { code, output } => {
            let status = code.map_or("a signal".to_string(), |c| format!("exit status {c}"));
            let edited = paths.join(", ");
            Some(Context {
                event: ContextEvent::PostToolUse,
                text: Some(format!(
                    "The project's type-check `{command}` fails after this edit of {edited} \
                         ({status}). Its output ends:\n{}",
                    tail(&output, OUTPUT_TAIL)
                )),
                message: Some(format!(
                    "so-hook: the type-check failed after the edit of {edited} ({status})"
                )),
            })
        }
        Outcome::TimedOut => message(format!(
            "so-hook stopped the type-check `{command}` after {seconds} s; the edit was not \
             checked. Choose a faster typecheck-command or raise typecheck-timeout (at most \
             {MAX_SECONDS}) in the Session Config."
        )),
        Outcome::NotStarted(e) => message(format!(
            "so-hook could not start the type-check `{command}` ({source}): {e}."
        )),
    }
}

/// The command to run, when the Session Config names one (not the default, not `skip`).
pub fn configured(config: &Config) -> Option<&str> {
    if !config.is_set("typecheck-command") {
        return None;
    }
    config
        .str("typecheck-command")
        .map(str::trim)
        .filter(|c| !c.is_empty() && *c != "skip")
}

fn timeout_seconds(config: &Config) -> u64 {
    config
        .values
        .get("typecheck-timeout")
        .and_then(|v| v.as_u64())
        .unwrap_or(20)
        .clamp(1, MAX_SECONDS)
}

/// `CLAUDE.md:12`, where the command was set.
fn source(config: &Config) -> String {
    let file = config
        .file
        .as_ref()
        .and_then(|f| f.file_name())
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Session Config".into());
    match config.set.get("typecheck-command").and_then(|v| v.as_u64()) {
        Some(line) => format!("{file}:{line}"),
        None => file,
    }
}

fn is_prose(path: &str) -> bool {
    std::path::Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| PROSE.iter().any(|p| e.eq_ignore_ascii_case(p)))
}

/// A message for the user only.
fn message(text: String) -> Option<Context> {
    Some(Context {
        event: ContextEvent::PostToolUse,
        text: None,
        message: Some(text),
    })
}

/// How a run ended.
#[derive(Debug)]
pub enum Outcome {
    /// Exit status 0 (the output only when asked for).
    Passed {
        output: String,
    },
    Failed {
        code: Option<i32>,
        output: String,
    },
    TimedOut,
    NotStarted(String),
}

/// Runs `command` with `sh -c` in `dir`, stdin closed, stdout and stderr together; after `limit`
/// the whole process group is killed. The output of a passing run is kept only with
/// `keep_passing_output`.
pub fn run(
    command: &str,
    dir: &std::path::Path,
    limit: Duration,
    keep_passing_output: bool,
) -> Outcome {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // The check is not a guarded session call: its own hooks, if any, record nothing.
        .env("SO_HOOK_NO_EVENTS", "1");
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return Outcome::NotStarted(e.to_string()),
    };
    let readers: Vec<_> = [
        child
            .stdout
            .take()
            .map(|o| Box::new(o) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|e| Box::new(e) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|mut r| {
        std::thread::spawn(move || {
            // Only the end is shown, so only the end is kept.
            let mut kept = Vec::new();
            let mut buf = [0u8; 8192];
            while let Ok(n) = r.read(&mut buf) {
                if n == 0 {
                    break;
                }
                kept.extend_from_slice(&buf[..n]);
                if kept.len() > 4 * OUTPUT_TAIL {
                    kept.drain(..kept.len() - 2 * OUTPUT_TAIL);
                }
            }
            kept
        })
    })
    .collect();
    let start = Instant::now();
    let mut polls = 0u32;
    let status = loop {
        polls += 1;
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() >= limit => {
                kill_group(&mut child);
                return Outcome::TimedOut;
            }
            // Short waits first: most checks that pass quickly should not pay 10 ms for it.
            Ok(None) => std::thread::sleep(Duration::from_micros(
                (200 * (1 << polls.min(6))).min(10_000),
            )),
            Err(e) => {
                kill_group(&mut child);
                return Outcome::NotStarted(e.to_string());
            }
        }
    };
    if status.success() && !keep_passing_output {
        // Whatever the readers hold is not needed; they end with the pipes.
        return Outcome::Passed {
            output: String::new(),
        };
    }
    let mut output = Vec::new();
    for r in readers {
        // A grandchild that keeps the pipe open must not keep the caller waiting.
        if r.is_finished() || wait_briefly(&r) {
            output.extend(r.join().unwrap_or_default());
        }
    }
    let output = String::from_utf8_lossy(&output).into_owned();
    if status.success() {
        return Outcome::Passed { output };
    }
    Outcome::Failed {
        code: status.code(),
        output,
    }
}

fn wait_briefly<T>(r: &std::thread::JoinHandle<T>) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(500) {
        if r.is_finished() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

#[cfg(unix)]
#[allow(unsafe_code)]
fn kill_group(child: &mut std::process::Child) {
    // SAFETY: the declaration is POSIX `int kill(pid_t, int)`; pid_t is a 32-bit int on every
    // Unix so-hook is built for.
    unsafe extern "C" {
        fn kill(pid: i32, sig: i32) -> i32;
    }
    const SIGKILL: i32 = 9;
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: `kill` takes plain integers; a negative pid names the group made at spawn.
        unsafe {
            kill(-pid, SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(not(unix))]
fn kill_group(child: &mut std::process::Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// The last `max` bytes of `s`, from a line start where possible.
pub fn tail(s: &str, max: usize) -> String {
    let s = s.trim_end();
    if s.len() <= max {
        return s.to_string();
    }
    let mut start = s.len() - max;
    while !s.is_char_boundary(start) {
        start += 1;
    }
    let cut = &s[start..];
    let cut = cut.find('\n').map_or(cut, |i| &cut[i + 1..]);
    format!("...\n{cut}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_report_pass_fail_and_timeout() {
        let dir = std::env::temp_dir();
        assert!(matches!(
            run("true", &dir, Duration::from_secs(5), false),
            Outcome::Passed { .. }
        ));
        match run("echo kept", &dir, Duration::from_secs(5), true) {
            Outcome::Passed { output } => assert_eq!(output, "kept\n"),
            other => panic!("{other:?}"),
        }
        match run(
            "echo first; echo 'bad type' >&2; exit 3",
            &dir,
            Duration::from_secs(5),
            false,
        ) {
            Outcome::Failed { code, output } => {
                assert_eq!(code, Some(3));
                assert!(output.contains("bad type"), "{output}");
            }
            other => panic!("{other:?}"),
        }
        let start = Instant::now();
        assert!(matches!(
            run("sleep 5 & sleep 5", &dir, Duration::from_millis(200), false),
            Outcome::TimedOut
        ));
        assert!(start.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn only_a_named_command_runs() {
        let named = |section: &str| {
            let c = config::parse(&format!("{}\n{section}\n", config::HEADING));
            configured(&c).map(str::to_string)
        };
        assert_eq!(named(""), None, "the default is not guessed");
        assert_eq!(named("typecheck-command: skip"), None);
        assert_eq!(named("typecheck-command: none"), None);
        assert_eq!(
            named("- **typecheck-command:** cargo check").as_deref(),
            Some("cargo check")
        );
    }

    #[test]
    fn tail_keeps_the_end_from_a_line_start() {
        let s = (0..1000).map(|i| format!("line {i}\n")).collect::<String>();
        let t = tail(&s, 100);
        assert!(t.starts_with("...\nline "), "{t}");
        assert!(t.ends_with("line 999"));
        assert!(t.len() <= 104);
    }

    #[test]
    fn prose_is_not_checked() {
        assert!(is_prose("docs/a.md") && is_prose("README.MD"));
        assert!(!is_prose("src/a.ts") && !is_prose("Makefile"));
    }
}
