//! Writer throughput (events/s) for jsonl, gdelt, csv, phoenix, plover
//! and parquet, writing 10,000 realistic events to an in-memory buffer.
//!
//! Two groups: `write` measures wall-clock time; `write_cpu` measures the
//! benchmark thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`), which stays
//! meaningful when other jobs share the machine's two cores.

use criterion::measurement::{Measurement, ValueFormatter};
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

/// Thread CPU time in nanoseconds.
struct ThreadCpu;

fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

impl Measurement for ThreadCpu {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, i: u64) -> u64 {
        thread_cpu_ns().saturating_sub(i)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &NsFormatter
    }
}

/// Formats nanoseconds of CPU time and element throughput.
struct NsFormatter;

impl ValueFormatter for NsFormatter {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (div, unit) = if typical < 1e3 {
            (1.0, "ns cpu")
        } else if typical < 1e6 {
            (1e3, "µs cpu")
        } else if typical < 1e9 {
            (1e6, "ms cpu")
        } else {
            (1e9, "s cpu")
        };
        values.iter_mut().for_each(|v| *v /= div);
        unit
    }

    fn scale_throughputs(&self, typical: f64, t: &Throughput, values: &mut [f64]) -> &'static str {
        let n = match t {
            Throughput::Elements(n) | Throughput::Bytes(n) | Throughput::BytesDecimal(n) => {
                *n as f64
            }
        };
        let per_sec = n * 1e9 / typical;
        let (div, unit) = if per_sec < 1e3 {
            (1.0, "elem/cpu-s")
        } else if per_sec < 1e6 {
            (1e3, "Kelem/cpu-s")
        } else {
            (1e6, "Melem/cpu-s")
        };
        values.iter_mut().for_each(|v| *v = n * 1e9 / *v / div);
        unit
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

fn bench_cpu(c: &mut Criterion<ThreadCpu>) {
    run(c, "write_cpu");
}

fn bench(c: &mut Criterion) {
    run(c, "write");
}

fn run<M: Measurement>(c: &mut Criterion<M>, name: &str) {
    let evs = events(10_000);
    let meta = DocMeta {
        doc_id: "doc".into(),
        source: Some("VOA".into()),
        url: Some("https://www.voanews.com/a/8011115.html".into()),
        published: Some("2025-03-14T20:30:26Z".into()),
    };
    let mut g = c.benchmark_group(name);
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
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpu);
    targets = bench_cpu
}
criterion_main!(benches, cpu);
