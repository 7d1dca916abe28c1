//! The Service's own layer, after the ways in: its virtual cluster IP (with
//! session affinity, internal traffic policy, traffic distribution,
//! dual-stack), or the DNS name of a headless Service, or the CNAME of an
//! ExternalName Service, which is the whole path.

use super::report::{Hop, HopId, HopKind, PortPath};
use super::verdict::Verdict;
use crate::model::finding::Code;
use crate::model::view::{ServiceView, TrafficDistribution};

/// The cluster IP hop of port `port`, at `address` (the cluster IP of the
/// family being traced).
pub(super) fn cluster_ip_hop(v: &ServiceView, port: Option<usize>, address: Option<String>) -> Hop {
    let svc_port = port.and_then(|i| v.ports().get(i)).map(|p| p.port);
    let reason = match &address {
        Some(ip) => format!(
            "virtual IP: kube-proxy on each node sends every connection to {ip}{} to one ready endpoint",
            svc_port.map(|p| format!(":{p}")).unwrap_or_default()
        ),
        None => "virtual IP, assigned from the service CIDR when the Service is created: kube-proxy on each node \
                 sends every connection to it to one ready endpoint"
            .to_string(),
    };
    let mut hop = Hop::new(HopId::ClusterIp, HopKind::ClusterIp, Verdict::Ok, reason)
        .at(address.clone(), svc_port);
    let others: Vec<&str> = v
        .cluster_ips
        .iter()
        .filter(|c| Some(*c) != address.as_ref())
        .map(String::as_str)
        .collect();
    if !others.is_empty() {
        hop.notes.push(format!(
            "dual-stack: also {} ({}); each family has its own endpoints",
            others.join(", "),
            v.families_text()
        ));
    }
    if let Some(timeout) = v.affinity_timeout {
        let mut note = format!(
            "sessionAffinity ClientIP: each client IP sticks to one endpoint for {timeout}s"
        );
        if v.node_ports.is_some() && !v.external_local {
            note.push_str("; external clients arrive source-NATed, so affinity follows the node, not the client");
        }
        hop.notes.push(note);
    }
    if let Some(td) = &v.traffic_distribution {
        hop.notes.push(match td {
            TrafficDistribution::PreferSameZone => "trafficDistribution PreferSameZone: kube-proxy prefers endpoints in the client's own zone".to_string(),
            TrafficDistribution::PreferClose => "trafficDistribution PreferClose (deprecated alias of PreferSameZone): kube-proxy prefers endpoints in the client's own zone".to_string(),
            TrafficDistribution::PreferSameNode => "trafficDistribution PreferSameNode: kube-proxy prefers endpoints on the client's own node, then falls back to the rest".to_string(),
            TrafficDistribution::Other(s) => format!("trafficDistribution {s}: not a value svcx knows"),
        });
    }
    if v.internal_local {
        let local: Vec<_> = v
            .findings_for_port(port)
            .filter(|f| f.code == Code::InternalLocalNodesWithoutEndpoint)
            .collect();
        if local.is_empty() {
            hop.notes.push(
                "internalTrafficPolicy Local: in-cluster clients reach only endpoints on their own node".into(),
            );
        } else {
            hop.notes.insert(0, hop.reason.clone());
            hop.reason = String::new();
            hop = hop.with_findings(local);
        }
    }
    hop
}

/// The DNS hop of a headless Service.
pub(super) fn dns_hop(v: &ServiceView, port: Option<usize>) -> Hop {
    let dns = &v.dns_name;
    let mut hop = Hop::new(
        HopId::Dns,
        HopKind::Dns,
        Verdict::Ok,
        format!(
            "headless (clusterIP: None): no virtual IP and no proxying; DNS answers {dns} with the endpoints' own IPs \
             and clients connect to them directly"
        ),
    )
    .name(dns.clone())
    .at(Some(dns.clone()), port.and_then(|i| v.ports().get(i)).map(|p| p.port));
    if v.publish_not_ready {
        hop.notes.push(
            "publishNotReadyAddresses: DNS lists endpoints whether or not they are ready (DNS only: kube-proxy has no \
             rules for a headless Service)"
                .into(),
        );
    }
    let differs: Vec<_> = v
        .findings_for_port(port)
        .filter(|f| f.code == Code::HeadlessPortDiffers)
        .collect();
    if !differs.is_empty() {
        hop.notes.insert(0, hop.reason.clone());
        hop.reason = String::new();
        hop = hop.with_findings(differs);
    }
    hop
}

/// The whole path of an ExternalName Service: one DNS hop.
pub(super) fn external_name_path(v: &ServiceView) -> PortPath {
    let target = v
        .external_name
        .as_ref()
        .map(|(t, _)| t.clone())
        .unwrap_or_default();
    let findings: Vec<_> = v
        .findings
        .iter()
        .filter(|f| f.code == Code::ExternalNameNotDnsName)
        .collect();
    let mut hop = if findings.is_empty() {
        Hop::new(
            HopId::ExternalName,
            HopKind::ExternalName,
            Verdict::Ok,
            format!(
                "DNS answers {} with a CNAME to {target}; nothing is proxied, so ports, selectors and endpoints do not apply",
                v.dns_name
            ),
        )
        .note("HTTP and TLS clients still send the Service's own name as Host and SNI, which the external server may reject")
    } else {
        Hop::new(HopId::ExternalName, HopKind::ExternalName, Verdict::Ok, "")
            .with_findings(findings)
    };
    hop = hop
        .name(v.dns_name.clone())
        .at(Some(target.clone()).filter(|t| !t.is_empty()), None);
    if !v.ports().is_empty() {
        hop.notes.push(format!(
            "its ports are not used: clients connect to {} on whatever port they choose",
            if target.is_empty() {
                "the target"
            } else {
                &target
            }
        ));
    }
    PortPath {
        port: None,
        verdict: hop.verdict,
        hops: vec![hop],
    }
}
