//! The coder's document-context hooks (see [`crate::discourse`]) and reduced passive
//! relatives ("the agreement signed by X", "the villagers killed by Y").
//!
//! Kept apart from the sentence coder proper so that `coder.rs` only carries small hooks:
//! * [`Coder::code_in_document`]: code a sentence of a document, with the document's
//!   [`Discourse`] resolving pair phrases ("the two sides");
//! * `pair_codes`: the codes of a unit that is a pair phrase;
//! * `passive_event_noun`: a passive light verb whose event noun is its subject ("The
//!   attack on X was carried out by Y");
//! * `reduced_relative`: a past participle without a subject or auxiliary, with a `by`
//!   agent, that the parse left as a subjectless clause (not inside its noun phrase). Its
//!   subject is not the enclosing clause's subject: the agent is the source and the noun
//!   phrase just before the participle (the noun it modifies) the target. Such a
//!   participle is an event of its own and is not swallowed by an enclosing verb.

use chrono::NaiveDate;

use super::{ACode, Coder, Coding, Ctx};
use crate::coder::CoderOptions;
use crate::dict::{DateNum, Dictionaries};
use crate::discourse::{country_root, is_pair_phrase, Discourse};
use crate::sentence::{Cat, ParsedSentence, NONE};

/// Roots the dictionaries give a bare country-level actor entry ("IRAQ [IRQ]").
pub(super) fn country_roots(d: &Dictionaries) -> rustc_hash::FxHashSet<[u8; 3]> {
    let mut out = rustc_hash::FxHashSet::default();
    for a in &d.actors {
        let codes = a
            .default
            .iter()
            .chain(a.dated.iter().filter_map(|(_, c)| c.as_ref()));
        for c in codes {
            if c.len() == 3 {
                if let Some(r) = country_root(c) {
                    out.insert(r);
                }
            }
        }
    }
    out
}

impl Coder {
    /// Codes one sentence of a document, in document order: records the countries the
    /// sentence names in `doc`, then codes it with pair phrases ("the two sides", "both
    /// countries") resolved to the two countries of the context when there are exactly
    /// two (see [`crate::discourse`]). Otherwise identical to [`Coder::code_full`].
    pub fn code_in_document(
        &self,
        s: &ParsedSentence,
        date: Option<NaiveDate>,
        opts: &CoderOptions,
        doc: &mut Discourse,
    ) -> Coding {
        doc.observe(self, s, date);
        // only sentences that can hold a pair phrase pay for it (it disables a fast exit)
        let pair = doc.pair().filter(|_| {
            s.tokens
                .iter()
                .any(|t| t.upper == "TWO" || t.upper == "BOTH")
        });
        self.code_with_pair(s, date, opts, pair)
    }

    /// Country roots named in `s` (longest actor-phrase matches, codes chosen by `date`),
    /// in order.
    pub(crate) fn country_mentions(
        &self,
        s: &ParsedSentence,
        date: Option<DateNum>,
    ) -> Vec<[u8; 3]> {
        let syms: Vec<u32> = s
            .tokens
            .iter()
            .map(|t| self.d.words.get(&t.upper))
            .collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < syms.len() {
            if !self.flag(syms[i], super::F_ACTOR) {
                i += 1;
                continue;
            }
            // a country is named by a capitalised proper noun or adjective ("Iraq", "US",
            // "Iraqi"), never by a function word that happens to spell an abbreviation
            let tok = &s.tokens[i];
            let named = tok.word.chars().next().is_some_and(char::is_uppercase)
                && (tok.tag.starts_with("NN") || tok.tag.starts_with("JJ"));
            let Some((e, k)) = self.d.actor_trie.longest(&syms[i..]).filter(|_| named) else {
                i += 1;
                continue;
            };
            if let Some(code) = self.d.actors.get(e as usize).and_then(|a| a.code_at(date)) {
                for c in code.split('/') {
                    if let Some(r) = country_root(c.trim()) {
                        if self.country_roots.contains(&r) {
                            out.push(r);
                        }
                    }
                }
            }
            i += k.max(1);
        }
        out
    }

    /// The codes of a unit over tokens `[start, end)`: the two countries of the context
    /// when the unit is a pair phrase without an actor of its own (its agents kept),
    /// else `codes` unchanged.
    pub(super) fn pair_codes(
        &self,
        cx: &Ctx<'_>,
        start: u32,
        end: u32,
        codes: Vec<ACode>,
    ) -> Vec<ACode> {
        let Some(pair) = &cx.pair else { return codes };
        if codes.iter().any(ACode::has_actor) || end <= start {
            return codes;
        }
        let toks = &cx.s.tokens[start as usize..end as usize];
        let words: Vec<&str> = toks.iter().map(|t| t.upper.as_str()).collect();
        let tags: Vec<&str> = toks.iter().map(|t| t.tag.as_str()).collect();
        if !is_pair_phrase(&words, &tags) {
            return codes;
        }
        let (prefix, suffix) = codes
            .first()
            .map(|c| (c.prefix.clone(), c.suffix.clone()))
            .unwrap_or_default();
        pair.iter()
            .map(|root| ACode {
                base: Some(root.clone()),
                prefix: prefix.clone(),
                suffix: suffix.clone(),
                actor: None,
                newtext: None,
                span: None,
            })
            .collect()
    }

    /// True when comma `i` opens a participle clause inside a noun phrase ("A, headed by
    /// B, …" as the UD projection builds it: `NP → VP(, VBN …)`). Such a comma is
    /// NP-internal, as in a Penn Treebank tree, not a clause boundary for the comma rules.
    pub(super) fn opens_participle_clause(s: &ParsedSentence, i: usize) -> bool {
        let p = s.nodes[s.leaf[i] as usize].parent;
        if p == NONE || s.cat(p) != Cat::Vp {
            return false;
        }
        let pp = s.nodes[p as usize].parent;
        pp != NONE
            && s.cat(pp) == Cat::Np
            && s.nodes[p as usize].children.first() == Some(&s.leaf[i])
    }

    /// A past participle (VBN) with a `by` agent and no auxiliary before it in its verb
    /// phrase chain: "soldiers killed by militants" even when the parse made "soldiers" its
    /// subject. Passive: the agent is the source.
    pub(super) fn bare_participle_with_agent(&self, cx: &Ctx<'_>, leaf: u32, vp: u32) -> bool {
        let s = cx.s;
        let t = s.nodes[leaf as usize].token as usize;
        if s.tokens[t].tag != "VBN" || self.by_unit(cx, vp).is_none() {
            return false;
        }
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
                    let k = s.nodes[c as usize].token as usize;
                    if self.aux_words.contains(&cx.syms[k]) || s.tokens[k].tag == "MD" {
                        return false;
                    }
                }
            }
            n = p;
        }
        true
    }

    /// A participle phrase inside a noun phrase with a `by` agent ("the deal signed by X
    /// and Y"): an event of its own, not swallowed by the verb whose object holds it.
    pub(super) fn participle_in_np_with_agent(&self, cx: &Ctx<'_>, leaf: u32, vp: u32) -> bool {
        let s = cx.s;
        let t = s.nodes[leaf as usize].token as usize;
        let p = s.nodes[vp as usize].parent;
        matches!(s.tokens[t].tag.as_str(), "VBN" | "VBD")
            && p != NONE
            && s.cat(p) == Cat::Np
            && self.by_unit(cx, vp).is_some()
    }

    /// For a reduced passive relative left as a subjectless clause (see the module docs):
    /// `Some(unit of the modified noun phrase, if any)`; `None` for any other verb.
    pub(super) fn reduced_relative(
        &self,
        cx: &Ctx<'_>,
        leaf: u32,
        vp: u32,
    ) -> Option<Option<usize>> {
        let s = cx.s;
        let t = s.nodes[leaf as usize].token;
        if !matches!(s.tokens[t as usize].tag.as_str(), "VBN" | "VBD") {
            return None;
        }
        // the participle opens its VP, and the VP is the first phrase of a clause with no
        // subject (a VP directly inside an NP is already read as a passive participle)
        let vpn = &s.nodes[vp as usize];
        if vpn.children.first() != Some(&leaf) {
            return None;
        }
        let clause = vpn.parent;
        if clause == NONE || s.cat(clause) != Cat::S {
            return None;
        }
        if s.nodes[clause as usize].children.first() != Some(&vp) {
            return None;
        }
        self.by_unit(cx, vp)?;
        // the noun phrase it modifies ends right before it (a comma may intervene)
        let p = cx.pos[t as usize];
        if p == usize::MAX || p == 0 {
            return Some(None);
        }
        let mut q = p - 1;
        if cx.s.tokens[cx.seq[q] as usize].word == "," && q > 0 {
            q -= 1;
        }
        let before = cx.seq[q] as usize;
        if !super::is_noun(&s.tokens[before].tag) {
            return Some(None);
        }
        Some(cx.unit_end[q])
    }
}

impl Coder {
    /// A light verb in a passive whose event noun is its subject: "The attack on X was
    /// carried out by Y" is "Y carried out the attack on X". When no pattern of the verb's
    /// block matched, a pattern with nothing before the verb whose words after it begin
    /// with a word or synset ("* &ATTACK ON +") is matched inside the subject phrase; the
    /// `by` agent stays the source (`code_form`). Only with a `by` agent: without one the
    /// event has no known source.
    pub(super) fn passive_event_noun(
        &self,
        cx: &Ctx<'_>,
        leaf: u32,
        vp: u32,
        bi: usize,
        ranks: &[u32],
        opts: &CoderOptions,
    ) -> Option<(&crate::dict::Pattern, super::Bind)> {
        use crate::dict::PatElem;
        self.by_unit(cx, vp)?;
        let su = self.subject_unit(cx, leaf)?;
        let top = &cx.s.nodes[cx.units[su].top as usize];
        let pos: Vec<usize> = (top.start..top.end)
            .map(|t| cx.pos[t as usize])
            .filter(|&p| p != usize::MAX)
            .collect();
        let (&a, &b) = (pos.iter().min()?, pos.iter().max()?);
        let block = &self.d.blocks[bi];
        for &rank in ranks {
            let p = &block.patterns[self.order[bi][rank as usize] as usize];
            let starts_with_words = p
                .lower
                .first()
                .is_some_and(|it| matches!(it.elem, PatElem::Word(_) | PatElem::Synset(_)));
            if !p.upper.is_empty() || !starts_with_words || p.code.code.is_none() {
                continue;
            }
            if !cx.has_required(p) {
                continue;
            }
            let mut bind = super::Bind::default();
            if self.match_lower_from(cx, &p.lower, a, b + 1, &mut bind)
                && !self.target_slot_uncoded(cx, &bind, opts)
            {
                return Some((p, bind));
            }
        }
        None
    }
}
