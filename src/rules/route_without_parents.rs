//! SVC515: a route without parentRefs attaches to nothing (raised by the semantic model's route resolution,
//! `model::routes`).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a route with no `parentRefs`.
    ///
    /// ## Why is this bad?
    /// A route is served only through the Gateways (or mesh Services) it names;
    /// without any, it does nothing.
    ///
    /// ## Example
    /// ```yaml
    /// kind: HTTPRoute
    /// spec:
    ///   rules:
    ///   - backendRefs:
    ///     - name: web
    ///       port: 80
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: HTTPRoute
    /// spec:
    ///   parentRefs:
    ///   - name: public
    ///     namespace: infra
    ///   rules:
    ///   - backendRefs:
    ///     - name: web
    ///       port: 80
    /// ```
    ///
    /// ## How to fix
    /// Name the Gateway the route should attach to.
    ///
    /// ## Known limitations
    /// None known.
    ///
    /// ## References
    /// - https://gateway-api.sigs.k8s.io/api-types/httproute/#parentrefs
    code: "SVC515",
    name: "route-without-parents",
    severity: Warning,
    summary: "a route without parentRefs attaches to nothing",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::routes::resolve::route,
}
