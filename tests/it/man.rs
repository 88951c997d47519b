//! The committed man pages match the command line (regenerate with `cargo run --example man`).

#[path = "../../examples/man.rs"]
mod pages;

#[test]
fn man_pages_are_up_to_date() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/man");
    let pages = pages::pages();
    assert!(pages.iter().any(|(n, _)| n == "so-hook-scope-set.1"));
    for (name, text) in pages {
        let committed = std::fs::read(dir.join(&name)).unwrap_or_default();
        assert!(
            committed == text,
            "docs/man/{name} is out of date: run `cargo run --example man`"
        );
    }
}

/// A reader that stops early closes the output: every command ends quietly (status 0, nothing on
/// stderr), never with a panic message.
#[test]
fn a_closed_output_ends_a_command_quietly() {
    use std::process::{Command, Stdio};
    for args in [&["rules"][..], &["completions", "bash"], &["--help"]] {
        for _ in 0..5 {
            let mut child = Command::new(env!("CARGO_BIN_EXE_so-hook"))
                .args(args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            // The reader is gone before the command writes.
            drop(child.stdout.take());
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
            assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        }
    }
}
