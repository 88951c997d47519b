//! The session's event log, `<root>/.orchestrator/metrics/events.jsonl`: one JSON object per line,
//! appended (never rewritten). Recording is best effort and never changes a decision.

use crate::hook::call::Platform;
use serde_json::{Value, json};
use std::io::Write;
use std::path::Path;

/// Where the log lives, relative to the project root.
pub const RELATIVE_PATH: &str = ".orchestrator/metrics/events.jsonl";

/// Appends one event with a `timestamp` (UTC, RFC 3339). Calls that are not the session's own
/// (`doctor`, `install` and `test --record` replay calls) set `SO_HOOK_NO_EVENTS`, and a project
/// whose Session Config (the platform's file) sets `persistence: false` keeps no metrics: nothing
/// is written or forwarded then.
pub fn append(root: &Path, platform: Platform, mut event: Value) -> std::io::Result<()> {
    if std::env::var_os("SO_HOOK_NO_EVENTS").is_some() || !persistent(root, platform) {
        return Ok(());
    }
    if let Some(obj) = event.as_object_mut() {
        obj.insert("timestamp".into(), json!(utc_now()));
    }
    let line = event.to_string();
    append_line(&root.join(RELATIVE_PATH), &line)?;
    crate::hook::sink::forward(root, &line);
    Ok(())
}

/// Whether the project keeps metrics. Only a file that mentions `persistence` is parsed, so the
/// common case costs one read of CLAUDE.md (or AGENTS.md).
fn persistent(root: &Path, platform: Platform) -> bool {
    crate::project::config::mentioning(root, Some(platform), "persistence")
        .is_none_or(|c| c.values.get("persistence") != Some(&Value::Bool(false)))
}

/// Appends one line, creating the file and its directory. One write of the whole line, so lines of
/// parallel hooks do not interleave.
fn append_line(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent()
        && !dir.is_dir()
    {
        std::fs::create_dir_all(dir)?;
        // Runtime state stays out of the user's `git status` and commits (the session's
        // learnings, written beside it by the pack, are not runtime state).
        let _ = std::fs::write(
            dir.join(".gitignore"),
            "# so-hook's runtime state\n.gitignore\nevents.jsonl\npending-notices*\n",
        );
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?
        .write_all(format!("{text}\n").as_bytes())
}

/// Notices for the agent's next call (one per line), relative to the project root.
pub const PENDING_PATH: &str = ".orchestrator/metrics/pending-notices.txt";

/// Keeps a notice for the next call.
pub fn add_pending(root: &Path, text: &str) -> std::io::Result<()> {
    append_line(&root.join(PENDING_PATH), &text.replace('\n', " "))
}

/// The kept notices, if any, joined by newlines, and how many lines they are. Reading them
/// removes nothing: [`told`] does, once they have been said.
pub fn pending(root: &Path) -> Option<(String, usize)> {
    let text = std::fs::read_to_string(root.join(PENDING_PATH)).ok()?;
    let text = text.trim_end();
    (!text.is_empty()).then(|| (text.to_string(), text.lines().count()))
}

/// Removes the first `lines` notices, which were said; a notice added since is kept for the call
/// after.
pub fn told(root: &Path, lines: usize) -> std::io::Result<()> {
    let path = root.join(PENDING_PATH);
    // Moved aside first, so a hook adding a notice meanwhile starts a new file.
    let taken = path.with_extension("taken");
    std::fs::rename(&path, &taken)?;
    let text = std::fs::read_to_string(&taken);
    std::fs::remove_file(&taken)?;
    for line in text?.lines().skip(lines).filter(|l| !l.is_empty()) {
        append_line(&path, line)?;
    }
    Ok(())
}

/// The current time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format_utc(secs)
}

/// Seconds since the epoch as a UTC date and time (the days-to-civil algorithm).
fn format_utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::format_utc;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(1_795_564_800), "2026-11-25T00:00:00Z");
        assert_eq!(format_utc(1_795_564_800 + 3_661), "2026-11-25T01:01:01Z");
    }
}
