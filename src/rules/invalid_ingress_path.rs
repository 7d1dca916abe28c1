//! SVC522: an Ingress path the API server refuses (raised by the semantic
//! model's route resolution, `model::routes`).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags an Ingress path that `networking.k8s.io/v1` validation refuses:
    /// no `pathType`; a `pathType` other than `Exact`, `Prefix` and
    /// `ImplementationSpecific`; an `Exact` or `Prefix` path that is empty or
    /// does not start with `/`, or that contains `//`, `/./`, `/../`, `%2f` or
    /// `%2F`, or ends with `/..` or `/.`; an `ImplementationSpecific` path
    /// that is neither empty nor starts with `/`.
    ///
    /// ## Why is this bad?
    /// The API server refuses the whole Ingress (`kubectl apply` fails), so
    /// none of its rules is served. A controller may read the path some
    /// way (Contour takes an empty path as `/`), but the object never
    /// reaches it.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Ingress
    /// spec:
    ///   rules:
    ///   - http:
    ///       paths:
    ///       - pathType: Prefix
    ///         backend: {service: {name: web, port: {number: 80}}}
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
    ///         backend: {service: {name: web, port: {number: 80}}}
    /// ```
    ///
    /// ## How to fix
    /// Give the path an absolute value (`/` for everything) and a `pathType`.
    ///
    /// ## Known limitations
    /// The rest of the Ingress's validation (backends, TLS hosts) is judged
    /// by other rules, or not at all.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/ingress/#path-types
    /// - kubernetes/kubernetes `pkg/apis/networking/validation/validation.go`,
    ///   `validateHTTPIngressPath`
    code: "SVC522",
    name: "invalid-ingress-path",
    severity: Error,
    summary: "an Ingress path the API server refuses (no pathType, or a path that is not absolute)",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::routes::ingress::read,
}
