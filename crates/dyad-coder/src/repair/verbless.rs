//! Repairs for clauses whose main verb the tagger read as a participle, and for
//! modifiers the parser made subjects of a noun.
//!
//! The past tense and the past participle of most English verbs are spelt alike
//! ("set", "held", "blocked", "donated"). When the tagger picks the participle
//! (`VBN`) for a sentence's main verb, the parser makes it a reduced relative
//! clause (`acl`) of the noun before it: in "Farmers in the north valley blocked
//! roads" "blocked" modifies "valley", the sentence has no verb at its root (or,
//! with a trailing "…, officials said", the reporting verb gets two subjects), and
//! the coder sees no event. [`participle_main_verbs`] turns such a participle back
//! into the finite verb of the clause. It fires only when all of these hold:
//!
//! * the word `v` is tagged `VBN`, attached as `acl` to a noun, and it (or a verb
//!   coordinated with it) has a direct object (`obj`): a passive participle takes
//!   none, so "roads blocked by farmers" is left alone; it has no `by` agent, no
//!   auxiliary, subject or subordinator of its own;
//! * climbing from `v`'s head through nominal relations (`nmod`, `compound`,
//!   `flat`, `appos`, `conj`, `nummod`) reaches a noun `T` that precedes `v` and is
//!   either the sentence root (no verb heads the sentence) or the subject of a verb
//!   `V` after `v` that has another subject between `v` and `V` ("X did Y,
//!   residents said");
//! * no comma lies between `T` and `v` (a comma-opened participle is a
//!   parenthetical: "the minister, given the post in May, …"), and `T` has no
//!   copula or preposition of its own ("X is part of a site called Y", "In a
//!   message released Sunday, …").
//!
//! `v` then becomes the root (tag `VBD`) or a `ccomp` of `V`, `T` its `nsubj`, and
//! `T`'s dependents after `v` move to `v`.
//!
//! The same holds for a second shape of the error: `v` (`VBN`/`VBD`) attached as
//! `amod` to a noun `O` that the parser made the `obj` of the noun `T` before `v`
//! ("Police opened fire, officials said" with "opened" a modifier of "fire" and
//! "fire" an object of "Police"): a noun takes no object, so `O` becomes `v`'s
//! object and `v` takes `T`'s place as above.
//!
//! [`noun_subjects`] handles a smaller error: a modifier before its noun attached
//! as that noun's `nsubj` ("the Turkish and Greek sides" with "Turkish" a subject
//! of "sides"). A noun has a subject only in a copular clause; when the noun has no
//! `cop` dependent, a determiner or possessive (of the noun or of the modifier) comes
//! before the modifier, and
//! no verb or comma lies between the two words, the modifier becomes `amod` (an
//! adjective) or `compound` (a noun). Without the determiner ("… that Chile ease
//! limits", a verb tagged as a noun) the subject may be the real one.

/// Relations that keep a word inside the noun phrase of its head.
fn nominal_internal(rel: &str) -> bool {
    matches!(
        crate::sentence::base_rel(rel),
        "nmod" | "compound" | "flat" | "appos" | "conj" | "nummod"
    )
}

fn noun(tag: &str) -> bool {
    tag.starts_with("NN") || tag == "PRP" || tag == "CD"
}

fn base(rel: &str) -> &str {
    crate::sentence::base_rel(rel)
}

/// Repairs main verbs read as participles (see the module docs). Returns the
/// repaired heads (1-based, 0 = root), relations and tags, or `None` when nothing
/// changes.
pub fn participle_main_verbs<'a, 'b>(
    words: &[&str],
    xpos: &[&'b str],
    heads: &[usize],
    deprels: &[&'a str],
) -> Option<(Vec<usize>, Vec<&'a str>, Vec<&'b str>)> {
    let n = heads.len();
    if words.len() != n || xpos.len() != n || deprels.len() != n {
        return None;
    }
    // cheap gate: the hot path sees almost no acl/amod VBN
    if !(0..n)
        .any(|v| matches!(xpos[v], "VBN" | "VBD") && matches!(base(deprels[v]), "acl" | "amod"))
    {
        return None;
    }
    let kids = |h: usize| (0..n).filter(move |&k| heads[k] == h + 1);
    for v in 0..n {
        if heads[v] == 0 {
            continue;
        }
        // the object a noun was given in place of the verb ("police opened fire" with
        // "opened" a modifier of "fire" and "fire" an object of "police")
        let amod_obj = {
            let o = heads[v] - 1;
            (matches!(xpos[v], "VBN" | "VBD")
                && base(deprels[v]) == "amod"
                && o > v
                && base(deprels[o]) == "obj"
                && heads[o] != 0
                && noun(xpos[heads[o] - 1])
                && heads[o] - 1 < v
                && (v + 1..o).all(|k| heads[k] == o + 1 && !xpos[k].starts_with("VB")))
            .then_some(o)
        };
        let h = match amod_obj {
            Some(o) => heads[o] - 1,
            None => {
                if xpos[v] != "VBN" || base(deprels[v]) != "acl" {
                    continue;
                }
                heads[v] - 1
            }
        };
        if !noun(xpos[h]) || h > v {
            continue;
        }
        // a clause of its own or a passive agent: not a bare participle
        let own_clause = kids(v).any(|k| {
            let r = deprels[k];
            matches!(base(r), "aux" | "nsubj" | "mark" | "expl" | "csubj")
                || r == "obl:agent"
                || base(r) == "obl"
                    && kids(k)
                        .any(|c| base(deprels[c]) == "case" && words[c].eq_ignore_ascii_case("by"))
        });
        if own_clause {
            continue;
        }
        // a direct object on v or on a verb coordinated with it
        let has_obj = amod_obj.is_some()
            || kids(v).any(|k| {
                base(deprels[k]) == "obj"
                    || base(deprels[k]) == "conj"
                        && xpos[k].starts_with("VB")
                        && kids(k).any(|c| base(deprels[c]) == "obj")
            });
        if !has_obj {
            continue;
        }
        // climb to the top of the noun phrase
        let mut t = h;
        for _ in 0..n {
            if heads[t] == 0 || !nominal_internal(deprels[t]) {
                break;
            }
            t = heads[t] - 1;
        }
        // a copular sentence ("X is part of a site called Y") has its verb, and a noun
        // with a preposition ("In a message released Sunday, …") is no subject
        let not_subject = kids(t).any(|k| matches!(base(deprels[k]), "cop" | "case"));
        if t > v || !noun(xpos[t]) || not_subject || (t..v).any(|k| words[k] == ",") {
            continue;
        }
        let (new_head, new_rel): (usize, &'a str) = if heads[t] == 0 {
            (0, "root")
        } else if base(deprels[t]) == "nsubj" {
            let verb = heads[t] - 1;
            let other = (v + 1..verb).any(|k| heads[k] == verb + 1 && base(deprels[k]) == "nsubj");
            if verb <= v || !xpos[verb].starts_with("VB") || !other {
                continue;
            }
            (verb + 1, "ccomp")
        } else {
            continue;
        };
        let mut hs = heads.to_vec();
        let mut rs = deprels.to_vec();
        let mut xs = xpos.to_vec();
        for k in v + 1..n {
            if heads[k] == t + 1 {
                hs[k] = v + 1;
            }
        }
        hs[v] = new_head;
        rs[v] = new_rel;
        xs[v] = "VBD";
        hs[t] = v + 1;
        rs[t] = "nsubj";
        if let Some(o) = amod_obj {
            hs[o] = v + 1;
            rs[o] = "obj";
        }
        return Some((hs, rs, xs));
    }
    None
}

/// Repairs modifiers attached as the `nsubj` of the noun they precede (see the
/// module docs). Returns the repaired relations, or `None` when nothing changes.
pub fn noun_subjects<'a>(
    xpos: &[&str],
    heads: &[usize],
    deprels: &[&'a str],
) -> Option<Vec<&'a str>> {
    let n = heads.len();
    if xpos.len() != n || deprels.len() != n {
        return None;
    }
    let mut out: Option<Vec<&'a str>> = None;
    for d in 0..n {
        if base(deprels[d]) != "nsubj" || heads[d] == 0 {
            continue;
        }
        let h = heads[d] - 1;
        if h <= d
            || !xpos[h].starts_with("NN")
            || !(xpos[d].starts_with("JJ") || xpos[d].starts_with("NN"))
        {
            continue;
        }
        let copular = (0..n).any(|k| heads[k] == h + 1 && base(deprels[k]) == "cop");
        let blocked = (d + 1..h).any(|k| {
            xpos[k].starts_with("VB") || xpos[k] == "MD" || xpos[k] == "," || xpos[k] == ":"
        });
        // the noun's own determiner before the modifier shows it lies inside the noun
        // phrase ("the Turkish … sides"); without one ("that Israel ease restrictions",
        // a verb tagged as a noun) the subject may be real
        let opened = (0..d).any(|k| {
            (heads[k] == h + 1 || heads[k] == d + 1) && matches!(deprels[k], "det" | "nmod:poss")
        });
        if copular || blocked || !opened {
            continue;
        }
        let rs = out.get_or_insert_with(|| deprels.to_vec());
        rs[d] = if xpos[d].starts_with("JJ") {
            "amod"
        } else {
            "compound"
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn participle_in_a_verbless_sentence_becomes_the_main_verb() {
        // "Farmers from the valley blocked roads ."
        let words = ["Farmers", "from", "the", "valley", "blocked", "roads", "."];
        let xpos = ["NNS", "IN", "DT", "NN", "VBN", "NNS", "."];
        let heads = [0, 4, 4, 1, 4, 5, 1];
        let rels = ["root", "case", "det", "nmod", "acl", "obj", "punct"];
        let (h, r, x) = participle_main_verbs(&words, &xpos, &heads, &rels).expect("repaired");
        assert_eq!((h[4], r[4], x[4]), (0, "root", "VBD"));
        assert_eq!((h[0], r[0]), (5, "nsubj"));
        assert_eq!(h[6], 5, "final punctuation moves to the verb");
        assert_eq!((h[3], r[3]), (1, "nmod"), "the noun phrase stays as it was");
    }

    #[test]
    fn participle_with_a_second_subject_of_the_reporting_verb_becomes_its_complement() {
        // "Farmers in the valley set fire to a depot , officials said ."
        let words = [
            "Farmers",
            "in",
            "the",
            "valley",
            "set",
            "fire",
            "to",
            "a",
            "depot",
            ",",
            "officials",
            "said",
            ".",
        ];
        let xpos = [
            "NNS", "IN", "DT", "NN", "VBN", "NN", "IN", "DT", "NN", ",", "NNS", "VBD", ".",
        ];
        let heads = [12, 4, 4, 1, 4, 5, 9, 9, 5, 12, 12, 0, 12];
        let rels = [
            "nsubj", "case", "det", "nmod", "acl", "obj", "case", "det", "obl", "punct", "nsubj",
            "root", "punct",
        ];
        let (h, r, _) = participle_main_verbs(&words, &xpos, &heads, &rels).expect("repaired");
        assert_eq!((h[4], r[4]), (12, "ccomp"));
        assert_eq!((h[0], r[0]), (5, "nsubj"));
        assert_eq!(
            (h[10], r[10]),
            (12, "nsubj"),
            "the reporter stays the subject"
        );
    }

    #[test]
    fn a_verb_read_as_the_modifier_of_a_nouns_object_becomes_the_main_verb() {
        // "Guards opened fire on the crowd , witnesses said ." with "opened" an amod of
        // "fire" and "fire" an obj of "Guards"
        let words = [
            "Guards",
            "opened",
            "fire",
            "on",
            "the",
            "crowd",
            ",",
            "witnesses",
            "said",
            ".",
        ];
        let xpos = ["NNS", "VBN", "NN", "IN", "DT", "NN", ",", "NNS", "VBD", "."];
        let heads = [9, 3, 1, 6, 6, 3, 9, 9, 0, 9];
        let rels = [
            "nsubj", "amod", "obj", "case", "det", "nmod", "punct", "nsubj", "root", "punct",
        ];
        let (h, r, x) = participle_main_verbs(&words, &xpos, &heads, &rels).expect("repaired");
        assert_eq!((h[1], r[1], x[1]), (9, "ccomp", "VBD"));
        assert_eq!((h[0], r[0]), (2, "nsubj"));
        assert_eq!((h[2], r[2]), (2, "obj"));
        assert_eq!(
            (h[5], r[5]),
            (3, "nmod"),
            "the object keeps its own dependents"
        );
    }

    #[test]
    fn passive_participles_and_parentheticals_are_left_alone() {
        // "Roads blocked by farmers ." — an agent: a true participle
        let words = ["Roads", "blocked", "by", "farmers", "."];
        let xpos = ["NNS", "VBN", "IN", "NNS", "."];
        let heads = [0, 1, 4, 2, 1];
        let rels = ["root", "acl", "case", "obl:agent", "punct"];
        assert!(participle_main_verbs(&words, &xpos, &heads, &rels).is_none());
        // "The envoy , given the post in May , …" — comma-opened, and no verb-less root
        let words = ["Envoys", ",", "given", "posts", "."];
        let xpos = ["NNS", ",", "VBN", "NNS", "."];
        let heads = [0, 3, 1, 3, 1];
        let rels = ["root", "punct", "acl", "obj", "punct"];
        assert!(participle_main_verbs(&words, &xpos, &heads, &rels).is_none());
        // "Farmers blocked roads , officials said ." with only one subject of "said":
        // the participle heads a plain relative of the subject; nothing to repair
        let words = ["Farmers", "reported", "losses", "said", "."];
        let xpos = ["NNS", "VBN", "NNS", "VBD", "."];
        let heads = [4, 1, 2, 0, 4];
        let rels = ["nsubj", "acl", "obj", "root", "punct"];
        assert!(participle_main_verbs(&words, &xpos, &heads, &rels).is_none());
        // copular: "Zarovia is part of a league called Nordis ." has its verb
        let words = [
            "Zarovia", "is", "part", "of", "a", "league", "called", "Nordis", ".",
        ];
        let xpos = ["NNP", "VBZ", "NN", "IN", "DT", "NN", "VBN", "NNP", "."];
        let heads = [3, 3, 0, 6, 6, 3, 6, 7, 3];
        let rels = [
            "nsubj", "cop", "root", "case", "det", "nmod", "acl", "obj", "punct",
        ];
        assert!(participle_main_verbs(&words, &xpos, &heads, &rels).is_none());
    }

    #[test]
    fn a_modifier_read_as_the_subject_of_its_noun_becomes_a_modifier() {
        // "The Chilean and Peruvian sides agreed ."
        let xpos = ["DT", "JJ", "CC", "JJ", "NNS", "VBD", "."];
        let heads = [5, 5, 4, 2, 6, 0, 6];
        let rels = ["det", "nsubj", "cc", "conj", "nsubj", "root", "punct"];
        let r = noun_subjects(&xpos, &heads, &rels).expect("repaired");
        assert_eq!(r[1], "amod");
        assert_eq!(r[4], "nsubj", "the real subject stays");
        // copular: "Chile is the host" keeps its subject
        let xpos = ["NNP", "VBZ", "DT", "NN", "."];
        let heads = [4, 4, 4, 0, 4];
        let rels = ["nsubj", "cop", "det", "root", "punct"];
        assert!(noun_subjects(&xpos, &heads, &rels).is_none());
        // no determiner of the noun before it: "asked that Chile ease limits"
        let xpos = ["VBD", "IN", "NNP", "NN", "NNS", "."];
        let heads = [0, 5, 5, 5, 1, 1];
        let rels = ["root", "mark", "nsubj", "compound", "ccomp", "punct"];
        assert!(noun_subjects(&xpos, &heads, &rels).is_none());
    }
}
