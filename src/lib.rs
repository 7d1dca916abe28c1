//! svcx: teaches and inspects Kubernetes Services.
//!
//! One way through: sources build a [`model::Snapshot`]; analyses
//! ([`explain`](mod@explain), [`trace`](mod@trace), [`lint`](mod@lint),
//! [`migrate`]) turn it into plain-data reports; renderers ([`render`]) turn
//! reports into text. Analyses do no I/O and print nothing.
//!
//! The modules are the crate's own. What the two executables, the integration
//! tests, the benches and the fuzz targets call is re-exported below, grouped
//! by purpose; `pub` stays only on those items, on the fields and methods
//! their callers read and on the types their signatures name. Every other
//! item is `pub(crate)`, so the compiler reports what no part of svcx uses.
//! Where a bare name would not say which analysis it belongs to, the face
//! renames it (`plan_migration`, `MigrateOptions`, `LintSettings`,
//! `LintSelector`, `render_error`). Three modules are a face
//! as a whole: [`render`] (a renderer per report and format), [`yaml`] (the
//! YAML reader, checked against serde-saphyr) and [`version`] (the versions
//! svcx speaks). `unreachable_pub` keeps an item that no one outside can reach
//! from claiming `pub` (docs/architecture.md, "The library's face").

#![warn(unreachable_pub)]

mod cli;
mod commands;
mod cores;
mod entry;
mod error;
mod exit;
mod explain;
mod lint;
mod migrate;
mod model;
mod progress;
pub mod render;
mod rules;
mod source;
mod trace;
pub mod version;
pub mod yaml;

/// Running svcx: the whole program, as both executables (`svcx` and
/// `kubectl-svcx`) call it, and how it was invoked.
pub use {cli::Invocation, entry::main};

/// Reading input: manifests from files or text ([`files`]), the built-in demo
/// cluster ([`demo`]), and what they build: a [`Snapshot`] of typed objects,
/// each [`Located`] at its [`Origin`] with a [`Span`] per field.
pub use {
    model::{Located, Origin, Scope, Snapshot, SourceInfo, Span},
    source::{demo, files},
};

/// The analyses and their reports, as the commands run them: `svcx explain`,
/// `svcx trace`, `svcx lint` (with its settings and rule codes) and `svcx
/// migrate-to-gateway` (with its options, target release and note codes).
pub use {
    explain::{explain, report::ExplainReport},
    lint::{
        Code, lint,
        report::LintReport,
        settings::{Selector as LintSelector, Settings as LintSettings},
    },
    migrate::{
        Migration, NoteCode, Options as MigrateOptions, plan as plan_migration,
        target::{Channel, Release},
    },
    trace::{
        Verdict,
        report::{Hop, HopId, HopKind, Matched, PortPath, ServiceTrace, TraceReport},
        trace,
    },
};

/// The model's own answers, which tests check apart from any report: the
/// per-run [`Semantics`] (a `ServiceView` per Service), the resolved routes
/// ([`RouteIndex`], with each parent's [`ConditionView`]) and the
/// [`Finding`]s they raise; and svcx's own type of TCPRoute and UDPRoute
/// ([`L4Route`]), as read and as migrate-to-gateway writes them.
pub use model::{
    finding::Finding,
    routes::{ConditionView, RouteIndex, l4::L4Route},
    view::Semantics,
};

/// An error as svcx prints it: message and hint, the chain of causes folded.
pub use error::render as render_error;

use cli::{Cli, Command};
use exit::ExitStatus;

/// Runs one invocation and says how it ended. Failures come back as errors.
fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
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
