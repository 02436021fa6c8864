//! Checks that every sentence of a CoNLL-U file projects: `ewtcheck FILE.conllu`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(f) = args.get(1) else { return };
    let (sents, _) = dyad_input::read_conllu_file(std::path::Path::new(f)).unwrap_or_default();
    let mut bad = 0;
    for s in &sents {
        if let Err(e) = dyad_coder::ParsedSentence::from_conllu(s) {
            bad += 1;
            if bad <= 3 {
                println!("{e} in {:?}", s.sent_id);
                for t in &s.tokens {
                    println!("  {} {} {} {} {}", t.id, t.form, t.xpos, t.head, t.deprel);
                }
            }
        }
    }
    println!("{} sentences, {bad} fail", sents.len());
}
