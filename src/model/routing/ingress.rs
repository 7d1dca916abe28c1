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
//! [`super::nginx`] (ingress-nginx), [`super::gce`] (GKE), [`super::alb`]
//! (the AWS ALB, which answers a request itself: its rules match in
//! priority order, across hosts), and
//! [`super::spec`], the Ingress specification for every other controller
//! (and NGINX Inc's). Where the specification leaves a choice to the
//! controller (two Ingresses with one host and path, a redirect to HTTPS, a
//! default backend for another Ingress's host), the answer is
//! [`Outcome::Depends`]. [`super::build`] is what building a front reads.

use super::build::Build;
use super::contour::Flavor;
use super::regex::Regexes;
use super::spec::{build_spec, spec_location};
use super::{Answer, Outcome, Request, Scheme, ServedBy, Share};
use crate::model::Snapshot;
use crate::model::cilium;
use crate::model::ingress_lb::is_alb;
use crate::model::routes::hostnames::ingress_host_matches;
use crate::model::routes::{IngressFacts, RouteIndex};
use k8s_openapi::api::networking::v1::Ingress;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Who implements an Ingress class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Implementation {
    /// kubernetes/ingress-nginx (controller `k8s.io/ingress-nginx`).
    IngressNginx,
    /// The GKE Ingress controller (`kubernetes.io/ingress.class: gce` or
    /// `gce-internal`; controller `k8s.io/ingress-gce`).
    Gce,
    /// The AWS Load Balancer Controller (class `alb`, or controller
    /// `ingress.k8s.aws/alb`): one ALB per IngressGroup.
    Alb,
    /// Traefik (controller `traefik.io/ingress-controller`, class
    /// `traefik`): routers by rule length.
    Traefik,
    /// Contour (class `contour`, the class it serves when configured with
    /// none; it matches Ingresses by class name, and ships no
    /// IngressClass): Envoy routes by virtual host, exact paths first.
    Contour,
    /// Cilium's Ingress controller (controller `cilium.io/ingress-controller`,
    /// class `cilium`): Envoy routes per virtual host as Contour writes
    /// them, with its own path kinds, order and https redirect
    /// ([`super::contour`]); one load balancer per Ingress unless it asks
    /// for the shared one.
    Cilium,
    /// Istio's Ingress controller (controller `istio.io/ingress-controller`,
    /// class `istio`): one VirtualService per host, paths by length as
    /// written, `defaultBackend` ignored, no redirect ([`super::istio`]).
    Istio,
    /// NGINX Inc's NGINX Ingress Controller (controller
    /// `nginx.org/ingress-controller`): one Ingress per host, mergeable
    /// masters and minions, nginx's own locations ([`super::nginx_inc`]).
    NginxInc,
    /// Any other controller: what the Ingress specification says.
    Spec,
}

/// One entry point: where clients send an Ingress's requests.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum FrontKey {
    /// The controller of a class (`None`: no class), shared by its Ingresses.
    Class(Option<String>),
    /// One Ingress's own load balancer (GCE, an ALB without a group).
    Ingress(usize),
    /// The load balancer of an ALB IngressGroup (`group.name`).
    AlbGroup(String),
}

/// The certificate a server answers HTTPS with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Tls {
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
    pub(crate) fn same_certificate(&self, other: &Tls) -> bool {
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
    pub(crate) fn present(&self) -> bool {
        matches!(self, Tls::Secret { .. } | Tls::DefaultCertificate { .. })
    }
}

/// How a location's path matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PathKind {
    Exact,
    Prefix,
    ImplementationSpecific,
}

/// Where a location (or a default backend) sends requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    /// `namespace/name:port`, when the backend resolves to a Service port.
    pub(crate) backend: Option<String>,
    /// `(Service position, port position)`.
    pub(crate) service: Option<(usize, usize)>,
    /// The Service is not in the input (files), so it may exist.
    pub(crate) not_in_input: bool,
}

/// A canary Ingress's path, merged into the location it shadows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Canary {
    pub(crate) ingress: usize,
    pub(crate) path_index: usize,
    pub(crate) target: Target,
    /// `canary-by-header`.
    pub(crate) header: Option<String>,
    /// `canary-by-header-value`: the header's value that selects the canary.
    pub(crate) header_value: Option<String>,
    /// `canary-by-header-pattern` (a PCRE).
    pub(crate) header_pattern: Option<String>,
    /// `canary-by-cookie`.
    pub(crate) cookie: Option<String>,
    /// `canary-weight` out of `total` (`canary-weight-total`).
    pub(crate) weight: u32,
    pub(crate) total: u32,
}

/// How a controller reads a path that is a regular expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PathRegex {
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
pub(crate) const NGINX_ORG_PATH_REGEX: &str = "nginx.org/path-regex";

/// One location of a server: an Ingress path.
#[derive(Clone, Debug)]
pub(crate) struct Location {
    /// Positions in the route index's Ingresses and their paths.
    pub(crate) ingress: usize,
    pub(crate) path_index: usize,
    pub(crate) path: String,
    pub(crate) kind: PathKind,
    pub(crate) target: Target,
    /// Whether an `http` request is redirected to `https` (`None`: the
    /// implementation decides).
    pub(crate) redirect_http: Option<bool>,
    /// Canaries, in the order the controller merged them (ingress-nginx
    /// uses the first).
    pub(crate) canaries: Vec<Canary>,
    /// Paths of other Ingresses with the same path and type, when which one
    /// the controller keeps cannot be known from the input.
    pub(crate) contested: Vec<(usize, usize)>,
    /// The path is a regular expression to the controller.
    pub(crate) regex: Option<PathRegex>,
    /// ingress-nginx: the redirect (status, URL) the location answers every
    /// request with, whatever the scheme (`permanent-redirect`,
    /// `temporal-redirect`).
    pub(crate) returns: Option<(u16, String)>,
}

impl Location {
    pub(crate) fn served_by(&self) -> ServedBy {
        ServedBy::Ingress {
            ingress: self.ingress,
            path: self.path_index,
        }
    }
}

/// What answers the requests of a server that no location matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Fallback {
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
    pub(crate) fn same_answer(&self, other: &Fallback) -> bool {
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
pub(crate) struct Server {
    /// `None`: the catch-all server (rules without a host, and hosts no
    /// other server names).
    pub(crate) host: Option<String>,
    pub(crate) tls: Tls,
    /// ingress-nginx: every location of the host is a case-insensitive
    /// regular expression anchored at the start (`~* "^PATH"`).
    pub(crate) regex: bool,
    pub(crate) locations: Vec<Location>,
    pub(crate) fallback: Fallback,
    /// Whether the server redirects `http` requests no location matches.
    pub(crate) fallback_redirect: Option<bool>,
    /// ingress-nginx's `app-root`: `/` answers 302 to this path.
    pub(crate) app_root: Option<String>,
    /// More names the server answers (ingress-nginx's `server-alias`).
    pub(crate) aliases: Vec<String>,
    /// Why HTTPS to this server may not be routed at all (ingress-nginx's
    /// `ssl-passthrough`).
    pub(crate) passthrough: Option<String>,
    /// ingress-nginx's `from-to-www-redirect`: the other name (`www.` added
    /// or taken off), answered with a redirect to this host.
    pub(crate) redirect_from: Option<String>,
    /// The status of this server's redirect to https, where it is the
    /// server's own (NGINX Inc's `nginx.org/http-redirect-code`).
    pub(crate) redirect_status: Option<u16>,
}

impl Server {
    /// A server for `host` with no location yet: no certificate, and the
    /// controller's 404 for what no location matches.
    pub(super) fn new(host: Option<String>) -> Server {
        Server {
            host,
            tls: Tls::None,
            regex: false,
            locations: Vec::new(),
            fallback: Fallback::NotFound,
            fallback_redirect: Some(false),
            app_root: None,
            aliases: Vec::new(),
            passthrough: None,
            redirect_from: None,
            redirect_status: None,
        }
    }

    /// The index of the server for `host` (compared in lower case, as
    /// every implementation compares them), added with `new` when there
    /// is none yet: hosts of several rules and Ingresses share one server.
    pub(super) fn find_or_add(
        servers: &mut Vec<Server>,
        host: Option<&str>,
        new: impl FnOnce(Option<String>) -> Server,
    ) -> usize {
        let host = host.map(str::to_ascii_lowercase);
        if let Some(k) = servers.iter().position(|s| s.host == host) {
            return k;
        }
        servers.push(new(host));
        servers.len() - 1
    }
}

/// Something the implementation decided about an Ingress path that a
/// reader of the manifests would not expect: a path ignored, a canary with
/// nothing to shadow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Decision {
    pub(crate) ingress: usize,
    /// `spec.rules[0].http.paths[1]`.
    pub(crate) field: String,
    pub(crate) message: String,
}

/// One entry point and the servers its implementation built.
#[derive(Debug)]
pub(crate) struct Front {
    pub(crate) implementation: Implementation,
    /// Positions of the Ingresses it serves, in the controller's order.
    pub(crate) ingresses: Vec<usize>,
    pub(crate) servers: Vec<Server>,
    /// `http` is served (GCE's `allow-http: "false"` closes it).
    pub(crate) http: bool,
    /// `https` is served: always by ingress-nginx (its default
    /// certificate), by GCE when an Ingress has TLS.
    pub(crate) https: bool,
    /// Whether an `http` request is redirected by a policy svcx does not
    /// read (GKE's FrontendConfig): `None` when one is named.
    pub(crate) http_redirect_unknown: Option<String>,
    pub(crate) decisions: Vec<Decision>,
    pub(super) regexes: Regexes,
    /// Servers by exact host, built once the servers are.
    pub(super) by_host: HashMap<String, usize>,
    /// The rules of an implementation that answers a request itself,
    /// across hosts, rather than server by server.
    pub(super) own: Option<Box<OwnRules>>,
}

/// An implementation's own way of matching: its rules in its order.
#[derive(Debug)]
pub(crate) enum OwnRules {
    /// An ALB's listeners and rule order.
    Alb(super::alb::Alb),
    /// Traefik's routers.
    Traefik(super::traefik::Traefik),
    /// Contour's virtual hosts and route order.
    Contour(super::contour::Contour),
}

/// Every front, built once per run.
#[derive(Debug, Default)]
pub(crate) struct IngressRouting {
    pub(crate) fronts: Vec<Front>,
    front_of: HashMap<usize, usize>,
    /// Who would serve each Ingress, by position, refused ones included.
    implementations: Vec<Implementation>,
    /// The Ingresses of class `nginx` read as ingress-nginx's only because
    /// it is that class's default controller: neither their IngressClass
    /// nor an annotation of either controller says so.
    nginx_by_class_alone: HashSet<usize>,
}

impl IngressRouting {
    pub(crate) fn build(snap: &Snapshot, ix: &RouteIndex) -> IngressRouting {
        let mut groups: BTreeMap<FrontKey, (Implementation, Vec<usize>)> = BTreeMap::new();
        let mut nginx_by_class_alone = HashSet::new();
        let implementations: Vec<Implementation> = ix
            .ingresses
            .iter()
            .enumerate()
            .map(|(i, facts)| {
                let (implementation, by_class_alone) =
                    implementation(facts, &snap.ingresses[facts.index].object);
                if by_class_alone {
                    nginx_by_class_alone.insert(i);
                }
                implementation
            })
            .collect();
        // An Ingress the API server refuses never exists, so it routes
        // nothing (and contests no path).
        for (i, facts) in ix.ingresses.iter().enumerate() {
            if facts.refused().is_some() {
                continue;
            }
            let implementation = implementations[i];
            let cx = Build { snap, ix };
            let key = match implementation {
                Implementation::Gce => FrontKey::Ingress(i),
                Implementation::Alb => match super::alb::group_of(&cx, i) {
                    Some(g) => FrontKey::AlbGroup(g),
                    None => FrontKey::Ingress(i),
                },
                Implementation::Cilium if !cilium::shared(|k| cx.annotation(i, k)) => {
                    FrontKey::Ingress(i)
                }
                _ => FrontKey::Class(facts.class.clone()),
            };
            groups
                .entry(key)
                .or_insert_with(|| (implementation, Vec::new()))
                .1
                .push(i);
        }
        let mut out = IngressRouting {
            implementations,
            nginx_by_class_alone,
            ..IngressRouting::default()
        };
        for (implementation, members) in groups.into_values() {
            let cx = Build { snap, ix };
            let front = match implementation {
                Implementation::IngressNginx => super::nginx::build(&cx, members),
                Implementation::Gce => super::gce::build(&cx, members),
                Implementation::Alb => super::alb::build(&cx, members),
                Implementation::Traefik => super::traefik::build(&cx, members),
                Implementation::Contour => super::contour::build(&cx, members, Flavor::Contour),
                Implementation::Cilium => super::contour::build(&cx, members, Flavor::Cilium),
                Implementation::Istio => super::istio::build(&cx, members),
                Implementation::NginxInc => super::nginx_inc::build(&cx, members),
                Implementation::Spec => build_spec(&cx, members, implementation),
            };
            let mut front = front;
            front.by_host = front
                .servers
                .iter()
                .enumerate()
                .filter_map(|(k, s)| Some((s.host.clone()?, k)))
                .collect();
            for (k, s) in front.servers.iter().enumerate() {
                for a in &s.aliases {
                    front.by_host.entry(a.clone()).or_insert(k);
                }
            }
            for &i in &front.ingresses {
                out.front_of.insert(i, out.fronts.len());
            }
            out.fronts.push(front);
        }
        out
    }

    /// Who serves the Ingress at position `ingress` of the route index, or
    /// would if the API server took it.
    pub(crate) fn implementation_of(&self, ingress: usize) -> Option<Implementation> {
        self.implementations.get(ingress).copied()
    }

    /// Whether the Ingress at `ingress` is read as ingress-nginx's only by
    /// its class `nginx`, the default class of NGINX Inc's controller too.
    pub(crate) fn nginx_by_class_alone(&self, ingress: usize) -> bool {
        self.nginx_by_class_alone.contains(&ingress)
    }

    /// The front that serves the Ingress at position `ingress` of the route
    /// index.
    pub(crate) fn front_of(&self, ingress: usize) -> Option<&Front> {
        self.front_of.get(&ingress).map(|&f| &self.fronts[f])
    }
}

/// Traefik's IngressClass controller
/// (pkg/provider/kubernetes/ingress/kubernetes.go).
const TRAEFIK_CONTROLLER: &str = "traefik.io/ingress-controller";

/// Annotation prefixes only the GKE Ingress controller reads.
const GCE_ANNOTATIONS: &[&str] = &[
    "kubernetes.io/ingress.allow-http",
    "kubernetes.io/ingress.global-static-ip-name",
    "kubernetes.io/ingress.regional-static-ip-name",
    "ingress.gcp.kubernetes.io/",
    "networking.gke.io/",
];

/// Annotation prefixes only NGINX Inc's controller reads (nginx/kubernetes-
/// ingress internal/configs/annotations.go: `nginx.org/`, NGINX Plus's
/// `nginx.com/`, App Protect's `appprotect.f5.com/` and
/// `appprotectdos.f5.com/`).
const NGINX_INC_ANNOTATIONS: &[&str] = &[
    "nginx.org/",
    "nginx.com/",
    "appprotect.f5.com/",
    "appprotectdos.f5.com/",
];

/// Which implementation serves an Ingress: the IngressClass's controller
/// when it was read, else the class name that the controller's own
/// manifests use (and the annotations only one controller reads);
/// and whether it is ingress-nginx only because class `nginx` is its
/// default (nothing in the input says whose the Ingress is).
fn implementation(facts: &IngressFacts, object: &Ingress) -> (Implementation, bool) {
    if is_alb(facts.controller.as_deref(), facts.class.as_deref()) {
        return (Implementation::Alb, false);
    }
    if let Some(c) = &facts.controller {
        let by_controller = match c.as_str() {
            "k8s.io/ingress-nginx" => Implementation::IngressNginx,
            "k8s.io/ingress-gce" => Implementation::Gce,
            "nginx.org/ingress-controller" => Implementation::NginxInc,
            TRAEFIK_CONTROLLER => Implementation::Traefik,
            cilium::INGRESS_CONTROLLER => Implementation::Cilium,
            super::istio::CONTROLLER => Implementation::Istio,
            _ => Implementation::Spec,
        };
        return (by_controller, false);
    }
    let annotated = |prefix: &str| {
        object
            .metadata
            .annotations
            .iter()
            .flatten()
            .any(|(k, _)| k.starts_with(prefix))
    };
    let by_class = match facts.class.as_deref() {
        // ingress-nginx's default class, and NGINX Inc's: ingress-nginx's
        // unless an annotation says otherwise, and said where none says
        // which.
        Some("nginx") if !NGINX_INC_ANNOTATIONS.iter().any(|a| annotated(a)) => {
            return (
                Implementation::IngressNginx,
                !annotated(super::nginx::PREFIX),
            );
        }
        // The GKE Ingress controller's classes.
        Some("gce" | "gce-internal") => Implementation::Gce,
        // Without a class, the GKE Ingress controller serves an Ingress on
        // GKE; annotations only it reads say that is where it runs.
        None if GCE_ANNOTATIONS.iter().any(|a| annotated(a)) => Implementation::Gce,
        // Likewise Traefik's router annotations, and ingress-nginx's
        // (unless NGINX Inc's are there too).
        None if annotated(super::traefik::PREFIX) => Implementation::Traefik,
        None if annotated(super::nginx::PREFIX)
            && !NGINX_INC_ANNOTATIONS.iter().any(|a| annotated(a)) =>
        {
            Implementation::IngressNginx
        }
        // NGINX Inc's controller also defaults to class `nginx`; its
        // annotations say which one the Ingress is for (nginx.org/, and
        // its NGINX Plus and App Protect ones).
        Some("nginx") => Implementation::NginxInc,
        // Traefik's default class (its Helm chart's and k3s's IngressClass).
        Some("traefik") => Implementation::Traefik,
        // Contour's class when it is configured with none; without a class,
        // its annotations say that Contour is the one that serves it.
        Some(super::contour::CLASS) => Implementation::Contour,
        // The class Cilium's chart installs.
        Some(cilium::INGRESS_CLASS) => Implementation::Cilium,
        // The mesh's default `ingressClass`.
        Some(super::istio::CLASS) => Implementation::Istio,
        None if annotated(super::contour::PREFIX) => Implementation::Contour,
        // A class no IngressClass explains, or no class (the cluster's
        // choice): the Ingress specification alone.
        _ => Implementation::Spec,
    };
    (by_class, false)
}

impl Front {
    /// A front of `implementation` for these Ingresses and servers, serving
    /// `http` and `https`, with nothing else of its own.
    pub(super) fn new(
        implementation: Implementation,
        ingresses: Vec<usize>,
        servers: Vec<Server>,
    ) -> Front {
        Front {
            implementation,
            ingresses,
            servers,
            http: true,
            https: true,
            http_redirect_unknown: None,
            decisions: Vec::new(),
            regexes: Regexes::default(),
            by_host: Default::default(),
            own: None,
        }
    }

    /// What the front does with a request sent to it.
    pub(crate) fn answer(&self, req: &Request) -> Answer {
        match self.own.as_deref() {
            Some(OwnRules::Alb(alb)) => return super::alb::answer(self, alb, req),
            Some(OwnRules::Traefik(traefik)) => return super::traefik::answer(self, traefik, req),
            Some(OwnRules::Contour(contour)) => return super::contour::answer(self, contour, req),
            None => {}
        }
        match req.scheme {
            Scheme::Http if !self.http => return Answer::new(Outcome::Refused),
            Scheme::Https if !self.https => return Answer::new(Outcome::Refused),
            _ => {}
        }
        // ingress-nginx's from-to-www-redirect servers (only it sets them).
        if self.implementation == Implementation::IngressNginx
            && let Some(to) = self.servers.iter().find(|s| {
                s.redirect_from
                    .as_deref()
                    .is_some_and(|f| f.eq_ignore_ascii_case(&req.host))
            })
        {
            return super::nginx::www_redirect(to, req);
        }
        let Some(server) = self.server_for(&req.host) else {
            return Answer::new(Outcome::NoRoute);
        };
        if let Some(why) = &server.passthrough
            && req.scheme == Scheme::Https
        {
            return Answer::depends(
                why.clone(),
                server.locations.iter().map(Location::served_by).collect(),
            );
        }
        if let Some(root) = &server.app_root
            && req.path_only() == "/"
        {
            return Answer::new(Outcome::Redirect {
                status: 302,
                scheme: None,
                location: Some(format!("{}://{}{root}", req.scheme, req.host)),
            });
        }
        let found = match self.implementation {
            Implementation::IngressNginx => super::nginx::location(self, server, req),
            Implementation::Gce => super::gce::location(server, req),
            Implementation::Spec
            | Implementation::Alb
            | Implementation::Traefik
            | Implementation::Contour
            | Implementation::Cilium => spec_location(server, req),
            Implementation::NginxInc => super::nginx_inc::location_of(self, server, req),
            Implementation::Istio => super::istio::location(server, req),
        };
        let redirect_unknown = (req.scheme == Scheme::Http)
            .then_some(self.http_redirect_unknown.as_ref())
            .flatten();
        match found {
            Found::Location(l) => {
                let loc = &server.locations[l];
                let by = vec![loc.served_by()];
                if let Some((status, url)) = &loc.returns {
                    return Answer::by(
                        Outcome::Redirect {
                            status: *status,
                            scheme: None,
                            location: Some(url.clone()),
                        },
                        by,
                    );
                }
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
                        Some(true) => return Answer::by(https_redirect(self, server, req), by),
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
                        Some(true) => return Answer::new(https_redirect(self, server, req)),
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
    pub(crate) fn server_for(&self, host: &str) -> Option<&Server> {
        let host = host.to_ascii_lowercase();
        let exact = self.by_host.get(&host).map(|&k| &self.servers[k]);
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
    pub(crate) fn wildcard_covers(&self, pattern: &str, host: &str) -> bool {
        match self.implementation {
            Implementation::Gce | Implementation::Istio | Implementation::NginxInc => {
                suffix_wildcard_covers(pattern, host)
            }
            Implementation::Alb => super::alb::glob_matches(&self.regexes, pattern, host, true),
            _ => ingress_host_matches(pattern, host),
        }
    }

    /// The status of the implementation's redirect from `http` to `https`:
    /// ingress-nginx's `http-redirect-code` (308 by default), NGINX Inc's
    /// `ssl-redirect` (301), GKE's FrontendConfig (301).
    pub(crate) fn https_redirect_status(&self) -> u16 {
        match self.implementation {
            Implementation::IngressNginx => super::nginx::HTTP_REDIRECT_CODE,
            _ => 301,
        }
    }

    /// Whether plain HTTP reaches the paths of the Ingress at `ingress`:
    /// the front's port 80, and for Contour the Ingress's own
    /// `allow-http` (or its redirect).
    pub(crate) fn serves_http(&self, ingress: usize) -> bool {
        match self.own.as_deref() {
            Some(OwnRules::Contour(c)) => c.serves_http(ingress),
            _ => self.http,
        }
    }

    /// Whether the front is a cloud load balancer of its own, made for its
    /// Ingresses (GKE: one per Ingress; ALB: one per IngressGroup), which
    /// goes when they go; other controllers stay and answer 404.
    pub(crate) fn own_load_balancer(&self) -> bool {
        match self.own.as_deref() {
            Some(OwnRules::Contour(c)) => c.own_load_balancer(),
            _ => matches!(
                self.implementation,
                Implementation::Gce | Implementation::Alb
            ),
        }
    }

    /// Whether a Gateway API wildcard (one or more labels) serves more
    /// names than this implementation's.
    pub(crate) fn wildcards_widen(&self) -> bool {
        !matches!(
            self.implementation,
            Implementation::Gce | Implementation::Alb | Implementation::NginxInc
        )
    }
}

/// Whether a wildcard `*.suffix` read as any string before the suffix
/// covers `host`: GCE's URL-map host rules (`*` is `[a-z0-9-.]*`) and
/// Envoy's virtual host domains (one label or more).
pub(super) fn suffix_wildcard_covers(pattern: &str, host: &str) -> bool {
    pattern
        .strip_prefix('*')
        .is_some_and(|suffix| host.len() > suffix.len() && host.ends_with(suffix))
}

/// The redirect to https an implementation answers with: ingress-nginx's
/// `http-redirect-code` defaults to 308 (`config.go`), and its redirect
/// drops one trailing `/` of the path unless `preserve-trailing-slash` is
/// set (`lua_ingress.lua`).
fn https_redirect(front: &Front, server: &Server, req: &Request) -> Outcome {
    let path = req.path.as_str();
    let path = match front.implementation {
        Implementation::IngressNginx if path.len() > 1 => path.strip_suffix('/').unwrap_or(path),
        _ => path,
    };
    Outcome::Redirect {
        status: server
            .redirect_status
            .unwrap_or_else(|| front.https_redirect_status()),
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
