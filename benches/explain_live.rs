//! Benchmark: `svcx explain -A -o json` against `kubectl get
//! svc,endpointslices,pods,nodes -A -o json`, side by side, and against the
//! time the server itself needs to answer those lists, on generated clusters
//! served by the test API server over HTTPS on 127.0.0.1. Each size has N
//! Services in 10 namespaces, 10 Pods and one EndpointSlice per Service, and
//! N/10 Nodes; Pods, Services and EndpointSlices carry what real ones do
//! (managed fields, annotations, environment, volumes, statuses). Reports
//! wall time and peak resident memory of each command (GNU time), and the
//! wall time of a plain client that fetches the same lists as raw pages of
//! 500 without decoding them. Runs alternate so machine noise hits all alike.
//!
//! cargo bench --bench explain_live                              (2k and 10k Services)
//! SVCX_BENCH_SIZES=2000 cargo bench --bench explain_live        (one size)
//! SVCX_BENCH_BIN=/old/svcx,/new/svcx cargo bench --bench explain_live
//!                                            (other builds of svcx, measured in the same rounds)
//! SVCX_BENCH_ROUNDS=5 cargo bench --bench explain_live          (more rounds; default 3)
//! SVCX_BENCH_SERVE=10000 cargo bench --bench explain_live       (only serve that cluster, to profile
//!                                                                against it; prints the kubeconfig)

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
/// One Node per this many Services.
const SERVICES_PER_NODE: usize = 10;
/// Objects per list request, as svcx and kubectl ask for them.
const PAGE: usize = 500;

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

/// Managed fields as the API server records them for an object's writers.
fn managed_fields(manager: &str, fields: Value) -> Value {
    json!([{"manager": manager, "operation": "Update", "apiVersion": "v1", "time": "2026-11-01T10:00:00Z",
            "fieldsType": "FieldsV1", "fieldsV1": fields}])
}

/// Gives a generated Service what `kubectl apply` leaves on a real one: the
/// last applied configuration and managed fields.
fn weigh_service(mut svc: Value) -> Value {
    let applied = svc.to_string();
    svc["metadata"]["annotations"] =
        json!({"kubectl.kubernetes.io/last-applied-configuration": applied});
    svc["metadata"]["managedFields"] = managed_fields(
        "kubectl-client-side-apply",
        json!({"f:metadata": {"f:annotations": {".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {}}, "f:labels": {".": {}, "f:app": {}}},
               "f:spec": {"f:internalTrafficPolicy": {}, "f:ports": {".": {}, "k:{\"port\":80,\"protocol\":\"TCP\"}": {".": {}, "f:name": {}, "f:port": {}, "f:protocol": {}, "f:targetPort": {}}},
                          "f:selector": {}, "f:sessionAffinity": {}, "f:type": {}}}),
    );
    svc["metadata"]["uid"] = json!("5d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    svc["metadata"]["resourceVersion"] = json!("123456");
    svc["metadata"]["creationTimestamp"] = json!("2026-11-01T10:00:00Z");
    svc["spec"]["clusterIP"] = json!("10.96.0.10");
    svc["spec"]["clusterIPs"] = json!(["10.96.0.10"]);
    svc["spec"]["ipFamilies"] = json!(["IPv4"]);
    svc["spec"]["ipFamilyPolicy"] = json!("SingleStack");
    svc["spec"]["internalTrafficPolicy"] = json!("Cluster");
    svc["spec"]["sessionAffinity"] = json!("None");
    svc["status"] = json!({"loadBalancer": {}});
    svc
}

/// Gives a generated EndpointSlice what the controller writes on a real one.
fn weigh_slice(mut slice: Value) -> Value {
    slice["metadata"]["managedFields"] = managed_fields(
        "endpointslice-controller.k8s.io",
        json!({"f:addressType": {}, "f:endpoints": {}, "f:metadata": {"f:generateName": {}, "f:labels": {".": {}, "f:endpointslice.kubernetes.io/managed-by": {}, "f:kubernetes.io/service-name": {}}, "f:ownerReferences": {}}, "f:ports": {}}),
    );
    slice["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"] =
        json!("endpointslice-controller.k8s.io");
    slice["metadata"]["annotations"] =
        json!({"endpoints.kubernetes.io/last-change-trigger-time": "2026-11-01T10:00:05Z"});
    if let Some(eps) = slice["endpoints"].as_array_mut() {
        for ep in eps {
            ep["targetRef"]["uid"] = json!("0b6c1d0e-5f0e-4c2a-9d7e-3f1b2a4c5d6e");
        }
    }
    slice
}

/// A cluster of `services` Services, their Pods and EndpointSlices, and
/// `services / SERVICES_PER_NODE` Nodes.
fn cluster(services: usize) -> (Vec<Value>, usize, usize) {
    let nodes = (services / SERVICES_PER_NODE).max(1);
    let mut out = Vec::with_capacity(services * (PODS_PER_SERVICE + 2) + nodes);
    for n in 0..nodes {
        out.push(objects::node(
            &format!("node-{n:04}"),
            &format!("192.168.{}.{}", n / 250, n % 250 + 1),
        ));
    }
    let mut pod_n = 0usize;
    for s in 0..services {
        let ns = format!("ns-{}", s % NAMESPACES);
        let name = format!("svc-{s:05}");
        out.push(weigh_service(objects::service(&ns, &name)));
        let mut eps = Vec::with_capacity(PODS_PER_SERVICE);
        for p in 0..PODS_PER_SERVICE {
            let pod = format!("{name}-{p}");
            let ip = objects::ip(pod_n);
            let node = format!("node-{:04}", pod_n % nodes);
            out.push(weigh_pod(objects::pod(&ns, &pod, &name, &ip, &node)));
            eps.push((ip, pod, node));
            pod_n += 1;
        }
        out.push(weigh_slice(objects::endpoint_slice(
            &ns,
            &name,
            &format!("{name}-abcde"),
            &eps,
        )));
    }
    (out, pod_n, nodes)
}

/// The list paths svcx and kubectl read (`kubectl get
/// svc,endpointslices,pods,nodes -A`).
const LISTS: [&str; 4] = [
    "/api/v1/services",
    "/apis/discovery.k8s.io/v1/endpointslices",
    "/api/v1/pods",
    "/api/v1/nodes",
];

/// What a plain client measured: wall seconds and bytes received.
struct Fetched {
    wall: f64,
    bytes: usize,
}

/// Fetches every page of one list as text, without decoding the items (only
/// the continue token is read). Returns the bytes received.
async fn fetch_list(client: &kube::Client, path: &str) -> usize {
    #[derive(serde::Deserialize)]
    struct Head {
        metadata: Meta,
    }
    #[derive(serde::Deserialize)]
    struct Meta {
        #[serde(rename = "continue")]
        continue_: Option<String>,
    }
    let mut bytes = 0;
    let mut token: Option<String> = None;
    loop {
        let mut uri = format!("{path}?limit={PAGE}");
        if let Some(t) = &token {
            uri.push_str("&continue=");
            uri.push_str(t);
        }
        let request = hyper::Request::get(uri)
            .body(Vec::new())
            .expect("a request");
        let text = client
            .request_text(request)
            .await
            .expect("the list answers");
        bytes += text.len();
        let head: Head = serde_json::from_str(&text).expect("a list");
        match head.metadata.continue_ {
            Some(t) if !t.is_empty() => token = Some(t),
            _ => return bytes,
        }
    }
}

/// The server's own answer time: the four lists fetched as raw pages, all
/// at once (as svcx lists them) or one after another (as kubectl does).
fn fetch_all(kubeconfig: &Path, concurrently: bool) -> Fetched {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let kc = kube::config::Kubeconfig::read_from(kubeconfig).expect("the kubeconfig");
        let config = kube::Config::from_custom_kubeconfig(kc, &Default::default())
            .await
            .expect("a client config");
        let client = kube::Client::try_from(config).expect("a client");
        let start = std::time::Instant::now();
        let bytes = if concurrently {
            let (a, b, c, d) = tokio::join!(
                fetch_list(&client, LISTS[0]),
                fetch_list(&client, LISTS[1]),
                fetch_list(&client, LISTS[2]),
                fetch_list(&client, LISTS[3]),
            );
            a + b + c + d
        } else {
            let mut total = 0;
            for path in LISTS {
                total += fetch_list(&client, path).await;
            }
            total
        };
        Fetched {
            wall: start.elapsed().as_secs_f64(),
            bytes,
        }
    })
}

fn main() {
    if shared::listing_only() {
        return;
    }
    let sizes: Vec<usize> = std::env::var("SVCX_BENCH_SIZES")
        .unwrap_or_else(|_| "2000,10000".into())
        .split(',')
        .map(|s| s.trim().parse().expect("SVCX_BENCH_SIZES: Service counts"))
        .collect();
    let rounds: usize = std::env::var("SVCX_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let builds: Vec<String> = std::env::var("SVCX_BENCH_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_svcx").into())
        .split(',')
        .map(str::to_string)
        .collect();
    if let Some(services) = std::env::var("SVCX_BENCH_SERVE")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        serve(services);
    }
    for services in sizes {
        run(services, rounds, &builds);
    }
    for svcx in &builds {
        demo(svcx);
    }
}

/// Serves one generated cluster and measures the server, each build of
/// svcx and kubectl on it.
fn run(services: usize, rounds: usize, builds: &[String]) {
    let (objects_list, pods, nodes) = cluster(services);
    eprintln!(
        "generated {services} Services, {pods} Pods, {services} EndpointSlices, {nodes} Nodes"
    );
    let server = support::ApiServer::builder().objects(objects_list).start();
    let dir = tempfile::tempdir().expect("tempdir");
    let kubeconfig = server.kubeconfig().write(dir.path());
    let kc = kubeconfig.to_str().expect("utf-8 path");
    let cache = dir.path().join("kubectl-cache");
    let cache = cache.to_str().expect("utf-8 path");
    let report = dir.path().join("time.txt");
    let svcx_args = [
        "explain",
        "-A",
        "-o",
        "json",
        "--kubeconfig",
        kc,
        "--request-timeout",
        "600s",
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
        "600s",
    ];

    // Warm up each (kubectl fills its discovery cache, as it would in daily
    // use), and note how much each one reads and writes.
    let listed = fetch_all(&kubeconfig, true);
    fetch_all(&kubeconfig, false);
    let out_bytes: Vec<usize> = builds
        .iter()
        .map(|svcx| output_size(svcx, &svcx_args))
        .collect();
    measure("kubectl", &kubectl_args, &report);
    let (mut cw, mut qw, mut kw, mut km) = (vec![], vec![], vec![], vec![]);
    let mut sw = vec![Vec::new(); builds.len()];
    let mut sm = vec![Vec::new(); builds.len()];
    for _ in 0..rounds {
        let c = fetch_all(&kubeconfig, true);
        let q = fetch_all(&kubeconfig, false);
        eprint!(
            "round: server {:.2}s (one after another {:.2}s)",
            c.wall, q.wall
        );
        for (i, svcx) in builds.iter().enumerate() {
            let s = measure(svcx, &svcx_args, &report);
            eprint!(", svcx {:.2}s {} MiB", s.wall, s.max_rss_kib / 1024);
            sw[i].push(s.wall);
            sm[i].push(s.max_rss_kib as f64 / 1024.0);
        }
        let k = measure("kubectl", &kubectl_args, &report);
        eprintln!(", kubectl {:.2}s {} MiB", k.wall, k.max_rss_kib / 1024);
        cw.push(c.wall);
        qw.push(q.wall);
        kw.push(k.wall);
        km.push(k.max_rss_kib as f64 / 1024.0);
    }
    let [cw, qw, kw, km] = [cw, qw, kw, km].map(shared::median);
    let mib = |b: usize| b as f64 / (1024.0 * 1024.0);
    println!(
        "explain_live services={services} pods={pods} nodes={nodes} rounds={rounds} (medians); \
         lists {:.0} MiB of JSON",
        mib(listed.bytes),
    );
    println!("  server: the 4 lists as raw pages, concurrently            {cw:7.2} s");
    println!("  server: the 4 lists as raw pages, one after another       {qw:7.2} s");
    println!(
        "  kubectl get svc,endpointslices,pods,nodes -A -o json      {kw:7.2} s  {km:6.0} MiB"
    );
    for (i, svcx) in builds.iter().enumerate() {
        let (w, m) = (shared::median(sw[i].clone()), shared::median(sm[i].clone()));
        println!(
            "  {svcx} explain -A -o json: {w:.2} s, {m:.0} MiB, output {:.0} MiB",
            mib(out_bytes[i])
        );
        println!(
            "    against kubectl: wall {:.2}x, peak memory {:.2}x; against the server (concurrent): wall {:.2}x",
            w / kw,
            m / km,
            w / cw
        );
    }
}

/// Serves one generated cluster until the process is stopped.
fn serve(services: usize) -> ! {
    let (objects_list, pods, nodes) = cluster(services);
    let server = support::ApiServer::builder().objects(objects_list).start();
    let dir = tempfile::tempdir().expect("tempdir");
    let kubeconfig = server.kubeconfig().write(dir.path());
    println!(
        "serving {services} Services, {pods} Pods, {nodes} Nodes; kubeconfig: {}",
        kubeconfig.display()
    );
    loop {
        std::thread::park();
    }
}

/// Bytes svcx writes to stdout.
fn output_size(program: &str, args: &[&str]) -> usize {
    let out = Command::new(program)
        .args(args)
        .env_clear()
        .stderr(Stdio::inherit())
        .output()
        .expect("svcx runs");
    assert!(out.status.success(), "{program} {args:?} failed");
    out.stdout.len()
}

/// The demo answers from memory: milliseconds (GNU time rounds to 10 ms, so
/// time it here, median of 11 runs).
fn demo(svcx: &str) {
    let demo_ms: Vec<f64> = (0..11)
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
    println!(
        "{svcx} explain --demo -o json: {:.1} ms",
        shared::median(demo_ms)
    );
}
