//! `so-hook validate --plugin`: the repository's own pack passes; each kind of broken pack file is
//! reported with its file and line.

use crate::common::*;
use std::path::Path;

fn validate(dir: &Path) -> (i32, String) {
    let out = so_hook()
        .args(["validate", "--plugin"])
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn the_repository_pack_passes() {
    let (code, out) = validate(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert_eq!(code, 0, "{out}");
    let files: usize = out
        .lines()
        .last()
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(files > 60, "{out}");
}

/// A small pack that passes, to break one file at a time.
fn good_pack(name: &str) -> std::path::PathBuf {
    let root = project(name);
    write(
        &root,
        ".claude-plugin/marketplace.json",
        r#"{"name": "m", "owner": {"name": "o"}, "plugins": [{"name": "p", "source": "./plugin"}]}"#,
    );
    write(
        &root,
        "plugin/.claude-plugin/plugin.json",
        r#"{"name": "p", "version": "0.1.0"}"#,
    );
    write(
        &root,
        "plugin/.codex-plugin/plugin.json",
        r#"{"name": "p", "hooks": "./hooks/hooks-codex.json", "skills": "./skills/"}"#,
    );
    write(
        &root,
        "plugin/hooks/hooks.json",
        r#"{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "so-hook hook --platform claude", "onFailure": "block"}]}]}}"#,
    );
    write(
        &root,
        "plugin/hooks/hooks-codex.json",
        r#"{"description": "d", "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "so-hook hook --platform codex", "timeout": 10}]}]}}"#,
    );
    write(
        &root,
        "plugin/commands/go.md",
        "---\ndescription: Run the waves\nargument-hint: [focus]\nallowed-tools: Bash, Read\n---\nHand off to [the executor](../skills/wave-executor/SKILL.md).\n",
    );
    write(
        &root,
        "plugin/skills/wave-executor/SKILL.md",
        "---\nname: wave-executor\ndescription: Runs waves\nuser-invocable: false\n---\nSee [the loop](wave-loop.md) and `[not a link](nowhere.md)`.\n\n```\n[example](missing.md)\nso-hook scope set --wave N --role ROLE --platform P \\\n  --allow 'src/'\n```\nRead it with `so-hook config --json --platform P`.\n",
    );
    write(
        &root,
        "plugin/skills/wave-executor/wave-loop.md",
        "# Loop\n",
    );
    write(
        &root,
        "plugin/agents/code-implementer.md",
        "---\nname: code-implementer\ndescription: Implements\ntools: Read, Edit\nmodel: sonnet\ncolor: blue\n---\nBody\n",
    );
    write(
        &root,
        "plugin/output-styles/terse.md",
        "---\nname: terse\ndescription: Short turns\nkeep-coding-instructions: true\n---\nBe brief.\n",
    );
    write(
        &root,
        ".codex-plugin/agents/wave-worker.toml",
        "name = \"wave-worker\"\ndescription = \"Works\"\nsandbox_mode = \"workspace-write\"\ndeveloper_instructions = \"\"\"\nStay in scope.\n\"\"\"\n",
    );
    write(
        &root,
        "cursor-rules/000-primer.mdc",
        "---\ndescription: Primer\nglobs: \"\"\nalwaysApply: true\n---\nSee [go](../plugin/commands/go.md).\n",
    );
    write(
        &root,
        "cursor-rules/hooks.json",
        r#"{"version": 1, "hooks": {"beforeShellExecution": [{"command": "so-hook hook --platform cursor", "failClosed": true}]}}"#,
    );
    root
}

#[test]
fn a_good_pack_passes() {
    let root = good_pack("pack-good");
    let (code, out) = validate(&root);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("0 errors, 0 warnings\n"), "{out}");
}

#[test]
fn each_broken_file_is_named_with_its_line() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "plugin/commands/go.md",
            "---\nargument-hint: x\n---\nbody\n",
            "plugin/commands/go.md:1:1: error: a command needs `description`",
        ),
        (
            "plugin/skills/wave-executor/SKILL.md",
            "---\nname: waves\ndescription: d\n---\n",
            "plugin/skills/wave-executor/SKILL.md:2:1: error: name `waves` differs from its directory",
        ),
        (
            "plugin/skills/wave-executor/SKILL.md",
            "---\nname: wave-executor\ndescription: d\n---\nSee [gone](gone.md).\n",
            "plugin/skills/wave-executor/SKILL.md:5:1: error: the link to `gone.md` points to nothing",
        ),
        (
            "plugin/agents/code-implementer.md",
            "---\nname: code-implementer\ndescription: d\nmodel: gpt-5\n---\n",
            "plugin/agents/code-implementer.md:4:1: error: model must be one of",
        ),
        (
            "plugin/output-styles/terse.md",
            "---\nname: terse\nkeep-coding-instructions: true\n---\nBe brief.\n",
            "plugin/output-styles/terse.md:1:1: error: an output style needs `description` in its frontmatter",
        ),
        (
            "plugin/output-styles/terse.md",
            "---\nname: terse\ndescription: d\nkeep-coding-instructions: yes\n---\n",
            "plugin/output-styles/terse.md:4:1: error: `keep-coding-instructions` must be true or false",
        ),
        (
            "plugin/output-styles/terse.md",
            "Be brief.\n",
            "plugin/output-styles/terse.md:1:1: error: an output style starts with frontmatter",
        ),
        (
            "cursor-rules/000-primer.mdc",
            "---\ndescription: p\nalwaysApply: \"true\"\n---\n",
            "cursor-rules/000-primer.mdc:3:1: error: alwaysApply is `\"true\"`",
        ),
        (
            ".codex-plugin/agents/wave-worker.toml",
            "name = \"wave-worker\"\ndescription = \"w\"\ncolour = \"red\"\n",
            ".codex-plugin/agents/wave-worker.toml:1:1: error: a Codex role needs `developer_instructions`",
        ),
        (
            ".codex-plugin/agents/wave-worker.toml",
            "name = \"wave-worker\"\ndescription = \"w\"\ndeveloper_instructions = \"x\"\ncolour = \"red\"\n",
            ".codex-plugin/agents/wave-worker.toml:4:1: error: `colour` is not a key Codex reads",
        ),
        (
            "plugin/hooks/hooks-codex.json",
            r#"{"_comment": "x", "hooks": {}}"#,
            "plugin/hooks/hooks-codex.json:1:1: error: `_comment`: Codex rejects",
        ),
        (
            "plugin/hooks/hooks.json",
            r#"{"hooks": {"PreToolUse": [{"hooks": [{"type": "command", "command": "so-hook hook"}]}]}}"#,
            "error: `so-hook hook` must pass --platform claude",
        ),
        (
            "cursor-rules/hooks.json",
            r#"{"version": 1, "hooks": {"preToolUse": [{"command": "so-hook hook --platform cursor"}]}}"#,
            "cursor-rules/hooks.json:1:1: error: the preToolUse handler must set failClosed: true",
        ),
        (
            "plugin/skills/wave-executor/wave-loop.md",
            "# Loop\n\nFirst `so-hook scope show --plattform P`.\n",
            "plugin/skills/wave-executor/wave-loop.md:3:1: error: `so-hook scope show --plattform P`: `so-hook scope show` has no option `--plattform` (it takes --platform, --cwd, --json)",
        ),
        (
            "cursor-rules/000-primer.mdc",
            "---\ndescription: p\nalwaysApply: true\n---\n```sh\nso-hook gate --variant fulll\n```\n",
            "cursor-rules/000-primer.mdc:6:1: error: `so-hook gate --variant fulll`: `--variant` takes baseline, incremental, full, per-file, not `fulll`",
        ),
        (
            ".codex-plugin/agents/wave-worker.toml",
            "name = \"wave-worker\"\ndescription = \"w\"\ndeveloper_instructions = \"\"\"\nRun `so-hook scope sett` first.\n\"\"\"\n",
            ".codex-plugin/agents/wave-worker.toml:4:1: error: `so-hook scope sett`: `so-hook scope` has no subcommand `sett` (set, show, clear)",
        ),
        (
            ".claude-plugin/marketplace.json",
            r#"{"name": "m", "owner": {"name": "o"}, "plugins": [{"name": "p", "source": "./nope"}]}"#,
            "error: plugins[0].source `./nope` does not exist",
        ),
        (
            "plugin/.codex-plugin/plugin.json",
            r#"{"name": "p", "hooks": "./hooks/missing.json"}"#,
            "error: `hooks` names ./hooks/missing.json, which does not exist",
        ),
    ];
    for (i, (file, text, expected)) in cases.iter().enumerate() {
        let root = good_pack(&format!("pack-bad-{i}"));
        write(&root, file, text);
        let (code, out) = validate(&root);
        assert_eq!(code, 1, "{file}: {out}");
        assert!(
            out.contains(expected),
            "{file}: expected {expected:?} in\n{out}"
        );
    }
}

#[test]
fn a_command_and_a_skill_of_one_name_clash() {
    let root = good_pack("pack-clash");
    // Claude Code lists command files as skills: the names collide even for a hidden skill.
    write(
        &root,
        "plugin/commands/wave-executor.md",
        "---\ndescription: run\n---\n",
    );
    let (code, out) = validate(&root);
    assert_eq!(code, 1);
    assert!(out.contains("define the same command"), "{out}");
}

#[test]
fn two_output_styles_of_one_name_clash() {
    let root = good_pack("pack-styles");
    // A second directory of styles, listed in the manifest, with a file named differently but
    // declaring the same style name: Claude Code would offer `p:terse` twice.
    write(
        &root,
        "plugin/.claude-plugin/plugin.json",
        r#"{"name": "p", "version": "0.1.0", "outputStyles": ["./output-styles/", "./more-styles/"]}"#,
    );
    write(
        &root,
        "plugin/more-styles/brief.md",
        "---\nname: terse\ndescription: Also short\n---\nBe brief.\n",
    );
    let (code, out) = validate(&root);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "plugin/more-styles/brief.md:2:1: error: the output style name `terse` is already taken by output-styles/terse.md"
        ),
        "{out}"
    );
    // The default directory listed again in the manifest is read once, not reported as a clash.
    assert_eq!(out.matches("already taken").count(), 1, "{out}");
}
