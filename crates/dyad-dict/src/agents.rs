//! Agent dictionaries.
//!
//! Records are `phrase {optional plural} [code]`, where the code is `~XXX`
//! (appended after the actor code: `USA` + `~GOV` → `USAGOV`) or `XXX~`
//! (prepended, used for organisations: `NGO~`). Substitution sets
//! `!NAME! = A, B, C` define markers; a phrase containing `!NAME!` is
//! expanded once per element, with no plurals formed. Otherwise the regular
//! plural is generated unless `{}` is given (no plural) or `{PLURAL}` names
//! the plural. dyad also generates no plural for a phrase ending with `_`
//! (the synset rule), since such phrases are written to be exact.
//!
//! Blanks in a phrase mean other words may come between; `_` means the words
//! are consecutive ([`Phrase::gap_after`]).

use std::sync::Arc;

use crate::diag::{Diagnostic, Sink};
use crate::lex::Lines;
use crate::phrase::{plural, Phrase};

/// Where an agent code goes relative to the actor code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgentPosition {
    /// `~GOV`: appended after the actor code.
    Suffix,
    /// `NGO~`: put before the actor code.
    Prefix,
}

/// An agent code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AgentCode {
    /// The code without `~`, e.g. `GOV`.
    pub code: Box<str>,
    /// Where it goes.
    pub position: AgentPosition,
}

impl std::fmt::Display for AgentCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position {
            AgentPosition::Suffix => write!(f, "~{}", self.code),
            AgentPosition::Prefix => write!(f, "{}~", self.code),
        }
    }
}

/// The plural specification of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PluralSpec {
    /// No `{…}`: the regular plural is generated.
    Regular,
    /// `{}` (or a trailing `_`, or substitution markers): no plural.
    None,
    /// `{PLURAL}`: this plural.
    Given(Phrase),
}

/// One agent record as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentEntry {
    /// The phrase as written, upper-cased, markers kept (e.g.
    /// `CONGRESS!PERSON!`).
    pub text: Box<str>,
    /// Plural handling.
    pub plural: PluralSpec,
    /// The code.
    pub code: AgentCode,
    /// Line number.
    pub line: u32,
}

/// One matchable form produced from an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentForm {
    /// The phrase to match.
    pub phrase: Phrase,
    /// Index into [`AgentDict::entries`].
    pub entry: u32,
    /// Whether this is a generated or given plural.
    pub plural: bool,
}

/// A substitution set `!NAME! = A, B, C`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Substitution {
    /// The marker including `!`, e.g. `!PERSON!`.
    pub marker: Box<str>,
    /// The replacements, upper-cased.
    pub items: Vec<Box<str>>,
    /// Line number.
    pub line: u32,
}

/// An agent dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentDict {
    /// The file name.
    pub file: Arc<str>,
    /// Substitution sets.
    pub substitutions: Vec<Substitution>,
    /// Records as written.
    pub entries: Vec<AgentEntry>,
    /// Every matchable form: substitutions expanded, plurals added.
    pub forms: Vec<AgentForm>,
}

impl AgentDict {
    /// The code of a form.
    pub fn code_of(&self, form: &AgentForm) -> Option<&AgentCode> {
        self.entries.get(form.entry as usize).map(|e| &e.code)
    }
}

fn parse_code(s: &str) -> Result<(AgentCode, bool), String> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let repaired = t.len() != s.len();
    let t = t.to_uppercase();
    if let Some(c) = t.strip_prefix('~') {
        if c.contains('~') {
            return Err(format!("agent code [{s}] has more than one `~`"));
        }
        Ok((
            AgentCode {
                code: c.into(),
                position: AgentPosition::Suffix,
            },
            repaired,
        ))
    } else if let Some(c) = t.strip_suffix('~') {
        if c.is_empty() || c.contains('~') {
            return Err(format!("agent code [{s}] is malformed"));
        }
        Ok((
            AgentCode {
                code: c.into(),
                position: AgentPosition::Prefix,
            },
            repaired,
        ))
    } else {
        Err(format!(
            "agent code [{s}] has no `~` (expected ~XXX or XXX~)"
        ))
    }
}

/// At most this many forms are generated from one agent record.
pub const MAX_FORMS: usize = 4096;

/// Expands `!MARKER!`s in `text`: every combination of the sets' items.
fn expand(text: &str, subs: &[Substitution]) -> Result<Vec<String>, String> {
    let mut out = vec![String::new()];
    let mut rest = text;
    while let Some(i) = rest.find('!') {
        let Some(j) = rest[i + 1..].find('!') else {
            return Err("unmatched `!` in phrase".to_string());
        };
        let marker = &rest[i..i + j + 2];
        let set = subs
            .iter()
            .find(|s| &*s.marker == marker)
            .ok_or_else(|| format!("substitution marker {marker} is not defined"))?;
        let prefix = &rest[..i];
        if out.len().saturating_mul(set.items.len()) > MAX_FORMS {
            return Err(format!(
                "substitutions expand to more than {MAX_FORMS} forms"
            ));
        }
        let mut next = Vec::with_capacity(out.len() * set.items.len());
        for o in &out {
            for item in &set.items {
                next.push(format!("{o}{prefix}{item}"));
            }
        }
        out = next;
        rest = &rest[i + j + 2..];
    }
    for o in &mut out {
        o.push_str(rest);
    }
    Ok(out)
}

/// Reads one agent file.
pub fn read(file: &str, bytes: &[u8]) -> (AgentDict, Vec<Diagnostic>) {
    let file: Arc<str> = Arc::from(file);
    let mut sink = Sink::new(file.clone());
    let mut lines = Lines::new(bytes);
    let mut dict = AgentDict {
        file,
        substitutions: Vec::new(),
        entries: Vec::new(),
        forms: Vec::new(),
    };
    while let Some(line) = lines.next_line(&mut sink) {
        let no = line.no;
        let text = line.text.trim();
        // Substitution set definition.
        if text.starts_with('!') {
            if let Some((lhs, rhs)) = text.split_once('=') {
                let marker = lhs.trim().to_uppercase();
                if !(marker.len() > 2
                    && marker.ends_with('!')
                    && !marker[1..marker.len() - 1].contains('!'))
                {
                    sink.warn(
                        no,
                        format!("malformed substitution marker {marker:?}; skipped"),
                    );
                    continue;
                }
                let items: Vec<Box<str>> = rhs
                    .split(',')
                    .map(|s| s.trim().to_uppercase())
                    .filter(|s| !s.is_empty())
                    .map(String::into_boxed_str)
                    .collect();
                if items.is_empty() {
                    sink.warn(no, format!("substitution set {marker} is empty; skipped"));
                    continue;
                }
                dict.substitutions.retain(|s| *s.marker != *marker);
                dict.substitutions.push(Substitution {
                    marker: marker.into_boxed_str(),
                    items,
                    line: no,
                });
                continue;
            }
        }
        // Record: phrase {plural} [code]
        let (before, code) = match text.find('[') {
            Some(i) => {
                let after = &text[i + 1..];
                let (inner, tail) = match after.find(']') {
                    Some(j) => (&after[..j], &after[j + 1..]),
                    None => match after.find('}') {
                        Some(j) => {
                            sink.warn(no, "agent code closed with `}` instead of `]`; repaired");
                            (&after[..j], &after[j + 1..])
                        }
                        None => {
                            sink.warn(no, "agent code is not closed; read to the end of the line");
                            (after, "")
                        }
                    },
                };
                if !tail.trim().is_empty() {
                    sink.warn(
                        no,
                        format!("text after the code ignored: {:?}", tail.trim()),
                    );
                }
                (&text[..i], inner)
            }
            None => {
                sink.warn(no, "agent line has no [code]; skipped");
                continue;
            }
        };
        let code = match parse_code(code) {
            Ok((c, repaired)) => {
                if repaired {
                    sink.warn(no, format!("blanks inside agent code [{code}] removed"));
                }
                c
            }
            Err(e) => {
                sink.warn(no, format!("{e}; skipped"));
                continue;
            }
        };
        let (phrase_text, plural_text) = match before.find('{') {
            Some(i) => {
                let inner = &before[i + 1..];
                let inner = match inner.find('}') {
                    Some(j) => {
                        if !inner[j + 1..].trim().is_empty() {
                            sink.warn(no, "text after `}` ignored");
                        }
                        &inner[..j]
                    }
                    None => {
                        sink.warn(no, "`{` is not closed; read to the code");
                        inner
                    }
                };
                (&before[..i], Some(inner))
            }
            None => (before, None),
        };
        let phrase_text = phrase_text.trim();
        if phrase_text.is_empty() {
            sink.warn(no, "agent line has no phrase; skipped");
            continue;
        }
        let has_markers = phrase_text.contains('!');
        let plural_spec = match plural_text {
            Some(p) => match Phrase::parse(p) {
                Some(ph) => PluralSpec::Given(ph),
                None => PluralSpec::None,
            },
            None if has_markers || phrase_text.ends_with('_') => PluralSpec::None,
            None => PluralSpec::Regular,
        };
        let expanded = match expand(&phrase_text.to_uppercase(), &dict.substitutions) {
            Ok(v) => v,
            Err(e) => {
                sink.warn(no, format!("{e}; skipped"));
                continue;
            }
        };
        let entry = dict.entries.len() as u32;
        let mut any = false;
        let mut given_pushed = false;
        for t in &expanded {
            if let Some(p) = Phrase::parse(t) {
                any = true;
                match &plural_spec {
                    PluralSpec::Regular => {
                        let pl = p.with_last_word(&plural(p.last_word()));
                        dict.forms.push(AgentForm {
                            phrase: p,
                            entry,
                            plural: false,
                        });
                        dict.forms.push(AgentForm {
                            phrase: pl,
                            entry,
                            plural: true,
                        });
                    }
                    PluralSpec::Given(pl) => {
                        dict.forms.push(AgentForm {
                            phrase: p,
                            entry,
                            plural: false,
                        });
                        if !given_pushed {
                            given_pushed = true;
                            dict.forms.push(AgentForm {
                                phrase: pl.clone(),
                                entry,
                                plural: true,
                            });
                        }
                    }
                    PluralSpec::None => dict.forms.push(AgentForm {
                        phrase: p,
                        entry,
                        plural: false,
                    }),
                }
            }
        }
        if !any {
            sink.warn(no, "agent phrase is empty after expansion; skipped");
            continue;
        }
        dict.entries.push(AgentEntry {
            text: phrase_text.to_uppercase().into_boxed_str(),
            plural: plural_spec,
            code,
            line: no,
        });
    }
    let mut diags = sink.diags;
    diags.sort_by_key(|d| d.line);
    (dict, diags)
}
