//! dyad's embedded event store.
//!
//! - [`Store`]: one SQLite database in WAL mode holding documents, sentences
//!   (with an FTS5 index) and events (indexed by date, source/target
//!   country and actor code, dyad, CAMEO root, QuadClass and location).
//!   Writing a document replaces any earlier version with the same `doc_id`
//!   inside one transaction.
//! - [`Filter`] + [`Store::query`]: filtered, cursor-paginated reads.
//! - [`Store::timeline`]: per day/week/month QuadClass counts and Goldstein
//!   sums and means for a dyad, both directions.
//! - [`ingest()`]: code documents with an injected [`DocumentCoder`] and
//!   commit them in batches, reporting progress.
//!
//! Feature `testing` (off by default; enabled by this crate's and
//! dyad-server's dev-dependencies) adds `testing::KeywordCoder`, a toy
//! coder for tests and benches.
#![warn(missing_docs)]

pub mod coder;
pub mod date;
pub mod error;
pub mod ingest;
pub mod store;
#[cfg(feature = "testing")]
pub mod testing;

pub use coder::{text_doc_id, CodedDocument, DocumentCoder, IncomingDocument, SentenceRecord};
pub use error::StoreError;
pub use ingest::{ingest, query, IngestError, IngestOptions, IngestProgress, IngestSummary};
pub use store::{
    actor_country, ActorCount, ActorQuery, Bucket, Counts, DirectionStats, Edge, Filter, Interval,
    Page, PutOutcome, Role, Store, StoredDocument, StoredEvent, Timeline,
};
