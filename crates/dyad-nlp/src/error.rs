//! Error types.

use std::path::PathBuf;
use thiserror::Error;

/// One bad line in a CoNLL-U file. The sentence containing it is skipped.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{file}:{line}: {cause}")]
pub struct ConlluError {
    /// File name (or a label for in-memory text).
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with the line.
    pub cause: String,
}

/// Errors from the NLP crate.
#[derive(Debug, Error)]
pub enum NlpError {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// Writing output failed.
    #[error("write error: {0}")]
    Write(#[from] std::io::Error),
    /// A CoNLL-U error that prevents the whole operation (e.g. no usable sentence).
    #[error(transparent)]
    Conllu(#[from] ConlluError),
    /// The model file is malformed.
    #[error("model {what}: bad format at byte {offset}: {cause}")]
    Format {
        /// Model path or label.
        what: String,
        /// Byte offset where the problem was found.
        offset: usize,
        /// What is wrong.
        cause: String,
    },
    /// Training could not proceed.
    #[error("training: {0}")]
    Train(String),
}
