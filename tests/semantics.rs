//! The Kubernetes semantics svcx must get right, one named test each, on
//! small fixtures written the way the control plane writes objects
//! (tests/fixtures/semantics/). Where a cluster could hold the same objects,
//! each test runs twice, offline (`-f`) and live through the test API server
//! (HTTPS, token), and the two must give the same verdicts and findings hop
//! by hop. Assertions are on verdicts, finding codes and fields, never on
//! sentences. Each test names the source it follows.

mod common;
mod support;

use common::{root, svcx};
use serde_json::Value;
use std::path::PathBuf;
use support::ApiServer;

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/semantics").join(name)
}

/// `svcx ARGS -f nodes.yaml -f FILE...` as JSON.
fn offline(files: &[&str], args: &[&str]) -> Value {
    let paths: Vec<String> = std::iter::once("nodes.yaml")
        .chain(files.iter().copied())
        .map(|f| fixture(f).display().to_string())
        .collect();
    let mut full: Vec<&str> = args.to_vec();
    for p in &paths {
        full.extend(["-f", p.as_str()]);
    }
    json(svcx(&full))
}

/// The same objects served live by the test API server.
fn live(files: &[&str], args: &[&str]) -> Value {
    let yaml: Vec<String> = std::iter::once("nodes.yaml")
        .chain(files.iter().copied())
        .map(|f| std::fs::read_to_string(fixture(f)).expect("fixture"))
        .collect();
    let server = ApiServer::builder().yaml(&yaml.join("\n---\n")).start();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let kubeconfig = server.kubeconfig().write(dir.path());
    let mut full = vec![
        "--kubeconfig",
        kubeconfig.to_str().expect("UTF-8 path"),
        "-A",
    ];
    full.extend_from_slice(args);
    let report = json(svcx(&full));
    assert!(
        server.requests().iter().all(|r| r.method == "GET"),
        "svcx only reads"
    );
    report
}

fn json(run: common::Run) -> Value {
    assert!(run.code == 0 || run.code == 1, "{run}");
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON ({e}):\n{run}"))
}

/// `svcx trace -o json TARGET`, offline and live, which must agree.
fn trace(files: &[&str], target: &str) -> Value {
    let args = ["trace", "-o", "json", target];
    let off = offline(files, &args);
    let on = live(files, &args);
    assert_eq!(
        verdicts(&off),
        verdicts(&on),
        "offline and live disagree on {target}"
    );
    off
}

/// `svcx trace` offline only (what a cluster cannot hold: no slices, templates).
fn trace_offline(files: &[&str], target: &str) -> Value {
    offline(files, &["trace", "-o", "json", target])
}

/// `svcx explain -o json NS/NAME` offline and live; findings must agree.
fn explain(files: &[&str], service: &str) -> Value {
    let args = ["explain", "-o", "json", service];
    let off = offline(files, &args);
    let on = live(files, &args);
    assert_eq!(codes_of(&off["services"][0]), codes_of(&on["services"][0]));
    off["services"][0].clone()
}

/// Every hop as (kind, name or address, verdict, finding codes).
fn verdicts(report: &Value) -> Vec<(String, String, String, Vec<String>)> {
    report["services"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["paths"].as_array().cloned().unwrap_or_default())
        .flat_map(|p| p["hops"].as_array().cloned().unwrap_or_default())
        .map(|h| {
            (
                h["kind"].as_str().unwrap_or_default().to_string(),
                h["name"]
                    .as_str()
                    .or(h["address"].as_str())
                    .unwrap_or_default()
                    .to_string(),
                h["verdict"].as_str().unwrap_or_default().to_string(),
                strings(&h["findings"]),
            )
        })
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// The finding codes of an explained Service, with their severities.
fn codes_of(svc: &Value) -> Vec<(String, String)> {
    svc["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_string(),
                f["severity"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn hops(report: &Value) -> Vec<Value> {
    report["services"][0]["paths"][0]["hops"]
        .as_array()
        .cloned()
        .expect("hops")
}

fn hop(report: &Value, kind: &str, name: &str) -> Value {
    hops(report)
        .into_iter()
        .find(|h| {
            h["kind"] == kind && (h["name"] == name || h["address"] == name || name.is_empty())
        })
        .unwrap_or_else(|| panic!("{kind} hop {name} in {report:#}"))
}

fn codes(h: &Value) -> Vec<String> {
    strings(&h["findings"])
}

// ------------------------------------------------------------- locality

/// Locality is `endpoint.nodeName == node name` (kube-proxy,
/// pkg/proxy/endpointslicecache.go: IsLocal). An endpoint with no nodeName is
/// local to no node and must not blur which nodes have one.
#[test]
fn locality_is_the_endpoints_node_name() {
    let r = trace(&["locality.yaml"], "loc/web");
    assert_eq!(hop(&r, "node", "node-a")["verdict"], "ok");
    for n in ["node-b", "node-c"] {
        let h = hop(&r, "node", n);
        assert_eq!(h["verdict"], "warn", "{h}");
        assert_eq!(codes(&h), ["SVC109"]);
        assert_eq!(h["next"], serde_json::json!([]), "it drops traffic");
    }
    let lb = hop(&r, "load-balancer", "203.0.113.101");
    assert_eq!(lb["verdict"], "ok");
    assert_eq!(
        lb["next"],
        serde_json::json!(["node:node-a"]),
        "only the healthy node"
    );
    let svc = explain(&["locality.yaml"], "loc/web");
    assert_eq!(
        codes_of(&svc),
        [("SVC109".to_string(), "warning".to_string())]
    );
}

/// Every ready endpoint unplaced: no node passes the health check, so the
/// load balancer has no healthy backend (KEP-1669 health check semantics).
#[test]
fn unplaced_endpoints_leave_the_load_balancer_without_a_healthy_node() {
    let r = trace(&["locality.yaml"], "loc/unplaced");
    let lb = hop(&r, "load-balancer", "203.0.113.102");
    assert_eq!(lb["verdict"], "broken");
    assert_eq!(codes(&lb), ["SVC108"]);
    for n in ["node-a", "node-b", "node-c"] {
        assert_eq!(hop(&r, "node", n)["verdict"], "broken");
    }
    assert_eq!(r["verdict"], "broken");
    let svc = explain(&["locality.yaml"], "loc/unplaced");
    assert!(codes_of(&svc).contains(&("SVC108".to_string(), "error".to_string())));
}

// ----------------------------------------------------------- terminating

/// KEP-1669: with no ready endpoint, serving-and-terminating ones get the
/// traffic; terminating ones that no longer serve get none, and no advice
/// about readiness probes.
#[test]
fn terminating_endpoints_serve_only_when_none_is_ready() {
    let r = trace(&["terminating.yaml"], "term/drain");
    let eps = hop(&r, "endpoints", "");
    assert_eq!(eps["verdict"], "warn");
    assert_eq!(codes(&eps), ["SVC106"]);
    assert_eq!(eps["endpoints"]["serving_terminating"], 1);
    assert_eq!(eps["endpoints"]["terminating"], 1);
    let gone = hop(&r, "endpoint", "drain-2");
    assert!(
        gone["hint"].is_null(),
        "no readiness hint for a pod that is going away: {gone}"
    );
}

/// KEP-1669 per node under externalTrafficPolicy Local: a node whose only
/// local endpoint is terminating fails the health check (so the load
/// balancer skips it), yet traffic sent to it reaches that endpoint.
#[test]
fn terminating_endpoints_per_node_under_local() {
    let r = trace(&["terminating.yaml"], "term/rollout");
    let a = hop(&r, "node", "node-a");
    assert_eq!(a["verdict"], "warn");
    let old = hop(&r, "endpoint", "rollout-old");
    assert_eq!(
        a["next"],
        serde_json::json!([old["id"]]),
        "to its terminating endpoint"
    );
    assert_eq!(hop(&r, "node", "node-b")["verdict"], "ok");
    let lb = hop(&r, "load-balancer", "203.0.113.111");
    assert_eq!(lb["next"], serde_json::json!(["node:node-b"]));
}

/// A terminating endpoint that no longer serves, beside a ready one: the
/// ready one takes the traffic; the port warns.
#[test]
fn terminating_not_serving_gets_no_traffic() {
    let r = trace(&["terminating.yaml"], "term/gone");
    let eps = hop(&r, "endpoints", "");
    assert_eq!(eps["verdict"], "warn");
    assert_eq!(codes(&eps), ["SVC105"]);
    let h = hop(&r, "endpoint", "gone-2");
    assert!(h["hint"].is_null(), "{h}");
}

// ------------------------------------------------- publishNotReadyAddresses

/// publishNotReadyAddresses on a ClusterIP Service: the controller writes
/// `ready: true`, so kube-proxy sends traffic to the not-ready pod; svcx shows
/// it as not ready (from `serving`), not as healthy.
#[test]
fn publish_not_ready_addresses_sends_traffic_to_not_ready_pods() {
    let r = trace(&["publish.yaml"], "pub/api");
    let eps = hop(&r, "endpoints", "");
    assert_eq!(eps["endpoints"]["ready"], 1);
    assert_eq!(eps["endpoints"]["published"], 1);
    assert_eq!(codes(&eps), ["SVC105"]);
    let p = hop(&r, "endpoint", "api-2");
    assert_eq!(p["verdict"], "warn");
    let svc = explain(&["publish.yaml"], "pub/api");
    assert_eq!(svc["endpoint_summary"]["published"], 1);
    assert_eq!(svc["findings"][0]["field"], "spec.publishNotReadyAddresses");
    let api2 = svc["backends"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["pod"] == "api-2")
        .cloned()
        .unwrap();
    assert_eq!(api2["state"], "published");
    assert_eq!(api2["conditions"]["serving"], false);
}

/// The slices the demo's publishNotReadyAddresses Service holds are what the
/// controller writes for its pods (the demo test checks every Service).
#[test]
fn publish_fixture_is_what_the_controller_writes() {
    let paths = [fixture("nodes.yaml"), fixture("publish.yaml")];
    let snap =
        svcx::source::files::load(&paths, svcx::model::Scope::AllNamespaces, None).expect("loads");
    let svc = &snap.services[0];
    let mut want: Vec<_> = snap
        .endpoints_from_pods(svc)
        .into_iter()
        .map(|b| (b.pod, b.conditions))
        .collect();
    let mut got: Vec<_> = snap
        .backends(svc)
        .items
        .into_iter()
        .map(|b| (b.pod, b.conditions))
        .collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
}

// ------------------------------------------------------------ slice ports

/// EndpointSlice ports match Service ports by name: a slice port `web` is
/// no endpoint of Service port `http` (kube-proxy's ServicePortName key).
#[test]
fn slice_ports_match_service_ports_by_name() {
    let r = trace(&["slices.yaml"], "sl/renamed");
    let eps = hop(&r, "endpoints", "");
    assert_eq!(eps["verdict"], "broken");
    assert_eq!(codes(&eps), ["SVC204"]);
    let svc = explain(&["slices.yaml"], "sl/renamed");
    assert_eq!(svc["findings"][0]["field"], "spec.ports[0].name");
}

/// The same IP:port in two slices is one endpoint.
#[test]
fn the_same_address_in_two_slices_is_one_endpoint() {
    let r = trace(&["slices.yaml"], "sl/twice");
    assert_eq!(hop(&r, "endpoints", "")["endpoints"]["total"], 1);
}

/// A named targetPort that does not resolve on one pod: that pod is in a
/// slice without the port, so it is no endpoint of it; the others serve
/// (warn), as getEndpointPorts writes it.
#[test]
fn a_pod_without_the_named_port_is_no_endpoint_of_it() {
    let r = trace(&["slices.yaml"], "sl/split");
    let eps = hop(&r, "endpoints", "");
    assert_eq!(eps["verdict"], "warn");
    assert_eq!(eps["endpoints"]["total"], 1);
    assert_eq!(eps["endpoints"]["unresolved"], 1);
    assert_eq!(codes(&eps), ["SVC201"]);
    assert_eq!(r["verdict"], "warn");
}

/// Unset `serving` means true (EndpointConditions API reference), so a
/// terminating endpoint that says nothing else still serves.
#[test]
fn unset_serving_means_serving() {
    let r = trace(&["slices.yaml"], "sl/defaults");
    let eps = hop(&r, "endpoints", "");
    assert_eq!(eps["endpoints"]["serving_terminating"], 1);
    assert_eq!(codes(&eps), ["SVC106"]);
}

// ------------------------------------------------------------- offline

/// Offline, pods stand for slices as the controller would write them:
/// terminal and IP-less pods are never endpoints (ShouldPodBeInEndpoints).
#[test]
fn offline_pods_in_a_terminal_phase_or_without_ip_are_no_endpoints() {
    let r = trace_offline(&["offline.yaml"], "offline/jobs");
    let eps = hop(&r, "endpoints", "");
    assert_eq!(eps["endpoints"]["total"], 1);
    assert_eq!(eps["endpoints"]["ready"], 1);
    assert_eq!(eps["verdict"], "ok");
}

/// A pod without a Ready condition is not ready (IsPodReady); targetPort 0
/// means `port`.
#[test]
fn offline_a_pod_without_ready_condition_is_not_ready() {
    let r = trace_offline(&["offline.yaml"], "offline/quiet");
    let eps = hop(&r, "endpoints", "");
    assert_eq!(eps["verdict"], "broken");
    assert_eq!(codes(&eps), ["SVC104"]);
    assert_eq!(
        hop(&r, "endpoint", "quiet-1")["port"],
        80,
        "targetPort 0 is port"
    );
}

/// Whether slices or templates stand for the endpoints is decided per
/// Service, not by whether the input holds any slice at all.
#[test]
fn slices_or_templates_are_decided_per_service() {
    let r = offline(
        &["offline.yaml"],
        &[
            "explain",
            "-o",
            "json",
            "offline/sliced",
            "offline/templated",
        ],
    );
    let services = r["services"].as_array().unwrap();
    assert_eq!(services[0]["backends"]["source"], "endpoint-slices");
    assert_eq!(services[1]["backends"]["source"], "pod-templates");
    assert_eq!(services[1]["ports"][0]["endpoints"]["unknown"], 1);
    assert_eq!(services[1]["endpoint_summary"]["workloads"], 1);
    assert_eq!(services[1]["endpoint_summary"]["pods"], 0);
}

/// A Deployment with `replicas: 0` backs nothing.
#[test]
fn a_workload_scaled_to_zero_backs_nothing() {
    let r = trace_offline(&["offline.yaml"], "offline/scaled");
    let eps = hop(&r, "endpoints", "");
    assert_eq!(eps["verdict"], "broken");
    assert_eq!(codes(&eps), ["SVC103"]);
}

// -------------------------------------------------------------- node ports

/// allocateLoadBalancerNodePorts: false with an explicit nodePort still opens
/// it on every node: explain shows the layer, trace shows the node hops, and
/// a trace by node:nodePort starts at the node.
#[test]
fn an_explicit_node_port_opens_without_allocation() {
    let svc = explain(&["nodeports.yaml"], "np/explicit");
    let layers: Vec<&str> = svc["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["layer"].as_str().unwrap())
        .collect();
    assert_eq!(layers, ["load-balancer", "node-port", "cluster-ip"]);
    assert_eq!(svc["ports"][0]["node_port"], 30610);
    assert!(svc["ports"][1]["node_port"].is_null());
    let r = trace(&["nodeports.yaml"], "np/explicit");
    let paths = r["services"][0]["paths"].as_array().unwrap();
    let kinds = |p: &Value| -> Vec<String> {
        p["hops"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["kind"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(
        kinds(&paths[0]).contains(&"node".to_string()),
        "http has a node port"
    );
    assert!(
        !kinds(&paths[1]).contains(&"node".to_string()),
        "admin has none"
    );
    let by_node = trace(&["nodeports.yaml"], "10.0.0.12:30610");
    assert_eq!(by_node["target"]["matched"], "node-port");
    let first = &hops(&by_node)[0];
    assert_eq!(first["kind"], "node");
    assert_eq!(
        first["address"], "10.0.0.12",
        "the trace starts at the address typed"
    );
}

/// A trace by a node's ExternalIP starts at that address, not at its
/// InternalIP; a node without an InternalIP is shown at its ExternalIP.
#[test]
fn a_trace_by_address_starts_at_that_address() {
    let r = trace(&["nodeports.yaml"], "198.51.100.11:30610");
    assert_eq!(hops(&r)[0]["address"], "198.51.100.11");
    let all = trace(&["nodeports.yaml"], "np/explicit");
    assert_eq!(
        hop(&all, "node", "node-a")["address"],
        "10.0.0.11",
        "InternalIP first"
    );
    assert_eq!(
        hop(&all, "node", "node-c")["address"],
        "198.51.100.13",
        "no InternalIP"
    );
}

/// Node ports of a single-stack IPv6 Service open on the nodes' IPv6
/// addresses only. Without a load balancer, nothing is said about one.
#[test]
fn single_stack_ipv6_node_ports_use_ipv6_node_addresses() {
    let svc = explain(&["nodeports.yaml"], "np/six");
    let np = svc["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["layer"] == "node-port")
        .cloned()
        .unwrap();
    assert_eq!(np["families"], serde_json::json!(["IPv6"]));
    let a = np["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "node-a")
        .cloned()
        .unwrap();
    assert_eq!(a["addresses"], serde_json::json!(["fd00::11"]));
    let text = np["explanation"].to_string();
    assert!(
        !text.contains("load balancer"),
        "a NodePort Service has none: {text}"
    );
    let r = trace(&["nodeports.yaml"], "np/six");
    assert_eq!(hop(&r, "node", "node-a")["address"], "fd00::11");
    assert!(
        hop(&r, "node", "node-c")["address"].is_null(),
        "node-c has no IPv6 address"
    );
}

/// A trace by the IPv6 cluster IP of a dual-stack Service shows the IPv6
/// endpoints (kube-proxy programs each family from its own slices).
#[test]
fn a_trace_by_an_ipv6_cluster_ip_shows_ipv6_endpoints() {
    let r = trace(&["nodeports.yaml"], "[fd00:96::12]:80");
    assert_eq!(hop(&r, "cluster-ip", "")["address"], "fd00:96::12");
    assert_eq!(hop(&r, "endpoint", "dual-1")["address"], "fd00:244:2::62");
    let v4 = trace(&["nodeports.yaml"], "10.96.6.12:80");
    assert_eq!(hop(&v4, "endpoint", "dual-1")["address"], "10.244.2.62");
    assert_eq!(
        hop(&v4, "endpoints", "")["endpoints"]["total"],
        1,
        "one pod, two families"
    );
}

// ---------------------------------------------------------- load balancers

/// spec.loadBalancerIP is shown; when status lists another address the
/// request was not honoured, and a trace of the requested IP does not reach
/// the Service.
#[test]
fn a_requested_load_balancer_ip_that_was_not_honoured() {
    let svc = explain(&["lb.yaml"], "lb/asked");
    let lb = &svc["layers"][0];
    assert_eq!(lb["requested_ip"], "203.0.113.170");
    assert_eq!(lb["requested_ip_honoured"], false);
    let found: Vec<String> = codes_of(&svc).into_iter().map(|(c, _)| c).collect();
    assert!(
        found.contains(&"SVC113".to_string()) && found.contains(&"SVC307".to_string()),
        "{found:?}"
    );
    let r = trace(&["lb.yaml"], "203.0.113.170:80");
    let first = &hops(&r)[0];
    assert_eq!(first["kind"], "load-balancer");
    assert_eq!(first["verdict"], "broken");
    assert_eq!(codes(first), ["SVC113"]);
    assert_eq!(first["next"], serde_json::json!([]));
}

/// Two Services that report one IP share one load balancer: each names the
/// other, so a cost count can count it once.
#[test]
fn services_sharing_an_ip_share_one_load_balancer() {
    let tcp = explain(&["lb.yaml"], "lb/dns-tcp");
    assert_eq!(
        tcp["layers"][0]["shared_with"],
        serde_json::json!(["lb/dns-udp"])
    );
    let udp = explain(&["lb.yaml"], "lb/dns-udp");
    assert_eq!(
        udp["layers"][0]["shared_with"],
        serde_json::json!(["lb/dns-tcp"])
    );
}

/// externalIPs make a ClusterIP Service reachable from outside
/// (CVE-2020-8554; deprecated in 1.36): never called internal-only.
#[test]
fn external_ips_make_a_cluster_ip_service_reachable_from_outside() {
    let svc = explain(&["lb.yaml"], "lb/outside");
    let layers: Vec<&str> = svc["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["layer"].as_str().unwrap())
        .collect();
    assert_eq!(layers, ["external-ips", "cluster-ip"]);
    assert!(codes_of(&svc).contains(&("SVC304".to_string(), "warning".to_string())));
    assert!(
        !svc["summary"].as_str().unwrap().contains("only inside"),
        "{}",
        svc["summary"]
    );
}

/// An ExternalName that is an IPv6 address is not a DNS name: invalid.
#[test]
fn an_ipv6_external_name_is_invalid() {
    let svc = explain(&["lb.yaml"], "lb/v6name");
    assert_eq!(svc["layers"][0]["validity"], "invalid");
    assert_eq!(
        codes_of(&svc),
        [("SVC114".to_string(), "error".to_string())]
    );
}

// ------------------------------------------------ explain and trace agree

/// explain and trace read the same view: per Service the same layers, the
/// same node ports and the same endpoint counts per port.
fn assert_agree(explain: &Value, trace: &Value, what: &str) {
    let traced: std::collections::HashMap<(String, String), &Value> = trace["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                (
                    s["namespace"].as_str().unwrap().to_string(),
                    s["name"].as_str().unwrap().to_string(),
                ),
                s,
            )
        })
        .collect();
    let mut compared = 0;
    for e in explain["services"].as_array().unwrap() {
        let key = (
            e["namespace"].as_str().unwrap().to_string(),
            e["name"].as_str().unwrap().to_string(),
        );
        let t = traced
            .get(&key)
            .unwrap_or_else(|| panic!("{what}: {key:?} traced"));
        let id = format!("{what}: {}/{}", key.0, key.1);
        let layers: std::collections::BTreeSet<&str> = e["layers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| match l["layer"].as_str().unwrap() {
                "node-port" => "node",
                "external-ips" => "external-ip",
                "headless" => "dns",
                other => other,
            })
            .collect();
        let paths = t["paths"].as_array().unwrap();
        let kinds: std::collections::BTreeSet<&str> = paths
            .iter()
            .flat_map(|p| p["hops"].as_array().unwrap().iter())
            .map(|h| h["kind"].as_str().unwrap())
            .filter(|k| !["endpoints", "endpoint", "container"].contains(k))
            .collect();
        assert_eq!(layers, kinds, "{id}: layers");
        if e["type"] == "ExternalName" {
            compared += 1;
            continue;
        }
        let ports = e["ports"].as_array().unwrap();
        if ports.is_empty() {
            compared += 1;
            continue;
        }
        assert_eq!(ports.len(), paths.len(), "{id}: one path per port");
        for (p, path) in ports.iter().zip(paths) {
            assert_eq!(
                p["node_port"], path["port"]["node_port"],
                "{id}: node port of {}",
                p["port"]
            );
            let eps = path["hops"]
                .as_array()
                .unwrap()
                .iter()
                .find(|h| h["kind"] == "endpoints")
                .unwrap_or_else(|| panic!("{id}: an endpoints hop"));
            assert_eq!(
                p["endpoints"], eps["endpoints"],
                "{id}: endpoints of port {}",
                p["port"]
            );
        }
        compared += 1;
    }
    assert!(compared > 0, "{what}: nothing compared");
}

#[test]
fn explain_and_trace_agree_on_the_demo() {
    let e = json(svcx(&["explain", "--demo", "-o", "json"]));
    let t = json(svcx(&["trace", "--demo", "-o", "json"]));
    assert_agree(&e, &t, "demo");
}

#[test]
fn explain_and_trace_agree_on_the_semantics_fixtures() {
    for f in [
        "locality.yaml",
        "terminating.yaml",
        "publish.yaml",
        "slices.yaml",
        "offline.yaml",
        "nodeports.yaml",
        "lb.yaml",
    ] {
        let e = offline(&[f], &["explain", "-o", "json"]);
        let t = offline(&[f], &["trace", "-o", "json"]);
        assert_agree(&e, &t, f);
    }
}

#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus beside the repository"
)]
fn explain_and_trace_agree_on_the_corpus() {
    let mut files: Vec<PathBuf> = ["manifests", "live"]
        .iter()
        .flat_map(|d| {
            std::fs::read_dir(root().join("../shared/corpus").join(d))
                .expect("corpus")
                .map(|e| e.expect("entry").path())
        })
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let mut compared = 0;
    for f in files {
        let path = f.display().to_string();
        let e = svcx(&["explain", "-o", "json", "-f", &path]);
        let t = svcx(&["trace", "-o", "json", "-f", &path]);
        if e.code == 2 || t.code == 2 {
            // Not a manifest svcx reads (the reason is tested elsewhere).
            assert_eq!(e.code, t.code, "{path}: explain and trace fail alike");
            continue;
        }
        let (e, t) = (json(e), json(t));
        if e["services"].as_array().is_some_and(|s| s.is_empty()) {
            continue;
        }
        assert_agree(&e, &t, &path);
        compared += 1;
    }
    assert!(compared >= 20, "only {compared} corpus files compared");
}

// ---------------------------------------------------------------- misc

/// trafficDistribution: PreferClose is the deprecated alias of
/// PreferSameZone; PreferSameNode prefers the client's node (KEP-4444,
/// KEP-3015; GA in 1.35).
#[test]
fn traffic_distribution_prefers_the_zone_or_the_node() {
    let zone = explain(&["misc.yaml"], "misc/zone");
    let ip = |s: &Value| {
        s["layers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["layer"] == "cluster-ip")
            .cloned()
            .unwrap()
    };
    assert_eq!(ip(&zone)["traffic_distribution"], "PreferClose");
    assert_eq!(ip(&zone)["traffic_distribution_prefers"], "same-zone");
    let node = explain(&["misc.yaml"], "misc/node");
    assert_eq!(ip(&node)["traffic_distribution_prefers"], "same-node");
}

/// A hostNetwork pod's endpoint IP is its node's IP.
#[test]
fn a_host_network_pod_is_reached_at_its_node_ip() {
    let svc = explain(&["misc.yaml"], "misc/zone");
    let b = &svc["backends"]["items"][0];
    assert_eq!(b["host_network"], true);
    assert_eq!(b["addresses"], serde_json::json!(["10.0.0.11"]));
    let r = trace(&["misc.yaml"], "misc/zone");
    assert_eq!(hop(&r, "endpoint", "agent-x1")["address"], "10.0.0.11");
}
