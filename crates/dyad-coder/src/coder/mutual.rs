//! Mutual events among the members of a compound subject ("Iraq and the United States
//! discussed security cooperation" → IRQ→USA and USA→IRQ 040).
//!
//! A compound subject is coded against itself only when the construction says the members
//! act on *each other*; otherwise its members are co-agents of one act against someone else
//! ("Iraqi and American forces attacked the town" is a joint attack on the town, not a fight
//! between the two). [`Coder::mutual_reading`] decides, for the verb's event code and its
//! syntax, from the first rule that applies:
//!
//! 1. the subject of a **passive** never reads mutually: it is what the act was done to (a
//!    compound `by` agent does: "the agreement signed by the two sides");
//! 2. an explicit **reciprocal** phrase in the verb's own clause ("each other", "one
//!    another", "with each other") reads mutually, whatever the event;
//! 3. an event of **cooperative interaction** — an act two parties can only do together:
//!    intent to cooperate, meet or settle (030, 031, 036, 037), consultation and negotiation
//!    (040, 041, 044, 046; not visits, hosting or mediation, 042, 043, 045), signing an
//!    agreement (057), material cooperation (06x) — reads mutually; an object is its topic
//!    ("discussed security cooperation"). Diplomatic cooperation (050) is not in the list:
//!    dictionaries give it to directed acts ("support"); its symmetric forms ("restored
//!    relations", "formed an alliance") carry `%` patterns;
//! 4. a dictionary `%` pattern (the dictionary declares the verb symmetric: "clash",
//!    "fight", "meet") reads mutually when the pattern itself spells out the words after the
//!    verb ("% * FIRE": "exchanged fire") or when the verb has **no direct object**
//!    ("Iraqi and Kurdish forces clashed on Monday") or its object is theirs ("delayed their
//!    meeting"); with any other direct object the other party
//!    is that object ("… fought Islamic State militants"), so the `%` pattern is passed over
//!    and a less specific pattern binds the object;
//! 5. anything else does not: a compound source with no coded target gives no event.
//!
//! PETRARCH paired the members for every verb with no coded target; the PETRARCH suite keeps
//! that behaviour (`CoderOptions::mutual_needs_reciprocal` off in `validate`).

use super::{Coder, Ctx};
use crate::dict::{PatElem, Pattern};
use crate::sentence::{Cat, ParsedSentence, NONE};

/// CAMEO codes of acts two parties do with each other (rule 3 of the module docs).
pub(super) fn cooperative_interaction(code: &str) -> bool {
    let c3 = code.get(..3).unwrap_or(code);
    matches!(
        c3,
        "030" | "031" | "036" | "037" | "040" | "041" | "044" | "046" | "057"
    ) || c3.starts_with("06")
}

/// Nouns that head a temporal noun phrase ("clashed Monday", "fought all night"): such a
/// phrase is an adverbial, not the verb's object.
const TIME_NOUNS: &[&str] = &[
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
    "SUNDAY",
    "TODAY",
    "YESTERDAY",
    "TONIGHT",
    "TOMORROW",
    "MORNING",
    "AFTERNOON",
    "EVENING",
    "NIGHT",
    "DAY",
    "DAYS",
    "WEEK",
    "WEEKS",
    "WEEKEND",
    "MONTH",
    "MONTHS",
    "YEAR",
    "YEARS",
];

/// True when token `t` lies in `top` without a clause (`S`, `SBAR`) between them: the word
/// belongs to the verb's own clause, not to a clause embedded in it.
fn in_own_clause(s: &ParsedSentence, t: u32, top: u32) -> bool {
    let mut n = s.leaf[t as usize];
    while n != NONE && n != top {
        if matches!(s.cat(n), Cat::S | Cat::Sbar) {
            return false;
        }
        n = s.nodes[n as usize].parent;
    }
    n == top
}

/// "each other" / "one another" after the verb token `leaf`, in the verb phrase `vp` and
/// not inside a clause embedded in it.
pub(super) fn reciprocal_phrase(s: &ParsedSentence, vp: u32, leaf: u32) -> bool {
    let from = s.nodes[leaf as usize].end;
    let to = s.nodes[vp as usize].end;
    (from..to.saturating_sub(1)).any(|t| {
        let (a, b) = (
            s.tokens[t as usize].upper.as_str(),
            s.tokens[t as usize + 1].upper.as_str(),
        );
        matches!((a, b), ("EACH", "OTHER") | ("ONE", "ANOTHER")) && in_own_clause(s, t, vp)
    })
}

/// The verb's direct object: the first noun phrase among the children of its verb phrase
/// after the verb, unless it is temporal (`NP-TMP`, or headed by a time noun).
pub(super) fn direct_object(s: &ParsedSentence, vp: u32, leaf: u32) -> Option<u32> {
    let kids = &s.nodes[vp as usize].children;
    kids.iter()
        .copied()
        .skip_while(|&c| c != leaf)
        .skip(1)
        .find(|&c| s.cat(c) == Cat::Np)
        .filter(|&c| {
            let nd = &s.nodes[c as usize];
            let head = nd
                .end
                .checked_sub(1)
                .map(|h| s.tokens[h as usize].upper.as_str());
            !head.is_some_and(|h| TIME_NOUNS.contains(&h))
        })
}

/// The pattern has `%` before the verb.
pub(super) fn compound_pattern(p: &Pattern) -> bool {
    p.upper.iter().any(|it| it.elem == PatElem::Compound)
}

impl Coder {
    /// Whether the members of the verb's compound source are each other's target for an
    /// event with code `code`, matched by `pattern` (if any); `patient`: the compound is a
    /// passive's subject. See the module docs.
    pub(super) fn mutual_reading(
        &self,
        cx: &Ctx<'_>,
        leaf: u32,
        vp: u32,
        code: &str,
        patient: bool,
        pattern: Option<&Pattern>,
    ) -> bool {
        let s = cx.s;
        if patient {
            return false;
        }
        if reciprocal_phrase(s, vp, leaf) || cooperative_interaction(code) {
            return true;
        }
        let Some(p) = pattern.filter(|p| compound_pattern(p)) else {
            return false;
        };
        if p.lower
            .iter()
            .any(|it| matches!(it.elem, PatElem::Word(_) | PatElem::Synset(_)))
        {
            return true;
        }
        // an object the subjects own together is between them ("delayed their meeting")
        direct_object(s, vp, leaf)
            .is_none_or(|o| s.tokens[s.nodes[o as usize].start as usize].upper == "THEIR")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_input::PtbTree;

    fn sent(tree: &str) -> ParsedSentence {
        ParsedSentence::from_ptb(&PtbTree::parse(tree, "test", 1).expect("tree parses"))
    }

    /// The verb leaf of token `t` and its verb phrase.
    fn verb(s: &ParsedSentence, t: usize) -> (u32, u32) {
        let leaf = s.leaf[t];
        (leaf, s.nodes[leaf as usize].parent)
    }

    #[test]
    fn cooperative_interaction_is_what_two_parties_do_together() {
        for c in [
            "030", "0311", "036", "040", "041", "046", "057", "061", "064",
        ] {
            assert!(cooperative_interaction(c), "{c}");
        }
        // visits, hosting and mediation have a direction; support (050), praise, criticism
        // and force too
        for c in [
            "042", "043", "045", "050", "051", "111", "190", "0874", "020",
        ] {
            assert!(!cooperative_interaction(c), "{c}");
        }
    }

    #[test]
    fn a_time_phrase_is_not_a_direct_object() {
        let s =
            sent("(ROOT (S (NP (NNS troops)) (VP (VBD clashed) (NP (JJ last) (NN week))) (. .)))");
        let (leaf, vp) = verb(&s, 1);
        assert_eq!(direct_object(&s, vp, leaf), None);
        let s = sent("(ROOT (S (NP (NNS troops)) (VP (VBD attacked) (NP (DT the) (NN town)) (PP (IN on) (NP (NNP Monday)))) (. .)))");
        let (leaf, vp) = verb(&s, 1);
        assert!(direct_object(&s, vp, leaf).is_some());
        assert!(!reciprocal_phrase(&s, vp, leaf));
    }

    #[test]
    fn reciprocal_phrases_after_the_verb() {
        let s =
            sent("(ROOT (S (NP (NNS they)) (VP (VBD blamed) (NP (CD one) (DT another))) (. .)))");
        let (leaf, vp) = verb(&s, 1);
        assert!(reciprocal_phrase(&s, vp, leaf));
        let s = sent("(ROOT (S (NP (NNS they)) (VP (VBD met) (PP (IN with) (NP (DT each) (JJ other)))) (. .)))");
        let (leaf, vp) = verb(&s, 1);
        assert!(reciprocal_phrase(&s, vp, leaf));
    }
}
