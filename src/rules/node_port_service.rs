//! SVC301: a NodePort Service (raised by lint).

use crate::lint::Context;
use crate::rules::registry::{Check, declare_rule};
use crate::model::finding::{Code, Finding};
use crate::model::view::{ServiceView, Shape, names_list};

declare_rule! {
    /// ## What it does
    /// Notes a Service of type NodePort.
    ///
    /// ## Why is this bad?
    /// A NodePort Service opens its port on every node, on every node
    /// address, for any client that reaches a node: the nodes' firewall is
    /// the only filter, `loadBalancerSourceRanges` does not apply, and the
    /// port number (30000-32767) is what clients must use. It bypasses
    /// whatever TLS, routing and policy a Gateway would give.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: NodePort
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: ClusterIP
    ///   ports:
    ///   - port: 80
    /// ---
    /// kind: HTTPRoute
    /// spec:
    ///   parentRefs:
    ///   - name: shared-gateway
    ///   rules:
    ///   - backendRefs:
    ///     - name: web
    ///       port: 80
    /// ```
    ///
    /// ## How to fix
    /// Make it a ClusterIP Service and expose it through a Gateway:
    /// `svcx migrate-to-gateway` writes both. Keep NodePort where something
    /// outside the cluster is set up to send to node ports (an external load
    /// balancer you manage), and silence the rule for that Service with
    /// `svcx/ignore: SVC301`.
    ///
    /// ## Known limitations
    /// LoadBalancer Services open node ports too; SVC302 covers them. The
    /// own Service of an Ingress controller or a Gateway's proxy is not
    /// flagged: it is the shared way in already. A backend of a GKE Ingress
    /// needs its node ports unless container-native load balancing is on
    /// (`cloud.google.com/neg`), and one of an ALB Ingress unless its target
    /// type is `ip`: the help says so instead of ClusterIP.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport
    /// - https://gateway-api.sigs.k8s.io/
    code: "SVC301",
    name: "node-port-service",
    severity: Info,
    summary: "a NodePort Service opens its port on every node",
    migrate: true,
    check: Check::Service(check),
}

fn check(cx: &Context<'_, '_>, v: &ServiceView<'_>, out: &mut Vec<Finding>) {
    if v.shape != Shape::NodePort || v.entry_point.is_some() {
        // An Ingress controller's or a Gateway proxy's own Service is the
        // shared way in already: nothing to move behind a Gateway.
        return;
    }
    let Some(np) = &v.node_ports else { return };
    let numbers: Vec<String> = np.numbers().iter().map(i32::to_string).collect();
    let what = if numbers.len() == np.ports.len() && !numbers.is_empty() {
        format!(
            "{} {}",
            if numbers.len() == 1 { "port" } else { "ports" },
            names_list(&numbers)
        )
    } else if np.ports.len() == 1 {
        "a node port".to_string()
    } else {
        format!("{} node ports", np.ports.len())
    };
    out.push(
        Finding::new(
            Code::NodePortService,
            v.located,
            "spec.type",
            format!("NodePort Service opens {what} on every node, to any client that reaches a node"),
        )
        .hint(match cx.sem.load_balanced_ingresses(v) {
            // A cloud Ingress's load balancer reaches it through the node
            // ports unless told to go to the pods (model::ingress_lb).
            Some(l) if l.needs_node_ports() => format!(
                "{} {} reaches it through its node ports unless it sends straight to the pods: keep NodePort, \
                 or set {} first",
                l.by.ingress(),
                names_list(&l.names),
                l.by.to_pods()
            ),
            _ => "make it a ClusterIP Service behind a Gateway: `svcx migrate-to-gateway` writes both".to_string(),
        }),
    );
}
