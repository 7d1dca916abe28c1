//! Building one Service's paths, one per Service port, from the outside in:
//! the ways in (`routes`: Gateways and Ingress controllers; `entry`: load
//! balancer, externalIPs), node:nodePort
//! ([`super::nodes`]), the Service's own layer (`service_layer`: cluster IP,
//! headless DNS, ExternalName CNAME), then the endpoint layer
//! ([`super::backends`]); and linking the hops (`next`) the way traffic
//! really flows, e.g. under `externalTrafficPolicy: Local` a node sends only
//! to its own endpoints.

use super::backends::endpoint_hops;
use super::entry::{external_ip_hops, load_balancer_hops};
use super::nodes::{NodeEntry, node_hops};
use super::report::{Hop, HopId, HopKind, PortPath, PortSpec, ServiceTrace};
use super::routes::route_hops;
use super::service_layer::{cluster_ip_hop, dns_hop, external_name_path};
use super::target::{Entry, Selection};
use super::verdict::Verdict;
use crate::model::endpoints::EndpointState;
use crate::model::nodes::Family;
use crate::model::policy::SourceAdmissions;
use crate::model::ports::{format_int_or_string, protocol, target_port};
use crate::model::view::{LoadBalancerStatus, NodeTraffic, Semantics, ServiceView, Shape};
use k8s_openapi::api::core::v1::ServicePort;

/// Traces one Service along the ports and entry point of a selection;
/// `from`: the answers of the policies for the source named with `--from`.
pub(crate) fn trace_service(
    sem: &Semantics,
    v: &ServiceView,
    sel: &Selection,
    from: Option<&SourceAdmissions>,
) -> ServiceTrace {
    let sources = super::policies::sources(sem, v, &sel.entry, from);
    let paths = if v.shape == Shape::ExternalName {
        vec![external_name_path(v)]
    } else {
        let chosen: Vec<usize> = match &sel.ports {
            Some(list) => list
                .iter()
                .copied()
                .filter(|&i| i < v.ports().len())
                .collect(),
            None => (0..v.ports().len()).collect(),
        };
        if chosen.is_empty() {
            vec![port_path(sem, v, None, &sel.entry, &sources)]
        } else {
            chosen
                .into_iter()
                .map(|i| port_path(sem, v, Some(i), &sel.entry, &sources))
                .collect()
        }
    };
    let verdict = Verdict::worst(paths.iter().map(|p| p.verdict));
    let summary = summarize(&paths, verdict);
    ServiceTrace {
        namespace: v.namespace.clone(),
        name: v.name.clone(),
        service_type: v.service_type.clone(),
        origin: v.located.origin.clone(),
        verdict,
        summary,
        paths,
    }
}

/// The reason of the first hop with the Service's verdict, for one-line
/// tables: the Service's own hops first, then the routes in front of it.
fn summarize(paths: &[PortPath], verdict: Verdict) -> String {
    let hops = || paths.iter().flat_map(|p| p.hops.iter());
    let own = || hops().filter(|h| !h.in_front());
    let hop = if verdict == Verdict::Ok {
        own().find(|h| matches!(h.kind, HopKind::Endpoints | HopKind::ExternalName))
    } else {
        own()
            .find(|h| h.verdict == verdict)
            .or_else(|| hops().find(|h| h.verdict == verdict))
    };
    match hop {
        Some(h) => match h.kind {
            HopKind::Endpoints
            | HopKind::ExternalName
            | HopKind::ClusterIp
            | HopKind::Dns
            | HopKind::Container => h.reason.clone(),
            _ => format!("{}: {}", hop_label(h), h.reason),
        },
        None => "no ports to trace".to_string(),
    }
}

/// A short name for a hop in one-line summaries.
pub(crate) fn hop_label(h: &Hop) -> String {
    let name = h.name_text();
    let name = name.as_deref().or(h.address.as_deref()).unwrap_or("?");
    match h.kind {
        HopKind::Gateway => format!("Gateway {name}"),
        HopKind::Listener => format!("listener {name}"),
        HopKind::IngressController => format!("Ingress controller ({name})"),
        HopKind::Route => name.to_string(),
        HopKind::BackendRef => format!("backendRef {name}"),
        HopKind::LoadBalancer => match (&h.address, &h.name) {
            (Some(a), _) => format!("load balancer {a}"),
            (None, Some(n)) => format!("load balancer ({n})"),
            (None, None) => "load balancer".to_string(),
        },
        HopKind::ExternalIp => format!("externalIP {name}"),
        HopKind::Node => format!("node {name}"),
        HopKind::ClusterIp => "cluster IP".to_string(),
        HopKind::Dns => "DNS".to_string(),
        HopKind::ExternalName => "ExternalName".to_string(),
        HopKind::Endpoints => "endpoints".to_string(),
        HopKind::Endpoint => format!("endpoint {name}"),
        HopKind::Container => match &h.name {
            Some(c) => format!("container {c}"),
            None => "targetPort".to_string(),
        },
    }
}

fn port_path(
    sem: &Semantics,
    v: &ServiceView,
    port: Option<usize>,
    entry: &Entry,
    sources: &[&SourceAdmissions],
) -> PortPath {
    let sp: Option<&ServicePort> = port.and_then(|i| v.ports().get(i));
    let svc_port = sp.map(|p| p.port);
    // The family being traced: the typed address's, else the Service's first.
    let family = match entry {
        Entry::ClusterIp(Some(a)) | Entry::Node { address: a, .. } => Family::of(a),
        _ => None,
    }
    .unwrap_or(v.families[0]);
    let cluster_ip = match entry {
        Entry::ClusterIp(Some(a)) => Some(a.clone()),
        _ => v
            .cluster_ips
            .iter()
            .find(|ip| Family::of(ip) == Some(family))
            .or(v.cluster_ips.first())
            .cloned(),
    };
    let only_family = match entry {
        Entry::ClusterIp(Some(_)) | Entry::Node { .. } if v.families.len() > 1 => Some(family),
        _ => None,
    };
    let inner = endpoint_hops(sem, v, port, only_family, sources);
    let routes = match entry {
        Entry::Service => route_hops(sem, v, port, None),
        Entry::Routes(picked) => route_hops(sem, v, port, Some(picked)),
        _ => Vec::new(),
    };
    let service_layer = refused(
        if v.shape == Shape::Headless {
            dns_hop(v, port)
        } else {
            cluster_ip_hop(v, port, cluster_ip)
        },
        v,
    );

    let mut nodes = Vec::new();
    let has_node_port = port
        .and_then(|i| v.node_ports.as_ref()?.of_port(i))
        .is_some();
    let show_nodes = has_node_port
        && matches!(
            entry,
            Entry::Service | Entry::LoadBalancer(_) | Entry::Node { .. }
        );
    if let (true, Some(i)) = (show_nodes, port) {
        let node_entry = NodeEntry {
            only: match entry {
                Entry::Node { name, address } => Some((name.as_str(), address.as_str())),
                _ => None,
            },
            family,
        };
        nodes = node_hops(&sem.nodes, v, i, &node_entry);
        if let Some(first) = nodes.first_mut()
            && v.node_ports
                .as_ref()
                .and_then(|np| np.of_port(i))
                .flatten()
                .is_none()
            && sem.nodes.known
        {
            first.notes.push(
                "no nodePort yet: the API server assigns one when the Service is created (30000-32767 by \
                 default; a cluster may configure another range)"
                    .into(),
            );
        }
        if let Some(first) = nodes.first_mut() {
            for f in v
                .findings_for_port(Some(i))
                .filter(|f| f.code == crate::model::finding::Code::NodePortOutsideDefaultRange)
            {
                first.notes.push(f.message.clone());
            }
        }
        // Where each node sends traffic: under Local, only to its own
        // endpoints that receive (none: it drops it); otherwise on through the Service.
        for n in &mut nodes {
            let name = n.name_text().map(std::borrow::Cow::into_owned);
            n.next = match (v.external_local, n.members.is_none(), name.as_deref()) {
                (true, true, Some(name)) => match v.node_traffic(i, name) {
                    NodeTraffic::Unknown => vec![service_layer.id.clone()],
                    NodeTraffic::Drops => Vec::new(),
                    _ => local_endpoint_ids(v, i, name),
                },
                (true, false, _) if n.verdict != Verdict::Ok => Vec::new(),
                _ => vec![service_layer.id.clone()],
            };
        }
    }

    let mut outer = Vec::new();
    if matches!(entry, Entry::Service | Entry::LoadBalancer(_)) {
        let only = match entry {
            Entry::LoadBalancer(a) => Some(a.as_str()),
            _ => None,
        };
        for mut lb in load_balancer_hops(sem, v, port, svc_port, only) {
            // The view's typed state, never the hop's display name: a
            // pending load balancer does not exist yet, so delivers nothing.
            let pending = v
                .load_balancer
                .as_ref()
                .is_some_and(|f| f.status == LoadBalancerStatus::Pending);
            let delivers = lb.verdict != Verdict::Broken && !pending;
            let straight_to_pods = v.load_balancer.as_ref().is_some_and(|lb| {
                lb.implementation.delivery.value == crate::model::load_balancer::Delivery::Pods
            });
            lb.next = if !delivers {
                Vec::new()
            } else if straight_to_pods {
                // Past the nodes and the cluster IP, to the endpoints.
                vec![HopId::Endpoints]
            } else if show_nodes && !nodes.is_empty() {
                // Under Local, only nodes that pass the health check get traffic.
                // Nor does a node without an address of the family traced.
                nodes
                    .iter()
                    .filter(|n| match (n.name_text(), n.members.is_none()) {
                        (Some(name), true) => v.passes_health_check(&name),
                        // A group of nodes alike: its verdict stands for each.
                        _ => !v.external_local || n.verdict == Verdict::Ok,
                    })
                    .filter(|n| n.address.is_some() || n.members.is_some() || !sem.nodes.known)
                    .map(|n| n.id.clone())
                    .collect()
            } else {
                vec![service_layer.id.clone()]
            };
            outer.push(lb);
        }
    }
    if matches!(entry, Entry::Service | Entry::ExternalIp(_)) {
        let only = match entry {
            Entry::ExternalIp(a) => Some(a.as_str()),
            _ => None,
        };
        for mut hop in external_ip_hops(v, svc_port, only) {
            hop.next = vec![service_layer.id.clone()];
            outer.push(hop);
        }
    }

    let mut hops = routes;
    hops.extend(outer);
    hops.extend(nodes);
    // Through a Gateway or an Ingress, traffic goes to the endpoints
    // directly: the cluster IP is not on the way.
    if !matches!(entry, Entry::Routes(_)) {
        let mut service_layer = service_layer;
        service_layer.next = vec![HopId::Endpoints];
        hops.push(service_layer);
    }
    hops.extend(inner);
    let verdict = Verdict::worst(hops.iter().map(|h| h.verdict));
    PortPath {
        port: sp.map(|p| port_spec(v, port, p)),
        verdict,
        hops,
    }
}

/// A Service the API server refuses (SVC210, on any of its ports) is never
/// created: its own layer is broken on every path, whatever comes before.
fn refused(hop: Hop, v: &ServiceView) -> Hop {
    if v.refusals().next().is_none() {
        return hop;
    }
    let mut hop = hop;
    hop.notes.insert(0, std::mem::take(&mut hop.reason));
    hop.with_findings(v.refusals())
}

/// Ids of the endpoint hops a node sends external traffic to under Local: its
/// ready endpoints, or with none its serving-terminating ones (KEP-1669).
fn local_endpoint_ids(v: &ServiceView, port: usize, node: &str) -> Vec<HopId> {
    let Some(pe) = v.port_endpoints(port) else {
        return Vec::new();
    };
    let local: Vec<usize> = pe
        .members
        .iter()
        .copied()
        .filter(|&k| v.backends.items[k].node.as_deref() == Some(node))
        .collect();
    let ready = local.iter().any(|&k| v.backends.items[k].is_ready());
    local
        .into_iter()
        .filter(|&k| {
            let s = v.backends.items[k].state;
            if ready {
                s.is_ready()
            } else {
                s == EndpointState::ServingTerminating
            }
        })
        .map(HopId::Endpoint)
        .collect()
}

fn port_spec(v: &ServiceView, port: Option<usize>, sp: &ServicePort) -> PortSpec {
    PortSpec {
        name: sp.name.clone().filter(|n| !n.is_empty()),
        port: sp.port,
        protocol: protocol(sp.protocol.as_ref()).to_string(),
        target_port: format_int_or_string(&target_port(sp)),
        node_port: port
            .and_then(|i| v.node_ports.as_ref()?.of_port(i))
            .flatten(),
        app_protocol: sp.app_protocol.clone(),
    }
}
