//! ingress-nginx: how kubernetes/ingress-nginx (v1.x, `controller.go`,
//! `template.go`, `balancer.lua`) turns every Ingress of its class into
//! nginx servers and locations, and how nginx then picks one.
//!
//! - Ingresses are taken oldest first, then by `namespace/name`
//!   (`sortIngressSlice`). The first Ingress that names a host creates its
//!   server; its `spec.defaultBackend` (if it has rules) answers the host's
//!   unmatched paths, else the controller's default backend (404). An
//!   Ingress without rules but with a default backend configures the
//!   catch-all server `_`, which also takes the rules without a host.
//! - A path another Ingress already defined (same host, path and type) is
//!   ignored: the older Ingress keeps it.
//! - The first Ingress with TLS for a host gives the server its
//!   certificate, and then every path of the host is served with it; a
//!   location's `ssl-redirect` (on by default) redirects `http` to `https`
//!   with `http-redirect-code` (308 by default) when its server has a
//!   certificate; `force-ssl-redirect` always does.
//! - `use-regex` or `rewrite-target` on any location of a host makes every
//!   location of that host a case-insensitive regular expression anchored
//!   at the start (`enforceRegexModifier`, `buildLocation`: `~* "^PATH"`),
//!   Exact paths included; nginx takes the first that matches, in the
//!   controller's order (longest path first). Otherwise `Exact` is `=
//!   PATH`, `Prefix` `/p` is `= /p` plus `/p/`, `ImplementationSpecific` a
//!   plain prefix string, and nginx takes an exact match, else the longest
//!   prefix.
//! - Canary Ingresses (`canary: "true"`) create no location: each of their
//!   paths becomes the alternative backend of the location with the same
//!   host, path and type (`mergeAlternativeBackends`), or is dropped when
//!   there is none. nginx routes to the first alternative by header, then
//!   cookie, then weight (`route_to_alternative_balancer`).

use super::build::Build;
use super::ingress::{
    Canary, Fallback, Found, Front, Implementation, Location, PathKind, Server, Target, Tls,
};
use super::{Answer, Outcome, Request, ServedBy, Share};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

/// ingress-nginx's annotation prefix.
pub(crate) const PREFIX: &str = "nginx.ingress.kubernetes.io/";

/// The ConfigMap option `http-redirect-code`'s default: 308 Permanent
/// Redirect, which keeps the method and the body.
pub(super) const HTTP_REDIRECT_CODE: u16 = 308;

/// `canary-weight-total`'s default.
const CANARY_WEIGHT_TOTAL: u32 = 100;

fn ann<'a>(cx: &'a Build, i: usize, key: &str) -> Option<&'a str> {
    cx.annotation(i, &format!("{PREFIX}{key}"))
}

/// The redirect a location answers every request with: `temporal-redirect`
/// (read first: it wins) or `permanent-redirect`, with its `-code`, out of
/// range falling back to 302 and 301 (internal/ingress/annotations/
/// redirect/redirect.go, `Parse`). nginx writes it as the location's
/// `return CODE URL` (nginx.tmpl), which runs in the rewrite phase before
/// the ssl-redirect's `rewrite_by_lua`.
pub(crate) struct Return<'a> {
    /// The annotation that gave it (without the prefix).
    pub(crate) key: &'static str,
    pub(crate) code: u16,
    pub(crate) url: &'a str,
}

pub(crate) fn location_return<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Option<Return<'a>> {
    for (key, default, max) in [
        ("temporal-redirect", 302, 307),
        ("permanent-redirect", 301, 308),
    ] {
        let Some(url) = get(key).filter(|u| !u.is_empty()) else {
            continue;
        };
        let code = get(&format!("{key}-code"))
            .and_then(|c| c.parse::<u16>().ok())
            .filter(|c| (300..=max).contains(c))
            .unwrap_or(default);
        return Some(Return { key, code, url });
    }
    None
}

/// `app-root`: a request for `/` on the location's host answers 302 to
/// `$scheme://$http_host` and this path (a server-level `if ($uri = /)`,
/// nginx.tmpl, ahead of every location).
pub(crate) fn app_root<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Option<&'a str> {
    get("app-root").filter(|r| r.starts_with('/'))
}

/// Whether an Ingress is a canary.
pub(super) fn is_canary(cx: &Build, i: usize) -> bool {
    ann(cx, i, "canary") == Some("true")
}

/// Builds the servers of one ingress-nginx class.
pub(super) fn build(cx: &Build, mut members: Vec<usize>) -> Front {
    cx.sort(&mut members);
    let (canaries, mains): (Vec<usize>, Vec<usize>) =
        members.iter().partition(|&&i| is_canary(cx, i));
    let mut front = Front::new(
        Implementation::IngressNginx,
        members.clone(),
        vec![Server::new(None)],
    );
    // Which Ingress created each server (its fallback is that Ingress's).
    let mut creators: Vec<Option<usize>> = vec![None];
    let mut catch_all_from: Option<usize> = None;
    let mut created: HashMap<Option<String>, usize> = HashMap::from([(None, 0)]);
    for &i in &mains {
        let facts = cx.facts(i);
        let has_rules = facts.paths.iter().any(|p| p.rule.is_some());
        let default = facts
            .paths
            .iter()
            .enumerate()
            .find(|(_, p)| p.rule.is_none())
            .map(|(pi, _)| (pi, cx.target(i, pi)));
        if let (Some((pi, target)), false) = (&default, has_rules) {
            let backend = Fallback::Backend {
                ingress: i,
                path_index: *pi,
                target: target.clone(),
            };
            match catch_all_from {
                None => {
                    front.servers[0].fallback = backend;
                    catch_all_from = Some(i);
                }
                Some(j)
                    if cx.order(j, i).is_none()
                        && !front.servers[0].fallback.same_answer(&backend) =>
                {
                    front.servers[0].fallback = Fallback::Depends(format!(
                        "Ingresses {} and {} both configure the catch-all server, and the older one does: their \
                         creation times are not in the input",
                        cx.name(j),
                        cx.name(i)
                    ));
                }
                Some(_) => {}
            }
        }
        for p in facts.paths.iter().filter(|p| p.rule.is_some()) {
            let host = p.host.as_ref().map(|h| h.to_ascii_lowercase());
            let fallback = match &default {
                Some((pi, target)) => Fallback::Backend {
                    ingress: i,
                    path_index: *pi,
                    target: target.clone(),
                },
                None => Fallback::NotFound,
            };
            match created.get(&host).copied() {
                None => {
                    created.insert(host.clone(), front.servers.len());
                    front.servers.push(Server {
                        fallback,
                        fallback_redirect: None,
                        ..Server::new(host)
                    });
                    creators.push(Some(i));
                }
                Some(k) => {
                    if let Some(j) = creators[k]
                        && j != i
                        && cx.order(j, i).is_none()
                        && !front.servers[k].fallback.same_answer(&fallback)
                    {
                        front.servers[k].fallback = Fallback::Depends(format!(
                            "the older of Ingresses {} and {} decides what answers the host's unmatched paths: \
                             their creation times are not in the input",
                            cx.name(j),
                            cx.name(i)
                        ));
                    }
                }
            }
        }
    }
    add_locations(cx, &mains, &mut front);
    add_tls(cx, &mains, &mut front);
    for (k, s) in front.servers.iter_mut().enumerate() {
        s.regex = s.locations.iter().any(|l| {
            ann(cx, l.ingress, "use-regex") == Some("true")
                || ann(cx, l.ingress, "rewrite-target").is_some_and(|t| !t.is_empty())
        });
        for l in &mut s.locations {
            l.redirect_http = redirects(cx, l.ingress, &s.tls);
            l.regex = s
                .regex
                .then_some(super::ingress::PathRegex::CaseInsensitive);
        }
        s.fallback_redirect = match creators[k] {
            Some(i) => redirects(cx, i, &s.tls),
            None => Some(false),
        };
    }
    merge_canaries(cx, &canaries, &mut front);
    spread_canaries(&mut front);
    add_aliases_and_passthrough(cx, &mains, &mut front);
    add_www_redirects(cx, &mut front);
    front
}

/// `from-to-www-redirect` on any location of a host gives it a server of
/// its own for the other name (`www.` added, or taken off a `www.` host),
/// unless a server already has that name, and one per target host
/// (`BuildRedirects`, pkg/util/ingress/ingress.go at dbb11b9). That server
/// answers every request, http and https, with `http-redirect-code` to
/// the same scheme, port and URI on the host (nginx.tmpl "Build server
/// redirects", lua/nginx/ngx_srv_redirect.lua). A wildcard host gets none:
/// `www.*.example.com` is no name.
fn add_www_redirects(cx: &Build, front: &mut Front) {
    let named = named_hosts(front);
    for s in &mut front.servers {
        let Some(host) = s.host.as_deref().filter(|h| !h.starts_with('*')) else {
            continue;
        };
        let asks = s
            .locations
            .iter()
            .any(|l| ann(cx, l.ingress, "from-to-www-redirect") == Some("true"));
        if !asks {
            continue;
        }
        let from = match host.strip_prefix("www.") {
            Some(bare) => bare.to_string(),
            None => format!("www.{host}"),
        };
        if !named.contains(&from) {
            s.redirect_from = Some(from);
        }
    }
}

/// The hosts that have a server of their own: a name that one of them
/// already has is not given to another server (`www` redirects, aliases).
fn named_hosts(front: &Front) -> HashSet<String> {
    front
        .servers
        .iter()
        .filter_map(|s| s.host.clone())
        .collect()
}

/// The answer of a `from-to-www-redirect` server: `http-redirect-code` to
/// `scheme://HOST:PORT` and the request URI without one trailing `/`
/// (ngx_srv_redirect.lua; the port is the one the request came to).
pub(super) fn www_redirect(to: &Server, req: &Request) -> Answer {
    let uri = req.path.strip_suffix('/').unwrap_or(&req.path);
    let port = req.scheme.default_port();
    Answer::by(
        Outcome::Redirect {
            status: HTTP_REDIRECT_CODE,
            scheme: None,
            location: Some(format!(
                "{}://{}:{port}{uri}",
                req.scheme,
                to.host.as_deref().unwrap_or_default()
            )),
        },
        to.locations.iter().map(Location::served_by).collect(),
    )
}

/// `server-alias` adds names to the servers of the Ingress's hosts, unless
/// a server has that name already (`createServers`, controller.go:1506-1530
/// at dbb11b9); `ssl-passthrough` hands TLS on 443 to the backend by SNI,
/// bypassing HTTP routing, but only where the controller runs with
/// `--enable-ssl-passthrough` (pkg/flags/flags.go), which the input does not
/// show.
fn add_aliases_and_passthrough(cx: &Build, mains: &[usize], front: &mut Front) {
    let named = named_hosts(front);
    for &i in mains {
        let aliases: Vec<String> = ann(cx, i, "server-alias")
            .into_iter()
            .flat_map(|a| a.split(','))
            .map(|a| a.trim().to_ascii_lowercase())
            .filter(|a| !a.is_empty() && !named.contains(a))
            .collect();
        let passthrough = ann(cx, i, "ssl-passthrough") == Some("true");
        if aliases.is_empty() && !passthrough {
            continue;
        }
        let hosts: Vec<String> = cx
            .facts(i)
            .paths
            .iter()
            .filter_map(|p| p.host.as_deref().map(str::to_ascii_lowercase))
            .collect();
        for s in front
            .servers
            .iter_mut()
            .filter(|s| s.host.as_ref().is_some_and(|h| hosts.contains(h)))
        {
            for a in &aliases {
                if !s.aliases.contains(a) {
                    s.aliases.push(a.clone());
                }
            }
            if passthrough {
                s.passthrough = Some(format!(
                    "Ingress {} asks for ssl-passthrough: with the controller's --enable-ssl-passthrough, TLS \
                     goes to the backend by SNI and HTTP routing does not apply; without it, nginx terminates TLS",
                    cx.name(i)
                ));
            }
        }
    }
}

/// ingress-nginx keys a canary by its main backend's upstream (namespace,
/// Service, port), not by host and path: every location of the class that
/// sends to that Service port is split the same way (`balancer.lua` picks
/// the alternative by `proxy_upstream_name`; kubernetes/ingress-nginx#4667,
/// #8689).
fn spread_canaries(front: &mut Front) {
    let mut by_backend: Vec<(String, Vec<Canary>)> = Vec::new();
    for l in front.servers.iter().flat_map(|s| &s.locations) {
        if let (Some(b), false) = (&l.target.backend, l.canaries.is_empty())
            && !by_backend.iter().any(|(k, _)| k == b)
        {
            by_backend.push((b.clone(), l.canaries.clone()));
        }
    }
    for l in front
        .servers
        .iter_mut()
        .flat_map(|s| s.locations.iter_mut())
    {
        if l.canaries.is_empty()
            && let Some(b) = &l.target.backend
            && let Some((_, c)) = by_backend.iter().find(|(k, _)| k == b)
        {
            l.canaries = c.clone();
        }
    }
}

/// Servers by host (`None`: the catch-all).
fn server_index(front: &Front) -> HashMap<Option<String>, usize> {
    front
        .servers
        .iter()
        .enumerate()
        .map(|(k, s)| (s.host.clone(), k))
        .collect()
}

/// Every non-canary path as a location of its host's server, the older
/// Ingress keeping a path two define.
fn add_locations(cx: &Build, mains: &[usize], front: &mut Front) {
    let index = server_index(front);
    for &i in mains {
        for (pi, p) in cx.facts(i).paths.iter().enumerate() {
            if p.rule.is_none() || p.service.is_none() {
                continue;
            }
            let host = p.host.as_ref().map(|h| h.to_ascii_lowercase());
            let Some(&k) = index.get(&host) else {
                continue;
            };
            let kind = Build::kind(p);
            let server = &mut front.servers[k];
            if let Some(existing) = server
                .locations
                .iter_mut()
                .find(|l| l.path == p.path && l.kind == kind)
            {
                if existing.ingress == i {
                    continue;
                }
                match cx.order(existing.ingress, i) {
                    Some(Ordering::Less | Ordering::Equal) => front.decisions.push(super::ingress::Decision {
                        ingress: i,
                        field: p.field.clone(),
                        message: format!(
                            "{} {} of host {} is ignored by ingress-nginx: Ingress {}, which is older, already \
                             defines it",
                            p.path_type,
                            p.path,
                            host.as_deref().unwrap_or("(any)"),
                            cx.name(existing.ingress)
                        ),
                    }),
                    _ => existing.contested.push((i, pi)),
                }
                continue;
            }
            let get = |k: &str| ann(cx, i, k);
            if server.app_root.is_none() {
                server.app_root = app_root(get).map(String::from);
            }
            server.locations.push(Location {
                returns: location_return(get).map(|r| (r.code, r.url.to_string())),
                ..cx.location(i, pi)
            });
        }
    }
}

/// Each server's certificate: the first Ingress (in the controller's
/// order) whose `spec.tls` lists the host; an entry without `secretName`
/// means the default certificate. An Ingress whose TLS entries do not list
/// the host may still give it one whose names cover it, which svcx cannot
/// see (it never reads Secrets).
fn add_tls(cx: &Build, mains: &[usize], front: &mut Front) {
    let index = server_index(front);
    let mut givers: Vec<Option<usize>> = vec![None; front.servers.len()];
    for &i in mains {
        let tls = cx.tls_hosts(i);
        if tls.is_empty() {
            continue;
        }
        let facts = cx.facts(i);
        // The servers of the hosts this Ingress's rules name.
        let mut hosts: Vec<String> = facts
            .paths
            .iter()
            .filter(|p| p.rule.is_some())
            .filter_map(|p| p.host.as_deref().map(str::to_ascii_lowercase))
            .collect();
        hosts.sort();
        hosts.dedup();
        for host in hosts {
            let Some(&k) = index.get(&Some(host.clone())) else {
                continue;
            };
            let s = &mut front.servers[k];
            let tls = match tls.secret_of(&host) {
                Some(Some(secret)) => Tls::Secret {
                    namespace: facts.namespace.clone(),
                    name: secret,
                    ingress: i,
                },
                Some(None) => Tls::DefaultCertificate { ingress: i },
                None => Tls::Depends(format!(
                    "Ingress {} has TLS entries that do not list {host}: ingress-nginx serves it with one of their \
                     certificates if its names cover the host, which svcx cannot see",
                    cx.name(i)
                )),
            };
            match givers[k] {
                None => {
                    givers[k] = Some(i);
                    s.tls = tls;
                }
                Some(j) if cx.order(j, i).is_none() && !s.tls.same_certificate(&tls) => {
                    s.tls = Tls::Depends(format!(
                        "Ingresses {} and {} both give {host} a certificate, and the older one's is used: their \
                         creation times are not in the input",
                        cx.name(j),
                        cx.name(i)
                    ));
                }
                Some(_) => {}
            }
        }
    }
}

/// Whether a location of Ingress `i` redirects `http` to `https`: with
/// `force-ssl-redirect`, always; with `ssl-redirect` (default true), when
/// its server has a certificate.
fn redirects(cx: &Build, i: usize, tls: &Tls) -> Option<bool> {
    if ann(cx, i, "force-ssl-redirect") == Some("true") {
        return Some(true);
    }
    if ann(cx, i, "ssl-redirect") == Some("false") {
        return Some(false);
    }
    match tls {
        Tls::Secret { .. } | Tls::DefaultCertificate { .. } => Some(true),
        Tls::None => Some(false),
        Tls::Depends(_) => None,
    }
}

/// Each canary path into the location with its host, path and type.
fn merge_canaries(cx: &Build, canaries: &[usize], front: &mut Front) {
    let primaries: Vec<Option<String>> = front
        .servers
        .iter()
        .flat_map(|s| &s.locations)
        .map(|l| l.target.backend.clone())
        .collect();
    for &c in canaries {
        let number = |key: &str| ann(cx, c, key).and_then(|v| v.parse::<u32>().ok());
        let text = |key: &str| ann(cx, c, key).filter(|v| !v.is_empty()).map(String::from);
        for (pi, p) in cx.facts(c).paths.iter().enumerate() {
            let target = cx.target(c, pi);
            if p.rule.is_none() {
                front.decisions.push(super::ingress::Decision {
                    ingress: c,
                    field: p.field.clone(),
                    message: "a canary's default backend becomes the alternative of the catch-all server, which \
                              svcx does not model: requests to it are not proven"
                        .into(),
                });
                front.servers[0].fallback = Fallback::Depends(
                    "a canary Ingress's default backend shadows the catch-all server".into(),
                );
                continue;
            }
            let host = p.host.as_ref().map(|h| h.to_ascii_lowercase());
            let kind = Build::kind(p);
            let location = front
                .servers
                .iter_mut()
                .find(|s| s.host == host)
                .and_then(|s| {
                    s.locations
                        .iter_mut()
                        .find(|l| l.path == p.path && l.kind == kind)
                });
            let why = match location {
                None => Some(format!(
                    "canary path {} {} of host {} shadows no path of a non-canary Ingress, so ingress-nginx drops \
                     it: it serves nothing",
                    p.path_type,
                    p.path,
                    host.as_deref().unwrap_or("(any)")
                )),
                Some(l) if l.target.backend.is_some() && l.target.backend == target.backend => {
                    Some(format!(
                        "canary path {} {} sends to the Service its main Ingress already sends to, so ingress-nginx \
                     ignores it",
                        p.path_type, p.path
                    ))
                }
                // The canary's Service is a main backend elsewhere: its
                // upstream was made without a traffic-shaping policy, so
                // the canary never takes a request (kubernetes/ingress-nginx#9458).
                Some(_) if target.backend.is_some() && primaries.contains(&target.backend) => {
                    Some(format!(
                        "canary path {} {} sends to a Service that a non-canary Ingress also sends to, so \
                         ingress-nginx gives it no traffic rules: it takes no request",
                        p.path_type, p.path
                    ))
                }
                Some(l) => {
                    if !l.canaries.is_empty() {
                        front.decisions.push(super::ingress::Decision {
                            ingress: c,
                            field: p.field.clone(),
                            message: format!(
                                "a second canary for {} {}: ingress-nginx routes to the first alternative backend \
                                 only, so this one receives nothing",
                                p.path_type, p.path
                            ),
                        });
                    }
                    l.canaries.push(Canary {
                        ingress: c,
                        path_index: pi,
                        target,
                        header: text("canary-by-header"),
                        header_value: text("canary-by-header-value"),
                        header_pattern: text("canary-by-header-pattern"),
                        cookie: text("canary-by-cookie"),
                        weight: number("canary-weight").unwrap_or(0),
                        total: number("canary-weight-total").unwrap_or(CANARY_WEIGHT_TOTAL),
                    });
                    None
                }
            };
            if let Some(message) = why {
                front.decisions.push(super::ingress::Decision {
                    ingress: c,
                    field: p.field.clone(),
                    message,
                });
            }
        }
    }
}

/// The location nginx picks for a request in a server.
pub(super) fn location(front: &Front, server: &Server, req: &Request) -> Found {
    let path = req.path_only();
    if server.regex {
        // The controller writes longer paths first; nginx takes the first
        // regular expression that matches.
        let mut order: Vec<usize> = (0..server.locations.len()).collect();
        order.sort_by(|&a, &b| {
            let (pa, pb) = (&server.locations[a].path, &server.locations[b].path);
            pb.len().cmp(&pa.len()).then_with(|| pb.cmp(pa))
        });
        for k in order {
            match regex_location_matches(front, &server.locations[k], path, true) {
                Ok(true) => return Found::Location(k),
                Ok(false) => {}
                Err(depends) => return depends,
            }
        }
        return Found::Fallback;
    }
    // `= PATH` locations first: Exact paths, and a Prefix path's own
    // (`updateServerLocations` in `location.go` adds `= /p` beside `/p/`).
    if let Some(k) = server
        .locations
        .iter()
        .position(|l| l.path == path && matches!(l.kind, PathKind::Exact | PathKind::Prefix))
    {
        let exact = server
            .locations
            .iter()
            .position(|l| l.path == path && l.kind == PathKind::Exact);
        return Found::Location(exact.unwrap_or(k));
    }
    if let Some(k) = slash_redirect(server, path) {
        return Found::SlashRedirect(k);
    }
    let mut best: Option<(usize, usize)> = None;
    for (k, l) in server.locations.iter().enumerate() {
        let prefix = match l.kind {
            PathKind::Exact => continue,
            PathKind::Prefix if l.path == "/" || l.path.ends_with('/') => l.path.clone(),
            PathKind::Prefix => format!("{}/", l.path),
            PathKind::ImplementationSpecific => l.path.clone(),
        };
        if path.starts_with(&prefix) && best.is_none_or(|(_, len)| prefix.len() > len) {
            best = Some((k, prefix.len()));
        }
    }
    match best {
        Some((k, _)) => Found::Location(k),
        None => Found::Fallback,
    }
}

/// A request a location serves: to its first canary by header, cookie
/// or weight, else to its backend.
pub(super) fn forward(front: &Front, loc: &Location, req: &Request) -> Answer {
    let main = loc.served_by();
    let Some(c) = loc.canaries.first() else {
        return Answer::by(super::ingress::forward(front, &loc.target), vec![main]);
    };
    let canary = ServedBy::Ingress {
        ingress: c.ingress,
        path: c.path_index,
    };
    let only = |t: &Target, by: ServedBy| Answer::by(super::ingress::forward(front, t), vec![by]);
    if let Some(h) = c.header.as_deref().and_then(|name| req.header(name)) {
        if let Some(v) = &c.header_value {
            if h == v {
                return only(&c.target, canary);
            }
        } else if let Some(pattern) = &c.header_pattern {
            match front.regexes.matches(pattern, h, false, false) {
                Some(true) => return only(&c.target, canary),
                Some(false) => {}
                None => {
                    return Answer::depends(
                        format!(
                            "canary-by-header-pattern {pattern} is a PCRE svcx cannot evaluate"
                        ),
                        vec![main, canary],
                    );
                }
            }
        } else if h == "always" {
            return only(&c.target, canary);
        } else if h == "never" {
            return only(&loc.target, main);
        }
    }
    if let Some(v) = c.cookie.as_deref().and_then(|name| req.cookie(name)) {
        match v {
            "always" => return only(&c.target, canary),
            "never" => return only(&loc.target, main),
            _ => {}
        }
    }
    // `math.random(weightTotal) <= weight`, where a total under 100 counts
    // as 100.
    let total = c.total.max(CANARY_WEIGHT_TOTAL);
    let weight = c.weight.min(total);
    if weight == 0 {
        return only(&loc.target, main);
    }
    if weight == total {
        return only(&c.target, canary);
    }
    let (Some(m), Some(cb)) = (&loc.target.backend, &c.target.backend) else {
        return Answer::by(Outcome::Respond { status: 503 }, vec![main, canary]);
    };
    Answer::by(
        Outcome::Forward {
            backends: vec![
                Share {
                    backend: m.clone(),
                    weight: total - weight,
                },
                Share {
                    backend: cb.clone(),
                    weight,
                },
            ],
        },
        vec![main, canary],
    )
}

/// The prefix location `/p/` that answers a request for `/p` with nginx's
/// own 301 to `/p/` (`ngx_http_core_module` `location`: "a permanent
/// redirect with the code 301 will be returned" for a prefix ending in a
/// slash and served by proxy_pass), where there is one.
pub(super) fn slash_redirect(server: &Server, path: &str) -> Option<usize> {
    server.locations.iter().position(|l| {
        l.regex.is_none()
            && l.kind != PathKind::Exact
            && l.path.len() > 1
            && l.path.strip_suffix('/') == Some(path)
    })
}

/// Whether nginx's regular-expression location `~ "^PATH"` (`~*` when
/// `case_insensitive`) matches `path`; a pattern nginx reads (PCRE) that
/// the crate cannot is "depends".
pub(super) fn regex_location_matches(
    front: &Front,
    loc: &Location,
    path: &str,
    case_insensitive: bool,
) -> Result<bool, Found> {
    front
        .regexes
        .matches(
            &format!("^{}", loc.path.trim_start_matches('^')),
            path,
            case_insensitive,
            false,
        )
        .ok_or_else(|| {
            Found::Depends(
                format!(
                    "path {} is a regular expression nginx (PCRE) reads, which svcx cannot evaluate",
                    loc.path
                ),
                vec![loc.served_by()],
            )
        })
}
