//! `--probe` is bounded: it connects only to the addresses the cluster
//! reports for the Service traced (load balancer, external IPs, nodes), each
//! address:port once, each connect bounded by `--probe-timeout`, and to
//! nothing at all when not asked. Every listener here is on 127.0.0.1; the
//! in-cluster addresses of the fixture (10.x) are data, never connected to.

use crate::common;
use crate::support;

use common::Run;
use serde_json::Value;
use std::collections::HashSet;
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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

/// A port on 127.0.0.1 whose accept queue is full and never drained, so a
/// connect to it is neither accepted nor refused: from outside it looks like
/// a firewall. Linux drops a SYN when the listen queue is full
/// (`tcp_conn_request` in net/ipv4/tcp_input.c, with `tcp_abort_on_overflow`
/// off by default); other kernels may answer, so the tests using it are
/// ignored there.
struct Silent {
    port: u16,
    _listener: TcpListener,
    _held: Vec<TcpStream>,
}

impl Silent {
    /// `n` silent ports, filled in parallel (each fill ends with one connect
    /// left to time out).
    fn open(n: usize) -> Vec<Silent> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let _inside = runtime.enter();
        let listeners: Vec<TcpListener> = (0..n)
            .map(|_| {
                let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
                socket
                    .bind("127.0.0.1:0".parse().unwrap())
                    .expect("a loopback port");
                // std's listener asks for a backlog of 128; 0 fills at once.
                let listener = socket.listen(0).expect("listening");
                listener.into_std().expect("a std listener")
            })
            .collect();
        let fills: Vec<_> = listeners
            .into_iter()
            .map(|listener| std::thread::spawn(move || Silent::fill(listener)))
            .collect();
        fills
            .into_iter()
            .map(|f| f.join().expect("filling a listen queue"))
            .collect()
    }

    /// Connects, never accepting, until a connect hangs.
    fn fill(listener: TcpListener) -> Silent {
        let addr = listener.local_addr().expect("an address");
        let mut held = Vec::new();
        let hung =
            (0..8).any(
                |_| match TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
                    Ok(s) => {
                        held.push(s);
                        false
                    }
                    Err(_) => true,
                },
            );
        assert!(
            hung,
            "connects to a full accept queue were answered: these tests need a silent \
             address (is net.ipv4.tcp_abort_on_overflow set?)"
        );
        Silent {
            port: addr.port(),
            _listener: listener,
            _held: held,
        }
    }
}

/// A Node and a LoadBalancer Service whose load balancer, external IP and
/// node addresses are all 127.0.0.1; its pod and cluster IPs are 10.x.
fn fixture(lb_port: u16, node_port: u16) -> String {
    format!(
        "apiVersion: v1\nkind: Node\nmetadata: {{name: local}}\nstatus:\n  addresses: [{{type: InternalIP, address: 127.0.0.1}}]\n  conditions: [{{type: Ready, status: \"True\"}}]\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: loop, namespace: probe}}\nspec:\n  type: LoadBalancer\n  clusterIP: 10.96.9.9\n  externalIPs: [127.0.0.1]\n  selector: {{app: loop}}\n  ports: [{{name: tcp, port: {lb_port}, targetPort: 8080, nodePort: {node_port}}}]\nstatus: {{loadBalancer: {{ingress: [{{ip: 127.0.0.1}}]}}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: loop-1, namespace: probe, labels: {{app: loop}}}}\nspec:\n  nodeName: local\n  containers: [{{name: app, image: app, ports: [{{containerPort: 8080}}]}}]\nstatus: {{phase: Running, podIP: 10.244.9.9, conditions: [{{type: Ready, status: \"True\"}}]}}\n"
    )
}

/// A LoadBalancer Service at 127.0.0.1 with one port per entry of `ports`.
/// No node ports (allocateLoadBalancerNodePorts: false), so the only hops
/// to probe are the load balancer's, one per port.
fn load_balancer_on(ports: impl Iterator<Item = u16>) -> String {
    let declared: Vec<String> = ports
        .enumerate()
        .map(|(i, port)| format!("{{name: p{i}, port: {port}, targetPort: 8080}}"))
        .collect();
    format!(
        "apiVersion: v1\nkind: Service\nmetadata: {{name: loop, namespace: probe}}\nspec:\n  type: LoadBalancer\n  clusterIP: 10.96.9.9\n  allocateLoadBalancerNodePorts: false\n  selector: {{app: loop}}\n  ports: [{}]\nstatus: {{loadBalancer: {{ingress: [{{ip: 127.0.0.1}}]}}}}\n",
        declared.join(", ")
    )
}

/// The probe results of the load balancer hops, in path order.
fn load_balancer_results(run: &Run) -> Vec<String> {
    hops(run)
        .iter()
        .filter(|h| h["kind"] == "load-balancer")
        .map(|h| h["probe"]["result"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn trace(server: &ApiServer, args: &[&str]) -> (Run, Duration) {
    let mut full = vec!["trace", "-A", "-o", "json"];
    full.extend_from_slice(args);
    full.push("probe/loop");
    let started = Instant::now();
    let run = common::svcx_on(server, &full);
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

/// A silent load balancer address: the probe gives up after
/// --probe-timeout and says so, and the run is not held up.
#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "relies on Linux dropping connects to a full accept queue"
)]
fn a_silent_address_is_given_up_on_at_the_probe_timeout() {
    let silent = Silent::open(1).remove(0);
    let node = Counting::start();
    let server = ApiServer::builder()
        .yaml(&fixture(silent.port, node.port))
        .start();
    // Short: a connect to the open node port completes at once, and tokio's
    // timeout polls the connect before its clock, so only the silent
    // address can run out of time.
    let (run, took) = trace(&server, &["--probe", "--probe-timeout", "200ms"]);
    assert!(took < Duration::from_secs(5), "took {took:?}");
    let hops = hops(&run);
    let lb = hops
        .iter()
        .find(|h| h["kind"] == "load-balancer")
        .expect("a load balancer hop");
    assert_eq!(lb["probe"]["result"], "timeout", "{lb}");
    assert_eq!(lb["probe"]["detail"], "no answer within 200ms", "{lb}");
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
    let server = ApiServer::builder()
        .yaml(&load_balancer_on(listeners.iter().map(|l| l.port)))
        .start();
    let (run, _) = trace(&server, &["--probe", "--probe-timeout", "2s"]);
    let results = load_balancer_results(&run);
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

/// The coarse end-to-end check of the cap, through the binary and the
/// kernel (the exact count is checked in process by
/// `at_most_sixteen_attempts_are_in_flight` in src/trace/probe.rs).
/// At most `CONCURRENCY` (16) connects are in flight at once. Thirty-two
/// silent load balancer ports hold every connect open until
/// `--probe-timeout`: two full waves of 16, the second taking the first's
/// places one connect at a time. Meanwhile this test reads the kernel's
/// socket table every 5 ms: the connects still waiting for an answer are
/// the sockets in SYN_SENT (state 02 in /proc/net/tcp, `TCP_SYN_SENT` in
/// include/net/tcp_states.h) whose remote port is one of the 32. Their
/// number must reach 16, so that the connects do run side by side and the
/// watch does see them, and must never be seen above it. Each wave of 16
/// waits a full second, so the watch cannot miss one.
///
/// One read of /proc/net/tcp is not a snapshot: the kernel walks its hash
/// buckets one at a time, so a read made while one connect ends and the next
/// begins can list both. A read therefore counts only when the read before
/// it listed the very same sockets (local address and inode): each socket was
/// then alive from its line in the earlier read to its line in the later,
/// those spans all overlap, and spans on a line that all overlap pairwise
/// share a moment when every one of them was alive.
#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "relies on Linux dropping connects to a full accept queue, and on /proc/net/tcp"
)]
fn at_most_16_connects_are_in_flight_at_once() {
    let silent = Silent::open(32);
    let ports: HashSet<u16> = silent.iter().map(|s| s.port).collect();
    let server = ApiServer::builder()
        .yaml(&load_balancer_on(ports.iter().copied()))
        .start();
    assert!(
        connects_waiting(&ports).is_empty(),
        "a connect was waiting before the run"
    );

    let running = Arc::new(AtomicBool::new(true));
    let watch = {
        let running = running.clone();
        let ports = ports.clone();
        std::thread::spawn(move || {
            let (mut most, mut previous) = (0, None);
            while running.load(Ordering::SeqCst) {
                let current = connects_waiting(&ports);
                if previous.as_ref() == Some(&current) {
                    most = most.max(current.len());
                }
                previous = Some(current);
                std::thread::sleep(Duration::from_millis(5));
            }
            most
        })
    };
    let (run, _) = trace(&server, &["--probe", "--probe-timeout", "1s"]);
    running.store(false, Ordering::SeqCst);
    let most = watch.join().expect("the watch");

    let results = load_balancer_results(&run);
    assert_eq!(results.len(), 32, "{run}");
    assert!(results.iter().all(|r| r == "timeout"), "{results:?}");
    assert_eq!(most, 16, "connects in flight at once, at most");
}

/// The sockets waiting in SYN_SENT for one of `ports` on 127.0.0.1, each
/// as its local address and inode.
fn connects_waiting(ports: &HashSet<u16>) -> HashSet<(String, String)> {
    let table = std::fs::read_to_string("/proc/net/tcp").expect("/proc/net/tcp");
    table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let remote = fields.get(2).and_then(|r| r.split_once(':'));
            let waiting = fields.get(3) == Some(&"02")
                && remote.is_some_and(|(ip, port)| {
                    ip == "0100007F"
                        && u16::from_str_radix(port, 16).is_ok_and(|p| ports.contains(&p))
                });
            match (waiting, fields.get(1), fields.get(9)) {
                (true, Some(local), Some(inode)) => Some((local.to_string(), inode.to_string())),
                _ => None,
            }
        })
        .collect()
}
