//! End-to-end throughput: raw text → sentences → tag+parse → events
//! (+ enrichment), on one core, with dyad's default dictionaries and model.
//!
//! Corpora: the VOA stories (../shared/corpus/voa_stories.jsonl) and the EWT
//! test sentences (their `# text` lines, as raw text). Skips with a message
//! when ../shared is absent. Throughput is reported in sentences/s
//! (criterion "elements").
//!
//! Variants, in one run so their ratios are honest on a noisy machine:
//! `enriched` (the default pipeline: enrichment on, sentence pre-filter on),
//! `enriched_nofilter` (pre-filter off: every sentence tagged and parsed),
//! `no_enrichment` (pre-filter on) and `no_enrichment_nofilter`. Also the
//! one-time cost of building the pre-filter's lemmatizer copy
//! (`setup/model_lemmas`).
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dyad::{data, Pipeline, PipelineOptions};
use dyad_coder::{Coder, CoderOptions};
use dyad_text::{Document, InputFormat};

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    p.join("data").is_dir().then_some(p)
}

fn pipeline(enrich: bool, skip_eventless: bool) -> Pipeline {
    let dicts = data::default_dictionaries().expect("default dictionaries");
    let model = data::load_model(None).expect("compiled-in model");
    let en = enrich.then(|| dyad_enrich::Enricher::builtin().expect("gazetteer"));
    Pipeline::new(
        Coder::new(dicts, CoderOptions::default()),
        Some(model),
        en,
        PipelineOptions {
            skip_eventless,
            ..PipelineOptions::default()
        },
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
    let variants = [
        ("enriched", pipeline(true, true)),
        ("enriched_nofilter", pipeline(true, false)),
        ("no_enrichment", pipeline(false, true)),
        ("no_enrichment_nofilter", pipeline(false, false)),
    ];
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
        let mut st = dyad::SkipStats::default();
        for d in docs.iter() {
            st += variants[0].1.skip_stats(d);
        }
        eprintln!(
            "{name}: {n} sentences; pre-filter skips {} before tagging, {} more after",
            st.before_tagging, st.after_tagging
        );
        for (variant, pipe) in &variants {
            g.bench_function(format!("{name}/{variant}"), |b| {
                b.iter(|| {
                    docs.iter()
                        .map(|d| pipe.code_document(d).events.len())
                        .sum::<usize>()
                })
            });
        }
    }
    g.finish();
    let model = data::load_model(None).expect("compiled-in model");
    let mut g = c.benchmark_group("setup");
    g.sample_size(10);
    g.bench_function("model_lemmas", |b| {
        b.iter(|| dyad::prefilter::ModelLemmas::new(&model).is_some())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
