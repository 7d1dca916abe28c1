//! `svcx explain`: load the snapshot, pick the Services, explain, render.

use crate::cli::{ExplainArgs, GlobalArgs, OutputFormat};
use crate::error::Failure;
use crate::exit::ExitStatus;
use crate::explain::{concepts, explain};
use crate::render::{self, Style};
use std::io::Write;

pub async fn run(global: &GlobalArgs, args: &ExplainArgs) -> anyhow::Result<ExitStatus> {
    let style = Style::from_choice(global.color);
    if args.concepts {
        let guide = concepts::guide();
        let text = match render::machine(&guide, global.output)? {
            Some(text) => text,
            None => render::explain::render_concepts(&guide, style),
        };
        return write_out(&text);
    }
    if global.output == OutputFormat::Mermaid {
        return Err(Failure::new("explain has no mermaid output")
            .hint("use -o human, json or yaml; `svcx trace -o mermaid` draws the traffic path")
            .into());
    }
    let snap = crate::source::load(global).await?;
    for n in &snap.notices {
        eprintln!("svcx: notice: {}", n.message);
        if let Some(h) = &n.hint {
            eprintln!("  hint: {h}");
        }
    }
    let mut chosen = Vec::new();
    for query in &args.services {
        match snap.find_services(query) {
            Ok(found) => chosen.extend(found),
            Err(e) => {
                let hint = if e.candidates.is_empty() {
                    "list what there is with `svcx explain` (add -A for every namespace)"
                        .to_string()
                } else {
                    format!("did you mean {}?", e.candidates.join(", "))
                };
                return Err(Failure::new(e.to_string()).hint(hint).into());
            }
        }
    }
    let report = explain(&snap, &chosen);
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    if !render::write_machine(&report, global.output, &mut stdout)? {
        stdout.write_all(render::explain::render(&report, style).as_bytes())?;
    }
    stdout.flush()?;
    // svcx exits next: the system takes the memory back at once, where
    // freeing a large cluster's objects one by one takes a tenth of the run.
    std::mem::forget(report);
    std::mem::forget(snap);
    Ok(ExitStatus::Clean)
}

fn write_out(text: &str) -> anyhow::Result<ExitStatus> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(ExitStatus::Clean)
}
