//! The bodies of compound commands: function bodies, `for` headers, `case` items, and the words
//! of `[[ ... ]]`.

use super::*;

impl Parser<'_> {
    pub(super) fn function_body(&mut self, name: String) -> Result<Option<Command>, Limit> {
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
    pub(super) fn for_header(&mut self) -> Result<Vec<Word>, Limit> {
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

    pub(super) fn case_body(&mut self) -> Result<(Script, Vec<Word>), Limit> {
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
    pub(super) fn cond_words(&mut self) -> Result<Vec<Word>, Limit> {
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
}
