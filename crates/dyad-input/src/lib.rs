//! Input readers for dyad's event coder.
//!
//! * [`xml`]: PETRARCH XML validation/record files (`<Sentences><Sentence …>` with `<Text>`,
//!   `<Parse>`, optional gold `<EventCoding>` lines and an `<Environment>` naming dictionaries).
//! * [`ptb`]: Penn Treebank bracketed trees.
//! * [`conllu`]: CoNLL-U token lines, inside XML `<Parse>` blocks or as plain `.conllu` files.
//!
//! Every reader is *record-tolerant*: a malformed record produces an [`InputError`] naming the
//! file, the line and the cause, the record is skipped (or marked bad), and the rest are read.
#![warn(missing_docs)]

pub mod conllu;
pub mod ptb;
pub mod xml;

pub use conllu::{read_conllu_file, read_conllu_str, ConlluSentence, ConlluToken};
pub use ptb::{PtbNode, PtbTree};
pub use xml::{
    read_petrarch_xml, read_petrarch_xml_str, Environment, GoldCoding, Parse, PetrarchXml, Record,
};

/// An input problem: which file, which line (1-based), which record (if known) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {}{cause}", record.as_ref().map(|r| format!("record {r}: ")).unwrap_or_default())]
pub struct InputError {
    /// File name (as given to the reader).
    pub file: String,
    /// 1-based line number in that file.
    pub line: usize,
    /// The record id, when the error belongs to one record.
    pub record: Option<String>,
    /// Human-readable cause.
    pub cause: String,
}

impl InputError {
    /// Builds an error.
    pub fn new(file: &str, line: usize, cause: impl Into<String>) -> Self {
        InputError {
            file: file.to_string(),
            line,
            record: None,
            cause: cause.into(),
        }
    }
    /// Attaches a record id.
    pub fn with_record(mut self, id: &str) -> Self {
        self.record = Some(id.to_string());
        self
    }
}

/// Fatal reader errors (the file as a whole could not be read).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("{file}: cannot read: {source}")]
    Io {
        /// File name.
        file: String,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
}
