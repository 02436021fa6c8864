//! Issue 4 acceptance through the library: dyad's own default dictionaries
//! (compiled in), the built-in tagger/parser model and gazetteer, coding
//! the PLOVER gold (dev half) and the seed article; and every CAMEO code in
//! `data/dict` is in the codebook.
//!
//! Tests that need `../shared` print "skipping: ../shared not found" and
//! pass when it is absent.

use std::path::{Path, PathBuf};

use dyad::{Pipeline, PipelineOptions};
use dyad_coder::{Coder, CoderOptions};
use dyad_core::cameo::Codebook;
use dyad_core::Event;

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if p.is_dir() {
        Some(p)
    } else {
        println!("skipping: ../shared not found");
        None
    }
}

fn default_pipeline() -> Pipeline {
    let dicts = dyad::data::default_dictionaries().expect("default dictionaries load");
    let model = dyad::data::load_model(None).expect("built-in model loads");
    let enricher = dyad_enrich::Enricher::builtin().expect("built-in gazetteer loads");
    Pipeline::new(
        Coder::new(dicts, CoderOptions::default()),
        Some(model),
        Some(enricher),
        PipelineOptions::default(),
    )
}

/// Issue 4 asks for event type >= 60% and source country >= 80%. The floors were
/// set a little over one point under the fourth PLOVER pass (2026-11-28: event
/// type 136/164 = 82.9%, source country 141/164 = 86.0%; see data/dict/README.md).
/// The tag-dictionary model of 2026-11-29 gives 135 / 140, so one more lost
/// record on either count still passes and a second fails.
const EVENT_TYPE_MIN_PCT: f64 = 81.5;
const SOURCE_COUNTRY_FLOOR_PCT: f64 = 84.5;

#[test]
fn plover_dev_meets_event_type_and_source_country_floors() {
    let Some(shared) = shared() else { return };
    let file = shared.join("data/plover/PLOVER_GSR_dev.json");
    let records = dyad_curate::plover::read_gold(&file).expect("PLOVER dev gold reads");
    assert!(records.len() >= 150, "only {} gold records", records.len());
    let pipe = default_pipeline();
    let book = dyad_dict::codebooks::standard();
    let report = dyad_curate::plover::eval_plover(&records, book, |rec| {
        let mut doc = dyad_text::Document::new(rec.id.clone(), rec.text.clone());
        doc.date = rec.date.clone();
        pipe.code_document(&doc)
            .events
            .into_iter()
            .map(|e| dyad_curate::plover::PredictedEvent {
                source: e.source.map(|a| a.code),
                target: e.target.map(|a| a.code),
                cameo: e.event.cameo,
            })
            .collect()
    });
    let n = report.total() as f64;
    let ev = 100.0 * report.event_right() as f64 / n;
    let src = 100.0 * report.source_right() as f64 / n;
    println!(
        "PLOVER dev: records {} event-type {:.1}% source-country {:.1}%",
        report.total(),
        ev,
        src
    );
    assert!(
        ev >= EVENT_TYPE_MIN_PCT,
        "event type {ev:.1}% < {EVENT_TYPE_MIN_PCT}%"
    );
    assert!(
        src >= SOURCE_COUNTRY_FLOOR_PCT,
        "source country {src:.1}% fell below the floor {SOURCE_COUNTRY_FLOOR_PCT}%"
    );
}

fn seed_events(shared: &Path) -> Vec<Event> {
    let path = shared.join("corpus/000_86ffe86b06bc2f2f.txt");
    let got = dyad_text::read_path(&path, dyad_text::InputFormat::Auto).expect("seed reads");
    assert_eq!(got.docs.len(), 1, "the seed article is one document");
    let coded = default_pipeline().code_document(&got.docs[0]);
    assert!(!coded.events.is_empty(), "the seed article codes no events");
    coded.events
}

fn country(code: &str) -> &str {
    code.get(..3).unwrap_or(code)
}

fn has(events: &[Event], src: &str, tgt: &str, cameo_prefix: &str) -> bool {
    events.iter().any(|e| {
        let s = e.source.as_ref().map(|a| country(&a.code));
        let t = e.target.as_ref().map(|a| country(&a.code));
        s == Some(src) && t == Some(tgt) && e.event.cameo.starts_with(cameo_prefix)
    })
}

#[test]
fn seed_article_codes_as_an_analyst_would() {
    let Some(shared) = shared() else { return };
    let events = seed_events(&shared);
    let listing: Vec<String> = events
        .iter()
        .map(|e| {
            format!(
                "{} {:?}->{:?} {}",
                e.sentence_id,
                e.source.as_ref().map(|a| &a.code),
                e.target.as_ref().map(|a| &a.code),
                e.event.cameo
            )
        })
        .collect();
    // Consultations between Iraq and the US, in both directions.
    assert!(
        has(&events, "IRQ", "USA", "04"),
        "no IRQ->USA 04x: {listing:?}"
    );
    assert!(
        has(&events, "USA", "IRQ", "04"),
        "no USA->IRQ 04x: {listing:?}"
    );
    // The Iraqi delegation's visit and the US hosting it, in Washington.
    assert!(
        has(&events, "IRQ", "USA", "042"),
        "no IRQ->USA 042: {listing:?}"
    );
    let hosted = events.iter().find(|e| {
        e.event.cameo == "043"
            && e.source.as_ref().map(|a| country(&a.code)) == Some("USA")
            && e.target.as_ref().map(|a| country(&a.code)) == Some("IRQ")
    });
    let hosted = hosted.unwrap_or_else(|| panic!("no USA->IRQ 043: {listing:?}"));
    let place = hosted.location.as_ref().map(|l| l.name.as_str());
    assert_eq!(place, Some("Washington"), "043 not placed in Washington");
    // ISIS is an armed group, and Iraq fights it.
    let isis_fight = events.iter().any(|e| {
        e.source.as_ref().map(|a| country(&a.code)) == Some("IRQ")
            && e.target
                .as_ref()
                .is_some_and(|a| a.code.starts_with("IMGISI"))
            && matches!(e.event.root.as_str(), "17" | "18" | "19" | "20")
    });
    assert!(isis_fight, "no Iraq vs IMGISI force event: {listing:?}");
    // No force event from a denial of US combat troops ("there are no US
    // troops with a combat role in Iraq"); the same sentence's "Iraq in its
    // battle against ISIS" is a real fight and stays.
    let mut saw_denial = false;
    for e in &events {
        if e.sentence.contains("no US troops") {
            saw_denial = true;
            let us_source = e.source.as_ref().map(|a| country(&a.code)) == Some("USA");
            assert!(
                !(us_source && matches!(e.event.root.as_str(), "15" | "17" | "18" | "19" | "20")),
                "US force event from a denial: {e:?}"
            );
        }
    }
    assert!(saw_denial, "the denial sentence coded nothing at all");
    // The outlet is not an actor.
    for e in &events {
        for a in [&e.source, &e.target].into_iter().flatten() {
            assert!(
                !a.text.contains("The Reference"),
                "the outlet became an actor: {a:?}"
            );
        }
    }
}

#[test]
fn every_cameo_code_in_data_dict_is_in_the_codebook() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/dict");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("data/dict lists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let verbs: Vec<&PathBuf> = files
        .iter()
        .filter(|p| p.to_string_lossy().ends_with("verbs.txt"))
        .collect();
    assert!(!verbs.is_empty(), "no verbs file in {}", dir.display());
    let book = Codebook::builtin();
    let mut checked = 0usize;
    for p in &verbs {
        let text = std::fs::read_to_string(p).expect("verbs file reads");
        checked += text.matches('[').count();
        let unknown = dyad_curate::codes_not_in_codebook(&text, book);
        assert!(
            unknown.is_empty(),
            "{}: codes not in the codebook: {unknown:?}",
            p.display()
        );
    }
    assert!(checked > 500, "only {checked} codes checked");
    // The check can fail: a made-up code is caught.
    let planted = dyad_curate::codes_not_in_codebook("--- X [999] ---\n", book);
    assert_eq!(planted.len(), 1, "a bad code went unnoticed");
    // The compiled-in set is the same data and loads.
    dyad::data::default_dictionaries().expect("defaults load");
}

/// Codes one invented sentence with the default pipeline: (source, target, cameo).
fn code_text(text: &str) -> Vec<(String, String, String)> {
    let doc = dyad_text::Document::new("t".to_string(), text.to_string());
    default_pipeline()
        .code_document(&doc)
        .events
        .into_iter()
        .map(|e| {
            (
                e.source.map(|a| a.code).unwrap_or_default(),
                e.target.map(|a| a.code).unwrap_or_default(),
                e.event.cameo,
            )
        })
        .collect()
}

#[test]
fn refusal_spelled_by_the_pattern_is_an_asserted_rejection() {
    // "will not accept" is the rejection itself (CAMEO 12x), not a negated event
    let got = code_text("Kenya says it will not accept any more refugees.");
    assert!(
        got.iter()
            .any(|(s, _, c)| s.starts_with("KEN") && c.starts_with("12")),
        "{got:?}"
    );
}

#[test]
fn temporal_adverb_between_subject_and_verb_keeps_the_subject() {
    for text in [
        "Chile today threatened to launch a new offensive against Peru.",
        "The Kenyan government yesterday accused Uganda of arming rebels.",
    ] {
        let got = code_text(text);
        let src = if text.starts_with("Chile") {
            "CHL"
        } else {
            "KEN"
        };
        assert!(
            got.iter().any(|(s, _, _)| s.starts_with(src)),
            "{text}: {got:?}"
        );
    }
}

#[test]
fn hyphenated_led_participle_keeps_its_country() {
    // "X-led forces": the participle is part of the noun phrase, so "Saudi" codes it
    let got = code_text("Saudi-led forces attacked rebel positions in Yemen.");
    assert!(
        got.iter()
            .any(|(s, _, c)| s.starts_with("SAU") && c.starts_with("19")),
        "{got:?}"
    );
}

#[test]
fn police_take_the_country_of_the_people_they_arrest() {
    let got = code_text("Police arrested two Kenyan activists.");
    assert!(
        got.iter()
            .any(|(s, t, _)| s == "KENCOP" && t.starts_with("KEN")),
        "{got:?}"
    );
}

/// A compound subject is coded against itself only in a reciprocal construction
/// (dyad-coder `coder/mutual.rs`): a joint attack on a town is not the two forces
/// attacking each other; a consultation, a clash without an object, or "each other" is.
#[test]
fn compound_subjects_pair_only_in_reciprocal_constructions() {
    let pairs = |got: &[(String, String, String)], a: &str, b: &str, root: &str| {
        [(a, b), (b, a)].iter().all(|(x, y)| {
            got.iter()
                .any(|(s, t, c)| s.starts_with(x) && t.starts_with(y) && c.starts_with(root))
        })
    };
    let between = |got: &[(String, String, String)], a: &str, b: &str| {
        got.iter().any(|(s, t, _)| {
            s.starts_with(a) && t.starts_with(b) || s.starts_with(b) && t.starts_with(a)
        })
    };
    for text in [
        "Iraqi and American forces attacked the town on Monday.",
        "Iraqi and American forces withdrew from the town.",
        "Iraqi and American officials praised the agreement.",
    ] {
        let got = code_text(text);
        assert!(!between(&got, "IRQ", "USA"), "{text}: {got:?}");
    }
    let got = code_text("Iraq and the United States discussed security cooperation.");
    assert!(pairs(&got, "IRQ", "USA", "04"), "{got:?}");
    let got = code_text("Iraqi and Kurdish forces clashed on Monday.");
    assert!(pairs(&got, "IRQ", "KUR", "19"), "{got:?}");
    let got = code_text("Iraq and Iran accused each other of violating the ceasefire.");
    assert!(pairs(&got, "IRQ", "IRN", "11"), "{got:?}");
    let got = code_text("Indian and Pakistani troops exchanged fire along the border.");
    assert!(pairs(&got, "IND", "PAK", "19"), "{got:?}");
    // the object of a fight is the other side, not the other member
    let text = "Iraqi and Kurdish forces fought Islamic State militants.";
    let got = code_text(text);
    assert!(!between(&got, "IRQ", "KUR"), "{text}: {got:?}");
    assert!(
        got.iter()
            .any(|(s, t, _)| s.starts_with("KUR") && t.starts_with("IMGISI")),
        "{text}: {got:?}"
    );
}

/// An agentive passive codes the agent as the source, also when the parser strands "by"
/// on the first word of a hyphenated name ("by al-Shabaab militants", dyad-coder
/// `repair::stranded`), and a passive light verb finds its event noun in the subject.
#[test]
fn passive_agents_are_sources_and_victims_targets() {
    for text in [
        "Kenyan troops were attacked by al-Shabaab militants.",
        "The attack on Kenyan troops was carried out by al-Shabaab militants.",
    ] {
        let got = code_text(text);
        assert!(
            got.iter()
                .any(|(s, t, c)| s.starts_with("SOM") && t == "KENMIL" && c.starts_with("19")),
            "{text}: {got:?}"
        );
        assert!(
            !got.iter().any(|(s, _, _)| s.starts_with("KEN")),
            "{text}: the victims are not the source: {got:?}"
        );
    }
}
