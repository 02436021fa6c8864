//! Codes one bracketed tree with the dictionaries of a PETRARCH XML file's environment:
//! `tree FILE.xml YYYYMMDD "(ROOT ...)" [option=value ...]` (for dictionary debugging).
fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: tree FILE.xml YYYYMMDD TREE [option=value ...]");
        std::process::exit(2);
    }
    let path = std::path::Path::new(&args[1]);
    let Ok(x) = dyad_input::read_petrarch_xml(path) else {
        std::process::exit(1)
    };
    let Some(env) = x.environment.as_ref() else {
        std::process::exit(1)
    };
    let Ok(dicts) = dyad_coder::validate::load_environment(env, None, path) else {
        std::process::exit(1)
    };
    let coder = dyad_coder::Coder::new(dicts, Default::default());
    let mut opts = coder.options().clone();
    for kv in &args[4..] {
        if let Some((k, v)) = kv.split_once('=') {
            opts.set(k, v);
        }
    }
    let date = chrono::NaiveDate::parse_from_str(&args[2], "%Y%m%d").ok();
    match dyad_input::PtbTree::parse(&args[3], "argv", 1) {
        Ok(t) => print!(
            "{}",
            coder.explain(&dyad_coder::ParsedSentence::from_ptb(&t), date, &opts)
        ),
        Err(e) => eprintln!("{e}"),
    }
}
