//! What a Service opens beyond its load balancer and node ports, or asks for
//! in a deprecated way: externalIPs (SVC304, including those on a headless
//! Service, which open nothing) and `spec.loadBalancerIP` (SVC307).

use crate::model::finding::{Code, Finding, Severity};
use crate::model::view::ServiceView;

/// SVC304: externalIPs, reachable from outside on those addresses; on a
/// headless Service, which kube-proxy skips, written but opening nothing.
pub(crate) fn external_ips(v: &ServiceView, out: &mut Vec<Finding>) {
    if !v.external_ips.is_empty() {
        out.push(
            Finding::new(
                Code::ExternalIpsSet,
                v.located,
                "spec.externalIPs",
                format!(
                    "externalIPs `{}` make this Service reachable from outside on those addresses",
                    v.external_ips.join(", ")
                ),
            )
            .hint("anyone who may create Services can capture any address this way (CVE-2020-8554); externalIPs are deprecated since Kubernetes 1.36: expose it through a Gateway instead"),
        );
    } else if let Some(written) = v.spec.external_ips.as_ref().filter(|ips| !ips.is_empty()) {
        // On a headless Service, which kube-proxy skips: they open nothing.
        let message = format!(
            "externalIPs `{}` open nothing: kube-proxy does not proxy a headless Service",
            written.join(", ")
        );
        out.push(Finding::new(Code::ExternalIpsSet, v.located, "spec.externalIPs", message).severity(Severity::Info)
            .hint("remove them: no node answers for these addresses (and externalIPs are deprecated since Kubernetes 1.36)"));
    }
}

/// SVC307: `spec.loadBalancerIP`, deprecated and provider-defined.
pub(crate) fn load_balancer_ip_deprecated(v: &ServiceView, out: &mut Vec<Finding>) {
    if let Some(ip) = v
        .load_balancer
        .as_ref()
        .and_then(|lb| lb.requested_ip.as_ref())
    {
        out.push(
            Finding::new(
                Code::LoadBalancerIpDeprecated,
                v.located,
                "spec.loadBalancerIP",
                format!("spec.loadBalancerIP `{ip}` is deprecated since Kubernetes 1.24 and its meaning is up to each provider"),
            )
            .hint("use the provider's annotation for a static address, or Gateway spec.addresses"),
        );
    }
}
