//! SVC303: a LoadBalancer without loadBalancerSourceRanges (raised by lint).

use crate::lint::Context;
use crate::rules::registry::{Check, declare_rule};
use crate::model::finding::{Code, Finding};
use crate::model::view::{ServiceView, Shape};

declare_rule! {
    /// ## What it does
    /// Flags a LoadBalancer Service without `loadBalancerSourceRanges` (nor
    /// the older `service.beta.kubernetes.io/load-balancer-source-ranges`
    /// annotation) whose load balancer is not internal.
    ///
    /// ## Why is this bad?
    /// Without source ranges the load balancer accepts connections from any
    /// address (0.0.0.0/0): whatever listens behind it is on the internet.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: LoadBalancer
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: LoadBalancer
    ///   loadBalancerSourceRanges:
    ///   - 198.51.100.0/24
    /// ```
    ///
    /// ## How to fix
    /// List the client ranges in `loadBalancerSourceRanges`, or make the load
    /// balancer internal with your provider's annotation. If it is meant to be
    /// public, silence the rule for it with `svcx/ignore: SVC303`. Source
    /// ranges do not filter node ports: set `allocateLoadBalancerNodePorts:
    /// false` where the implementation allows it.
    ///
    /// ## Known limitations
    /// Internal load balancers are recognised by the annotations of AWS (and
    /// the AWS Load Balancer Controller's internal default), Google Cloud,
    /// Azure, Oracle Cloud, IBM Cloud and OpenStack, and, live, by private
    /// addresses in status; other providers' ways are not known.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/
    code: "SVC303",
    name: "load-balancer-open-to-world",
    severity: Warning,
    summary: "a LoadBalancer without loadBalancerSourceRanges is open to 0.0.0.0/0",
    migrate: false,
    check: Check::Service(check),
}

fn check(_cx: &Context<'_, '_>, v: &ServiceView<'_>, out: &mut Vec<Finding>) {
    let Some(lb) = &v.load_balancer else { return };
    // Source ranges (the field or the older annotation) and internal load
    // balancers come from the model's table of load balancer facts.
    if v.shape != Shape::LoadBalancer
        || !lb.source_ranges.is_empty()
        || lb.implementation.internal.is_some()
    {
        return;
    }
    let ips: Vec<std::net::IpAddr> = lb
        .ingress
        .iter()
        .filter_map(|i| i.ip.as_deref()?.parse().ok())
        .collect();
    if !ips.is_empty() && ips.iter().all(is_private) {
        return;
    }
    out.push(
        Finding::new(
            Code::LoadBalancerOpenToWorld,
            v.located,
            "spec.type",
            "LoadBalancer without loadBalancerSourceRanges accepts connections from any address (0.0.0.0/0)".to_string(),
        )
        .hint("list the client ranges in spec.loadBalancerSourceRanges, or make the load balancer internal with the provider's annotation"),
    );
}

/// Addresses not routed on the internet: RFC 1918, CGNAT, ULA, loopback.
fn is_private(ip: &std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_private() || v4.is_loopback() || (o[0] == 100 && (64..128).contains(&o[1]))
        }
        std::net::IpAddr::V6(v6) => v6.is_loopback() || (v6.segments()[0] & 0xfe00) == 0xfc00,
    }
}

#[cfg(test)]
mod tests {
    use super::is_private;

    #[test]
    fn private_addresses() {
        for ip in ["10.1.2.3", "192.168.0.1", "172.20.0.1", "100.64.0.1", "fd00::1"] {
            assert!(is_private(&ip.parse().unwrap()), "{ip}");
        }
        for ip in ["203.0.113.7", "8.8.8.8", "2001:db8::1"] {
            assert!(!is_private(&ip.parse().unwrap()), "{ip}");
        }
    }
}
