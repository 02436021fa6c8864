//! Segments a JSON Lines file N times (for profiling): `profile FILE N`.
fn main() {
    let mut a = std::env::args().skip(1);
    let path = a.next().unwrap_or_default();
    let n: usize = a.next().and_then(|x| x.parse().ok()).unwrap_or(20);
    let out = match dyad_text::read_path(&path, dyad_text::InputFormat::Auto) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let t = std::time::Instant::now();
    let mut total = 0usize;
    for _ in 0..n {
        for d in &out.docs {
            total += dyad_text::segment(d).len();
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{total} sentences in {secs:.3}s = {:.0} sentences/s (wall clock, not a benchmark)",
        total as f64 / secs
    );
}
