//! Kill an ingest with SIGKILL midway and run it again: every document
//! committed before the kill is present exactly once, and the re-run
//! completes the store without duplicates.
//!
//! The test re-executes this test binary as the child process, running only
//! `crash_child`, which ingests slowly (the `KeywordCoder` test double with
//! a per-document delay) and prints a line per committed document.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use dyad_store::testing::KeywordCoder;
use dyad_store::{ingest, DocumentCoder, IncomingDocument, IngestError, IngestOptions, Store};

const CHILD_ENV: &str = "DYAD_STORE_CRASH_CHILD_DB";
const N_DOCS: usize = 60;

fn corpus() -> Vec<IncomingDocument> {
    (0..N_DOCS)
        .map(|i| IncomingDocument {
            doc_id: Some(format!("story-{i:03}")),
            text: format!(
                "Iraq met France on matter {i}. Russia attacked Iran. Filler sentence number {i}."
            ),
            published: Some(format!("2024-04-{:02}", 1 + i % 28)),
            ..Default::default()
        })
        .collect()
}

fn docs() -> impl Iterator<Item = Result<IncomingDocument, IngestError>> {
    corpus().into_iter().map(Ok)
}

/// Not a test on its own: the child process of
/// `sigkill_midway_loses_no_committed_document`. Does nothing unless the
/// environment variable is set.
#[test]
fn crash_child() {
    let Ok(db) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut store = Store::open(std::path::Path::new(&db)).expect("child opens store");
    let coder = KeywordCoder {
        delay: Some(std::time::Duration::from_millis(25)),
    };
    let opts = IngestOptions {
        batch_size: 3,
        progress_bar: false,
        expected: None,
    };
    ingest(docs(), &mut store, &coder, &opts, &mut |p| {
        for id in &p.committed {
            println!("COMMITTED {id}");
        }
    })
    .expect("child ingest");
    println!("CHILD FINISHED");
}

#[test]
fn sigkill_midway_loses_no_committed_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("crash.db");
    let exe = std::env::current_exe().expect("test binary path");
    let mut child = Command::new(exe)
        .args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, &db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn child");
    let stdout = child.stdout.take().expect("child stdout");
    let mut committed = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("child line");
        if let Some(id) = line.strip_prefix("COMMITTED ") {
            committed.push(id.to_string());
            if committed.len() >= 12 {
                break;
            }
        }
        assert_ne!(
            line, "CHILD FINISHED",
            "child finished before it was killed"
        );
    }
    // std::process::Child::kill sends SIGKILL on Unix.
    child.kill().expect("SIGKILL the child");
    let status = child.wait().expect("reap child");
    assert!(
        !status.success(),
        "child was killed, not finished: {status:?}"
    );
    assert!(committed.len() >= 12);

    let coder = KeywordCoder::default();
    let expected_events = |id: &str| -> i64 {
        let d = corpus()
            .into_iter()
            .find(|d| d.doc_id.as_deref() == Some(id))
            .expect("known id");
        coder.code(d).expect("codes").events.len() as i64
    };

    let mut store = Store::open(&db).expect("reopen after kill");
    let ok: String = store
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity");
    assert_eq!(ok, "ok");
    let stored_docs = store.counts().expect("counts").documents as usize;
    assert!(
        stored_docs >= committed.len(),
        "{stored_docs} < {}",
        committed.len()
    );
    assert!(stored_docs < N_DOCS, "the kill came midway");
    for id in &committed {
        let (n, ev): (i64, i64) = store
            .connection()
            .query_row(
                "SELECT count(*), (SELECT count(*) FROM events e JOIN documents d2
                   ON e.doc_pk = d2.doc_pk WHERE d2.doc_id = ?1)
                 FROM documents WHERE doc_id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("lookup");
        assert_eq!(n, 1, "{id} present exactly once");
        assert_eq!(ev, expected_events(id), "{id} has all its events");
    }

    // Run the whole ingest again: everything present exactly once.
    let summary = ingest(
        docs(),
        &mut store,
        &coder,
        &IngestOptions {
            batch_size: 7,
            progress_bar: false,
            expected: None,
        },
        &mut |_| {},
    )
    .expect("re-run");
    assert_eq!(summary.documents as usize, N_DOCS);
    assert_eq!(summary.replaced as usize, stored_docs);
    let c = store.counts().expect("counts");
    assert_eq!(c.documents as usize, N_DOCS);
    let total: i64 = corpus()
        .into_iter()
        .map(|d| coder.code(d).expect("codes").events.len() as i64)
        .sum();
    assert_eq!(c.events as i64, total);
    assert_eq!(c.sentences as usize, 3 * N_DOCS);
    let distinct: i64 = store
        .connection()
        .query_row("SELECT count(DISTINCT doc_id) FROM documents", [], |r| {
            r.get(0)
        })
        .expect("distinct");
    assert_eq!(distinct as usize, N_DOCS);
    let fts: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'filler'",
            [],
            |r| r.get(0),
        )
        .expect("fts");
    assert_eq!(fts as usize, N_DOCS, "full-text index has no stale rows");
}
