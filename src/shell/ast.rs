//! The shape of a parsed shell program.
//!
//! The tree keeps what the guard needs to judge a command and nothing more: control flow is kept only
//! as far as it matters (which commands run, what feeds their standard input, where `cd` holds), and
//! every word keeps both its source text and its parts, so the guard can tell `"rm"` (still rm) from
//! `$(rm -rf x)` (code that runs) and `'rm -rf x'` (data).

use std::cell::OnceCell;
use std::rc::Rc;

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
    pub body: OnceCell<HereBody>,
}

#[derive(Debug, Clone)]
pub struct HereBody {
    /// The body text as written (tabs stripped for `<<-`).
    pub raw: String,
    /// The body as a word: with an unquoted delimiter, its substitutions run.
    pub word: Word,
}

impl HereDoc {
    pub fn raw(&self) -> &str {
        self.body.get().map(|b| b.raw.as_str()).unwrap_or("")
    }
}

/// A shell word: its source text and its parts.
#[derive(Debug, Clone, Default)]
pub struct Word {
    pub parts: Vec<Part>,
    pub raw: String,
}

#[derive(Debug, Clone)]
pub enum Part {
    /// Unquoted literal text (glob characters in it are live).
    Lit(String),
    /// Quoted or escaped literal text.
    Quoted(String),
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
    /// The word's text when it is entirely literal (quotes removed); `None` when an expansion is in it.
    pub fn literal(&self) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Lit(s) | Part::Quoted(s) => out.push_str(s),
                _ => return None,
            }
        }
        Some(out)
    }

    /// An unquoted, unescaped literal: the only kind of word the shell takes as a reserved word.
    pub fn plain(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [Part::Lit(s)] => Some(s),
            _ => None,
        }
    }

    pub fn is_plain(&self, s: &str) -> bool {
        self.plain() == Some(s)
    }
}
