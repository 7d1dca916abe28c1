//! SVC504: no listener admits routes of this kind (raised by the semantic model's route resolution,
//! `model::routes`).

use crate::lint::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a route whose kind no listener admits: `allowedRoutes.kinds`
    /// leaves it out, or the listener's protocol does not carry it (HTTP and
    /// HTTPS carry HTTPRoute and GRPCRoute, TLS TLSRoute, TCP TCPRoute, UDP
    /// UDPRoute).
    ///
    /// ## Why is this bad?
    /// The Gateway refuses the route (`NotAllowedByListeners`), so its traffic
    /// goes nowhere.
    ///
    /// ## Example
    /// ```yaml
    /// kind: TCPRoute
    /// spec:
    ///   parentRefs:
    ///   - name: public
    ///     sectionName: web       # an HTTP listener
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Gateway
    /// spec:
    ///   listeners:
    ///   - name: db
    ///     protocol: TCP
    ///     port: 5432
    /// ```
    ///
    /// ## How to fix
    /// Attach the route to a listener whose protocol carries it, or add its
    /// kind to `allowedRoutes.kinds`.
    ///
    /// ## Known limitations
    /// Experimental route kinds need the experimental channel's CRDs in the
    /// cluster; svcx does not check which channel is installed.
    ///
    /// ## References
    /// - https://gateway-api.sigs.k8s.io/reference/spec/#allowedroutes
    code: "SVC504",
    name: "route-kind-not-allowed",
    severity: Error,
    summary: "no listener admits routes of this kind",
    migrate: false,
    check: Check::Model,
}
