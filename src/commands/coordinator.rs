//! The coordinator's tools, used by the Markdown pack instead of prose: `so-hook scope set|show|
//! clear` write, show and remove the wave manifest; `so-hook config` prints the Session Config.

use crate::commands::validate::{self, Severity};
use crate::hook::call::Platform;
use crate::project::manifest::{self, STATE_DIRS};
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

/// `so-hook scope set`.
pub struct SetRequest {
    pub root: PathBuf,
    pub platform: Platform,
    pub wave: u64,
    pub role: String,
    pub allow: Vec<String>,
    pub block: Vec<String>,
    pub enforcement: Option<String>,
    /// `name=true|false`.
    pub gates: Vec<String>,
    pub dry_run: bool,
}

/// Builds the manifest, validates it, and writes it atomically (a temp file renamed over the
/// old one). Returns the exit status.
pub fn set(req: &SetRequest) -> i32 {
    let config = crate::project::config::load(&req.root, Some(req.platform), None).ok();
    // The Session Config's enforcement and gates, unless given here; strict when none is set.
    let enforcement = req.enforcement.clone().unwrap_or_else(|| {
        config
            .as_ref()
            .filter(|c| c.is_set("enforcement"))
            .and_then(|c| c.str("enforcement").map(str::to_string))
            .unwrap_or_else(|| "strict".into())
    });
    let mut gates = Map::new();
    if let Some(Value::Object(g)) = config
        .as_ref()
        .filter(|c| c.is_set("enforcement-gates"))
        .and_then(|c| c.values.get("enforcement-gates"))
    {
        gates.extend(g.clone());
    }
    for g in &req.gates {
        let parsed = g.split_once('=').and_then(|(k, v)| match v {
            "true" => Some((k, true)),
            "false" => Some((k, false)),
            _ => None,
        });
        match parsed {
            Some((k, v)) => {
                gates.insert(k.to_string(), json!(v));
            }
            None => {
                eprintln!("so-hook scope set: --gate {g}: write NAME=true or NAME=false");
                return 2;
            }
        }
    }
    let mut m = Map::new();
    m.insert("wave".into(), json!(req.wave));
    m.insert("role".into(), json!(req.role));
    m.insert("enforcement".into(), json!(enforcement));
    m.insert("allowedPaths".into(), json!(dedup(&req.allow)));
    m.insert("blockedCommands".into(), json!(dedup(&req.block)));
    if !gates.is_empty() {
        m.insert("gates".into(), Value::Object(gates));
    }
    let text = format!(
        "{}\n",
        serde_json::to_string_pretty(&Value::Object(m)).expect("JSON values serialize")
    );
    let path = req
        .root
        .join(req.platform.state_dir())
        .join(manifest::FILE_NAME);
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let diags = validate::manifest_text(&path, &text, home.as_deref());
    for d in &diags {
        eprintln!("{}", d.message_without_place());
    }
    if diags.iter().any(|d| d.severity == Severity::Error) {
        eprintln!("so-hook scope set: the manifest was not written");
        return 1;
    }
    if req.dry_run {
        print!("{text}");
        return 0;
    }
    // Written whole: the hook reads this file on every call and must never see half of it.
    let written = std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))
        .and_then(|()| crate::atomic::write(&path, text.as_bytes()));
    if let Err(e) = written {
        eprintln!("so-hook scope set: cannot write {}: {e}", path.display());
        return 1;
    }
    println!(
        "wrote {}: wave {} ({}), {enforcement}, {} allowed path{}",
        shown(&path, &req.root),
        req.wave,
        req.role,
        req.allow.len(),
        if req.allow.len() == 1 { "" } else { "s" }
    );
    0
}

fn dedup(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in items {
        if !out.contains(i) {
            out.push(i.clone());
        }
    }
    out
}

fn shown(path: &Path, root: &Path) -> String {
    crate::project::paths::relative(path, root).unwrap_or_else(|| path.display().to_string())
}

/// `so-hook scope show`: every manifest in force, as the hook reads it.
pub fn show(root: &Path, json_out: bool, platform: Option<Platform>) -> i32 {
    let mut found = manifest::find(root);
    if let Some(p) = platform {
        found.retain(|f| f.path.starts_with(root.join(p.state_dir())));
    }
    if json_out {
        let items: Vec<Value> = found
            .iter()
            .map(|f| {
                let mut v = json!({"file": f.path.display().to_string()});
                match &f.manifest {
                    Ok(m) => {
                        v["wave"] = json!(m.wave);
                        v["role"] = json!(m.role);
                        v["enforcement"] = json!(format!("{:?}", m.enforcement).to_lowercase());
                        v["allowedPaths"] = json!(m.allowed_paths);
                        v["blockedCommands"] = json!(m.blocked());
                        v["usesFallback"] = json!(m.uses_fallback());
                        v["gates"] = json!({"path-guard": m.path_guard,
                            "command-guard": m.command_guard,
                            "post-edit-validate": m.post_edit_validate});
                    }
                    Err(e) => v["error"] = json!(e),
                }
                v
            })
            .collect();
        println!("{}", json!({ "manifests": items }));
        return 0;
    }
    if found.is_empty() {
        println!(
            "no wave manifest in {}: edits are not scope-checked; the command guard is on",
            root.display()
        );
        return 0;
    }
    for f in &found {
        println!("{}", shown(&f.path, root));
        match &f.manifest {
            Ok(m) => {
                println!(
                    "  wave {} ({}), enforcement {}",
                    m.wave.map_or("?".into(), |w| w.to_string()),
                    m.role.as_deref().unwrap_or("no role"),
                    format!("{:?}", m.enforcement).to_lowercase()
                );
                if m.allowed_paths.is_empty() {
                    println!("  allowed: nothing (every edit is denied)");
                } else {
                    println!("  allowed: {}", m.allowed_paths.join(", "));
                }
                println!(
                    "  blocked: {}{}",
                    m.blocked().join(", "),
                    if m.uses_fallback() {
                        " (the fallback list)"
                    } else {
                        ""
                    }
                );
                let off: Vec<&str> = [
                    ("path-guard", m.path_guard),
                    ("command-guard", m.command_guard),
                    ("post-edit-validate", m.post_edit_validate),
                ]
                .iter()
                .filter(|(_, on)| !on)
                .map(|(g, _)| *g)
                .collect();
                if !off.is_empty() {
                    println!("  gates off: {}", off.join(", "));
                }
            }
            Err(e) => println!("  malformed, so every guarded call is denied: {e}"),
        }
    }
    0
}

/// `so-hook scope clear`: removes every manifest (or the one of `platform`), saying which.
pub fn clear(root: &Path, platform: Option<Platform>) -> i32 {
    let dirs: Vec<&str> = match platform {
        Some(p) => vec![p.state_dir()],
        None => STATE_DIRS.to_vec(),
    };
    let mut status = 0;
    let mut removed = 0;
    for d in dirs {
        let path = root.join(d).join(manifest::FILE_NAME);
        match std::fs::remove_file(&path) {
            Ok(()) => {
                println!("removed {}", shown(&path, root));
                removed += 1;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                eprintln!("so-hook scope clear: cannot remove {}: {e}", path.display());
                status = 1;
            }
        }
    }
    if removed == 0 && status == 0 {
        println!("no wave manifest to remove");
    }
    status
}

/// `so-hook config`: the Session Config with defaults filled in, and its problems by line.
pub fn config(root: &Path, platform: Option<Platform>, file: Option<&Path>, json_out: bool) -> i32 {
    let c = match crate::project::config::load(root, platform, file) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("so-hook config: {e}");
            return 2;
        }
    };
    let source = c
        .file
        .as_ref()
        .map(|f| f.display().to_string())
        .unwrap_or_else(|| "no CLAUDE.md or AGENTS.md".into());
    if json_out {
        println!("{}", c.to_json());
    } else {
        match (c.section_line, &c.file) {
            (Some(l), _) => println!("# Session Config from {source}:{l}"),
            (None, Some(_)) => {
                println!("# no `## Session Config` section in {source}: every default applies")
            }
            (None, None) => println!(
                "# no CLAUDE.md or AGENTS.md in {}: every default applies",
                root.display()
            ),
        }
        for (k, v) in &c.values {
            let origin = c
                .set
                .get(k)
                .map(|l| format!("line {l}"))
                .unwrap_or_else(|| "default".into());
            println!("{k}: {v}  # {origin}");
        }
        for p in &c.problems {
            let sev = match p.severity {
                crate::project::config::Severity::Error => "error",
                crate::project::config::Severity::Warning => "warning",
            };
            eprintln!(
                "{}:{}: {sev}: {}",
                c.file
                    .as_ref()
                    .map(|f| f.display().to_string())
                    .unwrap_or_default(),
                p.line,
                p.message
            );
        }
    }
    i32::from(!c.is_valid())
}
