//! Evaluation against the PLOVER gold standard (`PLOVER_GSR_dev.json`).
//!
//! Each gold record is one raw sentence with a human coding: a PLOVER event
//! type and source/target actors (country code + sector). The evaluation
//! codes every sentence with a caller-supplied coder and reports, per
//! record, whether the event type and the source actor's country are right.
//!
//! - The gold file (2016) uses older event names; they are mapped to the
//!   current PLOVER names: DEMAND → REQUEST, DISAPPROVE → ACCUSE,
//!   INVESTIGATE → ACCUSE, FIGHT → ASSAULT (CAMEO 19 is ASSAULT in the 2021
//!   CAMEO→PLOVER table). See `data/dict/README.md`.
//! - A predicted event's type is the PLOVER category of its CAMEO code (from
//!   the codebook), except CAMEO 02 (APPEAL), unmapped in the 2021 table,
//!   which counts as REQUEST ("all requests, demands, and orders").
//! - The record's prediction is its first event that has a PLOVER category
//!   (statements, CAMEO 01, have none); the event type is right when it
//!   equals the gold type, the source country when the first three letters
//!   of its source code are one of the gold source codes.
//! - Two gold codes that are not ISO 3166 are read as the country meant:
//!   ITL → ITA, VTN → VNM.

use std::fmt;
use std::path::Path;

use dyad_core::cameo::Codebook;

/// One gold record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldRecord {
    /// Record id.
    pub id: String,
    /// The raw sentence.
    pub text: String,
    /// The record date, `YYYY-MM-DD`, when given.
    pub date: Option<String>,
    /// The event name as written in the file.
    pub gold_event_raw: String,
    /// The current PLOVER name of the gold event.
    pub gold_event: String,
    /// Source actor codes (country or group root, normalised).
    pub sources: Vec<String>,
}

/// One event as coded by the system under test.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PredictedEvent {
    /// Source actor code, e.g. `IRQGOV`.
    pub source: Option<String>,
    /// Target actor code.
    pub target: Option<String>,
    /// CAMEO event code, e.g. `042`.
    pub cameo: String,
}

/// Why the gold file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PloverError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a JSON array of records.
    #[error("{path}: not a PLOVER gold file: {cause}")]
    Format {
        /// The file.
        path: String,
        /// The cause.
        cause: String,
    },
}

/// The current PLOVER name of a gold event name.
pub fn current_plover_name(gold: &str) -> String {
    match gold.trim().to_ascii_uppercase().as_str() {
        "DEMAND" => "REQUEST".into(),
        "DISAPPROVE" | "INVESTIGATE" => "ACCUSE".into(),
        "FIGHT" => "ASSAULT".into(),
        other => other.into(),
    }
}

/// The PLOVER category of a CAMEO code for this evaluation (codebook
/// category; CAMEO 02 counts as REQUEST).
pub fn plover_of(cameo: &str, book: &Codebook) -> Option<String> {
    if cameo.starts_with("02") {
        return Some("REQUEST".into());
    }
    book.get(cameo)
        .and_then(|c| c.plover.as_ref())
        .map(|p| p.event.to_string())
        .filter(|e| !e.is_empty())
}

fn normalise_gold_code(code: &str) -> String {
    let c = code.trim().to_ascii_uppercase();
    let root: String = c.chars().take(3).collect();
    match root.as_str() {
        "ITL" => "ITA".into(),
        "VTN" => "VNM".into(),
        _ => root,
    }
}

/// Reads the gold file; the `DOCUMENT` record and records without text are
/// skipped. A malformed record is an error naming its position.
pub fn read_gold(path: &Path) -> Result<Vec<GoldRecord>, PloverError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| PloverError::Io {
        path: name.clone(),
        source,
    })?;
    parse_gold(&text, &name)
}

/// [`read_gold`] from text.
pub fn parse_gold(text: &str, name: &str) -> Result<Vec<GoldRecord>, PloverError> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| PloverError::Format {
        path: name.to_string(),
        cause: e.to_string(),
    })?;
    let arr = v.as_array().ok_or_else(|| PloverError::Format {
        path: name.to_string(),
        cause: "top level is not an array".into(),
    })?;
    let mut out = Vec::new();
    for (i, r) in arr.iter().enumerate() {
        let event = r.get("event").and_then(|e| e.as_str()).unwrap_or("");
        let Some(sentence) = r.get("text").and_then(|t| t.as_str()) else {
            continue;
        };
        if event.is_empty() || event == "DOCUMENT" {
            continue;
        }
        let mut sources = Vec::new();
        match r.get("source") {
            Some(serde_json::Value::Array(items)) => {
                for it in items {
                    if let Some(c) = it.get("code").and_then(|c| c.as_str()) {
                        sources.push(normalise_gold_code(c));
                    }
                }
            }
            Some(serde_json::Value::Object(_)) => {
                if let Some(c) = r["source"].get("code").and_then(|c| c.as_str()) {
                    sources.push(normalise_gold_code(c));
                }
            }
            _ => {}
        }
        let id = r
            .get("id")
            .and_then(|x| x.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| format!("record {}", i + 1));
        out.push(GoldRecord {
            id,
            text: sentence.trim().to_string(),
            date: r.get("date").and_then(|d| d.as_str()).map(str::to_string),
            gold_event_raw: event.to_string(),
            gold_event: current_plover_name(event),
            sources,
        });
    }
    Ok(out)
}

/// The outcome for one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordResult {
    /// Record id.
    pub id: String,
    /// Gold PLOVER event (current name).
    pub gold_event: String,
    /// Gold source codes.
    pub gold_sources: Vec<String>,
    /// Predicted PLOVER event, if any.
    pub event: Option<String>,
    /// Predicted source code, if any.
    pub source: Option<String>,
    /// Predicted CAMEO code, if any.
    pub cameo: Option<String>,
    /// Whether the event type is right.
    pub event_right: bool,
    /// Whether the source country is right.
    pub source_right: bool,
    /// Whether any coded event has the gold type.
    pub any_event_right: bool,
}

/// The evaluation report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PloverReport {
    /// Per-record outcomes, in file order.
    pub records: Vec<RecordResult>,
}

impl PloverReport {
    /// Records evaluated.
    pub fn total(&self) -> usize {
        self.records.len()
    }
    /// Records whose event type is right.
    pub fn event_right(&self) -> usize {
        self.records.iter().filter(|r| r.event_right).count()
    }
    /// Records whose source country is right.
    pub fn source_right(&self) -> usize {
        self.records.iter().filter(|r| r.source_right).count()
    }
    /// Records where some coded event has the gold type.
    pub fn any_event_right(&self) -> usize {
        self.records.iter().filter(|r| r.any_event_right).count()
    }
    /// Records with at least one coded event that has a PLOVER category.
    pub fn coded(&self) -> usize {
        self.records.iter().filter(|r| r.cameo.is_some()).count()
    }
}

fn pct(k: usize, n: usize) -> f64 {
    if n == 0 {
        0.0
    } else {
        100.0 * k as f64 / n as f64
    }
}

impl fmt::Display for PloverReport {
    /// Failing records, one a line, then the summary; the last line is
    /// `records N event-type K (P%) source-country M (Q%)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for r in self
            .records
            .iter()
            .filter(|r| !r.event_right || !r.source_right)
        {
            writeln!(
                f,
                "{}\tgold {} {}\tgot {} {} [{}]{}{}",
                r.id,
                r.gold_event,
                r.gold_sources.join(","),
                r.event.as_deref().unwrap_or("-"),
                r.source.as_deref().unwrap_or("-"),
                r.cameo.as_deref().unwrap_or("-"),
                if r.event_right { "" } else { "\tEVENT" },
                if r.source_right { "" } else { "\tSOURCE" },
            )?;
        }
        let n = self.total();
        writeln!(
            f,
            "with-plover-event {} ({:.1}%) any-event-type {} ({:.1}%)",
            self.coded(),
            pct(self.coded(), n),
            self.any_event_right(),
            pct(self.any_event_right(), n)
        )?;
        writeln!(
            f,
            "records {} event-type {} ({:.1}%) source-country {} ({:.1}%)",
            n,
            self.event_right(),
            pct(self.event_right(), n),
            self.source_right(),
            pct(self.source_right(), n)
        )
    }
}

/// Evaluates a coder on gold records. `code` gets one record (text and
/// date) and returns the events coded from its sentence, in order.
pub fn eval_plover<F>(records: &[GoldRecord], book: &Codebook, mut code: F) -> PloverReport
where
    F: FnMut(&GoldRecord) -> Vec<PredictedEvent>,
{
    let mut report = PloverReport::default();
    for rec in records {
        let events = code(rec);
        let typed: Vec<(&PredictedEvent, String)> = events
            .iter()
            .filter_map(|e| plover_of(&e.cameo, book).map(|p| (e, p)))
            .collect();
        let primary = typed.first();
        let event = primary.map(|(_, p)| p.clone());
        let source = primary.and_then(|(e, _)| e.source.clone());
        let source_root: Option<String> = source.as_ref().map(|s| s.chars().take(3).collect());
        report.records.push(RecordResult {
            id: rec.id.clone(),
            gold_event: rec.gold_event.clone(),
            gold_sources: rec.sources.clone(),
            event_right: event.as_deref() == Some(rec.gold_event.as_str()),
            source_right: source_root
                .as_ref()
                .is_some_and(|r| rec.sources.contains(r)),
            any_event_right: typed.iter().any(|(_, p)| *p == rec.gold_event),
            event,
            source,
            cameo: primary.map(|(e, _)| e.cameo.clone()),
        });
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOLD: &str = r#"[
      {"id": "D", "event": "DOCUMENT", "comment": "x"},
      {"id": "A1", "event": "DEMAND", "date": "2000-01-01", "text": "Russia demanded that Sudan return a helicopter.",
       "source": [{"code": "RUS", "sector": ""}], "target": [{"code": "SDN"}]},
      {"id": "A2", "event": "FIGHT", "text": "Italian tanks fired on the town.", "source": [{"code": "ITL", "sector": "MIL"}]},
      {"id": "A3", "event": "DISAPPROVE", "text": "X accused Y.", "source": {"code": "NGO"}}
    ]"#;

    #[test]
    fn gold_names_and_codes_are_normalised() {
        let g = parse_gold(GOLD, "t.json").unwrap();
        assert_eq!(g.len(), 3);
        assert_eq!(g[0].gold_event, "REQUEST");
        assert_eq!(g[1].gold_event, "ASSAULT");
        assert_eq!(g[1].sources, vec!["ITA"]);
        assert_eq!(g[2].gold_event, "ACCUSE");
        assert_eq!(g[2].sources, vec!["NGO"]);
        assert!(parse_gold("{}", "t.json").is_err());
    }

    #[test]
    fn scoring_uses_the_first_event_with_a_plover_type() {
        let g = parse_gold(GOLD, "t.json").unwrap();
        let book = Codebook::builtin();
        let r = eval_plover(&g, book, |rec| match rec.id.as_str() {
            // A statement first (no PLOVER type), then the demand.
            "A1" => vec![
                PredictedEvent {
                    source: Some("RUSGOV".into()),
                    target: None,
                    cameo: "010".into(),
                },
                PredictedEvent {
                    source: Some("RUSGOV".into()),
                    target: Some("SDN".into()),
                    cameo: "1053".into(),
                },
            ],
            "A2" => vec![PredictedEvent {
                source: Some("ITAMIL".into()),
                target: None,
                cameo: "194".into(),
            }],
            // Right type, wrong source.
            _ => vec![PredictedEvent {
                source: Some("USA".into()),
                target: None,
                cameo: "112".into(),
            }],
        });
        assert_eq!((r.total(), r.event_right(), r.source_right()), (3, 3, 2));
        let text = r.to_string();
        assert!(
            text.ends_with("records 3 event-type 3 (100.0%) source-country 2 (66.7%)\n"),
            "{text}"
        );
        assert!(
            text.contains("A3\tgold ACCUSE NGO\tgot ACCUSE USA [112]\tSOURCE"),
            "{text}"
        );
    }
}
