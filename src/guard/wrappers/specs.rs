//! The option grammars of the wrappers [`super::unwrap`] reads: which options take a value, and
//! which are flags, so the command behind them is found.

use super::*;
/// A wrapper's option grammar: the options that take a value, and the flags that do not (so that an
/// unknown option can be read both ways). Its first operand starts the wrapped command.
pub(super) const fn w(
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

pub(super) const SUDO: Spec = Spec {
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
pub(super) const DOAS: Spec = w("uC", "ns", &[], &[]);
pub(super) const ENV: Spec = Spec {
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
pub(super) const NICE: Spec = w("n", "0123456789", &["adjustment"], &[]);
pub(super) const TIME: Spec = w(
    "of",
    "pvaq",
    &["output", "format"],
    &["append", "portability", "verbose", "quiet"],
);
pub(super) const TIMEOUT: Spec = w(
    "sk",
    "v",
    &["signal", "kill-after"],
    &["preserve-status", "foreground", "verbose"],
);
pub(super) const STDBUF: Spec = w("ioe", "", &["input", "output", "error"], &[]);
pub(super) const IONICE: Spec = w(
    "cnpPu",
    "t",
    &["class", "classdata", "pid", "pgid", "uid"],
    &["ignore"],
);
pub(super) const SETSID: Spec = w("", "cfw", &[], &["ctty", "fork", "wait"]);
pub(super) const FLOCK: Spec = w(
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
pub(super) const WATCH: Spec = w(
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
pub(super) const XARGS: Spec = w(
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
pub(super) const EXEC: Spec = w("a", "cl", &[], &[]);
/// Programs that run a command under observation or in a changed environment.
pub(super) const TRACERS: Spec = w(
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
pub(super) const UNSHARE: Spec = w(
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
pub(super) const NSENTER: Spec = w(
    "tSG",
    "amuinpUCrwFZ",
    &["target", "setuid", "setgid"],
    &[
        "all", "mount", "uts", "ipc", "net", "pid", "user", "cgroup", "time", "root", "wd",
    ],
);
pub(super) const RUNUSER: Spec = w(
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
pub(super) const COMMAND: Spec = w("", "pvV", &[], &[]);
pub(super) const CHRT: Spec = w(
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
pub(super) const TASKSET: Spec = w("", "acp", &[], &["all-tasks", "cpu-list", "pid"]);
pub(crate) const SCRIPT: Spec = w(
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
pub(super) const SU: Spec = w(
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
