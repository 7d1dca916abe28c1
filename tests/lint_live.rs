//! `svcx lint` on a live cluster, through the test API server (HTTPS, token):
//! the same objects give the same findings as from files, locations aside;
//! live findings point at `context/namespace/Kind/name` and a field path;
//! svcx sends only GETs.

use crate::common;

use common::{root, settings, svcx};
use serde_json::Value;

/// The demo cluster's objects, as a manifest.
fn demo_yaml() -> String {
    std::fs::read_to_string(root().join("src/source/demo.yaml")).expect("demo.yaml")
}

/// `(code, kind, namespace, name, field, severity, message)` of each finding.
fn findings(report: &Value) -> Vec<[String; 7]> {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    let mut out: Vec<[String; 7]> = report["findings"]
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
                s(&f["message"]),
            ]
        })
        .collect();
    out.sort();
    out
}

fn parse(run: &common::Run) -> Value {
    assert!(run.code == 0 || run.code == 1, "{run}");
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON ({e}):\n{run}"))
}

/// Lints the objects live; returns the run and the server's request log check.
fn live(yaml: &str, args: &[&str]) -> common::Run {
    let cluster = common::Cluster::serving(yaml);
    let mut full = vec!["lint", "--no-config"];
    full.extend_from_slice(args);
    if !args.contains(&"-n") {
        full.push("-A");
    }
    let run = cluster.svcx(&full);
    cluster.assert_only_reads();
    run
}

/// The demo's objects served live and read from a file give the same
/// findings, message for message. SVC306 (`fixed-node-port`) is left out of
/// both: it judges whether an author wrote a nodePort, which a live object
/// (whose nodePorts the API server allocated) cannot tell, so live never
/// raises it by design.
#[test]
fn live_findings_equal_files() {
    let yaml = demo_yaml();
    let live = parse(&live(&yaml, &["-o", "json", "--ignore", "SVC306"]));
    let files = parse(&svcx(&[
        "lint",
        "--no-config",
        "-o",
        "json",
        "--ignore",
        "SVC306",
        "-f",
        "src/source/demo.yaml",
    ]));
    let got = findings(&live);
    assert!(got.len() > 10, "the demo has findings: {got:?}");
    assert_eq!(got, findings(&files));
    assert_eq!(
        live["summary"]["load_balancers"],
        files["summary"]["load_balancers"]
    );
    for f in live["findings"].as_array().unwrap() {
        assert_eq!(f["origin"]["source"], "live", "{f}");
        assert!(f.get("span").is_none(), "live objects have no text: {f}");
    }
}

/// Live findings point at `context/namespace/Kind/name .field`.
#[test]
fn live_human_output() {
    let run = live(&demo_yaml(), &["-n", "shop", "--select", "SVC1,SVC3"]);
    assert_eq!(run.code, 1, "{run}");
    let mut s = settings();
    s.add_filter(r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]");
    s.bind(|| insta::assert_snapshot!(run.to_string()));
}

/// Live SARIF results carry logical locations instead of files.
#[test]
fn live_sarif_uses_logical_locations() {
    let run = live(&demo_yaml(), &["-o", "sarif", "--select", "SVC302"]);
    let sarif: Value = serde_json::from_str(&run.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    for r in results {
        let loc = &r["locations"][0];
        assert!(loc.get("physicalLocation").is_none(), "{loc}");
        let name = loc["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .unwrap();
        assert!(
            name.contains("/Service/") && name.ends_with(" .spec.type"),
            "{name}"
        );
    }
}

/// Rules judged only on what a cluster lists (a `live-only` file in their
/// fixture directory) fire on their firing fixture served live, and not on
/// their clean one; the human output is snapshotted as for the others.
#[test]
fn live_only_rules_fire_live() {
    let mut checked = 0;
    for &code in svcx::Code::ALL {
        let dir = root().join(format!("tests/fixtures/lint/{code}"));
        if !dir.join("live-only").is_file() {
            continue;
        }
        let read = |kind: &str| std::fs::read_to_string(dir.join(format!("{kind}.yaml"))).unwrap();
        let c = code.code();
        let firing = parse(&live(&read("firing"), &["-o", "json", "--select", c]));
        assert!(
            firing["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["code"] == c),
            "{c} does not fire live: {firing:#}"
        );
        let clean = parse(&live(&read("clean"), &["-o", "json", "--select", c]));
        assert!(
            clean["findings"].as_array().unwrap().is_empty(),
            "{c}: {clean:#}"
        );
        let run = live(&read("firing"), &["--select", c]);
        let mut s = settings();
        s.set_snapshot_suffix(c);
        s.bind(|| insta::assert_snapshot!("rule", run.to_string()));
        checked += 1;
    }
    assert!(checked >= 1);
}
