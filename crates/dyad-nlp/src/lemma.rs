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
        // ASCII forms (nearly all) are lowercased on the stack: the only
        // allocation is the returned lemma.
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
                return apply_to(rule, form, lf);
            }
        }
        let n = lf.chars().count();
        for k in (0..=n.min(MAX_SUFFIX)).rev() {
            if let Some(r) = self.suffix.get(suffix_key(lf, k, xpos)) {
                if let Some(rule) = self.rules.get(r as usize) {
                    if (rule.strip as usize) <= n {
                        return apply_to(rule, form, lf);
                    }
                }
            }
        }
        lf.to_string()
    }
}

/// `apply` given the already lowercased form `lf` (= `form.to_lowercase()`),
/// with a single allocation.
fn apply_to(rule: &Rule, form: &str, lf: &str) -> String {
    let base = if rule.lower { lf } else { form };
    let n = base.chars().count();
    if rule.strip as usize > n {
        return base.to_string();
    }
    let keep = n - rule.strip as usize;
    let end = base.char_indices().nth(keep).map_or(base.len(), |(i, _)| i);
    let mut out = String::with_capacity(end + rule.append.len());
    out.push_str(&base[..end]);
    out.push_str(&rule.append);
    out
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
