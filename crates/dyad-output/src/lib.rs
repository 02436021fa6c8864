//! dyad's output stage: event writers for every format the field reads,
//! readers for round-trips, and event de-duplication.
//!
//! ```text
//! Event ─┬─> dedup::Deduper (optional: story | day | cluster)
//!        └─> writer(Format, out) -> Box<dyn EventSink> -> bytes
//! ```
//!
//! Formats (schemas in `docs/formats.md`):
//! - [`Format::Jsonl`]: dyad's own record, the superset (serde of [`Event`]);
//! - [`Format::Plover`]: PLOVER JSON records, one per line;
//! - [`Format::Gdelt`]: the GDELT 2.0 event table, 61 tab-separated columns;
//! - [`Format::Phoenix`]: the Phoenix 26-column tab-separated layout;
//! - [`Format::Csv`]: a flat table with a header, see [`flat::COLUMNS`];
//! - [`Format::Parquet`]: the same flat table as typed Parquet columns.
//!
//! Document facts an event does not carry (outlet, URL, publication time)
//! travel beside it as a [`DocMeta`]: see [`EventSink::write_with`].
//!
//! Writers never make values up: a field the event cannot fill is empty
//! (TSV/CSV) or null (JSON/Parquet). Negated events are skipped by the
//! formats that cannot mark negation (GDELT, Phoenix) and counted in the
//! [`WriteSummary`].
#![warn(missing_docs)]

pub mod actor;
mod common;
pub mod dedup;
pub mod flat;
mod gdelt;
mod jsonl;
mod parquet_io;
mod phoenix;
mod plover;
pub mod read;

use std::fmt;
use std::io::Write;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use dedup::{DedupMode, DedupOptions, Deduper};
pub use dyad_core::event::Event;
pub use gdelt::COLUMNS as GDELT_COLUMNS;
pub use phoenix::COLUMNS as PHOENIX_COLUMNS;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// dyad's JSON Lines records (the superset).
    Jsonl,
    /// PLOVER JSON records, one per line.
    Plover,
    /// The GDELT 2.0 event table (61 tab-separated columns, no header).
    Gdelt,
    /// The Phoenix layout (26 tab-separated columns, no header).
    Phoenix,
    /// A flat CSV table with a header row.
    Csv,
    /// The flat table as Parquet (Snappy-compressed).
    Parquet,
}

impl Format {
    /// Every format, in documentation order.
    pub const ALL: [Format; 6] = [
        Format::Jsonl,
        Format::Plover,
        Format::Gdelt,
        Format::Phoenix,
        Format::Csv,
        Format::Parquet,
    ];

    /// The name accepted by `--format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Plover => "plover",
            Format::Gdelt => "gdelt",
            Format::Phoenix => "phoenix",
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jsonl | Format::Plover => "jsonl",
            Format::Gdelt | Format::Phoenix => "tsv",
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }

    /// Whether the output is binary (not line-oriented text).
    pub fn is_binary(self) -> bool {
        self == Format::Parquet
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = OutputError;
    fn from_str(s: &str) -> Result<Format, OutputError> {
        let l = s.trim().to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.name() == l || (l == "json" && *f == Format::Jsonl))
            .ok_or_else(|| OutputError::UnknownFormat(s.to_string()))
    }
}

/// Facts about a source document that events do not carry themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocMeta {
    /// The document id (the events' `doc_id`).
    #[serde(alias = "id")]
    pub doc_id: String,
    /// The outlet (news source) name, e.g. `VOA`.
    #[serde(default, alias = "outlet", alias = "publisher")]
    pub source: Option<String>,
    /// The document URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Publication timestamp as given by the input (ISO 8601).
    #[serde(default)]
    pub published: Option<String>,
}

impl DocMeta {
    /// The outlet: `source` when given, else the host of `url` without a
    /// leading `www.`; `None` when neither is known.
    pub fn outlet(&self) -> Option<&str> {
        if let Some(s) = self.source.as_deref().filter(|s| !s.trim().is_empty()) {
            return Some(s.trim());
        }
        let url = self.url.as_deref()?;
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let host = rest.split(['/', '?', '#']).next()?;
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        let host = host.split(':').next()?;
        let host = host.strip_prefix("www.").unwrap_or(host);
        (!host.is_empty()).then_some(host)
    }
}

/// Options for the writers.
#[derive(Debug, Clone)]
pub struct WriterOptions {
    /// GDELT `DATEADDED` (`YYYYMMDDHHMMSS`, UTC): when the events were
    /// coded. The CLI passes the run's start time; `None` leaves the
    /// column empty so that output stays reproducible.
    pub date_added: Option<String>,
    /// Rows per Parquet row group (the Parquet writer buffers this many).
    pub parquet_row_group: usize,
}

impl Default for WriterOptions {
    fn default() -> Self {
        WriterOptions {
            date_added: None,
            parquet_row_group: 65_536,
        }
    }
}

/// What a writer did, returned by [`EventSink::finish`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteSummary {
    /// Records written.
    pub written: u64,
    /// Negated events skipped by a format that cannot mark negation.
    pub skipped_negated: u64,
    /// Events skipped because the format has no class for their code
    /// (PLOVER has none for CAMEO roots 01 and 02).
    pub skipped_unmapped: u64,
}

/// A streaming event writer.
pub trait EventSink {
    /// Writes one event with the facts of its (representative) document.
    fn write_with(&mut self, event: &Event, meta: Option<&DocMeta>) -> Result<(), OutputError>;

    /// Writes one event without document facts.
    fn write(&mut self, event: &Event) -> Result<(), OutputError> {
        self.write_with(event, None)
    }

    /// Flushes buffered rows, writes any footer and returns the counts.
    fn finish(self: Box<Self>) -> Result<WriteSummary, OutputError>;
}

/// Errors raised while writing.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Writing to the output failed.
    #[error("write error: {0}")]
    Io(#[from] std::io::Error),
    /// JSON serialisation failed.
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
    /// The CSV writer failed.
    #[error("CSV error: {0}")]
    Csv(#[from] csv::Error),
    /// The Parquet writer failed.
    #[error("Parquet error: {0}")]
    Parquet(#[from] ::parquet::errors::ParquetError),
    /// `--format` named no known format.
    #[error("unknown format {0:?} (expected jsonl, plover, gdelt, phoenix, csv or parquet)")]
    UnknownFormat(String),
    /// `--dedup` named no known mode.
    #[error("unknown dedup mode {0:?} (expected none, story, day or cluster)")]
    UnknownDedup(String),
}

/// Creates a writer for `format` on `out` with default options. Text
/// formats are buffered internally; pass an unbuffered `out`.
pub fn writer<'a, W: Write + Send + 'a>(
    format: Format,
    out: W,
) -> Result<Box<dyn EventSink + 'a>, OutputError> {
    writer_with(format, out, &WriterOptions::default())
}

/// Creates a writer for `format` on `out`.
pub fn writer_with<'a, W: Write + Send + 'a>(
    format: Format,
    out: W,
    opts: &WriterOptions,
) -> Result<Box<dyn EventSink + 'a>, OutputError> {
    Ok(match format {
        Format::Jsonl => Box::new(jsonl::JsonlSink::new(out)),
        Format::Plover => Box::new(plover::PloverSink::new(out)),
        Format::Gdelt => Box::new(gdelt::GdeltSink::new(out, opts)),
        Format::Phoenix => Box::new(phoenix::PhoenixSink::new(out)),
        Format::Csv => Box::new(flat::CsvSink::new(out)?),
        Format::Parquet => Box::new(parquet_io::ParquetSink::new(out, opts)?),
    })
}

/// Converts dyad JSON Lines events to `format`: every good record is
/// written, every bad one is returned as a [`read::ReadError`] (and
/// skipped). `metas` supplies document facts by `doc_id`.
pub fn convert_jsonl<'a, R: std::io::BufRead, W: Write + Send + 'a>(
    input: R,
    origin: &str,
    format: Format,
    out: W,
    opts: &WriterOptions,
    metas: &std::collections::HashMap<String, DocMeta>,
) -> Result<(WriteSummary, Vec<read::ReadError>), OutputError> {
    let mut sink = writer_with(format, out, opts)?;
    let mut bad = Vec::new();
    for rec in read::jsonl(input, origin) {
        match rec {
            Ok(e) => sink.write_with(&e, metas.get(&e.doc_id))?,
            Err(err) => bad.push(err),
        }
    }
    Ok((sink.finish()?, bad))
}

/// Whether an event is flagged negated.
pub(crate) fn is_negated(e: &Event) -> bool {
    e.modality.is_some_and(|m| m.negated)
}

/// The record id a format writes: the event's own `id`, else the
/// 1-based row number within this output.
pub(crate) fn record_id<'a>(e: &'a Event, row: u64, scratch: &'a mut String) -> &'a str {
    match e.id.as_deref() {
        Some(id) => id,
        None => {
            use std::fmt::Write as _;
            scratch.clear();
            let _ = write!(scratch, "{row}");
            scratch
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_by_name() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>().expect("parses"), f);
            assert_eq!(
                f.to_string().to_uppercase().parse::<Format>().expect("ci"),
                f
            );
        }
        let e = "xml".parse::<Format>().unwrap_err();
        assert!(e.to_string().contains("\"xml\""));
    }

    #[test]
    fn outlet_falls_back_to_the_url_host() {
        let m = DocMeta {
            doc_id: "1".into(),
            url: Some("https://www.voanews.com/a/x.html".into()),
            ..DocMeta::default()
        };
        assert_eq!(m.outlet(), Some("voanews.com"));
        let m = DocMeta {
            source: Some(" Reuters ".into()),
            ..m
        };
        assert_eq!(m.outlet(), Some("Reuters"));
        assert_eq!(DocMeta::default().outlet(), None);
    }
}
