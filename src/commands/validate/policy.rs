//! The project policy checked as the hook reads it: its first problem, placed where it names one.

use super::report::{Report, syntax};
use super::{Diagnostic, Severity};
use crate::project::policy;
use serde_json::Value;
use std::path::Path;

/// Checks a policy's text (as the hook reads it; the first problem).
pub fn policy_text(file: &Path, text: &str, root: &Path) -> Vec<Diagnostic> {
    if let Err(e) = serde_json::from_str::<Value>(text) {
        return vec![syntax(file, &e)];
    }
    let Err(message) = policy::parse(text, file, root) else {
        return Vec::new();
    };
    let mut r = Report::new(file, text);
    // The hook's message starts with the file (and, for shape errors, its position).
    let prefix = format!("{}:", file.display());
    let rest = message
        .strip_prefix(&prefix)
        .unwrap_or(&message)
        .trim_start();
    // One line per diagnostic (a regex error draws a caret diagram over several).
    let rest = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    let rest = rest.as_str();
    if let Some((pos, msg)) = split_position(rest) {
        r.out.push(Diagnostic {
            file: file.to_path_buf(),
            line: pos.0,
            column: pos.1,
            severity: Severity::Error,
            message: msg.to_string(),
        });
    } else {
        r.error(&pointer_of(rest), rest.to_string());
    }
    r.out
}

/// `3:14: message` -> ((3, 14), "message").
fn split_position(s: &str) -> Option<((usize, usize), &str)> {
    let mut parts = s.splitn(3, ':');
    let line = parts.next()?.trim().parse().ok()?;
    let col = parts.next()?.trim().parse().ok()?;
    Some(((line, col), parts.next()?.trim()))
}

/// The JSON pointer a policy message names first: `rules[2].regex ...` -> `/rules/2/regex`.
fn pointer_of(msg: &str) -> String {
    let word = msg.split_whitespace().next().unwrap_or_default();
    let mut out = String::new();
    for part in word.split('.') {
        match part.split_once('[') {
            Some((name, idx)) => {
                out.push('/');
                out.push_str(name);
                out.push('/');
                out.push_str(idx.trim_end_matches(']'));
            }
            None if part.chars().all(|c| c.is_ascii_alphanumeric()) && !part.is_empty() => {
                out.push('/');
                out.push_str(part);
            }
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_errors_are_placed() {
        let root = Path::new("/nonexistent/project");
        let text = "{\n  \"rules\": [\n    {\"id\": \"ok\", \"action\": \"warn\", \"command\": \"curl\"},\n    {\"id\": \"bad\", \"action\": \"block\", \"regex\": \"(\"}\n  ]\n}";
        let d = policy_text(Path::new("p.json"), text, root);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column), (4, 47), "{}", d[0]);
        assert!(
            d[0].message.contains("rules[1].regex does not compile"),
            "{}",
            d[0]
        );
        let d = policy_text(Path::new("p.json"), "{\"rulez\": []}", root);
        assert!(d[0].message.contains("unknown field `rulez`"), "{}", d[0]);
        let d = policy_text(Path::new("p.json"), "{\"disable\": [\"nope\"]}", root);
        assert_eq!((d[0].line, d[0].column), (1, 14), "{}", d[0]);
        assert!(policy_text(Path::new("p.json"), "{}", root).is_empty());
        // The other malformed policies of the contract: bad JSON, a wrong type, an unknown rule.
        let d = policy_text(Path::new("p.json"), "{\"rules\": [}", root);
        assert_eq!((d[0].line, d[0].column), (1, 12), "{}", d[0]);
        assert!(d[0].message.starts_with("not valid JSON"), "{}", d[0]);
        let d = policy_text(
            Path::new("p.json"),
            "{\n  \"disable\": \"git-stash-drop\"\n}",
            root,
        );
        assert_eq!(d[0].line, 2, "{}", d[0]);
        assert!(d[0].message.contains("invalid type: string"), "{}", d[0]);
        let d = policy_text(
            Path::new("p.json"),
            "{\"rules\": [{\"id\": \"git-push-force\", \"action\": \"warn\", \"command\": \"x\"}]}",
            root,
        );
        assert!(d[0].message.contains("is a built-in rule id"), "{}", d[0]);
        assert_eq!((d[0].line, d[0].column), (1, 19), "{}", d[0]);
    }
}
