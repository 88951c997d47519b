//! The optional event sink: each event line so-hook appends to `.orchestrator/metrics/events.jsonl`
//! is also sent to an endpoint the Session Config names, signed with HMAC-SHA256.
//!
//! Off unless the Session Config sets `event-endpoint`. The secret comes from the environment
//! variable that `event-secret-env` names (default `SO_HOOK_EVENT_SECRET`), never from a file the
//! agent can read. The hook does not wait: it hands the line to a detached `so-hook send-event`
//! process and goes on with its decision, so a slow or dead endpoint costs a guard call nothing but
//! the start of that process. The sender gives up after 2 seconds.
//!
//! The request: `POST <endpoint>`, `Content-Type: application/json`, the event line as the body,
//! and `X-So-Hook-Signature: sha256=<hex HMAC-SHA256 of the body under the secret>`. `http://`
//! is sent directly; `https://` goes through `curl` when it is installed.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// The environment variable that holds the secret when the Session Config names none.
pub const DEFAULT_SECRET_ENV: &str = "SO_HOOK_EVENT_SECRET";

/// Hands `line` to a detached sender when the project configures a sink; returns at once.
pub fn forward(root: &Path, line: &str) {
    let Some(config) = crate::project::config::mentioning(root, None, "event-endpoint") else {
        return;
    };
    let Some(endpoint) = config.str("event-endpoint").filter(|e| !e.is_empty()) else {
        return;
    };
    let secret_env = config
        .str("event-secret-env")
        .unwrap_or(DEFAULT_SECRET_ENV)
        .to_string();
    if std::env::var_os(&secret_env).is_none() {
        eprintln!(
            "so-hook: the event was not forwarded: the Session Config names an event-endpoint, \
             but ${secret_env} (the secret to sign it with) is not set"
        );
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let child = Command::new(exe)
        .args([
            "send-event",
            "--endpoint",
            endpoint,
            "--secret-env",
            &secret_env,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    if let Ok(mut child) = child
        && let Some(mut stdin) = child.stdin.take()
    {
        // A line is small: the pipe takes it without blocking. The child is not waited for.
        let _ = stdin.write_all(line.as_bytes());
    }
}
