//! The PETRARCH unit-test suite (read at run time from ../shared) and bad-input handling.
use dyad_coder::validate::{validate_file, validate_records, ValidateOptions};
use dyad_coder::{Coder, CoderOptions, Dictionaries};
use std::path::PathBuf;

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if p.exists() {
        Some(p)
    } else {
        println!("skipping: ../shared not found");
        None
    }
}

#[test]
fn ptb_suite_at_least_90_percent_exact() {
    let Some(sh) = shared() else { return };
    let f = sh.join("data/petrarch2/PETR.UnitTest.records.xml");
    let rep = validate_file(&f, &ValidateOptions::default()).expect("suite validates");
    let mut out = Vec::new();
    rep.write(&mut out).expect("report writes");
    let text = String::from_utf8(out).expect("utf-8 report");
    println!("{text}");
    assert_eq!(rep.n(), 278, "active records");
    assert_eq!(rep.total_records, 284);
    let last = text.lines().last().unwrap_or_default();
    assert!(last.starts_with("records 278 exact "), "{last}");
    assert!(rep.exact_pct() >= 90.0, "{last}");
    // the two deliberately broken trees are reported with file and line
    assert_eq!(rep.input_errors.len(), 2, "{:?}", rep.input_errors);
    assert!(rep
        .input_errors
        .iter()
        .all(|e| e.contains("PETR.UnitTest.records.xml:") && e.contains("unbalanced")));
}

#[test]
fn ud_suite_scored_against_the_ptb_gold() {
    let Some(sh) = shared() else { return };
    let d = sh.join("data/petrarch2");
    let opts = ValidateOptions {
        gold_from: Some(d.join("PETR.UnitTest.records.xml")),
        ..Default::default()
    };
    let rep =
        validate_file(&d.join("PETR.UnitTest.records.udpipe.xml"), &opts).expect("suite validates");
    println!("{}", rep.summary_line());
    assert_eq!(rep.n(), 278);
    assert!(rep.exact_pct() >= 78.0, "{}", rep.summary_line());
}

const VERBS: &str = "--- HIT [190] ---\nHIT\n";
const ACTORS: &str = "ALAND [ALA]\nBLAND [BLA]\n";

fn tiny_coder() -> Coder {
    let mut d = Dictionaries::empty();
    d.add_verbs(VERBS, "v.txt");
    d.add_actors(ACTORS, "a.txt");
    Coder::new(d, CoderOptions::default())
}

const GOOD: &str = "(ROOT (S (NP (NNP Aland)) (VP (VBD hit) (NP (NNP Bland))) (. .)))";

fn record(id: &str, parse: &str) -> String {
    format!(
        "<Sentence date=\"20010101\" id=\"{id}\" category=\"T\" sentence=\"true\">\n<EventCoding sourcecode=\"ALA\" targetcode=\"BLA\" eventcode=\"190\"></EventCoding>\n<Text>\nAland hit Bland.\n</Text>\n<Parse>\n{parse}\n</Parse>\n</Sentence>\n"
    )
}

#[test]
fn bad_records_are_reported_and_the_rest_coded() {
    let mut doc = String::from(
        "<Validation>\n<Environment>\n<Include>T</Include>\n</Environment>\n<Sentences>\n",
    );
    doc += &record("ok-1", GOOD); // lines 6-14
    doc += &record(
        "tree-bad",
        "(ROOT (S (NP (NNP Aland)) (VP (VBD hit) (NP (NNP Bland)) (. .))",
    ); // 15-23
    doc += &record(
        "conllu-bad",
        "1\tAland\tAland\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n2\thit\thit\tVERB\tVBD\t_\tX\troot\t_\t_",
    ); // 24-33 (bad HEAD on line 31)
    doc += "<Sentence date=\"20010101\" id=\"xml-bad\" category=\"T\" sentence=\"true\">\n<Text>Aland hit Bland.</Txt>\n</Sentence>\n"; // 34-36 (mismatched tag on line 35)
    doc += &record("ok-2", GOOD);
    doc += "</Sentences>\n</Validation>\n";
    let x = dyad_input::read_petrarch_xml_str(&doc, "bad.xml");
    let errs: Vec<String> = x.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(
        errs[0].starts_with("bad.xml:")
            && errs[0].contains("tree-bad")
            && errs[0].contains("never closed"),
        "{}",
        errs[0]
    );
    assert!(
        errs[1].starts_with("bad.xml:31:") && errs[1].contains("HEAD"),
        "{}",
        errs[1]
    );
    assert!(
        errs[2].starts_with("bad.xml:35:") && errs[2].contains("malformed XML"),
        "{}",
        errs[2]
    );
    let rep = validate_records(&x, &tiny_coder(), &CoderOptions::default());
    let ok: Vec<&str> = rep
        .records
        .iter()
        .filter(|r| r.exact)
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(
        ok,
        vec!["ok-1", "ok-2"],
        "good records around the bad ones are coded"
    );
    assert_eq!(
        rep.records.len(),
        4,
        "the malformed-XML record is skipped; bad parses count as uncoded"
    );
}

#[test]
fn phoenix_dictionaries_code_ewt_without_panics() {
    let Some(sh) = shared() else { return };
    let d = sh.join("data/phoenix");
    let paths = dyad_coder::DictPaths {
        verbs: Some(d.join("CAMEO.verbpatterns.150430.txt")),
        actors: vec![
            d.join("Phoenix.Countries.actors.txt"),
            d.join("Phoenix.International.actors.txt"),
            d.join("Phoenix.MilNonState.actors.txt"),
        ],
        agents: Some(d.join("Phoenix.agents.txt")),
        discards: Some(d.join("Phoenix.discards.txt")),
        issues: Some(d.join("Phoenix.IssueCoding.txt")),
    };
    let dicts = Dictionaries::load(&paths).expect("Phoenix loads");
    assert!(
        dicts.actors.len() > 20_000 && dicts.blocks.len() > 300,
        "{} actors, {} blocks",
        dicts.actors.len(),
        dicts.blocks.len()
    );
    let coder = Coder::new(dicts, CoderOptions::default());
    let (sents, errs) = dyad_input::read_conllu_file(&sh.join("data/ud-ewt/en_ewt-ud-test.conllu"))
        .expect("EWT reads");
    assert!(errs.is_empty(), "{errs:?}");
    let mut events = 0;
    for s in &sents {
        let p = dyad_coder::ParsedSentence::from_conllu(s).expect("EWT trees project");
        events += coder
            .code(&p, chrono::NaiveDate::from_ymd_opt(2015, 6, 1))
            .len();
    }
    println!("{} EWT sentences, {events} events", sents.len());
    assert!(
        events > 20,
        "the production dictionaries code some web text ({events} events)"
    );
}
