//! The flat table behind `csv` and `parquet`: one row per event, one
//! column per leaf field of [`Event`], so that both formats carry the
//! whole record and read back into the same [`Event`].
//!
//! Conventions: list fields (`issues`, `sources`, `doc_ids`) are joined
//! with `;`; spans are split into `*_start`/`*_end`; a missing actor,
//! modality or location leaves all its columns null. In CSV, null is the
//! empty field, so an empty optional string reads back as absent.

use std::io::{BufWriter, Write};

use dyad_core::event::{
    Actor, DatePrecision, DateSource, EventCode, Evidence, Location, Modality, Span,
};
use dyad_core::Plover;

use crate::{DocMeta, Event, EventSink, OutputError, WriteSummary};

/// A column's value type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    /// UTF-8 text.
    Str,
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// 32-bit float.
    F32,
    /// 64-bit float.
    F64,
    /// `true`/`false`.
    Bool,
}

/// One column of the flat table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Column name (CSV header, Parquet field name).
    pub name: &'static str,
    /// Value type.
    pub ty: ColType,
    /// Whether the column may be null.
    pub nullable: bool,
}

const fn c(name: &'static str, ty: ColType, nullable: bool) -> Column {
    Column { name, ty, nullable }
}

use ColType::{Bool, Str, F32, F64, I32, I64};

/// The flat table's columns, in order.
pub const COLUMNS: [Column; 43] = [
    c("id", Str, true),
    c("doc_id", Str, false),
    c("sentence_id", Str, false),
    c("date", Str, true),
    c("date_precision", Str, true),
    c("date_source", Str, true),
    c("source_code", Str, true),
    c("source_text", Str, true),
    c("source_start", I64, true),
    c("source_end", I64, true),
    c("target_code", Str, true),
    c("target_text", Str, true),
    c("target_start", I64, true),
    c("target_end", I64, true),
    c("cameo", Str, false),
    c("root", Str, false),
    c("quad_class", I32, false),
    c("goldstein", F32, false),
    c("plover_event", Str, true),
    c("plover_mode", Str, true),
    c("plover_context", Str, true),
    c("issues", Str, false),
    c("pattern", Str, false),
    c("dictionary", Str, false),
    c("verb_text", Str, true),
    c("verb_start", I64, true),
    c("verb_end", I64, true),
    c("negated", Bool, true),
    c("future", Bool, true),
    c("hypothetical", Bool, true),
    c("historical", Bool, true),
    c("location_name", Str, true),
    c("location_country", Str, true),
    c("location_admin1", Str, true),
    c("location_lat", F64, true),
    c("location_lon", F64, true),
    c("location_geonameid", I64, true),
    c("location_source", Str, true),
    c("confidence", F32, true),
    c("mentions", I64, true),
    c("sources", Str, true),
    c("doc_ids", Str, true),
    c("sentence", Str, false),
];

/// A borrowed cell value, produced by [`visit`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cell<'a> {
    /// Null.
    Null,
    /// Text.
    Str(&'a str),
    /// A list, written joined by `;`.
    List(&'a [String]),
    /// Integer (for I32 and I64 columns).
    Int(i64),
    /// 32-bit float.
    F32(f32),
    /// 64-bit float.
    F64(f64),
    /// Boolean.
    Bool(bool),
}

/// An owned cell value, read back from a file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// Null.
    Null,
    /// Text (lists still joined).
    Str(String),
    /// Integer.
    Int(i64),
    /// 32-bit float.
    F32(f32),
    /// 64-bit float.
    F64(f64),
    /// Boolean.
    Bool(bool),
}

fn span_start(s: Option<Span>) -> Cell<'static> {
    s.map_or(Cell::Null, |s| Cell::Int(s.start as i64))
}

fn span_end(s: Option<Span>) -> Cell<'static> {
    s.map_or(Cell::Null, |s| Cell::Int(s.end as i64))
}

fn opt_str(s: Option<&str>) -> Cell<'_> {
    s.map_or(Cell::Null, Cell::Str)
}

/// Calls `f` with each of the event's cells, in [`COLUMNS`] order.
pub(crate) fn visit<'a>(e: &'a Event, mut f: impl FnMut(Cell<'a>)) {
    f(opt_str(e.id.as_deref()));
    f(Cell::Str(&e.doc_id));
    f(Cell::Str(&e.sentence_id));
    f(opt_str(e.date.as_deref()));
    f(opt_str(e.date_precision.map(|p| match p {
        DatePrecision::Year => "year",
        DatePrecision::Month => "month",
        DatePrecision::Day => "day",
    })));
    f(opt_str(e.date_source.map(|s| match s {
        DateSource::Publication => "publication",
        DateSource::Sentence => "sentence",
        DateSource::Dateline => "dateline",
    })));
    for a in [&e.source, &e.target] {
        match a {
            Some(a) => {
                f(Cell::Str(&a.code));
                f(Cell::Str(&a.text));
                f(span_start(a.span));
                f(span_end(a.span));
            }
            None => (0..4).for_each(|_| f(Cell::Null)),
        }
    }
    f(Cell::Str(&e.event.cameo));
    f(Cell::Str(&e.event.root));
    f(Cell::Int(i64::from(e.event.quad_class)));
    f(Cell::F32(e.event.goldstein));
    let pl = e.event.plover.as_ref();
    f(opt_str(pl.map(|p| p.event.as_str())));
    f(opt_str(pl.and_then(|p| p.mode.as_deref())));
    f(opt_str(pl.and_then(|p| p.context.as_deref())));
    f(Cell::List(&e.issues));
    f(Cell::Str(&e.evidence.pattern));
    f(Cell::Str(&e.evidence.dictionary));
    f(opt_str(e.evidence.verb_text.as_deref()));
    f(span_start(e.evidence.verb_span));
    f(span_end(e.evidence.verb_span));
    match e.modality {
        Some(m) => {
            for b in [m.negated, m.future, m.hypothetical, m.historical] {
                f(Cell::Bool(b));
            }
        }
        None => (0..4).for_each(|_| f(Cell::Null)),
    }
    match &e.location {
        Some(l) => {
            f(Cell::Str(&l.name));
            f(Cell::Str(&l.country));
            f(opt_str(l.admin1.as_deref()));
            f(Cell::F64(l.lat));
            f(Cell::F64(l.lon));
            f(l.geonameid.map_or(Cell::Null, |g| Cell::Int(g as i64)));
            f(Cell::Str(&l.source));
        }
        None => (0..7).for_each(|_| f(Cell::Null)),
    }
    f(e.confidence.map_or(Cell::Null, Cell::F32));
    f(e.mentions.map_or(Cell::Null, |m| Cell::Int(i64::from(m))));
    f(e.sources.as_deref().map_or(Cell::Null, Cell::List));
    f(e.doc_ids.as_deref().map_or(Cell::Null, Cell::List));
    f(Cell::Str(&e.sentence));
}

/// Parses a CSV text cell into a [`Value`] of the column's type (the
/// empty field is null in a nullable column).
pub(crate) fn parse_cell(col: &Column, s: &str) -> Result<Value, String> {
    if s.is_empty() && (col.nullable || col.ty != Str) {
        return if col.nullable {
            Ok(Value::Null)
        } else {
            Err(format!(
                "column {}: empty value in a non-null column",
                col.name
            ))
        };
    }
    let bad = |what: &str| format!("column {}: {s:?} is not {what}", col.name);
    Ok(match col.ty {
        Str => Value::Str(s.to_string()),
        I32 | I64 => Value::Int(s.parse().map_err(|_| bad("an integer"))?),
        F32 => Value::F32(s.parse().map_err(|_| bad("a number"))?),
        F64 => Value::F64(s.parse().map_err(|_| bad("a number"))?),
        Bool => Value::Bool(match s {
            "true" => true,
            "false" => false,
            _ => return Err(bad("true or false")),
        }),
    })
}

/// Reads a row of [`COLUMNS`]-ordered values back into an [`Event`].
pub(crate) fn to_event(vals: &[Value]) -> Result<Event, String> {
    if vals.len() != COLUMNS.len() {
        return Err(format!(
            "expected {} columns, found {}",
            COLUMNS.len(),
            vals.len()
        ));
    }
    let mut r = Reader { vals, i: 0 };
    let id = r.opt_str()?;
    let doc_id = r.req_str()?;
    let sentence_id = r.req_str()?;
    let date = r.opt_str()?;
    let date_precision = match r.opt_str()?.as_deref() {
        None => None,
        Some("year") => Some(DatePrecision::Year),
        Some("month") => Some(DatePrecision::Month),
        Some("day") => Some(DatePrecision::Day),
        Some(o) => return Err(format!("date_precision {o:?} is not year, month or day")),
    };
    let date_source = match r.opt_str()?.as_deref() {
        None => None,
        Some("publication") => Some(DateSource::Publication),
        Some("sentence") => Some(DateSource::Sentence),
        Some("dateline") => Some(DateSource::Dateline),
        Some(o) => {
            return Err(format!(
                "date_source {o:?} is not publication, sentence or dateline"
            ))
        }
    };
    let mut actors = [None, None];
    for slot in &mut actors {
        let code = r.opt_str()?;
        let text = r.opt_str()?;
        let span = r.span()?;
        if code.is_some() || text.is_some() || span.is_some() {
            *slot = Some(Actor {
                code: code.unwrap_or_default(),
                text: text.unwrap_or_default(),
                span,
            });
        }
    }
    let [source, target] = actors;
    let cameo = r.req_str()?;
    let root = r.req_str()?;
    let quad_class =
        u8::try_from(r.req_int()?).map_err(|_| "quad_class out of range".to_string())?;
    let goldstein = r.f32()?.ok_or("goldstein is null")?;
    let plover = match (r.opt_str()?, r.opt_str()?, r.opt_str()?) {
        (Some(event), mode, context) => Some(Plover {
            event,
            mode,
            context,
        }),
        (None, None, None) => None,
        _ => return Err("plover_mode/plover_context without plover_event".to_string()),
    };
    let issues = split_list(&r.opt_str()?.unwrap_or_default());
    let pattern = r.req_str()?;
    let dictionary = r.req_str()?;
    let verb_text = r.opt_str()?;
    let verb_span = r.span()?;
    let flags = [r.bool()?, r.bool()?, r.bool()?, r.bool()?];
    let modality = flags.iter().any(Option::is_some).then(|| Modality {
        negated: flags[0].unwrap_or(false),
        future: flags[1].unwrap_or(false),
        hypothetical: flags[2].unwrap_or(false),
        historical: flags[3].unwrap_or(false),
    });
    let (name, country, admin1) = (r.opt_str()?, r.opt_str()?, r.opt_str()?);
    let (lat, lon) = (r.f64()?, r.f64()?);
    let geonameid = r
        .opt_int()?
        .map(|g| u64::try_from(g).map_err(|_| "negative geonameid".to_string()))
        .transpose()?;
    let loc_source = r.opt_str()?;
    let location = if name.is_some() || country.is_some() || lat.is_some() || lon.is_some() {
        Some(Location {
            name: name.unwrap_or_default(),
            country: country.unwrap_or_default(),
            admin1,
            lat: lat.ok_or("location without location_lat")?,
            lon: lon.ok_or("location without location_lon")?,
            geonameid,
            source: loc_source.unwrap_or_default(),
        })
    } else {
        None
    };
    let confidence = r.f32()?;
    let mentions = r
        .opt_int()?
        .map(|m| u32::try_from(m).map_err(|_| "mentions out of range".to_string()))
        .transpose()?;
    let sources = r.opt_str()?.map(|s| split_list(&s));
    let doc_ids = r.opt_str()?.map(|s| split_list(&s));
    let sentence = r.req_str()?;
    Ok(Event {
        id,
        doc_id,
        sentence_id,
        sentence,
        date,
        date_precision,
        date_source,
        source,
        target,
        event: EventCode {
            cameo,
            root,
            quad_class,
            goldstein,
            plover,
        },
        issues,
        evidence: Evidence {
            pattern,
            dictionary,
            verb_text,
            verb_span,
        },
        modality,
        location,
        confidence,
        mentions,
        sources,
        doc_ids,
    })
}

fn split_list(s: &str) -> Vec<String> {
    if s.is_empty() {
        Vec::new()
    } else {
        s.split(';').map(str::to_string).collect()
    }
}

struct Reader<'a> {
    vals: &'a [Value],
    i: usize,
}

impl Reader<'_> {
    fn next(&mut self) -> (&'static str, &Value) {
        let i = self.i;
        self.i += 1;
        (COLUMNS[i].name, &self.vals[i])
    }
    fn opt_str(&mut self) -> Result<Option<String>, String> {
        match self.next() {
            (_, Value::Null) => Ok(None),
            (_, Value::Str(s)) => Ok(Some(s.clone())),
            (n, v) => Err(format!("column {n}: expected text, found {v:?}")),
        }
    }
    fn req_str(&mut self) -> Result<String, String> {
        let name = COLUMNS[self.i].name;
        self.opt_str()?
            .ok_or_else(|| format!("column {name}: null in a non-null column"))
    }
    fn opt_int(&mut self) -> Result<Option<i64>, String> {
        match self.next() {
            (_, Value::Null) => Ok(None),
            (_, Value::Int(i)) => Ok(Some(*i)),
            (n, v) => Err(format!("column {n}: expected an integer, found {v:?}")),
        }
    }
    fn req_int(&mut self) -> Result<i64, String> {
        let name = COLUMNS[self.i].name;
        self.opt_int()?
            .ok_or_else(|| format!("column {name}: null in a non-null column"))
    }
    fn f32(&mut self) -> Result<Option<f32>, String> {
        match self.next() {
            (_, Value::Null) => Ok(None),
            (_, Value::F32(x)) => Ok(Some(*x)),
            (n, v) => Err(format!("column {n}: expected a float, found {v:?}")),
        }
    }
    fn f64(&mut self) -> Result<Option<f64>, String> {
        match self.next() {
            (_, Value::Null) => Ok(None),
            (_, Value::F64(x)) => Ok(Some(*x)),
            (n, v) => Err(format!("column {n}: expected a float, found {v:?}")),
        }
    }
    fn bool(&mut self) -> Result<Option<bool>, String> {
        match self.next() {
            (_, Value::Null) => Ok(None),
            (_, Value::Bool(b)) => Ok(Some(*b)),
            (n, v) => Err(format!("column {n}: expected a boolean, found {v:?}")),
        }
    }
    fn span(&mut self) -> Result<Option<Span>, String> {
        let (s, e) = (self.opt_int()?, self.opt_int()?);
        match (s, e) {
            (Some(s), Some(e)) => Ok(Some(Span {
                start: usize::try_from(s).map_err(|_| "negative span start")?,
                end: usize::try_from(e).map_err(|_| "negative span end")?,
            })),
            (None, None) => Ok(None),
            _ => Err("a span needs both start and end".to_string()),
        }
    }
}

/// Writes events as a CSV table with a [`COLUMNS`] header.
pub(crate) struct CsvSink<W: Write> {
    out: csv::Writer<BufWriter<W>>,
    scratch: String,
    summary: WriteSummary,
}

impl<W: Write> CsvSink<W> {
    pub fn new(out: W) -> Result<Self, OutputError> {
        let mut out = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(BufWriter::with_capacity(1 << 16, out));
        out.write_record(COLUMNS.iter().map(|c| c.name))?;
        Ok(CsvSink {
            out,
            scratch: String::with_capacity(64),
            summary: WriteSummary::default(),
        })
    }
}

/// Renders a cell as CSV text into `buf` (cleared first).
pub(crate) fn cell_text<'b>(cell: Cell<'b>, buf: &'b mut String) -> &'b str {
    use std::fmt::Write as _;
    buf.clear();
    match cell {
        Cell::Null => "",
        Cell::Str(s) => s,
        Cell::List(items) => {
            for (i, s) in items.iter().enumerate() {
                if i > 0 {
                    buf.push(';');
                }
                buf.push_str(s);
            }
            buf
        }
        Cell::Int(i) => {
            let _ = write!(buf, "{i}");
            buf
        }
        Cell::F32(x) => {
            let _ = write!(buf, "{x}");
            buf
        }
        Cell::F64(x) => {
            let _ = write!(buf, "{x}");
            buf
        }
        Cell::Bool(b) => {
            if b {
                "true"
            } else {
                "false"
            }
        }
    }
}

impl<W: Write> EventSink for CsvSink<W> {
    fn write_with(&mut self, e: &Event, _meta: Option<&DocMeta>) -> Result<(), OutputError> {
        let mut err = None;
        let (out, scratch) = (&mut self.out, &mut self.scratch);
        visit(e, |cell| {
            if err.is_none() {
                if let Err(x) = out.write_field(cell_text(cell, scratch)) {
                    err = Some(x);
                }
            }
        });
        if let Some(x) = err {
            return Err(x.into());
        }
        out.write_record(None::<&[u8]>)?;
        self.summary.written += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<WriteSummary, OutputError> {
        self.out.flush()?;
        Ok(self.summary)
    }
}
