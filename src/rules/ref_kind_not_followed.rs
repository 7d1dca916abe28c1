//! SVC512: a parentRef or backend of a kind svcx does not follow (raised by the semantic model's route resolution,
//! `model::routes`).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Notes a parentRef or backendRef of a kind svcx does not resolve: a mesh
    /// Service parent (GAMMA), a ListenerSet, an InferencePool or another
    /// implementation's backend.
    ///
    /// ## Why is this bad?
    /// Nothing is wrong; svcx simply cannot check that part of the path, and
    /// says so rather than stay silent.
    ///
    /// ## Example
    /// ```yaml
    /// kind: HTTPRoute
    /// spec:
    ///   rules:
    ///   - backendRefs:
    ///     - group: inference.networking.k8s.io
    ///       kind: InferencePool
    ///       name: llm
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
    /// Nothing to fix; check that part of the path with the implementation's
    /// own tools.
    ///
    /// ## Known limitations
    /// The kinds followed are Gateway (parents) and Service (backends).
    ///
    /// ## References
    /// - https://gateway-api.sigs.k8s.io/mesh/
    code: "SVC512",
    name: "ref-kind-not-followed",
    severity: Info,
    summary: "a parentRef or backend of a kind svcx does not follow",
    migrate: false,
    check: Check::Model,
    raised_in: [
        crate::model::routes::resolve::parent,
        crate::model::routes::resolve::backend,
        crate::model::routes::ingress::backend_path,
    ],
}
