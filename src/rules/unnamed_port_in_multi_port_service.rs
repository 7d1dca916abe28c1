//! SVC205: a multi-port Service with unnamed ports (raised by lint).

use crate::lint::Context;
use crate::rules::registry::{Check, declare_rule};
use crate::model::finding::{Code, Finding};
use crate::model::ports::protocol;
use crate::model::view::ServiceView;

declare_rule! {
    /// ## What it does
    /// Flags the unnamed ports of a Service that has more than one port.
    ///
    /// ## Why is this bad?
    /// The API server rejects such a Service (`spec.ports[1].name: Required
    /// value`): with several ports, EndpointSlice ports and clients (SRV
    /// records, Gateway `backendRefs` by name) need the names to tell them
    /// apart.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   ports:
    ///   - port: 80
    ///   - port: 443
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   ports:
    ///   - name: http
    ///     port: 80
    ///   - name: https
    ///     port: 443
    /// ```
    ///
    /// ## How to fix
    /// Name every port (lowercase letters, digits and `-`, at most 15
    /// characters, as IANA service names).
    ///
    /// ## Known limitations
    /// Live objects never have it: the API server refused them.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#multi-port-services
    code: "SVC205",
    name: "unnamed-port-in-multi-port-service",
    severity: Error,
    summary: "a Service with several ports must name each one",
    migrate: false,
    check: Check::Service(check),
}

fn check(_cx: &Context<'_, '_>, v: &ServiceView<'_>, out: &mut Vec<Finding>) {
    let ports = v.ports();
    if ports.len() < 2 {
        return;
    }
    for (i, p) in ports.iter().enumerate() {
        if p.name.as_deref().is_some_and(|n| !n.is_empty()) {
            continue;
        }
        out.push(
            Finding::new(
                Code::UnnamedPortInMultiPortService,
                v.located,
                &format!("spec.ports[{i}]"),
                format!(
                    "port {}/{} has no name, and the Service has {} ports: the API server rejects it",
                    p.port,
                    protocol(p.protocol.as_ref()),
                    ports.len()
                ),
            )
            .port(i)
            .hint("name every port of a multi-port Service, e.g. `name: http`"),
        );
    }
}
