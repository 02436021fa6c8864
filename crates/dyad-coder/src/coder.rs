//! The coding algorithm (see NOTES.md for the prose version).

use crate::dict::{Dictionaries, PatElem, PatItem, Pattern, SourceRef, Sym, VerbCode, UNKNOWN};
use crate::sentence::{Cat, ParsedSentence, NONE};
use chrono::{Datelike, NaiveDate};

mod context;
mod mutual;

/// Comma-delimited clause deletion lengths (in words), as in PETRARCH-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommaOptions {
    /// Internal clause minimum length.
    pub min: usize,
    /// Internal clause maximum length (0 disables).
    pub max: usize,
    /// Initial clause minimum.
    pub bmin: usize,
    /// Initial clause maximum (0 disables).
    pub bmax: usize,
    /// Terminal clause minimum.
    pub emin: usize,
    /// Terminal clause maximum (0 disables).
    pub emax: usize,
}

impl Default for CommaOptions {
    fn default() -> Self {
        CommaOptions {
            min: 2,
            max: 8,
            bmin: 0,
            bmax: 0,
            emin: 2,
            emax: 8,
        }
    }
}

/// Coder options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoderOptions {
    /// Require both a source and a target noun phrase (null-coded phrases count).
    pub require_dyad: bool,
    /// Unknown noun phrases of at most this many words become quoted "new actors" (0 = off).
    pub new_actor_length: usize,
    /// Comma clause deletion.
    pub comma: CommaOptions,
    /// When a statement verb ("say") reports a clause with its own subject and that clause
    /// yields an event, keep the reported event instead of the statement.
    pub reported_speech_lower_wins: bool,
    /// Give a country-less agent ("the government" `---GOV`) the one country the sentence
    /// names (see [`Coder::code_full`]); off for PETRARCH-compatible output
    /// (`infer_country` option).
    pub infer_country: bool,
    /// A coded verb does not swallow a lower verb whose event is its target's own action
    /// ("help X to fight Y" keeps X→Y); off for PETRARCH-compatible output
    /// (`keep_target_actions` option).
    pub keep_target_actions: bool,
    /// A prefix agent (`[NGO~]`: "aid group") attached to a state's code follows the
    /// country, as CAMEO codes domestic organisations ("an American aid group" `USANGO`,
    /// not `NGOUSA`); off for PETRARCH-compatible output (`country_first` option).
    pub country_first: bool,
    /// An act of state authority (administrative sanctions, arrest, detention, expulsion:
    /// CAMEO 172-174) in a passive without a `by` agent: its subject is the target, and the
    /// source is the state named as the place ("was arrested in X" → X); with no such
    /// place the event has no known source. Other agentless passives are left as they were
    /// (docs/open-cases.md, case 15). Off for PETRARCH-compatible output
    /// (`agentless_passive` option).
    pub agentless_passive: bool,
    /// A compound subject is coded against itself (mutual events) only when the
    /// construction is reciprocal: cooperative interaction, an explicit "each other", or a
    /// `%` pattern with an intransitive verb (see `coder/mutual.rs`). Off: PETRARCH's rule,
    /// any compound source without a coded target (`mutual_needs_reciprocal` option).
    pub mutual_needs_reciprocal: bool,
}

impl Default for CoderOptions {
    fn default() -> Self {
        CoderOptions {
            require_dyad: true,
            new_actor_length: 0,
            comma: CommaOptions::default(),
            reported_speech_lower_wins: true,
            infer_country: true,
            keep_target_actions: true,
            country_first: true,
            agentless_passive: true,
            mutual_needs_reciprocal: true,
        }
    }
}

impl CoderOptions {
    /// Applies a PETRARCH config option (`require_dyad`, `new_actor_length`, `comma_*`);
    /// returns false for unknown options or bad values.
    pub fn set(&mut self, name: &str, value: &str) -> bool {
        let v = value.trim();
        let num = || v.parse::<usize>().ok();
        match name.to_ascii_lowercase().as_str() {
            "require_dyad" => {
                self.require_dyad = v.eq_ignore_ascii_case("true");
                true
            }
            "new_actor_length" => num().map(|n| self.new_actor_length = n).is_some(),
            "keep_target_actions" => {
                self.keep_target_actions = v.eq_ignore_ascii_case("true");
                true
            }
            "infer_country" => {
                self.infer_country = v.eq_ignore_ascii_case("true");
                true
            }
            "country_first" => {
                self.country_first = v.eq_ignore_ascii_case("true");
                true
            }
            "agentless_passive" => {
                self.agentless_passive = v.eq_ignore_ascii_case("true");
                true
            }
            "mutual_needs_reciprocal" => {
                self.mutual_needs_reciprocal = v.eq_ignore_ascii_case("true");
                true
            }
            "comma_min" => num().map(|n| self.comma.min = n).is_some(),
            "comma_max" => num().map(|n| self.comma.max = n).is_some(),
            "comma_bmin" => num().map(|n| self.comma.bmin = n).is_some(),
            "comma_bmax" => num().map(|n| self.comma.bmax = n).is_some(),
            "comma_emin" => num().map(|n| self.comma.emin = n).is_some(),
            "comma_emax" => num().map(|n| self.comma.emax = n).is_some(),
            _ => false,
        }
    }
}

/// An actor in an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodedActor {
    /// Actor code (`---` prefix for agent-only, `---` for a null-coded phrase, `"TEXT"` for a new actor).
    pub code: String,
    /// Token span [start, end) of the noun phrase.
    pub span: (u32, u32),
    /// Dictionary entry that gave the actor (if any).
    pub actor_ref: Option<SourceRef>,
}

/// A coded event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodedEvent {
    /// Source actor (None when absent and `require_dyad` is off).
    pub source: Option<CodedActor>,
    /// Target actor.
    pub target: Option<CodedActor>,
    /// CAMEO code as written in the dictionary.
    pub code: String,
    /// Token span of the verb (multi-word verbs included).
    pub verb_span: (u32, u32),
    /// Matched pattern text (None when the verb's default code was used).
    pub pattern: Option<String>,
    /// Dictionary location of the pattern or verb.
    pub evidence: SourceRef,
    /// Verb block name.
    pub verb: String,
    /// A negation (not, n't, never) modifies the verb and no pattern consumed it.
    pub negated: bool,
    /// The verb was in the passive voice.
    pub passive: bool,
    /// The matched pattern spells out a negation itself ("will not accept" coded as a
    /// rejection): the negation is the event. Later stages that detect negation on their own
    /// (the enricher) must not mark such an event negated.
    pub negation_in_pattern: bool,
}

impl CodedEvent {
    /// (source, target, code) with `---` for absent actors.
    pub fn triple(&self) -> (String, String, String) {
        let f = |a: &Option<CodedActor>| {
            a.as_ref()
                .map(|x| x.code.clone())
                .unwrap_or_else(|| "---".into())
        };
        (f(&self.source), f(&self.target), self.code.clone())
    }
}

/// A discard phrase hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscardHit {
    /// The phrase.
    pub phrase: String,
    /// Story-level discard.
    pub story: bool,
}

/// The full result of coding one sentence.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Coding {
    /// Events.
    pub events: Vec<CodedEvent>,
    /// Set when the sentence was discarded (no events then).
    pub discard: Option<DiscardHit>,
    /// Issue codes with counts (only for sentences with events).
    pub issues: Vec<(String, u32)>,
}

/// The event coder: dictionaries + options.
#[derive(Debug, Clone)]
pub struct Coder {
    d: Dictionaries,
    opts: CoderOptions,
    be_forms: Vec<Sym>,
    aux_words: Vec<Sym>,
    neg_words: Vec<Sym>,
    by: Sym,
    /// Discard phrases (" PHRASE") as one automaton.
    discard_ix: DiscardIndex,
    /// Issue phrases indexed by their first word.
    issue_index: rustc_hash::FxHashMap<Sym, Vec<u32>>,
    /// Per block: pattern indices by decreasing specificity (file order among equals).
    order: Vec<Vec<u32>>,
    /// Per synset: phrases indexed by first word.
    syn_first: Vec<rustc_hash::FxHashMap<Sym, Vec<u32>>>,
    /// Per synset: phrases indexed by last word.
    syn_last: Vec<rustc_hash::FxHashMap<Sym, Vec<u32>>>,
    /// Word → synsets with a phrase containing it first.
    sym_synsets: rustc_hash::FxHashMap<Sym, Vec<u32>>,
    /// (block, anchor word) → ranks (positions in `order`) of the patterns needing that word.
    anchored: rustc_hash::FxHashMap<(u32, Sym), Vec<u32>>,
    /// Per block: ranks of patterns without literal words (always tried).
    unanchored: Vec<Vec<u32>>,
    /// Per word: what it can start (see the `F_*` bits); a cache-friendly first test before
    /// the large hash tables.
    flags: Vec<u8>,
    /// Roots with a bare country-level actor entry (document context, `context.rs`).
    country_roots: rustc_hash::FxHashSet<[u8; 3]>,
    /// Country roots: three-letter actor codes for which the dictionaries also know a
    /// government, military, legislature, police or judiciary (`IRQ` with `IRQGOV`); regions,
    /// religions and organisations (`AFR`, `MOS`, `IGO…`) have none.
    state_roots: rustc_hash::FxHashSet<String>,
}

const F_ACTOR: u8 = 1;
const F_AGENT: u8 = 2;
const F_VERB: u8 = 4;
const F_SYNSET: u8 = 8;

/// Discard phrases indexed by their first word (exact) or, for one-word stems, by the first
/// bytes of the stem.
#[derive(Debug, Clone, Default)]
struct DiscardIndex {
    by_first: rustc_hash::FxHashMap<Sym, Vec<u32>>,
    stems: rustc_hash::FxHashMap<u32, Vec<u32>>,
    /// Per discard: its words (symbol, text).
    words: Vec<Vec<(Sym, String)>>,
}

impl DiscardIndex {
    fn key(w: &str) -> u32 {
        let b = w.as_bytes();
        let mut k = 0u32;
        for i in 0..3 {
            k = k << 8 | u32::from(b.get(i).copied().unwrap_or(0));
        }
        k
    }

    fn new(d: &mut Dictionaries) -> DiscardIndex {
        let mut ix = DiscardIndex::default();
        for (k, disc) in d.discards.iter().enumerate() {
            let ws: Vec<(Sym, String)> = disc
                .text
                .split_whitespace()
                .map(|w| (d.words.intern(w), w.to_string()))
                .collect();
            if ws.len() == 1 && !disc.exact_end {
                if ws[0].1.len() >= 3 {
                    ix.stems
                        .entry(Self::key(&ws[0].1))
                        .or_default()
                        .push(k as u32);
                } else {
                    // very short stems: checked through every token's first bytes is not
                    // possible; treat them as exact words
                    ix.by_first.entry(ws[0].0).or_default().push(k as u32);
                }
            } else if let Some(&(w, _)) = ws.first() {
                ix.by_first.entry(w).or_default().push(k as u32);
            }
            ix.words.push(ws);
        }
        ix
    }
}

/// An actor code under construction.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ACode {
    base: Option<String>,
    prefix: Vec<u32>,
    suffix: Vec<u32>,
    actor: Option<u32>,
    /// A quoted new actor (unknown noun phrase, `new_actor_length`).
    newtext: Option<String>,
    /// Token span of the conjunct the code came from, when the phrase is a coordination
    /// ("Xia and Yland": each member its own span); `None` = the whole phrase.
    span: Option<(u32, u32)>,
}

impl ACode {
    fn has_actor(&self) -> bool {
        self.base.is_some() || self.newtext.is_some()
    }
}

#[derive(Debug, Clone)]
struct Unit {
    /// Node whose codes the unit carries.
    top: u32,
    /// Token span.
    start: u32,
    end: u32,
    /// Sequence positions [ps, pe).
    ps: usize,
    pe: usize,
    codes: Vec<ACode>,
    pronoun: bool,
}

enum Conj {
    Node(u32),
    Toks(Vec<u32>),
}

#[derive(Default, Clone, Copy)]
struct Bind {
    source: Option<usize>,
    target: Option<usize>,
    compound: Option<(usize, bool)>,
    skips: [usize; 6],
    nskips: usize,
}

impl Bind {
    fn skip_list(&self) -> &[usize] {
        &self.skips[..self.nskips]
    }
}

struct Ctx<'a> {
    s: &'a ParsedSentence,
    syms: Vec<Sym>,
    date: Option<u32>,
    /// Sequence of visible token indices.
    seq: Vec<u32>,
    /// Token → sequence position (usize::MAX when hidden).
    pos: Vec<usize>,
    units: Vec<Unit>,
    unit_start: Vec<Option<usize>>,
    unit_end: Vec<Option<usize>>,
    /// Node → unit whose top it is.
    top_unit: Vec<Option<usize>>,
    /// Sequence position → unit covering it.
    unit_cover: Vec<Option<usize>>,
    /// `new_actor_length` in force.
    nal: usize,
    /// Sorted distinct symbols of the visible tokens (pattern pre-filter).
    present: Vec<Sym>,
    /// Sorted synsets one of whose phrases starts with a visible token.
    syn_present: Vec<u32>,
    /// Per token: the verb-dictionary key (form or lemma), `UNKNOWN` for non-verbs.
    vsyms: Vec<Sym>,
    /// The two countries a pair phrase ("the two sides") resolves to (`context.rs`).
    pair: Option<[String; 2]>,
    /// Both actors are required and unknown phrases are not actors: a pattern's `+` passes
    /// over noun phrases without a code (see `try_lower`).
    coded_target: bool,
}

/// An actor's token span without the punctuation and coordinating conjunctions that a
/// parse may attach at its edges (", Germans", "and opposition lawmakers", ": Probably …"),
/// so that the span's text — the evidence shown to analysts — is the phrase itself.
/// A span made only of such tokens is returned unchanged.
fn trim_span(s: &ParsedSentence, span: (u32, u32)) -> (u32, u32) {
    let edge = |t: u32| {
        s.tokens.get(t as usize).is_some_and(|tok| {
            tok.tag == "CC"
                || !(tok.tag.chars().next().is_some_and(char::is_alphanumeric)
                    || tok.tag == "$"
                    || tok.tag == "#")
        })
    };
    let (mut a, mut b) = span;
    while a < b && edge(a) {
        a += 1;
    }
    while b > a && edge(b - 1) {
        b -= 1;
    }
    if a < b {
        (a, b)
    } else {
        span
    }
}

impl Ctx<'_> {
    /// Every word a pattern requires is among the sentence's visible tokens (the cheap
    /// pre-filter before matching a pattern).
    fn has_required(&self, p: &Pattern) -> bool {
        p.required
            .iter()
            .all(|w| self.present.binary_search(w).is_ok())
    }
}

struct VerbHit {
    tok: u32,
    span: (u32, u32),
    vp: u32,
    events: Vec<CodedEvent>,
    stmt: bool,
    /// A reduced passive relative: an event of its own, never swallowed (`context.rs`).
    keep: bool,
}

/// A word written all in lower case ("us", "as", "car", "island"): as a one-word actor
/// match it is the ordinary English word, not the name or abbreviation it spells (actor
/// names are proper names, capitalised in running text; agents are matched separately).
fn is_common_word(word: &str) -> bool {
    word.chars().any(char::is_alphabetic) && !word.chars().any(char::is_uppercase)
}

/// A capitalised adjective or proper noun: a nationality or name modifying a noun
/// ("Iraqi", "US" in "the Iraqi and US delegations").
fn is_name_modifier(t: &crate::sentence::Token) -> bool {
    matches!(t.tag.as_str(), "JJ" | "NNP") && t.word.chars().next().is_some_and(char::is_uppercase)
}

fn is_noun(tag: &str) -> bool {
    tag.starts_with("NN") || tag == "PRP" || tag == "CD"
}

impl Coder {
    /// Builds a coder.
    pub fn new(dicts: Dictionaries, opts: CoderOptions) -> Coder {
        let mut d = dicts;
        let be_forms = [
            "IS", "WAS", "WERE", "ARE", "BE", "BEEN", "BEING", "AM", "'S", "GET", "GOT", "GETS",
            "GOTTEN",
        ]
        .iter()
        .map(|w| d.words.intern(w))
        .collect();
        let neg_words = ["NOT", "N'T", "NEVER", "NO"]
            .iter()
            .map(|w| d.words.intern(w))
            .collect();
        let by = d.words.intern("BY");
        let aux_words = [
            "IS", "WAS", "WERE", "ARE", "BE", "BEEN", "BEING", "AM", "'S", "'RE", "'M", "HAVE",
            "HAS", "HAD", "HAVING", "'VE", "'D", "DO", "DOES", "DID", "GET", "GETS", "GOT",
            "GOTTEN", "GETTING", "WILL", "WOULD", "SHALL", "SHOULD", "CAN", "COULD", "MAY",
            "MIGHT", "MUST", "'LL", "WO", "CA",
        ]
        .iter()
        .map(|w| d.words.intern(w))
        .collect();
        let discard_ix = DiscardIndex::new(&mut d);
        let mut issue_index: rustc_hash::FxHashMap<Sym, Vec<u32>> =
            rustc_hash::FxHashMap::default();
        for (i, ph) in d.issues.iter().enumerate() {
            if let Some(&w) = ph.words.first() {
                issue_index.entry(w).or_default().push(i as u32);
            }
        }
        let order: Vec<Vec<u32>> = d
            .blocks
            .iter()
            .map(|b| {
                let mut idx: Vec<u32> = (0..b.patterns.len() as u32).collect();
                idx.sort_by_key(|&i| std::cmp::Reverse(b.patterns[i as usize].weight));
                idx
            })
            .collect();
        let mut anchored: rustc_hash::FxHashMap<(u32, Sym), Vec<u32>> =
            rustc_hash::FxHashMap::default();
        let mut unanchored: Vec<Vec<u32>> = Vec::with_capacity(d.blocks.len());
        // anchor each pattern on its rarest literal word
        let mut freq: rustc_hash::FxHashMap<Sym, u32> = rustc_hash::FxHashMap::default();
        for b in &d.blocks {
            for p in &b.patterns {
                for &w in &p.required {
                    *freq.entry(w).or_default() += 1;
                }
            }
        }
        for (bi, ord) in order.iter().enumerate() {
            let mut un = Vec::new();
            for (rank, &pi) in ord.iter().enumerate() {
                match d.blocks[bi].patterns[pi as usize]
                    .required
                    .iter()
                    .min_by_key(|&&w| (freq.get(&w).copied().unwrap_or(0), w))
                {
                    Some(&w) => anchored
                        .entry((bi as u32, w))
                        .or_default()
                        .push(rank as u32),
                    None => un.push(rank as u32),
                }
            }
            unanchored.push(un);
        }
        let mut syn_first = Vec::with_capacity(d.synsets.len());
        let mut syn_last = Vec::with_capacity(d.synsets.len());
        let mut sym_synsets: rustc_hash::FxHashMap<Sym, Vec<u32>> =
            rustc_hash::FxHashMap::default();
        for (si, set) in d.synsets.iter().enumerate() {
            let mut f: rustc_hash::FxHashMap<Sym, Vec<u32>> = rustc_hash::FxHashMap::default();
            let mut l: rustc_hash::FxHashMap<Sym, Vec<u32>> = rustc_hash::FxHashMap::default();
            for (pi, ph) in set.iter().enumerate() {
                if let (Some(&a), Some(&z)) = (ph.first(), ph.last()) {
                    f.entry(a).or_default().push(pi as u32);
                    l.entry(z).or_default().push(pi as u32);
                    let e = sym_synsets.entry(a).or_default();
                    if e.last() != Some(&(si as u32)) {
                        e.push(si as u32);
                    }
                }
            }
            syn_first.push(f);
            syn_last.push(l);
        }
        let mut flags = vec![0u8; d.words_len()];
        for w in d.actor_trie.first_words() {
            flags[w as usize] |= F_ACTOR;
        }
        for w in d.agent_trie.first_words() {
            flags[w as usize] |= F_AGENT;
        }
        for &w in d.verbs.keys() {
            flags[w as usize] |= F_VERB;
        }
        for &w in sym_synsets.keys() {
            flags[w as usize] |= F_SYNSET;
        }
        let country_roots = context::country_roots(&d);
        let state_roots = Self::state_roots(&d);
        Coder {
            country_roots,
            d,
            opts,
            be_forms,
            aux_words,
            neg_words,
            by,
            discard_ix,
            issue_index,
            order,
            syn_first,
            syn_last,
            sym_synsets,
            anchored,
            unanchored,
            flags,
            state_roots,
        }
    }

    fn state_roots(d: &Dictionaries) -> rustc_hash::FxHashSet<String> {
        let mut all: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
        for a in &d.actors {
            all.extend(a.default.as_deref());
            all.extend(a.dated.iter().filter_map(|(_, c)| c.as_deref()));
        }
        all.iter()
            .filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
            .filter(|c| {
                ["GOV", "MIL", "LEG", "COP", "JUD"]
                    .iter()
                    .any(|r| all.contains(format!("{c}{r}").as_str()))
            })
            .map(|c| c.to_string())
            .collect()
    }

    /// **Country of a country-less agent.** An agent coded without a country ("the
    /// government" `---GOV`, "police" `---COP`) gets the country when the sentence names
    /// exactly one country (in any noun phrase: "… in Nairobi", "… Chilean officials"): news
    /// about a government, court or police force names the country it is in, and a second
    /// country makes the reading ambiguous, so nothing is inferred then. A mention outside the
    /// agent's own phrase counts only in the agent's clause or a clause above it: in a clause
    /// below or beside it the country is the topic ("experts say X's crisis …"). Two guards
    /// keep the agent from being made a member of the other side or of the place: a country
    /// named only by the event's other party is used only for courts and police (`JUD`,
    /// `COP`), whose jurisdiction is their own state, acting on a domestic actor of that
    /// country (a code with a role, `CHLGOV`, not the bare state `CHL`: "the minister warned
    /// Chile" or "the speaker held talks with X's government" say nothing of the agent's
    /// country), and armed agents (`MIL`, `REB`, `INS`, `UAF`) are never given a country this
    /// way: troops and militias act abroad as often as at home ("soldiers killed three Xish
    /// civilians", "troops in X").
    fn infer_countries(&self, cx: &Ctx<'_>, events: &mut [CodedEvent]) {
        // (token, country root) of every country-coded actor phrase in every noun phrase unit,
        // not only the first one (a unit codes only its first actor: "Christian east Beirut"
        // is `CHR`)
        let mut named: Vec<(u32, &str)> = Vec::new();
        for u in cx.units.iter().filter(|u| !u.pronoun) {
            let end = (u.end as usize).min(cx.syms.len());
            let mut i = u.start as usize;
            while i < end {
                if self.flag(cx.syms[i], F_ACTOR) {
                    if let Some((a, k)) = self
                        .d
                        .actor_trie
                        .longest(&cx.syms[i..end])
                        .filter(|&(_, k)| k > 1 || !is_common_word(&cx.s.tokens[i].word))
                    {
                        let code = self.d.actors[a as usize].code_at(cx.date).unwrap_or("");
                        for c in code.split('/') {
                            if let Some(root) = c.get(..3).filter(|r| self.state_roots.contains(*r))
                            {
                                named.push((i as u32, root));
                            }
                        }
                        i += k.max(1);
                        continue;
                    }
                }
                i += 1;
            }
        }
        let mut roots: Vec<&str> = named.iter().map(|(_, r)| *r).collect();
        roots.sort_unstable();
        roots.dedup();
        let [country] = roots.as_slice() else {
            return;
        };
        let inside = |t: u32, sp: (u32, u32)| sp.0 <= t && t < sp.1;
        for e in events.iter_mut() {
            for src_slot in [true, false] {
                let (me, other) = if src_slot {
                    (&e.source, &e.target)
                } else {
                    (&e.target, &e.source)
                };
                let Some(me) = me else { continue };
                let Some(role) = me.code.strip_prefix("---").filter(|r| !r.is_empty()) else {
                    continue;
                };
                let armed = (0..role.len())
                    .step_by(3)
                    .filter_map(|i| role.get(i..i + 3))
                    .any(|p| matches!(p, "MIL" | "REB" | "INS" | "UAF"));
                // the country may be named in the agent's own phrase ("a newspaper based in
                // X") or outside the other party's phrase in the agent's own clause or a clause
                // above it ("officials in X said …", "X's president said civilians fled …"), but
                // not in a clause below or beside the agent's ("experts say X's crisis …", "the
                // two presidents cooperate despite backing rival sides in X's war"): there it is
                // the topic of what is said or done, not where the agent belongs
                let agent_clause = clause_of(cx.s, me.span.0);
                let outside_other = named.iter().any(|&(t, _)| {
                    inside(t, me.span)
                        || other.as_ref().is_none_or(|o| !inside(t, o.span))
                            && clause_contains(cx.s, clause_of(cx.s, t), agent_clause)
                });
                let jurisdiction = (0..role.len())
                    .step_by(3)
                    .filter_map(|i| role.get(i..i + 3))
                    .any(|p| matches!(p, "JUD" | "COP"));
                let other_domestic = other
                    .as_ref()
                    .is_some_and(|o| o.code.len() > 3 && o.code.starts_with(*country));
                if armed || !(outside_other || jurisdiction && other_domestic) {
                    continue;
                }
                let code = format!("{country}{role}");
                if src_slot {
                    if let Some(a) = e.source.as_mut() {
                        a.code = code;
                    }
                } else if let Some(a) = e.target.as_mut() {
                    a.code = code;
                }
            }
        }
    }

    fn flag(&self, w: Sym, f: u8) -> bool {
        self.flags.get(w as usize).is_some_and(|x| x & f != 0)
    }

    /// The dictionaries.
    pub fn dictionaries(&self) -> &Dictionaries {
        &self.d
    }

    /// The default options.
    pub fn options(&self) -> &CoderOptions {
        &self.opts
    }

    /// Codes one sentence with the coder's options; returns the events.
    pub fn code(&self, s: &ParsedSentence, date: Option<NaiveDate>) -> Vec<CodedEvent> {
        self.code_full(s, date, &self.opts).events
    }

    /// Codes one sentence with explicit options; returns events, discard and issues.
    pub fn code_full(
        &self,
        s: &ParsedSentence,
        date: Option<NaiveDate>,
        opts: &CoderOptions,
    ) -> Coding {
        self.code_with_pair(s, date, opts, None)
    }

    /// [`Coder::code_full`] with the document's pair of countries for "the two sides"
    /// (see [`Coder::code_in_document`]).
    fn code_with_pair(
        &self,
        s: &ParsedSentence,
        date: Option<NaiveDate>,
        opts: &CoderOptions,
        pair: Option<[String; 2]>,
    ) -> Coding {
        let mut out = Coding::default();
        if s.tokens.is_empty() || s.nodes.is_empty() {
            return out;
        }
        let date = date.map(|d| d.year() as u32 * 10000 + d.month() * 100 + d.day());
        let syms: Vec<Sym> = s
            .tokens
            .iter()
            .map(|t| self.d.words.get(&t.upper))
            .collect();
        if let Some(hit) = self.discard(s, &syms) {
            out.discard = Some(hit);
            return out;
        }
        // Fast exits that cannot change the result: no dictionary verb, or (with require_dyad
        // and no new actors) no word that can start an actor or agent phrase.
        let vsyms = self.verb_keys(s, &syms);
        let has_verb = vsyms.iter().any(|&w| w != UNKNOWN);
        if !has_verb
            || opts.require_dyad
                && opts.new_actor_length == 0
                && pair.is_none()
                && !syms.iter().any(|&w| self.flag(w, F_ACTOR | F_AGENT))
        {
            return out;
        }
        let mut cx = self.prepare(s, syms, date, opts);
        cx.vsyms = vsyms;
        cx.pair = pair;
        self.build_units(&mut cx);
        let mut hits: Vec<VerbHit> = Vec::new();
        for t in 0..s.tokens.len() as u32 {
            if let Some(h) = self.code_verb(&cx, t, opts) {
                hits.push(h);
            }
        }
        // Consumption: a coded verb's VP swallows the verbs below it, except that a statement
        // verb yields to an event reported in a clause with its own subject.
        let n = hits.len();
        let mut dead = vec![false; n];
        for i in 0..n {
            if dead[i] || hits[i].events.is_empty() {
                continue;
            }
            let vp = &s.nodes[hits[i].vp as usize];
            for j in 0..n {
                if i == j
                    || dead[j]
                    || hits[j].tok < vp.start
                    || hits[j].tok >= vp.end
                    || hits[j].tok <= hits[i].span.1.saturating_sub(1)
                    || !Self::inside(s, hits[j].tok, hits[i].vp)
                    || hits[j].keep
                {
                    continue;
                }
                if hits[j].events.is_empty() {
                    continue;
                }
                if opts.reported_speech_lower_wins
                    && hits[i].stmt
                    && (self.in_subject_clause(s, hits[j].tok, hits[i].vp)
                        || hits[i].events.iter().all(|e| e.code.starts_with("01"))
                            && hits[j].events.iter().all(|e| !e.code.starts_with("01"))
                            && hits[j].tok > hits[i].span.1
                            && self.participle_clause_of(s, hits[j].tok, hits[i].vp))
                {
                    dead[i] = true;
                    break;
                }
                // an event whose source is this verb's target is that actor's own action ("help
                // X to fight Y"), not part of this one: it is not swallowed
                let own_action = opts.keep_target_actions
                    && hits[j].events.iter().any(|lo| {
                        hits[i].events.iter().any(|up| {
                            lo.source.as_ref().map(|a| &a.code)
                                == up.target.as_ref().map(|a| &a.code)
                                && lo.source.is_some()
                        })
                    });
                if own_action {
                    continue;
                }
                dead[j] = true;
            }
        }
        for (i, h) in hits.into_iter().enumerate() {
            if !dead[i] {
                for e in h.events {
                    if !out.events.iter().any(|x| x.triple() == e.triple()) {
                        out.events.push(e);
                    }
                }
            }
        }
        if opts.infer_country && !out.events.is_empty() {
            self.infer_countries(&cx, &mut out.events);
        }
        if !out.events.is_empty() && !self.d.issues.is_empty() {
            out.issues = self.issues(&cx);
        }
        out
    }

    /// A human-readable account of how a sentence is seen: the tree, the noun-phrase units
    /// with their codes, and the events with their evidence (for debugging dictionaries).
    pub fn explain(
        &self,
        s: &ParsedSentence,
        date: Option<NaiveDate>,
        opts: &CoderOptions,
    ) -> String {
        let mut out = format!("tree: {}\n", s.bracketed());
        let dn = date.map(|d| d.year() as u32 * 10000 + d.month() * 100 + d.day());
        let syms: Vec<Sym> = s
            .tokens
            .iter()
            .map(|t| self.d.words.get(&t.upper))
            .collect();
        let vsyms = self.verb_keys(s, &syms);
        let mut cx = self.prepare(s, syms, dn, opts);
        cx.vsyms = vsyms;
        self.build_units(&mut cx);
        let hidden: Vec<&str> = (0..s.tokens.len())
            .filter(|&t| cx.pos[t] == usize::MAX)
            .map(|t| s.tokens[t].word.as_str())
            .collect();
        out.push_str(&format!("hidden: {hidden:?}\n"));
        for (i, u) in cx.units.iter().enumerate() {
            let words: Vec<&str> = (u.start..u.end)
                .map(|t| s.tokens[t as usize].word.as_str())
                .collect();
            let codes: Vec<String> = u
                .codes
                .iter()
                .map(|c| self.render(c, self.opts.country_first))
                .collect();
            out.push_str(&format!(
                "unit {i}: [{}] codes {:?}\n",
                words.join(" "),
                codes
            ));
        }
        for t in 0..s.tokens.len() as u32 {
            if let Some(h) = self.code_verb(&cx, t, opts) {
                let ev: Vec<String> = h
                    .events
                    .iter()
                    .map(|e| format!("{:?}", e.triple()))
                    .collect();
                out.push_str(&format!(
                    "verb {} (stmt {}): {}\n",
                    s.tokens[t as usize].word,
                    h.stmt,
                    ev.join(" ")
                ));
            }
        }
        for e in self.code_full(s, date, opts).events {
            let (a, b, c) = e.triple();
            out.push_str(&format!(
                "event {a} {b} {c} verb {} pattern {:?} at {}:{}\n",
                e.verb,
                e.pattern,
                self.d
                    .files
                    .get(e.evidence.file as usize)
                    .map(String::as_str)
                    .unwrap_or("?"),
                e.evidence.line
            ));
        }
        out
    }

    /// Per token: the verb-dictionary key (its form, else its lemma), `UNKNOWN` for others.
    fn verb_keys(&self, s: &ParsedSentence, syms: &[Sym]) -> Vec<Sym> {
        let mut buf = String::new();
        s.tokens
            .iter()
            .zip(syms)
            .map(|(t, &w)| {
                if !t.tag.starts_with("VB") {
                    return UNKNOWN;
                }
                if self.flag(w, F_VERB) {
                    return w;
                }
                if t.lemma.eq_ignore_ascii_case(&t.word) {
                    return UNKNOWN;
                }
                buf.clear();
                buf.extend(t.lemma.chars().flat_map(char::to_uppercase));
                let l = self.d.words.get(&buf);
                if self.flag(l, F_VERB) {
                    l
                } else {
                    UNKNOWN
                }
            })
            .collect()
    }

    fn in_subject_clause(&self, s: &ParsedSentence, tok: u32, upto: u32) -> bool {
        // Walk up from the token's leaf to `upto`: true when the first clause with its own
        // subject is a complement of the verb (directly under its VP, or under a
        // that/if/whether/zero SBAR there), not an adverbial or a relative clause.
        let mut n = s.leaf[tok as usize];
        while n != NONE && n != upto {
            let nd = &s.nodes[n as usize];
            if nd.cat == Cat::S
                && nd
                    .children
                    .iter()
                    .any(|&c| matches!(s.cat(c), Cat::Np | Cat::Whnp))
            {
                let p = nd.parent;
                if p == upto {
                    return true;
                }
                if p != NONE && s.cat(p) == Cat::Sbar && s.nodes[p as usize].parent == upto {
                    return match s.nodes[p as usize].children.first().copied() {
                        Some(f) if s.cat(f) == Cat::Leaf => {
                            matches!(
                                s.tokens[s.nodes[f as usize].token as usize].upper.as_str(),
                                "THAT" | "IF" | "WHETHER"
                            )
                        }
                        Some(f) => f == n,
                        None => false,
                    };
                }
                return false;
            }
            if matches!(nd.cat, Cat::Np | Cat::Pp) {
                return false;
            }
            n = nd.parent;
        }
        false
    }

    /// Whether token `tok` is a present participle heading a subjectless clause directly
    /// under the VP `upto` ("issued a declaration *demanding* that …", "said, *accusing* X
    /// of …"): the participle says what the statement is, so its event replaces the bare
    /// statement (`reported_speech_lower_wins`). The caller requires an object or a comma
    /// between the two verbs: right after the statement verb a gerund is more often the
    /// subject of a reported clause the parse lost ("says *fighting* in X has forced …").
    fn participle_clause_of(&self, s: &ParsedSentence, tok: u32, upto: u32) -> bool {
        if s.tokens[tok as usize].tag != "VBG" {
            return false;
        }
        // a progressive ("are targeting") is a finite verb whose subject the parse lost
        let before = (0..tok as usize)
            .rev()
            .find(|&k| !s.tokens[k].tag.starts_with("RB"));
        if before.is_some_and(|k| {
            self.be_forms
                .contains(&self.d.words.get(&s.tokens[k].upper))
        }) {
            return false;
        }
        let mut n = s.nodes[s.leaf[tok as usize] as usize].parent;
        while n != NONE && s.cat(n) == Cat::Vp {
            let p = s.nodes[n as usize].parent;
            if p == upto {
                return true;
            }
            if p == NONE || s.cat(p) != Cat::S {
                return false;
            }
            let clause = &s.nodes[p as usize];
            if clause
                .children
                .iter()
                .any(|&c| matches!(s.cat(c), Cat::Np | Cat::Whnp))
            {
                return false;
            }
            if clause.parent == upto {
                return true;
            }
            n = clause.parent;
        }
        false
    }

    /// The sequence position where the first reported clause of the verb phrase `vp` starts:
    /// a clause with its own subject directly under it, or under a that/zero SBAR there.
    fn reported_clause_start(&self, cx: &Ctx<'_>, vp: u32) -> Option<(usize, Option<usize>)> {
        let s = cx.s;
        let has_subject = |n: u32| {
            s.cat(n) == Cat::S
                && s.nodes[n as usize]
                    .children
                    .iter()
                    .any(|&c| matches!(s.cat(c), Cat::Np | Cat::Whnp))
        };
        let clause = s.nodes[vp as usize].children.iter().copied().find(|&c| {
            has_subject(c)
                || s.cat(c) == Cat::Sbar
                    && s.nodes[c as usize]
                        .children
                        .iter()
                        .copied()
                        .any(has_subject)
                    && s.nodes[c as usize].children.first().is_some_and(|&f| {
                        s.cat(f) != Cat::Leaf
                            || s.tokens[s.nodes[f as usize].token as usize].upper == "THAT"
                    })
        })?;
        let clause_s = if s.cat(clause) == Cat::S {
            clause
        } else {
            s.nodes[clause as usize]
                .children
                .iter()
                .copied()
                .find(|&c| has_subject(c))?
        };
        let subject = s.nodes[clause_s as usize]
            .children
            .iter()
            .copied()
            .find(|&c| matches!(s.cat(c), Cat::Np | Cat::Whnp))
            .and_then(|n| self.unit_of_node(cx, n));
        let nd = &s.nodes[clause as usize];
        let start = (nd.start..nd.end)
            .map(|k| cx.pos[k as usize])
            .find(|&p| p != usize::MAX)?;
        Some((start, subject))
    }

    /// Is the token's leaf inside node `n`?
    fn inside(s: &ParsedSentence, tok: u32, n: u32) -> bool {
        let mut k = s.leaf[tok as usize];
        while k != NONE {
            if k == n {
                return true;
            }
            k = s.nodes[k as usize].parent;
        }
        false
    }

    fn discard(&self, s: &ParsedSentence, syms: &[Sym]) -> Option<DiscardHit> {
        let ix = &self.discard_ix;
        if self.d.discards.is_empty() {
            return None;
        }
        for (i, t) in s.tokens.iter().enumerate() {
            let check = |k: u32| -> Option<DiscardHit> {
                let d = &self.d.discards[k as usize];
                let words = &ix.words[k as usize];
                let n = words.len();
                if i + n > s.tokens.len() {
                    return None;
                }
                for (j, (w, ws)) in words.iter().enumerate() {
                    let tok = &s.tokens[i + j];
                    let last = j + 1 == n;
                    let ok = if last && !d.exact_end {
                        tok.upper.starts_with(ws.as_str())
                    } else {
                        syms[i + j] == *w && *w != UNKNOWN
                    };
                    if !ok {
                        return None;
                    }
                }
                Some(DiscardHit {
                    phrase: d.text.clone(),
                    story: d.story,
                })
            };
            if let Some(list) = ix.by_first.get(&syms[i]) {
                for &k in list {
                    if let Some(h) = check(k) {
                        return Some(h);
                    }
                }
            }
            if let Some(list) = ix.stems.get(&DiscardIndex::key(&t.upper)) {
                for &k in list {
                    if let Some(h) = check(k) {
                        return Some(h);
                    }
                }
            }
        }
        None
    }

    fn prepare<'a>(
        &self,
        s: &'a ParsedSentence,
        syms: Vec<Sym>,
        date: Option<u32>,
        opts: &CoderOptions,
    ) -> Ctx<'a> {
        let n = s.tokens.len();
        let hidden = self.comma_deleted(s, &opts.comma);
        let mut seq = Vec::with_capacity(n);
        let mut pos = vec![usize::MAX; n];
        for i in 0..n {
            if hidden[i] || s.tokens[i].tag == "POS" {
                continue;
            }
            pos[i] = seq.len();
            seq.push(i as u32);
        }
        let m = seq.len();
        let mut present: Vec<Sym> = seq.iter().map(|&t| syms[t as usize]).collect();
        present.sort_unstable();
        present.dedup();
        let mut syn_present: Vec<u32> = present
            .iter()
            .filter(|&&w| self.flag(w, F_SYNSET))
            .filter_map(|w| self.sym_synsets.get(w))
            .flatten()
            .copied()
            .collect();
        syn_present.sort_unstable();
        syn_present.dedup();
        Ctx {
            s,
            syms,
            date,
            seq,
            pos,
            units: Vec::new(),
            unit_start: vec![None; m + 1],
            unit_end: vec![None; m + 1],
            top_unit: vec![None; s.nodes.len()],
            unit_cover: vec![None; m + 1],
            nal: opts.new_actor_length,
            present,
            syn_present,
            vsyms: Vec::new(),
            pair: None,
            coded_target: opts.require_dyad && opts.new_actor_length == 0,
        }
    }

    /// PETRARCH-1 comma-delimited clause deletion over clause-level commas (commas inside
    /// noun phrases and lists are not clause boundaries).
    fn comma_deleted(&self, s: &ParsedSentence, c: &CommaOptions) -> Vec<bool> {
        let n = s.tokens.len();
        let mut del = vec![false; n];
        let commas: Vec<usize> = (0..n)
            .filter(|&i| {
                s.tokens[i].tag == "," && {
                    let p = s.nodes[s.leaf[i] as usize].parent;
                    p == NONE
                        || !matches!(s.cat(p), Cat::Np | Cat::Adjp | Cat::Other)
                            && !Self::opens_participle_clause(s, i)
                }
            })
            .collect();
        if commas.is_empty() {
            return del;
        }
        let words = |a: usize, b: usize| {
            (a..b)
                .filter(|&i| {
                    s.tokens[i]
                        .tag
                        .chars()
                        .next()
                        .is_some_and(|ch| ch.is_alphanumeric())
                })
                .count()
        };
        // terminal clause
        let last = *commas.last().unwrap_or(&0);
        let end = if n > 0 && matches!(s.tokens[n - 1].tag.as_str(), "." | ":") {
            n - 1
        } else {
            n
        };
        let tw = words(last + 1, end);
        let mut deleted_terminal = false;
        if c.emax > 0 && tw >= c.emin && tw <= c.emax {
            for d in del.iter_mut().take(end).skip(last) {
                *d = true;
            }
            deleted_terminal = true;
        }
        // initial clause
        let first = commas[0];
        let bw = words(0, first);
        if c.bmax > 0 && bw >= c.bmin && bw <= c.bmax {
            for d in del.iter_mut().take(first + 1) {
                *d = true;
            }
        }
        // internal clauses
        if c.max > 0 {
            let lim = if deleted_terminal {
                commas.len() - 1
            } else {
                commas.len()
            };
            for w in commas[..lim].windows(2) {
                let (a, b) = (w[0], w[1]);
                let k = words(a + 1, b);
                if k >= c.min && k <= c.max {
                    for d in del.iter_mut().take(b).skip(a) {
                        *d = true;
                    }
                }
            }
        }
        del
    }

    // ---------------------------------------------------------------- noun phrases

    fn is_coordination(&self, s: &ParsedSentence, n: u32) -> bool {
        self.conjuncts(s, n).len() >= 2
    }

    /// The conjuncts of a coordinated NP: child NPs and runs of words between CC/commas.
    fn conjuncts(&self, s: &ParsedSentence, n: u32) -> Vec<Conj> {
        let nd = &s.nodes[n as usize];
        let has_cc = nd.children.iter().skip(1).any(|&c| {
            s.cat(c) == Cat::Leaf && s.tokens[s.nodes[c as usize].token as usize].tag == "CC"
        });
        if !has_cc {
            return Vec::new();
        }
        let nps = nd.children.iter().filter(|&&c| s.cat(c) == Cat::Np).count();
        if nps == 0 {
            let g = self.flat_groups(s, n);
            if g.len() < 2 {
                return Vec::new();
            }
            // coordinated name modifiers share the head noun: "Russian and Ukrainian
            // negotiators" is Russian negotiators and Ukrainian negotiators
            let noun_less = |grp: &Vec<u32>| {
                !grp.iter().any(|&t| {
                    is_noun(&s.tokens[t as usize].tag) && !is_name_modifier(&s.tokens[t as usize])
                })
            };
            if noun_less(&g[0])
                && g[0]
                    .iter()
                    .any(|&t| is_name_modifier(&s.tokens[t as usize]))
            {
                let last = g.last().cloned().unwrap_or_default();
                let head: Vec<u32> = last
                    .iter()
                    .copied()
                    .skip_while(|&t| {
                        !is_noun(&s.tokens[t as usize].tag)
                            || is_name_modifier(&s.tokens[t as usize])
                    })
                    .collect();
                let n_groups = g.len();
                return g
                    .into_iter()
                    .enumerate()
                    .map(|(k, mut grp)| {
                        if k + 1 < n_groups {
                            grp.extend(head.iter().copied());
                        }
                        Conj::Toks(grp)
                    })
                    .collect();
            }
            let prefix: Vec<u32> = g[0]
                .iter()
                .copied()
                .take_while(|&t| !is_noun(&s.tokens[t as usize].tag))
                .filter(|&t| s.tokens[t as usize].tag != "DT")
                .collect();
            return g
                .into_iter()
                .enumerate()
                .map(|(k, grp)| {
                    let mut toks = if k == 0 { Vec::new() } else { prefix.clone() };
                    toks.extend(grp);
                    Conj::Toks(toks)
                })
                .collect();
        }
        let mut out = Vec::new();
        let mut run: Vec<u32> = Vec::new();
        let flush = |run: &mut Vec<u32>, out: &mut Vec<Conj>| {
            if run.iter().any(|&t| is_noun(&s.tokens[t as usize].tag))
                || !run.is_empty()
                    && run.iter().all(|&t| {
                        s.tokens[t as usize].tag == "DT" || is_name_modifier(&s.tokens[t as usize])
                    })
                    && run.iter().any(|&t| is_name_modifier(&s.tokens[t as usize]))
            {
                out.push(Conj::Toks(std::mem::take(run)));
            }
            run.clear();
        };
        for &c in &nd.children {
            match s.cat(c) {
                Cat::Np => {
                    flush(&mut run, &mut out);
                    out.push(Conj::Node(c));
                }
                Cat::Leaf => {
                    let t = s.nodes[c as usize].token;
                    if matches!(s.tokens[t as usize].tag.as_str(), "CC" | ",") {
                        flush(&mut run, &mut out);
                    } else {
                        run.push(t);
                    }
                }
                Cat::Prn | Cat::Pp | Cat::Sbar | Cat::Vp => {}
                _ => {
                    let mut ts = Vec::new();
                    self.own_tokens(s, c, &mut ts);
                    run.extend(ts);
                }
            }
        }
        flush(&mut run, &mut out);
        if out.len() < 2 || nps < 2 && out.len() < 2 {
            return Vec::new();
        }
        out
    }

    fn new_actor(&self, cx: &Ctx<'_>, toks: &[u32]) -> Option<ACode> {
        if cx.nal == 0 {
            return None;
        }
        let words: Vec<&str> = toks
            .iter()
            .filter(|&&t| {
                cx.s.tokens[t as usize].tag != "POS"
                    && cx.s.tokens[t as usize]
                        .tag
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric)
            })
            .map(|&t| cx.s.tokens[t as usize].upper.as_str())
            .collect();
        if words.is_empty() || words.len() > cx.nal {
            return None;
        }
        Some(ACode {
            base: None,
            prefix: vec![],
            suffix: vec![],
            actor: None,
            newtext: Some(words.join(" ")),
            span: None,
        })
    }

    /// Splits a flat NP at CC/commas that separate nominals: returns token groups.
    fn flat_groups(&self, s: &ParsedSentence, n: u32) -> Vec<Vec<u32>> {
        let nd = &s.nodes[n as usize];
        if nd
            .children
            .iter()
            .any(|&c| s.cat(c) != Cat::Leaf && s.cat(c) != Cat::Adjp)
        {
            return Vec::new();
        }
        let toks: Vec<u32> = nd
            .children
            .iter()
            .filter(|&&c| s.cat(c) == Cat::Leaf)
            .map(|&c| s.nodes[c as usize].token)
            .collect();
        let mut groups: Vec<Vec<u32>> = vec![Vec::new()];
        let mut saw_cc = false;
        for (k, &t) in toks.iter().enumerate() {
            let tag = s.tokens[t as usize].tag.as_str();
            if (tag == "CC" || tag == ",") && k > 0 {
                let prev_noun = is_noun(&s.tokens[toks[k - 1] as usize].tag)
                    || tag == "CC" && is_name_modifier(&s.tokens[toks[k - 1] as usize]);
                let name_cc = tag == "CC" && is_name_modifier(&s.tokens[toks[k - 1] as usize]);
                let next_noun = toks[k + 1..]
                    .iter()
                    .take_while(|&&u| !matches!(s.tokens[u as usize].tag.as_str(), "CC" | ","))
                    .any(|&u| {
                        is_noun(&s.tokens[u as usize].tag)
                            || name_cc && is_name_modifier(&s.tokens[u as usize])
                    });
                if prev_noun && next_noun {
                    saw_cc |= tag == "CC";
                    groups.push(Vec::new());
                    continue;
                }
            }
            if let Some(g) = groups.last_mut() {
                g.push(t);
            }
        }
        groups.retain(|g| !g.is_empty());
        if !saw_cc || groups.len() < 2 {
            return Vec::new();
        }
        groups
    }

    /// Scans words for actor and agents; returns the codes found (several when an actor code
    /// is a `/` list).
    fn scan(&self, cx: &Ctx<'_>, toks: &[u32]) -> Vec<ACode> {
        let kept: Vec<u32> = toks
            .iter()
            .copied()
            .filter(|&t| cx.s.tokens[t as usize].tag != "POS")
            .collect();
        let words: Vec<Sym> = kept.iter().map(|&t| cx.syms[t as usize]).collect();
        let mut actor: Option<u32> = None;
        let mut prefix = Vec::new();
        let mut suffix = Vec::new();
        let mut i = 0;
        while i < words.len() {
            if !self.flag(words[i], F_ACTOR | F_AGENT) {
                i += 1;
                continue;
            }
            if let Some((a, k)) = self
                .flag(words[i], F_ACTOR)
                .then(|| self.d.actor_trie.longest(&words[i..]))
                .flatten()
                .filter(|&(_, k)| k > 1 || !is_common_word(&cx.s.tokens[kept[i] as usize].word))
            {
                if actor.is_none() {
                    actor = Some(a);
                }
                i += k;
                continue;
            }
            if let Some((g, k)) = self.d.agent_trie.longest(&words[i..]) {
                let ag = &self.d.agents[g as usize];
                let list = if ag.prefix { &mut prefix } else { &mut suffix };
                if !list.contains(&g) {
                    list.push(g);
                }
                i += k;
                continue;
            }
            i += 1;
        }
        match actor {
            Some(a) => {
                let code = self.d.actors[a as usize].code_at(cx.date);
                match code {
                    Some(c) => c
                        .split('/')
                        .filter(|x| !x.is_empty())
                        .map(|c| ACode {
                            base: Some(c.to_string()),
                            prefix: prefix.clone(),
                            suffix: suffix.clone(),
                            actor: Some(a),
                            newtext: None,
                            span: None,
                        })
                        .collect(),
                    None => vec![ACode {
                        base: None,
                        prefix,
                        suffix,
                        actor: Some(a),
                        newtext: None,
                        span: None,
                    }],
                }
            }
            None if !prefix.is_empty() || !suffix.is_empty() => vec![ACode {
                base: None,
                prefix,
                suffix,
                actor: None,
                newtext: None,
                span: None,
            }],
            None => Vec::new(),
        }
    }

    fn own_tokens(&self, s: &ParsedSentence, n: u32, out: &mut Vec<u32>) {
        for &c in &s.nodes[n as usize].children {
            match s.cat(c) {
                Cat::Leaf => out.push(s.nodes[c as usize].token),
                Cat::S | Cat::Sbar | Cat::Vp | Cat::Pp | Cat::Prn => {}
                _ => self.own_tokens(s, c, out),
            }
        }
    }

    fn flat_tokens(&self, s: &ParsedSentence, n: u32, out: &mut Vec<u32>) {
        for &c in &s.nodes[n as usize].children {
            match s.cat(c) {
                Cat::Leaf => out.push(s.nodes[c as usize].token),
                Cat::S | Cat::Sbar | Cat::Vp | Cat::Prn => {}
                _ => self.flat_tokens(s, c, out),
            }
        }
    }

    fn is_complex(&self, s: &ParsedSentence, n: u32) -> bool {
        let nd = &s.nodes[n as usize];
        let first = nd.children.iter().find(|&&c| {
            !(s.cat(c) == Cat::Leaf && s.tokens[s.nodes[c as usize].token as usize].tag == "DT")
        });
        let Some(&first) = first else { return false };
        if s.cat(first) != Cat::Np {
            return false;
        }
        // possessive NP followed by words = base NP
        let post = nd
            .children
            .iter()
            .any(|&c| matches!(s.cat(c), Cat::Pp | Cat::Sbar | Cat::Vp | Cat::S | Cat::Prn));
        let nps = nd.children.iter().filter(|&&c| s.cat(c) == Cat::Np).count();
        let leaves_after = nd
            .children
            .iter()
            .skip_while(|&&c| c != first)
            .skip(1)
            .any(|&c| {
                s.cat(c) == Cat::Leaf && is_noun(&s.tokens[s.nodes[c as usize].token as usize].tag)
            });
        (post || nps >= 2) && !leaves_after
    }

    /// The unit after `in` in positions `[from, to)` coded as a bare state ("in Lebanon").
    fn state_of_place(&self, cx: &Ctx<'_>, from: usize, to: usize) -> Option<usize> {
        (from..to).find_map(|p| {
            let u = cx.unit_start[p]?;
            let unit = &cx.units[u];
            let before = unit.start.checked_sub(1)? as usize;
            let bare_state = unit.codes.len() == 1
                && unit.codes[0].prefix.is_empty()
                && unit.codes[0].suffix.is_empty()
                && unit.codes[0]
                    .base
                    .as_deref()
                    .is_some_and(|b| b.len() == 3 && self.state_roots.contains(b));
            (bare_state && cx.s.tokens[before].word.eq_ignore_ascii_case("in")).then_some(u)
        })
    }

    /// Whether a noun phrase is a bare quantity: a number or a counting noun ("hundreds",
    /// "dozens", "a number"), optionally with a determiner or a number before it.
    fn is_quantity(&self, s: &ParsedSentence, n: u32) -> bool {
        let nd = &s.nodes[n as usize];
        let Some(&last) = nd.children.last() else {
            return false;
        };
        if s.cat(last) != Cat::Leaf
            || nd.children.iter().any(|&c| s.cat(c) != Cat::Leaf)
            || nd.end - nd.start > 3
        {
            return false;
        }
        let t = &s.tokens[s.nodes[last as usize].token as usize];
        t.tag == "CD"
            || matches!(
                t.word.to_ascii_lowercase().as_str(),
                "hundreds"
                    | "thousands"
                    | "tens"
                    | "millions"
                    | "dozens"
                    | "scores"
                    | "dozen"
                    | "hundred"
                    | "thousand"
                    | "number"
                    | "handful"
            )
    }

    fn combine(head: &[ACode], actors: &[ACode]) -> Vec<ACode> {
        let mut out = Vec::new();
        let heads: Vec<ACode> = if head.is_empty() {
            vec![ACode {
                base: None,
                prefix: vec![],
                suffix: vec![],
                actor: None,
                newtext: None,
                span: None,
            }]
        } else {
            head.to_vec()
        };
        for h in &heads {
            for a in actors {
                let mut c = a.clone();
                for p in &h.prefix {
                    if !c.prefix.contains(p) {
                        c.prefix.push(*p);
                    }
                }
                for x in &h.suffix {
                    if !c.suffix.contains(x) {
                        c.suffix.insert(0, *x);
                    }
                }
                out.push(c);
            }
        }
        out
    }

    fn codes_of(&self, cx: &Ctx<'_>, n: u32, depth: u32) -> Vec<ACode> {
        let s = cx.s;
        if depth > 12 {
            return Vec::new();
        }
        let conj = self.conjuncts(s, n);
        if conj.len() >= 2 {
            let mut out = Vec::new();
            for c in conj {
                let (mut codes, toks, cspan) = match c {
                    Conj::Node(k) => {
                        let mut ts = Vec::new();
                        self.flat_tokens(s, k, &mut ts);
                        let nd = &s.nodes[k as usize];
                        (self.codes_of(cx, k, depth + 1), ts, (nd.start, nd.end))
                    }
                    Conj::Toks(ts) => {
                        let a = ts.iter().copied().min().unwrap_or(0);
                        let b = ts.iter().copied().max().map_or(a, |m| m + 1);
                        (self.scan(cx, &ts), ts, (a, b))
                    }
                };
                if codes.is_empty() {
                    codes.extend(self.new_actor(cx, &toks));
                }
                for code in codes.iter_mut() {
                    code.span.get_or_insert(cspan);
                }
                out.extend(codes);
            }
            return out;
        }
        if self.is_complex(s, n) {
            let nd = &s.nodes[n as usize];
            let Some(&head) = nd.children.iter().find(|&&c| s.cat(c) == Cat::Np) else {
                return Vec::new();
            };
            let mut hc = self.codes_of(cx, head, depth + 1);
            // a quantity head ("hundreds of protesters", "dozens of the soldiers", "three of
            // them") says how many; who they are is its "of" phrase, coded or agent-only
            if hc.is_empty() && self.is_quantity(s, head) {
                let of_np = nd.children.iter().copied().find_map(|c| {
                    let ch = &s.nodes[c as usize].children;
                    let first = ch.first().copied()?;
                    (s.cat(c) == Cat::Pp
                        && s.cat(first) == Cat::Leaf
                        && s.tokens[s.nodes[first as usize].token as usize]
                            .word
                            .eq_ignore_ascii_case("of"))
                    .then(|| ch.iter().copied().find(|&k| s.cat(k) == Cat::Np))
                    .flatten()
                });
                if let Some(sub) = of_np {
                    return self.codes_of(cx, sub, depth + 1);
                }
            }
            if hc.iter().any(ACode::has_actor) {
                // an agent phrase spanning the head and its modifiers ("Ministry of Silly Walks")
                let mut flat = Vec::new();
                self.flat_tokens(s, n, &mut flat);
                let hs = s.nodes[head as usize].end;
                let words: Vec<Sym> = flat.iter().map(|&t| cx.syms[t as usize]).collect();
                for i in 0..flat.len() {
                    if flat[i] >= hs {
                        break;
                    }
                    if let Some((g, k)) = self.d.agent_trie.longest(&words[i..]) {
                        if flat[i + k - 1] >= hs {
                            let pre = self.d.agents[g as usize].prefix;
                            for c in hc.iter_mut() {
                                let l = if pre { &mut c.prefix } else { &mut c.suffix };
                                if !l.contains(&g) {
                                    l.push(g);
                                }
                            }
                            break;
                        }
                    }
                }
                return hc;
            }
            // an actor phrase spanning the head and its modifiers ("Prince of Dol Amroth")
            let mut flat = Vec::new();
            self.flat_tokens(s, n, &mut flat);
            let hs = s.nodes[head as usize].end;
            let words: Vec<Sym> = flat.iter().map(|&t| cx.syms[t as usize]).collect();
            for (i, &t) in flat.iter().enumerate() {
                if t >= hs {
                    break;
                }
                if let Some((_, k)) = self.d.actor_trie.longest(&words[i..]) {
                    if i + k > 0 && flat[i + k - 1] >= hs {
                        return self.scan(cx, &flat);
                    }
                }
            }
            for &c in &nd.children {
                if c == head {
                    continue;
                }
                let sub = match s.cat(c) {
                    Cat::Pp => s.nodes[c as usize]
                        .children
                        .iter()
                        .copied()
                        .find(|&k| s.cat(k) == Cat::Np),
                    Cat::Np => Some(c),
                    _ => None,
                };
                if let Some(sub) = sub {
                    let sn = &s.nodes[sub as usize];
                    let sc =
                        self.pair_codes(cx, sn.start, sn.end, self.codes_of(cx, sub, depth + 1));
                    if sc.iter().any(ACode::has_actor) {
                        let actors: Vec<ACode> = sc.into_iter().filter(ACode::has_actor).collect();
                        return Self::combine(&hc, &actors);
                    }
                }
            }
            return hc;
        }
        let mut toks = Vec::new();
        self.own_tokens(s, n, &mut toks);
        for &c in &s.nodes[n as usize].children {
            if s.cat(c) == Cat::Np && self.is_coordination(s, c) {
                let cc = self.codes_of(cx, c, depth + 1);
                if cc.iter().any(ACode::has_actor) {
                    let (a, b) = (s.nodes[c as usize].start, s.nodes[c as usize].end);
                    let rest: Vec<u32> =
                        toks.iter().copied().filter(|&t| t < a || t >= b).collect();
                    let hc = self.scan(cx, &rest);
                    if !hc.iter().any(ACode::has_actor) {
                        return Self::combine(&hc, &cc);
                    }
                }
            }
        }
        self.scan(cx, &toks)
    }

    /// The code of an actor: prefix agents, the actor's code, suffix agents. With
    /// `country_first` and a state's code, the prefix agents follow the state
    /// (`USA` + `[NGO~]` → `USANGO`, see [`CoderOptions::country_first`]).
    fn render(&self, c: &ACode, country_first: bool) -> String {
        if let Some(t) = &c.newtext {
            return format!("\"{t}\"");
        }
        let mut out = String::new();
        let after = country_first
            && c.base
                .as_deref()
                .and_then(|b| b.get(..3))
                .is_some_and(|r| self.state_roots.contains(r));
        if !after {
            for p in &c.prefix {
                out.push_str(&self.d.agents[*p as usize].code);
            }
        }
        let base = c.base.clone().unwrap_or_else(|| "---".to_string());
        out.push_str(&base);
        if after {
            for p in &c.prefix {
                let code = &self.d.agents[*p as usize].code;
                if !out.get(3..).unwrap_or("").contains(code.as_str()) {
                    out.push_str(code);
                }
            }
        }
        let pieces: Vec<&str> = (3..base.len())
            .step_by(3)
            .filter_map(|i| base.get(i..i + 3))
            .collect();
        for x in &c.suffix {
            let code = &self.d.agents[*x as usize].code;
            let mut k = 0;
            while k < code.len() {
                let piece = code.get(k..(k + 3).min(code.len())).unwrap_or("");
                if !pieces.contains(&piece) && !out.get(3..).unwrap_or("").contains(piece)
                    || c.base.is_none() && !out.get(3..).unwrap_or("").contains(piece)
                {
                    out.push_str(piece);
                }
                k += 3;
            }
        }
        out
    }

    fn add_unit(&self, cx: &mut Ctx<'_>, node: u32, top: u32) {
        let nd = &cx.s.nodes[node as usize];
        // visible positions
        let ps = (nd.start..nd.end)
            .map(|t| cx.pos[t as usize])
            .find(|&p| p != usize::MAX);
        let pe = (nd.start..nd.end)
            .rev()
            .map(|t| cx.pos[t as usize])
            .find(|&p| p != usize::MAX);
        let (Some(ps), Some(pe)) = (ps, pe) else {
            return;
        };
        let pronoun =
            nd.end == nd.start + 1 && cx.s.tokens[nd.start as usize].tag.starts_with("PRP") || {
                let toks: Vec<&str> = (nd.start..nd.end)
                    .map(|t| cx.s.tokens[t as usize].tag.as_str())
                    .collect();
                toks == ["PRP"]
            };
        // most noun phrases hold no dictionary word at all: skip the resolution for them
        let tn = &cx.s.nodes[top as usize];
        let any = (tn.start..tn.end).any(|t| self.flag(cx.syms[t as usize], F_ACTOR | F_AGENT));
        let codes = if any || cx.nal > 0 {
            self.codes_of(cx, top, 0)
        } else {
            Vec::new()
        };
        let codes = self.pair_codes(cx, nd.start, nd.end, codes);
        let u = cx.units.len();
        cx.units.push(Unit {
            top,
            start: nd.start,
            end: nd.end,
            ps,
            pe: pe + 1,
            codes,
            pronoun,
        });
        cx.unit_start[ps] = Some(u);
        cx.unit_end[pe] = Some(u);
        for q in ps..=pe {
            cx.unit_cover[q] = Some(u);
        }
        cx.top_unit[top as usize] = Some(u);
        if node != top {
            cx.top_unit[node as usize] = Some(u);
        }
    }

    fn build_units(&self, cx: &mut Ctx<'_>) {
        let mut stack = vec![(0u32, NONE)];
        while let Some((n, head_of)) = stack.pop() {
            let s = cx.s;
            let cat = s.cat(n);
            if cat == Cat::Np {
                let top = if head_of == NONE { n } else { head_of };
                if self.is_coordination(s, n) {
                    self.add_unit(cx, n, top);
                    continue;
                }
                if self.is_complex(s, n) {
                    let nd = &s.nodes[n as usize];
                    let head = nd.children.iter().copied().find(|&c| s.cat(c) == Cat::Np);
                    let kids: Vec<u32> = nd.children.clone();
                    for &c in kids.iter().rev() {
                        if Some(c) == head {
                            stack.push((c, top));
                        } else {
                            stack.push((c, NONE));
                        }
                    }
                    continue;
                }
                self.add_unit(cx, n, top);
                // clauses inside a base NP still hold verbs but no further units
                continue;
            }
            if cat == Cat::NpTmp || cat == Cat::Leaf {
                continue;
            }
            for &c in s.nodes[n as usize].children.iter().rev() {
                stack.push((c, NONE));
            }
        }
    }

    // ---------------------------------------------------------------- verbs

    fn verb_forms_at(&self, cx: &Ctx<'_>, t: u32) -> Vec<(&crate::dict::VerbForm, (u32, u32))> {
        let s = cx.s;
        let w = cx.vsyms.get(t as usize).copied().unwrap_or(UNKNOWN);
        let cands = if w == UNKNOWN {
            None
        } else {
            self.d.verbs.get(&w)
        };
        let Some(cands) = cands else {
            return Vec::new();
        };
        let mut found: Vec<(&crate::dict::VerbForm, (u32, u32), usize)> = Vec::new();
        for f in cands {
            let b = f.before.len() as u32;
            let a = f.after.len() as u32;
            if t < b || (t + a) as usize >= s.tokens.len() && a > 0 {
                continue;
            }
            let ok_b = f
                .before
                .iter()
                .enumerate()
                .all(|(k, &w)| cx.syms[(t - b) as usize + k] == w);
            let ok_a = f
                .after
                .iter()
                .enumerate()
                .all(|(k, &w)| cx.syms[(t + 1) as usize + k] == w);
            if ok_b && ok_a {
                found.push((f, (t - b, t + a + 1), (a + b) as usize));
            }
        }
        let best = found.iter().map(|x| x.2).max().unwrap_or(0);
        let mut out: Vec<(&crate::dict::VerbForm, (u32, u32))> = Vec::new();
        for (f, sp, l) in found {
            if l == best && !out.iter().any(|(g, _)| g.block == f.block) {
                out.push((f, sp));
            }
        }
        out
    }

    fn code_verb(&self, cx: &Ctx<'_>, t: u32, opts: &CoderOptions) -> Option<VerbHit> {
        let s = cx.s;
        let tok = &s.tokens[t as usize];
        if !tok.tag.starts_with("VB") || cx.pos[t as usize] == usize::MAX {
            return None;
        }
        let leaf = s.leaf[t as usize];
        let vp = s.nodes[leaf as usize].parent;
        if vp == NONE || s.cat(vp) != Cat::Vp {
            return None;
        }
        // auxiliaries: a verb followed by a VP inside its own VP
        let vpn = &s.nodes[vp as usize];
        if vpn
            .children
            .iter()
            .copied()
            .skip_while(|&c| c != leaf)
            .skip(1)
            .any(|c| s.cat(c) == Cat::Vp)
            && (tok.tag == "MD" || self.aux_words.contains(&cx.syms[t as usize]))
        {
            return None;
        }
        let forms = self.verb_forms_at(cx, t);
        let mut first: Option<VerbHit> = None;
        for (form, span) in forms {
            if let Some(h) = self.code_form(cx, t, leaf, vp, form, span, opts) {
                if !h.events.is_empty() {
                    return Some(h);
                }
                first.get_or_insert(h);
            }
        }
        first
    }

    #[allow(clippy::too_many_arguments)]
    fn code_form(
        &self,
        cx: &Ctx<'_>,
        t: u32,
        leaf: u32,
        vp: u32,
        form: &crate::dict::VerbForm,
        span: (u32, u32),
        opts: &CoderOptions,
    ) -> Option<VerbHit> {
        let s = cx.s;
        let vpn = &s.nodes[vp as usize];
        let block = &self.d.blocks[form.block as usize];
        let vstart = cx.pos[span.0 as usize];
        let vend = (span.0..span.1)
            .rev()
            .map(|k| cx.pos[k as usize])
            .find(|&p| p != usize::MAX)
            .map(|p| p + 1)?;
        let vstart = if vstart == usize::MAX {
            cx.pos[t as usize]
        } else {
            vstart
        };
        let lower_lim = (vpn.start..vpn.end)
            .rev()
            .map(|k| cx.pos[k as usize])
            .find(|&p| p != usize::MAX)
            .map(|p| p + 1)
            .unwrap_or(vend)
            .max(vend);
        // A statement verb's pattern that finds its words only inside the reported clause
        // ("* DEMAND", "* &CEASEFIRE", "* SANCTIONS AGAINST +" with "+" deep in the clause) is
        // still a statement: when that clause codes an event of its own, the clause wins ("said
        // they would blockade X to demand ..." is the blockade threat, not a demand).
        let (report_lim, report_subject) = if opts.reported_speech_lower_wins
            && block
                .code
                .code
                .as_deref()
                .is_some_and(|c| c.starts_with("01"))
        {
            self.reported_clause_start(cx, vp)
                .unwrap_or((lower_lim, None))
        } else {
            (lower_lim, None)
        };
        let reduced = self.reduced_relative(cx, leaf, vp);
        let passive = reduced.is_some()
            || self.is_passive(s, &cx.syms, leaf)
            || self.bare_participle_with_agent(cx, leaf, vp);
        // best pattern
        let mut best: Option<(&Pattern, Bind)> = None;
        let bi = form.block;
        let mut ranks: Vec<u32> = self.unanchored[bi as usize].clone();
        for &w in &cx.present {
            if let Some(v) = self.anchored.get(&(bi, w)) {
                ranks.extend_from_slice(v);
            }
        }
        ranks.sort_unstable();
        for &rank in &ranks {
            let pi = self.order[bi as usize][rank as usize];
            let p = &block.patterns[pi as usize];
            if best.is_some() {
                break;
            }
            if !cx.has_required(p) {
                continue;
            }
            let syn_ok = p
                .upper
                .iter()
                .chain(p.lower.iter())
                .all(|it| match it.elem {
                    PatElem::Synset(i) => cx.syn_present.binary_search(&i).is_ok(),
                    _ => true,
                });
            if !syn_ok {
                continue;
            }
            let mut bind = Bind::default();
            if self.match_upper(cx, &p.upper, 0, vstart, &mut bind)
                && self.match_lower_from(cx, &p.lower, vend, lower_lim, &mut bind)
                && !self.target_slot_uncoded(cx, &bind, opts)
            {
                // a `%` subject whose construction is not reciprocal ("X and Y fought Z")
                // passes the pattern over (coder/mutual.rs)
                if opts.mutual_needs_reciprocal
                    && bind.compound.is_some_and(|(_, upper)| upper)
                    && !p
                        .code
                        .code
                        .as_deref()
                        .is_some_and(|c| self.mutual_reading(cx, leaf, vp, c, passive, Some(p)))
                {
                    continue;
                }
                best = Some((p, bind));
            }
        }
        // no event from the verb's own complements: a passive light verb may have its event
        // noun as its subject (coder/context.rs)
        let no_event = match &best {
            Some((p, _)) => p.code.code.is_none(),
            None => form.code.as_ref().unwrap_or(&block.code).code.is_none(),
        };
        if no_event && passive && reduced.is_none() {
            if let Some(hit) = self.passive_event_noun(cx, leaf, vp, bi as usize, &ranks, opts) {
                best = Some(hit);
            }
        }
        // finish lower matching with the stored binding of upper (match_lower_from re-runs)
        let (code, pattern, evidence, bind) = match &best {
            Some((p, b)) => (p.code.clone(), Some(p.text.clone()), p.src, *b),
            None => (
                form.code.clone().unwrap_or_else(|| block.code.clone()),
                None,
                form.src,
                Bind::default(),
            ),
        };
        let VerbCode {
            code: Some(main),
            paired,
        } = code
        else {
            return None;
        };
        let subj = match reduced {
            Some(modified) => modified,
            None => self.subject_unit(cx, leaf),
        };
        let by_unit = if passive { self.by_unit(cx, vp) } else { None };
        let mut src = subj;
        let mut tgt: Option<usize> = None;
        // a passive with a form of "be" (not a participle inside a noun phrase)
        let be_passive = passive && reduced.is_none() && {
            let p = s.nodes[vp as usize].parent;
            !(p != NONE && s.cat(p) == Cat::Np) && self.is_passive(s, &cx.syms, leaf)
        };
        let authority = ["172", "173", "174"].iter().any(|c| main.starts_with(c));
        let agentless = opts.agentless_passive
            && be_passive
            && by_unit.is_none()
            && bind.source.is_none()
            && subj.is_some()
            && authority;
        if passive && by_unit.is_some() {
            src = by_unit;
            tgt = subj;
        } else if agentless {
            // "X was arrested in Y": X suffered the act; only the state where an act of
            // authority happened can stand for its unnamed agent
            tgt = subj;
            src = self.state_of_place(cx, vend, lower_lim);
            if src.is_none() && opts.require_dyad {
                return Some(VerbHit {
                    tok: t,
                    span,
                    vp,
                    events: Vec::new(),
                    stmt: main.starts_with("01") || main.starts_with("02"),
                    keep: false,
                });
            }
        }
        if let Some(x) = bind.source {
            src = Some(x);
        }
        if let Some(x) = bind.target.filter(|_| !agentless) {
            tgt = Some(x);
            if passive && by_unit == Some(x) && bind.source.is_none() {
                // "+" landed on the passive's agent ("X was attacked by Y" with "* +"):
                // the agent stays the source (context.rs)
                src = by_unit;
                tgt = subj;
            } else if bind.source.is_none() && src == Some(x) {
                src = self.unit_before(cx, cx.units[x].ps);
            }
        }
        // a unit whose noun phrase holds the source (its codes come from there) is not a target
        let holds_src = |u: usize| {
            src.is_some_and(|x| {
                let top = &s.nodes[cx.units[u].top as usize];
                x != u && cx.units[x].start >= top.start && cx.units[x].end <= top.end
            })
        };
        let consumed = |u: usize| {
            Some(u) == src
                || holds_src(u)
                || bind.skip_list().contains(&u)
                || bind.compound.is_some_and(|(c, _)| c == u)
        };
        if tgt.is_none() && !bind.compound.is_some_and(|(_, upper)| upper) {
            // first coded unit in the lower scope, else the first unit
            let mut first_any = None;
            for p in vend..lower_lim {
                if let Some(u) = cx.unit_start[p] {
                    if consumed(u) || Some(u) == by_unit {
                        continue;
                    }
                    if first_any.is_none() {
                        first_any = Some(u);
                    }
                    if !cx.units[u].codes.is_empty() {
                        tgt = Some(u);
                        break;
                    }
                }
            }
            if tgt.is_none() {
                tgt = first_any;
            }
        }
        // a pattern that names only the source ($) displaces the subject into the target slot
        if bind.source.is_some()
            && bind.target.is_none()
            && tgt.is_none_or(|u| cx.units[u].codes.is_empty())
            && subj.is_some()
            && subj != src
        {
            tgt = subj;
        }
        if let Some((c, false)) = bind.compound {
            tgt = Some(c);
        }
        let mutual = bind.compound.filter(|(_, upper)| *upper).map(|(c, _)| c);
        // (a pattern whose "+" is the reported clause's subject speaks of that clause: "said
        // that X must ..." is a demand on X)
        let deep = report_lim < lower_lim
            && best.as_ref().is_some_and(|(p, b)| {
                !p.lower
                    .iter()
                    .any(|it| matches!(it.elem, PatElem::Source | PatElem::Compound))
                    && (b.target.is_none() || b.target != report_subject)
                    && !self.match_lower_from(cx, &p.lower, vend, report_lim, &mut Bind::default())
            });
        let stmt = main.starts_with("01") || main.starts_with("02") || deep;
        if opts.require_dyad && opts.new_actor_length == 0 && mutual.is_none() {
            // cheap check before rendering codes: both slots need a coded unit (a compound
            // source alone can still give mutual events)
            let coded = |u: Option<usize>| {
                u.is_some_and(|u| {
                    !cx.units[u].codes.is_empty()
                        || cx.units[u].pronoun && self.antecedent(cx, u).is_some()
                })
            };
            let resolved = |u: usize| {
                if cx.units[u].pronoun {
                    self.antecedent(cx, u).unwrap_or(u)
                } else {
                    u
                }
            };
            let compound_src = src.is_some_and(|u| cx.units[resolved(u)].codes.len() >= 2);
            if !coded(src) || !coded(tgt) && !compound_src {
                return Some(VerbHit {
                    tok: t,
                    span,
                    vp,
                    events: Vec::new(),
                    stmt,
                    keep: false,
                });
            }
        }
        // a pattern that spells out the negation itself ("will not accept" in a 12x block)
        // codes the refusal: the negation is the event, not a modality that cancels it
        let negation_in_pattern = best.as_ref().is_some_and(|(p, _)| self.pattern_negates(p));
        let negated = !negation_in_pattern && self.negated(cx, leaf, vstart, &bind);
        let mk = |u: Option<usize>| -> Vec<CodedActor> { self.actors_of(cx, u, opts) };
        let srcs: Vec<CodedActor> = match mutual {
            Some(c) => mk(Some(c)),
            None => mk(src),
        };
        let mut tgts = mk(tgt);
        let mut srcs = srcs;
        if opts.require_dyad {
            // both actors must carry a code (a null-coded noun phrase does not count)
            srcs.retain(|a| a.code != "---");
            tgts.retain(|a| a.code != "---");
        }
        let mut events = Vec::new();
        let ev = |a: Option<CodedActor>, b: Option<CodedActor>, code: &str| CodedEvent {
            source: a,
            target: b,
            code: code.to_string(),
            verb_span: span,
            pattern: pattern.clone(),
            evidence,
            verb: block.name.clone(),
            negated,
            passive,
            negation_in_pattern,
        };
        if let Some(_c) = mutual {
            for (i, a) in srcs.iter().enumerate() {
                for (j, b) in srcs.iter().enumerate() {
                    if i != j && a.code != b.code {
                        events.push(ev(Some(a.clone()), Some(b.clone()), &main));
                    }
                }
            }
        } else if !srcs.is_empty() && !tgts.is_empty() {
            for a in &srcs {
                for b in &tgts {
                    if a.code == b.code && a.code != "---" {
                        continue;
                    }
                    events.push(ev(Some(a.clone()), Some(b.clone()), &main));
                    if let Some(p) = &paired {
                        events.push(ev(Some(b.clone()), Some(a.clone()), p));
                    }
                }
            }
        } else if srcs.len() >= 2
            && tgts.is_empty()
            && (!opts.mutual_needs_reciprocal
                || self.mutual_reading(
                    cx,
                    leaf,
                    vp,
                    &main,
                    // the passive's subject suffered the act; its `by` agent did it
                    passive && bind.source.is_none() && src != by_unit,
                    best.as_ref().map(|(p, _)| *p),
                ))
        {
            for (i, a) in srcs.iter().enumerate() {
                for (j, b) in srcs.iter().enumerate() {
                    if i != j && a.code != b.code {
                        events.push(ev(Some(a.clone()), Some(b.clone()), &main));
                    }
                }
            }
        }
        Some(VerbHit {
            tok: t,
            span,
            vp,
            events,
            stmt,
            keep: reduced.is_some() || self.participle_in_np_with_agent(cx, leaf, vp),
        })
    }

    /// The antecedent of pronoun unit `u`: the nearest earlier phrase with an actor code,
    /// else (nothing with an actor before it) the nearest earlier phrase with an agent code
    /// ("The Xish party said it will boycott …" → the party, `---PTY`).
    /// The agent fallback is for third-person pronouns only ("we" is the speaker's side,
    /// seldom the phrase before it).
    fn antecedent(&self, cx: &Ctx<'_>, u: usize) -> Option<usize> {
        let earlier = || (0..u).rev().filter(|&k| !cx.units[k].pronoun);
        let third = {
            let w = &cx.s.tokens[cx.units[u].start as usize].word;
            ["he", "she", "it", "they", "him", "her", "them"]
                .iter()
                .any(|p| w.eq_ignore_ascii_case(p))
        };
        earlier()
            .find(|&k| cx.units[k].codes.iter().any(ACode::has_actor))
            .or_else(|| {
                third
                    .then(|| earlier().find(|&k| !cx.units[k].codes.is_empty()))
                    .flatten()
            })
    }

    fn actors_of(&self, cx: &Ctx<'_>, u: Option<usize>, opts: &CoderOptions) -> Vec<CodedActor> {
        let Some(mut u) = u else { return Vec::new() };
        if cx.units[u].pronoun {
            if let Some(a) = self.antecedent(cx, u) {
                u = a;
            }
        }
        let unit = &cx.units[u];
        let top = &cx.s.nodes[unit.top as usize];
        let span = trim_span(cx.s, (top.start.min(unit.start), top.end.max(unit.end)));
        if unit.codes.is_empty() {
            if opts.new_actor_length > 0 && !unit.pronoun {
                let words: Vec<&str> = (span.0..span.1)
                    .filter(|&t| {
                        cx.s.tokens[t as usize].tag != "POS"
                            && cx.s.tokens[t as usize]
                                .tag
                                .chars()
                                .next()
                                .is_some_and(char::is_alphanumeric)
                    })
                    .map(|t| cx.s.tokens[t as usize].upper.as_str())
                    .collect();
                if !words.is_empty() && words.len() <= opts.new_actor_length {
                    return vec![CodedActor {
                        code: format!("\"{}\"", words.join(" ")),
                        span,
                        actor_ref: None,
                    }];
                }
            }
            return vec![CodedActor {
                code: "---".into(),
                span,
                actor_ref: None,
            }];
        }
        let mut out: Vec<CodedActor> = Vec::new();
        for c in &unit.codes {
            let code = self.render(c, opts.country_first);
            if !out.iter().any(|x| x.code == code) {
                out.push(CodedActor {
                    code,
                    span: c.span.map_or(span, |sp| trim_span(cx.s, sp)),
                    actor_ref: c.actor.map(|a| self.d.actors[a as usize].src),
                });
            }
        }
        out
    }

    fn unit_before(&self, cx: &Ctx<'_>, p: usize) -> Option<usize> {
        (0..p)
            .rev()
            .filter_map(|q| cx.unit_end[q])
            .find(|&u| !cx.units[u].codes.is_empty())
    }

    fn negated(&self, cx: &Ctx<'_>, leaf: u32, vstart: usize, bind: &Bind) -> bool {
        let _ = bind;
        let s = cx.s;
        // negation words among the siblings before the verb in its VP chain
        let mut n = s.nodes[leaf as usize].parent;
        for _ in 0..3 {
            if n == NONE || s.cat(n) != Cat::Vp {
                break;
            }
            for &c in &s.nodes[n as usize].children {
                if s.cat(c) == Cat::Leaf {
                    let t = s.nodes[c as usize].token as usize;
                    if cx.pos[t] != usize::MAX
                        && cx.pos[t] < vstart
                        && self.neg_words.contains(&cx.syms[t])
                    {
                        return true;
                    }
                }
            }
            n = s.nodes[n as usize].parent;
        }
        false
    }

    /// A pattern whose target slot (`+`) fell on a noun phrase with no actor code cannot give
    /// an event when both actors are required; it is passed over so that a less specific
    /// pattern of the same verb can take the first coded phrase. (An open `+` already skips
    /// uncoded phrases while matching, see `try_lower`: "fired shells at targets in X" binds
    /// X; only a closed `_+` or an upper `+` can still land on one.)
    fn target_slot_uncoded(&self, cx: &Ctx<'_>, bind: &Bind, opts: &CoderOptions) -> bool {
        opts.require_dyad
            && opts.new_actor_length == 0
            && bind
                .target
                .is_some_and(|u| cx.units[u].codes.is_empty() && !cx.units[u].pronoun)
    }

    /// Whether a verb pattern carries a negation word itself: a literal NOT/N'T/NEVER/NO, or
    /// a synset with such a phrase (`&NEGMODAL`: WILL_NOT, WO_N'T, …). Such a pattern codes
    /// the refusal as its event (CAMEO 12x), so the negation must not also mark the event
    /// negated (which would drop it).
    fn pattern_negates(&self, p: &Pattern) -> bool {
        p.upper
            .iter()
            .chain(p.lower.iter())
            .any(|it| match it.elem {
                PatElem::Word(w) => self.neg_words.contains(&w),
                PatElem::Synset(i) => self.d.synsets.get(i as usize).is_some_and(|set| {
                    set.iter()
                        .any(|ph| ph.iter().any(|w| self.neg_words.contains(w)))
                }),
                _ => false,
            })
    }

    fn is_passive(&self, s: &ParsedSentence, syms: &[Sym], leaf: u32) -> bool {
        let t = s.nodes[leaf as usize].token as usize;
        let tag = s.tokens[t].tag.as_str();
        if tag != "VBN" && tag != "VBD" {
            return false;
        }
        let vp = s.nodes[leaf as usize].parent;
        let p = s.nodes[vp as usize].parent;
        if p != NONE && s.cat(p) == Cat::Np {
            return true;
        }
        // a form of "be"/"get" before the verb in its own (flat, UD-projected) VP or in one
        // of the enclosing VPs
        let mut n = leaf;
        for _ in 0..4 {
            let p = s.nodes[n as usize].parent;
            if p == NONE || s.cat(p) != Cat::Vp {
                break;
            }
            for &c in &s.nodes[p as usize].children {
                if c == n {
                    break;
                }
                if s.cat(c) == Cat::Leaf {
                    let w = syms[s.nodes[c as usize].token as usize];
                    if self.be_forms.contains(&w) {
                        return true;
                    }
                }
            }
            n = p;
        }
        false
    }

    fn by_unit(&self, cx: &Ctx<'_>, vp: u32) -> Option<usize> {
        let s = cx.s;
        let mut cands: Vec<u32> = Vec::new();
        for &c in &s.nodes[vp as usize].children {
            match s.cat(c) {
                Cat::Pp => cands.push(c),
                Cat::Advp => cands.extend(
                    s.nodes[c as usize]
                        .children
                        .iter()
                        .copied()
                        .filter(|&k| s.cat(k) == Cat::Pp),
                ),
                _ => {}
            }
        }
        for c in cands {
            let nd = &s.nodes[c as usize];
            let first = nd.children.first().copied()?;
            if s.cat(first) == Cat::Leaf
                && cx.syms[s.nodes[first as usize].token as usize] == self.by
            {
                for &k in &nd.children {
                    if s.cat(k) == Cat::Np {
                        return self.unit_of_node(cx, k);
                    }
                }
            }
        }
        None
    }

    fn unit_of_node(&self, cx: &Ctx<'_>, n: u32) -> Option<usize> {
        if let Some(u) = cx.top_unit[n as usize] {
            return Some(u);
        }
        let nd = &cx.s.nodes[n as usize];
        (nd.start..nd.end)
            .filter_map(|t| cx.pos.get(t as usize).copied())
            .filter(|&p| p != usize::MAX)
            .find_map(|p| cx.unit_start[p])
    }

    fn subject_unit(&self, cx: &Ctx<'_>, leaf: u32) -> Option<usize> {
        let s = cx.s;
        let mut n = s.nodes[leaf as usize].parent;
        loop {
            let p = s.nodes[n as usize].parent;
            if p == NONE {
                return None;
            }
            match s.cat(p) {
                Cat::Vp | Cat::Adjp | Cat::Sbar | Cat::Advp => n = p,
                Cat::S => {
                    let kids = &s.nodes[p as usize].children;
                    let subj = kids
                        .iter()
                        .take_while(|&&c| c != n)
                        .filter(|&&c| matches!(s.cat(c), Cat::Np | Cat::Whnp))
                        .last()
                        .copied();
                    if let Some(sj) = subj {
                        if s.cat(sj) == Cat::Whnp {
                            // relative clause: the noun phrase it modifies
                            let mut q = s.nodes[p as usize].parent;
                            while q != NONE && s.cat(q) != Cat::Np {
                                q = s.nodes[q as usize].parent;
                            }
                            return if q == NONE {
                                None
                            } else {
                                self.unit_of_node(cx, q)
                            };
                        }
                        return self.unit_of_node(cx, sj);
                    }
                    let pp = s.nodes[p as usize].parent;
                    if pp == NONE || matches!(s.cat(pp), Cat::S | Cat::Other) {
                        return None;
                    }
                    n = p;
                }
                Cat::Np => return self.unit_of_node(cx, p),
                _ => return None,
            }
        }
    }

    // ---------------------------------------------------------------- pattern matching

    fn bind(b: &mut Bind, e: &PatElem, u: usize, upper: bool) {
        match e {
            PatElem::Source => b.source = Some(u),
            PatElem::Target => b.target = Some(u),
            PatElem::Compound => b.compound = Some((u, upper)),
            PatElem::Skip if b.nskips < b.skips.len() => {
                b.skips[b.nskips] = u;
                b.nskips += 1;
            }
            _ => {}
        }
    }

    fn sym_at(cx: &Ctx<'_>, q: usize) -> Sym {
        cx.syms[cx.seq[q] as usize]
    }

    /// Tries element `e` starting at sequence position `q`, then the rest of the lower items.
    fn try_lower(
        &self,
        cx: &Ctx<'_>,
        e: &PatElem,
        q: usize,
        lim: usize,
        rest: &[PatItem],
        b: &mut Bind,
    ) -> bool {
        if q >= lim {
            return false;
        }
        match e {
            PatElem::Word(w) => {
                Self::sym_at(cx, q) == *w && self.match_lower_from(cx, rest, q + 1, lim, b)
            }
            PatElem::Synset(i) => {
                let Some(cands) = self.syn_first[*i as usize].get(&Self::sym_at(cx, q)) else {
                    return false;
                };
                for &pi in cands {
                    let ph = &self.d.synsets[*i as usize][pi as usize];
                    let l = ph.len();
                    if q + l <= lim
                        && (0..l).all(|k| Self::sym_at(cx, q + k) == ph[k])
                        && self.match_lower_from(cx, rest, q + l, lim, b)
                    {
                        return true;
                    }
                }
                false
            }
            _ => {
                let Some(u) = cx.unit_cover[q] else {
                    return false;
                };
                let un = &cx.units[u];
                if matches!(e, PatElem::Compound) && un.codes.len() < 2 || un.pe > lim {
                    return false;
                }
                let saved = *b;
                Self::bind(b, e, u, false);
                if self.match_lower_from(cx, rest, un.pe, lim, b) {
                    return true;
                }
                *b = saved;
                false
            }
        }
    }

    fn match_lower_from(
        &self,
        cx: &Ctx<'_>,
        items: &[PatItem],
        p: usize,
        lim: usize,
        b: &mut Bind,
    ) -> bool {
        let Some((it, rest)) = items.split_first() else {
            return true;
        };
        if it.closed {
            return self.try_lower(cx, &it.elem, p, lim, rest, b);
        }
        if !(matches!(it.elem, PatElem::Target) && cx.coded_target && !rest.is_empty()) {
            return (p..lim).any(|q| self.try_lower(cx, &it.elem, q, lim, rest, b));
        }
        // an open `+` followed by more of the pattern passes over one noun phrase without a
        // code when both actors are required ("said on Tuesday that X must" binds X), not
        // more: a farther phrase is seldom the verb's target. (A final `+` binds the first
        // phrase; when that has no code the pattern is passed over and the verb's default
        // target rule, which skips uncoded phrases, applies: `target_slot_uncoded`.)
        let mut skipped: Option<usize> = None;
        for q in p..lim {
            if let Some(u) = cx.unit_cover[q] {
                // (a pronoun counts as uncoded here, as for the default target: it mostly
                // points back at the source)
                if cx.units[u].codes.is_empty() {
                    if skipped.is_some_and(|s| s != u) {
                        return false;
                    }
                    skipped = Some(u);
                    continue;
                }
            }
            if self.try_lower(cx, &it.elem, q, lim, rest, b) {
                return true;
            }
        }
        false
    }

    /// Tries element `e` ending at sequence position `q` (inclusive), then the remaining upper items.
    fn try_upper(
        &self,
        cx: &Ctx<'_>,
        e: &PatElem,
        q: usize,
        items: &[PatItem],
        k: usize,
        b: &mut Bind,
    ) -> bool {
        match e {
            PatElem::Word(w) => {
                Self::sym_at(cx, q) == *w && self.match_upper(cx, items, k + 1, q, b)
            }
            PatElem::Synset(i) => {
                let Some(cands) = self.syn_last[*i as usize].get(&Self::sym_at(cx, q)) else {
                    return false;
                };
                for &pi in cands {
                    let ph = &self.d.synsets[*i as usize][pi as usize];
                    let l = ph.len();
                    if q + 1 >= l
                        && (0..l).all(|j| Self::sym_at(cx, q + 1 - l + j) == ph[j])
                        && self.match_upper(cx, items, k + 1, q + 1 - l, b)
                    {
                        return true;
                    }
                }
                false
            }
            _ => {
                let Some(u) = cx.unit_cover[q] else {
                    return false;
                };
                let un = &cx.units[u];
                if matches!(e, PatElem::Compound) && un.codes.len() < 2 {
                    return false;
                }
                let saved = *b;
                Self::bind(b, e, u, true);
                if self.match_upper(cx, items, k + 1, un.ps, b) {
                    return true;
                }
                *b = saved;
                false
            }
        }
    }

    /// Matches upper items going left from the exclusive bound `p`.
    fn match_upper(
        &self,
        cx: &Ctx<'_>,
        items: &[PatItem],
        k: usize,
        p: usize,
        b: &mut Bind,
    ) -> bool {
        let Some(it) = items.get(k) else { return true };
        if p == 0 {
            return false;
        }
        if it.closed {
            return self.try_upper(cx, &it.elem, p - 1, items, k, b);
        }
        (0..p)
            .rev()
            .any(|q| self.try_upper(cx, &it.elem, q, items, k, b))
    }

    fn issues(&self, cx: &Ctx<'_>) -> Vec<(String, u32)> {
        let mut out: Vec<(String, u32)> = Vec::new();
        for i in 0..cx.syms.len() {
            let Some(list) = self.issue_index.get(&cx.syms[i]) else {
                continue;
            };
            for &k in list {
                let ph = &self.d.issues[k as usize];
                let l = ph.words.len();
                if i + l <= cx.syms.len() && cx.syms[i..i + l] == ph.words[..] {
                    match out.iter_mut().find(|(c, _)| *c == ph.code) {
                        Some(x) => x.1 += 1,
                        None => out.push((ph.code.clone(), 1)),
                    }
                }
            }
        }
        out
    }
}

/// The lowest clause (`S`) node above token `t` (`NONE` when there is none).
fn clause_of(s: &ParsedSentence, t: u32) -> u32 {
    let mut n = s.leaf.get(t as usize).copied().unwrap_or(NONE);
    while let Some(node) = s.nodes.get(n as usize) {
        if node.cat == Cat::S {
            return n;
        }
        n = node.parent;
    }
    NONE
}

/// Clause `outer` is clause `inner` or dominates it (two missing clauses count as the same).
fn clause_contains(s: &ParsedSentence, outer: u32, inner: u32) -> bool {
    if outer == inner {
        return true;
    }
    match (s.nodes.get(outer as usize), s.nodes.get(inner as usize)) {
        (Some(o), Some(i)) => o.start <= i.start && i.end <= o.end,
        _ => false,
    }
}
