//! Work spread over every core: a map whose results come back in the
//! input's order, so that output is the same as one thread's.
//!
//! Written on `std::thread::scope` rather than taken from rayon: this one
//! ordered map is all svcx needs, and rayon's crates would add to every
//! first build (docs/decisions.md, "Explaining on every core").

use std::num::NonZeroUsize;

/// Fewer items than this are mapped on the calling thread: starting threads
/// costs more than it saves for a few Services.
const LEAST_PER_THREAD: usize = 64;

/// `items.iter().map(f).collect()`, with the items split into one run of
/// consecutive items per core.
pub(crate) fn map_in_order<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let threads = cores.min(items.len() / LEAST_PER_THREAD).max(1);
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        // The calling thread takes the first run itself.
        let mut runs = items.chunks(chunk);
        let first = runs.next().unwrap_or_default();
        let others: Vec<_> = runs
            .map(|run| scope.spawn(move || run.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out: Vec<R> = first.iter().map(f).collect();
        out.reserve(items.len() - out.len());
        for handle in others {
            match handle.join() {
                Ok(results) => out.extend(results),
                // A panic on another thread is svcx's panic: report it as one.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The results are in the input's order, whatever the number of items
    /// (below the threshold, at it, split unevenly).
    #[test]
    fn results_come_back_in_order() {
        for n in [0, 1, 63, 64, 128, 129, 1000, 4097] {
            let items: Vec<usize> = (0..n).collect();
            let doubled = map_in_order(&items, |&i| i * 2);
            assert_eq!(
                doubled,
                items.iter().map(|i| i * 2).collect::<Vec<_>>(),
                "{n}"
            );
        }
    }

    /// Work does run on more than one thread when there are cores for it.
    #[test]
    fn large_inputs_use_more_than_one_thread() {
        let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        let items: Vec<usize> = (0..1000).collect();
        let threads: std::collections::HashSet<_> =
            map_in_order(&items, |_| std::thread::current().id())
                .into_iter()
                .collect();
        assert_eq!(threads.len() > 1, cores > 1, "{threads:?}");
    }

    /// A panic in the work reaches the caller as a panic.
    #[test]
    fn a_panic_is_passed_on() {
        let items: Vec<usize> = (0..1000).collect();
        let caught =
            std::panic::catch_unwind(|| map_in_order(&items, |&i| assert!(i != 900, "item {i}")));
        assert!(caught.is_err());
    }
}
