//! SVC510: an Ingress backend names a port the Service does not have (raised by the semantic model's route resolution,
//! `model::routes`).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags an Ingress backend whose `port.number` or `port.name` matches no
    /// port of the Service.
    ///
    /// ## Why is this bad?
    /// The controller finds no endpoints for that port: requests to those paths
    /// fail.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Ingress
    /// spec:
    ///   defaultBackend:
    ///     service: {name: web, port: {number: 8080}}   # the Service port is 80
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Ingress
    /// spec:
    ///   defaultBackend:
    ///     service: {name: web, port: {number: 80}}
    /// ```
    ///
    /// ## How to fix
    /// Use the Service's port (number or name), not the container's.
    ///
    /// ## Known limitations
    /// None known.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/reference/kubernetes-api/service-resources/ingress-v1/#IngressBackend
    code: "SVC510",
    name: "ingress-port-not-found",
    severity: Error,
    summary: "an Ingress backend names a port the Service does not have",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::routes::ingress::backend_path,
}
