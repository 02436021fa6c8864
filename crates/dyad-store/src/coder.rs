//! The injected coder interface: what goes into the store and what comes out
//! of the coding pipeline.
//!
//! The store and the server never depend on the real pipeline; the `dyad`
//! crate implements [`DocumentCoder`] and hands it to [`crate::ingest()`] or
//! to `dyad_server::serve`.

use dyad_core::event::Event;
use serde::{Deserialize, Serialize};

/// A raw document to be coded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IncomingDocument {
    /// Document id. When absent the coder (or the server) derives one from
    /// the text so that re-sending the same text replaces it.
    #[serde(default, alias = "id")]
    pub doc_id: Option<String>,
    /// The full original text.
    pub text: String,
    /// Publication date or timestamp as given (`YYYY-MM-DD...`).
    #[serde(default, alias = "date")]
    pub published: Option<String>,
    /// The outlet or feed the document came from.
    #[serde(default)]
    pub source: Option<String>,
    /// Headline, if known.
    #[serde(default)]
    pub title: Option<String>,
    /// Where the document was read from (file name, URL), for error messages.
    #[serde(default)]
    pub origin: Option<String>,
}

/// One sentence of a coded document, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentenceRecord {
    /// Sentence id, the same string as [`Event::sentence_id`].
    pub sentence_id: String,
    /// Character offset of the sentence's first character in the document.
    pub start: usize,
    /// Character offset one past the sentence's last character.
    pub end: usize,
    /// The sentence text (the document's characters `start..end`).
    pub text: String,
}

/// The coder's output for one document: what the store keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodedDocument {
    /// Document id (the replacement key).
    pub doc_id: String,
    /// The original text.
    pub text: String,
    /// Publication date as given.
    pub published: Option<String>,
    /// Outlet.
    pub source: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Every sentence of the document (coded or not).
    pub sentences: Vec<SentenceRecord>,
    /// The coded events; each `sentence_id` should name one of `sentences`.
    pub events: Vec<Event>,
}

/// Turns raw documents into events. Implemented by the real pipeline in the
/// `dyad` crate and by test doubles in tests.
pub trait DocumentCoder: Send + Sync {
    /// Code one document. An `Err` is reported and the document skipped.
    fn code(&self, doc: IncomingDocument) -> Result<CodedDocument, String>;

    /// Code several documents; the results in the documents' order. The
    /// default codes them one by one; an implementation may spread them
    /// over threads but must return exactly what [`DocumentCoder::code`]
    /// gives for each.
    fn code_batch(&self, docs: Vec<IncomingDocument>) -> Vec<Result<CodedDocument, String>> {
        docs.into_iter().map(|d| self.code(d)).collect()
    }
}

impl<T: DocumentCoder + ?Sized> DocumentCoder for std::sync::Arc<T> {
    fn code(&self, doc: IncomingDocument) -> Result<CodedDocument, String> {
        (**self).code(doc)
    }
    fn code_batch(&self, docs: Vec<IncomingDocument>) -> Vec<Result<CodedDocument, String>> {
        (**self).code_batch(docs)
    }
}

impl<T: DocumentCoder + ?Sized> DocumentCoder for &T {
    fn code(&self, doc: IncomingDocument) -> Result<CodedDocument, String> {
        (**self).code(doc)
    }
    fn code_batch(&self, docs: Vec<IncomingDocument>) -> Vec<Result<CodedDocument, String>> {
        (**self).code_batch(docs)
    }
}

/// A stable document id derived from the text (FNV-1a 64, hex), used when a
/// document arrives without one.
pub fn text_doc_id(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("doc-{h:016x}")
}
