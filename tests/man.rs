//! The committed man pages match the command line (regenerate with `cargo run --example man`).

#[path = "../examples/man.rs"]
mod man;

#[test]
fn man_pages_are_up_to_date() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/man");
    let pages = man::pages();
    assert!(pages.iter().any(|(n, _)| n == "so-hook-scope-set.1"));
    for (name, text) in pages {
        let committed = std::fs::read(dir.join(&name)).unwrap_or_default();
        assert!(
            committed == text,
            "docs/man/{name} is out of date: run `cargo run --example man`"
        );
    }
}
