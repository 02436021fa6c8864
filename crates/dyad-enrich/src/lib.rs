//! Event enrichment: when, where, how sure, and a stable id.
//!
//! The pipeline calls this crate once per document, once per sentence and
//! once per event:
//!
//! ```no_run
//! use dyad_enrich::{DocContext, Enricher, EventSlots, SentenceAnalysis, SentenceContext};
//! # fn demo(events: &mut [dyad_core::Event]) -> Result<(), dyad_enrich::EnrichError> {
//! let enricher = Enricher::builtin()?; // loads the gazetteer once
//! let publication = dyad_enrich::dates::parse_publication_date("2021-05-09 17:10:45Z").ok();
//! let mut doc = DocContext::new(&enricher, publication, Some("KABUL, Afghanistan -"));
//! let tokens = ["The", "army", "said", "on", "Saturday", "it", "attacked", "Kabul", "."];
//! let sent = SentenceContext { tokens: &tokens, ..SentenceContext::default() };
//! let mut analysis = SentenceAnalysis::default(); // reuse across sentences
//! enricher.analyze(&mut doc, &sent, &mut analysis);
//! for ev in events.iter_mut() {
//!     let slots = EventSlots { verb: Some(6), source: Some(0..2), target: Some(7..8) };
//!     enricher.enrich(&doc, &sent, &analysis, &slots, ev);
//! }
//! # Ok(()) }
//! ```
//!
//! Everything works on plain slices (token texts, optional tags, heads and
//! relations), so it does not depend on the tokenizer or parser crates.
//! See `NOTES.md` for the date rules, the confidence formula and the
//! gazetteer format.
#![warn(missing_docs)]

pub mod dates;
pub mod error;
pub mod gazetteer;
pub mod modality;
pub mod places;
pub mod provenance;

use std::ops::Range;

use chrono::{Days, NaiveDate};
use dyad_core::event::{DateSource, Event, Location, Modality};

pub use dates::{parse_publication_date, DateExpr, DateValue, PartialDate};
pub use error::EnrichError;
pub use gazetteer::{Gazetteer, Hints, Place, PlaceKind};
pub use modality::{Cue, CueKind, Flags};
pub use places::PlaceMention;
pub use provenance::{event_id, CharOffsets, EventKey};

/// A date more than this many days before the reference date makes an event
/// historical (a past event restated).
pub const HISTORICAL_DAYS: u64 = 90;

/// Per-document context.
#[derive(Debug, Clone, Default)]
pub struct DocContext {
    /// Publication date.
    pub publication: Option<NaiveDate>,
    /// Latest explicit (year-bearing) date seen so far in the document; used
    /// only to judge "historical" when there is no publication date.
    pub reference: Option<NaiveDate>,
    /// The dateline's date.
    pub dateline_date: Option<PartialDate>,
    /// The dateline's place (index into the gazetteer).
    pub dateline_place: Option<u32>,
}

impl DocContext {
    /// Builds the context from the publication date and a raw dateline
    /// string ("BAGHDAD, Aug 8 (Reuters) -").
    pub fn new(
        enricher: &Enricher,
        publication: Option<NaiveDate>,
        dateline: Option<&str>,
    ) -> Self {
        match dateline {
            Some(dl) => {
                let parts = dates::parse_dateline(dl, publication);
                let mut d = DocContext::with_dateline(
                    enricher,
                    publication,
                    &DatelineInfo {
                        place: parts.place.as_deref(),
                        region: parts.qualifier.as_deref(),
                        ..DatelineInfo::default()
                    },
                );
                d.dateline_date = parts.date;
                d
            }
            None => DocContext {
                publication,
                ..DocContext::default()
            },
        }
    }

    /// Builds the context from the publication date and an already split
    /// dateline (as `dyad_text::Dateline` gives it).
    pub fn with_dateline(
        enricher: &Enricher,
        publication: Option<NaiveDate>,
        dl: &DatelineInfo<'_>,
    ) -> Self {
        let mut d = DocContext {
            publication,
            ..DocContext::default()
        };
        if let Some(m) = dl.month {
            let value = match dl.year {
                Some(y) => DateValue::Absolute(PartialDate {
                    year: y,
                    month: Some(m),
                    day: dl.day,
                }),
                None => DateValue::NeedsYear {
                    month: m,
                    day: dl.day,
                },
            };
            d.dateline_date = dates::resolve(&value, publication, false).filter(|p| {
                p.month.is_some_and(|m| (1..=12).contains(&m)) && p.last_day().is_some()
            });
        }
        if let Some(place) = dl.place {
            let mut h = Hints::default();
            let mut buf = [0u8; gazetteer::MAX_KEY];
            let mut admin1 = None;
            if let Some(q) = dl.region {
                admin1 = enricher.gazetteer.admin1_code(q);
                if admin1.is_none() {
                    if let Some(k) = gazetteer::fold_key(q, &mut buf) {
                        h.qualifier_country = enricher.country_of_key(k);
                    }
                }
            }
            h.admin1 = admin1;
            d.dateline_place = enricher.gazetteer.resolve(place, &h).map(|x| x.0);
        }
        d
    }

    /// The date against which "historical" is judged.
    pub fn reference_date(&self) -> Option<NaiveDate> {
        self.publication.or(self.reference)
    }
}

/// A dateline already split into parts.
#[derive(Debug, Clone, Copy, Default)]
pub struct DatelineInfo<'a> {
    /// Place as written ("BAGHDAD").
    pub place: Option<&'a str>,
    /// Region or country after the place ("Ukraine", "Texas").
    pub region: Option<&'a str>,
    /// Year, when given.
    pub year: Option<i32>,
    /// Month 1–12, when given.
    pub month: Option<u32>,
    /// Day, when given.
    pub day: Option<u32>,
}

/// One sentence as the enricher sees it: tokens and, when available, their
/// Penn tags, CoNLL heads (1-based, 0 = root) and dependency relations.
/// Leave the optional slices empty when unknown.
#[derive(Debug, Clone, Copy, Default)]
pub struct SentenceContext<'a> {
    /// Token texts.
    pub tokens: &'a [&'a str],
    /// Penn Treebank tags (XPOS), or empty.
    pub xpos: &'a [&'a str],
    /// Heads, 1-based, 0 = root, or empty.
    pub heads: &'a [u32],
    /// Dependency relations, or empty.
    pub deprels: &'a [&'a str],
}

impl SentenceContext<'_> {
    fn has_parse(&self) -> bool {
        self.heads.len() == self.tokens.len() && self.deprels.len() == self.tokens.len()
    }

    fn parse_view(&self) -> modality::ParseView<'_> {
        modality::ParseView {
            heads: if self.has_parse() { self.heads } else { &[] },
            deprels: if self.has_parse() { self.deprels } else { &[] },
            xpos: if self.xpos.len() == self.tokens.len() {
                self.xpos
            } else {
                &[]
            },
        }
    }
}

/// Where an event sits in its sentence (token indices).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventSlots {
    /// The verb (or event noun) token.
    pub verb: Option<usize>,
    /// The source actor's tokens.
    pub source: Option<Range<usize>>,
    /// The target actor's tokens.
    pub target: Option<Range<usize>>,
}

/// What one pass over a sentence found; reuse one value across sentences
/// to avoid allocation.
#[derive(Debug, Clone, Default)]
pub struct SentenceAnalysis {
    /// Date expressions.
    pub dates: Vec<DateExpr>,
    /// Modality cues.
    pub cues: Vec<Cue>,
    /// Locative place mentions.
    pub places: Vec<PlaceMention>,
    keys: String,
}

impl SentenceAnalysis {
    /// The folded name of a place mention.
    pub fn place_key(&self, m: &PlaceMention) -> &str {
        self.keys
            .get(m.key_off as usize..(m.key_off + m.key_len) as usize)
            .unwrap_or("")
    }

    fn qualifier(&self, m: &PlaceMention) -> Option<&str> {
        (m.qualifier_len > 0).then(|| {
            self.keys
                .get(m.qualifier_off as usize..(m.qualifier_off + m.qualifier_len) as usize)
                .unwrap_or("")
        })
    }
}

/// The enrichment stage: holds the gazetteer.
#[derive(Debug, Clone)]
pub struct Enricher {
    /// The gazetteer.
    pub gazetteer: Gazetteer,
}

/// How an expression (date or place) relates to the event's verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Attach {
    /// In the verb's own clause.
    Clause(usize),
    /// Elsewhere in the sentence.
    Sentence(usize),
}

const CLAUSE_RELS: [&str; 6] = ["acl", "advcl", "ccomp", "parataxis", "csubj", "xcomp"];

impl Enricher {
    /// Wraps a gazetteer.
    pub fn new(gazetteer: Gazetteer) -> Self {
        Enricher { gazetteer }
    }

    /// The enricher with the gazetteer compiled into the binary.
    pub fn builtin() -> Result<Self, EnrichError> {
        Ok(Enricher::new(Gazetteer::builtin()?))
    }

    fn country_of_key(&self, key: &str) -> Option<[u8; 3]> {
        self.gazetteer
            .lookup_folded(key)
            .first()
            .and_then(|&i| self.gazetteer.place(i))
            .filter(|p| p.kind == PlaceKind::Country)
            .and_then(|p| p.country().as_bytes().try_into().ok())
    }

    /// One pass over a sentence: dates, modality cues and place mentions.
    /// Also raises `doc.reference` to the latest explicit date seen.
    pub fn analyze(
        &self,
        doc: &mut DocContext,
        s: &SentenceContext<'_>,
        out: &mut SentenceAnalysis,
    ) {
        out.cues.clear();
        out.places.clear();
        out.keys.clear();
        self.observe(doc, s.tokens, out);
        modality::find_cues(s.tokens, &mut out.cues);
        places::find_places(s.tokens, &self.gazetteer, &mut out.keys, &mut out.places);
    }

    /// The document-level part of [`Enricher::analyze`] alone: finds the
    /// sentence's dates (into `out.dates`) and raises `doc.reference` to the
    /// latest explicit one. For sentences that are not coded but still count
    /// as context. Reads the tokens only.
    pub fn observe(&self, doc: &mut DocContext, tokens: &[&str], out: &mut SentenceAnalysis) {
        out.dates.clear();
        dates::find_dates(tokens, &mut out.dates);
        for e in &out.dates {
            // "by 2050", "until 2030" name deadlines, not the time of writing.
            let deadline = e.start > 0
                && matches!(
                    tokens[e.start - 1].to_ascii_lowercase().as_str(),
                    "by" | "until" | "till" | "before" | "through"
                );
            if deadline {
                continue;
            }
            if let DateValue::Absolute(p) = e.value {
                // A month or year mentioned counts from its first day: the
                // document was written no earlier than that.
                let first =
                    NaiveDate::from_ymd_opt(p.year, p.month.unwrap_or(1), p.day.unwrap_or(1));
                if let Some(f) = first {
                    if doc.reference.is_none_or(|r| f > r) {
                        doc.reference = Some(f);
                    }
                }
            }
        }
    }

    /// How token `at` attaches to `verb`.
    fn attach(
        &self,
        s: &SentenceContext<'_>,
        a: &SentenceAnalysis,
        at: usize,
        verb: usize,
    ) -> Attach {
        let dist = at.abs_diff(verb);
        if s.has_parse() {
            let mut cur = at;
            for _ in 0..16 {
                let h = s.heads[cur] as usize;
                if h == 0 {
                    break;
                }
                let h = h - 1;
                if h >= s.tokens.len() {
                    break;
                }
                if h == verb {
                    return Attach::Clause(dist);
                }
                if CLAUSE_RELS.iter().any(|r| s.deprels[h].starts_with(r))
                    || (s.deprels[h].starts_with("conj")
                        && s.xpos.get(h).is_some_and(|x| x.starts_with("VB")))
                {
                    // the path leaves through another clause
                    return Attach::Sentence(dist);
                }
                cur = h;
            }
            Attach::Sentence(dist)
        } else {
            let (lo, hi) = if at < verb { (at, verb) } else { (verb, at) };
            let crosses = a
                .cues
                .iter()
                .any(|c| c.kind == CueKind::Boundary && c.at > lo && c.at < hi);
            if crosses || dist > 12 {
                Attach::Sentence(dist)
            } else {
                Attach::Clause(dist)
            }
        }
    }

    /// How a date expression attaches to `verb`. Stricter than places: a
    /// date modifying a noun ("the agreement of 2008", "the 2008 accord")
    /// dates the noun, not the event; with a parse the expression must
    /// depend on the verb itself (obl, obl:tmod, advmod ...).
    fn attach_date(
        &self,
        s: &SentenceContext<'_>,
        a: &SentenceAnalysis,
        e: &DateExpr,
        verb: usize,
    ) -> Attach {
        let dist = e.anchor.abs_diff(verb);
        let prev = e
            .start
            .checked_sub(1)
            .and_then(|i| s.tokens.get(i))
            .copied()
            .unwrap_or("");
        if e.value.is_absolute() && matches!(prev, "of" | "the" | "'s" | "The") {
            return Attach::Sentence(dist);
        }
        if !s.has_parse() {
            return self.attach(s, a, e.anchor, verb);
        }
        let mut cur = e.anchor;
        for _ in 0..8 {
            let Some(h) = s.heads.get(cur).map(|&h| h as usize) else {
                break;
            };
            if h == 0 || h > s.tokens.len() {
                break;
            }
            let h = h - 1;
            if h == verb {
                return Attach::Clause(dist);
            }
            if !(e.start..e.end).contains(&h) {
                break;
            }
            cur = h;
        }
        Attach::Sentence(dist)
    }

    fn event_anchor(slots: &EventSlots) -> Option<usize> {
        slots
            .verb
            .or_else(|| slots.target.as_ref().map(|r| r.start))
            .or_else(|| slots.source.as_ref().map(|r| r.start))
    }

    /// Fills `date`, `date_precision`, `date_source`, `modality`, `location`
    /// and `confidence` of one event. Leaves `date` null when there is no
    /// date anywhere; never invents one.
    pub fn enrich(
        &self,
        doc: &DocContext,
        s: &SentenceContext<'_>,
        a: &SentenceAnalysis,
        slots: &EventSlots,
        ev: &mut Event,
    ) {
        let anchor = Self::event_anchor(slots);
        let mut actor_buf: [Range<usize>; 2] = [0..0, 0..0];
        let mut n_actors = 0;
        for r in slots.source.iter().chain(slots.target.iter()) {
            actor_buf[n_actors] = r.clone();
            n_actors += 1;
        }
        let actors = &actor_buf[..n_actors];

        // Modality.
        let mut flags = match anchor {
            Some(v) if v < s.tokens.len() => {
                modality::flags_for(s.tokens, &a.cues, v, actors, s.parse_view())
            }
            _ => Flags::default(),
        };

        // Date: the expression in the verb's clause, nearest first; else a
        // sentence-initial "On Saturday, ..."; else dateline; else
        // publication.
        let mut best: Option<(Attach, &DateExpr)> = None;
        if let Some(v) = anchor {
            for e in &a.dates {
                let at = self.attach_date(s, a, e, v);
                let ok = matches!(at, Attach::Clause(_))
                    || (e.start <= 1
                        && s.tokens.get(e.end).is_some_and(|t| *t == ",")
                        && !s.has_parse());
                if ok && best.is_none_or(|(b, _)| at < b) {
                    best = Some((at, e));
                }
            }
        }
        let mut date = None;
        if let Some((_, e)) = best {
            if let Some(p) = dates::resolve(&e.value, doc.publication, flags.future) {
                date = Some((p, DateSource::Sentence, e.value.is_absolute()));
            }
        }
        if date.is_none() {
            if let Some(p) = doc.dateline_date {
                date = Some((p, DateSource::Dateline, false));
            } else if let Some(p) = doc.publication {
                date = Some((PartialDate::day(p), DateSource::Publication, false));
            }
        }
        ev.date = date.map(|(p, _, _)| p.iso());
        ev.date_precision = date.map(|(p, _, _)| p.precision());
        ev.date_source = date.map(|(_, src, _)| src);

        // Historical: a sentence date well before the reference date, or an
        // explicitly dated past participle modifying a noun ("the agreement
        // signed in November 2008").
        if let Some((p, DateSource::Sentence, absolute)) = date {
            if let (Some(last), Some(r)) = (p.last_day(), doc.reference_date()) {
                if r.checked_sub_days(Days::new(HISTORICAL_DAYS))
                    .is_some_and(|cut| last < cut)
                {
                    flags.historical = true;
                }
            }
            if absolute {
                if let Some(v) = slots.verb.filter(|&v| v < s.tokens.len()) {
                    let vbn = s.xpos.get(v).is_some_and(|x| *x == "VBN");
                    let acl = s.has_parse() && s.deprels[v].starts_with("acl");
                    let no_aux = v > 0
                        && !matches!(
                            s.tokens[v - 1].to_ascii_lowercase().as_str(),
                            "is" | "was"
                                | "were"
                                | "are"
                                | "been"
                                | "be"
                                | "has"
                                | "have"
                                | "had"
                                | "being"
                        );
                    if acl || (vbn && no_aux && !s.has_parse()) {
                        flags.historical = true;
                    }
                }
            }
        }
        ev.modality = Some(Modality {
            negated: flags.negated,
            future: flags.future,
            hypothetical: flags.hypothetical,
            historical: flags.historical,
        });

        // Location.
        ev.location = self.locate(doc, s, a, slots, ev, anchor);

        // Confidence.
        ev.confidence = Some(confidence(&ConfidenceInputs {
            pattern: &ev.evidence.pattern,
            has_source: ev.source.is_some(),
            has_target: ev.target.is_some(),
            attachment: self.actor_attachment(s, a, slots),
            modality: flags,
        }));
    }

    /// 1.0 when both actors sit in the verb's clause per the parse, 0.8
    /// without a parse, 0.6 when an actor is outside the verb's clause.
    fn actor_attachment(
        &self,
        s: &SentenceContext<'_>,
        a: &SentenceAnalysis,
        slots: &EventSlots,
    ) -> f32 {
        let Some(v) = slots.verb else { return 0.8 };
        if !s.has_parse() || v >= s.tokens.len() {
            return 0.8;
        }
        let mut all = true;
        for r in slots.source.iter().chain(slots.target.iter()) {
            // any token of the actor attached within the clause
            let ok = r
                .clone()
                .filter(|&t| t < s.tokens.len())
                .any(|t| t == v || matches!(self.attach(s, a, t, v), Attach::Clause(_)));
            all &= ok;
        }
        if all {
            1.0
        } else {
            0.6
        }
    }

    fn locate(
        &self,
        doc: &DocContext,
        s: &SentenceContext<'_>,
        a: &SentenceAnalysis,
        slots: &EventSlots,
        ev: &Event,
        anchor: Option<usize>,
    ) -> Option<Location> {
        let mut countries: [[u8; 3]; 2] = [[0; 3]; 2];
        let mut nc = 0;
        for act in [&ev.source, &ev.target].into_iter().flatten() {
            if let Some(c) = act.code.as_bytes().get(..3) {
                if self.gazetteer.is_country(c) {
                    countries[nc].copy_from_slice(c);
                    nc += 1;
                }
            }
        }
        let dateline_country = doc
            .dateline_place
            .and_then(|i| self.gazetteer.place(i))
            .and_then(|p| p.country().as_bytes().try_into().ok());
        // rank mentions: clause before sentence, non-directional first,
        // nearest first
        let mut best: Option<((u8, Attach), &PlaceMention)> = None;
        for m in &a.places {
            let in_actor = |r: &Option<Range<usize>>| {
                r.as_ref()
                    .is_some_and(|r| m.start < r.end && r.start < m.end)
            };
            if m.directional && (in_actor(&slots.source) || in_actor(&slots.target)) {
                continue;
            }
            let at = match anchor {
                Some(v) => self.attach(s, a, m.start, v),
                None => Attach::Sentence(0),
            };
            // With a parse, "to X" / "into X" in another clause tells where that clause's
            // motion went, not where this event happened ("the agreement
            // signed in 2008" in a sentence about a visit to Washington)
            if m.directional && anchor.is_some() && matches!(at, Attach::Sentence(_)) {
                continue;
            }
            let rank = (u8::from(m.directional), at);
            let rank = match at {
                Attach::Clause(_) => rank,
                Attach::Sentence(_) => (rank.0 + 2, at),
            };
            if best.is_none_or(|(b, _)| rank < b) {
                best = Some((rank, m));
            }
        }
        if let Some((_, m)) = best {
            let key = a.place_key(m);
            let mut hints = Hints {
                actor_countries: &countries[..nc],
                dateline_country,
                ..Hints::default()
            };
            let admin1 = a.qualifier(m).and_then(|q| self.gazetteer.admin1_code(q));
            hints.admin1 = admin1;
            if admin1.is_none() {
                hints.qualifier_country = a.qualifier(m).and_then(|q| self.country_of_key(q));
            }
            if let Some((_, p)) = self.gazetteer.resolve_folded(key, &hints) {
                return Some(to_location(&p, "locative"));
            }
        }
        doc.dateline_place
            .and_then(|i| self.gazetteer.place(i))
            .map(|p| to_location(&p, "dateline"))
    }
}

fn to_location(p: &Place<'_>, source: &str) -> Location {
    Location {
        name: p.name.to_string(),
        country: p.country().to_string(),
        admin1: p.admin1.map(str::to_string),
        lat: p.lat,
        lon: p.lon,
        geonameid: Some(p.geonameid),
        source: source.to_string(),
    }
}

/// Inputs of [`confidence`].
#[derive(Debug, Clone, Copy)]
pub struct ConfidenceInputs<'a> {
    /// The matched verb pattern as written in its dictionary.
    pub pattern: &'a str,
    /// The event has a source actor.
    pub has_source: bool,
    /// The event has a target actor.
    pub has_target: bool,
    /// Actor attachment to the verb: 1.0 parse-confirmed, 0.8 no parse,
    /// 0.6 an actor outside the verb's clause.
    pub attachment: f32,
    /// The event's modality.
    pub modality: Flags,
}

/// Literal words in a verb pattern (everything but the `*`, `$`, `+`, `%`,
/// `^`, `-`, `_` markers and the `[code]` / `{…}` / `#` annotations).
pub fn pattern_literals(pattern: &str) -> usize {
    let body = pattern.split(['[', '#']).next().unwrap_or("");
    body.split(|c: char| c.is_whitespace() || c == '_')
        .filter(|w| {
            let w = w.trim_matches(|c: char| "{}()".contains(c));
            !w.is_empty()
                && w.chars().any(char::is_alphabetic)
                && !w.starts_with(['$', '+', '%', '^', '*', '-'])
        })
        .count()
}

/// The event confidence, in [0, 1]: a heuristic estimate that the record is
/// a correct, asserted (realis) event. See NOTES.md:
///
/// `confidence = m × (0.4·p + 0.3·a + 0.3·g)` where
/// p = pattern specificity (0.5 for a bare verb pattern, 0.75 with one
/// literal word besides the verb, 1.0 with two or more), a = actors (1.0 both, 0.7 one, 0.4 none),
/// g = attachment (1.0 / 0.8 / 0.6), m = modality (1.0 realis or historical,
/// 0.6 future, 0.5 hypothetical, 0.1 negated; the smallest applies).
pub fn confidence(c: &ConfidenceInputs<'_>) -> f32 {
    let p = match pattern_literals(c.pattern) {
        0 => 0.5,
        1 => 0.75,
        _ => 1.0,
    };
    let a = match (c.has_source, c.has_target) {
        (true, true) => 1.0,
        (true, false) | (false, true) => 0.7,
        _ => 0.4,
    };
    let g = c.attachment.clamp(0.0, 1.0);
    let mut m: f32 = 1.0;
    if c.modality.future {
        m = m.min(0.6);
    }
    if c.modality.hypothetical {
        m = m.min(0.5);
    }
    if c.modality.negated {
        m = m.min(0.1);
    }
    let v = m * (0.4 * p + 0.3 * a + 0.3 * g);
    (v * 1000.0).round() / 1000.0
}

/// True unless the event is negated: the pipeline emits only asserted
/// events as having happened (negated ones are dropped or flagged).
pub fn is_asserted(ev: &Event) -> bool {
    !ev.modality.is_some_and(|m| m.negated)
}

/// PLOVER's names for the auxiliary modes set on an event, in the order
/// historical, future, hypothetical, negation (for PLOVER's `context`).
pub fn plover_modes(m: &Modality) -> Vec<&'static str> {
    let mut v = Vec::new();
    if m.historical {
        v.push("historical");
    }
    if m.future {
        v.push("future");
    }
    if m.hypothetical {
        v.push("hypothetical");
    }
    if m.negated {
        v.push("negation");
    }
    v
}

/// Sets `ev.id` from its document, sentence, actors and code (see
/// [`event_id`]); `sentence_offset` is the sentence's byte offset in the
/// document (0 when unknown, e.g. PETRARCH XML records).
pub fn assign_id(ev: &mut Event, sentence_offset: usize) {
    let id = event_id(&EventKey {
        doc_id: &ev.doc_id,
        sentence_id: &ev.sentence_id,
        sentence_offset,
        source: ev.source.as_ref().map_or("", |a| a.code.as_str()),
        target: ev.target.as_ref().map_or("", |a| a.code.as_str()),
        code: &ev.event.cameo,
    });
    ev.id = Some(id);
}

/// Marks an already enriched event as negated (e.g. when the coder itself
/// found the negation) and lowers its confidence accordingly: the modality
/// factor of [`confidence`] becomes 0.1.
pub fn mark_negated(ev: &mut Event) {
    let m = ev.modality.get_or_insert_with(Modality::default);
    if m.negated {
        return;
    }
    let old = if m.hypothetical {
        0.5
    } else if m.future {
        0.6
    } else {
        1.0
    };
    m.negated = true;
    if let Some(c) = ev.confidence.as_mut() {
        *c = ((*c / old * 0.1) * 1000.0).round() / 1000.0;
    }
}
