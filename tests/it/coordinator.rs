//! The coordinator's tools through the binary: `validate`, `scope set|show|clear`, `config`,
//! `completions`; and the published JSON Schemas agreeing with what the code accepts.

use crate::common::*;
use serde_json::{Value, json};
use std::path::Path;

fn cmd(root: &Path, args: &[&str]) -> (i32, String, String) {
    let out = so_hook().args(args).current_dir(root).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn validate_places_each_problem_and_exits_1() {
    let root = project("val");
    write(
        &root,
        ".claude/wave-scope.json",
        "{\n  \"wave\": 0,\n  \"role\": \"Impl-Core\",\n  \"enforcement\": \"strict\",\n  \"allowedPaths\": [\"src/\", \"../up\"],\n  \"blockedCommands\": []\n}\n",
    );
    write(
        &root,
        ".so-hook/policy.json",
        "{\"rules\": [{\"id\": \"x\", \"action\": \"nope\", \"command\": \"y\"}]}",
    );
    write(
        &root,
        "CLAUDE.md",
        "# P\n\n## Session Config\n\nwaves: lots\n",
    );
    let (code, out, _) = cmd(&root, &["validate"]);
    assert_eq!(code, 1, "{out}");
    let m = root.join(".claude/wave-scope.json").display().to_string();
    assert!(
        // A warning (was an error): the hook reads a wave numbered 0 all the same.
        out.contains(&format!("{m}:2:11: warning: wave is 0")),
        "{out}"
    );
    assert!(
        out.contains(&format!("{m}:5:28: error: `../up` climbs out")),
        "{out}"
    );
    assert!(
        out.contains("policy.json:1:34: error: rules[0].action `nope`"),
        "{out}"
    );
    assert!(
        out.contains("CLAUDE.md:5:1: error: `waves: lots` is invalid"),
        "{out}"
    );
    assert!(
        out.ends_with("3 files checked: 3 errors, 2 warnings\n"),
        "{out}"
    );

    let (code, out, _) = cmd(&root, &["validate", "--json"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["errors"], 3);
    assert_eq!(v["diagnostics"][0]["line"], 2);
}

#[test]
fn validate_reads_stdin_and_a_clean_project_passes() {
    let root = project("val-ok");
    let good = json!({"wave": 1, "role": "Discovery", "enforcement": "warn",
                      "allowedPaths": [], "blockedCommands": []});
    let out = so_hook()
        .args(["validate", "--kind", "manifest", "-"])
        .current_dir(&root)
        .write_stdin(good.to_string())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = so_hook()
        .args(["validate", "--kind", "manifest", "-"])
        .current_dir(&root)
        .write_stdin("{\"wave\": 1,}")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("<stdin>:1:12: error: not valid JSON")
    );
    let (code, _, err) = cmd(&root, &["validate"]);
    assert_eq!(code, 2, "nothing to check");
    assert!(err.contains("no manifest"), "{err}");
}

#[test]
fn scope_set_show_clear_round_trip() {
    let root = project("scope-cmd");
    write(
        &root,
        "CLAUDE.md",
        "## Session Config\n\n- **enforcement:** warn\n- **enforcement-gates:** {post-edit-validate: false}\n",
    );
    let (code, out, err) = cmd(
        &root,
        &[
            "scope",
            "set",
            "--wave",
            "2",
            "--role",
            "Impl-Core",
            "--allow",
            "src/",
            "--allow",
            "tests/**/*.rs",
            "--allow",
            "src/",
            "--block",
            "npm publish",
            "--gate",
            "command-guard=false",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("wrote .claude/wave-scope.json: wave 2 (Impl-Core), warn, 3 allowed paths"),
        "{out}"
    );
    let written: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join(".claude/wave-scope.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        written,
        json!({"wave": 2, "role": "Impl-Core", "enforcement": "warn",
               "allowedPaths": ["src/", "tests/**/*.rs"], "blockedCommands": ["npm publish"],
               "gates": {"post-edit-validate": false, "command-guard": false}})
    );
    // What was written is what the hook enforces.
    let a = run(&write_call(
        &root,
        &root.join("docs/x.md").display().to_string(),
    ));
    assert_eq!(a.verdict(), "warn");

    let (_, out, _) = cmd(&root, &["scope", "show"]);
    assert!(
        out.contains("wave 2 (Impl-Core), enforcement warn"),
        "{out}"
    );
    assert!(out.contains("allowed: src/, tests/**/*.rs"), "{out}");
    assert!(
        out.contains("gates off: command-guard, post-edit-validate"),
        "{out}"
    );
    let (_, out, _) = cmd(&root, &["scope", "show", "--json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["manifests"][0]["wave"], 2);

    let (code, out, _) = cmd(
        &root,
        &[
            "scope",
            "set",
            "--platform",
            "codex",
            "--wave",
            "3",
            "--role",
            "Quality",
            "--allow",
            "**/*.test.*",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = cmd(&root, &["scope", "clear"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("removed .claude/wave-scope.json")
            && out.contains("removed .codex/wave-scope.json"),
        "{out}"
    );
    assert!(!root.join(".claude/wave-scope.json").exists());
    let (_, out, _) = cmd(&root, &["scope", "clear"]);
    assert!(out.contains("no wave manifest to remove"));
}

#[test]
fn scope_set_refuses_an_invalid_manifest_and_writes_nothing() {
    let root = project("scope-bad");
    let (code, _, err) = cmd(
        &root,
        &[
            "scope",
            "set",
            "--wave",
            "0",
            "--role",
            "Impl-Core",
            "--allow",
            "../outside",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("warning: wave is 0"), "{err}");
    assert!(err.contains("error: `../outside` climbs out"), "{err}");
    assert!(err.contains("not written"), "{err}");
    assert!(!root.join(".claude").exists());
    let (code, _, err) = cmd(
        &root,
        &[
            "scope",
            "set",
            "--wave",
            "1",
            "--role",
            "Discovery",
            "--gate",
            "path-guard",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("NAME=true"), "{err}");
    let (code, out, _) = cmd(
        &root,
        &[
            "scope",
            "set",
            "--wave",
            "1",
            "--role",
            "Discovery",
            "--dry-run",
        ],
    );
    assert_eq!(code, 0);
    assert!(out.contains("\"allowedPaths\": []"), "{out}");
    assert!(!root.join(".claude").exists(), "a dry run writes nothing");
}

#[test]
fn a_subagent_cannot_clear_the_scope_through_the_hook() {
    let root = project("scope-agent");
    let a = run(&as_subagent(bash(&root, "so-hook scope clear")));
    assert_eq!(a.verdict(), "deny");
    assert_eq!(a.rule(), "control-plane");
    assert_eq!(run(&bash(&root, "so-hook scope clear")).verdict(), "allow");
}

#[test]
fn config_prints_every_field_with_its_origin() {
    let root = project("config-cmd");
    write(
        &root,
        "CLAUDE.md",
        "# P\n\n## Session Config\n\n- **waves**: 3\n- **typecheck-command:** cargo check\n- **persistence:** maybe\n",
    );
    let (code, out, err) = cmd(&root, &["config"]);
    assert_eq!(code, 1, "an invalid value");
    assert!(out.contains("waves: 3  # line 5"), "{out}");
    assert!(out.contains("recent-commits: 20  # default"), "{out}");
    assert!(
        err.contains("CLAUDE.md:7: error: `persistence: maybe` is invalid"),
        "{err}"
    );
    let (_, out, _) = cmd(&root, &["config", "--json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["config"]["typecheck-command"], "cargo check");
    assert_eq!(v["config"]["waves"], 3);
    assert_eq!(v["set"]["waves"], 5);
    assert_eq!(v["problems"][0]["line"], 7);
    // Codex reads AGENTS.md.
    write(&root, "AGENTS.md", "## Session Config\nwaves: 9\n");
    let (code, out, _) = cmd(&root, &["config", "--platform", "codex", "--json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["config"]["waves"], 9);
}

#[test]
fn completions_for_each_shell() {
    let root = project("completions");
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef so-hook"),
        ("fish", "complete -c so-hook"),
    ] {
        let (code, out, _) = cmd(&root, &["completions", shell]);
        assert_eq!(code, 0);
        assert!(out.contains(marker), "{shell}");
        assert!(out.contains("validate") && out.contains("scope"), "{shell}");
    }
}

#[test]
fn the_schemas_name_what_the_code_accepts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let load = |f: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(f)).unwrap()).unwrap()
    };
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let m = load("wave-scope.schema.json");
    assert_eq!(
        keys(&m["properties"]),
        [
            "allowedPaths",
            "blockedCommands",
            "enforcement",
            "gates",
            "role",
            "wave"
        ]
    );
    let p = load("policy.schema.json");
    assert_eq!(
        keys(&p["properties"]),
        ["ask", "disable", "rules", "safeDeleteTargets", "version"]
    );
    let disable: Vec<&str> = p["properties"]["disable"]["items"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let switchable: Vec<&str> = so_hook::guard::BUILTIN_RULES
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| !so_hook::guard::FIXED_RULES.contains(id))
        .chain(so_hook::guard::packs::PACKS.iter().map(|p| p.id))
        .collect();
    assert_eq!(disable, switchable);
    let ask: Vec<&str> = p["properties"]["ask"]["items"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(ask, switchable);
}

#[test]
fn first_run_papercuts() {
    let root = project("papercuts");
    // `validate -` tells a manifest from a policy by its keys (it needed --kind).
    for (text, says) in [
        (
            r#"{"wave": 1, "allowedPaths": ["/"]}"#,
            "the whole of the file system",
        ),
        (r#"{"disable": ["nope"]}"#, "not a built-in rule or pack id"),
    ] {
        let out = so_hook()
            .args(["validate", "-"])
            .current_dir(&root)
            .write_stdin(text)
            .output()
            .unwrap();
        let shown = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{shown}");
        assert!(shown.contains("<stdin>") && shown.contains(says), "{shown}");
    }
    // `gate --timeout 0` is refused (it was accepted and killed every check at once).
    let (code, _, err) = cmd(&root, &["gate", "--timeout", "0"]);
    assert_eq!(code, 2, "{err}");
    // `so-hook rules` lists the hook's own ids too.
    let (_, out, _) = cmd(&root, &["rules"]);
    for id in [
        "scope-not-allowed",
        "manifest-invalid",
        "input-invalid",
        "pack clusters",
    ] {
        assert!(out.contains(id), "{id}: {out}");
    }
    // `so-hook config` without CLAUDE.md or AGENTS.md says so plainly.
    let (_, out, _) = cmd(&root, &["config"]);
    assert!(out.contains("# no CLAUDE.md or AGENTS.md in "), "{out}");
    // The Claude Code step names the plugin as the README does.
    let (_, _, err) = cmd(&root, &["install", "--platform", "claude"]);
    assert!(err.contains("/plugin install so-hook@so-hook"), "{err}");
}
