//! An independent validator of `svcx migrate-to-gateway` output:
//! @kubernetes-models/gateway-api 2.0.0 (tests/gateway-models/check.mjs, run
//! with Node) validates every object it has a model for against the Gateway
//! API CRDs' OpenAPI schema. .ci/run installs it with
//! `npm ci --prefix tests/gateway-models`; without it (or Node), these tests
//! are ignored (build.rs detects both), except in CI, where that fails.
//! The package has no model for TCPRoute and UDPRoute v1 (Gateway API v1.6);
//! svcx's own types for those are read back in tests/migrate.rs.

use crate::common;

use common::{json_out, root, svcx};
use serde_json::Value;
use std::process::Command;

/// Runs the validator on `objects`; returns its lines.
fn validate(objects: &[Value]) -> (bool, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("objects.json");
    std::fs::write(&file, serde_json::to_string(objects).unwrap()).unwrap();
    let out = Command::new("node")
        .arg(root().join("tests/gateway-models/check.mjs"))
        .arg(&file)
        .output()
        .expect("node runs (it is needed for the validator)");
    let lines = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect();
    (out.status.success(), lines)
}

fn objects(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["migrate-to-gateway"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", "json"]);
    json_out(&svcx(&all))["objects"]
        .as_array()
        .expect("objects")
        .clone()
}

#[test]
#[cfg_attr(
    not(svcx_gwmodels),
    ignore = "needs node on PATH and `npm ci --prefix tests/gateway-models`"
)]
fn every_object_the_validator_knows_is_valid() {
    let kinds = "tests/fixtures/migrate/kinds.yaml";
    let mut all = Vec::new();
    for args in [
        vec!["--demo"],
        vec!["--demo", "--domain", "example.com"],
        vec![
            "-f",
            kinds,
            "--gateway-class",
            "c",
            "--domain",
            "example.com",
        ],
        vec![
            "-f",
            kinds,
            "--gateway-class",
            "c",
            "--gateway-api-version",
            "v1.4",
            "--channel",
            "experimental",
        ],
        vec![
            "-f",
            kinds,
            "--gateway-class",
            "c",
            "--domain",
            "example.com",
            "--gateway-api-version",
            "v1.5",
        ],
        vec![
            "-f",
            "tests/fixtures/migrate/settings.yaml",
            "--gateway-class",
            "c",
        ],
        vec![
            "-f",
            "tests/fixtures/migrate/nginx-annotations.yaml",
            "--gateway-class",
            "c",
        ],
        vec![
            "-f",
            "tests/fixtures/migrate/ingress.yaml",
            "--gateway-class",
            "c",
            "--gateway-namespace",
            "gateways",
            "--gateway-api-version",
            "v1.4",
        ],
    ] {
        all.extend(objects(&args));
    }
    let gateway_api = all
        .iter()
        .filter(|o| {
            o["apiVersion"]
                .as_str()
                .is_some_and(|v| v.starts_with("gateway.networking.k8s.io/"))
        })
        .count();
    let (passed, lines) = validate(&all);
    assert!(passed, "{lines:#?}");
    let ok = lines.iter().filter(|l| l.starts_with("ok ")).count();
    let unknown: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with("unknown ") && !l.starts_with("unknown Service v1 "))
        .collect();
    // Only TCPRoute and UDPRoute v1 are beyond the package's models.
    for l in &unknown {
        assert!(
            l.starts_with("unknown TCPRoute gateway.networking.k8s.io/v1 ")
                || l.starts_with("unknown UDPRoute gateway.networking.k8s.io/v1 "),
            "{l}"
        );
    }
    assert_eq!(ok + unknown.len(), gateway_api, "{lines:#?}");
    for kind in [
        "Gateway",
        "HTTPRoute",
        "GRPCRoute",
        "TLSRoute",
        "TCPRoute",
        "UDPRoute",
        "ReferenceGrant",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(&format!("ok {kind} "))),
            "{kind} validated at least once: {lines:#?}"
        );
    }
}

/// The validator must reject what the schema does not allow, or the test
/// above proves nothing.
#[test]
#[cfg_attr(
    not(svcx_gwmodels),
    ignore = "needs node on PATH and `npm ci --prefix tests/gateway-models`"
)]
fn the_validator_rejects_invalid_objects() {
    let mut gateway = objects(&["--demo"])
        .into_iter()
        .find(|o| o["kind"] == "Gateway")
        .unwrap();
    gateway["spec"]["listeners"][0]["port"] = Value::from("eighty");
    let (passed, lines) = validate(&[gateway]);
    assert!(!passed, "{lines:#?}");
    assert!(lines[0].starts_with("FAIL Gateway "), "{lines:#?}");
}

/// CI installs the validator (.ci/run): there these checks must run.
#[test]
#[cfg_attr(not(svcx_ci), ignore = "checks CI's setup (runs where CI is set)")]
fn ci_runs_the_validator() {
    let present = cfg!(svcx_gwmodels);
    assert!(
        present,
        "CI must provide Node and @kubernetes-models/gateway-api (npm ci --prefix tests/gateway-models)"
    );
}
