//! Document context for the coder: the running list of countries a document has named,
//! used to resolve "the two sides" and its kin.
//!
//! News text names two countries and then goes on with "the two sides signed …",
//! "both countries agreed …". Sentence by sentence, those noun phrases have no actor.
//! [`Discourse`] keeps, for one document, the country-level actors each sentence names
//! (in order), and [`Coder::code_in_document`](crate::Coder::code_in_document) uses it:
//!
//! * **Pair phrases** ([`is_pair_phrase`]): "the two" or "both (the)" followed by at
//!   most two adjectives and one of the nouns in [`PAIR_NOUNS`] ("sides", "countries",
//!   "nations", "states", "governments", "leaders", "delegations", …), optionally
//!   possessive ("the two countries'"). "Parties" is left out on purpose: "the two
//!   parties" are as often political parties as states.
//! * **Resolution** ([`Discourse::pair`]): the distinct country-level actors named in the
//!   current sentence and the [`DEFAULT_WINDOW`]` - 1` sentences before it. Only when
//!   there are **exactly two** does a pair phrase resolve, to those two countries in
//!   the order they were first named in the window; with one, three or more, it stays
//!   unresolved (no guessing).
//! * **Country-level** means an actor code whose first three letters are a root that the
//!   dictionaries give a bare actor entry (e.g. `IRQ` from "Iraq"), excluding the CAMEO
//!   non-state roots ([`NON_STATE_ROOTS`]: regions, religions, ethnic groups, IGO/NGO/IMG
//!   …). "Iraqi Defence Minister X" (`IRQMIL`) counts as naming Iraq.
//! * **Codes**: the pair phrase becomes a two-member compound unit whose members are the
//!   two country roots, plus any agent the phrase itself carries ("the two
//!   governments" → `IRQGOV`, `USAGOV`; "the two sides" → `IRQ`, `USA`). From there the
//!   coder's usual compound rules apply (mutual events for a compound source without a
//!   target, one event per member otherwise).
//!
//! Mentions are found by a longest-match scan of the sentence's words over the actor
//! dictionary (date-restricted codes chosen by the sentence date), so sentences that
//! code no event still feed the context. A mention must start with a capitalised noun or
//! adjective (NN*/JJ*): a function word that spells an abbreviation ("as") names nothing.

use std::collections::VecDeque;

use chrono::{Datelike, NaiveDate};

use crate::coder::Coder;
use crate::sentence::ParsedSentence;

/// Sentences (the current one included) searched for the two countries of a pair phrase.
pub const DEFAULT_WINDOW: usize = 6;

/// Nouns that, after "the two" / "both", refer to the two parties of a bilateral relation.
pub const PAIR_NOUNS: &[&str] = &[
    "SIDES",
    "COUNTRIES",
    "NATIONS",
    "STATES",
    "GOVERNMENTS",
    "CAPITALS",
    "NEIGHBORS",
    "NEIGHBOURS",
    "ALLIES",
    "LEADERS",
    "DELEGATIONS",
    "MILITARIES",
    "ARMIES",
    "ADMINISTRATIONS",
    "PARTNERS",
    "PRESIDENTS",
    "ADVERSARIES",
    "RIVALS",
];

/// CAMEO actor roots that are not states (regions, religions, ethnic groups, group
/// prefixes): a mention with one of these roots never counts as naming a country.
pub const NON_STATE_ROOTS: &[&str] = &[
    // regions
    "AFR", "ASA", "BLK", "CAS", "CAU", "CEU", "CFR", "CRB", "EAF", "EEU", "EIN", "EUR", "LAM",
    "MDT", "MEA", "NAF", "NMR", "PGS", "SAF", "SAM", "SAS", "SCN", "SEA", "WAF", "WST",
    // religions
    "BUD", "CHR", "HIN", "JEW", "MOS", "ALW", "DRZ", // ethnic groups
    "BAL", "KUR", "PAS", "ROH", "TUA", "UIG", "YAZ", // group prefixes
    "IGO", "NGO", "IMG", "MNC", "UIS", "INT",
];

/// True when `words` (upper-case) with PTB `tags` form a pair phrase: "the two" or
/// "both (the)", up to two adjectives, a noun of [`PAIR_NOUNS`], an optional possessive.
pub fn is_pair_phrase(words: &[&str], tags: &[&str]) -> bool {
    let mut i = 0;
    let mut end = words.len();
    if end > 0 && matches!(words[end - 1], "'" | "'S" | "’") {
        end -= 1;
    }
    let at = |k: usize| words.get(k).copied().unwrap_or("");
    match at(0) {
        "BOTH" => {
            i = 1;
            if at(1) == "THE" {
                i = 2;
            }
        }
        "THE" | "THESE" | "THOSE" if at(1) == "TWO" => i = 2,
        "TWO" => {} // "two sides" without a determiner is indefinite: not a pair
        _ => return false,
    }
    if i == 0 || end <= i {
        return false;
    }
    let adjectives = end - i - 1;
    if adjectives > 2 {
        return false;
    }
    if !(i..end - 1).all(|k| {
        tags.get(k)
            .is_some_and(|t| t.starts_with("JJ") || *t == "VBG")
    }) {
        return false;
    }
    PAIR_NOUNS.contains(&at(end - 1))
}

/// One document's running list of country-level actors (see the module docs).
#[derive(Debug, Clone)]
pub struct Discourse {
    window: usize,
    /// Index of the next sentence to observe.
    sentence: usize,
    /// (sentence index, country root) in the order named; only the last `window` sentences.
    mentions: VecDeque<(usize, [u8; 3])>,
}

impl Default for Discourse {
    fn default() -> Self {
        Discourse::new()
    }
}

impl Discourse {
    /// An empty context with the default window ([`DEFAULT_WINDOW`] sentences).
    pub fn new() -> Discourse {
        Discourse::with_window(DEFAULT_WINDOW)
    }

    /// An empty context searching `window` sentences (at least 1: the current one).
    pub fn with_window(window: usize) -> Discourse {
        Discourse {
            window: window.max(1),
            sentence: 0,
            mentions: VecDeque::new(),
        }
    }

    /// Records the countries `s` names (it becomes the current sentence).
    pub fn observe(&mut self, coder: &Coder, s: &ParsedSentence, date: Option<NaiveDate>) {
        let date = date.map(|d| d.year() as u32 * 10000 + d.month() * 100 + d.day());
        let cur = self.sentence;
        self.sentence += 1;
        for root in coder.country_mentions(s, date) {
            self.mentions.push_back((cur, root));
        }
        while self
            .mentions
            .front()
            .is_some_and(|&(k, _)| k + self.window <= cur)
        {
            self.mentions.pop_front();
        }
    }

    /// Records a sentence that was not coded (a heading, an unparsable sentence): it
    /// still counts towards the window.
    pub fn skip(&mut self) {
        self.sentence += 1;
    }

    /// The two countries a pair phrase in the current sentence resolves to: `Some` only
    /// when the window names exactly two distinct country-level actors, in the order
    /// first named.
    pub fn pair(&self) -> Option<[String; 2]> {
        let cur = self.sentence.checked_sub(1)?;
        let mut seen: Vec<[u8; 3]> = Vec::with_capacity(3);
        for &(k, root) in &self.mentions {
            if k + self.window <= cur {
                continue;
            }
            if !seen.contains(&root) {
                seen.push(root);
                if seen.len() > 2 {
                    return None;
                }
            }
        }
        match seen.as_slice() {
            [a, b] => Some([root_str(a)?, root_str(b)?]),
            _ => None,
        }
    }
}

fn root_str(r: &[u8; 3]) -> Option<String> {
    std::str::from_utf8(r).ok().map(str::to_string)
}

/// The root of `code` when it is a country-level actor code: three upper-case
/// letters not in [`NON_STATE_ROOTS`] (the caller checks that the dictionaries know the
/// bare root as an actor).
pub fn country_root(code: &str) -> Option<[u8; 3]> {
    let b = code.as_bytes();
    if b.len() < 3 || !b[..3].iter().all(u8::is_ascii_uppercase) {
        return None;
    }
    let r = [b[0], b[1], b[2]];
    let s = std::str::from_utf8(&r).ok()?;
    (!NON_STATE_ROOTS.contains(&s)).then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(ws: &str, tags: &str) -> bool {
        let w: Vec<&str> = ws.split(' ').collect();
        let t: Vec<&str> = tags.split(' ').collect();
        is_pair_phrase(&w, &t)
    }

    #[test]
    fn pair_phrases() {
        assert!(pair("THE TWO SIDES", "DT CD NNS"));
        assert!(pair("BOTH COUNTRIES", "DT NNS"));
        assert!(pair("BOTH THE GOVERNMENTS", "DT DT NNS"));
        assert!(pair(
            "THE TWO NEIGHBOURING COUNTRIES '",
            "DT CD VBG NNS POS"
        ));
        assert!(pair("THE TWO ARAB STATES", "DT CD JJ NNS"));
        assert!(!pair("TWO SIDES", "CD NNS"));
        assert!(!pair("THE TWO PARTIES", "DT CD NNS"));
        assert!(!pair("THE THREE COUNTRIES", "DT CD NNS"));
        assert!(!pair("THE TWO MEN", "DT CD NNS"));
        assert!(!pair("BOTH", "DT"));
        assert!(!pair("THE TWO BIG RICH OLD STATES", "DT CD JJ JJ JJ NNS"));
    }

    #[test]
    fn country_roots() {
        assert_eq!(country_root("IRQGOV"), Some(*b"IRQ"));
        assert_eq!(country_root("USA"), Some(*b"USA"));
        assert_eq!(country_root("IGOUNO"), None);
        assert_eq!(country_root("IMGISI"), None);
        assert_eq!(country_root("---GOV"), None);
        assert_eq!(country_root("EUR"), None);
        assert_eq!(country_root("\"NEW ACTOR\""), None);
    }

    #[test]
    fn the_window_needs_exactly_two_countries() {
        let mut d = Discourse::with_window(2);
        assert_eq!(d.pair(), None);
        d.sentence = 1;
        d.mentions.push_back((0, *b"IRQ"));
        assert_eq!(d.pair(), None, "one country is not a pair");
        d.mentions.push_back((0, *b"USA"));
        d.mentions.push_back((0, *b"IRQ"));
        assert_eq!(d.pair(), Some(["IRQ".to_string(), "USA".to_string()]));
        d.mentions.push_back((0, *b"FRA"));
        assert_eq!(d.pair(), None, "three countries are ambiguous");
        // two sentences later, the window (2) no longer holds sentence 0
        d.sentence = 3;
        d.mentions.push_back((2, *b"DEU"));
        d.mentions.push_back((2, *b"POL"));
        assert_eq!(d.pair(), Some(["DEU".to_string(), "POL".to_string()]));
    }
}
