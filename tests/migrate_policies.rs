//! `svcx migrate-to-gateway` and network policies: a backend whose policies
//! do not admit the Gateway's proxies is noted (SVC521), and with
//! `--allow-gateway-proxies` the NetworkPolicy that admits exactly them is
//! written; read back with the input, `svcx trace` finds the proxies
//! admitted and lint finds no SVC521.

use crate::common;

use common::{json_out, svcx};
use serde_json::Value;

const FIXTURE: &str = "tests/fixtures/migrate/network-policy.yaml";

fn migrate(extra: &[&str]) -> (String, Value) {
    migrate_to(&[], "envoy", extra)
}

/// `svcx migrate-to-gateway` of the fixture (and `with`) to a Gateway of
/// class `class`: its YAML and its JSON report.
fn migrate_to(with: &[&str], class: &str, extra: &[&str]) -> (String, Value) {
    let mut args = vec![
        "migrate-to-gateway",
        "-f",
        FIXTURE,
        "--gateway-class",
        class,
    ];
    for w in with {
        args.extend_from_slice(&["-f", w]);
    }
    args.extend_from_slice(extra);
    let yaml = svcx(&args);
    assert_eq!(yaml.code, 0, "{yaml}");
    args.extend_from_slice(&["-o", "json"]);
    (yaml.stdout, json_out(&svcx(&args)))
}

fn network_policies(report: &Value) -> Vec<Value> {
    report["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["kind"] == "NetworkPolicy")
        .cloned()
        .collect()
}

/// The migration's YAML read back with the input (and `with`): `svcx
/// trace shop/web`'s report and lint's SVC521 findings.
fn read_back(yaml: &str, with: &[&str]) -> (Value, Value) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("migrated.yaml");
    std::fs::write(&out, yaml).expect("written");
    let out = out.display().to_string();
    // The migrated objects first: the Service they rewrite is the one
    // kept, as applying them replaces it.
    let mut files = vec!["-f", &out, "-f", FIXTURE];
    for w in with {
        files.extend_from_slice(&["-f", w]);
    }
    let mut trace = vec!["trace", "-o", "json"];
    trace.extend_from_slice(&files);
    trace.push("shop/web");
    let mut lint = vec!["lint", "--no-config", "-o", "json", "--select", "SVC521"];
    lint.extend_from_slice(&files);
    (
        json_out(&svcx(&trace)),
        json_out(&svcx(&lint))["findings"].clone(),
    )
}

/// The admissions a trace report's hops list, as `(source kind,
/// admission)`.
fn admissions(trace: &Value) -> Vec<(String, String)> {
    trace["services"][0]["paths"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["hops"].as_array().unwrap().clone())
        .flat_map(|h| h["admissions"].as_array().cloned().unwrap_or_default())
        .map(|a| {
            (
                a["source"]["kind"].as_str().unwrap().to_string(),
                a["admission"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The admissions of the Gateway's proxies in a trace report.
fn gateway_admissions(trace: &Value) -> Vec<String> {
    admissions(trace)
        .into_iter()
        .filter(|(k, _)| k == "gateway")
        .map(|(_, a)| a)
        .collect()
}

// Whether the proxies are noted, and when no policy is written: the
// table of cases in tests/migrate.rs.

#[test]
fn the_written_policy_admits_exactly_the_proxies_on_the_pod_ports() {
    let (yaml, report) = migrate(&["--gateway-namespace", "infra", "--allow-gateway-proxies"]);
    let written = network_policies(&report);
    assert_eq!(written.len(), 1, "{written:#?}");
    // The class `envoy` was not read: that the label names the proxies is
    // its implementation's to say, and the note says so, naming it.
    let note = report["report"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["code"] == "proxies-not-admitted")
        .expect("the note");
    assert!(
        note["instead"]
            .as_str()
            .unwrap()
            .contains("GatewayClass envoy"),
        "{note:#}"
    );
    let np = &written[0];
    assert_eq!(np["metadata"]["namespace"], "shop");
    assert_eq!(
        np["spec"]["podSelector"],
        serde_json::json!({"matchLabels": {"app": "web"}})
    );
    assert_eq!(
        np["spec"]["ingress"],
        serde_json::json!([{
            "from": [{
                "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "infra"}},
                "podSelector": {"matchLabels": {"gateway.networking.k8s.io/gateway-name": "shared-gateway"}}
            }],
            "ports": [{"port": "http", "protocol": "TCP"}]
        }])
    );
    // Read back with the input: the proxies are admitted, nothing else is.
    let (trace, svc521) = read_back(&yaml, &[]);
    let answers = admissions(&trace);
    assert!(
        answers.contains(&("gateway".to_string(), "admitted".to_string())),
        "{answers:?}"
    );
    assert_eq!(svc521, serde_json::json!([]));
}

/// Behind an Envoy Gateway class the written policy admits the proxies
/// where Envoy Gateway runs them: in the Gateway's namespace with the
/// GEP-1762 label (its GatewayNamespace mode), and, by default, in its own
/// namespace, which the input does not name, by the two owner labels it
/// gives them (envoyproxy/gateway d32f282
/// internal/infrastructure/kubernetes/proxy/resource_provider.go
/// `envoyLabels`, internal/gatewayapi/helpers.go). Read back, the proxies
/// are admitted (not "depends") and lint finds no SVC521. The policy the
/// other implementations get, the first peer alone, would leave Envoy
/// Gateway's default proxies out: read back with it, the answer depends.
#[test]
fn behind_envoy_gateway_the_written_policy_admits_its_proxies_in_either_namespace() {
    const CLASS: &str = "tests/fixtures/migrate/gatewayclass-envoy-gateway.yaml";
    let (yaml, report) = migrate_to(
        &[CLASS],
        "envoy",
        &["--gateway-namespace", "infra", "--allow-gateway-proxies"],
    );
    let written = network_policies(&report);
    assert_eq!(written.len(), 1, "{written:#?}");
    let from = &written[0]["spec"]["ingress"][0]["from"];
    assert_eq!(
        from,
        &serde_json::json!([
            {
                "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "infra"}},
                "podSelector": {"matchLabels": {"gateway.networking.k8s.io/gateway-name": "shared-gateway"}}
            },
            {
                "namespaceSelector": {},
                "podSelector": {"matchLabels": {
                    "gateway.envoyproxy.io/owning-gateway-name": "shared-gateway",
                    "gateway.envoyproxy.io/owning-gateway-namespace": "infra"
                }}
            }
        ])
    );
    let gateway_answers = |migrated: &str| gateway_admissions(&read_back(migrated, &[CLASS]).0);
    let answers = gateway_answers(&yaml);
    assert!(
        !answers.is_empty() && answers.iter().all(|a| a == "admitted"),
        "{answers:?}"
    );
    // The first peer alone: Envoy Gateway's default proxies are not among
    // those it admits.
    let one_peer = yaml.replacen(
        "  - namespaceSelector: {}\n",
        "  - namespaceSelector: {matchLabels: {none: none}}\n",
        1,
    );
    assert_ne!(one_peer, yaml, "the second peer as written:\n{yaml}");
    let answers = gateway_answers(&one_peer);
    assert!(answers.iter().any(|a| a == "depends"), "{answers:?}");
    assert_eq!(read_back(&yaml, &[CLASS]).1, serde_json::json!([]));
}

/// Behind a GKE Gateway of a global external class there are no proxy
/// pods: requests reach the backends from Google's front ends,
/// 35.191.0.0/16 and 130.211.0.0/22 (cloud.google.com/load-balancing/docs/
/// firewall-rules), so the written policy admits those ranges by ipBlock,
/// and, read back, the Gateway's traffic is admitted and lint finds no
/// SVC521. GKE creates its GatewayClasses itself: the class name says GKE.
#[test]
fn behind_a_gke_gateway_the_written_policy_admits_googles_front_ends() {
    let (yaml, report) = migrate_to(
        &[],
        "gke-l7-global-external-managed",
        &["--gateway-namespace", "infra", "--allow-gateway-proxies"],
    );
    let written = network_policies(&report);
    assert_eq!(written.len(), 1, "{written:#?}");
    assert_eq!(
        written[0]["spec"]["ingress"][0]["from"],
        serde_json::json!([
            {"ipBlock": {"cidr": "35.191.0.0/16"}},
            {"ipBlock": {"cidr": "130.211.0.0/22"}}
        ])
    );
    let (trace, svc521) = read_back(&yaml, &[]);
    let answers = gateway_admissions(&trace);
    assert!(
        !answers.is_empty() && answers.iter().all(|a| a == "admitted"),
        "{answers:?}"
    );
    assert_eq!(svc521, serde_json::json!([]));
}
