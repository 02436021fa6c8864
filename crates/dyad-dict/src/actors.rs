//! Actor dictionaries.
//!
//! An entry is a primary phrase (optionally followed by `[CODE]` and/or
//! date-restricted codes), `+` synonym lines, and date restriction lines
//! (indented `[CODE restriction]`):
//!
//! ```text
//! GONDOR_ [GON]
//! +MINAS_TIRITH_
//! DENETHOR_
//!     [GONGOV 19500101-601231]
//!     [GONELI >610101]
//! ```
//!
//! Restrictions: `<date` (before), `>date` (after), `date-date` (between),
//! none (a default). Dates are `YYMMDD` (years 00–30 → 20YY, else 19YY, as in
//! KEDS/TABARI/PETRARCH) or `YYYYMMDD`. A code may name several actors
//! separated by `/` (`[ELR/GAL]`): see [`ActorCode::parts`].
//!
//! ## Date semantics
//! The PETRARCH docs say every limit is inclusive ("or equal to"); the
//! PETRARCH-2 code makes a range start-inclusive and end-exclusive, `<date`
//! exclusive and `>date` inclusive. [`DateSemantics`] selects either; the
//! default is the documented one. In both, the first satisfied dated
//! restriction in file order wins; a restriction without dates and the
//! primary line's code are defaults used when no dated restriction applies.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Sink};
use crate::lex::Lines;
use crate::phrase::Phrase;

/// An actor code as written, e.g. `USAGOV`, `---` (null), or several codes
/// separated by `/` (`FRO/BIL/SAM`: the phrase names all of these actors).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ActorCode(Arc<str>);

impl ActorCode {
    /// Makes a code from its text.
    pub fn new(s: &str) -> ActorCode {
        ActorCode(s.into())
    }

    fn interned(s: &str, pool: &mut HashSet<Arc<str>>) -> ActorCode {
        let up: Cow<'_, str> = if s.bytes().any(|b| b.is_ascii_lowercase() || b >= 0x80) {
            Cow::Owned(s.to_uppercase())
        } else {
            Cow::Borrowed(s)
        };
        if let Some(a) = pool.get(&*up) {
            return ActorCode(a.clone());
        }
        let a: Arc<str> = Arc::from(&*up);
        pool.insert(a.clone());
        ActorCode(a)
    }

    /// The code text as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `---`: explicitly no actor code.
    pub fn is_null(&self) -> bool {
        &*self.0 == "---"
    }

    /// The individual codes (`FRO/BIL/SAM` → `FRO`, `BIL`, `SAM`).
    pub fn parts(&self) -> impl Iterator<Item = &str> {
        self.0.split('/').filter(|s| !s.is_empty())
    }
}

impl std::fmt::Display for ActorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The kind of a date restriction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateKind {
    /// No date: a default code.
    Always,
    /// `<date`: applies before `end`.
    Before,
    /// `>date`: applies from `start` on.
    After,
    /// `date-date`: applies between `start` and `end`.
    Between,
}

/// How range limits are interpreted; see the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateSemantics {
    /// PETRARCH docs: every limit is inclusive.
    #[default]
    Inclusive,
    /// PETRARCH-2 code: start inclusive, end exclusive; `<` exclusive,
    /// `>` inclusive.
    Petrarch2,
}

/// A date-restricted code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateRestriction {
    /// The code that applies within the range.
    pub code: ActorCode,
    /// What kind of restriction this is.
    pub kind: DateKind,
    /// Lower bound (`>date`, and the first date of `date-date`).
    pub start: Option<NaiveDate>,
    /// Upper bound (`<date`, and the second date of `date-date`).
    pub end: Option<NaiveDate>,
    /// Line number.
    pub line: u32,
}

impl DateRestriction {
    /// Whether the restriction applies on `date`.
    pub fn applies(&self, date: NaiveDate, sem: DateSemantics) -> bool {
        let after_start = self.start.is_none_or(|s| date >= s);
        let before_end = self.end.is_none_or(|e| match sem {
            DateSemantics::Inclusive => date <= e,
            DateSemantics::Petrarch2 => date < e,
        });
        after_start && before_end
    }

    /// Whether two dated restrictions share at least one day (inclusive
    /// reading).
    pub fn overlaps(&self, other: &DateRestriction) -> bool {
        if self.kind == DateKind::Always || other.kind == DateKind::Always {
            return false;
        }
        let lo = |r: &DateRestriction| r.start.unwrap_or(NaiveDate::MIN);
        let hi = |r: &DateRestriction| r.end.unwrap_or(NaiveDate::MAX);
        lo(self) <= hi(other) && lo(other) <= hi(self)
    }
}

/// One actor entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorEntry {
    /// The primary phrase first, then the `+` synonyms. In actor files
    /// blanks and `_` both join consecutive words.
    pub phrases: Vec<Phrase>,
    /// The code on the primary line, if any (the default when no
    /// restriction applies).
    pub code: Option<ActorCode>,
    /// Date restrictions (including undated `[CODE]` lines) in file order.
    pub restrictions: Vec<DateRestriction>,
    /// Line of the primary phrase.
    pub line: u32,
    /// Index into [`ActorDict::files`].
    pub file: u16,
}

impl ActorEntry {
    /// The default code: an undated restriction, else the primary code.
    pub fn default_code(&self) -> Option<&ActorCode> {
        self.restrictions
            .iter()
            .find(|r| r.kind == DateKind::Always)
            .map(|r| &r.code)
            .or(self.code.as_ref())
    }

    /// The code on `date` (the sentence date): the first dated restriction
    /// that applies, else the default. `None` when nothing applies; a
    /// returned code may be the null code `---`. Without a date only the
    /// default is used.
    pub fn code_on(&self, date: Option<NaiveDate>, sem: DateSemantics) -> Option<&ActorCode> {
        if let Some(d) = date {
            for r in &self.restrictions {
                if r.kind != DateKind::Always && r.applies(d, sem) {
                    return Some(&r.code);
                }
            }
        }
        self.default_code()
    }
}

/// Actor entries from one or more files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActorDict {
    /// Files the entries came from.
    pub files: Vec<Arc<str>>,
    /// Entries in load order.
    pub entries: Vec<ActorEntry>,
}

impl ActorDict {
    /// Appends another dictionary (file indices are renumbered).
    pub fn merge(&mut self, other: ActorDict) {
        let base = self.files.len() as u16;
        self.files.extend(other.files);
        self.entries.extend(other.entries.into_iter().map(|mut e| {
            e.file = e.file.saturating_add(base);
            e
        }));
    }

    /// Number of phrases over all entries.
    pub fn phrase_count(&self) -> usize {
        self.entries.iter().map(|e| e.phrases.len()).sum()
    }

    /// The file name of an entry.
    pub fn file_of(&self, e: &ActorEntry) -> &str {
        self.files.get(e.file as usize).map(|f| &**f).unwrap_or("")
    }
}

/// A phrase → entry index over an [`ActorDict`], for lookups of whole
/// phrases (the coder builds its own longest-match structures; this serves
/// tools such as the curation queue and tests).
///
/// When a phrase occurs in several entries, the first in load order wins
/// (as in PETRARCH, where later duplicates are shadowed; `check` reports
/// them).
#[derive(Debug, Clone)]
pub struct ActorIndex<'a> {
    dict: &'a ActorDict,
    map: std::collections::HashMap<&'a str, u32>,
}

impl<'a> ActorIndex<'a> {
    /// Indexes every phrase of every entry.
    pub fn new(dict: &'a ActorDict) -> ActorIndex<'a> {
        let mut map = std::collections::HashMap::with_capacity(dict.phrase_count());
        for (i, e) in dict.entries.iter().enumerate() {
            for p in &e.phrases {
                map.entry(p.as_str()).or_insert(i as u32);
            }
        }
        ActorIndex { dict, map }
    }

    /// The entry whose phrase is exactly `phrase` (upper case, words
    /// separated by single blanks).
    pub fn entry(&self, phrase: &str) -> Option<&'a ActorEntry> {
        self.map
            .get(phrase)
            .and_then(|&i| self.dict.entries.get(i as usize))
    }

    /// The code of `phrase` on `date` (see [`ActorEntry::code_on`]).
    pub fn lookup(
        &self,
        phrase: &str,
        date: Option<NaiveDate>,
        sem: DateSemantics,
    ) -> Option<&'a ActorCode> {
        self.entry(phrase)?.code_on(date, sem)
    }

    /// Number of distinct phrases.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no phrase is indexed.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// Parses a date `YYMMDD` or `YYYYMMDD`. Returns the date and a repair note
/// for other lengths that could still be read.
pub fn parse_date(s: &str) -> Result<(NaiveDate, Option<String>), String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("date {s:?} is not YYMMDD or YYYYMMDD"));
    }
    let num = |a: usize, b: usize| -> u32 { s[a..b].parse().unwrap_or(0) };
    let ymd = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d);
    let full = |t: &str| -> Option<NaiveDate> {
        let y: i32 = t[..4].parse().ok()?;
        let m: u32 = t[4..6].parse().ok()?;
        let d: u32 = t[6..8].parse().ok()?;
        if !(1000..=2999).contains(&y) {
            return None;
        }
        ymd(y, m, d)
    };
    match s.len() {
        6 => {
            let yy = num(0, 2) as i32;
            let y = if yy <= 30 { 2000 + yy } else { 1900 + yy };
            ymd(y, num(2, 4), num(4, 6))
                .map(|d| (d, None))
                .ok_or_else(|| format!("date {s} is not a valid YYMMDD date"))
        }
        8 => full(s)
            .map(|d| (d, None))
            .ok_or_else(|| format!("date {s} is not a valid YYYYMMDD date")),
        7 => {
            // YYYYMMD: a day written with one digit.
            let y: i32 = s[..4].parse().unwrap_or(0);
            match ymd(y, num(4, 6), num(6, 7)) {
                Some(d) if (1000..=2999).contains(&y) => {
                    Ok((d, Some(format!("7-digit date {s} read as YYYYMMD = {d}"))))
                }
                _ => Err(format!("7-digit date {s} cannot be read as YYYYMMD")),
            }
        }
        9 => full(&s[..8])
            .map(|d| {
                (
                    d,
                    Some(format!("9-digit date {s} read as its first 8 digits = {d}")),
                )
            })
            .ok_or_else(|| format!("9-digit date {s} cannot be read")),
        10 => match full(&s[2..]).or_else(|| full(&s[..8])) {
            Some(d) => Ok((d, Some(format!("10-digit date {s} read as {d}")))),
            None => Err(format!("10-digit date {s} cannot be read")),
        },
        _ => Err(format!("date {s} is not YYMMDD or YYYYMMDD")),
    }
}

/// Parses the inside of `[...]`: a code and an optional restriction.
fn parse_bracket(
    inner: &str,
    sink: &mut Sink,
    no: u32,
    pool: &mut HashSet<Arc<str>>,
) -> Option<DateRestriction> {
    let inner = inner.trim();
    let (code, rest) = match inner.split_once(char::is_whitespace) {
        Some((c, r)) => (c, r),
        None => (inner, ""),
    };
    if code.is_empty() {
        sink.warn(no, "empty actor code `[]` skipped");
        return None;
    }
    let code = ActorCode::interned(code, pool);
    let rest = rest.trim();
    let spec: Cow<'_, str> = if rest.contains(char::is_whitespace) {
        sink.warn(
            no,
            format!("blanks inside date restriction {rest:?} ignored"),
        );
        Cow::Owned(rest.chars().filter(|c| !c.is_whitespace()).collect())
    } else {
        Cow::Borrowed(rest)
    };
    let mut date = |t: &str| -> Option<NaiveDate> {
        match parse_date(t) {
            Ok((d, note)) => {
                if let Some(n) = note {
                    sink.warn(no, n);
                }
                Some(d)
            }
            Err(e) => {
                sink.warn(no, format!("{e}; restriction [{inner}] skipped"));
                None
            }
        }
    };
    let (kind, start, end) = if spec.is_empty() {
        (DateKind::Always, None, None)
    } else if let Some(d) = spec.strip_prefix('<') {
        (DateKind::Before, None, Some(date(d)?))
    } else if let Some(d) = spec.strip_prefix('>') {
        (DateKind::After, Some(date(d)?), None)
    } else if let Some((a, b)) = spec.split_once('-') {
        let (a, b) = (date(a)?, date(b)?);
        if a > b {
            sink.warn(
                no,
                format!("date range {spec} ends before it starts; restriction skipped"),
            );
            return None;
        }
        (DateKind::Between, Some(a), Some(b))
    } else {
        let d = date(&spec)?;
        sink.warn(
            no,
            format!("date {spec} has no `<`, `>` or `-`; read as a start date (`>{spec}`)"),
        );
        (DateKind::After, Some(d), None)
    };
    Some(DateRestriction {
        code,
        kind,
        start,
        end,
        line: no,
    })
}

/// Splits `TEXT [a] [b] ...` into the text and the bracket contents.
/// Repairs a `}` closing a `[` (with a warning).
fn brackets(s: &str, sink: &mut Sink, no: u32, out: &mut Vec<(usize, usize)>) -> usize {
    out.clear();
    let Some(first) = s.find('[') else {
        return s.len();
    };
    let mut pos = first;
    while let Some(i) = s[pos..].find('[') {
        let between = s[pos..pos + i].trim();
        if !between.is_empty() {
            sink.warn(no, format!("text between codes ignored: {between:?}"));
        }
        let open = pos + i + 1;
        match s[open..].find(']') {
            Some(j) => {
                out.push((open, open + j));
                pos = open + j + 1;
            }
            None => {
                let j = s[open..].find('}').unwrap_or(s.len() - open);
                sink.warn(no, "`[` is not closed by `]`; read to the end of the code");
                out.push((open, open + j));
                pos = (open + j + 1).min(s.len());
            }
        }
    }
    let tail = s[pos..].trim();
    if !tail.is_empty() {
        sink.warn(no, format!("text after the code ignored: {tail:?}"));
    }
    first
}

/// Reads one actor file.
pub fn read(file: &str, bytes: &[u8]) -> (ActorDict, Vec<Diagnostic>) {
    let file: Arc<str> = Arc::from(file);
    let (entries, diags) = read_part(file.clone(), bytes, 0);
    (
        ActorDict {
            files: vec![file],
            entries,
        },
        diags,
    )
}

/// Byte offsets at which an actor file can be cut into about `parts`
/// pieces that read independently: each cut is at the start of a primary
/// line that follows a blank line, outside any `<!-- -->` comment. Returns
/// the cut offsets (empty when no safe cut exists).
pub fn split_points(bytes: &[u8], parts: usize) -> Vec<usize> {
    crate::lex::cut_points(bytes, parts, |b, at| {
        let starts_primary = b.get(at).is_some_and(|c| {
            !matches!(
                c,
                b'+' | b'[' | b' ' | b'\t' | b'#' | b'<' | b';' | b'\n' | b'\r'
            )
        });
        // the previous line is blank
        let prev = &b[..at.saturating_sub(1)];
        let prev_line = match memchr::memrchr(b'\n', prev) {
            Some(k) => &prev[k + 1..],
            None => prev,
        };
        starts_primary && at > 0 && prev_line.iter().all(|c| c.is_ascii_whitespace())
    })
}

/// Reads a piece of an actor file whose first line is line `first_line + 1`.
pub(crate) fn read_part(
    file: Arc<str>,
    bytes: &[u8],
    first_line: u32,
) -> (Vec<ActorEntry>, Vec<Diagnostic>) {
    let mut sink = Sink::new(file);
    let mut lines = Lines::new_at(bytes, first_line);
    let mut entries: Vec<ActorEntry> = Vec::with_capacity(bytes.len() / 64);
    let mut cur: Option<ActorEntry> = None;
    let mut pool: HashSet<Arc<str>> = HashSet::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let finish = |e: ActorEntry, entries: &mut Vec<ActorEntry>, sink: &mut Sink| {
        if e.code.is_none() && e.restrictions.is_empty() {
            sink.warn(
                e.line,
                format!(
                    "actor {} has no code; it matches but yields the null code",
                    e.phrases[0]
                ),
            );
        }
        entries.push(e);
    };
    while let Some(line) = lines.next_line(&mut sink) {
        let no = line.no;
        let raw = &*line.text;
        let text = raw.trim();
        let indented = line.indented;
        if text.starts_with('[') {
            // Restriction line(s).
            let Some(e) = cur.as_mut() else {
                sink.warn(no, "date restriction before any actor skipped");
                continue;
            };
            if !indented {
                sink.warn(
                    no,
                    "date restriction is not indented with a tab; read as a restriction",
                );
            }
            brackets(text, &mut sink, no, &mut spans);
            for &(a, b) in &spans {
                if let Some(r) = parse_bracket(&text[a..b], &mut sink, no, &mut pool) {
                    e.restrictions.push(r);
                }
            }
        } else if let Some(syn) = text.strip_prefix('+') {
            let cut = brackets(syn, &mut sink, no, &mut spans);
            let phrase = &syn[..cut];
            let Some(e) = cur.as_mut() else {
                sink.warn(no, "synonym before any actor skipped");
                continue;
            };
            match Phrase::parse(phrase) {
                Some(p) => e.phrases.push(p),
                None => sink.warn(no, "empty synonym skipped"),
            }
            if !spans.is_empty() {
                sink.warn(no, "code on a synonym line applies to the whole entry");
                for &(a, b) in &spans {
                    if let Some(r) = parse_bracket(&syn[a..b], &mut sink, no, &mut pool) {
                        e.restrictions.push(r);
                    }
                }
            }
        } else {
            // Primary phrase: starts a new entry.
            if indented {
                sink.warn(
                    no,
                    "indented actor line read as a new entry (PETRARCH does the same)",
                );
            }
            if let Some(e) = cur.take() {
                finish(e, &mut entries, &mut sink);
            }
            let cut = brackets(text, &mut sink, no, &mut spans);
            let Some(p) = Phrase::parse(&text[..cut]) else {
                sink.warn(no, "actor line has no phrase; skipped");
                continue;
            };
            let mut e = ActorEntry {
                phrases: vec![p],
                code: None,
                restrictions: Vec::new(),
                line: no,
                file: 0,
            };
            for &(a, b) in &spans {
                if let Some(r) = parse_bracket(&text[a..b], &mut sink, no, &mut pool) {
                    if r.kind == DateKind::Always && e.code.is_none() && e.restrictions.is_empty() {
                        e.code = Some(r.code);
                    } else {
                        e.restrictions.push(r);
                    }
                }
            }
            cur = Some(e);
        }
    }
    if let Some(e) = cur.take() {
        finish(e, &mut entries, &mut sink);
    }
    let mut diags = sink.diags;
    diags.sort_by_key(|d| d.line);
    (entries, diags)
}
