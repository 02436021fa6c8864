//! dyad's own English tagger, lemmatizer and dependency parser.
//!
//! * **Tagger**: greedy averaged perceptron predicting PTB XPOS left to
//!   right, then UPOS with the sentence's XPOS as context.
//! * **Lemmatizer**: (form, XPOS) dictionary plus longest-suffix edit rules,
//!   learned from treebank lemmas.
//! * **Parser**: greedy arc-hybrid transition system with a dynamic oracle
//!   (Goldberg & Nivre 2013), averaged perceptron over hashed Zhang & Nivre
//!   style features, plus a label classifier run when an arc is built.
//!
//! All three are trained by [`train()`] on a CoNLL-U treebank (UD
//! English-EWT) and stored in one binary model file ([`Model::save`],
//! [`Model::load`]).
//!
//! Tags and labels are exposed as `&str` borrowed from the loaded [`Model`]
//! (its tag sets come from the training data); heads are 1-based with 0 =
//! root, as in CoNLL-U.
#![warn(missing_docs)]

pub mod conllu;
mod error;
mod hash;
mod huge;
mod kern;
mod lemma;
mod model;
mod parser;
mod table;
mod tagger;
mod train;

pub use error::{ConlluError, NlpError};
pub use lemma::Lemmas;
pub use model::Tagged;
pub use model::{eval, eval_corpus, reparse_conllu, Analysis, Model, ReparseStats, Scores};
pub use train::{
    recalibrate, supertag_label_study, train, train_raw, RawModel, SaveOptions, StArc, TrainOptions,
};

/// Deterministic xorshift64* generator (fixed seeds, reproducible training).
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(hash::fmix(seed ^ 0x5DEE_CE66_D1CE_4E5B).max(1))
    }
    pub(crate) fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub(crate) fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub(crate) fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
    /// Test scores for the score kernels: `n` values, each with
    /// probability 1/10 `i32::MIN`, `i32::MAX` or the tie value 5, else
    /// uniform in `-spread..=spread`.
    #[cfg(test)]
    pub(crate) fn scores(&mut self, n: usize, spread: u64) -> Vec<i32> {
        (0..n)
            .map(|_| match self.next_u64() % 10 {
                0 => i32::MIN,
                1 => i32::MAX,
                2 => 5,
                _ => (self.next_u64() % (2 * spread + 1)) as i64 as i32 - spread as i32,
            })
            .collect()
    }
}
