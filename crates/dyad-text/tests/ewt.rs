//! Tokenization agreement with the UD English-EWT gold tokens: the raw
//! `# text` of each test sentence is tokenized and compared with the gold
//! FORM column (token-level F1 on character spans).

use std::collections::HashSet;
use std::path::PathBuf;

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipping: ../shared not found");
        None
    }
}

/// (raw text, gold syntactic-word byte spans within it). Multi-word tokens
/// ("don't" = do + n't) contribute their parts when the parts spell the
/// surface form; sentences that cannot be aligned are left out.
fn gold(path: &std::path::Path) -> Vec<(String, Vec<(usize, usize)>)> {
    let data = std::fs::read_to_string(path).expect("read conllu");
    let mut out = Vec::new();
    let mut text = String::new();
    // (surface form, parts)
    let mut units: Vec<(String, Vec<String>)> = Vec::new();
    let mut mwt_left = 0usize;
    for line in data.lines() {
        if let Some(t) = line.strip_prefix("# text = ") {
            text = t.to_string();
        } else if line.is_empty() {
            let mut spans = Vec::new();
            let mut pos = 0;
            let mut ok = true;
            for (surface, parts) in &units {
                let Some(k) = text[pos..].find(surface.as_str()) else {
                    ok = false;
                    break;
                };
                let mut p = pos + k;
                if parts.concat() != *surface {
                    ok = false;
                    break;
                }
                for part in parts {
                    spans.push((p, p + part.len()));
                    p += part.len();
                }
                pos = p;
            }
            if ok {
                out.push((std::mem::take(&mut text), spans));
            }
            units.clear();
            mwt_left = 0;
        } else if !line.starts_with('#') {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 2 || cols[0].contains('.') {
                continue;
            }
            if let Some((a, b)) = cols[0].split_once('-') {
                let (a, b): (usize, usize) = (a.parse().unwrap_or(0), b.parse().unwrap_or(0));
                units.push((cols[1].to_string(), Vec::new()));
                mwt_left = b + 1 - a;
                continue;
            }
            if mwt_left > 0 {
                if let Some(u) = units.last_mut() {
                    u.1.push(cols[1].to_string());
                }
                mwt_left -= 1;
            } else {
                units.push((cols[1].to_string(), vec![cols[1].to_string()]));
            }
        }
    }
    out
}

#[test]
fn token_f1_on_ewt_test_is_high() {
    let Some(sh) = shared() else { return };
    let sents = gold(&sh.join("data/ud-ewt/en_ewt-ud-test.conllu"));
    assert!(sents.len() > 1900, "aligned only {} sentences", sents.len());
    let (mut tp, mut n_gold, mut n_sys) = (0usize, 0usize, 0usize);
    let mut bad = Vec::new();
    for (text, spans) in &sents {
        let sys: Vec<(usize, usize)> = dyad_text::segment_text(text)
            .iter()
            .flat_map(|s| s.tokens.iter().map(|t| (t.start, t.end)))
            .collect();
        let g: HashSet<_> = spans.iter().copied().collect();
        let hit = sys.iter().filter(|s| g.contains(s)).count();
        tp += hit;
        n_gold += spans.len();
        n_sys += sys.len();
        if hit != spans.len() && bad.len() < 15 {
            let gs: Vec<&str> = spans.iter().map(|&(a, b)| &text[a..b]).collect();
            let ss: Vec<&str> = sys.iter().map(|&(a, b)| &text[a..b]).collect();
            bad.push(format!("gold {gs:?}\n sys {ss:?}"));
        }
    }
    let p = tp as f64 / n_sys as f64;
    let r = tp as f64 / n_gold as f64;
    let f1 = 2.0 * p * r / (p + r);
    eprintln!("EWT test tokens: P {p:.4} R {r:.4} F1 {f1:.4}");
    for b in &bad {
        eprintln!("{b}");
    }
    assert!(f1 >= 0.975, "token F1 {f1:.4} below 0.975");
}

/// Sentence-boundary agreement on EWT test: each document's sentences are
/// joined (paragraphs by a blank line, sentences by a space) and re-split;
/// a predicted sentence end counts when a gold sentence ends at the same
/// byte. Web text (e-mails, reviews) often lacks punctuation, so the floor
/// is modest (precision is 0.99); the figure is printed.
#[test]
fn sentence_boundary_f1_on_ewt_test() {
    let Some(sh) = shared() else { return };
    let data = std::fs::read_to_string(sh.join("data/ud-ewt/en_ewt-ud-test.conllu")).expect("read");
    // Build documents.
    let mut docs: Vec<(String, HashSet<usize>)> = Vec::new();
    let mut cur = String::new();
    let mut ends = HashSet::new();
    for line in data.lines() {
        if line.starts_with("# newdoc") && !cur.is_empty() {
            docs.push((std::mem::take(&mut cur), std::mem::take(&mut ends)));
        }
        if line.starts_with("# newpar") && !cur.is_empty() {
            cur.push_str("\n\n");
        }
        if let Some(t) = line.strip_prefix("# text = ") {
            if !cur.is_empty() && !cur.ends_with('\n') {
                cur.push(' ');
            }
            cur.push_str(t);
            ends.insert(cur.len());
        }
    }
    if !cur.is_empty() {
        docs.push((cur, ends));
    }
    let (mut tp, mut n_gold, mut n_sys) = (0usize, 0usize, 0usize);
    for (text, gold) in &docs {
        let sys: HashSet<usize> = dyad_text::segment_text(text)
            .iter()
            .map(|s| s.end)
            .collect();
        tp += sys.intersection(gold).count();
        n_gold += gold.len();
        n_sys += sys.len();
    }
    let p = tp as f64 / n_sys as f64;
    let r = tp as f64 / n_gold as f64;
    let f1 = 2.0 * p * r / (p + r);
    eprintln!(
        "EWT test sentence ends: {} docs, P {p:.4} R {r:.4} F1 {f1:.4}",
        docs.len()
    );
    assert!(f1 >= 0.85, "sentence boundary F1 {f1:.4} below 0.85");
}
