//! SVC207: the same nodePort on two Services (raised by lint).

use crate::lint::Context;
use crate::rules::registry::{Check, declare_rule};
use crate::model::finding::{Code, Finding};
use crate::model::ports::protocol;
use crate::model::view::names_list;
use std::collections::BTreeMap;

declare_rule! {
    /// ## What it does
    /// Flags a nodePort used by more than one Service, or twice in one Service
    /// with the same protocol.
    ///
    /// ## Why is this bad?
    /// A node port is one port on every node: the API server allocates each
    /// number once, so the second Service fails to apply ("provided port is
    /// already allocated"), whichever protocol it uses. Within one Service,
    /// the same number may serve TCP and UDP, but not twice the same protocol.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// metadata: {name: web}
    /// spec:
    ///   type: NodePort
    ///   ports:
    ///   - port: 80
    ///     nodePort: 30080
    /// ---
    /// kind: Service
    /// metadata: {name: api}
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
    /// metadata: {name: api}
    /// spec:
    ///   type: NodePort
    ///   ports:
    ///   - port: 80       # allocated by the API server
    /// ```
    ///
    /// ## How to fix
    /// Give one of them another number, or better leave nodePort out and let
    /// the API server allocate it (see SVC306, `fixed-node-port`).
    ///
    /// ## Known limitations
    /// Only the Services in the input are compared: a clash with a Service
    /// already in the cluster shows only when linting the cluster and the
    /// files together is possible, which it is not yet.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#nodeport-custom-port
    code: "SVC207",
    name: "duplicate-node-port",
    severity: Error,
    summary: "the same nodePort is used by two Services (or twice in one)",
    migrate: false,
    check: Check::Run(check),
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    // nodePort → (view, port index, protocol).
    let mut users: BTreeMap<i32, Vec<(usize, usize, &str)>> = BTreeMap::new();
    for (k, v) in cx.views.iter().enumerate() {
        let Some(np) = &v.node_ports else { continue };
        for &(i, port) in &np.ports {
            if let Some(port) = port {
                users.entry(port).or_default().push((k, i, protocol(v.ports()[i].protocol.as_ref())));
            }
        }
    }
    for (port, list) in users.into_iter().filter(|(_, l)| l.len() > 1) {
        for &(k, i, proto) in &list {
            let v = &cx.views[k];
            let others: Vec<String> = list
                .iter()
                .filter(|(k2, _, _)| *k2 != k)
                .map(|(k2, _, _)| format!("`{}`", cx.views[*k2].full_name()))
                .collect();
            let twice_here = list
                .iter()
                .any(|&(k2, i2, p2)| k2 == k && i2 != i && p2 == proto);
            let message = if !others.is_empty() {
                format!("nodePort {port} is also used by {}: the API server allocates it once", names_list(&others))
            } else if twice_here {
                format!("nodePort {port} is used twice for {proto} in this Service: the API server rejects it")
            } else {
                continue;
            };
            out.push(
                Finding::new(Code::DuplicateNodePort, v.located, &format!("spec.ports[{i}].nodePort"), message)
                    .port(i)
                    .hint("give one of them another number, or leave nodePort out and let the API server allocate it"),
            );
        }
    }
}
