//! Readers and bad input: JSON Lines, HTML, empty files, invalid UTF-8,
//! binary junk, huge lines, deeply nested HTML.

use dyad_text::{
    read_bytes, read_path, read_str, segment, InputFormat, Severity, MAX_SENTENCE_BYTES,
    MAX_SENTENCE_TOKENS,
};

#[test]
fn jsonl_bad_line_is_reported_and_skipped() {
    let input = concat!(
        "{\"id\": \"a\", \"text\": \"Iraq held talks.\", \"published\": \"2025-03-14 20:30:26Z\", \"url\": \"http://x/a\"}\n",
        "{\"id\": \"b\", \"text\": \"broken\n",
        "\n",
        "{\"id\": 7, \"text\": \"The US agreed.\", \"date\": \"2024-01-02\", \"title\": \"T\", \"source\": \"VOA\"}\n",
        "{\"id\": \"c\"}\n",
        "[1, 2]\n",
    );
    let out = read_str("in.jsonl", input, InputFormat::Auto);
    let ids: Vec<&str> = out.docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["a", "7"]);
    assert_eq!(out.docs[0].date.as_deref(), Some("2025-03-14T20:30:26Z"));
    assert_eq!(out.docs[0].url.as_deref(), Some("http://x/a"));
    assert_eq!(out.docs[1].date.as_deref(), Some("2024-01-02"));
    assert_eq!(out.docs[1].title.as_deref(), Some("T"));
    assert_eq!(out.docs[1].source.as_deref(), Some("VOA"));
    let lines: Vec<Option<usize>> = out.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [Some(2), Some(5), Some(6)]);
    let msg = out.errors[0].to_string();
    assert!(msg.starts_with("in.jsonl:2: "), "{msg}");
    assert!(
        out.errors[1].to_string().contains("text"),
        "{}",
        out.errors[1]
    );
}

#[test]
fn jsonl_invalid_utf8_line_names_line_and_byte() {
    let mut input = b"{\"id\": \"a\", \"text\": \"ok.\"}\n".to_vec();
    input.extend_from_slice(b"{\"id\": \"b\", \"text\": \"bad \xff\xfe\"}\n");
    input.extend_from_slice(b"{\"id\": \"c\", \"text\": \"fine.\"}\n");
    let out = read_bytes("x.jsonl", &input, InputFormat::Jsonl);
    assert_eq!(out.docs.len(), 2);
    assert_eq!(out.errors.len(), 1);
    assert_eq!(out.errors[0].line, Some(2));
    assert_eq!(out.errors[0].byte, Some(25));
}

#[test]
fn voa_corpus_reads_as_is() {
    let p = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/voa_stories.jsonl");
    if !p.exists() {
        eprintln!("skipping: ../shared not found");
        return;
    }
    let out = read_path(&p, InputFormat::Auto).expect("read");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.docs.len(), 89);
    for d in &out.docs {
        assert!(d
            .date
            .as_deref()
            .is_some_and(|x| x.len() >= 10 && x.as_bytes()[4] == b'-'));
        assert!(d.url.is_some() && d.title.is_some());
        let sents = segment(d);
        assert!(sents.len() >= 3, "{}: {} sentences", d.id, sents.len());
    }
}

#[test]
fn html_meta_dates() {
    let cases = [
        ("<meta property=\"article:published_time\" content=\"2024-05-01T10:00:00Z\">", "2024-05-01T10:00:00Z"),
        ("<meta property=\"og:published_time\" content=\"2024-05-02\">", "2024-05-02"),
        ("<meta name=\"date\" content=\"2024-05-03\">", "2024-05-03"),
        ("<meta name=\"pubdate\" content=\"2024-05-04\">", "2024-05-04"),
        ("<meta name=\"DC.date\" content=\"2024-05-05\">", "2024-05-05"),
        ("<script type=\"application/ld+json\">{\"@graph\":[{\"@type\":\"NewsArticle\",\"datePublished\":\"2024-05-06T08:00:00+02:00\"}]}</script>", "2024-05-06T08:00:00+02:00"),
        ("<meta name=\"x\" content=\"y\">", "2024-05-07"), // falls back to <time datetime>
    ];
    for (head, want) in cases {
        let page = format!(
            "<!doctype html><html><head><title>Page  title</title>{head}</head><body>\
             <nav><p>Home News Sport</p></nav><article><h1>Iraq and US talk</h1>\
             <p>Published <time datetime=\"2024-05-07\">May 7</time></p>\
             <p>Iraq has held talks with the US over security.</p><p>The talks &amp; visits went well.</p>\
             <script>var x = \"<p>not text</p>\";</script></article><footer><p>Copyright</p></footer></body></html>"
        );
        let out = read_str("page.html", &page, InputFormat::Auto);
        let doc = &out.docs[0];
        assert_eq!(doc.date.as_deref(), Some(want), "head {head}");
        assert_eq!(doc.id, "page");
        assert_eq!(doc.title.as_deref(), Some("Page title"));
        assert!(doc
            .text
            .contains("Iraq has held talks with the US over security."));
        assert!(doc.text.contains("The talks & visits went well."));
        for junk in ["Home News", "not text", "Copyright", "var x"] {
            assert!(
                !doc.text.contains(junk),
                "{junk:?} leaked into {:?}",
                doc.text
            );
        }
        let sents = segment(doc);
        assert!(sents
            .iter()
            .any(|s| s.is_heading && s.text == "Iraq and US talk"));
    }
}

#[test]
fn html_og_title_wins() {
    let page = "<html><head><title>Site | Story</title><meta property=\"og:title\" content=\"Story\"></head><body><p>Text.</p></body></html>";
    let doc = &read_str("p.htm", page, InputFormat::Auto).docs[0];
    assert_eq!(doc.title.as_deref(), Some("Story"));
    assert_eq!(doc.date, None);
}

#[test]
fn deeply_nested_html_is_linear_and_safe() {
    let depth = 100_000;
    let mut page = String::with_capacity(depth * 12);
    page.push_str("<html><body>");
    for _ in 0..depth {
        page.push_str("<div>");
    }
    page.push_str("<p>Deep text is here.</p>");
    for _ in 0..depth {
        page.push_str("</div>");
    }
    // also unclosed nesting of formatting elements
    for _ in 0..depth {
        page.push_str("<b><i>");
    }
    page.push_str("</body></html>");
    let out = read_str("deep.html", &page, InputFormat::Html);
    assert_eq!(out.docs.len(), 1);
    let sents = segment(&out.docs[0]);
    assert!(sents.iter().any(|s| s.text == "Deep text is here."));
}

#[test]
fn empty_input_is_a_warning_not_a_doc() {
    for fmt in [
        InputFormat::Text,
        InputFormat::Jsonl,
        InputFormat::Html,
        InputFormat::Auto,
    ] {
        for input in ["", "   \n\n  "] {
            let out = read_str("empty.txt", input, fmt);
            assert!(out.docs.is_empty());
            assert_eq!(out.errors.len(), 1);
            assert_eq!(out.errors[0].severity, Severity::Warning);
            assert!(out.errors[0].to_string().contains("empty"));
        }
    }
}

#[test]
fn missing_file_is_an_error() {
    let e = read_path("/nonexistent/dir/x.txt", InputFormat::Auto).unwrap_err();
    assert!(e.to_string().contains("/nonexistent/dir/x.txt"));
}

#[test]
fn invalid_utf8_is_repaired_with_warning() {
    let bytes = b"Iraq held talks.\nThe US \xC3\x28agreed\xff.";
    let out = read_bytes("bad.txt", bytes, InputFormat::Text);
    assert_eq!(out.docs.len(), 1);
    assert_eq!(out.errors.len(), 1);
    assert_eq!(out.errors[0].severity, Severity::Warning);
    assert_eq!(out.errors[0].byte, Some(24));
    assert!(out.errors[0].to_string().contains("byte 24"));
    let doc = &out.docs[0];
    let sents = segment(doc);
    assert_eq!(sents.len(), 2);
    for s in &sents {
        for t in &s.tokens {
            assert!(doc.text.is_char_boundary(t.start) && doc.text.is_char_boundary(t.end));
        }
    }
}

#[test]
fn binary_junk_is_skipped() {
    let mut junk = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..10_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        junk.push((x >> 16) as u8);
    }
    for fmt in [InputFormat::Text, InputFormat::Html, InputFormat::Auto] {
        let out = read_bytes("junk.bin", &junk, fmt);
        assert!(out.docs.is_empty());
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].severity, Severity::Error);
        assert!(out.errors[0].to_string().contains("binary"));
    }
    // JSON Lines: every junk line is an error, nothing panics.
    let out = read_bytes("junk.jsonl", &junk, InputFormat::Jsonl);
    assert!(out.docs.is_empty());
    assert!(!out.errors.is_empty());
    // Junk without NULs that gets past the binary check still segments safely.
    let text: String = junk.iter().map(|&b| char::from(b.max(1))).collect();
    let sents = dyad_text::segment_text(&text);
    assert!(sents.iter().all(|s| s.tokens.len() <= MAX_SENTENCE_TOKENS));
}

#[test]
fn five_megabyte_line_without_punctuation() {
    let word = "word ";
    let text = word.repeat(5 * 1024 * 1024 / word.len());
    let out = read_str("big.txt", &text, InputFormat::Text);
    let sents = segment(&out.docs[0]);
    let total: usize = sents.iter().map(|s| s.tokens.len()).sum();
    assert_eq!(total, text.len() / word.len());
    assert!(sents.iter().all(|s| s.tokens.len() <= MAX_SENTENCE_TOKENS));
    // And one 5 MB "word" without any space.
    let blob = "x".repeat(5 * 1024 * 1024);
    let sents = dyad_text::segment_text(&blob);
    assert!(!sents.is_empty());
    assert!(sents
        .iter()
        .all(|s| s.end - s.start <= MAX_SENTENCE_BYTES + 512));
    let covered: usize = sents
        .iter()
        .flat_map(|s| &s.tokens)
        .map(|t| t.end - t.start)
        .sum();
    assert_eq!(covered, blob.len());
}

#[test]
fn pathological_html_finishes() {
    // One tag with very many distinct attributes (html5ever checks
    // duplicates linearly per attribute), and a huge attribute value.
    let mut page = String::from("<html><body><div ");
    for i in 0..200_000 {
        page.push_str(&format!("a{i} "));
    }
    page.push_str("><p>After the big tag.</p>");
    page.push_str(&format!("<img src=\"data:{}\">", "A".repeat(1_000_000)));
    page.push_str("<p>After the big value.</p></body></html>");
    let t = std::time::Instant::now();
    let out = read_str("big.html", &page, InputFormat::Html);
    let secs = t.elapsed().as_secs_f64();
    let doc = &out.docs[0];
    assert!(doc.text.contains("After the big value."), "{:?}", doc.text);
    // Not a timing benchmark: a generous bound that only a quadratic
    // blow-up would exceed.
    assert!(secs < 20.0, "took {secs:.1}s");
}

#[test]
fn formats_by_name_extension_and_content() {
    use dyad_text::resolve_format;
    assert_eq!("jsonl".parse::<InputFormat>(), Ok(InputFormat::Jsonl));
    assert_eq!("HTML".parse::<InputFormat>(), Ok(InputFormat::Html));
    assert!("xml".parse::<InputFormat>().unwrap_err().contains("xml"));
    assert_eq!(
        resolve_format("a.txt", b"{", InputFormat::Auto),
        InputFormat::Text
    );
    assert_eq!(
        resolve_format("a.ndjson", b"x", InputFormat::Auto),
        InputFormat::Jsonl
    );
    assert_eq!(
        resolve_format("a.htm", b"x", InputFormat::Auto),
        InputFormat::Html
    );
    assert_eq!(
        resolve_format("a", b"  {\"id\":1}", InputFormat::Auto),
        InputFormat::Jsonl
    );
    assert_eq!(
        resolve_format("a", b"\n<!doctype html>", InputFormat::Auto),
        InputFormat::Html
    );
    assert_eq!(
        resolve_format("a", b"BAGHDAD -", InputFormat::Auto),
        InputFormat::Text
    );
    assert_eq!(
        resolve_format("a.txt", b"x", InputFormat::Html),
        InputFormat::Html
    );
}

#[test]
fn html_byline_and_dateline_paragraphs() {
    let page = "<html><body><article><p class=byline>By Jane Doe</p>\
        <p>BAGHDAD, Aug 8 (Reuters) - Iraq has held talks with the U.S. on security, officials said on Monday in a statement.</p>\
        <p>The talks were described as productive by both sides, who plan to meet again in Washington next month.</p>\
        </article></body></html>";
    let doc = &read_str("p.html", page, InputFormat::Html).docs[0];
    assert_eq!(
        doc.byline.as_ref().map(|b| b.names.as_str()),
        Some("Jane Doe")
    );
    let d = doc.dateline.as_ref().expect("dateline");
    assert_eq!(
        (d.place.as_str(), d.agency.as_deref()),
        ("BAGHDAD", Some("Reuters"))
    );
    let sents = segment(doc);
    assert_eq!(
        sents.len(),
        2,
        "{:?}",
        sents.iter().map(|s| &s.text).collect::<Vec<_>>()
    );
    assert!(sents[0].text.starts_with("Iraq has held talks"));
    assert_eq!(&doc.text[sents[0].start..sents[0].end], sents[0].text);
}
