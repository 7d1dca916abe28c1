//! SVC302: a LoadBalancer Service, one cloud load balancer each (raised by
//! lint).

use crate::lint::Context;
use crate::rules::registry::{Check, declare_rule};
use crate::model::finding::{Code, Finding};
use crate::model::load_balancer::Provider;
use crate::model::view::{ServiceView, Shape, names_list};

declare_rule! {
    /// ## What it does
    /// Notes a Service of type LoadBalancer. lint's summary counts them:
    /// "N LoadBalancer Services = M cloud load balancers", where Services
    /// that report the same address (a shared IP) count once.
    ///
    /// ## Why is this bad?
    /// On a cloud, each LoadBalancer Service gets a load balancer of its own,
    /// paid for while it exists, with its own address, certificates and
    /// firewall rules to manage. Twenty Services mean twenty load balancers,
    /// where one Gateway would route to all of them by host and path.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: LoadBalancer
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Gateway
    /// metadata:
    ///   name: shared-gateway
    /// spec:
    ///   gatewayClassName: example
    ///   listeners:
    ///   - name: http
    ///     protocol: HTTP
    ///     port: 80
    /// ```
    ///
    /// ## How to fix
    /// Put the Services behind one Gateway: `svcx migrate-to-gateway` writes
    /// the Gateway, the routes and the ClusterIP Services. Keep a
    /// LoadBalancer for protocols a Gateway implementation does not carry,
    /// and silence the rule there with `svcx/ignore: SVC302`.
    ///
    /// ## Known limitations
    /// Sharing is seen through the addresses in status (live, or manifests
    /// with status) and, in manifests without status, through MetalLB's
    /// `allow-shared-ip` (the same key and requested address); other ways of
    /// sharing are not seen, and such Services count as one load balancer
    /// each. Bare-metal implementations (MetalLB) cost nothing per
    /// Service; the rule is information for that reason. The own Service of
    /// an Ingress controller or a Gateway's proxy is not flagged: it is the
    /// shared way in already.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer
    /// - https://gateway-api.sigs.k8s.io/
    code: "SVC302",
    name: "load-balancer-service",
    severity: Info,
    summary: "a LoadBalancer Service makes one cloud load balancer of its own",
    migrate: true,
    check: Check::Service(check),
}

fn check(_cx: &Context<'_, '_>, v: &ServiceView<'_>, out: &mut Vec<Finding>) {
    let Some(lb) = &v.load_balancer else { return };
    if v.shape != Shape::LoadBalancer || v.entry_point.is_some() {
        // An Ingress controller's or a Gateway proxy's own Service is the
        // shared way in already: nothing to move behind a Gateway.
        return;
    }
    let metallb = lb
        .implementation
        .provider
        .as_ref()
        .is_some_and(|p| p.value == Provider::MetalLb);
    let message = if lb.shared_with.is_empty() && metallb {
        // MetalLB announces an address of its pools: no cloud load
        // balancer, but one address of the pool each.
        "LoadBalancer Service: one address of MetalLB's pools of its own".to_string()
    } else if lb.shared_with.is_empty() {
        "LoadBalancer Service: one cloud load balancer of its own".to_string()
    } else {
        format!(
            "LoadBalancer Service: shares its load balancer address with {}",
            names_list(&lb.shared_with)
        )
    };
    out.push(
        Finding::new(Code::LoadBalancerService, v.located, "spec.type", message).hint(
            "one Gateway can route to many Services through one load balancer: `svcx migrate-to-gateway`",
        ),
    );
}
