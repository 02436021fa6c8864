//! Quick throughput check (not a benchmark; see benches/code.rs):
//! `throughput SHARED_DIR [ROUNDS]` codes the EWT test sentences with the Phoenix dictionaries.
use dyad_coder::{Coder, CoderOptions, DictPaths, Dictionaries, ParsedSentence};
use std::path::Path;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let sh = Path::new(args.get(1).map(String::as_str).unwrap_or("../shared"));
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let d = sh.join("data/phoenix");
    let paths = DictPaths {
        verbs: Some(d.join("CAMEO.verbpatterns.150430.txt")),
        actors: vec![
            d.join("Phoenix.Countries.actors.txt"),
            d.join("Phoenix.International.actors.txt"),
            d.join("Phoenix.MilNonState.actors.txt"),
        ],
        agents: Some(d.join("Phoenix.agents.txt")),
        discards: if std::env::var_os("NO_DISCARDS").is_some() {
            None
        } else {
            Some(d.join("Phoenix.discards.txt"))
        },
        issues: Some(d.join("Phoenix.IssueCoding.txt")),
    };
    let t0 = Instant::now();
    let dicts = match Dictionaries::load(&paths) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    eprintln!(
        "loaded in {:?}: {} actors, {} agents, {} verb blocks, {} warnings",
        t0.elapsed(),
        dicts.actors.len(),
        dicts.agents.len(),
        dicts.blocks.len(),
        dicts.warnings.len()
    );
    for w in dicts.warnings.iter().take(10) {
        eprintln!("  {w}");
    }
    let coder = Coder::new(dicts, CoderOptions::default());
    let (sents, _) = dyad_input::read_conllu_file(&sh.join("data/ud-ewt/en_ewt-ud-test.conllu"))
        .unwrap_or_default();
    let sents: Vec<ParsedSentence> = sents
        .iter()
        .filter_map(|s| ParsedSentence::from_conllu(s).ok())
        .collect();
    let date = chrono::NaiveDate::from_ymd_opt(2015, 6, 1);
    let t = Instant::now();
    let mut n = 0;
    for _ in 0..rounds {
        for s in &sents {
            n += coder.code(s, date).len();
        }
    }
    let el = t.elapsed();
    eprintln!(
        "{} sentences x {rounds} in {:?}: {:.0} sentences/s ({n} events)",
        sents.len(),
        el,
        (sents.len() * rounds) as f64 / el.as_secs_f64()
    );
}
