//! Round-trips: what goes into each writer comes back out of its reader.

mod common;

use std::io::Cursor;

use dyad_core::event::Event;
use dyad_output::read::{self, ReadError};
use dyad_output::{writer, writer_with, DocMeta, Format, WriterOptions, GDELT_COLUMNS};

fn write_all(format: Format, events: &[Event], meta: Option<&DocMeta>) -> Vec<u8> {
    write_opts(format, events, meta, &WriterOptions::default())
}

fn write_opts(
    format: Format,
    events: &[Event],
    meta: Option<&DocMeta>,
    o: &WriterOptions,
) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut w = writer_with(format, &mut buf, o).expect("writer");
    for e in events {
        w.write_with(e, meta).expect("write");
    }
    w.finish().expect("finish");
    buf
}

fn ok<T>(it: impl Iterator<Item = Result<T, ReadError>>) -> Vec<T> {
    it.map(|r| r.expect("record reads")).collect()
}

#[test]
fn jsonl_round_trips_every_field() {
    let events = common::samples();
    let out = write_all(Format::Jsonl, &events, None);
    let back = ok(read::jsonl(Cursor::new(out), "out.jsonl"));
    assert_eq!(back, events);
}

#[test]
fn csv_round_trips_every_field() {
    let events = common::samples();
    let out = write_all(Format::Csv, &events, None);
    let text = String::from_utf8(out.clone()).expect("utf8");
    assert!(
        text.starts_with("id,doc_id,sentence_id,date,"),
        "{}",
        &text[..80]
    );
    let back = ok(read::csv(Cursor::new(out), "out.csv").expect("header"));
    assert_eq!(back, events);
}

#[test]
fn parquet_round_trips_every_field_across_row_groups() {
    let events = common::samples();
    for rg in [3, 65_536] {
        let o = WriterOptions {
            parquet_row_group: rg,
            ..WriterOptions::default()
        };
        let out = write_opts(Format::Parquet, &events, None, &o);
        assert_eq!(&out[..4], b"PAR1");
        let back = ok(read::parquet_bytes(out, "out.parquet").expect("opens"));
        assert_eq!(back, events, "row group size {rg}");
    }
}

#[test]
fn parquet_file_reader_and_bad_file() {
    let events = common::samples();
    let dir = std::env::temp_dir().join(format!("dyad-output-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let path = dir.join("e.parquet");
    std::fs::write(&path, write_all(Format::Parquet, &events, None)).expect("write");
    let back = ok(read::parquet_file(&path).expect("opens"));
    assert_eq!(back.len(), events.len());
    std::fs::write(&path, b"not parquet at all").expect("write");
    let err = read::parquet_file(&path).err().expect("rejected");
    assert!(
        err.to_string().starts_with(&path.display().to_string()),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn gdelt_has_61_columns_and_zero_padded_codes() {
    let events = common::samples();
    let meta = DocMeta {
        doc_id: "voa-1".into(),
        source: Some("VOA".into()),
        url: Some("https://www.voanews.com/a/1.html".into()),
        published: Some("2025-03-15T10:00:00Z".into()),
    };
    let o = WriterOptions {
        date_added: Some("20250316120000".into()),
        ..WriterOptions::default()
    };
    let out = write_opts(Format::Gdelt, &events, Some(&meta), &o);
    let text = String::from_utf8(out.clone()).expect("utf8");
    for line in text.lines() {
        assert_eq!(line.split('\t').count(), 61, "{line}");
    }
    let rows = ok(read::gdelt(Cursor::new(out), "out.tsv"));
    // The negated event (sample 4) is not written.
    let kept: Vec<&Event> = events
        .iter()
        .filter(|e| !e.modality.is_some_and(|m| m.negated))
        .collect();
    assert_eq!(rows.len(), kept.len());
    assert_eq!(rows.len(), events.len() - 1);
    for (r, e) in rows.iter().zip(&kept) {
        let g = |c: &str| r.get(c).expect("column").to_string();
        assert_eq!(g("EventCode"), e.event.cameo);
        assert_eq!(g("EventRootCode"), e.event.root);
        assert_eq!(g("EventRootCode").len(), 2);
        assert!(g("EventCode").starts_with(&g("EventRootCode")));
        assert_eq!(g("QuadClass"), e.event.quad_class.to_string());
        assert_eq!(
            g("GoldsteinScale").parse::<f32>().expect("num"),
            e.event.goldstein
        );
        assert_eq!(
            g("Actor1Code"),
            e.source.as_ref().map_or("", |a| a.code.as_str())
        );
        assert_eq!(
            g("Actor2Code"),
            e.target.as_ref().map_or("", |a| a.code.as_str())
        );
        assert_eq!(g("SOURCEURL"), "https://www.voanews.com/a/1.html");
        assert_eq!(g("DATEADDED"), "20250316120000");
        assert_eq!(g("NumMentions"), e.mentions.unwrap_or(1).to_string());
        let y = e.date.as_deref().map_or("", |d| &d[..4]);
        assert_eq!(g("Year"), y);
        match &e.location {
            Some(l) => {
                assert_eq!(g("ActionGeo_Lat").parse::<f64>().expect("lat"), l.lat);
                assert_eq!(g("ActionGeo_Long").parse::<f64>().expect("lon"), l.lon);
                assert_eq!(g("ActionGeo_FullName"), l.name);
            }
            None => assert_eq!(g("ActionGeo_Lat"), ""),
        }
    }
    let first = &rows[0];
    assert_eq!(first.get("GLOBALEVENTID"), Some("ev-0001"));
    assert_eq!(first.get("SQLDATE"), Some("20250315"));
    assert_eq!(first.get("MonthYear"), Some("202503"));
    assert_eq!(first.get("EventBaseCode"), Some("042"));
    assert_eq!(first.get("Actor1CountryCode"), Some("IRQ"));
    assert_eq!(first.get("Actor1Type1Code"), Some("GOV"));
    assert_eq!(first.get("ActionGeo_Type"), Some("3"));
    assert_eq!(first.get("AvgTone"), Some(""));
    // Row ids fall back to the row number; leading zeros survive.
    assert_eq!(rows[1].get("GLOBALEVENTID"), Some("2"));
    assert_eq!(rows[1].get("EventCode"), Some("010"));
    assert_eq!(rows[1].get("SQLDATE"), Some(""));
    let r0874 = &rows[2];
    assert_eq!(r0874.get("EventCode"), Some("0874"));
    assert_eq!(r0874.get("EventBaseCode"), Some("087"));
    assert_eq!(r0874.get("EventRootCode"), Some("08"));
    assert_eq!(r0874.get("SQLDATE"), Some(""));
    assert_eq!(r0874.get("MonthYear"), Some("200811"));
    assert_eq!(r0874.get("Actor1KnownGroupCode"), Some("UNO"));
    assert_eq!(r0874.get("Actor2Religion1Code"), Some("SUN"));
    // A sentence's tab and newline never split a row.
    assert_eq!(GDELT_COLUMNS.len(), 61);
}

#[test]
fn phoenix_has_26_columns() {
    let events = common::samples();
    let meta = DocMeta {
        doc_id: "d".into(),
        source: None,
        url: Some("https://www.reuters.com/x".into()),
        published: None,
    };
    let out = write_all(Format::Phoenix, &events, Some(&meta));
    let rows = ok(read::phoenix(Cursor::new(out), "out.tsv"));
    assert_eq!(rows.len(), events.len() - 1, "negated event skipped");
    let kept = events
        .iter()
        .filter(|e| !e.modality.is_some_and(|m| m.negated));
    for (r, e) in rows.iter().zip(kept) {
        assert_eq!(r.fields().len(), 26);
        let g = |c: &str| r.get(c).expect("column").to_string();
        assert_eq!(g("EventCode"), e.event.cameo);
        assert_eq!(g("EventRootCode"), e.event.root);
        assert_eq!(
            g("SourceActorFull"),
            e.source.as_ref().map_or("", |a| a.code.as_str())
        );
        assert_eq!(
            g("TargetActorFull"),
            e.target.as_ref().map_or("", |a| a.code.as_str())
        );
        assert_eq!(
            g("GoldsteinScore").parse::<f32>().expect("num"),
            e.event.goldstein
        );
        assert_eq!(g("Issues"), e.issues.join(";"));
        assert_eq!(g("SentenceID"), format!("{}_{}", e.doc_id, e.sentence_id));
        assert_eq!(g("URLs"), "https://www.reuters.com/x");
        assert_eq!(
            g("LocationName"),
            e.location.as_ref().map_or("", |l| l.name.as_str())
        );
    }
    let r = &rows[0];
    assert_eq!(r.get("Date"), Some("20250315"));
    assert_eq!(
        (r.get("Year"), r.get("Month"), r.get("Day")),
        (Some("2025"), Some("03"), Some("15"))
    );
    assert_eq!(r.get("SourceActorEntity"), Some("IRQ"));
    assert_eq!(r.get("SourceActorRole"), Some("GOV"));
    assert_eq!(r.get("EventCode"), Some("042"));
    assert_eq!(r.get("PentaClass"), Some("1"));
    assert_eq!(r.get("Issues"), Some("SECURITY;TRADE"));
    assert_eq!(r.get("CountryCode"), Some("USA"));
    assert_eq!(r.get("SentenceID"), Some("voa-1_3"));
    assert_eq!(r.get("NewsSources"), Some("reuters.com"));
    assert_eq!(rows[1].get("PentaClass"), Some("0"));
    assert_eq!(rows[1].get("EventCode"), Some("010"));
    assert_eq!(rows[3].get("NewsSources"), Some("afp.com;reuters.com"));
}

#[test]
fn plover_records_carry_classes_and_sectors() {
    let events = common::samples();
    let out = write_all(Format::Plover, &events, None);
    let recs: Vec<serde_json::Value> = String::from_utf8(out)
        .expect("utf8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let with_plover = events.iter().filter(|e| e.event.plover.is_some()).count();
    assert_eq!(
        recs.len(),
        with_plover,
        "root 01/02 events have no PLOVER class"
    );
    let r = &recs[0];
    assert_eq!(r["id"], "ev-0001");
    assert_eq!(r["event"][0], "CONSULT");
    assert_eq!(r["mode"][0], "visit");
    assert_eq!(r["quad_code"], 1);
    assert_eq!(r["actor"][0]["code"], "IRQ");
    assert_eq!(r["actor"][0]["sector"], "GOV");
    assert_eq!(r["recipient"][0]["code"], "USA");
    assert_eq!(r["event_loc"]["country_code"], "USA");
    assert_eq!(r["cameo_code"], "042");
    let r = &recs[1];
    assert_eq!(r["event"][0], "RETREAT");
    assert_eq!(r["context"][0], "military");
    assert_eq!(r["actor"][0]["code"], "UNO");
    assert_eq!(r["recipient"][0]["sector"], "REB");
    assert_eq!(r["recipient"][0]["other_sectors"][0], "REL");
    assert_eq!(r["aux_modes"][0], "historical");
    assert_eq!(r["date"], "2008-11");
    let negated = recs.iter().find(|r| r["cameo_code"] == "190").expect("190");
    assert_eq!(negated["aux_modes"][0], "negation");
}

#[test]
fn bad_records_are_reported_and_skipped() {
    let events = common::samples();
    // Samples 2 and 7 have no newline inside a field: one line per record.
    let pair = [events[1].clone(), events[6].clone()];
    let good = String::from_utf8(write_all(Format::Csv, &pair, None)).expect("utf8");
    let mut lines: Vec<&str> = good.lines().collect();
    assert_eq!(lines.len(), 3);
    let bad_row = lines[1].replacen(",010,01,1,", ",010,01,one,", 1);
    assert_ne!(bad_row, lines[1]);
    lines.insert(1, &bad_row);
    let csv = lines.join("\n");
    let res: Vec<_> = read::csv(Cursor::new(csv), "in.csv")
        .expect("header")
        .collect();
    assert_eq!(res.len(), 3);
    let err = res[0].as_ref().expect_err("bad row");
    assert_eq!(err.record, 2);
    assert!(
        err.to_string().starts_with("in.csv:2: column quad_class"),
        "{err}"
    );
    assert_eq!(res[1].as_ref().expect("good"), &pair[0]);
    assert_eq!(res[2].as_ref().expect("good"), &pair[1]);

    let bad_header = read::csv(Cursor::new("a,b\n1,2\n"), "h.csv")
        .err()
        .expect("header");
    assert!(bad_header.to_string().contains("flat schema"));

    let tsv = "a\tb\n".to_string()
        + &String::from_utf8(write_all(Format::Gdelt, &events[..1], None)).expect("utf8");
    let res: Vec<_> = read::gdelt(Cursor::new(tsv), "g.tsv").collect();
    assert_eq!(res.len(), 2);
    assert_eq!(
        res[0].as_ref().expect_err("short").to_string(),
        "g.tsv:1: expected 61 tab-separated fields, found 2"
    );
    assert!(res[1].is_ok());

    let jl = "{\"broken\": \n\n".to_string() + &serde_json::to_string(&events[0]).expect("json");
    let res: Vec<_> = read::jsonl(Cursor::new(jl), "e.jsonl").collect();
    assert_eq!(res.len(), 2);
    assert_eq!(res[0].as_ref().expect_err("bad").record, 1);
    assert_eq!(res[1].as_ref().expect("ok"), &events[0]);
}

#[test]
fn every_format_writes_through_the_trait_object() {
    let events = common::samples();
    for f in Format::ALL {
        let mut buf = Vec::new();
        let mut w = writer(f, &mut buf).expect("writer");
        for e in &events {
            w.write(e).expect("write");
        }
        let s = w.finish().expect("finish");
        let expect_written = match f {
            Format::Gdelt | Format::Phoenix => events.len() as u64 - 1,
            Format::Plover => events.iter().filter(|e| e.event.plover.is_some()).count() as u64,
            _ => events.len() as u64,
        };
        assert_eq!(s.written, expect_written, "{f}");
        assert_eq!(
            s.written + s.skipped_negated + s.skipped_unmapped,
            events.len() as u64,
            "{f}"
        );
        assert!(!buf.is_empty(), "{f}");
    }
}
