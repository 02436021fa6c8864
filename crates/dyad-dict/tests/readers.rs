//! Each reader on small samples written for these tests, including the
//! bad-line cases and their `file:line: cause` reports.

use chrono::NaiveDate;
use dyad_dict::actors::{self, parse_date};
use dyad_dict::agents::{self, AgentPosition, PluralSpec};
use dyad_dict::discards::{self, DiscardScope};
use dyad_dict::issues;
use dyad_dict::verbs::{self, Term, Token, TransformCode, TreeElem, Var, VerbRef};
use dyad_dict::{codebooks, DateKind, DateSemantics, Diagnostic, EventCode, Severity};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn shown(diags: &[Diagnostic]) -> Vec<String> {
    diags.iter().map(|d| d.to_string()).collect()
}

const P1_VERBS: &str = "\
<!-- sample verbs for dyad's tests -->
&FRUIT
+APPLE
+PLUM_TREE_
+CHERRY

&MOVE_
+WALK
+RUN

--- GREET  [010] ---
GREET   # the primary verb
SALUTE {SALUTES SALUTED SALUTING} [013:012]
WAVE_+AT
+SHAKE_HANDS {+SHOOK_HANDS +SHAKEN_HANDS +SHAKES_HANDS +SHAKING_HANDS}
- $ * + WITH &FRUIT [042]  # with fruit
- * +_WARMLY [043]
- % * TOGETHER [:041]
- ^ * NOT_AT_ALL [---]

--- IGNORE ---
IGNORE
- * + COMPLETELY [###]
";

#[test]
fn p1_verbs_read_blocks_verbs_patterns_and_synsets() {
    let (v, diags) = verbs::read_p1("v.txt", P1_VERBS.as_bytes(), codebooks::standard());
    assert!(diags.is_empty(), "{:?}", shown(&diags));
    assert_eq!(v.synsets.len(), 2);
    let fruit = v.synset("&FRUIT").expect("synset");
    let forms: Vec<String> = fruit.forms().iter().map(|p| p.to_string()).collect();
    assert_eq!(
        forms,
        ["APPLE", "APPLES", "PLUM TREE", "CHERRY", "CHERRIES"]
    );
    let mv = v.synset("&MOVE").expect("label without _");
    assert!(mv.no_plural);
    assert_eq!(mv.forms().len(), 2);

    assert_eq!(v.blocks.len(), 2);
    let b = &v.blocks[0];
    assert_eq!(&*b.name, "GREET");
    assert_eq!(b.code.to_string(), "010");
    assert_eq!(b.verbs.len(), 4);
    // regular forms of GREET
    let greet: Vec<String> = b.verbs[0]
        .forms()
        .iter()
        .map(|f| f.phrase.to_string())
        .collect();
    assert_eq!(greet, ["GREET", "GREETS", "GREETED", "GREETING"]);
    // own code with passive
    assert_eq!(b.code_of(&b.verbs[1]).to_string(), "013:012");
    assert_eq!(b.verbs[1].forms().len(), 4);
    // multi-word verb with its verb word second
    assert_eq!(b.verbs[2].base.phrase.as_str(), "WAVE AT");
    assert_eq!(b.verbs[2].base.verb(), "AT");
    let wave: Vec<String> = b.verbs[2]
        .forms()
        .iter()
        .map(|f| f.phrase.to_string())
        .collect();
    assert_eq!(wave, ["WAVE AT", "WAVE ATS", "WAVE ATED", "WAVE ATING"]);
    // irregular multi-word forms
    let shake = &b.verbs[3];
    assert_eq!(shake.base.verb(), "SHAKE");
    assert_eq!(shake.irregular.as_ref().map(Vec::len), Some(4));
    assert_eq!(shake.forms()[1].phrase.as_str(), "SHOOK HANDS");
    assert_eq!(b.code_of(&b.verbs[0]).to_string(), "010");

    assert_eq!(b.patterns.len(), 4);
    let p = &b.patterns[0];
    let toks: Vec<&Token> = p.elems.iter().map(|e| &e.token).collect();
    assert_eq!(
        toks,
        [
            &Token::Source,
            &Token::Verb,
            &Token::Target,
            &Token::Word("WITH".into()),
            &Token::Synset("&FRUIT".into())
        ]
    );
    assert_eq!(p.verb_index(), 1);
    assert_eq!(p.before().len(), 1);
    assert_eq!(p.after().len(), 3);
    assert_eq!(p.code.to_string(), "042");
    assert_eq!(p.comment.as_deref(), Some("with fruit"));
    assert_eq!(p.line, 16);
    // `_` joins are consecutive
    let p = &b.patterns[1];
    assert_eq!(p.elems[1].token, Token::Target);
    assert!(!p.elems[1].gap_after);
    assert!(p.elems[0].gap_after);
    assert!(b.patterns[2].code.inherently_passive());
    assert_eq!(b.patterns[2].elems[0].token, Token::Compound);
    assert_eq!(b.patterns[3].elems[0].token, Token::Skip);
    assert_eq!(b.patterns[3].code.active, Some(EventCode::Null));
    // header without code defaults to null; TABARI discard code kept
    assert_eq!(v.blocks[1].code.active, Some(EventCode::Null));
    assert_eq!(
        v.blocks[1].patterns[0].code.active,
        Some(EventCode::Discard)
    );
}

#[test]
fn p1_verbs_bad_lines_are_reported_and_skipped() {
    let src = "\
- * ORPHAN [010]
--- TALK [040] ---
TALK
- * WITH + [999]
- * ABOUT &NOSUCH [041]
- * TWICE * [041]
- * {A | B} [041]
- * NOCODE
- * FLAGGED [042!]
- *GLUED_TO [042]
--- BADBLOCK [77x7] ---
BADVERB
- * X [010]
--- NEXT [020] ---
NEXT [abc]
";
    let (v, diags) = verbs::read_p1("bad.verbs", src.as_bytes(), codebooks::standard());
    let s = shown(&diags);
    let has = |prefix: &str, needle: &str| {
        s.iter()
            .any(|l| l.starts_with(prefix) && l.contains(needle))
    };
    assert!(
        has("bad.verbs:1: ", "before any `---` block header"),
        "{s:?}"
    );
    assert!(
        has("bad.verbs:4: ", "999 is not in the CAMEO codebook"),
        "{s:?}"
    );
    assert!(has("bad.verbs:5: ", "undefined synset &NOSUCH"), "{s:?}");
    assert!(has("bad.verbs:6: ", "more than one `*`"), "{s:?}");
    assert!(has("bad.verbs:7: ", "TABARI disjunction"), "{s:?}");
    assert!(has("bad.verbs:8: ", "no [code]"), "{s:?}");
    assert!(has("bad.verbs:9: ", "undocumented `!` flag"), "{s:?}");
    assert!(has("bad.verbs:10: ", "`*` written against a word"), "{s:?}");
    assert!(has("bad.verbs:11: ", "77x7"), "{s:?}");
    assert!(has("bad.verbs:11: ", "block BADBLOCK skipped"), "{s:?}");
    assert!(
        has("bad.verbs:15: ", "abc is not in the CAMEO codebook"),
        "{s:?}"
    );
    // unknown codes are errors; the rest warnings
    let errors: Vec<u32> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.line)
        .collect();
    assert_eq!(errors, [4, 11, 11, 15]);
    // what survives: TALK with two patterns (flagged, glued); NEXT without its verb
    assert_eq!(v.blocks.len(), 2);
    assert_eq!(v.blocks[0].patterns.len(), 2);
    assert_eq!(v.blocks[0].patterns[0].code.to_string(), "042");
    let glued = &v.blocks[0].patterns[1];
    assert_eq!(glued.elems[0].token, Token::Verb);
    assert!(!glued.elems[0].gap_after, "glued means consecutive");
    assert_eq!(glued.elems[1].token, Token::Word("GLUED".into()));
    assert!(!glued.elems[1].gap_after);
    assert!(v.blocks[1].verbs.is_empty());
    // the legacy code is accepted by the suite's codebook
    let (_, diags) = verbs::read_p1(
        "bad.verbs",
        b"--- X [abc] ---\nX\n",
        codebooks::validate_suite(),
    );
    assert!(diags.is_empty());
}

const P2_VERBS: &str = "\
&ARMS
+RIFLE
+MISSILE

--- SEND [---] ---
SEND {SENT SENDING SENDS}
DISPATCH
- * {MILITARY &ARMS} (TO +) [072]  # SEND
- * (TO/FOR {PEACE TALKS}) [043]
- &ARMS * [190]
- * AID $ [070]

--- SAY [010] ---
SAY {SAID SAYING SAYS}

--- ATTACK [190] ---
ATTACK

~ a (a b ATTACK) SAY = a b 138
~ a (_ b Q) SAY = . b Q
";

#[test]
fn p2_verbs_read_tree_patterns_and_transformations() {
    let (v, diags) = verbs::read_p2("v2.txt", P2_VERBS.as_bytes(), codebooks::standard());
    assert!(diags.is_empty(), "{:?}", shown(&diags));
    let send = &v.blocks[0];
    assert_eq!(send.patterns.len(), 4);
    let p = &send.patterns[0];
    assert!(p.before.is_empty());
    assert_eq!(
        p.after,
        vec![
            TreeElem::Noun(vec![
                Term::Word("MILITARY".into()),
                Term::Synset("&ARMS".into())
            ]),
            TreeElem::Prep {
                preps: vec!["TO".into()],
                objects: vec![TreeElem::Target]
            }
        ]
    );
    let p = &send.patterns[1];
    match &p.after[0] {
        TreeElem::Prep { preps, objects } => {
            assert_eq!(preps.len(), 2);
            assert_eq!(objects.len(), 1);
        }
        other => panic!("expected a prepositional phrase, got {other:?}"),
    }
    assert_eq!(send.patterns[2].before.len(), 1);
    assert_eq!(
        send.patterns[3].after,
        vec![
            TreeElem::Noun(vec![Term::Word("AID".into())]),
            TreeElem::Source
        ]
    );
    assert_eq!(v.transformations.len(), 2);
    let t = &v.transformations[0];
    assert_eq!(t.upper_source, Var::Named("a".into()));
    assert_eq!(t.lower_verb, VerbRef::Named("ATTACK".into()));
    assert_eq!(t.upper_verb, VerbRef::Named("SAY".into()));
    assert_eq!(
        t.result_code,
        TransformCode::Code(EventCode::Cameo(dyad_dict::Code::new("138").unwrap()))
    );
    assert_eq!(t.line, 19);
    let t = &v.transformations[1];
    assert_eq!(t.lower_source, Var::Absent);
    assert_eq!(t.lower_verb, VerbRef::Any);
    assert_eq!(t.result_source, Var::Unspecified);
    assert_eq!(t.result_code, TransformCode::Lower);
    assert_eq!(
        verbs::detect_format(P2_VERBS.as_bytes()),
        verbs::VerbFormat::P2
    );
    assert_eq!(
        verbs::detect_format(P1_VERBS.as_bytes()),
        verbs::VerbFormat::P1
    );
}

#[test]
fn p2_verbs_bad_lines() {
    let src = "\
--- HIT [---] ---
HIT
- * (WITH {STICK) [190]
- *_HARD [190]
- * (BY ROCK)   ROCK) [190]
- NO VERB SLOT [190]
~ a (b c HIT) SAY = a b 999
~ a b c = x
";
    let (v, diags) = verbs::read_p2("v2.bad", src.as_bytes(), codebooks::standard());
    let s = shown(&diags);
    let has = |prefix: &str, needle: &str| {
        s.iter()
            .any(|l| l.starts_with(prefix) && l.contains(needle))
    };
    assert!(has("v2.bad:3: ", "pattern skipped"), "{s:?}");
    assert!(has("v2.bad:4: ", "`*` written against a word"), "{s:?}");
    assert!(has("v2.bad:5: ", "trailing text \"ROCK )\""), "{s:?}");
    assert!(has("v2.bad:6: ", "no `*`"), "{s:?}");
    assert!(
        has("v2.bad:7: ", "999 is not in the CAMEO codebook"),
        "{s:?}"
    );
    assert!(has("v2.bad:8: ", "not of the form"), "{s:?}");
    assert_eq!(v.blocks[0].patterns.len(), 2);
    assert!(v.transformations.is_empty());
}

const ACTORS: &str = "\
# sample actors for dyad's tests
GONDOR_ [GON]
+MINAS_TIRITH_
+WHITE CITY

DENETHOR_  ; steward
	[GONGOV 19500101-601231]
	[GONELI >610101]
	[GON]

ELVEN_REALMS [ELR/RIV]

FARAMIR
	[GONMIL <19990315]
	[---]

ARAGORN [GONREB]
	[GONGOV 990315-20201231]
";

#[test]
fn actors_read_entries_synonyms_and_date_restrictions() {
    let (a, diags) = actors::read("a.txt", ACTORS.as_bytes());
    assert!(diags.is_empty(), "{:?}", shown(&diags));
    assert_eq!(a.entries.len(), 5);
    let g = &a.entries[0];
    let ph: Vec<&str> = g.phrases.iter().map(|p| p.as_str()).collect();
    assert_eq!(ph, ["GONDOR", "MINAS TIRITH", "WHITE CITY"]);
    assert_eq!(g.code.as_ref().map(|c| c.as_str()), Some("GON"));
    assert_eq!(g.line, 2);

    let den = &a.entries[1];
    assert_eq!(den.restrictions.len(), 3);
    assert_eq!(den.restrictions[0].kind, DateKind::Between);
    assert_eq!(den.restrictions[0].start, Some(d(1950, 1, 1)));
    assert_eq!(den.restrictions[0].end, Some(d(1960, 12, 31)));
    assert_eq!(den.restrictions[1].kind, DateKind::After);
    assert_eq!(den.restrictions[1].start, Some(d(1961, 1, 1)));
    let on = |y, m, dd| {
        den.code_on(Some(d(y, m, dd)), DateSemantics::Inclusive)
            .map(|c| c.to_string())
    };
    assert_eq!(on(1955, 6, 1).as_deref(), Some("GONGOV"));
    assert_eq!(
        on(1960, 12, 31).as_deref(),
        Some("GONGOV"),
        "end is inclusive per the docs"
    );
    assert_eq!(on(1961, 1, 1).as_deref(), Some("GONELI"));
    assert_eq!(
        on(1940, 1, 1).as_deref(),
        Some("GON"),
        "undated restriction is the default"
    );
    assert_eq!(
        den.code_on(Some(d(1960, 12, 31)), DateSemantics::Petrarch2)
            .map(|c| c.to_string())
            .as_deref(),
        Some("GON"),
        "PETRARCH-2 reads the range end as exclusive"
    );
    assert_eq!(
        den.code_on(None, DateSemantics::Inclusive)
            .map(|c| c.to_string())
            .as_deref(),
        Some("GON")
    );

    let elr = &a.entries[2];
    let parts: Vec<&str> = elr
        .code
        .as_ref()
        .map(|c| c.parts().collect())
        .unwrap_or_default();
    assert_eq!(parts, ["ELR", "RIV"]);

    let far = &a.entries[3];
    assert_eq!(far.restrictions[0].kind, DateKind::Before);
    assert_eq!(far.restrictions[0].end, Some(d(1999, 3, 15)));
    assert!(far
        .code_on(Some(d(2005, 1, 1)), DateSemantics::Inclusive)
        .is_some_and(|c| c.is_null()));
    assert_eq!(
        far.code_on(Some(d(1999, 3, 15)), DateSemantics::Petrarch2)
            .map(|c| c.is_null()),
        Some(true),
        "`<` is exclusive in PETRARCH-2"
    );
    assert_eq!(
        far.code_on(Some(d(1999, 3, 15)), DateSemantics::Inclusive)
            .map(|c| c.to_string())
            .as_deref(),
        Some("GONMIL")
    );
    // mixed YYMMDD and YYYYMMDD
    let ara = &a.entries[4];
    assert_eq!(ara.restrictions[0].start, Some(d(1999, 3, 15)));
    assert_eq!(ara.restrictions[0].end, Some(d(2020, 12, 31)));
    assert_eq!(
        ara.code_on(Some(d(2021, 1, 1)), DateSemantics::Inclusive)
            .map(|c| c.to_string())
            .as_deref(),
        Some("GONREB")
    );
}

#[test]
fn actor_index_looks_phrases_up_by_date() {
    let (a, _) = actors::read("a.txt", ACTORS.as_bytes());
    let idx = dyad_dict::ActorIndex::new(&a);
    assert_eq!(idx.len(), 7);
    let on = |p: &str, date| {
        idx.lookup(p, date, DateSemantics::Inclusive)
            .map(|c| c.to_string())
    };
    assert_eq!(on("WHITE CITY", None).as_deref(), Some("GON"));
    assert_eq!(
        on("DENETHOR", Some(d(1955, 1, 1))).as_deref(),
        Some("GONGOV")
    );
    assert_eq!(
        on("DENETHOR", Some(d(1970, 1, 1))).as_deref(),
        Some("GONELI")
    );
    assert_eq!(
        on("ARAGORN", Some(d(1998, 1, 1))).as_deref(),
        Some("GONREB")
    );
    assert_eq!(on("SAURON", None), None);
    assert_eq!(idx.entry("MINAS TIRITH").map(|e| e.line), Some(2));
}

#[test]
fn date_parsing_forms_and_repairs() {
    assert_eq!(parse_date("450703").unwrap(), (d(1945, 7, 3), None));
    assert_eq!(parse_date("300101").unwrap().0, d(2030, 1, 1));
    assert_eq!(parse_date("310101").unwrap().0, d(1931, 1, 1));
    assert_eq!(parse_date("18970101").unwrap(), (d(1897, 1, 1), None));
    let (dt, note) = parse_date("2004017").unwrap();
    assert_eq!(dt, d(2004, 1, 7));
    assert!(note.unwrap().contains("7-digit"));
    assert_eq!(parse_date("201005011").unwrap().0, d(2010, 5, 1));
    assert_eq!(parse_date("1920030320").unwrap().0, d(2003, 3, 20));
    assert!(parse_date("20100931").is_err());
    assert!(parse_date("12ab56").is_err());
    assert!(parse_date("").is_err());
    assert!(parse_date("12345").is_err());
}

#[test]
fn actors_bad_lines() {
    let src = "\
	[ORPHAN 900101-910101]
ROHAN [ROH]
	[ROHGOV 20101301-20111231]
	[ROHGOV 2011-2010]
	[ROHMIL 20120101]
	[ROHELI  > 130101]
	[ROHREB 2004017-20061201]
EDORAS
+
THEODEN [ROHGOV] trailing junk
";
    let (a, diags) = actors::read("bad.actors", src.as_bytes());
    let s = shown(&diags);
    let has = |prefix: &str, needle: &str| {
        s.iter()
            .any(|l| l.starts_with(prefix) && l.contains(needle))
    };
    assert!(
        has("bad.actors:1: ", "date restriction before any actor"),
        "{s:?}"
    );
    assert!(has("bad.actors:3: ", "not a valid YYYYMMDD date"), "{s:?}");
    assert!(has("bad.actors:4: ", "not YYMMDD or YYYYMMDD"), "{s:?}");
    assert!(has("bad.actors:5: ", "read as a start date"), "{s:?}");
    assert!(
        has("bad.actors:6: ", "blanks inside date restriction"),
        "{s:?}"
    );
    assert!(
        has(
            "bad.actors:7: ",
            "7-digit date 2004017 read as YYYYMMD = 2004-01-07"
        ),
        "{s:?}"
    );
    assert!(has("bad.actors:8: ", "EDORAS has no code"), "{s:?}");
    assert!(has("bad.actors:9: ", "empty synonym"), "{s:?}");
    assert!(
        has("bad.actors:10: ", "text after the code ignored"),
        "{s:?}"
    );
    assert!(diags.iter().all(|d| d.severity == Severity::Warning));
    assert_eq!(a.entries.len(), 3);
    let rohan = &a.entries[0];
    // the two bad restrictions were skipped; three repaired ones kept
    assert_eq!(rohan.restrictions.len(), 3);
    assert_eq!(rohan.restrictions[0].start, Some(d(2012, 1, 1)));
    assert_eq!(rohan.restrictions[1].kind, DateKind::After);
    assert_eq!(rohan.restrictions[2].start, Some(d(2004, 1, 7)));
}

const AGENTS: &str = "\
<!-- sample agents -->
!HAND! = HAND, HANDS, WORKER , WORKERS

FARM!HAND! [~AGR]
STEWARD {STEWARDS_OF_THE_REALM} [~GOV]
POLICE {} [~COP]
RANGER_OF_THE_NORTH [~REB]
ELVEN COUNCIL [IGO~]
MINISTRY [~GOV}
";

#[test]
fn agents_read_codes_plurals_and_substitutions() {
    let (a, diags) = agents::read("ag.txt", AGENTS.as_bytes());
    let s = shown(&diags);
    assert_eq!(
        s,
        ["ag.txt:9: agent code closed with `}` instead of `]`; repaired"]
    );
    assert_eq!(a.substitutions.len(), 1);
    assert_eq!(a.substitutions[0].items.len(), 4);
    assert_eq!(a.entries.len(), 6);
    let forms_of = |i: u32| -> Vec<String> {
        a.forms
            .iter()
            .filter(|f| f.entry == i)
            .map(|f| f.phrase.to_string())
            .collect()
    };
    assert_eq!(
        forms_of(0),
        ["FARMHAND", "FARMHANDS", "FARMWORKER", "FARMWORKERS"]
    );
    assert_eq!(a.entries[0].plural, PluralSpec::None);
    assert_eq!(forms_of(1), ["STEWARD", "STEWARDS OF THE REALM"]);
    assert_eq!(forms_of(2), ["POLICE"]);
    assert_eq!(forms_of(3), ["RANGER OF THE NORTH", "RANGER OF THE NORTHS"]);
    assert_eq!(a.entries[3].code.code.as_ref(), "REB");
    assert_eq!(a.entries[3].code.position, AgentPosition::Suffix);
    assert_eq!(a.entries[4].code.position, AgentPosition::Prefix);
    assert_eq!(a.entries[4].code.to_string(), "IGO~");
    let council = a.forms.iter().find(|f| f.entry == 4).expect("form");
    assert!(
        council.phrase.gap_after(0),
        "blank means words may intervene"
    );
    assert_eq!(forms_of(5), ["MINISTRY", "MINISTRIES"]);
    assert_eq!(
        a.code_of(&a.forms[0]).map(|c| c.to_string()).as_deref(),
        Some("~AGR")
    );
}

#[test]
fn agents_bad_lines() {
    let src = "NO_CODE_HERE\nBAD_MARKER!NOPE! [~GOV]\nNO_TILDE [GOV]\n[~GOV]\n!EMPTY! =\n";
    let (a, diags) = agents::read("bad.agents", src.as_bytes());
    let s = shown(&diags);
    assert_eq!(
        s,
        [
            "bad.agents:1: agent line has no [code]; skipped",
            "bad.agents:2: substitution marker !NOPE! is not defined; skipped",
            "bad.agents:3: agent code [GOV] has no `~` (expected ~XXX or XXX~); skipped",
            "bad.agents:4: agent line has no phrase; skipped",
            "bad.agents:5: substitution set !EMPTY! is empty; skipped",
        ]
    );
    assert!(a.entries.is_empty());
}

#[test]
fn discards_read_scope_and_word_end() {
    let src = "\
# sports and such
+QUIDDITCH WORLD CUP   # whole story
DRAGON RACE
ORC_BALL_
  +  SPACED  STORY
";
    let (dd, diags) = discards::read("d.txt", src.as_bytes());
    assert!(diags.is_empty(), "{:?}", shown(&diags));
    assert_eq!(dd.entries.len(), 4);
    assert_eq!(&*dd.entries[0].text, "QUIDDITCH WORLD CUP");
    assert_eq!(dd.entries[0].scope, DiscardScope::Story);
    assert_eq!(dd.entries[1].scope, DiscardScope::Sentence);
    assert!(!dd.entries[1].whole_word);
    assert_eq!(&*dd.entries[2].text, "ORC BALL");
    assert!(dd.entries[2].whole_word);
    assert_eq!(&*dd.entries[3].text, "SPACED STORY");
    assert_eq!(dd.entries[3].scope, DiscardScope::Story);
    assert_eq!(dd.entries[3].line, 5);
    let (dd, diags) = discards::read("d.bad", b"+\n_\nOK\n");
    assert_eq!(
        shown(&diags),
        [
            "d.bad:1: empty discard phrase skipped",
            "d.bad:2: empty discard phrase skipped"
        ]
    );
    assert_eq!(dd.entries.len(), 1);
}

#[test]
fn issues_read_sections_expansions_and_ignores() {
    let src = "\
<ISSUE CATEGORY=\"MAGIC\" TYPE=\"ALL\">
n:wizard [WIZARDRY]
v:enchant n:ring [WIZARDRY]
dark+lord [EVIL]
~a wizard of words
~~old wizard
</ISSUE>
dragon [BEASTS]
";
    let (i, diags) = issues::read("i.txt", src.as_bytes());
    assert!(diags.is_empty(), "{:?}", shown(&diags));
    assert_eq!(i.categories.len(), 1);
    assert_eq!(&*i.categories[0].name, "MAGIC");
    assert_eq!(i.categories[0].kind.as_deref(), Some("ALL"));
    assert_eq!(i.entries.len(), 4);
    assert_eq!(i.entries[0].expansions(), ["WIZARD", "WIZARDS"]);
    let e = i.entries[1].expansions();
    assert_eq!(e.len(), 8);
    assert!(e.contains(&"ENCHANTED RINGS".to_string()));
    assert!(e.contains(&"ENCHANTING RING".to_string()));
    assert_eq!(i.entries[2].expansions(), ["DARK LORD", "DARK-LORD"]);
    assert_eq!(i.entries[0].category, Some(0));
    assert_eq!(i.entries[3].category, None);
    assert_eq!(i.ignores.len(), 2);
    assert!(!i.ignores[0].double);
    assert!(i.ignores[1].double);
    assert_eq!(&*i.ignores[1].text, "OLD WIZARD");
    let (_, diags) = issues::read(
        "i.bad",
        b"no code here\nx [A B]\n</ISSUE>\nn:v:x [C]\n<ISSUE CATEGORY=\"X\">\n",
    );
    assert_eq!(
        shown(&diags),
        [
            "i.bad:1: issue phrase has no [CODE]; skipped",
            "i.bad:2: issue code \"A B\" is empty or has blanks; skipped",
            "i.bad:3: `</ISSUE>` without an open section",
            "i.bad:4: malformed issue token \"n:v:x\"; skipped",
            "i.bad:0: file ends inside an `<ISSUE>` section",
        ]
    );
}

#[test]
fn comments_are_stripped_everywhere_but_codes_survive() {
    let src = "\
<!-- a
multi-line comment --> ROHAN [ROH] # tail
+RIDDERMARK ; legacy comment
";
    let (a, diags) = actors::read("c.txt", src.as_bytes());
    assert!(diags.is_empty(), "{:?}", shown(&diags));
    assert_eq!(a.entries.len(), 1);
    assert_eq!(a.entries[0].line, 2);
    assert_eq!(a.entries[0].phrases.len(), 2);
}

#[test]
fn large_actor_file_split_across_threads_reads_like_one_piece() {
    use dyad_dict::DictionarySet;
    // > 256 KiB, with a multi-line XML comment around the middle and a bad
    // line near the end, so cuts, comments and line numbers are exercised.
    let mut src = String::new();
    let mut n = 0;
    while src.len() < 200_000 {
        src.push_str(&format!(
            "ACTOR_{n} [A{n}]\n+SYN_{n}\n\t[B{n} 20000101-20101231]\n\n"
        ));
        n += 1;
    }
    src.push_str("<!-- a comment\n\nNOT_AN_ACTOR [X]\n\n-->\n");
    while src.len() < 400_000 {
        src.push_str(&format!("ACTOR_{n} [A{n}]\n+SYN_{n}\n\n"));
        n += 1;
    }
    src.push_str("LAST [L]\n\t[L 2011-01]\n");
    let dir = std::env::temp_dir().join(format!("dyad-dict-split-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let p = dir.join("big.actors.txt");
    std::fs::write(&p, &src).expect("write");
    let cuts = actors::split_points(src.as_bytes(), 2);
    assert_eq!(cuts.len(), 1, "the file is cut once for two threads");
    assert!(src[..cuts[0]].ends_with("\n\n"));
    assert!(actors::split_points(src.as_bytes(), 4).len() >= 2);
    let (one, one_d) = actors::read(&p.display().to_string(), src.as_bytes());
    let (set, d) = DictionarySet::load(
        None,
        &[p.as_path()],
        None,
        None,
        None,
        codebooks::standard(),
    )
    .expect("read");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(set.actors.entries.len(), n + 1);
    assert!(set.actors.entries == one.entries);
    assert_eq!(d, one_d);
    let last = src.lines().count() as u32;
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].line, last);
    assert!(set
        .actors
        .entries
        .iter()
        .all(|e| e.phrases[0].as_str() != "NOT AN ACTOR"));
}

#[test]
fn combinatorial_expansions_are_capped_not_hung() {
    // 12 verb tokens would be 4^12 = 16.7 M phrases.
    let line = format!("{} [X]\n", ["v:go"; 12].join(" "));
    let (i, diags) = issues::read("cap.txt", line.as_bytes());
    assert_eq!(i.entries.len(), 1);
    assert!(i.entries[0].expansion_count() > issues::MAX_EXPANSIONS);
    assert_eq!(i.entries[0].expansions().len(), issues::MAX_EXPANSIONS);
    assert!(shown(&diags)[0].starts_with("cap.txt:1: issue phrase expands to more than"));
    let mut src = String::from("!S! = A, B, C, D, E, F, G, H\n");
    src.push_str(&"!S!_".repeat(6));
    src.push_str(" [~GOV]\n");
    let (a, diags) = agents::read("cap.agents", src.as_bytes());
    assert!(a.entries.is_empty());
    assert!(
        shown(&diags)[0].contains("expand to more than"),
        "{:?}",
        shown(&diags)
    );
}

#[test]
fn deeply_nested_pattern_is_an_error_not_a_stack_overflow() {
    let src = format!(
        "--- X [---] ---\nX\n- * {}A{} [010]\n",
        "(B ".repeat(100_000),
        ")".repeat(100_000)
    );
    let (v, diags) = verbs::read_p2("deep.txt", src.as_bytes(), codebooks::standard());
    assert!(v.blocks[0].patterns.is_empty());
    assert!(shown(&diags)
        .iter()
        .any(|d| d.starts_with("deep.txt:3: ") && d.contains("nested too deeply")));
}

#[test]
fn long_unbalanced_pattern_is_repaired_quickly() {
    let src = format!(
        "--- X [---] ---\nX\n- * {} ) [010]\n",
        "WORD ".repeat(50_000)
    );
    // Repairing tries only a few prefixes (not one per token), so this is fast.
    let (v, diags) = verbs::read_p2("long.txt", src.as_bytes(), codebooks::standard());
    assert_eq!(v.blocks[0].patterns.len(), 1);
    // the stray `)` and the word before it are dropped as junk
    assert_eq!(v.blocks[0].patterns[0].after.len(), 49_999);
    assert!(shown(&diags)
        .iter()
        .any(|d| d.starts_with("long.txt:3: trailing text \"WORD )\"")));
}

#[test]
fn verb_file_split_across_threads_reads_like_one_piece() {
    use dyad_dict::{set, DictionarySet};
    // Synset redefined and used across the cut, an undefined synset, and a
    // comment spanning the middle.
    let mut src = String::from("&EARLY\n+DAWN\n\n");
    let mut n = 0;
    while src.len() < 160_000 {
        src.push_str(&format!(
            "--- B{n} [010] ---\nV{n}\n- * &LATE [042]\n- * &NONE [042]\n\n"
        ));
        n += 1;
    }
    src.push_str("<!--\n--- HIDDEN [010] ---\n-->\n&EARLY\n+DUSK\n&LATE\n+NIGHT\n");
    while src.len() < 320_000 {
        src.push_str(&format!("--- B{n} [010] ---\nV{n}\n- * &EARLY [043]\n\n"));
        n += 1;
    }
    let cuts = verbs::split_points(src.as_bytes(), 2);
    assert_eq!(cuts.len(), 1);
    assert!(src[cuts[0]..].starts_with("--- B"));
    let dir = std::env::temp_dir().join(format!("dyad-dict-vsplit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let p = dir.join("big.verbs.txt");
    std::fs::write(&p, &src).expect("write");
    let (seq, seq_d) = set::load_verbs(&p, codebooks::standard()).expect("read");
    let (par, par_d) =
        DictionarySet::load(Some(&p), &[], None, None, None, codebooks::standard()).expect("read");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(par.verbs.as_ref() == Some(&seq));
    assert_eq!(par_d, seq_d);
    let dyad_dict::Verbs::P1(v) = seq else {
        panic!("P1 expected")
    };
    assert_eq!(v.blocks.len(), n);
    assert_eq!(
        v.synset("&EARLY")
            .map(|s| s.members[0].phrase.to_string())
            .as_deref(),
        Some("DUSK")
    );
    assert!(seq_d
        .iter()
        .any(|d| d.cause.contains("synset &EARLY defined again")));
    assert!(
        seq_d
            .iter()
            .filter(|d| d.cause.contains("undefined synset &NONE"))
            .count()
            > 100
    );
}
