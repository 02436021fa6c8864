//! Scores events coded by `dyad code` against the PLOVER gold file:
//!
//! ```text
//! python3 -c '...'  # or any tool: one JSON line {"id","text","date"} per gold record
//! dyad code --dict-dir data/dict gold.jsonl > events.jsonl
//! cargo run -p dyad-curate --example plover_eval -- PLOVER_GSR_dev.json events.jsonl
//! ```
//!
//! `--write-input FILE` writes the gold sentences as that JSON Lines input.
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use dyad_core::cameo::Codebook;
use dyad_curate::plover::{eval_plover, read_gold, PredictedEvent};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() == 3 && args[1] == "--write-input" {
        let gold = read_gold(Path::new(&args[0])).unwrap_or_else(|e| fail(&e.to_string()));
        let mut out = std::fs::File::create(&args[2]).unwrap_or_else(|e| fail(&e.to_string()));
        for g in &gold {
            let line = serde_json::json!({"id": g.id, "text": g.text, "date": g.date});
            writeln!(out, "{line}").unwrap_or_else(|e| fail(&e.to_string()));
        }
        return;
    }
    if args.len() != 2 {
        fail("usage: plover_eval GOLD.json EVENTS.jsonl | plover_eval GOLD.json --write-input OUT.jsonl");
    }
    let gold = read_gold(Path::new(&args[0])).unwrap_or_else(|e| fail(&e.to_string()));
    let text =
        std::fs::read_to_string(&args[1]).unwrap_or_else(|e| fail(&format!("{}: {e}", args[1])));
    let mut by_doc: HashMap<String, Vec<PredictedEvent>> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let v: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("{}:{}: skipped: {e}", args[1], i + 1);
                continue;
            }
        };
        let code = |k: &str| {
            v.get(k)
                .and_then(|a| a.get("code"))
                .and_then(|c| c.as_str())
                .map(str::to_string)
        };
        let doc = v
            .get("doc_id")
            .and_then(|d| d.as_str())
            .unwrap_or_default()
            .to_string();
        let cameo = v
            .get("event")
            .and_then(|e| e.get("cameo"))
            .and_then(|c| c.as_str())
            .unwrap_or_default();
        by_doc.entry(doc).or_default().push(PredictedEvent {
            source: code("source"),
            target: code("target"),
            cameo: cameo.to_string(),
        });
    }
    let report = eval_plover(&gold, Codebook::builtin(), |g| {
        by_doc.get(&g.id).cloned().unwrap_or_default()
    });
    print!("{report}");
}

fn fail(msg: &str) -> ! {
    eprintln!("plover_eval: {msg}");
    std::process::exit(2)
}
