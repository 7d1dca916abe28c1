//! SVC504: no listener admits routes of this kind (raised by the semantic model's route resolution,
//! `model::routes`).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a route whose kind no listener admits: `allowedRoutes.kinds`
    /// leaves it out, or the listener's protocol does not carry it (HTTP and
    /// HTTPS carry HTTPRoute and GRPCRoute, TLS TLSRoute, and TCPRoute too in
    /// Terminate mode, TCP TCPRoute, UDP UDPRoute). Where the implementation
    /// decides (a TCPRoute on a TLS listener in Terminate mode that does not
    /// list kinds, for an implementation svcx does not know), the finding is
    /// information: it says so without guessing.
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
    /// cluster; svcx does not check which channel is installed. Of the
    /// implementations, svcx knows that Envoy Gateway admits TCPRoute on a TLS
    /// listener in Terminate mode by default.
    ///
    /// ## References
    /// - https://gateway-api.sigs.k8s.io/reference/spec/#allowedroutes
    code: "SVC504",
    name: "route-kind-not-allowed",
    severity: Error,
    summary: "no listener admits routes of this kind",
    migrate: false,
    check: Check::Model,
    raised_in: [
        crate::model::routes::resolve::parent,
        crate::model::routes::gateway::ListenerFacts::admits,
    ],
}
