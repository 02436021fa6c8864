//! Readers for dyad's own outputs, for round-trip tests and conversion.
//!
//! Each reader yields one `Result` per record: a bad record is reported
//! (origin, record number, cause) and the caller may skip it and go on.
//! - [`jsonl`], [`csv`] and [`parquet_bytes`]/[`parquet_file`] read back
//!   whole [`Event`]s;
//! - [`gdelt`] and [`phoenix`] read rows of named text fields
//!   ([`TsvRecord`]), since those layouts do not carry every event field.

use std::io::{BufRead, Read};
use std::path::Path;

use crate::flat::{parse_cell, to_event, COLUMNS};
use crate::Event;

/// A record that could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{origin}:{record}: {cause}")]
pub struct ReadError {
    /// The file (or origin label).
    pub origin: String,
    /// 1-based line (text formats) or row (Parquet) number; 0 for the
    /// file as a whole.
    pub record: u64,
    /// What is wrong.
    pub cause: String,
}

/// Reads dyad JSON Lines events. Blank lines are skipped.
pub fn jsonl<R: BufRead>(input: R, origin: &str) -> impl Iterator<Item = Result<Event, ReadError>> {
    let origin = origin.to_string();
    input.lines().enumerate().filter_map(move |(i, line)| {
        let err = |cause: String| ReadError {
            origin: origin.clone(),
            record: i as u64 + 1,
            cause,
        };
        match line {
            Err(e) => Some(Err(err(e.to_string()))),
            Ok(l) if l.trim().is_empty() => None,
            Ok(l) => Some(serde_json::from_str(&l).map_err(|e| err(e.to_string()))),
        }
    })
}

/// Reads the flat CSV table back into events. The header must be the
/// flat schema's ([`crate::flat::COLUMNS`]).
pub fn csv<R: Read>(
    input: R,
    origin: &str,
) -> Result<impl Iterator<Item = Result<Event, ReadError>>, ReadError> {
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(input);
    let whole = |cause: String| ReadError {
        origin: origin.to_string(),
        record: 1,
        cause,
    };
    let header = rdr.headers().map_err(|e| whole(e.to_string()))?;
    let expected: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
    if header.iter().collect::<Vec<_>>() != expected {
        return Err(whole(format!(
            "header {:?} is not the dyad flat schema",
            header.iter().collect::<Vec<_>>()
        )));
    }
    let origin = origin.to_string();
    Ok(rdr.into_records().map(move |rec| {
        let rec = rec.map_err(|e| ReadError {
            origin: origin.clone(),
            record: e.position().map_or(0, |p| p.line()),
            cause: e.to_string(),
        })?;
        let err = |cause: String| ReadError {
            origin: origin.clone(),
            record: rec.position().map_or(0, |p| p.line()),
            cause,
        };
        if rec.len() != COLUMNS.len() {
            return Err(err(format!(
                "expected {} fields, found {}",
                COLUMNS.len(),
                rec.len()
            )));
        }
        let vals = COLUMNS
            .iter()
            .zip(rec.iter())
            .map(|(c, s)| parse_cell(c, s))
            .collect::<Result<Vec<_>, _>>()
            .map_err(err)?;
        to_event(&vals).map_err(err)
    }))
}

/// Reads a flat-table Parquet file held in memory.
pub fn parquet_bytes(
    data: impl Into<bytes::Bytes>,
    origin: &str,
) -> Result<impl Iterator<Item = Result<Event, ReadError>>, ReadError> {
    crate::parquet_io::read(data.into(), origin)
}

/// Reads a flat-table Parquet file.
pub fn parquet_file(
    path: &Path,
) -> Result<impl Iterator<Item = Result<Event, ReadError>>, ReadError> {
    let origin = path.display().to_string();
    let f = std::fs::File::open(path).map_err(|e| ReadError {
        origin: origin.clone(),
        record: 0,
        cause: e.to_string(),
    })?;
    crate::parquet_io::read(f, &origin)
}

/// One row of a headerless tab-separated layout (GDELT, Phoenix).
#[derive(Debug, Clone, PartialEq)]
pub struct TsvRecord {
    columns: &'static [&'static str],
    fields: Vec<String>,
}

impl TsvRecord {
    /// The field of the named column (`None` for an unknown name).
    pub fn get(&self, column: &str) -> Option<&str> {
        let i = self.columns.iter().position(|c| *c == column)?;
        self.fields.get(i).map(String::as_str)
    }

    /// All fields, in column order.
    pub fn fields(&self) -> &[String] {
        &self.fields
    }
}

/// Reads a headerless tab-separated layout with the given columns; a line
/// with the wrong number of fields is an error for that line.
pub fn tsv<R: BufRead>(
    input: R,
    origin: &str,
    columns: &'static [&'static str],
) -> impl Iterator<Item = Result<TsvRecord, ReadError>> {
    let origin = origin.to_string();
    input.lines().enumerate().filter_map(move |(i, line)| {
        let err = |cause: String| ReadError {
            origin: origin.clone(),
            record: i as u64 + 1,
            cause,
        };
        let line = match line {
            Err(e) => return Some(Err(err(e.to_string()))),
            Ok(l) if l.is_empty() => return None,
            Ok(l) => l,
        };
        let fields: Vec<String> = line.split('\t').map(str::to_string).collect();
        if fields.len() != columns.len() {
            return Some(Err(err(format!(
                "expected {} tab-separated fields, found {}",
                columns.len(),
                fields.len()
            ))));
        }
        Some(Ok(TsvRecord { columns, fields }))
    })
}

/// Reads GDELT 2.0 event-table rows (61 fields).
pub fn gdelt<R: BufRead>(
    input: R,
    origin: &str,
) -> impl Iterator<Item = Result<TsvRecord, ReadError>> {
    tsv(input, origin, &crate::GDELT_COLUMNS)
}

/// Reads Phoenix rows (26 fields).
pub fn phoenix<R: BufRead>(
    input: R,
    origin: &str,
) -> impl Iterator<Item = Result<TsvRecord, ReadError>> {
    tsv(input, origin, &crate::PHOENIX_COLUMNS)
}
