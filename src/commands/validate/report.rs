//! What `so-hook validate` finds and how it is told: a [`Diagnostic`] per place in a file, placed
//! by JSON pointer while checking, printed as `file:line:column: severity: message` or as JSON.

use super::positions::positions;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One finding about one place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    /// `error: message`, for text that is not in a file yet.
    pub fn message_without_place(&self) -> String {
        match self.severity {
            Severity::Warning => format!("warning: {}", self.message),
            Severity::Error => format!("error: {}", self.message),
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            f,
            "{}:{}:{}: {sev}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// Collects diagnostics for one JSON file, placing each at a JSON pointer.
pub(super) struct Report<'a> {
    file: &'a Path,
    at: HashMap<String, (usize, usize)>,
    pub(super) out: Vec<Diagnostic>,
}

impl<'a> Report<'a> {
    /// A report on `text`, the contents of `file` (valid JSON).
    pub(super) fn new(file: &'a Path, text: &str) -> Self {
        Report {
            file,
            at: positions(text),
            out: Vec::new(),
        }
    }
    fn push(&mut self, pointer: &str, severity: Severity, message: String) {
        // The nearest enclosing value that has a position.
        let mut p = pointer.to_string();
        let (line, column) = loop {
            if let Some(pos) = self.at.get(&p) {
                break *pos;
            }
            match p.rfind('/') {
                Some(i) => p.truncate(i),
                None => break (1, 1),
            }
        };
        self.out.push(Diagnostic {
            file: self.file.to_path_buf(),
            line,
            column,
            severity,
            message,
        });
    }
    pub(super) fn error(&mut self, pointer: &str, message: String) {
        self.push(pointer, Severity::Error, message);
    }
    pub(super) fn warn(&mut self, pointer: &str, message: String) {
        self.push(pointer, Severity::Warning, message);
    }
}

/// A JSON syntax or shape error from serde, at its own position.
pub(super) fn syntax(file: &Path, e: &serde_json::Error) -> Diagnostic {
    let mut msg = e.to_string();
    if let Some(i) = msg.rfind(" at line ") {
        msg.truncate(i);
    }
    Diagnostic {
        file: file.to_path_buf(),
        line: e.line().max(1),
        column: e.column().max(1),
        severity: Severity::Error,
        message: format!("not valid JSON: {msg}"),
    }
}

/// A file that cannot be read.
pub(super) fn unreadable(file: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic {
        file: file.to_path_buf(),
        line: 1,
        column: 1,
        severity: Severity::Error,
        message: format!("cannot be read: {e}"),
    }
}

/// Prints diagnostics and a summary (or one JSON object); returns 1 when there is an error.
pub(super) fn print(
    all: &[Diagnostic],
    targets: &[(PathBuf, &str)],
    files: usize,
    json_out: bool,
) -> i32 {
    let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = all.len() - errors;
    if json_out {
        let items: Vec<Value> = all
            .iter()
            .map(|d| {
                json!({"file": d.file.display().to_string(), "line": d.line, "column": d.column,
                       "severity": if d.severity == Severity::Error { "error" } else { "warning" },
                       "message": d.message})
            })
            .collect();
        let checked: Vec<Value> = targets
            .iter()
            .map(|(f, k)| json!({"file": f.display().to_string(), "kind": k}))
            .collect();
        println!(
            "{}",
            json!({"checked": checked, "errors": errors, "warnings": warnings, "diagnostics": items})
        );
    } else {
        for d in all {
            println!("{d}");
        }
        println!(
            "{files} file{} checked: {errors} error{}, {warnings} warning{}",
            if files == 1 { "" } else { "s" },
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
        );
    }
    i32::from(errors > 0)
}
