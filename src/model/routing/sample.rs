//! The requests that prove a migration: for every host and path of the
//! Ingresses migrated, the requests around them that tell routing models
//! apart. For each path: the path itself, one segment deeper, a sibling
//! that shares its characters (`/api` and `/apisvcx`: a prefix by element,
//! a prefix by string and a regular expression differ there), another
//! case; for each host, a path no rule names; for a wildcard host, a name
//! one label deeper and one two labels deeper; one unknown host per entry
//! point; for a path that is a pattern (or might be: `ImplementationSpecific`),
//! paths the pattern matches and the same around them; every request over `http` and `https`; and for a location with
//! canaries, each header and cookie value that selects or refuses one.
//!
//! `https` is asked of the hosts that have a certificate (or might: where
//! the implementation decides). ingress-nginx answers `https` for every
//! host, with its self-signed default certificate where no Ingress gives
//! one, which clients refuse: no client depends on it. A request that a
//! gRPC backend's location serves is asked as a gRPC call.

use super::ingress::{Front, IngressRouting, PathKind, PathRegex, Server};
use super::{GRPC_CONTENT_TYPE, Request, Scheme};
use crate::model::Snapshot;
use crate::model::routes::RouteIndex;
use std::collections::BTreeSet;

/// A host no Ingress or route names, for "an unknown host".
pub(crate) const UNKNOWN_HOST: &str = "svcx-unknown.invalid";
/// A path no rule names, for "an unmatched path on the host".
pub(crate) const UNMATCHED_PATH: &str = "/svcx-unmatched";

/// A request, the front (position in [`IngressRouting::fronts`]) it is
/// sent to before the migration, and the Ingress (position in the route
/// index) whose host or path it probes.
pub(crate) type Probe = (usize, Request, usize);

/// Requests around every host and path of the Ingresses at the positions
/// given (in the route index), each with the front that serves it today.
pub(crate) fn requests(
    snap: &Snapshot,
    ix: &RouteIndex,
    routing: &IngressRouting,
    chosen: &[usize],
) -> Vec<Probe> {
    let mut out: BTreeSet<Probe> = BTreeSet::new();
    for (f, front) in routing.fronts.iter().enumerate() {
        if !front.ingresses.iter().any(|i| chosen.contains(i)) {
            continue;
        }
        let grpc = |ingress: usize| {
            snap.ingresses[ix.ingresses[ingress].index]
                .object
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("nginx.ingress.kubernetes.io/backend-protocol"))
                .is_some_and(|p| p.eq_ignore_ascii_case("grpc") || p.eq_ignore_ascii_case("grpcs"))
        };
        let owner = front
            .ingresses
            .iter()
            .copied()
            .find(|i| chosen.contains(i))
            .unwrap_or_default();
        // A request that a gRPC backend's location serves is asked as a
        // gRPC call: no client sends plain HTTP there.
        let served_by_grpc = |host: &str, path: &str| {
            front
                .answer(&Request::new(Scheme::Https, host, path))
                .by
                .iter()
                .any(|b| matches!(b, super::ServedBy::Ingress { ingress, .. } if grpc(*ingress)))
        };
        let mut add =
            |host: &str, path: &str, headers: &[(&str, &str)], tls: bool, ingress: usize| {
                let schemes: &[Scheme] = if tls {
                    &[Scheme::Http, Scheme::Https]
                } else {
                    &[Scheme::Http]
                };
                let grpc_call = served_by_grpc(host, path);
                for &scheme in schemes {
                    let mut r = Request::new(scheme, host, path);
                    if grpc_call {
                        r = r.with_header("content-type", GRPC_CONTENT_TYPE);
                    }
                    for (k, v) in headers {
                        r = r.with_header(k, v);
                    }
                    out.insert((f, r, ingress));
                }
            };
        add(UNKNOWN_HOST, "/", &[], false, owner);
        // Every host and path the chosen Ingresses name, served or not (a
        // path the controller ignored, a canary with nothing to shadow).
        for &i in front.ingresses.iter().filter(|i| chosen.contains(i)) {
            for p in ix.ingresses[i].paths.iter().filter(|p| p.rule.is_some()) {
                if let Some(h) = &p.host {
                    add(&probe_host(h), &p.path, &[], false, i);
                }
            }
        }
        for server in front.servers.iter().filter(|s| touches(front, s, chosen)) {
            let tls = front.https
                && (!matches!(server.tls, super::ingress::Tls::None)
                    || server.passthrough.is_some());
            let first = server
                .locations
                .iter()
                .map(|l| l.ingress)
                .find(|i| chosen.contains(i))
                .unwrap_or(owner);
            for host in hosts(server) {
                add(&host, UNMATCHED_PATH, &[], tls, first);
                add(&host, "/", &[], tls, first);
                for loc in &server.locations {
                    let base = literal(&loc.path, loc.regex.is_some(), loc.kind);
                    for path in around(&base) {
                        add(&host, &path, &[], tls, loc.ingress);
                    }
                    // A pattern's own paths: its text before the first
                    // special character (`/api/v` of `/api/v[0-9]+/users`)
                    // may not reach the location at all.
                    // ImplementationSpecific paths are patterns to some
                    // implementations (Cilium's regular expressions, GCE's
                    // and ALB's wildcards) and prefixes to others: the
                    // requests that tell them apart are these.
                    let pattern = matches!(
                        loc.regex,
                        Some(PathRegex::CaseInsensitive | PathRegex::CaseSensitive)
                    ) || loc.kind == PathKind::ImplementationSpecific;
                    if pattern {
                        let own = super::regex::witnesses(&loc.path);
                        for w in own.iter().filter(|w| **w != base && w.starts_with('/')) {
                            for path in around(w) {
                                add(&host, &path, &[], tls, loc.ingress);
                            }
                        }
                    }
                    for c in &loc.canaries {
                        let mut variants: Vec<(String, String)> = Vec::new();
                        if let Some(h) = &c.header {
                            for v in ["always", "never", "svcx"] {
                                variants.push((h.clone(), v.to_string()));
                            }
                            if let Some(v) = &c.header_value {
                                variants.push((h.clone(), v.clone()));
                            }
                        }
                        if let Some(name) = &c.cookie {
                            for v in ["always", "never"] {
                                variants.push(("cookie".into(), format!("{name}={v}")));
                            }
                        }
                        for (k, v) in &variants {
                            add(&host, &base, &[(k, v)], tls, c.ingress);
                        }
                    }
                }
            }
        }
    }
    out.into_iter().collect()
}

/// Whether a server holds a path or default backend of a chosen Ingress.
fn touches(front: &Front, s: &Server, chosen: &[usize]) -> bool {
    s.locations.iter().any(|l| {
        chosen.contains(&l.ingress) || l.canaries.iter().any(|c| chosen.contains(&c.ingress))
    }) || matches!(&s.fallback, super::ingress::Fallback::Backend { ingress, .. } if chosen.contains(ingress))
        || (s.host.is_none() && front.ingresses.iter().any(|i| chosen.contains(i)))
}

/// A host a request for `host` can name: itself, or for a wildcard
/// (`*.example.com`) a name one label deeper (`svcx.example.com`).
pub(crate) fn probe_host(host: &str) -> String {
    host.strip_prefix("*.")
        .map_or(host.to_string(), |rest| format!("svcx.{rest}"))
}

/// The hosts to ask for a server: its name, aliases and the name it
/// redirects from; for a wildcard, a name one
/// label deeper and one two labels deeper; for the catch-all, a host no
/// server names.
fn hosts(server: &Server) -> Vec<String> {
    match &server.host {
        None => vec![UNKNOWN_HOST.to_string()],
        Some(h) => match h.strip_prefix("*.") {
            Some(rest) => vec![probe_host(h), format!("a.svcx.{rest}")],
            None => std::iter::once(h.clone())
                .chain(server.aliases.iter().cloned())
                .chain(server.redirect_from.iter().cloned())
                .collect(),
        },
    }
}

/// The literal part of a path: up to its first regular-expression
/// character in a regex server, without a GCE pattern's `*`.
fn literal(path: &str, regex: bool, kind: PathKind) -> String {
    let mut s = if regex {
        path.chars()
            .take_while(|c| !"([{.*+?^$|\\".contains(*c))
            .collect()
    } else if kind == PathKind::ImplementationSpecific {
        path.trim_end_matches('*').to_string()
    } else {
        path.to_string()
    };
    if s.is_empty() {
        s.push('/');
    }
    s
}

/// A path, one segment deeper, a sibling sharing its characters, and
/// another case.
fn around(base: &str) -> Vec<String> {
    let stem = base.trim_end_matches('/');
    let mut out = vec![base.to_string(), format!("{stem}/svcx")];
    if !stem.is_empty() {
        out.push(format!("{stem}svcx"));
    }
    let upper = base.to_ascii_uppercase();
    if upper != base {
        out.push(upper);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_probed_around_their_edges() {
        assert_eq!(around("/api"), ["/api", "/api/svcx", "/apisvcx", "/API"]);
        assert_eq!(around("/"), ["/", "/svcx"]);
        assert_eq!(literal("/api(/|$)(.*)", true, PathKind::Prefix), "/api");
        assert_eq!(
            literal("/static/*", false, PathKind::ImplementationSpecific),
            "/static/"
        );
    }
}
