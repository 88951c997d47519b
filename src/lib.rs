//! so-hook: a fast, fail-closed PreToolUse hook for AI coding agents.
//!
//! A call flows through four parts, in order:
//!
//! 1. [`hook`], the engine: [`hook::dialect`] decodes the platform's payload into a normalized
//!    [`hook::call::ToolCall`]; [`hook::evaluate`] judges it (pure) into a
//!    [`hook::decision::Decision`]; [`hook::dialect`] encodes the answer. [`hook::answer`] is that
//!    pipeline, and [`hook::apply`] does the side effects it lists (events, notices, the
//!    type-check), in the hook process only.
//! 2. [`guard`], the command guard: it parses the shell ([`guard::shell`]) and judges every
//!    command that would run.
//! 3. [`project`], what a call is judged against: the project root, the wave manifests
//!    ([`project::manifest`]), the policy ([`project::policy`]), the Session Config
//!    ([`project::config`]), and paths and scope ([`project::paths`], [`project::scope`]).
//! 4. [`commands`], every subcommand but `hook`, one file each; [`cli`] reads the command line.
//!
//! The platforms differ only at the two ends of [`hook`].
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

pub mod atomic;
pub mod cli;
pub mod commands;
pub mod guard;
pub mod hook;
pub mod project;
pub mod sha256;
pub mod small;
