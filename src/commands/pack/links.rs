//! Links between the pack's Markdown files.

use super::Findings;
use std::path::Path;

/// Every relative Markdown link `[text](path)` (outside code) must name an existing file.
pub(super) fn links(file: &Path, f: &mut Findings) {
    f.files += 1;
    let Ok(text) = std::fs::read_to_string(file) else {
        return;
    };
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut fenced = false;
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            let target = after[..end].trim();
            rest = &after[end..];
            // Inline code spans are examples, not links.
            let before = &line[..line.len() - rest.len()];
            if before.matches('`').count() % 2 == 1 {
                continue;
            }
            let path = target.split('#').next().unwrap_or_default();
            if path.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let resolved = dir.join(path);
            if !resolved.exists() {
                f.error(
                    file,
                    i + 1,
                    format!("the link to `{target}` points to nothing"),
                );
            }
        }
    }
}
