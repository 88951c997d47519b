//! `so-hook doctor`: is the guard really in place for this machine and project? Checks the binary on
//! `PATH`, the wave manifests and the policy, the hook registrations of each platform, and sends a
//! destructive call through every registered command line to see it denied.

use crate::hook::call::Platform;
use crate::project::Project;
use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One check's outcome.
pub(crate) struct Check {
    pub(crate) name: String,
    pub(crate) ok: bool,
    pub(crate) detail: String,
    /// What to do when it failed.
    pub(crate) fix: Option<String>,
}

impl Check {
    fn pass(name: impl Into<String>, detail: impl Into<String>) -> Check {
        Check {
            name: name.into(),
            ok: true,
            detail: detail.into(),
            fix: None,
        }
    }

    fn fail(name: impl Into<String>, detail: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            name: name.into(),
            ok: false,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }
}

/// Runs every check; prints them; returns 0 when all passed, 1 otherwise.
pub fn run(cwd: &Path, home: Option<&Path>, only: Option<Platform>, as_json: bool) -> i32 {
    let project = Project::load(cwd);
    let mut checks = vec![binary()];
    for f in &project.manifests {
        checks.push(match &f.manifest {
            Ok(m) => Check::pass(
                format!("manifest {}", f.path.display()),
                format!(
                    "valid (wave {}, {} allowed paths)",
                    m.wave.map_or("?".into(), |w| w.to_string()),
                    m.allowed_paths.len()
                ),
            ),
            Err(e) => Check::fail(
                format!("manifest {}", f.path.display()),
                e.clone(),
                "rewrite the manifest (the coordinating session owns it); until then every guarded \
                 call is denied",
            ),
        });
    }
    match &project.policy {
        None => {}
        Some(Ok(p)) => checks.push(Check::pass(
            "policy",
            format!(
                "valid ({} rules, {} disabled built-in rules{})",
                p.patterns.len(),
                p.disabled.len(),
                if p.disabled.is_empty() {
                    String::new()
                } else {
                    format!(": {}", p.disabled.join(", "))
                }
            ),
        )),
        Some(Err(e)) => checks.push(Check::fail(
            "policy",
            e.clone(),
            "fix the policy file; until then every guarded call is denied",
        )),
    }
    let mut any = false;
    for platform in Platform::ALL {
        if only.is_none_or(|o| o == platform) {
            let (found, list) = registrations(platform, &project.root, home, only.is_some());
            any |= found;
            checks.extend(list);
        }
    }
    // A guard registered nowhere guards nothing: that is a failure, not a pass.
    if only.is_none() && !any {
        checks.push(Check::fail(
            "registration",
            "no so-hook hook is registered for Claude Code, Codex, Cursor, Gemini CLI, Copilot \
             CLI or OpenCode, in this project, for the user, or by an installed plugin",
            "install it for your client (see the README), then run `so-hook doctor` again",
        ));
    }
    let ok = checks.iter().all(|c| c.ok);
    if as_json {
        let list: Vec<Value> = checks
            .iter()
            .map(|c| json!({"check": c.name, "ok": c.ok, "detail": c.detail, "fix": c.fix}))
            .collect();
        println!("{}", json!({ "ok": ok, "checks": list }));
    } else {
        for c in &checks {
            println!(
                "{} {}: {}",
                if c.ok { "ok  " } else { "FAIL" },
                c.name,
                c.detail
            );
            if let Some(fix) = &c.fix {
                println!("     {}: {fix}", if c.ok { "hint" } else { "fix" });
            }
        }
    }
    if ok { 0 } else { 1 }
}

fn binary() -> Check {
    let me = std::env::current_exe().ok();
    let on_path = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("so-hook"))
            .find(|c| c.is_file())
    });
    let version = env!("CARGO_PKG_VERSION");
    match on_path {
        Some(p) => {
            let mut check = Check::pass(
                "binary",
                format!(
                    "so-hook {version} at {}; `so-hook` on PATH is {}",
                    me.as_ref().map_or("?".into(), |m| m.display().to_string()),
                    p.display()
                ),
            );
            if let Some(me) = me.filter(|_| is_script(&p)) {
                check.fix = Some(format!(
                    "`so-hook` on PATH is a script that starts the binary (npm's `so-hook` is a \
                     Node.js launcher), so every hook command that runs `so-hook` from PATH also \
                     pays its interpreter's start-up; put the binary itself ahead of it on PATH, \
                     e.g. `ln -sf {} ~/.local/bin/so-hook` (`so-hook install` already registers \
                     the binary by its path)",
                    me.display()
                ));
            }
            check
        }
        None => Check::fail(
            "binary",
            "`so-hook` is not on PATH, so the registered hook commands cannot start",
            "install it (`npm install -g so-hook`, `pipx install so-hook`, or `cargo install \
             --locked --path .` in the so-hook repository; see its README), or put the binary in \
             a directory on PATH",
        ),
    }
}

/// Whether a file is a script (`#!`), such as npm's launcher, rather than a binary.
fn is_script(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 2];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| &head == b"#!")
}

/// Paths relative to a project or home.
type Rels = &'static [&'static str];

/// Hook files of a platform, project first (OpenCode's plugin files included).
fn hook_files(platform: Platform, root: &Path, home: Option<&Path>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    // Files, and directories whose every file of the extension is read.
    let (project, user, dirs): (Rels, Rels, (Rels, Rels, &str)) = match platform {
        Platform::Claude => (
            &[".claude/settings.json", ".claude/settings.local.json"],
            &[".claude/settings.json", ".claude/settings.local.json"],
            (&[], &[], ""),
        ),
        Platform::Codex => (
            &[".codex/hooks.json"],
            &[".codex/hooks.json"],
            (&[], &[], ""),
        ),
        Platform::Cursor => (
            &[".cursor/hooks.json"],
            &[".cursor/hooks.json"],
            (&[], &[], ""),
        ),
        Platform::Gemini => (
            &[".gemini/settings.json"],
            &[".gemini/settings.json"],
            (&[], &[], ""),
        ),
        Platform::Copilot => (
            &[
                ".github/copilot/settings.json",
                ".github/copilot/settings.local.json",
            ],
            &[".copilot/settings.json", ".copilot/config.json"],
            (&[".github/hooks"], &[".copilot/hooks"], "json"),
        ),
        Platform::OpenCode => (
            &[],
            &[],
            (
                &[".opencode/plugins", ".opencode/plugin"],
                &[".config/opencode/plugins", ".config/opencode/plugin"],
                "js",
            ),
        ),
    };
    let (project_dirs, user_dirs, ext) = dirs;
    let listed = |dir: PathBuf| -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == ext))
            .collect();
        files.sort();
        files
    };
    for r in project {
        out.push(root.join(r));
    }
    for d in project_dirs {
        out.extend(listed(root.join(d)));
    }
    if let Some(h) = home {
        for r in user {
            out.push(h.join(r));
        }
        for d in user_dirs {
            out.extend(listed(h.join(d)));
        }
    }
    out
}

/// A so-hook handler registered for guarding: its command line and, on Cursor, whether it is
/// registered to fail closed.
struct Handler {
    command: String,
    fail_closed: bool,
}

/// The so-hook handlers registered for guarding in one hook file.
fn registered(platform: Platform, v: &Value) -> Vec<Handler> {
    let mut out = Vec::new();
    let hooks = &v["hooks"];
    let events: &[&str] = match platform {
        Platform::Cursor => &["beforeShellExecution", "preToolUse"],
        Platform::Gemini => &["BeforeTool"],
        // Copilot CLI also takes Claude Code's event names in its own files.
        Platform::Copilot => &["preToolUse", "PreToolUse"],
        _ => &["PreToolUse"],
    };
    for e in events {
        for entry in hooks[e].as_array().into_iter().flatten() {
            // Claude/Codex nest handlers in matcher groups; Cursor lists them directly.
            let handlers: Vec<&Value> = match entry["hooks"].as_array() {
                Some(hs) => hs.iter().collect(),
                None => vec![entry],
            };
            for h in handlers {
                // Copilot CLI's handlers name their command `bash` (or `command`).
                if let Some(c) = h["command"].as_str().or(h["bash"].as_str())
                    && c.contains("so-hook")
                {
                    out.push(Handler {
                        command: c.to_string(),
                        fail_closed: h["failClosed"] == true,
                    });
                }
            }
        }
    }
    out
}

/// The hook files installed plugins bring for `platform` (Claude Code's and Codex's plugin
/// caches in home): every JSON file below them that registers so-hook.
fn plugin_hook_files(platform: Platform, home: Option<&Path>) -> Vec<PathBuf> {
    let dir = match (platform, home) {
        // Installed copies only (a marketplace clone beside them is not an install).
        (Platform::Claude, Some(h)) => h.join(".claude/plugins/cache"),
        (Platform::Codex, Some(h)) => h.join(".codex/plugins"),
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    let mut stack = vec![(dir, 0usize)];
    let mut seen = 0usize;
    while let Some((d, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            seen += 1;
            if seen > 20_000 {
                return out;
            }
            let p = e.path();
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            if is_dir && depth < 10 && e.file_name() != ".git" && e.file_name() != "node_modules" {
                stack.push((p, depth + 1));
            } else if !is_dir
                && p.extension().is_some_and(|x| x == "json")
                && p.parent().is_some_and(|d| d.ends_with("hooks"))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The so-hook registrations of one client, each test-fired; whether any was found. A client
/// asked about (`--platform`) with none is a failure.
fn registrations(
    platform: Platform,
    root: &Path,
    home: Option<&Path>,
    required: bool,
) -> (bool, Vec<Check>) {
    let name = platform.name();
    let mut checks = Vec::new();
    let mut found = false;
    let files = hook_files(platform, root, home)
        .into_iter()
        .chain(plugin_hook_files(platform, home));
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        if platform == Platform::OpenCode {
            let file_checks = plugin_checks(&text, root, &file);
            found |= !file_checks.is_empty();
            checks.extend(file_checks);
            continue;
        }
        let v: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                checks.push(Check::fail(
                    format!("{name} hooks {}", file.display()),
                    format!("not valid JSON: {e}"),
                    format!("fix the file; {name} may ignore every hook in it"),
                ));
                continue;
            }
        };
        let file_checks = handler_checks(platform, &v, root, &file);
        if platform == Platform::Codex && !file_checks.is_empty() {
            checks.push(codex_trust(root, home, file.starts_with(root)));
        }
        found |= !file_checks.is_empty();
        checks.extend(file_checks);
    }
    if !found {
        let hint = match platform {
            Platform::Claude => {
                "add the plugin (`/plugin marketplace add` this repository, then `/plugin install \
                 so-hook@so-hook`) or the PreToolUse handler from the README to \
                 .claude/settings.json"
            }
            Platform::Codex => {
                "add the PreToolUse handler from the README to .codex/hooks.json and review it in \
                 Codex's /hooks (untrusted hooks are skipped without a message)"
            }
            Platform::Cursor => "copy cursor-rules/hooks.json to .cursor/hooks.json",
            Platform::Gemini => {
                "run `so-hook install --platform gemini` (project: .gemini/settings.json, which \
                 Gemini CLI reads only in a trusted folder; --user: ~/.gemini/settings.json)"
            }
            Platform::Copilot => {
                "run `so-hook install --platform copilot` (project: .github/hooks/so-hook.json, \
                 read in a trusted folder; --user: ~/.copilot/hooks/so-hook.json)"
            }
            Platform::OpenCode => {
                "run `so-hook install --platform opencode` (project: .opencode/plugins/so-hook.js; \
                 --user: ~/.config/opencode/plugins/so-hook.js)"
            }
        };
        checks.push(Check {
            name: format!("{name} registration"),
            ok: !required,
            detail: "no so-hook hook found in the project's or the user's hook files, or in an \
                     installed plugin"
                .into(),
            fix: Some(hint.into()),
        });
    }
    (found, checks)
}

/// Codex loads a project's `.codex/hooks.json` only in a trusted project, and runs a hook only after
/// it was reviewed in `/hooks` (recorded by a hash this check cannot recompute). The first is read
/// from `~/.codex/config.toml`; the second is a reminder.
pub(crate) fn codex_trust(root: &Path, home: Option<&Path>, in_project: bool) -> Check {
    let config = home.map(|h| h.join(".codex/config.toml"));
    let text = config
        .as_ref()
        .and_then(|c| std::fs::read_to_string(c).ok())
        .unwrap_or_default();
    let review = "Codex also skips each hook until it is reviewed in /hooks, and again after any \
                  edit of it: open /hooks in Codex and approve so-hook";
    if in_project && !project_trusted(&text, root) {
        return Check::fail(
            "Codex project trust",
            format!(
                "{} is not marked trusted in ~/.codex/config.toml, so Codex does not load its \
                 .codex/hooks.json",
                root.display()
            ),
            format!(
                "trust the project when Codex asks (or add `[projects.\"{}\"]` with `trust_level = \"trusted\"`). {review}",
                root.display()
            ),
        );
    }
    Check {
        name: "Codex hook trust".into(),
        ok: true,
        detail: if in_project {
            "the project is trusted".into()
        } else {
            "the hook is registered for the user".into()
        },
        fix: Some(review.into()),
    }
}

/// Whether `config.toml` has `[projects."ROOT"]` with `trust_level = "trusted"` (a line scan: the
/// two keys Codex writes, without a TOML parser).
fn project_trusted(config: &str, root: &Path) -> bool {
    let root = root.to_string_lossy();
    let headers = [
        format!("[projects.\"{root}\"]"),
        format!("[projects.'{root}']"),
    ];
    let mut inside = false;
    for line in config.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = headers.iter().any(|h| h == line);
        } else if inside {
            let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
            if compact == "trust_level=\"trusted\"" || compact == "trust_level='trusted'" {
                return true;
            }
        }
    }
    false
}

/// The checks of every so-hook handler in one parsed hook file: Cursor's `failClosed`, and a
/// destructive call sent through the exact command line. Empty when the file registers none.
pub(crate) fn handler_checks(
    platform: Platform,
    v: &Value,
    root: &Path,
    file: &Path,
) -> Vec<Check> {
    let mut checks = Vec::new();
    for handler in registered(platform, v) {
        if platform == Platform::Cursor && !handler.fail_closed {
            checks.push(Check::fail(
                format!("Cursor hook in {}", file.display()),
                format!(
                    "`{}` is registered without \"failClosed\": true, so Cursor runs the \
                     call whenever the hook crashes, times out or cannot start",
                    handler.command
                ),
                "add \"failClosed\": true to the handler (as in cursor-rules/hooks.json)",
            ));
        }
        checks.push(simulate(platform, &handler.command, root, file));
    }
    checks
}

/// The checks of so-hook's OpenCode plugin file: the binary it runs, sent a destructive call the
/// way the plugin sends it. Empty when the file is not so-hook's plugin.
pub(crate) fn plugin_checks(text: &str, root: &Path, file: &Path) -> Vec<Check> {
    if !crate::commands::install::is_our_plugin(text) {
        return Vec::new();
    }
    let program = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("const SO_HOOK = "))
        .and_then(|v| serde_json::from_str::<String>(v.trim_end_matches(';')).ok());
    let Some(program) = program else {
        return vec![Check::fail(
            format!("OpenCode plugin {}", file.display()),
            "the plugin names no so-hook binary (its `const SO_HOOK = \"...\";` line)",
            "run `so-hook install --platform opencode` again",
        )];
    };
    let quoted = crate::commands::install::quote(&program);
    vec![simulate(
        Platform::OpenCode,
        &format!("{quoted} hook --platform opencode"),
        root,
        file,
    )]
}

/// Sends a destructive call through a registered command line and reads the answer.
fn simulate(platform: Platform, command: &str, root: &Path, file: &Path) -> Check {
    let name = format!("{} hook in {}", platform.name(), file.display());
    let payload = match platform {
        Platform::Claude => {
            json!({"session_id": "doctor", "cwd": root, "hook_event_name": "PreToolUse",
            "tool_name": "Bash", "tool_input": {"command": "rm -rf /"}})
        }
        Platform::Codex => json!({"session_id": "doctor", "turn_id": "1", "cwd": root,
            "hook_event_name": "PreToolUse", "model": "doctor", "tool_name": "Bash",
            "tool_input": {"command": "rm -rf /"}}),
        Platform::Cursor => json!({"conversation_id": "doctor", "generation_id": "doctor",
            "hook_event_name": "beforeShellExecution", "cursor_version": "doctor",
            "workspace_roots": [root], "command": "rm -rf /", "cwd": root}),
        Platform::Gemini => json!({"session_id": "doctor", "cwd": root,
            "hook_event_name": "BeforeTool", "timestamp": "1970-01-01T00:00:00.000Z",
            "tool_name": "run_shell_command", "tool_input": {"command": "rm -rf /"}}),
        Platform::Copilot => json!({"sessionId": "doctor", "timestamp": 0, "cwd": root,
            "toolName": "bash", "toolArgs": {"command": "rm -rf /", "description": "doctor"}}),
        Platform::OpenCode => json!({"hook_event_name": "tool.execute.before", "tool": "bash",
            "args": {"command": "rm -rf /"}, "sessionID": "doctor", "cwd": root}),
    };
    // A plugin's command may name its own directory (the parent of its `hooks/`).
    let plugin_root = file
        .parent()
        .filter(|d| d.ends_with("hooks"))
        .and_then(Path::parent)
        .unwrap_or(root);
    let child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(root)
        .env("CLAUDE_PLUGIN_ROOT", plugin_root)
        .env("SO_HOOK_NO_EVENTS", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        return Check::fail(name, "could not start `sh`", "check the machine's shell");
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(payload.to_string().as_bytes());
    }
    let Ok(out) = child.wait_with_output() else {
        return Check::fail(name, "the hook did not finish", "run the command by hand");
    };
    let answer: Option<Value> = serde_json::from_slice(&out.stdout).ok();
    let denied = match (platform, &answer) {
        (Platform::Cursor, Some(v)) => v["permission"] == "deny",
        (Platform::Gemini | Platform::OpenCode, Some(v)) => v["decision"] == "deny",
        (Platform::Copilot, Some(v)) => v["permissionDecision"] == "deny",
        (_, Some(v)) => v["hookSpecificOutput"]["permissionDecision"] == "deny",
        _ => false,
    };
    if denied && out.status.code() == Some(0) {
        Check::pass(name, format!("`{command}` denies `rm -rf /`"))
    } else {
        Check::fail(
            name,
            format!(
                "`{command}` did not deny `rm -rf /` ({}, stderr: {})",
                match out.status.code() {
                    Some(code) => format!("exit {code}"),
                    None => "killed by a signal".to_string(),
                },
                String::from_utf8_lossy(&out.stderr).trim()
            ),
            "make the command run this so-hook with the right --platform (see the README)",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_trust_is_read_from_its_own_table() {
        let root = Path::new("/w/p");
        assert!(project_trusted(
            "model = \"x\"\n[projects.\"/w/p\"]\ntrust_level = \"trusted\"\n",
            root
        ));
        assert!(project_trusted(
            "[projects.'/w/p']\ntrust_level='trusted'\n",
            root
        ));
        assert!(!project_trusted(
            "[projects.\"/w/p\"]\ntrust_level = \"untrusted\"\n",
            root
        ));
        assert!(!project_trusted(
            "[projects.\"/w/other\"]\ntrust_level = \"trusted\"\n[projects.\"/w/p\"]\n",
            root
        ));
        assert!(!project_trusted("", root));
    }
}
