//! The writer catalogue: what each known command does to the files it names (truncates,
//! changes, deletes, moves away, re-modes), for the effect table (`effects`), the protected files
//! and the control plane (`files`), and the wave's scope (`writes`).

use super::files::{Effect, operand, touched};
use super::settings::in_home;
use crate::guard::args::{Spec, scan, valued};
use crate::guard::{Arg, Scope, Target, Unit, Walker, basename, target};
use std::path::PathBuf;

/// Where a move puts content that is not disposable, with its class: it keeps that class there
/// (`mv src node_modules && rm -rf node_modules` deletes project content). Into an existing
/// directory, each source lands under its own name.
pub(super) fn moved<S: std::borrow::Borrow<Arg>>(
    w: &Walker,
    sources: &[S],
    dest: &Arg,
    scope: &Scope,
) -> Vec<(PathBuf, crate::guard::class::Class)> {
    use crate::guard::class::{Class, classify};
    let Target::Path(to) = target(dest, scope) else {
        return Vec::new();
    };
    let into = to.is_dir();
    sources
        .iter()
        .filter_map(|src| {
            let src: &Arg = src.borrow();
            let class = classify(&operand(src, scope), w.ctx());
            (class != Class::Disposable).then(|| {
                let at = if into {
                    to.join(basename(&src.text))
                } else {
                    to.clone()
                };
                (at, class)
            })
        })
        .collect()
}

/// Programs that write a file named by an option.
struct Outputs {
    verb: &'static str,
    /// Short and long options that take a value (so the scan reads them right).
    short_values: &'static str,
    long_values: &'static [&'static str],
    /// Those among them that name a file the program writes from the start.
    short_out: &'static str,
    long_out: &'static [&'static str],
}

/// Programs whose `-o FILE` (or `--output FILE`) is a file they write from the start.
const DASH_O: &[&str] = &[
    "iconv", "uudecode", "pandoc", "gcc", "g++", "cc", "c++", "clang", "clang++", "ld", "strace",
    "ltrace", "psql", "less", "perf",
];

const OUTPUTS: &[Outputs] = &[
    Outputs {
        verb: "sort",
        short_values: "kotST",
        long_values: &[
            "key",
            "output",
            "field-separator",
            "buffer-size",
            "temporary-directory",
        ],
        short_out: "o",
        long_out: &["output"],
    },
    Outputs {
        verb: "shuf",
        short_values: "oin",
        long_values: &["output", "input-range", "head-count", "random-source"],
        short_out: "o",
        long_out: &["output"],
    },
    Outputs {
        verb: "curl",
        short_values: "oDcKuHdXAeEbmrTwxyzYFCU",
        long_values: &[
            "output",
            "dump-header",
            "cookie-jar",
            "stderr",
            "trace",
            "trace-ascii",
            "libcurl",
            "etag-save",
            "config",
            "user",
            "header",
            "data",
            "request",
            "user-agent",
            "referer",
            "cert",
            "cookie",
            "max-time",
            "range",
            "upload-file",
            "write-out",
            "proxy",
        ],
        short_out: "oDc",
        long_out: &[
            "output",
            "dump-header",
            "cookie-jar",
            "stderr",
            "trace",
            "trace-ascii",
            "libcurl",
            "etag-save",
        ],
    },
    Outputs {
        verb: "wget",
        short_values: "OoaPe",
        long_values: &[
            "output-document",
            "output-file",
            "append-output",
            "directory-prefix",
        ],
        short_out: "Oo",
        long_out: &["output-document", "output-file"],
    },
    Outputs {
        verb: "zstd",
        short_values: "oD",
        long_values: &["output"],
        short_out: "o",
        long_out: &["output"],
    },
];

/// Commands that truncate, overwrite, move, change or delete the files they name.
pub fn commands(
    w: &mut Walker,
    unit: &Unit,
    scope: &Scope,
    verb: &str,
    git_inv: Option<&super::git::Invocation>,
) {
    let args = unit.args();
    let gnu = |short_values: &'static str, long_values: &'static [&'static str]| {
        scan(args, &Spec::gnu(short_values, long_values))
    };
    let owned = |v: Vec<&Arg>| -> Vec<Arg> { v.into_iter().cloned().collect() };
    let mut touched_args: Vec<(Arg, Effect)> = Vec::new();
    // Classes that moves carry to their destinations, for the commands after this one.
    let mut carries = Vec::new();
    let mut all = |v: Vec<Arg>, e: Effect| touched_args.extend(v.into_iter().map(|a| (a, e)));
    if DASH_O.contains(&verb) {
        let s = gnu(
            "oOLfeIlDxSuETP",
            &["output", "output-file", "log-file", "LOG-FILE"],
        );
        let mut files: Vec<Arg> = s.values('o', "output").map(|v| valued(args, v)).collect();
        files.extend(s.values('\0', "output-file").map(|v| valued(args, v)));
        if matches!(verb, "psql" | "less") {
            files.extend(s.values('L', "log-file").map(|v| valued(args, v)));
            files.extend(s.values('O', "LOG-FILE").map(|v| valued(args, v)));
        }
        all(files, Effect::Truncates);
    }
    // `openssl CMD -out FILE`, `socat ... OPEN:FILE,trunc`, and tools whose second operand is an
    // output file.
    match verb {
        "openssl" => {
            let outs = args
                .windows(2)
                .filter(|w| matches!(w[0].text.as_str(), "-out" | "-keyout"))
                .map(|w| w[1].clone())
                .collect();
            all(outs, Effect::Truncates);
        }
        "socat" => {
            let outs = args
                .iter()
                .filter(|a| !a.text.starts_with('-'))
                .filter_map(|a| {
                    let t = a.text.as_str();
                    let path = [
                        "OPEN:", "CREATE:", "CREAT:", "GOPEN:", "open:", "create:", "gopen:",
                    ]
                    .iter()
                    .find_map(|p| t.strip_prefix(p))
                    .or_else(|| t.starts_with('/').then_some(t))?;
                    Some(Arg::known(path.split(',').next().unwrap_or(path)))
                })
                .collect();
            all(outs, Effect::Truncates);
        }
        "xxd" if args.iter().any(|a| a.text.starts_with("-r")) => {
            let s = gnu("cglos", &[]);
            all(
                owned(s.operands.into_iter().skip(1).take(1).collect()),
                Effect::Truncates,
            );
        }
        "dos2unix" | "unix2dos" | "mac2unix" => {
            // `-n IN OUT` pairs; otherwise each file is rewritten in place.
            let mut out = Vec::new();
            let mut it = args.iter().peekable();
            while let Some(a) = it.next() {
                if a.text == "-n" || a.text == "--newfile" {
                    let _input = it.next();
                    out.extend(it.next().cloned());
                } else if !a.text.starts_with('-') {
                    out.push(a.clone());
                }
            }
            all(out, Effect::Truncates);
        }
        "fallocate"
            if args.iter().any(|a| {
                matches!(
                    a.text.as_str(),
                    "-p" | "--punch-hole"
                        | "-z"
                        | "--zero-range"
                        | "-c"
                        | "--collapse-range"
                        | "-i"
                        | "--insert-range"
                )
            }) =>
        {
            let s = gnu("lo", &["length", "offset"]);
            all(owned(s.operands), Effect::Truncates);
        }
        "awk" | "gawk"
            if args
                .windows(2)
                .any(|w| w[0].text == "-i" && w[1].text == "inplace") =>
        {
            // After the program, every operand is rewritten.
            let files = args
                .iter()
                .filter(|a| !a.text.starts_with('-') && a.text != "inplace")
                .skip(1)
                .cloned()
                .collect();
            all(files, Effect::Truncates);
        }
        "ed" | "ex" | "vim" | "vi" | "nvim" => {
            // Scripted editing (`ed -s F`, `ex -sc '%d|x' F`, `vim -es -c ...`): the files are
            // rewritten.
            let scripted = verb == "ed"
                || args.iter().any(|a| {
                    a.text.starts_with("-e")
                        || a.text.starts_with("-s")
                        || a.text == "-c"
                        || a.text.starts_with('+')
                });
            if scripted {
                let s = gnu("cSuiTw", &["cmd"]);
                all(
                    owned(
                        s.operands
                            .into_iter()
                            .filter(|a| !a.text.starts_with('+'))
                            .collect(),
                    ),
                    Effect::Truncates,
                );
            }
        }
        _ => {}
    }
    if let Some(o) = OUTPUTS.iter().find(|o| o.verb == verb) {
        let s = gnu(o.short_values, o.long_values);
        let mut files: Vec<Arg> = Vec::new();
        for c in o.short_out.chars() {
            files.extend(s.values(c, "\0").map(|v| valued(args, v)));
        }
        for l in o.long_out {
            files.extend(s.values('\0', l).map(|v| valued(args, v)));
        }
        // `curl -O URL` saves under the URL's last path segment.
        if verb == "curl" && (s.has_short('O') || s.has_long("remote-name")) {
            for url in &s.operands {
                let name = url.text.split(['?', '#']).next().unwrap_or("");
                if let Some(last) = name.rsplit('/').next().filter(|l| !l.is_empty()) {
                    files.push(Arg::known(last));
                }
            }
        }
        // What curl and wget save is code no one has read, should the line run it later.
        if matches!(verb, "curl" | "wget") {
            for f in &files {
                if let Target::Path(p) = target(f, scope) {
                    w.downloaded(p);
                }
            }
        }
        all(files, Effect::Truncates);
    }
    match verb {
        "truncate" => {
            let s = gnu("sr", &["size", "reference"]);
            let grows = s
                .value('s', "size")
                .is_some_and(|v| v.starts_with('+') || v.starts_with('>'));
            let e = if grows {
                Effect::Changes
            } else {
                Effect::Truncates
            };
            all(owned(s.operands), e);
        }
        "tee" | "sponge" => {
            let s = gnu("", &["output-error"]);
            let e = if s.has('a', "append") {
                Effect::Changes
            } else {
                Effect::Truncates
            };
            all(owned(s.operands), e);
        }
        "uniq" => {
            let s = gnu(
                "fsw",
                &["skip-fields", "skip-chars", "check-chars", "group"],
            );
            all(
                owned(s.operands.into_iter().skip(1).take(1).collect()),
                Effect::Truncates,
            );
        }
        "script" => {
            let s = scan(
                args,
                &Spec {
                    permute: true,
                    ..crate::guard::wrappers::SCRIPT
                },
            );
            let e = if s.has('a', "append") {
                Effect::Changes
            } else {
                Effect::Truncates
            };
            let mut files = owned(s.operands.iter().take(1).copied().collect());
            for (c, l) in [
                ('O', "log-out"),
                ('B', "log-io"),
                ('T', "log-timing"),
                ('I', "log-in"),
            ] {
                files.extend(s.values(c, l).map(|v| valued(args, v)));
            }
            all(files, e);
        }
        "find" => {
            let files: Vec<Arg> = args
                .windows(2)
                .filter(|p| {
                    matches!(
                        p[0].text.as_str(),
                        "-fprint" | "-fprint0" | "-fprintf" | "-fls"
                    )
                })
                .map(|p| p[1].clone())
                .collect();
            all(files, Effect::Truncates);
        }
        "install"
            if args.iter().any(|a| {
                a.text == "--directory"
                    || (a.text.starts_with('-')
                        && !a.text.starts_with("--")
                        && a.text.contains('d'))
            }) =>
        {
            // `install -d DIR...` makes directories, and sets their owner and mode when told.
            let s = gnu("tSmogbZ", &["mode", "owner", "group", "suffix", "context"]);
            let e = if s.has('m', "mode") || s.has('o', "owner") || s.has('g', "group") {
                Effect::Modes { below: false }
            } else {
                Effect::Creates
            };
            all(owned(s.operands), e);
        }
        "cp" | "mv" | "install" | "ln" | "rsync" => {
            let s = gnu(
                "tSmogb",
                &[
                    "target-directory",
                    "suffix",
                    "mode",
                    "owner",
                    "group",
                    "backup",
                ],
            );
            let (sources, dest): (Vec<&Arg>, Option<Arg>) = match s.value('t', "target-directory") {
                Some(d) => (s.operands.clone(), Some(Arg::known(d))),
                None => match s.operands.split_last() {
                    Some((last, rest)) => (rest.to_vec(), Some((*last).clone())),
                    None => (vec![], None),
                },
            };
            let moving = verb == "mv"
                || (verb == "rsync" && args.iter().any(|a| a.text == "--remove-source-files"));
            // What is already at the destination stays: `ln` without `-f` fails there, `cp -n`
            // and `mv -n` skip it (ln's own `-n` means something else).
            let keeps = if verb == "ln" {
                !s.has('f', "force")
            } else {
                verb != "rsync"
                    && (s.has('n', "no-clobber") || args.iter().any(|a| a.text == "--update=none"))
            };
            let over = if keeps {
                Effect::Creates
            } else {
                Effect::Truncates
            };
            if let Some(dest) = dest {
                if moving {
                    carries.extend(moved(w, &sources, &dest, scope));
                }
                // Into an existing directory, each source lands under its own name.
                let into_dir = matches!(target(&dest, scope), Target::Path(p) if p.is_dir());
                if into_dir {
                    for src in &sources {
                        let name = basename(&src.text);
                        let joined = Arg {
                            text: format!("{}/{name}", dest.text.trim_end_matches('/')).into(),
                            exact: dest.exact && src.exact,
                            glob: src.glob,
                            feed: None,
                        };
                        // A directory moved or copied into place replaces what is below it too.
                        // (A glob source names what the source holds, not what is here: for
                        // protected files only a literal name counts.)
                        all(
                            vec![Arg {
                                glob: false,
                                ..joined.clone()
                            }],
                            over,
                        );
                        // (What a copy lands below it is written even when nothing is
                        // replaced.)
                        all(vec![joined], Effect::Removes { below: true });
                    }
                } else {
                    // A new name may also replace a directory that holds a control file
                    // (`mv /tmp/x .so-hook`).
                    all(vec![dest.clone()], over);
                    all(vec![dest], Effect::Removes { below: true });
                }
            }
            // A recursive copy writes everything below its destination.
            let recursive = verb == "rsync"
                || s.has_short('r')
                || s.has_short('R')
                || s.has_short('a')
                || s.has_long("recursive")
                || s.has_long("archive");
            if recursive
                && let Some(d) = s
                    .value('t', "target-directory")
                    .map(|v| valued(args, v))
                    .or_else(|| s.operands.last().map(|a| (*a).clone()))
            {
                all(vec![d], Effect::Removes { below: true });
            }
            if moving {
                // A move also takes its sources (and all below them) away.
                all(owned(sources), Effect::TakesAway);
            }
        }
        "dd" => {
            // Even with `conv=notrunc`, what `dd` writes replaces the file's content.
            let of: Vec<Arg> = args
                .iter()
                .filter_map(|a| {
                    a.text
                        .strip_prefix("of=")
                        .map(|v| match v.strip_prefix("~/") {
                            // bash expands a `~` after `=` in a word like this one.
                            Some(rest) => {
                                let mut at = in_home(w, rest);
                                at.exact &= a.exact;
                                at
                            }
                            None => Arg {
                                text: v.into(),
                                exact: a.exact,
                                glob: false,
                                feed: None,
                            },
                        })
                })
                .collect();
            all(of, Effect::Truncates);
        }
        "patch" => {
            let s = gnu(
                "opdiBDFrVYzgp",
                &["output", "directory", "input", "reject-file", "prefix"],
            );
            let mut files: Vec<Arg> = s.values('o', "output").map(|v| valued(args, v)).collect();
            files.extend(s.operands.first().map(|a| (*a).clone()));
            all(files, Effect::Truncates);
        }
        "trash" | "trash-put" | "rename" => {
            let s = gnu("", &[]);
            all(owned(s.operands), Effect::TakesAway);
        }
        // Node's tree deleters, as npm scripts run them (`rimraf dist`, `npx del-cli build`).
        "rimraf" | "del-cli" | "del" | "trash-cli" if verb != "del" || !args.is_empty() => {
            let s = gnu("", &["glob"]);
            all(owned(s.operands), Effect::Deletes { below: true });
        }
        "srm" => {
            let s = gnu("", &[]);
            let below = s.has('r', "recursive") || s.has_short('R');
            all(owned(s.operands), Effect::Deletes { below });
        }
        // `gio trash --empty` deletes everything in the trash for good.
        "gio"
            if args.first().is_some_and(|a| a.text == "trash")
                && args.iter().any(|a| a.text == "--empty") =>
        {
            all(
                vec![in_home(w, ".local/share/Trash")],
                Effect::Deletes { below: true },
            );
        }
        "gio"
            if args
                .first()
                .is_some_and(|a| matches!(a.text.as_str(), "trash" | "remove" | "move")) =>
        {
            let s = scan(&args[1..], &Spec::gnu("", &[]));
            all(owned(s.operands), Effect::TakesAway);
        }
        "ddrescue" => {
            let s = gnu("bcemiosKTP", &[]);
            all(
                owned(s.operands.into_iter().skip(1).take(1).collect()),
                Effect::Truncates,
            );
        }
        "shred" => {
            let s = gnu("ns", &["iterations", "size", "random-source"]);
            let e = if s.has('u', "remove") || s.has_long("remove") {
                Effect::Deletes { below: false }
            } else {
                Effect::Truncates
            };
            all(owned(s.operands), e);
        }
        "rm" | "unlink" => {
            let s = scan(args, &super::rm::RM);
            let below = s.has('r', "recursive") || s.has_short('R');
            // `rm -i` asks before each file; with nothing on its standard input (an agent's
            // shell), every answer is no. Piped answers (`yes | rm -ri`) delete.
            let force = s.has('f', "force");
            let asks = !force
                && (s.has_short('i')
                    || s.has_short('I')
                    || s.value('\0', "interactive")
                        .is_some_and(|v| !v.starts_with('n')));
            let e = if asks && matches!(unit.stdin, crate::guard::Stdin::Inherited) {
                Effect::Removes { below }
            } else {
                Effect::Deletes { below }
            };
            all(owned(s.operands), e);
        }
        "rmdir" => {
            let s = gnu("", &[]);
            all(owned(s.operands), Effect::Creates);
        }
        "mkdir" => {
            let s = gnu("m", &["mode"]);
            all(owned(s.operands), Effect::Creates);
        }
        "touch" => {
            let s = gnu("rdt", &["reference", "date"]);
            all(owned(s.operands), Effect::Creates);
        }
        "chmod" | "chown" | "chgrp" => {
            let s = gnu("", &["reference"]);
            // chmod also takes a mode that starts with a dash (`chmod -rwx ~`, `chmod -w f`):
            // then every operand is a file.
            let dash_mode = verb == "chmod"
                && args.iter().any(|a| {
                    a.text.strip_prefix('-').is_some_and(|m| {
                        !m.is_empty() && m.chars().all(|c| "rwxXstugoa=+-,01234567".contains(c))
                    })
                });
            let skip = usize::from(!s.has_long("reference") && !dash_mode);
            let below = s.has_short('R') || s.has_long("recursive");
            all(
                owned(s.operands.into_iter().skip(skip).collect()),
                Effect::Modes { below },
            );
        }
        "sed" | "perl" | "ruby" => {
            // `-i` alone, in a cluster (`-Ei`, `-ni.bak`), or as `--in-place` (abbreviated too);
            // in sed, the letters after `e`, `f` or `l` in a cluster are that option's value.
            let in_place = args.iter().any(|a| {
                let t = a.text.as_str();
                if let Some(long) = t.strip_prefix("--") {
                    return long.len() >= 2
                        && "in-place".starts_with(long.split('=').next().unwrap_or(long));
                }
                let Some(cluster) = t.strip_prefix('-') else {
                    return false;
                };
                let stop = if verb == "sed" { "efl" } else { "eElmMx" };
                cluster
                    .chars()
                    .take_while(|c| !stop.contains(*c))
                    .any(|c| c == 'i')
            });
            if in_place {
                let files = args
                    .iter()
                    .filter(|a| !a.text.starts_with('-'))
                    .skip(1)
                    .cloned()
                    .collect();
                // Rewritten in place: for a protected file, as good as emptied.
                all(files, Effect::Truncates);
            }
        }
        "git" => {
            if let Some(inv) = git_inv {
                super::git::writes(w, unit, inv, scope, &mut all, &mut carries)
            }
        }
        // Windows' deleters, as `cmd /c` and PowerShell run them.
        "cmd" | "cmd.exe" | "pwsh" | "pwsh.exe" | "powershell" | "powershell.exe" => {
            all(
                super::windows::deletes(verb, args),
                Effect::Deletes { below: true },
            );
        }
        "ssh-keygen" => {
            let s = gnu("abCDEfFGIJKmMnNOPrRsStwYz", &[]);
            // Reading, listing and searching write nothing; -R rewrites known_hosts.
            let reads = ['l', 'y', 'F', 'B', 'Q', 'k']
                .iter()
                .any(|c| s.has_short(*c));
            let file = s.value('f', "\0").map(|v| valued(args, v));
            if s.has_short('R') {
                let hosts = file.unwrap_or_else(|| in_home(w, ".ssh/known_hosts"));
                all(vec![hosts], Effect::Truncates);
            } else if !reads {
                let kind = s.value('t', "\0").unwrap_or("ed25519");
                let key = file.unwrap_or_else(|| in_home(w, &format!(".ssh/id_{kind}")));
                all(vec![key], Effect::Truncates);
            }
        }
        _ => {
            let found = super::archives::effects(verb, args);
            for (a, e) in found
                .into_iter()
                .chain(super::settings::effects(w, verb, args))
            {
                all(vec![a], e);
            }
        }
    }
    if let Some((what, place)) = super::system::changes_system(verb, args) {
        // Packages, users and groups, services' start-up links and alternatives live in the
        // system's own directories.
        touched(
            w,
            &Target::Path(PathBuf::from(place)),
            what,
            Effect::Changes,
            unit.display,
        );
    }
    for (a, e) in &touched_args {
        touched(w, &operand(a, scope), &a.text, *e, unit.display);
    }
    for (to, class) in carries {
        w.carry(to, class);
    }
}
