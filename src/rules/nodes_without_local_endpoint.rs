//! SVC109: externalTrafficPolicy Local with endpoints on few nodes (raised by
//! the semantic model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a NodePort or LoadBalancer Service with
    /// `externalTrafficPolicy: Local` whose ready endpoints run on only some of
    /// the nodes, and names the nodes without one. Raised only when Nodes were
    /// read.
    ///
    /// ## Why is this bad?
    /// Under `Local`, a node without a ready local endpoint fails the load
    /// balancer's health check and drops external traffic sent to it
    /// directly (`node:nodePort`). The load balancer then spreads traffic over
    /// the few nodes that pass, per node and not per pod, so those pods carry
    /// all of it, unevenly when nodes run different numbers of them.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: LoadBalancer
    ///   externalTrafficPolicy: Local   # 2 pods on a 10-node cluster
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Deployment
    /// spec:
    ///   template:
    ///     spec:
    ///       topologySpreadConstraints:
    ///       - maxSkew: 1
    ///         topologyKey: kubernetes.io/hostname
    ///         whenUnsatisfiable: ScheduleAnyway
    /// ```
    ///
    /// ## How to fix
    /// This is how `Local` keeps the client's source IP. If every node should
    /// serve, spread the pods (a DaemonSet, or topology spread constraints);
    /// if the source IP does not matter, use `externalTrafficPolicy: Cluster`.
    ///
    /// ## Known limitations
    /// Needs Nodes and endpoints with node names: live, or manifests that
    /// carry them.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#preserving-the-client-source-ip
    /// - https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
    code: "SVC109",
    name: "nodes-without-local-endpoint",
    severity: Warning,
    summary: "externalTrafficPolicy Local: some nodes have no ready endpoint and drop external traffic",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::view_findings::locality::external_local,
}
