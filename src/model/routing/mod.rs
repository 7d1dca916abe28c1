//! Who serves an HTTP request, as each implementation decides it: one
//! routing model per implementation, asked by trace (`svcx trace
//! HOST/PATH`) and by migrate (which proves, request by request, that the
//! objects it writes route as the Ingresses did).
//!
//! - [`gateway`]: Gateway API, as the spec states listener and route
//!   precedence (hostname, path, method, headers, query parameters, then
//!   the oldest route, then `namespace/name`), weights (`0` receives
//!   nothing; an invalid backend's share answers 500) and the
//!   HTTPRoute/GRPCRoute hostname conflict. Regular-expression precedence
//!   is implementation-specific, and so is the answer.
//! - [`ingress`]: Ingresses, served by one [`Front`] per entry point: the
//!   servers (hosts) and locations an implementation builds from the
//!   Ingresses it serves, with its own matching rules: ingress-nginx
//!   ([`nginx`]: one server per host merged from every Ingress of the
//!   class, canaries as alternative backends, regex locations host-wide,
//!   ssl-redirect per location), GCE ([`gce`]: one load balancer per
//!   Ingress, URL-map paths, `allow-http`), the AWS ALB ([`alb`]: one load
//!   balancer per IngressGroup, rules in priority order, `listen-ports`,
//!   `ssl-redirect`), Traefik ([`traefik`]: routers by rule length,
//!   `PathPrefix` by characters or elements, `router.tls`), Contour
//!   ([`contour`]: Envoy routes per virtual host, exact paths first,
//!   `force-ssl-redirect`, `allow-http`; and Cilium's, the same Envoy
//!   routes with its own path kinds and redirect), Istio ([`istio`]: one
//!   VirtualService per host, paths by length as written, no default
//!   backend), and the
//!   Ingress specification for every other controller, where what it
//!   leaves open is "depends".
//!
//! Every answer is an [`Answer`]: an [`Outcome`] (forwarded to backends
//! with their weights, redirected, answered by the proxy, refused, or
//! depends, with why) and the rules that decided it.

mod alb;
mod build;
mod contour;
pub(crate) mod gateway;
mod gce;
pub(crate) mod ingress;
pub(crate) mod istio;
pub(crate) mod nginx;
pub(crate) mod nginx_inc;
mod regex;
pub(crate) mod sample;
mod spec;
mod traefik;

pub(crate) use contour::FORCE_SSL_REDIRECT as CONTOUR_FORCE_SSL_REDIRECT;
pub(crate) use gce::ALLOW_HTTP;
pub(crate) use ingress::{Front, Implementation, IngressRouting};
pub(crate) use nginx::PREFIX as NGINX_PREFIX;
pub(crate) use spec::CONTOUR_CERT_NAMESPACE;

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// `http` or `https`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Scheme {
    Http,
    Https,
}

impl Scheme {
    /// The port a client connects to by default.
    pub(crate) fn default_port(self) -> i32 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        })
    }
}

/// One request, as a client sends it: a `GET` unless a gRPC content type
/// says it is a gRPC call.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub(crate) struct Request {
    pub(crate) scheme: Scheme,
    /// The Host header (and TLS SNI), lower case.
    pub(crate) host: String,
    pub(crate) path: String,
    /// Header names in lower case. A cookie is `cookie: NAME=VALUE`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) headers: BTreeMap<String, String>,
}

/// The content type of a gRPC call.
pub(crate) const GRPC_CONTENT_TYPE: &str = "application/grpc";

impl Request {
    pub(crate) fn new(scheme: Scheme, host: &str, path: &str) -> Request {
        Request {
            scheme,
            host: host.to_ascii_lowercase(),
            path: if path.starts_with('/') {
                path.to_string()
            } else {
                format!("/{path}")
            },
            headers: BTreeMap::new(),
        }
    }

    /// The same request with one more header.
    pub(crate) fn with_header(mut self, name: &str, value: &str) -> Request {
        self.headers
            .insert(name.to_ascii_lowercase(), value.to_string());
        self
    }

    /// A header's value (names are case-insensitive).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// A cookie's value, from the `cookie` header.
    pub(crate) fn cookie(&self, name: &str) -> Option<&str> {
        self.header("cookie")?.split(';').find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == name).then_some(v)
        })
    }

    /// Whether it is a gRPC call (content type `application/grpc...`).
    pub(crate) fn is_grpc(&self) -> bool {
        self.header("content-type")
            .is_some_and(|c| c.starts_with(GRPC_CONTENT_TYPE))
    }

    /// The path without its query string.
    pub(crate) fn path_only(&self) -> &str {
        self.path.split(['?', '#']).next().unwrap_or("/")
    }
}

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}{}", self.scheme, self.host, self.path)?;
        for (k, v) in &self.headers {
            write!(f, " [{k}: {v}]")?;
        }
        Ok(())
    }
}

/// A Service port a request is sent to, and its share of the requests.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub(crate) struct Share {
    /// `namespace/name:port` (the Service port number).
    pub(crate) backend: String,
    pub(crate) weight: u32,
}

/// What happens to a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub(crate) enum Outcome {
    /// Sent to these Service ports, each with its share.
    Forward { backends: Vec<Share> },
    /// Answered with a redirect.
    Redirect {
        status: u16,
        /// The scheme redirected to, when it changes.
        #[serde(skip_serializing_if = "Option::is_none")]
        scheme: Option<Scheme>,
        /// Where to, when the rule names it (`https://host/path`, `/path`).
        #[serde(skip_serializing_if = "Option::is_none")]
        location: Option<String>,
    },
    /// Answered by the proxy itself: 500 for a rule whose backends are all
    /// invalid, 503 for a backend Service that does not exist.
    Respond { status: u16 },
    /// No rule serves it: the default backend's 404 (or, over TLS, no
    /// certificate for the name).
    NoRoute,
    /// Nothing listens for this scheme: the connection is refused.
    Refused,
    /// The implementation decides, and the input does not say which.
    Depends { why: String },
}

impl Outcome {
    /// Whether two outcomes send the same requests to the same places:
    /// shares compare as proportions (80/20 is 4/1), in any order.
    pub(crate) fn same_as(&self, other: &Outcome) -> bool {
        match (self, other) {
            (Outcome::Forward { backends: a }, Outcome::Forward { backends: b }) => {
                proportions(a) == proportions(b)
            }
            (Outcome::Depends { .. }, _) | (_, Outcome::Depends { .. }) => false,
            _ => self == other,
        }
    }

    /// `shop/web:80 (80), shop/web-canary:80 (20)`, `redirect 308 to https`...
    pub(crate) fn describe(&self) -> String {
        match self {
            Outcome::Forward { backends } if backends.len() == 1 => backends[0].backend.clone(),
            Outcome::Forward { backends } => backends
                .iter()
                .map(|s| format!("{} ({})", s.backend, s.weight))
                .collect::<Vec<_>>()
                .join(", "),
            Outcome::Redirect {
                status,
                scheme,
                location,
            } => {
                let to = match (location, scheme) {
                    (Some(l), _) => format!(" to {l}"),
                    (None, Some(s)) => format!(" to {s}"),
                    (None, None) => String::new(),
                };
                format!("redirect {status}{to}")
            }
            Outcome::Respond { status } => format!("answered {status}"),
            Outcome::NoRoute => "no route (404)".into(),
            Outcome::Refused => "refused (nothing listens)".into(),
            Outcome::Depends { why } => format!("depends: {why}"),
        }
    }
}

/// Each backend's share as a reduced fraction of the total, sorted.
fn proportions(shares: &[Share]) -> Vec<(String, u64, u64)> {
    let mut merged: BTreeMap<&str, u64> = BTreeMap::new();
    for s in shares.iter().filter(|s| s.weight > 0) {
        *merged.entry(&s.backend).or_default() += u64::from(s.weight);
    }
    let total: u64 = merged.values().sum();
    merged
        .into_iter()
        .map(|(b, w)| {
            let g = gcd(w, total).max(1);
            (b.to_string(), w / g, total / g)
        })
        .collect()
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The rule or Ingress path behind an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum ServedBy {
    /// A route rule, through one listener of one Gateway.
    Route {
        route: usize,
        rule: usize,
        gateway: usize,
        listener: usize,
    },
    /// An Ingress path (positions in the route index's Ingresses and their
    /// paths).
    Ingress { ingress: usize, path: usize },
}

/// An outcome and the rules that decided it (for `Depends`, the rules that
/// tie).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Answer {
    pub(crate) outcome: Outcome,
    pub(crate) by: Vec<ServedBy>,
}

impl Answer {
    pub(crate) fn new(outcome: Outcome) -> Answer {
        Answer {
            outcome,
            by: Vec::new(),
        }
    }

    pub(crate) fn by(outcome: Outcome, by: Vec<ServedBy>) -> Answer {
        Answer { outcome, by }
    }

    pub(crate) fn depends(why: impl Into<String>, by: Vec<ServedBy>) -> Answer {
        Answer {
            outcome: Outcome::Depends { why: why.into() },
            by,
        }
    }
}

/// Who serves `host` + `path` (a gRPC call's path is `/Service/Method`),
/// on `port` if given, at every entry point: each Gateway port (`http` on
/// HTTP listeners, `https` on HTTPS and TLS ones) and each Ingress front
/// (`http` on 80, `https` on 443; without a port, `http`, and `https` too
/// where the host has a certificate). Entry points that do not serve it
/// are left out.
pub(crate) fn serving(
    sem: &crate::model::view::Semantics,
    host: &str,
    path: &str,
    port: Option<i32>,
) -> Vec<crate::model::routes::Served> {
    use crate::model::routes::Served;
    let ix = &sem.routes;
    let mut out: Vec<Served> = Vec::new();
    let mut push = |answer: Answer| {
        if answer.by.is_empty() {
            return;
        }
        if out.iter().any(|s| s.by == answer.by) {
            return;
        }
        let mut backends: Vec<(usize, usize)> = Vec::new();
        for b in &answer.by {
            for be in ix.backends_of(*b) {
                if !backends.contains(&be) {
                    backends.push(be);
                }
            }
        }
        out.push(Served {
            by: answer.by,
            backends,
            answer: Some(answer.outcome),
        });
    };
    let router = gateway::GatewayRouter::new(ix);
    for (g, gw) in ix.gateways.iter().enumerate() {
        let mut ports: Vec<(i32, Scheme)> = Vec::new();
        for l in &gw.listeners {
            let scheme = match l.protocol.as_str() {
                "HTTP" => Scheme::Http,
                "HTTPS" | "TLS" => Scheme::Https,
                _ => continue,
            };
            if port.is_none_or(|p| p == l.port) && !ports.contains(&(l.port, scheme)) {
                ports.push((l.port, scheme));
            }
        }
        ports.sort();
        for (p, scheme) in ports {
            let mut req = Request::new(scheme, host, path);
            if is_grpc_path(path) {
                // A gRPC route serves only gRPC calls; an HTTP route serves
                // both, so ask as a gRPC call where the path names one.
                let grpc = req.clone().with_header("content-type", GRPC_CONTENT_TYPE);
                let answer = router.answer(g, p, &grpc);
                if !answer.by.is_empty() {
                    push(answer);
                    continue;
                }
                req = Request::new(scheme, host, path);
            }
            push(router.answer(g, p, &req));
        }
    }
    for front in &sem.ingress_routing().fronts {
        let schemes: Vec<Scheme> = match port {
            Some(80) => vec![Scheme::Http],
            Some(443) => vec![Scheme::Https],
            Some(_) => Vec::new(),
            None => {
                let tls = front
                    .server_for(host)
                    .is_some_and(|s| !matches!(s.tls, ingress::Tls::None));
                if tls {
                    vec![Scheme::Http, Scheme::Https]
                } else {
                    vec![Scheme::Http]
                }
            }
        };
        for scheme in schemes {
            let answer = front.answer(&Request::new(scheme, host, path));
            // An http request redirected to https is served over https.
            if matches!(
                answer.outcome,
                Outcome::Redirect {
                    scheme: Some(Scheme::Https),
                    ..
                }
            ) {
                continue;
            }
            push(answer);
        }
    }
    out
}

/// Whether a path names a gRPC method: `/package.Service/Method`.
fn is_grpc_path(path: &str) -> bool {
    path.trim_start_matches('/')
        .split_once('/')
        .is_some_and(|(s, m)| s.contains('.') && !m.is_empty() && !m.contains('/'))
}

/// Element-wise prefix match, as Ingress `Prefix` and HTTPRoute
/// `PathPrefix` define it: `/abc` matches `/abc`, `/abc/` and `/abc/def`,
/// not `/abcd`; a trailing `/` on the prefix is ignored.
pub(crate) fn prefix_matches(prefix: &str, path: &str) -> bool {
    let p = prefix.trim_end_matches('/');
    p.is_empty() || path == p || path.starts_with(&format!("{p}/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// HTTPRoute PathPrefix ("/abc" matches "/abc", "/abc/" and "/abc/def",
    /// not "/abcd") and Ingress Prefix ("/foo/bar" matches "/foo/bar/baz",
    /// not "/foo/barbaz"): element by element.
    #[test]
    fn prefixes_match_element_by_element() {
        assert!(prefix_matches("/abc", "/abc"));
        assert!(prefix_matches("/abc/", "/abc"));
        assert!(prefix_matches("/abc", "/abc/def"));
        assert!(!prefix_matches("/abc", "/abcd"));
        assert!(prefix_matches("/", "/anything"));
    }

    #[test]
    fn shares_compare_as_proportions() {
        let f = |s: &[(&str, u32)]| Outcome::Forward {
            backends: s
                .iter()
                .map(|(b, w)| Share {
                    backend: b.to_string(),
                    weight: *w,
                })
                .collect(),
        };
        assert!(f(&[("a", 80), ("b", 20)]).same_as(&f(&[("b", 1), ("a", 4)])));
        assert!(!f(&[("a", 80), ("b", 20)]).same_as(&f(&[("a", 1)])));
        // A weight of 0 receives nothing.
        assert!(f(&[("a", 1), ("b", 0)]).same_as(&f(&[("a", 7)])));
        let d = Outcome::Depends { why: "x".into() };
        assert!(!d.same_as(&d.clone()));
    }

    #[test]
    fn cookies_are_read_from_the_cookie_header() {
        let r = Request::new(Scheme::Http, "A.example.com", "x")
            .with_header("Cookie", "a=1; canary=always");
        assert_eq!(r.cookie("canary"), Some("always"));
        assert_eq!(r.cookie("b"), None);
        assert_eq!(r.host, "a.example.com");
        assert_eq!(r.path, "/x");
    }
}
