//! SVC111: a ready endpoint runs on a NotReady node (raised by the semantic
//! model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags ready endpoints of a Service that run on a node whose `Ready`
    /// condition is not true.
    ///
    /// ## Why is this bad?
    /// A NotReady node's pods stay listed as ready until the node lifecycle
    /// controller marks them not ready (after the node monitor grace period),
    /// so kube-proxy keeps sending them traffic, which may fail.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Node
    /// status:
    ///   conditions:
    ///   - type: Ready
    ///     status: "Unknown"
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Node
    /// status:
    ///   conditions:
    ///   - type: Ready
    ///     status: "True"
    /// ```
    ///
    /// ## How to fix
    /// See the node with `kubectl describe node`; drain it if it does not
    /// come back.
    ///
    /// ## Known limitations
    /// A moment's state; needs Nodes and endpoints with node names.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/architecture/nodes/#condition
    code: "SVC111",
    name: "endpoint-on-not-ready-node",
    severity: Warning,
    summary: "a ready endpoint runs on a NotReady node",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::view_findings::locality::on_not_ready_nodes,
}
