//! Issue dictionaries.
//!
//! Lines `phrase [CODE]` inside optional `<ISSUE CATEGORY="…" TYPE="…">` …
//! `</ISSUE>` sections. In a phrase, `n:word` stands for the noun's singular
//! and plural, `v:word` for the verb's regular forms (`-S`, `-ED`, `-ING`),
//! and `a+b` for both `a b` and `a-b`. A line `~phrase` (or `~~phrase`) is an
//! ignore phrase: when it occurs, no issue is coded for the sentence.

use std::sync::Arc;

use crate::diag::{Diagnostic, Sink};
use crate::lex::Lines;
use crate::phrase::{plural, regular_verb_forms};

/// Inflection requested by a prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Inflect {
    /// The word as written.
    None,
    /// `n:`: singular and plural.
    Noun,
    /// `v:`: base, `-S`, `-ED`, `-ING`.
    Verb,
}

/// A part of a token (tokens are split at `+`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuePart {
    /// The word, upper-cased, without its prefix.
    pub word: Box<str>,
    /// The inflection prefix.
    pub inflect: Inflect,
}

impl IssuePart {
    fn forms(&self) -> Vec<String> {
        match self.inflect {
            Inflect::None => vec![self.word.to_string()],
            Inflect::Noun => vec![self.word.to_string(), plural(&self.word)],
            Inflect::Verb => {
                let mut v = vec![self.word.to_string()];
                v.extend(regular_verb_forms(&self.word));
                v
            }
        }
    }
}

/// A blank-separated token: one or more parts joined by `+`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueToken {
    /// The parts (more than one when the token had `+`).
    pub parts: Vec<IssuePart>,
}

/// One issue phrase and its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueEntry {
    /// The tokens.
    pub tokens: Vec<IssueToken>,
    /// The issue code, e.g. `ID_ATROCITY`.
    pub code: Box<str>,
    /// Index into [`IssueDict::categories`], when inside a section.
    pub category: Option<u32>,
    /// Line number.
    pub line: u32,
}

/// At most this many phrases are generated for one issue entry (longer
/// lists are cut; the reader warns about such entries).
pub const MAX_EXPANSIONS: usize = 4096;

impl IssueEntry {
    /// How many phrases [`IssueEntry::expansions`] would generate without
    /// the cap (saturating).
    pub fn expansion_count(&self) -> usize {
        self.tokens.iter().fold(1usize, |acc, t| {
            let per: usize = t
                .parts
                .iter()
                .map(|p| match p.inflect {
                    Inflect::None => 1usize,
                    Inflect::Noun => 2,
                    Inflect::Verb => 4,
                })
                .fold(1usize, |a, b| a.saturating_mul(b));
            let joins = if t.parts.len() > 1 { 2 } else { 1 };
            acc.saturating_mul(per.saturating_mul(joins))
        })
    }

    /// Every phrase this entry matches (upper case, single blanks), with
    /// all `n:`/`v:`/`+` expansions, sorted, at most [`MAX_EXPANSIONS`].
    pub fn expansions(&self) -> Vec<String> {
        let mut out = vec![String::new()];
        for tok in &self.tokens {
            // forms of this token
            let mut tforms: Vec<String> = Vec::new();
            let joiners: &[char] = if tok.parts.len() > 1 {
                &[' ', '-']
            } else {
                &[' ']
            };
            for &j in joiners {
                let mut acc = vec![String::new()];
                for (k, p) in tok.parts.iter().enumerate() {
                    let pf = p.forms();
                    let mut next = Vec::with_capacity((acc.len() * pf.len()).min(MAX_EXPANSIONS));
                    'parts: for a in &acc {
                        for f in &pf {
                            if next.len() >= MAX_EXPANSIONS {
                                break 'parts;
                            }
                            let mut s = a.clone();
                            if k > 0 {
                                s.push(j);
                            }
                            s.push_str(f);
                            next.push(s);
                        }
                    }
                    acc = next;
                }
                tforms.extend(acc);
            }
            let mut next = Vec::with_capacity((out.len() * tforms.len()).min(MAX_EXPANSIONS));
            'outer: for o in &out {
                for f in &tforms {
                    if next.len() >= MAX_EXPANSIONS {
                        break 'outer;
                    }
                    let mut s = o.clone();
                    if !s.is_empty() {
                        s.push(' ');
                    }
                    s.push_str(f);
                    next.push(s);
                }
            }
            out = next;
        }
        out.sort();
        out.dedup();
        out
    }
}

/// An ignore phrase (`~` or `~~`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueIgnore {
    /// The phrase, upper-cased, single blanks.
    pub text: Box<str>,
    /// Written with `~~`.
    pub double: bool,
    /// Section index, if any.
    pub category: Option<u32>,
    /// Line number.
    pub line: u32,
}

/// An `<ISSUE …>` section header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueCategory {
    /// `CATEGORY` attribute.
    pub name: Box<str>,
    /// `TYPE` attribute, if given.
    pub kind: Option<Box<str>>,
    /// Line number.
    pub line: u32,
}

/// An issue dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueDict {
    /// File name.
    pub file: Arc<str>,
    /// Sections.
    pub categories: Vec<IssueCategory>,
    /// Issue phrases.
    pub entries: Vec<IssueEntry>,
    /// Ignore phrases.
    pub ignores: Vec<IssueIgnore>,
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let i = tag.find(&format!("{name}="))?;
    let rest = &tag[i + name.len() + 1..];
    let rest = rest.strip_prefix('"').unwrap_or(rest);
    let end = rest.find(['"', '>', ' ']).unwrap_or(rest.len());
    Some(&rest[..end])
}

fn norm(t: &str) -> String {
    t.split_whitespace()
        .map(|w| w.to_uppercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads an issues file.
pub fn read(file: &str, bytes: &[u8]) -> (IssueDict, Vec<Diagnostic>) {
    let file: Arc<str> = Arc::from(file);
    let mut sink = Sink::new(file.clone());
    let mut lines = Lines::new(bytes);
    lines.semicolon_comments = false;
    let mut dict = IssueDict {
        file,
        categories: Vec::new(),
        entries: Vec::new(),
        ignores: Vec::new(),
    };
    let mut cat: Option<u32> = None;
    while let Some(line) = lines.next_line(&mut sink) {
        let no = line.no;
        let t = line.text.trim();
        if t.starts_with("</ISSUE") {
            if cat.is_none() {
                sink.warn(no, "`</ISSUE>` without an open section");
            }
            cat = None;
            continue;
        }
        if t.starts_with("<ISSUE") {
            if cat.is_some() {
                sink.warn(
                    no,
                    "`<ISSUE>` inside an open section; the previous section is closed",
                );
            }
            let name = attr(t, "CATEGORY").unwrap_or("");
            if name.is_empty() {
                sink.warn(no, "`<ISSUE>` without CATEGORY");
            }
            dict.categories.push(IssueCategory {
                name: name.into(),
                kind: attr(t, "TYPE").map(Box::from),
                line: no,
            });
            cat = Some(dict.categories.len() as u32 - 1);
            continue;
        }
        if t.starts_with('<') {
            sink.warn(no, format!("unknown tag {t:?} skipped"));
            continue;
        }
        if let Some(rest) = t.strip_prefix('~') {
            let (double, rest) = match rest.strip_prefix('~') {
                Some(r) => (true, r),
                None => (false, rest),
            };
            let text = norm(rest);
            if text.is_empty() {
                sink.warn(no, "empty ignore phrase skipped");
                continue;
            }
            dict.ignores.push(IssueIgnore {
                text: text.into_boxed_str(),
                double,
                category: cat,
                line: no,
            });
            continue;
        }
        let Some(open) = t.find('[') else {
            sink.warn(no, "issue phrase has no [CODE]; skipped");
            continue;
        };
        let after = &t[open + 1..];
        let Some(close) = after.find(']') else {
            sink.warn(no, "issue code is not closed with `]`; skipped");
            continue;
        };
        let code = after[..close].trim();
        if code.is_empty() || code.contains(char::is_whitespace) {
            sink.warn(
                no,
                format!("issue code {code:?} is empty or has blanks; skipped"),
            );
            continue;
        }
        if !after[close + 1..].trim().is_empty() {
            sink.warn(no, "text after the issue code ignored");
        }
        let mut tokens = Vec::new();
        let mut bad = None;
        for tok in t[..open].split_whitespace() {
            let mut parts = Vec::new();
            for p in tok.split('+') {
                let (inflect, w) = if let Some(w) = p.strip_prefix("n:") {
                    (Inflect::Noun, w)
                } else if let Some(w) = p.strip_prefix("v:") {
                    (Inflect::Verb, w)
                } else {
                    (Inflect::None, p)
                };
                if w.is_empty() || w.contains(':') {
                    bad = Some(format!("malformed issue token {tok:?}"));
                    break;
                }
                parts.push(IssuePart {
                    word: w.to_uppercase().into_boxed_str(),
                    inflect,
                });
            }
            tokens.push(IssueToken { parts });
        }
        if let Some(b) = bad {
            sink.warn(no, format!("{b}; skipped"));
            continue;
        }
        if tokens.is_empty() {
            sink.warn(no, "issue line has no phrase; skipped");
            continue;
        }
        let entry = IssueEntry {
            tokens,
            code: code.to_uppercase().into_boxed_str(),
            category: cat,
            line: no,
        };
        if entry.expansion_count() > MAX_EXPANSIONS {
            sink.warn(
                no,
                format!("issue phrase expands to more than {MAX_EXPANSIONS} forms; only the first {MAX_EXPANSIONS} are used"),
            );
        }
        dict.entries.push(entry);
    }
    if cat.is_some() {
        sink.warn(0, "file ends inside an `<ISSUE>` section");
    }
    (dict, sink.diags)
}
