//! The ways in from outside the cluster: the load balancer (its ingress
//! addresses, or why there are none) and `externalIPs`. Node ports are in
//! [`super::nodes`].

use super::Context;
use super::hops::{ServiceContext, names_list};
use super::report::{Hop, HopKind};
use super::verdict::Verdict;

pub(super) fn same_address(a: &str, b: &str) -> bool {
    match (a.parse::<std::net::IpAddr>(), b.parse::<std::net::IpAddr>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a
            .trim_end_matches('.')
            .eq_ignore_ascii_case(b.trim_end_matches('.')),
    }
}

pub(super) fn load_balancer_hops(
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

/// The externalIP hops: every node's kube-proxy answers for these addresses.
pub(super) fn external_ip_hops(
    s: &ServiceContext,
    svc_port: Option<i32>,
    only: Option<&str>,
) -> Vec<Hop> {
    let external_ips = s.spec.external_ips.as_deref().unwrap_or_default();
    let mut out = Vec::new();
    for (i, ip) in external_ips.iter().enumerate() {
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
            "externalIPs let a Service capture traffic meant for any address (CVE-2020-8554); many clusters \
             forbid them with an admission policy",
        );
        if s.local {
            hop = hop.note("externalTrafficPolicy Local: only nodes running a ready endpoint of this Service answer");
        }
        out.push(hop);
    }
    out
}
