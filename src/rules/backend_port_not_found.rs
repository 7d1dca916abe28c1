//! SVC507: a backendRef has no port, or one the Service does not have (raised by the semantic model's route resolution,
//! `model::routes`).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a `backendRefs` entry to a Service without `port` (the CRD's CEL
    /// rule requires one), or with a port the Service does not expose.
    ///
    /// ## Why is this bad?
    /// The API server rejects a Service backendRef without port; with a wrong
    /// port the backend resolves to nothing and its share of requests fails.
    ///
    /// ## Example
    /// ```yaml
    /// kind: HTTPRoute
    /// spec:
    ///   rules:
    ///   - backendRefs:
    ///     - name: web            # no port
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: HTTPRoute
    /// spec:
    ///   rules:
    ///   - backendRefs:
    ///     - name: web
    ///       port: 80
    /// ```
    ///
    /// ## How to fix
    /// Give the Service port (the `port`, not the targetPort) the backend
    /// should receive traffic on.
    ///
    /// ## Known limitations
    /// None known.
    ///
    /// ## References
    /// - https://gateway-api.sigs.k8s.io/reference/spec/#backendref
    code: "SVC507",
    name: "backend-port-not-found",
    severity: Error,
    summary: "a backendRef has no port, or one the Service does not have",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::routes::resolve::backend,
}
