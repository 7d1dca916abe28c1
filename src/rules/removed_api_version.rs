//! SVC002: an object at an API version Kubernetes no longer serves (raised by
//! the manifest reader).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags an object whose `apiVersion` Kubernetes (or the Gateway API) no
    /// longer serves for its kind: `extensions/v1beta1` or
    /// `networking.k8s.io/v1beta1` Ingresses, `apps/v1beta1` Deployments,
    /// `discovery.k8s.io/v1beta1` EndpointSlices, and the like.
    ///
    /// ## Why is this bad?
    /// The API server rejects it (`no matches for kind "Ingress" in version
    /// "extensions/v1beta1"`): the object is never created, and what it was
    /// meant to expose or run does not exist. svcx skips it, so nothing else
    /// is checked about it either.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: extensions/v1beta1
    /// kind: Ingress
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// ```
    ///
    /// ## How to fix
    /// Move the object to the served version named in the help; some fields
    /// changed with it (an Ingress backend became `service.name` and
    /// `service.port`, for instance). `kubectl convert` can help. For an
    /// Ingress, consider moving to Gateway API (`svcx migrate-to-gateway`).
    ///
    /// ## Known limitations
    /// Only the kinds svcx reads are checked.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/reference/using-api/deprecation-guide/
    code: "SVC002",
    name: "removed-api-version",
    severity: Error,
    summary: "an object at an apiVersion Kubernetes no longer serves for its kind",
    migrate: false,
    check: Check::Input,
    raised_in: crate::model::Snapshot::ingest_prepared,
}
