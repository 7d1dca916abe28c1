//! Network policy admission on a Service's path, one test per semantic, on
//! fixtures written as users write policies (tests/fixtures/semantics/
//! netpol.yaml, cnp.yaml, anp.yaml, proxies.yaml), each run offline and
//! live (GET only) with the same answers hop by hop. Assertions are on
//! verdicts, admissions and finding codes. Sources: the NetworkPolicy
//! concept page (kubernetes.io/docs/concepts/services-networking/
//! network-policies/), the NetworkPolicy API reference (NetworkPolicySpec,
//! NetworkPolicyPeer, NetworkPolicyPort, IPBlock), and network-policy-api
//! v0.2.0 (apis/v1alpha2/clusternetworkpolicy_types.go, site-src/
//! api-overview.md, apis/v1alpha1 for the older kinds).

use super::*;

const NETPOL: &[&str] = &["netpol.yaml"];
const CNP: &[&str] = &["cnp.yaml"];
const ANP: &[&str] = &["anp.yaml"];
const PROXIES: &[&str] = &["proxies.yaml"];

/// A source as reports name it: `in-cluster`, `outside`, `gateway
/// infra/public`, `pod shop/x`.
fn source_key(s: &Value) -> String {
    let kind = s["kind"].as_str().unwrap_or_default();
    match kind {
        "gateway" => format!(
            "gateway {}/{}",
            s["namespace"].as_str().unwrap_or_default(),
            s["name"].as_str().unwrap_or_default()
        ),
        "pod" => format!("pod {}", s["namespace"].as_str().unwrap_or_default()),
        other => other.to_string(),
    }
}

/// Every endpoint hop's answers: (endpoint, source, admission), without
/// the policies that decided ([`traced_answers`]).
fn admissions(report: &Value) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = traced_answers(report)
        .into_iter()
        .map(|(endpoint, source, admission, _)| (endpoint, source, admission))
        .collect();
    out.dedup();
    out
}

/// `svcx trace -o json ARGS` offline and live: the same verdicts and the
/// same answers, hop by hop.
fn traced(files: &[&str], args: &[&str]) -> Value {
    let mut full = vec!["trace", "-o", "json"];
    full.extend_from_slice(args);
    offline_and_live(files, &full, |r| (verdicts(r), admissions(r)))
}

/// The answer for one source on every endpoint of a traced Service.
fn answers(report: &Value, source: &str) -> Vec<String> {
    admissions(report)
        .into_iter()
        .filter(|(_, s, _)| s == source)
        .map(|(_, _, a)| a)
        .collect()
}

/// The first endpoint hop's answer for `source`, with its deciders.
fn decision(report: &Value, source: &str) -> Value {
    hops(report)
        .into_iter()
        .filter(|h| h["kind"] == "endpoint")
        .flat_map(|h| h["admissions"].as_array().cloned().unwrap_or_default())
        .find(|a| source_key(&a["source"]) == source)
        .unwrap_or_else(|| panic!("an answer for {source} in {report:#}"))
}

/// `kind name rule` of each policy that decided.
fn deciders(d: &Value) -> Vec<String> {
    d["by"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| {
            let name = match b["namespace"].as_str() {
                Some(ns) => format!("{ns}/{}", b["name"].as_str().unwrap_or_default()),
                None => b["name"].as_str().unwrap_or_default().to_string(),
            };
            match b["rule"].as_u64() {
                Some(r) => format!(
                    "{} {name} {} {r}",
                    b["kind"].as_str().unwrap(),
                    b["tier"].as_str().unwrap()
                ),
                None => format!(
                    "{} {name} {}",
                    b["kind"].as_str().unwrap(),
                    b["tier"].as_str().unwrap()
                ),
            }
        })
        .collect()
}

// ------------------------------------------------------ NetworkPolicy

/// "Default deny all ingress traffic" (concept page): a policy that selects
/// every pod and allows nothing isolates them; the path is broken at every
/// endpoint, SVC115 on the endpoints hop, and explain lists the policy.
#[test]
fn a_default_deny_ingress_policy_drops_every_in_cluster_source() {
    let r = traced(NETPOL, &["deny/web"]);
    assert_eq!(answers(&r, "in-cluster"), ["dropped"]);
    let eps = hop(&r, "endpoints", "");
    assert_eq!(eps["verdict"], "broken");
    assert_eq!(codes(&eps), ["SVC115"]);
    assert_eq!(hop(&r, "endpoint", "web-0")["verdict"], "broken");
    let d = decision(&r, "in-cluster");
    assert_eq!(
        deciders(&d),
        ["NetworkPolicy deny/default-deny-ingress network-policy"]
    );
    assert_eq!(d["by"][0]["effect"], "isolates");
    let svc = explain(NETPOL, "deny/web");
    assert_eq!(
        codes_of(&svc),
        [("SVC115".to_string(), "error".to_string())]
    );
    assert_eq!(svc["findings"][0]["field"], "spec.ports[0]");
    let selecting = &svc["network_policies"]["selecting"];
    assert_eq!(selecting[0]["name"], "default-deny-ingress");
    assert_eq!(selecting[0]["tier"], "network-policy");
    assert_eq!(selecting[0]["selects"], 1);
}

/// "a pod cannot block access to itself" (concept page, the entities a pod
/// communicates with): the endpoint reaching its own Service is admitted
/// despite the default deny.
#[test]
fn a_pod_is_never_blocked_from_itself() {
    let r = traced(NETPOL, &["deny/web", "--from", "deny/web-0"]);
    assert_eq!(answers(&r, "pod deny"), ["admitted"]);
    assert_eq!(r["from"]["pod"], "web-0");
    let other = traced(NETPOL, &["deny/web", "--from", "deny/app=other"]);
    assert_eq!(answers(&other, "pod deny"), ["dropped"]);
}

/// NetworkPolicySpec.policyTypes: unset, Ingress is always set and Egress
/// only when the policy has egress rules; so a policy written with egress
/// rules only still isolates its pods for ingress, and one typed [Egress]
/// does not.
#[test]
fn policy_types_default_to_ingress_and_egress_only_with_egress_rules() {
    let api = traced(NETPOL, &["types/api"]);
    assert_eq!(answers(&api, "in-cluster"), ["dropped"]);
    let api2 = traced(NETPOL, &["types/api2"]);
    assert_eq!(answers(&api2, "in-cluster"), ["admitted"]);
    assert!(decision(&api2, "in-cluster")["by"].is_null());
}

/// Policy ports are pod ports: kube-proxy rewrote the Service port (80) to
/// the targetPort (8080) before the policy sees the packet, so a rule for 80
/// allows nothing (NetworkPolicyPort.port: "a numerical or named port on a
/// pod"); lint points at the rule's port (SVC211).
#[test]
fn policy_ports_are_pod_ports_not_service_ports() {
    let legacy = traced(NETPOL, &["ports/legacy"]);
    assert_eq!(answers(&legacy, "in-cluster"), ["dropped"]);
    let fixed = traced(NETPOL, &["ports/fixed"]);
    assert_eq!(answers(&fixed, "in-cluster"), ["admitted"]);
    assert_eq!(
        deciders(&decision(&fixed, "in-cluster")),
        ["NetworkPolicy ports/fixed-8080 network-policy 0"]
    );
    let path = fixture("netpol.yaml").display().to_string();
    let run = common::svcx(&[
        "lint",
        "--no-config",
        "-o",
        "json",
        "-f",
        &path,
        "--select",
        "SVC211",
    ]);
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let fields: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["object"]["name"].as_str().unwrap(),
                f["field"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(fields, [("legacy-80", "spec.ingress[0].ports[0].port")]);
}

/// Named ports resolve on each pod: the Service's targetPort `http` and the
/// rule's port `http` are 8080 on one pod and 8081 on the canary, and both
/// are admitted.
#[test]
fn named_policy_ports_resolve_per_pod() {
    let r = traced(NETPOL, &["ports/shop"]);
    assert_eq!(answers(&r, "in-cluster"), ["admitted", "admitted"]);
    assert_eq!(hop(&r, "endpoint", "shop-canary")["port"], 8081);
}

/// `endPort` (concept page, "Targeting a range of ports"): 32000-32768
/// admits the pod port 32500.
#[test]
fn end_port_ranges_admit_the_ports_inside() {
    let r = traced(NETPOL, &["ports/range"]);
    assert_eq!(answers(&r, "in-cluster"), ["admitted"]);
}

/// "If present, only traffic on the specified protocol AND port will be
/// matched" (NetworkPolicyPort): TCP 53 does not admit UDP 53.
#[test]
fn the_protocol_must_match() {
    let r = traced(NETPOL, &["ports/dns"]);
    assert_eq!(answers(&r, "in-cluster"), ["dropped"]);
    // The Service port is the pod port here: the hint names the protocol
    // and port the rule must admit, not a Service port mistake.
    let svc = explain(NETPOL, "ports/dns");
    let hint = svc["findings"][0]["hint"].as_str().unwrap();
    assert!(
        hint.contains("UDP 53") && !hint.contains("Service port"),
        "{hint}"
    );
}

/// "Behavior of to and from selectors" (concept page): one element with
/// namespaceSelector and podSelector is both; two elements are either.
#[test]
fn one_peer_with_both_selectors_needs_both() {
    let cases = [
        ("alice-ns/role=client", "admitted", "admitted"),
        ("alice-ns/role=server", "dropped", "admitted"),
        ("peers/role=client", "dropped", "admitted"),
        ("other/role=client", "dropped", "dropped"),
    ];
    for (from, and, or) in cases {
        let ns = from.split('/').next().unwrap();
        let r = traced(NETPOL, &["peers/db-and", "--from", from]);
        assert_eq!(
            answers(&r, &format!("pod {ns}")),
            [and],
            "db-and from {from}"
        );
        let r = traced(NETPOL, &["peers/db-or", "--from", from]);
        assert_eq!(answers(&r, &format!("pod {ns}")), [or], "db-or from {from}");
    }
}

/// "Targeting a Namespace by its name" (concept page): the control plane
/// sets kubernetes.io/metadata.name on every namespace, so a selector on it
/// is decided although the namespace is not in the input.
#[test]
fn the_namespace_name_label_is_always_there() {
    let r = traced(NETPOL, &["byname/metrics", "--from", "monitoring"]);
    assert_eq!(answers(&r, "pod monitoring"), ["admitted"]);
    let r = traced(NETPOL, &["byname/metrics", "--from", "other"]);
    assert_eq!(answers(&r, "pod other"), ["dropped"]);
}

/// ipBlock with except (the concept page's 172.17.0.0/16 except
/// 172.17.1.0/24). Under externalTrafficPolicy Local the client keeps its
/// address, so the ipBlock must cover the clients (loadBalancerSourceRanges
/// here): 172.17.1.0/24 is dropped, 172.17.2.0/24 admitted. Under Cluster
/// "the source IP that the NetworkPolicy acts on may be the IP of a
/// LoadBalancer or of the Pod's node": depends, a warning, never ok or
/// broken.
#[test]
fn ip_blocks_and_who_the_outside_source_is() {
    let local = traced(NETPOL, &["ipblock/edge-local"]);
    assert_eq!(answers(&local, "outside"), ["dropped"]);
    assert_eq!(codes(&hop(&local, "endpoints", "")), ["SVC115"]);
    let ok = traced(NETPOL, &["ipblock/edge-ok"]);
    assert_eq!(answers(&ok, "outside"), ["admitted"]);
    let snat = traced(NETPOL, &["ipblock/edge-snat"]);
    assert_eq!(answers(&snat, "outside"), ["depends"]);
    // Pods whose address is in the block, minus its except, get through.
    assert_eq!(
        decision(&snat, "in-cluster")["only"],
        serde_json::json!(["pods whose address is in 172.17.0.0/16 except 172.17.1.0/24"])
    );
    assert_eq!(hop(&snat, "endpoint", "edge-snat-0")["verdict"], "warn");
    let by_lb = traced(NETPOL, &["203.0.113.203"]);
    assert_eq!(
        admissions(&by_lb).len(),
        1,
        "only the outside source: {by_lb:#}"
    );
}

/// NetworkPolicySpec.podSelector is optional in the 1.34 API: omitted, it
/// selects every pod of the namespace, as `{}`.
#[test]
fn an_omitted_pod_selector_selects_every_pod() {
    let r = traced(NETPOL, &["omitted/web"]);
    assert_eq!(answers(&r, "in-cluster"), ["dropped"]);
}

/// "NetworkPolicy behaviour for hostNetwork pods is undefined" (concept
/// page): depends, whatever the rules say.
#[test]
fn a_host_network_endpoint_depends_on_the_plugin() {
    let r = traced(NETPOL, &["host/agent"]);
    assert_eq!(answers(&r, "in-cluster"), ["depends"]);
    assert_eq!(hop(&r, "endpoint", "agent-0")["verdict"], "warn");
}

/// "both the egress policy on the source pod and the ingress policy on the
/// destination pod need to allow the traffic" (concept page): a source in a
/// namespace with default-deny-egress reaches nothing.
#[test]
fn a_named_source_brings_its_own_egress_policies() {
    let r = traced(NETPOL, &["egress/web", "--from", "client-ns/client-0"]);
    assert_eq!(answers(&r, "pod client-ns"), ["dropped"]);
    let d = decision(&r, "pod client-ns");
    assert_eq!(d["by"][0]["direction"], "egress");
    let r = traced(NETPOL, &["egress/web", "--from", "other"]);
    assert_eq!(answers(&r, "pod other"), ["admitted"]);
}

/// "Network policies do not conflict; they are additive. If any policy or
/// policies apply to a given pod for a given direction, the connections
/// allowed in that direction from that pod is the union of what the
/// applicable policies allow" (concept page, The two sorts of pod
/// isolation): each rule of each selecting policy lets its own sources in,
/// and what none admits is dropped, with every selecting policy named.
#[test]
fn what_gets_through_is_the_union_of_the_selecting_policies_rules() {
    for (from, by) in [
        (
            "union/role=frontend",
            "NetworkPolicy union/test-network-policy network-policy 0",
        ),
        (
            "monitoring",
            "NetworkPolicy union/test-network-policy network-policy 1",
        ),
        ("batch", "NetworkPolicy union/allow-batch network-policy 0"),
    ] {
        let r = traced(NETPOL, &["union/api", "--from", from]);
        let source = format!("pod {}", from.split('/').next().unwrap());
        assert_eq!(answers(&r, &source), ["admitted"], "from {from}");
        assert_eq!(deciders(&decision(&r, &source)), [by], "from {from}");
    }
    let r = traced(NETPOL, &["union/api", "--from", "other"]);
    assert_eq!(answers(&r, "pod other"), ["dropped"]);
    let mut by = deciders(&decision(&r, "pod other"));
    by.sort();
    assert_eq!(
        by,
        [
            "NetworkPolicy union/allow-batch network-policy",
            "NetworkPolicy union/test-network-policy network-policy"
        ]
    );
    let some = traced(NETPOL, &["union/api"]);
    let d = decision(&some, "in-cluster");
    assert_eq!(d["admission"], "admitted");
    assert_eq!(d["only"].as_array().map(Vec::len), Some(3), "{d:#}");
    let selecting = &explain(NETPOL, "union/api")["network_policies"]["selecting"];
    assert_eq!(selecting.as_array().map(Vec::len), Some(2), "{selecting:#}");
}

/// A connection needs both the source's egress and the destination's
/// ingress (concept page: "both the egress policy on the source pod and the
/// ingress policy on the destination pod need to allow the traffic"):
/// caller-0's egress admits deny/web and egress/web alike; deny/web's
/// ingress drops it, egress/web's lets it in, and both directions are named.
#[test]
fn a_connection_needs_both_egress_and_ingress() {
    let open = traced(NETPOL, &["egress/web", "--from", "caller/caller-0"]);
    assert_eq!(answers(&open, "pod caller"), ["admitted"]);
    let d = decision(&open, "pod caller");
    assert_eq!(d["by"][0]["direction"], "egress");
    assert_eq!(
        deciders(&d),
        ["NetworkPolicy caller/egress-to-web network-policy 0"]
    );
    let closed = traced(NETPOL, &["deny/web", "--from", "caller/caller-0"]);
    assert_eq!(answers(&closed, "pod caller"), ["dropped"]);
    let d = decision(&closed, "pod caller");
    let directions: Vec<&str> = d["by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["direction"].as_str().unwrap())
        .collect();
    assert_eq!(directions, ["egress", "ingress"], "{d:#}");
    assert_eq!(d["by"][1]["name"], "default-deny-ingress");
    assert_eq!(d["by"][1]["effect"], "isolates");
}

/// "traffic to and from the node where a Pod is running is always allowed,
/// regardless of the IP address of the Pod or the node" (concept page, the
/// entities a pod communicates with; it is why the kubelet's probes pass
/// whatever the policies say). Under externalTrafficPolicy Cluster the
/// source may be any node after source NAT: the policy admits the clients
/// and node-b's and node-c's addresses, not node-a's. edge-own-0 runs on
/// node-a, so every reading admits it; edge-own-1, on node-b, may see
/// node-a's address, which the policy drops: depends.
#[test]
fn traffic_from_the_pods_own_node_is_always_allowed() {
    let r = traced(NETPOL, &["ipblock/edge-own"]);
    let outside: Vec<(String, String)> = admissions(&r)
        .into_iter()
        .filter(|(_, s, _)| s == "outside")
        .map(|(e, _, a)| (e, a))
        .collect();
    assert_eq!(
        outside,
        [
            ("edge-own-0".to_string(), "admitted".to_string()),
            ("edge-own-1".to_string(), "depends".to_string())
        ]
    );
    assert_eq!(hop(&r, "endpoint", "edge-own-0")["verdict"], "ok");
    assert_eq!(hop(&r, "endpoint", "edge-own-1")["verdict"], "warn");
}

// ---------------------------------------------------- ClusterNetworkPolicy

/// The Admin tier is evaluated first and "cannot" be overridden by a
/// NetworkPolicy (api-overview, Tiers): user story 1's Deny beats an
/// allow-all NetworkPolicy.
#[test]
fn an_admin_deny_beats_a_network_policy_allow() {
    let r = traced(CNP, &["sensitive-ns/vault"]);
    assert_eq!(answers(&r, "in-cluster"), ["dropped"]);
    assert_eq!(
        deciders(&decision(&r, "in-cluster")),
        ["ClusterNetworkPolicy cluster-wide-deny-example admin 0"]
    );
}

/// A Pod reaching itself through a Service IP is subject to
/// ClusterNetworkPolicy (api-overview, hairpin), unlike NetworkPolicy.
#[test]
fn through_a_service_a_pod_reaching_itself_meets_cluster_policies() {
    let r = traced(
        CNP,
        &["sensitive-ns/vault", "--from", "sensitive-ns/vault-0"],
    );
    assert_eq!(answers(&r, "pod sensitive-ns"), ["dropped"]);
}

/// Accept: "No further ClusterNetworkPolicy or NetworkPolicy rules will be
/// processed" (user story 2 over a default deny).
#[test]
fn an_admin_accept_beats_a_network_policy_deny() {
    let r = traced(CNP, &["team-a/api", "--from", "monitoring-ns"]);
    assert_eq!(answers(&r, "pod monitoring-ns"), ["admitted"]);
    let r = traced(CNP, &["team-a/api", "--from", "other"]);
    assert_eq!(answers(&r, "pod other"), ["dropped"]);
    assert_eq!(
        deciders(&decision(&r, "pod other")),
        ["NetworkPolicy team-a/default-deny-ingress network-policy"]
    );
}

/// Pass skips the rest of the Admin tier; the NetworkPolicies decide.
#[test]
fn pass_hands_traffic_to_the_network_policies() {
    let r = traced(CNP, &["delegated/app", "--from", "delegated"]);
    assert_eq!(answers(&r, "pod delegated"), ["admitted"]);
    let r = traced(CNP, &["delegated/app", "--from", "other"]);
    assert_eq!(answers(&r, "pod other"), ["dropped"]);
    assert_eq!(
        deciders(&decision(&r, "pod other")),
        ["ClusterNetworkPolicy delegate-intra-namespace admin 1"]
    );
    // explain lists them in the order they are evaluated: the Admin tier by
    // priority (5 before 30, against the names' order), NetworkPolicies,
    // the Baseline tier.
    let order: Vec<String> = explain(CNP, "delegated/app")["network_policies"]["selecting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                p["tier"].as_str().unwrap(),
                p["name"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            "admin delegate-intra-namespace",
            "admin cluster-wide-allow-example",
            "network-policy allow-same-namespace",
            "baseline default"
        ]
    );
}

/// "v1.NetworkPolicy always makes a final decision for selected pods";
/// the Baseline tier decides only for the others (user story 5).
#[test]
fn the_baseline_tier_applies_only_where_no_network_policy_decides() {
    let r = traced(CNP, &["baseline-ns/web", "--from", "other"]);
    assert_eq!(answers(&r, "pod other"), ["dropped"]);
    assert_eq!(
        deciders(&decision(&r, "pod other")),
        ["ClusterNetworkPolicy default baseline 0"]
    );
    let r = traced(CNP, &["overrides/web", "--from", "other"]);
    assert_eq!(answers(&r, "pod other"), ["admitted"]);
}

/// "Policies with lower priority values have higher precedence": priority
/// 40's Accept before priority 50's Deny.
#[test]
fn the_lower_priority_value_is_checked_first() {
    let r = traced(CNP, &["prio/web", "--from", "other"]);
    assert_eq!(answers(&r, "pod other"), ["admitted"]);
    assert_eq!(
        deciders(&decision(&r, "pod other")),
        ["ClusterNetworkPolicy prio-accept admin 0"]
    );
}

/// AdminNetworkPolicy and BaselineAdminNetworkPolicy (v1alpha1), where an
/// older cluster still serves them: the same tiers, `Allow` for Accept.
#[test]
fn the_v1alpha1_kinds_are_the_same_tiers() {
    for (from, answer, by) in [
        (
            "trusted",
            "admitted",
            "AdminNetworkPolicy allow-trusted admin 0",
        ),
        (
            "blocked",
            "dropped",
            "AdminNetworkPolicy deny-blocked admin 0",
        ),
        (
            "other",
            "dropped",
            "BaselineAdminNetworkPolicy default baseline 0",
        ),
    ] {
        let r = traced(ANP, &["legacy/app", "--from", from]);
        let source = format!("pod {from}");
        assert_eq!(answers(&r, &source), [answer], "from {from}");
        assert_eq!(deciders(&decision(&r, &source)), [by], "from {from}");
    }
}

// ------------------------------------------------------------ proxies

/// Behind a Gateway the source is its proxy pods, found by
/// gateway.networking.k8s.io/gateway-name in the Gateway's namespace
/// (GEP-1762): a policy that admits only its own namespace drops them
/// (SVC521); one that admits them by label lets them in; for a Gateway
/// whose pods are not in the input, what their other labels are cannot be
/// told, so it depends.
#[test]
fn a_gateways_proxies_are_the_source_of_its_paths() {
    let web = traced(PROXIES, &["shop/web"]);
    assert_eq!(answers(&web, "gateway infra/public"), ["dropped"]);
    assert_eq!(answers(&web, "in-cluster"), ["admitted"]);
    let svc = explain(PROXIES, "shop/web");
    assert_eq!(
        codes_of(&svc),
        [("SVC521".to_string(), "error".to_string())]
    );
    let api = traced(PROXIES, &["shop/api"]);
    assert_eq!(answers(&api, "gateway infra/public"), ["admitted"]);
    assert_eq!(answers(&api, "gateway infra/internal"), ["depends"]);
    let sources = &explain(PROXIES, "shop/api")["network_policies"]["sources"];
    let internal = sources
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"]["name"] == "internal")
        .expect("the internal Gateway's proxies");
    assert_eq!(internal["source"]["proxies"], serde_json::json!([]));
    let by_gateway = traced(PROXIES, &["203.0.113.150"]);
    let sources: Vec<String> = admissions(&by_gateway)
        .into_iter()
        .map(|(_, s, _)| s)
        .collect();
    assert!(
        sources.iter().all(|s| s == "gateway infra/public"),
        "through one Gateway, only its proxies: {sources:?}"
    );
}

/// Behind an Ingress the source is the controller's pods (its Service's).
#[test]
fn an_ingress_controllers_pods_are_the_source_of_its_paths() {
    let r = traced(PROXIES, &["shop/legacy"]);
    assert_eq!(answers(&r, "ingress-controller"), ["admitted"]);
}

// ------------------------------------------------------------ agreement

/// Every file of the test tree that holds a network policy kind, bad input
/// (tests/fixtures/errors) aside: the semantics fixtures, the lint rules'
/// fixtures, migrate's, and the corpus of published manifests.
fn policy_fixtures() -> Vec<PathBuf> {
    let kinds = [
        "NetworkPolicy",
        "ClusterNetworkPolicy",
        "AdminNetworkPolicy",
        "BaselineAdminNetworkPolicy",
    ];
    let mut out: Vec<PathBuf> = ["tests/fixtures", "tests/corpus"]
        .iter()
        .flat_map(|d| walkdir::WalkDir::new(common::root().join(d)))
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "yaml" || x == "yml")
                && !p.starts_with(common::root().join("tests/fixtures/errors"))
        })
        .filter(|p| {
            std::fs::read_to_string(p).is_ok_and(|text| {
                text.lines().any(|l| {
                    l.trim()
                        .strip_prefix("kind:")
                        .is_some_and(|k| kinds.contains(&k.trim()))
                })
            })
        })
        .collect();
    out.sort();
    out
}

/// Each answer of trace's endpoint hops: (endpoint, source, admission, the
/// policies that decided).
fn traced_answers(report: &Value) -> Vec<(String, String, String, Vec<String>)> {
    let mut out: Vec<_> = report["services"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["paths"].as_array().cloned().unwrap_or_default())
        .flat_map(|p| p["hops"].as_array().cloned().unwrap_or_default())
        .flat_map(|h| {
            let name = h["name"].as_str().unwrap_or_default().to_string();
            h["admissions"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |a| {
                    (
                        name.clone(),
                        source_key(&a["source"]),
                        a["admission"].as_str().unwrap_or_default().to_string(),
                        deciders(&a),
                    )
                })
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The same answers from explain's "Network policies" section.
fn explained_answers(report: &Value) -> Vec<(String, String, String, Vec<String>)> {
    let mut out = Vec::new();
    for s in report["services"].as_array().unwrap() {
        for src in s["network_policies"]["sources"]
            .as_array()
            .into_iter()
            .flatten()
        {
            for p in src["ports"].as_array().unwrap() {
                for answer in p["answers"].as_array().unwrap() {
                    for ep in answer["endpoints"].as_array().unwrap() {
                        out.push((
                            ep.as_str().unwrap().to_string(),
                            source_key(&src["source"]),
                            answer["admission"].as_str().unwrap().to_string(),
                            deciders(answer),
                        ));
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// explain's "Network policies" section and trace's endpoint hops give the
/// same answer, decided by the same policies and rules, for every source,
/// endpoint and port, on every fixture that holds a policy and on the demo;
/// on the semantics fixtures also live.
#[test]
fn explain_and_trace_agree_on_the_policy_fixtures() {
    let files = policy_fixtures();
    let semantics = common::root().join("tests/fixtures/semantics");
    assert!(files.len() >= 20, "{files:?}");
    // Files on threads of their own: two to four runs of svcx (and a test
    // API server) each.
    let compared: usize = common::parallel(&files, |path| {
        let what = path.display().to_string();
        let (e, t) = if path.starts_with(&semantics) {
            let f = path.file_name().unwrap().to_str().unwrap();
            (
                offline_and_live(&[f], &["explain", "-o", "json"], explained_answers),
                offline_and_live(&[f], &["trace", "-o", "json"], traced_answers),
            )
        } else {
            let run = |cmd: &str| json(common::svcx(&[cmd, "-o", "json", "-f", &what]));
            (run("explain"), run("trace"))
        };
        if e["services"].as_array().is_some_and(|s| !s.is_empty()) {
            assert_agree(&e, &t, &what);
        }
        let answers = explained_answers(&e);
        assert_eq!(answers, traced_answers(&t), "{what}");
        answers.len()
    })
    .into_iter()
    .sum();
    let e = json(common::svcx(&["explain", "--demo", "-o", "json"]));
    let t = json(common::svcx(&["trace", "--demo", "-o", "json"]));
    let answers = explained_answers(&e);
    assert!(!answers.is_empty(), "the demo has policies");
    assert_eq!(answers, traced_answers(&t), "demo");
    assert!(compared > 60, "{compared} answers compared");
}

/// `(code, kind, namespace, name, field, severity)` of each finding of a
/// lint report.
fn lint_findings(report: &Value) -> Vec<[String; 6]> {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut out: Vec<[String; 6]> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            [
                s(&f["code"]),
                s(&f["object"]["kind"]),
                s(&f["object"]["namespace"]),
                s(&f["object"]["name"]),
                s(&f["field"]),
                s(&f["severity"]),
            ]
        })
        .collect();
    out.sort();
    out
}

/// The network policy rules of lint judge the policy fixtures the same
/// offline and live, and between them every one fires: SVC115 (a default
/// deny that admits nothing), SVC116 (an ipBlock that cannot match), SVC117
/// (a policy that selects no pod), SVC211 (the Service port in a policy),
/// SVC521 (a Gateway's proxies not admitted).
#[test]
fn the_policy_rules_fire_offline_and_live_alike() {
    let args = [
        "lint",
        "--no-config",
        "-o",
        "json",
        "--select",
        "SVC115,SVC116,SVC117,SVC211,SVC521",
    ];
    let mut codes: Vec<String> = Vec::new();
    for f in ["netpol.yaml", "cnp.yaml", "anp.yaml", "proxies.yaml"] {
        let off = lint_findings(&offline_and_live(&[f], &args, lint_findings));
        codes.extend(off.into_iter().map(|[c, ..]| c));
    }
    codes.sort();
    codes.dedup();
    assert_eq!(codes, ["SVC115", "SVC116", "SVC117", "SVC211", "SVC521"]);
}

// ------------------------------------------------------------ live reads

/// A NetworkPolicy list RBAC refuses leaves a notice that names what is not
/// judged, and no answer is made up.
#[test]
fn a_forbidden_policy_list_is_a_notice() {
    let r = live_with(NETPOL, &["trace", "-o", "json", "deny/web"], |b| {
        b.forbid("networkpolicies")
    });
    assert_notice(&r, "networkpolicies: forbidden");
    assert!(admissions(&r).is_empty());
}

/// The notices of a report.
fn notices(r: &Value) -> Vec<String> {
    r["notices"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["message"].as_str().map(str::to_string))
        .collect()
}

/// Asserts that some notice of `r` starts with `start`.
fn assert_notice(r: &Value, start: &str) {
    let n = notices(r);
    assert!(n.iter().any(|m| m.starts_with(start)), "{start}: {n:?}");
}

/// A cluster that serves ClusterNetworkPolicy only at a version svcx does
/// not read (a newer network-policy-api release) holds Admin tier policies
/// svcx cannot judge: a notice names the kind and the version, rather than
/// answers that silently leave out an Admin tier Deny. Without the CRDs
/// (the group not served at all) there is nothing to judge and nothing is
/// said.
#[test]
fn a_cluster_wide_kind_served_at_another_version_is_a_notice() {
    let r = live_with(CNP, &["trace", "-o", "json", "sensitive-ns/vault"], |b| {
        b.served_at("clusternetworkpolicies", &["v1beta1"])
    });
    assert_notice(
        &r,
        "clusternetworkpolicies.policy.networking.k8s.io: served at v1beta1",
    );
    let r = live_with(NETPOL, &["trace", "-o", "json", "deny/web"], |b| b);
    assert!(
        notices(&r)
            .iter()
            .all(|m| !m.contains("policy.networking.k8s.io")),
        "{:?}",
        notices(&r)
    );
    assert_eq!(answers(&r, "in-cluster"), ["dropped"]);
}

/// A NetworkPolicy kind the server does not serve (404) is a notice too,
/// and no answer is made up; a forbidden cluster-wide list says what is
/// left out and the NetworkPolicies still answer.
#[test]
fn absent_and_forbidden_policy_kinds_are_notices() {
    let r = live_with(NETPOL, &["trace", "-o", "json", "deny/web"], |b| {
        b.not_served("networkpolicies")
    });
    assert_notice(&r, "networkpolicies: not served");
    assert!(admissions(&r).is_empty());
    let r = live_with(CNP, &["trace", "-o", "json", "team-a/api"], |b| {
        b.forbid("clusternetworkpolicies")
    });
    assert_notice(
        &r,
        "clusternetworkpolicies.policy.networking.k8s.io: forbidden",
    );
    assert_eq!(answers(&r, "in-cluster"), ["dropped"]);
}

/// `trace -n NAMESPACE --from OTHER` live: the source's namespace is outside
/// the namespaces in scope, yet the answer needs its pods and its own egress
/// policies ("plus what a path needs"), so svcx reads them too, and the
/// answers are those read from the files (client-ns denies all egress).
#[test]
fn a_source_outside_the_namespace_in_scope_is_read_live() {
    let args = |from: &'static str| -> Vec<&'static str> {
        vec!["-n", "egress", "trace", "-o", "json", "web", "--from", from]
    };
    for from in ["client-ns", "client-ns/client-0", "client-ns/app=client"] {
        let off = offline(NETPOL, &args(from));
        assert_eq!(answers(&off, "pod client-ns"), ["dropped"], "{from}");
        let on = served(NETPOL, &args(from), |b| b);
        assert_eq!(admissions(&on), admissions(&off), "{from}: live and files");
    }
}

/// `--from` a namespace of which no pod was read (none runs there, or a
/// typo): the answers stand for a pod that would run there, and the trace
/// says so in its limits, offline and live; not for a namespace whose pods
/// were read.
#[test]
fn a_source_namespace_with_no_pod_read_is_said() {
    let limit = |r: &Value, ns: &str| {
        r["limits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l.as_str().unwrap().starts_with(&format!("--from {ns}:")))
    };
    for (from, said) in [("nope", true), ("client-ns", false)] {
        let args = ["trace", "-o", "json", "deny/web", "--from", from];
        assert_eq!(limit(&offline(NETPOL, &args), from), said, "{from}");
        assert_eq!(limit(&live(NETPOL, &args), from), said, "{from} live");
    }
}

/// `trace -n shop` live for a Service behind a Gateway of another
/// namespace: the same answers as from the files. Live, a run over one
/// namespace reads the route's parent Gateway in `infra` by name, and then
/// that namespace's NetworkPolicies and the pods labelled with the
/// Gateway's name (GEP-1762), its proxies, so the admissions match.
#[test]
fn a_gateway_outside_the_namespace_in_scope_live() {
    let args = ["-n", "shop", "trace", "-o", "json", "web"];
    let off = offline(PROXIES, &args);
    let on = served(PROXIES, &args, |b| b);
    assert_eq!(admissions(&on), admissions(&off), "live and files");
}

/// What a run over one namespace reads of a Gateway in another: the
/// Gateway by name, then that namespace's NetworkPolicies and, narrowed by
/// the API server to each Gateway's label (GEP-1762), their proxy pods;
/// never every pod of that namespace, nor a list across namespaces.
#[test]
fn a_gateway_beyond_the_scope_brings_its_proxies_and_policies_only() {
    let yaml: Vec<String> = ["nodes.yaml", "proxies.yaml"]
        .iter()
        .map(|f| std::fs::read_to_string(super::fixture(f)).expect("fixture"))
        .collect();
    let server = support::ApiServer::builder()
        .yaml(&yaml.join("\n---\n"))
        .start();
    let run = common::svcx_on(&server, &["-n", "shop", "trace", "-o", "json", "web"]);
    assert!(run.code < 2, "{run}");
    let asked = server.requests();
    let infra_pods: Vec<_> = asked
        .iter()
        .filter(|r| r.path == "/api/v1/namespaces/infra/pods")
        .collect();
    assert!(!infra_pods.is_empty(), "{asked:#?}");
    let mut selectors: Vec<String> = infra_pods
        .iter()
        .map(|r| r.param("labelSelector").unwrap_or_default())
        .collect();
    selectors.sort();
    selectors.dedup();
    // The two Gateways of infra that the routes read name as parents.
    assert_eq!(
        selectors,
        [
            "gateway.networking.k8s.io/gateway-name=internal",
            "gateway.networking.k8s.io/gateway-name=public"
        ],
        "{infra_pods:#?}"
    );
    assert!(
        asked
            .iter()
            .any(|r| r.path == "/apis/networking.k8s.io/v1/namespaces/infra/networkpolicies"),
        "{asked:#?}"
    );
    assert!(
        asked
            .iter()
            .all(|r| r.path != "/api/v1/pods"
                && r.path != "/apis/networking.k8s.io/v1/networkpolicies"),
        "{asked:#?}"
    );
}
