//! Building one Service's paths, one per Service port, from the outside in:
//! the ways in (`entry`: load balancer, externalIPs), node:nodePort
//! ([`super::nodes`]), the Service's own layer (`service_layer`: cluster IP,
//! headless DNS, ExternalName CNAME), then the endpoint layer
//! ([`super::backends`]); and linking the hops (`next`) the way traffic
//! really flows, e.g. under `externalTrafficPolicy: Local` a node sends only
//! to its own endpoints.

use super::Context;
use super::backends::{EmptyReason, ServiceBackends, endpoint_hops};
use super::entry::{external_ip_hops, load_balancer_hops};
use super::nodes::{NodeLayer, node_hops};
use super::report::{Hop, HopKind, PortPath, PortSpec, ServiceTrace};
use super::service_layer::{cluster_ip_hop, dns_hop, external_name_path};
use super::target::{Entry, Selection};
use super::verdict::Verdict;
use crate::model::Located;
use crate::model::endpoints::BackendSource;
use crate::model::ports::{format_int_or_string, protocol, target_port};
use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};
use kube::ResourceExt;
use std::collections::BTreeMap;

/// Names listed before "and N more".
pub(super) const NAMES_SHOWN: usize = 10;

/// Traces one Service along the ports and entry point of a selection.
pub fn trace_service(
    ctx: &mut Context,
    located: &Located<Service>,
    sel: &Selection,
) -> ServiceTrace {
    let svc = &located.object;
    let default_spec = ServiceSpec::default();
    let spec = svc.spec.as_ref().unwrap_or(&default_spec);
    let namespace = svc.namespace().unwrap_or_default();
    let name = svc.name_any();
    let service_type = spec
        .type_
        .clone()
        .unwrap_or_else(|| "ClusterIP".to_string());
    let paths = if service_type == "ExternalName" {
        vec![external_name_path(&name, &namespace, spec)]
    } else {
        let backends = ctx.snap.backends(svc);
        let selector = spec.selector.clone().unwrap_or_default();
        let sb = ServiceBackends {
            namespace: &namespace,
            name: &name,
            selector: &selector,
            backends: &backends,
            headless: spec.cluster_ip.as_deref() == Some("None"),
            publish_not_ready: spec.publish_not_ready_addresses == Some(true),
        };
        let svc_ctx = ServiceContext::new(ctx, svc, spec, &service_type, &sb);
        let ports = spec.ports.as_deref().unwrap_or_default();
        let mut empty = None;
        let chosen: Vec<(usize, &ServicePort)> = match &sel.ports {
            Some(list) => list
                .iter()
                .filter_map(|&i| ports.get(i).map(|p| (i, p)))
                .collect(),
            None => ports.iter().enumerate().collect(),
        };
        if chosen.is_empty() {
            vec![port_path(ctx, &svc_ctx, &sb, None, &sel.entry, &mut empty)]
        } else {
            chosen
                .into_iter()
                .map(|p| port_path(ctx, &svc_ctx, &sb, Some(p), &sel.entry, &mut empty))
                .collect()
        }
    };
    let verdict = Verdict::worst(paths.iter().map(|p| p.verdict));
    let summary = summarize(&paths, verdict);
    ServiceTrace {
        namespace,
        name,
        service_type,
        origin: located.origin.clone(),
        verdict,
        summary,
        paths,
    }
}

/// The reason of the first hop with the Service's verdict, for one-line tables.
fn summarize(paths: &[PortPath], verdict: Verdict) -> String {
    let hops = || paths.iter().flat_map(|p| p.hops.iter());
    let hop = if verdict == Verdict::Ok {
        hops().find(|h| matches!(h.kind, HopKind::Endpoints | HopKind::ExternalName))
    } else {
        hops().find(|h| h.verdict == verdict)
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
pub fn hop_label(h: &Hop) -> String {
    let name = h.name.as_deref().or(h.address.as_deref()).unwrap_or("?");
    match h.kind {
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

/// Facts about one Service that every port's path needs.
pub(super) struct ServiceContext<'s> {
    pub(super) spec: &'s ServiceSpec,
    pub(super) namespace: String,
    pub(super) name: String,
    pub(super) load_balancer: bool,
    pub(super) node_ports: bool,
    pub(super) local: bool,
    pub(super) headless: bool,
    /// `status.loadBalancer.ingress`; `None` when the input cannot say
    /// (a manifest without status).
    pub(super) ingress: Option<Vec<(String, Option<String>)>>,
    /// Ready endpoints per node; `None` when unknown.
    pub(super) local_ready: Option<BTreeMap<String, usize>>,
}

impl<'s> ServiceContext<'s> {
    fn new(
        ctx: &Context,
        svc: &Service,
        spec: &'s ServiceSpec,
        service_type: &str,
        sb: &ServiceBackends,
    ) -> Self {
        let load_balancer = service_type == "LoadBalancer";
        let node_ports = service_type == "NodePort"
            || (load_balancer && spec.allocate_load_balancer_node_ports != Some(false));
        let lb_status = svc.status.as_ref().and_then(|s| s.load_balancer.as_ref());
        let ingress = if ctx.snap.load_balancer_status_known(svc) {
            Some(
                lb_status
                    .and_then(|s| s.ingress.as_ref())
                    .into_iter()
                    .flatten()
                    .filter_map(|i| {
                        Some((
                            i.ip.clone().or_else(|| i.hostname.clone())?,
                            i.ip_mode.clone(),
                        ))
                    })
                    .collect(),
            )
        } else {
            None
        };
        // Which nodes run a ready endpoint: needed for both traffic policies.
        let mut local_ready: Option<BTreeMap<String, usize>> = Some(BTreeMap::new());
        if sb.backends.source == BackendSource::PodTemplates {
            local_ready = None;
        }
        for b in &sb.backends.items {
            let Some(c) = b.conditions else {
                // Readiness not reported: which nodes have a ready endpoint is unknown.
                local_ready = None;
                continue;
            };
            if !c.ready || c.terminating {
                continue;
            }
            match (&b.node, local_ready.as_mut()) {
                (Some(n), Some(m)) => *m.entry(n.clone()).or_default() += 1,
                (None, _) => local_ready = None,
                _ => {}
            }
        }
        ServiceContext {
            spec,
            namespace: sb.namespace.to_string(),
            name: sb.name.to_string(),
            load_balancer,
            node_ports,
            local: spec.external_traffic_policy.as_deref() == Some("Local"),
            headless: sb.headless,
            ingress,
            local_ready,
        }
    }

    pub(super) fn dns_name(&self) -> String {
        crate::model::lookup::service_dns_name(&self.namespace, &self.name)
    }
}

fn port_path(
    ctx: &mut Context,
    s: &ServiceContext,
    sb: &ServiceBackends,
    port: Option<(usize, &ServicePort)>,
    entry: &Entry,
    empty: &mut Option<EmptyReason>,
) -> PortPath {
    let sp = port.map(|(_, sp)| sp);
    let svc_port = sp.map(|p| p.port);
    let inner = endpoint_hops(ctx, sb, port, empty);
    let service_layer = if s.headless {
        dns_hop(s, sp, sb, port)
    } else {
        cluster_ip_hop(ctx, s, svc_port)
    };

    let mut nodes = Vec::new();
    let show_nodes = s.node_ports
        && matches!(
            entry,
            Entry::Service | Entry::LoadBalancer(_) | Entry::Node(_)
        );
    if show_nodes {
        let only = match entry {
            Entry::Node(n) => Some(n.as_str()),
            _ => None,
        };
        let layer = NodeLayer {
            node_port: sp.and_then(|p| p.node_port),
            local: s.local,
            health_check_node_port: s.spec.health_check_node_port,
            local_ready: s.local_ready.as_ref(),
            only,
        };
        nodes = node_hops(&ctx.nodes, &layer, "node:");
        if let (None, Some(first), true) = (layer.node_port, nodes.first_mut(), ctx.nodes.known) {
            first.notes.push(
                "no nodePort yet: the API server assigns one when the Service is created (30000-32767 by \
                 default; a cluster may configure another range)"
                    .into(),
            );
        }
        if let (Some(np), Some(first)) = (layer.node_port, nodes.first_mut())
            && !(30000..=32767).contains(&np)
        {
            first.notes.push(format!(
                "nodePort {np} is outside the default range 30000-32767: the cluster must be configured with \
                 another --service-node-port-range"
            ));
        }
        // Where each node sends traffic: under Local, only to its own ready
        // endpoints (none: it drops it); otherwise on through the Service.
        let per_node = s.local && s.local_ready.is_some() && ctx.nodes.known;
        for n in &mut nodes {
            n.next = match (per_node, n.members.is_none(), n.name.as_deref()) {
                (true, true, Some(name)) => local_endpoint_ids(sb, name),
                (true, _, _) => Vec::new(),
                _ => vec![service_layer.id.clone()],
            };
        }
    }

    let mut outer = Vec::new();
    if s.load_balancer && matches!(entry, Entry::Service | Entry::LoadBalancer(_)) {
        let filter = match entry {
            Entry::LoadBalancer(a) => Some(a.as_str()),
            _ => None,
        };
        for mut lb in load_balancer_hops(ctx, s, svc_port, filter) {
            let per_node = s.local && s.local_ready.is_some() && ctx.nodes.known;
            let pending = s.ingress.as_ref().is_some_and(Vec::is_empty);
            lb.next = if pending {
                // No load balancer exists yet: nothing flows through it.
                Vec::new()
            } else if show_nodes && !nodes.is_empty() {
                // Under Local, only nodes that pass the health check get traffic.
                nodes
                    .iter()
                    .filter(|n| !per_node || !n.next.is_empty())
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
        for mut hop in external_ip_hops(s, svc_port, only) {
            hop.next = vec![service_layer.id.clone()];
            outer.push(hop);
        }
    }

    let mut hops = outer;
    hops.extend(nodes);
    let mut service_layer = service_layer;
    service_layer.next = vec!["endpoints".to_string()];
    hops.push(service_layer);
    hops.extend(inner);
    let verdict = Verdict::worst(hops.iter().map(|h| h.verdict));
    PortPath {
        port: sp.map(port_spec),
        verdict,
        hops,
    }
}

/// Ids of the endpoint hops of ready, not terminating endpoints on a node.
fn local_endpoint_ids(sb: &ServiceBackends, node: &str) -> Vec<String> {
    sb.backends
        .items
        .iter()
        .enumerate()
        .filter(|(_, b)| {
            b.node.as_deref() == Some(node)
                && b.conditions.is_some_and(|c| c.ready && !c.terminating)
        })
        .map(|(i, _)| format!("ep{i}"))
        .collect()
}

fn port_spec(sp: &ServicePort) -> PortSpec {
    PortSpec {
        name: sp.name.clone().filter(|n| !n.is_empty()),
        port: sp.port,
        protocol: protocol(sp.protocol.as_ref()).to_string(),
        target_port: format_int_or_string(&target_port(sp)),
        node_port: sp.node_port,
        app_protocol: sp.app_protocol.clone(),
    }
}

pub(super) fn names_list(names: &[&str]) -> String {
    let shown = names
        .iter()
        .take(NAMES_SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    match names.len().saturating_sub(NAMES_SHOWN) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}
