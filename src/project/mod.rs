//! The project a call works in: its root, its manifests and its policy, read once per call.
//!
//! [`manifest`] reads the wave manifests, [`policy`] the project policy, [`config`] the Session
//! Config; [`scope`] matches paths against a wave's `allowedPaths`, and [`paths`] resolves them.

pub mod config;
pub mod manifest;
pub mod paths;
pub mod policy;
pub mod root;
pub mod scope;

use crate::guard::GuardContext;
use manifest::Found;
use paths::DEFAULT_TEMP_ROOTS;
use policy::Policy;
use std::path::{Path, PathBuf};

/// Where the clients read a project's hook registrations.
pub const HOOK_REGISTRATIONS: &[&str] = &[
    ".claude/settings.json",
    ".claude/settings.local.json",
    ".codex/hooks.json",
    ".codex/config.toml",
    ".cursor/hooks.json",
    ".gemini/settings.json",
    ".github/hooks/so-hook.json",
    ".github/copilot/settings.json",
    ".github/copilot/settings.local.json",
    ".opencode/plugins/so-hook.js",
    ".opencode/plugin/so-hook.js",
];

/// The facts so-hook takes from its process environment.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    pub home: Option<PathBuf>,
    /// `$XDG_STATE_HOME`: where the user's one-time approvals are kept (else under home).
    pub state_home: Option<PathBuf>,
    pub tmpdir: Option<PathBuf>,
    pub claude_project_dir: Option<PathBuf>,
    /// The process's working directory, when known in advance (tests, fixtures); otherwise it is
    /// asked for only when a payload names no directory ([`Environment::cwd`]).
    pub process_cwd: Option<PathBuf>,
}

impl Environment {
    pub fn from_process() -> Environment {
        let var = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        Environment {
            home: var("HOME"),
            state_home: var("XDG_STATE_HOME"),
            tmpdir: var("TMPDIR"),
            claude_project_dir: var("CLAUDE_PROJECT_DIR"),
            process_cwd: None,
        }
    }

    /// The working directory: the one given, else the process's (one syscall, made only when a
    /// payload has no `cwd` of its own).
    pub fn cwd(&self) -> Option<PathBuf> {
        self.process_cwd
            .clone()
            .or_else(|| std::env::current_dir().ok())
    }
}

/// A project, loaded.
#[derive(Debug)]
pub struct Project {
    /// Canonical root (the given path when it cannot be resolved).
    pub root: PathBuf,
    pub manifests: Vec<Found>,
    pub policy: Option<Result<Policy, String>>,
}

impl Project {
    pub fn load(root: &Path) -> Project {
        let root = paths::canonical(root).unwrap_or_else(|| paths::normalize(root));
        Project {
            manifests: manifest::find(&root),
            policy: policy::load(&root),
            root,
        }
    }

    /// The files the control plane protects: the three manifest locations and the policy.
    /// Whether `p` is one of `control` (compared without case: the file systems of macOS and
    /// Windows do, so `.CLAUDE/Wave-Scope.json` is the manifest there).
    pub fn is_control(p: &Path, control: &[PathBuf]) -> bool {
        let s = p.to_string_lossy();
        control
            .iter()
            .any(|c| c.to_string_lossy().eq_ignore_ascii_case(&s))
    }

    /// The control plane (contract 3.3): the wave manifests, the policy, and the files that
    /// register hooks with each client (so-hook's among them), which only the coordinating
    /// session may change.
    pub fn control_files(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = manifest::STATE_DIRS
            .iter()
            .map(|d| self.root.join(d).join(manifest::FILE_NAME))
            .collect();
        v.push(self.root.join(policy::RELATIVE_PATH));
        v.extend(HOOK_REGISTRATIONS.iter().map(|f| self.root.join(f)));
        v
    }

    /// The policy, when present and valid.
    pub fn policy(&self) -> Option<&Policy> {
        self.policy.as_ref().and_then(|p| p.as_ref().ok())
    }

    /// The guard's view of this project for one call.
    pub fn guard_context(&self, env: &Environment, cwd: &Path, subagent: bool) -> GuardContext<'_> {
        let mut temp_roots: Vec<PathBuf> = DEFAULT_TEMP_ROOTS.iter().map(PathBuf::from).collect();
        // The user's cache directory (XDG): whatever is in it is downloaded or built again.
        if let Some(home) = &env.home {
            for cache in [
                ".cache",
                ".npm",
                ".yarn/cache",
                ".pnpm-store",
                ".local/share/pnpm/store",
                ".yarn/berry/cache",
                "go/pkg/mod",
                "Library/Caches",
                ".cargo/registry",
                ".cargo/git",
                ".gradle/caches",
                ".m2/repository",
            ] {
                temp_roots.push(home.join(cache));
            }
        }
        if let Some(t) = &env.tmpdir {
            let t = paths::normalize(t);
            if t.is_absolute()
                && DEFAULT_TEMP_ROOTS
                    .iter()
                    .any(|r| paths::within(&t, Path::new(r)))
            {
                temp_roots.push(t);
            }
        }
        let mut safe_dirs = vec![
            self.root.join("node_modules"),
            self.root.join(".orchestrator/tmp"),
        ];
        let mut disabled = Vec::new();
        let mut asked = Vec::new();
        if let Some(p) = self.policy() {
            safe_dirs.extend(p.safe_dirs.iter().cloned());
            disabled.extend(p.disabled.iter().cloned());
            asked.extend(p.asked.iter().cloned());
        }
        let cwd = paths::absolute(&self.root, cwd);
        let cwd = paths::canonical(&cwd).unwrap_or(cwd);
        GuardContext {
            root: self.root.clone(),
            cwd,
            home: env.home.clone(),
            grants: crate::hook::grants::store(env),
            grants_real: std::cell::OnceCell::new(),
            tmpdir: env.tmpdir.clone(),
            temp_roots,
            safe_dirs,
            control_files: self.control_files(),
            subagent,
            disabled,
            asked,
            patterns: Vec::new(),
            write_scopes: Vec::new(),
        }
    }
}
