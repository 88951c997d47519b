//! Properties of the command guard over generated commands: transformations that keep what the
//! shell runs must not turn a deny into an allow, and quoting a destructive command as data must
//! not turn an allow into a deny. Deterministic (a fixed-seed generator), so a failure reproduces.

use so_hook::hook::call::{Platform, ToolCall};
use so_hook::hook::decision::Verdict;
use so_hook::hook::evaluate::evaluate;
use so_hook::project::Environment;
use std::path::{Path, PathBuf};

/// A project that is not under a temp root, with the files the commands name.
fn project() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("properties-project");
    for d in ["src", "docs", ".git/objects"] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
    }
    std::fs::write(dir.join("CLAUDE.md"), "# rules\n").unwrap();
    std::fs::write(dir.join("src/a.rs"), "fn main() {}\n").unwrap();
    std::fs::canonicalize(&dir).unwrap()
}

fn verdict(root: &Path, command: &str) -> Verdict {
    let call = ToolCall::shell(Platform::Claude, root, command);
    let env = Environment {
        home: Some(PathBuf::from("/home/tester")),
        ..Environment::default()
    };
    evaluate(&call, &env).verdict()
}

/// Destructive commands, as (text, is a git command).
const DESTRUCTIVE: &[(&str, bool)] = &[
    ("rm -rf src", false),
    ("rm -fr ~", false),
    ("git push --force origin main", true),
    ("git reset --hard HEAD~3", true),
    ("git clean -fdx", true),
    ("git branch -D main", true),
    ("git stash clear", true),
    ("git checkout -- .", true),
    ("psql -c 'DROP TABLE users'", false),
    ("dd if=/dev/zero of=/dev/sda bs=1M", false),
    ("chmod -R 777 /", false),
    ("truncate -s 0 CLAUDE.md", false),
    ("find . -delete", false),
    ("mkfs.ext4 /dev/sdb1", false),
    // Other sources of the same effects (the effect table: a new spelling is a new source).
    ("rm -r src", false),
    ("find src -type f -exec rm {} +", false),
    ("ls src | xargs rm -r", false),
    ("npx rimraf src", false),
    ("fd . src -X rm", false),
    ("mv src node_modules && rm -rf node_modules", false),
    ("python3 -c 'import shutil; shutil.rmtree(\"src\")'", false),
    (
        "node -e 'require(\"fs\").rmSync(\"src\", {recursive: true})'",
        false,
    ),
    ("shred -u CLAUDE.md", false),
    ("chmod -R 700 ~", false),
    ("docker volume rm data", false),
    ("prisma migrate reset --force", false),
];

const HARMLESS: &[&str] = &[
    "ls -la",
    "true",
    "git status",
    "echo done",
    "cargo --version",
];
const WRAPPERS: &[&str] = &[
    "sudo ",
    "env ",
    "env FOO=1 ",
    "timeout 5 ",
    "nice -n 5 ",
    "nohup ",
    "command ",
    "exec ",
    "time ",
    "stdbuf -oL ",
    "xargs -0 ",
];

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

/// `s` as one single-quoted shell word.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// One transformation that keeps the destructive command running.
fn transform(rng: &mut Rng, cmd: &str, git: bool) -> String {
    let harmless = rng.pick(HARMLESS);
    match rng.below(18) {
        0 => format!("{harmless}; {cmd}"),
        1 => format!("{harmless} && {cmd}"),
        2 => format!("false || {cmd}"),
        3 => format!("{cmd}; {harmless}"),
        4 => format!("( {cmd} )"),
        5 => format!("{{ {cmd}; }}"),
        // (a space after `$(`: `$((` would start arithmetic, which runs nothing)
        6 => format!("echo $( {cmd} )"),
        // A wrapper runs a program: only in front of a simple command.
        7 if cmd.starts_with(|c: char| c.is_ascii_alphanumeric()) => {
            format!("{}{cmd}", rng.pick(WRAPPERS))
        }
        7 => format!("{harmless} && {cmd}"),
        8 => format!("bash -c {}", quote(cmd)),
        9 => format!("sh -c {}", quote(cmd)),
        10 => format!("eval {}", quote(cmd)),
        // Re-quote the first word (once: quoting a quote changes the word).
        11 if !cmd.contains(['\t', '\n'])
            && cmd.split(' ').next().is_some_and(|w| {
                w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
            }) =>
        {
            let (verb, rest) = cmd.split_once(' ').unwrap_or((cmd, ""));
            let verb = match rng.below(3) {
                0 if verb.len() > 1 => format!("{}''{}", &verb[..1], &verb[1..]),
                1 => format!("\"{verb}\""),
                _ => format!("\\{verb}"),
            };
            format!("{verb} {rest}")
        }
        // Extra blanks and line continuations between words.
        // (only between words: inside quotes a blank is part of the text)
        11 | 12 => {
            let sep = [" ", "  ", "\t", " \\\n "][rng.below(4)];
            let mut out = String::new();
            let mut quote = None;
            let mut escaped = false;
            for c in cmd.chars() {
                if std::mem::take(&mut escaped) {
                    out.push(c);
                    continue;
                }
                match (quote, c) {
                    (None | Some('"'), '\\') => {
                        escaped = true;
                        out.push(c);
                    }
                    (None, ' ') => out.push_str(sep),
                    (None, '\'' | '"') => {
                        quote = Some(c);
                        out.push(c);
                    }
                    (Some(q), c) if c == q => {
                        quote = None;
                        out.push(c);
                    }
                    _ => out.push(c),
                }
            }
            out
        }
        // Code handed to an interpreter that runs the command, and the command as base64.
        14 => format!(
            "python3 -c {}",
            quote(&format!("import os; os.system({})", double_quoted(cmd)))
        ),
        15 => format!(
            "node -e {}",
            quote(&format!(
                "require('child_process').execSync({})",
                double_quoted(cmd)
            ))
        ),
        16 => format!(
            "perl -e {}",
            quote(&format!(
                "system('{}')",
                cmd.replace('\\', "\\\\").replace('\'', "\\'")
            ))
        ),
        17 => format!("echo {} | base64 -d | sh", base64(cmd)),
        // A comment with quotes after it; git's global options before a git command.
        _ if git => format!("git -C . -c color.ui=never {}", &cmd[4..]),
        _ => format!("{cmd} # it's \"fine\""),
    }
}

/// A double-quoted string literal as Python and JavaScript read it.
fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn base64(s: &str) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in s.as_bytes().chunks(3) {
        let n = chunk.iter().fold(0u32, |n, &b| (n << 8) | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn transformations_of_a_destructive_command_are_still_denied() {
    let root = project();
    // A longer search: SO_HOOK_PROP_SEED=<n> SO_HOOK_PROP_CASES=<n per command> cargo test ...
    let var = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let mut rng = Rng(var("SO_HOOK_PROP_SEED", 0x2545_f491_4f6c_dd1d).max(1));
    let per_command = var("SO_HOOK_PROP_CASES", 300);
    let mut checked = 0;
    for &(base, git) in DESTRUCTIVE {
        assert_eq!(
            verdict(&root, base),
            Verdict::Deny,
            "the base itself: {base}"
        );
        for _ in 0..per_command {
            // Up to three transformations, each applied to the result of the last (a git prefix
            // only while the command still starts with `git `).
            let mut cmd = base.to_string();
            for _ in 0..1 + rng.below(3) {
                let still_git = git && cmd.starts_with("git ");
                cmd = transform(&mut rng, &cmd, still_git);
            }
            let got = verdict(&root, &cmd);
            // Base64 text a wrapper may add to (`xargs echo X | base64 -d | sh`) is not known,
            // and code no one can read asks (pipe-to-shell): never an allow either way.
            let encoded = cmd.contains("| base64 -d |");
            assert!(
                got == Verdict::Deny || (encoded && got == Verdict::Ask),
                "from `{base}`, this was not denied ({got:?}):\n{cmd}"
            );
            checked += 1;
        }
    }
    assert!(checked >= DESTRUCTIVE.len() * per_command as usize);
}

#[test]
fn a_destructive_command_quoted_as_data_is_allowed() {
    let root = project();
    for &(base, _) in DESTRUCTIVE {
        for data in [
            format!("echo {}", quote(base)),
            format!("printf '%s\\n' {}", quote(base)),
            format!("grep -rn {} docs", quote(base)),
            format!(
                "git commit -m {}",
                quote(&format!("docs: never run {base}"))
            ),
            format!("cat > docs/notes.md <<'EOF'\n{base}\nEOF"),
            format!("{} # {base}", "ls"),
            format!(
                "python3 -c {}",
                quote(&format!("print({})", double_quoted(base)))
            ),
            format!(
                "node -e {}",
                quote(&format!("console.log({})", double_quoted(base)))
            ),
            format!("echo {} | base64 -d", base64(base)),
        ] {
            assert_eq!(
                verdict(&root, &data),
                Verdict::Allow,
                "data was judged as a command:\n{data}"
            );
        }
    }
}
