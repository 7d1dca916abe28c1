//! Routes in front of Services, resolved once per run: Gateway API routes
//! (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute) attached to the
//! listeners of Gateways, and Ingress paths served by an IngressClass's
//! controller. The [`RouteIndex`] holds every Gateway with its listeners and
//! what each admits, every route with its parents, rules and backends, every
//! Ingress with its paths, and for each Service the routes and Ingresses
//! that reach it and those that try to but are not admitted or do not
//! resolve, each with the [`Finding`]s that say why.
//!
//! [`Semantics`](super::view::Semantics) builds it once; explain and trace
//! read it through each Service's view and never resolve a route again.
//! Modules: `shape` (one shape for every route kind), `hostnames`
//! (intersection and wildcards), `gateway` (listeners and `allowedRoutes`),
//! `listeners` (what the Gateway API says of a Gateway's listeners together:
//! invalid route kinds, certificates across namespaces, shared ports),
//! `resolve` (parents, backends, ReferenceGrants, status), `ingress`, and
//! `serve` (which rule serves a host and path, for trace targets).

pub(crate) mod gateway;
pub(crate) mod hostnames;
pub(crate) mod ingress;
pub(crate) mod l4;
mod listener_sets;
pub(crate) mod listeners;
mod references;
pub(crate) mod resolve;
mod serve;
mod shape;

pub(crate) use gateway::{
    AddressState, AllowedFrom, AttachedRoute, GatewayFacts, NAMESPACE_NAME_LABEL, RejectedRoute,
};
pub(crate) use ingress::{CLASS_ANNOTATION, ClassSource};
pub(crate) use references::{Fetched, Outcome, Reference, beyond_scope};
pub(crate) use serve::Served;
pub(crate) use shape::{ParentKind, RouteKind, ServiceRouteKind, fold_external_auth, match_path};

use super::finding::{Finding, Severity};
use super::{Origin, Snapshot};
use resolve::Resolver;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// How a listener is named to people: `https (HTTPS 443, *.example.com)`.
pub(crate) fn listener_label(
    name: &str,
    protocol: &str,
    port: i32,
    hostname: Option<&str>,
) -> String {
    match hostname {
        Some(h) => format!("{name} ({protocol} {port}, {h})"),
        None => format!("{name} ({protocol} {port})"),
    }
}

/// A listener that admits a route.
#[derive(Clone, Debug, Serialize)]
pub struct AdmittingListener {
    /// Position in the Gateway's listeners.
    #[serde(skip)]
    pub(crate) index: usize,
    pub name: String,
    pub(crate) protocol: String,
    pub(crate) port: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) hostname: Option<String>,
    /// The hostnames the route serves there (empty: any).
    pub hostnames: Vec<String>,
}

/// A condition as the route's controller wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConditionView {
    /// `True`, `False` or `Unknown`.
    pub status: String,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) message: Option<String>,
    /// Written for an older generation of the route than the one read.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) stale: bool,
}

/// What the cluster says about a route and one of its parents.
#[derive(Clone, Debug, Serialize)]
pub struct ParentStatus {
    pub(crate) controller: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<ConditionView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_refs: Option<ConditionView>,
    /// Whether it agrees with svcx's reading (else an SVC511 finding says how not).
    pub agrees: bool,
}

/// One parentRef of a route, resolved.
#[derive(Clone, Debug, Serialize)]
pub struct RouteParent {
    /// The kind of parent named (`Gateway` unless it says otherwise).
    pub kind: ParentKind,
    /// `namespace/name` of the parent, as named.
    pub gateway: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) section_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) port: Option<i32>,
    /// Position of the Gateway in [`RouteIndex::gateways`], when it exists.
    #[serde(skip)]
    pub(crate) gateway_index: Option<usize>,
    /// The Gateway's assigned addresses (`status.addresses`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) addresses: Vec<String>,
    /// The listeners that admit the route (empty: not attached here).
    pub listeners: Vec<AdmittingListener>,
    /// Why it is not (or may not be) admitted, and status disagreements.
    pub(crate) findings: Vec<Finding>,
    /// What the route's controller reports for this parent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ParentStatus>,
    /// The parent could not be read (RBAC, a failed read), and the route's
    /// status says its controller accepted the route there: attached on the
    /// controller's word, through listeners svcx cannot name.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) accepted_per_status: bool,
}

impl RouteParent {
    /// Whether the route is attached to this parent: a listener admits it,
    /// or, the parent unread, its status says so.
    pub(crate) fn attached(&self) -> bool {
        !self.listeners.is_empty() || self.accepted_per_status
    }
}

/// One backendRef, resolved.
#[derive(Clone, Debug, Serialize)]
pub struct BackendFacts {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
    /// `weight` (default 1).
    pub weight: i32,
    /// Filters applied to requests sent to this backend.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) filters: Vec<String>,
    /// Position of the Service in [`Snapshot::services`], when it exists.
    #[serde(skip)]
    pub(crate) service: Option<usize>,
    /// Position of the port in the Service's ports, when it has it.
    #[serde(skip)]
    pub(crate) port_index: Option<usize>,
    pub(crate) findings: Vec<Finding>,
}

impl BackendFacts {
    /// Whether it resolves to a Service port, with no error in the way.
    pub fn resolved(&self) -> bool {
        self.port_index.is_some() && !self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// One rule of a route.
#[derive(Clone, Debug, Serialize)]
pub struct RuleFacts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    /// One string per match, in plain words (`PathPrefix /api, method GET`).
    pub matches: Vec<String>,
    /// The rule's filters by type (`RequestRedirect`, `URLRewrite`...).
    pub filters: Vec<String>,
    pub backends: Vec<BackendFacts>,
    #[serde(skip)]
    raw_matches: Vec<Value>,
    #[serde(skip)]
    raw_filters: Vec<Value>,
}

impl RuleFacts {
    /// `matches` as written (JSON), for the routing model.
    pub(crate) fn raw_matches(&self) -> &[Value] {
        &self.raw_matches
    }

    /// `filters` as written (JSON), for the routing model.
    pub(crate) fn raw_filters(&self) -> &[Value] {
        &self.raw_filters
    }

    /// The sum of the weights of its backends.
    pub(crate) fn total_weight(&self) -> i32 {
        self.backends
            .iter()
            .map(|b| b.weight.max(0))
            .fold(0, i32::saturating_add)
    }
}

/// One Gateway API route, resolved.
#[derive(Clone, Debug, Serialize)]
pub struct RouteFacts {
    pub kind: RouteKind,
    pub namespace: String,
    pub name: String,
    pub(crate) origin: Origin,
    /// `spec.hostnames` as written.
    pub(crate) hostnames: Vec<String>,
    pub parents: Vec<RouteParent>,
    pub rules: Vec<RuleFacts>,
    /// Findings about the route as a whole (no parentRefs).
    pub(crate) findings: Vec<Finding>,
    /// `metadata.creationTimestamp`: the older of two routes that match a
    /// request equally wins.
    #[serde(skip)]
    pub(crate) created: Option<String>,
}

impl RouteFacts {
    /// Whether any parent admits it.
    pub(crate) fn attached(&self) -> bool {
        self.parents.iter().any(RouteParent::attached)
    }

    /// Every finding about it: its own, its parents', its backends'.
    pub fn all_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .chain(self.parents.iter().flat_map(|p| p.findings.iter()))
            .chain(
                self.rules
                    .iter()
                    .flat_map(|r| r.backends.iter())
                    .flat_map(|b| b.findings.iter()),
            )
    }
}

/// One path of an Ingress (or its default backend), resolved.
#[derive(Clone, Debug, Serialize)]
pub struct IngressPathFacts {
    /// `spec.rules[0].http.paths[1]` or `spec.defaultBackend`.
    pub(crate) field: String,
    #[serde(skip)]
    pub(crate) rule: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// `Prefix /static/`, or the default backend's words.
    pub matches: Vec<String>,
    #[serde(skip)]
    pub(crate) path: String,
    #[serde(skip)]
    pub(crate) path_type: String,
    /// Whether `spec.tls` covers its host (served on 443 too).
    pub tls: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The Service port as written: a number or a name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
    #[serde(skip)]
    pub(crate) target: Option<usize>,
    #[serde(skip)]
    pub port_index: Option<usize>,
    pub findings: Vec<Finding>,
}

/// One Ingress, resolved.
#[derive(Clone, Debug, Serialize)]
pub struct IngressFacts {
    #[serde(skip)]
    pub(crate) index: usize,
    pub namespace: String,
    pub name: String,
    pub(crate) origin: Origin,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    pub class_source: ClassSource,
    /// The IngressClass's `spec.controller`, when the class was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub controller: Option<String>,
    /// `status.loadBalancer.ingress`: where the controller receives it.
    pub(crate) addresses: Vec<String>,
    /// The controller's own Service (`namespace/name`), when in the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) controller_service: Option<String>,
    #[serde(skip)]
    pub(crate) controller_service_index: Option<usize>,
    pub paths: Vec<IngressPathFacts>,
    /// Findings about the Ingress as a whole (SVC513).
    pub findings: Vec<Finding>,
}

impl IngressFacts {
    /// The first field the API server refuses, when it refuses the
    /// Ingress, which then never routes: a path (SVC522), or a host that is
    /// not a DNS name (`spec.rules[i].host`).
    pub(crate) fn refused(&self) -> Option<String> {
        let path = self
            .paths
            .iter()
            .flat_map(|p| &p.findings)
            .find(|f| f.code == crate::model::finding::Code::InvalidIngressPath)
            .and_then(|f| f.field.clone());
        path.or_else(|| {
            self.paths.iter().find_map(|p| {
                let host = p.host.as_deref()?;
                (!hostnames::ingress_host_valid(host))
                    .then(|| format!("spec.rules[{}].host", p.rule.unwrap_or_default()))
            })
        })
    }
}

/// The Ingress side of a [`ServiceRoute`]: who receives the traffic.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct IngressEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) class: Option<String>,
    pub(crate) class_source: ClassSource,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) controller: Option<String>,
    pub(crate) addresses: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) controller_service: Option<String>,
    /// Position of the controller's Service in [`Snapshot::services`].
    #[serde(skip)]
    pub(crate) controller_service_index: Option<usize>,
    /// Whether the host is covered by `spec.tls` (served on 443 too).
    pub(crate) tls: bool,
    /// Findings about the Ingress's class.
    pub(crate) findings: Vec<Finding>,
}

/// A backend's share of its rule's traffic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Weight {
    pub(crate) weight: i32,
    /// The sum of the rule's weights.
    pub(crate) total: i32,
}

/// A route or Ingress path that reaches a Service, or tries to.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ServiceRoute {
    /// Position in [`RouteIndex::routes`], or in [`RouteIndex::ingresses`] for an Ingress.
    #[serde(skip)]
    pub(crate) index: usize,
    /// Positions of the Ingress's paths this entry stands for.
    #[serde(skip)]
    pub(crate) paths: Vec<usize>,
    /// `HTTPRoute`, `GRPCRoute`, `TLSRoute`, `TCPRoute`, `UDPRoute` or `Ingress`.
    pub(crate) kind: ServiceRouteKind,
    pub(crate) namespace: String,
    pub(crate) name: String,
    pub(crate) origin: Origin,
    /// The backend's field: `spec.rules[1].backendRefs[0]`, `spec.rules[0].http.paths[2]`.
    pub(crate) field: String,
    /// Position of the rule; absent for an Ingress's default backend.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) rule: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) rule_name: Option<String>,
    /// Position of the Service port it sends to, when the Service has it.
    #[serde(skip)]
    pub(crate) port: Option<usize>,
    /// The Service port as the route names it (`80`, `http`); absent when it names none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) service_port: Option<String>,
    /// Gateway parents (routes), each with the listeners that admit it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) parents: Vec<RouteParent>,
    /// The Ingress controller (Ingresses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) ingress: Option<IngressEntry>,
    /// Hostnames it serves (empty: any).
    pub(crate) hostnames: Vec<String>,
    pub(crate) matches: Vec<String>,
    pub(crate) filters: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) weight: Option<Weight>,
    /// Whether traffic gets to the Service this way: attached (or served by
    /// an Ingress) and its backend resolved, with no error in the way.
    pub(crate) reaches: bool,
    /// Findings about the backend and the route as a whole (each parent has its own).
    pub(crate) findings: Vec<Finding>,
}

impl ServiceRoute {
    /// Every finding behind this way in: the route's, its parents', the Ingress's.
    pub(crate) fn all_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .chain(self.parents.iter().flat_map(|p| p.findings.iter()))
            .chain(self.ingress.iter().flat_map(|i| i.findings.iter()))
    }

    /// `HTTPRoute shop/web`.
    pub(crate) fn label(&self) -> String {
        format!("{} {}/{}", self.kind, self.namespace, self.name)
    }
}

/// Where each Service is reached from.
#[derive(Clone, Copy, Debug)]
enum Reach {
    Route {
        route: usize,
        rule: usize,
        backend: usize,
    },
    Ingress {
        ingress: usize,
        path: usize,
    },
}

/// Every Gateway, route and Ingress, resolved once per run.
#[derive(Debug, Default)]
pub struct RouteIndex {
    pub gateways: Vec<GatewayFacts>,
    pub routes: Vec<RouteFacts>,
    pub ingresses: Vec<IngressFacts>,
    by_service: HashMap<usize, Vec<Reach>>,
}

impl RouteIndex {
    /// Resolves every route and Ingress of a snapshot.
    pub fn build(snap: &Snapshot) -> RouteIndex {
        let gateways = gateway::read(snap);
        let cx = Resolver {
            snap,
            gateway_at: gateways
                .iter()
                .enumerate()
                .map(|(i, g)| ((g.namespace.clone(), g.name.clone()), i))
                .collect(),
            gateways: &gateways,
            namespaces: gateway::NamespaceLabels::read(snap),
            // Only Ingresses look Services up by address.
            addresses: if snap.ingresses.is_empty() {
                Default::default()
            } else {
                super::addresses::AddressIndex::build(snap)
            },
            class_services: Default::default(),
        };
        let routes: Vec<RouteFacts> = references::route_objects(snap)
            .map(|o| resolve::route(&cx, o))
            .collect();
        let ingresses: Vec<IngressFacts> = snap
            .ingresses
            .iter()
            .enumerate()
            .map(|(i, o)| ingress::read(&cx, i, o))
            .collect();
        drop(cx);
        let mut ix = RouteIndex {
            gateways,
            routes,
            ingresses,
            by_service: HashMap::new(),
        };
        ix.link();
        ix
    }

    /// Fills the Gateways' attached and rejected routes and the per-Service lists.
    fn link(&mut self) {
        for (ri, route) in self.routes.iter().enumerate() {
            for p in &route.parents {
                let Some(g) = p.gateway_index else { continue };
                let gw = &mut self.gateways[g];
                for l in &p.listeners {
                    let attached = &mut gw.listeners[l.index].attached;
                    if !attached.iter().any(|a| {
                        a.kind == route.kind
                            && a.namespace == route.namespace
                            && a.name == route.name
                    }) {
                        attached.push(AttachedRoute {
                            kind: route.kind,
                            namespace: route.namespace.clone(),
                            name: route.name.clone(),
                            hostnames: l.hostnames.clone(),
                        });
                    }
                }
                if !p.attached() && !p.findings.is_empty() {
                    gw.rejected.push(RejectedRoute {
                        kind: route.kind,
                        namespace: route.namespace.clone(),
                        name: route.name.clone(),
                        findings: p.findings.clone(),
                    });
                }
            }
            for (r, rule) in route.rules.iter().enumerate() {
                for (b, be) in rule.backends.iter().enumerate() {
                    if let Some(s) = be.service {
                        self.by_service.entry(s).or_default().push(Reach::Route {
                            route: ri,
                            rule: r,
                            backend: b,
                        });
                    }
                }
            }
        }
        for (ii, ing) in self.ingresses.iter().enumerate() {
            for (p, path) in ing.paths.iter().enumerate() {
                if let Some(s) = path.target {
                    self.by_service.entry(s).or_default().push(Reach::Ingress {
                        ingress: ii,
                        path: p,
                    });
                }
            }
        }
    }

    /// The routes and Ingress paths that reach the Service at position
    /// `service`, or try to. Paths of one Ingress rule that send to the
    /// same port alike are one entry, as the rules of a route are.
    pub(crate) fn for_service(&self, service: usize) -> Vec<ServiceRoute> {
        let mut out: Vec<ServiceRoute> = Vec::new();
        for reach in self.by_service.get(&service).into_iter().flatten() {
            let entry = match *reach {
                Reach::Route {
                    route,
                    rule,
                    backend,
                } => self.route_entry(route, rule, backend),
                Reach::Ingress { ingress, path } => self.ingress_entry(ingress, path),
            };
            if let Some(last) = out.last_mut()
                && entry.kind == ServiceRouteKind::Ingress
                && last.kind == ServiceRouteKind::Ingress
                && (
                    &last.namespace,
                    &last.name,
                    last.rule,
                    &last.service_port,
                    last.reaches,
                ) == (
                    &entry.namespace,
                    &entry.name,
                    entry.rule,
                    &entry.service_port,
                    entry.reaches,
                )
                && last.findings.is_empty()
                && entry.findings.is_empty()
                && last.rule.is_some()
                && last.ingress.as_ref().map(|i| i.tls) == entry.ingress.as_ref().map(|i| i.tls)
            {
                last.matches.extend(entry.matches);
                last.paths.extend(entry.paths);
                continue;
            }
            out.push(entry);
        }
        out
    }

    fn route_entry(&self, route: usize, rule: usize, backend: usize) -> ServiceRoute {
        let rt = &self.routes[route];
        let rl = &rt.rules[rule];
        let be = &rl.backends[backend];
        let mut hostnames: Vec<String> = Vec::new();
        for l in rt.parents.iter().flat_map(|p| p.listeners.iter()) {
            for h in &l.hostnames {
                if !hostnames.contains(h) {
                    hostnames.push(h.clone());
                }
            }
        }
        if !rt.attached() {
            hostnames = rt.hostnames.clone();
        }
        let mut filters = rl.filters.clone();
        filters.extend(be.filters.iter().cloned());
        let mut findings = rt.findings.clone();
        findings.extend(be.findings.iter().cloned());
        ServiceRoute {
            index: route,
            paths: Vec::new(),
            kind: ServiceRouteKind::Route(rt.kind),
            namespace: rt.namespace.clone(),
            name: rt.name.clone(),
            origin: rt.origin.clone(),
            field: format!("spec.rules[{rule}].backendRefs[{backend}]"),
            rule: Some(rule),
            rule_name: rl.name.clone(),
            port: be.port_index,
            service_port: be.port.map(|p| p.to_string()),
            parents: rt.parents.clone(),
            ingress: None,
            hostnames,
            matches: rl.matches.clone(),
            filters,
            weight: Some(Weight {
                weight: be.weight,
                total: rl.total_weight(),
            }),
            reaches: rt.attached() && be.resolved(),
            findings,
        }
    }

    fn ingress_entry(&self, ingress: usize, path: usize) -> ServiceRoute {
        let ing = &self.ingresses[ingress];
        let p = &ing.paths[path];
        ServiceRoute {
            index: ingress,
            paths: vec![path],
            kind: ServiceRouteKind::Ingress,
            namespace: ing.namespace.clone(),
            name: ing.name.clone(),
            origin: ing.origin.clone(),
            field: p.field.clone(),
            rule: p.rule,
            rule_name: None,
            port: p.port_index,
            service_port: p.port.clone(),
            parents: Vec::new(),
            ingress: Some(IngressEntry {
                class: ing.class.clone(),
                class_source: ing.class_source,
                controller: ing.controller.clone(),
                addresses: ing.addresses.clone(),
                controller_service: ing.controller_service.clone(),
                controller_service_index: ing.controller_service_index,
                tls: p.tls,
                findings: ing.findings.clone(),
            }),
            hostnames: p.host.iter().cloned().collect(),
            matches: p.matches.clone(),
            filters: Vec::new(),
            weight: None,
            reaches: p.port_index.is_some()
                && !p.findings.iter().any(|f| f.severity == Severity::Error),
            findings: p.findings.clone(),
        }
    }

    /// The Gateway `namespace/name`, if present.
    pub(crate) fn gateway(&self, namespace: &str, name: &str) -> Option<&GatewayFacts> {
        self.gateways
            .iter()
            .find(|g| g.namespace == namespace && g.name == name)
    }

    /// Every finding about routes, Ingresses and Gateways, once each.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.gateways
            .iter()
            .flat_map(|g| g.findings.iter())
            .chain(self.routes.iter().flat_map(RouteFacts::all_findings))
            .chain(self.ingresses.iter().flat_map(|i| {
                i.findings
                    .iter()
                    .chain(i.paths.iter().flat_map(|p| p.findings.iter()))
            }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::finding::Code;
    use crate::model::{Origin, Scope, SourceInfo};

    fn index(yaml: &str, source: SourceInfo) -> RouteIndex {
        let mut s = Snapshot::new(source, Scope::AllNamespaces);
        crate::source::files::load_text(&mut s, yaml, "t", |line| Origin::Demo { line }, "default")
            .expect("fixture parses");
        s.ingress_classes_known = matches!(s.source, SourceInfo::Live { .. });
        RouteIndex::build(&s.finish())
    }

    const INGRESS: &str = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: broken, namespace: web}\n\
        spec:\n  ingressClassName: ghost\n  rules:\n  - host: a.example.com\n    http:\n      paths:\n      \
        - {path: /, pathType: Prefix, backend: {service: {name: nope, port: {number: 80}}}}\n";

    fn codes(ix: &RouteIndex) -> Vec<(Code, Severity, Option<String>)> {
        ix.findings()
            .map(|f| (f.code, f.severity, f.field.clone()))
            .collect()
    }

    /// An Ingress backend Service that does not exist: an error where the
    /// source lists every Service, a warning from files. A class that does
    /// not exist: a warning where IngressClasses were listed, nothing
    /// offline (it may exist elsewhere).
    #[test]
    fn ingress_missing_service_and_class() {
        let live = SourceInfo::Live {
            context: "t".into(),
            server: "https://127.0.0.1".into(),
        };
        let field = Some("spec.rules[0].http.paths[0].backend.service.name".to_string());
        assert_eq!(
            codes(&index(INGRESS, live)),
            [
                (
                    Code::IngressClassNotFound,
                    Severity::Warning,
                    Some("spec.ingressClassName".into())
                ),
                (Code::IngressServiceNotFound, Severity::Error, field.clone()),
            ]
        );
        let files = SourceInfo::Files { paths: vec![] };
        assert_eq!(
            codes(&index(INGRESS, files)),
            [(Code::IngressServiceNotFound, Severity::Warning, field)]
        );
    }

    /// Route status beside svcx's reading: a controller that says
    /// Accepted=False for a route svcx finds admitted disagrees (SVC511),
    /// and a condition written for an older generation is marked stale.
    #[test]
    fn status_is_read_beside_svcx_and_disagreements_are_findings() {
        let yaml = "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: a}\n\
            spec:\n  gatewayClassName: c\n  listeners: [{name: http, port: 80, protocol: HTTP}]\n\
            status: {addresses: [{value: 192.0.2.1}]}\n---\n\
            apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: a, generation: 2}\n\
            spec:\n  parentRefs: [{name: gw}]\n\
            status:\n  parents:\n  - parentRef: {name: gw}\n    controllerName: example.com/c\n    conditions:\n    \
            - {type: Accepted, status: \"False\", reason: NotAllowedByListeners, message: \"\", observedGeneration: 1, \
            lastTransitionTime: \"2026-01-01T00:00:00Z\"}\n";
        let ix = index(yaml, SourceInfo::Files { paths: vec![] });
        let parent = &ix.routes[0].parents[0];
        assert!(parent.attached());
        let status = parent.status.as_ref().expect("status read");
        assert!(!status.agrees);
        assert!(status.accepted.as_ref().is_some_and(|c| c.stale));
        assert_eq!(
            codes(&ix),
            [(
                Code::RouteStatusDisagrees,
                Severity::Warning,
                Some("status.parents[0].conditions".into())
            )]
        );
    }
}
