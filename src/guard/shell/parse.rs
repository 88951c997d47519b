//! A hand-written, error-tolerant parser for the bash language, sized for judging commands.
//!
//! It reads the whole program in one pass and never fails on bad syntax: an unterminated quote runs
//! to the end, a stray keyword is skipped, a missing `fi` is implied, and each of these is recorded as
//! an issue. The one hard failure is nesting deeper than [`MAX_DEPTH`], which the caller turns into a
//! deny. Why not a library parser is explained in `docs/design/shell-parser.md`.

mod compound;
mod words;

use super::ast::*;
use crate::small::SmallStr;
use std::rc::Rc;
pub use words::ansi_c;

/// Deepest nesting of lists, substitutions and parameter words the parser follows.
pub const MAX_DEPTH: usize = 32;

/// Most simple commands the parser reads in one program, substitutions and nested code
/// counted: the walker's own budget (`guard::MAX_COMMANDS`; a program this long is denied when
/// walked anyway), reached early enough that a 30 MB script is refused after a few MB instead of
/// being built into a tree many times its size.
pub const MAX_PARSED: usize = crate::guard::MAX_COMMANDS;

/// Why a program is not parsed: it nests deeper than [`MAX_DEPTH`], or holds more than
/// [`MAX_PARSED`] commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Deep,
    Long,
}

thread_local! {
    /// Simple commands read by the parse in progress (nested parsers included).
    static PARSED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A parsed program and the syntax problems that were tolerated on the way.
#[derive(Debug)]
pub struct Parsed {
    pub script: Script,
    pub issues: Vec<String>,
}

/// Parses a shell program.
pub fn parse(src: &str) -> Result<Parsed, Limit> {
    PARSED.with(|c| c.set(0));
    parse_at_depth(src, 0)
}

pub(crate) fn parse_at_depth(src: &str, depth: usize) -> Result<Parsed, Limit> {
    let mut p = Parser::new(src, depth);
    let (script, _) = p.list(&Stop::TOP)?;
    p.finish_heredocs();
    if p.too_deep {
        return Err(Limit::Deep);
    }
    Ok(Parsed {
        script,
        issues: p.issues,
    })
}

/// What ends a list.
struct Stop {
    paren: bool,
    case_item: bool,
    words: &'static [&'static str],
}

impl Stop {
    const TOP: Stop = Stop {
        paren: false,
        case_item: false,
        words: &[],
    };
    const PAREN: Stop = Stop {
        paren: true,
        case_item: false,
        words: &[],
    };
    const fn words(words: &'static [&'static str]) -> Stop {
        Stop {
            paren: false,
            case_item: false,
            words,
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Term {
    Eof,
    Paren,
    CaseSep,
    Word(&'static str),
}

/// Reserved words that only close something; met where nothing is open, they are skipped.
const CLOSERS: &[&str] = &["then", "elif", "else", "fi", "do", "done", "esac", "}"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// An ordinary word: ends at a blank or an operator.
    Normal,
    /// The rest of `${name...}`: ends at the closing brace.
    Param,
    /// `$(( ... ))` or `(( ... ))`: ends at the closing `))`.
    Arith,
}

struct Pending {
    delim: Vec<u8>,
    strip_tabs: bool,
    doc: Rc<HereDoc>,
}

struct Parser<'a> {
    /// The source, and the same as bytes (what the parser steps through).
    src: &'a str,
    s: &'a [u8],
    pos: usize,
    depth: usize,
    pending: Vec<Pending>,
    issues: Vec<String>,
    /// Set when a here-document body nests too deep; the next list boundary reports it.
    too_deep: bool,
    /// Set when text read as arithmetic did not end in `))`.
    arith_failed: bool,
    /// Inside [`Parser::arithmetic_ahead`].
    looking_ahead: bool,
}

#[inline(always)]
fn is_meta(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
    )
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn utf8_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Source text as a string (a `String` or a [`SmallStr`]). The source is a `&str`, so a slice
/// between the parser's positions is almost always UTF-8 already (checked at once, the fast way);
/// a slice cut inside a character gets replacement characters.
fn text<T: for<'x> From<&'x str> + From<String>>(bytes: &[u8]) -> T {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.into(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned().into(),
    }
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, depth: usize) -> Self {
        Parser {
            src,
            s: src.as_bytes(),
            pos: 0,
            depth,
            pending: Vec::new(),
            issues: Vec::new(),
            too_deep: false,
            arith_failed: false,
            looking_ahead: false,
        }
    }

    fn issue(&mut self, what: &str) {
        if self.issues.len() < 16 {
            self.issues.push(format!("{what} at byte {}", self.pos));
        }
    }

    fn enter(&mut self) -> Result<(), Limit> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            Err(Limit::Deep)
        } else {
            Ok(())
        }
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    // ---- characters -------------------------------------------------------------------------

    /// The source from byte `a` to byte `b`: a slice of the `&str` when both fall between
    /// characters (always, but for a cut the parser makes inside a character).
    fn slice<T: for<'x> From<&'x str> + From<String>>(&self, a: usize, b: usize) -> T {
        match self.src.get(a..b) {
            Some(t) => t.into(),
            None => text(&self.s[a..b]),
        }
    }

    /// Skips backslash-newline pairs, which the shell removes before it reads words.
    #[inline(always)]
    fn skip_cont(&mut self) {
        while self.s.get(self.pos) == Some(&b'\\') && self.s.get(self.pos + 1) == Some(&b'\n') {
            self.pos += 2;
        }
    }

    #[inline(always)]
    fn cur(&mut self) -> Option<u8> {
        self.skip_cont();
        self.s.get(self.pos).copied()
    }

    fn at(&self, k: usize) -> Option<u8> {
        self.s.get(self.pos + k).copied()
    }

    fn rest_starts(&self, pat: &[u8]) -> bool {
        self.s[self.pos..].starts_with(pat)
    }

    /// Spaces, tabs, continuations and a comment, up to (not past) the next newline.
    fn blanks(&mut self) {
        loop {
            match self.cur() {
                Some(b' ' | b'\t' | b'\r') => self.pos += 1,
                Some(b'#') => {
                    while let Some(b) = self.s.get(self.pos) {
                        if *b == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
    }

    /// Blanks and newlines (reading any here-document bodies the newlines release).
    fn blanks_and_newlines(&mut self) {
        loop {
            self.blanks();
            if self.cur() == Some(b'\n') {
                self.newline();
            } else {
                break;
            }
        }
    }

    fn newline(&mut self) {
        self.pos += 1;
        if !self.pending.is_empty() {
            self.read_heredocs();
        }
    }

    // ---- here-documents ---------------------------------------------------------------------

    fn read_heredocs(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        for p in pending {
            let start = self.pos;
            let mut body_end = self.s.len();
            let mut next = self.s.len();
            let mut found = false;
            let mut line_start = self.pos;
            while line_start < self.s.len() {
                let line_end = memchr::memchr(b'\n', &self.s[line_start..])
                    .map_or(self.s.len(), |i| line_start + i);
                let mut line = &self.s[line_start..line_end];
                if p.strip_tabs {
                    while line.first() == Some(&b'\t') {
                        line = &line[1..];
                    }
                }
                if line == p.delim.as_slice() {
                    body_end = line_start;
                    next = (line_end + 1).min(self.s.len());
                    found = true;
                    break;
                }
                line_start = line_end + 1;
            }
            if !found {
                self.issue("here-document without its end line");
            }
            let mut raw: String = self.slice(start, body_end);
            if p.strip_tabs {
                raw = raw
                    .split_inclusive('\n')
                    .map(|l| l.trim_start_matches('\t'))
                    .collect();
            }
            self.pos = next;
            let word = if p.doc.quoted {
                let part = Part::Quoted(raw.as_str().into());
                Word::new(raw, vec![part])
            } else {
                self.heredoc_word(raw)
            };
            let _ = p.doc.body.set(word);
        }
    }

    /// An unquoted here-document body: text in which `$`, backticks and `\` still act.
    fn heredoc_word(&mut self, raw: String) -> Word {
        let mut sub = Parser::new(&raw, self.depth);
        let mut parts = Vec::new();
        let ok = sub.double_quoted(&mut parts, None).is_ok();
        self.issues.append(&mut sub.issues);
        if !ok {
            self.too_deep = true;
        }
        Word::new(raw, parts)
    }

    fn finish_heredocs(&mut self) {
        if !self.pending.is_empty() {
            self.issue("here-document without a body");
            for p in std::mem::take(&mut self.pending) {
                let _ = p.doc.body.set(Word::default());
            }
        }
    }

    // ---- lists and commands -----------------------------------------------------------------

    /// At `((`: whether it is arithmetic, closed by `))`. Bash reads `((cmd) )` as nested
    /// subshells instead, so a failed arithmetic reading falls back to that.
    fn arithmetic_ahead(&mut self) -> bool {
        if self.looking_ahead {
            // Nested look-aheads would cost exponential time; inside one, assume arithmetic.
            return true;
        }
        let (save, issues, pending) = (self.pos, self.issues.len(), self.pending.len());
        self.looking_ahead = true;
        self.pos += 2;
        self.arith_failed = false;
        let ok = self.word(Mode::Arith).is_ok() && !self.arith_failed;
        let closed = ok && self.s[..self.pos.min(self.s.len())].ends_with(b"))");
        self.pos = save;
        self.issues.truncate(issues);
        self.pending.truncate(pending);
        self.arith_failed = false;
        self.looking_ahead = false;
        closed
    }

    fn peek_reserved(&mut self) -> Option<&'static str> {
        self.skip_cont();
        let rest = &self.s[self.pos..];
        // `{`, `!` and `[[` stand alone: a blank, a newline or the end follows them.
        for kw in ["{", "!", "[["] {
            if rest.starts_with(kw.as_bytes())
                && matches!(rest.get(kw.len()), None | Some(b' ' | b'\t' | b'\n'))
            {
                return Some(kw);
            }
        }
        // The others end at a blank, an operator or the end: the word up to there is compared
        // (no reserved word is longer than 8 bytes).
        let len = rest
            .iter()
            .take(9)
            .position(|&b| is_meta(b))
            .unwrap_or(rest.len().min(9));
        // A byte match: the compiler tells the words apart by length and bytes, with no call.
        Some(match &rest[..len] {
            b"if" => "if",
            b"then" => "then",
            b"elif" => "elif",
            b"else" => "else",
            b"fi" => "fi",
            b"do" => "do",
            b"done" => "done",
            b"case" => "case",
            b"esac" => "esac",
            b"while" => "while",
            b"until" => "until",
            b"for" => "for",
            b"select" => "select",
            b"function" => "function",
            b"in" => "in",
            b"}" => "}",
            b"time" => "time",
            b"coproc" => "coproc",
            _ => return None,
        })
    }

    fn list(&mut self, stop: &Stop) -> Result<(Script, Term), Limit> {
        self.enter()?;
        let mut script = Script::default();
        let term = loop {
            self.blanks_and_newlines();
            if self.too_deep {
                return Err(Limit::Deep);
            }
            let Some(c) = self.cur() else {
                break Term::Eof;
            };
            match c {
                b')' => {
                    self.pos += 1;
                    if stop.paren {
                        break Term::Paren;
                    }
                    self.issue("unexpected ')'");
                    continue;
                }
                b';' => {
                    let case_sep = matches!(self.at(1), Some(b';' | b'&'));
                    if case_sep && stop.case_item {
                        self.pos += 2;
                        if self.cur() == Some(b'&') {
                            self.pos += 1;
                        }
                        break Term::CaseSep;
                    }
                    self.issue("unexpected ';'");
                    self.pos += 1;
                    continue;
                }
                b'&' | b'|' => {
                    self.issue("unexpected operator");
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            if let Some(kw) = self.peek_reserved() {
                if stop.words.contains(&kw) {
                    self.pos += kw.len();
                    break Term::Word(kw);
                }
                if CLOSERS.contains(&kw) || kw == "in" {
                    self.issue("unexpected reserved word");
                    self.pos += kw.len();
                    continue;
                }
            }
            let before = self.pos;
            let pipeline = self.pipeline()?;
            self.blanks();
            let sep = match self.cur() {
                Some(b';') if !(stop.case_item && matches!(self.at(1), Some(b';' | b'&'))) => {
                    self.pos += 1;
                    Sep::Seq
                }
                Some(b'&') if self.at(1) == Some(b'&') => {
                    self.pos += 2;
                    Sep::And
                }
                Some(b'&') => {
                    self.pos += 1;
                    Sep::Background
                }
                Some(b'|') if self.at(1) == Some(b'|') => {
                    self.pos += 2;
                    Sep::Or
                }
                _ => Sep::Seq,
            };
            if !pipeline.commands.is_empty() {
                script.items.push(Item { pipeline, sep });
            }
            if self.pos == before {
                // Nothing could be read here: skip one byte rather than loop.
                self.issue("unreadable input");
                self.pos += 1;
            }
        };
        self.leave();
        Ok((script, term))
    }

    fn pipeline(&mut self) -> Result<Pipeline, Limit> {
        let mut pipeline = Pipeline::default();
        loop {
            self.blanks();
            match self.peek_reserved() {
                Some("!") => self.pos += 1,
                Some("time") => {
                    let save = self.pos;
                    self.pos += 4;
                    self.blanks();
                    if self.rest_starts(b"-p") && self.at(2).is_none_or(is_meta) {
                        self.pos += 2;
                    } else if self.cur() == Some(b'-') {
                        // `time -o FILE ...` is the time program, not the keyword.
                        self.pos = save;
                        break;
                    }
                }
                _ => break,
            }
        }
        loop {
            let cmd = self.command()?;
            if let Some(cmd) = cmd {
                pipeline.commands.push(cmd);
            }
            self.blanks();
            if self.cur() == Some(b'|') && self.at(1) != Some(b'|') {
                self.pos += 1;
                if self.cur() == Some(b'&') {
                    self.pos += 1;
                }
                self.blanks_and_newlines();
                continue;
            }
            break;
        }
        Ok(pipeline)
    }

    fn expect_word(&mut self, kw: &'static str, term: &Term) {
        if *term != Term::Word(kw) {
            self.issue(&format!("missing '{kw}'"));
        }
    }

    fn command(&mut self) -> Result<Option<Command>, Limit> {
        self.blanks();
        let kw = self.peek_reserved();
        let compound = |kind, body, words, p: &mut Self| -> Result<Option<Command>, Limit> {
            let redirects = p.trailing_redirects()?;
            Ok(Some(Command::Compound(Compound {
                kind,
                body,
                words,
                redirects,
            })))
        };
        match kw {
            Some("{") => {
                self.pos += 1;
                let (body, t) = self.list(&Stop::words(&["}"]))?;
                self.expect_word("}", &t);
                compound(CompoundKind::Group, body, vec![], self)
            }
            Some("if") => {
                self.pos += 2;
                let mut body = Script::default();
                loop {
                    let (cond, t) = self.list(&Stop::words(&["then"]))?;
                    body.items.extend(cond.items);
                    self.expect_word("then", &t);
                    let (then, t) = self.list(&Stop::words(&["elif", "else", "fi"]))?;
                    body.items.extend(then.items);
                    match t {
                        Term::Word("elif") => continue,
                        Term::Word("else") => {
                            let (els, t) = self.list(&Stop::words(&["fi"]))?;
                            body.items.extend(els.items);
                            self.expect_word("fi", &t);
                        }
                        t => self.expect_word("fi", &t),
                    }
                    break;
                }
                compound(CompoundKind::Block, body, vec![], self)
            }
            Some(k @ ("while" | "until")) => {
                self.pos += k.len();
                let (mut body, t) = self.list(&Stop::words(&["do"]))?;
                self.expect_word("do", &t);
                let (inner, t) = self.list(&Stop::words(&["done"]))?;
                self.expect_word("done", &t);
                body.items.extend(inner.items);
                compound(CompoundKind::Block, body, vec![], self)
            }
            Some(k @ ("for" | "select")) => {
                self.pos += k.len();
                let words = self.for_header()?;
                let (body, t) = match self.peek_reserved() {
                    Some("do") => {
                        self.pos += 2;
                        let (b, t) = self.list(&Stop::words(&["done"]))?;
                        (b, (t, "done"))
                    }
                    Some("{") => {
                        self.pos += 1;
                        let (b, t) = self.list(&Stop::words(&["}"]))?;
                        (b, (t, "}"))
                    }
                    _ => {
                        self.issue("missing 'do'");
                        let (b, t) = self.list(&Stop::words(&["done"]))?;
                        (b, (t, "done"))
                    }
                };
                self.expect_word(t.1, &t.0);
                let kind = match words.first().and_then(Word::plain) {
                    Some(name) if name.bytes().all(is_name_char) => {
                        CompoundKind::For(name.to_string())
                    }
                    _ => CompoundKind::Block,
                };
                compound(kind, body, words, self)
            }
            Some("case") => {
                self.pos += 4;
                let (body, words) = self.case_body()?;
                compound(CompoundKind::Block, body, words, self)
            }
            Some("function") => {
                self.pos += 8;
                self.blanks();
                let name = self.word(Mode::Normal)?;
                self.blanks();
                if self.rest_starts(b"()") {
                    self.pos += 2;
                }
                self.function_body(name.into_raw().into())
            }
            Some("coproc") => {
                // `coproc [NAME] command`: NAME only before a compound command.
                self.pos += 6;
                self.blanks();
                let save = self.pos;
                while self.s.get(self.pos).copied().is_some_and(is_name_char) {
                    self.pos += 1;
                }
                self.blanks();
                if !matches!(self.cur(), Some(b'{' | b'(')) || self.pos == save {
                    self.pos = save;
                }
                self.command()
            }
            Some("[[") => {
                self.pos += 2;
                let words = self.cond_words()?;
                compound(CompoundKind::Test, Script::default(), words, self)
            }
            _ => match self.cur() {
                Some(b'(') if self.at(1) == Some(b'(') && self.arithmetic_ahead() => {
                    self.pos += 2;
                    let w = self.word(Mode::Arith)?;
                    compound(CompoundKind::Test, Script::default(), vec![w], self)
                }
                Some(b'(') => {
                    self.pos += 1;
                    let (body, t) = self.list(&Stop::PAREN)?;
                    if t != Term::Paren {
                        self.issue("missing ')'");
                    }
                    compound(CompoundKind::Subshell, body, vec![], self)
                }
                _ => self.simple(),
            },
        }
    }

    fn trailing_redirects(&mut self) -> Result<Vec<Redirect>, Limit> {
        let mut out = Vec::new();
        loop {
            self.blanks();
            if self.at_redirect() {
                out.push(self.redirect()?);
            } else {
                return Ok(out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reserved_word_is_recognized_where_it_ends() {
        let reserved = [
            "if", "then", "elif", "else", "fi", "do", "done", "case", "esac", "while", "until",
            "for", "select", "function", "in", "{", "}", "!", "[[", "time", "coproc",
        ];
        let peek = |src: &str| Parser::new(src, 0).peek_reserved();
        for kw in reserved {
            assert_eq!(peek(&format!("{kw} x")), Some(kw), "{kw}");
            assert_eq!(peek(kw), Some(kw), "{kw} at the end");
            assert_eq!(
                peek(&format!("{kw}\\\nx")),
                None,
                "{kw} goes on after a continuation"
            );
            assert_eq!(peek(&format!("{kw}x")), None, "{kw}x");
        }
        // An operator ends a word, but `{`, `!` and `[[` need a blank after them.
        assert_eq!(peek("fi;"), Some("fi"));
        assert_eq!(peek("}|x"), Some("}"));
        assert_eq!(peek("!;"), None);
        assert_eq!(peek("{;"), None);
        assert_eq!(peek("functions x"), None);
    }
}
