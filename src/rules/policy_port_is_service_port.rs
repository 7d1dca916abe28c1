//! SVC211: a policy port that names the Service port instead of the pod
//! port (raised by lint).

use crate::lint::Context;
use crate::rules::registry::{Check, declare_rule};
use crate::model::finding::Finding;

declare_rule! {
    /// ## What it does
    /// Flags a port of a NetworkPolicy rule that equals the `port` of a
    /// Service whose endpoints the policy selects, when those endpoints
    /// receive that Service port on another port (its `targetPort`) and no
    /// endpoint receives anything on the number the rule names.
    ///
    /// ## Why is this bad?
    /// kube-proxy rewrites the Service port to the targetPort before the
    /// packet reaches the pod, so policies see pod ports only. A rule that
    /// allows port 80 for a Service `80 → 8080` allows nothing the pods
    /// serve: the traffic it was meant for is dropped.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   ports:
    ///   - {port: 80, targetPort: 8080}
    /// ---
    /// kind: NetworkPolicy
    /// spec:
    ///   ingress:
    ///   - ports:
    ///     - {protocol: TCP, port: 80}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: NetworkPolicy
    /// spec:
    ///   ingress:
    ///   - ports:
    ///     - {protocol: TCP, port: 8080}   # or the container port's name
    /// ```
    ///
    /// ## How to fix
    /// Name the pod port: the targetPort's number, or the container port's
    /// name (named ports resolve on each pod, so they follow the pods if the
    /// number changes).
    ///
    /// ## Known limitations
    /// Only NetworkPolicy ports are compared; a number that some endpoint
    /// does receive on is never flagged, even if it also is a Service port.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/#NetworkPolicySpec
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service
    code: "SVC211",
    name: "policy-port-is-service-port",
    severity: Error,
    summary: "a network policy port names a Service port, which the pods never see",
    migrate: false,
    check: Check::Run(check),
    raised_in: crate::model::policy::Policies::service_ports_in_policies,
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    if let Some(p) = &cx.sem.policies {
        out.extend(p.service_ports_in_policies(cx.views));
    }
}
