//! `npm run X`, `make X`, `just X`: a script runner is judged by what it runs, read where the
//! runner reads it (the project's `package.json`, Makefile or justfile, or one the same command
//! line wrote). A script that cannot be read (no file, no such script, a file too large to read,
//! a recipe in another language) leaves the command judged as it was: no new deny without
//! evidence. A script too large to judge is denied as beyond what so-hook follows.

mod just;
mod make;
mod package;

use super::{Arg, Scope, Target, Walker, target};
use crate::hook::decision::{Finding, clamp};
use std::path::{Path, PathBuf};

/// Most bytes read of one package.json, Makefile or justfile.
const MAX_FILE: usize = 256 * 1024;
/// Most bytes read for one runner command, every included file counted.
const MAX_READ: usize = 1024 * 1024;
/// Most bytes of script text judged for one runner command.
const MAX_TEXT: usize = 256 * 1024;
/// Most targets or recipes one runner command reaches through prerequisites and dependencies.
const MAX_TARGETS: usize = 256;

/// What a runner command runs.
pub enum Recipe {
    /// Shell text, each entry one shell invocation, in the directory it runs in.
    Code {
        /// Where the text was read, for the reason (`package.json's script \`clean\``).
        from: String,
        dir: PathBuf,
        lines: Vec<String>,
    },
    /// A command the runner starts as it is (`pnpm prisma ...` with no script of that name).
    Command(Vec<Arg>),
    /// More than so-hook reads (too many targets, too much text): what it says.
    TooLarge(String),
}

/// Files as the runner reads them: a file the command line wrote earlier, else the disk, within
/// the read budget.
pub struct Files<'a> {
    written: &'a [(PathBuf, String)],
    read: usize,
}

impl Files<'_> {
    fn text(&mut self, p: &Path) -> Option<String> {
        if let Some((_, t)) = self.written.iter().rev().find(|(q, _)| q == p) {
            return Some(t.clone());
        }
        let text = crate::project::paths::read_capped(p, MAX_FILE)?;
        if self.read + text.len() > MAX_READ {
            return None;
        }
        self.read += text.len();
        Some(text)
    }

    fn exists(&self, p: &Path) -> bool {
        self.written.iter().any(|(q, _)| q == p) || p.is_file()
    }
}

/// The recipe `verb args` runs, when it is one this module reads and its text can be read.
pub fn read(
    verb: &str,
    args: &[Arg],
    scope: &Scope,
    written: &[(PathBuf, String)],
) -> Option<Recipe> {
    let mut files = Files { written, read: 0 };
    match verb {
        "npm" | "pnpm" | "yarn" | "bun" => package::script(verb, args, scope, &mut files),
        "run-s" | "run-p" | "npm-run-all" => package::run_all(args, scope, &mut files),
        "make" | "gmake" => make::read(args, scope, &mut files),
        "just" => just::read(args, scope, &mut files),
        _ => None,
    }
}

/// A directory named by an option, from where the command runs.
fn dir_of(value: &str, scope: &Scope) -> Option<PathBuf> {
    match target(&Arg::known(value), scope) {
        Target::Path(p) => Some(p),
        _ => None,
    }
}

fn quoted(a: &Arg) -> String {
    format!("'{}'", a.text.replace('\'', "'\\''"))
}

/// Checks the size of what was read: `Code`, or `TooLarge` past the bounds.
fn sized(from: String, dir: PathBuf, lines: Vec<String>, targets: usize) -> Recipe {
    let total: usize = lines.iter().map(String::len).sum();
    if total > MAX_TEXT || targets > MAX_TARGETS {
        return Recipe::TooLarge(format!(
            "{from} runs more than so-hook reads ({} KB of text or {MAX_TARGETS} targets)",
            MAX_TEXT / 1024
        ));
    }
    Recipe::Code { from, dir, lines }
}

impl Walker<'_> {
    /// Judges what a runner command runs: each line of a recipe as the shell the runner starts
    /// would run it, in the recipe's directory; what it finds says which command and script it
    /// came from.
    pub(super) fn run_recipe(
        &mut self,
        r: Recipe,
        scope: &Scope,
        display: &str,
        stdin: &super::Stdin,
        layer: usize,
    ) {
        match r {
            Recipe::Code { from, dir, lines } => {
                let before = self.findings.len();
                for line in &lines {
                    let mut at = scope.clone();
                    at.cwd = Some(dir.clone());
                    self.run_code(line, &mut at, display);
                }
                let shown = clamp(display, 120);
                for f in &mut self.findings[before..] {
                    f.reason = format!("`{shown}` runs {from}: {}", f.reason);
                }
            }
            Recipe::Command(words) => {
                self.unit(&words, stdin, &mut scope.clone(), display, layer + 1);
            }
            Recipe::TooLarge(what) => self.report(
                Finding::deny(
                    "nesting-limit",
                    format!(
                        "`{}`: {what}, so what finally runs cannot be judged. Run the commands \
                         directly.",
                        clamp(display, 200)
                    ),
                )
                .with_unit(clamp(display, 200)),
            ),
        }
    }
}
