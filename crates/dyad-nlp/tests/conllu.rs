use dyad_nlp::conllu::{read_bytes, write_string};

const GOOD: &str = "# sent_id = a\n# text = I can't go.\n1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n2-3\tcan't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tca\tcan\tAUX\tMD\t_\t4\taux\t_\t_\n3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n4\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n4.1\tgone\tgo\tVERB\tVBN\t_\t_\t_\t4:conj\t_\n5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n# sent_id = b\n1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n\n";

#[test]
fn reads_multiword_and_empty_nodes() {
    let c = read_bytes(GOOD.as_bytes(), "good.conllu");
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    assert_eq!(c.sentences.len(), 2);
    let s = &c.sentences[0];
    assert_eq!(s.forms(), vec!["I", "ca", "n't", "go", "."]);
    assert_eq!(s.words[3].head, Some(0));
    assert_eq!(s.extra.len(), 2);
    assert_eq!(s.extra[0].0, 1);
    assert_eq!(s.extra[1].0, 4);
    assert_eq!(c.sentences[1].line, 11);
}

#[test]
fn round_trip_is_exact() {
    let c = read_bytes(GOOD.as_bytes(), "good.conllu");
    assert_eq!(write_string(&c.sentences), GOOD);
}

#[test]
fn bad_line_is_reported_with_file_and_line_and_sentence_skipped() {
    let bad = GOOD.replace(
        "3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_",
        "3\tn't\tnot\tPART\tRB\t_\tfour\tadvmod\t_\t_",
    );
    let c = read_bytes(bad.as_bytes(), "bad.conllu");
    assert_eq!(c.sentences.len(), 1, "the good sentence survives");
    assert_eq!(c.errors.len(), 1);
    let e = &c.errors[0];
    assert_eq!(e.line, 6);
    let msg = e.to_string();
    assert!(msg.starts_with("bad.conllu:6:"), "{msg}");
    assert!(msg.contains("HEAD"), "{msg}");
}

#[test]
fn other_errors_name_their_cause() {
    let cases = [
        ("1\tx\tx\tX\tX\t_\t0\troot\t_\n", "columns"),
        ("2\tx\tx\tX\tX\t_\t0\troot\t_\t_\n", "expected"),
        ("1\tx\tx\tX\tX\t_\t7\troot\t_\t_\n", "beyond"),
        ("1\tx\tx\tX\tX\t_\t1\troot\t_\t_\n", "own head"),
        (
            "1-x\tx\t_\t_\t_\t_\t_\t_\t_\t_\n1\tx\tx\tX\tX\t_\t0\troot\t_\t_\n",
            "multiword",
        ),
    ];
    for (text, want) in cases {
        let c = read_bytes(text.as_bytes(), "t");
        assert!(c.sentences.is_empty(), "{text:?}");
        assert_eq!(c.errors.len(), 1, "{text:?}");
        assert!(
            c.errors[0].cause.contains(want),
            "{text:?}: {}",
            c.errors[0].cause
        );
    }
    let mut bytes = b"1\tx\tx\tX\tX\t_\t0\troot\t_\t_\n\n1\t".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(b"\tx\tX\tX\t_\t0\troot\t_\t_\n");
    let c = read_bytes(&bytes, "u");
    assert_eq!(c.sentences.len(), 1);
    assert_eq!(c.errors[0].line, 3);
    assert!(c.errors[0].cause.contains("UTF-8"));
}

#[test]
fn round_trip_of_real_treebank() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/ud-ewt/en_ewt-ud-test.conllu"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let c = read_bytes(text.as_bytes(), "test");
    assert!(
        c.errors.is_empty(),
        "{:?}",
        &c.errors[..c.errors.len().min(3)]
    );
    assert_eq!(c.sentences.len(), 2077);
    let norm = |s: &str| s.replace("\r\n", "\n").trim_end().to_string();
    assert_eq!(norm(&write_string(&c.sentences)), norm(&text));
}
