//! SVC516: two listeners of a Gateway with the same name, or the same port,
//! protocol and hostname (raised by lint; the Gateway CRD's CEL rules).

use crate::lint::Context;
use crate::rules::registry::{Check, declare_rule};
use crate::model::finding::{Code, Finding};

declare_rule! {
    /// ## What it does
    /// Flags a Gateway listener whose name another listener of the same
    /// Gateway already has, or whose port, protocol and hostname are those of
    /// another listener (no hostname counts as a value of its own).
    ///
    /// ## Why is this bad?
    /// The Gateway CRD's validation rules (CEL, run by the API server, not by
    /// schema validators such as kubeconform) reject the Gateway: "Listener
    /// name must be unique within the Gateway", "Combination of port, protocol
    /// and hostname must be unique for each listener". Nothing of it is
    /// created, and none of its routes is served.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Gateway
    /// spec:
    ///   listeners:
    ///   - {name: web, protocol: HTTP, port: 80}
    ///   - {name: web-2, protocol: HTTP, port: 80}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Gateway
    /// spec:
    ///   listeners:
    ///   - {name: web, protocol: HTTP, port: 80, hostname: shop.example.com}
    ///   - {name: web-2, protocol: HTTP, port: 80, hostname: api.example.com}
    /// ```
    ///
    /// ## How to fix
    /// Give each listener its own name, and tell listeners on one port and
    /// protocol apart by hostname (or merge them: one listener can carry many
    /// routes).
    ///
    /// ## Known limitations
    /// Only a Gateway's own listeners are compared (the CRD's rules are per
    /// object). A ListenerSet's listener that repeats the port, protocol and
    /// hostname of an earlier one is left out of the Gateway, as the
    /// specification's precedence says, without a finding of its own.
    ///
    /// ## References
    /// - https://gateway-api.sigs.k8s.io/reference/spec/#listener
    code: "SVC516",
    name: "listener-conflict",
    severity: Error,
    summary: "two listeners of a Gateway share a name, or a port, protocol and hostname",
    migrate: false,
    check: Check::Run(check),
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for gw in &cx.snap.gateways {
        let listeners = &gw.object.spec.listeners;
        for (j, l) in listeners.iter().enumerate() {
            let earlier = &listeners[..j];
            if let Some(k) = earlier.iter().position(|e| e.name == l.name) {
                out.push(
                    Finding::new(
                        Code::ListenerConflict,
                        gw,
                        &format!("spec.listeners[{j}].name"),
                        format!("listener name `{}` is also listeners[{k}]'s: the API server rejects the Gateway", l.name),
                    )
                    .hint("give each listener its own name"),
                );
            } else if let Some(k) = earlier.iter().position(|e| {
                e.port == l.port && e.protocol == l.protocol && e.hostname == l.hostname
            }) {
                let host = l.hostname.as_deref().map_or("no hostname".to_string(), |h| format!("`{h}`"));
                out.push(
                    Finding::new(
                        Code::ListenerConflict,
                        gw,
                        &format!("spec.listeners[{j}]"),
                        format!(
                            "listener `{}` repeats the port, protocol and hostname of `{}` ({} {}, {host}): the API server rejects the Gateway",
                            l.name, listeners[k].name, l.protocol, l.port
                        ),
                    )
                    .hint("tell listeners on one port and protocol apart by hostname, or merge them"),
                );
            }
        }
    }
}
