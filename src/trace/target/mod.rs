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
use crate::model::ports::{protocol, service_ports};
use crate::model::routes::{RouteIndex, Served};
use crate::model::routing::ServedBy;
use crate::model::view::Semantics;
use crate::model::{Located, Snapshot};
use k8s_openapi::api::core::v1::{Service, ServicePort};
use kube::ResourceExt;
use std::collections::BTreeMap;

mod address;

use address::{resolve_address, resolve_host_path};

/// Where on a Service's path the trace starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Entry {
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
pub(crate) struct Selection {
    /// Position in [`Snapshot::services`].
    pub(crate) service: usize,
    /// Positions in `spec.ports`; `None` for all.
    pub(crate) ports: Option<Vec<usize>>,
    pub(crate) entry: Entry,
}

/// The Services a TARGET stands for.
#[derive(Clone, Debug)]
pub(crate) struct Resolved {
    pub(crate) info: Option<TargetInfo>,
    pub(crate) selections: Vec<Selection>,
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
pub(crate) fn resolve(
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
pub(crate) fn not_found(e: NotFound) -> TargetError {
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
pub(crate) fn bare_name(target: &str) -> Option<String> {
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

/// Positions of the Service ports that `want` names (a number or a name).
fn matching_ports(svc: &Service, want: &str) -> Vec<usize> {
    let number = want.parse::<i32>().ok();
    service_ports(svc)
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
                candidates: service_ports(svc).iter().map(describe_port).collect(),
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

#[cfg(test)]
mod tests;
