//! Loading dictionaries from files, one at a time or as a whole set.

use std::path::{Path, PathBuf};

use dyad_core::cameo::Codebook;

use crate::actors::{self, ActorDict};
use crate::agents::{self, AgentDict};
use crate::diag::Diagnostic;
use crate::discards::{self, DiscardDict};
use crate::issues::{self, IssueDict};
use crate::verbs::{self, VerbDictP1, VerbDictP2, VerbFormat};

/// The only hard failure: a file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// Reading a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
}

/// Reads a whole file.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, LoadError> {
    std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.display().to_string(),
        source,
    })
}

fn name(path: &Path) -> String {
    path.display().to_string()
}

/// A verb dictionary of either family.
#[derive(Debug, Clone, PartialEq)]
pub enum Verbs {
    /// PETRARCH-1/TABARI linear patterns.
    P1(VerbDictP1),
    /// PETRARCH-2 tree patterns.
    P2(VerbDictP2),
}

impl Verbs {
    /// Number of patterns.
    pub fn pattern_count(&self) -> usize {
        match self {
            Verbs::P1(d) => d.pattern_count(),
            Verbs::P2(d) => d.pattern_count(),
        }
    }

    /// Number of verb lines.
    pub fn verb_count(&self) -> usize {
        match self {
            Verbs::P1(d) => d.verb_count(),
            Verbs::P2(d) => d.verb_count(),
        }
    }
}

/// Reads verbs from bytes in the given format.
pub fn read_verbs(
    file: &str,
    bytes: &[u8],
    format: VerbFormat,
    book: &Codebook,
) -> (Verbs, Vec<Diagnostic>) {
    match format {
        VerbFormat::P1 => {
            let (d, g) = verbs::read_p1(file, bytes, book);
            (Verbs::P1(d), g)
        }
        VerbFormat::P2 => {
            let (d, g) = verbs::read_p2(file, bytes, book);
            (Verbs::P2(d), g)
        }
    }
}

/// Loads a verb file, detecting its format from the content.
pub fn load_verbs(path: &Path, book: &Codebook) -> Result<(Verbs, Vec<Diagnostic>), LoadError> {
    let bytes = read_bytes(path)?;
    let fmt = verbs::detect_format(&bytes);
    Ok(read_verbs(&name(path), &bytes, fmt, book))
}

/// Loads an actor file.
pub fn load_actors(path: &Path) -> Result<(ActorDict, Vec<Diagnostic>), LoadError> {
    Ok(actors::read(&name(path), &read_bytes(path)?))
}

/// Loads an agent file.
pub fn load_agents(path: &Path) -> Result<(AgentDict, Vec<Diagnostic>), LoadError> {
    Ok(agents::read(&name(path), &read_bytes(path)?))
}

/// Loads a discard file.
pub fn load_discards(path: &Path) -> Result<(DiscardDict, Vec<Diagnostic>), LoadError> {
    Ok(discards::read(&name(path), &read_bytes(path)?))
}

/// Loads an issues file.
pub fn load_issues(path: &Path) -> Result<(IssueDict, Vec<Diagnostic>), LoadError> {
    Ok(issues::read(&name(path), &read_bytes(path)?))
}

/// The files of a dictionary set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SetPaths {
    /// The verb file (either family; detected from content).
    pub verbs: Option<PathBuf>,
    /// Actor files, merged in order.
    pub actors: Vec<PathBuf>,
    /// The agent file.
    pub agents: Option<PathBuf>,
    /// The discard file.
    pub discards: Option<PathBuf>,
    /// The issues file.
    pub issues: Option<PathBuf>,
}

impl SetPaths {
    /// Resolves relative names against `dir` (as PETRARCH XML
    /// `<Environment>` names are resolved against the dictionary folder).
    pub fn resolve_in(&self, dir: &Path) -> SetPaths {
        let r = |p: &PathBuf| {
            if p.is_absolute() {
                p.clone()
            } else {
                dir.join(p)
            }
        };
        SetPaths {
            verbs: self.verbs.as_ref().map(r),
            actors: self.actors.iter().map(r).collect(),
            agents: self.agents.as_ref().map(r),
            discards: self.discards.as_ref().map(r),
            issues: self.issues.as_ref().map(r),
        }
    }
}

/// A loaded dictionary set: what the coder needs.
#[derive(Debug, Clone, PartialEq)]
pub struct DictionarySet {
    /// Verb patterns.
    pub verbs: Option<Verbs>,
    /// Actors from all actor files.
    pub actors: ActorDict,
    /// Agents.
    pub agents: Option<AgentDict>,
    /// Discards.
    pub discards: Option<DiscardDict>,
    /// Issues.
    pub issues: Option<IssueDict>,
}

impl DictionarySet {
    /// Loads the given files. Verb codes are checked against `book` (see
    /// [`crate::codebooks`]). Actor files are read on a second thread while
    /// the others are read on this one. Returns the set and every
    /// diagnostic (grouped by file, in the order files were given); only an
    /// unreadable file is an error.
    pub fn load(
        verbs: Option<&Path>,
        actors: &[&Path],
        agents: Option<&Path>,
        discards: Option<&Path>,
        issues: Option<&Path>,
        book: &Codebook,
    ) -> Result<(DictionarySet, Vec<Diagnostic>), LoadError> {
        let (actor_res, rest) = std::thread::scope(|s| {
            let h = s.spawn(|| -> Result<(ActorDict, Vec<Diagnostic>), LoadError> {
                let mut all = ActorDict::default();
                let mut diags = Vec::new();
                for p in actors {
                    let (d, g) = load_actors(p)?;
                    all.merge(d);
                    diags.extend(g);
                }
                Ok((all, diags))
            });
            let rest = (|| -> Result<_, LoadError> {
                let mut diags = Vec::new();
                let v = match verbs {
                    Some(p) => {
                        let (d, g) = load_verbs(p, book)?;
                        diags.extend(g);
                        Some(d)
                    }
                    None => None,
                };
                let a = match agents {
                    Some(p) => {
                        let (d, g) = load_agents(p)?;
                        diags.extend(g);
                        Some(d)
                    }
                    None => None,
                };
                let d = match discards {
                    Some(p) => {
                        let (d, g) = load_discards(p)?;
                        diags.extend(g);
                        Some(d)
                    }
                    None => None,
                };
                let i = match issues {
                    Some(p) => {
                        let (d, g) = load_issues(p)?;
                        diags.extend(g);
                        Some(d)
                    }
                    None => None,
                };
                Ok((v, a, d, i, diags))
            })();
            let actor_res = h.join().unwrap_or_else(|_| {
                Err(LoadError::Io {
                    path: "actors".to_string(),
                    source: std::io::Error::other("actor reader thread panicked"),
                })
            });
            (actor_res, rest)
        });
        let (actors, actor_diags) = actor_res?;
        let (verbs, agents, discards, issues, mut diags) = rest?;
        diags.extend(actor_diags);
        Ok((
            DictionarySet {
                verbs,
                actors,
                agents,
                discards,
                issues,
            },
            diags,
        ))
    }

    /// [`DictionarySet::load`] from a [`SetPaths`].
    pub fn load_paths(
        paths: &SetPaths,
        book: &Codebook,
    ) -> Result<(DictionarySet, Vec<Diagnostic>), LoadError> {
        let actors: Vec<&Path> = paths.actors.iter().map(PathBuf::as_path).collect();
        DictionarySet::load(
            paths.verbs.as_deref(),
            &actors,
            paths.agents.as_deref(),
            paths.discards.as_deref(),
            paths.issues.as_deref(),
            book,
        )
    }
}
