//! A git command line, read as git reads it: global options, `-c` settings and the environment's,
//! `-C` directories, and the subcommand with aliases expanded from every configuration git reads.

use super::*;

/// One git invocation, read: its `-c` settings, its `-C` directories, the subcommand (alias
/// expanded) and the subcommand's arguments.
pub struct Invocation {
    /// `-c key=value`, keys lower-cased.
    pub config: Vec<(String, String)>,
    pub dirs: Vec<String>,
    /// `--git-dir DIR` (or `GIT_DIR`): the repository git uses, wherever it runs.
    pub git_dir: Option<String>,
    pub sub: String,
    pub args: Vec<Arg>,
}

impl Invocation {
    pub(super) fn config(&self, key: &str) -> Option<&str> {
        self.config
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Settings given through the environment: `GIT_CONFIG_COUNT` with `GIT_CONFIG_KEY_n` /
/// `GIT_CONFIG_VALUE_n`, and `GIT_CONFIG_PARAMETERS` (`'key'='value' ...`).
pub(super) fn env_config(scope: &Scope) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let count: usize = scope
        .var("GIT_CONFIG_COUNT")
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    for i in 0..count.min(64) {
        if let (Some(k), Some(v)) = (
            scope.var(&format!("GIT_CONFIG_KEY_{i}")),
            scope.var(&format!("GIT_CONFIG_VALUE_{i}")),
        ) {
            out.push((k.to_ascii_lowercase(), v.to_string()));
        }
    }
    if let Some(params) = scope.var("GIT_CONFIG_PARAMETERS") {
        for item in params.split("' '") {
            let item = item.trim_matches(|c| c == '\'' || c == ' ');
            if let Some((k, v)) = item.split_once("'='").or_else(|| item.split_once('=')) {
                out.push((k.to_ascii_lowercase(), v.to_string()));
            }
        }
    }
    out
}

/// Reads git's global options (and its configuration from the environment) and finds the
/// subcommand.
pub fn invocation(args: &[Arg], scope: &Scope) -> Option<Invocation> {
    let mut config = env_config(scope);
    let mut dirs = Vec::new();
    let mut git_dir = None;
    let mut i = 0;
    while i < args.len() {
        let t = args[i].text.as_str();
        if !args[i].exact {
            return None;
        }
        if !t.starts_with('-') {
            let mut inv = Invocation {
                config,
                dirs,
                git_dir: git_dir.or_else(|| scope.var("GIT_DIR").map(str::to_string)),
                sub: t.to_string(),
                args: args[i + 1..].to_vec(),
            };
            // An alias (`-c alias.NAME=WORDS`, the environment's, or one in a file git reads)
            // makes `git NAME` mean `git WORDS`; an alias may name another one.
            for _ in 0..MAX_ALIASES {
                if repo::builtin(&inv.sub) {
                    break;
                }
                let key = format!("alias.{}", inv.sub.to_ascii_lowercase());
                let Some(alias) = inv
                    .config(&key)
                    .map(str::to_string)
                    .or_else(|| scope.var(&format!("git {key}")).map(str::to_string))
                    .or_else(|| file_alias(&key, &inv, scope))
                else {
                    break;
                };
                if alias.starts_with('!') {
                    // Code: run as the shell would (see `code`).
                    inv.config.push((key, alias));
                    break;
                }
                let mut words = shell_words(&alias).into_iter().map(Arg::known);
                let Some(first) = words.next() else { break };
                let mut expanded: Vec<Arg> = words.collect();
                expanded.extend(inv.args);
                inv.sub = first.text.into();
                inv.args = expanded;
            }
            return Some(inv);
        }
        let value = args.get(i + 1).map(|a| a.text.to_string());
        match t {
            "-c" => {
                if let Some((k, v)) = value.as_deref().and_then(|kv| kv.split_once('=')) {
                    config.push((k.to_ascii_lowercase(), v.to_string()));
                }
            }
            "-C" => dirs.extend(value),
            "--git-dir" => git_dir = value,
            _ if t.starts_with("--git-dir=") => git_dir = Some(t["--git-dir=".len()..].to_string()),
            _ => {
                // `--config-env=key=ENVVAR` takes the value from the environment.
                let spec = t
                    .strip_prefix("--config-env=")
                    .map(str::to_string)
                    .or_else(|| (t == "--config-env").then(|| value.clone()).flatten());
                if let Some((k, var)) = spec.as_deref().and_then(|s| s.split_once('='))
                    && let Some(v) = scope.var(var)
                {
                    config.push((k.to_ascii_lowercase(), v.to_string()));
                }
            }
        }
        if GLOBAL_VALUES.contains(&t) {
            i += 1;
        }
        i += 1;
    }
    None
}

/// An alias's words as git splits them: blanks separate, quotes group (`reset '--hard'`).
pub(super) fn shell_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote = None;
    let mut any = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (Some(q), c) if c == q => quote = None,
            (None | Some('"'), '\\') => {
                cur.extend(chars.next());
                any = true;
            }
            (_, c) => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

/// Most aliases followed one into another (git refuses a loop; this bounds one).
pub(super) const MAX_ALIASES: usize = 8;

/// An alias defined in the configuration files git reads where the command runs.
pub(super) fn file_alias(key: &str, inv: &Invocation, scope: &Scope) -> Option<String> {
    let mut at = scope.clone();
    for d in &inv.dirs {
        at.cwd = match target(&Arg::known(d.clone()), &at) {
            Target::Path(p) => Some(p),
            _ => None,
        };
    }
    let repo = match &inv.git_dir {
        Some(d) => match target(&Arg::known(d.clone()), &at) {
            Target::Path(p) => Some(repo::at_git_dir(p)),
            _ => None,
        },
        None => at.cwd.as_deref().and_then(repo::find),
    };
    let config = &inv.config;
    let var = |k: &str| scope.var(k).map(str::to_string);
    // `-c include.path=FILE` is read last, as git reads the command line's settings.
    let extra: Vec<std::path::PathBuf> = config
        .iter()
        .filter(|(k, _)| k == "include.path")
        .map(|(_, v)| std::path::PathBuf::from(v))
        .collect();
    repo::config_value(repo.as_ref(), &var, key, &extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scope in a directory with no repository above it, and no system configuration.
    fn scope() -> Scope {
        let mut s = Scope::at(std::path::Path::new("/nonexistent-so-hook-git/p"));
        s.set("GIT_CONFIG_NOSYSTEM", Some("1".into()));
        s
    }

    fn read(line: &str, scope: &Scope) -> Option<Invocation> {
        let args: Vec<Arg> = line.split_whitespace().map(Arg::known).collect();
        invocation(&args, scope)
    }

    fn args(inv: &Invocation) -> Vec<&str> {
        inv.args.iter().map(|a| a.text.as_str()).collect()
    }

    fn config(inv: &Invocation) -> Vec<(&str, &str)> {
        inv.config
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    #[test]
    fn the_subcommand_follows_the_global_options() {
        let s = scope();
        let inv = read("push --force origin main", &s).unwrap();
        assert_eq!(inv.sub, "push");
        assert_eq!(args(&inv), ["--force", "origin", "main"]);
        assert!(inv.dirs.is_empty() && inv.config.is_empty());

        let inv = read("-C a -C ../b --no-pager -c Core.Pager=less log -1", &s).unwrap();
        assert_eq!(inv.sub, "log");
        assert_eq!(inv.dirs, ["a", "../b"]);
        assert_eq!(config(&inv), [("core.pager", "less")]);
        assert_eq!(inv.config("core.pager"), Some("less"));
        assert_eq!(args(&inv), ["-1"]);

        // Options with a separate value do not become the subcommand; `--opt=value` is one word.
        for line in [
            "--git-dir /r/.git --work-tree /r reset --hard",
            "--git-dir=/r/.git --work-tree=/r reset --hard",
            "--namespace ns -p --bare reset --hard",
        ] {
            let inv = read(line, &s).unwrap();
            assert_eq!(inv.sub, "reset", "{line}");
            assert_eq!(args(&inv), ["--hard"], "{line}");
        }
        // The last `-c` of a key wins; one without `=` sets nothing.
        let inv = read("-c a.b=1 -c A.B=2 -c novalue status", &s).unwrap();
        assert_eq!(inv.config("a.b"), Some("2"));
        assert_eq!(inv.config("novalue"), None);
        assert_eq!(inv.sub, "status");
    }

    #[test]
    fn nothing_to_run_or_an_unknown_word_is_no_invocation() {
        let s = scope();
        assert!(read("", &s).is_none());
        assert!(read("--version", &s).is_none());
        assert!(read("-C dir", &s).is_none());
        let mut unknown = Arg::known("${SUB}");
        unknown.exact = false;
        assert!(invocation(&[unknown], &s).is_none());
    }

    #[test]
    fn configuration_from_the_environment() {
        let mut s = scope();
        s.set("GIT_CONFIG_COUNT", Some("2".into()));
        s.set("GIT_CONFIG_KEY_0", Some("Core.Pager".into()));
        s.set("GIT_CONFIG_VALUE_0", Some("rm -rf x".into()));
        s.set("GIT_CONFIG_KEY_1", Some("alias.up".into()));
        s.set("GIT_CONFIG_VALUE_1", Some("push --force".into()));
        s.set(
            "GIT_CONFIG_PARAMETERS",
            Some("'user.name'='me' 'color.ui'='never'".into()),
        );
        s.set("EDITOR_CODE", Some("vim".into()));
        let inv = read("--config-env=core.editor=EDITOR_CODE up origin", &s).unwrap();
        assert_eq!(
            config(&inv),
            [
                ("core.pager", "rm -rf x"),
                ("alias.up", "push --force"),
                ("user.name", "me"),
                ("color.ui", "never"),
                ("core.editor", "vim"),
            ]
        );
        // The alias from the environment is expanded.
        assert_eq!(inv.sub, "push");
        assert_eq!(args(&inv), ["--force", "origin"]);
    }

    #[test]
    fn an_alias_given_with_c_is_expanded() {
        let s = scope();
        let args_of = |alias: &str, rest: &[&str]| {
            let mut words = vec![
                Arg::known("-c"),
                Arg::known(format!("alias.WIPE={alias}")),
                Arg::known("wipe"),
            ];
            words.extend(rest.iter().map(|r| Arg::known(*r)));
            invocation(&words, &s).unwrap()
        };
        let inv = args_of("reset '--hard'", &["HEAD~1"]);
        assert_eq!(inv.sub, "reset");
        assert_eq!(args(&inv), ["--hard", "HEAD~1"]);
        // An alias naming another alias is followed.
        let words: Vec<Arg> = [
            "-c",
            "alias.a=b -x",
            "-c",
            "alias.b=push --force",
            "a",
            "origin",
        ]
        .into_iter()
        .map(Arg::known)
        .collect();
        let inv = invocation(&words, &s).unwrap();
        assert_eq!(inv.sub, "push");
        assert_eq!(args(&inv), ["--force", "-x", "origin"]);
        // A shell alias is kept as code, not expanded.
        let inv = args_of("!rm -rf .", &[]);
        assert_eq!(inv.sub, "wipe");
        assert_eq!(inv.config("alias.wipe"), Some("!rm -rf ."));
        // A built-in command is never an alias.
        let words: Vec<Arg> = ["-c", "alias.status=reset --hard", "status"]
            .into_iter()
            .map(Arg::known)
            .collect();
        assert_eq!(invocation(&words, &s).unwrap().sub, "status");
        // A loop ends.
        let words: Vec<Arg> = ["-c", "alias.x=y", "-c", "alias.y=x", "x"]
            .into_iter()
            .map(Arg::known)
            .collect();
        // A loop ends (git would refuse it; the guard stops after a few steps).
        let inv = invocation(&words, &s).unwrap();
        assert!(inv.sub == "x" || inv.sub == "y");
    }

    #[test]
    fn an_alias_in_the_repository_git_runs_in_is_expanded() {
        let base = std::env::temp_dir().join(format!("so-hook-git-alias-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let git = base.join("repo/.git");
        std::fs::create_dir_all(&git).unwrap();
        std::fs::write(git.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(git.join("config"), "[alias]\n\twipe = reset --hard\n").unwrap();
        let s = scope();
        let inv = read(&format!("-C {} wipe", base.join("repo").display()), &s).unwrap();
        assert_eq!(inv.sub, "reset");
        assert_eq!(args(&inv), ["--hard"]);
        // Relative `-C`s add up.
        let mut at = scope();
        at.cwd = Some(base.clone());
        let inv = read("-C repo -C . wipe", &at).unwrap();
        assert_eq!(inv.sub, "reset");
        // Elsewhere, the word stays as it is.
        assert_eq!(read("wipe", &s).unwrap().sub, "wipe");
        let _ = std::fs::remove_dir_all(&base);
    }

    #[test]
    fn shell_words_split_as_git_splits_an_alias() {
        assert_eq!(shell_words("reset  --hard"), ["reset", "--hard"]);
        assert_eq!(
            shell_words("commit -m 'a b' \"c d\""),
            ["commit", "-m", "a b", "c d"]
        );
        assert_eq!(
            shell_words("a\\ b 'x\\y' \"p\\\"q\""),
            ["a b", "x\\y", "p\"q"]
        );
        assert_eq!(shell_words("''"), [""]);
        assert_eq!(shell_words("   "), Vec::<String>::new());
    }
}
