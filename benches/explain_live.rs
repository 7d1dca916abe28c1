//! Benchmark: `svcx explain -A -o json` against `kubectl get
//! svc,endpointslices,pods,nodes -A -o json`, side by side, and against the
//! time the server itself needs to answer those lists, on generated clusters
//! served by the test API server over HTTPS on 127.0.0.1. Each size has N
//! Services in 10 namespaces, 10 Pods and one EndpointSlice per Service, and
//! N/10 Nodes; Pods, Services and EndpointSlices carry what real ones do
//! (managed fields, annotations, environment, volumes, statuses). Reports
//! wall time and peak resident memory of each command (GNU time), and the
//! wall time of a plain client that fetches the same lists as raw pages of
//! 500 without decoding them, asking for each next page as soon as its
//! token is in (the floor; the exposed shape also times the same client
//! reading each page whole first, the floor as first measured). Runs
//! alternate so machine noise hits all alike.
//!
//! cargo bench --bench explain_live                              (2k and 10k Services)
//! SVCX_BENCH_SIZES=2000 cargo bench --bench explain_live        (one size)
//! SVCX_BENCH_BIN=/old/svcx,/new/svcx cargo bench --bench explain_live
//!                                            (other builds of svcx, measured in the same rounds)
//! SVCX_BENCH_ROUNDS=5 cargo bench --bench explain_live          (more rounds; default 3)
//! SVCX_BENCH_SERVE=10000 cargo bench --bench explain_live       (only serve that cluster, to profile
//!                                                                against it; prints the kubeconfig;
//!                                                                with SVCX_BENCH_SHAPES=exposed, that shape)
//! SVCX_BENCH_SHAPES=exposed cargo bench --bench explain_live    (only the second shape below; `plain`
//!                                                                only the first; default both)
//!
//! A second shape serves the same cluster with a third of the Services
//! reachable from outside (NodePort, or LoadBalancer with half of those
//! under externalTrafficPolicy Local): there every node is a node port's
//! address, so output and time that grew with Services × nodes show. It
//! measures `svcx explain -A` in human output and in JSON against the same
//! floor (wall, peak memory, and output bytes per Service); kubectl is left
//! out there, having nothing to do with node ports.

#[path = "shared/mod.rs"]
mod shared;

#[path = "../tests/support/mod.rs"]
mod support;

#[path = "shared/cluster.rs"]
mod generated;

#[path = "shared/timed.rs"]
mod timed;

#[path = "shared/served.rs"]
mod served;

use generated::{cluster, cluster_exposed};
use served::Served;
use std::path::Path;
use std::process::{Command, Stdio};
use timed::measure;

/// Objects per list request, as svcx and kubectl ask for them.
const PAGE: usize = 500;

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

/// What the floor clients read of a page: its `continue` token.
#[derive(serde::Deserialize)]
struct Head {
    metadata: Meta,
}

#[derive(serde::Deserialize)]
struct Meta {
    #[serde(rename = "continue")]
    continue_: Option<String>,
}

/// The request for one page of `path`, after the page that ended with
/// `token`.
fn page_uri(path: &str, token: Option<&str>) -> String {
    match token {
        Some(t) => format!("{path}?limit={PAGE}&continue={t}"),
        None => format!("{path}?limit={PAGE}"),
    }
}

/// Fetches every page of one list without decoding the items, as the
/// least any client must do: each page's `continue` token is read from its
/// first bytes (the API server writes `metadata` before `items`), the next
/// page is asked for at once, and the rest of the page is only counted.
/// Returns the bytes received.
async fn fetch_list(client: &kube::Client, path: &'static str) -> usize {
    let mut bytes = 0;
    let mut page = ask(client.clone(), path, None);
    loop {
        let (counted, token) = page;
        let token = token.await.expect("a page's token is told");
        let next = token.map(|t| ask(client.clone(), path, Some(t)));
        bytes += counted.await.expect("a page is read");
        match next {
            Some(n) => page = n,
            None => return bytes,
        }
    }
}

/// The floor as first measured: each page read whole, then its token
/// parsed (serde skipping the items), and only then the next page asked
/// for. svcx asks for the next page before this one is whole, so this is no
/// longer the least a client must do; it is kept to compare with the
/// figures measured against it.
async fn fetch_list_whole(client: &kube::Client, path: &str) -> usize {
    let mut bytes = 0;
    let mut token: Option<String> = None;
    loop {
        let uri = page_uri(path, token.as_deref());
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

/// One page of `path`, in a task of its own: its `continue` token (`None`
/// on the last page) as soon as it is in, and the page's length once it is
/// whole.
fn ask(
    client: kube::Client,
    path: &'static str,
    token: Option<String>,
) -> (
    tokio::task::JoinHandle<usize>,
    tokio::sync::oneshot::Receiver<Option<String>>,
) {
    use http_body_util::BodyExt;
    let (tell, told) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(async move {
        let uri = page_uri(path, token.as_deref());
        let request = hyper::Request::get(uri)
            .body(kube::client::Body::from(Vec::new()))
            .expect("a request");
        let response = client.send(request).await.expect("the list answers");
        assert!(response.status().is_success(), "{}", response.status());
        let mut body = response.into_body();
        let (mut start, mut tell, mut bytes) = (Vec::new(), Some(tell), 0);
        while let Some(frame) = body.frame().await {
            let Ok(data) = frame.expect("the page arrives").into_data() else {
                continue;
            };
            bytes += data.len();
            if tell.is_none() {
                continue;
            }
            start.extend_from_slice(&data);
            // `{"kind":..,"metadata":{..},"items":[`: the object up to
            // `items`, closed, holds the token.
            if let Some(at) = memchr::memmem::find(&start, br#","items":"#) {
                start.truncate(at);
                start.push(b'}');
                let head: Head = serde_json::from_slice(&start).expect("a list's head");
                let token = head.metadata.continue_.filter(|t| !t.is_empty());
                let _ = tell.take().expect("told once").send(token);
            }
        }
        bytes
    });
    (task, told)
}

/// The server's own answer time: the four lists fetched as raw pages, all
/// at once (as svcx lists them) or one after another (as kubectl does).
fn fetch_all(kubeconfig: &Path, concurrently: bool) -> Fetched {
    fetch_all_as(kubeconfig, concurrently, Floor::Streamed)
}

/// How the plain client reads each list.
#[derive(Clone, Copy)]
enum Floor {
    /// [`fetch_list`]: the next page asked for as soon as this one's token
    /// is in.
    Streamed,
    /// [`fetch_list_whole`]: each page read whole before the next is asked
    /// for.
    WholePages,
}

fn fetch_all_as(kubeconfig: &Path, concurrently: bool, floor: Floor) -> Fetched {
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
                one(&client, LISTS[0], floor),
                one(&client, LISTS[1], floor),
                one(&client, LISTS[2], floor),
                one(&client, LISTS[3], floor),
            );
            a + b + c + d
        } else {
            let mut total = 0;
            for path in LISTS {
                total += one(&client, path, floor).await;
            }
            total
        };
        Fetched {
            wall: start.elapsed().as_secs_f64(),
            bytes,
        }
    })
}

/// One list, read as `floor` says.
async fn one(client: &kube::Client, path: &'static str, floor: Floor) -> usize {
    match floor {
        Floor::Streamed => fetch_list(client, path).await,
        Floor::WholePages => fetch_list_whole(client, path).await,
    }
}

fn main() {
    if shared::listing_only() {
        return;
    }
    let sizes = served::sizes("2000,10000");
    let rounds = served::rounds();
    let builds: Vec<String> = std::env::var("SVCX_BENCH_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_svcx").into())
        .split(',')
        .map(str::to_string)
        .collect();
    let shapes = std::env::var("SVCX_BENCH_SHAPES").unwrap_or_else(|_| "plain,exposed".into());
    if let Some(services) = served::serve_only() {
        serve(services, !shapes.contains("plain"));
    }
    for services in sizes {
        if shapes.contains("plain") {
            run(services, rounds, &builds);
        }
        if shapes.contains("exposed") {
            run_exposed(services, rounds, &builds);
        }
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
    let served = Served::start(objects_list);
    let (kubeconfig, dir) = (served.kubeconfig(), served.dir());
    let kc = kubeconfig.to_str().expect("utf-8 path");
    let cache = dir.join("kubectl-cache");
    let cache = cache.to_str().expect("utf-8 path");
    let report = dir.join("time.txt");
    let svcx_args = served::explain_all("json", kc);
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
    let listed = fetch_all(kubeconfig, true);
    fetch_all(kubeconfig, false);
    let out_bytes: Vec<usize> = builds
        .iter()
        .map(|svcx| output_size(svcx, &svcx_args))
        .collect();
    measure("kubectl", &kubectl_args, &report);
    let (mut cw, mut qw, mut kw, mut km) = (vec![], vec![], vec![], vec![]);
    let mut sw = vec![Vec::new(); builds.len()];
    let mut sm = vec![Vec::new(); builds.len()];
    for _ in 0..rounds {
        let c = fetch_all(kubeconfig, true);
        let q = fetch_all(kubeconfig, false);
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

/// Serves the cluster with a third of its Services reachable from outside
/// and measures each build of svcx in human output and in JSON against the
/// floor (the four lists fetched raw, concurrently).
fn run_exposed(services: usize, rounds: usize, builds: &[String]) {
    let (objects_list, pods, nodes) = cluster_exposed(services);
    eprintln!(
        "generated {services} Services (a third NodePort or LoadBalancer), {pods} Pods, {nodes} Nodes"
    );
    let served = Served::start(objects_list);
    let (kubeconfig, dir) = (served.kubeconfig(), served.dir());
    let kc = kubeconfig.to_str().expect("utf-8 path");
    let report = dir.join("time.txt");
    let args = |format: &'static str| served::explain_all(format, kc);
    let formats = ["human", "json"];
    fetch_all(kubeconfig, true);
    // Per build and format: output bytes (from the warm-up), walls, peaks.
    let out_bytes: Vec<Vec<usize>> = builds
        .iter()
        .map(|svcx| {
            formats
                .iter()
                .map(|f| output_size(svcx, &args(f)))
                .collect()
        })
        .collect();
    let (mut floor, mut whole) = (Vec::new(), Vec::new());
    let mut walls = vec![vec![Vec::new(); formats.len()]; builds.len()];
    let mut peaks = vec![vec![Vec::new(); formats.len()]; builds.len()];
    for _ in 0..rounds {
        let c = fetch_all(kubeconfig, true);
        let w = fetch_all_as(kubeconfig, true, Floor::WholePages);
        eprint!("round: server {:.2}s (whole pages {:.2}s)", c.wall, w.wall);
        floor.push(c.wall);
        whole.push(w.wall);
        for (b, svcx) in builds.iter().enumerate() {
            for (f, format) in formats.iter().enumerate() {
                let s = measure(svcx, &args(format), &report);
                eprint!(", {format} {:.2}s {} MiB", s.wall, s.max_rss_kib / 1024);
                walls[b][f].push(s.wall);
                peaks[b][f].push(s.max_rss_kib as f64 / 1024.0);
            }
        }
        eprintln!();
    }
    let (floor, whole) = (shared::median(floor), shared::median(whole));
    println!(
        "explain_live exposed: services={services} (a third NodePort or LoadBalancer) pods={pods} \
         nodes={nodes} rounds={rounds} (medians)"
    );
    println!("  server: the 4 lists as raw pages, concurrently (the floor) {floor:7.2} s");
    println!("  server: the same, each page read whole before the next    {whole:7.2} s");
    for (b, svcx) in builds.iter().enumerate() {
        for (f, format) in formats.iter().enumerate() {
            let w = shared::median(walls[b][f].clone());
            let m = shared::median(peaks[b][f].clone());
            let bytes = out_bytes[b][f];
            println!(
                "  {svcx} explain -A -o {format}: {w:.2} s ({:.2}x the floor, {:.2}x whole pages), \
                 {m:.0} MiB, output {:.1} MiB ({:.0} bytes per Service)",
                w / floor,
                w / whole,
                bytes as f64 / (1024.0 * 1024.0),
                bytes as f64 / services as f64
            );
        }
    }
}

/// Serves one generated cluster until the process is stopped: the exposed
/// shape when `SVCX_BENCH_SHAPES` names only that one.
fn serve(services: usize, exposed: bool) -> ! {
    let (objects_list, pods, nodes) = if exposed {
        cluster_exposed(services)
    } else {
        cluster(services)
    };
    Served::start(objects_list).forever(&format!("{services} Services, {pods} Pods, {nodes} Nodes"))
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
