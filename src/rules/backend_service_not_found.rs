//! SVC506: a backendRef names a Service that does not exist (raised by the semantic model's route resolution,
//! `model::routes`).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a route `backendRefs` entry naming a Service that is not there. An
    /// error live; a warning from manifests, where the Service may be
    /// elsewhere.
    ///
    /// ## Why is this bad?
    /// The share of traffic the rule sends to that backend fails, as each
    /// route kind specifies: an HTTPRoute answers 500, a GRPCRoute gRPC
    /// status `UNAVAILABLE`; a TLSRoute or TCPRoute rejects the connections
    /// and a UDPRoute drops the packets. The route reports
    /// `ResolvedRefs: False`.
    ///
    /// ## Example
    /// ```yaml
    /// kind: HTTPRoute
    /// spec:
    ///   rules:
    ///   - backendRefs:
    ///     - name: web-svc        # the Service is web
    ///       port: 80
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: HTTPRoute
    /// spec:
    ///   rules:
    ///   - backendRefs:
    ///     - name: web
    ///       port: 80
    /// ```
    ///
    /// ## How to fix
    /// Name an existing Service (and namespace), or create it.
    ///
    /// ## Known limitations
    /// From manifests, a Service in another file is unknown: lint them
    /// together.
    ///
    /// ## References
    /// - https://gateway-api.sigs.k8s.io/api-types/httproute/#backendrefs-optional
    code: "SVC506",
    name: "backend-service-not-found",
    severity: Error,
    summary: "a backendRef names a Service that does not exist",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::routes::resolve::backend,
}
