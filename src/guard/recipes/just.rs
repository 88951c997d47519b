//! justfiles, as `just` reads them: the file found upward (or `-f`), `import`s, aliases,
//! variables with a literal value, recipes with parameters (and their defaults), dependencies
//! (with arguments), several recipes on one command line, `set shell`, and shebang recipes in a
//! POSIX shell. `{{...}}` that cannot be known becomes a shell variable nobody set.

use super::{Arg, Files, Recipe, Scope, dir_of, sized};
use std::path::Path;
#[cfg(test)]
use std::path::PathBuf;

/// Most files read for one just command, imports counted.
const MAX_FILES: usize = 16;

#[derive(Default)]
struct Justfile {
    recipes: Vec<JustRecipe>,
    aliases: Vec<(String, String)>,
    vars: Vec<(String, String)>,
    /// `set shell := ["bash", "-c"]`: the words each line is handed to.
    shell: Option<Vec<String>>,
}

struct JustRecipe {
    name: String,
    /// Parameter names with their default (`dir="target"`), in order; a variadic one last.
    params: Vec<(String, Option<String>, bool)>,
    /// Dependencies with their arguments.
    deps: Vec<(String, Vec<String>)>,
    body: Vec<String>,
}

pub(super) fn read(args: &[Arg], scope: &Scope, files: &mut Files) -> Option<Recipe> {
    let mut dir = scope.cwd.clone()?;
    let mut file = None;
    let mut words: Vec<String> = Vec::new();
    let mut sets: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let t = a.text.as_str();
        let next = || {
            args.get(i + 1)
                .filter(|v| v.exact)
                .map(|v| v.text.to_string())
        };
        match t {
            "-f" | "--justfile" => {
                file = Some(next()?);
                i += 2;
                continue;
            }
            "-d" | "--working-directory" => {
                dir = dir_of(&next()?, scope)?;
                i += 2;
                continue;
            }
            "--set" => {
                let (k, v) = (next()?, args.get(i + 2)?.text.to_string());
                sets.push((k, v));
                i += 3;
                continue;
            }
            // `just --command CMD ARGS...` runs CMD (with the justfile's variables exported).
            "-c" | "--command" => return Some(Recipe::Command(args[i + 1..].to_vec())),
            "-n" | "--dry-run" | "-l" | "--list" | "--summary" | "--show" | "-s" | "--help"
            | "-h" | "--evaluate" | "--dump" | "--choose" | "--edit" | "-e" | "--variables"
            | "--groups" | "--init" | "--fmt" | "--version" | "-V" => return None,
            _ if t.starts_with('-') => {}
            _ if !a.exact => return None,
            // `NAME=VALUE` sets a variable.
            _ => match t.split_once('=') {
                Some((k, v)) if words.is_empty() => sets.push((k.to_string(), v.to_string())),
                _ => words.push(t.to_string()),
            },
        }
        i += 1;
    }
    let path = match file {
        Some(f) => dir.join(f),
        None => {
            // just looks upward from where it runs.
            let mut at = Some(dir.as_path());
            let mut found = None;
            while let Some(d) = at {
                if let Some(p) = ["justfile", "Justfile", ".justfile", "JUSTFILE"]
                    .iter()
                    .map(|n| d.join(n))
                    .find(|p| files.exists(p))
                {
                    found = Some(p);
                    break;
                }
                at = d.parent();
            }
            found?
        }
    };
    let mut jf = Justfile::default();
    let mut read = 0;
    parse(&path, files, &mut jf, &mut read)?;
    jf.vars.extend(sets);
    // The recipes named, each taking as many of the following words as it has parameters.
    let mut calls: Vec<(String, Vec<String>)> = Vec::new();
    let mut rest = words.as_slice();
    if rest.is_empty() {
        let first = jf.recipes.first()?;
        calls.push((first.name.clone(), Vec::new()));
    }
    while let Some((name, after)) = rest.split_first() {
        let name = jf.resolve(name)?.to_string();
        let recipe = jf.recipe(&name)?;
        let takes = if recipe.params.last().is_some_and(|p| p.2) {
            after.len()
        } else {
            recipe.params.len().min(after.len())
        };
        calls.push((name, after[..takes].to_vec()));
        rest = &after[takes..];
    }
    let mut lines = Vec::new();
    let mut seen = Vec::new();
    for (name, call_args) in &calls {
        jf.run(name, call_args, &mut seen, &mut lines);
    }
    if lines.is_empty() {
        return None;
    }
    let shown = calls
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let dir = path.parent().map_or(dir, Path::to_path_buf);
    Some(sized(
        format!("the justfile's recipe `{shown}`"),
        dir,
        lines,
        seen.len(),
    ))
}

/// Reads a justfile and the files it imports into `jf`.
fn parse(path: &Path, files: &mut Files, jf: &mut Justfile, read: &mut usize) -> Option<()> {
    if *read >= MAX_FILES {
        return Some(());
    }
    *read += 1;
    let text = files.text(path)?;
    let here = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut current: Option<usize> = None;
    // Imported recipes come after the file's own (the first of those is the default).
    let mut imports = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(r) = current {
                let body = line.trim();
                if !body.is_empty() {
                    jf.recipes[r].body.push(body.to_string());
                }
            }
            continue;
        }
        current = None;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('[') {
            continue;
        }
        if let Some(rest) = trimmed
            .strip_prefix("import?")
            .or_else(|| trimmed.strip_prefix("import"))
            .filter(|r| r.starts_with([' ', '\'', '"']))
        {
            imports.push(here.join(unquote(rest.trim())));
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("alias ") {
            if let Some((a, r)) = rest.split_once(":=") {
                jf.aliases
                    .push((a.trim().to_string(), r.trim().to_string()));
            }
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("set ") {
            if let Some((k, v)) = rest.split_once(":=")
                && k.trim() == "shell"
            {
                let words: Vec<String> = v
                    .trim()
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .split(',')
                    .map(|w| unquote(w.trim()).to_string())
                    .filter(|w| !w.is_empty())
                    .collect();
                jf.shell = Some(words);
            }
            continue;
        }
        let head = trimmed.trim_start_matches('@');
        // `name := value` (or `export name := value`): a variable.
        if let Some((name, value)) = head.split_once(":=") {
            let name = name.trim().trim_start_matches("export ").trim();
            let value = value.trim();
            let literal = ['"', '\'']
                .iter()
                .find_map(|q| value.strip_prefix(*q)?.strip_suffix(*q))
                .filter(|v| !v.contains(['"', '\'', '\\']));
            jf.vars.push((
                name.to_string(),
                literal.map_or_else(|| "${just_value}".to_string(), str::to_string),
            ));
            continue;
        }
        // `name param="default" +rest: dep (other "arg")`
        let Some(colon) = head.find(':') else {
            continue;
        };
        let (sig, deps) = (&head[..colon], &head[colon + 1..]);
        let mut parts = split_words(sig).into_iter();
        let Some(name) = parts.next() else { continue };
        if !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            continue;
        }
        let params = parts
            .map(|p| {
                let variadic = p.starts_with(['+', '*']);
                let p = p.trim_start_matches(['+', '*', '$']);
                match p.split_once('=') {
                    Some((n, d)) => (n.to_string(), Some(unquote(d).to_string()), variadic),
                    None => (p.to_string(), None, variadic),
                }
            })
            .collect();
        jf.recipes.push(JustRecipe {
            name,
            params,
            deps: parse_deps(deps),
            body: Vec::new(),
        });
        current = Some(jf.recipes.len() - 1);
    }
    for f in imports {
        let _ = parse(&f, files, jf, read);
    }
    Some(())
}

/// `dep (other "arg") && after`: each dependency with its arguments.
fn parse_deps(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix('(') {
            let end = inner.find(')').unwrap_or(inner.len());
            let mut words = split_words(&inner[..end]).into_iter();
            if let Some(n) = words.next() {
                out.push((n, words.map(|w| unquote(&w).to_string()).collect()));
            }
            rest = inner.get(end + 1..).unwrap_or("").trim_start();
        } else {
            let end = rest.find([' ', '(']).unwrap_or(rest.len());
            let w = &rest[..end];
            if w != "&&" && !w.is_empty() {
                out.push((w.to_string(), Vec::new()));
            }
            rest = rest[end..].trim_start();
        }
    }
    out
}

/// Words separated by blanks, a quoted string kept whole.
fn split_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote = None;
    for c in s.chars() {
        match (quote, c) {
            (None, ' ' | '\t') => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            (None, '"' | '\'') => {
                quote = Some(c);
                cur.push(c);
            }
            (Some(q), c) if c == q => {
                quote = None;
                cur.push(c);
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn unquote(s: &str) -> &str {
    ['"', '\'']
        .iter()
        .find_map(|q| s.strip_prefix(*q)?.strip_suffix(*q))
        .unwrap_or(s)
}

impl Justfile {
    fn resolve<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        if self.recipe(name).is_some() {
            return Some(name);
        }
        self.aliases
            .iter()
            .find(|(a, _)| a == name)
            .map(|(_, r)| r.as_str())
    }

    fn recipe(&self, name: &str) -> Option<&JustRecipe> {
        self.recipes.iter().find(|r| r.name == name)
    }

    /// Adds the lines `name` runs with `args` (its dependencies' first) to `lines`.
    fn run(&self, name: &str, args: &[String], seen: &mut Vec<String>, lines: &mut Vec<String>) {
        let key = format!("{name} {}", args.join(" "));
        if seen.contains(&key) || seen.len() > super::MAX_TARGETS {
            if seen.len() > super::MAX_TARGETS {
                seen.push(key);
            }
            return;
        }
        seen.push(key);
        let Some(r) = self.recipe(name) else { return };
        let mut values: Vec<(String, String)> = self.vars.clone();
        for (i, (p, default, variadic)) in r.params.iter().enumerate() {
            let v = if *variadic {
                Some(args.get(i..).unwrap_or_default().join(" "))
            } else {
                args.get(i).cloned().or_else(|| default.clone())
            };
            values.push((p.clone(), v.unwrap_or_else(|| "${just_value}".into())));
        }
        for (d, dargs) in &r.deps {
            let dargs: Vec<String> = dargs.iter().map(|a| interpolate(a, &values)).collect();
            self.run(d, &dargs, seen, lines);
        }
        let body: Vec<String> = r.body.iter().map(|l| interpolate(l, &values)).collect();
        match body.first() {
            // A shebang recipe: one script, read when its interpreter is a POSIX shell.
            Some(first) if first.starts_with("#!") => {
                let shell = first[2..].split_whitespace().any(|w| {
                    let w = w.rsplit('/').next().unwrap_or(w);
                    matches!(w, "sh" | "bash" | "dash" | "zsh" | "ksh")
                });
                if shell {
                    lines.push(body[1..].join("\n"));
                }
            }
            _ => {
                for l in &body {
                    let l = l.trim_start_matches(['@', '-']);
                    match &self.shell {
                        // `set shell := ["python3", "-c"]`: each line goes to that program.
                        Some(sh) if !sh.is_empty() => {
                            let mut words: Vec<String> = sh
                                .iter()
                                .map(|w| format!("'{}'", w.replace('\'', "'\\''")))
                                .collect();
                            words.push(format!("'{}'", l.replace('\'', "'\\''")));
                            lines.push(words.join(" "));
                        }
                        _ => lines.push(l.to_string()),
                    }
                }
            }
        }
    }
}

/// A line with its `{{...}}` interpolations replaced: a variable or parameter with a literal
/// value by it, any other by a shell variable nobody set (not knowable).
fn interpolate(line: &str, vars: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        if rest[start..].starts_with("{{{{") {
            out.push_str("{{");
            rest = &rest[start + 4..];
            continue;
        }
        match rest[start + 2..].find("}}") {
            Some(end) => {
                let inner = rest[start + 2..start + 2 + end].trim();
                match vars.iter().rev().find(|(k, _)| k == inner) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str("${just_value}"),
                }
                rest = &rest[start + 2 + end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(justfile: &str, cmd: &str) -> Option<Vec<String>> {
        let written = vec![
            (PathBuf::from("/p/justfile"), justfile.to_string()),
            (
                PathBuf::from("/p/more.just"),
                "imp:\n  rm -rf imported\n".to_string(),
            ),
        ];
        let mut files = Files {
            written: &written,
            read: 0,
        };
        let args: Vec<Arg> = cmd.split_whitespace().map(Arg::known).collect();
        match read(&args, &Scope::at(Path::new("/p")), &mut files)? {
            Recipe::Code { lines, .. } => Some(lines),
            _ => None,
        }
    }

    #[test]
    fn recipes_with_parameters_dependencies_aliases_and_imports() {
        let jf = "import 'more.just'\nalias c := clean\ndir := \"build\"\n\ndefault:\n  echo hi\n\n\
                  [private]\nclean where=\"target\": prep (wipe \"src\")\n    @rm -rf {{where}}\n\
                  prep:\n\tmkdir -p tmp\nwipe what:\n  -rm -rf {{what}} {{dir}}\n\
                  py:\n  #!/usr/bin/env python3\n  import shutil\n\
                  sh:\n  #!/usr/bin/env -S bash -eu\n  rm -rf src\n";
        assert_eq!(
            lines(jf, "c").unwrap(),
            ["mkdir -p tmp", "rm -rf src build", "rm -rf target"]
        );
        assert_eq!(lines(jf, "clean dist").unwrap()[2], "rm -rf dist");
        assert_eq!(
            lines(jf, "default wipe x").unwrap(),
            ["echo hi", "rm -rf x build"]
        );
        assert_eq!(lines(jf, "imp").unwrap(), ["rm -rf imported"]);
        assert!(lines(jf, "py").is_none());
        assert_eq!(lines(jf, "sh").unwrap(), ["rm -rf src"]);
        assert_eq!(lines(jf, "").unwrap(), ["echo hi"]);
        assert!(lines(jf, "--list").is_none());
    }

    #[test]
    fn a_set_shell_hands_each_line_to_that_program() {
        let jf = "set shell := [\"python3\", \"-c\"]\nx:\n  import shutil; shutil.rmtree('src')\n";
        assert_eq!(
            lines(jf, "x").unwrap(),
            ["'python3' '-c' 'import shutil; shutil.rmtree('\\''src'\\'')'"]
        );
    }
}
