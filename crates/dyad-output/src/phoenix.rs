//! `phoenix`: the Phoenix data set's 26 tab-separated columns, no header.

use std::io::{BufWriter, Write};

use crate::actor::split_phoenix;
use crate::common::{DateParts, TsvLine};
use crate::{is_negated, record_id, DocMeta, Event, EventSink, OutputError, WriteSummary};

/// The 26 Phoenix column names, in order.
pub const COLUMNS: [&str; 26] = [
    "EventID",
    "Date",
    "Year",
    "Month",
    "Day",
    "SourceActorFull",
    "SourceActorEntity",
    "SourceActorRole",
    "SourceActorAttribute",
    "TargetActorFull",
    "TargetActorEntity",
    "TargetActorRole",
    "TargetActorAttribute",
    "EventCode",
    "EventRootCode",
    "PentaClass",
    "GoldsteinScore",
    "Issues",
    "Lat",
    "Lon",
    "LocationName",
    "StateName",
    "CountryCode",
    "SentenceID",
    "URLs",
    "NewsSources",
];

/// Phoenix's five-way class of a CAMEO root: 0 neutral statements and
/// appeals, 1 verbal cooperation, 2 material cooperation, 3 verbal
/// conflict, 4 material conflict. This is Phoenix's own mapping, which
/// differs from GDELT's QuadClass for roots 09, 14 and 16.
pub fn penta_class(root: &str) -> Option<u8> {
    Some(match root {
        "01" | "02" => 0,
        "03" | "04" | "05" => 1,
        "06" | "07" | "08" => 2,
        "09" | "10" | "11" | "12" | "13" | "16" => 3,
        "14" | "15" | "17" | "18" | "19" | "20" => 4,
        _ => return None,
    })
}

/// Writes events as Phoenix rows.
pub(crate) struct PhoenixSink<W: Write> {
    out: BufWriter<W>,
    line: TsvLine,
    id: String,
    summary: WriteSummary,
}

impl<W: Write> PhoenixSink<W> {
    pub fn new(out: W) -> Self {
        PhoenixSink {
            out: BufWriter::with_capacity(1 << 16, out),
            line: TsvLine::new(),
            id: String::new(),
            summary: WriteSummary::default(),
        }
    }
}

fn actor_cols(l: &mut TsvLine, a: Option<&dyad_core::event::Actor>) {
    let code = a.map_or("", |a| a.code.as_str());
    let p = split_phoenix(code);
    l.text(code);
    l.text(p.entity);
    l.text(p.role);
    l.joined(p.attributes.iter().copied());
}

impl<W: Write> EventSink for PhoenixSink<W> {
    fn write_with(&mut self, e: &Event, meta: Option<&DocMeta>) -> Result<(), OutputError> {
        if is_negated(e) {
            self.summary.skipped_negated += 1;
            return Ok(());
        }
        let row = self.summary.written + 1;
        let l = &mut self.line;
        l.text(record_id(e, row, &mut self.id));
        match e.date.as_deref().and_then(DateParts::parse) {
            Some(d) => {
                match (d.month, d.day) {
                    (Some(m), Some(day)) => l.ymd(d.year, Some(m), Some(day)),
                    _ => l.empty(),
                }
                l.ymd(d.year, None, None);
                match d.month {
                    Some(m) => l.uint(u64::from(m), 2),
                    None => l.empty(),
                }
                match d.day {
                    Some(day) => l.uint(u64::from(day), 2),
                    None => l.empty(),
                }
            }
            None => (0..4).for_each(|_| l.empty()),
        }
        actor_cols(l, e.source.as_ref());
        actor_cols(l, e.target.as_ref());
        l.text(&e.event.cameo);
        l.text(&e.event.root);
        match penta_class(&e.event.root) {
            Some(p) => l.uint(u64::from(p), 1),
            None => l.empty(),
        }
        l.float(e.event.goldstein);
        l.joined(e.issues.iter().map(String::as_str));
        match &e.location {
            Some(loc) => {
                l.float(loc.lat);
                l.float(loc.lon);
                l.text(&loc.name);
                // Phoenix wants a state *name*; dyad has only the admin1 code.
                l.empty();
                l.text(&loc.country);
            }
            None => (0..5).for_each(|_| l.empty()),
        }
        l.pair(&e.doc_id, '_', &e.sentence_id);
        l.opt(meta.and_then(|m| m.url.as_deref()));
        match &e.sources {
            Some(s) => l.joined(s.iter().map(String::as_str)),
            None => l.opt(meta.and_then(DocMeta::outlet)),
        }
        debug_assert_eq!(l.len(), COLUMNS.len());
        l.flush_to(&mut self.out)?;
        self.summary.written += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<WriteSummary, OutputError> {
        self.out.flush()?;
        Ok(self.summary)
    }
}

#[cfg(test)]
mod tests {
    use super::penta_class;

    #[test]
    fn penta_class_covers_the_twenty_roots() {
        for r in 1..=20 {
            assert!(penta_class(&format!("{r:02}")).is_some(), "root {r}");
        }
        assert_eq!(penta_class("01"), Some(0));
        assert_eq!(penta_class("14"), Some(4));
        assert_eq!(penta_class("16"), Some(3));
        assert_eq!(penta_class("21"), None);
    }
}
