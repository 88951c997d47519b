//! The shape of a parsed shell program.
//!
//! The tree keeps what the guard needs to judge a command and nothing more: control flow is kept only
//! as far as it matters (which commands run, what feeds their standard input, where `cd` holds), and
//! every word keeps both its source text and its parts, so the guard can tell `"rm"` (still rm) from
//! `$(rm -rf x)` (code that runs) and `'rm -rf x'` (data).

use std::cell::OnceCell;
use std::ops::Deref;
use std::rc::Rc;

use crate::small::SmallStr;

/// A list of pipelines, each with the operator that follows it.
#[derive(Debug, Clone, Default)]
pub struct Script {
    pub items: Vec<Item>,
}

/// One pipeline and the separator after it.
#[derive(Debug, Clone)]
pub struct Item {
    pub pipeline: Pipeline,
    pub sep: Sep,
}

/// The operator that ends a pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sep {
    /// `;`, a newline, or the end of the list.
    Seq,
    /// `&`
    Background,
    /// `&&`
    And,
    /// `||`
    Or,
}

/// Commands joined by `|` or `|&`: each one's standard output feeds the next one's standard input.
#[derive(Debug, Clone, Default)]
pub struct Pipeline {
    pub commands: Vec<Command>,
}

#[derive(Debug, Clone)]
pub enum Command {
    Simple(SimpleCommand),
    Compound(Compound),
}

/// A compound command: its body runs, its words are data whose substitutions still run.
#[derive(Debug, Clone)]
pub struct Compound {
    pub kind: CompoundKind,
    pub body: Script,
    /// Words the compound evaluates without running them as commands: `for` lists, `case` subjects
    /// and patterns, `[[ ]]` operands, arithmetic text.
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompoundKind {
    /// `( ... )`: runs in a child shell, so `cd` inside does not leak out.
    Subshell,
    /// `{ ...; }`: runs in this shell, unconditionally.
    Group,
    /// `if`, `while`, `until`, `case`, arithmetic `for (( ))`: bodies that may or may not run.
    Block,
    /// `for NAME in WORDS` (and `select`): the body runs with NAME set to each of `words[1..]`.
    For(String),
    /// `name() { ... }` or `function name { ... }`: judged as if it runs.
    Function(String),
    /// `(( ... ))` and `[[ ... ]]`: only their substitutions run.
    Test,
}

/// `NAME=value` words before a command (or alone), and their array form `NAME=(a b)`.
#[derive(Debug, Clone)]
pub struct Assign {
    pub name: String,
    pub value: Word,
    pub array: Vec<Word>,
    /// The subscript of `name[index]=value`, whose substitutions run.
    pub index: Option<Word>,
    /// `name+=value`: appends.
    pub append: bool,
}

#[derive(Debug, Clone, Default)]
pub struct SimpleCommand {
    pub assigns: Vec<Assign>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

#[derive(Debug, Clone)]
pub struct Redirect {
    /// The explicit descriptor (`2>`), if any.
    pub fd: Option<u32>,
    pub op: RedirOp,
    /// The file (or descriptor) operand; for a here-string, the string.
    pub target: Word,
    /// For `<<` and `<<-`: the body, filled in when the parser reaches the end of the line.
    pub heredoc: Option<Rc<HereDoc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirOp {
    /// `<`
    In,
    /// `>`
    Out,
    /// `>|`
    Clobber,
    /// `>>`
    Append,
    /// `<>`
    ReadWrite,
    /// `&>` and `>&file`
    OutErr,
    /// `&>>`
    AppendErr,
    /// `>&N`, `<&N`, `>&-`
    Dup,
    /// `<<`, `<<-`
    HereDoc,
    /// `<<<`
    HereString,
}

impl RedirOp {
    /// Opening the target truncates it.
    pub fn truncates(self) -> bool {
        matches!(self, RedirOp::Out | RedirOp::Clobber | RedirOp::OutErr)
    }

    /// The target is opened for writing (truncating or appending).
    pub fn writes(self) -> bool {
        matches!(
            self,
            RedirOp::Out
                | RedirOp::Clobber
                | RedirOp::Append
                | RedirOp::OutErr
                | RedirOp::AppendErr
                | RedirOp::ReadWrite
        )
    }
}

/// A here-document body. `quoted` (the delimiter was quoted) means no expansion happens in it.
#[derive(Debug, Default)]
pub struct HereDoc {
    pub quoted: bool,
    /// The body as a word, filled in when the parser reaches it: its text as written (tabs
    /// stripped for `<<-`); with an unquoted delimiter, its substitutions run.
    pub body: OnceCell<Word>,
}

impl HereDoc {
    /// The body text as written.
    pub fn raw(&self) -> &str {
        self.body.get().map(Word::raw).unwrap_or("")
    }
}

/// A shell word: its source text and its parts.
///
/// Most words of a command are plain (`git`, `-rf`, `src/main.rs`: one unquoted literal that is its
/// own source text); they keep only that text, inline when short (see [`SmallStr`]), and a `Word`
/// is 24 bytes. The empty word (`Word::default()`) has no parts.
#[derive(Debug, Clone, Default)]
pub struct Word(WordRepr);

#[derive(Debug, Clone)]
enum WordRepr {
    /// One unquoted literal part, equal to the source text (no part when the text is empty).
    Plain(SmallStr),
    Parsed(Box<ParsedWord>),
}

impl Default for WordRepr {
    fn default() -> Self {
        WordRepr::Plain(SmallStr::new())
    }
}

#[derive(Debug, Clone)]
struct ParsedWord {
    raw: SmallStr,
    parts: Box<[Part]>,
}

/// A word's parts, borrowed or (for a plain word) made on the spot.
pub enum Parts<'a> {
    Plain(Part),
    Parsed(&'a [Part]),
}

impl Deref for Parts<'_> {
    type Target = [Part];
    fn deref(&self) -> &[Part] {
        match self {
            Parts::Plain(p) => std::slice::from_ref(p),
            Parts::Parsed(parts) => parts,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Part {
    /// Unquoted literal text (glob characters in it are live).
    Lit(SmallStr),
    /// Quoted or escaped literal text.
    Quoted(SmallStr),
    /// `$name`, `${name}`, `${name...}` (with `modifier` holding the rest, whose substitutions run).
    Param {
        name: String,
        modifier: Option<Box<Word>>,
        quoted: bool,
    },
    /// `$( ... )` or backticks; unquoted, its output is split into words.
    Subst { script: Script, quoted: bool },
    /// `<( ... )` or `>( ... )`.
    ProcSubst(Script),
    /// `$(( ... ))`
    Arith(Box<Word>),
    /// A leading `~` or `~user`.
    Tilde(String),
}

impl Word {
    /// A word from its source text and its parts.
    pub fn new(raw: impl Into<SmallStr>, parts: Vec<Part>) -> Word {
        let raw = raw.into();
        match parts.as_slice() {
            [Part::Lit(s)] if *s == raw && !raw.is_empty() => Word(WordRepr::Plain(raw)),
            [] if raw.is_empty() => Word::default(),
            _ => Word(WordRepr::Parsed(Box::new(ParsedWord {
                raw,
                parts: parts.into_boxed_slice(),
            }))),
        }
    }

    /// A plain word: unquoted literal text, its own source.
    pub fn plain_text(text: impl Into<SmallStr>) -> Word {
        Word(WordRepr::Plain(text.into()))
    }

    /// The word as written.
    pub fn raw(&self) -> &str {
        match &self.0 {
            WordRepr::Plain(raw) => raw,
            WordRepr::Parsed(w) => &w.raw,
        }
    }

    /// The word as written, taken out of it.
    pub fn into_raw(self) -> SmallStr {
        match self.0 {
            WordRepr::Plain(raw) => raw,
            WordRepr::Parsed(w) => w.raw,
        }
    }

    pub fn parts(&self) -> Parts<'_> {
        match &self.0 {
            WordRepr::Plain(raw) if raw.is_empty() => Parts::Parsed(&[]),
            WordRepr::Plain(raw) => Parts::Plain(Part::Lit(raw.clone())),
            WordRepr::Parsed(w) => Parts::Parsed(&w.parts),
        }
    }

    /// The parts, made owned (a plain word's one part included), for a word about to be changed.
    pub fn parts_mut(&mut self) -> &mut [Part] {
        if let WordRepr::Plain(raw) = &self.0 {
            let parts = self.parts().to_vec().into_boxed_slice();
            self.0 = WordRepr::Parsed(Box::new(ParsedWord {
                raw: raw.clone(),
                parts,
            }));
        }
        match &mut self.0 {
            WordRepr::Parsed(w) => &mut w.parts,
            WordRepr::Plain(_) => &mut [],
        }
    }

    /// The word's text when it is entirely literal (quotes removed); `None` when an expansion is in it.
    pub fn literal(&self) -> Option<String> {
        if let WordRepr::Plain(raw) = &self.0 {
            return Some(raw.to_string());
        }
        let mut out = String::new();
        for part in self.parts().iter() {
            match part {
                Part::Lit(s) | Part::Quoted(s) => out.push_str(s),
                _ => return None,
            }
        }
        Some(out)
    }

    /// An unquoted, unescaped literal: the only kind of word the shell takes as a reserved word.
    pub fn plain(&self) -> Option<&str> {
        self.plain_small().map(SmallStr::as_str)
    }

    /// [`Word::plain`] as the text is kept, for a copy that does not copy it again.
    pub fn plain_small(&self) -> Option<&SmallStr> {
        match &self.0 {
            WordRepr::Plain(raw) if raw.is_empty() => None,
            WordRepr::Plain(raw) => Some(raw),
            WordRepr::Parsed(w) => match &*w.parts {
                [Part::Lit(s)] => Some(s),
                _ => None,
            },
        }
    }

    pub fn is_plain(&self, s: &str) -> bool {
        self.plain() == Some(s)
    }
}
