//! The inner layers of a path: the Service's endpoints as a whole, each
//! endpoint (pod IP and port), and the container port inside each pod.
//!
//! Endpoints come from [`Snapshot::backends`], the view explain uses too, so
//! both always agree on what a Service sends to. This module only judges them.

use super::Context;
use super::report::{EndpointCounts, Hop, HopKind};
use super::verdict::{Verdict, endpoints_verdict, target_verdict};
use crate::model::endpoints::{Backend, BackendSource, Backends};
use crate::model::ports::{TargetStatus, format_int_or_string, protocol, target_port};
use crate::model::selector::format_selector;
use crate::model::selector_hint::SelectorHint;
use crate::model::slim::SlimContainer;
use k8s_openapi::api::core::v1::ServicePort;
use std::collections::BTreeMap;

/// What a Service's endpoint layer needs to know, gathered once per Service.
pub struct ServiceBackends<'a> {
    pub namespace: &'a str,
    pub name: &'a str,
    pub selector: &'a BTreeMap<String, String>,
    pub backends: &'a Backends,
    pub headless: bool,
    pub publish_not_ready: bool,
}

/// The endpoint layer of one Service port: the summary hop first, then one
/// endpoint hop and (for pods) one container hop per backend.
pub fn endpoint_hops(
    ctx: &mut Context,
    sb: &ServiceBackends,
    port: Option<(usize, &ServicePort)>,
    empty: &mut Option<EmptyReason>,
) -> Vec<Hop> {
    let items = &sb.backends.items;
    let mut counts = EndpointCounts {
        total: items.len(),
        ..Default::default()
    };
    let mut endpoints = Vec::with_capacity(items.len());
    let mut containers = Vec::with_capacity(items.len());
    let mut by_port: BTreeMap<i32, usize> = BTreeMap::new();
    let mut not_ready_names = Vec::new();
    let mut terminating_names = Vec::new();
    for (i, b) in items.iter().enumerate() {
        let resolution = port
            .and_then(|(pi, _)| b.ports.get(pi))
            .map(|bp| &bp.resolution);
        let resolved_port = resolution.and_then(|r| r.port);
        let unresolved = port.is_some() && resolved_port.is_none();
        let on_bad_node = b.node.as_deref().is_some_and(|n| ctx.nodes.is_not_ready(n));
        match (&b.conditions, unresolved) {
            (_, true) => counts.unresolved += 1,
            (None, _) => counts.unknown += 1,
            (Some(c), _) if c.terminating => {
                if c.serving {
                    counts.terminating += 1;
                } else {
                    counts.not_ready += 1;
                }
                terminating_names.push(label(b));
            }
            (Some(c), _) if c.ready && !on_bad_node => counts.ready += 1,
            (Some(_), _) => {
                counts.not_ready += 1;
                not_ready_names.push(label(b));
            }
        }
        if let Some(p) = resolved_port {
            *by_port.entry(p).or_default() += 1;
        }
        let ep_id = format!("ep{i}");
        let mut ep = endpoint_hop(ctx, sb, b, on_bad_node, ep_id.clone())
            .at(b.addresses.first().cloned(), resolved_port);
        if unresolved {
            ep = ep.note("its targetPort does not resolve, so it gets no endpoint for this port");
        }
        if b.addresses.len() > 1 {
            ep = ep.note(format!("also at {}", b.addresses[1..].join(", ")));
        }
        if let (Some((_, sp)), true) = (port, b.pod.is_some() || b.workload.is_some()) {
            let ctr_id = format!("ctr{i}");
            ep.next.push(ctr_id.clone());
            containers.push(container_hop(ctx, sb, b, sp, resolution, ctr_id));
        }
        endpoints.push(ep);
    }

    let mut summary = summary_hop(
        ctx,
        sb,
        port,
        &counts,
        (&not_ready_names, &terminating_names),
        empty,
    );
    if let (Some((_, sp)), true) = (port, by_port.len() > 1) {
        let spread: Vec<String> = by_port
            .iter()
            .map(|(p, n)| format!("{p} on {n} pod{}", if *n == 1 { "" } else { "s" }))
            .collect();
        summary = summary.note(format!(
            "targetPort `{}` resolves per pod: {}",
            format_int_or_string(&target_port(sp)),
            spread.join(", ")
        ));
    }
    summary.next = endpoints.iter().map(|h| h.id.clone()).collect();
    let mut hops = vec![summary];
    // Endpoint hops, each followed by its container hop.
    let mut containers = containers.into_iter().peekable();
    for ep in endpoints {
        let next = ep.next.first().cloned();
        hops.push(ep);
        if let Some(id) = next
            && containers.peek().is_some_and(|c| c.id == id)
            && let Some(c) = containers.next()
        {
            hops.push(c);
        }
    }
    hops
}

/// How a backend is named in messages.
fn label(b: &Backend) -> String {
    b.pod
        .clone()
        .or_else(|| b.workload.clone())
        .or_else(|| b.addresses.first().cloned())
        .unwrap_or_else(|| "an endpoint".to_string())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary_hop(
    ctx: &mut Context,
    sb: &ServiceBackends,
    port: Option<(usize, &ServicePort)>,
    c: &EndpointCounts,
    (not_ready, terminating): (&[String], &[String]),
    empty: &mut Option<EmptyReason>,
) -> Hop {
    let numeric_target = port.and_then(|(_, sp)| match target_port(sp) {
        k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(n) => Some(n),
        k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s) => s.parse().ok(),
    });
    let verdict = endpoints_verdict(c, sb.headless && sb.publish_not_ready);
    let source = match sb.backends.source {
        BackendSource::EndpointSlices => "from its EndpointSlices",
        BackendSource::Pods => {
            "from the pods its selector matches (no EndpointSlices in the input)"
        }
        BackendSource::PodTemplates => {
            "from the pod templates of the workloads its selector matches"
        }
        BackendSource::None => "",
    };
    let names = |list: &[String]| {
        let shown: Vec<&str> = list.iter().take(3).map(String::as_str).collect();
        let more = list.len().saturating_sub(3);
        if more > 0 {
            format!("{} and {more} more", shown.join(", "))
        } else {
            shown.join(", ")
        }
    };
    let mut which = Vec::new();
    if !not_ready.is_empty() {
        which.push(format!("not ready: {}", names(not_ready)));
    }
    if !terminating.is_empty() {
        which.push(format!("terminating: {}", names(terminating)));
    }
    let which = which.join("; ");
    let mut hop =
        Hop::new("endpoints", HopKind::Endpoints, verdict, String::new()).at(None, numeric_target);
    hop.endpoints = Some(*c);
    if c.total == 0 {
        let why = empty.get_or_insert_with(|| why_empty(ctx, sb));
        hop.verdict = why.verdict;
        hop.reason = why.reason.clone();
        hop.hint = why.hint.clone();
        return hop;
    }
    let resolved = c.total - c.unresolved;
    if resolved == 0 {
        let tp = port
            .map(|(_, sp)| format_int_or_string(&target_port(sp)))
            .unwrap_or_default();
        hop.reason = if c.total == 1 {
            format!("no endpoint for this port: targetPort `{tp}` does not resolve on its only pod")
        } else {
            format!(
                "no endpoint for this port: targetPort `{tp}` resolves on none of its {} pods",
                c.total
            )
        };
        hop.hint = Some("each container hop says which ports its pod declares".to_string());
        return hop;
    }
    hop.reason = if c.unknown == resolved && sb.backends.source == BackendSource::PodTemplates {
        format!(
            "{} would back this port; pod IPs, nodes and readiness are known only in a cluster",
            plural(c.unknown, "workload", "workloads")
        )
    } else if c.unknown == resolved {
        format!(
            "{}, readiness not reported",
            plural(c.unknown, "endpoint", "endpoints")
        )
    } else if c.ready == resolved {
        format!(
            "{} ready, {source}",
            plural(c.ready, "endpoint", "endpoints")
        )
    } else if c.ready == 0 && c.unknown == 0 {
        let mut r = format!("no ready endpoint ({which})");
        if c.terminating > 0 {
            r.push_str("; terminating endpoints that still serve get the traffic until they exit");
        } else if sb.headless && sb.publish_not_ready {
            r.push_str("; DNS still lists them (publishNotReadyAddresses)");
        } else {
            hop.hint = Some("see why with `kubectl describe pod` on them; traffic resumes when a readiness probe passes".to_string());
        }
        r
    } else {
        let mut r = format!("{} of {resolved} endpoints ready", c.ready);
        if !which.is_empty() {
            r.push_str(&format!(" ({which})"));
        }
        r
    };
    if c.unresolved > 0 && resolved > 0 {
        hop.notes.push(format!(
            "{} get no endpoint for this port: the targetPort does not resolve on them",
            plural(c.unresolved, "pod", "pods")
        ));
    }
    hop
}

fn endpoint_hop(
    ctx: &Context,
    sb: &ServiceBackends,
    b: &Backend,
    on_bad_node: bool,
    id: String,
) -> Hop {
    let mut hop = Hop::new(id, HopKind::Endpoint, Verdict::Ok, String::new()).name(label(b));
    hop.node = b.node.clone();
    let on = b
        .node
        .as_deref()
        .map(|n| format!(", on {n}"))
        .unwrap_or_default();
    match (&b.workload, &b.conditions) {
        (Some(w), _) => {
            let (verdict, reason) = match b.replicas {
                Some(0) => (
                    Verdict::Warn,
                    format!("{w} has replicas: 0, so there are no pods to send to"),
                ),
                Some(n) => (
                    Verdict::Ok,
                    format!(
                        "{w} ({}) stands in for its pods; their IPs exist only in a cluster",
                        plural(n as usize, "replica", "replicas")
                    ),
                ),
                None => (
                    Verdict::Ok,
                    format!("{w} stands in for its pods; their IPs exist only in a cluster"),
                ),
            };
            hop.verdict = verdict;
            hop.reason = reason;
        }
        (None, None) => {
            hop.reason = format!("readiness not reported (the pod has no Ready condition){on}");
        }
        (None, Some(c)) => {
            let dns_lists = sb.headless && sb.publish_not_ready;
            let (verdict, reason, hint) = if c.terminating {
                if c.serving {
                    (
                        Verdict::Warn,
                        format!(
                            "terminating but still serving{on}: gets traffic only while no ready endpoint is left"
                        ),
                        None,
                    )
                } else {
                    (
                        Verdict::Warn,
                        format!("terminating{on}: no longer serving, gets no traffic"),
                        None,
                    )
                }
            } else if !c.ready {
                let reason = if dns_lists {
                    format!("not ready{on}; DNS still lists it (publishNotReadyAddresses)")
                } else {
                    format!("not ready{on}: gets no traffic until its readiness probe passes")
                };
                let hint = b.pod.as_ref().map(|p| {
                    format!(
                        "see why with `kubectl describe pod {p} -n {}`",
                        sb.namespace
                    )
                });
                (Verdict::Warn, reason, hint)
            } else if on_bad_node {
                let node = b.node.as_deref().unwrap_or_default();
                (
                    Verdict::Warn,
                    format!(
                        "runs on {node}, which is NotReady: it may still be listed, but traffic to it may fail"
                    ),
                    Some(format!("see the node with `kubectl describe node {node}`")),
                )
            } else {
                (Verdict::Ok, format!("ready{on}"), None)
            };
            hop.verdict = verdict;
            hop.reason = reason;
            hop.hint = hint;
            if b.pod.is_none() {
                hop.notes.push("not a pod: an address written into an EndpointSlice by hand or by another controller".to_string());
            } else if b
                .node
                .as_deref()
                .is_some_and(|n| ctx.nodes.known && ctx.nodes.get(n).is_none())
            {
                hop.notes
                    .push("its node is not among the Nodes read".to_string());
            }
        }
    }
    hop
}

fn container_hop(
    ctx: &Context,
    sb: &ServiceBackends,
    b: &Backend,
    sp: &ServicePort,
    resolution: Option<&crate::model::ports::TargetResolution>,
    id: String,
) -> Hop {
    let proto = protocol(sp.protocol.as_ref());
    let tp = format_int_or_string(&target_port(sp));
    let spec: Option<&[SlimContainer]> = match (&b.pod, &b.workload) {
        (Some(p), _) => ctx.snap.pod(sb.namespace, p).map(|p| p.object.containers()),
        (None, Some(w)) => ctx
            .snap
            .workloads_in(sb.namespace)
            .find(|x| format!("{}/{}", x.kind, x.name) == *w)
            .map(|x| x.containers.as_slice()),
        (None, None) => None,
    };
    let address = b.addresses.first().cloned();
    let Some(r) = resolution else {
        return Hop::new(id, HopKind::Container, Verdict::Ok, "no port to resolve")
            .at(address, None);
    };
    let mut hop = Hop::new(
        id,
        HopKind::Container,
        target_verdict(&r.status),
        String::new(),
    )
    .at(address, r.port);
    hop.name = r.container.clone();
    hop.node = b.node.clone();
    if spec.is_none() {
        // A pod named by an EndpointSlice but not read: the slice is all we know.
        match r.port {
            Some(p) => {
                hop.verdict = Verdict::Ok;
                hop.reason = format!(
                    "the EndpointSlice sends to port {p}; the pod's spec is not in the input, so its container ports cannot be checked"
                );
            }
            None => {
                hop.verdict = Verdict::Broken;
                hop.reason = format!(
                    "the EndpointSlice has no port for this Service port: targetPort `{tp}` did not resolve on this pod"
                );
            }
        }
        return hop;
    }
    let named = r
        .container
        .as_deref()
        .map(|c| format!("container `{c}`"))
        .unwrap_or_default();
    hop.reason = match &r.status {
        TargetStatus::Declared => {
            let p = r.port.unwrap_or_default();
            if tp.parse::<i32>().is_ok() {
                format!("{named} declares {p}/{proto}")
            } else {
                format!("{named} declares `{tp}` as {p}/{proto}")
            }
        }
        TargetStatus::Undeclared => {
            let p = r.port.unwrap_or_default();
            hop.hint = Some(format!(
                "declare `containerPort: {p}` so that readers and tools can see it"
            ));
            format!(
                "no container declares {p}/{proto}; that is optional for a numeric targetPort, so traffic still goes \
                 there: make sure the app listens on it"
            )
        }
        TargetStatus::NameNotFound { name } => {
            let declared = spec.map(declared_ports).unwrap_or_default();
            hop.hint = Some(if declared.is_empty() {
                format!(
                    "the pod declares no named ports: name a container port `{name}`, or use a number as targetPort"
                )
            } else {
                format!(
                    "the pod declares {}: set targetPort to one of these, or name the container port `{name}`",
                    declared.join(", ")
                )
            });
            format!(
                "no container declares a port named `{name}` for {proto}: this pod gets no endpoint for this port"
            )
        }
        TargetStatus::ProtocolMismatch { declared } => {
            let at = r.port.map(|p| p.to_string()).unwrap_or_else(|| tp.clone());
            hop.hint = Some(format!(
                "make the protocols match: `protocol: {declared}` on the Service port, or declare the container port \
                 with `protocol: {proto}` if the app listens on {proto}"
            ));
            format!(
                "{named} declares {at} as {declared}, but the Service port is {proto}: nothing listens for {proto} there"
            )
        }
    };
    hop
}

/// `name (number/PROTO)` for every named container port of a pod.
fn declared_ports(spec: &[SlimContainer]) -> Vec<String> {
    spec.iter()
        .filter(|c| !c.sidecar)
        .flat_map(|c| c.ports.iter())
        .filter_map(|p| {
            let name = p.name.as_deref()?;
            Some(format!("`{name}` ({}/{})", p.port, p.protocol))
        })
        .collect()
}

/// Why a Service has no endpoints at all, found once per Service.
#[derive(Clone, Debug)]
pub struct EmptyReason {
    pub verdict: Verdict,
    pub reason: String,
    pub hint: Option<String>,
}

fn why_empty(ctx: &mut Context, sb: &ServiceBackends) -> EmptyReason {
    let snap = ctx.snap;
    let (ns, name) = (sb.namespace, sb.name);
    let has_slices = !snap.slices_for(ns, name).is_empty();
    if sb.selector.is_empty() {
        return if has_slices {
            EmptyReason {
                verdict: Verdict::Broken,
                reason: "no selector, and its EndpointSlices list no endpoints: traffic has nowhere to go".into(),
                hint: Some("whoever manages its EndpointSlices must add endpoints; or give the Service a selector".into()),
            }
        } else if snap.endpoint_slices_known {
            EmptyReason {
                verdict: Verdict::Broken,
                reason: format!(
                    "no selector, and no EndpointSlice labelled kubernetes.io/service-name={name}: traffic has nowhere to go"
                ),
                hint: Some(
                    "create an EndpointSlice with that label, or give the Service a selector"
                        .into(),
                ),
            }
        } else {
            EmptyReason {
                verdict: Verdict::Warn,
                reason: "no selector: its endpoints come from EndpointSlices managed by hand or by another controller, \
                         and the input has none"
                    .into(),
                hint: Some(format!(
                    "include them: `kubectl get endpointslices -n {ns} -l kubernetes.io/service-name={name} -o yaml`"
                )),
            }
        };
    }
    let sel = format_selector(sb.selector);
    if snap.pods_known {
        let matching = snap.pods_selected_by(ns, sb.selector).len();
        if matching > 0 {
            return EmptyReason {
                verdict: Verdict::Broken,
                reason: format!(
                    "{} match `{sel}`, but no EndpointSlice lists them",
                    plural(matching, "pod", "pods")
                ),
                hint: Some(format!(
                    "pods without an IP yet, or an EndpointSlice controller that is behind: \
                     `kubectl get endpointslices -n {ns} -l kubernetes.io/service-name={name}`"
                )),
            };
        }
        let hint = ctx.pod_selector_hint(ns, sb.selector);
        return EmptyReason {
            verdict: Verdict::Broken,
            reason: format!("selector `{sel}` matches no pods in namespace `{ns}`"),
            hint: Some(match hint {
                Some(h) => describe_hint(&h, "pod", "pods"),
                None => format!(
                    "compare with the pods' labels: `kubectl get pods -n {ns} --show-labels`"
                ),
            }),
        };
    }
    if snap.endpoint_slices_known {
        return EmptyReason {
            verdict: Verdict::Broken,
            reason: "its EndpointSlices list no endpoints".into(),
            hint: Some(format!(
                "check which pods carry `{sel}`: `kubectl get pods -n {ns} -l {sel}`"
            )),
        };
    }
    match ctx.snap.workload_selector_hint(ns, sb.selector) {
        Some(h) => EmptyReason {
            verdict: Verdict::Broken,
            reason: format!("selector `{sel}` matches no pod template in namespace `{ns}`"),
            hint: Some(describe_hint(&h, "workload", "workloads")),
        },
        None => EmptyReason {
            verdict: Verdict::Warn,
            reason: format!(
                "no pod or workload in the input carries `{sel}`; its pods may be created elsewhere"
            ),
            hint: Some(
                "include the workloads that create its pods, or trace a live cluster".into(),
            ),
        },
    }
}

fn describe_hint(h: &SelectorHint, one: &str, many: &str) -> String {
    format!(
        "{} {} `{}`; did you mean that? ({})",
        plural(h.matches, one, many),
        if h.matches == 1 { "carries" } else { "carry" },
        format_selector(&h.selector),
        h.changes_text()
    )
}
