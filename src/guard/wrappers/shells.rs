//! Shells and `env`, `su`: code handed on as a string (`bash -c`, `sh` reading a here-document or
//! a file, `env -S`, `su -c`).

use super::*;
/// `env [OPTIONS] [NAME=VALUE]... [COMMAND...]`, with `-S` splitting a string into the command.
pub(super) fn unwrap_env(args: &[Arg]) -> Option<Vec<Inner>> {
    Some(simple(args, &ENV, |rest, opts| {
        let mut out = Vec::new();
        if let Some(dir) = value(opts, 'C', "chdir") {
            out.push(Inner::Cd(Arg::known(dir)));
        }
        if let Some(s) = value(opts, 'S', "split-string") {
            // The split words are env's own arguments again (options, assignments, the command),
            // followed by the rest of the command line.
            let mut again: Vec<Arg> = vec![Arg::known("env")];
            again.extend(split_string(s).into_iter().map(Arg::known));
            again.extend(rest.iter().cloned());
            out.push(Inner::Words(again));
            return out;
        }
        out.extend(words(rest));
        out
    }))
}

/// `env -S STRING` splitting: blanks separate, quotes group, `\_` is a blank, `\c` ends the
/// string, `#` at the start of a word comments out the rest.
pub(super) fn split_string(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut started = false;
    let mut quote: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"') | None, '\\') => match chars.next() {
                Some('_') if quote.is_none() && started => {
                    out.push(std::mem::take(&mut cur));
                    started = false;
                }
                Some('_') if quote.is_none() => {}
                Some('_') => cur.push(' '),
                Some('c') => break,
                Some('n') => cur.push('\n'),
                Some('t') => cur.push('\t'),
                Some(o) => {
                    cur.push(o);
                    started = true;
                }
                None => {}
            },
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                started = true;
            }
            (None, ' ' | '\t' | '\n') => {
                if started {
                    out.push(std::mem::take(&mut cur));
                    started = false;
                }
            }
            (None, '#') if !started => break,
            (None, c) => {
                cur.push(c);
                started = true;
            }
        }
    }
    if started {
        out.push(cur);
    }
    out
}

/// A directory that cannot be known (a user's home after a login).
pub(super) fn unknown_dir() -> Arg {
    Arg {
        text: "~user".into(),
        exact: false,
        glob: false,
        feed: None,
    }
}

/// `su [options] [USER] -c CODE`: su takes its options anywhere (`su - deploy -c CODE`).
pub(super) fn su(args: &[Arg]) -> Vec<Inner> {
    let s = scan(
        args,
        &Spec {
            permute: true,
            ..SU
        },
    );
    let login = s.has('l', "login") || s.operands.iter().any(|a| a.text == "-");
    let mut v: Vec<Inner> = Vec::new();
    if login {
        v.push(Inner::Cd(unknown_dir()));
    }
    v.extend(
        s.values('c', "command")
            .chain(s.values('\0', "session-command"))
            .map(|c| Inner::Code(c.to_string())),
    );
    v
}

/// `/dev/stdin`, `/proc/self/fd/0` or `-` as a script: the program is read from standard input.
pub(super) fn reads_stdin_file(a: &Arg) -> bool {
    matches!(
        a.text.as_str(),
        "/dev/stdin" | "/proc/self/fd/0" | "/dev/fd/0" | "-"
    )
}

/// `bash [options] -c CODE [name args...]`, `bash -s`, `bash` reading a here-document or a pipe.
pub(super) fn shell(args: &[Arg], stdin: &Stdin) -> Vec<Inner> {
    let mut i = 0;
    let mut code_flag = false;
    let mut reads_stdin = false;
    while i < args.len() {
        let a = &args[i];
        let t = a.text.as_str();
        if !a.exact {
            break;
        }
        if t == "--" || t == "-" {
            i += 1;
            break;
        }
        if let Some(long) = t.strip_prefix("--") {
            if matches!(long, "rcfile" | "init-file") {
                i += 1;
            }
            i += 1;
            continue;
        }
        if (t.starts_with('-') || t.starts_with('+')) && t.len() > 1 {
            let body = &t[1..];
            if body.contains('c') {
                code_flag = true;
            }
            if body.contains('s') {
                reads_stdin = true;
            }
            // -o OPTION and -O SHOPT take a value.
            if body.ends_with('o') || body.ends_with('O') {
                i += 1;
            }
            i += 1;
            continue;
        }
        break;
    }
    if code_flag {
        // `bash -c CODE NAME ARGS...`: NAME is `$0`, ARGS are `$1`...
        return match args.get(i) {
            Some(code) => vec![Inner::Script(
                code.text.to_string(),
                args.get(i + 2..).unwrap_or(&[]).to_vec(),
            )],
            None => vec![],
        };
    }
    if i < args.len() && !reads_stdin && !reads_stdin_file(&args[i]) {
        // `bash script.sh`: the file's content is not ours to see, unless it is `<(echo ...)` (or
        // a download, `<(curl URL)`, which no one can see).
        return script_from(args[i].feed.as_deref());
    }
    script_from(Some(stdin))
}

/// What a shell runs when it reads its script from `source`: known text, or code from a download
/// or a decoder that no one can read first.
pub(super) fn script_from(source: Option<&Stdin>) -> Vec<Inner> {
    match source {
        Some(Stdin::Text(t)) => vec![Inner::Code(t.clone())],
        Some(Stdin::Fetched(from)) => vec![Inner::Opaque(from)],
        _ => vec![],
    }
}
