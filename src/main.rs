//! The svcx binary: parse, run, map the outcome to an exit code.

use clap::Parser;
use std::process::ExitCode;
use svcx::exit::ExitStatus;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("svcx: internal error (a bug in svcx): {info}");
        eprintln!("  hint: please report it with the command you ran and its input");
    }));
    let cli = svcx::cli::Cli::parse();
    match svcx::run(cli) {
        Ok(status) => ExitCode::from(status as u8),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprint!("{}", svcx::error::render(&err));
            ExitCode::from(ExitStatus::Failed as u8)
        }
    }
}

/// `svcx explain | head` closing the pipe early is not a failure.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
