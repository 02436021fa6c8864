//! Calendar helpers: dates as day numbers (days since 1970-01-01) so that
//! date filters and timeline buckets are integer index ranges.

/// How precise a stored date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    /// Only the year is known.
    Year = 1,
    /// Year and month.
    Month = 2,
    /// A calendar day.
    Day = 3,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The calendar date `(year, month, day)` of a day number.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (anything after the first ten
/// characters, such as a time, is ignored) into the day number of the first
/// day it covers and its precision. `None` for anything else.
pub fn parse_date(s: &str) -> Option<(i64, Precision)> {
    let s = s.trim();
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        if part.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(part).ok()?.parse().ok()
        } else {
            None
        }
    };
    let y = num(0..4)?;
    if b.len() == 4 {
        return Some((days_from_civil(y, 1, 1), Precision::Year));
    }
    if b.get(4) != Some(&b'-') {
        return None;
    }
    let m = num(5..7)?;
    if !(1..=12).contains(&m) {
        return None;
    }
    if b.len() == 7 {
        return Some((days_from_civil(y, m as u32, 1), Precision::Month));
    }
    if b.get(7) != Some(&b'-') {
        return None;
    }
    let d = num(8..10)?;
    if !(1..=31).contains(&d) {
        return None;
    }
    if b.len() > 10 && !matches!(b[10], b'T' | b' ' | b't') {
        return None;
    }
    Some((days_from_civil(y, m as u32, d as u32), Precision::Day))
}

/// `YYYY-MM-DD` of a day number.
pub fn format_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Month index (`year * 12 + month - 1`) of a day number.
pub fn month_index(day: i64) -> i64 {
    let (y, m, _) = civil_from_days(day);
    y * 12 + i64::from(m) - 1
}

/// The Monday that starts the ISO week containing `day`.
pub fn week_start(day: i64) -> i64 {
    // 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays.
    day - (day + 3).rem_euclid(7)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for z in [-800_000, -1, 0, 1, 13_879, 20_000, 2_000_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(days_from_civil(2008, 11, 17), 14_200);
        assert_eq!(format_day(14_200), "2008-11-17");
    }

    #[test]
    fn parses_each_precision() {
        assert_eq!(
            parse_date("2008-11"),
            Some((days_from_civil(2008, 11, 1), Precision::Month))
        );
        assert_eq!(
            parse_date("2008"),
            Some((days_from_civil(2008, 1, 1), Precision::Year))
        );
        assert_eq!(
            parse_date("2021-07-03T10:00:00Z"),
            Some((days_from_civil(2021, 7, 3), Precision::Day))
        );
        assert_eq!(parse_date("2021-13-01"), None);
        assert_eq!(parse_date("July 2021"), None);
        assert_eq!(parse_date("20210703"), None);
    }

    #[test]
    fn weeks_start_on_monday() {
        // 2024-01-03 is a Wednesday; its week starts Monday 2024-01-01.
        assert_eq!(
            week_start(days_from_civil(2024, 1, 3)),
            days_from_civil(2024, 1, 1)
        );
        assert_eq!(
            week_start(days_from_civil(2024, 1, 1)),
            days_from_civil(2024, 1, 1)
        );
        assert_eq!(
            week_start(days_from_civil(2023, 12, 31)),
            days_from_civil(2023, 12, 25)
        );
        assert_eq!(month_index(days_from_civil(2024, 2, 29)), 2024 * 12 + 1);
    }
}
