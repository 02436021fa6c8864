//! The pipeline behind the store and the server: an implementation of
//! [`dyad_store::DocumentCoder`], so `dyad ingest` and `dyad serve` code
//! documents exactly as `dyad code` does.

use std::path::PathBuf;

use dyad_store::{CodedDocument as StoredDocument, DocumentCoder, IncomingDocument, IngestError};
use dyad_text::Document;

use crate::{Pipeline, Workers};

/// Turns an incoming document (file, JSONL record or HTTP body) into a
/// text document, detecting its title, byline and dateline.
pub fn to_document(doc: &IncomingDocument) -> Document {
    let id = doc
        .doc_id
        .clone()
        .unwrap_or_else(|| dyad_store::text_doc_id(&doc.text));
    let mut d = Document::new(id, doc.text.clone());
    d.date = doc.published.as_deref().map(dyad_text::normalise_date);
    d.source = doc.source.clone();
    d.title = doc.title.clone();
    d.detect_front_matter();
    if d.title.is_none() {
        d.title = doc.title.clone();
    }
    d
}

/// Converts a read document into the store's incoming-document form.
pub fn from_document(doc: &Document, origin: &str) -> IncomingDocument {
    IncomingDocument {
        doc_id: Some(doc.id.clone()),
        text: doc.text.clone(),
        published: doc.date.clone(),
        source: doc.source.clone(),
        title: doc.title.clone(),
        origin: Some(origin.to_string()),
    }
}

impl DocumentCoder for Pipeline {
    fn code(&self, doc: IncomingDocument) -> Result<StoredDocument, String> {
        code_incoming(self, &doc)
    }
}

/// The pipeline on worker threads, for the store: `code_batch` codes a
/// batch's documents in parallel ([`Workers`]), with exactly the results
/// of coding them one by one.
pub struct ParallelPipeline<'a> {
    /// The pipeline.
    pub pipe: &'a Pipeline,
    /// The threads.
    pub workers: &'a Workers,
}

impl DocumentCoder for ParallelPipeline<'_> {
    fn code(&self, doc: IncomingDocument) -> Result<StoredDocument, String> {
        code_incoming(self.pipe, &doc)
    }
    fn code_batch(&self, docs: Vec<IncomingDocument>) -> Vec<Result<StoredDocument, String>> {
        self.workers.map(&docs, |d| code_incoming(self.pipe, d))
    }
}

/// [`DocumentCoder::code`] for the pipeline.
fn code_incoming(pipe: &Pipeline, doc: &IncomingDocument) -> Result<StoredDocument, String> {
    if doc.text.trim().is_empty() {
        return Err("empty document".into());
    }
    let d = to_document(doc);
    let coded = pipe.code_document(&d);
    Ok(StoredDocument {
        doc_id: d.id.clone(),
        text: d.text,
        published: d.date,
        source: d.source,
        title: d.title,
        sentences: coded
            .sentences
            .into_iter()
            .map(|s| dyad_store::SentenceRecord {
                sentence_id: s.id,
                start: s.start,
                end: s.end,
                text: s.text,
            })
            .collect(),
        events: coded.events,
    })
}

/// Reads files (text, JSON Lines, HTML, by extension or content) with the
/// same readers as `dyad code`, for the store's ingest. Every unreadable
/// file and bad record becomes an error naming it (`file:line: cause`);
/// the good documents of the same file still come through.
pub fn read_incoming(
    paths: &[PathBuf],
) -> impl Iterator<Item = Result<IncomingDocument, IngestError>> + '_ {
    paths.iter().flat_map(|f| {
        let origin = f.display().to_string();
        match dyad_text::read_path(f, dyad_text::InputFormat::Auto) {
            Ok(got) => {
                let mut v: Vec<Result<IncomingDocument, IngestError>> = got
                    .errors
                    .iter()
                    .filter(|e| e.severity == dyad_text::Severity::Error)
                    .map(|e| {
                        Err(IngestError {
                            origin: origin.clone(),
                            message: e.to_string(),
                        })
                    })
                    .collect();
                v.extend(got.docs.iter().map(|d| Ok(from_document(d, &origin))));
                v
            }
            Err(e) => vec![Err(IngestError {
                origin,
                message: e.to_string(),
            })],
        }
    })
}
