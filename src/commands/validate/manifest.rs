//! A wave manifest checked as the hook reads it, with warnings about patterns as the project
//! stands.

use super::report::{Report, syntax};
use super::{Diagnostic, Severity};
use crate::project::manifest::{self, STATE_DIRS};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Checks a wave manifest's text: what the hook refuses is an error (the same reading,
/// `manifest::read`), and nothing else is; the rest are warnings.
pub fn manifest_text(file: &Path, text: &str, home: Option<&Path>) -> Vec<Diagnostic> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return vec![syntax(file, &e)],
    };
    let mut r = Report::new(file, text);
    let Some(obj) = value.as_object() else {
        r.error(
            "",
            "a manifest is a JSON object with wave, role, enforcement, allowedPaths and \
             blockedCommands"
                .into(),
        );
        return r.out;
    };
    for key in obj.keys() {
        if !matches!(
            key.as_str(),
            "wave" | "role" | "enforcement" | "allowedPaths" | "blockedCommands" | "gates"
        ) {
            r.warn(
                &format!("/{key}"),
                format!(
                    "unknown key `{key}` is ignored (known: wave, role, enforcement, \
                     allowedPaths, blockedCommands, gates)"
                ),
            );
        }
    }
    let (read, problems) = manifest::read(text);
    if let Err(manifest::Refusal::Json(e)) = read {
        // The hook refuses the shape; say which values, in words, where serde names one.
        let shape = manifest::shape_problems(&value);
        if shape.is_empty() {
            let mut d = syntax(file, &e);
            d.message = d
                .message
                .replacen("not valid JSON: ", "not a manifest: ", 1);
            r.out.push(d);
        }
        for p in shape {
            r.error(&p.pointer, p.message);
        }
    }
    for p in problems {
        match p.level {
            manifest::Level::Error => r.error(&p.pointer, p.message),
            manifest::Level::Warning => r.warn(&p.pointer, p.message),
        }
    }
    if let (Some(root), Some(items)) = (
        project_of(file),
        obj.get("allowedPaths").and_then(Value::as_array),
    ) {
        pattern_warnings(&mut r, &root, items);
    }
    // A grant of the user's own home, wherever it is, is worth a second look.
    let refused = r.out.iter().any(|d| d.severity == Severity::Error);
    if let (Some(home), Some(items), false) = (
        home,
        obj.get("allowedPaths").and_then(Value::as_array),
        refused,
    ) {
        for (i, item) in items.iter().enumerate() {
            if item
                .as_str()
                .is_some_and(|p| crate::project::paths::normalize(Path::new(p)) == home)
            {
                r.warn(
                    &format!("/allowedPaths/{i}"),
                    format!(
                        "`{}` grants the whole home directory",
                        item.as_str().unwrap_or_default()
                    ),
                );
            }
        }
    }
    r.out.sort_by_key(|d| (d.line, d.column));
    r.out
}

/// The project a manifest belongs to: the parent of its state directory (`.claude`, ...).
fn project_of(file: &Path) -> Option<PathBuf> {
    let dir = file.parent()?;
    let name = dir.file_name()?.to_str()?;
    STATE_DIRS
        .contains(&name)
        .then(|| dir.parent().map(Path::to_path_buf))
        .flatten()
        .filter(|root| root.is_dir())
}

/// Most files and directories of the project looked at for the pattern warnings.
const MAX_SCANNED: usize = 20_000;

/// The project's files and directories (project-relative, `/`-separated), up to
/// [`MAX_SCANNED`], without `.git` and the directories tools regenerate.
fn project_entries(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            if out.len() >= MAX_SCANNED {
                return out;
            }
            let name = e.file_name().to_string_lossy().into_owned();
            let path = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            if is_dir
                && (name == ".git"
                    || crate::guard::class::REGENERATED_DIRS.contains(&name.as_str()))
            {
                continue;
            }
            if is_dir {
                stack.push((e.path(), path.clone()));
            }
            out.push(path);
        }
    }
    out
}

/// Warnings about patterns as the project stands: a directory named without its trailing slash
/// (which allows only that path, not the files in it), and a pattern that matches nothing.
fn pattern_warnings(r: &mut Report, root: &Path, items: &[Value]) {
    let mut entries: Option<Vec<String>> = None;
    for (i, item) in items.iter().enumerate() {
        let Some(p) = item.as_str() else { continue };
        let p = p.trim().trim_start_matches("./");
        if p.is_empty() || p.starts_with('/') || p.starts_with('~') || p.contains("..") {
            continue;
        }
        let here = format!("/allowedPaths/{i}");
        if !p.ends_with('/') && !crate::project::scope::has_wildcard(p) && root.join(p).is_dir() {
            r.warn(
                &here,
                format!(
                    "`{p}` is a directory: as written it allows no file in it; write `{p}/` for \
                     everything below it"
                ),
            );
            continue;
        }
        let entries = entries.get_or_insert_with(|| project_entries(root));
        let one = [p.to_string()];
        let Ok(allowed) = crate::project::scope::AllowedPaths::new(&one) else {
            continue;
        };
        if !entries.iter().any(|e| allowed.matches(e)) {
            r.warn(
                &here,
                format!(
                    "`{p}` matches nothing in the project now (a file created there later is \
                     allowed); check the spelling"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Vec<String> {
        manifest_text(Path::new("m.json"), text, Some(Path::new("/home/me")))
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    const GOOD: &str = r#"{"wave": 1, "role": "Impl-Core", "enforcement": "strict", "allowedPaths": ["src/"], "blockedCommands": []}"#;

    #[test]
    fn a_good_manifest_is_clean() {
        assert!(check(GOOD).is_empty(), "{:?}", check(GOOD));
    }
    #[test]
    fn every_malformed_case_has_its_place_and_reason() {
        let text = "{\n  \"wave\": 0,\n  \"role\": \"\",\n  \"enforcement\": \"loose\",\n  \"allowedPaths\": [\"src/\", \"\", \"../x\", \"/\", \"/etc\", \"/home/me\", \"**\", \"/srv/data/x\"],\n  \"blockedCommands\": \"rm\",\n  \"gates\": {\"path-guard\": \"no\", \"typo\": true}\n}";
        let out = check(text);
        let has = |s: &str| out.iter().any(|l| l.contains(s));
        // The shape first: the hook refuses these, so the values are not read further.
        assert!(
            has("m.json:6:22: error: blockedCommands is \"rm\""),
            "{out:#?}"
        );
        assert!(
            has("m.json:7:27: error: gates.path-guard is \"no\""),
            "{out:#?}"
        );
        let text = text
            .replace("\"rm\"", "[\"rm\"]")
            .replace("\"no\"", "false");
        let out = check(&text);
        let has = |s: &str| out.iter().any(|l| l.contains(s));
        // What the hook reads anyway is a warning (these were errors: the hook uses them).
        assert!(has("m.json:2:11: warning: wave is 0"), "{out:#?}");
        assert!(has("m.json:3:11: warning: role is \"\""), "{out:#?}");
        assert!(
            has("m.json:4:18: warning: enforcement is \"loose\""),
            "{out:#?}"
        );
        assert!(
            has("m.json:5:28: warning: an empty allowedPaths entry is ignored"),
            "{out:#?}"
        );
        assert!(has("error: `../x` climbs out"), "{out:#?}");
        assert!(has("error: `/` would grant"), "{out:#?}");
        assert!(has("error: `/etc` would grant"), "{out:#?}");
        assert!(
            has("error: `/home/me` would grant the whole of a home directory"),
            "{out:#?}"
        );
        assert!(has("warning: `**` allows every file"), "{out:#?}");
        assert!(
            has("warning: `/srv/data/x` grants edits outside"),
            "{out:#?}"
        );
        assert!(has("warning: unknown gate `typo`"), "{out:#?}");
        // The one reading: the hook refuses exactly the errors.
        assert!(manifest::parse(&text, Path::new("m.json")).is_err());
        let ok = GOOD.replace("[\"src/\"]", "[\"src/\", \"\", \"**\", \"/srv/data/x\"]");
        assert!(check(&ok).iter().all(|l| l.contains("warning")));
        assert!(manifest::parse(&ok, Path::new("m.json")).is_ok());
    }

    #[test]
    fn missing_keys_bad_json_and_wrong_shapes() {
        // The contract fills every missing key with a default: warnings (they were errors).
        let out = check("{}");
        assert!(out.iter().all(|l| l.contains("warning")), "{out:#?}");
        for k in [
            "wave",
            "role",
            "enforcement",
            "allowedPaths",
            "blockedCommands",
        ] {
            assert!(
                out.iter().any(|l| l.contains(&format!("missing `{k}`"))),
                "{k}: {out:#?}"
            );
        }
        let out = check("{\n  \"wave\": 1,\n  \"role\": \"x\"\n  \"enforcement\": \"strict\"\n}");
        assert_eq!(out.len(), 1);
        assert!(
            out[0].starts_with("m.json:4:3: error: not valid JSON"),
            "{out:#?}"
        );
        assert!(check("[1]")[0].contains("a manifest is a JSON object"));
        let out = check(&GOOD.replace("[\"src/\"]", "\"src/\""));
        assert!(
            out[0].contains("allowedPaths is \"src/\"; it must be an array"),
            "{out:#?}"
        );
        let out = check(&GOOD.replace("\"Impl-Core\"", "\"Impl-Core\", \"extra\": 1"));
        assert!(out[0].contains("warning: unknown key `extra`"), "{out:#?}");
    }

    #[test]
    fn an_empty_scope_outside_discovery_is_a_warning() {
        let out = check(&GOOD.replace("[\"src/\"]", "[]"));
        assert!(
            out[0].contains("warning: allowedPaths is empty"),
            "{out:#?}"
        );
        let out = check(
            &GOOD
                .replace("[\"src/\"]", "[]")
                .replace("Impl-Core", "Discovery"),
        );
        assert!(out.is_empty(), "{out:#?}");
    }
}
