//! SVC106: only terminating endpoints serve a port (raised by the semantic
//! model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a Service port with no ready endpoint whose traffic goes to
    /// endpoints that are terminating but still serving.
    ///
    /// ## Why is this bad?
    /// kube-proxy falls back to serving terminating endpoints only while no
    /// endpoint is ready (KEP-1669). When they exit, the port has nothing left:
    /// a rollout or a scale-down is about to cut traffic.
    ///
    /// ## Example
    /// ```yaml
    /// kind: EndpointSlice
    /// endpoints:
    /// - addresses: ["10.0.0.7"]
    ///   conditions: {ready: false, serving: true, terminating: true}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: EndpointSlice
    /// endpoints:
    /// - addresses: ["10.0.0.8"]
    ///   conditions: {ready: true}
    /// ```
    ///
    /// ## How to fix
    /// New pods must become ready before the old ones finish terminating: check
    /// the rollout (`maxUnavailable`, readiness probes) and why new pods are
    /// not ready.
    ///
    /// ## Known limitations
    /// A moment's state: it can be gone when you look again.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#conditions
    /// - https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/1669-proxy-terminating-endpoints
    code: "SVC106",
    name: "only-terminating-endpoints",
    severity: Warning,
    summary: "no endpoint is ready; terminating endpoints take the traffic until they exit",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::view_findings::endpoints::readiness,
}
