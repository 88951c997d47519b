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
