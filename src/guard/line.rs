//! What the walk remembers from one command of a line for the next: where moves put content of
//! which class, which files downloads wrote; and code from a download about to run.

use super::class;
use super::expand::{Arg, Scope, Stdin, Target, output_of, resolve_one, target};
use super::shell::{Command, Redirect, SimpleCommand};
use super::{Walker, command_name, inline, wrappers};
use crate::hook::decision::{Finding, Verdict, clamp};
use std::path::PathBuf;

/// The longest script text the line wrote that the guard keeps to judge, should the line run it.
const MAX_SCRIPT: usize = 64 * 1024;

impl Walker<'_> {
    /// Code from a download or a decoder runs: no one can read it before it does.
    pub(super) fn opaque(&mut self, source: &str, display: &str) {
        self.report(
            Finding::new(
                Verdict::Ask,
                "pipe-to-shell",
                format!(
                    "`{}` runs code from {source} that so-hook cannot read before it runs. Have it \
                     read first (save a download to a file), or ask the user to run it.",
                    clamp(display, 200)
                ),
            )
            .with_unit(clamp(display, 200)),
        );
    }

    /// Where the code a shell or an interpreter is about to run came from, when that is a
    /// download or a decoder: a code argument that is one (`bash -c "$(curl URL)"`, `eval`,
    /// `python3 <(curl URL)`), a download on its standard input (`curl URL | python3`), or a file
    /// a download wrote earlier on the line (`curl -o i.sh URL && bash i.sh`, `./i.sh`).
    pub(super) fn runs_downloaded(
        &self,
        words: &[Arg],
        stdin: &Stdin,
        scope: &Scope,
    ) -> Option<&'static str> {
        let downloaded = |a: &Arg| -> Option<&'static str> {
            if self.downloads.is_empty() {
                return None;
            }
            let Target::Path(p) = target(a, scope) else {
                return None;
            };
            self.downloads
                .iter()
                .find(|(q, _)| *q == p)
                .map(|(_, from)| *from)
        };
        let first = words.first()?;
        if first.text.contains('/')
            && let Some(from) = downloaded(first)
        {
            return Some(from);
        }
        let verb = command_name(first.value()?);
        // PowerShell running what it downloads (`irm URL | iex`).
        if super::rules::windows::runs_download(verb, &words[1..]) {
            return Some("a download");
        }
        let runs_code = wrappers::SHELLS.contains(&verb)
            || matches!(verb, "eval" | "source" | ".")
            || inline::is_interpreter(verb);
        if !runs_code {
            return None;
        }
        let args = &words[1..];
        for a in args {
            if let Some(Stdin::Fetched(from)) = a.feed.as_deref() {
                return Some(from);
            }
        }
        // The script it runs is its first operand (`bash i.sh ARGS`, `python3 i.py data.json`).
        if let Some(from) = args
            .iter()
            .find(|a| !a.text.starts_with('-'))
            .and_then(downloaded)
        {
            return Some(from);
        }
        // An interpreter with no script named reads its program from standard input.
        let script_named = args.iter().any(|a| !a.text.starts_with('-'));
        match stdin {
            Stdin::Fetched(from) if inline::is_interpreter(verb) && !script_named => Some(from),
            _ => None,
        }
    }

    /// A download was saved to `p`.
    pub(crate) fn downloaded(&mut self, p: PathBuf) {
        self.downloads.push((p, "a download"));
    }

    /// Content of `class` was moved to `to`.
    pub(crate) fn carry(&mut self, to: PathBuf, class: class::Class) {
        self.carried.push((to, class));
    }

    /// The class that moves earlier on the line carried to `t` (or below it), if any.
    pub(crate) fn carried(&self, t: &Target) -> Option<class::Class> {
        let reaches = |to: &PathBuf| match t {
            Target::Path(p) => {
                crate::project::paths::within(p, to) || crate::project::paths::within(to, p)
            }
            Target::Glob { dir, .. } => {
                crate::project::paths::within(to, dir) || crate::project::paths::within(dir, to)
            }
            Target::Unknown => false,
        };
        self.carried
            .iter()
            .filter(|(to, _)| reaches(to))
            .map(|(_, c)| *c)
            .reduce(class::Class::worst)
    }

    /// A file was written with `text`.
    pub(super) fn wrote(&mut self, p: PathBuf, text: String) {
        self.written.retain(|(q, _)| *q != p);
        self.written.push((p, text));
    }

    /// The text of a script the line wrote earlier, when a shell or `source` runs it, or the line
    /// runs it by its path (`sh x.sh`, `. x.sh`, `./x.sh`).
    /// The text of a file a command reads (`psql -f FILE`): as written earlier on the line, else
    /// from the disk (up to 256 KiB; a larger or unreadable file is not read).
    pub(crate) fn file_text(&self, name: &str, scope: &Scope) -> Option<String> {
        let Target::Path(p) = target(&Arg::known(name), scope) else {
            return None;
        };
        if let Some((_, t)) = self.written.iter().rev().find(|(q, _)| *q == p) {
            return Some(t.clone());
        }
        crate::project::paths::read_capped(&p, 256 * 1024)
    }

    pub(super) fn runs_written(&self, words: &[Arg], scope: &Scope) -> Option<String> {
        if self.written.is_empty() {
            return None;
        }
        let text_of = |a: &Arg| match target(a, scope) {
            Target::Path(p) => self
                .written
                .iter()
                .find(|(q, _)| *q == p)
                .map(|(_, t)| t.clone()),
            _ => None,
        };
        let first = words.first()?;
        if first.text.contains('/')
            && let Some(t) = text_of(first)
        {
            return Some(t);
        }
        let verb = command_name(first.value()?);
        if !(wrappers::SHELLS.contains(&verb) || matches!(verb, "source" | ".")) {
            return None;
        }
        words[1..]
            .iter()
            .find(|a| !a.text.starts_with('-'))
            .and_then(text_of)
    }

    /// What a command's redirections leave in files for the rest of the line: known text
    /// (`echo 'rm -rf src' > x.sh`, `cat > x.sh <<EOF`), judged as code if the line runs it, or
    /// a download (`curl URL > i.sh`).
    pub(super) fn remember_files(
        &mut self,
        cmd: &Command,
        sc: &SimpleCommand,
        words: &[Arg],
        scope: &Scope,
        piped: &Stdin,
    ) {
        let files = |keep: fn(&Redirect) -> bool| -> Vec<PathBuf> {
            sc.redirects
                .iter()
                .filter(|r| keep(r))
                .filter_map(|r| match target(&resolve_one(&r.target, scope), scope) {
                    Target::Path(p) => Some(p),
                    _ => None,
                })
                .collect()
        };
        let written = files(|r| r.op.truncates());
        if !written.is_empty() {
            // A long here-document (a file an agent writes whole) is not copied to be kept: a
            // line that then runs it runs code too long to follow here, which asks.
            let long = sc
                .redirects
                .iter()
                .filter_map(|r| r.heredoc.as_ref())
                .any(|h| h.raw().len() > MAX_SCRIPT);
            if long {
                self.downloads.extend(
                    written
                        .into_iter()
                        .map(|p| (p, "a long script this line wrote")),
                );
            } else if let Stdin::Text(text) = output_of(cmd, scope, piped) {
                for p in written {
                    self.wrote(p, text.clone());
                }
            }
        }
        let downloads = words
            .first()
            .and_then(|w| w.value())
            .is_some_and(|v| matches!(command_name(v), "curl" | "wget"));
        if downloads {
            for p in files(|r| r.op.writes()) {
                self.downloaded(p);
            }
        }
    }
}
