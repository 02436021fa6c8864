//! Store behaviour: replacement, filters, pagination, timeline arithmetic,
//! top actors and ingest error handling. Uses the toy `KeywordCoder` test
//! double; dyad's real coder is tested in its own crate.

use std::collections::HashSet;

use dyad_store::testing::KeywordCoder;
use dyad_store::{
    ingest, ActorQuery, DocumentCoder, Filter, IncomingDocument, IngestError, IngestOptions,
    Interval, Role, Store,
};

fn doc(id: &str, date: Option<&str>, text: &str) -> IncomingDocument {
    IncomingDocument {
        doc_id: Some(id.into()),
        text: text.into(),
        published: date.map(str::to_string),
        ..Default::default()
    }
}

fn put(store: &mut Store, d: IncomingDocument) {
    let coded = KeywordCoder::default().code(d).expect("codes");
    store.put_document(&coded).expect("stores");
}

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("events.db")).expect("opens");
    (dir, store)
}

#[test]
fn wal_mode_and_replace_by_doc_id() {
    let (_dir, mut store) = temp_store();
    let mode: String = store
        .connection()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("pragma");
    assert_eq!(mode, "wal");
    put(
        &mut store,
        doc(
            "d1",
            Some("2024-01-10"),
            "Iraq met France. Iraq attacked Iran. Zebras grazed peacefully.",
        ),
    );
    let c = store.counts().expect("counts");
    assert_eq!((c.documents, c.sentences, c.events), (1, 3, 2));
    let zebra = Filter {
        text: Some("zebras".into()),
        ..Default::default()
    };
    assert_eq!(
        store.query(&zebra).expect("fts").events.len(),
        0,
        "no event in that sentence"
    );
    let grazing = Filter {
        text: Some("attacked".into()),
        ..Default::default()
    };
    assert_eq!(store.query(&grazing).expect("fts").events.len(), 1);

    // Same doc_id again, different text: replaced, not duplicated, and the
    // old sentences leave the full-text index.
    put(
        &mut store,
        doc("d1", Some("2024-01-11"), "Russia praised China."),
    );
    let c = store.counts().expect("counts");
    assert_eq!((c.documents, c.sentences, c.events), (1, 1, 1));
    assert_eq!(store.query(&grazing).expect("fts").events.len(), 0);
    let fts_rows: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'zebras'",
            [],
            |r| r.get(0),
        )
        .expect("fts count");
    assert_eq!(fts_rows, 0);
    let d = store.document("d1").expect("read").expect("present");
    assert_eq!(d.text, "Russia praised China.");
    assert_eq!(d.published.as_deref(), Some("2024-01-11"));
}

fn sample_store() -> (tempfile::TempDir, Store) {
    let (dir, mut store) = temp_store();
    put(
        &mut store,
        doc(
            "a",
            Some("2024-01-05"),
            "Iraq met the United States in Washington.",
        ),
    );
    put(
        &mut store,
        doc(
            "b",
            Some("2024-01-20"),
            "The United States criticized Iraq.",
        ),
    );
    put(
        &mut store,
        doc(
            "c",
            Some("2024-02-03"),
            "Iraq attacked Iran. France praised Germany.",
        ),
    );
    put(
        &mut store,
        doc("d", Some("2024-03-15"), "Iraq discussed aid with Russia."),
    );
    put(&mut store, doc("e", None, "Iraq met the United States."));
    (dir, store)
}

fn ids(store: &Store, f: Filter) -> Vec<String> {
    store
        .query(&f)
        .expect("query")
        .events
        .into_iter()
        .map(|e| format!("{}:{}", e.event.doc_id, e.event.sentence_id))
        .collect()
}

#[test]
fn filters() {
    let (_dir, store) = sample_store();
    let country = |c: &str, role| Filter {
        country: Some(c.into()),
        country_role: role,
        ..Default::default()
    };
    // Newest first, undated last.
    assert_eq!(
        ids(&store, country("IRQ", Role::Either)),
        ["d:1", "c:1", "b:1", "a:1", "e:1"]
    );
    assert_eq!(
        ids(&store, country("IRQ", Role::Source)),
        ["d:1", "c:1", "a:1", "e:1"]
    );
    assert_eq!(ids(&store, country("IRQ", Role::Target)), ["b:1"]);
    assert_eq!(
        ids(
            &store,
            Filter {
                dyad: Some(("IRQ".into(), "USA".into())),
                ..Default::default()
            }
        ),
        ["a:1", "e:1"]
    );
    assert_eq!(
        ids(
            &store,
            Filter {
                dyad: Some(("IRQ".into(), "USA".into())),
                dyad_both_directions: true,
                ..Default::default()
            }
        ),
        ["b:1", "a:1", "e:1"]
    );
    let root = |r: &str| Filter {
        root: Some(r.into()),
        ..Default::default()
    };
    assert_eq!(ids(&store, root("04")), ["d:1", "a:1", "e:1"]);
    assert_eq!(
        ids(
            &store,
            Filter {
                cameo: Some("19".into()),
                ..Default::default()
            }
        ),
        ["c:1"]
    );
    assert_eq!(
        ids(
            &store,
            Filter {
                quad_class: Some(3),
                ..Default::default()
            }
        ),
        ["b:1"]
    );
    // A month as `to` covers the whole month; undated events never match a range.
    assert_eq!(
        ids(
            &store,
            Filter {
                from: Some("2024-01-06".into()),
                to: Some("2024-02".into()),
                ..Default::default()
            }
        ),
        ["c:2", "c:1", "b:1"]
    );
    assert_eq!(
        ids(
            &store,
            Filter {
                to: Some("2024-01".into()),
                ..Default::default()
            }
        ),
        ["b:1", "a:1"]
    );
    assert_eq!(
        ids(
            &store,
            Filter {
                location_country: Some("USA".into()),
                ..Default::default()
            }
        ),
        ["a:1"]
    );
    assert_eq!(
        ids(
            &store,
            Filter {
                actor: Some("FR".into()),
                actor_role: Role::Source,
                ..Default::default()
            }
        ),
        ["c:2"]
    );
    assert_eq!(
        ids(
            &store,
            Filter {
                text: Some("criticized OR aid".into()),
                ..Default::default()
            }
        ),
        ["d:1", "b:1"]
    );
    // Sentence offsets are returned for highlighting.
    let page = store
        .query(&Filter {
            doc_id: Some("c".into()),
            ..Default::default()
        })
        .expect("query");
    let second = page
        .events
        .iter()
        .find(|e| e.event.sentence_id == "2")
        .expect("second sentence event");
    // Sentence text is stored once and restored on read.
    assert_eq!(second.event.sentence, "France praised Germany.");
    assert_eq!(
        second.sentence_start,
        Some("Iraq attacked Iran. ".chars().count())
    );
    // Bad input is an error, not a panic.
    assert!(store
        .query(&Filter {
            from: Some("yesterday".into()),
            ..Default::default()
        })
        .is_err());
    assert!(store
        .query(&Filter {
            text: Some("\"unbalanced".into()),
            ..Default::default()
        })
        .is_err());
    assert!(store
        .query(&Filter {
            cursor: Some("nonsense".into()),
            ..Default::default()
        })
        .is_err());
}

#[test]
fn cursor_pagination_visits_every_event_once_in_order() {
    let (_dir, mut store) = temp_store();
    for i in 0..37 {
        // Several events share a day, so the cursor must break ties.
        let day = format!("2024-05-{:02}", 1 + i % 9);
        put(
            &mut store,
            doc(
                &format!("p{i}"),
                Some(&day),
                "Iraq met France. France met Iraq.",
            ),
        );
    }
    let full: Vec<String> = ids(
        &store,
        Filter {
            limit: 1000,
            ..Default::default()
        },
    );
    assert_eq!(full.len(), 74);
    let mut f = Filter {
        limit: 5,
        ..Default::default()
    };
    let mut paged = Vec::new();
    let mut pages = 0;
    loop {
        let page = store.query(&f).expect("page");
        pages += 1;
        assert!(page.events.len() <= 5);
        paged.extend(
            page.events
                .iter()
                .map(|e| format!("{}:{}", e.event.doc_id, e.event.sentence_id)),
        );
        match page.next_cursor {
            Some(c) => f.cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(pages, 15);
    assert_eq!(paged, full);
    let unique: HashSet<&String> = paged.iter().collect();
    assert_eq!(unique.len(), 74);

    // The same through the UNION ALL plan of an either-side filter, with
    // ties on the day broken by the cursor.
    put(
        &mut store,
        doc("other", Some("2024-05-03"), "Russia met China."),
    );
    let either = Filter {
        country: Some("FRA".into()),
        country_role: Role::Either,
        limit: 4,
        ..Default::default()
    };
    let mut f = either.clone();
    let mut paged = Vec::new();
    loop {
        let page = store.query(&f).expect("page");
        paged.extend(
            page.events
                .iter()
                .map(|e| format!("{}:{}", e.event.doc_id, e.event.sentence_id)),
        );
        match page.next_cursor {
            Some(c) => f.cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(paged, full, "every FRA event once, in the same order");
}

#[test]
fn timeline_math() {
    let (_dir, mut store) = temp_store();
    // IRQ->USA: 040 (q1, +1.0) on Jan 1 and Jan 3 (same ISO week as Jan 1,
    // 2024 is a Monday), 190 (q4, -10) on Jan 8; USA->IRQ: 111 (q3, -2.0) on Feb 2.
    put(
        &mut store,
        doc("t1", Some("2024-01-01"), "Iraq met the United States."),
    );
    put(
        &mut store,
        doc("t2", Some("2024-01-03"), "Iraq met the United States."),
    );
    put(
        &mut store,
        doc("t3", Some("2024-01-08"), "Iraq attacked the United States."),
    );
    put(
        &mut store,
        doc(
            "t4",
            Some("2024-02-02"),
            "The United States criticized Iraq.",
        ),
    );
    put(&mut store, doc("t5", None, "Iraq met the United States."));
    put(
        &mut store,
        doc("t6", Some("2024-01-05"), "Iraq attacked Iran."),
    );
    // A month-precision event: placed monthly, unplaced daily.
    let mut coded = KeywordCoder::default()
        .code(doc(
            "t7",
            Some("2024-01-09"),
            "Iraq praised the United States.",
        ))
        .expect("codes");
    coded.events[0].date = Some("2024-02".into());
    store.put_document(&coded).expect("stores");

    let t = store
        .timeline("IRQ", "USA", Interval::Month, None, None)
        .expect("timeline");
    let periods: Vec<&str> = t.buckets.iter().map(|b| b.period.as_str()).collect();
    assert_eq!(periods, ["2024-01", "2024-02"]);
    let jan = &t.buckets[0];
    assert_eq!(jan.a_to_b.count, 3);
    assert_eq!(jan.a_to_b.quad_counts, [2, 0, 0, 1]);
    assert!((jan.a_to_b.goldstein_sum - (1.0 + 1.0 - 10.0)).abs() < 1e-6);
    assert!((jan.a_to_b.goldstein_mean.expect("mean") - (-8.0 / 3.0)).abs() < 1e-6);
    assert_eq!(jan.b_to_a.count, 0);
    assert_eq!(jan.b_to_a.goldstein_mean, None);
    let feb = &t.buckets[1];
    assert_eq!(feb.b_to_a.quad_counts, [0, 0, 1, 0]);
    assert!((feb.b_to_a.goldstein_sum + 2.0).abs() < 1e-6);
    assert_eq!(feb.a_to_b.count, 1, "the month-precision praise");
    assert_eq!(feb.a_to_b.roots.get("05"), Some(&1));
    assert_eq!(t.unplaced.a_to_b.count, 1, "the undated event");
    assert_eq!(t.unplaced.a_to_b.roots.get("04"), Some(&1));
    assert_eq!(t.totals.a_to_b.count, 5);
    assert_eq!(t.totals.b_to_a.count, 1);

    let w = store
        .timeline("IRQ", "USA", Interval::Week, None, None)
        .expect("weekly");
    let periods: Vec<&str> = w.buckets.iter().map(|b| b.period.as_str()).collect();
    assert_eq!(periods, ["2024-01-01", "2024-01-08", "2024-01-29"]);
    assert_eq!(w.buckets[0].a_to_b.count, 2);
    assert_eq!(w.unplaced.a_to_b.count, 2, "undated + month precision");

    let d = store
        .timeline(
            "IRQ",
            "USA",
            Interval::Day,
            Some("2024-01-02"),
            Some("2024-01-31"),
        )
        .expect("daily");
    let periods: Vec<&str> = d.buckets.iter().map(|b| b.period.as_str()).collect();
    assert_eq!(periods, ["2024-01-03", "2024-01-08"]);
    assert_eq!(
        d.totals.a_to_b.count, 2,
        "range excludes undated and out-of-range"
    );

    // Reversing the dyad swaps the directions.
    let r = store
        .timeline("USA", "IRQ", Interval::Month, None, None)
        .expect("reverse");
    assert_eq!(r.buckets[0].b_to_a, t.buckets[0].a_to_b);
}

#[test]
fn top_actors_and_network() {
    let (_dir, store) = sample_store();
    let top = store
        .top_actors(&ActorQuery {
            by_country: true,
            ..Default::default()
        })
        .expect("top");
    assert_eq!(top[0].actor, "IRQ");
    assert_eq!(
        (top[0].as_source, top[0].as_target, top[0].total),
        (4, 1, 5)
    );
    assert_eq!(top[1].actor, "USA");
    assert_eq!(top[1].total, 3);
    let jan = store
        .top_actors(&ActorQuery {
            by_country: true,
            from: Some("2024-01".into()),
            to: Some("2024-01".into()),
            ..Default::default()
        })
        .expect("top jan");
    let names: Vec<&str> = jan.iter().map(|a| a.actor.as_str()).collect();
    assert_eq!(names, ["IRQ", "USA"]);
    assert_eq!(jan[0].total, 2);
    let net = store
        .network(&ActorQuery {
            by_country: true,
            ..Default::default()
        })
        .expect("net");
    let irq_usa = net
        .iter()
        .find(|e| e.source == "IRQ" && e.target == "USA")
        .expect("edge");
    assert_eq!(irq_usa.count, 2);
    assert!((irq_usa.goldstein_mean - 1.0).abs() < 1e-6);
}

#[test]
fn ingest_skips_bad_documents_and_reports() {
    let (_dir, mut store) = temp_store();
    let docs = vec![
        Ok(doc("ok1", Some("2024-01-01"), "Iraq met France.")),
        Err(IngestError {
            origin: "feed.jsonl:2".into(),
            message: "bad JSON".into(),
        }),
        Ok(doc("nul", None, "Iraq met\u{0} France.")),
        Ok(doc("empty", None, "   ")),
        Ok(doc(
            "ok2",
            Some("2024-01-02"),
            "France met Iraq. Iran attacked Iraq.",
        )),
    ];
    let mut commits = Vec::new();
    let summary = ingest(
        docs,
        &mut store,
        &KeywordCoder::default(),
        &IngestOptions {
            batch_size: 1,
            progress_bar: false,
            expected: None,
        },
        &mut |p| commits.push(p.committed.clone()),
    )
    .expect("ingest");
    assert_eq!(summary.documents, 2);
    assert_eq!(summary.sentences, 3);
    assert_eq!(summary.events, 3);
    let origins: Vec<&str> = summary.errors.iter().map(|e| e.origin.as_str()).collect();
    assert_eq!(origins, ["feed.jsonl:2", "nul", "empty"]);
    assert!(summary.errors[1].message.contains("NUL"));
    assert_eq!(commits, [vec!["ok1".to_string()], vec!["ok2".to_string()]]);
    assert_eq!(store.counts().expect("counts").documents, 2);
}

/// A coder that records the batches `ingest` hands it and codes each
/// batch back to front (as threads might finish), returning the results
/// in order.
struct Batches {
    inner: KeywordCoder,
    sizes: std::sync::Mutex<Vec<usize>>,
}

impl DocumentCoder for Batches {
    fn code(&self, doc: IncomingDocument) -> Result<dyad_store::CodedDocument, String> {
        self.inner.code(doc)
    }
    fn code_batch(
        &self,
        docs: Vec<IncomingDocument>,
    ) -> Vec<Result<dyad_store::CodedDocument, String>> {
        self.sizes.lock().expect("lock").push(docs.len());
        let mut out: Vec<_> = docs.into_iter().rev().map(|d| self.inner.code(d)).collect();
        out.reverse();
        out
    }
}

#[test]
fn ingest_codes_in_batches_and_stores_in_order() {
    let texts = [
        "Iraq met France.",
        "France met Iraq.",
        "Iraq met\u{0} France.",
        "Iran attacked Iraq.",
        "Iraq met Iran.",
        "France met Iran.",
        "Iran met France.",
    ];
    let docs = || {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Ok(doc(&format!("d{i}"), Some("2024-01-01"), t)))
            .collect::<Vec<_>>()
    };
    let run = |coder: &dyn DocumentCoder, batch_size: usize| {
        let (_dir, mut store) = temp_store();
        let mut commits = Vec::new();
        let summary = ingest(
            docs(),
            &mut store,
            coder,
            &IngestOptions {
                batch_size,
                progress_bar: false,
                expected: None,
            },
            &mut |p| commits.push(p.committed.clone()),
        )
        .expect("ingest");
        let events: Vec<String> = store
            .query(&Filter::default())
            .expect("query")
            .events
            .iter()
            .map(|e| serde_json::to_string(&e.event).expect("event serializes"))
            .collect();
        let errors: Vec<String> = summary.errors.iter().map(|e| e.origin.clone()).collect();
        (summary.documents, events, errors, commits)
    };
    let batches = Batches {
        inner: KeywordCoder::default(),
        sizes: Default::default(),
    };
    let (n, events, errors, commits) = run(&batches, 3);
    assert_eq!(*batches.sizes.lock().expect("lock"), [3, 3, 1]);
    assert_eq!(n, 6);
    assert_eq!(errors, ["d2"]);
    let ids = |r: std::ops::Range<usize>| r.map(|i| format!("d{i}")).collect::<Vec<_>>();
    let first: Vec<String> = ["d0", "d1", "d3"].iter().map(|s| s.to_string()).collect();
    assert_eq!(commits, [first, ids(4..7)]);
    // the same database as coding one document at a time
    let (n1, events1, errors1, _) = run(&KeywordCoder::default(), 1);
    assert_eq!((n, &events, &errors), (n1, &events1, &errors1));
    assert!(events.len() >= 6, "{events:?}");
}
