//! Loading dictionaries from files, one at a time or as a whole set.

use std::path::{Path, PathBuf};
use std::sync::Arc;

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

/// A parsing job of [`DictionarySet::load`].
enum Job<'a> {
    Verbs {
        name: Arc<str>,
        bytes: &'a [u8],
        first_line: u32,
        format: VerbFormat,
    },
    Agents(&'a str, &'a [u8]),
    Discards(&'a str, &'a [u8]),
    Issues(&'a str, &'a [u8]),
    Actors {
        file: usize,
        piece: usize,
        name: Arc<str>,
        bytes: &'a [u8],
        first_line: u32,
    },
}

/// A finished job.
enum Done {
    VerbsP1(VerbDictP1, Vec<Diagnostic>),
    VerbsP2(VerbDictP2, Vec<Diagnostic>),
    Agents(AgentDict, Vec<Diagnostic>),
    Discards(DiscardDict, Vec<Diagnostic>),
    Issues(IssueDict, Vec<Diagnostic>),
    Actors {
        file: usize,
        piece: usize,
        name: Arc<str>,
        entries: Vec<crate::actors::ActorEntry>,
        diags: Vec<Diagnostic>,
    },
}

impl Job<'_> {
    fn run(&self, book: &Codebook) -> Done {
        match *self {
            Job::Verbs {
                ref name,
                bytes,
                first_line,
                format,
            } => match format {
                VerbFormat::P1 => {
                    let (v, g) = verbs::read_piece_p1(name.clone(), bytes, first_line, book);
                    Done::VerbsP1(v, g)
                }
                VerbFormat::P2 => {
                    let (v, g) = verbs::read_piece_p2(name.clone(), bytes, first_line, book);
                    Done::VerbsP2(v, g)
                }
            },
            Job::Agents(n, b) => {
                let (a, g) = agents::read(n, b);
                Done::Agents(a, g)
            }
            Job::Discards(n, b) => {
                let (a, g) = discards::read(n, b);
                Done::Discards(a, g)
            }
            Job::Issues(n, b) => {
                let (a, g) = issues::read(n, b);
                Done::Issues(a, g)
            }
            Job::Actors {
                file,
                piece,
                ref name,
                bytes,
                first_line,
            } => {
                let (entries, diags) = actors::read_part(name.clone(), bytes, first_line);
                Done::Actors {
                    file,
                    piece,
                    name: name.clone(),
                    entries,
                    diags,
                }
            }
        }
    }
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
    /// [`crate::codebooks`]). Returns the set and every diagnostic (grouped
    /// by file: verbs, agents, discards, issues, then the actor files in the
    /// order given); only an unreadable file is an error.
    ///
    /// The files are read first; parsing then runs on up to two threads
    /// (dyad targets 2-core machines), with large actor files cut at entry
    /// boundaries into pieces that parse independently.
    pub fn load(
        verbs: Option<&Path>,
        actors: &[&Path],
        agents: Option<&Path>,
        discards: Option<&Path>,
        issues: Option<&Path>,
        book: &Codebook,
    ) -> Result<(DictionarySet, Vec<Diagnostic>), LoadError> {
        let read = |p: Option<&Path>| -> Result<Option<(String, Vec<u8>)>, LoadError> {
            p.map(|p| read_bytes(p).map(|b| (name(p), b))).transpose()
        };
        let verb_file = read(verbs)?;
        let agent_file = read(agents)?;
        let discard_file = read(discards)?;
        let issue_file = read(issues)?;
        let actor_files: Vec<(Arc<str>, Vec<u8>)> = actors
            .iter()
            .map(|p| read_bytes(p).map(|b| (Arc::from(name(p)), b)))
            .collect::<Result<_, _>>()?;
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(2);

        // Jobs, with their sizes for scheduling.
        let mut jobs: Vec<(usize, Job<'_>)> = Vec::new();
        const SPLIT_BYTES: usize = 256 * 1024;
        if let Some((n, b)) = &verb_file {
            let name: Arc<str> = Arc::from(n.as_str());
            let format = verbs::detect_format(b);
            let cuts = if threads > 1 && b.len() > SPLIT_BYTES {
                verbs::split_points(b, threads)
            } else {
                Vec::new()
            };
            let mut start = 0usize;
            let mut first_line = 0u32;
            for end in cuts.iter().copied().chain(std::iter::once(b.len())) {
                let piece = &b[start..end];
                jobs.push((
                    piece.len(),
                    Job::Verbs {
                        name: name.clone(),
                        bytes: piece,
                        first_line,
                        format,
                    },
                ));
                first_line += memchr::memchr_iter(b'\n', piece).count() as u32;
                start = end;
            }
        }
        if let Some((n, b)) = &agent_file {
            jobs.push((b.len(), Job::Agents(n, b)));
        }
        if let Some((n, b)) = &discard_file {
            jobs.push((b.len(), Job::Discards(n, b)));
        }
        if let Some((n, b)) = &issue_file {
            jobs.push((b.len(), Job::Issues(n, b)));
        }
        for (fi, (n, b)) in actor_files.iter().enumerate() {
            let cuts = if threads > 1 && b.len() > SPLIT_BYTES {
                actors::split_points(b, threads)
            } else {
                Vec::new()
            };
            let mut start = 0usize;
            let mut first_line = 0u32;
            for (pi, end) in cuts
                .iter()
                .copied()
                .chain(std::iter::once(b.len()))
                .enumerate()
            {
                let piece = &b[start..end];
                jobs.push((
                    piece.len(),
                    Job::Actors {
                        file: fi,
                        piece: pi,
                        name: n.clone(),
                        bytes: piece,
                        first_line,
                    },
                ));
                first_line += memchr::memchr_iter(b'\n', piece).count() as u32;
                start = end;
            }
        }
        // Largest first, then handed out to the workers as they free up.
        let mut order: Vec<usize> = (0..jobs.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(jobs[i].0));
        let next = std::sync::atomic::AtomicUsize::new(0);
        let run = |book: &Codebook| -> Vec<(usize, Done)> {
            let mut out = Vec::new();
            loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&i) = order.get(k) else { break };
                out.push((i, jobs[i].1.run(book)));
            }
            out
        };
        let mut done: Vec<(usize, Done)> = if threads > 1 && jobs.len() > 1 {
            std::thread::scope(|s| {
                let h = s.spawn(|| run(book));
                let mut mine = run(book);
                // A worker that panicked loses only its own results; the
                // readers do not panic (see the fuzz tests).
                mine.extend(h.join().unwrap_or_default());
                mine
            })
        } else {
            run(book)
        };
        done.sort_by_key(|(i, _)| *i);

        let mut set = DictionarySet {
            verbs: None,
            actors: ActorDict::default(),
            agents: None,
            discards: None,
            issues: None,
        };
        let mut diags = Vec::new();
        let mut actor_diags = Vec::new();
        let mut p1_pieces = Vec::new();
        let mut p2_pieces = Vec::new();
        for (_, d) in done {
            match d {
                Done::VerbsP1(v, g) => p1_pieces.push((v, g)),
                Done::VerbsP2(v, g) => p2_pieces.push((v, g)),
                Done::Agents(a, g) => {
                    set.agents = Some(a);
                    diags.extend(g);
                }
                Done::Discards(a, g) => {
                    set.discards = Some(a);
                    diags.extend(g);
                }
                Done::Issues(a, g) => {
                    set.issues = Some(a);
                    diags.extend(g);
                }
                Done::Actors {
                    file,
                    piece,
                    name,
                    entries,
                    diags: g,
                } => {
                    if piece == 0 {
                        set.actors.files.push(name);
                    }
                    let fidx = (set.actors.files.len() - 1) as u16;
                    debug_assert_eq!(fidx as usize, file);
                    set.actors.entries.extend(entries.into_iter().map(|mut e| {
                        e.file = fidx;
                        e
                    }));
                    actor_diags.extend(g);
                }
            }
        }
        // Verb pieces came first in job order, so they are in file order.
        let mut verb_diags = Vec::new();
        if !p1_pieces.is_empty() {
            let (v, g) = verbs::merge_p1(p1_pieces);
            set.verbs = Some(Verbs::P1(v));
            verb_diags = g;
        } else if !p2_pieces.is_empty() {
            let (v, g) = verbs::merge_p2(p2_pieces);
            set.verbs = Some(Verbs::P2(v));
            verb_diags = g;
        }
        verb_diags.extend(diags);
        verb_diags.extend(actor_diags);
        Ok((set, verb_diags))
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
