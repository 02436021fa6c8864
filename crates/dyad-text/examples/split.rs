//! Prints the sentences of a file: `cargo run -p dyad-text --example split -- FILE [FORMAT]`.
use dyad_text::{read_path, segment, InputFormat};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: split FILE [text|jsonl|html|auto]");
        std::process::exit(2);
    };
    let format: InputFormat = match args.next().map(|f| f.parse()) {
        Some(Ok(f)) => f,
        Some(Err(e)) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
        None => InputFormat::Auto,
    };
    let tokens = std::env::var_os("TOKENS").is_some();
    match read_path(&path, format) {
        Ok(out) => {
            for e in &out.errors {
                eprintln!("{e}");
            }
            for doc in &out.docs {
                println!(
                    "# doc {} title={:?} date={:?} dateline={:?} byline={:?}",
                    doc.id, doc.title, doc.date, doc.dateline, doc.byline
                );
                for s in segment(doc) {
                    let h = if s.is_heading { "H" } else { "S" };
                    println!("{h} [{}..{}] {}", s.start, s.end, s.text);
                    if tokens {
                        let t: Vec<&str> = s.tokens.iter().map(|t| t.text.as_str()).collect();
                        println!("    {}", t.join(" "));
                    }
                }
            }
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
