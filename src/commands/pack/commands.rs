//! The `so-hook ...` command lines the pack writes, in code spans and code blocks, held to the
//! binary's own command line ([`crate::cli`]): each must name a real subcommand and real options,
//! and an option's value, where it is spelt as words (`--variant full|per-file`), must be one the
//! option takes. Placeholders (`P`, `N`, `<file>`) and the usage marks `[...]` and `...` are fine.

use super::Findings;
use clap::{Arg, Command, CommandFactory};
use std::path::Path;

/// Checks every `so-hook` command line of one pack file.
pub(super) fn command_lines(file: &Path, f: &mut Findings) {
    let Ok(text) = std::fs::read_to_string(file) else {
        return;
    };
    let mut cli = crate::cli::Cli::command();
    cli.build();
    for (line, code) in code_of(&text) {
        for words in commands_in(&code) {
            if let Err(why) = judge(&cli, &words) {
                f.error(file, line, format!("`{}`: {why}", words.join(" ")));
            }
        }
    }
}

/// The code of a Markdown (or TOML) text with the line it starts on: each inline code span (one may
/// run over a line break, not over a blank line) and each line of a fenced block (lines ending in
/// `\` joined with the next).
pub fn code_of(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut fenced = false;
    let mut open: Option<(usize, String)> = None;
    let mut continued: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        if open.is_none() && line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            let (start, mut joined) = continued.take().unwrap_or((number, String::new()));
            match line.trim_end().strip_suffix('\\') {
                Some(head) => {
                    joined.push_str(head);
                    continued = Some((start, joined));
                }
                None => {
                    joined.push_str(line);
                    out.push((start, joined));
                }
            }
            continue;
        }
        if line.trim().is_empty() {
            open = None;
            continue;
        }
        let mut rest = line;
        loop {
            match open.take() {
                Some((start, mut span)) => match rest.find('`') {
                    Some(end) => {
                        span.push_str(&rest[..end]);
                        out.push((start, span));
                        rest = &rest[end + 1..];
                    }
                    None => {
                        span.push_str(rest);
                        span.push(' ');
                        open = Some((start, span));
                        break;
                    }
                },
                None => match rest.find('`') {
                    Some(at) => {
                        open = Some((number, String::new()));
                        rest = &rest[at + 1..];
                    }
                    None => break,
                },
            }
        }
    }
    out
}

/// The `so-hook` commands in one piece of code, as words: the piece is cut at `&&`, `||`, `;` and
/// a `|` standing alone (a `|` inside a word separates alternatives), and a command is a part whose
/// first word is `so-hook` (after a `$ ` prompt).
fn commands_in(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for word in words(code) {
        if matches!(word.as_str(), "&&" | "||" | ";" | "|") {
            out.push(std::mem::take(&mut current));
        } else if let Some(head) = word.strip_suffix(';') {
            current.push(head.to_string());
            out.push(std::mem::take(&mut current));
        } else {
            current.push(word);
        }
    }
    out.push(current);
    out.into_iter()
        .map(|mut c| {
            if c.first().is_some_and(|w| w == "$") {
                c.remove(0);
            }
            c
        })
        .filter(|c| c.first().is_some_and(|w| w == "so-hook"))
        .collect()
}

/// Shell-like words: quotes group and are removed, `<a placeholder>` is one word, and the usage
/// marks `[`, `]` and a trailing `...` are dropped.
fn words(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut angle = false;
    for c in code.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => quote = Some(c),
            (None, '<') => {
                angle = true;
                word.push(c);
            }
            (None, '>') if angle => {
                angle = false;
                word.push(c);
            }
            (None, c) if c.is_whitespace() && !angle => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            (None, c) => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out.into_iter()
        .map(|w| {
            let w = w.trim_start_matches('[');
            let w = w.trim_end_matches("...").trim_end_matches(']');
            w.to_string()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether `words` (starting with `so-hook`) is a command line the binary takes.
fn judge(cli: &Command, words: &[String]) -> Result<(), String> {
    let mut cmd = cli;
    let mut path = String::from("so-hook");
    let mut rest = words[1..].iter().peekable();
    while let Some(word) = rest.next() {
        if let Some(option) = word.strip_prefix("--") {
            let (name, inline) = match option.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (option, None),
            };
            let Some(arg) = cmd.get_arguments().find(|a| a.get_long() == Some(name)) else {
                return Err(format!(
                    "`{path}` has no option `--{name}` ({})",
                    options(cmd)
                ));
            };
            if !arg.get_action().takes_values() {
                continue;
            }
            let optional = arg.get_num_args().is_some_and(|r| r.min_values() == 0);
            let value = match inline {
                Some(v) => Some(v),
                None if optional && rest.peek().is_none_or(|w| w.starts_with('-')) => None,
                None => rest.next().cloned(),
            };
            match value {
                Some(v) => value_of(arg, name, &v)?,
                None if optional => {}
                None => return Err(format!("`--{name}` needs a value")),
            }
        } else if word.starts_with('-') && word.len() > 1 {
            let known = word.chars().skip(1).all(|c| {
                cmd.get_arguments()
                    .any(|a| a.get_short() == Some(c) && !a.get_action().takes_values())
            });
            if !known {
                return Err(format!("`{path}` has no option `{word}`"));
            }
        } else if cmd.has_subcommands() {
            let Some(sub) = cmd.find_subcommand(word) else {
                let names: Vec<&str> = cmd
                    .get_subcommands()
                    .filter(|c| !c.is_hide_set() && c.get_name() != "help")
                    .map(Command::get_name)
                    .collect();
                return Err(format!(
                    "`{path}` has no subcommand `{word}` ({})",
                    names.join(", ")
                ));
            };
            cmd = sub;
            path = format!("{path} {word}");
        } else if cmd.get_positionals().next().is_none() {
            return Err(format!("`{path}` takes no argument `{word}`"));
        }
    }
    Ok(())
}

/// An option's value spelt as lower-case words (`full`, `full|per-file`) must be among the values
/// the option takes; anything else (`P`, `N`, `'src/'`) is a placeholder or free text.
fn value_of(arg: &Arg, name: &str, value: &str) -> Result<(), String> {
    let possible = arg.get_possible_values();
    let is_word = |w: &str| {
        w.starts_with(|c: char| c.is_ascii_lowercase())
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    if possible.is_empty() || !value.split('|').all(is_word) {
        return Ok(());
    }
    for alternative in value.split('|') {
        if !possible.iter().any(|p| p.matches(alternative, false)) {
            let names: Vec<&str> = possible.iter().map(|p| p.get_name()).collect();
            return Err(format!(
                "`--{name}` takes {}, not `{alternative}`",
                names.join(", ")
            ));
        }
    }
    Ok(())
}

/// The long options of a command, for a message.
fn options(cmd: &Command) -> String {
    let names: Vec<String> = cmd
        .get_arguments()
        .filter(|a| !a.is_hide_set())
        .filter_map(Arg::get_long)
        .filter(|l| !matches!(*l, "help" | "version"))
        .map(|l| format!("--{l}"))
        .collect();
    if names.is_empty() {
        "it takes no option".into()
    } else {
        format!("it takes {}", names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdicts(code: &str) -> Vec<Result<(), String>> {
        let mut cli = crate::cli::Cli::command();
        cli.build();
        commands_in(code).iter().map(|w| judge(&cli, w)).collect()
    }

    #[test]
    fn spans_run_over_a_line_break_and_fences_join_continued_lines() {
        let text = "See `so-hook scope set --wave N\n--role R` and\n\n```sh\nso-hook gate \\\n  --variant full\n```\n`open\n\nx`";
        let code = code_of(text);
        assert_eq!(code[0], (1, "so-hook scope set --wave N --role R".into()));
        assert_eq!(code[1].0, 5);
        assert!(code[1].1.contains("--variant full"));
        assert_eq!(
            code.len(),
            2,
            "a span does not cross a blank line: {code:?}"
        );
    }

    #[test]
    fn real_lines_pass_with_placeholders_and_usage_marks() {
        for line in [
            "so-hook scope set --wave N --role R [--allow PAT]... [--block CMD]... --platform P",
            "so-hook gate --variant baseline|incremental|full|per-file [--since REF] [--files a,b] --platform P",
            "so-hook validate <file>",
            "so-hook validate --plugin",
            "so-hook config --json | jq -r '.config.waves'",
            "$ so-hook --version",
            "so-hook scope set --wave W --role Finalization --allow <exactly those files> --block 'git commit'",
        ] {
            assert_eq!(verdicts(line), [Ok(())], "{line}");
        }
    }

    #[test]
    fn unknown_subcommands_options_and_values_are_named() {
        let cases = [
            ("so-hook scope shw", "has no subcommand `shw`"),
            (
                "so-hook scope show --plattform P",
                "`so-hook scope show` has no option `--plattform`",
            ),
            ("so-hook gate --variant fulll", "`--variant` takes baseline"),
            ("so-hook blocked [<rule>]", "has no subcommand `blocked`"),
            ("so-hook config cursor", "takes no argument `cursor`"),
            ("so-hook scope set --wave", "`--wave` needs a value"),
        ];
        for (line, expected) in cases {
            let v = verdicts(line);
            assert!(
                matches!(&v[..], [Err(why)] if why.contains(expected)),
                "{line}: {v:?}"
            );
        }
        assert!(verdicts("echo so-hook scope shw").is_empty());
    }
}
