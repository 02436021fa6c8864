//! The validation harness: code every record of a PETRARCH XML file and compare with the gold
//! `<EventCoding>` lines.

use crate::coder::{Coder, CoderOptions};
use crate::dict::{DictError, DictPaths, Dictionaries};
use crate::sentence::ParsedSentence;
use chrono::NaiveDate;
use dyad_input::{
    read_petrarch_xml, Environment, GoldCoding, Parse, PetrarchXml, ReadError, Record,
};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Validation errors (the run as a whole could not start).
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    /// The XML file could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A dictionary could not be read.
    #[error(transparent)]
    Dict(#[from] DictError),
    /// The file names no dictionaries.
    #[error("{0}: no <Environment> naming the dictionaries")]
    NoEnvironment(String),
}

/// An (source, target, code) triple.
pub type Triple = (String, String, String);

/// Result for one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordResult {
    /// Record id.
    pub id: String,
    /// Category.
    pub category: String,
    /// Expected triples (sorted).
    pub expected: Vec<Triple>,
    /// Coded triples (sorted).
    pub got: Vec<Triple>,
    /// Multisets equal.
    pub exact: bool,
    /// Input problem for this record, if any.
    pub error: Option<String>,
}

/// The validation report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Active records, in file order.
    pub records: Vec<RecordResult>,
    /// Records read in total (active or not).
    pub total_records: usize,
    /// Input errors (file:line: cause).
    pub input_errors: Vec<String>,
    /// Dictionary warnings.
    pub dict_warnings: Vec<String>,
}

impl Report {
    /// Number of active records.
    pub fn n(&self) -> usize {
        self.records.len()
    }
    /// Exactly coded records.
    pub fn exact(&self) -> usize {
        self.records.iter().filter(|r| r.exact).count()
    }
    /// (true positives, false positives, false negatives) over triples.
    pub fn counts(&self) -> (usize, usize, usize) {
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for r in &self.records {
            let mut exp = r.expected.clone();
            for g in &r.got {
                if let Some(i) = exp.iter().position(|e| e == g) {
                    exp.swap_remove(i);
                    tp += 1;
                } else {
                    fp += 1;
                }
            }
            fn_ += exp.len();
        }
        (tp, fp, fn_)
    }
    /// Exact share in percent.
    pub fn exact_pct(&self) -> f64 {
        if self.n() == 0 {
            0.0
        } else {
            100.0 * self.exact() as f64 / self.n() as f64
        }
    }
    /// The summary line: `records N exact K (P%) precision x.xxx recall x.xxx f1 x.xxx`.
    pub fn summary_line(&self) -> String {
        let (tp, fp, fn_) = self.counts();
        let p = if tp + fp == 0 {
            0.0
        } else {
            tp as f64 / (tp + fp) as f64
        };
        let r = if tp + fn_ == 0 {
            0.0
        } else {
            tp as f64 / (tp + fn_) as f64
        };
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        format!(
            "records {} exact {} ({:.1}%) precision {:.3} recall {:.3} f1 {:.3}",
            self.n(),
            self.exact(),
            self.exact_pct(),
            p,
            r,
            f
        )
    }
    /// Writes input errors, each failing record, then the summary line (last).
    pub fn write(&self, w: &mut dyn Write) -> std::io::Result<()> {
        for e in &self.input_errors {
            writeln!(w, "input error: {e}")?;
        }
        let fmt = |v: &[Triple]| {
            v.iter()
                .map(|(s, t, c)| format!("{s} {t} {c}"))
                .collect::<Vec<_>>()
                .join("; ")
        };
        for r in self.records.iter().filter(|r| !r.exact) {
            writeln!(
                w,
                "FAIL {} [{}] expected: {} | got: {}",
                r.id,
                r.category,
                fmt(&r.expected),
                fmt(&r.got)
            )?;
        }
        writeln!(w, "{}", self.summary_line())
    }
}

/// Options of a validation run.
#[derive(Debug, Clone, Default)]
pub struct ValidateOptions {
    /// Directory to resolve dictionary names in (else the XML file's folder).
    pub dict_dir: Option<PathBuf>,
    /// Base coder options (records' `<Config>` settings are applied on top).
    pub coder: CoderOptions,
    /// Take the gold codings and the active set from this file instead, matching records by
    /// id (`_` and `-` are treated alike). Used to score the UD copy of the suite against the
    /// original gold, whose codes follow the dictionaries the file names.
    pub gold_from: Option<PathBuf>,
}

/// Loads the dictionaries named by an environment.
pub fn load_environment(
    env: &Environment,
    dict_dir: Option<&Path>,
    xml: &Path,
) -> Result<Dictionaries, DictError> {
    let r = |n: &str| Environment::resolve(n, dict_dir, xml);
    let paths = DictPaths {
        verbs: env.verb_file.as_deref().map(r),
        actors: env.actor_files.iter().map(|a| r(a)).collect(),
        agents: env.agent_file.as_deref().map(r),
        discards: env.discard_file.as_deref().map(r),
        issues: env.issue_file.as_deref().map(r),
    };
    Dictionaries::load(&paths)
}

/// Parses a record's `YYYYMMDD` date.
pub fn record_date(r: &Record) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(r.date.as_deref()?.trim(), "%Y%m%d").ok()
}

/// The coder options in force for a record. The suite checks PETRARCH's behaviour, so dyad's
/// own additions that PETRARCH lacks (country inference for country-less agents, keeping a
/// target's own action below a coded verb, a country before a prefix agent, agentless passives,
/// mutual events only for reciprocal constructions) are off unless
/// the record's config turns them on.
pub fn record_options(base: &CoderOptions, r: &Record) -> CoderOptions {
    let mut o = base.clone();
    o.infer_country = false;
    o.keep_target_actions = false;
    o.country_first = false;
    o.agentless_passive = false;
    o.mutual_needs_reciprocal = false;
    for (k, v) in &r.config {
        o.set(k, v);
    }
    o
}

/// The parsed sentence of a record (None when absent or malformed).
pub fn record_sentence(r: &Record) -> Option<ParsedSentence> {
    match &r.parse {
        Parse::Ptb(t) => Some(ParsedSentence::from_ptb(t)),
        Parse::Conllu(c) => ParsedSentence::from_conllu(c).ok(),
        _ => None,
    }
}

fn norm_id(id: &str) -> String {
    id.replace('_', "-")
}

/// Codes the records of `coded` but scores them against the gold and active set of `gold`
/// (records matched by id); with `same_text_only`, records whose text differs are left out.
pub fn validate_against(
    coded: &PetrarchXml,
    gold: &PetrarchXml,
    coder: &Coder,
    base: &CoderOptions,
    same_text_only: bool,
) -> Report {
    let mut merged = gold.clone();
    merged.errors = coded.errors.clone();
    let norm_text = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    merged.records.retain_mut(|r| {
        let key = norm_id(&r.id);
        match coded.records.iter().find(|c| norm_id(&c.id) == key) {
            Some(c) => {
                if same_text_only && norm_text(&c.text) != norm_text(&r.text) {
                    return false;
                }
                r.parse = c.parse.clone();
                true
            }
            None => {
                r.parse = Parse::None;
                !same_text_only
            }
        }
    });
    validate_records(&merged, coder, base)
}

/// Codes all active records of an already-read file with a coder.
pub fn validate_records(x: &PetrarchXml, coder: &Coder, base: &CoderOptions) -> Report {
    let include: Vec<String> = x
        .environment
        .as_ref()
        .map(|e| e.include.clone())
        .unwrap_or_default();
    let mut rep = Report {
        total_records: x.records.len(),
        input_errors: x.errors.iter().map(|e| e.to_string()).collect(),
        ..Default::default()
    };
    for r in &x.records {
        let cat = r.category.clone().unwrap_or_default();
        let active = r.is_sentence && (include.is_empty() || include.contains(&cat));
        if !active {
            continue;
        }
        let mut expected: Vec<Triple> = Vec::new();
        let mut none = false;
        for g in &r.gold {
            match g {
                GoldCoding::Event {
                    source,
                    target,
                    code,
                } => expected.push((source.clone(), target.clone(), code.clone())),
                GoldCoding::NoEvents | GoldCoding::Error(_) => none = true,
            }
        }
        if none {
            expected.clear();
        }
        expected.sort();
        let opts = record_options(base, r);
        let mut error = None;
        let mut got: Vec<Triple> = match record_sentence(r) {
            Some(s) => coder
                .code_full(&s, record_date(r), &opts)
                .events
                .iter()
                .map(|e| e.triple())
                .collect(),
            None => {
                if let Parse::Bad(e) = &r.parse {
                    error = Some(e.to_string());
                }
                Vec::new()
            }
        };
        got.sort();
        let exact = got == expected;
        rep.records.push(RecordResult {
            id: r.id.clone(),
            category: cat,
            expected,
            got,
            exact,
            error,
        });
    }
    rep
}

/// Does all of `dyad validate`'s work: reads the XML, loads the dictionaries its
/// `<Environment>` names (resolved against `dict_dir`, else the XML's folder), codes every
/// active record and compares with the gold codings.
pub fn validate_file(path: &Path, opts: &ValidateOptions) -> Result<Report, ValidateError> {
    validate_file_with(path, opts, false)
}

/// [`validate_file`]; with `gold_from` and `same_text_only`, only records whose text is the
/// same in both files are scored.
pub fn validate_file_with(
    path: &Path,
    opts: &ValidateOptions,
    same_text_only: bool,
) -> Result<Report, ValidateError> {
    let x = read_petrarch_xml(path)?;
    let env = x
        .environment
        .as_ref()
        .ok_or_else(|| ValidateError::NoEnvironment(path.display().to_string()))?;
    let dicts = load_environment(env, opts.dict_dir.as_deref(), path)?;
    let warnings = dicts.warnings.iter().map(|w| w.to_string()).collect();
    let coder = Coder::new(dicts, opts.coder.clone());
    let mut rep = match &opts.gold_from {
        Some(g) => validate_against(
            &x,
            &read_petrarch_xml(g)?,
            &coder,
            &opts.coder,
            same_text_only,
        ),
        None => validate_records(&x, &coder, &opts.coder),
    };
    rep.dict_warnings = warnings;
    Ok(rep)
}
