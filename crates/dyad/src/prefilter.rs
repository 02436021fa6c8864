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
//! under any `VB*` tag. The lemma is computed with the model's own
//! lemmatizer tables, read from the model's serialized form (see
//! [`LemmaTables`]); if those cannot be read, or they disagree with
//! [`Model::analyze`] on a built-in sample, test 2 is switched off and only
//! test 1 is used. The coder has no state across sentences, so a sentence
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

/// What the verb test needs from the model: its lemmatizer tables and the
/// ids of its `VB*` tags. Build once per model and share.
#[derive(Debug, Clone)]
pub struct ModelLemmas {
    tables: LemmaTables,
    vb: Vec<u8>,
}

impl ModelLemmas {
    /// Reads the lemmatizer out of the model; `None` when its format is
    /// unknown or the rebuilt lemmatizer disagrees with the model.
    pub fn new(model: &Model) -> Option<ModelLemmas> {
        let vb: Vec<u8> = model
            .xpos_tags()
            .iter()
            .enumerate()
            .filter(|(i, t)| t.starts_with("VB") && *i <= usize::from(u8::MAX))
            .map(|(i, _)| i as u8)
            .collect();
        let tables = LemmaTables::from_model_bytes(&model.to_bytes())?;
        tables
            .agrees_with(model)
            .then_some(ModelLemmas { tables, vb })
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
            let lemma = ml.tables.lemma(w, &lower, tag);
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

/// One lemmatizer edit rule: optionally lowercase, strip `strip` chars,
/// append `append`.
#[derive(Debug, Clone)]
struct Rule {
    lower: bool,
    strip: u8,
    append: String,
}

/// dyad-nlp's lemmatizer, rebuilt from the model's serialized form (format
/// version 4): an exact (form, XPOS) table backed by longest-suffix rules.
///
/// dyad-nlp exposes no "lemma of this word under that tag" call, so this
/// reads the lemma section of [`Model::to_bytes`] and repeats the lookup.
/// [`LemmaTables::agrees_with`] checks it against [`Model::analyze`]; the
/// filter is only used when they agree. (A public lemma call in dyad-nlp
/// would make this unnecessary.)
#[derive(Debug, Clone)]
pub struct LemmaTables {
    rules: Vec<Rule>,
    dict: FxHashMap<u64, u32>,
    suffix: FxHashMap<u64, u32>,
}

const MAGIC: &[u8; 8] = b"DYADNLP\0";
const FORMAT_VERSION: u32 = 4;
const MAX_SUFFIX: usize = 5;
const K: u64 = 0x9E37_79B9_7F4A_7C15;

fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

fn comb(h: u64, v: u64) -> u64 {
    (h.rotate_left(5) ^ v).wrapping_mul(K)
}

fn str_tagged(tag: u64, s: &str) -> u64 {
    let mut h = 0x2545_f491_4f6c_dd1d_u64;
    for &b in s.as_bytes() {
        h = comb(h, u64::from(b));
    }
    fmix(comb(fmix(h ^ s.len() as u64), tag))
}

fn dict_key(lower_form: &str, xpos: u8) -> u64 {
    fmix(comb(str_tagged(0x77, lower_form), u64::from(xpos))).max(1)
}

fn suffix_key(lower_form: &str, k: usize, xpos: u8) -> u64 {
    let mut h = comb(0x99, u64::from(xpos));
    for c in lower_form.chars().rev().take(k) {
        h = comb(h, c as u64);
    }
    fmix(comb(h, k as u64)).max(1)
}

fn apply(rule: &Rule, form: &str, lower_form: &str) -> String {
    let base = if rule.lower { lower_form } else { form };
    let n = base.chars().count();
    if rule.strip as usize > n {
        return base.to_string();
    }
    let keep = n - rule.strip as usize;
    let mut out: String = base.chars().take(keep).collect();
    out.push_str(&rule.append);
    out
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let s = self.b.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(s)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|s| s[0])
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .and_then(|s| s.try_into().ok())
            .map(u32::from_le_bytes)
    }
    fn u64(&mut self) -> Option<u64> {
        self.take(8)
            .and_then(|s| s.try_into().ok())
            .map(u64::from_le_bytes)
    }
    fn string(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
    fn map(&mut self) -> Option<FxHashMap<u64, u32>> {
        let n = self.u32()? as usize;
        let mut m = FxHashMap::default();
        m.reserve(n.min(self.b.len() / 12));
        for _ in 0..n {
            let k = self.u64()?;
            let v = self.u32()?;
            m.insert(k.max(1), v);
        }
        Some(m)
    }
}

impl LemmaTables {
    /// Reads the lemma section of a serialized model; `None` when the bytes
    /// are not a model of the format version this reader knows.
    pub fn from_model_bytes(bytes: &[u8]) -> Option<LemmaTables> {
        let mut r = Reader { b: bytes, pos: 0 };
        if r.take(8)? != MAGIC || r.u32()? != FORMAT_VERSION {
            return None;
        }
        for _ in 0..3 {
            let n = r.u32()?;
            for _ in 0..n {
                r.string()?;
            }
        }
        r.u8()?; // root label
        let n = r.u32()? as usize;
        let mut rules = Vec::with_capacity(n.min(bytes.len()));
        for _ in 0..n {
            let lower = r.u8()? != 0;
            let strip = r.u8()?;
            let append = r.string()?;
            rules.push(Rule {
                lower,
                strip,
                append,
            });
        }
        let dict = r.map()?;
        let suffix = r.map()?;
        Some(LemmaTables {
            rules,
            dict,
            suffix,
        })
    }

    /// The lemma of `form` (whose lowercase is `lower_form`) under the XPOS
    /// tag id `xpos`, as dyad-nlp's lemmatizer computes it.
    pub fn lemma(&self, form: &str, lower_form: &str, xpos: u8) -> String {
        let rule = |r: u32| self.rules.get(r as usize);
        if let Some(rule) = self
            .dict
            .get(&dict_key(lower_form, xpos))
            .and_then(|&r| rule(r))
        {
            return apply(rule, form, lower_form);
        }
        let n = lower_form.chars().count();
        for k in (0..=n.min(MAX_SUFFIX)).rev() {
            if let Some(rule) = self
                .suffix
                .get(&suffix_key(lower_form, k, xpos))
                .and_then(|&r| rule(r))
            {
                if (rule.strip as usize) <= n {
                    return apply(rule, form, lower_form);
                }
            }
        }
        lower_form.to_string()
    }

    /// Whether these tables give the model's own lemma for every token of a
    /// built-in sample (regular and irregular verbs, nouns, punctuation).
    pub fn agrees_with(&self, model: &Model) -> bool {
        const SAMPLE: [&str; 6] = [
            "The ministers went to Kabul and were met by rebels who had fled .",
            "Police said they arrested 12 men , seized weapons and are holding them .",
            "She was n't sure whether the talks would resume ; they 'd broken down .",
            "Troops fought , bought , sought and brought supplies while leaders spoke .",
            "Iran 's president is visiting China , meeting officials and signing deals .",
            "Rebels have been shelling the city since Monday , residents told reporters .",
        ];
        let tag_id: FxHashMap<&str, u8> = model
            .xpos_tags()
            .iter()
            .enumerate()
            .filter(|(i, _)| *i <= usize::from(u8::MAX))
            .map(|(i, t)| (t.as_str(), i as u8))
            .collect();
        SAMPLE.iter().all(|s| {
            let words: Vec<&str> = s.split(' ').collect();
            let a = model.analyze(&words);
            words.iter().enumerate().all(|(i, w)| {
                let (Some(&tag), Some(lemma)) =
                    (a.xpos.get(i).and_then(|t| tag_id.get(t)), a.lemma.get(i))
                else {
                    return false;
                };
                self.lemma(w, &w.to_lowercase(), tag) == *lemma
            })
        })
    }
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

    #[test]
    fn lemma_section_reader_rejects_other_bytes() {
        assert!(LemmaTables::from_model_bytes(b"").is_none());
        assert!(LemmaTables::from_model_bytes(b"DYADNLP\0\x05\0\0\0").is_none());
        let mut truncated = MAGIC.to_vec();
        truncated.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        truncated.extend_from_slice(&7u32.to_le_bytes());
        assert!(LemmaTables::from_model_bytes(&truncated).is_none());
    }
}
