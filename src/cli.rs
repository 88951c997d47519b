//! The command line: every subcommand and option, with the help text that teaches them. The
//! binary dispatches on it; `so-hook completions` and the man page are generated from it.

use crate::hook::call::Platform;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

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
pub struct Cli {
    #[command(subcommand)]
    pub command: Cmd,
}

#[derive(Subcommand)]
pub enum Cmd {
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
        /// The directory the command runs in; the project is the nearest directory above it (or
        /// itself) with a wave manifest, else with a .git.
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
    /// Let one denied command through once, when the guard is wrong about it (for the user, at a
    /// terminal; agents may not run it).
    ///
    /// A denied or asked shell command's reason ends with a six-character code. Run this with the
    /// code in your own terminal: it shows the command, the project and the rule, and asks you to
    /// type `yes` on the terminal (/dev/tty; with no terminal nothing is granted). The agent's next
    /// call of exactly that command, in that project, within 10 minutes, is then allowed, once;
    /// `so-hook check` shows the approval and the project's events record it. No rule is switched
    /// off. A code can be approved up to an hour after the deny.
    ///
    /// Without a code: lists the commands denied in the last hour, with their codes.
    ///
    /// Approvals are kept in $XDG_STATE_HOME/so-hook/allow-once (else
    /// ~/.local/state/so-hook/allow-once), which no agent call may write.
    ///
    /// Exit status: 0 approved (or listed), 1 not approved (unknown or expired code, no
    /// terminal, anything but `yes` typed), 2 misuse.
    ///
    /// Examples:
    ///   so-hook allow-once            (what was denied lately, with codes)
    ///   so-hook allow-once 7k2m9q
    #[command(verbatim_doc_comment)]
    AllowOnce {
        /// The code the deny's reason gave.
        code: Option<String>,
    },
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
        format: crate::commands::fixtures::report::Format,
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
        /// A directory in the project: the nearest directory above it (or itself) with a wave
        /// manifest, else with a .git, is the project.
        #[arg(long, default_value = ".")]
        cwd: PathBuf,
        /// Check one platform only.
        #[arg(long, value_enum)]
        platform: Option<Platform>,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Check the wave manifest, the project policy and the Session Config, with the file, line
    /// and column of each problem and what is allowed instead.
    ///
    /// Without FILE, checks what the project at --cwd has: .claude/, .codex/ and .cursor/
    /// wave-scope.json, .so-hook/policy.json, and the Session Config of CLAUDE.md and AGENTS.md.
    /// A file's kind is told by its name (wave-scope.json, policy.json, *.md) or by --kind; `-`
    /// reads a manifest from standard input.
    ///
    /// Exit status: 0 when nothing is wrong (warnings allowed), 1 when something is, 2 when there
    /// is nothing to check.
    ///
    /// Examples:
    ///   so-hook validate
    ///   so-hook validate .claude/wave-scope.json
    ///   cat draft.json | so-hook validate --kind manifest -
    ///   so-hook validate --plugin path/to/so-hook
    #[command(verbatim_doc_comment)]
    Validate {
        /// Files to check [default: the project's].
        files: Vec<PathBuf>,
        /// What the files are, when their names do not say.
        #[arg(long, value_enum)]
        kind: Option<crate::commands::validate::Kind>,
        /// Check the Markdown pack and the plugin files of the repository at DIR instead: the
        /// manifests, hook files, command/skill/agent/output-style frontmatter, Cursor rules, Codex
        /// roles and every relative link, and that each `so-hook ...` command line they write is one this
        /// binary takes (its subcommand, options and option values).
        #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = ".",
              conflicts_with_all = ["files", "kind"])]
        plugin: Option<PathBuf>,
        /// A directory in the project: the nearest directory above it (or itself) with a wave
        /// manifest, else with a .git, is the project.
        #[arg(long, default_value = ".")]
        cwd: PathBuf,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write, show or remove the wave manifest (the coordinator's tool; a subagent may not set or
    /// clear it).
    #[command(subcommand)]
    Scope(ScopeCmd),
    /// Print the project's Session Config (the `## Session Config` section of CLAUDE.md or
    /// AGENTS.md) with every default filled in, and report invalid values by line.
    ///
    /// Each line of the section is `- **key:** value`, `- **key**: value`, `key: value` or
    /// `- key: value`; the last of a repeated key wins.
    ///
    /// Exit status: 0 when valid, 1 when a value is invalid, 2 when the file cannot be read.
    ///
    /// Examples:
    ///   so-hook config
    ///   so-hook config --json | jq -r '.config["typecheck-command"]'
    #[command(verbatim_doc_comment)]
    Config {
        /// A directory in the project: the nearest directory above it (or itself) with a wave
        /// manifest, else with a .git, is the project.
        #[arg(long, default_value = ".")]
        cwd: PathBuf,
        /// Read this Markdown file instead of the project's CLAUDE.md / AGENTS.md.
        #[arg(long)]
        file: Option<PathBuf>,
        /// Which file the platform reads: CLAUDE.md (claude, cursor) or AGENTS.md (codex).
        #[arg(long, value_enum)]
        platform: Option<Platform>,
        /// Print one JSON object: {file, section_line, config, set, problems}.
        #[arg(long)]
        json: bool,
    },
    /// Run the project's quality checks (type-check, tests, lint, as the Session Config names
    /// them) and print one JSON report: per check the command, status (pass, fail, skip, timeout),
    /// duration, exit code and the end of its output.
    ///
    /// A command containing `{files}` gets the run's files there: those changed since --since
    /// (incremental; default HEAD, untracked files included) or those listed with --files
    /// (per-file); other commands check the whole project. `skip` in the Session Config turns a
    /// check off; a command that is not installed (exit 127) is a skip, not a failure; a command
    /// so-hook's guard would block is not run.
    ///
    /// Exit status: 0 when the checks pass or the variant only informs, 2 when the full gate
    /// fails, 1 on misuse (a bad ref, an invalid Session Config).
    ///
    /// Examples:
    ///   so-hook gate --variant baseline
    ///   so-hook gate --variant incremental --since "$START_REF"
    ///   so-hook gate --variant per-file --files src/a.ts,src/b.ts
    ///   so-hook gate --variant full || echo "the gate failed"
    #[command(verbatim_doc_comment)]
    Gate {
        /// baseline, incremental, full or per-file.
        #[arg(long, value_enum)]
        variant: crate::commands::gate::Variant,
        /// The files of a per-file (or incremental) run, comma-separated.
        #[arg(long, value_delimiter = ',')]
        files: Vec<String>,
        /// For incremental: compare with this git ref [default: HEAD].
        #[arg(long)]
        since: Option<String>,
        /// Seconds each check may run (at least 1).
        #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..))]
        timeout: u64,
        /// Which file holds the Session Config: CLAUDE.md (claude, cursor) or AGENTS.md (codex).
        #[arg(long, value_enum)]
        platform: Option<Platform>,
        /// A directory in the project: the nearest directory above it (or itself) with a wave
        /// manifest, else with a .git, is the project.
        #[arg(long, default_value = ".")]
        cwd: PathBuf,
    },
    /// Measure what an agent loads every turn (CLAUDE.md, AGENTS.md, rule files, skills, the
    /// Session Config) in lines and estimated tokens, flag what is oversized, check the ignore
    /// files of a project with generated directories, and suggest one fix per finding.
    ///
    /// Thresholds (lines): instruction files warn above 150, high above 250; rule files above 100;
    /// skills above 300; the Session Config section above 60; all every-turn files together above
    /// 8,000 estimated tokens (bytes / 4). Always exits 0: it informs.
    ///
    /// Examples:
    ///   so-hook audit
    ///   so-hook audit --json --cwd path/to/project
    #[command(verbatim_doc_comment)]
    Audit {
        /// A directory in the project: the nearest directory above it (or itself) with a wave
        /// manifest, else with a .git, is the project.
        #[arg(long, default_value = ".")]
        cwd: PathBuf,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Send one event (stdin) to the configured endpoint, signed; started by the hook itself.
    #[command(hide = true)]
    SendEvent {
        #[arg(long)]
        endpoint: String,
        #[arg(long)]
        secret_env: String,
    },
    /// Print a shell completion script.
    ///
    /// Examples:
    ///   so-hook completions bash > ~/.local/share/bash-completion/completions/so-hook
    ///   so-hook completions zsh > ~/.zfunc/_so-hook
    ///   so-hook completions fish > ~/.config/fish/completions/so-hook.fish
    #[command(verbatim_doc_comment)]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: Shell,
    },
}

/// The shells `so-hook completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// `so-hook scope ...`.
#[derive(Subcommand)]
pub enum ScopeCmd {
    /// Write the wave manifest for the platform's state dir (atomically, validated first).
    ///
    /// enforcement defaults to the Session Config's `enforcement` when it sets one, else strict;
    /// the Session Config's `enforcement-gates` are copied, then each --gate applies. No --allow
    /// means the wave may edit nothing (a Discovery wave). so-hook enforces a manifest in any of
    /// .claude/, .codex/ and .cursor/, so the state dir only decides where it is written.
    ///
    /// Examples:
    ///   so-hook scope set --wave 2 --role Impl-Core --allow 'src/' --allow 'tests/**/*.rs'
    ///   so-hook scope set --wave 1 --role Discovery
    ///   so-hook scope set --wave 3 --role Quality --allow '**/*.test.*' --block 'npm publish'
    #[command(verbatim_doc_comment)]
    Set {
        /// The wave number (1-based).
        #[arg(long)]
        wave: u64,
        /// The wave's role: Discovery, Impl-Core, Impl-Polish, Quality or Finalization.
        #[arg(long)]
        role: String,
        /// A path pattern the wave may edit: `dir/`, `*` (one segment), `**` (any depth), or an
        /// exact path. Repeat for more.
        #[arg(long, value_name = "PATTERN")]
        allow: Vec<String>,
        /// A command the wave may not run, matched on parsed words. Repeat for more.
        #[arg(long, value_name = "CMD")]
        block: Vec<String>,
        /// strict denies, warn allows with a notice, off checks nothing.
        #[arg(long, value_parser = ["strict", "warn", "off"])]
        enforcement: Option<String>,
        /// A gate: path-guard, command-guard, post-edit-validate or bash-write-guard, as
        /// NAME=true or NAME=false. Repeat for more.
        #[arg(long, value_name = "NAME=BOOL")]
        gate: Vec<String>,
        /// The platform whose state dir is written (.claude, .codex, .cursor).
        #[arg(long, value_enum, default_value = "claude")]
        platform: Platform,
        /// A directory in the project: the nearest directory above it (or itself) with a wave
        /// manifest, else with a .git, is the project.
        #[arg(long, default_value = ".")]
        cwd: PathBuf,
        /// Print the manifest instead of writing it.
        #[arg(long)]
        dry_run: bool,
    },
    /// Show every wave manifest in force, as the hook reads it.
    Show {
        /// Only this platform's state dir (as `set` and `clear` take it).
        #[arg(long, value_enum)]
        platform: Option<Platform>,
        /// A directory in the project: the nearest directory above it (or itself) with a wave
        /// manifest, else with a .git, is the project.
        #[arg(long, default_value = ".")]
        cwd: PathBuf,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Remove every wave manifest (or only the platform's), saying which.
    Clear {
        /// Only this platform's state dir.
        #[arg(long, value_enum)]
        platform: Option<Platform>,
        /// A directory in the project: the nearest directory above it (or itself) with a wave
        /// manifest, else with a .git, is the project.
        #[arg(long, default_value = ".")]
        cwd: PathBuf,
    },
}

/// `--platform` values: the command line's view of [`Platform`], which itself knows nothing of clap.
impl clap::ValueEnum for Platform {
    fn value_variants<'a>() -> &'a [Self] {
        &Platform::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let help = match self {
            Platform::Claude => "Claude Code (PreToolUse)",
            Platform::Codex => "OpenAI Codex CLI (PreToolUse)",
            Platform::Cursor => "Cursor (beforeShellExecution / preToolUse)",
            Platform::Gemini => "Gemini CLI (BeforeTool)",
            Platform::Copilot => "GitHub Copilot CLI (preToolUse)",
            Platform::OpenCode => "OpenCode (so-hook's plugin, tool.execute.before)",
        };
        Some(clap::builder::PossibleValue::new(self.id()).help(help))
    }
}
