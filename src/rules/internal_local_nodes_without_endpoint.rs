//! SVC110: internalTrafficPolicy Local leaves clients on some nodes without
//! an endpoint (raised by the semantic model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a Service with `internalTrafficPolicy: Local` where some nodes
    /// have no ready endpoint of their own, and names them. Not raised for
    /// headless Services, nor without Nodes.
    ///
    /// ## Why is this bad?
    /// Under `internalTrafficPolicy: Local`, kube-proxy sends in-cluster
    /// traffic only to endpoints on the client's own node. Clients on a node
    /// without one reach nothing: traffic is dropped, not sent elsewhere.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   internalTrafficPolicy: Local   # backed by a 2-replica Deployment
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   internalTrafficPolicy: Local   # backed by a DaemonSet
    /// ```
    ///
    /// ## How to fix
    /// Run an endpoint on every node that has clients (a DaemonSet), or use
    /// `internalTrafficPolicy: Cluster`. To prefer nearby endpoints without
    /// dropping traffic, use `trafficDistribution: PreferSameNode`.
    ///
    /// ## Known limitations
    /// Needs Nodes and endpoints with node names. svcx does not know which
    /// nodes run clients, so it names every node without an endpoint.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/service-traffic-policy/
    code: "SVC110",
    name: "internal-local-nodes-without-endpoint",
    severity: Warning,
    summary: "internalTrafficPolicy Local: clients on some nodes reach no endpoint",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::view_findings::locality::internal_local,
}
