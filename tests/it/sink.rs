//! The optional event sink, against an HTTP listener on loopback: a denied call's event arrives
//! signed with HMAC-SHA256 of its body, and the hook answers without waiting for the endpoint.

use crate::common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

/// Reads one HTTP request: its headers (lower-cased names) and body.
fn read_request(stream: &mut std::net::TcpStream) -> (Vec<(String, String)>, Vec<u8>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("POST /events HTTP/1.1"), "{line}");
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).unwrap();
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':').unwrap();
        headers.push((k.to_ascii_lowercase(), v.trim().to_string()));
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .unwrap()
        .1
        .parse()
        .unwrap();
    let mut body = vec![0; len];
    reader.read_exact(&mut body).unwrap();
    (headers, body)
}

#[test]
fn events_reach_the_endpoint_signed_and_the_hook_does_not_wait() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let root = project("sink");
    write(
        &root,
        "CLAUDE.md",
        &format!(
            "## Session Config\n\n- **event-endpoint:** http://127.0.0.1:{port}/events\n- **event-secret-env:** SINK_TEST_SECRET\n"
        ),
    );
    let start = Instant::now();
    let out = so_hook()
        .args(["hook", "--platform", "claude"])
        .env("SINK_TEST_SECRET", "s3cret")
        .write_stdin(bash(&root, "git push --force origin main").to_string())
        .output()
        .unwrap();
    let answered = start.elapsed();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"deny\""));
    // The listener has not answered anything yet: the hook did not wait for it.
    listener.set_nonblocking(false).unwrap();
    let (mut stream, _) = listener.accept().unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let (headers, body) = read_request(&mut stream);
    stream
        .write_all(b"HTTP/1.1 204 No Content\r\n\r\n")
        .unwrap();
    assert!(answered < Duration::from_secs(2), "{answered:?}");
    let event: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(event["event"], "guard");
    assert_eq!(event["rule"], "git-push-force");
    let signature = &headers
        .iter()
        .find(|(k, _)| k == "x-so-hook-signature")
        .unwrap()
        .1;
    let expected = format!(
        "sha256={}",
        so_hook::sha256::to_hex(&so_hook::sha256::hmac(b"s3cret", &body))
    );
    assert_eq!(signature, &expected);
    // The same line is in the log.
    let log = std::fs::read_to_string(root.join(".orchestrator/metrics/events.jsonl")).unwrap();
    assert_eq!(log.trim_end().as_bytes(), body.as_slice());
}

#[test]
fn without_the_secret_nothing_is_sent_and_the_user_is_told() {
    let root = project("sink-nosecret");
    write(
        &root,
        "CLAUDE.md",
        "## Session Config\n\nevent-endpoint: http://127.0.0.1:9/events\n",
    );
    let out = so_hook()
        .args(["hook", "--platform", "claude"])
        .env_remove("SO_HOOK_EVENT_SECRET")
        .write_stdin(bash(&root, "git push --force origin main").to_string())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"deny\""));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SO_HOOK_EVENT_SECRET"));
}
