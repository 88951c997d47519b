//! What a file is to the guard (contract 3.4): each target class defined once, from where the path
//! lies and what the project's own files say about it.
//!
//! The classes, from least to most to lose: disposable (temp roots, caches, and regenerated output
//! that the project's build files vouch for), project content, the project's git internals and agent
//! instruction files, home, home secrets, system; and unknown, for a target not knowable before the
//! command runs, which is never "nothing".

use crate::guard::{GuardContext, Target};
use crate::project::paths;
use std::path::Path;

/// The class of a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Temp roots, caches, regenerated output (see [`regenerated`]).
    Disposable,
    /// Anything else in the project.
    Project,
    /// The project's `.git`.
    Vcs,
    /// Agent instruction and rules files, `SECURITY.md` (see `rules::files::protected`).
    Instructions,
    /// The home directory and what is in it, outside the project.
    Home,
    /// Credentials and the shell's start-up files in home.
    HomeSecret,
    /// Outside the project, home and the temp roots.
    System,
    /// Not knowable before the command runs.
    Unknown,
}

impl Class {
    /// How much there is to lose, for the worst of several: disposable least, unknown most.
    fn rank(self) -> u8 {
        match self {
            Class::Disposable => 0,
            Class::Project => 1,
            Class::Instructions => 2,
            Class::Vcs => 3,
            Class::Home => 4,
            Class::HomeSecret => 5,
            Class::System => 6,
            Class::Unknown => 7,
        }
    }

    /// The worse of two classes.
    pub fn worst(self, other: Class) -> Class {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }

    /// How the class reads in a reason: "`X` is ...".
    pub fn describe(self) -> &'static str {
        match self {
            Class::Disposable => "disposable (a temp directory, a cache or regenerated output)",
            Class::Project => "project content",
            Class::Vcs => "the project's git repository",
            Class::Instructions => "an agent instruction, rules or so-hook control file",
            Class::Home => "in your home directory, outside the project",
            Class::HomeSecret => "a credential or shell start-up file in your home directory",
            Class::System => "a system file, outside the project and your home directory",
            Class::Unknown => "not known before the command runs",
        }
    }
}

/// Names in home whose loss or change exposes or breaks the user's credentials or shell.
const HOME_SECRETS: &[&str] = &[
    ".ssh",
    ".aws",
    ".gnupg",
    ".kube",
    ".azure",
    ".netrc",
    ".npmrc",
    ".pypirc",
    ".git-credentials",
    ".docker",
    ".bashrc",
    ".bash_profile",
    ".bash_login",
    ".profile",
    ".zshrc",
    ".zshenv",
    ".zprofile",
    ".zlogin",
    ".config/gh",
    ".config/gcloud",
    ".config/fish",
];

/// Caches in home that their tools fill again.
const HOME_CACHES: &[&str] = &[
    ".cache",
    "Library/Caches",
    "Library/Developer/Xcode/DerivedData",
    "Library/Developer/CoreSimulator/Caches",
    ".npm",
    ".gradle/caches",
    ".gradle/wrapper/dists",
    "Library/Developer/Xcode/iOS DeviceSupport",
    "Library/Developer/Xcode/watchOS DeviceSupport",
    ".cargo/registry",
    ".cargo/git",
    "go/pkg/mod",
    ".m2/repository",
    ".pnpm-store",
    ".yarn/cache",
    "Library/Developer/Xcode/Archives",
];

/// The class of `t` for a command run with `ctx`.
pub fn classify(t: &Target, ctx: &GuardContext) -> Class {
    match t {
        Target::Unknown => Class::Unknown,
        Target::Path(p) => of_path(p, ctx),
        Target::Glob { dir, pattern } => of_glob(dir, pattern, ctx),
    }
}

/// Most entries a glob is expanded to; past that it is judged by its pattern.
const MAX_GLOB_ENTRIES: usize = 1_000;

/// What a one-component glob matches in `dir` now, as the shell would expand it: `Some(empty)`
/// when nothing matches (the shell then passes the pattern on literally, naming no file), `None`
/// when it cannot be told (a pattern across directories, an unreadable directory, too many
/// entries).
pub fn expand(dir: &Path, pattern: &str) -> Option<Vec<std::path::PathBuf>> {
    if pattern.contains('/') {
        return None;
    }
    let entries = match super::listing::names(dir) {
        Ok(e) => e,
        // No such directory: nothing below it matches.
        Err(super::listing::Unlisted::Missing) => return Some(Vec::new()),
        Err(super::listing::Unlisted::Unknown) => return None,
    };
    let mut found = Vec::new();
    for name in entries.iter() {
        if super::rules::files::wildcard(pattern, name) {
            if found.len() == MAX_GLOB_ENTRIES {
                return None;
            }
            found.push(dir.join(name));
        }
    }
    Some(found)
}

/// The class of an absolute, normalized path.
pub fn of_path(p: &Path, ctx: &GuardContext) -> Class {
    // A project that lives in a temp directory is still a project.
    if paths::within(p, &ctx.root) {
        return in_project(p, ctx);
    }
    if ctx
        .temp_roots
        .iter()
        .any(|r| paths::within(p, r) && p != r.as_path())
    {
        return Class::Disposable;
    }
    if let Some(home) = ctx.home.as_deref()
        && let Some(rel) = paths::relative(p, home)
        && !rel.is_empty()
    {
        let under = |names: &[&str]| {
            names
                .iter()
                .any(|n| rel == *n || rel.starts_with(&format!("{n}/")))
        };
        if under(HOME_SECRETS) {
            return Class::HomeSecret;
        }
        if under(HOME_CACHES) {
            return Class::Disposable;
        }
        return Class::Home;
    }
    if ctx.home.as_deref() == Some(p) {
        return Class::Home;
    }
    Class::System
}

fn in_project(p: &Path, ctx: &GuardContext) -> Class {
    let rel = paths::relative(p, &ctx.root).unwrap_or_default();
    // A lock git left behind (`index.lock` after a crash) is git's own leftover.
    if rel.starts_with(".git/") && rel.ends_with(".lock") {
        return Class::Disposable;
    }
    if rel == ".git" || rel.starts_with(".git/") {
        return Class::Vcs;
    }
    if super::rules::files::protected(p, ctx).is_some() {
        return Class::Instructions;
    }
    // A directory that holds `.git`, rules or so-hook's control files is as precious as they are.
    if !rel.is_empty() {
        if paths::within(&ctx.root.join(".git"), p) {
            return Class::Vcs;
        }
        let holds = [".claude/rules", ".cursor/rules"]
            .iter()
            .map(|d| ctx.root.join(d))
            .chain(ctx.control_files.iter().cloned())
            .any(|c| paths::within(&c, p));
        if holds {
            return Class::Instructions;
        }
    }
    if !rel.is_empty()
        && (ctx.safe_dirs.iter().any(|d| paths::within(p, d)) || regenerated(p, &ctx.root))
    {
        return Class::Disposable;
    }
    Class::Project
}

/// A glob is as precious as the most precious thing it can match: entries of a disposable
/// directory, or names that are always regenerated (`*.pyc`, `*.egg-info`), are disposable; at the
/// project root, a pattern that can match `.git` or an instruction file is that; otherwise what
/// its directory holds.
fn of_glob(dir: &Path, pattern: &str, ctx: &GuardContext) -> Class {
    // What it matches now, when that can be told (nothing matched is judged by the pattern: the
    // caller knows it names no file).
    if let Some(found) = expand(dir, pattern).filter(|f| !f.is_empty()) {
        return found
            .iter()
            .map(|p| of_path(p, ctx))
            .fold(Class::Disposable, Class::worst);
    }
    // The entries of a temp root are disposable (the root itself is not).
    if ctx.temp_roots.iter().any(|r| paths::within(dir, r))
        && !paths::within(dir, &ctx.root)
        && !paths::within(&ctx.root, dir)
    {
        return Class::Disposable;
    }
    let container = of_path(dir, ctx);
    if container == Class::Disposable {
        return Class::Disposable;
    }
    let last = pattern.rsplit('/').next().unwrap_or(pattern);
    // Regenerated by name only inside the project: `find / -name '*.log' -delete` takes the
    // system's logs.
    if container == Class::Project
        && (names_regenerated(last) || pattern.split('/').any(|c| REGENERATED_DIRS.contains(&c)))
    {
        return Class::Disposable;
    }
    if container == Class::Vcs && last.ends_with(".lock") {
        return Class::Disposable;
    }
    // A name that can be `.git` or an instruction file's, wherever the glob reaches in the project.
    let named = last.chars().any(|c| !matches!(c, '*' | '?'));
    if container == Class::Project && pattern.contains("**") && named {
        if super::rules::files::wildcard(last, ".git") {
            return Class::Vcs;
        }
        if ["CLAUDE.md", "AGENTS.md", "SECURITY.md", "CLAUDE.local.md"]
            .iter()
            .any(|n| super::rules::files::wildcard(last, n))
        {
            return Class::Instructions;
        }
    }
    if container == Class::Project && dir == ctx.root {
        let first = pattern.split('/').next().unwrap_or(pattern);
        if super::rules::files::wildcard(first, ".git") {
            return Class::Vcs;
        }
    }
    container
}

/// Whether every name `pattern` can match is regenerated: a regenerated directory's name, or
/// `*SUFFIX` with a regenerated suffix (`*.pyc`, `*.py[co]`, `*~`).
fn names_regenerated(pattern: &str) -> bool {
    alternatives(pattern).is_some_and(|alts| {
        alts.iter().all(|a| {
            let rest = a.strip_prefix('*').unwrap_or(a);
            !super::expand::has_glob(rest)
                && (REGENERATED_DIRS.contains(&a.as_str())
                    || REGENERATED_SUFFIXES.iter().any(|s| rest.ends_with(s)))
        })
    })
}

/// The spellings a pattern's one `[...]` set stands for (`*.py[co]`: `*.pyc`, `*.pyo`); the
/// pattern itself without a set; `None` for a set too complex to list.
fn alternatives(pattern: &str) -> Option<Vec<String>> {
    let Some(open) = pattern.find('[') else {
        return Some(vec![pattern.to_string()]);
    };
    let close = open + pattern[open..].find(']')?;
    let set = &pattern[open + 1..close];
    if set.is_empty() || set.starts_with(['!', '^']) || set.contains('-') || set.len() > 8 {
        return None;
    }
    let rest = &pattern[close + 1..];
    if rest.contains('[') {
        return None;
    }
    Some(
        set.chars()
            .map(|c| format!("{}{c}{rest}", &pattern[..open]))
            .collect(),
    )
}

/// File names that tools write and write again: byte code and objects, packaging metadata, logs,
/// and the leftovers of editors and merges.
const REGENERATED_SUFFIXES: &[&str] = &[
    ".pyc",
    ".pyo",
    ".o",
    ".class",
    ".egg-info",
    ".DS_Store",
    ".log",
    ".tmp",
    ".bak",
    ".orig",
    ".rej",
    ".swp",
    "~",
];

/// Directories that tools fill and fill again, wherever they are in the project: dependencies and
/// caches, never sources.
pub(crate) const REGENERATED_DIRS: &[&str] = &[
    "node_modules",
    ".venv",
    "venv",
    ".cache",
    ".terraform",
    ".gradle",
    ".dart_tool",
    ".expo",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".tox",
    ".nox",
    ".next",
    ".nuxt",
    ".turbo",
    ".parcel-cache",
    ".svelte-kit",
    ".angular",
    ".eslintcache",
    "htmlcov",
    "coverage",
];

/// Whether a target written with an unknown part still names a directory tools regenerate, by
/// its last component (`"$1/node_modules"`, `${ROOT}/**/__pycache__`): whatever the unknown part
/// is, only that directory goes.
pub fn ends_in_regenerated_dir(text: &str) -> bool {
    let last = text
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    !last.contains(['$', '`', '*', '?', '[', '{']) && REGENERATED_DIRS.contains(&last)
}

/// Whether `p` (in the project at `root`) is regenerated output: in one of the
/// [`REGENERATED_DIRS`] or a build output directory that a build file beside it names (see
/// [`build_output`]), or a regenerated file name (`*.pyc`, `*.log`, ...).
pub fn regenerated(p: &Path, root: &Path) -> bool {
    regenerated_in(p, root, true)
}

/// [`regenerated`] for directories only: what a wave's shell writes may always reach (a log file
/// is disposable to delete, but writing one is still a write the wave's scope holds).
pub fn regenerated_dir(p: &Path, root: &Path) -> bool {
    regenerated_in(p, root, false)
}

fn regenerated_in(p: &Path, root: &Path, files: bool) -> bool {
    let Ok(rel) = p.strip_prefix(root) else {
        return false;
    };
    let mut at = root.to_path_buf();
    for c in rel.components() {
        let name = c.as_os_str().to_string_lossy();
        if REGENERATED_DIRS.contains(&name.as_ref())
            || (files && REGENERATED_SUFFIXES.iter().any(|s| name.ends_with(s)))
            || build_output(&at, &name)
        {
            return true;
        }
        at.push(c);
    }
    false
}

/// Whether `name` in `dir` is where the build files in `dir` put their output: `target/` beside
/// `Cargo.toml`; `Pods/` beside a `Podfile`; `build/` and `DerivedData/` beside an Xcode project;
/// `build/` and `dist/` beside a Python project file, `build/` beside `CMakeLists.txt`; `dist/`,
/// `build/` or `out/` named as output by `package.json` (a script or field that mentions it), by
/// `tsconfig.json`'s `outDir`, or by a bundler whose default it is (Vite, webpack, Rollup and
/// Parcel: `dist/`). `.gitignore` is not evidence: it lists secrets too.
pub fn build_output(dir: &Path, name: &str) -> bool {
    let has = |f: &str| dir.join(f).is_file();
    let xcode = || {
        std::fs::read_dir(dir).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                let f = e.file_name().to_string_lossy().into_owned();
                f.ends_with(".xcodeproj") || f.ends_with(".xcworkspace")
            })
        })
    };
    match name {
        "target" => has("Cargo.toml"),
        "Pods" => has("Podfile"),
        // Composer installs `vendor/` from composer.json and its lock.
        "vendor" => has("composer.json"),
        // MkDocs builds into `site/`, Sphinx into `_build/` beside its conf.py.
        "site" => has("mkdocs.yml") || has("mkdocs.yaml"),
        "_build" => has("conf.py"),
        "DerivedData" => xcode(),
        "build" if xcode() => true,
        "build" | "dist" | "out" => {
            let python = ["pyproject.toml", "setup.py", "setup.cfg"]
                .iter()
                .any(|f| has(f));
            if python && name != "out" {
                return true;
            }
            if name == "build" && has("CMakeLists.txt") {
                return true;
            }
            if name == "dist"
                && std::fs::read_dir(dir).is_ok_and(|entries| {
                    entries.flatten().any(|e| {
                        let f = e.file_name().to_string_lossy().into_owned();
                        ["vite.config.", "webpack.config.", "rollup.config."]
                            .iter()
                            .any(|b| f.starts_with(b))
                            || f == ".parcelrc"
                    })
                })
            {
                return true;
            }
            names_output(&dir.join("package.json"), name)
                || names_output(&dir.join("tsconfig.json"), name)
        }
        _ => false,
    }
}

/// Whether a build file's text names `name` as a directory (`"dist"`, `dist/`, `./dist`, or a
/// word of a script such as `rm -rf dist build`). Files over 64 KiB are not read.
fn names_output(file: &Path, name: &str) -> bool {
    let Some(text) = crate::project::paths::read_capped(file, 64 * 1024) else {
        return false;
    };
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        let edge = |c: Option<char>| {
            c.is_none_or(|c| matches!(c, '"' | '\'' | ' ' | '/' | '\t' | '\n' | '*'))
        };
        let before_ok = before.is_none_or(|c| matches!(c, '"' | '\'' | ' ' | '/' | '\t'))
            && !text[..i].ends_with("src/");
        before_ok && edge(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn project(name: &str) -> (PathBuf, GuardContext<'static>) {
        // Not under a temp root, where everything is disposable.
        let base = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("target/unit-tests")
            .join(format!("class-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let root = base.join("home/me/app");
        std::fs::create_dir_all(root.join("src")).unwrap();
        let ctx = GuardContext {
            root: root.clone(),
            cwd: root.clone(),
            home: Some(base.join("home/me")),
            grants: None,
            grants_real: std::cell::OnceCell::new(),
            // A temp root of its own: the checkout itself may be under /tmp.
            temp_roots: vec![PathBuf::from("/so-hook-test-temp")],
            ..GuardContext::default()
        };
        (root, ctx)
    }

    #[test]
    fn build_files_vouch_for_their_output() {
        let (root, ctx) = project("build");
        assert_eq!(of_path(&root.join("target/debug"), &ctx), Class::Project);
        std::fs::write(root.join("Cargo.toml"), "[package]\n").unwrap();
        assert_eq!(of_path(&root.join("target/debug"), &ctx), Class::Disposable);
        assert_eq!(of_path(&root.join("dist"), &ctx), Class::Project);
        std::fs::write(
            root.join("package.json"),
            r#"{"scripts":{"clean":"rm -rf dist"}}"#,
        )
        .unwrap();
        assert_eq!(of_path(&root.join("dist"), &ctx), Class::Disposable);
        // A name inside a source path is no evidence.
        assert_eq!(of_path(&root.join("build"), &ctx), Class::Project);
        std::fs::write(root.join("pyproject.toml"), "[project]\n").unwrap();
        assert_eq!(of_path(&root.join("build/lib"), &ctx), Class::Disposable);
        assert_eq!(of_path(&root.join("src/a.pyc"), &ctx), Class::Disposable);
        assert_eq!(of_path(&root.join("src/a.py"), &ctx), Class::Project);
    }

    #[test]
    fn every_place_has_one_class() {
        let (root, ctx) = project("places");
        let home = ctx.home.clone().unwrap();
        assert_eq!(of_path(&root.join(".git/config"), &ctx), Class::Vcs);
        assert_eq!(of_path(&root.join("CLAUDE.md"), &ctx), Class::Instructions);
        assert_eq!(of_path(&home.join(".ssh/id_rsa"), &ctx), Class::HomeSecret);
        assert_eq!(of_path(&home.join(".bashrc"), &ctx), Class::HomeSecret);
        assert_eq!(of_path(&home.join(".cache/pip"), &ctx), Class::Disposable);
        assert_eq!(of_path(&home.join("notes"), &ctx), Class::Home);
        assert_eq!(of_path(Path::new("/etc/passwd"), &ctx), Class::System);
        assert_eq!(
            of_path(Path::new("/so-hook-test-temp/x"), &ctx),
            Class::Disposable
        );
        assert_eq!(
            of_path(Path::new("/so-hook-test-temp"), &ctx),
            Class::System
        );
        assert_eq!(classify(&Target::Unknown, &ctx), Class::Unknown);
        let glob = |d: &Path, p: &str| Target::Glob {
            dir: d.to_path_buf(),
            pattern: p.into(),
        };
        assert_eq!(classify(&glob(&root, "*.pyc"), &ctx), Class::Disposable);
        assert_eq!(classify(&glob(&root, "*"), &ctx), Class::Project);
        assert_eq!(classify(&glob(&root, ".*"), &ctx), Class::Vcs);
        assert_eq!(
            classify(&glob(&root.join("src"), "*.rs"), &ctx),
            Class::Project
        );
    }
}
