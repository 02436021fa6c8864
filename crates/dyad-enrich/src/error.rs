//! Errors of the enrichment stage.

use thiserror::Error;

/// What can go wrong while loading enrichment data or reading dates.
#[derive(Debug, Error)]
pub enum EnrichError {
    /// A data file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A bad line in the gazetteer data file.
    #[error("{file}:{line}: {cause}")]
    Gazetteer {
        /// The file (or `builtin`).
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        cause: String,
    },
    /// A publication date that could not be read.
    #[error("unrecognised date `{0}` (expected e.g. 2008-08-01, 20080801, 2025-03-14 20:30:26Z, Aug 8, 2023)")]
    BadDate(String),
}
