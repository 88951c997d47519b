//! The shell parser and the command guard, on any text an agent could send as a command.
//!
//! Properties: every command ends in a decision; the decision is the same whichever platform's
//! payload carries it; a denied command stays denied after a harmless command is put before it;
//! the same text quoted as the argument of `echo` is never denied.
#![no_main]

use libfuzzer_sys::fuzz_target;
use so_hook::hook::decision::Verdict;
use so_hook::hook::evaluate::evaluate;
use so_hook_fuzz::*;

fuzz_target!(|data: &[u8]| {
    let Ok(command) = std::str::from_utf8(data) else {
        return;
    };
    let root = project();
    let env = environment();
    // No shell receives a NUL byte intact: every platform's payload is refused (a deny).
    if command.contains('\0') {
        for platform in PLATFORMS {
            let (_, got) = judge(&shell_payload(platform, command, root), Some(platform));
            assert!(
                matches!(got, Err(so_hook::hook::dialect::Rejected::Invalid(_))),
                "{platform:?} judged a command with a NUL byte: {got:?}"
            );
        }
        return;
    }
    let direct = Outcome::of(&evaluate(&shell(command, root), &env));
    for platform in PLATFORMS {
        let (_, got) = judge(&shell_payload(platform, command, root), Some(platform));
        let got = got.unwrap_or_else(|r| panic!("{platform:?} rejected a shell payload: {r:?}"));
        assert_eq!(got, direct, "{platform:?} payload judged differently");
    }
    if direct.verdict == Verdict::Deny {
        let prefixed = Outcome::of(&evaluate(&shell(&format!("true; {command}"), root), &env));
        assert_eq!(
            prefixed.verdict,
            Verdict::Deny,
            "denied alone, {prefixed:?} after `true;`"
        );
    }
    let data = Outcome::of(&evaluate(
        &shell(&format!("echo {}", quote(command)), root),
        &env,
    ));
    assert_ne!(data.verdict, Verdict::Deny, "quoted as data: {data:?}");
});
