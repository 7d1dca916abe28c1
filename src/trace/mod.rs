//! Trace: the path one packet takes through a Service's layers, from the
//! outside in (load balancer → node:nodePort → cluster IP → endpoint pod
//! IP:targetPort → container port), with a verdict at every hop: `ok`, `warn`
//! or `broken`, a reason in plain words, and a hint where one exists.
//!
//! A pure function of the [`Snapshot`]: no I/O, no printing. One module per
//! concern: [`target`] resolves TARGET; [`hops`] builds a Service's paths from
//! the ways in (`entry`), [`nodes`], the Service's own layer
//! (`service_layer`) and [`backends`]; [`verdict`] holds the rules that turn
//! facts into verdicts; [`selector_hint`](crate::model::selector_hint) suggests the selector a user
//! probably meant; [`report`] is the plain-data result.
//! [`probe`] is the exception: the opt-in `--probe` connects to hops, after the
//! analysis, and only adds observations beside the computed verdicts.

pub mod backends;
mod entry;
pub mod hops;
pub mod nodes;
pub mod probe;
pub mod report;
mod service_layer;
pub mod target;
pub mod verdict;

use crate::model::Snapshot;
use crate::model::selector_hint::SelectorHint;
use nodes::NodeTable;
use report::{Counts, SCHEMA, TraceReport};
use std::collections::{BTreeMap, HashMap};
pub use target::TargetError;
pub use verdict::Verdict;

/// Label pairs of a namespace's pods, with how many pods carry each.
type LabelPairs<'a> = Vec<((&'a str, &'a str), usize)>;

/// What a run needs beyond the snapshot, computed once: node facts, and the
/// label pairs of namespaces where a selector suggestion was needed.
pub struct Context<'a> {
    pub snap: &'a Snapshot,
    pub nodes: NodeTable,
    label_pairs: HashMap<String, LabelPairs<'a>>,
}

impl<'a> Context<'a> {
    /// Reads what every Service's trace shares (node facts) once.
    pub fn new(snap: &'a Snapshot) -> Self {
        Context {
            snap,
            nodes: NodeTable::build(snap),
            label_pairs: HashMap::new(),
        }
    }

    /// The selector nearest to `selector` that matches pods in `namespace`.
    pub fn pod_selector_hint(
        &mut self,
        namespace: &str,
        selector: &BTreeMap<String, String>,
    ) -> Option<SelectorHint> {
        let snap = self.snap;
        let pairs = self
            .label_pairs
            .entry(namespace.to_string())
            .or_insert_with(|| snap.pod_label_counts(namespace));
        snap.pod_selector_hint_among(pairs, namespace, selector)
    }
}

/// Traces TARGET (every Service in scope when `None`), optionally one port.
pub fn trace(
    snap: &Snapshot,
    target: Option<&str>,
    port: Option<&str>,
) -> Result<TraceReport, TargetError> {
    let resolved = target::resolve(snap, target, port)?;
    let mut ctx = Context::new(snap);
    let services: Vec<_> = resolved
        .selections
        .iter()
        .map(|sel| hops::trace_service(&mut ctx, &snap.services[sel.service], sel))
        .collect();
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
        target: resolved.info,
        verdict: Verdict::worst(services.iter().map(|s| s.verdict)),
        counts,
        services,
        limits: limits(snap, &ctx),
        notices: snap.notices.clone(),
        probed: false,
    })
}

/// What this snapshot cannot tell, said once rather than on every hop.
fn limits(snap: &Snapshot, ctx: &Context) -> Vec<String> {
    let mut out = Vec::new();
    if !ctx.nodes.known {
        out.push(
            "no Nodes in the input: node hops stand for every node, and node readiness is unknown"
                .to_string(),
        );
    }
    match (snap.pods_known, snap.endpoint_slices_known) {
        (false, false) => out.push(
            "no Pods or EndpointSlices in the input: workloads' pod templates stand in for pods; pod IPs, nodes and \
             readiness are known only in a cluster"
                .to_string(),
        ),
        (false, true) => out.push(
            "EndpointSlices without Pods in the input: container ports cannot be checked against pod specs".to_string(),
        ),
        _ => {}
    }
    out
}
