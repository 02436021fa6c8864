//! De-duplication: story, day and cross-document clustering.

mod common;

use std::collections::HashMap;
use std::io::Cursor;

use dyad_core::event::Event;
use dyad_output::dedup::{dedup, DedupMode, DedupOptions, Deduper};
use dyad_output::{read, writer, DocMeta, Format};

/// Three wire copies of one report, as JSON Lines documents from three
/// outlets, published the same day.
const DOCS: &str = r#"{"id": "a1", "url": "https://www.voanews.com/a/talks.html", "published": "2025-03-15T09:00:00Z"}
{"id": "b7", "source": "Reuters", "url": "https://www.reuters.com/world/talks", "published": "2025-03-15T11:30:00Z"}
{"id": "c3", "outlet": "AFP", "published": "2025-03-15T18:05:00Z"}
"#;

fn metas() -> HashMap<String, DocMeta> {
    DOCS.lines()
        .map(|l| serde_json::from_str::<DocMeta>(l).expect("doc meta"))
        .map(|m| (m.doc_id.clone(), m))
        .collect()
}

fn report(doc: &str, sentence: &str, date: &str, code: &str) -> Event {
    let mut e = common::base(
        doc,
        "2",
        code,
        Some(common::actor("IRQGOV", "Iraqi officials")),
        Some(common::actor("USA", "the United States")),
    );
    e.sentence = sentence.into();
    e.date = Some(date.into());
    e
}

const S1: &str =
    "Iraqi officials met a US delegation in Baghdad on Saturday to discuss troop withdrawals.";
const S2: &str =
    "Iraqi officials on Saturday met a U.S. delegation in Baghdad to discuss troop withdrawals";
const S3: &str = "BAGHDAD - Iraqi officials met a US delegation in Baghdad on Saturday to discuss troop withdrawals, officials said.";

#[test]
fn three_outlets_one_day_become_one_clustered_event() {
    let metas = metas();
    // The events arrive as dyad JSON Lines, one per document.
    let jsonl: String = [("a1", S1), ("b7", S2), ("c3", S3)]
        .iter()
        .map(|(d, s)| {
            serde_json::to_string(&report(d, s, "2025-03-15", "042")).expect("json") + "\n"
        })
        .collect();
    let events: Vec<Event> = read::jsonl(Cursor::new(jsonl), "coded.jsonl")
        .map(|r| r.expect("event"))
        .collect();
    let out = dedup(
        DedupOptions::new(DedupMode::Cluster),
        events.into_iter().map(|e| {
            let m = metas.get(&e.doc_id);
            (e, m)
        }),
    );
    assert_eq!(out.len(), 1, "{out:#?}");
    let e = &out[0];
    assert_eq!(e.mentions, Some(3));
    assert_eq!(
        e.sources.as_deref(),
        Some(&["AFP".to_string(), "Reuters".into(), "voanews.com".into()][..])
    );
    assert_eq!(
        e.doc_ids.as_deref(),
        Some(&["a1".to_string(), "b7".into(), "c3".into()][..])
    );
    // The first report is the representative.
    assert_eq!(e.doc_id, "a1");
    assert_eq!(e.sentence, S1);

    // GDELT counts the mentions, sources and articles.
    let mut buf = Vec::new();
    let mut w = writer(Format::Gdelt, &mut buf).expect("writer");
    w.write_with(e, metas.get(&e.doc_id)).expect("write");
    w.finish().expect("finish");
    let rows: Vec<_> = read::gdelt(Cursor::new(buf), "g")
        .map(|r| r.expect("row"))
        .collect();
    assert_eq!(rows[0].get("NumMentions"), Some("3"));
    assert_eq!(rows[0].get("NumSources"), Some("3"));
    assert_eq!(rows[0].get("NumArticles"), Some("3"));
    assert_eq!(
        rows[0].get("SOURCEURL"),
        Some("https://www.voanews.com/a/talks.html")
    );
}

#[test]
fn clustering_keeps_different_days_codes_and_stories_apart() {
    let metas = metas();
    let events = vec![
        report("a1", S1, "2025-03-15", "042"),
        report("b7", S2, "2025-03-16", "042"), // another day
        report("c3", S3, "2025-03-15", "043"), // another code
        report(
            "c3",
            "Iraqi officials met a US delegation to sign an oil contract worth billions.",
            "2025-03-15",
            "042",
        ), // same key, a different story
        report("b7", S3, "2025-03-15", "042"), // joins the first
    ];
    let out = dedup(
        DedupOptions::new(DedupMode::Cluster),
        events.into_iter().map(|e| {
            let m = metas.get(&e.doc_id);
            (e, m)
        }),
    );
    let summary: Vec<(String, String, u32)> = out
        .iter()
        .map(|e| {
            (
                e.date.clone().unwrap_or_default(),
                e.event.cameo.clone(),
                e.mentions.unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("2025-03-15".to_string(), "042".to_string(), 2),
            ("2025-03-16".into(), "042".into(), 1),
            ("2025-03-15".into(), "043".into(), 1),
            ("2025-03-15".into(), "042".into(), 1),
        ]
    );
    assert_eq!(
        out[0].doc_ids.as_deref(),
        Some(&["a1".to_string(), "b7".into()][..])
    );
    // A threshold of 1.0 requires identical token sets.
    let strict = dedup(
        DedupOptions {
            mode: DedupMode::Cluster,
            threshold: 1.0,
        },
        [
            report("a1", S1, "2025-03-15", "042"),
            report("b7", S3, "2025-03-15", "042"),
        ]
        .into_iter()
        .map(|e| (e, None)),
    );
    assert_eq!(strict.len(), 2);
}

#[test]
fn negated_reports_never_merge_with_affirmed_ones() {
    let mut neg = report("b7", S2, "2025-03-15", "042");
    neg.modality = Some(dyad_core::event::Modality {
        negated: true,
        ..Default::default()
    });
    for mode in [DedupMode::Story, DedupMode::Day, DedupMode::Cluster] {
        let out = dedup(
            DedupOptions::new(mode),
            [report("b7", S1, "2025-03-15", "042"), neg.clone()]
                .into_iter()
                .map(|e| (e, None)),
        );
        assert_eq!(out.len(), 2, "{mode}");
    }
}

#[test]
fn story_mode_keeps_one_per_document() {
    let events = vec![
        report("a1", S1, "2025-03-15", "042"),
        report("a1", S2, "2025-03-15", "042"), // same story, same dyad+code
        report("a1", S2, "2025-03-15", "043"),
        report("b7", S1, "2025-03-15", "042"), // another story
    ];
    let mut d = Deduper::new(DedupOptions::new(DedupMode::Story));
    let kept: Vec<Event> = events.into_iter().filter_map(|e| d.push(e, None)).collect();
    assert!(d.finish().is_empty(), "story mode streams");
    let keys: Vec<(&str, &str, &str)> = kept
        .iter()
        .map(|e| {
            (
                e.doc_id.as_str(),
                e.event.cameo.as_str(),
                e.sentence.as_str(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [("a1", "042", S1), ("a1", "043", S2), ("b7", "042", S1)]
    );
}

#[test]
fn day_mode_is_the_one_a_day_filter() {
    let mut undated_a = report("a1", S1, "x", "042");
    undated_a.date = None;
    let mut undated_b = undated_a.clone();
    undated_b.doc_id = "b7".into();
    let events = vec![
        report("a1", S1, "2025-03-15", "042"),
        report("b7", "Entirely different words.", "2025-03-15", "042"), // same day: dropped
        report("c3", S1, "2025-03-16", "042"),
        undated_a.clone(),
        undated_a, // same document, undated: dropped
        undated_b, // other document, undated: kept
    ];
    let out = dedup(
        DedupOptions::new(DedupMode::Day),
        events.into_iter().map(|e| (e, None)),
    );
    let keys: Vec<(&str, Option<&str>)> = out
        .iter()
        .map(|e| (e.doc_id.as_str(), e.date.as_deref()))
        .collect();
    assert_eq!(
        keys,
        [
            ("a1", Some("2025-03-15")),
            ("c3", Some("2025-03-16")),
            ("a1", None),
            ("b7", None)
        ]
    );
    // The filter does not touch the clustering fields.
    assert!(out.iter().all(|e| e.mentions.is_none()));
}

#[test]
fn cluster_output_is_deterministic_under_reordering() {
    let metas = metas();
    let mk = || {
        vec![
            report("a1", S1, "2025-03-15", "042"),
            report("b7", S2, "2025-03-15", "042"),
            report("c3", S3, "2025-03-15", "042"),
        ]
    };
    let run = |evs: Vec<Event>| {
        dedup(
            DedupOptions::new(DedupMode::Cluster),
            evs.into_iter().map(|e| {
                let m = metas.get(&e.doc_id);
                (e, m)
            }),
        )
    };
    let a = run(mk());
    let mut rev = mk();
    rev.reverse();
    let b = run(rev);
    assert_eq!(a.len(), 1);
    assert_eq!(b.len(), 1);
    assert_eq!(a[0].sources, b[0].sources);
    assert_eq!(a[0].doc_ids, b[0].doc_ids);
    assert_eq!(a[0].mentions, b[0].mentions);
}

#[test]
fn voa_corpus_lines_deserialise_as_doc_meta() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/voa_stories.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipping: ../shared not found");
        return;
    };
    let metas: Vec<DocMeta> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a corpus line is a DocMeta"))
        .collect();
    assert!(metas.len() > 50);
    for m in &metas {
        assert!(!m.doc_id.is_empty());
        assert_eq!(m.outlet(), Some("voanews.com"), "{m:?}");
        assert!(m.published.is_some());
    }
}
