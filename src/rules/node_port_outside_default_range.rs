//! SVC206: a nodePort outside the default range (raised by the semantic
//! model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Notes a nodePort outside 30000-32767, the API server's default
    /// `--service-node-port-range`.
    ///
    /// ## Why is this bad?
    /// Unless the cluster runs with a range that includes it, the API server
    /// rejects the Service. Clusters can be configured otherwise, which is why
    /// this is information.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: NodePort
    ///   ports:
    ///   - port: 80
    ///     nodePort: 8080
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: NodePort
    ///   ports:
    ///   - port: 80       # let the API server allocate the nodePort
    /// ```
    ///
    /// ## How to fix
    /// Leave nodePort out and let the API server allocate one, or check the
    /// cluster's `--service-node-port-range`. Better still, expose the
    /// workload through a Gateway (`svcx migrate-to-gateway`).
    ///
    /// ## Known limitations
    /// svcx does not know the cluster's configured range: it says "the
    /// default range".
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    code: "SVC206",
    name: "node-port-outside-default-range",
    severity: Info,
    summary: "a nodePort outside the default range 30000-32767",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::view_findings::ports::outside_default_range,
}
