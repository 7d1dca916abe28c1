//! SVC508: a cross-namespace backendRef without a ReferenceGrant that allows it (raised by the semantic model's route resolution,
//! `model::routes`).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a backendRef to a Service in another namespace when no
    /// ReferenceGrant in that namespace allows the route's kind from the
    /// route's namespace. A warning from manifests, where the grant may be
    /// elsewhere.
    ///
    /// ## Why is this bad?
    /// Without the grant the reference is refused (`RefNotPermitted`): requests
    /// to that backend fail.
    ///
    /// ## Example
    /// ```yaml
    /// kind: HTTPRoute
    /// metadata: {namespace: web}
    /// spec:
    ///   rules:
    ///   - backendRefs:
    ///     - name: api
    ///       namespace: backend
    ///       port: 80
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: ReferenceGrant
    /// metadata: {namespace: backend}
    /// spec:
    ///   from:
    ///   - group: gateway.networking.k8s.io
    ///     kind: HTTPRoute
    ///     namespace: web
    ///   to:
    ///   - group: ""
    ///     kind: Service
    /// ```
    ///
    /// ## How to fix
    /// Add a ReferenceGrant in the Service's namespace that allows the route's
    /// kind from its namespace, or move the route.
    ///
    /// ## Known limitations
    /// ReferenceGrant is served as v1beta1 (and v1 from Gateway API 1.5); both
    /// are read.
    ///
    /// ## References
    /// - https://gateway-api.sigs.k8s.io/api-types/referencegrant/
    code: "SVC508",
    name: "backend-ref-not-permitted",
    severity: Error,
    summary: "a cross-namespace backendRef without a ReferenceGrant that allows it",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::routes::resolve::backend,
}
