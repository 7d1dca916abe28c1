//! Benchmark: what network policies cost `svcx explain -A -o json`. The
//! cluster of benches/explain_live.rs (10,000 Services in 10 namespaces,
//! 100,000 Pods, 10,000 EndpointSlices, 1,000 Nodes) is served twice by the
//! test API server over HTTPS on 127.0.0.1: as it is, and with 5,000
//! policies (one per two Services): a default-deny-ingress NetworkPolicy per
//! namespace, two ClusterNetworkPolicies (an Admin tier Accept and a Baseline
//! tier Deny, so that every Service's endpoints go through all three tiers),
//! and for every other Service a NetworkPolicy that admits the next Service's
//! pods and, by namespace label, client pods of other namespaces; the
//! namespaces (with those labels) come with them. Runs alternate, plain then
//! with policies, after a warm-up each; medians of the rounds.
//!
//! cargo bench --bench policies                                  (10k Services, 5k policies)
//! SVCX_BENCH_SIZES=2000 cargo bench --bench policies            (2k Services, 1k policies)
//! SVCX_BENCH_ROUNDS=5 cargo bench --bench policies              (more rounds; default 3)
//! SVCX_BENCH_SERVE=10000 cargo bench --bench policies           (only serve the cluster with its
//!                                                                policies, to profile against it)

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

use generated::{NAMESPACES, cluster};
use serde_json::{Value, json};
use served::Served;
use timed::measure;

/// The policies for a cluster of `services` Services: `services / 2` in all.
fn policies(services: usize) -> Vec<Value> {
    let total = services / 2;
    let mut out = Vec::with_capacity(total + NAMESPACES);
    for n in 0..NAMESPACES {
        out.push(json!({
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": format!("ns-{n}"), "labels": {"team": format!("team-{}", n % 3)}},
        }));
        out.push(json!({
            "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": "default-deny-ingress", "namespace": format!("ns-{n}")},
            "spec": {"podSelector": {}, "policyTypes": ["Ingress"]},
        }));
    }
    out.push(json!({
        "apiVersion": "policy.networking.k8s.io/v1alpha2", "kind": "ClusterNetworkPolicy",
        "metadata": {"name": "allow-monitoring"},
        "spec": {"tier": "Admin", "priority": 10, "subject": {"namespaces": {}},
                 "ingress": [{"name": "monitoring", "action": "Accept",
                              "from": [{"namespaces": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}]}]},
    }));
    out.push(json!({
        "apiVersion": "policy.networking.k8s.io/v1alpha2", "kind": "ClusterNetworkPolicy",
        "metadata": {"name": "default"},
        "spec": {"tier": "Baseline", "priority": 10, "subject": {"namespaces": {}},
                 "ingress": [{"action": "Deny", "from": [{"namespaces": {}}]}]},
    }));
    let allows = total.saturating_sub(NAMESPACES + 2);
    for i in 0..allows {
        let s = (2 * i) % services;
        let ns = format!("ns-{}", s % NAMESPACES);
        let name = format!("svc-{s:05}");
        let next = format!("svc-{:05}", (s + NAMESPACES) % services);
        out.push(json!({
            "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": format!("allow-{name}"), "namespace": ns},
            "spec": {
                "podSelector": {"matchLabels": {"app": name}},
                "ingress": [{
                    "from": [
                        {"podSelector": {"matchLabels": {"app": next}}},
                        {"namespaceSelector": {"matchLabels": {"team": format!("team-{}", i % 3)}},
                         "podSelector": {"matchLabels": {"role": "client"}}},
                    ],
                    "ports": [{"protocol": "TCP", "port": 8080}],
                }],
            },
        }));
    }
    out
}

fn main() {
    if shared::listing_only() {
        return;
    }
    let sizes = served::sizes("10000");
    let rounds = served::rounds();
    if let Some(services) = served::serve_only() {
        serve(services);
    }
    for services in sizes {
        run(services, rounds);
    }
}

/// Serves the cluster with its policies until the process is stopped, to
/// profile against it; prints the kubeconfig.
fn serve(services: usize) -> ! {
    let (mut objects, _, _) = cluster(services);
    objects.extend(policies(services));
    Served::start(objects).forever(&format!("{services} Services with their policies"))
}

/// Serves the cluster without and with policies and times explain on each.
fn run(services: usize, rounds: usize) {
    let svcx = env!("CARGO_BIN_EXE_svcx");
    let (plain, pods, nodes) = cluster(services);
    let extra = policies(services);
    let count = extra.iter().filter(|o| o["kind"] != "Namespace").count();
    let mut with = plain.clone();
    with.extend(extra);
    eprintln!(
        "generated {services} Services, {pods} Pods, {nodes} Nodes; {count} policies for the second cluster"
    );
    let servers = [Served::start(plain), Served::start(with)];
    let kubeconfigs: Vec<String> = servers
        .iter()
        .map(|s| s.kubeconfig().display().to_string())
        .collect();
    let report = servers[0].dir().join("time.txt");
    let args = |kc: &str| served::explain_all("json", kc).map(str::to_string);
    let run_one = |i: usize| {
        let a = args(&kubeconfigs[i]);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        measure(svcx, &a, &report)
    };
    // Warm up each server and the page cache.
    run_one(0);
    run_one(1);
    let (mut wall, mut rss) = ([Vec::new(), Vec::new()], [Vec::new(), Vec::new()]);
    for _ in 0..rounds {
        for i in 0..2 {
            let s = run_one(i);
            wall[i].push(s.wall);
            rss[i].push(s.max_rss_kib as f64 / 1024.0);
        }
        eprintln!(
            "round: without {:.2}s, with {:.2}s",
            wall[0].last().unwrap(),
            wall[1].last().unwrap()
        );
    }
    let [w0, w1] = wall.map(shared::median);
    let [m0, m1] = rss.map(shared::median);
    println!(
        "policies services={services} pods={pods} nodes={nodes} policies={count} rounds={rounds} (medians)"
    );
    println!("  svcx explain -A -o json, no policies:    {w0:6.2} s  {m0:5.0} MiB");
    println!("  svcx explain -A -o json, with policies:  {w1:6.2} s  {m1:5.0} MiB");
    println!(
        "  with / without: wall {:.2}x, peak memory {:.2}x",
        w1 / w0,
        m1 / m0
    );
}
