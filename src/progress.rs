//! How far a build has got: the number of outputs planned and written, counted by the render
//! loop and read by whoever shows progress (the binary's progress bar). Lock-free, so
//! counting costs the render loop one atomic add per file.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Outputs planned and written so far; zero planned until the plan is made.
#[derive(Debug, Default)]
pub struct Progress {
    total: AtomicUsize,
    done: AtomicUsize,
}

impl Progress {
    /// The plan is made: `total` outputs are to be written.
    pub fn planned(&self, total: usize) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// One more output is written.
    pub fn wrote_one(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// (written, planned); planned is 0 while the site is still being read.
    pub fn get(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }
}
