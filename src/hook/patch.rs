//! Codex's `apply_patch` format, read for the files a patch touches: every `Add`, `Update` and
//! `Delete` path and both ends of a `Move to`. A patch that cannot be read is an error (the caller
//! denies with it), never an empty list.

/// The paths a patch creates, changes, deletes or moves (as written: relative or absolute).
pub fn paths(text: &str) -> Result<Vec<String>, String> {
    let text = unwrapped(text);
    let mut lines = text.lines().map(|l| l.trim_end_matches('\r'));
    let mut at = 0usize;
    for line in lines.by_ref() {
        at += 1;
        if line.trim() == "*** Begin Patch" {
            break;
        }
        if !line.trim().is_empty() {
            return Err(format!(
                "line {at}: expected `*** Begin Patch`, found `{}`",
                crate::hook::decision::clamp(line, 60)
            ));
        }
    }
    let mut out = Vec::new();
    let mut ended = false;
    for line in lines {
        at += 1;
        // Codex trims a line before it looks for a directive, so an indented `*** Add File:` is
        // one; the path keeps what follows `: ` exactly (a leading space included).
        let trimmed = line.trim();
        if trimmed == "*** End Patch" {
            ended = true;
            break;
        }
        let Some(op) = trimmed.strip_prefix("*** ") else {
            // Hunk lines: context, removals, additions, `@@` headers.
            if line.is_empty() || line.starts_with([' ', '-', '+', '@']) {
                continue;
            }
            return Err(format!(
                "line {at}: `{}` is not a patch line",
                crate::hook::decision::clamp(line, 60)
            ));
        };
        let path = ["Add File: ", "Delete File: ", "Update File: ", "Move to: "]
            .iter()
            .find_map(|prefix| op.strip_prefix(prefix));
        match path {
            Some(p) if !p.trim().is_empty() => out.push(p.to_string()),
            Some(_) => return Err(format!("line {at}: a file operation without a path")),
            None if op.trim() == "End of File" => {}
            // Which environment the patch is for: it names no file.
            None if op.starts_with("Environment ID:") => {}
            None => {
                return Err(format!(
                    "line {at}: unknown patch directive `*** {}`",
                    crate::hook::decision::clamp(op, 60)
                ));
            }
        }
    }
    if !ended {
        return Err("the patch has no `*** End Patch` line".into());
    }
    if out.is_empty() {
        return Err("the patch names no file".into());
    }
    Ok(out)
}

/// The patch inside a here-document wrapper that Codex also accepts: a first line `<<EOF`,
/// `<<'EOF'` or `<<"EOF"` and a last line ending in `EOF`. Any other text is returned as it is.
fn unwrapped(text: &str) -> &str {
    let trimmed = text.trim();
    let Some((first, rest)) = trimmed.split_once('\n') else {
        return text;
    };
    let Some((body, last)) = rest.rsplit_once('\n') else {
        return text;
    };
    let opener = matches!(first.trim(), "<<EOF" | "<<'EOF'" | "<<\"EOF\"");
    if opener && last.trim_end().ends_with("EOF") {
        body
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::paths;

    #[test]
    fn every_operation_and_both_ends_of_a_move() {
        let p = "*** Begin Patch\n*** Add File: a/new.rs\n+fn x() {}\n*** Update File: src/lib.rs\n\
                 *** Move to: src/moved.rs\n@@ fn y\n-let a = 1;\n+let a = 2;\n*** End of File\n\
                 *** Delete File: old.txt\n*** End Patch\n";
        assert_eq!(
            paths(p).unwrap(),
            vec!["a/new.rs", "src/lib.rs", "src/moved.rs", "old.txt"]
        );
    }

    #[test]
    fn crlf_and_absolute_paths() {
        let p = "*** Begin Patch\r\n*** Update File: /repo/src/a.rs\r\n@@\r\n-x\r\n+y\r\n*** End Patch\r\n";
        assert_eq!(paths(p).unwrap(), vec!["/repo/src/a.rs"]);
    }

    #[test]
    fn indented_directives_count_and_paths_keep_their_spaces() {
        let p = "*** Begin Patch\n*** Add File: src/x\n+a\n  *** Add File: docs/q\n+b\n\t*** Delete File: d\n*** End Patch";
        assert_eq!(paths(p).unwrap(), vec!["src/x", "docs/q", "d"]);
        let p = "*** Begin Patch\n*** Add File:  src/x\n+a\n*** End Patch";
        assert_eq!(paths(p).unwrap(), vec![" src/x"]);
    }

    #[test]
    fn malformed_patches_are_errors() {
        assert!(paths("").is_err());
        assert!(paths("diff --git a/x b/x").is_err());
        assert!(paths("*** Begin Patch\n*** Update File: a\n").is_err());
        assert!(paths("*** Begin Patch\n*** Frobnicate File: a\n*** End Patch").is_err());
        assert!(paths("*** Begin Patch\n*** Add File: \n*** End Patch").is_err());
        assert!(paths("*** Begin Patch\n*** End Patch").is_err());
        assert!(paths("*** Begin Patch\nrandom text\n*** End Patch").is_err());
    }

    #[test]
    fn codex_wrappers_and_environment_ids() {
        let wrapped = "<<'EOF'\n*** Begin Patch\n*** Environment ID: dev\n*** Add File: a.txt\n+x\n*** End Patch\nEOF\n";
        assert_eq!(paths(wrapped).unwrap(), vec!["a.txt"]);
        let plain = "*** Begin Patch\n*** Delete File: b.txt\n*** End Patch";
        assert_eq!(paths(plain).unwrap(), vec!["b.txt"]);
        assert!(paths("<<EOF\n*** Begin Patch\n*** Add File: c\n+x\n").is_err());
    }
}
