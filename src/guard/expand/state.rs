//! What a command leaves for the commands after it: the directory a `cd` goes to, variables,
//! positional parameters, aliases, git aliases and symlinks.

use super::*;

/// The directory a lone `cd`/`pushd` pipeline moves to: `Some(None)` when it is not knowable.
pub(crate) fn cd_target(pipeline: &Pipeline, scope: &Scope) -> Option<Option<PathBuf>> {
    let [Command::Simple(sc)] = pipeline.commands.as_slice() else {
        return None;
    };
    // `command cd` and `builtin cd` are the builtin, whatever `cd` is defined as.
    let mut words = sc.words.as_slice();
    let mut builtin = false;
    while let Some(w) = words.first()
        && matches!(w.literal().as_deref(), Some("command" | "builtin"))
    {
        words = &words[1..];
        builtin = true;
    }
    let verb = words.first()?.literal()?;
    if !matches!(verb.as_str(), "cd" | "pushd" | "popd") {
        return None;
    }
    let redefined = scope.functions.contains_key(&verb) || scope.aliases.contains_key(&verb);
    if verb == "popd" || (redefined && !builtin) {
        return Some(None);
    }
    let args: Vec<Arg> = words[1..]
        .iter()
        .map(|w| resolve_one(w, scope))
        .filter(|a| !(a.exact && a.text.starts_with('-') && a.text.len() > 1))
        .collect();
    // `cd A B` fails ("too many arguments").
    if args.len() > 1 {
        return Some(None);
    }
    let arg = args.into_iter().next();
    let Some(arg) = arg else {
        return Some(scope.var("HOME").map(PathBuf::from));
    };
    if arg.text == "-" {
        return Some(None);
    }
    // With CDPATH set, a bare relative name may land in a CDPATH directory.
    let cdpath = sc.assigns.iter().any(|a| a.name == "CDPATH")
        || scope.var("CDPATH").is_none_or(|v| !v.is_empty()) && scope.vars.contains_key("CDPATH");
    if cdpath && !arg.text.starts_with(['/', '.']) {
        return Some(None);
    }
    Some(match target(&arg, scope) {
        Target::Path(p) => Some(p),
        _ => None,
    })
}

/// `exit`, `return` or `false`: after `cd X || exit`, the script only goes on in X.
pub(crate) fn exits(pipeline: &Pipeline) -> bool {
    matches!(pipeline.commands.as_slice(), [Command::Simple(sc)]
        if sc.words.first().and_then(|w| w.literal()).is_some_and(|v| matches!(v.as_str(), "exit" | "return" | "false")))
}

/// Expands unquoted globs in a list the shell stores (`for f in *.md`, `set -- C*`, `a=(*)`)
/// against what exists, one path component deep; a glob that matches nothing stays as written,
/// and one that matches too much becomes unknown.
pub(crate) fn glob_list(args: Vec<Arg>, scope: &Scope) -> Vec<Arg> {
    let mut out = Vec::with_capacity(args.len());
    for a in args {
        let Target::Glob { dir, pattern } = target(&a, scope) else {
            out.push(a);
            continue;
        };
        let names: Vec<String> = match crate::guard::listing::names(&dir) {
            Ok(entries) if !pattern.contains('/') => {
                let mut n: Vec<String> = entries
                    .iter()
                    .filter(|name| crate::guard::rules::files::wildcard(&pattern, name))
                    .cloned()
                    .collect();
                n.sort();
                n
            }
            _ => Vec::new(),
        };
        if names.is_empty() {
            out.push(a);
        } else if names.len() > MAX_BRACE_WORDS {
            out.push(Arg { exact: false, ..a });
        } else {
            let prefix = match a.text.rfind('/') {
                Some(i) => a.text[..=i].to_string(),
                None => String::new(),
            };
            out.extend(
                names
                    .into_iter()
                    .map(|n| Arg::known(format!("{prefix}{n}"))),
            );
        }
    }
    out
}

/// The last component of a path as written (`a/b/` is `b`).
pub fn basename(text: &str) -> &str {
    text.trim_end_matches('/').rsplit('/').next().unwrap_or("")
}

/// Records a symlink the command makes: `link` points to `src` (relative to the link's directory).
pub(super) fn remember_link(scope: &mut Scope, link: Target, src: &Arg) {
    let Target::Path(link) = link else {
        return;
    };
    let to = src.exact.then(|| {
        let base = link.parent().unwrap_or(Path::new("/"));
        paths::absolute(base, Path::new(&src.text))
    });
    if scope.links.len() >= MAX_LINKS {
        // More links than any real command makes: from here on, every path is unknown.
        let all = (PathBuf::from("/"), None);
        if !scope.links.contains(&all) {
            Rc::make_mut(&mut scope.links).push(all);
        }
        return;
    }
    Rc::make_mut(&mut scope.links).push((link, to));
}

/// Most symlinks one command is followed making.
pub(super) const MAX_LINKS: usize = 64;
/// Most links followed in a chain (a link to a link to ...).
pub(super) const MAX_LINK_HOPS: usize = 8;

/// What a command leaves behind for the commands after it: variables (`export`, `declare`, `read`),
/// positional parameters (`set --`), aliases, and symlinks it creates (`ln -s`).
pub(crate) fn remember(words: &[Arg], scope: &mut Scope, stdin: &Stdin) {
    let Some(verb) = words[0].value() else {
        return;
    };
    match verb {
        "set" if words.get(1).is_some_and(|w| w.text == "--") => {
            let list = glob_list(words[2..].to_vec(), scope);
            scope.set_positional(&list);
            return;
        }
        "unset" => {
            let only_functions = words[1..].iter().any(|a| a.text == "-f");
            let only_vars = words[1..].iter().any(|a| a.text == "-v");
            for a in words[1..].iter().filter(|a| !a.text.starts_with('-')) {
                if !only_functions {
                    scope.set(&a.text, Some(String::new()));
                }
                if !only_vars {
                    Rc::make_mut(&mut scope.functions).remove(a.text.as_str());
                }
            }
            return;
        }
        // `terraform plan -destroy -out=F`: a later `terraform apply F` on the line destroys
        // (kept under a name no shell variable can have).
        "terraform" | "tofu" => {
            let ws: Vec<&str> = words[1..].iter().map(|a| a.text.as_str()).collect();
            if ws.contains(&"plan") && ws.contains(&"-destroy") {
                let out = ws.iter().enumerate().find_map(|(i, w)| {
                    w.strip_prefix("-out=")
                        .or_else(|| (*w == "-out").then(|| ws.get(i + 1).copied()).flatten())
                });
                if let Some(f) = out {
                    scope.set(&format!("terraform destroy plan {f}"), Some("1".into()));
                }
            }
            return;
        }
        // `git config alias.NAME VALUE`: a later `git NAME` on the line runs VALUE (kept under a
        // name no shell variable can have).
        "git" => {
            let Some(at) = words.iter().position(|a| a.text == "config") else {
                return;
            };
            let rest: Vec<&Arg> = words[at + 1..]
                .iter()
                .filter(|a| !a.text.starts_with('-'))
                .collect();
            let reads = words[at + 1..]
                .iter()
                .any(|a| a.text.starts_with("--get") || a.text.starts_with("--unset"));
            let rest = match rest.first().map(|a| a.text.as_str()) {
                Some("set") => &rest[1..],
                _ => &rest[..],
            };
            if let [key, value, ..] = rest
                && !reads
                && key.text.to_ascii_lowercase().starts_with("alias.")
            {
                let v = value.exact.then(|| value.text.to_string());
                scope.set(&format!("git {}", key.text.to_ascii_lowercase()), v);
            }
            return;
        }
        "alias" => {
            for a in &words[1..] {
                if let Some((name, value)) = a.text.split_once('=') {
                    Rc::make_mut(&mut scope.aliases).insert(name.to_string(), value.to_string());
                }
            }
            return;
        }
        "read" => {
            // `read [-r] NAME...` from known text: the first line, split over the names.
            let names: Vec<&Arg> = words[1..]
                .iter()
                .filter(|a| !a.text.starts_with('-'))
                .collect();
            let line = match stdin {
                Stdin::Text(t) => Some(t.lines().next().unwrap_or("").to_string()),
                _ => None,
            };
            let mut fields: Vec<&str> = line
                .as_deref()
                .map(|l| l.splitn(names.len().max(1), [' ', '\t']).collect())
                .unwrap_or_default();
            fields.resize(names.len(), "");
            for (n, f) in names.iter().zip(fields) {
                scope.set(&n.text, line.as_ref().map(|_| f.to_string()));
            }
            return;
        }
        "ln" => {
            // `ln -s TARGET LINK`: what is below LINK is wherever TARGET points.
            let s = scan(
                &words[1..],
                &Spec::gnu("tS", &["target-directory", "suffix"]),
            );
            if !s.has('s', "symbolic") {
                return;
            }
            // `ln -s SRC LINK`, `ln -s SRC... DIR`, `ln -st DIR SRC...`
            let (sources, dir): (Vec<&Arg>, Option<Target>) = match s.value('t', "target-directory")
            {
                Some(d) => (s.operands.clone(), Some(target(&Arg::known(d), scope))),
                None => match s.operands.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        let t = target(last, scope);
                        let is_dir =
                            matches!(&t, Target::Path(p) if p.is_dir()) || last.text.ends_with('/');
                        if is_dir || rest.len() > 1 {
                            (rest.to_vec(), Some(t))
                        } else {
                            remember_link(scope, t, rest[0]);
                            return;
                        }
                    }
                    // `ln -s TARGET`: a link named like the target, here.
                    Some((only, _)) => {
                        let here = Arg::known(basename(&only.text).to_string());
                        remember_link(scope, target(&here, scope), only);
                        return;
                    }
                    None => return,
                },
            };
            for src in sources {
                let name = basename(&src.text);
                let link = match &dir {
                    Some(Target::Path(d)) => Target::Path(d.join(name)),
                    _ => Target::Unknown,
                };
                remember_link(scope, link, src);
            }
            return;
        }
        _ => {}
    }
    if !matches!(
        verb,
        "export" | "declare" | "local" | "readonly" | "typeset"
    ) {
        return;
    }
    for a in &words[1..] {
        if let Some((name, value)) = a.text.split_once('=')
            && !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            scope.set(name, a.exact.then(|| value.to_string()));
        }
    }
}
