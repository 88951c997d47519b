//! Shell programs: the syntax tree and the parser.

mod ast;
mod parse;

pub use ast::*;
pub use parse::{MAX_DEPTH, Parsed, TooDeep, ansi_c, parse};

#[cfg(test)]
mod tests;
