//! Commands that run other commands: wrappers (`sudo`, `env`, `timeout`, `xargs`, `find -exec`, ...)
//! and shells that take code (`bash -c`, `eval`, `su -c`, a shell reading a here-document).
//!
//! A wrapper's options are read with its own grammar. When an option is unknown, the wrapper is read
//! twice (the option as a flag, and as taking a value) and both readings are judged, so an unknown
//! flag cannot hide the command behind it.

use super::args::{Opt, Spec, scan};
use super::{Arg, Inner, Stdin};

/// A wrapper's option grammar: the options that take a value, and the flags that do not (so that an
/// unknown option can be read both ways). Its first operand starts the wrapped command.
const fn w(
    short_values: &'static str,
    short_flags: &'static str,
    long_values: &'static [&'static str],
    long_flags: &'static [&'static str],
) -> Spec<'static> {
    Spec {
        short_values,
        long_values,
        permute: false,
        flags: Some((short_flags, long_flags)),
        unknown_takes_value: false,
        assigns: false,
    }
}

const SUDO: Spec = Spec {
    assigns: true,
    ..w(
        "CDghprRTUu",
        "AbBEHiKklnNPSsVve",
        &[
            "chdir",
            "close-from",
            "group",
            "host",
            "prompt",
            "role",
            "type",
            "command-timeout",
            "other-user",
            "user",
            "chroot",
        ],
        &[
            "askpass",
            "background",
            "bell",
            "preserve-env",
            "set-home",
            "login",
            "remove-timestamp",
            "reset-timestamp",
            "non-interactive",
            "preserve-groups",
            "stdin",
            "shell",
            "validate",
            "edit",
        ],
    )
};
const DOAS: Spec = w("uC", "ns", &[], &[]);
const ENV: Spec = Spec {
    assigns: true,
    ..w(
        "uCSP",
        "i0v",
        &["unset", "chdir", "split-string"],
        &[
            "ignore-environment",
            "null",
            "debug",
            "ignore-signal",
            "default-signal",
            "block-signal",
            "list-signal-handling",
        ],
    )
};
const NICE: Spec = w("n", "0123456789", &["adjustment"], &[]);
const TIME: Spec = w(
    "of",
    "pvaq",
    &["output", "format"],
    &["append", "portability", "verbose", "quiet"],
);
const TIMEOUT: Spec = w(
    "sk",
    "v",
    &["signal", "kill-after"],
    &["preserve-status", "foreground", "verbose"],
);
const STDBUF: Spec = w("ioe", "", &["input", "output", "error"], &[]);
const IONICE: Spec = w(
    "cnpPu",
    "t",
    &["class", "classdata", "pid", "pgid", "uid"],
    &["ignore"],
);
const SETSID: Spec = w("", "cfw", &[], &["ctty", "fork", "wait"]);
const FLOCK: Spec = w(
    "wEc",
    "sexunoF",
    &["timeout", "conflict-exit-code", "command"],
    &[
        "shared",
        "exclusive",
        "unlock",
        "nonblock",
        "close",
        "no-fork",
        "verbose",
    ],
);
const WATCH: Spec = w(
    "nqd",
    "bcegptwx",
    &["interval"],
    &[
        "beep",
        "color",
        "errexit",
        "chgexit",
        "precise",
        "no-title",
        "no-wrap",
        "exec",
        "differences",
    ],
);
const XARGS: Spec = w(
    "adEILnPs",
    "0oprtxil",
    &[
        "arg-file",
        "delimiter",
        "max-lines",
        "max-args",
        "max-procs",
        "max-chars",
        "process-slot-var",
        "replace",
        "eof",
    ],
    &[
        "null",
        "no-run-if-empty",
        "open-tty",
        "interactive",
        "verbose",
        "exit",
    ],
);
const EXEC: Spec = w("a", "cl", &[], &[]);
/// Programs that run a command under observation or in a changed environment.
const TRACERS: Spec = w(
    "oepsuEaIbOSPXC",
    "fFcCdhqrtTvVwxyzDkinmUl",
    &[
        "output",
        "user",
        "env",
        "mount",
        "pid",
        "root",
        "wd",
        "setgroups",
    ],
    &[
        "fork",
        "map-root-user",
        "map-current-user",
        "user",
        "net",
        "ipc",
        "uts",
        "mount-proc",
        "kill-child",
    ],
);
const UNSHARE: Spec = w(
    "wSGR",
    "fmuinpUCrTc",
    &["wd", "setuid", "setgid", "root", "propagation", "setgroups"],
    &[
        "fork",
        "mount",
        "uts",
        "ipc",
        "net",
        "pid",
        "user",
        "cgroup",
        "time",
        "map-root-user",
        "map-current-user",
        "kill-child",
        "mount-proc",
    ],
);
const NSENTER: Spec = w(
    "tSG",
    "amuinpUCrwFZ",
    &["target", "setuid", "setgid"],
    &[
        "all", "mount", "uts", "ipc", "net", "pid", "user", "cgroup", "time", "root", "wd",
    ],
);
const RUNUSER: Spec = w(
    "ugGcsw",
    "lmpfP",
    &[
        "user",
        "group",
        "supp-group",
        "command",
        "shell",
        "whitelist-environment",
    ],
    &["login", "preserve-environment", "pty"],
);
const COMMAND: Spec = w("", "pvV", &[], &[]);
const CHRT: Spec = w(
    "T",
    "abdefiomprRv",
    &["sched-runtime", "sched-period", "sched-deadline"],
    &[
        "all-tasks",
        "batch",
        "deadline",
        "fifo",
        "idle",
        "other",
        "rr",
        "reset-on-fork",
        "verbose",
        "max",
        "pid",
    ],
);
const TASKSET: Spec = w("", "acp", &[], &["all-tasks", "cpu-list", "pid"]);
pub(super) const SCRIPT: Spec = w(
    "cEIOBTm",
    "aefq",
    &[
        "command",
        "echo",
        "log-in",
        "log-out",
        "log-io",
        "log-timing",
        "logging-format",
    ],
    &["append", "return", "flush", "force", "quiet"],
);
const SU: Spec = w(
    "cgGswC",
    "lmpfP",
    &[
        "command",
        "session-command",
        "group",
        "supp-group",
        "shell",
        "whitelist-environment",
    ],
    &["login", "preserve-environment", "pty", "fast"],
);

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

/// `env [OPTIONS] [NAME=VALUE]... [COMMAND...]`, with `-S` splitting a string into the command.
fn unwrap_env(args: &[Arg]) -> Option<Vec<Inner>> {
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
fn split_string(s: &str) -> Vec<String> {
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
fn unknown_dir() -> Arg {
    Arg {
        text: "~user".into(),
        exact: false,
        glob: false,
        feed: None,
    }
}

/// `su [options] [USER] -c CODE`: su takes its options anywhere (`su - deploy -c CODE`).
fn su(args: &[Arg]) -> Vec<Inner> {
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
fn reads_stdin_file(a: &Arg) -> bool {
    matches!(
        a.text.as_str(),
        "/dev/stdin" | "/proc/self/fd/0" | "/dev/fd/0" | "-"
    )
}

/// `bash [options] -c CODE [name args...]`, `bash -s`, `bash` reading a here-document or a pipe.
fn shell(args: &[Arg], stdin: &Stdin) -> Vec<Inner> {
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
fn script_from(source: Option<&Stdin>) -> Vec<Inner> {
    match source {
        Some(Stdin::Text(t)) => vec![Inner::Code(t.clone())],
        Some(Stdin::Fetched(from)) => vec![Inner::Opaque(from)],
        _ => vec![],
    }
}

/// `find ... -exec CMD {} ;` (also `-execdir`, `-ok`, `-okdir`): `{}` stands for entries found below
/// the starting points.
/// What a `find` that only prints names prints, as a glob: `ROOT/**/NAME` with its one `-name`
/// test, `ROOT/**` without one; `None` when it does more than print (`-exec`, `-delete`, ...),
/// starts from several or unknown places, or its tests widen what it prints (`-o`, `!`).
pub(super) fn found(args: &[Arg]) -> Option<String> {
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
pub(super) fn leaf(args: &[Arg]) -> String {
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
fn fd_exec(args: &[Arg]) -> Option<Vec<Inner>> {
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

fn find_exec(args: &[Arg]) -> Option<Vec<Inner>> {
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
fn parallel(args: &[Arg]) -> Vec<Inner> {
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
