//! The project policy, `<root>/.so-hook/policy.json`: extra command rules, extra disposable
//! directories, and built-in rules switched off by id (visibly: `so-hook check` reports them).
//!
//! The built-in rules are a floor the policy cannot lower by accident: a missing policy changes
//! nothing, an empty one changes nothing, and a broken one denies every guarded call until fixed.

use crate::guard::{CommandPattern, Matcher, is_builtin};
use crate::hook::decision::Verdict;
use crate::project::manifest::json_error;
use crate::project::paths;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Where the policy lives, relative to the project root.
pub const RELATIVE_PATH: &str = ".so-hook/policy.json";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    version: Option<u32>,
    #[serde(default)]
    rules: Vec<RawRule>,
    #[serde(default)]
    safe_delete_targets: Vec<String>,
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    ask: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    action: String,
    #[serde(default)]
    command: Option<String>,
    #[serde(default)]
    regex: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// A loaded, validated policy.
#[derive(Debug, Default)]
pub struct Policy {
    pub patterns: Vec<CommandPattern>,
    /// Absolute directories whose contents `rm -rf` may remove.
    pub safe_dirs: Vec<PathBuf>,
    /// Built-in rule ids (or pack ids) switched off.
    pub disabled: Vec<String>,
    /// Built-in rule ids (or pack ids) that ask instead of denying.
    pub asked: Vec<String>,
}

/// Reads the policy of the project at `root`: `None` when there is none.
pub fn load(root: &Path) -> Option<Result<Policy, String>> {
    let path = root.join(RELATIVE_PATH);
    match std::fs::read(&path) {
        Ok(bytes) => Some(match std::str::from_utf8(&bytes) {
            Ok(text) => parse(text, &path, root),
            Err(_) => Err(format!("{}: not valid UTF-8", path.display())),
        }),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            None
        }
        Err(e) => Some(Err(format!("{}: cannot be read: {e}", path.display()))),
    }
}

/// Parses and validates a policy's text.
pub fn parse(text: &str, path: &Path, root: &Path) -> Result<Policy, String> {
    let raw: Raw = serde_json::from_str(text).map_err(|e| {
        format!(
            "{}; expected keys: version (1), rules (array of {{id, action: \"block\" | \"ask\" | \
             \"warn\", command or regex, message?}}), safeDeleteTargets (array of directories), \
             disable and ask (arrays of built-in rule or pack ids)",
            json_error(path, &e, text)
        )
    })?;
    let at = |what: String| format!("{}: {what}", path.display());
    if let Some(v) = raw.version
        && v != 1
    {
        return Err(at(format!("version {v} is not supported (expected 1)")));
    }
    let mut policy = Policy::default();
    for (i, r) in raw.rules.iter().enumerate() {
        let here = format!("rules[{i}]");
        if r.id.trim().is_empty() {
            return Err(at(format!("{here}.id is empty")));
        }
        if is_builtin(&r.id) {
            return Err(at(format!(
                "{here}.id `{}` is a built-in rule id; give the rule its own id",
                r.id
            )));
        }
        if raw.rules[..i].iter().any(|o| o.id == r.id) {
            return Err(at(format!("{here}.id `{}` is used twice", r.id)));
        }
        let verdict = match r.action.as_str() {
            "block" => Verdict::Deny,
            "ask" => Verdict::Ask,
            "warn" => Verdict::Warn,
            other => {
                return Err(at(format!(
                    "{here}.action `{other}` is not one of block, ask, warn"
                )));
            }
        };
        let matcher = match (&r.command, &r.regex) {
            (Some(c), None) => {
                let words: Vec<String> = c.split_whitespace().map(str::to_string).collect();
                if words.is_empty() {
                    return Err(at(format!("{here}.command is empty")));
                }
                Matcher::Words(words)
            }
            // ASCII classes (`\w`, `\d`, `\s`, `(?i)`): see Cargo.toml.
            (None, Some(re)) => match regex_lite::Regex::new(re) {
                Ok(re) => Matcher::Regex(re),
                Err(e) => return Err(at(format!("{here}.regex does not compile: {e}"))),
            },
            _ => {
                return Err(at(format!(
                    "{here} needs exactly one of `command` (words) or `regex`"
                )));
            }
        };
        policy.patterns.push(CommandPattern {
            rule: r.id.clone(),
            verdict,
            matcher,
            source: path.display().to_string(),
            message: r.message.clone(),
        });
    }
    for (i, t) in raw.safe_delete_targets.iter().enumerate() {
        let here = format!("safeDeleteTargets[{i}]");
        let p = Path::new(t.trim());
        if t.trim().is_empty() {
            return Err(at(format!("{here} is empty")));
        }
        let abs = paths::absolute(root, p);
        let refused = abs == Path::new("/")
            || abs == root
            || root.starts_with(&abs)
            || paths::within(&abs, &root.join(".git"))
            || (p.is_absolute() && abs.components().count() < 3);
        if refused {
            return Err(at(format!(
                "{here} `{t}` would make the project root, one of its parents, .git or a top-level \
                 directory disposable"
            )));
        }
        policy.safe_dirs.push(abs);
    }
    for (i, id) in raw.disable.iter().enumerate() {
        if crate::guard::FIXED_RULES.contains(&id.as_str()) {
            return Err(at(format!(
                "disable[{i}] `{id}` cannot be switched off: it keeps the guard itself in place"
            )));
        }
        if !is_builtin(id) && !crate::guard::packs::is_pack(id) {
            return Err(at(format!(
                "disable[{i}] `{id}` is not a built-in rule or pack id (see `so-hook rules`)"
            )));
        }
        policy.disabled.push(id.clone());
    }
    for (i, id) in raw.ask.iter().enumerate() {
        if crate::guard::FIXED_RULES.contains(&id.as_str()) {
            return Err(at(format!(
                "ask[{i}] `{id}` cannot be made to ask: it keeps the guard itself in place"
            )));
        }
        if !is_builtin(id) && !crate::guard::packs::is_pack(id) {
            return Err(at(format!(
                "ask[{i}] `{id}` is not a built-in rule or pack id (see `so-hook rules`)"
            )));
        }
        policy.asked.push(id.clone());
    }
    Ok(policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Policy, String> {
        parse(text, Path::new("/r/.so-hook/policy.json"), Path::new("/r"))
    }

    #[test]
    fn packs_and_rows_are_switched_off_or_made_to_ask_by_id() {
        let pol =
            p(r#"{"disable": ["iac", "sql-drop"], "ask": ["clusters", "cloud-delete"]}"#).unwrap();
        assert_eq!(pol.disabled, ["iac", "sql-drop"]);
        assert_eq!(pol.asked, ["clusters", "cloud-delete"]);
        assert!(
            p(r#"{"ask": ["nope"]}"#)
                .unwrap_err()
                .contains("ask[0] `nope`")
        );
        assert!(
            p(r#"{"ask": ["control-plane"]}"#)
                .unwrap_err()
                .contains("cannot be made to ask")
        );
    }

    #[test]
    fn regexes_use_ascii_classes_and_match_any_text() {
        let pol = p(r#"{"rules": [{"id": "a", "action": "block", "regex": "(?i)^TERRAFORM\\s+\\w+.*-auto-approve"}]}"#)
            .unwrap();
        let Matcher::Regex(re) = &pol.patterns[0].matcher else {
            panic!("not a regex")
        };
        assert!(re.is_match("terraform apply x -auto-approve"));
        assert!(!re.is_match("terraform"));
        // The classes are ASCII: a non-ASCII letter is no word character.
        let Matcher::Regex(word) =
            &p(r#"{"rules": [{"id": "w", "action": "warn", "regex": "^rm \\w+$"}]}"#)
                .unwrap()
                .patterns[0]
                .matcher
        else {
            panic!("not a regex")
        };
        assert!(word.is_match("rm build"));
        assert!(!word.is_match("rm δ"));
        assert!(
            p(r#"{"rules": [{"id": "b", "action": "warn", "regex": "\\bcurl\\b.*\\|\\s*sh"}]}"#)
                .is_ok()
        );
    }

    #[test]
    fn empty_policy_changes_nothing() {
        let pol = p("{}").unwrap();
        assert!(pol.patterns.is_empty() && pol.safe_dirs.is_empty() && pol.disabled.is_empty());
        let pol = p(r#"{"rules": []}"#).unwrap();
        assert!(pol.patterns.is_empty());
    }

    #[test]
    fn rules_targets_and_disables_load() {
        let pol = p(r#"{"version": 1,
            "rules": [{"id": "no-publish", "action": "block", "command": "npm publish"},
                      {"id": "tf", "action": "ask", "regex": "^terraform (apply|destroy)"}],
            "safeDeleteTargets": ["build/", "/r/dist"],
            "disable": ["git-stash-drop"]}"#)
        .unwrap();
        assert_eq!(pol.patterns.len(), 2);
        assert_eq!(pol.patterns[1].verdict, Verdict::Ask);
        assert_eq!(
            pol.safe_dirs,
            vec![PathBuf::from("/r/build"), PathBuf::from("/r/dist")]
        );
        assert_eq!(pol.disabled, vec!["git-stash-drop".to_string()]);
    }

    #[test]
    fn broken_policies_say_what_is_wrong() {
        assert!(p("").unwrap_err().contains("policy.json:"));
        assert!(p(r#"{"rule": []}"#).unwrap_err().contains("unknown field"));
        assert!(
            p(r#"{"disable": ["rm-rf"]}"#)
                .unwrap_err()
                .contains("not a built-in rule or pack id")
        );
        assert!(
            p(r#"{"rules": [{"id": "x", "action": "deny", "command": "a"}]}"#)
                .unwrap_err()
                .contains("not one of block, ask, warn")
        );
        assert!(
            p(r#"{"rules": [{"id": "x", "action": "block", "regex": "("}]}"#)
                .unwrap_err()
                .contains("does not compile")
        );
        assert!(
            p(r#"{"rules": [{"id": "rm-recursive-force", "action": "block", "command": "x"}]}"#)
                .is_err()
        );
        for bad in ["/", ".", "..", ".git", "/usr", ".git/objects"] {
            let t = format!(r#"{{"safeDeleteTargets": ["{bad}"]}}"#);
            assert!(p(&t).is_err(), "{bad}");
        }
    }
}
