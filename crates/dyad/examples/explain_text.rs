//! Explains how dyad codes raw sentences with the default dictionaries and
//! its own parser: `explain_text "SENTENCE" …` prints the UD parse, the
//! phrase tree, the noun-phrase units and the events with their evidence.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        eprintln!("usage: explain_text SENTENCE...");
        std::process::exit(2);
    }
    let (dicts, model) = match (
        dyad::data::default_dictionaries(),
        dyad::data::load_model(None),
    ) {
        (Ok(d), Ok(m)) => (d, m),
        (Err(e), _) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
        (_, Err(e)) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let coder = dyad_coder::Coder::new(dicts, Default::default());
    let pipe = dyad::Pipeline::new(coder, Some(model), None, Default::default());
    for text in &args {
        println!("== {text}");
        let Some(c) = pipe.analyze_text(text) else {
            continue;
        };
        for t in &c.tokens {
            println!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                t.id, t.form, t.xpos, t.head, t.deprel, t.lemma
            );
        }
        if let Ok(s) = dyad_coder::ParsedSentence::from_conllu(&c) {
            print!("{}", pipe.coder().explain(&s, None, pipe.coder().options()));
        }
    }
}
