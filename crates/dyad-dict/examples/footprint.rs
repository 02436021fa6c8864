//! Loads the full Phoenix set once and prints the process's resident
//! memory before and after (Linux `/proc/self/status`):
//! `cargo run --release -p dyad-dict --example footprint`.

use std::path::{Path, PathBuf};

use dyad_dict::{codebooks, DictionarySet};

fn rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(", ")
}

fn main() {
    let px = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/phoenix");
    if !px.is_dir() {
        eprintln!("skipping: ../shared not found");
        return;
    }
    println!("before: {}", rss());
    let actors: Vec<PathBuf> = ["Countries", "International", "MilNonState"]
        .iter()
        .map(|n| px.join(format!("Phoenix.{n}.actors.txt")))
        .collect();
    let refs: Vec<&Path> = actors.iter().map(PathBuf::as_path).collect();
    match DictionarySet::load(
        Some(&px.join("CAMEO.2.0.txt")),
        &refs,
        Some(&px.join("Phoenix.agents.txt")),
        Some(&px.join("Phoenix.discards.txt")),
        Some(&px.join("Phoenix.IssueCoding.txt")),
        codebooks::standard(),
    ) {
        Ok((set, diags)) => {
            println!(
                "loaded: {} actor entries, {} verb patterns, {} diagnostics",
                set.actors.entries.len(),
                set.verbs.as_ref().map(|v| v.pattern_count()).unwrap_or(0),
                diags.len()
            );
            println!("after:  {}", rss());
        }
        Err(e) => eprintln!("{e}"),
    }
}
