//! **A preposition stranded on the first word of a name.** "… were attacked by
//! al-Shabaab militants": the parser attaches `by` (`case`) to "al", the first token of the
//! hyphenated name, which is itself a `compound` of "militants". The preposition then marks
//! a modifier, the `by` phrase has no noun, and the passive has no agent: the victims
//! become the source. A preposition belongs to the head of the noun phrase it opens:
//! [`stranded_case`] moves a `case` word to the noun its head modifies when
//!
//! * the `case` word's head `h` comes after it and is a name modifier (`compound`, `amod`,
//!   `flat`, `nmod:poss`) of a noun `N` further right (through stacked modifiers: "by
//!   Islamic State militants" with `by` on "Islamic");
//! * nothing between the preposition and `N` attaches outside `N`'s phrase (every word in
//!   between has `N` among its heads), and
//! * `N` has no `case` word of its own.

fn base(rel: &str) -> &str {
    crate::sentence::base_rel(rel)
}

/// True when word `k` (0-based) lies below word `top` (0-based) in the tree.
fn below(heads: &[usize], mut k: usize, top: usize) -> bool {
    for _ in 0..heads.len() {
        if heads[k] == 0 {
            return false;
        }
        k = heads[k] - 1;
        if k == top {
            return true;
        }
    }
    false
}

/// Repairs prepositions stranded on a modifier (see the module docs). Returns the repaired
/// heads (1-based, 0 = root), or `None` when nothing changes.
pub fn stranded_case(xpos: &[&str], heads: &[usize], deprels: &[&str]) -> Option<Vec<usize>> {
    let n = heads.len();
    if xpos.len() != n || deprels.len() != n {
        return None;
    }
    let mut out: Option<Vec<usize>> = None;
    for d in 0..n {
        if base(deprels[d]) != "case" || heads[d] == 0 {
            continue;
        }
        let h = heads[d] - 1;
        if h <= d
            || heads[h] == 0
            || !matches!(deprels[h], "compound" | "amod" | "flat" | "nmod:poss")
            || heads[h] <= h + 1
        {
            continue;
        }
        let modifier = |k: usize| matches!(deprels[k], "compound" | "amod" | "flat" | "nmod:poss");
        // climb through stacked modifiers ("by Islamic State militants" with "by" on
        // "Islamic") to the first noun that is not one
        let mut noun = heads[h] - 1;
        while modifier(noun) && heads[noun] > noun + 1 {
            noun = heads[noun] - 1;
        }
        if noun <= h || !xpos[noun].starts_with("NN") || modifier(noun) {
            continue;
        }
        let own_case = (0..n).any(|k| heads[k] == noun + 1 && base(deprels[k]) == "case");
        let inside = (d + 1..noun).all(|k| below(heads, k, noun));
        if own_case || !inside {
            continue;
        }
        out.get_or_insert_with(|| heads.to_vec())[d] = noun + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_moves_from_the_first_name_word_to_the_noun() {
        // Kenyan troops were attacked by al - Shabaab militants .
        let xpos = [
            "NNP", "NNS", "VBD", "VBN", "IN", "NNP", "HYPH", "NNP", "NNS", ".",
        ];
        let heads = [2, 4, 4, 0, 6, 9, 6, 6, 4, 4];
        let rels = [
            "amod",
            "nsubj:pass",
            "aux:pass",
            "root",
            "case",
            "compound",
            "punct",
            "flat",
            "obl",
            "punct",
        ];
        let got = stranded_case(&xpos, &heads, &rels).expect("repaired");
        assert_eq!(got[4], 9);
        assert_eq!(&got[..4], &heads[..4]);
        assert_eq!(&got[5..], &heads[5..]);
    }

    #[test]
    fn stacked_modifiers_climb_to_the_noun() {
        // by Islamic State militants, "by" on "Islamic" (amod of "State", compound of
        // "militants")
        let xpos = ["IN", "NNP", "NNP", "NNS"];
        let heads = [2, 3, 4, 0];
        let rels = ["case", "amod", "compound", "root"];
        assert_eq!(stranded_case(&xpos, &heads, &rels), Some(vec![4, 3, 4, 0]));
    }

    #[test]
    fn a_proper_attachment_or_a_noun_with_its_own_preposition_is_left_alone() {
        // "by US forces": "by" already on the noun
        let xpos = ["IN", "NNP", "NNS"];
        assert_eq!(
            stranded_case(&xpos, &[3, 3, 0], &["case", "compound", "root"]),
            None
        );
        // "of Iraq from Syria": the noun already has its own preposition ("from")
        let xpos = ["IN", "NNP", "IN", "NN"];
        let heads = [2, 4, 4, 0];
        let rels = ["case", "compound", "case", "root"];
        assert_eq!(stranded_case(&xpos, &heads, &rels), None);
    }
}
