//! End-to-end tests of the enrichment stage on hand-made and real sentences.

use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use dyad_core::event::{Actor, DatePrecision, DateSource, Event, EventCode, Evidence};
use dyad_enrich::{
    gazetteer::Hints, parse_publication_date, DocContext, Enricher, EventSlots, PlaceKind,
    SentenceAnalysis, SentenceContext,
};

fn enricher() -> &'static Enricher {
    static E: OnceLock<Enricher> = OnceLock::new();
    E.get_or_init(|| Enricher::builtin().expect("builtin gazetteer loads"))
}

/// A small test tokenizer: whitespace, with leading/trailing punctuation and
/// quotes split off (the real one is dyad-text's).
fn tokenize(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for w in s.split_whitespace() {
        let mut w = w;
        while let Some(c) = w.chars().next() {
            if "\"“‘(".contains(c) && w.len() > c.len_utf8() {
                out.push(&w[..c.len_utf8()]);
                w = &w[c.len_utf8()..];
            } else {
                break;
            }
        }
        let mut tail = Vec::new();
        while let Some(c) = w.chars().last() {
            if ",.;:\"”’)".contains(c) && w.len() > c.len_utf8() {
                // keep abbreviation dots of short capitalised words ("Aug.", "U.S.")
                if c == '.'
                    && (w.len() <= 4 || w[..w.len() - 1].contains('.'))
                    && w.chars().next().is_some_and(char::is_uppercase)
                {
                    break;
                }
                tail.push(&w[w.len() - c.len_utf8()..]);
                w = &w[..w.len() - c.len_utf8()];
            } else {
                break;
            }
        }
        out.push(w);
        out.extend(tail.into_iter().rev());
    }
    out
}

fn event(source: Option<&str>, target: Option<&str>, code: &str, pattern: &str) -> Event {
    let actor = |c: &str| Actor {
        code: c.to_string(),
        text: c.to_string(),
        span: None,
    };
    Event {
        id: None,
        doc_id: "d".into(),
        sentence_id: "1".into(),
        sentence: String::new(),
        date: None,
        date_precision: None,
        date_source: None,
        source: source.map(actor),
        target: target.map(actor),
        event: EventCode {
            cameo: code.into(),
            root: code[..2].into(),
            quad_class: 1,
            goldstein: 0.0,
            plover: None,
        },
        issues: vec![],
        evidence: Evidence {
            pattern: pattern.into(),
            dictionary: "test:1".into(),
            verb_text: None,
            verb_span: None,
        },
        modality: None,
        location: None,
        confidence: None,
        mentions: None,
        sources: None,
        doc_ids: None,
    }
}

fn pos(tokens: &[&str], w: &str) -> usize {
    tokens
        .iter()
        .position(|t| *t == w)
        .unwrap_or_else(|| panic!("{w:?} not in {tokens:?}"))
}

fn range(tokens: &[&str], w: &str) -> std::ops::Range<usize> {
    let i = pos(tokens, w);
    i..i + 1
}

/// Enriches one event of `sentence`: verb/source/target given as words.
fn run(
    doc: &mut DocContext,
    sentence: &str,
    verb: &str,
    src: Option<(&str, &str)>,
    tgt: Option<(&str, &str)>,
) -> Event {
    let toks = tokenize(sentence);
    let s = SentenceContext {
        tokens: &toks,
        ..SentenceContext::default()
    };
    let mut a = SentenceAnalysis::default();
    enricher().analyze(doc, &s, &mut a);
    let slots = EventSlots {
        verb: Some(pos(&toks, verb)),
        source: src.map(|(w, _)| range(&toks, w)),
        target: tgt.map(|(w, _)| range(&toks, w)),
    };
    let mut ev = event(src.map(|x| x.1), tgt.map(|x| x.1), "040", "* WITH +");
    enricher().enrich(doc, &s, &a, &slots, &mut ev);
    ev
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if p.is_dir() {
        Some(p)
    } else {
        println!("skipping: ../shared not found");
        None
    }
}

// ---------------------------------------------------------------- gazetteer

#[test]
fn gazetteer_loads_with_expected_size() {
    let g = &enricher().gazetteer;
    assert!(g.len() > 30_000, "{} places", g.len());
    assert!(g.name_count() > 100_000, "{} names", g.name_count());
    assert!(g.provenance().contains("GeoNames"));
}

#[test]
fn every_place_name_folds_to_a_key_that_finds_it() {
    // Guards the agreement between build.py's folding and fold_key.
    let g = &enricher().gazetteer;
    let mut missing = Vec::new();
    for i in 0..g.len() as u32 {
        let p = g.place(i).expect("in range");
        let name = p.name;
        let first_upper = name.chars().next().is_some_and(char::is_uppercase);
        let latin = name.chars().all(|c| (c as u32) < 0x250 || c == '\u{2019}');
        if !first_upper
            || !latin
            || name
                .chars()
                .any(|c| c.is_ascii_digit() || "(),/".contains(c))
        {
            continue;
        }
        let found = g.lookup(name).any(|q| q.geonameid == p.geonameid);
        // Names dropped on purpose (stop words, IATA-like codes, homonym cap)
        // are few.
        if !found {
            missing.push(name.to_string());
        }
    }
    println!(
        "{} display names not reachable by lookup, e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(10)]
    );
    assert!(
        missing.len() < 400,
        "{} names not found, e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(20)]
    );
}

#[test]
fn washington_is_the_us_capital_and_fallujah_is_in_iraq() {
    let g = &enricher().gazetteer;
    let (_, w) = g
        .resolve("Washington", &Hints::default())
        .expect("Washington");
    assert_eq!(w.country(), "USA");
    assert!(
        (w.lat - 38.9).abs() < 0.5 && (w.lon + 77.0).abs() < 0.5,
        "{w:?}"
    );
    assert!(w.capital);
    let (_, f) = g.resolve("Fallujah", &Hints::default()).expect("Fallujah");
    assert_eq!(f.country(), "IRQ");
    let (_, iq) = g.resolve("Iraq", &Hints::default()).expect("Iraq");
    assert_eq!((iq.kind, iq.country()), (PlaceKind::Country, "IRQ"));
    let (_, us) = g.resolve("U.S.", &Hints::default()).expect("U.S.");
    assert_eq!(us.country(), "USA");
    let (_, sp) = g
        .resolve("SAO PAULO", &Hints::default())
        .expect("accent-free, any case");
    assert_eq!(sp.country(), "BRA");
}

#[test]
fn homonyms_follow_actor_countries_and_qualifiers() {
    let g = &enricher().gazetteer;
    let (_, t) = g.resolve("Tripoli", &Hints::default()).expect("Tripoli");
    assert_eq!(t.country(), "LBY", "the capital by default");
    let lbn = [*b"LBN"];
    let h = Hints {
        actor_countries: &lbn,
        ..Hints::default()
    };
    assert_eq!(
        g.resolve("Tripoli", &h).expect("Tripoli").1.country(),
        "LBN"
    );
    let (_, p) = g.resolve("Paris", &Hints::default()).expect("Paris");
    assert_eq!(p.country(), "FRA");
    let h = Hints {
        admin1: Some("US.TX"),
        ..Hints::default()
    };
    assert_eq!(g.resolve("Paris", &h).expect("Paris").1.country(), "USA");
    // In a sentence: "Paris, Texas" and a Lebanese actor in Tripoli.
    let mut doc = DocContext::default();
    let ev = run(
        &mut doc,
        "Police met protesters in Paris, Texas.",
        "met",
        None,
        None,
    );
    let loc = ev.location.expect("located");
    assert_eq!(
        (loc.country.as_str(), loc.admin1.as_deref()),
        ("USA", Some("US.TX"))
    );
    let ev = run(
        &mut doc,
        "The Lebanese army clashed with gunmen in Tripoli.",
        "clashed",
        Some(("army", "LBNMIL")),
        None,
    );
    assert_eq!(ev.location.expect("located").country, "LBN");
    let ev = run(
        &mut doc,
        "The Libyan army clashed with gunmen in Tripoli.",
        "clashed",
        Some(("army", "LBYMIL")),
        None,
    );
    assert_eq!(ev.location.expect("located").country, "LBY");
}

#[test]
fn locative_phrases() {
    let mut doc = DocContext::default();
    let ev = run(
        &mut doc,
        "Gunmen attacked a checkpoint near Fallujah on Friday.",
        "attacked",
        None,
        None,
    );
    let l = ev.location.expect("located");
    // The display name is GeoNames' ("Al Fallūjah").
    assert!(l.name.contains("Fall"), "{l:?}");
    assert_eq!((l.country.as_str(), l.source.as_str()), ("IRQ", "locative"));
    let ev = run(
        &mut doc,
        "Gunmen stormed a hotel in the Somali city of Beledweyne.",
        "stormed",
        None,
        None,
    );
    assert_eq!(ev.location.expect("located").country, "SOM");
    let ev = run(
        &mut doc,
        "Iraq held talks with Iran.",
        "held",
        Some(("Iraq", "IRQ")),
        Some(("Iran", "IRN")),
    );
    assert_eq!(ev.location, None, "no place named");
    // The tokenizer splits hyphens: "Guinea - Bissau" is one name.
    let ev = run(
        &mut doc,
        "Soldiers mutinied in Guinea - Bissau .",
        "mutinied",
        None,
        None,
    );
    assert_eq!(ev.location.expect("located").country, "GNB");
    let ev = run(
        &mut doc,
        "Police fired tear gas in Port - au - Prince .",
        "fired",
        None,
        None,
    );
    assert_eq!(ev.location.expect("located").country, "HTI");
    // Parts of longer names and people are not places.
    for (sent, verb) in [
        ("Rebels attacked a school in Borno State .", "attacked"),
        ("He served in the Obama administration .", "served"),
        ("She works at the Hudson Institute .", "works"),
        ("Police detained him at the NISA office .", "detained"),
    ] {
        let ev = run(&mut doc, sent, verb, None, None);
        assert_eq!(ev.location, None, "{sent}: {:?}", ev.location);
    }
    // ... but "the" before a country, a weekday after a city and "the
    // capital X" are fine.
    let ev = run(
        &mut doc,
        "Talks were held in the Netherlands .",
        "held",
        None,
        None,
    );
    assert_eq!(ev.location.expect("located").country, "NLD");
    let ev = run(
        &mut doc,
        "Talks were held in Baghdad Thursday .",
        "held",
        None,
        None,
    );
    assert_eq!(ev.location.expect("located").country, "IRQ");
    let ev = run(
        &mut doc,
        "A bomb exploded in the capital Kabul .",
        "exploded",
        None,
        None,
    );
    assert_eq!(ev.location.expect("located").name, "Kabul");
    // Continents are not places here (GeoNames lists "Africa" as another
    // name of a Tunisian town).
    let ev = run(
        &mut doc,
        "Aid groups worked in Africa.",
        "worked",
        None,
        None,
    );
    assert_eq!(ev.location, None, "{:?}", ev.location);
}

#[test]
fn dateline_gives_place_and_date_when_the_sentence_has_none() {
    let e = enricher();
    let mut doc = DocContext::new(e, Some(ymd(2023, 8, 9)), Some("BAGHDAD, Aug 8 (Reuters) -"));
    let ev = run(
        &mut doc,
        "Iraq held talks with Iran.",
        "held",
        Some(("Iraq", "IRQ")),
        Some(("Iran", "IRN")),
    );
    let l = ev.location.expect("dateline place");
    assert_eq!(
        (l.name.as_str(), l.country.as_str(), l.source.as_str()),
        ("Baghdad", "IRQ", "dateline")
    );
    assert_eq!(ev.date.as_deref(), Some("2023-08-08"));
    assert_eq!(ev.date_source, Some(DateSource::Dateline));

    // The same from a dateline already split by the reader.
    let info = dyad_enrich::DatelineInfo {
        place: Some("KYIV"),
        region: Some("Ukraine"),
        month: Some(3),
        day: Some(3),
        year: None,
    };
    let mut doc = DocContext::with_dateline(e, Some(ymd(2024, 3, 4)), &info);
    let ev = run(
        &mut doc,
        "Russia attacked Ukraine.",
        "attacked",
        Some(("Russia", "RUS")),
        Some(("Ukraine", "UKR")),
    );
    assert_eq!(ev.location.expect("dateline place").country, "UKR");
    assert_eq!(ev.date.as_deref(), Some("2024-03-03"));
    // Without a publication date or a year, the dateline's day is no date.
    let mut doc = DocContext::with_dateline(e, None, &info);
    let ev = run(
        &mut doc,
        "Russia attacked Ukraine.",
        "attacked",
        Some(("Russia", "RUS")),
        Some(("Ukraine", "UKR")),
    );
    assert_eq!(ev.date, None);
}

// ---------------------------------------------------------------- the seed

const SEED_WASHINGTON: &str = "The joint statement confirmed that the US Department of Defence welcomed during a reception of the Iraqi delegation in Washington the full implementation of the strategic dialogue.";
const SEED_2008: &str = "He said the visit the Iraqi delegation paid to Washington and its talks with US defence officials come within the strategic framework agreement signed by the two sides in November 2008.";
const SEED_TROOPS: &str = "It stressed that there are no US troops with a combat role in Iraq, and that all US military personnel remain in Iraq at the invitation of the government to train; advise; assist, and exchange intelligence to support Iraq in its battle against ISIS.";

#[test]
fn seed_reception_is_in_washington_usa() {
    let mut doc = DocContext::default();
    let ev = run(
        &mut doc,
        SEED_WASHINGTON,
        "welcomed",
        Some(("Department", "USAGOV")),
        Some(("Iraqi", "IRQ")),
    );
    let l = ev.location.expect("located");
    assert_eq!(l.country, "USA");
    assert!(
        (l.lat - 38.9).abs() <= 0.5 && (l.lon + 77.0).abs() <= 0.5,
        "{l:?}"
    );
    // No publication date: the date is null, not invented.
    assert_eq!(ev.date, None);
    assert_eq!(ev.date_source, None);
}

#[test]
fn seed_agreement_signing_is_dated_2008_11() {
    let mut doc = DocContext::default();
    let ev = run(&mut doc, SEED_2008, "signed", Some(("sides", "IRQ")), None);
    assert_eq!(ev.date.as_deref(), Some("2008-11"));
    assert_eq!(ev.date_precision, Some(DatePrecision::Month));
    assert_eq!(ev.date_source, Some(DateSource::Sentence));
    // The visit in the same sentence is not dated by the agreement's date.
    let ev = run(
        &mut doc,
        SEED_2008,
        "paid",
        Some(("delegation", "IRQ")),
        None,
    );
    assert_ne!(ev.date.as_deref(), Some("2008-11"));
}

#[test]
fn seed_agreement_is_historical_with_tags_or_document_context() {
    // With Penn tags: an explicitly dated past participle modifying a noun.
    let toks = tokenize(SEED_2008);
    let tags = "PRP VBD DT NN DT JJ NN VBD IN NNP CC PRP$ NNS IN NNP NN NNS VBP IN DT JJ NN NN VBN IN DT CD NNS IN NNP CD .";
    let xpos: Vec<&str> = tags.split(' ').collect();
    assert_eq!(xpos.len(), toks.len(), "{toks:?}");
    let s = SentenceContext {
        tokens: &toks,
        xpos: &xpos,
        ..SentenceContext::default()
    };
    let mut doc = DocContext::default();
    let mut a = SentenceAnalysis::default();
    enricher().analyze(&mut doc, &s, &mut a);
    let slots = EventSlots {
        verb: Some(pos(&toks, "signed")),
        source: Some(range(&toks, "sides")),
        target: None,
    };
    let mut ev = event(Some("IRQ"), None, "057", "*");
    enricher().enrich(&doc, &s, &a, &slots, &mut ev);
    assert_eq!(ev.date.as_deref(), Some("2008-11"));
    assert!(ev.modality.expect("modality").historical, "tagged");

    // Without tags, the article's earlier mention of February 2023 makes
    // November 2008 well in the past.
    let mut doc = DocContext::default();
    let earlier = "builds on the foundation laid by previous bilateral discussions, including the US-Iraq Strategic Dialogue in July 2021 and the US-Iraqi High Coordination Committee in February 2023.";
    run(&mut doc, earlier, "builds", None, None);
    assert_eq!(doc.reference, Some(ymd(2023, 2, 1)));
    // a deadline does not move the reference date
    run(
        &mut doc,
        "Iraq wants all troops out by 2050.",
        "wants",
        None,
        None,
    );
    assert_eq!(doc.reference, Some(ymd(2023, 2, 1)));
    let ev = run(&mut doc, SEED_2008, "signed", Some(("sides", "IRQ")), None);
    assert_eq!(ev.date.as_deref(), Some("2008-11"));
    assert_eq!(ev.date_precision, Some(DatePrecision::Month));
    assert!(
        ev.modality.expect("modality").historical,
        "document context"
    );
}

#[test]
fn seed_no_us_troops_is_negated() {
    let mut doc = DocContext::default();
    for verb in ["are", "troops"] {
        let ev = run(
            &mut doc,
            SEED_TROOPS,
            verb,
            Some(("US", "USAMIL")),
            Some(("Iraq", "IRQ")),
        );
        let m = ev.modality.expect("modality");
        assert!(m.negated, "verb {verb}: {m:?}");
        assert!(ev.confidence.expect("confidence") < 0.2);
    }
    // The positive clause later in the sentence is not negated.
    let ev = run(
        &mut doc,
        SEED_TROOPS,
        "remain",
        Some(("personnel", "USAMIL")),
        None,
    );
    assert!(!ev.modality.expect("modality").negated);
}

#[test]
fn historical_against_the_publication_date() {
    let mut doc = DocContext {
        publication: Some(ymd(2023, 3, 1)),
        ..DocContext::default()
    };
    let ev = run(
        &mut doc,
        "Iraq and the US signed the pact in July 2021.",
        "signed",
        Some(("Iraq", "IRQ")),
        None,
    );
    assert!(ev.modality.expect("m").historical);
    let ev = run(
        &mut doc,
        "Iraq and the US signed the pact in February 2023.",
        "signed",
        Some(("Iraq", "IRQ")),
        None,
    );
    assert!(!ev.modality.expect("m").historical);

    // "discussed issues within the agreement of 2008": the year dates the
    // agreement, not the discussion (with or without a parse).
    let mut a = SentenceAnalysis::default();
    let mut ev = event(Some("IRQ"), None, "040", "*");
    let toks = [
        "They",
        "discussed",
        "issues",
        "within",
        "the",
        "agreement",
        "of",
        "2008",
        ".",
    ];
    let heads = [2, 0, 2, 6, 6, 2, 8, 6, 2];
    let deprels = [
        "nsubj", "root", "obj", "case", "det", "obl", "case", "nmod", "punct",
    ];
    let xpos = ["PRP", "VBD", "NNS", "IN", "DT", "NN", "IN", "CD", "."];
    for parsed in [true, false] {
        let s = SentenceContext {
            tokens: &toks,
            xpos: if parsed { &xpos } else { &[] },
            heads: if parsed { &heads } else { &[] },
            deprels: if parsed { &deprels } else { &[] },
        };
        enricher().analyze(&mut doc, &s, &mut a);
        let slots = EventSlots {
            verb: Some(1),
            ..EventSlots::default()
        };
        enricher().enrich(&doc, &s, &a, &slots, &mut ev);
        assert_eq!(
            ev.date_source,
            Some(DateSource::Publication),
            "parsed {parsed}"
        );
    }
}

// ---------------------------------------------------------------- dates

#[test]
fn sentence_dates_of_each_form() {
    let p = Some(ymd(2023, 8, 20)); // a Sunday
    let cases = [
        (
            "Iraq met Iran in November 2008.",
            "2008-11",
            DatePrecision::Month,
        ),
        (
            "Iraq met Iran on 8 August.",
            "2023-08-08",
            DatePrecision::Day,
        ),
        (
            "Iraq met Iran in July 2021.",
            "2021-07",
            DatePrecision::Month,
        ),
        ("Iraq met Iran in 2008.", "2008", DatePrecision::Year),
        (
            "Iraq met Iran on Aug. 8, 2023.",
            "2023-08-08",
            DatePrecision::Day,
        ),
        (
            "Iraq met Iran on Saturday.",
            "2023-08-19",
            DatePrecision::Day,
        ),
        ("Iraq met Iran yesterday.", "2023-08-19", DatePrecision::Day),
        ("Iraq met Iran today.", "2023-08-20", DatePrecision::Day),
        ("Iraq met Iran last week.", "2023-08", DatePrecision::Month),
        ("Iraq met Iran last month.", "2023-07", DatePrecision::Month),
        ("Iraq met Iran last year.", "2022", DatePrecision::Year),
        (
            "On Friday, Iraq met Iran.",
            "2023-08-18",
            DatePrecision::Day,
        ),
    ];
    for (s, want, prec) in cases {
        let mut doc = DocContext {
            publication: p,
            ..DocContext::default()
        };
        let ev = run(
            &mut doc,
            s,
            "met",
            Some(("Iraq", "IRQ")),
            Some(("Iran", "IRN")),
        );
        assert_eq!(ev.date.as_deref(), Some(want), "{s}");
        assert_eq!(ev.date_precision, Some(prec), "{s}");
        assert_eq!(ev.date_source, Some(DateSource::Sentence), "{s}");
    }
    // No expression: the publication date.
    let mut doc = DocContext {
        publication: p,
        ..DocContext::default()
    };
    let ev = run(
        &mut doc,
        "Iraq met Iran.",
        "met",
        Some(("Iraq", "IRQ")),
        Some(("Iran", "IRN")),
    );
    assert_eq!(ev.date.as_deref(), Some("2023-08-20"));
    assert_eq!(ev.date_source, Some(DateSource::Publication));
    // A future "on Tuesday" in a Sunday story is the coming Tuesday.
    let ev = run(
        &mut doc,
        "Iraq will meet Iran on Tuesday.",
        "meet",
        Some(("Iraq", "IRQ")),
        Some(("Iran", "IRN")),
    );
    assert_eq!(ev.date.as_deref(), Some("2023-08-22"));
    assert!(ev.modality.expect("m").future);
}

#[test]
fn no_date_anywhere_gives_null() {
    for s in [
        "Iraq met Iran.",
        "Iraq met Iran on Saturday.",
        "Iraq met Iran last week.",
        "Iraq met Iran on 8 August.",
    ] {
        let mut doc = DocContext::default();
        let ev = run(
            &mut doc,
            s,
            "met",
            Some(("Iraq", "IRQ")),
            Some(("Iran", "IRN")),
        );
        assert_eq!(ev.date, None, "{s}");
        assert_eq!(ev.date_precision, None, "{s}");
        assert_eq!(ev.date_source, None, "{s}");
    }
}

#[test]
fn voa_story_on_saturday_resolves_to_the_calendar_date() {
    let Some(shared) = shared() else { return };
    let path = shared.join("corpus/voa_stories.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipping: {} not found", path.display());
        return;
    };
    let mut checked = 0;
    let mut saturday_case = false;
    for (ln, line) in text.lines().enumerate() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            panic!("{}:{}: not JSON", path.display(), ln + 1);
        };
        let (Some(body), Some(published)) = (v["text"].as_str(), v["published"].as_str()) else {
            continue;
        };
        let publication = parse_publication_date(published).expect("VOA published parses");
        // Sentences of the form "... X said on <Weekday> ..." (past tense).
        for sent in body.split(". ") {
            let toks = tokenize(sent);
            // "on <Weekday>" with a past-tense verb within three tokens
            let Some(w) = toks
                .windows(2)
                .position(|w| w[0] == "on" && dyad_enrich::dates::weekday_of(w[1]).is_some())
                .map(|p| p + 1)
            else {
                continue;
            };
            let past = |t: &str| {
                t.ends_with("ed") || matches!(t, "said" | "told" | "met" | "held" | "made" | "took")
            };
            // "said on Saturday" or "Trump on Thursday threatened"
            let Some(i) = [w.checked_sub(2), Some(w + 1)]
                .into_iter()
                .flatten()
                .find(|&k| toks.get(k).is_some_and(|t| past(t)))
            else {
                continue;
            };
            let mut doc = DocContext {
                publication: Some(publication),
                ..DocContext::default()
            };
            let s = SentenceContext {
                tokens: &toks,
                ..SentenceContext::default()
            };
            let mut a = SentenceAnalysis::default();
            enricher().analyze(&mut doc, &s, &mut a);
            let slots = EventSlots {
                verb: Some(i),
                ..EventSlots::default()
            };
            let mut ev = event(None, None, "010", "*");
            enricher().enrich(&doc, &s, &a, &slots, &mut ev);
            if ev.modality.is_some_and(|m| m.future || m.hypothetical) {
                continue;
            }
            let got = NaiveDate::parse_from_str(ev.date.as_deref().expect("dated"), "%Y-%m-%d")
                .expect("a day");
            let want_wd = dyad_enrich::dates::weekday_of(toks[w]).expect("weekday");
            assert_eq!(got.weekday(), want_wd, "{sent}");
            let back = (publication - got).num_days();
            assert!(
                (0..7).contains(&back),
                "{sent}: {got} vs published {publication}"
            );
            checked += 1;
            if toks[w] == "Saturday" && v["id"] == "6205629" {
                // Published Sunday 2021-05-09: "on Saturday" is 2021-05-08.
                assert_eq!(publication, ymd(2021, 5, 9));
                assert_eq!(got, ymd(2021, 5, 8));
                saturday_case = true;
            }
        }
    }
    println!("checked {checked} past-tense 'on <weekday>' sentences");
    assert!(
        checked >= 10,
        "only {checked} past-tense 'on <weekday>' sentences found"
    );
    if text.contains("\"id\": \"6205629\"") {
        assert!(
            saturday_case,
            "story 6205629's 'said on Saturday' was not checked"
        );
    }
}

// ---------------------------------------------------------------- modality

#[test]
fn modality_cases() {
    let mut doc = DocContext::default();
    let m = |doc: &mut DocContext, s: &str, v: &str| {
        run(doc, s, v, None, None).modality.expect("modality")
    };
    assert!(m(&mut doc, "Iraq did not attack Iran.", "attack").negated);
    assert!(m(&mut doc, "Iraq will meet Iran.", "meet").future);
    assert!(m(&mut doc, "Iraq intends to meet Iran.", "meet").future);
    assert!(m(&mut doc, "Iraq could attack Iran.", "attack").hypothetical);
    assert!(
        m(
            &mut doc,
            "If Iraq attacks Iran, the US will respond.",
            "attacks"
        )
        .hypothetical
    );
    let plain = m(&mut doc, "Iraq attacked Iran.", "attacked");
    assert!(!plain.negated && !plain.future && !plain.hypothetical && !plain.historical);
}

#[test]
fn parse_information_is_used_when_given() {
    // "Iraq did not say Iran attacked ." with tags: the negation belongs to
    // "say", not to "attacked".
    let toks = ["Iraq", "did", "not", "say", "Iran", "attacked", "."];
    let xpos = ["NNP", "VBD", "RB", "VB", "NNP", "VBD", "."];
    let heads = [4, 4, 4, 0, 6, 4, 4];
    let deprels = ["nsubj", "aux", "advmod", "root", "nsubj", "ccomp", "punct"];
    let s = SentenceContext {
        tokens: &toks,
        xpos: &xpos,
        heads: &heads,
        deprels: &deprels,
    };
    let mut doc = DocContext::default();
    let mut a = SentenceAnalysis::default();
    enricher().analyze(&mut doc, &s, &mut a);
    let mut ev = event(Some("IRN"), None, "190", "*");
    let slots = EventSlots {
        verb: Some(5),
        source: Some(4..5),
        target: None,
    };
    enricher().enrich(&doc, &s, &a, &slots, &mut ev);
    assert!(!ev.modality.expect("m").negated);
    let slots = EventSlots {
        verb: Some(3),
        source: Some(0..1),
        target: None,
    };
    enricher().enrich(&doc, &s, &a, &slots, &mut ev);
    assert!(ev.modality.expect("m").negated);
}

// ---------------------------------------------------------------- provenance

#[test]
fn confidence_is_in_range_and_ordered() {
    let mut doc = DocContext::default();
    let plain = run(
        &mut doc,
        "Iraq attacked Iran.",
        "attacked",
        Some(("Iraq", "IRQ")),
        Some(("Iran", "IRN")),
    );
    let neg = run(
        &mut doc,
        "Iraq did not attack Iran.",
        "attack",
        Some(("Iraq", "IRQ")),
        Some(("Iran", "IRN")),
    );
    let hyp = run(
        &mut doc,
        "Iraq could attack Iran.",
        "attack",
        Some(("Iraq", "IRQ")),
        Some(("Iran", "IRN")),
    );
    let lone = run(
        &mut doc,
        "Iraq attacked.",
        "attacked",
        Some(("Iraq", "IRQ")),
        None,
    );
    let (p, n, h, l) = (
        plain.confidence.expect("c"),
        neg.confidence.expect("c"),
        hyp.confidence.expect("c"),
        lone.confidence.expect("c"),
    );
    for c in [p, n, h, l] {
        assert!((0.0..=1.0).contains(&c), "{c}");
    }
    assert!(p > h && h > n && p > l, "{p} {h} {n} {l}");
}

#[test]
fn assigned_ids_are_stable_and_distinguish_events() {
    let mut a = event(Some("IRQ"), Some("USA"), "040", "*");
    let mut b = a.clone();
    dyad_enrich::assign_id(&mut a, 17);
    dyad_enrich::assign_id(&mut b, 17);
    assert_eq!(a.id, b.id);
    let expected = dyad_enrich::event_id(&dyad_enrich::EventKey {
        doc_id: "d",
        sentence_id: "1",
        sentence_offset: 17,
        source: "IRQ",
        target: "USA",
        code: "040",
    });
    assert_eq!(a.id.as_deref(), Some(expected.as_str()));
    let mut c = event(Some("USA"), Some("IRQ"), "040", "*");
    dyad_enrich::assign_id(&mut c, 17);
    assert_ne!(a.id, c.id, "direction matters");
    dyad_enrich::assign_id(&mut b, 18);
    assert_ne!(a.id, b.id, "sentence position matters");
}

#[test]
fn negated_events_are_not_asserted_and_map_to_plover_modes() {
    let mut doc = DocContext::default();
    let neg = run(
        &mut doc,
        "Iraq did not attack Iran.",
        "attack",
        Some(("Iraq", "IRQ")),
        Some(("Iran", "IRN")),
    );
    assert!(!dyad_enrich::is_asserted(&neg));
    assert_eq!(
        dyad_enrich::plover_modes(&neg.modality.expect("m")),
        ["negation"]
    );
    let fut = run(
        &mut doc,
        "Iraq will attack Iran.",
        "attack",
        Some(("Iraq", "IRQ")),
        Some(("Iran", "IRN")),
    );
    assert!(dyad_enrich::is_asserted(&fut));
    assert_eq!(
        dyad_enrich::plover_modes(&fut.modality.expect("m")),
        ["future"]
    );
}

#[test]
fn plover_gold_event_locations_are_found() {
    let Some(shared) = shared() else { return };
    let path = shared.join("data/plover/PLOVER_GSR_dev.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipping: {} not found", path.display());
        return;
    };
    let records: Vec<serde_json::Value> = serde_json::from_str(&text).expect("PLOVER GSR is JSON");
    let fold = |s: &str| {
        let mut b = [0u8; dyad_enrich::gazetteer::MAX_KEY];
        dyad_enrich::gazetteer::fold_key(s, &mut b).map(str::to_string)
    };
    let (mut total, mut hits) = (0, 0);
    let mut misses = Vec::new();
    for r in &records {
        let (Some(gold), Some(sentence)) = (r["eventLoc"]["name"].as_str(), r["text"].as_str())
        else {
            continue;
        };
        total += 1;
        let toks = tokenize(sentence);
        let s = SentenceContext {
            tokens: &toks,
            ..SentenceContext::default()
        };
        let mut doc = DocContext::default();
        let mut a = SentenceAnalysis::default();
        enricher().analyze(&mut doc, &s, &mut a);
        let gold_key = fold(gold);
        let hit = a.places.iter().any(|m| {
            let key = a.place_key(m);
            let resolved = enricher()
                .gazetteer
                .resolve_folded(key, &Hints::default())
                .and_then(|(_, p)| fold(p.name));
            // the gold names the place as written ("Bosnia") or by its
            // gazetteer name; the gold's own misspellings count as misses
            gold_key
                .as_deref()
                .is_some_and(|g| g == key || resolved.as_deref() == Some(g) || g.ends_with(key))
        });
        if hit {
            hits += 1;
        } else {
            misses.push(gold.to_string());
        }
    }
    println!("PLOVER GSR dev eventLoc found: {hits}/{total}; missed {misses:?}");
    assert!(total >= 20, "only {total} records with eventLoc");
    assert!(hits * 10 >= total * 7, "{hits}/{total}; missed {misses:?}");
}

#[test]
fn marking_negated_after_enrichment_lowers_confidence() {
    let mut doc = DocContext::default();
    let mut ev = run(
        &mut doc,
        "Iraq attacked Iran.",
        "attacked",
        Some(("Iraq", "IRQ")),
        Some(("Iran", "IRN")),
    );
    let before = ev.confidence.expect("c");
    dyad_enrich::mark_negated(&mut ev);
    assert!(ev.modality.expect("m").negated);
    let after = ev.confidence.expect("c");
    assert!((after - before * 0.1).abs() < 0.002, "{before} -> {after}");
    // idempotent
    dyad_enrich::mark_negated(&mut ev);
    assert_eq!(ev.confidence, Some(after));
    // same as enriching a negated sentence
    let neg = run(
        &mut doc,
        "Iraq did not attack Iran.",
        "attack",
        Some(("Iraq", "IRQ")),
        Some(("Iran", "IRN")),
    );
    assert!((neg.confidence.expect("c") - after).abs() < 0.002);
}

/// Random token soups, verb indices, actor ranges and parses (out of range,
/// reversed, cyclic heads) must never panic.
#[test]
fn arbitrary_input_never_panics() {
    let vocab = [
        "",
        "in",
        "on",
        "the",
        "of",
        "Saturday",
        "May",
        "8",
        "31",
        "2008",
        "Aug.",
        ",",
        "-",
        "no",
        "not",
        "will",
        "if",
        "Washington",
        "Paris",
        "Texas",
        "town",
        "city",
        "last",
        "week",
        "ago",
        "two",
        "years",
        "é",
        "Москва",
        "São",
        "Paulo",
        "US",
        "NISA",
        "there",
        "are",
        "\u{0}",
        "n't",
        "'s",
        "February",
        "30",
        "Sept.",
        "yesterday",
        "Port",
        "au",
        "Prince",
        "central",
        "Iraq",
        "capital",
        "port",
    ];
    let tags = ["NN", "VBD", "VBN", "IN", "DT", "", "VB"];
    let rels = [
        "obl", "acl", "ccomp", "conj", "root", "mark", "aux", "advmod", "xcomp", "",
    ];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut rnd = |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let e = enricher();
    let mut a = SentenceAnalysis::default();
    for round in 0..3000 {
        let len = rnd(30);
        let toks: Vec<&str> = (0..len).map(|_| vocab[rnd(vocab.len())]).collect();
        let xpos: Vec<&str> = (0..len).map(|_| tags[rnd(tags.len())]).collect();
        let heads: Vec<u32> = (0..len).map(|_| rnd(len + 3) as u32).collect();
        let deprels: Vec<&str> = (0..len).map(|_| rels[rnd(rels.len())]).collect();
        let parsed = round % 2 == 0;
        let s = SentenceContext {
            tokens: &toks,
            xpos: if parsed { &xpos } else { &[] },
            heads: if parsed { &heads } else { &[] },
            deprels: if parsed { &deprels } else { &[] },
        };
        let mut doc = DocContext {
            publication: if round % 3 == 0 {
                None
            } else {
                Some(ymd(2024, 2, 29))
            },
            ..DocContext::default()
        };
        e.analyze(&mut doc, &s, &mut a);
        let r = |rnd: &mut dyn FnMut(usize) -> usize| {
            let a = rnd(len + 4);
            let b = rnd(len + 4);
            a..b
        };
        let slots = EventSlots {
            verb: if rnd(5) == 0 {
                None
            } else {
                Some(rnd(len + 3))
            },
            source: if rnd(3) == 0 { None } else { Some(r(&mut rnd)) },
            target: if rnd(3) == 0 { None } else { Some(r(&mut rnd)) },
        };
        let mut ev = event(Some("USAGOV"), Some("X"), "040", "* IN $ + [040]");
        e.enrich(&doc, &s, &a, &slots, &mut ev);
        let c = ev.confidence.expect("confidence is always set");
        assert!((0.0..=1.0).contains(&c));
        if let Some(d) = &ev.date {
            assert!(matches!(d.len(), 4 | 7 | 10), "{d}");
        }
    }
    // Publication dates and datelines from junk.
    for junk in [
        "",
        "-",
        "2024-02-30",
        "99999999",
        "Sept. 31, 2024",
        ",,,",
        "\u{0}\u{1}",
        "BAGHDAD,",
        "(Reuters) -",
    ] {
        let _ = parse_publication_date(junk);
        let _ = DocContext::new(e, Some(ymd(2024, 1, 1)), Some(junk));
    }
}

#[test]
fn parse_attachment_keeps_dates_in_their_clause() {
    // "Talks come within the pact signed in November 2008 ."
    //   1      2    3      4   5    6      7  8        9    10
    let toks = [
        "Talks", "come", "within", "the", "pact", "signed", "in", "November", "2008", ".",
    ];
    let xpos = [
        "NNS", "VBP", "IN", "DT", "NN", "VBN", "IN", "NNP", "CD", ".",
    ];
    let heads = [2, 0, 5, 5, 2, 5, 8, 6, 8, 2];
    let deprels = [
        "nsubj", "root", "case", "det", "obl", "acl", "case", "obl", "nummod", "punct",
    ];
    let s = SentenceContext {
        tokens: &toks,
        xpos: &xpos,
        heads: &heads,
        deprels: &deprels,
    };
    let mut doc = DocContext {
        publication: Some(ymd(2023, 6, 1)),
        ..DocContext::default()
    };
    let mut a = SentenceAnalysis::default();
    enricher().analyze(&mut doc, &s, &mut a);
    let mut ev = event(Some("IRQ"), Some("USA"), "057", "*");
    let signed = EventSlots {
        verb: Some(5),
        ..EventSlots::default()
    };
    enricher().enrich(&doc, &s, &a, &signed, &mut ev);
    assert_eq!(ev.date.as_deref(), Some("2008-11"));
    assert_eq!(ev.date_source, Some(DateSource::Sentence));
    assert!(ev.modality.expect("m").historical);
    let come = EventSlots {
        verb: Some(1),
        ..EventSlots::default()
    };
    enricher().enrich(&doc, &s, &a, &come, &mut ev);
    assert_eq!(
        ev.date.as_deref(),
        Some("2023-06-01"),
        "the pact's date is not the talks' date"
    );
    assert_eq!(ev.date_source, Some(DateSource::Publication));
    assert!(!ev.modality.expect("m").historical);
}
