//! SVC520: listeners of different protocols on one port (raised by the
//! semantic model's route resolution, `model::routes`).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags listeners of one Gateway that share a port with different
    /// protocols. HTTP, HTTPS or TLS listeners on the port of a TCP listener
    /// are an error: the Gateway API makes them conflict. Any other mix (HTTP
    /// and HTTPS, HTTPS and TLS, TCP and UDP on one port) is information:
    /// whether it works is up to the implementation.
    ///
    /// ## Why is this bad?
    /// Listeners sharing a port must be distinct and served together on every
    /// address of the Gateway. A TCP listener takes every connection on its
    /// port, so the specification says HTTP, HTTPS and TLS listeners on that
    /// port "are not distinct and so MUST NOT be accepted": the controller
    /// marks them `Conflicted` (reason `ProtocolConflict`) and none of their
    /// routes is served. Other combinations are compatible on some
    /// implementations and not on others.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Gateway
    /// spec:
    ///   listeners:
    ///   - {name: web, protocol: HTTP, port: 8080}
    ///   - {name: raw, protocol: TCP, port: 8080}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Gateway
    /// spec:
    ///   listeners:
    ///   - {name: web, protocol: HTTP, port: 8080}
    ///   - {name: raw, protocol: TCP, port: 9000}
    /// ```
    ///
    /// ## How to fix
    /// Give the TCP listener a port of its own. For other mixes, check the
    /// listeners' `Conflicted` condition in the Gateway's status.
    ///
    /// ## Known limitations
    /// Only a Gateway's own listeners are compared. A ListenerSet's listener
    /// on the port of an earlier listener with another protocol (or the same
    /// protocol and hostname) is left out of the Gateway, as the
    /// specification's precedence says, without a finding of its own.
    ///
    /// ## References
    /// - https://gateway-api.sigs.k8s.io/reference/spec/#gatewayspec
    /// - https://gateway-api.sigs.k8s.io/reference/spec/#listenerconditionreason
    code: "SVC520",
    name: "listener-protocol-conflict",
    severity: Error,
    summary: "listeners of different protocols share a port",
    migrate: false,
    check: Check::Model,
    raised_in: [
        crate::model::routes::listeners::ports,
        crate::model::routes::resolve::parent,
        crate::model::routes::gateway::ListenerFacts::admits,
    ],
}
