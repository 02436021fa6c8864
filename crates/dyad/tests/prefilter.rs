//! The sentence pre-filter (`PipelineOptions::skip_eventless`) must not
//! change the output: code real corpora with it on and off and compare the
//! full JSON event records, sentence records and warnings. Also checks that
//! the filter does skip something, and that the lemma it asks the model for
//! (`Model::lemma` under a given tag) is the lemma `Model::analyze` gives,
//! on every EWT test token.
//!
//! Prints "skipping: ../shared not found" and passes when ../shared is absent.

use std::path::{Path, PathBuf};

use dyad::prefilter::ModelLemmas;
use dyad::{Pipeline, PipelineOptions, SkipStats};
use dyad_coder::{Coder, CoderOptions, Dictionaries};
use dyad_text::{Document, InputFormat};

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if p.is_dir() {
        Some(p)
    } else {
        println!("skipping: ../shared not found");
        None
    }
}

fn pipeline(dicts: Dictionaries) -> Pipeline {
    let model = dyad::data::load_model(None).expect("built-in model loads");
    let enricher = dyad_enrich::Enricher::builtin().expect("built-in gazetteer loads");
    Pipeline::new(
        Coder::new(dicts, CoderOptions::default()),
        Some(model),
        Some(enricher),
        PipelineOptions::default(),
    )
}

/// Everything `code_document` returns, as text.
fn run(pipe: &Pipeline, docs: &[Document]) -> Vec<String> {
    let mut out = Vec::new();
    for d in docs {
        let c = pipe.code_document(d);
        out.push(format!("doc {} warnings {:?}", c.doc_id, c.warnings));
        for s in &c.sentences {
            out.push(serde_json::to_string(s).expect("sentence serializes"));
        }
        for e in &c.events {
            out.push(serde_json::to_string(e).expect("event serializes"));
        }
    }
    out
}

/// Codes `docs` with the filter on and off; asserts identical output and
/// returns (sentences, skipped, events).
fn identical(name: &str, pipe: &mut Pipeline, docs: &[Document]) -> (usize, usize, usize) {
    pipe.options.skip_eventless = false;
    let off = run(pipe, docs);
    pipe.options.skip_eventless = true;
    let on = run(pipe, docs);
    assert_eq!(off.len(), on.len(), "{name}: record counts differ");
    for (a, b) in off.iter().zip(&on) {
        assert_eq!(a, b, "{name}: filter off vs on");
    }
    let mut st = SkipStats::default();
    for d in docs {
        st += pipe.skip_stats(d);
    }
    let events = on.iter().filter(|l| l.contains("\"sentence_id\"")).count();
    println!(
        "{name}: {} sentences, skipped {} before tagging and {} after, {events} events",
        st.sentences, st.before_tagging, st.after_tagging
    );
    let (n, skip) = (st.sentences, st.before_tagging);
    (n, skip, events)
}

fn unit_test_docs(shared: &Path) -> Vec<Document> {
    let xml = dyad_input::xml::read_petrarch_xml(
        &shared.join("data/petrarch2/PETR.UnitTest.records.xml"),
    )
    .expect("unit-test records read");
    xml.records
        .iter()
        .map(|r| {
            let mut d = Document::new(r.id.clone(), r.text.clone());
            d.date = r.date.clone();
            d
        })
        .collect()
}

fn ewt_docs(shared: &Path) -> Vec<Document> {
    let text = std::fs::read_to_string(shared.join("data/ud-ewt/en_ewt-ud-test.conllu"))
        .expect("EWT test reads");
    text.lines()
        .filter_map(|l| l.strip_prefix("# text = "))
        .enumerate()
        .map(|(i, t)| Document::new(format!("ewt-{i}"), t.to_string()))
        .collect()
}

#[test]
fn filter_does_not_change_output_default_dictionaries() {
    let Some(shared) = shared() else { return };
    let mut pipe = pipeline(dyad::data::default_dictionaries().expect("dictionaries"));
    assert!(pipe.filter().has_actor_test() && pipe.filter().has_verb_test());
    let voa = dyad_text::read_path(shared.join("corpus/voa_stories.jsonl"), InputFormat::Jsonl)
        .expect("VOA reads")
        .docs;
    let (_, skip, events) = identical("voa", &mut pipe, &voa);
    assert!(skip > 0 && events > 0);
    let seed = dyad_text::read_path(
        shared.join("corpus/000_86ffe86b06bc2f2f.txt"),
        InputFormat::Text,
    )
    .expect("seed reads")
    .docs;
    identical("seed", &mut pipe, &seed);
    let (_, skip, _) = identical("unit-test", &mut pipe, &unit_test_docs(&shared));
    assert!(skip > 0);
    let (_, skip, _) = identical("ewt", &mut pipe, &ewt_docs(&shared));
    assert!(skip > 0);
}

#[test]
fn filter_does_not_change_output_phoenix_dictionaries() {
    let Some(shared) = shared() else { return };
    let dicts = dyad::data::dictionaries_from_dir(&shared.join("data/phoenix"))
        .expect("Phoenix dictionaries");
    let mut pipe = pipeline(dicts);
    let seed = dyad_text::read_path(
        shared.join("corpus/000_86ffe86b06bc2f2f.txt"),
        InputFormat::Text,
    )
    .expect("seed reads")
    .docs;
    identical("seed/phoenix", &mut pipe, &seed);
    let (_, skip, _) = identical("unit-test/phoenix", &mut pipe, &unit_test_docs(&shared));
    assert!(skip > 0);
    let voa = dyad_text::read_path(shared.join("corpus/voa_stories.jsonl"), InputFormat::Jsonl)
        .expect("VOA reads")
        .docs;
    identical("voa/phoenix", &mut pipe, &voa[..voa.len().min(30)]);
}

/// The filter's lemma call gives the model's lemma for every EWT test token
/// under the tag the model chose.
#[test]
fn filter_lemma_matches_the_model() {
    let Some(shared) = shared() else { return };
    let model = std::sync::Arc::new(dyad::data::load_model(None).expect("model"));
    let tables = ModelLemmas::new(model.clone());
    let tag_id = |t: &str| {
        model
            .xpos_tags()
            .iter()
            .position(|x| x == t)
            .expect("known tag") as u8
    };
    let mut checked = 0;
    for d in ewt_docs(&shared) {
        for s in dyad_text::segment(&d) {
            let words: Vec<&str> = s.tokens.iter().map(|t| t.text.as_str()).collect();
            let a = model.analyze(&words);
            for (i, w) in words.iter().enumerate() {
                let got = tables.lemma(w, tag_id(a.xpos[i]));
                assert_eq!(got, a.lemma[i], "{w} tagged {}", a.xpos[i]);
                checked += 1;
            }
        }
    }
    assert!(checked > 20_000, "only {checked} tokens");
}

/// Sentences skipped before tagging (no word can be a dictionary verb) and
/// after tagging (no `VB*` token is one) still name their countries for a
/// later "the two sides": the pair resolves from them exactly as with the
/// filter off, and does not resolve without them.
#[test]
fn skipped_sentences_feed_the_two_sides() {
    if shared().is_none() {
        return;
    }
    let mut pipe = pipeline(dyad::data::default_dictionaries().expect("dictionaries"));
    let second = "The two sides signed a security agreement.";
    // (name, first sentences, their number, skipped before / after tagging)
    let cases = [
        // no word can be a dictionary verb
        (
            "before",
            "Officials from Iraq and Syria in Baghdad on Monday.",
            1,
            (1, 0),
        ),
        // two sentences, each naming one country
        (
            "one-each",
            "Heavy rain fell in Iraq on Monday.\n\nSyria is large.",
            2,
            (2, 0),
        ),
        // "talks" is tagged a noun
        (
            "after",
            "Iraq and Syria: new talks on the border.",
            1,
            (0, 1),
        ),
    ];
    for (name, first, n, (before, after)) in cases {
        let doc = Document::new(name, format!("{first}\n\n{second}"));
        let st = pipe.skip_stats(&doc);
        assert_eq!(
            (st.sentences, st.before_tagging, st.after_tagging),
            (n + 1, before, after),
            "{name}: the first sentences should be skipped"
        );
        let (_, _, events) = identical(name, &mut pipe, std::slice::from_ref(&doc));
        assert!(events > 0, "{name}");
        let coded = pipe.code_document(&doc);
        let pairs: Vec<(String, String)> = coded
            .events
            .iter()
            .filter_map(|e| {
                Some((
                    e.source.as_ref()?.code.clone(),
                    e.target.as_ref()?.code.clone(),
                ))
            })
            .collect();
        assert!(
            pairs
                .iter()
                .any(|(s, t)| s.starts_with("IRQ") && t.starts_with("SYR")),
            "{name}: {pairs:?}"
        );
    }
    // control: without the countries named before, the pair does not resolve
    let other = Document::new(
        "pair-control",
        format!("Officials met in a hotel on Monday.\n\n{second}"),
    );
    assert!(pipe.code_document(&other).events.is_empty());
}

/// Every parse the pipeline makes is a forest that `from_vectors` accepts
/// (the premise of skipping a sentence after tagging, before parsing,
/// without losing a warning): checked on every sentence of VOA, EWT test and
/// the PETRARCH unit-test texts, with the temporal-adverb re-parse included.
#[test]
fn every_pipeline_parse_is_a_tree() {
    let Some(shared) = shared() else { return };
    let pipe = pipeline(dyad::data::default_dictionaries().expect("dictionaries"));
    let mut docs =
        dyad_text::read_path(shared.join("corpus/voa_stories.jsonl"), InputFormat::Jsonl)
            .expect("VOA reads")
            .docs;
    docs.extend(ewt_docs(&shared));
    docs.extend(unit_test_docs(&shared));
    let mut n = 0;
    for d in &docs {
        for s in dyad_text::segment(d) {
            if s.is_heading || s.tokens.is_empty() {
                continue;
            }
            let Some(c) = pipe.analyze_text(&s.text) else {
                continue;
            };
            let heads: Vec<u32> = c.tokens.iter().map(|t| t.head as u32).collect();
            assert!(dyad::prefilter::heads_are_a_tree(&heads), "{}", s.text);
            let words: Vec<&str> = c.tokens.iter().map(|t| t.form.as_str()).collect();
            let tags: Vec<&str> = c.tokens.iter().map(|t| t.xpos.as_str()).collect();
            let lemmas: Vec<&str> = c.tokens.iter().map(|t| t.lemma.as_str()).collect();
            let rels: Vec<&str> = c.tokens.iter().map(|t| t.deprel.as_str()).collect();
            let hs: Vec<usize> = c.tokens.iter().map(|t| t.head).collect();
            assert!(
                dyad_coder::ParsedSentence::from_vectors(&words, &tags, &lemmas, &hs, &rels)
                    .is_ok(),
                "{}",
                s.text
            );
            n += 1;
        }
    }
    assert!(n > 4_000, "only {n} sentences");
}

/// Sentence by sentence: no sentence from which the unfiltered pipeline
/// codes an event (negated ones kept) fails the word test or the tag test.
/// Returns (sentences with events, sentences the filter would skip).
fn no_coded_sentence_is_skipped(
    name: &str,
    pipe: &mut Pipeline,
    docs: &[Document],
) -> (usize, usize) {
    pipe.options.skip_eventless = false;
    pipe.options.keep_negated = true;
    let (mut coded, mut skipped) = (0, 0);
    for d in docs {
        let with_events: std::collections::HashSet<String> = pipe
            .code_document(d)
            .events
            .iter()
            .map(|e| e.sentence_id.clone())
            .collect();
        for (i, s) in dyad_text::segment(d).into_iter().enumerate() {
            if s.is_heading || s.tokens.is_empty() {
                continue;
            }
            let words: Vec<&str> = s.tokens.iter().map(|t| t.text.as_str()).collect();
            let passes = pipe.filter().may_yield_events(pipe.coder(), &words) && {
                let c = pipe.analyze_text(&s.text).expect("sentence analyses");
                let tags: Vec<&str> = c.tokens.iter().map(|t| t.xpos.as_str()).collect();
                let lemmas: dyad_nlp::Lemmas = c.tokens.iter().map(|t| t.lemma.as_str()).collect();
                let forms: Vec<&str> = c.tokens.iter().map(|t| t.form.as_str()).collect();
                assert_eq!(forms, words, "{name}: re-tokenised differently");
                pipe.filter()
                    .tagged_may_yield_events(pipe.coder(), &words, &tags, &lemmas)
            };
            if with_events.contains(&(i + 1).to_string()) {
                coded += 1;
                assert!(
                    passes,
                    "{name}: the filter drops a coded sentence: {}",
                    s.text
                );
            } else if !passes {
                skipped += 1;
            }
        }
    }
    pipe.options.skip_eventless = true;
    pipe.options.keep_negated = false;
    println!("{name}: {coded} sentences with events kept, {skipped} others skipped");
    (coded, skipped)
}

#[test]
fn filter_never_drops_a_coded_sentence() {
    let Some(shared) = shared() else { return };
    let voa = dyad_text::read_path(shared.join("corpus/voa_stories.jsonl"), InputFormat::Jsonl)
        .expect("VOA reads")
        .docs;
    let ewt = ewt_docs(&shared);
    let ut = unit_test_docs(&shared);
    let mut pipe = pipeline(dyad::data::default_dictionaries().expect("dictionaries"));
    for (name, docs) in [("voa", &voa), ("ewt", &ewt), ("unit-test", &ut)] {
        let (coded, skipped) = no_coded_sentence_is_skipped(name, &mut pipe, docs);
        assert!(coded > 0 && skipped > 0, "{name}");
    }
    let dicts = dyad::data::dictionaries_from_dir(&shared.join("data/phoenix"))
        .expect("Phoenix dictionaries");
    let mut pipe = pipeline(dicts);
    for (name, docs) in [
        ("voa/phoenix", &voa[..voa.len().min(60)]),
        ("unit-test/phoenix", &ut[..]),
    ] {
        let (coded, skipped) = no_coded_sentence_is_skipped(name, &mut pipe, docs);
        assert!(coded > 0 && skipped > 0, "{name}");
    }
}
