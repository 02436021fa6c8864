//! Quality floor of the committed model on UD English-EWT test (gold tokens,
//! predicted tags). Skips when ../shared is absent.
use dyad_nlp::{eval, Model};

const MODEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/en-ewt.dyadnlp");
const TEST: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/ud-ewt/en_ewt-ud-test.conllu"
);

#[test]
fn committed_model_meets_the_floor_on_ewt_test() {
    if !std::path::Path::new(TEST).exists() {
        eprintln!("skipping: ../shared not found");
        return;
    }
    let m = Model::load(MODEL).expect("committed model loads");
    let s = eval(&m, TEST).expect("test set evaluates");
    eprintln!("{s}");
    assert_eq!(s.sentences, 2077);
    assert!(s.upos >= 95.0, "UPOS below floor: {s}");
    assert!(s.uas >= 85.0, "UAS below floor: {s}");
    assert!(s.las >= 81.0, "LAS below floor: {s}");
}

#[test]
fn reparse_keeps_tokenization_and_writes_valid_conllu() {
    if !std::path::Path::new(TEST).exists() {
        eprintln!("skipping: ../shared not found");
        return;
    }
    let m = Model::load(MODEL).expect("committed model loads");
    let mut out = Vec::new();
    let st = dyad_nlp::reparse_conllu(&m, TEST, &mut out).expect("reparse");
    assert_eq!(st.sentences, 2077);
    assert!(st.errors.is_empty());
    let gold = dyad_nlp::conllu::read_file(TEST).unwrap();
    let back = dyad_nlp::conllu::read_bytes(&out, "out");
    assert!(back.errors.is_empty(), "{:?}", back.errors.first());
    assert_eq!(back.sentences.len(), gold.sentences.len());
    for (a, b) in back.sentences.iter().zip(&gold.sentences) {
        assert_eq!(a.forms(), b.forms());
        assert_eq!(a.comments, b.comments);
    }
    // scoring the re-parsed file against gold gives the eval figures
    let s = dyad_nlp::eval_corpus(&m, &gold.sentences);
    let (mut n, mut ok) = (0, 0);
    for (a, b) in back.sentences.iter().zip(&gold.sentences) {
        for (wa, wb) in a.words.iter().zip(&b.words) {
            n += 1;
            ok += (wa.head == wb.head) as usize;
        }
    }
    let uas = 100.0 * ok as f64 / n as f64;
    assert!((uas - s.uas).abs() < 1e-9, "{uas} vs {}", s.uas);
}
