//! Explain: what each Service is, layer by layer from the outside in, with its
//! real addresses and ports, who implements each layer, and what each setting
//! does to traffic. It arranges the facts of the model's [`ServiceView`] and
//! computes none of its own; rendering is elsewhere.

pub(crate) mod concepts;
mod gateways;
mod layers;
pub(crate) mod report;

use crate::model::endpoints::{BackendSource, EndpointState};
use crate::model::policy::{PolicyId, PolicyRules, Tier};
use crate::model::ports::{format_int_or_string, protocol, target_port};
use crate::model::view::{Semantics, ServiceView, names_list};
use crate::model::{Located, Snapshot};
use k8s_openapi::api::core::v1::Service;
use report::*;

/// Explains the given Services (all in scope, and every Gateway in scope,
/// when `services` is empty).
pub fn explain(snap: &Snapshot, services: &[&Located<Service>]) -> ExplainReport {
    explain_objects(snap, services, &[])
}

/// Explains the given Services and Gateways (positions in
/// [`Snapshot::gateways`]); every Service and Gateway in scope when both are
/// empty.
pub(crate) fn explain_objects(
    snap: &Snapshot,
    services: &[&Located<Service>],
    gateways: &[usize],
) -> ExplainReport {
    let sem = Semantics::new(snap);
    let everything = services.is_empty() && gateways.is_empty();
    let chosen: Vec<usize> = if everything {
        (0..snap.services.len())
            .filter(|&i| {
                snap.scope.includes(
                    snap.services[i]
                        .object
                        .metadata
                        .namespace
                        .as_deref()
                        .unwrap_or_default(),
                )
            })
            .collect()
    } else {
        services
            .iter()
            .filter_map(|s| snap.services.iter().position(|x| std::ptr::eq(x, *s)))
            .collect()
    };
    let gateways: Vec<usize> = if everything {
        sem.routes
            .gateways
            .iter()
            .filter(|g| snap.scope.includes(&g.namespace))
            .map(|g| g.index)
            .collect()
    } else {
        gateways.to_vec()
    };
    // Each Service's explanation reads the shared facts only: on every core.
    let services: Vec<ServiceExplanation> =
        crate::cores::map_in_order(&chosen, |&i| explain_service(&sem, sem.view(i)));
    ExplainReport {
        schema: SCHEMA,
        source: snap.source.clone(),
        scope: snap.scope.clone(),
        clusters: Vec::new(),
        network_policies: policy_rules(&sem, &services),
        nodes: node_infos(&sem, &services),
        services,
        gateways: gateways
            .into_iter()
            .filter_map(|i| sem.routes.gateways.iter().find(|g| g.index == i))
            .map(|g| gateways::explain_gateway(&sem.routes, g))
            .collect(),
        notices: snap.notices.clone(),
    }
}

/// Every node, once, when some Service has node ports (its layer refers to
/// them by name); none otherwise, so a document about ClusterIP Services
/// does not carry the cluster's node list.
fn node_infos(sem: &Semantics, services: &[ServiceExplanation]) -> Vec<NodeInfo> {
    let node_ports = services
        .iter()
        .any(|s| s.layers.iter().any(|l| matches!(l, Layer::NodePort(_))));
    if !node_ports {
        return Vec::new();
    }
    sem.nodes
        .nodes
        .iter()
        .map(|n| NodeInfo {
            name: n.name.clone(),
            addresses: n.internal.iter().chain(&n.external).cloned().collect(),
            ready: n.ready,
            context: None,
        })
        .collect()
}

/// The rules of every policy that selects the endpoints of `services`, once
/// each, in evaluation order (tier, priority, then name).
fn policy_rules(sem: &Semantics, services: &[ServiceExplanation]) -> Vec<PolicyRules> {
    let Some(policies) = &sem.policies else {
        return Vec::new();
    };
    let mut ids: Vec<(Tier, Option<i32>, &str, &str, PolicyId)> = services
        .iter()
        .filter_map(|s| s.network_policies.as_ref())
        .flat_map(|np| np.selecting.iter())
        .map(|p| {
            (
                p.tier,
                p.priority,
                p.namespace.as_str(),
                p.name.as_str(),
                p.id,
            )
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids.into_iter().map(|(.., id)| policies.rules(id)).collect()
}

/// Explains one Service from its view, which the explanation takes its
/// endpoints, routes, policies and findings from (moved, not copied: they are
/// most of it).
pub(crate) fn explain_service(sem: &Semantics, v: ServiceView) -> ServiceExplanation {
    let ports: Vec<PortView> = v
        .ports()
        .iter()
        .enumerate()
        .map(|(i, p)| PortView {
            name: p.name.clone().filter(|n| !n.is_empty()),
            protocol: protocol(p.protocol.as_ref()).to_string(),
            app_protocol: p.app_protocol.clone(),
            port: p.port,
            target_port: format_int_or_string(&target_port(p)),
            node_port: v.node_ports.as_ref().and_then(|np| np.of_port(i)).flatten(),
            endpoints: v.port_endpoints(i).map(|pe| pe.counts).unwrap_or_default(),
        })
        .collect();
    let layers = layers::build(sem, &v);
    let notes = notes(sem, &v, &layers);
    let (summary, selector, endpoint_summary) = (summary(&v), v.selector_text(), summarize(&v));
    ServiceExplanation {
        namespace: v.namespace,
        name: v.name,
        origin: v.located.origin.clone(),
        service_type: v.service_type,
        shape: v.shape,
        summary,
        layers,
        ports,
        selector,
        backends: v.backends,
        endpoint_summary,
        routes: v.routes,
        network_policies: v.policies,
        findings: v.findings,
        notes,
        entry_point: v.entry_point,
        control_plane: v.control_plane,
    }
}

fn summarize(v: &ServiceView) -> EndpointSummary {
    let items = &v.backends.items;
    let mut s = EndpointSummary {
        total: items.len(),
        ..Default::default()
    };
    for b in items {
        match b.state {
            EndpointState::Ready => s.ready += 1,
            EndpointState::Published => s.published += 1,
            EndpointState::ServingTerminating | EndpointState::Terminating => s.terminating += 1,
            EndpointState::NotReady => s.not_ready += 1,
            EndpointState::Unknown => s.unknown += 1,
        }
        if b.pod.is_some() {
            s.pods += 1;
        }
        if b.workload.is_some() {
            s.workloads += 1;
        }
    }
    s
}

fn summary(v: &ServiceView) -> String {
    let outside = !v.external_ips.is_empty();
    match v.shape {
        Shape::LoadBalancer if v.node_ports.is_some() => {
            "an external load balancer, in front of a port on every node, in front of a virtual cluster IP"
        }
        Shape::LoadBalancer => {
            "an external load balancer in front of a virtual cluster IP (no node ports)"
        }
        Shape::NodePort => "a port opened on every node, in front of a virtual cluster IP",
        Shape::ClusterIp if outside => {
            "a virtual cluster IP, also reachable from outside on its externalIPs"
        }
        Shape::ClusterIp if v.routes.iter().any(|r| r.reaches) => {
            "a virtual cluster IP, reachable from outside only through the routes in front of it"
        }
        Shape::ClusterIp => "a virtual IP reachable only inside the cluster",
        Shape::Headless => "a DNS name that resolves straight to pod IPs (headless: no virtual IP)",
        Shape::ExternalName => {
            "a DNS alias (CNAME) to a name outside the cluster; nothing is proxied"
        }
    }
    .to_string()
}

/// The controller name of ingress-nginx's IngressClass.
const INGRESS_NGINX: &str = "k8s.io/ingress-nginx";

/// The ways in that routes give a Service (`Gateway infra/public (HTTPRoute
/// shop/web)`), as one phrase; and the routes that try to and do not.
fn ways_in(v: &ServiceView) -> (Option<String>, Vec<String>) {
    // Each way in, with the routes through it, in first-seen order.
    let mut through: Vec<(String, Vec<String>)> = Vec::new();
    let mut failing: Vec<String> = Vec::new();
    for r in &v.routes {
        let label = r.label();
        if !r.reaches {
            if !failing.contains(&label) {
                failing.push(label);
            }
            continue;
        }
        let entries: Vec<String> = match &r.ingress {
            Some(i) => vec![match &i.class {
                Some(c) => format!("the Ingress controller of class {c}"),
                None => "an Ingress controller".to_string(),
            }],
            None => r
                .parents
                .iter()
                .filter(|p| p.attached())
                .map(|p| format!("Gateway {}", p.gateway))
                .collect(),
        };
        for e in entries {
            match through.iter_mut().find(|(w, _)| *w == e) {
                Some((_, routes)) if !routes.contains(&label) => routes.push(label.clone()),
                Some(_) => {}
                None => through.push((e, vec![label.clone()])),
            }
        }
    }
    failing.retain(|f| !v.routes.iter().any(|r| r.reaches && r.label() == *f));
    let phrases: Vec<String> = through
        .into_iter()
        .map(|(way, routes)| format!("{way} ({})", names_list(&routes)))
        .collect();
    ((!phrases.is_empty()).then(|| names_list(&phrases)), failing)
}

/// The note for a backend of cloud Ingresses whose load balancer reaches it
/// through its node ports, or may.
fn lb_ingress_note(l: &crate::model::ingress_lb::LoadBalancedIngresses) -> String {
    let one = l.names.len() == 1;
    let who = format!(
        "{}{} {} {}",
        l.by.ingress(),
        if one { "" } else { "es" },
        names_list(&l.names),
        if one { "reaches" } else { "reach" }
    );
    match &l.delivery.by {
        Some(by) => format!(
            "{who} it through its node ports ({by}): keep it NodePort, or send {} straight to the pods with {} \
             before making it ClusterIP.",
            l.by.load_balancer(),
            l.by.to_pods()
        ),
        None => format!(
            "{who} it through its node ports, or straight to its pods where the cluster uses \
             container-native load balancing by default (GKE 1.17+, VPC-native): keep it NodePort unless the \
             Service says cloud.google.com/neg: '{{\"ingress\": true}}'; only then is ClusterIP enough."
        ),
    }
}

/// The note for an entry point: it is the shared way in already.
fn entry_point_note(e: &crate::model::entry_point::EntryPoint) -> String {
    format!(
        "This is the way in of {} ({}): its load balancer or node ports are already shared by every route that \
         proxy serves, so there is nothing to gain from putting it behind a Gateway (a proxy behind a proxy).",
        e.what, e.by
    )
}

/// Notes about the Service as a whole: how its layers nest, what it costs,
/// where its endpoints come from. Problems are findings, not notes.
fn notes(sem: &Semantics, v: &ServiceView, layers: &[Layer]) -> Vec<String> {
    // A cloud Ingress's load balancer reaches its backends through their
    // node ports unless told to go to the pods: then ClusterIP is no advice.
    let lb_ingresses = sem
        .load_balanced_ingresses(v)
        .filter(|l| l.needs_node_ports());
    let mut notes = Vec::new();
    let (through, failing) = ways_in(v);
    let cluster_ip = v
        .cluster_ips
        .first()
        .map_or("no cluster IP yet", String::as_str);
    let node_ports = v.node_ports.as_ref().map(|np| {
        let numbers = np.numbers();
        match numbers.len() {
            0 => "a port on every node, allocated on creation".to_string(),
            1 => format!("port {} on every node", numbers[0]),
            _ => format!(
                "ports {} on every node",
                numbers
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    });
    match v.shape {
        Shape::LoadBalancer => {
            let np = match (&node_ports, v.node_ports.as_ref().is_some_and(|n| n.explicit_only)) {
                (Some(p), true) => format!(
                    "a NodePort Service only for its explicitly set nodePorts ({p}), though allocateLoadBalancerNodePorts is false"
                ),
                (Some(p), false) => format!("a NodePort Service ({p})"),
                (None, _) => "not a NodePort Service (allocateLoadBalancerNodePorts: false)".to_string(),
            };
            notes.push(format!(
                "This LoadBalancer Service is also {np} and a ClusterIP Service ({cluster_ip}): each layer wraps the next."
            ));
            let shared = v
                .load_balancer
                .as_ref()
                .map(|lb| lb.shared_with.clone())
                .unwrap_or_default();
            if let Some(e) = &v.entry_point {
                notes.push(entry_point_note(e));
            } else if let Some(l) = &lb_ingresses {
                notes.push(lb_ingress_note(l));
            } else if let Some(through) = &through {
                notes.push(format!(
                    "Exposed twice: clients reach it through its own load balancer{} and also through {through}. \
                     If that is meant to be the way in, type ClusterIP closes the other door and frees the load \
                     balancer.",
                    if v.node_ports.is_some() { " and node ports" } else { "" }
                ));
            } else if shared.is_empty()
                && v.load_balancer.as_ref().is_some_and(|lb| {
                    lb.implementation
                        .provider
                        .as_ref()
                        .is_some_and(|p| p.value == crate::model::load_balancer::Provider::MetalLb)
                })
            {
                // MetalLB costs nothing per Service, but each takes an
                // address of its pools.
                notes.push(
                    "MetalLB gives each LoadBalancer Service an address of its own from its pools. Keeping \
                     Services ClusterIP behind one Gateway API Gateway (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, \
                     UDPRoute) shares one address between them."
                        .to_string(),
                );
            } else if shared.is_empty() {
                notes.push(
                    "Each LoadBalancer Service gets a load balancer of its own, which most clouds bill separately. \
                     Keeping Services ClusterIP behind one Gateway API Gateway (HTTPRoute, GRPCRoute, TLSRoute, \
                     TCPRoute, UDPRoute) shares one load balancer between them."
                        .to_string(),
                );
            } else {
                notes.push(format!(
                    "Its load balancer address is shared with {}: one load balancer serves them all, so it costs \
                     one, not one each. A Gateway API Gateway shares one address the same way, for any number of \
                     Services.",
                    shared.join(", ")
                ));
            }
        }
        Shape::NodePort => {
            notes.push(format!(
                "This NodePort Service is also a ClusterIP Service ({cluster_ip}): the node port forwards to it."
            ));
            notes.push(match (&v.entry_point, &through, &lb_ingresses) {
                (Some(e), _, _) => entry_point_note(e),
                (None, Some(_), Some(l)) => lb_ingress_note(l),
                (None, Some(through), None) => format!(
                    "Exposed twice: on a port of every node and also through {through}. If that is meant to be the \
                     way in, type ClusterIP closes the node ports."
                ),
                (None, None, _) => "A node port opens on every node's address, so firewalls must allow it on all of them. \
                         A Gateway API Gateway in front of a ClusterIP Service exposes the same traffic on one address."
                    .to_string(),
            });
        }
        Shape::ClusterIp if v.external_ips.is_empty() => notes.push(match (&through, failing.is_empty()) {
            (Some(through), _) => format!(
                "Reachable from outside only through {through}: the Service stays ClusterIP and the route is the \
                 way in, with no load balancer of its own."
            ),
            (None, false) => format!(
                "Reachable only from inside the cluster: {} {} to route to it but {} not get through (see {}).",
                names_list(&failing),
                if failing.len() == 1 { "tries" } else { "try" },
                if failing.len() == 1 { "does" } else { "do" },
                if failing.len() == 1 { "its findings" } else { "their findings" },
            ),
            // Advice to expose it only where clients outside plausibly want
            // it (HTTP, gRPC or TLS ports; not a proxy's own Service).
            (None, true) if v.exposure_plausible() => "Reachable only from inside the cluster. To expose it, route \
                             to it from a Gateway API Gateway (HTTPRoute for HTTP) rather than changing its type: no \
                             new load balancer per Service."
                .to_string(),
            (None, true) => match v.control_plane {
                Some(what) => format!(
                    "Reachable only from inside the cluster, as it should be: it serves {what}, which its proxies \
                     and the API server reach, not clients."
                ),
                None => "Reachable only from inside the cluster.".to_string(),
            },
        }),
        Shape::ExternalName => {}
        _ => {
            if let Some(through) = &through {
                notes.push(format!("Also reached from outside through {through}."));
            }
        }
    }
    if v.routes.iter().any(|r| {
        r.ingress
            .as_ref()
            .is_some_and(|i| i.controller.as_deref() == Some(INGRESS_NGINX))
    }) {
        notes.push(
            "An Ingress served by ingress-nginx routes to it. ingress-nginx is retired: its last releases were in \
             March 2026 and it gets no fixes of any kind since. An HTTPRoute on a Gateway API implementation \
             replaces the Ingress (ingress2gateway converts one)."
                .to_string(),
        );
    }
    if v.shape != Shape::ExternalName {
        if v.selector.is_none() {
            let managed = v
                .located
                .object
                .metadata
                .labels
                .as_ref()
                .is_some_and(|l| l.get("component").is_some_and(|c| c == "apiserver"));
            notes.push(if managed {
                "No selector: the API server writes this Service's EndpointSlice itself.".to_string()
            } else if v.backends.source == BackendSource::MirroredEndpoints {
                "No selector: its endpoints are listed in an Endpoints object of its name, which the \
                 EndpointSlice mirroring controller copies into EndpointSlices for kube-proxy."
                    .to_string()
            } else {
                "No selector: Kubernetes creates no endpoints for it; someone must write EndpointSlices \
                 labelled kubernetes.io/service-name for it."
                    .to_string()
            });
        }
        if v.backends.source == BackendSource::PodTemplates {
            notes.push(
                "Read from manifests: pod templates stand in for pods, so readiness, pod IPs and nodes are \
                 unknown until it runs."
                    .to_string(),
            );
        }
        if v.backends.source == BackendSource::Pods {
            notes.push(
                "No EndpointSlices for it in the input: its endpoints are worked out from the pods its selector \
                 matches, as the EndpointSlice controller would write them."
                    .to_string(),
            );
        }
        for h in v.host_ports(sem.snap) {
            notes.push(format!(
                "{} publishes hostPort {} (container port {}/{}): clients that reach {} reach it at the node's own \
                 address on port {}, past this Service and any Gateway.",
                h.backend,
                h.host_port,
                h.container_port,
                h.protocol,
                h.node.as_deref().map_or("its node".to_string(), |n| format!("node {n}")),
                h.host_port
            ));
        }
        let host: Vec<String> = v
            .backends
            .items
            .iter()
            .filter(|b| b.host_network)
            .map(|b| b.label())
            .collect();
        if !host.is_empty() {
            notes.push(format!(
                "{} {} the host network: the endpoint IP is the node's own IP, and the target port is taken on the \
                 node itself, so two such pods cannot share a node.",
                host.join(", "),
                if host.len() == 1 { "uses" } else { "use" }
            ));
        }
        for p in v.ports() {
            if p.app_protocol.as_deref() == Some("kubernetes.io/h2c") {
                notes.push(format!(
                    "Port {}: appProtocol kubernetes.io/h2c means HTTP/2 over cleartext with prior knowledge; \
                     kube-proxy ignores it, but Gateways and meshes use it to speak HTTP/2 (e.g. gRPC) to the pods.",
                    crate::model::endpoints::service_port_label(p)
                ));
            }
        }
    }
    let _ = layers;
    notes
}
