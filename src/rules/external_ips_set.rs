//! SVC304: externalIPs are set (raised by the semantic model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a Service with `spec.externalIPs`.
    ///
    /// ## Why is this bad?
    /// kube-proxy captures traffic to these addresses on every node, whoever
    /// owns them: anyone who may create Services can intercept traffic to any
    /// IP this way (CVE-2020-8554). externalIPs are deprecated since
    /// Kubernetes 1.36, and kube-proxy support is to be turned off in a later
    /// release.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   externalIPs: ["203.0.113.7"]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: HTTPRoute
    /// spec:
    ///   parentRefs:
    ///   - name: shared-gateway
    ///   rules:
    ///   - backendRefs:
    ///     - name: web
    ///       port: 80
    /// ```
    ///
    /// ## How to fix
    /// Expose the Service through a Gateway (`svcx migrate-to-gateway`) or a
    /// LoadBalancer, and enable the `DenyServiceExternalIPs` admission plugin.
    ///
    /// ## Known limitations
    /// None known.
    ///
    /// ## References
    /// - https://github.com/kubernetes/kubernetes/issues/97076
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#external-ips
    code: "SVC304",
    name: "external-ips-set",
    severity: Warning,
    summary: "externalIPs are set (CVE-2020-8554; deprecated since Kubernetes 1.36)",
    migrate: true,
    check: Check::Model,
    raised_in: crate::model::view_findings::exposure::external_ips,
}
