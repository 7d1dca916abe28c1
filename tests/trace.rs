//! `svcx trace`: one named test per Kubernetes semantic the trace must get
//! right, on small fixtures (tests/fixtures/trace/), asserting verdicts and
//! reasons on the report; target resolution; exit codes; that nothing is
//! probed unless asked (probes run live only: tests/trace_live.rs); and
//! snapshots of what users see on the demo
//! and on third-party manifests and live dumps.

use crate::common;

use common::{corpus, root, settings, svcx};
use serde_json::Value;
use std::path::PathBuf;
use svcx::Verdict;
use svcx::{Hop, HopId, HopKind, Matched, PortPath, ServiceTrace, TraceReport};
use svcx::{Scope, Snapshot};

// ---------------------------------------------------------------- helpers

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/trace").join(name)
}

/// Loads fixture files (with nodes.yaml first when `with_nodes`).
fn load(files: &[&str], with_nodes: bool) -> Snapshot {
    let mut paths: Vec<PathBuf> = Vec::new();
    if with_nodes {
        paths.push(fixture("nodes.yaml"));
    }
    paths.extend(files.iter().map(|f| fixture(f)));
    svcx::files::load(&paths, Scope::AllNamespaces, None).expect("fixture loads")
}

fn trace(snap: &Snapshot, target: &str) -> TraceReport {
    svcx::trace(snap, Some(target), None).unwrap_or_else(|e| panic!("{target} resolves: {e}"))
}

fn only(report: &TraceReport) -> &ServiceTrace {
    assert_eq!(report.services.len(), 1, "one Service traced");
    &report.services[0]
}

fn path(report: &TraceReport) -> &PortPath {
    let s = only(report);
    assert_eq!(s.paths.len(), 1, "one port traced");
    &s.paths[0]
}

fn hops(p: &PortPath, kind: HopKind) -> Vec<&Hop> {
    p.hops.iter().filter(|h| h.kind == kind).collect()
}

fn hop(p: &PortPath, kind: HopKind) -> &Hop {
    let found = hops(p, kind);
    assert_eq!(found.len(), 1, "exactly one {kind:?} hop in {:#?}", p.hops);
    found[0]
}

fn named<'a>(p: &'a PortPath, kind: HopKind, name: &str) -> &'a Hop {
    p.hops
        .iter()
        .find(|h| h.kind == kind && h.name_text().as_deref() == Some(name))
        .unwrap_or_else(|| panic!("{kind:?} hop {name}"))
}

/// The codes of the findings behind a hop's verdict.
fn codes(h: &Hop) -> Vec<String> {
    h.findings.iter().map(|c| c.to_string()).collect()
}

fn kinds(p: &PortPath) -> Vec<HopKind> {
    let mut k: Vec<HopKind> = p.hops.iter().map(|h| h.kind).collect();
    k.dedup();
    k
}

/// What a hop tells its reader (reason, hint, notes), for a reviewed
/// snapshot: the wording is what users see, so it is pinned whole rather
/// than by fragments.
fn said(h: &Hop) -> String {
    let mut out = format!("reason: {}\n", h.reason);
    if let Some(hint) = &h.hint {
        out.push_str(&format!("hint: {hint}\n"));
    }
    for note in &h.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    out
}

fn assert_said(name: &str, h: &Hop) {
    settings().bind(|| insta::assert_snapshot!(name, said(h)));
}

/// What a failed run printed, as a reviewed snapshot.
fn assert_stderr(name: &str, run: &common::Run) {
    settings().bind(|| insta::assert_snapshot!(name, run.stderr));
}

/// Envoy Gateway's quickstart (its GatewayClass `eg`, a Gateway, the
/// backend), written to `dir` with its Gateway's class made `class`, as a
/// user serving it with another implementation would write it.
fn eg_quickstart_of_class(dir: &std::path::Path, class: &str) -> PathBuf {
    let text = std::fs::read_to_string(root().join(
        "tests/corpus/official/envoyproxy-gateway/envoyproxy-gateway--examples-kubernetes-quickstart.yaml",
    ))
    .unwrap();
    let example = dir.join(format!("quickstart-{class}.yaml"));
    std::fs::write(
        &example,
        text.replacen(
            "gatewayClassName: eg",
            &format!("gatewayClassName: {class}"),
            1,
        ),
    )
    .unwrap();
    example
}

fn trace_json(args: &[&str]) -> (i32, Value) {
    let mut full = vec!["trace", "-o", "json"];
    full.extend_from_slice(args);
    let run = svcx(&full);
    assert!(run.code == 0 || run.code == 1, "{run}");
    (
        run.code,
        serde_json::from_str(&run.stdout).expect("trace -o json prints JSON"),
    )
}

// ------------------------------------------------- externalTrafficPolicy

#[test]
fn external_traffic_policy_local_warns_nodes_without_a_ready_endpoint() {
    let snap = load(&["traffic-policy.yaml"], true);
    let r = trace(&snap, "tp/web-local");
    let p = path(&r);
    assert_eq!(named(p, HopKind::Node, "node-1").verdict, Verdict::Ok);
    assert_said("said_local_node_1", named(p, HopKind::Node, "node-1"));
    let n3 = named(p, HopKind::Node, "node-3");
    assert_eq!(n3.verdict, Verdict::Warn);
    assert_said("said_local_node_3", n3);
    assert!(n3.next.is_empty(), "node-3 drops external traffic");
    let lb = hop(p, HopKind::LoadBalancer);
    assert_eq!(lb.verdict, Verdict::Ok);
    assert_said("said_local_load_balancer", lb);
    assert_eq!(
        lb.next,
        [HopId::Node("node-1".into()), HopId::Node("node-2".into())],
        "the load balancer sends only to passing nodes"
    );
    // Under Local a node sends only to its own endpoints.
    let local = &named(p, HopKind::Node, "node-1").next;
    assert_eq!(local.len(), 1);
    let ep = p
        .hops
        .iter()
        .find(|h| h.id == local[0])
        .expect("linked endpoint");
    assert_eq!(ep.node.as_deref(), Some("node-1"));
    assert_eq!(only(&r).verdict, Verdict::Warn);
}

#[test]
fn external_traffic_policy_cluster_forwards_from_any_node() {
    let snap = load(&["traffic-policy.yaml"], true);
    let r = trace(&snap, "tp/web-cluster");
    let p = path(&r);
    let nodes = hops(p, HopKind::Node);
    assert_eq!(nodes.len(), 3);
    for n in nodes {
        assert_eq!(n.verdict, Verdict::Ok);
        let name = n.name_text().expect("a node hop is named");
        assert_said(&format!("said_cluster_{name}"), n);
        assert_eq!(n.next, [HopId::ClusterIp]);
    }
    assert_eq!(only(&r).verdict, Verdict::Ok);
}

// ------------------------------------------------------------- load balancer

#[test]
fn load_balancer_pending_breaks_only_the_external_hop() {
    let snap = load(&["load-balancer.yaml"], true);
    let r = trace(&snap, "lb/pending");
    let p = path(&r);
    let lb = hop(p, HopKind::LoadBalancer);
    assert_eq!(lb.verdict, Verdict::Broken);
    assert_said("said_pending_load_balancer", lb);
    assert!(
        lb.next.is_empty(),
        "nothing flows through a load balancer that does not exist"
    );
    assert!(
        hops(p, HopKind::Node)
            .iter()
            .all(|n| n.verdict == Verdict::Ok)
    );
    assert_eq!(hop(p, HopKind::Endpoints).verdict, Verdict::Ok);
    assert_eq!(only(&r).verdict, Verdict::Broken);
}

#[test]
fn load_balancer_pending_with_class_points_at_its_controller() {
    let snap = load(&["load-balancer.yaml"], true);
    let r = trace(&snap, "lb/pending-metallb");
    let lb = hop(path(&r), HopKind::LoadBalancer);
    assert_eq!(lb.verdict, Verdict::Broken);
    assert_eq!(
        lb.address.as_deref(),
        Some("192.0.2.50"),
        "the requested address"
    );
    assert_eq!(codes(lb), ["SVC112"]);
    assert_said("said_pending_metallb_load_balancer", lb);
}

#[test]
fn load_balancer_in_a_manifest_is_not_pending() {
    let snap = load(&["load-balancer.yaml"], true);
    let r = trace(&snap, "lb/api");
    let p = path(&r);
    let lb = hop(p, HopKind::LoadBalancer);
    assert_eq!(
        lb.verdict,
        Verdict::Ok,
        "a manifest has no status yet: {}",
        lb.reason
    );
    assert_said("said_manifest_load_balancer", lb);
    let node = &hops(p, HopKind::Node)[0];
    assert_eq!(node.port, None);
    assert_said("said_manifest_node", node);
    let cip = hop(p, HopKind::ClusterIp);
    assert_eq!(cip.address, None);
}

#[test]
fn allocate_load_balancer_node_ports_false_skips_the_node_layer() {
    let snap = load(&["load-balancer.yaml"], true);
    let r = trace(&snap, "lb/direct");
    let p = path(&r);
    assert!(hops(p, HopKind::Node).is_empty());
    let lb = hop(p, HopKind::LoadBalancer);
    assert_eq!(lb.verdict, Verdict::Ok);
    assert!(lb.findings.is_empty(), "{:?}", lb.findings);
    assert_eq!(lb.next, [HopId::ClusterIp]);
    assert_said("said_direct_load_balancer", lb);
}

// ---------------------------------------------- internal policy, affinity

#[test]
fn internal_traffic_policy_local_names_nodes_without_an_endpoint() {
    let snap = load(&["traffic-policy.yaml"], true);
    let r = trace(&snap, "tp/web-internal");
    let cip = hop(path(&r), HopKind::ClusterIp);
    assert_eq!(cip.verdict, Verdict::Warn);
    // Names node-3 (no endpoint of its own), not node-1; the same hop's
    // notes carry the session affinity (next test), pinned here whole.
    assert_said("said_internal_local_cluster_ip", cip);
}

#[test]
fn session_affinity_is_noted_on_the_cluster_ip() {
    let snap = load(&["traffic-policy.yaml"], true);
    let r = trace(&snap, "tp/web-internal");
    let cip = hop(path(&r), HopKind::ClusterIp);
    // The snapshot holds the sessionAffinity ClientIP note and its 600s.
    assert_said("said_internal_local_cluster_ip", cip);
}

// ------------------------------------------------------------------ selectors

#[test]
fn selector_typo_suggests_the_label_that_matches() {
    let snap = load(&["selector.yaml"], false);
    let r = trace(&snap, "sel/payments-api");
    let eps = hop(path(&r), HopKind::Endpoints);
    assert_eq!(eps.verdict, Verdict::Broken);
    assert_said("said_selector_typo_endpoints", eps);
}

#[test]
fn selector_with_a_label_too_many_suggests_dropping_it() {
    let snap = load(&["selector.yaml"], false);
    let r = trace(&snap, "sel/frontend");
    let eps = hop(path(&r), HopKind::Endpoints);
    assert_eq!(eps.verdict, Verdict::Broken);
    assert_said("said_selector_extra_label_endpoints", eps);
}

#[test]
fn service_without_selector_uses_manual_endpoint_slices() {
    let snap = load(&["selector.yaml"], false);
    let r = trace(&snap, "sel/legacy-db");
    let p = path(&r);
    assert_eq!(hop(p, HopKind::Endpoints).verdict, Verdict::Ok);
    let ep = hop(p, HopKind::Endpoint);
    assert_eq!(ep.address.as_deref(), Some("192.168.50.10"));
    assert_eq!(ep.port, Some(5432));
    assert_said("said_manual_slice_endpoint", ep);
    assert!(
        hops(p, HopKind::Container).is_empty(),
        "no pod, no container to check"
    );
}

#[test]
fn service_without_selector_or_slices_is_broken() {
    let snap = load(&["selector.yaml"], false);
    let r = trace(&snap, "sel/orphan");
    let eps = hop(path(&r), HopKind::Endpoints);
    // Offline the slices may live in another file: a warning, not an error.
    assert_eq!(eps.verdict, Verdict::Warn);
    assert_eq!(codes(eps), ["SVC107"]);
}

// ---------------------------------------------------------------- readiness

#[test]
fn some_endpoints_not_ready_is_a_warning() {
    let snap = load(&["readiness.yaml"], true);
    let r = trace(&snap, "ready/partly");
    let eps = hop(path(&r), HopKind::Endpoints);
    assert_eq!(eps.verdict, Verdict::Warn);
    assert!(
        eps.reason.starts_with("1 of 3 endpoints ready"),
        "{}",
        eps.reason
    );
    let c = eps.endpoints.expect("counts");
    assert_eq!((c.ready, c.not_ready), (1, 2));
}

#[test]
fn no_ready_endpoint_is_broken() {
    let snap = load(&["readiness.yaml"], true);
    let r = trace(&snap, "ready/none-ready");
    let eps = hop(path(&r), HopKind::Endpoints);
    assert_eq!(eps.verdict, Verdict::Broken);
    assert_eq!(codes(eps), ["SVC104"]);
}

#[test]
fn only_terminating_endpoints_still_serving_is_a_warning() {
    let snap = load(&["readiness.yaml"], true);
    let r = trace(&snap, "ready/draining");
    let p = path(&r);
    let eps = hop(p, HopKind::Endpoints);
    assert_eq!(eps.verdict, Verdict::Warn);
    assert_eq!(codes(eps), ["SVC106"]);
    let ep = hop(p, HopKind::Endpoint);
    assert_eq!(codes(ep), ["SVC106"]);
}

// ---------------------------------------------------------------- targetPort

#[test]
fn named_target_port_missing_on_some_pods_warns_while_others_serve() {
    // The EndpointSlice controller skips a port whose name FindPort cannot
    // resolve on a pod (pkg/controller/endpointslice/utils.go,
    // getEndpointPorts): that pod is no endpoint of the port, the others are.
    let snap = load(&["target-port.yaml"], false);
    let r = trace(&snap, "tport/half-named");
    let p = path(&r);
    let containers = hops(p, HopKind::Container);
    let missing: Vec<&&Hop> = containers
        .iter()
        .filter(|c| c.verdict != Verdict::Ok)
        .collect();
    assert_eq!(missing.len(), 1);
    assert_eq!(
        missing[0].verdict,
        Verdict::Warn,
        "others still serve the port"
    );
    assert_eq!(codes(missing[0]), ["SVC201"]);
    assert_eq!(
        missing[0].address.as_deref(),
        Some("10.244.5.2"),
        "the pod without the name"
    );
    assert_said("said_named_port_missing_container", missing[0]);
    let eps = hop(p, HopKind::Endpoints);
    assert_eq!(
        eps.verdict,
        Verdict::Warn,
        "one pod still serves: {}",
        eps.reason
    );
    assert_eq!(eps.endpoints.map(|c| c.unresolved), Some(1));
    assert_eq!(codes(eps), ["SVC201"]);
    assert_eq!(only(&r).verdict, Verdict::Warn);
}

#[test]
fn named_target_port_missing_on_all_pods_breaks_the_port() {
    let snap = load(&["target-port.yaml"], false);
    let r = trace(&snap, "tport/unnamed");
    let eps = hop(path(&r), HopKind::Endpoints);
    assert_eq!(eps.verdict, Verdict::Broken);
    assert_said("said_named_port_missing_everywhere_endpoints", eps);
}

/// An undeclared numeric targetPort is SVC202, information: the hop says
/// so, and its verdict follows the finding's severity (traffic gets
/// through).
#[test]
fn numeric_target_port_not_declared_is_only_information() {
    let snap = load(&["target-port.yaml"], false);
    let r = trace(&snap, "tport/numeric");
    let p = path(&r);
    let c = hop(p, HopKind::Container);
    assert_eq!(c.verdict, Verdict::Ok);
    assert_eq!(c.findings, [svcx::Code::TargetPortNotDeclared]);
    assert_eq!(c.port, Some(9100), "traffic still goes to the number");
    assert_said("said_numeric_port_undeclared_container", c);
    assert_eq!(only(&r).verdict, Verdict::Ok);
    let run = svcx(&[
        "trace",
        "-f",
        "tests/fixtures/trace/target-port.yaml",
        "tport/numeric",
    ]);
    assert_eq!(run.code, 0, "information is not a failure: {run}");
}

#[test]
fn protocol_mismatch_on_a_numeric_port_warns() {
    // Declared container ports are informational: kube-proxy sends UDP to
    // port 53 whatever the container declares (the API reference for
    // containerPort: "Not specifying a port here DOES NOT prevent that port
    // from being exposed").
    let snap = load(&["target-port.yaml"], false);
    let r = trace(&snap, "tport/dns");
    let c = hop(path(&r), HopKind::Container);
    assert_eq!(c.verdict, Verdict::Warn);
    assert_eq!(codes(c), ["SVC203"]);
}

// ------------------------------------------------------- DNS-only Services

#[test]
fn headless_has_a_dns_hop_and_no_cluster_ip() {
    let snap = load(&["dns.yaml"], false);
    let r = trace(&snap, "dns/db");
    let p = path(&r);
    assert_eq!(
        kinds(p),
        [
            HopKind::Dns,
            HopKind::Endpoints,
            HopKind::Endpoint,
            HopKind::Container
        ]
    );
    assert_eq!(
        hop(p, HopKind::Dns).address.as_deref(),
        Some("db.dns.svc.cluster.local")
    );
}

#[test]
fn headless_port_differing_from_target_port_warns() {
    let snap = load(&["dns.yaml"], false);
    let r = trace(&snap, "dns/db");
    let dns = hop(path(&r), HopKind::Dns);
    assert_eq!(dns.verdict, Verdict::Warn);
    assert_eq!(codes(dns), ["SVC208"]);
}

#[test]
fn external_name_is_a_cname_without_proxying() {
    let snap = load(&["dns.yaml"], false);
    let r = trace(&snap, "dns/search");
    let p = path(&r);
    assert_eq!(kinds(p), [HopKind::ExternalName]);
    let h = hop(p, HopKind::ExternalName);
    assert_eq!(h.verdict, Verdict::Ok);
    assert_eq!(h.address.as_deref(), Some("search.example.org"));
    assert_said("said_external_name", h);
}

#[test]
fn external_name_with_an_ip_is_broken() {
    // Cluster DNS serves an ExternalName as a CNAME; an IPv4 address passes
    // the API's DNS-1123 subdomain check, but a CNAME to `192.0.2.1.` does
    // not resolve (https://kubernetes.io/docs/concepts/services-networking/service/#externalname:
    // "ExternalName accepts an IPv4 address string, but treats that string as
    // a DNS name comprised of digits, not as an IP address").
    let snap = load(&["dns.yaml"], false);
    let r = trace(&snap, "dns/by-ip");
    let h = hop(path(&r), HopKind::ExternalName);
    assert_eq!(h.verdict, Verdict::Broken);
    assert_eq!(codes(h), ["SVC114"]);
}

#[test]
fn external_ips_are_caught_on_every_node() {
    let snap = load(&["nodes-not-ready.yaml"], false);
    let r = trace(&snap, "nodes/shop");
    let eip = hop(path(&r), HopKind::ExternalIp);
    assert_eq!(eip.address.as_deref(), Some("192.0.2.70"));
    assert_eq!(eip.port, Some(80));
    assert_said("said_external_ip", eip);
    assert_eq!(eip.next, [HopId::ClusterIp]);
}

// --------------------------------------------------------------- nodes

#[test]
fn not_ready_node_and_its_pods_warn() {
    let snap = load(&["nodes-not-ready.yaml"], false);
    let r = trace(&snap, "nodes/shop");
    let p = path(&r);
    let sick = named(p, HopKind::Node, "sick");
    assert_eq!(sick.verdict, Verdict::Warn);
    let on_sick = named(p, HopKind::Endpoint, "shop-2");
    assert_eq!(on_sick.verdict, Verdict::Warn);
    assert_eq!(codes(on_sick), ["SVC111"]);
    let eps = hop(p, HopKind::Endpoints);
    // kube-proxy goes by the slice's `ready`, not by the node's condition:
    // the endpoint still counts, and the finding says where it runs.
    assert_eq!(eps.endpoints.map(|c| c.ready), Some(2));
    assert_eq!(eps.verdict, Verdict::Warn);
    assert_eq!(codes(eps), ["SVC111"]);
}

// ------------------------------------------------------------ targets

#[test]
fn target_by_load_balancer_ip_starts_at_that_load_balancer() {
    let snap = svcx::demo::load(Scope::AllNamespaces).expect("demo loads");
    let r = trace(&snap, "203.0.113.10:80");
    let t = r.target.as_ref().expect("target info");
    assert_eq!(
        (t.matched, t.service.as_deref().unwrap_or_default()),
        (Matched::LoadBalancerIp, "shop/storefront")
    );
    let p = path(&r);
    assert_eq!(
        p.port.as_ref().map(|p| p.port),
        Some(80),
        "only the port asked for"
    );
    assert_eq!(kinds(p)[0], HopKind::LoadBalancer);
}

#[test]
fn target_by_node_port_starts_at_that_node() {
    let snap = svcx::demo::load(Scope::AllNamespaces).expect("demo loads");
    let r = trace(&snap, "10.0.0.12:31080");
    let t = r.target.as_ref().expect("target info");
    assert_eq!(
        (
            t.matched,
            t.service.as_deref().unwrap_or_default(),
            t.node.as_deref()
        ),
        (Matched::NodePort, "shop/checkout", Some("node-b"))
    );
    let p = path(&r);
    let nodes = hops(p, HopKind::Node);
    assert_eq!(nodes.len(), 1);
    assert_eq!(nodes[0].name_text().as_deref(), Some("node-b"));
    assert_eq!(nodes[0].port, Some(31080));
    assert!(hops(p, HopKind::LoadBalancer).is_empty());
}

#[test]
fn target_by_other_addresses() {
    let snap = load(&["traffic-policy.yaml", "nodes-not-ready.yaml"], true);
    let cases = [
        (
            "web.lb.example.net:80",
            Matched::LoadBalancerHostname,
            "tp/web-cluster",
            HopKind::LoadBalancer,
        ),
        (
            "10.96.1.3:80",
            Matched::ClusterIp,
            "tp/web-internal",
            HopKind::ClusterIp,
        ),
        (
            "10.96.1.3",
            Matched::ClusterIp,
            "tp/web-internal",
            HopKind::ClusterIp,
        ),
        (
            "192.0.2.70",
            Matched::ExternalIp,
            "nodes/shop",
            HopKind::ExternalIp,
        ),
        (
            "web-local.tp.svc.cluster.local:80",
            Matched::ServiceDnsName,
            "tp/web-local",
            HopKind::ClusterIp,
        ),
        (
            "tp/web-local",
            Matched::Service,
            "tp/web-local",
            HopKind::LoadBalancer,
        ),
    ];
    for (input, matched, service, first) in cases {
        let r = trace(&snap, input);
        let t = r.target.as_ref().expect("target info");
        assert_eq!(
            (t.matched, t.service.as_deref().unwrap_or_default()),
            (matched, service),
            "{input}"
        );
        assert_eq!(r.services[0].paths[0].hops[0].kind, first, "{input}");
    }
}

#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus (not found beside the repo)"
)]
fn target_ambiguous_lists_the_candidates() {
    // MetalLB's shared IP: two Services ask for 1.2.3.4, one TCP, one UDP.
    let shared = corpus("manifests/metallb-metallb--usage-allow-shared-ip.yaml");
    let snap = svcx::files::load(&[shared], Scope::AllNamespaces, None).expect("corpus loads");
    let err = svcx::trace(&snap, Some("1.2.3.4:53"), None).expect_err("ambiguous");
    settings().bind(|| {
        insta::assert_snapshot!(
            "ambiguous_target_error",
            format!("{}\n{}\n{:#?}", err.message, err.hint, err.candidates)
        )
    });
    assert_eq!(err.candidates.len(), 2);
    assert!(
        err.candidates
            .iter()
            .any(|c| c.starts_with("default/dns-service-udp")),
        "{:?}",
        err.candidates
    );
    // Naming the port does not help; naming the Service does.
    assert!(svcx::trace(&snap, Some("default/dns-service-udp"), Some("53")).is_ok());
}

#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus (not found beside the repo)"
)]
fn ambiguous_target_exits_2_with_candidates() {
    let run = svcx(&[
        "trace",
        "-f",
        corpus("live/derailed-popeye--lint-testdata-network.yaml")
            .to_str()
            .unwrap(),
        "10.96.12.148:80",
    ]);
    assert_eq!(run.code, 2, "{run}");
    assert_stderr("ambiguous_target_stderr", &run);
}

#[test]
fn unknown_target_fails_with_close_candidates() {
    let run = svcx(&["trace", "--demo", "203.0.113.11:80"]);
    assert_eq!(run.code, 2, "{run}");
    settings().bind(|| insta::assert_snapshot!("unknown_address", run.to_string()));
    let run = svcx(&["trace", "--demo", "storefrnt"]);
    assert_eq!(run.code, 2);
    assert_stderr("unknown_name_stderr", &run);
    let run = svcx(&["trace", "--demo", "10.0.0.12:31081"]);
    assert_eq!(run.code, 2);
    assert_stderr("unknown_node_port_stderr", &run);
    let run = svcx(&["trace", "--demo", "10.0.0.12:32456"]);
    assert_eq!(run.code, 2);
    assert_stderr("health_check_node_port_stderr", &run);
    let run = svcx(&["trace", "--demo", "10.244.2.12:8081"]);
    assert_eq!(run.code, 2);
    assert_stderr("pod_port_no_service_stderr", &run);
    let run = svcx(&["trace", "--demo", "storefront", "--port", "8080"]);
    assert_eq!(run.code, 2);
    assert_stderr("unknown_port_stderr", &run);
}

#[test]
fn port_flag_traces_one_port() {
    let (_, report) = trace_json(&["--demo", "shop/storefront", "--port", "https"]);
    let paths = report["services"][0]["paths"].as_array().expect("paths");
    assert_eq!(paths.len(), 1);
    assert_eq!(paths[0]["port"]["port"], 443);
}

// ---------------------------------------------------------- exit codes, offline

#[test]
fn exit_code_is_1_only_when_a_hop_is_broken() {
    assert_eq!(
        svcx(&["trace", "--demo", "shop/storefront"]).code,
        0,
        "warn"
    );
    assert_eq!(svcx(&["trace", "--demo", "infra/metrics"]).code, 0, "ok");
    assert_eq!(svcx(&["trace", "--demo", "shop/promo"]).code, 1, "broken");
    assert_eq!(svcx(&["trace", "--demo"]).code, 1, "some Service is broken");
    assert_eq!(
        svcx(&["trace", "--demo", "-o", "mermaid", "payments/payments-api"]).code,
        1
    );
}

#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus (not found beside the repo)"
)]
fn offline_templates_stand_in_for_pods() {
    let (code, report) = trace_json(&[
        "-f",
        corpus("manifests/istio-istio--bookinfo.yaml")
            .to_str()
            .unwrap(),
        "productpage",
    ]);
    assert_eq!(code, 0);
    let hops = report["services"][0]["paths"][0]["hops"]
        .as_array()
        .expect("hops");
    let eps = hops
        .iter()
        .find(|h| h["kind"] == "endpoints")
        .expect("endpoints hop");
    assert_eq!(eps["verdict"], "ok");
    settings().bind(|| insta::assert_snapshot!("templates_endpoints_reason", eps["reason"]));
    let ep = hops
        .iter()
        .find(|h| h["kind"] == "endpoint")
        .expect("a workload");
    assert_eq!(ep["name"], "Deployment/productpage-v1");
    let container = hops
        .iter()
        .find(|h| h["kind"] == "container")
        .expect("its container");
    assert_eq!(container["port"], 9080);
    settings().bind(|| insta::assert_json_snapshot!("templates_limits", report["limits"]));
}

#[test]
fn every_hop_has_verdict_reason_address_and_port() {
    let (_, report) = trace_json(&["--demo"]);
    assert_eq!(report["schema"], 3);
    for svc in report["services"].as_array().expect("services") {
        for path in svc["paths"].as_array().expect("paths") {
            for hop in path["hops"].as_array().expect("hops") {
                let obj = hop.as_object().expect("hop object");
                for key in ["verdict", "reason", "address", "port", "kind", "id", "next"] {
                    assert!(obj.contains_key(key), "{key} in {hop}");
                }
                assert!(["ok", "warn", "broken"].contains(&hop["verdict"].as_str().unwrap()));
                assert!(!hop["reason"].as_str().unwrap().is_empty(), "{hop}");
            }
        }
    }
}

#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus (not found beside the repo)"
)]
fn no_input_makes_trace_panic() {
    let dirs = ["manifests", "live"];
    for dir in dirs {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(corpus(dir))
            .expect("corpus dir")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        // Files on threads of their own: three runs of svcx each.
        common::parallel(entries, |file| {
            let f = file.to_str().unwrap();
            for out in ["human", "json", "mermaid"] {
                let run = svcx(&["trace", "-f", f, "-o", out]);
                assert!(
                    run.code <= 2 && !run.stderr.contains("internal error"),
                    "{f}: {run}"
                );
            }
        });
    }
}

// ------------------------------------------------------------------ probe

#[test]
fn without_probe_nothing_is_probed() {
    let (_, report) = trace_json(&["--demo", "shop/storefront"]);
    assert_eq!(report["probed"], false);
    for svc in report["services"].as_array().expect("services") {
        for path in svc["paths"].as_array().expect("paths") {
            for hop in path["hops"].as_array().expect("hops") {
                assert!(hop.get("probe").is_none(), "{hop}");
            }
        }
    }
}

// -------------------------------------------------------------- snapshots

fn snap_run(name: &str, args: &[&str]) {
    let mut full = vec!["trace"];
    full.extend_from_slice(args);
    let run = svcx(&full);
    assert!(run.code <= 1, "{run}");
    settings().bind(|| insta::assert_snapshot!(name, run.to_string()));
}

#[test]
fn demo_snapshots() {
    snap_run("demo_human", &["--demo"]);
    snap_run("demo_json", &["--demo", "-o", "json"]);
    snap_run("demo_mermaid", &["--demo", "-o", "mermaid"]);
    snap_run(
        "demo_yaml_recommendations",
        &["--demo", "-o", "yaml", "shop/recommendations"],
    );
    snap_run("demo_by_lb_ip_human", &["--demo", "203.0.113.10:80"]);
    snap_run(
        "demo_by_node_port_mermaid",
        &["--demo", "-o", "mermaid", "10.0.0.12:31080"],
    );
    snap_run(
        "demo_storefront_mermaid",
        &["--demo", "-o", "mermaid", "shop/storefront"],
    );
}

#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus (not found beside the repo)"
)]
fn corpus_snapshots() {
    let cases = [
        ("bookinfo", "manifests/istio-istio--bookinfo.yaml"),
        (
            "argo_lb_live",
            "live/argoproj-argo-cd--svc-loadbalancer.yaml",
        ),
        (
            "argo_lb_unassigned_live",
            "live/argoproj-argo-cd--svc-loadbalancer-unassigned.yaml",
        ),
        (
            "popeye_network_live",
            "live/derailed-popeye--lint-testdata-network.yaml",
        ),
        (
            "ingress_nginx_baremetal",
            "manifests/kubernetes-ingress-nginx--deploy-baremetal.yaml",
        ),
    ];
    for (name, rel) in cases {
        let path = corpus(rel);
        let f = path.to_str().unwrap();
        snap_run(&format!("corpus_{name}_human"), &["-f", f]);
        snap_run(&format!("corpus_{name}_json"), &["-f", f, "-o", "json"]);
        snap_run(
            &format!("corpus_{name}_mermaid"),
            &["-f", f, "-o", "mermaid"],
        );
    }
}

// ---------------------------------------------------------- routes targets

/// A hostname a route serves is a target (its root path); a host and path
/// nothing serves fails with the hostnames there are.
#[test]
fn hosts_that_routes_serve_are_targets() {
    let (_, report) = trace_json(&["--demo", "shop.example.com"]);
    assert_eq!(report["target"]["matched"], "host-path");
    assert_eq!(report["target"]["service"], "shop/storefront");
    let run = svcx(&["trace", "--demo", "shopp.example.com/api"]);
    assert_eq!(run.code, 2, "{run}");
    assert_stderr("host_nothing_serves_stderr", &run);
    // A Gateway address with a port no listener has.
    let run = svcx(&["trace", "--demo", "203.0.113.40:8443"]);
    assert_eq!(run.code, 2, "{run}");
    assert_stderr("gateway_port_no_listener_stderr", &run);
}

/// The note that no Nodes were read goes with node hops: a trace of a
/// ClusterIP Service, which has none, does not carry it.
#[test]
fn no_nodes_note_only_with_node_hops() {
    let cluster_ip = svcx(&[
        "trace",
        "-o",
        "json",
        "-f",
        "tests/fixtures/trace/target-port.yaml",
        "tport/numeric",
    ]);
    let json: serde_json::Value = serde_json::from_str(&cluster_ip.stdout).unwrap();
    settings().bind(|| insta::assert_json_snapshot!("cluster_ip_limits", json["limits"]));
    let lb = svcx(&[
        "trace",
        "-o",
        "json",
        "-f",
        "tests/fixtures/lint/SVC303/firing.yaml",
    ]);
    let json: serde_json::Value = serde_json::from_str(&lb.stdout).unwrap();
    settings().bind(|| insta::assert_json_snapshot!("load_balancer_limits", json["limits"]));
}

/// The Ingress controller hop is where the controller serves the path,
/// as its routing model answers: the AWS Load Balancer Controller's gRPC
/// example (docs/examples/grpc at 225f445) listens on HTTPS:443 and
/// redirects HTTP with `ssl-redirect: '443'` (pkg/ingress/
/// model_build_listener.go:71-74), so the hop is port 443 with the redirect
/// said; Traefik's `router.entrypoints` (its ingress.md example) names
/// static configuration, so the hop warns that it depends.
#[test]
fn the_ingress_hop_is_where_the_controller_serves_the_path() {
    let aws = root().join("tests/corpus/official/kubernetes-sigs-aws-load-balancer-controller");
    let snap = svcx::files::load(
        &[
            aws.join("kubernetes-sigs-aws-load-balancer-controller--docs-examples-grpc-grpcserver-ingress.yaml"),
            aws.join("kubernetes-sigs-aws-load-balancer-controller--docs-examples-grpc-grpcserver-service.yaml"),
        ],
        Scope::AllNamespaces,
        None,
    )
    .expect("the example loads");
    let report = trace(&snap, "grpcserver.example.com/helloworld.Greeter");
    let ic = hop(path(&report), HopKind::IngressController);
    assert_eq!(ic.port, Some(443));
    assert_eq!(ic.verdict, Verdict::Ok);
    assert_eq!(ic.notes.len(), 1, "{:?}", ic.notes);

    let traefik = svcx::files::load(
        &[
            root().join("tests/fixtures/routing/traefik-ingress-router-tls.yaml"),
            root().join("tests/fixtures/routing/traefik-ingress-whoami.yaml"),
        ],
        Scope::AllNamespaces,
        None,
    )
    .expect("the example loads");
    let report = trace(&traefik, "example.com/bar");
    let ic = hop(path(&report), HopKind::IngressController);
    assert_eq!(ic.verdict, Verdict::Warn);
    assert!(
        ic.notes.iter().any(|n| n.starts_with("depends: ")),
        "{:?}",
        ic.notes
    );
}

/// Traced by host and path, the Ingress controller hop judges the
/// controller's own pods' policies for the clients outside that reach them:
/// ingress-nginx's official install (deploy/static/provider/aws) with the
/// documentation's default-deny ingress policy in its namespace isolates
/// the controller pods, and no rule admits the clients (networking/v1
/// `NetworkPolicySpec.podSelector`: a selected pod takes only what a rule
/// allows), so the path is broken there, as traced through the
/// controller's Service it is.
#[test]
fn a_default_deny_on_the_controller_breaks_the_ingress_hop() {
    let install = root().join(
        "tests/corpus/official/kubernetes-ingress-nginx/kubernetes-ingress-nginx--deploy-static-provider-aws-deploy.yaml",
    );
    let ingress_hop = |files: &[PathBuf]| {
        let snap = svcx::files::load(files, Scope::AllNamespaces, None).expect("the install loads");
        let report = trace(&snap, "shop.example.com/");
        hop(path(&report), HopKind::IngressController).clone()
    };
    let open = ingress_hop(&[install.clone(), fixture("ingress-app.yaml")]);
    assert_eq!(open.verdict, Verdict::Ok, "{open:#?}");
    let denied = ingress_hop(&[
        install,
        fixture("ingress-app.yaml"),
        fixture("default-deny-ingress.yaml"),
    ]);
    assert_eq!(denied.verdict, Verdict::Broken, "{denied:#?}");
    assert_eq!(codes(&denied), ["SVC115"]);
}

/// The Gateway hop judges its own proxies' policies for the clients
/// outside, as the class's implementation places the proxies. Istio's
/// official httpbin Gateway sample, with the documentation's default-deny
/// ingress policy in its namespace: istiod runs the proxies in the
/// Gateway's namespace, labelled `gateway.networking.k8s.io/gateway-name`
/// (istio/istio 86c9f01 manifests/charts/istio-control/istio-discovery/
/// files/kube-gateway.yaml), so the policy isolates them and admits no
/// client, whether the policies see the client's address or a node's
/// after source NAT: broken, also through the Service istiod creates.
/// Without the policy the
/// hop is ok; served by Cilium, whose Envoy is not a pod a NetworkPolicy
/// selects (docs.cilium.io, "Ingress and Network Policy"), the policy is
/// not theirs; with no GatewayClass read, where the proxies run is the
/// implementation's to say, so it depends. Envoy Gateway's quickstart: its
/// proxies run in its own namespace by default (envoyproxy/gateway d32f282
/// api/v1alpha1/envoygateway_types.go), so it depends.
#[test]
fn a_default_deny_beside_a_gateway_reaches_its_proxies_as_their_implementation_places_them() {
    let istio = root().join("tests/corpus/official/istio-istio");
    let sample = istio.join("istio-istio--samples-httpbin-gateway-api-httpbin-gateway.yaml");
    let backend = istio.join("istio-istio--samples-httpbin-httpbin-nodeport.yaml");
    let gateway_hop = |files: &[PathBuf], target: &str| {
        let snap = svcx::files::load(files, Scope::AllNamespaces, None).expect("the sample loads");
        let report = trace(&snap, target);
        let s = only(&report);
        let gateways: Vec<Hop> = s
            .paths
            .iter()
            .flat_map(|p| {
                p.hops
                    .iter()
                    .filter(|h| h.kind == HopKind::Gateway)
                    .cloned()
            })
            .collect();
        assert_eq!(gateways.len(), 1, "{gateways:#?}");
        gateways[0].clone()
    };
    let deny = fixture("default-deny-ingress-docs.yaml");
    let with = |class: Option<&str>, policy: bool| {
        let mut files = vec![sample.clone(), backend.clone()];
        files.extend(class.map(fixture));
        if policy {
            files.push(deny.clone());
        }
        gateway_hop(&files, "default/httpbin")
    };
    let open = with(Some("gatewayclass-istio.yaml"), false);
    assert_eq!(open.verdict, Verdict::Ok, "{open:#?}");
    let denied = with(Some("gatewayclass-istio.yaml"), true);
    assert_eq!(denied.verdict, Verdict::Broken, "{denied:#?}");
    assert!(
        denied.reason.contains("default/default-deny-ingress"),
        "{denied:#?}"
    );
    let cilium = with(Some("gatewayclass-cilium.yaml"), true);
    assert_eq!(cilium.verdict, Verdict::Ok, "{cilium:#?}");
    let unread = with(None, true);
    assert_eq!(unread.verdict, Verdict::Warn, "{unread:#?}");

    // With the Service and Deployment istiod creates for the Gateway, the
    // proxies are those pods, reached through that Service: the same
    // answers, from its endpoints.
    let generated = |policy: bool| {
        let mut files = vec![
            sample.clone(),
            backend.clone(),
            fixture("gatewayclass-istio.yaml"),
            fixture("istio-httpbin-gateway-deployment.yaml"),
        ];
        if policy {
            files.push(deny.clone());
        }
        gateway_hop(&files, "default/httpbin")
    };
    assert_eq!(generated(false).verdict, Verdict::Ok);
    let through_service = generated(true);
    assert_eq!(
        through_service.verdict,
        Verdict::Broken,
        "{through_service:#?}"
    );
    assert_ne!(
        through_service.reason, denied.reason,
        "{through_service:#?}"
    );

    let eg = root().join(
        "tests/corpus/official/envoyproxy-gateway/envoyproxy-gateway--examples-kubernetes-quickstart.yaml",
    );
    let eg_open = gateway_hop(std::slice::from_ref(&eg), "default/backend");
    assert_eq!(eg_open.verdict, Verdict::Ok, "{eg_open:#?}");
    let eg_denied = gateway_hop(&[eg, deny], "default/backend");
    assert_eq!(eg_denied.verdict, Verdict::Warn, "{eg_denied:#?}");
}

/// Cilium's Ingress and Gateway are its Envoy, not pods, and their requests
/// to the backends carry its reserved identity `ingress` (docs.cilium.io,
/// network/servicemesh/ingress-and-network-policy). Cilium turns a
/// NetworkPolicy into its own rules (cilium/cilium 0a0f0d9
/// pkg/k8s/network_policy.go `ParseNetworkPolicy`, `parseNetworkPolicyPeer`):
/// a rule without `from` selects every identity, an empty namespaceSelector
/// requires a namespace label, which the identity lacks. So on Cilium's
/// official basic Ingress and basic Gateway examples with Istio's Bookinfo
/// (which Cilium's docs apply), the documentation's default-deny drops the
/// proxies, its allow-all admits them, and an "all namespaces" peer drops
/// them: exact answers, the same through the Ingress and the Gateway.
#[test]
fn cilium_proxies_are_admitted_only_by_a_rule_without_peers() {
    let cilium = root().join("tests/corpus/official/cilium-cilium");
    let bookinfo = root().join(
        "tests/corpus/official/istio-istio/istio-istio--samples-bookinfo-platform-kube-bookinfo.yaml",
    );
    let ways = [
        vec![cilium.join("cilium-cilium--examples-kubernetes-servicemesh-basic-ingress.yaml")],
        vec![
            cilium.join("cilium-cilium--examples-kubernetes-gateway-basic-http.yaml"),
            fixture("gatewayclass-cilium-installed.yaml"),
        ],
    ];
    for way in ways {
        let verdict = |policies: &[&str]| {
            let mut files = way.clone();
            files.push(bookinfo.clone());
            files.extend(policies.iter().map(|p| fixture(p)));
            let snap =
                svcx::files::load(&files, Scope::AllNamespaces, None).expect("the example loads");
            let report = trace(&snap, "any.example/details");
            only(&report).verdict
        };
        assert_eq!(verdict(&[]), Verdict::Ok, "{way:?}");
        assert_eq!(
            verdict(&["default-deny-ingress-docs.yaml"]),
            Verdict::Broken,
            "{way:?}"
        );
        assert_eq!(
            verdict(&[
                "default-deny-ingress-docs.yaml",
                "allow-all-ingress-docs.yaml"
            ]),
            Verdict::Ok,
            "{way:?}"
        );
        assert_eq!(
            verdict(&["allow-from-all-namespaces.yaml"]),
            Verdict::Broken,
            "{way:?}"
        );
    }
}

/// A route of a more specific hostname matches no rule for the request,
/// one of a less specific hostname does. Envoy Gateway and Istio make one
/// virtual host per route hostname and match only within the most
/// specific one (envoyproxy/gateway d32f282
/// internal/xds/translator/translator.go, "1:1 between IR HTTPRoute
/// Hostname and xDS VirtualHost"; istio/istio 86c9f01
/// pilot/pkg/config/kube/gateway/route_collections.go, "Create one VS per
/// hostname"), and so do Contour (projectcontour/contour 31c4bb3
/// internal/envoy/v3/route.go, a virtual host per hostname) and kgateway
/// (`routesByHost`): 404, so nothing serves it. The specification ranks the rules
/// that match and does not say, so for a class svcx does not know the
/// catch-all route serves it, "depends". Envoy Gateway's quickstart with a
/// user's two routes, one for `docs.example.com/guide` and a catch-all.
#[test]
fn a_more_specific_hostname_keeps_its_requests_on_envoy_gateway_and_istio() {
    let routes = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: docs\nspec:\n  \
                  parentRefs:\n  - name: eg\n  hostnames: [docs.example.com]\n  rules:\n  - matches:\n    - path: \
                  {type: PathPrefix, value: /guide}\n    backendRefs:\n    - {name: backend, port: 3000}\n---\n\
                  apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: catch-all\nspec:\n  \
                  parentRefs:\n  - name: eg\n  rules:\n  - backendRefs:\n    - {name: backend, port: 3000}\n";
    let dir = tempfile::tempdir().unwrap();
    let run = |class: &str, extra: Option<PathBuf>| {
        let example = eg_quickstart_of_class(dir.path(), class);
        let user = dir.path().join("routes.yaml");
        std::fs::write(&user, routes).unwrap();
        let mut args = vec![
            "trace".to_string(),
            "-o".into(),
            "json".into(),
            "-f".into(),
            example.display().to_string(),
            "-f".into(),
            user.display().to_string(),
        ];
        if let Some(e) = extra {
            args.extend(["-f".into(), e.display().to_string()]);
        }
        args.push("docs.example.com/other".into());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        svcx(&args)
    };
    assert_eq!(run("eg", None).code, 2, "Envoy Gateway answers 404");
    for class in ["istio", "contour", "kgateway"] {
        assert_eq!(
            run(class, Some(fixture(&format!("gatewayclass-{class}.yaml")))).code,
            2,
            "{class} answers 404"
        );
    }
    let unknown = run("other", None);
    assert_eq!(unknown.code, 0, "{unknown}");
    let json: Value = serde_json::from_str(&unknown.stdout).unwrap();
    let served = json["target"]["routes"].as_array().unwrap();
    assert_eq!(served.len(), 1, "{json:#}");
    let route = served[0].as_str().unwrap();
    assert!(
        route.starts_with("HTTPRoute default/catch-all rule 0") && route.contains("(depends: "),
        "{route}"
    );
    // A path the specific route serves stays its own everywhere.
    let example = dir.path().join("quickstart-eg.yaml");
    let guide = svcx(&[
        "trace",
        "-o",
        "json",
        "-f",
        example.to_str().unwrap(),
        "-f",
        dir.path().join("routes.yaml").to_str().unwrap(),
        "docs.example.com/guide",
    ]);
    assert_eq!(guide.code, 0, "{guide}");
    let json: Value = serde_json::from_str(&guide.stdout).unwrap();
    assert!(
        json["target"]["routes"][0]
            .as_str()
            .unwrap()
            .starts_with("HTTPRoute default/docs rule 0"),
        "{json:#}"
    );
}

/// Traefik's Gateway provider makes every match a router of the entry
/// point, ranked by a priority sum across hostnames (traefik/traefik
/// fd5a576 pkg/provider/kubernetes/gateway/httproute.go `buildMatchRule`,
/// `buildPathRule`, `buildHostRule`: a PathPrefix 10000 plus 100 per
/// character, the hostname only its length): of a user's route for
/// `foo.example.com` and PathPrefix `/` and one for `*.example.com` and
/// PathPrefix `/api`, `foo.example.com/api` is the wildcard's, where the
/// specification (and any class svcx does not know) gives it to the more
/// specific hostname. Its `PathRegexp` matches anywhere in the path
/// (pkg/muxer/http/matcher.go): `/x/api/v1/y` is the expression
/// `/api/v[0-9]+/.*`'s. Envoy Gateway's quickstart with the user's routes.
#[test]
fn traefik_ranks_its_routers_by_priority_across_hostnames() {
    let routes = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: specific\nspec:\n  \
                  parentRefs:\n  - name: eg\n  hostnames: [foo.example.com]\n  rules:\n  - backendRefs:\n    - \
                  {name: backend, port: 3000}\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n\
                  metadata:\n  name: wild\nspec:\n  parentRefs:\n  - name: eg\n  hostnames: [\"*.example.com\"]\n  \
                  rules:\n  - matches:\n    - path: {type: PathPrefix, value: /api}\n    - path: {type: \
                  RegularExpression, value: \"/api/v[0-9]+/.*\"}\n    backendRefs:\n    - {name: backend, port: \
                  3000}\n";
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join("routes.yaml");
    std::fs::write(&user, routes).unwrap();
    let served = |class: &str, target: &str| {
        let example = eg_quickstart_of_class(dir.path(), class);
        let class_file = fixture(&format!("gatewayclass-{class}.yaml"));
        let mut args = vec![
            "-f",
            example.to_str().unwrap(),
            "-f",
            user.to_str().unwrap(),
            target,
        ];
        if class_file.exists() {
            args.extend(["-f", class_file.to_str().unwrap()]);
        }
        let (_, json) = trace_json(&args);
        json["target"]["routes"][0].as_str().unwrap().to_string()
    };
    assert!(served("traefik", "foo.example.com/api").starts_with("HTTPRoute default/wild rule 0"));
    assert!(
        served("other", "foo.example.com/api").starts_with("HTTPRoute default/specific rule 0")
    );
    assert!(
        served("traefik", "foo.example.com/x/api/v1/y")
            .starts_with("HTTPRoute default/wild rule 0")
    );
    assert!(
        served("traefik", "foo.example.com/web").starts_with("HTTPRoute default/specific rule 0")
    );
}

/// A `RegularExpression` query parameter match is a match (Envoy Gateway
/// writes it as Envoy's `safe_regex`, envoyproxy/gateway d32f282
/// internal/gatewayapi/route.go), and a rule with more query matches comes
/// first (the specification's precedence): `/q?v=12` is the versioned
/// rule's, `/q?v=x` the plain one's. Envoy Gateway's quickstart with a
/// user's route.
#[test]
fn a_regular_expression_query_match_is_evaluated() {
    let route = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: versions\nspec:\n  \
                 parentRefs:\n  - name: eg\n  hostnames: [www.example.com]\n  rules:\n  - matches:\n    - path: \
                 {type: PathPrefix, value: /q}\n      queryParams:\n      - {type: RegularExpression, name: v, value: \
                 \"[0-9]+\"}\n    backendRefs:\n    - {name: backend, port: 3000}\n  - matches:\n    - path: {type: \
                 PathPrefix, value: /q}\n    backendRefs:\n    - {name: backend, port: 3000}\n";
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join("versions.yaml");
    std::fs::write(&user, route).unwrap();
    let quickstart = root().join(
        "tests/corpus/official/envoyproxy-gateway/envoyproxy-gateway--examples-kubernetes-quickstart.yaml",
    );
    for (target, rule) in [("www.example.com/q?v=12", 0), ("www.example.com/q?v=x", 1)] {
        let (_, json) = trace_json(&[
            "-f",
            quickstart.to_str().unwrap(),
            "-f",
            user.to_str().unwrap(),
            target,
        ]);
        let served = json["target"]["routes"][0].as_str().unwrap();
        assert!(
            served.starts_with(&format!("HTTPRoute default/versions rule {rule} ")),
            "{target}: {served}"
        );
    }
}

/// Two routes' rules that match a request equally: the specification gives
/// it to the older route, and Contour, where their matches differ, to the
/// rule that comes first in its own route (projectcontour/contour 31c4bb3
/// internal/sorter/sorter.go `routeSorter.Less`, the rule index as
/// `Priority`, before anything about the route). An older route's second
/// rule (`/x` with query `a=1`) and a newer route's first (`/x` with query
/// `b=1`, sent to another Service), as a cluster lists them:
/// `/x?a=1&b=1` is the newer's on Contour, the older's otherwise. Envoy
/// Gateway's quickstart with the user's routes.
#[test]
fn contour_orders_tied_rules_by_their_place_in_their_route() {
    let routes = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: old\n  \
                  creationTimestamp: \"2026-01-01T00:00:00Z\"\nspec:\n  parentRefs:\n  - name: eg\n  rules:\n  - \
                  matches:\n    - path: {type: PathPrefix, value: /y}\n    backendRefs:\n    - {name: backend, \
                  port: 3000}\n  - matches:\n    - path: {type: PathPrefix, value: /x}\n      queryParams:\n      - \
                  {name: a, value: \"1\"}\n    backendRefs:\n    - {name: backend, port: 3000}\n---\napiVersion: \
                  gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: new\n  creationTimestamp: \
                  \"2026-06-01T00:00:00Z\"\nspec:\n  parentRefs:\n  - name: eg\n  rules:\n  - matches:\n    - path: \
                  {type: PathPrefix, value: /x}\n      queryParams:\n      - {name: b, value: \"1\"}\n    \
                  backendRefs:\n    - {name: backend-v2, port: 3000}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  \
                  name: backend-v2\nspec:\n  selector: {app: backend}\n  ports:\n  - {port: 3000, targetPort: 3000}\n";
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join("routes.yaml");
    std::fs::write(&user, routes).unwrap();
    let served = |class: &str| {
        let example = eg_quickstart_of_class(dir.path(), class);
        let class_file = fixture(&format!("gatewayclass-{class}.yaml"));
        let mut args = vec![
            "-f",
            example.to_str().unwrap(),
            "-f",
            user.to_str().unwrap(),
        ];
        if class_file.exists() {
            args.extend(["-f", class_file.to_str().unwrap()]);
        }
        args.push("any.example.com/x?a=1&b=1");
        let (_, json) = trace_json(&args);
        json["target"]["routes"][0].as_str().unwrap().to_string()
    };
    assert!(served("contour").starts_with("HTTPRoute default/new rule 0 "));
    assert!(served("eg").starts_with("HTTPRoute default/old rule 1 "));
}

/// Where the specification leaves a RegularExpression path's precedence to
/// the implementation, Envoy Gateway ranks it below Exact and above every
/// PathPrefix, a longer expression first (envoyproxy/gateway d32f282
/// internal/gatewayapi/sort.go): `/r/very/long/prefix/x` is the regular
/// expression's; for a class svcx does not know, "depends". Envoy Gateway's
/// quickstart with a user's route.
#[test]
fn envoy_gateway_ranks_a_regular_expression_path_between_exact_and_prefix() {
    let route = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: paths\nspec:\n  \
                 parentRefs:\n  - name: eg\n  hostnames: [www.example.com]\n  rules:\n  - matches:\n    - path: \
                 {type: RegularExpression, value: \"/r/.*\"}\n    backendRefs:\n    - {name: backend, port: 3000}\n  \
                 - matches:\n    - path: {type: PathPrefix, value: /r/very/long/prefix}\n    backendRefs:\n    - \
                 {name: backend-v2, port: 3000}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: backend-v2\n\
                 spec:\n  selector: {app: backend}\n  ports:\n  - {port: 3000, targetPort: 3000}\n";
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join("paths.yaml");
    std::fs::write(&user, route).unwrap();
    for (class, want) in [
        ("eg", "HTTPRoute default/paths rule 0 "),
        ("other", "(depends: "),
    ] {
        let example = eg_quickstart_of_class(dir.path(), class);
        let (_, json) = trace_json(&[
            "-f",
            example.to_str().unwrap(),
            "-f",
            user.to_str().unwrap(),
            "www.example.com/r/very/long/prefix/x",
        ]);
        let served = json["target"]["routes"][0].as_str().unwrap();
        assert!(served.contains(want), "{class}: {served}");
        assert_eq!(
            served.contains("rule 1"),
            class == "other",
            "{class}: {served}"
        );
    }
}

/// Istio ranks a RegularExpression path below every Exact and PathPrefix
/// (istio/istio 86c9f01 pilot/pkg/config/kube/gateway/conversion.go
/// `sortHTTPRoutes`), and counts a PathPrefix's length without its
/// trailing `/` (`createURIMatch`: the specification's "a trailing `/` is
/// ignored"). On the input of its route-precedence golden test, whose
/// golden file puts the regular expression `/foo((\/).*)?` last: `/foo` is
/// the PathPrefix `/` rule's (svc3), `/foo/bar` the `/foo/bar` one's. And
/// `/docs` and `/docs/` tie, so the first rule serves `/docs/x`.
#[test]
fn istio_ranks_regular_expressions_last_and_prefixes_without_their_slash() {
    let routing = |name: &str| root().join("tests/fixtures/routing").join(name);
    let precedence = routing("istio-gateway-route-precedence.yaml");
    for (target, want) in [
        (
            "a.domain.example/foo",
            "HTTPRoute allowed-2/http rule 2 via",
        ),
        (
            "a.domain.example/foo/bar",
            "HTTPRoute allowed-2/http rule 0 via",
        ),
    ] {
        let (_, json) = trace_json(&["-f", precedence.to_str().unwrap(), target]);
        let served = json["target"]["routes"].as_array().unwrap();
        assert_eq!(served.len(), 1, "{target}: {json:#}");
        assert!(
            served[0].as_str().unwrap().starts_with(want),
            "{target}: {served:?}"
        );
    }
    let slash = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: docs, namespace: \
                 allowed-2}\nspec:\n  parentRefs: [{name: gateway, namespace: istio-system}]\n  hostnames: \
                 [docs.domain.example]\n  rules:\n  - matches: [{path: {type: PathPrefix, value: /docs}}]\n    \
                 backendRefs: [{name: svc1, port: 80}]\n  - matches: [{path: {type: PathPrefix, value: /docs/}}]\n    \
                 backendRefs: [{name: svc2, port: 80}]\n";
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join("docs.yaml");
    std::fs::write(&user, slash).unwrap();
    let (_, json) = trace_json(&[
        "-f",
        precedence.to_str().unwrap(),
        "-f",
        user.to_str().unwrap(),
        "docs.domain.example/docs/x",
    ]);
    let served = json["target"]["routes"][0].as_str().unwrap();
    assert!(
        served.starts_with("HTTPRoute allowed-2/docs rule 0 via"),
        "{served}"
    );
}

/// A rule all of whose backendRefs have weight 0: what it answers is not
/// specified, and Envoy Gateway answers 500 ("all valid destinations
/// having 0 weight", envoyproxy/gateway d32f282
/// internal/gatewayapi/route.go), Contour 500 (projectcontour/contour
/// 31c4bb3 internal/dag/gatewayapi_processor.go `clusterRoutes`), Traefik
/// 503 (traefik/traefik fd5a576 pkg/provider/kubernetes/gateway, a
/// weighted round robin with no weight), so only another class's answer
/// depends. None reaches a Service.
#[test]
fn a_rule_of_zero_weights_is_a_500_on_envoy_gateway() {
    let route = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: zero\nspec:\n  \
                 parentRefs:\n  - name: eg\n  hostnames: [zero.example.com]\n  rules:\n  - backendRefs:\n    - \
                 {name: backend, port: 3000, weight: 0}\n";
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join("zero.yaml");
    std::fs::write(&user, route).unwrap();
    for (class, answer) in [
        ("eg", Some(500)),
        ("contour", Some(500)),
        ("traefik", Some(503)),
        ("other", None),
    ] {
        let example = eg_quickstart_of_class(dir.path(), class);
        let installed = fixture(&format!("gatewayclass-{class}.yaml"));
        let mut args = vec![
            "trace",
            "-f",
            example.to_str().unwrap(),
            "-f",
            user.to_str().unwrap(),
            "zero.example.com/",
        ];
        if installed.exists() {
            args.extend(["-f", installed.to_str().unwrap()]);
        }
        let run = svcx(&args);
        assert_eq!(run.code, 2, "{run}");
        assert_eq!(
            run.stderr.contains("(depends: "),
            answer.is_none(),
            "{class}: {run}"
        );
        if let Some(status) = answer {
            assert!(
                run.stderr
                    .contains(&format!("which answers {status} itself")),
                "{class}: {run}"
            );
        }
    }
}

/// An EnvoyProxy named by an Envoy Gateway class (`parametersRef`) can
/// change where its proxies run and how they are labelled: with
/// `mergeGateways: true` (its official merged-gateways example) every
/// Gateway of the class shares one fleet labelled only
/// `gateway.envoyproxy.io/owning-gatewayclass` (envoyproxy/gateway d32f282
/// internal/gatewayapi/translator.go), so a user's policy admitting the
/// per-Gateway owner labels does not admit them. svcx does not read the
/// EnvoyProxy, so what the backends' policies do to the proxies depends
/// (warn); without the parametersRef the class places them by Envoy
/// Gateway's rules, and the policy, admitting only one Gateway's proxies,
/// breaks the others.
#[test]
fn an_envoy_proxy_that_customises_the_proxies_makes_their_answers_depend() {
    let example = root().join(
        "tests/corpus/official/envoyproxy-gateway/envoyproxy-gateway--examples-kubernetes-merged-gateways.yaml",
    );
    let policy = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: from-gateway\nspec:\n  \
                  podSelector: {matchLabels: {app: merged-backend}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    \
                  - namespaceSelector: {}\n      podSelector:\n        matchLabels:\n          \
                  gateway.envoyproxy.io/owning-gateway-name: merged-eg-1\n          \
                  gateway.envoyproxy.io/owning-gateway-namespace: default\n";
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join("policy.yaml");
    std::fs::write(&user, policy).unwrap();
    let text = std::fs::read_to_string(&example).unwrap();
    let plain = text.replacen(
        "  parametersRef:\n    group: gateway.envoyproxy.io\n    kind: EnvoyProxy\n    name: custom-proxy-config\n    \
         namespace: envoy-gateway-system\n",
        "",
        1,
    );
    assert_ne!(plain, text);
    let uncustomised = dir.path().join("merged-gateways.yaml");
    std::fs::write(&uncustomised, plain).unwrap();
    let verdict = |file: &PathBuf| {
        let snap = svcx::files::load(&[file.clone(), user.clone()], Scope::AllNamespaces, None)
            .expect("the example loads");
        only(&trace(&snap, "default/merged-backend")).verdict
    };
    assert_eq!(verdict(&example), Verdict::Warn);
    assert_eq!(verdict(&uncustomised), Verdict::Broken);
}

/// An EnvoyProxy that only sets what the proxies log (Envoy Gateway's
/// official text-accesslog example, its class `eg` named by the
/// quickstart's Gateway) leaves them where Envoy Gateway places them, so a
/// user's policy on the backend admitting the quickstart Gateway's proxies
/// by their two owner labels (envoyproxy/gateway d32f282
/// internal/infrastructure/kubernetes/proxy/resource_provider.go
/// `envoyLabels`) admits them. Before svcx read the EnvoyProxy, any
/// parametersRef made the answer depend; it still does when the EnvoyProxy
/// named is not in the input.
#[test]
fn an_envoy_proxy_that_only_sets_telemetry_keeps_the_proxies_placed() {
    let official = root().join("tests/corpus/official/envoyproxy-gateway");
    let accesslog =
        official.join("envoyproxy-gateway--examples-kubernetes-accesslog-text-accesslog.yaml");
    let quickstart = official.join("envoyproxy-gateway--examples-kubernetes-quickstart.yaml");
    let policy = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: from-gateway\nspec:\n  \
                  podSelector: {matchLabels: {app: backend}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    \
                  - namespaceSelector: {}\n      podSelector:\n        matchLabels:\n          \
                  gateway.envoyproxy.io/owning-gateway-name: eg\n          \
                  gateway.envoyproxy.io/owning-gateway-namespace: default\n";
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join("policy.yaml");
    std::fs::write(&user, policy).unwrap();
    // The class alone, its EnvoyProxy left out.
    let text = std::fs::read_to_string(&accesslog).unwrap();
    let class_only = dir.path().join("class-only.yaml");
    std::fs::write(
        &class_only,
        &text[..text.find("\n---\n").expect("two documents")],
    )
    .unwrap();
    // What the backend's policy does to the proxies' requests.
    let admission = |class: &PathBuf| {
        // The class first: the quickstart's own `eg` class, read second,
        // is the duplicate left out.
        let (_, report) = trace_json(&[
            "-f",
            class.to_str().unwrap(),
            "-f",
            quickstart.to_str().unwrap(),
            "-f",
            user.to_str().unwrap(),
            "default/backend",
        ]);
        report["services"][0]["paths"][0]["hops"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|h| h["admissions"].as_array().cloned().unwrap_or_default())
            .find(|a| a["source"]["kind"] == "gateway")
            .map(|a| a["admission"].as_str().unwrap().to_string())
    };
    assert_eq!(admission(&accesslog).as_deref(), Some("admitted"));
    assert_eq!(admission(&class_only).as_deref(), Some("depends"));
}

/// An EnvoyProxy whose `envoyService.type` is ClusterIP keeps its
/// Gateways' proxies inside the cluster (envoyproxy/gateway d32f282
/// api/v1alpha1/kubernetes_helpers.go: LoadBalancer unless it says
/// otherwise): the Gateway hop warns. Envoy Gateway's access-log example
/// with its EnvoyProxy given that Service type, as a user would, and the
/// quickstart's Gateway of the class; unedited, the hop is ok.
#[test]
fn an_envoy_proxy_with_a_cluster_ip_service_keeps_the_gateway_inside() {
    let official = root().join("tests/corpus/official/envoyproxy-gateway");
    let accesslog =
        official.join("envoyproxy-gateway--examples-kubernetes-accesslog-text-accesslog.yaml");
    let quickstart = official.join("envoyproxy-gateway--examples-kubernetes-quickstart.yaml");
    let text = std::fs::read_to_string(&accesslog).unwrap();
    let edited = text.replacen(
        "spec:\n  telemetry:",
        "spec:\n  provider:\n    type: Kubernetes\n    kubernetes:\n      envoyService:\n        type: ClusterIP\n  \
         telemetry:",
        1,
    );
    assert_ne!(text, edited);
    let dir = tempfile::tempdir().unwrap();
    let inside = dir.path().join("accesslog-cluster-ip.yaml");
    std::fs::write(&inside, edited).unwrap();
    let gateway_hop = |class: &PathBuf| {
        let (_, report) = trace_json(&[
            "-f",
            class.to_str().unwrap(),
            "-f",
            quickstart.to_str().unwrap(),
            "default/backend",
        ]);
        report["services"][0]["paths"][0]["hops"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["kind"] == "gateway")
            .expect("a Gateway hop")
            .clone()
    };
    assert_eq!(gateway_hop(&accesslog)["verdict"], "ok");
    let hop = gateway_hop(&inside);
    assert_eq!(hop["verdict"], "warn", "{hop:#}");
}

/// Istio creates a Gateway's Service of the type its annotation
/// `networking.istio.io/service-type` names (istio/istio 86c9f01
/// pilot/pkg/config/kube/gatewaycommon/deploymentcontroller.go): with
/// `ClusterIP`, only clients inside the cluster reach the Gateway, and the
/// Gateway hop warns. Istio's httpbin Gateway sample with the annotation
/// added as a user would; unedited, the hop is ok.
#[test]
fn an_istio_gateway_of_service_type_cluster_ip_stays_inside() {
    let edit = (
        "  name: httpbin-gateway\n",
        "  name: httpbin-gateway\n  annotations:\n    networking.istio.io/service-type: ClusterIP\n",
    );
    assert_eq!(istio_httpbin_gateway_hop(None, &[]), Verdict::Ok);
    assert_eq!(istio_httpbin_gateway_hop(Some(edit), &[]), Verdict::Warn);
}

/// An Istio Gateway whose one address is a hostname is served by proxies
/// deployed by hand, those of the Service it names (Istio's "manual
/// deployment": istio/istio 86c9f01
/// pilot/pkg/config/kube/gatewaycommon/gateway_utils.go `IsManaged`), not
/// by pods istiod creates beside it. Istio's httpbin Gateway sample given
/// the address its documentation's manual deployment uses
/// (`istio-ingressgateway.istio-system.svc.cluster.local`, type Hostname),
/// with the Kubernetes documentation's default-deny in its namespace: the
/// policy may not be where the proxies are, so the Gateway hop is "depends"
/// (warn), where without the address it is broken.
#[test]
fn an_istio_gateway_deployed_by_hand_is_not_placed_beside_it() {
    let edit = (
        "spec:\n  gatewayClassName: istio\n",
        "spec:\n  addresses:\n  - value: istio-ingressgateway.istio-system.svc.cluster.local\n    type: Hostname\n  \
         gatewayClassName: istio\n",
    );
    let deny = ["default-deny-ingress-docs.yaml"];
    assert_eq!(istio_httpbin_gateway_hop(None, &deny), Verdict::Broken);
    assert_eq!(istio_httpbin_gateway_hop(Some(edit), &deny), Verdict::Warn);
}

/// The Gateway hop's verdict on Istio's httpbin Gateway sample (edited as
/// a user would, when `edit` says how) with its backend, istiod's
/// GatewayClass and the trace fixtures `policies`.
fn istio_httpbin_gateway_hop(edit: Option<(&str, &str)>, policies: &[&str]) -> Verdict {
    let istio = root().join("tests/corpus/official/istio-istio");
    let sample = istio.join("istio-istio--samples-httpbin-gateway-api-httpbin-gateway.yaml");
    let dir = tempfile::tempdir().unwrap();
    let gateway = match edit {
        Some(e) => edited(dir.path(), &sample, &[e]),
        None => sample,
    };
    let mut files = vec![
        gateway,
        istio.join("istio-istio--samples-httpbin-httpbin-nodeport.yaml"),
        fixture("gatewayclass-istio.yaml"),
    ];
    files.extend(policies.iter().map(|p| fixture(p)));
    let snap = svcx::files::load(&files, Scope::AllNamespaces, None).expect("the sample loads");
    let report = trace(&snap, "default/httpbin");
    only(&report)
        .paths
        .iter()
        .flat_map(|p| p.hops.iter().filter(|h| h.kind == HopKind::Gateway))
        .map(|h| h.verdict)
        .max()
        .expect("a Gateway hop")
}

/// Envoy Gateway runs a Gateway's proxies in its own namespace by default
/// (envoyproxy/gateway d32f282 api/v1alpha1/envoygateway_types.go,
/// `ControllerNamespace`): `envoy-gateway-system` as its documentation
/// installs it, or its controller's namespace when the input holds it. The
/// documentation's default-deny applied there isolates the proxies from the
/// clients, whose address its proxy Service keeps, so on its quickstart the
/// Gateway hop is no longer ok (it stays a warning: in its GatewayNamespace
/// mode the proxies run beside the Gateway instead); the same policy in an
/// unrelated namespace changes nothing.
#[test]
fn a_default_deny_in_envoy_gateways_namespace_reaches_its_proxies() {
    let quickstart = root().join(
        "tests/corpus/official/envoyproxy-gateway/envoyproxy-gateway--examples-kubernetes-quickstart.yaml",
    );
    let dir = tempfile::tempdir().unwrap();
    let gateway_hop = |namespace: &str| {
        let policy = dir.path().join(format!("deny-{namespace}.yaml"));
        std::fs::write(
            &policy,
            format!(
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-ingress\n  \
                 namespace: {namespace}\nspec:\n  podSelector: {{}}\n  policyTypes:\n  - Ingress\n"
            ),
        )
        .unwrap();
        let snap = svcx::files::load(&[quickstart.clone(), policy], Scope::AllNamespaces, None)
            .expect("the example loads");
        let report = trace(&snap, "default/backend");
        let s = only(&report);
        s.paths
            .iter()
            .flat_map(|p| p.hops.iter().filter(|h| h.kind == HopKind::Gateway))
            .next()
            .expect("a Gateway hop")
            .clone()
    };
    let denied = gateway_hop("envoy-gateway-system");
    assert_eq!(denied.verdict, Verdict::Warn, "{denied:#?}");
    // Its proxy Service keeps the client's address (externalTrafficPolicy
    // Local by default, api/v1alpha1/kubernetes_helpers.go): dropped
    // there, not "depends" on source NAT.
    assert!(
        denied
            .reason
            .contains("envoy-gateway-system, by default: there, dropped"),
        "{denied:#?}"
    );
    assert_eq!(gateway_hop("shop").verdict, Verdict::Ok);
}

/// A network plugin's own policy can admit what NetworkPolicies drop and
/// drop what they admit (Cilium: allow rules add to the NetworkPolicies',
/// deny rules take precedence, docs.cilium.io security/policy/language),
/// and svcx does not evaluate it: where one may select the backends, the
/// policy answer is "depends", not what the NetworkPolicies alone say.
/// Istio's httpbin Gateway sample is ok as it is; with Cilium's official
/// default-deny CiliumClusterwideNetworkPolicy
/// (examples/kubernetes/servicemesh/policy/default-deny.yaml, which its
/// docs show answering 403) the backends' answer depends on it; a
/// CiliumNetworkPolicy of another namespace selects none of them.
#[test]
fn a_network_plugins_own_policy_makes_the_answers_it_may_change_depend() {
    let istio = root().join("tests/corpus/official/istio-istio");
    let cilium = root().join("tests/corpus/official/cilium-cilium");
    let base = vec![
        istio.join("istio-istio--samples-httpbin-gateway-api-httpbin-gateway.yaml"),
        istio.join("istio-istio--samples-httpbin-httpbin-nodeport.yaml"),
        fixture("gatewayclass-istio.yaml"),
    ];
    let traced = |extra: &[PathBuf]| {
        let mut files = base.clone();
        files.extend_from_slice(extra);
        let snap = svcx::files::load(&files, Scope::AllNamespaces, None).expect("the sample loads");
        only(&trace(&snap, "default/httpbin")).clone()
    };
    let plain = traced(&[]);
    assert_eq!(plain.verdict, Verdict::Ok, "{plain:#?}");

    let denied = traced(&[
        cilium.join("cilium-cilium--examples-kubernetes-servicemesh-policy-default-deny.yaml")
    ]);
    assert_eq!(denied.verdict, Verdict::Warn, "{denied:#?}");
    let policy_hops: Vec<&Hop> = denied
        .paths
        .iter()
        .flat_map(|p| &p.hops)
        .filter(|h| h.verdict == Verdict::Warn)
        .collect();
    // The proxies' own answer (the Gateway hop) and the backends' (their
    // endpoint) both name it.
    let naming: Vec<HopKind> = policy_hops
        .iter()
        .filter(|h| said(h).contains("CiliumClusterwideNetworkPolicy default-deny"))
        .map(|h| h.kind)
        .collect();
    assert!(naming.contains(&HopKind::Gateway), "{policy_hops:#?}");
    assert!(naming.len() >= 2, "{policy_hops:#?}");

    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("cnp.yaml");
    std::fs::write(
        &elsewhere,
        "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: lock-down\n  namespace: \
         billing\nspec:\n  endpointSelector: {}\n  ingress:\n  - fromEntities: [cluster]\n",
    )
    .unwrap();
    let other = traced(&[elsewhere]);
    assert_eq!(other.verdict, Verdict::Ok, "{other:#?}");
}

/// A wildcard Ingress host is asked about with a name it covers, one label
/// deeper (`svcx.bar.com` for `*.bar.com`), as the migration check asks:
/// ingress-nginx's TLS termination example with its host made a wildcard,
/// as a user would write it, serves the path on 443 and redirects plain
/// HTTP there with `http-redirect-code` (ssl-redirect, on by default with
/// TLS: docs/user-guide/nginx-configuration/annotations.md "Server-side
/// HTTPS enforcement through redirect"), and the hop says so.
#[test]
fn a_wildcard_ingress_host_is_traced_through_a_name_it_covers() {
    let text = std::fs::read_to_string(
        root().join("tests/fixtures/routing/ingress-nginx-tls-termination-ingress.yaml"),
    )
    .unwrap()
    .replace("foo.bar.com", "\"*.bar.com\"");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wildcard.yaml");
    std::fs::write(&file, text).unwrap();
    let snap = svcx::files::load(
        &[file, root().join("tests/fixtures/routing/http-svc.yaml")],
        Scope::AllNamespaces,
        None,
    )
    .expect("the example loads");
    let report = trace(&snap, "svcx.bar.com/");
    let ic = hop(path(&report), HopKind::IngressController);
    assert_eq!(ic.port, Some(443));
    assert_eq!(ic.notes.len(), 1, "{:?}", ic.notes);
}

// ------------------------------------------------- NGINX Gateway Fabric

/// NGINX Gateway Fabric's official files (tests/corpus/official, its
/// install and examples at nginx/nginx-gateway-fabric e55bfe3).
fn ngf(name: &str) -> PathBuf {
    root()
        .join("tests/corpus/official/nginx-nginx-gateway-fabric")
        .join(format!("nginx-nginx-gateway-fabric--{name}.yaml"))
}

/// `file` with `from` replaced by `to` (which must be there), as a user
/// edits an example, written into `dir`.
fn edited(dir: &std::path::Path, file: &std::path::Path, edits: &[(&str, &str)]) -> PathBuf {
    let mut text = std::fs::read_to_string(file).unwrap();
    for (from, to) in edits {
        assert!(
            text.contains(from),
            "{}: `{from}` is not there",
            file.display()
        );
        text = text.replacen(from, to, 1);
    }
    let out = dir.join(file.file_name().unwrap());
    std::fs::write(&out, text).unwrap();
    out
}

/// The Services `target` reaches (sorted), or the exit code when nothing
/// serves it (2).
fn reached(files: &[PathBuf], target: &str) -> Result<Vec<String>, i32> {
    let mut args = vec!["trace".to_string(), "-o".into(), "json".into()];
    for f in files {
        args.extend(["-f".into(), f.display().to_string()]);
    }
    args.push(target.into());
    let run = svcx(&args.iter().map(String::as_str).collect::<Vec<_>>());
    if run.code == 2 {
        return Err(2);
    }
    let json: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{run}"));
    let mut names: Vec<String> = json["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    Ok(names)
}

/// NGINX Gateway Fabric picks an nginx location by the path alone, then
/// weighs the method, header and query matches of the rules with that
/// very path, and answers 404 when none is met
/// (internal/controller/state/dataplane/configuration.go groups the rules
/// of a hostname by path and type; internal/controller/nginx/modules/src/
/// httpmatches.js `redirect`: "If no matches are found, return 404"). Its
/// advanced-routing example, edited as a user would (the plain `/coffee`
/// rule dropped, the GET `/tea` rule made a catch-all `/`): a GET of
/// `/coffee` meets neither header nor query rule of `/coffee` and is a
/// 404, and so is a GET of `/tea`, whose location `= /tea` holds only the
/// POST rule. The specification's precedence, for a class svcx does not
/// know, sends both to the catch-all.
#[test]
fn nginx_gateway_fabric_picks_the_location_by_path_and_does_not_fall_back() {
    let dir = tempfile::tempdir().unwrap();
    let routes = edited(
        dir.path(),
        &ngf("examples-advanced-routing-cafe-routes"),
        &[
            (
                "  rules:\n  - matches:\n    - path:\n        type: PathPrefix\n        value: /coffee\n    \
                 backendRefs:\n    - name: coffee-v1-svc\n      port: 80\n",
                "  rules:\n",
            ),
            (
                "        value: /tea\n      method: GET",
                "        value: /\n      method: GET",
            ),
        ],
    );
    let example = [
        ngf("examples-advanced-routing-gateway"),
        ngf("examples-advanced-routing-coffee"),
        ngf("examples-advanced-routing-tea"),
        routes,
    ];
    let with_ngf = |extra: bool| {
        let mut files = example.to_vec();
        if extra {
            files.push(ngf("deploy-default-deploy"));
        }
        files
    };
    assert_eq!(reached(&with_ngf(true), "cafe.example.com/coffee"), Err(2));
    assert_eq!(reached(&with_ngf(true), "cafe.example.com/tea"), Err(2));
    assert_eq!(
        reached(&with_ngf(true), "cafe.example.com/other"),
        Ok(vec!["tea-svc".to_string()])
    );
    assert_eq!(
        reached(&with_ngf(false), "cafe.example.com/coffee"),
        Ok(vec!["tea-svc".to_string()])
    );
    assert_eq!(
        reached(&with_ngf(false), "cafe.example.com/tea"),
        Ok(vec!["tea-svc".to_string()])
    );
}

/// NGINX Gateway Fabric writes a RegularExpression path as nginx's
/// `location ~ ^PATTERN`, anchored at the start only
/// (internal/controller/nginx/config/servers.go `createPath`), which nginx
/// takes before any prefix location, and a PathPrefix `/coffee` also as
/// `= /coffee`, taken before any regular expression
/// (`initializeExternalLocations`). Its advanced-routing example with the
/// regular expression's Service changed by a user: `/coffee/abc` and
/// `/coffee/abc/123` are the expression's, `/coffee` the prefix's. For a
/// class svcx does not know, the expression matches the whole path and
/// its rank is the implementation's.
#[test]
fn nginx_gateway_fabric_regex_paths_match_from_the_start_and_come_before_prefixes() {
    let dir = tempfile::tempdir().unwrap();
    let regex = edited(
        dir.path(),
        &ngf("examples-advanced-routing-regex-route"),
        &[("coffee-v1-svc", "coffee-v3-svc")],
    );
    let mut files = vec![
        ngf("examples-advanced-routing-gateway"),
        ngf("examples-advanced-routing-coffee"),
        ngf("examples-advanced-routing-cafe-routes"),
        regex,
    ];
    let generic = reached(&files, "cafe.example.com/coffee/abc/123");
    files.push(ngf("deploy-default-deploy"));
    let v = |s: &str| Ok(vec![s.to_string()]);
    assert_eq!(
        reached(&files, "cafe.example.com/coffee/abc"),
        v("coffee-v3-svc")
    );
    assert_eq!(
        reached(&files, "cafe.example.com/coffee/abc/123"),
        v("coffee-v3-svc")
    );
    assert_eq!(
        reached(&files, "cafe.example.com/coffee"),
        v("coffee-v1-svc")
    );
    assert_eq!(generic, v("coffee-v1-svc"));
}

/// NGINX Gateway Fabric makes one nginx `server` per route hostname
/// (configuration.go, a VirtualServer per hostname), so a request for
/// `cafe.example.com` is matched only against that hostname's rules. Its
/// cafe example with the tea route widened by a user to `*.example.com`:
/// `cafe.example.com/tea` is a 404 there (for a class svcx does not know,
/// "depends": the tea route may serve it).
#[test]
fn nginx_gateway_fabric_matches_within_the_most_specific_hostname() {
    let dir = tempfile::tempdir().unwrap();
    let routes = edited(
        dir.path(),
        &ngf("examples-cafe-example-cafe-routes"),
        &[(
            "  name: tea\nspec:\n  parentRefs:\n  - name: gateway\n    sectionName: http\n  hostnames:\n  - \"cafe.example.com\"",
            "  name: tea\nspec:\n  parentRefs:\n  - name: gateway\n    sectionName: http\n  hostnames:\n  - \"*.example.com\"",
        )],
    );
    let mut files = vec![
        ngf("examples-cafe-example-gateway"),
        ngf("examples-cafe-example-cafe"),
        routes,
    ];
    assert_eq!(
        reached(&files, "cafe.example.com/tea"),
        Ok(vec!["tea".to_string()])
    );
    files.push(ngf("deploy-default-deploy"));
    assert_eq!(reached(&files, "cafe.example.com/tea"), Err(2));
    assert_eq!(
        reached(&files, "tea.example.com/tea"),
        Ok(vec!["tea".to_string()])
    );
}

/// A rule whose backendRefs all weigh 0: NGINX Gateway Fabric's
/// `split_clients` sends every request to its invalid backend, a 500
/// (internal/controller/nginx/config/split_clients.go). Its
/// traffic-splitting example with both weights set to 0: trace has no
/// Service to follow (exit 2) and says the proxy answers 500.
#[test]
fn nginx_gateway_fabric_answers_500_when_every_weight_is_0() {
    let dir = tempfile::tempdir().unwrap();
    let route = edited(
        dir.path(),
        &ngf("examples-traffic-splitting-cafe-route"),
        &[("weight: 80", "weight: 0"), ("weight: 20", "weight: 0")],
    );
    let files = [
        ngf("examples-traffic-splitting-gateway"),
        ngf("examples-traffic-splitting-cafe"),
        ngf("deploy-default-deploy"),
        route,
    ];
    let mut args = vec!["trace".to_string()];
    for f in &files {
        args.extend(["-f".into(), f.display().to_string()]);
    }
    args.push("cafe.example.com/coffee".into());
    let run = svcx(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("which answers 500 itself"), "{run}");
}

/// NGINX Gateway Fabric's proxy Service keeps the client's address
/// (`externalTrafficPolicy: Local`: internal/controller/provisioner/
/// objects.go, and the NginxProxy of its install), so the Kubernetes
/// documentation's default-deny in the Gateway's namespace drops the
/// clients at its proxies: broken, not "depends" on source NAT. A policy
/// that admits addresses outside the cluster's 10.0.0.0/8 (written as the
/// documentation writes ipBlock peers) admits them. Its cafe example.
#[test]
fn nginx_gateway_fabric_proxies_see_the_clients_address() {
    let base = vec![
        ngf("deploy-default-deploy"),
        ngf("examples-cafe-example-gateway"),
        ngf("examples-cafe-example-cafe"),
        ngf("examples-cafe-example-cafe-routes"),
        fixture("nodes.yaml"),
    ];
    let gateway_verdict = |extra: &[&str]| {
        let mut files = base.clone();
        files.extend(extra.iter().map(|f| fixture(f)));
        let snap = svcx::files::load(&files, Scope::AllNamespaces, None).expect("loads");
        let report = trace(&snap, "cafe.example.com/coffee");
        let p = path(&report);
        hop(p, HopKind::Gateway).verdict
    };
    assert_eq!(gateway_verdict(&[]), Verdict::Ok);
    assert_eq!(
        gateway_verdict(&["default-deny-ingress-docs.yaml"]),
        Verdict::Broken
    );
    assert_eq!(
        gateway_verdict(&[
            "default-deny-ingress-docs.yaml",
            "allow-outside-cluster-ingress.yaml"
        ]),
        Verdict::Ok
    );
}

/// HTTPRoute's `ExternalAuth` filter (Gateway API experimental channel,
/// GEP-1494; NGINX Gateway Fabric implements it,
/// internal/controller/state/graph/common_filter.go) is one the typed
/// crate does not know; the route is read all the same, and its requests,
/// once the authorization service allows them, reach its backends. NGF's
/// external-authentication example: `/coffee` reaches coffee, its rule's
/// filter named.
#[test]
fn a_route_with_an_external_auth_filter_is_read() {
    let files: Vec<PathBuf> = [
        "deploy-default-deploy",
        "examples-external-authentication-gateway",
        "examples-external-authentication-cafe",
        "examples-external-authentication-external-auth",
        "examples-external-authentication-cafe-routes",
    ]
    .iter()
    .map(|n| ngf(n))
    .collect();
    let snap = svcx::files::load(&files, Scope::AllNamespaces, None).expect("loads");
    let report = trace(&snap, "cafe.example.com/coffee");
    assert_eq!(only(&report).verdict, Verdict::Ok);
    let route = hop(path(&report), HopKind::Route);
    assert!(
        route.notes.iter().any(|n| n.ends_with("ExternalAuth")),
        "{:?}",
        route.notes
    );
}

/// NGINX Gateway Fabric's proxies' Service is what its NginxProxy says
/// (nginx/nginx-gateway-fabric e55bfe3 apis/v1alpha2/nginxproxy_types.go,
/// `kubernetes.service`): its install's, a LoadBalancer keeping the
/// client's address, leaves the cafe example's Gateway hop ok; edited by a
/// user to `type: ClusterIP`, only clients inside the cluster reach the
/// Gateway, and the hop warns.
#[test]
fn nginx_gateway_fabric_proxies_follow_its_nginx_proxy_service() {
    let dir = tempfile::tempdir().unwrap();
    let install = ngf("deploy-default-deploy");
    let inside = edited(
        dir.path(),
        &install,
        &[(
            "      externalTrafficPolicy: Local\n      type: LoadBalancer",
            "      externalTrafficPolicy: Local\n      type: ClusterIP",
        )],
    );
    let gateway_verdict = |install: &PathBuf| {
        let files = [
            install.clone(),
            ngf("examples-cafe-example-gateway"),
            ngf("examples-cafe-example-cafe"),
            ngf("examples-cafe-example-cafe-routes"),
        ];
        let snap = svcx::files::load(&files, Scope::AllNamespaces, None).expect("loads");
        let report = trace(&snap, "cafe.example.com/coffee");
        hop(path(&report), HopKind::Gateway).verdict
    };
    assert_eq!(gateway_verdict(&install), Verdict::Ok);
    assert_eq!(gateway_verdict(&inside), Verdict::Warn);
}
