//! Provenance helpers: stable event ids and byte→character offsets.

/// FNV-1a, 64-bit (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
/// Stable across platforms, versions and runs.
#[inline]
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The fields that identify an event.
#[derive(Debug, Clone, Copy)]
pub struct EventKey<'a> {
    /// Document id.
    pub doc_id: &'a str,
    /// Sentence id within the document.
    pub sentence_id: &'a str,
    /// Byte offset of the sentence in the document (0 when unknown).
    pub sentence_offset: usize,
    /// Source actor code (empty when none).
    pub source: &'a str,
    /// Target actor code (empty when none).
    pub target: &'a str,
    /// CAMEO code.
    pub code: &'a str,
}

/// A stable event id: 16 lower-case hex digits of FNV-1a 64 over
/// `doc_id 0x1F sentence_id 0x1F sentence_offset(decimal) 0x1F source 0x1F
/// target 0x1F code`. The unit separator keeps `("ab","c")` and `("a","bc")`
/// apart. The same inputs give the same id on every machine and release.
pub fn event_id(k: &EventKey<'_>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    let off = k.sentence_offset.to_string();
    for (i, part) in [
        k.doc_id,
        k.sentence_id,
        off.as_str(),
        k.source,
        k.target,
        k.code,
    ]
    .iter()
    .enumerate()
    {
        if i > 0 {
            feed(&[0x1f]);
        }
        feed(part.as_bytes());
    }
    format!("{h:016x}")
}

/// Converts byte offsets of a document to character (Unicode scalar value)
/// offsets. ASCII documents convert for free; others use a table with one
/// entry per 64 bytes, so a conversion scans at most 63 bytes.
#[derive(Debug, Clone)]
pub struct CharOffsets<'a> {
    text: &'a str,
    /// chars before byte `64 * i`; empty for ASCII text.
    blocks: Vec<usize>,
}

const BLOCK: usize = 64;

impl<'a> CharOffsets<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Self {
        if text.is_ascii() {
            return CharOffsets {
                text,
                blocks: Vec::new(),
            };
        }
        let bytes = text.as_bytes();
        let mut blocks = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut chars = 0usize;
        for (i, chunk) in bytes.chunks(BLOCK).enumerate() {
            let _ = i;
            blocks.push(chars);
            chars += chunk.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
        }
        CharOffsets { text, blocks }
    }

    /// The character offset of byte offset `byte`; `None` when `byte` is past
    /// the end or inside a multi-byte character.
    pub fn char_offset(&self, byte: usize) -> Option<usize> {
        if byte > self.text.len() || !self.text.is_char_boundary(byte) {
            return None;
        }
        if self.blocks.is_empty() {
            return Some(byte);
        }
        let b = byte / BLOCK;
        let base = *self.blocks.get(b).unwrap_or(&0);
        let from = b * BLOCK;
        let extra = self.text.as_bytes()[from..byte]
            .iter()
            .filter(|&&c| (c & 0xC0) != 0x80)
            .count();
        Some(base + extra)
    }

    /// A byte range `[start, end)` as a character [`dyad_core::event::Span`].
    pub fn span(&self, start: usize, end: usize) -> Option<dyad_core::event::Span> {
        if start > end {
            return None;
        }
        Some(dyad_core::event::Span {
            start: self.char_offset(start)?,
            end: self.char_offset(end)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_published_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn ids_are_stable_and_sensitive_to_every_field() {
        let k = EventKey {
            doc_id: "d1",
            sentence_id: "3",
            sentence_offset: 120,
            source: "IRQ",
            target: "USA",
            code: "040",
        };
        let id = event_id(&k);
        assert_eq!(id.len(), 16);
        assert_eq!(id, event_id(&k));
        // Pinned value (cross-checked with an independent Python FNV-1a):
        // changing the hash or its input layout breaks ids that
        // users have stored, so it must be a deliberate, visible change.
        assert_eq!(id, "fa14b3f512c57f74");
        let variants = [
            EventKey { doc_id: "d2", ..k },
            EventKey {
                sentence_id: "4",
                ..k
            },
            EventKey {
                sentence_offset: 121,
                ..k
            },
            EventKey {
                source: "USA",
                target: "IRQ",
                ..k
            },
            EventKey { code: "041", ..k },
        ];
        for v in variants {
            assert_ne!(event_id(&v), id, "{v:?}");
        }
        let a = EventKey {
            source: "ab",
            target: "c",
            ..k
        };
        let b = EventKey {
            source: "a",
            target: "bc",
            ..k
        };
        assert_ne!(event_id(&a), event_id(&b));
    }

    #[test]
    fn char_offsets_count_scalar_values() {
        let t = "é".repeat(100) + " Iraq";
        let c = CharOffsets::new(&t);
        assert_eq!(c.char_offset(0), Some(0));
        assert_eq!(c.char_offset(2), Some(1));
        assert_eq!(c.char_offset(1), None);
        assert_eq!(c.char_offset(201), Some(101));
        let s = c.span(201, 205).expect("span");
        assert_eq!((s.start, s.end), (101, 105));
        let chars: String = t.chars().skip(s.start).take(s.end - s.start).collect();
        assert_eq!(chars, "Iraq");
        assert_eq!(c.char_offset(t.len() + 1), None);
        let a = CharOffsets::new("plain ascii");
        assert_eq!(a.char_offset(6), Some(6));
    }
}
