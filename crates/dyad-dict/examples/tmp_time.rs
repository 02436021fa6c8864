use std::time::Instant;
fn main() {
    let px = std::path::Path::new("/work/shared/data/phoenix");
    let book = dyad_dict::codebooks::standard();
    for _ in 0..3 {
        for f in [
            "CAMEO.2.0.txt",
            "CAMEO.verbpatterns.150430.txt",
            "Phoenix.Countries.actors.txt",
            "Phoenix.International.actors.txt",
            "Phoenix.MilNonState.actors.txt",
            "Phoenix.agents.txt",
            "Phoenix.discards.txt",
            "Phoenix.IssueCoding.txt",
        ] {
            let b = std::fs::read(px.join(f)).unwrap();
            let t = Instant::now();
            let n = if f.contains("CAMEO.2") {
                dyad_dict::verbs::read_p2(f, &b, book).1.len()
            } else if f.contains("CAMEO") {
                dyad_dict::verbs::read_p1(f, &b, book).1.len()
            } else if f.contains("actors") {
                dyad_dict::actors::read(f, &b).1.len()
            } else if f.contains("agents") {
                dyad_dict::agents::read(f, &b).1.len()
            } else if f.contains("discards") {
                dyad_dict::discards::read(f, &b).1.len()
            } else {
                dyad_dict::issues::read(f, &b).1.len()
            };
            println!("{f:40} {:8.2} ms  {n}", t.elapsed().as_secs_f64() * 1e3);
        }
    }
}
