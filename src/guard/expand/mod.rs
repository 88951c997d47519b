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
