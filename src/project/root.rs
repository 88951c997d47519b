//! Where the project is, seen from a working directory (contract 1): the nearest ancestor that
//! holds a wave manifest, else the nearest that holds a `.git`, else the directory itself.
//!
//! The hook uses it when the platform names no project (Codex; Claude Code without
//! `CLAUDE_PROJECT_DIR`), and every subcommand that takes `--cwd` uses it, so that an agent working
//! in `src/` and `so-hook scope set` run from `src/` both find the manifest at the root. A
//! manifest wins over a nearer `.git`: an agent's worktree inside the project stays under the
//! project's wave.

use super::manifest::{FILE_NAME, STATE_DIRS};
use std::path::{Path, PathBuf};

/// The project root for a call or a command working in `start`. The search stops below the home
/// directory and `/`, which are never taken for a project found by search.
pub fn discover(start: &Path, home: Option<&Path>) -> PathBuf {
    let start = if start.is_absolute() {
        start.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(start))
            .unwrap_or_else(|_| start.to_path_buf())
    };
    let start = super::paths::normalize(&start);
    let mut git = None;
    // One buffer for every name looked at: a call makes a few dozen of these lookups.
    let mut probe = PathBuf::with_capacity(start.as_os_str().len() + 32);
    let exists = |probe: &mut PathBuf, dir: &Path, rel: &[&str]| {
        probe.clear();
        probe.push(dir);
        rel.iter().for_each(|r| probe.push(r));
        probe.symlink_metadata().is_ok()
    };
    for dir in start.ancestors() {
        if dir.parent().is_none() || home.is_some_and(|h| h == dir) {
            break;
        }
        if STATE_DIRS
            .iter()
            .any(|s| exists(&mut probe, dir, &[s, FILE_NAME]))
        {
            return dir.to_path_buf();
        }
        if git.is_none() && exists(&mut probe, dir, &[".git"]) {
            git = Some(dir);
        }
    }
    git.map_or(start.clone(), Path::to_path_buf)
}

/// [`discover`] for a directory given on the command line, canonicalized (as given when it cannot
/// be), with the home directory from the environment.
pub fn of_command_line(dir: &Path) -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let root = discover(dir, home.as_deref());
    root.canonicalize().unwrap_or(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(name: &str) -> PathBuf {
        let dir = std::env::temp_dir()
            .join(format!("so-hook-root-{name}-{}", std::process::id()))
            .join("home/me/work/app");
        let _ = std::fs::remove_dir_all(dir.ancestors().nth(3).unwrap());
        std::fs::create_dir_all(dir.join("src/deep")).unwrap();
        dir
    }

    fn touch(p: &Path) {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "{}").unwrap();
    }

    #[test]
    fn a_manifest_wins_over_a_nearer_git() {
        let app = tree("manifest");
        touch(&app.join(".codex/wave-scope.json"));
        // An agent worktree inside the project has a `.git` file of its own.
        let worktree = app.join(".claude/worktrees/agent-1");
        std::fs::create_dir_all(worktree.join("src")).unwrap();
        touch(&worktree.join(".git"));
        assert_eq!(discover(&app.join("src/deep"), None), app);
        assert_eq!(discover(&worktree.join("src"), None), app);
    }

    #[test]
    fn else_the_nearest_git_else_the_directory_itself() {
        let app = tree("git");
        std::fs::create_dir_all(app.join(".git")).unwrap();
        assert_eq!(discover(&app.join("src/deep"), None), app);
        assert_eq!(discover(&app.join("src/../src/deep"), None), app);
        std::fs::remove_dir_all(app.join(".git")).unwrap();
        assert_eq!(discover(&app.join("src/deep"), None), app.join("src/deep"));
    }

    #[test]
    fn the_search_stops_at_home() {
        let app = tree("home");
        let home = app.parent().unwrap().parent().unwrap();
        // A manifest in the home directory (or above it) is nobody's project.
        touch(&home.join(".claude/wave-scope.json"));
        assert_eq!(discover(&app.join("src"), Some(home)), app.join("src"));
        assert_eq!(discover(&app.join("src"), None), home);
    }
}
