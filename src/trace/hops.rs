//! Building one Service's paths, one per Service port, from the outside in:
//! load balancer and externalIPs, node:nodePort, cluster IP (or the DNS name
//! of a headless Service, or the CNAME of an ExternalName one), then the
//! endpoint layer from [`super::backends`]. Each hop gets its verdict here,
//! where the Service's settings are at hand.

use super::Context;
use super::backends::{EmptyReason, ServiceBackends, endpoint_hops};
use super::nodes::{NodeLayer, node_hops};
use super::report::{Hop, HopKind, PortPath, PortSpec, ServiceTrace};
use super::target::{Entry, Selection};
use super::verdict::Verdict;
use crate::model::endpoints::BackendSource;
use crate::model::ports::{format_int_or_string, protocol, target_port};
use crate::model::{Located, SourceInfo};
use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};
use kube::ResourceExt;
use std::collections::BTreeMap;

/// Names listed before "and N more".
const NAMES_SHOWN: usize = 10;

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
            HopKind::Endpoints | HopKind::ExternalName | HopKind::ClusterIp | HopKind::Dns => {
                h.reason.clone()
            }
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
struct ServiceContext<'s> {
    spec: &'s ServiceSpec,
    namespace: String,
    name: String,
    load_balancer: bool,
    node_ports: bool,
    local: bool,
    headless: bool,
    /// `status.loadBalancer.ingress`; `None` when the input cannot say
    /// (a manifest without status).
    ingress: Option<Vec<(String, Option<String>)>>,
    /// Ready endpoints per node; `None` when unknown.
    local_ready: Option<BTreeMap<String, usize>>,
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
        let source_is_live = matches!(ctx.snap.source, SourceInfo::Live { .. });
        let ingress = if lb_status.is_some() || source_is_live {
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

    fn dns_name(&self) -> String {
        format!("{}.{}.svc.cluster.local", self.name, self.namespace)
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
    let external_ips = s.spec.external_ips.as_deref().unwrap_or_default();
    if matches!(entry, Entry::Service | Entry::ExternalIp(_)) {
        for (i, ip) in external_ips.iter().enumerate() {
            if let Entry::ExternalIp(want) = entry
                && !same_address(want, ip)
            {
                continue;
            }
            let mut hop = Hop::new(
                format!("eip{i}"),
                HopKind::ExternalIp,
                Verdict::Ok,
                format!(
                    "kube-proxy on every node answers {ip}{} when the network routes that IP to a node \
                     (svcx cannot see the routing)",
                    svc_port.map(|p| format!(":{p}")).unwrap_or_default()
                ),
            )
            .at(Some(ip.clone()), svc_port)
            .note(
                "externalIPs let a Service capture traffic meant for any address (CVE-2020-8554); many clusters \
                 forbid them with an admission policy",
            );
            if s.local {
                hop = hop.note("externalTrafficPolicy Local: only nodes running a ready endpoint of this Service answer");
            }
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

fn same_address(a: &str, b: &str) -> bool {
    match (a.parse::<std::net::IpAddr>(), b.parse::<std::net::IpAddr>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a
            .trim_end_matches('.')
            .eq_ignore_ascii_case(b.trim_end_matches('.')),
    }
}

fn names_list(names: &[&str]) -> String {
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

fn load_balancer_hops(
    ctx: &Context,
    s: &ServiceContext,
    port: Option<i32>,
    only: Option<&str>,
) -> Vec<Hop> {
    let spec = s.spec;
    let class = spec.load_balancer_class.as_deref();
    let mut notes = Vec::new();
    match spec.load_balancer_source_ranges.as_deref() {
        Some(r) if !r.is_empty() => notes.push(format!(
            "only clients from {} get in (loadBalancerSourceRanges); others are dropped",
            r.join(", ")
        )),
        _ => {}
    }
    if let Some(c) = class {
        notes.push(format!(
            "loadBalancerClass {c}: that controller, not the cloud's default one, provisions it"
        ));
    }
    let Some(ingress) = &s.ingress else {
        // A manifest: no status yet, so no address to report.
        let mut hop = Hop::new(
            "lb0",
            HopKind::LoadBalancer,
            Verdict::Ok,
            "the address is assigned once a load balancer controller provisions it; a manifest cannot say which",
        )
        .name("not yet assigned")
        .at(spec.load_balancer_ip.clone(), port);
        hop.notes = notes;
        if class.is_none() {
            hop.notes.push(
                "on bare metal there is no cloud controller to provision it: install MetalLB (or similar) or use the node ports"
                    .into(),
            );
        }
        return vec![hop];
    };
    if ingress.is_empty() {
        let mut hop = Hop::new(
            "lb0",
            HopKind::LoadBalancer,
            Verdict::Broken,
            "no load balancer yet: status.loadBalancer.ingress is empty (kubectl shows <pending>), so there is no \
             external address",
        )
        .name("pending")
        .at(spec.load_balancer_ip.clone(), port);
        hop.hint = Some(match class {
            Some(c) => format!(
                "loadBalancerClass `{c}` names the controller that must provision it: check that it runs and has \
                 addresses to give (MetalLB needs an IPAddressPool)"
            ),
            None => "no controller has provisioned it: on bare metal or kind there is no cloud controller; install \
                     MetalLB (or kube-vip, cloud-provider-kind), or reach the Service on its node ports"
                .to_string(),
        });
        if spec.load_balancer_ip.is_some() {
            notes.push("the address shown is the one requested in spec.loadBalancerIP".into());
        }
        if s.node_ports {
            notes.push("its node ports still work: connect to any node on the nodePort".into());
        }
        hop.notes = notes;
        return vec![hop];
    }
    let reason = lb_reason(ctx, s);
    ingress
        .iter()
        .enumerate()
        .filter(|(_, (addr, _))| only.is_none_or(|o| same_address(o, addr)))
        .map(|(i, (addr, ip_mode))| {
            let (verdict, text) = reason.clone();
            let mut hop = Hop::new(format!("lb{i}"), HopKind::LoadBalancer, verdict, text).at(Some(addr.clone()), port);
            hop.notes = notes.clone();
            if addr.parse::<std::net::IpAddr>().is_err() {
                hop.notes.push("a hostname: clients resolve it through DNS first".into());
            }
            if ip_mode.as_deref() == Some("Proxy") {
                hop.notes.push(
                    "ipMode Proxy: the load balancer proxies connections, so kube-proxy does not short-cut traffic to \
                     this address from inside the cluster"
                        .into(),
                );
            }
            if verdict == Verdict::Broken && s.local {
                hop.hint = Some("no endpoint is ready anywhere; fix the endpoints below and the nodes pass again".into());
            }
            hop
        })
        .collect()
}

/// What the load balancer does with traffic, with its verdict.
fn lb_reason(ctx: &Context, s: &ServiceContext) -> (Verdict, String) {
    if !s.node_ports {
        let how = if s.spec.load_balancer_class.is_some() {
            "it must deliver to the address on a node (MetalLB announces it from one), where kube-proxy catches it"
        } else {
            "it must send to pod IPs directly, or to the address on a node where kube-proxy catches it"
        };
        return (
            Verdict::Ok,
            format!("no node ports (allocateLoadBalancerNodePorts: false): {how}"),
        );
    }
    if !s.local {
        return (
            Verdict::Ok,
            "spreads connections over the nodes on the nodePort".to_string(),
        );
    }
    let check = match s.spec.health_check_node_port {
        Some(h) => format!("health-checks port {h} on every node"),
        None => "health-checks every node".to_string(),
    };
    match &s.local_ready {
        Some(local) if ctx.nodes.known => {
            let passing: Vec<&str> = local.keys().map(String::as_str).collect();
            if passing.is_empty() {
                (
                    Verdict::Broken,
                    format!(
                        "{check}; none passes: no node runs a ready endpoint, so no traffic gets through"
                    ),
                )
            } else {
                (
                    Verdict::Ok,
                    format!(
                        "{check}; only nodes with a ready endpoint pass and get traffic: {}",
                        names_list(&passing)
                    ),
                )
            }
        }
        _ => (
            Verdict::Ok,
            format!(
                "{check}; only nodes running a ready endpoint pass (which ones is known only in a cluster)"
            ),
        ),
    }
}

fn cluster_ip_hop(ctx: &Context, s: &ServiceContext, port: Option<i32>) -> Hop {
    let spec = s.spec;
    let ip = spec.cluster_ip.clone().filter(|ip| !ip.is_empty());
    let reason = match &ip {
        Some(ip) => format!(
            "virtual IP: kube-proxy on each node sends every connection to {ip}{} to one ready endpoint",
            port.map(|p| format!(":{p}")).unwrap_or_default()
        ),
        None => "virtual IP, assigned from the service CIDR when the Service is created: kube-proxy on each node \
                 sends every connection to it to one ready endpoint"
            .to_string(),
    };
    let mut hop =
        Hop::new("cluster-ip", HopKind::ClusterIp, Verdict::Ok, reason).at(ip.clone(), port);
    let others: Vec<&String> = spec
        .cluster_ips
        .iter()
        .flatten()
        .filter(|c| Some(*c) != ip.as_ref())
        .collect();
    if !others.is_empty() {
        hop.notes.push(format!(
            "dual-stack: also {} ({})",
            others
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            spec.ip_families.as_deref().unwrap_or_default().join(", ")
        ));
    }
    if spec.session_affinity.as_deref() == Some("ClientIP") {
        let timeout = spec
            .session_affinity_config
            .as_ref()
            .and_then(|c| c.client_ip.as_ref())
            .and_then(|c| c.timeout_seconds)
            .unwrap_or(10800);
        let mut note = format!(
            "sessionAffinity ClientIP: each client IP sticks to one endpoint for {timeout}s"
        );
        if s.node_ports && !s.local {
            note.push_str("; external clients arrive source-NATed, so affinity follows the node, not the client");
        }
        hop.notes.push(note);
    }
    if let Some(td) = &spec.traffic_distribution {
        hop.notes.push(format!(
            "trafficDistribution {td}: kube-proxy prefers endpoints in the client's own zone"
        ));
    }
    if spec.internal_traffic_policy.as_deref() == Some("Local") {
        match (&s.local_ready, ctx.nodes.known) {
            (Some(local), true) => {
                let without: Vec<&str> = ctx
                    .nodes
                    .nodes
                    .iter()
                    .filter(|n| !local.contains_key(&n.name))
                    .take(NAMES_SHOWN + 1)
                    .map(|n| n.name.as_str())
                    .collect();
                let count = ctx.nodes.nodes.iter().filter(|n| !local.contains_key(&n.name)).count();
                if count == 0 {
                    hop.notes.push(
                        "internalTrafficPolicy Local: in-cluster clients reach only endpoints on their own node; \
                         every node has one"
                            .into(),
                    );
                } else {
                    let mut shown: Vec<&str> = without.into_iter().take(NAMES_SHOWN).collect();
                    shown.truncate(NAMES_SHOWN);
                    let more = count.saturating_sub(shown.len());
                    hop.verdict = Verdict::Warn;
                    hop.notes.insert(0, hop.reason.clone());
                    hop.reason = format!(
                        "internalTrafficPolicy Local: clients on {}{} reach no endpoint (traffic is dropped, not sent \
                         to another node)",
                        shown.join(", "),
                        if more > 0 { format!(" and {more} more nodes") } else { String::new() }
                    );
                    hop.hint = Some(
                        "run an endpoint on every node that has clients (a DaemonSet), or use internalTrafficPolicy Cluster"
                            .into(),
                    );
                }
            }
            _ => hop.notes.push(
                "internalTrafficPolicy Local: in-cluster clients reach only endpoints on their own node (which nodes \
                 have one is known only in a cluster)"
                    .into(),
            ),
        }
    }
    hop
}

fn dns_hop(
    s: &ServiceContext,
    sp: Option<&ServicePort>,
    sb: &ServiceBackends,
    port: Option<(usize, &ServicePort)>,
) -> Hop {
    let dns = s.dns_name();
    let mut hop = Hop::new(
        "dns",
        HopKind::Dns,
        Verdict::Ok,
        format!(
            "headless (clusterIP: None): no virtual IP and no proxying; DNS answers {dns} with the endpoints' own IPs \
             and clients connect to them directly"
        ),
    )
    .name(dns.clone())
    .at(Some(dns.clone()), sp.map(|p| p.port));
    if s.spec.publish_not_ready_addresses == Some(true) {
        hop.notes.push(
            "publishNotReadyAddresses: DNS lists endpoints whether or not they are ready".into(),
        );
    }
    if let Some((pi, sp)) = port {
        let other: Vec<i32> = sb
            .backends
            .items
            .iter()
            .filter_map(|b| b.ports.get(pi)?.resolution.port)
            .filter(|p| *p != sp.port)
            .collect();
        if let Some(p) = other.first() {
            hop.verdict = Verdict::Warn;
            hop.reason = format!(
                "headless: DNS gives clients pod IPs, not ports: a client using the Service port {} reaches the pods \
                 on {}, but they receive on {p}",
                sp.port, sp.port
            );
            let pname = sp.name.as_deref().unwrap_or("PORT");
            hop.hint = Some(format!(
                "make port equal targetPort, or have clients read the port from the SRV record _{pname}._{}.{dns}",
                protocol(sp.protocol.as_ref()).to_ascii_lowercase()
            ));
        }
    }
    hop
}

fn external_name_path(name: &str, namespace: &str, spec: &ServiceSpec) -> PortPath {
    let dns = format!("{name}.{namespace}.svc.cluster.local");
    let target = spec.external_name.clone().unwrap_or_default();
    let mut hop = if target.is_empty() {
        Hop::new(
            "external-name",
            HopKind::ExternalName,
            Verdict::Broken,
            "type ExternalName without an externalName: DNS has nothing to answer",
        )
        .hint("set spec.externalName to the DNS name clients should reach")
    } else if target.parse::<std::net::IpAddr>().is_ok() {
        Hop::new(
            "external-name",
            HopKind::ExternalName,
            Verdict::Warn,
            format!("externalName {target} is an IP address: DNS publishes it as a CNAME to a name that does not exist"),
        )
        .hint("use a DNS name, or a Service without selector plus an EndpointSlice that holds the IP")
    } else {
        Hop::new(
            "external-name",
            HopKind::ExternalName,
            Verdict::Ok,
            format!(
                "DNS answers {dns} with a CNAME to {target}; nothing is proxied, so ports, selectors and endpoints do not apply"
            ),
        )
        .note("HTTP and TLS clients still send the Service's own name as Host and SNI, which the external server may reject")
    };
    hop = hop
        .name(dns)
        .at(Some(target.clone()).filter(|t| !t.is_empty()), None);
    if spec.ports.as_ref().is_some_and(|p| !p.is_empty()) {
        hop.notes.push(format!(
            "its ports are not used: clients connect to {} on whatever port they choose",
            if target.is_empty() {
                "the target"
            } else {
                &target
            }
        ));
    }
    let verdict = hop.verdict;
    PortPath {
        port: None,
        verdict,
        hops: vec![hop],
    }
}
