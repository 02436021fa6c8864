//! The CAMEO codebook and its PLOVER mapping.
//!
//! The builtin codebook is the data file `data/cameo/codebook.tsv` (built by
//! `tools/build_codebook.py` from the public CAMEO and CAMEO→PLOVER tables),
//! embedded at compile time. Extension tables (`code<TAB>parent<TAB>note`)
//! may add codes that real dictionaries use but the codebook lacks; each
//! extension code inherits root, QuadClass, Goldstein value and PLOVER class
//! from its declared parent, so nothing is ever defaulted silently.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The builtin codebook's source text.
const BUILTIN: &str = include_str!("../../../data/cameo/codebook.tsv");

/// A PLOVER event class with its optional mode and context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plover {
    /// PLOVER event type, e.g. `CONSULT`.
    pub event: String,
    /// PLOVER mode, e.g. `visit`; `None` when the table gives none.
    pub mode: Option<String>,
    /// PLOVER context(s), `;`-separated, e.g. `military`; `None` when absent.
    pub context: Option<String>,
}

/// One CAMEO event code with its attributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CameoCode {
    /// The code itself, e.g. `042` (always a zero-padded string).
    pub code: String,
    /// The two-digit root, e.g. `04`.
    pub root: String,
    /// GDELT QuadClass: 1 verbal cooperation, 2 material cooperation,
    /// 3 verbal conflict, 4 material conflict.
    pub quad_class: u8,
    /// Goldstein conflict–cooperation value in [-10, 10].
    pub goldstein: f32,
    /// The code's name in the CAMEO manual.
    pub name: String,
    /// The PLOVER class, or `None` where PLOVER has no counterpart
    /// (CAMEO roots 01 and 02).
    pub plover: Option<Plover>,
    /// For an extension code, the codebook code it derives from.
    pub extends: Option<String>,
}

/// Errors raised while reading a codebook or an extension table.
#[derive(Debug, thiserror::Error)]
pub enum CodebookError {
    /// A line could not be read.
    #[error("{file}:{line}: {cause}")]
    Line {
        /// File (or origin label) being read.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line.
        cause: String,
    },
    /// The file could not be opened.
    #[error("{file}: {source}")]
    Io {
        /// The path.
        file: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// The set of valid CAMEO codes.
#[derive(Debug, Clone)]
pub struct Codebook {
    codes: Vec<CameoCode>,
    index: HashMap<String, usize>,
}

impl Codebook {
    /// The codebook shipped with dyad (311 CAMEO codes).
    pub fn builtin() -> &'static Codebook {
        static BOOK: OnceLock<Codebook> = OnceLock::new();
        BOOK.get_or_init(|| {
            // The embedded table is checked by this crate's tests; should it
            // ever be malformed, an empty codebook rejects every code loudly.
            Codebook::parse(BUILTIN, "data/cameo/codebook.tsv").unwrap_or_else(|_| Codebook {
                codes: Vec::new(),
                index: HashMap::new(),
            })
        })
    }

    /// Parses a codebook table (`code root quad_class goldstein plover_event
    /// plover_mode plover_context name`, tab-separated, `#` comments, one
    /// header line starting with `code`).
    pub fn parse(text: &str, origin: &str) -> Result<Codebook, CodebookError> {
        let mut book = Codebook {
            codes: Vec::new(),
            index: HashMap::new(),
        };
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let err = |cause: String| CodebookError::Line {
                file: origin.to_string(),
                line,
                cause,
            };
            if raw.trim().is_empty() || raw.starts_with('#') || raw.starts_with("code\t") {
                continue;
            }
            let f: Vec<&str> = raw.split('\t').collect();
            if f.len() != 8 {
                return Err(err(format!(
                    "expected 8 tab-separated fields, found {}",
                    f.len()
                )));
            }
            let code = f[0].trim();
            if !is_code_shape(code) {
                return Err(err(format!("malformed CAMEO code {code:?}")));
            }
            let quad_class: u8 = f[2]
                .trim()
                .parse()
                .ok()
                .filter(|q| (1..=4).contains(q))
                .ok_or_else(|| err(format!("QuadClass {:?} is not 1-4", f[2])))?;
            let goldstein: f32 = f[3]
                .trim()
                .parse()
                .ok()
                .filter(|g: &f32| (-10.0..=10.0).contains(g))
                .ok_or_else(|| err(format!("Goldstein value {:?} is not in [-10, 10]", f[3])))?;
            let opt = |s: &str| {
                let s = s.trim();
                (!s.is_empty()).then(|| s.to_string())
            };
            let plover = opt(f[4]).map(|event| Plover {
                event,
                mode: opt(f[5]),
                context: opt(f[6]),
            });
            book.insert(CameoCode {
                code: code.to_string(),
                root: f[1].trim().to_string(),
                quad_class,
                goldstein,
                name: f[7].trim().to_string(),
                plover,
                extends: None,
            })
            .map_err(err)?;
        }
        Ok(book)
    }

    fn insert(&mut self, c: CameoCode) -> Result<(), String> {
        if self.index.contains_key(&c.code) {
            return Err(format!("duplicate code {}", c.code));
        }
        self.index.insert(c.code.clone(), self.codes.len());
        self.codes.push(c);
        Ok(())
    }

    /// Returns a copy of this codebook extended by an extension table:
    /// `code<TAB>parent<TAB>note` lines (`#` comments allowed). The parent
    /// must already be a known code; the new code inherits its attributes.
    pub fn with_extension_text(&self, text: &str, origin: &str) -> Result<Codebook, CodebookError> {
        let mut book = self.clone();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let err = |cause: String| CodebookError::Line {
                file: origin.to_string(),
                line,
                cause,
            };
            let body = raw.trim();
            if body.is_empty() || body.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = raw.split('\t').collect();
            if f.len() < 2 {
                return Err(err("expected code<TAB>parent<TAB>note".to_string()));
            }
            let (code, parent) = (f[0].trim(), f[1].trim());
            if code.is_empty() || code.len() > 8 || code.chars().any(|c| c.is_whitespace()) {
                return Err(err(format!("malformed extension code {code:?}")));
            }
            let base = book
                .get(parent)
                .ok_or_else(|| err(format!("parent {parent:?} of {code:?} is not a known code")))?
                .clone();
            book.insert(CameoCode {
                code: code.to_string(),
                name: f
                    .get(2)
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .unwrap_or(&base.name)
                    .to_string(),
                extends: Some(base.code.clone()),
                ..base
            })
            .map_err(err)?;
        }
        Ok(book)
    }

    /// Like [`Codebook::with_extension_text`], reading the table from a file.
    pub fn with_extensions(&self, path: &Path) -> Result<Codebook, CodebookError> {
        let text = std::fs::read_to_string(path).map_err(|source| CodebookError::Io {
            file: path.display().to_string(),
            source,
        })?;
        self.with_extension_text(&text, &path.display().to_string())
    }

    /// Looks a code up.
    pub fn get(&self, code: &str) -> Option<&CameoCode> {
        self.index.get(code).map(|&i| &self.codes[i])
    }

    /// Whether the code is known.
    pub fn contains(&self, code: &str) -> bool {
        self.index.contains_key(code)
    }

    /// All codes, in codebook order.
    pub fn iter(&self) -> impl Iterator<Item = &CameoCode> {
        self.codes.iter()
    }

    /// Number of codes.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the codebook is empty.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

/// A CAMEO code is 2 to 4 ASCII digits.
fn is_code_shape(code: &str) -> bool {
    (2..=4).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit())
}

impl fmt::Display for CameoCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_has_every_code_with_sane_attributes() {
        let book = Codebook::builtin();
        assert_eq!(book.len(), 311);
        for c in book.iter() {
            assert!(c.code.starts_with(&c.root), "{} root {}", c.code, c.root);
            assert_eq!(c.root.len(), 2);
        }
        let consult = book.get("042").expect("042 exists");
        assert_eq!(consult.quad_class, 1);
        assert_eq!(
            consult.plover.as_ref().map(|p| p.event.as_str()),
            Some("CONSULT")
        );
        assert_eq!(book.get("190").map(|c| c.quad_class), Some(4));
        assert!(book.get("01").and_then(|c| c.plover.as_ref()).is_none());
        assert!(!book.contains("999"));
    }

    #[test]
    fn the_twenty_roots_are_all_present() {
        let book = Codebook::builtin();
        for r in 1..=20 {
            let root = format!("{r:02}");
            assert!(book.contains(&root), "root {root} missing");
        }
    }

    #[test]
    fn extension_inherits_from_parent_and_rejects_unknown_parent() {
        let book = Codebook::builtin();
        let ext = book
            .with_extension_text("# test\n0110\t011\tvariant\n", "ext.tsv")
            .expect("valid extension");
        let c = ext.get("0110").expect("added");
        assert_eq!(c.root, "01");
        assert_eq!(c.extends.as_deref(), Some("011"));
        let bad = book
            .with_extension_text("x1\t999\tnote\n", "ext.tsv")
            .unwrap_err();
        assert_eq!(
            bad.to_string(),
            "ext.tsv:1: parent \"999\" of \"x1\" is not a known code"
        );
        let dup = book
            .with_extension_text("042\t04\tdup\n", "ext.tsv")
            .unwrap_err();
        assert!(dup.to_string().contains("duplicate code 042"));
    }

    #[test]
    fn malformed_rows_name_the_line() {
        let text = "code\troot\tq\tg\te\tm\tc\tn\n010\t01\t9\t0.0\t\t\t\tbad quad\n";
        let e = Codebook::parse(text, "book.tsv").unwrap_err();
        assert_eq!(e.to_string(), "book.tsv:2: QuadClass \"9\" is not 1-4");
        let e = Codebook::parse("010\t01\n", "book.tsv").unwrap_err();
        assert!(e.to_string().starts_with("book.tsv:1: expected 8"));
    }
}
