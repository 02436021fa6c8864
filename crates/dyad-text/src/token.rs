//! The tokenizer: a hand-written, single-pass scanner over a byte range of
//! the original text. It produces raw tokens (byte ranges plus a few flags);
//! the sentence splitter decides boundaries over them and only then are the
//! public [`crate::Token`]s (with normalised `String`s) built.
//!
//! Conventions follow UD English-EWT (the tagger's training data):
//! punctuation is split off; "n't", "'s", "'re", "'ll", "'ve", "'d", "'m" are
//! separate tokens ("don't" = do + n't, "can't" = ca + n't); "cannot" = can +
//! not; "gonna" = gon + na; known abbreviations, initials and dotted acronyms
//! keep their period ("U.S.", "Gen.", "J."); numbers keep internal "," "." ":"
//! ("1,500", "3.5", "5:00"); hyphens are split off ("al - Abbasi",
//! "US - Iraq") except after the prefixes EWT keeps ("anti-American",
//! "non-stop", "e-mail"); URLs and e-mail addresses are single tokens.

use crate::abbrev::{self, AbbrevClass};

/// Longest run of non-space bytes treated as one chunk; longer runs (binary
/// junk, a 5 MB line without spaces) are cut at char boundaries so that
/// tokens, and hence sentences, stay bounded.
pub(crate) const MAX_CHUNK_BYTES: usize = 512;

/// What a raw token is, as far as sentence splitting cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A word, number, abbreviation, URL, clitic.
    Word,
    /// A lone sentence period.
    Period,
    /// "!" or "?" (possibly repeated or mixed: "?!", "!!!").
    Final,
    /// "..." or "…".
    Ellipsis,
    /// A double or single quotation mark (direction decided by spacing).
    Quote,
    /// "(", "[", "{".
    Open,
    /// ")", "]", "}".
    Close,
    /// Any other punctuation or symbol: ",", ";", ":", "--", "-", "$", "%", "/".
    Punct,
}

/// A token before normalisation: a byte range of the original text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawTok {
    pub start: usize,
    pub end: usize,
    /// Fixed normalised form, when it differs from the plain mapping.
    pub norm: Option<&'static str>,
    pub kind: Kind,
    /// Whitespace (or a block start) precedes the token.
    pub space_before: bool,
    /// For words that keep a final period: how they behave at a boundary.
    pub abbrev: Option<AbbrevClass>,
}

/// Characters that separate chunks: Unicode whitespace, control characters
/// and invisible format characters.
#[inline]
pub(crate) fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
}

/// Appends the raw tokens of `text[start..end]` to `out`.
/// `start` and `end` must be char boundaries of `text`.
pub(crate) fn tokenize_range(text: &str, start: usize, end: usize, out: &mut Vec<RawTok>) {
    let bytes = text.as_bytes();
    let mut i = start;
    let mut space = true; // block start counts as space
    while i < end {
        // Skip separators.
        let b = bytes[i];
        if b < 0x80 {
            if b <= b' ' || b == 0x7f {
                i += 1;
                space = true;
                continue;
            }
        } else if let Some(c) = text[i..end].chars().next() {
            if is_separator(c) {
                i += c.len_utf8();
                space = true;
                continue;
            }
        }
        // Find the chunk end.
        let cs = i;
        let mut j = i;
        while j < end {
            let b = bytes[j];
            if b < 0x80 {
                if b <= b' ' || b == 0x7f {
                    break;
                }
                j += 1;
            } else {
                match text[j..end].chars().next() {
                    Some(c) if is_separator(c) => break,
                    Some(c) => j += c.len_utf8(),
                    None => break,
                }
            }
        }
        let ce = j;
        // Cut over-long chunks at char boundaries.
        let next_digit = next_chunk_starts_digit(bytes, ce, end);
        let mut s = cs;
        while s < ce {
            let mut e = ce;
            if e - s > MAX_CHUNK_BYTES {
                e = s + MAX_CHUNK_BYTES;
                while !text.is_char_boundary(e) {
                    e -= 1;
                }
            }
            let before = out.len();
            tokenize_chunk(text, s, e, next_digit, out);
            if let Some(t) = out.get_mut(before) {
                t.space_before = space;
            }
            space = false;
            s = e;
        }
        i = ce;
    }
}

fn next_chunk_starts_digit(bytes: &[u8], mut i: usize, end: usize) -> bool {
    while i < end && (bytes[i] <= b' ') {
        i += 1;
    }
    i < end && bytes[i].is_ascii_digit()
}

#[inline]
fn first_char(s: &str) -> Option<char> {
    s.chars().next()
}

#[inline]
fn last_char(s: &str) -> Option<char> {
    s.chars().next_back()
}

fn push(out: &mut Vec<RawTok>, start: usize, end: usize, kind: Kind, norm: Option<&'static str>) {
    out.push(RawTok {
        start,
        end,
        norm,
        kind,
        space_before: false,
        abbrev: None,
    });
}

fn is_dquote(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
    )
}

fn is_squote(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '`'
    )
}

fn is_dash(c: char) -> bool {
    matches!(c, '\u{2014}' | '\u{2013}' | '\u{2015}' | '\u{2012}')
}

/// Splits one whitespace-free chunk `text[s..e]` into raw tokens.
fn tokenize_chunk(text: &str, mut s: usize, mut e: usize, next_digit: bool, out: &mut Vec<RawTok>) {
    // ---- leading punctuation ----
    while s < e {
        let rest = &text[s..e];
        let Some(c) = first_char(rest) else { break };
        let cl = c.len_utf8();
        let after = first_char(&rest[cl..]);
        if is_dquote(c) {
            push(out, s, s + cl, Kind::Quote, Some("\""));
        } else if c == '`' && after == Some('`') {
            push(out, s, s + 2, Kind::Quote, Some("\""));
            s += 2;
            continue;
        } else if is_squote(c) {
            // "'90s" and a lone clitic chunk ("'s") stay words.
            if after.is_some_and(|a| a.is_ascii_digit()) || is_clitic(rest) {
                break;
            }
            push(out, s, s + cl, Kind::Quote, Some("'"));
        } else if matches!(c, '(' | '[' | '{') {
            push(out, s, s + cl, Kind::Open, None);
        } else if matches!(c, ')' | ']' | '}') {
            push(out, s, s + cl, Kind::Close, None);
        } else if matches!(c, '$' | '\u{20AC}' | '\u{00A3}' | '\u{00A5}') {
            if after.is_none() {
                break;
            }
            push(out, s, s + cl, Kind::Punct, None);
        } else if c == '-' {
            if after == Some('-') {
                let mut k = s;
                while k < e && text.as_bytes()[k] == b'-' {
                    k += 1;
                }
                push(out, s, k, Kind::Punct, Some("--"));
                s = k;
                continue;
            }
            if after.is_none_or(|a| a.is_ascii_digit() || a == '.') {
                break; // "-5", "-.5", or a lone hyphen word
            }
            push(out, s, s + 1, Kind::Punct, None);
        } else if is_dash(c) {
            push(out, s, s + cl, Kind::Punct, Some("--"));
        } else if c == '.' {
            let mut k = s;
            while k < e && text.as_bytes()[k] == b'.' {
                k += 1;
            }
            if k - s >= 2 {
                push(out, s, k, Kind::Ellipsis, Some("..."));
                s = k;
                continue;
            }
            if after.is_some_and(|a| a.is_ascii_digit()) {
                break; // ".5"
            }
            push(out, s, s + 1, Kind::Period, None);
        } else if c == '\u{2026}' {
            push(out, s, s + cl, Kind::Ellipsis, Some("..."));
        } else if matches!(c, '!' | '?') {
            let mut k = s;
            while k < e && matches!(text.as_bytes()[k], b'!' | b'?') {
                k += 1;
            }
            push(out, s, k, Kind::Final, None);
            s = k;
            continue;
        } else if matches!(
            c,
            ',' | ';' | ':' | '*' | '/' | '\u{2022}' | '\u{00B7}' | '|' | '<' | '>' | '='
        ) {
            push(out, s, s + cl, Kind::Punct, None);
        } else {
            break;
        }
        s += cl;
    }
    if s >= e {
        return;
    }

    // ---- trailing punctuation (collected right to left) ----
    let mut tail = Tail::new();
    let mut abbrev_class = None;
    while s < e && !tail.full() {
        let core = &text[s..e];
        let Some(c) = last_char(core) else { break };
        let cl = c.len_utf8();
        let before = last_char(&core[..core.len() - cl]);
        if is_dquote(c) {
            tail.push(raw(e - cl, e, Kind::Quote, Some("\"")));
        } else if is_squote(c) {
            if core.len() == cl {
                tail.push(raw(e - cl, e, Kind::Quote, Some("'")));
            } else if matches!(before, Some('s' | 'S')) {
                // Possessive of a plural ("IS'", "officials'") or a closing quote;
                // either way a separate "'" token.
                tail.push(raw(e - cl, e, Kind::Punct, Some("'")));
            } else {
                tail.push(raw(e - cl, e, Kind::Quote, Some("'")));
            }
        } else if matches!(c, ')' | ']' | '}') {
            tail.push(raw(e - cl, e, Kind::Close, None));
        } else if matches!(c, '(' | '[' | '{') {
            tail.push(raw(e - cl, e, Kind::Open, None));
        } else if matches!(c, ',' | ';' | ':' | '%' | '*' | '|') {
            tail.push(raw(e - cl, e, Kind::Punct, None));
        } else if matches!(c, '!' | '?') {
            let b = core.as_bytes();
            let mut k = b.len();
            while k > 0 && matches!(b[k - 1], b'!' | b'?' | b'.') {
                k -= 1;
            }
            tail.push(raw(s + k, e, Kind::Final, None));
            e = s + k;
            continue;
        } else if c == '\u{2026}' {
            tail.push(raw(e - cl, e, Kind::Ellipsis, Some("...")));
        } else if is_dash(c) {
            tail.push(raw(e - cl, e, Kind::Punct, Some("--")));
        } else if c == '-' {
            let b = core.as_bytes();
            let mut k = b.len();
            while k > 0 && b[k - 1] == b'-' {
                k -= 1;
            }
            if k == 0 {
                break;
            }
            let n = b.len() - k;
            tail.push(raw(
                s + k,
                e,
                Kind::Punct,
                if n > 1 { Some("--") } else { None },
            ));
            e = s + k;
            continue;
        } else if c == '.' {
            let b = core.as_bytes();
            let mut k = b.len();
            while k > 0 && b[k - 1] == b'.' {
                k -= 1;
            }
            let dots = b.len() - k;
            if dots >= 2 {
                tail.push(raw(s + k, e, Kind::Ellipsis, Some("...")));
                e = s + k;
                continue;
            }
            let word = &core[..k];
            if word.is_empty() {
                tail.push(raw(e - 1, e, Kind::Period, None));
            } else if let Some(class) = abbrev::classify(word, next_digit) {
                abbrev_class = Some(class);
                break;
            } else {
                tail.push(raw(e - 1, e, Kind::Period, None));
            }
        } else {
            break;
        }
        e -= cl;
    }

    if s < e {
        core_tokens(text, s, e, abbrev_class, out);
    }
    out.extend(tail.buf[..tail.n].iter().rev().copied());
}

/// Fixed-capacity stack for trailing punctuation (no allocation per chunk).
struct Tail {
    buf: [RawTok; 8],
    n: usize,
}

impl Tail {
    fn new() -> Tail {
        Tail {
            buf: [raw(0, 0, Kind::Punct, None); 8],
            n: 0,
        }
    }
    fn full(&self) -> bool {
        self.n == self.buf.len()
    }
    fn push(&mut self, t: RawTok) {
        if let Some(slot) = self.buf.get_mut(self.n) {
            *slot = t;
            self.n += 1;
        }
    }
}

const fn raw(start: usize, end: usize, kind: Kind, norm: Option<&'static str>) -> RawTok {
    RawTok {
        start,
        end,
        norm,
        kind,
        space_before: false,
        abbrev: None,
    }
}

/// Is `s` exactly a clitic ("'s", "’re", "n't", ...)?
fn is_clitic(s: &str) -> bool {
    clitic_len(s).is_some_and(|n| n == s.len())
}

/// Byte length of a clitic suffix of `s` ("n't", "'s", "’ll", ...), if any.
fn clitic_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    // apostrophe forms: ' (1 byte) or ’ (3 bytes: E2 80 99)
    let apos_before = |pos: usize| -> Option<usize> {
        // returns start of apostrophe ending at `pos`
        if pos >= 1 && b[pos - 1] == b'\'' {
            Some(pos - 1)
        } else if pos >= 3 && &b[pos - 3..pos] == "\u{2019}".as_bytes() {
            Some(pos - 3)
        } else {
            None
        }
    };
    let n = b.len();
    // n't
    if n >= 2 && b[n - 1].eq_ignore_ascii_case(&b't') {
        if let Some(a) = apos_before(n - 1) {
            if a >= 1 && b[a - 1].eq_ignore_ascii_case(&b'n') {
                return Some(n - (a - 1));
            }
        }
    }
    // 's 'd 'm
    if n >= 2 && matches!(b[n - 1].to_ascii_lowercase(), b's' | b'd' | b'm') {
        if let Some(a) = apos_before(n - 1) {
            return Some(n - a);
        }
    }
    // 're 've 'll
    if n >= 3 {
        let two = [b[n - 2].to_ascii_lowercase(), b[n - 1].to_ascii_lowercase()];
        if matches!(&two, b"re" | b"ve" | b"ll") {
            if let Some(a) = apos_before(n - 2) {
                return Some(n - a);
            }
        }
    }
    None
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Splits a punctuation-stripped core into word tokens.
fn core_tokens(
    text: &str,
    s: usize,
    e: usize,
    abbrev_class: Option<AbbrevClass>,
    out: &mut Vec<RawTok>,
) {
    let core = &text[s..e];
    // URLs and e-mail addresses: one token.
    if is_url_or_email(core) {
        out.push(RawTok {
            abbrev: abbrev_class,
            ..raw(s, e, Kind::Word, None)
        });
        return;
    }
    let b = core.as_bytes();
    // Phone numbers and codes ("212-902-3724") stay whole, as in EWT;
    // single-hyphen number ranges ("1969-1970") are split.
    let phone_like = b.iter().all(|&c| c.is_ascii_digit() || c == b'-')
        && b.iter().filter(|&&c| c == b'-').count() >= 2;
    let mut piece_start = 0usize; // relative to s
    let mut i = 0usize;
    let mut prev: Option<char> = None;
    while i < b.len() {
        let (c, cl) = if b[i] < 0x80 {
            (b[i] as char, 1)
        } else {
            match first_char(&core[i..]) {
                Some(c) => (c, c.len_utf8()),
                None => break,
            }
        };
        // Plain letters and digits never split: skip the checks below.
        if c.is_ascii_alphanumeric() {
            prev = Some(c);
            i += 1;
            continue;
        }
        let next = first_char(&core[i + cl..]);
        let split: Option<(usize, Kind, Option<&'static str>)> = match c {
            '-' => {
                if next == Some('-') {
                    let mut k = i;
                    while k < b.len() && b[k] == b'-' {
                        k += 1;
                    }
                    Some((k - i, Kind::Punct, Some("--")))
                } else if i == piece_start
                    || next.is_none()
                    || phone_like
                    || keeps_prefix(&core[piece_start..i])
                {
                    None
                } else {
                    Some((1, Kind::Punct, None))
                }
            }
            '\u{2014}' | '\u{2015}' => Some((cl, Kind::Punct, Some("--"))),
            '\u{2013}' | '\u{2012}' => {
                let digits = prev.is_some_and(|p| p.is_ascii_digit())
                    && next.is_some_and(|n| n.is_ascii_digit());
                Some((cl, Kind::Punct, Some(if digits { "-" } else { "--" })))
            }
            '/' | ',' | ':' => {
                let digits = prev.is_some_and(|p| p.is_ascii_digit())
                    && next.is_some_and(|n| n.is_ascii_digit());
                if digits {
                    None
                } else {
                    Some((1, Kind::Punct, None))
                }
            }
            ';' | '|' | '*' | '=' | '<' | '>' => Some((1, Kind::Punct, None)),
            '(' | '[' | '{' => Some((1, Kind::Open, None)),
            ')' | ']' | '}' => Some((1, Kind::Close, None)),
            '!' | '?' => {
                let mut k = i;
                while k < b.len() && matches!(b[k], b'!' | b'?') {
                    k += 1;
                }
                Some((k - i, Kind::Final, None))
            }
            '\u{2026}' => Some((cl, Kind::Ellipsis, Some("..."))),
            '.' => {
                if next == Some('.') {
                    let mut k = i;
                    while k < b.len() && b[k] == b'.' {
                        k += 1;
                    }
                    Some((k - i, Kind::Ellipsis, Some("...")))
                } else if glued_sentence(&core[piece_start..i], &core[i + 1..]) {
                    Some((1, Kind::Period, None))
                } else {
                    None
                }
            }
            c if is_dquote(c) => Some((cl, Kind::Quote, Some("\""))),
            _ => None,
        };
        if let Some((len, kind, norm)) = split {
            if piece_start < i {
                word_tokens(text, s + piece_start, s + i, None, out);
            }
            push(out, s + i, s + i + len, kind, norm);
            i += len;
            piece_start = i;
            prev = None;
            continue;
        }
        prev = Some(c);
        i += cl;
    }
    if piece_start < b.len() {
        word_tokens(text, s + piece_start, e, abbrev_class, out);
    }
}

/// "cooperation.The": a period glued between a lower-case word and a
/// capitalised word is a sentence period (a common scraping artefact).
fn glued_sentence(left: &str, right: &str) -> bool {
    let lb = left.as_bytes();
    let rb = right.as_bytes();
    lb.len() >= 2
        && lb[lb.len() - 1].is_ascii_lowercase()
        && lb[lb.len() - 2].is_ascii_lowercase()
        && rb.len() >= 2
        && rb[0].is_ascii_uppercase()
        && rb[1].is_ascii_lowercase()
}

fn keeps_prefix(p: &str) -> bool {
    p.len() <= 16 && p.bytes().all(|c| c.is_ascii_alphabetic()) && abbrev::keeps_hyphen(p)
}

fn is_url_or_email(core: &str) -> bool {
    let b = core.as_bytes();
    let www = b.len() > 4 && b[..4].eq_ignore_ascii_case(b"www.");
    if !www && !b.iter().any(|&c| c == b':' || c == b'@') {
        return false;
    }
    if core.contains("://") {
        return true;
    }
    if www {
        return true;
    }
    if let Some(at) = core.find('@') {
        let (user, host) = (&core[..at], &core[at + 1..]);
        return !user.is_empty()
            && host.contains('.')
            && !host.ends_with('.')
            && host
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
            && user
                .chars()
                .all(|c| c.is_alphanumeric() || "._%+-".contains(c));
    }
    false
}

/// Emits a word, splitting clitics and the EWT multi-word forms.
fn word_tokens(
    text: &str,
    s: usize,
    e: usize,
    abbrev_class: Option<AbbrevClass>,
    out: &mut Vec<RawTok>,
) {
    let w = &text[s..e];
    // Fast path: no apostrophe (ASCII or U+2019) and not a 5/6-letter
    // multi-word form.
    let maybe_split = matches!(w.len(), 5 | 6) || w.bytes().any(|b| b == b'\'' || b == 0xE2);
    if abbrev_class.is_none() && maybe_split {
        // cannot / gonna / wanna / gotta
        let lower_is = |x: &str| w.len() == x.len() && w.eq_ignore_ascii_case(x);
        if lower_is("cannot") || lower_is("gonna") || lower_is("wanna") || lower_is("gotta") {
            let k = 3;
            push(out, s, s + k, Kind::Word, None);
            push(out, s + k, e, Kind::Word, None);
            return;
        }
        if let Some(n) = clitic_len(w) {
            if n < w.len() && w[..w.len() - n].chars().any(is_word_char) {
                push(out, s, e - n, Kind::Word, None);
                push(out, e - n, e, Kind::Word, None);
                return;
            }
        }
    }
    out.push(RawTok {
        abbrev: abbrev_class,
        ..raw(s, e, Kind::Word, None)
    });
}

/// The normalised form of a token's original text: curly quotes and
/// apostrophes to ASCII, dashes to "--", "…" to "...", soft hyphens dropped.
pub(crate) fn normalise(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => out.push('"'),
            '\u{2014}' | '\u{2015}' => out.push_str("--"),
            '\u{2013}' | '\u{2012}' | '\u{2010}' | '\u{2011}' => out.push('-'),
            '\u{2026}' => out.push_str("..."),
            '\u{00AD}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        let mut v = Vec::new();
        tokenize_range(s, 0, s.len(), &mut v);
        v.iter()
            .map(|t| {
                t.norm
                    .map(str::to_string)
                    .unwrap_or_else(|| normalise(&s[t.start..t.end]))
            })
            .collect()
    }

    #[test]
    fn clitics() {
        assert_eq!(toks("don't"), ["do", "n't"]);
        assert_eq!(toks("can’t"), ["ca", "n't"]);
        assert_eq!(toks("Iraq's"), ["Iraq", "'s"]);
        assert_eq!(toks("they're"), ["they", "'re"]);
        assert_eq!(toks("cannot"), ["can", "not"]);
        assert_eq!(toks("IS'"), ["IS", "'"]);
    }

    #[test]
    fn hyphens() {
        assert_eq!(toks("al-Abbasi"), ["al", "-", "Abbasi"]);
        assert_eq!(toks("anti-American"), ["anti-American"]);
        assert_eq!(toks("US-Iraqi"), ["US", "-", "Iraqi"]);
        assert_eq!(toks("well--known"), ["well", "--", "known"]);
    }

    #[test]
    fn numbers_and_punct() {
        assert_eq!(toks("1,500"), ["1,500"]);
        assert_eq!(toks("3.5%"), ["3.5", "%"]);
        assert_eq!(toks("$5.2"), ["$", "5.2"]);
        assert_eq!(toks("(Reuters)"), ["(", "Reuters", ")"]);
        assert_eq!(toks("said.\""), ["said", ".", "\""]);
        assert_eq!(toks("U.S.),"), ["U.S.", ")", ","]);
        assert_eq!(toks("wait..."), ["wait", "..."]);
        assert_eq!(toks("“Why?”"), ["\"", "Why", "?", "\""]);
    }
}
