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

use super::{Arg, Stdin};
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

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// A name, dotted (`os.system`, `fs.promises.rm`, `File::Path::rmtree`).
    Ident(String),
    /// A string literal's value (interpolations become unknown words).
    Str(String),
    /// Shell code in the language's own syntax: backticks, `qx{}`, `%x()`.
    Shell(String),
    Punct(char),
}

/// Splits code into names, strings and punctuation; comments are dropped.
fn lex(lang: Lang, code: &str) -> Vec<Tok> {
    let b: Vec<char> = code.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if (c == '#' && lang != Lang::Js)
            || (c == '/' && next == Some('/') && matches!(lang, Lang::Js | Lang::Php))
        {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') && matches!(lang, Lang::Js | Lang::Php) {
            i += 2;
            while i < b.len() && !(b[i] == '*' && b.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if c == '`' {
            let (s, end) = quoted(&b, i + 1, '`', lang, true);
            toks.push(if lang == Lang::Js || lang == Lang::Python {
                Tok::Str(s)
            } else {
                Tok::Shell(s)
            });
            i = end;
        } else if c == '"' || c == '\'' {
            // Python's triple quotes.
            if lang == Lang::Python && next == Some(c) && b.get(i + 2) == Some(&c) {
                let close: String = [c, c, c].iter().collect();
                let rest: String = b[i + 3..].iter().collect();
                let end = rest.find(&close).unwrap_or(rest.len());
                toks.push(Tok::Str(rest[..end].replace("\\\n", "")));
                i += 3 + rest[..end].chars().count() + 3;
                continue;
            }
            let interpolates = c == '"' && lang != Lang::Python;
            let (s, end) = quoted(&b, i + 1, c, lang, interpolates);
            toks.push(Tok::Str(s));
            i = end;
        } else if let Some((tok, end)) = quote_like(lang, &b, i) {
            toks.push(tok);
            i = end;
        } else if c.is_alphanumeric() || c == '_' || c == '$' {
            let start = i;
            while i < b.len()
                && (b[i].is_alphanumeric()
                    || b[i] == '_'
                    || b[i] == '$'
                    || (b[i] == '.' && b.get(i + 1).is_some_and(|n| n.is_alphabetic()))
                    || (b[i] == ':' && b.get(i + 1) == Some(&':'))
                    || (b[i] == ':' && i > 0 && b[i - 1] == ':'))
            {
                i += 1;
            }
            let word: String = b[start..i].iter().collect();
            // Python string prefixes: r'..', f"..", rb'..'.
            if lang == Lang::Python
                && word.len() <= 2
                && word.chars().all(|c| "rbfuRBFU".contains(c))
                && matches!(b.get(i), Some('\'' | '"'))
            {
                let q = b[i];
                let raw = word.to_ascii_lowercase().contains('r');
                let (mut s, end) = if raw {
                    let mut j = i + 1;
                    while j < b.len() && b[j] != q {
                        j += 1;
                    }
                    (b[i + 1..j.min(b.len())].iter().collect(), j + 1)
                } else {
                    quoted(&b, i + 1, q, lang, false)
                };
                if word.to_ascii_lowercase().contains('f') {
                    s = braces_unknown(&s);
                }
                toks.push(Tok::Str(s));
                i = end;
                continue;
            }
            toks.push(Tok::Ident(word));
        } else {
            toks.push(Tok::Punct(c));
            i += 1;
        }
    }
    toks
}

/// Reads a quoted string from `start` (just after the opening quote) to `close`; returns its value
/// and the index after the closing quote.
fn quoted(
    b: &[char],
    start: usize,
    close: char,
    lang: Lang,
    interpolates: bool,
) -> (String, usize) {
    let mut s = String::new();
    let mut i = start;
    while i < b.len() && b[i] != close {
        if b[i] == '\\' && i + 1 < b.len() {
            let e = b[i + 1];
            // A backslash before a line break joins the lines (Python, JavaScript, Ruby).
            if e == '\n' && matches!(lang, Lang::Python | Lang::Js | Lang::Ruby) {
                i += 2;
                continue;
            }
            // Single quotes keep escapes other than the quote itself and the backslash.
            if close == '\'' && lang != Lang::Python && e != '\'' && e != '\\' {
                s.push('\\');
                s.push(e);
            } else {
                s.push(match e {
                    'n' => '\n',
                    't' => '\t',
                    other => other,
                });
            }
            i += 2;
            continue;
        }
        // Ruby's `#{...}`: unknown (JS's `${...}`, Perl's and PHP's `$x` read as the shell's).
        if interpolates && lang == Lang::Ruby && b[i] == '#' && b.get(i + 1) == Some(&'{') {
            let mut depth = 0;
            while i < b.len() {
                match b[i] {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            s.push_str(UNKNOWN);
            i += 1;
            continue;
        }
        s.push(b[i]);
        i += 1;
    }
    (s, i + 1)
}

/// Python's f-string fields as unknown words.
fn braces_unknown(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '{' => {
                if depth == 0 {
                    out.push_str(UNKNOWN);
                }
                depth += 1;
            }
            '}' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Perl's `q{}`, `qq{}`, `qx{}` and Ruby's `%q()`, `%Q()`, `%x()` (any bracket or delimiter).
fn quote_like(lang: Lang, b: &[char], i: usize) -> Option<(Tok, usize)> {
    let (kind, open_at) = match lang {
        Lang::Perl if b[i] == 'q' && (i == 0 || !b[i - 1].is_alphanumeric()) => {
            match b.get(i + 1) {
                Some('q' | 'x' | 'w') => (b[i + 1], i + 2),
                _ => ('q', i + 1),
            }
        }
        Lang::Ruby if b[i] == '%' => match b.get(i + 1) {
            Some(c @ ('q' | 'Q' | 'x' | 'w' | 'W')) => (*c, i + 2),
            _ => return None,
        },
        _ => return None,
    };
    let open = *b.get(open_at)?;
    if open.is_alphanumeric() || open.is_whitespace() || open == '_' || open == ',' || open == ';' {
        return None;
    }
    let close = match open {
        '(' => ')',
        '[' => ']',
        '{' => '}',
        '<' => '>',
        c => c,
    };
    let mut depth = 0;
    let mut j = open_at + 1;
    while j < b.len() {
        if b[j] == '\\' {
            j += 2;
            continue;
        }
        if b[j] == open && open != close {
            depth += 1;
        } else if b[j] == close {
            if depth == 0 {
                break;
            }
            depth -= 1;
        }
        j += 1;
    }
    let text: String = b[open_at + 1..j.min(b.len())].iter().collect();
    let tok = if kind == 'x' {
        Tok::Shell(text)
    } else {
        Tok::Str(text)
    };
    Some((tok, j + 1))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn acts(lang: Lang, code: &str) -> Vec<Action> {
        actions(lang, code)
    }

    #[test]
    fn finds_tree_deletes_and_shell_outs_outside_strings_and_comments() {
        assert_eq!(
            acts(Lang::Python, "import shutil; shutil.rmtree('/')"),
            vec![Action::RemoveTree("'/'".into())]
        );
        assert_eq!(
            acts(Lang::Python, "import os\nos.system(\"rm -rf ~\")"),
            vec![Action::Shell("rm -rf ~".into())]
        );
        assert_eq!(
            acts(
                Lang::Python,
                "import subprocess; subprocess.run(['rm', '-rf', 'src'])"
            ),
            vec![Action::Shell("'rm' '-rf' 'src'".into())]
        );
        assert_eq!(
            acts(Lang::Python, "import os; os.system(f'rm -rf {d}')"),
            vec![Action::Shell(format!("rm -rf {UNKNOWN}"))]
        );
        assert!(
            acts(
                Lang::Python,
                "print('shutil.rmtree(\"/\")')  # os.system('rm -rf /')"
            )
            .is_empty()
        );
        assert_eq!(
            acts(
                Lang::Js,
                "require('fs').rmSync('src', { recursive: true, force: true })"
            ),
            vec![Action::RemoveTree("'src'".into())]
        );
        // Without `recursive: true` it deletes one file (judged as `rm -f`).
        assert_eq!(
            acts(Lang::Js, "require('fs').rmSync('a.txt')"),
            vec![Action::Remove("'a.txt'".into())]
        );
        assert_eq!(
            acts(Lang::Python, "import os\nos.unlink(p)"),
            vec![Action::Remove(UNKNOWN.into())]
        );
        // A backslash before a line break continues the string (found by the property test).
        assert_eq!(
            acts(
                Lang::Js,
                "require('child_process').execSync(\"rm \\\n -rf ~\")"
            ),
            vec![Action::Shell("rm  -rf ~".into())]
        );
        assert_eq!(
            acts(
                Lang::Js,
                "require('child_process').execSync(`rm -rf ${dir}`)"
            ),
            vec![Action::Shell("rm -rf ${dir}".into())]
        );
        assert_eq!(
            acts(
                Lang::Js,
                "const cp = require('child_process'); cp.spawnSync('rm', ['-rf', '/'])"
            ),
            vec![Action::Shell("'rm' '-rf' '/'".into())]
        );
        assert_eq!(
            acts(Lang::Perl, "use File::Path; rmtree('/home')"),
            vec![Action::RemoveTree("'/home'".into())]
        );
        assert_eq!(
            acts(Lang::Perl, "system 'rm', '-rf', $dir; print `ls`"),
            vec![
                Action::Shell(format!("'rm' '-rf' {UNKNOWN}")),
                Action::Shell("ls".into())
            ]
        );
        assert_eq!(
            acts(Lang::Perl, "qx{git push -f origin main}"),
            vec![Action::Shell("git push -f origin main".into())]
        );
        assert_eq!(
            acts(
                Lang::Ruby,
                "require 'fileutils'; FileUtils.rm_rf(\"#{Dir.home}\")"
            ),
            vec![Action::RemoveTree(quote(UNKNOWN))]
        );
        assert_eq!(
            acts(Lang::Ruby, "%x(git reset --hard)"),
            vec![Action::Shell("git reset --hard".into())]
        );
        assert_eq!(
            acts(Lang::Php, "<?php shell_exec('rm -rf /'); // system('x')"),
            vec![Action::Shell("rm -rf /".into())]
        );
    }

    #[test]
    fn names_bound_to_strings_and_temp_dirs_are_followed() {
        assert_eq!(
            acts(
                Lang::Python,
                "import shutil,tempfile; d = tempfile.mkdtemp(); shutil.rmtree(d)"
            ),
            vec![Action::RemoveTree(quote(TEMP))]
        );
        assert_eq!(
            acts(Lang::Python, "import shutil; p = 'build'; shutil.rmtree(p)"),
            vec![Action::RemoveTree("'build'".into())]
        );
        assert_eq!(
            acts(Lang::Python, "import shutil; shutil.rmtree(path)"),
            vec![Action::RemoveTree(UNKNOWN.into())]
        );
    }

    #[test]
    fn reads_the_code_from_options_clusters_and_stdin() {
        let args = |v: &[&str]| v.iter().map(|s| Arg::known(*s)).collect::<Vec<_>>();
        let code =
            |verb: &str, a: &[&str], stdin: &Stdin| code_of(verb, &args(a), stdin).map(|(_, c)| c);
        let none = Stdin::Inherited;
        assert_eq!(code("python3", &["-c", "x"], &none).as_deref(), Some("x"));
        assert_eq!(
            code("python3.12", &["-Bc", "x"], &none).as_deref(),
            Some("x")
        );
        assert_eq!(code("python3", &["script.py", "-c", "x"], &none), None);
        assert_eq!(code("python3", &["-m", "pytest"], &none), None);
        let heredoc = Stdin::Text("import shutil\n".into());
        assert_eq!(
            code("python3", &["-"], &heredoc).as_deref(),
            Some("import shutil\n")
        );
        assert_eq!(
            code("python", &[], &heredoc).as_deref(),
            Some("import shutil\n")
        );
        assert_eq!(code("node", &["-e", "x"], &none).as_deref(), Some("x"));
        assert_eq!(code("node", &["--eval=x"], &none).as_deref(), Some("x"));
        assert_eq!(code("node", &["app.js"], &heredoc), None);
        assert_eq!(code("deno", &["eval", "x"], &none).as_deref(), Some("x"));
        assert_eq!(
            code("perl", &["-ne", "x", "f"], &none).as_deref(),
            Some("x")
        );
        assert_eq!(
            code("perl", &["-e", "a", "-e", "b"], &none).as_deref(),
            Some("a\nb")
        );
        assert_eq!(
            code("perl", &["-i.bak", "-pe", "s/a/b/", "f"], &none).as_deref(),
            Some("s/a/b/")
        );
        assert_eq!(
            code("ruby", &["-rjson", "-e", "x"], &none).as_deref(),
            Some("x")
        );
        assert_eq!(code("php", &["-r", "x"], &none).as_deref(), Some("x"));
        assert_eq!(code("perl", &["script.pl"], &heredoc), None);
        assert_eq!(code("cat", &["-e", "x"], &none), None);
        // A switch cluster with a character of several bytes (panicked: a slice inside it).
        assert_eq!(code("perl", &["-é", "x"], &none), None);
        assert_eq!(
            code("ruby", &["-aé"], &heredoc).as_deref(),
            Some("import shutil\n")
        );
    }
}
