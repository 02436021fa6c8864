//! Training: tagger (dev early stopping), jackknifed tags for the parser,
//! lemmatizer, parser (dynamic oracle, dev early stopping).

use crate::conllu::{self, Sentence};
use crate::error::NlpError;
use crate::lemma::Lemmatizer;
use crate::model::{ptoks, Model};
use crate::parser::PTok;
use crate::parser::State;
use crate::parser::{self, ParseSent};
use crate::table::{Exit, Inline3, Sparse};
use crate::tagger::{self, tok_info, type_key, TagCache, TagDict, TagSent, Tagger, Tok};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

/// Training options. The defaults reproduce the committed model.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    /// Maximum tagger epochs (early stopping on dev).
    pub tagger_epochs: usize,
    /// Maximum parser epochs (early stopping on dev).
    pub parser_epochs: usize,
    /// Jackknife folds for the parser's training tags (< 2: gold tags).
    pub folds: usize,
    /// Random seed (shuffling, exploration).
    pub seed: u64,
    /// Worker threads for the jackknife folds.
    pub threads: usize,
    /// Averaged weights with a smaller magnitude are pruned from the saved model.
    pub prune: f32,
    /// Parser features that fired fewer times than this in training (after
    /// their first update, summed over epochs) are dropped from the saved
    /// model: smaller, faster to load, little accuracy lost.
    pub min_hits: u32,
    /// The same cutoff for the tagger's tables.
    pub tagger_min_hits: u32,
    /// Per table (XPOS, UPOS, supertag, labels): quantized weights (i16,
    /// one scale per table) with a smaller magnitude are dropped from the
    /// saved model. The parser's transition table is never pruned this way.
    pub min_q: [u16; 4],
    /// Tag dictionary: word forms seen at least this often in train, always
    /// with the same XPOS, get that XPOS without scoring (0 = off).
    pub tag_dict_min: u32,
    /// Tag dictionary: (form, XPOS) pairs seen at least this often in
    /// train, always with the same UPOS, get that UPOS without scoring (0 = off).
    pub upos_dict_min: u32,
    /// Early exit of the runtime transition scoring (calibrated on the dev
    /// sentences when the model is saved): the stage ends, i.e. how many of
    /// the per-transition templates, most important first, are summed before
    /// each check of the margin between the best and the second-best valid
    /// move (empty = no early exit: every template is summed).
    pub exit_ends: Vec<usize>,
    /// Early exit: at each stage, the margin threshold is the lowest one at
    /// which at most this fraction of the dev decisions taken there differ
    /// from the decisions of the full scoring.
    pub exit_max_bad: f64,
    /// Early exit of the XPOS, supertag and label steps (see `table::Exit`):
    /// at most this many of 10,000 early decisions on dev may differ from
    /// the full decision (the margin thresholds are calibrated when the model
    /// is saved; 0 = no early exit).
    pub early_exit: [u32; 3],
    /// Supertag-label shortcut of the arc labeller (see
    /// `Parser::st_label`): at most this many of 10,000 shortcut labels on
    /// dev may differ from the full labeller's (the supertag-margin
    /// threshold is calibrated when the model is saved; 0 = off).
    pub supertag_labels: u32,
    /// Print progress to stderr.
    pub verbose: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            tagger_epochs: 20,
            parser_epochs: 25,
            folds: 4,
            seed: 7,
            threads: 2,
            prune: 0.0,
            min_hits: 20,
            tagger_min_hits: 0,
            min_q: [600, 2000, 800, 1000],
            tag_dict_min: 5,
            upos_dict_min: 1,
            exit_ends: vec![20, 40, 60],
            exit_max_bad: 0.001,
            early_exit: [50, 0, 50],
            supertag_labels: 50,
            verbose: false,
        }
    }
}

/// Predicted (XPOS, UPOS, supertag) ids of one sentence.
type Tags = (Vec<u8>, Vec<u8>, Vec<u8>);

fn index_of(names: &[String], s: &str) -> u8 {
    names
        .iter()
        .position(|n| n == s)
        .map(|i| i as u8)
        .unwrap_or(255)
}

fn tag_sent(s: &Sentence, xn: &[String], un: &[String], ln: &[String]) -> TagSent {
    TagSent {
        sup: s
            .words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                tagger::supertag(index_of(ln, &w.deprel), w.head.unwrap_or(0), i as u32 + 1)
            })
            .collect(),
        toks: s.words.iter().map(|w| tok_info(&w.form)).collect(),
        xpos: s.words.iter().map(|w| index_of(xn, &w.xpos)).collect(),
        upos: s.words.iter().map(|w| index_of(un, &w.upos)).collect(),
    }
}

/// Train a model from CoNLL-U train and dev files.
pub fn train(
    train_path: impl AsRef<Path>,
    dev_path: impl AsRef<Path>,
    opts: &TrainOptions,
) -> Result<Model, NlpError> {
    let raw = train_raw(train_path.as_ref(), dev_path.as_ref(), opts)?;
    raw.finish(&SaveOptions::from(opts))
}

/// The save-time options of [`TrainOptions`] (see there): what
/// [`RawModel::finish`] does to the trained weights.
#[derive(Clone, Debug)]
#[doc(hidden)]
pub struct SaveOptions {
    pub prune: f32,
    pub tagger_min_hits: u32,
    pub min_hits: u32,
    pub min_q: [u16; 4],
    pub tag_dict_min: u32,
    pub upos_dict_min: u32,
    pub exit_ends: Vec<usize>,
    pub exit_max_bad: f64,
    pub early_exit: [u32; 3],
    pub supertag_labels: u32,
}

impl From<&TrainOptions> for SaveOptions {
    fn from(o: &TrainOptions) -> SaveOptions {
        SaveOptions {
            prune: o.prune,
            tagger_min_hits: o.tagger_min_hits,
            min_hits: o.min_hits,
            min_q: o.min_q,
            tag_dict_min: o.tag_dict_min,
            upos_dict_min: o.upos_dict_min,
            exit_ends: o.exit_ends.clone(),
            exit_max_bad: o.exit_max_bad,
            early_exit: o.early_exit,
            supertag_labels: o.supertag_labels,
        }
    }
}

/// (tag, count) lists per key, in key order (deterministic).
type Counts = BTreeMap<u64, Vec<(u8, u32)>>;

fn count(m: &mut Counts, key: u64, tag: u8) {
    let v = m.entry(key).or_default();
    match v.iter_mut().find(|(t, _)| *t == tag) {
        Some((_, n)) => *n += 1,
        None => v.push((tag, 1)),
    }
}

/// Full-precision training output (before quantization and pruning).
#[doc(hidden)]
pub struct RawModel {
    xpos_names: Vec<String>,
    upos_names: Vec<String>,
    label_names: Vec<String>,
    tagger: Tagger,
    lemma: Lemmatizer,
    parser: parser::Parser,
    /// Gold XPOS counts per exact form in train (for the tag dictionary).
    xpos_counts: Counts,
    /// Gold UPOS counts per (form, XPOS) in train.
    upos_counts: Counts,
    /// The dev sentences' word forms (to calibrate the early exit).
    dev_words: Vec<Vec<String>>,
    /// The dev sentences' tokens (calibration of the early exits).
    dev: Vec<Vec<Tok>>,
}

impl RawModel {
    /// Quantize and prune (|w| < `prune` dropped; tagger / parser features
    /// firing fewer than `tagger_min_hits` / `min_hits` times dropped;
    /// quantized tagger and label weights below `min_q` dropped) and attach
    /// the tag dictionary, calibrate the parser's early exit on the dev
    /// sentences (as the runtime model tags them), into a runtime model,
    /// round-tripped through the file format so it is exactly what `save`
    /// writes.
    pub fn finish(&self, o: &SaveOptions) -> Result<Model, NlpError> {
        let model = Model {
            xpos_names: self.xpos_names.clone(),
            upos_names: self.upos_names.clone(),
            label_names: self.label_names.clone(),
            tagger: Tagger {
                xt: Sparse::from_table(&self.tagger.xt, o.prune, o.tagger_min_hits, o.min_q[0]),
                ut: Sparse::from_table(&self.tagger.ut, o.prune, o.tagger_min_hits, o.min_q[1]),
                st: Sparse::from_table(&self.tagger.st, o.prune, o.tagger_min_hits, o.min_q[2]),
                verb: self.tagger.verb.clone(),
                dict: TagDict::build(
                    &self.xpos_counts,
                    &self.upos_counts,
                    o.tag_dict_min,
                    o.upos_dict_min,
                ),
                xexit: Exit::off(&tagger::X_CTX),
                sexit: Exit::off(&tagger::S_CTX_U8),
            },
            lemma: self.lemma.clone(),
            parser: parser::Parser {
                trans: Inline3::from_table(&self.parser.trans, o.prune, o.min_hits),
                labels: Sparse::from_table(&self.parser.labels, o.prune, o.min_hits, o.min_q[3]),
                root_label: self.parser.root_label,
                exit: parser::Schedule::default(),
                label_exit: Exit::off(&parser::L_CTX),
                st_label: 0,
            },
            id: crate::model::next_model_id(),
        };
        let mut model = Model::from_bytes(&model.to_bytes())?;
        let dev: Vec<Vec<&str>> = self
            .dev_words
            .iter()
            .map(|s| s.iter().map(|w| w.as_str()).collect())
            .collect();
        // The tagger's and labeller's exits first: the transition schedule
        // is then calibrated on the tags and labels `analyze` will produce.
        calibrate_exits(&mut model, &self.dev, o.early_exit);
        model.calibrate_exit(&dev, &o.exit_ends, o.exit_max_bad);
        // Last: the shortcut is calibrated on full-decision parses, so it
        // does not depend on the schedule, and the schedule was calibrated
        // without it (re-calibrating a saved model's shortcut alone gives
        // the same file).
        calibrate_supertag_labels(&mut model, &self.dev, o.supertag_labels);
        Model::from_bytes(&model.to_bytes())
    }
}

/// Train without quantizing (see [`RawModel::finish`]).
#[doc(hidden)]
pub fn train_raw(
    train_path: &Path,
    dev_path: &Path,
    opts: &TrainOptions,
) -> Result<RawModel, NlpError> {
    let t0 = Instant::now();
    let verbose = opts.verbose;
    let mut log = |m: String| {
        if verbose {
            eprintln!("[{:7.1}s] {m}", t0.elapsed().as_secs_f64());
        }
    };
    let tr = conllu::read_file(train_path)?;
    let dv = conllu::read_file(dev_path)?;
    for e in tr.errors.iter().chain(&dv.errors) {
        log(format!("skipped sentence: {e}"));
    }
    if tr.sentences.is_empty() || dv.sentences.is_empty() {
        return Err(NlpError::Train(
            "train or dev file has no usable sentence".into(),
        ));
    }
    let collect = |f: &dyn Fn(&conllu::Word) -> &str| -> Vec<String> {
        let set: BTreeSet<&str> = tr
            .sentences
            .iter()
            .flat_map(|s| s.words.iter().map(f))
            .collect();
        set.into_iter().map(String::from).collect()
    };
    let xn = collect(&|w| w.xpos.as_str());
    let un = collect(&|w| w.upos.as_str());
    let ln = collect(&|w| w.deprel.as_str());
    if xn.len() > 250 || un.len() > 250 || ln.len() > 250 {
        return Err(NlpError::Train("more than 250 tags or relations".into()));
    }
    let root_label = ln
        .iter()
        .position(|l| l == "root")
        .ok_or_else(|| NlpError::Train("no `root` relation in the training data".into()))?
        as u8;
    log(format!(
        "{} train / {} dev sentences; {} XPOS, {} UPOS, {} relations",
        tr.sentences.len(),
        dv.sentences.len(),
        xn.len(),
        un.len(),
        ln.len()
    ));

    let ttrain: Vec<TagSent> = tr
        .sentences
        .iter()
        .map(|s| tag_sent(s, &xn, &un, &ln))
        .collect();
    let tdev: Vec<TagSent> = dv
        .sentences
        .iter()
        .map(|s| tag_sent(s, &xn, &un, &ln))
        .collect();
    let verb = tagger::verb_flags(&xn);
    let ns = ln.len() * 3;
    let (tagger, best_epoch) = tagger::train(
        &ttrain,
        Some(&tdev),
        xn.len(),
        un.len(),
        ns,
        &verb,
        opts.tagger_epochs,
        opts.seed,
        &mut log,
    );
    log(format!("tagger: best epoch {best_epoch}"));

    // Jackknifed tags for parser training.
    let k = opts.folds;
    let mut jack: Vec<Option<Tags>> = vec![None; ttrain.len()];
    if k >= 2 {
        let epochs = best_epoch.max(1);
        let fold_tagger = |f: usize| -> Tagger {
            let part: Vec<&TagSent> = ttrain
                .iter()
                .enumerate()
                .filter(|(i, _)| i % k != f)
                .map(|(_, s)| s)
                .collect();
            let owned: Vec<TagSent> = part
                .iter()
                .map(|s| TagSent {
                    toks: s.toks.clone(),
                    xpos: s.xpos.clone(),
                    upos: s.upos.clone(),
                    sup: s.sup.clone(),
                })
                .collect();
            tagger::train(
                &owned,
                None,
                xn.len(),
                un.len(),
                ns,
                &verb,
                epochs,
                opts.seed + 1 + f as u64,
                &mut |_| {},
            )
            .0
        };
        let threads = opts.threads.max(1);
        let mut taggers: Vec<Option<Tagger>> = vec![None; k];
        let mut f = 0;
        while f < k {
            let batch: Vec<usize> = (f..(f + threads).min(k)).collect();
            let results: Vec<(usize, Tagger)> = std::thread::scope(|sc| {
                let hs: Vec<_> = batch
                    .iter()
                    .map(|&b| (b, sc.spawn(move || fold_tagger(b))))
                    .collect();
                hs.into_iter()
                    .filter_map(|(b, h)| h.join().ok().map(|t| (b, t)))
                    .collect()
            });
            for (b, t) in results {
                taggers[b] = Some(t);
            }
            f += threads;
        }
        let (mut xp, mut up, mut sp) = (Vec::new(), Vec::new(), Vec::new());
        let (mut n, mut c, mut cs) = (0usize, 0usize, 0usize);
        for (i, s) in ttrain.iter().enumerate() {
            if let Some(t) = &taggers[i % k] {
                t.tag(&s.toks, &mut xp, &mut up, &mut sp);
                n += xp.len();
                c += xp.iter().zip(&s.xpos).filter(|(a, b)| a == b).count();
                cs += sp.iter().zip(&s.sup).filter(|(a, b)| a == b).count();
                jack[i] = Some((xp.clone(), up.clone(), sp.clone()));
            }
        }
        log(format!(
            "jackknife ({k} folds, {epochs} epochs): train XPOS {:.2} supertag {:.2}",
            100.0 * c as f64 / n.max(1) as f64,
            100.0 * cs as f64 / n.max(1) as f64
        ));
    }

    let lemma = Lemmatizer::train(tr.sentences.iter().zip(&ttrain).flat_map(|(s, t)| {
        s.words
            .iter()
            .zip(&t.xpos)
            .map(|(w, &x)| (w.form.as_str(), x, w.lemma.as_str()))
    }));

    let mut ptrain = Vec::new();
    let mut skipped = 0;
    for (i, s) in tr.sentences.iter().enumerate() {
        let ts = &ttrain[i];
        let (xp, up, sp) = match &jack[i] {
            Some((x, u, st)) => (x.clone(), u.clone(), st.clone()),
            None => (ts.xpos.clone(), ts.upos.clone(), ts.sup.clone()),
        };
        let mut head = vec![0u32];
        let mut label = vec![0u8];
        let mut ok = true;
        for w in &s.words {
            match w.head {
                Some(h) => head.push(h),
                None => ok = false,
            }
            label.push(index_of(&ln, &w.deprel));
        }
        if !ok || !parser::projectivize(&mut head) || label.contains(&255) {
            skipped += 1;
            continue;
        }
        let mut pt = Vec::new();
        ptoks(&ts.toks, &xp, &up, &sp, &[], &mut pt);
        ptrain.push(ParseSent {
            toks: pt,
            head,
            label,
        });
    }
    let mut pdev = Vec::new();
    let (mut xp, mut up, mut sp) = (Vec::new(), Vec::new(), Vec::new());
    for (i, s) in dv.sentences.iter().enumerate() {
        if s.words.iter().any(|w| w.head.is_none()) {
            continue;
        }
        tagger.tag(&tdev[i].toks, &mut xp, &mut up, &mut sp);
        let mut pt = Vec::new();
        ptoks(&tdev[i].toks, &xp, &up, &sp, &[], &mut pt);
        let mut head = vec![0u32];
        head.extend(s.words.iter().map(|w| w.head.unwrap_or(0)));
        let mut label = vec![0u8];
        label.extend(s.words.iter().map(|w| index_of(&ln, &w.deprel)));
        pdev.push(ParseSent {
            toks: pt,
            head,
            label,
        });
    }
    log(format!(
        "parser: {} training trees ({skipped} skipped)",
        ptrain.len()
    ));
    let parser = parser::train(
        &ptrain,
        &pdev,
        ln.len(),
        root_label,
        opts.parser_epochs,
        opts.seed,
        &mut log,
    );
    log("done".into());
    let (mut xpos_counts, mut upos_counts) = (Counts::new(), Counts::new());
    for t in &ttrain {
        for ((tok, &x), &u) in t.toks.iter().zip(&t.xpos).zip(&t.upos) {
            count(&mut xpos_counts, tok.form, x);
            count(&mut upos_counts, type_key(tok.form, x), u);
        }
    }
    let dev_words = dv
        .sentences
        .iter()
        .map(|s| s.words.iter().map(|w| w.form.clone()).collect())
        .collect();
    Ok(RawModel {
        dev_words,
        dev: tdev.into_iter().map(|s| s.toks).collect(),
        xpos_counts,
        upos_counts,
        xpos_names: xn,
        upos_names: un,
        label_names: ln,
        tagger,
        lemma,
        parser,
    })
}

/// The smallest margin threshold such that, among the decisions `rec`
/// (stage-1 margin, stage-1 choice = full choice) with at least that
/// margin, at most `per_10k` of 10,000 disagree (0 = none qualifies or
/// `per_10k` is 0: no early exit). Deterministic: depends only on the
/// multiset of records.
pub(crate) fn exit_threshold(rec: &mut [(u32, bool)], per_10k: u32) -> u32 {
    if per_10k == 0 {
        return 0;
    }
    rec.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let (mut n, mut bad) = (0u64, 0u64);
    let mut best = 0;
    let mut j = 0;
    while j < rec.len() {
        // all records with this margin enter together
        let m = rec[j].0;
        while j < rec.len() && rec[j].0 == m {
            n += 1;
            bad += u64::from(!rec[j].1);
            j += 1;
        }
        if m > 0 && bad * 10_000 <= u64::from(per_10k) * n {
            best = m;
        }
    }
    best
}

/// Set the early-exit rules of `model`: stage-1 templates from
/// `tagger::X_FIRST`, `tagger::S_FIRST`, `parser::L_FIRST`, thresholds
/// calibrated on the `dev` sentences with at most `per_10k` (XPOS,
/// supertag, labels) disagreements with the full decisions per 10,000
/// early decisions. A zero entry leaves that rule off.
pub(crate) fn calibrate_exits(model: &mut Model, dev: &[Vec<Tok>], per_10k: [u32; 3]) {
    if per_10k == [0; 3] {
        return;
    }
    model.tagger.xexit = Exit::new(0, tagger::X_FIRST.to_vec(), &tagger::X_CTX);
    model.tagger.sexit = Exit::new(0, tagger::S_FIRST.to_vec(), &tagger::S_CTX_U8);
    model.parser.label_exit = Exit::new(0, parser::L_FIRST.to_vec(), &parser::L_CTX);
    let (mut xr, mut sr, mut lr) = (Vec::new(), Vec::new(), Vec::new());
    let mut st = State::default();
    let mut pt = Vec::new();
    let mut tc = TagCache::default();
    for toks in dev {
        model.ptoks_of(toks, &mut tc, &mut pt);
        let xp = model.tagger.exit_margins(toks, &mut xr, &mut sr);
        debug_assert!(xp.iter().zip(&pt[1..]).all(|(&x, t)| u64::from(x) == t.p));
        model.parser.label_margins(&pt, &mut st, &mut lr);
    }
    type Rule<'a> = (&'a mut Exit, &'a mut Vec<(u32, bool)>, u32, &'a [u8]);
    let rules: [Rule<'_>; 3] = [
        (&mut model.tagger.xexit, &mut xr, per_10k[0], &tagger::X_CTX),
        (
            &mut model.tagger.sexit,
            &mut sr,
            per_10k[1],
            &tagger::S_CTX_U8,
        ),
        (
            &mut model.parser.label_exit,
            &mut lr,
            per_10k[2],
            &parser::L_CTX,
        ),
    ];
    for (e, rec, p, ctx) in rules {
        match exit_threshold(rec, p) {
            0 => *e = Exit::off(ctx),
            th => e.threshold = th,
        }
    }
}

/// Set the supertag-label shortcut of `model` (`Parser::st_label`): the
/// smallest supertag margin at which, along the full-decision parses of
/// the `dev` sentences (tagged as `analyze` tags them), at most `per_10k`
/// of 10,000 arcs the shortcut would label get another label than the full
/// labeller's ([`exit_threshold`]; 0 = off).
pub(crate) fn calibrate_supertag_labels(model: &mut Model, dev: &[Vec<Tok>], per_10k: u32) {
    model.parser.st_label = 0;
    if per_10k == 0 {
        return;
    }
    let mut rec = Vec::new();
    let mut st = State::default();
    let mut pt = Vec::new();
    let mut tc = TagCache::default();
    for toks in dev {
        model.ptoks_of(toks, &mut tc, &mut pt);
        model.parser.supertag_label_margins(&pt, &mut st, &mut rec);
    }
    model.parser.st_label = exit_threshold(&mut rec, per_10k);
}

/// Re-calibrate the early-exit rules (XPOS, supertags, labels) and the
/// supertag-label shortcut of a saved model on a dev file (as
/// [`RawModel::finish`] does with `SaveOptions::early_exit` and
/// `supertag_labels`); a sweep over targets needs no retraining. The
/// transition schedule is kept.
#[doc(hidden)]
pub fn recalibrate(model: &Model, dev_path: &Path, per_10k: [u32; 4]) -> Result<Model, NlpError> {
    let dv = conllu::read_file(dev_path)?;
    let dev: Vec<Vec<Tok>> = dv
        .sentences
        .iter()
        .map(|s| s.words.iter().map(|w| tok_info(&w.form)).collect())
        .collect();
    let mut m = model.clone();
    m.tagger.xexit = Exit::off(&tagger::X_CTX);
    m.tagger.sexit = Exit::off(&tagger::S_CTX_U8);
    m.parser.label_exit = Exit::off(&parser::L_CTX);
    m.parser.st_label = 0;
    calibrate_exits(&mut m, &dev, [per_10k[0], per_10k[1], per_10k[2]]);
    calibrate_supertag_labels(&mut m, &dev, per_10k[3]);
    Model::from_bytes(&m.to_bytes())
}

/// One arc of the full-decision parse of a gold sentence, for the study of
/// the supertag-label shortcut (`nlp stlabels`).
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct StArc {
    /// The dependent's supertag margin (quantized units).
    pub margin: u32,
    /// The supertag names the head's side and a non-root relation.
    pub eligible: bool,
    /// ... and that relation is the full labeller's label.
    pub same: bool,
    /// The arc's head is the gold head.
    pub head_ok: bool,
    /// The full labeller's label is the gold relation.
    pub full_ok: bool,
    /// The supertag's relation is the gold relation (eligible arcs).
    pub st_ok: bool,
}

/// The arcs (not from the root token) of the full-decision parses of the
/// sentences of `gold` (tagged as `analyze` tags them), with their
/// supertag-label data.
#[doc(hidden)]
pub fn supertag_label_study(model: &Model, gold: &Path) -> Result<Vec<StArc>, NlpError> {
    let c = conllu::read_file(gold)?;
    let mut out = Vec::new();
    let mut st = State::default();
    let mut pt: Vec<PTok> = Vec::new();
    let mut tc = TagCache::default();
    let nl = model.label_names.len();
    let root = model.parser.root_label;
    for s in &c.sentences {
        let toks: Vec<Tok> = s.words.iter().map(|w| tok_info(&w.form)).collect();
        model.ptoks_of(&toks, &mut tc, &mut pt);
        let gh: Vec<Option<u32>> = s.words.iter().map(|w| w.head).collect();
        let gl: Vec<u8> = s
            .words
            .iter()
            .map(|w| index_of(&model.label_names, &w.deprel))
            .collect();
        model.parser.full_arcs(&pt, &mut st, &mut |h, d, lab, _| {
            let (Some(tok), Some(i)) = (pt.get(d as usize), (d as usize).checked_sub(1)) else {
                return;
            };
            let any = PTok { sm: 1, ..*tok };
            let sl = parser::supertag_label(&any, h, d, 1, root, nl);
            out.push(StArc {
                margin: tok.sm,
                eligible: sl.is_some(),
                same: sl == Some(lab),
                head_ok: gh.get(i) == Some(&Some(h)),
                full_ok: gl.get(i) == Some(&lab),
                st_ok: sl.is_some() && sl == gl.get(i).copied(),
            });
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The threshold is the smallest margin whose early decisions (all with
    /// at least that margin) disagree at most `per_10k` / 10,000 of the time.
    #[test]
    fn exit_threshold_is_the_smallest_safe_margin() {
        // margins 100..1 (one decision each); those below 20 disagree
        let mut rec: Vec<(u32, bool)> = (1..=100).map(|m| (m, m >= 20)).collect();
        assert_eq!(exit_threshold(&mut rec, 0), 0);
        // no disagreement allowed: down to 20
        assert_eq!(exit_threshold(&mut rec, 1), 20);
        // 10 %: 81 agree (20..=100); 9 more disagreeing → margin 11 (9 of 90)
        assert_eq!(exit_threshold(&mut rec, 1000), 11);
        // everything allowed: the smallest positive margin
        assert_eq!(exit_threshold(&mut rec, 10_000), 1);
        // a margin of 0 (a tie) never qualifies
        let mut ties = vec![(0, true); 10];
        assert_eq!(exit_threshold(&mut ties, 10_000), 0);
        // equal margins enter together: down to 5 is 1 disagreement in 3
        let mut eq = vec![(5, true), (5, false), (9, true)];
        assert_eq!(exit_threshold(&mut eq, 3000), 9);
        assert_eq!(exit_threshold(&mut eq, 3334), 5);
    }
}
