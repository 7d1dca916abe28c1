//! The inner layers of a path: the endpoint set of a Service port as a
//! whole, each endpoint (pod IP and port), and the container port inside each
//! pod. The set, its counts and its findings come from the model's view (the
//! one explain shows), so both always agree on what a Service sends to; this
//! module only lays them out as hops.

use super::report::{Hop, HopId, HopKind, HopName};
use super::verdict::Verdict;
use crate::model::Snapshot;
use crate::model::endpoints::{Backend, BackendSource, EndpointCounts, EndpointState, Receivers};
use crate::model::finding::{Code, Finding, Severity};
use crate::model::nodes::Family;
use crate::model::policy::SourceAdmissions;
use crate::model::ports::{TargetResolution, TargetStatus};
use crate::model::slim::SlimContainer;
use crate::model::view::{Semantics, ServiceView, receives};
use std::collections::BTreeMap;

/// Findings shown on the endpoints hop.
const ENDPOINT_CODES: &[Code] = &[
    Code::SelectorMatchesNoPods,
    Code::BackendsNotInInput,
    Code::WorkloadScaledToZero,
    Code::NoReadyEndpoints,
    Code::EndpointsNotReady,
    Code::OnlyTerminatingEndpoints,
    Code::SelectorlessWithoutEndpoints,
    Code::EndpointOnNotReadyNode,
    Code::TargetPortNameNotFound,
    Code::SlicePortMissing,
];

/// The endpoint layer of one Service port (`None`: a Service without ports):
/// the summary hop first, then one endpoint hop and (for pods and templates)
/// one container hop per backend. `family`: only endpoints of this IP family
/// (a trace that entered at a cluster IP of that family).
pub(crate) fn endpoint_hops(
    sem: &Semantics,
    v: &ServiceView,
    port: Option<usize>,
    family: Option<Family>,
    sources: &[&SourceAdmissions],
) -> Vec<Hop> {
    let b = &v.backends;
    let pe = port.and_then(|i| v.port_endpoints(i));
    let counts = pe.map(|pe| pe.counts).unwrap_or(EndpointCounts {
        total: b.items.len(),
        ..Default::default()
    });
    let receivers = pe.map_or(Receivers::Unknown, |pe| pe.receivers);
    let mut findings: Vec<&Finding> = v
        .findings_for_port(port)
        .filter(|f| {
            ENDPOINT_CODES.contains(&f.code)
                || (f.code == Code::ProtocolMismatch && f.severity == Severity::Error)
        })
        .collect();
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let mut summary = Hop::new(HopId::Endpoints, HopKind::Endpoints, Verdict::Ok, "")
        .at(None, port.and_then(|i| v.numeric_target(i)));
    summary.endpoints = Some(counts);
    summary = summary.with_findings(findings.iter().copied());
    if summary.reason.is_empty() {
        summary.reason = healthy_reason(v, &counts);
    }
    if let Some(i) = port {
        super::policies::summary(&mut summary, v, i, sources, true);
    }
    if let Some(i) = port {
        let mut by_port: BTreeMap<i32, usize> = BTreeMap::new();
        for &k in pe.map(|pe| pe.members.as_slice()).unwrap_or_default() {
            if let Some(p) = b.items[k].ports[i].resolution.port {
                *by_port.entry(p).or_default() += 1;
            }
        }
        if by_port.len() > 1 {
            let spread: Vec<String> = by_port
                .iter()
                .map(|(p, n)| format!("{p} on {n} pod{}", if *n == 1 { "" } else { "s" }))
                .collect();
            summary = summary.note(format!(
                "targetPort `{}` resolves per pod: {}",
                v.target_label(i),
                spread.join(", ")
            ));
        }
    }
    let mut hops = vec![summary];
    let mut next = Vec::new();
    for (k, backend) in b.items.iter().enumerate() {
        let address = match family {
            Some(f) if !backend.addresses.is_empty() => {
                match backend.addresses.iter().find(|a| Family::of(a) == Some(f)) {
                    Some(a) => Some(a.clone()),
                    None => continue,
                }
            }
            _ => backend.addresses.first().cloned(),
        };
        let resolution = port.map(|i| &backend.ports[i].resolution);
        let ep_id = HopId::Endpoint(k);
        next.push(ep_id.clone());
        let mut ep = endpoint_hop(sem, v, backend, receivers, &findings, ep_id)
            .at(address.clone(), resolution.and_then(|r| r.port));
        if resolution.is_some_and(|r| r.port.is_none()) {
            ep = ep.note("its targetPort does not resolve, so it is no endpoint of this port");
        }
        if let Some(i) = port {
            super::policies::endpoint(&mut ep, k, i, sources);
        }
        let others: Vec<&String> = backend
            .addresses
            .iter()
            .filter(|a| Some(*a) != address.as_ref())
            .collect();
        if !others.is_empty() {
            ep = ep.note(format!(
                "also at {}",
                others
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let container = match (
            port,
            resolution,
            backend.pod.is_some() || backend.workload.is_some(),
        ) {
            (Some(i), Some(r), true) => {
                let id = HopId::Container(k);
                ep.next.push(id.clone());
                Some(
                    container_hop(sem.snap, v, backend, i, r, counts.total, id).at(address, r.port),
                )
            }
            _ => None,
        };
        hops.push(ep);
        hops.extend(container);
    }
    hops[0].next = next;
    hops
}

/// The endpoints hop's reason when nothing is wrong.
fn healthy_reason(v: &ServiceView, c: &EndpointCounts) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match v.backends.source {
        BackendSource::PodTemplates => format!(
            "{} would back this port; pod IPs, nodes and readiness are known only in a cluster",
            plural(c.unknown, "workload", "workloads")
        ),
        BackendSource::EndpointSlices | BackendSource::Pods | BackendSource::MirroredEndpoints => {
            let mut r = format!("{} ready", plural(c.ready, "endpoint", "endpoints"));
            if c.published > 0 {
                r.push_str(&format!(
                    ", {} not ready but published (publishNotReadyAddresses)",
                    c.published
                ));
            }
            r.push_str(match v.backends.source {
                BackendSource::Pods => {
                    ", from the pods its selector matches (no EndpointSlices for it in the input)"
                }
                BackendSource::MirroredEndpoints => {
                    ", from its Endpoints, which the EndpointSlice mirroring controller copies into slices"
                }
                _ => ", from its EndpointSlices",
            });
            r
        }
        BackendSource::None => "no endpoints".to_string(),
    }
}

fn endpoint_hop(
    sem: &Semantics,
    v: &ServiceView,
    b: &Backend,
    receivers: Receivers,
    raised: &[&Finding],
    id: HopId,
) -> Hop {
    let mut hop = Hop::new(id, HopKind::Endpoint, Verdict::Ok, String::new()).name(b.label());
    hop.node = b.node.clone();
    let on = b
        .node
        .as_deref()
        .map(|n| format!(", on {n}"))
        .unwrap_or_default();
    let headless = v.shape == crate::model::view::Shape::Headless;
    let (verdict, reason, hint) = match b.state {
        EndpointState::Unknown => {
            let w = b.workload.clone().unwrap_or_default();
            (
                Verdict::Ok,
                match b.replicas {
                    Some(n) => format!(
                        "{w} ({n} replica{}) stands in for its pods; their IPs exist only in a cluster",
                        if n == 1 { "" } else { "s" }
                    ),
                    None => {
                        format!("{w} stands in for its pods; their IPs exist only in a cluster")
                    }
                },
                None,
            )
        }
        EndpointState::Ready => (Verdict::Ok, format!("ready{on}"), None),
        EndpointState::Published if headless => (
            Verdict::Warn,
            format!("not ready{on}; DNS still lists it (publishNotReadyAddresses)"),
            None,
        ),
        EndpointState::Published => (
            Verdict::Warn,
            format!(
                "not ready{on}, but publishNotReadyAddresses marks it ready: kube-proxy sends it traffic"
            ),
            None,
        ),
        EndpointState::ServingTerminating if receives(b.state, receivers) => (
            Verdict::Warn,
            format!(
                "terminating but still serving{on}: no endpoint is ready, so it gets the traffic until it exits"
            ),
            None,
        ),
        EndpointState::ServingTerminating => (
            Verdict::Warn,
            format!(
                "terminating but still serving{on}: gets traffic only while no ready endpoint is left"
            ),
            None,
        ),
        EndpointState::Terminating => (
            Verdict::Warn,
            format!("terminating{on}: no longer serving, gets no traffic"),
            None,
        ),
        EndpointState::NotReady => (
            Verdict::Warn,
            format!("not ready{on}: gets no traffic until its readiness probe passes"),
            b.pod
                .as_ref()
                .map(|p| format!("see why with `kubectl describe pod {p} -n {}`", v.namespace)),
        ),
    };
    hop.verdict = verdict;
    hop.reason = reason;
    hop.hint = hint;
    // The finding that speaks for this endpoint's state on its port.
    let code = match (b.state, receivers) {
        (EndpointState::Ready | EndpointState::Unknown, _) => None,
        (EndpointState::ServingTerminating, Receivers::TerminatingFallback) => {
            Some(Code::OnlyTerminatingEndpoints)
        }
        (_, Receivers::Nobody) => Some(Code::NoReadyEndpoints),
        _ => Some(Code::EndpointsNotReady),
    };
    // Only a finding the model raised for this port: the model decides
    // which speaks for the port (SVC106 over SVC105 when only terminating
    // endpoints serve), and the hop does not raise another.
    hop.findings
        .extend(code.filter(|c| raised.iter().any(|f| f.code == *c)));
    if b.is_ready()
        && let Some(node) = b.node.as_deref().filter(|n| sem.nodes.is_not_ready(n))
    {
        hop.verdict = Verdict::Warn;
        hop.findings.push(Code::EndpointOnNotReadyNode);
        hop.reason = format!(
            "runs on {node}, which is NotReady: it may still be listed, but traffic to it may fail"
        );
        hop.hint = Some(format!("see the node with `kubectl describe node {node}`"));
    }
    if b.host_network {
        hop = hop.note("host network: the endpoint IP is the node's own IP");
    }
    if b.pod.is_none() && b.workload.is_none() {
        hop = hop.note(
            "not a pod: an address written into an EndpointSlice by hand or by another controller",
        );
    } else if b
        .node
        .as_deref()
        .is_some_and(|n| sem.nodes.known && sem.nodes.get(n).is_none())
    {
        hop = hop.note("its node is not among the Nodes read");
    }
    hop
}

fn container_hop(
    snap: &Snapshot,
    v: &ServiceView,
    b: &Backend,
    i: usize,
    r: &TargetResolution,
    total_left: usize,
    id: HopId,
) -> Hop {
    let proto = v.protocol(i).to_string();
    let tp = v.target_label(i);
    let partial = if total_left == 0 {
        Verdict::Broken
    } else {
        Verdict::Warn
    };
    let named = r
        .container
        .as_deref()
        .map(|c| format!("container `{c}`"))
        .unwrap_or_else(|| "the container".to_string());
    let mut hop = Hop::new(id, HopKind::Container, Verdict::Ok, String::new());
    hop.name = r.container.clone().map(HopName::Named);
    hop.node = b.node.clone();
    let (verdict, code, reason, hint) = match &r.status {
        TargetStatus::Declared => {
            let p = r.port.unwrap_or_default();
            let reason = if tp.parse::<i32>().is_ok() {
                format!("{named} declares {p}/{proto}")
            } else {
                format!("{named} declares `{tp}` as {p}/{proto}")
            };
            (Verdict::Ok, None, reason, None)
        }
        TargetStatus::Unchecked => (
            Verdict::Ok,
            None,
            format!(
                "the EndpointSlice sends to port {}; the pod's spec is not in the input, so its container ports cannot be checked",
                r.port.unwrap_or_default()
            ),
            None,
        ),
        TargetStatus::Undeclared => {
            let p = r.port.unwrap_or_default();
            (
                Verdict::Warn,
                Some(Code::TargetPortNotDeclared),
                format!(
                    "no container declares {p}/{proto}; that is optional for a numeric targetPort, so traffic still goes \
                     there: make sure the app listens on it"
                ),
                Some(format!(
                    "declare `containerPort: {p}` so that readers and tools can see it"
                )),
            )
        }
        TargetStatus::ProtocolMismatch { declared } if r.port.is_some() => (
            Verdict::Warn,
            Some(Code::ProtocolMismatch),
            format!(
                "{named} declares {} as {declared}, but the Service port is {proto}: {proto} packets are still sent \
                 there, so the app must listen for {proto}",
                r.port.unwrap_or_default()
            ),
            Some(format!(
                "make the protocols match: `protocol: {declared}` on the Service port, or declare the container port \
                 with `protocol: {proto}`"
            )),
        ),
        TargetStatus::ProtocolMismatch { declared } => (
            partial,
            Some(Code::ProtocolMismatch),
            format!(
                "{named} declares `{tp}` as {declared}, but the Service port is {proto}: the name does not resolve for \
                 {proto}, so this pod is no endpoint of this port"
            ),
            Some(format!(
                "declare the port `{tp}` with `protocol: {proto}`, or change the Service port's protocol"
            )),
        ),
        TargetStatus::NameNotFound { name } => {
            let declared = declared_ports(snap, v, b);
            (
                partial,
                Some(Code::TargetPortNameNotFound),
                format!(
                    "no container declares a port named `{name}` for {proto}: this pod is no endpoint of this port"
                ),
                Some(if declared.is_empty() {
                    format!(
                        "the pod declares no named ports: name a container port `{name}`, or use a number as targetPort"
                    )
                } else {
                    format!(
                        "the pod declares {}: set targetPort to one of these, or name the container port `{name}`",
                        declared.join(", ")
                    )
                }),
            )
        }
        TargetStatus::SlicePortMissing => (
            partial,
            Some(Code::SlicePortMissing),
            format!(
                "its EndpointSlice has no port named `{}`: kube-proxy has no endpoint here for this Service port",
                v.ports()[i].name.as_deref().unwrap_or("")
            ),
            Some("EndpointSlice ports match Service ports by name".to_string()),
        ),
    };
    // The finding's severity decides, as it does for every hop: an info
    // finding (an undeclared containerPort) leaves traffic through.
    hop.verdict = code
        .and_then(|c| v.findings_for_port(Some(i)).find(|f| f.code == c))
        .map_or(verdict, |f| Verdict::from(f.severity));
    hop.reason = reason;
    hop.hint = hint;
    hop.findings.extend(code);
    hop
}

/// `name (number/PROTO)` for every named container port of a backend's pod or template.
fn declared_ports(snap: &Snapshot, v: &ServiceView, b: &Backend) -> Vec<String> {
    let containers: &[SlimContainer] = match (&b.pod, &b.workload) {
        (Some(p), _) => snap
            .pod(&v.namespace, p)
            .map_or(&[], |p| p.object.containers()),
        (None, Some(w)) => snap
            .workloads_in(&v.namespace)
            .find(|x| format!("{}/{}", x.kind, x.name) == *w)
            .map_or(&[], |x| x.containers.as_slice()),
        (None, None) => &[],
    };
    containers
        .iter()
        .flat_map(|c| c.ports.iter())
        .filter_map(|p| {
            Some(format!(
                "`{}` ({}/{})",
                p.name.as_deref()?,
                p.port,
                p.protocol
            ))
        })
        .collect()
}
