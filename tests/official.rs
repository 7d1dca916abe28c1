//! svcx on the official examples and installs of Kubernetes networking
//! projects (tests/corpus/official/, provenance in its SOURCES.md): every
//! file is linted, explained and traced on its own. None may crash svcx,
//! and an example that works as published (SOURCES.md's last column says
//! `yes`) gets no finding of severity error. The examples that do not work
//! as published are listed in [`BROKEN`] with what svcx must say of them.

use crate::common;

use common::{Run, root, svcx};
use serde_json::Value;
use std::collections::BTreeMap;

/// One file of the corpus, as SOURCES.md lists it.
struct Example {
    /// Relative to the crate root.
    path: String,
    /// SOURCES.md's "Works as published" column.
    works: String,
}

/// The rows of SOURCES.md: `| `DIR/FILE` (size) | ... | works as published |`.
fn examples() -> Vec<Example> {
    let dir = root().join("tests/corpus/official");
    let sources = std::fs::read_to_string(dir.join("SOURCES.md")).expect("SOURCES.md");
    let rows: Vec<Example> = sources
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cols: Vec<&str> = l.trim().trim_matches('|').split('|').collect();
            let file = cols[0].split('`').nth(1).expect("a file name in backticks");
            Example {
                path: format!("tests/corpus/official/{file}"),
                works: cols.last().expect("columns").trim().to_string(),
            }
        })
        .collect();
    // Every file of the corpus is listed once, and every row names a file.
    let mut on_disk = Vec::new();
    for entry in walk(&dir) {
        let rel = entry
            .strip_prefix(root())
            .expect("under the root")
            .display()
            .to_string();
        if rel.ends_with(".yaml") {
            on_disk.push(rel);
        }
    }
    on_disk.sort();
    let mut listed: Vec<String> = rows.iter().map(|r| r.path.clone()).collect();
    listed.sort();
    assert_eq!(listed, on_disk, "SOURCES.md lists exactly the corpus files");
    rows
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// What svcx must say of an example that does not work as published.
enum Expect {
    /// svcx fails to read it (exit 2) at this line, naming the file.
    Unreadable { line: usize },
    /// lint reports these codes (each at least once), at least one an error.
    Errors(&'static [&'static str]),
    /// lint reports these codes, none of them an error: svcx cannot tell
    /// from the file alone that it does not work (the reason is given).
    Warnings(&'static [&'static str], &'static str),
}

/// The examples that do not work as published (SOURCES.md: `no`, `partly`),
/// by file name, with what svcx says of each.
const BROKEN: &[(&str, Expect)] = &[
    (
        "GoogleCloudPlatform-kubernetes-engine-samples--ai-ml-gke-model-armor-configuring-the-gateway-llm-gateway.yaml",
        Expect::Unreadable { line: 25 },
    ),
    (
        "GoogleCloudPlatform-gke-networking-recipes--ingress-single-cluster-ingress-custom-grpc-health-check-grpc-hc-proxy.yaml",
        Expect::Unreadable { line: 55 },
    ),
    (
        "cert-manager-cert-manager--make-config-bind-service.yaml",
        Expect::Unreadable { line: 11 },
    ),
    // Gateway API before v0.4: no longer served.
    (
        "GoogleCloudPlatform-gke-networking-recipes--gateway-single-cluster-regional-l7-ilb-single-regional-l7-ilb-recipe.yaml",
        Expect::Errors(&["SVC002"]),
    ),
    (
        "GoogleCloudPlatform-gke-networking-recipes--gateway-single-cluster-global-l7-xlb-single-cluster-global-l7-xlb-recipe.yaml",
        Expect::Errors(&["SVC002"]),
    ),
    (
        "GoogleCloudPlatform-gke-networking-recipes--gateway-single-cluster-global-l7-xlb-https-backend-single-cluster-global-l7-xlb-https-backend.yaml",
        Expect::Errors(&["SVC002"]),
    ),
    (
        "GoogleCloudPlatform-gke-networking-recipes--gateway-gke-gateway-controller-ex3-multi-tenant-gw.yaml",
        Expect::Errors(&["SVC002"]),
    ),
    // gateway.networking.k8s.io/v1alpha2 Gateway, GatewayClass and
    // ReferenceGrant: served by Gateway API v0.5, not by v1.2 or later.
    (
        "haproxytech-kubernetes-ingress--deploy-tests-config-experimental-gwapi-resources.yaml",
        Expect::Errors(&["SVC002"]),
    ),
    // Gateway API conformance tests that are meant to be refused.
    (
        "kubernetes-sigs-gateway-api--conformance-tests-tcproute-invalid-non-tcp-listener.yaml",
        Expect::Errors(&["SVC504"]),
    ),
    (
        "kubernetes-sigs-gateway-api--conformance-tests-gateway-invalid-route-kind.yaml",
        Expect::Errors(&["SVC518"]),
    ),
    (
        "kubernetes-sigs-gateway-api--conformance-tests-httproute-hostname-intersection.yaml",
        Expect::Errors(&["SVC505"]),
    ),
    (
        "kubernetes-sigs-gateway-api--conformance-tests-httproute-invalid-cross-namespace-backend-ref.yaml",
        Expect::Warnings(
            &["SVC508"],
            "the Service and the ReferenceGrants of its namespace are in conformance/base, not in this file",
        ),
    ),
    // A kustomize patch: metadata only, merged into the Service of another file.
    (
        "aws-samples-eks-workshop-v2--manifests-modules-exposing-load-balancer-ip-mode-nlb.yaml",
        Expect::Warnings(
            &["SVC107"],
            "read alone, the patch is a Service without selector or endpoints",
        ),
    ),
];

fn run(command: &str, path: &str) -> Run {
    svcx(&[command, "-f", path, "-o", "json"])
}

/// No crash: svcx answers (0, 1) or refuses the input (2) with its own
/// error, never a panic.
fn assert_answers(run: &Run, what: &str) {
    assert!(
        [0, 1, 2].contains(&run.code),
        "{what}: exit {}\n{run}",
        run.code
    );
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("bug in svcx"),
        "{what} crashed:\n{run}"
    );
    if run.code != 2 {
        serde_json::from_str::<Value>(&run.stdout)
            .unwrap_or_else(|e| panic!("{what}: JSON on stdout ({e})\n{run}"));
    }
}

/// `(code, severity)` of every lint finding.
fn findings(run: &Run) -> Vec<(String, String)> {
    let report: Value = serde_json::from_str(&run.stdout).expect("lint JSON");
    report["findings"]
        .as_array()
        .expect("a findings array")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().expect("a code").to_string(),
                f["severity"].as_str().expect("a severity").to_string(),
            )
        })
        .collect()
}

#[test]
fn official_examples_get_no_wrong_error() {
    let examples = examples();
    assert!(examples.len() >= 80, "at least 80 official examples");
    let projects: std::collections::BTreeSet<&str> = examples
        .iter()
        .filter_map(|e| e.path.split('/').nth(3))
        .collect();
    assert!(projects.len() >= 10, "from at least 10 projects");
    let broken: BTreeMap<&str, &Expect> = BROKEN.iter().map(|(f, e)| (*f, e)).collect();
    // The files on threads of their own: each is three runs of the binary.
    let problems: Vec<String> = common::parallel(&examples, |e| {
        let mut problems = Vec::new();
        let name = e.path.rsplit('/').next().unwrap_or_default();
        let lint = run("lint", &e.path);
        for (command, r) in [
            ("lint", &lint),
            ("explain", &run("explain", &e.path)),
            ("trace", &run("trace", &e.path)),
        ] {
            assert_answers(r, &format!("svcx {command} -f {}", e.path));
        }
        let works = e.works.starts_with("yes");
        match (works, broken.get(name)) {
            (true, Some(_)) => problems.push(format!(
                "{name} works as published (SOURCES.md) but is listed as broken"
            )),
            (false, None) => problems.push(format!(
                "{name} does not work as published ({}) and is not listed in BROKEN",
                e.works
            )),
            (true, None) => {
                if lint.code == 2 {
                    problems.push(format!("{name}: unreadable\n{lint}"));
                    return problems;
                }
                let errors: Vec<String> = findings(&lint)
                    .into_iter()
                    .filter(|(_, s)| s == "error")
                    .map(|(c, _)| c)
                    .collect();
                if !errors.is_empty() {
                    problems.push(format!(
                        "{name} works as published, yet lint reports errors {errors:?}"
                    ));
                }
            }
            (false, Some(expect)) => {
                if let Some(p) = check_broken(name, &e.path, &lint, expect) {
                    problems.push(p);
                }
            }
        }
        problems
    })
    .into_iter()
    .flatten()
    .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// What svcx says of an example meant to be broken, against [`BROKEN`].
fn check_broken(name: &str, path: &str, lint: &Run, expect: &Expect) -> Option<String> {
    match expect {
        Expect::Unreadable { line } => {
            let at = format!("{path}:{line}:");
            (lint.code != 2 || !lint.stderr.contains(&at))
                .then(|| format!("{name}: expected an error at {at}\n{lint}"))
        }
        Expect::Errors(codes) | Expect::Warnings(codes, _) => {
            let why = match expect {
                Expect::Warnings(_, why) => format!(" ({why})"),
                _ => String::new(),
            };
            if lint.code == 2 {
                return Some(format!("{name}: unreadable\n{lint}"));
            }
            let found = findings(lint);
            let missing: Vec<&&str> = codes
                .iter()
                .filter(|c| !found.iter().any(|(f, _)| f == *c))
                .collect();
            let errors = found.iter().any(|(_, s)| s == "error");
            let wants_error = matches!(expect, Expect::Errors(_));
            (!missing.is_empty() || errors != wants_error).then(|| {
                format!("{name}: expected {codes:?} (errors: {wants_error}){why}, found {found:?}")
            })
        }
    }
}

/// kube-prometheus is applied as a whole (`kubectl apply -f manifests/`), so
/// its files are linted together too: the Prometheus and Alertmanager pods
/// come from the operator, which copies `spec.podMetadata.labels` of the
/// custom resources onto them (prometheus-operator API reference,
/// `PodMetadata`), so their Services' selectors match no pod template in
/// the input and that is no error (SVC102, not SVC101).
#[test]
fn kube_prometheus_linted_as_a_whole_gets_no_error() {
    let lint = run(
        "lint",
        "tests/corpus/official/prometheus-operator-kube-prometheus",
    );
    assert_answers(&lint, "svcx lint -f kube-prometheus/");
    let found = findings(&lint);
    assert!(!found.iter().any(|(_, s)| s == "error"), "{found:?}");
    assert_eq!(
        found.iter().filter(|(c, _)| c == "SVC102").count(),
        2,
        "prometheus-k8s and alertmanager-main: {found:?}"
    );
}

/// The archived GlusterFS example applies a selector-less Service and its
/// hand-written Endpoints from two files: together, the Service has the two
/// endpoints the EndpointSlice mirroring controller copies into a slice
/// (kubernetes.io, "EndpointSlices", EndpointSlice mirroring), so SVC107
/// fires only on the Service file read alone.
#[test]
fn glusterfs_service_and_its_endpoints_together_get_no_warning() {
    let dir = "tests/corpus/official/kubernetes-examples";
    let service =
        format!("{dir}/kubernetes-examples--archived-volumes-glusterfs-glusterfs-service.yaml");
    let endpoints =
        format!("{dir}/kubernetes-examples--archived-volumes-glusterfs-glusterfs-endpoints.yaml");
    let alone = findings(&run("lint", &service));
    assert!(alone.iter().any(|(c, _)| c == "SVC107"), "{alone:?}");
    let together = svcx(&["lint", "-f", &service, "-f", &endpoints, "-o", "json"]);
    assert_answers(&together, "svcx lint on the pair");
    let found = findings(&together);
    assert!(!found.iter().any(|(_, s)| s != "info"), "{found:?}");
}
