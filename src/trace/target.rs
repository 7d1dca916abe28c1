//! What to trace: the TARGET argument, resolved to Services, ports and the
//! hop the trace starts at. A target is a Service (`NAME`, `NAMESPACE/NAME`,
//! or its DNS name) or an address a client would use: a load balancer IP or
//! hostname, an externalIP or a cluster IP (each with an optional Service
//! port), NODE-ADDRESS:NODEPORT, a Gateway's address (with an optional
//! listener port), or a hostname and path that a route or Ingress serves
//! (`shop.example.com/api`, `HOST[:PORT]/PATH`). Addresses are looked up in
//! an [`AddressIndex`], never by scanning Services; which rule serves a host
//! and path is the model's answer ([`routing::serving`](crate::model::routing::serving)).

use super::report::{Matched, TargetInfo};
use crate::model::addresses::{AddressIndex, AddressRole};
use crate::model::lookup::{NotFound, edit_distance};
use crate::model::ports::protocol;
use crate::model::routes::{RouteIndex, Served};
use crate::model::routing::ServedBy;
use crate::model::view::Semantics;
use crate::model::{Located, Snapshot};
use k8s_openapi::api::core::v1::{Service, ServicePort};
use kube::ResourceExt;
use std::collections::BTreeMap;

/// Where on a Service's path the trace starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// The whole path: every way in.
    Service,
    /// This load balancer address (or the requested one, when pending).
    LoadBalancer(String),
    /// This externalIP.
    ExternalIp(String),
    /// This node (by name), at the address the client used, on the
    /// Service's nodePort.
    Node { name: String, address: String },
    /// The cluster IP the client used (`None`: the DNS name, or the
    /// headless Service's name).
    ClusterIp(Option<String>),
    /// Only through these route rules or Ingress paths (a host and path, or
    /// a Gateway's address).
    Routes(Vec<ServedBy>),
}

/// One Service to trace.
#[derive(Clone, Debug)]
pub struct Selection {
    /// Position in [`Snapshot::services`].
    pub service: usize,
    /// Positions in `spec.ports`; `None` for all.
    pub ports: Option<Vec<usize>>,
    pub entry: Entry,
}

/// The Services a TARGET stands for.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub info: Option<TargetInfo>,
    pub selections: Vec<Selection>,
}

/// A TARGET that names nothing, or more than one thing.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{message}")]
pub struct TargetError {
    /// What was looked for, and why it did not resolve.
    pub message: String,
    /// Close matches, or the candidates of an ambiguous target.
    pub candidates: Vec<String>,
    /// What to do next.
    pub hint: String,
}

/// Candidates listed at most.
const MAX_CANDIDATES: usize = 8;

/// Resolves TARGET and `--port` against a snapshot. No target: every Service.
pub fn resolve(
    sem: &Semantics,
    target: Option<&str>,
    port: Option<&str>,
) -> Result<Resolved, TargetError> {
    let snap = sem.snap;
    let Some(input) = target else {
        return all_services(snap, port);
    };
    match parse(input)? {
        Parsed::HostPath {
            host,
            port: p,
            path,
        } => resolve_host_path(sem, input, &host, p, &path, port),
        Parsed::Name {
            namespace,
            name,
            port: p,
        } => {
            let i = find_service(snap, namespace.as_deref(), &name)?;
            let ports = choose_ports(snap, i, p.map(|p| p.to_string()).as_deref(), port, input)?;
            let info = info(snap, input, Matched::Service, i, None);
            Ok(Resolved {
                info: Some(info),
                selections: vec![Selection {
                    service: i,
                    ports,
                    entry: Entry::Service,
                }],
            })
        }
        Parsed::Address { host, port: p } => resolve_address(sem, input, &host, p, port),
    }
}

fn all_services(snap: &Snapshot, port: Option<&str>) -> Result<Resolved, TargetError> {
    let mut selections = Vec::new();
    for (i, s) in snap.services.iter().enumerate() {
        if !snap
            .scope
            .includes(&s.object.namespace().unwrap_or_default())
        {
            continue;
        }
        let ports = match port {
            None => None,
            Some(want) => {
                let matching = matching_ports(&s.object, want);
                if matching.is_empty() {
                    continue;
                }
                Some(matching)
            }
        };
        selections.push(Selection {
            service: i,
            ports,
            entry: Entry::Service,
        });
    }
    if let (Some(want), true) = (port, selections.is_empty() && !snap.services.is_empty()) {
        return Err(TargetError {
            message: format!("no Service in scope has a port `{want}`"),
            candidates: Vec::new(),
            hint: "--port takes a Service port number or name; run without it to trace every port"
                .into(),
        });
    }
    Ok(Resolved {
        info: None,
        selections,
    })
}

/// TARGET as typed, split into its parts.
#[derive(Debug, PartialEq, Eq)]
enum Parsed {
    Name {
        namespace: Option<String>,
        name: String,
        port: Option<i32>,
    },
    Address {
        host: String,
        port: Option<i32>,
    },
    /// `HOST[:PORT]/PATH`: a request a route or an Ingress serves.
    HostPath {
        host: String,
        port: Option<i32>,
        path: String,
    },
}

fn parse(input: &str) -> Result<Parsed, TargetError> {
    let t = input.trim();
    let bad = |why: &str| {
        TargetError {
        message: format!("cannot read `{input}` as a trace target: {why}"),
        candidates: Vec::new(),
        hint: "give a Service (NAME or NAMESPACE/NAME) or an address: IP, IP:PORT, [IPv6]:PORT, HOSTNAME[:PORT]".into(),
    }
    };
    let port_of = |p: &str| -> Result<i32, TargetError> {
        match p.parse::<i32>() {
            Ok(n) if crate::model::ports::is_port_number(n) => Ok(n),
            _ => Err(bad(&format!("`{p}` is not a port number (1-65535)"))),
        }
    };
    if t.is_empty() {
        return Err(bad("it is empty"));
    }
    // HOST/PATH: a namespace cannot contain a dot or a colon, a host can.
    if let Some((authority, rest)) = t.split_once('/')
        && (authority.contains('.') || authority.contains(':') || authority.starts_with('['))
    {
        let path = format!("/{rest}");
        return match parse(authority)? {
            Parsed::Address { host, port } | Parsed::HostPath { host, port, .. } => {
                Ok(Parsed::HostPath { host, port, path })
            }
            Parsed::Name { name, port, .. } => Ok(Parsed::HostPath {
                host: name,
                port,
                path,
            }),
        };
    }
    if let Some(rest) = t.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| bad("a `[` without its `]`"))?;
        let port = match after {
            "" => None,
            a => Some(port_of(
                a.strip_prefix(':')
                    .ok_or_else(|| bad("expected `:PORT` after `]`"))?,
            )?),
        };
        return Ok(Parsed::Address {
            host: host.to_string(),
            port,
        });
    }
    if t.parse::<std::net::IpAddr>().is_ok() {
        return Ok(Parsed::Address {
            host: t.to_string(),
            port: None,
        });
    }
    let (body, port) = match t.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => (h, Some(port_of(p)?)),
        Some(_) => {
            return Err(bad(
                "an IPv6 address with a port needs brackets: [ADDRESS]:PORT",
            ));
        }
        None => (t, None),
    };
    if body.is_empty() {
        return Err(bad("nothing before the port"));
    }
    if let Some((ns, name)) = body.split_once('/') {
        if ns.is_empty() || name.is_empty() || name.contains('/') {
            return Err(bad("expected NAMESPACE/NAME"));
        }
        return Ok(Parsed::Name {
            namespace: Some(ns.to_string()),
            name: name.to_string(),
            port,
        });
    }
    if body.contains('.') || body.parse::<std::net::IpAddr>().is_ok() {
        return Ok(Parsed::Address {
            host: body.to_string(),
            port,
        });
    }
    Ok(Parsed::Name {
        namespace: None,
        name: body.to_string(),
        port,
    })
}

fn find_service(
    snap: &Snapshot,
    namespace: Option<&str>,
    name: &str,
) -> Result<usize, TargetError> {
    let query = match namespace {
        Some(ns) => format!("{ns}/{name}"),
        None => name.to_string(),
    };
    match snap.find_services(&query) {
        Ok(found) if found.len() == 1 => Ok(position(snap, found[0])),
        Ok(found) => Err(TargetError {
            message: format!(
                "`{name}` is ambiguous: {} Services have that name",
                found.len()
            ),
            candidates: found.iter().map(|s| ns_name(s)).collect(),
            hint: format!("say which one: `svcx trace NAMESPACE/{name}` or `-n NAMESPACE`"),
        }),
        Err(e) => Err(not_found(e)),
    }
}

/// The error for a Service name that matched nothing: where it is when it is
/// in another namespace, else the closest names.
pub fn not_found(e: NotFound) -> TargetError {
    match e.elsewhere_hint() {
        Some(hint) => TargetError {
            message: e.to_string(),
            hint,
            candidates: Vec::new(),
        },
        None => TargetError {
            message: e.to_string(),
            hint: if e.candidates.is_empty() {
                "run `svcx trace` with no target to trace every Service in scope (add -A for every namespace)".into()
            } else {
                "did you mean one of these?".into()
            },
            candidates: e.candidates,
        },
    }
}

/// The NAME a TARGET asks for when it is a bare Service name (with or
/// without `:PORT`); `None` for `NAMESPACE/NAME`, addresses and DNS names.
pub fn bare_name(target: &str) -> Option<String> {
    match parse(target).ok()? {
        Parsed::Name {
            namespace: None,
            name,
            ..
        } => Some(name),
        _ => None,
    }
}

/// Whether the Service at position `i` is in the namespaces in scope.
fn in_scope(snap: &Snapshot, i: usize) -> bool {
    snap.scope
        .includes(&snap.services[i].object.namespace().unwrap_or_default())
}

/// The position of a Service in the snapshot's list (found by its indexed name).
fn position(snap: &Snapshot, s: &Located<Service>) -> usize {
    snap.services
        .iter()
        .position(|x| std::ptr::eq(x, s))
        .unwrap_or_default()
}

fn ns_name(s: &Located<Service>) -> String {
    format!(
        "{}/{}",
        s.object.namespace().unwrap_or_default(),
        s.object.name_any()
    )
}

fn ports_of(svc: &Service) -> &[ServicePort] {
    svc.spec
        .as_ref()
        .and_then(|s| s.ports.as_deref())
        .unwrap_or_default()
}

/// Positions of the Service ports that `want` names (a number or a name).
fn matching_ports(svc: &Service, want: &str) -> Vec<usize> {
    let number = want.parse::<i32>().ok();
    ports_of(svc)
        .iter()
        .enumerate()
        .filter(|(_, p)| Some(p.port) == number || p.name.as_deref() == Some(want))
        .map(|(i, _)| i)
        .collect()
}

fn describe_port(p: &ServicePort) -> String {
    let proto = protocol(p.protocol.as_ref());
    match p.name.as_deref().filter(|n| !n.is_empty()) {
        Some(n) => format!("{n} {}/{proto}", p.port),
        None => format!("{}/{proto}", p.port),
    }
}

/// Applies the port in TARGET and `--port` to a Service; `None` means all ports.
fn choose_ports(
    snap: &Snapshot,
    i: usize,
    from_target: Option<&str>,
    flag: Option<&str>,
    input: &str,
) -> Result<Option<Vec<usize>>, TargetError> {
    let svc = &snap.services[i].object;
    let mut chosen: Option<Vec<usize>> = None;
    for want in [from_target, flag].into_iter().flatten() {
        let m = matching_ports(svc, want);
        let m = match chosen {
            Some(c) => c.into_iter().filter(|p| m.contains(p)).collect(),
            None => m,
        };
        if m.is_empty()
            && svc.spec.as_ref().and_then(|s| s.type_.as_deref()) != Some("ExternalName")
        {
            return Err(TargetError {
                message: format!(
                    "Service {} has no port `{want}` (looking for `{input}`)",
                    ns_name(&snap.services[i])
                ),
                candidates: ports_of(svc).iter().map(describe_port).collect(),
                hint: "pick one of its ports, or leave the port out to trace them all".into(),
            });
        }
        chosen = Some(m);
    }
    Ok(chosen)
}

fn info(
    snap: &Snapshot,
    input: &str,
    matched: Matched,
    i: usize,
    node: Option<&str>,
) -> TargetInfo {
    TargetInfo {
        input: input.to_string(),
        matched,
        service: Some(ns_name(&snap.services[i])),
        node: node.map(str::to_string),
        gateway: None,
        routes: Vec::new(),
    }
}

fn resolve_address(
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
                    let ports: Vec<String> = ports_of(&snap.services[*i].object)
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
                    let p = ports_of(&svc.object)
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
fn resolve_host_path(
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
    if by_service.is_empty() {
        return Err(TargetError {
            message: format!(
                "`{input}` is served by {}, which {} to no Service that resolves",
                served
                    .iter()
                    .map(|s| describe_served(snap, routes, s))
                    .collect::<Vec<_>>()
                    .join("; "),
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
    match &s.depends {
        Some(why) => format!("{} (depends: {why})", each.join(" or ")),
        None => each.join(" and "),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_target_form() {
        let name = |ns: Option<&str>, n: &str, p: Option<i32>| Parsed::Name {
            namespace: ns.map(str::to_string),
            name: n.to_string(),
            port: p,
        };
        let addr = |h: &str, p: Option<i32>| Parsed::Address {
            host: h.to_string(),
            port: p,
        };
        assert_eq!(parse("cart").ok(), Some(name(None, "cart", None)));
        assert_eq!(
            parse("shop/cart").ok(),
            Some(name(Some("shop"), "cart", None))
        );
        assert_eq!(
            parse("203.0.113.7:443").ok(),
            Some(addr("203.0.113.7", Some(443)))
        );
        assert_eq!(parse("203.0.113.7").ok(), Some(addr("203.0.113.7", None)));
        assert_eq!(
            parse("lb.example.com:80").ok(),
            Some(addr("lb.example.com", Some(80)))
        );
        assert_eq!(
            parse("[fd00::1]:443").ok(),
            Some(addr("fd00::1", Some(443)))
        );
        assert_eq!(parse("fd00::1").ok(), Some(addr("fd00::1", None)));
        assert!(parse("10.0.0.1:99999").is_err());
        assert!(parse("fd00::1:x").is_err());
        assert!(parse("").is_err());
        assert!(parse("a/b/c").is_err());
        assert!(parse("[fd00::1").is_err());
    }

    #[test]
    fn only_a_bare_name_is_one() {
        assert_eq!(bare_name("metrics").as_deref(), Some("metrics"));
        assert_eq!(bare_name("metrics:9090").as_deref(), Some("metrics"));
        assert_eq!(bare_name("infra/metrics"), None);
        assert_eq!(bare_name("metrics.infra"), None);
        assert_eq!(bare_name("10.96.30.9"), None);
        assert_eq!(bare_name("metrics:x"), None);
    }
}
