//! Running the rules: one pass of the semantic model over every Service,
//! then lint's own checks, then what the user chose to see (selection,
//! severity overrides, `svcx/ignore` annotations, excluded paths, the
//! namespace in scope). Pure: a snapshot and settings in, a report out.

use super::report::{LintReport, LoadBalancerCount, Snippet, Summary};
use super::settings::Settings;
use super::suppress::Suppressions;
use crate::model::finding::{Finding, Severity};
use crate::model::view::{Semantics, ServiceView};
use crate::model::{Origin, Snapshot};
use crate::rules::Code;
use crate::rules::registry::Check;
use std::collections::{BTreeSet, HashMap};

/// What every check may look at: the snapshot, the shared semantics, and the
/// view of every Service (in scope or not), computed once.
pub(crate) struct Context<'a, 's> {
    pub(crate) snap: &'s Snapshot,
    pub(crate) sem: &'a Semantics<'s>,
    pub(crate) views: &'a [ServiceView<'s>],
}

/// Lints a snapshot.
pub fn lint(snap: &Snapshot, settings: &Settings) -> LintReport {
    let sem = Semantics::new(snap);
    let mut views: Vec<ServiceView<'_>> = (0..snap.services.len()).map(|i| sem.view(i)).collect();
    let mut raw: Vec<Finding> = snap.input_findings.clone();
    {
        let cx = Context {
            snap,
            sem: &sem,
            views: &views,
        };
        for &code in Code::ALL {
            if !settings.enabled(code) {
                continue;
            }
            match code.rule().check {
                Check::Service(check) => {
                    for v in cx.views {
                        check(&cx, v, &mut raw);
                    }
                }
                Check::Run(check) => check(&cx, &mut raw),
                Check::Model | Check::Input => {}
            }
        }
    }
    let load_balancers = count_load_balancers(snap, &views);
    for v in &mut views {
        raw.append(&mut v.findings);
    }
    // Routes, Ingresses and Gateways: once each, from the model's resolution.
    raw.extend(sem.routes.findings().cloned());
    let suppressions = Suppressions::read(snap);
    let mut suppressed = 0;
    let mut findings: Vec<Finding> = Vec::with_capacity(raw.len());
    for mut f in raw {
        if !settings.enabled(f.code) || !in_scope(snap, &f) || settings.excluded(&f.origin) {
            continue;
        }
        if suppressions.silences(&f) {
            suppressed += 1;
            continue;
        }
        if let Some(&sev) = settings.severity.get(&f.code) {
            f.severity = sev;
        }
        findings.push(f);
    }
    findings.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    let mut lines = SourceLines::new(snap);
    let snippets = findings.iter().map(|f| lines.snippet(f)).collect();
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let files: BTreeSet<&str> = findings
        .iter()
        .filter_map(|f| match &f.origin {
            Origin::File { path, .. } => Some(path.as_str()),
            _ => None,
        })
        .collect();
    let summary = Summary {
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
        files_with_findings: files.len(),
        suppressed,
        load_balancers,
    };
    let mut report = LintReport::new(snap, findings, summary);
    report.snippets = snippets;
    report
}

/// The lines of the texts read, found through an index of line starts built
/// once per file on first use (a finding costs no scan of its file).
struct SourceLines<'s> {
    snap: &'s Snapshot,
    starts: HashMap<&'s str, Vec<usize>>,
}

impl<'s> SourceLines<'s> {
    fn new(snap: &'s Snapshot) -> Self {
        SourceLines {
            snap,
            starts: HashMap::new(),
        }
    }

    /// The line a finding points at, when its object was read from text.
    fn snippet(&mut self, f: &Finding) -> Option<Snippet> {
        let span = f.span?;
        let label = match &f.origin {
            Origin::File { path, .. } => path.as_str(),
            Origin::Demo { .. } => "demo",
            Origin::Live { .. } => return None,
        };
        let (key, text) = self.snap.texts.get_key_value(label)?;
        let starts = self
            .starts
            .entry(key.as_str())
            .or_insert_with(|| crate::yaml::line_starts(text).collect());
        let start = *starts.get(span.line - 1)?;
        let end = starts.get(span.line).map_or(text.len(), |e| e - 1);
        Some(Snippet::new(span.line, &text[start..end], span.column))
    }
}

/// Whether a finding's object is in the namespaces looked at (objects
/// without namespace always are).
fn in_scope(snap: &Snapshot, f: &Finding) -> bool {
    f.object.namespace.is_empty() || snap.scope.includes(&f.object.namespace)
}

/// Findings in reading order: by file and position (or, live, by object),
/// then by code.
fn sort_key(f: &Finding) -> (String, usize, usize, &str, &str, &str, Code) {
    let (place, line) = match &f.origin {
        Origin::File { path, line } => (path.clone(), *line),
        Origin::Demo { line } => (String::new(), *line),
        Origin::Live { context } => (context.clone(), 0),
    };
    let (line, column) = f.span.map_or((line, 0), |s| (s.line, s.column));
    (
        place,
        line,
        column,
        &f.object.namespace,
        &f.object.name,
        f.field.as_deref().unwrap_or(""),
        f.code,
    )
}

/// How many LoadBalancer Services are in scope, and how many load balancers
/// they make (the model's groups of Services that share one,
/// [`crate::model::load_balancer::shared_groups`]).
fn count_load_balancers(snap: &Snapshot, views: &[ServiceView<'_>]) -> LoadBalancerCount {
    let in_scope: Vec<&ServiceView> = views
        .iter()
        .filter(|v| v.load_balancer.is_some() && snap.scope.includes(&v.namespace))
        .collect();
    LoadBalancerCount {
        services: in_scope.len(),
        load_balancers: crate::model::load_balancer::shared_groups(in_scope).len(),
    }
}

/// Whether an object was read back from a cluster (live, the demo cluster, or a manifest that
/// `kubectl get -o yaml` wrote): then the fields the API server fills in,
/// such as nodePort, are not the author's choice.
pub(crate) fn read_back<T: kube::Resource>(o: &crate::model::Located<T>) -> bool {
    let m = o.object.meta();
    matches!(o.origin, Origin::Live { .. } | Origin::Demo { .. })
        || m.uid.is_some()
        || m.resource_version.is_some()
        || m.creation_timestamp.is_some()
}
