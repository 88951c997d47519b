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
    // What the client runs instead of reading its standard input (`-c`, `-e`, SQL operands,
    // files), and what it runs besides (variables, `--init-command`, `-cmd`).
    let mut texts: Vec<String> = Vec::new();
    let mut extra: Vec<String> = Vec::new();
    let mut from_file = false;
    // sqlite3/duckdb on an in-memory database (`:memory:`, or no database named): nothing it
    // drops outlives the command, unless the script opens or attaches a file.
    let mut in_memory = false;
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
                extra.extend(
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
            // `-f -` reads the script from standard input; a file is read where psql reads it
            // (as written earlier on the line, or in the project).
            for f in s.values('f', "file") {
                if matches!(f, "-" | "/dev/stdin" | "/proc/self/fd/0" | "/dev/fd/0") {
                    continue;
                }
                from_file = true;
                if let Some(t) = w.file_text(f, scope) {
                    texts.push(t);
                }
            }
        }
        "clickhouse-client" | "clickhouse" => {
            let a = if verb == "clickhouse" && args.first().is_some_and(|a| a.text == "client") {
                &args[1..]
            } else {
                args
            };
            let s = scan(
                a,
                &Spec::gnu(
                    "qhdu",
                    &[
                        "query",
                        "host",
                        "database",
                        "user",
                        "password",
                        "port",
                        "queries-file",
                    ],
                ),
            );
            texts.extend(s.values('q', "query").map(str::to_string));
            for f in s.values('\0', "queries-file") {
                from_file = true;
                if let Some(t) = w.file_text(f, scope) {
                    texts.push(t);
                }
            }
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
            extra.extend(s.values('\0', "init-command").map(str::to_string));
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
                            extra.push(v.text.to_string());
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
            in_memory = operands.first().is_none_or(|d| d == ":memory:");
            texts.extend(operands.into_iter().skip(1));
        }
    }
    // A meta-command that includes standard input (`\i /dev/stdin`, `.read /dev/stdin`,
    // `source /dev/stdin`) makes the piped text SQL too.
    let reads_stdin = texts.iter().chain(&extra).any(|t| {
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
    texts.extend(extra);
    let scratch = in_memory
        && !texts.iter().any(|t| {
            let t = t.to_ascii_lowercase();
            t.contains("attach") || t.contains(".open")
        });
    for t in texts {
        for code in shell_escapes(&t) {
            w.run_code(&code, &mut scope.clone(), unit.display);
        }
        if !scratch {
            statements(w, &t, unit.display);
        }
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
    if let Some((what, denied)) = destructive_verdict(sql) {
        let (rule, verdict) = if denied {
            ("sql-drop", crate::hook::decision::Verdict::Deny)
        } else {
            ("sql-delete-all", crate::hook::decision::Verdict::Ask)
        };
        w.report(
            Finding::new(
                verdict,
                rule,
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
        let toks = lex(sql);
        for stmt in toks.split(|t| *t == Tok::Punct(';')) {
            let args: Vec<crate::guard::Arg> = stmt
                .iter()
                .filter_map(|t| match t {
                    Tok::Word(w) => Some(crate::guard::Arg::known(w.as_str())),
                    _ => None,
                })
                .collect();
            if args.is_empty() {
                continue;
            }
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

/// One token of SQL text, as the lexer reads it.
#[derive(Debug, PartialEq)]
enum Tok {
    /// A keyword or a name (a quoted identifier too), lower-cased.
    Word(String),
    /// A string literal's content: standard `'...'`, PostgreSQL's `E'...'` and `$tag$...$tag$`.
    Str(String),
    /// `;`, `(`, and any other punctuation.
    Punct(char),
}

/// SQL as tokens: comments (`--`, nested `/* */`) dropped; strings in their three quotings;
/// quoted identifiers (`"..."`, `` `...` ``) as names.
fn lex(sql: &str) -> Vec<Tok> {
    let c: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        match ch {
            '-' if c.get(i + 1) == Some(&'-') => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '#' => {
                // MySQL's comment to the end of the line.
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if c.get(i + 1) == Some(&'*') => {
                let mut depth = 0;
                while i < c.len() {
                    if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            '\'' => {
                // `E'...'` (a word `e` right before) takes backslash escapes.
                let escapes = matches!(out.last(), Some(Tok::Word(w)) if w == "e")
                    && i > 0
                    && matches!(c[i - 1], 'e' | 'E');
                if escapes {
                    out.pop();
                }
                let mut text = String::new();
                i += 1;
                while i < c.len() {
                    if escapes && c[i] == '\\' {
                        text.extend(c.get(i + 1));
                        i += 2;
                        continue;
                    }
                    if c[i] == '\'' {
                        if c.get(i + 1) == Some(&'\'') {
                            text.push('\'');
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    text.push(c[i]);
                    i += 1;
                }
                i += 1;
                out.push(Tok::Str(text));
            }
            '$' if !c.get(i + 1).is_some_and(char::is_ascii_digit) => {
                // `$tag$ ... $tag$` (tag possibly empty).
                let tag_end = c[i + 1..]
                    .iter()
                    .position(|&x| !(x.is_alphanumeric() || x == '_'))
                    .map(|p| i + 1 + p);
                match tag_end {
                    Some(e) if c[e] == '$' => {
                        let tag: String = c[i..=e].iter().collect();
                        let body_start = e + 1;
                        let rest: String = c[body_start..].iter().collect();
                        let (body, after) = match rest.find(&tag) {
                            Some(k) => (
                                rest[..k].to_string(),
                                body_start + rest[..k].chars().count() + tag.chars().count(),
                            ),
                            None => (rest.clone(), c.len()),
                        };
                        out.push(Tok::Str(body));
                        i = after;
                    }
                    _ => {
                        out.push(Tok::Punct('$'));
                        i += 1;
                    }
                }
            }
            '"' | '`' => {
                let close = c[i + 1..]
                    .iter()
                    .position(|&x| x == ch)
                    .map_or(c.len(), |p| i + 1 + p);
                out.push(Tok::Word(
                    c[i + 1..close].iter().collect::<String>().to_lowercase(),
                ));
                i = close + 1;
            }
            ch if ch.is_alphanumeric() || ch == '_' => {
                let start = i;
                while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                    i += 1;
                }
                out.push(Tok::Word(
                    c[start..i].iter().collect::<String>().to_lowercase(),
                ));
            }
            ch if ch.is_whitespace() => i += 1,
            ch => {
                out.push(Tok::Punct(ch));
                i += 1;
            }
        }
    }
    out
}

/// The destructive statement in `sql`, if any: `DROP TABLE|DATABASE|SCHEMA|OWNED|COLUMN` or
/// `TRUNCATE` (denied), `DELETE`/`UPDATE` without `WHERE` (asked).
pub fn destructive(sql: &str) -> Option<String> {
    destructive_at(sql, 0).map(|(what, _)| what)
}

/// [`destructive`] with how it is answered: `true` for a deny, `false` for an ask.
pub fn destructive_verdict(sql: &str) -> Option<(String, bool)> {
    destructive_at(sql, 0)
}

fn destructive_at(sql: &str, depth: usize) -> Option<(String, bool)> {
    if depth > 4 {
        return None;
    }
    let toks = lex(sql);
    // `\gexec` (outside strings) runs the query's results as statements: strings are code.
    let gexec = toks
        .windows(2)
        .any(|w| w[0] == Tok::Punct('\\') && w[1] == Tok::Word("gexec".into()));
    let mut asked = None;
    for stmt in toks.split(|t| *t == Tok::Punct(';')) {
        // Strings are data, except where they run: after `DO`, `EXECUTE` (and `EXECUTE
        // IMMEDIATE`, `EXECUTE format(...)`), `PREPARE ... FROM`, or everywhere under `\gexec`.
        let mut running = gexec;
        for (i, t) in stmt.iter().enumerate() {
            match t {
                Tok::Word(w) if matches!(w.as_str(), "do" | "execute" | "immediate") => {
                    running = true
                }
                Tok::Word(w)
                    if w == "from"
                        && stmt[..i].iter().any(|t| *t == Tok::Word("prepare".into())) =>
                {
                    running = true
                }
                Tok::Str(s) if running => {
                    if let Some(hit) = destructive_at(s, depth + 1) {
                        if hit.1 {
                            return Some(hit);
                        }
                        asked.get_or_insert(hit);
                    }
                }
                Tok::Word(w) if w == "drop" => {
                    if let Some(Tok::Word(k)) = stmt.get(i + 1)
                        && matches!(
                            k.as_str(),
                            "table" | "database" | "schema" | "owned" | "column"
                        )
                    {
                        return Some((format!("DROP {}", k.to_ascii_uppercase()), true));
                    }
                }
                // `TRUNCATE(x, 0)` is MySQL's number function, not the statement.
                Tok::Word(w) if w == "truncate" && stmt.get(i + 1) != Some(&Tok::Punct('(')) => {
                    return Some(("TRUNCATE".into(), true));
                }
                _ => {}
            }
        }
        // `DELETE FROM t` and `UPDATE t SET ...` with no `WHERE`: every row.
        let words: Vec<&str> = stmt
            .iter()
            .filter_map(|t| match t {
                Tok::Word(w) => Some(w.as_str()),
                _ => None,
            })
            .collect();
        let first = words.iter().position(|w| !matches!(*w, "with" | "explain"));
        if let Some(f) = first
            && matches!(words[f], "delete" | "update")
            && (words[f] == "update" || words.get(f + 1) == Some(&"from"))
            && !words.contains(&"where")
            && !words.contains(&"limit")
            && words.len() > f + 2
        {
            asked.get_or_insert((
                format!("{} without WHERE", words[f].to_ascii_uppercase()),
                false,
            ));
        }
    }
    asked
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
    fn strings_in_every_quoting_are_data_unless_they_run() {
        // Were read as code: a `do` in the text, a literal ending in `e'`.
        assert_eq!(destructive("SELECT 'please do not drop table users'"), None);
        assert_eq!(destructive("SELECT 'abc e'; SELECT 'drop table x'"), None);
        assert_eq!(destructive(r"SELECT E'it\'s drop table x'"), None);
        assert_eq!(
            destructive("SELECT $$drop table x$$, $q$truncate t$q$"),
            None
        );
        assert_eq!(
            destructive("SELECT 1 /* a /* nested */ drop table x */"),
            None
        );
        assert_eq!(destructive("SELECT \"drop table\" FROM t"), None);
        // Where strings run, they are code.
        for sql in [
            "DO $$ BEGIN EXECUTE 'DROP TABLE t'; END $$",
            "DO $body$ BEGIN EXECUTE format('DROP TABLE %I', t); END $body$",
            "SELECT 'drop table t' \\gexec",
            "PREPARE s FROM 'DROP TABLE t'",
            "EXECUTE IMMEDIATE 'drop schema s'",
        ] {
            assert!(destructive(sql).is_some(), "{sql}");
        }
        assert_eq!(destructive("SELECT 'x' \\gexec"), None);
    }

    #[test]
    fn drops_of_owned_objects_and_columns_and_unbounded_deletes() {
        assert_eq!(
            destructive("DROP OWNED BY app").as_deref(),
            Some("DROP OWNED")
        );
        assert_eq!(
            destructive("ALTER TABLE t DROP COLUMN c").as_deref(),
            Some("DROP COLUMN")
        );
        assert_eq!(
            super::destructive_verdict("DELETE FROM users"),
            Some(("DELETE without WHERE".into(), false))
        );
        assert_eq!(
            super::destructive_verdict("update users set admin = true"),
            Some(("UPDATE without WHERE".into(), false))
        );
        assert_eq!(destructive("DELETE FROM users WHERE id = 1"), None);
        assert_eq!(destructive("UPDATE t SET a = 1 WHERE b = 2"), None);
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
