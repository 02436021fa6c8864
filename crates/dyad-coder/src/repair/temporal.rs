//! Parse repairs decided from the words and tags alone, applied by the caller that owns the
//! parser.
//!
//! **Temporal adverb between subject and verb.** News writes "Iran today threatened …",
//! "The Kenyan government yesterday accused …". A statistical parser trained on general
//! English (UD EWT) often reads the name as a compound of "today" ("Iran today" as one noun
//! phrase), or the verb as a participle modifying the next noun, so the verb has no subject
//! and nothing is coded. The adverb carries no actor or event: the sentence without it has the
//! same who-did-what-to-whom. [`temporal_drops`] finds such adverbs (a bare temporal noun —
//! `today`, `yesterday`, `tonight`, `tomorrow` — right after a noun or pronoun and right
//! before a verb or modal); the caller parses the sentence again without them and puts them
//! back with [`splice`] and [`splice_heads`], attached to their verb as `obl:unmarked` (the
//! UD relation for a bare temporal noun).

/// Bare temporal nouns that news puts between the subject and the verb.
const TEMPORAL: [&str; 4] = ["today", "yesterday", "tonight", "tomorrow"];

/// Positions (0-based) of temporal adverbs that stand between a nominal subject and its
/// verb: the word is one of `today`, `yesterday`, `tonight`, `tomorrow` (any case), the word
/// before it is tagged as a noun or personal pronoun (`NN*`, `PRP`) and the word after it as
/// a verb or modal (`VB*`, `MD`). `words` and `xpos` (Penn tags) have the same length;
/// otherwise nothing is returned.
pub fn temporal_drops(words: &[&str], xpos: &[&str]) -> Vec<usize> {
    if words.len() != xpos.len() || words.len() < 3 {
        return Vec::new();
    }
    (1..words.len() - 1)
        .filter(|&i| {
            TEMPORAL.iter().any(|t| words[i].eq_ignore_ascii_case(t))
                && (xpos[i - 1].starts_with("NN") || xpos[i - 1] == "PRP")
                && (xpos[i + 1].starts_with("VB") || xpos[i + 1] == "MD")
        })
        .collect()
}

/// The positions kept when `dropped` (sorted, 0-based) are left out of `n` words.
pub fn kept_positions(n: usize, dropped: &[usize]) -> Vec<usize> {
    (0..n).filter(|i| !dropped.contains(i)).collect()
}

/// Per-word values of the reduced parse (`kept_vals`, one per kept word) spread back over the
/// `n` original positions, with `fill` at the dropped ones.
pub fn splice<T: Clone>(n: usize, dropped: &[usize], kept_vals: &[T], fill: T) -> Vec<T> {
    let mut it = kept_vals.iter();
    (0..n)
        .map(|i| {
            if dropped.contains(&i) {
                fill.clone()
            } else {
                it.next().cloned().unwrap_or_else(|| fill.clone())
            }
        })
        .collect()
}

/// Heads (1-based, 0 = root) of the reduced parse mapped back to the `n` original positions.
/// Each dropped word is attached to the clause of the word that follows it: that word itself,
/// or its head when it is an auxiliary or copula (`aux`, `aux:pass`, `cop`), so that "today"
/// in "Iran today has threatened" hangs off "threatened". `kept_deprels` are the reduced
/// parse's relations.
pub fn splice_heads(
    n: usize,
    dropped: &[usize],
    kept_heads: &[u32],
    kept_deprels: &[&str],
) -> Vec<u32> {
    let kept = kept_positions(n, dropped);
    // reduced 1-based head -> original 1-based head
    let orig = |h: u32| -> u32 {
        if h == 0 {
            0
        } else {
            kept.get(h as usize - 1).map_or(0, |&o| o as u32 + 1)
        }
    };
    let mut out = vec![0u32; n];
    for (k, &o) in kept.iter().enumerate() {
        out[o] = kept_heads.get(k).map_or(0, |&h| orig(h));
    }
    for &d in dropped {
        // the next kept word, in the reduced parse
        let Some(k) = kept.iter().position(|&o| o > d) else {
            continue;
        };
        let rel = kept_deprels.get(k).copied().unwrap_or("");
        let head_k = kept_heads.get(k).copied().unwrap_or(0);
        let verb = if (rel.starts_with("aux") || rel == "cop") && head_k != 0 {
            orig(head_k)
        } else {
            kept[k] as u32 + 1
        };
        out[d] = verb;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_adverb_between_subject_and_verb() {
        let w = ["Norway", "today", "warned", "Sweden", "."];
        let t = ["NNP", "NN", "VBD", "NNP", "."];
        assert_eq!(temporal_drops(&w, &t), vec![1]);
        // sentence-final or object-position "today" is left alone
        let w = ["Norway", "warned", "Sweden", "today", "."];
        let t = ["NNP", "VBD", "NNP", "NN", "."];
        assert!(temporal_drops(&w, &t).is_empty());
        let w = ["Talks", "end", "today", "."];
        let t = ["NNS", "VBP", "NN", "."];
        assert!(temporal_drops(&w, &t).is_empty());
    }

    #[test]
    fn splices_back_to_the_verb_not_the_auxiliary() {
        // original: Iran(0) today(1) has(2) threatened(3) Iraq(4)
        // reduced:  Iran has threatened Iraq ; heads 3 3 0 3
        let heads = splice_heads(5, &[1], &[3, 3, 0, 3], &["nsubj", "aux", "root", "obj"]);
        assert_eq!(heads, vec![4, 4, 4, 0, 4]);
        let rels = splice(5, &[1], &["nsubj", "aux", "root", "obj"], "obl:unmarked");
        assert_eq!(rels, vec!["nsubj", "obl:unmarked", "aux", "root", "obj"]);
    }
}
