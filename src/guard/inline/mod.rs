//! Code handed to an interpreter on the command line or through stdin: `python -c`, `python - <<EOF`,
//! `node -e`/`-p`, `deno eval`, `bun -e`, `perl -e`, `ruby -e`, `php -r`.
//!
//! The code is read, not run: a small lexer per language skips strings and comments, and finds
//! the calls that delete a tree (`shutil.rmtree`, `fs.rmSync(.., {recursive: true})`,
//! `FileUtils.rm_rf`, `File::Path::rmtree`, `Deno.remove(.., {recursive: true})`) and the calls
//! that hand a command to the shell (`os.system`, `subprocess.run`, `child_process.execSync`,
//! `spawnSync`, `system`, `exec`, backticks, `qx`, `%x`, `shell_exec`, ...). A tree delete is
//! judged as `rm -rf TARGET` and a shell command as shell code, so the same rules (and the same
//! safe targets) hold as on the command line. An argument that is not a literal is unknown, as
//! `$X` is in the shell: a recursive delete of it is denied.

mod lex;
use super::{Arg, Stdin};
use crate::guard::{Scope, Unit, Walker};
use crate::hook::decision::clamp;
use lex::*;
use std::collections::HashMap;

/// The languages read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Python,
    Js,
    Perl,
    Ruby,
    Php,
}

/// What the code would do that the command rules judge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Shell code it runs.
    Shell(String),
    /// A tree it deletes, as a shell word (quoted, or an unknown `"$…"`).
    RemoveTree(String),
    /// A file it deletes, as a shell word.
    Remove(String),
    /// A file it empties and writes anew, as a shell word.
    Overwrite(String),
    /// A file it appends to, as a shell word.
    Append(String),
}

/// A word for a value no one knows before the code runs.
const UNKNOWN: &str = "\"$SO_HOOK_UNKNOWN_VALUE\"";
/// [`UNKNOWN`] as the guard shows it once the shell word is read.
pub(crate) const UNKNOWN_SHOWN: &str = "${SO_HOOK_UNKNOWN_VALUE}";
/// Where a temporary directory made by the code lives, for a delete of it.
const TEMP: &str = "/tmp/so-hook-inline-temp";

/// The inline code of an interpreter command, if it has any: its language and its code.
pub fn code_of(verb: &str, args: &[Arg], stdin: &Stdin) -> Option<(Lang, String)> {
    let lang = lang_of(verb)?;
    let stdin_code = || match stdin {
        Stdin::Text(t) => Some(t.clone()),
        _ => None,
    };
    let texts: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
    let code = match (lang, verb) {
        (Lang::Js, "deno") => match texts.as_slice() {
            ["eval", rest @ ..] => rest
                .iter()
                .find(|a| !a.starts_with('-'))
                .map(|s| s.to_string()),
            _ => None,
        },
        (Lang::Python, _) => python_code(&texts).unwrap_or_else(stdin_code),
        (Lang::Js, _) => js_code(&texts).unwrap_or_else(stdin_code),
        (Lang::Perl | Lang::Ruby, _) => perl_code(&texts, lang).unwrap_or_else(stdin_code),
        (Lang::Php, _) => php_code(&texts).unwrap_or_else(stdin_code),
    }?;
    Some((lang, code))
}

/// Whether `verb` is a language interpreter whose inline code the guard reads.
pub(crate) fn is_interpreter(verb: &str) -> bool {
    lang_of(verb).is_some()
}

fn lang_of(verb: &str) -> Option<Lang> {
    let base = verb.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    Some(match base {
        "python" | "pypy" => Lang::Python,
        "node" | "nodejs" | "bun" | "deno" => Lang::Js,
        "perl" => Lang::Perl,
        "ruby" => Lang::Ruby,
        "php" => Lang::Php,
        _ => return None,
    })
}

/// `Some(Some(code))` for `-c CODE`; `Some(None)` when the program comes from a file or a module;
/// `None` when it reads its program from stdin.
fn python_code(args: &[&str]) -> Option<Option<String>> {
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        if a == "-" {
            return None;
        }
        if a.starts_with("--") || !a.starts_with('-') {
            // `--version` and the like; a script file.
            return if a.starts_with("--") && a != "--" {
                i += 1;
                continue;
            } else {
                Some(None)
            };
        }
        for (j, c) in a.char_indices().skip(1) {
            match c {
                'c' => {
                    let rest = &a[j + 1..];
                    let code = if rest.is_empty() {
                        args.get(i + 1)
                    } else {
                        Some(&rest)
                    };
                    return Some(code.map(|s| s.to_string()));
                }
                'm' => return Some(None),
                'W' | 'X' => {
                    if a[j + 1..].is_empty() {
                        i += 1;
                    }
                    break;
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

fn js_code(args: &[&str]) -> Option<Option<String>> {
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        if let Some(v) = ["--eval=", "--print="]
            .iter()
            .find_map(|p| a.strip_prefix(p))
        {
            return Some(Some(v.to_string()));
        }
        if matches!(a, "-e" | "-p" | "-pe" | "--eval" | "--print") {
            return Some(args.get(i + 1).map(|s| s.to_string()));
        }
        if a == "-" {
            return None;
        }
        if matches!(
            a,
            "-r" | "--require" | "--import" | "--loader" | "-C" | "--conditions"
        ) {
            i += 2;
            continue;
        }
        if !a.starts_with('-') {
            return Some(None);
        }
        i += 1;
    }
    None
}

/// Perl and Ruby: every `-e` (a cluster such as `-ne` too) adds a line of program.
fn perl_code(args: &[&str], lang: Lang) -> Option<Option<String>> {
    let mut lines: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        if a == "--" || a == "-" || !a.starts_with('-') || a.starts_with("--") {
            if a.starts_with("--") && a != "--" {
                i += 1;
                continue;
            }
            break;
        }
        let mut next_is_value = false;
        for (j, c) in a.char_indices().skip(1) {
            let rest = &a[j + c.len_utf8()..];
            if c == 'e' || (c == 'E' && lang == Lang::Perl) {
                if rest.is_empty() {
                    if let Some(code) = args.get(i + 1) {
                        lines.push(code.to_string());
                    }
                    next_is_value = true;
                } else {
                    lines.push(rest.to_string());
                }
                break;
            }
            // Switches whose value follows in the same word (or, for Ruby's `-r`/`-I`, the next).
            if "IMmlix0CdDrF".contains(c) {
                if rest.is_empty() && lang == Lang::Ruby && "rI".contains(c) {
                    next_is_value = true;
                }
                break;
            }
        }
        i += if next_is_value { 2 } else { 1 };
    }
    if !lines.is_empty() {
        return Some(Some(lines.join("\n")));
    }
    match args.get(i) {
        Some(a) if *a != "-" && *a != "--" => Some(None),
        _ => None,
    }
}

fn php_code(args: &[&str]) -> Option<Option<String>> {
    let mut i = 0;
    while i < args.len() {
        match args[i] {
            "-r" => return Some(args.get(i + 1).map(|s| s.to_string())),
            "-f" => return Some(None),
            "-d" | "-c" | "-z" => i += 2,
            a if !a.starts_with('-') => return Some(None),
            _ => i += 1,
        }
    }
    None
}

/// What the code does that the command rules judge, in order.
pub fn actions(lang: Lang, code: &str) -> Vec<Action> {
    let toks = lex(lang, code);
    let vars = assignments(&toks);
    let mentions = |s: &str| code.contains(s);
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Shell(text) => out.push(Action::Shell(text.clone())),
            Tok::Ident(name) => {
                let last = name.rsplit(['.', ':']).next().unwrap_or(name);
                let kind = call_kind(lang, name, last, &mentions);
                let Some(kind) = kind else { continue };
                let Some(args) = call_args(lang, &toks, i + 1) else {
                    continue;
                };
                if let Some(a) = act(kind, &args, &vars) {
                    out.push(a);
                }
            }
            _ => {}
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One string is shell code; several, or a list, are a program and its arguments.
    Shell,
    /// A program and a list of arguments (`spawnSync('rm', ['-rf', x])`).
    Spawn,
    /// Deletes its first argument with everything below it.
    RemoveTree,
    /// Deletes its first argument, recursively when its options say `recursive: true`.
    RemoveIfRecursive,
    /// Deletes each of its arguments (`os.remove`, `fs.unlinkSync`, Perl's `unlink`).
    Remove,
    /// Writes its first argument anew (`fs.writeFileSync`, `File.write`, `file_put_contents`).
    Write,
    /// Appends to its first argument (`fs.appendFileSync`).
    Append,
    /// Python's `open(PATH, MODE)`: writes for a mode with `w` or `x`, appends with `a`.
    Open,
    /// Perl's `open(FH, ">PATH")` or `open(FH, ">", PATH)`.
    PerlOpen,
    /// Moves its first argument to its second (`os.rename`, `shutil.move`, `fs.renameSync`).
    Rename,
}

fn call_kind(lang: Lang, name: &str, last: &str, mentions: &impl Fn(&str) -> bool) -> Option<Kind> {
    Some(match lang {
        Lang::Python => match last {
            "system" | "popen" if name.starts_with("os.") || name == last => Kind::Shell,
            "run" | "call" | "check_call" | "check_output" | "Popen" | "getoutput"
            | "getstatusoutput"
                if name.starts_with("subprocess.") || (name == last && mentions("subprocess")) =>
            {
                Kind::Shell
            }
            "rmtree" => Kind::RemoveTree,
            "remove" | "unlink" if name.starts_with("os.") || name == last => Kind::Remove,
            "open" if name == "open" || name == "io.open" => Kind::Open,
            "rename" | "replace" if name.starts_with("os.") => Kind::Rename,
            "move" if name.starts_with("shutil.") => Kind::Rename,
            // `pathlib.Path(...).unlink()`: the path is the receiver, not an argument.
            _ => return None,
        },
        Lang::Js => match last {
            "exec" | "execSync" if name != last || mentions("child_process") => Kind::Shell,
            "spawn" | "spawnSync" | "execFile" | "execFileSync"
                if name != last || mentions("child_process") =>
            {
                Kind::Spawn
            }
            "rm" | "rmSync" | "rmdir" | "rmdirSync" | "remove" | "removeSync"
                if name != last || mentions("fs") =>
            {
                Kind::RemoveIfRecursive
            }
            "unlink" | "unlinkSync" if name != last || mentions("fs") => Kind::Remove,
            "writeFile" | "writeFileSync" if name != last || mentions("fs") => Kind::Write,
            "appendFile" | "appendFileSync" if name != last || mentions("fs") => Kind::Append,
            "truncate" | "truncateSync" if name != last || mentions("fs") => Kind::Write,
            "rename" | "renameSync" if name != last || mentions("fs") => Kind::Rename,
            _ => return None,
        },
        Lang::Perl => match last {
            "system" | "exec" => Kind::Shell,
            "rmtree" | "remove_tree" => Kind::RemoveTree,
            "unlink" => Kind::Remove,
            "rename" => Kind::Rename,
            "open" => Kind::PerlOpen,
            _ => return None,
        },
        Lang::Ruby => match last {
            "system" | "exec" | "spawn" | "popen" | "capture2" | "capture2e" | "capture3" => {
                Kind::Shell
            }
            "rm_rf" | "rm_r" | "remove_dir" | "remove_entry" | "remove_entry_secure" | "rmtree" => {
                Kind::RemoveTree
            }
            "delete" | "unlink" if name.starts_with("File.") => Kind::Remove,
            "write" | "binwrite" if name.starts_with("File.") => Kind::Write,
            "rename" if name.starts_with("File.") => Kind::Rename,
            "mv" | "move" if name.starts_with("FileUtils.") => Kind::Rename,
            "rm" | "rm_f" | "remove_file" if name.starts_with("FileUtils.") => Kind::Remove,
            _ => return None,
        },
        Lang::Php => match last {
            "system" | "exec" | "shell_exec" | "passthru" | "popen" | "proc_open" => Kind::Shell,
            "unlink" => Kind::Remove,
            _ => return None,
        },
    })
}

/// A call's arguments as values: a string, a list, or something unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Val {
    Str(String),
    List(Vec<Val>),
    /// A name whose value may be known from an assignment.
    Name(String),
    Other(String),
}

fn act(kind: Kind, args: &[Val], vars: &HashMap<String, String>) -> Option<Action> {
    let word = |v: &Val| match v {
        Val::Str(s) => quote(s),
        Val::Name(n) => vars.get(n).map(|s| quote(s)).unwrap_or(UNKNOWN.to_string()),
        _ => UNKNOWN.to_string(),
    };
    let words = |vs: &[Val]| -> String {
        vs.iter()
            .flat_map(|v| match v {
                Val::List(items) => items.iter().map(word).collect::<Vec<_>>(),
                v => vec![word(v)],
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let first = args.first()?;
    match kind {
        Kind::Shell => Some(Action::Shell(match (first, args.len()) {
            (Val::Str(s), 1) => s.clone(),
            (Val::Str(s), _) if !args[1..].iter().any(|a| matches!(a, Val::Str(_))) => s.clone(),
            (Val::List(items), _) => words(items),
            (Val::Str(_), _) => words(args),
            _ => return None,
        })),
        Kind::Spawn => Some(Action::Shell(words(
            &args
                .iter()
                .take(2)
                .filter(|a| matches!(a, Val::Str(_) | Val::List(_) | Val::Name(_)))
                .cloned()
                .collect::<Vec<_>>(),
        ))),
        Kind::RemoveTree => Some(Action::RemoveTree(word(first))),
        Kind::RemoveIfRecursive => {
            let recursive = args[1..].iter().any(|a| match a {
                Val::Other(t) => {
                    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
                    t.contains("recursive:true") || t.contains("recursive:!0")
                }
                _ => false,
            });
            Some(if recursive {
                Action::RemoveTree(word(first))
            } else {
                Action::Remove(word(first))
            })
        }
        Kind::Remove => Some(Action::Remove(words(args))),
        Kind::Write => Some(Action::Overwrite(word(first))),
        Kind::Rename => Some(Action::Shell(format!(
            "mv -- {} {}",
            word(first),
            args.get(1).map_or(UNKNOWN.to_string(), word)
        ))),
        Kind::PerlOpen => {
            let target = match args {
                [_, Val::Str(mode), path, ..] if mode.trim() == ">" => Some(word(path)),
                [_, Val::Str(spec), ..] if spec.starts_with('>') && !spec.starts_with(">>") => {
                    Some(quote(spec[1..].trim()))
                }
                _ => None,
            };
            target.map(Action::Overwrite)
        }
        Kind::Append => Some(Action::Append(word(first))),
        Kind::Open => {
            let mode = args[1..].iter().find_map(|a| match a {
                Val::Str(m) => Some(m.clone()),
                Val::Other(t) => t
                    .replace(' ', "")
                    .strip_prefix("mode=")
                    .map(|m| m.trim_matches(['\'', '"']).to_string()),
                _ => None,
            });
            match mode {
                Some(m) if m.contains('w') || m.contains('x') => {
                    Some(Action::Overwrite(word(first)))
                }
                Some(m) if m.contains('a') => Some(Action::Append(word(first))),
                _ => None,
            }
        }
    }
}

/// `s` as one single-quoted shell word.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The arguments of a call whose name ends before `toks[at]`: in parentheses, or (Perl, Ruby)
/// the comma list up to the end of the statement. `None` when the name is not called.
fn call_args(lang: Lang, toks: &[Tok], at: usize) -> Option<Vec<Val>> {
    let start = match toks.get(at) {
        Some(Tok::Punct('(')) => at + 1,
        Some(Tok::Str(_) | Tok::Ident(_) | Tok::Punct('['))
            if matches!(lang, Lang::Perl | Lang::Ruby) =>
        {
            at
        }
        _ => return None,
    };
    let mut args = Vec::new();
    let mut current: Vec<Tok> = Vec::new();
    let mut depth = 0usize;
    let mut i = start;
    while i < toks.len() {
        match &toks[i] {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') if depth == 0 => break,
            Tok::Punct(')' | ']' | '}') => depth -= 1,
            Tok::Punct(';') if depth == 0 => break,
            Tok::Punct(',') if depth == 0 => {
                args.push(value(&current));
                current.clear();
                i += 1;
                continue;
            }
            _ => {}
        }
        current.push(toks[i].clone());
        i += 1;
    }
    if !current.is_empty() {
        args.push(value(&current));
    }
    Some(args)
}

/// One argument's tokens as a value.
fn value(toks: &[Tok]) -> Val {
    match toks {
        [Tok::Str(s)] => Val::Str(s.clone()),
        [Tok::Ident(n)] => Val::Name(n.clone()),
        [Tok::Punct('[' | '('), inner @ .., Tok::Punct(']' | ')')] => {
            let mut items = Vec::new();
            let mut cur: Vec<Tok> = Vec::new();
            let mut depth = 0usize;
            for t in inner {
                match t {
                    Tok::Punct('(' | '[' | '{') => depth += 1,
                    Tok::Punct(')' | ']' | '}') => depth = depth.saturating_sub(1),
                    Tok::Punct(',') if depth == 0 => {
                        items.push(value(&cur));
                        cur.clear();
                        continue;
                    }
                    _ => {}
                }
                cur.push(t.clone());
            }
            if !cur.is_empty() {
                items.push(value(&cur));
            }
            Val::List(items)
        }
        other => Val::Other(
            other
                .iter()
                .map(|t| match t {
                    Tok::Ident(s) | Tok::Str(s) | Tok::Shell(s) => s.clone(),
                    Tok::Punct(c) => c.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
    }
}

/// Names bound to a string (`d = 'build'`), or to a fresh temporary directory (`d =
/// tempfile.mkdtemp()`, `with TemporaryDirectory() as d`, `fs.mkdtempSync(...)`).
fn assignments(toks: &[Tok]) -> HashMap<String, String> {
    let mut vars = HashMap::new();
    for (i, t) in toks.iter().enumerate() {
        let Tok::Ident(name) = t else { continue };
        match (toks.get(i + 1), toks.get(i + 2)) {
            (Some(Tok::Punct('=')), Some(Tok::Str(s)))
                if toks.get(i + 2) != Some(&Tok::Punct('=')) =>
            {
                vars.insert(name.clone(), s.clone());
            }
            (Some(Tok::Punct('=')), Some(Tok::Ident(f))) if is_temp_maker(f) => {
                vars.insert(name.clone(), TEMP.to_string());
            }
            _ => {}
        }
        if name == "as"
            && let Some(Tok::Ident(bound)) = toks.get(i + 1)
            && toks[..i]
                .iter()
                .rev()
                .take(8)
                .any(|t| matches!(t, Tok::Ident(f) if is_temp_maker(f)))
        {
            vars.insert(bound.clone(), TEMP.to_string());
        }
    }
    vars
}

fn is_temp_maker(f: &str) -> bool {
    let last = f.rsplit(['.', ':']).next().unwrap_or(f);
    matches!(
        last,
        "mkdtemp"
            | "mkdtempSync"
            | "TemporaryDirectory"
            | "gettempdir"
            | "tmpdir"
            | "tempdir"
            | "makeTempDir"
            | "makeTempDirSync"
    )
}

impl Walker<'_> {
    /// Judges what code handed to an interpreter (`python -c`, `node -e`, ...) would run: its
    /// shell-outs as shell code, its tree deletes as `rm -rf`.
    pub(crate) fn inline_code(&mut self, verb: &str, unit: &Unit, scope: &Scope) {
        let Some((lang, code)) = code_of(verb, unit.args(), unit.stdin) else {
            return;
        };
        let before = self.findings.len();
        for action in actions(lang, &code) {
            let shell = match action {
                Action::Shell(c) => c,
                Action::RemoveTree(target) => format!("rm -rf -- {target}"),
                Action::Remove(targets) => format!("rm -f -- {targets}"),
                Action::Overwrite(target) => format!(": > {target}"),
                Action::Append(target) => format!(": >> {target}"),
            };
            self.run_code(&shell, &mut scope.clone(), unit.display);
        }
        // Say where the command was found: the agent wrote code, not a shell command.
        for f in &mut self.findings[before..] {
            let found = f.unit.take().unwrap_or_default();
            f.reason = format!(
                "The code given to `{verb}` does what `{}` does: {}",
                clamp(&found, 120),
                f.reason
            );
            f.unit = Some(clamp(unit.display, 200));
        }
    }
}

#[cfg(test)]
mod tests;
