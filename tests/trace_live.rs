//! `svcx trace` against a live cluster: the test API server in
//! `tests/support/` serves the demo manifest over HTTPS on 127.0.0.1, and the
//! trace resolves addresses from what it lists. The addresses traced
//! (203.0.113.10, 10.0.0.12) are only looked up in that data; no connection
//! is made to them. `--probe`, which connects, runs live only, against a
//! cluster whose node and load balancer are 127.0.0.1.

use crate::common;

use common::Cluster;
use serde_json::Value;

/// The JSON a run printed (exit 0, or 1 for findings).
fn json(cluster: &Cluster, args: &[&str]) -> Value {
    let run = cluster.svcx(args);
    assert!(run.code == 0 || run.code == 1, "{run}");
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON on stdout ({e}):\n{run}"))
}

fn hops(report: &Value) -> &Vec<Value> {
    report["services"][0]["paths"][0]["hops"]
        .as_array()
        .expect("hops")
}

/// Drops what legitimately differs between a live and a demo run: where
/// objects came from, and notices about kinds the test server does not serve.
fn comparable(mut v: Value) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                map.remove("origin");
                map.remove("span");
                map.remove("source");
                map.remove("notices");
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    v
}

#[test]
fn trace_by_load_balancer_ip_live() {
    let cluster = Cluster::demo();
    let report = json(&cluster, &["trace", "-A", "-o", "json", "203.0.113.10:80"]);
    assert_eq!(report["target"]["matched"], "load-balancer-ip");
    assert_eq!(report["target"]["service"], "shop/storefront");
    let hops = hops(&report);
    assert_eq!(hops[0]["kind"], "load-balancer");
    assert_eq!(hops[0]["address"], "203.0.113.10");
    let node_c = hops.iter().find(|h| h["name"] == "node-c").expect("node-c");
    assert_eq!(
        node_c["verdict"], "warn",
        "no local endpoint under Local: {node_c}"
    );
    assert_eq!(report["verdict"], "warn");
    // Only reads reached the server.
    assert!(cluster.server.requests().iter().all(|r| r.method == "GET"));
}

#[test]
fn trace_by_node_port_live() {
    let cluster = Cluster::demo();
    let run = cluster.svcx(&["trace", "-A", "10.0.0.12:31080"]);
    assert_eq!(run.code, 0, "{run}");
    let report = json(&cluster, &["trace", "-A", "-o", "json", "10.0.0.12:31080"]);
    assert_eq!(report["target"]["service"], "shop/checkout");
    assert_eq!(report["target"]["node"], "node-b");
    let nodes: Vec<&Value> = hops(&report)
        .iter()
        .filter(|h| h["kind"] == "node")
        .collect();
    assert_eq!(nodes.len(), 1);
    assert_eq!(nodes[0]["port"], 31080);
    let eps = hops(&report)
        .iter()
        .find(|h| h["kind"] == "endpoints")
        .expect("endpoints");
    assert_eq!(eps["verdict"], "warn", "one of two pods is not ready");
    common::settings().bind(|| insta::assert_snapshot!("live_by_node_port_human", run.stdout));
}

#[test]
fn live_and_demo_trace_alike() {
    let cluster = Cluster::demo();
    let live = json(&cluster, &["trace", "-A", "-o", "json"]);
    let run = common::svcx(&["trace", "--demo", "-o", "json"]);
    let demo: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(comparable(live), comparable(demo));
}

/// The demo's Gateway, live: a host and path trace client → Gateway
/// address → listener → route rule → backendRef → endpoints, as offline;
/// a Gateway address and port trace every Service routed there.
#[test]
fn trace_through_a_gateway_live() {
    let cluster = Cluster::demo();
    let args = [
        "trace",
        "-A",
        "-o",
        "json",
        "shop.example.com/api/catalog/items",
    ];
    let live = json(&cluster, &args);
    assert_eq!(live["target"]["matched"], "host-path");
    assert_eq!(live["target"]["service"], "shop/catalog");
    let kinds: Vec<&str> = hops(&live)
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .take(5)
        .collect();
    assert_eq!(
        kinds,
        ["gateway", "listener", "route", "backend-ref", "endpoints"]
    );
    assert_eq!(hops(&live)[0]["address"], "203.0.113.40");
    assert_eq!(hops(&live)[0]["port"], 443);
    let offline = common::svcx(&[
        "trace",
        "--demo",
        "-o",
        "json",
        "shop.example.com/api/catalog/items",
    ]);
    let offline: Value = serde_json::from_str(&offline.stdout).expect("JSON");
    assert_eq!(comparable(live), comparable(offline));

    let at_gateway = json(&cluster, &["trace", "-A", "-o", "json", "203.0.113.40:443"]);
    assert_eq!(at_gateway["target"]["gateway"], "infra/public");
    assert!(
        at_gateway["target"].get("service").is_none(),
        "several Services"
    );
    let services: Vec<&str> = at_gateway["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(services, ["catalog", "recommendations", "storefront"]);
    assert!(cluster.server.requests().iter().all(|r| r.method == "GET"));
}

#[test]
fn live_pending_load_balancer_is_broken() {
    let cluster = Cluster::demo();
    let run = cluster.svcx(&["trace", "-n", "shop", "promo"]);
    assert_eq!(run.code, 1, "{run}");
    assert!(run.stdout.contains("kubectl shows <pending>"), "{run}");
}

/// A cluster whose node and load balancer are 127.0.0.1: the load balancer
/// port is closed, the nodePort has a listener. Nothing else is probed.
fn loopback_cluster(closed: u16, open: u16) -> String {
    format!(
        "apiVersion: v1\nkind: Node\nmetadata: {{name: local}}\nstatus:\n  addresses: [{{type: InternalIP, address: 127.0.0.1}}]\n  conditions: [{{type: Ready, status: \"True\"}}]\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: loop, namespace: probe}}\nspec:\n  type: LoadBalancer\n  clusterIP: 10.96.9.9\n  selector: {{app: loop}}\n  ports: [{{name: tcp, port: {closed}, targetPort: 8080, nodePort: {open}}}]\nstatus: {{loadBalancer: {{ingress: [{{ip: 127.0.0.1}}]}}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: loop-1, namespace: probe, labels: {{app: loop}}}}\nspec:\n  nodeName: local\n  containers: [{{name: app, image: app, ports: [{{containerPort: 8080}}]}}]\nstatus: {{phase: Running, podIP: 10.244.9.9, conditions: [{{type: Ready, status: \"True\"}}]}}\n"
    )
}

#[test]
fn probe_reports_open_and_refused_beside_the_verdict() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let open = listener.local_addr().expect("address").port();
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        l.local_addr().expect("address").port()
    };
    let cluster = Cluster::serving(&loopback_cluster(closed, open));
    let report = json(
        &cluster,
        &[
            "trace",
            "-A",
            "-o",
            "json",
            "--probe",
            "--probe-timeout",
            "2s",
            "probe/loop",
        ],
    );
    assert_eq!(report["probed"], true);
    let hops = hops(&report);
    let lb = hops
        .iter()
        .find(|h| h["kind"] == "load-balancer")
        .expect("lb hop");
    assert_eq!(lb["verdict"], "ok", "the computed verdict stays");
    assert_eq!(lb["probe"]["result"], "refused", "{lb}");
    let node = hops.iter().find(|h| h["kind"] == "node").expect("node hop");
    assert_eq!(node["probe"]["result"], "open", "{node}");
    let cluster_ip = hops
        .iter()
        .find(|h| h["kind"] == "cluster-ip")
        .expect("cluster ip hop");
    assert!(
        cluster_ip.get("probe").is_none(),
        "in-cluster addresses are never probed"
    );
    // Human output shows the observation beside the verdict.
    let run = cluster.svcx(&["trace", "-A", "--probe", "probe/loop"]);
    assert!(run.stdout.contains("probe: open: connected"), "{run}");
    assert!(
        run.stdout
            .contains("probe: refused: connection refused (differs from the computed verdict)"),
        "{run}"
    );
    drop(listener);
}
