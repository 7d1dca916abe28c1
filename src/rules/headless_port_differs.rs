//! SVC208: a headless Service whose port differs from its targetPort (raised
//! by the semantic model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a headless Service (`clusterIP: None`) whose targetPort resolves
    /// to another number than its port on some endpoints.
    ///
    /// ## Why is this bad?
    /// A headless Service is not proxied: DNS gives clients the pods' IPs, and
    /// clients connect to the port they know. Nothing translates `port` into
    /// `targetPort`, so a client using the Service port reaches a port the pod
    /// does not listen on.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   clusterIP: None
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8080
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   clusterIP: None
    ///   ports:
    ///   - port: 8080
    ///     targetPort: 8080
    /// ```
    ///
    /// ## How to fix
    /// Make port equal targetPort, or have clients read the port from the SRV
    /// record (`_name._tcp.svc.ns.svc.cluster.local`).
    ///
    /// ## Known limitations
    /// None known.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#headless-services
    /// - https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#srv-records
    code: "SVC208",
    name: "headless-port-differs",
    severity: Warning,
    summary: "a headless Service whose targetPort differs from its port",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::view_findings::ports::headless_port,
}
