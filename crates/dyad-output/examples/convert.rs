//! Converts dyad JSON Lines events to another output format.
//!
//! ```text
//! cargo run -p dyad-output --example convert -- FORMAT IN.jsonl OUT [DOCS.jsonl]
//! ```
//! `DOCS.jsonl` (optional) holds document facts, one JSON object per line
//! with `id`, `url`, `source`/`outlet`, `published` (e.g. a corpus file).
//! Bad records are reported on stderr and skipped.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::process::ExitCode;

use dyad_output::{convert_jsonl, DocMeta, Format, WriterOptions};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: convert FORMAT IN.jsonl OUT [DOCS.jsonl]");
        return ExitCode::from(2);
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("convert: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let format: Format = args[0].parse()?;
    let mut metas = HashMap::new();
    if let Some(docs) = args.get(3) {
        for (i, line) in BufReader::new(File::open(docs)?).lines().enumerate() {
            let line = line?;
            match serde_json::from_str::<DocMeta>(&line) {
                Ok(m) => {
                    metas.insert(m.doc_id.clone(), m);
                }
                Err(e) => eprintln!("{docs}:{}: {e}", i + 1),
            }
        }
    }
    let input = BufReader::new(File::open(&args[1])?);
    let out = File::create(&args[2])?;
    let (summary, bad) = convert_jsonl(
        input,
        &args[1],
        format,
        out,
        &WriterOptions::default(),
        &metas,
    )?;
    for e in &bad {
        eprintln!("{e}");
    }
    eprintln!(
        "{} records written, {} negated skipped, {} unmapped skipped, {} bad input records",
        summary.written,
        summary.skipped_negated,
        summary.skipped_unmapped,
        bad.len()
    );
    Ok(())
}
