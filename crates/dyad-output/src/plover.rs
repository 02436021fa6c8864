//! `plover`: PLOVER JSON records, one per line (the layout the PLOVER
//! manual recommends). Fields follow the manual's record and entity
//! objects; dyad adds `cameo_code`, `aux_modes` and the clustering fields.

use std::io::{BufWriter, Write};

use serde::Serialize;

use crate::actor::{split_plover, PloverActor};
use crate::{record_id, DocMeta, Event, EventSink, OutputError, WriteSummary};

/// PLOVER's quad code of an event class (the manual's category summary):
/// 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
/// 4 material conflict. `SANCTION` is material conflict, as the manual's
/// SANCTION section and summary have it.
pub fn plover_quad(event: &str) -> Option<u8> {
    Some(match event {
        "AGREE" | "CONSULT" | "SUPPORT" | "CONCEDE" => 1,
        "COOPERATE" | "AID" | "RETREAT" => 2,
        "REQUEST" | "ACCUSE" | "REJECT" | "THREATEN" => 3,
        "PROTEST" | "SANCTION" | "MOBILIZE" | "COERCE" | "ASSAULT" => 4,
        _ => return None,
    })
}

#[derive(Serialize)]
struct Entity<'a> {
    code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sector: Option<&'static str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    other_sectors: &'a [&'static str],
    #[serde(skip_serializing_if = "Option::is_none")]
    religion: Option<&'a str>,
    entity_text: &'a str,
    cameo_code: &'a str,
}

#[derive(Serialize)]
struct TextInfo<'a> {
    doc_id: &'a str,
    sequence: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<usize>,
}

#[derive(Serialize)]
struct Loc<'a> {
    resolved_place: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    geonameid: Option<u64>,
    lat: f64,
    lon: f64,
    country_code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    admin1: Option<&'a str>,
    source: &'a str,
}

#[derive(Serialize)]
struct Cite<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    publication: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<&'a str>,
}

#[derive(Serialize)]
struct Record<'a> {
    id: &'a str,
    date: Option<&'a str>,
    actor: Vec<Entity<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    recipient: Vec<Entity<'a>>,
    event: [&'a str; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    mode: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    context: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quad_code: Option<u8>,
    event_scale: f32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    event_text: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event_loc: Option<Loc<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    aux_modes: Vec<&'static str>,
    text: &'a str,
    text_info: TextInfo<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cite_info: Option<Cite<'a>>,
    cameo_code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mentions: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sources: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    doc_ids: Option<&'a [String]>,
    coder: &'static str,
}

/// Writes events as PLOVER records.
pub(crate) struct PloverSink<W: Write> {
    out: BufWriter<W>,
    id: String,
    summary: WriteSummary,
}

impl<W: Write> PloverSink<W> {
    pub fn new(out: W) -> Self {
        PloverSink {
            out: BufWriter::with_capacity(1 << 16, out),
            id: String::new(),
            summary: WriteSummary::default(),
        }
    }
}

fn entity<'a>(a: &'a dyad_core::event::Actor, p: &'a PloverActor<'a>) -> Entity<'a> {
    Entity {
        code: p.code,
        sector: p.sectors.first().copied(),
        other_sectors: p.sectors.get(1..).unwrap_or(&[]),
        religion: p.religion,
        entity_text: &a.text,
        cameo_code: &a.code,
    }
}

impl<W: Write> EventSink for PloverSink<W> {
    fn write_with(&mut self, e: &Event, meta: Option<&DocMeta>) -> Result<(), OutputError> {
        let Some(pl) = e.event.plover.as_ref() else {
            self.summary.skipped_unmapped += 1;
            return Ok(());
        };
        let row = self.summary.written + 1;
        let src = e.source.as_ref().map(|a| (a, split_plover(&a.code)));
        let tgt = e.target.as_ref().map(|a| (a, split_plover(&a.code)));
        let mut aux = Vec::new();
        if let Some(m) = e.modality {
            for (on, name) in [
                (m.negated, "negation"),
                (m.future, "future"),
                (m.hypothetical, "hypothetical"),
                (m.historical, "historical"),
            ] {
                if on {
                    aux.push(name);
                }
            }
        }
        let rec = Record {
            id: record_id(e, row, &mut self.id),
            date: e.date.as_deref(),
            actor: src.iter().map(|(a, p)| entity(a, p)).collect(),
            recipient: tgt.iter().map(|(a, p)| entity(a, p)).collect(),
            event: [pl.event.as_str()],
            mode: pl.mode.as_deref().into_iter().collect(),
            context: pl
                .context
                .as_deref()
                .map(|c| {
                    c.split(';')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            quad_code: plover_quad(&pl.event),
            event_scale: e.event.goldstein,
            event_text: e.evidence.verb_text.as_deref().into_iter().collect(),
            event_loc: e.location.as_ref().map(|l| Loc {
                resolved_place: &l.name,
                geonameid: l.geonameid,
                lat: l.lat,
                lon: l.lon,
                country_code: &l.country,
                admin1: l.admin1.as_deref(),
                source: &l.source,
            }),
            aux_modes: aux,
            text: &e.sentence,
            text_info: TextInfo {
                doc_id: &e.doc_id,
                sequence: &e.sentence_id,
                start: e.evidence.verb_span.map(|s| s.start),
                end: e.evidence.verb_span.map(|s| s.end),
            },
            cite_info: meta.map(|m| Cite {
                publication: m.outlet(),
                url: m.url.as_deref(),
                published: m.published.as_deref(),
            }),
            cameo_code: &e.event.cameo,
            confidence: e.confidence,
            mentions: e.mentions,
            sources: e.sources.as_deref(),
            doc_ids: e.doc_ids.as_deref(),
            coder: "dyad",
        };
        serde_json::to_writer(&mut self.out, &rec)?;
        self.out.write_all(b"\n")?;
        self.summary.written += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<WriteSummary, OutputError> {
        self.out.flush()?;
        Ok(self.summary)
    }
}

#[cfg(test)]
mod tests {
    use super::plover_quad;

    #[test]
    fn every_plover_class_has_a_quad() {
        for c in [
            "AGREE",
            "CONSULT",
            "SUPPORT",
            "CONCEDE",
            "COOPERATE",
            "AID",
            "RETREAT",
            "REQUEST",
            "ACCUSE",
            "REJECT",
            "THREATEN",
            "PROTEST",
            "SANCTION",
            "MOBILIZE",
            "COERCE",
            "ASSAULT",
        ] {
            assert!(plover_quad(c).is_some(), "{c}");
        }
        assert_eq!(plover_quad("ACCUSE"), Some(3));
        assert_eq!(plover_quad("DOCUMENT"), None);
    }
}
