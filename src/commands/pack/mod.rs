//! `so-hook validate --plugin [DIR]`: the Markdown pack and the plugin files checked the way the
//! platforms load them. From the repository root `DIR`:
//!
//! - `.claude-plugin/marketplace.json` and each plugin it lists (`.claude-plugin/plugin.json`,
//!   `.codex-plugin/plugin.json`): valid JSON, the required keys, kebab-case names, paths that exist;
//! - hook files: Claude Code's and Codex's (`hooks/hooks.json`, `hooks/hooks-codex.json`: Codex
//!   accepts only `description` and `hooks` at the root) and Cursor's (`cursor-rules/hooks.json`:
//!   version 1, `failClosed` booleans);
//! - commands, skills, agents and output styles: the frontmatter each platform reads, with valid
//!   values; no two files define the same command, no two output styles share a name;
//! - Cursor rules (`cursor-rules/*.mdc`): `description`, `globs`, and `alwaysApply` as a real
//!   boolean; Codex roles (`.codex-plugin/agents/*.toml`): the keys Codex reads;
//! - every relative Markdown link in the pack points to a file that exists;
//! - every `so-hook ...` command line the pack writes names a real subcommand and real options.
//!
//! The walk over the repository is here; what each kind of file must hold is in its own module:
//! `manifests` (the JSON files), `markdown` (frontmatter of commands, skills, agents, output
//! styles and Cursor rules, read by `yaml`), `role` (Codex roles, read by `toml`), `links` and `commands` (the
//! command lines, held to the binary's own command line).

mod commands;
mod links;
mod manifests;
mod markdown;
mod role;
mod toml;
mod yaml;

use crate::commands::validate::{Diagnostic, Severity};
pub use commands::code_of;
use commands::command_lines;
use links::links;
use manifests::{
    claude_manifest, codex_manifest, component_paths, cursor_hooks, hook_file, marketplace,
};
use markdown::{agent, command, cursor_rule, output_style, skill};
use role::codex_role;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Collects the findings of one run.
#[derive(Default)]
struct Findings {
    out: Vec<Diagnostic>,
    /// How many files were read.
    files: usize,
}

impl Findings {
    fn at(&mut self, file: &Path, line: usize, severity: Severity, message: String) {
        self.out.push(Diagnostic {
            file: file.to_path_buf(),
            line: line.max(1),
            column: 1,
            severity,
            message,
        });
    }
    fn error(&mut self, file: &Path, line: usize, message: String) {
        self.at(file, line, Severity::Error, message);
    }
    fn warn(&mut self, file: &Path, line: usize, message: String) {
        self.at(file, line, Severity::Warning, message);
    }
}

/// Checks the pack under `root`: the diagnostics (naming files relative to it when they can) and
/// the number of files checked.
pub fn check(root: &Path) -> (Vec<Diagnostic>, usize) {
    let mut f = Findings::default();
    let mut markdown: Vec<PathBuf> = Vec::new();
    let plugins = marketplace(root, &mut f);
    for plugin in &plugins {
        plugin_dir(plugin, &mut f, &mut markdown);
    }
    // The repository root as a Codex plugin of its own.
    let root_codex = root.join(".codex-plugin/plugin.json");
    if root_codex.is_file() {
        codex_manifest(&root_codex, root, &mut f);
    }
    let roles = root.join(".codex-plugin/agents");
    for file in files_with(&roles, "toml") {
        codex_role(&file, &mut f);
        command_lines(&file, &mut f);
    }
    let cursor = root.join("cursor-rules");
    if cursor.join("hooks.json").is_file() {
        cursor_hooks(&cursor.join("hooks.json"), &mut f);
    }
    for file in files_with(&cursor, "mdc") {
        cursor_rule(&file, &mut f);
        markdown.push(file);
    }
    for file in &markdown {
        links(file, &mut f);
        command_lines(file, &mut f);
    }
    for d in &mut f.out {
        if let Ok(rel) = d.file.strip_prefix(root) {
            d.file = rel.to_path_buf();
        }
    }
    (f.out, f.files)
}

/// The files of one extension directly in `dir`, sorted.
fn files_with(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().and_then(|e| e.to_str()) == Some(ext))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn read_json(file: &Path, f: &mut Findings) -> Option<Value> {
    f.files += 1;
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            f.error(file, 1, format!("cannot be read: {e}"));
            return None;
        }
    };
    match serde_json::from_str(&text) {
        Ok(v) => Some(v),
        Err(e) => {
            f.error(file, e.line(), format!("not valid JSON: {e}"));
            None
        }
    }
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.ends_with('-')
        && !s.contains("--")
}

fn is_semver(s: &str) -> bool {
    let core = s.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// One plugin directory: its manifests, hooks, commands, skills and agents.
fn plugin_dir(dir: &Path, f: &mut Findings, markdown: &mut Vec<PathBuf>) {
    claude_manifest(dir, f);
    let codex = dir.join(".codex-plugin/plugin.json");
    if codex.is_file() {
        codex_manifest(&codex, dir, f);
    }
    let hooks = dir.join("hooks/hooks.json");
    if hooks.is_file() {
        hook_file(&hooks, false, f);
    }
    let codex_hooks = dir.join("hooks/hooks-codex.json");
    if codex_hooks.is_file() {
        hook_file(&codex_hooks, true, f);
    }
    let mut commands: BTreeMap<String, PathBuf> = BTreeMap::new();
    for file in files_with(&dir.join("commands"), "md") {
        command(&file, f);
        let name = stem(&file);
        commands.insert(name, file.clone());
        markdown.push(file);
    }
    let skills_dir = dir.join("skills");
    let mut skill_dirs: Vec<PathBuf> = std::fs::read_dir(&skills_dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    skill_dirs.sort();
    for sd in skill_dirs {
        let file = sd.join("SKILL.md");
        let name = sd
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !file.is_file() {
            f.error(&sd, 1, "a skill directory needs a SKILL.md".into());
            continue;
        }
        skill(&file, &name, f);
        // Claude Code loads command files as skills: one name may not be both, whether or not
        // the skill is user-invocable (its plugin inventory lists both under the one name).
        if commands.contains_key(&name) {
            f.error(
                &file,
                1,
                format!(
                    "the skill `{name}` and commands/{name}.md define the same command; rename one"
                ),
            );
        }
        markdown.extend(files_with(&sd, "md"));
    }
    for file in files_with(&dir.join("agents"), "md") {
        agent(&file, f);
        markdown.push(file.clone());
    }
    output_styles(dir, f, markdown);
    markdown.extend(files_with(&dir.join("reference"), "md"));
}

/// A plugin's output styles: `output-styles/*.md` and whatever `outputStyles` in its Claude Code
/// manifest adds (directories of `.md` files, or files). Claude Code names each `<plugin>:<name>`,
/// so two files of one name would leave one style unreachable.
fn output_styles(dir: &Path, f: &mut Findings, markdown: &mut Vec<PathBuf>) {
    let mut files = files_with(&dir.join("output-styles"), "md");
    let manifest = std::fs::read_to_string(dir.join(".claude-plugin/plugin.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok());
    if let Some(m) = &manifest {
        for p in component_paths(m, "outputStyles") {
            let path = dir.join(p.trim_start_matches("./"));
            if path.is_dir() {
                files.extend(files_with(&path, "md"));
            } else if path.is_file() && p.ends_with(".md") {
                files.push(path);
            }
        }
    }
    // A file the manifest lists again (`./output-styles/`) is read once.
    let mut seen = std::collections::BTreeSet::new();
    files.retain(|p| seen.insert(p.canonicalize().unwrap_or_else(|_| p.clone())));
    let mut names: BTreeMap<String, PathBuf> = BTreeMap::new();
    for file in files {
        if let Some((name, line)) = output_style(&file, f) {
            if let Some(first) = names.get(&name) {
                let first = first.strip_prefix(dir).unwrap_or(first).display();
                f.error(
                    &file,
                    line,
                    format!("the output style name `{name}` is already taken by {first}"),
                );
            } else {
                names.insert(name, file.clone());
            }
        }
        markdown.push(file);
    }
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_versions() {
        assert!(is_kebab("so-hook") && is_kebab("a1-b"));
        assert!(!is_kebab("So-hook") && !is_kebab("a_b") && !is_kebab("a--b") && !is_kebab(""));
        assert!(is_semver("0.1.0") && is_semver("1.2.3-beta.1"));
        assert!(!is_semver("1.2") && !is_semver("v1.2.3"));
    }
}
