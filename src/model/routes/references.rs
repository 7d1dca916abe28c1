//! What the Gateway API objects of one namespace name in other namespaces,
//! and what came of reading it.
//!
//! A live run over one namespace lists that namespace only, yet its routes
//! commonly attach to a Gateway another team owns in another namespace (the
//! layout of Gateway API's cross-namespace routing guide,
//! <https://gateway-api.sigs.k8s.io/guides/multiple-ns/>), and may send to
//! Services elsewhere under a ReferenceGrant
//! (<https://gateway-api.sigs.k8s.io/api-types/referencegrant/>). Judging
//! them needs those objects: [`beyond_scope`] says which, the live source
//! reads each by name, and [`Fetched`] keeps the answers so that a Gateway
//! the cluster said does not exist (404) is told apart from one svcx was not
//! allowed to read (403).
//!
//! What a route names (defaults from `apis/v1/shared_types.go` and
//! `httproute_types.go` in kubernetes-sigs/gateway-api): a parentRef is a
//! Gateway unless its group and kind say otherwise, in the route's namespace
//! unless it names one; a backendRef is a core Service unless its group and
//! kind say otherwise, in the route's namespace unless it names one; a
//! ListenerSet's parentRef names its Gateway the same way. A listener's
//! `allowedRoutes.namespaces.from: Selector` is judged on the labels of the
//! route's namespace, a Gateway's `allowedListeners` on those of the
//! ListenerSet's.

use super::super::ingest::{IngestError, Ingested};
use super::super::{Origin, Scope, Snapshot};
use super::shape::{GATEWAY_GROUP, RouteObject};
use gateway_api::apis::standard::gateways::{
    GatewayAllowedListenersNamespacesFrom as ListenersFrom,
    GatewayListenersAllowedRoutesNamespacesFrom as RoutesFrom,
};
use kube::ResourceExt;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// An object (or, for ReferenceGrants, the objects of a namespace) that the
/// objects in scope name outside it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[expect(
    clippy::enum_variant_names,
    reason = "ReferenceGrants is the kind's own name (plural: every one of a namespace)"
)]
pub(crate) enum Reference {
    /// A Gateway a route or ListenerSet names as its parent.
    Gateway { namespace: String, name: String },
    /// A ListenerSet a route names as its parent.
    ListenerSet { namespace: String, name: String },
    /// A Service a backendRef names, with its EndpointSlices.
    Service { namespace: String, name: String },
    /// The ReferenceGrants of a namespace a backendRef crosses into.
    ReferenceGrants { namespace: String },
    /// A Namespace whose labels a listener's or Gateway's selector asks about.
    Namespace { name: String },
}

impl Reference {
    /// `namespace/name`, or the namespace alone for ReferenceGrants and
    /// Namespaces.
    pub(crate) fn target(&self) -> String {
        match self {
            Reference::Gateway { namespace, name }
            | Reference::ListenerSet { namespace, name }
            | Reference::Service { namespace, name } => format!("{namespace}/{name}"),
            Reference::ReferenceGrants { namespace } => namespace.clone(),
            Reference::Namespace { name } => name.clone(),
        }
    }

    /// What it is, in a few words: `Gateway infra/shared`, `the
    /// ReferenceGrants of namespace `catalog``.
    pub(crate) fn describe(&self) -> String {
        match self {
            Reference::ReferenceGrants { namespace } => {
                format!("the ReferenceGrants of namespace `{namespace}`")
            }
            Reference::Namespace { name } => format!("Namespace `{name}`"),
            _ => format!("{} {}", self.kind(), self.target()),
        }
    }

    /// The kind, as the API names it.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Reference::Gateway { .. } => "Gateway",
            Reference::ListenerSet { .. } => "ListenerSet",
            Reference::Service { .. } => "Service",
            Reference::ReferenceGrants { .. } => "ReferenceGrant",
            Reference::Namespace { .. } => "Namespace",
        }
    }
}

/// What reading one [`Reference`] gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Read: the object (or list) is in the snapshot.
    Read,
    /// The cluster says it does not exist (404).
    Absent,
    /// RBAC refused it (403).
    Refused,
    /// It could not be read for another reason, in a few words.
    Failed(String),
}

/// The references a live run read beyond its namespace, and what came of
/// each. Empty offline and with -A, where everything is listed.
#[derive(Clone, Debug, Default)]
pub(crate) struct Fetched {
    pub(crate) asked: BTreeMap<Reference, Outcome>,
}

impl Fetched {
    /// What came of reading `reference`, if it was asked for.
    pub(crate) fn outcome(&self, reference: &Reference) -> Option<&Outcome> {
        self.asked.get(reference)
    }

    /// Whether the cluster answered for `reference`: what is missing after a
    /// known answer does not exist.
    pub(crate) fn answered(&self, reference: &Reference) -> bool {
        matches!(
            self.outcome(reference),
            Some(Outcome::Read | Outcome::Absent)
        )
    }

    /// Why `reference` is not known, when it was asked for and not
    /// answered: `which svcx is not allowed to read (403 Forbidden)`.
    pub(crate) fn unanswered(&self, reference: &Reference) -> Option<String> {
        match self.outcome(reference)? {
            Outcome::Refused => Some(format!(
                "which svcx was not allowed to read (403 Forbidden on {})",
                reference.describe()
            )),
            Outcome::Failed(why) => Some(format!("which could not be read ({why})")),
            Outcome::Read | Outcome::Absent => None,
        }
    }
}

/// What the objects of the snapshot name outside its namespace and the
/// snapshot does not hold yet, each once, in a stable order. Empty when the
/// scope is every namespace. Asking again after adding what was read finds
/// what those objects name in turn (a ListenerSet's Gateway).
pub(crate) fn beyond_scope(snap: &Snapshot) -> Vec<Reference> {
    let Scope::Namespace(scope) = &snap.scope else {
        return Vec::new();
    };
    let outside = |ns: &str| ns != scope;
    let mut out: BTreeSet<Reference> = BTreeSet::new();
    let mut route_namespaces: BTreeSet<String> = BTreeSet::new();
    for route in route_objects(snap) {
        let shape = route.shape();
        let route_ns = shape.metadata.namespace.clone().unwrap_or_default();
        route_namespaces.insert(route_ns.clone());
        for p in &shape.spec.parent_refs {
            let namespace = p.namespace.clone().unwrap_or_else(|| route_ns.clone());
            if !outside(&namespace) {
                continue;
            }
            let name = p.name.clone();
            match p.group_kind() {
                (GATEWAY_GROUP, "Gateway") => out.insert(Reference::Gateway { namespace, name }),
                (GATEWAY_GROUP, "ListenerSet") => {
                    out.insert(Reference::ListenerSet { namespace, name })
                }
                _ => false,
            };
        }
        for b in shape.spec.rules.iter().flat_map(|r| &r.backend_refs) {
            let core_service = b.group.as_deref().unwrap_or("").is_empty()
                && b.kind.as_deref().unwrap_or("Service") == "Service";
            let namespace = b.namespace.clone().unwrap_or_else(|| route_ns.clone());
            if core_service && outside(&namespace) {
                out.insert(Reference::ReferenceGrants {
                    namespace: namespace.clone(),
                });
                out.insert(Reference::Service {
                    namespace,
                    name: b.name.clone(),
                });
            }
        }
    }
    for set in &snap.listener_sets {
        let p = &set.object.spec.parent_ref;
        let set_ns = set.object.namespace().unwrap_or_default();
        let namespace = p.namespace.clone().unwrap_or_else(|| set_ns.clone());
        if p.group.as_deref().unwrap_or(GATEWAY_GROUP) == GATEWAY_GROUP
            && p.kind.as_deref().unwrap_or("Gateway") == "Gateway"
            && outside(&namespace)
        {
            out.insert(Reference::Gateway {
                namespace,
                name: p.name.clone(),
            });
        }
    }
    // The labels of the namespaces whose objects a selector judges.
    let routes_by_label = snap.gateways.iter().any(|g| {
        g.object.spec.listeners.iter().any(|l| {
            l.allowed_routes
                .as_ref()
                .and_then(|a| a.namespaces.as_ref())
                .and_then(|n| n.from.as_ref())
                == Some(&RoutesFrom::Selector)
        })
    });
    if routes_by_label {
        for name in route_namespaces {
            out.insert(Reference::Namespace { name });
        }
    }
    let sets_by_label = snap.gateways.iter().any(|g| {
        g.object
            .spec
            .allowed_listeners
            .as_ref()
            .and_then(|a| a.namespaces.as_ref())
            .and_then(|n| n.from.as_ref())
            == Some(&ListenersFrom::Selector)
    });
    if sets_by_label {
        for set in &snap.listener_sets {
            out.insert(Reference::Namespace {
                name: set.object.namespace().unwrap_or_default(),
            });
        }
    }
    out.into_iter()
        .filter(|r| !snap.fetched.asked.contains_key(r) && !held(snap, r))
        .collect()
}

/// Whether the snapshot already holds what `reference` names (read from
/// the namespace in scope, or listed).
fn held(snap: &Snapshot, reference: &Reference) -> bool {
    let named = |ns: &str, name: &str, o: &kube::api::ObjectMeta| {
        o.namespace.as_deref() == Some(ns) && o.name.as_deref() == Some(name)
    };
    match reference {
        Reference::Gateway { namespace, name } => snap
            .gateways
            .iter()
            .any(|g| named(namespace, name, &g.object.metadata)),
        Reference::ListenerSet { namespace, name } => snap
            .listener_sets
            .iter()
            .any(|g| named(namespace, name, &g.object.metadata)),
        // Before `finish` the index is not built: look through the list.
        Reference::Service { namespace, name } => snap
            .services
            .iter()
            .any(|s| named(namespace, name, &s.object.metadata)),
        Reference::ReferenceGrants { namespace } => snap.scope.includes(namespace),
        Reference::Namespace { name } => {
            snap.namespaces_known || snap.namespaces.iter().any(|n| n.object.name_any() == *name)
        }
    }
}

impl Snapshot {
    /// Adds an object outside the namespace in scope that an object in
    /// scope names (a parent Gateway, a backend Service, read by name on a
    /// live run over one namespace): kept so that references resolve, and
    /// never reported for itself, as explain and trace report only what is
    /// in scope.
    pub(crate) fn ingest_beyond_scope(
        &mut self,
        value: Value,
        origin: Origin,
    ) -> Result<Ingested, IngestError> {
        let scope = std::mem::replace(&mut self.scope, Scope::AllNamespaces);
        let ingested = self.ingest(value, origin, "");
        self.scope = scope;
        ingested
    }
}

/// Every route of the snapshot, of every kind.
pub(super) fn route_objects(snap: &Snapshot) -> impl Iterator<Item = RouteObject<'_>> {
    snap.http_routes
        .iter()
        .map(RouteObject::Http)
        .chain(snap.grpc_routes.iter().map(RouteObject::Grpc))
        .chain(snap.tls_routes.iter().map(RouteObject::Tls))
        .chain(snap.tcp_routes.iter().map(RouteObject::Tcp))
        .chain(snap.udp_routes.iter().map(RouteObject::Udp))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, SourceInfo};
    use serde_json::{Value, json};

    fn shop_snapshot(objects: &[Value]) -> Snapshot {
        let mut snap = Snapshot::new(
            SourceInfo::Live {
                context: "test".into(),
                server: "https://k".into(),
            },
            Scope::Namespace("shop".into()),
        );
        for o in objects {
            snap.ingest(o.clone(), live(), "shop").unwrap();
        }
        snap
    }

    fn live() -> Origin {
        Origin::Live {
            context: "test".into(),
        }
    }

    fn gateway(ns: &str, name: &str, from: &str) -> Value {
        json!({
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
            "metadata": {"name": name, "namespace": ns},
            "spec": {
                "gatewayClassName": "example",
                "allowedListeners": {"namespaces": {"from": "Selector", "selector": {"matchLabels": {"team": "shop"}}}},
                "listeners": [{"name": "http", "protocol": "HTTP", "port": 80,
                               "allowedRoutes": {"namespaces": {"from": from}}}],
            },
        })
    }

    fn gateway_ref(ns: &str, name: &str) -> Reference {
        Reference::Gateway {
            namespace: ns.into(),
            name: name.into(),
        }
    }

    /// The defaults of a parentRef (a Gateway, in the route's namespace) and
    /// of a backendRef (a core Service, in the route's namespace): only what
    /// lies outside `shop` is asked for, each once, and nothing that is
    /// not a Gateway, ListenerSet or core Service.
    #[test]
    fn a_route_names_its_parents_and_backends_outside_the_namespace() {
        let route = json!({
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {
                "parentRefs": [
                    {"name": "shared", "namespace": "infra"},
                    {"name": "local"},
                    {"name": "edge", "namespace": "infra", "kind": "ListenerSet"},
                    {"name": "mesh", "namespace": "infra", "kind": "Service", "group": ""},
                ],
                "rules": [{"backendRefs": [
                    {"name": "catalog", "namespace": "catalog", "port": 80},
                    {"name": "web", "port": 80},
                    {"name": "bucket", "namespace": "store", "group": "example.com", "kind": "Bucket"},
                ]}, {"backendRefs": [{"name": "catalog", "namespace": "catalog", "port": 80}]}],
            },
        });
        let snap = shop_snapshot(&[route]);
        assert_eq!(
            beyond_scope(&snap),
            [
                gateway_ref("infra", "shared"),
                Reference::ListenerSet {
                    namespace: "infra".into(),
                    name: "edge".into()
                },
                Reference::Service {
                    namespace: "catalog".into(),
                    name: "catalog".into()
                },
                Reference::ReferenceGrants {
                    namespace: "catalog".into()
                },
            ]
        );
        let mut all = snap;
        all.scope = Scope::AllNamespaces;
        assert_eq!(beyond_scope(&all), []);
    }

    /// Round by round: a route names a ListenerSet elsewhere; once read, the
    /// ListenerSet names its Gateway; once that is read, its selectors ask
    /// for the labels of the route's and the ListenerSet's namespaces. What
    /// was asked for is not asked again, whatever came of it.
    #[test]
    fn what_was_read_names_more_until_nothing_is_left() {
        let route = json!({
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"parentRefs": [{"name": "edge", "namespace": "team", "kind": "ListenerSet"}]},
        });
        let mut snap = shop_snapshot(&[route]);
        let set = Reference::ListenerSet {
            namespace: "team".into(),
            name: "edge".into(),
        };
        assert_eq!(beyond_scope(&snap), std::slice::from_ref(&set));
        snap.ingest_beyond_scope(
            json!({
                "apiVersion": "gateway.networking.k8s.io/v1", "kind": "ListenerSet",
                "metadata": {"name": "edge", "namespace": "team"},
                "spec": {"parentRef": {"name": "shared", "namespace": "infra"},
                         "listeners": [{"name": "a", "protocol": "HTTP", "port": 8080}]},
            }),
            live(),
        )
        .unwrap();
        snap.fetched.asked.insert(set, Outcome::Read);
        assert_eq!(beyond_scope(&snap), [gateway_ref("infra", "shared")]);
        snap.ingest_beyond_scope(gateway("infra", "shared", "Selector"), live())
            .unwrap();
        snap.fetched
            .asked
            .insert(gateway_ref("infra", "shared"), Outcome::Read);
        let namespace = |name: &str| Reference::Namespace { name: name.into() };
        assert_eq!(beyond_scope(&snap), [namespace("shop"), namespace("team")]);
        snap.fetched
            .asked
            .insert(namespace("shop"), Outcome::Refused);
        snap.fetched
            .asked
            .insert(namespace("team"), Outcome::Absent);
        assert_eq!(beyond_scope(&snap), []);
    }

    /// A Gateway that admits routes from every namespace needs no labels.
    #[test]
    fn namespaces_are_asked_for_only_when_a_selector_needs_their_labels() {
        let route = json!({
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"parentRefs": [{"name": "shared", "namespace": "infra"}]},
        });
        let mut snap = shop_snapshot(&[route]);
        let mut open = gateway("infra", "shared", "All");
        open["spec"]
            .as_object_mut()
            .unwrap()
            .remove("allowedListeners");
        snap.ingest_beyond_scope(open, live()).unwrap();
        assert_eq!(beyond_scope(&snap), []);
    }

    #[test]
    fn an_unanswered_reference_says_why() {
        let mut fetched = Fetched::default();
        let gw = gateway_ref("infra", "shared");
        assert_eq!(fetched.unanswered(&gw), None);
        assert!(!fetched.answered(&gw));
        fetched.asked.insert(gw.clone(), Outcome::Refused);
        assert!(!fetched.answered(&gw));
        assert_eq!(
            fetched.unanswered(&gw).as_deref(),
            Some("which svcx was not allowed to read (403 Forbidden on Gateway infra/shared)")
        );
        let grants = Reference::ReferenceGrants {
            namespace: "catalog".into(),
        };
        fetched.asked.insert(grants.clone(), Outcome::Refused);
        assert_eq!(
            fetched.unanswered(&grants).as_deref(),
            Some(
                "which svcx was not allowed to read (403 Forbidden on the ReferenceGrants of namespace `catalog`)"
            )
        );
        fetched.asked.insert(gw.clone(), Outcome::Absent);
        assert!(fetched.answered(&gw));
        assert_eq!(fetched.unanswered(&gw), None);
    }
}
