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

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The environment variable that holds the secret when the Session Config names none.
pub const DEFAULT_SECRET_ENV: &str = "SO_HOOK_EVENT_SECRET";
const TIMEOUT: Duration = Duration::from_secs(2);

/// Hands `line` to a detached sender when the project configures a sink; returns at once.
pub fn forward(root: &Path, line: &str) {
    let Some(config) = crate::config::mentioning(root, "event-endpoint") else {
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

/// `so-hook send-event`: signs the body read on stdin and posts it; returns the exit status.
pub fn send(endpoint: &str, secret_env: &str) -> i32 {
    let mut body = Vec::new();
    if std::io::stdin().read_to_end(&mut body).is_err() {
        return 1;
    }
    let Some(secret) = std::env::var_os(secret_env) else {
        eprintln!("so-hook send-event: ${secret_env} is not set");
        return 1;
    };
    let signature = format!(
        "sha256={}",
        crate::sha256::to_hex(&crate::sha256::hmac(
            secret.to_string_lossy().as_bytes(),
            &body
        ))
    );
    let sent = if let Some(rest) = endpoint.strip_prefix("http://") {
        post_http(rest, &body, &signature)
    } else if endpoint.starts_with("https://") {
        post_curl(endpoint, &body, &signature)
    } else {
        Err(format!("`{endpoint}` is not an http:// or https:// URL"))
    };
    match sent {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("so-hook send-event: {e}");
            1
        }
    }
}

/// A plain HTTP/1.1 POST to `host[:port]/path`, with time limits on every step.
fn post_http(rest: &str, body: &[u8], signature: &str) -> Result<(), String> {
    use std::net::{TcpStream, ToSocketAddrs};
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let addr_text = if authority.contains(':') {
        authority.to_string()
    } else {
        format!("{authority}:80")
    };
    let addr = addr_text
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {authority}: {e}"))?
        .next()
        .ok_or_else(|| format!("{authority} has no address"))?;
    let mut stream =
        TcpStream::connect_timeout(&addr, TIMEOUT).map_err(|e| format!("cannot connect: {e}"))?;
    let _ = stream.set_write_timeout(Some(TIMEOUT));
    let _ = stream.set_read_timeout(Some(TIMEOUT));
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nX-So-Hook-Signature: {signature}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body))
        .map_err(|e| format!("cannot send: {e}"))?;
    let mut status = [0u8; 12];
    let n = stream.read(&mut status).unwrap_or(0);
    let line = String::from_utf8_lossy(&status[..n]);
    if line.starts_with("HTTP/1.") && line.as_bytes().get(9) == Some(&b'2') {
        Ok(())
    } else {
        Err(format!("the endpoint answered `{}`", line.trim()))
    }
}

fn post_curl(endpoint: &str, body: &[u8], signature: &str) -> Result<(), String> {
    let mut child = Command::new("curl")
        .args(["-sS", "-f", "-m", "2", "-X", "POST"])
        .args(["-H", "Content-Type: application/json"])
        .args(["-H", &format!("X-So-Hook-Signature: {signature}")])
        .args(["--data-binary", "@-", endpoint])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("https:// needs curl, which cannot be run ({e})"))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(body);
    }
    match child.wait() {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("curl failed ({s})")),
        Err(e) => Err(e.to_string()),
    }
}
