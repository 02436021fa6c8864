//! Event codes as written in verb dictionaries: `[042]`, `[---]`,
//! `[013:012]` (active:passive), `[:110]` (inherently passive), `[###]`.
//!
//! Every non-null code is checked against a [`Codebook`] at load time; a code
//! the codebook does not know is an error and the entry carrying it is
//! skipped (never defaulted). See [`crate::codebooks`] for the extension
//! tables that make the legacy codes of the real dictionaries explicit.

use std::fmt;

use dyad_core::cameo::Codebook;

/// A short code string stored inline (no allocation): CAMEO codes are 2–4
/// digits; extension codes are at most 8 bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code {
    buf: [u8; 8],
    len: u8,
}

impl Code {
    /// Makes a code from text of 1 to 8 bytes without whitespace, `[`, `]`
    /// or `:`; `None` otherwise.
    pub fn new(s: &str) -> Option<Code> {
        let b = s.as_bytes();
        if b.is_empty()
            || b.len() > 8
            || b.iter()
                .any(|&c| c.is_ascii_whitespace() || matches!(c, b'[' | b']' | b':'))
        {
            return None;
        }
        let mut buf = [0u8; 8];
        buf[..b.len()].copy_from_slice(b);
        Some(Code {
            buf,
            len: b.len() as u8,
        })
    }

    /// The code text, e.g. `"042"`.
    pub fn as_str(&self) -> &str {
        // Built from a &str cut at its full length, so always valid UTF-8.
        std::str::from_utf8(&self.buf[..self.len as usize]).unwrap_or("")
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Code({})", self.as_str())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One side (active or passive) of a verb code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventCode {
    /// `---`: explicitly no event.
    Null,
    /// `###`: TABARI's discard code (the sentence is not coded). PETRARCH
    /// moved discards to their own file; the code is kept so the coder can
    /// honour legacy dictionaries.
    Discard,
    /// A CAMEO code (or a declared extension code) known to the codebook
    /// the dictionary was loaded with.
    Cameo(Code),
}

impl EventCode {
    /// The CAMEO code, if this is one.
    pub fn cameo(&self) -> Option<&str> {
        match self {
            EventCode::Cameo(c) => Some(c.as_str()),
            _ => None,
        }
    }
}

impl fmt::Display for EventCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventCode::Null => f.write_str("---"),
            EventCode::Discard => f.write_str("###"),
            EventCode::Cameo(c) => f.write_str(c.as_str()),
        }
    }
}

/// A verb or pattern code: `[active]`, `[active:passive]` or `[:passive]`.
///
/// PETRARCH-1 docs: `[active:passive]` gives the code to use when the verb
/// is in the passive voice. PETRARCH-2: an empty active part (`[:110]`) makes
/// the verb "inherently passive" (source and target swap, the passive code
/// is used).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VerbCode {
    /// The active-voice code; `None` only for the `[:passive]` form.
    pub active: Option<EventCode>,
    /// The passive-voice code, when given after `:`.
    pub passive: Option<EventCode>,
    /// An editor's flag character that followed a code in the file (`!` or
    /// `?`, e.g. `[080!]`). The formats do not define it; dyad reads the
    /// code without it and keeps the flag here (a warning is reported).
    pub flag: Option<char>,
}

impl VerbCode {
    /// The null code `[---]`.
    pub const NULL: VerbCode = VerbCode {
        active: Some(EventCode::Null),
        passive: None,
        flag: None,
    };

    /// The code for a voice: the passive code in the passive voice when one
    /// is given, else the active code.
    pub fn for_voice(&self, passive: bool) -> Option<EventCode> {
        if passive {
            self.passive.or(self.active)
        } else {
            self.active
        }
    }

    /// Whether this is the `[:passive]` (inherently passive) form.
    pub fn inherently_passive(&self) -> bool {
        self.active.is_none() && self.passive.is_some()
    }
}

impl fmt::Display for VerbCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(a) = self.active {
            write!(f, "{a}")?;
        }
        if let Some(p) = self.passive {
            write!(f, ":{p}")?;
        }
        Ok(())
    }
}

/// Parses the inside of `[...]` as a verb code and checks it against the
/// codebook. Returns the code plus repair notes (warnings), or the cause of
/// failure (an error).
pub(crate) fn parse_verb_code(
    inner: &str,
    book: &Codebook,
) -> Result<(VerbCode, Option<String>), String> {
    let s = inner.trim();
    if s.is_empty() {
        return Err("empty code `[]`".to_string());
    }
    let mut flag = None;
    let (a, p) = match s.split_once(':') {
        Some((a, p)) => (a.trim(), Some(p.trim())),
        None => (s, None),
    };
    let mut one = |t: &str| -> Result<Option<EventCode>, String> {
        if t.is_empty() {
            return Ok(None);
        }
        let mut t = t;
        if let Some(stripped) = t.strip_suffix(['!', '?']) {
            flag = t.chars().last();
            t = stripped;
        }
        match t {
            "---" => Ok(Some(EventCode::Null)),
            "###" => Ok(Some(EventCode::Discard)),
            _ => {
                let code = Code::new(t).ok_or_else(|| format!("malformed code {t:?}"))?;
                if book.contains(t) {
                    Ok(Some(EventCode::Cameo(code)))
                } else {
                    Err(format!(
                        "code {t} is not in the CAMEO codebook (nor in a loaded extension table); entry skipped"
                    ))
                }
            }
        }
    };
    let active = one(a)?;
    let passive = match p {
        Some(p) => {
            let v = one(p)?;
            if v.is_none() {
                return Err(format!("empty passive code in [{s}]"));
            }
            v
        }
        None => None,
    };
    if active.is_none() && passive.is_none() {
        return Err(format!("no code in [{s}]"));
    }
    let note =
        flag.map(|c| format!("code [{s}] carries an undocumented `{c}` flag; read without it"));
    Ok((
        VerbCode {
            active,
            passive,
            flag,
        },
        note,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_documented_form() {
        let book = Codebook::builtin();
        let (c, n) = parse_verb_code("042", book).unwrap();
        assert_eq!(
            c.active
                .and_then(|a| a.cameo().map(str::to_string))
                .as_deref(),
            Some("042")
        );
        assert!(c.passive.is_none() && n.is_none());
        let (c, _) = parse_verb_code("---", book).unwrap();
        assert_eq!(c, VerbCode::NULL);
        let (c, _) = parse_verb_code("013:012", book).unwrap();
        assert_eq!(c.to_string(), "013:012");
        assert_eq!(
            c.for_voice(true).map(|e| e.to_string()).as_deref(),
            Some("012")
        );
        let (c, _) = parse_verb_code(":110", book).unwrap();
        assert!(c.inherently_passive());
        let (c, _) = parse_verb_code("###", book).unwrap();
        assert_eq!(c.active, Some(EventCode::Discard));
        let (c, n) = parse_verb_code("080!", book).unwrap();
        assert_eq!(c.flag, Some('!'));
        assert_eq!(c.to_string(), "080");
        assert!(n.unwrap().contains("undocumented `!` flag"));
    }

    #[test]
    fn rejects_unknown_and_malformed_codes() {
        let book = Codebook::builtin();
        let e = parse_verb_code("999", book).unwrap_err();
        assert!(e.contains("999 is not in the CAMEO codebook"), "{e}");
        assert!(parse_verb_code("", book).is_err());
        assert!(parse_verb_code("042:", book).is_err());
        assert!(parse_verb_code("0123456789", book).is_err());
    }

    #[test]
    fn code_inline_roundtrip() {
        assert_eq!(Code::new("174K").unwrap().as_str(), "174K");
        assert!(Code::new("a b").is_none());
        assert!(Code::new("123456789").is_none());
    }
}
