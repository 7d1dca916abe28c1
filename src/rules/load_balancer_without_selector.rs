//! SVC305: a LoadBalancer Service without selector (raised by lint).

use crate::lint::Context;
use crate::rules::registry::{Check, declare_rule};
use crate::model::finding::{Code, Finding};
use crate::model::view::{ServiceView, Shape};

declare_rule! {
    /// ## What it does
    /// Flags a LoadBalancer Service that has no selector.
    ///
    /// ## Why is this bad?
    /// Its endpoints are written by hand (EndpointSlices or Endpoints), and
    /// may point at any address: pods of other namespaces, or the node's own
    /// services. Exposed through a load balancer, that lets whoever may write
    /// them publish what they should not reach (CVE-2021-25740).
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: LoadBalancer
    ///   ports:
    ///   - port: 443
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: LoadBalancer
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 443
    /// ```
    ///
    /// ## How to fix
    /// Give the Service a selector. If its endpoints must be written by hand,
    /// keep it ClusterIP and restrict who may write EndpointSlices and
    /// Endpoints (the `system:aggregate-to-edit` role no longer grants it
    /// since Kubernetes 1.22).
    ///
    /// ## Known limitations
    /// Cilium's Ingress Services (label `cilium.io/ingress: "true"`) are
    /// left out: they have no selector by design, their Endpoints hold a
    /// placeholder, and Cilium's datapath sends their traffic to its Envoy.
    ///
    /// ## References
    /// - https://github.com/kubernetes/kubernetes/issues/103675
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors
    code: "SVC305",
    name: "load-balancer-without-selector",
    severity: Warning,
    summary: "a LoadBalancer Service without selector exposes hand-written endpoints (CVE-2021-25740)",
    migrate: false,
    check: Check::Service(check),
}

fn check(_cx: &Context<'_, '_>, v: &ServiceView<'_>, out: &mut Vec<Finding>) {
    // Cilium's Ingress Services have none by design: their endpoints are
    // a placeholder, and the traffic goes to Cilium's Envoy.
    if v.shape != Shape::LoadBalancer
        || v.selector.is_some()
        || crate::model::cilium::is_ingress_service(&v.located.object)
    {
        return;
    }
    out.push(
        Finding::new(
            Code::LoadBalancerWithoutSelector,
            v.located,
            "spec.type",
            "LoadBalancer Service without selector: its hand-written endpoints may point anywhere, and are exposed to the outside".to_string(),
        )
        .hint("give it a selector; endpoints written by hand should stay behind a ClusterIP Service (CVE-2021-25740)"),
    );
}
