//! Explains how the default pipeline codes raw sentences (one per argument): the parse the
//! coder sees, its noun-phrase units and codes, and the events. For curating dictionaries
//! and debugging coder rules: `cargo run --release -p dyad --example explain_text -- "TEXT"`.
fn main() {
    let dicts = match dyad::data::default_dictionaries() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("default dictionaries: {e}");
            std::process::exit(1);
        }
    };
    let model = match dyad::data::load_model(None) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("model: {e}");
            std::process::exit(1);
        }
    };
    let coder = dyad_coder::Coder::new(dicts, dyad_coder::CoderOptions::default());
    let pipe = dyad::Pipeline::new(coder, Some(model), None, dyad::PipelineOptions::default());
    for text in std::env::args().skip(1) {
        println!("== {text}");
        match pipe.parse_text(&text) {
            Some(s) => print!("{}", pipe.coder().explain(&s, None, pipe.coder().options())),
            None => println!("(no tokens)"),
        }
    }
}
