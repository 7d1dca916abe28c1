//! `svcx trace -o mermaid` must paste into a PR or README and render: every
//! flowchart svcx writes for the demo and the corpus is parsed by Mermaid's own
//! parser (tests/mermaid/check.mjs, run with Node). .ci/run installs it with
//! `npm ci --prefix tests/mermaid`; elsewhere the test says it skipped.

mod common;

use common::{corpus, root, svcx};
use std::process::Command;

#[test]
fn mermaid_output_parses_with_mermaid() {
    let checker = root().join("tests/mermaid");
    if !checker.join("node_modules/mermaid").exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install the Mermaid parser: npm ci --prefix tests/mermaid"
        );
        println!("skipped: run `npm ci --prefix tests/mermaid` to check Mermaid output");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bookinfo = corpus("manifests/istio-istio--bookinfo.yaml");
    let argo = corpus("live/argoproj-argo-cd--svc-loadbalancer-unassigned.yaml");
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("demo-all", vec!["trace", "--demo"]),
        (
            "demo-storefront",
            vec!["trace", "--demo", "shop/storefront"],
        ),
        (
            "demo-by-node-port",
            vec!["trace", "--demo", "10.0.0.12:31080"],
        ),
        (
            "demo-recommendations",
            vec!["trace", "--demo", "shop/recommendations"],
        ),
        ("demo-headless", vec!["trace", "--demo", "data/postgres"]),
        (
            "demo-external-name",
            vec!["trace", "--demo", "payments/card-processor"],
        ),
        ("bookinfo", vec!["trace", "-f", bookinfo.to_str().unwrap()]),
        ("argo-pending", vec!["trace", "-f", argo.to_str().unwrap()]),
    ];
    let mut files = Vec::new();
    for (name, mut args) in cases {
        args.extend(["-o", "mermaid"]);
        let run = svcx(&args);
        assert!(run.code == 0 || run.code == 1, "{name}: {run}");
        assert!(run.stdout.starts_with("flowchart"), "{name}: {run}");
        let file = dir.path().join(format!("{name}.mmd"));
        std::fs::write(&file, &run.stdout).unwrap();
        files.push(file);
    }
    let out = Command::new("node")
        .arg(checker.join("check.mjs"))
        .args(&files)
        .output()
        .expect("node runs (it is needed for the Mermaid check)");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "Mermaid rejected svcx output:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        report.lines().filter(|l| l.starts_with("ok ")).count(),
        files.len(),
        "{report}"
    );
}

/// The checker itself must reject what Mermaid cannot parse, or the test
/// above proves nothing.
#[test]
fn mermaid_checker_rejects_broken_input() {
    let checker = root().join("tests/mermaid");
    if !checker.join("node_modules/mermaid").exists() {
        println!("skipped: run `npm ci --prefix tests/mermaid` to check Mermaid output");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.mmd");
    std::fs::write(&file, "flowchart LR\n  a[[x] --> \n").unwrap();
    let out = Command::new("node")
        .arg(checker.join("check.mjs"))
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("FAIL"));
}
