//! The enricher on real tokens from dyad-text's reader and segmenter: the
//! seed article and a VOA story.

use std::path::PathBuf;

use chrono::NaiveDate;
use dyad_core::event::{Actor, DatePrecision, DateSource, Event, EventCode, Evidence};
use dyad_enrich::{
    parse_publication_date, DocContext, Enricher, EventSlots, SentenceAnalysis, SentenceContext,
};

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if p.is_dir() {
        Some(p)
    } else {
        println!("skipping: ../shared not found");
        None
    }
}

fn event(source: &str, target: Option<&str>) -> Event {
    let actor = |c: &str| Actor {
        code: c.into(),
        text: c.into(),
        span: None,
    };
    Event {
        id: None,
        doc_id: "d".into(),
        sentence_id: "1".into(),
        sentence: String::new(),
        date: None,
        date_precision: None,
        date_source: None,
        source: Some(actor(source)),
        target: target.map(actor),
        event: EventCode {
            cameo: "040".into(),
            root: "04".into(),
            quad_class: 1,
            goldstein: 1.0,
            plover: None,
        },
        issues: vec![],
        evidence: Evidence {
            pattern: "*".into(),
            dictionary: "t:1".into(),
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

/// Enriches an event of the first sentence containing `needle`, with the
/// verb given as a word.
fn enrich_in(
    e: &Enricher,
    doc: &mut DocContext,
    sentences: &[dyad_text::Sentence],
    needle: &str,
    verb: &str,
    ev: &mut Event,
) {
    let mut a = SentenceAnalysis::default();
    for s in sentences {
        let words: Vec<&str> = s.tokens.iter().map(|t| t.text.as_str()).collect();
        let ctx = SentenceContext {
            tokens: &words,
            ..SentenceContext::default()
        };
        e.analyze(doc, &ctx, &mut a);
        if s.text.contains(needle) {
            let v = words
                .iter()
                .position(|w| *w == verb)
                .unwrap_or_else(|| panic!("{verb} in {words:?}"));
            let slots = EventSlots {
                verb: Some(v),
                ..EventSlots::default()
            };
            e.enrich(doc, &ctx, &a, &slots, ev);
            return;
        }
    }
    panic!("no sentence contains {needle:?}");
}

#[test]
fn seed_article_through_the_real_segmenter() {
    let Some(shared) = shared() else { return };
    let Ok(text) = std::fs::read_to_string(shared.join("corpus/000_86ffe86b06bc2f2f.txt")) else {
        println!("skipping: seed article not found");
        return;
    };
    let e = Enricher::builtin().expect("gazetteer");
    let sentences = dyad_text::segment_text(&text);

    let mut doc = DocContext::default();
    let mut ev = event("USAGOV", Some("IRQ"));
    enrich_in(
        &e,
        &mut doc,
        &sentences,
        "reception of the Iraqi",
        "welcomed",
        &mut ev,
    );
    let l = ev.location.expect("located");
    assert_eq!(l.country, "USA");
    assert!(
        (l.lat - 38.9).abs() <= 0.5 && (l.lon + 77.0).abs() <= 0.5,
        "{l:?}"
    );
    assert_eq!(ev.date, None, "no publication date: null");

    let mut doc = DocContext::default();
    let mut ev = event("IRQ", Some("USA"));
    enrich_in(
        &e,
        &mut doc,
        &sentences,
        "signed by the two sides",
        "signed",
        &mut ev,
    );
    assert_eq!(ev.date.as_deref(), Some("2008-11"));
    assert_eq!(ev.date_precision, Some(DatePrecision::Month));
    // the earlier sentences mention July 2021 and February 2023
    assert!(ev.modality.expect("modality").historical);

    let mut doc = DocContext::default();
    let mut ev = event("USAMIL", Some("IRQ"));
    enrich_in(&e, &mut doc, &sentences, "no US troops", "are", &mut ev);
    assert!(ev.modality.expect("modality").negated);
}

#[test]
fn voa_story_read_by_dyad_text_resolves_on_saturday() {
    let Some(shared) = shared() else { return };
    let path = shared.join("corpus/voa_stories.jsonl");
    let Ok(input) = std::fs::read_to_string(&path) else {
        println!("skipping: {} not found", path.display());
        return;
    };
    let outcome = dyad_text::read_str("voa_stories.jsonl", &input, dyad_text::InputFormat::Jsonl);
    let Some(story) = outcome
        .docs
        .iter()
        .find(|d| d.text.contains("army chief said on Saturday"))
    else {
        println!("skipping: no story with 'army chief said on Saturday'");
        return;
    };
    let published = story
        .date
        .as_deref()
        .expect("VOA stories have a published date");
    let publication = parse_publication_date(published).expect("readable");
    let e = Enricher::builtin().expect("gazetteer");
    let mut doc = DocContext::new(&e, Some(publication), None);
    let sentences = dyad_text::segment(story);
    let mut ev = event("AFGMIL", None);
    enrich_in(
        &e,
        &mut doc,
        &sentences,
        "army chief said on Saturday",
        "said",
        &mut ev,
    );
    // Published Sunday 9 May 2021: "on Saturday" is 8 May.
    assert_eq!(
        publication,
        NaiveDate::from_ymd_opt(2021, 5, 9).expect("date")
    );
    assert_eq!(ev.date.as_deref(), Some("2021-05-08"));
    assert_eq!(ev.date_source, Some(DateSource::Sentence));
}
