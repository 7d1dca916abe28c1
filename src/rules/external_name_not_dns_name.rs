//! SVC114: an ExternalName cluster DNS cannot serve (raised by the semantic
//! model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags an ExternalName Service whose `externalName` is empty, an IP
    /// address, or not a DNS name at all.
    ///
    /// ## Why is this bad?
    /// Cluster DNS answers an ExternalName Service with a CNAME to the name.
    /// An IPv4 address is accepted by the API (it is a valid DNS subdomain)
    /// but published as a CNAME to a name that does not resolve; anything
    /// else that is not a lowercase DNS name is rejected by the API server.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: ExternalName
    ///   externalName: 192.0.2.10
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: ExternalName
    ///   externalName: db.example.com
    /// ```
    ///
    /// ## How to fix
    /// Use a DNS name. For a fixed IP, use a Service without selector and an
    /// EndpointSlice that lists the IP.
    ///
    /// ## Known limitations
    /// svcx does not resolve the name: a name that does not exist is not
    /// flagged.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#externalname
    code: "SVC114",
    name: "external-name-not-dns-name",
    severity: Error,
    summary: "an ExternalName that cluster DNS cannot serve (an IP, empty, or invalid)",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::view_findings::external_name::not_dns_name,
}
