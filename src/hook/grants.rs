//! One-time approvals (`so-hook allow-once`): when the guard is wrong about one command, the user
//! lets that exact command through once, in that project, without switching a rule off.
//!
//! A denied (or asked) shell command gets a short code, derived from the project and the command
//! text, and the hook keeps a record of it (`pending/CODE.json`). The user runs `so-hook allow-once
//! CODE` in a terminal and types `yes` there; that writes `grants/CODE.json`, good for
//! [`GRANT_TTL`] seconds. The next hook call of the same command in the same project finds the
//! grant, claims it (a rename: two calls cannot both use it) and is allowed, with a notice.
//!
//! The store lives in the user's state directory (`$XDG_STATE_HOME/so-hook/allow-once`, else
//! `~/.local/state/so-hook/allow-once`), outside every project. Agents may not write there, nor
//! run `so-hook allow-once` (rule `allow-once`, for every caller, the main session included).

use crate::hook::decision::{Decision, Finding, Verdict, clamp};
use crate::project::Environment;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The rule that keeps agents away from approvals: running `so-hook allow-once`, or writing where
/// approvals are kept.
pub const RULE: &str = "allow-once";
/// The notice on a call let through by the user's approval.
pub const USED: &str = "allow-once-used";
/// How long a grant is good for, in seconds.
pub const GRANT_TTL: u64 = 600;
/// How long a denied command can still be approved, in seconds.
pub const PENDING_TTL: u64 = 3600;
/// The largest record read (a command can be long; the hook judges up to its payload limit).
const RECORD_MAX: usize = 1 << 20;
/// Findings no approval overrides: the guard's own integrity, not a judgement of the command.
const FIXED: &[&str] = &[
    RULE,
    "control-plane",
    "manifest-invalid",
    "policy-invalid",
    "input-invalid",
    "internal-error",
];
/// Crockford's base32, lower case: no `i`, `l`, `o` or `u` to misread.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// Where approvals are kept, when the environment tells.
pub fn store(env: &Environment) -> Option<PathBuf> {
    let base = match &env.state_home {
        Some(s) if s.is_absolute() => s.clone(),
        _ => env.home.as_ref()?.join(".local/state"),
    };
    Some(base.join("so-hook/allow-once"))
}

/// The code of `command` in the project at `root`: six characters, the same for the same command
/// in the same project.
pub fn code(root: &Path, command: &str) -> String {
    let mut input = root.to_string_lossy().into_owned().into_bytes();
    input.push(0);
    input.extend_from_slice(command.as_bytes());
    let d = crate::sha256::digest(&input);
    let bits = u32::from_be_bytes([d[0], d[1], d[2], d[3]]);
    (0..6)
        .map(|i| ALPHABET[((bits >> (27 - 5 * i)) & 31) as usize] as char)
        .collect()
}

/// Whether `code` has the shape of a code (so a path built from it stays in its directory).
pub fn is_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| ALPHABET.contains(&b))
}

pub fn pending_path(store: &Path, code: &str) -> PathBuf {
    store.join("pending").join(format!("{code}.json"))
}

pub fn grant_path(store: &Path, code: &str) -> PathBuf {
    store.join("grants").join(format!("{code}.json"))
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A record of the store, read whole (`None` when missing, too large or not JSON).
pub fn read(path: &Path) -> Option<Value> {
    let text = crate::project::paths::read_capped(path, RECORD_MAX)?;
    serde_json::from_str(&text).ok()
}

/// The store's names: as the environment gives it, and where its links lead when that differs.
/// Worked out once a call, only for calls that write.
pub fn store_names(env: &Environment) -> Vec<PathBuf> {
    use crate::project::paths;
    let Some(s) = store(env) else {
        return Vec::new();
    };
    let real = paths::real(&s, paths::Leaf::Follow);
    if real == s { vec![s] } else { vec![s, real] }
}

/// Whether `p` is in the store (or is it), by the store's name or by where its links lead.
pub fn in_store(p: &Path, store: &Path) -> bool {
    use crate::project::paths;
    paths::within(p, store) || paths::within(p, &paths::real(store, paths::Leaf::Follow))
}

/// What an approval does to a decided shell call.
#[derive(Debug)]
pub enum Approval {
    /// Nothing to approve or nothing approved: the decision stands.
    None,
    /// The decision stands; the user may approve it with the code, whose record is to be kept.
    Offer { record: PathBuf, entry: Value },
    /// The user approved it: the call is allowed once the grant at `grant` is claimed; if it
    /// cannot be (another call used it), `denied` stands.
    Granted { grant: PathBuf, denied: Decision },
}

/// Looks at a decision on `command` in the project at `root`: a decision that blocks it (deny or
/// ask) with findings an approval may override is either let through by the user's grant or
/// offered a code. Reads the store, writes nothing.
pub fn consider(
    decision: &mut Decision,
    root: &Path,
    command: &str,
    platform: &str,
    env: &Environment,
) -> Approval {
    if decision.verdict() < Verdict::Ask {
        return Approval::None;
    }
    let blocking = || {
        decision
            .findings
            .iter()
            .filter(|f| f.verdict >= Verdict::Ask)
    };
    if blocking().any(|f| FIXED.contains(&f.rule.as_str())) {
        return Approval::None;
    }
    // Without a home directory there is nowhere to keep the record: no code is offered.
    let Some(store) = store(env).filter(|_| env.home.as_deref().is_some_and(Path::is_dir)) else {
        return Approval::None;
    };
    let code = code(root, command);
    let grant = grant_path(&store, &code);
    if let Some(g) = read(&grant)
        && valid_grant(&g, root, command, now())
    {
        let primary = decision.primary().cloned();
        let denied = std::mem::take(decision);
        decision.disabled = denied.disabled.clone();
        let (rule, reason) = primary.map_or((String::new(), String::new()), |f| (f.rule, f.reason));
        decision.findings.push(
            Finding::new(
                Verdict::Warn,
                USED,
                format!(
                    "Allowed once: the user approved this exact command in this project with \
                     `so-hook allow-once {code}`. The guard's finding was {rule}: {}",
                    clamp(&reason, 400)
                ),
            )
            .with_unit(clamp(command, 200)),
        );
        return Approval::Granted { grant, denied };
    }
    let primary = decision
        .primary()
        .map(|f| (f.rule.clone(), f.reason.clone()));
    let (rule, reason) = primary.unwrap_or_default();
    let strongest = decision.verdict();
    if let Some(f) = decision
        .findings
        .iter_mut()
        .find(|f| f.verdict == strongest)
    {
        f.reason.push_str(&format!(
            " If the user is sure this exact command should run, they can approve it once by \
             running `so-hook allow-once {code}` in their own terminal."
        ));
    }
    Approval::Offer {
        record: pending_path(&store, &code),
        entry: json!({
            "version": 1,
            "code": code,
            "root": root.to_string_lossy(),
            "command": command,
            "rule": rule,
            "reason": clamp(&reason, 2000),
            "platform": platform,
            "denied_at": now(),
        }),
    }
}

/// Whether a grant read from the store lets `command` run in `root` at time `now`.
pub fn valid_grant(g: &Value, root: &Path, command: &str, now: u64) -> bool {
    let text = |k: &str| g.get(k).and_then(Value::as_str);
    let time = |k: &str| g.get(k).and_then(Value::as_u64);
    text("root") == Some(root.to_string_lossy().as_ref())
        && text("command") == Some(command)
        && time("expires_at").is_some_and(|e| now <= e)
        // A grant from the future (or good for longer than a grant can be) was not written by
        // `so-hook allow-once`.
        && time("granted_at").is_some_and(|g| g <= now + 60)
        && matches!((time("granted_at"), time("expires_at")), (Some(g), Some(e)) if e <= g + GRANT_TTL)
}

/// Claims a grant: renames it away, so that only one call uses it. Whether it was claimed.
pub fn claim(grant: &Path) -> bool {
    let used = grant.with_extension(format!("used-{}", std::process::id()));
    if std::fs::rename(grant, &used).is_err() {
        return false;
    }
    let _ = std::fs::remove_file(&used);
    true
}

/// Keeps the record of a denied command, for `so-hook allow-once` to find.
pub fn remember(record: &Path, entry: &Value) -> std::io::Result<()> {
    if let Some(dir) = record.parent() {
        std::fs::create_dir_all(dir)?;
    }
    crate::atomic::write(record, entry.to_string().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(home: &Path) -> Environment {
        Environment {
            home: Some(home.to_path_buf()),
            ..Environment::default()
        }
    }

    fn home(name: &str) -> PathBuf {
        let h = std::env::temp_dir().join(format!("so-hook-grants-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&h);
        std::fs::create_dir_all(&h).unwrap();
        h
    }

    fn denied() -> Decision {
        Decision {
            findings: vec![Finding::deny("rm-recursive-force", "it deletes src")],
            disabled: Vec::new(),
        }
    }

    #[test]
    fn codes_are_stable_short_and_tied_to_project_and_command() {
        let a = code(Path::new("/p"), "rm -rf src");
        assert_eq!(a, code(Path::new("/p"), "rm -rf src"));
        assert!(is_code(&a), "{a}");
        assert_ne!(a, code(Path::new("/q"), "rm -rf src"));
        assert_ne!(a, code(Path::new("/p"), "rm -rf src "));
        assert!(!is_code("../x12"));
        assert!(!is_code("abcdeu"));
    }

    #[test]
    fn a_deny_is_offered_a_code_and_a_valid_grant_lets_it_through_once() {
        let h = home("offer");
        let env = env(&h);
        let root = Path::new("/work/p");
        let mut d = denied();
        let Approval::Offer { record, entry } =
            consider(&mut d, root, "rm -rf src", "claude", &env)
        else {
            panic!("no offer")
        };
        let c = code(root, "rm -rf src");
        assert!(
            d.findings[0]
                .reason
                .contains(&format!("so-hook allow-once {c}"))
        );
        assert!(record.ends_with(format!("pending/{c}.json")));
        assert!(!record.exists(), "consider() wrote the record itself");
        remember(&record, &entry).unwrap();
        assert_eq!(read(&record).unwrap()["command"], "rm -rf src");

        // The user's grant.
        let store = store(&env).unwrap();
        let grant = grant_path(&store, &c);
        std::fs::create_dir_all(grant.parent().unwrap()).unwrap();
        let t = now();
        let g = json!({"root": "/work/p", "command": "rm -rf src", "granted_at": t,
                       "expires_at": t + GRANT_TTL});
        std::fs::write(&grant, g.to_string()).unwrap();
        let mut d = denied();
        let Approval::Granted {
            grant: path,
            denied: was,
        } = consider(&mut d, root, "rm -rf src", "claude", &env)
        else {
            panic!("the grant was not seen")
        };
        assert_eq!(d.verdict(), Verdict::Warn);
        assert_eq!(d.primary().unwrap().rule, USED);
        assert_eq!(was.primary().unwrap().rule, "rm-recursive-force");
        assert!(claim(&path));
        assert!(!claim(&path), "a grant was used twice");
        let _ = std::fs::remove_dir_all(h);
    }

    #[test]
    fn grants_for_another_command_expired_or_forged_do_not_count() {
        let t = 1_000_000;
        let root = Path::new("/p");
        let g = |cmd: &str, granted: u64, expires: u64| json!({"root": "/p", "command": cmd, "granted_at": granted, "expires_at": expires});
        assert!(valid_grant(&g("ls", t, t + 600), root, "ls", t + 10));
        assert!(!valid_grant(&g("ls", t, t + 600), root, "ls ", t + 10));
        assert!(!valid_grant(&g("ls", t, t + 600), Path::new("/q"), "ls", t));
        assert!(!valid_grant(&g("ls", t, t + 600), root, "ls", t + 601));
        assert!(!valid_grant(&g("ls", t, t + 99_999), root, "ls", t + 10));
        assert!(!valid_grant(&g("ls", t + 3600, t + 4000), root, "ls", t));
        assert!(!valid_grant(
            &json!({"root": "/p", "command": "ls"}),
            root,
            "ls",
            t
        ));
    }

    #[test]
    fn the_guards_own_integrity_is_never_offered() {
        let h = home("fixed");
        let mut d = Decision {
            findings: vec![Finding::deny(
                "control-plane",
                "a subagent writes the manifest",
            )],
            disabled: Vec::new(),
        };
        assert!(matches!(
            consider(&mut d, Path::new("/p"), "x", "claude", &env(&h)),
            Approval::None
        ));
        // Nowhere to keep a record: nothing offered.
        let mut d = denied();
        let gone = h.join("missing");
        assert!(matches!(
            consider(&mut d, Path::new("/p"), "x", "claude", &env(&gone)),
            Approval::None
        ));
        assert!(!d.findings[0].reason.contains("allow-once"));
        let _ = std::fs::remove_dir_all(h);
    }
}
