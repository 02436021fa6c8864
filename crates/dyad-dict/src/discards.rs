//! Discard lists.
//!
//! Each line is a phrase; a sentence whose text contains it (preceded by a
//! blank, case-insensitive) is not coded. A leading `+` means the whole
//! story is not coded. A trailing `_` means the match must end at a blank
//! or punctuation mark; otherwise the phrase is a stem (`BASEBALL` also
//! matches `BASEBALLS`).

use std::sync::Arc;

use crate::diag::{Diagnostic, Sink};
use crate::lex::Lines;

/// What a discard drops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiscardScope {
    /// The sentence.
    Sentence,
    /// The whole story (`+` prefix).
    Story,
}

/// One discard phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscardEntry {
    /// The phrase, upper-cased, words separated by single blanks (`_` in the
    /// file is read as a blank), without the `+` and the trailing `_`.
    pub text: Box<str>,
    /// Sentence or story.
    pub scope: DiscardScope,
    /// Whether the match must end at a word boundary (trailing `_`).
    pub whole_word: bool,
    /// Line number.
    pub line: u32,
}

/// A discard list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscardDict {
    /// The file name.
    pub file: Arc<str>,
    /// Entries in file order.
    pub entries: Vec<DiscardEntry>,
}

/// Reads a discard file.
pub fn read(file: &str, bytes: &[u8]) -> (DiscardDict, Vec<Diagnostic>) {
    let file: Arc<str> = Arc::from(file);
    let mut sink = Sink::new(file.clone());
    let mut lines = Lines::new(bytes);
    let mut entries = Vec::new();
    while let Some(line) = lines.next_line(&mut sink) {
        let no = line.no;
        let mut t = line.text.trim();
        let scope = match t.strip_prefix('+') {
            Some(r) => {
                t = r.trim_start();
                DiscardScope::Story
            }
            None => DiscardScope::Sentence,
        };
        if t.contains(['[', ']']) {
            sink.warn(no, "discard phrase contains `[` or `]` (a TABARI code?); the brackets are kept as text");
        }
        let whole_word = t.ends_with('_');
        let t = t.trim_end_matches('_');
        let mut text = String::with_capacity(t.len());
        for w in t
            .split(|c: char| c == '_' || c.is_whitespace())
            .filter(|w| !w.is_empty())
        {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&w.to_uppercase());
        }
        if text.is_empty() {
            sink.warn(no, "empty discard phrase skipped");
            continue;
        }
        entries.push(DiscardEntry {
            text: text.into_boxed_str(),
            scope,
            whole_word,
            line: no,
        });
    }
    (DiscardDict { file, entries }, sink.diags)
}
