//! Which route rule or Ingress path serves a request, for trace targets
//! such as `shop.example.com/api` or a Gateway's address and port.
//!
//! Gateway API precedence (HTTPRoute `hostnames` and `rules` docs in
//! `gateway-api` 0.22 `httproutes.rs`): the most specific hostname first
//! (exact over wildcard, then the longest), then the most specific path
//! (`Exact` over `PathPrefix`, then the longest prefix, compared element by
//! element: `/abc` matches `/abc/def`, not `/abcdef`), then the route listed
//! first. Only conditions a plain request meets are considered: a match
//! that also needs a header, a query parameter or a method is not taken for
//! a bare HOST/PATH. gRPC requests are `POST /package.Service/Method`.
//! Ingress paths: `Exact`, `Prefix` (element-wise, like PathPrefix), and
//! `ImplementationSpecific`, which most controllers treat as a prefix; the
//! default backend serves what nothing else matches.

use super::hostnames::{gateway_host_matches, ingress_host_matches, specificity};
use super::shape::{RouteKind, plain};
use super::{RouteFacts, RouteIndex, RuleFacts};
use serde_json::Value;
use std::collections::BTreeMap;

/// The rule or Ingress path that serves a request at one entry point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServedBy {
    /// A route rule, through one listener of one Gateway.
    Route {
        route: usize,
        rule: usize,
        gateway: usize,
        listener: usize,
    },
    /// An Ingress path, through its class's controller.
    Ingress { ingress: usize, path: usize },
}

/// Who serves a request, and the Services it goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Served {
    pub by: ServedBy,
    /// `(Service position, port position)` of each backend that resolves.
    pub backends: Vec<(usize, usize)>,
}

/// How well a request matches: hostname, then path, then order.
type Rank = ((bool, usize), (u8, usize));

impl RouteIndex {
    /// Who serves `host` + `path` (a gRPC path is `/Service/Method`), on
    /// `port` if given: the best rule at each Gateway port and for each
    /// Ingress class.
    pub fn serving(&self, host: &str, path: &str, port: Option<i32>) -> Vec<Served> {
        let mut best: BTreeMap<(usize, i32), (Rank, ServedBy)> = BTreeMap::new();
        for (ri, route) in self.routes.iter().enumerate() {
            if !route.kind.has_hostnames() {
                continue;
            }
            for p in &route.parents {
                let Some(g) = p.gateway_index else { continue };
                for l in &p.listeners {
                    if port.is_some_and(|want| want != l.port) {
                        continue;
                    }
                    let Some(host_rank) = host_rank(&l.hostnames, host) else {
                        continue;
                    };
                    for (r, rule) in route.rules.iter().enumerate() {
                        let Some(path_rank) = path_rank(route, rule, path) else {
                            continue;
                        };
                        let rank = (host_rank, path_rank);
                        let by = ServedBy::Route {
                            route: ri,
                            rule: r,
                            gateway: g,
                            listener: l.index,
                        };
                        let slot = best.entry((g, l.port)).or_insert((rank, by));
                        // Earlier routes win ties, so only a better rank replaces.
                        if rank > slot.0 {
                            *slot = (rank, by);
                        }
                    }
                }
            }
        }
        let mut out: Vec<Served> = best
            .into_values()
            .map(|(_, by)| Served {
                backends: self.backends_of(by),
                by,
            })
            .collect();
        let mut by_class: BTreeMap<Option<String>, (Rank, ServedBy)> = BTreeMap::new();
        for (ii, ing) in self.ingresses.iter().enumerate() {
            for (pi, p) in ing.paths.iter().enumerate() {
                if let Some(want) = port
                    && want != 80
                    && !(want == 443 && p.tls)
                {
                    continue;
                }
                let host_rank = match &p.host {
                    None => (false, 0),
                    Some(h) if ingress_host_matches(h, host) => specificity(Some(h)),
                    Some(_) => continue,
                };
                let path_rank = match (p.rule, p.path_type.as_str()) {
                    // The default backend: after every rule.
                    (None, _) => (0, 0),
                    (_, "Exact") if p.path == path => (3, p.path.len()),
                    (_, "Exact") => continue,
                    (_, _) if prefix_matches(&p.path, path) => (2, p.path.len()),
                    _ => continue,
                };
                let rank = (host_rank, path_rank);
                let by = ServedBy::Ingress {
                    ingress: ii,
                    path: pi,
                };
                let slot = by_class.entry(ing.class.clone()).or_insert((rank, by));
                if rank > slot.0 {
                    *slot = (rank, by);
                }
            }
        }
        out.extend(by_class.into_values().map(|(_, by)| Served {
            backends: self.backends_of(by),
            by,
        }));
        out
    }

    /// Every rule of every route attached to Gateway `gateway` on `port`
    /// (every listener when `None`).
    pub fn served_at(&self, gateway: usize, port: Option<i32>) -> Vec<Served> {
        let mut out = Vec::new();
        for (ri, route) in self.routes.iter().enumerate() {
            for p in route
                .parents
                .iter()
                .filter(|p| p.gateway_index == Some(gateway))
            {
                for l in p
                    .listeners
                    .iter()
                    .filter(|l| port.is_none_or(|want| want == l.port))
                {
                    for r in 0..route.rules.len() {
                        let by = ServedBy::Route {
                            route: ri,
                            rule: r,
                            gateway,
                            listener: l.index,
                        };
                        if !out.iter().any(|s: &Served| s.by == by) {
                            out.push(Served {
                                backends: self.backends_of(by),
                                by,
                            });
                        }
                    }
                }
            }
        }
        out
    }

    fn backends_of(&self, by: ServedBy) -> Vec<(usize, usize)> {
        match by {
            ServedBy::Route { route, rule, .. } => self.routes[route].rules[rule]
                .backends
                .iter()
                .filter(|b| b.resolved())
                .filter_map(|b| Some((b.service?, b.port_index?)))
                .collect(),
            ServedBy::Ingress { ingress, path } => {
                let p = &self.ingresses[ingress].paths[path];
                p.target.zip(p.port_index).into_iter().collect()
            }
        }
    }
}

/// How specifically `host` matches hostnames a route serves on a listener
/// (empty: any host); `None` when it does not.
fn host_rank(hostnames: &[String], host: &str) -> Option<(bool, usize)> {
    if hostnames.is_empty() {
        return Some((false, 0));
    }
    hostnames
        .iter()
        .filter(|h| gateway_host_matches(h, host))
        .map(|h| specificity(Some(h)))
        .max()
}

/// How specifically a rule matches `path`; `None` when it does not.
fn path_rank(route: &RouteFacts, rule: &RuleFacts, path: &str) -> Option<(u8, usize)> {
    match route.kind {
        RouteKind::Tls => Some((0, 0)),
        RouteKind::Grpc => {
            // Only a gRPC path, `/Service/Method`, is a gRPC request.
            let (service, method) = path.trim_start_matches('/').split_once('/')?;
            if service.is_empty() || method.is_empty() || method.contains('/') {
                return None;
            }
            if rule.raw_matches.is_empty() {
                return Some((0, 0));
            }
            rule.raw_matches
                .iter()
                .filter(|m| {
                    m.get("headers")
                        .and_then(Value::as_array)
                        .is_none_or(Vec::is_empty)
                })
                .filter_map(|m| {
                    let Some(want) = m.get("method") else {
                        return Some((0, 0));
                    };
                    let s = want.get("service").and_then(Value::as_str);
                    let me = want.get("method").and_then(Value::as_str);
                    let exact =
                        want.get("type").and_then(Value::as_str).unwrap_or("Exact") == "Exact";
                    (exact && s.is_none_or(|s| s == service) && me.is_none_or(|m| m == method))
                        .then(|| (1 + u8::from(me.is_some()), s.map_or(0, str::len)))
                })
                .max()
        }
        _ => {
            if rule.raw_matches.is_empty() {
                return Some((1, 1));
            }
            rule.raw_matches
                .iter()
                .filter(|m| plain(m))
                .filter_map(|m| {
                    let p = m.get("path");
                    let kind = p
                        .and_then(|p| p.get("type"))
                        .and_then(Value::as_str)
                        .unwrap_or("PathPrefix");
                    let value = p
                        .and_then(|p| p.get("value"))
                        .and_then(Value::as_str)
                        .unwrap_or("/");
                    match kind {
                        "Exact" => (value == path).then_some((2, value.len())),
                        "PathPrefix" => prefix_matches(value, path).then_some((1, value.len())),
                        _ => None,
                    }
                })
                .max()
        }
    }
}

/// Element-wise prefix match; a trailing `/` on the prefix is ignored.
fn prefix_matches(prefix: &str, path: &str) -> bool {
    let p = prefix.trim_end_matches('/');
    p.is_empty() || path == p || path.starts_with(&format!("{p}/"))
}

#[cfg(test)]
mod tests {
    use super::prefix_matches;

    /// HTTPRoute PathPrefix: "/abc", "/abc/" and "/abc/def" match "/abc";
    /// "/abcd" does not.
    #[test]
    fn prefixes_match_element_by_element() {
        assert!(prefix_matches("/abc", "/abc"));
        assert!(prefix_matches("/abc/", "/abc"));
        assert!(prefix_matches("/abc", "/abc/def"));
        assert!(!prefix_matches("/abc", "/abcd"));
        assert!(prefix_matches("/", "/anything"));
    }
}
