//! Commands that run other commands: wrappers (`sudo`, `env`, `timeout`, `xargs`, `find -exec`, ...)
//! and shells that take code (`bash -c`, `eval`, `su -c`, a shell reading a here-document).
//!
//! A wrapper's options are read with its own grammar. When an option is unknown, the wrapper is read
//! twice (the option as a flag, and as taking a value) and both readings are judged, so an unknown
//! flag cannot hide the command behind it.

mod exec;
mod shells;
mod specs;

use super::args::{Opt, Spec, scan};
use super::{Arg, Inner, Stdin};
pub(crate) use exec::find_starts;
pub(crate) use exec::found;
use exec::*;
use shells::*;
pub(crate) use specs::SCRIPT;
use specs::*;

/// The shells that take `-c CODE` or read a program from standard input.
pub const SHELLS: &[&str] = &[
    "sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "yash", "posh", "rbash", "fish", "tcsh",
    "csh",
];

/// Where the wrapped command starts, with the options read before it; two readings when an unknown
/// option may or may not take a value.
fn readings(args: &[Arg], spec: &Spec) -> Vec<(usize, Vec<Opt>)> {
    let first = scan(args, spec);
    let mut out = vec![(first.rest, first.opts)];
    if first.saw_unknown {
        let second = scan(
            args,
            &Spec {
                unknown_takes_value: true,
                ..*spec
            },
        );
        if second.rest != out[0].0 {
            out.push((second.rest, second.opts));
        }
    }
    out
}

fn has(opts: &[Opt], short: char, long: &str) -> bool {
    opts.iter().any(|o| match o {
        Opt::Short(c, _) => *c == short,
        Opt::Long(n, _) => super::args::long_matches(n, long),
    })
}

fn value<'a>(opts: &'a [Opt], short: char, long: &str) -> Option<&'a str> {
    opts.iter().find_map(|o| match o {
        Opt::Short(c, v) if *c == short => v.as_deref(),
        Opt::Long(n, v) if super::args::long_matches(n, long) => v.as_deref(),
        _ => None,
    })
}

fn words(args: &[Arg]) -> Option<Inner> {
    (!args.is_empty()).then(|| Inner::Words(args.to_vec()))
}

fn joined(args: &[Arg]) -> String {
    args.iter()
        .map(|a| a.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Each reading's wrapped command, through `each`.
fn simple(args: &[Arg], spec: &Spec, each: impl Fn(&[Arg], &[Opt]) -> Vec<Inner>) -> Vec<Inner> {
    readings(args, spec)
        .into_iter()
        .flat_map(|(start, opts)| each(&args[start..], &opts))
        .collect()
}

/// The command names [`unwrap`] reads (its match arms and [`SHELLS`]), sorted. Most commands are
/// no wrapper, and a binary search says so in a few comparisons instead of one per arm (about a
/// hundred). `the_wrapper_names_are_the_arms_of_unwrap` holds this list to the arms.
pub(super) const WRAPPER_NAMES: &[&str] = &[
    ".",
    "asdf",
    "ash",
    "at",
    "bash",
    "batch",
    "builtin",
    "bun",
    "bundle",
    "bunx",
    "busybox",
    "caffeinate",
    "capsh",
    "catchsegv",
    "chronic",
    "chroot",
    "chrt",
    "cmake",
    "command",
    "coproc",
    "cross-env",
    "cross-env-shell",
    "csh",
    "dash",
    "direnv",
    "doas",
    "dotenv",
    "dumb-init",
    "eatmydata",
    "env",
    "env-cmd",
    "eval",
    "exec",
    "fakeroot",
    "faketime",
    "fd",
    "fdfind",
    "find",
    "firejail",
    "fish",
    "flock",
    "gosu",
    "hatch",
    "ionice",
    "ksh",
    "linux32",
    "linux64",
    "ltrace",
    "mise",
    "mksh",
    "nice",
    "nix-shell",
    "nocache",
    "nohup",
    "npm",
    "npx",
    "nsenter",
    "numactl",
    "parallel",
    "pdm",
    "pipenv",
    "pkexec",
    "pnpm",
    "pnpx",
    "poetry",
    "posh",
    "proot",
    "rbash",
    "run0",
    "runuser",
    "rye",
    "screen",
    "script",
    "setarch",
    "setpriv",
    "setsid",
    "sg",
    "sh",
    "shx",
    "source",
    "stdbuf",
    "strace",
    "su",
    "su-exec",
    "sudo",
    "systemd-run",
    "taskset",
    "tcsh",
    "time",
    "timeout",
    "tini",
    "tmux",
    "toybox",
    "trap",
    "unbuffer",
    "unshare",
    "uv",
    "valgrind",
    "watch",
    "with-contenv",
    "xargs",
    "yarn",
    "yash",
    "zsh",
];

/// The stand-in for the words `xargs` reads when they are not known before the command runs.
pub(crate) const XARGS_INPUT: &str = "${SO_HOOK_INPUT}";

/// What `verb` runs, when it is a wrapper or an interpreter; `None` for an ordinary command.
pub fn unwrap(verb: &str, args: &[Arg], stdin: &Stdin) -> Option<Vec<Inner>> {
    if WRAPPER_NAMES.binary_search(&verb).is_err() {
        return None;
    }
    let plain = |spec: &Spec| simple(args, spec, |rest, _| words(rest).into_iter().collect());
    Some(match verb {
        "sudo" => simple(args, &SUDO, |rest, opts| {
            let mut v: Vec<Inner> = Vec::new();
            if let Some(dir) = value(opts, 'D', "chdir") {
                v.push(Inner::Cd(Arg::known(dir)));
            }
            let login = has(opts, 'i', "login");
            if login {
                // A login shell starts in the target user's home.
                v.push(Inner::Cd(unknown_dir()));
            }
            let shell = has(opts, 's', "shell") || login;
            match (shell, rest.is_empty(), stdin) {
                (true, true, Stdin::Text(t)) => v.push(Inner::Code(t.clone())),
                (true, false, _) => v.push(Inner::Code(joined(rest))),
                _ => {}
            }
            v.extend(words(rest));
            v
        }),
        "doas" => simple(args, &DOAS, |rest, opts| {
            let mut v: Vec<Inner> = words(rest).into_iter().collect();
            if has(opts, 's', "") && !rest.is_empty() {
                v.push(Inner::Code(joined(rest)));
            }
            v
        }),
        "env" => {
            // `env -` is `env -i`.
            let args: Vec<Arg> = args.iter().filter(|a| a.text != "-").cloned().collect();
            return unwrap_env(&args);
        }
        "trap" => match args.first().map(|a| a.text.as_str()) {
            None | Some("-" | "-p" | "-l" | "--") => vec![],
            Some(_) => vec![Inner::Code(args[0].text.to_string())],
        },
        "at" | "batch" => match stdin {
            Stdin::Text(t) if !args.iter().any(|a| a.text.starts_with("-f")) => {
                vec![Inner::Code(t.clone())]
            }
            _ => vec![],
        },
        "unshare" => simple(args, &UNSHARE, |rest, opts| {
            let mut v: Vec<Inner> = value(opts, 'w', "wd")
                .map(|d| Inner::Cd(Arg::known(d)))
                .into_iter()
                .collect();
            v.extend(words(rest));
            v
        }),
        "chroot" => {
            let s = scan(
                args,
                &Spec {
                    permute: false,
                    ..Spec::gnu("", &["userspec", "groups"])
                },
            );
            // Inside, paths are under the new root, and the directory is its `/`.
            let mut v = vec![Inner::Cd(unknown_dir())];
            v.extend(words(
                s.operands
                    .get(1..)
                    .map(|o| o.iter().map(|a| (*a).clone()).collect::<Vec<_>>())
                    .unwrap_or_default()
                    .as_slice(),
            ));
            v
        }
        "fakeroot" | "strace" | "ltrace" | "firejail" | "proot" | "setpriv" | "pkexec" | "run0"
        | "toybox" | "linux32" | "linux64" => plain(&TRACERS),
        "nsenter" => plain(&NSENTER),
        "tini" | "dumb-init" | "valgrind" | "numactl" | "catchsegv" | "nocache" | "faketime" => {
            // Their own options, then `--` or the command.
            let start = args
                .iter()
                .position(|a| a.text == "--")
                .map(|i| i + 1)
                .or_else(|| args.iter().position(|a| !a.text.starts_with('-')))
                .unwrap_or(args.len());
            words(&args[start..]).into_iter().collect()
        }
        // `gosu USER COMMAND...`, `su-exec USER COMMAND...`
        "gosu" | "su-exec" => words(args.get(1..).unwrap_or(&[])).into_iter().collect(),
        // Project runners: `uv run CMD`, `poetry run CMD`, `bundle exec CMD`, `npm exec -- CMD`.
        "uv" | "poetry" | "pdm" | "pipenv" | "rye" | "hatch" | "bundle" | "npm" | "pnpm"
        | "yarn" | "bun" | "mise" | "asdf" => match args.first().map(|a| a.text.as_str()) {
            Some("run" | "exec" | "x" | "dlx") => {
                let rest = &args[1..];
                let start = rest
                    .iter()
                    .position(|a| a.text == "--")
                    .map(|i| i + 1)
                    .or_else(|| rest.iter().position(|a| !a.text.starts_with('-')))
                    .unwrap_or(rest.len());
                words(&rest[start..]).into_iter().collect()
            }
            _ => return None,
        },
        // Package runners: `npx [-y] [-p PKG] CMD ...` runs CMD (a package's binary).
        "npx" | "bunx" | "pnpx" => {
            let mut i = 0;
            while let Some(a) = args.get(i) {
                match a.text.as_str() {
                    "-p" | "--package" | "-c" | "--call" => i += 2,
                    t if t.starts_with('-') => i += 1,
                    _ => break,
                }
            }
            match args.get(i.saturating_sub(2)).map(|a| a.text.as_str()) {
                Some("-c" | "--call") if i >= 2 => vec![Inner::Code(args[i - 1].text.to_string())],
                _ => {
                    // `npx prisma@5 ...` runs the package's binary `prisma`.
                    let mut rest = args[i.min(args.len())..].to_vec();
                    if let Some(first) = rest.first_mut()
                        && let Some((name, _)) = first.text.rsplit_once('@')
                        && !name.is_empty()
                    {
                        first.text = name.into();
                    }
                    words(&rest).into_iter().collect()
                }
            }
        }
        // `shx rm -rf src`: the shell command it runs, portably.
        "shx" => words(args).into_iter().collect(),
        // `tmux new -d 'CMD'`: a new session, window or pane runs the shell command given last.
        "tmux" => match args.first().map(|a| a.text.as_str()) {
            Some(
                "new" | "new-session" | "new-window" | "neww" | "split-window" | "splitw"
                | "respawn-pane" | "respawn-window" | "run-shell" | "run",
            ) => {
                let last = args[1..].last().filter(|a| !a.text.starts_with('-'));
                last.map(|a| vec![Inner::Code(a.text.to_string())])
                    .unwrap_or_default()
            }
            _ => vec![],
        },
        // `screen -dm CMD ...` (options before the command, `-S NAME` taking a value).
        "screen" => {
            let mut i = 0;
            while let Some(a) = args.get(i) {
                match a.text.as_str() {
                    "-S" | "-c" | "-p" | "-T" | "-e" | "-h" | "-t" | "-L" | "-Logfile" => i += 2,
                    t if t.starts_with('-') => i += 1,
                    _ => break,
                }
            }
            words(&args[i.min(args.len())..]).into_iter().collect()
        }
        // `fd PATTERN PATH -x CMD` / `-X CMD`: CMD runs on what fd finds below its paths.
        "fd" | "fdfind" => return fd_exec(args),
        // `nix-shell --run CODE` / `--command CODE`
        "nix-shell" => args
            .windows(2)
            .filter(|w| matches!(w[0].text.as_str(), "--run" | "--command"))
            .map(|w| Inner::Code(w[1].text.to_string()))
            .collect(),
        // `setarch ARCH [options] COMMAND...`
        "setarch" => simple(args.get(1..).unwrap_or(&[]), &TRACERS, |rest, _| {
            words(rest).into_iter().collect()
        }),
        // `capsh ... -- ARGS`: ARGS go to bash.
        "capsh" => match args.iter().position(|a| a.text == "--") {
            Some(i) => {
                let mut bash = vec![Arg::known("bash")];
                bash.extend(args[i + 1..].iter().cloned());
                vec![Inner::Words(bash)]
            }
            None => vec![],
        },
        // `cmake -E rm -rf DIR` and friends are rm.
        "cmake" if args.first().is_some_and(|a| a.text == "-E") => {
            match args.get(1).map(|a| a.text.as_str()) {
                Some("rm" | "remove") => {
                    let mut rm = vec![Arg::known("rm")];
                    rm.extend(args[2..].iter().cloned());
                    vec![Inner::Words(rm)]
                }
                Some("remove_directory" | "rm_rf") => {
                    let mut rm = vec![Arg::known("rm"), Arg::known("-rf")];
                    rm.extend(args[2..].iter().cloned());
                    vec![Inner::Words(rm)]
                }
                _ => vec![],
            }
        }
        "sg" => match args.get(1).map(|a| a.text.as_str()) {
            Some("-c") => args
                .get(2)
                .map(|c| vec![Inner::Code(c.text.to_string())])
                .unwrap_or_default(),
            Some(_) => vec![Inner::Code(joined(&args[1..]))],
            None => vec![],
        },
        // `runuser -u USER COMMAND...`, or su's form `runuser [-l] USER -c CODE`.
        "runuser" => simple(args, &RUNUSER, |rest, opts| {
            match value(opts, 'c', "command") {
                Some(code) => vec![Inner::Code(code.to_string())],
                None if has(opts, 'u', "user") => words(rest).into_iter().collect(),
                None => su(args),
            }
        }),
        "command" => simple(args, &COMMAND, |rest, opts| {
            if has(opts, 'v', "") || has(opts, 'V', "") {
                return vec![];
            }
            words(rest).into_iter().collect()
        }),
        "builtin" | "nohup" | "busybox" | "coproc" | "unbuffer" | "caffeinate" => {
            let rest = match args.first() {
                Some(a) if a.text == "--" => &args[1..],
                _ => args,
            };
            words(rest).into_iter().collect()
        }
        // Wrappers whose own options come first and take no value we need: the command follows
        // the first word that is not an option (`eatmydata CMD`, `chronic -v CMD`,
        // `dotenv -- CMD`, `cross-env NAME=V CMD`).
        "systemd-run" | "eatmydata" | "chronic" | "dotenv" | "cross-env" | "cross-env-shell"
        | "env-cmd" | "with-contenv" => {
            let mut i = 0;
            while let Some(a) = args.get(i) {
                let t = a.text.as_str();
                let valued = matches!(
                    t,
                    "-u" | "--unit"
                        | "-p"
                        | "--property"
                        | "-E"
                        | "--setenv"
                        | "-e"
                        | "-f"
                        | "--file"
                        | "-c"
                );
                if t == "--" {
                    i += 1;
                    break;
                }
                if valued {
                    i += 2;
                } else if t.starts_with('-') || super::args::is_assignment(t) {
                    i += 1;
                } else {
                    break;
                }
            }
            let rest = &args[i.min(args.len())..];
            if verb == "cross-env-shell" {
                return Some(vec![Inner::Code(joined(rest))]);
            }
            words(rest).into_iter().collect()
        }
        // `direnv exec DIR CMD ...`
        "direnv" if args.first().is_some_and(|a| a.text == "exec") => {
            words(args.get(2..).unwrap_or(&[])).into_iter().collect()
        }
        "exec" => plain(&EXEC),
        "nice" => plain(&NICE),
        "stdbuf" => plain(&STDBUF),
        "setsid" => plain(&SETSID),
        "ionice" => simple(args, &IONICE, |rest, opts| {
            if has(opts, 'p', "pid") || has(opts, 'P', "pgid") || has(opts, 'u', "uid") {
                return vec![];
            }
            words(rest).into_iter().collect()
        }),
        "time" => simple(args, &TIME, |rest, opts| {
            let mut v: Vec<Inner> = Vec::new();
            if let Some(out) = value(opts, 'o', "output")
                && !has(opts, 'a', "append")
            {
                v.push(Inner::Truncates(Arg::known(out)));
            }
            v.extend(words(rest));
            v
        }),
        "timeout" => simple(args, &TIMEOUT, |rest, _| {
            // The first operand is the duration.
            words(rest.get(1..).unwrap_or(&[])).into_iter().collect()
        }),
        "chrt" => simple(args, &CHRT, |rest, opts| {
            if has(opts, 'p', "pid") {
                return vec![];
            }
            let skip = if has(opts, 'm', "max") { 0 } else { 1 };
            words(rest.get(skip..).unwrap_or(&[])).into_iter().collect()
        }),
        "taskset" => simple(args, &TASKSET, |rest, opts| {
            if has(opts, 'p', "pid") {
                return vec![];
            }
            words(rest.get(1..).unwrap_or(&[])).into_iter().collect()
        }),
        "flock" => simple(args, &FLOCK, |rest, opts| {
            if let Some(code) = value(opts, 'c', "command") {
                return vec![Inner::Code(code.to_string())];
            }
            // flock FILE [-c CODE | COMMAND...]
            let after = rest.get(1..).unwrap_or(&[]);
            match after.first().map(|a| a.text.as_str()) {
                Some("-c" | "--command") => after
                    .get(1)
                    .map(|c| vec![Inner::Code(c.text.to_string())])
                    .unwrap_or_default(),
                _ => words(after).into_iter().collect(),
            }
        }),
        "watch" => simple(args, &WATCH, |rest, opts| {
            if rest.is_empty() {
                return vec![];
            }
            if has(opts, 'x', "exec") {
                return words(rest).into_iter().collect();
            }
            vec![Inner::Code(joined(rest))]
        }),
        "script" => simple(args, &SCRIPT, |_, opts| {
            match (value(opts, 'c', "command"), stdin) {
                (Some(c), _) => vec![Inner::Code(c.to_string())],
                // Without -c, script runs a shell that reads the rest of standard input.
                (None, Stdin::Text(t)) => vec![Inner::Code(t.clone())],
                _ => vec![],
            }
        }),
        "su" => su(args),
        "xargs" => simple(args, &XARGS, |rest, opts| {
            if rest.is_empty() {
                return vec![];
            }
            let replace = value(opts, 'I', "replace").or_else(|| {
                opts.iter().find_map(|o| match o {
                    Opt::Short('i', v) => Some(v.as_deref().unwrap_or("{}")),
                    _ => None,
                })
            });
            // The arguments come from standard input: known text, or unknown.
            let items: Vec<Arg> = match stdin {
                Stdin::Found(g) => vec![Arg {
                    text: g.as_str().into(),
                    exact: true,
                    glob: true,
                    feed: None,
                }],
                Stdin::Text(t) if replace.is_some() => t.lines().map(Arg::known).collect(),
                Stdin::Text(t) if has(opts, '0', "null") => t
                    .split('\0')
                    .filter(|s| !s.is_empty())
                    .map(Arg::known)
                    .collect(),
                Stdin::Text(t) => t.split_whitespace().map(Arg::known).collect(),
                _ => vec![Arg {
                    text: XARGS_INPUT.into(),
                    exact: false,
                    glob: false,
                    feed: None,
                }],
            };
            let Some(r) = replace else {
                let mut cmd = rest.to_vec();
                cmd.extend(items);
                let mut readings = vec![Inner::Words(cmd)];
                // Unknown input may be empty: GNU xargs then runs the command once as it is
                // (`xargs eval 'decoded | sh'`: `sh` reads the pipe). Not with `-r`.
                if !matches!(stdin, Stdin::Text(_)) && !has(opts, 'r', "no-run-if-empty") {
                    readings.push(Inner::Words(rest.to_vec()));
                }
                return readings;
            };
            // `-I R`: each input line replaces R inside any argument (also inside `sh -c` code).
            items
                .iter()
                .map(|item| {
                    Inner::Words(
                        rest.iter()
                            .map(|a| {
                                if a.text.contains(r) {
                                    Arg {
                                        text: a.text.replace(r, &item.text).into(),
                                        exact: a.exact && item.exact,
                                        glob: a.glob,
                                        feed: None,
                                    }
                                } else {
                                    a.clone()
                                }
                            })
                            .collect(),
                    )
                })
                .collect()
        }),
        "parallel" => parallel(args),
        "find" => return find_exec(args),
        "source" | "." => match args.first() {
            Some(a) if reads_stdin_file(a) => script_from(Some(stdin)),
            Some(a) => script_from(a.feed.as_deref()),
            None => vec![],
        },
        "eval" => {
            let args = match args.first() {
                Some(a) if a.text == "--" => &args[1..],
                _ => args,
            };
            if args.is_empty() {
                return Some(vec![]);
            }
            vec![Inner::Code(joined(args))]
        }
        v if SHELLS.contains(&v) => shell(args, stdin),
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
