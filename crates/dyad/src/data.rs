//! Where dyad's data comes from: the default dictionaries and model compiled
//! into the binary, or files named on the command line.
//!
//! Dictionaries are classified by file name, as PETRARCH's own
//! configuration does: `*verb*` (or `CAMEO.*`) verb patterns, `*actors*`,
//! `*agents*`, `*discard*`, `*issue*`. Where a directory holds both a
//! PETRARCH-1 and a PETRARCH-2 verb file (the Phoenix set), the PETRARCH-1
//! linear-pattern file is used for coding.

use std::path::{Path, PathBuf};

use dyad_coder::{DictPaths, Dictionaries};
use dyad_nlp::Model;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub use embedded::DICT_VERSION;

/// Errors locating or loading data.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// A directory could not be listed.
    #[error("{path}: cannot read directory: {source}")]
    Dir {
        /// The directory.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// No dictionary files were found.
    #[error("{0}: no dictionary files (*verbs*, *actors*, *agents*, *discards*, *issues*) found")]
    NoDictionaries(String),
    /// Loading dictionaries failed.
    #[error(transparent)]
    Dict(#[from] dyad_coder::dict::DictError),
    /// Loading the model failed.
    #[error(transparent)]
    Model(#[from] dyad_nlp::NlpError),
    /// The binary was built without a model and none was given.
    #[error("no tagger/parser model is compiled into this binary; pass --model PATH (train one with `dyad train`)")]
    NoModel,
}

/// The kind of a dictionary file, judged from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DictKind {
    /// Verb patterns.
    Verbs,
    /// Actors.
    Actors,
    /// Agents.
    Agents,
    /// Discards.
    Discards,
    /// Issues.
    Issues,
}

/// Classifies a dictionary file by its name; `None` for other files.
pub fn dict_kind(name: &str) -> Option<DictKind> {
    let l = name.to_ascii_lowercase();
    if !l.ends_with(".txt") {
        return None;
    }
    if l.contains("verb") || l.starts_with("cameo.") {
        Some(DictKind::Verbs)
    } else if l.contains("actor") {
        Some(DictKind::Actors)
    } else if l.contains("agent") {
        Some(DictKind::Agents)
    } else if l.contains("discard") {
        Some(DictKind::Discards)
    } else if l.contains("issue") {
        Some(DictKind::Issues)
    } else {
        None
    }
}

/// Whether a verb file is in the PETRARCH-2 format (which the coder does
/// not use when a PETRARCH-1 file is present).
fn is_petrarch2_verbs(name: &str) -> bool {
    name.starts_with("CAMEO.2") || name.contains("petrarch2")
}

/// The dictionary files of a directory, by kind.
pub fn dict_paths_in(dir: &Path) -> Result<DictPaths, DataError> {
    let rd = std::fs::read_dir(dir).map_err(|source| DataError::Dir {
        path: dir.display().to_string(),
        source,
    })?;
    let mut files: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    let mut paths = DictPaths::default();
    let mut verbs: Vec<PathBuf> = Vec::new();
    for p in files {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        match dict_kind(&name) {
            Some(DictKind::Verbs) => verbs.push(p),
            Some(DictKind::Actors) => paths.actors.push(p),
            Some(DictKind::Agents) => paths.agents = Some(p),
            Some(DictKind::Discards) => paths.discards = Some(p),
            Some(DictKind::Issues) => paths.issues = Some(p),
            None => {}
        }
    }
    let name_of = |p: &PathBuf| {
        p.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string()
    };
    paths.verbs = verbs
        .iter()
        .find(|p| !is_petrarch2_verbs(&name_of(p)))
        .or(verbs.first())
        .cloned();
    if paths.verbs.is_none() && paths.actors.is_empty() {
        return Err(DataError::NoDictionaries(dir.display().to_string()));
    }
    Ok(paths)
}

/// Loads the dictionaries of a directory.
pub fn dictionaries_from_dir(dir: &Path) -> Result<Dictionaries, DataError> {
    Ok(Dictionaries::load(&dict_paths_in(dir)?)?)
}

/// The default dictionary set compiled into the binary (`data/dict/`).
pub fn default_dictionaries() -> Result<Dictionaries, DataError> {
    let mut d = Dictionaries::empty();
    let files = embedded::DICT_FILES;
    if files.is_empty() {
        return Err(DataError::NoDictionaries("data/dict (compiled in)".into()));
    }
    // Verbs first, then actors, agents, discards, issues: the same order as
    // loading from disk.
    for kind in [
        DictKind::Verbs,
        DictKind::Actors,
        DictKind::Agents,
        DictKind::Discards,
        DictKind::Issues,
    ] {
        for (name, text) in files.iter().filter(|(n, _)| dict_kind(n) == Some(kind)) {
            let file = format!("data/dict/{name}");
            match kind {
                DictKind::Verbs => d.add_verbs(text, &file),
                DictKind::Actors => d.add_actors(text, &file),
                DictKind::Agents => d.add_agents(text, &file),
                DictKind::Discards => d.add_discards(text, &file),
                DictKind::Issues => d.add_issues(text, &file),
            }
        }
    }
    Ok(d)
}

/// The names of the default dictionary files compiled into the binary.
pub fn default_dictionary_names() -> Vec<&'static str> {
    embedded::DICT_FILES.iter().map(|(n, _)| *n).collect()
}

/// Loads the tagger/parser model: the given file, else the one compiled in.
pub fn load_model(path: Option<&Path>) -> Result<Model, DataError> {
    match path {
        Some(p) => Ok(Model::load(p)?),
        None => match embedded::MODEL {
            Some((_, bytes)) => Ok(Model::from_bytes(bytes)?),
            None => Err(DataError::NoModel),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_dictionary_names() {
        assert_eq!(
            dict_kind("CAMEO.verbpatterns.150430.txt"),
            Some(DictKind::Verbs)
        );
        assert_eq!(
            dict_kind("Phoenix.Countries.actors.txt"),
            Some(DictKind::Actors)
        );
        assert_eq!(dict_kind("Phoenix.agents.txt"), Some(DictKind::Agents));
        assert_eq!(dict_kind("Phoenix.discards.txt"), Some(DictKind::Discards));
        assert_eq!(dict_kind("Phoenix.IssueCoding.txt"), Some(DictKind::Issues));
        assert_eq!(dict_kind("LICENSE"), None);
        assert_eq!(dict_kind("README.md"), None);
    }

    #[test]
    fn default_set_is_compiled_in_and_loads() {
        let names = default_dictionary_names();
        assert!(
            names.iter().any(|n| dict_kind(n) == Some(DictKind::Verbs)),
            "{names:?}"
        );
        assert!(
            names.iter().any(|n| dict_kind(n) == Some(DictKind::Actors)),
            "{names:?}"
        );
        let d = default_dictionaries().expect("loads");
        assert!(!d.actors.is_empty());
    }
}
