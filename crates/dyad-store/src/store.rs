//! The SQLite store: schema, writes (replace-by-`doc_id`) and reads.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use dyad_core::event::Event;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::coder::CodedDocument;
use crate::date::{format_day, month_index, parse_date, week_start, Precision};
use crate::error::StoreError;

/// Sort key stored for undated events: before every real date, so they come
/// last in newest-first listings and never fall inside a date range.
pub const UNDATED: i64 = -1_000_000_000;

/// Schema version written to the `meta` table.
pub const SCHEMA_VERSION: &str = "1";

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents(
  doc_pk INTEGER PRIMARY KEY,
  doc_id TEXT NOT NULL UNIQUE,
  source TEXT, published TEXT, title TEXT,
  text TEXT NOT NULL,
  n_sentences INTEGER NOT NULL,
  n_events INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sentences(
  sent_pk INTEGER PRIMARY KEY,
  doc_pk INTEGER NOT NULL,
  sentence_id TEXT NOT NULL,
  start INTEGER NOT NULL,
  end INTEGER NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sentences_doc ON sentences(doc_pk);
CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING fts5(
  text, content='sentences', content_rowid='sent_pk'
);
CREATE TABLE IF NOT EXISTS events(
  ev_pk INTEGER PRIMARY KEY,
  doc_pk INTEGER NOT NULL,
  sent_pk INTEGER,
  day INTEGER NOT NULL,
  prec INTEGER NOT NULL,
  src_code TEXT, src_country TEXT,
  tgt_code TEXT, tgt_country TEXT,
  cameo TEXT NOT NULL, root TEXT NOT NULL,
  quad INTEGER NOT NULL, goldstein REAL NOT NULL,
  loc_country TEXT, lat REAL, lon REAL,
  json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_doc ON events(doc_pk);
CREATE INDEX IF NOT EXISTS events_day ON events(day);
CREATE INDEX IF NOT EXISTS events_src_country ON events(src_country, day);
CREATE INDEX IF NOT EXISTS events_tgt_country ON events(tgt_country, day);
CREATE INDEX IF NOT EXISTS events_src_code ON events(src_code, day);
CREATE INDEX IF NOT EXISTS events_tgt_code ON events(tgt_code, day);
CREATE INDEX IF NOT EXISTS events_dyad ON events(src_country, tgt_country, day, prec, quad, root, goldstein);
CREATE INDEX IF NOT EXISTS events_root ON events(root, day);
CREATE INDEX IF NOT EXISTS events_quad ON events(quad, day);
CREATE INDEX IF NOT EXISTS events_loc ON events(loc_country, day);
"#;

/// The country part of a CAMEO actor code: its first three letters unless
/// they are a role, organisation or religion code (`GOV`, `IGO`, `CHR`, …).
/// The vocabulary is [`dyad_core::actor_roles`], the table the output
/// writers split actor codes with, so the store and the writers agree on
/// which codes have a country.
pub fn actor_country(code: &str) -> Option<String> {
    dyad_core::actor_roles::country(code).map(str::to_string)
}

/// Which side of an event an actor or country filter applies to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The acting side.
    Source,
    /// The side acted upon.
    Target,
    /// Either side.
    #[default]
    Either,
}

impl std::str::FromStr for Role {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "source" => Ok(Role::Source),
            "target" => Ok(Role::Target),
            "either" | "" => Ok(Role::Either),
            other => Err(StoreError::BadFilter(format!(
                "role must be source, target or either, not {other:?}"
            ))),
        }
    }
}

/// Event query filters. Every set field must hold (AND).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filter {
    /// Actor code prefix (`IRQ` matches `IRQGOV`).
    pub actor: Option<String>,
    /// Side for `actor`.
    pub actor_role: Role,
    /// Country code (first three letters of the actor code).
    pub country: Option<String>,
    /// Side for `country`.
    pub country_role: Role,
    /// Dyad `(a, b)`: source `a` and target `b`. A three-letter value is a
    /// country, a longer one an actor-code prefix.
    pub dyad: Option<(String, String)>,
    /// Also match `b` acting on `a`.
    pub dyad_both_directions: bool,
    /// CAMEO code prefix (`04` = the root, `042` = that code and its children).
    pub cameo: Option<String>,
    /// CAMEO root, exactly (`04`).
    pub root: Option<String>,
    /// QuadClass 1–4.
    pub quad_class: Option<u8>,
    /// First date, inclusive (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub from: Option<String>,
    /// Last date, inclusive; a month or year covers all of it.
    pub to: Option<String>,
    /// ISO3 country of the event location.
    pub location_country: Option<String>,
    /// Only events with coordinates.
    pub located: bool,
    /// FTS5 full-text query over the sentences.
    pub text: Option<String>,
    /// Only events of this document.
    pub doc_id: Option<String>,
    /// Page size; 0 means the default of 100.
    pub limit: usize,
    /// Opaque cursor from a previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// A stored event with what the store adds to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredEvent {
    /// The event as coded.
    #[serde(flatten)]
    pub event: Event,
    /// Character offset of the event's sentence in its document (subtract it
    /// from the event's spans to highlight within `sentence`).
    pub sentence_start: Option<usize>,
}

/// One page of query results, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// The events.
    pub events: Vec<StoredEvent>,
    /// Pass as `cursor` to get the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// Timeline bucket width.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    /// Calendar days.
    Day,
    /// ISO weeks (starting Monday).
    Week,
    /// Calendar months.
    #[default]
    Month,
}

impl std::str::FromStr for Interval {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "day" => Ok(Interval::Day),
            "week" => Ok(Interval::Week),
            "month" | "" => Ok(Interval::Month),
            other => Err(StoreError::BadFilter(format!(
                "interval must be day, week or month, not {other:?}"
            ))),
        }
    }
}

/// Aggregates for one direction of a dyad in one bucket.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DirectionStats {
    /// Number of events.
    pub count: u64,
    /// Events per QuadClass: index 0 is QuadClass 1 (verbal cooperation) …
    /// index 3 is QuadClass 4 (material conflict).
    pub quad_counts: [u64; 4],
    /// Sum of Goldstein values.
    pub goldstein_sum: f64,
    /// Mean Goldstein value, `null` when `count` is 0.
    pub goldstein_mean: Option<f64>,
    /// Events per CAMEO root (`"04"` → n).
    pub roots: BTreeMap<String, u64>,
}

impl DirectionStats {
    fn add(&mut self, quad: i64, root: String, n: u64, gsum: f64) {
        self.count += n;
        if (1..=4).contains(&quad) {
            self.quad_counts[(quad - 1) as usize] += n;
        }
        self.goldstein_sum += gsum;
        *self.roots.entry(root).or_default() += n;
    }
    fn finish(&mut self) {
        self.goldstein_mean = (self.count > 0).then(|| self.goldstein_sum / self.count as f64);
    }
}

/// One timeline interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// Label: `YYYY-MM-DD` (day), `YYYY-MM-DD` of the Monday (week) or
    /// `YYYY-MM` (month).
    pub period: String,
    /// `a` acting on `b`.
    pub a_to_b: DirectionStats,
    /// `b` acting on `a`.
    pub b_to_a: DirectionStats,
}

/// A dyad timeline, both directions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// First side.
    pub a: String,
    /// Second side.
    pub b: String,
    /// Bucket width.
    pub interval: Interval,
    /// Buckets in date order; only intervals with events appear.
    pub buckets: Vec<Bucket>,
    /// Events that cannot be placed in a bucket: undated, or dated less
    /// precisely than the interval (a month-only date in a daily timeline).
    pub unplaced: Bucket,
    /// All events of the dyad in the date range (placed or not).
    pub totals: Bucket,
}

/// An actor's event counts in a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorCount {
    /// Actor code, or country code with `by=country`.
    pub actor: String,
    /// Events where it acted.
    pub as_source: u64,
    /// Events where it was acted upon.
    pub as_target: u64,
    /// Both.
    pub total: u64,
}

/// A directed edge of the actor network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    /// Acting side.
    pub source: String,
    /// Side acted upon.
    pub target: String,
    /// Events.
    pub count: u64,
    /// Mean Goldstein value.
    pub goldstein_mean: f64,
}

/// Period and grouping for top-actor and network queries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActorQuery {
    /// First date, inclusive.
    pub from: Option<String>,
    /// Last date, inclusive.
    pub to: Option<String>,
    /// Group by country instead of full actor code.
    pub by_country: bool,
    /// How many; 0 means 20.
    pub limit: usize,
}

/// Row counts of the store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Documents.
    pub documents: u64,
    /// Sentences.
    pub sentences: u64,
    /// Events.
    pub events: u64,
}

/// What one write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PutOutcome {
    /// Documents written.
    pub documents: u64,
    /// Of those, how many replaced an earlier version with the same `doc_id`.
    pub replaced: u64,
    /// Sentences written.
    pub sentences: u64,
    /// Events written.
    pub events: u64,
}

/// A stored document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredDocument {
    /// Document id.
    pub doc_id: String,
    /// Outlet.
    pub source: Option<String>,
    /// Publication date.
    pub published: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Full text.
    pub text: String,
    /// Sentences stored.
    pub n_sentences: u64,
    /// Events stored.
    pub n_events: u64,
}

/// A handle on one event database (one SQLite connection).
pub struct Store {
    conn: Connection,
}

fn side_condition(side: &str, value: &str, params: &mut Vec<Value>) -> String {
    if value.len() == 3 {
        params.push(Value::Text(value.to_string()));
        format!("{side}_country = ?")
    } else {
        params.push(Value::Text(value.to_string()));
        params.push(Value::Text(format!("{value}\u{FFFF}")));
        format!("({side}_code >= ? AND {side}_code < ?)")
    }
}

fn date_start(s: &str) -> Result<i64, StoreError> {
    parse_date(s).map(|(d, _)| d).ok_or_else(|| {
        StoreError::BadFilter(format!(
            "bad date {s:?}: expected YYYY, YYYY-MM or YYYY-MM-DD"
        ))
    })
}

/// Last day covered by a date of any precision.
fn date_end(s: &str) -> Result<i64, StoreError> {
    let (d, p) = parse_date(s).ok_or_else(|| {
        StoreError::BadFilter(format!(
            "bad date {s:?}: expected YYYY, YYYY-MM or YYYY-MM-DD"
        ))
    })?;
    let (y, m, _) = crate::date::civil_from_days(d);
    Ok(match p {
        Precision::Day => d,
        Precision::Month => {
            let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            crate::date::days_from_civil(ny, nm, 1) - 1
        }
        Precision::Year => crate::date::days_from_civil(y + 1, 1, 1) - 1,
    })
}

fn period_condition(
    from: &Option<String>,
    to: &Option<String>,
    conds: &mut Vec<String>,
    params: &mut Vec<Value>,
) -> Result<(), StoreError> {
    if let Some(f) = from {
        conds.push("day >= ?".into());
        params.push(Value::Integer(date_start(f)?));
    }
    if let Some(t) = to {
        conds.push("day <= ?".into());
        params.push(Value::Integer(date_end(t)?));
    }
    if from.is_none() && to.is_none() {
        // nothing
    } else if from.is_none() {
        conds.push("day > ?".into());
        params.push(Value::Integer(UNDATED));
    }
    Ok(())
}

impl Store {
    /// Open (creating if needed) the database at `path` in WAL mode.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path).map_err(|e| StoreError::Open {
            path: path.display().to_string(),
            source: e,
        })?;
        Self::init(conn, path)
    }

    /// Open an existing database read-only (for concurrent readers).
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::Open {
            path: path.display().to_string(),
            source: e,
        })?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        tune_reads(&conn)?;
        Ok(Store { conn })
    }

    fn init(conn: Connection, path: &Path) -> Result<Store, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if mode != "wal" && mode != "memory" {
            return Err(StoreError::Schema(format!(
                "{}: could not switch to WAL mode (got {mode})",
                path.display()
            )));
        }
        // NORMAL in WAL mode: a committed transaction survives a process
        // crash (SIGKILL); only an OS crash can lose the last commits.
        conn.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;")?;
        tune_reads(&conn)?;
        conn.execute_batch(SCHEMA)?;
        let version: Option<String> = conn
            .query_row(
                "SELECT value FROM meta WHERE key='schema_version'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        match version {
            None => {
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES('schema_version', ?1)",
                    [SCHEMA_VERSION],
                )?;
            }
            Some(v) if v == SCHEMA_VERSION => {}
            Some(v) => {
                return Err(StoreError::Schema(format!(
                    "{}: schema version {v}, this build reads {SCHEMA_VERSION}",
                    path.display()
                )))
            }
        }
        Ok(Store { conn })
    }

    /// The underlying connection (for diagnostics and tests).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Store one document in its own transaction, replacing any earlier
    /// version with the same `doc_id`.
    pub fn put_document(&mut self, doc: &CodedDocument) -> Result<PutOutcome, StoreError> {
        self.put_documents(std::slice::from_ref(doc))
    }

    /// Store documents in one transaction: all of them or none.
    pub fn put_documents(&mut self, docs: &[CodedDocument]) -> Result<PutOutcome, StoreError> {
        let tx = self.conn.transaction()?;
        let mut out = PutOutcome::default();
        for doc in docs {
            let replaced = write_document(&tx, doc)?;
            out.documents += 1;
            out.replaced += u64::from(replaced);
            out.sentences += doc.sentences.len() as u64;
            out.events += doc.events.len() as u64;
        }
        tx.commit()?;
        Ok(out)
    }

    /// Delete a document, its sentences and events. Returns whether it existed.
    pub fn delete_document(&mut self, doc_id: &str) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        let existed = delete_doc(&tx, doc_id)?;
        tx.commit()?;
        Ok(existed)
    }

    /// Row counts.
    pub fn counts(&self) -> Result<Counts, StoreError> {
        let c = |sql: &str| -> Result<u64, StoreError> {
            Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok(Counts {
            documents: c("SELECT count(*) FROM documents")?,
            sentences: c("SELECT count(*) FROM sentences")?,
            events: c("SELECT count(*) FROM events")?,
        })
    }

    /// One document by id.
    pub fn document(&self, doc_id: &str) -> Result<Option<StoredDocument>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT doc_id, source, published, title, text, n_sentences, n_events
                 FROM documents WHERE doc_id = ?1",
                [doc_id],
                |r| {
                    Ok(StoredDocument {
                        doc_id: r.get(0)?,
                        source: r.get(1)?,
                        published: r.get(2)?,
                        title: r.get(3)?,
                        text: r.get(4)?,
                        n_sentences: r.get::<_, i64>(5)? as u64,
                        n_events: r.get::<_, i64>(6)? as u64,
                    })
                },
            )
            .optional()?)
    }

    /// Events matching `f`, newest first, one page at a time.
    pub fn query(&self, f: &Filter) -> Result<Page, StoreError> {
        let mut conds: Vec<String> = Vec::new();
        let mut ps: Vec<Value> = Vec::new();
        // The first "either side" condition is not written as `a OR b` but
        // split into two arms of a UNION ALL (`a`, then `b AND NOT a`): each
        // arm then walks its own (country|code, day) index in order and
        // SQLite merges them, instead of collecting and sorting every match.
        let mut split: Option<[(String, Vec<Value>); 2]> = None;
        let mut either = |a: (String, Vec<Value>),
                          b: (String, Vec<Value>),
                          conds: &mut Vec<String>,
                          ps: &mut Vec<Value>| {
            if split.is_none() {
                split = Some([a, b]);
            } else {
                conds.push(format!("({} OR {})", a.0, b.0));
                ps.extend(a.1);
                ps.extend(b.1);
            }
        };
        let side = |side: &str, col: &str, v: &str| {
            let mut p = Vec::new();
            let sql = side_condition_col(side, col, v, &mut p);
            (sql, p)
        };
        for (col, value, role) in [
            ("code", &f.actor, f.actor_role),
            ("country", &f.country, f.country_role),
        ] {
            let Some(v) = value else { continue };
            match role {
                Role::Source => conds.push(side_condition_col("src", col, v, &mut ps)),
                Role::Target => conds.push(side_condition_col("tgt", col, v, &mut ps)),
                Role::Either => either(
                    side("src", col, v),
                    side("tgt", col, v),
                    &mut conds,
                    &mut ps,
                ),
            }
        }
        if let Some((a, b)) = &f.dyad {
            let pair = |x: &str, y: &str| {
                let mut p = Vec::new();
                let sql = format!(
                    "({} AND {})",
                    side_condition("src", x, &mut p),
                    side_condition("tgt", y, &mut p)
                );
                (sql, p)
            };
            if f.dyad_both_directions {
                either(pair(a, b), pair(b, a), &mut conds, &mut ps);
            } else {
                let (sql, p) = pair(a, b);
                conds.push(sql);
                ps.extend(p);
            }
        }
        if let Some(c) = &f.cameo {
            conds.push("(cameo >= ? AND cameo < ?)".into());
            ps.push(Value::Text(c.clone()));
            ps.push(Value::Text(format!("{c}\u{FFFF}")));
        }
        if let Some(r) = &f.root {
            conds.push("root = ?".into());
            ps.push(Value::Text(r.clone()));
        }
        if let Some(q) = f.quad_class {
            conds.push("quad = ?".into());
            ps.push(Value::Integer(i64::from(q)));
        }
        period_condition(&f.from, &f.to, &mut conds, &mut ps)?;
        if let Some(l) = &f.location_country {
            conds.push("loc_country = ?".into());
            ps.push(Value::Text(l.clone()));
        }
        if f.located {
            conds.push("lat IS NOT NULL".into());
        }
        if let Some(t) = &f.text {
            // Parse the FTS5 expression now, so a malformed one is an error
            // even when no event row would reach the sub-query.
            self.conn
                .query_row(
                    "SELECT count(*) FROM (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?1 LIMIT 1)",
                    [t],
                    |r| r.get::<_, i64>(0),
                )
                .map_err(|e| StoreError::BadFilter(format!("full-text query {t:?}: {e}")))?;
            conds.push(
                "sent_pk IN (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?)".into(),
            );
            ps.push(Value::Text(t.clone()));
        }
        if let Some(d) = &f.doc_id {
            conds.push("doc_pk = (SELECT doc_pk FROM documents WHERE doc_id = ?)".into());
            ps.push(Value::Text(d.clone()));
        }
        if let Some(c) = &f.cursor {
            let (day, pk) = parse_cursor(c)?;
            conds.push("(day < ? OR (day = ? AND ev_pk < ?))".into());
            ps.push(Value::Integer(day));
            ps.push(Value::Integer(day));
            ps.push(Value::Integer(pk));
        }
        let limit = if f.limit == 0 {
            100
        } else {
            f.limit.min(10_000)
        };
        let (inner, ps) = match split {
            None => {
                let where_ = if conds.is_empty() {
                    String::new()
                } else {
                    format!("WHERE {}", conds.join(" AND "))
                };
                (
                    format!("SELECT ev_pk, day, json, sent_pk FROM events {where_}"),
                    ps,
                )
            }
            Some([(a, a_ps), (b, b_ps)]) => {
                let rest: String = conds.iter().map(|c| format!(" AND {c}")).collect();
                let sql = format!(
                    "SELECT ev_pk, day, json, sent_pk FROM events WHERE {a}{rest}
                     UNION ALL
                     SELECT ev_pk, day, json, sent_pk FROM events
                       WHERE {b} AND NOT coalesce({a}, 0){rest}"
                );
                let mut all = a_ps.clone();
                all.extend(ps.iter().cloned());
                all.extend(b_ps);
                all.extend(a_ps);
                all.extend(ps);
                (sql, all)
            }
        };
        let sql = format!(
            "SELECT e.ev_pk, e.day, e.json, s.start, s.text FROM
               ({inner} ORDER BY day DESC, ev_pk DESC LIMIT {}) e
             LEFT JOIN sentences s ON s.sent_pk = e.sent_pk
             ORDER BY e.day DESC, e.ev_pk DESC",
            limit + 1
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(ps.iter()), |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        });
        let rows = rows.map_err(fts_error)?;
        let mut events = Vec::new();
        let mut last = None;
        let mut more = false;
        for row in rows {
            let (pk, day, json, start, sentence) = row.map_err(fts_error)?;
            if events.len() == limit {
                more = true;
                break;
            }
            let mut event: Event =
                serde_json::from_str(&json).map_err(|e| StoreError::Corrupt {
                    what: format!("event row {pk}"),
                    cause: e.to_string(),
                })?;
            // The sentence text is stored once, in `sentences` (see write_document).
            if event.sentence.is_empty() {
                if let Some(text) = sentence {
                    event.sentence = text;
                }
            }
            events.push(StoredEvent {
                event,
                sentence_start: start.map(|s| s as usize),
            });
            last = Some((day, pk));
        }
        let next_cursor = match (more, last) {
            (true, Some((d, p))) => Some(format!("{d}_{p}")),
            _ => None,
        };
        Ok(Page {
            events,
            next_cursor,
        })
    }

    /// Every event matching `f` (all pages).
    pub fn query_all(&self, f: &Filter) -> Result<Vec<StoredEvent>, StoreError> {
        let mut f = f.clone();
        if f.limit == 0 {
            f.limit = 10_000;
        }
        let mut out = Vec::new();
        loop {
            let page = self.query(&f)?;
            out.extend(page.events);
            match page.next_cursor {
                Some(c) => f.cursor = Some(c),
                None => return Ok(out),
            }
        }
    }

    /// Timeline of the dyad `a`–`b` (both directions) per `interval`,
    /// optionally within `[from, to]`. `a` and `b` are three-letter
    /// countries or longer actor-code prefixes.
    pub fn timeline(
        &self,
        a: &str,
        b: &str,
        interval: Interval,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Timeline, StoreError> {
        let mut buckets: BTreeMap<i64, Bucket> = BTreeMap::new();
        let mut unplaced = Bucket {
            period: "unplaced".into(),
            a_to_b: DirectionStats::default(),
            b_to_a: DirectionStats::default(),
        };
        let mut totals = Bucket {
            period: "total".into(),
            a_to_b: DirectionStats::default(),
            b_to_a: DirectionStats::default(),
        };
        let need = match interval {
            Interval::Month => Precision::Month as i64,
            Interval::Day | Interval::Week => Precision::Day as i64,
        };
        for forward in [true, false] {
            let (s, t) = if forward { (a, b) } else { (b, a) };
            if !forward && a == b {
                break;
            }
            let mut conds = Vec::new();
            let mut ps = Vec::new();
            conds.push(side_condition("src", s, &mut ps));
            conds.push(side_condition("tgt", t, &mut ps));
            period_condition(
                &from.map(str::to_string),
                &to.map(str::to_string),
                &mut conds,
                &mut ps,
            )?;
            let sql = format!(
                "SELECT day, prec, quad, root, count(*), total(goldstein) FROM events
                 WHERE {} GROUP BY day, prec, quad, root",
                conds.join(" AND ")
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(params_from_iter(ps.iter()))?;
            while let Some(r) = rows.next()? {
                let day: i64 = r.get(0)?;
                let prec: i64 = r.get(1)?;
                let quad: i64 = r.get(2)?;
                let root: String = r.get(3)?;
                let n = r.get::<_, i64>(4)? as u64;
                let g: f64 = r.get(5)?;
                let pick = |bk: &mut Bucket| {
                    let d = if forward {
                        &mut bk.a_to_b
                    } else {
                        &mut bk.b_to_a
                    };
                    d.add(quad, root.clone(), n, g);
                };
                pick(&mut totals);
                if day == UNDATED || prec < need {
                    pick(&mut unplaced);
                    continue;
                }
                let key = match interval {
                    Interval::Day => day,
                    Interval::Week => week_start(day),
                    Interval::Month => month_index(day),
                };
                let bk = buckets.entry(key).or_insert_with(|| Bucket {
                    period: match interval {
                        Interval::Day | Interval::Week => format_day(key),
                        Interval::Month => {
                            format!("{:04}-{:02}", key.div_euclid(12), key.rem_euclid(12) + 1)
                        }
                    },
                    a_to_b: DirectionStats::default(),
                    b_to_a: DirectionStats::default(),
                });
                pick(bk);
            }
        }
        let mut buckets: Vec<Bucket> = buckets.into_values().collect();
        for bk in buckets
            .iter_mut()
            .chain(std::iter::once(&mut unplaced))
            .chain(std::iter::once(&mut totals))
        {
            bk.a_to_b.finish();
            bk.b_to_a.finish();
        }
        Ok(Timeline {
            a: a.to_string(),
            b: b.to_string(),
            interval,
            buckets,
            unplaced,
            totals,
        })
    }

    /// The most active actors (or countries) in a period.
    pub fn top_actors(&self, q: &ActorQuery) -> Result<Vec<ActorCount>, StoreError> {
        let col = if q.by_country { "country" } else { "code" };
        let mut conds = Vec::new();
        let mut ps = Vec::new();
        period_condition(&q.from, &q.to, &mut conds, &mut ps)?;
        let extra = conds
            .iter()
            .map(|c| format!(" AND {c}"))
            .collect::<String>();
        let mut all = ps.clone();
        all.extend(ps);
        let limit = if q.limit == 0 { 20 } else { q.limit.min(1000) };
        // Each arm is an index-only grouped scan of (src|tgt_{col}, day);
        // only the per-actor subtotals are merged.
        let sql = format!(
            "SELECT a, sum(s), sum(t) FROM (
               SELECT src_{col} a, count(*) s, 0 t FROM events
                 WHERE src_{col} IS NOT NULL{extra} GROUP BY src_{col}
               UNION ALL
               SELECT tgt_{col} a, 0 s, count(*) t FROM events
                 WHERE tgt_{col} IS NOT NULL{extra} GROUP BY tgt_{col})
             GROUP BY a ORDER BY sum(s) + sum(t) DESC, a LIMIT {limit}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(all.iter()), |r| {
            let s = r.get::<_, i64>(1)? as u64;
            let t = r.get::<_, i64>(2)? as u64;
            Ok(ActorCount {
                actor: r.get(0)?,
                as_source: s,
                as_target: t,
                total: s + t,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The heaviest directed actor (or country) pairs in a period.
    pub fn network(&self, q: &ActorQuery) -> Result<Vec<Edge>, StoreError> {
        let col = if q.by_country { "country" } else { "code" };
        let mut conds = vec![
            format!("src_{col} IS NOT NULL"),
            format!("tgt_{col} IS NOT NULL"),
        ];
        let mut ps = Vec::new();
        period_condition(&q.from, &q.to, &mut conds, &mut ps)?;
        let limit = if q.limit == 0 { 50 } else { q.limit.min(5000) };
        let sql = format!(
            "SELECT src_{col}, tgt_{col}, count(*), avg(goldstein) FROM events WHERE {}
             GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT {limit}",
            conds.join(" AND ")
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(ps.iter()), |r| {
            Ok(Edge {
                source: r.get(0)?,
                target: r.get(1)?,
                count: r.get::<_, i64>(2)? as u64,
                goldstein_mean: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Read through a memory map and a larger page cache: the default 2 MiB
/// cache makes every query re-read its pages with system calls.
fn tune_reads(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch("PRAGMA cache_size=-65536;")?;
    // mmap_size answers with the size actually granted; ignore it.
    conn.query_row("PRAGMA mmap_size=1073741824", [], |_| Ok(()))
        .optional()?;
    Ok(())
}

fn side_condition_col(side: &str, col: &str, v: &str, ps: &mut Vec<Value>) -> String {
    if col == "country" {
        ps.push(Value::Text(v.to_string()));
        format!("{side}_country = ?")
    } else {
        ps.push(Value::Text(v.to_string()));
        ps.push(Value::Text(format!("{v}\u{FFFF}")));
        format!("({side}_code >= ? AND {side}_code < ?)")
    }
}

fn parse_cursor(c: &str) -> Result<(i64, i64), StoreError> {
    let bad = || StoreError::BadFilter(format!("bad cursor {c:?}"));
    let (d, p) = c.split_once('_').ok_or_else(bad)?;
    Ok((d.parse().map_err(|_| bad())?, p.parse().map_err(|_| bad())?))
}

fn fts_error(e: rusqlite::Error) -> StoreError {
    let msg = e.to_string();
    if msg.contains("fts5") || msg.contains("syntax error") || msg.contains("no such column") {
        StoreError::BadFilter(format!("full-text query: {msg}"))
    } else {
        StoreError::Sqlite(e)
    }
}

fn delete_doc(tx: &rusqlite::Transaction<'_>, doc_id: &str) -> Result<bool, StoreError> {
    let pk: Option<i64> = tx
        .query_row(
            "SELECT doc_pk FROM documents WHERE doc_id = ?1",
            [doc_id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(pk) = pk else { return Ok(false) };
    tx.execute(
        "INSERT INTO sentences_fts(sentences_fts, rowid, text)
         SELECT 'delete', sent_pk, text FROM sentences WHERE doc_pk = ?1",
        [pk],
    )?;
    tx.execute("DELETE FROM events WHERE doc_pk = ?1", [pk])?;
    tx.execute("DELETE FROM sentences WHERE doc_pk = ?1", [pk])?;
    tx.execute("DELETE FROM documents WHERE doc_pk = ?1", [pk])?;
    Ok(true)
}

fn write_document(tx: &rusqlite::Transaction<'_>, doc: &CodedDocument) -> Result<bool, StoreError> {
    let replaced = delete_doc(tx, &doc.doc_id)?;
    tx.prepare_cached(
        "INSERT INTO documents(doc_id, source, published, title, text, n_sentences, n_events)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        doc.doc_id,
        doc.source,
        doc.published,
        doc.title,
        doc.text,
        doc.sentences.len() as i64,
        doc.events.len() as i64
    ])?;
    let doc_pk = tx.last_insert_rowid();
    let mut sent_pks: HashMap<&str, (i64, &str)> = HashMap::with_capacity(doc.sentences.len());
    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO sentences(doc_pk, sentence_id, start, end, text) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut fts =
            tx.prepare_cached("INSERT INTO sentences_fts(rowid, text) VALUES (?1, ?2)")?;
        for s in &doc.sentences {
            ins.execute(params![
                doc_pk,
                s.sentence_id,
                s.start as i64,
                s.end as i64,
                s.text
            ])?;
            let pk = tx.last_insert_rowid();
            fts.execute(params![pk, s.text])?;
            sent_pks.insert(s.sentence_id.as_str(), (pk, s.text.as_str()));
        }
    }
    let mut ins = tx.prepare_cached(
        "INSERT INTO events(doc_pk, sent_pk, day, prec, src_code, src_country, tgt_code,
           tgt_country, cameo, root, quad, goldstein, loc_country, lat, lon, json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    for ev in &doc.events {
        let (day, prec) = ev
            .date
            .as_deref()
            .and_then(parse_date)
            .map(|(d, p)| (d, p as i64))
            .unwrap_or((UNDATED, 0));
        let src = ev.source.as_ref().map(|a| a.code.as_str());
        let tgt = ev.target.as_ref().map(|a| a.code.as_str());
        let sent = sent_pks.get(ev.sentence_id.as_str());
        // Keep the sentence text once (in `sentences`), not in every event's
        // JSON: an empty `sentence` is refilled from the join when read.
        let json = if sent.is_some_and(|(_, t)| *t == ev.sentence) {
            let mut slim = ev.clone();
            slim.sentence = String::new();
            serde_json::to_string(&slim)
        } else {
            serde_json::to_string(ev)
        };
        let json = json.map_err(|e| StoreError::Corrupt {
            what: format!("event of document {}", doc.doc_id),
            cause: e.to_string(),
        })?;
        ins.execute(params![
            doc_pk,
            sent.map(|(pk, _)| *pk),
            day,
            prec,
            src,
            src.and_then(actor_country),
            tgt,
            tgt.and_then(actor_country),
            ev.event.cameo,
            ev.event.root,
            i64::from(ev.event.quad_class),
            f64::from(ev.event.goldstein),
            ev.location.as_ref().map(|l| l.country.as_str()),
            ev.location.as_ref().map(|l| l.lat),
            ev.location.as_ref().map(|l| l.lon),
            json
        ])?;
    }
    Ok(replaced)
}
