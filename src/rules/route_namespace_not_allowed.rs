//! SVC503: no listener admits routes from the route's namespace (raised by the semantic model's route resolution,
//! `model::routes`).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a route that no listener of its Gateway admits because of
    /// `allowedRoutes.namespaces`: `from: Same` (the default) for a route in
    /// another namespace, or a `Selector` its namespace's labels do not match.
    /// A warning when the listener selects namespaces by label and the
    /// Namespace was not read.
    ///
    /// ## Why is this bad?
    /// The Gateway refuses the route (`NotAllowedByListeners`): nothing it
    /// routes reaches the Service.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Gateway
    /// metadata: {namespace: infra}
    /// spec:
    ///   listeners:
    ///   - name: web
    ///     protocol: HTTP
    ///     port: 80               # allowedRoutes defaults to from: Same
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
    ///       namespaces:
    ///         from: Selector
    ///         selector:
    ///           matchLabels: {gateway-access: public}
    /// ```
    ///
    /// ## How to fix
    /// Let the listener admit the route's namespace (`from: All`, or a
    /// `Selector` its labels match), or move the route to the Gateway's
    /// namespace.
    ///
    /// ## Known limitations
    /// With `from: Selector`, the Namespace objects must be in the input (or
    /// listed live) to be judged.
    ///
    /// ## References
    /// - https://gateway-api.sigs.k8s.io/guides/multiple-ns/
    code: "SVC503",
    name: "route-namespace-not-allowed",
    severity: Error,
    summary: "no listener admits routes from the route's namespace",
    migrate: false,
    check: Check::Model,
    raised_in: [
        crate::model::routes::resolve::parent,
        crate::model::routes::gateway::ListenerFacts::admits,
    ],
}
