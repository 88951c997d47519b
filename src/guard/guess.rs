//! Commands whose name is not knowable before they run (`$CMD -rf src`, `"$@"`, `$SUDO cp a b`):
//! judged as each command the rules know, the worst reading deciding.

use super::*;

/// The commands an unknown command name is judged as.
///
/// Only readings whose destructive forms cannot be mistaken for another tool's everyday use:
/// `rm -rf`, `find -delete`, `dd of=`, and code or a command handed on (`eval`, `bash -c`,
/// `command`/`sudo`-like). Reading `$DOCKER rm -f app` as git would only raise false alarms.
pub(super) const UNKNOWN_VERB_READINGS: &[&str] = &["rm", "find", "dd", "eval", "bash", "command"];

impl Walker<'_> {
    /// Judges `words`, whose first word is not knowable, as each of [`UNKNOWN_VERB_READINGS`].
    pub(super) fn guess(
        &mut self,
        words: &[Arg],
        stdin: &Stdin,
        scope: &mut Scope,
        display: &str,
        layer: usize,
    ) {
        // A command name not knowable before it runs (`$CMD -rf src`, `"$@"`) is judged as
        // each command the rules know; the worst reading decides.
        let args = &words[1..];
        for guess in UNKNOWN_VERB_READINGS {
            // Skip readings the arguments cannot make destructive (this keeps long argument
            // lists cheap).
            let relevant = match *guess {
                "rm" => args.iter().any(|a| !a.exact || a.text.starts_with('-')),
                "find" => args
                    .iter()
                    .any(|a| a.text == "-delete" || a.text.starts_with("-exec")),
                "dd" => args.iter().any(|a| a.text.starts_with("of=")),
                _ => true,
            };
            if !relevant {
                continue;
            }
            // Only guesses within guesses multiply; the others grow with the command.
            if self.guessing {
                self.guesses += 1;
            }
            if self.past_bound(self.guesses, MAX_GUESSES, || {
                format!(
                    "The command has more than {MAX_GUESSES} readings of command names that \
                     are not known before it runs, more than so-hook follows. Name the \
                     commands, or split it into smaller commands."
                )
            }) {
                return;
            }
            let mut as_guess = words.to_vec();
            as_guess[0] = Arg::known(*guess);
            // An unknown name before a literal command name (`$SUDO cp -f a b`, `$run mv a b`)
            // may be a wrapper: the effect table judges that command as itself. (A wave's
            // scope does not: `$DOCKER rm -f app` is more often a tool's own subcommand.)
            // (`install` and `rm` after an unknown name are another tool's subcommands far
            // more often than coreutils': `"$PIP" install -r req.txt`, `$GIT rm --cached x`.)
            let wrapper = *guess == "command"
                && !self.guessing
                && args.first().is_some_and(|a| {
                    a.exact && !a.text.starts_with('-') && !matches!(&*a.text, "install" | "rm")
                });
            // Guesses count as replays: read as `eval` or `bash`, unknown words hold more
            // unknown names, each guessed again.
            let guessing = std::mem::replace(&mut self.guessing, true);
            let as_wrapper = std::mem::replace(&mut self.wrapper_guess, wrapper);
            self.replay(|w| w.unit(&as_guess, stdin, scope, display, layer + 1));
            self.guessing = guessing;
            self.wrapper_guess = as_wrapper;
        }
    }
}
