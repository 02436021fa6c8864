//! The seed article (hard-wrapped scraper text with inline headings).

use dyad_text::{read_path, segment, InputFormat};

#[test]
fn seed_article_splits_whole_sentences_and_headings() {
    let p = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/000_86ffe86b06bc2f2f.txt");
    if !p.exists() {
        eprintln!("skipping: ../shared not found");
        return;
    }
    let out = read_path(&p, InputFormat::Auto).expect("read seed");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let doc = &out.docs[0];
    assert_eq!(doc.id, "000_86ffe86b06bc2f2f");
    assert_eq!(doc.date, None);
    assert!(doc.dateline.is_none());
    let sents = segment(doc);
    let find = |t: &str| sents.iter().find(|s| s.text == t);

    let s =
        find("Iraq has held talks with the US over means of enhancing joint security cooperation.")
            .expect("the talks sentence comes out whole");
    assert!(!s.is_heading);
    // Its offsets cover the hard-wrapped original.
    assert_eq!(
        &doc.text[s.start..s.end],
        "Iraq has held talks\nwith the US over means of enhancing joint security cooperation."
    );
    assert!(find("Confronting ISIS").expect("one heading").is_heading);
    assert!(find("Timing").expect("heading").is_heading);
    let headings: Vec<&str> = sents
        .iter()
        .filter(|s| s.is_heading)
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(
        headings,
        [
            "US-Iraq security coordination may have implications for fight against ISIS",
            "Confronting ISIS",
            "Timing"
        ]
    );
    // Nothing glued to a heading, and wrapped sentences are joined.
    assert!(find("The joint statement confirmed that the US Department of Defence welcomed during a reception of the Iraqi delegation in Washington the full implementation of the strategic dialogue.").is_some());
    assert!(find("The Iraqi Ministry of Defence and the US Department of Defence released a joint statement on the two parties' joint security dialogue.").is_some());
    assert!(sents.iter().all(|s| !s.text.contains('\n')));
    assert_eq!(sents.len(), 18); // 3 headings + 15 sentences
                                 // Tokens slice the original.
    for s in &sents {
        for t in &s.tokens {
            assert_eq!(&doc.text[t.start..t.end], t.text);
        }
    }
}
