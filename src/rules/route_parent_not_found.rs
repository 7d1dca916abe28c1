//! SVC501: a route's parentRef names a Gateway that does not exist (raised by the semantic model's route resolution,
//! `model::routes`).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a route (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute) whose
    /// `parentRefs` entry names a Gateway that is not there. An error live and
    /// on the demo; a warning from manifests, where the Gateway may be defined
    /// elsewhere. Live over one namespace, a Gateway in another namespace is
    /// read by name: an error when the cluster says it does not exist, a
    /// warning when it could not be read (RBAC), and information only when
    /// the route's status says its controller accepted it there, which svcx
    /// then takes as evidence that the route is attached.
    ///
    /// ## Why is this bad?
    /// A route attaches to nothing until its parent exists: no Gateway routes
    /// traffic by it, and its Services are unreachable through it.
    ///
    /// ## Example
    /// ```yaml
    /// kind: HTTPRoute
    /// spec:
    ///   parentRefs:
    ///   - name: public-gw        # the Gateway is called public
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: HTTPRoute
    /// spec:
    ///   parentRefs:
    ///   - name: public
    ///     namespace: infra
    /// ```
    ///
    /// ## How to fix
    /// Name an existing Gateway (and its namespace, when it is not the route's
    /// own), or create the Gateway.
    ///
    /// ## Known limitations
    /// From manifests, a Gateway in another file or chart is unknown: lint them
    /// together.
    ///
    /// ## References
    /// - https://gateway-api.sigs.k8s.io/api-types/httproute/#parentrefs
    code: "SVC501",
    name: "route-parent-not-found",
    severity: Error,
    summary: "a route's parentRef names a Gateway that does not exist",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::routes::resolve::parent,
}
