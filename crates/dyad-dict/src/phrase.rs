//! Phrases (word sequences) and the English form generators the formats
//! rely on (noun plurals, regular verb forms).

use std::fmt;

/// A dictionary phrase: upper-cased words, one allocation.
///
/// In the files words are joined by `_` (must be consecutive) or by a blank
/// (agents and PETRARCH-1 patterns: other words may intervene). The words
/// are stored separated by single spaces; which joins were blanks is kept
/// in a bit mask (see [`Phrase::gap_after`]). A trailing `_` in the file
/// (TABARI: "whole word, do not stem"; synsets and agents: "no plural";
/// discards: "must end at a word boundary") is kept as
/// [`Phrase::trailing_underscore`].
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Phrase {
    text: Box<str>,
    gaps: u64,
    trailing_underscore: bool,
}

impl Phrase {
    /// Parses `WORD_WORD WORD_` style text: words are split at `_` and
    /// blanks; letters are upper-cased. Returns `None` when there is no word.
    pub fn parse(src: &str) -> Option<Phrase> {
        let src = src.trim();
        let trailing_underscore = src.ends_with('_');
        let mut text = String::with_capacity(src.len());
        let mut gaps = 0u64;
        let mut nwords = 0usize;
        let mut pending_gap = false;
        let mut in_word = false;
        if src.is_ascii() {
            // Fast path: bytes are chars.
            for &b in src.as_bytes() {
                match b {
                    b'_' => in_word = false,
                    b if b.is_ascii_whitespace() => {
                        if in_word || nwords > 0 {
                            pending_gap = true;
                        }
                        in_word = false;
                    }
                    b => {
                        if !in_word {
                            if nwords > 0 {
                                text.push(' ');
                                if pending_gap && nwords <= 64 {
                                    gaps |= 1 << (nwords - 1);
                                }
                            }
                            nwords += 1;
                            pending_gap = false;
                            in_word = true;
                        }
                        text.push(b.to_ascii_uppercase() as char);
                    }
                }
            }
            return (nwords > 0).then(|| Phrase {
                text: text.into_boxed_str(),
                gaps,
                trailing_underscore,
            });
        }
        for ch in src.chars() {
            match ch {
                '_' => {
                    in_word = false;
                }
                c if c.is_whitespace() => {
                    if in_word || nwords > 0 {
                        pending_gap = true;
                    }
                    in_word = false;
                }
                c => {
                    if !in_word {
                        if nwords > 0 {
                            text.push(' ');
                            if pending_gap && nwords <= 64 {
                                gaps |= 1 << (nwords - 1);
                            }
                        }
                        nwords += 1;
                        pending_gap = false;
                        in_word = true;
                    }
                    if c.is_ascii() {
                        text.push(c.to_ascii_uppercase());
                    } else {
                        text.extend(c.to_uppercase());
                    }
                }
            }
        }
        if nwords == 0 {
            return None;
        }
        Some(Phrase {
            text: text.into_boxed_str(),
            gaps,
            trailing_underscore,
        })
    }

    /// Builds a phrase from words that must be consecutive.
    pub fn from_words<'a>(words: impl IntoIterator<Item = &'a str>) -> Option<Phrase> {
        let mut text = String::new();
        for w in words {
            let w = w.trim();
            if w.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&w.to_uppercase());
        }
        (!text.is_empty()).then(|| Phrase {
            text: text.into_boxed_str(),
            gaps: 0,
            trailing_underscore: false,
        })
    }

    /// The words joined by single spaces, e.g. `"FOREIGN MINISTER"`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The words in order.
    pub fn words(&self) -> std::str::Split<'_, char> {
        self.text.split(' ')
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.text.bytes().filter(|&b| b == b' ').count() + 1
    }

    /// Always false: a phrase has at least one word.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Whether word `i` and word `i + 1` were joined by a blank in the file
    /// (other words may come between them) rather than by `_`.
    pub fn gap_after(&self, i: usize) -> bool {
        i < 64 && self.gaps & (1 << i) != 0
    }

    /// Whether any join is a blank.
    pub fn has_gaps(&self) -> bool {
        self.gaps != 0
    }

    /// Whether the phrase ended with `_` in the file.
    pub fn trailing_underscore(&self) -> bool {
        self.trailing_underscore
    }

    /// The last word.
    pub fn last_word(&self) -> &str {
        self.text.rsplit(' ').next().unwrap_or(&self.text)
    }

    /// A copy with the last word replaced (joins and flags kept).
    pub fn with_last_word(&self, last: &str) -> Phrase {
        let head = match self.text.rfind(' ') {
            Some(i) => &self.text[..=i],
            None => "",
        };
        let mut text = String::with_capacity(head.len() + last.len());
        text.push_str(head);
        text.push_str(last);
        Phrase {
            text: text.into_boxed_str(),
            gaps: self.gaps,
            trailing_underscore: self.trailing_underscore,
        }
    }
}

impl fmt::Debug for Phrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phrase({:?})", self.text)
    }
}

impl fmt::Display for Phrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Upper-cases into an exactly sized box, without a temporary when the text
/// has no lower-case letters.
pub(crate) fn upper_box(s: &str) -> Box<str> {
    if s.bytes().any(|b| b.is_ascii_lowercase() || b >= 0x80) {
        s.to_uppercase().into_boxed_str()
    } else {
        Box::from(s)
    }
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'A' | b'E' | b'I' | b'O' | b'U')
}

/// The regular English plural of an upper-case word, as the formats
/// generate it automatically (PETRARCH docs: add `S`; `Y` → `IES`; `SS` →
/// `SSES`). dyad also applies the ordinary English rules the docs' three
/// cases approximate: a vowel before `Y` keeps the `Y` (`DAYS`), and words
/// ending in `S`, `X`, `Z`, `CH`, `SH` take `ES`.
pub fn plural(word: &str) -> String {
    let b = word.as_bytes();
    let n = b.len();
    if n == 0 {
        return String::new();
    }
    let last = b[n - 1];
    if last == b'Y' && n >= 2 && !is_vowel(b[n - 2]) {
        return format!("{}IES", &word[..n - 1]);
    }
    if matches!(last, b'S' | b'X' | b'Z') || word.ends_with("CH") || word.ends_with("SH") {
        return format!("{word}ES");
    }
    format!("{word}S")
}

/// The regular forms of an upper-case English verb: third person singular,
/// past (also used as past participle) and present participle. dyad's
/// rules: `-S`/`-ES`/`-IES` as for plurals; past adds `D` after `E`, turns
/// consonant+`Y` into `IED`, else adds `ED`; the participle drops a final
/// `E` after a consonant (not `EE`), else adds `ING`. Consonant doubling is
/// not guessed: the dictionaries give such verbs in `{…}`.
pub fn regular_verb_forms(verb: &str) -> [String; 3] {
    let b = verb.as_bytes();
    let n = b.len();
    let s = plural(verb);
    if n == 0 {
        return [s, String::new(), String::new()];
    }
    let last = b[n - 1];
    let prev = if n >= 2 { b[n - 2] } else { b'A' };
    let ed = if last == b'E' {
        format!("{verb}D")
    } else if last == b'Y' && !is_vowel(prev) && n >= 2 {
        format!("{}IED", &verb[..n - 1])
    } else {
        format!("{verb}ED")
    };
    let ing = if last == b'E' && n > 2 && !is_vowel(prev) {
        format!("{}ING", &verb[..n - 1])
    } else {
        format!("{verb}ING")
    };
    [s, ed, ing]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_joins_and_flags() {
        let p = Phrase::parse("foreign_minister of  state_").unwrap();
        assert_eq!(p.as_str(), "FOREIGN MINISTER OF STATE");
        assert_eq!(p.len(), 4);
        assert!(!p.gap_after(0));
        assert!(p.gap_after(1));
        assert!(p.gap_after(2));
        assert!(p.trailing_underscore());
        assert_eq!(p.last_word(), "STATE");
        assert_eq!(
            p.with_last_word("STATES").as_str(),
            "FOREIGN MINISTER OF STATES"
        );
        assert!(Phrase::parse(" _ _ ").is_none());
    }

    #[test]
    fn plurals_and_verb_forms() {
        assert_eq!(plural("MINISTER"), "MINISTERS");
        assert_eq!(plural("ARMY"), "ARMIES");
        assert_eq!(plural("ENVOY"), "ENVOYS");
        assert_eq!(plural("BOSS"), "BOSSES");
        assert_eq!(plural("CHURCH"), "CHURCHES");
        assert_eq!(
            regular_verb_forms("ACCUSE"),
            ["ACCUSES", "ACCUSED", "ACCUSING"]
        );
        assert_eq!(regular_verb_forms("DENY"), ["DENIES", "DENIED", "DENYING"]);
        assert_eq!(
            regular_verb_forms("ATTACK"),
            ["ATTACKS", "ATTACKED", "ATTACKING"]
        );
        assert_eq!(
            regular_verb_forms("AGREE"),
            ["AGREES", "AGREED", "AGREEING"]
        );
        assert_eq!(regular_verb_forms("PUSH"), ["PUSHES", "PUSHED", "PUSHING"]);
    }
}
