//! Event de-duplication.
//!
//! Three modes, all deterministic (output follows the input order of each
//! kept event or cluster's first member):
//!
//! - [`DedupMode::Story`]: keep the first event of each
//!   (document, source, target, code) — one per story, as PETRARCH's
//!   story filter does.
//! - [`DedupMode::Day`]: the Phoenix one-a-day filter — keep the first of
//!   each (date, source, target, code) across all documents. Undated
//!   events are kept per document (an unknown day matches no other day).
//! - [`DedupMode::Cluster`]: cross-document clustering. Events with the
//!   same (date, source, target, code) whose sentences are similar —
//!   Jaccard similarity of their normalised token sets (lower-cased
//!   alphanumeric runs) at or above [`DedupOptions::threshold`], default
//!   [`DEFAULT_THRESHOLD`], against the cluster's first member — are one
//!   event reported several times. The first member is kept, with
//!   `mentions` (every merged report), `sources` (distinct outlets, sorted)
//!   and `doc_ids` (distinct documents, sorted), as GDELT's Mentions table
//!   counts them. Undated events cluster only within their document.
//!
//! In every mode a negated event never merges with an affirmed one.
//! `Story` and `Day` are streaming filters; `Cluster` holds events until
//! [`Deduper::finish`].

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use crate::{is_negated, DocMeta, Event, OutputError};

/// The default Jaccard threshold for [`DedupMode::Cluster`].
pub const DEFAULT_THRESHOLD: f64 = 0.5;

/// How to de-duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DedupMode {
    /// Keep every event.
    #[default]
    None,
    /// One per (document, source, target, code).
    Story,
    /// One per (date, source, target, code): Phoenix's one-a-day filter.
    Day,
    /// Cross-document clustering of the same event on the same day.
    Cluster,
}

impl DedupMode {
    /// The name accepted by `--dedup`.
    pub fn name(self) -> &'static str {
        match self {
            DedupMode::None => "none",
            DedupMode::Story => "story",
            DedupMode::Day => "day",
            DedupMode::Cluster => "cluster",
        }
    }
}

impl fmt::Display for DedupMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for DedupMode {
    type Err = OutputError;
    fn from_str(s: &str) -> Result<DedupMode, OutputError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" | "off" => Ok(DedupMode::None),
            "story" => Ok(DedupMode::Story),
            "day" => Ok(DedupMode::Day),
            "cluster" => Ok(DedupMode::Cluster),
            _ => Err(OutputError::UnknownDedup(s.to_string())),
        }
    }
}

/// De-duplication settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DedupOptions {
    /// The mode.
    pub mode: DedupMode,
    /// Minimum sentence Jaccard similarity for [`DedupMode::Cluster`].
    pub threshold: f64,
}

impl DedupOptions {
    /// Options for `mode` with the default threshold.
    pub fn new(mode: DedupMode) -> Self {
        DedupOptions {
            mode,
            threshold: DEFAULT_THRESHOLD,
        }
    }
}

/// The grouping key: (scope, source code, target code, event code,
/// negated). `scope` is the document for `Story`, the date for
/// `Day`/`Cluster` (or the document, prefixed, when undated).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    scope: String,
    source: String,
    target: String,
    code: String,
    negated: bool,
}

fn key(e: &Event, by_doc: bool) -> Key {
    let scope = match (&e.date, by_doc) {
        (Some(d), false) => format!("d:{d}"),
        _ => format!("doc:{}", e.doc_id),
    };
    Key {
        scope,
        source: e
            .source
            .as_ref()
            .map_or_else(String::new, |a| a.code.clone()),
        target: e
            .target
            .as_ref()
            .map_or_else(String::new, |a| a.code.clone()),
        code: e.event.cameo.clone(),
        negated: is_negated(e),
    }
}

/// The normalised token set of a sentence: hashes of its lower-cased
/// alphanumeric runs, sorted and de-duplicated.
pub fn token_set(sentence: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut in_tok = false;
    for c in sentence.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            let mut b = [0u8; 4];
            for &x in c.encode_utf8(&mut b).as_bytes() {
                h ^= u64::from(x);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            in_tok = true;
        } else if in_tok {
            out.push(h);
            h = 0xcbf2_9ce4_8422_2325;
            in_tok = false;
        }
    }
    if in_tok {
        out.push(h);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Jaccard similarity of two sorted, de-duplicated sets (1 for two empty
/// sets).
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    inter as f64 / (a.len() + b.len() - inter) as f64
}

struct Cluster {
    event: Event,
    tokens: Vec<u64>,
    mentions: u32,
    sources: Vec<String>,
    doc_ids: Vec<String>,
}

impl Cluster {
    fn absorb(&mut self, e: &Event, meta: Option<&DocMeta>) {
        self.mentions = self.mentions.saturating_add(e.mentions.unwrap_or(1));
        match &e.sources {
            Some(s) => self.sources.extend(s.iter().cloned()),
            None => self
                .sources
                .extend(meta.and_then(DocMeta::outlet).map(str::to_string)),
        }
        match &e.doc_ids {
            Some(d) => self.doc_ids.extend(d.iter().cloned()),
            None => self.doc_ids.push(e.doc_id.clone()),
        }
    }

    fn into_event(mut self) -> Event {
        self.sources.sort_unstable();
        self.sources.dedup();
        self.doc_ids.sort_unstable();
        self.doc_ids.dedup();
        self.event.mentions = Some(self.mentions);
        self.event.sources = Some(self.sources);
        self.event.doc_ids = Some(self.doc_ids);
        self.event
    }
}

/// A de-duplicator: push events in order, collect what it keeps.
pub struct Deduper {
    opts: DedupOptions,
    seen: HashSet<Key>,
    groups: HashMap<Key, Vec<usize>>,
    clusters: Vec<Cluster>,
}

impl Deduper {
    /// A de-duplicator with the given options.
    pub fn new(opts: DedupOptions) -> Self {
        Deduper {
            opts,
            seen: HashSet::new(),
            groups: HashMap::new(),
            clusters: Vec::new(),
        }
    }

    /// Offers one event (with its document's facts, used for the outlet).
    /// Returns the event when it is to be written now: always for `None`,
    /// for the first of its key for `Story`/`Day`, never for `Cluster`
    /// (clusters come out of [`Deduper::finish`]).
    pub fn push(&mut self, event: Event, meta: Option<&DocMeta>) -> Option<Event> {
        match self.opts.mode {
            DedupMode::None => Some(event),
            DedupMode::Story | DedupMode::Day => {
                let k = key(&event, self.opts.mode == DedupMode::Story);
                self.seen.insert(k).then_some(event)
            }
            DedupMode::Cluster => {
                let k = key(&event, false);
                let tokens = token_set(&event.sentence);
                let members = self.groups.entry(k).or_default();
                let hit = members
                    .iter()
                    .copied()
                    .find(|&c| jaccard(&self.clusters[c].tokens, &tokens) >= self.opts.threshold);
                match hit {
                    Some(c) => self.clusters[c].absorb(&event, meta),
                    None => {
                        members.push(self.clusters.len());
                        let mut cl = Cluster {
                            event: Event {
                                mentions: None,
                                sources: None,
                                doc_ids: None,
                                ..event.clone()
                            },
                            tokens,
                            mentions: 0,
                            sources: Vec::new(),
                            doc_ids: Vec::new(),
                        };
                        cl.absorb(&event, meta);
                        self.clusters.push(cl);
                    }
                }
                None
            }
        }
    }

    /// Ends the stream: the clustered events, in order of each cluster's
    /// first member (empty for the streaming modes).
    pub fn finish(self) -> Vec<Event> {
        self.clusters.into_iter().map(Cluster::into_event).collect()
    }
}

/// De-duplicates a whole batch: the kept events, in order.
pub fn dedup<'m>(
    opts: DedupOptions,
    events: impl IntoIterator<Item = (Event, Option<&'m DocMeta>)>,
) -> Vec<Event> {
    let mut d = Deduper::new(opts);
    let mut out: Vec<Event> = events
        .into_iter()
        .filter_map(|(e, m)| d.push(e, m))
        .collect();
    out.extend(d.finish());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse() {
        for m in [
            DedupMode::None,
            DedupMode::Story,
            DedupMode::Day,
            DedupMode::Cluster,
        ] {
            assert_eq!(m.name().parse::<DedupMode>().expect("parses"), m);
        }
        assert!("weekly".parse::<DedupMode>().is_err());
    }

    #[test]
    fn jaccard_of_token_sets() {
        let a = token_set("Iraq held talks with the U.S. on Saturday.");
        let b = token_set("IRAQ held TALKS with the U.S., on Saturday");
        assert_eq!(jaccard(&a, &b), 1.0);
        let c = token_set("Iraq held talks with the U.S.");
        let j = jaccard(&a, &c);
        assert!((j - 7.0 / 9.0).abs() < 1e-9, "{j}");
        assert_eq!(jaccard(&a, &token_set("Nothing in common")), 0.0);
    }
}
