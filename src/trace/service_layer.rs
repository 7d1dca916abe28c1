//! The Service's own layer, after the ways in: its virtual cluster IP (with
//! session affinity, internal traffic policy, dual-stack), or the DNS name of
//! a headless Service, or the CNAME of an ExternalName Service, which is the
//! whole path.

use super::Context;
use super::backends::ServiceBackends;
use super::hops::{NAMES_SHOWN, ServiceContext};
use super::report::{Hop, HopKind, PortPath};
use super::verdict::Verdict;
use crate::model::ports::protocol;
use k8s_openapi::api::core::v1::{ServicePort, ServiceSpec};

pub(super) fn cluster_ip_hop(ctx: &Context, s: &ServiceContext, port: Option<i32>) -> Hop {
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
                // O(names shown + nodes with an endpoint), not O(nodes).
                let shown: Vec<&str> = ctx
                    .nodes
                    .nodes
                    .iter()
                    .filter(|n| !local.contains_key(&n.name))
                    .take(NAMES_SHOWN)
                    .map(|n| n.name.as_str())
                    .collect();
                let with = local.keys().filter(|n| ctx.nodes.get(n).is_some()).count();
                let count = ctx.nodes.nodes.len() - with;
                if count == 0 {
                    hop.notes.push(
                        "internalTrafficPolicy Local: in-cluster clients reach only endpoints on their own node; \
                         every node has one"
                            .into(),
                    );
                } else {
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

pub(super) fn dns_hop(
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

pub(super) fn external_name_path(name: &str, namespace: &str, spec: &ServiceSpec) -> PortPath {
    let dns = crate::model::lookup::service_dns_name(namespace, name);
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
