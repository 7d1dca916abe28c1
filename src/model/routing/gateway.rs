//! Gateway API request routing, as the specification states it.
//!
//! Sources (kubernetes-sigs/gateway-api, `apis/v1/httproute_types.go` and
//! `grpcroute_types.go`; the same text is in the `gateway-api` crate's
//! `httproutes.rs`): a request reaches the listener of its port whose
//! hostname matches it most specifically; across the rules of every route
//! attached there, precedence goes to the most specific matching hostname
//! (non-wildcard characters, then characters), then an `Exact` path, then
//! the longest `PathPrefix`, then a method match, then the most header
//! matches, then the most query parameter matches; "the precedence of
//! RegularExpression path matches are implementation-specific". Ties across
//! routes go to the oldest route by creation timestamp, then to the first
//! by `{namespace}/{name}`; within a route, to the first matching rule.
//! A backendRef of weight 0 receives nothing; the share of an invalid
//! backendRef answers 500, and so does a rule all of whose backendRefs are
//! invalid or that has none (`shared_types.go` BackendRef `weight`,
//! `httproute_types.go` `backendRefs`); what a rule whose weights are all
//! 0 answers is not specified ([`ZERO_WEIGHTS_ANSWER`]: 500 on Envoy
//! Gateway, NGINX Gateway Fabric and Contour, 503 on Traefik; others:
//! "depends"). GRPCRoute: "If a GRPCRoute and an HTTPRoute attach to the same
//! Listener with matching hostnames, the implementation must accept only
//! the one created first" (older route wins; the newer is not accepted).
//!
//! Whether a request that no rule of the most specific hostname's routes
//! matches falls to a less specific hostname's the specification does not
//! say: Envoy Gateway, Istio, NGINX Gateway Fabric, Contour and kgateway,
//! one virtual host per hostname, answer 404 ([`VIRTUAL_HOST_PER_HOSTNAME`]); for other
//! classes it is "depends". NGINX Gateway Fabric picks an nginx location by
//! the path alone and weighs only the rules of that path, 404 when none is
//! met ([`PATH_FIRST`]). A
//! `RegularExpression` header or query parameter match is evaluated as a
//! whole-value regular expression (its support is implementation-specific).
//! A RegularExpression path ranks where the implementation ranks it
//! ([`REGEX_RANKS`]: between Exact and PathPrefix for Envoy Gateway,
//! Cilium, NGINX Gateway Fabric and Contour, below every PathPrefix for
//! Istio,
//! longer first); for other
//! classes, where it competes, "depends". Istio counts a PathPrefix's
//! length without its trailing `/`
//! ([`PREFIX_RANKED_WITHOUT_TRAILING_SLASH`]).
//!
//! Creation times decide ties. A route read from a cluster has one; a
//! route from a manifest may not, and a route this run writes has none yet
//! (it will be newer than every route that exists, and two written routes
//! are ordered by when they are applied). Where the order is not known and
//! decides, the answer is [`Outcome::Depends`].

use super::regex::Regexes;
use super::{Answer, Outcome, Request, Scheme, ServedBy, Share, prefix_matches};
use crate::model::finding::Severity;
use crate::model::routes::gateway::{
    CONTOUR_CONTROLLER, PATH_FIRST, PREFIX_RANKED_WITHOUT_TRAILING_SLASH, REGEX_RANKS, RegexRank,
    TRAEFIK_CONTROLLER, VIRTUAL_HOST_PER_HOSTNAME, ZERO_WEIGHTS_ANSWER,
    nginx_gateway_fabric_accepts_regex_path,
};
use crate::model::routes::hostnames::{gateway_host_matches, specificity};
use crate::model::routes::{RouteFacts, RouteIndex, RouteKind, RuleFacts, match_path};
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

/// How old a route is, for the tie-break by creation time.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Age {
    /// `metadata.creationTimestamp` (RFC 3339, which sorts as text).
    At(String),
    /// Not in the input.
    Unknown,
    /// Written by this run: newer than every route that exists.
    New,
}

/// Which of two routes is older: `None` when the input cannot say.
fn older(a: &Age, b: &Age) -> Option<Ordering> {
    match (a, b) {
        (Age::At(x), Age::At(y)) => Some(x.cmp(y)),
        (Age::New, Age::New) | (Age::Unknown, _) | (_, Age::Unknown) => None,
        (Age::New, _) => Some(Ordering::Greater),
        (_, Age::New) => Some(Ordering::Less),
    }
}

/// Routes one Gateway API request at a time over a [`RouteIndex`].
pub(crate) struct GatewayRouter<'a> {
    ix: &'a RouteIndex,
    /// `(kind, namespace, name)` of the routes this run writes.
    new: HashSet<(RouteKind, String, String)>,
    regexes: Regexes,
    /// `(gateway, listener)` → the routes attached there, with the
    /// hostnames each serves there: built once, so that a request looks at
    /// the routes of its listener only.
    attached: Attachments<'a>,
    /// `(gateway, port)` → its listeners by hostname, built once.
    ports: HashMap<(usize, i32), PortListeners>,
}

/// The listeners of one Gateway port, by hostname (lower case).
#[derive(Default)]
struct PortListeners {
    all: Vec<usize>,
    exact: HashMap<String, Vec<usize>>,
    /// `*.example.com` as `(listener, "example.com")`.
    wildcard: Vec<(usize, String)>,
    /// Listeners without a hostname.
    any: Vec<usize>,
}

/// Every Gateway's listeners by port and hostname.
fn port_listeners(ix: &RouteIndex) -> HashMap<(usize, i32), PortListeners> {
    let mut out: HashMap<(usize, i32), PortListeners> = HashMap::new();
    for (g, gw) in ix.gateways.iter().enumerate() {
        for (l, listener) in gw.listeners.iter().enumerate() {
            let at = out.entry((g, listener.port)).or_default();
            at.all.push(l);
            match listener.hostname.as_deref().map(str::to_ascii_lowercase) {
                None => at.any.push(l),
                Some(h) => match h.strip_prefix("*.") {
                    Some(suffix) => at.wildcard.push((l, suffix.to_string())),
                    None => at.exact.entry(h).or_default().push(l),
                },
            }
        }
    }
    out
}

/// `(gateway, listener)` → `(route, hostnames it serves there)`.
type Attachments<'a> = HashMap<(usize, usize), Vec<(usize, &'a [String])>>;

/// The routes attached to each listener of each Gateway.
fn attachments(ix: &RouteIndex) -> Attachments<'_> {
    let mut out = Attachments::new();
    for (ri, route) in ix.routes.iter().enumerate() {
        for p in &route.parents {
            let Some(g) = p.gateway_index else { continue };
            for l in &p.listeners {
                let at = out.entry((g, l.index)).or_default();
                if !at.iter().any(|(r, _)| *r == ri) {
                    at.push((ri, l.hostnames.as_slice()));
                }
            }
        }
    }
    out
}

/// How well one match meets a request, past the hostname: path type and
/// length, method, header and query counts.
type MatchRank = (u8, usize, bool, usize, usize);

/// How well one rule's match meets a request: hostname, then path type
/// and length, method, header and query counts. A regex path's rank is
/// the implementation's (the specification leaves it to it).
type Rank = ((bool, usize), u8, usize, bool, usize, usize);

/// A rule that matches, and how well.
struct Candidate {
    route: usize,
    rule: usize,
    rank: Rank,
    regex: bool,
}

impl<'a> GatewayRouter<'a> {
    pub(crate) fn new(ix: &'a RouteIndex) -> Self {
        GatewayRouter {
            ix,
            new: HashSet::new(),
            regexes: Regexes::default(),
            attached: attachments(ix),
            ports: port_listeners(ix),
        }
    }

    /// The same, where the routes named were written by this run.
    pub(crate) fn with_new_routes(
        ix: &'a RouteIndex,
        new: impl IntoIterator<Item = (RouteKind, String, String)>,
    ) -> Self {
        GatewayRouter {
            ix,
            new: new.into_iter().collect(),
            regexes: Regexes::default(),
            attached: attachments(ix),
            ports: port_listeners(ix),
        }
    }

    fn age(&self, route: &RouteFacts) -> Age {
        if self
            .new
            .contains(&(route.kind, route.namespace.clone(), route.name.clone()))
        {
            return Age::New;
        }
        match &route.created {
            Some(t) => Age::At(t.clone()),
            None => Age::Unknown,
        }
    }

    /// What Gateway `gateway` (its position) does with `req` on `port`.
    pub(crate) fn answer(&self, gateway: usize, port: i32, req: &Request) -> Answer {
        let Some(g) = self.ix.gateways.get(gateway) else {
            return Answer::new(Outcome::Refused);
        };
        let protocols: &[&str] = match req.scheme {
            Scheme::Http => &["HTTP"],
            Scheme::Https => &["HTTPS", "TLS"],
        };
        let fits = |l: usize| protocols.contains(&g.listeners[l].protocol.as_str());
        let Some(on_port) = self
            .ports
            .get(&(gateway, port))
            .filter(|p| p.all.iter().any(|&l| fits(l)))
        else {
            return Answer::new(Outcome::Refused);
        };
        // The listener whose hostname matches most specifically: exact,
        // then the longest wildcard, then none.
        let exact = on_port
            .exact
            .get(&req.host)
            .and_then(|ls| ls.iter().copied().find(|&l| fits(l)));
        let wildcard = || {
            on_port
                .wildcard
                .iter()
                .filter(|&&(l, _)| fits(l))
                .filter(|(_, suffix)| {
                    req.host.len() > suffix.len() + 1
                        && req.host.ends_with(suffix.as_str())
                        && req.host.as_bytes()[req.host.len() - suffix.len() - 1] == b'.'
                })
                .max_by_key(|(_, suffix)| suffix.len())
                .map(|&(l, _)| l)
        };
        let Some(listener) = exact
            .or_else(wildcard)
            .or_else(|| on_port.any.iter().copied().find(|&l| fits(l)))
        else {
            return Answer::new(Outcome::NoRoute);
        };
        let tls_passthrough = g.listeners[listener].protocol == "TLS";
        let controller = g.controller.as_deref();
        if controller == Some(TRAEFIK_CONTROLLER) && !tls_passthrough {
            return self.traefik_answer(gateway, port, &on_port.all, req);
        }
        let reading = PathReading {
            trim_prefix: controller
                .is_some_and(|c| PREFIX_RANKED_WITHOUT_TRAILING_SLASH.contains(&c)),
            path_first: controller.is_some_and(|c| PATH_FIRST.contains(&c)),
        };
        let mut candidates: Vec<Candidate> = Vec::new();
        // Every HTTPRoute rule of the hostnames that cover the request, with
        // how specifically: where the path alone picks the location
        // ([`PATH_FIRST`]), it is picked among them all.
        let mut by_host: Vec<((bool, usize), usize, usize)> = Vec::new();
        // The most specific hostname among the routes for this host,
        // whether or not a rule of theirs matches the request.
        let mut vhost: Option<(bool, usize)> = None;
        for &(ri, hostnames) in self.attached_to(gateway, listener) {
            let route = &self.ix.routes[ri];
            let fits = match route.kind {
                RouteKind::Tls => tls_passthrough,
                RouteKind::Http => !tls_passthrough,
                RouteKind::Grpc => !tls_passthrough && req.is_grpc(),
                _ => false,
            };
            if !fits {
                continue;
            }
            let Some(host_rank) = host_rank(hostnames, &req.host) else {
                continue;
            };
            vhost = vhost.max(Some(host_rank));
            for (r, rule) in route.rules.iter().enumerate() {
                if reading.path_first && route.kind == RouteKind::Http {
                    by_host.push((host_rank, ri, r));
                }
                if let Some((rest, regex)) = self.rule_rank(route.kind, rule, req, reading) {
                    candidates.push(Candidate {
                        route: ri,
                        rule: r,
                        rank: (host_rank, rest.0, rest.1, rest.2, rest.3, rest.4),
                        regex,
                    });
                }
            }
        }
        let served = |c: &Candidate| ServedBy::Route {
            route: c.route,
            rule: c.rule,
            gateway,
            listener,
        };
        // An HTTPRoute and a GRPCRoute for one hostname on one listener:
        // only the older is accepted.
        if let Some(answer) = self.kind_conflict(&mut candidates, &served) {
            return answer;
        }
        let Some(best_host) = candidates.iter().map(|c| c.rank.0).max() else {
            return Answer::new(Outcome::NoRoute);
        };
        // A more specific hostname's routes match no rule for it, a less
        // specific one's do: implementations with a virtual host per
        // hostname answer 404 ([`VIRTUAL_HOST_PER_HOSTNAME`]); the
        // specification ranks the rules that match, hostname first, and
        // does not say.
        if vhost > Some(best_host) {
            if controller.is_some_and(|c| VIRTUAL_HOST_PER_HOSTNAME.contains(&c)) {
                return Answer::new(Outcome::NoRoute);
            }
            return Answer::depends(
                "a route with a more specific hostname matches no rule for this request, and whether a route of \
                 a less specific hostname serves it instead is the implementation's (Envoy Gateway, Istio: 404, \
                 one virtual host per hostname)",
                candidates.iter().map(&served).collect(),
            );
        }
        candidates.retain(|c| c.rank.0 == best_host);
        if reading.path_first
            && candidates
                .iter()
                .all(|c| self.ix.routes[c.route].kind == RouteKind::Http)
        {
            let rules: Vec<&RuleFacts> = by_host
                .iter()
                .filter(|(h, _, _)| *h == best_host)
                .map(|&(_, ri, r)| &self.ix.routes[ri].rules[r])
                .collect();
            let location = self.nginx_location(&rules, req.path_only());
            candidates.retain(|c| {
                let rule = &self.ix.routes[c.route].rules[c.rule];
                location.is_some_and(|at| {
                    path_matches_of(rule).iter().any(|(m, path)| {
                        *path == at && m.is_none_or(|m| self.http_match(m, req, reading).is_some())
                    })
                })
            });
            if candidates.is_empty() {
                return Answer::new(Outcome::NoRoute);
            }
        }
        // Rules that tie but send the request to the same place leave no
        // doubt about where it goes.
        let outcomes: Vec<Outcome> = candidates
            .iter()
            .map(|c| {
                rule_outcome(
                    &self.ix.routes[c.route].rules[c.rule],
                    req,
                    port,
                    controller,
                )
            })
            .collect();
        if outcomes.windows(2).all(|w| w[0].same_as(&w[1])) {
            let mut by: Vec<ServedBy> = Vec::new();
            let best = candidates.iter().map(|c| c.rank).max().unwrap_or_default();
            for c in candidates.iter().filter(|c| c.rank == best || c.regex) {
                by.push(served(c));
            }
            if let Some(o) = outcomes.into_iter().next() {
                return Answer::by(o, by);
            }
        }
        // Where the implementation ranks regular expressions, they are
        // ranked as it does, longer first (a regex ranks (0, its length)).
        if let Some(&(_, place)) = REGEX_RANKS.iter().find(|(c, _)| Some(*c) == controller) {
            for c in &mut candidates {
                if place == RegexRank::BetweenExactAndPrefix {
                    c.rank.1 = match (c.regex, c.rank.1) {
                        (true, _) => 2,
                        (false, 2) => 3,
                        (false, p) => p,
                    };
                }
                c.regex = false;
            }
        }
        if candidates.iter().any(|c| c.regex) && candidates.len() > 1 {
            return Answer::depends(
                "a RegularExpression path match competes with other rules, and how regular expressions rank is \
                 implementation-specific",
                candidates.iter().map(served).collect(),
            );
        }
        let best = candidates.iter().map(|c| c.rank).max().unwrap_or_default();
        candidates.retain(|c| c.rank == best);
        // Across routes: the oldest, then namespace/name; within one route,
        // the first rule.
        let mut winner = 0;
        for i in 1..candidates.len() {
            let (a, b) = (&candidates[winner], &candidates[i]);
            if a.route == b.route {
                if b.rule < a.rule {
                    winner = i;
                }
                continue;
            }
            let (ra, rb) = (&self.ix.routes[a.route], &self.ix.routes[b.route]);
            // Contour sorts rules that tie but whose matches differ by the
            // rule's place in its route, then by header and query values,
            // before anything about the route (projectcontour/contour
            // 31c4bb3 internal/sorter/sorter.go `routeSorter.Less`, the
            // rule index as `Priority`); only identical matches go to the
            // older route (internal/dag/dag.go `HasConflictRoute`).
            if controller == Some(CONTOUR_CONTROLLER)
                && ra.rules[a.rule].raw_matches() != rb.rules[b.rule].raw_matches()
            {
                match b.rule.cmp(&a.rule) {
                    Ordering::Less => winner = i,
                    Ordering::Greater => {}
                    Ordering::Equal => {
                        return Answer::depends(
                            "rules of two routes match it equally at the same place in their routes, and Contour \
                             orders them by their header and query values",
                            candidates.iter().map(served).collect(),
                        );
                    }
                }
                continue;
            }
            match older(&self.age(ra), &self.age(rb)) {
                Some(Ordering::Less) => {}
                Some(Ordering::Greater) => winner = i,
                Some(Ordering::Equal) => {
                    if (&rb.namespace, &rb.name) < (&ra.namespace, &ra.name) {
                        winner = i;
                    }
                }
                None => {
                    return Answer::depends(
                        format!(
                            "{} {}/{} and {} {}/{} match it equally, and the older one wins: which is older is not \
                             known until they exist",
                            ra.kind.kind(),
                            ra.namespace,
                            ra.name,
                            rb.kind.kind(),
                            rb.namespace,
                            rb.name
                        ),
                        candidates.iter().map(served).collect(),
                    );
                }
            }
        }
        let c = &candidates[winner];
        let rule = &self.ix.routes[c.route].rules[c.rule];
        Answer::by(rule_outcome(rule, req, port, controller), vec![served(c)])
    }

    /// The routes attached to a listener, with the hostnames each serves
    /// there.
    fn attached_to(&self, gateway: usize, listener: usize) -> &[(usize, &'a [String])] {
        self.attached
            .get(&(gateway, listener))
            .map_or(&[][..], Vec::as_slice)
    }

    /// How Traefik's Gateway provider answers (traefik/traefik fd5a576
    /// pkg/provider/kubernetes/gateway/httproute.go): every match of every
    /// HTTPRoute on the port's listeners is one router of the port's entry
    /// point, and the router of highest priority among those that match
    /// serves, across hostnames (pkg/muxer/http/mux.go). Its priority is a
    /// sum: the path (Exact 100000; PathPrefix `/` 1; another PathPrefix or
    /// a RegularExpression 10000 plus 100 per character), 1000 for a
    /// method, 100 per header, 10 per query parameter, the length of the
    /// route's longest hostname, and the rules after the match's own in its
    /// route plus one. Its regular expressions match anywhere in the path
    /// (Go's `MatchString`). Routers of equal priority are tried in no
    /// fixed order: where they answer differently, it depends.
    fn traefik_answer(
        &self,
        gateway: usize,
        port: i32,
        listeners: &[usize],
        req: &Request,
    ) -> Answer {
        let path = req.path_only();
        let mut best: Option<u64> = None;
        let mut top: Vec<(ServedBy, Outcome)> = Vec::new();
        let mut seen: HashSet<usize> = HashSet::new();
        for &listener in listeners {
            for &(ri, hostnames) in self.attached_to(gateway, listener) {
                let route = &self.ix.routes[ri];
                if route.kind != RouteKind::Http
                    || host_rank(hostnames, &req.host).is_none()
                    || !seen.insert(ri)
                {
                    continue;
                }
                let host = hostnames.iter().map(String::len).max().unwrap_or(0) as u64;
                for (r, rule) in route.rules.iter().enumerate() {
                    let rest = (route.rules.len() - r) as u64;
                    for (m, (kind, value)) in path_matches_of(rule) {
                        let path_priority = match kind {
                            "Exact" if value == path => 100_000,
                            "PathPrefix" if value == "/" => 1,
                            "PathPrefix" if prefix_matches(value, path) => {
                                10_000 + 100 * value.len() as u64
                            }
                            "RegularExpression"
                                if self.regexes.matches(value, path, false, false)
                                    == Some(true) =>
                            {
                                10_000 + 100 * value.len() as u64
                            }
                            _ => continue,
                        };
                        let (method, headers, query) = match m {
                            None => (false, 0, 0),
                            Some(m) => match self.conditions_met(m, req) {
                                Some(met) => met,
                                None => continue,
                            },
                        };
                        let (method, headers, query) = (
                            if method { 1000 } else { 0 },
                            100 * headers as u64,
                            10 * query as u64,
                        );
                        let priority = path_priority + method + headers + query + host + rest;
                        let by = ServedBy::Route {
                            route: ri,
                            rule: r,
                            gateway,
                            listener,
                        };
                        if best.is_none_or(|b| priority > b) {
                            best = Some(priority);
                            top.clear();
                        }
                        if best == Some(priority) && !top.iter().any(|(b, _)| *b == by) {
                            top.push((by, rule_outcome(rule, req, port, Some(TRAEFIK_CONTROLLER))));
                        }
                    }
                }
            }
        }
        let by: Vec<ServedBy> = top.iter().map(|(b, _)| *b).collect();
        match top.as_slice() {
            [] => Answer::new(Outcome::NoRoute),
            [(_, first), rest @ ..] if rest.iter().all(|(_, o)| o.same_as(first)) => {
                Answer::by(first.clone(), by)
            }
            _ => Answer::depends(
                "several of Traefik's routers match it with the same priority, and it tries them in no fixed order",
                by,
            ),
        }
    }

    /// Drops the routes that lose an HTTPRoute/GRPCRoute hostname conflict;
    /// an answer when who loses cannot be known.
    fn kind_conflict(
        &self,
        candidates: &mut Vec<Candidate>,
        served: &impl Fn(&Candidate) -> ServedBy,
    ) -> Option<Answer> {
        let kinds = |k: RouteKind| -> Vec<usize> {
            let mut out: Vec<usize> = candidates
                .iter()
                .filter(|c| self.ix.routes[c.route].kind == k)
                .map(|c| c.route)
                .collect();
            out.dedup();
            out
        };
        let (http, grpc) = (kinds(RouteKind::Http), kinds(RouteKind::Grpc));
        if http.is_empty() || grpc.is_empty() {
            return None;
        }
        let mut losers: HashSet<usize> = HashSet::new();
        for &h in &http {
            for &g in &grpc {
                let (rh, rg) = (&self.ix.routes[h], &self.ix.routes[g]);
                match older(&self.age(rh), &self.age(rg)) {
                    Some(Ordering::Greater) => {
                        losers.insert(h);
                    }
                    Some(_) => {
                        losers.insert(g);
                    }
                    None => {
                        return Some(Answer::depends(
                            format!(
                                "HTTPRoute {}/{} and GRPCRoute {}/{} serve one hostname on one listener, and only \
                                 the older is accepted: which is older is not known until they exist",
                                rh.namespace, rh.name, rg.namespace, rg.name
                            ),
                            candidates.iter().map(served).collect(),
                        ));
                    }
                }
            }
        }
        candidates.retain(|c| !losers.contains(&c.route));
        None
    }

    /// How the best match of a rule meets the request (path type, path
    /// length, method, headers, query), and whether that match is a regex.
    /// `trim_prefix`: a PathPrefix's length is counted without a trailing
    /// `/` ([`PREFIX_RANKED_WITHOUT_TRAILING_SLASH`]).
    fn rule_rank(
        &self,
        kind: RouteKind,
        rule: &RuleFacts,
        req: &Request,
        reading: PathReading,
    ) -> Option<(MatchRank, bool)> {
        let matches = rule.raw_matches();
        match kind {
            RouteKind::Tls => Some(((0, 0, false, 0, 0), false)),
            RouteKind::Grpc => {
                if matches.is_empty() {
                    return Some(((0, 0, false, 0, 0), false));
                }
                matches
                    .iter()
                    .filter_map(|m| self.grpc_match(m, req))
                    .max()
                    .map(|r| (r, false))
            }
            _ => {
                if matches.is_empty() {
                    // The default match: PathPrefix `/`.
                    return Some(((1, 1, false, 0, 0), false));
                }
                if reading.path_first && !nginx_accepts(rule) {
                    return None;
                }
                matches
                    .iter()
                    .filter_map(|m| self.http_match(m, req, reading))
                    .max_by_key(|(rank, regex)| (!regex, *rank))
            }
        }
    }

    fn http_match(
        &self,
        m: &Value,
        req: &Request,
        reading: PathReading,
    ) -> Option<(MatchRank, bool)> {
        let path = req.path_only();
        let (kind, value) = match_path(m);
        let (path_type, len, regex) = match kind {
            "Exact" => (value == path).then_some((2, value.len(), false))?,
            "PathPrefix" => {
                let counted = match value.trim_end_matches('/') {
                    "" => "/",
                    trimmed if reading.trim_prefix => trimmed,
                    _ => value,
                };
                prefix_matches(value, path).then_some((1, counted.len(), false))?
            }
            "RegularExpression" => {
                self.path_regex_matches(value, path, reading)?
                    .then_some((0, value.len(), true))?
            }
            _ => return None,
        };
        let (method, headers, query) = self.conditions_met(m, req)?;
        Some(((path_type, len, method, headers, query), regex))
    }

    /// A match's conditions past its path, if all are met: whether it names
    /// the request's method, and how many header and query parameter
    /// matches it has.
    fn conditions_met(&self, m: &Value, req: &Request) -> Option<(bool, usize, usize)> {
        let method = match m.get("method").and_then(Value::as_str) {
            None => false,
            Some(want) if want == request_method(req) => true,
            Some(_) => return None,
        };
        Some((
            method,
            self.headers_match(m, req)?,
            self.query_matches(m, req)?,
        ))
    }

    /// Whether a RegularExpression path matches: the whole path (Envoy's
    /// `safe_regex`), or from its start only where the implementation
    /// writes nginx's `~ ^PATTERN` ([`PATH_FIRST`]).
    fn path_regex_matches(&self, pattern: &str, path: &str, reading: PathReading) -> Option<bool> {
        if reading.path_first {
            self.regexes
                .matches(&format!("^(?:{pattern})"), path, false, false)
        } else {
            self.regexes.matches(pattern, path, false, true)
        }
    }

    /// The nginx location a path reaches among the rules of one hostname,
    /// as NGINX Gateway Fabric writes them ([`PATH_FIRST`]): an `=`
    /// location (an Exact path, or a PathPrefix without a trailing `/`,
    /// which is also `= PATH`), else the first regular expression in
    /// NGF's order (longer first, then by text), else the longest prefix
    /// (`/p/` for a PathPrefix `/p`), by characters.
    fn nginx_location<'r>(
        &self,
        rules: &[&'r RuleFacts],
        path: &str,
    ) -> Option<(&'r str, &'r str)> {
        let paths: Vec<(&str, &str)> = rules
            .iter()
            .filter(|r| nginx_accepts(r))
            .flat_map(|r| path_matches_of(r))
            .map(|(_, p)| p)
            .collect();
        if let Some(&exact) = paths.iter().find(|(kind, value)| {
            *value == path && (*kind == "Exact" || (*kind == "PathPrefix" && !value.ends_with('/')))
        }) {
            return Some(exact);
        }
        let mut regexes: Vec<(&str, &str)> = paths
            .iter()
            .copied()
            .filter(|(kind, _)| *kind == "RegularExpression")
            .collect();
        regexes.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.1.cmp(b.1)));
        let reading = PathReading {
            trim_prefix: false,
            path_first: true,
        };
        if let Some(&hit) = regexes
            .iter()
            .find(|(_, v)| self.path_regex_matches(v, path, reading) == Some(true))
        {
            return Some(hit);
        }
        paths
            .iter()
            .copied()
            .filter(|(kind, value)| {
                *kind == "PathPrefix" && {
                    let location = if value.ends_with('/') {
                        value.to_string()
                    } else {
                        format!("{value}/")
                    };
                    path.starts_with(&location)
                }
            })
            .max_by_key(|(_, value)| value.trim_end_matches('/').len())
    }

    /// GRPCRoute: "Characters in a matching service", "Characters in a
    /// matching method", then header matches.
    fn grpc_match(&self, m: &Value, req: &Request) -> Option<MatchRank> {
        let (service, method) = req.path_only().trim_start_matches('/').split_once('/')?;
        let mut rank = (0, 0, false, 0, 0);
        if let Some(want) = m.get("method") {
            let exact = want.get("type").and_then(Value::as_str).unwrap_or("Exact") == "Exact";
            let s = want.get("service").and_then(Value::as_str);
            let me = want.get("method").and_then(Value::as_str);
            let meets = |pattern: Option<&str>, value: &str| match pattern {
                None => Some(true),
                Some(p) if exact => Some(p == value),
                Some(p) => self.regexes.matches(p, value, false, true),
            };
            if !(meets(s, service)? && meets(me, method)?) {
                return None;
            }
            rank = (
                1,
                s.map_or(0, str::len),
                me.is_some(),
                me.map_or(0, str::len),
                0,
            );
        }
        rank.4 = self.headers_match(m, req)?;
        Some(rank)
    }

    /// The number of header matches, if all are met.
    fn headers_match(&self, m: &Value, req: &Request) -> Option<usize> {
        self.all_met(m.get("headers"), |name| req.header(name))
    }

    /// The number of query parameter matches, if all are met (a
    /// parameter's first value).
    fn query_matches(&self, m: &Value, req: &Request) -> Option<usize> {
        let query = req.path.split_once('?').map(|(_, q)| q).unwrap_or_default();
        self.all_met(m.get("queryParams"), |name| {
            query
                .split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v)
        })
    }

    /// How many of the header or query parameter matches `list` there are,
    /// if the request meets all of them (`value_of`: the request's value
    /// for a name): an exact value, or a regular expression over the whole
    /// value (support is implementation-specific; one svcx cannot compile
    /// has no answer).
    fn all_met<'r>(
        &self,
        list: Option<&Value>,
        value_of: impl Fn(&str) -> Option<&'r str>,
    ) -> Option<usize> {
        let list = list.and_then(Value::as_array);
        for item in list.into_iter().flatten() {
            let name = item.get("name").and_then(Value::as_str).unwrap_or_default();
            let want = item
                .get("value")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let have = value_of(name)?;
            let met = match item.get("type").and_then(Value::as_str).unwrap_or("Exact") {
                "Exact" => have == want,
                "RegularExpression" => self.regexes.matches(want, have, false, true)?,
                _ => return None,
            };
            if !met {
                return None;
            }
        }
        Some(list.map_or(0, Vec::len))
    }
}

/// How an implementation reads the path matches of HTTPRoute rules, where
/// the specification leaves it open.
#[derive(Clone, Copy, Debug)]
struct PathReading {
    /// A PathPrefix ranks by its length without a trailing `/`
    /// ([`PREFIX_RANKED_WITHOUT_TRAILING_SLASH`]).
    trim_prefix: bool,
    /// The path alone picks an nginx location ([`PATH_FIRST`]).
    path_first: bool,
}

/// A rule's matches with their path (type and value): a rule without
/// matches is one match of PathPrefix `/` (`None` for the match itself).
fn path_matches_of(rule: &RuleFacts) -> Vec<(Option<&Value>, (&str, &str))> {
    let matches = rule.raw_matches();
    if matches.is_empty() {
        return vec![(None, ("PathPrefix", "/"))];
    }
    matches.iter().map(|m| (Some(m), match_path(m))).collect()
}

/// Whether NGINX Gateway Fabric keeps a rule: every RegularExpression path
/// of it has the shape it accepts.
fn nginx_accepts(rule: &RuleFacts) -> bool {
    path_matches_of(rule).iter().all(|(_, (kind, value))| {
        *kind != "RegularExpression" || nginx_gateway_fabric_accepts_regex_path(value)
    })
}

/// `GET`, or `POST` for a gRPC call.
fn request_method(req: &Request) -> &'static str {
    if req.is_grpc() { "POST" } else { "GET" }
}

/// How specifically `host` matches the hostnames a route serves on a
/// listener (empty: any host); `None` when it does not.
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

/// What one rule does with a request it matches: a RequestRedirect
/// answers (302 unless it says otherwise); else its backends share the
/// request by weight, an invalid backend's share answering 500.
/// `controller`: the class's, where it decides what the specification
/// leaves open.
fn rule_outcome(rule: &RuleFacts, req: &Request, port: i32, controller: Option<&str>) -> Outcome {
    if let Some(redirect) = rule
        .raw_filters()
        .iter()
        .find(|f| f.get("type").and_then(Value::as_str) == Some("RequestRedirect"))
    {
        return redirect_outcome(redirect.get("requestRedirect"), rule, req, port);
    }
    let mut shares: Vec<Share> = Vec::new();
    let mut invalid = 0u32;
    if !rule.backends.is_empty() && rule.backends.iter().all(|b| b.weight <= 0) {
        if let Some(&(_, status)) = ZERO_WEIGHTS_ANSWER
            .iter()
            .find(|(c, _)| Some(*c) == controller)
        {
            return Outcome::Respond { status };
        }
        return Outcome::Depends {
            why: "every backendRef of the rule has weight 0, and what the implementation answers then is not \
                  specified"
                .into(),
        };
    }
    for b in &rule.backends {
        let weight = u32::try_from(b.weight).unwrap_or(0);
        if weight == 0 {
            continue;
        }
        // A Service that is not in the input (files) may exist: only an
        // error (a Service the cluster lacks, a reference not permitted)
        // makes the backendRef invalid.
        let valid = !b.findings.iter().any(|f| f.severity == Severity::Error);
        match (valid, b.port) {
            (true, Some(port)) => shares.push(Share {
                backend: format!("{}/{}:{port}", b.namespace, b.name),
                weight,
            }),
            _ => invalid = invalid.saturating_add(weight),
        }
    }
    if shares.is_empty() {
        return Outcome::Respond { status: 500 };
    }
    if invalid > 0 {
        shares.push(Share {
            backend: INVALID_BACKEND.into(),
            weight: invalid,
        });
    }
    Outcome::Forward { backends: shares }
}

/// The share of requests sent to an invalid backendRef, which answer 500.
pub(crate) const INVALID_BACKEND: &str = "(invalid backendRef: 500)";

/// A RequestRedirect's answer, its `Location` as the specification builds
/// it (HTTPRoute `HTTPRequestRedirectFilter`): the scheme, hostname and
/// path the filter gives, else the request's; `ReplacePrefixMatch`
/// replacing the part of the path the rule's PathPrefix matched; the port
/// the filter gives, else the scheme's well-known port when the filter
/// names a scheme, else the listener's, left out where it is the scheme's
/// own (http 80, https 443). The query string is kept.
fn redirect_outcome(
    r: Option<&Value>,
    rule: &RuleFacts,
    req: &Request,
    listener_port: i32,
) -> Outcome {
    let s = |k: &str| r.and_then(|r| r.get(k)).and_then(Value::as_str);
    let status = r
        .and_then(|r| r.get("statusCode"))
        .and_then(Value::as_u64)
        .and_then(|c| u16::try_from(c).ok())
        .unwrap_or(302);
    let scheme = match s("scheme") {
        Some("https") => Some(Scheme::Https),
        Some("http") => Some(Scheme::Http),
        _ => None,
    };
    let to_scheme = scheme.unwrap_or(req.scheme);
    let port = r
        .and_then(|r| r.get("port"))
        .and_then(Value::as_i64)
        .and_then(|p| i32::try_from(p).ok())
        .unwrap_or(match scheme {
            Some(Scheme::Http) => 80,
            Some(Scheme::Https) => 443,
            None => listener_port,
        });
    let well_known = matches!((to_scheme, port), (Scheme::Http, 80) | (Scheme::Https, 443));
    let query = &req.path[req.path_only().len()..];
    let modifier = r.and_then(|r| r.get("path"));
    let text = |k: &str| modifier.and_then(|m| m.get(k)).and_then(Value::as_str);
    let path = match (text("replaceFullPath"), text("replacePrefixMatch")) {
        (Some(full), _) => format!("{full}{query}"),
        (None, Some(with)) => format!("{}{query}", replace_prefix(rule, req.path_only(), with)),
        (None, None) => req.path.clone(),
    };
    let host = s("hostname").unwrap_or(&req.host);
    let location = if well_known {
        format!("{to_scheme}://{host}{path}")
    } else {
        format!("{to_scheme}://{host}:{port}{path}")
    };
    Outcome::Redirect {
        status,
        scheme,
        location: Some(location),
    }
}

/// `path` with the longest PathPrefix of the rule that matches it replaced
/// by `with`, element by element (prefix `/foo`, replacement `/xyz`:
/// `/foo/bar` → `/xyz/bar`, `/foo` → `/xyz`, `/foo/` → `/xyz/`; replacement
/// `/`: `/foo/bar` → `/bar`).
fn replace_prefix(rule: &RuleFacts, path: &str, with: &str) -> String {
    let prefix = rule
        .raw_matches()
        .iter()
        .filter_map(|m| m.get("path"))
        .filter(|p| {
            p.get("type")
                .and_then(Value::as_str)
                .unwrap_or("PathPrefix")
                == "PathPrefix"
        })
        .filter_map(|p| p.get("value").and_then(Value::as_str))
        .chain(rule.raw_matches().is_empty().then_some("/"))
        .filter(|p| super::prefix_matches(p, path))
        .map(|p| p.trim_end_matches('/'))
        .max_by_key(|p| p.len())
        .unwrap_or("");
    let rest = &path[prefix.len().min(path.len())..];
    let joined = format!("{}{rest}", with.trim_end_matches('/'));
    if joined.is_empty() {
        "/".to_string()
    } else {
        joined
    }
}
