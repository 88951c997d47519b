//! How a command is shown in a reason: its words as written (capped), and a command's name.

use super::expand::Arg;
use super::shell::{RedirOp, Redirect, Word};
use crate::hook::decision::{clamp, head};

/// command is not copied.
const MAX_DISPLAY: usize = 300;

/// Adds `piece` to a display after a blank; false once the display is past [`MAX_DISPLAY`] (what
/// follows would be cut anyway).
#[inline(always)]
fn show(s: &mut String, piece: &str) -> bool {
    if s.len() > MAX_DISPLAY {
        return false;
    }
    if !s.is_empty() {
        s.push(' ');
    }
    s.push_str(head(piece, MAX_DISPLAY + 1));
    true
}

pub(super) fn display_of(words: &[Word], redirects: &[Redirect]) -> String {
    // Most commands are short: room for them at once, not grown word by word.
    let mut s = String::with_capacity(64);
    for w in words {
        if !show(&mut s, w.raw()) {
            return clamp(&s, MAX_DISPLAY);
        }
    }
    for r in redirects.iter().filter(|r| r.op != RedirOp::HereDoc) {
        let op = match r.op {
            RedirOp::In => "<",
            RedirOp::Out => ">",
            RedirOp::Clobber => ">|",
            RedirOp::Append => ">>",
            RedirOp::ReadWrite => "<>",
            RedirOp::OutErr => "&>",
            RedirOp::AppendErr => "&>>",
            RedirOp::Dup => ">&",
            RedirOp::HereDoc => "<<",
            RedirOp::HereString => "<<<",
        };
        let op: std::borrow::Cow<str> = match r.fd {
            Some(fd) => format!("{fd}{op}").into(),
            None => op.into(),
        };
        if !(show(&mut s, &op) && show(&mut s, r.target.raw())) {
            break;
        }
    }
    clamp(&s, MAX_DISPLAY)
}

/// A command name without its directory (`/bin/rm` is `rm`).
pub(crate) fn command_name(word: &str) -> &str {
    match memchr::memrchr(b'/', word.as_bytes()) {
        Some(i) => &word[i + 1..],
        None => word,
    }
}

/// Arguments joined by spaces (a value, not for display).
pub(crate) fn join_args(words: &[Arg]) -> String {
    let mut s = String::with_capacity(words.iter().map(|a| a.text.len() + 1).sum());
    for (i, a) in words.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&a.text);
    }
    s
}

pub(super) fn display_args(words: &[Arg]) -> String {
    let mut s = String::new();
    for a in words {
        if !show(&mut s, &a.text) {
            break;
        }
    }
    clamp(&s, MAX_DISPLAY)
}
