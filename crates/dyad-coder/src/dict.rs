//! Dictionary compilation: PETRARCH-1/TABARI verb patterns, actors, agents and discards turned
//! into matching structures keyed by interned words.
//!
//! The readers here are deliberately lenient (they skip what they cannot use and report it as
//! `file:line: cause`); `dyad-dict` is the project's authoritative, fully-diagnosed reader.

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
    #[error("{file}: cannot read: {source}")]
    Io {
        /// File.
        file: String,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
}

fn strip_comment(line: &str, in_block: &mut bool) -> String {
    // Remove XML-style comments (possibly spanning lines) and '#'/';' comments.
    let mut out = String::new();
    let mut rest = line;
    loop {
        if *in_block {
            match rest.find("-->") {
                Some(i) => {
                    rest = &rest[i + 3..];
                    *in_block = false;
                }
                None => return out,
            }
        }
        match rest.find("<!") {
            Some(i) => {
                out.push_str(&rest[..i]);
                rest = &rest[i + 2..];
                *in_block = true;
            }
            None => {
                out.push_str(rest);
                break;
            }
        }
    }
    if let Some(i) = out.find('#') {
        out.truncate(i);
    }
    if let Some(i) = out.find(';') {
        out.truncate(i);
    }
    out
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

fn parse_code(s: &str) -> VerbCode {
    let s = s.trim();
    let (a, b) = match s.split_once(':') {
        Some((a, b)) => (a.trim(), Some(b.trim())),
        None => (s, None),
    };
    let conv = |x: &str| {
        if x.is_empty() || x == "---" {
            None
        } else {
            Some(x.to_string())
        }
    };
    VerbCode {
        code: conv(a),
        paired: b.and_then(conv),
    }
}

/// YYMMDD or YYYYMMDD → YYYYMMDD.
pub fn parse_date(s: &str) -> Option<DateNum> {
    let s = s.trim();
    if !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: u32 = s.parse().ok()?;
    match s.len() {
        6 => {
            let yy = n / 10000;
            let year = if yy <= 30 { 2000 + yy } else { 1900 + yy };
            Some(year * 10000 + n % 10000)
        }
        8 => Some(n),
        7 => Some(n), // lenient: a 7-digit date is read as-is
        _ => None,
    }
}

fn parse_date_rule(s: &str) -> Option<DateRule> {
    let s = s.trim();
    if s.is_empty() {
        return Some(DateRule::Always);
    }
    if let Some(d) = s.strip_prefix('<') {
        return parse_date(d).map(DateRule::Before);
    }
    if let Some(d) = s.strip_prefix('>') {
        return parse_date(d).map(DateRule::After);
    }
    let (a, b) = s.split_once('-')?;
    Some(DateRule::Between(parse_date(a)?, parse_date(b)?))
}

/// Splits a phrase on spaces/underscores into (word, gap-before) pairs; trailing `_` dropped.
fn phrase_words(p: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut gap = false;
    let mut cur = String::new();
    for c in p.chars() {
        match c {
            ' ' | '\t' => {
                if !cur.is_empty() {
                    out.push((std::mem::take(&mut cur), gap));
                }
                gap = true;
            }
            '_' => {
                if !cur.is_empty() {
                    out.push((std::mem::take(&mut cur), gap));
                }
                gap = false;
            }
            c => {
                if cur.is_empty() && out.is_empty() {
                    gap = false;
                }
                cur.extend(c.to_uppercase());
            }
        }
    }
    if !cur.is_empty() {
        out.push((cur, gap));
    }
    out
}

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

    /// Loads a PETRARCH-1 dictionary set from disk.
    pub fn load(paths: &DictPaths) -> Result<Dictionaries, DictError> {
        let read = |p: &Path| {
            std::fs::read(p)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .map_err(|e| DictError::Io {
                    file: p.display().to_string(),
                    source: e,
                })
        };
        let mut d = Dictionaries {
            actor_trie: PhraseTrie::new(),
            agent_trie: PhraseTrie::new(),
            ..Default::default()
        };
        let name = |p: &Path| {
            p.file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        if let Some(p) = &paths.verbs {
            d.add_verbs(&read(p)?, &name(p));
        }
        for p in &paths.actors {
            d.add_actors(&read(p)?, &name(p));
        }
        if let Some(p) = &paths.agents {
            d.add_agents(&read(p)?, &name(p));
        }
        if let Some(p) = &paths.discards {
            d.add_discards(&read(p)?, &name(p));
        }
        if let Some(p) = &paths.issues {
            d.add_issues(&read(p)?, &name(p));
        }
        Ok(d)
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

    /// Adds an actor file (PETRARCH-1 format).
    pub fn add_actors(&mut self, text: &str, file: &str) {
        let fi = self.add_file(file);
        let mut in_c = false;
        // current entry: phrases + entry index
        let mut cur_phrases: Vec<Vec<(String, bool)>> = Vec::new();
        let mut cur: Option<usize> = None;
        for (i, raw) in text.lines().enumerate() {
            let lineno = i + 1;
            let starts_ws = raw.starts_with([' ', '\t']);
            let line = strip_comment(raw, &mut in_c);
            let t = line.trim();
            if t.is_empty() {
                continue;
            }
            if starts_ws && t.starts_with('[') {
                // date restriction for the current entry
                let Some(ci) = cur else {
                    self.warn(file, lineno, "date restriction without an actor");
                    continue;
                };
                let inner = t.trim_start_matches('[');
                let inner = inner.split(']').next().unwrap_or("").trim();
                let mut parts = inner.splitn(2, char::is_whitespace);
                let code = parts.next().unwrap_or("").trim();
                let rest = parts.next().unwrap_or("");
                let code = if code == "---" || code.is_empty() {
                    None
                } else {
                    Some(code.to_uppercase())
                };
                match parse_date_rule(&rest.replace(' ', "")) {
                    Some(r) => self.actors[ci].dated.push((r, code)),
                    None => self.warn(file, lineno, format!("bad date restriction '{inner}'")),
                }
                continue;
            }
            let (phrase, code) = match t.find('[') {
                Some(k) => {
                    let c = t[k + 1..].split(']').next().unwrap_or("").trim();
                    (
                        t[..k].trim(),
                        Some(c.split_whitespace().next().unwrap_or("").to_uppercase()),
                    )
                }
                None => (t, None),
            };
            let code = code.filter(|c| !c.is_empty());
            if let Some(syn) = phrase.strip_prefix('+') {
                let Some(ci) = cur else {
                    self.warn(file, lineno, "synonym without an actor");
                    continue;
                };
                let ws = phrase_words(syn);
                if ws.is_empty() {
                    continue;
                }
                let s = self.syms(&ws);
                self.actor_trie.insert(&s, ci as u32);
                if let Some(v) = hyphen_variants(&ws) {
                    let s = self.syms(&v);
                    self.actor_trie.insert(&s, ci as u32);
                }
                cur_phrases.push(ws);
                if let Some(c) = code {
                    if self.actors[ci].default.is_none() && c != "---" {
                        self.actors[ci].default = Some(c);
                    }
                }
                continue;
            }
            let ws = phrase_words(phrase);
            if ws.is_empty() {
                self.warn(file, lineno, "actor line without a phrase");
                continue;
            }
            let idx = self.actors.len();
            self.actors.push(ActorEntry {
                default: code.filter(|c| c != "---"),
                dated: Vec::new(),
                root: ws
                    .iter()
                    .map(|(w, _)| w.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                src: SourceRef {
                    file: fi,
                    line: lineno as u32,
                },
            });
            let s = self.syms(&ws);
            self.actor_trie.insert(&s, idx as u32);
            if let Some(v) = hyphen_variants(&ws) {
                let s = self.syms(&v);
                self.actor_trie.insert(&s, idx as u32);
            }
            cur_phrases.clear();
            cur_phrases.push(ws);
            cur = Some(idx);
        }
    }

    /// Adds an agent file (PETRARCH-1 format).
    pub fn add_agents(&mut self, text: &str, file: &str) {
        let fi = self.add_file(file);
        let mut in_c = false;
        let mut subs: Vec<(String, Vec<String>)> = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let lineno = i + 1;
            let line = strip_comment(raw, &mut in_c);
            let t = line.trim();
            if t.is_empty() {
                continue;
            }
            if t.starts_with('!') {
                if let Some((k, v)) = t.split_once('=') {
                    subs.push((
                        k.trim().to_uppercase(),
                        v.split(',')
                            .map(|x| x.trim().to_uppercase())
                            .filter(|x| !x.is_empty())
                            .collect(),
                    ));
                    continue;
                }
            }
            let Some(k) = t.find('[') else {
                self.warn(file, lineno, "agent line without [code]");
                continue;
            };
            let code_raw: String = t[k + 1..]
                .split([']', '}'])
                .next()
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let (code, prefix) = if let Some(c) = code_raw.strip_prefix('~') {
                (c.to_uppercase(), false)
            } else if let Some(c) = code_raw.strip_suffix('~') {
                (c.to_uppercase(), true)
            } else {
                self.warn(file, lineno, format!("agent code '{code_raw}' has no '~'"));
                continue;
            };
            let head = &t[..k];
            let (phrase, plurals): (&str, Option<Vec<&str>>) = match head.find('{') {
                Some(b) => {
                    let inner = head[b + 1..].split('}').next().unwrap_or("");
                    (head[..b].trim(), Some(inner.split_whitespace().collect()))
                }
                None => (head.trim(), None),
            };
            // substitution markers
            let mut phrases = vec![phrase.to_uppercase()];
            for (marker, vals) in &subs {
                if phrases.iter().any(|p| p.contains(marker.as_str())) {
                    phrases = phrases
                        .iter()
                        .flat_map(|p| vals.iter().map(move |v| p.replace(marker.as_str(), v)))
                        .collect();
                }
            }
            let has_marker = phrase.contains('!');
            let mut all: Vec<String> = Vec::new();
            for p in &phrases {
                all.push(p.clone());
                if has_marker {
                    continue;
                }
                match &plurals {
                    None => {
                        let ws = phrase_words(p);
                        if let Some((last, _)) = ws.last() {
                            let pl = plural(last);
                            let mut s = p.trim_end_matches('_').to_string();
                            s.truncate(s.len() - last.len());
                            s.push_str(&pl);
                            all.push(s);
                        }
                    }
                    Some(v) => all.extend(v.iter().map(|x| x.to_uppercase())),
                }
            }
            let idx = self.agents.len() as u32;
            self.agents.push(AgentEntry {
                code,
                prefix,
                src: SourceRef {
                    file: fi,
                    line: lineno as u32,
                },
            });
            for p in all {
                let ws = phrase_words(&p);
                if ws.is_empty() {
                    continue;
                }
                let s = self.syms(&ws);
                self.agent_trie.insert(&s, idx);
                if let Some(v) = hyphen_variants(&ws) {
                    let s = self.syms(&v);
                    self.agent_trie.insert(&s, idx);
                }
            }
        }
    }

    /// Adds a discard file.
    pub fn add_discards(&mut self, text: &str, file: &str) {
        let mut in_c = false;
        let _ = file;
        for raw in text.lines() {
            let line = strip_comment(raw, &mut in_c);
            let t = line.trim();
            if t.is_empty() {
                continue;
            }
            let (story, t) = match t.strip_prefix('+') {
                Some(r) => (true, r.trim()),
                None => (false, t),
            };
            let exact_end = t.ends_with('_');
            let text = t.trim_end_matches('_').replace('_', " ").to_uppercase();
            self.discards.push(Discard {
                text,
                story,
                exact_end,
            });
        }
    }

    /// Adds an issue file (`phrase [CODE]` lines; `n:`/`v:` expansions).
    pub fn add_issues(&mut self, text: &str, file: &str) {
        let mut in_c = false;
        for (i, raw) in text.lines().enumerate() {
            let line = strip_comment(raw, &mut in_c);
            let t = line.trim();
            if t.is_empty() || t.starts_with('<') || t.starts_with('~') {
                continue;
            }
            let Some(k) = t.find('[') else {
                self.warn(file, i + 1, "issue line without [code]");
                continue;
            };
            let code = t[k + 1..]
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            let mut variants: Vec<Vec<String>> = vec![Vec::new()];
            for w in t[..k].split_whitespace() {
                let w = w.to_uppercase();
                // n:/v: expand a part into its forms; '+' joins parts with a blank or a hyphen
                let part_forms = |p: &str| -> Vec<String> {
                    if let Some(n) = p.strip_prefix("N:") {
                        vec![n.to_string(), plural(n)]
                    } else if let Some(v) = p.strip_prefix("V:") {
                        let [a, b, c] = verb_forms(v);
                        vec![v.to_string(), a, b, c]
                    } else {
                        vec![p.to_string()]
                    }
                };
                let parts: Vec<&str> = w.split('+').filter(|x| !x.is_empty()).collect();
                let mut forms: Vec<Vec<String>> = vec![Vec::new()];
                for (pi, part) in parts.iter().enumerate() {
                    let pf = part_forms(part);
                    let mut next = Vec::new();
                    for f in &forms {
                        for x in &pf {
                            // as separate words
                            let mut a = f.clone();
                            a.push(x.clone());
                            next.push(a);
                            // hyphen-joined to the previous part
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
                    code: code.clone(),
                });
            }
        }
    }

    /// Adds a verb file (PETRARCH-1/TABARI linear patterns).
    pub fn add_verbs(&mut self, text: &str, file: &str) {
        let fi = self.add_file(file);
        let mut in_c = false;
        let mut synset_ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut synset_raw: Vec<(String, Vec<String>)> = Vec::new();
        let mut cur_synset: Option<usize> = None;
        let mut cur_block: Option<usize> = None;
        // First pass: collect synsets so later definitions can be used anywhere.
        for raw in text.lines() {
            let line = strip_comment(raw, &mut in_c);
            let t = line.trim();
            if t.is_empty() {
                continue;
            }
            if let Some(name) = t.strip_prefix('&') {
                let name = name.split_whitespace().next().unwrap_or("").to_uppercase();
                synset_raw.push((name, Vec::new()));
                cur_synset = Some(synset_raw.len() - 1);
            } else if let (Some(ph), Some(si)) = (t.strip_prefix('+'), cur_synset) {
                synset_raw[si].1.push(ph.trim().to_uppercase());
            } else {
                cur_synset = None;
            }
        }
        // Expand synsets (one level of nesting allowed) with plurals.
        for (name, _) in &synset_raw {
            let id = self.synsets.len() as u32 + synset_ids.len() as u32;
            let _ = id;
            let n = synset_ids.len() as u32;
            synset_ids
                .entry(name.trim_end_matches('_').to_string())
                .or_insert(n);
        }
        let mut expanded: Vec<Vec<Vec<Sym>>> = vec![Vec::new(); synset_ids.len()];
        for _round in 0..2 {
            for (name, phrases) in &synset_raw {
                let no_plural_label = name.ends_with('_');
                let Some(&id) = synset_ids.get(name.trim_end_matches('_')) else {
                    continue;
                };
                let mut out: Vec<Vec<Sym>> = Vec::new();
                for p in phrases {
                    if let Some(inner) = p.strip_prefix('&') {
                        if let Some(&j) = synset_ids.get(inner.trim().trim_end_matches('_')) {
                            out.extend(expanded[j as usize].clone());
                        }
                        continue;
                    }
                    let ws: Vec<String> = phrase_words(p).into_iter().map(|(w, _)| w).collect();
                    if ws.is_empty() {
                        continue;
                    }
                    out.push(ws.iter().map(|w| self.words.intern(w)).collect());
                    if !no_plural_label && !p.trim_end().ends_with('_') {
                        let mut pl = ws.clone();
                        if let Some(l) = pl.last_mut() {
                            *l = plural(l);
                        }
                        out.push(pl.iter().map(|w| self.words.intern(w)).collect());
                    }
                }
                out.sort_by_key(|p| std::cmp::Reverse(p.len()));
                expanded[id as usize] = out;
            }
        }
        self.synsets = expanded;
        in_c = false;
        let mut in_synset = false;
        for (i, raw) in text.lines().enumerate() {
            let lineno = i + 1;
            let src = SourceRef {
                file: fi,
                line: lineno as u32,
            };
            // Block headers carry '#' comments inside; strip only XML comments first.
            let t0 = strip_comment(raw, &mut in_c);
            let is_header = raw.trim_start().starts_with("---");
            let t = if is_header { raw.trim() } else { t0.trim() };
            if t.is_empty() {
                // only a truly blank line ends a synset; comment-only lines do not
                if raw.trim().is_empty() {
                    in_synset = false;
                }
                continue;
            }
            if t.starts_with('&') {
                in_synset = true;
                continue;
            }
            if in_synset && t.starts_with('+') {
                continue;
            }
            in_synset = false;
            if is_header {
                let body = t.trim_start_matches('-').trim_end_matches('-');
                let body = body.split('#').next().unwrap_or("");
                let name = body.split('[').next().unwrap_or("").trim().to_uppercase();
                let code = body
                    .find('[')
                    .map(|k| parse_code(body[k + 1..].split(']').next().unwrap_or("")))
                    .unwrap_or(VerbCode {
                        code: None,
                        paired: None,
                    });
                self.blocks.push(VerbBlock {
                    name,
                    code,
                    patterns: Vec::new(),
                    src,
                });
                cur_block = Some(self.blocks.len() - 1);
                continue;
            }
            let Some(bi) = cur_block else {
                self.warn(
                    file,
                    lineno,
                    "verb or pattern before the first block header",
                );
                continue;
            };
            if let Some(p) = t.strip_prefix('-') {
                match self.compile_pattern(p.trim(), &synset_ids, src) {
                    Ok(pat) => self.blocks[bi].patterns.push(pat),
                    Err(cause) => self.warn(file, lineno, cause),
                }
                continue;
            }
            // A verb line: VERB {irregular forms} [code]
            let (head, code) = match t.find('[') {
                Some(k) => (
                    &t[..k],
                    Some(parse_code(t[k + 1..].split(']').next().unwrap_or(""))),
                ),
                None => (t, None),
            };
            let (verb, irregular): (&str, Vec<&str>) = match head.find('{') {
                Some(b) => (
                    head[..b].trim(),
                    head[b + 1..]
                        .split('}')
                        .next()
                        .unwrap_or("")
                        .split_whitespace()
                        .collect(),
                ),
                None => (head.trim(), Vec::new()),
            };
            if verb.is_empty() {
                continue;
            }
            let mut forms: Vec<String> = Vec::new();
            let spec = verb.to_uppercase().replace(' ', "_");
            forms.push(spec.clone());
            let (pre, vw, post) = split_multi(&spec);
            for f in verb_forms(&vw) {
                forms.push(join_multi(&pre, &f, &post));
            }
            for irr in &irregular {
                let irr = irr.to_uppercase();
                if irr.contains('_') || irr.contains('+') {
                    forms.push(irr);
                } else {
                    forms.push(join_multi(&pre, &irr, &post));
                }
            }
            forms.sort();
            forms.dedup();
            for f in forms {
                let (pre, vw, post) = split_multi(&f);
                if vw.is_empty() {
                    continue;
                }
                let vf = VerbForm {
                    block: bi as u32,
                    before: pre.iter().map(|w| self.words.intern(w)).collect(),
                    after: post.iter().map(|w| self.words.intern(w)).collect(),
                    code: code.clone(),
                    text: verb.to_string(),
                    src,
                };
                let key = self.words.intern(&vw);
                self.verbs.entry(key).or_default().push(vf);
            }
        }
    }

    fn compile_pattern(
        &mut self,
        p: &str,
        synsets: &FxHashMap<String, u32>,
        src: SourceRef,
    ) -> Result<Pattern, String> {
        let (body, code) = match p.find('[') {
            Some(k) => (
                &p[..k],
                parse_code(p[k + 1..].split(']').next().unwrap_or("")),
            ),
            None => return Err(format!("pattern '{p}' has no [code]")),
        };
        let body = body.trim();
        // Tokenize into elements with connector flags.
        let mut elems: Vec<(String, bool)> = Vec::new(); // (token, closed-to-previous)
        let mut cur = String::new();
        let mut closed = false;
        let chars: Vec<char> = body.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match c {
                ' ' | '\t' => {
                    if !cur.is_empty() {
                        elems.push((std::mem::take(&mut cur), closed));
                        closed = false;
                    }
                }
                '_' => {
                    if !cur.is_empty() {
                        elems.push((std::mem::take(&mut cur), closed));
                    }
                    closed = true;
                }
                '*' | '$' | '+' | '%' | '^' if cur.is_empty() => {
                    elems.push((c.to_string(), closed));
                    closed = false;
                }
                c => cur.extend(c.to_uppercase()),
            }
            i += 1;
        }
        if !cur.is_empty() {
            elems.push((cur, closed));
        }
        // trailing '_' without following element: ignore
        let star = elems
            .iter()
            .position(|(t, _)| t == "*")
            .ok_or_else(|| format!("pattern '{p}' has no '*'"))?;
        if elems.iter().filter(|(t, _)| t == "*").count() > 1 {
            return Err(format!("pattern '{p}' has more than one '*'"));
        }
        let mut conv = |t: &str| -> Result<PatElem, String> {
            Ok(match t {
                "$" => PatElem::Source,
                "+" => PatElem::Target,
                "%" => PatElem::Compound,
                "^" => PatElem::Skip,
                s if s.starts_with('&') => {
                    let name = s[1..].trim_end_matches('_');
                    PatElem::Synset(
                        *synsets
                            .get(name)
                            .ok_or_else(|| format!("undefined synset &{name}"))?,
                    )
                }
                s if s.contains(['{', '}', '(', ')', '|']) => {
                    return Err(format!("unsupported element '{s}'"))
                }
                s => PatElem::Word(self.words.intern(s)),
            })
        };
        let mut upper = Vec::new();
        // upper: elems[..star] reversed; element j is closed toward verb if elems[j+1].closed
        for j in (0..star).rev() {
            let closed_to_verb = elems[j + 1].1;
            upper.push(PatItem {
                elem: conv(&elems[j].0)?,
                closed: closed_to_verb,
            });
        }
        let mut lower = Vec::new();
        for (t, c) in elems.iter().skip(star + 1) {
            lower.push(PatItem {
                elem: conv(t)?,
                closed: *c,
            });
        }
        let weight = (upper.len() + lower.len()) as u32;
        let mut required: Vec<Sym> = upper
            .iter()
            .chain(lower.iter())
            .filter_map(|i| {
                if let PatElem::Word(w) = i.elem {
                    Some(w)
                } else {
                    None
                }
            })
            .collect();
        required.sort_unstable();
        required.dedup();
        Ok(Pattern {
            upper,
            lower,
            code,
            text: body.to_string(),
            src,
            weight,
            required,
        })
    }
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

/// Splits `WIRE_+TAP` / `+BREAK_DOWN` / `CORDON_OFF` into (before, verb, after).
fn split_multi(s: &str) -> (Vec<String>, String, Vec<String>) {
    let parts: Vec<&str> = s.split('_').filter(|x| !x.is_empty()).collect();
    if parts.is_empty() {
        return (Vec::new(), String::new(), Vec::new());
    }
    let vi = parts.iter().position(|p| p.starts_with('+')).unwrap_or(0);
    let pre = parts[..vi].iter().map(|x| x.to_string()).collect();
    let v = parts[vi].trim_start_matches('+').to_string();
    let post = parts[vi + 1..].iter().map(|x| x.to_string()).collect();
    (pre, v, post)
}

fn join_multi(pre: &[String], v: &str, post: &[String]) -> String {
    let mut parts: Vec<String> = pre.to_vec();
    parts.push(format!("+{v}"));
    parts.extend(post.iter().cloned());
    parts.join("_")
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(parse_date("950601"), Some(19950601));
        assert_eq!(parse_date("101231"), Some(20101231));
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
