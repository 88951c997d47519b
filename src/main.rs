//! The so-hook binary: argument parsing and the fail-closed shell around the library.

use clap::{Parser, Subcommand};
use so_hook::call::Platform;
use so_hook::decision::{Decision, Finding};
use so_hook::dialect::{self, Rejected, STDIN_LIMIT};
use so_hook::project::Environment;
use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU8, Ordering};

#[derive(Parser)]
#[command(
    name = "so-hook",
    version,
    about = "A fast, fail-closed hook for AI coding agents: holds file edits to the wave's scope and \
             blocks destructive shell commands.",
    long_about = "A fast, fail-closed hook for AI coding agents (Claude Code, Codex CLI, Cursor).\n\n\
        It holds file edits to the scope of the current wave (<state-dir>/wave-scope.json) and blocks \
        destructive shell commands (recursive deletes, git history and worktree destruction, SQL \
        drops, disk wipes, ...) by parsing the shell, not by grepping it.\n\n\
        Examples:\n  \
        so-hook check --command 'git push -f origin main'\n  \
        so-hook check --edit src/lib.rs --cwd path/to/project\n  \
        echo '{\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"rm -rf /\"}}' | so-hook hook"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Answer one hook call: read the payload on stdin and print the platform's decision.
    ///
    /// Allow is silence (exit 0, nothing on stdout); deny, ask and warn are printed in the calling
    /// platform's format. Any payload that cannot be judged is denied with a reason.
    Hook {
        /// The calling platform; inferred from the payload when not given.
        #[arg(long, value_enum)]
        platform: Option<Platform>,
    },
    /// Show what so-hook decides for a command or an edit, with the rule and the reason.
    ///
    /// Exit status: 0 when allowed (or only warned), 1 when denied or asked.
    Check {
        /// A shell command to judge.
        #[arg(long, required_unless_present = "edit", conflicts_with = "edit")]
        command: Option<String>,
        /// A file an edit tool would write (relative to --cwd, or absolute).
        #[arg(long)]
        edit: Option<String>,
        /// The project directory (root and working directory).
        #[arg(long, default_value = ".")]
        cwd: PathBuf,
        /// Judge the call as coming from a subagent.
        #[arg(long)]
        agent: bool,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List the built-in rules and their ids (for a policy's `disable` list).
    Rules,
    /// Replay fixtures (hook calls with the decision they must get) and report what differs.
    ///
    /// A fixture file is JSON lines (.jsonl, `//` comments allowed) or JSON (.json, one fixture or
    /// an array). Each fixture runs in a fresh project of its own, laid out from the fixture:
    ///
    ///   {"name": "force push", "command": "git push -f origin main",
    ///    "expect": {"decision": "deny", "rule": "git-push-force"}}
    ///   {"name": "docs are out of scope", "platform": "cursor", "edit": "docs/a.md",
    ///    "manifest": {"wave": 1, "role": "Impl-Core", "enforcement": "strict",
    ///                 "allowedPaths": ["src/"], "blockedCommands": []},
    ///    "expect": "deny"}
    ///
    /// The call: `payload` (the hook's stdin exactly as captured; `$ROOT` and `$HOME` stand for
    /// the fixture's project and home), or `command`, `edit` (a path) or `patch` (Codex
    /// apply_patch text). Also: `platform` (claude, codex, cursor; default claude), `agent`
    /// (true or an id: a subagent's call), `cwd`, `manifest` (in the platform's state dir) or
    /// `manifests` ({".claude": {...}}), `policy`, `files` ({"src/a.rs": "text"}), `symlinks`
    /// ({"link": "target"}), `home`, `why`. A string manifest or policy is written as it is.
    /// `expect`: allow, warn, ask or deny, or {"decision", "rule", "reason" (a substring)}.
    /// A line {"defaults": {...}} sets keys for the fixtures after it.
    ///
    /// Exit status: 0 when every fixture passed, 1 when one failed or could not be read, 2 when
    /// there was nothing to run.
    ///
    /// Examples:
    ///   so-hook test tests/fixtures
    ///   so-hook test --filter 'force push' --format tap my-fixtures.jsonl
    ///   so-hook test --update .so-hook/fixtures      (after a deliberate policy change)
    ///   so-hook test --record < captured-payloads.jsonl >> .so-hook/fixtures/recorded.jsonl
    #[command(verbatim_doc_comment)]
    Test {
        /// Fixture files, or directories searched for .json and .jsonl files
        /// [default: .so-hook/fixtures].
        paths: Vec<PathBuf>,
        /// The report's format.
        #[arg(long, value_enum, default_value = "text")]
        format: so_hook::fixtures::report::Format,
        /// Run only the fixtures whose name contains this text.
        #[arg(long)]
        filter: Option<String>,
        /// Rewrite the expectation of each failing fixture to the decision it gets now, and
        /// print what changed.
        #[arg(long, conflicts_with = "record")]
        update: bool,
        /// Read hook payloads on stdin (one JSON object per line) and print a fixture line for
        /// each, expecting the decision it gets now in its own project.
        #[arg(long)]
        record: bool,
        /// With --record: the platform of the payloads (inferred when not given).
        #[arg(long, value_enum, requires = "record")]
        platform: Option<Platform>,
        /// How many fixtures run at once [default: one per core].
        #[arg(long)]
        jobs: Option<usize>,
        /// Where the throw-away projects are made [default: $XDG_STATE_HOME/so-hook or
        /// ~/.local/state/so-hook; not the temp directory, which the guard treats as disposable].
        #[arg(long)]
        work_dir: Option<PathBuf>,
    },
    /// Register the hook for Codex or Cursor, merged into the existing hook file, and check it.
    ///
    /// Writes `.codex/hooks.json` or `.cursor/hooks.json` in the project (or in your home with
    /// --user), keeping every handler that is not so-hook's. The command registered runs this
    /// binary by its absolute path. Afterwards `rm -rf /` is sent through the exact command
    /// written; if it is not denied, the file is put back as it was and the exit status is 1.
    /// Running it again changes nothing; --uninstall removes only so-hook's handlers.
    ///
    /// Claude Code installs so-hook as a plugin instead (see the README).
    ///
    /// Examples:
    ///   so-hook install --platform cursor --dry-run
    ///   so-hook install --platform codex --user
    ///   so-hook install --platform cursor --project path/to/project --uninstall
    #[command(verbatim_doc_comment)]
    Install {
        /// The platform to register with.
        #[arg(long, value_enum)]
        platform: Platform,
        /// The project to register in.
        #[arg(long, default_value = ".", conflicts_with = "user")]
        project: PathBuf,
        /// Register for every project of this user (in $HOME) instead.
        #[arg(long)]
        user: bool,
        /// Register plain `so-hook`, found on the client's PATH, instead of this binary's path.
        #[arg(long)]
        use_path: bool,
        /// Show the file that would be written, and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Remove so-hook's handlers (and the file, if nothing else is left in it).
        #[arg(long)]
        uninstall: bool,
    },
    /// Check that the guard is in place: the binary on PATH, the manifests and the policy, and each
    /// registered hook command (a destructive call is sent through it and must be denied).
    ///
    /// Exit status: 0 when every check passed, 1 otherwise.
    Doctor {
        /// The project directory.
        #[arg(long, default_value = ".")]
        cwd: PathBuf,
        /// Check one platform only.
        #[arg(long, value_enum)]
        platform: Option<Platform>,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// The platform the current hook call answers in, for the panic handler.
static PLATFORM: AtomicU8 = AtomicU8::new(0);

fn set_platform(p: Platform) {
    PLATFORM.store(p as u8, Ordering::SeqCst);
}

fn current_platform() -> Platform {
    match PLATFORM.load(Ordering::SeqCst) {
        1 => Platform::Codex,
        2 => Platform::Cursor,
        _ => Platform::Claude,
    }
}

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Cmd::Hook { platform } => hook(platform),
        Cmd::Check {
            command,
            edit,
            cwd,
            agent,
            json,
        } => {
            let subject = match (command, edit) {
                (Some(c), _) => so_hook::check::Subject::Command(c),
                (None, Some(e)) => so_hook::check::Subject::Edit(e),
                (None, None) => unreachable!("clap requires one of --command and --edit"),
            };
            so_hook::check::run(&so_hook::check::Request {
                subject,
                cwd,
                agent,
                json,
            })
        }
        Cmd::Doctor {
            cwd,
            platform,
            json,
        } => {
            let home = std::env::var_os("HOME").map(PathBuf::from);
            so_hook::doctor::run(&cwd, home.as_deref(), platform, json)
        }
        Cmd::Install {
            platform,
            project,
            user,
            use_path,
            dry_run,
            uninstall,
        } => so_hook::install::run(&so_hook::install::Request {
            platform,
            project: (!user).then(|| project.canonicalize().unwrap_or(project)),
            home: std::env::var_os("HOME").map(PathBuf::from),
            use_path,
            dry_run,
            uninstall,
        }),
        Cmd::Test {
            paths,
            format,
            filter,
            update,
            record,
            platform,
            jobs,
            work_dir,
        } => {
            if record {
                record_fixtures(platform)
            } else {
                so_hook::fixtures::test(&so_hook::fixtures::Request {
                    paths,
                    format,
                    filter,
                    update,
                    jobs,
                    work_dir,
                })
            }
        }
        Cmd::Rules => {
            for (id, what) in so_hook::guard::BUILTIN_RULES {
                println!("{id:<28} {what}");
            }
            0
        }
    };
    std::process::exit(code);
}

/// `so-hook test --record`: payloads on stdin, fixture lines on stdout.
fn record_fixtures(platform: Option<Platform>) -> i32 {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("so-hook test --record: cannot read stdin: {e}");
        return 2;
    }
    // Recording replays the calls: nothing is appended to the projects' event logs.
    // SAFETY: no other thread is running yet.
    unsafe { std::env::set_var("SO_HOOK_NO_EVENTS", "1") };
    match so_hook::fixtures::run::record(&input, platform, &Environment::from_process()) {
        Ok(lines) => {
            for l in &lines {
                println!("{l}");
            }
            eprintln!("{} fixtures recorded", lines.len());
            0
        }
        Err(e) => {
            eprintln!("so-hook test --record: {e}");
            2
        }
    }
}

fn hook(platform: Option<Platform>) -> i32 {
    set_platform(platform.unwrap_or(Platform::Claude));
    // Whatever goes wrong below, the call ends in a deliberate deny in the platform's format.
    std::panic::set_hook(Box::new(|info| {
        let reason = format!(
            "so-hook hit an internal error and blocked the call to stay safe ({info}). Please \
             report this to the so-hook maintainers."
        );
        let answer = dialect::encode(
            current_platform(),
            &Decision::of(Finding::deny("internal-error", reason)),
        );
        std::process::exit(answer.emit());
    }));
    let mut buf = Vec::new();
    let read = std::io::stdin()
        .lock()
        .take(STDIN_LIMIT as u64 + 1)
        .read_to_end(&mut buf);
    let fallback = platform.unwrap_or(Platform::Claude);
    let rejected = match read {
        Err(e) => Some(format!("its payload could not be read from stdin ({e})")),
        Ok(n) if n > STDIN_LIMIT => Some(format!(
            "its payload is larger than the {} MiB limit",
            STDIN_LIMIT / (1024 * 1024)
        )),
        Ok(_) => None,
    };
    if let Some(reason) = rejected {
        return dialect::reject(fallback, &Rejected::Invalid(reason)).emit();
    }
    // Lets the tests prove that a panic still ends in a deny; debug builds only.
    #[cfg(debug_assertions)]
    if std::env::var_os("SO_HOOK_DEBUG_PANIC").is_some() {
        panic!("forced by SO_HOOK_DEBUG_PANIC");
    }
    let env = Environment::from_process();
    let (platform, call) = dialect::decode(&buf, platform, &env);
    set_platform(platform);
    let answer = match call {
        Ok(call) => {
            let decision = so_hook::evaluate::evaluate(&call, &env);
            let answer = dialect::encode(platform, &decision);
            so_hook::evaluate::record_guard(&call, &decision);
            answer
        }
        Err(r) => dialect::reject(platform, &r),
    };
    answer.emit()
}
