//! SVC108: externalTrafficPolicy Local and no node has a ready local
//! endpoint (raised by the semantic model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a NodePort or LoadBalancer Service with
    /// `externalTrafficPolicy: Local` where no node has a ready endpoint of its
    /// own: the ready endpoints name no node (`nodeName`), or run on nodes that
    /// are not among the Nodes read.
    ///
    /// ## Why is this bad?
    /// Under `Local`, a node forwards external traffic only to endpoints on
    /// itself, and answers the load balancer's health check
    /// (`healthCheckNodePort`) with 503 when it has none. With no such node,
    /// every node fails the check and drops external traffic.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: LoadBalancer
    ///   externalTrafficPolicy: Local   # and no pod runs on a node
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: LoadBalancer
    ///   externalTrafficPolicy: Cluster
    /// ```
    ///
    /// ## How to fix
    /// Run the pods on the nodes that receive traffic, or use
    /// `externalTrafficPolicy: Cluster` (any node forwards; the client's source
    /// IP is lost to SNAT).
    ///
    /// ## Known limitations
    /// Needs endpoints with node names: live, or manifests with Pods or
    /// EndpointSlices. Pod templates never say where pods run.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#preserving-the-client-source-ip
    /// - https://kubernetes.io/docs/reference/networking/virtual-ips/#external-traffic-policy
    code: "SVC108",
    name: "no-node-with-local-endpoint",
    severity: Error,
    summary: "externalTrafficPolicy Local, and no node has a ready local endpoint",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::view_findings::locality::external_local,
}
