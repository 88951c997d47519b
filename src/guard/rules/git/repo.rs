//! What git itself reads before it acts: the repository a command runs in, its refs (does `git
//! checkout NAME` switch branches or overwrite a file?) and its configuration files (what does
//! `git NAME` run when NAME is an alias?). Read only for the commands that need it, a few small
//! files each.

use std::path::{Path, PathBuf};

/// Git's own commands, sorted: an alias of one of these names is ignored by git, so no
/// configuration is read for them.
const BUILTINS: &[&str] = &[
    "add",
    "am",
    "annotate",
    "apply",
    "archive",
    "bisect",
    "blame",
    "branch",
    "bugreport",
    "bundle",
    "cat-file",
    "check-attr",
    "check-ignore",
    "check-mailmap",
    "check-ref-format",
    "checkout",
    "checkout-index",
    "cherry",
    "cherry-pick",
    "clean",
    "clone",
    "column",
    "commit",
    "commit-graph",
    "commit-tree",
    "config",
    "count-objects",
    "credential",
    "describe",
    "diagnose",
    "diff",
    "diff-files",
    "diff-index",
    "diff-tree",
    "difftool",
    "fast-export",
    "fast-import",
    "fetch",
    "fetch-pack",
    "for-each-ref",
    "format-patch",
    "fsck",
    "gc",
    "grep",
    "hash-object",
    "help",
    "hook",
    "index-pack",
    "init",
    "init-db",
    "log",
    "ls-files",
    "ls-remote",
    "ls-tree",
    "maintenance",
    "merge",
    "merge-base",
    "merge-file",
    "merge-tree",
    "mktag",
    "mktree",
    "mv",
    "name-rev",
    "notes",
    "pack-objects",
    "pack-refs",
    "prune",
    "pull",
    "push",
    "range-diff",
    "read-tree",
    "rebase",
    "reflog",
    "remote",
    "repack",
    "replace",
    "reset",
    "restore",
    "rev-list",
    "rev-parse",
    "revert",
    "rm",
    "shortlog",
    "show",
    "show-branch",
    "show-ref",
    "sparse-checkout",
    "stash",
    "status",
    "submodule",
    "switch",
    "symbolic-ref",
    "tag",
    "update-index",
    "update-ref",
    "var",
    "verify-commit",
    "version",
    "whatchanged",
    "worktree",
    "write-tree",
];

/// Most configuration files read for one lookup, includes counted (git's own include depth is
/// 10; this also bounds an include cycle).
const MAX_CONFIG_FILES: usize = 16;
/// Most bytes read of one configuration or ref file.
const MAX_FILE: u64 = 256 * 1024;

/// Whether `name` is one of git's own commands.
pub fn builtin(name: &str) -> bool {
    BUILTINS.binary_search(&name).is_ok()
}

/// The git directory of the repository `dir` is in (`.git`, or where a worktree's `.git` file
/// points), and its common directory (where a linked worktree keeps refs and config).
pub struct Repo {
    pub git_dir: PathBuf,
    pub common: PathBuf,
}

/// Finds the repository `dir` is in, as git does: the nearest `.git` at or above it.
pub fn find(dir: &Path) -> Option<Repo> {
    let mut at = Some(dir);
    while let Some(d) = at {
        let dot = d.join(".git");
        // A directory without HEAD is no repository git would use.
        if dot.join("HEAD").is_file() {
            return Some(Repo {
                common: common_of(&dot),
                git_dir: dot,
            });
        }
        if dot.is_file() {
            let text = read(&dot)?;
            let pointed = text.trim().strip_prefix("gitdir:")?.trim();
            let git_dir = d.join(pointed);
            return Some(Repo {
                common: common_of(&git_dir),
                git_dir,
            });
        }
        at = d.parent();
    }
    None
}

/// The repository whose git directory is `git_dir` (`--git-dir`, `GIT_DIR`).
pub fn at_git_dir(git_dir: PathBuf) -> Repo {
    Repo {
        common: common_of(&git_dir),
        git_dir,
    }
}

fn common_of(git_dir: &Path) -> PathBuf {
    match read(&git_dir.join("commondir")) {
        Some(c) => git_dir.join(c.trim()),
        None => git_dir.to_path_buf(),
    }
}

fn read(p: &Path) -> Option<String> {
    let f = std::fs::File::open(p).ok()?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::Read::take(f, MAX_FILE), &mut text).ok()?;
    Some(text)
}

impl Repo {
    /// Whether git reads `name` as a revision in `git checkout NAME`: a branch, a tag, a remote's
    /// branch (which checkout makes a local branch of), HEAD and its kin, or a revision
    /// expression (`HEAD~2`, `main^`, `@{-1}`, an abbreviated hash).
    pub fn names_revision(&self, name: &str) -> bool {
        if name == "-"
            || name.contains(['~', '^', '@'])
            || name.len() >= 4 && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_hexdigit())
            || matches!(
                name,
                "HEAD" | "FETCH_HEAD" | "ORIG_HEAD" | "MERGE_HEAD" | "CHERRY_PICK_HEAD"
            )
        {
            return true;
        }
        let refs = self.common.join("refs");
        if ["heads", "tags", "remotes"]
            .iter()
            .any(|k| refs.join(k).join(name).is_file())
        {
            return true;
        }
        let remotes: Vec<String> = std::fs::read_dir(refs.join("remotes"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        if remotes
            .iter()
            .any(|r| refs.join("remotes").join(r).join(name).is_file())
        {
            return true;
        }
        // Packed refs: `HASH refs/heads/NAME` lines.
        read(&self.common.join("packed-refs")).is_some_and(|packed| {
            packed.lines().any(|l| {
                let Some(r) = l.split_once(' ').map(|(_, r)| r) else {
                    return false;
                };
                ["refs/heads/", "refs/tags/", "refs/remotes/"]
                    .iter()
                    .any(|k| r.strip_prefix(k) == Some(name))
                    || r.strip_prefix("refs/remotes/")
                        .and_then(|n| n.split_once('/'))
                        .is_some_and(|(_, n)| n == name)
            })
        })
    }
}

/// Where git reads configuration for a command run with these variables (`var` looks one up):
/// the system file, the user's files, then the repository's.
fn config_files(repo: Option<&Repo>, var: &dyn Fn(&str) -> Option<String>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if var("GIT_CONFIG_NOSYSTEM").is_none() {
        files.push(
            var("GIT_CONFIG_SYSTEM").map_or_else(|| PathBuf::from("/etc/gitconfig"), PathBuf::from),
        );
    }
    if let Some(global) = var("GIT_CONFIG_GLOBAL") {
        files.push(PathBuf::from(global));
    } else {
        let home = var("HOME").filter(|h| !h.is_empty());
        match var("XDG_CONFIG_HOME").filter(|x| !x.is_empty()) {
            Some(x) => files.push(Path::new(&x).join("git/config")),
            None => files.extend(
                home.as_ref()
                    .map(|h| Path::new(h).join(".config/git/config")),
            ),
        }
        files.extend(home.map(|h| Path::new(&h).join(".gitconfig")));
    }
    if let Some(r) = repo {
        files.push(r.common.join("config"));
        if r.git_dir != r.common {
            files.push(r.git_dir.join("config.worktree"));
        }
    }
    files
}

/// The value git's configuration files give `section.key` (the last one wins), following
/// `include.path` and `includeIf.*.path` (a conditional include is taken as if it applied: what
/// it could set is judged).
pub fn config_value(
    repo: Option<&Repo>,
    var: &dyn Fn(&str) -> Option<String>,
    key: &str,
    extra: &[PathBuf],
) -> Option<String> {
    let files: Vec<PathBuf> = config_files(repo, var)
        .into_iter()
        .chain(extra.iter().cloned())
        .collect();
    // One lookup per key and set of files for the whole call (a line of forty `git a` with an
    // alias loop in a large configuration once took seconds).
    let mut cache_key = key.to_string();
    for f in &files {
        let stamp = std::fs::metadata(f)
            .ok()
            .map(|m| (m.len(), m.modified().ok()));
        cache_key.push_str(&format!("\0{}\0{stamp:?}", f.display()));
    }
    if let Some(hit) = CACHE.with(|c| c.borrow().get(&cache_key).cloned()) {
        return hit;
    }
    let (section, name) = key.rsplit_once('.').unwrap_or(("", key));
    let mut search = Search {
        section,
        name,
        found: None,
        budget: Budget {
            files: MAX_CONFIG_FILES,
            bytes: MAX_CONFIG_BYTES,
        },
        var,
    };
    for f in &files {
        search.file(f);
    }
    let found = search.found;
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() < 256 {
            c.insert(cache_key, found.clone());
        }
    });
    found
}

thread_local! {
    /// Configuration values looked up in this process, by key and the files' names, sizes and
    /// times.
    static CACHE: std::cell::RefCell<std::collections::HashMap<String, Option<String>>> =
        std::cell::RefCell::default();
}

/// What one lookup may still read.
struct Budget {
    files: usize,
    bytes: usize,
}

/// Most bytes of configuration read for one lookup (a file that includes itself many times
/// once took half a second).
const MAX_CONFIG_BYTES: usize = 512 * 1024;

/// One lookup of a key across configuration files, includes followed.
struct Search<'a> {
    section: &'a str,
    name: &'a str,
    found: Option<String>,
    budget: Budget,
    var: &'a dyn Fn(&str) -> Option<String>,
}

impl Search<'_> {
    fn file(&mut self, path: &Path) {
        if self.budget.files == 0 {
            return;
        }
        self.budget.files -= 1;
        let Some(text) = read(path) else { return };
        if text.len() > self.budget.bytes {
            self.budget.bytes = 0;
            return;
        }
        self.budget.bytes -= text.len();
        // A backslash at the end of a line continues the value on the next.
        let text = text.replace("\\\r\n", "").replace("\\\n", "");
        let mut section = String::new();
        for raw in text.lines() {
            let mut line = raw.trim();
            if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
                continue;
            }
            if let Some(rest) = line.strip_prefix('[') {
                let Some((head, after)) = rest.split_once(']') else {
                    continue;
                };
                section = match head.split_once(char::is_whitespace) {
                    // `[section "sub"]`: the subsection keeps its case.
                    Some((s, sub)) => {
                        format!(
                            "{}.{}",
                            s.to_ascii_lowercase(),
                            sub.trim().trim_matches('"')
                        )
                    }
                    None => head.to_ascii_lowercase(),
                };
                // `[alias] co = checkout` on one line.
                line = after.trim();
                if line.is_empty() {
                    continue;
                }
            }
            self.entry(line, &section, path);
        }
    }

    /// One `name = value` line of `section`: the value looked for, or an include to follow.
    fn entry(&mut self, line: &str, section: &str, path: &Path) {
        let (name, value) = match line.split_once('=') {
            Some((n, v)) => (n.trim(), value_of(v)),
            None => (line, "true".to_string()),
        };
        let name = name.to_ascii_lowercase();
        let including = section == "include"
            || section.starts_with("includeif.") && section.len() > "includeif.".len();
        if including && name == "path" {
            let target = match value.strip_prefix("~/") {
                Some(rest) => match (self.var)("HOME") {
                    Some(h) => Path::new(&h).join(rest),
                    None => return,
                },
                None => path.parent().unwrap_or(Path::new("/")).join(&value),
            };
            self.file(&target);
            return;
        }
        if section == self.section && name == self.name {
            self.found = Some(value);
        }
    }
}

/// A value as git reads it: surrounding blanks and a trailing comment dropped, quotes removed,
/// `\"`, `\\`, `\n` and `\t` unescaped.
fn value_of(raw: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    let mut chars = raw.trim().chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(o) => out.push(o),
                None => {}
            },
            '#' | ';' if !quoted => break,
            c => out.push(c),
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_list_is_sorted() {
        assert!(BUILTINS.windows(2).all(|w| w[0] < w[1]));
        assert!(builtin("checkout") && !builtin("co"));
    }

    #[test]
    fn values_are_read_as_git_reads_them() {
        assert_eq!(value_of(r#" reset --hard  # wipe"#), "reset --hard");
        assert_eq!(
            value_of(r#""!rm -rf \"$1\"; echo ;x""#),
            r#"!rm -rf "$1"; echo ;x"#
        );
    }

    #[test]
    fn aliases_come_from_every_file_git_reads_and_the_last_wins() {
        let dir = std::env::temp_dir().join(format!("so-hook-repo-{}", std::process::id()));
        let home = dir.join("home");
        let project = dir.join("p");
        std::fs::create_dir_all(home.join(".config/git")).unwrap();
        std::fs::create_dir_all(project.join(".git/refs/heads/feature")).unwrap();
        std::fs::create_dir_all(project.join(".git/refs/remotes/origin")).unwrap();
        std::fs::write(project.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(project.join(".git/refs/heads/feature/x"), "0\n").unwrap();
        std::fs::write(project.join(".git/refs/remotes/origin/topic"), "0\n").unwrap();
        std::fs::write(
            project.join(".git/packed-refs"),
            "# pack\nabc refs/tags/v1.0\n",
        )
        .unwrap();
        std::fs::write(
            home.join(".gitconfig"),
            "[include]\n\tpath = more.inc\n[alias]\n\tco = checkout\n",
        )
        .unwrap();
        std::fs::write(
            home.join("more.inc"),
            "[alias]\n  wipe = reset --hard\n  co = commit\n",
        )
        .unwrap();
        std::fs::write(
            project.join(".git/config"),
            "[core]\n\tbare = false\n[alias] up = !git clean -fdx\n",
        )
        .unwrap();
        let h = home.to_string_lossy().into_owned();
        let var = |k: &str| {
            (k == "HOME")
                .then(|| h.clone())
                .or_else(|| (k == "GIT_CONFIG_NOSYSTEM").then(String::new))
        };
        let repo = find(&project.join("src")).unwrap();
        assert_eq!(
            config_value(Some(&repo), &var, "alias.wipe", &[]).as_deref(),
            Some("reset --hard")
        );
        // ~/.gitconfig sets co after its include: the later line wins.
        assert_eq!(
            config_value(Some(&repo), &var, "alias.co", &[]).as_deref(),
            Some("checkout")
        );
        assert_eq!(
            config_value(Some(&repo), &var, "alias.up", &[]).as_deref(),
            Some("!git clean -fdx")
        );
        assert_eq!(config_value(Some(&repo), &var, "alias.nope", &[]), None);
        for name in [
            "feature/x",
            "topic",
            "origin/topic",
            "v1.0",
            "HEAD~2",
            "a1b2c3d",
            "-",
        ] {
            assert!(repo.names_revision(name), "{name}");
        }
        for name in ["src/app/page.tsx", "myFile", "feature"] {
            assert!(!repo.names_revision(name), "{name}");
        }
        // Without HEAD a `.git` directory is not a repository.
        std::fs::remove_file(project.join(".git/HEAD")).unwrap();
        assert!(find(&project).is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
