//! The GKE Ingress controller (kubernetes/ingress-gce): every Ingress is a
//! load balancer of its own, with its own address, so Ingresses do not
//! merge by host. Its URL map matches `Exact` paths exactly, `Prefix` paths
//! element by element, and `ImplementationSpecific` paths as GCE path
//! patterns (`/foo/*` covers what is below `/foo/`; a path without `*` is
//! exact); the longest match wins. What no rule matches goes to the
//! Ingress's `spec.defaultBackend`, else to GKE's default backend (404).
//! `kubernetes.io/ingress.allow-http: "false"` removes the HTTP forwarding
//! rule (port 80 closes); HTTPS exists only with a certificate (`spec.tls`,
//! `ingress.gcp.kubernetes.io/pre-shared-cert`,
//! `networking.gke.io/managed-certificates`). HTTP is redirected to HTTPS
//! only by a FrontendConfig (`redirectToHttps`), which svcx does not read.

use super::build::Build;
use super::ingress::{Fallback, Found, Front, Implementation, Location, PathKind, Server, Tls};
use super::{Request, prefix_matches};

/// The annotation that closes port 80.
pub(crate) const ALLOW_HTTP: &str = "kubernetes.io/ingress.allow-http";
/// Certificates GKE serves besides `spec.tls`.
pub(crate) const CERTIFICATE_ANNOTATIONS: &[&str] = &[
    "ingress.gcp.kubernetes.io/pre-shared-cert",
    "networking.gke.io/managed-certificates",
];
/// The annotation that names a FrontendConfig.
pub(crate) const FRONTEND_CONFIG: &str = "networking.gke.io/v1beta1.FrontendConfig";

pub(super) fn build(cx: &Build, members: Vec<usize>) -> Front {
    let mut servers: Vec<Server> = Vec::new();
    for &i in &members {
        let facts = cx.facts(i);
        let default = facts
            .paths
            .iter()
            .enumerate()
            .find(|(_, p)| p.rule.is_none())
            .map_or(Fallback::NotFound, |(pi, _)| Fallback::Backend {
                ingress: i,
                path_index: pi,
                target: cx.target(i, pi),
            });
        for (pi, p) in facts
            .paths
            .iter()
            .enumerate()
            .filter(|(_, p)| p.rule.is_some())
        {
            let k = Server::find_or_add(&mut servers, p.host.as_deref(), |host| Server {
                tls: tls_for(cx, i, host.as_deref()),
                fallback: default.clone(),
                ..Server::new(host)
            });
            servers[k].locations.push(Location {
                redirect_http: Some(false),
                ..cx.location(i, pi)
            });
        }
        if !servers.iter().any(|s| s.host.is_none()) {
            servers.push(Server {
                tls: tls_for(cx, i, None),
                fallback: default,
                ..Server::new(None)
            });
        }
    }
    let first = members.first().copied();
    let annotation = |key: &str| first.and_then(|i| cx.annotation(i, key));
    let has_tls = first.is_some_and(|i| !cx.tls_hosts(i).is_empty());
    Front {
        http: annotation(ALLOW_HTTP) != Some("false"),
        https: has_tls || CERTIFICATE_ANNOTATIONS.iter().any(|a| annotation(a).is_some()),
        http_redirect_unknown: annotation(FRONTEND_CONFIG).map(|f| {
            format!("FrontendConfig {f} may redirect http to https (redirectToHttps), and svcx does not read it")
        }),
        ..Front::new(Implementation::Gce, members.clone(), servers)
    }
}

/// The certificate GKE serves a host with: the Secret of the TLS entry
/// that lists it, else that of an entry without hosts (every certificate
/// of the Ingress is on its load balancer, chosen by SNI); a host no
/// certificate names still answers HTTPS with one of them.
fn tls_for(cx: &Build, i: usize, host: Option<&str>) -> Tls {
    let tls = cx.tls_hosts(i);
    let secret = host
        .and_then(|h| tls.secret_of(h))
        .flatten()
        .or(tls.hostless.flatten());
    match secret {
        Some(name) => Tls::Secret {
            namespace: cx.facts(i).namespace.clone(),
            name,
            ingress: i,
        },
        None if !tls.listed.is_empty() => Tls::DefaultCertificate { ingress: i },
        None => Tls::None,
    }
}

/// The URL map's path rule for a request: the longest that matches, an
/// exact path before a pattern of the same length.
pub(super) fn location(server: &Server, req: &Request) -> Found {
    let path = req.path_only();
    let mut best: Option<(usize, (usize, bool))> = None;
    for (k, l) in server.locations.iter().enumerate() {
        let (matched, exact) = match l.kind {
            PathKind::Exact => (l.path == path, true),
            PathKind::Prefix => (prefix_matches(&l.path, path), false),
            PathKind::ImplementationSpecific => match l.path.strip_suffix('*') {
                Some(stem) => (path.starts_with(stem), false),
                None => (l.path == path, true),
            },
        };
        let rank = (l.path.trim_end_matches(['*', '/']).len(), exact);
        if matched && best.is_none_or(|(_, r)| rank > r) {
            best = Some((k, rank));
        }
    }
    match best {
        Some((k, _)) => Found::Location(k),
        None => Found::Fallback,
    }
}
