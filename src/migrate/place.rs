//! Step 3, place each Service port: the route kind its protocol needs, the
//! hostname it is served for, and the listener it attaches to (one of an
//! existing Gateway that admits it, one an Ingress host already opened, or
//! a new one on a port no other listener of its transport takes). Ports
//! whose route cannot be written keep their Service as it is.

use super::build::{Parent, route};
use super::carry::untranslatable;
use super::decide::Decided;
use super::exposure::service_entries;
use super::ingress;
use super::target::ApiKind;
use super::{Emitted, Note, NoteCode, Options, PortKind, RouteLine, port_kind};
use crate::model::Snapshot;
use crate::model::routes::{GatewayFacts, RouteKind};
use crate::model::view::{Semantics, ServiceView, Shape};
use k8s_openapi::api::core::v1::ServicePort;
use std::collections::BTreeSet;

/// A listener being planned.
pub(super) struct Listener {
    pub(crate) name: String,
    /// `HTTP`, `HTTPS`, `TLS` (passthrough), `TCP` or `UDP`.
    pub(crate) protocol: &'static str,
    pub(crate) port: i32,
    pub(crate) hostname: Option<String>,
    /// The route kinds it admits: one, or HTTPRoute and GRPCRoute on an
    /// Ingress host whose Ingresses differ in backend-protocol.
    pub(crate) kinds: BTreeSet<ApiKind>,
    /// The namespaces of the routes it admits.
    pub(crate) namespaces: BTreeSet<String>,
    /// HTTPS: the certificate Secret it terminates with, `(namespace, name)`.
    pub(crate) certificate: Option<(String, String)>,
}

/// What placing needs to know.
pub(super) struct Placing<'a, 's> {
    pub(crate) snap: &'s Snapshot,
    pub(crate) sem: &'a Semantics<'s>,
    pub(crate) opts: &'a Options,
    pub(crate) decided: &'a Decided<'s>,
    /// `namespace/name` of the Ingresses that move.
    pub(crate) ingresses: BTreeSet<String>,
}

/// Where the Services went.
pub(super) struct Placed<'a, 's> {
    /// `namespace/name` of every Service rewritten to ClusterIP.
    pub(crate) services: Vec<String>,
    /// Services with a port no route carries: they keep their type.
    pub(crate) kept: Vec<&'a ServiceView<'s>>,
}

/// Places every port of the chosen Services, adding listeners, routes,
/// route lines and certificate grants to what the Ingresses added.
pub(super) fn services<'v, 's>(
    cx: &Placing<'_, 's>,
    views: &'v [ServiceView<'s>],
    out: &mut ingress::Out,
    notes: &mut Vec<Note>,
) -> Placed<'v, 's> {
    let Placing {
        snap, sem, opts, ..
    } = *cx;
    let Decided {
        target,
        existing,
        gateway_name,
        gateway_namespace,
        ..
    } = cx.decided;
    let existing = *existing;
    let listeners = &mut out.listeners;
    // Secrets the Gateway's listeners use from other namespaces, by namespace.
    let grants = &mut out.grants;
    let routes = &mut out.objects;
    let lines = &mut out.lines;
    let mut services = Vec::new();
    let mut hostless = false;
    let mut kept: Vec<&ServiceView> = Vec::new();
    let chosen_names = &cx.ingresses;
    // A NodePort Service that a cloud Ingress reaches through its node ports
    // (without container-native load balancing, GKE's load balancer needs
    // them: ingress-gce `translator.go`, "expected \"NodePort\" or
    // \"LoadBalancer\" when not using NEGs"; so does an ALB in instance
    // mode, model::ingress_lb): the node ports exist for the Ingress, so they
    // open no second way in through the Gateway.
    for view in views {
        // With container-native load balancing (or ALB target type ip) the
        // load balancer goes straight to the pods and the node ports are
        // nobody's.
        if view.shape == Shape::NodePort
            && let Some(lb) = sem.load_balanced_ingresses(view)
            && lb.needs_node_ports()
        {
            let users = &lb.names;
            let migrated: Vec<String> = users
                .iter()
                .filter(|u| chosen_names.contains(*u))
                .cloned()
                .collect();
            let object = format!("Service {}", view.full_name());
            if migrated.is_empty() {
                notes.push(Note {
                    code: NoteCode::IngressBackendNodePort,
                    object,
                    port: None,
                    message: format!(
                        "its node ports are how {} of Ingress {} reaches it, and that Ingress is not migrated: it \
                         is left as it is",
                        lb.by.load_balancer(),
                        users.join(", ")
                    ),
                    instead: "migrate the Ingress with it (or keep both as they are)".into(),
                });
                kept.push(view);
            } else {
                notes.push(Note {
                    code: NoteCode::IngressBackendNodePort,
                    object,
                    port: None,
                    message: format!(
                        "its node ports were how {} of Ingress {} reached it; the Ingress's routes now reach it \
                         through the Gateway, so it gets no listener of its own and becomes ClusterIP",
                        lb.by.load_balancer(),
                        migrated.join(", ")
                    ),
                    instead: "nothing to do; keep it NodePort if clients outside used its node ports directly".into(),
                });
                notes.extend(untranslatable(view));
                services.push(view.full_name());
            }
            continue;
        }
        let mut unrouted: Vec<String> = Vec::new();
        for sp in view.ports() {
            let port_label = sp.name.clone().unwrap_or_else(|| sp.port.to_string());
            let note = |code, message: String, instead: String| Note {
                code,
                object: format!("Service {}", view.full_name()),
                port: Some(port_label.clone()),
                message,
                instead,
            };
            let pk = port_kind(sp);
            if pk == PortKind::Sctp {
                notes.push(note(
                    NoteCode::Sctp,
                    format!(
                        "port {} is SCTP, which no Gateway API route carries",
                        sp.port
                    ),
                    "keep this port on a LoadBalancer Service of its own".into(),
                ));
                unrouted.push(port_label.clone());
                continue;
            }
            let hostname = matches!(pk, PortKind::Http | PortKind::Grpc | PortKind::Tls)
                .then(|| hostname_for(view, opts, sem, sp.port))
                .flatten();
            if hostname.is_none() && pk != PortKind::Tcp && pk != PortKind::Udp {
                hostless = true;
            }
            let mut kind = match pk {
                PortKind::Http => ApiKind::HttpRoute,
                PortKind::Grpc => ApiKind::GrpcRoute,
                PortKind::Tls => ApiKind::TlsRoute,
                PortKind::Tcp => ApiKind::TcpRoute,
                PortKind::Udp | PortKind::Sctp => ApiKind::UdpRoute,
            };
            // TLSRoute v1 requires hostnames; without one, passthrough by
            // port is what a TCPRoute does.
            if kind == ApiKind::TlsRoute
                && hostname.is_none()
                && target.api_version(ApiKind::TlsRoute).as_deref()
                    == Some("gateway.networking.k8s.io/v1")
            {
                notes.push(note(
                    NoteCode::TlsWithoutHostname,
                    format!(
                        "port {} carries TLS, and TLSRoute v1 routes by SNI hostname, which is not known: \
                         it is passed through by port with a TCPRoute instead",
                        sp.port
                    ),
                    format!(
                        "give it a hostname (--hostname {}=HOST or --domain) to route by SNI with a TLSRoute",
                        view.full_name()
                    ),
                ));
                kind = ApiKind::TcpRoute;
            }
            let Some(api_version) = target.api_version(kind) else {
                let would = target.would_serve(kind);
                notes.push(note(
                    NoteCode::KindNotServed,
                    format!("port {} needs a {kind}, which {target} does not serve: no route is written", sp.port),
                    format!("{would}: pass --gateway-api-version/--channel for it, or keep this port on its own Service"),
                ));
                unrouted.push(port_label.clone());
                continue;
            };
            let protocol = match kind {
                ApiKind::HttpRoute | ApiKind::GrpcRoute => "HTTP",
                ApiKind::TlsRoute => "TLS",
                ApiKind::UdpRoute => "UDP",
                _ => "TCP",
            };
            let (listener_name, listener_port) = if let Some(g) = existing {
                let want = Want {
                    protocol,
                    port: sp.port,
                    hostname: hostname.as_deref(),
                    kind,
                    namespace: &view.namespace,
                };
                match fitting(snap, g, &want, notes) {
                    Some(found) => found,
                    None => {
                        notes.push(missing_listener(g, &want));
                        unrouted.push(port_label.clone());
                        continue;
                    }
                }
            } else if let Some(l) = listeners.iter_mut().find(|l| {
                // A hostname an Ingress already serves on this port: its
                // listener takes this route too (rules merge by path).
                hostname.is_some()
                    && l.protocol == protocol
                    && l.port == sp.port
                    && l.hostname == hostname
                    && l.kinds.contains(&kind)
                    && l.certificate.is_none()
            }) {
                l.namespaces.insert(view.namespace.clone());
                (l.name.clone(), l.port)
            } else {
                let listener_port = free_port(listeners, protocol, sp.port, hostname.as_deref());
                if listener_port != sp.port {
                    notes.push(port_moved(
                        view,
                        sp,
                        listener_port,
                        hostname.is_some(),
                        protocol,
                    ));
                }
                let listener_name = unique_name(
                    listeners,
                    &match &hostname {
                        Some(h) => format!(
                            "{}-{listener_port}-{}",
                            protocol.to_lowercase(),
                            h.replace(['.', '*'], "-")
                        ),
                        None => format!("{}-{listener_port}", protocol.to_lowercase()),
                    },
                );
                listeners.push(Listener {
                    name: listener_name.clone(),
                    protocol,
                    port: listener_port,
                    hostname: hostname.clone(),
                    kinds: BTreeSet::from([kind]),
                    namespaces: BTreeSet::from([view.namespace.clone()]),
                    certificate: None,
                });
                (listener_name, listener_port)
            };
            let route_name = format!("{}-{port_label}", view.name);
            let mut parents = vec![Parent {
                name: gateway_name.clone(),
                namespace: gateway_namespace.clone(),
                section: listener_name.clone(),
            }];
            let mut extra_line = None;
            // --tls-secret: HTTP and gRPC are also served on HTTPS, the
            // Gateway terminating TLS with the Secret for the hostname.
            if let (ApiKind::HttpRoute | ApiKind::GrpcRoute, Some(secret)) =
                (kind, tls_secret_for(view, opts))
            {
                match &hostname {
                    None => notes.push(note(
                        NoteCode::TlsSecretWithoutHostname,
                        "--tls-secret names a certificate, but the port has no hostname for an HTTPS listener \
                         to serve it for: it is served on HTTP only"
                            .into(),
                        format!("give it a hostname (--hostname {}=HOST or --domain)", view.full_name()),
                    )),
                    Some(h) => {
                        let want = Want {
                            protocol: "HTTPS",
                            port: 443,
                            hostname: Some(h),
                            kind,
                            namespace: &view.namespace,
                        };
                        let placed = match existing {
                            Some(g) => {
                                let found = fitting(snap, g, &want, notes);
                                if found.is_none() {
                                    notes.push(missing_listener(g, &want));
                                }
                                found
                            }
                            None => {
                                let port = free_port(listeners, "HTTPS", 443, Some(h));
                                let name = unique_name(
                                    listeners,
                                    &format!("https-{port}-{}", h.replace(['.', '*'], "-")),
                                );
                                if secret.0 != *gateway_namespace {
                                    grants.entry(secret.0.clone()).or_default().insert(secret.1.clone());
                                }
                                listeners.push(Listener {
                                    name: name.clone(),
                                    protocol: "HTTPS",
                                    port,
                                    hostname: Some(h.clone()),
                                    kinds: BTreeSet::from([kind]),
                                    namespaces: BTreeSet::from([view.namespace.clone()]),
                                    certificate: Some(secret.clone()),
                                });
                                Some((name, port))
                            }
                        };
                        if let Some((name, port)) = placed {
                            parents.push(Parent {
                                name: gateway_name.clone(),
                                namespace: gateway_namespace.clone(),
                                section: name.clone(),
                            });
                            extra_line = Some((name, port));
                        }
                    }
                }
            }
            routes.push(Emitted {
                api_version,
                object: route(kind, view, sp.port, &route_name, hostname.clone(), &parents),
            });
            lines.push(RouteLine {
                service: view.full_name(),
                port: sp.port,
                kind,
                route: format!("{}/{route_name}", view.namespace),
                listener: listener_name,
                listener_port,
                hostname: hostname.clone(),
            });
            if let Some((listener, listener_port)) = extra_line {
                lines.push(RouteLine {
                    service: view.full_name(),
                    port: sp.port,
                    kind,
                    route: format!("{}/{route_name}", view.namespace),
                    listener,
                    listener_port,
                    hostname,
                });
            }
        }
        if unrouted.is_empty() {
            // What the rewrite loses is said only of Services rewritten.
            notes.extend(untranslatable(view));
            services.push(view.full_name());
        } else {
            let others = if unrouted.len() == view.ports().len() {
                "none of its ports is routed"
            } else {
                "its other ports are also routed through the Gateway"
            };
            notes.push(Note {
                code: NoteCode::ServiceKept,
                object: format!("Service {}", view.full_name()),
                port: None,
                message: format!(
                    "port(s) {} get no route, so the Service stays {} (not rewritten): rewriting it would cut them off; \
                     {others}",
                    unrouted.join(", "),
                    view.service_type
                ),
                instead: "give those ports a route (a listener on the Gateway, a release that serves their kind) or \
                          move them to a Service of their own, then migrate again"
                    .into(),
            });
            kept.push(view);
        }
    }
    if hostless && opts.domain.is_none() {
        notes.push(Note {
            code: NoteCode::NoHostname,
            object: format!("Gateway {gateway_namespace}/{gateway_name}"),
            port: None,
            message: "no hostname is known for some HTTP, gRPC or TLS ports: each gets a listener of its own that \
                      matches any hostname, on a port no other route uses"
                .into(),
            instead: "pass --domain example.com, or --hostname SERVICE=HOST for each, to share ports by hostname"
                .into(),
        });
    }

    Placed { services, kept }
}

/// The hostname of a Service's routes: `--hostname`, else `--domain`.
pub(super) fn hostname_for(
    view: &ServiceView,
    opts: &Options,
    sem: &Semantics,
    port: i32,
) -> Option<String> {
    let full = view.full_name();
    opts.hostnames
        .iter()
        .find(|(svc, _)| *svc == full)
        .or_else(|| opts.hostnames.iter().find(|(svc, _)| *svc == view.name))
        .map(|(_, h)| h.clone())
        .or_else(|| ingress_host(view, sem, port))
        .or_else(|| {
            opts.domain.as_ref().map(|d| {
                format!(
                    "{}.{}.{}",
                    view.name,
                    view.namespace,
                    d.trim_start_matches('.')
                )
            })
        })
}

/// The host an Ingress already serves this Service port on, when exactly
/// one does: clients know the Service by that name.
fn ingress_host(view: &ServiceView, sem: &Semantics, port: i32) -> Option<String> {
    let hosts: BTreeSet<&String> = sem
        .routes
        .ingresses
        .iter()
        .flat_map(|i| &i.paths)
        .filter(|p| p.target == Some(view.index))
        .filter(|p| {
            p.port_index
                .and_then(|i| view.ports().get(i))
                .is_some_and(|sp| sp.port == port)
        })
        .filter_map(|p| p.host.as_ref())
        .collect();
    match hosts.into_iter().collect::<Vec<_>>().as_slice() {
        [only] => Some((*only).clone()),
        _ => None,
    }
}

/// The first Gateway port from `want` on where a listener of `protocol` and
/// `hostname` collides with none: HTTP, HTTPS, TLS and TCP share the TCP
/// port space and never share a port with each other; listeners of one
/// protocol share a port when their hostnames differ (a listener without
/// one serves the hosts no other names, as an Ingress default backend
/// does); TCP and UDP listeners have no hostname, so take the port whole.
pub(super) fn free_port(
    listeners: &[Listener],
    protocol: &str,
    want: i32,
    hostname: Option<&str>,
) -> i32 {
    let transport = |p: &str| if p == "UDP" { "UDP" } else { "TCP" };
    let clash = |port: i32| {
        listeners.iter().any(|l| {
            l.port == port
                && transport(l.protocol) == transport(protocol)
                && (l.protocol != protocol || l.hostname.as_deref() == hostname)
        })
    };
    let mut port = want;
    while clash(port) && port < 65535 {
        port += 1;
    }
    port
}

/// What to say when a Service port is served on another Gateway port than
/// its own: clients must change port, which is never silent. The clients
/// are named by where they connected before; the ways to keep the port are
/// hostnames (HTTP, gRPC, TLS share a port by hostname) or a Gateway of its
/// own.
fn port_moved(
    view: &ServiceView,
    sp: &ServicePort,
    listener_port: i32,
    has_hostname: bool,
    protocol: &str,
) -> Note {
    let backend = format!("{}:{}", view.full_name(), sp.port);
    let before: Vec<String> = service_entries(view)
        .into_iter()
        .filter(|e| e.backend == backend)
        .map(|e| e.address)
        .collect();
    let clients = if before.is_empty() {
        "its clients".to_string()
    } else {
        format!("clients of {}", before.join(", "))
    };
    let keep = if has_hostname || matches!(protocol, "TCP" | "UDP") {
        format!(
            "to keep port {}, migrate {} in a separate run to a Gateway of its own (--gateway-name)",
            sp.port,
            view.full_name()
        )
    } else {
        format!(
            "to keep port {}, give the routes hostnames (--domain, or --hostname {}=HOST) so they share the port, \
             or migrate {} in a separate run to a Gateway of its own (--gateway-name)",
            sp.port,
            view.full_name(),
            view.full_name()
        )
    };
    Note {
        code: NoteCode::PortMoved,
        object: format!("Service {}", view.full_name()),
        port: Some(sp.name.clone().unwrap_or_else(|| sp.port.to_string())),
        message: format!(
            "Gateway port {} is already taken by another route{}, so this port is served on Gateway port \
             {listener_port}: {clients} must connect to port {listener_port} of the Gateway's address",
            sp.port,
            if has_hostname {
                " for the same hostname"
            } else {
                " with no hostname, as this one"
            }
        ),
        instead: format!("{keep}; else tell its clients the new port"),
    }
}

/// A listener a route needs.
#[derive(Clone, Copy)]
pub(super) struct Want<'a> {
    pub(crate) protocol: &'static str,
    pub(crate) port: i32,
    pub(crate) hostname: Option<&'a str>,
    pub(crate) kind: ApiKind,
    pub(crate) namespace: &'a str,
}

/// The route kind as the model names it.
fn route_kind(kind: ApiKind) -> RouteKind {
    match kind {
        ApiKind::GrpcRoute => RouteKind::Grpc,
        ApiKind::TlsRoute => RouteKind::Tls,
        ApiKind::TcpRoute => RouteKind::Tcp,
        ApiKind::UdpRoute => RouteKind::Udp,
        _ => RouteKind::Http,
    }
}

/// The listener of an existing Gateway that fits: the protocol and port
/// the route needs, admitting its kind, namespace and hostname by the
/// Gateway API's rules (the model's). `(name, port)`.
pub(super) fn fitting(
    snap: &Snapshot,
    gateway: &GatewayFacts,
    want: &Want,
    notes: &mut Vec<Note>,
) -> Option<(String, i32)> {
    let hostnames: Vec<String> = want.hostname.map(String::from).into_iter().collect();
    let (listener, unsure) = gateway
        .admitting(snap, route_kind(want.kind), want.namespace, &hostnames)
        .into_iter()
        .find(|(l, _)| l.protocol == want.protocol && l.port == want.port)?;
    if let Some(why) = unsure {
        notes.push(Note {
            code: NoteCode::ListenerUnsure,
            object: format!("Gateway {}", gateway.full_name()),
            port: None,
            message: format!(
                "the {} from namespace {} uses listener {}: {why}",
                want.kind, want.namespace, listener.name
            ),
            instead: "check that the namespace carries the labels the listener selects".into(),
        });
    }
    Some((listener.name.clone(), listener.port))
}

/// What to say when an existing Gateway has no listener for a route.
pub(super) fn missing_listener(gateway: &GatewayFacts, want: &Want) -> Note {
    let host = want
        .hostname
        .map(|h| format!(", hostname {h}"))
        .unwrap_or_default();
    Note {
        code: NoteCode::ListenerMissing,
        object: format!("Gateway {}", gateway.full_name()),
        port: None,
        message: format!(
            "no listener of protocol {} on port {}{host} admits a {} from namespace {}: svcx adds none, so this route \
             is not written",
            want.protocol, want.port, want.kind, want.namespace
        ),
        instead: format!(
            "add a listener (protocol {}, port {}{host}, allowedRoutes admitting {} from {}) to the Gateway, then \
             migrate again",
            want.protocol, want.port, want.kind, want.namespace
        ),
    }
}

/// `base`, or `base-2`, `base-3`... if a listener has it already.
pub(super) fn unique_name(listeners: &[Listener], base: &str) -> String {
    let taken = |n: &str| listeners.iter().any(|l| l.name == n);
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|i| format!("{base}-{i}"))
        .find(|n| !taken(n))
        .unwrap_or_default()
}

/// For `--existing-gateway`: each route that joins a listener where routes
/// that exist already serve an overlapping hostname, named with them (the
/// Gateway then shares those hostnames between them by match and age).
pub(super) fn shared_listeners(g: &GatewayFacts, lines: &[RouteLine]) -> Vec<Note> {
    use crate::model::routes::hostnames::intersect;
    let mut out: Vec<Note> = Vec::new();
    for line in lines {
        let Some(listener) = g.listeners.iter().find(|l| l.name == line.listener) else {
            continue;
        };
        let ours: Vec<String> = line.hostname.iter().cloned().collect();
        for other in &listener.attached {
            let theirs = other.hostnames.clone();
            let overlap = match (ours.is_empty(), theirs.is_empty()) {
                (true, _) | (_, true) => true,
                _ => ours.iter().any(|h| intersect(Some(h), &theirs).is_some()),
            };
            if !overlap {
                continue;
            }
            let message = format!(
                "route {} joins listener {} (port {}), where {} {}/{} already serves {}: requests for those \
                 hostnames now go to whichever route matches them best, then the older route",
                line.route,
                listener.name,
                listener.port,
                other.kind.kind(),
                other.namespace,
                other.name,
                if theirs.is_empty() {
                    "any hostname".to_string()
                } else {
                    theirs.join(", ")
                }
            );
            if !out.iter().any(|n| n.message == message) {
                out.push(Note {
                    code: NoteCode::SharedListener,
                    object: format!("Gateway {}", g.full_name()),
                    port: None,
                    message,
                    instead: "check the routing check's requests for those hostnames; give the new routes distinct \
                              hostnames or paths if they must not share"
                        .into(),
                });
            }
        }
    }
    out
}

/// `--tls-secret` for a Service: `(namespace, name)` of the Secret, in the
/// Service's namespace unless named.
fn tls_secret_for(view: &ServiceView, opts: &Options) -> Option<(String, String)> {
    let full = view.full_name();
    opts.tls_secrets
        .iter()
        .find(|(svc, _)| *svc == full)
        .or_else(|| opts.tls_secrets.iter().find(|(svc, _)| *svc == view.name))
        .map(|(_, secret)| match secret.split_once('/') {
            Some((ns, name)) => (ns.to_string(), name.to_string()),
            None => (view.namespace.clone(), secret.clone()),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(name: &str, port: i32, protocol: &str, app: Option<&str>) -> ServicePort {
        ServicePort {
            name: Some(name.into()).filter(|n: &String| !n.is_empty()),
            port,
            protocol: Some(protocol.into()),
            app_protocol: app.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn ports_get_the_route_kind_of_what_they_carry() {
        assert_eq!(
            port_kind(&sp("grpc-api", 9000, "TCP", None)),
            PortKind::Grpc
        );
        assert_eq!(
            port_kind(&sp("x", 9000, "TCP", Some("kubernetes.io/h2c"))),
            PortKind::Http
        );
        assert_eq!(
            port_kind(&sp("grpc", 9000, "TCP", Some("kubernetes.io/h2c"))),
            PortKind::Grpc
        );
        assert_eq!(port_kind(&sp("", 8080, "TCP", None)), PortKind::Http);
        assert_eq!(port_kind(&sp("web", 9090, "TCP", None)), PortKind::Http);
        assert_eq!(port_kind(&sp("https", 443, "TCP", None)), PortKind::Tls);
        assert_eq!(port_kind(&sp("", 8443, "TCP", None)), PortKind::Tls);
        assert_eq!(port_kind(&sp("redis", 6379, "TCP", None)), PortKind::Tcp);
        assert_eq!(port_kind(&sp("dns", 53, "UDP", None)), PortKind::Udp);
        assert_eq!(port_kind(&sp("sig", 3868, "SCTP", None)), PortKind::Sctp);
    }

    fn listener(protocol: &'static str, port: i32, hostname: Option<&str>) -> Listener {
        Listener {
            name: format!("{protocol}-{port}"),
            protocol,
            port,
            hostname: hostname.map(Into::into),
            kinds: BTreeSet::from([ApiKind::HttpRoute]),
            namespaces: BTreeSet::from(["a".to_string()]),
            certificate: None,
        }
    }

    #[test]
    fn listener_ports_never_collide() {
        let ls = [listener("HTTP", 80, None), listener("TCP", 443, None)];
        assert_eq!(free_port(&ls, "HTTP", 80, None), 81);
        assert_eq!(free_port(&ls, "HTTP", 80, Some("a.example.com")), 80);
        assert_eq!(free_port(&ls, "TLS", 443, Some("a.example.com")), 444);
        assert_eq!(free_port(&ls, "UDP", 443, None), 443);
        let named = [listener("HTTP", 80, Some("a.example.com"))];
        assert_eq!(free_port(&named, "HTTP", 80, Some("b.example.com")), 80);
        assert_eq!(free_port(&named, "HTTP", 80, Some("a.example.com")), 81);
    }
}
