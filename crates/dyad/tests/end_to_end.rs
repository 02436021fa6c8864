//! End-to-end tests through the real `dyad` binary: raw text in, events,
//! formats, de-duplication and the HTTP API out. Tests that need the seed
//! article from ../shared skip with a message when it is absent.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_dyad");

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if p.join("corpus").is_dir() {
        Some(p)
    } else {
        println!("skipping: ../shared not found");
        None
    }
}

/// Runs `dyad ARGS`, returning (exit ok, stdout, stderr).
fn dyad(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN).args(args).output().expect("run dyad");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn events(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line ({e}): {l}")))
        .collect()
}

fn seed_events(shared: &Path) -> Vec<Value> {
    let seed = shared.join("corpus/000_86ffe86b06bc2f2f.txt");
    let (ok, out, err) = dyad(&["code", "--keep-negated", seed.to_str().expect("utf-8 path")]);
    assert!(ok, "{err}");
    events(&out)
}

#[test]
fn seed_article_events_are_located_dated_and_never_invented() {
    let Some(shared) = shared() else { return };
    let evs = seed_events(&shared);
    assert!(!evs.is_empty());
    // At least one event located in Washington, DC.
    let washington = evs.iter().any(|e| {
        let l = &e["location"];
        l["country"] == "USA"
            && (l["lat"].as_f64().unwrap_or(0.0) - 38.9).abs() <= 0.5
            && (l["lon"].as_f64().unwrap_or(0.0) + 77.0).abs() <= 0.5
    });
    assert!(washington, "no event located in Washington: {evs:#?}");
    // No publication date is given: nothing rests on one, so no event is
    // dated from the publication date.
    for e in &evs {
        assert_ne!(e["date_source"], "publication", "{e}");
        if e["date"].is_null() {
            assert!(e.get("date_precision").is_none_or(Value::is_null), "{e}");
        }
    }
    // "there are no US troops with a combat role": no US force event unless
    // it is flagged negated.
    for e in &evs {
        let sentence = e["sentence"].as_str().unwrap_or("");
        let source = e["source"]["code"].as_str().unwrap_or("");
        let root: u32 = e["event"]["root"]
            .as_str()
            .unwrap_or("0")
            .parse()
            .unwrap_or(0);
        if sentence.contains("no US troops") && source.starts_with("USA") && root >= 15 {
            assert_eq!(e["modality"]["negated"], true, "{e}");
        }
    }
    // Provenance: ids, patterns with file:line, spans that slice the text.
    let text: Vec<char> = std::fs::read_to_string(shared.join("corpus/000_86ffe86b06bc2f2f.txt"))
        .expect("seed")
        .chars()
        .collect();
    for e in &evs {
        assert!(e["id"].as_str().is_some_and(|s| s.len() == 16), "{e}");
        assert!(
            e["evidence"]["dictionary"]
                .as_str()
                .is_some_and(|d| d.contains(':')),
            "{e}"
        );
        if let Some(span) = e["source"].get("span") {
            let (s, t) = (
                span["start"].as_u64().expect("start") as usize,
                span["end"].as_u64().expect("end") as usize,
            );
            let got: String = text[s..t].iter().collect();
            let want = e["source"]["text"].as_str().expect("text");
            assert_eq!(
                got.split_whitespace().collect::<String>(),
                want.replace(' ', "").replace("--", "—"),
                "{e}"
            );
        }
    }
}

#[test]
fn seed_article_has_iraq_us_consultations() {
    let Some(shared) = shared() else { return };
    let evs = seed_events(&shared);
    let consult = |a: &str, b: &str| {
        evs.iter().any(|e| {
            e["source"]["code"]
                .as_str()
                .is_some_and(|s| s.starts_with(a))
                && e["target"]["code"]
                    .as_str()
                    .is_some_and(|t| t.starts_with(b))
                && e["event"]["root"] == "04"
        })
    };
    assert!(consult("IRQ", "USA"), "no IRQ->USA 04x event");
    assert!(consult("USA", "IRQ"), "no USA->IRQ 04x event");
}

/// The seed article's "A delegation from Iraq, headed by …, and a US delegation, headed
/// by …, discussed …" codes the consultation both ways, and "the agreement signed by the
/// two sides in November 2008" resolves "the two sides" to Iraq and the US: 057 both ways,
/// dated to the month and flagged historical.
#[test]
fn seed_article_codes_both_delegations_and_the_two_sides() {
    let Some(shared) = shared() else { return };
    let evs = seed_events(&shared);
    let code = |e: &Value, side: &str| e[side]["code"].as_str().unwrap_or("").to_string();
    for (a, b) in [("IRQ", "USA"), ("USA", "IRQ")] {
        assert!(
            evs.iter().any(|e| {
                e["event"]["cameo"] == "040"
                    && e["evidence"]["verb_text"] == "discussed"
                    && code(e, "source").starts_with(a)
                    && code(e, "target").starts_with(b)
            }),
            "no {a}->{b} 040 from the delegations' discussion: {evs:#?}"
        );
        let signed: Vec<&Value> = evs
            .iter()
            .filter(|e| {
                e["event"]["cameo"] == "057"
                    && code(e, "source").starts_with(a)
                    && code(e, "target").starts_with(b)
            })
            .collect();
        assert!(!signed.is_empty(), "no {a}->{b} 057: {evs:#?}");
        for e in signed {
            assert_eq!(e["date"], "2008-11", "{e}");
            assert_eq!(e["date_precision"], "month", "{e}");
            assert_eq!(e["modality"]["historical"], true, "{e}");
            assert_eq!(e["modality"]["negated"], false, "{e}");
            // "paid to Washington" is the visit's direction, in another
            // clause: it does not place the 2008 signing
            assert_ne!(e["location"]["name"], "Washington", "{e}");
        }
    }
}

#[test]
fn three_reports_of_one_event_cluster_into_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("wires.jsonl");
    let mut lines = String::new();
    for (i, src) in ["Agence One", "Wire Two", "Paper Three"].iter().enumerate() {
        lines.push_str(
            &serde_json::json!({
                "id": format!("doc{i}"),
                "source": src,
                "published": "2024-03-02T10:00:00Z",
                "text": "Iraq held talks with the United States on security cooperation.",
            })
            .to_string(),
        );
        lines.push('\n');
    }
    std::fs::write(&f, lines).expect("write");
    let (ok, out, err) = dyad(&["code", "--dedup", "cluster", f.to_str().expect("path")]);
    assert!(ok, "{err}");
    let evs = events(&out);
    let talks: Vec<&Value> = evs.iter().filter(|e| e["event"]["root"] == "04").collect();
    assert_eq!(talks.len(), 1, "{evs:#?}");
    assert_eq!(talks[0]["mentions"], 3);
    assert_eq!(talks[0]["sources"].as_array().map(Vec::len), Some(3));
    assert_eq!(talks[0]["doc_ids"].as_array().map(Vec::len), Some(3));
    // Without de-duplication, the three reports stay three events.
    let (_, out, _) = dyad(&["code", f.to_str().expect("path")]);
    assert_eq!(
        events(&out)
            .iter()
            .filter(|e| e["event"]["root"] == "04")
            .count(),
        3
    );
}

#[test]
fn gdelt_output_has_61_columns_and_padded_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("story.txt");
    std::fs::write(
        &f,
        "Iraq held talks with the United States on security cooperation.\n",
    )
    .expect("write");
    let (ok, out, err) = dyad(&[
        "code",
        "--format",
        "gdelt",
        "--date",
        "2024-03-02",
        f.to_str().expect("path"),
    ]);
    assert!(ok, "{err}");
    assert!(!out.is_empty(), "no rows: {err}");
    for line in out.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 61, "{line}");
        assert!(cols.iter().any(|c| *c == "040" || *c == "04"), "{line}");
    }
}

#[test]
fn a_bad_record_is_reported_and_the_rest_are_coded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("feed.jsonl");
    std::fs::write(
        &f,
        "{\"id\":\"a\",\"text\":\"Iraq held talks with the United States.\"}\n{not json\n{\"id\":\"b\",\"text\":\"Iran held talks with China.\"}\n",
    )
    .expect("write");
    let (ok, out, err) = dyad(&["code", f.to_str().expect("path")]);
    assert!(ok, "{err}");
    assert!(
        err.contains("feed.jsonl:2"),
        "error should name the line: {err}"
    );
    let docs: Vec<String> = events(&out)
        .iter()
        .filter_map(|e| e["doc_id"].as_str().map(String::from))
        .collect();
    assert!(
        docs.contains(&"a".to_string()) && docs.contains(&"b".to_string()),
        "{docs:?}"
    );
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).expect("write");
    s.write_all(body).expect("write");
    let mut raw = String::new();
    s.read_to_string(&mut raw).expect("read");
    let status = raw
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = raw
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn serve_codes_the_seed_article_into_the_irq_usa_timeline() {
    let Some(shared) = shared() else { return };
    let text = std::fs::read(shared.join("corpus/000_86ffe86b06bc2f2f.txt")).expect("seed");
    let dir = tempfile::tempdir().expect("tempdir");
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let db = dir.path().join("events.db");
    let child = Command::new(BIN)
        .args([
            "serve",
            "--db",
            db.to_str().expect("path"),
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--token",
            "t0ken",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start dyad serve");
    let _server = Server(child);
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let (status, _) = http(
        port,
        "POST",
        "/v1/documents",
        &[("Content-Type", "text/plain")],
        &text,
    );
    assert_eq!(status, 401, "a write without the token must be refused");
    let (status, body) = http(
        port,
        "POST",
        "/v1/documents?doc_id=seed",
        &[
            ("Content-Type", "text/plain"),
            ("Authorization", "Bearer t0ken"),
        ],
        &text,
    );
    assert_eq!(status, 200, "{body}");
    let (status, body) = http(
        port,
        "GET",
        "/v1/dyads/IRQ/USA/timeline?interval=month",
        &[],
        b"",
    );
    assert_eq!(status, 200, "{body}");
    let t: Value = serde_json::from_str(&body).expect("timeline JSON");
    let consults = t["totals"]["a_to_b"]["roots"]["04"].as_u64().unwrap_or(0)
        + t["totals"]["b_to_a"]["roots"]["04"].as_u64().unwrap_or(0);
    assert!(
        consults >= 1,
        "no CONSULT-family event in the IRQ-USA timeline: {t}"
    );
}

#[test]
fn ingest_reports_bad_records_and_replaces_on_reingest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let feed = dir.path().join("feed.jsonl");
    std::fs::write(
        &feed,
        "{\"id\":\"a\",\"published\":\"2024-03-02\",\"text\":\"Iraq held talks with the United States.\"}\n{not json\n{\"id\":\"b\",\"published\":\"2024-03-03\",\"text\":\"Iran held talks with China.\"}\n",
    )
    .expect("write");
    let story = dir.path().join("story7.txt");
    std::fs::write(&story, "France held talks with Germany on energy.\n").expect("write");
    let db = dir.path().join("events.db");
    let args = [
        "ingest",
        "--db",
        db.to_str().expect("path"),
        feed.to_str().expect("path"),
        story.to_str().expect("path"),
    ];
    let (ok, _, err) = dyad(&args);
    assert!(ok, "{err}");
    assert!(
        err.contains("feed.jsonl:2"),
        "the bad line must be named: {err}"
    );
    assert!(err.contains("3 documents"), "{err}");
    let count = |country: &str| {
        let (ok, out, err) = dyad(&[
            "query",
            "--db",
            db.to_str().expect("path"),
            "--country",
            country,
        ]);
        assert!(ok, "{err}");
        events(&out)
    };
    let irq = count("IRQ");
    assert!(irq.iter().any(|e| e["doc_id"] == "a"), "{irq:#?}");
    let before = (count("IRQ").len(), count("FRA").len());
    // Ingesting the same files again replaces the documents: no duplicates.
    let (ok, _, err) = dyad(&args);
    assert!(ok, "{err}");
    assert!(err.contains("3 replaced"), "{err}");
    assert_eq!((count("IRQ").len(), count("FRA").len()), before);
}

/// A JSON Lines feed of `n` stories built from the repository's sample
/// article (its paragraphs rotated, so stories differ in length and
/// events).
fn sample_feed(n: usize) -> String {
    let sample = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sample.txt"),
    )
    .expect("examples/sample.txt");
    let paras: Vec<&str> = sample
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let mut feed = String::new();
    for i in 0..n {
        let text: Vec<&str> = (0..=i % paras.len())
            .map(|k| paras[(i + k) % paras.len()])
            .collect();
        let rec = serde_json::json!({"id": format!("s{i}"), "text": text.join("\n\n"), "date": "2026-03-03"});
        feed.push_str(&rec.to_string());
        feed.push('\n');
    }
    feed
}

#[test]
fn any_number_of_jobs_writes_the_same_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("feed.jsonl");
    std::fs::write(&f, sample_feed(200)).expect("write");
    let mut inputs = vec![f];
    if let Some(sh) = shared() {
        inputs.push(sh.join("corpus/voa_stories.jsonl"));
    }
    for input in &inputs {
        let path = input.to_str().expect("utf-8 path");
        for cmd in ["code", "parse"] {
            let (ok, one, err) = dyad(&[cmd, "-j", "1", path]);
            assert!(ok, "{err}");
            assert!(one.lines().count() > 100, "{cmd} {path}: too little output");
            for jobs in ["2", "3"] {
                let (ok, many, err) = dyad(&[cmd, "-j", jobs, path]);
                assert!(ok, "{err}");
                assert!(one == many, "{cmd} -j {jobs} {path} differs from -j 1");
            }
        }
        // the store: small transactions, so batches split and join
        let mut stored = Vec::new();
        for (k, jobs) in ["1", "3"].iter().enumerate() {
            let db = dir.path().join(format!("events{k}.db"));
            let db = db.to_str().expect("utf-8 path");
            let (ok, _, err) = dyad(&["ingest", "-j", jobs, "--batch", "7", "--db", db, path]);
            assert!(ok, "{err}");
            let (ok, out, err) = dyad(&["query", "--db", db]);
            assert!(ok, "{err}");
            assert!(out.lines().count() > 100, "ingest {path}: too few events");
            stored.push(out);
        }
        assert!(
            stored[0] == stored[1],
            "ingest -j 3 {path} differs from -j 1"
        );
    }
}
