//! The svcx binary: parse, run, map the outcome to an exit code.

use std::io::Write;
use std::process::ExitCode;
use svcx::exit::ExitStatus;

/// mimalloc instead of the system allocator: reading a large manifest makes
/// millions of small allocations, many freed on another thread than the one
/// that made them, and glibc's allocator spent about 40 % of `svcx lint`'s
/// time on them (docs/performance.md, docs/decisions.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(report_panic));
    let cli = svcx::cli::Cli::parse_or_exit();
    match svcx::run(cli) {
        Ok(status) => ExitCode::from(status as u8),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprint!("{}", svcx::error::render(&err));
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
    let what = info
        .payload_as_str()
        .unwrap_or("(no message)")
        .replace('\n', " ");
    let at = info
        .location()
        .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
        .unwrap_or_default();
    // Not eprintln!: a closed stderr must not panic inside the panic hook.
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "svcx: internal error (a bug in svcx): {what}{at}");
    let _ = writeln!(
        err,
        "  hint: please report it with `svcx --version`, the command you ran and, if you can, its input"
    );
    std::process::exit(ExitStatus::Failed as i32);
}

/// `svcx explain | head` closing the pipe early is not a failure.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
