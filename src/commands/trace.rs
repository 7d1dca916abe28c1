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
    let snap = crate::source::load(global).await?;
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
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    if !render::write_machine(&report, global.output, &mut stdout)? {
        let text = match global.output {
            OutputFormat::Mermaid => render::trace::mermaid(&report),
            _ => render::trace::human(&report, Style::from_choice(global.color)),
        };
        stdout.write_all(text.as_bytes())?;
    }
    stdout.flush()?;
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
