//! `svcx trace`: load the snapshot, resolve the target, trace (pure), probe if
//! asked (the only I/O after loading), render, and exit 1 when a hop is broken.

use super::{print_notices, refuse_input_findings, source_options, to_stdout};
use crate::cli::{GlobalArgs, TraceArgs};
use crate::error::Failure;
use crate::exit::ExitStatus;
use crate::render::{self, Options};
use crate::source::Input;
use crate::trace::{self, Verdict, probe, target};
use std::time::Duration;

/// Connect timeout for `--probe` when not told otherwise.
const DEFAULT_PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// Runs `svcx trace`: 0 when no hop is broken, 1 when one is; failures are errors.
pub async fn run(global: &GlobalArgs, args: &TraceArgs) -> anyhow::Result<ExitStatus> {
    let sources = source_options(global);
    let mut snap = crate::source::load(&sources).await?;
    // Nothing to trace: say what was read and why none of it is in scope.
    if args.target.is_none()
        && let Some(n) = snap.nothing_in_scope("trace")
    {
        snap.notices.push(n);
    }
    refuse_input_findings(&snap, "trace")?;
    print_notices(&snap);
    let mut report = match trace::trace(&snap, args.target.as_deref(), args.port.as_deref()) {
        Ok(report) => report,
        Err(mut e) => {
            // A NAME that matched nothing here may be in a namespace that was
            // not read: the source says where, as the snapshot would have.
            if let Some(name) = args.target.as_deref().and_then(target::bare_name)
                && let Err(mut not_found) = snap.find_services(&name)
            {
                crate::source::look_elsewhere(&sources, &snap, &mut not_found).await;
                e = target::not_found(not_found);
            }
            let hint = if e.candidates.is_empty() {
                e.hint
            } else {
                format!(
                    "{}\n  candidates:\n    {}",
                    e.hint,
                    e.candidates.join("\n    ")
                )
            };
            return Err(Failure::new(e.message).hint(hint).into());
        }
    };
    // Only the addresses a live cluster reports are real; the command line
    // refuses --probe offline, and this keeps it so whatever the caller.
    if args.probe && matches!(sources.input, Input::Live(_)) {
        let timeout = args.probe_timeout.unwrap_or(DEFAULT_PROBE_TIMEOUT);
        probe::probe(&mut report, timeout).await;
    }
    let opts = Options {
        format: args.output.into(),
        style: global.color.style(),
    };
    to_stdout(|out| render::trace::render(&report, &opts, out))?;
    let status = if report.verdict == Verdict::Broken {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    };
    // svcx exits next: the system takes the memory back at once, where
    // freeing a large cluster's objects one by one takes a tenth of the run.
    std::mem::forget(report);
    std::mem::forget(snap);
    Ok(status)
}
