use super::*;

fn acts(lang: Lang, code: &str) -> Vec<Action> {
    actions(lang, code)
}

#[test]
fn finds_tree_deletes_and_shell_outs_outside_strings_and_comments() {
    assert_eq!(
        acts(Lang::Python, "import shutil; shutil.rmtree('/')"),
        vec![Action::RemoveTree("'/'".into())]
    );
    assert_eq!(
        acts(Lang::Python, "import os\nos.system(\"rm -rf ~\")"),
        vec![Action::Shell("rm -rf ~".into())]
    );
    assert_eq!(
        acts(
            Lang::Python,
            "import subprocess; subprocess.run(['rm', '-rf', 'src'])"
        ),
        vec![Action::Shell("'rm' '-rf' 'src'".into())]
    );
    assert_eq!(
        acts(Lang::Python, "import os; os.system(f'rm -rf {d}')"),
        vec![Action::Shell(format!("rm -rf {UNKNOWN}"))]
    );
    assert!(
        acts(
            Lang::Python,
            "print('shutil.rmtree(\"/\")')  # os.system('rm -rf /')"
        )
        .is_empty()
    );
    assert_eq!(
        acts(
            Lang::Js,
            "require('fs').rmSync('src', { recursive: true, force: true })"
        ),
        vec![Action::RemoveTree("'src'".into())]
    );
    // Without `recursive: true` it deletes one file (judged as `rm -f`).
    assert_eq!(
        acts(Lang::Js, "require('fs').rmSync('a.txt')"),
        vec![Action::Remove("'a.txt'".into())]
    );
    assert_eq!(
        acts(Lang::Python, "import os\nos.unlink(p)"),
        vec![Action::Remove(UNKNOWN.into())]
    );
    // A backslash before a line break continues the string (found by the property test).
    assert_eq!(
        acts(
            Lang::Js,
            "require('child_process').execSync(\"rm \\\n -rf ~\")"
        ),
        vec![Action::Shell("rm  -rf ~".into())]
    );
    assert_eq!(
        acts(
            Lang::Js,
            "require('child_process').execSync(`rm -rf ${dir}`)"
        ),
        vec![Action::Shell("rm -rf ${dir}".into())]
    );
    assert_eq!(
        acts(
            Lang::Js,
            "const cp = require('child_process'); cp.spawnSync('rm', ['-rf', '/'])"
        ),
        vec![Action::Shell("'rm' '-rf' '/'".into())]
    );
    assert_eq!(
        acts(Lang::Perl, "use File::Path; rmtree('/home')"),
        vec![Action::RemoveTree("'/home'".into())]
    );
    assert_eq!(
        acts(Lang::Perl, "system 'rm', '-rf', $dir; print `ls`"),
        vec![
            Action::Shell(format!("'rm' '-rf' {UNKNOWN}")),
            Action::Shell("ls".into())
        ]
    );
    assert_eq!(
        acts(Lang::Perl, "qx{git push -f origin main}"),
        vec![Action::Shell("git push -f origin main".into())]
    );
    assert_eq!(
        acts(
            Lang::Ruby,
            "require 'fileutils'; FileUtils.rm_rf(\"#{Dir.home}\")"
        ),
        vec![Action::RemoveTree(quote(UNKNOWN))]
    );
    assert_eq!(
        acts(Lang::Ruby, "%x(git reset --hard)"),
        vec![Action::Shell("git reset --hard".into())]
    );
    assert_eq!(
        acts(Lang::Php, "<?php shell_exec('rm -rf /'); // system('x')"),
        vec![Action::Shell("rm -rf /".into())]
    );
}

#[test]
fn names_bound_to_strings_and_temp_dirs_are_followed() {
    assert_eq!(
        acts(
            Lang::Python,
            "import shutil,tempfile; d = tempfile.mkdtemp(); shutil.rmtree(d)"
        ),
        vec![Action::RemoveTree(quote(TEMP))]
    );
    assert_eq!(
        acts(Lang::Python, "import shutil; p = 'build'; shutil.rmtree(p)"),
        vec![Action::RemoveTree("'build'".into())]
    );
    assert_eq!(
        acts(Lang::Python, "import shutil; shutil.rmtree(path)"),
        vec![Action::RemoveTree(UNKNOWN.into())]
    );
}

#[test]
fn reads_the_code_from_options_clusters_and_stdin() {
    let args = |v: &[&str]| v.iter().map(|s| Arg::known(*s)).collect::<Vec<_>>();
    let code =
        |verb: &str, a: &[&str], stdin: &Stdin| code_of(verb, &args(a), stdin).map(|(_, c)| c);
    let none = Stdin::Inherited;
    assert_eq!(code("python3", &["-c", "x"], &none).as_deref(), Some("x"));
    assert_eq!(
        code("python3.12", &["-Bc", "x"], &none).as_deref(),
        Some("x")
    );
    assert_eq!(code("python3", &["script.py", "-c", "x"], &none), None);
    assert_eq!(code("python3", &["-m", "pytest"], &none), None);
    let heredoc = Stdin::Text("import shutil\n".into());
    assert_eq!(
        code("python3", &["-"], &heredoc).as_deref(),
        Some("import shutil\n")
    );
    assert_eq!(
        code("python", &[], &heredoc).as_deref(),
        Some("import shutil\n")
    );
    assert_eq!(code("node", &["-e", "x"], &none).as_deref(), Some("x"));
    assert_eq!(code("node", &["--eval=x"], &none).as_deref(), Some("x"));
    assert_eq!(code("node", &["app.js"], &heredoc), None);
    assert_eq!(code("deno", &["eval", "x"], &none).as_deref(), Some("x"));
    assert_eq!(
        code("perl", &["-ne", "x", "f"], &none).as_deref(),
        Some("x")
    );
    assert_eq!(
        code("perl", &["-e", "a", "-e", "b"], &none).as_deref(),
        Some("a\nb")
    );
    assert_eq!(
        code("perl", &["-i.bak", "-pe", "s/a/b/", "f"], &none).as_deref(),
        Some("s/a/b/")
    );
    assert_eq!(
        code("ruby", &["-rjson", "-e", "x"], &none).as_deref(),
        Some("x")
    );
    assert_eq!(code("php", &["-r", "x"], &none).as_deref(), Some("x"));
    assert_eq!(code("perl", &["script.pl"], &heredoc), None);
    assert_eq!(code("cat", &["-e", "x"], &none), None);
    // A switch cluster with a character of several bytes (panicked: a slice inside it).
    assert_eq!(code("perl", &["-é", "x"], &none), None);
    assert_eq!(
        code("ruby", &["-aé"], &heredoc).as_deref(),
        Some("import shutil\n")
    );
}
