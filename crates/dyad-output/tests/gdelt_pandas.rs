//! Interoperability: the GDELT output loads in pandas with 61 string
//! columns (`tools/check_gdelt.py`) and the Parquet output in DuckDB
//! (`tools/check_parquet.py`). The Python part is skipped when python3,
//! pandas or duckdb is missing; the Rust-side checks always run.

mod common;

use std::path::PathBuf;
use std::process::Command;

use dyad_core::Codebook;
use dyad_output::{writer_with, DocMeta, Format, WriterOptions};

#[test]
fn gdelt_output_loads_in_pandas_with_codes_as_strings() {
    // One event per codebook code, plus the schema samples.
    let mut events = common::samples();
    for (i, c) in Codebook::builtin().iter().enumerate() {
        let mut e = common::base(
            &format!("d{i}"),
            "1",
            &c.code,
            Some(common::actor("IRQGOV", "Baghdad")),
            Some(common::actor("USAMIL", "US forces")),
        );
        e.date = Some(format!("2025-{:02}-{:02}", 1 + i % 12, 1 + i % 28));
        events.push(e);
    }
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("dyad-sample.gdelt.tsv");
    let file = std::fs::File::create(&path).expect("create");
    let o = WriterOptions {
        date_added: Some("20260101000000".into()),
        ..WriterOptions::default()
    };
    let mut w = writer_with(Format::Gdelt, file, &o).expect("writer");
    let meta = DocMeta {
        doc_id: "x".into(),
        url: Some("https://example.org/a?b=1".into()),
        ..DocMeta::default()
    };
    for e in &events {
        w.write_with(e, Some(&meta)).expect("write");
    }
    let s = w.finish().expect("finish");
    assert_eq!(s.written as usize, events.len() - 1);

    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.lines().all(|l| l.split('\t').count() == 61));
    assert!(text.lines().any(|l| l.split('\t').nth(26) == Some("010")));

    let have_pandas = Command::new("python3")
        .args(["-c", "import pandas"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !have_pandas {
        println!("skipping: python3 with pandas not found");
        return;
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tools/check_gdelt.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(&path)
        .output()
        .expect("run check_gdelt.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "check_gdelt.py failed: {stdout}");
    assert!(
        stdout.contains(&format!("{} rows x 61 columns", s.written)),
        "{stdout}"
    );
}

#[test]
fn parquet_output_loads_in_duckdb_with_codes_as_strings() {
    let mut events = common::samples();
    for (i, c) in Codebook::builtin().iter().enumerate() {
        events.push(common::base(
            &format!("p{i}"),
            "1",
            &c.code,
            Some(common::actor("SYRREB", "rebels")),
            None,
        ));
    }
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("dyad-sample.parquet");
    let file = std::fs::File::create(&path).expect("create");
    let o = WriterOptions {
        parquet_row_group: 100,
        ..WriterOptions::default()
    };
    let mut w = writer_with(Format::Parquet, file, &o).expect("writer");
    for e in &events {
        w.write(e).expect("write");
    }
    assert_eq!(w.finish().expect("finish").written as usize, events.len());
    let back: Vec<_> = dyad_output::read::parquet_file(&path)
        .expect("opens")
        .map(|r| r.expect("row"))
        .collect();
    assert_eq!(back, events);

    let have_duckdb = Command::new("python3")
        .args(["-c", "import duckdb"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !have_duckdb {
        println!("skipping: python3 with duckdb not found");
        return;
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tools/check_parquet.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(&path)
        .arg(events.len().to_string())
        .output()
        .expect("run check_parquet.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "check_parquet.py failed: {stdout}");
}
