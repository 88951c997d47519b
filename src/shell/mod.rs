//! Shell programs: the syntax tree and the parser.

mod ast;
mod parse;

pub use ast::*;
pub use parse::{MAX_DEPTH, Parsed, TooDeep, parse};

#[cfg(test)]
mod tests;
