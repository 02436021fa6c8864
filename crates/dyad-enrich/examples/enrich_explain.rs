//! Prints what the enricher finds in each line of a text file (date
//! expressions, modality cues, locative places), with a naive tokenizer:
//! `cargo run -p dyad-enrich --example enrich_explain -- FILE [YYYY-MM-DD]`.

use dyad_enrich::{DocContext, Enricher, Hints, SentenceAnalysis, SentenceContext};

fn tokenize(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for w in s.split_whitespace() {
        let core = w.trim_end_matches([',', '.', ';', ':', '"', ')', '\u{201d}']);
        let core = core.trim_start_matches(['"', '(', '\u{201c}']);
        if core.is_empty() {
            out.push(w);
            continue;
        }
        let start = core.as_ptr() as usize - w.as_ptr() as usize;
        if start > 0 {
            out.push(&w[..start]);
        }
        out.push(core);
        let end = start + core.len();
        if end < w.len() {
            out.push(&w[end..]);
        }
    }
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: enrich_explain FILE [PUBLICATION-DATE]");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let publication = args
        .next()
        .and_then(|d| dyad_enrich::parse_publication_date(&d).ok());
    let e = match Enricher::builtin() {
        Ok(e) => e,
        Err(err) => {
            eprintln!("{err}");
            std::process::exit(1);
        }
    };
    let mut doc = DocContext {
        publication,
        ..DocContext::default()
    };
    let mut a = SentenceAnalysis::default();
    for line in text.split(". ") {
        let toks = tokenize(line);
        let s = SentenceContext {
            tokens: &toks,
            ..SentenceContext::default()
        };
        e.analyze(&mut doc, &s, &mut a);
        if a.dates.is_empty() && a.places.is_empty() {
            continue;
        }
        println!("{}", toks.join(" "));
        for d in &a.dates {
            let r = dyad_enrich::dates::resolve(&d.value, doc.publication, false);
            println!(
                "  date  {:?} -> {:?}",
                toks[d.start..d.end].join(" "),
                r.map(|p| p.iso())
            );
        }
        for m in &a.places {
            let p = e
                .gazetteer
                .resolve_folded(a.place_key(m), &Hints::default());
            println!(
                "  place {} {:?} -> {:?}",
                toks[m.prep],
                toks[m.start..m.end].join(" "),
                p.map(|(_, p)| format!("{} {} {:.2},{:.2}", p.name, p.country(), p.lat, p.lon))
            );
        }
    }
}
