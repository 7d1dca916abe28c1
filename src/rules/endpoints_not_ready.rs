//! SVC105: some endpoints of a port are not ready (raised by the semantic
//! model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a Service port some of whose endpoints are not ready (or are
    /// terminating while others are ready), and `publishNotReadyAddresses`,
    /// which makes kube-proxy (or, for a headless Service, DNS) hand out pods
    /// that are not ready.
    ///
    /// ## Why is this bad?
    /// Endpoints that are not ready get no traffic, so the Service runs with
    /// less capacity than intended. With `publishNotReadyAddresses`, clients
    /// reach pods before they serve.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   publishNotReadyAddresses: true   # on a Service clients use
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   clusterIP: None                  # a headless Service for peers
    ///   publishNotReadyAddresses: true
    /// ```
    ///
    /// ## How to fix
    /// See why the pods are not ready with `kubectl describe pod`. Keep
    /// `publishNotReadyAddresses` for headless Services whose peers must find
    /// each other while starting (StatefulSets).
    ///
    /// ## Known limitations
    /// Readiness is known live, or from manifests that carry Pods or
    /// EndpointSlices with their status.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#conditions
    /// - https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec
    code: "SVC105",
    name: "endpoints-not-ready",
    severity: Warning,
    summary: "some endpoints of a Service port are not ready and get no traffic",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::view_findings::endpoints::readiness,
}
