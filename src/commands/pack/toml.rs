//! The top level of a TOML file, read as far as a Codex role uses it: `key = value` lines with bare
//! or quoted values and `"""`/`'''` multi-line strings, up to the first table. Tables hold nested
//! settings (`[mcp_servers.x]`), which the role checks do not look into.

use std::collections::BTreeMap;

/// The top-level keys of `text`, each with its 1-based line and its value (a string's text without
/// its quotes; anything else as written); or the first line that is not `key = value`, and why.
pub(super) fn top_level(text: &str) -> Result<BTreeMap<String, (usize, String)>, (usize, String)> {
    let mut found: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut lines = text.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if l.starts_with('[') {
            // Tables hold nested settings (mcp_servers): not top-level keys.
            break;
        }
        let Some((k, v)) = l.split_once('=') else {
            return Err((i + 1, format!("`{l}` is not `key = value`")));
        };
        let (k, v) = (k.trim().to_string(), v.trim());
        let value = if let Some(rest) = v.strip_prefix("\"\"\"").or_else(|| v.strip_prefix("'''")) {
            let close = &v[..3];
            let mut body = rest.to_string();
            if let Some(end) = rest.find(close) {
                body.truncate(end);
            } else {
                let mut closed = false;
                for (_, more) in lines.by_ref() {
                    if let Some(end) = more.find(close) {
                        body.push('\n');
                        body.push_str(&more[..end]);
                        closed = true;
                        break;
                    }
                    body.push('\n');
                    body.push_str(more);
                }
                if !closed {
                    return Err((i + 1, format!("`{k}`: the multi-line string is not closed")));
                }
            }
            body
        } else if let Some(s) = v.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
            s.to_string()
        } else {
            v.to_string()
        };
        found.insert(k, (i + 1, value));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::top_level;

    #[test]
    fn keys_values_and_multi_line_strings() {
        let text = "# a role\nname = \"reviewer\"\nweb_search = true\ndeveloper_instructions = \"\"\"\nRead.\nThen write.\"\"\"\nnote = '''one line'''\n\n[mcp_servers.x]\ncommand = \"ignored\"\n";
        let keys = top_level(text).unwrap();
        assert_eq!(keys["name"], (2, "reviewer".to_string()));
        assert_eq!(keys["web_search"], (3, "true".to_string()));
        assert_eq!(
            keys["developer_instructions"],
            (4, "\nRead.\nThen write.".to_string())
        );
        assert_eq!(keys["note"], (7, "one line".to_string()));
        assert!(!keys.contains_key("command"));
    }

    #[test]
    fn what_is_not_read_is_placed() {
        assert_eq!(
            top_level("name = \"x\"\njust words\n"),
            Err((2, "`just words` is not `key = value`".to_string()))
        );
        assert_eq!(
            top_level("a = \"\"\"\nnever closed\n"),
            Err((1, "`a`: the multi-line string is not closed".to_string()))
        );
    }
}
