//! `so-hook validate`: the wave manifest, the project policy and the Session Config, checked with
//! messages that name the file, the line and column, what is wrong and what is allowed.
//!
//! The manifest is held to the original plugin's validator (every key present, `wave` > 0, a
//! non-empty `role`, `enforcement` one of three, non-empty `allowedPaths` entries without `../`,
//! no absolute grant of `/`, a system directory or a home root), with warnings for patterns that
//! allow everything. Anything the hook itself would refuse is an error here too.
//!
//! The manifest's and the policy's checks have a module each ([`manifest_text`], [`policy_text`]);
//! the Session Config's ([`config_file`]) and the run itself ([`run`]) are here. A diagnostic is
//! placed by the JSON pointer of the value it is about ([`positions`]) and printed by `report`.

mod manifest;
mod policy;
mod positions;
mod report;

pub use manifest::manifest_text;
pub use policy::policy_text;
pub use positions::positions;
pub use report::{Diagnostic, Severity};

use crate::hook::call::Platform;
use crate::project::manifest::{FILE_NAME, STATE_DIRS};
use crate::project::policy::RELATIVE_PATH;
use report::unreadable;
use std::path::{Path, PathBuf};

/// What a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// A wave manifest (`wave-scope.json`).
    Manifest,
    /// The project policy (`.so-hook/policy.json`).
    Policy,
    /// The `## Session Config` section of CLAUDE.md or AGENTS.md.
    Config,
}

/// Checks the Session Config section of a Markdown file.
pub fn config_file(file: &Path) -> Vec<Diagnostic> {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => return vec![unreadable(file, &e)],
    };
    crate::project::config::parse(&text)
        .problems
        .into_iter()
        .map(|p| Diagnostic {
            file: file.to_path_buf(),
            line: p.line,
            column: 1,
            severity: match p.severity {
                crate::project::config::Severity::Error => Severity::Error,
                crate::project::config::Severity::Warning => Severity::Warning,
            },
            message: p.message,
        })
        .collect()
}

/// What a file is, by its name.
pub fn kind_of(file: &Path) -> Option<Kind> {
    let name = file.file_name()?.to_str()?;
    if name == FILE_NAME {
        Some(Kind::Manifest)
    } else if name == "policy.json" {
        Some(Kind::Policy)
    } else if name.ends_with(".md") {
        Some(Kind::Config)
    } else {
        None
    }
}

/// Checks one file of a known kind (`-` reads standard input).
pub fn file(file: &Path, kind: Kind, root: &Path, home: Option<&Path>) -> Vec<Diagnostic> {
    if kind == Kind::Config {
        return config_file(file);
    }
    let read = if file == Path::new("-") {
        match STDIN.get() {
            // Read already, to tell its kind.
            Some(Some(t)) => Ok(t.clone()),
            _ => {
                let mut s = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map(|_| s)
            }
        }
    } else {
        std::fs::read_to_string(file)
    };
    let text = match read {
        Ok(t) => t,
        Err(e) => return vec![unreadable(file, &e)],
    };
    let shown = if file == Path::new("-") {
        Path::new("<stdin>")
    } else {
        file
    };
    match kind {
        Kind::Manifest => manifest_text(shown, &text, home),
        Kind::Policy => policy_text(shown, &text, root),
        Kind::Config => unreachable!("handled above"),
    }
}

/// The files of a project that so-hook reads: its manifests, its policy and its Session Config.
pub fn project_files(root: &Path, platform: Option<Platform>) -> Vec<(PathBuf, Kind)> {
    let mut out: Vec<(PathBuf, Kind)> = STATE_DIRS
        .iter()
        .map(|d| root.join(d).join(FILE_NAME))
        .filter(|p| p.exists())
        .map(|p| (p, Kind::Manifest))
        .collect();
    let policy = root.join(RELATIVE_PATH);
    if policy.exists() {
        out.push((policy, Kind::Policy));
    }
    match platform {
        Some(p) => {
            out.extend(crate::project::config::locate(root, Some(p)).map(|f| (f, Kind::Config)))
        }
        None => out.extend(
            ["CLAUDE.md", "AGENTS.md"]
                .iter()
                .map(|f| root.join(f))
                .filter(|p| p.is_file())
                .map(|p| (p, Kind::Config)),
        ),
    }
    out
}

/// One `so-hook validate` run.
pub struct Request {
    pub files: Vec<PathBuf>,
    pub kind: Option<Kind>,
    /// Check the pack of the repository at this directory instead.
    pub plugin: Option<PathBuf>,
    pub root: PathBuf,
    pub json: bool,
}

/// What the text on standard input is, by its keys (a manifest has `allowedPaths` or `wave`, a
/// policy `rules`, `disable` or `safeDeleteTargets`; a Session Config is Markdown). The text is
/// kept for the check that follows.
fn kind_of_stdin() -> Option<Kind> {
    let text = STDIN.get_or_init(|| {
        let mut t = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut t).ok()?;
        Some(t)
    });
    let text = text.as_deref()?;
    let Ok(serde_json::Value::Object(m)) = serde_json::from_str::<serde_json::Value>(text) else {
        return text.contains("## Session Config").then_some(Kind::Config);
    };
    if [
        "allowedPaths",
        "wave",
        "role",
        "enforcement",
        "blockedCommands",
    ]
    .iter()
    .any(|k| m.contains_key(*k))
    {
        Some(Kind::Manifest)
    } else if ["rules", "disable", "ask", "safeDeleteTargets", "version"]
        .iter()
        .any(|k| m.contains_key(*k))
    {
        Some(Kind::Policy)
    } else {
        None
    }
}

/// Standard input, read once (to tell its kind, then to check it).
static STDIN: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

/// Prints the diagnostics; returns 0 (no error), 1 (an error) or 2 (nothing to check).
pub fn run(req: &Request) -> i32 {
    if let Some(dir) = &req.plugin {
        let (diags, files) = crate::commands::pack::check(dir);
        return report::print(&diags, &[(dir.clone(), "plugin")], files, req.json);
    }
    let root = std::fs::canonicalize(&req.root).unwrap_or_else(|_| req.root.clone());
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let targets: Vec<(PathBuf, Kind)> = if req.files.is_empty() {
        project_files(&root, None)
    } else {
        let mut t = Vec::new();
        for f in &req.files {
            // Standard input without --kind: what its keys say it is.
            let guessed = || (f == Path::new("-")).then(kind_of_stdin).flatten();
            match req.kind.or_else(|| kind_of(f)).or_else(guessed) {
                Some(k) => t.push((f.clone(), k)),
                None => {
                    eprintln!(
                        "so-hook validate: cannot tell what {} is; pass --kind manifest, policy \
                         or config",
                        f.display()
                    );
                    return 2;
                }
            }
        }
        t
    };
    if targets.is_empty() {
        eprintln!(
            "so-hook validate: {} has no manifest, policy, CLAUDE.md or AGENTS.md to check",
            root.display()
        );
        return 2;
    }
    let mut all = Vec::new();
    for (f, k) in &targets {
        all.extend(file(f, *k, &root, home.as_deref()));
    }
    let checked: Vec<(PathBuf, &str)> = targets
        .iter()
        .map(|(f, k)| {
            let kind = match k {
                Kind::Manifest => "manifest",
                Kind::Policy => "policy",
                Kind::Config => "config",
            };
            (f.clone(), kind)
        })
        .collect();
    report::print(&all, &checked, checked.len(), req.json)
}
