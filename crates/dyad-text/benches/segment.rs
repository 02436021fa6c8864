//! Splitting + tokenizing throughput on the VOA corpus (and the seed
//! article), in sentences per second.
//!
//! `cargo bench -p dyad-text --bench segment`
//! Skips with a message when ../shared is absent.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use std::path::PathBuf;
use std::time::Duration;

/// CPU time of the calling thread: on a shared, overloaded machine wall
/// time mostly measures the scheduler, so the `cpu` variants report
/// throughput per CPU-second actually spent.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec we pass.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    p.is_dir().then_some(p)
}

fn bench(c: &mut Criterion) {
    let Some(sh) = shared() else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let voa_path = sh.join("corpus/voa_stories.jsonl");
    let raw = std::fs::read(&voa_path).expect("read VOA corpus");
    let out = dyad_text::read_bytes("voa_stories.jsonl", &raw, dyad_text::InputFormat::Jsonl);
    let docs = out.docs;
    let n_sent: usize = docs.iter().map(|d| dyad_text::segment(d).len()).sum();
    let n_bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    eprintln!(
        "VOA: {} docs, {} sentences, {} bytes of text",
        docs.len(),
        n_sent,
        n_bytes
    );

    let mut g = c.benchmark_group("voa");
    g.throughput(Throughput::Elements(n_sent as u64));
    g.bench_function("segment (sentences/s)", |b| {
        b.iter(|| {
            let mut n = 0;
            for d in &docs {
                n += dyad_text::segment(black_box(d)).len();
            }
            n
        })
    });
    g.bench_function("segment, thread CPU time (sentences/s)", |b| {
        b.iter_custom(|iters| {
            let t0 = thread_cpu();
            for _ in 0..iters {
                for d in &docs {
                    black_box(dyad_text::segment(black_box(d)));
                }
            }
            thread_cpu() - t0
        })
    });
    g.bench_function("read_jsonl+segment (sentences/s)", |b| {
        b.iter(|| {
            let out =
                dyad_text::read_bytes("voa.jsonl", black_box(&raw), dyad_text::InputFormat::Jsonl);
            out.docs
                .iter()
                .map(|d| dyad_text::segment(d).len())
                .sum::<usize>()
        })
    });
    g.finish();

    let seed = std::fs::read_to_string(sh.join("corpus/000_86ffe86b06bc2f2f.txt")).expect("seed");
    let doc = dyad_text::Document::new("seed", seed);
    let n = dyad_text::segment(&doc).len();
    let mut g = c.benchmark_group("seed");
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("segment hard-wrapped (sentences/s)", |b| {
        b.iter(|| dyad_text::segment(black_box(&doc)).len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
