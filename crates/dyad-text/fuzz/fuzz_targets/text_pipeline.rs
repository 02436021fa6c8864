//! Fuzzes the whole text pipeline: every reader on arbitrary bytes, then
//! segmentation, checking the offset invariants.
#![no_main]

use dyad_text::{read_bytes, segment, InputFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (fmt, body) = match data.split_first() {
        Some((f, rest)) => (
            match f % 4 {
                0 => InputFormat::Text,
                1 => InputFormat::Jsonl,
                2 => InputFormat::Html,
                _ => InputFormat::Auto,
            },
            rest,
        ),
        None => (InputFormat::Auto, data),
    };
    let out = read_bytes("fuzz.txt", body, fmt);
    for doc in &out.docs {
        let mut last = 0;
        for s in segment(doc) {
            assert!(s.start >= last && s.start <= s.end && s.end <= doc.text.len());
            assert!(s.tokens.len() <= dyad_text::MAX_SENTENCE_TOKENS);
            for t in &s.tokens {
                assert!(t.start >= s.start && t.end <= s.end && t.start < t.end);
                assert!(doc.text.is_char_boundary(t.start) && doc.text.is_char_boundary(t.end));
            }
            last = s.end;
        }
    }
});
