//! Unit tests of the ingest: kinds, versions, errors and what is kept.

use super::*;
use crate::model::{Scope, SourceInfo};
use serde_json::json;

fn snap(scope: Scope) -> Snapshot {
    Snapshot::new(SourceInfo::Files { paths: vec![] }, scope)
}

fn origin(line: usize) -> Origin {
    Origin::File {
        path: "x.yaml".into(),
        line,
    }
}

fn obj(api_version: &str, kind: &str, name: &str) -> Value {
    json!({"apiVersion": api_version, "kind": kind, "metadata": {"name": name}})
}

#[test]
fn the_table_is_consistent() {
    for k in KINDS {
        assert!(!k.versions.is_empty(), "{k:?}");
        assert_eq!(
            KINDS.iter().filter(|o| o.kind == k.kind).count(),
            1,
            "one group per kind: {k:?}"
        );
    }
    for o in OLD_VERSIONS {
        for kind in o.kinds {
            // An old version names a kind svcx reads, and is not accepted.
            let k = KINDS.iter().find(|k| k.kind == *kind).expect(kind);
            assert!(
                !(k.group == o.group && o.versions.iter().any(|v| k.versions.contains(v))),
                "{o:?}"
            );
        }
    }
}

#[test]
fn accepted_versions_are_read() {
    let mut s = snap(Scope::AllNamespaces);
    for (api, kind) in [
        ("v1", "Service"),
        ("gateway.networking.k8s.io/v1beta1", "HTTPRoute"),
        ("gateway.networking.k8s.io/v1alpha3", "TLSRoute"),
        ("gateway.networking.k8s.io/v1alpha2", "TCPRoute"),
        ("gateway.networking.k8s.io/v1beta1", "ReferenceGrant"),
    ] {
        let mut v = obj(api, kind, "a");
        v["spec"] = json!({"parentRefs": [], "rules": [], "hostnames": [], "from": [], "to": []});
        let r = s.ingest(v, origin(1), "default");
        assert_eq!(r.unwrap(), Ingested::Added, "{api} {kind}");
    }
    assert_eq!(s.http_routes.len(), 1);
    assert_eq!(s.tls_routes.len(), 1);
}

#[test]
fn old_versions_and_other_kinds_are_counted_and_skipped() {
    let mut s = snap(Scope::AllNamespaces);
    let mut add = |api: &str, kind: &str, name: &str| {
        s.ingest(obj(api, kind, name), origin(1), "default")
            .unwrap()
    };
    assert_eq!(
        add("extensions/v1beta1", "Ingress", "a"),
        Ingested::OldVersion
    );
    assert_eq!(
        add("networking.k8s.io/v1beta1", "Ingress", "b"),
        Ingested::OldVersion
    );
    assert_eq!(
        add("extensions/v1beta1", "Deployment", "c"),
        Ingested::OldVersion
    );
    assert_eq!(add("v1", "Events", "d"), Ingested::Unused);
    assert_eq!(add("v1", "ConfigMap", "e"), Ingested::Unused);
    assert_eq!(
        add("networking.istio.io/v1beta1", "Gateway", "f"),
        Ingested::Unused
    );
    assert_eq!(
        add("serving.knative.dev/v1", "Service", "g"),
        Ingested::Unused
    );
    assert_eq!(s.stats.old_versions.values().sum::<usize>(), 3);
    assert_eq!(s.stats.unused["Gateway.networking.istio.io"], 1);
    assert_eq!(s.stats.unused["Service.serving.knative.dev"], 1);
    assert!(s.ingresses.is_empty() && s.services.is_empty());
}

#[test]
fn helm_hooks_are_no_backends() {
    let mut s = snap(Scope::AllNamespaces);
    let mut hook = obj("v1", "Pod", "web-test-connection");
    hook["metadata"]["annotations"] = serde_json::json!({ "helm.sh/hook": "test" });
    assert_eq!(
        s.ingest(hook, origin(1), "default").unwrap(),
        Ingested::Unused
    );
    let mut job = obj("batch/v1", "Job", "migrate");
    job["metadata"]["annotations"] = serde_json::json!({ "helm.sh/hook": "pre-install" });
    assert_eq!(
        s.ingest(job, origin(2), "default").unwrap(),
        Ingested::Unused
    );
    assert!(s.pods.is_empty() && s.workloads.is_empty());
    assert_eq!(s.stats.helm_hooks["Pod"], 1);
    assert_eq!(s.stats.helm_hooks["Job"], 1);
}

#[test]
fn a_wrong_api_version_for_a_known_kind_is_an_error() {
    let mut s = snap(Scope::AllNamespaces);
    for api in ["apps/v1", "v2", "", "networking.k8s.io/v1"] {
        let err = s
            .ingest(obj(api, "Service", "web"), origin(1), "default")
            .unwrap_err();
        assert_eq!(err.field(), "apiVersion", "{api}");
        assert!(matches!(&err, IngestError::ApiVersion { found, known, .. }
            if found == api && known.kind == "Service"));
        assert!(err.hint().contains("`apiVersion: v1`"), "{}", err.hint());
    }
}

#[test]
fn duplicates_are_kept_once_and_counted_once() {
    let mut s = snap(Scope::AllNamespaces);
    let svc = || obj("v1", "Service", "web");
    assert_eq!(
        s.ingest(svc(), origin(1), "default").unwrap(),
        Ingested::Added
    );
    assert_eq!(
        s.ingest(svc(), origin(9), "default").unwrap(),
        Ingested::Duplicate
    );
    // Written namespace equal to the default one: the same object.
    let mut again = svc();
    again["metadata"]["namespace"] = json!("default");
    assert_eq!(
        s.ingest(again, origin(20), "default").unwrap(),
        Ingested::Duplicate
    );
    // Another namespace: another object.
    assert_eq!(
        s.ingest(svc(), origin(30), "shop").unwrap(),
        Ingested::Added
    );
    assert_eq!(s.services.len(), 2);
    assert_eq!(s.stats.objects["Service"], 2);
    assert_eq!(s.stats.duplicates.len(), 1);
    assert_eq!(s.stats.duplicates[0].kept, origin(1));
    assert_eq!(s.stats.duplicates[0].again, [origin(9), origin(20)]);
}

#[test]
fn out_of_scope_objects_are_counted_by_namespace() {
    let mut s = snap(Scope::Namespace("prod".into()));
    let mut svc = obj("v1", "Service", "web");
    svc["metadata"]["namespace"] = json!("shop");
    assert_eq!(
        s.ingest(svc, origin(1), "default").unwrap(),
        Ingested::OutOfScope
    );
    let node = obj("v1", "Node", "n1");
    assert_eq!(
        s.ingest(node, origin(5), "default").unwrap(),
        Ingested::Added
    );
    assert_eq!(s.stats.out_of_scope["shop"]["Service"], 1);
    assert_eq!(s.stats.in_scope, 0);
}

#[test]
fn replication_controllers_are_workloads_with_a_label_map_selector() {
    let mut s = snap(Scope::AllNamespaces);
    let rc = json!({
        "apiVersion": "v1", "kind": "ReplicationController",
        "metadata": {"name": "web"},
        "spec": {
            "selector": {"app": "web"},
            "template": {"metadata": {"labels": {"app": "web"}},
                         "spec": {"containers": [{"name": "c"}]}},
        },
    });
    assert_eq!(s.ingest(rc, origin(1), "default").unwrap(), Ingested::Added);
    let w = &s.workloads[0];
    assert_eq!(w.replicas, Some(1));
    assert_eq!(w.labels.get("app").map(String::as_str), Some("web"));
    // No selector: Kubernetes defaults it to the template's labels, which
    // are what Services select by.
    let rc = json!({
        "apiVersion": "v1", "kind": "ReplicationController",
        "metadata": {"name": "api"},
        "spec": {"template": {"metadata": {"labels": {"app": "api"}}}},
    });
    assert_eq!(s.ingest(rc, origin(9), "default").unwrap(), Ingested::Added);
    assert_eq!(s.workloads[1].labels["app"], "api");
    // A selector value that is not a string names the field as written.
    let rc = json!({
        "apiVersion": "v1", "kind": "ReplicationController",
        "metadata": {"name": "bad"}, "spec": {"selector": {"app": [1]}},
    });
    let err = s.ingest(rc, origin(20), "default").unwrap_err();
    assert_eq!(err.field(), "spec.selector.app");
}

#[test]
fn workload_errors_carry_the_full_path() {
    let mut s = snap(Scope::AllNamespaces);
    let cron = json!({
        "apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"},
        "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": 3}}}}},
    });
    let err = s.ingest(cron, origin(1), "default").unwrap_err();
    assert_eq!(
        err.field(),
        "spec.jobTemplate.spec.template.spec.containers"
    );
}
