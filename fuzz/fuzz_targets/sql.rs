//! The SQL reader, on any text that could reach a database client.
//!
//! Properties: every text is read without a panic; the same text quoted as a string literal
//! (standard `'...'`, `E'...'` with escapes, or `$tag$...$tag$`) in a `SELECT` is never read as a
//! destructive statement: a literal is data.
#![no_main]

use libfuzzer_sys::fuzz_target;
use so_hook::guard::sql_destructive;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = sql_destructive(text);
    let standard = format!("SELECT '{}' AS x", text.replace('\'', "''"));
    assert_eq!(sql_destructive(&standard), None, "{standard}");
    let escaped = format!(
        "SELECT E'{}' AS x",
        text.replace('\\', "\\\\").replace('\'', "\\'")
    );
    assert_eq!(sql_destructive(&escaped), None, "{escaped}");
    let mut tag = String::from("q");
    while text.contains(&format!("${tag}$")) {
        tag.push('q');
    }
    let dollar = format!("SELECT ${tag}${text}${tag}$ AS x");
    assert_eq!(sql_destructive(&dollar), None, "{dollar}");
});
