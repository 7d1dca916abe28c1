//! The `kubectl-svcx` executable: kubectl runs any `kubectl-NAME` found on
//! PATH as `kubectl NAME`, so installing this beside `svcx` makes
//! `kubectl svcx ...` work. Same program; its help and usage say
//! `kubectl svcx`.

/// mimalloc instead of the system allocator: reading a large manifest makes
/// millions of small allocations, many freed on another thread than the one
/// that made them, and glibc's allocator spent about 40 % of `svcx lint`'s
/// time on them (docs/performance.md, docs/decisions.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    svcx::main(svcx::Invocation::KubectlPlugin)
}
