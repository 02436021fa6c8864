//! Document context and clause repairs on dependency parses as dyad's parser gives them:
//! conjuncts hidden in participle clauses, reduced passive relatives, and "the two sides"
//! resolved from the countries a document names. Fictional actors and our own sentences.
use dyad_coder::{Coder, CoderOptions, Dictionaries, Discourse, ParsedSentence};

const VERBS: &str = "
--- DISCUSS [040] ---
DISCUSS
- % * [040]

--- SIGN [057] ---
SIGN

--- SEIZE [171] ---
SEIZE

--- CAPTURE [171] ---
CAPTURE
- * + [172]

--- PRAISE [051] ---
PRAISE

--- SAY [010] ---
SAY {SAID}
";

const ACTORS: &str = "
ZAROVIA [ZAR]
+ZAROVIAN
QUELLMARK [QUE]
+QUELLMARKI
ORTANIA [ORT]
+AS
NORTHERN_LEAGUE [IGONRL]
ANA_RUIZ [ZARGOV]
";

const AGENTS: &str = "
MINISTER [~GOV]
DELEGATION [~GOV]
GOVERNMENT [~GOV]
SAILOR [~MIL]
";

fn coder() -> Coder {
    let mut d = Dictionaries::empty();
    d.add_verbs(VERBS, "t.verbs");
    d.add_actors(ACTORS, "t.actors");
    d.add_agents(AGENTS, "t.agents");
    Coder::new(d, CoderOptions::default())
}

/// A sentence from CoNLL-U-like rows: (word, xpos, lemma, head, deprel).
fn ud(rows: &[(&str, &str, &str, usize, &str)]) -> ParsedSentence {
    let w: Vec<&str> = rows.iter().map(|r| r.0).collect();
    let x: Vec<&str> = rows.iter().map(|r| r.1).collect();
    let l: Vec<&str> = rows.iter().map(|r| r.2).collect();
    let h: Vec<usize> = rows.iter().map(|r| r.3).collect();
    let d: Vec<&str> = rows.iter().map(|r| r.4).collect();
    ParsedSentence::from_vectors(&w, &x, &l, &h, &d).unwrap_or_else(|e| panic!("{e}: {w:?}"))
}

fn triples(events: &[dyad_coder::CodedEvent]) -> Vec<String> {
    let mut v: Vec<String> = events
        .iter()
        .map(|e| {
            let (a, b, k) = e.triple();
            format!("{a} {b} {k}")
        })
        .collect();
    v.sort();
    v
}

/// "A delegation from Zarovia, headed by Ana Ruiz, and a Quellmarki delegation, headed by
/// its minister, discussed trade." with the second conjunct parsed as an apposition of
/// the first conjunct's agent "Ana Ruiz".
fn two_delegations() -> ParsedSentence {
    ud(&[
        ("A", "DT", "a", 2, "det"),
        ("delegation", "NN", "delegation", 21, "nsubj"),
        ("from", "IN", "from", 4, "case"),
        ("Zarovia", "NNP", "Zarovia", 2, "nmod"),
        (",", ",", ",", 6, "punct"),
        ("headed", "VBN", "head", 2, "acl"),
        ("by", "IN", "by", 8, "case"),
        ("Ana", "NNP", "Ana", 6, "obl:agent"),
        ("Ruiz", "NNP", "Ruiz", 8, "flat"),
        (",", ",", ",", 14, "punct"),
        ("and", "CC", "and", 14, "cc"),
        ("a", "DT", "a", 14, "det"),
        ("Quellmarki", "JJ", "Quellmarki", 14, "amod"),
        ("delegation", "NN", "delegation", 8, "appos"),
        (",", ",", ",", 16, "punct"),
        ("headed", "VBN", "head", 14, "acl"),
        ("by", "IN", "by", 19, "case"),
        ("its", "PRP$", "its", 19, "nmod:poss"),
        ("minister", "NN", "minister", 16, "obl:agent"),
        (",", ",", ",", 2, "punct"),
        ("discussed", "VBD", "discuss", 0, "root"),
        ("trade", "NN", "trade", 21, "obj"),
        (".", ".", ".", 21, "punct"),
    ])
}

#[test]
fn conjunct_hidden_in_a_participle_clause_gives_both_directions() {
    let c = coder();
    let mut s = two_delegations();
    let got = triples(&c.code(&s, None));
    assert_eq!(
        got,
        vec!["QUEGOV ZARGOV 040", "ZARGOV QUEGOV 040"],
        "{}",
        c.explain(&s, None, c.options())
    );
    // without the comma that closes "headed by Ana Ruiz" nothing is re-attached: the
    // apposition stays inside the agent phrase and only one side consults
    s = ud(&[
        ("A", "DT", "a", 2, "det"),
        ("delegation", "NN", "delegation", 11, "nsubj"),
        ("from", "IN", "from", 4, "case"),
        ("Zarovia", "NNP", "Zarovia", 2, "nmod"),
        ("headed", "VBN", "head", 2, "acl"),
        ("by", "IN", "by", 7, "case"),
        ("Ana", "NNP", "Ana", 5, "obl:agent"),
        ("and", "CC", "and", 10, "cc"),
        ("a", "DT", "a", 10, "det"),
        ("Quellmarki", "NNP", "Quellmarki", 7, "appos"),
        ("discussed", "VBD", "discuss", 0, "root"),
        ("trade", "NN", "trade", 11, "obj"),
        (".", ".", ".", 11, "punct"),
    ]);
    let got = triples(&c.code(&s, None));
    assert!(
        !got.contains(&"QUE ZARGOV 040".to_string()) && !got.contains(&"QUE ZAR 040".to_string()),
        "{got:?}"
    );
}

/// "Officials praised the deal signed by the two sides in 1999." with "signed" parsed as
/// a subjectless adverbial clause of "praised" (as dyad's parser often does).
fn deal_signed_by_the_two_sides() -> ParsedSentence {
    ud(&[
        ("Officials", "NNS", "official", 2, "nsubj"),
        ("praised", "VBD", "praise", 0, "root"),
        ("the", "DT", "the", 4, "det"),
        ("deal", "NN", "deal", 2, "obj"),
        ("signed", "VBN", "sign", 2, "advcl"),
        ("by", "IN", "by", 9, "case"),
        ("the", "DT", "the", 9, "det"),
        ("two", "CD", "two", 9, "nummod"),
        ("sides", "NNS", "side", 5, "obl"),
        ("in", "IN", "in", 11, "case"),
        ("1999", "CD", "1999", 5, "obl"),
        (".", ".", ".", 2, "punct"),
    ])
}

fn zarovia_and_quellmark() -> ParsedSentence {
    // "Zarovia praised Quellmark."
    ud(&[
        ("Zarovia", "NNP", "Zarovia", 2, "nsubj"),
        ("praised", "VBD", "praise", 0, "root"),
        ("Quellmark", "NNP", "Quellmark", 2, "obj"),
        (".", ".", ".", 2, "punct"),
    ])
}

#[test]
fn the_two_sides_resolve_to_the_two_countries_named_before() {
    let c = coder();
    let opts = c.options().clone();
    let mut doc = Discourse::new();
    let first = c.code_in_document(&zarovia_and_quellmark(), None, &opts, &mut doc);
    assert_eq!(triples(&first.events), vec!["ZAR QUE 051"]);
    let second = c.code_in_document(&deal_signed_by_the_two_sides(), None, &opts, &mut doc);
    assert_eq!(
        triples(&second.events),
        vec!["QUE ZAR 057", "ZAR QUE 057"],
        "{doc:?} {}",
        c.explain(&deal_signed_by_the_two_sides(), None, &opts)
    );
    // the source spans the pair phrase
    assert!(second
        .events
        .iter()
        .all(|e| e.source.as_ref().is_some_and(|a| a.span == (6, 9))));
}

#[test]
fn the_two_sides_stay_unresolved_without_exactly_two_countries() {
    let c = coder();
    let opts = c.options().clone();
    // sentence on its own: no context
    assert!(c.code(&deal_signed_by_the_two_sides(), None).is_empty());
    // three countries in the window
    let mut doc = Discourse::new();
    c.code_in_document(&zarovia_and_quellmark(), None, &opts, &mut doc);
    let ortania = ud(&[
        ("Ortania", "NNP", "Ortania", 2, "nsubj"),
        ("praised", "VBD", "praise", 0, "root"),
        ("the", "DT", "the", 4, "det"),
        ("Northern", "NNP", "Northern", 5, "compound"),
        ("League", "NNP", "League", 2, "obj"),
        (".", ".", ".", 2, "punct"),
    ]);
    c.code_in_document(&ortania, None, &opts, &mut doc);
    let got = c.code_in_document(&deal_signed_by_the_two_sides(), None, &opts, &mut doc);
    assert!(got.events.is_empty(), "{:?}", triples(&got.events));
    // an IGO is not a country: Zarovia, Quellmark and the Northern League still resolve
    let mut doc = Discourse::new();
    c.code_in_document(&zarovia_and_quellmark(), None, &opts, &mut doc);
    let league = ud(&[
        ("The", "DT", "the", 3, "det"),
        ("Northern", "NNP", "Northern", 3, "compound"),
        ("League", "NNP", "League", 4, "nsubj"),
        ("praised", "VBD", "praise", 0, "root"),
        ("Zarovia", "NNP", "Zarovia", 4, "obj"),
        (".", ".", ".", 4, "punct"),
    ]);
    c.code_in_document(&league, None, &opts, &mut doc);
    let got = c.code_in_document(&deal_signed_by_the_two_sides(), None, &opts, &mut doc);
    assert_eq!(triples(&got.events), vec!["QUE ZAR 057", "ZAR QUE 057"]);
}

#[test]
fn the_two_governments_keep_their_agent() {
    let c = coder();
    let opts = c.options().clone();
    let mut doc = Discourse::new();
    c.code_in_document(&zarovia_and_quellmark(), None, &opts, &mut doc);
    // "The two governments discussed trade."
    let s = ud(&[
        ("The", "DT", "the", 3, "det"),
        ("two", "CD", "two", 3, "nummod"),
        ("governments", "NNS", "government", 4, "nsubj"),
        ("discussed", "VBD", "discuss", 0, "root"),
        ("trade", "NN", "trade", 4, "obj"),
        (".", ".", ".", 4, "punct"),
    ]);
    let got = c.code_in_document(&s, None, &opts, &mut doc);
    assert_eq!(
        triples(&got.events),
        vec!["QUEGOV ZARGOV 040", "ZARGOV QUEGOV 040"]
    );
}

#[test]
fn reduced_passive_relative_takes_its_agent_and_the_noun_it_modifies() {
    let c = coder();
    // "Zarovia praised the Quellmarki sailors seized by Ortania." with "seized" a
    // subjectless adverbial clause of "praised": Ortania seized the sailors, and the
    // participle is not swallowed by "praised"; "praised" keeps its own event.
    let s = ud(&[
        ("Zarovia", "NNP", "Zarovia", 2, "nsubj"),
        ("praised", "VBD", "praise", 0, "root"),
        ("the", "DT", "the", 5, "det"),
        ("Quellmarki", "JJ", "Quellmarki", 5, "amod"),
        ("sailors", "NNS", "sailor", 2, "obj"),
        ("seized", "VBN", "seize", 2, "advcl"),
        ("by", "IN", "by", 8, "case"),
        ("Ortania", "NNP", "Ortania", 6, "obl"),
        (".", ".", ".", 2, "punct"),
    ]);
    let got = triples(&c.code(&s, None));
    assert!(got.contains(&"ORT QUEMIL 171".to_string()), "{got:?}");
    assert!(
        !got.iter()
            .any(|t| t.starts_with("ZAR ") && t.ends_with("171")),
        "{got:?}"
    );
}

#[test]
fn bare_participle_with_an_agent_is_passive_even_with_a_subject() {
    let c = coder();
    // "Zarovian sailors seized by Ortania were freed." with "sailors" parsed as the subject
    // of "seized" (a clausal subject of "freed")
    let s = ud(&[
        ("Zarovian", "JJ", "Zarovian", 2, "amod"),
        ("sailors", "NNS", "sailor", 3, "nsubj"),
        ("seized", "VBN", "seize", 7, "csubj"),
        ("by", "IN", "by", 5, "case"),
        ("Ortania", "NNP", "Ortania", 3, "obl"),
        ("were", "VBD", "be", 7, "aux:pass"),
        ("freed", "VBN", "free", 0, "root"),
        (".", ".", ".", 7, "punct"),
    ]);
    assert_eq!(triples(&c.code(&s, None)), vec!["ORT ZARMIL 171"]);
}

#[test]
fn a_target_slot_on_the_passive_agent_keeps_the_agent_as_source() {
    let c = coder();
    // "Quellmark was captured by Ortania." with the pattern "* +"
    let s = ud(&[
        ("Quellmark", "NNP", "Quellmark", 3, "nsubj:pass"),
        ("was", "VBD", "be", 3, "aux:pass"),
        ("captured", "VBN", "capture", 0, "root"),
        ("by", "IN", "by", 5, "case"),
        ("Ortania", "NNP", "Ortania", 3, "obl:agent"),
        (".", ".", ".", 3, "punct"),
    ]);
    assert_eq!(triples(&c.code(&s, None)), vec!["ORT QUE 172"]);
}

#[test]
fn a_participle_with_an_agent_inside_the_object_is_not_swallowed() {
    let c = coder();
    // "Zarovia praised the deal signed by Quellmark and Ortania."
    let s = ud(&[
        ("Zarovia", "NNP", "Zarovia", 2, "nsubj"),
        ("praised", "VBD", "praise", 0, "root"),
        ("the", "DT", "the", 4, "det"),
        ("deal", "NN", "deal", 2, "obj"),
        ("signed", "VBN", "sign", 4, "acl"),
        ("by", "IN", "by", 7, "case"),
        ("Quellmark", "NNP", "Quellmark", 5, "obl:agent"),
        ("and", "CC", "and", 9, "cc"),
        ("Ortania", "NNP", "Ortania", 7, "conj"),
        (".", ".", ".", 2, "punct"),
    ]);
    let got = triples(&c.code(&s, None));
    assert!(got.contains(&"ORT QUE 057".to_string()), "{got:?}");
    assert!(got.contains(&"QUE ORT 057".to_string()), "{got:?}");
    assert!(
        got.iter()
            .any(|t| t.starts_with("ZAR ") && t.ends_with(" 051")),
        "{got:?}"
    );
}

#[test]
fn officials_of_the_two_countries_take_both_countries() {
    let c = coder();
    let opts = c.options().clone();
    let mut doc = Discourse::new();
    c.code_in_document(&zarovia_and_quellmark(), None, &opts, &mut doc);
    // "Ministers from the two countries praised Ortania."
    let s = ud(&[
        ("Ministers", "NNS", "minister", 6, "nsubj"),
        ("from", "IN", "from", 5, "case"),
        ("the", "DT", "the", 5, "det"),
        ("two", "CD", "two", 5, "nummod"),
        ("countries", "NNS", "country", 1, "nmod"),
        ("praised", "VBD", "praise", 0, "root"),
        ("Ortania", "NNP", "Ortania", 6, "obj"),
        (".", ".", ".", 6, "punct"),
    ]);
    // the sentence itself names Ortania: three countries in the window, no resolution
    let got = c.code_in_document(&s, None, &opts, &mut doc);
    let got = triples(&got.events);
    assert!(
        !got.iter()
            .any(|t| t.starts_with("ZAR") || t.starts_with("QUE")),
        "three countries: no resolution: {got:?}"
    );
    let mut doc = Discourse::new();
    c.code_in_document(&zarovia_and_quellmark(), None, &opts, &mut doc);
    // "Ministers from the two countries signed a treaty."
    let s = ud(&[
        ("Ministers", "NNS", "minister", 6, "nsubj"),
        ("from", "IN", "from", 5, "case"),
        ("the", "DT", "the", 5, "det"),
        ("two", "CD", "two", 5, "nummod"),
        ("countries", "NNS", "country", 1, "nmod"),
        ("signed", "VBD", "sign", 0, "root"),
        ("a", "DT", "a", 8, "det"),
        ("treaty", "NN", "treaty", 6, "obj"),
        (".", ".", ".", 6, "punct"),
    ]);
    let got = c.code_in_document(&s, None, &opts, &mut doc);
    assert_eq!(
        triples(&got.events),
        vec!["QUEGOV ZARGOV 057", "ZARGOV QUEGOV 057"]
    );
}

#[test]
fn a_function_word_spelling_an_abbreviation_names_no_country() {
    let c = coder();
    let opts = c.options().clone();
    let mut doc = Discourse::new();
    c.code_in_document(&zarovia_and_quellmark(), None, &opts, &mut doc);
    // "Quellmark acted as a partner." ("AS" is also an abbreviation of Ortania)
    let s = ud(&[
        ("Quellmark", "NNP", "Quellmark", 2, "nsubj"),
        ("acted", "VBD", "act", 0, "root"),
        ("as", "IN", "as", 5, "case"),
        ("a", "DT", "a", 5, "det"),
        ("partner", "NN", "partner", 2, "obl"),
        (".", ".", ".", 2, "punct"),
    ]);
    c.code_in_document(&s, None, &opts, &mut doc);
    assert_eq!(doc.pair(), Some(["ZAR".to_string(), "QUE".to_string()]));
    let got = c.code_in_document(&deal_signed_by_the_two_sides(), None, &opts, &mut doc);
    assert_eq!(triples(&got.events), vec!["QUE ZAR 057", "ZAR QUE 057"]);
}
