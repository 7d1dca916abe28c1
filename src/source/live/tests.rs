//! Unit tests of the live read's assembly: lists into a snapshot, notices
//! for what could not be read.

use super::*;
use serde_json::{Value, json};

fn typed<T: DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("a valid object")
}

/// List items as a real API server sends them: no kind, no apiVersion.
fn service(ns: &str, name: &str) -> Service {
    typed(json!({"metadata": {"name": name, "namespace": ns}, "spec": {"selector": {"app": name}}}))
}

fn lists() -> Lists {
    Lists {
        services: Listed::Items(vec![service("shop", "web"), service("shop", "api")]),
        endpoint_slices: Listed::Items(vec![typed(json!({
            "metadata": {"name": "web-1", "namespace": "shop",
                         "labels": {"kubernetes.io/service-name": "web"}},
            "addressType": "IPv4", "endpoints": [],
        }))]),
        pods: Listed::Items(vec![typed(
            json!({"metadata": {"name": "web-0", "namespace": "shop"}}),
        )]),
        nodes: Listed::Items(vec![typed(json!({"metadata": {"name": "node-a"}}))]),
        ingresses: Listed::Items(vec![]),
        ingress_classes: Listed::Items(vec![]),
        endpoints: endpoints::Read::default(),
        gateway: GatewayApi::NotInstalled,
        network_policies: Listed::Items(vec![]),
        also_notices: Vec::new(),
        cluster_policies: Vec::new(),
        namespaces: None,
    }
}

fn shop() -> Scope {
    Scope::Namespace("shop".to_string())
}

fn messages(snap: &Snapshot) -> Vec<&str> {
    snap.notices.iter().map(|n| n.message.as_str()).collect()
}

#[test]
fn lists_become_a_sorted_snapshot_with_live_origins() {
    let snap = snapshot(lists(), "prod", "https://k8s.example:6443", shop());
    assert_eq!(
        snap.source,
        SourceInfo::Live {
            context: "prod".into(),
            server: "https://k8s.example:6443".into()
        }
    );
    let names: Vec<_> = snap
        .services
        .iter()
        .map(|s| s.object.metadata.name.clone().unwrap())
        .collect();
    assert_eq!(names, ["api", "web"]);
    assert_eq!(
        snap.services[0].origin,
        Origin::Live {
            context: "prod".into()
        }
    );
    assert!(snap.pods_known && snap.nodes_known && snap.endpoint_slices_known);
    assert_eq!(
        messages(&snap),
        ["Gateway API is not installed; gateways and routes were not read"]
    );
}

#[test]
fn refused_and_missing_lists_are_notices() {
    let mut l = lists();
    l.nodes = Listed::Forbidden;
    l.pods = Listed::Forbidden;
    l.ingresses = Listed::NotServed;
    let snap = snapshot(l, "prod", "https://k8s.example:6443", shop());
    assert!(!snap.nodes_known && !snap.pods_known && snap.endpoint_slices_known);
    assert_eq!(
        messages(&snap)[..3],
        [
            "pods: forbidden; svcx needs `list` on pods in namespace `shop` — named target ports \
             cannot be resolved and pod readiness is unknown",
            "nodes: forbidden; svcx needs `list` on nodes (cluster-scoped) — node addresses and \
             readiness are unknown",
            "ingresses: not served by this cluster (404) — Ingresses that route to Services were not read",
        ]
    );
    assert_eq!(
        snap.notices[0].hint.as_deref(),
        Some("check with `kubectl auth can-i list pods -n shop`")
    );
    assert_eq!(
        snap.notices[1].hint.as_deref(),
        Some("check with `kubectl auth can-i list nodes`")
    );
}

fn resource(kind: &str, version: &str, plural: &str) -> ApiResource {
    let gvk = kube::api::GroupVersionKind::gvk(GATEWAY_GROUP, version, kind);
    ApiResource::from_gvk_with_plural(&gvk, plural)
}

fn dynamic(v: Value) -> DynamicObject {
    serde_json::from_value(v).expect("a dynamic object")
}

#[test]
fn gateway_objects_of_any_served_version_are_typed_or_skipped() {
    let mut l = lists();
    let route = dynamic(json!({
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"parentRefs": [{"name": "public"}], "rules": [{"backendRefs": [{"name": "web", "port": 80}]}]},
    }));
    let tls = dynamic(json!({
        "apiVersion": "gateway.networking.k8s.io/v1alpha2", "kind": "TLSRoute",
        "metadata": {"name": "web-tls", "namespace": "shop"},
        "spec": {
            "hostnames": ["web.example.com"],
            "parentRefs": [{"name": "public"}],
            "rules": [{"backendRefs": [{"name": "web", "port": 443}]}],
        },
    }));
    let broken = dynamic(json!({
        "metadata": {"name": "odd", "namespace": "shop"},
        "spec": {"parentRefs": "not a list"},
    }));
    l.gateway = GatewayApi::Installed(
        vec![
            (
                resource("HTTPRoute", "v1", "httproutes"),
                Listed::Items(vec![route, broken]),
            ),
            (
                resource("TLSRoute", "v1alpha2", "tlsroutes"),
                Listed::Items(vec![tls]),
            ),
            (resource("Gateway", "v1", "gateways"), Listed::Forbidden),
        ],
        Vec::new(),
    );
    let snap = snapshot(l, "prod", "https://k8s.example:6443", shop());
    assert_eq!(snap.http_routes.len(), 1, "{:?}", snap.notices);
    assert_eq!(snap.tls_routes.len(), 1, "{:?}", snap.notices);
    assert_eq!(
        snap.http_routes[0].origin,
        Origin::Live {
            context: "prod".into()
        }
    );
    let notices = messages(&snap);
    assert!(
        notices[0].starts_with("HTTPRoute `shop/odd` (gateway.networking.k8s.io/v1): skipped: "),
        "{notices:?}"
    );
    assert_eq!(
        notices[1],
        "gateways.gateway.networking.k8s.io: forbidden; svcx needs `list` on \
         gateways.gateway.networking.k8s.io in namespace `shop` — Gateway objects were not read"
    );
}
