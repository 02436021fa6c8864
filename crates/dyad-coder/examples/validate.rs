//! Runs the validation harness:
//! `cargo run -p dyad-coder --example validate -- FILE.xml [DICT_DIR] [--gold-from GOLD.xml [--same-text-only]]`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(file) = args.get(1) else {
        eprintln!("usage: validate FILE.xml [DICT_DIR] [--gold-from GOLD.xml]");
        std::process::exit(2);
    };
    let gold_from = args
        .iter()
        .position(|a| a == "--gold-from")
        .and_then(|i| args.get(i + 1))
        .map(Into::into);
    let dict_dir = args.get(2).filter(|a| !a.starts_with("--")).map(Into::into);
    let same_text_only = args.iter().any(|a| a == "--same-text-only");
    let opts = dyad_coder::validate::ValidateOptions {
        dict_dir,
        gold_from,
        ..Default::default()
    };
    match dyad_coder::validate::validate_file_with(
        std::path::Path::new(file),
        &opts,
        same_text_only,
    ) {
        Ok(rep) => {
            let mut out = std::io::stdout();
            if let Err(e) = rep.write(&mut out) {
                eprintln!("{e}");
            }
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
