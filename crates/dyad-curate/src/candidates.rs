//! The curation queue: frequent capitalised names no dictionary entry covers.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use dyad_dict::{DictionarySet, LoadError};
use dyad_text::{InputFormat, Sentence, TextError};

use crate::defaults::{default_dict_dir, load_default};

/// One entry of the curation queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The name as first seen in the corpus, e.g. `"Anmar al-Droubi"`.
    pub name: String,
    /// How many times it occurs (uncovered by any dictionary phrase).
    pub count: usize,
    /// The first sentence it was seen in.
    pub sample_sentence: String,
}

/// Options for [`candidates_with`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateOptions {
    /// Keep at most this many candidates (0 = all).
    pub limit: usize,
    /// Drop names seen fewer times than this.
    pub min_count: usize,
    /// Input format of the corpus files.
    pub format: InputFormat,
}

impl Default for CandidateOptions {
    fn default() -> Self {
        CandidateOptions {
            limit: 100,
            min_count: 2,
            format: InputFormat::Auto,
        }
    }
}

/// Why the queue could not be built.
#[derive(Debug, thiserror::Error)]
pub enum CurateError {
    /// A corpus file could not be read.
    #[error(transparent)]
    Text(#[from] TextError),
    /// A dictionary file could not be read.
    #[error(transparent)]
    Dict(#[from] LoadError),
}

/// The curation queue for corpus files, against the default dictionaries
/// (see [`crate::default_dict_dir`]), with default options: at most 100
/// names seen at least twice, most frequent first (ties by name).
pub fn candidates(paths: &[PathBuf]) -> Result<Vec<Candidate>, CurateError> {
    let (dicts, _diags) = load_default(&default_dict_dir())?;
    candidates_with(paths, &dicts, &CandidateOptions::default())
}

/// The curation queue for corpus files against a loaded dictionary set.
/// Records a reader skips are skipped here too (they are reported by the
/// reader, not repeated).
pub fn candidates_with(
    paths: &[PathBuf],
    dicts: &DictionarySet,
    opts: &CandidateOptions,
) -> Result<Vec<Candidate>, CurateError> {
    let matcher = Matcher::new(dicts);
    let mut sentences: Vec<Sentence> = Vec::new();
    for p in paths {
        sentences.extend(read_sentences(p, opts.format)?);
    }
    Ok(queue(&sentences, &matcher, opts))
}

/// How many sentences of a corpus mention a known actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ActorCoverage {
    /// Sentences read (headings excluded).
    pub sentences: usize,
    /// Sentences in which some actor phrase of the dictionaries occurs.
    pub with_actor: usize,
}

/// Counts the sentences of corpus files (headings excluded) that contain a
/// phrase of some actor entry (agents alone do not count).
pub fn actor_coverage(
    paths: &[PathBuf],
    dicts: &DictionarySet,
    format: InputFormat,
) -> Result<ActorCoverage, CurateError> {
    let actors_only = DictionarySet {
        verbs: None,
        actors: dicts.actors.clone(),
        agents: None,
        discards: None,
        issues: None,
    };
    let m = Matcher::new(&actors_only);
    let mut cov = ActorCoverage::default();
    for p in paths {
        for s in read_sentences(p, format)?.iter().filter(|s| !s.is_heading) {
            cov.sentences += 1;
            let upper: Vec<String> = s.tokens.iter().map(|t| t.text.to_uppercase()).collect();
            let words: Vec<&str> = s.tokens.iter().map(|t| t.text.as_str()).collect();
            if m.names_an_actor(&upper, &words) {
                cov.with_actor += 1;
            }
        }
    }
    Ok(cov)
}

fn read_sentences(path: &Path, format: InputFormat) -> Result<Vec<Sentence>, TextError> {
    let outcome = dyad_text::read_path(path, format)?;
    let mut out = Vec::new();
    for doc in &outcome.docs {
        out.extend(dyad_text::segment(doc));
    }
    Ok(out)
}

/// Longest-match lookup of dictionary phrases (actors and agents), keyed by
/// first word. Agent gaps are treated as consecutive words: the queue asks
/// "is this name already known?", not "would the coder match it here?".
pub(crate) struct Matcher {
    by_first: HashMap<String, Vec<Vec<String>>>,
}

impl Matcher {
    pub(crate) fn new(dicts: &DictionarySet) -> Matcher {
        let mut by_first: HashMap<String, Vec<Vec<String>>> = HashMap::new();
        let mut add = |words: Vec<String>| {
            if let Some(first) = words.first().cloned() {
                by_first.entry(first).or_default().push(words);
            }
        };
        for e in &dicts.actors.entries {
            for p in &e.phrases {
                add(p.words().map(str::to_string).collect());
            }
        }
        if let Some(agents) = &dicts.agents {
            for f in &agents.forms {
                add(f.phrase.words().map(str::to_string).collect());
            }
        }
        for v in by_first.values_mut() {
            v.sort_by_key(|w| std::cmp::Reverse(w.len()));
            v.dedup();
        }
        Matcher { by_first }
    }

    /// Length of the longest phrase starting at `i`, or 0.
    fn longest(&self, upper: &[String], i: usize) -> usize {
        let Some(cands) = self.by_first.get(&upper[i]) else {
            return 0;
        };
        for words in cands {
            let n = words.len();
            if i + n <= upper.len() && upper[i..i + n] == words[..] {
                return n;
            }
        }
        0
    }

    /// Whether some phrase matches as the coder reads actors: a one-word match on a word
    /// written all in lower case ("us", "as") is the English word, not a name.
    fn names_an_actor(&self, upper: &[String], words: &[&str]) -> bool {
        (0..upper.len()).any(|i| match self.longest(upper, i) {
            0 => false,
            1 => {
                let w = words.get(i).copied().unwrap_or_default();
                !w.chars().any(char::is_alphabetic) || w.chars().any(char::is_uppercase)
            }
            _ => true,
        })
    }

    /// Which tokens some phrase covers.
    fn covered(&self, upper: &[String]) -> Vec<bool> {
        let mut cov = vec![false; upper.len()];
        let mut i = 0;
        while i < upper.len() {
            let n = self.longest(upper, i);
            if n > 0 {
                cov[i..i + n].iter_mut().for_each(|c| *c = true);
                i += n;
            } else {
                i += 1;
            }
        }
        cov
    }
}

const CONNECTORS: &[&str] = &[
    "of", "for", "and", "the", "de", "du", "al", "bin", "ibn", "van", "von", "la", "'s",
];

const PARTICLES: &[&str] = &[
    "al", "el", "ad", "as", "ash", "an", "bin", "ibn", "abu", "bint", "ben",
];

/// Closed-class words that start sentences capitalised but are never names.
const FUNCTION_WORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "against",
    "all",
    "also",
    "although",
    "among",
    "an",
    "and",
    "another",
    "any",
    "as",
    "at",
    "because",
    "before",
    "both",
    "but",
    "by",
    "despite",
    "during",
    "each",
    "either",
    "even",
    "every",
    "few",
    "for",
    "from",
    "he",
    "her",
    "here",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "it",
    "its",
    "many",
    "meanwhile",
    "more",
    "most",
    "much",
    "my",
    "neither",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "over",
    "she",
    "since",
    "so",
    "some",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "thus",
    "to",
    "under",
    "unlike",
    "until",
    "we",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "with",
    "within",
    "without",
    "yet",
    "you",
    "your",
];

const NOT_NAMES: &[&str] = &[
    "I",
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Ms",
    "Ms.",
    "Dr",
    "Dr.",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "Aug.",
    "Sept.",
    "Sep.",
    "Oct.",
    "Nov.",
    "Dec.",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "North",
    "South",
    "East",
    "West",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Central",
    "The",
    "A",
    "An",
];

fn is_capitalised(t: &str) -> bool {
    let mut chars = t.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() => chars.any(|c| c.is_alphabetic()) || t.len() == 1,
        Some(_) => {
            // al-Droubi, el-Sisi, bin-Salman: a lower-case particle joined to a name.
            let lower = t.to_lowercase();
            ["al-", "el-", "ad-", "as-", "ash-", "bin-", "abu-"]
                .iter()
                .any(|p| {
                    lower.starts_with(p)
                        && t[p.len()..].chars().next().is_some_and(char::is_uppercase)
                })
        }
        None => false,
    }
}

struct Acc {
    name: String,
    count: usize,
    sample: String,
    first: usize,
}

/// Extends a name run from `end`: more name words, a connector between two
/// name words ("Ministry of Interior"), a hyphen (with an optional
/// particle) before a name word ("al - Droubi", "Guinea - Bissau").
fn extend_run(toks: &[&str], mut end: usize, cov: &[bool], namey: &dyn Fn(usize) -> bool) -> usize {
    loop {
        if end < toks.len() && namey(end) {
            end += 1;
            continue;
        }
        if end + 1 < toks.len() && !cov[end] && namey(end + 1) {
            let w = toks[end].to_lowercase();
            if CONNECTORS.contains(&w.as_str()) || w == "-" {
                end += 2;
                continue;
            }
        }
        if end + 2 < toks.len()
            && PARTICLES.contains(&toks[end].to_lowercase().as_str())
            && toks[end + 1] == "-"
            && !cov[end]
            && namey(end + 2)
        {
            end += 3;
            continue;
        }
        return end;
    }
}

fn record(acc: &mut HashMap<String, Acc>, order: &mut usize, toks: &[&str], s: &Sentence) {
    let mut name = String::new();
    for (k, t) in toks.iter().enumerate() {
        let glue = k == 0 || *t == "'s" || *t == "-" || toks[k - 1] == "-";
        if !glue {
            name.push(' ');
        }
        name.push_str(t);
    }
    let key = name.to_uppercase();
    let e = acc.entry(key).or_insert_with(|| {
        *order += 1;
        Acc {
            name: name.clone(),
            count: 0,
            sample: s.text.clone(),
            first: *order,
        }
    });
    e.count += 1;
}

fn queue(sentences: &[Sentence], m: &Matcher, opts: &CandidateOptions) -> Vec<Candidate> {
    // How often each word occurs in lower case: a capitalised word that is
    // mostly written in lower case is an ordinary word at a sentence start.
    let mut lower_count: HashMap<String, usize> = HashMap::new();
    let mut cap_count: HashMap<String, usize> = HashMap::new();
    for s in sentences.iter().filter(|s| !s.is_heading) {
        for (i, t) in s.tokens.iter().enumerate() {
            if is_capitalised(&t.text) {
                if i > 0 {
                    *cap_count.entry(t.text.to_lowercase()).or_default() += 1;
                }
            } else {
                *lower_count.entry(t.text.to_lowercase()).or_default() += 1;
            }
        }
    }
    let ordinary = |w: &str, initial: bool| {
        let l = w.to_lowercase();
        let lc = lower_count.get(&l).copied().unwrap_or(0);
        let cc = cap_count.get(&l).copied().unwrap_or(0);
        (initial && lc > 0) || lc > cc
    };

    let mut acc: HashMap<String, Acc> = HashMap::new();
    let mut order = 0usize;
    for s in sentences.iter().filter(|s| !s.is_heading) {
        let toks: Vec<&str> = s.tokens.iter().map(|t| t.text.as_str()).collect();
        if toks.is_empty() {
            continue;
        }
        // All-capitals sentences (shouted headlines) say nothing about names.
        let letters: Vec<&&str> = toks
            .iter()
            .filter(|t| t.chars().any(char::is_alphabetic))
            .collect();
        if letters.len() > 3 && letters.iter().all(|t| !t.chars().any(char::is_lowercase)) {
            continue;
        }
        let upper: Vec<String> = toks.iter().map(|t| t.to_uppercase()).collect();
        let cov = m.covered(&upper);
        let first_word = toks
            .iter()
            .position(|t| t.chars().any(char::is_alphanumeric))
            .unwrap_or(0);
        let mut i = 0;
        while i < toks.len() {
            let namey = |j: usize| {
                !cov[j]
                    && is_capitalised(toks[j])
                    && !NOT_NAMES.contains(&toks[j])
                    && (j != first_word
                        || !FUNCTION_WORDS.contains(&toks[j].to_lowercase().as_str()))
                    && !ordinary(toks[j], j == first_word)
            };
            // "al - Droubi": the tokenizer splits hyphens off, so a name
            // particle or a name followed by "-" and a name continues it.
            let hyphen_joins =
                |j: usize| j + 1 < toks.len() && toks[j] == "-" && !cov[j] && namey(j + 1);
            let particle = |j: usize| {
                PARTICLES.contains(&toks[j].to_lowercase().as_str())
                    && !cov[j]
                    && hyphen_joins(j + 1)
            };
            if particle(i) && (i == 0 || !namey(i - 1)) {
                // A name that starts with its particle: "al - Sudani".
                let start = i;
                let end = extend_run(&toks, i + 2, &cov, &namey);
                record(&mut acc, &mut order, &toks[start..end], s);
                i = end;
                continue;
            }
            if !namey(i) {
                i += 1;
                continue;
            }
            let start = i;
            let end = extend_run(&toks, i + 1, &cov, &namey);
            if end == start + 1 && toks[start].chars().count() < 2 {
                // A lone letter ("S" of "S-400") is not a name.
                i = end;
                continue;
            }
            record(&mut acc, &mut order, &toks[start..end], s);
            i = end;
        }
    }
    let mut out: Vec<Acc> = acc
        .into_values()
        .filter(|a| a.count >= opts.min_count.max(1))
        .collect();
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.name.cmp(&b.name))
            .then(a.first.cmp(&b.first))
    });
    if opts.limit > 0 {
        out.truncate(opts.limit);
    }
    out.into_iter()
        .map(|a| Candidate {
            name: a.name,
            count: a.count,
            sample_sentence: a.sample,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_core::cameo::Codebook;

    fn dicts(actors: &str, agents: &str) -> DictionarySet {
        // One directory per call: tests run in parallel threads of one process.
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("dyad-curate-test-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let a = dir.join("t.actors.txt");
        let g = dir.join("t.agents.txt");
        std::fs::write(&a, actors).unwrap();
        std::fs::write(&g, agents).unwrap();
        DictionarySet::load(
            None,
            &[a.as_path()],
            Some(g.as_path()),
            None,
            None,
            Codebook::builtin(),
        )
        .unwrap()
        .0
    }

    #[test]
    fn unknown_names_are_queued_and_known_ones_are_not() {
        let d = dicts(
            "IRAQ [IRQ]\n+IRAQI\n",
            "DEFENCE_MINISTER [~MIL]\nANALYST [~ELI]\n",
        );
        let m = Matcher::new(&d);
        let s = dyad_text::segment_text(
            "Iraqi analyst Anmar al-Droubi spoke. Anmar al-Droubi said Iraq and Freedonia talked. \
             The Iraqi Defence Minister met Freedonia officials.",
        );
        let q = queue(
            &s,
            &m,
            &CandidateOptions {
                limit: 0,
                min_count: 1,
                format: InputFormat::Auto,
            },
        );
        let names: Vec<(&str, usize)> = q.iter().map(|c| (c.name.as_str(), c.count)).collect();
        assert_eq!(
            names,
            vec![("Anmar al-Droubi", 2), ("Freedonia", 2)],
            "{q:?}"
        );
        assert!(q[0].sample_sentence.starts_with("Iraqi analyst"));
    }

    #[test]
    fn sentence_initial_ordinary_words_are_not_names() {
        let d = dicts("IRAQ [IRQ]\n", "");
        let m = Matcher::new(&d);
        let s = dyad_text::segment_text(
            "Meanwhile the talks went on. They said meanwhile nothing. Meanwhile Zorg won.",
        );
        let q = queue(
            &s,
            &m,
            &CandidateOptions {
                limit: 0,
                min_count: 1,
                format: InputFormat::Auto,
            },
        );
        assert_eq!(
            q.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            vec!["Zorg"]
        );
    }

    #[test]
    fn a_lower_case_one_word_match_does_not_name_an_actor() {
        let d = dicts("UNITED_STATES [USA]\n+US\n", "");
        let m = Matcher::new(&d);
        let check = |text: &str| {
            let s = dyad_text::segment_text(text);
            let words: Vec<&str> = s[0].tokens.iter().map(|t| t.text.as_str()).collect();
            let upper: Vec<String> = words.iter().map(|w| w.to_uppercase()).collect();
            m.names_an_actor(&upper, &words)
        };
        assert!(check("The US warned them."));
        assert!(!check("They warned us."));
        assert!(check("the united states warned them."));
    }
}
