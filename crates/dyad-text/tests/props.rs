//! Property tests: segmentation never panics; offsets are in bounds, on char
//! boundaries, monotonic, and slice the original to the token text.

use proptest::prelude::*;

fn check(text: &str) {
    let sents = dyad_text::segment_text(text);
    let mut last = 0usize;
    for s in &sents {
        assert!(s.start <= s.end && s.end <= text.len());
        assert!(s.start >= last, "sentences overlap");
        assert!(!s.tokens.is_empty());
        assert!(s.tokens.len() <= dyad_text::MAX_SENTENCE_TOKENS);
        let mut tl = s.start;
        for t in &s.tokens {
            assert!(t.start >= tl && t.start < t.end && t.end <= s.end);
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            assert!(!t.text.is_empty() || text[t.start..t.end].chars().all(|c| c == '\u{AD}'));
            tl = t.end;
        }
        last = s.end;
    }
    // Readers and front matter never panic either.
    for fmt in [
        dyad_text::InputFormat::Text,
        dyad_text::InputFormat::Jsonl,
        dyad_text::InputFormat::Html,
    ] {
        let out = dyad_text::read_str("p.txt", text, fmt);
        for d in &out.docs {
            let _ = dyad_text::segment(d);
        }
    }
}

#[test]
fn closers_after_a_long_sentence_stay_bounded() {
    // Found by cargo-fuzz: 199 words, a period, then 300 closing braces.
    let text = format!("{}a.{}", "a ".repeat(199), "}".repeat(300));
    check(&text);
    let text = format!("{}a.{} Next one.", "a ".repeat(150), ")".repeat(300));
    check(&text);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_strings(s in any::<String>()) {
        check(&s);
    }

    #[test]
    fn newsy_strings(s in "[A-Za-z .,;:!?'\"()\\-\u{2019}\u{201C}\u{201D}\u{2014}\u{2026}\n0-9$%@/]{0,300}") {
        check(&s);
    }

    #[test]
    fn datelines_and_headings(s in "([A-Z]{2,8}(, [A-Z][a-z]{2,6})?( \\(AP\\))? [-\u{2014}] )?([A-Z][a-z]{0,8} ?){1,4}\n([A-Za-z.,]{1,8} ?){1,12}\n?")
    {
        check(&s);
    }
}
