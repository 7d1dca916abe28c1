//! SVC514: a Gateway whose controller has assigned no address yet (raised by the semantic model's route resolution,
//! `model::routes`).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a Gateway with no `status.addresses`: its controller has not
    /// provisioned it yet (an error), or says it is Programmed without
    /// reporting an address (a warning). Not raised for a manifest without
    /// status.
    ///
    /// ## Why is this bad?
    /// Clients have no address to reach the Gateway's listeners, so no route
    /// through it serves anything.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Gateway
    /// status:
    ///   addresses: []
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Gateway
    /// status:
    ///   addresses:
    ///   - type: IPAddress
    ///     value: 203.0.113.40
    /// ```
    ///
    /// ## How to fix
    /// Check the GatewayClass's controller (`kubectl describe gateway`): is it
    /// installed, does it accept the class, has it addresses to give (on bare
    /// metal, a load balancer implementation)?
    ///
    /// ## Known limitations
    /// Live, or manifests with status, only.
    ///
    /// ## References
    /// - https://gateway-api.sigs.k8s.io/reference/spec/#gatewaystatus
    code: "SVC514",
    name: "gateway-address-pending",
    severity: Error,
    summary: "a Gateway whose controller has assigned no address yet",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::routes::gateway::one,
}
