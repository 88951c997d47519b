//! The loaders of what a project writes: the wave manifest, the policy file and the Session
//! Config, on any text.
//!
//! Properties: every text is read or refused with a reason, never a crash; a manifest that is read
//! has patterns the scope matcher takes and a blocked-command list the guard takes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use so_hook::project::scope::AllowedPaths;
use so_hook_fuzz::*;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let root = project();
    match so_hook::project::manifest::parse(text, Path::new("wave-scope.json")) {
        Ok(m) => {
            let scope = AllowedPaths::new(&m.allowed_paths).expect("every pattern is valid");
            for p in ["src/lib.rs", "a/b/c", "", ".", "docs/x.md"] {
                let _ = scope.matches(p);
            }
            assert!(!m.blocked().is_empty());
        }
        Err(reason) => assert!(!reason.is_empty()),
    }
    if let Err(reason) = so_hook::project::policy::parse(text, Path::new("policy.json"), root) {
        assert!(!reason.is_empty());
    }
    let config = so_hook::project::config::parse(text);
    let _ = config.to_json();
});
