//! SVC521: a Gateway's or Ingress controller's proxies are not admitted by
//! the backends' policies (raised by the semantic model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a Service that a Gateway or an Ingress routes to, when the
    /// network policies of its endpoints drop the traffic of the proxy pods
    /// that carry it: the Gateway's (found by the label
    /// `gateway.networking.k8s.io/gateway-name` in the Gateway's namespace,
    /// or where its implementation runs them: Envoy Gateway's own
    /// namespace by default, docs/implementations.md) or the Ingress
    /// controller's (the pods of its Service). An error when every endpoint
    /// drops them, a warning when some do.
    ///
    /// ## Why is this bad?
    /// Behind a Gateway the source of the traffic is the proxy, not the
    /// client: a policy that admits only the pods of the namespace (or the
    /// old Ingress controller's namespace) drops every request the route
    /// sends. This is the commonest breakage after a move to Gateway API:
    /// the route is Accepted and the backends answer 503 or time out.
    ///
    /// ## Example
    /// ```yaml
    /// kind: NetworkPolicy
    /// metadata: {namespace: shop}
    /// spec:
    ///   podSelector: {}
    ///   ingress:
    ///   - from:
    ///     - podSelector: {}          # only pods of shop
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: NetworkPolicy
    /// metadata: {namespace: shop}
    /// spec:
    ///   podSelector: {}
    ///   ingress:
    ///   - from:
    ///     - podSelector: {}
    ///     - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: infra}}
    ///       podSelector: {matchLabels: {gateway.networking.k8s.io/gateway-name: public}}
    /// ```
    ///
    /// ## How to fix
    /// Admit the proxies on the backends' pod ports: a rule with the proxies'
    /// namespace and labels. `svcx migrate-to-gateway --allow-gateway-proxies`
    /// writes that NetworkPolicy for the Services it moves.
    ///
    /// ## Known limitations
    /// Implementations that run their proxies outside the Gateway's namespace
    /// (a shared deployment) are not found: the answer then depends on what
    /// the policies admit and says so. What the proxies' other labels are is
    /// known only when their pods are in the input.
    ///
    /// ## References
    /// - https://gateway-api.sigs.k8s.io/geps/gep-1762/
    /// - https://kubernetes.io/docs/concepts/services-networking/network-policies/
    code: "SVC521",
    name: "proxies-not-admitted",
    severity: Error,
    summary: "the backends' network policies drop the traffic of the Gateway's or Ingress controller's proxies",
    migrate: false,
    check: Check::Model,
    raised_in: [
        crate::model::policy::findings::service_findings,
        crate::model::policy::findings::code_for,
    ],
}
