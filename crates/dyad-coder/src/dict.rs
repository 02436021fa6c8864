//! Dictionary compilation: PETRARCH-1/TABARI verb patterns, actors, agents and discards turned
//! into matching structures keyed by interned words.
//!
//! Reading is done by `dyad-dict` (the project's one, fully diagnosed reader of the PETRARCH
//! formats); this module only compiles its typed values into tries, interned words and pattern
//! items. `dyad-dict`'s diagnostics become [`Dictionaries::warnings`] (`file:line: cause`).

use rustc_hash::FxHashMap;
use std::path::Path;

/// Interned upper-case word.
pub type Sym = u32;
/// The symbol for words not in any dictionary.
pub const UNKNOWN: Sym = u32::MAX;

/// Word interner (upper-case forms).
///
/// Words are found by a 64-bit fingerprint kept inline in the hash table, so a lookup never
/// dereferences a stored string (the lookups of sentence words are the coder's hottest path).
/// Distinct dictionary words with equal fingerprints are detected at intern time and fall back
/// to a string-keyed side table; an unknown sentence word is mistaken for a dictionary word only
/// if its 64-bit fingerprint collides (about n/2^64 per lookup).
#[derive(Debug, Default, Clone)]
pub struct Interner {
    fp: FxHashMap<u64, Sym>,
    collided: FxHashMap<Box<str>, Sym>,
    words: Vec<Box<str>>,
}

fn fingerprint(w: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(w.as_bytes());
    h.write_usize(w.len());
    // finalize with a 64-bit mix so that similar strings spread over all bits
    let mut x = h.finish();
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

impl Interner {
    /// Interns a word (must already be upper-case).
    pub fn intern(&mut self, w: &str) -> Sym {
        let f = fingerprint(w);
        if let Some(&s) = self.fp.get(&f) {
            if &*self.words[s as usize] == w {
                return s;
            }
            if let Some(&c) = self.collided.get(w) {
                return c;
            }
            let s = self.words.len() as Sym;
            self.words.push(w.into());
            self.collided.insert(w.into(), s);
            return s;
        }
        let s = self.words.len() as Sym;
        self.words.push(w.into());
        self.fp.insert(f, s);
        s
    }
    /// Number of interned words.
    pub fn len(&self) -> usize {
        self.words.len()
    }
    /// Makes room for `n` more words.
    pub fn reserve(&mut self, n: usize) {
        self.fp.reserve(n);
        self.words.reserve(n);
    }
    /// True when nothing is interned.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
    /// Looks a word up without interning.
    pub fn get(&self, w: &str) -> Sym {
        if !self.collided.is_empty() {
            if let Some(&c) = self.collided.get(w) {
                return c;
            }
        }
        self.fp.get(&fingerprint(w)).copied().unwrap_or(UNKNOWN)
    }
    /// The text of a symbol.
    pub fn text(&self, s: Sym) -> &str {
        self.words.get(s as usize).map(|b| &**b).unwrap_or("?")
    }
}

/// Where a dictionary entry came from: file index + line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SourceRef {
    /// Index into [`Dictionaries::files`].
    pub file: u16,
    /// 1-based line.
    pub line: u32,
}

/// A problem met while reading a dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DictWarning {
    /// File name.
    pub file: String,
    /// Line.
    pub line: usize,
    /// Cause.
    pub cause: String,
}

impl std::fmt::Display for DictWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.cause)
    }
}

/// A date as YYYYMMDD integer.
pub type DateNum = u32;

/// Date restriction of an actor code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateRule {
    /// Applies on or before the date.
    Before(DateNum),
    /// Applies on or after the date.
    After(DateNum),
    /// Applies within the (inclusive) range.
    Between(DateNum, DateNum),
    /// Default (no restriction).
    Always,
}

/// A coded actor entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorEntry {
    /// Default code (None = null).
    pub default: Option<String>,
    /// Date-restricted codes, first satisfied wins.
    pub dated: Vec<(DateRule, Option<String>)>,
    /// Root phrase text (for output).
    pub root: String,
    /// Source line.
    pub src: SourceRef,
}

impl ActorEntry {
    /// The code in force on `date` (None when null or no rule applies).
    pub fn code_at(&self, date: Option<DateNum>) -> Option<&str> {
        if let Some(d) = date {
            for (rule, code) in &self.dated {
                let ok = match *rule {
                    DateRule::Before(x) => d <= x,
                    DateRule::After(x) => d >= x,
                    DateRule::Between(a, b) => d >= a && d <= b,
                    DateRule::Always => true,
                };
                if ok {
                    return code.as_deref();
                }
            }
        } else if let Some((_, c)) = self.dated.iter().find(|(r, _)| *r == DateRule::Always) {
            return c.as_deref();
        }
        self.default.as_deref()
    }
}

/// An agent entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentEntry {
    /// Agent code without `~`.
    pub code: String,
    /// `NGO~` form: prefixed to the actor code.
    pub prefix: bool,
    /// Source line.
    pub src: SourceRef,
}

/// A phrase trie over interned words. Each edge says whether words may intervene before it.
#[derive(Debug, Default, Clone)]
pub struct PhraseTrie {
    /// Edges: (node, word, gap-allowed-before-word) → child.
    edges: FxHashMap<(u32, Sym, bool), u32>,
    /// Whether a node has gap edges (speeds matching).
    has_gap: Vec<bool>,
    /// Payload index at a node.
    value: Vec<Option<u32>>,
}

impl PhraseTrie {
    /// Makes room for `n` more edges.
    pub fn reserve(&mut self, n: usize) {
        self.edges.reserve(n);
        self.has_gap.reserve(n);
        self.value.reserve(n);
    }

    /// The words that can start a phrase.
    pub fn first_words(&self) -> impl Iterator<Item = Sym> + '_ {
        self.edges
            .keys()
            .filter(|(n, _, _)| *n == 0)
            .map(|(_, w, _)| *w)
    }

    fn new() -> Self {
        PhraseTrie {
            edges: FxHashMap::default(),
            has_gap: vec![false],
            value: vec![None],
        }
    }
    /// Inserts a phrase (words + gap flags) with a payload; an existing payload is replaced.
    pub fn insert(&mut self, words: &[(Sym, bool)], payload: u32) {
        let mut node = 0u32;
        for (i, &(w, gap)) in words.iter().enumerate() {
            let gap = gap && i > 0;
            let next = self.value.len() as u32;
            let e = *self.edges.entry((node, w, gap)).or_insert(next);
            if e == next {
                self.value.push(None);
                self.has_gap.push(false);
            }
            if gap {
                self.has_gap[node as usize] = true;
            }
            node = e;
        }
        self.value[node as usize] = Some(payload);
    }

    /// The payloads of all phrases, grouped by their first word (each list
    /// sorted, no duplicates). For callers that reason about what a word can
    /// begin, such as a pre-filter that must know every entry a word can
    /// match.
    pub fn payloads_by_first_word(&self) -> FxHashMap<Sym, Vec<u32>> {
        let mut kids: Vec<Vec<u32>> = vec![Vec::new(); self.value.len()];
        for (&(node, _, _), &child) in &self.edges {
            if let Some(k) = kids.get_mut(node as usize) {
                k.push(child);
            }
        }
        let mut out: FxHashMap<Sym, Vec<u32>> = FxHashMap::default();
        for (&(node, w, _), &child) in &self.edges {
            if node != 0 {
                continue;
            }
            let list = out.entry(w).or_default();
            // a trie: every node has one parent, so the walk ends
            let mut stack = vec![child];
            while let Some(n) = stack.pop() {
                if let Some(Some(v)) = self.value.get(n as usize) {
                    list.push(*v);
                }
                if let Some(k) = kids.get(n as usize) {
                    stack.extend_from_slice(k);
                }
            }
        }
        for list in out.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        out
    }

    /// Longest match starting at `words[0]` (gaps may skip words). Returns (payload, consumed).
    pub fn longest(&self, words: &[Sym]) -> Option<(u32, usize)> {
        let mut best: Option<(u32, usize)> = None;
        self.walk(0, words, 0, &mut best, 0);
        best
    }

    fn walk(
        &self,
        node: u32,
        words: &[Sym],
        pos: usize,
        best: &mut Option<(u32, usize)>,
        depth: usize,
    ) {
        if depth > 12 {
            return;
        }
        if let Some(v) = self.value[node as usize] {
            if best.is_none_or(|(_, n)| pos > n) {
                *best = Some((v, pos));
            }
        }
        if pos >= words.len() {
            return;
        }
        if let Some(&c) = self.edges.get(&(node, words[pos], false)) {
            self.walk(c, words, pos + 1, best, depth + 1);
        }
        if node != 0 && self.has_gap[node as usize] {
            for p in pos..words.len() {
                if let Some(&c) = self.edges.get(&(node, words[p], true)) {
                    self.walk(c, words, p + 1, best, depth + 1);
                }
            }
        }
    }
}

/// One element of a verb pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatElem {
    /// A literal word.
    Word(Sym),
    /// A synset (index into [`Dictionaries::synsets`]).
    Synset(u32),
    /// `$`: the source actor.
    Source,
    /// `+`: the target actor.
    Target,
    /// `%`: a compound actor.
    Compound,
    /// `^`: skip one noun phrase.
    Skip,
}

/// A pattern element plus whether it must be adjacent to its neighbour toward the verb.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatItem {
    /// The element.
    pub elem: PatElem,
    /// `_` connector toward the verb: no words may intervene.
    pub closed: bool,
}

/// An event code as written in a dictionary: primary and optional paired (reverse) code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerbCode {
    /// Code for source→target (None = null `---`).
    pub code: Option<String>,
    /// `[a:b]`: code for the reverse event target→source.
    pub paired: Option<String>,
}

/// A compiled verb pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// Elements left of `*`, ordered from the verb outward (i.e. reversed).
    pub upper: Vec<PatItem>,
    /// Elements right of `*`, in order.
    pub lower: Vec<PatItem>,
    /// Code.
    pub code: VerbCode,
    /// Pattern text as written.
    pub text: String,
    /// Source.
    pub src: SourceRef,
    /// Specificity: number of elements.
    pub weight: u32,
    /// Literal words the pattern needs (a sentence lacking one cannot match).
    pub required: Vec<Sym>,
}

/// A verb block (`--- NAME [code] ---` and its verbs and patterns).
#[derive(Debug, Clone)]
pub struct VerbBlock {
    /// Block name.
    pub name: String,
    /// Default code.
    pub code: VerbCode,
    /// Patterns, in file order.
    pub patterns: Vec<Pattern>,
    /// Source of the header.
    pub src: SourceRef,
}

/// One verb form of a block.
#[derive(Debug, Clone)]
pub struct VerbForm {
    /// Block index.
    pub block: u32,
    /// Words before the verb word (multi-word verbs like `WIRE_+TAP`).
    pub before: Vec<Sym>,
    /// Words after the verb word (`+BREAK_DOWN`).
    pub after: Vec<Sym>,
    /// Own code, if the verb line had one.
    pub code: Option<VerbCode>,
    /// Verb text as written.
    pub text: String,
    /// Source.
    pub src: SourceRef,
}

/// A discard phrase.
#[derive(Debug, Clone)]
pub struct Discard {
    /// Upper-case text.
    pub text: String,
    /// Story-level (`+`).
    pub story: bool,
    /// Must end at a word boundary (`_`).
    pub exact_end: bool,
}

/// An issue phrase.
#[derive(Debug, Clone)]
pub struct IssuePhrase {
    /// Words.
    pub words: Vec<Sym>,
    /// Issue code.
    pub code: String,
}

/// All dictionaries, compiled for matching.
#[derive(Debug, Clone, Default)]
pub struct Dictionaries {
    /// Word interner shared by all tries.
    pub words: Interner,
    /// File names (for evidence `file:line`).
    pub files: Vec<String>,
    /// Actor trie → index into `actors`.
    pub actor_trie: PhraseTrie,
    /// Actor entries.
    pub actors: Vec<ActorEntry>,
    /// Agent trie → index into `agents`.
    pub agent_trie: PhraseTrie,
    /// Agent entries.
    pub agents: Vec<AgentEntry>,
    /// Verb blocks.
    pub blocks: Vec<VerbBlock>,
    /// Verb forms keyed by the verb word.
    pub verbs: FxHashMap<Sym, Vec<VerbForm>>,
    /// Synsets: each a list of phrases.
    pub synsets: Vec<Vec<Vec<Sym>>>,
    /// Discards.
    pub discards: Vec<Discard>,
    /// Issues (phrase list).
    pub issues: Vec<IssuePhrase>,
    /// Problems met while reading.
    pub warnings: Vec<DictWarning>,
}

/// Paths of a PETRARCH-1 dictionary set.
#[derive(Debug, Clone, Default)]
pub struct DictPaths {
    /// Verb pattern file.
    pub verbs: Option<std::path::PathBuf>,
    /// Actor files.
    pub actors: Vec<std::path::PathBuf>,
    /// Agent file.
    pub agents: Option<std::path::PathBuf>,
    /// Discard file.
    pub discards: Option<std::path::PathBuf>,
    /// Issue file.
    pub issues: Option<std::path::PathBuf>,
}

/// Error loading dictionaries.
#[derive(Debug, thiserror::Error)]
pub enum DictError {
    /// A file could not be read.
    #[error(transparent)]
    Load(#[from] dyad_dict::LoadError),
}

/// A dyad-dict verb code as the coder's (primary, paired) pair; `---` becomes `None`.
fn verb_code(c: &dyad_dict::VerbCode) -> VerbCode {
    let conv = |e: Option<dyad_dict::EventCode>| match e {
        None | Some(dyad_dict::EventCode::Null) => None,
        Some(e) => Some(e.to_string()),
    };
    VerbCode {
        code: conv(c.active),
        paired: conv(c.passive),
    }
}

/// A date as a YYYYMMDD number.
fn date_num(d: chrono::NaiveDate) -> DateNum {
    use chrono::Datelike;
    (d.year().max(0) as u32) * 10000 + d.month() * 100 + d.day()
}

/// The words of a phrase with "may other words intervene before this one" flags (a blank in
/// the file allows a gap, `_` does not).
fn phrase_words(p: &dyad_dict::Phrase) -> Vec<(String, bool)> {
    p.words()
        .enumerate()
        .map(|(i, w)| (w.to_string(), i > 0 && p.gap_after(i - 1)))
        .collect()
}

/// A token of a linear pattern as written.
fn token_text(t: &Token) -> &str {
    match t {
        Token::Word(w) | Token::Synset(w) => w,
        Token::Verb => "*",
        Token::Source => "$",
        Token::Target => "+",
        Token::Compound => "%",
        Token::Skip => "^",
    }
}

use dyad_dict::verbs::Token;

impl Dictionaries {
    /// Number of interned words.
    pub fn words_len(&self) -> usize {
        self.words.len()
    }

    fn add_file(&mut self, name: &str) -> u16 {
        self.files.push(name.to_string());
        (self.files.len() - 1) as u16
    }

    fn warn(&mut self, file: &str, line: usize, cause: impl Into<String>) {
        self.warnings.push(DictWarning {
            file: file.to_string(),
            line,
            cause: cause.into(),
        });
    }

    /// Records dyad-dict's diagnostics (warnings and errors; notes are dropped) as warnings.
    pub fn add_diagnostics(&mut self, diags: &[dyad_dict::Diagnostic]) {
        for d in diags {
            if d.severity >= dyad_dict::Severity::Warning {
                self.warn(&d.file, d.line as usize, d.cause.clone());
            }
        }
    }

    /// Loads a PETRARCH-1 dictionary set from disk: read by `dyad-dict` (the verb codebook
    /// chosen by [`dyad_dict::codebooks::for_verbs_file`]), then compiled; its diagnostics
    /// become [`Dictionaries::warnings`].
    pub fn load(paths: &DictPaths) -> Result<Dictionaries, DictError> {
        let book = paths
            .verbs
            .as_deref()
            .map_or_else(dyad_dict::codebooks::standard, |p| {
                dyad_dict::codebooks::for_verbs_file(p)
            });
        let actors: Vec<&Path> = paths.actors.iter().map(|p| p.as_path()).collect();
        let (set, diags) = dyad_dict::DictionarySet::load(
            paths.verbs.as_deref(),
            &actors,
            paths.agents.as_deref(),
            paths.discards.as_deref(),
            paths.issues.as_deref(),
            book,
        )?;
        let mut d = Dictionaries::from_set(&set);
        d.add_diagnostics(&diags);
        Ok(d)
    }

    /// Compiles a set read by `dyad-dict` (diagnostics are not part of the set: add them
    /// with [`Dictionaries::add_diagnostics`]).
    pub fn from_set(set: &dyad_dict::DictionarySet) -> Dictionaries {
        let mut d = Dictionaries::empty();
        match &set.verbs {
            Some(dyad_dict::Verbs::P1(v)) => d.add_verb_dict(v),
            Some(dyad_dict::Verbs::P2(v)) => {
                d.add_file(&v.file);
                d.warn(
                    &v.file,
                    0,
                    "PETRARCH-2 verb patterns are not used by the coder (give a PETRARCH-1 file)",
                );
            }
            None => {}
        }
        d.add_actor_dict(&set.actors);
        if let Some(a) = &set.agents {
            d.add_agent_dict(a);
        }
        if let Some(x) = &set.discards {
            d.add_discard_dict(x);
        }
        if let Some(x) = &set.issues {
            d.add_issue_dict(x);
        }
        d
    }

    /// An empty set (add files with the `add_*` methods).
    pub fn empty() -> Dictionaries {
        Dictionaries {
            actor_trie: PhraseTrie::new(),
            agent_trie: PhraseTrie::new(),
            ..Default::default()
        }
    }

    fn syms(&mut self, ws: &[(String, bool)]) -> Vec<(Sym, bool)> {
        ws.iter().map(|(w, g)| (self.words.intern(w), *g)).collect()
    }

    /// Inserts a phrase (and, when a word is hyphenated, its split-hyphen variant) into the
    /// actor or agent trie.
    fn insert_phrase(&mut self, agent: bool, p: &dyad_dict::Phrase, payload: u32) {
        let mut s: Vec<(Sym, bool)> = Vec::with_capacity(p.len());
        let mut hyphen = false;
        for (i, w) in p.words().enumerate() {
            hyphen |= w.trim_matches('-').contains('-');
            s.push((self.words.intern(w), i > 0 && p.gap_after(i - 1)));
        }
        let v = if hyphen {
            hyphen_variants(&phrase_words(p)).map(|v| self.syms(&v))
        } else {
            None
        };
        let trie = if agent {
            &mut self.agent_trie
        } else {
            &mut self.actor_trie
        };
        trie.insert(&s, payload);
        if let Some(v) = v {
            trie.insert(&v, payload);
        }
    }

    /// Adds an actor file (PETRARCH-1 format), read by `dyad-dict`.
    pub fn add_actors(&mut self, text: &str, file: &str) {
        let (dict, diags) = dyad_dict::actors::read(file, text.as_bytes());
        self.add_diagnostics(&diags);
        self.add_actor_dict(&dict);
    }

    /// Compiles actor entries: every phrase goes into the actor trie; codes keep their date
    /// restrictions in file order (an undated `[CODE]` line is an "always" rule).
    pub fn add_actor_dict(&mut self, dict: &dyad_dict::ActorDict) {
        let fis: Vec<u16> = dict.files.iter().map(|f| self.add_file(f)).collect();
        let code = |c: &dyad_dict::ActorCode| (!c.is_null()).then(|| c.as_str().to_string());
        // one trie edge per phrase word at most; distinct words are fewer (estimate: a third)
        let n: usize = dict
            .entries
            .iter()
            .flat_map(|e| &e.phrases)
            .map(|p| p.len())
            .sum();
        self.actor_trie.reserve(n);
        self.words.reserve(n / 3);
        self.actors.reserve(dict.entries.len());
        for e in &dict.entries {
            let Some(first) = e.phrases.first() else {
                continue;
            };
            let idx = self.actors.len() as u32;
            let dated = e
                .restrictions
                .iter()
                .map(|r| {
                    let rule = match (r.kind, r.start, r.end) {
                        (dyad_dict::DateKind::Before, _, Some(x)) => DateRule::Before(date_num(x)),
                        (dyad_dict::DateKind::After, Some(x), _) => DateRule::After(date_num(x)),
                        (dyad_dict::DateKind::Between, Some(a), Some(b)) => {
                            DateRule::Between(date_num(a), date_num(b))
                        }
                        _ => DateRule::Always,
                    };
                    (rule, code(&r.code))
                })
                .collect();
            self.actors.push(ActorEntry {
                default: e.code.as_ref().and_then(code),
                dated,
                root: first.as_str().to_string(),
                src: SourceRef {
                    file: fis.get(e.file as usize).copied().unwrap_or_default(),
                    line: e.line,
                },
            });
            for p in &e.phrases {
                self.insert_phrase(false, p, idx);
            }
        }
    }

    /// Adds an agent file (PETRARCH-1 format), read by `dyad-dict`.
    pub fn add_agents(&mut self, text: &str, file: &str) {
        let (dict, diags) = dyad_dict::agents::read(file, text.as_bytes());
        self.add_diagnostics(&diags);
        self.add_agent_dict(&dict);
    }

    /// Compiles agents: the resolved forms (`!SET!` expanded, plurals) go into the agent trie.
    pub fn add_agent_dict(&mut self, dict: &dyad_dict::AgentDict) {
        let fi = self.add_file(&dict.file);
        let base = self.agents.len() as u32;
        self.agent_trie
            .reserve(dict.forms.iter().map(|f| f.phrase.len()).sum());
        for e in &dict.entries {
            self.agents.push(AgentEntry {
                code: e.code.code.to_string(),
                prefix: e.code.position == dyad_dict::AgentPosition::Prefix,
                src: SourceRef {
                    file: fi,
                    line: e.line,
                },
            });
        }
        for f in &dict.forms {
            self.insert_phrase(true, &f.phrase, base + f.entry);
        }
    }

    /// Adds a discard file, read by `dyad-dict`.
    pub fn add_discards(&mut self, text: &str, file: &str) {
        let (dict, diags) = dyad_dict::discards::read(file, text.as_bytes());
        self.add_diagnostics(&diags);
        self.add_discard_dict(&dict);
    }

    /// Compiles discard phrases.
    pub fn add_discard_dict(&mut self, dict: &dyad_dict::DiscardDict) {
        self.discards.extend(dict.entries.iter().map(|e| Discard {
            text: e.text.to_string(),
            story: e.scope == dyad_dict::DiscardScope::Story,
            exact_end: e.whole_word,
        }));
    }

    /// Adds an issue file, read by `dyad-dict`.
    pub fn add_issues(&mut self, text: &str, file: &str) {
        let (dict, diags) = dyad_dict::issues::read(file, text.as_bytes());
        self.add_diagnostics(&diags);
        self.add_issue_dict(&dict);
    }

    /// Compiles issue entries into phrases: `n:`/`v:` parts expand into their forms and parts
    /// joined by `+` match both as separate words and hyphen-joined.
    pub fn add_issue_dict(&mut self, dict: &dyad_dict::IssueDict) {
        use dyad_dict::issues::Inflect;
        for e in &dict.entries {
            let mut variants: Vec<Vec<String>> = vec![Vec::new()];
            for tok in &e.tokens {
                let mut forms: Vec<Vec<String>> = vec![Vec::new()];
                for (pi, part) in tok.parts.iter().enumerate() {
                    let w = part.word.to_string();
                    let pf = match part.inflect {
                        Inflect::None => vec![w],
                        Inflect::Noun => {
                            let p = plural(&w);
                            vec![w, p]
                        }
                        Inflect::Verb => {
                            let [a, b, c] = verb_forms(&w);
                            vec![w, a, b, c]
                        }
                    };
                    let mut next = Vec::new();
                    for f in &forms {
                        for x in &pf {
                            let mut a = f.clone();
                            a.push(x.clone());
                            next.push(a);
                            if pi > 0 {
                                let mut b = f.clone();
                                if let Some(last) = b.last_mut() {
                                    last.push('-');
                                    last.push_str(x);
                                }
                                next.push(b);
                            }
                        }
                    }
                    forms = next;
                }
                variants = variants
                    .iter()
                    .flat_map(|p| {
                        forms.iter().map(move |f| {
                            let mut q = p.clone();
                            q.extend(f.iter().cloned());
                            q
                        })
                    })
                    .collect();
            }
            for v in variants {
                let words = v.iter().map(|w| self.words.intern(w)).collect();
                self.issues.push(IssuePhrase {
                    words,
                    code: e.code.to_string(),
                });
            }
        }
    }

    /// Adds a verb file, read by `dyad-dict` (the codebook chosen from the file name by
    /// [`dyad_dict::codebooks::for_verbs_file`]). Only PETRARCH-1/TABARI linear patterns are
    /// compiled; a PETRARCH-2 file is reported and skipped.
    pub fn add_verbs(&mut self, text: &str, file: &str) {
        let book = dyad_dict::codebooks::for_verbs_file(Path::new(file));
        match dyad_dict::verbs::detect_format(text.as_bytes()) {
            dyad_dict::VerbFormat::P1 => {
                let (dict, diags) = dyad_dict::verbs::read_p1(file, text.as_bytes(), book);
                self.add_diagnostics(&diags);
                self.add_verb_dict(&dict);
            }
            _ => self.warn(
                file,
                0,
                "PETRARCH-2 verb patterns are not used by the coder (give a PETRARCH-1 file)",
            ),
        }
    }

    /// Compiles a PETRARCH-1 verb dictionary: synsets (nested references expanded, plurals
    /// unless `_`), verb forms keyed by the verb word (regular forms plus `{irregular}` ones),
    /// and block patterns split at `*` into `upper` (outward from the verb) and `lower`.
    pub fn add_verb_dict(&mut self, dict: &dyad_dict::VerbDictP1) {
        let fi = self.add_file(&dict.file);
        // Synsets: ids first (so references resolve in any order), then two expansion rounds
        // (one level of nesting).
        let offset = self.synsets.len() as u32;
        let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
        for s in &dict.synsets {
            let n = offset + ids.len() as u32;
            ids.entry(&*s.name).or_insert(n);
        }
        self.synsets.resize(offset as usize + ids.len(), Vec::new());
        for _round in 0..2 {
            for s in &dict.synsets {
                let Some(&id) = ids.get(&*s.name) else {
                    continue;
                };
                let mut out: Vec<Vec<Sym>> = Vec::new();
                for m in &s.members {
                    if let Some(r) = m.synset_ref() {
                        if let Some(&j) = ids.get(r) {
                            out.extend(self.synsets[j as usize].clone());
                        }
                        continue;
                    }
                    let ws: Vec<&str> = m.phrase.words().collect();
                    out.push(ws.iter().map(|w| self.words.intern(w)).collect());
                    if !s.no_plural && !m.phrase.trailing_underscore() {
                        let mut pl: Vec<Sym> = ws[..ws.len() - 1]
                            .iter()
                            .map(|w| self.words.intern(w))
                            .collect();
                        pl.push(self.words.intern(&plural(ws[ws.len() - 1])));
                        out.push(pl);
                    }
                }
                out.sort_by_key(|p| std::cmp::Reverse(p.len()));
                self.synsets[id as usize] = out;
            }
        }
        for b in &dict.blocks {
            let bi = self.blocks.len() as u32;
            let mut patterns = Vec::with_capacity(b.patterns.len());
            for p in &b.patterns {
                let src = SourceRef {
                    file: fi,
                    line: p.line,
                };
                match self.compile_pattern(p, &ids, src) {
                    Ok(pat) => patterns.push(pat),
                    Err(cause) => self.warn(&dict.file, p.line as usize, cause),
                }
            }
            self.blocks.push(VerbBlock {
                name: b.name.to_string(),
                code: verb_code(&b.code),
                patterns,
                src: SourceRef {
                    file: fi,
                    line: b.line,
                },
            });
            for v in &b.verbs {
                self.add_verb_entry(v, bi, fi);
            }
        }
    }

    fn add_verb_entry(&mut self, v: &dyad_dict::verbs::VerbEntry, block: u32, fi: u16) {
        let base = &v.base;
        let words: Vec<&str> = base.phrase.words().collect();
        let vw = base.verb_word.min(words.len().saturating_sub(1));
        // the verb as written: `+` marks the verb word of a multi-word verb
        let text = if words.len() > 1 {
            words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    if i == vw {
                        format!("+{w}")
                    } else {
                        w.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("_")
        } else {
            base.phrase.as_str().to_string()
        };
        // (before, verb word, after) of every form
        let mut forms: Vec<(Vec<&str>, String, Vec<&str>)> = Vec::new();
        fn split<'a>(ws: &[&'a str], i: usize) -> (Vec<&'a str>, Vec<&'a str>) {
            (ws[..i].to_vec(), ws[i + 1..].to_vec())
        }
        let (pre, post) = split(&words, vw);
        forms.push((pre.clone(), words[vw].to_string(), post.clone()));
        for f in verb_forms(words[vw]) {
            forms.push((pre.clone(), f, post.clone()));
        }
        let irregular: Vec<Vec<&str>> = v
            .irregular
            .iter()
            .flatten()
            .map(|f| f.phrase.words().collect())
            .collect();
        for (f, ws) in v.irregular.iter().flatten().zip(&irregular) {
            let i = f.verb_word.min(ws.len().saturating_sub(1));
            let (a, b) = split(ws, i);
            forms.push((a, ws[i].to_string(), b));
        }
        forms.sort();
        forms.dedup();
        let code = v.code.as_ref().map(verb_code);
        for (pre, vw, post) in forms {
            let vf = VerbForm {
                block,
                before: pre.iter().map(|w| self.words.intern(w)).collect(),
                after: post.iter().map(|w| self.words.intern(w)).collect(),
                code: code.clone(),
                text: text.clone(),
                src: SourceRef {
                    file: fi,
                    line: v.line,
                },
            };
            let key = self.words.intern(&vw);
            self.verbs.entry(key).or_default().push(vf);
        }
    }

    fn compile_pattern(
        &mut self,
        p: &dyad_dict::verbs::LinearPattern,
        synsets: &FxHashMap<&str, u32>,
        src: SourceRef,
    ) -> Result<Pattern, String> {
        let star = p.verb_index();
        // pattern text as written (blank or `_` between tokens)
        let mut text = String::new();
        for (i, e) in p.elems.iter().enumerate() {
            if i > 0 {
                text.push(if p.elems[i - 1].gap_after { ' ' } else { '_' });
            }
            text.push_str(token_text(&e.token));
        }
        let mut conv = |t: &Token| -> Result<PatElem, String> {
            Ok(match t {
                Token::Source => PatElem::Source,
                Token::Target => PatElem::Target,
                Token::Compound => PatElem::Compound,
                Token::Skip => PatElem::Skip,
                Token::Synset(name) => PatElem::Synset(
                    *synsets
                        .get(&**name)
                        .ok_or_else(|| format!("undefined synset {name}"))?,
                ),
                Token::Word(w) => PatElem::Word(self.words.intern(w)),
                Token::Verb => return Err(format!("pattern '{text}' has more than one '*'")),
            })
        };
        // element j is `closed` (joined by `_`) toward the verb
        let mut upper = Vec::with_capacity(star);
        for j in (0..star).rev() {
            upper.push(PatItem {
                elem: conv(&p.elems[j].token)?,
                closed: !p.elems[j].gap_after,
            });
        }
        let mut lower = Vec::new();
        for j in star + 1..p.elems.len() {
            lower.push(PatItem {
                elem: conv(&p.elems[j].token)?,
                closed: !p.elems[j - 1].gap_after,
            });
        }
        let weight = (upper.len() + lower.len()) as u32;
        let mut required: Vec<Sym> = upper
            .iter()
            .chain(lower.iter())
            .filter_map(|i| match i.elem {
                PatElem::Word(w) => Some(w),
                _ => None,
            })
            .collect();
        required.sort_unstable();
        required.dedup();
        Ok(Pattern {
            upper,
            lower,
            code: verb_code(&p.code),
            text,
            src,
            weight,
            required,
        })
    }
}

/// Regular plural of an upper-case noun.
pub fn plural(w: &str) -> String {
    if w.ends_with('Y')
        && w.len() > 1
        && !matches!(w.as_bytes()[w.len() - 2], b'A' | b'E' | b'O' | b'U')
    {
        format!("{}IES", &w[..w.len() - 1])
    } else if w.ends_with("SS")
        || w.ends_with("SH")
        || w.ends_with("CH")
        || w.ends_with('X')
        || w.ends_with('Z')
    {
        format!("{w}ES")
    } else {
        format!("{w}S")
    }
}

/// Regular verb forms of an upper-case verb: 3rd person, past, gerund.
pub fn verb_forms(v: &str) -> [String; 3] {
    let b = v.as_bytes();
    let n = b.len();
    let vowel = |c: u8| matches!(c, b'A' | b'E' | b'I' | b'O' | b'U');
    let s = if v.ends_with('Y') && n > 1 && !vowel(b[n - 2]) {
        format!("{}IES", &v[..n - 1])
    } else if v.ends_with('S')
        || v.ends_with("SH")
        || v.ends_with("CH")
        || v.ends_with('X')
        || v.ends_with('Z')
        || v.ends_with('O')
    {
        format!("{v}ES")
    } else {
        format!("{v}S")
    };
    let ed = if v.ends_with('E') {
        format!("{v}D")
    } else if v.ends_with('Y') && n > 1 && !vowel(b[n - 2]) {
        format!("{}IED", &v[..n - 1])
    } else {
        format!("{v}ED")
    };
    let ing = if v.ends_with('E') && !v.ends_with("EE") && n > 2 {
        format!("{}ING", &v[..n - 1])
    } else {
        format!("{v}ING")
    };
    [s, ed, ing]
}
/// When a word is hyphenated ("AL-QAEDA"), the variant of the phrase with the hyphen as its own
/// token ("AL" "-" "QAEDA"), as PTB/UD tokenizers often split it.
fn hyphen_variants(ws: &[(String, bool)]) -> Option<Vec<(String, bool)>> {
    if !ws.iter().any(|(w, _)| w.trim_matches('-').contains('-')) {
        return None;
    }
    let mut v = Vec::new();
    for (w, gap) in ws {
        let parts: Vec<&str> = w.split('-').collect();
        if parts.len() > 1 && parts.iter().all(|p| !p.is_empty()) {
            for (k, p) in parts.iter().enumerate() {
                if k > 0 {
                    v.push(("-".to_string(), false));
                }
                v.push((p.to_string(), if k == 0 { *gap } else { false }));
            }
        } else {
            v.push((w.clone(), *gap));
        }
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_by_first_word_lists_every_phrase_under_its_first_word() {
        let mut t = PhraseTrie::new();
        // 1 = A, 2 = B, 3 = C
        t.insert(&[(1, false)], 10);
        t.insert(&[(1, false), (2, false)], 11);
        t.insert(&[(1, false), (3, true), (2, false)], 12);
        t.insert(&[(2, false), (1, false)], 20);
        t.insert(&[(3, false)], 30);
        t.insert(&[(3, false)], 31); // replaces 30
        let m = t.payloads_by_first_word();
        assert_eq!(m.len(), 3);
        assert_eq!(m[&1], vec![10, 11, 12]);
        assert_eq!(m[&2], vec![20]);
        assert_eq!(m[&3], vec![31]);
        let mut firsts: Vec<Sym> = t.first_words().collect();
        firsts.sort_unstable();
        assert_eq!(firsts, vec![1, 2, 3]);
    }

    #[test]
    fn forms() {
        assert_eq!(
            verb_forms("DEPLORE"),
            [
                "DEPLORES".to_string(),
                "DEPLORED".into(),
                "DEPLORING".into()
            ]
        );
        assert_eq!(verb_forms("DEPART")[0], "DEPARTS");
        assert_eq!(plural("CONGRESS"), "CONGRESSES");
        assert_eq!(plural("AUTHORITY"), "AUTHORITIES");
    }

    #[test]
    fn issue_expansions() {
        let mut d = Dictionaries::empty();
        d.add_issues("pre+n:school [EDU]\n", "i.txt");
        let texts: Vec<String> = d
            .issues
            .iter()
            .map(|p| {
                p.words
                    .iter()
                    .map(|&w| d.words.text(w))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        for want in ["PRE SCHOOL", "PRE SCHOOLS", "PRE-SCHOOL", "PRE-SCHOOLS"] {
            assert!(texts.iter().any(|t| t == want), "{want} in {texts:?}");
        }
    }

    #[test]
    fn dates() {
        let e = ActorEntry {
            default: Some("X".into()),
            dated: vec![
                (DateRule::Before(19950601), Some("A".into())),
                (DateRule::Between(19950601, 19990815), Some("B".into())),
            ],
            root: String::new(),
            src: SourceRef::default(),
        };
        assert_eq!(e.code_at(Some(19950601)), Some("A"));
        assert_eq!(e.code_at(Some(19990815)), Some("B"));
        assert_eq!(e.code_at(Some(20000101)), Some("X"));
    }

    #[test]
    fn actor_dates_come_from_dyad_dict() {
        let mut d = Dictionaries::empty();
        d.add_actors(
            "FOO_LAND [FOO]\n    [AAA <950601]\n    [BBB 950602-990815]\n+FOOLANDIA\n",
            "a.txt",
        );
        assert_eq!(d.actors.len(), 1);
        let e = &d.actors[0];
        assert_eq!(e.src.line, 1);
        assert_eq!(d.files[e.src.file as usize], "a.txt");
        assert_eq!(e.code_at(Some(19950101)), Some("AAA"));
        assert_eq!(e.code_at(Some(19970101)), Some("BBB"));
        assert_eq!(e.code_at(Some(20000101)), Some("FOO"));
        let w = |s: &str| d.words.get(s);
        assert_eq!(d.actor_trie.longest(&[w("FOOLANDIA")]), Some((0, 1)));
        assert!(d
            .actor_trie
            .longest(&[w("FOO"), UNKNOWN, w("LAND")])
            .is_none());
    }

    #[test]
    fn verbs_compile_from_dyad_dict() {
        let mut d = Dictionaries::empty();
        d.add_verbs(
            "&CURRENCY\n+DOLLAR\n+EURO_\n\n--- ATTACK [190] ---\nASSAIL {ASSAULTED}\n             - $ * +_WITH &CURRENCY [193]\n- $_BADLY * [191:192]\n",
            "test.verbs.txt",
        );
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        assert_eq!(d.blocks.len(), 1);
        let b = &d.blocks[0];
        assert_eq!(b.code.code.as_deref(), Some("190"));
        assert_eq!(b.patterns.len(), 2);
        let p = &b.patterns[0];
        assert_eq!(
            p.upper,
            vec![PatItem {
                elem: PatElem::Source,
                closed: false
            }]
        );
        let with = d.words.get("WITH");
        assert_eq!(
            p.lower[0],
            PatItem {
                elem: PatElem::Target,
                closed: false
            }
        );
        assert_eq!(
            p.lower[1],
            PatItem {
                elem: PatElem::Word(with),
                closed: true
            }
        );
        assert!(!p.lower[2].closed);
        let PatElem::Synset(si) = p.lower[2].elem else {
            panic!("synset expected: {:?}", p.lower[2]);
        };
        // DOLLAR, DOLLARS, EURO (no plural after `_`)
        assert_eq!(d.synsets[si as usize].len(), 3);
        assert_eq!(p.src.line, 7);
        let q = &b.patterns[1];
        assert_eq!(q.upper[0].elem, PatElem::Word(d.words.get("BADLY")));
        assert!(!q.upper[0].closed && q.upper[1].closed);
        assert_eq!(q.code.code.as_deref(), Some("191"));
        assert_eq!(q.code.paired.as_deref(), Some("192"));
        for f in ["ASSAIL", "ASSAILS", "ASSAILED", "ASSAILING", "ASSAULTED"] {
            assert!(d.verbs.contains_key(&d.words.get(f)), "{f}");
        }
    }

    #[test]
    fn bad_lines_become_warnings_with_file_and_line() {
        let mut d = Dictionaries::empty();
        d.add_actors("FOO [F]\n    [AAA <95x601]\nBAR [B]\n", "bad.actors.txt");
        let w = d
            .warnings
            .iter()
            .find(|w| w.line == 2)
            .expect("line 2 reported");
        assert_eq!(w.file, "bad.actors.txt");
        assert!(w.to_string().starts_with("bad.actors.txt:2: "), "{w}");
        // the rest of the file is still compiled
        assert_eq!(d.actors.len(), 2);
    }

    #[test]
    fn trie_gaps() {
        let mut d = Dictionaries::empty();
        d.add_actors("FOO BAR [FB]\nFOO_BAZ [FZ]\n", "a.txt");
        let w = |s: &str| d.words.get(s);
        let seq = [w("FOO"), UNKNOWN, w("BAR")];
        let (v, n) = d.actor_trie.longest(&seq).unwrap();
        assert_eq!(d.actors[v as usize].default.as_deref(), Some("FB"));
        assert_eq!(n, 3);
        assert!(d
            .actor_trie
            .longest(&[w("FOO"), UNKNOWN, w("BAZ")])
            .is_none());
    }

    #[test]
    fn hyphenated_words_match_split_tokens() {
        let mut d = Dictionaries::empty();
        d.add_actors(
            "AL-ZARQ_FRONT [AZF]\nBARZANÎ [BRZ]\nÎ-Î [II]\n-X- [XX]\n",
            "a.txt",
        );
        let w = |s: &str| d.words.get(s);
        let (v, n) = d
            .actor_trie
            .longest(&[w("AL"), w("-"), w("ZARQ"), w("FRONT")])
            .expect("split form matches");
        assert_eq!(d.actors[v as usize].default.as_deref(), Some("AZF"));
        assert_eq!(n, 4);
        assert!(d.actor_trie.longest(&[w("AL-ZARQ"), w("FRONT")]).is_some());
    }
}
