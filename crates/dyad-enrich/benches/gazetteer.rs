//! Gazetteer load time (target: <= 50 ms) and lookup cost.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use dyad_enrich::{Gazetteer, Hints};

fn bench(c: &mut Criterion) {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/gazetteer/gazetteer.tsv");
    c.bench_function("gazetteer_load_builtin", |b| {
        b.iter(|| black_box(Gazetteer::builtin().expect("loads")))
    });
    c.bench_function("gazetteer_load_from_file", |b| {
        b.iter(|| black_box(Gazetteer::from_path(&path).expect("loads")))
    });
    let g = Gazetteer::builtin().expect("loads");
    let names = [
        "Washington",
        "Fallujah",
        "Tripoli",
        "Paris",
        "Nowhereville",
        "São Paulo",
    ];
    c.bench_function("gazetteer_resolve_6_names", |b| {
        b.iter(|| {
            for n in names {
                black_box(g.resolve(black_box(n), &Hints::default()));
            }
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
