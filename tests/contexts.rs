//! Several clusters in one run (`--context` repeated, `--all-contexts`),
//! through real sockets: two test API servers holding different objects and
//! one kubeconfig whose contexts point at them, and at a closed port on
//! 127.0.0.1. Each cluster's lists are asked of its own server; the answer is
//! grouped by context (human) or carries the context on every object (JSON);
//! a cluster that cannot be read is reported and does not spoil the others.
//! Progress: never on a pipe; on a terminal, shown for a slow cluster.

use crate::common;
use crate::support;

use base64::Engine;
use common::{Run, settings, svcx};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::ApiServer;
use support::objects::{endpoint_slice, node, pod, service};

/// Cluster `east`: shop/web, served by one ready pod.
fn east() -> ApiServer {
    east_with(Duration::ZERO)
}

fn east_with(delay: Duration) -> ApiServer {
    ApiServer::builder()
        .object(service("shop", "web"))
        .object(pod("shop", "web-0", "web", "10.1.0.5", "east-a"))
        .object(endpoint_slice(
            "shop",
            "web",
            "web-1",
            &[("10.1.0.5".into(), "web-0".into(), "east-a".into())],
        ))
        .object(node("east-a", "10.1.255.1"))
        .delay(delay)
        .start()
}

/// Cluster `west`: shop/api, whose selector matches no pod (SVC101, a
/// broken trace).
fn west() -> ApiServer {
    ApiServer::builder()
        .object(service("shop", "api"))
        .object(node("west-a", "10.2.255.1"))
        .start()
}

/// A URL where nothing listens: a port that was just free on 127.0.0.1.
fn closed_url() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("https://127.0.0.1:{port}")
}

/// A kubeconfig with one cluster, user and context per `(context, server
/// URL, CA)`, each context in namespace `shop`; the first is current.
fn kubeconfig(dir: &Path, clusters: &[(&str, &str, &str)]) -> PathBuf {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let mut text = String::from("apiVersion: v1\nkind: Config\nclusters:\n");
    for (name, url, ca) in clusters {
        text.push_str(&format!(
            "- name: {name}\n  cluster:\n    server: {url}\n    certificate-authority-data: {}\n",
            b64(ca)
        ));
    }
    text.push_str("users:\n");
    for (name, _, _) in clusters {
        text.push_str(&format!(
            "- name: {name}\n  user:\n    token: {}\n",
            support::server::DEFAULT_TOKEN
        ));
    }
    text.push_str("contexts:\n");
    for (name, _, _) in clusters {
        text.push_str(&format!(
            "- name: {name}\n  context:\n    cluster: {name}\n    user: {name}\n    namespace: shop\n"
        ));
    }
    text.push_str(&format!("current-context: {}\n", clusters[0].0));
    let path = dir.join("kubeconfig");
    std::fs::write(&path, text).unwrap();
    path
}

/// Two live clusters and a closed port, and a kubeconfig naming all three.
struct Clusters {
    east: ApiServer,
    west: ApiServer,
    down: String,
    _dir: tempfile::TempDir,
    kubeconfig: PathBuf,
}

impl Clusters {
    fn start() -> Clusters {
        Clusters::with(east(), true)
    }

    fn with(east: ApiServer, down: bool) -> Clusters {
        let west = west();
        let dir = tempfile::tempdir().unwrap();
        let closed = closed_url();
        let mut entries = vec![
            ("east", east.url.as_str(), east.ca_pem.as_str()),
            ("west", west.url.as_str(), west.ca_pem.as_str()),
        ];
        if down {
            entries.push(("down", closed.as_str(), east.ca_pem.as_str()));
        }
        let kubeconfig = kubeconfig(dir.path(), &entries);
        Clusters {
            east,
            west,
            down: closed,
            _dir: dir,
            kubeconfig,
        }
    }

    /// Runs `svcx ARGS --kubeconfig K --request-timeout 5s`.
    fn svcx(&self, args: &[&str]) -> Run {
        let mut full: Vec<&str> = args.to_vec();
        full.extend([
            "--kubeconfig",
            self.kubeconfig.to_str().unwrap(),
            "--request-timeout",
            "5s",
        ]);
        svcx(&full)
    }

    /// Masks the servers' ephemeral ports in what a run printed.
    fn settings(&self) -> insta::Settings {
        let mut s = settings();
        for (url, name) in [
            (&self.east.url, "[EAST]"),
            (&self.west.url, "[WEST]"),
            (&self.down, "[DOWN]"),
        ] {
            s.add_filter(&common::regex_escape(url), name);
        }
        s.add_filter(r"\(os error \d+\)", "(os error N)");
        s
    }
}

/// The paths a server was asked for.
fn paths(server: &ApiServer) -> Vec<String> {
    server.requests().into_iter().map(|r| r.path).collect()
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON ({e}):\n{run}"))
}

/// `(context, namespace/name)` of each Service of a report, in order.
fn services(report: &Value) -> Vec<(String, String)> {
    report["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["origin"]["context"].as_str().unwrap().to_string(),
                format!(
                    "{}/{}",
                    s["namespace"].as_str().unwrap(),
                    s["name"].as_str().unwrap()
                ),
            )
        })
        .collect()
}

#[test]
fn each_cluster_is_read_from_its_own_server_and_json_names_the_context() {
    let c = Clusters::start();
    let run = c.svcx(&[
        "explain",
        "-o",
        "json",
        "--context",
        "east",
        "--context",
        "west",
        "--context",
        "down",
    ]);
    // One cluster could not be read: the answer is incomplete.
    assert_eq!(run.code, 2, "{run}");
    let report = json(&run);
    assert_eq!(report["schema"], 4);
    assert_eq!(report["source"]["kind"], "clusters");
    assert_eq!(
        services(&report),
        [
            ("east".to_string(), "shop/web".to_string()),
            ("west".to_string(), "shop/api".to_string())
        ]
    );
    let clusters = report["clusters"].as_array().unwrap();
    let contexts: Vec<&str> = clusters
        .iter()
        .map(|c| c["context"].as_str().unwrap())
        .collect();
    assert_eq!(contexts, ["east", "west", "down"]);
    assert_eq!(clusters[0]["server"], c.east.url.as_str());
    assert_eq!(clusters[0]["scope"]["namespace"], "shop");
    assert_eq!(clusters[1]["server"], c.west.url.as_str());
    assert!(clusters[0].get("error").is_none(), "{report}");
    assert!(clusters[2].get("server").is_none(), "{report}");
    let error = clusters[2]["error"]["message"].as_str().unwrap();
    assert!(
        error.contains(&format!(
            "could not reach the cluster at {} (context `down`)",
            c.down
        )),
        "{error}"
    );
    assert!(clusters[2]["error"]["hint"].is_string(), "{report}");
    // Every notice says which cluster it is about.
    let notices = report["notices"].as_array().unwrap();
    assert!(!notices.is_empty());
    let noticed: Vec<&str> = notices
        .iter()
        .map(|n| n["context"].as_str().unwrap())
        .collect();
    assert_eq!(noticed, ["east", "west"], "{report}");
    // The failure is on stderr, named by its context.
    assert!(
        run.stderr
            .contains("svcx: error: context `down`: could not reach the cluster"),
        "{run}"
    );
    // Each server was asked for its own cluster's lists, in the context's namespace.
    for server in [&c.east, &c.west] {
        let asked = paths(server);
        for list in ["services", "endpointslices", "pods"] {
            let wanted = if list == "endpointslices" {
                "/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices".to_string()
            } else {
                format!("/api/v1/namespaces/shop/{list}")
            };
            assert!(asked.contains(&wanted), "{wanted} not in {asked:?}");
        }
        assert!(asked.contains(&"/api/v1/nodes".to_string()), "{asked:?}");
        assert!(server.requests().iter().all(|r| r.method == "GET"));
    }
}

#[test]
fn human_output_is_grouped_by_context() {
    let c = Clusters::start();
    let run = c.svcx(&[
        "explain",
        "--context",
        "east",
        "--context",
        "west",
        "--context",
        "down",
    ]);
    assert_eq!(run.code, 2, "{run}");
    let east = run.stdout.find("── context east").expect("east heading");
    let web = run.stdout.find("shop/web").expect("web");
    let west = run.stdout.find("── context west").expect("west heading");
    let api = run.stdout.find("shop/api").expect("api");
    let down = run.stdout.find("── context down ──").expect("down heading");
    assert!(
        east < web && web < west && west < api && api < down,
        "{run}"
    );
    c.settings().bind(|| {
        insta::assert_snapshot!("contexts_explain_human", run.to_string());
    });
}

#[test]
fn without_context_flags_one_cluster_is_read_as_before() {
    let c = Clusters::start();
    let run = c.svcx(&["explain", "-o", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let report = json(&run);
    assert_eq!(report["source"]["kind"], "live");
    assert_eq!(report["source"]["context"], "east");
    assert!(report.get("clusters").is_none(), "{report}");
    assert!(report["notices"][0].get("context").is_none(), "{report}");
    assert!(
        c.west.requests().is_empty(),
        "only the current context is read"
    );
    assert!(!run.stdout.contains("── context"));
    assert!(!run.stderr.contains("context `east`:"), "{run}");
    // The same context twice is one cluster, read as before.
    let twice = c.svcx(&[
        "explain",
        "-o",
        "json",
        "--context",
        "west",
        "--context",
        "west",
    ]);
    assert_eq!(json(&twice)["source"]["context"], "west", "{twice}");
}

#[test]
fn all_contexts_traces_every_cluster_and_the_worst_verdict_decides() {
    let c = Clusters::with(east(), false);
    let run = c.svcx(&["trace", "--all-contexts", "-o", "json"]);
    // west's Service selects no pod: a broken hop exits 1.
    assert_eq!(run.code, 1, "{run}");
    let report = json(&run);
    assert_eq!(report["source"]["kind"], "clusters");
    assert_eq!(report["verdict"], "broken");
    assert_eq!(report["counts"]["ok"], 1, "{report}");
    assert_eq!(report["counts"]["broken"], 1, "{report}");
    let verdicts: Vec<(String, &str)> = report["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["origin"]["context"].as_str().unwrap().to_string(),
                s["verdict"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [("east".to_string(), "ok"), ("west".to_string(), "broken")]
    );
    let contexts: Vec<&str> = report["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["context"].as_str().unwrap())
        .collect();
    assert_eq!(contexts, ["east", "west"]);
    assert!(!c.east.requests().is_empty() && !c.west.requests().is_empty());
    // One flowchart; each path titled with its cluster.
    let mermaid = c.svcx(&["trace", "--all-contexts", "-o", "mermaid"]);
    assert_eq!(mermaid.code, 1, "{mermaid}");
    assert_eq!(
        mermaid.stdout.matches("flowchart LR").count(),
        1,
        "{mermaid}"
    );
    assert!(mermaid.stdout.contains("[\"east: shop/web "), "{mermaid}");
    assert!(mermaid.stdout.contains("[\"west: shop/api "), "{mermaid}");
}

#[test]
fn lint_over_clusters_locates_findings_by_context_and_reports_the_one_down() {
    let c = Clusters::start();
    let run = c.svcx(&["lint", "--no-config", "--all-contexts", "-o", "json"]);
    assert_eq!(run.code, 2, "{run}");
    let report = json(&run);
    let svc101: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "SVC101")
        .map(|f| {
            (
                f["origin"]["context"].as_str().unwrap(),
                f["object"]["name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(svc101, [("west", "api")], "{report}");
    assert_eq!(
        report["summary"]["errors"].as_u64().unwrap(),
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .count() as u64
    );
    assert_eq!(report["clusters"][2]["context"], "down");
    assert!(report["clusters"][2]["error"].is_object(), "{report}");
    // SARIF: one log, each live result located by its context.
    let sarif = c.svcx(&["lint", "--no-config", "--all-contexts", "-o", "sarif"]);
    assert_eq!(sarif.code, 2, "{sarif}");
    let log = json(&sarif);
    let located: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == "SVC101")
        .map(|r| {
            r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(located.len(), 1, "{sarif}");
    assert!(located[0].starts_with("west/"), "{located:?}");
    // JUnit: one document, a suite per context with findings.
    let junit = c.svcx(&["lint", "--no-config", "--all-contexts", "-o", "junit"]);
    assert_eq!(junit.code, 2, "{junit}");
    assert_eq!(junit.stdout.matches("<testsuites ").count(), 1, "{junit}");
    assert!(
        junit.stdout.contains(r#"<testsuite name="west""#),
        "{junit}"
    );
    // east has no finding: no suite.
    assert!(
        !junit.stdout.contains(r#"<testsuite name="east""#),
        "{junit}"
    );
    // Human: each cluster's findings under its heading, located by context.
    let human = c.svcx(&[
        "lint",
        "--no-config",
        "--context",
        "east",
        "--context",
        "west",
    ]);
    assert_eq!(human.code, 1, "{human}");
    let west = human.stdout.find("── context west").expect("west heading");
    let located = human
        .stdout
        .find("west/shop/Service/api")
        .expect("a live location");
    assert!(west < located, "{human}");
}

#[test]
fn no_cluster_read_is_a_failure_with_every_reason() {
    let c = Clusters::start();
    let run = c.svcx(&[
        "lint",
        "--no-config",
        "--context",
        "down",
        "--context",
        "nowhere",
    ]);
    assert_eq!(run.code, 2, "{run}");
    assert_eq!(run.stdout, "", "nothing to show: {run}");
    assert!(
        run.stderr
            .contains("svcx: error: context `down`: could not reach"),
        "{run}"
    );
    assert!(
        run.stderr
            .contains("svcx: error: context `nowhere`: no context `nowhere` in the kubeconfig"),
        "{run}"
    );
}

#[test]
fn a_service_missing_from_one_cluster_is_that_clusters_failure() {
    let c = Clusters::with(east(), false);
    let run = c.svcx(&["trace", "web", "--all-contexts", "-o", "json"]);
    assert_eq!(run.code, 2, "{run}");
    let report = json(&run);
    assert_eq!(
        services(&report),
        [("east".to_string(), "shop/web".to_string())]
    );
    assert_eq!(report["target"]["service"], "shop/web");
    let west = &report["clusters"][1];
    assert_eq!(west["context"], "west");
    assert!(
        west["error"]["message"].as_str().unwrap().contains("web"),
        "{report}"
    );
    assert!(
        run.stderr.contains("svcx: error: context `west`: "),
        "{run}"
    );
}

#[test]
fn migrate_to_gateway_reads_one_context() {
    let c = Clusters::start();
    let run = c.svcx(&[
        "migrate-to-gateway",
        "--context",
        "east",
        "--context",
        "west",
    ]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("reads one context"), "{run}");
    assert!(c.east.requests().is_empty() && c.west.requests().is_empty());
}

#[test]
fn all_contexts_needs_a_kubeconfig_with_contexts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kubeconfig");
    std::fs::write(&path, "apiVersion: v1\nkind: Config\ncontexts: []\n").unwrap();
    let run = svcx(&[
        "explain",
        "--all-contexts",
        "--kubeconfig",
        path.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("defines no contexts"), "{run}");
}

/// A slow cluster: every answer waits, so the read takes well over the
/// progress line's delay.
const SLOW: Duration = Duration::from_millis(700);

#[test]
fn piped_runs_never_show_progress() {
    let slow = Clusters::with(east_with(SLOW), false);
    let fast = Clusters::with(east(), false);
    // The runs at once: each slow one mostly waits for the server.
    common::parallel(
        [
            &["explain", "--context", "east"][..],
            &["explain", "--context", "east", "--context", "west"][..],
            &["explain", "--context", "east", "-o", "json"][..],
        ],
        |args| {
            let started = std::time::Instant::now();
            let slow_run = slow.svcx(args);
            assert!(started.elapsed() > SLOW, "slow enough to show progress");
            let fast_run = fast.svcx(args);
            assert_eq!(slow_run.code, 0, "{slow_run}");
            // stderr holds the notices only, byte for byte as from a fast
            // cluster.
            assert_eq!(
                slow_run.stderr.as_bytes(),
                fast_run.stderr.as_bytes(),
                "{args:?}"
            );
            assert!(!slow_run.stderr.contains("reading"), "{slow_run}");
        },
    );
}

#[test]
#[cfg_attr(not(svcx_script), ignore = "needs util-linux `script` on PATH")]
fn a_terminal_shows_progress_while_a_slow_cluster_is_read() {
    let c = Clusters::with(east_with(SLOW), false);
    let kubeconfig = c.kubeconfig.to_str().unwrap();
    let on_a_terminal = |args: &[&str], env: &[(&str, &str)]| {
        let mut full = vec!["explain", "--kubeconfig", kubeconfig];
        full.extend_from_slice(args);
        common::on_a_terminal(&full, env, &[])
    };
    // The three runs at once: each mostly waits for the slow server.
    let (one, two, ci) = std::thread::scope(|s| {
        let one = s.spawn(|| on_a_terminal(&[], &[]));
        let two = s.spawn(|| on_a_terminal(&["--context", "east", "--context", "west"], &[]));
        // In CI, even a terminal gets no progress line.
        let ci = s.spawn(|| on_a_terminal(&[], &[("CI", "true")]));
        let join = |h: std::thread::ScopedJoinHandle<'_, (i32, String)>| {
            h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
        };
        (join(one), join(two), join(ci))
    });
    let (code, screen) = one;
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("reading Services, EndpointSlices, Pods, Nodes, Ingresses and Gateway API objects from the current context"),
        "{screen}"
    );
    assert!(screen.contains("shop/web"), "the answer follows: {screen}");
    let (code, screen) = two;
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("reading 2 clusters: "), "{screen}");
    assert!(screen.contains("waiting for `east`"), "{screen}");
    let (code, screen) = ci;
    assert_eq!(code, 0, "{screen}");
    assert!(!screen.contains("reading"), "{screen}");
}
