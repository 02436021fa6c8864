//! Store query speed.
//!
//! Builds, once per run and in a temporary directory, a synthetic database
//! of `DYAD_BENCH_EVENTS` events (default 1,000,000: 10,000 documents of 100
//! events over 40 countries and five years, with a heavy IRQ–USA dyad of
//! about 10% of all events), then measures:
//! - `country_page/1M`: first page (100 events) of `country=IRQ`, either side;
//! - `country_all/20k`: every event of a country in a 20,000-event store
//!   (larger than the coded VOA corpus), what `dyad query --country` prints;
//! - `timeline_month/1M`, `timeline_day/1M`: the IRQ–USA timeline (both
//!   directions) over the whole store;
//! - `top_countries/1M`, `network_countries/1M`: what the dashboard loads
//!   (top 200 countries; heaviest 200 country pairs), whole period;
//! - `voa_toy/country_all`: when `../shared` exists, the real VOA stories
//!   ingested with the KeywordCoder test double, then all IRQ events.

use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use dyad_core::cameo::Codebook;
use dyad_core::event::{Actor, Event, EventCode, Evidence, Location};
use dyad_store::testing::KeywordCoder;
use dyad_store::{
    ingest, CodedDocument, Filter, IngestOptions, Interval, Role, SentenceRecord, Store,
};

const COUNTRIES: [&str; 40] = [
    "IRQ", "USA", "IRN", "SYR", "TUR", "RUS", "CHN", "FRA", "DEU", "GBR", "ISR", "PSE", "EGY",
    "SAU", "JOR", "LBN", "YEM", "AFG", "PAK", "IND", "UKR", "POL", "JPN", "KOR", "PRK", "BRA",
    "MEX", "CAN", "NGA", "ETH", "SDN", "LBY", "QAT", "ARE", "KWT", "OMN", "BHR", "ITA", "ESP",
    "GRC",
];
const CODES: [&str; 12] = [
    "010", "020", "036", "040", "042", "043", "051", "057", "070", "111", "130", "190",
];

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn synthetic_doc(i: usize, per_doc: usize, rng: &mut Rng) -> CodedDocument {
    let codebook = Codebook::builtin();
    let doc_id = format!("syn-{i:07}");
    let sentences: Vec<SentenceRecord> = (0..10)
        .map(|k| SentenceRecord {
            sentence_id: (k + 1).to_string(),
            start: k * 60,
            end: k * 60 + 59,
            text: format!("Synthetic sentence {k} of document {i} about officials meeting."),
        })
        .collect();
    let events = (0..per_doc)
        .map(|j| {
            let (s, t) = if rng.below(10) == 0 {
                if rng.below(2) == 0 {
                    ("IRQ", "USA")
                } else {
                    ("USA", "IRQ")
                }
            } else {
                let s = COUNTRIES[rng.below(40)];
                let mut t = COUNTRIES[rng.below(40)];
                if t == s {
                    t = COUNTRIES[(rng.below(39)
                        + 1
                        + COUNTRIES.iter().position(|c| *c == s).unwrap_or(0))
                        % 40];
                }
                (s, t)
            };
            let code = codebook
                .get(CODES[rng.below(CODES.len())])
                .expect("code in codebook");
            let day = rng.below(5 * 365);
            let (y, m, d) = dyad_store::date::civil_from_days(
                dyad_store::date::days_from_civil(2020, 1, 1) + day as i64,
            );
            let sid = (j % 10 + 1).to_string();
            Event {
                id: Some(format!("{doc_id}-{j}")),
                doc_id: doc_id.clone(),
                sentence_id: sid.clone(),
                sentence: sentences[j % 10].text.clone(),
                date: Some(format!("{y:04}-{m:02}-{d:02}")),
                date_precision: None,
                date_source: None,
                source: Some(Actor {
                    code: format!("{s}GOV"),
                    text: s.into(),
                    span: None,
                }),
                target: Some(Actor {
                    code: t.into(),
                    text: t.into(),
                    span: None,
                }),
                event: EventCode::from(code),
                issues: vec![],
                evidence: Evidence {
                    pattern: "* MEET +".into(),
                    dictionary: "synthetic:1".into(),
                    verb_text: None,
                    verb_span: None,
                },
                modality: None,
                location: (rng.below(4) == 0).then(|| Location {
                    name: "Somewhere".into(),
                    country: t.into(),
                    admin1: None,
                    lat: 10.0,
                    lon: 20.0,
                    geonameid: None,
                    source: "locative".into(),
                }),
                confidence: Some(0.8),
                mentions: None,
                sources: None,
                doc_ids: None,
            }
        })
        .collect();
    CodedDocument {
        doc_id,
        text: String::new(),
        published: None,
        source: Some("synthetic".into()),
        title: None,
        sentences,
        events,
    }
}

fn build(store: &mut Store, events: usize) {
    let per_doc = 100;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let started = Instant::now();
    let docs = events.div_ceil(per_doc);
    for chunk in (0..docs).collect::<Vec<_>>().chunks(200) {
        let batch: Vec<CodedDocument> = chunk
            .iter()
            .map(|&i| synthetic_doc(i, per_doc, &mut rng))
            .collect();
        store.put_documents(&batch).expect("bulk insert");
    }
    store
        .connection()
        .execute_batch("ANALYZE")
        .expect("analyze");
    eprintln!(
        "built {} events in {:.1}s",
        store.counts().expect("counts").events,
        started.elapsed().as_secs_f64()
    );
}

fn benches(c: &mut Criterion) {
    let n: usize = std::env::var("DYAD_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let label = if n == 1_000_000 {
        "1M".to_string()
    } else {
        n.to_string()
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut big = Store::open(&dir.path().join("big.db")).expect("open");
    build(&mut big, n);
    let mut small = Store::open(&dir.path().join("small.db")).expect("open");
    build(&mut small, 20_000);

    let irq = Filter {
        country: Some("IRQ".into()),
        country_role: Role::Either,
        limit: 100,
        ..Default::default()
    };
    c.bench_function(&format!("country_page/{label}"), |b| {
        b.iter(|| big.query(&irq).expect("query").events.len())
    });
    c.bench_function("country_all/20k", |b| {
        b.iter(|| small.query_all(&irq).expect("query").len())
    });
    let t = big
        .timeline("IRQ", "USA", Interval::Month, None, None)
        .expect("timeline");
    eprintln!(
        "IRQ-USA: {} + {} events in {} months",
        t.totals.a_to_b.count,
        t.totals.b_to_a.count,
        t.buckets.len()
    );
    c.bench_function(&format!("timeline_month/{label}"), |b| {
        b.iter(|| {
            big.timeline("IRQ", "USA", Interval::Month, None, None)
                .expect("timeline")
        })
    });
    c.bench_function(&format!("timeline_day/{label}"), |b| {
        b.iter(|| {
            big.timeline("IRQ", "USA", Interval::Day, None, None)
                .expect("timeline")
        })
    });
    c.bench_function(&format!("timeline_rare_dyad_month/{label}"), |b| {
        b.iter(|| {
            big.timeline("GRC", "KOR", Interval::Month, None, None)
                .expect("timeline")
        })
    });

    let by_country = dyad_store::ActorQuery {
        by_country: true,
        limit: 200,
        ..Default::default()
    };
    c.bench_function(&format!("top_countries/{label}"), |b| {
        b.iter(|| big.top_actors(&by_country).expect("actors").len())
    });
    c.bench_function(&format!("network_countries/{label}"), |b| {
        b.iter(|| big.network(&by_country).expect("network").len())
    });

    let voa = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/voa_stories.jsonl");
    if voa.exists() {
        let mut store = Store::open(&dir.path().join("voa.db")).expect("open");
        let summary = ingest(
            std::fs::read_to_string(&voa)
                .expect("VOA corpus")
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| {
                    serde_json::from_str::<dyad_store::IncomingDocument>(l).map_err(|e| {
                        dyad_store::IngestError {
                            origin: voa.display().to_string(),
                            message: e.to_string(),
                        }
                    })
                })
                .collect::<Vec<_>>(),
            &mut store,
            &KeywordCoder::default(),
            &IngestOptions {
                batch_size: 64,
                progress_bar: false,
                expected: None,
            },
            &mut |_| {},
        )
        .expect("ingest voa");
        eprintln!("VOA (toy coder): {summary}");
        let all = Filter {
            country: Some("IRQ".into()),
            ..Default::default()
        };
        c.bench_function("voa_toy/country_all", |b| {
            b.iter(|| store.query_all(&all).expect("query").len())
        });
    } else {
        eprintln!("skipping voa_toy: ../shared not found");
    }
}

criterion_group! {
    name = store;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(store);
