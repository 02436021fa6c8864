//! Sample events for the integration tests: every optional field both
//! present and absent, codes with leading zeros, awkward text.
#![allow(dead_code)]

use dyad_core::event::{
    Actor, DatePrecision, DateSource, Event, EventCode, Evidence, Location, Modality, Span,
};
use dyad_core::Codebook;

pub fn code(c: &str) -> EventCode {
    Codebook::builtin()
        .get(c)
        .unwrap_or_else(|| panic!("code {c} in the codebook"))
        .into()
}

pub fn actor(code: &str, text: &str) -> Actor {
    Actor {
        code: code.into(),
        text: text.into(),
        span: None,
    }
}

pub fn base(doc: &str, sent: &str, c: &str, src: Option<Actor>, tgt: Option<Actor>) -> Event {
    Event {
        id: None,
        doc_id: doc.into(),
        sentence_id: sent.into(),
        sentence: format!("Sentence {sent} of {doc}."),
        date: None,
        date_precision: None,
        date_source: None,
        source: src,
        target: tgt,
        event: code(c),
        issues: vec![],
        evidence: Evidence {
            pattern: "* MEET +".into(),
            dictionary: "verbs.txt:12".into(),
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

/// Eight events covering the schema.
pub fn samples() -> Vec<Event> {
    let mut v = Vec::new();

    // 1. Fully populated, day-precision date, location, spans, modality.
    let mut e = base(
        "voa-1",
        "3",
        "042",
        Some(Actor {
            code: "IRQGOV".into(),
            text: "the Iraqi delegation".into(),
            span: Some(Span { start: 10, end: 30 }),
        }),
        Some(Actor {
            code: "USA".into(),
            text: "Washington".into(),
            span: Some(Span { start: 44, end: 54 }),
        }),
    );
    e.id = Some("ev-0001".into());
    e.sentence = "The Iraqi delegation, \"received\" in Washington;\ttalks\nwent on.".into();
    e.date = Some("2025-03-15".into());
    e.date_precision = Some(DatePrecision::Day);
    e.date_source = Some(DateSource::Sentence);
    e.issues = vec!["SECURITY".into(), "TRADE".into()];
    e.evidence.verb_text = Some("received".into());
    e.evidence.verb_span = Some(Span { start: 35, end: 43 });
    e.modality = Some(Modality::default());
    e.location = Some(Location {
        name: "Washington".into(),
        country: "USA".into(),
        admin1: Some("DC".into()),
        lat: 38.89511,
        lon: -77.03637,
        geonameid: Some(4140963),
        source: "locative".into(),
    });
    e.confidence = Some(0.875);
    v.push(e);

    // 2. No PLOVER class (root 01), no date, no location.
    v.push(base(
        "voa-1",
        "4",
        "010",
        Some(actor("USAGOV", "officials")),
        Some(actor("IRQ", "Iraq")),
    ));

    // 3. Four-digit code with a leading zero, month precision, historical.
    let mut e = base(
        "seed",
        "7",
        "0874",
        Some(actor("IGOUNO", "the UN")),
        Some(actor("SYRINSSUN", "Sunni insurgents")),
    );
    e.date = Some("2008-11".into());
    e.date_precision = Some(DatePrecision::Month);
    e.date_source = Some(DateSource::Sentence);
    e.modality = Some(Modality {
        historical: true,
        ..Modality::default()
    });
    v.push(e);

    // 4. Negated.
    let mut e = base(
        "seed",
        "9",
        "190",
        Some(actor("USAMIL", "US troops")),
        Some(actor("---REB", "rebels")),
    );
    e.date = Some("2025-03-14".into());
    e.date_precision = Some(DatePrecision::Day);
    e.date_source = Some(DateSource::Publication);
    e.modality = Some(Modality {
        negated: true,
        ..Modality::default()
    });
    v.push(e);

    // 5. Year precision, no target, unicode text, clustering fields.
    let mut e = base(
        "afp-2",
        "1",
        "1823",
        Some(actor("COLCRM", "los sicarios de Medellín")),
        None,
    );
    e.date = Some("2019".into());
    e.date_precision = Some(DatePrecision::Year);
    e.date_source = Some(DateSource::Dateline);
    e.sentence = "Gunmen killed a mayor in Medellín — officials said.".into();
    e.mentions = Some(4);
    e.sources = Some(vec!["afp.com".into(), "reuters.com".into()]);
    e.doc_ids = Some(vec!["afp-2".into(), "rtr-9".into(), "rtr-10".into()]);
    v.push(e);

    // 6. No actors at all, two-digit root code, location without admin1.
    let mut e = base("x", "1", "20", None, None);
    e.location = Some(Location {
        name: "Iraq".into(),
        country: "IRQ".into(),
        admin1: None,
        lat: 33.0,
        lon: 44.0,
        geonameid: None,
        source: "dateline".into(),
    });
    v.push(e);

    // 7. Commas and quotes everywhere (CSV quoting).
    let mut e = base(
        "doc,\"7\"",
        "s,1",
        "042",
        Some(actor("FRA", "France, \"the Republic\"")),
        Some(actor("DEU", "Germany")),
    );
    e.evidence.pattern = "* VISIT, \"formally\" +".into();
    v.push(e);

    // 8. Future and hypothetical, confidence 0.
    let mut e = base(
        "y",
        "2",
        "0874",
        Some(actor("RUSMIL", "Russian forces")),
        Some(actor("UKR", "Ukraine")),
    );
    e.date = Some("2024-02-29".into());
    e.date_precision = Some(DatePrecision::Day);
    e.date_source = Some(DateSource::Publication);
    e.modality = Some(Modality {
        future: true,
        hypothetical: true,
        ..Modality::default()
    });
    e.confidence = Some(0.0);
    v.push(e);

    v
}
