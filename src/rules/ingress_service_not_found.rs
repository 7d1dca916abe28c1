//! SVC509: an Ingress backend names a Service that does not exist (raised by the semantic model's route resolution,
//! `model::routes`).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags an Ingress rule or default backend naming a Service that is not
    /// there, or a backend with no Service at all. A warning from manifests,
    /// where the Service may be elsewhere.
    ///
    /// ## Why is this bad?
    /// The Ingress controller answers those paths with an error (503 or 404
    /// depending on the controller).
    ///
    /// ## Example
    /// ```yaml
    /// kind: Ingress
    /// spec:
    ///   rules:
    ///   - http:
    ///       paths:
    ///       - path: /
    ///         pathType: Prefix
    ///         backend:
    ///           service: {name: web-svc, port: {number: 80}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Ingress
    /// spec:
    ///   rules:
    ///   - http:
    ///       paths:
    ///       - path: /
    ///         pathType: Prefix
    ///         backend:
    ///           service: {name: web, port: {number: 80}}
    /// ```
    ///
    /// ## How to fix
    /// Name an existing Service in the Ingress's namespace.
    ///
    /// ## Known limitations
    /// From manifests, a Service in another file is unknown: lint them
    /// together.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-rules
    code: "SVC509",
    name: "ingress-service-not-found",
    severity: Error,
    summary: "an Ingress backend names a Service that does not exist",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::routes::ingress::backend_path,
}
