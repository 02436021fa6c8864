//! Loads dictionary files and prints their diagnostics:
//! `cargo run -p dyad-dict --example load -- KIND PATH` with KIND one of
//! verbs, actors, agents, discards, issues.

use std::path::Path;

use dyad_dict::{codebooks, set};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 2 {
        eprintln!("usage: load KIND PATH");
        std::process::exit(2);
    }
    let p = Path::new(&args[1]);
    let res = match args[0].as_str() {
        "verbs" => set::load_verbs(p, codebooks::for_verbs_file(p)).map(|(v, d)| {
            println!(
                "verbs: {} verbs, {} patterns",
                v.verb_count(),
                v.pattern_count()
            );
            d
        }),
        "actors" => set::load_actors(p).map(|(a, d)| {
            println!(
                "actors: {} entries, {} phrases",
                a.entries.len(),
                a.phrase_count()
            );
            d
        }),
        "agents" => set::load_agents(p).map(|(a, d)| {
            println!(
                "agents: {} entries, {} forms",
                a.entries.len(),
                a.forms.len()
            );
            d
        }),
        "discards" => set::load_discards(p).map(|(a, d)| {
            println!("discards: {} entries", a.entries.len());
            d
        }),
        "issues" => set::load_issues(p).map(|(a, d)| {
            println!(
                "issues: {} entries, {} ignores",
                a.entries.len(),
                a.ignores.len()
            );
            d
        }),
        k => {
            eprintln!("unknown kind {k}");
            std::process::exit(2);
        }
    };
    match res {
        Ok(diags) => {
            for d in &diags {
                println!("{}: {d}", d.severity);
            }
            println!("{} diagnostics", diags.len());
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
