//! `dyad dict check`: load dictionaries, report every diagnostic, and lint
//! them for duplicates, conflicting codes and overlapping date ranges.
//!
//! Lints are reported as warnings (unknown CAMEO codes are already errors
//! at load):
//! - **duplicate**: the same phrase (or verb, or pattern) twice with the
//!   same code;
//! - **conflict**: the same phrase with different codes (the coder keeps
//!   the first actor/agent match, so the later entry never applies);
//! - **overlap**: two dated restrictions of one actor with different codes
//!   that share more than a boundary day (chained terms such as
//!   `[A 100101-120101]` `[B 120101-…]` are the usual way to write
//!   successions and are not flagged).

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use dyad_core::cameo::Codebook;

use crate::actors::{self, ActorDict, DateKind, DateRestriction};
use crate::agents::{self, AgentDict};
use crate::diag::{Diagnostic, Severity};
use crate::discards::{self, DiscardDict};
use crate::issues::{self, IssueDict};
use crate::set::{read_bytes, read_verbs, LoadError, Verbs};
use crate::verbs::{detect_format, LinearPattern, TreePattern, VerbDict, VerbFormat};

/// The kind of a dictionary file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DictKind {
    /// PETRARCH-1/TABARI verb patterns.
    VerbsP1,
    /// PETRARCH-2 verb patterns.
    VerbsP2,
    /// Actors.
    Actors,
    /// Agents.
    Agents,
    /// Discards.
    Discards,
    /// Issues.
    Issues,
}

impl fmt::Display for DictKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DictKind::VerbsP1 => "verbs (PETRARCH-1)",
            DictKind::VerbsP2 => "verbs (PETRARCH-2)",
            DictKind::Actors => "actors",
            DictKind::Agents => "agents",
            DictKind::Discards => "discards",
            DictKind::Issues => "issues",
        })
    }
}

impl std::str::FromStr for DictKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "verbs" | "verbs1" | "p1" | "verbs-p1" => Ok(DictKind::VerbsP1),
            "verbs2" | "p2" | "verbs-p2" => Ok(DictKind::VerbsP2),
            "actors" => Ok(DictKind::Actors),
            "agents" => Ok(DictKind::Agents),
            "discards" => Ok(DictKind::Discards),
            "issues" => Ok(DictKind::Issues),
            _ => Err(format!(
                "unknown dictionary kind {s:?} (verbs, verbs2, actors, agents, discards, issues)"
            )),
        }
    }
}

/// Detects a file's kind from its name (`*verb*`, `CAMEO.*`, `*actor*`,
/// `*agent*`, `*discard*`, `*issue*`, case-insensitive), else from its
/// content. The verb family is always detected from content.
pub fn detect_kind(path: &Path, bytes: &[u8]) -> Option<DictKind> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let verbs = || match detect_format(bytes) {
        VerbFormat::P1 => DictKind::VerbsP1,
        VerbFormat::P2 => DictKind::VerbsP2,
    };
    if name.contains("verb") || name.starts_with("cameo.") {
        return Some(verbs());
    }
    if name.contains("actor") {
        return Some(DictKind::Actors);
    }
    if name.contains("agent") {
        return Some(DictKind::Agents);
    }
    if name.contains("discard") {
        return Some(DictKind::Discards);
    }
    if name.contains("issue") {
        return Some(DictKind::Issues);
    }
    // Content: count telling line shapes.
    let (mut headers, mut agents, mut issues, mut restrictions) = (0, 0, 0, 0);
    for line in bytes.split(|&b| b == b'\n') {
        if line.starts_with(b"---") {
            headers += 1;
        } else if line.starts_with(b"<ISSUE") {
            issues += 1;
        } else if line.starts_with(b"\t[") || line.starts_with(b"    [") {
            restrictions += 1;
        } else if memchr::memmem::find(line, b"[~").is_some()
            || memchr::memmem::find(line, b"~]").is_some()
        {
            agents += 1;
        }
    }
    if issues > 0 {
        Some(DictKind::Issues)
    } else if headers > 0 {
        Some(verbs())
    } else if agents > 0 && agents >= restrictions {
        Some(DictKind::Agents)
    } else if restrictions > 0 || bytes.windows(2).any(|w| w == b"]\n" || w == b"] ") {
        Some(DictKind::Actors)
    } else if !bytes.is_empty() {
        Some(DictKind::Discards)
    } else {
        None
    }
}

/// One checked file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSummary {
    /// The path as given.
    pub path: String,
    /// The kind it was read as (`None` when it could not be told).
    pub kind: Option<DictKind>,
    /// Entries read (see [`CheckReport`]).
    pub entries: usize,
}

/// The result of [`check`].
///
/// Entry counts: verbs = verb lines + patterns + transformations; actors
/// = entries; agents = records; discards = phrases; issues = phrases +
/// ignore phrases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Files in the order given.
    pub files: Vec<FileSummary>,
    /// Load diagnostics then lint findings.
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckReport {
    /// Total entries.
    pub fn entries(&self) -> usize {
        self.files.iter().map(|f| f.entries).sum()
    }

    /// Number of diagnostics with this severity.
    pub fn count(&self, sev: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == sev)
            .count()
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }
}

impl fmt::Display for CheckReport {
    /// One line per diagnostic (`file:line: severity: cause`), one line per
    /// file (`file: kind, N entries`), then the summary line
    /// `files F entries E errors X warnings W`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.diagnostics {
            writeln!(f, "{}:{}: {}: {}", d.file, d.line, d.severity, d.cause)?;
        }
        for s in &self.files {
            match s.kind {
                Some(k) => writeln!(f, "{}: {k}, {} entries", s.path, s.entries)?,
                None => writeln!(f, "{}: kind not recognised", s.path)?,
            }
        }
        write!(
            f,
            "files {} entries {} errors {} warnings {}",
            self.files.len(),
            self.entries(),
            self.errors(),
            self.warnings()
        )
    }
}

/// Loads and lints dictionary files. Each path may carry an explicit kind;
/// otherwise it is detected ([`detect_kind`]). Actor files are linted
/// together (a phrase in two actor files is a duplicate or a conflict).
/// Verb codes are checked against `book` (see [`crate::codebooks`]). Only
/// an unreadable file is an error.
pub fn check(
    paths: &[(PathBuf, Option<DictKind>)],
    book: &Codebook,
) -> Result<CheckReport, LoadError> {
    let mut report = CheckReport::default();
    let mut all_actors = ActorDict::default();
    for (path, kind) in paths {
        let bytes = read_bytes(path)?;
        let name = path.display().to_string();
        let kind = kind.or_else(|| detect_kind(path, &bytes));
        let mut lint = Vec::new();
        let (entries, diags) = match kind {
            None => {
                report.diagnostics.push(Diagnostic {
                    file: name.as_str().into(),
                    line: 0,
                    severity: Severity::Error,
                    cause: "cannot tell what kind of dictionary this is; give its kind explicitly"
                        .into(),
                });
                (0, Vec::new())
            }
            Some(DictKind::VerbsP1) | Some(DictKind::VerbsP2) => {
                let fmt = if kind == Some(DictKind::VerbsP1) {
                    VerbFormat::P1
                } else {
                    VerbFormat::P2
                };
                let (v, d) = read_verbs(&name, &bytes, fmt, book);
                let n = match &v {
                    Verbs::P1(x) => {
                        lint_verbs(x, &mut lint, |p: &LinearPattern| format!("{:?}", p.elems));
                        x.verb_count() + x.pattern_count() + x.transformations.len()
                    }
                    Verbs::P2(x) => {
                        lint_verbs(x, &mut lint, |p: &TreePattern| {
                            format!("{:?}{:?}", p.before, p.after)
                        });
                        x.verb_count() + x.pattern_count() + x.transformations.len()
                    }
                };
                (n, d)
            }
            Some(DictKind::Actors) => {
                let (a, d) = actors::read(&name, &bytes);
                lint_overlaps(&a, &mut lint);
                let n = a.entries.len();
                all_actors.merge(a);
                (n, d)
            }
            Some(DictKind::Agents) => {
                let (a, d) = agents::read(&name, &bytes);
                lint_agents(&a, &mut lint);
                (a.entries.len(), d)
            }
            Some(DictKind::Discards) => {
                let (a, d) = discards::read(&name, &bytes);
                lint_discards(&a, &mut lint);
                (a.entries.len(), d)
            }
            Some(DictKind::Issues) => {
                let (a, d) = issues::read(&name, &bytes);
                lint_issues(&a, &mut lint);
                (a.entries.len() + a.ignores.len(), d)
            }
        };
        report.diagnostics.extend(diags);
        report.diagnostics.extend(lint);
        report.files.push(FileSummary {
            path: name,
            kind,
            entries,
        });
    }
    let mut lint = Vec::new();
    lint_actor_duplicates(&all_actors, &mut lint);
    report.diagnostics.extend(lint);
    Ok(report)
}

fn finding(file: &str, line: u32, cause: String) -> Diagnostic {
    Diagnostic {
        file: file.into(),
        line,
        severity: Severity::Warning,
        cause,
    }
}

fn actor_signature(e: &actors::ActorEntry) -> String {
    let mut s = String::new();
    if let Some(c) = &e.code {
        s.push_str(c.as_str());
    }
    for r in &e.restrictions {
        s.push_str(&format!(" {}{:?}{:?}{:?}", r.code, r.kind, r.start, r.end));
    }
    s
}

fn describe_codes(e: &actors::ActorEntry) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(c) = &e.code {
        parts.push(c.to_string());
    }
    for r in &e.restrictions {
        parts.push(describe_restriction(r));
    }
    if parts.is_empty() {
        "no code".to_string()
    } else {
        parts.join(" ")
    }
}

fn describe_restriction(r: &DateRestriction) -> String {
    let d = |x: Option<chrono::NaiveDate>| {
        x.map(|d| d.format("%Y%m%d").to_string())
            .unwrap_or_default()
    };
    match r.kind {
        DateKind::Always => format!("[{}]", r.code),
        DateKind::Before => format!("[{} <{}]", r.code, d(r.end)),
        DateKind::After => format!("[{} >{}]", r.code, d(r.start)),
        DateKind::Between => format!("[{} {}-{}]", r.code, d(r.start), d(r.end)),
    }
}

fn lint_actor_duplicates(dict: &ActorDict, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(dict.phrase_count());
    for (i, e) in dict.entries.iter().enumerate() {
        for p in &e.phrases {
            match seen.get(p.as_str()) {
                Some(&j) if j == i => {
                    out.push(finding(
                        dict.file_of(e),
                        e.line,
                        format!("duplicate: phrase {p} appears twice in the same actor entry"),
                    ));
                }
                Some(&j) => {
                    let first = &dict.entries[j];
                    let same = actor_signature(first) == actor_signature(e);
                    let cause = if same {
                        format!(
                            "duplicate: actor phrase {p} is also at {}:{} with the same codes",
                            dict.file_of(first),
                            first.line
                        )
                    } else {
                        format!(
                            "conflict: actor phrase {p} has codes {} here but {} at {}:{}",
                            describe_codes(e),
                            describe_codes(first),
                            dict.file_of(first),
                            first.line
                        )
                    };
                    out.push(finding(dict.file_of(e), e.line, cause));
                }
                None => {
                    seen.insert(p.as_str(), i);
                }
            }
        }
    }
}

fn lint_overlaps(dict: &ActorDict, out: &mut Vec<Diagnostic>) {
    for e in &dict.entries {
        let dated: Vec<&DateRestriction> = e
            .restrictions
            .iter()
            .filter(|r| r.kind != DateKind::Always)
            .collect();
        for (k, a) in dated.iter().enumerate() {
            for b in &dated[k + 1..] {
                if a.code == b.code {
                    continue;
                }
                let lo = |r: &DateRestriction| r.start.unwrap_or(chrono::NaiveDate::MIN);
                let hi = |r: &DateRestriction| r.end.unwrap_or(chrono::NaiveDate::MAX);
                if lo(a) < hi(b) && lo(b) < hi(a) {
                    out.push(finding(
                        dict.file_of(e),
                        b.line,
                        format!(
                            "overlap: date ranges of actor {} overlap: {} (line {}) and {} (line {})",
                            e.phrases[0],
                            describe_restriction(a),
                            a.line,
                            describe_restriction(b),
                            b.line
                        ),
                    ));
                }
            }
        }
    }
}

fn lint_verbs<P>(dict: &VerbDict<P>, out: &mut Vec<Diagnostic>, key: impl Fn(&P) -> String)
where
    P: HasLine,
{
    let file = &*dict.file;
    // Verbs in more than one block.
    let mut verbs: HashMap<&str, (&str, u32, crate::code::VerbCode)> = HashMap::new();
    for b in &dict.blocks {
        for v in &b.verbs {
            let form = v.base.phrase.as_str();
            let code = b.code_of(v);
            match verbs.get(form) {
                Some(&(oname, oline, ocode)) => {
                    let cause = if ocode == code {
                        format!("duplicate: verb {form} is also in block {oname} (line {oline}) with the same code")
                    } else {
                        format!(
                            "conflict: verb {form} has code [{code}] here but [{ocode}] in block {oname} (line {oline})"
                        )
                    };
                    out.push(finding(file, v.line, cause));
                }
                None => {
                    verbs.insert(form, (&b.name, v.line, code));
                }
            }
        }
        // Same pattern twice in a block.
        let mut pats: HashMap<String, &P> = HashMap::new();
        for p in &b.patterns {
            let k = key(p);
            match pats.get(&k) {
                Some(o) => {
                    let cause = if o.code() == p.code() {
                        format!(
                            "duplicate: pattern repeats line {} in block {}",
                            o.line(),
                            b.name
                        )
                    } else {
                        format!(
                            "conflict: pattern repeats line {} in block {} with code [{}] instead of [{}]",
                            o.line(),
                            b.name,
                            p.code(),
                            o.code()
                        )
                    };
                    out.push(finding(file, p.line(), cause));
                }
                None => {
                    pats.insert(k, p);
                }
            }
        }
    }
}

/// Access to a pattern's line and code for the lints.
trait HasLine {
    fn line(&self) -> u32;
    fn code(&self) -> crate::code::VerbCode;
}

impl HasLine for LinearPattern {
    fn line(&self) -> u32 {
        self.line
    }
    fn code(&self) -> crate::code::VerbCode {
        self.code
    }
}

impl HasLine for TreePattern {
    fn line(&self) -> u32 {
        self.line
    }
    fn code(&self) -> crate::code::VerbCode {
        self.code
    }
}

fn lint_agents(dict: &AgentDict, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, u32> = HashMap::new();
    for f in &dict.forms {
        let e = &dict.entries[f.entry as usize];
        match seen.get(f.phrase.as_str()) {
            Some(&j) if j == f.entry => {}
            Some(&j) => {
                let o = &dict.entries[j as usize];
                let cause = if o.code == e.code {
                    format!(
                        "duplicate: agent {} is also at line {} ({})",
                        f.phrase, o.line, o.code
                    )
                } else {
                    format!(
                        "conflict: agent {} is {} here but {} at line {}",
                        f.phrase, e.code, o.code, o.line
                    )
                };
                out.push(finding(&dict.file, e.line, cause));
            }
            None => {
                seen.insert(f.phrase.as_str(), f.entry);
            }
        }
    }
}

fn lint_discards(dict: &DiscardDict, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &discards::DiscardEntry> = HashMap::new();
    for e in &dict.entries {
        match seen.get(&*e.text) {
            Some(o) => {
                let cause = if o.scope == e.scope && o.whole_word == e.whole_word {
                    format!("duplicate: discard {} repeats line {}", e.text, o.line)
                } else {
                    format!(
                        "conflict: discard {} repeats line {} with a different scope or ending",
                        e.text, o.line
                    )
                };
                out.push(finding(&dict.file, e.line, cause));
            }
            None => {
                seen.insert(&e.text, e);
            }
        }
    }
}

fn lint_issues(dict: &IssueDict, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, &issues::IssueEntry> = HashMap::new();
    for e in &dict.entries {
        let mut reported = false;
        for x in e.expansions() {
            match seen.get(&x) {
                Some(o) if std::ptr::eq(*o, e) => {}
                Some(o) => {
                    if !reported {
                        let cause = if o.code == e.code {
                            format!(
                                "duplicate: issue phrase {x} repeats line {} ({})",
                                o.line, o.code
                            )
                        } else {
                            format!(
                                "conflict: issue phrase {x} is {} here but {} at line {}",
                                e.code, o.code, o.line
                            )
                        };
                        out.push(finding(&dict.file, e.line, cause));
                        reported = true;
                    }
                }
                None => {
                    seen.insert(x, e);
                }
            }
        }
    }
}
