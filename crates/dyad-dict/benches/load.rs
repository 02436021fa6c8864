//! Load-time benchmark: the full Phoenix dictionary set (verbs in both
//! families, three actor files, agents, discards, issues) and the unit-test
//! suite's set. Skips with a message when `../shared` is absent.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use dyad_dict::{codebooks, DictionarySet};

/// CPU time used by this process (all threads) so far.
fn process_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_PROCESS_CPUTIME_ID
    // is supported on Linux. On failure `ts` stays zero.
    unsafe {
        libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts);
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    p.is_dir().then_some(p)
}

fn bench(c: &mut Criterion) {
    let Some(data) = shared() else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let px = data.join("phoenix");
    let actors: Vec<PathBuf> = [
        "Phoenix.Countries.actors.txt",
        "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt",
    ]
    .iter()
    .map(|f| px.join(f))
    .collect();
    let actor_refs: Vec<&Path> = actors.iter().map(PathBuf::as_path).collect();
    let agents = px.join("Phoenix.agents.txt");
    let discards = px.join("Phoenix.discards.txt");
    let issues = px.join("Phoenix.IssueCoding.txt");
    let book = codebooks::standard();
    for verbs in ["CAMEO.2.0.txt", "CAMEO.verbpatterns.150430.txt"] {
        let verbs = px.join(verbs);
        c.bench_function(
            &format!(
                "load phoenix set ({})",
                verbs.file_name().and_then(|n| n.to_str()).unwrap_or("")
            ),
            |b| {
                b.iter_with_large_drop(|| {
                    DictionarySet::load(
                        Some(&verbs),
                        &actor_refs,
                        Some(&agents),
                        Some(&discards),
                        Some(&issues),
                        book,
                    )
                })
            },
        );
    }
    // The same loads measured in process CPU time (summed over both
    // threads), which does not depend on how busy the shared machine is.
    let verbs = px.join("CAMEO.2.0.txt");
    c.bench_function("load phoenix set (CAMEO.2.0.txt), process CPU time", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let t0 = process_cpu();
                let r = DictionarySet::load(
                    Some(&verbs),
                    &actor_refs,
                    Some(&agents),
                    Some(&discards),
                    Some(&issues),
                    book,
                );
                total += process_cpu().saturating_sub(t0);
                drop(criterion::black_box(r));
            }
            total
        })
    });
    let pv = data.join("petrarch2");
    let vactors = pv.join("PETR.Validate.actors.txt");
    let vverbs = pv.join("PETR.Validate.verbs.txt");
    let vagents = pv.join("PETR.Validate.agents.txt");
    let vdiscards = pv.join("PETR.Validate.discards.txt");
    c.bench_function("load PETR.Validate set", |b| {
        b.iter_with_large_drop(|| {
            DictionarySet::load(
                Some(&vverbs),
                &[vactors.as_path()],
                Some(&vagents),
                Some(&vdiscards),
                None,
                codebooks::validate_suite(),
            )
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
