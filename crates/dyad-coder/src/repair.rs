//! Dependency repairs: fixes for parse errors that hide who did what to whom.
//!
//! Two kinds: [`hidden_conjuncts`] (below), the [`verbless`] and [`stranded`] repairs rewrite a
//! finished parse before it is projected into phrases; [`temporal`] decides from words and tags alone
//! that a sentence should be parsed again without a temporal adverb.
//!
//! Dependency repairs applied before a UD parse is projected into phrases.
//!
//! A statistical parser reads "A, headed by B, and C, headed by D, VERB …" badly:
//! the comma that closes the participle clause "headed by B" is not seen as
//! closing it, and the second conjunct "C" is attached inside the clause, as an
//! apposition or a conjunct of "B". The coder then sees one subject (A) whose
//! agent phrase happens to hold C, and codes only A's events.
//!
//! [`hidden_conjuncts`] re-attaches such a conjunct to the noun that the
//! outermost parenthetical clause modifies. It fires only when all of these hold:
//!
//! * the word `d` is a noun attached as `appos` or `conj`, and its own dependents
//!   include a coordinator (`cc`: and, or) that directly follows a comma
//!   (", and C");
//! * the path from `d`'s head up to a noun `N` runs only through nominal
//!   modifiers, agents, appositions, flat names and participle clauses (`nmod`,
//!   `obl`, `appos`, `flat`, `acl`), never through a finite verb, and crosses at
//!   least one parenthetical: an `acl` or `appos` dependent whose phrase is opened by
//!   a comma; `N` is the noun the outermost such parenthetical modifies (so "A,
//!   headed by B, C's chief, and D" coordinates D with A, not with B);
//! * the head of `d` has no other conjunct, so a list "by B, C, and D" is left alone.
//!
//! `d` then becomes a `conj` of `N`. Everything else stays as parsed.
pub mod stranded;
pub mod temporal;
pub mod verbless;
pub use stranded::stranded_case;
pub use temporal::{kept_positions, splice, splice_heads, temporal_drops};
pub use verbless::{noun_subjects, participle_main_verbs};

/// Relations through which a hidden conjunct may sit below the noun it coordinates with.
fn climbable(rel: &str) -> bool {
    matches!(
        crate::sentence::base_rel(rel),
        "nmod" | "obl" | "appos" | "flat" | "acl"
    )
}

fn noun(tag: &str) -> bool {
    tag.starts_with("NN") || tag == "PRP"
}

/// Finds conjuncts hidden inside appositive or participle clauses (see the module
/// docs) and returns the repaired heads and relations, or `None` when nothing
/// changes. `heads` are 1-based (0 = root), as in CoNLL-U.
pub fn hidden_conjuncts<'a>(
    words: &[&str],
    xpos: &[&str],
    heads: &[usize],
    deprels: &[&'a str],
) -> Option<(Vec<usize>, Vec<&'a str>)> {
    let n = heads.len();
    if words.len() != n || xpos.len() != n || deprels.len() != n {
        return None;
    }
    let mut out: Option<(Vec<usize>, Vec<&'a str>)> = None;
    for d in 0..n {
        let rel = crate::sentence::base_rel(deprels[d]);
        if !(rel == "appos" || rel == "conj") || !noun(xpos[d]) || heads[d] == 0 {
            continue;
        }
        // ", and C": a cc dependent of d right after a comma
        let has_cc = (0..d).any(|k| {
            heads[k] == d + 1
                && deprels[k].starts_with("cc")
                && k > 0
                && words[k - 1] == ","
                && heads[k - 1] != 0
        });
        if !has_cc {
            continue;
        }
        let h = heads[d] - 1;
        // a list "by B, C, and D": the head has other conjuncts
        if (0..n).any(|k| k != d && heads[k] == h + 1 && deprels[k].starts_with("conj")) {
            continue;
        }
        // climb from h through the noun phrase and its participle clauses; the noun
        // the outermost comma-opened parenthetical (acl/appos) modifies is the target
        let mut cur = h;
        let mut target = None;
        for _ in 0..n {
            if heads[cur] == 0 {
                break;
            }
            let up = heads[cur] - 1;
            let r = deprels[cur];
            if !climbable(r) || !noun(xpos[up]) && !deprels[up].starts_with("acl") {
                break;
            }
            let base = crate::sentence::base_rel(r);
            if matches!(base, "acl" | "appos") && cur > up && noun(xpos[up]) {
                // the clause's first word (leftmost word of its subtree) is or follows a comma
                let first = leftmost(heads, cur);
                if words[first] == "," || first > 0 && words[first - 1] == "," {
                    target = Some(up);
                }
            }
            cur = up;
        }
        let Some(t) = target else { continue };
        if t >= d {
            continue;
        }
        let (hs, rs) = out.get_or_insert_with(|| (heads.to_vec(), deprels.to_vec()));
        hs[d] = t + 1;
        rs[d] = "conj";
    }
    out
}

/// The leftmost word of `w`'s subtree.
fn leftmost(heads: &[usize], w: usize) -> usize {
    let mut best = w;
    for k in 0..w {
        let mut cur = k;
        for _ in 0..heads.len() {
            if cur == w {
                best = best.min(k);
                break;
            }
            if heads[cur] == 0 {
                break;
            }
            cur = heads[cur] - 1;
        }
        if best < w {
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conjunct_hidden_in_a_participle_clause_is_reattached() {
        // "A team from Chile , led by Ana Ruiz , and a Peruvian team met ."
        let words = [
            "A", "team", "from", "Chile", ",", "led", "by", "Ana", "Ruiz", ",", "and", "a",
            "Peruvian", "team", "met", ".",
        ];
        let xpos = [
            "DT", "NN", "IN", "NNP", ",", "VBN", "IN", "NNP", "NNP", ",", "CC", "DT", "JJ", "NN",
            "VBD", ".",
        ];
        // the parser's reading: "a Peruvian team" an apposition of "Ana"
        let heads = [2, 15, 4, 2, 6, 2, 8, 6, 8, 14, 14, 14, 14, 8, 0, 15];
        let rels = [
            "det",
            "nsubj",
            "case",
            "nmod",
            "punct",
            "acl",
            "case",
            "obl:agent",
            "flat",
            "punct",
            "cc",
            "det",
            "amod",
            "appos",
            "root",
            "punct",
        ];
        let (h, r) = hidden_conjuncts(&words, &xpos, &heads, &rels).expect("repaired");
        assert_eq!(h[13], 2);
        assert_eq!(r[13], "conj");
        // nothing else moved
        for k in 0..words.len() {
            if k != 13 {
                assert_eq!((h[k], r[k]), (heads[k], rels[k]));
            }
        }
    }

    #[test]
    fn the_outermost_parenthetical_decides() {
        // "A team , led by Ana , the coach , and a band met ." with "band" an apposition
        // of "coach", itself an apposition of "Ana"
        let words = [
            "A", "team", ",", "led", "by", "Ana", ",", "the", "coach", ",", "and", "a", "band",
            "met", ".",
        ];
        let xpos = [
            "DT", "NN", ",", "VBN", "IN", "NNP", ",", "DT", "NN", ",", "CC", "DT", "NN", "VBD", ".",
        ];
        let heads = [2, 14, 4, 2, 6, 4, 9, 9, 6, 13, 13, 13, 9, 0, 14];
        let rels = [
            "det",
            "nsubj",
            "punct",
            "acl",
            "case",
            "obl:agent",
            "punct",
            "det",
            "appos",
            "punct",
            "cc",
            "det",
            "appos",
            "root",
            "punct",
        ];
        let (h, r) = hidden_conjuncts(&words, &xpos, &heads, &rels).expect("repaired");
        assert_eq!((h[12], r[12]), (2, "conj"));
    }

    #[test]
    fn a_finite_relative_clause_is_not_climbed() {
        // "Ana , who met a team , led by Luis , and a band , smiled ." with "band" an
        // apposition of "Luis": the target is "team" (the participle's noun), never "Ana"
        let words = [
            "Ana", ",", "who", "met", "a", "team", ",", "led", "by", "Luis", ",", "and", "a",
            "band", ",", "smiled", ".",
        ];
        let xpos = [
            "NNP", ",", "WP", "VBD", "DT", "NN", ",", "VBN", "IN", "NNP", ",", "CC", "DT", "NN",
            ",", "VBD", ".",
        ];
        let heads = [16, 4, 4, 1, 6, 4, 8, 6, 10, 8, 14, 14, 14, 10, 16, 0, 16];
        let rels = [
            "nsubj",
            "punct",
            "nsubj",
            "acl:relcl",
            "det",
            "obj",
            "punct",
            "acl",
            "case",
            "obl:agent",
            "punct",
            "cc",
            "det",
            "appos",
            "punct",
            "root",
            "punct",
        ];
        let (h, r) = hidden_conjuncts(&words, &xpos, &heads, &rels).expect("repaired");
        assert_eq!((h[13], r[13]), (6, "conj"));
    }

    #[test]
    fn a_list_inside_the_agent_phrase_is_left_alone() {
        // "A team , led by Ana , Luis , and Eva , met ." with Luis and Eva conjuncts of Ana
        let words = [
            "A", "team", ",", "led", "by", "Ana", ",", "Luis", ",", "and", "Eva", ",", "met", ".",
        ];
        let xpos = [
            "DT", "NN", ",", "VBN", "IN", "NNP", ",", "NNP", ",", "CC", "NNP", ",", "VBD", ".",
        ];
        let heads = [2, 13, 4, 2, 6, 4, 8, 6, 11, 11, 6, 2, 0, 13];
        let rels = [
            "det",
            "nsubj",
            "punct",
            "acl",
            "case",
            "obl:agent",
            "punct",
            "conj",
            "punct",
            "cc",
            "conj",
            "punct",
            "root",
            "punct",
        ];
        assert!(hidden_conjuncts(&words, &xpos, &heads, &rels).is_none());
    }

    #[test]
    fn an_apposition_without_parenthetical_is_left_alone() {
        // "Ana met Luis , and Eva left ." — no clause opened by a comma above Eva's head
        let words = ["Ana", "met", "Luis", ",", "and", "Eva", "left", "."];
        let xpos = ["NNP", "VBD", "NNP", ",", "CC", "NNP", "VBD", "."];
        let heads = [2, 0, 2, 6, 6, 3, 2, 2];
        let rels = [
            "nsubj", "root", "obj", "punct", "cc", "appos", "conj", "punct",
        ];
        assert!(hidden_conjuncts(&words, &xpos, &heads, &rels).is_none());
    }
}
