//! SVC113: spec.loadBalancerIP was not honoured (raised by the semantic
//! model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a LoadBalancer Service whose `spec.loadBalancerIP` asks for an
    /// address that is not among the addresses its load balancer got.
    ///
    /// ## Why is this bad?
    /// `spec.loadBalancerIP` is a request each provider may ignore. Clients
    /// configured with the requested address (DNS records, firewall rules)
    /// reach nothing; the real address is in status.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: LoadBalancer
    ///   loadBalancerIP: 203.0.113.10
    /// status:
    ///   loadBalancer:
    ///     ingress:
    ///     - ip: 203.0.113.99
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Service
    /// metadata:
    ///   annotations:
    ///     metallb.universe.tf/loadBalancerIPs: 203.0.113.10   # the provider's own way
    /// spec:
    ///   type: LoadBalancer
    /// ```
    ///
    /// ## How to fix
    /// Use the address in status, or the provider's annotation for a static
    /// address, or a Gateway's `spec.addresses`.
    ///
    /// ## Known limitations
    /// Needs the status: live, or manifests that carry it.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec
    code: "SVC113",
    name: "load-balancer-ip-not-honoured",
    severity: Warning,
    summary: "spec.loadBalancerIP asks for an address the load balancer does not have",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::view_findings::load_balancer::requested_ip_not_honoured,
}
