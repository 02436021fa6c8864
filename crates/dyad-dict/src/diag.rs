//! Diagnostics: what a reader skipped or repaired, and where.

use std::fmt;
use std::sync::Arc;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Informational: the line was read as written, but is worth a look
    /// (e.g. a lint finding such as a duplicate entry).
    Info,
    /// The line was repaired (read with a documented guess) or skipped
    /// because it cannot have any effect.
    Warning,
    /// The line (or entry) was skipped because it is wrong: an unknown CAMEO
    /// code, a malformed code, an unparseable pattern.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One report about one line of one dictionary file.
///
/// Displays as `file:line: cause` (the severity is available separately).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file's name as given to the loader (usually its path).
    pub file: Arc<str>,
    /// 1-based line number; 0 when the diagnostic concerns the whole file.
    pub line: u32,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong and what the reader did about it.
    pub cause: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.cause)
    }
}

/// Collects diagnostics for one file.
#[derive(Debug, Clone)]
pub(crate) struct Sink {
    pub file: Arc<str>,
    pub diags: Vec<Diagnostic>,
}

impl Sink {
    pub fn new(file: Arc<str>) -> Sink {
        Sink {
            file,
            diags: Vec::new(),
        }
    }

    pub fn push(&mut self, line: u32, severity: Severity, cause: impl Into<String>) {
        self.diags.push(Diagnostic {
            file: self.file.clone(),
            line,
            severity,
            cause: cause.into(),
        });
    }

    pub fn warn(&mut self, line: u32, cause: impl Into<String>) {
        self.push(line, Severity::Warning, cause);
    }

    pub fn error(&mut self, line: u32, cause: impl Into<String>) {
        self.push(line, Severity::Error, cause);
    }
}

/// Counts diagnostics of at least the given severity.
pub fn count_at_least(diags: &[Diagnostic], severity: Severity) -> usize {
    diags.iter().filter(|d| d.severity >= severity).count()
}
