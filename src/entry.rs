//! The process around a run, shared by both executables (`svcx` and
//! `kubectl-svcx`): parse the command line, run, and turn the outcome into an
//! exit code, with one error format for usage errors and failures alike.
//! Panics become a one-line bug report and exit 2.

use crate::cli::{Cli, Invocation};
use crate::exit::ExitStatus;
use std::process::ExitCode;

/// Runs svcx as invoked (`svcx ...` or `kubectl svcx ...`) and says how the
/// process should exit.
pub fn main(invocation: Invocation) -> ExitCode {
    std::panic::set_hook(Box::new(report_panic));
    let cli = Cli::parse_or_exit(invocation);
    match crate::run(cli) {
        Ok(status) => ExitCode::from(status as u8),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            crate::render::terminal::eprint(&crate::error::render(&err));
            ExitCode::from(ExitStatus::Failed as u8)
        }
    }
}

/// A panic is a bug in svcx: say so on one line, say how to report it, and
/// exit 2 ("svcx could not do its job") rather than Rust's 101. Exiting from
/// the hook covers every thread alike: a panic on a runtime worker thread
/// would otherwise be caught by tokio and could leave the run hanging or
/// ending with some other status.
fn report_panic(info: &std::panic::PanicHookInfo<'_>) {
    // The message may quote input: one line, terminal-safe.
    let what = info.payload_as_str().unwrap_or("(no message)");
    let what = crate::render::terminal::one_line(what);
    let at = info
        .location()
        .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
        .unwrap_or_default();
    // Not eprintln!: a closed stderr must not panic inside the panic hook.
    crate::render::terminal::eprint(&format!(
        "svcx: internal error (a bug in svcx): {what}{at}\n  hint: please report it with `svcx --version`, the command you ran and, if you can, its input\n"
    ));
    std::process::exit(ExitStatus::Failed as i32);
}

/// `svcx explain | head` closing the pipe early is not a failure.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
