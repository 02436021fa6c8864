//! Per-sentence enrichment cost: one `analyze` per sentence plus one
//! `enrich` per (pretend) event, on VOA story sentences when ../shared is
//! present, else on built-in sentences.
//!
//! The raw-text pipeline targets >= 20,000 sentences/s/core (50 µs per
//! sentence); enrichment must stay within 20% of that (<= 10 µs).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dyad_core::event::{Actor, Event, EventCode, Evidence};
use dyad_enrich::{DocContext, Enricher, EventSlots, SentenceAnalysis, SentenceContext};

fn sentences() -> Vec<String> {
    let p = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/voa_stories.jsonl");
    let mut out = Vec::new();
    if let Ok(text) = std::fs::read_to_string(&p) {
        for line in text.lines() {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                if let Some(t) = v["text"].as_str() {
                    out.extend(
                        t.split(". ")
                            .filter(|s| s.len() > 20)
                            .map(|s| s.to_string()),
                    );
                }
            }
        }
    }
    if out.is_empty() {
        out = [
            "The joint statement confirmed that the US Department of Defence welcomed during a reception of the Iraqi delegation in Washington the full implementation of the strategic dialogue .",
            "Gunmen stormed a hotel in the Somali city of Beledweyne on Tuesday , leaving at least five people dead .",
            "He said the visit come within the strategic framework agreement signed by the two sides in November 2008 .",
            "It stressed that there are no US troops with a combat role in Iraq .",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
    }
    out
}

fn event() -> Event {
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
        source: Some(actor("USAGOV")),
        target: Some(actor("IRQ")),
        event: EventCode {
            cameo: "040".into(),
            root: "04".into(),
            quad_class: 1,
            goldstein: 1.0,
            plover: None,
        },
        issues: vec![],
        evidence: Evidence {
            pattern: "* WITH +".into(),
            dictionary: "x:1".into(),
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

fn bench(c: &mut Criterion) {
    let e = Enricher::builtin().expect("gazetteer");
    let sents = sentences();
    let tokenised: Vec<Vec<&str>> = sents
        .iter()
        .map(|s| {
            s.split_whitespace()
                .flat_map(|w| {
                    let cut = w.trim_end_matches([',', '.', ';', ':', '"']);
                    let rest = &w[cut.len()..];
                    [cut, rest].into_iter().filter(|x| !x.is_empty())
                })
                .collect()
        })
        .collect();
    let publication = chrono::NaiveDate::from_ymd_opt(2025, 3, 14);
    let mut g = c.benchmark_group("enrich");
    g.throughput(Throughput::Elements(tokenised.len() as u64));
    g.sample_size(20);
    g.bench_function("analyze+1_event_per_sentence", |b| {
        let mut a = SentenceAnalysis::default();
        let mut ev = event();
        b.iter(|| {
            let mut doc = DocContext {
                publication,
                ..DocContext::default()
            };
            for toks in &tokenised {
                let s = SentenceContext {
                    tokens: toks,
                    ..SentenceContext::default()
                };
                e.analyze(&mut doc, &s, &mut a);
                let n = toks.len();
                let slots = EventSlots {
                    verb: Some(n / 2),
                    source: Some(0..1.min(n)),
                    target: Some((n / 2 + 1).min(n)..(n / 2 + 2).min(n)),
                };
                e.enrich(&doc, &s, &a, &slots, &mut ev);
                black_box(&ev);
            }
        })
    });
    g.bench_function("analyze_only", |b| {
        let mut a = SentenceAnalysis::default();
        b.iter(|| {
            let mut doc = DocContext::default();
            for toks in &tokenised {
                let s = SentenceContext {
                    tokens: toks,
                    ..SentenceContext::default()
                };
                e.analyze(&mut doc, &s, &mut a);
                black_box(&a);
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
