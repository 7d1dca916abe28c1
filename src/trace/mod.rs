//! Trace: the path one packet takes through a Service's layers, from the
//! outside in (load balancer → node:nodePort → cluster IP → endpoint pod
//! IP:targetPort → container port), with a verdict at every hop: `ok`, `warn`
//! or `broken`, a reason in plain words, and a hint where one exists.
//!
//! A pure function of the [`Snapshot`]: no I/O, no printing. It arranges the
//! model's [`ServiceView`](crate::model::view::ServiceView) as hops; verdicts
//! come from the view's findings and endpoint states, never from a rule of
//! trace's own. One module per part of the path: [`target`] resolves TARGET;
//! [`hops`] links a Service's paths from the ways in (`entry`), [`nodes`],
//! the Service's own layer (`service_layer`) and [`backends`]; [`report`] is
//! the plain-data result. [`probe`] is the exception: the opt-in `--probe`
//! connects to hops, after the analysis, and only adds observations beside
//! the computed verdicts.

pub(crate) mod backends;
mod entry;
pub(crate) mod from;
pub(crate) mod hop_id;
pub(crate) mod hop_name;
pub(crate) mod hops;
pub(crate) mod nodes;
mod policies;
pub(crate) mod probe;
pub(crate) mod report;
mod routes;
mod service_layer;
pub(crate) mod target;
pub(crate) mod verdict;

use crate::model::Snapshot;
use crate::model::view::Semantics;
use report::{Counts, SCHEMA, TraceReport};
pub(crate) use target::TargetError;
pub use verdict::Verdict;

/// Traces TARGET (every Service in scope when `None`), optionally one port.
pub fn trace(
    snap: &Snapshot,
    target: Option<&str>,
    port: Option<&str>,
) -> Result<TraceReport, TargetError> {
    trace_from(snap, target, port, None)
}

/// Traces TARGET as [`trace`] does; with `from` (`--from NAMESPACE[/POD]`),
/// from that source inside the cluster, its own egress policies applied.
pub(crate) fn trace_from(
    snap: &Snapshot,
    target: Option<&str>,
    port: Option<&str>,
    from: Option<&str>,
) -> Result<TraceReport, TargetError> {
    let sem = Semantics::new(snap);
    let mut resolved = target::resolve(&sem, target, port)?;
    let mut templates = false;
    let from = from.map(|f| from::resolve(snap, f)).transpose()?;
    if from.is_some() {
        // A pod inside the cluster reaches a Service at its cluster IP (or
        // DNS name): the other ways in do not start at a pod.
        for sel in &mut resolved.selections {
            if !matches!(sel.entry, target::Entry::ClusterIp(_)) {
                sel.entry = target::Entry::ClusterIp(None);
            }
        }
    }
    let services: Vec<_> = resolved
        .selections
        .iter()
        .map(|sel| {
            let v = sem.view(sel.service);
            templates |= v.backends.source == crate::model::endpoints::BackendSource::PodTemplates;
            let answers = match (&from, &sem.policies) {
                (Some(f), Some(p)) => Some(p.answer_for(&v, f.class.clone(), &f.source())),
                _ => None,
            };
            hops::trace_service(&sem, &v, sel, answers.as_ref())
        })
        .collect();
    let mut limits = limits(&sem, &services, templates);
    if let Some(f) = &from {
        limits.extend(f.unread(snap));
    }
    let mut counts = Counts::default();
    for s in &services {
        match s.verdict {
            Verdict::Ok => counts.ok += 1,
            Verdict::Warn => counts.warn += 1,
            Verdict::Broken => counts.broken += 1,
        }
    }
    Ok(TraceReport {
        schema: SCHEMA,
        source: snap.source.clone(),
        clusters: Vec::new(),
        target: resolved.info,
        from: from.map(|f| f.class),
        verdict: Verdict::worst(services.iter().map(|s| s.verdict)),
        counts,
        services,
        limits,
        notices: snap.notices.clone(),
        probed: false,
    })
}

/// What this snapshot cannot tell, said once rather than on every hop, and
/// only where the trace shows it: nodes where it has node hops, pod
/// templates where they stand in for pods, policies where they answered for
/// an unnamed pod.
fn limits(sem: &Semantics, services: &[report::ServiceTrace], templates: bool) -> Vec<String> {
    let snap = sem.snap;
    let mut out = Vec::new();
    let hops = || services.iter().flat_map(|s| &s.paths).flat_map(|p| &p.hops);
    let node_hops = hops().any(|h| h.kind == report::HopKind::Node);
    // Said where a policy answered for some pod of the cluster, unnamed.
    let unnamed = hops().flat_map(|h| &h.admissions).any(|a| {
        a.source == crate::model::policy::SourceClass::InCluster && a.decision.involves_policies()
    });
    if unnamed {
        out.push(
            "network policies: a source inside the cluster is some pod, not told which: its own egress \
             policies are not applied (name one with --from NAMESPACE[/POD])"
                .to_string(),
        );
    }
    if !sem.nodes.known && node_hops {
        out.push(
            "no Nodes in the input: node hops stand for every node, and node readiness is unknown"
                .to_string(),
        );
    }
    if snap.pods.is_empty() && !snap.pods_known {
        if snap.endpoint_slices.is_empty() && templates {
            out.push(
                "no Pods or EndpointSlices in the input: workloads' pod templates stand in for pods; pod IPs, nodes \
                 and readiness are known only in a cluster"
                    .to_string(),
            );
        } else if !snap.endpoint_slices.is_empty() {
            out.push(
                "EndpointSlices without Pods in the input: container ports cannot be checked against pod specs"
                    .to_string(),
            );
        }
    }
    out
}
