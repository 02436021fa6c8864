//! Abbreviation and word lists used by the tokenizer, the sentence splitter
//! and the layout analysis. Kept as small sorted tables searched with
//! `binary_search` or short `match`es: no hashing and no allocation.

/// How an abbreviation that keeps its final period behaves at a possible
/// sentence boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AbbrevClass {
    /// Titles and similar ("Mr.", "Gen.", "No." before a number): never end a sentence.
    Never,
    /// "Inc.", "etc.", "Jr.", "Calif.": end a sentence when the next word is capitalised.
    IfCapitalised,
    /// Acronyms and initials ("U.S.", "J.", "p.m."): end a sentence only when
    /// the next word is a common sentence opener ("The", "He", ...).
    IfOpener,
    /// Month abbreviations: never before a number, otherwise like `IfCapitalised`.
    Month,
}

/// Capitalised abbreviations that precede a name or number ("Gen. Smith").
/// Lower-cased, without the period, sorted.
const TITLES: &[&str] = &[
    "adm", "attn", "atty", "brig", "capt", "cdr", "cmdr", "col", "cpl", "det", "dr", "fig", "figs",
    "fr", "ft", "gen", "gens", "gov", "hon", "insp", "lt", "maj", "messrs", "mr", "mrs", "ms",
    "mt", "no", "nos", "pres", "prof", "pvt", "rep", "reps", "rev", "sen", "sens", "sgt", "sr",
    "st", "supt", "vol", "vols",
];

/// Abbreviations that often end a sentence (companies, states, "etc.").
/// Lower-cased, without the period, sorted.
const ENDERS: &[&str] = &[
    "ala", "approx", "ariz", "ark", "ave", "blvd", "bros", "calif", "co", "colo", "conn", "corp",
    "dept", "esq", "est", "etc", "fla", "ga", "ill", "inc", "ind", "jr", "kan", "ky", "la", "ltd",
    "mass", "md", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore", "pa", "plc",
    "rd", "tenn", "tex", "va", "vt", "wash", "wis", "wyo",
];

/// Lower-case abbreviations allowed in lower case ("etc.", "vs.").
const LOWER_OK: &[&str] = &["approx", "e.g", "etc", "i.e", "v", "vs"];

/// Month (and weekday) abbreviations, lower-cased, sorted.
const MONTHS: &[&str] = &[
    "apr", "aug", "dec", "feb", "fri", "jan", "jul", "jun", "mar", "mon", "nov", "oct", "sat",
    "sep", "sept", "sun", "thu", "thur", "thurs", "tue", "tues", "wed",
];

fn lower_ascii_into<'a>(s: &str, buf: &'a mut [u8; 16]) -> Option<&'a str> {
    if s.len() > buf.len() || !s.is_ascii() {
        return None;
    }
    for (d, b) in buf.iter_mut().zip(s.bytes()) {
        *d = b.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..s.len()]).ok()
}

/// Classifies `word` (WITHOUT its final period) as an abbreviation that keeps
/// the period, given whether the next chunk starts with a digit.
/// Returns `None` when the period is sentence punctuation.
pub(crate) fn classify(word: &str, next_is_digit: bool) -> Option<AbbrevClass> {
    let bytes = word.as_bytes();
    if bytes.is_empty() || bytes.len() > 16 {
        return None;
    }
    let first = bytes[0];
    // Single letter: an initial ("J. R. R. Tolkien") or part of an acronym.
    if bytes.len() == 1 {
        return if first.is_ascii_alphabetic() {
            Some(AbbrevClass::IfOpener)
        } else {
            None
        };
    }
    // Dotted acronym "U.S" / "a.m" / "e.g" (the final period is not in `word`).
    if is_dotted_acronym(bytes) {
        let mut buf = [0u8; 16];
        if let Some(l) = lower_ascii_into(word, &mut buf) {
            if l == "e.g" || l == "i.e" {
                return Some(AbbrevClass::Never);
            }
        }
        return Some(AbbrevClass::IfOpener);
    }
    if !bytes.iter().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut buf = [0u8; 16];
    let lower = lower_ascii_into(word, &mut buf)?;
    let capitalised = first.is_ascii_uppercase();
    if !capitalised && LOWER_OK.binary_search(&lower).is_err() {
        return None;
    }
    if lower == "no" || lower == "nos" {
        // "No. 5" is an abbreviation; "said no." is not.
        return if next_is_digit {
            Some(AbbrevClass::Never)
        } else {
            None
        };
    }
    if TITLES.binary_search(&lower).is_ok() {
        // "Sr." like "Jr." often ends a sentence after a name.
        if lower == "sr" {
            return Some(AbbrevClass::IfCapitalised);
        }
        return Some(AbbrevClass::Never);
    }
    if lower == "v" || lower == "vs" {
        return Some(AbbrevClass::Never);
    }
    if MONTHS.binary_search(&lower).is_ok() {
        return Some(AbbrevClass::Month);
    }
    if ENDERS.binary_search(&lower).is_ok() {
        return Some(AbbrevClass::IfCapitalised);
    }
    None
}

/// "U.S", "a.m", "D.C", "F.O.B": single letters separated by periods.
fn is_dotted_acronym(b: &[u8]) -> bool {
    if b.len() < 3 || b.len().is_multiple_of(2) {
        return false;
    }
    b.iter().enumerate().all(|(i, &c)| {
        if i % 2 == 0 {
            c.is_ascii_alphabetic()
        } else {
            c == b'.'
        }
    })
}

/// Words that commonly open a sentence; used after ambiguous abbreviations
/// ("in the U.S. The talks ...") and for short sentence-case headings.
const OPENERS: &[&str] = &[
    "a",
    "according",
    "after",
    "also",
    "although",
    "an",
    "and",
    "another",
    "as",
    "at",
    "because",
    "before",
    "both",
    "but",
    "despite",
    "dr",
    "during",
    "each",
    "earlier",
    "for",
    "he",
    "her",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "it",
    "its",
    "last",
    "later",
    "many",
    "meanwhile",
    "most",
    "mr",
    "mrs",
    "ms",
    "my",
    "no",
    "now",
    "officials",
    "on",
    "one",
    "other",
    "our",
    "police",
    "she",
    "since",
    "so",
    "some",
    "still",
    "such",
    "that",
    "the",
    "their",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "under",
    "we",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "why",
    "with",
    "without",
    "yet",
    "you",
];

/// Is `word` (any case) a common sentence opener?
pub(crate) fn is_opener(word: &str) -> bool {
    let mut buf = [0u8; 16];
    match lower_ascii_into(word, &mut buf) {
        Some(l) => OPENERS.binary_search(&l).is_ok(),
        None => false,
    }
}

/// Function words that a heading never ends with ("The Iraqi Ministry of").
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "after", "against", "an", "and", "are", "as", "at", "be", "been", "before",
    "between", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has",
    "have", "he", "her", "his", "if", "in", "into", "is", "it", "its", "may", "might", "must",
    "nor", "of", "on", "or", "over", "said", "shall", "she", "should", "than", "that", "the",
    "their", "there", "they", "this", "to", "under", "was", "we", "were", "which", "who", "will",
    "with", "would",
];

/// Is `word` a function word that cannot end a heading?
pub(crate) fn is_function_word(word: &str) -> bool {
    let mut buf = [0u8; 16];
    match lower_ascii_into(word, &mut buf) {
        Some(l) => FUNCTION_WORDS.binary_search(&l).is_ok(),
        None => false,
    }
}

/// Prefixes that EWT keeps attached to the rest of a hyphenated word
/// ("anti-American", "non-stop", "e-mail"); every other hyphen is split off.
const KEEP_PREFIXES: &[&str] = &[
    "anti", "co", "counter", "cross", "e", "ex", "inter", "intra", "meta", "micro", "mid", "multi",
    "neo", "non", "over", "post", "pre", "pro", "re", "semi", "socio", "sub", "super", "trans",
    "ultra", "un",
];

/// Does EWT keep `prefix-rest` as one token?
pub(crate) fn keeps_hyphen(prefix: &str) -> bool {
    let mut buf = [0u8; 16];
    match lower_ascii_into(prefix, &mut buf) {
        Some(l) => KEEP_PREFIXES.binary_search(&l).is_ok(),
        None => false,
    }
}

/// Full month names and abbreviations, for datelines: returns the month number.
pub(crate) fn month_number(word: &str) -> Option<u8> {
    let w = word.strip_suffix('.').unwrap_or(word);
    let mut buf = [0u8; 16];
    let l = lower_ascii_into(w, &mut buf)?;
    let n = match l {
        "jan" | "january" => 1,
        "feb" | "february" => 2,
        "mar" | "march" => 3,
        "apr" | "april" => 4,
        "may" => 5,
        "jun" | "june" => 6,
        "jul" | "july" => 7,
        "aug" | "august" => 8,
        "sep" | "sept" | "september" => 9,
        "oct" | "october" => 10,
        "nov" | "november" => 11,
        "dec" | "december" => 12,
        _ => return None,
    };
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_for_binary_search() {
        for t in [
            TITLES,
            ENDERS,
            LOWER_OK,
            MONTHS,
            OPENERS,
            FUNCTION_WORDS,
            KEEP_PREFIXES,
        ] {
            let mut s = t.to_vec();
            s.sort();
            assert_eq!(s, t.to_vec());
        }
    }

    #[test]
    fn classes() {
        assert_eq!(classify("Gen", false), Some(AbbrevClass::Never));
        assert_eq!(classify("U.S", false), Some(AbbrevClass::IfOpener));
        assert_eq!(classify("Inc", false), Some(AbbrevClass::IfCapitalised));
        assert_eq!(classify("No", true), Some(AbbrevClass::Never));
        assert_eq!(classify("no", false), None);
        assert_eq!(classify("talks", false), None);
        assert_eq!(classify("gen", false), None);
        assert_eq!(classify("Jan", true), Some(AbbrevClass::Month));
    }
}
