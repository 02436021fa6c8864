//! Error types.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// A failure that stops reading an input altogether (the file cannot be read).
/// Problems inside an input are [`InputError`]s instead.
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    /// The file could not be opened or read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// How serious an [`InputError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Severity {
    /// The record or document was skipped.
    Error,
    /// The input was read, but something was repaired or looks odd
    /// (e.g. invalid UTF-8 replaced by U+FFFD, an empty file).
    Warning,
}

/// A problem with one record or document of an input. Reading goes on.
/// Displays as `file:line: cause` (JSON Lines) or `file: byte N: cause`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    /// The input's name (its path, or the name given to `read_str`).
    pub file: String,
    /// 1-based line number, for line-oriented inputs.
    pub line: Option<usize>,
    /// Byte offset in the input (in the line, when `line` is set).
    pub byte: Option<usize>,
    /// Skipped (`Error`) or repaired (`Warning`).
    pub severity: Severity,
    /// What is wrong.
    pub cause: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if let Some(b) = self.byte {
            write!(f, ": byte {b}")?;
        }
        let sev = match self.severity {
            Severity::Error => "",
            Severity::Warning => "warning: ",
        };
        write!(f, ": {sev}{}", self.cause)
    }
}

impl std::error::Error for InputError {}
