//! `svcx migrate-to-gateway` against the test API server: it only reads
//! (GET, never a Secret), the GatewayClass defaults to the cluster's only
//! one, and with no `--gateway-api-version` what is written follows what
//! the cluster serves: servers that serve different Gateway API kinds get
//! different routes.

use crate::common;
use crate::support;

use common::{Run, json_out};
use serde_json::Value;
use support::ApiServer;

const KINDS: &str = include_str!("fixtures/migrate/kinds.yaml");

const CLASS: &str = "
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: envoy}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
";

/// Runs `svcx --kubeconfig K migrate-to-gateway -A ARGS` against `server`.
fn migrate(server: &ApiServer, args: &[&str]) -> Run {
    let mut all = vec!["migrate-to-gateway", "-A"];
    all.extend_from_slice(args);
    common::svcx_on(server, &all)
}

fn kinds_written(report: &Value) -> Vec<(String, String)> {
    report["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .map(|r| {
            (
                r["service"].as_str().unwrap_or_default().to_string()
                    + ":"
                    + &r["port"].to_string(),
                r["kind"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn live_migration_only_reads() {
    let server = ApiServer::builder()
        .yaml(&format!("{KINDS}{CLASS}"))
        .start();
    let run = migrate(&server, &["--domain", "example.com"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("kind: Gateway"), "{run}");
    common::assert_only_reads(&server);
}

#[test]
fn live_class_defaults_to_the_only_one_and_versions_follow_discovery() {
    // This server serves TLSRoute, TCPRoute and UDPRoute as v1alpha2, as the
    // experimental channel did before v1.5.
    let server = ApiServer::builder()
        .yaml(&format!("{KINDS}{CLASS}"))
        .start();
    let json = json_out(&migrate(
        &server,
        &["--domain", "example.com", "-o", "json"],
    ));
    let report = &json["report"];
    assert_eq!(report["gateway_class"], "envoy");
    assert!(report["target"].is_null(), "{report}");
    let written = kinds_written(report);
    for (port, kind) in [
        ("443", "TLSRoute"),
        ("6379", "TCPRoute"),
        ("53", "UDPRoute"),
    ] {
        assert!(
            written.contains(&(format!("apps/edge:{port}"), kind.to_string())),
            "{written:?}"
        );
    }
    let tcp = json["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["kind"] == "TCPRoute")
        .expect("a TCPRoute");
    assert_eq!(tcp["apiVersion"], "gateway.networking.k8s.io/v1alpha2");
}

#[test]
fn live_cluster_without_l4_routes_gets_none() {
    // A standard-channel cluster before v1.5: no TLSRoute, TCPRoute, UDPRoute.
    let server = ApiServer::builder()
        .yaml(&format!("{KINDS}{CLASS}"))
        .not_served("tlsroutes")
        .not_served("tcproutes")
        .not_served("udproutes")
        .start();
    let json = json_out(&migrate(
        &server,
        &["--domain", "example.com", "-o", "json"],
    ));
    let report = &json["report"];
    let written: Vec<String> = kinds_written(report).into_iter().map(|(_, k)| k).collect();
    assert_eq!(written, ["HTTPRoute", "GRPCRoute"]);
    let not_served: Vec<&str> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["code"] == "kind-not-served")
        .filter_map(|n| n["port"].as_str())
        .collect();
    assert_eq!(not_served, ["dns", "https", "redis"]);
}

#[test]
fn live_version_flag_overrides_discovery() {
    let server = ApiServer::builder()
        .yaml(&format!("{KINDS}{CLASS}"))
        .not_served("tcproutes")
        .start();
    let json = json_out(&migrate(
        &server,
        &[
            "--domain",
            "example.com",
            "--gateway-api-version",
            "v1.6",
            "-o",
            "json",
        ],
    ));
    assert_eq!(json["report"]["target"]["minor"], 6);
    let tcp = json["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["kind"] == "TCPRoute")
        .expect("a TCPRoute, as v1.6 serves it");
    assert_eq!(tcp["apiVersion"], "gateway.networking.k8s.io/v1");
}

/// The `apiVersion` of each route kind written, from `-o json`.
fn versions_written(json: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = json["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["kind"].as_str().is_some_and(|k| k.ends_with("Route")))
        .map(|o| {
            (
                o["kind"].as_str().unwrap().to_string(),
                o["apiVersion"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("gateway.networking.k8s.io/")
                    .to_string(),
            )
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Three clusters, three Gateway API releases: what each serves is what
/// is written, kind by kind and version by version.
#[test]
fn live_l4_routes_follow_the_release_the_cluster_serves() {
    let owned = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    // v1.6: TCPRoute, UDPRoute and TLSRoute v1 (v1alpha2 no longer served).
    let v1_6 = ApiServer::builder()
        .yaml(&format!("{KINDS}{CLASS}"))
        .served_at("tlsroutes", &["v1"])
        .served_at("tcproutes", &["v1"])
        .served_at("udproutes", &["v1"])
        .served_at("referencegrants", &["v1beta1", "v1"])
        .start();
    let json = json_out(&migrate(&v1_6, &["--domain", "example.com", "-o", "json"]));
    assert_eq!(
        versions_written(&json),
        owned(&[
            ("GRPCRoute", "v1"),
            ("HTTPRoute", "v1"),
            ("TCPRoute", "v1"),
            ("TLSRoute", "v1"),
            ("UDPRoute", "v1"),
        ])
    );
    let served = json["report"]["served"]
        .as_array()
        .expect("what discovery found");
    assert!(
        served.contains(&serde_json::json!(["TCPRoute", "v1"])),
        "{served:?}"
    );
    assert!(
        !served.contains(&serde_json::json!(["TCPRoute", "v1alpha2"])),
        "{served:?}"
    );
    // Before v1.5, experimental channel: the L4 routes at v1alpha2.
    let experimental = ApiServer::builder()
        .yaml(&format!("{KINDS}{CLASS}"))
        .start();
    let json = json_out(&migrate(
        &experimental,
        &["--domain", "example.com", "-o", "json"],
    ));
    assert_eq!(
        versions_written(&json),
        owned(&[
            ("GRPCRoute", "v1"),
            ("HTTPRoute", "v1"),
            ("TCPRoute", "v1alpha2"),
            ("TLSRoute", "v1alpha2"),
            ("UDPRoute", "v1alpha2"),
        ])
    );
    // v1.5 standard: TLSRoute v1, and no TCPRoute or UDPRoute at all.
    let v1_5 = ApiServer::builder()
        .yaml(&format!("{KINDS}{CLASS}"))
        .served_at("tlsroutes", &["v1"])
        .not_served("tcproutes")
        .not_served("udproutes")
        .start();
    let json = json_out(&migrate(&v1_5, &["--domain", "example.com", "-o", "json"]));
    assert_eq!(
        versions_written(&json),
        owned(&[("GRPCRoute", "v1"), ("HTTPRoute", "v1"), ("TLSRoute", "v1")])
    );
    let not_served: Vec<&str> = json["report"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["code"] == "kind-not-served")
        .filter_map(|n| n["port"].as_str())
        .collect();
    assert_eq!(
        not_served,
        ["dns", "redis"],
        "the ports left without a route are named"
    );
    // Every request to each server was a read.
    for server in [&v1_6, &experimental, &v1_5] {
        assert!(server.requests().iter().all(|r| r.method == "GET"));
    }
}

/// The objects of tests/fixtures/migrate/network-policy.yaml as a cluster
/// holds them: the Deployment's pod and the Service's EndpointSlice, with
/// the same NetworkPolicy (only pods of its own namespace).
const POLICY_CLUSTER: &str = "
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: LoadBalancer
  selector: {app: web}
  clusterIP: 10.96.40.10
  clusterIPs: [10.96.40.10]
  ports: [{name: http, port: 80, targetPort: http, protocol: TCP, nodePort: 30480}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-0, namespace: shop, labels: {app: web}}
spec:
  nodeName: node-a
  containers: [{name: web, image: x, ports: [{name: http, containerPort: 8080, protocol: TCP}]}]
status:
  phase: Running
  podIP: 10.244.1.10
  podIPs: [{ip: 10.244.1.10}]
  conditions: [{type: Ready, status: 'True'}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-x1
  namespace: shop
  labels: {kubernetes.io/service-name: web}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints:
- addresses: [10.244.1.10]
  conditions: {ready: true, serving: true, terminating: false}
  nodeName: node-a
  targetRef: {kind: Pod, name: web-0, namespace: shop}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: same-namespace, namespace: shop}
spec:
  podSelector: {}
  ingress:
  - from:
    - podSelector: {}
";

/// Live as from files: a backend whose policies drop the Gateway's proxies
/// is noted (proxies-not-admitted), and `--allow-gateway-proxies` writes the
/// NetworkPolicy that admits exactly them, on the pods' port by name.
#[test]
fn live_migration_checks_that_the_backends_admit_the_proxies() {
    let server = ApiServer::builder()
        .yaml(&format!("{POLICY_CLUSTER}{CLASS}"))
        .start();
    let run = migrate(
        &server,
        &[
            "--gateway-namespace",
            "infra",
            "--allow-gateway-proxies",
            "-o",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{run}");
    let report = json_out(&run);
    let noted: Vec<&str> = report["report"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["code"] == "proxies-not-admitted")
        .map(|n| n["object"].as_str().unwrap())
        .collect();
    assert_eq!(noted, ["Service shop/web"]);
    let written: Vec<&Value> = report["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["kind"] == "NetworkPolicy")
        .collect();
    assert_eq!(written.len(), 1, "{written:#?}");
    assert_eq!(
        written[0]["spec"]["ingress"][0]["ports"],
        serde_json::json!([{"port": "http", "protocol": "TCP"}])
    );
    assert!(
        server.requests().iter().all(|r| r.method == "GET"),
        "svcx only reads"
    );
}
