//! `so-hook allow-once`, end to end: a deny carries a code, the user approves it by typing `yes`
//! on a terminal, the next identical call is allowed once; agents can neither approve nor write
//! approvals.

use crate::common::{self, bash, project, so_hook};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn home(name: &str) -> PathBuf {
    let h = project(&format!("home-{name}"));
    std::fs::create_dir_all(&h).unwrap();
    h
}

/// The hook's answer to `payload` with `home` as HOME.
fn hook(home: &Path, payload: &Value) -> common::Answer {
    let out = so_hook()
        .env("HOME", home)
        .env_remove("XDG_STATE_HOME")
        .args(["hook", "--platform", "claude"])
        .write_stdin(payload.to_string())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    common::Answer {
        exit: out.status.code().unwrap_or(-1),
        json: serde_json::from_str(&stdout).ok(),
        stdout,
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
    }
}

/// The code at the end of a deny's reason.
fn code_in(reason: &str) -> String {
    let at = reason
        .find("so-hook allow-once ")
        .unwrap_or_else(|| panic!("no code in: {reason}"));
    reason[at + 19..at + 25].to_string()
}

/// `so-hook allow-once CODE` run in a pseudo-terminal (util-linux `script`), with `typed` typed,
/// and `env` added to its environment; its exit status and everything it printed.
fn approve_at_terminal_with(
    home: &Path,
    code: &str,
    typed: &str,
    env: &[(&str, &str)],
) -> (i32, String) {
    let bin = assert_cmd::cargo::cargo_bin("so-hook");
    let mut c = Command::new("script");
    c.args([
        "-qec",
        &format!("{} allow-once {code}", bin.display()),
        "/dev/null",
    ])
    .env("HOME", home)
    .env_remove("XDG_STATE_HOME")
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c
        .spawn()
        .expect("util-linux `script` runs the approval in a pseudo-terminal");
    // Typed after the question is shown, as a person would.
    std::thread::sleep(std::time::Duration::from_millis(300));
    use std::io::Write;
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(typed.as_bytes());
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn approve_at_terminal(home: &Path, code: &str, typed: &str) -> (i32, String) {
    approve_at_terminal_with(home, code, typed, &[])
}

#[test]
fn a_denied_command_approved_at_a_terminal_runs_once() {
    let root = project("allow-once");
    let home = home("allow-once");
    let call = bash(&root, "rm -rf src");
    let denied = hook(&home, &call);
    assert_eq!(denied.verdict(), "deny", "{denied:?}");
    let code = code_in(&denied.reason());
    assert!(
        home.join(format!(
            ".local/state/so-hook/allow-once/pending/{code}.json"
        ))
        .is_file()
    );

    // Listed, with its code.
    let listed = so_hook()
        .env("HOME", &home)
        .arg("allow-once")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).contains(&code));

    // No terminal (a new session has none), or anything but yes: nothing granted.
    let no_tty = Command::new("setsid")
        .args([
            assert_cmd::cargo::cargo_bin("so-hook").to_str().unwrap(),
            "allow-once",
            &code,
        ])
        .env("HOME", &home)
        .stdin(Stdio::null())
        .output()
        .expect("util-linux `setsid`");
    assert_eq!(no_tty.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no_tty.stderr).contains("no terminal"));
    let (status, shown) = approve_at_terminal(&home, &code, "no\n");
    assert_eq!(status, 1, "{shown}");
    assert_eq!(hook(&home, &call).verdict(), "deny");

    let (status, shown) = approve_at_terminal(&home, &code, "yes\n");
    assert_eq!(status, 0, "{shown}");
    assert!(
        shown.contains("rm -rf src") && shown.contains("Approved"),
        "{shown}"
    );

    // Another command, or the same one in another project, is not approved.
    assert_eq!(hook(&home, &bash(&root, "rm -rf docs")).verdict(), "deny");
    let other = project("allow-once-other");
    assert_eq!(hook(&home, &bash(&other, "rm -rf src")).verdict(), "deny");

    // `so-hook check` shows the approval without using it.
    let checked = so_hook()
        .env("HOME", &home)
        .args(["check", "--command", "rm -rf src", "--cwd"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(checked.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&checked.stdout).contains("allow-once-used"));

    let allowed = hook(&home, &call);
    assert_eq!(allowed.verdict(), "warn", "{allowed:?}");
    assert!(allowed.reason().contains("approved"), "{allowed:?}");
    let events = std::fs::read_to_string(root.join(".orchestrator/metrics/events.jsonl")).unwrap();
    assert!(events.contains("\"event\":\"allow-once\""), "{events}");
    assert!(events.contains("allow-once-used"), "{events}");

    // Once.
    assert_eq!(hook(&home, &call).verdict(), "deny");
}

#[test]
fn agents_can_neither_approve_nor_write_approvals() {
    let root = project("allow-once-agent");
    let home = home("allow-once-agent");
    let store = home.join(".local/state/so-hook/allow-once/grants");
    for command in [
        "so-hook allow-once ketjee".to_string(),
        "bash -c 'so-hook allow-once ketjee'".to_string(),
        format!("echo '{{}}' > {}/ketjee.json", store.display()),
        format!("mkdir -p {}", store.display()),
        "cp /tmp/g.json ~/.local/state/so-hook/allow-once/grants/".to_string(),
    ] {
        for call in [
            bash(&root, &command),
            common::as_subagent(bash(&root, &command)),
        ] {
            let a = hook(&home, &call);
            assert_eq!(a.verdict(), "deny", "{command}: {a:?}");
            assert_eq!(a.rule(), "allow-once", "{command}: {a:?}");
            assert!(!a.reason().contains("approve it once"), "offered: {a:?}");
        }
    }
    let write = common::write_call(&root, store.join("ketjee.json").to_str().unwrap());
    let a = hook(&home, &write);
    assert_eq!(
        (a.verdict(), a.rule().as_str()),
        ("deny", "allow-once"),
        "{a:?}"
    );
    // Nor can a policy switch the rule off.
    common::write(
        &root,
        ".so-hook/policy.json",
        r#"{"disable": ["allow-once"]}"#,
    );
    let a = hook(&home, &bash(&root, "so-hook allow-once ketjee"));
    assert_eq!(a.verdict(), "deny", "{a:?}");
    assert_eq!(a.rule(), "policy-invalid", "{a:?}");
}

#[test]
fn an_approval_started_inside_an_agents_session_is_refused() {
    // An agent can open a pseudo-terminal and type `yes` into it; the clients mark the commands
    // they run (CLAUDECODE, GEMINI_CLI, ...), and allow-once refuses under such a marker.
    let root = project("allow-once-inside");
    let home = home("allow-once-inside");
    let denied = hook(&home, &bash(&root, "rm -rf src"));
    let code = code_in(&denied.reason());
    let (status, shown) = approve_at_terminal_with(&home, &code, "yes\n", &[("CLAUDECODE", "1")]);
    assert_eq!(status, 1, "{shown}");
    assert!(shown.contains("inside an agent's session"), "{shown}");
    assert_eq!(hook(&home, &bash(&root, "rm -rf src")).verdict(), "deny");
}
