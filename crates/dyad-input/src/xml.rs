//! PETRARCH XML record files.
//!
//! The file is split into top-level chunks (`<Environment>`, `<Config>` and each `<Sentence>`)
//! by a comment-aware scanner; every chunk is then parsed with `quick-xml` on its own, so one
//! malformed record is reported (file, line, cause) and skipped while the rest are read.
//! `<Config option=… value=…>` elements between records change options for the records that
//! follow (the validation suite toggles e.g. `require_dyad` this way); every record carries a
//! snapshot of the options in force.

use crate::conllu::{parse_conllu_sentence, ConlluSentence};
use crate::ptb::PtbTree;
use crate::{InputError, ReadError};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::path::{Path, PathBuf};

/// Gold coding line of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoldCoding {
    /// An expected event.
    Event {
        /// Source actor code (may be `---` or a quoted new-actor text).
        source: String,
        /// Target actor code.
        target: String,
        /// CAMEO code.
        code: String,
    },
    /// `noevents="True"`.
    NoEvents,
    /// `error="…"`: the record is expected to be rejected.
    Error(String),
}

/// The `<Parse>` of a record.
#[derive(Debug, Clone, PartialEq)]
pub enum Parse {
    /// No `<Parse>` element.
    None,
    /// A Penn Treebank tree.
    Ptb(PtbTree),
    /// A CoNLL-U sentence.
    Conllu(ConlluSentence),
    /// The parse was present but malformed; the error was also reported in [`PetrarchXml::errors`].
    Bad(InputError),
}

/// One `<Sentence>` record.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// `id` attribute.
    pub id: String,
    /// `date` attribute as written (YYYYMMDD).
    pub date: Option<String>,
    /// `category` attribute (or `source` in the UD copy of the suite).
    pub category: Option<String>,
    /// `sentence="true"`.
    pub is_sentence: bool,
    /// `<Text>` content, whitespace-normalised.
    pub text: String,
    /// The parse.
    pub parse: Parse,
    /// Gold codings.
    pub gold: Vec<GoldCoding>,
    /// Options in force for this record (from `<Environment>`/`<Config>`), in order of setting.
    pub config: Vec<(String, String)>,
    /// Line of the `<Sentence` tag.
    pub line: usize,
}

impl Record {
    /// The value of a config option (case-insensitive name), last setting wins.
    pub fn option(&self, name: &str) -> Option<&str> {
        self.config
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The `<Environment>` block.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Environment {
    /// `<Verbfile>`.
    pub verb_file: Option<String>,
    /// `<Actorfile>` (may repeat or hold a comma-separated list).
    pub actor_files: Vec<String>,
    /// `<Agentfile>`.
    pub agent_file: Option<String>,
    /// `<Discardfile>`.
    pub discard_file: Option<String>,
    /// `<Issuefile>`.
    pub issue_file: Option<String>,
    /// `<Include>` categories.
    pub include: Vec<String>,
    /// `<Exclude>` categories.
    pub exclude: Vec<String>,
}

impl Environment {
    /// Resolves a dictionary file name against `dict_dir` if given (and the file exists
    /// there), else against the XML file's folder.
    pub fn resolve(name: &str, dict_dir: Option<&Path>, xml_path: &Path) -> PathBuf {
        if let Some(d) = dict_dir {
            let p = d.join(name);
            if p.exists() {
                return p;
            }
        }
        xml_path.parent().unwrap_or(Path::new(".")).join(name)
    }
}

/// A whole PETRARCH XML file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PetrarchXml {
    /// File name as given.
    pub file: String,
    /// The environment, if present.
    pub environment: Option<Environment>,
    /// Records read (including those whose parse is [`Parse::Bad`]).
    pub records: Vec<Record>,
    /// Every problem found, in file order.
    pub errors: Vec<InputError>,
}

/// Reads a PETRARCH XML file from disk.
pub fn read_petrarch_xml(path: &Path) -> Result<PetrarchXml, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError::Io {
        file: path.display().to_string(),
        source: e,
    })?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(read_petrarch_xml_str(&text, &path.display().to_string()))
}

struct Chunk<'a> {
    kind: ChunkKind,
    text: &'a str,
    line: usize,
}

#[derive(PartialEq)]
enum ChunkKind {
    Environment,
    Config,
    Sentence,
}

fn line_at(starts: &[usize], pos: usize) -> usize {
    match starts.binary_search(&pos) {
        Ok(i) => i + 1,
        Err(i) => i,
    }
}

fn tag_here(s: &str, i: usize, name: &str) -> bool {
    let rest = &s[i..];
    if !rest.starts_with(name) {
        return false;
    }
    matches!(
        rest.as_bytes().get(name.len()),
        Some(b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/')
    )
}

/// Splits the file into chunks, skipping comments; reports unterminated elements.
fn chunks<'a>(
    s: &'a str,
    file: &str,
    starts: &[usize],
    errors: &mut Vec<InputError>,
) -> Vec<Chunk<'a>> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if s[i..].starts_with("<!--") {
            match s[i + 4..].find("-->") {
                Some(e) => i = i + 4 + e + 3,
                None => {
                    errors.push(InputError::new(
                        file,
                        line_at(starts, i),
                        "comment '<!--' is never closed",
                    ));
                    break;
                }
            }
            continue;
        }
        let (kind, close) = if tag_here(s, i, "<Sentence") {
            (ChunkKind::Sentence, "</Sentence>")
        } else if tag_here(s, i, "<Environment") {
            (ChunkKind::Environment, "</Environment>")
        } else if tag_here(s, i, "<Config") {
            (ChunkKind::Config, "</Config>")
        } else {
            i += 1;
            continue;
        };
        let line = line_at(starts, i);
        // Self-closing element?
        let gt = s[i..].find('>').map(|g| i + g);
        if let Some(g) = gt {
            if b[g - 1] == b'/' {
                out.push(Chunk {
                    kind,
                    text: &s[i..=g],
                    line,
                });
                i = g + 1;
                continue;
            }
        }
        // Find the closing tag; a new record starting before it means this one is unterminated.
        let end = s[i + 1..].find(close).map(|e| i + 1 + e + close.len());
        let next_start = if kind == ChunkKind::Sentence {
            let mut j = i + 1;
            let mut found = None;
            while let Some(k) = s[j..].find("<Sentence") {
                let p = j + k;
                if tag_here(s, p, "<Sentence") {
                    found = Some(p);
                    break;
                }
                j = p + 1;
            }
            found
        } else {
            None
        };
        match (end, next_start) {
            (Some(e), Some(n)) if n < e => {
                errors.push(InputError::new(
                    file,
                    line,
                    format!(
                        "element starting here is not closed by {close} before the next record"
                    ),
                ));
                i = n;
            }
            (Some(e), _) => {
                out.push(Chunk {
                    kind,
                    text: &s[i..e],
                    line,
                });
                i = e;
            }
            (None, Some(n)) => {
                errors.push(InputError::new(
                    file,
                    line,
                    format!("element starting here is never closed by {close}"),
                ));
                i = n;
            }
            (None, None) => {
                errors.push(InputError::new(
                    file,
                    line,
                    format!("element starting here is never closed by {close}"),
                ));
                break;
            }
        }
    }
    out
}

fn attrs(e: &BytesStart<'_>, file: &str, line: usize) -> Result<Vec<(String, String)>, InputError> {
    let mut out = Vec::new();
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|err| InputError::new(file, line, format!("bad attribute: {err}")))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).trim().to_string();
        let val = a
            .unescape_value()
            .map_err(|err| InputError::new(file, line, format!("bad attribute value: {err}")))?
            .trim()
            .to_string();
        out.push((key, val));
    }
    Ok(out)
}

fn get<'a>(a: &'a [(String, String)], k: &str) -> Option<&'a str> {
    a.iter()
        .find(|(x, _)| x.eq_ignore_ascii_case(k))
        .map(|(_, v)| v.as_str())
}

fn strip_quotes(s: &str) -> String {
    s.to_string()
}

/// Byte position → line within a chunk.
fn chunk_line(chunk: &str, base: usize, pos: usize) -> usize {
    base + chunk.as_bytes()[..pos.min(chunk.len())]
        .iter()
        .filter(|&&c| c == b'\n')
        .count()
}

fn xml_err(file: &str, chunk: &Chunk<'_>, pos: usize, e: impl std::fmt::Display) -> InputError {
    InputError::new(
        file,
        chunk_line(chunk.text, chunk.line, pos),
        format!("malformed XML: {e}"),
    )
}

fn parse_sentence(
    chunk: &Chunk<'_>,
    file: &str,
    config: &[(String, String)],
) -> Result<(Record, Option<InputError>), InputError> {
    let mut r = Reader::from_str(chunk.text);
    r.config_mut().check_end_names = true;
    let mut rec = Record {
        id: String::new(),
        date: None,
        category: None,
        is_sentence: false,
        text: String::new(),
        parse: Parse::None,
        gold: Vec::new(),
        config: config.to_vec(),
        line: chunk.line,
    };
    let mut in_text = false;
    let mut in_parse = false;
    let mut parse_raw = String::new();
    let mut parse_line = chunk.line;
    loop {
        let pos = r.buffer_position() as usize;
        let ev = r.read_event().map_err(|e| {
            let p = r.error_position() as usize;
            xml_err(file, chunk, p.max(pos), e)
        })?;
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let line = chunk_line(chunk.text, chunk.line, pos);
                match e.name().as_ref() {
                    b"Sentence" => {
                        let a = attrs(&e, file, line)?;
                        rec.id = get(&a, "id").unwrap_or("").to_string();
                        rec.date = get(&a, "date").map(str::to_string);
                        rec.category = get(&a, "category")
                            .or_else(|| get(&a, "source"))
                            .map(str::to_string);
                        rec.is_sentence =
                            get(&a, "sentence").is_some_and(|v| v.eq_ignore_ascii_case("true"));
                    }
                    b"EventCoding" => {
                        let a = attrs(&e, file, line)?;
                        if let Some(err) = get(&a, "error") {
                            rec.gold.push(GoldCoding::Error(err.to_string()));
                        } else if get(&a, "noevents")
                            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
                        {
                            rec.gold.push(GoldCoding::NoEvents);
                        } else {
                            match (
                                get(&a, "sourcecode"),
                                get(&a, "targetcode"),
                                get(&a, "eventcode"),
                            ) {
                                (Some(s), Some(t), Some(c)) => rec.gold.push(GoldCoding::Event {
                                    source: strip_quotes(s),
                                    target: strip_quotes(t),
                                    code: c.to_string(),
                                }),
                                _ => {
                                    return Err(InputError::new(
                                        file,
                                        line,
                                        "EventCoding lacks sourcecode/targetcode/eventcode",
                                    ));
                                }
                            }
                        }
                    }
                    b"Text" => in_text = true,
                    b"Parse" => {
                        in_parse = true;
                        parse_line =
                            chunk_line(chunk.text, chunk.line, r.buffer_position() as usize);
                    }
                    _ => {}
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"Text" => in_text = false,
                b"Parse" => in_parse = false,
                _ => {}
            },
            Event::Text(t) => {
                let s = t.unescape().map_err(|e| xml_err(file, chunk, pos, e))?;
                if in_text {
                    rec.text.push_str(&s);
                    rec.text.push(' ');
                } else if in_parse {
                    parse_raw.push_str(&s);
                }
            }
            Event::CData(t) => {
                let s = String::from_utf8_lossy(&t);
                if in_text {
                    rec.text.push_str(&s);
                } else if in_parse {
                    parse_raw.push_str(&s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    rec.text = rec.text.split_whitespace().collect::<Vec<_>>().join(" ");
    if rec.id.is_empty() {
        return Err(InputError::new(
            file,
            chunk.line,
            "<Sentence> has no id attribute",
        ));
    }
    // The parse text: skip leading blank lines for line accounting.
    let mut bad = None;
    let trimmed_start = parse_raw.len() - parse_raw.trim_start().len();
    let lead_lines = parse_raw[..trimmed_start].matches('\n').count();
    let body = parse_raw.trim();
    if !body.is_empty() {
        let first_line = parse_line + lead_lines;
        let res = if body.starts_with('(') {
            PtbTree::parse(body, file, first_line).map(Parse::Ptb)
        } else {
            parse_conllu_sentence(body, file, first_line).map(Parse::Conllu)
        };
        match res {
            Ok(p) => rec.parse = p,
            Err(e) => {
                let e = e.with_record(&rec.id);
                rec.parse = Parse::Bad(e.clone());
                bad = Some(e);
            }
        }
    }
    Ok((rec, bad))
}

fn parse_env(
    chunk: &Chunk<'_>,
    file: &str,
    config: &mut Vec<(String, String)>,
) -> Result<Environment, InputError> {
    let mut r = Reader::from_str(chunk.text);
    r.config_mut().check_end_names = true;
    let mut env = Environment::default();
    let mut cur: Vec<u8> = Vec::new();
    loop {
        let pos = r.buffer_position() as usize;
        let ev = r.read_event().map_err(|e| xml_err(file, chunk, pos, e))?;
        match ev {
            Event::Start(e) => cur = e.name().as_ref().to_vec(),
            Event::Empty(e) if e.name().as_ref() == b"Config" => {
                let a = attrs(&e, file, chunk_line(chunk.text, chunk.line, pos))?;
                if let (Some(k), Some(v)) = (get(&a, "option"), get(&a, "value")) {
                    config.push((k.to_string(), v.to_string()));
                }
            }
            Event::End(_) => cur.clear(),
            Event::Text(t) => {
                let s = t.unescape().map_err(|e| xml_err(file, chunk, pos, e))?;
                let v = s.trim();
                if v.is_empty() {
                    continue;
                }
                match cur.as_slice() {
                    b"Verbfile" => env.verb_file = Some(v.to_string()),
                    b"Actorfile" => env.actor_files.extend(
                        v.split(',')
                            .map(|x| x.trim().to_string())
                            .filter(|x| !x.is_empty()),
                    ),
                    b"Agentfile" => env.agent_file = Some(v.to_string()),
                    b"Discardfile" => env.discard_file = Some(v.to_string()),
                    b"Issuefile" => env.issue_file = Some(v.to_string()),
                    b"Include" => env.include = v.split_whitespace().map(str::to_string).collect(),
                    b"Exclude" => env.exclude = v.split_whitespace().map(str::to_string).collect(),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // <Config> elements with start/end tags inside <Environment>
    for c in chunks_config(chunk, file)? {
        config.push(c);
    }
    Ok(env)
}

fn chunks_config(chunk: &Chunk<'_>, file: &str) -> Result<Vec<(String, String)>, InputError> {
    let mut out = Vec::new();
    let mut r = Reader::from_str(chunk.text);
    loop {
        let pos = r.buffer_position() as usize;
        match r.read_event().map_err(|e| xml_err(file, chunk, pos, e))? {
            Event::Start(e) if e.name().as_ref() == b"Config" => {
                let a = attrs(&e, file, chunk_line(chunk.text, chunk.line, pos))?;
                if let (Some(k), Some(v)) = (get(&a, "option"), get(&a, "value")) {
                    out.push((k.to_string(), v.to_string()));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// Reads PETRARCH XML from a string; `file` names it in errors.
pub fn read_petrarch_xml_str(s: &str, file: &str) -> PetrarchXml {
    let mut starts = vec![0usize];
    starts.extend(
        s.bytes()
            .enumerate()
            .filter(|(_, c)| *c == b'\n')
            .map(|(i, _)| i + 1),
    );
    let mut out = PetrarchXml {
        file: file.to_string(),
        ..Default::default()
    };
    let mut config: Vec<(String, String)> = Vec::new();
    let cs = chunks(s, file, &starts, &mut out.errors);
    for c in &cs {
        match c.kind {
            ChunkKind::Environment => match parse_env(c, file, &mut config) {
                Ok(env) => out.environment = Some(env),
                Err(e) => out.errors.push(e),
            },
            ChunkKind::Config => match chunks_config(c, file) {
                Ok(v) => config.extend(v),
                Err(e) => out.errors.push(e),
            },
            ChunkKind::Sentence => match parse_sentence(c, file, &config) {
                Ok((rec, bad)) => {
                    if let Some(e) = bad {
                        out.errors.push(e);
                    }
                    out.records.push(rec);
                }
                Err(e) => out.errors.push(e),
            },
        }
    }
    out.errors.sort_by_key(|e| e.line);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<Validation>
<Environment>
  <Verbfile>v.txt</Verbfile>
  <Actorfile>a.txt</Actorfile>
  <Include>valid DEMO</Include>
</Environment>
<Sentences>
<!-- <Sentence id="commented"> -->
<Sentence date="20010101" id="A-1" category="DEMO" sentence="true">
<EventCoding sourcecode="AAA" targetcode="BBB" eventcode="010"></EventCoding>
<Text>Aland   met
Bland.</Text>
<Parse>
(ROOT (S (NP (NNP Aland)) (VP (VBD met) (NP (NNP Bland))) (. .)))
</Parse>
</Sentence>
<Config option="require_dyad" value="false"></Config>
<Sentence date="20010101" id="A-2" category="DEMO" sentence="true">
<EventCoding noevents="True"></EventCoding>
<Text>x</Text>
<Parse>
(ROOT (S (NP (NNP Aland)
</Parse>
</Sentence>
<Sentence date="20010101" id="A-3" category="DEMO" sentence="true">
<Text>broken</Tex>
</Sentence>
<Sentence date="20010101" id="A-4" category="DEMO" sentence="true">
<Text>fine &amp; dandy</Text>
</Sentence>
</Sentences>
</Validation>
"#;

    #[test]
    fn reads_records_and_reports_bad_ones() {
        let x = read_petrarch_xml_str(DOC, "t.xml");
        let env = x.environment.as_ref().unwrap();
        assert_eq!(env.verb_file.as_deref(), Some("v.txt"));
        assert_eq!(env.include, vec!["valid", "DEMO"]);
        let ids: Vec<_> = x.records.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, vec!["A-1", "A-2", "A-4"]);
        assert_eq!(x.records[0].text, "Aland met Bland.");
        assert!(matches!(x.records[0].parse, Parse::Ptb(_)));
        assert!(matches!(x.records[1].parse, Parse::Bad(_)));
        assert_eq!(x.records[1].option("require_dyad"), Some("false"));
        assert_eq!(x.records[0].option("require_dyad"), None);
        assert_eq!(x.records[2].text, "fine & dandy");
        assert_eq!(x.errors.len(), 2, "{:?}", x.errors);
        // broken tree: names the record's parse line
        assert_eq!(x.errors[0].line, 22);
        assert_eq!(x.errors[0].record.as_deref(), Some("A-2"));
        // malformed XML: mismatched end tag in A-3, line 26
        assert_eq!(x.errors[1].line, 26, "{}", x.errors[1]);
        assert!(x.errors[1].cause.contains("malformed XML"));
    }
}
