//! How Ingresses route requests: per entry point (a [`Front`]: the
//! controller of a class, or one GCE load balancer per Ingress), the
//! servers (hosts) and locations its implementation builds, and the answer
//! to a request as that implementation matches it.
//!
//! The structure is shared: a [`Server`] per host (and one catch-all, for
//! rules without a host and hosts no server names), its TLS certificate,
//! its locations (each an Ingress path, with its backend, its HTTPS
//! redirect and its canaries) and what answers the paths no location
//! matches. What differs is decided by the implementation's module:
//! [`super::nginx`] (ingress-nginx), [`super::gce`] (GKE), and here the
//! Ingress specification for every other controller (`networking.k8s.io/v1`
//! `HTTPIngressPath`: "precedence will be given first to the longest
//! matching path. If two paths are still equally matched, precedence will
//! be given to paths with an exact path type over prefix path type";
//! `ImplementationSpecific` "is up to the IngressClass"; a wildcard host
//! covers exactly one DNS label). Where the specification leaves a choice
//! to the controller (two Ingresses with one host and path, a redirect to
//! HTTPS, a default backend for another Ingress's host), the answer is
//! [`Outcome::Depends`].

use super::regex::Regexes;
use super::{Answer, Outcome, Request, Scheme, ServedBy, Share, prefix_matches};
use crate::model::Snapshot;
use crate::model::routes::hostnames::ingress_host_matches;
use crate::model::routes::{IngressFacts, IngressPathFacts, RouteIndex};
use crate::model::view::source_is_cluster;
use k8s_openapi::api::networking::v1::Ingress;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

/// Who implements an Ingress class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Implementation {
    /// kubernetes/ingress-nginx (controller `k8s.io/ingress-nginx`).
    IngressNginx,
    /// The GKE Ingress controller (`kubernetes.io/ingress.class: gce` or
    /// `gce-internal`; controller `k8s.io/ingress-gce`).
    Gce,
    /// NGINX Inc's NGINX Ingress Controller (controller
    /// `nginx.org/ingress-controller`): the Ingress specification, and
    /// `ssl-redirect` (default true) redirects `http` with 301 where TLS is
    /// configured (its ConfigMap and annotations documentation).
    NginxInc,
    /// Any other controller: what the Ingress specification says.
    Spec,
}

/// One entry point: where clients send an Ingress's requests.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FrontKey {
    /// The controller of a class (`None`: no class), shared by its Ingresses.
    Class(Option<String>),
    /// One Ingress's own load balancer (GCE).
    Ingress(usize),
}

/// The certificate a server answers HTTPS with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tls {
    /// No Ingress gives it one.
    None,
    /// `spec.tls[].secretName` of the Ingress (position) that gives it.
    Secret {
        namespace: String,
        name: String,
        ingress: usize,
    },
    /// Listed in `spec.tls` without a Secret: the controller's default
    /// certificate.
    DefaultCertificate { ingress: usize },
    /// The implementation decides from what svcx does not read.
    Depends(String),
}

impl Tls {
    /// Whether two answers serve the same certificate, whichever Ingress
    /// gives it.
    pub fn same_certificate(&self, other: &Tls) -> bool {
        match (self, other) {
            (
                Tls::Secret {
                    namespace: a,
                    name: b,
                    ..
                },
                Tls::Secret {
                    namespace: c,
                    name: d,
                    ..
                },
            ) => a == c && b == d,
            (Tls::DefaultCertificate { .. }, Tls::DefaultCertificate { .. })
            | (Tls::None, Tls::None) => true,
            _ => false,
        }
    }

    /// Whether the server has a certificate of its own choosing.
    pub fn present(&self) -> bool {
        matches!(self, Tls::Secret { .. } | Tls::DefaultCertificate { .. })
    }
}

/// How a location's path matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathKind {
    Exact,
    Prefix,
    ImplementationSpecific,
}

/// Where a location (or a default backend) sends requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// `namespace/name:port`, when the backend resolves to a Service port.
    pub backend: Option<String>,
    /// `(Service position, port position)`.
    pub service: Option<(usize, usize)>,
    /// The Service is not in the input (files), so it may exist.
    pub not_in_input: bool,
}

/// A canary Ingress's path, merged into the location it shadows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Canary {
    pub ingress: usize,
    pub path_index: usize,
    pub target: Target,
    /// `canary-by-header`.
    pub header: Option<String>,
    /// `canary-by-header-value`: the header's value that selects the canary.
    pub header_value: Option<String>,
    /// `canary-by-header-pattern` (a PCRE).
    pub header_pattern: Option<String>,
    /// `canary-by-cookie`.
    pub cookie: Option<String>,
    /// `canary-weight` out of `total` (`canary-weight-total`).
    pub weight: u32,
    pub total: u32,
}

/// How a controller reads a path that is a regular expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathRegex {
    /// `location ~* "^PATH"`: ingress-nginx (every path of a host where an
    /// Ingress uses `use-regex` or `rewrite-target`), and NGINX Inc's
    /// `nginx.org/path-regex: case_insensitive`.
    CaseInsensitive,
    /// `location ~ "^PATH"`: `nginx.org/path-regex: case_sensitive` (and
    /// any value it does not document).
    CaseSensitive,
    /// `location = PATH`: `nginx.org/path-regex: exact`.
    Exact,
}

/// The annotation of NGINX Inc's controller that makes every path of an
/// Ingress a regular expression.
pub const NGINX_ORG_PATH_REGEX: &str = "nginx.org/path-regex";

/// One location of a server: an Ingress path.
#[derive(Clone, Debug)]
pub struct Location {
    /// Positions in the route index's Ingresses and their paths.
    pub ingress: usize,
    pub path_index: usize,
    pub path: String,
    pub kind: PathKind,
    pub target: Target,
    /// Whether an `http` request is redirected to `https` (`None`: the
    /// implementation decides).
    pub redirect_http: Option<bool>,
    /// Canaries, in the order the controller merged them (ingress-nginx
    /// uses the first).
    pub canaries: Vec<Canary>,
    /// Paths of other Ingresses with the same path and type, when which one
    /// the controller keeps cannot be known from the input.
    pub contested: Vec<(usize, usize)>,
    /// The path is a regular expression to the controller.
    pub regex: Option<PathRegex>,
}

impl Location {
    pub fn served_by(&self) -> ServedBy {
        ServedBy::Ingress {
            ingress: self.ingress,
            path: self.path_index,
        }
    }
}

/// What answers the requests of a server that no location matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fallback {
    /// The controller's default backend (404).
    NotFound,
    /// An Ingress's `spec.defaultBackend` (its position and path position).
    Backend {
        ingress: usize,
        path_index: usize,
        target: Target,
    },
    /// The implementation decides.
    Depends(String),
}

impl Fallback {
    /// Whether two fallbacks answer alike, whichever Ingress gives them.
    pub fn same_answer(&self, other: &Fallback) -> bool {
        match (self, other) {
            (Fallback::NotFound, Fallback::NotFound) => true,
            (Fallback::Backend { target: a, .. }, Fallback::Backend { target: b, .. }) => {
                a.backend == b.backend
            }
            _ => false,
        }
    }
}

/// One server: a host (or the catch-all) and its locations.
#[derive(Clone, Debug)]
pub struct Server {
    /// `None`: the catch-all server (rules without a host, and hosts no
    /// other server names).
    pub host: Option<String>,
    pub tls: Tls,
    /// ingress-nginx: every location of the host is a case-insensitive
    /// regular expression anchored at the start (`~* "^PATH"`).
    pub regex: bool,
    pub locations: Vec<Location>,
    pub fallback: Fallback,
    /// Whether the server redirects `http` requests no location matches.
    pub fallback_redirect: Option<bool>,
}

/// Something the implementation decided about an Ingress path that a
/// reader of the manifests would not expect: a path ignored, a canary with
/// nothing to shadow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub ingress: usize,
    /// `spec.rules[0].http.paths[1]`.
    pub field: String,
    pub message: String,
}

/// One entry point and the servers its implementation built.
#[derive(Debug)]
pub struct Front {
    pub key: FrontKey,
    pub implementation: Implementation,
    /// How svcx knows the implementation (`IngressClass nginx names
    /// controller k8s.io/ingress-nginx`).
    pub because: String,
    /// Positions of the Ingresses it serves, in the controller's order.
    pub ingresses: Vec<usize>,
    pub servers: Vec<Server>,
    /// `http` is served (GCE's `allow-http: "false"` closes it).
    pub http: bool,
    /// `https` is served: always by ingress-nginx (its default
    /// certificate), by GCE when an Ingress has TLS.
    pub https: bool,
    /// Whether an `http` request is redirected by a policy svcx does not
    /// read (GKE's FrontendConfig): `None` when one is named.
    pub http_redirect_unknown: Option<String>,
    pub decisions: Vec<Decision>,
    pub(super) regexes: Regexes,
}

/// Every front, built once per run.
#[derive(Debug, Default)]
pub struct IngressRouting {
    pub fronts: Vec<Front>,
    front_of: HashMap<usize, usize>,
}

impl IngressRouting {
    pub fn build(snap: &Snapshot, ix: &RouteIndex) -> IngressRouting {
        let mut groups: BTreeMap<FrontKey, (Implementation, String, Vec<usize>)> = BTreeMap::new();
        for (i, facts) in ix.ingresses.iter().enumerate() {
            let object = &snap.ingresses[facts.index].object;
            let (implementation, because) = implementation(facts, object);
            let key = match implementation {
                Implementation::Gce => FrontKey::Ingress(i),
                _ => FrontKey::Class(facts.class.clone()),
            };
            groups
                .entry(key)
                .or_insert_with(|| (implementation, because, Vec::new()))
                .2
                .push(i);
        }
        let mut out = IngressRouting::default();
        for (key, (implementation, because, members)) in groups {
            let cx = Build { snap, ix };
            let front = match implementation {
                Implementation::IngressNginx => super::nginx::build(&cx, key, because, members),
                Implementation::Gce => super::gce::build(&cx, key, because, members),
                Implementation::Spec | Implementation::NginxInc => {
                    build_spec(&cx, key, because, members, implementation)
                }
            };
            for &i in &front.ingresses {
                out.front_of.insert(i, out.fronts.len());
            }
            out.fronts.push(front);
        }
        out
    }

    /// The front that serves the Ingress at position `ingress` of the route
    /// index.
    pub fn front_of(&self, ingress: usize) -> Option<&Front> {
        self.front_of.get(&ingress).map(|&f| &self.fronts[f])
    }
}

/// Annotation prefixes only the GKE Ingress controller reads.
const GCE_ANNOTATIONS: &[&str] = &[
    "kubernetes.io/ingress.allow-http",
    "kubernetes.io/ingress.global-static-ip-name",
    "kubernetes.io/ingress.regional-static-ip-name",
    "ingress.gcp.kubernetes.io/",
    "networking.gke.io/",
];

/// Which implementation serves an Ingress, and how svcx knows: the
/// IngressClass's controller when it was read, else the class name that
/// the controller's own manifests use.
fn implementation(facts: &IngressFacts, object: &Ingress) -> (Implementation, String) {
    let class = facts.class.as_deref().unwrap_or("(none)");
    if let Some(c) = &facts.controller {
        let i = match c.as_str() {
            "k8s.io/ingress-nginx" => Implementation::IngressNginx,
            "k8s.io/ingress-gce" => Implementation::Gce,
            "nginx.org/ingress-controller" => Implementation::NginxInc,
            _ => Implementation::Spec,
        };
        return (i, format!("IngressClass {class} names controller {c}"));
    }
    let annotated = |prefix: &str| {
        object
            .metadata
            .annotations
            .iter()
            .flatten()
            .any(|(k, _)| k.starts_with(prefix))
    };
    match facts.class.as_deref() {
        Some("gce" | "gce-internal") => (
            Implementation::Gce,
            format!("class {class} is the GKE Ingress controller's"),
        ),
        // Without a class, the GKE Ingress controller serves an Ingress on
        // GKE; annotations only it reads say that is where it runs.
        None if GCE_ANNOTATIONS.iter().any(|a| annotated(a)) => (
            Implementation::Gce,
            "no class, and annotations only the GKE Ingress controller reads".into(),
        ),
        // NGINX Inc's controller (nginx.org) also defaults to class
        // `nginx`; its annotations say which one the Ingress is for.
        Some("nginx") if annotated("nginx.org/") => (
            Implementation::NginxInc,
            "class nginx with nginx.org annotations: NGINX Inc's controller (no IngressClass was read)".into(),
        ),
        Some("nginx") => (
            Implementation::IngressNginx,
            "class nginx is ingress-nginx's default class (no IngressClass was read)".into(),
        ),
        _ => (
            Implementation::Spec,
            match &facts.class {
                Some(c) => format!("class {c}: no IngressClass names its controller"),
                None => "no class: which controller serves it is the cluster's choice".into(),
            },
        ),
    }
}

/// What building a front reads.
pub(super) struct Build<'a> {
    pub snap: &'a Snapshot,
    pub ix: &'a RouteIndex,
}

impl Build<'_> {
    pub fn facts(&self, i: usize) -> &IngressFacts {
        &self.ix.ingresses[i]
    }

    pub fn object(&self, i: usize) -> &Ingress {
        &self.snap.ingresses[self.ix.ingresses[i].index].object
    }

    /// An annotation of the Ingress at position `i`.
    pub fn annotation(&self, i: usize, key: &str) -> Option<&str> {
        self.object(i)
            .metadata
            .annotations
            .as_ref()?
            .get(key)
            .map(|v| v.trim())
    }

    /// `metadata.creationTimestamp` (RFC 3339).
    pub fn created(&self, i: usize) -> Option<String> {
        self.object(i)
            .metadata
            .creation_timestamp
            .as_ref()
            .map(|t| t.0.to_string())
    }

    /// The order ingress-nginx sorts Ingresses in (`sortIngressSlice` in
    /// `store.go`: oldest first, and on equal timestamps `return in > jn`,
    /// so `namespace/name` descending): `None` when the input does not say.
    pub fn order(&self, a: usize, b: usize) -> Option<Ordering> {
        let (fa, fb) = (self.facts(a), self.facts(b));
        let by_name = (&fb.namespace, &fb.name).cmp(&(&fa.namespace, &fa.name));
        match (self.created(a), self.created(b)) {
            (Some(x), Some(y)) => Some(x.cmp(&y).then(by_name)),
            _ if a == b => Some(Ordering::Equal),
            _ => None,
        }
    }

    /// Sorts Ingresses as the controller does, where the input says how
    /// (by name where it does not: callers check [`Build::order`] where the
    /// order decides).
    pub fn sort(&self, members: &mut [usize]) {
        members.sort_by(|&a, &b| {
            self.order(a, b).unwrap_or_else(|| {
                let (fa, fb) = (self.facts(a), self.facts(b));
                (&fa.namespace, &fa.name).cmp(&(&fb.namespace, &fb.name))
            })
        });
    }

    /// Where the path at `path` of the Ingress at `i` sends requests.
    pub fn target(&self, i: usize, path: usize) -> Target {
        let facts = self.facts(i);
        let p = &facts.paths[path];
        let resolved = p.target.zip(p.port_index);
        // A Service that is not in the input (files) may exist: a port
        // given by number still names the backend.
        let not_in_input = p.target.is_none() && !source_is_cluster(self.snap);
        let port = match resolved {
            Some((s, k)) => self.snap.services[s]
                .object
                .spec
                .as_ref()
                .and_then(|sp| sp.ports.as_ref()?.get(k))
                .map(|sp| sp.port),
            None if not_in_input => p
                .port
                .as_deref()
                .and_then(|n| n.parse::<i32>().ok())
                .filter(|&n| crate::model::ports::is_port_number(n)),
            None => None,
        };
        Target {
            backend: port.and_then(|port| {
                Some(format!(
                    "{}/{}:{port}",
                    facts.namespace,
                    p.service.as_ref()?
                ))
            }),
            service: resolved,
            not_in_input,
        }
    }

    /// The kind of a path's `pathType`.
    pub fn kind(p: &IngressPathFacts) -> PathKind {
        match p.path_type.as_str() {
            "Exact" => PathKind::Exact,
            "Prefix" => PathKind::Prefix,
            _ => PathKind::ImplementationSpecific,
        }
    }

    /// The hosts an Ingress lists in `spec.tls` with their Secret (`None`
    /// for an entry without one), and whether an entry lists no hosts.
    pub fn tls_hosts(&self, i: usize) -> (Vec<(String, Option<String>)>, bool) {
        let mut hosts = Vec::new();
        let mut hostless = false;
        for t in self
            .object(i)
            .spec
            .iter()
            .flat_map(|s| s.tls.iter().flatten())
        {
            let secret = t.secret_name.clone().filter(|s| !s.is_empty());
            let listed = t.hosts.as_deref().unwrap_or_default();
            hostless |= listed.is_empty();
            for h in listed {
                hosts.push((h.to_ascii_lowercase(), secret.clone()));
            }
        }
        (hosts, hostless)
    }
}

impl Front {
    /// What the front does with a request sent to it.
    pub fn answer(&self, req: &Request) -> Answer {
        match req.scheme {
            Scheme::Http if !self.http => return Answer::new(Outcome::Refused),
            Scheme::Https if !self.https => return Answer::new(Outcome::Refused),
            _ => {}
        }
        let Some(server) = self.server_for(&req.host) else {
            return Answer::new(Outcome::NoRoute);
        };
        let found = match self.implementation {
            Implementation::IngressNginx => super::nginx::location(self, server, req),
            Implementation::Gce => super::gce::location(server, req),
            Implementation::Spec => spec_location(server, req),
            Implementation::NginxInc => nginx_inc_location(self, server, req),
        };
        let redirect_unknown = (req.scheme == Scheme::Http)
            .then_some(self.http_redirect_unknown.as_ref())
            .flatten();
        match found {
            Found::Location(l) => {
                let loc = &server.locations[l];
                let by = vec![loc.served_by()];
                if let Some(why) = redirect_unknown {
                    return Answer::depends(why.clone(), by);
                }
                if !loc.contested.is_empty() {
                    let mut all = by;
                    all.extend(
                        loc.contested
                            .iter()
                            .map(|&(ingress, path)| ServedBy::Ingress { ingress, path }),
                    );
                    return Answer::depends(
                        "several Ingresses define this host and path, and the controller keeps the oldest: their \
                         creation times are not in the input",
                        all,
                    );
                }
                if req.scheme == Scheme::Http {
                    match loc.redirect_http {
                        Some(true) => return Answer::by(https_redirect(self, req), by),
                        None => {
                            return Answer::depends(
                                "whether the controller redirects http to https for a host with TLS is its own \
                                 choice",
                                by,
                            );
                        }
                        Some(false) => {}
                    }
                }
                match self.implementation {
                    Implementation::IngressNginx => super::nginx::forward(self, loc, req),
                    _ => Answer::by(forward(self, &loc.target), by),
                }
            }
            Found::Fallback => {
                if let Some(why) = redirect_unknown {
                    return Answer::depends(why.clone(), Vec::new());
                }
                if req.scheme == Scheme::Http {
                    match server.fallback_redirect {
                        Some(true) => return Answer::new(https_redirect(self, req)),
                        None => {
                            return Answer::depends(
                                "whether the controller redirects http to https for a host with TLS is its own \
                                 choice",
                                Vec::new(),
                            );
                        }
                        Some(false) => {}
                    }
                }
                match &server.fallback {
                    Fallback::NotFound => Answer::new(Outcome::NoRoute),
                    Fallback::Backend {
                        ingress,
                        path_index,
                        target,
                    } => Answer::by(
                        forward(self, target),
                        vec![ServedBy::Ingress {
                            ingress: *ingress,
                            path: *path_index,
                        }],
                    ),
                    Fallback::Depends(why) => Answer::depends(why.clone(), Vec::new()),
                }
            }
            Found::SlashRedirect(l) => Answer::by(
                Outcome::Redirect {
                    status: 301,
                    scheme: None,
                    location: Some(format!("{}://{}{}/", req.scheme, req.host, req.path_only())),
                },
                vec![server.locations[l].served_by()],
            ),
            Found::Depends(why, by) => Answer::depends(why, by),
        }
    }

    /// The server that answers `host`: one naming it exactly, else the
    /// most specific wildcard that covers it (as the implementation reads
    /// wildcards), else the catch-all.
    pub fn server_for(&self, host: &str) -> Option<&Server> {
        let host = host.to_ascii_lowercase();
        let exact = self
            .servers
            .iter()
            .find(|s| s.host.as_deref() == Some(host.as_str()));
        exact
            .or_else(|| {
                self.servers
                    .iter()
                    .filter(|s| {
                        s.host
                            .as_deref()
                            .is_some_and(|h| h.starts_with("*.") && self.wildcard_covers(h, &host))
                    })
                    .max_by_key(|s| s.host.as_ref().map_or(0, String::len))
            })
            .or_else(|| self.servers.iter().find(|s| s.host.is_none()))
    }

    /// Whether a wildcard host covers `host`: exactly one DNS label in the
    /// Ingress specification ("matches only a single label") and in
    /// ingress-nginx, which writes `*.example.com` as the server name
    /// `~^(?<subdomain>[\w-]+)\.example\.com$` (`buildServerName` in
    /// `template.go`), not as an nginx wildcard; any string in GCE, whose
    /// URL-map host rules read `*` as `[a-z0-9-.]*`.
    pub fn wildcard_covers(&self, pattern: &str, host: &str) -> bool {
        match self.implementation {
            Implementation::Gce => pattern
                .strip_prefix('*')
                .is_some_and(|suffix| host.len() > suffix.len() && host.ends_with(suffix)),
            _ => ingress_host_matches(pattern, host),
        }
    }

    /// The status of the implementation's redirect from `http` to `https`:
    /// ingress-nginx's `http-redirect-code` (308 by default), NGINX Inc's
    /// `ssl-redirect` (301), GKE's FrontendConfig (301).
    pub fn https_redirect_status(&self) -> u16 {
        match self.implementation {
            Implementation::IngressNginx => super::nginx::HTTP_REDIRECT_CODE,
            _ => 301,
        }
    }

    /// Whether a Gateway API wildcard (one or more labels) serves more
    /// names than this implementation's.
    pub fn wildcards_widen(&self) -> bool {
        self.implementation != Implementation::Gce
    }
}

/// The redirect to https an implementation answers with: ingress-nginx's
/// `http-redirect-code` defaults to 308 (`config.go`), and its redirect
/// drops one trailing `/` of the path unless `preserve-trailing-slash` is
/// set (`lua_ingress.lua`).
fn https_redirect(front: &Front, req: &Request) -> Outcome {
    let path = req.path.as_str();
    let path = match front.implementation {
        Implementation::IngressNginx if path.len() > 1 => path.strip_suffix('/').unwrap_or(path),
        _ => path,
    };
    Outcome::Redirect {
        status: front.https_redirect_status(),
        scheme: Some(Scheme::Https),
        location: Some(format!("https://{}{path}", req.host)),
    }
}

/// A request sent to one target: a backend Service that does not resolve
/// answers 503 (the controller has no endpoint for it).
pub(super) fn forward(front: &Front, target: &Target) -> Outcome {
    match &target.backend {
        Some(b) => Outcome::Forward {
            backends: vec![Share {
                backend: b.clone(),
                weight: 1,
            }],
        },
        None if front.implementation == Implementation::Gce => Outcome::Depends {
            why: "the backend does not resolve, and GCE does not program a load balancer for it"
                .into(),
        },
        None => Outcome::Respond { status: 503 },
    }
}

/// Which location of a server serves a path.
pub(super) enum Found {
    Location(usize),
    /// nginx's 301 from `/p` to the prefix location `/p/`.
    SlashRedirect(usize),
    Fallback,
    Depends(String, Vec<ServedBy>),
}

/// The Ingress specification's precedence: the longest matching path, an
/// `Exact` path before a `Prefix` of the same length; an
/// `ImplementationSpecific` path that might match is the controller's to
/// read.
fn spec_location(server: &Server, req: &Request) -> Found {
    let path = req.path_only();
    let mut best: Option<(usize, u8, usize)> = None;
    let mut unsure: Vec<ServedBy> = Vec::new();
    for (i, loc) in server.locations.iter().enumerate() {
        if loc.regex.is_some() {
            continue;
        }
        let rank = match loc.kind {
            PathKind::Exact => (loc.path == path).then_some(1),
            PathKind::Prefix => prefix_matches(&loc.path, path).then_some(0),
            PathKind::ImplementationSpecific => {
                if path.starts_with(loc.path.trim_end_matches('*')) {
                    unsure.push(loc.served_by());
                }
                None
            }
        };
        if let Some(r) = rank {
            let key = (loc.path.trim_end_matches('/').len(), r);
            if best.is_none_or(|(_, br, bl)| key > (bl, br)) {
                best = Some((i, r, key.0));
            }
        }
    }
    if !unsure.is_empty() {
        if let Some((i, ..)) = best {
            unsure.push(server.locations[i].served_by());
        }
        return Found::Depends(
            "an ImplementationSpecific path may match it, and how is the controller's choice"
                .into(),
            unsure,
        );
    }
    match best {
        Some((i, ..)) => Found::Location(i),
        None => Found::Fallback,
    }
}

/// NGINX Inc's controller: the Ingress specification's paths, and nginx's
/// own order where `nginx.org/path-regex` makes them regular expressions:
/// an exact location (`=`) first, then any regular expression that matches
/// over the longest prefix (nginx `location`: "regular expressions are
/// checked ... the search terminates on the first match"); which of two
/// matching expressions comes first in its configuration svcx does not
/// know.
fn nginx_inc_location(front: &Front, server: &Server, req: &Request) -> Found {
    let path = req.path_only();
    if let Some(k) = server
        .locations
        .iter()
        .position(|l| l.regex == Some(PathRegex::Exact) && l.path == path)
    {
        return Found::Location(k);
    }
    let mut matching = Vec::new();
    for (k, l) in server.locations.iter().enumerate() {
        let ci = match l.regex {
            Some(PathRegex::CaseInsensitive) => true,
            Some(PathRegex::CaseSensitive) => false,
            _ => continue,
        };
        match front.regexes.matches(
            &format!("^{}", l.path.trim_start_matches('^')),
            path,
            ci,
            false,
        ) {
            Some(true) => matching.push(k),
            Some(false) => {}
            None => {
                return Found::Depends(
                    format!(
                        "path {} is a regular expression (PCRE) svcx cannot evaluate",
                        l.path
                    ),
                    vec![l.served_by()],
                );
            }
        }
    }
    match matching.as_slice() {
        [] => spec_location(server, req),
        [k] => Found::Location(*k),
        _ => Found::Depends(
            "several regular-expression paths match it, and nginx takes the first in its configuration, whose \
             order svcx does not know"
                .into(),
            matching.iter().map(|&k| server.locations[k].served_by()).collect(),
        ),
    }
}

/// Servers as the Ingress specification leaves them: the paths of every
/// Ingress of the class, by host; two Ingresses defining one host and path
/// contest it; a default backend serves its own Ingress's hosts, and the
/// catch-all when the Ingress has no rules.
fn build_spec(
    cx: &Build,
    key: FrontKey,
    because: String,
    mut members: Vec<usize>,
    implementation: Implementation,
) -> Front {
    cx.sort(&mut members);
    let mut servers: Vec<Server> = Vec::new();
    let server_at = |servers: &mut Vec<Server>, host: Option<&String>| -> usize {
        let host = host.map(|h| h.to_ascii_lowercase());
        if let Some(k) = servers.iter().position(|s| s.host == host) {
            return k;
        }
        servers.push(Server {
            host,
            tls: Tls::None,
            regex: false,
            locations: Vec::new(),
            fallback: Fallback::NotFound,
            fallback_redirect: Some(false),
        });
        servers.len() - 1
    };
    let mut defaults: Vec<(usize, usize, Target, bool)> = Vec::new();
    for &i in &members {
        let facts = cx.facts(i);
        let (tls_hosts, tls_hostless) = cx.tls_hosts(i);
        for (pi, p) in facts.paths.iter().enumerate() {
            if p.rule.is_none() {
                let has_rules = facts.paths.iter().any(|q| q.rule.is_some());
                defaults.push((i, pi, cx.target(i, pi), has_rules));
                continue;
            }
            let k = server_at(&mut servers, p.host.as_ref());
            let s = &mut servers[k];
            let tls = p
                .host
                .as_ref()
                .is_some_and(|h| tls_hosts.iter().any(|(t, _)| t.eq_ignore_ascii_case(h)))
                || (tls_hostless && p.host.is_none());
            if tls && !s.tls.present() {
                let secret = p.host.as_ref().and_then(|h| {
                    tls_hosts
                        .iter()
                        .find(|(t, _)| t.eq_ignore_ascii_case(h))
                        .and_then(|(_, secret)| secret.clone())
                });
                s.tls = match secret {
                    Some(name) => Tls::Secret {
                        namespace: facts.namespace.clone(),
                        name,
                        ingress: i,
                    },
                    None => Tls::DefaultCertificate { ingress: i },
                };
            }
            // NGINX Inc's path-regex makes every path of its Ingress a
            // regular expression (its annotations reference).
            let regex = (implementation == Implementation::NginxInc)
                .then(|| cx.annotation(i, NGINX_ORG_PATH_REGEX))
                .flatten()
                .map(|v| match v {
                    "case_insensitive" => PathRegex::CaseInsensitive,
                    "exact" => PathRegex::Exact,
                    _ => PathRegex::CaseSensitive,
                });
            s.locations.push(Location {
                ingress: i,
                path_index: pi,
                path: p.path.clone(),
                kind: Build::kind(p),
                target: cx.target(i, pi),
                redirect_http: None,
                canaries: Vec::new(),
                contested: Vec::new(),
                regex,
            });
        }
    }
    // Two Ingresses with one path: the controller keeps one of them, and
    // the specification does not say which.
    for s in &mut servers {
        let snapshot: Vec<(usize, usize, String, PathKind)> = s
            .locations
            .iter()
            .map(|l| (l.ingress, l.path_index, l.path.clone(), l.kind))
            .collect();
        for l in &mut s.locations {
            for (ing, pi, path, kind) in &snapshot {
                if *ing != l.ingress
                    && *path == l.path
                    && *kind == l.kind
                    && !l.contested.contains(&(*ing, *pi))
                {
                    l.contested.push((*ing, *pi));
                }
            }
        }
        // Without TLS, http is served as is; with it, NGINX Inc's
        // `ingress.kubernetes.io/ssl-redirect` (default true) redirects,
        // and any other controller decides.
        let redirect = |i: usize| match (s.tls.present(), implementation) {
            (false, _) => Some(false),
            (true, Implementation::NginxInc) => Some(
                ![
                    "ingress.kubernetes.io/ssl-redirect",
                    "nginx.org/ssl-redirect",
                ]
                .iter()
                .any(|k| {
                    cx.annotation(i, k)
                        .is_some_and(|v| v.eq_ignore_ascii_case("false"))
                }),
            ),
            (true, _) => None,
        };
        let redirects: Vec<Option<bool>> =
            s.locations.iter().map(|l| redirect(l.ingress)).collect();
        for (l, r) in s.locations.iter_mut().zip(redirects) {
            l.redirect_http = r;
        }
        s.fallback_redirect = s.locations.first().map_or(Some(false), |l| l.redirect_http);
    }
    for s in &mut servers {
        let own: Vec<&(usize, usize, Target, bool)> = defaults
            .iter()
            .filter(|(i, ..)| s.locations.iter().any(|l| l.ingress == *i))
            .collect();
        s.fallback = match own.as_slice() {
            [] => Fallback::NotFound,
            [(i, pi, t, _)] if own_hosts_only(s, *i) => Fallback::Backend {
                ingress: *i,
                path_index: *pi,
                target: t.clone(),
            },
            _ => Fallback::Depends(
                "the host's Ingresses name default backends, and which one answers the paths no rule matches is \
                 the controller's choice"
                    .into(),
            ),
        };
    }
    let catch_all: Vec<&(usize, usize, Target, bool)> = defaults
        .iter()
        .filter(|(.., has_rules)| !has_rules)
        .collect();
    if !catch_all.is_empty() {
        let k = server_at(&mut servers, None);
        servers[k].fallback = match catch_all.as_slice() {
            [(i, pi, t, _)] => Fallback::Backend {
                ingress: *i,
                path_index: *pi,
                target: t.clone(),
            },
            _ => Fallback::Depends(
                "several Ingresses without rules name a default backend, and which one the controller uses is its \
                 choice"
                    .into(),
            ),
        };
    }
    Front {
        key,
        implementation,
        because,
        ingresses: members,
        servers,
        http: true,
        https: true,
        http_redirect_unknown: None,
        decisions: Vec::new(),
        regexes: Regexes::default(),
    }
}

/// Whether every location of a server comes from Ingress `i` (its default
/// backend then surely serves the host's unmatched paths).
fn own_hosts_only(s: &Server, i: usize) -> bool {
    s.locations.iter().all(|l| l.ingress == i)
}
