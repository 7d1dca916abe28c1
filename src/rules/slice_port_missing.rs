//! SVC204: no EndpointSlice port matches a Service port (raised by the
//! semantic model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a Service port that no port of its EndpointSlices matches by
    /// name, for the whole Service or for the endpoints of some slices.
    ///
    /// ## Why is this bad?
    /// kube-proxy matches EndpointSlice ports to Service ports by name (an
    /// unnamed Service port matches an unnamed slice port). A Service port
    /// without a matching slice port has no endpoints there.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   ports:
    ///   - name: https
    ///     port: 443
    /// ---
    /// kind: EndpointSlice
    /// ports:
    /// - name: http       # no port named https
    ///   port: 8443
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: EndpointSlice
    /// ports:
    /// - name: https
    ///   port: 8443
    /// ```
    ///
    /// ## How to fix
    /// The slices' writer (you, for a Service without selector) must use the
    /// Service port's name.
    ///
    /// ## Known limitations
    /// Slices written by the EndpointSlice controller always match; this
    /// concerns hand-written or mirrored slices.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/
    code: "SVC204",
    name: "slice-port-missing",
    severity: Error,
    summary: "a Service port that no EndpointSlice port matches by name",
    migrate: false,
    check: Check::Model,
    raised_in: [
        crate::model::view_findings::ports::target_port,
        crate::model::view::unresolved_code,
    ],
}
