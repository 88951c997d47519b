//! Writes the man pages, generated from the clap definitions: `so-hook.1` and one page per
//! subcommand (`so-hook-test.1`, `so-hook-scope-set.1`, ...), into the directory given (default
//! `docs/man`). `tests/man.rs` checks that the committed pages are up to date.
//!
//!   cargo run --example man [DIR]

use clap::CommandFactory;
use std::path::PathBuf;

/// Every page, as (file name, roff text).
pub fn pages() -> Vec<(String, Vec<u8>)> {
    fn walk(cmd: &clap::Command, prefix: &str, out: &mut Vec<(String, Vec<u8>)>) {
        let name = if prefix.is_empty() {
            cmd.get_name().to_string()
        } else {
            format!("{prefix}-{}", cmd.get_name())
        };
        // clap keeps names as &'static str (without its `string` feature): a generator may leak.
        let page = cmd.clone().name(&*Box::leak(name.clone().into_boxed_str()));
        let mut text = Vec::new();
        clap_mangen::Man::new(page)
            .render(&mut text)
            .expect("writing to memory");
        out.push((format!("{name}.1"), text));
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            walk(sub, &name, out);
        }
    }
    let mut cmd = so_hook::cli::Cli::command();
    cmd.build();
    let mut out = Vec::new();
    walk(&cmd, "", &mut out);
    out
}

#[allow(dead_code)]
fn main() -> std::io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("docs/man"));
    std::fs::create_dir_all(&dir)?;
    for (name, text) in pages() {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}
