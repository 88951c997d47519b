//! so-hook: a fast, fail-closed PreToolUse hook for AI coding agents.
//!
//! A call flows through the modules in order:
//!
//! 1. [`dialect`] decodes the platform's payload into a normalized [`call::ToolCall`];
//! 2. [`evaluate`] judges it against the project: the wave manifests ([`manifest`]), the project
//!    policy ([`policy`]), the edit scope ([`scope`]) and the command guard ([`guard`], which parses
//!    the shell with [`shell`]);
//! 3. the result is a [`decision::Decision`], which [`dialect`] encodes for the platform.
//!
//! The platforms differ only at the two ends.
//!
//! ```
//! use so_hook::hook::call::{Platform, Tool, ToolCall};
//! use so_hook::hook::decision::Verdict;
//! use so_hook::hook::evaluate::evaluate;
//! use so_hook::project::Environment;
//!
//! let root = std::path::PathBuf::from("/nonexistent/so-hook-example");
//! let call = |command: &str| ToolCall {
//!     platform: Platform::Claude,
//!     tool: Tool::Shell { command: command.into() },
//!     agent_id: None,
//!     root: root.clone(),
//!     cwd: root.clone(),
//! };
//! let env = Environment::default();
//!
//! let d = evaluate(&call("ls; sudo git -C . push origin +main"), &env);
//! assert_eq!(d.verdict(), Verdict::Deny);
//! assert_eq!(d.primary().unwrap().rule, "git-push-force");
//!
//! assert_eq!(evaluate(&call("git commit -m 'stop rm -rf /'"), &env).verdict(), Verdict::Allow);
//! ```

pub mod cli;
pub mod commands;
pub mod guard;
pub mod hook;
pub mod project;
pub mod sha256;
pub(crate) mod small;
