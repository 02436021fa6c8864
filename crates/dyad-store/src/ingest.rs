//! Ingest: read documents, code them with an injected coder and commit them
//! in batches. Every committed batch survives a crash of the process; a
//! re-run replaces documents by `doc_id`, so nothing is stored twice.

use std::path::Path;
use std::time::Instant;

use dyad_core::event::Event;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::{Deserialize, Serialize};

use crate::coder::{CodedDocument, DocumentCoder, IncomingDocument};
use crate::error::StoreError;
use crate::store::{Filter, Store};

/// A document that could not be read or coded: reported and skipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngestError {
    /// Where: `file`, `file:line` or the document id.
    pub origin: String,
    /// Why.
    pub message: String,
}

impl std::fmt::Display for IngestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.origin, self.message)
    }
}

/// Ingest settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestOptions {
    /// Documents per transaction (at least 1).
    pub batch_size: usize,
    /// Draw an `indicatif` progress bar on stderr (hidden anyway when
    /// stderr is not a terminal).
    pub progress_bar: bool,
    /// Expected number of documents, for the bar's length.
    pub expected: Option<u64>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            batch_size: 64,
            progress_bar: true,
            expected: None,
        }
    }
}

/// Progress after each committed batch.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IngestProgress {
    /// Documents committed so far.
    pub documents: u64,
    /// Sentences committed so far.
    pub sentences: u64,
    /// Events committed so far.
    pub events: u64,
    /// Documents skipped so far.
    pub errors: u64,
    /// The ids of the documents committed by this batch.
    pub committed: Vec<String>,
}

/// The final report of an ingest run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IngestSummary {
    /// Documents stored.
    pub documents: u64,
    /// Of those, documents that replaced an earlier version.
    pub replaced: u64,
    /// Sentences stored.
    pub sentences: u64,
    /// Events stored.
    pub events: u64,
    /// Documents skipped, with the reason.
    pub errors: Vec<IngestError>,
    /// Wall time, seconds.
    pub elapsed_secs: f64,
    /// Documents per second.
    pub docs_per_sec: f64,
    /// Sentences per second.
    pub sentences_per_sec: f64,
}

impl std::fmt::Display for IngestSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} documents ({} replaced), {} sentences, {} events, {} errors in {:.2}s ({:.0} docs/s, {:.0} sentences/s)",
            self.documents,
            self.replaced,
            self.sentences,
            self.events,
            self.errors.len(),
            self.elapsed_secs,
            self.docs_per_sec,
            self.sentences_per_sec
        )
    }
}

/// Code and store `docs`. Input and coding errors are collected in the
/// summary (and the document skipped); only a failing database stops the
/// run. `on_progress` is called after every commit.
pub fn ingest<I>(
    docs: I,
    store: &mut Store,
    coder: &dyn DocumentCoder,
    opts: &IngestOptions,
    on_progress: &mut dyn FnMut(&IngestProgress),
) -> Result<IngestSummary, StoreError>
where
    I: IntoIterator<Item = Result<IncomingDocument, IngestError>>,
{
    let started = Instant::now();
    let bar = if opts.progress_bar {
        let target = ProgressDrawTarget::stderr();
        let bar = match opts.expected {
            Some(n) => ProgressBar::with_draw_target(Some(n), target),
            None => ProgressBar::with_draw_target(None, target),
        };
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} docs {per_sec} {msg}",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let batch_size = opts.batch_size.max(1);
    let mut summary = IngestSummary::default();
    let mut progress = IngestProgress::default();
    let mut batch: Vec<CodedDocument> = Vec::with_capacity(batch_size);

    let mut flush = |batch: &mut Vec<CodedDocument>,
                     summary: &mut IngestSummary,
                     progress: &mut IngestProgress|
     -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        let out = store.put_documents(batch)?;
        summary.documents += out.documents;
        summary.replaced += out.replaced;
        summary.sentences += out.sentences;
        summary.events += out.events;
        progress.documents = summary.documents;
        progress.sentences = summary.sentences;
        progress.events = summary.events;
        progress.errors = summary.errors.len() as u64;
        progress.committed = batch.drain(..).map(|d| d.doc_id).collect();
        bar.set_position(summary.documents + summary.errors.len() as u64);
        bar.set_message(format!("{} events", summary.events));
        on_progress(progress);
        Ok(())
    };

    // Documents are coded `batch_size` at a time (`DocumentCoder::code_batch`,
    // which may use several threads) and stored in input order.
    let mut docs = docs.into_iter();
    loop {
        let mut pending: Vec<IncomingDocument> = Vec::with_capacity(batch_size);
        let mut origins: Vec<String> = Vec::with_capacity(batch_size);
        for item in docs.by_ref() {
            let doc = match item {
                Ok(d) => d,
                Err(e) => {
                    bar.println(format!("skipped {e}"));
                    summary.errors.push(e);
                    continue;
                }
            };
            let origin = doc
                .origin
                .clone()
                .or_else(|| doc.doc_id.clone())
                .unwrap_or_else(|| "<document>".into());
            if doc.text.trim().is_empty() {
                let e = IngestError {
                    origin,
                    message: "empty document text".into(),
                };
                bar.println(format!("skipped {e}"));
                summary.errors.push(e);
                continue;
            }
            pending.push(doc);
            origins.push(origin);
            if pending.len() >= batch_size {
                break;
            }
        }
        if pending.is_empty() {
            break;
        }
        for (origin, result) in origins.into_iter().zip(coder.code_batch(pending)) {
            match result {
                Ok(coded) => {
                    batch.push(coded);
                    if batch.len() >= batch_size {
                        flush(&mut batch, &mut summary, &mut progress)?;
                    }
                }
                Err(message) => {
                    let e = IngestError { origin, message };
                    bar.println(format!("skipped {e}"));
                    summary.errors.push(e);
                }
            }
        }
    }
    flush(&mut batch, &mut summary, &mut progress)?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    summary.elapsed_secs = secs;
    if secs > 0.0 {
        summary.docs_per_sec = summary.documents as f64 / secs;
        summary.sentences_per_sec = summary.sentences as f64 / secs;
    }
    Ok(summary)
}

/// Every event in the database at `db` matching `filter`, newest first
/// (`filter.limit` is ignored: all pages are read).
pub fn query(db: &Path, filter: &Filter) -> Result<Vec<Event>, StoreError> {
    if !db.exists() {
        return Err(StoreError::Io {
            path: db.display().to_string(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such event database"),
        });
    }
    let store = Store::open_read_only(db)?;
    Ok(store
        .query_all(filter)?
        .into_iter()
        .map(|s| s.event)
        .collect())
}
