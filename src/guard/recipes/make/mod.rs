//! Makefiles, as GNU make reads them: the files (`-f`, `-C`, `include`, `--eval`), variables
//! (every assignment operator, `define`, target-specific values, the command line's and the
//! environment's), explicit and pattern rules, prerequisites first, and the recipe lines with
//! their variables and the common functions expanded. What cannot be known (a `$(shell ...)`, a
//! value set in a conditional branch) becomes a shell variable nobody set.

use super::{Arg, Files, Recipe, Scope, dir_of, sized};
use std::collections::HashMap;
use std::path::PathBuf;

/// Most files read for one make command, includes counted.
const MAX_FILES: usize = 16;
/// Most variable references and characters one make command's expansion produces: an exponential
/// chain of variables (`V1 = $(V0)$(V0)...`) stops here, and the command is judged as before.
const MAX_REFS: usize = 20_000;
const MAX_OUT: usize = 512 * 1024;
/// A value that cannot be known, as the shell will read it.
const UNKNOWN: &str = "${make_value}";

#[derive(Default)]
struct Makefile {
    vars: HashMap<String, String>,
    /// `target: VAR = value`.
    target_vars: Vec<(String, String, String)>,
    rules: Vec<Rule>,
    default_goal: Option<String>,
}

struct Rule {
    targets: Vec<String>,
    prereqs: Vec<String>,
    recipe: Vec<String>,
}

/// The state of a parse across included files.
struct Parser<'a, 'f> {
    mk: Makefile,
    files: &'a mut Files<'f>,
    dir: PathBuf,
    /// Variables the command line sets (they override the Makefile's).
    overrides: HashMap<String, String>,
    env: &'a dyn Fn(&str) -> Option<String>,
    read: usize,
    prefix: char,
}

pub(super) fn read(args: &[Arg], scope: &Scope, files: &mut Files) -> Option<Recipe> {
    let mut dir = scope.cwd.clone()?;
    let mut makefiles: Vec<String> = Vec::new();
    let mut evals: Vec<String> = Vec::new();
    let mut goals = Vec::new();
    let mut overrides = HashMap::new();
    let mut dry = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let t = a.text.as_str();
        let next = args
            .get(i + 1)
            .filter(|v| v.exact)
            .map(|v| v.text.to_string());
        // `-C DIR`, `-CDIR`, `--directory=DIR`, and the same for `-f`.
        let valued = |short: &str, long: &[&str]| -> Option<Option<String>> {
            if t == short || long.contains(&t) {
                return Some(next.clone());
            }
            if let Some(v) = t
                .strip_prefix(short)
                .filter(|v| !v.is_empty() && short.len() == 2)
            {
                return Some(Some(v.to_string()));
            }
            long.iter()
                .find_map(|l| t.strip_prefix(&format!("{l}=")))
                .map(|v| Some(v.to_string()))
        };
        if !a.exact {
            return None;
        }
        if let Some(v) = valued("-C", &["--directory"]) {
            let here = Scope {
                cwd: Some(dir.clone()),
                ..scope.clone()
            };
            dir = dir_of(&v?, &here)?;
            i += if t == "-C" || t == "--directory" {
                2
            } else {
                1
            };
            continue;
        }
        if let Some(v) = valued("-f", &["--file", "--makefile"]) {
            makefiles.push(v?);
            i += if matches!(t, "-f" | "--file" | "--makefile") {
                2
            } else {
                1
            };
            continue;
        }
        if let Some(v) = t.strip_prefix("--eval=") {
            evals.push(v.to_string());
        } else if t == "--eval" {
            evals.push(next?);
            i += 1;
        } else if matches!(
            t,
            "-n" | "--dry-run"
                | "--just-print"
                | "--recon"
                | "-q"
                | "--question"
                | "-t"
                | "--touch"
        ) {
            // Only `+` lines and `$(MAKE)` lines run.
            dry = true;
        } else if matches!(t, "-h" | "--help" | "-v" | "--version") {
            return None;
        } else if matches!(
            t,
            "-j" | "-l" | "-o" | "-W" | "-I" | "--jobs" | "--load-average"
        ) && next
            .as_deref()
            .is_some_and(|n| !n.starts_with('-') && !n.contains('='))
            && matches!(t, "-o" | "-W" | "-I")
        {
            i += 1;
        } else if !t.starts_with('-') {
            match t.split_once('=') {
                Some((k, v)) => {
                    overrides.insert(
                        k.trim_end_matches([':', '?', '+']).to_string(),
                        v.to_string(),
                    );
                }
                None => goals.push(t.to_string()),
            }
        }
        i += 1;
    }
    let env = |k: &str| scope.var(k).map(str::to_string);
    let mut p = Parser {
        mk: Makefile::default(),
        files,
        dir: dir.clone(),
        overrides,
        env: &env,
        read: 0,
        prefix: '\t',
    };
    if makefiles.is_empty() {
        let found = ["GNUmakefile", "makefile", "Makefile"]
            .iter()
            .find(|n| p.files.exists(&dir.join(n)))?;
        makefiles.push(found.to_string());
    }
    for f in &makefiles {
        let text = p.files.text(&dir.join(f))?;
        p.read += 1;
        p.parse(&text);
    }
    for e in &evals {
        p.parse(e);
    }
    let mut mk = p.mk;
    for (k, v) in p.overrides {
        mk.vars.insert(k, v);
    }
    let mut x = Expander {
        mk: &mk,
        refs: 0,
        out: 0,
        target_vars: Vec::new(),
    };
    if goals.is_empty() {
        let first = x.clone_expand(mk.default_goal.as_deref()?)?;
        goals.push(first.split_whitespace().next()?.to_string());
    }
    let shown = goals.join(" ");
    let mut lines = Vec::new();
    let mut seen = Vec::new();
    for g in &goals {
        x.target(g, &mut seen, &mut lines, dry)?;
    }
    if lines.is_empty() {
        return None;
    }
    Some(sized(
        format!("the Makefile's recipe for `{shown}`"),
        dir,
        lines,
        seen.len(),
    ))
}

impl Parser<'_, '_> {
    fn parse(&mut self, text: &str) {
        let joined = text.replace("\\\r\n", " ").replace("\\\n", " ");
        let mut current: Option<usize> = None;
        // Inside `ifeq`/`ifdef`...: values set there depend on what cannot be known here.
        let mut conditional = 0usize;
        let mut define: Option<(String, Vec<String>)> = None;
        for line in joined.lines() {
            if let Some((name, body)) = &mut define {
                if line.trim() == "endef" {
                    let (name, body) = define.take().unwrap_or_default();
                    self.set(&name, body.join("\n"), conditional > 0);
                } else {
                    body.push(line.to_string());
                    let _ = name;
                }
                continue;
            }
            if let Some(body) = line.strip_prefix(self.prefix) {
                if let Some(r) = current {
                    let body = body.trim();
                    if !body.is_empty() && !body.starts_with('#') {
                        self.mk.rules[r].recipe.push(body.to_string());
                    }
                }
                continue;
            }
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let mut words = trimmed.split_whitespace();
            let word = words.next().unwrap_or("");
            match word {
                "ifeq" | "ifneq" | "ifdef" | "ifndef" => {
                    conditional += 1;
                    current = None;
                    continue;
                }
                "endif" => {
                    conditional = conditional.saturating_sub(1);
                    continue;
                }
                "else" => continue,
                "define" => {
                    let name = words.next().unwrap_or_default().to_string();
                    define = Some((name, Vec::new()));
                    current = None;
                    continue;
                }
                "include" | "-include" | "sinclude" => {
                    for f in words {
                        if self.read >= MAX_FILES {
                            break;
                        }
                        let f = self.expand_plain(f);
                        let path = self.dir.join(f);
                        if let Some(text) = self.files.text(&path) {
                            self.read += 1;
                            self.parse(&text);
                        }
                    }
                    current = None;
                    continue;
                }
                "vpath" | "unexport" | "endef" => continue,
                _ => {}
            }
            let stripped = ["export ", "override ", "private "]
                .iter()
                .fold(trimmed, |t, p| t.strip_prefix(p).unwrap_or(t));
            if let Some((name, op, value)) = assignment(stripped) {
                current = None;
                self.assign(name, op, value, conditional > 0);
                continue;
            }
            // A rule: `targets: prerequisites [; recipe]`, or a target-specific variable.
            if let Some(colon) = rule_colon(trimmed) {
                let targets: Vec<String> = trimmed[..colon]
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
                let after = trimmed[colon..].trim_start_matches(':').trim();
                let after_vars = ["export ", "override ", "private "]
                    .iter()
                    .fold(after, |t, p| t.strip_prefix(p).unwrap_or(t));
                if let Some((name, _, value)) = assignment(after_vars) {
                    for t in &targets {
                        self.mk
                            .target_vars
                            .push((t.clone(), name.to_string(), value.to_string()));
                    }
                    continue;
                }
                let (prereqs, inline) = match after.split_once(';') {
                    Some((p, r)) => (p, Some(r.trim().to_string())),
                    None => (after, None),
                };
                let prereqs: Vec<String> = prereqs
                    .split('|')
                    .next()
                    .unwrap_or("")
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
                if self.mk.default_goal.is_none()
                    && let Some(t) = targets
                        .iter()
                        .find(|t| !t.starts_with('.') && !t.contains('%'))
                {
                    self.mk.default_goal = Some(t.clone());
                }
                self.mk.rules.push(Rule {
                    targets,
                    prereqs,
                    recipe: inline.into_iter().collect(),
                });
                current = Some(self.mk.rules.len() - 1);
                continue;
            }
            current = None;
        }
    }

    fn assign(&mut self, name: &str, op: &str, value: &str, conditional: bool) {
        if name == ".RECIPEPREFIX" {
            self.prefix = value.chars().next().unwrap_or('\t');
            return;
        }
        if name == ".DEFAULT_GOAL" {
            self.mk.default_goal = Some(value.to_string());
            return;
        }
        let value = match op {
            "!" => UNKNOWN.to_string(),
            // Appended in place (a file of 36,000 `X += a` lines once took 1.5 GB copying).
            "+" => {
                let old = self.mk.vars.entry(name.to_string()).or_default();
                if conditional || old.len() + value.len() > MAX_OUT / 8 {
                    *old = UNKNOWN.to_string();
                } else if old != UNKNOWN {
                    if !old.is_empty() {
                        old.push(' ');
                    }
                    old.push_str(value);
                }
                return;
            }
            // `?=` keeps a value the Makefile or the environment already gives.
            "?" => {
                if self.mk.vars.contains_key(name) {
                    return;
                }
                (self.env)(name).unwrap_or_else(|| value.to_string())
            }
            _ => value.to_string(),
        };
        self.set(name, value, conditional);
    }

    fn set(&mut self, name: &str, value: String, conditional: bool) {
        let value = if conditional || value.len() > MAX_OUT / 8 {
            UNKNOWN.to_string()
        } else {
            value
        };
        self.mk.vars.insert(name.to_string(), value);
    }

    /// A file name in an `include`, with plain variables filled in.
    fn expand_plain(&self, word: &str) -> String {
        let mut x = Expander {
            mk: &self.mk,
            refs: 0,
            out: 0,
            target_vars: Vec::new(),
        };
        x.expand(word, &Auto::default(), 0).unwrap_or_default()
    }
}

/// `NAME op= value` with op one of `=`, `:=`, `::=`, `:::=`, `?=`, `+=`, `!=`: (name, op, value),
/// op without its `=` (`""` for `=` and the `:` forms).
fn assignment(line: &str) -> Option<(&str, &str, &str)> {
    let eq = line.find('=')?;
    let head = &line[..eq];
    let name_end = head.trim_end_matches([':', '?', '+', '!']).len();
    let name = head[..name_end].trim();
    if name.is_empty() || name.contains([':', ' ', '\t', '$', '(', ')']) && !name.starts_with("$(")
    {
        return None;
    }
    let op = match &head[name_end..] {
        "?" => "?",
        "+" => "+",
        "!" => "!",
        ":" | "::" | ":::" | "" => "",
        _ => return None,
    };
    Some((name, op, line[eq + 1..].trim()))
}

/// Where a rule line's target list ends: the first `:` outside `$(...)` that is not part of an
/// assignment operator and not a drive letter.
fn rule_colon(line: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in line.char_indices() {
        match c {
            '(' | '{' => depth += 1,
            ')' | '}' => depth -= 1,
            ':' if depth == 0 => return Some(i),
            '=' if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

/// The automatic variables of one recipe.
#[derive(Default)]
struct Auto {
    target: String,
    prereqs: Vec<String>,
    stem: Option<String>,
}

struct Expander<'m> {
    mk: &'m Makefile,
    refs: usize,
    out: usize,
    /// Target-specific values in force for the recipe being expanded.
    target_vars: Vec<(String, String)>,
}

impl Expander<'_> {
    fn value(&self, name: &str) -> Option<String> {
        if let Some((_, v)) = self.target_vars.iter().rev().find(|(k, _)| k == name) {
            return Some(v.clone());
        }
        self.mk.vars.get(name).cloned().or_else(|| match name {
            "RM" => Some("rm -f".into()),
            "MAKE" => Some("make".into()),
            "CC" => Some("cc".into()),
            "CXX" => Some("g++".into()),
            "SHELL" => Some("/bin/sh".into()),
            _ => None,
        })
    }

    /// Adds `target`'s recipe lines (and, first, its prerequisites') to `lines`; `None` when the
    /// expansion ran past its bounds.
    fn target(
        &mut self,
        goal: &str,
        seen: &mut Vec<String>,
        lines: &mut Vec<String>,
        dry: bool,
    ) -> Option<()> {
        if seen.iter().any(|s| s == goal) || seen.len() > super::MAX_TARGETS {
            if seen.len() > super::MAX_TARGETS {
                seen.push(goal.to_string());
            }
            return Some(());
        }
        seen.push(goal.to_string());
        let mut matched = false;
        let mk = self.mk;
        for rule in &mk.rules {
            // Explicit targets, expanded; else a pattern with one `%`.
            let mut stem = None;
            let mut explicit = false;
            for t in rule.targets.iter().filter(|t| !t.contains('%')) {
                if self.clone_expand(t)?.split_whitespace().any(|w| w == goal) {
                    explicit = true;
                }
            }
            if !explicit {
                stem = rule.targets.iter().find_map(|t| {
                    let (pre, post) = t.split_once('%')?;
                    goal.strip_prefix(pre)?
                        .strip_suffix(post)
                        .map(str::to_string)
                });
                if stem.is_none() || matched {
                    continue;
                }
            }
            matched = true;
            let mut prereqs: Vec<String> = Vec::new();
            for p in &rule.prereqs {
                let p = match &stem {
                    Some(s) => p.replace('%', s),
                    None => p.clone(),
                };
                prereqs.extend(
                    self.clone_expand(&p)?
                        .split_whitespace()
                        .map(str::to_string),
                );
            }
            for p in &prereqs {
                self.target(p, seen, lines, dry)?;
            }
            self.target_vars = mk
                .target_vars
                .iter()
                .filter(|(t, _, _)| t == goal)
                .map(|(_, k, v)| (k.clone(), v.clone()))
                .collect();
            let auto = Auto {
                target: goal.to_string(),
                prereqs,
                stem,
            };
            for line in &rule.recipe {
                let line = line.trim_start();
                let forced = line.trim_start_matches(['@', '-']).starts_with('+')
                    || line.contains("$(MAKE)")
                    || line.contains("${MAKE}");
                if dry && !forced {
                    continue;
                }
                let line = line.trim_start_matches(['@', '-', '+']).trim_start();
                lines.push(self.expand(line, &auto, 0)?);
            }
            self.target_vars.clear();
        }
        Some(())
    }

    fn clone_expand(&mut self, text: &str) -> Option<String> {
        self.expand(text, &Auto::default(), 0)
    }

    /// `text` with its make references replaced; `None` past the bounds.
    fn expand(&mut self, text: &str, auto: &Auto, depth: usize) -> Option<String> {
        let mut out = String::new();
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c != b'$' {
                let next = text[i..].find('$').map_or(text.len(), |n| i + n);
                out.push_str(&text[i..next]);
                i = next;
                continue;
            }
            self.refs += 1;
            if self.refs > MAX_REFS || self.out + out.len() > MAX_OUT || depth > 32 {
                return None;
            }
            match b.get(i + 1) {
                Some(b'$') => {
                    out.push('$');
                    i += 2;
                }
                Some(b'@') => {
                    out.push_str(&auto.target);
                    i += 2;
                }
                Some(b'<') => {
                    out.push_str(auto.prereqs.first().map_or("", String::as_str));
                    i += 2;
                }
                Some(b'^' | b'+' | b'?') => {
                    out.push_str(&auto.prereqs.join(" "));
                    i += 2;
                }
                Some(b'*') => {
                    out.push_str(auto.stem.as_deref().unwrap_or(UNKNOWN));
                    i += 2;
                }
                Some(&open @ (b'(' | b'{')) => {
                    let close = if open == b'(' { b')' } else { b'}' };
                    let mut level = 0;
                    let mut end = None;
                    for (j, &ch) in b.iter().enumerate().skip(i + 2) {
                        if ch == open {
                            level += 1;
                        } else if ch == close {
                            if level == 0 {
                                end = Some(j);
                                break;
                            }
                            level -= 1;
                        }
                    }
                    let Some(end) = end else {
                        out.push_str(&text[i..]);
                        break;
                    };
                    let body = &text[i + 2..end];
                    let v = self.reference(body, auto, depth)?;
                    out.push_str(&v);
                    i = end + 1;
                }
                // `$X`: a one-letter variable.
                Some(&ch) => {
                    let name = (ch as char).to_string();
                    let v = match self.value(&name) {
                        Some(v) => self.expand(&v, auto, depth + 1)?,
                        None => String::new(),
                    };
                    out.push_str(&v);
                    i += 2;
                }
                None => {
                    out.push('$');
                    i += 1;
                }
            }
        }
        self.out += out.len();
        Some(out)
    }

    /// The value of `$(body)`: a variable, a substitution reference, or a function.
    fn reference(&mut self, body: &str, auto: &Auto, depth: usize) -> Option<String> {
        match body {
            "@D" => return Some(parent(&auto.target)),
            "@F" => return Some(auto.target.rsplit('/').next().unwrap_or_default().into()),
            _ => {}
        }
        if let Some((func, rest)) = body.split_once([' ', '\t']) {
            let args = || split_args(rest);
            let ex = |s: &mut Self, t: &str| s.expand(t, auto, depth + 1);
            let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
            return Some(match func {
                // A file-name pattern is a glob for the shell too.
                "wildcard" | "realpath" | "abspath" | "strip" | "sort" => ex(self, rest)?,
                "notdir" => words(&ex(self, rest)?)
                    .iter()
                    .map(|w| w.rsplit('/').next().unwrap_or_default().to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
                "dir" => words(&ex(self, rest)?)
                    .iter()
                    .map(|w| parent(w) + "/")
                    .collect::<Vec<_>>()
                    .join(" "),
                "addprefix" | "addsuffix" | "patsubst" | "subst" => {
                    let a = args();
                    let (x, y, z) = match (func, a.as_slice()) {
                        ("addprefix" | "addsuffix", [p, t]) => {
                            (ex(self, p)?, String::new(), ex(self, t)?)
                        }
                        ("patsubst" | "subst", [p, r, t]) => {
                            (ex(self, p)?, ex(self, r)?, ex(self, t)?)
                        }
                        _ => return Some(UNKNOWN.into()),
                    };
                    match func {
                        "addprefix" => words(&z)
                            .iter()
                            .map(|w| format!("{x}{w}"))
                            .collect::<Vec<_>>()
                            .join(" "),
                        "addsuffix" => words(&z)
                            .iter()
                            .map(|w| format!("{w}{x}"))
                            .collect::<Vec<_>>()
                            .join(" "),
                        "subst" => z.replace(&x, &y),
                        _ => words(&z)
                            .iter()
                            .map(|w| patsubst(&x, &y, w))
                            .collect::<Vec<_>>()
                            .join(" "),
                    }
                }
                "call" => {
                    let a = args();
                    let name = ex(self, a.first()?)?;
                    let mut v = self.value(name.trim()).unwrap_or_default();
                    for (k, arg) in a.iter().enumerate().skip(1) {
                        let arg = ex(self, arg)?;
                        v = v
                            .replace(&format!("$({k})"), &arg)
                            .replace(&format!("${k}"), &arg);
                    }
                    ex(self, &v)?
                }
                "firstword" => words(&ex(self, rest)?)
                    .into_iter()
                    .next()
                    .unwrap_or_default(),
                _ => UNKNOWN.into(),
            });
        }
        // `$(VAR:.c=.o)`: a substitution reference.
        if let Some((name, subst)) = body.split_once(':')
            && let Some((from, to)) = subst.split_once('=')
        {
            let v = match self.value(name) {
                Some(v) => self.expand(&v, auto, depth + 1)?,
                None => return Some(format!("${{{name}}}")),
            };
            let from = if from.contains('%') {
                from.to_string()
            } else {
                format!("%{from}")
            };
            let to = if to.contains('%') {
                to.to_string()
            } else {
                format!("%{to}")
            };
            return Some(
                v.split_whitespace()
                    .map(|w| patsubst(&from, &to, w))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        let name = self.expand(body, auto, depth + 1)?;
        match self.value(&name) {
            Some(v) => self.expand(&v, auto, depth + 1),
            // Not set in the Makefile: the environment's, as the shell would see it.
            None if name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') => {
                Some(format!("${{{name}}}"))
            }
            None => Some(UNKNOWN.into()),
        }
    }
}

fn parent(p: &str) -> String {
    match p.rsplit_once('/') {
        Some((d, _)) if !d.is_empty() => d.to_string(),
        Some(_) => "/".into(),
        None => ".".into(),
    }
}

/// Function arguments split at top-level commas.
fn split_args(s: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '(' | '{' => depth += 1,
            ')' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

/// `$(patsubst PATTERN,REPLACEMENT,WORD)` for one word.
fn patsubst(pattern: &str, replacement: &str, word: &str) -> String {
    match pattern.split_once('%') {
        Some((pre, post)) => match word.strip_prefix(pre).and_then(|r| r.strip_suffix(post)) {
            Some(stem) => replacement.replacen('%', stem, 1),
            None => word.to_string(),
        },
        None if word == pattern => replacement.to_string(),
        None => word.to_string(),
    }
}

#[cfg(test)]
mod tests;
