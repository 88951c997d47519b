//! Expansion as far as it can be known without running anything: words into arguments (quotes,
//! variables assigned earlier, `~`, braces, word splitting), path operands into targets, and what a
//! command feeds the next one through a pipe.

mod braces;
mod output;
mod state;

use super::GuardContext;
use super::args::{Spec, scan};
use crate::guard::shell::Script;
use crate::guard::shell::{
    self, Command, CompoundKind, Part, Pipeline, RedirOp, Redirect, Sep, SimpleCommand, Word,
};
use crate::project::paths;
use crate::small::SmallStr;
pub(crate) use braces::*;
pub(crate) use output::*;
pub use state::basename;
pub(crate) use state::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// A word after expansion, as far as expansion can be known without running anything.
#[derive(Debug, Clone)]
pub struct Arg {
    /// The value; unknown parts appear as their source (`$X`, `$(...)`) so code stays parseable.
    pub text: SmallStr,
    /// Every part of the value is known.
    pub exact: bool,
    /// An unquoted `*`, `?` or `[` is in it.
    pub glob: bool,
    /// For a word that is a process substitution (`<(echo ...)`, `<(curl URL)`): what it yields,
    /// when known to be text or a download.
    pub feed: Option<Box<Stdin>>,
}

impl AsRef<str> for Arg {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl Arg {
    pub fn known(text: impl Into<SmallStr>) -> Arg {
        Arg {
            text: text.into(),
            exact: true,
            glob: false,
            feed: None,
        }
    }

    /// The value, when known.
    pub fn value(&self) -> Option<&str> {
        self.exact.then_some(self.text.as_str())
    }
}

/// What a path operand names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// Not knowable without running the command (`$X`, `$(...)`, a relative path where `cd` failed).
    Unknown,
    /// An absolute, normalized path.
    Path(PathBuf),
    /// Any entry below `dir` that the glob `pattern` (relative, may hold `/`) matches.
    Glob { dir: PathBuf, pattern: String },
}

/// What feeds a command's standard input.
#[derive(Debug, Clone)]
pub enum Stdin {
    Inherited,
    /// Known text: a here-document, a here-string, or `echo`/`printf`/`cat <<EOF` piped in.
    Text(String),
    /// A file or a program we cannot see into.
    Unknown,
    /// Text from the network or out of an encoding (`curl URL`, `base64 -d`): code no one has read.
    Fetched(&'static str),
    /// Names of entries that exist, as a glob (`ROOT/**/NAME`): what `find ROOT -name NAME` prints.
    Found(String),
}

/// Shell state that the walk follows: the working directory and variables assigned earlier.
#[derive(Debug, Clone)]
pub struct Scope {
    /// `None` once a `cd` could have gone somewhere unknown.
    pub cwd: Option<PathBuf>,
    // Shared until changed: sub-scopes (substitutions, pipeline parts) clone in O(1).
    pub(super) vars: Rc<HashMap<String, Option<String>>>,
    /// Functions defined earlier in the command, judged again when called.
    pub(super) functions: Rc<HashMap<String, Rc<Script>>>,
    /// Aliases defined earlier in the command.
    pub(super) aliases: Rc<HashMap<String, String>>,
    /// Symlinks the command creates (`ln -s`): what lies below them is not knowable.
    pub(super) links: Rc<Vec<(PathBuf, Option<PathBuf>)>>,
}

impl Scope {
    pub(super) fn new(ctx: &GuardContext) -> Scope {
        let mut vars = HashMap::new();
        if let Some(h) = &ctx.home {
            vars.insert("HOME".to_string(), Some(h.to_string_lossy().into_owned()));
        }
        // TMPDIR is what the environment says, and unset (empty) when it says nothing.
        let tmpdir = ctx
            .tmpdir
            .as_ref()
            .map(|t| t.to_string_lossy().into_owned());
        vars.insert("TMPDIR".to_string(), Some(tmpdir.unwrap_or_default()));
        // The shell's default field separators: `rm${IFS}-rf` is `rm -rf`.
        vars.insert("IFS".to_string(), Some(" \t\n".to_string()));
        vars.insert(
            "PWD".to_string(),
            Some(ctx.cwd.to_string_lossy().into_owned()),
        );
        Scope {
            cwd: Some(ctx.cwd.clone()),
            vars: Rc::new(vars),
            functions: Rc::default(),
            aliases: Rc::default(),
            links: Rc::default(),
        }
    }

    /// A scope in `cwd` with no variables set (for tests of what reads a scope).
    #[cfg(test)]
    pub(super) fn at(cwd: &std::path::Path) -> Scope {
        Scope {
            cwd: Some(cwd.to_path_buf()),
            vars: Rc::default(),
            functions: Rc::default(),
            aliases: Rc::default(),
            links: Rc::default(),
        }
    }

    /// Sets `$1`, `$2`, ... and `$@`/`$*` (`set -- ARGS`, a function call, `bash -c CODE _ ARGS`).
    pub(super) fn set_positional(&mut self, args: &[Arg]) {
        let all = args.iter().all(|a| a.exact).then(|| super::join_args(args));
        for key in ["@", "*"] {
            self.set(key, all.clone());
        }
        for i in 1..=9 {
            let v = args.get(i - 1).map(|a| a.exact.then(|| a.text.to_string()));
            self.set(&i.to_string(), v.unwrap_or(Some(String::new())));
        }
    }

    /// Sets a variable (`None`: set to something not knowable).
    pub(super) fn set(&mut self, name: &str, value: Option<String>) {
        // A value grown past any real one (`a=$a$a` repeated) is only a way to exhaust memory.
        let value = value.filter(|v| v.len() <= MAX_VALUE);
        Rc::make_mut(&mut self.vars).insert(name.to_string(), value);
    }

    pub(super) fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).and_then(|v| v.as_deref())
    }
}

/// Expands words into the arguments they become (an unquoted known `$X` holding spaces splits).
pub fn resolve<'w>(words: impl ExactSizeIterator<Item = &'w Word>, scope: &Scope) -> Vec<Arg> {
    let mut out = Vec::with_capacity(words.len());
    for word in words {
        resolve_into(word, scope, &mut out);
    }
    out
}

/// Expands one word, adding its arguments to `out`.
fn resolve_into(word: &Word, scope: &Scope, out: &mut Vec<Arg>) {
    // Plain text without braces is itself (most words).
    if let Some(s) = word.plain_small()
        && let (glob, false) = glob_and_brace(s)
    {
        out.push(Arg {
            text: s.clone(),
            exact: true,
            glob,
            feed: None,
        });
        return;
    }
    let (arg, ends) = resolve_parts(word, scope);
    if let Some(expanded) = braces(word, &arg, &ends) {
        out.extend(expanded);
        return;
    }
    // Unquoted expansions split on blanks; so do `"$@"` and `"${a[@]}"`, one word per element.
    let splits = word.parts().iter().any(|p| match p {
        Part::Param { quoted: false, .. } | Part::Subst { quoted: false, .. } => true,
        Part::Param { name, modifier, .. } => {
            name == "@" || modifier.as_deref().is_some_and(is_whole_array)
        }
        _ => false,
    });
    let ifs: Vec<char> = if splits {
        scope.var("IFS").unwrap_or(" \t\n").chars().collect()
    } else {
        Vec::new()
    };
    if splits && arg.exact && !ifs.is_empty() && arg.text.contains(ifs.as_slice()) {
        out.extend(
            arg.text
                .split(ifs.as_slice())
                .filter(|s| !s.is_empty())
                .map(|s| Arg {
                    text: s.into(),
                    exact: true,
                    glob: arg.glob,
                    feed: None,
                }),
        );
        return;
    }
    if word.parts().is_empty() && word.raw().is_empty() {
        return;
    }
    // A word that is only unquoted expansions, all empty, is no word at all: `E=; $E rm -rf src`
    // runs `rm` (it was taken for an empty command name). `"$E"` stays an empty word.
    if splits
        && arg.exact
        && arg.text.is_empty()
        && !word.parts().iter().any(|p| {
            matches!(
                p,
                Part::Quoted(_)
                    | Part::Param { quoted: true, .. }
                    | Part::Subst { quoted: true, .. }
            )
        })
    {
        return;
    }
    out.push(arg);
}

/// Expands a word into one argument.
pub fn resolve_one(word: &Word, scope: &Scope) -> Arg {
    resolve_parts(word, scope).0
}

/// [`resolve_one`], plus where each part's text ends in the result (brace expansion needs the
/// parts apart, and resolving them again would run every substitution twice per nesting level).
fn resolve_parts(word: &Word, scope: &Scope) -> (Arg, Vec<usize>) {
    let mut arg = Arg::known("");
    // The source length is a fair guess of the expanded length (quotes go, values come).
    let mut text = String::with_capacity(word.raw().len() + 16);
    let parts = word.parts();
    let mut ends = Vec::with_capacity(parts.len());
    for part in parts.iter() {
        match part {
            Part::Lit(s) => {
                if has_glob(s) {
                    arg.glob = true;
                }
                text.push_str(s);
            }
            Part::Quoted(s) => text.push_str(s),
            Part::Param { name, modifier, .. } => match param(name, modifier.as_deref(), scope) {
                Some(v) if text.len() + v.text.len() <= MAX_EXPANDED => {
                    arg.exact &= v.exact;
                    arg.glob |= v.glob;
                    text.push_str(&v.text);
                }
                Some(_) => arg.exact = false,
                None => {
                    arg.exact = false;
                    text.push_str("${");
                    text.push_str(name);
                    text.push('}');
                }
            },
            Part::Tilde(user) => match (&scope.var("HOME"), user.is_empty()) {
                (Some(h), true) => text.push_str(h),
                (_, false) if user == "root" => text.push_str("/root"),
                _ => {
                    arg.exact = false;
                    text.push('~');
                    text.push_str(user);
                }
            },
            Part::ProcSubst(script) => {
                arg.exact = false;
                text.push_str("$(:)");
                if let [item] = script.items.as_slice() {
                    arg.feed = match pipeline_output(&item.pipeline, scope, &Stdin::Inherited) {
                        out @ (Stdin::Text(_) | Stdin::Fetched(_)) => Some(Box::new(out)),
                        _ => None,
                    };
                }
            }
            Part::Subst { script, .. } => match script.items.as_slice() {
                // `$(echo rm)`, `$(mktemp -d)`: output known without running anything.
                [item] if item.sep != Sep::Background => {
                    match pipeline_output(&item.pipeline, scope, &Stdin::Inherited) {
                        // A longer output is taken as unknown: nested `{a,}$(echo ...)` doubles
                        // it at every level.
                        Stdin::Text(t) if text.len() + t.len() <= MAX_VALUE => {
                            text.push_str(t.trim_end_matches('\n'))
                        }
                        // `$(find . -name '*.pyc')`: entries that exist, as a glob.
                        Stdin::Found(g) if text.is_empty() && parts.len() == 1 => {
                            text.push_str(&g);
                            arg.glob = true;
                        }
                        // `"$(curl URL)"`: text no one has read; code if a shell runs it.
                        out @ Stdin::Fetched(_) => {
                            arg.exact = false;
                            text.push_str("$(:)");
                            arg.feed = Some(Box::new(out));
                        }
                        _ => {
                            arg.exact = false;
                            text.push_str("$(:)");
                        }
                    }
                }
                _ => {
                    arg.exact = false;
                    text.push_str("$(:)");
                }
            },
            Part::Arith(_) => {
                arg.exact = false;
                text.push_str("$((0))");
            }
        }
        ends.push(text.len());
    }
    arg.text = text.into();
    (arg, ends)
}

/// Parameters whose value is a number, whatever it is: a stand-in digit judges the same.
const NUMERIC: &[&str] = &[
    "$",
    "!",
    "#",
    "?",
    "RANDOM",
    "SRANDOM",
    "BASHPID",
    "PPID",
    "UID",
    "EUID",
    "SECONDS",
    "EPOCHSECONDS",
    "LINENO",
];

/// The value of `$name` or `${name...}`: known, a default standing in for an unknown value
/// (inexact), or `None`.
fn param(name: &str, modifier: Option<&Word>, scope: &Scope) -> Option<Arg> {
    if NUMERIC.contains(&name) && modifier.is_none() {
        return Some(Arg::known("1"));
    }
    let value = scope.var(name);
    let Some(m) = modifier else {
        return value.map(Arg::known);
    };
    if is_whole_array(m) {
        return value.map(Arg::known);
    }
    // `${a[N]}`: one element (arrays are kept as their elements joined by blanks).
    if let Some(n) = m
        .raw()
        .strip_prefix('[')
        .and_then(|r| r.trim_end_matches('}').strip_suffix(']'))
        .and_then(|n| n.parse::<usize>().ok())
    {
        return value.map(|v| Arg::known(v.split_whitespace().nth(n).unwrap_or("")));
    }
    // `${x:-w}`, `${x-w}`, `${x:=w}`, `${x=w}` use `w` when x is unset (or empty, with `:`);
    // `${x:+w}`, `${x+w}` use `w` when it is set.
    let raw = m.raw();
    // Case and quoting transformations keep the words: `${x@P}`, `${x,,}`, `${x^^}`, `${x@U}`.
    let op = raw.trim_end_matches('}');
    if let Some(v) = value {
        let transformed = match op {
            "@P" | "@Q" | "@E" | "@A" | "@a" | "@K" => Some(v.to_string()),
            "@L" | ",," => Some(v.to_lowercase()),
            "@U" | "^^" => Some(v.to_uppercase()),
            _ => None,
        };
        if let Some(t) = transformed {
            return Some(Arg::known(t));
        }
    }
    let (op_len, colon, alternate) = match raw.as_bytes() {
        [b':', b'-' | b'=', ..] => (2, true, false),
        [b'-' | b'=', ..] => (1, false, false),
        [b':', b'+', ..] => (2, true, true),
        [b'+', ..] => (1, false, true),
        _ => return None,
    };
    let mut word = m.clone();
    if let Some(Part::Lit(first)) = word.parts_mut().first_mut() {
        *first = first.get(op_len.min(first.len())..).unwrap_or("").into();
    }
    let alt = resolve_one(&word, scope);
    Some(match (value, alternate) {
        (Some(v), false) if !(colon && v.is_empty()) => Arg::known(v),
        (Some(v), true) if colon && v.is_empty() => Arg::known(""),
        (Some(_), _) => alt,
        (None, _) => Arg {
            exact: false,
            ..alt
        },
    })
}

/// `[@]` or `[*]`: the rest of `${name[@]}`.
fn is_whole_array(modifier: &Word) -> bool {
    matches!(modifier.raw(), "[@]}" | "[*]}" | "[@]" | "[*]")
}

/// Resolves a path operand against the walk's working directory.
/// `C:\\dir` or `C:/dir`: a Windows path (Git Bash, MSYS), absolute on the machine that runs it,
/// whose place in this file system cannot be told.
fn drive_path(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/')
}

pub fn target(arg: &Arg, scope: &Scope) -> Target {
    if !arg.exact || arg.text.is_empty() || drive_path(&arg.text) {
        return Target::Unknown;
    }
    let p = Path::new(&arg.text);
    let abs = if p.is_absolute() {
        paths::normalize(p)
    } else {
        match &scope.cwd {
            Some(cwd) => paths::absolute(cwd, p),
            None => return Target::Unknown,
        }
    };
    // A symlink this command created leads to its target (when known): a write to it, or anything
    // below it, lands there; a link to a link is followed again.
    let mut abs = abs;
    for _ in 0..MAX_LINK_HOPS {
        match scope
            .links
            .iter()
            .rev()
            .find(|(l, _)| paths::within(&abs, l))
        {
            Some((link, Some(to))) => {
                abs = match abs.strip_prefix(link) {
                    Ok(rest) if rest.as_os_str().is_empty() => to.clone(),
                    Ok(rest) => to.join(rest),
                    Err(_) => abs,
                };
            }
            Some((_, None)) => return Target::Unknown,
            None => break,
        }
    }
    // `link/` names what the link points to, not the link.
    let abs = if arg.text.len() > 1 && arg.text.ends_with('/') {
        std::fs::canonicalize(&abs).unwrap_or(abs)
    } else {
        abs
    };
    if !arg.glob {
        return Target::Path(abs);
    }
    // Split at the first component holding a glob character.
    let mut dir = PathBuf::from("/");
    let mut rest: Vec<String> = Vec::new();
    for c in abs.components().skip(1) {
        let s = c.as_os_str().to_string_lossy();
        if rest.is_empty() && !has_glob(&s) {
            dir.push(&*s);
        } else {
            rest.push(s.into_owned());
        }
    }
    if rest.is_empty() {
        return Target::Path(abs);
    }
    Target::Glob {
        dir,
        pattern: rest.join("/"),
    }
}

pub(super) fn stdin_of(redirects: &[Redirect], scope: &Scope) -> Option<Stdin> {
    let mut out = None;
    for r in redirects {
        if r.fd.is_some_and(|fd| fd != 0) {
            continue;
        }
        match r.op {
            RedirOp::HereDoc => {
                out = Some(Stdin::Text(
                    r.heredoc
                        .as_ref()
                        .map(|d| d.raw().to_string())
                        .unwrap_or_default(),
                ))
            }
            RedirOp::HereString => {
                let a = resolve_one(&r.target, scope);
                out = Some(Stdin::Text(a.text.into()));
            }
            RedirOp::In => {
                // `< <(echo ...)` reads what the substitution writes.
                let a = resolve_one(&r.target, scope);
                out = Some(a.feed.map_or(Stdin::Unknown, |f| *f));
            }
            RedirOp::ReadWrite => out = Some(Stdin::Unknown),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CWD: &str = "/work/p";

    /// The scope a command starts with in `/work/p`, home `/home/u`, `$TMPDIR` unset.
    fn scope() -> Scope {
        let ctx = GuardContext {
            root: PathBuf::from(CWD),
            cwd: PathBuf::from(CWD),
            home: Some(PathBuf::from("/home/u")),
            grants: None,
            grants_real: std::cell::OnceCell::new(),
            ..Default::default()
        };
        Scope::new(&ctx)
    }

    /// The words of the one simple command `src`.
    fn words(src: &str) -> Vec<Word> {
        let parsed = shell::parse(src).unwrap();
        match &parsed.script.items[0].pipeline.commands[0] {
            Command::Simple(sc) => sc.words.clone(),
            Command::Compound(_) => panic!("not a simple command: {src}"),
        }
    }

    /// The arguments `src` expands to, each as (text, exact).
    fn args_in(src: &str, scope: &Scope) -> Vec<(String, bool)> {
        let w = words(src);
        resolve(w.iter(), scope)
            .into_iter()
            .map(|a| (a.text.to_string(), a.exact))
            .collect()
    }

    fn args(src: &str) -> Vec<(String, bool)> {
        args_in(src, &scope())
    }

    fn exact(texts: &[&str]) -> Vec<(String, bool)> {
        texts.iter().map(|t| (t.to_string(), true)).collect()
    }

    fn path(p: &str) -> Target {
        Target::Path(PathBuf::from(p))
    }

    /// Where the single word `w` (parsed, expanded) points from `/work/p`.
    fn target_of(w: &str) -> Target {
        let s = scope();
        let word = &words(&format!("rm {w}"))[1];
        target(&resolve_one(word, &s), &s)
    }

    #[test]
    fn relative_and_dotted_targets_are_placed_in_the_working_directory() {
        let s = scope();
        let t = |text: &str| target(&Arg::known(text), &s);
        assert_eq!(t("src/a.rs"), path("/work/p/src/a.rs"));
        assert_eq!(t("./src/../docs/./a.md"), path("/work/p/docs/a.md"));
        assert_eq!(t(".."), path("/work"));
        assert_eq!(t("../../.."), path("/"));
        assert_eq!(t("/etc//hosts"), path("/etc/hosts"));
        assert_eq!(t("/.."), path("/"));
        assert_eq!(t("."), path("/work/p"));
        // Nothing to place: unknown.
        assert_eq!(t(""), Target::Unknown);
        assert_eq!(t("C:\\Users\\x"), Target::Unknown);
        assert_eq!(t("c:/x"), Target::Unknown);
        let mut inexact = Arg::known("src");
        inexact.exact = false;
        assert_eq!(target(&inexact, &s), Target::Unknown);
        // After a `cd` to somewhere unknown, only an absolute path is known.
        let mut lost = scope();
        lost.cwd = None;
        assert_eq!(target(&Arg::known("src"), &lost), Target::Unknown);
        assert_eq!(target(&Arg::known("/srv/x"), &lost), path("/srv/x"));
    }

    #[test]
    fn home_and_variables_in_targets() {
        assert_eq!(target_of("~"), path("/home/u"));
        assert_eq!(target_of("~/.ssh"), path("/home/u/.ssh"));
        assert_eq!(target_of("~root/x"), path("/root/x"));
        assert_eq!(target_of("$HOME/.config"), path("/home/u/.config"));
        assert_eq!(target_of("\"${HOME}\"/a/../b"), path("/home/u/b"));
        assert_eq!(target_of("$PWD/out"), path("/work/p/out"));
        // `$TMPDIR` unset is empty: `$TMPDIR/usr` is `/usr`.
        assert_eq!(target_of("$TMPDIR/usr"), path("/usr"));
        // Another user's home, and a variable never assigned, are not known.
        assert_eq!(target_of("~bob/x"), Target::Unknown);
        assert_eq!(target_of("$NOPE/x"), Target::Unknown);
        assert_eq!(target_of("$(date)/x"), Target::Unknown);
        // `pwd` prints what is known without running it.
        assert_eq!(target_of("$(pwd)/x"), path("/work/p/x"));
        // Quoted, `~` is a name in this directory.
        assert_eq!(target_of("'~'"), path("/work/p/~"));
    }

    #[test]
    fn globs_split_at_their_first_wild_component() {
        assert_eq!(
            target_of("src/*.rs"),
            Target::Glob {
                dir: PathBuf::from("/work/p/src"),
                pattern: "*.rs".into()
            }
        );
        assert_eq!(
            target_of("/tmp/a*/b/c"),
            Target::Glob {
                dir: PathBuf::from("/tmp"),
                pattern: "a*/b/c".into()
            }
        );
        // Quoted, it is a name.
        assert_eq!(target_of("'src/*.rs'"), path("/work/p/src/*.rs"));
    }

    #[test]
    fn a_symlink_the_command_made_carries_targets_to_where_it_points() {
        let mut s = scope();
        s.links = Rc::new(vec![
            (PathBuf::from("/work/p/out"), Some(PathBuf::from("/etc"))),
            (PathBuf::from("/work/p/lost"), None),
        ]);
        assert_eq!(target(&Arg::known("out/passwd"), &s), path("/etc/passwd"));
        assert_eq!(target(&Arg::known("out"), &s), path("/etc"));
        assert_eq!(target(&Arg::known("lost/x"), &s), Target::Unknown);
        assert_eq!(target(&Arg::known("outer"), &s), path("/work/p/outer"));
    }

    #[test]
    fn quotes_are_removed_and_variables_filled_in() {
        assert_eq!(
            args("echo 'a b' \"c d\" e\\ f"),
            exact(&["echo", "a b", "c d", "e f"])
        );
        // Single quotes keep `$` literal; double quotes expand.
        assert_eq!(
            args("echo '$HOME' \"$HOME\""),
            exact(&["echo", "$HOME", "/home/u"])
        );
        // An unknown variable is kept as its source, and the word is not exact.
        assert_eq!(
            args("echo $NOPE/x"),
            vec![("echo".into(), true), ("${NOPE}/x".into(), false)]
        );
        // Numbers whatever their value: a stand-in digit.
        assert_eq!(args("echo $$ $?"), exact(&["echo", "1", "1"]));
        assert_eq!(args("echo ${HOME^^}"), exact(&["echo", "/HOME/U"]));
        // Output known without running anything.
        assert_eq!(args("$(echo rm) -rf"), exact(&["rm", "-rf"]));
        assert_eq!(
            args("echo $(date)"),
            vec![("echo".into(), true), ("$(:)".into(), false)]
        );
    }

    #[test]
    fn parameter_defaults_stand_in_for_unknown_values() {
        // Set: its own value, exact.
        assert_eq!(args("echo ${HOME:-/tmp}"), exact(&["echo", "/home/u"]));
        // Unset: the default, but not exact (the environment may set it).
        assert_eq!(
            args("echo ${X:-/tmp/d}/y"),
            vec![("echo".into(), true), ("/tmp/d/y".into(), false)]
        );
        assert_eq!(
            args("echo ${X=fallback}"),
            vec![("echo".into(), true), ("fallback".into(), false)]
        );
        // `:+` on a set value is the alternate.
        assert_eq!(args("echo ${HOME:+alt}"), exact(&["echo", "alt"]));
        // Empty and `:-`: the default; empty and `-`: empty.
        let mut s = scope();
        s.set("E", Some(String::new()));
        assert_eq!(args_in("echo ${E:-d}x", &s), exact(&["echo", "dx"]));
        assert_eq!(args_in("echo ${E-d}x", &s), exact(&["echo", "x"]));
    }

    #[test]
    fn unquoted_expansions_split_and_quoted_ones_do_not() {
        let mut s = scope();
        s.set("A", Some("x  y".into()));
        assert_eq!(args_in("rm $A", &s), exact(&["rm", "x", "y"]));
        assert_eq!(args_in("rm \"$A\"", &s), exact(&["rm", "x  y"]));
        // `${IFS}` is a blank: `rm${IFS}-rf` is two words.
        assert_eq!(args("rm${IFS}-rf"), exact(&["rm", "-rf"]));
        // A quoted empty expansion is an empty word.
        assert_eq!(args("echo \"$TMPDIR\""), exact(&["echo", ""]));
    }

    #[test]
    fn braces_expand_within_bounds() {
        assert_eq!(args("echo {a,b}"), exact(&["echo", "a", "b"]));
        assert_eq!(args("echo x{1..3}y"), exact(&["echo", "x1y", "x2y", "x3y"]));
        assert_eq!(args("echo {3..1}"), exact(&["echo", "3", "2", "1"]));
        assert_eq!(args("echo {a..c}"), exact(&["echo", "a", "b", "c"]));
        assert_eq!(args("echo {1..10..4}"), exact(&["echo", "1", "5", "9"]));
        assert_eq!(
            args("echo {a,b}{1,2}"),
            exact(&["echo", "a1", "a2", "b1", "b2"])
        );
        assert_eq!(args("echo {a,{b,c}}"), exact(&["echo", "a", "b", "c"]));
        assert_eq!(
            args("rm -rf /{tmp,etc}"),
            exact(&["rm", "-rf", "/tmp", "/etc"])
        );
        // No comma and no sequence, or quoted: not an expansion.
        assert_eq!(args("echo {a}"), exact(&["echo", "{a}"]));
        assert_eq!(args("echo '{a,b}'"), exact(&["echo", "{a,b}"]));
        assert_eq!(args("echo \"{a,b}\"c"), exact(&["echo", "{a,b}c"]));
        // More words than followed: one word, not exact.
        assert_eq!(
            args("echo {1..1000}"),
            vec![("echo".into(), true), ("{1..1000}".into(), false)]
        );
        let many = "{a,b}".repeat(MAX_BRACE_GROUPS + 1);
        assert_eq!(
            args(&format!("echo {many}")),
            vec![("echo".into(), true), (many.clone(), false)]
        );
        // 2^8 = 256 words is within the bound.
        let w = resolve(
            words(&format!("echo {}", "{a,b}".repeat(8))).iter(),
            &scope(),
        );
        assert_eq!(w.len(), 1 + MAX_BRACE_WORDS);
        assert!(w.iter().all(|a| a.exact));
    }

    #[test]
    fn sequence_expressions() {
        let seq = |s: &str| sequence(s);
        assert_eq!(seq("1..3").unwrap(), ["1", "2", "3"]);
        assert_eq!(seq("-1..1").unwrap(), ["-1", "0", "1"]);
        assert_eq!(seq("5..1..2").unwrap(), ["5", "3", "1"]);
        assert_eq!(seq("1..5..-2").unwrap(), ["1", "3", "5"]);
        assert_eq!(seq("e..a..2").unwrap(), ["e", "c", "a"]);
        assert_eq!(seq("1..300").unwrap().len(), MAX_BRACE_WORDS + 1);
        assert_eq!(
            seq(&format!("{}..{}", i64::MIN, i64::MAX)).unwrap().len(),
            MAX_BRACE_WORDS + 1
        );
        assert_eq!(seq("1"), None);
        assert_eq!(seq("1..2..3..4"), None);
        assert_eq!(seq("ab..c"), None);
        assert_eq!(seq("1..3..z"), None);
    }
}
