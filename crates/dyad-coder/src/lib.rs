//! dyad's event coder.
//!
//! From one parsed sentence ([`ParsedSentence`], built from a Penn Treebank tree or a UD
//! dependency parse) plus PETRARCH-format dictionaries ([`Dictionaries`]), [`Coder::code`]
//! produces [`CodedEvent`]s: source and target actor codes, the CAMEO code, the token spans of
//! source, target and verb, the matched pattern and its `file:line`, and flags (passive,
//! negated). [`validate`] runs the PETRARCH unit-test suite.
#![warn(missing_docs)]

pub mod coder;
pub mod dict;
pub mod repair;
pub mod sentence;
pub mod validate;

pub use coder::{CodedActor, CodedEvent, Coder, CoderOptions, Coding, CommaOptions, DiscardHit};
pub use dict::{DictPaths, Dictionaries};
pub use sentence::{Cat, ParsedSentence, Token};
