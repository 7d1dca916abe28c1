//! SVC107: a Service without selector and without EndpointSlices (raised by
//! the semantic model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a Service that has no selector and no EndpointSlice labelled
    /// `kubernetes.io/service-name` with its name. An error live and on the
    /// demo, where every slice was read; a warning from manifests, where the
    /// slices may be managed elsewhere.
    ///
    /// ## Why is this bad?
    /// Without a selector, Kubernetes writes no endpoints for the Service:
    /// someone must write EndpointSlices by hand. Without them, the Service
    /// has no endpoints and connections fail.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// metadata:
    ///   name: db
    /// spec:
    ///   ports:
    ///   - port: 5432
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: EndpointSlice
    /// metadata:
    ///   name: db-1
    ///   labels:
    ///     kubernetes.io/service-name: db
    /// addressType: IPv4
    /// ports:
    /// - port: 5432
    /// endpoints:
    /// - addresses: ["192.0.2.10"]
    /// ```
    ///
    /// ## How to fix
    /// Write EndpointSlices labelled `kubernetes.io/service-name: NAME` for it,
    /// or give it a selector. For a name outside the cluster, an ExternalName
    /// Service may be what you want.
    ///
    /// ## Known limitations
    /// svcx reads EndpointSlices, not the deprecated v1 Endpoints (Kubernetes
    /// 1.33); the EndpointSlice mirroring controller copies Endpoints into
    /// slices in a cluster, so live this is exact.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors
    code: "SVC107",
    name: "selectorless-without-endpoints",
    severity: Error,
    summary: "a Service without selector has no EndpointSlice, so no endpoints",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::view_findings::backends::selectorless,
}
