//! One module per subcommand: load the snapshot, run the pure analysis, hand
//! the report to a renderer, and turn the answer into an exit status. This is
//! where the command line's flags become the sources' and renderers' options;
//! nothing below here knows about clap.

pub mod completions;
pub mod explain;
pub mod lint;
pub mod man;
pub mod migrate;
pub mod rule;
pub mod trace;

use crate::cli::GlobalArgs;
use crate::error::Failure;
use crate::model::Snapshot;
use crate::source::{DEFAULT_REQUEST_TIMEOUT, Input, LiveOptions, Namespaces, SourceOptions};
use std::io::{self, Write};

/// What the flags ask to read.
pub fn source_options(global: &GlobalArgs) -> SourceOptions {
    let input = if global.demo {
        Input::Demo
    } else if !global.filenames.is_empty() {
        Input::Files(global.filenames.clone())
    } else {
        Input::Live(LiveOptions {
            kubeconfig: global.kubeconfig.clone(),
            context: global.context.clone(),
            request_timeout: global.request_timeout.unwrap_or(DEFAULT_REQUEST_TIMEOUT),
        })
    };
    let namespaces = match (&global.namespace, global.all_namespaces) {
        (_, true) => Namespaces::All,
        (Some(ns), false) => Namespaces::Only(ns.clone()),
        (None, false) => Namespaces::Default,
    };
    SourceOptions { input, namespaces }
}

/// explain and trace cannot work from an input that is not all objects: an
/// unrendered template is a failure for them, where lint reports it as a
/// finding (objects at removed API versions are notices, as they were).
fn refuse_input_findings(snap: &Snapshot, command: &str) -> anyhow::Result<()> {
    let template = snap
        .input_findings
        .iter()
        .find(|f| f.code == crate::lint::Code::UnrenderedTemplate);
    match template {
        None => Ok(()),
        Some(f) => {
            let at = f.origin.at(f.span);
            let mut failure = Failure::new(format!("{at}: {}", f.message));
            if let Some(h) = &f.hint {
                failure = failure.hint(h.replace("svcx lint", &format!("svcx {command}")));
            }
            Err(failure.into())
        }
    }
}

/// Prints what degraded the answer, on stderr, before the report.
fn print_notices(snap: &Snapshot) {
    let mut err = io::stderr().lock();
    for n in &snap.notices {
        let _ = writeln!(err, "svcx: notice: {}", n.message);
        if let Some(h) = &n.hint {
            let _ = writeln!(err, "  hint: {h}");
        }
    }
}

/// Runs `write` against buffered stdout and flushes. A closed pipe comes back
/// as an `io::Error` of kind `BrokenPipe`, which `main` turns into a quiet exit 0.
fn to_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    write(&mut out)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser;
    use std::path::PathBuf;
    use std::time::Duration;

    fn options(args: &[&str]) -> SourceOptions {
        let cli = Cli::try_parse_from(std::iter::once("svcx").chain(args.iter().copied()))
            .expect("the command line parses");
        source_options(&cli.global)
    }

    #[test]
    fn flags_become_source_options() {
        assert_eq!(
            options(&["explain", "--demo", "-A"]),
            SourceOptions {
                input: Input::Demo,
                namespaces: Namespaces::All
            }
        );
        assert_eq!(
            options(&["explain", "-f", "a.yaml", "-f", "b", "-n", "shop"]),
            SourceOptions {
                input: Input::Files(vec![PathBuf::from("a.yaml"), PathBuf::from("b")]),
                namespaces: Namespaces::Only("shop".into())
            }
        );
        assert_eq!(
            options(&["trace", "--context", "prod", "--request-timeout", "5s"]),
            SourceOptions {
                input: Input::Live(LiveOptions {
                    kubeconfig: None,
                    context: Some("prod".into()),
                    request_timeout: Duration::from_secs(5),
                }),
                namespaces: Namespaces::Default
            }
        );
        assert_eq!(
            options(&["trace"]).input,
            Input::Live(LiveOptions::default())
        );
    }
}
