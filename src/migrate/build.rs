//! Step 4, build the objects: the shared Gateway (its listeners, each
//! admitting its routes' kinds from their namespaces only), each route
//! attached to its listener, the ReferenceGrants for certificates of other
//! namespaces; and the check that no object written takes a name the input
//! already has.

use super::carry::Carried;
use super::decide::Decided;
use super::place::Listener;
use super::service;
use super::target::{self, ApiKind};
use super::{Emitted, Manifest, Note, NoteCode};
use crate::model::routes::{NAMESPACE_NAME_LABEL, l4};
use crate::model::view::ServiceView;
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
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::{BTreeMap, BTreeSet};

/// Every object to write, in order: the Gateway (unless the routes attach
/// to one that exists), the routes, the ReferenceGrants for certificates of
/// other namespaces, and the rewritten Services.
pub(super) fn objects(
    decided: &Decided,
    listeners: &[Listener],
    routes: Vec<Emitted>,
    grants: BTreeMap<String, BTreeSet<String>>,
    rewritten: &[&ServiceView],
    carried: &Carried,
) -> Vec<Emitted> {
    let mut objects = Vec::new();
    if !listeners.is_empty() && decided.existing.is_none() {
        objects.push(Emitted {
            api_version: decided
                .target
                .api_version(ApiKind::Gateway)
                .unwrap_or_default(),
            object: Manifest::Gateway(Box::new(gateway(
                &decided.gateway_name,
                &decided.gateway_namespace,
                &decided.gateway_class,
                listeners,
                carried,
            ))),
        });
    }
    objects.extend(routes);
    if let Some(version) = decided.target.api_version(ApiKind::ReferenceGrant) {
        for (namespace, secrets) in grants {
            objects.push(Emitted {
                api_version: version.clone(),
                object: Manifest::ReferenceGrant(Box::new(certificate_grant(
                    &decided.gateway_name,
                    &decided.gateway_namespace,
                    &namespace,
                    secrets,
                ))),
            });
        }
    }
    for view in rewritten {
        objects.push(Emitted {
            api_version: "v1".into(),
            object: Manifest::Service(Box::new(service::rewrite(view))),
        });
    }
    objects
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
pub(super) fn names_taken(snap: &Snapshot, objects: &[Emitted]) -> Vec<Note> {
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

/// Where a route attaches.
pub(super) struct Parent {
    pub(crate) name: String,
    pub(crate) namespace: String,
    pub(crate) section: String,
}

pub(super) fn meta(name: &str, namespace: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_string()),
        namespace: Some(namespace.to_string()),
        ..ObjectMeta::default()
    }
}

/// The route of one Service port, attached to its listener.
pub(super) fn route(
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
            status: None,
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
                use_default_gateways: None,
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
