//! Coding on several threads gives exactly what coding one document after
//! another gives: every event, sentence record and warning, in input order
//! (`dyad::Workers`, `Pipeline::code_documents`). Runs on the repository's
//! sample article; on the VOA corpus too when ../shared is present.

use std::path::Path;

use dyad::{Pipeline, PipelineOptions, Workers};
use dyad_text::{Document, InputFormat};

fn pipeline() -> Pipeline {
    let model = dyad::data::load_model(None).expect("built-in model loads");
    let enricher = dyad_enrich::Enricher::builtin().expect("built-in gazetteer loads");
    let dicts = dyad::data::default_dictionaries().expect("default dictionaries");
    Pipeline::new(
        dyad_coder::Coder::new(dicts, dyad_coder::CoderOptions::default()),
        Some(model),
        Some(enricher),
        PipelineOptions::default(),
    )
}

/// One line per document, sentence record and event.
fn lines(coded: &[dyad::CodedDocument]) -> Vec<String> {
    let mut out = Vec::new();
    for c in coded {
        out.push(format!("doc {} warnings {:?}", c.doc_id, c.warnings));
        out.extend(
            c.sentences
                .iter()
                .map(|s| serde_json::to_string(s).expect("sentence")),
        );
        out.extend(
            c.events
                .iter()
                .map(|e| serde_json::to_string(e).expect("event")),
        );
    }
    out
}

fn same_on_any_pool(name: &str, pipe: &Pipeline, docs: &[Document]) {
    let one: Vec<_> = docs.iter().map(|d| pipe.code_document(d)).collect();
    let want = lines(&one);
    let events: usize = one.iter().map(|c| c.events.len()).sum();
    assert!(
        events > 20,
        "{name}: only {events} events, the check would be weak"
    );
    for jobs in [1, 2, 4] {
        let w = Workers::new(jobs).expect("worker threads");
        let got = lines(&pipe.code_documents(docs, &w));
        assert_eq!(got.len(), want.len(), "{name}: {jobs} threads");
        for (a, b) in got.iter().zip(&want) {
            assert_eq!(a, b, "{name}: {jobs} threads");
        }
    }
    println!(
        "{name}: {} documents, {events} events, same on 1, 2 and 4 threads",
        docs.len()
    );
}

#[test]
fn parallel_coding_equals_serial_coding() {
    let pipe = pipeline();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let sample = std::fs::read_to_string(root.join("examples/sample.txt")).expect("sample");
    // many documents of different sizes, so threads finish out of order
    let paras: Vec<&str> = sample
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .collect();
    let docs: Vec<Document> = (0..60)
        .map(|i| {
            let text: Vec<&str> = (0..=i % paras.len())
                .map(|k| paras[(i + k) % paras.len()])
                .collect();
            Document::new(format!("s{i}"), text.join("\n\n"))
        })
        .collect();
    same_on_any_pool("sample", &pipe, &docs);

    let voa = root.join("../shared/corpus/voa_stories.jsonl");
    if !voa.is_file() {
        println!("skipping VOA: ../shared not found");
        return;
    }
    let got = dyad_text::read_path(&voa, InputFormat::Jsonl).expect("VOA reads");
    same_on_any_pool("VOA", &pipe, &got.docs);
}
