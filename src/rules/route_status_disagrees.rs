//! SVC511: the route's status, as its controller wrote it, disagrees with svcx's reading (raised by the semantic model's route resolution,
//! `model::routes`).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a route whose `status.parents[].conditions` (Accepted,
    /// ResolvedRefs) say otherwise than svcx's own reading of the objects.
    ///
    /// ## Why is this bad?
    /// One of the two is wrong: the objects changed since the controller
    /// looked, the controller implements the spec differently, or svcx does.
    /// Either way, what the route does is not what its manifests suggest.
    ///
    /// ## Example
    /// ```yaml
    /// status:
    ///   parents:
    ///   - conditions:
    ///     - type: Accepted
    ///       status: "False"
    ///       reason: NotAllowedByListeners
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// status:
    ///   parents:
    ///   - conditions:
    ///     - type: Accepted
    ///       status: "True"
    /// ```
    ///
    /// ## How to fix
    /// Read the condition's reason and message (`kubectl describe httproute`),
    /// and `svcx trace` the route to see svcx's reading hop by hop.
    ///
    /// ## Known limitations
    /// Only the conditions svcx reads itself are compared.
    ///
    /// ## References
    /// - https://gateway-api.sigs.k8s.io/reference/spec/#routeparentstatus
    code: "SVC511",
    name: "route-status-disagrees",
    severity: Warning,
    summary: "the route's status, as its controller wrote it, disagrees with svcx's reading",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::routes::resolve::status,
}
