//! Live mode end to end: the svcx binary and kubectl against the test API
//! server in `tests/support/`, over a real socket (HTTPS on 127.0.0.1, a CA
//! generated per run, a bearer token). Every run gets a generated kubeconfig
//! and a cleared environment, so no test can read a real kubeconfig.

use crate::common;
use crate::support;

use common::{Cluster, Run, json_out, layer, service, svcx_env, svcx_with};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{ApiServer, ApiServerBuilder, SilentServer, objects};
use svcx::demo::MANIFEST;

/// The messages of a report's notices.
fn notice_messages(report: &Value) -> Vec<&str> {
    report["notices"]
        .as_array()
        .expect("notices is a list")
        .iter()
        .map(|n| n["message"].as_str().expect("a message"))
        .collect()
}

/// Removes what legitimately differs between sources: every `origin`.
/// Drops where objects came from: the origin, and the field position that
/// only objects read from text have.
fn without_origins(mut v: Value) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                map.remove("origin");
                map.remove("span");
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    v
}

fn service_names(report: &Value) -> Vec<String> {
    report["services"]
        .as_array()
        .expect("services")
        .iter()
        .map(|s| {
            format!(
                "{}/{}",
                s["namespace"].as_str().unwrap(),
                s["name"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn live_reads_the_same_as_demo_and_files() {
    let cluster = Cluster::demo();
    let live = json_out(&cluster.svcx(&["explain", "-A", "-o", "json"]));
    let demo = json_out(&common::svcx(&["explain", "--demo", "-o", "json"]));
    let manifest = cluster.dir.path().join("demo.yaml");
    std::fs::write(&manifest, MANIFEST).unwrap();
    let files = json_out(&common::svcx(&[
        "explain",
        "-f",
        manifest.to_str().unwrap(),
        "-o",
        "json",
    ]));

    assert_eq!(service_names(&live).len(), 14);
    assert_eq!(
        without_origins(live["services"].clone()),
        without_origins(demo["services"].clone())
    );
    assert_eq!(
        without_origins(live["services"].clone()),
        without_origins(files["services"].clone())
    );
    assert_eq!(live["source"]["kind"], "live");
    assert_eq!(live["source"]["context"], "test");
    assert_eq!(live["source"]["server"], cluster.server.url);
    assert_eq!(
        live["services"][0]["origin"],
        json!({"source": "live", "context": "test"})
    );
    assert_eq!(live["scope"], json!({"scope": "all-namespaces"}));
    // Gateways, their listeners, routes and status read alike.
    assert_eq!(live["gateways"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        without_origins(live["gateways"].clone()),
        without_origins(demo["gateways"].clone())
    );
    assert_eq!(
        without_origins(live["gateways"].clone()),
        without_origins(files["gateways"].clone())
    );
    // Nothing degraded: the demo has the Gateway API, and its listeners'
    // namespace selector made svcx read the Namespaces too.
    assert_eq!(notice_messages(&live), Vec::<String>::new());
}

#[test]
fn live_mode_only_reads_and_never_asks_for_secrets() {
    let cluster = Cluster::demo();
    let run = cluster.svcx(&["explain", "-A", "-o", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let requests = cluster.server.requests();
    assert!(requests.len() >= 7, "{requests:#?}");
    for r in &requests {
        assert_eq!(r.method, "GET", "{r:?}");
        assert!(
            !r.path.contains("secrets") && !r.query.contains("secrets"),
            "{r:?}"
        );
    }
    let lists: BTreeSet<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    for path in [
        "/api/v1/services",
        "/api/v1/pods",
        "/api/v1/nodes",
        "/apis/discovery.k8s.io/v1/endpointslices",
        "/apis/networking.k8s.io/v1/ingresses",
        "/apis/networking.k8s.io/v1/ingressclasses",
        "/apis",
    ] {
        assert!(lists.contains(path), "{path} was not read: {lists:#?}");
    }
    let services = requests
        .iter()
        .find(|r| r.path == "/api/v1/services")
        .unwrap();
    assert_eq!(services.param("limit").as_deref(), Some("500"));
}

#[test]
fn namespace_comes_from_the_flag_then_the_context() {
    let server = ApiServer::builder().yaml(MANIFEST).start();
    let cluster = Cluster::start(server);
    let shop = cluster.write_kubeconfig(&cluster.server.kubeconfig().namespace("shop"));
    let report = json_out(&svcx_with(&shop, &["explain", "-o", "json"]));
    assert!(
        service_names(&report)
            .iter()
            .all(|n| n.starts_with("shop/")),
        "{:?}",
        service_names(&report)
    );
    assert_eq!(
        report["scope"],
        json!({"scope": "namespace", "namespace": "shop"})
    );
    assert!(
        cluster
            .server
            .requests()
            .iter()
            .any(|r| r.path == "/api/v1/namespaces/shop/services")
    );

    cluster.server.clear_requests();
    let report = json_out(&svcx_with(
        &shop,
        &["explain", "-n", "payments", "-o", "json"],
    ));
    assert_eq!(
        service_names(&report),
        ["payments/card-processor", "payments/payments-api"]
    );
    let paths: Vec<String> = cluster
        .server
        .requests()
        .into_iter()
        .map(|r| r.path)
        .collect();
    assert!(
        paths.contains(&"/api/v1/namespaces/payments/pods".to_string()),
        "{paths:#?}"
    );
    // Nodes are cluster-scoped: always all of them.
    assert!(paths.contains(&"/api/v1/nodes".to_string()), "{paths:#?}");

    // No namespace in the context: `default`.
    let report = json_out(&cluster.svcx(&["explain", "-o", "json"]));
    assert_eq!(service_names(&report), ["default/kubernetes"]);
}

#[test]
fn kubeconfig_env_merges_files_and_skips_missing_ones() {
    let cluster = Cluster::demo();
    let other_dir = tempfile::tempdir().unwrap();
    let other = cluster
        .server
        .kubeconfig()
        .contexts(&[("staging", Some("shop")), ("prod", None)])
        .server("https://127.0.0.1:9")
        .write(other_dir.path());
    let missing = cluster.dir.path().join("missing");
    let value = std::env::join_paths([&missing, &cluster.kubeconfig, &other]).unwrap();
    let env = [("KUBECONFIG", value.to_str().unwrap())];

    // The first file to set current-context wins: `test`, on this server.
    let report = json_out(&svcx_env(&["explain", "-o", "json"], &env));
    assert_eq!(report["source"]["context"], "test");
    // Contexts from both files are known.
    let run = svcx_env(&["explain", "--context", "nope"], &env);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains("known contexts: test, staging, prod"),
        "{run}"
    );
}

#[test]
fn forbidden_nodes_leave_a_notice_and_an_answer() {
    let cluster = Cluster::start(ApiServer::builder().yaml(MANIFEST).forbid("nodes").start());
    let run = cluster.svcx(&["explain", "-A", "-o", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let report = json_out(&run);
    assert_eq!(service_names(&report).len(), 14);
    let storefront = service(&report, "shop", "storefront");
    assert_eq!(
        layer(storefront, "node-port").unwrap()["nodes_known"],
        false
    );
    cluster
        .settings()
        .bind(|| insta::assert_snapshot!("forbidden_nodes_stderr", run.stderr));
}

#[test]
fn forbidden_gateway_routes_leave_a_notice() {
    let server = ApiServer::builder()
        .yaml(MANIFEST)
        .yaml(GATEWAY_FIXTURE)
        .forbid("httproutes")
        .start();
    let cluster = Cluster::start(server);
    let run = cluster.svcx(&["explain", "-A", "-o", "json"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr.contains(
            "httproutes.gateway.networking.k8s.io: forbidden; svcx needs `list` on \
             httproutes.gateway.networking.k8s.io in all namespaces"
        ),
        "{run}"
    );
}

#[test]
fn refused_credentials_fail_with_exit_2() {
    let cluster = Cluster::demo();
    let wrong = cluster.write_kubeconfig(&cluster.server.kubeconfig().token("expired-token"));
    let run = svcx_with(&wrong, &["explain", "-A"]);
    assert_eq!(run.code, 2, "{run}");
    assert_eq!(run.stdout, "");
    cluster
        .settings()
        .bind(|| insta::assert_snapshot!("unauthorized_stderr", run.stderr));
}

#[test]
fn unknown_context_fails_and_lists_the_known_ones() {
    let cluster = Cluster::demo();
    let two = cluster.write_kubeconfig(
        &cluster
            .server
            .kubeconfig()
            .contexts(&[("test", None), ("staging", Some("shop"))]),
    );
    let run = svcx_with(&two, &["explain", "--context", "prod"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        cluster.server.requests().is_empty(),
        "nothing is sent for an unknown context"
    );
    cluster
        .settings()
        .bind(|| insta::assert_snapshot!("unknown_context_stderr", run.stderr));
    // The other context works.
    let report = json_out(&svcx_with(
        &two,
        &["explain", "--context", "staging", "-o", "json"],
    ));
    assert_eq!(report["source"]["context"], "staging");
    assert!(
        service_names(&report)
            .iter()
            .all(|n| n.starts_with("shop/"))
    );
}

#[test]
fn unreachable_cluster_fails_within_the_timeout() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cluster = Cluster::demo();
    let url = format!("https://127.0.0.1:{port}");
    let closed = cluster.write_kubeconfig(&cluster.server.kubeconfig().server(&url));
    let started = Instant::now();
    let run = svcx_with(&closed, &["explain", "-A", "--request-timeout", "2s"]);
    let elapsed = started.elapsed();
    assert_eq!(run.code, 2, "{run}");
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    assert!(
        run.stderr.contains(&format!(
            "could not reach the cluster at {url} (context `test`)"
        )),
        "{run}"
    );
    assert!(run.stderr.contains("onnection refused"), "{run}");
    cluster
        .settings()
        .bind(|| insta::assert_snapshot!("unreachable_stderr", run.stderr));
}

#[test]
fn silent_cluster_fails_within_the_timeout() {
    let silent = SilentServer::start();
    let cluster = Cluster::demo();
    let hangs = cluster.write_kubeconfig(&cluster.server.kubeconfig().server(&silent.url));
    let started = Instant::now();
    // The server never answers, so the timeout is all the run waits for;
    // the lower bound shows svcx waited it out.
    let run = svcx_with(&hangs, &["explain", "-A", "--request-timeout", "1s"]);
    let elapsed = started.elapsed();
    assert_eq!(run.code, 2, "{run}");
    assert!(
        elapsed >= Duration::from_secs(1) && elapsed < Duration::from_secs(10),
        "took {elapsed:?}"
    );
    cluster
        .settings()
        .bind(|| insta::assert_snapshot!("silent_stderr", run.stderr));
}

#[test]
fn no_kubeconfig_outside_a_cluster_fails_with_a_hint() {
    // No --kubeconfig, no KUBECONFIG, no HOME, no service account.
    let run = svcx_env(&["explain"], &[]);
    assert_eq!(run.code, 2, "{run}");
    insta::with_settings!({snapshot_path => common::root().join("snapshots")}, {
        insta::assert_snapshot!("no_kubeconfig_stderr", run.stderr);
    });
}

#[test]
fn resources_the_cluster_does_not_serve_are_notices() {
    let server = ApiServer::builder()
        .yaml(MANIFEST)
        .not_served("ingresses")
        .not_served("ingressclasses")
        .gateway_api(false)
        .start();
    let cluster = Cluster::start(server);
    let run = cluster.svcx(&["explain", "-A", "-o", "json"]);
    let report = json_out(&run);
    assert_eq!(service_names(&report).len(), 14);
    let notices = notice_messages(&report);
    assert_eq!(
        notices,
        [
            "ingresses: not served by this cluster (404) — Ingresses that route to Services were not read",
            "ingressclasses: not served by this cluster (404) — Ingress controllers are unknown",
            "Gateway API is not installed; gateways and routes were not read",
        ]
    );
}

#[test]
fn untrusted_certificate_fails_with_exit_2() {
    let cluster = Cluster::demo();
    let stranger = support::tls::generate("another-ca");
    let untrusting =
        cluster.write_kubeconfig(&cluster.server.kubeconfig().ca_pem(&stranger.ca_pem));
    let run = svcx_with(&untrusting, &["explain", "-A", "--request-timeout", "5s"]);
    assert_eq!(run.code, 2, "{run}");
    cluster
        .settings()
        .bind(|| insta::assert_snapshot!("untrusted_certificate_stderr", run.stderr));
}

/// 1,200 pods of Service `big/web` on one node, and 600 EndpointSlices of
/// two endpoints each: more than one page of both.
fn big_cluster() -> ApiServerBuilder {
    let pod_name = |i: usize| format!("web-{i:04}");
    let pods = (0..1200)
        .map(move |i| objects::pod("big", &pod_name(i), "web", &objects::ip(i + 1), "node-1"));
    let slices = (0..600).map(move |s| {
        let endpoints: Vec<_> = (2 * s..2 * s + 2)
            .map(|i| (objects::ip(i + 1), pod_name(i), "node-1".to_string()))
            .collect();
        objects::endpoint_slice("big", "web", &format!("web-{s:03}"), &endpoints)
    });
    ApiServer::builder()
        .object(objects::node("node-1", "192.0.2.1"))
        .object(objects::service("big", "web"))
        .objects(pods)
        .objects(slices)
        .max_page(500)
}

/// The list requests for `path`, in order.
fn pages(server: &ApiServer, path: &str) -> Vec<support::LoggedRequest> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.path == path)
        .collect()
}

fn assert_paginated(pages: &[support::LoggedRequest], count: usize) {
    assert_eq!(pages.len(), count, "{pages:#?}");
    assert!(
        pages
            .iter()
            .all(|p| p.param("limit").as_deref() == Some("500")),
        "{pages:#?}"
    );
    assert_eq!(pages[0].param("continue"), None);
    assert!(
        pages[1..].iter().all(|p| p.param("continue").is_some()),
        "{pages:#?}"
    );
}

#[test]
fn lists_follow_continue_across_pages() {
    let cluster = Cluster::start(big_cluster().start());
    let report = json_out(&cluster.svcx(&["explain", "-n", "big", "-o", "json"]));
    let web = service(&report, "big", "web");
    assert_eq!(web["backends"]["source"], "endpoint-slices");
    assert_eq!(web["backends"]["items"].as_array().unwrap().len(), 1200);
    assert_eq!(web["endpoint_summary"]["ready"], 1200);
    assert_paginated(&pages(&cluster.server, "/api/v1/namespaces/big/pods"), 3);
    assert_paginated(
        &pages(
            &cluster.server,
            "/apis/discovery.k8s.io/v1/namespaces/big/endpointslices",
        ),
        2,
    );

    // Without slices, the pods are the backends: all 1,200 of them arrived.
    let cluster = Cluster::start(big_cluster().forbid("endpointslices").start());
    let run = cluster.svcx(&["explain", "-n", "big", "-o", "json"]);
    let web = service(&json_out(&run), "big", "web").clone();
    assert_eq!(web["backends"]["source"], "pods");
    assert_eq!(web["backends"]["items"].as_array().unwrap().len(), 1200);
    let names: BTreeSet<&str> = web["backends"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["pod"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 1200);
    assert!(run.stderr.contains("endpointslices: forbidden"), "{run}");
}

/// A GatewayClass, a Gateway, an HTTPRoute to the storefront and a TLSRoute
/// (served at v1alpha2 only, so svcx must list it at the version the cluster has).
const GATEWAY_FIXTURE: &str = r#"
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: example}
spec: {controllerName: example.com/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: shop}
spec:
  gatewayClassName: example
  listeners:
  - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: Same}}}
  - {name: tls, protocol: TLS, port: 443, tls: {mode: Passthrough}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: public, sectionName: http}]
  hostnames: [shop.example.com]
  rules:
  - backendRefs: [{name: storefront, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TLSRoute
metadata: {name: storefront-tls, namespace: shop}
spec:
  parentRefs: [{name: public, sectionName: tls}]
  hostnames: [shop.example.com]
  rules:
  - backendRefs: [{name: storefront, port: 443}]
"#;

#[test]
fn gateway_api_not_installed_is_a_notice() {
    let cluster = Cluster::start(
        ApiServer::builder()
            .yaml(MANIFEST)
            .gateway_api(false)
            .start(),
    );
    let run = cluster.svcx(&["explain", "-A"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr
            .contains("Gateway API is not installed; gateways and routes were not read"),
        "{run}"
    );
    let gateway_requests: Vec<_> = cluster
        .server
        .requests()
        .into_iter()
        .filter(|r| r.path.contains("gateway.networking.k8s.io"))
        .collect();
    assert!(gateway_requests.is_empty(), "{gateway_requests:#?}");
}

#[test]
fn gateway_api_installed_is_read() {
    let cluster = Cluster::start(
        ApiServer::builder()
            .yaml(MANIFEST)
            .yaml(GATEWAY_FIXTURE)
            .start(),
    );
    let run = cluster.svcx(&["explain", "-n", "shop", "-o", "json"]);
    let report = json_out(&run);
    assert!(!run.stderr.contains("Gateway API"), "{run}");
    assert_eq!(report["notices"], json!([]), "{run}");
    let paths: BTreeSet<String> = cluster
        .server
        .requests()
        .into_iter()
        .map(|r| r.path)
        .collect();
    for path in [
        "/apis/gateway.networking.k8s.io/v1",
        "/apis/gateway.networking.k8s.io/v1alpha2",
        "/apis/gateway.networking.k8s.io/v1/gatewayclasses",
        "/apis/gateway.networking.k8s.io/v1/namespaces/shop/gateways",
        "/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes",
        "/apis/gateway.networking.k8s.io/v1/namespaces/shop/grpcroutes",
        "/apis/gateway.networking.k8s.io/v1/namespaces/shop/referencegrants",
        "/apis/gateway.networking.k8s.io/v1alpha2/namespaces/shop/tlsroutes",
        "/apis/gateway.networking.k8s.io/v1alpha2/namespaces/shop/tcproutes",
        "/apis/gateway.networking.k8s.io/v1alpha2/namespaces/shop/udproutes",
    ] {
        assert!(paths.contains(path), "{path} was not read: {paths:#?}");
    }
}

// ---- kubectl fidelity: the server answers kubectl as a cluster would ----

/// Runs kubectl against the kubeconfig, with its own cache directory and HOME.
/// The tests that call it are ignored when kubectl is not on PATH (build.rs).
fn kubectl(cluster: &Cluster, args: &[&str]) -> Run {
    let out = Command::new("kubectl")
        .args(args)
        .arg("--kubeconfig")
        .arg(&cluster.kubeconfig)
        .arg("--cache-dir")
        .arg(cluster.dir.path().join("kubectl-cache"))
        .env_clear()
        .env("HOME", cluster.dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("kubectl did not run: {e}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
#[cfg_attr(not(svcx_kubectl), ignore = "needs kubectl on PATH")]
fn kubectl_get_services_reads_the_fixture() {
    let cluster = Cluster::demo();
    let run = kubectl(&cluster, &["get", "svc", "-A", "-o", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let list: Value = serde_json::from_str(&run.stdout).unwrap();
    let got: BTreeSet<(String, String, String)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert_eq!(s["kind"], "Service");
            let ports: Vec<String> = s["spec"]["ports"]
                .as_array()
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(|p| {
                    format!(
                        "{}/{}:{}",
                        p["port"],
                        p["protocol"].as_str().unwrap_or("TCP"),
                        p["nodePort"]
                    )
                })
                .collect();
            (
                s["metadata"]["namespace"].as_str().unwrap().to_string(),
                s["metadata"]["name"].as_str().unwrap().to_string(),
                ports.join(","),
            )
        })
        .collect();

    let report = json_out(&cluster.svcx(&["explain", "-A", "-o", "json"]));
    let want: BTreeSet<(String, String, String)> = report["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let ports: Vec<String> = s["ports"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    format!(
                        "{}/{}:{}",
                        p["port"],
                        p["protocol"].as_str().unwrap(),
                        p.get("node_port").unwrap_or(&Value::Null)
                    )
                })
                .collect();
            (
                s["namespace"].as_str().unwrap().to_string(),
                s["name"].as_str().unwrap().to_string(),
                ports.join(","),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(got.len(), 14);
}

/// The fields of `kubectl describe svc` that svcx also reports.
#[derive(Debug, Default)]
struct Described {
    /// Per Service port: (name, "80/TCP", nodePort, endpoints shown, endpoints not shown).
    ports: Vec<DescribedPort>,
    session_affinity: Option<String>,
    external_traffic_policy: Option<String>,
}

#[derive(Debug, Default)]
struct DescribedPort {
    name: String,
    port: String,
    node_port: Option<String>,
    endpoints: BTreeSet<String>,
    more: usize,
}

/// Parses `kubectl describe svc` text: `Key:   value` lines, with a block of
/// Port / TargetPort / NodePort / Endpoints lines per Service port.
fn parse_describe(text: &str) -> Described {
    let mut d = Described::default();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match key {
            "Port" => {
                let (name, port) = value.split_once(char::is_whitespace).unwrap_or(("", value));
                d.ports.push(DescribedPort {
                    name: name.trim().to_string(),
                    port: port.trim().to_string(),
                    ..Default::default()
                });
            }
            "NodePort" => {
                let (_, port) = value.split_once(char::is_whitespace).unwrap_or(("", value));
                d.ports.last_mut().unwrap().node_port = Some(
                    port.trim()
                        .trim_end_matches("/TCP")
                        .trim_end_matches("/UDP")
                        .to_string(),
                );
            }
            "Endpoints" => {
                let p = d.ports.last_mut().unwrap();
                let (shown, more) = match value.split_once(" + ") {
                    Some((shown, more)) => {
                        (shown, more.trim_end_matches(" more...").parse().unwrap())
                    }
                    None => (value, 0),
                };
                p.endpoints = shown
                    .split(',')
                    .map(str::trim)
                    .filter(|e| !e.is_empty() && *e != "<none>")
                    .map(str::to_string)
                    .collect();
                p.more = more;
            }
            "Session Affinity" => d.session_affinity = Some(value.to_string()),
            "External Traffic Policy" => d.external_traffic_policy = Some(value.to_string()),
            _ => {}
        }
    }
    d
}

#[test]
#[cfg_attr(not(svcx_kubectl), ignore = "needs kubectl on PATH")]
fn kubectl_describe_agrees_with_explain() {
    let cluster = Cluster::demo();
    let report = json_out(&cluster.svcx(&["explain", "-A", "-o", "json"]));
    let mut compared = 0;
    for svc in report["services"].as_array().unwrap() {
        let (ns, name) = (
            svc["namespace"].as_str().unwrap(),
            svc["name"].as_str().unwrap(),
        );
        if svc["type"] == "ExternalName" {
            continue;
        }
        let run = kubectl(&cluster, &["describe", "svc", name, "-n", ns]);
        assert_eq!(run.code, 0, "{run}");
        let described = parse_describe(&run.stdout);
        let context = format!("{ns}/{name}:\n{}", run.stdout);

        // Ports and node ports.
        let ports = svc["ports"].as_array().unwrap();
        assert_eq!(described.ports.len(), ports.len(), "{context}");
        for (p, d) in ports.iter().zip(&described.ports) {
            assert_eq!(d.name, p["name"].as_str().unwrap_or("<unset>"), "{context}");
            assert_eq!(
                d.port,
                format!("{}/{}", p["port"], p["protocol"].as_str().unwrap()),
                "{context}"
            );
            assert_eq!(
                d.node_port,
                p.get("node_port").map(|n| n.to_string()),
                "{context}"
            );
        }

        // Endpoints: the ready backends, at the port each resolves to.
        for (i, p) in ports.iter().enumerate() {
            let port_key = p["name"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| p["port"].to_string());
            let want: BTreeSet<String> = svc["backends"]["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|b| b["conditions"]["ready"] == true)
                .flat_map(|b| {
                    // Every address (both families of a dual-stack pod), as
                    // kubectl writes them: `[v6]:port`; the bare address when
                    // the slice has no such port (a name no pod declares).
                    let port = b["ports"]
                        .as_array()
                        .and_then(|ps| ps.iter().find(|bp| bp["service_port"] == port_key.as_str()))
                        .and_then(|bp| bp["port"].as_i64());
                    let addresses = b["addresses"].as_array().cloned().unwrap_or_default();
                    addresses.into_iter().filter_map(move |a| {
                        let a = a.as_str()?.to_string();
                        let a = if a.contains(':') { format!("[{a}]") } else { a };
                        Some(match port {
                            Some(p) => format!("{a}:{p}"),
                            None => a.trim_matches(['[', ']']).to_string(),
                        })
                    })
                })
                .collect();
            let d = &described.ports[i];
            assert!(d.endpoints.is_subset(&want), "{context}\nsvcx: {want:?}");
            assert_eq!(
                d.endpoints.len() + d.more,
                want.len(),
                "{context}\nsvcx: {want:?}"
            );
        }

        // Session affinity: an unset field is the API default, None.
        let cluster_ip = layer(svc, "cluster-ip");
        if let (Some(l), Some(affinity)) = (cluster_ip, &described.session_affinity) {
            let affinity = if affinity.is_empty() {
                "None"
            } else {
                affinity.as_str()
            };
            assert_eq!(l["session_affinity"], affinity, "{context}");
        }
        // External traffic policy, for Services with a node-port layer (a
        // LoadBalancer without node ports has none, though kubectl prints it).
        if let (Some(policy), Some(node_port)) =
            (&described.external_traffic_policy, layer(svc, "node-port"))
        {
            let policy = if policy.is_empty() {
                "Cluster"
            } else {
                policy.as_str()
            };
            assert_eq!(node_port["external_traffic_policy"], policy, "{context}");
        }
        compared += 1;
    }
    assert!(compared >= 10, "compared {compared} Services");
}

// ---- references across namespaces: a run over one namespace reads what its
// routes name elsewhere, by name ----

/// A shared Gateway in `infra`, a route in `shop`, a backend in `catalog`
/// with its ReferenceGrant, and objects beside them that must not be read.
const CROSS_NAMESPACE: &str = include_str!("fixtures/live/cross_namespace_gateway.yaml");

/// One request, sorted by what it asks for.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Asked {
    /// A GET of one object: its path.
    Object(String),
    /// A list: its path and label selector.
    List(String, Option<String>),
    /// Discovery (`/api`, `/apis`, `/apis/GROUP/VERSION`).
    Discovery,
}

fn asked(r: &support::LoggedRequest) -> Asked {
    let segments: Vec<&str> = r.path.trim_matches('/').split('/').collect();
    // After `/api/v1` or `/apis/GROUP/VERSION`: `[namespaces/NS/]PLURAL[/NAME]`.
    let rest = match segments.as_slice() {
        ["api", _, rest @ ..] => rest,
        ["apis", _, _, rest @ ..] => rest,
        _ => return Asked::Discovery,
    };
    let named = match rest {
        [] => return Asked::Discovery,
        ["namespaces", _, _plural] => false,
        ["namespaces", _, _plural, _name] => true,
        // `/api/v1/namespaces/NAME` is a Namespace by name.
        ["namespaces", _name] => true,
        [_plural] => false,
        [_plural, _name] => true,
        _ => panic!("an unexpected path: {r:?}"),
    };
    if named {
        Asked::Object(r.path.clone())
    } else {
        Asked::List(r.path.clone(), r.param("labelSelector"))
    }
}

/// Cluster-scoped kinds svcx lists whatever the namespace, and the
/// cluster-wide policy kinds the fixture's server does not serve.
const CLUSTER_LISTS: &[&str] = &[
    "/api/v1/nodes",
    "/apis/networking.k8s.io/v1/ingressclasses",
    "/apis/gateway.networking.k8s.io/v1/gatewayclasses",
    "/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies",
    "/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies",
    "/apis/policy.networking.k8s.io/v1alpha1/baselineadminnetworkpolicies",
];

/// Every request was a GET; every list was of `shop`, of a cluster-scoped
/// kind, one of the narrowed lists of the backend's namespace, or, once
/// the Gateway was read, the NetworkPolicies of its namespace and its pods
/// narrowed to the Gateway's label (its proxies); and the objects asked for
/// by name were exactly the Gateway, the backend Service and, when the
/// Gateway was read (its listener selects by label), the Namespace `shop`.
fn assert_reads_only_what_is_named(server: &ApiServer, gateway_read: bool) {
    let requests = server.requests();
    assert!(requests.iter().all(|r| r.method == "GET"), "{requests:#?}");
    let mut objects = BTreeSet::new();
    for r in &requests {
        match asked(r) {
            Asked::Discovery => {}
            Asked::Object(path) => {
                objects.insert(path);
            }
            Asked::List(path, labels) => {
                let allowed = path.contains("/namespaces/shop/")
                    || CLUSTER_LISTS.contains(&path.as_str())
                    || (path == "/apis/discovery.k8s.io/v1/namespaces/catalog/endpointslices"
                        && labels.as_deref() == Some("kubernetes.io/service-name=catalog"))
                    || path
                        == "/apis/gateway.networking.k8s.io/v1/namespaces/catalog/referencegrants"
                    || gateway_read
                        && (path == "/apis/networking.k8s.io/v1/namespaces/infra/networkpolicies"
                            || path == "/api/v1/namespaces/infra/pods"
                                && labels.as_deref()
                                    == Some(
                                        "gateway.networking.k8s.io/gateway-name=shared-gateway",
                                    ));
                assert!(allowed, "a list beyond `shop`: {r:?}");
            }
        }
    }
    let mut want = BTreeSet::from([
        "/api/v1/namespaces/catalog/services/catalog".to_string(),
        "/apis/gateway.networking.k8s.io/v1/namespaces/infra/gateways/shared-gateway".to_string(),
    ]);
    if gateway_read {
        want.insert("/api/v1/namespaces/shop".to_string());
    }
    assert_eq!(objects, want);
}

/// The hops of the path through a Gateway of a traced Service.
fn gateway_path(report: &Value) -> &Vec<Value> {
    report["services"][0]["paths"]
        .as_array()
        .expect("paths")
        .iter()
        .map(|p| p["hops"].as_array().expect("hops"))
        .find(|hops| hops.iter().any(|h| h["kind"] == "gateway"))
        .unwrap_or_else(|| panic!("a path through a Gateway in {report:#}"))
}

/// The kinds of the hops from the Gateway hop on, following each hop's
/// first `next` (the hops are a graph: the in-cluster way in, through the
/// cluster IP, joins it at the endpoints).
fn chain_from_gateway(hops: &[Value]) -> Vec<&str> {
    let mut at = hops.iter().find(|h| h["kind"] == "gateway");
    let mut kinds = Vec::new();
    while let Some(hop) = at {
        kinds.push(hop["kind"].as_str().expect("a kind"));
        at = hop["next"][0]
            .as_str()
            .and_then(|next| hops.iter().find(|h| h["id"] == next));
    }
    kinds
}

/// The route in `shop` attaches to the Gateway in `infra`: svcx reads that
/// Gateway by name, the labels of `shop` by name, and the backend Service in
/// `catalog` with its slices and that namespace's ReferenceGrants, and
/// nothing else outside `shop`. The Gateway's listener admits the route
/// (the Namespace carries the label it selects), the route reaches `web`
/// through the Gateway's address, and the backendRef into `catalog` is
/// allowed. Before, the Gateway was "not read", the route not admitted, and
/// `web` reachable from inside the cluster only.
#[test]
fn a_namespaced_run_reads_the_gateway_its_route_names_in_another_namespace() {
    let cluster = Cluster::start(ApiServer::builder().yaml(CROSS_NAMESPACE).start());
    let trace = json_out(&cluster.svcx(&["trace", "web", "-n", "shop", "-o", "json"]));
    let hops = gateway_path(&trace);
    assert_eq!(
        chain_from_gateway(hops)[..5],
        ["gateway", "listener", "route", "backend-ref", "endpoints"],
        "{hops:#?}"
    );
    assert_eq!(hops[0]["name"], "infra/shared-gateway");
    assert_eq!(hops[0]["address"], "192.0.2.10");
    assert_eq!(hops[0]["verdict"], "ok");
    assert_eq!(hops[1]["name"], "https");
    assert_eq!(hops[1]["verdict"], "ok");
    assert_eq!(trace["verdict"], "ok", "{trace:#}");
    assert_eq!(trace["notices"], json!([]));
    assert_reads_only_what_is_named(&cluster.server, true);

    let explain = json_out(&cluster.svcx(&["explain", "-n", "shop", "-o", "json"]));
    assert_eq!(service_names(&explain), ["shop/web"]);
    let web = service(&explain, "shop", "web");
    let routes = web["routes"].as_array().expect("routes");
    assert_eq!(routes.len(), 1, "{routes:#?}");
    assert_eq!(routes[0]["reaches"], true);
    let parent = &routes[0]["parents"][0];
    assert_eq!(parent["gateway"], "infra/shared-gateway");
    assert_eq!(parent["addresses"], json!(["192.0.2.10"]));
    assert_eq!(parent["listeners"][0]["name"], "https");
    assert_eq!(parent["findings"], json!([]));
    assert!(parent.get("accepted_per_status").is_none(), "{parent}");
    // Only `shop` is reported, though `infra` and `catalog` were read from.
    assert_eq!(explain["gateways"], json!([]));

    // The backendRef into `catalog` resolves and is allowed: no finding on
    // the route, where without the grant and the Service lint would warn.
    let lint = json_out(&cluster.svcx(&["lint", "-n", "shop", "-o", "json"]));
    assert_eq!(common::finding_codes(&lint), Vec::<&str>::new(), "{lint:#}");
}

/// RBAC forbids Gateways in `infra`: the notice names that Gateway and the
/// permission, and the answer degrades honestly: the route's status says
/// the controller accepted it, so it counts as attached on that word (the
/// parent says so), and the Gateway hop, whose address and listeners are
/// unknown, is a warning rather than a pass.
#[test]
fn a_forbidden_gateway_is_named_and_the_route_status_stands_in_for_it() {
    let cluster = Cluster::start(
        ApiServer::builder()
            .yaml(CROSS_NAMESPACE)
            .forbid_in("gateways", "infra")
            .start(),
    );
    let trace = json_out(&cluster.svcx(&["trace", "web", "-n", "shop", "-o", "json"]));
    let notices = trace["notices"].as_array().expect("notices");
    assert_eq!(notices.len(), 1, "{notices:#?}");
    assert_eq!(
        notices[0]["hint"],
        "check with `kubectl auth can-i get gateways.gateway.networking.k8s.io/shared-gateway -n infra`"
    );
    let hops = gateway_path(&trace);
    assert_eq!(
        chain_from_gateway(hops)[..4],
        ["gateway", "route", "backend-ref", "endpoints"],
        "{hops:#?}"
    );
    assert_eq!(hops[0]["name"], "infra/shared-gateway");
    assert_eq!(hops[0]["verdict"], "warn");
    assert_eq!(hops[0]["findings"], json!(["SVC501"]), "{:#}", hops[0]);
    assert!(hops[0]["address"].is_null(), "{:#}", hops[0]);
    assert_eq!(trace["verdict"], "warn");
    assert_reads_only_what_is_named(&cluster.server, false);

    let explain = json_out(&cluster.svcx(&["explain", "-n", "shop", "-o", "json"]));
    let route = &service(&explain, "shop", "web")["routes"][0];
    assert_eq!(route["reaches"], true);
    let parent = &route["parents"][0];
    assert_eq!(parent["accepted_per_status"], true);
    assert_eq!(parent["listeners"], json!([]));
    assert_eq!(parent["status"]["accepted"]["status"], "True");
    let findings = parent["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["severity"], "info");
}

/// A Gateway the cluster says does not exist (404) is known to be absent:
/// the route is not attached, an error, and no notice speaks of a read that
/// failed. The route's status, written when the Gateway still existed, is
/// no evidence against the cluster's answer.
#[test]
fn a_gateway_the_cluster_does_not_have_is_absent_not_unread() {
    // The route and its status name a Gateway `infra` does not have.
    let renamed = CROSS_NAMESPACE
        .replace(
            "  - name: shared-gateway\n    namespace: infra\n  rules:",
            "  - name: old-gateway\n    namespace: infra\n  rules:",
        )
        .replace(
            "kind: Gateway, name: shared-gateway, namespace: infra}",
            "kind: Gateway, name: old-gateway, namespace: infra}",
        );
    assert_eq!(renamed.matches("old-gateway").count(), 2);
    let cluster = Cluster::start(ApiServer::builder().yaml(&renamed).start());
    let explain = json_out(&cluster.svcx(&["explain", "-n", "shop", "-o", "json"]));
    assert_eq!(explain["notices"], json!([]));
    let route = &service(&explain, "shop", "web")["routes"][0];
    assert_eq!(route["reaches"], false);
    let parent = &route["parents"][0];
    assert_eq!(parent["gateway"], "infra/old-gateway");
    assert!(parent.get("accepted_per_status").is_none(), "{parent}");
    assert_eq!(parent["findings"][0]["code"], "SVC501");
    assert_eq!(parent["findings"][0]["severity"], "error");
    // The status says Accepted: svcx says where it disagrees.
    assert_eq!(parent["status"]["agrees"], false);
    let gets: Vec<String> = cluster
        .server
        .requests()
        .into_iter()
        .filter(|r| r.path.contains("/namespaces/infra/"))
        .map(|r| r.path)
        .collect();
    assert_eq!(
        gets,
        ["/apis/gateway.networking.k8s.io/v1/namespaces/infra/gateways/old-gateway"]
    );
}

/// kubectl reads the Gateway in `infra` from the same server by name, and
/// sees the address svcx traced through; with Gateways in `infra`
/// forbidden, kubectl is refused as svcx is.
#[test]
#[cfg_attr(not(svcx_kubectl), ignore = "needs kubectl on PATH")]
fn kubectl_reads_the_cross_namespace_gateway_as_svcx_does() {
    const GATEWAY: &[&str] = &[
        "get",
        "gateways.gateway.networking.k8s.io",
        "shared-gateway",
        "-n",
        "infra",
    ];
    let cluster = Cluster::start(ApiServer::builder().yaml(CROSS_NAMESPACE).start());
    let run = kubectl(&cluster, &[GATEWAY, &["-o", "json"]].concat());
    assert_eq!(run.code, 0, "{run}");
    let gateway: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let trace = json_out(&cluster.svcx(&["trace", "web", "-n", "shop", "-o", "json"]));
    assert_eq!(
        gateway["status"]["addresses"][0]["value"],
        gateway_path(&trace)[0]["address"]
    );

    let cluster = Cluster::start(
        ApiServer::builder()
            .yaml(CROSS_NAMESPACE)
            .forbid_in("gateways", "infra")
            .start(),
    );
    let run = kubectl(&cluster, GATEWAY);
    assert_eq!(run.code, 1, "{run}");
    assert!(run.stderr.contains("(Forbidden)"), "{run}");
    // The same user lists the Gateways of `shop`: the refusal is `infra`'s.
    let run = kubectl(
        &cluster,
        &[&GATEWAY[..2], &["-n", "shop", "-o", "name"]].concat(),
    );
    assert_eq!(run.code, 0, "{run}");
}

/// A ListenerSet in `shop` adds a listener to the Gateway in `infra`: svcx
/// reads that Gateway by name (first round), then the labels of `shop` that
/// the Gateway's allowedListeners selector asks about (second round), and
/// the route reaches `web` through the ListenerSet's listener at the
/// Gateway's address.
#[test]
fn a_listener_set_leads_to_its_gateway_then_to_the_labels_it_selects_on() {
    let fixture = include_str!("fixtures/live/listener_set_in_app_namespace.yaml");
    let cluster = Cluster::start(ApiServer::builder().yaml(fixture).start());
    let explain = json_out(&cluster.svcx(&["explain", "-n", "shop", "-o", "json"]));
    assert_eq!(explain["notices"], json!([]));
    let route = &service(&explain, "shop", "web")["routes"][0];
    assert_eq!(route["reaches"], true, "{route:#}");
    let parent = &route["parents"][0];
    assert_eq!(parent["kind"], "ListenerSet");
    assert_eq!(parent["gateway"], "shop/shop-listeners");
    assert_eq!(parent["addresses"], json!(["192.0.2.10"]));
    assert_eq!(parent["listeners"][0]["name"], "shop");
    assert_eq!(parent["listeners"][0]["port"], 8080);
    assert_eq!(parent["findings"], json!([]));
    let requests = cluster.server.requests();
    assert!(requests.iter().all(|r| r.method == "GET"), "{requests:#?}");
    let outside: Vec<&str> = requests
        .iter()
        .map(|r| r.path.as_str())
        .filter(|p| p.contains("/namespaces") && !p.contains("/namespaces/shop/"))
        .collect();
    assert_eq!(
        outside,
        [
            "/apis/gateway.networking.k8s.io/v1/namespaces/infra/gateways/shared-gateway",
            "/api/v1/namespaces/shop",
            // The Gateway's proxies: its namespace's policies, and its pods
            // narrowed to its label.
            "/apis/networking.k8s.io/v1/namespaces/infra/networkpolicies",
            "/api/v1/namespaces/infra/pods",
        ]
    );
}

/// The backend's namespace answered: without a ReferenceGrant there, the
/// backendRef into `catalog` is known to be refused (an error, where a run
/// that did not read `catalog` could only warn); without the Service, it is
/// known not to exist. With the grants forbidden, the refusal is only a
/// warning, and a notice names the list that was refused.
#[test]
fn the_backend_namespace_answers_for_its_grants_and_its_service() {
    let severity_of = |fixture: &str, forbid: Option<&str>, code: &str| {
        let mut builder = ApiServer::builder().yaml(fixture);
        if let Some(plural) = forbid {
            builder = builder.forbid_in(plural, "catalog");
        }
        let cluster = Cluster::start(builder.start());
        // lint exits 1 when it finds an error.
        let run = cluster.svcx(&["lint", "-n", "shop", "-o", "json"]);
        assert!(run.code == 0 || run.code == 1, "{run}");
        let lint: Value = serde_json::from_str(&run.stdout).expect("JSON");
        let found: Vec<&Value> = lint["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["code"] == code)
            .collect();
        assert_eq!(found.len(), 1, "{lint:#}");
        assert_eq!(found[0]["object"]["name"], "web", "{lint:#}");
        (found[0]["severity"].clone(), lint["notices"].clone())
    };
    let grant = CROSS_NAMESPACE
        .split("\n---\n")
        .find(|doc| doc.contains("kind: ReferenceGrant"))
        .expect("the fixture's ReferenceGrant");
    let ungranted = CROSS_NAMESPACE.replace(grant, "");
    let (severity, notices) = severity_of(&ungranted, None, "SVC508");
    assert_eq!(severity, "error");
    assert_eq!(notices, json!([]));

    let (severity, notices) = severity_of(CROSS_NAMESPACE, Some("referencegrants"), "SVC508");
    assert_eq!(severity, "warning");
    assert_eq!(
        notices[0]["hint"],
        "check with `kubectl auth can-i list referencegrants.gateway.networking.k8s.io -n catalog`"
    );

    let service = CROSS_NAMESPACE
        .split("\n---\n")
        .find(|doc| doc.contains("name: catalog\n  namespace: catalog\nspec:"))
        .expect("the fixture's catalog Service");
    let (severity, notices) = severity_of(&CROSS_NAMESPACE.replace(service, ""), None, "SVC506");
    assert_eq!(severity, "error");
    assert_eq!(notices, json!([]));
}
