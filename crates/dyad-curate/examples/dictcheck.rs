//! Prints every diagnostic of `dyad_dict::check` on the default set and the
//! entry counts per file: `cargo run -p dyad-curate --example dictcheck [DIR]`.
use std::path::PathBuf;

use dyad_core::cameo::Codebook;
use dyad_curate::{default_dict_dir, default_set_paths};

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(default_dict_dir);
    let sp = default_set_paths(&dir);
    let mut files: Vec<(PathBuf, Option<dyad_dict::DictKind>)> = Vec::new();
    files.extend(sp.verbs.iter().map(|p| (p.clone(), None)));
    files.extend(sp.actors.iter().map(|p| (p.clone(), None)));
    files.extend(sp.agents.iter().map(|p| (p.clone(), None)));
    files.extend(sp.discards.iter().map(|p| (p.clone(), None)));
    files.extend(sp.issues.iter().map(|p| (p.clone(), None)));
    match dyad_dict::check(&files, Codebook::builtin()) {
        Ok(report) => {
            for d in &report.diagnostics {
                println!("{d}");
            }
            print!("{report}");
        }
        Err(e) => {
            eprintln!("dictcheck: {e}");
            std::process::exit(2);
        }
    }
}
