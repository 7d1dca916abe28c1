//! What an Ingress annotation did, for the report: every annotation of a
//! migrated Ingress that is not translated is named with whose it is and
//! what to do instead, whatever its prefix. Only bookkeeping annotations,
//! which no controller routes by, are left unsaid ([`INERT`]).

use super::nginx::{self, Nginx};
use super::{Context, Out, ingress_label};
use crate::migrate::{Note, NoteCode};
use crate::model::routing::ALLOW_HTTP;
use crate::model::routing::{Implementation, NGINX_PREFIX};
use std::collections::BTreeSet;

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

/// Reads an Ingress's annotations: what they ask of its rules, and a note
/// for each that is not translated.
pub(super) fn annotations_of(cx: &Context, i: usize, out: &mut Out) -> Nginx {
    let facts = &cx.ix.ingresses[i];
    let object = ingress_label(cx, i);
    let all = cx.snap.ingresses[facts.index]
        .object
        .metadata
        .annotations
        .clone()
        .unwrap_or_default();
    let (n, mut translated) = nginx::read(&all, cx.target, &object, &mut out.notes);
    translated.insert(crate::model::routes::CLASS_ANNOTATION.to_string());
    let front = cx.routing.front_of(i);
    if front.is_some_and(|f| f.implementation == Implementation::IngressNginx) {
        for k in [
            "canary",
            "canary-weight",
            "canary-weight-total",
            "canary-by-header",
            "canary-by-header-value",
            "canary-by-header-pattern",
            // Said by the rule it leaves out (canary-not-carried).
            "canary-by-cookie",
        ] {
            translated.insert(format!("{NGINX_PREFIX}{k}"));
        }
    }
    if front.is_some_and(|f| f.implementation == Implementation::Gce && !f.http) {
        translated.insert(crate::model::routing::ALLOW_HTTP.to_string());
        out.notes.push(Note {
            code: NoteCode::CarriedToGateway,
            object: object.clone(),
            port: None,
            message: format!(
                "annotation {}: \"false\" closed port 80 of its load balancer: its hosts get no HTTP listener",
                crate::model::routing::ALLOW_HTTP
            ),
            instead: "nothing to do; add an HTTP listener by hand if port 80 should open".into(),
        });
    }
    for (key, value) in &all {
        let short = key.strip_prefix(NGINX_PREFIX).unwrap_or(key);
        if translated.contains(key) || translated.contains(short) || INERT.contains(&key.as_str()) {
            continue;
        }
        let d = describe(key);
        out.notes.push(Note {
            code: NoteCode::IngressAnnotation,
            object: object.clone(),
            port: None,
            message: format!(
                "annotation {key}: \"{}\" is {}'s, and is not carried over",
                value.chars().take(120).collect::<String>(),
                d.whose
            ),
            instead: d.instead.into(),
        });
    }
    n
}

/// The GKE controller's backend protocol annotations on the Services the
/// Ingresses reach (HTTPS or HTTP/2 from the load balancer to the pods):
/// a Gateway speaks plain HTTP to a backend unless told otherwise, so
/// each is said (the Service keeps the annotation, which the Gateway does
/// not read).
pub(super) fn backend_protocols(cx: &Context, chosen: &[usize], out: &mut Out) {
    let mut seen: BTreeSet<usize> = BTreeSet::new();
    for &i in chosen {
        for p in &cx.ix.ingresses[i].paths {
            let Some(s) = p.target.filter(|s| seen.insert(*s)) else {
                continue;
            };
            let svc = &cx.snap.services[s].object;
            for key in APP_PROTOCOLS {
                let Some(value) = svc.metadata.annotations.as_ref().and_then(|a| a.get(*key))
                else {
                    continue;
                };
                let d = describe(key);
                out.notes.push(Note {
                    code: NoteCode::IngressAnnotation,
                    object: format!(
                        "Service {}/{}",
                        svc.metadata.namespace.as_deref().unwrap_or_default(),
                        svc.metadata.name.as_deref().unwrap_or_default()
                    ),
                    port: None,
                    message: format!(
                        "annotation {key}: \"{value}\" is {}'s: the Gateway does not read it, and speaks plain HTTP \
                         to the backend",
                        d.whose
                    ),
                    instead: d.instead.into(),
                });
            }
        }
    }
}

/// The Service annotations that set the GKE load balancer's protocol to the
/// pods (the older key is read first, ingress-gce `annotations/service.go`).
const APP_PROTOCOLS: &[&str] = &[
    "service.alpha.kubernetes.io/app-protocols",
    "cloud.google.com/app-protocols",
];
