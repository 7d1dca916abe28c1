//! One module per subcommand: load the snapshot, run the pure analysis, hand
//! the report to a renderer, and turn the answer into an exit status. This is
//! where the command line's flags become the sources' and renderers' options;
//! nothing below here knows about clap.

pub(crate) mod clusters;
pub(crate) mod completions;
pub(crate) mod explain;
pub(crate) mod lint;
pub(crate) mod man;
pub(crate) mod migrate;
pub(crate) mod rule;
pub(crate) mod trace;

use crate::cli::GlobalArgs;
use crate::error::Failure;
use crate::model::Snapshot;
use crate::model::lookup::NotFound;
use crate::render::terminal::{self, one_line};
use crate::source::{
    Contexts, DEFAULT_REQUEST_TIMEOUT, Input, LiveOptions, Namespaces, SourceOptions,
};
use std::io::{self, Write};

/// The failure for a Service name that matched nothing: a live run asks
/// the cluster where else that name is, and the hint says so, else offers
/// the names that come close, else how to list what there is.
pub(crate) async fn service_not_found(
    sources: &SourceOptions,
    snap: &Snapshot,
    mut e: NotFound,
) -> anyhow::Error {
    crate::source::look_elsewhere(sources, snap, &mut e).await;
    let hint = match (e.elsewhere_hint(), e.candidates.is_empty()) {
        (Some(hint), _) => hint,
        (None, true) => {
            "list what there is with `svcx explain` (add -A for every namespace)".to_string()
        }
        (None, false) => format!("did you mean {}?", e.candidates.join(", ")),
    };
    Failure::new(e.to_string()).hint(hint).into()
}

/// What the flags ask to read.
pub(crate) fn source_options(global: &GlobalArgs) -> SourceOptions {
    let input = if global.demo {
        Input::Demo
    } else if !global.filenames.is_empty() {
        Input::Files(global.filenames.clone())
    } else {
        let live = LiveOptions {
            kubeconfig: global.kubeconfig.clone(),
            context: global.context.first().cloned(),
            request_timeout: global.request_timeout.unwrap_or(DEFAULT_REQUEST_TIMEOUT),
            also: Vec::new(),
        };
        match global.several_contexts() {
            None => Input::Live(live),
            Some(_) if global.all_contexts => Input::Clusters(
                LiveOptions {
                    context: None,
                    ..live
                },
                Contexts::All,
            ),
            Some(_) => Input::Clusters(
                LiveOptions {
                    context: None,
                    ..live
                },
                Contexts::Named(global.context.clone()),
            ),
        }
    };
    let namespaces = match (&global.namespace, global.all_namespaces) {
        (_, true) => Namespaces::All,
        (Some(ns), false) => Namespaces::Only(ns.clone()),
        (None, false) => Namespaces::Default,
    };
    SourceOptions { input, namespaces }
}

/// Reads the one snapshot the options ask for; a live read shows progress on
/// a terminal when it takes a while (see [`crate::progress`]).
async fn load(opts: &SourceOptions) -> anyhow::Result<Snapshot> {
    let Input::Live(live) = &opts.input else {
        return crate::source::load(opts).await;
    };
    let label = match &live.context {
        Some(c) => format!("context `{c}`"),
        None => "the current context".to_string(),
    };
    let progress = crate::progress::Progress::start(std::slice::from_ref(&label));
    let snap = crate::source::load(opts).await;
    progress.finish();
    snap
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

/// Prints what degraded the answer, on stderr, before the report. A notice
/// quotes input (file names, fields), so each keeps to its line.
/// In a run over several clusters, each notice names its `context`.
fn print_notices(snap: &Snapshot, context: Option<&str>) {
    let mut text = String::new();
    let of = context
        .map(|c| format!("context `{}`: ", one_line(c)))
        .unwrap_or_default();
    for n in &snap.notices {
        text.push_str(&format!("svcx: notice: {of}{}\n", one_line(&n.message)));
        if let Some(h) = &n.hint {
            text.push_str(&format!("  hint: {}\n", one_line(h)));
        }
    }
    terminal::eprint(&text);
}

/// Runs `write` against buffered, terminal-safe stdout and flushes. A closed
/// pipe comes back as an `io::Error` of kind `BrokenPipe`, which `main` turns
/// into a quiet exit 0. Every format goes through the same writer: for JSON
/// and SARIF it changes nothing but how a few characters are escaped.
fn to_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let mut out = terminal::SafeWriter::new(io::BufWriter::new(io::stdout().lock()));
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
                    also: Vec::new(),
                }),
                namespaces: Namespaces::Default
            }
        );
        assert_eq!(
            options(&["trace"]).input,
            Input::Live(LiveOptions::default())
        );
        // The same context twice is one cluster.
        assert_eq!(
            options(&["trace", "--context", "a", "--context", "a"]).input,
            Input::Live(LiveOptions {
                context: Some("a".into()),
                ..LiveOptions::default()
            })
        );
        assert_eq!(
            options(&["lint", "--context", "a", "--context", "b"]).input,
            Input::Clusters(
                LiveOptions::default(),
                Contexts::Named(vec!["a".into(), "b".into()])
            )
        );
        assert_eq!(
            options(&["explain", "--all-contexts"]).input,
            Input::Clusters(LiveOptions::default(), Contexts::All)
        );
    }
}
