//! One test per coding phenomenon, on small hand-written trees and dictionaries (fictional
//! actors; nothing here comes from the reference data).
use dyad_coder::{Coder, CoderOptions, Dictionaries, ParsedSentence};
use dyad_input::PtbTree;

const VERBS: &str = "
&MONEY
+CREDITS
+GOLD COINS

&NEVERSYN_
+DID N'T
+WILL NOT

--- SCOLD [111] ---
SCOLD
CRITICIZE
- * OVER &MONEY [112]
- &NEVERSYN * [113]

--- ATTACK [190] ---
ATTACK
- * WITH ROCKETS [195]
- + WAS * BY $ [196]

--- GREET [041:042] ---
GREET

--- SAY [010] ---
SAY {SAID}

--- ASK [---] ---
ASK
- * FOR HELP FROM $ [020]

--- CORDON [---] ---
+CORDON_OFF [192]

--- HAIL [051] ---
HAIL
- % * [057:057]

--- DISCUSS [040] ---
DISCUSS

--- STAGE [---] ---
STAGE
- * RAID ON + [190]
- * [---]

--- CLASH [190] ---
CLASH
FIGHT {FOUGHT}
- % * [190]
- * + [190]
";

const ACTORS: &str = "
ZAROVIA [ZAR]
+ZAROVIAN
QUELLMARK [QUE]
BRINDOR_HILLS [BRH]
OLD_ORTAN
\t[ORT <990101]
\t[ORN]
";

const AGENTS: &str = "
MINISTER [~GOV]
SOLDIER [~MIL]
RELIEF_CORPS {} [RLF~]
";

const DISCARDS: &str = "
CHESS FINAL
+TIDDLYWINKS
";

fn coder() -> Coder {
    let mut d = Dictionaries::empty();
    d.add_verbs(VERBS, "t.verbs");
    d.add_actors(ACTORS, "t.actors");
    d.add_agents(AGENTS, "t.agents");
    d.add_discards(DISCARDS, "t.discards");
    d.add_issues("n:drought [WATER]\n", "t.issues");
    Coder::new(d, CoderOptions::default())
}

fn sent(tree: &str) -> ParsedSentence {
    ParsedSentence::from_ptb(&PtbTree::parse(tree, "test", 1).expect("test tree parses"))
}

fn triples(c: &Coder, tree: &str, date: Option<(i32, u32, u32)>) -> Vec<String> {
    let d = date.and_then(|(y, m, dd)| chrono::NaiveDate::from_ymd_opt(y, m, dd));
    let mut v: Vec<String> = c
        .code(&sent(tree), d)
        .iter()
        .map(|e| {
            let (a, b, k) = e.triple();
            format!("{a} {b} {k}")
        })
        .collect();
    v.sort();
    v
}

#[test]
fn simple_event_with_agent_and_actor() {
    let c = coder();
    let t = "(ROOT (S (NP (NP (NNP Zarovia) (POS 's)) (NN minister)) (VP (VBD scolded) (NP (NNP Quellmark))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["ZARGOV QUE 111"]);
}

#[test]
fn longest_actor_match_and_agent_through_pp() {
    let c = coder();
    // "Soldiers from Brindor Hills attacked Zarovia": agent in the head, actor in the PP.
    let t = "(ROOT (S (NP (NP (NNS Soldiers)) (PP (IN from) (NP (NNP Brindor) (NNP Hills)))) (VP (VBD attacked) (NP (NNP Zarovia))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["BRHMIL ZAR 190"]);
}

#[test]
fn prefix_agent() {
    let c = coder();
    let t = "(ROOT (S (NP (NNP Relief) (NNP Corps) (NNP Zarovia)) (VP (VBD scolded) (NP (NNP Quellmark))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["RLFZAR QUE 111"]);
}

#[test]
fn date_restricted_codes() {
    let c = coder();
    let t = "(ROOT (S (NP (NNP Old) (NNP Ortan)) (VP (VBD scolded) (NP (NNP Quellmark))) (. .)))";
    assert_eq!(triples(&c, t, Some((1998, 5, 1))), vec!["ORT QUE 111"]);
    assert_eq!(triples(&c, t, Some((2005, 5, 1))), vec!["ORN QUE 111"]);
}

#[test]
fn compound_source_and_target_give_one_event_per_pair() {
    let c = coder();
    let t = "(ROOT (S (NP (NNP Zarovia) (CC and) (NNP Quellmark)) (VP (VBD attacked) (NP (NP (NNP Brindor) (NNP Hills)) (CC and) (NP (NNP Old) (NNP Ortan)))) (. .)))";
    assert_eq!(
        triples(&c, t, Some((2005, 1, 1))),
        vec!["QUE BRH 190", "QUE ORN 190", "ZAR BRH 190", "ZAR ORN 190"]
    );
}

#[test]
fn compound_pattern_gives_mutual_events() {
    let c = coder();
    let t = "(ROOT (S (NP (NNP Zarovia) (CC and) (NNP Quellmark)) (VP (VBP hail) (NP (DT the) (NN treaty))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["QUE ZAR 057", "ZAR QUE 057"]);
}

#[test]
fn paired_code_gives_reverse_event() {
    let c = coder();
    let t = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD greeted) (NP (NNP Quellmark))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["QUE ZAR 042", "ZAR QUE 041"]);
}

#[test]
fn passive_voice_swaps_roles_via_by_phrase() {
    let c = coder();
    let t = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD was) (VP (VBN scolded) (PP (IN by) (NP (NNP Quellmark))))) (. .)))";
    let ev = c.code(&sent(t), None);
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].triple(), ("QUE".into(), "ZAR".into(), "111".into()));
    assert!(ev[0].passive);
}

#[test]
fn pattern_slots_assign_source_and_target() {
    let c = coder();
    // + WAS * BY $ : explicit roles from the pattern
    let t = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD was) (VP (VBN attacked) (PP (IN by) (NP (NNP Quellmark))))) (. .)))";
    let ev = c.code(&sent(t), None);
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].triple(), ("QUE".into(), "ZAR".into(), "196".into()));
    assert_eq!(ev[0].pattern.as_deref(), Some("+ WAS * BY $"));
    assert_eq!(ev[0].evidence.line, 19, "pattern line in t.verbs");
}

#[test]
fn synsets_and_prepositional_patterns() {
    let c = coder();
    let t = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD scolded) (NP (NNP Quellmark)) (PP (IN over) (NP (JJ gold) (NNS coins)))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["ZAR QUE 112"]);
    let t2 = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD attacked) (NP (NNP Quellmark)) (PP (IN with) (NP (NNS rockets)))) (. .)))";
    assert_eq!(triples(&c, t2, None), vec!["ZAR QUE 195"]);
    // a prepositional source: ASK * FOR HELP FROM $
    let t3 = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD asked) (PP (IN for) (NP (NP (NN help)) (PP (IN from) (NP (NNP Quellmark)))))) (. .)))";
    assert_eq!(triples(&c, t3, None), vec!["QUE ZAR 020"]);
}

#[test]
fn negation_pattern_and_flag() {
    let c = coder();
    let t = "(ROOT (S (NP (NNP Zarovia)) (VP (MD will) (RB not) (VP (VB criticize) (NP (NNP Quellmark)))) (. .)))";
    let ev = c.code(&sent(t), None);
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].code, "113", "the synset pattern with WILL NOT wins");
    // the pattern spells the negation out: the refusal is the event, not a negated one
    assert!(!ev[0].negated);
    assert!(ev[0].negation_in_pattern);
    let t2 = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD scolded) (NP (NNP Quellmark))) (. .)))";
    assert!(!c.code(&sent(t2), None)[0].negated);
    // a negation no pattern consumed still marks the event negated
    let t3 = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD did) (RB not) (VP (VB greet) (NP (NNP Quellmark)))) (. .)))";
    let ev3 = c.code(&sent(t3), None);
    assert!(!ev3.is_empty());
    assert!(ev3.iter().all(|e| e.negated && !e.negation_in_pattern));
}

#[test]
fn multiword_verb() {
    let c = coder();
    let t = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD cordoned) (PRT (RP off)) (NP (NNP Quellmark))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["ZAR QUE 192"]);
    let t2 = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD cordoned) (NP (NNP Quellmark))) (. .)))";
    assert!(triples(&c, t2, None).is_empty(), "the particle is required");
}

#[test]
fn reported_speech_keeps_the_reported_event() {
    let c = coder();
    // "Quellmark said Zarovia attacked Brindor Hills"
    let t = "(ROOT (S (NP (NNP Quellmark)) (VP (VBD said) (SBAR (S (NP (NNP Zarovia)) (VP (VBD attacked) (NP (NNP Brindor) (NNP Hills)))))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["ZAR BRH 190"]);
    // with no event below, the statement itself is coded
    let t2 = "(ROOT (S (NP (NNP Quellmark)) (VP (VBD said) (SBAR (S (NP (NNP Zarovia)) (VP (VBD slept))))) (. .)))";
    assert_eq!(triples(&c, t2, None), vec!["QUE ZAR 010"]);
}

#[test]
fn adverbial_clauses_are_not_reported_speech() {
    let c = coder();
    // "Quellmark said Zarovia ... after Brindor Hills attacked Old Ortan": the statement keeps
    // its event and swallows the verb of its adverbial clause
    let t = "(ROOT (S (NP (NNP Quellmark)) (VP (VBD said) (NP (NNP Zarovia)) (SBAR (IN after) (S (NP (NNP Brindor) (NNP Hills)) (VP (VBD attacked) (NP (NNP Old) (NNP Ortan)))))) (. .)))";
    assert_eq!(triples(&c, t, Some((2005, 1, 1))), vec!["QUE ZAR 010"]);
}

#[test]
fn embedded_infinitive_takes_the_higher_subject() {
    let c = coder();
    // "Zarovia is about to attack Quellmark"
    let t = "(ROOT (S (NP (NNP Zarovia)) (VP (VBZ is) (ADJP (IN about) (S (VP (TO to) (VP (VB attack) (NP (NNP Quellmark))))))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["ZAR QUE 190"]);
}

#[test]
fn require_dyad_and_null_targets() {
    let c = coder();
    let t = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD attacked) (NP (DT the) (NN village))) (. .)))";
    assert!(triples(&c, t, None).is_empty());
    let mut o = CoderOptions::default();
    o.set("require_dyad", "false");
    let ev = c.code_full(&sent(t), None, &o).events;
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].triple(), ("ZAR".into(), "---".into(), "190".into()));
}

#[test]
fn discards_drop_the_sentence() {
    let c = coder();
    let t = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD attacked) (NP (NNP Quellmark)) (PP (IN at) (NP (DT the) (NN chess) (NN final)))) (. .)))";
    let r = c.code_full(&sent(t), None, c.options());
    assert!(r.events.is_empty());
    assert_eq!(r.discard.as_ref().map(|d| d.story), Some(false));
    let t2 = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD attacked) (NP (NNP Quellmark)) (PP (IN at) (NP (NNS tiddlywinks)))) (. .)))";
    assert_eq!(
        c.code_full(&sent(t2), None, c.options())
            .discard
            .map(|d| d.story),
        Some(true)
    );
}

#[test]
fn issues_are_counted_for_coded_sentences() {
    let c = coder();
    let t = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD scolded) (NP (NNP Quellmark)) (PP (IN over) (NP (DT the) (NNS droughts)))) (. .)))";
    let r = c.code_full(&sent(t), None, c.options());
    assert_eq!(r.issues, vec![("WATER".to_string(), 1)]);
}

#[test]
fn spans_point_at_the_words() {
    let c = coder();
    let t = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD scolded) (NP (NNP Quellmark))) (. .)))";
    let ev = &c.code(&sent(t), None)[0];
    assert_eq!(ev.source.as_ref().map(|a| a.span), Some((0, 1)));
    assert_eq!(ev.verb_span, (1, 2));
    assert_eq!(ev.target.as_ref().map(|a| a.span), Some((2, 3)));
}

#[test]
fn ud_parse_codes_like_the_tree() {
    let c = coder();
    // Zarovia 's minister scolded Quellmark .
    let s = ParsedSentence::from_vectors(
        &["Zarovia", "'s", "minister", "scolded", "Quellmark", "."],
        &["NNP", "POS", "NN", "VBD", "NNP", "."],
        &["Zarovia", "'s", "minister", "scold", "Quellmark", "."],
        &[3, 1, 4, 0, 4, 4],
        &["nmod:poss", "case", "nsubj", "root", "obj", "punct"],
    )
    .expect("valid vectors");
    let ev = c.code(&s, None);
    assert_eq!(ev.len(), 1);
    assert_eq!(
        ev[0].triple(),
        ("ZARGOV".into(), "QUE".into(), "111".into())
    );
    // coordination in UD (v2: cc on the second conjunct)
    let s2 = ParsedSentence::from_vectors(
        &["Zarovia", "and", "Quellmark", "attacked", "Old", "Ortan"],
        &["NNP", "CC", "NNP", "VBD", "NNP", "NNP"],
        &["Zarovia", "and", "Quellmark", "attack", "Old", "Ortan"],
        &[4, 3, 1, 0, 6, 4],
        &["nsubj", "cc", "conj", "root", "compound", "obj"],
    )
    .expect("valid vectors");
    let mut v: Vec<_> = c
        .code(&s2, chrono::NaiveDate::from_ymd_opt(2001, 1, 1))
        .iter()
        .map(|e| e.triple().0)
        .collect();
    v.sort();
    assert_eq!(v, vec!["QUE", "ZAR"]);
}

/// Country inference for country-less agents: a coder whose dictionaries know the
/// governments of Zarovia and Quellmark (so both are country roots).
fn inferring_coder(infer: bool) -> Coder {
    let mut d = Dictionaries::empty();
    d.add_verbs(VERBS, "t.verbs");
    d.add_actors(
        "ZAROVIA [ZAR]\n+ZAROVIAN\nZAROVIA_CABINET [ZARGOV]\nQUELLMARK [QUE]\nQUELLMARK_CABINET [QUEGOV]\n",
        "t.actors",
    );
    d.add_agents(
        "MINISTER [~GOV]\nOFFICIALS [~GOV]\nSOLDIER [~MIL]\nJUDGE [~JUD]\n",
        "t.agents",
    );
    let opts = CoderOptions {
        infer_country: infer,
        ..CoderOptions::default()
    };
    Coder::new(d, opts)
}

#[test]
fn country_less_agent_takes_the_one_country_named() {
    let c = inferring_coder(true);
    // the country named outside the other party (a place): the minister is Zarovian
    let t = "(ROOT (S (NP (DT The) (NN minister)) (VP (VBD scolded) (NP (DT the) (NN soldier)) (PP (IN at) (NP (NP (DT a) (NN rally)) (PP (IN in) (NP (NNP Zarovia)))))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["ZARGOV ---MIL 111"]);
    // switched off (PETRARCH behaviour), nothing is inferred
    assert_eq!(
        triples(&inferring_coder(false), t, None),
        vec!["---GOV ---MIL 111"]
    );
    // two countries named: ambiguous, nothing inferred
    let t2 = "(ROOT (S (NP (DT The) (NN minister)) (VP (VBD scolded) (NP (NNP Quellmark)) (PP (IN at) (NP (NP (DT a) (NN rally)) (PP (IN in) (NP (NNP Zarovia)))))) (. .)))";
    assert_eq!(triples(&c, t2, None), vec!["---GOV QUE 111"]);
}

#[test]
fn country_inference_guards_the_other_party_and_armed_agents() {
    let c = inferring_coder(true);
    // the only country is the other party, a bare state: says nothing of the minister
    let t = "(ROOT (S (NP (DT The) (NN minister)) (VP (VBD scolded) (NP (NNP Quellmark))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["---GOV QUE 111"]);
    // a government agent acting on the other country's officials: not inferred either
    let t2 = "(ROOT (S (NP (DT The) (NN minister)) (VP (VBD scolded) (NP (JJ Zarovian) (NNS officials))) (. .)))";
    assert_eq!(triples(&c, t2, None), vec!["---GOV ZARGOV 111"]);
    // a court acting on that country's officials: its jurisdiction
    let t3 = "(ROOT (S (NP (DT The) (NN judge)) (VP (VBD scolded) (NP (JJ Zarovian) (NNS officials))) (. .)))";
    assert_eq!(triples(&c, t3, None), vec!["ZARJUD ZARGOV 111"]);
    // armed agents are never given a country this way
    let t4 = "(ROOT (S (NP (DT The) (NN soldier)) (VP (VBD scolded) (NP (DT the) (NN minister)) (PP (IN in) (NP (NNP Zarovia)))) (. .)))";
    let got = triples(&c, t4, None);
    assert!(got.iter().all(|x| x.starts_with("---MIL")), "{got:?}");
}

#[test]
fn country_inference_reads_only_the_agents_clause_and_those_above_it() {
    let c = inferring_coder(true);
    // the only country is named in a clause beside the agent's (what the scolding came
    // after): it is the topic, not where the minister belongs
    let t = "(ROOT (S (NP (DT The) (NN minister)) (VP (VBD scolded) (NP (DT the) (NN soldier)) (SBAR (IN after) (S (NP (NN unrest)) (VP (VBD spread) (PP (IN in) (NP (NNP Zarovia))))))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["---GOV ---MIL 111"]);
    // the same clause as a complement of the agent's verb phrase ("scolded … for letting
    // unrest spread in Zarovia"): still a clause below the agent's
    let t2 = "(ROOT (S (NP (DT The) (NN minister)) (VP (VBD scolded) (NP (DT the) (NN soldier)) (PP (IN for) (S (VP (VBG letting) (S (NP (NN unrest)) (VP (VB spread) (PP (IN in) (NP (NNP Zarovia))))))))) (. .)))";
    assert_eq!(triples(&c, t2, None), vec!["---GOV ---MIL 111"]);
    // named in a clause above the agent's (the report's setting): the minister is Zarovian
    let t3 = "(ROOT (S (PP (IN At) (NP (NP (DT a) (NN rally)) (PP (IN in) (NP (NNP Zarovia))))) (, ,) (NP (DT the) (NN crowd)) (VP (VBD heard) (SBAR (IN that) (S (NP (DT the) (NN minister)) (VP (VBD scolded) (NP (DT the) (NN soldier)))))) (. .)))";
    assert_eq!(triples(&c, t3, None), vec!["ZARGOV ---MIL 111"]);
}

#[test]
fn target_slot_passes_over_phrases_without_an_actor_code() {
    let mut d = Dictionaries::empty();
    d.add_verbs(
        "--- FIRE [190] ---\nFIRE\n- * SHELLS AT + [194]\n- * SHELLS [195]\n",
        "t.verbs",
    );
    d.add_actors(ACTORS, "t.actors");
    let c = Coder::new(d, CoderOptions::default());
    // a final "+" fell on the uncoded "targets": the less specific pattern takes the coded place
    let t = "(ROOT (S (NP (JJ Zarovian) (NNS tanks)) (VP (VBD fired) (NP (NNS shells)) (PP (IN at) (NP (NNS targets))) (PP (IN in) (NP (NNP Quellmark)))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["ZAR QUE 195"]);
}

#[test]
fn open_target_slot_skips_an_uncoded_time_phrase() {
    let mut d = Dictionaries::empty();
    d.add_verbs(
        "--- SAY [010] ---\nSAY {SAID}\n- * + MUST [100]\n",
        "t.verbs",
    );
    d.add_actors(ACTORS, "t.actors");
    let c = Coder::new(d, CoderOptions::default());
    // "Zarovia said on Monday that Quellmark must pay": "+" is Quellmark, not "Monday"
    let t = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD said) (PP (IN on) (NP (NNP Monday))) (SBAR (IN that) (S (NP (NNP Quellmark)) (VP (MD must) (VP (VB pay)))))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["ZAR QUE 100"]);
    // it passes over one such phrase, not two: a farther phrase is seldom the target
    let t2 = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD said) (PP (IN on) (NP (NNP Monday))) (PP (IN in) (NP (DT a) (NN statement))) (SBAR (IN that) (S (NP (NNP Quellmark)) (VP (MD must) (VP (VB pay)))))) (. .)))";
    assert_eq!(triples(&c, t2, None), vec!["ZAR QUE 010"]);
}

#[test]
fn a_lower_case_word_is_not_the_abbreviation_it_spells() {
    let mut d = Dictionaries::empty();
    d.add_verbs(VERBS, "t.verbs");
    d.add_actors(
        &format!("{ACTORS}\nCARMINIAN_REPUBLIC [CMR]\n+CAR\n+US\n"),
        "t.actors",
    );
    d.add_agents(AGENTS, "t.agents");
    let c = Coder::new(d, CoderOptions::default());
    // the abbreviation, capitalised, names the country
    let t = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD scolded) (NP (NNP CAR))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["ZAR CMR 111"]);
    // the same letters in lower case are the English words "car" and "us"
    let t2 = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD scolded) (NP (DT the) (NN car))) (. .)))";
    assert!(triples(&c, t2, None).is_empty());
    let t3 = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD scolded) (NP (PRP us))) (. .)))";
    assert!(triples(&c, t3, None).is_empty());
    // a longer phrase is matched whatever its case ("carminian republic")
    let t4 = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD scolded) (NP (DT the) (JJ carminian) (NN republic))) (. .)))";
    assert_eq!(triples(&c, t4, None), vec!["ZAR CMR 111"]);
}

#[test]
fn a_statement_yields_to_the_participle_that_says_what_it_is() {
    let mut d = Dictionaries::empty();
    d.add_verbs(
        "--- SAY [010] ---\nSAY {SAID}\nISSUE\n\n--- SCOLD [111] ---\nSCOLD\n",
        "t.verbs",
    );
    d.add_actors(ACTORS, "t.actors");
    let c = Coder::new(d.clone(), CoderOptions::default());
    // "Zarovia issued a statement scolding Quellmark": the scolding, not a bare statement
    let t = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD issued) (NP (DT a) (NN statement)) (S (VP (VBG scolding) (NP (NNP Quellmark))))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["ZAR QUE 111"]);
    // a progressive ("are scolding") is a finite verb whose subject the parse lost, not a
    // participle clause of the statement: the statement stays
    let t2 = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD said) (NP (DT the) (NNS talks)) (S (VP (VBP are) (VBG scolding) (NP (NNP Quellmark))))) (. .)))";
    assert_eq!(triples(&c, t2, None), vec!["ZAR QUE 010"]);
    // without the rule (PETRARCH behaviour) the statement verb swallows the participle
    let plain = Coder::new(
        d,
        CoderOptions {
            reported_speech_lower_wins: false,
            ..CoderOptions::default()
        },
    );
    assert_eq!(triples(&plain, t, None), vec!["ZAR QUE 010"]);
}

#[test]
fn a_statement_pattern_found_only_inside_the_reported_clause_yields_to_its_event() {
    let mut d = Dictionaries::empty();
    d.add_verbs(
        "--- SAY [010] ---\nSAY {SAID}\n- * DEMAND [100]\n- * CONCERNED [012]\n\n--- SCOLD [111] ---\nSCOLD\n",
        "t.verbs",
    );
    d.add_actors(ACTORS, "t.actors");
    let c = Coder::new(d, CoderOptions::default());
    // "Zarovia said Quellmark scolded Brindor Hills over the demand": the scolding
    let t = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD said) (S (NP (NNP Quellmark)) (VP (VBD scolded) (NP (NNP Brindor) (NNP Hills)) (PP (IN over) (NP (DT the) (NN demand)))))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["QUE BRH 111"]);
    // the word before the reported clause is the statement's own: "said in a demand that ..."
    let t2 = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD said) (PP (IN in) (NP (DT a) (NN demand))) (SBAR (IN that) (S (NP (NNP Quellmark)) (VP (VBD scolded) (NP (NNP Brindor) (NNP Hills)))))) (. .)))";
    assert_eq!(triples(&c, t2, None), vec!["QUE BRH 111", "ZAR QUE 100"]);
    // a reported clause without an event of its own leaves the statement's pattern alone
    let t3 = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD said) (S (NP (NNP Quellmark)) (VP (VBZ remains) (ADJP (JJ concerned))))) (. .)))";
    assert_eq!(triples(&c, t3, None), vec!["ZAR QUE 012"]);
}

#[test]
fn a_statement_pattern_whose_target_is_deep_in_the_reported_clause_yields_too() {
    let mut d = Dictionaries::empty();
    d.add_verbs(
        "--- SAY [010] ---\nSAY {SAID}\n- * + MUST [100]\n- * SANCTIONS AGAINST + [163]\n\n--- SCOLD [111] ---\nSCOLD\n",
        "t.verbs",
    );
    d.add_actors(ACTORS, "t.actors");
    let c = Coder::new(d, CoderOptions::default());
    // "+" deep inside the clause: "said Quellmark scolded the sanctions against Brindor Hills"
    let t = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD said) (S (NP (NNP Quellmark)) (VP (VBD scolded) (NP (NP (DT the) (NNS sanctions)) (PP (IN against) (NP (NNP Brindor) (NNP Hills))))))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["QUE BRH 111"]);
    // "+" on the clause's subject: "said Quellmark must scold Brindor Hills" is a demand on it
    let t2 = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD said) (S (NP (NNP Quellmark)) (VP (MD must) (VP (VB scold) (NP (NNP Brindor) (NNP Hills)))))) (. .)))";
    assert!(
        triples(&c, t2, None).contains(&"ZAR QUE 100".to_string()),
        "{:?}",
        triples(&c, t2, None)
    );
}

#[test]
fn a_quantity_head_is_coded_as_its_of_phrase() {
    let mut d = Dictionaries::empty();
    d.add_verbs(VERBS, "t.verbs");
    d.add_actors(ACTORS, "t.actors");
    d.add_agents(AGENTS, "t.agents");
    let c = Coder::new(d, CoderOptions::default());
    // "Dozens of soldiers attacked Quellmark": the soldiers, not an uncoded "dozens"
    let t = "(ROOT (S (NP (NP (NNS Dozens)) (PP (IN of) (NP (NNS soldiers)))) (VP (VBD attacked) (NP (NNP Quellmark))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["---MIL QUE 190"]);
    // nested quantities: "hundreds of thousands of Zarovian soldiers"
    let t2 = "(ROOT (S (NP (NP (NNS Hundreds)) (PP (IN of) (NP (NP (NNS thousands)) (PP (IN of) (NP (JJ Zarovian) (NNS soldiers)))))) (VP (VBD attacked) (NP (NNP Quellmark))) (. .)))";
    assert_eq!(triples(&c, t2, None), vec!["ZARMIL QUE 190"]);
    // a head that is not a quantity keeps its own (missing) code: "the rally of soldiers"
    let t3 = "(ROOT (S (NP (NP (DT The) (NN rally)) (PP (IN of) (NP (NNS soldiers)))) (VP (VBD attacked) (NP (NNP Quellmark))) (. .)))";
    assert!(triples(&c, t3, None).is_empty());
}

#[test]
fn a_prefix_agent_follows_a_state_code() {
    let dicts = || {
        let mut d = Dictionaries::empty();
        d.add_verbs(VERBS, "t.verbs");
        d.add_actors(
            "ZAROVIA [ZAR]\n+ZAROVIAN\nZAROVIA_CABINET [ZARGOV]\nQUELLMARK [QUE]\n",
            "t.actors",
        );
        d.add_agents(AGENTS, "t.agents");
        d
    };
    // "The Zarovian relief corps scolded Quellmark": a domestic organisation, ZAR + RLF
    let t = "(ROOT (S (NP (DT The) (JJ Zarovian) (NN relief) (NN corps)) (VP (VBD scolded) (NP (NNP Quellmark))) (. .)))";
    let c = Coder::new(dicts(), CoderOptions::default());
    assert_eq!(triples(&c, t, None), vec!["ZARRLF QUE 111"]);
    // PETRARCH order when switched off
    let plain = Coder::new(
        dicts(),
        CoderOptions {
            country_first: false,
            ..CoderOptions::default()
        },
    );
    assert_eq!(triples(&plain, t, None), vec!["RLFZAR QUE 111"]);
    // a code that is not a state's (Quellmark has no government entry) keeps the prefix first
    let t2 = "(ROOT (S (NP (DT The) (NNP Quellmark) (NN relief) (NN corps)) (VP (VBD scolded) (NP (NNP Zarovia))) (. .)))";
    assert_eq!(triples(&c, t2, None), vec!["RLFQUE ZAR 111"]);
}

#[test]
fn a_main_verb_tagged_as_a_participle_still_codes() {
    let c = coder();
    // "Zarovian soldiers in the hills attacked Quellmark ." with "attacked" read as a
    // participle modifying "hills" and the sentence rooted at "soldiers"
    let s = ParsedSentence::from_vectors(
        &[
            "Zarovian",
            "soldiers",
            "in",
            "the",
            "hills",
            "attacked",
            "Quellmark",
            ".",
        ],
        &["JJ", "NNS", "IN", "DT", "NNS", "VBN", "NNP", "."],
        &[
            "Zarovian",
            "soldier",
            "in",
            "the",
            "hill",
            "attack",
            "Quellmark",
            ".",
        ],
        &[2, 0, 5, 5, 2, 5, 6, 2],
        &["amod", "root", "case", "det", "nmod", "acl", "obj", "punct"],
    )
    .expect("valid vectors");
    let ev = c.code(&s, None);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(
        ev[0].triple(),
        ("ZARMIL".into(), "QUE".into(), "190".into())
    );
}

#[test]
fn an_agentless_arrest_is_the_state_of_the_place_acting_on_the_subject() {
    let dicts = || {
        let mut d = Dictionaries::empty();
        d.add_verbs(
            "--- ARREST [173] ---\nARREST\n- * + [173]\n\n--- ATTACK [190] ---\nATTACK\n",
            "t.verbs",
        );
        d.add_actors(
            "ZAROVIA [ZAR]\nZAROVIA_CABINET [ZARGOV]\nQUELLMARK [QUE]\nQUELLMARK_CABINET [QUEGOV]\n",
            "t.actors",
        );
        d.add_agents(AGENTS, "t.agents");
        d
    };
    let c = Coder::new(dicts(), CoderOptions::default());
    // "A Quellmark minister was arrested in Zarovia": Zarovia arrested the minister
    let t = "(ROOT (S (NP (DT A) (NNP Quellmark) (NN minister)) (VP (VBD was) (VP (VBN arrested) (PP (IN in) (NP (NNP Zarovia))))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["ZAR QUEGOV 173"]);
    // no state named as the place: the arrest has no known source
    let t2 = "(ROOT (S (NP (DT A) (NNP Quellmark) (NN minister)) (VP (VBD was) (VP (VBN arrested) (PP (IN in) (NP (DT a) (NN hotel))))) (. .)))";
    assert!(triples(&c, t2, None).is_empty());
    // with an agent the agent stays the source
    let t3 = "(ROOT (S (NP (DT A) (NNP Quellmark) (NN minister)) (VP (VBD was) (VP (VBN arrested) (PP (IN by) (NP (NNP Zarovia))))) (. .)))";
    assert_eq!(triples(&c, t3, None), vec!["ZAR QUEGOV 173"]);
    // PETRARCH behaviour when switched off: the subject is the source
    let plain = Coder::new(
        dicts(),
        CoderOptions {
            agentless_passive: false,
            ..CoderOptions::default()
        },
    );
    assert_eq!(triples(&plain, t, None), vec!["QUEGOV ZAR 173"]);
}

#[test]
fn a_pronoun_with_no_actor_before_it_refers_to_the_agent_phrase() {
    let mut d = Dictionaries::empty();
    d.add_verbs(VERBS, "t.verbs");
    d.add_actors(ACTORS, "t.actors");
    d.add_agents(AGENTS, "t.agents");
    let c = Coder::new(d, CoderOptions::default());
    // "The minister said he scolded Quellmark": "he" is the minister
    let t = "(ROOT (S (NP (DT The) (NN minister)) (VP (VBD said) (SBAR (S (NP (PRP he)) (VP (VBD scolded) (NP (NNP Quellmark)))))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["---GOV QUE 111"]);
    // an actor before the pronoun still wins: "Zarovia's minister said it scolded Quellmark"
    let t2 = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD said) (PP (IN after) (NP (DT the) (NN minister))) (SBAR (S (NP (PRP it)) (VP (VBD scolded) (NP (NNP Quellmark)))))) (. .)))";
    assert_eq!(triples(&c, t2, None), vec!["ZAR QUE 111"]);
    // "we" is the speaker's side, not the phrase before it
    let t3 = "(ROOT (S (NP (DT The) (NN minister)) (VP (VBD said) (SBAR (S (NP (PRP we)) (VP (VBD scolded) (NP (NNP Quellmark)))))) (. .)))";
    let got = triples(&c, t3, None);
    assert!(got.iter().all(|x| !x.ends_with(" 111")), "{got:?}");
}

#[test]
fn coordinated_name_modifiers_share_their_noun() {
    let c = coder();
    // "The Zarovian and Quellmark ministers scolded Brindor Hills": two sources
    let t = "(ROOT (S (NP (DT The) (JJ Zarovian) (CC and) (NNP Quellmark) (NNS ministers)) (VP (VBD scolded) (NP (NNP Brindor) (NNP Hills))) (. .)))";
    assert_eq!(
        triples(&c, t, None),
        vec!["QUEGOV BRH 111", "ZARGOV BRH 111"]
    );
    // lower-case modifiers are not names: "the old and new ministers" is one agent phrase
    let t2 = "(ROOT (S (NP (DT The) (JJ old) (CC and) (JJ new) (NNS ministers)) (VP (VBD scolded) (NP (NNP Brindor) (NNP Hills))) (. .)))";
    assert_eq!(triples(&c, t2, None), vec!["---GOV BRH 111"]);
}

#[test]
fn each_member_of_a_compound_carries_its_own_span() {
    let c = coder();
    // "Zarovia and Quellmark scolded Brindor Hills": spans [0,1) and [2,3), not [0,3)
    let t = "(ROOT (S (NP (NP (NNP Zarovia)) (CC and) (NP (NNP Quellmark))) (VP (VBD scolded) (NP (NNP Brindor) (NNP Hills))) (. .)))";
    let mut spans: Vec<(String, (u32, u32))> = c
        .code(&sent(t), None)
        .iter()
        .filter_map(|e| e.source.as_ref().map(|a| (a.code.clone(), a.span)))
        .collect();
    spans.sort();
    assert_eq!(
        spans,
        vec![("QUE".to_string(), (2, 3)), ("ZAR".to_string(), (0, 1))]
    );
}

#[test]
fn actor_spans_leave_out_edge_punctuation_and_conjunctions() {
    let c = coder();
    // a parse that hangs the comma and the quote mark inside the subject and object phrases:
    // "`` Zarovia , scolded Quellmark ,": the spans are the names alone
    let t = "(ROOT (S (NP (`` ``) (NNP Zarovia) (, ,)) (VP (VBD scolded) (NP (CC and) (NNP Quellmark) (, ,))) (. .)))";
    let ev = c.code(&sent(t), None);
    let e = ev.first().expect("an event");
    assert_eq!(e.source.as_ref().map(|a| a.span), Some((1, 2)));
    assert_eq!(e.target.as_ref().map(|a| a.span), Some((5, 6)));
}

/// Compound subjects are coded against each other only in a reciprocal construction
/// (coder/mutual.rs).
mod mutual {
    use super::*;

    const TOWN: &str = "(ROOT (S (NP (NNP Zarovia) (CC and) (NNP Quellmark)) (VP (VBD attacked) (NP (DT the) (NN town)) (PP (IN on) (NP (NNP Monday)))) (. .)))";

    #[test]
    fn a_joint_attack_on_a_non_actor_is_not_an_attack_on_each_other() {
        // "Zarovia and Quellmark attacked the town on Monday": co-agents, no target
        assert_eq!(triples(&coder(), TOWN, None), Vec::<String>::new());
        // PETRARCH's rule when switched off: any compound source without a target pairs
        let mut d = Dictionaries::empty();
        d.add_verbs(VERBS, "t.verbs");
        d.add_actors(ACTORS, "t.actors");
        d.add_agents(AGENTS, "t.agents");
        let plain = Coder::new(
            d,
            CoderOptions {
                mutual_needs_reciprocal: false,
                ..CoderOptions::default()
            },
        );
        assert_eq!(
            triples(&plain, TOWN, None),
            vec!["QUE ZAR 190", "ZAR QUE 190"]
        );
    }

    #[test]
    fn cooperative_interaction_pairs_the_members_whatever_its_object() {
        // "Zarovia and Quellmark discussed security cooperation": the object is the topic
        let t = "(ROOT (S (NP (NNP Zarovia) (CC and) (NNP Quellmark)) (VP (VBD discussed) (NP (NN security) (NN cooperation))) (. .)))";
        assert_eq!(
            triples(&coder(), t, None),
            vec!["QUE ZAR 040", "ZAR QUE 040"]
        );
    }

    #[test]
    fn an_explicit_reciprocal_pairs_any_event() {
        // "Zarovia and Quellmark scolded each other"
        let t = "(ROOT (S (NP (NNP Zarovia) (CC and) (NNP Quellmark)) (VP (VBD scolded) (NP (DT each) (JJ other))) (. .)))";
        assert_eq!(
            triples(&coder(), t, None),
            vec!["QUE ZAR 111", "ZAR QUE 111"]
        );
        // inside a clause embedded below the verb it does not count: "Zarovia and
        // Quellmark attacked the town that the rebels shared with each other"
        let t2 = "(ROOT (S (NP (NNP Zarovia) (CC and) (NNP Quellmark)) (VP (VBD attacked) (NP (NP (DT the) (NN town)) (SBAR (WHNP (WDT that)) (S (NP (DT the) (NNS rebels)) (VP (VBD shared) (PP (IN with) (NP (DT each) (JJ other)))))))) (. .)))";
        assert_eq!(triples(&coder(), t2, None), Vec::<String>::new());
    }

    #[test]
    fn a_symmetric_verb_pairs_the_members_only_without_an_object() {
        let c = coder();
        // "Zarovian and Quellmark soldiers clashed on Monday"
        let t = "(ROOT (S (NP (JJ Zarovian) (CC and) (NNP Quellmark) (NNS soldiers)) (VP (VBD clashed) (PP (IN on) (NP (NNP Monday)))) (. .)))";
        assert_eq!(
            triples(&c, t, None),
            vec!["QUEMIL ZARMIL 190", "ZARMIL QUEMIL 190"]
        );
        // a temporal noun phrase is not an object: "… clashed Monday"
        let t2 = "(ROOT (S (NP (JJ Zarovian) (CC and) (NNP Quellmark) (NNS soldiers)) (VP (VBD clashed) (NP (NNP Monday))) (. .)))";
        assert_eq!(
            triples(&c, t2, None),
            vec!["QUEMIL ZARMIL 190", "ZARMIL QUEMIL 190"]
        );
        // "… fought Brindor Hills": the object is the other side, the `%` pattern is
        // passed over for "* +"
        let t3 = "(ROOT (S (NP (JJ Zarovian) (CC and) (NNP Quellmark) (NNS soldiers)) (VP (VBD fought) (NP (NNP Brindor) (NNP Hills))) (. .)))";
        assert_eq!(
            triples(&c, t3, None),
            vec!["QUEMIL BRH 190", "ZARMIL BRH 190"]
        );
        // an object the members share is between them: "… fought their war"
        let t4 = "(ROOT (S (NP (JJ Zarovian) (CC and) (NNP Quellmark) (NNS soldiers)) (VP (VBD fought) (NP (PRP$ their) (NN war))) (. .)))";
        assert_eq!(
            triples(&c, t4, None),
            vec!["QUEMIL ZARMIL 190", "ZARMIL QUEMIL 190"]
        );
    }

    #[test]
    fn the_subject_of_a_passive_is_not_paired() {
        // "Zarovia and Quellmark were attacked": they suffered it
        let t = "(ROOT (S (NP (NNP Zarovia) (CC and) (NNP Quellmark)) (VP (VBD were) (VP (VBN attacked))) (. .)))";
        assert_eq!(triples(&coder(), t, None), Vec::<String>::new());
        // a compound `by` agent still does: "the treaty was discussed by Zarovia and Quellmark"
        let t2 = "(ROOT (S (NP (DT the) (NN treaty)) (VP (VBD was) (VP (VBN discussed) (PP (IN by) (NP (NNP Zarovia) (CC and) (NNP Quellmark))))) (. .)))";
        assert_eq!(
            triples(&coder(), t2, None),
            vec!["QUE ZAR 040", "ZAR QUE 040"]
        );
    }
}

#[test]
fn a_passive_light_verb_reads_its_event_noun_in_the_subject() {
    let c = coder();
    // "The raid on Quellmark was staged by Zarovia": Zarovia staged the raid on Quellmark
    let t = "(ROOT (S (NP (NP (DT The) (NN raid)) (PP (IN on) (NP (NNP Quellmark)))) (VP (VBD was) (VP (VBN staged) (PP (IN by) (NP (NNP Zarovia))))) (. .)))";
    assert_eq!(triples(&c, t, None), vec!["ZAR QUE 190"]);
    // the active form codes the same
    let t2 = "(ROOT (S (NP (NNP Zarovia)) (VP (VBD staged) (NP (NP (DT a) (NN raid)) (PP (IN on) (NP (NNP Quellmark))))) (. .)))";
    assert_eq!(triples(&c, t2, None), vec!["ZAR QUE 190"]);
    // no `by` agent: no known source, no event
    let t3 = "(ROOT (S (NP (NP (DT The) (NN raid)) (PP (IN on) (NP (NNP Quellmark)))) (VP (VBD was) (VP (VBN staged) (PP (IN in) (NP (NNP Brindor) (NNP Hills))))) (. .)))";
    assert_eq!(triples(&c, t3, None), Vec::<String>::new());
}
