//! `so-hook send-event`: posts one event line, read on stdin, to the project's event sink, signed
//! with HMAC-SHA256 (the hook's event sink starts this command detached). Gives up after
//! 2 seconds.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(2);

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
