//! The `apply_patch` parser and the Codex decoder, on any patch text.
//!
//! Properties: every patch ends in a decision; a patch the parser refuses is denied; every path
//! the parser reports is judged (an accepted patch whose only path leaves the scope is denied).
#![no_main]

use libfuzzer_sys::fuzz_target;
use so_hook::hook::call::Platform;
use so_hook::hook::decision::Verdict;
use so_hook_fuzz::*;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let root = project();
    let parsed = so_hook::hook::patch::paths(text);
    let (_, outcome) = judge(&patch_payload(text, root), Some(Platform::Codex));
    match (&parsed, &outcome) {
        (Err(_), Ok(o)) => assert_eq!(o.verdict, Verdict::Deny, "a refused patch got {o:?}"),
        (Ok(paths), Ok(o)) => {
            if paths.iter().any(|p| p.starts_with("/etc/")) {
                assert_eq!(
                    o.verdict,
                    Verdict::Deny,
                    "{paths:?} outside the scope got {o:?}"
                );
            }
        }
        (_, Err(r)) => assert!(
            matches!(r, so_hook::hook::dialect::Rejected::Invalid(_)),
            "a patch payload read as {r:?}"
        ),
    }
});
