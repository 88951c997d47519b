use super::*;
use crate::hook::call::Platform;
use std::path::PathBuf;

/// A project of its own in the temp directory, removed when dropped: `src/` and the state
/// directories exist; `manifest` (if any) is `.claude/wave-scope.json`.
struct Proj(PathBuf);

impl Proj {
    fn new(name: &str, manifest: Option<&str>) -> Proj {
        let dir =
            std::env::temp_dir().join(format!("so-hook-evaluate-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::create_dir_all(dir.join(".claude")).unwrap();
        if let Some(m) = manifest {
            std::fs::write(dir.join(".claude/wave-scope.json"), m).unwrap();
        }
        Proj(std::fs::canonicalize(dir).unwrap())
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn env(&self) -> Environment {
        Environment {
            process_cwd: Some(self.0.clone()),
            ..Environment::default()
        }
    }

    fn shell(&self, command: &str, agent: Option<&str>) -> Decision {
        let mut call = ToolCall::shell(Platform::Claude, &self.0, command);
        call.agent_id = agent.map(str::to_string);
        evaluate(&call, &self.env())
    }

    fn edit(&self, paths: &[&str], agent: Option<&str>) -> Decision {
        let call = ToolCall {
            platform: Platform::Claude,
            tool: Tool::Edit {
                tool: "Write".into(),
                paths: paths.iter().map(|p| p.to_string()).collect(),
            },
            agent_id: agent.map(str::to_string),
            root: self.0.clone(),
            cwd: self.0.clone(),
        };
        evaluate(&call, &self.env())
    }
}

impl Drop for Proj {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The rules of the findings, in order.
fn rules(d: &Decision) -> Vec<&str> {
    d.findings.iter().map(|f| f.rule.as_str()).collect()
}

const STRICT: &str =
    r#"{"wave":2,"role":"Impl","enforcement":"strict","allowedPaths":["src/","docs/api.md"]}"#;

#[test]
fn a_tool_that_is_not_guarded_is_allowed_without_a_project() {
    let call = ToolCall {
        platform: Platform::Claude,
        tool: Tool::Other {
            name: "Read".into(),
        },
        agent_id: Some("a1".into()),
        root: PathBuf::from("/nonexistent/so-hook/evaluate"),
        cwd: PathBuf::from("/nonexistent/so-hook/evaluate"),
    };
    let d = evaluate(&call, &Environment::default());
    assert!(d.findings.is_empty(), "{:?}", d.findings);
    assert_eq!(d.verdict(), Verdict::Allow);
}

#[test]
fn an_edit_inside_the_wave_scope_passes_and_one_outside_is_denied() {
    let p = Proj::new("scope", Some(STRICT));
    for inside in ["src/a.rs", "src/deep/b.rs", "./src/c.rs", "docs/api.md"] {
        let d = p.edit(&[inside], Some("a1"));
        assert!(d.findings.is_empty(), "{inside}: {:?}", d.findings);
    }
    let absolute = p.0.join("src/lib.rs");
    assert!(
        p.edit(&[absolute.to_str().unwrap()], Some("a1"))
            .findings
            .is_empty()
    );

    let d = p.edit(&["docs/guide.md"], Some("a1"));
    assert_eq!(rules(&d), ["scope-not-allowed"]);
    let f = &d.findings[0];
    assert_eq!(f.verdict, Verdict::Deny);
    assert_eq!(f.unit.as_deref(), Some("docs/guide.md"));
    assert!(f.reason.contains("wave 2 (Impl)"), "{}", f.reason);
    assert!(f.reason.contains("src/, docs/api.md"), "{}", f.reason);

    // A `..` that climbs out of src/ is judged where it lands.
    let d = p.edit(&["src/../Cargo.toml"], Some("a1"));
    assert_eq!(rules(&d), ["scope-not-allowed"]);
    assert_eq!(d.findings[0].unit.as_deref(), Some("Cargo.toml"));

    // Two paths: the one outside is reported, the one inside is not.
    let d = p.edit(&["src/a.rs", "README.md"], Some("a1"));
    assert_eq!(rules(&d), ["scope-not-allowed"]);
    assert_eq!(d.findings[0].unit.as_deref(), Some("README.md"));
}

#[test]
fn an_edit_outside_the_project_is_named_as_such() {
    let p = Proj::new("outside", Some(STRICT));
    let d = p.edit(&["/etc/hosts"], None);
    assert_eq!(rules(&d), ["scope-outside-project"]);
    assert_eq!(d.findings[0].verdict, Verdict::Deny);
    assert_eq!(d.findings[0].unit.as_deref(), Some("/etc/hosts"));
    assert!(d.findings[0].reason.contains("outside the project"));
    // Relative, climbing above the root.
    let d = p.edit(&["../elsewhere.txt"], None);
    assert_eq!(rules(&d), ["scope-outside-project"]);
}

#[test]
fn enforcement_sets_the_verdict_of_a_step_out_of_scope() {
    let warn = Proj::new(
        "warn",
        Some(r#"{"enforcement":"warn","allowedPaths":["src/"]}"#),
    );
    let d = warn.edit(&["docs/x.md"], Some("a1"));
    assert_eq!(rules(&d), ["scope-not-allowed"]);
    assert_eq!(d.verdict(), Verdict::Warn);
    assert!(d.findings[0].reason.contains("the current wave"));

    let off = Proj::new(
        "off",
        Some(r#"{"enforcement":"off","allowedPaths":["src/"]}"#),
    );
    assert!(off.edit(&["docs/x.md"], Some("a1")).findings.is_empty());

    // An enforcement it does not know is strict, with a warning that says so.
    let odd = Proj::new(
        "odd",
        Some(r#"{"enforcement":"lax","allowedPaths":["src/"]}"#),
    );
    let d = odd.edit(&["docs/x.md"], Some("a1"));
    assert_eq!(rules(&d), ["manifest-enforcement", "scope-not-allowed"]);
    assert_eq!(d.findings[0].verdict, Verdict::Warn);
    assert!(d.findings[0].reason.contains("`lax`"));
    assert_eq!(d.verdict(), Verdict::Deny);
}

#[test]
fn the_coordinator_keeps_its_state_file_and_subagents_keep_off_the_control_plane() {
    let p = Proj::new("control", Some(STRICT));
    // STATE.md is the coordinator's whatever the wave's scope; not a subagent's.
    assert!(p.edit(&[".claude/STATE.md"], None).findings.is_empty());
    assert_eq!(
        rules(&p.edit(&[".claude/STATE.md"], Some("a1"))),
        ["scope-not-allowed"]
    );
    // A subagent may not touch a manifest or the policy, whatever the scope says.
    for control in [".claude/wave-scope.json", ".so-hook/policy.json"] {
        let d = p.edit(&[control], Some("a1"));
        assert_eq!(rules(&d), ["control-plane"], "{control}");
        assert_eq!(d.findings[0].unit.as_deref(), Some(control));
    }
    // Even with no manifest at all.
    let bare = Proj::new("control-bare", None);
    assert_eq!(
        rules(&bare.edit(&[".codex/wave-scope.json"], Some("a1"))),
        ["control-plane"]
    );
    assert!(
        bare.edit(&[".codex/wave-scope.json"], None)
            .findings
            .is_empty()
    );
}

#[test]
fn an_edit_that_names_no_file_is_invalid() {
    let p = Proj::new("nofile", None);
    let d = p.edit(&[], None);
    assert_eq!(rules(&d), ["input-invalid"]);
    assert_eq!(d.verdict(), Verdict::Deny);
    assert!(
        d.findings[0]
            .reason
            .contains("The Write call names no file")
    );
}

#[test]
fn a_shell_command_is_judged_by_the_built_in_rules() {
    let p = Proj::new("shell", None);
    assert!(p.shell("ls -la && cargo test", None).findings.is_empty());
    let d = p.shell("git push --force origin main", None);
    assert_eq!(d.verdict(), Verdict::Deny);
    assert_eq!(d.primary().unwrap().rule, "git-push-force");
    let d = p.shell("rm -rf src", None);
    assert_eq!(d.primary().unwrap().rule, "rm-recursive-force");
    // A delete inside the project's node_modules is disposable.
    assert!(
        p.shell("rm -rf node_modules/left-pad", None)
            .findings
            .is_empty()
    );
}

#[test]
fn a_wave_blocks_its_own_commands_and_the_fallback_leaves_rm_to_the_rules() {
    let p = Proj::new(
        "blocked",
        Some(
            r#"{"enforcement":"strict","allowedPaths":["src/"],"blockedCommands":["npm publish"]}"#,
        ),
    );
    let d = p.shell("npm publish --tag next", Some("a1"));
    assert_eq!(d.primary().unwrap().rule, "wave-blocked-command");
    assert_eq!(d.verdict(), Verdict::Deny);
    assert!(d.primary().unwrap().reason.contains("`npm publish`"));
    assert!(p.shell("npm test", Some("a1")).findings.is_empty());

    let w = Proj::new(
        "blocked-warn",
        Some(r#"{"enforcement":"warn","blockedCommands":["npm publish"]}"#),
    );
    let d = w.shell("npm publish", Some("a1"));
    assert_eq!(rules(&d), ["wave-blocked-command"]);
    assert_eq!(d.verdict(), Verdict::Warn);

    // No list of its own: the fallback's `rm -rf` is left to the rm rule, which lets a temp
    // directory go; its `git reset --hard` is the git rule's too.
    let f = Proj::new(
        "fallback",
        Some(r#"{"enforcement":"strict","allowedPaths":["src/"]}"#),
    );
    let tmp = format!("rm -rf /tmp/so-hook-evaluate-x-{}", std::process::id());
    let d = f.shell(&tmp, Some("a1"));
    assert!(d.findings.is_empty(), "{:?}", d.findings);
    let d = f.shell("git reset --hard", Some("a1"));
    assert!(
        !rules(&d).contains(&"wave-blocked-command"),
        "{:?}",
        rules(&d)
    );
    assert_eq!(d.verdict(), Verdict::Deny);
}

#[test]
fn a_broken_manifest_refuses_every_guarded_call_but_the_coordinators_repair() {
    let p = Proj::new("broken", Some(r#"{"wave": 1, "allowedPaths": ["src/"]"#));
    for agent in [None, Some("a1")] {
        for d in [p.shell("ls", agent), p.edit(&["src/a.rs"], agent)] {
            assert_eq!(rules(&d), ["manifest-invalid"], "{agent:?}");
            assert_eq!(d.verdict(), Verdict::Deny);
        }
    }
    let main = p.shell("ls", None);
    let reason = &main.findings[0].reason;
    assert!(
        reason.starts_with("The wave manifest is malformed"),
        "{reason}"
    );
    assert!(
        reason.contains("rewrite `.claude/wave-scope.json`"),
        "{reason}"
    );
    assert!(reason.contains("so-hook scope clear"), "{reason}");
    let sub = p.shell("ls", Some("a1"));
    assert!(
        sub.findings[0]
            .reason
            .contains("Report this to the coordinating session"),
        "{}",
        sub.findings[0].reason
    );
    assert!(!sub.findings[0].reason.contains("so-hook scope"));

    // The coordinating session may replace or remove it; a subagent may not.
    assert!(
        p.edit(&[".claude/wave-scope.json"], None)
            .findings
            .is_empty()
    );
    assert!(p.shell("so-hook scope clear", None).findings.is_empty());
    assert!(
        p.shell("so-hook scope set --wave 2 --role R --allow src/", None)
            .findings
            .is_empty()
    );
    assert_eq!(
        rules(&p.edit(&[".claude/wave-scope.json"], Some("a1"))),
        ["manifest-invalid"]
    );
    assert_eq!(
        rules(&p.shell("so-hook scope clear", Some("a1"))),
        ["manifest-invalid"]
    );
    // Only the repair alone: an edit that also touches source, or more shell, is refused.
    assert_eq!(
        rules(&p.edit(&[".claude/wave-scope.json", "src/a.rs"], None)),
        ["manifest-invalid"]
    );
    assert_eq!(
        rules(&p.shell("so-hook scope clear && rm -rf src", None)),
        ["manifest-invalid"]
    );
}

#[test]
fn a_broken_policy_refuses_guarded_calls_and_names_its_file() {
    let p = Proj::new("policy", None);
    p.write(".so-hook/policy.json", "{ not json");
    let d = p.shell("ls", None);
    assert_eq!(rules(&d), ["policy-invalid"]);
    let reason = &d.findings[0].reason;
    assert!(
        reason.starts_with("The so-hook policy file is malformed"),
        "{reason}"
    );
    assert!(
        reason.contains("rewrite `.so-hook/policy.json`"),
        "{reason}"
    );
    assert!(p.edit(&[".so-hook/policy.json"], None).findings.is_empty());
    assert_eq!(
        rules(&p.edit(&[".so-hook/policy.json"], Some("a1"))),
        ["policy-invalid"]
    );
}

#[test]
fn broken_tells_each_caller_its_way_out() {
    let manifest = Broken {
        rule: "manifest-invalid",
        problem: "line 1, column 9: EOF".into(),
        file: ".codex/wave-scope.json".into(),
        manifest: true,
    };
    let main = manifest.for_caller(false);
    assert_eq!(main.rule, "manifest-invalid");
    assert_eq!(main.verdict, Verdict::Deny);
    assert!(main.reason.starts_with(
        "The wave manifest is malformed, so no call can be checked against it: line 1, \
         column 9: EOF. Repair it: rewrite `.codex/wave-scope.json` with the edit tool"
    ));
    assert_eq!(manifest.reason(), main.reason);
    let sub = manifest.for_caller(true);
    assert_eq!(
        sub.reason,
        "The wave manifest is malformed, so no call can be checked against it: line 1, \
         column 9: EOF. Report this to the coordinating session; a subagent cannot repair it."
    );

    let policy = Broken {
        rule: "policy-invalid",
        problem: "bad".into(),
        file: ".so-hook/policy.json".into(),
        manifest: false,
    };
    assert_eq!(
        policy.for_caller(false).reason,
        "The so-hook policy file is malformed, so commands cannot be checked against it: bad. \
         Repair it: rewrite `.so-hook/policy.json` with the edit tool (the only call allowed \
         until it is valid), or ask the user to fix it."
    );
    assert_eq!(policy.for_caller(true).rule, "policy-invalid");
}

#[test]
fn blocking_rule_names_the_rule_that_would_stop_a_command() {
    let p = Proj::new("blocking", None);
    let call = ToolCall::shell(Platform::Codex, &p.0, "true");
    assert_eq!(
        blocking_rule(&call, "git push -f origin main", &p.env()).as_deref(),
        Some("git-push-force")
    );
    assert_eq!(blocking_rule(&call, "cargo check", &p.env()), None);
}
