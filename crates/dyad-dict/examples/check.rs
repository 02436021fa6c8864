//! `cargo run -p dyad-dict --example check -- [--legacy-codes] PATH…`:
//! what `dyad dict check` prints (the CLI is a thin wrapper over
//! [`dyad_dict::check`]). `--legacy-codes` accepts the PETRARCH unit-test
//! suite's legacy codes.

use std::path::PathBuf;

use dyad_dict::{check, codebooks};

fn main() {
    let mut legacy = false;
    let mut paths = Vec::new();
    for a in std::env::args().skip(1) {
        if a == "--legacy-codes" {
            legacy = true;
        } else {
            paths.push((PathBuf::from(a), None));
        }
    }
    let book = if legacy {
        codebooks::validate_suite()
    } else {
        codebooks::standard()
    };
    match check(&paths, book) {
        Ok(r) => {
            println!("{r}");
            if r.errors() > 0 {
                std::process::exit(1);
            }
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    }
}
