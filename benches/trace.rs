//! Benchmark: `trace` over every Service of a generated cluster, at 1k and
//! 10k Services (10 pods each: 10k and 100k Pods; one EndpointSlice each; a
//! node per 10 Services), to show that the work per Service does not grow
//! with the size of the cluster. The snapshot is built in memory from typed
//! objects; only the pure analysis is timed (no loading, no rendering).
//!
//! Mixed like a real cluster: most Services are ClusterIP; every 10th is a
//! NodePort, every 50th a LoadBalancer with `externalTrafficPolicy: Local`
//! (so the node layer is exercised, folded past 16 nodes), every 100th has a
//! selector typo (so the nearest-selector search runs), and targetPorts are
//! named (resolved per pod).
//!
//!     cargo bench --bench trace
//!     SVCX_BENCH_SIZES=1000,10000,20000 cargo bench --bench trace

#[path = "shared/mod.rs"]
mod shared;

use serde_json::{Value, json};
use std::time::Instant;
use svcx::{Origin, Scope, Snapshot, SourceInfo};

const PODS_PER_SERVICE: usize = 10;
const SERVICES_PER_NAMESPACE: usize = 100;
const SERVICES_PER_NODE: usize = 10;
const ROUNDS: usize = 5;

fn ip(n: usize) -> String {
    format!("10.{}.{}.{}", 100 + n / 65_536, (n / 256) % 256, n % 256)
}

fn service(ns: &str, name: &str, i: usize) -> Value {
    let selector_app = if i % 100 == 99 {
        format!("{name}x")
    } else {
        name.to_string()
    };
    let (kind, extra) = match i % 50 {
        0 => (
            "LoadBalancer",
            json!({"externalTrafficPolicy": "Local", "healthCheckNodePort": 32000 + (i % 700)}),
        ),
        _ if i % 10 == 5 => ("NodePort", json!({"externalTrafficPolicy": "Cluster"})),
        _ => ("ClusterIP", json!({})),
    };
    let mut spec = json!({
        "type": kind,
        "selector": {"app": selector_app},
        "clusterIP": format!("172.{}.{}.{}", 16 + i / 65_536, (i / 256) % 256, i % 256),
        "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}],
    });
    if kind != "ClusterIP" {
        spec["ports"][0]["nodePort"] = json!(30000 + (i % 2767));
    }
    if let (Some(s), Some(e)) = (spec.as_object_mut(), extra.as_object()) {
        s.extend(e.clone());
    }
    let mut svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns}, "spec": spec});
    if kind == "LoadBalancer" {
        svc["status"] = json!({"loadBalancer": {"ingress": [{"ip": format!("198.18.{}.{}", i / 256 % 256, i % 256)}]}});
    }
    svc
}

fn pod(ns: &str, name: &str, app: &str, ip: &str, node: &str) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "labels": {"app": app, "pod-template-hash": "7d9c6b"}},
        "spec": {"nodeName": node, "containers": [{"name": "app", "image": "app", "ports": [{"name": "http", "containerPort": 8080}]}]},
        "status": {"podIP": ip, "conditions": [{"type": "Ready", "status": "True"}]},
    })
}

fn slice(ns: &str, service: &str, endpoints: &[(String, String, String)]) -> Value {
    let eps: Vec<Value> = endpoints
        .iter()
        .map(|(ip, pod, node)| {
            json!({"addresses": [ip], "nodeName": node, "conditions": {"ready": true, "serving": true, "terminating": false},
                   "targetRef": {"kind": "Pod", "name": pod, "namespace": ns}})
        })
        .collect();
    json!({
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"name": format!("{service}-abcde"), "namespace": ns, "labels": {"kubernetes.io/service-name": service}},
        "addressType": "IPv4",
        "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
        "endpoints": eps,
    })
}

fn node(name: &str, ip: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name},
           "status": {"addresses": [{"type": "InternalIP", "address": ip}], "conditions": [{"type": "Ready", "status": "True"}]}})
}

/// A snapshot of `services` Services, their pods and slices, and nodes.
fn cluster(services: usize) -> Snapshot {
    let mut snap = Snapshot::new(SourceInfo::Demo, Scope::AllNamespaces);
    let mut add = |v: Value| {
        snap.ingest(v, Origin::Demo { line: 0 }, "default")
            .expect("generated objects fit their schema");
    };
    let nodes = (services / SERVICES_PER_NODE).max(1);
    for n in 0..nodes {
        add(node(
            &format!("node-{n:05}"),
            &format!("192.168.{}.{}", n / 250, n % 250 + 1),
        ));
    }
    let mut pod_n = 0;
    for i in 0..services {
        let ns = format!("ns-{}", i / SERVICES_PER_NAMESPACE);
        let name = format!("svc-{i:05}");
        add(service(&ns, &name, i));
        let mut eps = Vec::with_capacity(PODS_PER_SERVICE);
        for p in 0..PODS_PER_SERVICE {
            let pod_name = format!("{name}-{p}");
            let node = format!("node-{:05}", pod_n % nodes);
            let addr = ip(pod_n);
            add(pod(&ns, &pod_name, &name, &addr, &node));
            eps.push((addr, pod_name, node));
            pod_n += 1;
        }
        add(slice(&ns, &name, &eps));
    }
    snap.nodes_known = true;
    snap.finish()
}

fn main() {
    if shared::listing_only() {
        return;
    }
    let sizes: Vec<usize> = std::env::var("SVCX_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| vec![1_000, 10_000]);
    println!(
        "{:>9} {:>8} {:>7} {:>10} {:>12} {:>14} {:>10}",
        "services", "pods", "nodes", "build", "trace all", "per Service", "hops"
    );
    let mut per_service = Vec::new();
    for &n in &sizes {
        let t = Instant::now();
        let snap = cluster(n);
        let build = t.elapsed();
        let mut times = Vec::new();
        let mut hops = 0;
        for _ in 0..ROUNDS {
            let t = Instant::now();
            let report = svcx::trace(&snap, None, None).expect("every Service traces");
            times.push(t.elapsed());
            hops = report
                .services
                .iter()
                .flat_map(|s| &s.paths)
                .map(|p| p.hops.len())
                .sum();
            assert_eq!(report.services.len(), n);
            std::hint::black_box(&report);
        }
        let all = shared::median(times);
        let each = all / n as u32;
        per_service.push((n, each));
        println!(
            "{n:>9} {:>8} {:>7} {:>9.0?} {:>11.1?} {:>13.1?} {hops:>10}",
            snap.pods.len(),
            snap.nodes.len(),
            build,
            all,
            each
        );
    }
    if let (Some((n0, t0)), Some((n1, t1))) = (per_service.first(), per_service.last())
        && n1 > n0
    {
        println!(
            "per-Service time at {n1} / at {n0}: {:.2} (1.00 = the work per Service does not grow with the cluster)",
            t1.as_secs_f64() / t0.as_secs_f64()
        );
    }
}
