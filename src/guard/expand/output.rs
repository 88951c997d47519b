//! Pipe data flow: what a command writes to its standard output when that is known text (echo,
//! printf, cat of known text, base64 -d, a download's marker), for the command it feeds.

use super::*;

/// What a command writes to its standard output when that is known text; `input` is what it reads.
pub(crate) fn output_of(cmd: &Command, scope: &Scope, input: &Stdin) -> Stdin {
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
pub(crate) fn pipeline_output(p: &Pipeline, scope: &Scope, input: &Stdin) -> Stdin {
    let mut data = input.clone();
    for cmd in &p.commands {
        data = output_of(cmd, scope, &data);
    }
    data
}

/// Whether `verb ARGS` writes text fetched from the network or decoded from an encoding.
pub(super) fn fetches(verb: &str, args: &[&str]) -> bool {
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

pub(super) fn simple_output(sc: &SimpleCommand, scope: &Scope, input: &Stdin) -> Stdin {
    let mut words: Vec<Arg> = resolve(sc.words.iter(), scope);
    let input = stdin_of(&sc.redirects, scope).unwrap_or_else(|| input.clone());
    // A wrapper passes the output of the command it runs (`nohup echo ...`, `sudo cat`).
    for _ in 0..crate::guard::MAX_WRAPPERS {
        let Some(verb) = words
            .first()
            .and_then(|w| w.value())
            .map(crate::guard::command_name)
        else {
            break;
        };
        let inner =
            crate::guard::wrappers::unwrap(verb, &words[1..], &input).and_then(|readings| {
                readings.into_iter().find_map(|r| match r {
                    crate::guard::Inner::Words(w) if !w.is_empty() => Some(w),
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
        .map(crate::guard::command_name);
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
        Some("find") => {
            crate::guard::wrappers::found(&words[1..]).map_or(Stdin::Unknown, Stdin::Found)
        }
        Some("pwd") => match &scope.cwd {
            Some(c) => Stdin::Text(format!("{}\n", c.display())),
            None => Stdin::Unknown,
        },
        _ => Stdin::Unknown,
    }
}

/// Standard base64 (blanks ignored, padding optional) to UTF-8 text; `None` for anything else.
pub(super) fn base64_decode(text: &str) -> Option<String> {
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
pub(super) fn mktemp(args: &[Arg], scope: &Scope) -> String {
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

/// What `printf FORMAT ARGS...` prints, as far as it matters for code piped into a shell: `%s`-like
/// conversions take the arguments in turn, the format repeats while arguments remain, and `\n`,
/// `\t` and `%%` are decoded. `None` when the output would pass [`MAX_EXPANDED`] (the format
/// repeats per argument, so a short command can print far more than its own length).
pub(crate) fn printf(args: &[&str]) -> Option<String> {
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
