//! Reading a command's options the way getopt does: clusters (`-rf`), values attached or separate
//! (`-n5`, `-n 5`, `--size=0`, `--size 0`), `--` ending options, and GNU's permutation (options after
//! operands still count) where the program does that.

use super::Arg;

/// How one program takes its options.
#[derive(Clone, Copy)]
pub struct Spec<'a> {
    /// Short options that take a value.
    pub short_values: &'a str,
    /// Long options (without `--`) that take a value.
    pub long_values: &'a [&'a str],
    /// Options may follow operands (GNU tools); false for wrappers, whose first operand is a command.
    pub permute: bool,
    /// The options known to take no value, when the program's whole option set is known (wrappers);
    /// any other option is unknown and is read as taking a value when `unknown_takes_value`.
    pub flags: Option<(&'a str, &'a [&'a str])>,
    pub unknown_takes_value: bool,
    /// `NAME=value` words may stand among the options (`sudo`, `env`).
    pub assigns: bool,
}

impl Spec<'_> {
    /// A GNU-style program: options anywhere, unknown options take no value.
    pub const fn gnu<'a>(short_values: &'a str, long_values: &'a [&'a str]) -> Spec<'a> {
        Spec {
            short_values,
            long_values,
            permute: true,
            flags: None,
            unknown_takes_value: false,
            assigns: false,
        }
    }

    fn takes_short(&self, c: char) -> (bool, bool) {
        let value = self.short_values.contains(c);
        let known = value || self.flags.is_none_or(|(f, _)| f.contains(c));
        (value || (!known && self.unknown_takes_value), known)
    }

    fn takes_long(&self, name: &str) -> (bool, bool) {
        let value = self.long_values.iter().any(|l| long_matches(name, l));
        let known = value
            || self
                .flags
                .is_none_or(|(_, f)| f.iter().any(|l| long_matches(name, l)));
        (value || (!known && self.unknown_takes_value), known)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opt {
    Short(char, Option<String>),
    Long(String, Option<String>),
}

#[derive(Debug, Default)]
pub struct Scanned<'a> {
    pub opts: Vec<Opt>,
    pub operands: Vec<&'a Arg>,
    /// Index in the arguments where the operands begin (for non-permuting programs).
    pub rest: usize,
    /// An option outside `Spec::flags` was met.
    pub saw_unknown: bool,
}

impl Scanned<'_> {
    pub fn has_short(&self, c: char) -> bool {
        self.opts
            .iter()
            .any(|o| matches!(o, Opt::Short(x, _) if *x == c))
    }

    /// A long option given in full or as an unambiguous GNU abbreviation (`--forc`).
    pub fn has_long(&self, name: &str) -> bool {
        self.opts
            .iter()
            .any(|o| matches!(o, Opt::Long(x, _) if long_matches(x, name)))
    }

    pub fn has(&self, short: char, long: &str) -> bool {
        self.has_short(short) || self.has_long(long)
    }

    pub fn value(&self, short: char, long: &str) -> Option<&str> {
        self.opts.iter().find_map(|o| match o {
            Opt::Short(x, v) if *x == short => v.as_deref(),
            Opt::Long(x, v) if long_matches(x, long) => v.as_deref(),
            _ => None,
        })
    }

    pub fn values<'s>(&'s self, short: char, long: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.opts.iter().filter_map(move |o| match o {
            Opt::Short(x, v) if *x == short => v.as_deref(),
            Opt::Long(x, v) if long_matches(x, long) => v.as_deref(),
            _ => None,
        })
    }
}

/// `given` is `full` or abbreviates it.
pub fn long_matches(given: &str, full: &str) -> bool {
    // getopt_long (and git) take any unambiguous prefix, down to one letter: `--f` is `--force`.
    // An ambiguous one makes the program refuse to run, so reading it as a match errs safe.
    !given.is_empty() && full.starts_with(given)
}

/// `NAME=value` with a valid shell name.
pub fn is_assignment(t: &str) -> bool {
    match t.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        }
        None => false,
    }
}

/// Scans `args` (the words after the verb).
pub fn scan<'a>(args: &'a [Arg], spec: &Spec) -> Scanned<'a> {
    let mut out = Scanned::default();
    let mut i = 0;
    let mut only_operands = false;
    let end_options = |out: &mut Scanned<'a>, i: usize| {
        out.rest = i;
        out.operands.extend(args[i..].iter());
    };
    while i < args.len() {
        let a = &args[i];
        let t = a.text.as_str();
        if only_operands || !a.exact || !t.starts_with('-') || t == "-" {
            // `NAME=VALUE` whatever the value (`LANG="$LANG"` is an assignment too).
            if !only_operands && spec.assigns && is_assignment(t) {
                i += 1;
                continue;
            }
            if !spec.permute && !only_operands {
                end_options(&mut out, i);
                return out;
            }
            out.operands.push(a);
            i += 1;
            continue;
        }
        if t == "--" {
            only_operands = true;
            i += 1;
            if !spec.permute {
                end_options(&mut out, i);
                return out;
            }
            continue;
        }
        if let Some(long) = t.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (long.to_string(), None),
            };
            let (takes, known) = spec.takes_long(&name);
            out.saw_unknown |= !known;
            let value = if value.is_none() && takes {
                i += 1;
                args.get(i).map(|a| a.text.to_string())
            } else {
                value
            };
            out.opts.push(Opt::Long(name, value));
            i += 1;
            continue;
        }
        let chars: Vec<char> = t[1..].chars().collect();
        for (k, &c) in chars.iter().enumerate() {
            let (takes, known) = spec.takes_short(c);
            out.saw_unknown |= !known;
            if takes {
                let attached: String = chars[k + 1..].iter().collect();
                let value = if attached.is_empty() {
                    i += 1;
                    args.get(i).map(|a| a.text.to_string())
                } else {
                    Some(attached)
                };
                out.opts.push(Opt::Short(c, value));
                break;
            }
            out.opts.push(Opt::Short(c, None));
        }
        i += 1;
    }
    out.rest = args.len();
    out
}

/// An option's value as an argument, as exact as the word it came from (`-f "$OUT"` names a file
/// not known before the command runs).
pub(crate) fn valued(args: &[Arg], value: &str) -> Arg {
    let exact = args
        .iter()
        .find(|a| a.text.as_str() == value || a.text.ends_with(value))
        .is_none_or(|a| a.exact);
    Arg {
        text: value.into(),
        exact,
        glob: false,
        feed: None,
    }
}

/// Every entry below `dir` (a word of `args`, as exact as it), as a glob: where an archive lands.
pub(crate) fn below(args: &[Arg], dir: &str) -> Arg {
    let mut a = valued(args, dir);
    a.text = format!("{}/**", dir.trim_end_matches('/')).into();
    a.glob = true;
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<Arg> {
        s.split_whitespace().map(Arg::known).collect()
    }

    const RM: Spec = Spec::gnu("", &[]);

    #[test]
    fn clusters_and_permutation() {
        let a = args("src -rv --forc");
        let s = scan(&a, &RM);
        assert!(s.has_short('r'));
        assert!(s.has_long("force"));
        assert_eq!(s.operands.len(), 1);
    }

    #[test]
    fn double_dash_ends_options() {
        let a = args("-r -- -f");
        let s = scan(&a, &RM);
        assert!(!s.has_short('f'));
        assert_eq!(s.operands[0].text, "-f");
    }

    #[test]
    fn values_attached_and_separate() {
        let spec = Spec {
            permute: false,
            ..Spec::gnu("n", &["adjustment"])
        };
        let a = args("-n5 --adjustment 3 rm -rf x");
        let s = scan(&a, &spec);
        assert_eq!(s.value('n', "x"), Some("5"));
        assert_eq!(s.value('?', "adjustment"), Some("3"));
        assert_eq!(s.rest, 3);
        assert_eq!(s.operands[0].text, "rm");
    }
}

#[cfg(test)]
mod wrapper_tests {
    use super::*;

    #[test]
    fn unknown_options_can_be_read_both_ways() {
        let a: Vec<Arg> = "-Q x bash -c y"
            .split_whitespace()
            .map(Arg::known)
            .collect();
        let mut spec = Spec {
            permute: false,
            flags: Some(("i0v", &[])),
            assigns: true,
            ..Spec::gnu("uCS", &[])
        };
        let flag = scan(&a, &spec);
        assert!(flag.saw_unknown);
        assert_eq!(flag.rest, 1);
        spec.unknown_takes_value = true;
        assert_eq!(scan(&a, &spec).rest, 2);
        let a: Vec<Arg> = "A=1 -i B=2 cmd"
            .split_whitespace()
            .map(Arg::known)
            .collect();
        assert_eq!(scan(&a, &spec).rest, 3);
    }
}
