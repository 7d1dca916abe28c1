//! `svcx migrate-to-gateway --interactive` through a pseudo-terminal:
//! util-linux `script` runs svcx on a pty and passes it the keys the test
//! types, as a user would, one prompt at a time.

use crate::common;
use crate::support;

use common::{root, svcx};
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Runs `svcx ARGS` on a pseudo-terminal, typing `keys` one answer at a
/// time; returns everything the terminal showed (prompts and output).
fn on_a_terminal(args: &[&str], keys: &[&str]) -> (i32, String) {
    let command = std::iter::once(env!("CARGO_BIN_EXE_svcx").to_string())
        .chain(args.iter().map(|a| a.to_string()))
        .collect::<Vec<_>>()
        .join(" ");
    let mut child = Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .current_dir(root())
        .env_clear()
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script runs");
    let mut stdin = child.stdin.take().unwrap();
    // The prompts read keys in raw mode: give each its time to be asked.
    std::thread::sleep(Duration::from_millis(800));
    for k in keys {
        stdin.write_all(k.as_bytes()).unwrap();
        stdin.flush().unwrap();
        std::thread::sleep(Duration::from_millis(300));
    }
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    drop(stdin);
    let status = child.wait().unwrap();
    (status.code().unwrap_or(-1), out)
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
            " ",                             // untick the first Service, infra/edge-proxy
            ENTER,                           // accept the rest
            ENTER,                           // the only GatewayClass, envoy
            &format!("{DOWN}{DOWN}{ENTER}"), // v1.4
            ENTER,                           // standard channel
            "example.com\r",                 // the domain
            ENTER,                           // infra/metrics: metrics.infra.example.com
            ENTER,                           // shop/checkout: checkout.shop.example.com
            "www.example.com\r",             // shop/promo: a hostname of its own
            ENTER,                           // shop/storefront: storefront.shop.example.com
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
            ENTER, // apps/edge, the only Service
            ENTER, // envoy, the cluster's only GatewayClass
            ENTER, // what the cluster serves
            ENTER, // no domain
            ENTER, // no hostname for apps/edge
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
