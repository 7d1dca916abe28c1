//! `svcx migrate-to-gateway --interactive` through a pseudo-terminal:
//! util-linux `script` runs svcx on a pty and passes it the keys the test
//! types, as a user would, each once its question is on the screen.

use crate::common;
use crate::support;

use common::svcx;

/// Runs `svcx ARGS` on a pseudo-terminal, answering each question with its
/// keys; returns the exit code and everything the terminal showed.
fn on_a_terminal(args: &[&str], answers: &[(&str, &str)]) -> (i32, String) {
    common::on_a_terminal(args, &[], answers)
}

const ENTER: &str = "\r";
const DOWN: &str = "\x1b[B";

/// Every file of a directory written by `--output-dir`, by name.
fn files(dir: &std::path::Path) -> std::collections::BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let path = e.unwrap().path();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&path).unwrap(),
            )
        })
        .collect()
}

#[test]
#[cfg_attr(not(svcx_script), ignore = "needs util-linux `script` on PATH")]
fn the_answers_write_what_the_equivalent_flags_write() {
    let tmp = tempfile::tempdir().unwrap();
    let asked = tmp.path().join("asked");
    let flagged = tmp.path().join("flagged");
    let (code, screen) = on_a_terminal(
        &[
            "migrate-to-gateway",
            "--demo",
            "--interactive",
            "--output-dir",
            &asked.display().to_string(),
        ],
        &[
            // Untick the first Service, infra/edge-proxy; every box starts
            // ticked, so an empty one shows the key was taken.
            ("Services to migrate", " "),
            ("> [ ]", ENTER),                       // accept the rest
            ("GatewayClass of the Gateway", ENTER), // the only one, envoy
            (
                "Gateway API release installed",
                &format!("{DOWN}{DOWN}{ENTER}"), // v1.4
            ),
            ("Release channel", ENTER),                      // standard
            ("Domain for hostnames", "example.com\r"),       // the domain
            ("Hostname of infra/metrics", ENTER),            // metrics.infra.example.com
            ("Hostname of shop/checkout", ENTER),            // checkout.shop.example.com
            ("Hostname of shop/promo", "www.example.com\r"), // a hostname of its own
            ("Hostname of shop/storefront", ENTER),          // storefront.shop.example.com
        ],
    );
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("Services to migrate"), "{screen}");
    assert!(screen.contains("Hostname of shop/promo"), "{screen}");
    let run = svcx(&[
        "migrate-to-gateway",
        "--demo",
        "infra/metrics",
        "shop/checkout",
        "shop/promo",
        "shop/storefront",
        "--gateway-class",
        "envoy",
        "--gateway-api-version",
        "v1.4",
        "--channel",
        "standard",
        "--domain",
        "example.com",
        "--hostname",
        "shop/promo=www.example.com",
        "--output-dir",
        &flagged.display().to_string(),
    ]);
    assert_eq!(run.code, 0, "{run}");
    let (asked, flagged) = (files(&asked), files(&flagged));
    assert!(
        asked.keys().any(|k| k.contains("httproute-shop-promo")),
        "{:?}",
        asked.keys()
    );
    assert!(
        !asked.keys().any(|k| k.contains("edge-proxy")),
        "edge-proxy was unticked: {:?}",
        asked.keys()
    );
    assert!(
        asked
            .values()
            .any(|text| text.contains("- www.example.com")),
        "shop/promo's hostname"
    );
    // Byte for byte, the manifests and MIGRATION.md alike.
    assert_eq!(asked, flagged);
}

#[test]
#[cfg_attr(not(svcx_script), ignore = "needs util-linux `script` on PATH")]
fn yes_takes_the_defaults_without_asking() {
    let (code, screen) = on_a_terminal(
        &["migrate-to-gateway", "--demo", "--interactive", "--yes"],
        &[],
    );
    assert_eq!(code, 0, "{screen}");
    assert!(!screen.contains("Services to migrate"), "{screen}");
    assert!(screen.contains("migrating 5 Service(s)"), "{screen}");
}

#[test]
fn interactive_needs_a_terminal() {
    let run = svcx(&["migrate-to-gateway", "--demo", "--interactive"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains("--interactive needs a terminal"),
        "{run}"
    );
    for flag in [
        "--gateway-class",
        "--gateway-api-version",
        "--hostname",
        "--yes",
    ] {
        assert!(run.stderr.contains(flag), "the hint names {flag}: {run}");
    }
    assert!(run.stdout.is_empty());
}

/// Live, the release question defaults to what discovery found: taking it
/// writes what the same flags without --gateway-api-version write.
#[test]
#[cfg_attr(not(svcx_script), ignore = "needs util-linux `script` on PATH")]
fn live_the_release_defaults_to_what_the_cluster_serves() {
    let server = support::ApiServer::builder()
        .yaml(concat!(
            include_str!("fixtures/migrate/kinds.yaml"),
            "\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\n",
            "metadata: {name: envoy}\nspec: {controllerName: example.com/gateway}\n",
        ))
        .served_at("tcproutes", &["v1"])
        .start();
    let tmp = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig().write(tmp.path());
    let kubeconfig = kubeconfig.display().to_string();
    let asked = tmp.path().join("asked");
    let flagged = tmp.path().join("flagged");
    let (code, screen) = on_a_terminal(
        &[
            "--kubeconfig",
            &kubeconfig,
            "migrate-to-gateway",
            "-A",
            "--interactive",
            "--output-dir",
            &asked.display().to_string(),
        ],
        &[
            ("Services to migrate", ENTER),         // apps/edge, the only Service
            ("GatewayClass of the Gateway", ENTER), // envoy, the cluster's only one
            ("Gateway API release installed", ENTER), // what the cluster serves
            ("Domain for hostnames", ENTER),        // no domain
            ("Hostname of apps/edge", ENTER),       // no hostname
        ],
    );
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("what the cluster serves (discovery)"),
        "{screen}"
    );
    let run = svcx(&[
        "--kubeconfig",
        &kubeconfig,
        "migrate-to-gateway",
        "-A",
        "apps/edge",
        "--gateway-class",
        "envoy",
        "--output-dir",
        &flagged.display().to_string(),
    ]);
    assert_eq!(run.code, 0, "{run}");
    let (asked, flagged) = (files(&asked), files(&flagged));
    assert!(
        asked.iter().any(|(name, text)| name.contains("tcproute")
            && text.contains("apiVersion: gateway.networking.k8s.io/v1\n")),
        "the TCPRoute at the version the cluster serves: {:?}",
        asked.keys()
    );
    assert_eq!(asked, flagged);
}
