//! SVC201: a named targetPort some backends do not declare (raised by the
//! semantic model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a Service port whose named `targetPort` some selected pods (or,
    /// from manifests, pod templates) do not declare as a container port with
    /// the Service port's protocol. Every backend is checked, not one: pods
    /// of one Service may come from several workloads. An error when no
    /// backend is left for the port, a warning while others still serve it.
    ///
    /// ## Why is this bad?
    /// A named targetPort is resolved per pod. A pod without that name is put
    /// in the EndpointSlice without this port, so it gets no traffic for it.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   ports:
    ///   - port: 80
    ///     targetPort: http   # the container names its port "web"
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Deployment
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: app
    ///         ports:
    ///         - name: http
    ///           containerPort: 8080
    /// ```
    ///
    /// ## How to fix
    /// Name a container port `NAME` (with the Service port's protocol) in
    /// every selected pod, or use a number.
    ///
    /// ## Known limitations
    /// From manifests, only the workloads in the input are checked.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports
    code: "SVC201",
    name: "target-port-name-not-found",
    severity: Error,
    summary: "a named targetPort that some (or all) backends do not declare",
    migrate: false,
    check: Check::Model,
    raised_in: [
        crate::model::view_findings::ports::target_port,
        crate::model::view::unresolved_code,
    ],
}
