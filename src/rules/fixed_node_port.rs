//! SVC306: an explicit, fixed nodePort (raised by lint).

use crate::lint::Context;
use crate::lint::engine::read_back;
use crate::rules::registry::{Check, declare_rule};
use crate::model::finding::{Code, Finding};
use crate::model::view::ServiceView;

declare_rule! {
    /// ## What it does
    /// Notes a nodePort written in a manifest rather than left to the API
    /// server to allocate.
    ///
    /// ## Why is this bad?
    /// A fixed nodePort must be free in every cluster the manifest is applied
    /// to: a second Service, chart or environment that picks the same number
    /// fails to apply ("provided port is already allocated"). It also ties
    /// clients to a port number on the nodes, which a Gateway would hide.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: NodePort
    ///   ports:
    ///   - port: 80
    ///     nodePort: 30080
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: NodePort
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## How to fix
    /// Leave nodePort out and let the API server allocate one; better still,
    /// expose the Service through a Gateway (`svcx migrate-to-gateway`).
    /// When an external load balancer is configured with the number, keep it
    /// and silence the rule with `svcx/ignore: SVC306`.
    ///
    /// ## Known limitations
    /// Only for manifests an author wrote: live objects, and manifests that
    /// `kubectl get` wrote (they carry `uid`, `resourceVersion` or
    /// `creationTimestamp`), hold allocated nodePorts, which are not judged.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#nodeport-custom-port
    code: "SVC306",
    name: "fixed-node-port",
    severity: Info,
    summary: "a nodePort written in the manifest must be free in every cluster it is applied to",
    migrate: true,
    check: Check::Service(check),
}

fn check(_cx: &Context<'_, '_>, v: &ServiceView<'_>, out: &mut Vec<Finding>) {
    let Some(np) = &v.node_ports else { return };
    if read_back(v.located) {
        return;
    }
    for &(i, port) in &np.ports {
        // One that is no port number is SVC210's: the Service is refused.
        let Some(port) = port.filter(|&p| crate::model::ports::is_port_number(p)) else {
            continue;
        };
        out.push(
            Finding::new(
                Code::FixedNodePort,
                v.located,
                &format!("spec.ports[{i}].nodePort"),
                format!("nodePort {port} is fixed: it must be free in every cluster this is applied to"),
            )
            .port(i)
            .hint("leave nodePort out and let the API server allocate one, or expose the Service through a Gateway"),
        );
    }
}
