//! dyad: a political event coder.
//!
//! The pipeline is visible in the crate graph:
//!
//! ```text
//! raw text ─ dyad-text ─▶ sentences/tokens ─ dyad-nlp ─▶ tags + dependency parse
//!   ─ dyad-coder (+ dyad-dict dictionaries) ─▶ CAMEO events
//!   ─ dyad-enrich ─▶ dates, places, modality, ids ─ dyad-output ─▶ JSONL/PLOVER/GDELT/…
//!   └ dyad-store / dyad-server: store, HTTP API, dashboard
//! ```
//!
//! This crate assembles the stages ([`pipeline::Pipeline`]), runs them on
//! several cores ([`workers`]), locates data ([`data`]) and hosts the `dyad`
//! command-line shell.
#![warn(missing_docs)]

pub mod data;
pub mod pipeline;
pub mod prefilter;
pub mod service;
pub mod workers;

pub use pipeline::{CodedDocument, Pipeline, PipelineOptions, SentenceRecord, SkipStats};
pub use workers::Workers;
