//! Inputs the fuzz targets (fuzz/, docs/fuzzing.md) found to break svcx,
//! each kept as the smallest manifest that showed it, with what must hold
//! now.

use crate::common;

use common::{json_out, svcx};
use serde_json::Value;

/// Every `port`, `targetPort` and `nodePort` under `value`.
fn ports(value: &Value, key: &str, out: &mut Vec<(String, i64)>) {
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| ports(v, k, out)),
        Value::Array(items) => items.iter().for_each(|v| ports(v, key, out)),
        Value::Number(n) if matches!(key, "port" | "targetPort" | "nodePort") => {
            out.push((key.to_string(), n.as_i64().unwrap_or(i64::MIN)));
        }
        _ => {}
    }
}

/// `renderers`, crash-272d2c76: migrate-to-gateway wrote an HTTPRoute
/// backendRef with `port: -1`, from an Ingress backend given by a number
/// that is no port number. The HTTPRoute CRD refuses it (`backendRefs[].port`
/// is a `PortNumber`: minimum 1, maximum 65535, in every release under
/// ../shared/gateway-api-crds), as the API server refuses the Ingress
/// (`validateIngressBackend` checks the number with `IsValidPortNum`). Such a
/// backend now gets no rule and an `unresolved-backend` note; the valid path
/// still moves. The default backend (port -1) is written nowhere either: it
/// would answer only the paths of its host that no location matches, and
/// the `/` Prefix path matches them all (ingress-nginx replaces the host's
/// root location with it, `controller.go` "Replacing location").
#[test]
fn an_ingress_backend_port_out_of_range_writes_no_backend_ref() {
    let run = svcx(&[
        "migrate-to-gateway",
        "--gateway-class",
        "eg",
        "-o",
        "json",
        "-f",
        "tests/fixtures/fuzz/ingress-backend-port-out-of-range.yaml",
    ]);
    let report = json_out(&run);
    let mut written = Vec::new();
    ports(&report["objects"], "", &mut written);
    assert!(!written.is_empty(), "{run}");
    for (key, n) in &written {
        assert!((1..=65535).contains(n), "{key}: {n} in {run}");
    }
    assert!(written.contains(&("port".to_string(), 8080)), "{written:?}");
    let unresolved: Vec<&str> = report["report"]["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter(|n| n["code"] == "unresolved-backend")
        .filter_map(|n| n["message"].as_str())
        .collect();
    assert_eq!(unresolved.len(), 1, "{unresolved:?}");
    assert!(unresolved[0].contains("70000"), "{unresolved:?}");
}
