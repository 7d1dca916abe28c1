//! SVC303: a LoadBalancer without loadBalancerSourceRanges (raised by lint).

use crate::lint::Context;
use crate::lint::registry::{Check, declare_rule};
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
    /// Internal load balancers are recognised by the annotations of AWS,
    /// Google Cloud, Azure, Oracle Cloud, IBM Cloud and OpenStack, and, live,
    /// by private addresses in status; other providers' ways are not known.
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

/// Annotations (and values, lowercase) that make a load balancer internal.
const INTERNAL: &[(&str, &str)] = &[
    ("service.beta.kubernetes.io/aws-load-balancer-internal", "true"),
    ("service.beta.kubernetes.io/aws-load-balancer-internal", "0.0.0.0/0"),
    ("service.beta.kubernetes.io/aws-load-balancer-scheme", "internal"),
    ("networking.gke.io/load-balancer-type", "internal"),
    ("cloud.google.com/load-balancer-type", "internal"),
    ("service.beta.kubernetes.io/azure-load-balancer-internal", "true"),
    ("service.beta.kubernetes.io/oci-load-balancer-internal", "true"),
    ("service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type", "private"),
    ("service.beta.kubernetes.io/openstack-internal-load-balancer", "true"),
];

/// The annotation that predates the field.
const SOURCE_RANGES_ANNOTATION: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";

fn check(_cx: &Context<'_, '_>, v: &ServiceView<'_>, out: &mut Vec<Finding>) {
    let Some(lb) = &v.load_balancer else { return };
    if v.shape != Shape::LoadBalancer || !lb.source_ranges.is_empty() {
        return;
    }
    let annotations = v.located.object.metadata.annotations.as_ref();
    let has = |key: &str, value: &str| {
        annotations
            .and_then(|a| a.get(key))
            .is_some_and(|v| v.trim().eq_ignore_ascii_case(value))
    };
    if annotations.is_some_and(|a| a.contains_key(SOURCE_RANGES_ANNOTATION))
        || INTERNAL.iter().any(|(k, val)| has(k, val))
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
