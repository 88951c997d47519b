//! `so-hook install`: registers the hook for Codex or Cursor in a project's or the user's hook
//! file, merged with the handlers already there, and sends a destructive call through what it
//! wrote before it says "installed". A registration that does not deny is rolled back.
//!
//! The handlers are the ones shipped in `plugin/hooks/hooks-codex.json` and
//! `cursor-rules/hooks.json`, with the command pointed at this binary by its absolute path, so a
//! client started without the user's shell `PATH` (a desktop app) still finds it.

use crate::commands::doctor;
use crate::hook::call::Platform;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

const CODEX_HOOKS: &str = include_str!("../../plugin/hooks/hooks-codex.json");
const CURSOR_HOOKS: &str = include_str!("../../cursor-rules/hooks.json");
const GEMINI_HOOKS: &str = include_str!("../../plugin/hooks/hooks-gemini.json");
const COPILOT_HOOKS: &str = include_str!("../../plugin/hooks/hooks-copilot.json");
/// The OpenCode plugin: a file of its own, not a hook file to merge into.
pub(crate) const OPENCODE_PLUGIN: &str = include_str!("../../plugin/opencode/so-hook.js");

/// Where a platform's registration goes, in a project and for the user (relative to home).
pub(crate) fn registration_file(platform: Platform, user: bool) -> Option<&'static str> {
    Some(match (platform, user) {
        (Platform::Claude, _) => return None,
        (Platform::Codex, _) => ".codex/hooks.json",
        (Platform::Cursor, _) => ".cursor/hooks.json",
        (Platform::Gemini, _) => ".gemini/settings.json",
        // Copilot CLI reads every JSON file in these directories: so-hook's is a file of its own.
        (Platform::Copilot, false) => ".github/hooks/so-hook.json",
        (Platform::Copilot, true) => ".copilot/hooks/so-hook.json",
        (Platform::OpenCode, false) => ".opencode/plugins/so-hook.js",
        (Platform::OpenCode, true) => ".config/opencode/plugins/so-hook.js",
    })
}

/// Whether a platform lists its handlers directly under each event (Cursor, Copilot CLI) rather
/// than in matcher groups (Claude Code, Codex, Gemini CLI).
fn flat(platform: Platform) -> bool {
    matches!(platform, Platform::Cursor | Platform::Copilot)
}

/// One install or uninstall.
pub struct Request {
    pub platform: Platform,
    /// The project to register in; `None` registers for the user (in `home`).
    pub project: Option<PathBuf>,
    pub home: Option<PathBuf>,
    /// Register plain `so-hook` from the client's `PATH` instead of this binary's absolute path.
    pub use_path: bool,
    pub dry_run: bool,
    pub uninstall: bool,
}

/// Whether a handler's command line runs so-hook as a hook (what install adds and uninstall
/// removes; the user's other handlers are left alone).
pub(crate) fn is_so_hook(command: &str) -> bool {
    command.contains("so-hook") && command.contains("hook --platform")
}

/// Installs or uninstalls; prints what it did; returns the exit status.
pub fn run(req: &Request) -> i32 {
    match install(req) {
        Ok(lines) => {
            for l in lines {
                println!("{l}");
            }
            0
        }
        Err(e) => {
            eprintln!("so-hook install: {e}");
            1
        }
    }
}

fn install(req: &Request) -> Result<Vec<String>, String> {
    let name = req.platform.name();
    let base = match (&req.project, &req.home) {
        // A project that is not there is a typo, not a place to create.
        (Some(p), _) if !p.is_dir() => {
            return Err(format!(
                "{} is not a directory; pass the project's own directory",
                p.display()
            ));
        }
        (Some(p), _) => p.clone(),
        (None, Some(h)) => h.clone(),
        (None, None) => return Err("HOME is not set; pass --project DIR".into()),
    };
    let shipped = match req.platform {
        Platform::Codex => CODEX_HOOKS,
        Platform::Cursor => CURSOR_HOOKS,
        Platform::Gemini => GEMINI_HOOKS,
        Platform::Copilot => COPILOT_HOOKS,
        Platform::OpenCode => return plugin_file(req, &base),
        Platform::Claude => {
            return Err(
                "Claude Code installs so-hook as a plugin: run `/plugin marketplace add` \
                 with this repository, then `/plugin install so-hook@so-hook` (see the README)"
                    .into(),
            );
        }
    };
    let rel = registration_file(req.platform, req.project.is_none())
        .expect("every platform but Claude Code has a registration file");
    let file = base.join(rel);
    let before = match std::fs::read_to_string(&file) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {}: {e}", file.display())),
    };
    let current: Value = match &before {
        Some(text) => serde_json::from_str(text).map_err(|e| {
            format!(
                "{} is not valid JSON ({e}); it was left as it is. Fix it, then run this again",
                file.display()
            )
        })?,
        None => Value::Object(Map::new()),
    };
    let stripped = strip(req.platform, &current).map_err(|e| format!("{}: {e}", file.display()))?;
    let program = quote(&program(req)?);
    let after = if req.uninstall {
        stripped
    } else {
        let mut ours: Value =
            serde_json::from_str(shipped).expect("the shipped hook file is valid JSON");
        point_at(&mut ours, &program, req.platform);
        merge(req.platform, stripped, &ours)
    };
    // A file install created and uninstall emptied goes away again.
    let remove = req.uninstall && is_empty(req.platform, &after);
    let text = format!(
        "{}\n",
        serde_json::to_string_pretty(&after).expect("JSON values serialize")
    );
    let unchanged = after == current || (remove && before.is_none());
    let verb = if req.uninstall {
        "uninstall"
    } else {
        "install"
    };
    if req.dry_run {
        let mut out = vec!["dry run: nothing was written".to_string()];
        if unchanged {
            out.push(format!("{} is already as {verb} leaves it", file.display()));
        } else if remove {
            out.push(format!("would remove {}", file.display()));
        } else {
            out.push(format!("would write {}:", file.display()));
            out.push(text.trim_end().to_string());
        }
        return Ok(out);
    }
    if !unchanged {
        if remove {
            std::fs::remove_file(&file)
                .map_err(|e| format!("cannot remove {}: {e}", file.display()))?;
            // And the client's directory, when the file was all that was in it (it fails, as
            // it should, when anything else is there).
            if let Some(dir) = file.parent() {
                let _ = std::fs::remove_dir(dir);
            }
        } else {
            write(&file, &text)?;
        }
    }
    if req.uninstall {
        return Ok(vec![if unchanged {
            format!("{name}: no so-hook handler in {}", file.display())
        } else {
            format!("{name}: so-hook removed from {}", file.display())
        }]);
    }
    verify(req, &base, &file, before.as_deref(), unchanged, |root| {
        doctor::handler_checks(req.platform, &after, root, &file)
    })
}

/// The program a registration runs: this binary by its absolute path, or `so-hook` from the
/// client's PATH with `--use-path`.
fn program(req: &Request) -> Result<String, String> {
    if req.use_path {
        return Ok("so-hook".into());
    }
    let exe = std::env::current_exe().and_then(|p| p.canonicalize());
    let b = exe.map_err(|e| format!("cannot find this binary's path ({e}); pass --use-path"))?;
    Ok(b.to_string_lossy().into_owned())
}

/// A path as one `sh` word.
pub(crate) fn quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// OpenCode's registration: so-hook's plugin file, pointed at this binary.
fn plugin_file(req: &Request, base: &Path) -> Result<Vec<String>, String> {
    let rel = registration_file(Platform::OpenCode, req.project.is_none())
        .expect("OpenCode has a plugin file");
    let file = base.join(rel);
    let before = std::fs::read_to_string(&file).ok();
    if before.as_deref().is_some_and(|t| !is_our_plugin(t)) {
        return Err(format!(
            "{} exists and is not so-hook's plugin; it was left as it is",
            file.display()
        ));
    }
    let name = Platform::OpenCode.name();
    if req.uninstall {
        if req.dry_run {
            return Ok(vec![match before {
                Some(_) => format!("dry run: would remove {}", file.display()),
                None => format!("dry run: {} is not there", file.display()),
            }]);
        }
        return Ok(vec![match before {
            Some(_) => {
                std::fs::remove_file(&file)
                    .map_err(|e| format!("cannot remove {}: {e}", file.display()))?;
                if let Some(dir) = file.parent() {
                    let _ = std::fs::remove_dir(dir);
                }
                format!("{name}: so-hook removed ({})", file.display())
            }
            None => format!("{name}: no so-hook plugin at {}", file.display()),
        }]);
    }
    // The path as a JavaScript string literal (JSON's escaping is JavaScript's).
    let program = program(req)?;
    let literal = serde_json::to_string(&program).expect("strings serialize");
    let text = OPENCODE_PLUGIN.replacen(
        "const SO_HOOK = \"so-hook\";",
        &format!("const SO_HOOK = {literal};"),
        1,
    );
    let unchanged = before.as_deref() == Some(text.as_str());
    if req.dry_run {
        return Ok(vec![
            "dry run: nothing was written".into(),
            if unchanged {
                format!("{} is already as install leaves it", file.display())
            } else {
                format!(
                    "would write {} (so-hook's plugin, running {program})",
                    file.display()
                )
            },
        ]);
    }
    if !unchanged {
        write(&file, &text)?;
    }
    verify(req, base, &file, before.as_deref(), unchanged, |root| {
        doctor::plugin_checks(&text, root, &file)
    })
}

/// Whether a file is so-hook's OpenCode plugin (what install may overwrite or remove).
pub(crate) fn is_our_plugin(text: &str) -> bool {
    text.contains("so-hook for OpenCode") && text.contains("\"tool.execute.before\"")
}

/// Sends a destructive call through what was written, from the directory the client runs in; a
/// registration that does not deny is rolled back.
fn verify(
    req: &Request,
    base: &Path,
    file: &Path,
    before: Option<&str>,
    unchanged: bool,
    checks_of: impl FnOnce(&Path) -> Vec<doctor::Check>,
) -> Result<Vec<String>, String> {
    let name = req.platform.name();
    let root = req.project.clone().unwrap_or_else(|| base.to_path_buf());
    let checks = checks_of(&root);
    let failed: Vec<&doctor::Check> = checks.iter().filter(|c| !c.ok).collect();
    if checks.is_empty() || !failed.is_empty() {
        // Put the file back as it was: a registration that does not deny is worse than none.
        let restored = match before {
            Some(text) => write(file, text),
            None => std::fs::remove_file(file).map_err(|e| e.to_string()),
        };
        let mut why: Vec<String> = failed.iter().map(|c| c.detail.clone()).collect();
        if checks.is_empty() {
            why.push("no so-hook handler was found after writing".into());
        }
        return Err(format!(
            "the registration in {} did not pass its check, so it was {}: {}",
            file.display(),
            if restored.is_ok() {
                "rolled back"
            } else {
                "left in place (rolling back failed too)"
            },
            why.join("; ")
        ));
    }
    let mut out = vec![format!(
        "{name}: so-hook {} in {}",
        if unchanged {
            "was already installed"
        } else {
            "installed"
        },
        file.display()
    )];
    for c in &checks {
        out.push(format!("  verified: {}", c.detail));
    }
    if req.platform == Platform::Codex {
        let trust = doctor::codex_trust(&root, req.home.as_deref(), req.project.is_some());
        if !trust.ok {
            out.push(format!("not yet active: {}", trust.detail));
        }
        out.push(
            "Codex runs a hook only after you review and trust it: open /hooks in Codex and \
             approve so-hook (project hooks also need a trusted project). Until then Codex skips \
             it without a message."
                .into(),
        );
    }
    Ok(out)
}

/// Points every so-hook handler at `program`: the shipped files find `so-hook` on PATH (Codex's
/// first checks that it is there, which a registration by absolute path does not need); an
/// installed registration names the binary it verified, and keeps what the shipped command does
/// when so-hook fails (Gemini CLI's exit 2).
fn point_at(v: &mut Value, program: &str, platform: Platform) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(c)) = m.get_mut("command")
                && is_so_hook(c)
            {
                *c = if c.starts_with("command -v so-hook") {
                    format!("{program} hook --platform {}", platform.id())
                } else {
                    c.replacen(
                        "so-hook hook --platform",
                        &format!("{program} hook --platform"),
                        1,
                    )
                };
            }
            for x in m.values_mut() {
                point_at(x, program, platform);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| point_at(x, program, platform)),
        _ => {}
    }
}

/// The file without any so-hook handler; groups and events left empty by that are dropped.
fn strip(platform: Platform, v: &Value) -> Result<Value, String> {
    let mut v = v.clone();
    let Some(obj) = v.as_object_mut() else {
        return Err("the top level is not a JSON object; it was left as it is".into());
    };
    let Some(hooks) = obj.get_mut("hooks") else {
        return Ok(v);
    };
    let Some(hooks) = hooks.as_object_mut() else {
        return Err("\"hooks\" is not an object; it was left as it is".into());
    };
    let ours = |h: &Value| h["command"].as_str().is_some_and(is_so_hook);
    let mut emptied = Vec::new();
    for (event, entries) in hooks.iter_mut() {
        let Some(list) = entries.as_array_mut() else {
            return Err(format!(
                "\"hooks.{event}\" is not a list; the file was left as it is"
            ));
        };
        let len = list.len();
        match flat(platform) {
            true => list.retain(|h| !ours(h)),
            false => {
                list.retain_mut(|group| match group["hooks"].as_array_mut() {
                    Some(handlers) if handlers.iter().any(ours) => {
                        handlers.retain(|h| !ours(h));
                        !handlers.is_empty()
                    }
                    _ => true,
                });
            }
        }
        if list.is_empty() && len > 0 {
            emptied.push(event.clone());
        }
    }
    for e in emptied {
        hooks.remove(&e);
    }
    Ok(v)
}

/// The stripped file with the shipped entries appended to each of their events.
fn merge(platform: Platform, mut v: Value, ours: &Value) -> Value {
    let obj = v.as_object_mut().expect("strip checked the top level");
    if flat(platform) && !obj.contains_key("version") {
        obj.insert("version".into(), Value::from(1));
    }
    let hooks = obj
        .entry("hooks")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
        .expect("strip checked hooks");
    for (event, entries) in ours["hooks"].as_object().into_iter().flatten() {
        let list = hooks
            .entry(event.clone())
            .or_insert_with(|| Value::Array(Vec::new()))
            .as_array_mut()
            .expect("strip checked every event is a list");
        list.extend(entries.as_array().into_iter().flatten().cloned());
    }
    v
}

/// Whether a file holds nothing but what install adds around its handlers.
fn is_empty(platform: Platform, v: &Value) -> bool {
    let Some(obj) = v.as_object() else {
        return false;
    };
    obj.iter().all(|(k, val)| match k.as_str() {
        "hooks" => val.as_object().is_some_and(|h| h.is_empty()),
        "version" => flat(platform),
        _ => false,
    })
}

/// Writes through a temporary file in the same directory, so a crash leaves the old file or the new.
fn write(file: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    crate::atomic::write(file, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", file.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strip_keeps_the_users_handlers_and_drops_only_emptied_groups() {
        let v = json!({"hooks": {
            "PreToolUse": [
                {"matcher": "Bash", "hooks": [
                    {"type": "command", "command": "/x/so-hook hook --platform codex"},
                    {"type": "command", "command": "my-linter"}]},
                {"matcher": "Bash|apply_patch", "hooks": [
                    {"type": "command", "command": "so-hook hook --platform codex"}]}],
            "Stop": [],
            "PostToolUse": [{"hooks": [{"type": "command", "command": "fmt"}]}]}});
        let s = strip(Platform::Codex, &v).unwrap();
        assert_eq!(
            s,
            json!({"hooks": {
                "PreToolUse": [{"matcher": "Bash", "hooks": [
                    {"type": "command", "command": "my-linter"}]}],
                "Stop": [],
                "PostToolUse": [{"hooks": [{"type": "command", "command": "fmt"}]}]}})
        );
    }

    #[test]
    fn merge_then_strip_is_the_original() {
        let original = json!({"version": 1, "hooks": {"beforeShellExecution": [
            {"command": "audit.sh"}]}, "other": true});
        let ours: Value = serde_json::from_str(CURSOR_HOOKS).unwrap();
        let merged = merge(Platform::Cursor, original.clone(), &ours);
        assert_eq!(
            merged["hooks"]["beforeShellExecution"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(strip(Platform::Cursor, &merged).unwrap(), original);
    }

    #[test]
    fn command_lines_quote_odd_paths_and_keep_what_a_failure_does() {
        assert_eq!(quote("/home/a b/so-hook"), "'/home/a b/so-hook'");
        assert_eq!(quote("/usr/bin/so-hook"), "/usr/bin/so-hook");
        // Codex's PATH check goes: the absolute path needs none.
        let mut codex: Value = serde_json::from_str(CODEX_HOOKS).unwrap();
        point_at(&mut codex, "/b/so-hook", Platform::Codex);
        assert_eq!(
            codex["hooks"]["PreToolUse"][0]["hooks"][0]["command"],
            "/b/so-hook hook --platform codex"
        );
        // Gemini's exit 2 on a failure stays: it is what blocks there.
        let mut gemini: Value = serde_json::from_str(GEMINI_HOOKS).unwrap();
        point_at(&mut gemini, "'/a b/so-hook'", Platform::Gemini);
        let c = gemini["hooks"]["BeforeTool"][0]["hooks"][0]["command"]
            .as_str()
            .unwrap();
        assert!(
            c.starts_with("'/a b/so-hook' hook --platform gemini || {"),
            "{c}"
        );
        assert!(c.ends_with("exit 2; }"), "{c}");
    }

    #[test]
    fn files_that_are_not_hook_files_are_refused() {
        assert!(strip(Platform::Codex, &json!([1])).is_err());
        assert!(strip(Platform::Codex, &json!({"hooks": 3})).is_err());
        assert!(strip(Platform::Cursor, &json!({"hooks": {"preToolUse": {}}})).is_err());
    }
}
