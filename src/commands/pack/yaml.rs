//! The YAML frontmatter of a Markdown file, read as far as the pack uses it: one level of
//! `key: value` with strings, booleans and lists (`[a, b]` or `- item` lines). Anything richer is an
//! error rather than a guess, so the linter never passes a value the platforms read differently.

use std::collections::BTreeMap;

/// A frontmatter value: only what the pack uses.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Fm {
    Str(String),
    Bool(bool),
    List(Vec<String>),
}

/// The keys of a frontmatter, each with its 1-based line and its value.
pub(super) type Frontmatter = BTreeMap<String, (usize, Fm)>;

/// The frontmatter of a Markdown file; `None` when there is none, an error with its line when it
/// cannot be read.
pub(super) fn frontmatter(text: &str) -> Option<Result<Frontmatter, (usize, String)>> {
    let mut lines = text.lines().enumerate();
    let (_, first) = lines.next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let mut out = BTreeMap::new();
    let mut last_key: Option<String> = None;
    for (i, line) in lines {
        let n = i + 1;
        if line.trim_end() == "---" {
            return Some(Ok(out));
        }
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        // A `- item` line continues the list of the key above it.
        if let Some(item) = line.trim_start().strip_prefix("- ")
            && line.starts_with([' ', '-'])
            && let Some(k) = &last_key
            && let Some((_, Fm::List(items))) = out.get_mut(k)
        {
            items.push(unquote(item.trim()).to_string());
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            return Some(Err((n, format!("`{line}` is not `key: value`"))));
        };
        if line.starts_with([' ', '\t']) {
            return Some(Err((
                n,
                format!("`{}`: nested values are not used in this pack", k.trim()),
            )));
        }
        let k = k.trim().to_string();
        let v = v.trim();
        let value = if v.is_empty() {
            Fm::List(Vec::new())
        } else if v == "true" || v == "false" {
            Fm::Bool(v == "true")
        } else if let Some(inner) = v.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
            Fm::List(
                inner
                    .split(',')
                    .map(|s| unquote(s.trim()).to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
            )
        } else if v == ">" || v == "|" || v == ">-" || v == "|-" {
            return Some(Err((n, format!("`{k}`: write the value on one line"))));
        } else {
            Fm::Str(unquote(v).to_string())
        };
        last_key = Some(k.clone());
        out.insert(k, (n, value));
    }
    Some(Err((1, "the frontmatter has no closing `---`".into())))
}

fn unquote(s: &str) -> &str {
    s.strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
        .unwrap_or(s)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frontmatter_forms() {
        let fm = frontmatter("---\nname: x\ndescription: \"a: b\"\nuser-invocable: false\ntools: [Read, Grep]\nlist:\n  - a\n  - b\n---\nbody").unwrap().unwrap();
        assert_eq!(fm["name"].1, Fm::Str("x".into()));
        assert_eq!(fm["description"].1, Fm::Str("a: b".into()));
        assert_eq!(fm["user-invocable"].1, Fm::Bool(false));
        assert_eq!(fm["tools"].1, Fm::List(vec!["Read".into(), "Grep".into()]));
        assert_eq!(fm["list"].1, Fm::List(vec!["a".into(), "b".into()]));
        assert!(frontmatter("no frontmatter").is_none());
        assert!(frontmatter("---\nname: x\n").unwrap().is_err());
        assert!(
            frontmatter("---\ndescription: >\n  folded\n---\n")
                .unwrap()
                .is_err()
        );
    }
}
