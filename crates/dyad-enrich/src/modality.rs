//! Modality cues (PLOVER's auxiliary modes): negation, future or intention,
//! hypothesis or condition, and restated past events.
//!
//! One pass per sentence collects cue tokens; each event then looks at the
//! cues that govern its verb: those in the verb's left window (back to the
//! previous clause boundary), the words right after it ("held no talks"),
//! `no` in front of its actors, and, when a parse is given, the verb's own
//! `aux`/`advmod`/`mark` dependents and an intention verb it is the `xcomp`
//! of.

/// A cue class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    /// not, n't, never, no, nor, neither, "failed to".
    Negation,
    /// Determiner `no` / `none` / `nothing`, which negates the noun phrase it
    /// opens ("there are no US troops").
    NoDet,
    /// will, shall, would, 'll, "going to".
    Future,
    /// plans/intends/aims/expected/set/due/scheduled/seeks/wants/vows … + to.
    Intention,
    /// could, might, may, should, must.
    Hypothetical,
    /// if, unless, whether.
    Condition,
    /// previous, previously, formerly, "in the past".
    Historical,
    /// A clause boundary: , ; : and subordinators (that, which, who,
    /// because, while, although, when, but).
    Boundary,
}

/// A cue at a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cue {
    /// Token index.
    pub at: usize,
    /// What it signals.
    pub kind: CueKind,
}

#[inline]
fn lower<'b>(tok: &str, buf: &'b mut [u8; 12]) -> Option<&'b str> {
    let b = tok.as_bytes();
    if b.is_empty() || b.len() > 12 || !tok.is_ascii() {
        return None;
    }
    for (o, c) in buf.iter_mut().zip(b) {
        *o = c.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..b.len()]).ok()
}

fn is_intention_word(l: &str) -> bool {
    matches!(
        l,
        "plan"
            | "plans"
            | "planned"
            | "planning"
            | "intend"
            | "intends"
            | "intended"
            | "intending"
            | "aim"
            | "aims"
            | "aimed"
            | "aiming"
            | "expected"
            | "set"
            | "due"
            | "scheduled"
            | "seek"
            | "seeks"
            | "sought"
            | "seeking"
            | "want"
            | "wants"
            | "wanted"
            | "hope"
            | "hopes"
            | "hoped"
            | "hoping"
            | "vow"
            | "vows"
            | "vowed"
            | "pledge"
            | "pledges"
            | "pledged"
            | "promise"
            | "promises"
            | "promised"
            | "going"
            | "poised"
            | "preparing"
            | "prepared"
            | "likely"
            | "ready"
            | "decided"
            | "agreed"
            | "agree"
            | "agrees"
            | "offered"
            | "offers"
            | "proposed"
            | "proposes"
            | "threatened"
            | "threatens"
            | "threaten"
    )
}

/// Collects the modality cues of a sentence into `out`.
pub fn find_cues(tokens: &[&str], out: &mut Vec<Cue>) {
    let mut buf = [0u8; 12];
    let n = tokens.len();
    for i in 0..n {
        let Some(l) = lower(tokens[i], &mut buf) else {
            continue;
        };
        let kind = match l {
            "," | ";" | ":" | "--" | "that" | "which" | "who" | "because" | "while"
            | "although" | "though" | "when" | "whereas" | "but" | "after" | "before" | "where"
            | "and" | "or" => Some(CueKind::Boundary),
            "not" | "n't" | "never" | "nor" | "neither" | "cannot" => Some(CueKind::Negation),
            "no" | "none" | "nothing" => {
                // "no longer" negates like "not".
                if tokens
                    .get(i + 1)
                    .is_some_and(|t| t.eq_ignore_ascii_case("longer"))
                {
                    Some(CueKind::Negation)
                } else {
                    Some(CueKind::NoDet)
                }
            }
            "failed" | "fails" | "fail" | "refrained" => {
                (tokens.get(i + 1) == Some(&"to")).then_some(CueKind::Negation)
            }
            "will" | "shall" | "would" | "'ll" | "wo" | "'d" => Some(CueKind::Future),
            "could" | "might" | "may" | "should" | "must" | "ca" => {
                // "ca n't" = cannot; "wo n't" = will not (tokenised by PTB).
                if l == "ca" && tokens.get(i + 1) != Some(&"n't") {
                    None
                } else if l == "ca" {
                    Some(CueKind::Negation)
                } else {
                    Some(CueKind::Hypothetical)
                }
            }
            "if" | "unless" | "whether" => Some(CueKind::Condition),
            // Not "former" (it qualifies a title: "Former Ambassador X
            // said"), "earlier" ("earlier in the day") or "ago" ("two days
            // ago"): dates judge those.
            "previous" | "previously" | "formerly" => Some(CueKind::Historical),
            "past" => {
                // "in the past"
                (i >= 2
                    && tokens[i - 1].eq_ignore_ascii_case("the")
                    && tokens[i - 2].eq_ignore_ascii_case("in"))
                .then_some(CueKind::Historical)
            }
            _ if is_intention_word(l) => {
                // needs a following "to" (allowing one adverb): "plans to visit"
                let t1 = tokens.get(i + 1).copied();
                let t2 = tokens.get(i + 2).copied();
                (t1 == Some("to") || t2 == Some("to")).then_some(CueKind::Intention)
            }
            _ => None,
        };
        if let Some(kind) = kind {
            out.push(Cue { at: i, kind });
        }
    }
}

/// How far left of the verb cues still govern it (tokens).
pub const WINDOW: usize = 8;

/// The flags a set of cues gives one event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    /// Negated.
    pub negated: bool,
    /// Future or intended.
    pub future: bool,
    /// Hypothetical or conditional.
    pub hypothetical: bool,
    /// A restated past event (lexical cue only; dates add more in
    /// `Enricher::enrich`).
    pub historical: bool,
}

/// The parse of a sentence, when one is available.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseView<'a> {
    /// Heads, CoNLL style: 1-based, 0 = root. Empty when unknown.
    pub heads: &'a [u32],
    /// Dependency relations. Empty when unknown.
    pub deprels: &'a [&'a str],
    /// Penn Treebank tags. Empty when unknown.
    pub xpos: &'a [&'a str],
}

fn is_aux(l: &str) -> bool {
    matches!(
        l,
        "be" | "is"
            | "are"
            | "was"
            | "were"
            | "been"
            | "being"
            | "am"
            | "'s"
            | "'re"
            | "'m"
            | "have"
            | "has"
            | "had"
            | "having"
            | "'ve"
            | "do"
            | "does"
            | "did"
            | "get"
            | "got"
            | "to"
    )
}

/// Index of the nearest full (non-auxiliary) verb left of `verb`, within
/// the window, when tags are known.
fn left_verb(tokens: &[&str], xpos: &[&str], cues: &[Cue], verb: usize) -> Option<usize> {
    if xpos.len() != tokens.len() {
        return None;
    }
    let lo = verb.saturating_sub(WINDOW);
    let mut buf = [0u8; 12];
    (lo..verb).rev().find(|&i| {
        xpos[i].starts_with("VB")
            && !lower(tokens[i], &mut buf).is_some_and(is_aux)
            && !cues.iter().any(|c| c.at == i)
    })
}

/// Modality flags for an event with verb `verb` and actor token ranges.
pub fn flags_for(
    tokens: &[&str],
    cues: &[Cue],
    verb: usize,
    actors: &[std::ops::Range<usize>],
    parse: ParseView<'_>,
) -> Flags {
    let mut f = Flags::default();
    // Left window: walk cues right-to-left from the verb to a boundary.
    let lo = match left_verb(tokens, parse.xpos, cues, verb) {
        Some(v) => v + 1,
        None => verb.saturating_sub(WINDOW),
    };
    for c in cues.iter().rev().filter(|c| c.at < verb && c.at >= lo) {
        match c.kind {
            CueKind::Boundary => {
                // A condition opens the clause: "if X attacks" -- handled by
                // the boundary stop; anything left of it governs another
                // clause.
                break;
            }
            CueKind::Negation => f.negated = true,
            CueKind::NoDet => {
                // "no" right before the verb's phrase: "there are no troops
                // deployed" / "no country attacked"
                f.negated = true;
            }
            CueKind::Future | CueKind::Intention => f.future = true,
            CueKind::Hypothetical | CueKind::Condition => f.hypothetical = true,
            CueKind::Historical => f.historical = true,
        }
    }
    // Right of the verb: "held no talks", "met never"... up to 2 tokens, and
    // "previously" anywhere before the next boundary.
    for c in cues.iter().filter(|c| c.at > verb) {
        if c.kind == CueKind::Boundary {
            break;
        }
        match c.kind {
            // "held no talks"; not "said neither X nor Y", "said not
            // long ago"
            CueKind::NoDet if c.at <= verb + 2 => f.negated = true,
            CueKind::Historical => f.historical = true,
            _ => {}
        }
    }
    // "no" opening an actor's phrase: "No Iraqi troops attacked".
    for r in actors {
        let from = r.start.saturating_sub(3);
        if cues
            .iter()
            .any(|c| c.kind == CueKind::NoDet && c.at >= from && c.at < r.start.max(from + 1))
        {
            f.negated = true;
        }
    }
    // Existential "there is/are no ...": the clause is negated.
    for c in cues
        .iter()
        .filter(|c| c.kind == CueKind::NoDet && c.at >= 2)
    {
        let be = tokens[c.at - 1];
        if tokens[c.at - 2].eq_ignore_ascii_case("there")
            && matches!(be, "is" | "are" | "was" | "were" | "'s" | "be")
            && c.at.abs_diff(verb) <= 12
            && !cues.iter().any(|b| {
                b.kind == CueKind::Boundary && b.at > c.at.min(verb) && b.at < c.at.max(verb)
            })
        {
            f.negated = true;
        }
    }
    // Parse: the verb's own dependents and the intention verb governing it.
    if parse.heads.len() == tokens.len() && parse.deprels.len() == tokens.len() {
        let vh = (verb + 1) as u32;
        for c in cues {
            if parse.heads[c.at] == vh {
                match (c.kind, parse.deprels[c.at]) {
                    (CueKind::Condition, d) if d.starts_with("mark") => f.hypothetical = true,
                    (CueKind::Negation, d) if d.starts_with("advmod") || d == "neg" => {
                        f.negated = true
                    }
                    (CueKind::Future, d) if d.starts_with("aux") => f.future = true,
                    (CueKind::Hypothetical, d) if d.starts_with("aux") => f.hypothetical = true,
                    _ => {}
                }
            }
        }
        if parse.deprels[verb].starts_with("xcomp") {
            let h = parse.heads[verb] as usize;
            if h > 0
                && cues
                    .iter()
                    .any(|c| c.at == h - 1 && c.kind == CueKind::Intention)
            {
                f.future = true;
            }
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Flags for the first token equal to `verb`; actors given as words.
    fn fl(s: &str, verb: &str, actors: &[&str]) -> Flags {
        let t: Vec<&str> = s.split_whitespace().collect();
        let v = t.iter().position(|x| *x == verb).expect("verb present");
        let ranges: Vec<_> = actors
            .iter()
            .map(|a| {
                let i = t.iter().position(|x| x == a).expect("actor present");
                i..i + 1
            })
            .collect();
        let mut c = Vec::new();
        find_cues(&t, &mut c);
        flags_for(&t, &c, v, &ranges, ParseView::default())
    }

    #[test]
    fn negation() {
        assert!(fl("Iraq did not attack Iran .", "attack", &["Iraq", "Iran"]).negated);
        assert!(fl("Iraq has never met Iran .", "met", &[]).negated);
        assert!(fl("Iraq held no talks with Iran .", "held", &[]).negated);
        assert!(fl("No Iraqi troops attacked Iran .", "attacked", &["Iraqi"]).negated);
        assert!(fl("Iraq failed to reach a deal with Iran .", "reach", &[]).negated);
        assert!(
            fl(
                "It stressed that there are no US troops with a combat role in Iraq .",
                "troops",
                &["US", "Iraq"]
            )
            .negated
        );
        assert!(!fl("Iraq attacked Iran .", "attacked", &[]).negated);
        assert!(!fl("He said neither side has much to gain .", "said", &[]).negated);
        // negation in another clause does not leak
        assert!(
            !fl(
                "Iraq did not say why , but it attacked Iran .",
                "attacked",
                &[]
            )
            .negated
        );
    }

    #[test]
    fn future_and_hypothetical() {
        assert!(fl("Iraq will meet Iran .", "meet", &[]).future);
        assert!(fl("Iraq plans to visit Iran .", "visit", &[]).future);
        assert!(fl("Iraq is expected to sign the deal .", "sign", &[]).future);
        assert!(fl("He said Iraq would send troops .", "send", &[]).future);
        assert!(fl("Iraq could attack Iran .", "attack", &[]).hypothetical);
        assert!(fl("Iraq might attack Iran .", "attack", &[]).hypothetical);
        let f = fl(
            "If Iraq attacks Iran , the US will respond .",
            "attacks",
            &[],
        );
        assert!(f.hypothetical && !f.future);
        let f = fl(
            "If Iraq attacks Iran , the US will respond .",
            "respond",
            &[],
        );
        assert!(f.future && !f.hypothetical);
        let f = fl("Iraq attacked Iran .", "attacked", &[]);
        assert_eq!(f, Flags::default());
    }

    #[test]
    fn historical_cues() {
        assert!(fl("the previous talks were held in Baghdad", "held", &[]).historical);
        assert!(fl("Iraq previously attacked Iran .", "attacked", &[]).historical);
        assert!(!fl("Former ambassador Smith said Iraq attacked .", "said", &[]).historical);
        assert!(!fl("Iraq attacked Iran earlier in the day .", "attacked", &[]).historical);
        assert!(fl("in the past Iraq attacked Iran", "attacked", &[]).historical);
    }
}
