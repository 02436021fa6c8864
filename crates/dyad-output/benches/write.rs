//! Writer throughput (events/s) for jsonl, gdelt, csv, phoenix, plover
//! and parquet, writing 10,000 realistic events to an in-memory buffer.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use dyad_core::event::{
    Actor, DatePrecision, DateSource, Event, Evidence, Location, Modality, Span,
};
use dyad_core::Codebook;
use dyad_output::{writer, DocMeta, Format};

fn events(n: usize) -> Vec<Event> {
    let book = Codebook::builtin();
    let codes: Vec<_> = book.iter().collect();
    let actors = [
        "IRQGOV",
        "USA",
        "USAMIL",
        "IGOUNO",
        "SYRREB",
        "RUSGOVLEG",
        "FRA",
        "CHNBUS",
    ];
    (0..n)
        .map(|i| {
            let code = codes[(i * 7) % codes.len()];
            Event {
                id: Some(format!("{i:016x}")),
                doc_id: format!("doc-{}", i / 20),
                sentence_id: format!("{}", i % 20),
                sentence:
                    "Iraqi Prime Minister Mohammed Shia al-Sudani met the visiting US delegation \
                           in Baghdad on Saturday to discuss the withdrawal of coalition troops."
                        .into(),
                date: Some(format!("2025-03-{:02}", 1 + i % 28)),
                date_precision: Some(DatePrecision::Day),
                date_source: Some(DateSource::Publication),
                source: Some(Actor {
                    code: actors[i % actors.len()].into(),
                    text: "Iraqi Prime Minister Mohammed Shia al-Sudani".into(),
                    span: Some(Span { start: 0, end: 44 }),
                }),
                target: Some(Actor {
                    code: actors[(i + 3) % actors.len()].into(),
                    text: "the visiting US delegation".into(),
                    span: Some(Span { start: 49, end: 75 }),
                }),
                event: code.into(),
                issues: vec!["SECURITY".into()],
                evidence: Evidence {
                    pattern: "* MEET WITH +".into(),
                    dictionary: "data/dict/dyad.verbs.txt:1234".into(),
                    verb_text: Some("met".into()),
                    verb_span: Some(Span { start: 45, end: 48 }),
                },
                modality: Some(Modality::default()),
                location: (i % 2 == 0).then(|| Location {
                    name: "Baghdad".into(),
                    country: "IRQ".into(),
                    admin1: Some("07".into()),
                    lat: 33.34058,
                    lon: 44.40088,
                    geonameid: Some(98182),
                    source: "locative".into(),
                }),
                confidence: Some(0.8),
                mentions: None,
                sources: None,
                doc_ids: None,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let evs = events(10_000);
    let meta = DocMeta {
        doc_id: "doc".into(),
        source: Some("VOA".into()),
        url: Some("https://www.voanews.com/a/8011115.html".into()),
        published: Some("2025-03-14T20:30:26Z".into()),
    };
    let mut g = c.benchmark_group("write");
    g.throughput(Throughput::Elements(evs.len() as u64));
    g.sample_size(20);
    for f in [
        Format::Jsonl,
        Format::Gdelt,
        Format::Csv,
        Format::Phoenix,
        Format::Plover,
        Format::Parquet,
    ] {
        let mut buf: Vec<u8> = Vec::with_capacity(32 << 20);
        g.bench_with_input(BenchmarkId::from_parameter(f), &evs, |b, evs| {
            b.iter(|| {
                buf.clear();
                let mut w = writer(f, &mut buf).expect("writer");
                for e in evs {
                    w.write_with(e, Some(&meta)).expect("write");
                }
                w.finish().expect("finish")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
