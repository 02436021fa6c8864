//! Dates: publication dates, date expressions in sentences and their
//! resolution to calendar dates.
//!
//! Word classes (months, weekdays, relative words) are recognised by `match`
//! on a lower-cased copy of short tokens, which the compiler turns into a
//! length-then-bytes decision tree; no regular expressions, no allocation.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use dyad_core::event::DatePrecision;

use crate::error::EnrichError;

/// A date with year, month or day precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PartialDate {
    /// Year.
    pub year: i32,
    /// Month 1–12, when known.
    pub month: Option<u32>,
    /// Day of month, when known (implies `month`).
    pub day: Option<u32>,
}

impl PartialDate {
    /// A day.
    pub fn day(d: NaiveDate) -> Self {
        PartialDate {
            year: d.year(),
            month: Some(d.month()),
            day: Some(d.day()),
        }
    }

    /// A month.
    pub fn month(year: i32, month: u32) -> Self {
        PartialDate {
            year,
            month: Some(month),
            day: None,
        }
    }

    /// A year.
    pub fn year(year: i32) -> Self {
        PartialDate {
            year,
            month: None,
            day: None,
        }
    }

    /// Its precision.
    pub fn precision(&self) -> DatePrecision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => DatePrecision::Day,
            (Some(_), None) => DatePrecision::Month,
            _ => DatePrecision::Year,
        }
    }

    /// ISO form: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => format!("{:04}-{:02}", self.year, m),
            _ => format!("{:04}", self.year),
        }
    }

    /// The last day of the period.
    pub fn last_day(&self) -> Option<NaiveDate> {
        match (self.month, self.day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(self.year, m, d),
            (Some(m), None) => {
                let first = NaiveDate::from_ymd_opt(self.year, m, 1)?;
                first.checked_add_months(Months::new(1))?.pred_opt()
            }
            _ => NaiveDate::from_ymd_opt(self.year, 12, 31),
        }
    }
}

/// Direction of a weekday expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeekdayRef {
    /// "on Saturday", "Saturday", "this Saturday".
    Bare,
    /// "last Saturday".
    Last,
    /// "next Saturday".
    Next,
}

/// What a date expression says, before resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    /// Fully explicit: "Aug. 8, 2023", "November 2008", "in 2008".
    Absolute(PartialDate),
    /// Month (and day) without a year: "on 8 August", "in November".
    NeedsYear {
        /// Month 1–12.
        month: u32,
        /// Day, if given.
        day: Option<u32>,
    },
    /// "last November", "next January".
    MonthRef {
        /// Month 1–12.
        month: u32,
        /// -1 last, +1 next.
        dir: i8,
    },
    /// A day of the week.
    Weekday(Weekday, WeekdayRef),
    /// Days from publication: yesterday -1, today 0, "3 days ago" -3.
    Days(i32),
    /// Weeks from publication ("last week" -1).
    Weeks(i32),
    /// Months from publication ("last month" -1, "this month" 0).
    MonthsRel(i32),
    /// Years from publication ("last year" -1, "two years ago" -2).
    Years(i32),
}

impl DateValue {
    /// True when the expression names its year itself.
    pub fn is_absolute(&self) -> bool {
        matches!(self, DateValue::Absolute(_))
    }
}

/// A date expression found in a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateExpr {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// The token that heads the expression (month, weekday, year or
    /// relative word), used for attachment.
    pub anchor: usize,
    /// What it says.
    pub value: DateValue,
}

/// Lower-cases `tok` into `buf` when it is short ASCII; `None` otherwise.
#[inline]
fn lower<'b>(tok: &str, buf: &'b mut [u8; 12]) -> Option<&'b str> {
    let b = tok.as_bytes();
    if b.is_empty() || b.len() > 12 || !tok.is_ascii() {
        return None;
    }
    for (o, c) in buf.iter_mut().zip(b) {
        *o = c.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..b.len()]).ok()
}

#[inline]
fn is_upper(tok: &str) -> bool {
    tok.as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_uppercase())
}

/// The month a capitalised token names ("November", "Nov", "Nov.", "Sept.").
pub fn month_of(tok: &str) -> Option<u32> {
    if !is_upper(tok) {
        return None;
    }
    let mut buf = [0u8; 12];
    let l = lower(tok, &mut buf)?;
    let l = l.strip_suffix('.').unwrap_or(l);
    Some(match l {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

/// The weekday a capitalised token names ("Saturday", "Sat.").
pub fn weekday_of(tok: &str) -> Option<Weekday> {
    if !is_upper(tok) {
        return None;
    }
    let mut buf = [0u8; 12];
    let l = lower(tok, &mut buf)?;
    Some(match l {
        "monday" | "mon." => Weekday::Mon,
        "tuesday" | "tue." | "tues." => Weekday::Tue,
        "wednesday" | "wed." => Weekday::Wed,
        "thursday" | "thu." | "thur." | "thurs." => Weekday::Thu,
        "friday" | "fri." => Weekday::Fri,
        "saturday" | "sat." => Weekday::Sat,
        "sunday" | "sun." => Weekday::Sun,
        _ => return None,
    })
}

/// A day of month token: `8`, `08`, `8th`, `1st`, `22nd`, `3rd`.
pub fn day_of(tok: &str) -> Option<u32> {
    let b = tok.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let rest = &tok[digits..];
    if !matches!(rest, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    let d: u32 = tok[..digits].parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

/// A four-digit year token from 1900 to 2099.
pub fn year_of(tok: &str) -> Option<i32> {
    let b = tok.as_bytes();
    if b.len() != 4
        || !b.iter().all(u8::is_ascii_digit)
        || !(b[0] == b'1' && b[1] == b'9' || b[0] == b'2' && b[1] == b'0')
    {
        return None;
    }
    tok.parse().ok()
}

fn small_number(l: &str) -> Option<i32> {
    if let Ok(n) = l.parse::<i32>() {
        return (1..=100).contains(&n).then_some(n);
    }
    Some(match l {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        _ => return None,
    })
}

/// Words after which a bare month or year is a date ("in November", "since 2008").
fn is_date_prep(l: &str) -> bool {
    matches!(
        l,
        "in" | "since"
            | "until"
            | "till"
            | "by"
            | "during"
            | "from"
            | "through"
            | "before"
            | "after"
            | "early"
            | "late"
            | "mid"
            | "of"
            | "between"
            | "and"
            | "to"
            | "throughout"
            | "around"
            | "the"
            | "this"
            | "that"
            | "last"
            | "next"
            | "for"
            | "on"
    )
}

/// Finds date expressions in a tokenised sentence, appending them to `out`
/// in token order.
pub fn find_dates(tokens: &[&str], out: &mut Vec<DateExpr>) {
    let n = tokens.len();
    let mut buf = [0u8; 12];
    let mut pbuf = [0u8; 12];
    let mut i = 0;
    while i < n {
        let t = tokens[i];
        let first = t.as_bytes().first().copied().unwrap_or(0);
        // Only capitalised words, numbers and week/month/year look back.
        let lc = first | 0x20;
        let needs_prev = first.is_ascii_uppercase()
            || first.is_ascii_digit()
            || matches!(lc, b'w' | b'm' | b'y');
        let prev = if i > 0 && needs_prev {
            lower(tokens[i - 1], &mut pbuf).unwrap_or("")
        } else {
            ""
        };
        // Months and weekdays are capitalised.
        if first.is_ascii_uppercase() {
            if let Some(m) = month_of(t) {
                // Month Day[,] Year | Month Day | Month Year | prep Month
                if let Some(d) = tokens.get(i + 1).and_then(|x| day_of(x)) {
                    let mut j = i + 2;
                    if tokens.get(j) == Some(&",") {
                        j += 1;
                    }
                    if let Some(y) = tokens.get(j).and_then(|x| year_of(x)) {
                        out.push(DateExpr {
                            start: i,
                            end: j + 1,
                            anchor: i,
                            value: DateValue::Absolute(PartialDate {
                                year: y,
                                month: Some(m),
                                day: Some(d),
                            }),
                        });
                        i = j + 1;
                    } else {
                        out.push(DateExpr {
                            start: i,
                            end: i + 2,
                            anchor: i,
                            value: DateValue::NeedsYear {
                                month: m,
                                day: Some(d),
                            },
                        });
                        i += 2;
                    }
                    continue;
                }
                let mut j = i + 1;
                if tokens.get(j) == Some(&",") {
                    j += 1;
                }
                if let Some(y) = tokens.get(j).and_then(|x| year_of(x)) {
                    if !(m == 5 && j == i + 2) {
                        out.push(DateExpr {
                            start: i,
                            end: j + 1,
                            anchor: i,
                            value: DateValue::Absolute(PartialDate::month(y, m)),
                        });
                        i = j + 1;
                        continue;
                    }
                }
                if is_date_prep(prev) {
                    let value = match prev {
                        "last" => DateValue::MonthRef { month: m, dir: -1 },
                        "next" => DateValue::MonthRef { month: m, dir: 1 },
                        _ => DateValue::NeedsYear {
                            month: m,
                            day: None,
                        },
                    };
                    let start = if matches!(prev, "last" | "next") {
                        i - 1
                    } else {
                        i
                    };
                    out.push(DateExpr {
                        start,
                        end: i + 1,
                        anchor: i,
                        value,
                    });
                    i += 1;
                    continue;
                }
            } else if let Some(w) = weekday_of(t) {
                let (dir, start) = match prev {
                    "last" => (WeekdayRef::Last, i - 1),
                    "next" => (WeekdayRef::Next, i - 1),
                    "this" => (WeekdayRef::Bare, i - 1),
                    _ => (WeekdayRef::Bare, i),
                };
                let mut end = i + 1;
                if let Some(nx) = tokens.get(i + 1).and_then(|x| lower(x, &mut buf)) {
                    if matches!(nx, "morning" | "afternoon" | "evening" | "night") {
                        end += 1;
                    }
                }
                out.push(DateExpr {
                    start,
                    end,
                    anchor: i,
                    value: DateValue::Weekday(w, dir),
                });
                i = end;
                continue;
            }
        }
        if first.is_ascii_digit() {
            // Day Month [Year]
            if let Some(d) = day_of(t) {
                if let Some(m) = tokens.get(i + 1).and_then(|x| month_of(x)) {
                    if let Some(y) = tokens.get(i + 2).and_then(|x| year_of(x)) {
                        out.push(DateExpr {
                            start: i,
                            end: i + 3,
                            anchor: i + 1,
                            value: DateValue::Absolute(PartialDate {
                                year: y,
                                month: Some(m),
                                day: Some(d),
                            }),
                        });
                        i += 3;
                    } else {
                        out.push(DateExpr {
                            start: i,
                            end: i + 2,
                            anchor: i + 1,
                            value: DateValue::NeedsYear {
                                month: m,
                                day: Some(d),
                            },
                        });
                        i += 2;
                    }
                    continue;
                }
            }
            if let Some(y) = year_of(t) {
                if is_date_prep(prev) || prev == "," && i >= 2 {
                    out.push(DateExpr {
                        start: i,
                        end: i + 1,
                        anchor: i,
                        value: DateValue::Absolute(PartialDate::year(y)),
                    });
                    i += 1;
                    continue;
                }
            }
        }
        // Relative words: yesterday, today, tonight, tomorrow, week, month,
        // year, ago.
        if !matches!(lc, b'y' | b't' | b'w' | b'm' | b'a') {
            i += 1;
            continue;
        }
        if let Some(l) = lower(t, &mut buf) {
            let rel = match l {
                "yesterday" => Some((DateValue::Days(-1), i, i + 1)),
                "today" | "tonight" => Some((DateValue::Days(0), i, i + 1)),
                "tomorrow" => Some((DateValue::Days(1), i, i + 1)),
                "week" | "month" | "year" if i > 0 => {
                    let dir = match prev {
                        "last" | "past" | "previous" => Some(-1),
                        "this" | "current" => Some(0),
                        "next" | "coming" => Some(1),
                        _ => None,
                    };
                    dir.map(|d| {
                        let v = match l {
                            "week" => DateValue::Weeks(d),
                            "month" => DateValue::MonthsRel(d),
                            _ => DateValue::Years(d),
                        };
                        (v, i - 1, i + 1)
                    })
                }
                "ago" if i >= 2 => {
                    let mut nb = [0u8; 12];
                    let unit = lower(tokens[i - 1], &mut nb).unwrap_or("");
                    let mut cb = [0u8; 12];
                    let count = lower(tokens[i - 2], &mut cb).and_then(small_number);
                    count.and_then(|c| {
                        let v = match unit {
                            "day" | "days" => DateValue::Days(-c),
                            "week" | "weeks" => DateValue::Weeks(-c),
                            "month" | "months" => DateValue::MonthsRel(-c),
                            "year" | "years" => DateValue::Years(-c),
                            _ => return None,
                        };
                        Some((v, i - 2, i + 1))
                    })
                }
                _ => None,
            };
            if let Some((value, start, end)) = rel {
                // "last year" etc. may overlap a previous expression; keep the
                // first one.
                if out.last().is_none_or(|e| e.end <= start) {
                    out.push(DateExpr {
                        start,
                        end,
                        anchor: i,
                        value,
                    });
                }
            }
        }
        i += 1;
    }
}

/// Resolves a date expression against the publication date.
///
/// Rules (documented in NOTES.md):
/// - explicit dates stand alone; everything else needs `publication`;
/// - a weekday means the most recent such day on or before publication
///   (the same day counts: "on Saturday" in a Saturday story is that day);
///   with `future` set, the first such day on or after publication;
///   "last X" is 1–7 days back, "next X" 1–7 days ahead;
/// - a month/day without a year takes the publication year, or the year
///   before when that would put it more than 31 days after publication
///   (a year after, for future events more than 31 days before);
/// - "last week" and friends resolve to the month holding the Thursday of
///   that Monday–Sunday week (the ISO week's month), month precision.
pub fn resolve(v: &DateValue, publication: Option<NaiveDate>, future: bool) -> Option<PartialDate> {
    if let DateValue::Absolute(p) = v {
        // "February 30, 2023" is no date.
        return p.last_day().map(|_| *p);
    }
    let p = publication?;
    match *v {
        DateValue::Absolute(d) => Some(d),
        DateValue::NeedsYear { month, day } => {
            let mk = |y: i32| NaiveDate::from_ymd_opt(y, month, day.unwrap_or(1));
            let mut y = p.year();
            let d = mk(y)?;
            let slack = if day.is_some() { 31 } else { 0 };
            let cmp_date = if day.is_some() {
                d
            } else {
                NaiveDate::from_ymd_opt(y, month, 1)?
            };
            if !future && cmp_date > p.checked_add_days(Days::new(slack))? {
                y -= 1;
            } else if future && d.checked_add_days(Days::new(31))? < p {
                y += 1;
            }
            match day {
                Some(dd) => NaiveDate::from_ymd_opt(y, month, dd).map(PartialDate::day),
                None => Some(PartialDate::month(y, month)),
            }
        }
        DateValue::MonthRef { month, dir } => {
            let pm = p.month() as i32;
            let m = month as i32;
            let y = if dir < 0 {
                if m < pm {
                    p.year()
                } else {
                    p.year() - 1
                }
            } else if m > pm {
                p.year()
            } else {
                p.year() + 1
            };
            Some(PartialDate::month(y, month))
        }
        DateValue::Weekday(w, dir) => {
            let pw = p.weekday().num_days_from_monday() as i64;
            let ww = w.num_days_from_monday() as i64;
            let back = (pw - ww).rem_euclid(7);
            let fwd = (ww - pw).rem_euclid(7);
            let delta = match dir {
                WeekdayRef::Last => -(if back == 0 { 7 } else { back }),
                WeekdayRef::Next => {
                    if fwd == 0 {
                        7
                    } else {
                        fwd
                    }
                }
                WeekdayRef::Bare if future => fwd,
                WeekdayRef::Bare => -back,
            };
            shift_days(p, delta).map(PartialDate::day)
        }
        DateValue::Days(n) => shift_days(p, n as i64).map(PartialDate::day),
        DateValue::Weeks(n) => {
            let monday = shift_days(p, -(p.weekday().num_days_from_monday() as i64))?;
            let thursday = shift_days(monday, 7 * n as i64 + 3)?;
            Some(PartialDate::month(thursday.year(), thursday.month()))
        }
        DateValue::MonthsRel(n) => {
            let first = NaiveDate::from_ymd_opt(p.year(), p.month(), 1)?;
            let d = if n >= 0 {
                first.checked_add_months(Months::new(n as u32))?
            } else {
                first.checked_sub_months(Months::new(n.unsigned_abs()))?
            };
            Some(PartialDate::month(d.year(), d.month()))
        }
        DateValue::Years(n) => Some(PartialDate::year(p.year() + n)),
    }
}

fn shift_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64))
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
    }
}

/// Splits a short date string into word, number and punctuation tokens.
fn simple_tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphanumeric() {
            let st = i;
            let digit = c.is_ascii_digit();
            while i < b.len()
                && b[i].is_ascii_alphanumeric()
                && (b[i].is_ascii_digit() == digit || !digit)
            {
                i += 1;
            }
            // keep an abbreviation's dot ("Aug.")
            if !digit && i < b.len() && b[i] == b'.' {
                i += 1;
            }
            out.push(&s[st..i]);
        } else if c == b',' {
            out.push(",");
            i += 1;
        } else {
            i += 1;
        }
    }
    out
}

/// Reads a publication date: `2008-08-01`, `2008/08/01`, `20080801`,
/// timestamps such as `2025-03-14 20:30:26Z` or `2025-03-14T20:30:26+03:00`
/// (the date as written, no time-zone shift), `Aug 8, 2023`,
/// `8 August 2023`, and RFC 2822 (`Fri, 14 Mar 2025 20:30:26 GMT`).
pub fn parse_publication_date(s: &str) -> Result<NaiveDate, EnrichError> {
    let t = s.trim();
    let bad = || EnrichError::BadDate(s.to_string());
    let b = t.as_bytes();
    if b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && (b[4] == b'-' || b[4] == b'/')
        && b[7] == b[4]
        && (b.len() == 10 || matches!(b[10], b'T' | b' ' | b't'))
    {
        let y: i32 = t[..4].parse().map_err(|_| bad())?;
        let m: u32 = t[5..7].parse().map_err(|_| bad())?;
        let d: u32 = t[8..10].parse().map_err(|_| bad())?;
        return NaiveDate::from_ymd_opt(y, m, d).ok_or_else(bad);
    }
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        let y: i32 = t[..4].parse().map_err(|_| bad())?;
        let m: u32 = t[4..6].parse().map_err(|_| bad())?;
        let d: u32 = t[6..8].parse().map_err(|_| bad())?;
        return NaiveDate::from_ymd_opt(y, m, d).ok_or_else(bad);
    }
    let toks = simple_tokens(t);
    let mut found = Vec::new();
    find_dates(&toks, &mut found);
    for e in &found {
        if let DateValue::Absolute(p) = e.value {
            if let (Some(m), Some(d)) = (p.month, p.day) {
                return NaiveDate::from_ymd_opt(p.year, m, d).ok_or_else(bad);
            }
        }
    }
    Err(bad())
}

/// What a dateline says: "BAGHDAD, Aug 8 (Reuters) -", "KABUL, Afghanistan —".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DatelineParts {
    /// The place name ("BAGHDAD").
    pub place: Option<String>,
    /// A qualifier after the place ("Afghanistan", "Texas").
    pub qualifier: Option<String>,
    /// The date, if it names one (year from publication when absent).
    pub date: Option<PartialDate>,
}

/// Splits a dateline into place, qualifier and date.
pub fn parse_dateline(s: &str, publication: Option<NaiveDate>) -> DatelineParts {
    let head = s
        .split(['(', '\u{2014}', '\u{2013}'])
        .next()
        .unwrap_or("")
        .split(" - ")
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches(['-', ':'])
        .trim();
    let mut parts = head.split(',').map(str::trim).filter(|p| !p.is_empty());
    let mut out = DatelineParts::default();
    if let Some(p) = parts.next() {
        if p.chars().next().is_some_and(char::is_alphabetic) {
            out.place = Some(p.to_string());
        }
    }
    for p in parts {
        let toks = simple_tokens(p);
        let mut found = Vec::new();
        find_dates(&toks, &mut found);
        if let Some(e) = found.first() {
            if out.date.is_none() {
                out.date = resolve(&e.value, publication, false);
            }
        } else if out.qualifier.is_none() && p.chars().next().is_some_and(char::is_uppercase) {
            out.qualifier = Some(p.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    fn first(s: &str) -> DateValue {
        let t = toks(s);
        let mut v = Vec::new();
        find_dates(&t, &mut v);
        v.first()
            .unwrap_or_else(|| panic!("no date in {s:?}"))
            .value
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid")
    }

    #[test]
    fn explicit_forms() {
        assert_eq!(
            first("signed in November 2008 ."),
            DateValue::Absolute(PartialDate::month(2008, 11))
        );
        assert_eq!(
            first("the Dialogue in July 2021 and"),
            DateValue::Absolute(PartialDate::month(2021, 7))
        );
        assert_eq!(
            first("the agreement of 2008 ,"),
            DateValue::Absolute(PartialDate::year(2008))
        );
        assert_eq!(
            first("on Aug. 8 , 2023 ,"),
            DateValue::Absolute(PartialDate::day(ymd(2023, 8, 8)))
        );
        assert_eq!(
            first("on 8 August 2008"),
            DateValue::Absolute(PartialDate::day(ymd(2008, 8, 8)))
        );
        assert_eq!(
            first("on 8 August ,"),
            DateValue::NeedsYear {
                month: 8,
                day: Some(8)
            }
        );
        assert_eq!(
            first("in November"),
            DateValue::NeedsYear {
                month: 11,
                day: None
            }
        );
    }

    #[test]
    fn non_dates_are_ignored() {
        for s in [
            "Theresa May said",
            "they may march",
            "2008 people died",
            "a march on the capital",
            "the Sun reported",
        ] {
            let t = toks(s);
            let mut v = Vec::new();
            find_dates(&t, &mut v);
            assert!(v.is_empty(), "{s:?} gave {v:?}");
        }
    }

    #[test]
    fn relative_dates_resolve_against_publication() {
        // 2025-03-16 is a Sunday.
        let p = Some(ymd(2025, 3, 16));
        let r = |s: &str| resolve(&first(s), p, false).map(|d| d.iso());
        assert_eq!(r("on Saturday"), Some("2025-03-15".into()));
        assert_eq!(r("on Sunday"), Some("2025-03-16".into()), "same day counts");
        assert_eq!(r("on Monday"), Some("2025-03-10".into()));
        assert_eq!(r("last Sunday"), Some("2025-03-09".into()));
        assert_eq!(r("next Monday"), Some("2025-03-17".into()));
        assert_eq!(r("yesterday"), Some("2025-03-15".into()));
        assert_eq!(r("today"), Some("2025-03-16".into()));
        assert_eq!(r("last month"), Some("2025-02".into()));
        assert_eq!(r("last year"), Some("2024".into()));
        // last week = Mon 3 .. Sun 9 March: its Thursday is 6 March.
        assert_eq!(r("last week"), Some("2025-03".into()));
        assert_eq!(r("two years ago"), Some("2023".into()));
        assert_eq!(r("3 days ago"), Some("2025-03-13".into()));
        assert_eq!(
            r("on 8 August"),
            Some("2024-08-08".into()),
            "no future by default"
        );
        assert_eq!(r("on 8 March"), Some("2025-03-08".into()));
        assert_eq!(r("last November"), Some("2024-11".into()));
        // Future: "on Tuesday" in a Monday story means tomorrow.
        let mon = Some(ymd(2025, 3, 10));
        assert_eq!(
            resolve(&first("on Tuesday"), mon, true).map(|d| d.iso()),
            Some("2025-03-11".into())
        );
        assert_eq!(
            resolve(&first("on Tuesday"), mon, false).map(|d| d.iso()),
            Some("2025-03-04".into())
        );
        // A week spanning two months: Mon 24 Feb .. Sun 2 Mar, Thursday 27 Feb.
        assert_eq!(
            resolve(&first("last week"), Some(ymd(2025, 3, 5)), false).map(|d| d.iso()),
            Some("2025-02".into())
        );
    }

    #[test]
    fn impossible_dates_are_dropped() {
        assert_eq!(resolve(&first("on February 30 , 2023"), None, false), None);
        assert_eq!(
            resolve(&first("on 31 April"), Some(ymd(2023, 5, 1)), false),
            None
        );
    }

    #[test]
    fn relative_without_publication_is_null() {
        for s in [
            "on Saturday",
            "yesterday",
            "last week",
            "on 8 August",
            "in November",
        ] {
            assert_eq!(resolve(&first(s), None, false), None, "{s}");
        }
        assert_eq!(
            resolve(&first("in November 2008"), None, false).map(|d| d.iso()),
            Some("2008-11".into())
        );
    }

    #[test]
    fn publication_date_formats() {
        let d = ymd(2008, 8, 1);
        for s in [
            "20080801",
            "2008-08-01",
            "2008/08/01",
            "2008-08-01T23:10:00+03:00",
            "Aug 1, 2008",
            "August 1, 2008",
            "1 August 2008",
            "Fri, 01 Aug 2008 20:30:26 GMT",
        ] {
            assert_eq!(parse_publication_date(s).ok(), Some(d), "{s}");
        }
        assert_eq!(
            parse_publication_date("2025-03-14 20:30:26Z").ok(),
            Some(ymd(2025, 3, 14))
        );
        for s in ["", "yesterday", "2008-13-01", "20081340", "soon"] {
            let e = parse_publication_date(s).expect_err(s);
            assert!(e.to_string().contains("unrecognised date"), "{e}");
        }
    }

    #[test]
    fn datelines() {
        let p = Some(ymd(2023, 8, 9));
        let d = parse_dateline("BAGHDAD, Aug 8 (Reuters) -", p);
        assert_eq!(d.place.as_deref(), Some("BAGHDAD"));
        assert_eq!(d.date.map(|x| x.iso()), Some("2023-08-08".into()));
        let d = parse_dateline("KABUL, Afghanistan \u{2014}", None);
        assert_eq!(d.place.as_deref(), Some("KABUL"));
        assert_eq!(d.qualifier.as_deref(), Some("Afghanistan"));
        assert_eq!(d.date, None);
    }
}
