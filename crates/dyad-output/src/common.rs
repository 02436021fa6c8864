//! Small helpers shared by the writers: date splitting, number formatting
//! and a reusable tab-separated line buffer.

use std::fmt::Write as _;
use std::io::Write;

use crate::OutputError;

/// A calendar date as far as it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateParts {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl DateParts {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a longer timestamp is read
    /// up to its day). Anything else gives `None`.
    pub fn parse(s: &str) -> Option<DateParts> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = b.get(r)?;
            if part.iter().all(u8::is_ascii_digit) {
                Some(part.iter().fold(0, |a, d| a * 10 + u32::from(d - b'0')))
            } else {
                None
            }
        };
        let year = u16::try_from(digits(0..4)?).ok()?;
        if b.len() == 4 {
            return Some(DateParts {
                year,
                month: None,
                day: None,
            });
        }
        if b.get(4) != Some(&b'-') {
            return None;
        }
        let month = u8::try_from(digits(5..7)?)
            .ok()
            .filter(|m| (1..=12).contains(m))?;
        if b.len() == 7 {
            return Some(DateParts {
                year,
                month: Some(month),
                day: None,
            });
        }
        if b.get(7) != Some(&b'-') {
            return None;
        }
        let day = u8::try_from(digits(8..10)?)
            .ok()
            .filter(|d| *d >= 1 && *d <= days_in_month(year, month))?;
        if b.len() > 10 && !matches!(b[10], b'T' | b' ') {
            return None;
        }
        Some(DateParts {
            year,
            month: Some(month),
            day: Some(day),
        })
    }

    /// Day of the year (1-based), when the day is known.
    pub fn ordinal(&self) -> Option<u16> {
        let (m, d) = (self.month?, self.day?);
        let before: u16 = (1..m).map(|k| u16::from(days_in_month(self.year, k))).sum();
        Some(before + u16::from(d))
    }
}

fn is_leap(y: u16) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// GDELT's FractionDate: year + day-of-year / days-in-year, rounded to 4
/// decimals, as (whole, ten-thousandths). Integer arithmetic: formatting a
/// float with a fixed precision is slow on the writer's hot path.
pub(crate) fn fraction_date(d: &DateParts) -> Option<(u32, u32)> {
    let days: u32 = if is_leap(d.year) { 366 } else { 365 };
    let frac = (u32::from(d.ordinal()?) * 10_000 + days / 2) / days;
    let year = u32::from(d.year);
    Some(if frac >= 10_000 {
        (year + 1, frac - 10_000)
    } else {
        (year, frac)
    })
}

/// Writes a float the way event tables print Goldstein values: the
/// shortest exact representation, with `.0` on whole numbers.
pub(crate) fn push_float(buf: &mut String, v: impl std::fmt::Display) {
    let start = buf.len();
    let _ = write!(buf, "{v}");
    if buf[start..]
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'-')
    {
        buf.push_str(".0");
    }
}

/// A reusable buffer for one tab-separated line. Fields are sanitised:
/// tabs, carriage returns and newlines inside a value become spaces, so
/// every line has exactly the format's field count.
pub(crate) struct TsvLine {
    buf: String,
    fields: usize,
}

impl TsvLine {
    pub fn new() -> TsvLine {
        TsvLine {
            buf: String::with_capacity(1024),
            fields: 0,
        }
    }

    fn sep(&mut self) {
        if self.fields > 0 {
            self.buf.push('\t');
        }
        self.fields += 1;
    }

    fn push_clean(&mut self, s: &str) {
        if s.contains(['\t', '\n', '\r']) {
            self.buf.extend(s.chars().map(|c| match c {
                '\t' | '\n' | '\r' => ' ',
                c => c,
            }));
        } else {
            self.buf.push_str(s);
        }
    }

    /// A text field.
    pub fn text(&mut self, s: &str) {
        self.sep();
        self.push_clean(s);
    }

    /// Two texts joined by `sep` in one field.
    pub fn pair(&mut self, a: &str, sep: char, b: &str) {
        self.sep();
        self.push_clean(a);
        self.buf.push(sep);
        self.push_clean(b);
    }

    /// An optional text field (empty when absent).
    pub fn opt(&mut self, s: Option<&str>) {
        self.text(s.unwrap_or(""));
    }

    /// An empty field.
    pub fn empty(&mut self) {
        self.sep();
    }

    /// Appends `v` in decimal, zero-padded to `width` digits, to the
    /// current field (no `core::fmt` machinery: this is the hot path).
    pub fn digits(&mut self, v: u64, width: usize) {
        let mut tmp = [b'0'; 20];
        let mut i = tmp.len();
        let mut v = v;
        loop {
            i -= 1;
            tmp[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        let start = i.min(tmp.len().saturating_sub(width));
        for &b in &tmp[start..] {
            self.buf.push(char::from(b));
        }
    }

    /// A field of one zero-padded unsigned number.
    pub fn uint(&mut self, v: u64, width: usize) {
        self.sep();
        self.digits(v, width);
    }

    /// A field of a date `YYYY[MM[DD]]` with its parts zero-padded.
    pub fn ymd(&mut self, y: u16, m: Option<u8>, d: Option<u8>) {
        self.sep();
        self.digits(u64::from(y), 4);
        if let Some(m) = m {
            self.digits(u64::from(m), 2);
            if let Some(d) = d {
                self.digits(u64::from(d), 2);
            }
        }
    }

    /// Appends a literal character to the current field.
    pub fn push(&mut self, c: char) {
        self.buf.push(c);
    }

    /// A float field, see [`push_float`].
    pub fn float(&mut self, v: impl std::fmt::Display) {
        self.sep();
        push_float(&mut self.buf, v);
    }

    /// Items joined by `;`.
    pub fn joined<'a>(&mut self, items: impl IntoIterator<Item = &'a str>) {
        self.sep();
        for (i, s) in items.into_iter().enumerate() {
            if i > 0 {
                self.buf.push(';');
            }
            self.push_clean(s);
        }
    }

    /// Number of fields written so far.
    pub fn len(&self) -> usize {
        self.fields
    }

    /// Ends the line, writes it and clears the buffer for the next one.
    pub fn flush_to(&mut self, out: &mut dyn Write) -> Result<(), OutputError> {
        self.buf.push('\n');
        out.write_all(self.buf.as_bytes())?;
        self.buf.clear();
        self.fields = 0;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_at_each_precision() {
        let d = DateParts::parse("2008-11").expect("month");
        assert_eq!((d.year, d.month, d.day), (2008, Some(11), None));
        let d = DateParts::parse("2024-02-29").expect("leap day");
        assert_eq!(d.ordinal(), Some(60));
        assert!(DateParts::parse("2023-02-29").is_none());
        assert!(DateParts::parse("2023-13").is_none());
        assert!(DateParts::parse("20231").is_none());
        assert!(DateParts::parse("2025-03-14T20:30:26Z").is_some());
        assert_eq!(DateParts::parse("1999").map(|d| d.month), Some(None));
        let f = |s: &str| fraction_date(&DateParts::parse(s).expect("day")).expect("f");
        assert_eq!(f("2015-01-01"), (2015, 27));
        assert_eq!(f("2015-07-02"), (2015, 5014));
        assert_eq!(f("2015-12-31"), (2016, 0));
        assert_eq!(f("2016-12-30"), (2016, 9973));
    }

    #[test]
    fn floats_keep_a_decimal_point() {
        let mut s = String::new();
        push_float(&mut s, -10.0f32);
        s.push(' ');
        push_float(&mut s, 1.9f32);
        s.push(' ');
        push_float(&mut s, 38.8951f64);
        assert_eq!(s, "-10.0 1.9 38.8951");
    }

    #[test]
    fn tsv_sanitises_separators() {
        let mut l = TsvLine::new();
        l.text("a\tb\nc");
        l.empty();
        l.uint(7, 2);
        l.uint(2025, 4);
        l.uint(123456, 2);
        l.uint(0, 1);
        l.ymd(2008, Some(11), None);
        l.joined(["x", "y"]);
        let mut out = Vec::new();
        l.flush_to(&mut out).expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf8"),
            "a b c\t\t07\t2025\t123456\t0\t200811\tx;y\n"
        );
    }
}
