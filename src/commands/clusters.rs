//! Runs over several clusters (repeated `--context`, `--all-contexts`): every
//! cluster is read at once, each into its own snapshot (the live reader runs
//! its concurrent lists per cluster), and the command's own analysis runs on
//! each. Human output is grouped by cluster, a heading per context; every
//! other format is one document over all of them ([`Combine`]), where every
//! object's `origin` names its context and `clusters[]` says which clusters
//! were read.
//!
//! A cluster that cannot be read, or whose answer the command cannot use (a
//! Service named that it does not have), is reported on stderr, named by its
//! context, and does not spoil the others. Its failure still counts: the run
//! exits 2 when any cluster failed, as ripgrep does when one file could not
//! be read, since the answer is incomplete; otherwise with the worst status
//! of the clusters' answers.

use super::to_stdout;
use crate::error::{self, Failure};
use crate::exit::ExitStatus;
use crate::explain::report::ExplainReport;
use crate::lint::report::LintReport;
use crate::model::{ClusterError, ClusterInfo, Notice, Scope, Snapshot, SourceInfo};
use crate::progress::Progress;
use crate::render::{self, Style};
use crate::source::{self, SourceOptions};
use crate::trace::{Verdict, report::TraceReport};
use std::io::{self, Write};

/// One report made of the reports of several clusters, in the order the
/// contexts were given, for the formats that print one document.
pub(crate) trait Combine: Sized {
    /// `reports` are those of the clusters that were read, with their
    /// contexts; `clusters` lists every cluster asked for, read or not.
    fn combine(reports: Vec<(String, Self)>, clusters: Vec<ClusterInfo>) -> Self;
}

/// How a command shows its answer over several clusters.
pub(crate) struct Output<'a, R> {
    /// Whether the format is for people: then each cluster's report is
    /// written on its own, under a heading; else one combined document.
    pub(crate) human: bool,
    pub(crate) style: Style,
    /// Writes one report in the chosen format.
    pub(crate) render: &'a dyn Fn(&R, &mut dyn Write) -> io::Result<()>,
    /// The exit status one report asks for.
    pub(crate) status: &'a dyn Fn(&R) -> ExitStatus,
}

/// Reads every cluster at once, runs `analyse` on each snapshot (with the
/// options that read that cluster alone, and its context), writes the
/// answer and says how the run ended.
pub(crate) async fn run<R: Combine>(
    clusters: Vec<(String, SourceOptions)>,
    mut analyse: impl AsyncFnMut(&SourceOptions, Snapshot, Option<&str>) -> anyhow::Result<R>,
    output: Output<'_, R>,
) -> anyhow::Result<ExitStatus> {
    let names: Vec<String> = clusters.iter().map(|(c, _)| c.clone()).collect();
    let progress = Progress::start(&names);
    let mut reads = Vec::new();
    for (context, opts) in clusters {
        let progress = progress.clone();
        reads.push((
            context.clone(),
            opts.clone(),
            tokio::spawn(async move {
                let read = source::load(&opts).await;
                progress.done(&context, read.is_ok());
                read
            }),
        ));
    }
    let mut loaded = Vec::new();
    for (context, opts, task) in reads {
        let read = match task.await {
            Ok(read) => read,
            Err(e) => Err(anyhow::anyhow!(
                "the read of context `{context}` stopped: {e}"
            )),
        };
        loaded.push((context, opts, read));
    }
    progress.finish();

    let mut infos = Vec::new();
    let mut parts: Vec<(String, Option<String>, anyhow::Result<R>)> = Vec::new();
    for (context, opts, read) in loaded {
        let (server, scope) = match &read {
            Ok(snap) => (server_of(snap), Some(snap.scope.clone())),
            Err(_) => (None, None),
        };
        let answer = match read {
            Ok(snap) => analyse(&opts, snap, Some(&context)).await,
            Err(e) => Err(e),
        };
        infos.push(ClusterInfo {
            context: context.clone(),
            server: server.clone(),
            scope,
            error: answer.as_ref().err().map(cluster_error),
        });
        parts.push((context, server, answer));
    }

    for (context, _, answer) in &parts {
        if let Err(e) = answer {
            crate::render::terminal::eprint(&in_context(context, &error::render(e)));
        }
    }
    let failed = parts.iter().any(|(_, _, a)| a.is_err());
    if parts.iter().all(|(_, _, a)| a.is_err()) {
        return Ok(ExitStatus::Failed);
    }
    let worst = parts
        .iter()
        .filter_map(|(_, _, a)| a.as_ref().ok())
        .map(|r| (output.status)(r))
        .max_by_key(|s| *s as u8)
        .unwrap_or(ExitStatus::Clean);
    if output.human {
        to_stdout(|out| {
            for (i, (context, server, answer)) in parts.iter().enumerate() {
                if i > 0 {
                    out.write_all(b"\n")?;
                }
                let heading = render::cluster_heading(output.style, context, server.as_deref());
                writeln!(out, "{heading}")?;
                match answer {
                    Ok(report) => (output.render)(report, out)?,
                    // The whole error, with its hint, is on stderr.
                    Err(e) => writeln!(out, "failed: {e}")?,
                }
            }
            Ok(())
        })?;
    } else {
        let reports = parts
            .into_iter()
            .filter_map(|(c, _, a)| a.ok().map(|r| (c, r)))
            .collect();
        let combined = R::combine(reports, infos);
        to_stdout(|out| (output.render)(&combined, out))?;
    }
    Ok(if failed { ExitStatus::Failed } else { worst })
}

fn server_of(snap: &Snapshot) -> Option<String> {
    match &snap.source {
        SourceInfo::Live { server, .. } => Some(server.clone()),
        _ => None,
    }
}

/// A failure as the JSON's `clusters[].error`: the message with its causes
/// on one line, and the hint.
fn cluster_error(err: &anyhow::Error) -> ClusterError {
    let hint = err
        .chain()
        .find_map(|c| c.downcast_ref::<Failure>())
        .and_then(|f| f.hint.clone());
    let message = err
        .chain()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ");
    ClusterError { message, hint }
}

/// `svcx: error: ...` as `svcx: error: context `NAME`: ...`.
fn in_context(context: &str, rendered: &str) -> String {
    match rendered.strip_prefix("svcx: error: ") {
        Some(rest) => format!("svcx: error: context `{context}`: {rest}"),
        None => rendered.to_string(),
    }
}

/// The notices of each cluster's report, each named by its context.
fn tagged(notices: Vec<Notice>, context: &str) -> impl Iterator<Item = Notice> {
    notices.into_iter().map(move |mut n| {
        n.context = Some(context.to_string());
        n
    })
}

/// The scope of the first cluster read: with -n or -A every cluster has the
/// same; without, each its context's namespace, in `clusters[].scope`.
fn first_scope(clusters: &[ClusterInfo]) -> Scope {
    clusters
        .iter()
        .find_map(|c| c.scope.clone())
        .unwrap_or(Scope::AllNamespaces)
}

impl Combine for ExplainReport {
    fn combine(reports: Vec<(String, Self)>, clusters: Vec<ClusterInfo>) -> Self {
        let mut all = ExplainReport {
            schema: crate::explain::report::SCHEMA,
            source: SourceInfo::Clusters,
            scope: first_scope(&clusters),
            clusters,
            services: Vec::new(),
            gateways: Vec::new(),
            network_policies: Vec::new(),
            nodes: Vec::new(),
            notices: Vec::new(),
        };
        for (context, r) in reports {
            all.services.extend(r.services);
            all.gateways.extend(r.gateways);
            all.network_policies.extend(r.network_policies);
            // Node names repeat across clusters: each says which it is in.
            all.nodes.extend(r.nodes.into_iter().map(|mut n| {
                n.context = Some(context.clone());
                n
            }));
            all.notices.extend(tagged(r.notices, &context));
        }
        all
    }
}

impl Combine for TraceReport {
    fn combine(reports: Vec<(String, Self)>, clusters: Vec<ClusterInfo>) -> Self {
        let mut all = TraceReport {
            schema: crate::trace::report::SCHEMA,
            source: SourceInfo::Clusters,
            clusters,
            target: None,
            from: None,
            verdict: Verdict::Ok,
            counts: Default::default(),
            services: Vec::new(),
            limits: Vec::new(),
            notices: Vec::new(),
            probed: false,
        };
        for (context, r) in reports {
            all.target = all.target.or(r.target);
            all.from = all.from.or(r.from);
            all.verdict = Verdict::worst([all.verdict, r.verdict]);
            all.counts.ok += r.counts.ok;
            all.counts.warn += r.counts.warn;
            all.counts.broken += r.counts.broken;
            all.services.extend(r.services);
            all.limits.extend(
                r.limits
                    .into_iter()
                    .map(|l| format!("context `{context}`: {l}")),
            );
            all.notices.extend(tagged(r.notices, &context));
            all.probed |= r.probed;
        }
        all
    }
}

impl Combine for LintReport {
    fn combine(reports: Vec<(String, Self)>, clusters: Vec<ClusterInfo>) -> Self {
        let mut all = LintReport {
            schema: crate::lint::report::SCHEMA,
            source: SourceInfo::Clusters,
            scope: first_scope(&clusters),
            clusters,
            findings: Vec::new(),
            summary: Default::default(),
            notices: Vec::new(),
            snippets: Vec::new(),
            fail_on: reports.first().map(|(_, r)| r.fail_on).unwrap_or_default(),
        };
        for (context, r) in reports {
            let (s, sum) = (&mut all.summary, r.summary);
            s.errors += sum.errors;
            s.warnings += sum.warnings;
            s.infos += sum.infos;
            s.files_with_findings += sum.files_with_findings;
            s.suppressed += sum.suppressed;
            s.load_balancers.services += sum.load_balancers.services;
            s.load_balancers.load_balancers += sum.load_balancers.load_balancers;
            // Snippets go with findings one for one; live findings have none.
            let mut snippets = r.snippets;
            snippets.resize(r.findings.len(), None);
            all.findings.extend(r.findings);
            all.snippets.extend(snippets);
            all.notices.extend(tagged(r.notices, &context));
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_named_by_context() {
        assert_eq!(
            in_context("prod", "svcx: error: could not reach\n  hint: h\n"),
            "svcx: error: context `prod`: could not reach\n  hint: h\n"
        );
        let err = anyhow::Error::new(Failure::new("refused").hint("log in"))
            .context("could not list services");
        assert_eq!(
            cluster_error(&err),
            ClusterError {
                message: "could not list services: refused".into(),
                hint: Some("log in".into())
            }
        );
    }
}
