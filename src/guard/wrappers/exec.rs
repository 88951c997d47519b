//! Commands that run a command once per input: `find -exec`, `fd -x`/`-X`, `parallel`, and what
//! `find` feeds them.

use super::*;
/// `find ... -exec CMD {} ;` (also `-execdir`, `-ok`, `-okdir`): `{}` stands for entries found below
/// the starting points.
/// What a `find` that only prints names prints, as a glob: `ROOT/**/NAME` with its one `-name`
/// test, `ROOT/**` without one; `None` when it does more than print (`-exec`, `-delete`, ...),
/// starts from several or unknown places, or its tests widen what it prints (`-o`, `!`).
pub(crate) fn found(args: &[Arg]) -> Option<String> {
    let root = match find_starts(args) {
        [] => ".".to_string(),
        [r] if r.exact && !r.glob => r.text.trim_end_matches('/').to_string(),
        _ => return None,
    };
    let acts = args.iter().any(|a| {
        let t = a.text.as_str();
        t.starts_with("-exec")
            || t.starts_with("-ok")
            || t == "-delete"
            || t.starts_with("-fprint")
            || t == "-fls"
    });
    if acts {
        return None;
    }
    Some(format!(
        "{}/**{}",
        if root.is_empty() { "/" } else { &root },
        leaf(args)
    ))
}

/// `/NAME` for a `find` with one `-name NAME` test and nothing that widens it; empty otherwise.
fn leaf(args: &[Arg]) -> String {
    let names: Vec<&str> = args
        .windows(2)
        .filter(|w| matches!(w[0].text.as_str(), "-name" | "-iname"))
        .map(|w| w[1].text.as_str())
        .collect();
    let widened = args
        .iter()
        .any(|a| matches!(a.text.as_str(), "!" | "-not" | "-o" | "-or" | ","));
    match names.as_slice() {
        [name] if !widened && !name.contains('/') => format!("/{name}"),
        _ => String::new(),
    }
}

/// `fd [OPTIONS] [PATTERN] [PATH...] (-x|-X) CMD...`: `{}` in CMD (or, without one, the argument
/// added at the end) is an entry below the paths (the current directory without one).
pub(super) fn fd_exec(args: &[Arg]) -> Option<Vec<Inner>> {
    let at = args
        .iter()
        .position(|a| matches!(a.text.as_str(), "-x" | "--exec" | "-X" | "--exec-batch"))?;
    // Options that take a value; `-e EXT` narrows what is found to one extension.
    const VALUED: &[&str] = &[
        "-t",
        "--type",
        "-e",
        "--extension",
        "-E",
        "--exclude",
        "-d",
        "--max-depth",
        "--min-depth",
        "--exact-depth",
        "-S",
        "--size",
        "--changed-within",
        "--changed-before",
        "-o",
        "--owner",
        "-j",
        "--threads",
        "--max-results",
        "-c",
        "--color",
        "--base-directory",
        "--search-path",
        "--path-separator",
        "--ignore-file",
    ];
    let mut before: Vec<&Arg> = Vec::new();
    let mut extensions: Vec<String> = Vec::new();
    let mut search_paths: Vec<String> = Vec::new();
    let mut i = 0;
    while i < at {
        let t = args[i].text.as_str();
        if VALUED.contains(&t) {
            if let Some(v) = args.get(i + 1).filter(|_| i + 1 < at) {
                match t {
                    "-e" | "--extension" => extensions.push(v.text.to_string()),
                    "--search-path" => search_paths.push(v.text.to_string()),
                    _ => {}
                }
            }
            i += 2;
            continue;
        }
        if !t.starts_with('-') {
            before.push(&args[i]);
        }
        i += 1;
    }
    let mut paths: Vec<String> = before
        .iter()
        .skip(1)
        .map(|a| a.text.trim_end_matches('/').to_string())
        .collect();
    paths.extend(search_paths);
    let leaf = match extensions.as_slice() {
        [ext] => format!("/*.{}", ext.trim_start_matches('.')),
        _ => String::new(),
    };
    let roots = if paths.is_empty() {
        vec![".".to_string()]
    } else {
        paths
    };
    let cmd = &args[at + 1..];
    if cmd.is_empty() {
        return Some(vec![]);
    }
    let mut out = Vec::new();
    for root in roots {
        let found = Arg {
            text: format!("{root}/**{leaf}").into(),
            exact: true,
            glob: true,
            feed: None,
        };
        let mut filled: Vec<Arg> = cmd
            .iter()
            .map(|a| {
                if a.text.contains("{}") {
                    Arg {
                        text: a.text.replace("{}", &found.text).into(),
                        glob: true,
                        ..a.clone()
                    }
                } else {
                    a.clone()
                }
            })
            .collect();
        if !cmd.iter().any(|a| a.text.contains("{}")) {
            filled.push(found);
        }
        out.push(Inner::Words(filled));
    }
    Some(out)
}

/// `find`'s starting points: its arguments up to the first option, test or operator.
pub(crate) fn find_starts(args: &[Arg]) -> &[Arg] {
    let n = args
        .iter()
        .take_while(|a| !(a.text.starts_with('-') || matches!(a.text.as_str(), "!" | "(" | ",")))
        .count();
    &args[..n]
}

pub(super) fn find_exec(args: &[Arg]) -> Option<Vec<Inner>> {
    let starts = find_starts(args);
    let mut out = Vec::new();
    let mut i = starts.len();
    while i < args.len() {
        let t = args[i].text.as_str();
        if matches!(t, "-exec" | "-execdir" | "-ok" | "-okdir") {
            let cmd_start = i + 1;
            let mut end = cmd_start;
            while end < args.len() && !matches!(args[end].text.as_str(), ";" | "+") {
                end += 1;
            }
            let cmd = &args[cmd_start..end.min(args.len())];
            let roots: Vec<Arg> = if starts.is_empty() {
                vec![Arg::known(".")]
            } else {
                starts.iter().map(|a| (*a).clone()).collect()
            };
            // With one `-name PATTERN` test and nothing to widen it, `{}` is an entry of that name.
            let leaf = leaf(args);
            for root in roots {
                // `{}` is any entry below the starting point, also inside `sh -c '... {}'`.
                let found = format!("{}/**{leaf}", root.text.trim_end_matches('/'));
                let filled: Vec<Arg> = cmd
                    .iter()
                    .map(|a| {
                        if a.text.contains("{}") {
                            Arg {
                                text: a.text.replace("{}", &found).into(),
                                exact: a.exact && root.exact,
                                glob: true,
                                feed: None,
                            }
                        } else {
                            a.clone()
                        }
                    })
                    .collect();
                if !filled.is_empty() {
                    out.push(Inner::Words(filled));
                }
            }
            i = end + 1;
            continue;
        }
        i += 1;
    }
    if out.is_empty() { None } else { Some(out) }
}

/// GNU parallel: `parallel [options] COMMAND [::: ARGS...]`, or arguments from standard input.
pub(super) fn parallel(args: &[Arg]) -> Vec<Inner> {
    const VALUES: &[&str] = &[
        "-j",
        "--jobs",
        "-S",
        "--sshlogin",
        "-a",
        "--arg-file",
        "-I",
        "--colsep",
        "-d",
        "--delimiter",
        "-n",
        "-N",
        "-L",
        "--max-args",
        "--env",
        "--joblog",
        "--results",
        "--workdir",
        "--tmpdir",
        "-P",
        "--max-procs",
        "--timeout",
        "--delay",
        "--retries",
        "--halt",
        "--memfree",
        "--load",
        "--nice",
        "--sshloginfile",
        "--basefile",
        "--transferfile",
        "--return",
        "--tagstring",
        "--rpl",
        "--termseq",
        "--limit",
        "--shebang-wrap",
    ];
    let mut i = 0;
    while i < args.len() && args[i].text.starts_with('-') {
        if VALUES.contains(&args[i].text.as_str()) {
            i += 1;
        }
        i += 1;
    }
    let rest = &args[i.min(args.len())..];
    let sep = rest
        .iter()
        .position(|a| a.text.starts_with(":::"))
        .unwrap_or(rest.len());
    let (cmd, inputs) = (&rest[..sep], rest.get(sep + 1..).unwrap_or(&[]));
    if cmd.is_empty() {
        // With no command, each input is a command line of its own.
        return inputs
            .iter()
            .map(|a| Inner::Code(a.text.to_string()))
            .collect();
    }
    let fills: Vec<Arg> = if inputs.is_empty() {
        vec![Arg {
            text: "$(parallel-input)".into(),
            exact: false,
            glob: false,
            feed: None,
        }]
    } else {
        inputs.to_vec()
    };
    let mut out = Vec::new();
    for fill in fills {
        let mut filled: Vec<Arg> = Vec::new();
        let mut used = false;
        for a in cmd {
            if a.text.contains("{}") {
                used = true;
                filled.push(Arg {
                    text: a.text.replace("{}", &fill.text).into(),
                    exact: a.exact && fill.exact,
                    glob: a.glob || fill.glob,
                    feed: None,
                });
            } else {
                filled.push(a.clone());
            }
        }
        if !used {
            filled.push(fill.clone());
        }
        out.push(Inner::Code(joined(&filled)));
        out.push(Inner::Words(filled));
    }
    out
}
