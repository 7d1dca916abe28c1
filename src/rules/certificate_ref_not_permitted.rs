//! SVC519: a listener's certificate in another namespace without a
//! ReferenceGrant (raised by the semantic model's route resolution,
//! `model::routes`).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a Gateway listener whose `tls.certificateRefs` names a
    /// certificate in another namespace than the Gateway's when no
    /// ReferenceGrant in that namespace lets Gateways of the Gateway's
    /// namespace refer to it. An error live; a warning from manifests, where
    /// the ReferenceGrant may be in another file.
    ///
    /// ## Why is this bad?
    /// As for a backendRef across namespaces, the certificate's namespace
    /// must accept the reference with a ReferenceGrant. Without one the
    /// controller sets the listener's `ResolvedRefs` to `False` with reason
    /// `RefNotPermitted` and the listener cannot terminate TLS: clients get
    /// no working HTTPS there.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Gateway
    /// metadata: {name: public, namespace: infra}
    /// spec:
    ///   listeners:
    ///   - name: https
    ///     protocol: HTTPS
    ///     port: 443
    ///     tls:
    ///       certificateRefs: [{name: shop-cert, namespace: shop}]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: ReferenceGrant
    /// metadata: {name: gateways-use-certs, namespace: shop}
    /// spec:
    ///   from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: infra}]
    ///   to: [{group: "", kind: Secret, name: shop-cert}]
    /// ```
    ///
    /// ## How to fix
    /// Have the owner of the certificate's namespace create the
    /// ReferenceGrant, or keep the certificate in the Gateway's namespace.
    ///
    /// ## Known limitations
    /// svcx never reads Secrets: whether the certificate exists is not
    /// checked.
    ///
    /// ## References
    /// - https://gateway-api.sigs.k8s.io/api-types/referencegrant/
    /// - https://gateway-api.sigs.k8s.io/reference/spec/#gatewaytlsconfig
    code: "SVC519",
    name: "certificate-ref-not-permitted",
    severity: Error,
    summary: "a listener's certificate in another namespace has no ReferenceGrant allowing it",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::routes::listeners::certificates,
}
