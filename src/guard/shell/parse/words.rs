//! Simple commands and their words: assignments, redirections, quoting, `$` expansions and
//! substitutions (parsed by a nested parser), backticks, and ANSI-C escapes.

use super::*;

impl Parser<'_> {
    pub(super) fn simple(&mut self) -> Result<Option<Command>, Limit> {
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
    pub(super) fn assignment_ahead(&mut self) -> Option<usize> {
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

    pub(super) fn assignment(&mut self, len: usize) -> Result<Assign, Limit> {
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

    pub(super) fn at_redirect(&mut self) -> bool {
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

    pub(super) fn redirect(&mut self) -> Result<Redirect, Limit> {
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

    pub(super) fn word(&mut self, mode: Mode) -> Result<Word, Limit> {
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
    pub(super) fn double_quoted(
        &mut self,
        parts: &mut Vec<Part>,
        term: Option<u8>,
    ) -> Result<(), Limit> {
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

    pub(super) fn dollar(&mut self, parts: &mut Vec<Part>, quoted: bool) -> Result<(), Limit> {
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

    pub(super) fn backtick(&mut self, parts: &mut Vec<Part>, quoted: bool) -> Result<(), Limit> {
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
pub(super) fn flush(lit: &mut Vec<u8>, parts: &mut Vec<Part>, quoted: bool) -> bool {
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
