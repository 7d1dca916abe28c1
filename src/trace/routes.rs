//! The ways in that routes give a Service port, as hops in front of it:
//! client → Gateway address → listener → route rule → backendRef →
//! endpoints, and for an Ingress: client → (the controller's own load
//! balancer, when its Service is in the input) → Ingress controller → rule
//! → backend → endpoints. Gateways and Ingress controllers send to the
//! endpoints directly, not through the cluster IP.
//!
//! Everything comes from the model's resolved routes (the view's
//! [`ServiceRoute`]s and the [`RouteIndex`](crate::model::routes::RouteIndex));
//! verdicts come from their findings through [`Hop::with_findings`].

use super::entry::load_balancer_hops;
use super::report::{Hop, HopId, HopKind, HopName};
use super::verdict::Verdict;
use crate::model::finding::{Code, Finding};
use crate::model::load_balancer::Delivery;
use crate::model::routes::{AddressState, AllowedFrom, ParentKind, ServiceRoute};
use crate::model::routing::ServedBy;
use crate::model::view::{Semantics, ServiceView};

/// The route hops of Service port `port` (`None`: a Service without
/// ports); `only`: the rules a host/path or Gateway target picked.
pub(super) fn route_hops(
    sem: &Semantics,
    v: &ServiceView,
    port: Option<usize>,
    only: Option<&[ServedBy]>,
) -> Vec<Hop> {
    let mut hops: Vec<Hop> = Vec::new();
    let routes = v
        .routes
        .iter()
        // A route that names no port the Service has goes with its first.
        .filter(|r| r.port == port || (r.port.is_none() && port.unwrap_or(0) == 0))
        .filter(|r| only.is_none_or(|o| o.iter().any(|s| picks(s, r))));
    for (k, r) in routes.enumerate() {
        match &r.ingress {
            Some(_) => ingress_chain(sem, v, r, k, &mut hops),
            None => route_chain(sem, v, r, k, only, &mut hops),
        }
    }
    hops
}

/// Whether a picked rule is this route entry.
fn picks(s: &ServedBy, r: &ServiceRoute) -> bool {
    match *s {
        ServedBy::Route { route, rule, .. } => {
            r.ingress.is_none() && r.index == route && r.rule == Some(rule)
        }
        ServedBy::Ingress { ingress, path } => {
            r.ingress.is_some() && r.index == ingress && r.paths.contains(&path)
        }
    }
}

/// Findings of these codes.
fn coded<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
    codes: &'a [Code],
) -> impl Iterator<Item = &'a Finding> {
    findings
        .into_iter()
        .filter(move |f| codes.contains(&f.code))
}

const PARENT_CODES: &[Code] = &[
    Code::RouteListenerNotFound,
    Code::RouteNamespaceNotAllowed,
    Code::RouteKindNotAllowed,
    Code::RouteHostnameMismatch,
];

/// Gateway → listener(s) → route → backendRef for one route entry.
fn route_chain(
    sem: &Semantics,
    v: &ServiceView,
    r: &ServiceRoute,
    k: usize,
    only: Option<&[ServedBy]>,
    hops: &mut Vec<Hop>,
) {
    let route_id = HopId::Route(k);
    let mut any_attached = false;
    // A Gateway parent that is missing or refuses the route.
    let mut blocked = false;
    for p in r.parents.iter().filter(|p| p.kind == ParentKind::Gateway) {
        // A Gateway target traces only its own listener.
        let wanted = |gateway: usize, listener: Option<usize>| {
            only.is_none_or(|o| {
                o.iter().any(|s| match *s {
                    ServedBy::Route {
                        gateway: g,
                        listener: l,
                        ..
                    } => g == gateway && listener.is_none_or(|x| x == l),
                    ServedBy::Ingress { .. } => false,
                })
            })
        };
        let Some(gi) = p.gateway_index else {
            if p.accepted_per_status {
                // Not read, and accepted on the word of the route's status:
                // the chain goes on, the Gateway's address and listeners
                // unknown, and the hop says on whose word.
                any_attached = true;
                let mut hop = Hop::new(
                    HopId::UnreadGateway {
                        chain: k,
                        gateway: p.gateway.clone(),
                    },
                    HopKind::Gateway,
                    Verdict::Warn,
                    "",
                )
                .name(p.gateway.clone())
                .with_findings(coded(&p.findings, &[Code::RouteParentNotFound]));
                hop.next = vec![route_id.clone()];
                hops.push(hop);
                continue;
            }
            // The Gateway does not exist (or is not in the input).
            blocked = true;
            hops.push(
                Hop::new(
                    HopId::UnreadGateway {
                        chain: k,
                        gateway: p.gateway.clone(),
                    },
                    HopKind::Gateway,
                    Verdict::Ok,
                    "",
                )
                .name(p.gateway.clone())
                .with_findings(coded(&p.findings, &[Code::RouteParentNotFound])),
            );
            continue;
        };
        if !wanted(gi, None) {
            continue;
        }
        let g = &sem.routes.gateways[gi];
        if !p.attached() {
            blocked = true;
            let port = p.port;
            let gw_id = gateway_hop(sem, gi, port, hops);
            let id = HopId::Listener {
                chain: k,
                gateway: g.full_name(),
                listener: None,
            };
            let hop = Hop::new(id.clone(), HopKind::Listener, Verdict::Ok, "")
                .name(
                    p.section_name
                        .clone()
                        .unwrap_or_else(|| "no listener admits it".into()),
                )
                .at(None, port)
                .with_findings(coded(&p.findings, PARENT_CODES));
            link(hops, &gw_id, &id);
            hops.push(hop);
            continue;
        }
        for l in &p.listeners {
            if !wanted(gi, Some(l.index)) {
                continue;
            }
            any_attached = true;
            let gw_id = gateway_hop(sem, gi, Some(l.port), hops);
            let facts = &g.listeners[l.index];
            let from = match facts.allowed_routes.from {
                AllowedFrom::Same => format!("from namespace {} only", g.namespace),
                AllowedFrom::All => "from every namespace".to_string(),
                AllowedFrom::Selector => format!(
                    "from namespaces labelled {}",
                    facts.allowed_routes.selector.as_deref().unwrap_or("(none)")
                ),
            };
            let host = match (&l.hostname, l.hostnames.as_slice()) {
                (_, []) => l
                    .hostname
                    .as_ref()
                    .map(|h| format!(" for {h}"))
                    .unwrap_or_else(|| " for any host".into()),
                (_, hs) => format!(" for {}", hs.join(", ")),
            };
            let reason = format!(
                "{} on port {}{host}; admits {} {from}",
                l.protocol,
                l.port,
                facts.allowed_routes.kinds_text(" and ")
            );
            let id = HopId::Listener {
                chain: k,
                gateway: g.full_name(),
                listener: Some(l.name.clone()),
            };
            let mut hop = Hop::new(id.clone(), HopKind::Listener, Verdict::Ok, reason)
                .name(l.name.clone())
                .at(None, Some(l.port))
                .with_findings(coded(&p.findings, PARENT_CODES));
            if let Some(mode) = &facts.tls_mode {
                hop = hop.note(format!("TLS {mode}"));
            }
            hop.next = vec![route_id.clone()];
            link(hops, &gw_id, &id);
            hops.push(hop);
        }
    }
    if !any_attached && blocked {
        // Not admitted anywhere: the Gateway or listener hops end the chain.
        if let Some(last) = hops.pop() {
            hops.push(
                last.with_findings(
                    r.findings
                        .iter()
                        .filter(|f| f.code != Code::RefKindNotFollowed),
                ),
            );
        }
        return;
    }
    // The route rule.
    let mut reason = r.matches.join(" | ");
    if reason.is_empty() {
        reason = "every connection".to_string();
    }
    if !r.hostnames.is_empty() {
        reason = format!("{}: {reason}", r.hostnames.join(", "));
    }
    let rule = match (&r.rule, &r.rule_name) {
        (Some(i), Some(n)) => format!(" rule {i} ({n})"),
        (Some(i), None) => format!(" rule {i}"),
        (None, _) => String::new(),
    };
    let mut route = Hop::new(route_id.clone(), HopKind::Route, Verdict::Ok, reason)
        .name(format!("{}{rule}", r.label()))
        .with_findings(coded(
            r.findings
                .iter()
                .chain(r.parents.iter().flat_map(|p| p.findings.iter())),
            &[
                Code::RouteWithoutParents,
                Code::RouteStatusDisagrees,
                Code::RefKindNotFollowed,
            ],
        ));
    if !r.filters.is_empty() {
        route = route.note(format!("filters: {}", r.filters.join(", ")));
    }
    for p in &r.parents {
        if let Some(s) = &p.status {
            let word = |c: &Option<crate::model::routes::ConditionView>, name: &str| {
                c.as_ref().map(|c| match c.status.as_str() {
                    "True" => name.to_string(),
                    _ => format!("{name}={} ({})", c.status, c.reason),
                })
            };
            let said: Vec<String> = [
                word(&s.accepted, "Accepted"),
                word(&s.resolved_refs, "ResolvedRefs"),
            ]
            .into_iter()
            .flatten()
            .collect();
            route = route.note(format!(
                "{} reports {} for {}",
                s.controller,
                said.join(", "),
                p.gateway
            ));
        }
    }
    if r.parents.iter().all(|p| p.kind != ParentKind::Gateway) {
        // No Gateway in front (no parentRefs, or mesh parents only): nothing
        // from outside flows into this rule, so the chain ends here.
        route = route.with_findings(r.findings.iter());
        hops.push(route);
        return;
    }
    route.next = vec![HopId::BackendRef(k)];
    hops.push(route);
    hops.push(backend_hop(sem, v, r, k));
}

/// The Gateway hop at `port`, shared by every route through it; its id.
fn gateway_hop(sem: &Semantics, gi: usize, port: Option<i32>, hops: &mut Vec<Hop>) -> HopId {
    let g = &sem.routes.gateways[gi];
    let id = HopId::Gateway {
        gateway: g.full_name(),
        port,
    };
    if hops.iter().any(|h| h.id == id) {
        return id;
    }
    let hop = match g.addresses.state {
        AddressState::Assigned => {
            let mut hop = Hop::new(
                id.clone(),
                HopKind::Gateway,
                Verdict::Ok,
                format!(
                    "Gateway {} (class {}) receives clients on its address",
                    g.full_name(),
                    g.class
                ),
            )
            .name(g.full_name())
            .at(g.addresses.assigned.first().cloned(), port);
            if g.addresses.assigned.len() > 1 {
                hop = hop.note(format!(
                    "also at {}",
                    g.addresses.assigned[1..].join(", ")
                ));
            }
            if let Some(c) = &g.controller {
                hop = hop.note(format!("implemented by {c}"));
            }
            hop
        }
        AddressState::Pending | AddressState::Unreported => Hop::new(id.clone(), HopKind::Gateway, Verdict::Ok, "")
            .name(g.full_name())
            .at(g.addresses.requested.first().cloned(), port)
            .with_findings(&g.findings),
        AddressState::NotCreated => Hop::new(
            id.clone(),
            HopKind::Gateway,
            Verdict::Ok,
            format!(
                "Gateway {} (class {}): the address is assigned once it exists and its controller programs it; a \
                 manifest cannot say which",
                g.full_name(),
                g.class
            ),
        )
        .name(g.full_name())
        .at(g.addresses.requested.first().cloned(), port),
    };
    let mut hop = hop;
    // Proxies behind a ClusterIP Service (an EnvoyProxy's
    // `envoyService.type`, Istio's service-type annotation): only clients
    // inside the cluster reach them.
    if let Some(by) =
        crate::model::policy::cluster_ip_proxy_service(sem.snap, &g.namespace, &g.name)
    {
        hop.verdict = hop.verdict.max(Verdict::Warn);
        hop = hop.note(format!(
            "{by} makes the proxies' Service ClusterIP: only clients inside the cluster reach the Gateway"
        ));
    }
    if let Some(p) = port {
        gateway_policies(&mut hop, sem, gi, p);
    }
    hops.push(hop);
    id
}

/// The policies of a proxy's own pods, for the clients outside that reach
/// them through its Service `v` on port `port` (an index), on `hop`.
fn own_policies(hop: &mut Hop, v: &ServiceView, port: usize) {
    let outside: Vec<_> = v
        .policies
        .iter()
        .flat_map(|p| &p.sources)
        .filter(|s| matches!(s.source, crate::model::policy::SourceClass::Outside { .. }))
        .collect();
    super::policies::summary(hop, v, port, &outside, false);
}

/// The policies of the Gateway `gi`'s own proxies for the clients outside
/// that reach them on listener port `port`: through its proxy Service when
/// the input holds it with its endpoints, else as the model places its
/// implementation's proxies.
fn gateway_policies(hop: &mut Hop, sem: &Semantics, gi: usize, port: i32) {
    use crate::model::policy::Admission;
    let g = &sem.routes.gateways[gi];
    if let Some(s) = sem.gateway_service(&g.namespace, &g.name) {
        let v = sem.view(s);
        let i = v.ports().iter().position(|p| p.port == port);
        if let Some(i) = i.filter(|&i| v.port_endpoints(i).is_some_and(|pe| !pe.members.is_empty()))
        {
            own_policies(hop, &v, i);
            return;
        }
    }
    let Some(policies) = &sem.policies else {
        return;
    };
    let protocol = match g.listeners.iter().find(|l| l.port == port) {
        Some(l) if l.protocol == "UDP" => "UDP",
        _ => "TCP",
    };
    let placement = crate::model::policy::Placement::of_gateway(sem.snap, &g.namespace, &g.name);
    let Some(d) = policies.gateway_clients(
        (&g.namespace, &g.name),
        g.controller.as_deref(),
        placement,
        (port, protocol),
    ) else {
        return;
    };
    let line = match d.admission {
        Admission::Admitted => format!(
            "network policies of the Gateway's proxies admit clients outside the cluster: {}",
            d.reason
        ),
        Admission::Dropped => format!(
            "network policies of the Gateway's proxies drop clients outside the cluster: {}",
            d.reason
        ),
        Admission::Depends => format!(
            "network policies of the Gateway's proxies: whether clients outside the cluster get through depends: {}",
            d.reason
        ),
    };
    let verdict = match d.admission {
        Admission::Admitted => {
            if d.involves_policies() {
                hop.notes.push(line);
            }
            return;
        }
        Admission::Dropped => {
            hop.findings.push(Code::PoliciesAdmitNothing);
            Verdict::Broken
        }
        Admission::Depends => Verdict::Warn,
    };
    super::policies::raise(hop, verdict, line);
}

/// Adds `to` to the `next` of hop `from`, unless that hop stops traffic.
fn link(hops: &mut [Hop], from: &HopId, to: &HopId) {
    if let Some(h) = hops.iter_mut().find(|h| h.id == *from)
        && h.verdict != Verdict::Broken
        && !h.next.contains(to)
    {
        h.next.push(to.clone());
    }
}

/// The cloud Ingress controller whose load balancer carries route `r` (an
/// Ingress) to the Service, and how (model::ingress_lb): through its node
/// ports unless told to go to the pods.
fn cloud_ingress(
    sem: &Semantics,
    v: &ServiceView,
    r: &ServiceRoute,
) -> Option<crate::model::ingress_lb::LoadBalancedIngresses> {
    r.ingress.as_ref()?;
    let name = format!("{}/{}", r.namespace, r.name);
    sem.load_balanced_ingresses(v)
        .filter(|l| l.names.contains(&name))
}

/// The backend hop: the Service port, its share of the rule.
fn backend_hop(sem: &Semantics, v: &ServiceView, r: &ServiceRoute, k: usize) -> Hop {
    let port_number = r.port.and_then(|i| v.ports().get(i)).map(|p| p.port);
    let share = match r.weight {
        Some(w) if w.total > 0 && w.weight != w.total => {
            format!("{} of {} by weight", w.weight, w.total)
        }
        Some(w) if w.weight == 0 => "none (weight 0)".to_string(),
        _ => "all".to_string(),
    };
    let lb = cloud_ingress(sem, v, r);
    let how = match lb.as_ref().map(|l| (l.by, l.delivery.value)) {
        None | Some((_, Delivery::Pods)) => {
            "the proxy sends them to its endpoints directly, not through the cluster IP".to_string()
        }
        Some((by, Delivery::NodePorts)) => format!(
            "{} sends them to the Service's node ports, where kube-proxy forwards them",
            by.load_balancer()
        ),
        Some((by, _)) => format!(
            "{} sends them to the Service's node ports, or straight to its pods where the cluster uses \
             container-native load balancing by default",
            by.load_balancer()
        ),
    };
    let what = r.kind.carries();
    let reason = match port_number {
        Some(p) => format!(
            "sends {share} of the rule's {what} to port {p} of Service {}; {how}",
            v.full_name()
        ),
        None => format!(
            "sends {share} of the rule's {what} to Service {}",
            v.full_name()
        ),
    };
    let problems: Vec<_> = r
        .findings
        .iter()
        .filter(|f| {
            !matches!(
                f.code,
                Code::RouteWithoutParents | Code::RouteStatusDisagrees
            )
        })
        .collect();
    // A problem with the backend is what this hop says first.
    let lead = problems
        .iter()
        .any(|f| f.severity > crate::model::finding::Severity::Info);
    let mut hop = Hop::new(
        HopId::BackendRef(k),
        HopKind::BackendRef,
        Verdict::Ok,
        if lead { String::new() } else { reason.clone() },
    )
    .name(format!(
        "{}:{}",
        v.full_name(),
        r.service_port.as_deref().unwrap_or("?")
    ))
    .at(None, port_number)
    .with_findings(problems);
    if lead && port_number.is_some() {
        hop = hop.note(reason);
    }
    if hop.verdict != Verdict::Broken && r.port.is_some() {
        hop.next = vec![HopId::Endpoints];
    }
    hop
}

/// (Controller load balancer →) Ingress controller → rule → backend.
fn ingress_chain(
    sem: &Semantics,
    v: &ServiceView,
    r: &ServiceRoute,
    k: usize,
    hops: &mut Vec<Hop>,
) {
    let Some(entry) = &r.ingress else { return };
    let way_in = ingress_way_in(sem, r);
    let port = way_in.port.unwrap_or(if entry.tls { 443 } else { 80 });
    let ic_id = HopId::IngressController(k);
    let mut controller_note = None;
    // The controller's own pods' policies, for the clients outside that
    // reach them through its Service (the port the path comes in on).
    let mut controller_policies = None;
    let controller_view = entry.controller_service_index.map(|c| sem.view(c));
    if let Some(cv) = &controller_view {
        let cport = cv.ports().iter().position(|p| p.port == port).or_else(|| {
            let name = if entry.tls { "https" } else { "http" };
            cv.ports()
                .iter()
                .position(|p| p.name.as_deref() == Some(name))
        });
        if let Some(ci) = cport {
            controller_policies = Some((cv, ci));
            let number = cv.ports()[ci].port;
            for (j, mut lb) in load_balancer_hops(sem, cv, Some(ci), Some(number), None)
                .into_iter()
                .enumerate()
            {
                lb.id = HopId::IngressLoadBalancer { chain: k, index: j };
                lb.name = Some(HopName::Named(cv.full_name()));
                let delivers = lb.verdict != Verdict::Broken && lb.address.is_some();
                lb.next = if delivers {
                    vec![ic_id.clone()]
                } else {
                    Vec::new()
                };
                lb = lb.note(format!(
                    "the load balancer of the Ingress controller's own Service {} (port {number})",
                    cv.full_name()
                ));
                hops.push(lb);
            }
        }
        controller_note = Some(format!("its controller's Service: {}", cv.full_name()));
    }
    let class = entry.class.as_deref().unwrap_or("(no class)");
    let who = match (&entry.controller, &entry.class) {
        (Some(c), _) => format!("the controller {c} of IngressClass {class}"),
        (None, Some(_)) => format!("the controller of IngressClass {class}"),
        (None, None) => "the controller that serves Ingresses without a class".to_string(),
    };
    // A cloud load balancer that goes through the node ports does not
    // proxy to the endpoints: the backend hop says how it gets there.
    let to = match cloud_ingress(sem, v, r) {
        Some(l) if l.needs_node_ports() => format!(
            "{} sends them on to the backend Service",
            l.by.load_balancer()
        ),
        _ => "proxies them to the backend's endpoints".to_string(),
    };
    let mut ic = Hop::new(
        ic_id.clone(),
        HopKind::IngressController,
        Verdict::Ok,
        format!(
            "{who} receives requests for Ingress {}/{}{} and {to}",
            r.namespace,
            r.name,
            if entry.tls {
                " (TLS terminated there)"
            } else {
                ""
            }
        ),
    )
    .name(class.to_string())
    .at(entry.addresses.first().cloned(), Some(port))
    .with_findings(&entry.findings);
    if let Some(n) = controller_note {
        ic = ic.note(n);
    }
    if let Some(n) = way_in.redirected {
        ic = ic.note(n);
    }
    if let Some(why) = way_in.depends {
        ic.verdict = ic.verdict.max(Verdict::Warn);
        ic = ic.note(format!("depends: {why}"));
    }
    if let Some((cv, ci)) = controller_policies {
        own_policies(&mut ic, cv, ci);
    }
    ic.next = vec![HopId::Route(k)];
    hops.push(ic);
    let host = r
        .hostnames
        .first()
        .cloned()
        .unwrap_or_else(|| "any host".to_string());
    let rule = match r.rule {
        Some(i) => format!(" rule {i}"),
        None => " default backend".to_string(),
    };
    let mut route = Hop::new(
        HopId::Route(k),
        HopKind::Route,
        Verdict::Ok,
        format!("{host}: {}", r.matches.join(" | ")),
    )
    .name(format!("{}{rule}", r.label()));
    route.next = vec![HopId::BackendRef(k)];
    hops.push(route);
    hops.push(backend_hop(sem, v, r, k));
}

/// Where an Ingress path is served, as its controller's routing model
/// answers a request for its host and path: the port (80 when plain HTTP
/// reaches it, else 443 when HTTPS does), whether plain HTTP is redirected
/// there, and why the controller's answer depends on what the input does
/// not say.
#[derive(Default)]
struct IngressWayIn {
    port: Option<i32>,
    redirected: Option<String>,
    depends: Option<String>,
}

fn ingress_way_in(sem: &Semantics, r: &ServiceRoute) -> IngressWayIn {
    use crate::model::routing::{Outcome, Request, Scheme};
    let mut out = IngressWayIn::default();
    let (Some(front), Some(&pi)) = (sem.ingress_routing().front_of(r.index), r.paths.first())
    else {
        return out;
    };
    let p = &sem.routes.ingresses[r.index].paths[pi];
    let host = p
        .host
        .as_deref()
        .unwrap_or(crate::model::routing::sample::UNKNOWN_HOST);
    // A request the path itself matches (an ALB or GCE pattern's `*` left out).
    let path = p.path.trim_end_matches('*');
    let me = ServedBy::Ingress {
        ingress: r.index,
        path: pi,
    };
    // A host the path's own host covers (a wildcard's is one label deeper).
    let host = crate::model::routing::sample::probe_host(host);
    let ask = |scheme| front.answer(&Request::new(scheme, &host, path));
    let (http, https) = (ask(Scheme::Http), ask(Scheme::Https));
    let forwards = |a: &crate::model::routing::Answer| {
        a.by.contains(&me) && matches!(a.outcome, Outcome::Forward { .. })
    };
    if forwards(&http) {
        out.port = Some(80);
    } else if forwards(&https) {
        out.port = Some(443);
        if let Outcome::Redirect { status, .. } = http.outcome {
            out.redirected = Some(format!(
                "plain HTTP on port 80 is answered with a {status} redirect to https"
            ));
        }
    }
    out.depends = [&http, &https].into_iter().find_map(|a| match &a.outcome {
        Outcome::Depends { why } if a.by.contains(&me) && out.port.is_none() => Some(why.clone()),
        _ => None,
    });
    out
}
