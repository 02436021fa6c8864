//! Load time of the full default dictionary set (target: <= 50 ms).
use criterion::{criterion_group, criterion_main, Criterion};

fn load(c: &mut Criterion) {
    let dir = dyad_curate::default_dict_dir();
    c.bench_function("load default dictionary set", |b| {
        b.iter(|| dyad_curate::load_default(&dir).expect("loads"))
    });
}

criterion_group!(benches, load);
criterion_main!(benches);
