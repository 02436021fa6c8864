//! Small driver: `nlp train TRAIN DEV OUT`, `nlp eval MODEL GOLD`,
//! `nlp parse MODEL GOLD` (CoNLL-U to stdout), `nlp bench MODEL GOLD [REPS]`,
//! `nlp exit MODEL DEV OUT ENDS MAX_BAD [GOLD…]` (re-calibrate the parser's
//! transition early exit on DEV, e.g. ENDS `20,40,60`, MAX_BAD `0.001`, ENDS
//! `-` for none; write OUT; print its early-exit agreement on each GOLD file),
//! `nlp exits MODEL DEV OUT X,S,L[,T]` (re-calibrate the XPOS / supertag /
//! label early exits and the supertag-label shortcut T: disagreements
//! allowed per 10,000 early decisions on DEV; T omitted = 0 = off),
//! `nlp stlabels MODEL GOLD` (study of the supertag-label shortcut on GOLD).
use dyad_nlp::{
    conllu, eval, recalibrate, reparse_conllu, supertag_label_study, train, train_raw, Model,
    SaveOptions, TrainOptions,
};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let r = run(&args);
    if let Err(e) = r {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    match args.get(1).map(|s| s.as_str()) {
        Some("train") if args.len() >= 5 => {
            let t = Instant::now();
            let opts = TrainOptions {
                verbose: true,
                ..Default::default()
            };
            if args.len() > 5 {
                // extra arguments: save-time variants to write as OUT.<arg>, each
                // `TAGGER_MIN_HITS:PARSER_MIN_HITS[:QX,QU,QS,QL[:DICT_X,DICT_U[:EX,ES,EL[,ET]]]]`
                // (EX,ES,EL: early-exit disagreements per 10,000 on dev; ET:
                // the same for the supertag-label shortcut, default off)
                // (omitted parts: the defaults)
                let raw = train_raw(args[2].as_ref(), args[3].as_ref(), &opts)?;
                eprintln!("trained in {:.1}s", t.elapsed().as_secs_f64());
                for p in &args[5..] {
                    let mut so = SaveOptions::from(&opts);
                    let parts: Vec<&str> = p.split(':').collect();
                    if parts.len() < 2 {
                        return Err(
                            "variant must be TAGGER:PARSER[:QX,QU,QS,QL[:DX,DU[:EX,ES,EL]]]".into(),
                        );
                    }
                    so.tagger_min_hits = parts[0].parse()?;
                    so.min_hits = parts[1].parse()?;
                    if let Some(q) = parts.get(2) {
                        let q: Vec<u16> =
                            q.split(',').map(|x| x.parse()).collect::<Result<_, _>>()?;
                        so.min_q = q.try_into().map_err(|_| "need 4 min_q values")?;
                    }
                    if let Some(d) = parts.get(3) {
                        let (x, u) = d.split_once(',').ok_or("dict part must be DX,DU")?;
                        so.tag_dict_min = x.parse()?;
                        so.upos_dict_min = u.parse()?;
                    }
                    if let Some(e) = parts.get(4) {
                        let mut e: Vec<u32> =
                            e.split(',').map(|x| x.parse()).collect::<Result<_, _>>()?;
                        if e.len() == 4 {
                            so.supertag_labels = e.pop().unwrap_or(0);
                        }
                        so.early_exit =
                            e.try_into().map_err(|_| "need 3 or 4 early-exit values")?;
                    }
                    let m = raw.finish(&so)?;
                    m.save(format!("{}.{p}", args[4]))?;
                }
            } else {
                let m = train(&args[2], &args[3], &opts)?;
                m.save(&args[4])?;
                eprintln!("trained in {:.1}s", t.elapsed().as_secs_f64());
            }
        }
        Some("eval") if args.len() >= 4 => {
            let t = Instant::now();
            let m = Model::load(&args[2])?;
            eprintln!("loaded in {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
            let s = eval(&m, &args[3])?;
            println!("{s}");
            eprintln!(
                "lemma {:.2} LAS(full labels) {:.2} words {}",
                s.lemma, s.las_full, s.words
            );
        }
        Some("parse") if args.len() >= 4 => {
            let m = Model::load(&args[2])?;
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let st = reparse_conllu(&m, &args[3], &mut out)?;
            for e in st.errors {
                eprintln!("skipped: {e}");
            }
        }
        Some("load") if args.len() >= 3 => {
            let mut best = f64::MAX;
            for _ in 0..10 {
                let t = Instant::now();
                let m = Model::load(&args[2])?;
                best = best.min(t.elapsed().as_secs_f64());
                std::hint::black_box(m);
            }
            println!("load min of 10: {:.1} ms", best * 1e3);
            print!("{}", Model::load(&args[2])?.stats());
        }
        Some("exit") if args.len() >= 7 => {
            // nlp exit MODEL DEV OUT ENDS(comma list) MAX_BAD
            let mut m = Model::load(&args[2])?;
            let c = conllu::read_file(&args[3])?;
            let sents: Vec<Vec<&str>> = c.sentences.iter().map(|s| s.forms()).collect();
            let ends: Vec<usize> = args[5]
                .split(',')
                .filter(|x| !x.is_empty() && *x != "-")
                .map(|x| x.parse())
                .collect::<Result<_, _>>()?;
            let t = Instant::now();
            m.calibrate_exit(&sents, &ends, args[6].parse()?);
            eprintln!("calibrated in {:.1}s", t.elapsed().as_secs_f64());
            print!("{}", m.stats());
            m.save(&args[4])?;
            for f in args[3..].iter().skip(4) {
                let c = conllu::read_file(f)?;
                let sents: Vec<Vec<&str>> = c.sentences.iter().map(|s| s.forms()).collect();
                let (n, e, same, per) = m.exit_agreement(&sents);
                println!(
                    "{f}: scored {n} early {e} ({:.1}%) agree {same} ({:.2}% of early) per stage {per:?}",
                    100.0 * e as f64 / n.max(1) as f64,
                    100.0 * same as f64 / e.max(1) as f64
                );
            }
        }
        Some("exits") if args.len() >= 6 => {
            // re-calibrate the early exits of MODEL on DEV, write OUT:
            // `nlp exits MODEL DEV OUT X,S,L[,T]` (disagreements per 10,000)
            let m = Model::load(&args[2])?;
            let mut p: Vec<u32> = args[5]
                .split(',')
                .map(|x| x.parse())
                .collect::<Result<_, _>>()?;
            if p.len() == 3 {
                p.push(0);
            }
            let p: [u32; 4] = p.try_into().map_err(|_| "need X,S,L[,T]")?;
            let m = recalibrate(&m, args[3].as_ref(), p)?;
            eprint!("{}", m.stats());
            m.save(&args[4])?;
        }
        Some("stlabels") if args.len() >= 4 => {
            // study: how often the supertag's relation is the full labeller's
            // label, by supertag margin (full-decision parses of GOLD)
            let m = Model::load(&args[2])?;
            let arcs = supertag_label_study(&m, args[3].as_ref())?;
            let n = arcs.len();
            let el: Vec<_> = arcs.iter().filter(|a| a.eligible).collect();
            let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
            let same = el.iter().filter(|a| a.same).count();
            println!(
                "arcs (not from root) {n}; supertag side and relation usable {} ({:.1} %); relation = labeller's {same} ({:.2} %)",
                el.len(),
                pct(el.len(), n),
                pct(same, el.len())
            );
            let mut ms: Vec<u32> = el.iter().map(|a| a.margin).collect();
            ms.sort_unstable();
            let q = |f: f64| {
                ms.get(((ms.len() as f64 * f) as usize).min(ms.len().saturating_sub(1)))
                    .copied()
                    .unwrap_or(0)
            };
            let mut cuts: Vec<u32> = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
                .iter()
                .map(|&f| q(f))
                .collect();
            cuts.extend(args[4..].iter().filter_map(|x| x.parse::<u32>().ok()));
            cuts.sort_unstable();
            cuts.dedup();
            println!("| margin bucket | arcs | same as labeller | margin >= lower | % of all arcs | same as labeller | head-correct arcs: labeller gold | supertag gold |");
            println!("|---|---|---|---|---|---|---|---|");
            for (k, &lo) in cuts.iter().enumerate() {
                let hi = cuts.get(k + 1).copied().unwrap_or(u32::MAX);
                let b: Vec<_> = el
                    .iter()
                    .filter(|a| a.margin >= lo && a.margin < hi)
                    .collect();
                let bs = b.iter().filter(|a| a.same).count();
                let c: Vec<_> = el.iter().filter(|a| a.margin >= lo).collect();
                let cs = c.iter().filter(|a| a.same).count();
                let ch: Vec<_> = c.iter().filter(|a| a.head_ok).collect();
                let lg = ch.iter().filter(|a| a.full_ok).count();
                let sg = ch.iter().filter(|a| a.st_ok).count();
                println!(
                    "| {lo}..{} | {} | {:.2} % | {lo} | {:.1} % | {:.2} % | {:.2} % | {:.2} % |",
                    if hi == u32::MAX {
                        "".to_string()
                    } else {
                        hi.to_string()
                    },
                    b.len(),
                    pct(bs, b.len()),
                    pct(c.len(), n),
                    pct(cs, c.len()),
                    pct(lg, ch.len()),
                    pct(sg, ch.len())
                );
            }
        }
        Some("bench") if args.len() >= 4 => {
            let m = Model::load(&args[2])?;
            let c = conllu::read_file(&args[3])?;
            let sents: Vec<Vec<&str>> = c.sentences.iter().map(|s| s.forms()).collect();
            let reps: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(5);
            let t = Instant::now();
            let mut n = 0usize;
            for _ in 0..reps {
                for s in &sents {
                    let a = m.analyze(s);
                    n += a.head.len();
                }
            }
            let dt = t.elapsed().as_secs_f64();
            let ns = sents.len() * reps;
            println!(
                "dyad {ns} sentences {n} words {dt:.3}s {:.0} sentences/s",
                ns as f64 / dt
            );
        }
        _ => {
            eprintln!("usage: nlp train TRAIN DEV OUT | eval MODEL GOLD | parse MODEL GOLD | bench MODEL GOLD [REPS] | exit MODEL DEV OUT ENDS MAX_BAD [GOLD...]");
            std::process::exit(2);
        }
    }
    Ok(())
}
