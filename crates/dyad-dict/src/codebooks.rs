//! The codebooks dictionaries are checked against.
//!
//! dyad's rule: an event code that the codebook does not know is an error
//! at load and the entry is skipped. The real dictionaries use a few codes
//! CAMEO lacks; rather than defaulting them, dyad declares them in
//! extension tables (`data/cameo/extensions/*.tsv`, format
//! `code<TAB>parent<TAB>note`), loaded with
//! [`Codebook::with_extension_text`]. Each extension code inherits its
//! parent's root, QuadClass, Goldstein value and PLOVER class.
//!
//! - [`standard`]: the builtin CAMEO codebook plus `phoenix.tsv` (the eight
//!   non-CAMEO codes of the Phoenix verb dictionaries). Use it for
//!   production dictionaries.
//! - [`validate_suite`]: [`standard`] plus `petrarch-validate.tsv`, the
//!   legacy WEIS-style codes and placeholders of the PETRARCH unit-test
//!   suite's verb dictionary. Use it only for that suite.
//! - [`for_verbs_file`] picks one by file name.
//!
//! Trailing `!`/`?` after a code (`[080!]`, `[025?]`) are editors' flags the
//! formats do not define; they are read off the code (see
//! [`crate::VerbCode::flag`]), so they need no extension entries.

use std::path::Path;
use std::sync::OnceLock;

use dyad_core::cameo::Codebook;

/// The Phoenix extension table's text.
pub const PHOENIX_EXTENSION: &str = include_str!("../../../data/cameo/extensions/phoenix.tsv");
/// The unit-test-suite extension table's text.
pub const VALIDATE_EXTENSION: &str =
    include_str!("../../../data/cameo/extensions/petrarch-validate.tsv");

fn extend(base: &Codebook, text: &str, origin: &str) -> Codebook {
    // The tables are part of the source tree and checked by tests; should
    // one ever be malformed, fall back to the base codebook so the codes it
    // would have declared are reported as unknown (loudly, never defaulted).
    base.with_extension_text(text, origin)
        .unwrap_or_else(|_| base.clone())
}

/// The builtin CAMEO codebook plus the Phoenix extension table.
pub fn standard() -> &'static Codebook {
    static BOOK: OnceLock<Codebook> = OnceLock::new();
    BOOK.get_or_init(|| {
        extend(
            Codebook::builtin(),
            PHOENIX_EXTENSION,
            "data/cameo/extensions/phoenix.tsv",
        )
    })
}

/// [`standard`] plus the PETRARCH unit-test suite's legacy codes.
pub fn validate_suite() -> &'static Codebook {
    static BOOK: OnceLock<Codebook> = OnceLock::new();
    BOOK.get_or_init(|| {
        extend(
            standard(),
            VALIDATE_EXTENSION,
            "data/cameo/extensions/petrarch-validate.tsv",
        )
    })
}

/// The codebook for a verb file: [`validate_suite`] for the unit-test
/// suite's dictionary (file name starting with `PETR.Validate`), else
/// [`standard`].
pub fn for_verbs_file(path: &Path) -> &'static Codebook {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if name.starts_with("PETR.Validate") {
        validate_suite()
    } else {
        standard()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_tables_parse_and_extend() {
        let base = Codebook::builtin().len();
        Codebook::builtin()
            .with_extension_text(PHOENIX_EXTENSION, "phoenix.tsv")
            .expect("phoenix.tsv is valid");
        assert_eq!(standard().len(), base + 8);
        assert!(standard().contains("1213"));
        assert!(!standard().contains("174K"));
        standard()
            .with_extension_text(VALIDATE_EXTENSION, "petrarch-validate.tsv")
            .expect("petrarch-validate.tsv is valid");
        assert!(validate_suite().contains("174K"));
        assert_eq!(
            validate_suite()
                .get("223")
                .and_then(|c| c.extends.clone())
                .as_deref(),
            Some("19")
        );
    }
}
