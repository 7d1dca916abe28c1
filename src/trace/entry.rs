//! The ways in from outside the cluster: the load balancer (its ingress
//! addresses, or why there are none) and `externalIPs`. Node ports are in
//! [`super::nodes`].

use super::report::{Hop, HopKind};
use super::verdict::Verdict;
use crate::model::finding::Code;
use crate::model::view::{LoadBalancerStatus, Semantics, ServiceView, names_list, same_address};

/// The load balancer hops of port `port` (`svc_port` its number). `only`: the
/// address the trace started at.
pub(super) fn load_balancer_hops(
    sem: &Semantics,
    v: &ServiceView,
    port: Option<usize>,
    svc_port: Option<i32>,
    only: Option<&str>,
) -> Vec<Hop> {
    let Some(lb) = &v.load_balancer else {
        return Vec::new();
    };
    let findings = || {
        v.findings_for_port(port).filter(|f| {
            matches!(
                f.code,
                Code::LoadBalancerPending
                    | Code::NoNodeWithLocalEndpoint
                    | Code::LoadBalancerIpNotHonoured
            )
        })
    };
    let mut notes = Vec::new();
    if !lb.source_ranges.is_empty() {
        notes.push(format!(
            "only clients from {} get in (loadBalancerSourceRanges); they do not filter the node ports",
            lb.source_ranges.join(", ")
        ));
    }
    if let Some(c) = &lb.class {
        notes.push(format!(
            "loadBalancerClass {c}: that controller, not the cloud's default one, provisions it"
        ));
    }
    if !lb.shared_with.is_empty() {
        notes.push(format!(
            "one load balancer shared with {}",
            lb.shared_with.join(", ")
        ));
    }
    match lb.status {
        LoadBalancerStatus::NotCreated => {
            let mut hop = Hop::new(
                "lb0",
                HopKind::LoadBalancer,
                Verdict::Ok,
                "the address is assigned once a load balancer controller provisions it; a manifest cannot say which",
            )
            .name("not yet assigned")
            .at(lb.requested_ip.clone(), svc_port);
            hop.notes = notes;
            if lb.class.is_none() {
                hop.notes.push(
                    "on bare metal there is no cloud controller to provision it: install MetalLB (or similar) or use the node ports"
                        .into(),
                );
            }
            vec![hop]
        }
        LoadBalancerStatus::Pending => {
            let mut hop = Hop::new("lb0", HopKind::LoadBalancer, Verdict::Ok, "")
                .name("pending")
                .at(lb.requested_ip.clone(), svc_port)
                .with_findings(findings());
            if lb.requested_ip.is_some() {
                notes.push("the address shown is the one requested in spec.loadBalancerIP".into());
            }
            if v.node_ports.is_some() {
                notes.push("its node ports still work: connect to any node on the nodePort".into());
            }
            hop.notes.extend(notes);
            vec![hop]
        }
        LoadBalancerStatus::Provisioned => {
            let mut hops = Vec::new();
            // A trace of the requested address the load balancer did not get.
            if let (Some(want), Some(false)) = (only, lb.requested_honoured)
                && lb
                    .requested_ip
                    .as_deref()
                    .is_some_and(|r| same_address(r, want))
            {
                let mut hop = Hop::new("lb0", HopKind::LoadBalancer, Verdict::Broken, "")
                    .name("requested address")
                    .at(Some(want.to_string()), svc_port)
                    .with_findings(
                        findings().filter(|f| f.code == Code::LoadBalancerIpNotHonoured),
                    );
                hop.verdict = Verdict::Broken;
                hop.reason = format!(
                    "{want} was requested in spec.loadBalancerIP, but the load balancer got {}: this address does not reach the Service",
                    lb.ingress
                        .iter()
                        .filter_map(|i| i.address())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                return vec![hop];
            }
            let (verdict, reason) = lb_reason(sem, v, port);
            for (i, ing) in lb.ingress.iter().enumerate() {
                let Some(addr) = ing.address() else { continue };
                if only.is_some_and(|o| !same_address(o, addr)) {
                    continue;
                }
                let mut hop = Hop::new(
                    format!("lb{i}"),
                    HopKind::LoadBalancer,
                    verdict,
                    reason.clone(),
                )
                .at(Some(addr.to_string()), svc_port)
                .with_findings(findings().filter(|f| f.code != Code::LoadBalancerIpNotHonoured));
                hop.notes.extend(notes.iter().cloned());
                if ing.ip.is_none() {
                    hop.notes.push(
                        "a hostname: clients resolve it through DNS first, and in-cluster clients that use it go out \
                         through the load balancer (kube-proxy only captures load-balancer IPs)"
                            .into(),
                    );
                } else if !ing.short_circuited() {
                    hop.notes.push(
                        "ipMode Proxy: the load balancer proxies connections, so kube-proxy does not short-cut traffic to \
                         this address from inside the cluster"
                            .into(),
                    );
                }
                hops.push(hop);
            }
            hops
        }
    }
}

/// What the load balancer does with traffic, with its verdict.
fn lb_reason(sem: &Semantics, v: &ServiceView, port: Option<usize>) -> (Verdict, String) {
    let lb_class = v.load_balancer.as_ref().and_then(|lb| lb.class.as_ref());
    let has_node_port = port
        .and_then(|p| v.node_ports.as_ref()?.of_port(p))
        .is_some();
    if !has_node_port {
        let how = if lb_class.is_some() {
            "it must deliver to the address on a node (MetalLB announces it from one), where kube-proxy catches it"
        } else {
            "it must send to pod IPs directly, or to the address on a node where kube-proxy catches it"
        };
        return (Verdict::Ok, format!("no node port for this port: {how}"));
    }
    if !v.external_local {
        return (
            Verdict::Ok,
            "spreads connections over the nodes on the nodePort".to_string(),
        );
    }
    let check = match v.spec.health_check_node_port {
        Some(h) => format!("health-checks port {h} on every node"),
        None => "health-checks every node".to_string(),
    };
    match port.and_then(|p| v.healthy_nodes(&sem.nodes, p)) {
        Some(passing) if !passing.is_empty() => (
            Verdict::Ok,
            format!(
                "{check}; only nodes with a ready endpoint pass and get traffic: {}",
                names_list(&passing)
            ),
        ),
        Some(_) => (
            Verdict::Ok,
            format!(
                "{check}; none passes: no node runs a ready endpoint, so no traffic gets through"
            ),
        ),
        None => (
            Verdict::Ok,
            format!(
                "{check}; only nodes running a ready endpoint pass (which ones is known only in a cluster)"
            ),
        ),
    }
}

/// The externalIP hops: every node's kube-proxy answers for these addresses.
pub(super) fn external_ip_hops(
    v: &ServiceView,
    svc_port: Option<i32>,
    only: Option<&str>,
) -> Vec<Hop> {
    let mut out = Vec::new();
    for (i, ip) in v.external_ips.iter().enumerate() {
        if only.is_some_and(|want| !same_address(want, ip)) {
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
            "externalIPs let a Service capture traffic meant for any address (CVE-2020-8554) and are deprecated since \
             Kubernetes 1.36; many clusters forbid them with an admission policy",
        );
        if v.external_local {
            hop = hop.note("externalTrafficPolicy Local: only nodes running a ready endpoint of this Service answer");
        }
        out.push(hop);
    }
    out
}
