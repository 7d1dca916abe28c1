//! Contour's Ingress processing (projectcontour/contour at 31c4bb38,
//! `internal/dag/ingress_processor.go`, `internal/sorter/sorter.go`,
//! `internal/annotation/annotations.go`): every Ingress path becomes an
//! Envoy route on the virtual host of its host (`*` for rules without a
//! host, and for `spec.defaultBackend`, which `rulesFromSpec` writes as a
//! hostless rule for `/`).
//!
//! - Paths: `Prefix` matches path elements (`/` any path, and a trailing
//!   `/` is dropped), `Exact` the path itself, `ImplementationSpecific` a
//!   regular expression over the whole path when it holds one of `^+*[]%`,
//!   else a character prefix (`route`).
//! - Order: exact paths first, then regular expressions (longest first),
//!   then prefixes (longest first, element before character); Envoy takes
//!   the first that matches (`routeSorter`). Two Ingresses with one host,
//!   path and match: one replaces the other on the virtual host, in the
//!   order Contour reads them, which is not fixed (a Go map).
//! - Hosts: Envoy picks one virtual host, exact name first, then the
//!   wildcard (whose routes match one label only, `wildcardDomainHeaderMatch`),
//!   then `*`; a host's unmatched path answers 404, not `*`'s routes.
//! - Port 80 gets an Ingress's routes unless `kubernetes.io/ingress.allow-http:
//!   "false"`; `ingress.kubernetes.io/force-ssl-redirect: "true"` makes them
//!   a redirect to https (Envoy's `https_redirect`, 301). Plain HTTP is
//!   served for a host with TLS otherwise. Port 443 serves a host that some
//!   Ingress lists in `spec.tls` with a Secret, with the routes of every
//!   Ingress for that host (`computeSecureVirtualhosts`), never `*`; a name
//!   no TLS host covers gets no TLS handshake.
//!
//! Cilium's Ingress controller writes Envoy routes the same way, per
//! virtual host with hostless rules and `spec.defaultBackend` on `*`
//! (cilium/cilium 062e4cd operator/pkg/model/ingestion/ingress.go), and
//! differs in these ([`Flavor::Cilium`]):
//!
//! - Paths: `ImplementationSpecific` is always a regular expression over
//!   the whole path (its docs, network/servicemesh/ingress: "we define
//!   ImplementationSpecific to be Regex"); `Prefix` matches path elements.
//! - Order: exact paths, then regular expressions, then prefixes, each
//!   longest first, ties in the order written (`SortableRoute`, a stable
//!   sort; path-types.rst shows `/impl` and `/impl.+` on its example).
//! - Port 80 of a host an Ingress lists in `spec.tls` redirects with 301
//!   every path an https route matches, and answers 404 to the rest, when
//!   `ingress.cilium.io/force-https` says so or, unset, the operator's
//!   `enforce-ingress-https`, true by default ([`crate::model::cilium`]);
//!   other hosts are served over plain HTTP.
//! - Each Ingress has a load balancer of its own unless it asks for the
//!   shared one; on the shared one, two Ingresses with one host and match
//!   become one route that splits requests between their backends.

use super::build::Build;
use super::ingress::{
    Front, Implementation, Location, OwnRules, PathKind, forward, suffix_wildcard_covers,
};
use super::spec::build_spec;
use super::{Answer, Outcome, Request, Scheme, ServedBy, prefix_matches};
use crate::model::cilium;
use crate::model::routes::hostnames::ingress_host_matches;
use std::cmp::Reverse;
use std::collections::HashMap;

/// The prefix of Contour's own Ingress annotations.
pub(super) const PREFIX: &str = "projectcontour.io/";

/// Contour's class when it is configured with none (`DefaultClassName`,
/// internal/ingressclass/ingressclass.go): it also serves Ingresses without
/// a class.
pub(super) const CLASS: &str = "contour";

/// The annotation that makes an Ingress's port-80 routes redirects.
pub(crate) const FORCE_SSL_REDIRECT: &str = "ingress.kubernetes.io/force-ssl-redirect";

/// Which controller wrote the routes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Flavor {
    #[default]
    Contour,
    Cilium,
}

/// How a route's path matches, as Contour writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Condition {
    Exact(String),
    Regex(String),
    /// Element by element (`PrefixMatchSegment`).
    Segment(String),
    /// Character by character (`PrefixMatchString`).
    String(String),
}

impl Condition {
    fn of(loc: &Location, flavor: Flavor) -> Condition {
        let path = loc.path.clone();
        match loc.kind {
            PathKind::ImplementationSpecific if flavor == Flavor::Cilium => Condition::Regex(path),
            PathKind::Exact => Condition::Exact(path),
            PathKind::Prefix if path == "/" => Condition::String(path),
            PathKind::Prefix => Condition::Segment(path.trim_end_matches('/').to_string()),
            PathKind::ImplementationSpecific if path.contains(['^', '+', '*', '[', ']', '%']) => {
                Condition::Regex(path)
            }
            PathKind::ImplementationSpecific => Condition::String(path),
        }
    }

    /// `routeSorter`'s rank: exact, then regular expressions and prefixes,
    /// longest first, then by text, descending; an element prefix before a
    /// character one of the same text.
    /// Cilium's: the same kinds, longest first, ties as written.
    fn rank(&self, flavor: Flavor) -> (u8, Reverse<usize>, Reverse<&str>, u8) {
        let (kind, p, sub) = match self {
            Condition::Exact(p) => (0, p, 0),
            Condition::Regex(p) => (1, p, 0),
            Condition::Segment(p) => (2, p, 0),
            Condition::String(p) => (2, p, 1),
        };
        match flavor {
            Flavor::Contour => (kind, Reverse(p.len()), Reverse(p.as_str()), sub),
            Flavor::Cilium => (kind, Reverse(p.len()), Reverse(""), 0),
        }
    }

    /// Whether it matches `path`; `None` for a regular expression svcx
    /// cannot compile.
    fn matches(&self, regexes: &super::regex::Regexes, path: &str) -> Option<bool> {
        Some(match self {
            Condition::Exact(p) => p == path,
            Condition::Regex(p) => return regexes.matches(p, path, false, true),
            Condition::Segment(p) => prefix_matches(p, path),
            Condition::String(p) => path.starts_with(p.as_str()),
        })
    }
}

/// What Contour reads of each Ingress (by position), besides its paths.
#[derive(Debug, Default)]
pub(crate) struct Contour {
    flavor: Flavor,
    /// Cilium: the front is one Ingress's own load balancer.
    dedicated: bool,
    /// Whether its routes are on port 80, and whether as redirects
    /// (Cilium: for its TLS hosts).
    http: HashMap<usize, (bool, bool)>,
    /// The hosts some Ingress lists in `spec.tls` with a Secret.
    tls_hosts: Vec<String>,
    /// The `*` virtual host's routes that `spec.defaultBackend` gives, as
    /// `(Ingress, path position, where it sends)`.
    defaults: Vec<(usize, usize, super::ingress::Target)>,
}

impl Contour {
    /// Whether the Ingress at `ingress` has routes on port 80 (served or
    /// redirected).
    pub(super) fn serves_http(&self, ingress: usize) -> bool {
        self.http.get(&ingress).is_none_or(|&(on, _)| on)
    }

    /// Whether the front is a load balancer of its own that goes with its
    /// Ingress (Cilium's dedicated mode).
    pub(super) fn own_load_balancer(&self) -> bool {
        self.dedicated
    }
}

pub(super) fn build(cx: &Build, members: Vec<usize>, flavor: Flavor) -> Front {
    let implementation = match flavor {
        Flavor::Contour => Implementation::Contour,
        Flavor::Cilium => Implementation::Cilium,
    };
    let mut front = build_spec(cx, members, implementation);
    let mut contour = Contour {
        flavor,
        dedicated: flavor == Flavor::Cilium
            && !front
                .ingresses
                .iter()
                .any(|&i| cilium::shared(|k| cx.annotation(i, k))),
        ..Contour::default()
    };
    for &i in &front.ingresses {
        let http = match flavor {
            Flavor::Contour => {
                let allow_http = cx.annotation(i, super::ALLOW_HTTP) != Some("false");
                let redirect = cx.annotation(i, FORCE_SSL_REDIRECT) == Some("true");
                (allow_http || redirect, redirect)
            }
            Flavor::Cilium => (
                true,
                cilium::force_https(cx.annotation(i, cilium::FORCE_HTTPS)),
            ),
        };
        contour.http.insert(i, http);
        for (h, secret) in cx.tls_hosts(i).listed {
            if secret.is_some() && !contour.tls_hosts.contains(&h) {
                contour.tls_hosts.push(h);
            }
        }
        for (pi, p) in cx.facts(i).paths.iter().enumerate() {
            if p.rule.is_none() {
                contour.defaults.push((i, pi, cx.target(i, pi)));
            }
        }
    }
    for s in &mut front.servers {
        // Cilium redirects only its TLS hosts.
        let tls = s
            .host
            .as_ref()
            .is_some_and(|h| contour.tls_hosts.contains(h));
        for l in &mut s.locations {
            l.redirect_http = contour
                .http
                .get(&l.ingress)
                .map(|&(_, r)| r && (flavor == Flavor::Contour || tls));
        }
    }
    front.own = Some(Box::new(OwnRules::Contour(contour)));
    front
}

/// One route of the virtual host a request reaches.
struct Route<'a> {
    condition: Condition,
    by: ServedBy,
    target: &'a super::ingress::Target,
    ingress: usize,
    /// Only one DNS label in place of a wildcard host's `*`.
    wildcard: Option<&'a str>,
}

/// What Contour's Envoy does with a request.
pub(super) fn answer(front: &Front, contour: &Contour, req: &Request) -> Answer {
    let host = req.host.as_str();
    // Port 443: the TLS handshake needs a host some Ingress lists.
    let vhost: Option<Option<&str>> = match req.scheme {
        Scheme::Https => {
            let Some(h) = contour.tls_hosts.iter().find(|h| *h == host).or_else(|| {
                contour
                    .tls_hosts
                    .iter()
                    .filter(|h| h.starts_with("*.") && suffix_wildcard_covers(h, host))
                    .max_by_key(|h| h.len())
            }) else {
                return Answer::new(Outcome::Refused);
            };
            Some(Some(h.as_str()))
        }
        Scheme::Http => {
            if front.by_host.contains_key(host) {
                Some(Some(host))
            } else if let Some(w) = front
                .servers
                .iter()
                .filter_map(|s| s.host.as_deref())
                .filter(|h| h.starts_with("*.") && suffix_wildcard_covers(h, host))
                .max_by_key(|h| h.len())
            {
                Some(Some(w))
            } else if front.servers.iter().any(|s| s.host.is_none()) {
                Some(None)
            } else {
                None
            }
        }
    };
    let Some(vhost) = vhost else {
        return Answer::new(Outcome::NoRoute);
    };
    let mut routes: Vec<Route> = Vec::new();
    if vhost.is_none() {
        // `rulesFromSpec` puts the default backend first, so a hostless
        // rule for `/` of the same Ingress replaces it.
        for (i, pi, target) in &contour.defaults {
            routes.push(Route {
                condition: Condition::String("/".into()),
                by: ServedBy::Ingress {
                    ingress: *i,
                    path: *pi,
                },
                target,
                ingress: *i,
                wildcard: None,
            });
        }
    }
    // One server per host (`build_spec`), found by its name.
    let server = match vhost {
        Some(h) => front.by_host.get(h).map(|&k| &front.servers[k]),
        None => front.servers.iter().find(|s| s.host.is_none()),
    };
    if let Some(s) = server {
        for loc in &s.locations {
            routes.push(Route {
                condition: Condition::of(loc, contour.flavor),
                by: loc.served_by(),
                target: &loc.target,
                ingress: loc.ingress,
                wildcard: vhost.filter(|h| h.starts_with("*.")),
            });
        }
    }
    if req.scheme == Scheme::Http {
        routes.retain(|r| contour.serves_http(r.ingress));
    }
    // One route per condition: a later one of the same Ingress replaces an
    // earlier; of two Ingresses, which one stays is not fixed.
    let mut kept: Vec<(Route, Vec<ServedBy>)> = Vec::new();
    for r in routes {
        match kept.iter_mut().find(|(k, _)| k.condition == r.condition) {
            Some((k, _)) if k.ingress == r.ingress => *k = r,
            Some((_, contested)) => contested.push(r.by),
            None => kept.push((r, Vec::new())),
        }
    }
    kept.sort_by(|a, b| {
        a.0.condition
            .rank(contour.flavor)
            .cmp(&b.0.condition.rank(contour.flavor))
    });
    let path = req.path_only();
    for (r, contested) in &kept {
        if r.wildcard.is_some_and(|w| !ingress_host_matches(w, host)) {
            continue;
        }
        match r.condition.matches(&front.regexes, path) {
            Some(false) => continue,
            None => {
                return Answer::depends(
                    format!(
                        "path {} is a regular expression svcx cannot evaluate",
                        match &r.condition {
                            Condition::Regex(p) => p.as_str(),
                            _ => "",
                        }
                    ),
                    vec![r.by],
                );
            }
            Some(true) => {}
        }
        if !contested.is_empty() {
            let mut by = vec![r.by];
            by.extend(contested.iter().copied());
            return Answer::depends(
                match contour.flavor {
                    Flavor::Contour => {
                        "several Ingresses define this host and path, and which one Contour keeps depends on the \
                         order it reads them in, which is not fixed"
                    }
                    Flavor::Cilium => {
                        "several Ingresses on Cilium's shared load balancer define this host and path: Cilium merges \
                         them into one route that splits requests evenly between their backends"
                    }
                },
                by,
            );
        }
        let redirects = contour.http.get(&r.ingress).is_some_and(|&(_, red)| red)
            && (contour.flavor == Flavor::Contour
                || vhost.is_some_and(|h| contour.tls_hosts.iter().any(|t| t == h)));
        if req.scheme == Scheme::Http && redirects {
            return Answer::by(
                Outcome::Redirect {
                    status: 301,
                    scheme: Some(Scheme::Https),
                    location: Some(format!("https://{host}{}", req.path)),
                },
                vec![r.by],
            );
        }
        return Answer::by(forward(front, r.target), vec![r.by]);
    }
    Answer::new(Outcome::NoRoute)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(kind: PathKind, path: &str) -> Condition {
        of_by(kind, path, Flavor::Contour)
    }

    fn of_by(kind: PathKind, path: &str, flavor: Flavor) -> Condition {
        let loc = Location {
            ingress: 0,
            path_index: 0,
            path: path.to_string(),
            kind,
            target: super::super::ingress::Target {
                backend: None,
                service: None,
                not_in_input: false,
            },
            redirect_http: None,
            canaries: Vec::new(),
            contested: Vec::new(),
            regex: None,
            returns: None,
        };
        Condition::of(&loc, flavor)
    }

    /// `route` in ingress_processor.go: `Prefix` `/` is a character prefix
    /// and any other drops its trailing `/` and matches elements;
    /// `ImplementationSpecific` is a regular expression when it holds one
    /// of `^+*[]%` (matched over the whole path, Envoy's `safe_regex`),
    /// else a character prefix.
    #[test]
    fn paths_become_the_conditions_contour_writes() {
        let regexes = super::super::regex::Regexes::default();
        assert_eq!(of(PathKind::Prefix, "/"), Condition::String("/".into()));
        let foo = of(PathKind::Prefix, "/foo/");
        assert_eq!(foo, Condition::Segment("/foo".into()));
        for (path, yes) in [("/foo", true), ("/foo/x", true), ("/foobar", false)] {
            assert_eq!(foo.matches(&regexes, path), Some(yes), "{path}");
        }
        let api = of(PathKind::ImplementationSpecific, "/api");
        assert_eq!(api.matches(&regexes, "/apis"), Some(true));
        let re = of(PathKind::ImplementationSpecific, "/static/[a-z]+");
        assert_eq!(re, Condition::Regex("/static/[a-z]+".into()));
        assert_eq!(re.matches(&regexes, "/static/abc"), Some(true));
        assert_eq!(re.matches(&regexes, "/static/abc/def"), Some(false));
        assert_eq!(
            of(PathKind::Exact, "/x").matches(&regexes, "/x/"),
            Some(false)
        );
    }

    /// `routeSorter`: exact first, then regular expressions, then
    /// prefixes, longest first; an element prefix before a character one
    /// of the same text.
    #[test]
    fn routes_sort_as_contour_sorts_them() {
        let mut all = vec![
            Condition::String("/a".into()),
            Condition::Segment("/a".into()),
            Condition::Segment("/abc".into()),
            Condition::Regex("/r.*".into()),
            Condition::Exact("/".into()),
        ];
        all.sort_by(|a, b| a.rank(Flavor::Contour).cmp(&b.rank(Flavor::Contour)));
        assert_eq!(
            all,
            [
                Condition::Exact("/".into()),
                Condition::Regex("/r.*".into()),
                Condition::Segment("/abc".into()),
                Condition::Segment("/a".into()),
                Condition::String("/a".into()),
            ]
        );
    }

    /// Cilium: `ImplementationSpecific` is a regular expression over the
    /// whole path, whatever it holds (`/impl` matches `/impl` only), and
    /// routes sort exact, regular expression, prefix, each longest first,
    /// ties as written: on its path-types example (path-types.rst)
    /// `/implementation` goes to `/impl.+`, `/impl` to `/impl`.
    #[test]
    fn cilium_reads_implementation_specific_as_a_regular_expression() {
        let regexes = super::super::regex::Regexes::default();
        let imp = of_by(PathKind::ImplementationSpecific, "/impl", Flavor::Cilium);
        assert_eq!(imp, Condition::Regex("/impl".into()));
        assert_eq!(imp.matches(&regexes, "/impl"), Some(true));
        assert_eq!(imp.matches(&regexes, "/implementation"), Some(false));
        let more = of_by(PathKind::ImplementationSpecific, "/impl.+", Flavor::Cilium);
        assert_eq!(more.matches(&regexes, "/implementation"), Some(true));
        let mut all = vec![
            Condition::Segment("/prefix".into()),
            Condition::Regex("/b.+".into()),
            Condition::Regex("/a.+".into()),
            Condition::Exact("/exact".into()),
        ];
        all.sort_by(|a, b| a.rank(Flavor::Cilium).cmp(&b.rank(Flavor::Cilium)));
        assert_eq!(
            all,
            [
                Condition::Exact("/exact".into()),
                Condition::Regex("/b.+".into()),
                Condition::Regex("/a.+".into()),
                Condition::Segment("/prefix".into()),
            ]
        );
    }
}
