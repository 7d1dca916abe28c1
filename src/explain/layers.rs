//! Building each layer of a Service with its real values and the sentences
//! that say what those values do to traffic.

use super::report::*;
use super::{Shape, dns_name};
use crate::model::Snapshot;
use crate::model::endpoints::Backends;
use crate::model::status::node_addresses;
use k8s_openapi::api::core::v1::{Service, ServiceSpec};
use kube::ResourceExt;

/// The default `--service-node-port-range` of the API server.
pub const NODE_PORT_RANGE: (i32, i32) = (30000, 32767);

/// The layers of one Service, outermost first.
pub fn build(snap: &Snapshot, svc: &Service, shape: Shape, backends: &Backends) -> Vec<Layer> {
    let spec = svc.spec.clone().unwrap_or_default();
    let mut layers = Vec::new();
    if shape == Shape::ExternalName {
        layers.push(Layer::ExternalName(external_name(svc, &spec)));
        return layers;
    }
    if shape == Shape::LoadBalancer {
        layers.push(Layer::LoadBalancer(load_balancer(snap, svc, &spec)));
    }
    let node_ports: Vec<i32> = spec
        .ports
        .iter()
        .flatten()
        .filter_map(|p| p.node_port)
        .collect();
    // A LoadBalancer with allocateLoadBalancerNodePorts: false has no node
    // ports unless some were set explicitly.
    let allocates = spec.allocate_load_balancer_node_ports.unwrap_or(true);
    if shape == Shape::NodePort
        || (shape == Shape::LoadBalancer && (allocates || !node_ports.is_empty()))
    {
        layers.push(Layer::NodePort(node_port(
            snap, &spec, node_ports, backends,
        )));
    }
    let external_ips = spec.external_ips.clone().unwrap_or_default();
    if !external_ips.is_empty() {
        layers.push(Layer::ExternalIps(ExternalIpsLayer {
            explanation: vec![
                format!(
                    "kube-proxy on every node captures traffic sent to {} on the Service's ports and forwards it \
                     like the cluster IP. Kubernetes does not own or route these addresses: the network must \
                     deliver them to a node.",
                    external_ips.join(", ")
                ),
                "Anyone allowed to create Services can claim any address this way and intercept its traffic \
                 (CVE-2020-8554); many clusters forbid externalIPs with the DenyServiceExternalIPs admission plugin."
                    .to_string(),
            ],
            external_ips,
            implemented_by: "kube-proxy on every node".into(),
        }));
    }
    if shape == Shape::Headless {
        layers.push(Layer::Headless(headless(svc, &spec)));
    } else {
        layers.push(Layer::ClusterIp(cluster_ip(svc, &spec)));
    }
    layers
}

fn load_balancer(snap: &Snapshot, svc: &Service, spec: &ServiceSpec) -> LoadBalancerLayer {
    let ingress: Vec<LoadBalancerIngress> = svc
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_ref())
        .into_iter()
        .flatten()
        .map(|i| LoadBalancerIngress {
            ip: i.ip.clone(),
            hostname: i.hostname.clone(),
            ip_mode: i.ip_mode.clone(),
        })
        .collect();
    let status = if !snap.load_balancer_status_known(svc) {
        LoadBalancerStatus::NotCreated
    } else if ingress.is_empty() {
        LoadBalancerStatus::Pending
    } else {
        LoadBalancerStatus::Provisioned
    };
    let class = spec.load_balancer_class.clone();
    let allocate = spec.allocate_load_balancer_node_ports.unwrap_or(true);
    let source_ranges = spec.load_balancer_source_ranges.clone().unwrap_or_default();
    let implemented_by = match &class {
        Some(c) if c.contains("metallb") => format!("MetalLB (loadBalancerClass {c})"),
        Some(c) => format!("the controller for loadBalancerClass {c}"),
        None => "the cloud provider's load-balancer controller (MetalLB or similar on bare metal)"
            .to_string(),
    };
    let mut explanation = Vec::new();
    match status {
        LoadBalancerStatus::Provisioned => {
            let addrs: Vec<String> =
                ingress.iter().filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone())).collect();
            explanation.push(format!(
                "Clients outside the cluster connect to {} on the Service ports; the load balancer spreads \
                 connections over the nodes.",
                addrs.join(", ")
            ));
        }
        LoadBalancerStatus::NotCreated => explanation.push(match &class {
            Some(c) => format!(
                "Read from a manifest: once the Service is created, a controller for class {c} provisions the \
                 load balancer and writes its address to status.loadBalancer.ingress."
            ),
            None => "Read from a manifest: once the Service is created, the cloud controller manager (on bare \
                     metal, MetalLB or another load-balancer controller) provisions the load balancer and \
                     writes its address to status.loadBalancer.ingress. Until then it shows as <pending>."
                .to_string(),
        }),
        LoadBalancerStatus::Pending => explanation.push(match &class {
            Some(c) => format!(
                "Pending: no load balancer has been provisioned yet. Only a controller for class {c} will act \
                 on this Service; check that it runs and has addresses to give out."
            ),
            None => "Pending: no controller has provisioned a load balancer yet (status.loadBalancer.ingress is \
                     empty). On a cloud the cloud controller manager does this; on bare metal, install MetalLB \
                     or another load-balancer controller. Until then, only the node ports and the cluster IP work."
                .to_string(),
        }),
    }
    if let Some(c) = &class {
        explanation.push(format!(
            "loadBalancerClass {c}: the cloud's default controller ignores this Service and the {c} controller \
             provisions it instead."
        ));
    }
    if ingress
        .iter()
        .any(|i| i.ip_mode.as_deref() == Some("Proxy"))
    {
        explanation.push(
            "ipMode Proxy: traffic reaches nodes from the load balancer's own address, not addressed to the \
             load-balancer IP, so kube-proxy does not short-circuit it."
                .to_string(),
        );
    }
    if source_ranges.is_empty() {
        explanation.push(
            "No loadBalancerSourceRanges: any client that can reach the load balancer may connect."
                .to_string(),
        );
    } else {
        explanation.push(format!(
            "loadBalancerSourceRanges: only clients in {} may connect (enforced by the cloud firewall or by \
             kube-proxy); others are dropped.",
            source_ranges.join(", ")
        ));
    }
    if !allocate {
        explanation.push(
            "allocateLoadBalancerNodePorts: false: no node ports are allocated, so the load balancer must send \
             traffic to pod IPs directly or to nodes on the load-balancer IP (as MetalLB and IP-mode cloud load \
             balancers do)."
                .to_string(),
        );
    }
    LoadBalancerLayer {
        status,
        ingress,
        load_balancer_class: class,
        source_ranges,
        allocate_node_ports: allocate,
        requested_ip: spec.load_balancer_ip.clone(),
        implemented_by,
        explanation,
    }
}

fn node_port(
    snap: &Snapshot,
    spec: &ServiceSpec,
    node_ports: Vec<i32>,
    backends: &Backends,
) -> NodePortLayer {
    let etp = spec
        .external_traffic_policy
        .clone()
        .unwrap_or_else(|| "Cluster".into());
    let local = etp == "Local";
    let nodes: Vec<NodeView> = snap
        .nodes
        .iter()
        .map(|n| {
            let name = n.object.name_any();
            let ready = n.object.ready();
            let local_ready = backends
                .items
                .iter()
                .filter(|b| b.is_ready() && b.node.as_deref() == Some(name.as_str()))
                .count();
            NodeView {
                addresses: node_addresses(&n.object)
                    .into_iter()
                    .map(|(_, a)| a)
                    .collect(),
                ready,
                local_ready_endpoints: local_ready,
                accepts_external: ready != Some(false) && (!local || local_ready > 0),
                name,
            }
        })
        .collect();
    let ports_text = node_ports
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let mut explanation = vec![if node_ports.is_empty() {
        format!(
            "No nodePort is set yet: the API server allocates one per Service port from {}-{} when the \
             Service is created, and kube-proxy opens it on every node's addresses.",
            NODE_PORT_RANGE.0, NODE_PORT_RANGE.1
        )
    } else {
        format!(
            "kube-proxy opens {} {ports_text} on every node's addresses and forwards what arrives to the Service.",
            if node_ports.len() == 1 {
                "port"
            } else {
                "ports"
            }
        )
    }];
    let outside: Vec<String> = node_ports
        .iter()
        .filter(|p| !(NODE_PORT_RANGE.0..=NODE_PORT_RANGE.1).contains(*p))
        .map(i32::to_string)
        .collect();
    if !outside.is_empty() {
        explanation.push(format!(
            "Port {} is outside the default node-port range {}-{}: this cluster's API server must run with a \
             --service-node-port-range that includes it.",
            outside.join(", "),
            NODE_PORT_RANGE.0,
            NODE_PORT_RANGE.1
        ));
    }
    if local {
        let hc = spec.health_check_node_port;
        explanation.push(
            "externalTrafficPolicy Local: a node only accepts external traffic if one of this Service's ready \
             endpoints runs on it; the client's source IP is kept."
                .to_string(),
        );
        if let Some(hc) = hc {
            explanation.push(format!(
                "The load balancer probes healthCheckNodePort {hc} on each node (GET /healthz); nodes without \
                 a local ready endpoint answer 503 and are taken out of rotation."
            ));
        }
        if snap.nodes_known {
            let refusing: Vec<&str> = nodes
                .iter()
                .filter(|n| !n.accepts_external)
                .map(|n| n.name.as_str())
                .collect();
            if !refusing.is_empty() {
                explanation.push(format!(
                    "{} {} no external traffic for this Service: no ready endpoint runs there.",
                    refusing.join(", "),
                    if refusing.len() == 1 {
                        "receives"
                    } else {
                        "receive"
                    }
                ));
            }
        }
    } else {
        explanation.push(
            "externalTrafficPolicy Cluster: any node accepts the traffic and may forward it to a pod on \
             another node (an extra hop); the source address is rewritten (SNAT), so pods see a node IP, \
             not the client's."
                .to_string(),
        );
    }
    if !snap.nodes_known {
        explanation.push("Nodes were not read, so node addresses are unknown here.".to_string());
    }
    NodePortLayer {
        node_ports,
        external_traffic_policy: etp,
        health_check_node_port: spec.health_check_node_port,
        nodes,
        nodes_known: snap.nodes_known,
        implemented_by: "kube-proxy (or the CNI's replacement) on every node".into(),
        explanation,
    }
}

fn cluster_ip(svc: &Service, spec: &ServiceSpec) -> ClusterIpLayer {
    let cluster_ips = spec
        .cluster_ips
        .clone()
        .filter(|v| !v.is_empty())
        .or_else(|| spec.cluster_ip.clone().map(|ip| vec![ip]))
        .unwrap_or_default();
    let affinity = spec
        .session_affinity
        .clone()
        .unwrap_or_else(|| "None".into());
    let timeout = (affinity == "ClientIP").then(|| {
        spec.session_affinity_config
            .as_ref()
            .and_then(|c| c.client_ip.as_ref())
            .and_then(|c| c.timeout_seconds)
            .unwrap_or(10800)
    });
    let itp = spec
        .internal_traffic_policy
        .clone()
        .unwrap_or_else(|| "Cluster".into());
    let dns = dns_name(svc);
    let mut explanation = vec![if cluster_ips.is_empty() {
        format!(
            "No cluster IP is assigned yet (the API server allocates one when the Service is created); clients use {dns}."
        )
    } else {
        format!(
            "{} {}: no process listens on {}. kube-proxy on each node rewrites connections to {} into \
             connections to one ready endpoint. Clients inside the cluster use {} or {dns}.",
            cluster_ips.join(" and "),
            if cluster_ips.len() == 1 {
                "is a virtual IP"
            } else {
                "are virtual IPs"
            },
            if cluster_ips.len() == 1 { "it" } else { "them" },
            if cluster_ips.len() == 1 { "it" } else { "them" },
            cluster_ips[0]
        )
    }];
    if cluster_ips.len() > 1 {
        explanation.push(format!(
            "Dual-stack: one cluster IP per family ({}).",
            spec.ip_families.clone().unwrap_or_default().join(", ")
        ));
    }
    if let Some(t) = timeout {
        explanation.push(format!(
            "sessionAffinity ClientIP: connections from the same client IP go to the same endpoint for {t} \
             seconds after its last connection."
        ));
    }
    if itp == "Local" {
        explanation.push(
            "internalTrafficPolicy Local: in-cluster clients only reach endpoints on their own node; on a node \
             without one, connections to the cluster IP are dropped."
                .to_string(),
        );
    }
    if let Some(td) = &spec.traffic_distribution {
        explanation.push(format!(
            "trafficDistribution {td}: kube-proxy prefers endpoints in the client's own zone when there are any."
        ));
    }
    ClusterIpLayer {
        cluster_ips,
        ip_families: spec.ip_families.clone().unwrap_or_default(),
        ip_family_policy: spec.ip_family_policy.clone(),
        dns_name: dns,
        session_affinity: affinity,
        session_affinity_timeout_seconds: timeout,
        internal_traffic_policy: itp,
        traffic_distribution: spec.traffic_distribution.clone(),
        implemented_by: "kube-proxy (or the CNI's replacement) on every node".into(),
        explanation,
    }
}

fn headless(svc: &Service, spec: &ServiceSpec) -> HeadlessLayer {
    let dns = dns_name(svc);
    let pnra = spec.publish_not_ready_addresses.unwrap_or(false);
    let mut explanation = vec![format!(
        "clusterIP: None: there is no virtual IP and kube-proxy does nothing. Cluster DNS answers {dns} with \
         the IPs of the endpoints themselves, and clients connect straight to a pod on its target port."
    )];
    if pnra {
        explanation.push(
            "publishNotReadyAddresses: DNS lists pods before they are ready (useful for peers of a StatefulSet \
             that must find each other while starting)."
                .to_string(),
        );
    } else {
        explanation.push("DNS lists only ready endpoints.".to_string());
    }
    HeadlessLayer {
        dns_name: dns,
        publish_not_ready_addresses: pnra,
        implemented_by: "cluster DNS".into(),
        explanation,
    }
}

fn external_name(svc: &Service, spec: &ServiceSpec) -> ExternalNameLayer {
    let dns = dns_name(svc);
    let target = spec.external_name.clone().unwrap_or_default();
    ExternalNameLayer {
        explanation: vec![
            format!(
                "Cluster DNS answers {dns} with a CNAME to {target}. Nothing is proxied: no cluster IP, no \
                 ports, no endpoints; clients connect to whatever {target} resolves to."
            ),
            format!(
                "HTTP and TLS clients still send the name they dialled ({dns}) as Host header and SNI; a \
                 server at {target} may reject it."
            ),
        ],
        dns_name: dns,
        external_name: target,
        implemented_by: "cluster DNS".into(),
    }
}
