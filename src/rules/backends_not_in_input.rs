//! SVC102: offline, nothing in the input could back the Service (raised by
//! the semantic model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// From manifests: flags a Service whose selector matches no pod and no
    /// workload's pod template in the input, and no workload comes close. The
    /// pods may well exist: they may be created by a chart or a file that was
    /// not given.
    ///
    /// ## Why is this bad?
    /// svcx cannot check the Service's endpoints, ports and readiness without
    /// its backends. It is a warning, not an error: absence in the files is
    /// not absence in the cluster, which is the false "dangling Service"
    /// finding other linters raise.
    ///
    /// ## Example
    /// ```yaml
    /// # svc.yaml, linted alone; the Deployment is in deploy.yaml
    /// kind: Service
    /// spec:
    ///   selector:
    ///     app: api
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// # lint both files together: svcx lint -f svc.yaml -f deploy.yaml
    /// kind: Deployment
    /// spec:
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: api
    /// ```
    ///
    /// ## How to fix
    /// Lint the workloads together with the Service (several `-f`, a
    /// directory, or the whole `helm template` / `kustomize build` output), or
    /// lint the live cluster. If the pods come from elsewhere on purpose,
    /// silence it for the Service with the annotation `svcx/ignore: SVC102`.
    ///
    /// ## Known limitations
    /// Never raised live or on the demo, where every pod was read.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#services-in-kubernetes
    code: "SVC102",
    name: "backends-not-in-input",
    severity: Warning,
    summary: "no pod or workload in the input carries the selector's labels",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::view_findings::backends::empty_selector,
}
