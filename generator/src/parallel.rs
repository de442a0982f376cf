//! Numbered jobs spread over the machine's cores: each thread takes the
//! next job as it finishes one, so none waits on another's share, and the
//! results come back in job order, whatever thread ran them.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `job(0..count)` on up to the machine's cores (at most 8). The
/// calling thread first runs `local` (work that must stay on it), then
/// takes jobs too. Returns `local`'s result and each job's, in order;
/// `None` for a job lost with a helper thread that panicked.
pub(crate) fn run<T, R: Send>(
    count: usize,
    stack_size: usize,
    job: impl Fn(usize) -> R + Sync,
    local: impl FnOnce() -> T,
) -> (T, Vec<Option<R>>) {
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            if index >= count {
                return done;
            }
            done.push((index, job(index)));
        }
    };
    let helpers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, 8)
        .min(count.max(1))
        - 1;
    let (local, done) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..helpers)
            .map(|_| {
                std::thread::Builder::new()
                    .stack_size(stack_size)
                    .spawn_scoped(scope, work)
            })
            .collect();
        let local = local();
        // A helper that could not start leaves its jobs to the others.
        let mut done = work();
        for handle in handles.into_iter().flatten() {
            if let Ok(theirs) = handle.join() {
                done.extend(theirs);
            }
        }
        (local, done)
    });
    let mut results: Vec<Option<R>> = (0..count).map(|_| None).collect();
    for (index, result) in done {
        if let Some(slot) = results.get_mut(index) {
            *slot = Some(result);
        }
    }
    (local, results)
}
