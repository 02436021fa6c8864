//! End-to-end throughput: raw text → sentences → tag+parse → events
//! (+ enrichment), on one core, with dyad's default dictionaries and model.
//!
//! Corpora: the VOA stories (../shared/corpus/voa_stories.jsonl) and the EWT
//! test sentences (their `# text` lines, as raw text). Skips with a message
//! when ../shared is absent. Throughput is reported in sentences/s
//! (criterion "elements").
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dyad::{data, Pipeline, PipelineOptions};
use dyad_coder::{Coder, CoderOptions};
use dyad_text::{Document, InputFormat};

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    p.join("data").is_dir().then_some(p)
}

fn pipeline(enrich: bool) -> Pipeline {
    let dicts = data::default_dictionaries().expect("default dictionaries");
    let model = data::load_model(None).expect("compiled-in model");
    let en = enrich.then(|| dyad_enrich::Enricher::builtin().expect("gazetteer"));
    Pipeline::new(
        Coder::new(dicts, CoderOptions::default()),
        Some(model),
        en,
        PipelineOptions::default(),
    )
}

fn ewt_docs(path: &std::path::Path) -> Vec<Document> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.strip_prefix("# text = "))
        .enumerate()
        .map(|(i, t)| Document::new(format!("ewt-{i}"), t.to_string()))
        .collect()
}

fn bench(c: &mut Criterion) {
    let Some(shared) = shared() else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let voa = dyad_text::read_path(shared.join("corpus/voa_stories.jsonl"), InputFormat::Jsonl)
        .expect("VOA corpus")
        .docs;
    let ewt = ewt_docs(&shared.join("data/ud-ewt/en_ewt-ud-test.conllu"));
    let full = pipeline(true);
    let bare = pipeline(false);
    let mut g = c.benchmark_group("raw_to_events");
    g.sample_size(10);
    for (name, docs) in [("voa", &voa), ("ewt_test", &ewt)] {
        let n: usize = docs
            .iter()
            .map(|d| {
                dyad_text::segment(d)
                    .iter()
                    .filter(|s| !s.is_heading)
                    .count()
            })
            .sum();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(format!("{name}/enriched"), |b| {
            b.iter(|| {
                docs.iter()
                    .map(|d| full.code_document(d).events.len())
                    .sum::<usize>()
            })
        });
        g.bench_function(format!("{name}/no_enrichment"), |b| {
            b.iter(|| {
                docs.iter()
                    .map(|d| bare.code_document(d).events.len())
                    .sum::<usize>()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
