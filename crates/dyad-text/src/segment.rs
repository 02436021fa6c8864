//! Sentence splitting over raw tokens.

use serde::{Deserialize, Serialize};

use crate::abbrev::{self, AbbrevClass};
use crate::document::Document;
use crate::layout;
use crate::token::{self, Kind, RawTok};

/// Longest sentence in tokens; longer runs (e.g. a 5 MB line without
/// punctuation) are cut into pieces of at most this many tokens.
pub const MAX_SENTENCE_TOKENS: usize = 200;

/// Longest sentence in bytes of original text (plus at most one token of
/// [`token::MAX_CHUNK_BYTES`]) before a forced cut.
pub const MAX_SENTENCE_BYTES: usize = 4096;

/// One sentence (or heading) of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// Byte offset of the first token in [`Document::text`].
    pub start: usize,
    /// Byte offset just past the last token.
    pub end: usize,
    /// The original text of the sentence with every run of whitespace
    /// (including hard-wrap line breaks) replaced by one space.
    pub text: String,
    /// Tokens in order.
    pub tokens: Vec<Token>,
    /// The sentence is a heading or title line rather than running text.
    pub is_heading: bool,
}

/// One token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// Normalised form fed to the tagger, following EWT: curly quotes and
    /// apostrophes become ASCII ("’s" -> "'s", "“" -> "\""), "—" becomes
    /// "--", "…" becomes "...". Otherwise the original characters.
    pub text: String,
    /// Byte offset in [`Document::text`] (char boundary).
    pub start: usize,
    /// Byte offset just past the token (char boundary).
    pub end: usize,
}

/// Splits a document into sentences, skipping its byline and dateline.
pub fn segment(doc: &Document) -> Vec<Sentence> {
    let mut out = Vec::new();
    segment_into(&doc.text, &doc.skips(), &mut out);
    out
}

/// Splits a bare text (no front-matter detection) into sentences.
pub fn segment_text(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    segment_into(text, &[], &mut out);
    out
}

fn segment_into(text: &str, skips: &[(usize, usize)], out: &mut Vec<Sentence>) {
    let mut toks: Vec<RawTok> = Vec::new();
    for b in layout::blocks(text, skips) {
        toks.clear();
        token::tokenize_range(text, b.start, b.end, &mut toks);
        split_block(text, &toks, b.heading, out);
    }
}

fn is_terminal(t: &RawTok) -> bool {
    matches!(t.kind, Kind::Period | Kind::Final | Kind::Ellipsis) || t.abbrev.is_some()
}

/// A token that closes the sentence ending before it: a bracket, or a quote
/// glued to the preceding token.
fn is_closer(t: &RawTok) -> bool {
    match t.kind {
        Kind::Close => true,
        Kind::Quote => !t.space_before,
        Kind::Punct => !t.space_before && t.norm == Some("'"),
        _ => false,
    }
}

/// Could a sentence start at token `j`, given that the candidate boundary
/// follows the terminal token `term`?
fn starts_sentence(text: &str, toks: &[RawTok], term: &RawTok, j: usize) -> bool {
    // Skip opening quotes/brackets/dashes.
    let mut k = j;
    while k < toks.len() && k < j + 3 && matches!(toks[k].kind, Kind::Quote | Kind::Open) {
        k += 1;
    }
    let Some(t) = toks.get(k) else {
        return true;
    };
    let w = &text[t.start..t.end];
    let Some(c) = w.chars().next() else {
        return false;
    };
    let upper = c.is_uppercase();
    let digit = c.is_ascii_digit();
    match term.abbrev {
        Some(AbbrevClass::Never) => false,
        Some(AbbrevClass::IfCapitalised) => upper,
        Some(AbbrevClass::Month) => upper,
        Some(AbbrevClass::IfOpener) => upper && abbrev::is_opener(w),
        None => match term.kind {
            Kind::Ellipsis => upper,
            _ => upper || digit,
        },
    }
}

/// `"Why?" Smith asked.`: a "!"/"?" inside a closing quote followed by a
/// name and a speech verb does not end the sentence.
fn quote_then_speech_verb(text: &str, toks: &[RawTok], i: usize, j: usize) -> bool {
    if toks[i].kind != Kind::Final || !toks[i + 1..j].iter().any(|t| t.kind == Kind::Quote) {
        return false;
    }
    toks[j..].iter().take(4).any(|t| {
        matches!(
            &text[t.start..t.end],
            "said"
                | "says"
                | "asked"
                | "asks"
                | "told"
                | "added"
                | "wrote"
                | "replied"
                | "shouted"
                | "insisted"
                | "tweeted"
                | "posted"
                | "continued"
                | "stated"
                | "explained"
        )
    })
}

fn split_block(text: &str, toks: &[RawTok], heading: bool, out: &mut Vec<Sentence>) {
    let n = toks.len();
    let mut s = 0;
    let mut i = 0;
    while i < n {
        let mut cut: Option<usize> = None;
        if !heading && is_terminal(&toks[i]) {
            let mut j = i + 1;
            while j < n && is_closer(&toks[j]) {
                j += 1;
            }
            if j < n
                && starts_sentence(text, toks, &toks[i], j)
                && !quote_then_speech_verb(text, toks, i, j)
            {
                cut = Some(j - 1);
            }
        }
        if cut.is_none()
            && (i + 1 - s >= MAX_SENTENCE_TOKENS
                || toks[i].end - toks[s].start >= MAX_SENTENCE_BYTES)
        {
            cut = Some(i);
        }
        // Closing brackets/quotes after a terminal can be many ("}}}}..."):
        // never let them push a sentence past the token limit.
        let cut = cut.map(|b| b.min(s + MAX_SENTENCE_TOKENS - 1));
        match cut {
            Some(b) => {
                out.push(build(text, &toks[s..=b], heading));
                s = b + 1;
                i = b + 1;
            }
            None => i += 1,
        }
    }
    if s < n {
        out.push(build(text, &toks[s..], heading));
    }
}

fn build(text: &str, toks: &[RawTok], heading: bool) -> Sentence {
    let start = toks.first().map_or(0, |t| t.start);
    let end = toks.last().map_or(start, |t| t.end);
    let mut s = String::with_capacity(end - start);
    let mut tokens = Vec::with_capacity(toks.len());
    for (k, t) in toks.iter().enumerate() {
        if k > 0 && t.space_before {
            s.push(' ');
        }
        let orig = &text[t.start..t.end];
        s.push_str(orig);
        let norm = match t.norm {
            Some(n) => n.to_string(),
            None => token::normalise(orig),
        };
        tokens.push(Token {
            text: norm,
            start: t.start,
            end: t.end,
        });
    }
    Sentence {
        start,
        end,
        text: s,
        tokens,
        is_heading: heading,
    }
}
