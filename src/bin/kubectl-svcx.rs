//! The `kubectl-svcx` executable: kubectl runs any `kubectl-NAME` found on
//! PATH as `kubectl NAME`, so installing this beside `svcx` makes
//! `kubectl svcx ...` work. Same program; its help and usage say
//! `kubectl svcx`.

fn main() -> std::process::ExitCode {
    svcx::entry::main(svcx::cli::Invocation::KubectlPlugin)
}
