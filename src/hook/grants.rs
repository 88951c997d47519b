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
/// Findings no approval overrides besides [`crate::guard::FIXED_RULES`]: the guard's own
/// integrity, not a judgement of the command.
const FIXED: &[&str] = &[
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

/// What an approval is for: one command text, run in one directory of one project.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub root: &'a Path,
    pub cwd: &'a Path,
    pub command: &'a str,
}

/// The code of a subject: six characters, the same for the same command in the same directory of
/// the same project.
pub fn code(s: &Subject) -> String {
    let mut input = s.root.to_string_lossy().into_owned().into_bytes();
    input.push(0);
    input.extend_from_slice(s.cwd.to_string_lossy().as_bytes());
    input.push(0);
    input.extend_from_slice(s.command.as_bytes());
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
    subject: &Subject,
    platform: &str,
    env: &Environment,
) -> Approval {
    let command = subject.command;
    if decision.verdict() < Verdict::Ask {
        return Approval::None;
    }
    let blocking = || {
        decision
            .findings
            .iter()
            .filter(|f| f.verdict >= Verdict::Ask)
    };
    if blocking().any(|f| {
        FIXED.contains(&f.rule.as_str()) || crate::guard::FIXED_RULES.contains(&f.rule.as_str())
    }) {
        return Approval::None;
    }
    // Without a home directory there is nowhere to keep the record: no code is offered.
    let Some(store) = store(env).filter(|_| env.home.as_deref().is_some_and(Path::is_dir)) else {
        return Approval::None;
    };
    let code = code(subject);
    let grant = grant_path(&store, &code);
    if let Some(g) = read(&grant)
        && valid_grant(&g, subject, now())
        && approved(&g, decision)
        && trusted_store(&store, env)
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
            "root": subject.root.to_string_lossy(),
            "cwd": subject.cwd.to_string_lossy(),
            "command": command,
            "rule": rule,
            "reason": recorded_reason(&reason),
            "platform": platform,
            "denied_at": now(),
        }),
    }
}

/// The reason as approvals record it.
pub fn recorded_reason(reason: &str) -> String {
    clamp(reason, 2000)
}

/// Whether what the guard finds now is what the user approved: the same rule for every finding
/// that blocks, and the same reason (which names the targets as the guard resolved them), so a
/// command whose targets changed since (a directory swapped for a link to home) is not let
/// through by the approval of what it did before.
fn approved(g: &Value, decision: &Decision) -> bool {
    let rule = g.get("rule").and_then(Value::as_str);
    let reason = g.get("reason").and_then(Value::as_str);
    let blocking: Vec<&Finding> = decision
        .findings
        .iter()
        .filter(|f| f.verdict >= Verdict::Ask)
        .collect();
    !blocking.is_empty()
        && blocking.iter().all(|f| Some(f.rule.as_str()) == rule)
        && decision
            .primary()
            .is_some_and(|p| Some(recorded_reason(&p.reason).as_str()) == reason)
}

/// Whether the store is the user's own: each directory from home down to the grants is a real
/// directory (not a link an agent put there) owned by home's owner.
#[cfg(unix)]
fn trusted_store(store: &Path, env: &Environment) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Some(home) = env.home.as_deref() else {
        return false;
    };
    let Ok(owner) = std::fs::metadata(home).map(|m| m.uid()) else {
        return false;
    };
    let grants = store.join("grants");
    let Some(rel) = crate::project::paths::relative(&grants, home) else {
        // A store outside home ($XDG_STATE_HOME elsewhere): the store's own directories.
        return [store, grants.as_path()]
            .iter()
            .all(|d| std::fs::symlink_metadata(d).is_ok_and(|m| m.is_dir() && m.uid() == owner));
    };
    let mut dir = home.to_path_buf();
    rel.split('/').all(|part| {
        dir.push(part);
        std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir() && m.uid() == owner)
    })
}

#[cfg(not(unix))]
fn trusted_store(_store: &Path, _env: &Environment) -> bool {
    true
}

/// [`consider`] for a shell call: its project and working directory with their links resolved.
pub fn consider_call(
    decision: &mut Decision,
    call: &crate::hook::call::ToolCall,
    command: &str,
    platform: &str,
    env: &Environment,
) -> Approval {
    let (root, cwd) = (call.real_root(), call.real_cwd());
    let subject = Subject {
        root: &root,
        cwd: &cwd,
        command,
    };
    consider(decision, &subject, platform, env)
}

/// Whether a grant read from the store lets the subject run at time `now`.
pub fn valid_grant(g: &Value, s: &Subject, now: u64) -> bool {
    let text = |k: &str| g.get(k).and_then(Value::as_str);
    let time = |k: &str| g.get(k).and_then(Value::as_u64);
    text("root") == Some(s.root.to_string_lossy().as_ref())
        && text("cwd") == Some(s.cwd.to_string_lossy().as_ref())
        && text("command") == Some(s.command)
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

    fn denied(reason: &str) -> Decision {
        Decision {
            findings: vec![Finding::deny("rm-recursive-force", reason)],
            disabled: Vec::new(),
        }
    }

    fn subject<'a>(root: &'a str, cwd: &'a str, command: &'a str) -> Subject<'a> {
        Subject {
            root: Path::new(root),
            cwd: Path::new(cwd),
            command,
        }
    }

    #[test]
    fn codes_are_stable_short_and_tied_to_project_directory_and_command() {
        let a = code(&subject("/p", "/p", "rm -rf src"));
        assert_eq!(a, code(&subject("/p", "/p", "rm -rf src")));
        assert!(is_code(&a), "{a}");
        assert_ne!(a, code(&subject("/q", "/q", "rm -rf src")));
        assert_ne!(a, code(&subject("/p", "/p/docs", "rm -rf src")));
        assert_ne!(a, code(&subject("/p", "/p", "rm -rf src ")));
        assert!(!is_code("../x12"));
        assert!(!is_code("abcdeu"));
    }

    /// Writes the grant `so-hook allow-once` writes for `s`, denied for `reason`.
    fn grant_for(env: &Environment, s: &Subject, reason: &str) -> PathBuf {
        let store = store(env).unwrap();
        let grant = grant_path(&store, &code(s));
        let t = now();
        let g = json!({"root": s.root, "cwd": s.cwd, "command": s.command,
                       "rule": "rm-recursive-force", "reason": reason,
                       "granted_at": t, "expires_at": t + GRANT_TTL});
        remember(&grant, &g).unwrap();
        grant
    }

    #[test]
    fn a_deny_is_offered_a_code_and_a_valid_grant_lets_it_through_once() {
        let h = home("offer");
        let env = env(&h);
        let s = subject("/work/p", "/work/p", "rm -rf src");
        let mut d = denied("it deletes /work/p/src");
        let Approval::Offer { record, entry } = consider(&mut d, &s, "claude", &env) else {
            panic!("no offer")
        };
        let c = code(&s);
        assert!(
            d.findings[0]
                .reason
                .contains(&format!("so-hook allow-once {c}"))
        );
        assert!(record.ends_with(format!("pending/{c}.json")));
        assert!(!record.exists(), "consider() wrote the record itself");
        remember(&record, &entry).unwrap();
        assert_eq!(read(&record).unwrap()["reason"], "it deletes /work/p/src");

        let grant = grant_for(&env, &s, "it deletes /work/p/src");
        let mut d = denied("it deletes /work/p/src");
        let Approval::Granted {
            grant: path,
            denied: was,
        } = consider(&mut d, &s, "claude", &env)
        else {
            panic!("the grant was not seen")
        };
        assert_eq!(path, grant);
        assert_eq!(d.verdict(), Verdict::Warn);
        assert_eq!(d.primary().unwrap().rule, USED);
        assert_eq!(was.primary().unwrap().rule, "rm-recursive-force");
        assert!(claim(&path));
        assert!(!claim(&path), "a grant was used twice");
        let _ = std::fs::remove_dir_all(h);
    }

    #[test]
    fn a_grant_does_not_cover_what_the_guard_finds_differently_now() {
        let h = home("changed");
        let env = env(&h);
        let s = subject("/work/p", "/work/p", "rm -rf tmpdata/");
        grant_for(&env, &s, "it deletes /work/p/tmpdata");
        // The directory became a link to home: the guard's reason names another target.
        let mut d = denied("`tmpdata/` is the home directory");
        assert!(matches!(
            consider(&mut d, &s, "claude", &env),
            Approval::Offer { .. }
        ));
        // Another blocking rule besides the approved one.
        let mut d = denied("it deletes /work/p/tmpdata");
        d.findings
            .push(Finding::deny("git-push-force", "and pushes"));
        assert!(!matches!(
            consider(&mut d, &s, "claude", &env),
            Approval::Granted { .. }
        ));
        let _ = std::fs::remove_dir_all(h);
    }

    #[cfg(unix)]
    #[test]
    fn a_store_reached_through_a_link_is_not_trusted() {
        let h = home("link");
        let env = env(&h);
        let s = subject("/work/p", "/work/p", "rm -rf src");
        // The agent's own directory, linked in where the store's parent was.
        let elsewhere = h.join("elsewhere/so-hook");
        std::fs::create_dir_all(h.join(".local/state")).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, h.join(".local/state/so-hook")).unwrap();
        grant_for(&env, &s, "it deletes /work/p/src");
        let mut d = denied("it deletes /work/p/src");
        assert!(!matches!(
            consider(&mut d, &s, "claude", &env),
            Approval::Granted { .. }
        ));
        let _ = std::fs::remove_dir_all(h);
    }

    #[test]
    fn grants_for_another_command_place_time_or_forged_do_not_count() {
        let t = 1_000_000;
        let s = subject("/p", "/p", "ls");
        let g = |cmd: &str, cwd: &str, granted: u64, expires: u64| {
            json!({"root": "/p", "cwd": cwd, "command": cmd, "granted_at": granted,
                   "expires_at": expires})
        };
        assert!(valid_grant(&g("ls", "/p", t, t + 600), &s, t + 10));
        assert!(!valid_grant(&g("ls ", "/p", t, t + 600), &s, t + 10));
        assert!(!valid_grant(&g("ls", "/p/docs", t, t + 600), &s, t + 10));
        assert!(!valid_grant(
            &g("ls", "/p", t, t + 600),
            &subject("/q", "/p", "ls"),
            t
        ));
        assert!(!valid_grant(&g("ls", "/p", t, t + 600), &s, t + 601));
        assert!(!valid_grant(&g("ls", "/p", t, t + 99_999), &s, t + 10));
        assert!(!valid_grant(&g("ls", "/p", t + 3600, t + 4000), &s, t));
        assert!(!valid_grant(&json!({"root": "/p", "command": "ls"}), &s, t));
    }

    #[test]
    fn the_guards_own_integrity_is_never_offered() {
        let h = home("fixed");
        let s = subject("/p", "/p", "x");
        for rule in ["control-plane", "nesting-limit", "manifest-invalid", RULE] {
            let mut d = Decision {
                findings: vec![Finding::deny(rule, "the guard's own")],
                disabled: Vec::new(),
            };
            assert!(
                matches!(consider(&mut d, &s, "claude", &env(&h)), Approval::None),
                "{rule}"
            );
        }
        // Nowhere to keep a record: nothing offered.
        let mut d = denied("x");
        let gone = h.join("missing");
        assert!(matches!(
            consider(&mut d, &s, "claude", &env(&gone)),
            Approval::None
        ));
        assert!(!d.findings[0].reason.contains("allow-once"));
        let _ = std::fs::remove_dir_all(h);
    }
}
