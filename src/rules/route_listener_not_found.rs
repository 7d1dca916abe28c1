//! SVC502: a route's parentRef names a listener the Gateway does not have (raised by the semantic model's route resolution,
//! `model::routes`).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a parentRef whose `sectionName` or `port` matches no listener of
    /// the Gateway it names.
    ///
    /// ## Why is this bad?
    /// The route attaches only to the listener it names; with no such listener
    /// it attaches to none, and the Gateway's status reports
    /// `NoMatchingParent`.
    ///
    /// ## Example
    /// ```yaml
    /// kind: HTTPRoute
    /// spec:
    ///   parentRefs:
    ///   - name: public
    ///     sectionName: http      # the listener is called web
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: HTTPRoute
    /// spec:
    ///   parentRefs:
    ///   - name: public
    ///     sectionName: web
    /// ```
    ///
    /// ## How to fix
    /// Use a listener name (and port) the Gateway has, or leave sectionName and
    /// port out to attach to every listener that admits the route.
    ///
    /// ## Known limitations
    /// None known.
    ///
    /// ## References
    /// - https://gateway-api.sigs.k8s.io/reference/spec/#parentreference
    code: "SVC502",
    name: "route-listener-not-found",
    severity: Error,
    summary: "a route's parentRef names a listener the Gateway does not have",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::routes::resolve::parent,
}
