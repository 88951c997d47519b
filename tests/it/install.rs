//! The installers (`scripts/codex-install.sh`, `scripts/cursor-install.sh`, i.e. `so-hook install`)
//! against a temporary HOME and project: files created and verified, a second run changes nothing,
//! uninstall restores, a registration that cannot deny is rolled back.

use crate::common::*;
use serde_json::{Value, json};
use std::path::Path;
use std::process::Output;

fn script(name: &str, home: &Path, args: &[&str], extra_env: &[(&str, String)]) -> Output {
    let mut c = std::process::Command::new("sh");
    c.arg(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scripts")
            .join(name),
    )
    .args(args)
    .env("HOME", home)
    .env("SO_HOOK", assert_cmd::cargo::cargo_bin("so-hook"));
    for (k, v) in extra_env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn read_json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn cursor_install_merges_verifies_is_idempotent_and_uninstalls_back() {
    let root = project("install-cursor");
    let home = root.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let original = json!({"version": 1, "hooks": {"beforeShellExecution": [
        {"command": "./audit.sh", "timeout": 5}]}, "note": "mine"});
    write(&root, ".cursor/hooks.json", &original.to_string());
    let file = root.join(".cursor/hooks.json");
    let project_arg = root.to_str().unwrap();

    // A dry run shows the file and writes nothing.
    let o = script(
        "cursor-install.sh",
        &home,
        &["--project", project_arg, "--dry-run"],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("would write"), "{}", text(&o));
    assert_eq!(read_json(&file), original);

    let o = script("cursor-install.sh", &home, &["--project", project_arg], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("denies `rm -rf /`"), "{}", text(&o));
    let installed = read_json(&file);
    let before = installed["hooks"]["beforeShellExecution"]
        .as_array()
        .unwrap();
    assert_eq!(before.len(), 2, "{installed}");
    assert_eq!(before[0], original["hooks"]["beforeShellExecution"][0]);
    assert_eq!(before[1]["failClosed"], true);
    assert!(
        before[1]["command"]
            .as_str()
            .unwrap()
            .ends_with("so-hook hook --platform cursor")
    );
    assert_eq!(installed["note"], "mine");
    assert_eq!(
        installed["hooks"]["preToolUse"].as_array().unwrap().len(),
        1
    );

    // The second run changes nothing, and says so.
    let o = script("cursor-install.sh", &home, &["--project", project_arg], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("already installed"), "{}", text(&o));
    assert_eq!(read_json(&file), installed);

    // doctor agrees with what was installed.
    let d = so_hook()
        .env("HOME", &home)
        .args(["doctor", "--platform", "cursor", "--cwd", project_arg])
        .output()
        .unwrap();
    let d = String::from_utf8_lossy(&d.stdout).into_owned();
    assert!(
        d.lines()
            .filter(|l| l.contains("Cursor hook"))
            .all(|l| l.starts_with("ok")),
        "{d}"
    );

    let o = script(
        "cursor-install.sh",
        &home,
        &["--project", project_arg, "--uninstall"],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(read_json(&file), original);
}

#[test]
fn codex_user_install_creates_the_file_and_uninstall_removes_it() {
    let root = project("install-codex");
    let home = root.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let file = home.join(".codex/hooks.json");
    let o = script("codex-install.sh", &home, &["--user"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("/hooks"), "the trust step is named: {out}");
    let v = read_json(&file);
    let group = &v["hooks"]["PreToolUse"][0];
    assert_eq!(group["matcher"], "Bash|apply_patch");
    assert!(
        group["hooks"][0]["command"]
            .as_str()
            .unwrap()
            .ends_with("so-hook hook --platform codex")
    );
    // Only the handlers are merged; the plugin file's description stays with the plugin.
    assert!(v.get("description").is_none(), "{v}");
    let o = script("codex-install.sh", &home, &["--user", "--uninstall"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!file.exists());
    // No empty directory is left behind (`.codex/agents/` was).
    assert!(!home.join(".codex").exists(), "an empty .codex was left");
    // Uninstalling again is a no-op, not an error.
    let o = script("codex-install.sh", &home, &["--user", "--uninstall"], &[]);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn a_registration_that_cannot_run_is_rolled_back() {
    let root = project("install-broken");
    let home = root.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let original = json!({"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [
        {"type": "command", "command": "./lint.sh"}]}]}});
    write(&root, ".codex/hooks.json", &original.to_string());
    // `--use-path` registers plain `so-hook`, which is not on this PATH.
    let o = script(
        "codex-install.sh",
        &home,
        &["--project", root.to_str().unwrap(), "--use-path"],
        &[("PATH", "/usr/bin:/bin".into())],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("rolled back"), "{}", text(&o));
    assert_eq!(read_json(&root.join(".codex/hooks.json")), original);
    // With the binary's own path it works, and says the untrusted project will not load it yet.
    let o = script(
        "codex-install.sh",
        &home,
        &["--project", root.to_str().unwrap()],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("not yet active"), "{}", text(&o));
    let o = script(
        "codex-install.sh",
        &home,
        &["--project", root.to_str().unwrap(), "--uninstall"],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(read_json(&root.join(".codex/hooks.json")), original);
}

#[test]
fn a_broken_binary_or_hook_file_stops_the_installer() {
    let root = project("install-refuse");
    let home = root.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let o = script(
        "cursor-install.sh",
        &home,
        &["--user"],
        &[("SO_HOOK", "/nonexistent/so-hook".into())],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("does not run"), "{}", text(&o));
    write(&root, ".cursor/hooks.json", "{not json");
    let o = script(
        "cursor-install.sh",
        &home,
        &["--project", root.to_str().unwrap()],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("not valid JSON"), "{}", text(&o));
    assert_eq!(
        std::fs::read_to_string(root.join(".cursor/hooks.json")).unwrap(),
        "{not json"
    );
}

#[test]
fn the_installers_copy_the_pack_files_and_keep_the_users_own() {
    let root = project("install-pack");
    let home = root.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules: Vec<String> = std::fs::read_dir(repo.join("cursor-rules"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".mdc"))
        .collect();
    assert!(!rules.is_empty());
    // A rule of the user's with one of our names is kept.
    write(
        &root,
        &format!(".cursor/rules/so-hook-{}", rules[0]),
        "mine\n",
    );
    let p = root.to_str().unwrap();
    let o = script("cursor-install.sh", &home, &["--project", p], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("kept"), "{}", text(&o));
    for r in &rules[1..] {
        let copied = std::fs::read(root.join(format!(".cursor/rules/so-hook-{r}"))).unwrap();
        assert_eq!(
            copied,
            std::fs::read(repo.join("cursor-rules").join(r)).unwrap()
        );
    }
    let o = script(
        "cursor-install.sh",
        &home,
        &["--project", p, "--uninstall"],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    let left: Vec<_> = std::fs::read_dir(root.join(".cursor/rules"))
        .unwrap()
        .collect();
    assert_eq!(left.len(), 1, "only the user's own file stays");

    let o = script("codex-install.sh", &home, &["--user"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        home.join(".codex/agents/wave-worker.toml").is_file(),
        "{}",
        text(&o)
    );
    // The roles run as Codex sub-agents: the multi-agent feature is turned on where no config was.
    let config = std::fs::read_to_string(home.join(".codex/config.toml")).unwrap_or_default();
    assert!(
        config.contains("[features]\nmulti_agent = true"),
        "{config}"
    );
    let o = script("codex-install.sh", &home, &["--user", "--uninstall"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!home.join(".codex/agents/wave-worker.toml").exists());
    assert!(!home.join(".codex/config.toml").exists());
    // A config of the user's own is never changed; the missing feature is pointed out.
    write(&home, ".codex/config.toml", "model = \"m\"\n");
    let o = script("codex-install.sh", &home, &["--user"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        std::fs::read_to_string(home.join(".codex/config.toml")).unwrap(),
        "model = \"m\"\n"
    );
    assert!(text(&o).contains("multi_agent = true"), "{}", text(&o));
}

#[test]
fn install_keeps_the_order_of_the_users_keys() {
    // The file was rewritten with its keys sorted (serde_json without preserve_order).
    let root = project("install-order");
    let home = root.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let original = "{\n  \"zeta\": 1,\n  \"version\": 1,\n  \"hooks\": {\n    \"stop\": [],\n    \"beforeShellExecution\": []\n  },\n  \"alpha\": \"mine\"\n}\n";
    write(&root, ".cursor/hooks.json", original);
    let project_arg = root.to_str().unwrap();
    let o = script("cursor-install.sh", &home, &["--project", project_arg], &[]);
    assert!(o.status.success(), "{}", text(&o));
    let after = std::fs::read_to_string(root.join(".cursor/hooks.json")).unwrap();
    let at = |k: &str| after.find(&format!("\"{k}\"")).unwrap();
    assert!(
        at("zeta") < at("version") && at("version") < at("hooks") && at("hooks") < at("alpha"),
        "{after}"
    );
    assert!(at("stop") < at("beforeShellExecution"), "{after}");
}

#[test]
fn install_refuses_a_project_that_is_not_there() {
    // `so-hook install --project /typo` created the directory and said "installed".
    let root = project("install-typo");
    let missing = root.join("typo");
    let out = crate::common::so_hook()
        .args(["install", "--platform", "cursor", "--project"])
        .arg(&missing)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("is not a directory"), "{err}");
    assert!(!missing.exists());
}

#[test]
fn the_installers_need_the_place_named() {
    // Run from the checkout without --project, they installed the pack into the checkout itself.
    let root = project("install-place");
    let home = root.join("home");
    std::fs::create_dir_all(&home).unwrap();
    for script_name in ["cursor-install.sh", "codex-install.sh"] {
        let o = script(script_name, &home, &[], &[]);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(text(&o).contains("--project DIR"), "{}", text(&o));
    }
}

#[test]
fn the_installers_refuse_the_checkout_itself_unless_asked() {
    // `--project .` from the checkout (or any spelling of its path) wrote the hook file and the
    // pack into so-hook's own repository.
    let root = project("install-checkout");
    let home = root.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spelled = repo.join("scripts").join("..");
    let before: Vec<bool> = [".cursor", ".codex"]
        .iter()
        .map(|d| repo.join(d).exists())
        .collect();
    for script_name in ["cursor-install.sh", "codex-install.sh"] {
        for target in [repo, spelled.as_path()] {
            let o = script(
                script_name,
                &home,
                &["--project", target.to_str().unwrap()],
                &[],
            );
            assert_eq!(o.status.code(), Some(2), "{}", text(&o));
            assert!(text(&o).contains("--into-checkout"), "{}", text(&o));
        }
        // Asked explicitly, it goes ahead (a dry run here, so the checkout stays as it is).
        let o = script(
            script_name,
            &home,
            &[
                "--project",
                repo.to_str().unwrap(),
                "--into-checkout",
                "--dry-run",
            ],
            &[],
        );
        assert!(o.status.success(), "{}", text(&o));
        assert!(text(&o).contains("dry run"), "{}", text(&o));
    }
    let after: Vec<bool> = [".cursor", ".codex"]
        .iter()
        .map(|d| repo.join(d).exists())
        .collect();
    assert_eq!(before, after, "the checkout was written to");
}

#[test]
fn the_installers_refuse_a_project_that_is_not_there() {
    // The pack files would have been copied into a new directory named by a typo.
    let root = project("install-script-typo");
    let home = root.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let missing = root.join("typo");
    for script_name in ["cursor-install.sh", "codex-install.sh"] {
        let o = script(
            script_name,
            &home,
            &["--project", missing.to_str().unwrap()],
            &[],
        );
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        assert!(text(&o).contains("is not a directory"), "{}", text(&o));
        assert!(
            !missing.exists(),
            "{script_name} created {}",
            missing.display()
        );
    }
}

#[test]
fn gemini_copilot_and_opencode_install_verify_and_uninstall_back() {
    let root = project("install-clients");
    let home = root.join("home");
    std::fs::create_dir_all(&home).unwrap();
    // The user's own Gemini settings stay as they were.
    write(
        &root,
        ".gemini/settings.json",
        r#"{"theme": "dark", "hooks": {"BeforeTool": [{"matcher": "x", "hooks": [{"type": "command", "command": "audit"}]}]}}"#,
    );
    let bin = assert_cmd::cargo::cargo_bin("so-hook");
    let run = |args: &[&str]| {
        so_hook()
            .env("HOME", &home)
            .env(
                "PATH",
                format!("{}:/usr/bin:/bin", bin.parent().unwrap().display()),
            )
            .args(args)
            .output()
            .unwrap()
    };
    for (platform, file) in [
        ("gemini", ".gemini/settings.json"),
        ("copilot", ".github/hooks/so-hook.json"),
        ("opencode", ".opencode/plugins/so-hook.js"),
    ] {
        let r = root.to_str().unwrap();
        let out = run(&["install", "--platform", platform, "--project", r]);
        assert!(out.status.success(), "{platform}: {}", text(&out));
        assert!(text(&out).contains("denies `rm -rf /`"), "{}", text(&out));
        let written = std::fs::read_to_string(root.join(file)).unwrap();
        assert!(written.contains(bin.to_str().unwrap()), "{written}");
        // Again: nothing changes.
        let again = run(&["install", "--platform", platform, "--project", r]);
        assert!(
            text(&again).contains("already installed"),
            "{}",
            text(&again)
        );
        assert_eq!(std::fs::read_to_string(root.join(file)).unwrap(), written);
        let doctor = run(&["doctor", "--platform", platform, "--cwd", r]);
        assert!(doctor.status.success(), "{platform}: {}", text(&doctor));
        let gone = run(&[
            "install",
            "--platform",
            platform,
            "--project",
            r,
            "--uninstall",
        ]);
        assert!(gone.status.success(), "{}", text(&gone));
        let doctor = run(&["doctor", "--platform", platform, "--cwd", r]);
        assert_eq!(
            doctor.status.code(),
            Some(1),
            "{platform}: {}",
            text(&doctor)
        );
    }
    let settings = read_json(&root.join(".gemini/settings.json"));
    assert_eq!(
        settings,
        json!({"theme": "dark", "hooks": {"BeforeTool": [{"matcher": "x", "hooks": [{"type": "command", "command": "audit"}]}]}})
    );
    assert!(!root.join(".github/hooks/so-hook.json").exists());
    assert!(!root.join(".opencode/plugins/so-hook.js").exists());
    // A plugin file of the user's own is not overwritten.
    write(
        &root,
        ".opencode/plugins/so-hook.js",
        "export const Mine = async () => ({});\n",
    );
    let out = run(&[
        "install",
        "--platform",
        "opencode",
        "--project",
        root.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("not so-hook's plugin"),
        "{}",
        text(&out)
    );
}
