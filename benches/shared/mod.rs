//! What every benchmark binary shares: how cargo asks it to list itself, and
//! the median of repeated runs.

/// `cargo test --benches` (and `cargo bench -- --list`) run bench binaries
/// with `--list`; they should then do nothing.
pub fn listing_only() -> bool {
    std::env::args().any(|a| a == "--list")
}

/// The median of repeated measurements.
pub fn median<T: PartialOrd + Copy>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[v.len() / 2]
}
