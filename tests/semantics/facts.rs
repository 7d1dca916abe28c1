//! Facts several analyses read (explain, trace, lint, migrate), each
//! decided by one function of the model, so that no two analyses can
//! disagree on them. Fixtures: tests/fixtures/semantics/facts.yaml.

use super::*;

const FACTS: &[&str] = &["facts.yaml"];

/// Every hop kind of a trace report.
fn hop_kinds(report: &Value) -> Vec<String> {
    report["services"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["paths"].as_array().cloned().unwrap_or_default())
        .flat_map(|p| p["hops"].as_array().cloned().unwrap_or_default())
        .filter_map(|h| h["kind"].as_str().map(str::to_string))
        .collect()
}

/// The layer kinds of an explained Service.
fn layer_kinds(svc: &Value) -> Vec<String> {
    strings(
        &svc["layers"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| l["layer"].clone())
            .collect::<Value>(),
    )
}

/// externalIPs open nothing on a headless Service: kube-proxy skips every
/// Service whose clusterIP is None or unset, and every ExternalName Service
/// (kubernetes/kubernetes pkg/proxy/util/utils.go, `ShouldSkipService`), so
/// no node answers for those addresses. explain shows no externalIPs layer,
/// trace no externalIP hop, and a trace of the address finds no Service
/// that owns it.
#[test]
fn external_ips_of_headless_and_external_name_services_open_nothing() {
    for name in ["facts/headless-eip", "facts/alias-eip"] {
        let svc = explain(FACTS, name);
        assert!(
            !layer_kinds(&svc).contains(&"external-ips".to_string()),
            "{name}: {svc:#}"
        );
        let r = trace(FACTS, name);
        assert!(
            !hop_kinds(&r).contains(&"external-ip".to_string()),
            "{name}: {r:#}"
        );
    }
    // The written field is still named (it is deprecated), as opening nothing.
    let svc = explain(FACTS, "facts/headless-eip");
    assert!(
        codes_of(&svc).contains(&("SVC304".to_string(), "info".to_string())),
        "{svc:#}"
    );
    for ip in ["192.0.2.60", "192.0.2.61"] {
        let paths = std::iter::once("nodes.yaml")
            .chain(FACTS.iter().copied())
            .map(|f| fixture(f).display().to_string())
            .collect::<Vec<_>>();
        let mut args = vec!["trace", "-o", "json", ip];
        for p in &paths {
            args.extend(["-f", p.as_str()]);
        }
        let run = svcx(&args);
        assert_eq!(run.code, 2, "{ip} is no Service's way in: {run}");
        assert!(run.stdout.is_empty(), "{run}");
    }
}
