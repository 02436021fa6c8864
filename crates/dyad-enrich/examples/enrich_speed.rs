//! Per-sentence enrichment cost outside criterion, for busy machines: run
//! under `/usr/bin/time` and divide user CPU time by the sentence count.
//! `cargo run --release -p dyad-enrich --example enrich_speed -- ROUNDS`
//! (sentences: ../shared/corpus/voa_stories.jsonl split on ". ").

use std::time::Instant;

use dyad_core::event::{Actor, Event, EventCode, Evidence};
use dyad_enrich::{DocContext, Enricher, EventSlots, SentenceAnalysis, SentenceContext};

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50);
    let p = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/voa_stories.jsonl");
    let Ok(text) = std::fs::read_to_string(&p) else {
        eprintln!("{}: not found", p.display());
        std::process::exit(1);
    };
    let mut sents = Vec::new();
    for line in text.lines() {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
            if let Some(t) = v["text"].as_str() {
                sents.extend(t.split(". ").map(str::to_string));
            }
        }
    }
    let toks: Vec<Vec<&str>> = sents
        .iter()
        .map(|s| {
            s.split_whitespace()
                .flat_map(|w| {
                    let cut = w.trim_end_matches([',', '.', ';', ':', '"']);
                    [cut, &w[cut.len()..]].into_iter().filter(|x| !x.is_empty())
                })
                .collect()
        })
        .collect();
    let e = match Enricher::builtin() {
        Ok(e) => e,
        Err(err) => {
            eprintln!("{err}");
            std::process::exit(1);
        }
    };
    let actor = |c: &str| Actor {
        code: c.into(),
        text: c.into(),
        span: None,
    };
    let mut ev = Event {
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
    };
    let mut a = SentenceAnalysis::default();
    let mut located = 0usize;
    let t = Instant::now();
    for _ in 0..rounds {
        let mut doc = DocContext {
            publication: chrono::NaiveDate::from_ymd_opt(2025, 3, 14),
            ..DocContext::default()
        };
        for tk in &toks {
            let s = SentenceContext {
                tokens: tk,
                ..SentenceContext::default()
            };
            e.analyze(&mut doc, &s, &mut a);
            let n = tk.len();
            let slots = EventSlots {
                verb: Some(n / 2),
                source: Some(0..1.min(n)),
                target: Some((n / 2 + 1).min(n)..(n / 2 + 2).min(n)),
            };
            e.enrich(&doc, &s, &a, &slots, &mut ev);
            located += usize::from(ev.location.is_some());
        }
    }
    let n = rounds * toks.len();
    let el = t.elapsed().as_secs_f64();
    println!(
        "{n} sentences ({} distinct), {:.2} µs wall per sentence (analyze + 1 event), {located} located",
        toks.len(),
        el * 1e6 / n as f64
    );
}
