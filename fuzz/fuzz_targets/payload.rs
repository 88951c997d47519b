//! The payload decoders of every dialect, on any bytes on stdin.
//!
//! Properties: every payload ends in a decision encoded for its platform; a payload read as JSON
//! and written again (keys reordered, blanks changed) is judged the same, so the streaming skimmer
//! and the JSON parser agree on what the payload says.
#![no_main]

use libfuzzer_sys::fuzz_target;
use so_hook::hook::call::Platform;
use so_hook::hook::dialect::Rejected;
use so_hook_fuzz::*;

fuzz_target!(|data: &[u8]| {
    for forced in std::iter::once(None).chain(Platform::ALL.map(Some)) {
        let first = judge(data, forced);
        // A payload refused as invalid was denied; a duplicate key, for one, is refused by the
        // decoder but merged by a re-serialization, so only readable payloads are compared.
        if matches!(first.1, Err(Rejected::Invalid(_))) {
            continue;
        }
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
            continue;
        };
        for again in [
            serde_json::to_vec(&value).unwrap(),
            serde_json::to_vec_pretty(&value).unwrap(),
        ] {
            assert_eq!(
                judge(&again, forced),
                first,
                "re-serialized: {}",
                String::from_utf8_lossy(&again)
            );
        }
    }
});
