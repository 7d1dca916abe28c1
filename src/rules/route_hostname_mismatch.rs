//! SVC505: the route's hostnames intersect no listener's hostname (raised by the semantic model's route resolution,
//! `model::routes`).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a route whose `hostnames` intersect the hostname of none of the
    /// listeners it could attach to (with wildcard matching as the Gateway API
    /// defines it).
    ///
    /// ## Why is this bad?
    /// A listener accepts a route only for the hostnames they share; with none,
    /// the route attaches but serves no request.
    ///
    /// ## Example
    /// ```yaml
    /// kind: HTTPRoute
    /// spec:
    ///   hostnames: ["shop.example.org"]   # the listener is *.example.com
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: HTTPRoute
    /// spec:
    ///   hostnames: ["shop.example.com"]
    /// ```
    ///
    /// ## How to fix
    /// Use hostnames the listener serves, or widen the listener's hostname (or
    /// leave it out).
    ///
    /// ## Known limitations
    /// None known.
    ///
    /// ## References
    /// - https://gateway-api.sigs.k8s.io/reference/spec/#httproutespec
    code: "SVC505",
    name: "route-hostname-mismatch",
    severity: Error,
    summary: "the route's hostnames intersect no listener's hostname",
    migrate: false,
    check: Check::Model,
    raised_in: [
        crate::model::routes::resolve::parent,
        crate::model::routes::gateway::ListenerFacts::admits,
    ],
}
