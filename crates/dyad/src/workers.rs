//! Coding many documents on several cores.
//!
//! Documents are independent: everything the pipeline carries from one
//! sentence to the next (the "two sides" discourse, the enricher's latest
//! date) lives inside one document, and the tagger, parser and coder keep
//! their scratch space per thread. So a corpus is coded in parallel by
//! handing whole documents to worker threads and putting the results back
//! in input order: the output is the same, byte for byte, as with one
//! thread (`tests/workers.rs`).
//!
//! [`Workers`] is a fixed pool (rayon's work stealing, so long and short
//! documents balance); [`Workers::map`] is an order-keeping parallel map
//! over a slice. Callers feed it bounded batches ([`Workers::batch`]) so
//! output streams and memory stays flat on large inputs.

use crate::pipeline::{CodedDocument, Pipeline};
use dyad_text::Document;
use rayon::prelude::*;

/// Worker threads for coding documents in parallel (see the module docs).
#[derive(Debug)]
pub struct Workers {
    /// `None`: everything runs on the calling thread.
    pool: Option<rayon::ThreadPool>,
    jobs: usize,
}

/// Could not start the worker threads.
#[derive(Debug, thiserror::Error)]
#[error("cannot start {jobs} worker threads: {cause}")]
pub struct WorkersError {
    jobs: usize,
    cause: String,
}

/// The most worker threads a pool gets, whatever is asked (more threads
/// than cores only add memory: each keeps its own tagger/parser scratch).
pub const MAX_JOBS: usize = 1024;

impl Workers {
    /// `jobs` worker threads (at most [`MAX_JOBS`]); 0 means one per
    /// available core, 1 means no extra thread at all (everything on the
    /// caller's thread).
    pub fn new(jobs: usize) -> Result<Workers, WorkersError> {
        let jobs = if jobs == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            jobs
        }
        .min(MAX_JOBS);
        if jobs <= 1 {
            return Ok(Workers {
                pool: None,
                jobs: 1,
            });
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .thread_name(|i| format!("dyad-worker-{i}"))
            .build()
            .map_err(|e| WorkersError {
                jobs,
                cause: e.to_string(),
            })?;
        Ok(Workers {
            pool: Some(pool),
            jobs,
        })
    }

    /// The number of threads that do the work.
    pub fn jobs(&self) -> usize {
        self.jobs
    }

    /// A batch size that keeps every thread busy while bounding how many
    /// finished results wait to be written (documents per [`Workers::map`]
    /// call).
    pub fn batch(&self) -> usize {
        if self.jobs <= 1 {
            1
        } else {
            self.jobs * 32
        }
    }

    /// `f` of every item, in the items' order, computed on the worker
    /// threads.
    pub fn map<T, R, F>(&self, items: &[T], f: F) -> Vec<R>
    where
        T: Sync,
        R: Send,
        F: Fn(&T) -> R + Sync + Send,
    {
        match &self.pool {
            None => items.iter().map(f).collect(),
            Some(pool) => pool.install(|| items.par_iter().map(f).collect()),
        }
    }
}

impl Pipeline {
    /// [`Pipeline::code_document`] of each document, in order, on `workers`
    /// (the same results as coding them one by one).
    pub fn code_documents(&self, docs: &[Document], workers: &Workers) -> Vec<CodedDocument> {
        workers.map(docs, |d| self.code_document(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_keeps_order_on_any_pool() {
        let items: Vec<u64> = (0..5_000).collect();
        // uneven work, so threads finish out of order
        let f = |&x: &u64| (0..(x % 97) * 50).fold(x, |a, b| a.wrapping_mul(31).wrapping_add(b));
        let want: Vec<u64> = items.iter().map(f).collect();
        for jobs in [1, 2, 3, 8] {
            let w = Workers::new(jobs).expect("pool");
            assert_eq!(w.jobs(), jobs);
            assert_eq!(w.map(&items, f), want, "{jobs} threads");
        }
        assert!(Workers::new(0).expect("pool").jobs() >= 1);
        assert_eq!(Workers::new(usize::MAX).expect("pool").jobs(), MAX_JOBS);
    }
}
