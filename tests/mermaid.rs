//! `svcx trace -o mermaid` must paste into a PR or README and render: every
//! flowchart svcx writes for the demo and the corpus is parsed by Mermaid's own
//! parser (tests/mermaid/check.mjs, run with Node). .ci/run installs it with
//! `npm ci --prefix tests/mermaid`; without it (or without Node on PATH), the
//! tests are ignored (build.rs detects both), except in CI, where that fails.

use crate::common;

use common::{corpus, root, svcx};
use std::process::Command;

/// Writes `svcx ARGS -o mermaid` for every case to a file and has Mermaid
/// parse them all.
fn check_parses(cases: Vec<(&str, Vec<&str>)>) {
    let checker = root().join("tests/mermaid");
    let dir = tempfile::tempdir().unwrap();
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

#[test]
#[cfg_attr(
    not(svcx_mermaid),
    ignore = "needs node on PATH and `npm ci --prefix tests/mermaid`"
)]
fn demo_mermaid_parses_with_mermaid() {
    check_parses(vec![
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
        // Gateway, listener, route and backendRef nodes, and a route that
        // is not admitted.
        (
            "demo-host-path",
            vec!["trace", "--demo", "shop.example.com/api/catalog"],
        ),
        (
            "demo-gateway-address",
            vec!["trace", "--demo", "203.0.113.40:443"],
        ),
        (
            "demo-not-admitted",
            vec!["trace", "--demo", "payments/payments-api"],
        ),
        (
            "demo-external-name",
            vec!["trace", "--demo", "payments/card-processor"],
        ),
    ]);
}

#[test]
#[cfg_attr(
    not(all(svcx_mermaid, svcx_corpus)),
    ignore = "needs ../shared/corpus, node on PATH and `npm ci --prefix tests/mermaid`"
)]
fn corpus_mermaid_parses_with_mermaid() {
    let bookinfo = corpus("manifests/istio-istio--bookinfo.yaml");
    let argo = corpus("live/argoproj-argo-cd--svc-loadbalancer-unassigned.yaml");
    // bookinfo behind its HTTPRoute and its Ingress; popeye's Gateways and
    // Ingresses, with routes that do not resolve.
    let bookinfo_gateway = corpus("manifests/istio-istio--bookinfo-gateway-api.yaml");
    let bookinfo_ingress = corpus("manifests/istio-istio--bookinfo-ingress.yaml");
    let popeye = corpus("live/derailed-popeye--lint-testdata-network.yaml");
    check_parses(vec![
        ("bookinfo", vec!["trace", "-f", bookinfo.to_str().unwrap()]),
        ("argo-pending", vec!["trace", "-f", argo.to_str().unwrap()]),
        (
            "bookinfo-routes",
            vec![
                "trace",
                "-f",
                bookinfo.to_str().unwrap(),
                "-f",
                bookinfo_gateway.to_str().unwrap(),
                "-f",
                bookinfo_ingress.to_str().unwrap(),
            ],
        ),
        (
            "popeye-routes",
            vec!["trace", "-f", popeye.to_str().unwrap()],
        ),
    ]);
}

/// CI installs the parser and has the corpus beside the repository
/// (.ci/run), so there the checks above, and the corpus tests of the other
/// suites, must run rather than be ignored.
#[test]
#[cfg_attr(not(svcx_ci), ignore = "checks CI's setup (runs where CI is set)")]
fn ci_runs_the_mermaid_and_corpus_checks() {
    let missing: Vec<&str> = [
        (
            cfg!(svcx_mermaid),
            "Node and the Mermaid parser (npm ci --prefix tests/mermaid)",
        ),
        (cfg!(svcx_corpus), "the corpus at ../shared/corpus"),
    ]
    .into_iter()
    .filter_map(|(present, what)| (!present).then_some(what))
    .collect();
    assert!(missing.is_empty(), "CI must provide {missing:?}");
}

/// The checker itself must reject what Mermaid cannot parse, or the test
/// above proves nothing.
#[test]
#[cfg_attr(
    not(svcx_mermaid),
    ignore = "needs node on PATH and `npm ci --prefix tests/mermaid`"
)]
fn mermaid_checker_rejects_broken_input() {
    let checker = root().join("tests/mermaid");
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
