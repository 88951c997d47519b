//! Facts the pack states once, checked where they live: the sizing of the session types has one
//! table, and the user guide's Session Config example and the pack's key table agree with the keys
//! `so-hook config` reads.

use crate::common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every Markdown file of the pack (plugin/, cursor-rules/).
fn pack_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "md" || x == "mdc") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&repo().join("plugin"), &mut out);
    walk(&repo().join("cursor-rules"), &mut out);
    out
}

/// The cells of each Markdown table row in `text`, without backticks and bold.
fn rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix('|'))
        .map(|l| {
            l.split('|')
                .map(|c| c.trim().trim_matches(['`', '*']).to_string())
                .collect()
        })
        .collect()
}

fn first_cells(text: &str) -> Vec<String> {
    rows(text).into_iter().map(|r| r[0].clone()).collect()
}

#[test]
fn the_session_types_are_sized_in_one_table() {
    // Housekeeping was "no agents" in one file and "at most 2" in two others; deep was sized like
    // feature. One table now says it, and no other file repeats a row of it.
    let home = repo().join("plugin/reference/session-types.md");
    let text = std::fs::read_to_string(&home).unwrap();
    assert!(
        text.contains("| | housekeeping | feature | deep |"),
        "{}",
        home.display()
    );
    for file in pack_files().into_iter().filter(|f| *f != home) {
        let text = std::fs::read_to_string(&file).unwrap();
        for row in rows(&text) {
            let sizes = row[1..].iter().any(|c| {
                c.contains("wave")
                    || c.contains("agent")
                    || c.contains(|ch: char| ch.is_ascii_digit())
            });
            assert!(
                !(matches!(row[0].as_str(), "housekeeping" | "feature" | "deep") && sizes),
                "{} sizes the session type `{}` again ({}); link to session-types.md instead",
                file.display(),
                row[0],
                row.join(" | ")
            );
        }
    }
}

/// What `so-hook config --json` reads from a project whose CLAUDE.md is `text`.
fn config_of(name: &str, text: &str) -> Value {
    let root = project(name);
    write(&root, "CLAUDE.md", text);
    let out = so_hook()
        .args(["config", "--json", "--cwd"])
        .arg(&root)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_guide_shows_every_key_in_one_example_that_so_hook_reads_cleanly() {
    let guide = std::fs::read_to_string(repo().join("docs/guide.md")).unwrap();
    let start = guide
        .find("```markdown\n## Session Config")
        .expect("docs/guide.md has a commented Session Config example")
        + "```markdown\n".len();
    let end = start + guide[start..].find("```").unwrap();
    let example = &guide[start..end];
    assert!(example.contains("<!--"), "the example is commented");
    let c = config_of("guide-example", example);
    assert_eq!(c["problems"], serde_json::json!([]), "{c}");
    let keys: Vec<&String> = c["config"].as_object().unwrap().keys().collect();
    for key in &keys {
        assert!(
            c["set"].get(key.as_str()).is_some(),
            "the guide's example does not set `{key}`"
        );
    }
}

#[test]
fn the_packs_key_table_and_so_hook_config_name_the_same_keys() {
    let text = std::fs::read_to_string(repo().join("plugin/reference/config-reading.md")).unwrap();
    let table = &text[text.find("## Keys and what they drive").unwrap()..];
    let mut named: Vec<String> = first_cells(table)
        .iter()
        .filter(|c| !c.is_empty() && !c.starts_with('-') && *c != "key")
        .flat_map(|c| {
            c.split(',')
                .map(|k| k.trim().trim_matches('`').to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    named.sort();
    let c = config_of("config-keys", "");
    let mut read: Vec<String> = c["config"].as_object().unwrap().keys().cloned().collect();
    read.sort();
    assert_eq!(named, read);
}

/// The numbers a text gives as a limit of questions asked at once ("in batches of at most ten",
/// "four at a time", "at most 6 questions").
fn question_batches(text: &str) -> Vec<(String, u32)> {
    const NUMBERS: &[(&str, u32)] = &[
        ("one", 1),
        ("two", 2),
        ("three", 3),
        ("four", 4),
        ("five", 5),
        ("six", 6),
        ("seven", 7),
        ("eight", 8),
        ("nine", 9),
        ("ten", 10),
        ("twelve", 12),
        ("twenty", 20),
    ];
    let number = |w: &str| {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        w.parse::<u32>()
            .ok()
            .or_else(|| NUMBERS.iter().find(|(n, _)| *n == w).map(|(_, v)| *v))
    };
    let mut out = Vec::new();
    let flat = text.split_whitespace().collect::<Vec<_>>();
    for (i, w) in flat.iter().enumerate() {
        let Some(n) = number(w) else { continue };
        let before = flat[i.saturating_sub(4)..i].join(" ").to_lowercase();
        let after = flat[i + 1..(i + 3).min(flat.len())]
            .join(" ")
            .to_lowercase();
        if before.ends_with("batches of at most")
            || before.ends_with("batches of")
            || after.starts_with("at a time")
            || (before.ends_with("at most") && after.starts_with("questions"))
        {
            out.push((
                flat[i.saturating_sub(3)..(i + 3).min(flat.len())].join(" "),
                n,
            ));
        }
    }
    out
}

#[test]
fn no_pack_file_asks_more_questions_at_once_than_a_round_holds() {
    // Discovery's triage asked "in batches of at most ten" against the four-question limit of a
    // question round (platform tools).
    let found = question_batches("Ask the user, in batches of at most ten, which to file");
    assert_eq!(found.iter().map(|(_, n)| *n).collect::<Vec<_>>(), [10]);
    for f in pack_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        for (words, n) in question_batches(&text) {
            assert!(
                n <= 4,
                "{}: `{words}` asks {n} questions at once",
                f.display()
            );
        }
    }
}

#[test]
fn each_cursor_rule_that_maps_a_command_links_the_command_it_maps() {
    // Rule 010 restated /session's steps (a default type of its own) instead of deferring to the
    // command file; a rule that maps a command defers to that command's file.
    for e in std::fs::read_dir(repo().join("cursor-rules"))
        .unwrap()
        .flatten()
    {
        let p = e.path();
        if p.extension().is_none_or(|x| x != "mdc") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        let description = text
            .lines()
            .find_map(|l| l.strip_prefix("description:"))
            .unwrap_or_default();
        // The commands a rule maps are the ones its description lists in parentheses:
        // "(/session, /close)", "(/evolve analyze, review or list)".
        let mapped: Vec<&str> = description
            .split('(')
            .skip(1)
            .filter_map(|g| g.split(')').next())
            .filter(|g| g.starts_with('/'))
            .flat_map(|g| g.split(','))
            .filter_map(|c| c.trim().strip_prefix('/'))
            .filter_map(|c| c.split_whitespace().next())
            .collect();
        for cmd in ["session", "go", "close", "discovery", "plan", "evolve"] {
            if mapped.contains(&cmd) {
                assert!(
                    text.contains(&format!("plugin/commands/{cmd}.md")),
                    "{} maps /{cmd} without linking plugin/commands/{cmd}.md",
                    p.display()
                );
            }
        }
    }
}
