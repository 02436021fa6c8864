//! Store errors.

/// Everything the store can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file could not be opened.
    #[error("cannot open event database {path}: {source}")]
    Open {
        /// The path given.
        path: String,
        /// SQLite's reason.
        source: rusqlite::Error,
    },
    /// The database has an unexpected schema.
    #[error("event database schema: {0}")]
    Schema(String),
    /// A filter value is malformed (bad date, role, cursor or FTS query).
    #[error("bad filter: {0}")]
    BadFilter(String),
    /// A stored row could not be decoded.
    #[error("corrupt {what}: {cause}")]
    Corrupt {
        /// Which row.
        what: String,
        /// Why.
        cause: String,
    },
    /// Any other SQLite failure.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Reading an input file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}
