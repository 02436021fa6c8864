//! A conservative, exact pre-filter: which sentences cannot yield an event,
//! decided from their words alone, before tagging and parsing.
//!
//! The coder gives up on a sentence (no event, whatever the parse) when
//!
//! 1. no token can start an actor or agent phrase (with `require_dyad` on
//!    and `new_actor_length` 0, the defaults), or
//! 2. no token tagged `VB*` is a verb-dictionary key by its form or by its
//!    lemma.
//!
//! Test 1 needs only the words. Test 2 depends on the tag and the lemma the
//! model will choose; [`EventFilter`] answers it for *every* verb tag at
//! once, so it is a superset of what the coder will see: a token passes if
//! its form is a verb key, or if the lemmatizer would map it to a verb key
//! under any `VB*` tag. The lemma is the model's own ([`Model::lemma`], the
//! lemmatizer [`Model::analyze`] runs); without a model only test 1 is
//! used. The coder has no state across sentences, so a sentence
//! that fails either test produces exactly nothing, and skipping its
//! tag+parse changes no event.
//!
//! The pipeline still runs the enricher's document-level bookkeeping (the
//! latest explicit date, [`dyad_enrich::DocContext::reference`]) on skipped
//! sentences, since it reads tokens only.

use dyad_coder::dict::{Sym, UNKNOWN};
use dyad_coder::Coder;
use dyad_nlp::Model;
use rustc_hash::FxHashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const F_ACTOR: u8 = 1;
const F_VERB: u8 = 2;
/// (Word memo only.) Its lemma under some `VB*` tag is a verb key.
const F_LEMMA_VERB: u8 = 4;
/// (Word memo only.) `F_LEMMA_VERB` has been computed.
const F_LEMMA_KNOWN: u8 = 8;

/// Decides, from the words of a sentence, whether the coder could possibly
/// produce an event from it. Build once per pipeline ([`EventFilter::new`]).
#[derive(Debug)]
pub struct EventFilter {
    /// Per interned dictionary word: `F_ACTOR` (can start an actor/agent
    /// phrase), `F_VERB` (is a verb-dictionary key).
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
            for w in words {
                all |= match map.get(*w) {
                    Some(&b) => b,
                    None => {
                        let b = self.word_bits(coder, w, buf);
                        map.insert((*w).into(), b);
                        b
                    }
                };
            }
            if self.actor_test && all & F_ACTOR == 0 {
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

    /// `F_ACTOR` if the word starts an actor or agent phrase, `F_VERB` if it
    /// is a verb key as written.
    fn word_bits(&self, coder: &Coder, w: &str, buf: &mut String) -> u8 {
        buf.clear();
        buf.extend(w.chars().flat_map(char::to_uppercase));
        let sym = coder.dictionaries().words.get(buf);
        let mut bits = 0;
        // "the two sides" / "both countries" can stand for two actors named
        // earlier in the document (dyad_coder::discourse)
        if self.flag(sym, F_ACTOR) || buf == "TWO" || buf == "BOTH" {
            bits |= F_ACTOR;
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
    /// The verb test again, exactly as the coder makes it, once the tags
    /// and lemmas are known: false when no `VB*`-tagged token is a verb key
    /// by its form or by its lemma. (The actor test needs no tags, so
    /// [`EventFilter::may_yield_events`] has already made it.) Lets the
    /// pipeline skip building the coder's tree for sentences the coder
    /// would drop at once.
    pub fn tagged_may_yield_events(
        &self,
        coder: &Coder,
        words: &[&str],
        xpos: &[&str],
        lemmas: &[String],
    ) -> bool {
        let d = coder.dictionaries();
        let mut buf = String::new();
        words.iter().zip(xpos).zip(lemmas).any(|((w, tag), lemma)| {
            if !tag.starts_with("VB") {
                return false;
            }
            buf.clear();
            buf.extend(w.chars().flat_map(char::to_uppercase));
            if self.flag(d.words.get(&buf), F_VERB) {
                return true;
            }
            // the coder's token lemma: lowercase, the word's when missing
            let l = if lemma.is_empty() || lemma == "_" {
                w.to_lowercase()
            } else {
                lemma.to_lowercase()
            };
            if l.eq_ignore_ascii_case(w) {
                return false;
            }
            buf.clear();
            buf.extend(l.chars().flat_map(char::to_uppercase));
            self.flag(d.words.get(&buf), F_VERB)
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
