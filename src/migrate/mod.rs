//! `svcx migrate-to-gateway`: the plan that moves NodePort and LoadBalancer
//! Services behind one Gateway. Pure: it reads the semantic model
//! ([`Semantics`]) and returns the objects to write and a report of what
//! changes, what moved and what cannot be carried over. It writes nothing
//! and never touches a cluster; applying the manifests is the user's act.
//!
//! Per Service port, the route kind follows the port's protocol and
//! appProtocol ([`PortKind`]); each route gets a listener of its own, keyed
//! by protocol, port and hostname, so no two routes can collide on one
//! listener. The release and channel decide which kinds and `apiVersion`s
//! are written ([`target`]); a port whose kind the target does not serve is
//! reported with the target that would serve it.

mod ingress;
pub mod l4;
mod policies;
mod prove;
pub mod service;
pub mod target;

use crate::model::load_balancer::{Delivery, Implementation};
use crate::model::routes::NAMESPACE_NAME_LABEL;
use crate::model::routing::IngressRouting;
use crate::model::routing::ingress::Fallback;
use crate::model::view::{Semantics, ServiceView, Shape};
use crate::model::{Located, Snapshot};
use gateway_api::apis::standard::gateways::{
    Gateway, GatewayAddresses, GatewayInfrastructure, GatewayListeners,
    GatewayListenersAllowedRoutes, GatewayListenersAllowedRoutesKinds,
    GatewayListenersAllowedRoutesNamespaces, GatewayListenersAllowedRoutesNamespacesFrom,
    GatewayListenersAllowedRoutesNamespacesSelector,
    GatewayListenersAllowedRoutesNamespacesSelectorMatchExpressions, GatewayListenersTls,
    GatewayListenersTlsCertificateRefs, GatewayListenersTlsMode, GatewaySpec,
};
use gateway_api::apis::standard::grpcroutes::{
    GrpcRoute, GrpcRouteParentRefs, GrpcRouteRules, GrpcRouteRulesBackendRefs, GrpcRouteSpec,
};
use gateway_api::apis::standard::httproutes::{
    HttpRoute, HttpRouteParentRefs, HttpRouteRules, HttpRouteRulesBackendRefs, HttpRouteSpec,
};
use gateway_api::apis::standard::referencegrants::ReferenceGrant;
use gateway_api::apis::standard::tlsroutes::{
    TlsRoute, TlsRouteParentRefs, TlsRouteRules, TlsRouteRulesBackendRefs, TlsRouteSpec,
};
use k8s_openapi::api::core::v1::{Service, ServicePort};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use target::{ApiKind, Target, Writes};

/// The Gateway's name when `--gateway-name` is not given.
pub const DEFAULT_GATEWAY_NAME: &str = "shared-gateway";

/// What the flags ask of a migration.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Positions (in [`Snapshot::services`]) of the Services named; empty
    /// means every Service in scope.
    pub services: Vec<usize>,
    pub gateway_class: Option<String>,
    pub gateway_name: Option<String>,
    pub gateway_namespace: Option<String>,
    /// `None`: the newest release svcx knows, said in the report.
    pub target: Option<Target>,
    /// `--hostname SERVICE=HOST`: SERVICE is `name` or `namespace/name`.
    pub hostnames: Vec<(String, String)>,
    /// `--domain`: hostnames `<service>.<namespace>.<domain>`.
    pub domain: Option<String>,
    /// `--tls-secret SERVICE=[NAMESPACE/]SECRET`: serve the Service's HTTP
    /// and gRPC routes on HTTPS too, terminating with that Secret.
    pub tls_secrets: Vec<(String, String)>,
    /// `--existing-gateway`: `(namespace, name)` of a Gateway to attach the
    /// routes to, reusing its listeners; none is written.
    pub existing_gateway: Option<(String, String)>,
    /// `--allow-gateway-proxies`: write the NetworkPolicy that admits the
    /// Gateway's proxies to a backend whose policies do not.
    pub allow_gateway_proxies: bool,
}

/// Why a migration cannot be planned (a usage problem: exit 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanError {
    pub message: String,
    pub hint: String,
}

// What a Service port carries is the model's fact (`model::ports`): the
// route kind it moves to follows it.
pub use crate::model::ports::{PortKind, port_kind};

/// One object to write, with the `apiVersion` the target serves it at.
#[derive(Clone, Debug)]
pub struct Emitted {
    pub api_version: String,
    pub object: Manifest,
}

/// The objects a migration writes, typed.
#[derive(Clone, Debug)]
pub enum Manifest {
    Gateway(Box<Gateway>),
    HttpRoute(Box<HttpRoute>),
    GrpcRoute(Box<GrpcRoute>),
    TlsRoute(Box<TlsRoute>),
    /// A TCPRoute or UDPRoute.
    L4(Box<l4::L4Route>),
    Service(Box<Service>),
    ReferenceGrant(Box<ReferenceGrant>),
    /// One that admits the Gateway's proxies (`policies`).
    NetworkPolicy(Box<k8s_openapi::api::networking::v1::NetworkPolicy>),
}

impl Emitted {
    /// The object as JSON, with its `apiVersion` set for the target.
    pub fn to_value(&self) -> Value {
        let mut v = match &self.object {
            Manifest::Gateway(o) => serde_json::to_value(o),
            Manifest::HttpRoute(o) => serde_json::to_value(o),
            Manifest::GrpcRoute(o) => serde_json::to_value(o),
            Manifest::TlsRoute(o) => serde_json::to_value(o),
            Manifest::L4(o) => serde_json::to_value(o),
            Manifest::Service(o) => serde_json::to_value(o),
            Manifest::ReferenceGrant(o) => serde_json::to_value(o),
            Manifest::NetworkPolicy(o) => serde_json::to_value(o),
        }
        .unwrap_or(Value::Null);
        if let Some(obj) = v.as_object_mut() {
            obj.insert("apiVersion".into(), Value::String(self.api_version.clone()));
            // TLSRoute v1alpha2 takes no hostnames where none are known; the
            // crate's v1 type always writes the list.
            if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut)
                && spec
                    .get("hostnames")
                    .and_then(Value::as_array)
                    .is_some_and(Vec::is_empty)
            {
                spec.remove("hostnames");
            }
        }
        v
    }

    /// `Kind namespace/name`.
    pub fn label(&self) -> String {
        let v = self.to_value();
        let s = |p: &str| {
            v.pointer(p)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        format!(
            "{} {}/{}",
            s("/kind"),
            s("/metadata/namespace"),
            s("/metadata/name")
        )
    }
}

/// What cannot be carried over, or was decided for the user: each is named
/// with its object and what to do instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoteCode {
    /// No `--gateway-api-version`: the newest release was targeted.
    TargetDefaulted,
    /// The GatewayClass was the only one read.
    ClassInferred,
    /// No hostname for HTTP, gRPC or TLS routes.
    NoHostname,
    LoadBalancerSourceRanges,
    ExternalTrafficPolicyLocal,
    SessionAffinityClientIp,
    LoadBalancerIp,
    CloudLoadBalancerAnnotations,
    LoadBalancerClass,
    ExternalIps,
    FixedNodePorts,
    /// SCTP has no route kind.
    Sctp,
    /// The target does not serve the route kind the port needs.
    KindNotServed,
    /// TLS without a hostname: TLSRoute v1 requires hostnames.
    TlsWithoutHostname,
    /// The listener port was taken: the route got the next free one, and
    /// its clients must change port (reported as not carried over).
    PortMoved,
    /// A Service named on the command line that has nothing to migrate.
    NotExposed,
    /// A Service the API server refuses (SVC210): left out, since routes
    /// to its ports would be refused too.
    RefusedService,
    /// An ingress-nginx annotation with no Gateway API equivalent.
    IngressAnnotation,
    /// An Ingress path whose pathType is ImplementationSpecific (or none).
    ImplementationSpecificPath,
    /// An Ingress path that is a regular expression (use-regex).
    RegexPath,
    /// An Ingress backend that does not resolve to a Service port number.
    UnresolvedBackend,
    /// An Ingress TLS entry with no Secret: no HTTPS listener.
    TlsWithoutSecret,
    /// An Ingress controller's own Service: left alone, the Gateway replaces it.
    IngressController,
    /// A Gateway proxy's, mesh gateway's or Ingress controller's own Service
    /// (not replaced by this migration): already the shared way in, left alone.
    EntryPoint,
    /// A migrated Ingress: delete it once its routes are accepted.
    IngressReplaced,
    /// A Service with a port no route carries: not rewritten.
    ServiceKept,
    /// A load balancer setting the Gateway carries (spec.addresses,
    /// spec.infrastructure.annotations).
    CarriedToGateway,
    /// Internal and public load balancers migrated to one Gateway.
    MixedLoadBalancers,
    /// `--existing-gateway` has no listener that fits a route: none is
    /// added, the route is not written.
    ListenerMissing,
    /// A Gateway API object is written under a name that exists.
    NameTaken,
    /// `--tls-secret` for a port with no hostname: no HTTPS listener.
    TlsSecretWithoutHostname,
    /// An existing listener is reused, but whether it admits the route could
    /// not be checked.
    ListenerUnsure,
    /// An Ingress path the controller ignored (another Ingress, older,
    /// defines it; a canary with nothing to shadow): not written.
    IngressPathIgnored,
    /// A canary setting with no Gateway API form (cookie), or whose form
    /// is implementation-specific (header pattern).
    CanaryNotCarried,
    /// The redirect to https keeps another status code (308 → 301 before
    /// Gateway API v1.5).
    RedirectStatusChanged,
    /// An Ingress wildcard host (one label) became a Gateway API one (any
    /// number of labels).
    WildcardWidened,
    /// The controller decides, and the input does not say how (which
    /// certificate, whether http redirects, which default backend).
    ControllerChoice,
    /// An Ingress host that is not a DNS name: no route is written for it.
    InvalidHost,
    /// A request the written objects route elsewhere than the Ingresses
    /// did (the routing check).
    RoutingDiffers,
    /// A NodePort Service a GCE Ingress reaches through its node ports: no
    /// listener of its own.
    IngressBackendNodePort,
    /// A route joins a listener of `--existing-gateway` where routes that
    /// exist already serve the same hostnames.
    SharedListener,
    /// A backend whose network policies do not admit the Gateway's proxies.
    ProxiesNotAdmitted,
}

impl NoteCode {
    /// Whether the note says what the Gateway cannot carry over (or
    /// carries differently), rather than what svcx decided for the user.
    pub fn lost(self) -> bool {
        match self {
            NoteCode::LoadBalancerSourceRanges
            | NoteCode::ExternalTrafficPolicyLocal
            | NoteCode::SessionAffinityClientIp
            | NoteCode::LoadBalancerIp
            | NoteCode::CloudLoadBalancerAnnotations
            | NoteCode::LoadBalancerClass
            | NoteCode::ExternalIps
            | NoteCode::FixedNodePorts
            | NoteCode::Sctp
            | NoteCode::KindNotServed
            | NoteCode::IngressAnnotation
            | NoteCode::ImplementationSpecificPath
            | NoteCode::UnresolvedBackend
            | NoteCode::TlsWithoutSecret
            | NoteCode::ServiceKept
            | NoteCode::ListenerMissing
            | NoteCode::MixedLoadBalancers
            | NoteCode::NameTaken
            | NoteCode::PortMoved
            | NoteCode::RefusedService
            | NoteCode::CanaryNotCarried
            | NoteCode::RedirectStatusChanged
            | NoteCode::WildcardWidened
            | NoteCode::InvalidHost
            | NoteCode::RoutingDiffers
            | NoteCode::ProxiesNotAdmitted => true,
            NoteCode::TargetDefaulted
            | NoteCode::ClassInferred
            | NoteCode::NoHostname
            | NoteCode::NotExposed
            | NoteCode::RegexPath
            | NoteCode::IngressController
            | NoteCode::EntryPoint
            | NoteCode::IngressReplaced
            | NoteCode::CarriedToGateway
            | NoteCode::ListenerUnsure
            | NoteCode::TlsSecretWithoutHostname
            | NoteCode::TlsWithoutHostname
            | NoteCode::IngressPathIgnored
            | NoteCode::ControllerChoice
            | NoteCode::IngressBackendNodePort
            | NoteCode::SharedListener => false,
        }
    }
}

/// One thing the reviewer must know.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    pub code: NoteCode,
    /// `Service ns/name`, or the Gateway.
    pub object: String,
    /// The Service port, by name or number, when the note is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
    /// What happens.
    pub message: String,
    /// What to do instead.
    pub instead: String,
}

/// One Service port and where it went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RouteLine {
    pub service: String,
    pub port: i32,
    pub kind: ApiKind,
    pub route: String,
    pub listener: String,
    pub listener_port: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
}

/// One way in from outside: where clients connect, and what they reach.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Entry {
    /// `203.0.113.10:80`, `NODE:30080`, `Gateway infra/public:443`...
    pub address: String,
    /// The host (and path, for Ingresses) it answers for; `None`: any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// `ns/service:port`.
    pub backend: String,
}

/// The ways in before and after, so that a reviewer sees exposure did not
/// widen (nor anything fall off).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Exposure {
    pub before: Vec<Entry>,
    pub after: Vec<Entry>,
}

/// The ways in a Service opens by itself, per port.
fn service_entries(view: &ServiceView) -> Vec<Entry> {
    let mut out = Vec::new();
    for (i, sp) in view.ports().iter().enumerate() {
        let backend = format!("{}:{}", view.full_name(), sp.port);
        if let Some(lb) = &view.load_balancer {
            let addresses: Vec<String> = lb
                .ingress
                .iter()
                .filter_map(|a| a.address().map(String::from))
                .collect();
            if addresses.is_empty() {
                out.push(Entry {
                    address: format!("(load balancer, no address yet):{}", sp.port),
                    host: None,
                    backend: backend.clone(),
                });
            }
            for a in addresses {
                out.push(Entry {
                    address: format!("{a}:{}", sp.port),
                    host: None,
                    backend: backend.clone(),
                });
            }
        }
        if let Some(np) = view.node_ports.as_ref().and_then(|n| n.of_port(i)) {
            out.push(Entry {
                address: format!(
                    "NODE:{}",
                    np.map_or("(node port assigned at creation)".to_string(), |n| n
                        .to_string())
                ),
                host: None,
                backend: backend.clone(),
            });
        }
        for ip in &view.external_ips {
            out.push(Entry {
                address: format!("{ip}:{}", sp.port),
                host: None,
                backend: backend.clone(),
            });
        }
    }
    out
}

/// The ways in a Service's pods open by themselves: `hostPort`s on the
/// ports it sends to, reached at their node's address (`model::host_ports`).
fn host_port_entries(snap: &Snapshot, view: &ServiceView) -> Vec<Entry> {
    view.host_ports(snap)
        .into_iter()
        .map(|h| Entry {
            address: format!(
                "{}:{} (hostPort)",
                h.node.unwrap_or_else(|| "NODE".into()),
                h.host_port
            ),
            host: None,
            backend: format!("{}/{}:{}", view.namespace, h.backend, h.container_port),
        })
        .collect()
}

/// What the migration does, for people (stderr) and tools (JSON).
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The release and channel written for; `None` when the kinds and
    /// versions came from the live cluster's discovery ([`Report::served`]).
    pub target: Option<Target>,
    /// Live, with no `--gateway-api-version`: the `(kind, version)` pairs
    /// the cluster serves, which decided what was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub served: Option<Vec<(String, String)>>,
    /// `namespace/name` of the Gateway.
    pub gateway: String,
    pub gateway_class: String,
    /// `namespace/name` of every Service rewritten to ClusterIP.
    pub services: Vec<String>,
    /// `namespace/name` of every Ingress turned into HTTPRoutes.
    pub ingresses: Vec<String>,
    /// Load balancers the migrated Services pay for now (one per shared address).
    pub load_balancers_before: usize,
    /// The Gateway's, plus those of Services kept as they are.
    pub load_balancers_after: usize,
    pub routes: Vec<RouteLine>,
    /// What clients outside the cluster reach, before and after.
    pub exposure: Exposure,
    /// The routing check: every request sampled around the migrated
    /// Ingresses' hosts and paths, where it went before and goes after.
    pub requests: Vec<prove::RequestCheck>,
    pub notes: Vec<Note>,
}

impl Report {
    /// `(checked, same, different)` of the routing check.
    pub fn request_counts(&self) -> (usize, usize, usize) {
        let same = self.requests.iter().filter(|r| r.same).count();
        (self.requests.len(), same, self.requests.len() - same)
    }
}

/// The objects and the report.
#[derive(Clone, Debug)]
pub struct Migration {
    pub objects: Vec<Emitted>,
    pub report: Report,
}

/// A listener being planned.
struct Listener {
    name: String,
    /// `HTTP`, `HTTPS`, `TLS` (passthrough), `TCP` or `UDP`.
    protocol: &'static str,
    port: i32,
    hostname: Option<String>,
    /// The route kinds it admits: one, or HTTPRoute and GRPCRoute on an
    /// Ingress host whose Ingresses differ in backend-protocol.
    kinds: BTreeSet<ApiKind>,
    /// The namespaces of the routes it admits.
    namespaces: BTreeSet<String>,
    /// HTTPS: the certificate Secret it terminates with, `(namespace, name)`.
    certificate: Option<(String, String)>,
}

/// Plans the migration of the selected Services.
pub fn plan(snap: &Snapshot, opts: &Options) -> Result<Migration, PlanError> {
    let sem = Semantics::new(snap);
    let mut notes = Vec::new();
    let chosen: Vec<usize> = if opts.services.is_empty() {
        (0..snap.services.len())
            .filter(|&i| snap.scope.includes(namespace_of(&snap.services[i])))
            .collect()
    } else {
        opts.services.clone()
    };
    let mut views: Vec<ServiceView> = Vec::new();
    for i in chosen {
        let view = sem.view(i);
        let refused: Vec<&str> = view.refusals().filter_map(|f| f.field.as_deref()).collect();
        if !refused.is_empty() {
            // Its port numbers would become listener ports and backendRef
            // ports, which the Gateway API CRDs refuse in turn.
            notes.push(Note {
                code: NoteCode::RefusedService,
                object: format!("Service {}", view.full_name()),
                port: None,
                message: format!(
                    "is refused by the API server ({} outside 1-65535, SVC210), so it is left out",
                    refused.join(", ")
                ),
                instead: "fix its port numbers (`svcx lint` points at each), then migrate it"
                    .into(),
            });
        } else if view.reachable_from_outside() {
            views.push(view);
        } else if !opts.services.is_empty() {
            notes.push(Note {
                code: NoteCode::NotExposed,
                object: format!("Service {}", view.full_name()),
                port: None,
                message: format!(
                    "is {} with no load balancer, node port or externalIP: nothing reaches it from outside \
                     by itself, so it is left as it is",
                    view.service_type
                ),
                instead: "route to it from the Gateway by hand if it should be reachable".into(),
            });
        }
    }
    let ingresses: Vec<&crate::model::routes::IngressFacts> = sem
        .routes
        .ingresses
        .iter()
        .filter(|i| snap.scope.includes(&i.namespace))
        .filter(|i| {
            opts.services.is_empty()
                || i.paths
                    .iter()
                    .any(|p| p.target.is_some_and(|t| opts.services.contains(&t)))
        })
        .collect();
    // The Ingress controller's own Service is replaced by the Gateway,
    // not routed to through it.
    let controllers: BTreeSet<usize> = ingresses
        .iter()
        .filter_map(|i| i.controller_service_index)
        .collect();
    let mut controller_views = Vec::new();
    views.retain(|v| {
        if controllers.contains(&v.index) {
            controller_views.push(v.clone());
            return false;
        }
        true
    });
    // Another entry point (a Gateway's proxy, an Ingress controller whose
    // Ingresses are not migrated here, a mesh gateway): already the shared
    // way in, left as it is.
    views.retain(|v| {
        let Some(e) = &v.entry_point else { return true };
        notes.push(Note {
            code: NoteCode::EntryPoint,
            object: format!("Service {}", v.full_name()),
            port: None,
            message: format!(
                "is the way in of {} ({}): routes through it already share its load balancer, so it is left \
                 as it is",
                e.what, e.by
            ),
            instead: "route to the Services behind it from the Gateway, or keep this proxy as the way in".into(),
        });
        false
    });
    for v in &controller_views {
        notes.push(Note {
            code: NoteCode::IngressController,
            object: format!("Service {}", v.full_name()),
            port: None,
            message: "is the Ingress controller's own Service: its Ingresses become routes on the Gateway, so it \
                      is left as it is"
                .into(),
            instead: "remove the Ingress controller once the routes are accepted and traffic has moved".into(),
        });
    }
    // Load balancers first: their clients connect to the Service's own
    // port, which the Gateway keeps where it can; node port clients used
    // the node port, which changes anyway.
    views.sort_by_key(|v| match v.shape {
        Shape::LoadBalancer => 0,
        Shape::NodePort => 1,
        _ => 2,
    });
    if views.is_empty() && ingresses.is_empty() {
        // Nothing to write: no Gateway, so no class or release to decide.
        return Ok(Migration {
            objects: Vec::new(),
            report: Report {
                target: opts.target,
                served: None,
                gateway: String::new(),
                gateway_class: opts.gateway_class.clone().unwrap_or_default(),
                services: Vec::new(),
                ingresses: Vec::new(),
                load_balancers_before: 0,
                load_balancers_after: 0,
                routes: Vec::new(),
                exposure: Exposure::default(),
                requests: Vec::new(),
                notes,
            },
        });
    }
    let target = match (opts.target, &snap.gateway_api_served) {
        (Some(t), _) => Writes::Release(t),
        (None, Some(served)) if !served.is_empty() => Writes::Served(served.clone()),
        (None, served) => {
            let t = Target::newest();
            let message = if served.is_some() {
                format!(
                    "the cluster serves no Gateway API: writing for {t}, the newest release svcx knows"
                )
            } else {
                format!("no --gateway-api-version: writing for {t}, the newest release svcx knows")
            };
            notes.push(Note {
                code: NoteCode::TargetDefaulted,
                object: "Gateway API".into(),
                port: None,
                message,
                instead: "pass --gateway-api-version (and --channel) for the release your cluster has installed, \
                          and install its CRDs before applying"
                    .into(),
            });
            Writes::Release(t)
        }
    };
    let existing = match &opts.existing_gateway {
        Some((ns, name)) => Some(sem.routes.gateway(ns, name).ok_or_else(|| {
            let there: Vec<String> = sem.routes.gateways.iter().map(|g| g.full_name()).collect();
            PlanError {
                message: format!("Gateway {ns}/{name} was not read, so routes cannot attach to it"),
                hint: if there.is_empty() {
                    "no Gateway was read: with -f, pass the file that holds it; or drop --existing-gateway to write a \
                     new one"
                        .to_string()
                } else {
                    format!("Gateways there are: {}", there.join(", "))
                },
            }
        })?),
        None => None,
    };
    let gateway_class = match existing {
        Some(g) => g.class.clone(),
        None => gateway_class(snap, opts, &mut notes)?,
    };
    let namespaces: BTreeSet<String> = views
        .iter()
        .map(|v| v.namespace.clone())
        .chain(ingresses.iter().map(|i| i.namespace.clone()))
        .collect();
    let gateway_namespace = match existing {
        Some(g) => g.namespace.clone(),
        None => opts.gateway_namespace.clone().unwrap_or_else(|| {
            if namespaces.len() == 1 {
                namespaces.iter().next().cloned().unwrap_or_default()
            } else {
                "default".to_string()
            }
        }),
    };
    let gateway_name = match existing {
        Some(g) => g.name.clone(),
        None => opts
            .gateway_name
            .clone()
            .unwrap_or_else(|| DEFAULT_GATEWAY_NAME.to_string()),
    };

    // Ingresses first: their hosts keep ports 80 and 443.
    let mut from_ingresses = ingress::Out::default();
    let chosen_ingresses: Vec<usize> = ingresses.iter().map(|i| i.index).collect();
    ingress::migrate(
        &ingress::Context {
            snap,
            ix: &sem.routes,
            routing: sem.ingress_routing(),
            existing,
            gateway_name: &gateway_name,
            gateway_namespace: &gateway_namespace,
            target: &target,
        },
        &chosen_ingresses,
        &mut from_ingresses,
    );
    for i in &ingresses {
        notes.push(Note {
            code: NoteCode::IngressReplaced,
            object: format!("Ingress {}/{}", i.namespace, i.name),
            port: None,
            message: format!(
                "becomes {}{}",
                if from_ingresses
                    .grpc
                    .contains(&format!("{}/{}", i.namespace, i.name))
                {
                    "GRPCRoutes"
                } else {
                    "HTTPRoutes"
                },
                i.class
                    .as_deref()
                    .map(|c| format!(" (it was served by class {c})"))
                    .unwrap_or_default()
            ),
            instead: "delete the Ingress once the routes are accepted and traffic has moved".into(),
        });
    }
    notes.extend(from_ingresses.notes);
    let mut listeners: Vec<Listener> = from_ingresses.listeners;
    // Secrets the Gateway's listeners use from other namespaces, by namespace.
    let mut grants: BTreeMap<String, BTreeSet<String>> = from_ingresses.grants;
    let mut routes: Vec<Emitted> = from_ingresses.objects;
    let mut lines = from_ingresses.lines;
    let mut services = Vec::new();
    let mut hostless = false;
    // Services with a port no route carries keep their type.
    let mut kept: Vec<&ServiceView> = Vec::new();
    // A NodePort Service that a GCE Ingress reaches through its node ports
    // (without container-native load balancing, GKE's load balancer needs
    // them: ingress-gce `translator.go`, "expected \"NodePort\" or
    // \"LoadBalancer\" when not using NEGs"): the node ports exist for the
    // Ingress, so they open no second way in through the Gateway.
    let label = |i: &usize| {
        let f = &sem.routes.ingresses[*i];
        format!("{}/{}", f.namespace, f.name)
    };
    let chosen_names: BTreeSet<String> = chosen_ingresses.iter().map(label).collect();
    for view in &views {
        // With container-native load balancing the GKE load balancer goes
        // straight to the pods and the node ports are nobody's.
        if view.shape == Shape::NodePort
            && let Some((users, delivery)) = sem.gce_ingresses(view)
            && delivery.value != Delivery::Pods
        {
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
                        "its node ports are how the GKE load balancer of Ingress {} reaches it, and that Ingress is \
                         not migrated: it is left as it is",
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
                        "its node ports were how the GKE load balancer of Ingress {} reached it; the Ingress's routes \
                         now reach it through the Gateway, so it gets no listener of its own and becomes ClusterIP",
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
                .then(|| hostname_for(view, opts, &sem, sp.port))
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
                match fitting(snap, g, &want, &mut notes) {
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
                let listener_port = free_port(&listeners, protocol, sp.port, hostname.as_deref());
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
                    &listeners,
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
                                let found = fitting(snap, g, &want, &mut notes);
                                if found.is_none() {
                                    notes.push(missing_listener(g, &want));
                                }
                                found
                            }
                            None => {
                                let port = free_port(&listeners, "HTTPS", 443, Some(h));
                                let name = unique_name(
                                    &listeners,
                                    &format!("https-{port}-{}", h.replace(['.', '*'], "-")),
                                );
                                if secret.0 != gateway_namespace {
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
    let load_balancers_before = load_balancers(&[views.as_slice(), &controller_views].concat());
    let rewritten: Vec<&ServiceView> = views
        .iter()
        .filter(|v| !kept.iter().any(|k| k.index == v.index))
        .collect();
    let carried = if existing.is_none() && !listeners.is_empty() {
        carry(
            &rewritten,
            &target,
            &format!("Gateway {gateway_namespace}/{gateway_name}"),
            &mut notes,
        )
    } else {
        Carried::default()
    };
    let mut objects = Vec::new();
    if !listeners.is_empty() && existing.is_none() {
        objects.push(Emitted {
            api_version: target.api_version(ApiKind::Gateway).unwrap_or_default(),
            object: Manifest::Gateway(Box::new(gateway(
                &gateway_name,
                &gateway_namespace,
                &gateway_class,
                &listeners,
                &carried,
            ))),
        });
    }
    objects.extend(routes);
    if let Some(version) = target.api_version(ApiKind::ReferenceGrant) {
        for (namespace, secrets) in grants {
            objects.push(Emitted {
                api_version: version.clone(),
                object: Manifest::ReferenceGrant(Box::new(certificate_grant(
                    &gateway_name,
                    &gateway_namespace,
                    &namespace,
                    secrets,
                ))),
            });
        }
    }
    for view in views
        .iter()
        .filter(|v| !kept.iter().any(|k| k.index == v.index))
    {
        objects.push(Emitted {
            api_version: "v1".into(),
            object: Manifest::Service(Box::new(service::rewrite(view))),
        });
    }
    let admitting = policies::proxies(
        &sem,
        &objects,
        &gateway_namespace,
        &gateway_name,
        opts.allow_gateway_proxies,
        &mut notes,
    );
    objects.extend(admitting);
    notes.extend(names_taken(snap, &objects));
    if let Some(g) = existing {
        notes.extend(shared_listeners(g, &lines));
    }
    let (requests, differences) = prove::prove(
        snap,
        &sem.routes,
        sem.ingress_routing(),
        &chosen_ingresses,
        &objects,
        prove::Parent {
            namespace: &gateway_namespace,
            name: &gateway_name,
        },
    );
    notes.extend(differences);
    notes.sort_by(|a, b| (a.code, &a.object, &a.port).cmp(&(b.code, &b.object, &b.port)));
    // An Ingress's paths to one Service port make one line each: say it once.
    lines.dedup();
    let mut exposure = Exposure::default();
    for v in views.iter().chain(&controller_views) {
        exposure.before.extend(service_entries(v));
        // Ports its pods publish on their nodes stay open after it.
        let hosts = host_port_entries(snap, v);
        exposure.before.extend(hosts.iter().cloned());
        exposure.after.extend(hosts);
    }
    for v in &kept {
        exposure.after.extend(service_entries(v));
    }
    for v in &controller_views {
        exposure.after.extend(service_entries(v));
    }
    exposure.before.extend(ingress_entries(
        sem.ingress_routing(),
        &sem.routes,
        &chosen_ingresses,
    ));
    for l in &lines {
        exposure.after.push(Entry {
            address: format!(
                "Gateway {gateway_namespace}/{gateway_name}:{}",
                l.listener_port
            ),
            host: l.hostname.clone(),
            backend: format!("{}:{}", l.service, l.port),
        });
    }
    exposure.before.sort();
    exposure.before.dedup();
    exposure.after.sort();
    exposure.after.dedup();
    Ok(Migration {
        objects,
        report: Report {
            target: match &target {
                Writes::Release(t) => Some(*t),
                Writes::Served(_) => None,
            },
            served: match target {
                Writes::Served(s) => Some(s),
                Writes::Release(_) => None,
            },
            gateway: format!("{gateway_namespace}/{gateway_name}"),
            gateway_class,
            services,
            ingresses: ingresses
                .iter()
                .map(|i| format!("{}/{}", i.namespace, i.name))
                .collect(),
            load_balancers_before,
            load_balancers_after: usize::from(!listeners.is_empty() || existing.is_some())
                + load_balancers(&kept.iter().map(|v| (*v).clone()).collect::<Vec<_>>()),
            routes: lines,
            exposure,
            requests,
            notes,
        },
    })
}

/// The Services in scope a migration would move, as `(position, label)`:
/// what `--interactive` offers to choose from.
pub fn candidates(snap: &Snapshot) -> Vec<(usize, String)> {
    let sem = Semantics::new(snap);
    (0..snap.services.len())
        .filter(|&i| snap.scope.includes(namespace_of(&snap.services[i])))
        .map(|i| sem.view(i))
        .filter(ServiceView::reachable_from_outside)
        .map(|v| (v.index, format!("{} ({})", v.full_name(), v.service_type)))
        .collect()
}

/// What `--interactive` asks per Service: `None` when none of its ports
/// takes a hostname (only HTTP, gRPC and TLS routes do), else the hostname
/// the options give it now (`--hostname`, its Ingress's host, `--domain`),
/// which is the answer's default.
pub fn hostname_choice(snap: &Snapshot, opts: &Options, index: usize) -> Option<Option<String>> {
    let sem = Semantics::new(snap);
    let view = sem.view(index);
    let sp = view.ports().iter().find(|sp| {
        matches!(
            port_kind(sp),
            PortKind::Http | PortKind::Grpc | PortKind::Tls
        )
    })?;
    Some(hostname_for(&view, opts, &sem, sp.port))
}

fn namespace_of(s: &Located<Service>) -> &str {
    s.object.metadata.namespace.as_deref().unwrap_or_default()
}

/// `--gateway-class`, else the only GatewayClass read.
fn gateway_class(
    snap: &Snapshot,
    opts: &Options,
    notes: &mut Vec<Note>,
) -> Result<String, PlanError> {
    if let Some(c) = &opts.gateway_class {
        return Ok(c.clone());
    }
    let names: Vec<String> = snap
        .gateway_classes
        .iter()
        .filter_map(|c| c.object.metadata.name.clone())
        .collect();
    match names.as_slice() {
        [only] => {
            notes.push(Note {
                code: NoteCode::ClassInferred,
                object: format!("GatewayClass {only}"),
                port: None,
                message: format!("the Gateway uses GatewayClass {only}, the only one read"),
                instead: "pass --gateway-class to choose another".into(),
            });
            Ok(only.clone())
        }
        [] => Err(PlanError {
            message: "no GatewayClass was read, so svcx cannot tell which Gateway implementation to write for".into(),
            hint: "pass --gateway-class NAME (the class your Gateway controller installs, e.g. `kubectl get gatewayclass`)"
                .into(),
        }),
        many => Err(PlanError {
            message: format!("{} GatewayClasses were read: {}", many.len(), many.join(", ")),
            hint: "pass --gateway-class NAME to say which the Gateway uses".into(),
        }),
    }
}

/// The hostname of a Service's routes: `--hostname`, else `--domain`.
fn hostname_for(view: &ServiceView, opts: &Options, sem: &Semantics, port: i32) -> Option<String> {
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
fn free_port(listeners: &[Listener], protocol: &str, want: i32, hostname: Option<&str>) -> i32 {
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
struct Want<'a> {
    protocol: &'static str,
    port: i32,
    hostname: Option<&'a str>,
    kind: ApiKind,
    namespace: &'a str,
}

/// The route kind as the model names it.
fn route_kind(kind: ApiKind) -> crate::model::routes::RouteKind {
    use crate::model::routes::RouteKind;
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
fn fitting(
    snap: &Snapshot,
    gateway: &crate::model::routes::GatewayFacts,
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
fn missing_listener(gateway: &crate::model::routes::GatewayFacts, want: &Want) -> Note {
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
fn unique_name(listeners: &[Listener], base: &str) -> String {
    let taken = |n: &str| listeners.iter().any(|l| l.name == n);
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|i| format!("{base}-{i}"))
        .find(|n| !taken(n))
        .unwrap_or_default()
}

/// The ways in the migrated Ingresses open, as their controllers serve
/// them: each location and canary of a chosen Ingress on its host, and each
/// default backend on the hosts it answers (`*`: the catch-all), on port 80
/// and, where the host has a certificate, 443.
fn ingress_entries(
    routing: &IngressRouting,
    ix: &crate::model::routes::RouteIndex,
    chosen: &[usize],
) -> Vec<Entry> {
    use crate::model::routing::ingress::Tls;
    let mut out = Vec::new();
    for front in &routing.fronts {
        for server in &front.servers {
            let host = server.host.as_deref().unwrap_or("*");
            let mut ports = Vec::new();
            if front.http {
                ports.push(80);
            }
            if front.https && !matches!(server.tls, Tls::None) {
                ports.push(443);
            }
            let mut reach: Vec<(usize, String, Option<&String>)> = Vec::new();
            for l in &server.locations {
                reach.push((
                    l.ingress,
                    format!("{host}{}", l.path),
                    l.target.backend.as_ref(),
                ));
                for c in &l.canaries {
                    reach.push((
                        c.ingress,
                        format!("{host}{}", l.path),
                        c.target.backend.as_ref(),
                    ));
                }
            }
            if let Fallback::Backend {
                ingress, target, ..
            } = &server.fallback
            {
                reach.push((*ingress, host.to_string(), target.backend.as_ref()));
            }
            for (i, at_host, backend) in reach {
                let (true, Some(backend)) = (chosen.contains(&i), backend) else {
                    continue;
                };
                let facts = &ix.ingresses[i];
                let at = if facts.addresses.is_empty() {
                    format!("Ingress {}/{} (no address)", facts.namespace, facts.name)
                } else {
                    facts.addresses.join(", ")
                };
                for port in &ports {
                    out.push(Entry {
                        address: format!("{at}:{port}"),
                        host: Some(at_host.clone()),
                        backend: backend.clone(),
                    });
                }
            }
        }
    }
    out
}

/// For `--existing-gateway`: each route that joins a listener where routes
/// that exist already serve an overlapping hostname, named with them (the
/// Gateway then shares those hostnames between them by match and age).
fn shared_listeners(g: &crate::model::routes::GatewayFacts, lines: &[RouteLine]) -> Vec<Note> {
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

/// Distinct load balancers among the migrated Services: the model's groups
/// of Services that share one ([`crate::model::load_balancer::shared_groups`]).
fn load_balancers(views: &[ServiceView]) -> usize {
    crate::model::load_balancer::shared_groups(views).len()
}

/// The ReferenceGrant that lets the Gateway use certificate Secrets of
/// another namespace.
fn certificate_grant(
    gateway_name: &str,
    gateway_namespace: &str,
    namespace: &str,
    secrets: BTreeSet<String>,
) -> ReferenceGrant {
    use gateway_api::apis::standard::referencegrants::{
        ReferenceGrantFrom, ReferenceGrantSpec, ReferenceGrantTo,
    };
    ReferenceGrant {
        metadata: meta(&format!("{gateway_name}-certificates"), namespace),
        spec: ReferenceGrantSpec {
            from: vec![ReferenceGrantFrom {
                group: target::GROUP.into(),
                kind: "Gateway".into(),
                namespace: gateway_namespace.to_string(),
            }],
            to: secrets
                .into_iter()
                .map(|name| ReferenceGrantTo {
                    group: String::new(),
                    kind: "Secret".into(),
                    name: Some(name),
                })
                .collect(),
        },
    }
}

/// Gateway API objects written under a name an object of the input already
/// has: applying would replace it. (Services are rewritten on purpose.)
fn names_taken(snap: &Snapshot, objects: &[Emitted]) -> Vec<Note> {
    fn names<T: kube::Resource>(
        list: &[Located<T>],
    ) -> impl Iterator<Item = (String, String)> + '_ {
        list.iter().map(|o| {
            let m = o.object.meta();
            (
                m.namespace.clone().unwrap_or_default(),
                m.name.clone().unwrap_or_default(),
            )
        })
    }
    let existing: Vec<(&str, (String, String))> = names(&snap.gateways)
        .map(|n| ("Gateway", n))
        .chain(names(&snap.http_routes).map(|n| ("HTTPRoute", n)))
        .chain(names(&snap.grpc_routes).map(|n| ("GRPCRoute", n)))
        .chain(names(&snap.tls_routes).map(|n| ("TLSRoute", n)))
        .chain(names(&snap.tcp_routes).map(|n| ("TCPRoute", n)))
        .chain(names(&snap.udp_routes).map(|n| ("UDPRoute", n)))
        .chain(names(&snap.reference_grants).map(|n| ("ReferenceGrant", n)))
        .collect();
    objects
        .iter()
        .filter_map(|o| {
            let v = o.to_value();
            let kind = v["kind"].as_str()?.to_string();
            let key = (
                v["metadata"]["namespace"].as_str()?.to_string(),
                v["metadata"]["name"].as_str()?.to_string(),
            );
            existing.iter().any(|(k, n)| *k == kind && *n == key).then(|| Note {
                code: NoteCode::NameTaken,
                object: format!("{kind} {}/{}", key.0, key.1),
                port: None,
                message: "exists already: applying the manifests would replace it".into(),
                instead: "choose another name (--gateway-name), attach to it with --existing-gateway, or check \
                          that replacing it is meant"
                    .into(),
            })
        })
        .collect()
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

/// Where a route attaches.
struct Parent {
    name: String,
    namespace: String,
    section: String,
}

fn meta(name: &str, namespace: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_string()),
        namespace: Some(namespace.to_string()),
        ..ObjectMeta::default()
    }
}

/// The route of one Service port, attached to its listener.
fn route(
    kind: ApiKind,
    view: &ServiceView,
    port: i32,
    name: &str,
    hostname: Option<String>,
    parents: &[Parent],
) -> Manifest {
    let metadata = meta(name, &view.namespace);
    let hostnames = hostname.map(|h| vec![h]);
    match kind {
        ApiKind::HttpRoute => Manifest::HttpRoute(Box::new(HttpRoute {
            metadata,
            spec: HttpRouteSpec {
                hostnames,
                parent_refs: Some(
                    parents
                        .iter()
                        .map(|parent| HttpRouteParentRefs {
                            name: parent.name.clone(),
                            namespace: Some(parent.namespace.clone()),
                            section_name: Some(parent.section.clone()),
                            ..Default::default()
                        })
                        .collect(),
                ),
                rules: Some(vec![HttpRouteRules {
                    backend_refs: Some(vec![HttpRouteRulesBackendRefs {
                        name: view.name.clone(),
                        port: Some(port),
                        ..Default::default()
                    }]),
                    ..Default::default()
                }]),
            },
            status: None,
        })),
        ApiKind::GrpcRoute => Manifest::GrpcRoute(Box::new(GrpcRoute {
            metadata,
            spec: GrpcRouteSpec {
                hostnames,
                parent_refs: Some(
                    parents
                        .iter()
                        .map(|parent| GrpcRouteParentRefs {
                            name: parent.name.clone(),
                            namespace: Some(parent.namespace.clone()),
                            section_name: Some(parent.section.clone()),
                            ..Default::default()
                        })
                        .collect(),
                ),
                rules: Some(vec![GrpcRouteRules {
                    backend_refs: Some(vec![GrpcRouteRulesBackendRefs {
                        name: view.name.clone(),
                        port: Some(port),
                        ..Default::default()
                    }]),
                    ..Default::default()
                }]),
            },
            status: None,
        })),
        ApiKind::TlsRoute => Manifest::TlsRoute(Box::new(TlsRoute {
            metadata,
            spec: TlsRouteSpec {
                hostnames: hostnames.unwrap_or_default(),
                parent_refs: Some(
                    parents
                        .iter()
                        .map(|parent| TlsRouteParentRefs {
                            name: parent.name.clone(),
                            namespace: Some(parent.namespace.clone()),
                            section_name: Some(parent.section.clone()),
                            ..Default::default()
                        })
                        .collect(),
                ),
                rules: vec![TlsRouteRules {
                    backend_refs: vec![TlsRouteRulesBackendRefs {
                        name: view.name.clone(),
                        port: Some(port),
                        ..Default::default()
                    }],
                    name: None,
                }],
            },
            status: None,
        })),
        _ => Manifest::L4(Box::new(l4::L4Route {
            api_version: String::new(),
            kind: kind.as_str().to_string(),
            metadata,
            spec: l4::L4RouteSpec {
                parent_refs: parents
                    .iter()
                    .map(|parent| l4::ParentRef {
                        name: parent.name.clone(),
                        namespace: Some(parent.namespace.clone()),
                        section_name: Some(parent.section.clone()),
                        ..Default::default()
                    })
                    .collect(),
                rules: vec![l4::L4Rule {
                    name: None,
                    backend_refs: vec![l4::BackendRef {
                        name: view.name.clone(),
                        port: Some(port),
                        ..Default::default()
                    }],
                }],
            },
        })),
    }
}

/// The shared Gateway: one listener per route, each admitting its route's
/// kind from its route's namespace only, so no route is refused and no
/// other namespace can attach.
fn gateway(
    name: &str,
    namespace: &str,
    class: &str,
    listeners: &[Listener],
    carried: &Carried,
) -> Gateway {
    let listeners = listeners
        .iter()
        .map(|l| GatewayListeners {
            name: l.name.clone(),
            protocol: l.protocol.to_string(),
            port: l.port,
            hostname: l.hostname.clone(),
            tls: match l.protocol {
                "TLS" => Some(GatewayListenersTls {
                    mode: Some(GatewayListenersTlsMode::Passthrough),
                    ..Default::default()
                }),
                "HTTPS" => Some(GatewayListenersTls {
                    mode: Some(GatewayListenersTlsMode::Terminate),
                    certificate_refs: l.certificate.as_ref().map(|(ns, secret)| {
                        vec![GatewayListenersTlsCertificateRefs {
                            name: secret.clone(),
                            namespace: (ns != namespace).then(|| ns.clone()),
                            ..Default::default()
                        }]
                    }),
                    ..Default::default()
                }),
                _ => None,
            },
            allowed_routes: Some(GatewayListenersAllowedRoutes {
                kinds: Some(
                    l.kinds
                        .iter()
                        .map(|k| GatewayListenersAllowedRoutesKinds {
                            group: Some(target::GROUP.to_string()),
                            kind: k.as_str().to_string(),
                        })
                        .collect(),
                ),
                namespaces: Some(GatewayListenersAllowedRoutesNamespaces {
                    from: Some(GatewayListenersAllowedRoutesNamespacesFrom::Selector),
                    selector: Some(namespace_selector(&l.namespaces)),
                }),
            }),
        })
        .collect();
    Gateway {
        metadata: meta(name, namespace),
        spec: GatewaySpec {
            gateway_class_name: class.to_string(),
            listeners,
            addresses: carried.address.as_ref().map(|ip| {
                vec![GatewayAddresses {
                    r#type: Some("IPAddress".into()),
                    value: Some(ip.clone()),
                }]
            }),
            infrastructure: (!carried.annotations.is_empty()).then(|| GatewayInfrastructure {
                annotations: Some(carried.annotations.clone()),
                ..Default::default()
            }),
            ..Default::default()
        },
        status: None,
    }
}

/// A selector of exactly these namespaces, by the name label the API server
/// sets on each.
fn namespace_selector(
    namespaces: &BTreeSet<String>,
) -> GatewayListenersAllowedRoutesNamespacesSelector {
    if namespaces.len() == 1 {
        return GatewayListenersAllowedRoutesNamespacesSelector {
            match_labels: Some(
                namespaces
                    .iter()
                    .map(|ns| (NAMESPACE_NAME_LABEL.to_string(), ns.clone()))
                    .collect(),
            ),
            ..Default::default()
        };
    }
    GatewayListenersAllowedRoutesNamespacesSelector {
        match_expressions: Some(vec![
            GatewayListenersAllowedRoutesNamespacesSelectorMatchExpressions {
                key: NAMESPACE_NAME_LABEL.to_string(),
                operator: "In".to_string(),
                values: Some(namespaces.iter().cloned().collect()),
            },
        ]),
        ..Default::default()
    }
}

/// Load balancer settings of the rewritten Services that the Gateway
/// carries: a static address (`spec.addresses`) and the internal load
/// balancer annotations (`spec.infrastructure.annotations`).
#[derive(Default)]
struct Carried {
    address: Option<String>,
    annotations: BTreeMap<String, String>,
}

/// What of the rewritten LoadBalancer Services' settings one Gateway can
/// carry: a loadBalancerIP when they ask for one address only; internal load
/// balancer annotations when every one asks for the same (standard
/// `spec.infrastructure` from Gateway API v1.2). What it carries replaces the
/// per-Service notes; what it cannot is said.
fn carry(
    rewritten: &[&ServiceView],
    target: &Writes,
    gateway: &str,
    notes: &mut Vec<Note>,
) -> Carried {
    let mut carried = Carried::default();
    let lbs: Vec<&&ServiceView> = rewritten
        .iter()
        .filter(|v| v.load_balancer.is_some())
        .collect();
    let ips: BTreeSet<&String> = lbs
        .iter()
        .filter_map(|v| v.load_balancer.as_ref()?.requested_ip.as_ref())
        .collect();
    if let [ip] = ips.into_iter().collect::<Vec<_>>().as_slice() {
        carried.address = Some((*ip).clone());
        notes.retain(|n| n.code != NoteCode::LoadBalancerIp);
        notes.push(Note {
            code: NoteCode::CarriedToGateway,
            object: gateway.to_string(),
            port: None,
            message: format!("loadBalancerIP {ip} goes to the Gateway's spec.addresses"),
            instead: "check that your implementation honours static addresses (support is implementation-specific)"
                .into(),
        });
    }
    // Whether a load balancer is internal, and the annotation that says so,
    // are the model's facts (`load_balancer::Implementation`); that
    // annotation is what the Gateway can carry.
    let internal: Vec<Option<&Implementation>> = lbs
        .iter()
        .map(|v| {
            v.load_balancer
                .as_ref()
                .map(|lb| &lb.implementation)
                .filter(|imp| imp.internal.is_some())
        })
        .collect();
    let supported = match target {
        Writes::Release(t) => t.minor >= 2,
        Writes::Served(_) => true,
    };
    let names = |want: bool| {
        lbs.iter()
            .zip(&internal)
            .filter(|(_, i)| i.is_some() == want)
            .map(|(v, _)| v.full_name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let annotations: BTreeSet<Option<&(String, String)>> = internal
        .iter()
        .map(|i| i.and_then(|imp| imp.internal_annotation.as_ref()))
        .collect();
    let message = if internal.iter().all(Option::is_none) {
        return carried;
    } else if internal.iter().any(Option::is_none) {
        format!(
            "{} asked for an internal load balancer and {} for a public one: one Gateway cannot be both, so \
             no internal annotation is carried over",
            names(true),
            names(false)
        )
    } else if !supported {
        "internal load balancer annotations cannot be carried over: spec.infrastructure is standard from \
         Gateway API v1.2"
            .to_string()
    } else if let [Some((key, value))] = annotations.iter().collect::<Vec<_>>().as_slice() {
        carried.annotations = BTreeMap::from([(key.clone(), value.clone())]);
        notes.push(Note {
            code: NoteCode::CarriedToGateway,
            object: gateway.to_string(),
            port: None,
            message: format!(
                "internal load balancer annotation {key} goes to the Gateway's spec.infrastructure.annotations"
            ),
            instead: "check that your implementation propagates infrastructure annotations to its load balancer \
                      (GatewayInfrastructurePropagation)"
                .into(),
        });
        return carried;
    } else {
        format!(
            "{} are internal, but not by one annotation (or by a class or a controller's default): no internal \
             annotation is carried over",
            names(true)
        )
    };
    notes.push(Note {
        code: NoteCode::MixedLoadBalancers,
        object: gateway.to_string(),
        port: None,
        message,
        instead: "migrate internal and public Services in separate runs, each to a Gateway of its own \
                  (--gateway-name), and make each Gateway's load balancer internal or public with its implementation's \
                  settings"
            .into(),
    });
    carried
}

/// Annotation prefixes that configure a cloud or bare-metal load balancer.
const LB_ANNOTATION_PREFIXES: &[&str] = &[
    "service.beta.kubernetes.io/",
    "service.alpha.kubernetes.io/",
    "cloud.google.com/load-balancer",
    "networking.gke.io/load-balancer",
    "networking.gke.io/internal-load-balancer",
    "service.kubernetes.io/ibm-load-balancer-cloud-provider-",
    "metallb.universe.tf/",
    "metallb.io/",
    "load-balancer.hetzner.cloud/",
    "kube-vip.io/",
    "lbipam.cilium.io/",
];

/// Whether an annotation configures a load balancer of the Service. The
/// GKE app-protocols annotation is not one: it sets the protocol an
/// Ingress's load balancer speaks to the Service (the Ingress part of a
/// migration names it).
pub fn is_lb_annotation(key: &str) -> bool {
    LB_ANNOTATION_PREFIXES.iter().any(|p| key.starts_with(p)) && !key.ends_with("/app-protocols")
}

/// Every setting of a Service that the Gateway cannot carry over.
fn untranslatable(view: &ServiceView) -> Vec<Note> {
    let object = format!("Service {}", view.full_name());
    let mut notes = Vec::new();
    let mut note = |code, message: String, instead: &str| {
        notes.push(Note {
            code,
            object: object.clone(),
            port: None,
            message,
            instead: instead.to_string(),
        })
    };
    if let Some(lb) = &view.load_balancer {
        if !lb.source_ranges.is_empty() {
            note(
                NoteCode::LoadBalancerSourceRanges,
                format!(
                    "loadBalancerSourceRanges {} limited who could connect; Gateway API has no such field, so the \
                     Gateway admits every client",
                    lb.source_ranges.join(", ")
                ),
                "restrict clients with your Gateway implementation's policy (e.g. Envoy Gateway SecurityPolicy \
                 clientCIDRs) or its own Service's loadBalancerSourceRanges, before applying",
            );
        }
        if let Some(ip) = &lb.requested_ip {
            note(
                NoteCode::LoadBalancerIp,
                format!(
                    "loadBalancerIP {ip} asked for a fixed address, which the rewritten Service drops"
                ),
                "ask for it on the Gateway with spec.addresses [{type: IPAddress, value: ...}] if your implementation \
                 supports static addresses, and point DNS at the Gateway's address",
            );
        }
        if let Some(class) = &lb.class {
            note(
                NoteCode::LoadBalancerClass,
                format!(
                    "loadBalancerClass {class} chose the load balancer implementation; Gateway API has no such field"
                ),
                "the Gateway's own Service is made by its implementation: set the class through its configuration \
                 (the GatewayClass parametersRef)",
            );
        }
    }
    if view.external_local {
        note(
            NoteCode::ExternalTrafficPolicyLocal,
            "externalTrafficPolicy: Local kept the client's IP address; behind the Gateway, connections come from \
             the Gateway's proxies"
                .into(),
            "read the client address from X-Forwarded-For on HTTP routes, and set externalTrafficPolicy: Local \
             on the Gateway's own Service through your implementation's configuration",
        );
    }
    if let Some(timeout) = view.affinity_timeout {
        note(
            NoteCode::SessionAffinityClientIp,
            format!(
                "sessionAffinity: ClientIP ({timeout}s) is kept for clients inside the cluster, but through the Gateway \
                 the client is its proxy, and Gateway API has no client-IP persistence"
            ),
            "use cookie or header sessionPersistence (experimental channel) where your implementation supports it",
        );
    }
    let annotations: Vec<&String> = view
        .located
        .object
        .metadata
        .annotations
        .iter()
        .flatten()
        .map(|(k, _)| k)
        .filter(|k| is_lb_annotation(k))
        .collect();
    if !annotations.is_empty() {
        note(
            NoteCode::CloudLoadBalancerAnnotations,
            format!(
                "load balancer annotations {} configured the load balancer; they are dropped from the rewritten \
                 Service",
                annotations
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "copy those that must survive to the Gateway's spec.infrastructure.annotations if your implementation \
             propagates them to its load balancer",
        );
    }
    if !view.external_ips.is_empty() {
        note(
            NoteCode::ExternalIps,
            format!(
                "externalIPs {} (deprecated since Kubernetes 1.36) stop answering",
                view.external_ips.join(", ")
            ),
            "point the clients of those addresses at the Gateway's address",
        );
    }
    if let Some(np) = &view.node_ports {
        let numbers = np.numbers();
        if !numbers.is_empty() {
            note(
                NoteCode::FixedNodePorts,
                format!(
                    "node ports {} stop answering on every node",
                    numbers
                        .iter()
                        .map(i32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "point the clients of NODE:PORT at the Gateway's address and listener port",
            );
        }
    }
    notes
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
