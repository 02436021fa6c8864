//! TEST DOUBLE: a toy keyword coder for the store's and the server's own
//! tests, benches and example server. It is *not* dyad's coder (that lives in
//! the `dyad` crate and is injected through [`DocumentCoder`]); it only
//! exists so the storage, API and dashboard can be exercised without it.
//!
//! Rules: sentences end at `.`, `!` or `?`. In each sentence the first two
//! distinct country names from a small table are source and target; the
//! first verb keyword from a small table gives the CAMEO code. The event date
//! is the document's publication date (day precision), or `null`.

use dyad_core::cameo::Codebook;
use dyad_core::event::{Actor, Event, EventCode, Evidence, Location, Span};

use crate::coder::{text_doc_id, CodedDocument, DocumentCoder, IncomingDocument, SentenceRecord};

/// Country names the toy coder knows: (word, CAMEO country code, capital,
/// lat, lon).
const COUNTRIES: &[(&str, &str, &str, f64, f64)] = &[
    ("Iraq", "IRQ", "Baghdad", 33.34, 44.40),
    ("Iraqi", "IRQ", "Baghdad", 33.34, 44.40),
    ("United States", "USA", "Washington", 38.90, -77.04),
    ("Washington", "USA", "Washington", 38.90, -77.04),
    ("US", "USA", "Washington", 38.90, -77.04),
    ("France", "FRA", "Paris", 48.85, 2.35),
    ("Germany", "DEU", "Berlin", 52.52, 13.40),
    ("Iran", "IRN", "Tehran", 35.69, 51.39),
    ("Russia", "RUS", "Moscow", 55.75, 37.62),
    ("China", "CHN", "Beijing", 39.90, 116.40),
];

/// Verb keywords: (word, CAMEO code).
const VERBS: &[(&str, &str)] = &[
    ("met", "040"),
    ("talks", "040"),
    ("discussed", "040"),
    ("praised", "051"),
    ("aid", "070"),
    ("criticized", "111"),
    ("threatened", "130"),
    ("attacked", "190"),
];

/// The toy keyword coder (a test double, see the module docs).
#[derive(Debug, Clone, Default)]
pub struct KeywordCoder {
    /// Sleep this long per document (to make ingest slow in crash tests).
    pub delay: Option<std::time::Duration>,
}

fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

fn find_word(sentence: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = sentence[from..].find(word) {
        let at = from + i;
        let before = sentence[..at].chars().next_back();
        let after = sentence[at + word.len()..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

impl DocumentCoder for KeywordCoder {
    fn code(&self, doc: IncomingDocument) -> Result<CodedDocument, String> {
        if let Some(d) = self.delay {
            std::thread::sleep(d);
        }
        if doc.text.contains("\u{0}") {
            return Err("document contains a NUL character".into());
        }
        let doc_id = doc.doc_id.clone().unwrap_or_else(|| text_doc_id(&doc.text));
        let date = doc
            .published
            .as_deref()
            .and_then(|p| p.get(..10))
            .map(str::to_string);
        let mut sentences = Vec::new();
        let mut events = Vec::new();
        let text = doc.text.as_str();
        let mut start = 0usize;
        let ends: Vec<usize> = text
            .char_indices()
            .filter(|(_, c)| matches!(c, '.' | '!' | '?'))
            .map(|(i, _)| i + 1)
            .chain(std::iter::once(text.len()))
            .collect();
        for end in ends {
            if end <= start {
                continue;
            }
            let raw = &text[start..end];
            let lead = raw.len() - raw.trim_start().len();
            let s_byte = start + lead;
            let s_text = raw.trim();
            start = end;
            if s_text.is_empty() {
                continue;
            }
            let sid = (sentences.len() + 1).to_string();
            let s_char = char_offset(text, s_byte);
            sentences.push(SentenceRecord {
                sentence_id: sid.clone(),
                start: s_char,
                end: s_char + s_text.chars().count(),
                text: s_text.to_string(),
            });
            let mut found: Vec<(usize, &str, &str, usize)> = COUNTRIES
                .iter()
                .filter_map(|(w, c, _, _, _)| find_word(s_text, w).map(|at| (at, *c, *w, w.len())))
                .collect();
            found.sort_unstable();
            let mut actors: Vec<(usize, &str, &str, usize)> = Vec::new();
            for f in found {
                if !actors.iter().any(|a| a.1 == f.1) {
                    actors.push(f);
                }
            }
            let verb = VERBS
                .iter()
                .filter_map(|(w, c)| find_word(s_text, w).map(|at| (at, *w, *c)))
                .min();
            let (Some((vat, vword, vcode)), true) = (verb, actors.len() >= 2) else {
                continue;
            };
            let code = Codebook::builtin()
                .get(vcode)
                .ok_or_else(|| format!("codebook lacks {vcode}"))?;
            let span = |at: usize, len: usize| {
                let a = s_char + char_offset(s_text, at);
                Span {
                    start: a,
                    end: a + s_text[at..at + len].chars().count(),
                }
            };
            let actor = |a: &(usize, &str, &str, usize)| Actor {
                code: a.1.to_string(),
                text: a.2.to_string(),
                span: Some(span(a.0, a.3)),
            };
            let location = COUNTRIES
                .iter()
                .find(|(w, _, cap, _, _)| w == cap && find_word(s_text, w).is_some())
                .map(|(_, c, cap, lat, lon)| Location {
                    name: cap.to_string(),
                    country: c.to_string(),
                    admin1: None,
                    lat: *lat,
                    lon: *lon,
                    geonameid: None,
                    source: "locative".into(),
                });
            events.push(Event {
                id: Some(format!("{doc_id}-{sid}")),
                doc_id: doc_id.clone(),
                sentence_id: sid.clone(),
                sentence: s_text.to_string(),
                date: date.clone(),
                date_precision: date.as_ref().map(|_| dyad_core::event::DatePrecision::Day),
                date_source: date
                    .as_ref()
                    .map(|_| dyad_core::event::DateSource::Publication),
                source: Some(actor(&actors[0])),
                target: Some(actor(&actors[1])),
                event: EventCode::from(code),
                issues: vec![],
                evidence: Evidence {
                    pattern: format!("* {} +", vword.to_uppercase()),
                    dictionary: "keyword-test-double:0".into(),
                    verb_text: Some(vword.to_string()),
                    verb_span: Some(span(vat, vword.len())),
                },
                modality: None,
                location,
                confidence: Some(0.5),
                mentions: None,
                sources: None,
                doc_ids: None,
            });
        }
        Ok(CodedDocument {
            doc_id,
            text: doc.text,
            published: doc.published,
            source: doc.source,
            title: doc.title,
            sentences,
            events,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_a_sentence_with_spans_relative_to_the_document() {
        let text = "Intro line. Officials from Iraq met the United States envoy.";
        let doc = KeywordCoder::default()
            .code(IncomingDocument {
                doc_id: Some("d".into()),
                text: text.into(),
                published: Some("2024-03-05T10:00Z".into()),
                ..Default::default()
            })
            .expect("codes");
        assert_eq!(doc.sentences.len(), 2);
        assert_eq!(doc.events.len(), 1);
        let e = &doc.events[0];
        assert_eq!(e.event.cameo, "040");
        assert_eq!(e.date.as_deref(), Some("2024-03-05"));
        let chars: Vec<char> = text.chars().collect();
        let sp = e.target.as_ref().and_then(|a| a.span).expect("span");
        assert_eq!(
            chars[sp.start..sp.end].iter().collect::<String>(),
            "United States"
        );
        let vs = e.evidence.verb_span.expect("verb span");
        assert_eq!(chars[vs.start..vs.end].iter().collect::<String>(), "met");
        assert_eq!(doc.sentences[1].start, 12);
    }
}
