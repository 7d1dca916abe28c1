//! `svcx trace`: load the snapshot, resolve the target, trace (pure), probe if
//! asked (the only I/O after loading), render, and exit 1 when a hop is broken.

use super::clusters::{self, Output};
use super::{load, refuse_input_findings, source_options, to_stdout};
use crate::cli::{GlobalArgs, TraceArgs};
use crate::error::Failure;
use crate::exit::ExitStatus;
use crate::model::Snapshot;
use crate::render::{self, Options};
use crate::source::{Input, SourceOptions};
use crate::trace::report::TraceReport;
use crate::trace::{self, Verdict, probe, target};
use std::time::Duration;

/// Connect timeout for `--probe` when not told otherwise.
const DEFAULT_PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// Runs `svcx trace`: 0 when no hop is broken, 1 when one is; failures are errors.
pub(crate) async fn run(global: &GlobalArgs, args: &TraceArgs) -> anyhow::Result<ExitStatus> {
    let mut sources = source_options(global);
    if let Some(from) = &args.from {
        sources.also_read(trace::from::namespace_of(from));
    }
    let opts = Options {
        format: args.output.into(),
        style: global.color.style(),
    };
    let status = |report: &TraceReport| {
        if report.verdict == Verdict::Broken {
            ExitStatus::Findings
        } else {
            ExitStatus::Clean
        }
    };
    if let Some(each) = crate::source::clusters(&sources)? {
        let output = Output {
            human: opts.format == render::trace::Format::Human,
            style: opts.style,
            render: &|report, out| render::trace::render(report, &opts, out),
            status: &status,
        };
        return clusters::run(
            each,
            async |one, snap, context| trace(args, one, snap, context).await,
            output,
        )
        .await;
    }
    let snap = load(&sources).await?;
    let report = trace(args, &sources, snap, None).await?;
    to_stdout(|out| render::trace::render(&report, &opts, out))?;
    let status = status(&report);
    // svcx exits next: the system takes the memory back at once, where
    // freeing a large cluster's objects one by one takes a tenth of the run.
    std::mem::forget(report);
    Ok(status)
}

/// Traces what the arguments name in one snapshot (one cluster's, in a run
/// over several: `context` names it), after printing its notices, and
/// probes when asked.
async fn trace(
    args: &TraceArgs,
    sources: &SourceOptions,
    mut snap: Snapshot,
    context: Option<&str>,
) -> anyhow::Result<TraceReport> {
    // Nothing to trace: say what was read and why none of it is in scope.
    if args.target.is_none()
        && let Some(n) = snap.nothing_in_scope("trace")
    {
        snap.notices.push(n);
    }
    refuse_input_findings(&snap, "trace")?;
    super::print_notices(&snap, context);
    let traced = trace::trace_from(
        &snap,
        args.target.as_deref(),
        args.port.as_deref(),
        args.from.as_deref(),
    );
    let mut report = match traced {
        Ok(report) => report,
        Err(mut e) => {
            // A NAME that matched nothing here may be in a namespace that was
            // not read: the source says where, as the snapshot would have.
            if let Some(name) = args.target.as_deref().and_then(target::bare_name)
                && let Err(mut not_found) = snap.find_services(&name)
            {
                crate::source::look_elsewhere(sources, &snap, &mut not_found).await;
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
    // svcx exits soon: the system takes the memory back at once, where
    // freeing a large cluster's objects one by one takes a tenth of the run.
    std::mem::forget(snap);
    Ok(report)
}
