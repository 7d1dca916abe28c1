//! The ways in from outside the cluster: the load balancer (its ingress
//! addresses, or why there are none) and `externalIPs`. Node ports are in
//! [`super::nodes`].

use super::report::{Hop, HopId, HopKind, HopName};
use super::verdict::Verdict;
use crate::model::finding::Code;
use crate::model::load_balancer::Delivery;
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
    let imp = &lb.implementation;
    if let Some(why) = &imp.internal {
        notes.push(format!(
            "internal: only clients in the provider's private network reach it ({why})"
        ));
    }
    if !lb.source_ranges.is_empty() {
        notes.push(format!(
            "only clients from {} get in ({}); they do not filter the node ports",
            lb.source_ranges.join(", "),
            imp.source_ranges_from
                .as_deref()
                .unwrap_or("loadBalancerSourceRanges")
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
            // The address shown is the one asked for, where one is.
            let reason = match imp.requested.iter().find(|r| !r.name) {
                Some(r) => format!(
                    "the address is assigned once a load balancer controller provisions it; the one shown is asked \
                     for in {}",
                    r.from
                ),
                None => "the address is assigned once a load balancer controller provisions it; a manifest cannot \
                         say which"
                    .to_string(),
            };
            let mut hop = Hop::new(
                HopId::LoadBalancer(0),
                HopKind::LoadBalancer,
                Verdict::Ok,
                reason,
            )
            .name(HopName::NotYetAssigned)
            .at(lb.requested_address(), svc_port);
            hop.notes = notes;
            hop.notes.push(delivery_note(lb));
            // Only where nothing says who provisions it: a Service written
            // for MetalLB, a cloud or a class has its controller.
            if lb.class.is_none() && imp.provider.is_none() {
                hop.notes.push(
                    "on bare metal there is no cloud controller to provision it: install MetalLB (or similar) or use the node ports"
                        .into(),
                );
            }
            vec![hop]
        }
        LoadBalancerStatus::Pending => {
            let mut hop = Hop::new(
                HopId::LoadBalancer(0),
                HopKind::LoadBalancer,
                Verdict::Ok,
                "",
            )
            .name(HopName::Pending)
            .at(lb.requested_address(), svc_port)
            .with_findings(findings());
            if let Some(r) = imp.requested.iter().find(|r| !r.name) {
                notes.push(format!(
                    "the address shown is the one requested in {}",
                    r.from
                ));
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
                let mut hop = Hop::new(
                    HopId::LoadBalancer(0),
                    HopKind::LoadBalancer,
                    Verdict::Broken,
                    "",
                )
                .name(HopName::RequestedAddress)
                .at(Some(want.to_string()), svc_port)
                .with_findings(findings().filter(|f| f.code == Code::LoadBalancerIpNotHonoured));
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
            // Under Local, a node passes the health check only with a ready
            // local endpoint: with none anywhere (only terminating ones, or
            // none at all), every node fails it, and the finding that says
            // why is this hop's too.
            let none_pass = v.external_local
                && lb.implementation.delivery.value != Delivery::Pods
                && port
                    .and_then(|p| v.healthy_nodes(&sem.nodes, p))
                    .is_some_and(|h| h.is_empty());
            let unhealthy = || {
                v.findings_for_port(port).filter(move |f| {
                    none_pass
                        && matches!(
                            f.code,
                            Code::OnlyTerminatingEndpoints | Code::NoReadyEndpoints
                        )
                })
            };
            for (i, ing) in lb.ingress.iter().enumerate() {
                let Some(addr) = ing.address() else { continue };
                if only.is_some_and(|o| !same_address(o, addr)) {
                    continue;
                }
                let mut hop = Hop::new(
                    HopId::LoadBalancer(i),
                    HopKind::LoadBalancer,
                    verdict,
                    reason.clone(),
                )
                .at(Some(addr.to_string()), svc_port)
                .with_findings(
                    findings()
                        .filter(|f| f.code != Code::LoadBalancerIpNotHonoured)
                        .chain(unhealthy()),
                );
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

/// How the load balancer delivers, said once on its hop.
fn delivery_note(lb: &crate::model::view::LoadBalancerFacts) -> String {
    let d = &lb.implementation.delivery;
    format!(
        "the load balancer {}{}",
        d.value.how(),
        d.by.as_ref().map(|b| format!(" ({b})")).unwrap_or_default()
    )
}

/// What the load balancer does with traffic, with its verdict.
fn lb_reason(sem: &Semantics, v: &ServiceView, port: Option<usize>) -> (Verdict, String) {
    let Some(lb) = &v.load_balancer else {
        return (Verdict::Ok, String::new());
    };
    let delivery = lb.implementation.delivery.value;
    let has_node_port = port
        .and_then(|p| v.node_ports.as_ref()?.of_port(p))
        .is_some();
    if delivery == Delivery::Pods {
        // Straight to the pods: kube-proxy and externalTrafficPolicy's
        // node health checks are not on the way.
        return (Verdict::Ok, delivery_note(lb));
    }
    if !has_node_port {
        let how = match delivery {
            Delivery::LoadBalancerIp | Delivery::Pods => delivery_note(lb),
            Delivery::NodePorts | Delivery::Depends => {
                "it must send to pod IPs directly, or to the address on a node where kube-proxy catches it"
                    .to_string()
            }
        };
        return (Verdict::Ok, format!("no node port for this port: {how}"));
    }
    if !v.external_local {
        return (Verdict::Ok, delivery_note(lb));
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
        // The verdict is the findings': no ready endpoint anywhere is the
        // endpoints' finding, added to this hop by the caller.
        Some(_) => (
            Verdict::Ok,
            format!(
                "{check}; none passes: no node runs a ready endpoint, so the load balancer has no healthy node \
                 to send to"
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
            HopId::ExternalIp(i),
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
