//! The `svcx` executable. Everything it does is in [`svcx::entry`], which
//! `kubectl-svcx` shares.

fn main() -> std::process::ExitCode {
    svcx::entry::main(svcx::cli::Invocation::Svcx)
}
