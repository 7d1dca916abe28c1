//! SVC104: no endpoint of a port is ready (raised by the semantic model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a Service port none of whose endpoints is ready, and none of which
    /// is serving while terminating. Also raised when every pod the selector
    /// matches is no endpoint at all (it finished, or has no IP yet).
    ///
    /// ## Why is this bad?
    /// kube-proxy sends new connections to ready endpoints, else to serving
    /// terminating ones (KEP-1669), else nowhere: connections to the port fail.
    ///
    /// ## Example
    /// ```yaml
    /// kind: EndpointSlice
    /// endpoints:
    /// - addresses: ["10.0.0.7"]
    ///   conditions:
    ///     ready: false
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: EndpointSlice
    /// endpoints:
    /// - addresses: ["10.0.0.7"]
    ///   conditions:
    ///     ready: true
    /// ```
    ///
    /// ## How to fix
    /// Find out why the pods are not ready (`kubectl describe pod`: a failing
    /// readiness probe, a crash loop, an image that does not pull). Traffic
    /// resumes when a readiness probe passes.
    ///
    /// ## Known limitations
    /// Readiness exists only in a cluster (or in manifests that carry Pods or
    /// EndpointSlices with their status): pod templates read from manifests
    /// are never judged.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#conditions
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
    code: "SVC104",
    name: "no-ready-endpoints",
    severity: Error,
    summary: "no endpoint of a Service port is ready, so connections fail",
    migrate: false,
    check: Check::Model,
    raised_in: [
        crate::model::view_findings::endpoints::readiness,
        crate::model::view_findings::backends::empty_selector,
    ],
}
