//! `--probe` is bounded: it connects only to the addresses the cluster
//! reports for the Service traced (load balancer, external IPs, nodes), each
//! address:port once, each connect bounded by `--probe-timeout`, and to
//! nothing at all when not asked. Every listener here is on 127.0.0.1; the
//! in-cluster addresses of the fixture (10.x) are data, never connected to.

mod common;
mod support;

use common::Run;
use serde_json::Value;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::ApiServer;

/// A listener on 127.0.0.1 that counts the connections it accepts.
struct Counting {
    port: u16,
    accepted: Arc<AtomicUsize>,
}

impl Counting {
    fn start() -> Counting {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().expect("an address").port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = accepted.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stream.is_ok() {
                    count.fetch_add(1, Ordering::SeqCst);
                }
            }
        });
        Counting { port, accepted }
    }

    fn accepted(&self) -> usize {
        // The probe's connect returns when the kernel completes the
        // handshake; give the accept loop a moment to count it.
        std::thread::sleep(Duration::from_millis(100));
        self.accepted.load(Ordering::SeqCst)
    }
}

/// A Node and a LoadBalancer Service whose load balancer, external IP and
/// node addresses are all 127.0.0.1; its pod and cluster IPs are 10.x.
fn fixture(lb_port: u16, node_port: u16) -> String {
    format!(
        "apiVersion: v1\nkind: Node\nmetadata: {{name: local}}\nstatus:\n  addresses: [{{type: InternalIP, address: 127.0.0.1}}]\n  conditions: [{{type: Ready, status: \"True\"}}]\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: loop, namespace: probe}}\nspec:\n  type: LoadBalancer\n  clusterIP: 10.96.9.9\n  externalIPs: [127.0.0.1]\n  selector: {{app: loop}}\n  ports: [{{name: tcp, port: {lb_port}, targetPort: 8080, nodePort: {node_port}}}]\nstatus: {{loadBalancer: {{ingress: [{{ip: 127.0.0.1}}]}}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: loop-1, namespace: probe, labels: {{app: loop}}}}\nspec:\n  nodeName: local\n  containers: [{{name: app, image: app, ports: [{{containerPort: 8080}}]}}]\nstatus: {{phase: Running, podIP: 10.244.9.9, conditions: [{{type: Ready, status: \"True\"}}]}}\n"
    )
}

fn trace(server: &ApiServer, args: &[&str]) -> (Run, Duration) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let kubeconfig = server.kubeconfig().write(dir.path());
    let mut full = vec![
        "--kubeconfig",
        kubeconfig.to_str().expect("UTF-8"),
        "trace",
        "-A",
        "-o",
        "json",
    ];
    full.extend_from_slice(args);
    full.push("probe/loop");
    let started = Instant::now();
    let run = common::svcx(&full);
    (run, started.elapsed())
}

fn hops(run: &Run) -> Vec<Value> {
    assert!(run.code == 0 || run.code == 1, "{run}");
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    report["services"][0]["paths"]
        .as_array()
        .expect("paths")
        .iter()
        .flat_map(|p| p["hops"].as_array().expect("hops").clone())
        .collect()
}

#[test]
fn probe_connects_once_to_each_reported_address_and_nowhere_else() {
    let (lb, node) = (Counting::start(), Counting::start());
    let server = ApiServer::builder()
        .yaml(&fixture(lb.port, node.port))
        .start();

    // Not asked: no connection at all.
    let (run, _) = trace(&server, &[]);
    assert!(hops(&run).iter().all(|h| h.get("probe").is_none()), "{run}");
    assert_eq!((lb.accepted(), node.accepted()), (0, 0));

    // Asked: the load balancer and the external IP share 127.0.0.1:port
    // and are connected to once; the node port once; in-cluster hops never.
    let (run, _) = trace(&server, &["--probe"]);
    let hops = hops(&run);
    for h in &hops {
        let kind = h["kind"].as_str().unwrap_or_default();
        let outside = matches!(kind, "load-balancer" | "external-ip" | "node");
        assert_eq!(h.get("probe").is_some(), outside, "{h}");
        if outside {
            assert_eq!(h["probe"]["result"], "open", "{h}");
            assert_eq!(h["address"], "127.0.0.1", "{h}");
        }
    }
    assert!(hops.iter().any(|h| h["kind"] == "external-ip"), "{hops:#?}");
    assert!(hops.iter().any(|h| h["kind"] == "endpoints"), "{hops:#?}");
    assert_eq!((lb.accepted(), node.accepted()), (1, 1));
}

/// A listener whose accept queue is full drops new connection attempts:
/// from outside it looks like a firewall. The probe gives up after
/// --probe-timeout and says so, and the run is not held up. Linux drops a
/// SYN when the listen queue is full (`tcp_conn_request` in
/// net/ipv4/tcp_input.c, with `tcp_abort_on_overflow` off by default);
/// other kernels may answer, so there the test is ignored rather than
/// passed without proving anything.
#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "relies on Linux dropping connects to a full accept queue"
)]
fn a_silent_address_is_given_up_on_at_the_probe_timeout() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let (silent, _held) = runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
        socket
            .bind("127.0.0.1:0".parse().unwrap())
            .expect("a loopback port");
        let listener = socket.listen(0).expect("listening");
        let addr: SocketAddr = listener.local_addr().expect("an address");
        // Fill the accept queue, never accepting, until a connect hangs.
        let mut held = Vec::new();
        for _ in 0..8 {
            match TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
                Ok(s) => held.push(s),
                Err(_) => break,
            }
        }
        (addr.port(), (listener, held))
    });
    let hanging = TcpStream::connect_timeout(
        &SocketAddr::from(([127, 0, 0, 1], silent)),
        Duration::from_millis(300),
    );
    assert!(
        hanging.is_err(),
        "a connect to a full accept queue was answered: this test needs a silent address \
         (is net.ipv4.tcp_abort_on_overflow set?)"
    );
    let node = Counting::start();
    let server = ApiServer::builder()
        .yaml(&fixture(silent, node.port))
        .start();
    let (run, took) = trace(&server, &["--probe", "--probe-timeout", "500ms"]);
    assert!(took < Duration::from_secs(5), "took {took:?}");
    let hops = hops(&run);
    let lb = hops
        .iter()
        .find(|h| h["kind"] == "load-balancer")
        .expect("a load balancer hop");
    assert_eq!(lb["probe"]["result"], "timeout", "{lb}");
    assert_eq!(lb["probe"]["detail"], "no answer within 500ms", "{lb}");
    let node_hop = hops
        .iter()
        .find(|h| h["kind"] == "node")
        .expect("a node hop");
    assert_eq!(node_hop["probe"]["result"], "open", "{node_hop}");
}

/// At most `MAX_PROBES` (256) addresses are tried in one run: a
/// LoadBalancer Service with 300 ports, each its own listener on
/// 127.0.0.1, gets 256 connects, each listener at most one, and the other
/// 44 load balancer hops say they were skipped.
#[test]
fn a_run_tries_at_most_256_addresses() {
    let listeners: Vec<Counting> = (0..300).map(|_| Counting::start()).collect();
    let ports: Vec<String> = listeners
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{{name: p{i}, port: {}, targetPort: 8080}}", l.port))
        .collect();
    // No node ports (allocateLoadBalancerNodePorts: false), so the only
    // hops to probe are the load balancer's, one per port.
    let yaml = format!(
        "apiVersion: v1\nkind: Service\nmetadata: {{name: loop, namespace: probe}}\nspec:\n  type: LoadBalancer\n  clusterIP: 10.96.9.9\n  allocateLoadBalancerNodePorts: false\n  selector: {{app: loop}}\n  ports: [{}]\nstatus: {{loadBalancer: {{ingress: [{{ip: 127.0.0.1}}]}}}}\n",
        ports.join(", ")
    );
    let server = ApiServer::builder().yaml(&yaml).start();
    let (run, _) = trace(&server, &["--probe", "--probe-timeout", "2s"]);
    let hops = hops(&run);
    let results: Vec<&str> = hops
        .iter()
        .filter(|h| h["kind"] == "load-balancer")
        .map(|h| h["probe"]["result"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(results.len(), 300, "{run}");
    assert_eq!(results.iter().filter(|r| **r == "open").count(), 256);
    assert_eq!(results.iter().filter(|r| **r == "skipped").count(), 44);
    std::thread::sleep(Duration::from_millis(200));
    let accepted: Vec<usize> = listeners
        .iter()
        .map(|l| l.accepted.load(Ordering::SeqCst))
        .collect();
    assert!(accepted.iter().all(|&n| n <= 1), "{accepted:?}");
    assert_eq!(accepted.iter().sum::<usize>(), 256);
}
