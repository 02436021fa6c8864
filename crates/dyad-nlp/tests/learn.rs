//! Train on a small synthetic treebank and check the model learns it; check
//! that parses are well-formed trees on arbitrary input.
use dyad_nlp::{train, Model, TrainOptions};
use std::fmt::Write;

/// Deterministic tiny generator.
struct G(u64);
impl G {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// A toy grammar: DET ADJ* NOUN VERB DET NOUN (PREP DET NOUN)? .
fn synthetic(n: usize, seed: u64) -> String {
    let mut g = G(seed);
    let dets = ["the", "a", "this"];
    let adjs = ["big", "red", "old", "new"];
    let nouns = ["dog", "cat", "man", "house", "park", "ball"];
    let verbs = ["saw", "liked", "took", "found"];
    let preps = ["in", "near", "with"];
    let mut out = String::new();
    for s in 0..n {
        let mut w: Vec<(String, &str, &str, usize, &str)> = Vec::new(); // form xpos upos head deprel
        let nadj = g.next(3);
        let subj_noun = 2 + nadj; // 1-based index of subject noun
        w.push((dets[g.next(3)].into(), "DT", "DET", subj_noun, "det"));
        for _ in 0..nadj {
            w.push((adjs[g.next(4)].into(), "JJ", "ADJ", subj_noun, "amod"));
        }
        let verb = subj_noun + 1;
        w.push((nouns[g.next(6)].into(), "NN", "NOUN", verb, "nsubj"));
        w.push((verbs[g.next(4)].into(), "VBD", "VERB", 0, "root"));
        let obj = verb + 2;
        w.push((dets[g.next(3)].into(), "DT", "DET", obj, "det"));
        w.push((nouns[g.next(6)].into(), "NN", "NOUN", verb, "obj"));
        if g.next(2) == 1 {
            let pn = obj + 3;
            w.push((preps[g.next(3)].into(), "IN", "ADP", pn, "case"));
            w.push((dets[g.next(3)].into(), "DT", "DET", pn, "det"));
            w.push((nouns[g.next(6)].into(), "NN", "NOUN", verb, "obl"));
        }
        w.push((".".into(), ".", "PUNCT", verb, "punct"));
        let _ = writeln!(out, "# sent_id = {s}");
        for (i, (f, x, u, h, d)) in w.iter().enumerate() {
            let _ = writeln!(out, "{}\t{f}\t{f}\t{u}\t{x}\t_\t{h}\t{d}\t_\t_", i + 1);
        }
        out.push('\n');
    }
    out
}

/// Train a model on a small synthetic treebank. Each call works in its own
/// directory: the tests run in parallel, and a shared one let one test
/// delete the other's training files.
fn tiny_model() -> Model {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("dyad-nlp-learn-{}-{call}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tr = dir.join("train.conllu");
    let dv = dir.join("dev.conllu");
    std::fs::write(&tr, synthetic(300, 1)).unwrap();
    std::fs::write(&dv, synthetic(50, 2)).unwrap();
    let opts = TrainOptions {
        tagger_epochs: 5,
        parser_epochs: 5,
        folds: 2,
        ..Default::default()
    };
    let m = train(&tr, &dv, &opts).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    m
}

#[test]
fn learns_tiny_treebank_perfectly_and_round_trips_file() {
    let m = tiny_model();
    let dir = std::env::temp_dir().join(format!("dyad-nlp-learn2-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let test = dir.join("test.conllu");
    std::fs::write(&test, synthetic(100, 3)).unwrap();
    let s = dyad_nlp::eval(&m, &test).unwrap();
    assert_eq!(s.sentences, 100);
    assert!(s.words >= 600);
    assert!(s.upos == 100.0 && s.xpos == 100.0, "{s}");
    assert!(s.uas == 100.0 && s.las == 100.0, "{s}");
    // save / load gives the same analyses
    let path = dir.join("m.dyadnlp");
    m.save(&path).unwrap();
    let m2 = Model::load(&path).unwrap();
    let words = [
        "the", "big", "cat", "found", "a", "ball", "in", "the", "park", ".",
    ];
    assert_eq!(m.analyze(&words), m2.analyze(&words));
    let a = m2.analyze(&words);
    assert_eq!(a.head, vec![3, 3, 4, 0, 6, 4, 9, 9, 4, 4]);
    assert_eq!(a.deprel[3], "root");
    assert_eq!(a.xpos[3], "VBD");
    // CoNLL-U output of an analysis reads back with the same tree
    let sent = a.to_sentence(&words, &["# sent_id = x".to_string()]);
    let text = dyad_nlp::conllu::write_string(&[sent]);
    let back = dyad_nlp::conllu::read_bytes(text.as_bytes(), "out");
    assert!(back.errors.is_empty(), "{:?}", back.errors);
    let heads: Vec<u32> = back.sentences[0]
        .words
        .iter()
        .map(|w| w.head.unwrap())
        .collect();
    assert_eq!(heads, a.head);
    assert_eq!(back.sentences[0].words[3].lemma, a.lemma[3]);
    // corrupt files are errors, not panics
    let bytes = std::fs::read(&path).unwrap();
    assert!(Model::from_bytes(&bytes[..bytes.len() / 2]).is_err());
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 3;
    flipped[mid] ^= 0x55;
    assert!(Model::from_bytes(&flipped).is_err());
    assert!(Model::from_bytes(b"nonsense").is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

fn check_tree(head: &[u32]) {
    let n = head.len();
    let roots = head.iter().filter(|&&h| h == 0).count();
    assert_eq!(roots, 1, "single root: {head:?}");
    for (i, &h) in head.iter().enumerate() {
        assert!(
            h as usize <= n && h as usize != i + 1,
            "head in range: {head:?}"
        );
        // no cycles: walking up reaches the root within n steps
        let mut k = i + 1;
        for _ in 0..=n {
            if k == 0 {
                break;
            }
            k = head[k - 1] as usize;
        }
        assert_eq!(k, 0, "cycle through {}: {head:?}", i + 1);
    }
    // projective: no two arcs cross
    for d1 in 1..=n {
        let h1 = head[d1 - 1] as usize;
        let (a1, b1) = (d1.min(h1), d1.max(h1));
        for d2 in 1..=n {
            let h2 = head[d2 - 1] as usize;
            let (a2, b2) = (d2.min(h2), d2.max(h2));
            assert!(!(a1 < a2 && a2 < b1 && b1 < b2), "crossing arcs: {head:?}");
        }
    }
}

#[test]
fn parses_are_well_formed_trees_on_random_input() {
    let m = tiny_model();
    let vocab = [
        "the", "dog", "saw", ".", "é", "日本", "", " ", "\u{0}", "ßS", "12.5", "(", "))", "U.S.",
        "𝔘",
    ];
    let mut g = G(99);
    for len in 0..60 {
        for _ in 0..10 {
            let words: Vec<&str> = (0..len).map(|_| vocab[g.next(vocab.len())]).collect();
            let a = m.analyze(&words);
            assert_eq!(a.head.len(), len);
            assert_eq!(a.xpos.len(), len);
            assert_eq!(a.lemma.len(), len);
            if len > 0 {
                check_tree(&a.head);
                assert_eq!(a.deprel.iter().filter(|d| **d == "root").count(), 1);
            }
        }
    }
    let long: Vec<&str> = (0..10_000).map(|i| vocab[i % vocab.len()]).collect();
    let a = m.analyze(&long);
    check_tree(&a.head);
    assert!(m.analyze(&[]).head.is_empty());
}
