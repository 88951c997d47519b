//! A hand-written, error-tolerant parser for the bash language, sized for judging commands.
//!
//! It reads the whole program in one pass and never fails on bad syntax: an unterminated quote runs
//! to the end, a stray keyword is skipped, a missing `fi` is implied, and each of these is recorded as
//! an issue. The one hard failure is nesting deeper than [`MAX_DEPTH`], which the caller turns into a
//! deny. Why not a library parser is explained in `docs/design/shell-parser.md`.

use super::ast::*;
use crate::small::SmallStr;
use std::rc::Rc;

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

    fn function_body(&mut self, name: String) -> Result<Option<Command>, Limit> {
        self.blanks_and_newlines();
        let body = match self.command()? {
            Some(Command::Compound(c)) => c.body,
            Some(other) => Script {
                items: vec![Item {
                    pipeline: Pipeline {
                        commands: vec![other],
                    },
                    sep: Sep::Seq,
                }],
            },
            None => Script::default(),
        };
        Ok(Some(Command::Compound(Compound {
            kind: CompoundKind::Function(name),
            body,
            words: vec![],
            redirects: vec![],
        })))
    }

    /// `NAME [in WORDS] ;` or `(( init; test; step ))`, up to the `do`.
    fn for_header(&mut self) -> Result<Vec<Word>, Limit> {
        let mut words = Vec::new();
        self.blanks();
        if self.rest_starts(b"((") {
            self.pos += 2;
            words.push(self.word(Mode::Arith)?);
        } else {
            words.push(self.word(Mode::Normal)?);
        }
        self.blanks_and_newlines();
        if self.peek_reserved() == Some("in") {
            self.pos += 2;
            loop {
                self.blanks();
                match self.cur() {
                    None | Some(b'\n' | b';' | b'&' | b'|' | b')' | b'(' | b'<' | b'>') => break,
                    _ => words.push(self.word(Mode::Normal)?),
                }
            }
        }
        self.blanks();
        if self.cur() == Some(b';') {
            self.pos += 1;
        }
        self.blanks_and_newlines();
        Ok(words)
    }

    fn case_body(&mut self) -> Result<(Script, Vec<Word>), Limit> {
        let mut words = Vec::new();
        let mut body = Script::default();
        self.blanks();
        words.push(self.word(Mode::Normal)?);
        self.blanks_and_newlines();
        if self.peek_reserved() == Some("in") {
            self.pos += 2;
        } else {
            self.issue("missing 'in'");
        }
        const ITEM: Stop = Stop {
            paren: false,
            case_item: true,
            words: &["esac"],
        };
        loop {
            self.blanks_and_newlines();
            match self.peek_reserved() {
                Some("esac") => {
                    self.pos += 4;
                    break;
                }
                _ if self.cur().is_none() => {
                    self.issue("missing 'esac'");
                    break;
                }
                _ => {}
            }
            if self.cur() == Some(b'(') {
                self.pos += 1;
            }
            loop {
                self.blanks();
                match self.cur() {
                    Some(b'|') => self.pos += 1,
                    Some(b')') => {
                        self.pos += 1;
                        break;
                    }
                    None | Some(b'\n' | b';' | b'&' | b'(' | b'<' | b'>') => {
                        self.issue("bad case pattern");
                        if self.cur().is_some() {
                            self.pos += 1;
                        }
                        break;
                    }
                    _ => words.push(self.word(Mode::Normal)?),
                }
            }
            let (item, t) = self.list(&ITEM)?;
            body.items.extend(item.items);
            match t {
                Term::CaseSep => continue,
                Term::Word("esac") => break,
                _ => {
                    self.issue("missing 'esac'");
                    break;
                }
            }
        }
        Ok((body, words))
    }

    /// The operands of `[[ ... ]]`, where `<`, `>`, `&&`, `||` and parentheses are plain words.
    fn cond_words(&mut self) -> Result<Vec<Word>, Limit> {
        let mut words = Vec::new();
        loop {
            self.blanks_and_newlines();
            if self.rest_starts(b"]]") && self.at(2).is_none_or(is_meta) {
                self.pos += 2;
                break;
            }
            match self.cur() {
                None => {
                    self.issue("missing ']]'");
                    break;
                }
                Some(b'&' | b'|' | b'<' | b'>' | b'(' | b')' | b';') => {
                    let start = self.pos;
                    while matches!(
                        self.s.get(self.pos),
                        Some(b'&' | b'|' | b'<' | b'>' | b'(' | b')' | b';')
                    ) {
                        self.pos += 1;
                    }
                    words.push(Word::plain_text(self.slice::<SmallStr>(start, self.pos)));
                }
                _ => {
                    let before = self.pos;
                    words.push(self.word(Mode::Normal)?);
                    if self.pos == before {
                        self.pos += 1;
                    }
                }
            }
        }
        Ok(words)
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

    fn simple(&mut self) -> Result<Option<Command>, Limit> {
        if PARSED.with(|c| {
            c.set(c.get() + 1);
            c.get() > MAX_PARSED
        }) {
            return Err(Limit::Long);
        }
        let mut cmd = SimpleCommand::default();
        loop {
            self.blanks();
            if self.at_redirect() {
                cmd.redirects.push(self.redirect()?);
                continue;
            }
            match self.cur() {
                None | Some(b'\n' | b';' | b'&' | b'|' | b')') => break,
                Some(b'(') => {
                    if cmd.words.len() == 1 && cmd.assigns.is_empty() {
                        let save = self.pos;
                        self.pos += 1;
                        self.blanks();
                        if self.cur() == Some(b')') {
                            self.pos += 1;
                            let name = cmd
                                .words
                                .pop()
                                .map(|w| w.into_raw().into())
                                .unwrap_or_default();
                            return self.function_body(name);
                        }
                        self.pos = save;
                    }
                    self.issue("unexpected '('");
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            if cmd.words.is_empty()
                && let Some(name_len) = self.assignment_ahead()
            {
                cmd.assigns.push(self.assignment(name_len)?);
                continue;
            }
            let before = self.pos;
            let w = self.word(Mode::Normal)?;
            if self.pos == before {
                self.issue("unreadable input");
                self.pos += 1;
                continue;
            }
            cmd.words.push(w);
        }
        if cmd.words.is_empty() && cmd.assigns.is_empty() && cmd.redirects.is_empty() {
            return Ok(None);
        }
        // A long command's word list grew by doubling; give the unused half back.
        cmd.words.shrink_to_fit();
        Ok(Some(Command::Simple(cmd)))
    }

    /// Length of `NAME=`/`NAME+=`/`NAME[i]=` at the cursor, if one starts here.
    fn assignment_ahead(&mut self) -> Option<usize> {
        self.skip_cont();
        let rest = &self.s[self.pos..];
        if !rest.first().copied().is_some_and(is_name_start) {
            return None;
        }
        let mut i = 1;
        while rest.get(i).copied().is_some_and(is_name_char) {
            i += 1;
        }
        if rest.get(i) == Some(&b'[') {
            let close = rest[i..].iter().position(|&b| b == b']')?;
            i += close + 1;
        }
        if rest.get(i) == Some(&b'+') {
            i += 1;
        }
        (rest.get(i) == Some(&b'=')).then_some(i + 1)
    }

    fn assignment(&mut self, len: usize) -> Result<Assign, Limit> {
        let head = &self.s[self.pos..self.pos + len];
        let name_end = head
            .iter()
            .position(|&b| !is_name_char(b))
            .unwrap_or(head.len());
        let name = text(&head[..name_end]);
        let append = head.ends_with(b"+=");
        // `a[$(cmd)]=x`: the subscript is arithmetic, and its substitutions run.
        let index = match (
            head.iter().position(|&b| b == b'['),
            head.iter().rposition(|&b| b == b']'),
        ) {
            (Some(open), Some(close)) if close > open => {
                let sub = text(&head[open + 1..close]);
                Some(self.heredoc_word(sub))
            }
            _ => None,
        };
        self.pos += len;
        let mut array = Vec::new();
        let value = if self.cur() == Some(b'(') {
            self.pos += 1;
            loop {
                self.blanks_and_newlines();
                match self.cur() {
                    Some(b')') => {
                        self.pos += 1;
                        break;
                    }
                    None => {
                        self.issue("missing ')'");
                        break;
                    }
                    _ => {
                        let before = self.pos;
                        array.push(self.word(Mode::Normal)?);
                        if self.pos == before {
                            self.pos += 1;
                        }
                    }
                }
            }
            Word::default()
        } else if self.cur().is_none_or(is_meta)
            && !(matches!(self.cur(), Some(b'<' | b'>')) && self.at(1) == Some(b'('))
        {
            Word::default()
        } else {
            self.word(Mode::Normal)?
        };
        Ok(Assign {
            name,
            value,
            array,
            index,
            append,
        })
    }

    fn at_redirect(&mut self) -> bool {
        self.skip_cont();
        let rest = &self.s[self.pos..];
        let mut i = 0;
        if rest.first() == Some(&b'{') {
            // `{varname}>file`
            let mut j = 1;
            while rest.get(j).copied().is_some_and(is_name_char) {
                j += 1;
            }
            if j > 1 && rest.get(j) == Some(&b'}') {
                i = j + 1;
            }
        } else {
            while rest.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        match (rest.get(i), rest.get(i + 1)) {
            (Some(b'<' | b'>'), Some(b'(')) => false,
            (Some(b'<' | b'>'), _) => true,
            (Some(b'&'), Some(b'>')) => i == 0,
            _ => false,
        }
    }

    fn redirect(&mut self) -> Result<Redirect, Limit> {
        let mut fd = None;
        if self.cur() == Some(b'{') {
            while self.s.get(self.pos) != Some(&b'}') {
                self.pos += 1;
            }
            self.pos += 1;
        } else {
            let start = self.pos;
            while self.s.get(self.pos).is_some_and(u8::is_ascii_digit) {
                self.pos += 1;
            }
            if self.pos > start {
                fd = self.slice::<String>(start, self.pos).parse().ok();
            }
        }
        let ops: &[(&[u8], RedirOp)] = &[
            (b"&>>", RedirOp::AppendErr),
            (b"&>", RedirOp::OutErr),
            (b"<<<", RedirOp::HereString),
            (b"<<-", RedirOp::HereDoc),
            (b"<<", RedirOp::HereDoc),
            (b"<>", RedirOp::ReadWrite),
            (b"<&", RedirOp::Dup),
            (b"<", RedirOp::In),
            (b">>", RedirOp::Append),
            (b">|", RedirOp::Clobber),
            (b">&", RedirOp::Dup),
            (b">", RedirOp::Out),
        ];
        let (tok, mut op) = ops
            .iter()
            .find(|(t, _)| self.rest_starts(t))
            .copied()
            .unwrap_or((b">", RedirOp::Out));
        self.pos += tok.len();
        let strip_tabs = tok == b"<<-";
        self.blanks();
        let target = self.word(Mode::Normal)?;
        if op == RedirOp::Dup && tok == b">&" {
            // `>&file` (not a descriptor number or `-`) writes stdout and stderr to the file.
            let is_fd = target
                .literal()
                .is_some_and(|t| t == "-" || t.bytes().all(|b| b.is_ascii_digit()));
            if !is_fd {
                op = RedirOp::OutErr;
            }
        }
        let mut heredoc = None;
        if op == RedirOp::HereDoc {
            let quoted = target.parts().iter().any(|p| matches!(p, Part::Quoted(_)))
                || target.raw().contains(['\'', '"', '\\']);
            let delim: String = target
                .parts()
                .iter()
                .map(|p| match p {
                    Part::Lit(s) | Part::Quoted(s) => s.as_str(),
                    _ => "",
                })
                .collect();
            let delim = if delim.is_empty() && !quoted {
                target.raw().to_string()
            } else {
                delim
            };
            let doc = Rc::new(HereDoc {
                quoted,
                body: Default::default(),
            });
            self.pending.push(Pending {
                delim: delim.into_bytes(),
                strip_tabs,
                doc: doc.clone(),
            });
            heredoc = Some(doc);
        }
        Ok(Redirect {
            fd,
            op,
            target,
            heredoc,
        })
    }

    // ---- words ------------------------------------------------------------------------------

    fn word(&mut self, mode: Mode) -> Result<Word, Limit> {
        self.skip_cont();
        let start = self.pos;
        // Most words are plain text up to a blank or an operator: one part, no scanning twice.
        if mode == Mode::Normal && self.cur() != Some(b'~') {
            let len = self.s[start..]
                .iter()
                .position(|&b| is_meta(b) || matches!(b, b'\\' | b'\'' | b'"' | b'$' | b'`'))
                .unwrap_or(self.s.len() - start);
            let end = start + len;
            // (`a<(cmd)` goes on: a process substitution inside the word.)
            let substitution =
                matches!(self.s.get(end), Some(b'<' | b'>')) && self.s.get(end + 1) == Some(&b'(');
            if len > 0 && !substitution && self.s.get(end).is_none_or(|&b| is_meta(b)) {
                self.pos = end;
                return Ok(Word::plain_text(self.slice::<SmallStr>(start, end)));
            }
        }
        let mut parts = Vec::new();
        let mut lit: Vec<u8> = Vec::new();
        let mut paren = 0usize;
        if mode == Mode::Normal && self.cur() == Some(b'~') {
            self.pos += 1;
            let s = self.pos;
            while self
                .s
                .get(self.pos)
                .is_some_and(|&b| is_name_char(b) || b == b'.' || b == b'-')
            {
                self.pos += 1;
            }
            parts.push(Part::Tilde(self.slice(s, self.pos)));
        }
        loop {
            let Some(c) = self.cur() else {
                if mode != Mode::Normal {
                    self.issue("unterminated expansion");
                }
                break;
            };
            match (mode, c) {
                (Mode::Normal, b'<' | b'>') if self.at(1) == Some(b'(') => {
                    flush(&mut lit, &mut parts, false);
                    self.pos += 2;
                    let (script, t) = self.list(&Stop::PAREN)?;
                    if t != Term::Paren {
                        self.issue("missing ')'");
                    }
                    parts.push(Part::ProcSubst(script));
                    continue;
                }
                (Mode::Normal, _) if is_meta(c) => break,
                (Mode::Param, b'}') => {
                    self.pos += 1;
                    break;
                }
                (Mode::Arith, b'(') => paren += 1,
                (Mode::Arith, b')') => {
                    if paren == 0 {
                        if self.at(1) == Some(b')') {
                            self.pos += 2;
                        } else {
                            // `((cmd) )`: not arithmetic after all; the caller reads it again.
                            self.pos += 1;
                            self.arith_failed = true;
                        }
                        break;
                    }
                    paren -= 1;
                }
                _ => {}
            }
            match c {
                b'\'' => {
                    flush(&mut lit, &mut parts, false);
                    self.pos += 1;
                    let s = self.pos;
                    match self.s[s..].iter().position(|&b| b == b'\'') {
                        Some(i) => {
                            parts.push(Part::Quoted(self.slice(s, s + i)));
                            self.pos = s + i + 1;
                        }
                        None => {
                            self.issue("unterminated single quote");
                            parts.push(Part::Quoted(self.slice(s, self.s.len())));
                            self.pos = self.s.len();
                        }
                    }
                }
                b'"' => {
                    flush(&mut lit, &mut parts, false);
                    self.pos += 1;
                    self.double_quoted(&mut parts, Some(b'"'))?;
                }
                b'\\' => {
                    flush(&mut lit, &mut parts, false);
                    match self.at(1) {
                        Some(n) => {
                            let len = utf8_len(n).min(self.s.len() - self.pos - 1);
                            let c = self.pos + 1;
                            parts.push(Part::Quoted(self.slice(c, c + len)));
                            self.pos += 1 + len;
                        }
                        None => {
                            lit.push(b'\\');
                            self.pos += 1;
                        }
                    }
                }
                b'$' => {
                    flush(&mut lit, &mut parts, false);
                    self.dollar(&mut parts, false)?;
                }
                b'`' => {
                    flush(&mut lit, &mut parts, false);
                    self.backtick(&mut parts, false)?;
                }
                _ => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush(&mut lit, &mut parts, false);
        Ok(Word::new(self.slice::<SmallStr>(start, self.pos), parts))
    }

    /// Inside double quotes (terminator `"`) or an unquoted here-document body (no terminator).
    fn double_quoted(&mut self, parts: &mut Vec<Part>, term: Option<u8>) -> Result<(), Limit> {
        let mut lit: Vec<u8> = Vec::new();
        let start = parts.len();
        loop {
            let Some(c) = self.cur() else {
                if term.is_some() {
                    self.issue("unterminated double quote");
                }
                break;
            };
            if Some(c) == term {
                self.pos += 1;
                break;
            }
            match c {
                b'\\' => match self.at(1) {
                    Some(n @ (b'$' | b'`' | b'\\' | b'"')) if n != b'"' || term.is_some() => {
                        lit.push(n);
                        self.pos += 2;
                    }
                    _ => {
                        lit.push(b'\\');
                        self.pos += 1;
                    }
                },
                b'$' => {
                    flush(&mut lit, parts, true);
                    self.dollar(parts, true)?;
                }
                b'`' => {
                    flush(&mut lit, parts, true);
                    self.backtick(parts, true)?;
                }
                _ => {
                    // The run of plain bytes up to the next one that means something, at once
                    // (a 100 KB here-doc is mostly such runs).
                    let rest = &self.s[self.pos..];
                    let next = match term {
                        Some(t) => rest
                            .iter()
                            .position(|&b| matches!(b, b'\\' | b'$' | b'`') || b == t),
                        None => memchr::memchr3(b'\\', b'$', b'`', rest),
                    };
                    let n = next.unwrap_or(rest.len()).max(1);
                    lit.extend_from_slice(&rest[..n]);
                    self.pos += n;
                }
            }
        }
        flush(&mut lit, parts, true);
        if parts.len() == start {
            // `""` is still a word (an empty argument).
            parts.push(Part::Quoted(SmallStr::new()));
        }
        Ok(())
    }

    fn dollar(&mut self, parts: &mut Vec<Part>, quoted: bool) -> Result<(), Limit> {
        let next = self.at(1);
        match next {
            Some(b'(')
                if self.at(2) == Some(b'(') && {
                    self.pos += 1;
                    let arith = self.arithmetic_ahead();
                    self.pos -= 1;
                    arith
                } =>
            {
                self.pos += 3;
                self.enter()?;
                let w = self.word(Mode::Arith)?;
                self.leave();
                parts.push(Part::Arith(Box::new(w)));
            }
            Some(b'(') => {
                self.pos += 2;
                let (script, t) = self.list(&Stop::PAREN)?;
                if t != Term::Paren {
                    self.issue("missing ')' of command substitution");
                }
                parts.push(Part::Subst { script, quoted });
            }
            Some(b'{') => {
                self.pos += 2;
                let s = self.pos;
                if matches!(self.s.get(self.pos), Some(b'#' | b'!')) {
                    self.pos += 1;
                }
                while self.s.get(self.pos).copied().is_some_and(is_name_char) {
                    self.pos += 1;
                }
                let no_name = self.pos == s
                    || (self.pos == s + 1 && matches!(self.s.get(s), Some(b'#' | b'!')));
                if no_name
                    && matches!(
                        self.s.get(self.pos),
                        Some(b'@' | b'*' | b'#' | b'?' | b'$' | b'!' | b'-')
                    )
                {
                    self.pos += 1;
                }
                let name = self.slice(s, self.pos);
                if self.cur() == Some(b'}') {
                    self.pos += 1;
                    parts.push(Part::Param {
                        name,
                        modifier: None,
                        quoted,
                    });
                } else {
                    self.enter()?;
                    let w = self.word(Mode::Param)?;
                    self.leave();
                    parts.push(Part::Param {
                        name,
                        modifier: Some(Box::new(w)),
                        quoted,
                    });
                }
            }
            Some(b'\'') if !quoted => {
                self.pos += 2;
                let s = self.pos;
                let mut i = s;
                while i < self.s.len() && self.s[i] != b'\'' {
                    if self.s[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                let end = i.min(self.s.len());
                if end >= self.s.len() {
                    self.issue("unterminated $'...'");
                }
                parts.push(Part::Quoted(ansi_c(&self.s[s..end]).into()));
                self.pos = (end + 1).min(self.s.len());
            }
            Some(b'"') if !quoted => {
                self.pos += 2;
                self.double_quoted(parts, Some(b'"'))?;
            }
            Some(b) if is_name_start(b) => {
                self.pos += 1;
                let s = self.pos;
                while self.s.get(self.pos).copied().is_some_and(is_name_char) {
                    self.pos += 1;
                }
                parts.push(Part::Param {
                    name: self.slice(s, self.pos),
                    modifier: None,
                    quoted,
                });
            }
            Some(b @ (b'0'..=b'9' | b'@' | b'*' | b'#' | b'?' | b'$' | b'!' | b'-')) => {
                self.pos += 2;
                parts.push(Part::Param {
                    name: (b as char).to_string(),
                    modifier: None,
                    quoted,
                });
            }
            _ => {
                self.pos += 1;
                let s = SmallStr::from("$");
                parts.push(if quoted {
                    Part::Quoted(s)
                } else {
                    Part::Lit(s)
                });
            }
        }
        Ok(())
    }

    fn backtick(&mut self, parts: &mut Vec<Part>, quoted: bool) -> Result<(), Limit> {
        self.pos += 1;
        let mut inner = Vec::new();
        let mut closed = false;
        while let Some(&b) = self.s.get(self.pos) {
            match b {
                b'`' => {
                    self.pos += 1;
                    closed = true;
                    break;
                }
                b'\\' => match self.s.get(self.pos + 1) {
                    Some(&n @ (b'`' | b'\\' | b'$')) => {
                        inner.push(n);
                        self.pos += 2;
                    }
                    _ => {
                        inner.push(b'\\');
                        self.pos += 1;
                    }
                },
                _ => {
                    inner.push(b);
                    self.pos += 1;
                }
            }
        }
        if !closed {
            self.issue("unterminated backquote");
        }
        let src: String = text(&inner);
        self.enter()?;
        let parsed = parse_at_depth(&src, self.depth)?;
        self.leave();
        self.issues.extend(parsed.issues);
        parts.push(Part::Subst {
            script: parsed.script,
            quoted,
        });
        Ok(())
    }
}

/// Moves pending literal bytes into a part; returns whether there were any.
fn flush(lit: &mut Vec<u8>, parts: &mut Vec<Part>, quoted: bool) -> bool {
    if lit.is_empty() {
        return false;
    }
    let s = text(lit);
    lit.clear();
    parts.push(if quoted {
        Part::Quoted(s)
    } else {
        Part::Lit(s)
    });
    true
}

/// Decodes backslash escapes as `$'...'` does (also what `echo -e` and `printf` formats decode).
pub fn ansi_c(b: &[u8]) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    let hex = |s: &[u8], max: usize| -> (u32, usize) {
        let mut v = 0u32;
        let mut n = 0;
        while n < max && s.get(n).is_some_and(u8::is_ascii_hexdigit) {
            v = v * 16 + (s[n] as char).to_digit(16).unwrap_or(0);
            n += 1;
        }
        (v, n)
    };
    while i < b.len() {
        if b[i] != b'\\' || i + 1 >= b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let c = b[i + 1];
        i += 2;
        match c {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'e' | b'E' => out.push(27),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'\\' | b'\'' | b'"' | b'?' => out.push(c),
            b'0'..=b'7' => {
                let mut v = u32::from(c - b'0');
                let mut n = 0;
                while n < 2 && b.get(i).is_some_and(|d| (b'0'..=b'7').contains(d)) {
                    v = v * 8 + u32::from(b[i] - b'0');
                    i += 1;
                    n += 1;
                }
                out.push((v & 0xFF) as u8);
            }
            b'x' => {
                let (v, n) = hex(&b[i..], 2);
                if n == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(v as u8);
                }
                i += n;
            }
            b'u' | b'U' => {
                let (v, n) = hex(&b[i..], if c == b'u' { 4 } else { 8 });
                i += n;
                let ch = char::from_u32(v).unwrap_or('\u{FFFD}');
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            }
            b'c' => {
                if let Some(&n) = b.get(i) {
                    out.push(n & 0x1F);
                    i += 1;
                }
            }
            _ => {
                out.push(b'\\');
                out.push(c);
            }
        }
    }
    text(&out)
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
