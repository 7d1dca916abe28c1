//! `svcx explain`: load the snapshot, pick the Services, explain, render.

use super::clusters::{self, Output};
use super::{load, refuse_input_findings, source_options, to_stdout};
use crate::cli::{ExplainArgs, GlobalArgs};
use crate::error::Failure;
use crate::exit::ExitStatus;
use crate::explain::report::ExplainReport;
use crate::explain::{concepts, explain_objects};
use crate::model::Snapshot;
use crate::model::lookup::{GatewayNotFound, gateway_query};
use crate::render::{self, Options};
use crate::source::SourceOptions;

/// Runs `svcx explain`: 0 when the report was written; failures are errors.
pub(crate) async fn run(global: &GlobalArgs, args: &ExplainArgs) -> anyhow::Result<ExitStatus> {
    let opts = Options {
        format: args.output.into(),
        style: global.color.style(),
    };
    if args.concepts {
        let guide = concepts::guide();
        to_stdout(|out| render::explain::concepts(&guide, &opts, out))?;
        return Ok(ExitStatus::Clean);
    }
    let sources = source_options(global);
    if let Some(each) = crate::source::clusters(&sources)? {
        let output = Output {
            human: matches!(
                opts.format,
                render::explain::Format::Human | render::explain::Format::Wide
            ),
            style: opts.style,
            render: &|report, out| render::explain::render(report, &opts, out),
            status: &|_| ExitStatus::Clean,
        };
        return clusters::run(
            each,
            async |one, snap, context| explain(args, one, snap, context).await,
            output,
        )
        .await;
    }
    let snap = load(&sources).await?;
    let report = explain(args, &sources, snap, None).await?;
    to_stdout(|out| render::explain::render(&report, &opts, out))?;
    // svcx exits next: the system takes the memory back at once, where
    // freeing a large cluster's objects one by one takes a tenth of the run.
    std::mem::forget(report);
    Ok(ExitStatus::Clean)
}

/// Explains what the arguments name in one snapshot (one cluster's, in a run
/// over several: `context` names it), after printing its notices.
async fn explain(
    args: &ExplainArgs,
    sources: &SourceOptions,
    mut snap: Snapshot,
    context: Option<&str>,
) -> anyhow::Result<ExplainReport> {
    // Nothing to list: say what was read and why none of it is in scope.
    if args.services.is_empty()
        && let Some(n) = snap.nothing_in_scope("explain")
    {
        snap.notices.push(n);
    }
    refuse_input_findings(&snap, "explain")?;
    super::print_notices(&snap, context);
    let mut chosen = Vec::new();
    let mut gateways: Vec<usize> = Vec::new();
    for query in &args.gateways {
        gateways.extend(snap.find_gateways(query).map_err(gateway_failure)?);
    }
    for query in &args.services {
        if let Some(name) = gateway_query(query) {
            // `gateway/NAME` could also be Service NAME in namespace `gateway`.
            match (snap.find_services(query), snap.find_gateways(name)) {
                (Ok(_), Ok(_)) => {
                    return Err(Failure::new(format!(
                        "`{query}` is both a Service in namespace `gateway` and a Gateway"
                    ))
                    .hint(format!(
                        "say which: `svcx explain --gateway {name}` for the Gateway, `-n gateway {}` for the Service",
                        query.rsplit('/').next().unwrap_or_default()
                    ))
                    .into());
                }
                (Ok(found), Err(_)) => chosen.extend(found),
                (Err(_), Ok(found)) => gateways.extend(found),
                (Err(_), Err(e)) => return Err(gateway_failure(e).into()),
            }
            continue;
        }
        match snap.find_services(query) {
            Ok(found) => chosen.extend(found),
            Err(e) => return Err(super::service_not_found(sources, &snap, e).await),
        }
    }
    gateways.dedup();
    let report = explain_objects(&snap, &chosen, &gateways);
    // svcx exits soon: the system takes the memory back at once, where
    // freeing a large cluster's objects one by one takes a tenth of the run.
    std::mem::forget(snap);
    Ok(report)
}

/// What to say when a Gateway name matches nothing.
fn gateway_failure(e: GatewayNotFound) -> Failure {
    let hint = if e.candidates.is_empty() {
        "no Gateway was read: with a cluster, check that the Gateway API is installed; with -f, pass the file \
         that holds it"
            .to_string()
    } else {
        format!("Gateways there are: {}", e.candidates.join(", "))
    };
    Failure::new(e.to_string()).hint(hint)
}
