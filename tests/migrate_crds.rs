//! Every object `svcx migrate-to-gateway` writes is valid against the
//! OpenAPI schema of the Gateway API CRDs of the release it targets
//! (../shared/gateway-api-crds, v1.2 to v1.6, both channels): known fields
//! only, required fields present, types, enums and list sizes as the schema
//! says, at the `apiVersion` written, which the release must serve. The CEL
//! rules are checked in tests/migrate.rs.

use crate::common;

use common::{json_out, root, svcx};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// The release directories, by minor version.
const RELEASES: &[(u8, &str)] = &[
    (2, "v1.2.1"),
    (3, "v1.3.0"),
    (4, "v1.4.1"),
    (5, "v1.5.1"),
    (6, "v1.6.1"),
];

/// The schema of `kind` at `version` in a release's channel, if served.
fn schema(release: &str, channel: &str, kind: &str, version: &str) -> Option<Value> {
    schemas(release, channel).remove(&(kind.to_string(), version.to_string()))
}

/// The served schemas of a release's channel, by kind and version: its CRD
/// files read once (reading them is the slow part). The first
/// CustomResourceDefinition of a kind is the one that counts.
fn schemas(release: &str, channel: &str) -> HashMap<(String, String), Value> {
    let dir = root()
        .join("../shared/gateway-api-crds")
        .join(release)
        .join(channel);
    let mut kinds = HashSet::new();
    let mut out = HashMap::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for doc in svcx::yaml::split_documents(&text) {
            let crd = svcx::yaml::parse_document(&doc).unwrap();
            let Some(kind) = crd["spec"]["names"]["kind"].as_str() else {
                continue;
            };
            if crd["kind"] != "CustomResourceDefinition" || !kinds.insert(kind.to_string()) {
                continue;
            }
            for v in crd["spec"]["versions"].as_array().into_iter().flatten() {
                if v["served"] == true
                    && let Some(name) = v["name"].as_str()
                {
                    out.entry((kind.to_string(), name.to_string()))
                        .or_insert_with(|| v["schema"]["openAPIV3Schema"].clone());
                }
            }
        }
    }
    out
}

/// What in `value` the schema does not allow, with the path to it.
fn violations(value: &Value, schema: &Value, path: &str, out: &mut Vec<String>) {
    let ty = schema["type"].as_str();
    let ok = match (ty, value) {
        (Some("object"), Value::Object(_))
        | (Some("array"), Value::Array(_))
        | (Some("string"), Value::String(_))
        | (Some("boolean"), Value::Bool(_))
        | (None, _) => true,
        (Some("integer"), v) => v.is_i64(),
        (Some("number"), v) => v.is_number(),
        _ => false,
    };
    if !ok {
        out.push(format!(
            "{path}: {value} is not of type {}",
            ty.unwrap_or_default()
        ));
        return;
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        out.push(format!("{path}: {value} is not one of {allowed:?}"));
    }
    if let Value::Object(map) = value {
        for required in schema["required"].as_array().into_iter().flatten() {
            if !map.contains_key(required.as_str().unwrap_or_default()) {
                out.push(format!("{path}: required field {required} is missing"));
            }
        }
        let open = schema["x-kubernetes-preserve-unknown-fields"] == true;
        if let Some(props) = schema["properties"].as_object() {
            for (k, v) in map {
                match props.get(k) {
                    Some(s) => violations(v, s, &format!("{path}.{k}"), out),
                    None if open => {}
                    None => out.push(format!("{path}: unknown field {k}")),
                }
            }
        } else if let Some(extra) = schema.get("additionalProperties").filter(|a| a.is_object()) {
            for (k, v) in map {
                violations(v, extra, &format!("{path}.{k}"), out);
            }
        }
    }
    if let Value::Array(items) = value {
        if let Some(max) = schema["maxItems"].as_u64()
            && items.len() as u64 > max
        {
            out.push(format!("{path}: more than {max} items"));
        }
        if let Some(min) = schema["minItems"].as_u64()
            && (items.len() as u64) < min
        {
            out.push(format!("{path}: fewer than {min} items"));
        }
        for (i, item) in items.iter().enumerate() {
            violations(item, &schema["items"], &format!("{path}[{i}]"), out);
        }
    }
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
    not(svcx_crds),
    ignore = "needs ../shared/gateway-api-crds beside the repository"
)]
fn every_object_is_valid_against_its_release_crds() {
    let targets = RELEASES
        .iter()
        .flat_map(|r| ["standard", "experimental"].map(|channel| (r, channel)));
    // Each release and channel on a thread of its own: seven runs of svcx
    // and its CRDs read.
    let checked: usize = common::parallel(targets, |(&(minor, release), channel)| {
        let mut checked = 0;
        let schemas = schemas(release, channel);
        {
            let version = format!("v1.{minor}");
            let common = [
                "--gateway-api-version",
                version.as_str(),
                "--channel",
                channel,
            ];
            let mut all = Vec::new();
            for input in [
                vec![
                    "-f",
                    "tests/fixtures/migrate/kinds.yaml",
                    "--gateway-class",
                    "c",
                    "--domain",
                    "example.com",
                ],
                vec![
                    "-f",
                    "tests/fixtures/migrate/kinds.yaml",
                    "--gateway-class",
                    "c",
                ],
                vec![
                    "-f",
                    "tests/fixtures/migrate/settings.yaml",
                    "--gateway-class",
                    "c",
                ],
                vec![
                    "-f",
                    "tests/fixtures/migrate/internal.yaml",
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
                ],
                vec!["--demo", "--domain", "example.com"],
            ] {
                let mut args = input.clone();
                args.extend_from_slice(&common);
                all.extend(objects(&args));
            }
            for o in all.iter().filter(|o| {
                o["apiVersion"]
                    .as_str()
                    .is_some_and(|v| v.contains("gateway"))
            }) {
                let kind = o["kind"].as_str().unwrap();
                let api = o["apiVersion"].as_str().unwrap();
                let version = api.rsplit('/').next().unwrap();
                let schema = schemas
                    .get(&(kind.to_string(), version.to_string()))
                    .unwrap_or_else(|| panic!("{release} {channel} serves no {kind} {version}"));
                let mut found = Vec::new();
                violations(o, schema, kind, &mut found);
                assert!(found.is_empty(), "{release} {channel}: {found:#?}\n{o}");
                checked += 1;
            }
        }
        checked
    })
    .into_iter()
    .sum();
    assert!(checked > 100, "{checked} objects checked");
}

/// The check must catch what the schema forbids, or the test above proves nothing.
#[test]
#[cfg_attr(
    not(svcx_crds),
    ignore = "needs ../shared/gateway-api-crds beside the repository"
)]
fn the_schema_check_catches_what_the_schema_forbids() {
    let gateway = objects(&["--demo"])
        .into_iter()
        .find(|o| o["kind"] == "Gateway")
        .unwrap();
    let v1_6 = schema("v1.6.1", "standard", "Gateway", "v1").unwrap();
    let mut wrong = gateway.clone();
    wrong["spec"]["listeners"][0]["protocl"] = Value::from("HTTP");
    wrong["spec"]["listeners"][0]["port"] = Value::from("eighty");
    let mut found = Vec::new();
    violations(&wrong, &v1_6, "Gateway", &mut found);
    assert_eq!(found.len(), 2, "{found:#?}");
    // A kind a release does not serve has no schema there.
    assert!(schema("v1.4.1", "standard", "TCPRoute", "v1alpha2").is_none());
}
