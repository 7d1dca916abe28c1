//! `svcx explain`: load the snapshot, pick the Services, explain, render.

use super::{print_notices, refuse_input_findings, source_options, to_stdout};
use crate::cli::{ExplainArgs, GlobalArgs};
use crate::error::Failure;
use crate::exit::ExitStatus;
use crate::explain::{concepts, explain};
use crate::render::{self, Options};

/// Runs `svcx explain`: 0 when the report was written; failures are errors.
pub async fn run(global: &GlobalArgs, args: &ExplainArgs) -> anyhow::Result<ExitStatus> {
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
    let mut snap = crate::source::load(&sources).await?;
    // Nothing to list: say what was read and why none of it is in scope.
    if args.services.is_empty()
        && let Some(n) = snap.nothing_in_scope("explain")
    {
        snap.notices.push(n);
    }
    refuse_input_findings(&snap, "explain")?;
    print_notices(&snap);
    let mut chosen = Vec::new();
    for query in &args.services {
        match snap.find_services(query) {
            Ok(found) => chosen.extend(found),
            Err(mut e) => {
                crate::source::look_elsewhere(&sources, &snap, &mut e).await;
                let hint = match (e.elsewhere_hint(), e.candidates.is_empty()) {
                    (Some(hint), _) => hint,
                    (None, true) => {
                        "list what there is with `svcx explain` (add -A for every namespace)"
                            .to_string()
                    }
                    (None, false) => format!("did you mean {}?", e.candidates.join(", ")),
                };
                return Err(Failure::new(e.to_string()).hint(hint).into());
            }
        }
    }
    let report = explain(&snap, &chosen);
    to_stdout(|out| render::explain::render(&report, &opts, out))?;
    Ok(ExitStatus::Clean)
}
