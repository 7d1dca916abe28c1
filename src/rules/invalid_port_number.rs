//! SVC210: a port number the API server refuses (raised by the semantic
//! model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a Service `port`, a numeric `targetPort` or a `nodePort` that is
    /// not a port number from 1 to 65535.
    ///
    /// ## Why is this bad?
    /// The API server refuses the whole Service (`kubectl apply` fails with
    /// "Invalid value: 70000: must be between 1 and 65535, inclusive"), so
    /// nothing of it exists in the cluster. `targetPort: 0` and `nodePort: 0`
    /// are no error: they mean unset, so the targetPort is the port and the
    /// nodePort is allocated.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   ports:
    ///   - port: 80
    ///     targetPort: 80800
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8080
    /// ```
    ///
    /// ## How to fix
    /// Use the port the container listens on (targetPort), the port clients
    /// connect to (port), or leave nodePort out to have one allocated.
    ///
    /// ## Known limitations
    /// Only the numbers are checked; a named targetPort's syntax is not.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec
    code: "SVC210",
    name: "invalid-port-number",
    severity: Error,
    summary: "a port, targetPort or nodePort outside 1-65535, which the API server refuses",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::view_findings::ports::invalid_numbers,
}
