//! Output that grows with the input, not with Services × nodes: past a few
//! nodes, human output counts a node port's nodes and names the ones that
//! differ (under externalTrafficPolicy Local, the nodes that hold an
//! endpoint); `-o wide` lists them all; JSON names each node once.
//!
//! Which nodes take external traffic under Local: a node passes the load
//! balancer's health check only with a ready local endpoint
//! (https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#preserving-the-client-source-ip;
//! kubernetes/kubernetes pkg/proxy/healthcheck/service_health.go).

use crate::common::{self, layer, service, settings, svcx};
use serde_json::Value;
use std::fmt::Write;
use std::path::PathBuf;

/// `nodes` Nodes, a Local LoadBalancer whose two pods run on node-003 and
/// node-007, a NodePort Service under Cluster with one pod, and a ClusterIP
/// Service.
fn cluster(dir: &tempfile::TempDir, nodes: usize) -> PathBuf {
    let mut y = String::new();
    for n in 0..nodes {
        let _ = write!(
            y,
            "apiVersion: v1\nkind: Node\nmetadata:\n  name: node-{n:03}\nstatus:\n  addresses:\n  \
             - {{type: InternalIP, address: 10.1.{}.{}}}\n  conditions:\n  - {{type: Ready, status: \"True\"}}\n---\n",
            n / 250,
            n % 250 + 1
        );
    }
    y.push_str(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: big}\nspec:\n  type: LoadBalancer\n  \
         externalTrafficPolicy: Local\n  healthCheckNodePort: 32000\n  clusterIP: 10.96.0.50\n  selector: {app: web}\n  \
         ports:\n  - {name: http, port: 80, targetPort: 8080, nodePort: 30080}\nstatus:\n  loadBalancer:\n    \
         ingress:\n    - ip: 203.0.113.50\n---\n\
         apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: big}\nspec:\n  type: NodePort\n  \
         clusterIP: 10.96.0.51\n  selector: {app: api}\n  ports:\n  - {port: 80, targetPort: 8080, nodePort: 30081}\n---\n\
         apiVersion: v1\nkind: Service\nmetadata: {name: inner, namespace: big}\nspec:\n  clusterIP: 10.96.0.52\n  \
         selector: {app: api}\n  ports:\n  - {port: 80, targetPort: 8080}\n---\n",
    );
    for (pod, app, node, ip) in [
        ("web-0", "web", "node-003", "10.244.0.10"),
        ("web-1", "web", "node-007", "10.244.0.11"),
        ("api-0", "api", "node-001", "10.244.0.12"),
    ] {
        let _ = write!(
            y,
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: {pod}, namespace: big, labels: {{app: {app}}}}}\nspec:\n  \
             nodeName: {node}\n  containers:\n  - name: app\n    image: app\n    ports:\n    - containerPort: 8080\n\
             status:\n  phase: Running\n  podIP: {ip}\n  conditions:\n  - {{type: Ready, status: \"True\"}}\n---\n"
        );
    }
    let path = dir.path().join(format!("cluster-{nodes}.yaml"));
    std::fs::write(&path, y).unwrap();
    path
}

fn explain(nodes: usize, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = cluster(&dir, nodes);
    let mut all = vec!["explain", "-f", path.to_str().unwrap()];
    all.extend(args);
    let run = svcx(&all);
    assert_eq!(run.code, 0, "{run}");
    run.stdout
}

/// The NodePort row of one Service's human output.
fn node_port_row(text: &str, svc: &str) -> String {
    let block = text
        .split("\n\n")
        .skip_while(|b| !b.starts_with(&format!("big/{svc} ")))
        .nth(1)
        .unwrap_or_else(|| panic!("big/{svc} in {text}"));
    block
        .lines()
        .find(|l| l.trim_start().starts_with("NodePort"))
        .unwrap_or_else(|| panic!("a NodePort row in {block}"))
        .to_string()
}

#[test]
fn many_nodes_are_counted_and_the_local_ones_named() {
    let text = explain(40, &["big/web", "big/api"]);
    let mut settings = settings();
    settings.add_filter(r"/tmp/\.tmp\w+/", "[TMP]/");
    settings.bind(|| insta::assert_snapshot!("many_nodes_human", text));
    assert!(
        !text.contains("10.1.0.40"),
        "no node is listed past a few: {text}"
    );
}

#[test]
fn wide_lists_every_node() {
    let text = explain(40, &["big/web", "-o", "wide"]);
    let row = node_port_row(&text, "web");
    for n in 1..=40 {
        assert!(
            row.contains(&format!("10.1.0.{n},")) || row.contains(&format!("10.1.0.{n} ")),
            "10.1.0.{n} in {row}"
        );
    }
    // Under Local only node-003 and node-007 (10.1.0.4, 10.1.0.8) take traffic.
    assert_eq!(row.matches("(no traffic)").count(), 38, "{row}");
    assert!(
        row.contains("10.1.0.4,") && row.contains("10.1.0.8,"),
        "{row}"
    );
}

#[test]
fn json_names_each_node_once() {
    let report: Value = serde_json::from_str(&explain(40, &["-A", "-o", "json"])).unwrap();
    assert_eq!(report["schema"], 4);
    let nodes = report["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 40);
    assert_eq!(nodes[3]["name"], "node-003");
    assert_eq!(nodes[3]["addresses"], serde_json::json!(["10.1.0.4"]));
    let web = layer(service(&report, "big", "web"), "node-port").unwrap();
    assert!(
        web.get("nodes").is_none(),
        "no per-Service node list: {web}"
    );
    assert_eq!(web["node_count"], 40);
    assert_eq!(web["nodes_accepting"], 2);
    assert_eq!(web["other_nodes_accept"], false);
    let local: Vec<(&str, u64, bool)> = web["local_nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["name"].as_str().unwrap(),
                n["local_ready_endpoints"].as_u64().unwrap(),
                n["accepts_external"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(local, [("node-003", 1, true), ("node-007", 1, true)]);
    let accepting: Vec<String> = common::node_acceptance(&report, service(&report, "big", "web"))
        .into_iter()
        .filter(|(_, a)| *a)
        .map(|(n, _)| n)
        .collect();
    assert_eq!(accepting, ["node-003", "node-007"]);
    let api = layer(service(&report, "big", "api"), "node-port").unwrap();
    assert_eq!(api["nodes_accepting"], 40);
    assert_eq!(api["other_nodes_accept"], true);
    assert!(api.get("local_nodes").is_none(), "{api}");
}

#[test]
fn a_document_without_node_ports_carries_no_nodes() {
    let report: Value = serde_json::from_str(&explain(40, &["big/inner", "-o", "json"])).unwrap();
    assert!(report.get("nodes").is_none(), "{report}");
}

/// Ten times the nodes, the same output for each Service: only the
/// document's node list grows.
#[test]
fn output_per_service_does_not_grow_with_nodes() {
    // Only the paths, line numbers, counts and column widths change: a few
    // bytes, where listing 360 more nodes would add thousands.
    let (few, many) = (explain(40, &["-A"]).len(), explain(400, &["-A"]).len());
    assert!(
        many.abs_diff(few) < 64,
        "human: {few} bytes with 40 nodes, {many} with 400"
    );
    let services = |n: usize| {
        let r: Value = serde_json::from_str(&explain(n, &["-A", "-o", "json"])).unwrap();
        (
            r["services"].to_string().len(),
            r["nodes"].as_array().unwrap().len(),
        )
    };
    let (few, many) = (services(40), services(400));
    assert_eq!((few.1, many.1), (40, 400));
    assert!(
        many.0.abs_diff(few.0) < 16,
        "services: {} bytes with 40 nodes, {} with 400",
        few.0,
        many.0
    );
}
