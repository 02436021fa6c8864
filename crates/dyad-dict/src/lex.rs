//! Line scanning shared by every reader: splits a byte buffer into lines,
//! decodes them (lossily, with a warning, when they are not UTF-8) and strips
//! the comment forms the PETRARCH documentation allows.
//!
//! Comment rules (PETRARCH-1 docs, "General Rules"):
//! - `<!-- … -->`, on one line or spanning several lines; text before the
//!   opening and after the closing marker on the same line is kept;
//! - `#` to the end of the line;
//! - `;` to the end of the line (KEDS/TABARI legacy).
//!
//! `#` and `;` inside `[…]` are *not* comment markers: `[###]` is TABARI's
//! discard code and must survive.

use std::borrow::Cow;

use crate::diag::Sink;

/// One logical line after comment stripping.
#[derive(Debug)]
pub(crate) struct Line<'a> {
    /// 1-based line number.
    pub no: u32,
    /// Text with comments removed and trailing whitespace trimmed. Leading
    /// whitespace is kept (actor date restrictions start with a tab).
    pub text: Cow<'a, str>,
    /// The comment text that was removed (first comment only, trimmed), if any.
    pub comment: Option<Cow<'a, str>>,
    /// Whether the line as written started with a blank or a tab.
    pub indented: bool,
}

/// Iterates over the non-blank lines of a dictionary file.
pub(crate) struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    no: u32,
    in_xml_comment: bool,
    xml_comment_start: u32,
    /// Whether `;` starts a comment (all formats except issues).
    pub semicolon_comments: bool,
}

impl<'a> Lines<'a> {
    pub fn new(bytes: &'a [u8]) -> Lines<'a> {
        Lines::new_at(bytes, 0)
    }

    /// Like [`Lines::new`] for a piece of a file whose first line is line
    /// `first_line + 1`.
    pub fn new_at(bytes: &'a [u8], first_line: u32) -> Lines<'a> {
        // Skip a UTF-8 byte-order mark.
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        Lines {
            bytes,
            pos: 0,
            no: first_line,
            in_xml_comment: false,
            xml_comment_start: 0,
            semicolon_comments: true,
        }
    }

    /// Next non-blank line, or `None` at end of input. Diagnostics about
    /// decoding and unterminated comments go to `sink`.
    pub fn next_line(&mut self, sink: &mut Sink) -> Option<Line<'a>> {
        loop {
            if self.pos >= self.bytes.len() {
                if self.in_xml_comment {
                    self.in_xml_comment = false;
                    sink.warn(
                        self.xml_comment_start,
                        "`<!--` comment is never closed; the rest of the file was skipped",
                    );
                }
                return None;
            }
            let rest = &self.bytes[self.pos..];
            let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            let mut raw = &rest[..end];
            self.pos += end + 1;
            self.no += 1;
            if let [head @ .., b'\r'] = raw {
                raw = head;
            }
            if let Some(l) = self.process(raw, sink) {
                return Some(l);
            }
        }
    }

    fn process(&mut self, raw: &'a [u8], sink: &mut Sink) -> Option<Line<'a>> {
        let no = self.no;
        let indented = matches!(raw.first(), Some(b' ') | Some(b'\t')) && !self.in_xml_comment;
        let mut raw = raw;
        // Continue or close a multi-line XML comment.
        if self.in_xml_comment {
            match memchr::memmem::find(raw, b"-->") {
                Some(i) => {
                    self.in_xml_comment = false;
                    raw = &raw[i + 3..];
                }
                None => return None,
            }
        }
        if raw.iter().all(|b| b.is_ascii_whitespace()) {
            return None;
        }
        let text: Cow<'a, str> = match std::str::from_utf8(raw).ok() {
            Some(s) => Cow::Borrowed(s),
            None => {
                sink.warn(
                    no,
                    "line is not valid UTF-8; invalid bytes were replaced with U+FFFD",
                );
                Cow::Owned(String::from_utf8_lossy(raw).into_owned())
            }
        };
        // `<!` not followed by `--` (e.g. `<! -- … -->`): PETRARCH skips any
        // line starting with `<!`; so does dyad, with a warning.
        let lead = text.trim_start();
        if lead.starts_with("<!") && !lead.starts_with("<!--") {
            sink.warn(
                no,
                "line starts with `<!` but not `<!--`; skipped as a malformed comment",
            );
            return None;
        }
        let (text, comment) = self.strip_comments(text);
        let trimmed_len = text.trim_end().len();
        if text[..trimmed_len].trim_start().is_empty() {
            return None;
        }
        let text = match text {
            Cow::Borrowed(s) => Cow::Borrowed(&s[..trimmed_len]),
            Cow::Owned(mut s) => {
                s.truncate(trimmed_len);
                Cow::Owned(s)
            }
        };
        Some(Line {
            no,
            text,
            comment,
            indented,
        })
    }

    /// Removes XML, `#` and `;` comments in one pass over the bytes.
    fn strip_comments(&mut self, text: Cow<'a, str>) -> (Cow<'a, str>, Option<Cow<'a, str>>) {
        let mut text = text;
        loop {
            let b = text.as_bytes();
            // Candidates are found with a vectorised search; the bracket
            // depth is only computed for the (rare) `#`/`;` candidates.
            let mut found: Option<(usize, bool)> = None; // (offset, is_xml)
            let mut from = 0;
            while let Some(rel) = memchr::memchr3(b'#', b';', b'<', &b[from..]) {
                let i = from + rel;
                from = i + 1;
                match b[i] {
                    b'<' => {
                        if b[i..].starts_with(b"<!--") {
                            found = Some((i, true));
                            break;
                        }
                    }
                    b';' if !self.semicolon_comments => {}
                    _ => {
                        let head = &b[..i];
                        let opens = memchr::memchr_iter(b'[', head).count();
                        let closes = memchr::memchr_iter(b']', head).count();
                        if opens <= closes {
                            found = Some((i, false));
                            break;
                        }
                    }
                }
            }
            match found {
                None => return (text, None),
                Some((i, false)) => {
                    let comment = match &text {
                        Cow::Borrowed(s) => {
                            let c = s[i + 1..].trim();
                            (!c.is_empty()).then_some(Cow::Borrowed(c))
                        }
                        Cow::Owned(s) => {
                            let c = s[i + 1..].trim();
                            (!c.is_empty()).then(|| Cow::Owned(c.to_string()))
                        }
                    };
                    return (cut(text, i), comment);
                }
                Some((start, true)) => match memchr::memmem::find(&b[start + 4..], b"-->") {
                    Some(rel) => {
                        let end = start + 4 + rel + 3;
                        let mut s = String::with_capacity(text.len());
                        s.push_str(&text[..start]);
                        s.push(' ');
                        s.push_str(&text[end..]);
                        text = Cow::Owned(s);
                    }
                    None => {
                        self.in_xml_comment = true;
                        self.xml_comment_start = self.no;
                        return (cut(text, start), None);
                    }
                },
            }
        }
    }
}

/// Byte offsets (line starts) at which a file can be cut into about `parts`
/// pieces: for each target `len * k / parts`, the first line start at or
/// after it that satisfies `ok(bytes, offset)` and is outside `<!-- -->`
/// comments (tracked as the line reader does: a comment opens at `<!--` and
/// closes at the next `-->`).
pub(crate) fn cut_points(
    bytes: &[u8],
    parts: usize,
    ok: impl Fn(&[u8], usize) -> bool,
) -> Vec<usize> {
    let mut cuts: Vec<usize> = Vec::new();
    if parts < 2 {
        return cuts;
    }
    let step = bytes.len() / parts;
    let (mut scanned, mut in_comment) = (0usize, false);
    for k in 1..parts {
        let mut search = (step * k).max(cuts.last().map_or(0, |c| c + 1));
        while let Some(rel) = memchr::memchr(b'\n', bytes.get(search..).unwrap_or(&[])) {
            let at = search + rel + 1;
            search = at;
            if at >= bytes.len() || !ok(bytes, at) {
                continue;
            }
            let mut seg = &bytes[scanned..at];
            loop {
                let marker: &[u8] = if in_comment { b"-->" } else { b"<!--" };
                match memchr::memmem::find(seg, marker) {
                    Some(i) => {
                        in_comment = !in_comment;
                        seg = &seg[i + marker.len()..];
                    }
                    None => break,
                }
            }
            scanned = at;
            if !in_comment {
                cuts.push(at);
                break;
            }
        }
    }
    cuts
}

fn cut(text: Cow<'_, str>, at: usize) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(&s[..at]),
        Cow::Owned(mut s) => {
            s.truncate(at);
            Cow::Owned(s)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn lines(src: &str) -> (Vec<(u32, String)>, Vec<String>) {
        let mut sink = Sink::new(Arc::from("t.txt"));
        let mut it = Lines::new(src.as_bytes());
        let mut out = Vec::new();
        while let Some(l) = it.next_line(&mut sink) {
            out.push((l.no, l.text.into_owned()));
        }
        (out, sink.diags.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn strips_all_comment_forms_and_keeps_line_numbers() {
        let src = "# head\n\nKEEP ONE # tail\n<!-- a -->\nTWO <!-- x --> THREE\n<!-- multi\nstill comment\n--> FOUR\nFIVE ; legacy\n[###] kept # gone\n";
        let (l, d) = lines(src);
        assert!(d.is_empty(), "{d:?}");
        let want = vec![
            (3, "KEEP ONE".to_string()),
            (5, "TWO   THREE".to_string()),
            (8, " FOUR".to_string()),
            (9, "FIVE".to_string()),
            (10, "[###] kept".to_string()),
        ];
        assert_eq!(l, want);
    }

    #[test]
    fn reports_unclosed_comment_and_bad_utf8() {
        let mut bytes = b"OK\nBAD \xff BYTE\n<!-- never closed\nX\n".to_vec();
        bytes.extend_from_slice(b"Y\n");
        let mut sink = Sink::new(Arc::from("t.txt"));
        let mut it = Lines::new(&bytes);
        let mut got = Vec::new();
        while let Some(l) = it.next_line(&mut sink) {
            got.push(l.text.into_owned());
        }
        assert_eq!(got, vec!["OK".to_string(), "BAD \u{fffd} BYTE".to_string()]);
        let d: Vec<String> = sink.diags.iter().map(|d| d.to_string()).collect();
        assert_eq!(d.len(), 2);
        assert!(d[0].starts_with("t.txt:2: line is not valid UTF-8"));
        assert!(d[1].starts_with("t.txt:3: `<!--` comment is never closed"));
    }
}
