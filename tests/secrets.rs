//! Secrets stay secret. Tokens, passwords and client keys from a kubeconfig
//! never appear in what svcx prints, whatever goes wrong (401, 403, a
//! certificate that does not verify, an unreachable or failing cluster) and
//! with logging asked for (`RUST_LOG=trace`); and svcx never asks for
//! Secrets: every request of every subcommand is a GET, none about
//! `secrets`, including migrate's TLS handling, which needs only names.

use crate::common;
use crate::support;

use common::Run;
use std::path::{Path, PathBuf};
use support::{ApiServer, Fault};
use svcx::demo::MANIFEST;

/// A token no message could contain by chance.
const TOKEN: &str = "tok-5f3c9a1e-SVCX-SECRET-7b2d";
/// Likewise for a password and a client key.
const PASSWORD: &str = "pw-0d8e4c2a-SVCX-SECRET-91fa";
const KEY_MARK: &str = "KEYMARK5SVCXSECRET8c1e";

/// One run of each subcommand that reads a live cluster.
const SUBCOMMANDS: &[&[&str]] = &[
    &["explain", "-A"],
    &["explain", "-A", "-o", "json"],
    &["trace", "-A"],
    &["trace", "-A", "shop/checkout"],
    &["lint", "--no-config", "-A"],
    &[
        "migrate-to-gateway",
        "-A",
        "--domain",
        "example.com",
        "--tls-secret",
        "shop/checkout=checkout-tls",
    ],
];

fn run(kubeconfig: &Path, args: &[&str]) -> Run {
    let mut full = vec!["--kubeconfig", kubeconfig.to_str().expect("UTF-8")];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--request-timeout", "3s"]);
    common::svcx_env(&full, &[("RUST_LOG", "trace"), ("RUST_BACKTRACE", "1")])
}

/// Runs every subcommand against each of `kubeconfigs`, on `workers`
/// threads, and checks that no output holds any of `secrets`; returns each
/// kubeconfig's runs, in order, for more checks.
fn assert_nothing_leaks(
    kubeconfigs: &[PathBuf],
    secrets: &[&str],
    workers: usize,
) -> Vec<Vec<Run>> {
    let runs = common::parallel_on(
        workers,
        kubeconfigs
            .iter()
            .flat_map(|k| SUBCOMMANDS.iter().map(move |args| (k, args))),
        |(kubeconfig, args)| (args, run(kubeconfig, args)),
    );
    let mut runs = runs.into_iter().map(|(args, run)| {
        for secret in secrets {
            assert!(
                !run.stdout.contains(secret) && !run.stderr.contains(secret),
                "{args:?} printed a secret:\n{run}"
            );
        }
        run
    });
    kubeconfigs
        .iter()
        .map(|_| runs.by_ref().take(SUBCOMMANDS.len()).collect())
        .collect()
}

fn write(dir: &Path, name: &str, yaml: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, yaml).expect("the kubeconfig is written");
    path
}

#[test]
fn tokens_never_appear_in_output_whatever_fails() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let good = ApiServer::builder().yaml(MANIFEST).token(TOKEN).start();
    let refusing = ApiServer::builder().yaml(MANIFEST).token("another").start();
    let forbidding = ApiServer::builder()
        .yaml(MANIFEST)
        .token(TOKEN)
        .forbid("services")
        .forbid("pods")
        .forbid("nodes")
        .start();
    let failing = ApiServer::builder()
        .yaml(MANIFEST)
        .token(TOKEN)
        .fault("services", Fault::internal())
        .fault("pods", Fault::unavailable(Some(1)))
        .start();
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        l.local_addr().expect("an address").port()
    };
    let other_ca = support::tls::generate("another-ca").ca_pem;
    let cases = [
        ("ok", good.kubeconfig(), Some(0..=1)),
        ("401", refusing.kubeconfig().token(TOKEN), Some(2..=2)),
        ("403", forbidding.kubeconfig(), None),
        ("500", failing.kubeconfig(), Some(2..=2)),
        ("bad-ca", good.kubeconfig().ca_pem(&other_ca), Some(2..=2)),
        (
            "unreachable",
            good.kubeconfig()
                .server(&format!("https://127.0.0.1:{closed}")),
            Some(2..=2),
        ),
    ];
    let paths: Vec<PathBuf> = cases
        .iter()
        .map(|(name, kubeconfig, _)| {
            assert_eq!(kubeconfig.token, TOKEN);
            write(dir.path(), name, &kubeconfig.to_yaml())
        })
        .collect();
    // Against the failing server every run sits out svcx's retries of the
    // 503 on pods (Retry-After 1s) for about 2s: those runs each get a
    // thread, beside the others, so that the waits overlap.
    let waiting = cases
        .iter()
        .position(|(name, ..)| *name == "500")
        .expect("the failing server's case");
    let (mut runs, waited) = std::thread::scope(|s| {
        let waited = s
            .spawn(|| assert_nothing_leaks(&paths[waiting..=waiting], &[TOKEN], SUBCOMMANDS.len()));
        let others: Vec<PathBuf> = paths
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != waiting)
            .map(|(_, p)| p.clone())
            .collect();
        let runs = assert_nothing_leaks(&others, &[TOKEN], common::workers());
        let waited = waited
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (runs, waited)
    });
    runs.splice(waiting..waiting, waited);
    assert_eq!(runs.len(), cases.len());
    for ((name, _, codes), runs) in cases.iter().zip(runs) {
        assert_eq!(runs.len(), SUBCOMMANDS.len(), "{name}");
        for run in runs {
            if let Some(codes) = codes {
                assert!(codes.contains(&run.code), "{name}: {run}");
            }
        }
    }
}

/// A user entry with a password, and one with a client certificate and a
/// key: neither appears, whether the server refuses them or svcx cannot use
/// them.
#[test]
fn passwords_and_client_keys_never_appear_in_output() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let server = ApiServer::builder().yaml(MANIFEST).start();
    let base = server.kubeconfig().to_yaml();
    let user = format!("    token: {}\n", server.token);
    assert!(base.contains(&user));
    let basic = base.replace(
        &user,
        &format!("    username: admin\n    password: {PASSWORD}\n"),
    );
    // Not a real key: svcx must fail to use it without quoting it.
    let pem =
        format!("-----BEGIN PRIVATE KEY-----\n{KEY_MARK}{KEY_MARK}\n-----END PRIVATE KEY-----\n");
    let b64 = |s: &str| {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(s)
    };
    let cert = base.replace(
        &user,
        &format!(
            "    client-certificate-data: {}\n    client-key-data: {}\n",
            b64(&pem.replace("PRIVATE KEY", "CERTIFICATE")),
            b64(&pem)
        ),
    );
    let paths = [
        write(dir.path(), "basic", &basic),
        write(dir.path(), "cert", &cert),
    ];
    // Both at once; neither's secrets may appear in either's output.
    let secrets = [PASSWORD, &b64(PASSWORD), KEY_MARK, &b64(&pem)];
    let runs = assert_nothing_leaks(&paths, &secrets, common::workers());
    for (name, runs) in ["basic", "cert"].iter().zip(runs) {
        assert_eq!(runs.len(), SUBCOMMANDS.len(), "{name}");
        for run in runs {
            assert_eq!(run.code, 2, "{name}: {run}");
        }
    }
}

/// Every subcommand only reads, and never Secrets: through the server's
/// request log, every request is a GET and none names `secrets`, including
/// `migrate-to-gateway --tls-secret`, which writes the Secret's name into a
/// listener and never looks it up.
#[test]
fn every_subcommand_only_gets_and_never_asks_for_secrets() {
    let server = ApiServer::builder().yaml(MANIFEST).token(TOKEN).start();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = server.kubeconfig().write(dir.path());
    for args in SUBCOMMANDS {
        server.clear_requests();
        let run = run(&path, args);
        assert!(run.code == 0 || run.code == 1, "{args:?}: {run}");
        let requests = server.requests();
        assert!(
            requests.iter().any(|r| r.path.ends_with("/services")),
            "{args:?} read the cluster: {requests:#?}"
        );
        for r in &requests {
            assert_eq!(r.method, "GET", "{args:?}: {r:?}");
            assert!(
                !r.path.to_lowercase().contains("secret")
                    && !r.query.to_lowercase().contains("secret"),
                "{args:?} asked about Secrets: {r:?}"
            );
        }
    }
    let migrated = run(&path, SUBCOMMANDS[5]);
    assert!(
        migrated.stdout.contains("name: checkout-tls"),
        "the Secret is referred to by name: {migrated}"
    );
}
