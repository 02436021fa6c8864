//! Explains the coding of chosen records: `explain FILE.xml ID…`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: explain FILE.xml ID...");
        std::process::exit(2);
    }
    let path = std::path::Path::new(&args[1]);
    let x = match dyad_input::read_petrarch_xml(path) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let Some(env) = x.environment.as_ref() else {
        eprintln!("no environment");
        std::process::exit(1);
    };
    let dicts = match dyad_coder::validate::load_environment(env, None, path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let coder = dyad_coder::Coder::new(dicts, Default::default());
    for r in x.records.iter().filter(|r| args[2..].contains(&r.id)) {
        println!("== {} {}", r.id, r.text);
        let opts = dyad_coder::validate::record_options(coder.options(), r);
        if let Some(s) = dyad_coder::validate::record_sentence(r) {
            print!(
                "{}",
                coder.explain(&s, dyad_coder::validate::record_date(r), &opts)
            );
        }
    }
}
