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
    let mut args = vec![
        "migrate-to-gateway",
        "-f",
        FIXTURE,
        "--gateway-class",
        "envoy",
    ];
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

// Whether the proxies are noted, and when no policy is written: the
// table of cases in tests/migrate.rs.

#[test]
fn the_written_policy_admits_exactly_the_proxies_on_the_pod_ports() {
    let (yaml, report) = migrate(&["--gateway-namespace", "infra", "--allow-gateway-proxies"]);
    let written = network_policies(&report);
    assert_eq!(written.len(), 1, "{written:#?}");
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
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("migrated.yaml");
    std::fs::write(&out, yaml).expect("written");
    let out = out.display().to_string();
    let trace = json_out(&svcx(&[
        "trace", "-o", "json", "-f", FIXTURE, "-f", &out, "shop/web",
    ]));
    let answers: Vec<(String, String)> = trace["services"][0]["paths"]
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
        .collect();
    assert!(
        answers.contains(&("gateway".to_string(), "admitted".to_string())),
        "{answers:?}"
    );
    let lint = json_out(&svcx(&[
        "lint",
        "--no-config",
        "-o",
        "json",
        "-f",
        FIXTURE,
        "-f",
        &out,
        "--select",
        "SVC521",
    ]));
    assert_eq!(lint["findings"], serde_json::json!([]));
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
    let args = [
        "migrate-to-gateway",
        "-f",
        FIXTURE,
        "-f",
        CLASS,
        "--gateway-class",
        "envoy",
        "--gateway-namespace",
        "infra",
        "--allow-gateway-proxies",
    ];
    let yaml = svcx(&args);
    assert_eq!(yaml.code, 0, "{yaml}");
    let mut json = args.to_vec();
    json.extend_from_slice(&["-o", "json"]);
    let report = json_out(&svcx(&json));
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
    let dir = tempfile::tempdir().expect("a temporary directory");
    let gateway_answers = |migrated: &str| -> Vec<String> {
        let out = dir.path().join("migrated.yaml");
        std::fs::write(&out, migrated).expect("written");
        let out = out.display().to_string();
        let trace = json_out(&svcx(&[
            "trace", "-o", "json", "-f", FIXTURE, "-f", CLASS, "-f", &out, "shop/web",
        ]));
        trace["services"][0]["paths"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["hops"].as_array().unwrap().clone())
            .flat_map(|h| h["admissions"].as_array().cloned().unwrap_or_default())
            .filter(|a| a["source"]["kind"] == "gateway")
            .map(|a| a["admission"].as_str().unwrap().to_string())
            .collect()
    };
    let answers = gateway_answers(&yaml.stdout);
    assert!(
        !answers.is_empty() && answers.iter().all(|a| a == "admitted"),
        "{answers:?}"
    );
    // The first peer alone: Envoy Gateway's default proxies are not among
    // those it admits.
    let one_peer = yaml.stdout.replacen(
        "  - namespaceSelector: {}\n",
        "  - namespaceSelector: {matchLabels: {none: none}}\n",
        1,
    );
    assert_ne!(
        one_peer, yaml.stdout,
        "the second peer as written:\n{}",
        yaml.stdout
    );
    let answers = gateway_answers(&one_peer);
    assert!(answers.iter().any(|a| a == "depends"), "{answers:?}");
    let out = dir.path().join("migrated.yaml");
    std::fs::write(&out, &yaml.stdout).expect("written");
    let out = out.display().to_string();
    let lint = |files: &[&str]| {
        let mut args = vec!["lint", "--no-config", "-o", "json", "--select", "SVC521"];
        for f in files {
            args.extend_from_slice(&["-f", f]);
        }
        json_out(&svcx(&args))["findings"].as_array().unwrap().len()
    };
    assert_eq!(lint(&[FIXTURE, CLASS, &out]), 0);
}
