//! The document model and front-matter detection (title line, byline, dateline).

use serde::{Deserialize, Serialize};

use crate::abbrev;
use crate::layout::{line_ranges, LineInfo};

/// One input article.
///
/// All offsets elsewhere in this crate (sentences, tokens, datelines,
/// bylines) are **byte offsets into [`Document::text`]**, always on UTF-8
/// char boundaries. For plain text and JSON Lines `text` is the article text
/// exactly as read (after lossy UTF-8 decoding, if the input needed it); for
/// HTML it is the main text extracted from the page (paragraphs separated by
/// blank lines), since the page's markup is not article text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Document id: the JSON Lines `id`, or the file stem for text and HTML.
    pub id: String,
    /// The text all offsets refer to.
    pub text: String,
    /// Headline, from the input's `title` field, HTML `og:title`/`<title>`,
    /// or a plain-text first line without final punctuation.
    pub title: Option<String>,
    /// Publication date from the input (JSON Lines `date`/`published`, HTML
    /// meta tags). Normalised to ISO 8601 (`YYYY-MM-DD` or
    /// `YYYY-MM-DDTHH:MM:SS...`) when it can be read; otherwise as found.
    /// Never invented: `None` when the input has none.
    pub date: Option<String>,
    /// Canonical URL, when the input gives one.
    pub url: Option<String>,
    /// Publisher or source name, when the input gives one.
    pub source: Option<String>,
    /// Wire dateline found at the start of the body ("BAGHDAD, Aug 8 (Reuters) -").
    pub dateline: Option<Dateline>,
    /// Byline found at the start of the body ("By Jane Doe").
    pub byline: Option<Byline>,
}

/// A wire-service dateline. Its byte range is excluded from the first
/// sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dateline {
    /// Start byte offset in [`Document::text`].
    pub start: usize,
    /// End byte offset (exclusive), after the dash and following spaces.
    pub end: usize,
    /// Place as written ("BAGHDAD", "NEW YORK").
    pub place: String,
    /// Region or country following the place ("Ukraine" in "KYIV, Ukraine —").
    pub region: Option<String>,
    /// Date as written ("Aug 8", "March 3, 2024").
    pub date_text: Option<String>,
    /// Year, when the dateline gives one.
    pub year: Option<i32>,
    /// Month 1–12, when the dateline gives one.
    pub month: Option<u8>,
    /// Day of month, when the dateline gives one.
    pub day: Option<u8>,
    /// News agency in parentheses ("Reuters", "AP").
    pub agency: Option<String>,
}

/// A byline line ("By Jane Doe and John Roe"), excluded from the sentences.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Byline {
    /// Start byte offset of the line in [`Document::text`].
    pub start: usize,
    /// End byte offset (exclusive) of the line.
    pub end: usize,
    /// The names after "By".
    pub names: String,
}

impl Document {
    /// Builds a document from an id and its text and detects its front matter
    /// (title line, byline, dateline; see [`Document::detect_front_matter`]).
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        let mut d = Document {
            id: id.into(),
            text: text.into(),
            ..Document::default()
        };
        d.detect_front_matter();
        d
    }

    /// Looks at the first few lines of the text for a byline, a dateline and
    /// (if `title` is unset) a title line, and records them. Only the first
    /// body line can carry a dateline.
    pub fn detect_front_matter(&mut self) {
        let fm = detect(&self.text);
        if self.title.is_none() {
            if let Some((s, e)) = fm.title {
                self.title = Some(self.text[s..e].to_string());
            }
        }
        self.byline = fm.byline;
        self.dateline = fm.dateline;
    }

    /// Byte ranges the segmenter leaves out (byline, dateline), in order.
    pub(crate) fn skips(&self) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        if let Some(b) = &self.byline {
            v.push((b.start, b.end));
        }
        if let Some(d) = &self.dateline {
            v.push((d.start, d.end));
        }
        v.sort_unstable();
        v
    }
}

pub(crate) struct FrontMatter {
    pub title: Option<(usize, usize)>,
    pub byline: Option<Byline>,
    pub dateline: Option<Dateline>,
}

/// Front-matter detection over the first non-blank lines.
pub(crate) fn detect(text: &str) -> FrontMatter {
    let mut fm = FrontMatter {
        title: None,
        byline: None,
        dateline: None,
    };
    let lines: Vec<(usize, usize)> = line_ranges(text)
        .filter(|&(s, e)| !text[s..e].trim().is_empty())
        .take(6)
        .collect();
    for (idx, &(s, e)) in lines.iter().enumerate() {
        let (ts, te) = trim_range(text, s, e);
        if let Some(d) = parse_dateline(text, ts, te) {
            fm.dateline = Some(d);
            break;
        }
        if fm.byline.is_none() {
            if let Some(b) = parse_byline(text, ts, te) {
                fm.byline = Some(b);
                continue;
            }
        }
        if idx == 0 && idx + 1 < lines.len() {
            let li = LineInfo::new(&text[ts..te]);
            if !li.ends_terminal
                && !li.ends_bad
                && li.starts_upper
                && li.words <= 20
                && text[ts..te].len() <= 200
            {
                fm.title = Some((ts, te));
                continue;
            }
        }
        break;
    }
    fm
}

fn trim_range(text: &str, s: usize, e: usize) -> (usize, usize) {
    let line = &text[s..e];
    let lead = line.len() - line.trim_start().len();
    let trail = line.len() - line.trim_end().len();
    if lead + trail >= line.len() {
        return (s, s);
    }
    (s + lead, e - trail)
}

/// "By Jane Doe", "BY JANE DOE AND JOHN ROE", "By Jane Doe, Reuters".
fn parse_byline(text: &str, s: usize, e: usize) -> Option<Byline> {
    let line = &text[s..e];
    if line.len() > 100 || line.len() < 5 {
        return None;
    }
    let b = line.as_bytes();
    if !(b[..3].eq_ignore_ascii_case(b"by ") || b[..3].eq_ignore_ascii_case(b"by:")) {
        return None;
    }
    let names = line[3..].trim_start_matches([' ', ':']).trim();
    let mut n = 0;
    for w in names.split([' ', ',']).filter(|w| !w.is_empty()) {
        n += 1;
        let first = w.chars().next()?;
        let ok = first.is_uppercase()
            || matches!(
                w,
                "and"
                    | "de"
                    | "van"
                    | "von"
                    | "der"
                    | "al"
                    | "bin"
                    | "la"
                    | "le"
                    | "du"
                    | "da"
                    | "of"
                    | "in"
            )
            || w.starts_with("al-");
        if !ok || n > 10 {
            return None;
        }
    }
    // "By Sunday." is a sentence, not a byline ("By J.R. Doe Jr." still is).
    let last = names.rsplit(' ').next().unwrap_or("");
    if n == 0 || names.ends_with(['!', '?', ':']) || (last.ends_with('.') && last.len() > 3) {
        return None;
    }
    Some(Byline {
        start: s,
        end: e,
        names: names.to_string(),
    })
}

/// A tiny cursor over one line, used by the dateline parser.
struct Cur<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Cur<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }
    fn eat(&mut self, p: &str) -> bool {
        if self.rest().starts_with(p) {
            self.i += p.len();
            true
        } else {
            false
        }
    }
    fn skip_spaces(&mut self) -> usize {
        let r = self.rest();
        let n = r.len() - r.trim_start().len();
        self.i += n;
        n
    }
    /// A word of letters, '.', '\'', '-' (no spaces).
    fn word(&mut self) -> Option<&'a str> {
        let r = self.rest();
        let n = r
            .char_indices()
            .find(|&(_, c)| !(c.is_alphabetic() || matches!(c, '.' | '\'' | '-' | '\u{2019}')))
            .map_or(r.len(), |(k, _)| k);
        if n == 0 || r[..n].starts_with('-') {
            return None;
        }
        self.i += n;
        Some(&r[..n])
    }
    fn number(&mut self, max_digits: usize) -> Option<u32> {
        let r = self.rest();
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || n > max_digits {
            return None;
        }
        self.i += n;
        r[..n].parse().ok()
    }
}

/// Parses a date such as "Aug 8", "August 8, 2024", "8 August 2024".
fn parse_date(c: &mut Cur) -> Option<(String, Option<i32>, u8, u8)> {
    let start = c.i;
    let save = c.i;
    // Month Day[, Year]
    if let Some(w) = c.word() {
        if let Some(m) = abbrev::month_number(w) {
            c.skip_spaces();
            if let Some(d) = c.number(2).filter(|d| (1..=31).contains(d)) {
                let mut year = None;
                let before_year = c.i;
                let _ = c.eat(",");
                c.skip_spaces();
                match c.number(4) {
                    Some(y) if y >= 1000 => year = Some(y as i32),
                    _ => c.i = before_year,
                }
                let txt = c.s[start..c.i].to_string();
                return Some((txt, year, m, d as u8));
            }
        }
    }
    c.i = save;
    // Day Month [Year]
    if let Some(d) = c.number(2).filter(|d| (1..=31).contains(d)) {
        c.skip_spaces();
        if let Some(m) = c.word().and_then(abbrev::month_number) {
            let mut year = None;
            let before_year = c.i;
            c.skip_spaces();
            match c.number(4) {
                Some(y) if y >= 1000 => year = Some(y as i32),
                _ => c.i = before_year,
            }
            let txt = c.s[start..c.i].to_string();
            return Some((txt, year, m, d as u8));
        }
    }
    c.i = save;
    None
}

fn is_all_caps(s: &str) -> bool {
    let mut letters = 0;
    for ch in s.chars() {
        if ch.is_alphabetic() {
            if !ch.is_uppercase() {
                return false;
            }
            letters += 1;
        }
    }
    letters >= 2
}

/// "BAGHDAD, Aug 8 (Reuters) -", "WASHINGTON (AP) —", "KYIV, Ukraine —".
fn parse_dateline(text: &str, s: usize, e: usize) -> Option<Dateline> {
    let line = &text[s..e];
    let window_end = line.char_indices().nth(120).map_or(line.len(), |(k, _)| k);
    let mut c = Cur {
        s: &line[..window_end],
        i: 0,
    };
    // Place: up to 5 words.
    let mut place_end;
    let mut words = 0;
    loop {
        let w = c.word()?;
        let first = w.chars().next()?;
        if !first.is_uppercase() {
            return None;
        }
        words += 1;
        place_end = c.i;
        let save = c.i;
        if words < 5 && c.eat(" ") {
            if let Some(ch) = c.rest().chars().next() {
                if ch.is_uppercase() {
                    // Continue only if the next word is part of the place.
                    let save2 = c.i;
                    if let Some(w2) = c.word() {
                        if is_all_caps(w2) && is_all_caps(&c.s[..save]) {
                            c.i = save2;
                            continue;
                        }
                    }
                }
            }
        }
        c.i = save;
        break;
    }
    let place = c.s[..place_end].to_string();
    let caps = is_all_caps(&place);
    let mut region = None;
    let mut date = None;
    // ", Region" and/or ", Date"
    for _ in 0..2 {
        let save = c.i;
        if !c.eat(",") {
            break;
        }
        c.skip_spaces();
        if date.is_none() {
            if let Some(d) = parse_date(&mut c) {
                date = Some(d);
                continue;
            }
        }
        if region.is_none() && date.is_none() {
            let rs = c.i;
            let mut ok = false;
            for k in 0..3 {
                let save_w = c.i;
                match c.word() {
                    Some(w) if w.chars().next().is_some_and(char::is_uppercase) => {
                        ok = true;
                    }
                    _ => {
                        c.i = save_w;
                        break;
                    }
                }
                let after_w = c.i;
                if k < 2 && c.eat(" ") && c.rest().chars().next().is_some_and(char::is_uppercase) {
                    continue;
                }
                c.i = after_w;
                break;
            }
            if ok {
                region = Some(c.s[rs..c.i].to_string());
                continue;
            }
        }
        c.i = save;
        break;
    }
    // (Agency)
    let mut agency = None;
    {
        let save = c.i;
        c.skip_spaces();
        if c.eat("(") {
            let r = c.rest();
            match r.find(')') {
                Some(k)
                    if k > 0
                        && k <= 40
                        && r[..k].chars().next().is_some_and(char::is_alphabetic) =>
                {
                    agency = Some(r[..k].trim().to_string());
                    c.i += k + 1;
                }
                _ => c.i = save,
            }
        } else {
            c.i = save;
        }
    }
    if !caps && agency.is_none() {
        return None;
    }
    // Dash.
    let spaces = c.skip_spaces();
    let dash_ok = if c.eat("--") || c.eat("\u{2014}") || c.eat("\u{2013}") || c.eat("\u{2015}") {
        true
    } else if c.eat("-") {
        // A single hyphen must be spaced on at least the far side ("BAGHDAD -",
        // not "US-Iraq").
        spaces > 0 || c.rest().starts_with(' ')
    } else {
        false
    };
    if !dash_ok {
        return None;
    }
    let after = c.rest();
    if !(after.is_empty() || after.starts_with(char::is_whitespace)) {
        return None;
    }
    c.skip_spaces();
    let end = s + c.i;
    let (date_text, year, month, day) = match date {
        Some((t, y, m, d)) => (Some(t), y, Some(m), Some(d)),
        None => (None, None, None, None),
    };
    Some(Dateline {
        start: s,
        end,
        place,
        region,
        date_text,
        year,
        month,
        day,
        agency,
    })
}

/// Normalises a publication date to ISO 8601 when it can be read
/// ("2025-03-14 20:30:26Z" -> "2025-03-14T20:30:26Z", "March 14, 2025" ->
/// "2025-03-14", "14 Mar 2025" -> "2025-03-14", "2025/03/14" ->
/// "2025-03-14"); otherwise returns the trimmed input unchanged.
pub fn normalise_date(raw: &str) -> String {
    let t = raw.trim();
    let b = t.as_bytes();
    let is_d = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    if b.len() >= 10
        && (0..4).all(is_d)
        && matches!(b[4], b'-' | b'/')
        && is_d(5)
        && is_d(6)
        && b[7] == b[4]
        && is_d(8)
        && is_d(9)
    {
        let mut out = String::with_capacity(t.len());
        out.push_str(&t[..4]);
        out.push('-');
        out.push_str(&t[5..7]);
        out.push('-');
        out.push_str(&t[8..10]);
        let rest = &t[10..];
        if let Some(r) = rest.strip_prefix([' ', 'T', 't']) {
            if r.as_bytes().first().is_some_and(u8::is_ascii_digit) {
                out.push('T');
                out.push_str(r.trim());
                return out;
            }
        }
        if rest.is_empty() {
            return out;
        }
        return t.to_string();
    }
    // Textual dates, possibly after a weekday ("Fri, 14 Mar 2025 ...").
    let body = match t.find(", ") {
        Some(k) if k <= 9 && abbrev::month_number(&t[..k]).is_none() && !t[..k].contains(' ') => {
            &t[k + 2..]
        }
        _ => t,
    };
    let mut c = Cur { s: body, i: 0 };
    if let Some((_, Some(y), m, d)) = parse_date(&mut c) {
        return format!("{y:04}-{m:02}-{d:02}");
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines() {
        let t = "BAGHDAD, Aug 8 (Reuters) - Iraq said on Monday.";
        let d = parse_dateline(t, 0, t.len()).expect("dateline");
        assert_eq!(d.place, "BAGHDAD");
        assert_eq!(d.agency.as_deref(), Some("Reuters"));
        assert_eq!((d.month, d.day), (Some(8), Some(8)));
        assert_eq!(&t[d.end..], "Iraq said on Monday.");
        let t = "KYIV, Ukraine \u{2014} Russia fired missiles.";
        let d = parse_dateline(t, 0, t.len()).expect("dateline");
        assert_eq!(d.region.as_deref(), Some("Ukraine"));
        assert!(parse_dateline("US-Iraq talks - a review", 0, 24).is_none());
        assert!(parse_dateline("Meanwhile, the statement - said", 0, 31).is_none());
    }

    #[test]
    fn bylines() {
        let b = |t: &str| parse_byline(t, 0, t.len()).map(|b| b.names);
        assert_eq!(b("By Jane Doe").as_deref(), Some("Jane Doe"));
        assert_eq!(
            b("BY JANE DOE AND JOHN ROE").as_deref(),
            Some("JANE DOE AND JOHN ROE")
        );
        assert_eq!(b("By Sunday."), None);
        assert_eq!(b("By the way, it rained."), None);
        assert_eq!(b("Byron Smith"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(
            normalise_date("2025-03-14 20:30:26Z"),
            "2025-03-14T20:30:26Z"
        );
        assert_eq!(normalise_date("March 14, 2025"), "2025-03-14");
        assert_eq!(
            normalise_date("Fri, 14 Mar 2025 20:30:26 GMT"),
            "2025-03-14"
        );
        assert_eq!(normalise_date("yesterday"), "yesterday");
    }
}
