//! Layout analysis: turns the lines of a document into blocks that the
//! sentence splitter treats separately.
//!
//! * A blank line ends a paragraph: sentences never cross it.
//! * Inside a paragraph a line break is ordinary whitespace (hard wraps are
//!   joined), except around headings.
//! * A heading is a run of 1–3 lines that starts where a sentence may start
//!   (paragraph start, or after a line ending in . ! ? …), has no final
//!   punctuation, is short (≤ 12 words), does not end in a function word or
//!   in , ; : -, and is followed by a capitalised line (or the paragraph
//!   end). To tell "Confronting / ISIS" from a wrapped sentence such as
//!   "The Iraqi Ministry of / Defence ...", the run must also be title-cased,
//!   or be ≤ 5 words followed by a common sentence opener ("The", "He", ...),
//!   or stand alone as a paragraph, or be the document's first line. The
//!   longest qualifying run wins, so "Confronting / ISIS" is one heading.

use crate::abbrev;

/// A block of text to segment: a heading, or body text (possibly several
/// hard-wrapped lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Block {
    pub start: usize,
    pub end: usize,
    pub heading: bool,
}

/// Byte ranges of all lines (without "\n" / "\r\n" terminators).
pub(crate) fn line_ranges(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = text.as_bytes();
    let mut pos = 0usize;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let start = pos;
        let end = match b[start..].iter().position(|&c| c == b'\n') {
            Some(k) => {
                pos = start + k + 1;
                start + k
            }
            None => {
                done = true;
                b.len()
            }
        };
        let mut e = end;
        while e > start && b[e - 1] == b'\r' {
            e -= 1;
        }
        Some((start, e))
    })
}

/// Facts about one (trimmed) line that heading detection needs.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LineInfo {
    /// Ends with . ! ? … (possibly followed by closing quotes/brackets).
    pub ends_terminal: bool,
    /// Ends with , ; : - ( or a function word: cannot end a heading.
    pub ends_bad: bool,
    /// First letter (after opening quotes/brackets) is upper case or a digit.
    pub starts_upper: bool,
    /// Number of whitespace-separated words, counted up to 41.
    pub words: usize,
    /// Every word is capitalised, except short function words.
    pub title_case: bool,
    /// The first word is a common sentence opener ("The", "He").
    pub starts_opener: bool,
}

const WORD_CAP: usize = 41;

/// The last character of a (trimmed) line before closing quotes/brackets.
fn last_char(line: &str) -> Option<char> {
    line.trim_end_matches(|c: char| {
        matches!(
            c,
            '"' | '\'' | ')' | ']' | '\u{201D}' | '\u{2019}' | '\u{00BB}' | '*'
        )
    })
    .chars()
    .next_back()
}

/// [`LineInfo::ends_terminal`] alone (what every line needs; the rest of a
/// [`LineInfo`] is read only where a heading may start).
fn ends_terminal(line: &str) -> bool {
    last_char(line.trim()).is_some_and(is_terminal)
}

/// Sentence-final punctuation.
fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '\u{2026}')
}

impl LineInfo {
    pub(crate) fn new(line: &str) -> LineInfo {
        let line = line.trim();
        let mut li = LineInfo::default();
        if line.is_empty() {
            return li;
        }
        // End of line.
        if let Some(last) = last_char(line) {
            li.ends_terminal = is_terminal(last);
            li.ends_bad = matches!(
                last,
                ',' | ';' | ':' | '-' | '(' | '\u{2014}' | '\u{2013}' | '&' | '/'
            );
        }
        // Start of line.
        let head = line.trim_start_matches(|c: char| {
            matches!(
                c,
                '"' | '\'' | '(' | '[' | '\u{201C}' | '\u{2018}' | '\u{00AB}' | '-' | '\u{2014}'
            )
        });
        if let Some(first) = head.chars().next() {
            li.starts_upper = first.is_uppercase() || first.is_ascii_digit();
        }
        li.title_case = true;
        let mut last_word = "";
        for (n, w) in line.split_whitespace().enumerate() {
            if n == 0 {
                let core = w.trim_matches(|c: char| !c.is_alphanumeric());
                li.starts_opener = abbrev::is_opener(core);
            }
            li.words = n + 1;
            if li.words >= WORD_CAP {
                li.title_case = false;
                break;
            }
            last_word = w;
            // Title case: every word starting with a letter is capitalised,
            // except short function words ("of", "the", "in", ...). (Once
            // false it stays false: the rest of the words need no test.)
            if !li.title_case {
                continue;
            }
            if let Some(first_letter) = w.chars().next().filter(|c| c.is_alphabetic()) {
                if !first_letter.is_uppercase() {
                    let core = w.trim_matches(|c: char| !c.is_alphanumeric());
                    if !(core.len() <= 4 && abbrev::is_function_word(core)) {
                        li.title_case = false;
                    }
                }
            }
        }
        let lw = last_word.trim_matches(|c: char| !c.is_alphanumeric());
        if li.words < WORD_CAP && abbrev::is_function_word(lw) {
            li.ends_bad = true;
        }
        li
    }
}

#[derive(Debug)]
struct Line {
    start: usize,
    end: usize,
    /// `LineInfo::new(..).ends_terminal`, read for every line.
    ends_terminal: bool,
    /// The full [`LineInfo`], made on first use (only heading candidates
    /// and their neighbours need it).
    info: std::cell::OnceCell<LineInfo>,
}

impl Line {
    fn info(&self, text: &str) -> &LineInfo {
        self.info
            .get_or_init(|| LineInfo::new(text.get(self.start..self.end).unwrap_or("")))
    }
}

/// Splits `text` into blocks, leaving out the byte ranges in `skips`
/// (sorted, non-overlapping: byline, dateline).
pub(crate) fn blocks(text: &str, skips: &[(usize, usize)]) -> Vec<Block> {
    let mut out = Vec::new();
    // Collect lines; `None` marks a paragraph break.
    let mut para: Vec<Line> = Vec::new();
    let mut first_line = true;
    for (ls, le) in line_ranges(text) {
        let (mut s, mut e) = trim(text, ls, le);
        for &(ks, ke) in skips {
            if ks <= s && ke >= e {
                s = e; // whole line skipped
            } else if ks <= s && ke > s {
                s = ke;
            } else if ks > s && ks < e {
                e = ks;
            }
        }
        let (s, e) = if s < e { trim(text, s, e) } else { (s, s) };
        if s >= e {
            if ls < le && !text[ls..le].trim().is_empty() {
                // A line emptied by a skip is not a paragraph break.
                continue;
            }
            if !para.is_empty() {
                paragraph(text, &para, first_line, &mut out);
                first_line = false;
                para.clear();
            }
            continue;
        }
        para.push(Line {
            start: s,
            end: e,
            ends_terminal: ends_terminal(&text[s..e]),
            info: std::cell::OnceCell::new(),
        });
    }
    if !para.is_empty() {
        paragraph(text, &para, first_line, &mut out);
    }
    out
}

fn trim(text: &str, s: usize, e: usize) -> (usize, usize) {
    let line = &text[s..e];
    let t = line.trim_start_matches(crate::token::is_separator);
    let s2 = s + (line.len() - t.len());
    let t2 = t.trim_end_matches(crate::token::is_separator);
    (s2, s2 + t2.len())
}

fn paragraph(text: &str, lines: &[Line], doc_first: bool, out: &mut Vec<Block>) {
    let mut at_start = true;
    let mut body: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < lines.len() {
        if at_start && !lines[i].ends_terminal {
            if let Some(k) = heading_len(text, lines, i, doc_first && i == 0) {
                if let Some((s, e)) = body.take() {
                    out.push(Block {
                        start: s,
                        end: e,
                        heading: false,
                    });
                }
                out.push(Block {
                    start: lines[i].start,
                    end: lines[i + k - 1].end,
                    heading: true,
                });
                i += k;
                at_start = true;
                continue;
            }
        }
        body = Some(match body {
            Some((s, _)) => (s, lines[i].end),
            None => (lines[i].start, lines[i].end),
        });
        at_start = lines[i].ends_terminal;
        i += 1;
    }
    if let Some((s, e)) = body {
        out.push(Block {
            start: s,
            end: e,
            heading: false,
        });
    }
}

/// Number of lines (1–3) of the heading starting at line `i`, if any.
fn heading_len(text: &str, lines: &[Line], i: usize, doc_first: bool) -> Option<usize> {
    let max_k = 3.min(lines.len() - i);
    let mut words = 0;
    let mut title_case = true;
    let mut cands: [Option<usize>; 3] = [None; 3];
    for k in 1..=max_k {
        let l = lines[i + k - 1].info(text);
        if l.ends_terminal || l.words >= WORD_CAP {
            break;
        }
        if k > 1 && l.words > 6 {
            break;
        }
        words += l.words;
        title_case &= l.title_case;
        let first = lines[i].info(text);
        if !first.starts_upper || l.ends_bad {
            continue;
        }
        let limit = if doc_first && k == 1 { 20 } else { 12 };
        if words > limit {
            break;
        }
        let next = lines.get(i + k);
        let ok = match next {
            None => true, // stands alone at the paragraph end
            Some(n) if !n.info(text).starts_upper => false,
            Some(n) => {
                title_case || (doc_first && k == 1) || (words <= 5 && n.info(text).starts_opener)
            }
        };
        if ok {
            cands[k - 1] = Some(k);
        }
    }
    cands.iter().rev().flatten().next().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heads(text: &str) -> Vec<(&str, bool)> {
        blocks(text, &[])
            .into_iter()
            .map(|b| (&text[b.start..b.end], b.heading))
            .collect()
    }

    #[test]
    fn wrapped_heading() {
        let t = "It was said.\nConfronting\nISIS\nThe joint statement confirmed\nthat all is well.";
        let h = heads(t);
        assert_eq!(h[1], ("Confronting\nISIS", true));
        assert!(!h[2].1);
    }

    #[test]
    fn ends_terminal_alone_agrees_with_line_info() {
        for l in [
            "It was said.",
            "  He asked?\u{201D}  ",
            "Wait!)",
            "So\u{2026}",
            "The Ministry of",
            "Confronting ISIS",
            "\"Quoted.\"",
            "",
            "   ",
            "Ends with a comma,",
        ] {
            assert_eq!(ends_terminal(l), LineInfo::new(l).ends_terminal, "{l:?}");
        }
    }

    #[test]
    fn title_case_needs_every_content_word_capitalised() {
        assert!(LineInfo::new("Confronting ISIS").title_case);
        assert!(LineInfo::new("War of the Worlds").title_case);
        assert!(!LineInfo::new("Officials met President").title_case);
        let t = "It was said.\nOfficials met President\nBiden on Monday.";
        assert!(heads(t).iter().all(|b| !b.1), "{:?}", heads(t));
    }

    #[test]
    fn wrapped_sentence_is_not_heading() {
        let t = "It was said.\nThe Iraqi Ministry of\nDefence and the US released it.";
        let h = heads(t);
        assert_eq!(h.len(), 1);
        assert!(!h[0].1);
    }
}
