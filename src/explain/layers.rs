//! Building each layer of a Service from its view, with its real values and
//! the sentences that say what those values do to traffic.

use super::report::*;
use crate::model::locality::LocalReceivers;
use crate::model::nodes::Family;
use crate::model::view::{
    ExternalNameValidity, LoadBalancerFacts, NODE_PORT_RANGE, Semantics, ServiceView,
    TrafficDistribution,
};

/// The layers of one Service, outermost first.
pub(super) fn build(sem: &Semantics, v: &ServiceView) -> Vec<Layer> {
    let mut layers = Vec::new();
    if let Some((target, validity)) = &v.external_name {
        layers.push(Layer::ExternalName(external_name(v, target, *validity)));
        return layers;
    }
    if let Some(lb) = &v.load_balancer {
        layers.push(Layer::LoadBalancer(load_balancer(v, lb)));
    }
    if v.node_ports.is_some() {
        layers.push(Layer::NodePort(node_port(sem, v)));
    }
    if !v.external_ips.is_empty() {
        layers.push(Layer::ExternalIps(ExternalIpsLayer {
            explanation: vec![
                format!(
                    "kube-proxy on every node captures traffic sent to {} on the Service's ports and forwards it \
                     like the cluster IP, so the Service is reachable from outside wherever the network delivers \
                     these addresses to a node. Kubernetes does not own or route them.",
                    v.external_ips.join(", ")
                ),
                "Anyone allowed to create Services can claim any address this way and intercept its traffic \
                 (CVE-2020-8554); externalIPs are deprecated since Kubernetes 1.36, and many clusters forbid them \
                 with the DenyServiceExternalIPs admission plugin."
                    .to_string(),
            ],
            external_ips: v.external_ips.clone(),
            implemented_by: "kube-proxy on every node".into(),
        }));
    }
    if v.shape == Shape::Headless {
        layers.push(Layer::Headless(headless(v)));
    } else {
        layers.push(Layer::ClusterIp(cluster_ip(sem, v)));
    }
    layers
}

fn load_balancer(v: &ServiceView, lb: &LoadBalancerFacts) -> LoadBalancerLayer {
    let class = lb.class.clone();
    let imp = &lb.implementation;
    let implemented_by = match (&imp.provider, &class) {
        (Some(p), _) => format!(
            "{} ({})",
            upper_first(p.value.name()),
            p.by.as_deref().unwrap_or_default()
        ),
        (None, Some(c)) => format!("the controller for loadBalancerClass {c}"),
        (None, None) => {
            "the cloud provider's load-balancer controller (MetalLB or similar on bare metal)"
                .to_string()
        }
    };
    let node_ports = v.node_ports.is_some();
    let mut explanation = Vec::new();
    let by = |b: &Option<String>| b.as_ref().map(|b| format!(" ({b})")).unwrap_or_default();
    match lb.status {
        LoadBalancerStatus::Provisioned => {
            let addrs: Vec<&str> = lb.ingress.iter().filter_map(|i| i.address()).collect();
            // Where clients connect, then how this kind of load balancer
            // delivers: the second is shared by every Service it serves.
            explanation.push(format!(
                "Clients outside the cluster connect to {} on the Service ports.",
                addrs.join(", ")
            ));
            explanation.push(format!(
                "{}: the load balancer {}{}.",
                imp.delivery.value.label(),
                imp.delivery.value.how(),
                by(&imp.delivery.by)
            ));
            if lb.ingress.iter().any(|i| i.ip.is_none() && i.hostname.is_some()) {
                explanation.push(
                    "The load balancer is known by a hostname, not an IP: kube-proxy cannot capture traffic to \
                     it, so clients inside the cluster that use this name go out through the load balancer and \
                     back in."
                        .to_string(),
                );
            }
            if lb.ingress.iter().any(|i| i.ip.is_some() && !i.short_circuited()) {
                explanation.push(
                    "ipMode Proxy (KEP-1860): the load balancer proxies connections, so kube-proxy does not \
                     short-circuit in-cluster traffic to this IP; it goes through the load balancer as external \
                     traffic does."
                        .to_string(),
                );
            } else if lb.ingress.iter().any(|i| i.short_circuited()) {
                explanation.push(
                    "Pods inside the cluster that connect to the load balancer IP never reach the load balancer: \
                     kube-proxy catches the traffic on the node and sends it straight to the Service."
                        .to_string(),
                );
            }
        }
        LoadBalancerStatus::NotCreated => {
            explanation.push(match (&imp.provider, &class) {
                (Some(p), _) => format!(
                    "Read from a manifest: once the Service is created, {} provisions the load balancer and \
                     writes its address to status.loadBalancer.ingress.",
                    p.value.name()
                ),
                (None, Some(c)) => format!(
                    "Read from a manifest: once the Service is created, a controller for class {c} provisions the \
                     load balancer and writes its address to status.loadBalancer.ingress."
                ),
                (None, None) => "Read from a manifest: once the Service is created, the cloud controller manager (on \
                                 bare metal, MetalLB or another load-balancer controller) provisions the load \
                                 balancer and writes its address to status.loadBalancer.ingress. Until then it shows \
                                 as <pending>."
                    .to_string(),
            });
            explanation.push(format!(
                "The load balancer {}{}.",
                imp.delivery.value.how(),
                by(&imp.delivery.by)
            ));
        }
        LoadBalancerStatus::Pending => explanation.push(match (&imp.provider, &class) {
            (Some(p), _) => format!(
                "Pending: no load balancer has been provisioned yet. The Service is written for {}; check that it \
                 runs and has addresses to give out.",
                p.value.name()
            ),
            (None, Some(c)) => format!(
                "Pending: no load balancer has been provisioned yet. Only a controller for class {c} will act \
                 on this Service; check that it runs and has addresses to give out."
            ),
            (None, None) => format!(
                "Pending: no controller has provisioned a load balancer yet (status.loadBalancer.ingress is \
                 empty). On a cloud the cloud controller manager does this; on bare metal, install MetalLB or \
                 another load-balancer controller. Until then, only {} work.",
                if node_ports { "the node ports and the cluster IP" } else { "the cluster IP and its endpoints" }
            ),
        }),
    }
    if let Some(why) = &imp.internal {
        explanation.push(format!(
            "Internal: the load balancer takes an address in the provider's private network, so only clients \
             there (or in networks connected to it) reach it ({why})."
        ));
    }
    for r in imp
        .requested
        .iter()
        .filter(|r| r.from != "spec.loadBalancerIP")
    {
        explanation.push(if r.name {
            format!(
                "{} asks for the reserved address named {}.",
                r.from, r.value
            )
        } else {
            format!("{} asks for the address {}.", r.from, r.value)
        });
    }
    if let Some(c) = &class {
        explanation.push(format!(
            "loadBalancerClass {c}: the cloud's default controller ignores this Service and the {c} controller \
             provisions it instead."
        ));
    }
    if let Some(ip) = &lb.requested_ip {
        explanation.push(match lb.requested_honoured {
            Some(false) => format!(
                "spec.loadBalancerIP asks for {ip} (a field deprecated since 1.24), but the load balancer got other \
                 addresses: nothing answers on {ip} for this Service."
            ),
            Some(true) => format!(
                "spec.loadBalancerIP asked for {ip} and got it (the field is deprecated since 1.24; providers now \
                 take the address from annotations)."
            ),
            None => format!(
                "spec.loadBalancerIP asks for {ip} (deprecated since 1.24): the controller may honour it or not."
            ),
        });
    }
    if !lb.shared_with.is_empty() {
        explanation.push(format!(
            "Its address is shared with {}: one load balancer for all of them (e.g. MetalLB's allow-shared-ip).",
            lb.shared_with.join(", ")
        ));
    }
    if lb.source_ranges.is_empty() {
        explanation.push(
            "No loadBalancerSourceRanges: any client that can reach the load balancer may connect."
                .to_string(),
        );
    } else {
        explanation.push(format!(
            "{}: only clients in {} may connect to the load balancer's address (enforced by \
             the cloud firewall or by kube-proxy){}.",
            imp.source_ranges_from.as_deref().unwrap_or("loadBalancerSourceRanges"),
            lb.source_ranges.join(", "),
            if node_ports {
                "; they do not filter the node ports, which stay open to any client that reaches a node"
            } else {
                ""
            }
        ));
    }
    if !lb.allocates_node_ports {
        explanation.push(if node_ports {
            "allocateLoadBalancerNodePorts: false, but some nodePorts are set explicitly: those still open on \
             every node."
                .to_string()
        } else {
            "allocateLoadBalancerNodePorts: false: no node ports are allocated, so the load balancer must send \
             traffic to pod IPs directly or to nodes on the load-balancer IP (as MetalLB and IP-mode cloud load \
             balancers do)."
                .to_string()
        });
    }
    LoadBalancerLayer {
        status: lb.status,
        requested_ip_honoured: lb.requested_honoured,
        shared_with: lb.shared_with.clone(),
        ingress: lb.ingress.clone(),
        load_balancer_class: class,
        source_ranges: lb.source_ranges.clone(),
        allocate_node_ports: lb.allocates_node_ports,
        requested_ip: lb.requested_ip.clone(),
        implementation: imp.clone(),
        implemented_by,
        explanation,
    }
}

/// `The AWS ...` from `the AWS ...`.
fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn node_port(sem: &Semantics, v: &ServiceView) -> NodePortLayer {
    let facts = v
        .node_ports
        .as_ref()
        .expect("called with a node port layer");
    let local = v.external_local;
    let has_lb = v.load_balancer.is_some();
    let node_ports = facts.numbers();
    // A node's ready local endpoints are counted on the first port with a
    // node port; whether it accepts external traffic is the model's answer
    // over every such port. Only nodes that hold an endpoint can differ from
    // the rest, so only they are looked at (the cost follows the endpoints,
    // not Services × nodes).
    let first_port = facts.ports.first().map(|(i, _)| *i);
    let local_nodes: Vec<LocalNode> = if local && sem.nodes.known {
        v.nodes_with_local_endpoints()
            .into_iter()
            .filter(|n| sem.nodes.get(n).is_some())
            .map(|n| LocalNode {
                name: n.to_string(),
                local_ready_endpoints: match first_port.map(|i| v.local_receivers(i, n)) {
                    Some(LocalReceivers::Ready(k)) => k,
                    _ => 0,
                },
                accepts_external: v.accepts_external(n),
            })
            .collect()
    } else {
        Vec::new()
    };
    let other_nodes_accept = v.accepts_external_elsewhere();
    let node_count = if sem.nodes.known {
        sem.nodes.nodes.len()
    } else {
        0
    };
    let accepting_listed = local_nodes.iter().filter(|n| n.accepts_external).count();
    let nodes_accepting = if other_nodes_accept {
        node_count - (local_nodes.len() - accepting_listed)
    } else {
        accepting_listed
    };
    let ports_text = node_ports
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let family_text = match facts.families.as_slice() {
        [Family::IPv6] => " IPv6",
        [Family::IPv4] if sem.nodes.any_ipv6() => " IPv4",
        _ => "",
    };
    let mut explanation = vec![if node_ports.is_empty() {
        format!(
            "No nodePort is set yet: the API server allocates one per Service port from {}-{} (by default) when \
             the Service is created, and kube-proxy opens it on every node's{family_text} addresses.",
            NODE_PORT_RANGE.0, NODE_PORT_RANGE.1
        )
    } else {
        format!(
            "kube-proxy opens {} {ports_text} on every node's{family_text} addresses and forwards what arrives to \
             the Service.",
            if node_ports.len() == 1 {
                "port"
            } else {
                "ports"
            }
        )
    }];
    if local {
        explanation.push(
            "externalTrafficPolicy Local: a node only passes external traffic to endpoints on itself, and the \
             client's source IP is kept; a node without a ready local endpoint drops it."
                .to_string(),
        );
        if let (Some(hc), true) = (facts.health_check_node_port, has_lb) {
            explanation.push(format!(
                "The load balancer probes healthCheckNodePort {hc} on each node (GET /healthz)."
            ));
            explanation.push(
                "Health checks under Local: nodes without a ready local endpoint answer 503 and get no traffic \
                 from the load balancer. A node whose only local endpoints are terminating also answers 503, \
                 though traffic sent to it directly still reaches them."
                    .to_string(),
            );
        }
    } else {
        explanation.push(
            "externalTrafficPolicy Cluster: any node accepts the traffic and may forward it to a pod on \
             another node (an extra hop); the source address is rewritten (SNAT), so pods see a node IP, \
             not the client's."
                .to_string(),
        );
    }
    if has_lb && sem.nodes.any_not_ready() {
        explanation.push(
            "NotReady nodes stay behind the load balancer (KEP-3458): its health checks, not node readiness, \
             decide which nodes get traffic."
                .to_string(),
        );
    }
    if !sem.nodes.known {
        explanation.push("Nodes were not read, so node addresses are unknown here.".to_string());
    }
    NodePortLayer {
        node_ports,
        families: facts.families.clone(),
        external_traffic_policy: if local { "Local" } else { "Cluster" }.to_string(),
        health_check_node_port: facts.health_check_node_port,
        node_count,
        nodes_accepting,
        other_nodes_accept,
        local_nodes,
        nodes_known: sem.nodes.known,
        implemented_by: "kube-proxy (or the CNI's replacement) on every node".into(),
        explanation,
    }
}

fn cluster_ip(sem: &Semantics, v: &ServiceView) -> ClusterIpLayer {
    let cluster_ips = v.cluster_ips.clone();
    let spec = v.spec;
    let dns = v.dns_name.clone();
    // What the address is for this Service, then what a cluster IP is: the
    // second is the same for every Service, which human output prints once.
    let mut explanation = if cluster_ips.is_empty() {
        vec![format!(
            "No cluster IP is assigned yet (the API server allocates one when the Service is created); clients use {dns}."
        )]
    } else {
        let one = cluster_ips.len() == 1;
        vec![
            format!(
                "Clients inside the cluster use {} or {dns}.",
                cluster_ips.join(", ")
            ),
            if one {
                "A cluster IP is virtual: no process listens on it. kube-proxy on each node rewrites \
                 connections to it into connections to one ready endpoint."
            } else {
                "Cluster IPs are virtual: no process listens on them. kube-proxy on each node rewrites \
                 connections to them into connections to one ready endpoint."
            }
            .to_string(),
        ]
    };
    if cluster_ips.len() > 1 || v.families.len() > 1 {
        explanation.push(format!(
            "Dual-stack: one cluster IP per family ({}); each family has its own endpoints.",
            v.families_text()
        ));
    } else if spec.ip_family_policy.as_deref() == Some("PreferDualStack")
        && sem.dual_stack.is_none()
    {
        explanation.push(format!(
            "ipFamilyPolicy PreferDualStack: in a dual-stack cluster it gets an {} cluster IP too and serves \
             both families; the input does not say whether the cluster is dual-stack.",
            v.families[0].other().word()
        ));
    }
    if let Some(t) = v.affinity_timeout {
        explanation.push(format!(
            "sessionAffinity ClientIP: connections from the same client IP go to the same endpoint for {t} \
             seconds after its last connection."
        ));
    }
    if v.internal_local {
        explanation.push(
            "internalTrafficPolicy Local: in-cluster clients only reach endpoints on their own node; on a node \
             without one, connections to the cluster IP are dropped."
                .to_string(),
        );
    }
    if let Some(td) = &v.traffic_distribution {
        explanation.push(match td {
            TrafficDistribution::PreferSameZone => "trafficDistribution PreferSameZone: kube-proxy sends a client to endpoints in its own zone when that zone has any, else to all.".to_string(),
            TrafficDistribution::PreferClose => "trafficDistribution PreferClose (the deprecated name of PreferSameZone): kube-proxy sends a client to endpoints in its own zone when that zone has any, else to all.".to_string(),
            TrafficDistribution::PreferSameNode => "trafficDistribution PreferSameNode: kube-proxy sends a client to endpoints on its own node when there are any, else to all (unlike internalTrafficPolicy Local, it falls back).".to_string(),
            TrafficDistribution::Other(s) => format!("trafficDistribution {s}: a value this Kubernetes version may not know; kube-proxy ignores what it does not know."),
        });
    }
    ClusterIpLayer {
        cluster_ips,
        ip_families: spec.ip_families.clone().unwrap_or_default(),
        ip_family_policy: spec.ip_family_policy.clone(),
        dns_name: dns,
        session_affinity: spec
            .session_affinity
            .clone()
            .unwrap_or_else(|| "None".into()),
        session_affinity_timeout_seconds: v.affinity_timeout,
        internal_traffic_policy: if v.internal_local { "Local" } else { "Cluster" }.to_string(),
        traffic_distribution: spec.traffic_distribution.clone(),
        traffic_distribution_prefers: v.traffic_distribution.as_ref().and_then(|t| t.prefers()),
        implemented_by: "kube-proxy (or the CNI's replacement) on every node".into(),
        explanation,
    }
}

fn headless(v: &ServiceView) -> HeadlessLayer {
    let dns = v.dns_name.clone();
    let mut explanation = vec![format!(
        "clusterIP: None: there is no virtual IP and kube-proxy does nothing. Cluster DNS answers {dns} with \
         the IPs of the endpoints themselves, and clients connect straight to a pod on its target port."
    )];
    if v.publish_not_ready {
        explanation.push(
            "publishNotReadyAddresses: DNS lists pods whether or not they are ready (useful for peers of a \
             StatefulSet that must find each other while starting); it is about DNS only here, since no \
             kube-proxy rules exist for a headless Service."
                .to_string(),
        );
    } else {
        explanation.push("DNS lists only ready endpoints.".to_string());
    }
    HeadlessLayer {
        dns_name: dns,
        publish_not_ready_addresses: v.publish_not_ready,
        implemented_by: "cluster DNS".into(),
        explanation,
    }
}

fn external_name(
    v: &ServiceView,
    target: &str,
    validity: ExternalNameValidity,
) -> ExternalNameLayer {
    let dns = v.dns_name.clone();
    let explanation = match validity {
        ExternalNameValidity::DnsName => vec![
            format!(
                "Cluster DNS answers {dns} with a CNAME to {target}. Nothing is proxied: no cluster IP, no \
                 ports, no endpoints; clients connect to whatever {target} resolves to."
            ),
            format!(
                "HTTP and TLS clients still send the name they dialled ({dns}) as Host header and SNI; a \
                 server at {target} may reject it."
            ),
        ],
        ExternalNameValidity::IpAddress => vec![format!(
            "externalName {target} is an IP address. The API accepts it (it looks like a DNS name), but cluster DNS \
             answers {dns} with a CNAME to a name `{target}` that does not resolve, so clients get no address. \
             For a fixed IP, use a Service without selector and an EndpointSlice that lists it."
        )],
        ExternalNameValidity::Empty => vec![format!(
            "No externalName is set: cluster DNS has nothing to answer for {dns}."
        )],
        ExternalNameValidity::Invalid => vec![format!(
            "externalName {target} is not a DNS name, so the API server rejects the Service; DNS cannot serve it."
        )],
    };
    ExternalNameLayer {
        explanation,
        dns_name: dns,
        external_name: target.to_string(),
        validity,
        implemented_by: "cluster DNS".into(),
    }
}
