//! Shell programs: the syntax tree and the parser.

mod ast;
mod parse;

pub use ast::*;
pub use parse::{Limit, MAX_DEPTH, MAX_PARSED, Parsed, ansi_c, parse};

#[cfg(test)]
mod tests;
