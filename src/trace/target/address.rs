//! A TARGET that is an address a client would use: a load balancer, external
//! or cluster IP, NODE:NODEPORT, a Gateway's address, or a host and path a
//! route or Ingress serves; and, when none matches, the addresses and hosts
//! close to it.

use super::*;
use crate::model::routing::Outcome;
use crate::model::slim::SlimObject;

pub(super) fn resolve_address(
    sem: &Semantics,
    input: &str,
    host: &str,
    port: Option<i32>,
    flag: Option<&str>,
) -> Result<Resolved, TargetError> {
    let (snap, routes) = (sem.snap, &sem.routes);
    let ix = AddressIndex::build(snap);
    // A Gateway's address first: its implementation's own LoadBalancer
    // Service often has the same address, but the Gateway is what clients mean.
    if let [g, ..] = ix.gateways_at(host) {
        return resolve_gateway(snap, routes, input, *g, port);
    }
    let owners = ix.owners(host);
    let port_text = port.map(|p| p.to_string());
    // Services that answer on this address, on this port if one was given.
    let mut by_service: BTreeMap<usize, AddressRole> = BTreeMap::new();
    for o in owners {
        by_service.entry(o.service).or_insert(o.role);
    }
    // Addresses are cluster-wide, but a run looks at the namespaces in scope
    // (live, it reads no other): one outside it is named, not traced.
    let hidden = snap.out_of_scope(by_service.keys().map(|&i| &snap.services[i]));
    by_service.retain(|&i, _| in_scope(snap, i));
    let mut matches: Vec<(usize, AddressRole, Option<Vec<usize>>)> = Vec::new();
    let mut port_misses = Vec::new();
    for (&i, &role) in &by_service {
        match choose_ports(snap, i, port_text.as_deref(), flag, input) {
            Ok(ports) => matches.push((i, role, ports)),
            Err(e) => port_misses.push((i, e)),
        }
    }
    if matches.len() == 1 {
        let (i, role, ports) = matches.remove(0);
        let entry = match role {
            AddressRole::LoadBalancerIp
            | AddressRole::LoadBalancerHostname
            | AddressRole::RequestedLoadBalancerIp => Entry::LoadBalancer(host.to_string()),
            AddressRole::ExternalIp => Entry::ExternalIp(host.to_string()),
            AddressRole::ClusterIp => Entry::ClusterIp(Some(host.to_string())),
        };
        let info = info(snap, input, role.into(), i, None);
        return Ok(Resolved {
            info: Some(info),
            selections: vec![Selection {
                service: i,
                ports,
                entry,
            }],
        });
    }
    if matches.len() > 1 {
        return Err(TargetError {
            message: format!(
                "`{input}` is ambiguous: {} Services answer there",
                matches.len()
            ),
            candidates: matches
                .iter()
                .map(|(i, role, _)| {
                    let ports: Vec<String> = service_ports(&snap.services[*i].object)
                        .iter()
                        .map(describe_port)
                        .collect();
                    format!(
                        "{} ({}, port {})",
                        ns_name(&snap.services[*i]),
                        role.describe(),
                        ports.join(", ")
                    )
                })
                .collect(),
            hint: "trace one of them by name, e.g. `svcx trace NAMESPACE/NAME --port PORT`".into(),
        });
    }
    if let Some(hidden) = hidden {
        return Err(TargetError {
            message: format!(
                "no Service in namespace `{}` has the address `{host}`",
                hidden.scope
            ),
            candidates: Vec::new(),
            hint: hidden.address_hint(),
        });
    }
    if let Some(node) = ix.node_at(host) {
        return resolve_node_port(snap, &ix, input, host, node, port, flag);
    }
    if let Some((_, e)) = port_misses.into_iter().next() {
        return Err(e);
    }
    // A Service's DNS name: NAME.NAMESPACE[.svc[.cluster.local]].
    let labels: Vec<&str> = host.trim_end_matches('.').split('.').collect();
    if labels.len() >= 2
        && (labels.len() == 2 || labels[2] == "svc")
        && let Some(svc) = snap.service(labels[1], labels[0])
    {
        let i = position(snap, svc);
        let ports = choose_ports(snap, i, port_text.as_deref(), flag, input)?;
        let info = info(snap, input, Matched::ServiceDnsName, i, None);
        return Ok(Resolved {
            info: Some(info),
            selections: vec![Selection {
                service: i,
                ports,
                entry: Entry::ClusterIp(None),
            }],
        });
    }
    if let Some(e) = pod_address(snap, host) {
        return Err(e);
    }
    // A hostname a route or an Ingress serves: its root path.
    if host.parse::<std::net::IpAddr>().is_err()
        && !crate::model::routing::serving(sem, host, "/", port).is_empty()
    {
        return resolve_host_path(sem, input, host, port, "/", flag);
    }
    Err(TargetError {
        message: format!("no Service or node has the address `{host}`"),
        candidates: close_addresses(snap, &ix, host),
        hint: "give an address from the Services' status or spec (load balancer, externalIP, cluster IP) or a node \
               address with a nodePort; `svcx explain` lists them"
            .into(),
    })
}

fn resolve_node_port(
    snap: &Snapshot,
    ix: &AddressIndex,
    input: &str,
    host: &str,
    node: &str,
    port: Option<i32>,
    flag: Option<&str>,
) -> Result<Resolved, TargetError> {
    let known_ports = || {
        let mut list: Vec<(i32, String)> = ix
            .node_ports()
            .flat_map(|(np, owners)| {
                owners.iter().map(move |o| {
                    let svc = &snap.services[o.service];
                    let p = service_ports(&svc.object)
                        .get(o.port)
                        .map(describe_port)
                        .unwrap_or_default();
                    (np, format!("{host}:{np} ({} port {p})", ns_name(svc)))
                })
            })
            .collect();
        list.sort();
        list
    };
    let Some(p) = port else {
        return Err(TargetError {
            message: format!("`{host}` is node {node}: say which nodePort to trace"),
            candidates: known_ports()
                .into_iter()
                .take(MAX_CANDIDATES)
                .map(|(_, s)| s)
                .collect(),
            hint: format!("trace {host}:NODEPORT"),
        });
    };
    let owners = ix.node_port_owners(p);
    let mut services: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for o in owners {
        services.entry(o.service).or_default().push(o.port);
    }
    let hidden = snap.out_of_scope(services.keys().map(|&i| &snap.services[i]));
    services.retain(|&i, _| in_scope(snap, i));
    if services.is_empty()
        && let Some(hidden) = hidden
    {
        return Err(TargetError {
            message: format!(
                "node {node} is at `{host}`, but no Service in namespace `{}` has nodePort {p}",
                hidden.scope
            ),
            candidates: Vec::new(),
            hint: hidden.address_hint(),
        });
    }
    match services.len() {
        0 => {
            // Not a traffic port, but maybe the health check port of one.
            if let Some(svc) = snap.services.iter().find(|s| {
                s.object.spec.as_ref().and_then(|sp| sp.health_check_node_port) == Some(p)
            }) {
                return Err(TargetError {
                    message: format!(
                        "`{input}` is the healthCheckNodePort of {}: load balancers probe it to learn which nodes \
                         have a ready endpoint; it carries no traffic",
                        ns_name(svc)
                    ),
                    candidates: Vec::new(),
                    hint: format!("trace the Service instead: `svcx trace {}`", ns_name(svc)),
                });
            }
            let mut near = known_ports();
            // abs_diff: nodePorts come from the input, and `-2147483648 - 1` overflows.
            near.sort_by_key(|(np, _)| np.abs_diff(p));
            Err(TargetError {
                message: format!("node {node} is at `{host}`, but no Service has nodePort {p}"),
                candidates: near.into_iter().take(5).map(|(_, s)| s).collect(),
                hint: "a node address takes a nodePort (30000-32767 by default); for a Service port use its cluster IP \
                       or load balancer address"
                    .into(),
            })
        }
        1 => {
            let (i, mut ports) = services.into_iter().next().unwrap_or_default();
            if let Some(f) = flag {
                let wanted = matching_ports(&snap.services[i].object, f);
                ports.retain(|p| wanted.contains(p));
                if ports.is_empty() {
                    return Err(TargetError {
                        message: format!("nodePort {p} of {} is not Service port `{f}`", ns_name(&snap.services[i])),
                        candidates: Vec::new(),
                        hint: "drop --port: the nodePort already picks the Service port".into(),
                    });
                }
            }
            let info = info(snap, input, Matched::NodePort, i, Some(node));
            Ok(Resolved {
                info: Some(info),
                selections: vec![Selection { service: i, ports: Some(ports), entry: Entry::Node { name: node.to_string(), address: host.to_string() } }],
            })
        }
        _ => Err(TargetError {
            message: format!("`{input}` is ambiguous: {} Services claim nodePort {p}", services.len()),
            candidates: services.keys().map(|&i| ns_name(&snap.services[i])).collect(),
            hint: "two Services cannot share a nodePort in one cluster: the input mixes clusters; trace one by name".into(),
        }),
    }
}

/// `HOST[:PORT]/PATH`: the rule that serves it at each way in (each
/// Gateway port, each Ingress class), and the Services those send to.
pub(super) fn resolve_host_path(
    sem: &Semantics,
    input: &str,
    host: &str,
    port: Option<i32>,
    path: &str,
    flag: Option<&str>,
) -> Result<Resolved, TargetError> {
    let (snap, routes) = (sem.snap, &sem.routes);
    let served = crate::model::routing::serving(sem, host, path, port);
    if served.is_empty() {
        let mut hosts: Vec<(usize, String)> = known_hosts(routes)
            .into_iter()
            .map(|h| (edit_distance(host, &h), h))
            .collect();
        hosts.sort();
        return Err(TargetError {
            message: format!("no route or Ingress serves `{host}{path}`"),
            candidates: hosts.into_iter().take(5).map(|(_, h)| h).collect(),
            hint: "give a hostname and path that an HTTPRoute, GRPCRoute, TLSRoute or Ingress serves (`svcx explain` lists them per Service), or a Service or address"
                .into(),
        });
    }
    let info = TargetInfo {
        input: input.to_string(),
        matched: Matched::HostPath,
        service: None,
        node: None,
        gateway: None,
        routes: served
            .iter()
            .map(|s| describe_served(snap, routes, s))
            .collect(),
    };
    selections_of(snap, routes, input, info, served, flag)
}

/// A Gateway address, with an optional listener port: every rule of every
/// route attached there.
fn resolve_gateway(
    snap: &Snapshot,
    routes: &RouteIndex,
    input: &str,
    gateway: usize,
    port: Option<i32>,
) -> Result<Resolved, TargetError> {
    let g = &routes.gateways[gateway];
    if let Some(p) = port
        && !g.listeners.iter().any(|l| l.port == p)
    {
        return Err(TargetError {
            message: format!("Gateway {} has no listener on port {p}", g.full_name()),
            candidates: g
                .listeners
                .iter()
                .map(|l| format!("{} ({} {})", l.name, l.protocol, l.port))
                .collect(),
            hint: "give one of its listener ports, or leave the port out".into(),
        });
    }
    let served = routes.served_at(gateway, port);
    let info = TargetInfo {
        input: input.to_string(),
        matched: Matched::GatewayAddress,
        service: None,
        node: None,
        gateway: Some(g.full_name()),
        routes: Vec::new(),
    };
    if served.is_empty() {
        return Err(TargetError {
            message: format!(
                "`{input}` is Gateway {}, and no route is attached there",
                g.full_name()
            ),
            candidates: Vec::new(),
            hint: format!(
                "`svcx explain --gateway {}` shows its listeners and why routes are not admitted",
                g.full_name()
            ),
        });
    }
    selections_of(snap, routes, input, info, served, None)
}

/// One selection per Service the served rules send to.
fn selections_of(
    snap: &Snapshot,
    routes: &RouteIndex,
    input: &str,
    mut info: TargetInfo,
    served: Vec<Served>,
    flag: Option<&str>,
) -> Result<Resolved, TargetError> {
    let mut by_service: BTreeMap<usize, (Vec<usize>, Vec<ServedBy>)> = BTreeMap::new();
    for s in &served {
        for &(svc, port) in &s.backends {
            let e = by_service.entry(svc).or_default();
            if !e.0.contains(&port) {
                e.0.push(port);
            }
            for by in &s.by {
                if !e.1.contains(by) {
                    e.1.push(*by);
                }
            }
        }
    }
    let described = || {
        served
            .iter()
            .map(|s| describe_served(snap, routes, s))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let answered_itself = |s: &Served| {
        matches!(
            s.answer,
            Some(Outcome::Redirect { .. } | Outcome::Respond { .. })
        )
    };
    if by_service.is_empty() && !served.is_empty() && served.iter().all(answered_itself) {
        // A redirect or a response of the proxy's own: no Service to
        // follow. Where a redirect leads is a request of its own.
        let next = served.iter().find_map(|s| match &s.answer {
            Some(Outcome::Redirect {
                location: Some(to), ..
            }) => to.split_once("://").map(|(scheme, rest)| {
                // The port of an https Location is 443 when it names none.
                let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                if scheme == "https" && !authority.contains(':') {
                    format!("{authority}:443{path}")
                } else {
                    rest.to_string()
                }
            }),
            _ => None,
        });
        return Err(TargetError {
            message: format!(
                "`{input}` is answered by the proxy, not sent to a Service: {}",
                described()
            ),
            candidates: Vec::new(),
            hint: match next {
                Some(to) => format!("trace where the redirect leads: `svcx trace {to}`"),
                None => "a rule that answers itself sends nothing on: trace a path its route sends to a Service"
                    .into(),
            },
        });
    }
    if by_service.is_empty() {
        return Err(TargetError {
            message: format!(
                "`{input}` is served by {}, which {} to no Service that resolves",
                described(),
                if served.len() == 1 { "sends" } else { "send" }
            ),
            candidates: Vec::new(),
            hint: "a rule without backends redirects or answers itself; for a backend that does not resolve, \
                   `svcx explain` on the route's Service says why"
                .into(),
        });
    }
    let mut selections = Vec::new();
    for (svc, (mut ports, picked)) in by_service {
        if let Some(f) = flag {
            let wanted = matching_ports(&snap.services[svc].object, f);
            ports.retain(|p| wanted.contains(p));
            if ports.is_empty() {
                continue;
            }
        }
        ports.sort();
        selections.push(Selection {
            service: svc,
            ports: Some(ports),
            entry: Entry::Routes(picked),
        });
    }
    if selections.is_empty() {
        return Err(TargetError {
            message: format!(
                "`{input}` reaches no Service port `{}`",
                flag.unwrap_or_default()
            ),
            candidates: Vec::new(),
            hint: "drop --port: the route already picks the Service port".into(),
        });
    }
    if let [one] = selections.as_slice() {
        info.service = Some(ns_name(&snap.services[one.service]));
    }
    Ok(Resolved {
        info: Some(info),
        selections,
    })
}

/// `HTTPRoute shop/web rule 1 via Gateway infra/public:443`.
fn describe_served(snap: &Snapshot, routes: &RouteIndex, s: &Served) -> String {
    let each: Vec<String> = s.by.iter().map(|b| describe_by(snap, routes, *b)).collect();
    match &s.answer {
        Some(Outcome::Depends { why }) => format!("{} (depends: {why})", each.join(" or ")),
        Some(Outcome::Redirect {
            status,
            location: Some(to),
            ..
        }) => format!(
            "{}, which answers {status} redirecting to {to}",
            each.join(" and ")
        ),
        Some(Outcome::Redirect { status, .. } | Outcome::Respond { status }) => {
            format!("{}, which answers {status} itself", each.join(" and "))
        }
        _ => each.join(" and "),
    }
}

/// One rule or Ingress path, in words.
fn describe_by(snap: &Snapshot, routes: &RouteIndex, by: ServedBy) -> String {
    let _ = snap;
    match by {
        ServedBy::Route {
            route,
            rule,
            gateway,
            listener,
        } => {
            let r = &routes.routes[route];
            let g = &routes.gateways[gateway];
            format!(
                "{} {}/{} rule {rule} via Gateway {}:{}",
                r.kind.kind(),
                r.namespace,
                r.name,
                g.full_name(),
                g.listeners[listener].port
            )
        }
        ServedBy::Ingress { ingress, path } => {
            let i = &routes.ingresses[ingress];
            format!(
                "Ingress {}/{} {} via IngressClass {}",
                i.namespace,
                i.name,
                i.paths[path].field,
                i.class.as_deref().unwrap_or("(none)")
            )
        }
    }
}

/// Every hostname routes and Ingresses serve, for "did you mean".
fn known_hosts(routes: &RouteIndex) -> Vec<String> {
    let mut hosts: Vec<String> = routes
        .routes
        .iter()
        .flat_map(|r| r.parents.iter())
        .flat_map(|p| p.listeners.iter())
        .flat_map(|l| l.hostnames.iter().cloned())
        .chain(
            routes
                .ingresses
                .iter()
                .flat_map(|i| i.paths.iter())
                .filter_map(|p| p.host.clone()),
        )
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts
}

/// A pod's own IP is not a Service address: say whose it is. Scans pods, but
/// only when nothing else matched.
fn pod_address(snap: &Snapshot, host: &str) -> Option<TargetError> {
    let ip: std::net::IpAddr = host.parse().ok()?;
    let pod = snap
        .pods
        .iter()
        .find(|p| p.object.ips().into_iter().any(|a| a.parse() == Ok(ip)))?;
    let ns = pod.object.namespace().unwrap_or_default();
    let labels = pod.object.labels();
    let backs: Vec<String> = snap
        .services
        .iter()
        .filter(|s| s.object.namespace().as_deref() == Some(ns.as_str()))
        .filter(|s| {
            let sel = s.object.spec.as_ref().and_then(|sp| sp.selector.as_ref());
            sel.is_some_and(|sel| crate::model::selector::service_selector_matches(sel, labels))
        })
        .map(ns_name)
        .collect();
    Some(TargetError {
        message: format!(
            "`{host}` is the IP of pod {ns}/{}, not a Service address",
            pod.object.name_any()
        ),
        hint: if backs.is_empty() {
            "no Service selects this pod; trace a Service by name or by one of its addresses".into()
        } else {
            "trace a Service that selects it instead".into()
        },
        candidates: backs,
    })
}

/// Known addresses closest to `host`, with what they are.
fn close_addresses(snap: &Snapshot, ix: &AddressIndex, host: &str) -> Vec<String> {
    let limit = (host.len() / 3).max(2);
    let mut scored: Vec<(usize, String)> = ix
        .service_addresses()
        .filter_map(|(addr, owners)| {
            let d = edit_distance(host, addr);
            let o = owners.first()?;
            (d <= limit).then(|| {
                (
                    d,
                    format!(
                        "{addr} ({} of {})",
                        o.role.describe(),
                        ns_name(&snap.services[o.service])
                    ),
                )
            })
        })
        .chain(ix.node_addresses().filter_map(|(addr, node)| {
            let d = edit_distance(host, addr);
            (d <= limit && addr != node).then(|| (d, format!("{addr} (node {node})")))
        }))
        .collect();
    scored.sort();
    scored.dedup();
    scored.into_iter().take(5).map(|(_, s)| s).collect()
}
