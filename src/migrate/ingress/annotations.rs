//! What an Ingress annotation did, for the report: every annotation of a
//! migrated Ingress that is not translated is named with who reads it and
//! what to do instead, whatever its prefix. Only bookkeeping annotations,
//! which no controller routes by, are left unsaid ([`INERT`]).

use super::nginx::{self, Nginx};
use super::{IngressPlan, Out, ingress_label};
use crate::migrate::{Note, NoteCode};
use crate::model::routing::ALLOW_HTTP;
use crate::model::routing::{Implementation, NGINX_PREFIX};
use crate::model::slim::LAST_APPLIED;
use std::collections::BTreeSet;

/// Annotations tools write for their own bookkeeping: no controller reads
/// them to route traffic.
pub(in crate::migrate) const INERT: &[&str] = &[
    LAST_APPLIED,
    "kubernetes.io/change-cause",
    "meta.helm.sh/release-name",
    "meta.helm.sh/release-namespace",
    "argocd.argoproj.io/tracking-id",
];

/// Who reads an annotation, what it did, and what to do instead of it.
pub(in crate::migrate) struct Described {
    /// The controller (or tool) that reads it; `None`: none svcx knows.
    pub(crate) reader: Option<&'static str>,
    /// What it did there, where the reader's name does not say.
    pub(crate) did: Option<&'static str>,
    pub(crate) instead: &'static str,
}

impl Described {
    /// `annotation KEY: "VALUE" is read by READER (DID)`.
    pub(super) fn said(&self, key: &str, value: &str) -> String {
        let value: String = value.chars().take(120).collect();
        match (self.reader, self.did) {
            (Some(r), Some(d)) => format!("annotation {key}: \"{value}\" is read by {r} ({d})"),
            (Some(r), None) => format!("annotation {key}: \"{value}\" is read by {r}"),
            (None, _) => {
                format!("annotation {key}: \"{value}\" is read by no controller svcx knows")
            }
        }
    }
}

/// Describes an annotation svcx does not translate.
pub(in crate::migrate) fn describe(key: &str) -> Described {
    if let Some(short) = key.strip_prefix(nginx::NGINX_PREFIX) {
        return Described {
            reader: Some("ingress-nginx"),
            did: None,
            instead: nginx::instead(short),
        };
    }
    const GKE: Option<&str> = Some("the GKE Ingress controller");
    let (reader, did, instead) = match key {
        ALLOW_HTTP => (
            GKE,
            Some("it closes port 80"),
            "the Gateway serves port 80 only where it has an HTTP listener",
        ),
        "kubernetes.io/ingress.global-static-ip-name" => (
            GKE,
            Some("a reserved global address"),
            "give the Gateway the same address: on GKE, spec.addresses with type NamedAddress and the address's \
             name",
        ),
        "kubernetes.io/ingress.regional-static-ip-name" => (
            GKE,
            Some("a reserved regional address"),
            "give the Gateway the same address: on GKE, spec.addresses with type NamedAddress and the address's \
             name",
        ),
        "ingress.gcp.kubernetes.io/pre-shared-cert" | "networking.gke.io/managed-certificates" => (
            GKE,
            Some("certificates its load balancer serves"),
            "serve the same certificates from the Gateway's HTTPS listeners (on GKE, the networking.gke.io/\
             certmap annotation or certificateRefs)",
        ),
        "networking.gke.io/v1beta1.FrontendConfig" => (
            GKE,
            Some("its FrontendConfig: HTTPS redirect, SSL policy"),
            "write the redirect as an HTTPRoute RequestRedirect and the SSL policy as the implementation's policy",
        ),
        "kubernetes.io/tls-acme" => (
            Some("cert-manager's ingress-shim"),
            Some("it issues the certificates of this Ingress's TLS hosts"),
            "annotate the Gateway for cert-manager (cert-manager.io/cluster-issuer or issuer), which issues the \
             certificates of its HTTPS listeners once Gateway API support is on",
        ),
        "cloud.google.com/backend-config" | "beta.cloud.google.com/backend-config" => (
            GKE,
            Some(
                "its BackendConfig for the load balancer's backend: Cloud Armor policy, IAP, health check, timeout, \
                  session affinity",
            ),
            "on GKE, attach a GCPBackendPolicy (securityPolicy, iap, timeoutSec, sessionAffinity) and a \
             HealthCheckPolicy to the Service; with another implementation, its own backend policies",
        ),
        "service.alpha.kubernetes.io/app-protocols" | "cloud.google.com/app-protocols" => (
            GKE,
            Some("HTTPS or HTTP/2 from its load balancer to the pods"),
            "say it on the Service port (appProtocol) and, for TLS to the pods, add a BackendTLSPolicy; never a \
             Gateway infrastructure annotation",
        ),
        _ => match nginx::other_controller(key) {
            Some((reader, instead)) => (Some(reader), None, instead),
            None => (
                None,
                None,
                "find what it did in the documentation of the controller that read it: Gateway implementations \
                 do not read Ingress annotations",
            ),
        },
    };
    Described {
        reader,
        did,
        instead,
    }
}

/// Reads an Ingress's annotations: what they ask of its rules, and a note
/// for each that is not translated.
pub(super) fn annotations_of(cx: &IngressPlan, i: usize, out: &mut Out) -> Nginx {
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
    // The certificate's namespace goes to the listener's certificateRefs.
    translated.insert(crate::model::routing::CONTOUR_CERT_NAMESPACE.to_string());
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
    if front.is_some_and(|f| f.implementation == Implementation::NginxInc) {
        // What NGINX Inc's model reads to build the hosts the routes are
        // written from: merged hosts, the https redirect and its status.
        use crate::model::routing::nginx_inc::{HTTP_REDIRECT_CODE, MERGEABLE_TYPE, SSL_REDIRECT};
        for k in [MERGEABLE_TYPE, HTTP_REDIRECT_CODE]
            .into_iter()
            .chain(SSL_REDIRECT)
        {
            translated.insert(k.to_string());
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
    if front.is_some_and(|f| f.implementation == Implementation::Contour) {
        // Contour's redirect becomes the routes' RequestRedirect, as the
        // model reads it; its closed port 80 is said as Contour's.
        translated.insert(crate::model::routing::CONTOUR_FORCE_SSL_REDIRECT.to_string());
        if all.get(ALLOW_HTTP).map(String::as_str) == Some("false") {
            translated.insert(ALLOW_HTTP.to_string());
            out.notes.push(Note {
                code: NoteCode::CarriedToGateway,
                object: object.clone(),
                port: None,
                message: format!(
                    "annotation {ALLOW_HTTP}: \"false\" kept this Ingress's routes off port 80 (Contour): its paths \
                     get no HTTP rule"
                ),
                instead: "nothing to do; add HTTP rules by hand if port 80 should serve them".into(),
            });
        }
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
            message: format!("{}, and is not carried over", d.said(key, value)),
            instead: d.instead.into(),
        });
    }
    n
}

/// The GKE controller's annotations on the Services the Ingresses reach,
/// which set up its load balancer's backend for them: a Gateway reads
/// none, so each is said (the Service keeps the annotation).
pub(super) fn backend_annotations(cx: &IngressPlan, chosen: &[usize], out: &mut Out) {
    let mut seen: BTreeSet<usize> = BTreeSet::new();
    for &i in chosen {
        for p in &cx.ix.ingresses[i].paths {
            let Some(s) = p.target.filter(|s| seen.insert(*s)) else {
                continue;
            };
            let svc = &cx.snap.services[s].object;
            for (key, then) in BACKEND_ANNOTATIONS {
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
                        "{}: the Gateway does not read it, {then}",
                        d.said(key, value)
                    ),
                    instead: d.instead.into(),
                });
            }
        }
    }
}

/// The Service annotations the GKE Ingress controller reads for its
/// backends, each with what is lost behind a Gateway (ingress-gce
/// `pkg/annotations/service.go`, which reads the alpha app-protocols key
/// before the other, and `cloud.google.com/backend-config` before the beta
/// key); each present is said, whichever the controller used.
const BACKEND_ANNOTATIONS: &[(&str, &str)] = &[
    (
        "service.alpha.kubernetes.io/app-protocols",
        "and speaks plain HTTP to the backend",
    ),
    (
        "cloud.google.com/app-protocols",
        "and speaks plain HTTP to the backend",
    ),
    (
        "cloud.google.com/backend-config",
        "so the BackendConfig it names no longer applies",
    ),
    (
        "beta.cloud.google.com/backend-config",
        "so the BackendConfig it names no longer applies",
    ),
];
