//! The Kubernetes semantics svcx must get right, one named test each, on
//! small fixtures written the way the control plane writes objects
//! (tests/fixtures/semantics/). Where a cluster could hold the same objects,
//! each test runs twice, offline (`-f`) and live through the test API server
//! (HTTPS, token), and the two must give the same verdicts and findings hop
//! by hop. Assertions are on verdicts, finding codes and fields, never on
//! sentences. Each test names the source it follows.

use crate::common;
use crate::support;

/// Network policy admission on the path (NetworkPolicy, ClusterNetworkPolicy).
mod policies;

/// Facts several analyses read, each decided once in the model.
mod facts;

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
    live_with(files, args, |b| b)
}

/// The same, with the server changed first (e.g. a resource forbidden).
fn live_with(
    files: &[&str],
    args: &[&str],
    server: impl FnOnce(support::ApiServerBuilder) -> support::ApiServerBuilder,
) -> Value {
    let mut full = vec!["-A"];
    full.extend_from_slice(args);
    served(files, &full, server)
}

/// The fixtures served live, and `svcx ARGS` run against them as given (a
/// namespace in `args` scopes the read; no `-A` added).
fn served(
    files: &[&str],
    args: &[&str],
    server: impl FnOnce(support::ApiServerBuilder) -> support::ApiServerBuilder,
) -> Value {
    let yaml: Vec<String> = std::iter::once("nodes.yaml")
        .chain(files.iter().copied())
        .map(|f| std::fs::read_to_string(fixture(f)).expect("fixture"))
        .collect();
    let server = server(ApiServer::builder().yaml(&yaml.join("\n---\n"))).start();
    let report = json(common::svcx_on(&server, args));
    common::assert_only_reads(&server);
    report
}

/// `svcx ARGS` offline and live, which must give the same `view` of the
/// report; the offline report.
fn offline_and_live<T: PartialEq + std::fmt::Debug>(
    files: &[&str],
    args: &[&str],
    view: impl Fn(&Value) -> T,
) -> Value {
    let off = offline(files, args);
    let on = live(files, args);
    assert_eq!(
        view(&off),
        view(&on),
        "offline and live: {files:?} {args:?}"
    );
    off
}

fn json(run: common::Run) -> Value {
    assert!(run.code == 0 || run.code == 1, "{run}");
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON ({e}):\n{run}"))
}

/// `svcx trace -o json TARGET`, offline and live, which must agree.
fn trace(files: &[&str], target: &str) -> Value {
    offline_and_live(files, &["trace", "-o", "json", target], verdicts)
}

/// `svcx trace` offline only (what a cluster cannot hold: no slices, templates).
fn trace_offline(files: &[&str], target: &str) -> Value {
    offline(files, &["trace", "-o", "json", target])
}

/// `svcx explain -o json NS/NAME` offline and live; findings must agree.
fn explain(files: &[&str], service: &str) -> Value {
    explain_report(files, service)["services"][0].clone()
}

/// The same, the whole report (its `nodes` beside the Service).
fn explain_report(files: &[&str], service: &str) -> Value {
    offline_and_live(files, &["explain", "-o", "json", service], |r| {
        codes_of(&r["services"][0])
    })
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
    facts::pairs(&svc["findings"], "code", "severity")
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
    let snap = svcx::files::load(&paths, svcx::Scope::AllNamespaces, None).expect("loads");
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
    let report = explain_report(&["nodeports.yaml"], "np/six");
    let svc = &report["services"][0];
    let np = svc["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["layer"] == "node-port")
        .cloned()
        .unwrap();
    assert_eq!(np["families"], serde_json::json!(["IPv6"]));
    // The node is named once with all its addresses; the layer's families
    // say which of them the node ports open on, and people see that one.
    let a = report["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "node-a")
        .cloned()
        .unwrap();
    assert!(
        a["addresses"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("fd00::11")),
        "{a}"
    );
    let paths = [fixture("nodes.yaml"), fixture("nodeports.yaml")].map(|p| p.display().to_string());
    let human = svcx(&["explain", "np/six", "-f", &paths[0], "-f", &paths[1]]).stdout;
    let row = human
        .lines()
        .find(|l| l.trim_start().starts_with("NodePort"))
        .unwrap_or_else(|| panic!("a NodePort row in {human}"));
    assert!(row.contains("fd00::11"), "{row}");
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

/// Hops that are the ways in routes give (Gateways, Ingress controllers and
/// the controller's own load balancer), not layers of the Service itself.
fn in_front(h: &Value) -> bool {
    [
        "gateway",
        "listener",
        "ingress-controller",
        "route",
        "backend-ref",
    ]
    .contains(&h["kind"].as_str().unwrap_or_default())
        || h["id"].as_str().is_some_and(|id| id.starts_with("ilb"))
}

/// explain and trace read the same view: per Service the same layers, the
/// same node ports, the same endpoint counts per port, and the same routes
/// that get through to it.
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
            .filter(|h| !in_front(h))
            .map(|h| h["kind"].as_str().unwrap())
            .filter(|k| !["endpoints", "endpoint", "container"].contains(k))
            .collect();
        assert_eq!(layers, kinds, "{id}: layers");
        // Every route rule that gets past its Gateway or Ingress controller
        // is a route hop, and no other.
        let admitted: std::collections::BTreeSet<String> = e["routes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                let parents = r["parents"].as_array().cloned().unwrap_or_default();
                !r["ingress"].is_null()
                    || parents
                        .iter()
                        .any(|p| p["listeners"].as_array().is_some_and(|l| !l.is_empty()))
                    || parents.iter().all(|p| p["kind"] != "Gateway")
            })
            .map(|r| {
                let rule = match r["rule"].as_u64() {
                    Some(i) => format!(" rule {i}"),
                    None => " default backend".to_string(),
                };
                format!(
                    "{} {}/{}{rule}",
                    r["kind"].as_str().unwrap(),
                    r["namespace"].as_str().unwrap(),
                    r["name"].as_str().unwrap()
                )
            })
            .collect();
        let hops_named: std::collections::BTreeSet<String> = paths
            .iter()
            .flat_map(|p| p["hops"].as_array().unwrap().iter())
            .filter(|h| h["kind"] == "route")
            .map(|h| {
                let name = h["name"].as_str().unwrap();
                match name.rsplit_once(" (") {
                    Some((head, _)) if name.ends_with(')') => head.to_string(),
                    _ => name.to_string(),
                }
            })
            .collect();
        if e["type"] != "ExternalName" {
            assert_eq!(admitted, hops_named, "{id}: routes");
        }
        if e["type"] == "ExternalName" {
            compared += 1;
            continue;
        }
        facts::agree_on_facts(explain, e, t, &id);
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
    facts::agree_on_load_balancers(explain, trace, what);
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
        "facts.yaml",
        "lb-groups.yaml",
        "lb-facts.yaml",
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
    // Files on threads of their own: two runs of svcx each.
    let compared = common::parallel(files, |f| {
        let path = f.display().to_string();
        let e = svcx(&["explain", "-o", "json", "-f", &path]);
        let t = svcx(&["trace", "-o", "json", "-f", &path]);
        if e.code == 2 || t.code == 2 {
            // Not a manifest svcx reads (the reason is tested elsewhere).
            assert_eq!(e.code, t.code, "{path}: explain and trace fail alike");
            return false;
        }
        let (e, t) = (json(e), json(t));
        if e["services"].as_array().is_some_and(|s| s.is_empty()) {
            return false;
        }
        assert_agree(&e, &t, &path);
        true
    })
    .into_iter()
    .filter(|&compared| compared)
    .count();
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

// ------------------------------------------------------ routes: Gateway API
//
// Attachment as the Gateway API specifies it, one rule per test, on
// routes.yaml: Gateway infra/shared has one listener per rule; the routes try
// to attach. Sources are the spec's own text as the gateway-api crate (0.22)
// carries it in its doc comments, and kubernetes-sigs/gateway-api
// apis/v1/shared_types.go for status reasons. Offline and live give the same
// codes; where an object is missing, offline says "not in the input" (a
// warning: it may exist elsewhere) and live says it does not exist (an error).

/// Each route entry of an explained Service: (route and rule, reaches,
/// findings as (code, severity, field)).
type Reading = (String, bool, Vec<(String, String, String)>);

fn route_readings(svc: &Value) -> Vec<Reading> {
    svc["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .map(|r| {
            let findings = r["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .chain(
                    r["parents"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .flat_map(|p| p["findings"].as_array().into_iter().flatten()),
                )
                .chain(r["ingress"]["findings"].as_array().into_iter().flatten())
                .map(|f| {
                    (
                        f["code"].as_str().unwrap_or_default().to_string(),
                        f["severity"].as_str().unwrap_or_default().to_string(),
                        f["field"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect();
            (
                format!(
                    "{} {}/{} {}",
                    r["kind"].as_str().unwrap(),
                    r["namespace"].as_str().unwrap(),
                    r["name"].as_str().unwrap(),
                    r["field"].as_str().unwrap()
                ),
                r["reaches"].as_bool().unwrap(),
                findings,
            )
        })
        .collect()
}

/// `svcx explain -o json NS/NAME` offline and live: the Service's routes
/// must read alike, severities included.
fn routes_of(files: &[&str], service: &str) -> Value {
    let (off, on) = routes_both(files, service);
    assert_eq!(route_readings(&off), route_readings(&on), "{service}");
    off
}

/// The same, offline and live apart, for cases where the two may differ in
/// severity only (a missing object: not in the input, or does not exist).
fn routes_both(files: &[&str], service: &str) -> (Value, Value) {
    let args = ["explain", "-o", "json", service];
    let off = offline(files, &args)["services"][0].clone();
    let on = live(files, &args)["services"][0].clone();
    let codes = |v: &Value| -> Vec<(String, Vec<String>)> {
        route_readings(v)
            .into_iter()
            .map(|(r, _, f)| {
                (
                    r,
                    f.into_iter()
                        .map(|(c, _, field)| format!("{c} {field}"))
                        .collect(),
                )
            })
            .collect()
    };
    assert_eq!(codes(&off), codes(&on), "{service}: offline and live codes");
    (off, on)
}

/// The entry of route `label` (`HTTPRoute apps/all-ok`).
fn entry<'a>(svc: &'a Value, label: &str) -> &'a Value {
    svc["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            format!(
                "{} {}/{}",
                r["kind"].as_str().unwrap(),
                r["namespace"].as_str().unwrap(),
                r["name"].as_str().unwrap()
            ) == label
        })
        .unwrap_or_else(|| panic!("{label} in {svc:#}"))
}

/// Codes, severities and fields of a route entry.
fn entry_findings(svc: &Value, label: &str) -> Vec<(String, String, String)> {
    let all = route_readings(svc);
    let e = entry(svc, label);
    let key = format!("{label} {}", e["field"].as_str().unwrap());
    all.into_iter()
        .find(|(r, _, _)| *r == key)
        .map(|(_, _, f)| f)
        .unwrap()
}

fn finding(code: &str, severity: &str, field: &str) -> (String, String, String) {
    (code.to_string(), severity.to_string(), field.to_string())
}

/// The listeners that admit a route entry, by name.
fn listeners(e: &Value) -> Vec<String> {
    e["parents"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["listeners"].as_array().cloned().unwrap_or_default())
        .map(|l| l["name"].as_str().unwrap().to_string())
        .collect()
}

/// allowedRoutes.namespaces defaults to `from: Same` (gateways.rs:
/// "restricted to the namespace of this Gateway by default"): a route in
/// another namespace is not admitted; one in the Gateway's is. The route's
/// controller says Accepted, so svcx reports the disagreement (SVC511).
#[test]
fn allowed_routes_default_to_the_gateways_own_namespace() {
    let web = routes_of(&["routes.yaml"], "apps/web");
    let e = entry(&web, "HTTPRoute apps/default-same");
    assert_eq!(e["reaches"], false);
    assert_eq!(
        entry_findings(&web, "HTTPRoute apps/default-same"),
        [
            finding("SVC503", "error", "spec.parentRefs[0]"),
            finding("SVC511", "warning", "status.parents[0].conditions"),
        ]
    );
    assert_eq!(e["parents"][0]["status"]["accepted"]["status"], "True");
    assert_eq!(e["parents"][0]["status"]["agrees"], false);
    let page = routes_of(&["routes.yaml"], "infra/status-page");
    let e = entry(&page, "HTTPRoute infra/same-ok");
    assert_eq!(e["reaches"], true);
    assert_eq!(listeners(e), ["same"]);
}

/// `from: All` admits routes from every namespace.
#[test]
fn from_all_admits_every_namespace() {
    let web = routes_of(&["routes.yaml"], "apps/web");
    let e = entry(&web, "HTTPRoute apps/all-ok");
    assert_eq!(e["reaches"], true);
    assert_eq!(listeners(e), ["all"]);
    assert!(entry_findings(&web, "HTTPRoute apps/all-ok").is_empty());
}

/// `from: Selector` admits routes from namespaces whose labels match.
#[test]
fn from_selector_admits_labelled_namespaces() {
    let web = routes_of(&["routes.yaml"], "apps/web");
    assert_eq!(entry(&web, "HTTPRoute apps/selector-ok")["reaches"], true);
    let legacy = routes_of(&["routes.yaml"], "other/legacy");
    assert_eq!(
        entry(&legacy, "HTTPRoute other/selector-refused")["reaches"],
        false
    );
    assert_eq!(
        entry_findings(&legacy, "HTTPRoute other/selector-refused"),
        [finding("SVC503", "error", "spec.parentRefs[0]")]
    );
}

/// Without the Namespace's labels (not in the input; live, `list
/// namespaces` forbidden) svcx cannot evaluate the selector: it says so as a
/// warning rather than guessing, and live leaves a notice.
#[test]
fn a_selector_over_unread_namespaces_is_a_warning() {
    let args = ["explain", "-o", "json", "shop/store"];
    let off = offline(&["routes-selector.yaml"], &args);
    let on = live_with(&["routes-selector.yaml"], &args, |b| b.forbid("namespaces"));
    for report in [&off, &on] {
        let svc = &report["services"][0];
        assert_eq!(entry(svc, "HTTPRoute shop/store")["reaches"], true);
        assert_eq!(
            entry_findings(svc, "HTTPRoute shop/store"),
            [finding("SVC503", "warning", "spec.parentRefs[0]")]
        );
    }
    assert!(
        on["notices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["message"]
                .as_str()
                .unwrap()
                .starts_with("namespaces: forbidden")),
        "{:#}",
        on["notices"]
    );
}

/// allowedRoutes.kinds restricts the kinds a listener admits.
#[test]
fn allowed_kinds_restrict_what_a_listener_admits() {
    let web = routes_of(&["routes.yaml"], "apps/web");
    assert_eq!(
        entry_findings(&web, "HTTPRoute apps/kinds-refused"),
        [finding("SVC504", "error", "spec.parentRefs[0]")]
    );
}

/// sectionName names one listener; a name the Gateway does not have is
/// NoMatchingParent.
#[test]
fn section_name_picks_one_listener() {
    let web = routes_of(&["routes.yaml"], "apps/web");
    assert_eq!(listeners(entry(&web, "HTTPRoute apps/all-ok")), ["all"]);
    assert_eq!(
        entry_findings(&web, "HTTPRoute apps/section-missing"),
        [finding("SVC502", "error", "spec.parentRefs[0].sectionName")]
    );
}

/// parentRef `port` selects every listener on that port that admits the
/// route; a port no listener has is NoMatchingParent.
#[test]
fn port_picks_the_listeners_on_it() {
    let web = routes_of(&["routes.yaml"], "apps/web");
    assert_eq!(listeners(entry(&web, "HTTPRoute apps/port-ok")), ["all"]);
    assert_eq!(
        entry_findings(&web, "HTTPRoute apps/port-missing"),
        [finding("SVC502", "error", "spec.parentRefs[0].port")]
    );
}

/// Hostnames intersect (httproutes.rs `hostnames`): `*.example.com` matches
/// one or more labels but not `example.com`; a wildcard route on an exact
/// listener serves the listener's name; names outside the listener's are
/// ignored.
#[test]
fn hostnames_intersect_with_wildcards() {
    let web = routes_of(&["routes.yaml"], "apps/web");
    let hosts = |label: &str| entry(&web, label)["hostnames"].clone();
    assert_eq!(
        hosts("HTTPRoute apps/wildcard-ok"),
        serde_json::json!(["shop.example.com"])
    );
    assert_eq!(
        hosts("HTTPRoute apps/wildcard-deep"),
        serde_json::json!(["a.b.example.com"])
    );
    assert_eq!(
        hosts("HTTPRoute apps/exact-by-wildcard"),
        serde_json::json!(["api.example.com"])
    );
    assert_eq!(
        entry_findings(&web, "HTTPRoute apps/wildcard-refused"),
        [finding("SVC505", "error", "spec.hostnames")]
    );
}

/// A backendRef to another namespace needs a ReferenceGrant there whose
/// `from` names the route's kind and namespace (referencegrants.rs): present,
/// it resolves; absent, or granted to another kind, it does not
/// (RefNotPermitted).
#[test]
fn reference_grants_allow_cross_namespace_backends() {
    let (off, on) = routes_both(&["routes.yaml"], "data/api");
    for svc in [&off, &on] {
        assert_eq!(entry(svc, "HTTPRoute apps/grant-ok")["reaches"], true);
        assert!(entry_findings(svc, "HTTPRoute apps/grant-ok").is_empty());
    }
    let field = "spec.rules[0].backendRefs[0].namespace";
    for label in [
        "HTTPRoute team/grant-missing",
        "GRPCRoute apps/grant-other-kind",
    ] {
        assert_eq!(
            entry_findings(&on, label),
            [finding("SVC508", "error", field)],
            "{label}"
        );
        assert_eq!(entry(&on, label)["reaches"], false, "{label}");
        // Offline, a ReferenceGrant may exist outside the input.
        assert_eq!(
            entry_findings(&off, label),
            [finding("SVC508", "warning", field)],
            "{label}"
        );
    }
}

/// A backendRef to a Service that does not exist (BackendNotFound) is a
/// finding on the route; with no Service to list it under, `explain
/// --gateway` shows it.
#[test]
fn a_missing_backend_service_is_a_finding_on_the_route() {
    let args = ["explain", "-o", "json", "--gateway", "infra/shared"];
    for (report, severity) in [
        (offline(&["routes.yaml"], &args), "warning"),
        (live(&["routes.yaml"], &args), "error"),
    ] {
        let route = report["gateways"][0]["routes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "missing-service")
            .cloned()
            .expect("the route");
        let f = &route["rules"][0]["backends"][0]["findings"][0];
        assert_eq!(f["code"], "SVC506");
        assert_eq!(f["severity"], severity);
        assert_eq!(f["field"], "spec.rules[0].backendRefs[0].name");
    }
}

/// A backendRef names a Service port, and must name one (CEL: "Must have
/// port for Service reference"); 81 is not web's port, and the second has none.
#[test]
fn a_missing_backend_port_is_a_finding() {
    let web = routes_of(&["routes.yaml"], "apps/web");
    let entries: Vec<&Value> = web["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["name"] == "missing-port")
        .collect();
    assert_eq!(entries.len(), 2);
    for (e, field) in entries.iter().zip([
        "spec.rules[0].backendRefs[0].port",
        "spec.rules[0].backendRefs[1].port",
    ]) {
        assert_eq!(e["reaches"], false);
        assert_eq!(e["findings"][0]["code"], "SVC507");
        assert_eq!(e["findings"][0]["field"], field);
    }
    assert_eq!(
        entries[0]["weight"],
        serde_json::json!({"weight": 3, "total": 4})
    );
}

/// HTTP listeners carry GRPCRoute by default (kinds by protocol: HTTP and
/// HTTPS → HTTPRoute, GRPCRoute).
#[test]
fn a_grpc_route_attaches_to_an_http_listener() {
    let grpc = routes_of(&["routes.yaml"], "apps/grpc");
    let e = entry(&grpc, "GRPCRoute apps/grpc-on-http");
    assert_eq!(e["reaches"], true);
    assert_eq!(listeners(e), ["all"]);
    assert_eq!(
        e["matches"],
        serde_json::json!(["method apps.v1.Catalog/*"])
    );
}

/// TCP listeners carry TCPRoute, and HTTP listeners do not.
#[test]
fn a_tcp_route_attaches_to_a_tcp_listener_only() {
    let db = routes_of(&["routes.yaml"], "apps/db");
    assert_eq!(listeners(entry(&db, "TCPRoute apps/tcp-ok")), ["tcp"]);
    assert_eq!(
        entry_findings(&db, "TCPRoute apps/tcp-on-http"),
        [finding("SVC504", "error", "spec.parentRefs[0]")]
    );
}

/// A parentRef that names no Gateway attaches nowhere.
#[test]
fn a_missing_parent_gateway_is_a_finding() {
    let (off, on) = routes_both(&["routes.yaml"], "apps/lonely");
    let field = "spec.parentRefs[0].name";
    assert_eq!(
        entry_findings(&on, "HTTPRoute apps/parent-missing"),
        [finding("SVC501", "error", field)]
    );
    assert_eq!(
        entry_findings(&off, "HTTPRoute apps/parent-missing"),
        [finding("SVC501", "warning", field)]
    );
}

/// trace puts the Gateway in front of the Service, live and offline alike:
/// Gateway address → listener → route rule → backendRef → endpoints for each
/// admitted route, and a broken listener hop, with the finding's code, for
/// each route that is not admitted.
#[test]
fn trace_goes_through_the_gateway() {
    let r = trace(&["routes.yaml"], "apps/web");
    let gw = hop(&r, "gateway", "infra/shared");
    assert_eq!(gw["address"], "192.0.2.10");
    assert_eq!(gw["verdict"], "ok");
    let route = hop(&r, "route", "HTTPRoute apps/all-ok rule 0");
    assert_eq!(route["verdict"], "ok");
    let backend = hops(&r)
        .into_iter()
        .find(|h| h["id"] == route["next"][0])
        .expect("the backend hop");
    assert_eq!(backend["kind"], "backend-ref");
    assert_eq!(backend["port"], 80);
    assert_eq!(backend["next"], serde_json::json!(["endpoints"]));
    let refused: Vec<Vec<String>> = hops(&r)
        .into_iter()
        .filter(|h| h["kind"] == "listener" && h["verdict"] == "broken")
        .map(|h| codes(&h))
        .collect();
    for code in ["SVC502", "SVC503", "SVC504", "SVC505"] {
        assert!(
            refused.iter().any(|c| c.contains(&code.to_string())),
            "{code}: {refused:?}"
        );
    }
    assert_eq!(r["verdict"], "broken");
    // Through a Gateway the cluster IP is not on the way: the Service's own
    // layer is still there, for in-cluster clients.
    assert!(hops(&r).iter().any(|h| h["kind"] == "cluster-ip"));
}

/// A hostname and path trace the rule that serves them at each way in (each
/// Gateway port: listeners without a hostname serve it too); with a port,
/// at that listener only. A Gateway address and port trace the routes on
/// that listener.
#[test]
fn trace_by_host_and_path_or_gateway_address() {
    let r = trace(&["routes.yaml"], "a.b.example.com/anything");
    assert_eq!(r["target"]["matched"], "host-path");
    assert_eq!(
        r["target"]["routes"],
        serde_json::json!([
            "HTTPRoute infra/same-ok rule 0 via Gateway infra/shared:80",
            "HTTPRoute apps/wildcard-deep rule 0 via Gateway infra/shared:443",
            // Nothing on 8080 matches /anything (all-ok is PathPrefix /all).
            "HTTPRoute apps/selector-ok rule 0 via Gateway infra/shared:8081",
        ])
    );
    let r = trace(&["routes.yaml"], "a.b.example.com:443/anything");
    assert_eq!(r["target"]["service"], "apps/web");
    let route_hops: Vec<String> = hops(&r)
        .into_iter()
        .filter(|h| h["kind"] == "route")
        .map(|h| h["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(route_hops, ["HTTPRoute apps/wildcard-deep rule 0"]);
    assert!(
        !hops(&r).iter().any(|h| h["kind"] == "cluster-ip"),
        "not on the way"
    );
    let r = trace(&["routes.yaml"], "192.0.2.10:9000");
    assert_eq!(r["target"]["matched"], "gateway-address");
    assert_eq!(r["target"]["gateway"], "infra/shared");
    assert_eq!(r["target"]["service"], "apps/db");
    assert_eq!(hop(&r, "listener", "tcp")["port"], 9000);
}

// ------------------------------------------------------------ routes: Ingress

/// Ingress backends name a Service port by number or by name; a port the
/// Service lacks is a finding; the default backend is an entry of its own;
/// the class defaults to the IngressClass marked as default; the controller's
/// own Service is found by the Ingress's address.
#[test]
fn ingress_paths_resolve_by_port_number_and_name() {
    let site = routes_of(&["ingress.yaml"], "web/site");
    let by_field = |field: &str| {
        site["routes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["field"] == field)
            .cloned()
            .unwrap_or_else(|| panic!("{field}"))
    };
    let named = by_field("spec.rules[0].http.paths[1]");
    assert_eq!(named["reaches"], true);
    assert_eq!(named["service_port"], "http");
    assert_eq!(named["ingress"]["class"], "nginx");
    assert_eq!(named["ingress"]["class_source"], "default");
    assert_eq!(
        named["ingress"]["controller_service"],
        "ingress-nginx/ingress-nginx-controller"
    );
    assert_eq!(named["ingress"]["tls"], true);
    let wrong = by_field("spec.rules[0].http.paths[2]");
    assert_eq!(wrong["reaches"], false);
    assert_eq!(wrong["findings"][0]["code"], "SVC510");
    assert_eq!(
        wrong["findings"][0]["field"],
        "spec.rules[0].http.paths[2].backend.service.port"
    );
    assert_eq!(by_field("spec.defaultBackend")["reaches"], true);
}

/// An Ingress whose backend Service does not exist reaches no Service: it
/// is listed under none, and a trace of its host says which path serves it
/// and that nothing behind it resolves. (Its findings, SVC509 and SVC513,
/// are checked in the model's unit tests, `model::routes`.)
#[test]
fn an_ingress_to_a_missing_service_reaches_nothing() {
    let on = live(&["ingress.yaml"], &["explain", "-o", "json", "-n", "web"]);
    let off = offline(&["ingress.yaml"], &["explain", "-o", "json", "-n", "web"]);
    for report in [&on, &off] {
        let listed: Vec<&str> = report["services"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["routes"].as_array().unwrap().iter())
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert!(
            listed.contains(&"shop") && !listed.contains(&"broken"),
            "{listed:?}"
        );
    }
    // Its host is served under class ghost only, by the broken path, which
    // sends to nothing that resolves. shop's default backend answers only
    // the unmatched paths of shop's own hosts, not other hosts of its class
    // (ingress-nginx controller-v1.15.1 `internal/ingress/controller/
    // controller.go` `createServers`: an Ingress that "defines both a
    // backend and rules" uses "its backend as default upstream for all its
    // rules"; only an Ingress without rules configures the catch-all
    // server), so under class nginx the host gets the catch-all's 404.
    let path = fixture("ingress.yaml").display().to_string();
    let nodes = fixture("nodes.yaml").display().to_string();
    let run = svcx(&[
        "trace",
        "-o",
        "json",
        "broken.example.com/",
        "-f",
        &nodes,
        "-f",
        &path,
    ]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("Ingress web/broken"), "{run}");
    assert!(!run.stderr.contains("spec.defaultBackend"), "{run}");
    // shop's own host, on a path no rule names: its `/` Prefix path serves
    // it (an explicit `/` replaces the host's default location, "Replacing
    // location" in `controller.go`), never the default backend.
    let r = trace_offline(&["ingress.yaml"], "shop.example.com/nowhere");
    assert_eq!(
        r["target"]["routes"],
        serde_json::json!(["Ingress web/shop spec.rules[0].http.paths[1] via IngressClass nginx"])
    );
    assert_eq!(r["target"]["service"], "web/site");
}

/// An Ingress path traces from the controller's own load balancer through
/// the Ingress controller (IngressClass nginx) to the rule, the backend and
/// the endpoints; a host and path pick the rule.
#[test]
fn trace_goes_through_the_ingress_controller() {
    let r = trace(&["ingress.yaml"], "shop.example.com/api/v1");
    assert_eq!(r["target"]["service"], "web/api");
    let lb = hops(&r)
        .into_iter()
        .find(|h| h["kind"] == "load-balancer")
        .expect("the controller's load balancer");
    assert_eq!(lb["address"], "192.0.2.80");
    assert_eq!(lb["port"], 443);
    let ic = hop(&r, "ingress-controller", "nginx");
    assert_eq!(ic["address"], "192.0.2.80");
    assert_eq!(lb["next"], serde_json::json!([ic["id"].clone()]));
    assert_eq!(hop(&r, "route", "Ingress web/shop rule 0")["verdict"], "ok");
    assert_eq!(r["verdict"], "ok");
}

// ----------------------------------------------------------- port numbers

/// `nodePort: 0` and `healthCheckNodePort: 0` in a manifest are the unset
/// value of those int32 fields: the API server allocates a port, as when they
/// are left out (`initNodePorts` and `allocHealthCheckNodePort`,
/// pkg/registry/core/service/storage/alloc.go, allocate when the field is
/// 0). So neither Service has a fixed nodePort (SVC306), none is outside the
/// range (SVC206) or a duplicate (SVC207, which two zeros would be), and
/// `targetPort: 0` is the port (SetDefaults_Service, pkg/apis/core/v1/defaults.go).
#[test]
fn a_zero_node_port_is_allocated() {
    // Offline and live: a cluster never stores 0, but a server that sent it
    // would be read the same way. (Their findings differ: live, no pod means
    // SVC101; offline, pods may be in other files, SVC102.)
    let args = ["explain", "-o", "json"];
    for report in [
        offline(&["node-port-zero.yaml"], &args),
        live(&["node-port-zero.yaml"], &args),
    ] {
        let services = report["services"].as_array().unwrap();
        assert_eq!(services.len(), 2, "{report:#}");
        for svc in services {
            let node_ports: Vec<&Value> = svc["ports"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| &p["node_port"])
                .collect();
            assert!(node_ports.iter().all(|p| p.is_null()), "{svc:#}");
            let layer = common::layer(svc, "node-port").expect("a node port layer");
            assert!(layer["health_check_node_port"].is_null(), "{layer:#}");
        }
        assert_eq!(services[1]["ports"][1]["target_port"], "9000");
    }
    let lint = offline(&["node-port-zero.yaml"], &["lint", "-o", "json", "-A"]);
    let codes = common::finding_codes(&lint);
    assert!(codes.contains(&"SVC301"), "the lint ran: {codes:?}");
    for refused in ["SVC206", "SVC207", "SVC210", "SVC306"] {
        assert!(!codes.contains(&refused), "{refused} in {codes:?}");
    }
}

/// A port, numeric targetPort or nodePort outside 1-65535 makes the API
/// server refuse the Service (`IsValidPortNum` in `validateServicePort` and
/// `ValidateService`, pkg/apis/core/validation/validation.go): SVC210, an
/// error, at each field, and no other finding about the same nodePort.
#[test]
fn a_port_outside_1_to_65535_is_refused() {
    let lint = offline(
        &["../hostile/ports-out-of-range.yaml"],
        &["lint", "-o", "json", "-A"],
    );
    let at = |code: &str| -> Vec<String> {
        lint["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code)
            .map(|f| f["field"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        at("SVC210"),
        [
            "spec.ports[0].port",
            "spec.ports[1].port",
            "spec.ports[1].targetPort",
            "spec.ports[1].nodePort",
            "spec.ports[2].port",
            "spec.ports[2].targetPort",
            "spec.ports[2].nodePort",
        ]
    );
    assert!(
        at("SVC206").is_empty() && at("SVC306").is_empty(),
        "{lint:#}"
    );
    let severities: Vec<&str> = lint["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "SVC210")
        .filter_map(|f| f["severity"].as_str())
        .collect();
    assert!(severities.iter().all(|s| *s == "error"), "{severities:?}");
    // A refused Service is never created: trace breaks at its own layer.
    let r = trace_offline(&["../lint/SVC210/firing.yaml"], "shop/web");
    let ip = hop(&r, "cluster-ip", "");
    assert_eq!(ip["verdict"], "broken", "{ip:#}");
    assert_eq!(codes(&ip), ["SVC210"]);
    assert_eq!(r["services"][0]["verdict"], "broken");
}

// ------------------------------------------------- controller-added labels

/// The StatefulSet controller labels each pod with its name and ordinal
/// (`statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index`:
/// kubernetes/kubernetes pkg/controller/statefulset/stateful_set_utils.go,
/// `updateIdentity`; "so that you can attach a Service to a specific Pod",
/// kubernetes.io/docs/concepts/workloads/controllers/statefulset/#pod-name-label).
/// A selector on them matches one pod of the template's workload; a name
/// past the replicas matches none.
#[test]
fn statefulset_pod_labels_select_one_pod() {
    let r = offline(&["controllers.yaml"], &["explain", "-o", "json", "-A"]);
    for name in ["redis-announce-1", "redis-first"] {
        let svc = common::service(&r, "ctl", name);
        assert_eq!(svc["backends"]["source"], "pod-templates", "{name}");
        let items = svc["backends"]["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{name}");
        assert_eq!(items[0]["workload"], "StatefulSet/redis");
        assert_eq!(items[0]["replicas"], 1, "one pod of the three: {name}");
        assert_eq!(codes_of(svc), [], "{name}");
    }
    let gone = common::service(&r, "ctl", "redis-announce-3");
    assert_eq!(
        codes_of(gone),
        [("SVC101".to_string(), "error".to_string())]
    );
}

/// The API server labels a Job's pod template `job-name` and
/// `batch.kubernetes.io/job-name` with the Job's name unless
/// `manualSelector` is set (kubernetes/kubernetes
/// pkg/registry/batch/job/strategy.go, `generateSelector`;
/// kubernetes.io/docs/concepts/workloads/controllers/job/#job-labels): the
/// headless Service of an Indexed Job's workers has them as backends.
#[test]
fn job_name_labels_select_the_jobs_pods() {
    let r = offline(
        &["controllers.yaml"],
        &["explain", "-o", "json", "ctl/train-workers"],
    );
    let svc = &r["services"][0];
    assert_eq!(svc["backends"]["source"], "pod-templates");
    assert_eq!(svc["backends"]["items"][0]["workload"], "Job/train");
    assert_eq!(codes_of(svc), []);
}

// ------------------------------------------------------ mirrored Endpoints

/// The EndpointSlice mirroring controller copies the v1 Endpoints of a
/// Service without selector into EndpointSlices (kubernetes/kubernetes
/// pkg/controller/endpointslicemirroring: `syncEndpoints` mirrors only for
/// a Service with a nil selector, `shouldMirror` skips the
/// `endpointslice.kubernetes.io/skip-mirror` label, `addressToEndpoint`
/// writes `ready` from `addresses` / `notReadyAddresses`). Offline and
/// live (one GET of the Endpoints) agree.
#[test]
fn endpoints_of_a_selectorless_service_are_mirrored() {
    let r = trace(&["endpoints.yaml"], "mirror/gluster");
    let eps = hop(&r, "endpoints", "");
    assert_eq!(eps["endpoints"]["total"], 3, "{eps:#}");
    assert_eq!(eps["endpoints"]["ready"], 2);
    assert_eq!(eps["endpoints"]["not_ready"], 1);
    assert_eq!(codes(&eps), ["SVC105"]);
    let svc = explain(&["endpoints.yaml"], "mirror/gluster");
    assert_eq!(svc["backends"]["source"], "mirrored-endpoints");
    assert!(!codes_of(&svc).iter().any(|(c, _)| c == "SVC107"));
    // Labelled skip-mirror: no copy, so no endpoints (an error in a
    // cluster, a warning from files, which may lack its slices).
    let skipped = live(
        &["endpoints.yaml"],
        &["explain", "-o", "json", "mirror/skipped"],
    );
    assert_eq!(
        codes_of(&skipped["services"][0]),
        [("SVC107".to_string(), "error".to_string())]
    );
    // Slices of its own are what kube-proxy reads.
    let sliced = explain(&["endpoints.yaml"], "mirror/sliced");
    assert_eq!(sliced["backends"]["source"], "endpoint-slices");
    assert_eq!(sliced["backends"]["items"].as_array().unwrap().len(), 1);
}

// ------------------------------------------------------ Gateway API details

/// A TCPRoute may attach to a TLS listener that terminates TLS (Gateway
/// API's route summary table, site/content/en/docs/concepts/api-overview.md
/// at kubernetes-sigs/gateway-api 4564255: TCPRoute, listener TLS
/// "Passthrough or Terminated"); `tls.mode` defaults to Terminate in the
/// Gateway CRD (`default: Terminate`, ../shared/gateway-api-crds). Whether a
/// listener that lists no kinds admits it is the implementation's choice:
/// Envoy Gateway does (envoyproxy/gateway d32f282
/// internal/gatewayapi/listener.go), Traefik does not (traefik/traefik
/// fd5a576 pkg/provider/kubernetes/gateway/kubernetes.go,
/// `supportedRouteKinds`), and for another svcx says it depends (info).
#[test]
fn tcp_routes_on_tls_listeners_that_terminate() {
    let db = routes_of(&["gateway-details.yaml"], "edge/db");
    let eg = entry(&db, "TCPRoute edge/db-eg");
    assert_eq!(eg["reaches"], true);
    assert_eq!(entry_findings(&db, "TCPRoute edge/db-eg"), []);
    assert_eq!(
        entry_findings(&db, "TCPRoute edge/db-traefik"),
        [finding("SVC504", "error", "spec.parentRefs[0]")]
    );
    let other = entry(&db, "TCPRoute edge/db-other");
    assert_eq!(other["reaches"], true, "admitted, with a doubt");
    assert_eq!(
        entry_findings(&db, "TCPRoute edge/db-other"),
        [finding("SVC504", "info", "spec.parentRefs[0]")]
    );
    // A TCPRoute's backend hop carries connections, not requests.
    let t = trace_offline(&["gateway-details.yaml"], "edge/db");
    let backend = hop(&t, "backend-ref", "");
    let reason = backend["reason"].as_str().unwrap();
    assert!(
        reason.contains("connections") && !reason.contains("requests"),
        "{backend:#}"
    );
    // The mode was defaulted: no SVC517 for a TLS listener without it.
    let lint = offline(&["gateway-details.yaml"], &["lint", "-o", "json", "-A"]);
    assert!(
        !common::finding_codes(&lint).contains(&"SVC517"),
        "{lint:#}"
    );
}

/// `hostnames` is optional on a v1alpha2 TLSRoute (kubernetes-sigs/gateway-api
/// apis/v1alpha2/tlsroute_types.go: `+optional`) and required from v1alpha3
/// on: the route is read, and attaches with any hostname.
#[test]
fn v1alpha2_tls_routes_may_omit_hostnames() {
    let db = routes_of(&["gateway-details.yaml"], "edge/db");
    assert_eq!(entry(&db, "TLSRoute edge/db-tls")["reaches"], true);
    assert_eq!(listeners(entry(&db, "TLSRoute edge/db-tls")), ["tls"]);
    // The same route at v1 (hostnames required, minItems 1, in the v1.5
    // CRD: ../shared/gateway-api-crds/v1.5.1) is refused, and said to be.
    let route = |version: &str| {
        format!(
            "apiVersion: gateway.networking.k8s.io/{version}\nkind: TLSRoute\nmetadata: {{name: r, namespace: edge}}\n\
             spec:\n  parentRefs: [{{name: eg}}]\n  rules: [{{backendRefs: [{{name: db, port: 5432}}]}}]\n"
        )
    };
    let notices = |version: &str| -> Vec<String> {
        let run = common::svcx_stdin(&["lint", "-o", "json", "-f", "-"], Some(&route(version)));
        json(run)["notices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["message"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(
        notices("v1")
            .iter()
            .any(|n| n.contains("TLSRoute `r`") && n.contains("hostnames")),
        "{:?}",
        notices("v1")
    );
    assert!(
        !notices("v1alpha2")
            .iter()
            .any(|n| n.contains("TLSRoute `r`")),
        "{:?}",
        notices("v1alpha2")
    );
}

/// A listener's findings of its own, from kubernetes-sigs/gateway-api
/// apis/v1/gateway_types.go (4564255): `allowedRoutes.kinds` with no kind
/// the listener can carry admits nothing (ResolvedRefs=False,
/// InvalidRouteKinds; the `gateway-invalid-route-kind` conformance test);
/// a certificate in another namespace needs a ReferenceGrant there
/// (RefNotPermitted); HTTP, HTTPS and TLS listeners on the port of a TCP
/// listener "are not distinct and so MUST NOT be accepted", and a route to
/// one of them is not admitted.
#[test]
fn listener_kinds_certificates_and_shared_ports() {
    let (_, live_db) = routes_both(&["gateway-details.yaml"], "edge/db");
    assert_eq!(
        entry_findings(&live_db, "HTTPRoute edge/web-conflicted"),
        [finding("SVC520", "error", "spec.parentRefs[0]")]
    );
    // A listener whose kinds are all invalid admits no route, not "only"
    // the kinds it lists: an HTTPRoute is refused as a UDPRoute would be.
    let none = entry(&live_db, "HTTPRoute edge/web-no-kinds");
    assert_eq!(none["reaches"], false, "{none:#}");
    assert_eq!(
        entry_findings(&live_db, "HTTPRoute edge/web-no-kinds"),
        [finding("SVC504", "error", "spec.parentRefs[0]")]
    );
    let why = none["parents"][0]["findings"][0]["message"]
        .as_str()
        .unwrap();
    assert!(
        why.contains("InvalidRouteKinds") && !why.contains("admits only"),
        "{why}"
    );
    let at = |report: &Value, code: &str| -> Vec<(String, String)> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code)
            .map(|f| {
                (
                    f["severity"].as_str().unwrap().to_string(),
                    f["field"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let pair = |s: &str, f: &str| (s.to_string(), f.to_string());
    let off = offline(&["gateway-details.yaml"], &["lint", "-o", "json", "-A"]);
    let on = live(&["gateway-details.yaml"], &["lint", "-o", "json"]);
    for report in [&off, &on] {
        assert_eq!(
            at(report, "SVC518"),
            [pair("error", "spec.listeners[4].allowedRoutes.kinds")]
        );
    }
    // A ReferenceGrant may be in another file; a cluster lists them all.
    assert_eq!(
        at(&off, "SVC519"),
        [pair(
            "warning",
            "spec.listeners[1].tls.certificateRefs[0].namespace"
        )]
    );
    assert_eq!(
        at(&on, "SVC519"),
        [pair(
            "error",
            "spec.listeners[1].tls.certificateRefs[0].namespace"
        )]
    );
    let gateway_conflicts: Vec<(String, String)> = at(&off, "SVC520")
        .into_iter()
        .filter(|(_, f)| f.ends_with(".port"))
        .collect();
    assert_eq!(gateway_conflicts, [pair("error", "spec.listeners[3].port")]);
}

/// What an implementation does with traffic for a backendRef that does not
/// resolve depends on the route kind (kubernetes-sigs/gateway-api
/// apis/v1/*route_types.go, `backendRefs`): HTTPRoute answers 500, TCPRoute
/// and TLSRoute reject the connection, UDPRoute drops the packets. SVC506's
/// help says the one that applies, never "500" for a TCPRoute.
#[test]
fn a_missing_backend_fails_as_its_route_kind_says() {
    let lint = offline(
        &["gateway-details.yaml"],
        &["lint", "-o", "json", "-A", "--select", "SVC506"],
    );
    let hint = |kind: &str| -> String {
        let found: Vec<&Value> = lint["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["object"]["kind"] == kind)
            .collect();
        assert_eq!(found.len(), 1, "one SVC506 on the {kind}: {lint:#}");
        found[0]["hint"].as_str().unwrap().to_string()
    };
    let (http, tcp) = (hint("HTTPRoute"), hint("TCPRoute"));
    let (tls, udp) = (hint("TLSRoute"), hint("UDPRoute"));
    assert!(http.contains("500"), "{http}");
    for other in [&tcp, &tls, &udp] {
        assert!(!other.contains("500") && *other != http, "{other}");
    }
    // TLS and TCP connections are rejected alike; UDP packets are dropped.
    assert_eq!(tls, tcp);
    assert_ne!(udp, tcp);
}

// ------------------------------------------------------ load balancer facts

/// The `implementation` of a Service's load-balancer layer (explain JSON).
fn lb_implementation(report: &Value, name: &str) -> Value {
    let svc = common::service(report, "lbf", name);
    common::layer(svc, "load-balancer").expect("a load-balancer layer")["implementation"].clone()
}

/// How a load balancer delivers traffic is read from what the manifest
/// shows, and said to depend otherwise (sources in src/model/load_balancer.rs):
/// the AWS Load Balancer Controller sends to pod IPs with target type `ip`
/// and to node ports with `instance`, its default
/// (kubernetes-sigs/aws-load-balancer-controller 225f445,
/// pkg/service/model_build_target_group.go `buildTargetType`); the AWS cloud
/// provider's load balancers target the node ports (kubernetes/cloud-provider-aws
/// 63ec440, pkg/providers/v1/aws.go `buildListener`, aws_loadbalancer.go);
/// GKE's passthrough load balancers and Azure's floating-IP rules deliver to
/// the nodes addressed to the load balancer's IP (GKE LoadBalancer Service
/// concepts; kubernetes-sigs/cloud-provider-azure 7b31c76
/// pkg/provider/azure_loadbalancer.go); so does MetalLB (metallb/metallb
/// 7938d3f, website/content/concepts).
#[test]
fn each_load_balancer_delivers_as_its_implementation_does() {
    let r = offline(&["lb-facts.yaml"], &["explain", "-o", "json", "-A"]);
    let delivery = |name: &str| lb_implementation(&r, name)["delivery"]["value"].clone();
    let provider = |name: &str| lb_implementation(&r, name)["provider"]["value"].clone();
    for (name, want, by) in [
        ("nlb-ip", "pods", "aws-load-balancer-controller"),
        ("nlb-class", "node-ports", "aws-load-balancer-controller"),
        ("classic-internal", "node-ports", "aws-cloud-provider"),
        ("gke-internal", "load-balancer-ip", "gke"),
        ("azure-internal", "load-balancer-ip", "azure"),
        ("metallb", "load-balancer-ip", "metallb"),
    ] {
        assert_eq!(delivery(name), want, "{name}");
        assert_eq!(provider(name), by, "{name}");
    }
    assert_eq!(delivery("plain"), "depends");
    assert!(provider("plain").is_null());
    // Straight to the pods: the load balancer hop leads to the endpoints.
    let t = trace_offline(&["lb-facts.yaml"], "lbf/nlb-ip");
    let lb = hop(&t, "load-balancer", "");
    assert_eq!(lb["next"], serde_json::json!(["endpoints"]));
    let t = trace_offline(&["lb-facts.yaml"], "lbf/classic-internal");
    let lb = hop(&t, "load-balancer", "");
    assert!(
        lb["next"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n.as_str().unwrap().starts_with("node:")),
        "to the node ports: {lb:#}"
    );
}

/// Internal load balancers are called internal, by the annotation that makes
/// them so (GKE `networking.gke.io/load-balancer-type: Internal`, AWS
/// `aws-load-balancer-internal` / `-scheme`, Azure
/// `azure-load-balancer-internal`, the AWS Load Balancer Controller's
/// internal default: docs/guide/service/nlb.md), and lint does not call them
/// open to the world (SVC303); the address asked for in MetalLB's or GKE's
/// annotation is the one asked for.
#[test]
fn internal_load_balancers_and_requested_addresses() {
    let r = offline(&["lb-facts.yaml"], &["explain", "-o", "json", "-A"]);
    for name in [
        "nlb-class",
        "classic-internal",
        "gke-internal",
        "azure-internal",
    ] {
        assert!(
            lb_implementation(&r, name)["internal"].is_string(),
            "{name}"
        );
    }
    for name in ["nlb-ip", "metallb", "plain"] {
        assert!(lb_implementation(&r, name)["internal"].is_null(), "{name}");
    }
    let lint = offline(
        &["lb-facts.yaml"],
        &["lint", "-o", "json", "-A", "--select", "SVC303"],
    );
    let mut open: Vec<&str> = lint["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["object"]["name"].as_str().unwrap())
        .collect();
    open.sort();
    assert_eq!(open, ["draining", "metallb", "nlb-ip", "plain"]);
    let metallb = lb_implementation(&r, "metallb");
    assert_eq!(metallb["requested"][0]["value"], "192.168.10.20");
    assert_eq!(
        metallb["requested"][0]["from"],
        "metallb.io/loadBalancerIPs"
    );
    let gke = lb_implementation(&r, "gke-internal");
    assert_eq!(gke["requested"][0]["value"], "gke-internal-ip");
    assert_eq!(
        gke["requested"][0]["name"], true,
        "a reserved address's name"
    );
    // The trace of a manifest shows the address asked for, and says where
    // it was asked for.
    let t = trace_offline(&["lb-facts.yaml"], "lbf/metallb");
    let lb = hop(&t, "load-balancer", "");
    assert_eq!(lb["address"], "192.168.10.20");
    assert!(
        lb["reason"]
            .as_str()
            .unwrap()
            .contains("metallb.io/loadBalancerIPs"),
        "{lb:#}"
    );
}

/// A Service written for MetalLB (its annotations, or MetalLB's address
/// pools in the input) is not told to install MetalLB; one that says nothing
/// of its implementation still is.
#[test]
fn a_service_written_for_metallb_is_not_told_to_install_it() {
    let notes = |files: &[&str], target: &str| -> Vec<String> {
        strings(&hop(&trace_offline(files, target), "load-balancer", "")["notes"])
    };
    let install = |ns: &[String]| ns.iter().any(|n| n.contains("install MetalLB"));
    assert!(!install(&notes(&["lb-facts.yaml"], "lbf/metallb")));
    assert!(!install(&notes(&["lb-facts.yaml"], "lbf/gke-internal")));
    assert!(install(&notes(&["lb-facts.yaml"], "lbf/plain")));
    let pools =
        "../../corpus/official/metallb-metallb/metallb-metallb--configsamples-deployment_l2.yaml";
    assert!(!install(&notes(&[pools], "default/nginx")));
    // MetalLB gives out addresses of its pools, not cloud load balancers:
    // neither lint nor explain speaks of a cloud or a bill for it
    // (metallb/metallb 7938d3f, website/content/concepts).
    let lint = offline(
        &[pools],
        &["lint", "-o", "json", "-A", "--select", "SVC302"],
    );
    let found = &lint["findings"][0];
    assert_eq!(found["code"], "SVC302", "{lint:#}");
    assert!(
        !found["message"].as_str().unwrap().contains("cloud"),
        "{found:#}"
    );
    let r = offline(&[pools], &["explain", "-o", "json", "default/nginx"]);
    let said = strings(&r["services"][0]["notes"]);
    assert!(
        !said
            .iter()
            .any(|n| n.contains("bill") || n.contains("clouds")),
        "{said:#?}"
    );
    let plain = offline(&["lb-facts.yaml"], &["explain", "-o", "json", "lbf/plain"]);
    assert!(
        strings(&plain["services"][0]["notes"])
            .iter()
            .any(|n| n.contains("bill")),
        "a Service that names no implementation may be a cloud's"
    );
}

/// `ipFamilyPolicy: PreferDualStack` gets both families in a dual-stack
/// cluster ("two IP families on dual-stack configured clusters":
/// ServiceSpec.ipFamilyPolicy in the Kubernetes API); nodes.yaml's nodes have
/// IPv4 and IPv6 addresses. A node without an address of the traced family
/// is no way in over it.
#[test]
fn prefer_dual_stack_and_nodes_without_the_family() {
    let r = offline(
        &["lb-facts.yaml"],
        &["explain", "-o", "json", "lbf/prefer-dual"],
    );
    let np = common::layer(&r["services"][0], "node-port").unwrap();
    assert_eq!(np["families"], serde_json::json!(["IPv6", "IPv4"]));
    let t = trace_offline(&["lb-facts.yaml"], "lbf/v6-only");
    assert_eq!(hop(&t, "node", "node-c")["verdict"], "warn");
    assert_eq!(hop(&t, "node", "node-a")["verdict"], "ok");
    // node-c is NotReady as well; node-d is Ready with IPv4 addresses only,
    // so its lack of an IPv6 address alone makes it no way in to an
    // IPv6-only Service.
    let t = trace_offline(&["lb-facts.yaml", "node-v4-only.yaml"], "lbf/v6-only");
    let d = hop(&t, "node", "node-d");
    assert_eq!(d["verdict"], "warn", "{d:#}");
    assert!(d["address"].is_null(), "{d:#}");
    // A Service of both families opens its node port on the node's
    // addresses of either (ServiceSpec.ipFamilies): node-d is a way in to
    // lbf/prefer-dual over IPv4.
    let t = trace_offline(&["lb-facts.yaml", "node-v4-only.yaml"], "lbf/prefer-dual");
    let d = hop(&t, "node", "node-d");
    assert_eq!(d["verdict"], "ok", "{d:#}");
    assert_eq!(d["address"], "10.0.0.14", "{d:#}");
}

/// Hop verdicts follow the severity of the findings behind them: an info
/// finding (SVC202, an undeclared containerPort) leaves a hop ok; under
/// externalTrafficPolicy Local with only serving-terminating endpoints, every
/// node fails the health check (KEP-1669), so the load balancer hop is not
/// ok and carries the finding that says why (SVC106).
#[test]
fn hop_verdicts_follow_the_findings_severity() {
    let r = trace(&["lb-facts.yaml"], "lbf/draining");
    let lb = hop(&r, "load-balancer", "203.0.113.150");
    assert_eq!(lb["verdict"], "warn", "{lb:#}");
    assert_eq!(codes(&lb), ["SVC106"]);
    let t = trace_offline(&["../lint/SVC202/firing.yaml"], "shop/web");
    let undeclared: Vec<Value> = hops(&t)
        .into_iter()
        .filter(|h| h["kind"] == "container" && codes(h) == ["SVC202"])
        .collect();
    assert!(!undeclared.is_empty(), "{t:#}");
    for c in undeclared {
        assert_eq!(c["verdict"], "ok", "{c:#}");
    }
}

/// A Service without selector and without slices, beside a slice labelled
/// for a near name, is told which label the slice carries: a slice belongs
/// to the Service its `kubernetes.io/service-name` label names.
#[test]
fn a_slice_labelled_for_a_near_name_is_pointed_at() {
    let r = offline(&["lb-facts.yaml"], &["explain", "-o", "json", "lbf/web"]);
    let f = &r["services"][0]["findings"][0];
    assert_eq!(f["code"], "SVC107");
    // The label and the name the slice carries, and the one it would need.
    let hint = f["hint"].as_str().unwrap();
    assert!(
        hint.contains("kubernetes.io/service-name=web-svc")
            && hint.contains("kubernetes.io/service-name=web "),
        "{f:#}"
    );
}

/// Diagrams count endpoints as the text does: an endpoint ready only through
/// publishNotReadyAddresses is published, not ready. Every diagram format
/// (mermaid, dot, html) counts alike, and agrees with the JSON counts.
#[test]
fn diagrams_count_published_endpoints_apart() {
    let r = offline(&["publish.yaml"], &["trace", "-o", "json", "pub/api"]);
    let eps = hop(&r, "endpoints", "");
    assert_eq!(eps["endpoints"]["total"], 2, "{eps:#}");
    assert_eq!(eps["endpoints"]["ready"], 1, "{eps:#}");
    assert_eq!(eps["endpoints"]["published"], 1, "{eps:#}");
    for format in ["mermaid", "dot", "html"] {
        let run = common::svcx(&[
            "trace",
            "-o",
            format,
            "pub/api",
            "-f",
            &fixture("nodes.yaml").display().to_string(),
            "-f",
            &fixture("publish.yaml").display().to_string(),
        ]);
        assert_eq!(run.code, 0, "{format}: {run}");
        assert!(
            run.stdout.contains("1 ready + 1 published of 2"),
            "{format}: {}",
            run.stdout
        );
        assert!(
            !run.stdout.contains("2 of 2 ready"),
            "{format}: {}",
            run.stdout
        );
    }
}

// ----------------------------------------------------------- ways in

/// The Services a Gateway's proxy or an Ingress controller is reached by are
/// already the shared way in (recognised by the GEP-1762 label
/// `gateway.networking.k8s.io/gateway-name`, by owners, by the images of
/// the pods they select: src/model/entry_point.rs): lint does not tell them
/// to move behind a Gateway (SVC301, SVC302), and migrate leaves them alone
/// with a note saying why.
#[test]
fn entry_point_services_are_not_told_to_migrate() {
    let r = offline(
        &["ways-in.yaml"],
        &["explain", "-o", "json", "ways/public-proxy"],
    );
    let e = &r["services"][0]["entry_point"];
    assert_eq!(e["what"], "Gateway ways/public");
    let lint = offline(
        &["ways-in.yaml"],
        &["lint", "-o", "json", "-A", "--select", "SVC3"],
    );
    let flagged: Vec<(&str, &str)> = lint["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap(),
                f["object"]["name"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        !flagged
            .iter()
            .any(|(c, n)| *n == "public-proxy" && (*c == "SVC301" || *c == "SVC302")),
        "{flagged:?}"
    );
    assert!(
        flagged.contains(&("SVC301", "agent")),
        "an application's NodePort still is: {flagged:?}"
    );
    // The ingress-nginx controller of the project's own install, by image.
    let nginx = "../../corpus/official/kubernetes-ingress-nginx/kubernetes-ingress-nginx--deploy-static-provider-aws-deploy.yaml";
    let r = offline(
        &[nginx],
        &[
            "explain",
            "-o",
            "json",
            "ingress-nginx/ingress-nginx-controller",
        ],
    );
    assert_eq!(r["services"][0]["entry_point"]["what"], "ingress-nginx");
    let run = common::svcx(&[
        "migrate-to-gateway",
        "-o",
        "json",
        "--gateway-class",
        "example",
        "-f",
        &fixture("ways-in.yaml").display().to_string(),
    ]);
    assert_eq!(run.code, 0, "{run}");
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let notes: Vec<(String, String)> = report["report"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["code"].as_str().unwrap().to_string(),
                n["object"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        notes.contains(&(
            "entry-point".to_string(),
            "Service ways/public-proxy".to_string()
        )),
        "{notes:?}"
    );
    let services: Vec<&str> = report["report"]["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(!services.contains(&"ways/public-proxy"), "{services:?}");
    // A hostPort is a way in before the migration, and after it.
    let host = |side: &str| -> bool {
        report["report"]["exposure"][side]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["address"] == "NODE:8080 (hostPort)")
    };
    assert!(
        host("before") && host("after"),
        "{:#}",
        report["report"]["exposure"]
    );
}

/// Pods that publish a `hostPort` are reachable at their node's address,
/// past the Service (the Kubernetes API, ContainerPort.hostPort): explain
/// says so.
#[test]
fn host_ports_are_a_way_in() {
    let r = offline(&["ways-in.yaml"], &["explain", "-o", "json", "ways/agent"]);
    let notes = strings(&r["services"][0]["notes"]);
    assert!(
        notes.iter().any(|n| n.contains("hostPort 8080")),
        "{notes:#?}"
    );
}

/// The GKE Ingress controller reaches a backend through its node ports
/// unless container-native load balancing is on (`cloud.google.com/neg:
/// '{"ingress": true}'`; cloud.google.com/kubernetes-engine/docs/how-to/container-native-load-balancing):
/// no advice to make such a backend ClusterIP, and "straight to the pods"
/// only where the annotation says so.
#[test]
fn gce_ingress_backends_keep_their_node_ports() {
    let lint = offline(
        &["ways-in.yaml"],
        &["lint", "-o", "json", "-A", "--select", "SVC301"],
    );
    let hint = |name: &str| -> String {
        lint["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["object"]["name"] == name)
            .map(|f| f["hint"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("SVC301 on {name}: {lint:#}"))
    };
    assert!(
        hint("web").contains("cloud.google.com/neg"),
        "{}",
        hint("web")
    );
    assert!(
        !hint("api").contains("cloud.google.com/neg"),
        "NEGs on: ClusterIP is fine"
    );
    let reason = |target: &str| -> String {
        let t = trace_offline(&["ways-in.yaml"], target);
        hop(&t, "backend-ref", "")["reason"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(
        reason("ways/web").contains("node ports"),
        "{}",
        reason("ways/web")
    );
    assert!(
        reason("ways/api").contains("directly"),
        "{}",
        reason("ways/api")
    );
    // The Ingress hop before it does not say the controller proxies to the
    // endpoints where the load balancer goes through the node ports.
    let controller = |target: &str| -> String {
        let t = trace_offline(&["ways-in.yaml"], target);
        hop(&t, "ingress-controller", "")["reason"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(
        !controller("ways/web").contains("endpoints"),
        "{}",
        controller("ways/web")
    );
    assert!(
        controller("ways/api").contains("endpoints"),
        "{}",
        controller("ways/api")
    );
}

/// An operator creates pods from custom resources svcx does not read (the
/// Prometheus operator: "PodMetadata configures labels and annotations
/// which are propagated to the Prometheus pods"): with such objects in the
/// Service's namespace, a selector that nearly matches a workload read is no
/// proof of a typo, so it is SVC102 (its pods may be created elsewhere), not
/// SVC101. kube-prometheus's manifests, read as `kubectl apply -f manifests/`
/// applies them.
#[test]
fn pods_an_operator_creates_are_not_a_typo() {
    let dir = "../../corpus/official/prometheus-operator-kube-prometheus";
    let lint = offline(
        &[dir],
        &["lint", "-o", "json", "-A", "--select", "SVC101,SVC102"],
    );
    let by_name = |name: &str| -> Vec<String> {
        lint["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["object"]["name"] == name)
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(by_name("prometheus-k8s"), ["SVC102"]);
    assert_eq!(by_name("alertmanager-main"), ["SVC102"]);
}

/// A ServiceExport marks a Service for export to the other clusters of a
/// fleet and creates no pods (KEP-1645, Multi-Cluster Services API:
/// "ServiceExport ... marks a Service for export";
/// https://github.com/kubernetes/enhancements/tree/master/keps/sig-multicluster/1645-multi-cluster-services-api;
/// GKE's own kind, `net.gke.io/v1`, per "Configuring multi-cluster
/// Services", cloud.google.com/kubernetes-engine/docs/how-to/multi-cluster-services).
/// So, unlike an operator's custom resource, it is no reason to think the
/// Service's pods come from elsewhere: a selector one letter off its
/// Deployment's labels stays SVC101, with its "did you mean".
#[test]
fn a_service_export_creates_no_pods() {
    let lint = offline(
        &["mcs-export.yaml"],
        &["lint", "-o", "json", "-A", "--select", "SVC101,SVC102"],
    );
    let codes: Vec<&str> = lint["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["SVC101"]);
}

/// Envoy Gateway's policies configure its proxies and create no pods
/// (envoyproxy/gateway d32f282 api/v1alpha1): its admission-control
/// example's BackendTrafficPolicy beside its quickstart, whose backend
/// Service a user's typo points at `app: backnd`, is no reason to think the
/// pods come from elsewhere: SVC101 with its "did you mean", not SVC102.
#[test]
fn envoy_gateways_policies_create_no_pods() {
    let official = root().join("tests/corpus/official/envoyproxy-gateway");
    let quickstart = std::fs::read_to_string(
        official.join("envoyproxy-gateway--examples-kubernetes-quickstart.yaml"),
    )
    .unwrap();
    let typo = quickstart.replacen(
        "  selector:\n    app: backend\n",
        "  selector:\n    app: backnd\n",
        1,
    );
    assert_ne!(quickstart, typo);
    let dir = tempfile::tempdir().unwrap();
    let edited = dir.path().join("quickstart.yaml");
    std::fs::write(&edited, typo).unwrap();
    let policy = official.join("envoyproxy-gateway--examples-kubernetes-admission-control.yaml");
    let run = svcx(&[
        "lint",
        "-o",
        "json",
        "--select",
        "SVC101,SVC102",
        "-f",
        edited.to_str().unwrap(),
        "-f",
        policy.to_str().unwrap(),
    ]);
    let lint: Value = serde_json::from_str(&run.stdout).expect("lint -o json prints JSON");
    let codes: Vec<&str> = lint["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["SVC101"], "{lint:#}");
}

/// The advice to route to a ClusterIP Service from a Gateway is given only
/// where clients outside plausibly want it: a port that carries HTTP, gRPC
/// or TLS, outside kube-system, and not a proxy's own Service (an entry
/// point, recognised by its selector: ingress-nginx's install labels its
/// controller pods `app.kubernetes.io/name: ingress-nginx`).
#[test]
fn gateway_advice_only_where_exposure_is_plausible() {
    let snap = svcx::files::load(
        &[fixture("exposure.yaml")],
        svcx::Scope::AllNamespaces,
        None,
    )
    .expect("loads");
    let sem = svcx::Semantics::new(&snap);
    let plausible: std::collections::BTreeMap<String, bool> = (0..snap.services.len())
        .map(|i| {
            let v = sem.view(i);
            (v.name.to_string(), v.exposure_plausible())
        })
        .collect();
    let want = [
        ("web", true),
        ("orders-db", false),
        ("grpc-api", true),
        ("dashboard", false),
        ("ingress-nginx-controller-admission", false),
    ];
    assert_eq!(
        plausible,
        want.iter().map(|(n, p)| (n.to_string(), *p)).collect()
    );
}

/// The entry points of the projects' own installs (tests/corpus/official,
/// SOURCES.md), each recognised by what its install shows: Contour's Envoy
/// and Linkerd's gateway by the pod labels their Services select, Traefik's
/// and HAProxy's controllers by their images; and a Service a Gateway owns
/// (`ownerReferences`, as implementations that create one per Gateway
/// write it). None of them is told to move behind a Gateway.
#[test]
fn entry_points_of_official_installs_by_labels_images_and_owners() {
    let official = "../../corpus/official";
    for (file, service, what, by) in [
        (
            "projectcontour-contour/projectcontour-contour--examples-contour-02-service-envoy.yaml",
            "projectcontour/envoy",
            "Contour's Envoy",
            "its selector app=envoy",
        ),
        (
            "linkerd-linkerd2/linkerd-linkerd2--multicluster-cmd-install_default.yaml",
            "linkerd-multicluster/linkerd-gateway",
            "Linkerd's multicluster gateway",
            "its selector app=linkerd-gateway",
        ),
        (
            "mspnp-aks-baseline/mspnp-aks-baseline--workload-traefik.yaml",
            "a0008/traefik-ingress-service",
            "Traefik",
            "image ",
        ),
        (
            "haproxytech-kubernetes-ingress/haproxytech-kubernetes-ingress--deploy-haproxy-ingress.yaml",
            "haproxy-controller/haproxy-kubernetes-ingress",
            "HAProxy Kubernetes Ingress Controller",
            "image ",
        ),
        // The `istio/gateway` chart labels its pods with the release name
        // (manifests/charts/gateway/templates/_helpers.tpl): any `istio`
        // key is Istio's gateway.
        (
            "istio-istio/istio-istio--operator-pkg-helm-testdata-output-gateway-service-default.golden.yaml",
            "istio-ingress/istio-ingress",
            "an Istio gateway",
            "its selector istio=ingress",
        ),
    ] {
        let path = format!("{official}/{file}");
        let r = offline(&[&path], &["explain", "-o", "json", service]);
        let e = &r["services"][0]["entry_point"];
        assert_eq!(e["what"], what, "{service}: {e:#}");
        assert!(
            e["by"].as_str().unwrap().starts_with(by),
            "{service}: {e:#}"
        );
        let lint = offline(
            &[&path],
            &["lint", "-o", "json", "-A", "--select", "SVC301,SVC302"],
        );
        let (ns, name) = service.split_once('/').unwrap();
        assert!(
            !lint["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| { f["object"]["namespace"] == ns && f["object"]["name"] == name }),
            "{service}: {lint:#}"
        );
    }
    let owned = "apiVersion: v1\nkind: Service\nmetadata:\n  name: edge-gw\n  namespace: infra\n  ownerReferences:\n  - {apiVersion: gateway.networking.k8s.io/v1, kind: Gateway, name: edge, uid: 0b3c}\nspec:\n  type: LoadBalancer\n  selector: {app: edge-gw}\n  ports: [{port: 443}]\n";
    let r = json(common::svcx_stdin(
        &["explain", "-o", "json", "-f", "-", "infra/edge-gw"],
        Some(owned),
    ));
    assert_eq!(
        r["services"][0]["entry_point"]["what"], "Gateway infra/edge",
        "{r:#}"
    );
}

/// Cilium's Ingress Services, as its chart and operator write them, are the
/// way in of its Ingress: no selector, and Endpoints that hold a placeholder
/// (192.192.192.192:9999) because Cilium's datapath hands their traffic to
/// the Envoy on each node (cilium/cilium 0111204 operator/pkg/model/
/// translation/ingress/dedicated_ingress.go; docs.cilium.io network/
/// servicemesh/ingress-reference). Lint raises none of the endpoint,
/// selector or migration rules on them, and migrating Cilium's own basic
/// Ingress example beside them leaves both Services as they are.
#[test]
fn cilium_ingress_services_are_its_way_in_not_broken_services() {
    let services = "cilium-ingress-services.yaml";
    let example = "../../corpus/official/cilium-cilium/cilium-cilium--examples-kubernetes-servicemesh-basic-ingress.yaml";
    for name in [
        "kube-system/cilium-ingress",
        "default/cilium-ingress-basic-ingress",
    ] {
        let r = offline(&[services], &["explain", "-o", "json", name]);
        assert_eq!(
            r["services"][0]["entry_point"]["what"], "Cilium's Ingress",
            "{name}: {r:#}"
        );
    }
    let lint = offline(&[services, example], &["lint", "-o", "json", "-A"]);
    let codes: Vec<&str> = lint["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["object"]["kind"] == "Service")
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    for wrong in ["SVC204", "SVC305", "SVC302", "SVC301"] {
        assert!(!codes.contains(&wrong), "{wrong} in {lint:#}");
    }
    let migrated = offline(
        &[services, example],
        &[
            "migrate-to-gateway",
            "-o",
            "json",
            "--gateway-class",
            "cilium",
        ],
    );
    let left: Vec<&str> = migrated["report"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["code"] == "entry-point")
        .map(|n| n["object"].as_str().unwrap())
        .collect();
    assert_eq!(
        left,
        [
            "Service default/cilium-ingress-basic-ingress",
            "Service kube-system/cilium-ingress"
        ],
        "{migrated:#}"
    );
}

/// The AWS Load Balancer Controller's Application Load Balancer reaches an
/// Ingress backend through its node ports in `instance` mode, the default,
/// and straight to pod IPs with `alb.ingress.kubernetes.io/target-type: ip`,
/// which the Service's own annotation overrides
/// (kubernetes-sigs/aws-load-balancer-controller 48b4a7d,
/// docs/guide/ingress/annotations.md: target-type, default instance,
/// location Ingress or Service; "Annotations applied to Service have higher
/// priority over annotations applied to Ingress"; "service must be of type
/// NodePort or LoadBalancer to use instance mode"). The project's own
/// echoserver example (instance mode) gets no advice to make its backend
/// ClusterIP; the 2048 example (ip mode) may.
#[test]
fn alb_ingress_backends_keep_their_node_ports_in_instance_mode() {
    let dir = "../../corpus/official/kubernetes-sigs-aws-load-balancer-controller";
    let echo = [
        format!(
            "{dir}/kubernetes-sigs-aws-load-balancer-controller--docs-examples-echoservice-echoserver-service.yaml"
        ),
        format!(
            "{dir}/kubernetes-sigs-aws-load-balancer-controller--docs-examples-echoservice-echoserver-ingress.yaml"
        ),
    ];
    let echo: Vec<&str> = echo.iter().map(String::as_str).collect();
    let game = format!(
        "{dir}/kubernetes-sigs-aws-load-balancer-controller--docs-examples-2048-2048_full.yaml"
    );
    let hint = |files: &[&str], name: &str| -> String {
        let lint = offline(files, &["lint", "-o", "json", "-A", "--select", "SVC301"]);
        lint["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["object"]["name"] == name)
            .map(|f| f["hint"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("SVC301 on {name}: {lint:#}"))
    };
    let instance = hint(&echo, "echoserver");
    assert!(
        instance.contains("alb.ingress.kubernetes.io/target-type")
            && !instance.contains("ClusterIP"),
        "{instance}"
    );
    let ip = hint(&[&game], "service-2048");
    assert!(
        !ip.contains("target-type"),
        "ip mode: ClusterIP is fine: {ip}"
    );
    // explain does not say ClusterIP closes a door the load balancer uses.
    let r = offline(&echo, &["explain", "-o", "json", "echoserver/echoserver"]);
    let notes = strings(&r["services"][0]["notes"]);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("alb.ingress.kubernetes.io/target-type"))
            && !notes.iter().any(|n| n.contains("type ClusterIP closes")),
        "{notes:#?}"
    );
    // The trace's backend hop says how the load balancer gets there.
    let t = trace_offline(&echo, "echoserver/echoserver");
    let reason = hop(&t, "backend-ref", "")["reason"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(reason.contains("node ports"), "{reason}");
    let t = trace_offline(&[&game], "game-2048/service-2048");
    let reason = hop(&t, "backend-ref", "")["reason"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!reason.contains("node ports"), "{reason}");
}

/// kube-prometheus's node-exporter (manifests/ at 4d719f1) is a DaemonSet
/// with `hostNetwork: true`, selected by its own NetworkPolicy. "NetworkPolicy
/// behaviour for hostNetwork pods is undefined" (the NetworkPolicy concept
/// page, docs/network-policies.md): read from manifests, its template says
/// so, and every source's answer at it is depends, not admitted or dropped.
#[test]
fn a_host_network_template_makes_policy_answers_depend() {
    let dir = root().join("tests/corpus/official/prometheus-operator-kube-prometheus");
    let file = |f: &str| {
        dir.join(format!(
            "prometheus-operator-kube-prometheus--manifests-{f}.yaml"
        ))
        .display()
        .to_string()
    };
    let (ds, svc, np) = (
        file("nodeExporter-daemonset"),
        file("nodeExporter-service"),
        file("nodeExporter-networkPolicy"),
    );
    let run = svcx(&[
        "explain",
        "-f",
        &ds,
        "-f",
        &svc,
        "-f",
        &np,
        "monitoring/node-exporter",
        "-o",
        "json",
    ]);
    let doc = json(run);
    let sources = doc["services"][0]["network_policies"]["sources"]
        .as_array()
        .expect("policy facts");
    assert!(!sources.is_empty());
    for s in sources {
        for p in s["ports"].as_array().unwrap() {
            assert_eq!(p["depends"], 1, "{p}");
            assert_eq!(p["admitted"], 0, "{p}");
            assert_eq!(p["dropped"], 0, "{p}");
        }
    }
}
