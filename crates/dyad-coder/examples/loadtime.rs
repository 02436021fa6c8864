//! Load-time breakdown for a dictionary set: reading with `dyad-dict` vs compiling into the
//! coder's structures, as process CPU time (Linux `/proc/self/stat`) and wall time per load.
//!
//! `cargo run --profile bench -p dyad-coder --example loadtime -- DIR [N]`
//! (DIR defaults to `../shared/data/phoenix`).
use std::path::{Path, PathBuf};
use std::time::Instant;

use dyad_coder::{DictPaths, Dictionaries};

fn cpu_ms() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = s.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    // fields after the command name: utime is the 12th, stime the 13th (0-based 11, 12)
    (ticks(11) + ticks(12)) * 10.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = PathBuf::from(args.get(1).map_or("../shared/data/phoenix", |s| s.as_str()));
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    let mut paths = DictPaths::default();
    for e in std::fs::read_dir(&dir).expect("dictionary directory") {
        let p = e.expect("entry").path();
        let name = p
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or("")
            .to_string();
        if name.contains("verbpatterns.150430") {
            paths.verbs = Some(p);
        } else if name.contains("actors") {
            paths.actors.push(p);
        } else if name.contains("agents") {
            paths.agents = Some(p);
        } else if name.contains("discards") {
            paths.discards = Some(p);
        } else if name.contains("Issue") {
            paths.issues = Some(p);
        }
    }
    paths.actors.sort();
    let actors: Vec<&Path> = paths.actors.iter().map(|p| p.as_path()).collect();
    let book = dyad_dict::codebooks::standard();
    let (mut read_cpu, mut read_wall, mut comp_cpu, mut comp_wall) = (0.0, 0.0, 0.0, 0.0);
    for _ in 0..n {
        let (c0, t0) = (cpu_ms(), Instant::now());
        let (set, diags) = dyad_dict::DictionarySet::load(
            paths.verbs.as_deref(),
            &actors,
            paths.agents.as_deref(),
            paths.discards.as_deref(),
            paths.issues.as_deref(),
            book,
        )
        .expect("load");
        let (c1, t1) = (cpu_ms(), Instant::now());
        let mut d = Dictionaries::from_set(&set);
        d.add_diagnostics(&diags);
        let (c2, t2) = (cpu_ms(), Instant::now());
        read_cpu += c1 - c0;
        comp_cpu += c2 - c1;
        read_wall += (t1 - t0).as_secs_f64() * 1e3;
        comp_wall += (t2 - t1).as_secs_f64() * 1e3;
        std::hint::black_box(d);
    }
    let k = n as f64;
    println!(
        "per load over {n}: dyad-dict read {:.1} ms CPU ({:.1} ms wall), compile {:.1} ms CPU ({:.1} ms wall)",
        read_cpu / k,
        read_wall / k,
        comp_cpu / k,
        comp_wall / k
    );
}
