//! Commands that rewrite a settings file of the user or the system: npm's and Bundler's
//! configuration, macOS preferences (`defaults`, `PlistBuddy`) and file flags (`chflags`). Each
//! names the file it changes, which the effect table classes like any other.

use super::files::Effect;
use crate::guard::args::{Spec, scan};
use crate::guard::{Arg, Walker};

/// A path in the home directory as an argument: not known when the environment names no home
/// (it is never taken for a name in the project).
pub(super) fn in_home(w: &Walker, rest: &str) -> Arg {
    match w.ctx().home.as_deref() {
        Some(home) => Arg::known(home.join(rest).to_string_lossy().as_ref()),
        None => Arg {
            text: format!("~/{rest}").into(),
            exact: false,
            glob: false,
            feed: None,
        },
    }
}

/// The settings files `verb args` changes, with the effect on each.
pub(super) fn effects(w: &Walker, verb: &str, args: &[Arg]) -> Vec<(Arg, Effect)> {
    let plain: Vec<&str> = args
        .iter()
        .map(|a| &*a.text)
        .filter(|t| !t.starts_with('-'))
        .collect();
    let has = |f: &str| args.iter().any(|a| a.text == f);
    let change = |a: Arg| vec![(a, Effect::Changes)];
    match verb {
        // `npm config set|delete|edit` (and `npm set`) rewrite the user's `~/.npmrc` unless told
        // another place: `--location project` the project's, `-g`/`--location global` the
        // installation's.
        "npm"
            if matches!(
                plain.as_slice(),
                ["config" | "c", "set" | "delete" | "rm" | "edit" | "fix", ..] | ["set", ..]
            ) =>
        {
            let location = args.iter().enumerate().find_map(|(i, a)| {
                let t = &*a.text;
                match t {
                    "-g" | "--global" => Some("global"),
                    "--location" | "-L" => args.get(i + 1).map(|v| &*v.text),
                    _ => t.strip_prefix("--location="),
                }
            });
            match location {
                Some("project") => change(Arg::known(".npmrc")),
                Some("global") => Vec::new(),
                _ => change(in_home(w, ".npmrc")),
            }
        }
        // `bundle config [set] --global KEY VALUE` writes `~/.bundle/config`; `--local` the
        // project's (an everyday setting, judged as a project file).
        "bundle" if plain.first() == Some(&"config") && plain.len() > 2 => {
            if has("--local") {
                change(Arg::known(".bundle/config"))
            } else {
                change(in_home(w, ".bundle/config"))
            }
        }
        // `defaults write|delete|import|rename DOMAIN ...`: the domain's preferences file.
        "defaults"
            if matches!(
                plain.first(),
                Some(&("write" | "delete" | "import" | "rename"))
            ) =>
        {
            let global = has("-g") || has("-globalDomain");
            let domain = if global {
                Some("NSGlobalDomain")
            } else {
                plain.get(1).copied()
            };
            let host = if has("-currentHost") { "ByHost/" } else { "" };
            match domain {
                Some(d) if d.starts_with('/') => {
                    let file = if d.ends_with(".plist") {
                        d.to_string()
                    } else {
                        format!("{d}.plist")
                    };
                    change(Arg::known(file))
                }
                Some("NSGlobalDomain") => change(in_home(
                    w,
                    &format!("Library/Preferences/{host}.GlobalPreferences.plist"),
                )),
                Some(d) if !d.contains(['$', '`']) => {
                    change(in_home(w, &format!("Library/Preferences/{host}{d}.plist")))
                }
                _ => change(Arg {
                    text: "${defaults_domain}.plist".into(),
                    exact: false,
                    glob: false,
                    feed: None,
                }),
            }
        }
        // `PlistBuddy -c 'Set ...' FILE`: a command that changes the file, on the file.
        "PlistBuddy" => {
            let s = scan(args, &Spec::gnu("c", &[]));
            let writes = s.values('c', "\0").any(|c| {
                let c = c.trim_start().to_ascii_lowercase();
                ["set", "add", "delete", "merge", "import", "clear", "save"]
                    .iter()
                    .any(|k| c.starts_with(k))
            });
            if writes {
                s.operands
                    .last()
                    .map(|f| change((*f).clone()))
                    .unwrap_or_default()
            } else {
                Vec::new()
            }
        }
        // `chflags FLAGS FILE...` (a tree with `-R`), like chmod.
        "chflags" => {
            let s = scan(args, &Spec::gnu("", &[]));
            let below = s.has_short('R');
            s.operands
                .into_iter()
                .skip(1)
                .map(|a| (a.clone(), Effect::Modes { below }))
                .collect()
        }
        _ => Vec::new(),
    }
}
