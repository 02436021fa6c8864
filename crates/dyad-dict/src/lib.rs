//! Readers for the PETRARCH dictionary formats.
//!
//! Each reader turns one file into a typed, documented representation plus
//! a list of [`Diagnostic`]s (`file:line: cause`) for every line it skipped
//! or repaired. Readers never panic and never fail on content: only I/O
//! errors are hard errors ([`LoadError`]).
//!
//! | format | reader | type |
//! |---|---|---|
//! | PETRARCH-1/TABARI verb patterns | [`verbs::read_p1`] | [`VerbDictP1`] |
//! | PETRARCH-2 verb patterns + transformations | [`verbs::read_p2`] | [`VerbDictP2`] |
//! | actors | [`actors::read`] | [`ActorDict`] |
//! | agents | [`agents::read`] | [`AgentDict`] |
//! | discards | [`discards::read`] | [`DiscardDict`] |
//! | issues | [`issues::read`] | [`IssueDict`] |
//!
//! Event codes are checked against a [`dyad_core::cameo::Codebook`]: see
//! [`codebooks`] for the builtin extension tables.
#![warn(missing_docs)]

pub mod actors;
pub mod agents;
pub mod check;
pub mod code;
pub mod codebooks;
pub mod diag;
pub mod discards;
pub mod issues;
mod lex;
pub mod phrase;
pub mod set;
pub mod verbs;

pub use actors::{
    ActorCode, ActorDict, ActorEntry, ActorIndex, DateKind, DateRestriction, DateSemantics,
};
pub use agents::{AgentCode, AgentDict, AgentPosition};
pub use check::{check, CheckReport, DictKind};
pub use code::{Code, EventCode, VerbCode};
pub use diag::{Diagnostic, Severity};
pub use discards::{DiscardDict, DiscardScope};
pub use issues::IssueDict;
pub use phrase::Phrase;
pub use set::{DictionarySet, LoadError, SetPaths, Verbs};
pub use verbs::{VerbDictP1, VerbDictP2, VerbFormat};
