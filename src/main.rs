//! The so-hook binary: argument parsing and the fail-closed shell around the library.

use clap::Parser;
use so_hook::cli::{Cli, Cmd, ScopeCmd, Shell};
use so_hook::hook::call::Platform;
use so_hook::hook::decision::{Decision, Finding};
use so_hook::hook::dialect;
use so_hook::project::Environment;
use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU8, Ordering};

/// The platform the current hook call answers in, for the panic handler.
static PLATFORM: AtomicU8 = AtomicU8::new(0);

fn set_platform(p: Platform) {
    PLATFORM.store(p as u8, Ordering::SeqCst);
}

fn current_platform() -> Platform {
    match PLATFORM.load(Ordering::SeqCst) {
        1 => Platform::Codex,
        2 => Platform::Cursor,
        3 => Platform::Gemini,
        4 => Platform::Copilot,
        5 => Platform::OpenCode,
        _ => Platform::Claude,
    }
}

fn main() {
    // The hook runs before every tool call: its own command lines are read without building the
    // whole command-line interface, which was more than half of a benign call's instructions.
    if let Some(platform) = hook_command_line(std::env::args_os().skip(1)) {
        std::process::exit(hook(platform));
    }
    quiet_on_closed_output();
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
                (Some(c), _) => so_hook::commands::check::Subject::Command(c),
                (None, Some(e)) => so_hook::commands::check::Subject::Edit(e),
                (None, None) => unreachable!("clap requires one of --command and --edit"),
            };
            so_hook::commands::check::run(&so_hook::commands::check::Request {
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
            so_hook::commands::doctor::run(&project_dir(cwd), home.as_deref(), platform, json)
        }
        Cmd::Install {
            platform,
            project,
            user,
            use_path,
            dry_run,
            uninstall,
        } => so_hook::commands::install::run(&so_hook::commands::install::Request {
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
                so_hook::commands::fixtures::test(&so_hook::commands::fixtures::Request {
                    paths,
                    format,
                    filter,
                    update,
                    jobs,
                    work_dir,
                })
            }
        }
        Cmd::Validate {
            files,
            kind,
            plugin,
            cwd,
            json,
        } => so_hook::commands::validate::run(&so_hook::commands::validate::Request {
            files,
            kind,
            plugin,
            root: project_dir(cwd),
            json,
        }),
        Cmd::Scope(cmd) => scope(cmd),
        Cmd::Config {
            cwd,
            file,
            platform,
            json,
        } => so_hook::commands::coordinator::config(
            &project_dir(cwd),
            platform,
            file.as_deref(),
            json,
        ),
        Cmd::Gate {
            variant,
            files,
            since,
            timeout,
            platform,
            cwd,
        } => so_hook::commands::gate::run_gate(&so_hook::commands::gate::Request {
            root: project_dir(cwd),
            platform,
            variant,
            files,
            since,
            timeout: std::time::Duration::from_secs(timeout),
        }),
        Cmd::Audit { cwd, json } => so_hook::commands::audit::run(&project_dir(cwd), json),
        Cmd::SendEvent {
            endpoint,
            secret_env,
        } => so_hook::commands::send_event::send(&endpoint, &secret_env),
        Cmd::Completions { shell } => {
            completions(shell);
            0
        }
        Cmd::AllowOnce { code } => so_hook::commands::allow_once::run(code.as_deref()),
        Cmd::Rules => {
            use so_hook::guard::packs;
            for (id, what) in so_hook::guard::BUILTIN_RULES {
                if packs::pack_of(id).is_none() {
                    println!("{id:<28} {what}");
                }
            }
            println!("\nthe hook's own (edits, waves, manifests, input; always on)");
            for (id, what) in so_hook::hook::CALL_RULES {
                println!("  {id:<26} {what}");
            }
            for p in packs::PACKS {
                println!("\npack {:<23} {}", p.id, p.what);
                for r in p.rows {
                    let asks = if r.verdict == so_hook::hook::decision::Verdict::Ask {
                        " (asks)"
                    } else {
                        ""
                    };
                    println!(
                        "  {:<26} {}{asks}",
                        r.id,
                        r.what.trim_end_matches(" (asks)")
                    );
                }
            }
            0
        }
    };
    std::process::exit(code);
}

/// A reader that stops early (`so-hook rules | head -1`, `| grep -q`) closes the output: the
/// command ends there, quietly and with status 0, as a pipeline's early reader expects; any other
/// panic keeps Rust's own report. (The hook has its own handler: it must answer with a deny.)
fn quiet_on_closed_output() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let text = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if text.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

/// The project of a directory given on the command line: the one holding its wave manifest or
/// `.git` ([`so_hook::project::root::discover`]), as a real path.
fn project_dir(dir: PathBuf) -> PathBuf {
    so_hook::project::root::of_command_line(&dir)
}

fn scope(cmd: ScopeCmd) -> i32 {
    let root = project_dir;
    match cmd {
        ScopeCmd::Set {
            wave,
            role,
            allow,
            block,
            enforcement,
            gate,
            platform,
            cwd,
            dry_run,
        } => so_hook::commands::coordinator::set(&so_hook::commands::coordinator::SetRequest {
            root: root(cwd),
            platform,
            wave,
            role,
            allow,
            block,
            enforcement,
            gates: gate,
            dry_run,
        }),
        ScopeCmd::Show {
            cwd,
            json,
            platform,
        } => so_hook::commands::coordinator::show(&root(cwd), json, platform),
        ScopeCmd::Clear { platform, cwd } => {
            so_hook::commands::coordinator::clear(&root(cwd), platform)
        }
    }
}

fn completions(shell: Shell) {
    use clap::CommandFactory;
    use clap_complete::Shell as S;
    let shell = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
    };
    clap_complete::generate(
        shell,
        &mut Cli::command(),
        "so-hook",
        &mut std::io::stdout(),
    );
}

/// `so-hook test --record`: payloads on stdin, fixture lines on stdout.
fn record_fixtures(platform: Option<Platform>) -> i32 {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("so-hook test --record: cannot read stdin: {e}");
        return 2;
    }
    // Recording judges the calls without the hook's side effects: nothing is appended to the
    // projects' event logs, no notice is kept and no type-check runs.
    match so_hook::commands::fixtures::run::record(&input, platform, &Environment::from_process()) {
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

/// `hook`, `hook --platform P` or `hook --platform=P` (P a platform's name): the platform option.
/// Any other command line (help, a typo, another subcommand) is `None`, left to clap.
fn hook_command_line(
    mut args: impl Iterator<Item = std::ffi::OsString>,
) -> Option<Option<Platform>> {
    if args.next()? != "hook" {
        return None;
    }
    let platform = Platform::from_id;
    let first = args.next();
    let chosen = match first.as_ref().map(|a| a.to_str()) {
        None => None,
        Some(Some("--platform")) => Some(platform(args.next()?.to_str()?)?),
        Some(Some(a)) => Some(platform(a.strip_prefix("--platform=")?)?),
        Some(None) => return None,
    };
    args.next().is_none().then_some(chosen)
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
            &Decision::of(Finding::deny("internal-error", reason)).into(),
        );
        std::process::exit(answer.emit());
    }));
    // Lets the tests prove that a panic still ends in a deny; debug builds only.
    #[cfg(debug_assertions)]
    if std::env::var_os("SO_HOOK_DEBUG_PANIC").is_some() {
        panic!("forced by SO_HOOK_DEBUG_PANIC");
    }
    let env = Environment::from_process();
    // Under a small stack limit (`ulimit -s`), judging runs on a thread with a fixed stack, so
    // the limit does not decide whether the guard can finish (a thread costs about 0.1 ms, a
    // sixth of a typical call, so only then). Either way the walker stops at its deadline.
    if stack_limit().is_some_and(|l| l < ENOUGH_STACK) {
        let judge_env = env.clone();
        let judged = std::thread::Builder::new()
            .name("judge".into())
            .stack_size(JUDGE_STACK)
            .spawn(move || {
                so_hook::hook::answer_noting(
                    std::io::stdin().lock(),
                    platform,
                    &judge_env,
                    set_platform,
                )
            })
            .map(|h| h.join());
        if let Ok(Ok(response)) = judged {
            return so_hook::hook::apply(response, &env).emit();
        }
        // No thread to be had (a process limit), or it failed (the panic hook has answered):
        // judge here.
    }
    let response =
        so_hook::hook::answer_noting(std::io::stdin().lock(), platform, &env, set_platform);
    so_hook::hook::apply(response, &env).emit()
}

/// A stack this large is enough for judging on the main thread: the parser's and the walker's
/// depth bounds keep within 96 KiB on the deepest inputs (`scripts/hostile-inputs.sh`).
const ENOUGH_STACK: u64 = 1024 * 1024;
/// The judging thread's stack when the process's is smaller.
const JUDGE_STACK: usize = 16 * 1024 * 1024;

/// The soft limit of the main thread's stack (`ulimit -s`), in bytes; `None` when unlimited or
/// not known.
#[cfg(unix)]
#[allow(unsafe_code)]
fn stack_limit() -> Option<u64> {
    #[repr(C)]
    struct Rlimit {
        cur: u64,
        max: u64,
    }
    unsafe extern "C" {
        fn getrlimit(resource: i32, rlim: *mut Rlimit) -> i32;
    }
    const RLIMIT_STACK: i32 = 3;
    let mut r = Rlimit { cur: 0, max: 0 };
    // SAFETY: `getrlimit` writes one `struct rlimit` (two 64-bit values on every 64-bit Unix
    // so-hook is built for) through a pointer to a live, writable local.
    let ok = unsafe { getrlimit(RLIMIT_STACK, &mut r) } == 0;
    (ok && r.cur < u64::MAX / 2).then_some(r.cur)
}

#[cfg(not(unix))]
fn stack_limit() -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(args: &[&str]) -> Option<Option<Platform>> {
        hook_command_line(args.iter().map(std::ffi::OsString::from))
    }

    #[test]
    fn the_hook_command_lines_are_read_without_clap() {
        assert_eq!(read(&["hook"]), Some(None));
        assert_eq!(
            read(&["hook", "--platform", "codex"]),
            Some(Some(Platform::Codex))
        );
        assert_eq!(
            read(&["hook", "--platform=cursor"]),
            Some(Some(Platform::Cursor))
        );
        // Everything else is clap's to read (and to explain).
        for other in [
            &["check", "--command", "ls"][..],
            &[],
            &["hook", "--help"],
            &["hook", "--platform"],
            &["hook", "--platform", "Claude"],
            &["hook", "--platform=nope"],
            &["hook", "--platform", "claude", "extra"],
            &["hook", "-h"],
        ] {
            assert_eq!(read(other), None, "{other:?}");
        }
    }
}
