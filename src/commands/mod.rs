//! The subcommands besides `hook`, one file each: judging a command by hand ([`check`]), replaying
//! fixtures ([`fixtures`], `so-hook test`), checking files ([`validate`], [`pack`]), the
//! coordinator's tools ([`coordinator`]: `scope`, `config`), the quality gate ([`gate`]), the
//! event summary ([`audit`]), installing the hook ([`install`]) and checking an installation
//! ([`doctor`]).

pub mod allow_once;
pub mod audit;
pub mod check;
pub mod coordinator;
pub mod doctor;
pub mod fixtures;
pub mod gate;
pub mod install;
pub mod pack;
pub mod send_event;
pub mod validate;
