//! The integration tests, in one binary (one link of the crate instead of twenty): the real
//! binary end to end, the corpora, the fixtures and the real-world sets.

mod common;

mod allow_once;
mod check;
mod coordinator;
mod corpus;
mod dialects;
mod doctor;
mod events;
mod fixture_runner;
mod gate_audit;
mod hook;
mod install;
mod man;
mod pack;
mod pack_text;
mod properties;
mod realworld;
mod scope;
mod session_dry_run;
mod shell_writes;
mod sink;
mod typecheck;
mod wave;
mod wiring;
