//! SVC307: spec.loadBalancerIP is set (raised by the semantic model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Notes a Service with `spec.loadBalancerIP`.
    ///
    /// ## Why is this bad?
    /// The field is deprecated since Kubernetes 1.24: it cannot express
    /// dual-stack addresses, and its meaning is up to each provider, some of
    /// which ignore it.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: LoadBalancer
    ///   loadBalancerIP: 203.0.113.10
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Gateway
    /// spec:
    ///   addresses:
    ///   - type: IPAddress
    ///     value: 203.0.113.10
    /// ```
    ///
    /// ## How to fix
    /// Use the provider's annotation for a static address (e.g.
    /// `metallb.universe.tf/loadBalancerIPs`), or move the exposure to a
    /// Gateway with `spec.addresses` (`svcx migrate-to-gateway`).
    ///
    /// ## Known limitations
    /// None known.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec
    code: "SVC307",
    name: "load-balancer-ip-deprecated",
    severity: Info,
    summary: "spec.loadBalancerIP is set (deprecated since Kubernetes 1.24)",
    migrate: true,
    check: Check::Model,
    raised_in: crate::model::view_findings::exposure::load_balancer_ip_deprecated,
}
