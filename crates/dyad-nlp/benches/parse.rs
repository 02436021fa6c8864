//! Tag+parse throughput of the committed model on the EWT test sentences,
//! and model load time. Skips when ../shared is absent.
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dyad_nlp::{conllu, Model};

const MODEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/en-ewt.dyadnlp");
const TEST: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/ud-ewt/en_ewt-ud-test.conllu"
);

fn bench(c: &mut Criterion) {
    let Ok(corpus) = conllu::read_file(TEST) else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let Ok(bytes) = std::fs::read(MODEL) else {
        eprintln!("skipping: model {MODEL} not found");
        return;
    };
    let sents: Vec<Vec<&str>> = corpus.sentences.iter().map(|s| s.forms()).collect();
    let model = match Model::from_bytes(&bytes) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("skipping: {e}");
            return;
        }
    };
    let mut g = c.benchmark_group("ewt-test");
    g.throughput(Throughput::Elements(sents.len() as u64));
    g.sample_size(20);
    g.bench_function("tag+parse (sentences)", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for s in &sents {
                n += model.analyze(s).head.len();
            }
            n
        })
    });
    g.finish();
    let mut g = c.benchmark_group("model");
    g.sample_size(10);
    g.bench_function("load from file", |b| {
        b.iter(|| Model::load(MODEL).map(|m| m.deprels().len()).unwrap_or(0))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
