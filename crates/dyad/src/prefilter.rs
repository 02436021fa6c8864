//! A conservative, exact pre-filter: which sentences cannot yield an event,
//! decided from their words alone (before tagging) or from their tags (before
//! parsing).
//!
//! Everything below assumes the coder's defaults `require_dyad` on and
//! `new_actor_length` 0 for test 1 (otherwise it is not used); tests 2 and 3
//! hold for any options.
//!
//! **Test 1 (actors; words only).** With `require_dyad` and no new actors,
//! every event needs two *different* actor codes: `Coder::code_form` drops
//! `---` codes, skips a source/target pair with equal codes, and builds
//! mutual events only between different codes. Actor codes come only from
//! dictionary phrase matches in the noun-phrase units (`Coder::scan`,
//! `Coder::codes_of`; `combine` only joins codes found there; new actors are
//! off; a pronoun takes an earlier unit's codes, giving no new one), or from
//! a "the two sides" pair (`pair_codes`, only with the word TWO or BOTH).
//! Every match starts at a token whose word starts an actor or agent phrase
//! (a *start*). So a sentence can yield an event only if
//!
//! * it has TWO or BOTH, or
//! * it has at least two starts (counted by position), or
//! * its single start's word can by itself give two different codes
//!   (`multi_code_words`): it starts both an actor and an agent phrase, or
//!   its actor phrases carry two or more distinct code pieces (all entries
//!   it starts, all date rules, every `/` alternative, as `Coder::scan`
//!   splits them), or its agent phrases are two or more distinct agents.
//!
//! With one start of a word that is not multi-code, every match in every
//! unit is at that position and renders to the same single code (an actor
//! piece with no agent attached, since agents would need another start, or
//! the one agent's code), so no two different codes exist. The
//! dictionaries' phrase lists per first word come from
//! `PhraseTrie::payloads_by_first_word`.
//!
//! **Test 2 (a dictionary verb; words, then tags).** The coder's events all
//! come from `code_verb` at a token tagged `VB*` whose form, or else whose
//! lowercased lemma (when it differs from the word), is a verb-dictionary
//! key (`Coder::verb_keys`); with no such token it returns nothing. Before
//! tagging [`EventFilter::may_yield_events`] answers it for *every* `VB*` tag
//! at once, a superset of what the coder will see: a token passes if its form
//! is a verb key, or if the model's lemmatizer ([`Model::lemma`], the one
//! [`Model::analyze`] runs) maps it to a verb key under some `VB*` tag.
//!
//! **Test 3 (a verb that can code; tags).** Once the tags are known,
//! [`EventFilter::tagged_may_yield_events`] asks more of the verb token. An
//! event is built only in `Coder::code_form`, for one of the forms
//! `Coder::verb_forms_at` selects at the token (a form of the key whose
//! `before`/`after` words equal the neighbouring words), and only when the
//! code it settles on is non-null (`VerbCode { code: Some(main), .. }`,
//! else `code_form` returns `None`). That code is either the best matching
//! pattern's, or the form's default (its own code, else its block's). A
//! pattern can match only if every one of its `required` literal words is in
//! `present` (the visible words of the sentence, a subset of all its words)
//! and each of its synsets is in `syn_present` (synsets with a phrase whose
//! first word is present). So a token can lead to an event only if some
//! selected form has a non-null default code, or a pattern with a non-null
//! code whose literal words, and a first word of each of whose synsets, are
//! words of the sentence. A sentence where no `VB*` verb-key token passes
//! cannot yield an event. The test is computed from the dictionaries the
//! coder itself uses, per sentence, so it stays exact when they change.
//!
//! **What a skipped sentence still feeds.** The coder's only state across
//! sentences is the document's [`dyad_coder::Discourse`] (countries named so
//! far, for "the two sides"), which reads each sentence's words and tags,
//! not its parse; the pipeline keeps it exact for skipped sentences (see
//! `DocDiscourse` in `pipeline.rs`: a sentence skipped before tagging is
//! tagged later if, and only if, a sentence that can read it comes up). The
//! enricher's document-level bookkeeping (the latest explicit date,
//! [`dyad_enrich::DocContext::reference`]) reads tokens only and runs on
//! skipped sentences too.
//!
//! `tests/prefilter.rs` checks the whole: the pipeline's output (sentence
//! records, events, warnings) with the filter on and off over VOA, the seed
//! article, the PETRARCH unit-test texts and EWT test, and per sentence that
//! no sentence the unfiltered coder codes fails a test.

use dyad_coder::dict::{PatElem, Sym, VerbForm, UNKNOWN};
use dyad_coder::Coder;
use dyad_nlp::{Lemmas, Model};
use rustc_hash::FxHashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const F_ACTOR: u8 = 1;
const F_VERB: u8 = 2;
/// (Word memo only.) Its lemma under some `VB*` tag is a verb key.
const F_LEMMA_VERB: u8 = 4;
/// (Word memo only.) `F_LEMMA_VERB` has been computed.
const F_LEMMA_KNOWN: u8 = 8;
/// Starts an actor or agent phrase, and the phrases it can start can give
/// two different actor codes (see test 1).
const F_MULTI: u8 = 16;
/// (Word memo only.) TWO or BOTH: a "the two sides" pair may be in play.
const F_PAIR: u8 = 32;

/// Decides, from the words of a sentence, whether the coder could possibly
/// produce an event from it. Build once per pipeline ([`EventFilter::new`]).
#[derive(Debug)]
pub struct EventFilter {
    /// Per interned dictionary word: `F_ACTOR` (can start an actor/agent
    /// phrase), `F_MULTI` (and those phrases can give two different codes),
    /// `F_VERB` (is a verb-dictionary key).
    flags: Vec<u8>,
    /// Test 1 applies (the coder's options require an actor).
    actor_test: bool,
    /// Test 2 applies: the model's lemmatizer.
    lemma: Option<Arc<ModelLemmas>>,
    /// Identifies this filter's entries in the per-thread word memo.
    id: usize,
}

/// What the verb test needs from the model: the model itself (its
/// lemmatizer, through [`Model::lemma`]) and the ids of its `VB*` tags.
/// Build once per model and share; building only scans the tag set.
#[derive(Debug, Clone)]
pub struct ModelLemmas {
    model: Arc<Model>,
    vb: Vec<u8>,
}

impl ModelLemmas {
    /// The verb test's view of `model`: its lemmatizer and `VB*` tag ids.
    pub fn new(model: Arc<Model>) -> ModelLemmas {
        let vb: Vec<u8> = model
            .xpos_tags()
            .iter()
            .enumerate()
            .filter(|(i, t)| t.starts_with("VB") && *i <= usize::from(u8::MAX))
            .map(|(i, _)| i as u8)
            .collect();
        ModelLemmas { model, vb }
    }

    /// The lemma the model gives `form` under the XPOS tag id `xpos`.
    pub fn lemma(&self, form: &str, xpos: u8) -> String {
        self.model.lemma(form, xpos)
    }
}

impl EventFilter {
    /// Builds the filter for a coder (its dictionaries and options) and the
    /// lemmatizer of the model that will tag (`None`: actor test only).
    pub fn new(coder: &Coder, lemma: Option<Arc<ModelLemmas>>) -> EventFilter {
        let d = coder.dictionaries();
        let mut flags = vec![0u8; d.words.len()];
        let mut set = |w: Sym, f: u8| {
            if let Some(x) = flags.get_mut(w as usize) {
                *x |= f;
            }
        };
        for w in d.actor_trie.first_words().chain(d.agent_trie.first_words()) {
            set(w, F_ACTOR);
        }
        for w in multi_code_words(coder) {
            set(w, F_MULTI);
        }
        for &w in d.verbs.keys() {
            set(w, F_VERB);
        }
        let o = coder.options();
        EventFilter {
            id: NEXT_FILTER_ID.fetch_add(1, Ordering::Relaxed),
            flags,
            actor_test: o.require_dyad && o.new_actor_length == 0,
            lemma,
        }
    }

    /// Whether the verb test is in use (the lemmatizer tables were read and
    /// agree with the model).
    pub fn has_verb_test(&self) -> bool {
        self.lemma.is_some()
    }

    /// Whether the actor test is in use (the coder requires actors).
    pub fn has_actor_test(&self) -> bool {
        self.actor_test
    }

    fn flag(&self, w: Sym, f: u8) -> bool {
        w != UNKNOWN && self.flags.get(w as usize).is_some_and(|x| x & f != 0)
    }

    /// False only when the coder, with the dictionaries and options this
    /// filter was built for, cannot produce an event from a sentence of
    /// these words, whatever tags, lemmas and parse the model gives it.
    pub fn may_yield_events(&self, coder: &Coder, words: &[&str]) -> bool {
        if !self.actor_test && self.lemma.is_none() {
            return true;
        }
        WORD_CACHE.with(|cell| {
            let mut guard = cell.try_borrow_mut();
            let mut scratch = WordCache::default();
            let cache = match guard.as_deref_mut() {
                Ok(c) => c,
                Err(_) => &mut scratch,
            };
            if cache.owner != self.id || cache.map.len() >= WORD_CACHE_MAX {
                cache.owner = self.id;
                cache.map.clear();
            }
            let WordCache { map, buf, .. } = cache;
            // Pass 1: actor and verb-form bits (cheap).
            let mut all = 0u8;
            let mut starts = 0usize;
            for w in words {
                let b = match map.get(*w) {
                    Some(&b) => b,
                    None => {
                        let b = self.word_bits(coder, w, buf);
                        map.insert((*w).into(), b);
                        b
                    }
                };
                all |= b;
                starts += usize::from(b & F_ACTOR != 0);
            }
            // test 1: two actor/agent starts, or one that alone can give
            // two codes, or a possible "the two sides" pair
            if self.actor_test
                && !(starts >= 2 || starts == 1 && all & F_MULTI != 0 || all & F_PAIR != 0)
            {
                return false;
            }
            let Some(ml) = &self.lemma else {
                return true;
            };
            if all & (F_VERB | F_LEMMA_VERB) != 0 {
                return true;
            }
            // Pass 2: the lemma route, for the words not yet asked.
            for w in words {
                let Some(b) = map.get_mut(*w) else {
                    continue;
                };
                if *b & F_LEMMA_KNOWN == 0 {
                    *b |= F_LEMMA_KNOWN;
                    if self.lemma_is_verb(coder, ml, w, buf) {
                        *b |= F_LEMMA_VERB;
                    }
                }
                if *b & F_LEMMA_VERB != 0 {
                    return true;
                }
            }
            false
        })
    }

    /// `F_ACTOR` if the word starts an actor or agent phrase (with `F_MULTI`
    /// if those can give two codes), `F_PAIR` if it is TWO or BOTH, `F_VERB`
    /// if it is a verb key as written.
    fn word_bits(&self, coder: &Coder, w: &str, buf: &mut String) -> u8 {
        buf.clear();
        buf.extend(w.chars().flat_map(char::to_uppercase));
        let sym = coder.dictionaries().words.get(buf);
        let mut bits = 0;
        if self.flag(sym, F_ACTOR) {
            bits |= F_ACTOR | (self.flags.get(sym as usize).copied().unwrap_or(0) & F_MULTI);
        }
        // "the two sides" / "both countries" can stand for two actors named
        // earlier in the document (dyad_coder::discourse)
        if buf == "TWO" || buf == "BOTH" {
            bits |= F_PAIR;
        }
        if self.flag(sym, F_VERB) {
            bits |= F_VERB;
        }
        bits
    }

    /// Whether the word's lemma under some `VB*` tag is a verb key, as the
    /// coder tests it (lowercased lemma, not the word itself).
    fn lemma_is_verb(&self, coder: &Coder, ml: &ModelLemmas, w: &str, buf: &mut String) -> bool {
        let d = coder.dictionaries();
        let lower = w.to_lowercase();
        ml.vb.iter().any(|&tag| {
            let lemma = ml.lemma(w, tag);
            let l = if lemma.is_empty() || lemma == "_" {
                lower.clone()
            } else {
                lemma.to_lowercase()
            };
            if l.eq_ignore_ascii_case(w) {
                return false;
            }
            buf.clear();
            buf.extend(l.chars().flat_map(char::to_uppercase));
            self.flag(d.words.get(buf), F_VERB)
        })
    }
}

/// The words that start an actor or agent phrase and can, on their own,
/// give the coder two different actor codes (test 1, module docs): words
/// that start both an actor and an agent phrase, words whose actor phrases
/// carry two or more distinct code pieces (over all their entries, date
/// rules and `/`-alternatives), and words whose agent phrases are two or
/// more distinct agents (code and prefix/suffix placement).
fn multi_code_words(coder: &Coder) -> Vec<Sym> {
    let d = coder.dictionaries();
    let actors = d.actor_trie.payloads_by_first_word();
    let agents = d.agent_trie.payloads_by_first_word();
    let mut out = Vec::new();
    for (&w, entries) in &actors {
        if agents.contains_key(&w) {
            out.push(w);
            continue;
        }
        let mut pieces: Vec<&str> = Vec::new();
        let mut unknown = false;
        for &a in entries {
            let Some(e) = d.actors.get(a as usize) else {
                unknown = true;
                continue;
            };
            let codes = e
                .default
                .iter()
                .chain(e.dated.iter().filter_map(|(_, c)| c.as_ref()));
            for c in codes {
                for p in c.split('/').filter(|p| !p.is_empty()) {
                    if !pieces.contains(&p) {
                        pieces.push(p);
                    }
                }
            }
        }
        if unknown || pieces.len() >= 2 {
            out.push(w);
        }
    }
    for (&w, entries) in &agents {
        if actors.contains_key(&w) {
            continue;
        }
        let mut kinds: Vec<(&str, bool)> = Vec::new();
        let mut unknown = false;
        for &g in entries {
            match d.agents.get(g as usize) {
                Some(a) => {
                    if !kinds.contains(&(a.code.as_str(), a.prefix)) {
                        kinds.push((a.code.as_str(), a.prefix));
                    }
                }
                None => unknown = true,
            }
        }
        if unknown || kinds.len() >= 2 {
            out.push(w);
        }
    }
    out
}

/// Per-thread memo of the per-word bits for the filter `owner`
/// (the answer depends on the word alone, so it is exact; cleared when
/// another filter uses the thread or it grows past [`WORD_CACHE_MAX`]).
#[derive(Default)]
struct WordCache {
    owner: usize,
    map: FxHashMap<Box<str>, u8>,
    buf: String,
}

const WORD_CACHE_MAX: usize = 1 << 17;

thread_local! {
    static WORD_CACHE: std::cell::RefCell<WordCache> = std::cell::RefCell::new(WordCache::default());
}

static NEXT_FILTER_ID: AtomicUsize = AtomicUsize::new(1);

impl EventFilter {
    /// The verb tests once the tags and lemmas are known (the actor test
    /// needs no tags, so [`EventFilter::may_yield_events`] has already made
    /// it): false when no `VB*`-tagged token can code an event, i.e. when
    /// for every `VB*` token that is a verb key (by its form or by its lemma,
    /// as the coder looks it up) no form of that verb whose neighbouring
    /// words are in place has a non-null code of its own (or of its block),
    /// and none has a pattern with a non-null code whose literal words and
    /// synsets all occur in the sentence. (Proof in the module docs,
    /// "Test 3".) Lets the pipeline skip parsing, the coder's tree and the
    /// coding of sentences the coder would drop.
    pub fn tagged_may_yield_events(
        &self,
        coder: &Coder,
        words: &[&str],
        xpos: &[&str],
        lemmas: &Lemmas,
    ) -> bool {
        let d = coder.dictionaries();
        let mut buf = String::new();
        // the sentence's words as dictionary symbols, sorted (built when
        // first needed)
        let mut syms: Option<(Vec<Sym>, Vec<Sym>)> = None;
        for (t, ((w, tag), lemma)) in words.iter().zip(xpos).zip(lemmas.iter()).enumerate() {
            if !tag.starts_with("VB") {
                continue;
            }
            buf.clear();
            buf.extend(w.chars().flat_map(char::to_uppercase));
            let form = d.words.get(&buf);
            let key = if self.flag(form, F_VERB) {
                form
            } else {
                // the coder's token lemma: lowercase, the word's when missing
                let l = if lemma.is_empty() || lemma == "_" {
                    w.to_lowercase()
                } else {
                    lemma.to_lowercase()
                };
                if l.eq_ignore_ascii_case(w) {
                    continue;
                }
                buf.clear();
                buf.extend(l.chars().flat_map(char::to_uppercase));
                let k = d.words.get(&buf);
                if !self.flag(k, F_VERB) {
                    continue;
                }
                k
            };
            let Some(forms) = d.verbs.get(&key) else {
                continue;
            };
            // a form with no neighbouring words and a non-null default code
            // needs no look at the rest of the sentence
            if forms.iter().any(|f| {
                f.before.is_empty()
                    && f.after.is_empty()
                    && d.blocks
                        .get(f.block as usize)
                        .is_none_or(|b| f.code.as_ref().unwrap_or(&b.code).code.is_some())
            }) {
                return true;
            }
            let (all, sorted) = syms.get_or_insert_with(|| {
                let all: Vec<Sym> = words
                    .iter()
                    .map(|w| {
                        buf.clear();
                        if w.is_ascii() {
                            buf.push_str(w);
                            buf.make_ascii_uppercase();
                        } else {
                            buf.extend(w.chars().flat_map(char::to_uppercase));
                        }
                        d.words.get(&buf)
                    })
                    .collect();
                let mut sorted = all.clone();
                sorted.sort_unstable();
                sorted.dedup();
                (all, sorted)
            });
            if self.verb_may_code(coder, forms, t, all, sorted) {
                return true;
            }
        }
        false
    }

    /// Whether a verb key at token `t` with these `forms` can give the coder
    /// a non-null code: some form whose neighbouring words match (`all`: the
    /// sentence's symbols in order) has a non-null default code, or a
    /// pattern with a non-null code whose literal words and synsets occur in
    /// the sentence (`sorted`: its symbols, sorted and deduplicated).
    fn verb_may_code(
        &self,
        coder: &Coder,
        forms: &[VerbForm],
        t: usize,
        all: &[Sym],
        sorted: &[Sym],
    ) -> bool {
        let d = coder.dictionaries();
        let has = |w: &Sym| sorted.binary_search(w).is_ok();
        forms.iter().any(|f| {
            let (b, a) = (f.before.len(), f.after.len());
            // as `Coder::verb_forms_at` selects the forms at a token
            if t < b || t + a >= all.len() && a > 0 {
                return false;
            }
            let before_ok = f.before.iter().zip(&all[t - b..t]).all(|(x, y)| x == y);
            let after_ok = f
                .after
                .iter()
                .zip(all.get(t + 1..).unwrap_or(&[]))
                .all(|(x, y)| x == y);
            if !before_ok || !after_ok {
                return false;
            }
            let Some(block) = d.blocks.get(f.block as usize) else {
                return true;
            };
            f.code.as_ref().unwrap_or(&block.code).code.is_some()
                || block.patterns.iter().any(|p| {
                    p.code.code.is_some()
                        && p.required.iter().all(has)
                        && p.upper.iter().chain(&p.lower).all(|it| match it.elem {
                            // the coder's `syn_present`: a phrase of the synset
                            // starts with a word of the sentence
                            PatElem::Synset(i) => d
                                .synsets
                                .get(i as usize)
                                .is_none_or(|set| set.iter().any(|ph| ph.first().is_some_and(has))),
                            _ => true,
                        })
                })
        })
    }
}

/// Whether `from_vectors` accepts these heads (1-based, 0 = root): in
/// range, no self-loops, no cycles. The pipeline checks this before
/// skipping a parsed sentence so that a bad parse is still reported.
pub fn heads_are_a_tree(heads: &[u32]) -> bool {
    let n = heads.len();
    let in_range = heads
        .iter()
        .enumerate()
        .all(|(i, &h)| h as usize <= n && h as usize != i + 1);
    in_range
        && (0..n).all(|i| {
            let mut cur = i;
            let mut steps = 0;
            while heads[cur] != 0 {
                cur = heads[cur] as usize - 1;
                steps += 1;
                if steps > n {
                    return false;
                }
            }
            true
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_tree_check_matches_from_vectors() {
        let words = ["a", "b", "c"];
        let ok = |h: &[u32]| {
            let hs: Vec<usize> = h.iter().map(|&x| x as usize).collect();
            let n = h.len();
            dyad_coder::ParsedSentence::from_vectors(
                &words[..n],
                &vec!["NN"; n],
                &vec!["x"; n],
                &hs,
                &vec!["dep"; n],
            )
            .is_ok()
        };
        for h in [
            &[2, 0, 2][..],
            &[0, 1, 2],
            &[1, 0, 0],
            &[2, 1, 0],
            &[4, 0, 1],
            &[2, 3, 1],
            &[0, 0],
            &[3, 3, 0],
        ] {
            assert_eq!(heads_are_a_tree(h), ok(h), "{h:?}");
        }
        assert!(heads_are_a_tree(&[2, 0, 2]));
        assert!(!heads_are_a_tree(&[2, 1, 0]));
    }
}
