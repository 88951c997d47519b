//! The command guard: walks a parsed shell program and judges every command that would run.
//!
//! The walk visits simple commands wherever they run: in lists and pipelines, in compound bodies, in
//! `$( )`, backticks and `<( )`, behind wrappers (`sudo`, `env`, `xargs`, `find -exec`, ...), and
//! in code handed to an interpreter (`bash -c`, `eval`, a here-document or echo piped into a shell,
//! SQL handed to a database client). Each judged unit is a verb with resolved arguments; the rules
//! in [`rules`] decide on it. Text that is only data (arguments of `echo`, a commit message, a
//! here-document fed to `cat`) is never judged as a command.

mod args;
pub mod class;
mod display;
mod expand;
mod guess;
pub(crate) mod inline;
mod judged;
mod line;
pub(crate) mod listing;
mod recipes;
pub(crate) mod rules;
pub mod shell;
pub(crate) mod wrappers;

use crate::hook::decision::{Finding, Verdict, clamp};
use shell::{Command, CompoundKind, Part, Pipeline, RedirOp, Redirect, Script, Sep, Word};
use std::path::PathBuf;

pub(crate) use display::{command_name, join_args};
use display::{display_args, display_of};
pub use expand::{Arg, Scope, Stdin, Target, basename, resolve, resolve_one, target};
use expand::{cd_target, exits, glob_list, output_of, remember, stdin_of};
pub use judged::{Judged, ShellPatch, check, is_scope_command, judge};
pub use rules::sql::destructive as sql_destructive;
pub use rules::{BUILTIN_RULES, FIXED_RULES, is_builtin, packs};
use std::rc::Rc;

/// Variables whose value a program runs as shell code (`GIT_SSH_COMMAND='...' git fetch`).
const CODE_VARS: &[&str] = &[
    "BASH_ENV",
    "ENV",
    "PROMPT_COMMAND",
    "EDITOR",
    "VISUAL",
    "PAGER",
    "MANPAGER",
    "LESSOPEN",
    "GIT_EDITOR",
    "GIT_SEQUENCE_EDITOR",
    "GIT_PAGER",
    "GIT_SSH_COMMAND",
    "GIT_SSH",
    "GIT_EXTERNAL_DIFF",
    "GIT_ASKPASS",
    "SSH_ASKPASS",
];

/// Deepest nesting of code handed to an interpreter (`bash -c "eval '...'"` is two levels).
pub const MAX_EXEC_DEPTH: usize = 8;
/// Most wrappers peeled off one command (`sudo env nice timeout 5 ...`).
const MAX_WRAPPERS: usize = 16;
/// Most commands judged for one call, counting each loop pass and function call: enough for any
/// real command line, and a bound on the time a hostile one can take.
pub const MAX_COMMANDS: usize = 100_000;
/// How long judging may take before it stops with a deny (every shipped hook registration
/// allows 10 seconds or more); checked every 1,024 commands walked.
pub const DEADLINE: std::time::Duration = std::time::Duration::from_secs(5);
/// Most commands judged again in function calls and loop passes, or as guesses at an unknown
/// command name: a function that calls itself several times, or unknown names read as `eval`
/// within unknown names, would otherwise multiply up to the nesting bound. A hostile 300-byte
/// line once took 170 ms of the [`MAX_COMMANDS`] budget that way; this keeps the replays to a few
/// milliseconds.
pub const MAX_REPLAYED: usize = 2_000;
/// Most readings of unknown command names inside such readings (an unknown name is read as
/// several commands, and its readings as `eval` or `bash` hold more unknown names): a 500-byte
/// payload of `$$...` words took 48 ms before this bound (found by the fuzzer).
pub const MAX_GUESSES: usize = 256;

/// Most package scripts, make and just recipes read for one call (a script that runs another
/// is read too; this bounds scripts that run each other).
const MAX_RECIPES: usize = 32;

/// Most values a `for` loop is followed with, one pass each (longer loops are judged once).
const MAX_LOOP_VALUES: usize = 16;

/// Everything the guard needs to know about the project and the caller.
#[derive(Debug, Default)]
pub struct GuardContext<'p> {
    /// The project root, canonical.
    pub root: PathBuf,
    /// Where the command starts (the payload's `cwd`, else the root).
    pub cwd: PathBuf,
    pub home: Option<PathBuf>,
    /// Where the user's one-time approvals are kept (no command may write there), and where its
    /// links lead, worked out by the first write judged.
    pub grants: Option<PathBuf>,
    pub grants_real: std::cell::OnceCell<PathBuf>,
    /// `$TMPDIR` as the environment has it (expanded whatever it is; trusted only under a temp root).
    pub tmpdir: Option<PathBuf>,
    /// Directories whose contents are disposable: `/tmp`, `/var/tmp`, a `$TMPDIR` under them.
    pub temp_roots: Vec<PathBuf>,
    /// Project directories whose contents are disposable (`node_modules/`, `.orchestrator/tmp/`,
    /// and the policy's additions).
    pub safe_dirs: Vec<PathBuf>,
    /// The wave manifests and the policy file (absolute).
    pub control_files: Vec<PathBuf>,
    /// The call comes from a subagent: the control plane is off limits.
    pub subagent: bool,
    /// Built-in rules (or packs) switched off by the project policy.
    pub disabled: Vec<String>,
    /// Built-in rules (or packs) the project policy has ask instead of deny.
    pub asked: Vec<String>,
    /// Wave `blockedCommands` and policy rules.
    pub patterns: Vec<&'p CommandPattern>,
    /// Waves that hold shell writes to their scope (`gates.bash-write-guard`).
    pub write_scopes: Vec<WriteScope<'p>>,
}

/// A wave whose `allowedPaths` also hold what shell commands write, move, delete or truncate.
#[derive(Debug)]
pub struct WriteScope<'p> {
    pub manifest: &'p crate::project::manifest::Manifest,
    /// The manifest file, for the reason.
    pub source: &'p std::path::Path,
    pub allowed: crate::project::scope::AllowedPaths<'p>,
}

/// A user-supplied command rule.
#[derive(Debug)]
pub struct CommandPattern {
    pub rule: String,
    pub verdict: Verdict,
    pub matcher: Matcher,
    /// Where it comes from (a manifest or the policy file), for the reason.
    pub source: String,
    pub message: Option<String>,
}

#[derive(Debug)]
pub enum Matcher {
    /// The verb, then the other words in order (not necessarily adjacent), compared without case.
    Words(Vec<String>),
    /// A regular expression searched in the unit's text (verb and arguments joined by spaces).
    Regex(regex_lite::Regex),
}

/// One command that would run: its words after expansion, what feeds it, and how to show it.
pub struct Unit<'a> {
    pub words: &'a [Arg],
    pub stdin: &'a Stdin,
    pub display: &'a str,
}

impl Unit<'_> {
    /// The command name without its directory (`/bin/rm` is `rm`), when known.
    pub fn verb(&self) -> Option<&str> {
        Some(command_name(self.words.first()?.value()?))
    }

    pub fn args(&self) -> &[Arg] {
        self.words.get(1..).unwrap_or(&[])
    }
}

/// What a wrapper or interpreter runs.
pub enum Inner {
    /// A command given as words.
    Words(Vec<Arg>),
    /// Shell code given as text.
    Code(String),
    /// Shell code with its positional parameters (`bash -c CODE NAME ARGS...`).
    Script(String, Vec<Arg>),
    /// A file the wrapper itself truncates (`time -o FILE`).
    Truncates(Arg),
    /// The directory the readings after it run in (`env -C DIR`, `sudo -D DIR`).
    Cd(Arg),
    /// Code that cannot be read before it runs: a shell reading a download or decoded text.
    Opaque(&'static str),
}

pub(crate) struct Walker<'c> {
    ctx: &'c GuardContext<'c>,
    findings: Vec<Finding>,
    exec_depth: usize,
    /// Inside the reading of an unknown command name as a wrapper of the literal command after
    /// it: the effect table judges that command.
    wrapper_guess: bool,
    /// Inside code run in a container (see [`Walker::data_only`]).
    data_only: bool,
    /// Scripts and recipes read for runner commands (see [`MAX_RECIPES`]).
    recipes: usize,
    /// When judging began (see [`DEADLINE`]).
    started: std::time::Instant,
    /// Commands walked so far (see [`MAX_COMMANDS`]).
    commands: usize,
    /// Inside this many function calls or loop passes.
    replaying: usize,
    /// Readings of unknown command names made inside such readings (see [`MAX_GUESSES`]).
    guesses: usize,
    /// Commands walked again in function calls and loop passes (see [`MAX_REPLAYED`]).
    replayed: usize,
    /// Inside a loop followed pass by pass: inner loops are judged once, not multiplied.
    in_loop: bool,
    /// Indexes of findings that fall away when the line is one simple command
    /// ([`Walker::report_unless_alone`]).
    unless_alone: Vec<usize>,
    /// Judging a command whose name is unknown as one the rules know (see
    /// [`UNKNOWN_VERB_READINGS`]): only its unmistakably destructive forms count.
    guessing: bool,
    /// The files writes were judged for, with the effect: a loop or a function judged again
    /// does not read the disk again for them (one finding per file is all a decision needs).
    writes_judged: std::collections::BTreeSet<(rules::files::Effect, Target)>,
    /// The patches the command applies with `apply_patch` (see [`ShellPatch`]).
    patches: Vec<ShellPatch>,
    /// Where moves earlier on the line put content, with its class: `mv src node_modules` does
    /// not make `src` disposable.
    carried: Vec<(PathBuf, class::Class)>,
    /// Files that hold code no one has read (a download, a script too long to keep), with where
    /// it came from, should the line run them.
    downloads: Vec<(PathBuf, &'static str)>,
    /// Files the line wrote with known text (`echo ... > x.sh`), should it run them.
    written: Vec<(PathBuf, String)>,
}

impl<'c> Walker<'c> {
    pub(crate) fn ctx(&self) -> &'c GuardContext<'c> {
        self.ctx
    }

    /// Whether this file has not been judged with this effect yet in this decision (see
    /// `rules::files::touched`); from now on it has.
    pub(crate) fn first_write_judgement(
        &mut self,
        effect: rules::files::Effect,
        t: &Target,
    ) -> bool {
        self.writes_judged.insert((effect, t.clone()))
    }

    /// The command being judged is a guess at an unknown command name.
    pub(crate) fn guessing(&self) -> bool {
        self.guessing
    }

    /// Walks code run inside a container: what it does to files is the container's, so only
    /// what it does to data (databases, volumes) is reported.
    pub(crate) fn data_only(&mut self, walk: impl FnOnce(&mut Self)) {
        let was = std::mem::replace(&mut self.data_only, true);
        walk(self);
        self.data_only = was;
    }

    /// A guess that reads an unknown name as a wrapper (see [`Walker::wrapper_guess`]).
    pub(crate) fn wrapper_guess(&self) -> bool {
        self.wrapper_guess
    }

    pub(crate) fn report(&mut self, mut finding: Finding) {
        let rule = finding.rule.as_str();
        // The policy names a rule or its pack.
        let pack = rules::packs::pack_of(rule).map(|p| p.id);
        // In a container, what is done to data counts (the databases and containers packs).
        if self.data_only
            && rule != "nesting-limit"
            && !matches!(pack, Some("databases" | "containers"))
        {
            return;
        }
        let named = |ids: &[String]| ids.iter().any(|d| d == rule || Some(d.as_str()) == pack);
        let builtin = is_builtin(rule);
        if builtin && named(&self.ctx.disabled) {
            return;
        }
        let asks = builtin && named(&self.ctx.asked);
        if asks && finding.verdict == Verdict::Deny {
            finding.verdict = Verdict::Ask;
        }
        if !self.findings.contains(&finding) {
            self.findings.push(finding);
        }
    }

    /// Reports a finding that holds only if the command line runs more than this one command: a
    /// delete of a path that does not exist yet is a no-op when nothing before it can create it.
    pub(crate) fn report_unless_alone(&mut self, finding: Finding) {
        let before = self.findings.len();
        self.report(finding);
        if self.findings.len() > before {
            self.unless_alone.push(before);
        }
    }

    fn nesting_limit(&mut self, display: &str) {
        self.report(
            Finding::deny(
                "nesting-limit",
                "The command nests code deeper than so-hook follows (wrappers, `bash -c`, `eval`, \
                 substitutions), so what finally runs cannot be judged. Run the inner command \
                 directly.",
            )
            .with_unit(clamp(display, 200)),
        );
    }

    /// Parses and walks code handed to a shell.
    pub(crate) fn run_code(&mut self, code: &str, scope: &mut Scope, display: &str) {
        if self.exec_depth > MAX_EXEC_DEPTH {
            self.nesting_limit(display);
            return;
        }
        match shell::parse(code) {
            Ok(parsed) => {
                self.exec_depth += 1;
                self.script(&parsed.script, scope);
                self.exec_depth -= 1;
            }
            Err(shell::Limit::Deep) => self.nesting_limit(display),
            Err(shell::Limit::Long) => self.report(Finding::deny(
                "nesting-limit",
                format!(
                    "The command holds more than {} commands, more than so-hook follows. Split \
                     it into smaller commands.",
                    shell::MAX_PARSED
                ),
            )),
        }
    }

    fn script(&mut self, script: &Script, scope: &mut Scope) {
        self.script_fed(script, scope, Stdin::Inherited);
    }

    /// Walks a list whose first command reads `input` (a group or subshell at the end of a pipe).
    fn script_fed(&mut self, script: &Script, scope: &mut Scope, mut input: Stdin) {
        // `cd X && ...` holds X for the rest of the chain; after it, the directory is X only if the
        // `cd` cannot have failed, so it becomes unknown (relative targets are then never safe).
        let mut chain_start: Option<Option<PathBuf>> = None;
        for (i, item) in script.items.iter().enumerate() {
            self.pipeline(
                &item.pipeline,
                scope,
                std::mem::replace(&mut input, Stdin::Inherited),
            );
            // After `a && ` or `a || `, this item may not run at all.
            let conditional = i > 0 && matches!(script.items[i - 1].sep, Sep::And | Sep::Or);
            if let Some(dest) = cd_target(&item.pipeline, scope) {
                // A directory that exists now is where the `cd` goes, whatever follows it.
                let exists = dest.as_deref().is_some_and(|d| d.is_dir());
                match item.sep {
                    // `cd X &` changes the directory of a background subshell only.
                    Sep::Background => {}
                    Sep::And if exists && !conditional => scope.cwd = dest,
                    // `... && cd X && rest`: the rest runs only where the `cd` went.
                    Sep::And => {
                        if chain_start.is_none() {
                            chain_start = Some(scope.cwd.clone());
                        }
                        scope.cwd = dest;
                    }
                    _ if conditional => {
                        if scope.cwd != dest {
                            scope.cwd = None;
                        }
                    }
                    _ if exists => scope.cwd = dest,
                    Sep::Or if script.items.get(i + 1).is_some_and(|n| exits(&n.pipeline)) => {
                        scope.cwd = dest;
                    }
                    _ => {
                        if scope.cwd != dest {
                            scope.cwd = None;
                        }
                    }
                }
                continue;
            }
            if item.sep != Sep::And
                && let Some(before) = chain_start.take()
                && before != scope.cwd
            {
                scope.cwd = None;
            }
        }
    }

    fn pipeline(&mut self, pipeline: &Pipeline, scope: &mut Scope, input: Stdin) {
        let piped = pipeline.commands.len() > 1;
        let mut stdin = input;
        for (i, cmd) in pipeline.commands.iter().enumerate() {
            if i > 0 {
                stdin = output_of(&pipeline.commands[i - 1], scope, &stdin);
            }
            let stdin = stdin.clone();
            if piped {
                // Each part of a pipeline runs in its own subshell.
                let mut sub = scope.clone();
                self.command(cmd, &mut sub, stdin);
            } else {
                self.command(cmd, scope, stdin);
            }
        }
    }
}

impl Walker<'_> {
    /// Walks something judged again (a loop pass, a function call, a guess at a command name):
    /// what it walks counts against [`MAX_REPLAYED`].
    fn replay(&mut self, walk: impl FnOnce(&mut Self)) {
        self.replaying += 1;
        walk(self);
        self.replaying -= 1;
    }

    /// Whether `count` is past `max`; the first time it is, a deny says why.
    fn past_bound(&mut self, count: usize, max: usize, reason: impl FnOnce() -> String) -> bool {
        if count == max + 1 {
            self.report(Finding::deny("nesting-limit", reason()));
        }
        count > max
    }

    fn command(&mut self, cmd: &Command, scope: &mut Scope, piped: Stdin) {
        self.commands += 1;
        // Judging that has taken longer than the deadline stops: its deny answers in time.
        if self.commands % 1024 == 0 && self.started.elapsed() > DEADLINE {
            if !self.findings.iter().any(|f| f.rule == "nesting-limit") {
                self.report(Finding::deny(
                    "nesting-limit",
                    format!(
                        "Judging the command took longer than {} seconds, so so-hook stopped and \
                         blocked it to stay safe. Split it into smaller commands.",
                        DEADLINE.as_secs()
                    ),
                ));
            }
            self.commands = MAX_COMMANDS + 2;
            return;
        }
        if self.past_bound(self.commands, MAX_COMMANDS, || {
            format!(
                "The command runs more than {MAX_COMMANDS} commands once its loops, functions \
                 and substitutions are counted, more than so-hook follows. Split it into smaller \
                 commands."
            )
        }) {
            return;
        }
        if self.replaying > 0 {
            self.replayed += 1;
            if self.past_bound(self.replayed, MAX_REPLAYED, || {
                format!(
                    "The command's functions and loops run more than {MAX_REPLAYED} commands, \
                     more than so-hook follows. Split it into smaller commands."
                )
            }) {
                return;
            }
        }
        match cmd {
            Command::Compound(c) => {
                for w in &c.words {
                    self.word_code(w, scope);
                }
                self.redirects(&c.redirects, scope, "compound command");
                match &c.kind {
                    CompoundKind::Function(name) => {
                        // Judged where it is defined (as if it ran) and again where it is called.
                        Rc::make_mut(&mut scope.functions)
                            .insert(name.clone(), Rc::new(c.body.clone()));
                        self.script(&c.body, &mut scope.clone());
                    }
                    CompoundKind::Subshell => {
                        self.script_fed(&c.body, &mut scope.clone(), piped.clone())
                    }
                    CompoundKind::Group => self.script_fed(&c.body, scope, piped.clone()),
                    CompoundKind::For(var) => {
                        let values: Vec<Arg> =
                            glob_list(resolve(c.words.iter().skip(1), scope), scope);
                        if self.in_loop
                            || values.is_empty()
                            || values.len() > MAX_LOOP_VALUES
                            || values.iter().any(|v| !v.exact)
                        {
                            scope.set(var, None);
                            self.script(&c.body, scope);
                        } else {
                            self.in_loop = true;
                            self.replay(|w| {
                                for v in values {
                                    scope.set(var, Some(v.text.into()));
                                    w.script(&c.body, scope);
                                }
                            });
                            self.in_loop = false;
                        }
                    }
                    CompoundKind::Block => {
                        // `if`, `case`, `while`: a `cd` inside may or may not have happened.
                        let before = scope.cwd.clone();
                        // `... | while read l; do ...; done`: the loop reads the pipe.
                        self.script_fed(&c.body, scope, piped.clone());
                        if scope.cwd != before {
                            scope.cwd = None;
                        }
                    }
                    CompoundKind::Test => self.script(&c.body, scope),
                }
            }
            Command::Simple(sc) => {
                for a in &sc.assigns {
                    self.word_code(&a.value, scope);
                    for w in a.array.iter().chain(&a.index) {
                        self.word_code(w, scope);
                    }
                }
                for w in &sc.words {
                    self.word_code(w, scope);
                }
                let words = resolve(sc.words.iter(), scope);
                let display = display_of(&sc.words, &sc.redirects);
                self.redirects(&sc.redirects, scope, &display);
                self.remember_files(cmd, sc, &words, scope, &piped);
                for a in sc
                    .assigns
                    .iter()
                    .filter(|a| CODE_VARS.contains(&a.name.as_str()))
                {
                    let v = resolve_one(&a.value, scope);
                    let code = match v.feed.map(|f| *f) {
                        Some(Stdin::Text(t)) => t,
                        _ => v.text.into(),
                    };
                    self.run_code(&code, &mut scope.clone(), &display);
                }
                if words.is_empty() {
                    for a in &sc.assigns {
                        let v = if a.array.is_empty() {
                            let v = resolve_one(&a.value, scope);
                            v.exact.then(|| v.text.into())
                        } else {
                            // An array: its elements joined, to be split again by `${a[@]}`.
                            let elems: Vec<Arg> = glob_list(resolve(a.array.iter(), scope), scope);
                            elems.iter().all(|e| e.exact).then(|| join_args(&elems))
                        };
                        let v = match (a.append, scope.var(&a.name)) {
                            (false, _) => v,
                            (true, Some(old)) => v.map(|v| format!("{old}{v}")),
                            (true, None) => None,
                        };
                        scope.set(&a.name, v);
                    }
                    return;
                }
                let stdin = stdin_of(&sc.redirects, scope).unwrap_or(piped);
                if sc.assigns.is_empty() {
                    self.unit(&words, &stdin, scope, &display, 0);
                } else {
                    // `X=v cmd`: X is in the environment of cmd (and of any code it runs).
                    let mut env = scope.clone();
                    for a in &sc.assigns {
                        let v = resolve_one(&a.value, scope);
                        env.set(&a.name, v.exact.then(|| v.text.into()));
                    }
                    self.unit(&words, &stdin, &mut env, &display, 0);
                }
                // What the command leaves for the next ones, once it has been judged itself.
                remember(&words, scope, &stdin);
                if scope
                    .links
                    .iter()
                    .any(|(l, to)| to.is_none() && l.as_os_str() == "/")
                {
                    self.report(Finding::deny(
                        "nesting-limit",
                        "The command creates more symlinks than so-hook follows, so where its \
                         later paths lead cannot be judged. Split it into smaller commands.",
                    ));
                }
            }
        }
    }

    /// Walks the code inside a word: `$( )`, backticks, `<( )`, and the words of `${x:-...}`.
    fn word_code(&mut self, word: &Word, scope: &mut Scope) {
        if word.plain().is_some() {
            return;
        }
        for part in word.parts().iter() {
            match part {
                Part::Subst { script: s, .. } | Part::ProcSubst(s) => {
                    let mut sub = scope.clone();
                    self.script(s, &mut sub);
                }
                Part::Param {
                    modifier: Some(w), ..
                } => self.word_code(w, scope),
                Part::Arith(w) => self.word_code(w, scope),
                _ => {}
            }
        }
    }

    fn redirects(&mut self, redirects: &[Redirect], scope: &mut Scope, display: &str) {
        for r in redirects {
            self.word_code(&r.target, scope);
            if let Some(doc) = &r.heredoc
                && let Some(body) = doc.body.get()
                && !doc.quoted
            {
                self.word_code(body, scope);
            }
            if r.op.writes() {
                let target = resolve_one(&r.target, scope);
                rules::files::redirect(self, r.op, &target, scope, display);
            }
        }
    }

    /// Judges one command (words already expanded), peeling wrappers and entering interpreters.
    fn unit(
        &mut self,
        words: &[Arg],
        stdin: &Stdin,
        scope: &mut Scope,
        display: &str,
        layer: usize,
    ) {
        if words.is_empty() {
            return;
        }
        if layer > MAX_WRAPPERS {
            self.nesting_limit(display);
            return;
        }
        let unit = Unit {
            words,
            stdin,
            display,
        };
        rules::patterns(self, &unit);
        let Some(verb) = unit.verb() else {
            self.guess(words, stdin, scope, display, layer);
            return;
        };
        let verb = verb.to_string();
        if layer == 0 && self.call(words, scope, display) {
            return;
        }
        // A script runner is judged by the script it runs, where that can be read.
        if self.recipes < MAX_RECIPES
            && let Some(r) = recipes::read(&verb, unit.args(), scope, &self.written)
        {
            self.recipes += 1;
            self.run_recipe(r, scope, display, stdin, layer);
            return;
        }
        // A script the line wrote itself is judged by what it says.
        if let Some(code) = self.runs_written(words, scope) {
            self.run_code(&code, &mut scope.clone(), display);
            return;
        }
        if let Some(source) = self.runs_downloaded(words, stdin, scope) {
            self.opaque(source, display);
            return;
        }
        if matches!(verb.as_str(), "apply_patch" | "applypatch") {
            let text = match (unit.args().first(), stdin) {
                (Some(a), _) => a.exact.then(|| a.text.to_string()),
                (None, Stdin::Text(t)) => Some(t.clone()),
                // Nothing comes in on the agent's own standard input.
                (None, Stdin::Inherited) => return,
                (None, Stdin::Unknown | Stdin::Fetched(_) | Stdin::Found(_)) => None,
            };
            self.patches.push(ShellPatch {
                text,
                cwd: scope.cwd.clone(),
                display: clamp(display, 200),
            });
            return;
        }
        if let Some(readings) = wrappers::unwrap(&verb, unit.args(), stdin) {
            // Readings after a `Cd` run in that directory.
            let mut at = scope.clone();
            for inner in readings {
                match inner {
                    Inner::Cd(dir) => {
                        at.cwd = match target(&dir, &at) {
                            Target::Path(p) => Some(p),
                            _ => None,
                        };
                    }
                    Inner::Words(w) => {
                        let shown = display_args(&w);
                        self.unit(&w, stdin, &mut at, &shown, layer + 1);
                    }
                    Inner::Code(code) => {
                        let mut sub = at.clone();
                        self.run_code(&code, &mut sub, display);
                        // `eval`, `source` and `trap` run in this shell: a `cd` in them counts.
                        if matches!(verb.as_str(), "eval" | "source" | "." | "trap")
                            && sub.cwd != at.cwd
                        {
                            scope.cwd = None;
                        }
                    }
                    Inner::Script(code, args) => {
                        let mut sub = at.clone();
                        sub.set_positional(&args);
                        self.run_code(&code, &mut sub, display);
                    }
                    Inner::Truncates(target) => {
                        rules::files::redirect(self, RedirOp::Out, &target, &at, display)
                    }
                    Inner::Opaque(source) => self.opaque(source, display),
                }
            }
            // `find` both wraps (`-exec`) and deletes (`-delete`); `script` both wraps and writes.
            if !matches!(verb.as_str(), "find" | "script" | "strace" | "ltrace") {
                return;
            }
        }
        rules::judge(self, &unit, scope);
    }

    /// A call of a function or an alias defined earlier in the command: judged with its body (or
    /// text) and the arguments it gets. Returns whether it was one.
    fn call(&mut self, words: &[Arg], scope: &mut Scope, display: &str) -> bool {
        let name = words[0].text.as_str();
        if let Some(body) = scope.functions.get(name).cloned() {
            if self.exec_depth > MAX_EXEC_DEPTH {
                self.nesting_limit(display);
                return true;
            }
            let mut sub = scope.clone();
            sub.set_positional(&words[1..]);
            self.exec_depth += 1;
            self.replay(|w| w.script(&body, &mut sub));
            self.exec_depth -= 1;
            // A function runs in this shell: a `cd` in it moves the caller too.
            if sub.cwd != scope.cwd {
                scope.cwd = None;
            }
            return true;
        }
        if let Some(text) = scope.aliases.get(name).cloned() {
            let code = format!("{text} {}", join_args(&words[1..]));
            let mut sub = scope.clone();
            // An alias does not expand inside itself.
            Rc::make_mut(&mut sub.aliases).remove(name);
            self.run_code(&code, &mut sub, display);
            return true;
        }
        false
    }
}

/// Longest display of a command: reasons show at most 200 bytes of it, so the rest of a long
#[cfg(test)]
mod tests;
