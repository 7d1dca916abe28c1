//! SVC112: the load balancer is not provisioned (raised by the semantic
//! model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a LoadBalancer Service whose `status.loadBalancer.ingress` is
    /// empty: what `kubectl get svc` shows as `<pending>`.
    ///
    /// ## Why is this bad?
    /// No controller has provisioned a load balancer, so the Service has no
    /// external address. Clients outside the cluster cannot reach it except
    /// through its node ports.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: LoadBalancer
    /// status:
    ///   loadBalancer: {}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: LoadBalancer
    /// status:
    ///   loadBalancer:
    ///     ingress:
    ///     - ip: 203.0.113.10
    /// ```
    ///
    /// ## How to fix
    /// On a cloud, check the cloud controller manager's events
    /// (`kubectl describe svc`). On bare metal or kind nothing provisions load
    /// balancers: install MetalLB, kube-vip or cloud-provider-kind. With
    /// `loadBalancerClass`, check that its controller runs. Or put the
    /// workload behind a Gateway (`svcx migrate-to-gateway`).
    ///
    /// ## Known limitations
    /// Live only (or manifests that carry a status): a manifest without
    /// status describes a load balancer not created yet.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer
    code: "SVC112",
    name: "load-balancer-pending",
    severity: Error,
    summary: "the LoadBalancer Service has no load balancer yet (<pending>)",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::view_findings::load_balancer::pending,
}
