//! Locating and loading the default dictionary set.

use std::path::{Path, PathBuf};

use dyad_core::cameo::Codebook;
use dyad_dict::{Diagnostic, DictionarySet, LoadError, SetPaths};

/// The actor files of the default set, in load order. The coder keeps the
/// first match for a phrase, so hand-curated people come before the
/// generated leaders, and specific groups before countries.
pub const ACTOR_FILES: &[&str] = &[
    "dyad.people.actors.txt",
    "dyad.leaders.actors.txt",
    "dyad.armedgroups.actors.txt",
    "dyad.parties.actors.txt",
    "dyad.igos.actors.txt",
    "dyad.ngos_media.actors.txt",
    "dyad.countries.actors.txt",
];

/// The directory of the default dictionaries: `$DYAD_DICT_DIR` when set,
/// else `data/dict` in the source tree this crate was built from.
pub fn default_dict_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("DYAD_DICT_DIR") {
        return PathBuf::from(d);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/dict")
}

/// The roles of the files in a default-layout dictionary directory.
pub fn default_set_paths(dir: &Path) -> SetPaths {
    SetPaths {
        verbs: Some(dir.join("dyad.verbs.txt")),
        actors: ACTOR_FILES.iter().map(|f| dir.join(f)).collect(),
        agents: Some(dir.join("dyad.agents.txt")),
        discards: Some(dir.join("dyad.discards.txt")),
        issues: Some(dir.join("dyad.issues.txt")),
    }
}

/// Loads the default set from `dir` with the builtin codebook. Returns the
/// set and every diagnostic; only an unreadable file is an error.
pub fn load_default(dir: &Path) -> Result<(DictionarySet, Vec<Diagnostic>), LoadError> {
    DictionarySet::load_paths(&default_set_paths(dir), Codebook::builtin())
}

/// A bracketed event code in a verbs file that the codebook lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    /// 1-based line.
    pub line: usize,
    /// The code as written.
    pub code: String,
}

/// Scans a PETRARCH-1 verbs file's text for every `[code]` and
/// `[active:passive]` on block headers, verb lines and patterns, and
/// returns the codes the codebook does not contain (`---` and `###` are
/// the null and discard codes and always allowed). Independent of the
/// reader, so a reader that skipped an entry cannot hide a bad code.
pub fn codes_not_in_codebook(text: &str, book: &Codebook) -> Vec<UnknownCode> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("");
        let mut rest = line;
        while let Some(open) = rest.find('[') {
            let after = &rest[open + 1..];
            let Some(close) = after.find(']') else { break };
            let inner = &after[..close];
            rest = &after[close + 1..];
            for part in inner.split(':') {
                let code = part.trim();
                if code.is_empty() || code == "---" || code == "###" {
                    continue;
                }
                if !book.contains(code) {
                    out.push(UnknownCode {
                        line: i + 1,
                        code: code.to_string(),
                    });
                }
            }
        }
    }
    out
}
