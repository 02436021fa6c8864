//! Input readers: plain text, JSON Lines, HTML.

use std::path::Path;

use serde::Deserialize;

use crate::document::{normalise_date, Document};
use crate::error::{InputError, Severity, TextError};
use crate::html;

/// Input format of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// Plain text, one document per file; the id is the file stem.
    Text,
    /// JSON Lines, one document per line.
    Jsonl,
    /// An HTML page, one document per file; the id is the file stem.
    Html,
    /// Choose by extension (`.txt`, `.jsonl`/`.ndjson`, `.html`/`.htm`),
    /// otherwise by sniffing the first non-blank byte (`{` JSON Lines,
    /// `<` HTML, anything else text).
    #[default]
    Auto,
}

impl std::str::FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "text" | "txt" => Ok(InputFormat::Text),
            "jsonl" | "ndjson" | "json" => Ok(InputFormat::Jsonl),
            "html" | "htm" => Ok(InputFormat::Html),
            "auto" => Ok(InputFormat::Auto),
            other => Err(format!(
                "unknown input format {other:?} (expected text, jsonl, html or auto)"
            )),
        }
    }
}

/// Documents read from one input, plus the problems found on the way.
#[derive(Debug, Clone, Default)]
pub struct ReadOutcome {
    /// Documents that were read.
    pub docs: Vec<Document>,
    /// Skipped records and warnings, in input order.
    pub errors: Vec<InputError>,
}

/// Reads a file. Fails only when the file cannot be read; problems inside
/// it are returned in [`ReadOutcome::errors`].
pub fn read_path(path: impl AsRef<Path>, format: InputFormat) -> Result<ReadOutcome, TextError> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|source| TextError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(read_bytes(&path.to_string_lossy(), &bytes, format))
}

/// Reads an in-memory input; `name` names it in errors and gives text and
/// HTML documents their id (its file stem).
pub fn read_str(name: &str, input: &str, format: InputFormat) -> ReadOutcome {
    read_bytes(name, input.as_bytes(), format)
}

/// Reads raw bytes. Invalid UTF-8 in text and HTML is replaced by U+FFFD and
/// reported as a warning naming the byte offset of the first bad sequence;
/// offsets then refer to the repaired text. In JSON Lines a line with
/// invalid UTF-8 is an error and is skipped. Binary data (NUL bytes or
/// mostly control characters) is reported and skipped.
pub fn read_bytes(name: &str, bytes: &[u8], format: InputFormat) -> ReadOutcome {
    let format = resolve_format(name, bytes, format);
    let mut out = ReadOutcome::default();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        out.errors.push(InputError {
            file: name.to_string(),
            line: None,
            byte: None,
            severity: Severity::Warning,
            cause: "empty input: no documents".to_string(),
        });
        return out;
    }
    match format {
        InputFormat::Jsonl => read_jsonl(name, bytes, &mut out),
        InputFormat::Text | InputFormat::Html | InputFormat::Auto => {
            if let Some(err) = binary_check(name, bytes) {
                out.errors.push(err);
                return out;
            }
            let text = decode(name, bytes, &mut out.errors);
            let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
            let id = stem(name);
            let doc = if format == InputFormat::Html {
                html::extract(&id, text)
            } else {
                Document::new(id, text)
            };
            if doc.text.trim().is_empty() {
                out.errors.push(InputError {
                    file: name.to_string(),
                    line: None,
                    byte: None,
                    severity: Severity::Warning,
                    cause: "no text found".to_string(),
                });
            }
            out.docs.push(doc);
        }
    }
    out
}

/// The format [`read_bytes`] would use for `name` with content `bytes`.
pub fn resolve_format(name: &str, bytes: &[u8], format: InputFormat) -> InputFormat {
    if format != InputFormat::Auto {
        return format;
    }
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("txt" | "text") => return InputFormat::Text,
        Some("jsonl" | "ndjson") => return InputFormat::Jsonl,
        Some("html" | "htm" | "xhtml") => return InputFormat::Html,
        _ => {}
    }
    let first = bytes
        .iter()
        .copied()
        .find(|b| !(b.is_ascii_whitespace() || *b == 0xEF || *b == 0xBB || *b == 0xBF));
    match first {
        Some(b'{') => InputFormat::Jsonl,
        Some(b'<') => InputFormat::Html,
        _ => InputFormat::Text,
    }
}

fn stem(name: &str) -> String {
    Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| name.to_string())
}

/// NUL bytes, or more than 10% control bytes in the first 64 KiB, mean binary.
fn binary_check(name: &str, bytes: &[u8]) -> Option<InputError> {
    let head = &bytes[..bytes.len().min(65536)];
    let err = |byte: Option<usize>, cause: String| InputError {
        file: name.to_string(),
        line: None,
        byte,
        severity: Severity::Error,
        cause,
    };
    if let Some(k) = head.iter().position(|&b| b == 0) {
        return Some(err(Some(k), "binary data (NUL byte); skipped".to_string()));
    }
    let controls = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)) || b == 0x7f)
        .count();
    if controls * 10 > head.len() {
        return Some(err(
            None,
            format!(
                "binary data ({controls} control bytes in the first {} bytes); skipped",
                head.len()
            ),
        ));
    }
    None
}

/// Lossy UTF-8 decoding with one warning naming the first bad byte.
fn decode(name: &str, bytes: &[u8], errors: &mut Vec<InputError>) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(e) => {
            let first = e.valid_up_to();
            let text = String::from_utf8_lossy(bytes).into_owned();
            let replaced = text.matches('\u{FFFD}').count();
            errors.push(InputError {
                file: name.to_string(),
                line: None,
                byte: Some(first),
                severity: Severity::Warning,
                cause: format!(
                    "invalid UTF-8; {replaced} bad sequence(s) replaced by U+FFFD (offsets refer to the repaired text)"
                ),
            });
            text
        }
    }
}

/// A JSON Lines record. Unknown fields are ignored.
#[derive(Deserialize)]
struct Record {
    #[serde(default)]
    id: Option<IdValue>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum IdValue {
    Str(String),
    Int(i64),
    Float(f64),
}

fn read_jsonl(name: &str, bytes: &[u8], out: &mut ReadOutcome) {
    let err = |line: usize, byte: Option<usize>, cause: String| InputError {
        file: name.to_string(),
        line: Some(line),
        byte,
        severity: Severity::Error,
        cause,
    };
    let mut lineno = 0usize;
    for raw in bytes.split(|&b| b == b'\n') {
        lineno += 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let raw = if lineno == 1 {
            raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
        } else {
            raw
        };
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let line = match std::str::from_utf8(raw) {
            Ok(l) => l,
            Err(e) => {
                out.errors.push(err(
                    lineno,
                    Some(e.valid_up_to()),
                    "invalid UTF-8; line skipped".to_string(),
                ));
                continue;
            }
        };
        let rec: Record = match serde_json::from_str(line) {
            Ok(r) => r,
            Err(e) => {
                out.errors.push(err(
                    lineno,
                    None,
                    format!("bad JSON record: {e}; line skipped"),
                ));
                continue;
            }
        };
        let Some(text) = rec.text else {
            out.errors.push(err(
                lineno,
                None,
                "record has no \"text\" string; line skipped".to_string(),
            ));
            continue;
        };
        let id = match rec.id {
            Some(IdValue::Str(s)) => s,
            Some(IdValue::Int(n)) => n.to_string(),
            Some(IdValue::Float(f)) => f.to_string(),
            None => format!("{}:{lineno}", stem(name)),
        };
        let mut doc = Document {
            id,
            text,
            title: rec.title.filter(|t| !t.trim().is_empty()),
            date: rec
                .date
                .or(rec.published)
                .filter(|d| !d.trim().is_empty())
                .map(|d| normalise_date(&d)),
            url: rec.url,
            source: rec.source,
            dateline: None,
            byline: None,
        };
        doc.detect_front_matter();
        out.docs.push(doc);
    }
}
