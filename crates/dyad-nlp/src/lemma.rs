//! Lemmatizer learned from treebank lemmas: an exact (form, XPOS) dictionary
//! backed by longest-suffix edit rules per XPOS.

use crate::hash::{comb, fmix, str_tagged};
use crate::table::U64Map;
use std::collections::BTreeMap;

/// An edit rule: optionally lowercase, strip `strip` chars, append `append`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Rule {
    pub lower: bool,
    pub strip: u8,
    pub append: String,
}

pub(crate) const MAX_SUFFIX: usize = 5;

/// The lemmatizer.
#[derive(Clone, Debug, Default)]
pub(crate) struct Lemmatizer {
    pub rules: Vec<Rule>,
    pub dict: U64Map,
    pub suffix: U64Map,
}

fn lower(s: &str) -> String {
    s.to_lowercase()
}

fn common_prefix_chars(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

fn rule_for(form: &str, lemma: &str) -> Rule {
    let make = |base: &str, lower: bool| {
        let p = common_prefix_chars(base, lemma);
        let strip = base.chars().count() - p;
        let append: String = lemma.chars().skip(p).collect();
        Rule {
            lower,
            strip: strip.min(255) as u8,
            append,
        }
    };
    let keep = make(form, false);
    let low = make(&lower(form), true);
    if keep.strip < low.strip {
        keep
    } else {
        low
    }
}

fn dict_key(lower_form: &str, xpos: u8) -> u64 {
    fmix(comb(str_tagged(0x77, lower_form), xpos as u64))
}

fn suffix_key(lower_form: &str, k: usize, xpos: u8) -> u64 {
    let mut h = comb(0x99, xpos as u64);
    for c in lower_form.chars().rev().take(k) {
        h = comb(h, c as u64);
    }
    fmix(comb(h, k as u64))
}

/// Apply a rule to a form (reference for [`Lemmatizer::lemma`]'s
/// allocation-free path; the tests check both agree).
#[cfg(test)]
pub(crate) fn apply(rule: &Rule, form: &str) -> String {
    let base = if rule.lower {
        lower(form)
    } else {
        form.to_string()
    };
    let n = base.chars().count();
    if rule.strip as usize > n {
        return base;
    }
    let keep = n - rule.strip as usize;
    let mut out: String = base.chars().take(keep).collect();
    out.push_str(&rule.append);
    out
}

impl Lemmatizer {
    /// Learn from (form, xpos, lemma) triples.
    pub(crate) fn train<'a>(items: impl Iterator<Item = (&'a str, u8, &'a str)>) -> Lemmatizer {
        let mut rule_ids: BTreeMap<Rule, u32> = BTreeMap::new();
        let mut rules: Vec<Rule> = Vec::new();
        let mut dict: BTreeMap<u64, BTreeMap<u32, u32>> = BTreeMap::new();
        let mut suf: BTreeMap<u64, BTreeMap<u32, u32>> = BTreeMap::new();
        for (form, xpos, lemma) in items {
            if lemma == "_" || lemma.is_empty() {
                continue;
            }
            let r = rule_for(form, lemma);
            let id = *rule_ids.entry(r.clone()).or_insert_with(|| {
                rules.push(r);
                (rules.len() - 1) as u32
            });
            let lf = lower(form);
            *dict
                .entry(dict_key(&lf, xpos))
                .or_default()
                .entry(id)
                .or_default() += 1;
            let n = lf.chars().count();
            for k in 0..=n.min(MAX_SUFFIX) {
                *suf.entry(suffix_key(&lf, k, xpos))
                    .or_default()
                    .entry(id)
                    .or_default() += 1;
            }
        }
        let best = |m: &BTreeMap<u32, u32>| -> (u32, u32) {
            let mut b = (0u32, 0u32);
            for (&id, &c) in m {
                if c > b.1 {
                    b = (id, c);
                }
            }
            (b.0, m.values().sum())
        };
        let dict_pairs: Vec<(u64, u32)> = dict.iter().map(|(k, m)| (*k, best(m).0)).collect();
        let suf_pairs: Vec<(u64, u32)> = suf
            .iter()
            .filter_map(|(k, m)| {
                let (id, total) = best(m);
                (total >= 2).then_some((*k, id))
            })
            .collect();
        Lemmatizer {
            rules,
            dict: U64Map::from_pairs(&dict_pairs),
            suffix: U64Map::from_pairs(&suf_pairs),
        }
    }

    /// Lemma of `form` tagged `xpos`.
    pub(crate) fn lemma(&self, form: &str, xpos: u8) -> String {
        let mut out = String::new();
        self.lemma_into(form, xpos, &mut out);
        out
    }

    /// Appends the lemma of `form` tagged `xpos` to `out` (no allocation
    /// of its own for ASCII forms up to 64 bytes, nearly all of them).
    pub(crate) fn lemma_into(&self, form: &str, xpos: u8, out: &mut String) {
        let mut buf = [0u8; 64];
        let owned;
        let lf: &str = if form.len() <= buf.len() && form.is_ascii() {
            let b = &mut buf[..form.len()];
            b.copy_from_slice(form.as_bytes());
            b.make_ascii_lowercase();
            std::str::from_utf8(b).unwrap_or(form)
        } else {
            owned = lower(form);
            &owned
        };
        if let Some(r) = self.dict.get(dict_key(lf, xpos)) {
            if let Some(rule) = self.rules.get(r as usize) {
                return apply_to(rule, form, lf, out);
            }
        }
        let n = lf.chars().count();
        for k in (0..=n.min(MAX_SUFFIX)).rev() {
            if let Some(r) = self.suffix.get(suffix_key(lf, k, xpos)) {
                if let Some(rule) = self.rules.get(r as usize) {
                    if (rule.strip as usize) <= n {
                        return apply_to(rule, form, lf, out);
                    }
                }
            }
        }
        out.push_str(lf);
    }
}

/// `apply` given the already lowercased form `lf` (= `form.to_lowercase()`),
/// appending to `out`.
fn apply_to(rule: &Rule, form: &str, lf: &str, out: &mut String) {
    let base = if rule.lower { lf } else { form };
    let n = base.chars().count();
    if rule.strip as usize > n {
        out.push_str(base);
        return;
    }
    let keep = n - rule.strip as usize;
    let end = base.char_indices().nth(keep).map_or(base.len(), |(i, _)| i);
    out.push_str(&base[..end]);
    out.push_str(&rule.append);
}

/// The lemmas of a sentence, one per word, in one string buffer (no
/// allocation per word). Index it like a slice: `lemmas[i]` is a `&str`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lemmas {
    text: String,
    /// End of lemma `i` in `text` (its start is the previous end, or 0).
    ends: Vec<u32>,
}

impl Lemmas {
    /// No lemmas.
    pub fn new() -> Lemmas {
        Lemmas::default()
    }

    /// Room for `words` lemmas of about `bytes` bytes in all.
    pub fn with_capacity(words: usize, bytes: usize) -> Lemmas {
        Lemmas {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(words),
        }
    }

    /// Number of lemmas.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Lemma `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..end)
    }

    /// Appends a lemma.
    pub fn push(&mut self, lemma: &str) {
        self.text.push_str(lemma);
        self.ends.push(self.text.len() as u32);
    }

    /// Appends a lemma written by `f` into the shared buffer.
    pub(crate) fn push_with(&mut self, f: impl FnOnce(&mut String)) {
        f(&mut self.text);
        self.ends.push(self.text.len() as u32);
    }

    /// The lemmas in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.ends.len()).map(|i| self.get(i).unwrap_or(""))
    }

    /// The lemmas as a vector of string slices.
    pub fn to_strs(&self) -> Vec<&str> {
        self.iter().collect()
    }
}

impl std::ops::Index<usize> for Lemmas {
    type Output = str;
    /// Lemma `i`; panics when `i >= len()`, like a slice.
    fn index(&self, i: usize) -> &str {
        let end = self.ends[i] as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..end]
    }
}

impl<S: AsRef<str>> FromIterator<S> for Lemmas {
    fn from_iter<I: IntoIterator<Item = S>>(it: I) -> Lemmas {
        let mut l = Lemmas::new();
        for s in it {
            l.push(s.as_ref());
        }
        l
    }
}

#[cfg(test)]
impl Lemmatizer {
    /// The straightforward lemma computation (several allocations).
    pub(crate) fn lemma_reference(&self, form: &str, xpos: u8) -> String {
        let lf = lower(form);
        if let Some(r) = self.dict.get(dict_key(&lf, xpos)) {
            if let Some(rule) = self.rules.get(r as usize) {
                return apply(rule, form);
            }
        }
        let n = lf.chars().count();
        for k in (0..=n.min(MAX_SUFFIX)).rev() {
            if let Some(r) = self.suffix.get(suffix_key(&lf, k, xpos)) {
                if let Some(rule) = self.rules.get(r as usize) {
                    if (rule.strip as usize) <= n {
                        return apply(rule, form);
                    }
                }
            }
        }
        lf
    }
}

#[cfg(test)]
mod tests {
    use super::Lemmas;

    /// `Lemmas` holds what was pushed, in order, whatever the lengths
    /// (empty lemmas, non-ASCII text) and however it was built.
    #[test]
    fn lemmas_keep_what_was_pushed() {
        let words = ["be", "", "Straße", "ΣΟΦΟΣ", "x", ""];
        let mut l = Lemmas::new();
        assert!(l.is_empty());
        for w in words {
            l.push(w);
        }
        assert_eq!(l.len(), words.len());
        for (i, w) in words.iter().enumerate() {
            assert_eq!(&l[i], *w);
            assert_eq!(l.get(i), Some(*w));
        }
        assert_eq!(l.get(words.len()), None);
        assert_eq!(l.iter().collect::<Vec<_>>(), words);
        assert_eq!(l.to_strs(), words);
        let from: Lemmas = words.iter().collect();
        assert_eq!(from, l);
        let mut by_fn = Lemmas::with_capacity(2, 4);
        by_fn.push_with(|s| s.push_str("ab"));
        by_fn.push_with(|_| {});
        assert_eq!(by_fn.to_strs(), ["ab", ""]);
        assert_ne!(by_fn, l);
    }
}
