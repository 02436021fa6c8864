//! The curation queue for corpus files against the default dictionaries:
//! `cargo run -p dyad-curate --example candidates -- [--top N] FILE...`.
use std::path::PathBuf;

use dyad_curate::{candidates_with, default_dict_dir, load_default, CandidateOptions};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut top = 30usize;
    if let Some(i) = args.iter().position(|a| a == "--top") {
        top = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(30);
        args.drain(i..(i + 2).min(args.len()));
    }
    let paths: Vec<PathBuf> = args.into_iter().map(PathBuf::from).collect();
    let (dicts, _) = match load_default(&default_dict_dir()) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("candidates: {e}");
            std::process::exit(2);
        }
    };
    let opts = CandidateOptions {
        limit: top,
        ..CandidateOptions::default()
    };
    match dyad_curate::actor_coverage(&paths, &dicts, opts.format) {
        Ok(c) => println!(
            "sentences {} with a known actor {} ({:.1}%)",
            c.sentences,
            c.with_actor,
            100.0 * c.with_actor as f64 / c.sentences.max(1) as f64
        ),
        Err(e) => eprintln!("candidates: {e}"),
    }
    match candidates_with(&paths, &dicts, &opts) {
        Ok(list) => {
            for (i, c) in list.iter().enumerate() {
                println!(
                    "{:>3} {:>5}  {}\t{}",
                    i + 1,
                    c.count,
                    c.name,
                    c.sample_sentence
                );
            }
        }
        Err(e) => {
            eprintln!("candidates: {e}");
            std::process::exit(2);
        }
    }
}
