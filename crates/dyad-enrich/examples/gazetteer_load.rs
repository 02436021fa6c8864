//! Loads the builtin gazetteer N times (default 20) and prints the mean
//! wall time per load; run under `time` to see CPU time on a busy machine:
//! `cargo run --release -p dyad-enrich --example gazetteer_load -- 50`.

use std::time::Instant;

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let t = Instant::now();
    let mut places = 0;
    for _ in 0..n {
        match dyad_enrich::Gazetteer::builtin() {
            Ok(g) => places += g.len(),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
    }
    let per = t.elapsed().as_secs_f64() * 1000.0 / n as f64;
    println!(
        "{n} loads, {} places each, {per:.2} ms wall per load",
        places / n as usize
    );
}
