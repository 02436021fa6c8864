//! `gdelt`: the GDELT 2.0 event table, exactly its 61 tab-separated
//! columns in order, no header. See `docs/formats.md` for how each column
//! is filled; columns dyad has no data for are empty.

use std::io::{BufWriter, Write};

use crate::actor::{split_gdelt, GdeltActor};
use crate::common::{fraction_date, DateParts, TsvLine};
use crate::{
    is_negated, record_id, DocMeta, Event, EventSink, OutputError, WriteSummary, WriterOptions,
};

/// The 61 GDELT 2.0 event-table column names, in order.
pub const COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// Writes events as GDELT 2.0 event-table rows.
pub(crate) struct GdeltSink<W: Write> {
    out: BufWriter<W>,
    line: TsvLine,
    id: String,
    date_added: Option<String>,
    summary: WriteSummary,
}

impl<W: Write> GdeltSink<W> {
    pub fn new(out: W, opts: &WriterOptions) -> Self {
        GdeltSink {
            out: BufWriter::with_capacity(1 << 16, out),
            line: TsvLine::new(),
            id: String::new(),
            date_added: opts.date_added.clone(),
            summary: WriteSummary::default(),
        }
    }
}

fn actor_cols(l: &mut TsvLine, a: Option<&dyad_core::event::Actor>) {
    let code = a.map_or("", |a| a.code.as_str());
    let g: GdeltActor<'_> = split_gdelt(code);
    l.text(code);
    l.text(a.map_or("", |a| a.text.as_str()));
    l.text(g.country);
    l.text(g.known_group);
    l.empty(); // EthnicCode: not derivable from the code alone
    l.text(g.religion[0]);
    l.text(g.religion[1]);
    l.text(g.types[0]);
    l.text(g.types[1]);
    l.text(g.types[2]);
}

impl<W: Write> EventSink for GdeltSink<W> {
    fn write_with(&mut self, e: &Event, meta: Option<&DocMeta>) -> Result<(), OutputError> {
        if is_negated(e) {
            self.summary.skipped_negated += 1;
            return Ok(());
        }
        let row = self.summary.written + 1;
        let l = &mut self.line;
        l.text(record_id(e, row, &mut self.id));
        let date = e.date.as_deref().and_then(DateParts::parse);
        match date {
            Some(d) => {
                match (d.month, d.day) {
                    (Some(m), Some(day)) => l.ymd(d.year, Some(m), Some(day)),
                    _ => l.empty(),
                }
                match d.month {
                    Some(m) => l.ymd(d.year, Some(m), None),
                    None => l.empty(),
                }
                l.ymd(d.year, None, None);
                match fraction_date(&d) {
                    Some((y, f)) => {
                        l.uint(u64::from(y), 4);
                        l.push('.');
                        l.digits(u64::from(f), 4);
                    }
                    None => l.empty(),
                }
            }
            None => (0..4).for_each(|_| l.empty()),
        }
        actor_cols(l, e.source.as_ref());
        actor_cols(l, e.target.as_ref());
        l.empty(); // IsRootEvent: dyad does not track paragraphs
        let code = e.event.cameo.as_str();
        l.text(code);
        l.text(code.get(..3).unwrap_or(code));
        l.text(&e.event.root);
        l.uint(u64::from(e.event.quad_class), 1);
        l.float(e.event.goldstein);
        // One coded event is one mention in one article from one source;
        // clustering raises these (see dedup).
        let mentions = e.mentions.unwrap_or(1);
        let sources = e.sources.as_ref().map_or(1, |s| s.len().max(1));
        let articles = e.doc_ids.as_ref().map_or(1, |d| d.len().max(1));
        l.uint(mentions as u64, 1);
        l.uint(sources as u64, 1);
        l.uint(articles as u64, 1);
        l.empty(); // AvgTone: dyad does not score tone
        (0..16).for_each(|_| l.empty()); // Actor1Geo_*, Actor2Geo_*
        match &e.location {
            Some(loc) => {
                // 1 country, 3 US city, 4 world city; a place with an
                // admin1 code is a populated place below country level.
                match (&loc.admin1, loc.country.as_str()) {
                    (Some(_), "USA") => l.text("3"),
                    (Some(_), _) => l.text("4"),
                    (None, _) => l.text("1"),
                }
                l.text(&loc.name);
                // GDELT's country and ADM1 codes are FIPS 10-4 and its
                // feature ids GNS/GNIS: dyad has ISO 3166 and GeoNames
                // ids, so these stay empty rather than mis-coded.
                l.empty();
                l.empty();
                l.empty();
                l.float(loc.lat);
                l.float(loc.lon);
                l.empty();
            }
            None => (0..8).for_each(|_| l.empty()),
        }
        l.opt(self.date_added.as_deref());
        l.opt(meta.and_then(|m| m.url.as_deref()));
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
