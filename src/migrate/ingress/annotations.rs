//! What an Ingress annotation did, for the report: every annotation of a
//! migrated Ingress that is not translated is named with whose it is and
//! what to do instead, whatever its prefix. Only bookkeeping annotations,
//! which no controller routes by, are left unsaid ([`INERT`]).

use super::nginx;
use crate::model::routing::ALLOW_HTTP;

/// Annotations tools write for their own bookkeeping: no controller reads
/// them to route traffic.
pub(in crate::migrate) const INERT: &[&str] = &[
    "kubectl.kubernetes.io/last-applied-configuration",
    "kubernetes.io/change-cause",
    "meta.helm.sh/release-name",
    "meta.helm.sh/release-namespace",
    "argocd.argoproj.io/tracking-id",
];

/// Whose an annotation is, and what to do instead of it.
pub(in crate::migrate) struct Described {
    pub whose: &'static str,
    pub instead: &'static str,
}

/// Describes an annotation svcx does not translate.
pub(in crate::migrate) fn describe(key: &str) -> Described {
    if let Some(short) = key.strip_prefix(nginx::NGINX_PREFIX) {
        return Described {
            whose: "ingress-nginx",
            instead: nginx::instead(short),
        };
    }
    let (whose, instead) = match key {
        ALLOW_HTTP => (
            "the GKE Ingress controller",
            "the Gateway serves port 80 only where it has an HTTP listener",
        ),
        "kubernetes.io/ingress.global-static-ip-name" => (
            "the GKE Ingress controller (a reserved global address)",
            "give the Gateway the same address: on GKE, spec.addresses with type NamedAddress and the address's \
             name",
        ),
        "kubernetes.io/ingress.regional-static-ip-name" => (
            "the GKE Ingress controller (a reserved regional address)",
            "give the Gateway the same address: on GKE, spec.addresses with type NamedAddress and the address's \
             name",
        ),
        "ingress.gcp.kubernetes.io/pre-shared-cert" | "networking.gke.io/managed-certificates" => (
            "the GKE Ingress controller (certificates it serves)",
            "serve the same certificates from the Gateway's HTTPS listeners (on GKE, the networking.gke.io/\
             certmap annotation or certificateRefs)",
        ),
        "networking.gke.io/v1beta1.FrontendConfig" => (
            "the GKE Ingress controller (its FrontendConfig: HTTPS redirect, SSL policy)",
            "write the redirect as an HTTPRoute RequestRedirect and the SSL policy as the implementation's policy",
        ),
        "kubernetes.io/tls-acme" => (
            "cert-manager's ingress-shim (it issues the certificates of this Ingress's TLS hosts)",
            "annotate the Gateway for cert-manager (cert-manager.io/cluster-issuer or issuer), which issues the \
             certificates of its HTTPS listeners once Gateway API support is on",
        ),
        "service.alpha.kubernetes.io/app-protocols" | "cloud.google.com/app-protocols" => (
            "the GKE Ingress controller (HTTPS or HTTP/2 to the pods)",
            "say it on the Service port (appProtocol) and, for TLS to the pods, add a BackendTLSPolicy; never a \
             Gateway infrastructure annotation",
        ),
        _ => match nginx::other_controller(key) {
            Some((whose, instead)) => (whose, instead),
            None => (
                "an annotation svcx does not know",
                "find what it did in the documentation of the controller that read it: Gateway implementations \
                 do not read Ingress annotations",
            ),
        },
    };
    Described { whose, instead }
}
