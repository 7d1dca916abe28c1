//! SVC202: a numeric targetPort no container declares (raised by the
//! semantic model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Notes a Service port whose numeric `targetPort` no container of some
    /// backends declares as a `containerPort`.
    ///
    /// ## Why is this bad?
    /// It may not be: declaring a container port is informational, and
    /// traffic is sent to a numeric targetPort whether or not it is declared.
    /// But an undeclared port is often a typo or a port the app stopped
    /// listening on, so it is worth a look. This is information, not a
    /// warning, unlike linters that call it an error.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8081   # the container declares 8080
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8080
    /// ```
    ///
    /// ## How to fix
    /// Check that the app listens on the port; declare it in the container's
    /// `ports`, or better, name it and use the name as targetPort.
    ///
    /// ## Known limitations
    /// svcx does not connect to pods, so it cannot tell whether something
    /// listens.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#ports
    /// - https://github.com/kubernetes/website/issues/26790
    code: "SVC202",
    name: "target-port-not-declared",
    severity: Info,
    summary: "a numeric targetPort no container declares (traffic is still sent there)",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::view_findings::ports::target_port,
}
