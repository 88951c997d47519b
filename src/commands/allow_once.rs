//! `so-hook allow-once`: the user approves one denied command, once, from a terminal (the store
//! and its records are in [`crate::hook::grants`]).

use crate::hook::decision::clamp;
use crate::hook::grants::{self, GRANT_TTL, PENDING_TTL};
use crate::project::Environment;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// Runs `so-hook allow-once [CODE]`; returns the exit status.
pub fn run(code: Option<&str>) -> i32 {
    let env = Environment::from_process();
    let Some(store) = grants::store(&env) else {
        eprintln!(
            "so-hook allow-once: neither HOME nor XDG_STATE_HOME is set, so there is no record of \
             denied commands to approve"
        );
        return 1;
    };
    prune(&store, grants::now());
    match code {
        None => list(&store),
        Some(c) => {
            // A terminal an agent opened (a pseudo-terminal it drives) is no user: an approval
            // started from inside an agent's session is refused.
            if let Some(agent) = agent_session() {
                eprintln!(
                    "so-hook allow-once: this runs inside an agent's session ({agent}); an \
                     approval is typed by the user in a terminal of their own. Nothing was granted."
                );
                return 1;
            }
            approve(&store, &c.to_ascii_lowercase(), &mut Terminal::open())
        }
    }
}

/// The environment markers the agent clients set for the commands they run.
const AGENT_MARKERS: &[&str] = &[
    "CLAUDECODE",
    "CODEX_SANDBOX",
    "CODEX_THREAD_ID",
    "GEMINI_CLI",
    "COPILOT_CLI",
    "OPENCODE",
    "CURSOR_AGENT",
];

/// The program names of the agent clients (their process, or the script node runs).
const AGENT_PROGRAMS: &[&str] = &[
    "claude",
    "claude-code",
    "codex",
    "gemini",
    "gemini-cli",
    "copilot",
    "opencode",
    "cursor-agent",
    "cursor",
];

/// The agent client this process runs under, if any: a marker in the environment, or a client
/// among its ancestor processes (Linux).
fn agent_session() -> Option<String> {
    if let Some(m) = AGENT_MARKERS
        .iter()
        .find(|m| std::env::var_os(m).is_some_and(|v| !v.is_empty()))
    {
        return Some(format!("${m} is set"));
    }
    ancestors().into_iter().find_map(|(pid, argv)| {
        argv.iter().take(2).find_map(|a| {
            let name = a.rsplit('/').next().unwrap_or_default();
            let name = name.trim_end_matches(".js").trim_end_matches(".mjs");
            AGENT_PROGRAMS
                .contains(&name)
                .then(|| format!("{name}, process {pid}"))
        })
    })
}

/// This process's ancestors, nearest first, with their command lines (Linux's /proc).
fn ancestors() -> Vec<(u32, Vec<String>)> {
    let parent = |pid: &str| -> Option<u32> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // `pid (comm) state ppid ...`: the name may hold spaces and parentheses.
        stat.rsplit_once(')')?
            .1
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    let mut out = Vec::new();
    let mut pid = parent("self");
    while let Some(p) = pid.filter(|p| *p > 1) {
        if out.len() >= 64 {
            break;
        }
        let argv = std::fs::read(format!("/proc/{p}/cmdline"))
            .map(|b| {
                b.split(|c| *c == 0)
                    .filter(|a| !a.is_empty())
                    .map(|a| String::from_utf8_lossy(a).into_owned())
                    .collect()
            })
            .unwrap_or_default();
        out.push((p, argv));
        pid = parent(&p.to_string());
    }
    out
}

/// Lists the commands denied in the last hour, newest first.
fn list(store: &Path) -> i32 {
    let mut pending = records(&store.join("pending"));
    pending.sort_by_key(|(_, r)| std::cmp::Reverse(r["denied_at"].as_u64().unwrap_or(0)));
    if pending.is_empty() {
        println!("No command was denied in the last hour.");
        return 0;
    }
    let now = grants::now();
    for (_, r) in pending {
        let ago = now.saturating_sub(r["denied_at"].as_u64().unwrap_or(0)) / 60;
        println!(
            "{}  {} min ago  {}\n        in {}: {}",
            r["code"].as_str().unwrap_or("?"),
            ago,
            r["rule"].as_str().unwrap_or("?"),
            r["root"].as_str().unwrap_or("?"),
            visible(&clamp(r["command"].as_str().unwrap_or(""), 160))
        );
    }
    println!("\nApprove one with `so-hook allow-once CODE`.");
    0
}

/// Where the question is asked and the answer read: the terminal, never standard input (which an
/// agent could fill).
pub trait Confirm {
    /// Shows `question` and returns the line typed, or `None` when there is no terminal.
    fn ask(&mut self, question: &str) -> Option<String>;
}

/// The controlling terminal (`/dev/tty`).
pub struct Terminal(Option<std::fs::File>);

impl Terminal {
    pub fn open() -> Terminal {
        Terminal(
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open("/dev/tty")
                .ok(),
        )
    }
}

impl Confirm for Terminal {
    fn ask(&mut self, question: &str) -> Option<String> {
        let tty = self.0.as_mut()?;
        tty.write_all(question.as_bytes()).ok()?;
        tty.flush().ok()?;
        let mut line = String::new();
        BufReader::new(tty).read_line(&mut line).ok()?;
        Some(line)
    }
}

/// Approves the command of `code` once the user types `yes`.
pub fn approve(store: &Path, code: &str, confirm: &mut dyn Confirm) -> i32 {
    if !grants::is_code(code) {
        eprintln!(
            "so-hook allow-once: `{code}` is not a code (six letters and digits, as the deny's \
             reason gave it); `so-hook allow-once` lists the codes of the last hour"
        );
        return 2;
    }
    let record = grants::pending_path(store, code);
    let Some(r) = grants::read(&record) else {
        eprintln!(
            "so-hook allow-once: no command denied in the last hour has the code {code}; \
             `so-hook allow-once` lists the codes of the last hour"
        );
        return 1;
    };
    let (Some(root), Some(cwd), Some(command)) =
        (r["root"].as_str(), r["cwd"].as_str(), r["command"].as_str())
    else {
        eprintln!("so-hook allow-once: the record of {code} is damaged; nothing was granted");
        return 1;
    };
    let subject = grants::Subject {
        root: Path::new(root),
        cwd: Path::new(cwd),
        command,
    };
    // The record must be the one its code names: a code is the project's, the directory's and
    // the command's.
    if grants::code(&subject) != code {
        eprintln!(
            "so-hook allow-once: the record of {code} does not match its code; nothing was granted"
        );
        return 1;
    }
    let shown = if command.len() > 2000 {
        format!(
            "{}\n           ({} bytes in all; the first 2000 are shown)",
            visible(&clamp(command, 2000)),
            command.len()
        )
    } else {
        visible(command)
    };
    let question = format!(
        "so-hook: approve a denied command, once\n  project: {}\n  in:      {}\n  command: \
         {shown}\n  denied:  {} - {}\nIf you approve, the agent's next call of exactly this \
         command in this directory, within {} minutes, is allowed, once, if the guard still finds \
         the same. No rule is switched off.\nType yes to approve: ",
        visible(root),
        visible(cwd),
        visible(r["rule"].as_str().unwrap_or("?")),
        visible(&clamp(r["reason"].as_str().unwrap_or(""), 600)),
        GRANT_TTL / 60
    );
    let Some(answer) = confirm.ask(&question) else {
        eprintln!(
            "so-hook allow-once: there is no terminal to confirm on; an approval must be typed \
             by the user at a terminal. Nothing was granted."
        );
        return 1;
    };
    if answer.trim() != "yes" {
        eprintln!("so-hook allow-once: not approved (type yes to approve); nothing was granted");
        return 1;
    }
    let now = grants::now();
    let grant = json!({
        "version": 1,
        "code": code,
        "root": root,
        "cwd": cwd,
        "command": command,
        "rule": r["rule"],
        "reason": r["reason"],
        "granted_at": now,
        "expires_at": now + GRANT_TTL,
    });
    let path = grants::grant_path(store, code);
    if let Err(e) = grants::remember(&path, &grant) {
        eprintln!(
            "so-hook allow-once: could not write the approval to {}: {e}",
            path.display()
        );
        return 1;
    }
    let _ = std::fs::remove_file(&record);
    // The events go where the denied call's platform keeps them (its Session Config may turn
    // them off).
    let platform = r["platform"]
        .as_str()
        .and_then(crate::hook::call::Platform::from_id)
        .unwrap_or(crate::hook::call::Platform::Claude);
    let _ = crate::hook::events::append(
        Path::new(root),
        platform,
        json!({"event": "allow-once", "code": code, "rule": r["rule"], "expires_at": now + GRANT_TTL}),
    );
    println!(
        "Approved: the agent may run it once in {root} within {} minutes. Tell it to try again.",
        GRANT_TTL / 60
    );
    0
}

/// Text as it may be shown on a terminal: control characters (escape sequences that could move
/// the cursor or hide what follows) are shown as escapes, not sent.
fn visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' => " \\n ".to_string(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// The records of a store directory, with their paths.
fn records(dir: &Path) -> Vec<(PathBuf, Value)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| grants::read(&p).map(|r| (p, r)))
        .collect()
}

/// Removes the records past their time: denials older than an hour, expired grants, and anything
/// that is not a record.
fn prune(store: &Path, now: u64) {
    for (kind, key, ttl) in [
        ("pending", "denied_at", PENDING_TTL),
        ("grants", "expires_at", 0),
    ] {
        let Ok(entries) = std::fs::read_dir(store.join(kind)) else {
            continue;
        };
        for p in entries.flatten().map(|e| e.path()) {
            let live = grants::read(&p)
                .and_then(|r| r[key].as_u64())
                .is_some_and(|t| now <= t + ttl);
            if !live {
                let _ = std::fs::remove_file(&p);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Typed(Option<&'static str>, String);

    impl Confirm for Typed {
        fn ask(&mut self, question: &str) -> Option<String> {
            self.1 = question.to_string();
            self.0.map(str::to_string)
        }
    }

    fn store(name: &str) -> PathBuf {
        let s =
            std::env::temp_dir().join(format!("so-hook-allow-once-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&s);
        s
    }

    fn subject<'a>(root: &'a str, command: &'a str) -> grants::Subject<'a> {
        grants::Subject {
            root: Path::new(root),
            cwd: Path::new(root),
            command,
        }
    }

    fn deny(store: &Path, root: &str, command: &str) -> String {
        let code = grants::code(&subject(root, command));
        let entry = json!({"root": root, "cwd": root, "command": command,
                           "rule": "rm-recursive-force", "reason": "it deletes src",
                           "denied_at": grants::now()});
        grants::remember(&grants::pending_path(store, &code), &entry).unwrap();
        code
    }

    #[test]
    fn only_yes_typed_at_the_terminal_grants() {
        let s = store("yes");
        let root = s.join("project");
        let root = root.to_str().unwrap();
        let code = deny(&s, root, "rm -rf src");
        for typed in [None, Some("no\n"), Some("y\n"), Some("YES please\n")] {
            assert_eq!(
                approve(&s, &code, &mut Typed(typed, String::new())),
                1,
                "{typed:?}"
            );
            assert!(!grants::grant_path(&s, &code).exists(), "{typed:?} granted");
        }
        let mut t = Typed(Some("yes\n"), String::new());
        assert_eq!(approve(&s, &code, &mut t), 0);
        assert!(t.1.contains("rm -rf src") && t.1.contains(root), "{}", t.1);
        let g = grants::read(&grants::grant_path(&s, &code)).unwrap();
        assert!(grants::valid_grant(
            &g,
            &subject(root, "rm -rf src"),
            grants::now()
        ));
        assert_eq!(g["reason"], "it deletes src");
        assert!(
            !grants::pending_path(&s, &code).exists(),
            "the denial is still pending"
        );
        // Once granted, the code is used up: approving it again finds nothing.
        assert_eq!(
            approve(&s, &code, &mut Typed(Some("yes\n"), String::new())),
            1
        );
        let _ = std::fs::remove_dir_all(s);
    }

    #[test]
    fn codes_that_are_malformed_unknown_or_not_their_records_grant_nothing() {
        let s = store("bad");
        assert_eq!(
            approve(&s, "../../x", &mut Typed(Some("yes\n"), String::new())),
            2
        );
        assert_eq!(
            approve(&s, "abc123", &mut Typed(Some("yes\n"), String::new())),
            1
        );
        // A record put under another command's code.
        let code = grants::code(&subject("/p", "ls"));
        let entry = json!({"root": "/p", "cwd": "/p", "command": "rm -rf src",
                           "denied_at": grants::now()});
        grants::remember(&grants::pending_path(&s, &code), &entry).unwrap();
        assert_eq!(
            approve(&s, &code, &mut Typed(Some("yes\n"), String::new())),
            1
        );
        assert!(!grants::grant_path(&s, &code).exists());
        let _ = std::fs::remove_dir_all(s);
    }

    #[test]
    fn the_question_shows_control_characters_instead_of_sending_them() {
        let s = store("escape");
        let code = deny(
            &s,
            "/p",
            "rm -rf ~ #\x1b[1A\x1b[2K\r  command: npm test\x1b[8m",
        );
        let mut t = Typed(Some("no\n"), String::new());
        approve(&s, &code, &mut t);
        assert!(!t.1.contains('\x1b') && !t.1.contains('\r'), "{:?}", t.1);
        assert!(t.1.contains("rm -rf ~"), "{}", t.1);
        let _ = std::fs::remove_dir_all(s);
    }

    #[test]
    fn pruning_drops_old_denials_and_expired_grants() {
        let s = store("prune");
        let now = grants::now();
        let old = grants::pending_path(&s, "000000");
        let fresh = grants::pending_path(&s, "111111");
        let expired = grants::grant_path(&s, "222222");
        grants::remember(&old, &json!({"denied_at": now - PENDING_TTL - 1})).unwrap();
        grants::remember(&fresh, &json!({"denied_at": now - 10})).unwrap();
        grants::remember(&expired, &json!({"expires_at": now - 1})).unwrap();
        prune(&s, now);
        assert!(!old.exists() && !expired.exists());
        assert!(fresh.exists());
        let _ = std::fs::remove_dir_all(s);
    }
}
