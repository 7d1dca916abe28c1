//! SVC115: network policies admit no source on a Service port (raised by the
//! semantic model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a Service port on which every endpoint drops the traffic of a
    /// source its paths bring: pods inside the cluster (through the cluster
    /// IP), or clients outside under `externalTrafficPolicy: Local`. Typical
    /// cause: a namespace with a default-deny NetworkPolicy and no rule that
    /// admits anyone on the pods' port.
    ///
    /// ## Why is this bad?
    /// A pod selected by a NetworkPolicy with `Ingress` in its policyTypes is
    /// isolated: only what some rule of some selecting policy allows gets
    /// in. With no such rule, connections time out while the Service, its
    /// endpoints and `kubectl get` all look healthy.
    ///
    /// ## Example
    /// ```yaml
    /// kind: NetworkPolicy
    /// metadata: {name: default-deny, namespace: orders}
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: NetworkPolicy
    /// metadata: {name: allow-api, namespace: orders}
    /// spec:
    ///   podSelector: {matchLabels: {app: orders-api}}
    ///   ingress:
    ///   - from:
    ///     - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}
    ///     ports:
    ///     - {protocol: TCP, port: 8080}   # the pods' port, not the Service's
    /// ```
    ///
    /// ## How to fix
    /// Add a rule that admits the clients on the pod port (the targetPort:
    /// policies see traffic after the Service rewrote its port), or remove
    /// the policy that isolates the pods. `svcx explain` lists the policies
    /// that select the endpoints and what each admits.
    ///
    /// ## Known limitations
    /// svcx judges the policies it read; what the network plugin does with
    /// them (or whether it enforces NetworkPolicy at all) is not visible in
    /// the API. Traffic from outside under `externalTrafficPolicy: Cluster`
    /// is never judged dropped: the plugin decides whether policies see the
    /// client or a node after source NAT (docs/network-policies.md).
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/network-policies/#isolated-and-non-isolated-pods
    /// - https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic
    code: "SVC115",
    name: "policies-admit-nothing",
    severity: Error,
    summary: "network policies drop every source of a path on every endpoint of a Service port",
    migrate: false,
    check: Check::Model,
    raised_in: [
        crate::model::policy::findings::service_findings,
        crate::model::policy::findings::code_for,
    ],
}
