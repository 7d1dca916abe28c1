//! Findings about where endpoints run: traffic policies that keep traffic on
//! the node it arrives at (externalTrafficPolicy Local, SVC108 and SVC109;
//! internalTrafficPolicy Local, SVC110), and endpoints on NotReady nodes
//! (SVC111). Which endpoints receive on a node is the model's one answer
//! ([`crate::model::locality`]).

use crate::model::finding::{Code, Finding};
use crate::model::locality::LocalReceivers;
use crate::model::view::{Semantics, ServiceView, Shape, names_list};

/// One locality problem per Service when every affected port has the same
/// nodes (the usual case: a pod serves all its ports), else one per port.
fn per_service_or_port<S: AsRef<str> + PartialEq>(
    v: &ServiceView,
    per_port: Vec<(usize, Vec<S>)>,
    make: impl Fn(&[S], &str) -> Finding,
    out: &mut Vec<Finding>,
) {
    let all_same = per_port.windows(2).all(|w| w[0].1 == w[1].1);
    if all_same && per_port.len() == v.ports().len() {
        if let Some((_, names)) = per_port.first() {
            out.push(make(names, ""));
        }
        return;
    }
    for (i, names) in per_port {
        let label = crate::model::endpoints::service_port_label(&v.ports()[i]);
        out.push(make(&names, &format!(" for port {label}")).port(i));
    }
}

/// The ports whose endpoints' nodes are known and that have some endpoint
/// receiving: the only ones where locality can be judged.
fn serving_ports(v: &ServiceView) -> Vec<usize> {
    (0..v.ports().len())
        .filter(|&i| {
            let pe = &v.backends.ports[i];
            pe.local_known && pe.counts.ready + pe.counts.published > 0
        })
        .collect()
}

/// externalTrafficPolicy Local on a Service reached through node ports or a
/// load balancer: no node has a ready local endpoint (SVC108), or some
/// nodes have none and drop what reaches them (SVC109).
pub(crate) fn external_local(sem: &Semantics, v: &ServiceView, out: &mut Vec<Finding>) {
    let nodes = &sem.nodes;
    let serving = serving_ports(v);
    let external = v.external_local && (v.node_ports.is_some() || v.load_balancer.is_some());
    if external {
        let mut none = Vec::new();
        let mut some = Vec::new();
        for &i in &serving {
            let healthy = v.healthy_nodes(nodes, i).unwrap_or_default();
            if healthy.is_empty() {
                let pe = &v.backends.ports[i];
                let why = if pe.unplaced_ready > 0 {
                    "its ready endpoints name no node (no nodeName), so they are local to none"
                } else {
                    "its ready endpoints run on nodes that are not among the Nodes read"
                };
                none.push((i, vec![why]));
            } else if nodes.known {
                // `healthy` is in name order (a map's keys): a search per
                // node, and names borrowed, keep this cheap at 1,000 nodes.
                let without: Vec<&str> = nodes
                    .nodes
                    .iter()
                    .map(|n| n.name.as_str())
                    .filter(|n| healthy.binary_search(n).is_err())
                    .collect();
                if !without.is_empty() {
                    some.push((i, without));
                }
            }
        }
        per_service_or_port(
            v,
            none,
            |why, on| {
                Finding::new(
                    Code::NoNodeWithLocalEndpoint,
                    v.located,
                    "spec.externalTrafficPolicy",
                    format!(
                        "externalTrafficPolicy Local: no node has a ready local endpoint{on} ({}): every node fails the health check and drops external traffic",
                        why.join("")
                    ),
                )
                .hint("run the pods on the nodes, or use externalTrafficPolicy Cluster")
            },
            out,
        );
        let hc = v
            .spec
            .health_check_node_port
            .filter(|_| v.load_balancer.is_some())
            .map(|p| format!(" on healthCheckNodePort {p}"))
            .unwrap_or_default();
        per_service_or_port(
            v,
            some,
            |without, on| {
                let one = without.len() == 1;
                let check = if v.load_balancer.is_some() {
                    format!(
                        "{} the load balancer's health check{hc} and ",
                        if one { "fails" } else { "fail" }
                    )
                } else {
                    String::new()
                };
                Finding::new(
                    Code::NodesWithoutLocalEndpoint,
                    v.located,
                    "spec.externalTrafficPolicy",
                    format!(
                        "externalTrafficPolicy Local: {} {} no ready endpoint{on}: {}{check}{} external traffic sent to {} directly",
                        names_list(without),
                        if one { "has" } else { "have" },
                        if one { "it " } else { "they " },
                        if one { "drops" } else { "drop" },
                        if one { "it" } else { "them" }
                    ),
                )
                .hint("this is how Local keeps client IPs; spread the pods (a DaemonSet, or topology spread) if every node should serve")
            },
            out,
        );
    }
}

/// internalTrafficPolicy Local: nodes whose clients reach no endpoint
/// (SVC110).
pub(crate) fn internal_local(sem: &Semantics, v: &ServiceView, out: &mut Vec<Finding>) {
    let nodes = &sem.nodes;
    let serving = serving_ports(v);
    if v.internal_local && nodes.known && v.shape != Shape::Headless {
        let per_port: Vec<(usize, Vec<&str>)> = serving
            .iter()
            .map(|&i| {
                // Clients on a node reach its ready local endpoints, else its
                // serving-and-terminating ones (the model's one answer).
                let without: Vec<&str> = nodes
                    .nodes
                    .iter()
                    .filter(|n| v.local_receivers(i, &n.name) == LocalReceivers::Nobody)
                    .map(|n| n.name.as_str())
                    .collect();
                (i, without)
            })
            .filter(|(_, w)| !w.is_empty())
            .collect();
        per_service_or_port(
            v,
            per_port,
            |without, on| {
                Finding::new(
                    Code::InternalLocalNodesWithoutEndpoint,
                    v.located,
                    "spec.internalTrafficPolicy",
                    format!(
                        "internalTrafficPolicy Local: clients on {} reach no endpoint{on} (traffic is dropped, not sent to another node)",
                        names_list(without)
                    ),
                )
                .hint("run an endpoint on every node that has clients (a DaemonSet), or use internalTrafficPolicy Cluster")
            },
            out,
        );
    }
}

/// SVC111: ready endpoints on NotReady nodes, still listed but likely to
/// fail.
pub(crate) fn on_not_ready_nodes(sem: &Semantics, v: &ServiceView, out: &mut Vec<Finding>) {
    let nodes = &sem.nodes;
    let per_port: Vec<(usize, Vec<String>)> = serving_ports(v)
        .iter()
        .map(|&i| {
            let pe = &v.backends.ports[i];
            let on_bad: Vec<String> = pe
                .members
                .iter()
                .map(|&k| &v.backends.items[k])
                .filter(|b| {
                    b.is_ready() && b.node.as_deref().is_some_and(|n| nodes.is_not_ready(n))
                })
                .map(|b| format!("{} on {}", b.label(), b.node.as_deref().unwrap_or_default()))
                .collect();
            (i, on_bad)
        })
        .filter(|(_, w)| !w.is_empty())
        .collect();
    per_service_or_port(
        v,
        per_port,
        |on_bad, on| {
            let one = on_bad.len() == 1;
            Finding::new(
                Code::EndpointOnNotReadyNode,
                v.located,
                "spec.selector",
                format!(
                    "{} {} on a NotReady node{on}: still listed, but traffic to {} may fail",
                    names_list(on_bad),
                    if one { "runs" } else { "run" },
                    if one { "it" } else { "them" }
                ),
            )
            .hint("see the node with `kubectl describe node`")
        },
        out,
    );
}
