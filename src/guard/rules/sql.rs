//! SQL that destroys data, when it reaches a database client: `psql -c`, `mysql -e`, `sqlite3 db SQL`,
//! a here-document or pipe into the client; and the `dropdb` program. SQL that is only written to a
//! file or searched for is data.

use crate::guard::args::{Spec, scan};
use crate::guard::{Scope, Stdin, Unit, Walker};
use crate::hook::decision::{Finding, clamp};

/// Reads the SQL a client is given and judges it, with any shell escape in it (`\!` in psql,
/// `system` in mysql, `.shell`/`.system` in sqlite3).
pub fn client(w: &mut Walker, unit: &Unit, verb: &str, scope: &Scope) {
    let args = unit.args();
    let mut texts: Vec<String> = Vec::new();
    let mut from_file = false;
    match verb {
        "psql" => {
            let s = scan(
                args,
                &Spec::gnu(
                    "cdfhLoPpTUvFR",
                    &[
                        "command",
                        "dbname",
                        "file",
                        "host",
                        "log-file",
                        "output",
                        "port",
                        "pset",
                        "table-attr",
                        "username",
                        "set",
                        "variable",
                        "field-separator",
                        "record-separator",
                    ],
                ),
            );
            texts.extend(s.values('c', "command").map(str::to_string));
            // Variables (`-v q='DROP TABLE t'`) can be interpolated into what runs (`:q`).
            for (short, long) in [('v', "set"), ('v', "variable")] {
                texts.extend(
                    s.values(short, long)
                        .filter_map(|kv| kv.split_once('=').map(|(_, v)| v.to_string())),
                );
            }
            // `-f <(echo ...)`: the script is what the substitution writes.
            for pair in args.windows(2) {
                if matches!(pair[0].text.as_str(), "-f" | "--file")
                    && let Some(crate::guard::Stdin::Text(t)) = pair[1].feed.as_deref()
                {
                    texts.push(t.clone());
                }
            }
            // `-f -` reads the script from standard input.
            from_file = s
                .values('f', "file")
                .any(|f| !matches!(f, "-" | "/dev/stdin" | "/proc/self/fd/0" | "/dev/fd/0"));
        }
        "mysql" | "mariadb" => {
            let s = scan(
                args,
                &Spec::gnu(
                    "eDhPSuo",
                    &[
                        "execute",
                        "database",
                        "host",
                        "port",
                        "socket",
                        "user",
                        "init-command",
                    ],
                ),
            );
            texts.extend(s.values('e', "execute").map(str::to_string));
            texts.extend(s.values('\0', "init-command").map(str::to_string));
        }
        _ => {
            // sqlite3 / duckdb: single-dash long options; `DB [SQL...]` operands.
            let mut operands = Vec::new();
            let mut i = 0;
            while i < args.len() {
                let t = args[i].text.as_str();
                if t.starts_with('-') && t.len() > 1 {
                    let name = t.trim_start_matches('-');
                    if name == "cmd" {
                        if let Some(v) = args.get(i + 1) {
                            texts.push(v.text.to_string());
                        }
                        i += 1;
                    } else if matches!(
                        name,
                        "init"
                            | "separator"
                            | "newline"
                            | "nullvalue"
                            | "vfs"
                            | "maxsize"
                            | "mmap"
                            | "pagecache"
                            | "heap"
                            | "lookaside"
                            | "c"
                    ) {
                        if name == "c"
                            && let Some(v) = args.get(i + 1)
                        {
                            texts.push(v.text.to_string());
                        }
                        i += 1;
                    }
                } else {
                    operands.push(args[i].text.to_string());
                }
                i += 1;
            }
            texts.extend(operands.into_iter().skip(1));
        }
    }
    // A meta-command that includes standard input (`\i /dev/stdin`, `.read /dev/stdin`,
    // `source /dev/stdin`) makes the piped text SQL too.
    let reads_stdin = texts.iter().any(|t| {
        t.lines().any(|l| {
            let l = l.trim_start();
            let includes = ["\\i", "\\ir", "\\include", ".read", "source", "\\."]
                .iter()
                .any(|m| l.starts_with(m));
            includes && (l.contains("/dev/stdin") || l.contains("/dev/fd/0") || l.ends_with(" -"))
        })
    });
    if (texts.is_empty() && !from_file || reads_stdin)
        && let Stdin::Text(t) = unit.stdin
    {
        texts.push(t.clone());
    }
    for t in texts {
        for code in shell_escapes(&t) {
            w.run_code(&code, &mut scope.clone(), unit.display);
        }
        statements(w, &t, unit.display);
    }
}

/// Shell commands run from inside a client: `\! CMD` (psql, mysql), `system CMD` (mysql),
/// `.shell CMD` / `.system CMD` (sqlite3), each at the start of a line or statement.
fn shell_escapes(sql: &str) -> Vec<String> {
    sql.split(['\n', ';'])
        .filter_map(|line| {
            let l = line.trim_start();
            ["\\!", ".shell ", ".system ", "system "]
                .iter()
                .find_map(|p| {
                    l.get(..p.len())
                        .filter(|h| h.eq_ignore_ascii_case(p))
                        .map(|_| l[p.len()..].to_string())
                })
        })
        .collect()
}

/// Judges SQL text that reaches a client.
pub fn statements(w: &mut Walker, sql: &str, display: &str) {
    if let Some(what) = destructive(sql) {
        w.report(
            Finding::deny(
                "sql-drop",
                format!(
                    "`{}` sends `{what}` to a database, which destroys data that cannot be \
                     recovered from the project. Write a migration for review, or ask the user to \
                     run it.",
                    clamp(display, 200)
                ),
            )
            .with_unit(clamp(display, 200)),
        );
    }
    // The user's patterns apply to each statement's words too (`DROP TABLE` in blockedCommands).
    if !w.ctx().patterns.is_empty() {
        let cleaned = strip(sql);
        for stmt in cleaned.split(';') {
            let words: Vec<&str> = stmt.split_whitespace().collect();
            if words.is_empty() {
                continue;
            }
            let args: Vec<crate::guard::Arg> =
                words.iter().map(|s| crate::guard::Arg::known(*s)).collect();
            let unit = Unit {
                words: &args,
                stdin: &Stdin::Inherited,
                display,
            };
            super::patterns(w, &unit);
        }
    }
}

/// `dropdb NAME`, `mysqladmin drop NAME`.
pub fn drop_program(w: &mut Walker, unit: &Unit, verb: &str) {
    let drops = verb == "dropdb"
        || unit
            .args()
            .iter()
            .any(|a| a.text.eq_ignore_ascii_case("drop"));
    if drops {
        w.report(
            Finding::deny(
                "dropdb",
                format!(
                    "`{}` deletes a whole database. Ask the user to run it if it is really intended.",
                    clamp(unit.display, 200)
                ),
            )
            .with_unit(clamp(unit.display, 200)),
        );
    }
}

/// Removes comments and string literals, so `SELECT 'DROP TABLE x'` is not a drop.
fn strip(sql: &str) -> String {
    let b = sql.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 2;
                out.push(b' ');
            }
            b'\'' => {
                i += 1;
                while i < b.len() {
                    if b[i] == b'\'' {
                        if b.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
                out.extend_from_slice(b"''");
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The destructive statement in `sql`, if any: `DROP TABLE|DATABASE|SCHEMA` or `TRUNCATE`.
pub fn destructive(sql: &str) -> Option<String> {
    // `\gexec` runs the query's results as statements: then string literals are code too.
    // String literals are data, except where they are run: `\gexec`, `DO` blocks, `EXECUTE`,
    // and PostgreSQL's `E'...'` escapes (whose quoting this reading does not follow).
    let lower = sql.to_ascii_lowercase();
    let runs_strings = lower.contains("\\gexec")
        || lower.contains("execute")
        || lower.split_whitespace().any(|w| w == "do")
        || lower.contains("e'");
    let cleaned = if runs_strings {
        sql.to_string()
    } else {
        strip(sql)
    };
    let words: Vec<(usize, &str)> = cleaned
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '('))
        .filter(|w| !w.is_empty())
        .enumerate()
        .collect();
    for (i, word) in &words {
        if word.eq_ignore_ascii_case("drop")
            && let Some((_, next)) = words.get(i + 1)
        {
            for kind in ["table", "database", "schema"] {
                if next.eq_ignore_ascii_case(kind) {
                    return Some(format!("DROP {}", kind.to_ascii_uppercase()));
                }
            }
        }
        // `TRUNCATE(x, 0)` is MySQL's number function, not the statement.
        if word.eq_ignore_ascii_case("truncate") {
            return Some("TRUNCATE".to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::destructive;

    #[test]
    fn finds_drops_in_any_case_and_spacing() {
        assert_eq!(
            destructive("drop   table users;").as_deref(),
            Some("DROP TABLE")
        );
        assert_eq!(
            destructive("Drop\nDatabase app").as_deref(),
            Some("DROP DATABASE")
        );
        assert_eq!(destructive("TRUNCATE logs").as_deref(), Some("TRUNCATE"));
        assert_eq!(destructive("truncate table t").as_deref(), Some("TRUNCATE"));
    }

    #[test]
    fn ignores_literals_comments_functions_and_lookalikes() {
        assert_eq!(destructive("SELECT 'DROP TABLE x'"), None);
        assert_eq!(destructive("select 1 -- drop table x"), None);
        assert_eq!(destructive("select truncate(1.5, 0)"), None);
        assert_eq!(destructive("select * from truncated_logs"), None);
        assert_eq!(destructive("drop index i"), None);
    }
}
