//! End-to-end throughput: raw text → sentences → tag+parse → events
//! (+ enrichment), on one core, with dyad's default dictionaries and model.
//!
//! Corpora: the VOA stories (../shared/corpus/voa_stories.jsonl) and the EWT
//! test sentences (their `# text` lines, as raw text). Skips with a message
//! when ../shared is absent. Throughput is reported in sentences/s
//! (criterion "elements").
//!
//! Time is the benchmark thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`), so
//! figures are sentences per CPU-second and stay comparable on a loaded,
//! shared machine; set `DYAD_BENCH_WALL=1` for wall-clock time instead.
//!
//! Variants, in one run so their ratios are honest on a noisy machine:
//! `enriched` (the default pipeline: enrichment on, sentence pre-filter on),
//! `enriched_nofilter` (pre-filter off: every sentence tagged and parsed),
//! `enriched_parse_first` (pre-filter on, but the tag-level tests made after
//! parsing, as before `Model::tag`/`Model::parse_tagged` existed: what
//! skipping the parse of sentences that fail them gains),
//! `no_enrichment` (pre-filter on) and `no_enrichment_nofilter`. Also the
//! one-time cost of building the pre-filter's view of the model's
//! lemmatizer (`setup/model_lemmas`), and two non-parser stages alone
//! (`stages/*/segment`, `stages/*/from_vectors`, and
//! `stages/*/rebuild_from_vectors`: one tree rebuilt in place, as the
//! pipeline does).
//!
//! `raw_to_events_parallel` (always wall-clock time): the default pipeline
//! on one thread and on one worker per core (`dyad::Workers`, documents in
//! parallel), in the same run.
use std::path::PathBuf;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{criterion_group, Criterion, Throughput};
use dyad::{data, Pipeline, PipelineOptions};
use dyad_coder::{Coder, CoderOptions, ParsedSentence};
use dyad_text::{Document, InputFormat};

// the same allocator as the `dyad` binary (see crates/dyad/NOTES.md)
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    p.join("data").is_dir().then_some(p)
}

fn pipeline(enrich: bool, skip_eventless: bool) -> Pipeline {
    pipeline_with(enrich, skip_eventless, true)
}

fn pipeline_with(enrich: bool, skip_eventless: bool, test_tags_before_parse: bool) -> Pipeline {
    let dicts = data::default_dictionaries().expect("default dictionaries");
    let model = data::load_model(None).expect("compiled-in model");
    let en = enrich.then(|| dyad_enrich::Enricher::builtin().expect("gazetteer"));
    Pipeline::new(
        Coder::new(dicts, CoderOptions::default()),
        Some(model),
        en,
        PipelineOptions {
            skip_eventless,
            test_tags_before_parse,
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

/// The sentences of `docs` that the pipeline codes (headings are not).
fn sentences(docs: &[Document]) -> usize {
    docs.iter()
        .map(|d| {
            dyad_text::segment(d)
                .iter()
                .filter(|s| !s.is_heading)
                .count()
        })
        .sum()
}

/// CPU time of the calling thread, in nanoseconds.
fn thread_cpu_ns() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    ts.tv_sec as f64 * 1e9 + ts.tv_nsec as f64
}

/// Criterion measurement: thread CPU time.
struct CpuTime;

impl Measurement for CpuTime {
    type Intermediate = f64;
    type Value = f64;
    fn start(&self) -> f64 {
        thread_cpu_ns()
    }
    fn end(&self, i: f64) -> f64 {
        thread_cpu_ns() - i
    }
    fn add(&self, a: &f64, b: &f64) -> f64 {
        a + b
    }
    fn zero(&self) -> f64 {
        0.0
    }
    fn to_f64(&self, v: &f64) -> f64 {
        *v
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuFormatter
    }
}

struct CpuFormatter;

impl ValueFormatter for CpuFormatter {
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
        let per = match t {
            Throughput::Bytes(n) | Throughput::BytesDecimal(n) | Throughput::Elements(n) => {
                *n as f64
            }
        };
        let per_cpu_s = per * 1e9 / typical;
        let (div, unit) = if per_cpu_s < 1e3 {
            (1.0, "elem/cpu-s")
        } else if per_cpu_s < 1e6 {
            (1e3, "Kelem/cpu-s")
        } else {
            (1e6, "Melem/cpu-s")
        };
        values.iter_mut().for_each(|v| *v = per * 1e9 / *v / div);
        unit
    }
    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

fn bench<M: Measurement>(c: &mut Criterion<M>) {
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
        ("enriched_parse_first", pipeline_with(true, true, false)),
        ("no_enrichment", pipeline(false, true)),
        ("no_enrichment_nofilter", pipeline(false, false)),
    ];
    let mut g = c.benchmark_group("raw_to_events");
    g.sample_size(10);
    for (name, docs) in [("voa", &voa), ("ewt_test", &ewt)] {
        let n = sentences(docs);
        g.throughput(Throughput::Elements(n as u64));
        let mut st = dyad::SkipStats::default();
        for d in docs.iter() {
            st += variants[0].1.skip_stats(d);
        }
        eprintln!(
            "{name}: {n} sentences; pre-filter skips {} before tagging, {} more after tagging (not parsed)",
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
    stages(c, &voa, &ewt);
    let model = std::sync::Arc::new(data::load_model(None).expect("compiled-in model"));
    let mut g = c.benchmark_group("setup");
    g.sample_size(10);
    g.bench_function("model_lemmas", |b| {
        b.iter(|| dyad::prefilter::ModelLemmas::new(model.clone()))
    });
    g.finish();
}

/// The non-parser stages alone, per corpus: segmentation (split +
/// tokenize) of every document, and building the coder's tree
/// (`ParsedSentence::from_vectors`) from stored tag+parse results of every
/// sentence. Throughput in sentences, as above.
fn stages<M: Measurement>(c: &mut Criterion<M>, voa: &[Document], ewt: &[Document]) {
    let model = data::load_model(None).expect("compiled-in model");
    let mut g = c.benchmark_group("stages");
    g.sample_size(10);
    for (name, docs) in [("voa", voa), ("ewt_test", ewt)] {
        let sents: Vec<Vec<String>> = docs
            .iter()
            .flat_map(dyad_text::segment)
            .filter(|s| !s.is_heading && !s.tokens.is_empty())
            .map(|s| s.tokens.into_iter().map(|t| t.text).collect())
            .collect();
        g.throughput(Throughput::Elements(sents.len() as u64));
        g.bench_function(format!("{name}/segment"), |b| {
            b.iter(|| {
                docs.iter()
                    .map(|d| dyad_text::segment(d).len())
                    .sum::<usize>()
            })
        });
        type Parsed<'m> = (Vec<&'m str>, dyad_nlp::Lemmas, Vec<usize>, Vec<&'m str>);
        let parsed: Vec<Parsed<'_>> = sents
            .iter()
            .map(|w| {
                let words: Vec<&str> = w.iter().map(String::as_str).collect();
                let a = model.analyze(&words);
                let heads = a.head.iter().map(|&h| h as usize).collect();
                (a.xpos, a.lemma, heads, a.deprel)
            })
            .collect();
        g.bench_function(format!("{name}/from_vectors"), |b| {
            b.iter(|| {
                sents
                    .iter()
                    .zip(&parsed)
                    .filter_map(|(w, (xpos, lemma, heads, deprel))| {
                        let words: Vec<&str> = w.iter().map(String::as_str).collect();
                        let lemmas: Vec<&str> = lemma.to_strs();
                        ParsedSentence::from_vectors(&words, xpos, &lemmas, heads, deprel).ok()
                    })
                    .map(|p| p.nodes.len())
                    .sum::<usize>()
            })
        });
        // as the pipeline does it: one tree rebuilt in place
        g.bench_function(format!("{name}/rebuild_from_vectors"), |b| {
            let mut tree = ParsedSentence::default();
            b.iter(|| {
                let mut nodes = 0;
                for (w, (xpos, lemma, heads, deprel)) in sents.iter().zip(&parsed) {
                    let words: Vec<&str> = w.iter().map(String::as_str).collect();
                    let lemmas: Vec<&str> = lemma.to_strs();
                    if tree
                        .rebuild_from_vectors(&words, xpos, &lemmas, heads, deprel)
                        .is_ok()
                    {
                        nodes += tree.nodes.len();
                    }
                }
                nodes
            })
        });
    }
    g.finish();
}

/// Raw → events on all cores (`dyad::Workers`, documents in parallel, the
/// default pipeline), against one thread in the same run; wall-clock time,
/// since CPU time cannot show parallel speed-up.
fn parallel(c: &mut Criterion<WallTime>) {
    let Some(shared) = shared() else {
        return;
    };
    let voa = dyad_text::read_path(shared.join("corpus/voa_stories.jsonl"), InputFormat::Jsonl)
        .expect("VOA corpus")
        .docs;
    let ewt = ewt_docs(&shared.join("data/ud-ewt/en_ewt-ud-test.conllu"));
    let pipe = pipeline(true, true);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut jobs = vec![1];
    if cores > 1 {
        jobs.push(cores);
    }
    let mut g = c.benchmark_group("raw_to_events_parallel");
    g.sample_size(10);
    for (name, docs) in [("voa", &voa), ("ewt_test", &ewt)] {
        let n = sentences(docs);
        g.throughput(Throughput::Elements(n as u64));
        for &j in &jobs {
            let w = dyad::Workers::new(j).expect("worker threads");
            g.bench_function(format!("{name}/jobs_{j}"), |b| {
                b.iter(|| {
                    docs.chunks(w.batch())
                        .map(|batch| {
                            pipe.code_documents(batch, &w)
                                .iter()
                                .map(|c| c.events.len())
                                .sum::<usize>()
                        })
                        .sum::<usize>()
                })
            });
        }
    }
    g.finish();
}

criterion_group! {
    name = par;
    config = Criterion::default().with_measurement(WallTime);
    targets = parallel
}
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(CpuTime);
    targets = bench
}
criterion_group! {
    name = wall;
    config = Criterion::default().with_measurement(WallTime);
    targets = bench
}

fn main() {
    if std::env::var_os("DYAD_BENCH_WALL").is_some() {
        wall();
    } else {
        cpu();
    }
    par();
    Criterion::default().configure_from_args().final_summary();
}
