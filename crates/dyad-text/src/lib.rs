//! # dyad-text: from news articles to sentences and tokens
//!
//! Reads articles (plain text as scrapers deliver it, JSON Lines, HTML
//! pages), finds their front matter (title line, byline, wire dateline) and
//! splits them into sentences and tokens following the UD English-EWT
//! conventions the tagger and parser are trained on.
//!
//! ```
//! use dyad_text::{read_str, segment, InputFormat};
//! let out = read_str("story.txt", "WASHINGTON (AP) \u{2014} The U.S. and Iraq met.\nThey talked.", InputFormat::Text);
//! let doc = &out.docs[0];
//! assert_eq!(doc.dateline.as_ref().unwrap().agency.as_deref(), Some("AP"));
//! let sents = segment(doc);
//! assert_eq!(sents[0].text, "The U.S. and Iraq met.");
//! assert_eq!(&doc.text[sents[0].start..sents[0].end], "The U.S. and Iraq met.");
//! ```
//!
//! **Offsets** (`start`, `end` of sentences, tokens, datelines and bylines)
//! are byte offsets into [`Document::text`], always on char boundaries, so
//! `&doc.text[tok.start..tok.end]` is the token's original spelling.
//!
//! **Invalid UTF-8** in text and HTML inputs is decoded lossily (U+FFFD) with
//! a warning naming the byte offset of the first bad sequence; offsets refer
//! to the repaired text. In JSON Lines the bad line is skipped with an error.
//!
//! **Bounds**: every stage is a linear scan; tokens are at most
//! 512 bytes and sentences at most [`MAX_SENTENCE_TOKENS`] tokens /
//! about [`MAX_SENTENCE_BYTES`] bytes, so junk input cannot produce
//! unbounded sentences.
#![warn(missing_docs)]

mod abbrev;
mod document;
mod error;
mod html;
mod layout;
mod read;
mod segment;
mod token;

pub use document::{normalise_date, Byline, Dateline, Document};
pub use error::{InputError, Severity, TextError};
pub use html::extract as extract_html;
pub use read::{read_bytes, read_path, read_str, resolve_format, InputFormat, ReadOutcome};
pub use segment::{
    segment, segment_text, Sentence, Token, MAX_SENTENCE_BYTES, MAX_SENTENCE_TOKENS,
};
