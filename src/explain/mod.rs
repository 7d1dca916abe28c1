//! Explain: what each Service is, layer by layer from the outside in, with its
//! real addresses and ports, who implements each layer, and what each setting
//! does to traffic. A pure function of the Snapshot; rendering is elsewhere.

pub mod concepts;
mod layers;
pub mod report;

use crate::model::endpoints::Backends;
use crate::model::ports::{format_int_or_string, protocol, target_port};
use crate::model::selector::format_selector;
use crate::model::{Located, Snapshot};
use k8s_openapi::api::core::v1::Service;
use kube::ResourceExt;
use report::*;

/// Explains the given Services (all in the snapshot when `services` is empty).
pub fn explain(snap: &Snapshot, services: &[&Located<Service>]) -> ExplainReport {
    let chosen: Vec<&Located<Service>> = if services.is_empty() {
        snap.services
            .iter()
            .filter(|s| {
                snap.scope
                    .includes(&s.object.namespace().unwrap_or_default())
            })
            .collect()
    } else {
        services.to_vec()
    };
    ExplainReport {
        schema: SCHEMA,
        source: snap.source.clone(),
        scope: snap.scope.clone(),
        services: chosen
            .into_iter()
            .map(|s| explain_service(snap, s))
            .collect(),
        notices: snap.notices.clone(),
    }
}

/// The shape of a Service: what it really is, whatever `type` says.
pub fn shape(svc: &Service) -> Shape {
    let spec = svc.spec.as_ref();
    match spec.and_then(|s| s.type_.as_deref()).unwrap_or("ClusterIP") {
        "ExternalName" => Shape::ExternalName,
        "LoadBalancer" => Shape::LoadBalancer,
        "NodePort" => Shape::NodePort,
        _ if spec.and_then(|s| s.cluster_ip.as_deref()) == Some("None") => Shape::Headless,
        _ => Shape::ClusterIp,
    }
}

/// The Service's cluster DNS name.
pub fn dns_name(svc: &Service) -> String {
    crate::model::lookup::service_dns_name(&svc.namespace().unwrap_or_default(), &svc.name_any())
}

fn explain_service(snap: &Snapshot, located: &Located<Service>) -> ServiceExplanation {
    let svc = &located.object;
    let spec = svc.spec.clone().unwrap_or_default();
    let shape = shape(svc);
    let backends = snap.backends(svc);
    let ports: Vec<PortView> = spec
        .ports
        .iter()
        .flatten()
        .map(|p| PortView {
            name: p.name.clone().filter(|n| !n.is_empty()),
            protocol: protocol(p.protocol.as_ref()).to_string(),
            app_protocol: p.app_protocol.clone(),
            port: p.port,
            target_port: format_int_or_string(&target_port(p)),
            node_port: p.node_port,
        })
        .collect();
    let selector = spec
        .selector
        .as_ref()
        .filter(|s| !s.is_empty())
        .map(format_selector);
    let endpoint_summary = summarize(&backends);
    let layers = layers::build(snap, svc, shape, &backends);
    let mut notes = notes(
        svc,
        shape,
        &layers,
        &backends,
        selector.is_some(),
        &endpoint_summary,
    );
    if endpoint_summary.total == 0 && shape != Shape::ExternalName {
        notes.extend(selector_suggestion(snap, svc, &backends));
    }
    ServiceExplanation {
        namespace: svc.namespace().unwrap_or_default(),
        name: svc.name_any(),
        origin: located.origin.clone(),
        service_type: spec.type_.clone().unwrap_or_else(|| "ClusterIP".into()),
        shape,
        summary: summary(shape),
        layers,
        ports,
        selector,
        backends,
        endpoint_summary,
        notes,
    }
}

fn summarize(backends: &Backends) -> EndpointSummary {
    let mut s = EndpointSummary {
        total: backends.items.len(),
        ..Default::default()
    };
    for b in &backends.items {
        match b.conditions {
            None => s.unknown += 1,
            Some(c) if c.terminating => s.terminating += 1,
            Some(c) if c.ready => s.ready += 1,
            Some(_) => s.not_ready += 1,
        }
    }
    s
}

fn summary(shape: Shape) -> String {
    match shape {
        Shape::LoadBalancer => "an external load balancer, in front of a port on every node, in front of a virtual cluster IP",
        Shape::NodePort => "a port opened on every node, in front of a virtual cluster IP",
        Shape::ClusterIp => "a virtual IP reachable only inside the cluster",
        Shape::Headless => "a DNS name that resolves straight to pod IPs (headless: no virtual IP)",
        Shape::ExternalName => "a DNS alias (CNAME) to a name outside the cluster; nothing is proxied",
    }
    .to_string()
}

/// Notes about the Service as a whole: how its layers nest, what it costs,
/// and where its traffic ends up.
fn notes(
    svc: &Service,
    shape: Shape,
    layers: &[Layer],
    backends: &Backends,
    has_selector: bool,
    counts: &EndpointSummary,
) -> Vec<String> {
    use crate::model::endpoints::BackendSource;
    let mut notes = Vec::new();
    let cluster_ip = layers.iter().find_map(|l| match l {
        Layer::ClusterIp(c) => c.cluster_ips.first().cloned(),
        _ => None,
    });
    let node_ports = layers.iter().find_map(|l| match l {
        Layer::NodePort(n) if n.node_ports.is_empty() => Some("allocated on creation".to_string()),
        Layer::NodePort(n) => Some(
            n.node_ports
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ => None,
    });
    match shape {
        Shape::LoadBalancer => {
            let np = match &node_ports {
                Some(p) if p.starts_with("allocated") => {
                    "a NodePort Service (a port on every node, allocated on creation)".to_string()
                }
                Some(p) if p.contains(',') => format!("a NodePort Service (ports {p} on every node)"),
                Some(p) => format!("a NodePort Service (port {p} on every node)"),
                None => "not a NodePort Service (allocateLoadBalancerNodePorts: false)".to_string(),
            };
            notes.push(format!(
                "This LoadBalancer Service is also {np} and a ClusterIP Service ({}): each layer wraps the next.",
                cluster_ip.as_deref().unwrap_or("no cluster IP")
            ));
            notes.push(
                "Each LoadBalancer Service gets a load balancer of its own, which most clouds bill separately. \
                 Keeping Services ClusterIP behind one Gateway API Gateway (HTTPRoute, GRPCRoute, TLSRoute, \
                 TCPRoute, UDPRoute) shares one load balancer between them."
                    .to_string(),
            );
        }
        Shape::NodePort => {
            notes.push(format!(
                "This NodePort Service is also a ClusterIP Service ({}): the node port forwards to it.",
                cluster_ip.as_deref().unwrap_or("no cluster IP")
            ));
            notes.push(
                "A node port opens on every node's address, so firewalls must allow it on all of them. \
                 A Gateway API Gateway in front of a ClusterIP Service exposes the same traffic on one address."
                    .to_string(),
            );
        }
        Shape::ClusterIp => notes.push(
            "Reachable only from inside the cluster. To expose it, route to it from a Gateway API Gateway \
             (HTTPRoute for HTTP) rather than changing its type: no new load balancer per Service."
                .to_string(),
        ),
        Shape::Headless | Shape::ExternalName => {}
    }
    if shape != Shape::ExternalName {
        if !has_selector {
            let managed = svc
                .labels()
                .get("component")
                .is_some_and(|c| c == "apiserver");
            notes.push(if managed {
                "No selector: the API server writes this Service's EndpointSlice itself.".to_string()
            } else {
                "No selector: Kubernetes creates no endpoints for it; someone must write EndpointSlices \
                 labelled kubernetes.io/service-name for it (or it stays empty)."
                    .to_string()
            });
        }
        match backends.source {
            BackendSource::PodTemplates => notes.push(
                "Read from manifests: pod templates stand in for pods, so readiness, pod IPs and nodes are \
                 unknown until it runs."
                    .to_string(),
            ),
            BackendSource::None if has_selector => notes.push(
                "The selector matches no pods or pod templates in the input, so there is nothing to send traffic to."
                    .to_string(),
            ),
            BackendSource::EndpointSlices | BackendSource::Pods if counts.total == 0 && has_selector => notes.push(
                "No endpoints: the selector matches no running pod, so connections to this Service fail."
                    .to_string(),
            ),
            _ => {}
        }
        port_notes(svc, backends, &mut notes);
        if counts.not_ready > 0 {
            notes.push(format!(
                "{} of {} endpoints are not ready: they get no new connections until their readiness probe passes.",
                counts.not_ready, counts.total
            ));
        }
        if counts.terminating > 0 {
            notes.push(format!(
                "Terminating endpoints: {}. A terminating endpoint finishes its open connections and \
                 gets new ones only while no ready endpoint is left.",
                counts.terminating
            ));
        }
    }
    notes
}

/// Notes for target ports that do not land: a named port some backends lack,
/// or a protocol that differs from the container's.
fn port_notes(svc: &Service, backends: &Backends, notes: &mut Vec<String>) {
    use crate::model::ports::TargetStatus;
    let ports = svc
        .spec
        .as_ref()
        .and_then(|s| s.ports.clone())
        .unwrap_or_default();
    for (i, sp) in ports.iter().enumerate() {
        let label = crate::model::endpoints::service_port_label(sp);
        let mut missing = Vec::new();
        let mut mismatch = Vec::new();
        for b in &backends.items {
            let who = b
                .pod
                .clone()
                .or_else(|| b.workload.clone())
                .unwrap_or_else(|| b.addresses.join(","));
            match b.ports.get(i).map(|p| &p.resolution.status) {
                Some(TargetStatus::NameNotFound { .. }) => missing.push(who),
                Some(TargetStatus::ProtocolMismatch { declared }) => {
                    mismatch.push(format!("{who} ({declared})"))
                }
                _ => {}
            }
        }
        let target = format_int_or_string(&target_port(sp));
        if !missing.is_empty() {
            notes.push(format!(
                "Port {label}: {} of {} backends declare no container port named `{target}`, so they get no \
                 traffic on it: {}.",
                missing.len(),
                backends.items.len(),
                missing.join(", ")
            ));
        }
        if !mismatch.is_empty() {
            notes.push(format!(
                "Port {label} is {} but the container declares port {target} with another protocol: {}.",
                protocol(sp.protocol.as_ref()),
                mismatch.join(", ")
            ));
        }
    }
}

/// For a selector that selects nothing: the nearest label set that would
/// (a typo such as `app=payment` for pods labelled `app=payments`).
fn selector_suggestion(snap: &Snapshot, svc: &Service, backends: &Backends) -> Option<String> {
    use crate::model::endpoints::BackendSource;
    let selector = svc
        .spec
        .as_ref()?
        .selector
        .as_ref()
        .filter(|s| !s.is_empty())?;
    let ns = svc.namespace().unwrap_or_default();
    let (hint, what) = match backends.source {
        BackendSource::None => (snap.workload_selector_hint(&ns, selector)?, "pod template"),
        _ => (snap.pod_selector_hint(&ns, selector)?, "pod"),
    };
    Some(format!(
        "Did you mean `{}`? {} {what}{} in {ns} {} it ({}).",
        format_selector(&hint.selector),
        hint.matches,
        if hint.matches == 1 { "" } else { "s" },
        if hint.matches == 1 {
            "matches"
        } else {
            "match"
        },
        hint.changes_text()
    ))
}
