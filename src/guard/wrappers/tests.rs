use super::*;

/// What `verb ARGS` runs, each reading as a line: `words: ...`, `code: ...`, `script: CODE |
/// ARGS`, `cd: DIR`, `truncates: FILE`, `opaque: FROM` (an inexact word ends in `?`).
fn run(verb: &str, args: &[&str], stdin: &Stdin) -> Option<Vec<String>> {
    let args: Vec<Arg> = args.iter().map(|a| Arg::known(*a)).collect();
    let text = |a: &Arg| format!("{}{}", a.text, if a.exact { "" } else { "?" });
    let list = |v: &[Arg]| v.iter().map(text).collect::<Vec<_>>().join(" ");
    unwrap(verb, &args, stdin).map(|inner| {
        inner
            .iter()
            .map(|i| match i {
                Inner::Words(w) => format!("words: {}", list(w)),
                Inner::Code(c) => format!("code: {c}"),
                Inner::Script(c, a) => format!("script: {c} | {}", list(a)),
                Inner::Cd(d) => format!("cd: {}", text(d)),
                Inner::Truncates(f) => format!("truncates: {}", text(f)),
                Inner::Opaque(from) => format!("opaque: {from}"),
            })
            .collect()
    })
}

fn plain(verb: &str, args: &str) -> Option<Vec<String>> {
    run(
        verb,
        &args.split_whitespace().collect::<Vec<_>>(),
        &Stdin::Inherited,
    )
}

fn one(line: &str) -> Option<Vec<String>> {
    Some(vec![line.to_string()])
}

#[test]
fn sudo_skips_its_options_and_the_values_they_take() {
    assert_eq!(plain("sudo", "rm -rf x"), one("words: rm -rf x"));
    assert_eq!(
        plain("sudo", "-u deploy -g wheel -E rm -rf x"),
        one("words: rm -rf x")
    );
    assert_eq!(plain("sudo", "--user=deploy -- rm x"), one("words: rm x"));
    assert_eq!(plain("sudo", "--user deploy rm x"), one("words: rm x"));
    assert_eq!(plain("sudo", "-nu deploy rm x"), one("words: rm x"));
    assert_eq!(plain("sudo", "FOO=1 rm x"), one("words: rm x"));
    assert_eq!(
        plain("sudo", "-D /srv rm x"),
        Some(vec!["cd: /srv".into(), "words: rm x".into()])
    );
    // A login shell starts somewhere unknown and runs the rest as code.
    assert_eq!(
        plain("sudo", "-i rm x"),
        Some(vec![
            "cd: ~user?".into(),
            "code: rm x".into(),
            "words: rm x".into()
        ])
    );
    assert_eq!(
        run("sudo", &["-s"], &Stdin::Text("rm -rf /".into())),
        one("code: rm -rf /")
    );
    // An option it does not know is read both ways: as a flag, and as taking a value.
    assert_eq!(
        plain("sudo", "-Z foo rm x"),
        Some(vec!["words: foo rm x".into(), "words: rm x".into()])
    );
    assert_eq!(plain("sudo", "-l"), Some(vec![]));
}

#[test]
fn env_skips_assignments_and_splits_its_string() {
    assert_eq!(plain("env", "FOO=1 BAR=2 rm -rf x"), one("words: rm -rf x"));
    assert_eq!(plain("env", "-i PATH=/bin rm x"), one("words: rm x"));
    assert_eq!(plain("env", "- rm x"), one("words: rm x"));
    assert_eq!(
        plain("env", "-u HOME --unset=USER rm x"),
        one("words: rm x")
    );
    assert_eq!(
        plain("env", "-C /srv rm x"),
        Some(vec!["cd: /srv".into(), "words: rm x".into()])
    );
    // `-S STRING`: the string's words are env's arguments again, then the rest.
    assert_eq!(
        run("env", &["-S", "FOO=1 rm -rf", "x"], &Stdin::Inherited),
        one("words: env FOO=1 rm -rf x")
    );
    assert_eq!(
        run("env", &["-S", "rm '-rf' a\\_b #c"], &Stdin::Inherited),
        one("words: env rm -rf a b")
    );
    assert_eq!(plain("env", ""), Some(vec![]));
    assert_eq!(plain("env", "-i"), Some(vec![]));
}

#[test]
fn split_string_groups_quotes_and_reads_escapes() {
    assert_eq!(split_string("a  'b c' \"d e\""), ["a", "b c", "d e"]);
    assert_eq!(split_string("a\\_b"), ["a", "b"]);
    assert_eq!(split_string("'a\\_b'"), ["a\\_b"]);
    assert_eq!(split_string("\"a\\_b\""), ["a b"]);
    assert_eq!(split_string("a \\c b"), ["a"]);
    assert_eq!(split_string("#all comment"), Vec::<String>::new());
    assert_eq!(split_string("a#b"), ["a#b"]);
}

#[test]
fn timeout_nice_and_friends_run_the_command_after_their_options() {
    assert_eq!(plain("timeout", "5 rm -rf x"), one("words: rm -rf x"));
    assert_eq!(plain("timeout", "-s KILL 5s rm x"), one("words: rm x"));
    assert_eq!(
        plain("timeout", "--kill-after=2 --preserve-status 5 rm x"),
        one("words: rm x")
    );
    assert_eq!(plain("timeout", "5"), Some(vec![]));
    assert_eq!(plain("nice", "rm x"), one("words: rm x"));
    assert_eq!(plain("nice", "-n 10 rm x"), one("words: rm x"));
    assert_eq!(plain("nice", "-10 rm x"), one("words: rm x"));
    assert_eq!(plain("nice", "--adjustment=5 rm x"), one("words: rm x"));
    assert_eq!(plain("nohup", "rm x"), one("words: rm x"));
    assert_eq!(plain("command", "rm x"), one("words: rm x"));
    assert_eq!(plain("command", "-v rm"), Some(vec![]));
    assert_eq!(
        plain("time", "-o out.txt rm x"),
        Some(vec!["truncates: out.txt".into(), "words: rm x".into()])
    );
    assert_eq!(plain("time", "-a -o out.txt rm x"), one("words: rm x"));
    assert_eq!(plain("uv", "run -- pytest -x"), one("words: pytest -x"));
    assert_eq!(plain("npx", "-y rimraf@5 dist"), one("words: rimraf dist"));
    assert_eq!(plain("cmake", "-E rm_rf build"), one("words: rm -rf build"));
}

#[test]
fn xargs_appends_what_it_reads() {
    let text = |t: &str| Stdin::Text(t.into());
    assert_eq!(
        run("xargs", &["rm", "-rf"], &text("a b\nc\n")),
        one("words: rm -rf a b c")
    );
    // Input not known: a stand-in, and the reading with no input at all.
    assert_eq!(
        run("xargs", &["rm", "-rf"], &Stdin::Inherited),
        Some(vec![
            format!("words: rm -rf {XARGS_INPUT}?"),
            "words: rm -rf".into()
        ])
    );
    // `-r` runs nothing without input.
    assert_eq!(
        run("xargs", &["-r", "rm"], &Stdin::Unknown),
        one(&format!("words: rm {XARGS_INPUT}?"))
    );
    // Options that take values are skipped with them.
    assert_eq!(
        run("xargs", &["-n", "1", "-P", "4", "rm"], &text("a")),
        one("words: rm a")
    );
    assert_eq!(
        run("xargs", &["-0", "rm"], &text("a b\0c\0")),
        one("words: rm a b c")
    );
    // `-I R`: one command per line, R replaced inside the words.
    assert_eq!(
        run(
            "xargs",
            &["-I", "{}", "rm", "-rf", "{}/cache"],
            &text("a\nb\n")
        ),
        Some(vec![
            "words: rm -rf a/cache".into(),
            "words: rm -rf b/cache".into()
        ])
    );
    assert_eq!(
        run("xargs", &["-I%", "sh", "-c", "rm %"], &text("x y\n")),
        one("words: sh -c rm x y")
    );
    // From `find`: a glob of what it found.
    assert_eq!(
        run("xargs", &["rm"], &Stdin::Found("./**/*.pyc".into())),
        Some(vec!["words: rm ./**/*.pyc".into(), "words: rm".into()])
    );
    assert_eq!(run("xargs", &[], &text("a")), Some(vec![]));
}

#[test]
fn shells_run_their_code() {
    assert_eq!(
        run(
            "bash",
            &["-c", "rm -rf x", "name", "a1", "a2"],
            &Stdin::Inherited
        ),
        one("script: rm -rf x | a1 a2")
    );
    assert_eq!(
        run("sh", &["-ec", "rm x"], &Stdin::Inherited),
        one("script: rm x | ")
    );
    assert_eq!(
        run(
            "bash",
            &["-o", "pipefail", "--norc", "-c", "rm x"],
            &Stdin::Inherited
        ),
        one("script: rm x | ")
    );
    assert_eq!(run("bash", &["-c"], &Stdin::Inherited), Some(vec![]));
    // A script file is not read; a here-document or a pipe is.
    assert_eq!(
        run("bash", &["script.sh"], &Stdin::Text("rm x".into())),
        Some(vec![])
    );
    assert_eq!(
        run("bash", &[], &Stdin::Text("rm -rf x".into())),
        one("code: rm -rf x")
    );
    assert_eq!(
        run("zsh", &["-s", "--", "a"], &Stdin::Text("rm $1".into())),
        one("code: rm $1")
    );
    assert_eq!(
        run("bash", &["/dev/stdin"], &Stdin::Fetched("curl")),
        one("opaque: curl")
    );
    assert_eq!(plain("eval", "rm -rf x"), one("code: rm -rf x"));
    assert_eq!(plain("eval", "-- rm x"), one("code: rm x"));
    assert_eq!(
        run("su", &["-", "deploy", "-c", "rm x"], &Stdin::Inherited),
        Some(vec!["cd: ~user?".into(), "code: rm x".into()])
    );
}

#[test]
fn an_ordinary_command_is_no_wrapper() {
    for verb in ["rm", "ls", "git", "cargo", "python3", "Sudo", ""] {
        assert_eq!(plain(verb, "-rf x"), None, "{verb}");
    }
    // Runners and cmake only wrap in some forms.
    assert_eq!(plain("npm", "test"), None);
    assert_eq!(plain("cmake", "--build ."), None);
    assert_eq!(plain("direnv", "allow"), None);
}
