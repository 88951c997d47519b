//! Expansion as far as it can be known without running anything: words into arguments (quotes,
//! variables assigned earlier, `~`, braces, word splitting), path operands into targets, and what a
//! command feeds the next one through a pipe.

use super::GuardContext;
use super::args::{Spec, scan};
use crate::guard::shell::Script;
use crate::guard::shell::{
    self, Command, CompoundKind, Part, Pipeline, RedirOp, Redirect, Sep, SimpleCommand, Word,
};
use crate::project::paths;
use crate::small::SmallStr;
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

/// What a command writes to its standard output when that is known text; `input` is what it reads.
pub(super) fn output_of(cmd: &Command, scope: &Scope, input: &Stdin) -> Stdin {
    match cmd {
        // `(echo ...)` and `{ echo ...; }` write what their one pipeline writes.
        Command::Compound(c)
            if matches!(c.kind, CompoundKind::Subshell | CompoundKind::Group)
                && c.words.is_empty() =>
        {
            match c.body.items.as_slice() {
                [item] => pipeline_output(&item.pipeline, scope, input),
                _ => Stdin::Unknown,
            }
        }
        Command::Simple(sc) => simple_output(sc, scope, input),
        Command::Compound(_) => Stdin::Unknown,
    }
}

/// The output of a pipeline, each command reading what the one before it wrote.
pub(super) fn pipeline_output(p: &Pipeline, scope: &Scope, input: &Stdin) -> Stdin {
    let mut data = input.clone();
    for cmd in &p.commands {
        data = output_of(cmd, scope, &data);
    }
    data
}

/// Whether `verb ARGS` writes text fetched from the network or decoded from an encoding.
fn fetches(verb: &str, args: &[&str]) -> bool {
    let has = |flags: &[&str]| args.iter().any(|a| flags.contains(a));
    match verb {
        // A download to a file writes nothing to the pipe.
        "curl" => !has(&["-o", "--output", "-O", "--remote-name"]),
        // wget writes to the pipe only with `-O -`.
        "wget" => {
            has(&["-O-", "-qO-", "--output-document=-"])
                || args
                    .windows(2)
                    .any(|w| matches!(w[0], "-O" | "-qO" | "--output-document") && w[1] == "-")
        }
        "fetch" | "http" | "https" | "xh" | "aria2c" => true,
        "base64" | "base32" | "basenc" => has(&["-d", "--decode", "-D"]),
        "xxd" => has(&["-r", "-revert"]),
        "gzip" | "bzip2" | "xz" | "zstd" => has(&["-d", "--decompress", "-dc", "-cd"]),
        "zcat" | "gunzip" | "bzcat" | "xzcat" | "zstdcat" | "uudecode" => true,
        "openssl" => has(&["-d"]),
        _ => false,
    }
}

fn simple_output(sc: &SimpleCommand, scope: &Scope, input: &Stdin) -> Stdin {
    let mut words: Vec<Arg> = resolve(sc.words.iter(), scope);
    let input = stdin_of(&sc.redirects, scope).unwrap_or_else(|| input.clone());
    // A wrapper passes the output of the command it runs (`nohup echo ...`, `sudo cat`).
    for _ in 0..super::MAX_WRAPPERS {
        let Some(verb) = words
            .first()
            .and_then(|w| w.value())
            .map(super::command_name)
        else {
            break;
        };
        let inner = super::wrappers::unwrap(verb, &words[1..], &input).and_then(|readings| {
            readings.into_iter().find_map(|r| match r {
                super::Inner::Words(w) if !w.is_empty() => Some(w),
                _ => None,
            })
        });
        match inner {
            Some(w) => words = w,
            None => break,
        }
    }
    let verb = words
        .first()
        .and_then(|w| w.value())
        .map(super::command_name);
    let args: Vec<&str> = words.iter().skip(1).map(|a| a.text.as_str()).collect();
    match verb {
        Some("echo") => {
            let flags = args
                .iter()
                .take_while(|a| {
                    a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| "neE".contains(c))
                })
                .count();
            let escapes = args[..flags].iter().any(|f| f.contains('e'));
            let newline = !args[..flags].iter().any(|f| f.contains('n'));
            let mut text = args[flags..].join(" ");
            if escapes {
                text = shell::ansi_c(text.as_bytes());
            }
            if newline {
                text.push('\n');
            }
            Stdin::Text(text)
        }
        Some("printf") => printf(&args).map_or(Stdin::Unknown, Stdin::Text),
        // Known text decoded: what it decodes to is known too.
        Some("base64")
            if fetches("base64", &args)
                && !args.iter().any(|a| !a.starts_with('-'))
                && let Stdin::Text(t) = &input
                && let Some(decoded) = base64_decode(t) =>
        {
            Stdin::Text(decoded)
        }
        Some(v) if fetches(v, &args) => Stdin::Fetched(match v {
            "curl" | "wget" | "fetch" | "http" | "https" | "xh" | "aria2c" => "a download",
            _ => "a decoder",
        }),
        // Programs that pass (at most) their input on: the whole input stands for their output.
        Some("cat") if args.iter().all(|a| *a == "-") => input,
        Some("tee" | "head" | "tail") => input,
        Some("mktemp") => Stdin::Text(format!("{}\n", mktemp(&words[1..], scope))),
        // The entries `find` prints: any below its starting point, of the name it tests for.
        Some("find") => super::wrappers::found(&words[1..]).map_or(Stdin::Unknown, Stdin::Found),
        Some("pwd") => match &scope.cwd {
            Some(c) => Stdin::Text(format!("{}\n", c.display())),
            None => Stdin::Unknown,
        },
        _ => Stdin::Unknown,
    }
}

/// Standard base64 (blanks ignored, padding optional) to UTF-8 text; `None` for anything else.
fn base64_decode(text: &str) -> Option<String> {
    let mut bits: u32 = 0;
    let mut n = 0;
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Where `mktemp` creates its file or directory (the `X`s stay as they are).
fn mktemp(args: &[Arg], scope: &Scope) -> String {
    let s = scan(args, &Spec::gnu("p", &["tmpdir", "suffix"]));
    let tmpdir = match scope.var("TMPDIR") {
        Some(t) if !t.is_empty() => t.to_string(),
        _ => "/tmp".to_string(),
    };
    let dir = s
        .value('p', "tmpdir")
        .map(str::to_string)
        .or_else(|| (s.has_long("tmpdir") || s.has_short('t')).then(|| tmpdir.clone()));
    match (s.operands.first(), dir) {
        (None, dir) => format!("{}/tmp.XXXXXXXXXX", dir.unwrap_or(tmpdir)),
        (Some(t), Some(d)) => format!("{d}/{}", t.text),
        (Some(t), None) => t.text.to_string(),
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
    out.push(arg);
}

/// An unquoted `*`, `?` or `[` in literal text makes it a pattern.
pub(super) fn has_glob(s: &str) -> bool {
    glob_and_brace(s).0
}

/// Whether literal text has a glob character (see [`has_glob`]) and whether it has a `{`, in one
/// pass (every plain word is asked both).
#[inline(always)]
fn glob_and_brace(s: &str) -> (bool, bool) {
    let (mut glob, mut brace) = (false, false);
    for b in s.bytes() {
        match b {
            b'*' | b'?' | b'[' => glob = true,
            b'{' => brace = true,
            _ => {}
        }
    }
    (glob, brace)
}

/// Longest variable value followed; a longer one is taken as unknown.
const MAX_VALUE: usize = 64 * 1024;
/// Longest word built from variable values; past it the word is taken as unknown.
const MAX_EXPANDED: usize = 1024 * 1024;

/// Most words one brace expansion may produce before the word is taken as unknown.
pub(super) const MAX_BRACE_WORDS: usize = 256;
/// Most brace groups in one word that are expanded (each could double the words).
const MAX_BRACE_GROUPS: usize = 16;

/// Brace expansion (`{a,b}`, `{1..3}`) over the unquoted parts of a word, when it has any.
fn braces(word: &Word, whole: &Arg, ends: &[usize]) -> Option<Vec<Arg>> {
    if !word
        .parts()
        .iter()
        .any(|p| matches!(p, Part::Lit(s) if s.contains('{')))
    {
        return None;
    }
    // Each character of the resolved text, and whether it came from unquoted literal text.
    let mut chars: Vec<(char, bool)> = Vec::new();
    let mut start = 0;
    for (part, &end) in word.parts().iter().zip(ends) {
        let active = matches!(part, Part::Lit(_));
        chars.extend(whole.text[start..end].chars().map(|c| (c, active)));
        start = end;
    }
    let mut out = Vec::new();
    let groups = chars
        .iter()
        .filter(|(c, active)| *active && *c == '{')
        .count();
    if groups > MAX_BRACE_GROUPS || !expand(&chars, &mut out) {
        return Some(vec![Arg {
            text: whole.text.clone(),
            exact: false,
            glob: whole.glob,
            feed: None,
        }]);
    }
    if out.len() == 1 && whole.text == out[0] {
        return None;
    }
    Some(
        out.into_iter()
            .map(|text| Arg {
                text: text.into(),
                exact: whole.exact,
                glob: whole.glob,
                feed: None,
            })
            .collect(),
    )
}

/// Appends the expansions of `chars` to `out`; false when there would be too many.
fn expand(chars: &[(char, bool)], out: &mut Vec<String>) -> bool {
    let mut open = None;
    for (i, &(c, active)) in chars.iter().enumerate() {
        if !(active && c == '{') {
            continue;
        }
        // Find the matching close and the top-level commas.
        let mut depth = 0;
        let mut commas = Vec::new();
        let mut close = None;
        for (j, &(d, a)) in chars.iter().enumerate().skip(i + 1) {
            if !a {
                continue;
            }
            match d {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    close = Some(j);
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => commas.push(j),
                _ => {}
            }
        }
        if let Some(j) = close {
            let items = if commas.is_empty() {
                let inner: String = chars[i + 1..j].iter().map(|c| c.0).collect();
                sequence(&inner)
            } else {
                None
            };
            if !commas.is_empty() || items.is_some() {
                open = Some((i, j, commas, items));
                break;
            }
        }
    }
    let Some((i, j, commas, items)) = open else {
        out.push(chars.iter().map(|c| c.0).collect());
        return out.len() <= MAX_BRACE_WORDS;
    };
    let alternatives: Vec<Vec<(char, bool)>> = if let Some(items) = items {
        items
            .into_iter()
            .map(|s| s.chars().map(|c| (c, false)).collect())
            .collect()
    } else {
        let mut bounds = vec![i];
        bounds.extend(commas);
        bounds.push(j);
        bounds
            .windows(2)
            .map(|w| chars[w[0] + 1..w[1]].to_vec())
            .collect()
    };
    for alt in alternatives {
        let mut next = chars[..i].to_vec();
        next.extend(alt);
        next.extend_from_slice(&chars[j + 1..]);
        if !expand(&next, out) {
            return false;
        }
    }
    true
}

/// `{1..5}`, `{a..e}`, `{10..1..2}`: the items of a sequence expression.
pub(super) fn sequence(inner: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = inner.split("..").collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let step = match parts.get(2) {
        Some(s) => s.parse::<i64>().ok()?.unsigned_abs().max(1) as usize,
        None => 1,
    };
    // More items than the guard follows: a marker list just over the limit, never the real one.
    let too_many =
        |n: usize| (n > MAX_BRACE_WORDS).then(|| vec![String::new(); MAX_BRACE_WORDS + 1]);
    if let (Ok(a), Ok(b)) = (parts[0].parse::<i64>(), parts[1].parse::<i64>()) {
        let n = ((a.abs_diff(b) / step as u64) as usize).saturating_add(1);
        if let Some(marker) = too_many(n) {
            return Some(marker);
        }
        // In i128, `a ± k·step` cannot overflow for any i64 bounds.
        let dir: i128 = if b >= a { 1 } else { -1 };
        return Some(
            (0..n)
                .map(|k| (i128::from(a) + dir * (k as i128) * (step as i128)).to_string())
                .collect(),
        );
    }
    let (a, b) = (parts[0], parts[1]);
    if a.chars().count() == 1 && b.chars().count() == 1 {
        let (a, b) = (a.chars().next()? as u32, b.chars().next()? as u32);
        if let Some(marker) = too_many(a.abs_diff(b) as usize / step + 1) {
            return Some(marker);
        }
        let range: Vec<u32> = if a <= b {
            (a..=b).step_by(step).collect()
        } else {
            (b..=a).rev().step_by(step).collect()
        };
        return Some(
            range
                .into_iter()
                .filter_map(char::from_u32)
                .map(String::from)
                .collect(),
        );
    }
    None
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

/// The directory a lone `cd`/`pushd` pipeline moves to: `Some(None)` when it is not knowable.
pub(super) fn cd_target(pipeline: &Pipeline, scope: &Scope) -> Option<Option<PathBuf>> {
    let [Command::Simple(sc)] = pipeline.commands.as_slice() else {
        return None;
    };
    // `command cd` and `builtin cd` are the builtin, whatever `cd` is defined as.
    let mut words = sc.words.as_slice();
    let mut builtin = false;
    while let Some(w) = words.first()
        && matches!(w.literal().as_deref(), Some("command" | "builtin"))
    {
        words = &words[1..];
        builtin = true;
    }
    let verb = words.first()?.literal()?;
    if !matches!(verb.as_str(), "cd" | "pushd" | "popd") {
        return None;
    }
    let redefined = scope.functions.contains_key(&verb) || scope.aliases.contains_key(&verb);
    if verb == "popd" || (redefined && !builtin) {
        return Some(None);
    }
    let args: Vec<Arg> = words[1..]
        .iter()
        .map(|w| resolve_one(w, scope))
        .filter(|a| !(a.exact && a.text.starts_with('-') && a.text.len() > 1))
        .collect();
    // `cd A B` fails ("too many arguments").
    if args.len() > 1 {
        return Some(None);
    }
    let arg = args.into_iter().next();
    let Some(arg) = arg else {
        return Some(scope.var("HOME").map(PathBuf::from));
    };
    if arg.text == "-" {
        return Some(None);
    }
    // With CDPATH set, a bare relative name may land in a CDPATH directory.
    let cdpath = sc.assigns.iter().any(|a| a.name == "CDPATH")
        || scope.var("CDPATH").is_none_or(|v| !v.is_empty()) && scope.vars.contains_key("CDPATH");
    if cdpath && !arg.text.starts_with(['/', '.']) {
        return Some(None);
    }
    Some(match target(&arg, scope) {
        Target::Path(p) => Some(p),
        _ => None,
    })
}

/// `exit`, `return` or `false`: after `cd X || exit`, the script only goes on in X.
pub(super) fn exits(pipeline: &Pipeline) -> bool {
    matches!(pipeline.commands.as_slice(), [Command::Simple(sc)]
        if sc.words.first().and_then(|w| w.literal()).is_some_and(|v| matches!(v.as_str(), "exit" | "return" | "false")))
}

/// Expands unquoted globs in a list the shell stores (`for f in *.md`, `set -- C*`, `a=(*)`)
/// against what exists, one path component deep; a glob that matches nothing stays as written,
/// and one that matches too much becomes unknown.
pub(super) fn glob_list(args: Vec<Arg>, scope: &Scope) -> Vec<Arg> {
    let mut out = Vec::with_capacity(args.len());
    for a in args {
        let Target::Glob { dir, pattern } = target(&a, scope) else {
            out.push(a);
            continue;
        };
        let names: Vec<String> = match std::fs::read_dir(&dir) {
            Ok(entries) if !pattern.contains('/') => {
                let mut n: Vec<String> = entries
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|name| super::rules::files::wildcard(&pattern, name))
                    .collect();
                n.sort();
                n
            }
            _ => Vec::new(),
        };
        if names.is_empty() {
            out.push(a);
        } else if names.len() > MAX_BRACE_WORDS {
            out.push(Arg { exact: false, ..a });
        } else {
            let prefix = match a.text.rfind('/') {
                Some(i) => a.text[..=i].to_string(),
                None => String::new(),
            };
            out.extend(
                names
                    .into_iter()
                    .map(|n| Arg::known(format!("{prefix}{n}"))),
            );
        }
    }
    out
}

/// The last component of a path as written (`a/b/` is `b`).
pub fn basename(text: &str) -> &str {
    text.trim_end_matches('/').rsplit('/').next().unwrap_or("")
}

/// Records a symlink the command makes: `link` points to `src` (relative to the link's directory).
fn remember_link(scope: &mut Scope, link: Target, src: &Arg) {
    let Target::Path(link) = link else {
        return;
    };
    let to = src.exact.then(|| {
        let base = link.parent().unwrap_or(Path::new("/"));
        paths::absolute(base, Path::new(&src.text))
    });
    if scope.links.len() >= MAX_LINKS {
        // More links than any real command makes: from here on, every path is unknown.
        let all = (PathBuf::from("/"), None);
        if !scope.links.contains(&all) {
            Rc::make_mut(&mut scope.links).push(all);
        }
        return;
    }
    Rc::make_mut(&mut scope.links).push((link, to));
}

/// Most symlinks one command is followed making.
const MAX_LINKS: usize = 64;
/// Most links followed in a chain (a link to a link to ...).
const MAX_LINK_HOPS: usize = 8;

/// What a command leaves behind for the commands after it: variables (`export`, `declare`, `read`),
/// positional parameters (`set --`), aliases, and symlinks it creates (`ln -s`).
pub(super) fn remember(words: &[Arg], scope: &mut Scope, stdin: &Stdin) {
    let Some(verb) = words[0].value() else {
        return;
    };
    match verb {
        "set" if words.get(1).is_some_and(|w| w.text == "--") => {
            let list = glob_list(words[2..].to_vec(), scope);
            scope.set_positional(&list);
            return;
        }
        "unset" => {
            let only_functions = words[1..].iter().any(|a| a.text == "-f");
            let only_vars = words[1..].iter().any(|a| a.text == "-v");
            for a in words[1..].iter().filter(|a| !a.text.starts_with('-')) {
                if !only_functions {
                    scope.set(&a.text, Some(String::new()));
                }
                if !only_vars {
                    Rc::make_mut(&mut scope.functions).remove(a.text.as_str());
                }
            }
            return;
        }
        // `git config alias.NAME VALUE`: a later `git NAME` on the line runs VALUE (kept under a
        // name no shell variable can have).
        "git" => {
            let Some(at) = words.iter().position(|a| a.text == "config") else {
                return;
            };
            let rest: Vec<&Arg> = words[at + 1..]
                .iter()
                .filter(|a| !a.text.starts_with('-'))
                .collect();
            let reads = words[at + 1..]
                .iter()
                .any(|a| a.text.starts_with("--get") || a.text.starts_with("--unset"));
            let rest = match rest.first().map(|a| a.text.as_str()) {
                Some("set") => &rest[1..],
                _ => &rest[..],
            };
            if let [key, value, ..] = rest
                && !reads
                && key.text.to_ascii_lowercase().starts_with("alias.")
            {
                let v = value.exact.then(|| value.text.to_string());
                scope.set(&format!("git {}", key.text.to_ascii_lowercase()), v);
            }
            return;
        }
        "alias" => {
            for a in &words[1..] {
                if let Some((name, value)) = a.text.split_once('=') {
                    Rc::make_mut(&mut scope.aliases).insert(name.to_string(), value.to_string());
                }
            }
            return;
        }
        "read" => {
            // `read [-r] NAME...` from known text: the first line, split over the names.
            let names: Vec<&Arg> = words[1..]
                .iter()
                .filter(|a| !a.text.starts_with('-'))
                .collect();
            let line = match stdin {
                Stdin::Text(t) => Some(t.lines().next().unwrap_or("").to_string()),
                _ => None,
            };
            let mut fields: Vec<&str> = line
                .as_deref()
                .map(|l| l.splitn(names.len().max(1), [' ', '\t']).collect())
                .unwrap_or_default();
            fields.resize(names.len(), "");
            for (n, f) in names.iter().zip(fields) {
                scope.set(&n.text, line.as_ref().map(|_| f.to_string()));
            }
            return;
        }
        "ln" => {
            // `ln -s TARGET LINK`: what is below LINK is wherever TARGET points.
            let s = scan(
                &words[1..],
                &Spec::gnu("tS", &["target-directory", "suffix"]),
            );
            if !s.has('s', "symbolic") {
                return;
            }
            // `ln -s SRC LINK`, `ln -s SRC... DIR`, `ln -st DIR SRC...`
            let (sources, dir): (Vec<&Arg>, Option<Target>) = match s.value('t', "target-directory")
            {
                Some(d) => (s.operands.clone(), Some(target(&Arg::known(d), scope))),
                None => match s.operands.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        let t = target(last, scope);
                        let is_dir =
                            matches!(&t, Target::Path(p) if p.is_dir()) || last.text.ends_with('/');
                        if is_dir || rest.len() > 1 {
                            (rest.to_vec(), Some(t))
                        } else {
                            remember_link(scope, t, rest[0]);
                            return;
                        }
                    }
                    // `ln -s TARGET`: a link named like the target, here.
                    Some((only, _)) => {
                        let here = Arg::known(basename(&only.text).to_string());
                        remember_link(scope, target(&here, scope), only);
                        return;
                    }
                    None => return,
                },
            };
            for src in sources {
                let name = basename(&src.text);
                let link = match &dir {
                    Some(Target::Path(d)) => Target::Path(d.join(name)),
                    _ => Target::Unknown,
                };
                remember_link(scope, link, src);
            }
            return;
        }
        _ => {}
    }
    if !matches!(
        verb,
        "export" | "declare" | "local" | "readonly" | "typeset"
    ) {
        return;
    }
    for a in &words[1..] {
        if let Some((name, value)) = a.text.split_once('=')
            && !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            scope.set(name, a.exact.then(|| value.to_string()));
        }
    }
}

/// What `printf FORMAT ARGS...` prints, as far as it matters for code piped into a shell: `%s`-like
/// conversions take the arguments in turn, the format repeats while arguments remain, and `\n`,
/// `\t` and `%%` are decoded. `None` when the output would pass [`MAX_EXPANDED`] (the format
/// repeats per argument, so a short command can print far more than its own length).
pub(super) fn printf(args: &[&str]) -> Option<String> {
    let Some((format, mut rest)) = args.split_first() else {
        return Some(String::new());
    };
    let format = shell::ansi_c(format.as_bytes());
    let mut out = String::new();
    loop {
        let mut chars = format.chars().peekable();
        let mut used = false;
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            // Skip flags, width and precision, then take the conversion.
            let mut conv = None;
            while let Some(&n) = chars.peek() {
                chars.next();
                if n.is_ascii_alphabetic() || n == '%' {
                    conv = Some(n);
                    break;
                }
            }
            match conv {
                Some('%') => out.push('%'),
                Some(_) => {
                    used = true;
                    if let Some((first, tail)) = rest.split_first() {
                        out.push_str(first);
                        rest = tail;
                    }
                }
                None => {}
            }
        }
        if !used || rest.is_empty() {
            return Some(out);
        }
        if out.len() > MAX_EXPANDED {
            return None;
        }
    }
}
