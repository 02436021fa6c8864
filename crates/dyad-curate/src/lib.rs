//! dyad's default dictionaries and their curation.
//!
//! - [`default_dict_dir`] / [`default_set_paths`] / [`load_default`]: where
//!   the default set (`data/dict/`) lives and which file plays which role.
//! - [`candidates`]: the curation queue — the most frequent capitalised
//!   names in a corpus that no actor or agent entry matches, with a count
//!   and a sample sentence.
//! - [`codes_not_in_codebook`]: every bracketed CAMEO event code in a verbs
//!   file that the codebook does not know (the default set has none).
//! - [`plover`]: evaluation against the PLOVER gold standard with any coder.
#![warn(missing_docs)]

mod candidates;
mod defaults;
pub mod plover;

pub use candidates::{
    actor_coverage, candidates, candidates_with, ActorCoverage, Candidate, CandidateOptions,
    CurateError,
};
pub use defaults::{
    codes_not_in_codebook, default_dict_dir, default_set_paths, load_default, UnknownCode,
    ACTOR_FILES,
};
