//! Sentence splitting and tokenization on news-text phenomena.

use dyad_text::{read_str, segment, segment_text, InputFormat, Sentence};

fn texts(s: &str) -> Vec<String> {
    segment_text(s).into_iter().map(|s| s.text).collect()
}

fn toks(s: &Sentence) -> Vec<&str> {
    s.tokens.iter().map(|t| t.text.as_str()).collect()
}

/// Every token's offsets slice the original to a string that normalises to
/// the token text, and sentences contain their tokens.
fn check_offsets(text: &str, sents: &[Sentence]) {
    let mut last = 0;
    for s in sents {
        assert!(s.start >= last && s.start <= s.end && s.end <= text.len());
        for t in &s.tokens {
            assert!(t.start >= s.start && t.end <= s.end && t.start < t.end);
            let orig = &text[t.start..t.end];
            let simple = orig
                .replace(['\u{2019}', '\u{2018}'], "'")
                .replace(['\u{201C}', '\u{201D}'], "\"")
                .replace('\u{2014}', "--")
                .replace('\u{2026}', "...");
            assert!(
                simple == t.text || (t.text == "--" && orig.chars().all(|c| c == '-')),
                "token {:?} vs original {:?}",
                t.text,
                orig
            );
        }
        last = s.end;
    }
}

#[test]
fn abbreviations_do_not_split() {
    let t = "U.S. Secretary of State Marco Rubio met Gen. Smith and Lt. Col. Jones on Jan. 5 at the U.N. headquarters. Mr. Brown and Dr. Green of Acme Inc. joined them at St. Paul's Cathedral, No. 4 on the list.";
    let s = texts(t);
    assert_eq!(s.len(), 2, "{s:#?}");
    assert!(s[0].ends_with("headquarters."));
    check_offsets(t, &segment_text(t));
}

#[test]
fn abbreviation_at_sentence_end() {
    let t = "The talks were held in the U.S. The delegation then left for Paris. He works for Acme Inc. It is big.";
    let s = texts(t);
    assert_eq!(
        s,
        [
            "The talks were held in the U.S.",
            "The delegation then left for Paris.",
            "He works for Acme Inc.",
            "It is big."
        ]
    );
    // "U.S." stays one token, with no extra period.
    let sents = segment_text(t);
    assert_eq!(toks(&sents[0]).last(), Some(&"U.S."));
}

#[test]
fn initials() {
    let t = "The Hobbit was written by J. R. R. Tolkien in 1937. It sold well.";
    let s = texts(t);
    assert_eq!(s.len(), 2, "{s:#?}");
    let sents = segment_text(t);
    assert!(toks(&sents[0]).contains(&"J."));
    assert!(toks(&sents[0]).contains(&"R."));
}

#[test]
fn quotes_and_parentheses() {
    let t = "\u{201C}We will not retreat,\u{201D} he said. \u{201C}The fight goes on.\u{201D} Officials (who declined to be named) agreed. \"Why?\" Smith asked. (The vote passed.) Then they left.";
    let s = texts(t);
    assert_eq!(
        s,
        [
            "\u{201C}We will not retreat,\u{201D} he said.",
            "\u{201C}The fight goes on.\u{201D}",
            "Officials (who declined to be named) agreed.",
            "\"Why?\" Smith asked.",
            "(The vote passed.)",
            "Then they left."
        ]
    );
    let sents = segment_text(t);
    assert_eq!(toks(&sents[0])[0], "\"");
    assert_eq!(
        toks(&sents[1]),
        ["\"", "The", "fight", "goes", "on", ".", "\""]
    );
    check_offsets(t, &sents);
}

#[test]
fn numbers() {
    let t = "Growth was 3.5 percent, or $1,500.25 per person. About 1,500 troops remain.";
    let sents = segment_text(t);
    assert_eq!(sents.len(), 2);
    let k = toks(&sents[0]);
    assert!(k.contains(&"3.5") && k.contains(&"1,500.25") && k.contains(&"$"));
    assert!(toks(&sents[1]).contains(&"1,500"));
}

#[test]
fn hyphens_and_clitics_follow_ewt() {
    let t = "Anmar al-Droubi didn't say the anti-American rally can't happen; it's the U.S.-led coalition's call.";
    let sents = segment_text(t);
    assert_eq!(sents.len(), 1);
    assert_eq!(
        toks(&sents[0]),
        [
            "Anmar",
            "al",
            "-",
            "Droubi",
            "did",
            "n't",
            "say",
            "the",
            "anti-American",
            "rally",
            "ca",
            "n't",
            "happen",
            ";",
            "it",
            "'s",
            "the",
            "U.S.",
            "-",
            "led",
            "coalition",
            "'s",
            "call",
            "."
        ]
    );
}

#[test]
fn curly_quotes_normalised() {
    let t = "Iraq\u{2019}s army said \u{201C}no\u{201D} \u{2014} twice\u{2026}";
    let sents = segment_text(t);
    let k: Vec<&str> = sents.iter().flat_map(toks).collect();
    assert_eq!(
        k,
        ["Iraq", "'s", "army", "said", "\"", "no", "\"", "--", "twice", "..."]
    );
    check_offsets(t, &sents);
}

#[test]
fn ellipses() {
    let t = "He paused... Then he spoke. It was... well, odd.";
    let s = texts(t);
    assert_eq!(
        s,
        ["He paused...", "Then he spoke.", "It was... well, odd."]
    );
}

#[test]
fn urls_and_emails() {
    let t = "See https://www.voanews.com/a/story.html?id=5 or mail press@state.gov. Then call.";
    let sents = segment_text(t);
    assert_eq!(
        sents.len(),
        2,
        "{:?}",
        sents.iter().map(|s| &s.text).collect::<Vec<_>>()
    );
    let k = toks(&sents[0]);
    assert!(
        k.contains(&"https://www.voanews.com/a/story.html?id=5"),
        "{k:?}"
    );
    assert!(k.contains(&"press@state.gov"), "{k:?}");
}

#[test]
fn hard_wraps_are_joined_and_paragraphs_split() {
    let t = "The talks are part of\nthe Arab country's efforts.\n\nA new paragraph starts here\nand goes on";
    let s = texts(t);
    assert_eq!(
        s,
        [
            "The talks are part of the Arab country's efforts.",
            "A new paragraph starts here and goes on"
        ]
    );
}

#[test]
fn datelines_are_recorded_and_excluded() {
    let cases = [
        (
            "BAGHDAD, Aug 8 (Reuters) - Iraq held talks.",
            "BAGHDAD",
            Some("Reuters"),
            Some((8, 8)),
        ),
        (
            "WASHINGTON (AP) \u{2014} The Senate voted.",
            "WASHINGTON",
            Some("AP"),
            None,
        ),
        (
            "KYIV, Ukraine \u{2014} Russia fired missiles.",
            "KYIV",
            None,
            None,
        ),
    ];
    for (text, place, agency, md) in cases {
        let out = read_str("x.txt", text, InputFormat::Text);
        let doc = &out.docs[0];
        let d = doc
            .dateline
            .as_ref()
            .unwrap_or_else(|| panic!("no dateline in {text:?}"));
        assert_eq!(d.place, place);
        assert_eq!(d.agency.as_deref(), agency);
        assert_eq!(d.month.zip(d.day), md);
        let sents = segment(doc);
        assert_eq!(sents.len(), 1);
        assert!(!sents[0].text.contains(place), "{:?}", sents[0].text);
        assert_eq!(&doc.text[sents[0].start..sents[0].end], sents[0].text);
        assert!(sents[0].start >= d.end);
    }
    let d = read_str(
        "x.txt",
        "KYIV, Ukraine \u{2014} Russia fired.",
        InputFormat::Text,
    )
    .docs[0]
        .dateline
        .clone();
    assert_eq!(d.and_then(|d| d.region).as_deref(), Some("Ukraine"));
}

#[test]
fn no_dateline_in_ordinary_text() {
    for t in [
        "US-Iraq talks - a review of the facts.",
        "Meanwhile, the statement - said nothing.",
        "The talks went well - officials said.",
    ] {
        let doc = &read_str("x.txt", t, InputFormat::Text).docs[0];
        assert!(doc.dateline.is_none(), "{t:?} -> {:?}", doc.dateline);
    }
}

#[test]
fn bylines_are_recorded_and_excluded() {
    let t = "Iraq and US hold talks\nBy Jane Doe and John Roe\nBAGHDAD (Reuters) - Iraq held talks with the US.\nThey went well.";
    let out = read_str("story.txt", t, InputFormat::Text);
    let doc = &out.docs[0];
    assert_eq!(doc.title.as_deref(), Some("Iraq and US hold talks"));
    assert_eq!(
        doc.byline.as_ref().map(|b| b.names.as_str()),
        Some("Jane Doe and John Roe")
    );
    assert_eq!(
        doc.dateline.as_ref().map(|d| d.place.as_str()),
        Some("BAGHDAD")
    );
    let s: Vec<(String, bool)> = segment(doc)
        .into_iter()
        .map(|s| (s.text, s.is_heading))
        .collect();
    assert_eq!(
        s,
        [
            ("Iraq and US hold talks".to_string(), true),
            ("Iraq held talks with the US.".to_string(), false),
            ("They went well.".to_string(), false)
        ]
    );
}

#[test]
fn heading_layouts() {
    let cases: &[(&str, &[(&str, bool)])] = &[
        // Heading as its own paragraph, sentence case.
        (
            "The talks ended.\n\nWhat comes next\n\nThe two sides will meet again.",
            &[
                ("The talks ended.", false),
                ("What comes next", true),
                ("The two sides will meet again.", false),
            ],
        ),
        // All-caps heading inside a hard-wrapped paragraph.
        (
            "The talks ended.\nBACKGROUND\nThe two sides\nhave met before.",
            &[
                ("The talks ended.", false),
                ("BACKGROUND", true),
                ("The two sides have met before.", false),
            ],
        ),
        // Wrapped sentences that look like headings are joined.
        (
            "The talks ended.\nOfficials met President\nBiden on Monday.\nHe said the visit the\nIraqi delegation paid was useful.",
            &[
                ("The talks ended.", false),
                ("Officials met President Biden on Monday.", false),
                ("He said the visit the Iraqi delegation paid was useful.", false),
            ],
        ),
    ];
    for (text, want) in cases {
        let got: Vec<(String, bool)> = segment_text(text)
            .into_iter()
            .map(|s| (s.text, s.is_heading))
            .collect();
        let want: Vec<(String, bool)> = want.iter().map(|(t, h)| (t.to_string(), *h)).collect();
        assert_eq!(got, want, "{text:?}");
    }
}
