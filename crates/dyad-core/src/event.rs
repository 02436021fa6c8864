//! The event record: dyad's JSON Lines output schema.
//!
//! The base fields are fixed (a later stage may add fields, never remove or
//! rename them):
//!
//! ```json
//! {"doc_id", "sentence_id", "sentence", "date",
//!  "source": {"code", "text"} | null, "target": {"code", "text"} | null,
//!  "event": {"cameo", "root", "quad_class", "goldstein", "plover"},
//!  "issues": [...], "evidence": {"pattern", "dictionary"}}
//! ```
//!
//! Optional extensions (omitted when absent): `id`, `date_precision`,
//! `date_source`, `modality`, `location`, `confidence`, actor and verb
//! character spans, and the clustering fields `mentions`, `sources`,
//! `doc_ids`. All offsets are **character** (Unicode scalar value) offsets
//! into the original document text, end-exclusive.

use serde::{Deserialize, Serialize};

use crate::cameo::{CameoCode, Plover};

/// A half-open character range `[start, end)` in the original document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// An actor of an event: its CAMEO actor code and the words that named it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    /// CAMEO actor code, e.g. `IRQGOV`.
    pub code: String,
    /// The words of the sentence that named the actor.
    pub text: String,
    /// Where `text` stands in the original document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

/// The event type, denormalised from the codebook so that every record is
/// self-contained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventCode {
    /// CAMEO code, a zero-padded string such as `042`.
    pub cameo: String,
    /// Two-digit CAMEO root.
    pub root: String,
    /// GDELT QuadClass 1–4.
    pub quad_class: u8,
    /// Goldstein value.
    pub goldstein: f32,
    /// PLOVER class, `null` where PLOVER has none.
    pub plover: Option<Plover>,
}

impl From<&CameoCode> for EventCode {
    fn from(c: &CameoCode) -> Self {
        EventCode {
            cameo: c.code.clone(),
            root: c.root.clone(),
            quad_class: c.quad_class,
            goldstein: c.goldstein,
            plover: c.plover.clone(),
        }
    }
}

/// Why the coder produced the event: the matched dictionary pattern.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The matched verb pattern as written in its dictionary.
    pub pattern: String,
    /// Where the pattern is defined, as `file:line`.
    pub dictionary: String,
    /// The verb (or event noun) words that triggered the pattern.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verb_text: Option<String>,
    /// Where `verb_text` stands in the original document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verb_span: Option<Span>,
}

/// How precise an event date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    /// `YYYY`.
    Year,
    /// `YYYY-MM`.
    Month,
    /// `YYYY-MM-DD`.
    Day,
}

/// Where an event date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    /// The document's publication date.
    Publication,
    /// A date expression in the sentence itself.
    Sentence,
    /// The story's dateline.
    Dateline,
}

/// PLOVER's auxiliary modes, flagged per event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Modality {
    /// The text says the event did not happen.
    pub negated: bool,
    /// Future or intended ("will", "plans to").
    pub future: bool,
    /// Hypothetical or conditional ("could", "if").
    pub hypothetical: bool,
    /// A past event restated ("signed in 2008").
    pub historical: bool,
}

/// Where an event happened, resolved against the gazetteer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Place name.
    pub name: String,
    /// ISO 3166-1 alpha-3 country code.
    pub country: String,
    /// First-order administrative division code, if known.
    pub admin1: Option<String>,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// GeoNames id.
    pub geonameid: Option<u64>,
    /// How it was found: `locative` (a phrase in the sentence) or `dateline`.
    pub source: String,
}

/// One coded event. See the module docs for the fixed schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Stable event id (a hash of document, sentence and event).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Document id (for PETRARCH XML, the `<Sentence id>`).
    pub doc_id: String,
    /// Sentence id within the document.
    pub sentence_id: String,
    /// The sentence text.
    pub sentence: String,
    /// Event date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), `null` when unknown.
    pub date: Option<String>,
    /// Precision of `date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_precision: Option<DatePrecision>,
    /// Origin of `date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_source: Option<DateSource>,
    /// Who acted.
    pub source: Option<Actor>,
    /// Who was acted upon.
    pub target: Option<Actor>,
    /// What happened.
    pub event: EventCode,
    /// Issue codes found in the sentence.
    pub issues: Vec<String>,
    /// The matched pattern.
    pub evidence: Evidence,
    /// Negation, future, hypothetical and historical flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modality: Option<Modality>,
    /// Where it happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Confidence in [0, 1] (see ARCHITECTURE.md for its meaning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
    /// Cross-document clustering: how many reports were merged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentions: Option<u32>,
    /// Cross-document clustering: the distinct sources (outlets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<String>>,
    /// Cross-document clustering: every merged document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_ids: Option<Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cameo::Codebook;

    fn sample() -> Event {
        let code = Codebook::builtin().get("040").expect("040");
        Event {
            id: None,
            doc_id: "d1".into(),
            sentence_id: "1".into(),
            sentence: "Iraq held talks with the US.".into(),
            date: None,
            date_precision: None,
            date_source: None,
            source: Some(Actor {
                code: "IRQ".into(),
                text: "Iraq".into(),
                span: None,
            }),
            target: Some(Actor {
                code: "USA".into(),
                text: "the US".into(),
                span: None,
            }),
            event: code.into(),
            issues: vec![],
            evidence: Evidence {
                pattern: "* TALKS WITH +".into(),
                dictionary: "verbs.txt:10".into(),
                verb_text: None,
                verb_span: None,
            },
            modality: None,
            location: None,
            confidence: None,
            mentions: None,
            sources: None,
            doc_ids: None,
        }
    }

    #[test]
    fn base_schema_has_exactly_the_fixed_keys() {
        let v = serde_json::to_value(sample()).expect("serialises");
        let mut keys: Vec<&str> = v
            .as_object()
            .expect("object")
            .keys()
            .map(|k| k.as_str())
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "date",
                "doc_id",
                "event",
                "evidence",
                "issues",
                "sentence",
                "sentence_id",
                "source",
                "target"
            ]
        );
        assert_eq!(v["event"]["cameo"], "040");
        assert_eq!(v["event"]["plover"]["event"], "CONSULT");
        assert_eq!(v["source"]["code"], "IRQ");
        assert!(v["date"].is_null());
    }

    #[test]
    fn round_trips_through_json() {
        let mut e = sample();
        e.modality = Some(Modality {
            negated: true,
            ..Modality::default()
        });
        e.source.as_mut().expect("source").span = Some(Span { start: 0, end: 4 });
        let text = serde_json::to_string(&e).expect("serialises");
        let back: Event = serde_json::from_str(&text).expect("parses");
        assert_eq!(back, e);
    }
}
