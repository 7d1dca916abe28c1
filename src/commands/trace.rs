//! `svcx trace`: load the snapshot, resolve the target, trace (pure), probe if
//! asked (the only I/O after loading), render, and exit 1 when a hop is broken.

use crate::cli::{GlobalArgs, OutputFormat, TraceArgs};
use crate::error::Failure;
use crate::exit::ExitStatus;
use crate::render::{self, Style};
use crate::trace::{self, Verdict, probe};
use std::io::Write;

/// Runs `svcx trace`: 0 when no hop is broken, 1 when one is; failures are errors.
pub async fn run(global: &GlobalArgs, args: &TraceArgs) -> anyhow::Result<ExitStatus> {
    let mut snap = crate::source::load(global).await?;
    // Nothing to trace: say what was read and why none of it is in scope.
    if args.target.is_none()
        && let Some(n) = snap.nothing_in_scope("trace")
    {
        snap.notices.push(n);
    }
    for n in &snap.notices {
        eprintln!("svcx: notice: {}", n.message);
        if let Some(h) = &n.hint {
            eprintln!("  hint: {h}");
        }
    }
    let mut report =
        trace::trace(&snap, args.target.as_deref(), args.port.as_deref()).map_err(|e| {
            let hint = if e.candidates.is_empty() {
                e.hint.clone()
            } else {
                format!(
                    "{}\n  candidates:\n    {}",
                    e.hint,
                    e.candidates.join("\n    ")
                )
            };
            Failure::new(e.message.clone()).hint(hint)
        })?;
    if args.probe {
        probe::probe(&mut report, args.probe_timeout).await;
    }
    let text = match global.output {
        OutputFormat::Human => render::trace::human(&report, Style::from_choice(global.color)),
        OutputFormat::Mermaid => render::trace::mermaid(&report),
        OutputFormat::Json | OutputFormat::Yaml => {
            render::machine(&report, global.output)?.unwrap_or_default()
        }
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(if report.verdict == Verdict::Broken {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}
