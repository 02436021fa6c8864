//! Runs `Pipeline::code_document` over a corpus a few times, for profilers
//! (valgrind --tool=callgrind). Usage:
//! `pipeline_profile voa|ewt [ROUNDS] [bare] [nofilter] [stats]` (`stats`: also print
//! the pre-filter's counts, `Pipeline::skip_stats`).
use dyad::{data, Pipeline, PipelineOptions};
use dyad_coder::{Coder, CoderOptions};
use dyad_text::{Document, InputFormat};

// the same allocator as the `dyad` binary (see crates/dyad/NOTES.md)
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let which = args.get(1).map_or("voa", String::as_str);
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(1);
    let bare = args.iter().any(|a| a == "bare");
    let skip_eventless = !args.iter().any(|a| a == "nofilter");
    let shared = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if !shared.is_dir() {
        eprintln!("skipping: ../shared not found");
        return;
    }
    let docs: Vec<Document> = if which == "ewt" {
        let text = std::fs::read_to_string(shared.join("data/ud-ewt/en_ewt-ud-test.conllu"))
            .expect("EWT test file");
        text.lines()
            .filter_map(|l| l.strip_prefix("# text = "))
            .enumerate()
            .map(|(i, t)| Document::new(format!("ewt-{i}"), t.to_string()))
            .collect()
    } else {
        dyad_text::read_path(shared.join("corpus/voa_stories.jsonl"), InputFormat::Jsonl)
            .expect("VOA corpus")
            .docs
    };
    let pipe = Pipeline::new(
        Coder::new(
            data::default_dictionaries().expect("dictionaries"),
            CoderOptions::default(),
        ),
        Some(data::load_model(None).expect("model")),
        (!bare).then(|| dyad_enrich::Enricher::builtin().expect("gazetteer")),
        PipelineOptions {
            skip_eventless,
            ..PipelineOptions::default()
        },
    );
    let mut events = 0;
    for _ in 0..rounds {
        events += docs
            .iter()
            .map(|d| pipe.code_document(d).events.len())
            .sum::<usize>();
    }
    println!("{which}: {} docs, {events} events", docs.len());
    if args.iter().any(|a| a == "stats") {
        let mut st = dyad::SkipStats::default();
        for d in &docs {
            st += pipe.skip_stats(d);
        }
        println!(
            "sentences {}, skipped before tagging {}, after tagging {}, parsed {}",
            st.sentences,
            st.before_tagging,
            st.after_tagging,
            st.sentences - st.before_tagging - st.after_tagging
        );
    }
}
