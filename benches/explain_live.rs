//! Benchmark: `svcx explain -A -o json` against `kubectl get
//! svc,endpointslices,pods,nodes -A -o json`, side by side, on one generated
//! cluster (10k Services, 100k Pods shaped like real ones, 10k EndpointSlices,
//! 1k Nodes) served by
//! the test API server on 127.0.0.1. Reports wall time and peak memory of each,
//! and their ratio. Runs alternate so machine noise hits both alike.
//!
//! cargo bench --bench explain_live            (full size)
//! SVCX_BENCH_SERVICES=1000 cargo bench --bench explain_live   (smaller)

#[path = "shared/mod.rs"]
mod shared;

#[path = "../tests/support/mod.rs"]
mod support;

use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Stdio};
use support::objects;

const NAMESPACES: usize = 10;
const PODS_PER_SERVICE: usize = 10;
const NODES: usize = 1000;
const ROUNDS: usize = 3;

struct Sample {
    wall: f64,
    max_rss_kib: u64,
}

/// Runs a command under GNU time, discarding stdout, and reads wall seconds
/// and peak resident memory from its report.
fn measure(program: &str, args: &[&str], report: &Path) -> Sample {
    let status = Command::new("/usr/bin/time")
        .args(["-f", "%e %M", "-o"])
        .arg(report)
        .arg(program)
        .args(args)
        .env_clear()
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .status()
        .expect("/usr/bin/time runs");
    assert!(status.success(), "{program} {args:?} failed");
    let text = std::fs::read_to_string(report).expect("time wrote its report");
    let mut it = text.split_whitespace();
    Sample {
        wall: it
            .next()
            .and_then(|s| s.parse().ok())
            .expect("wall seconds"),
        max_rss_kib: it.next().and_then(|s| s.parse().ok()).expect("max rss"),
    }
}

/// Gives a generated pod the weight a real one carries: managed fields,
/// annotations, environment, resources, volumes and container statuses (the
/// shape `kubectl get pod -o json` shows for a typical Deployment's pod).
fn weigh_pod(mut pod: Value) -> Value {
    let name = pod["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    pod["metadata"]["annotations"] = json!({"kubectl.kubernetes.io/restartedAt": "2026-11-01T10:00:00Z", "prometheus.io/scrape": "true"});
    pod["metadata"]["ownerReferences"] = json!([{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": format!("{name}-rs"), "uid": "0b6c1d0e-5f0e-4c2a-9d7e-3f1b2a4c5d6e", "controller": true, "blockOwnerDeletion": true}]);
    pod["metadata"]["managedFields"] = json!([
        {"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "v1", "time": "2026-11-01T10:00:00Z", "fieldsType": "FieldsV1",
         "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}, "f:ownerReferences": {}}, "f:spec": {"f:containers": {"k:{\"name\":\"app\"}": {".": {}, "f:env": {}, "f:image": {}, "f:ports": {}, "f:resources": {}}}}}},
        {"manager": "kubelet", "operation": "Update", "apiVersion": "v1", "time": "2026-11-01T10:00:05Z", "fieldsType": "FieldsV1", "subresource": "status",
         "fieldsV1": {"f:status": {"f:conditions": {}, "f:containerStatuses": {}, "f:podIP": {}, "f:podIPs": {}, "f:startTime": {}}}}
    ]);
    let container = &mut pod["spec"]["containers"][0];
    container["env"] = json!([
        {"name": "LOG_LEVEL", "value": "info"}, {"name": "PORT", "value": "8080"},
        {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        {"name": "DATABASE_URL", "valueFrom": {"secretKeyRef": {"name": "db", "key": "url"}}}
    ]);
    container["resources"] =
        json!({"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}});
    container["readinessProbe"] =
        json!({"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 10});
    container["volumeMounts"] = json!([{"name": "kube-api-access", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "readOnly": true}]);
    pod["spec"]["volumes"] = json!([{"name": "kube-api-access", "projected": {"sources": [{"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}, {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}}]}}]);
    pod["spec"]["tolerations"] = json!([{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]);
    pod["status"]["containerStatuses"] = json!([{"name": "app", "ready": true, "restartCount": 0, "image": "example/app:1", "imageID": "example/app@sha256:0000000000000000000000000000000000000000000000000000000000000000", "containerID": "containerd://0000000000000000000000000000000000000000000000000000000000000000", "started": true, "state": {"running": {"startedAt": "2026-11-01T10:00:04Z"}}}]);
    pod
}

fn main() {
    if shared::listing_only() {
        return;
    }
    let services: usize = std::env::var("SVCX_BENCH_SERVICES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let mut objects_list = Vec::with_capacity(services * 12 + NODES);
    for n in 0..NODES {
        objects_list.push(objects::node(
            &format!("node-{n:04}"),
            &format!("192.168.{}.{}", n / 250, n % 250 + 1),
        ));
    }
    let mut pod_n = 0usize;
    for s in 0..services {
        let ns = format!("ns-{}", s % NAMESPACES);
        let name = format!("svc-{s:05}");
        objects_list.push(objects::service(&ns, &name));
        let mut eps = Vec::with_capacity(PODS_PER_SERVICE);
        for p in 0..PODS_PER_SERVICE {
            let pod = format!("{name}-{p}");
            let ip = objects::ip(pod_n);
            let node = format!("node-{:04}", pod_n % NODES);
            objects_list.push(weigh_pod(objects::pod(&ns, &pod, &name, &ip, &node)));
            eps.push((ip, pod, node));
            pod_n += 1;
        }
        objects_list.push(objects::endpoint_slice(
            &ns,
            &name,
            &format!("{name}-abcde"),
            &eps,
        ));
    }
    eprintln!(
        "generated {services} Services, {pod_n} Pods, {services} EndpointSlices, {NODES} Nodes"
    );
    let server = support::ApiServer::builder().objects(objects_list).start();
    let dir = tempfile::tempdir().expect("tempdir");
    let kubeconfig = server.kubeconfig().write(dir.path());
    let kc = kubeconfig.to_str().expect("utf-8 path");
    let cache = dir.path().join("kubectl-cache");
    let cache = cache.to_str().expect("utf-8 path");
    let report = dir.path().join("time.txt");
    let svcx = env!("CARGO_BIN_EXE_svcx");
    let svcx_args = [
        "explain",
        "-A",
        "-o",
        "json",
        "--kubeconfig",
        kc,
        "--request-timeout",
        "300s",
    ];
    let kubectl_args = [
        "get",
        "svc,endpointslices,pods,nodes",
        "-A",
        "-o",
        "json",
        "--kubeconfig",
        kc,
        "--cache-dir",
        cache,
        "--request-timeout",
        "300s",
    ];

    // Warm up both (kubectl fills its discovery cache, as it would in daily use).
    measure(svcx, &svcx_args, &report);
    measure("kubectl", &kubectl_args, &report);
    let (mut sw, mut sm, mut kw, mut km) = (vec![], vec![], vec![], vec![]);
    for _ in 0..ROUNDS {
        let s = measure(svcx, &svcx_args, &report);
        let k = measure("kubectl", &kubectl_args, &report);
        eprintln!(
            "round: svcx {:.2}s {} MiB, kubectl {:.2}s {} MiB",
            s.wall,
            s.max_rss_kib / 1024,
            k.wall,
            k.max_rss_kib / 1024
        );
        sw.push(s.wall);
        sm.push(s.max_rss_kib as f64 / 1024.0);
        kw.push(k.wall);
        km.push(k.max_rss_kib as f64 / 1024.0);
    }
    let (sw, sm, kw, km) = (
        shared::median(sw),
        shared::median(sm),
        shared::median(kw),
        shared::median(km),
    );
    println!(
        "explain_live services={services} pods={pod_n} nodes={NODES} rounds={ROUNDS} (medians)"
    );
    println!("  svcx explain -A -o json                            {sw:7.2} s  {sm:8.0} MiB");
    println!("  kubectl get svc,endpointslices,pods,nodes -A -o json {kw:5.2} s  {km:8.0} MiB");
    println!(
        "  ratio svcx/kubectl: wall {:.2}x, peak memory {:.2}x",
        sw / kw,
        sm / km
    );

    // The demo answers from memory: milliseconds (GNU time rounds to 10 ms,
    // so time it here, median of 11 runs).
    let mut demo_ms: Vec<f64> = (0..11)
        .map(|_| {
            let start = std::time::Instant::now();
            let status = Command::new(svcx)
                .args(["explain", "--demo", "-o", "json"])
                .stdout(Stdio::null())
                .status()
                .expect("svcx runs");
            assert!(status.success());
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    demo_ms.sort_by(|a, b| a.total_cmp(b));
    println!(
        "  svcx explain --demo -o json                        {:7.1} ms",
        demo_ms[5]
    );
}
