//! Coding-only throughput with supplied parses and the full Phoenix dictionaries, on the 2,077
//! gold-parsed EWT test sentences plus the PETRARCH unit-test records; and the time to load
//! and compile the Phoenix dictionaries. Skips (with a message) when ../shared is absent.
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dyad_coder::{Coder, CoderOptions, DictPaths, Dictionaries, ParsedSentence};
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    p.exists().then_some(p)
}

fn phoenix_paths(sh: &Path) -> DictPaths {
    let d = sh.join("data/phoenix");
    DictPaths {
        verbs: Some(d.join("CAMEO.verbpatterns.150430.txt")),
        actors: vec![
            d.join("Phoenix.Countries.actors.txt"),
            d.join("Phoenix.International.actors.txt"),
            d.join("Phoenix.MilNonState.actors.txt"),
        ],
        agents: Some(d.join("Phoenix.agents.txt")),
        discards: Some(d.join("Phoenix.discards.txt")),
        issues: Some(d.join("Phoenix.IssueCoding.txt")),
    }
}

fn sentences(sh: &Path) -> Vec<ParsedSentence> {
    let mut out = Vec::new();
    if let Ok((sents, _)) =
        dyad_input::read_conllu_file(&sh.join("data/ud-ewt/en_ewt-ud-test.conllu"))
    {
        out.extend(
            sents
                .iter()
                .filter_map(|s| ParsedSentence::from_conllu(s).ok()),
        );
    }
    if let Ok(x) =
        dyad_input::read_petrarch_xml(&sh.join("data/petrarch2/PETR.UnitTest.records.xml"))
    {
        out.extend(
            x.records
                .iter()
                .filter_map(dyad_coder::validate::record_sentence),
        );
    }
    out
}

fn bench(c: &mut Criterion) {
    let Some(sh) = shared() else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let paths = phoenix_paths(&sh);
    let dicts = match Dictionaries::load(&paths) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("skipping: {e}");
            return;
        }
    };
    let coder = Coder::new(dicts, CoderOptions::default());
    let sents = sentences(&sh);
    let date = chrono::NaiveDate::from_ymd_opt(2015, 6, 1);
    let events: usize = sents.iter().map(|s| coder.code(s, date).len()).sum();
    eprintln!(
        "{} sentences, {} events with the Phoenix dictionaries",
        sents.len(),
        events
    );
    let mut g = c.benchmark_group("coder");
    g.throughput(Throughput::Elements(sents.len() as u64));
    g.sample_size(20);
    g.bench_function("code_phoenix_ewt_test_plus_unit_tests", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for s in &sents {
                n += coder.code(black_box(s), date).len();
            }
            n
        })
    });
    g.finish();
    let mut g = c.benchmark_group("dictionaries");
    g.sample_size(10);
    g.bench_function("load_compile_phoenix", |b| {
        b.iter(|| {
            Dictionaries::load(black_box(&paths))
                .map(|d| d.actors.len())
                .unwrap_or(0)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
