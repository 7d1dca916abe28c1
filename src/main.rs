//! The `svcx` executable. Everything it does is in [`svcx::main`], which
//! `kubectl-svcx` shares.

/// mimalloc instead of the system allocator: reading a large manifest makes
/// millions of small allocations, many freed on another thread than the one
/// that made them, and glibc's allocator spent about 40 % of `svcx lint`'s
/// time on them (docs/performance.md, docs/decisions.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    svcx::main(svcx::Invocation::Svcx)
}
