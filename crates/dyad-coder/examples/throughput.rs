//! Quick throughput check (not a benchmark; see benches/code.rs):
//! `throughput SHARED_DIR [ROUNDS]` codes the EWT test sentences plus the unit-test records
//! (EWT only with `EWT_ONLY=1`) with the Phoenix dictionaries and reports wall-clock and
//! CPU-time throughput.
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
    let mut sents = sents;
    if std::env::var_os("EWT_ONLY").is_none() {
        if let Ok(x) =
            dyad_input::read_petrarch_xml(&sh.join("data/petrarch2/PETR.UnitTest.records.xml"))
        {
            sents.extend(
                x.records
                    .iter()
                    .filter_map(dyad_coder::validate::record_sentence),
            );
        }
    }
    let date = chrono::NaiveDate::from_ymd_opt(2015, 6, 1);
    let cpu0 = cpu_seconds();
    let t = Instant::now();
    let mut n = 0;
    for _ in 0..rounds {
        for s in &sents {
            n += coder.code(s, date).len();
        }
    }
    let el = t.elapsed();
    let cpu = cpu_seconds() - cpu0;
    let total = (sents.len() * rounds) as f64;
    eprintln!(
        "{} sentences x {rounds} in {:?}: {:.0} sentences/s wall, {:.0} sentences/s of CPU time ({n} events)",
        sents.len(),
        el,
        total / el.as_secs_f64(),
        total / cpu.max(1e-9)
    );
}

/// User+system CPU time of this process (Linux /proc; 0 elsewhere), so that the figure is not
/// skewed by other processes competing for the cores.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}
