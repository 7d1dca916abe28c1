//! Istio's Ingress controller (istio/istio 86c9f01,
//! `pilot/pkg/config/kube/ingress/`): for IngressClass controller
//! `istio.io/ingress-controller` or class `istio` (the mesh's default
//! `ingressClass`, `pkg/config/mesh/mesh.go`). Every Ingress of the class
//! is served by the mesh's ingress gateway, one VirtualService per host
//! built from the rules of every Ingress for it (`virtualservices.go`):
//!
//! - Paths (`convertIngressRule`, `createFallbackStringMatch`): `Exact` the
//!   path, `Prefix` a prefix; `ImplementationSpecific` (or none) matches
//!   everything when it is empty, `*`, `/*` or `.*`, is a prefix of what
//!   comes before a final `.*` or `/*`, and is the exact path otherwise.
//!   A prefix matches path elements with its trailing `/` dropped (the
//!   VirtualService's `route-semantics: ingress`,
//!   `pilot/pkg/networking/core/route/route.go`).
//! - Order (`sortHTTPRoutes`, a stable sort): the longer match string
//!   first, counted as written (a trailing `/` counts), an exact one before
//!   a prefix of the same length, match-everything paths last; ties in the
//!   order of the Ingresses' creation, then name (`sortRulesByCreationTimestamp`).
//!   Envoy takes the first route that matches; none is a 404.
//! - `spec.defaultBackend` is ignored (`ingress.go`: "Ignore default
//!   wildcard ingress"); hostless rules serve the hosts no rule names.
//! - TLS: a `spec.tls` entry with a `secretName` serves its hosts on 443;
//!   one without is skipped (`gateways.go`); plain HTTP is never redirected
//!   (`HttpsRedirect: false`), port 80 serves every host.
//! - A wildcard host is an Envoy domain suffix: `*.example.com` also
//!   serves `a.b.example.com`.

/// The controller of Istio's IngressClass.
pub(crate) const CONTROLLER: &str = "istio.io/ingress-controller";

/// The mesh's default `ingressClass` (`pkg/config/mesh/mesh.go`), also read
/// from the `kubernetes.io/ingress.class` annotation.
pub(crate) const CLASS: &str = "istio";

use super::build::Build;
use super::ingress::{Fallback, Found, Front, Implementation, PathKind, Server, Tls};
use super::spec::build_spec;
use super::{Request, prefix_matches};

/// How Istio matches one Ingress path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum IstioMatch<'a> {
    Exact(&'a str),
    Prefix(&'a str),
    /// No URI match: every path.
    Any,
}

impl<'a> IstioMatch<'a> {
    /// The match Istio writes for a path of this type.
    pub(crate) fn of(kind: PathKind, path: &'a str) -> IstioMatch<'a> {
        match kind {
            PathKind::Exact => IstioMatch::Exact(path),
            PathKind::Prefix => IstioMatch::Prefix(path),
            PathKind::ImplementationSpecific => match path {
                "" | "*" | "/*" | ".*" => IstioMatch::Any,
                _ => match path.strip_suffix(".*").or_else(|| path.strip_suffix("/*")) {
                    Some(before) => IstioMatch::Prefix(before),
                    None => IstioMatch::Exact(path),
                },
            },
        }
    }

    /// `sortHTTPRoutes`' key: longer first, exact before prefix.
    fn order(&self) -> (std::cmp::Reverse<usize>, bool) {
        match self {
            IstioMatch::Exact(p) => (std::cmp::Reverse(p.len()), false),
            IstioMatch::Prefix(p) => (std::cmp::Reverse(p.len()), true),
            IstioMatch::Any => (std::cmp::Reverse(0), true),
        }
    }

    fn matches(&self, path: &str) -> bool {
        match self {
            IstioMatch::Exact(p) => *p == path,
            IstioMatch::Prefix(p) => prefix_matches(p, path),
            IstioMatch::Any => true,
        }
    }
}

pub(super) fn build(cx: &Build, members: Vec<usize>) -> Front {
    let mut front = build_spec(cx, members, Implementation::Istio);
    for s in &mut front.servers {
        // No defaultBackend, no default certificate, no redirect.
        s.fallback = Fallback::NotFound;
        s.fallback_redirect = Some(false);
        if let Tls::DefaultCertificate { .. } = s.tls {
            s.tls = Tls::None;
        }
        for l in &mut s.locations {
            l.redirect_http = Some(false);
        }
    }
    front
}

/// The first route of the host, in Istio's order, that matches the
/// request's path: of those that match, the first by that order, ties
/// (a stable sort) in the Ingresses' order, which the locations keep.
pub(super) fn location(server: &Server, req: &Request) -> Found {
    let path = req.path_only();
    server
        .locations
        .iter()
        .enumerate()
        .map(|(k, l)| (k, IstioMatch::of(l.kind, &l.path)))
        .filter(|(_, m)| m.matches(path))
        .min_by_key(|(k, m)| (m.order(), *k))
        .map_or(Found::Fallback, |(k, _)| Found::Location(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Istio's golden file (pilot/pkg/config/kube/ingress/testdata/
    /// simple.yaml.golden) orders `/sub/path/` before `/sub/path` and
    /// reads `/regex1.*` and `/regex3/*` as prefixes, `/regex2*` as an
    /// exact path.
    #[test]
    fn paths_become_the_matches_istio_writes_in_its_order() {
        use PathKind::*;
        assert_eq!(
            IstioMatch::of(ImplementationSpecific, "/regex1.*"),
            IstioMatch::Prefix("/regex1")
        );
        assert_eq!(
            IstioMatch::of(ImplementationSpecific, "/regex3/*"),
            IstioMatch::Prefix("/regex3")
        );
        assert_eq!(
            IstioMatch::of(ImplementationSpecific, "/regex2*"),
            IstioMatch::Exact("/regex2*")
        );
        assert_eq!(
            IstioMatch::of(ImplementationSpecific, "/*"),
            IstioMatch::Any
        );
        let mut all = [
            IstioMatch::of(Exact, "/sub/path"),
            IstioMatch::of(Prefix, "/sub/path/"),
            IstioMatch::Any,
            IstioMatch::of(Exact, "/sub/path/"),
        ];
        all.sort_by_key(IstioMatch::order);
        assert_eq!(
            all,
            [
                IstioMatch::Exact("/sub/path/"),
                IstioMatch::Prefix("/sub/path/"),
                IstioMatch::Exact("/sub/path"),
                IstioMatch::Any,
            ]
        );
        // A prefix matches path elements, its trailing `/` dropped.
        let slash = IstioMatch::Prefix("/sub/path/");
        assert!(slash.matches("/sub/path"));
        assert!(slash.matches("/sub/path/x"));
        assert!(!slash.matches("/sub/pathx"));
    }
}
