//! A small lexer for interpreter code: strings (with their interpolations), comments and
//! punctuation, so calls are found outside strings and comments.

use super::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    /// A name, dotted (`os.system`, `fs.promises.rm`, `File::Path::rmtree`).
    Ident(String),
    /// A string literal's value (interpolations become unknown words).
    Str(String),
    /// Shell code in the language's own syntax: backticks, `qx{}`, `%x()`.
    Shell(String),
    Punct(char),
}

/// Splits code into names, strings and punctuation; comments are dropped.
pub(super) fn lex(lang: Lang, code: &str) -> Vec<Tok> {
    let b: Vec<char> = code.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if (c == '#' && lang != Lang::Js)
            || (c == '/' && next == Some('/') && matches!(lang, Lang::Js | Lang::Php))
        {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') && matches!(lang, Lang::Js | Lang::Php) {
            i += 2;
            while i < b.len() && !(b[i] == '*' && b.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if c == '`' {
            let (s, end) = quoted(&b, i + 1, '`', lang, true);
            toks.push(if lang == Lang::Js || lang == Lang::Python {
                Tok::Str(s)
            } else {
                Tok::Shell(s)
            });
            i = end;
        } else if c == '"' || c == '\'' {
            // Python's triple quotes.
            if lang == Lang::Python && next == Some(c) && b.get(i + 2) == Some(&c) {
                let close: String = [c, c, c].iter().collect();
                let rest: String = b[i + 3..].iter().collect();
                let end = rest.find(&close).unwrap_or(rest.len());
                toks.push(Tok::Str(rest[..end].replace("\\\n", "")));
                i += 3 + rest[..end].chars().count() + 3;
                continue;
            }
            let interpolates = c == '"' && lang != Lang::Python;
            let (s, end) = quoted(&b, i + 1, c, lang, interpolates);
            toks.push(Tok::Str(s));
            i = end;
        } else if let Some((tok, end)) = quote_like(lang, &b, i) {
            toks.push(tok);
            i = end;
        } else if c.is_alphanumeric() || c == '_' || c == '$' {
            let start = i;
            while i < b.len()
                && (b[i].is_alphanumeric()
                    || b[i] == '_'
                    || b[i] == '$'
                    || (b[i] == '.' && b.get(i + 1).is_some_and(|n| n.is_alphabetic()))
                    || (b[i] == ':' && b.get(i + 1) == Some(&':'))
                    || (b[i] == ':' && i > 0 && b[i - 1] == ':'))
            {
                i += 1;
            }
            let word: String = b[start..i].iter().collect();
            // Python string prefixes: r'..', f"..", rb'..'.
            if lang == Lang::Python
                && word.len() <= 2
                && word.chars().all(|c| "rbfuRBFU".contains(c))
                && matches!(b.get(i), Some('\'' | '"'))
            {
                let q = b[i];
                let raw = word.to_ascii_lowercase().contains('r');
                let (mut s, end) = if raw {
                    let mut j = i + 1;
                    while j < b.len() && b[j] != q {
                        j += 1;
                    }
                    (b[i + 1..j.min(b.len())].iter().collect(), j + 1)
                } else {
                    quoted(&b, i + 1, q, lang, false)
                };
                if word.to_ascii_lowercase().contains('f') {
                    s = braces_unknown(&s);
                }
                toks.push(Tok::Str(s));
                i = end;
                continue;
            }
            toks.push(Tok::Ident(word));
        } else {
            toks.push(Tok::Punct(c));
            i += 1;
        }
    }
    toks
}

/// Reads a quoted string from `start` (just after the opening quote) to `close`; returns its value
/// and the index after the closing quote.
pub(super) fn quoted(
    b: &[char],
    start: usize,
    close: char,
    lang: Lang,
    interpolates: bool,
) -> (String, usize) {
    let mut s = String::new();
    let mut i = start;
    while i < b.len() && b[i] != close {
        if b[i] == '\\' && i + 1 < b.len() {
            let e = b[i + 1];
            // A backslash before a line break joins the lines (Python, JavaScript, Ruby).
            if e == '\n' && matches!(lang, Lang::Python | Lang::Js | Lang::Ruby) {
                i += 2;
                continue;
            }
            // Single quotes keep escapes other than the quote itself and the backslash.
            if close == '\'' && lang != Lang::Python && e != '\'' && e != '\\' {
                s.push('\\');
                s.push(e);
            } else {
                s.push(match e {
                    'n' => '\n',
                    't' => '\t',
                    other => other,
                });
            }
            i += 2;
            continue;
        }
        // Ruby's `#{...}`: unknown (JS's `${...}`, Perl's and PHP's `$x` read as the shell's).
        if interpolates && lang == Lang::Ruby && b[i] == '#' && b.get(i + 1) == Some(&'{') {
            let mut depth = 0;
            while i < b.len() {
                match b[i] {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            s.push_str(UNKNOWN);
            i += 1;
            continue;
        }
        s.push(b[i]);
        i += 1;
    }
    (s, i + 1)
}

/// Python's f-string fields as unknown words.
pub(super) fn braces_unknown(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '{' => {
                if depth == 0 {
                    out.push_str(UNKNOWN);
                }
                depth += 1;
            }
            '}' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Perl's `q{}`, `qq{}`, `qx{}` and Ruby's `%q()`, `%Q()`, `%x()` (any bracket or delimiter).
pub(super) fn quote_like(lang: Lang, b: &[char], i: usize) -> Option<(Tok, usize)> {
    let (kind, open_at) = match lang {
        Lang::Perl if b[i] == 'q' && (i == 0 || !b[i - 1].is_alphanumeric()) => {
            match b.get(i + 1) {
                Some('q' | 'x' | 'w') => (b[i + 1], i + 2),
                _ => ('q', i + 1),
            }
        }
        Lang::Ruby if b[i] == '%' => match b.get(i + 1) {
            Some(c @ ('q' | 'Q' | 'x' | 'w' | 'W')) => (*c, i + 2),
            _ => return None,
        },
        _ => return None,
    };
    let open = *b.get(open_at)?;
    if open.is_alphanumeric() || open.is_whitespace() || open == '_' || open == ',' || open == ';' {
        return None;
    }
    let close = match open {
        '(' => ')',
        '[' => ']',
        '{' => '}',
        '<' => '>',
        c => c,
    };
    let mut depth = 0;
    let mut j = open_at + 1;
    while j < b.len() {
        if b[j] == '\\' {
            j += 2;
            continue;
        }
        if b[j] == open && open != close {
            depth += 1;
        } else if b[j] == close {
            if depth == 0 {
                break;
            }
            depth -= 1;
        }
        j += 1;
    }
    let text: String = b[open_at + 1..j.min(b.len())].iter().collect();
    let tok = if kind == 'x' {
        Tok::Shell(text)
    } else {
        Tok::Str(text)
    };
    Some((tok, j + 1))
}
