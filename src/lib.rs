//! svcx: teaches and inspects Kubernetes Services.
//!
//! One way through: sources build a [`model::Snapshot`]; analyses
//! ([`explain`], [`trace`], [`lint`]) turn it into plain-data reports; renderers
//! ([`render`]) turn reports into text. Analyses do no I/O and print nothing.
//!
//! The public modules are those the executables, tests, benches and fuzz
//! targets read; the commands, the rule registry (its `Code` is re-exported
//! by [`lint`]), the exit statuses and the progress line are the crate's own.
//! `unreachable_pub` keeps an item of a private module from claiming `pub`.

#![warn(unreachable_pub)]

pub mod cli;
mod commands;
pub mod entry;
pub mod error;
mod exit;
pub mod explain;
pub mod lint;
pub mod migrate;
pub mod model;
mod progress;
pub mod render;
mod rules;
pub mod source;
pub mod trace;
pub mod version;
pub mod yaml;

use cli::{Cli, Command};
use exit::ExitStatus;

/// Runs one invocation and says how it ended. Failures come back as errors.
pub fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("could not start the async runtime: {e}"))?;
    // On a worker thread, so that Ctrl-C ends the run at once whatever the
    // main thread is doing: waiting for the cluster or computing.
    runtime.spawn(exit_on_interrupt());
    runtime.block_on(async {
        #[cfg(debug_assertions)]
        debug_panic().await;
        match &cli.command {
            Command::Explain(args) => commands::explain::run(&cli.global, args).await,
            Command::Trace(args) => commands::trace::run(&cli.global, args).await,
            Command::Lint(args) => commands::lint::run(&cli.global, args).await,
            Command::Rule(args) => commands::rule::run(&cli.global, args),
            Command::MigrateToGateway(args) => commands::migrate::run(&cli.global, args).await,
            Command::Completions(args) => commands::completions::run(args),
            Command::Man(args) => commands::man::run(args),
        }
    })
}

/// Ctrl-C exits with 130 (128 + SIGINT), what shells and scripts expect of
/// an interrupted command. svcx never writes to a cluster, so stopping
/// anywhere leaves the cluster as it was.
async fn exit_on_interrupt() {
    if tokio::signal::ctrl_c().await.is_ok() {
        std::process::exit(ExitStatus::Interrupted as i32);
    }
}

/// Debug builds only, for tests of the panic hook in `main`: with
/// `SVCX_DEBUG_PANIC=main` svcx panics on the main thread, with `=worker` in a
/// task on one of the runtime's worker threads. Release builds have no such
/// switch.
#[cfg(debug_assertions)]
async fn debug_panic() {
    match std::env::var("SVCX_DEBUG_PANIC").as_deref() {
        Ok("main") => panic!("panic asked for with SVCX_DEBUG_PANIC=main"),
        Ok("worker") => {
            // The hook ends the process before the join could report it.
            let _ = tokio::spawn(async { panic!("panic asked for with SVCX_DEBUG_PANIC=worker") })
                .await;
        }
        _ => {}
    }
}
