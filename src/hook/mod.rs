//! The hook engine: a payload in, an answer out.
//!
//! [`dialect`] decodes a platform's payload into a normalized [`call::ToolCall`]; [`evaluate`]
//! judges it (pure: it reads the project, it writes nothing) into a [`decision::Decision`];
//! [`dialect`] encodes that for the platform. What the hook does besides answering (recording
//! events, keeping a notice for the next call, running the type-check) comes back from [`answer`]
//! as [`SideEffect`]s, which only the hook process applies ([`apply`]).

pub mod call;
pub mod decision;
pub mod dialect;
pub mod evaluate;
pub(crate) mod events;
pub mod patch;
pub(crate) mod sink;
pub(crate) mod typecheck;
