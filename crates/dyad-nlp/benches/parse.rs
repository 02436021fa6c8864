//! Tag+parse throughput of the committed model on the EWT test sentences
//! and on the VOA news stories (crudely split into sentences and tokens
//! here: the real tokenizer lives in the `dyad` crate), and model load time.
//! On a machine with several cores, also tag+parse with one thread per core
//! (sentences handed out 64 at a time; wall-clock time, as everywhere in
//! this bench). Skips when ../shared is absent.
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dyad_nlp::{conllu, Model};
use std::sync::atomic::{AtomicUsize, Ordering};

const MODEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/en-ewt.dyadnlp");
const VOA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/corpus/voa_stories.jsonl"
);
const TEST: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/ud-ewt/en_ewt-ud-test.conllu"
);

/// Split `text` into sentences (at `.`, `!`, `?` before a space and an
/// uppercase letter or quote) and tokens (whitespace, then leading/trailing
/// punctuation and `'s` / `n't` split off): close enough to the pipeline's
/// tokenizer for a throughput figure.
fn crude_sentences(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    for raw in text.split_whitespace() {
        let mut w = raw;
        let mut pre = Vec::new();
        while let Some(c) = w.chars().next().filter(|c| "\"'(“‘[".contains(*c)) {
            pre.push(c.to_string());
            w = &w[c.len_utf8()..];
        }
        let mut post = Vec::new();
        while let Some(c) = w.chars().last().filter(|c| ".,;:!?\"')”’]".contains(*c)) {
            post.push(c.to_string());
            w = &w[..w.len() - c.len_utf8()];
        }
        post.reverse();
        cur.extend(pre);
        if !w.is_empty() {
            let lw = w.to_lowercase();
            if lw.ends_with("n't") && w.len() > 3 {
                cur.push(w[..w.len() - 3].to_string());
                cur.push(w[w.len() - 3..].to_string());
            } else if (lw.ends_with("'s") || lw.ends_with("’s")) && w.chars().count() > 2 {
                let cut = w.len() - w.chars().rev().take(2).map(char::len_utf8).sum::<usize>();
                cur.push(w[..cut].to_string());
                cur.push(w[cut..].to_string());
            } else {
                cur.push(w.to_string());
            }
        }
        let ends = post.iter().any(|p| p == "." || p == "!" || p == "?");
        cur.extend(post);
        if ends && cur.len() >= 3 {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn voa_sentences() -> Option<Vec<Vec<String>>> {
    let text = std::fs::read_to_string(VOA).ok()?;
    let mut out = Vec::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
            out.extend(crude_sentences(t));
        }
    }
    Some(out)
}

/// Tag+parse `sents` on `threads` threads, 64 sentences at a time; the
/// number of words parsed.
fn parse_threads(model: &Model, sents: &[Vec<&str>], threads: usize) -> usize {
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut n = 0usize;
                    loop {
                        let i = next.fetch_add(64, Ordering::Relaxed);
                        if i >= sents.len() {
                            break n;
                        }
                        for st in &sents[i..(i + 64).min(sents.len())] {
                            n += model.analyze(st).head.len();
                        }
                    }
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or(0)).sum()
    })
}

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
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores > 1 {
        g.bench_function(format!("tag+parse (sentences, {cores} threads)"), |b| {
            b.iter(|| parse_threads(&model, &sents, cores))
        });
    }
    g.finish();
    if let Some(voa) = voa_sentences() {
        let voa: Vec<Vec<&str>> = voa
            .iter()
            .map(|s| s.iter().map(|w| w.as_str()).collect())
            .collect();
        let words: usize = voa.iter().map(|s| s.len()).sum();
        eprintln!("voa: {} sentences, {words} tokens", voa.len());
        let mut g = c.benchmark_group("voa");
        g.throughput(Throughput::Elements(voa.len() as u64));
        g.sample_size(20);
        g.bench_function("tag+parse (sentences)", |b| {
            b.iter(|| {
                let mut n = 0usize;
                for s in &voa {
                    n += model.analyze(s).head.len();
                }
                n
            })
        });
        if cores > 1 {
            g.bench_function(format!("tag+parse (sentences, {cores} threads)"), |b| {
                b.iter(|| parse_threads(&model, &voa, cores))
            });
        }
        g.finish();
    } else {
        eprintln!("skipping voa: {VOA} not found");
    }
    let mut g = c.benchmark_group("model");
    g.sample_size(10);
    g.bench_function("load from file", |b| {
        b.iter(|| Model::load(MODEL).map(|m| m.deprels().len()).unwrap_or(0))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
