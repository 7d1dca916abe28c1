//! SVC103: a workload the selector matches asks for zero replicas (raised by
//! the semantic model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a Service whose selector matches a workload (Deployment,
    /// StatefulSet, ReplicaSet...) that asks for `replicas: 0`. It is an error
    /// when no other backend serves the Service, information when others do.
    ///
    /// ## Why is this bad?
    /// A workload scaled to zero runs no pods, so it backs nothing: the
    /// Service has no endpoints from it.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Deployment
    /// spec:
    ///   replicas: 0
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Deployment
    /// spec:
    ///   replicas: 2
    /// ```
    ///
    /// ## How to fix
    /// Scale the workload up, or point the selector at the workload that runs.
    ///
    /// ## Known limitations
    /// A HorizontalPodAutoscaler or a scale-to-zero controller (KEDA, Knative)
    /// may scale it up on demand; svcx does not read them. Silence it with
    /// `svcx/ignore: SVC103` on the Service when that is the design.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#scaling-a-deployment
    code: "SVC103",
    name: "workload-scaled-to-zero",
    severity: Error,
    summary: "a workload behind the Service asks for zero replicas",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::view_findings::backends::scaled_to_zero,
}
