//! SVC518: a listener's `allowedRoutes.kinds` names kinds it cannot carry
//! (raised by the semantic model's route resolution, `model::routes`).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a Gateway listener whose `allowedRoutes.kinds` lists a route kind
    /// the listener cannot carry: an unknown kind, or one its protocol does
    /// not carry (HTTP and HTTPS carry HTTPRoute and GRPCRoute, TLS TLSRoute
    /// and in Terminate mode TCPRoute, TCP TCPRoute, UDP UDPRoute). An error
    /// when no valid kind is left; a warning when some are; information for
    /// a kind of another API group, which only its implementation knows.
    ///
    /// ## Why is this bad?
    /// The Gateway API requires the controller to set the listener's
    /// `ResolvedRefs` condition to `False` with reason `InvalidRouteKinds`
    /// and to leave the kind out of `supportedKinds`. With no valid kind, the
    /// listener admits no route at all; the manifest is accepted, so nothing
    /// warns before traffic fails.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Gateway
    /// spec:
    ///   listeners:
    ///   - name: web
    ///     protocol: HTTP
    ///     port: 80
    ///     allowedRoutes:
    ///       kinds: [{kind: TCPRoute}]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Gateway
    /// spec:
    ///   listeners:
    ///   - name: web
    ///     protocol: HTTP
    ///     port: 80
    ///     allowedRoutes:
    ///       kinds: [{kind: HTTPRoute}]
    /// ```
    ///
    /// ## How to fix
    /// List the kinds the listener's protocol carries, or leave
    /// `allowedRoutes.kinds` out to admit the protocol's kinds.
    ///
    /// ## Known limitations
    /// Kinds of other API groups (an implementation's own route kinds) are
    /// not judged.
    ///
    /// ## References
    /// - https://gateway-api.sigs.k8s.io/reference/spec/#allowedroutes
    /// - https://gateway-api.sigs.k8s.io/reference/spec/#listenerstatus
    code: "SVC518",
    name: "listener-route-kinds-invalid",
    severity: Error,
    summary: "a listener's allowedRoutes.kinds names a kind it cannot carry",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::routes::listeners::route_kinds,
}
