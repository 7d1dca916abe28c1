//! Facts several analyses read (explain, trace, lint, migrate), each
//! decided by one function of the model, so that no two analyses can
//! disagree on them. Fixtures: tests/fixtures/semantics/facts.yaml.

use super::*;
use std::collections::{BTreeMap, BTreeSet};

const FACTS: &[&str] = &["facts.yaml"];

/// Every hop kind of a trace report.
fn hop_kinds(report: &Value) -> Vec<String> {
    report["services"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["paths"].as_array().cloned().unwrap_or_default())
        .flat_map(|p| p["hops"].as_array().cloned().unwrap_or_default())
        .filter_map(|h| h["kind"].as_str().map(str::to_string))
        .collect()
}

/// The layer kinds of an explained Service.
fn layer_kinds(svc: &Value) -> Vec<String> {
    strings(
        &svc["layers"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| l["layer"].clone())
            .collect::<Value>(),
    )
}

/// externalIPs open nothing on a headless Service: kube-proxy skips every
/// Service whose clusterIP is None or unset, and every ExternalName Service
/// (kubernetes/kubernetes pkg/proxy/util/utils.go, `ShouldSkipService`), so
/// no node answers for those addresses. explain shows no externalIPs layer,
/// trace no externalIP hop, and a trace of the address finds no Service
/// that owns it.
#[test]
fn external_ips_of_headless_and_external_name_services_open_nothing() {
    for name in ["facts/headless-eip", "facts/alias-eip"] {
        let svc = explain(FACTS, name);
        assert!(
            !layer_kinds(&svc).contains(&"external-ips".to_string()),
            "{name}: {svc:#}"
        );
        let r = trace(FACTS, name);
        assert!(
            !hop_kinds(&r).contains(&"external-ip".to_string()),
            "{name}: {r:#}"
        );
    }
    // The written field is still named (it is deprecated), as opening nothing.
    let svc = explain(FACTS, "facts/headless-eip");
    assert!(
        codes_of(&svc).contains(&("SVC304".to_string(), "info".to_string())),
        "{svc:#}"
    );
    for ip in ["192.0.2.60", "192.0.2.61"] {
        let paths = std::iter::once("nodes.yaml")
            .chain(FACTS.iter().copied())
            .map(|f| fixture(f).display().to_string())
            .collect::<Vec<_>>();
        let mut args = vec!["trace", "-o", "json", ip];
        for p in &paths {
            args.extend(["-f", p.as_str()]);
        }
        let run = svcx(&args);
        assert_eq!(run.code, 2, "{ip} is no Service's way in: {run}");
        assert!(run.stdout.is_empty(), "{run}");
    }
}

/// `svcx lint -o json` and `svcx migrate-to-gateway -o json` over the same
/// fixtures (the report of each).
fn lint_and_migrate(files: &[&str]) -> (Value, Value) {
    // A name is a semantics fixture; a path is read as it is.
    let paths: Vec<String> = std::iter::once("nodes.yaml")
        .chain(files.iter().copied())
        .map(|f| {
            if f.contains('/') {
                f.to_string()
            } else {
                fixture(f).display().to_string()
            }
        })
        .collect();
    let with_files = |args: &[&str]| {
        let mut full: Vec<&str> = args.to_vec();
        for p in &paths {
            full.extend(["-f", p.as_str()]);
        }
        svcx(&full)
    };
    let lint = json(with_files(&["lint", "-o", "json"]));
    let run = with_files(&[
        "migrate-to-gateway",
        "-o",
        "json",
        "--gateway-class",
        "c",
        "--gateway-api-version",
        "v1.6",
    ]);
    assert_eq!(run.code, 0, "{run}");
    (lint, json(run)["report"].clone())
}

/// Which Services share one load balancer is one fact: two Services that ask
/// for one address share it only with MetalLB's `allow-shared-ip` key, the
/// same on both (metallb.io, "IP address sharing"; without it MetalLB gives
/// the address to one Service only). lint's count and migrate's count before
/// the migration are the same groups.
#[test]
fn lint_and_migrate_count_the_same_load_balancers() {
    let (lint, migrate) = lint_and_migrate(&["lb-groups.yaml"]);
    assert_eq!(
        lint["summary"]["load_balancers"],
        serde_json::json!({"services": 4, "load_balancers": 3}),
        "first, second, left+right"
    );
    assert_eq!(migrate["load_balancers_before"], 3, "{migrate:#}");
}

/// `(a, b)` of every object in the array `items`, as strings.
pub(super) fn pairs(items: &Value, a: &str, b: &str) -> Vec<(String, String)> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    items
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| (text(&n[a]), text(&n[b])))
        .collect()
}

/// The `(code, object)` of every migrate note.
fn notes(report: &Value) -> Vec<(String, String)> {
    pairs(&report["notes"], "code", "object")
}

/// The `ns/name` of the objects lint raised `code` on, at `severity` if given.
fn flagged_at(lint: &Value, code: &str, severity: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = lint["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["code"] == code && severity.is_none_or(|s| f["severity"] == s))
        .map(|f| {
            format!(
                "{}/{}",
                f["object"]["namespace"].as_str().unwrap_or_default(),
                f["object"]["name"].as_str().unwrap_or_default()
            )
        })
        .collect();
    out.sort();
    out
}

/// The `ns/name` of the objects lint raised `code` on.
fn flagged(lint: &Value, code: &str) -> Vec<String> {
    flagged_at(lint, code, None)
}

/// Whether a load balancer is internal is one fact, read by value, not by
/// key: `aws-load-balancer-scheme: internet-facing` is public (AWS Load
/// Balancer Controller, docs/guide/service/annotations.md, "scheme"), and
/// IBM Cloud's `ibm-load-balancer-cloud-provider-ip-type: private` is
/// internal (cloud.ibm.com/docs/containers, "Classic: Setting up basic load
/// balancing with an NLB 1.0"). lint flags the public one only (SVC303);
/// migrate, asked to put both behind one Gateway, says they are mixed.
#[test]
fn lint_and_migrate_agree_on_which_load_balancers_are_internal() {
    let (lint, migrate) = lint_and_migrate(&["lb-internal.yaml"]);
    assert_eq!(flagged(&lint, "SVC303"), ["lbi/public"]);
    assert!(
        notes(&migrate).contains(&(
            "mixed-load-balancers".to_string(),
            "Gateway lbi/shared-gateway".to_string()
        )),
        "{:?}",
        notes(&migrate)
    );
}

/// Which endpoints receive traffic on a node under a Local policy is one
/// fact, per port: its ready local endpoints, else its serving-and-
/// terminating local ones (KEP-1669), decided for internalTrafficPolicy and
/// externalTrafficPolicy alike (kubernetes/kubernetes pkg/proxy/topology.go,
/// `CategorizeEndpoints`). Clients on node-b reach its terminating
/// endpoint, so no node is left without one (no SVC110).
#[test]
fn internal_local_falls_back_to_terminating_local_endpoints() {
    let svc = explain(FACTS, "facts/itp");
    assert!(
        !codes_of(&svc).iter().any(|(c, _)| c == "SVC110"),
        "{:?}",
        codes_of(&svc)
    );
}

/// Under externalTrafficPolicy Local a node passes traffic of a port only
/// with a local endpoint of that port (kube-proxy builds the local set per
/// Service port, pkg/proxy/topology.go), while the health check counts the
/// node's ready local endpoints of the whole Service
/// (pkg/proxy/endpointschangetracker.go, `LocalReadyEndpoints`): node-b
/// serves http but not metrics, so the load balancer sends it metrics
/// traffic, which it drops. explain does not count it as accepting external
/// traffic; trace's metrics path reaches it and stops there.
#[test]
fn node_acceptance_is_decided_per_port() {
    let report = explain_report(FACTS, "facts/etp");
    let nodes = common::node_acceptance(&report, &report["services"][0]);
    let accepts = |n: &str| {
        nodes
            .iter()
            .find(|(x, _)| x == n)
            .unwrap_or_else(|| panic!("{n} in {nodes:?}"))
            .1
    };
    assert!(accepts("node-a"));
    assert!(!accepts("node-b"), "it drops metrics traffic");
    assert!(!accepts("node-c"));
    let r = trace(FACTS, "facts/etp");
    let metrics = &r["services"][0]["paths"][1]["hops"];
    let of = |id: &str| {
        metrics
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {metrics:#}"))
            .clone()
    };
    assert_eq!(
        of("lb0")["next"],
        serde_json::json!(["node:node-a", "node:node-b"]),
        "both pass the health check"
    );
    assert_eq!(
        of("node:node-b")["next"],
        serde_json::json!([]),
        "it drops metrics"
    );
}

/// Whether a load balancer is pending is the view's typed fact
/// (`LoadBalancerStatus`: an empty `status.loadBalancer.ingress` on a
/// created Service), never read back from a hop's display name: a load
/// balancer whose hostname is `pending` is provisioned and delivers.
#[test]
fn a_pending_load_balancer_is_a_typed_fact() {
    let r = trace(FACTS, "facts/named-pending");
    let lb = hop(&r, "load-balancer", "pending");
    assert_ne!(lb["verdict"], "broken", "{lb:#}");
    assert!(
        lb["next"].as_array().is_some_and(|n| !n.is_empty()),
        "a provisioned load balancer delivers: {lb:#}"
    );
    // A created Service with no address yet: pending, it delivers nothing
    // (its node ports still work, and their hops are drawn).
    let r = trace(FACTS, "facts/waiting");
    let lb = hop(&r, "load-balancer", "");
    assert_eq!(lb["next"], serde_json::json!([]), "{lb:#}");
    assert_eq!(hop(&r, "node", "node-a")["verdict"], "ok");
}

// ------------------------------------- explain and trace agree on facts

/// The layer of an explained Service, by kind.
fn layer_of<'a>(svc: &'a Value, kind: &str) -> Option<&'a Value> {
    svc["layers"]
        .as_array()?
        .iter()
        .find(|l| l["layer"] == kind)
}

/// explain and trace read one view, so beside the layers, ports and
/// endpoints that `assert_agree` compares: whether clients outside reach
/// the Service by a way of its own, which nodes accept a load balancer's
/// traffic, and which Services share a load balancer.
pub(super) fn agree_on_facts(report: &Value, e: &Value, t: &Value, id: &str) {
    let paths = t["paths"].as_array().cloned().unwrap_or_default();
    let hops: Vec<&Value> = paths
        .iter()
        .flat_map(|p| p["hops"].as_array().into_iter().flatten())
        .filter(|h| !in_front(h))
        .collect();
    let outside_layers = ["load-balancer", "node-port", "external-ips"]
        .iter()
        .any(|k| layer_of(e, k).is_some());
    let outside_hops = hops.iter().any(|h| {
        ["load-balancer", "node", "external-ip"].contains(&h["kind"].as_str().unwrap_or_default())
    });
    assert_eq!(outside_layers, outside_hops, "{id}: reachable from outside");

    // Node acceptance: explain's nodes that accept external traffic are
    // those every port's load balancer hop sends to and that pass each
    // port's traffic on (a node hop with somewhere to go).
    let (Some(np), Some(lb)) = (layer_of(e, "node-port"), layer_of(e, "load-balancer")) else {
        return;
    };
    if lb["status"] == "pending" || lb["implementation"]["delivery"]["value"] == "pods" {
        return;
    }
    let grouped = hops
        .iter()
        .any(|h| h["kind"] == "node" && !h["members"].is_null());
    if grouped || paths.is_empty() {
        return;
    }
    let accepting = common::node_acceptance(report, e);
    for n in report["nodes"].as_array().into_iter().flatten() {
        // Nodes without an address of the Service's families have no node port.
        let family = |a: &Value| {
            if a.as_str().unwrap_or_default().contains(':') {
                "IPv6"
            } else {
                "IPv4"
            }
        };
        let families = np["families"].as_array().cloned().unwrap_or_default();
        if !n["addresses"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|a| families.contains(&Value::from(family(a))))
        {
            continue;
        }
        let name = n["name"].as_str().unwrap_or_default();
        let accepts = accepting.iter().find(|(x, _)| x == name).map(|(_, a)| *a);
        let id_of = serde_json::json!(format!("node:{name}"));
        // The paths of ports with a node port (their hops show nodes).
        let with_nodes = paths.iter().filter(|p| {
            p["hops"]
                .as_array()
                .is_some_and(|h| h.iter().any(|h| h["kind"] == "node"))
        });
        let sent_to = with_nodes.clone().count() > 0
            && with_nodes.into_iter().all(|p| {
                p["hops"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|h| h["kind"] == "load-balancer" && !in_front(h))
                    .all(|h| {
                        h["next"]
                            .as_array()
                            .is_some_and(|next| next.contains(&id_of))
                    })
                    && p["hops"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|h| h["id"] == id_of)
                        .all(|h| h["next"].as_array().is_some_and(|next| !next.is_empty()))
            });
        assert_eq!(
            accepts,
            Some(sent_to),
            "{id}: does {name} accept the load balancer's traffic"
        );
    }
}

/// Services that explain says share one load balancer are traced to one
/// of the same addresses (the load balancer's, or the one they ask for).
pub(super) fn agree_on_load_balancers(explain: &Value, trace: &Value, what: &str) {
    let key = |s: &Value| {
        format!(
            "{}/{}",
            s["namespace"].as_str().unwrap_or_default(),
            s["name"].as_str().unwrap_or_default()
        )
    };
    let addresses: std::collections::HashMap<String, std::collections::BTreeSet<String>> =
        trace["services"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|s| {
                let lbs = s["paths"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .flat_map(|p| p["hops"].as_array().into_iter().flatten())
                    .filter(|h| h["kind"] == "load-balancer" && !in_front(h))
                    .filter_map(|h| h["address"].as_str().map(str::to_string))
                    .collect();
                (key(s), lbs)
            })
            .collect();
    for s in explain["services"].as_array().into_iter().flatten() {
        let Some(lb) = layer_of(s, "load-balancer") else {
            continue;
        };
        let me = key(s);
        for other in strings(&lb["shared_with"]) {
            let (Some(a), Some(b)) = (addresses.get(&me), addresses.get(&other)) else {
                continue;
            };
            assert!(
                !a.is_disjoint(b),
                "{what}: {me} shares a load balancer with {other}, traced to {a:?} and {b:?}"
            );
        }
    }
}

// ------------------------------------- lint and migrate agree on facts

/// lint and migrate read one view per Service, so over the same input they
/// count the same load balancers, take the same ones for internal, and see
/// the same Services exposed by themselves before the migration (lint's
/// SVC301 node ports, SVC302 load balancer, SVC304 externalIPs that open;
/// migrate's `exposure.before`).
#[test]
fn lint_and_migrate_agree() {
    let migrate_fixture = |f: &str| root().join("tests/fixtures/migrate").join(f);
    let settings = migrate_fixture("settings.yaml");
    let internal = migrate_fixture("internal.yaml");
    for files in [
        vec!["lb-groups.yaml"],
        vec!["lb-internal.yaml"],
        vec!["facts.yaml"],
        vec![settings.to_str().unwrap()],
        vec![internal.to_str().unwrap()],
    ] {
        let what = files.join(" ");
        let (lint, migrate) = lint_and_migrate(&files);
        assert_eq!(
            lint["summary"]["load_balancers"]["load_balancers"], migrate["load_balancers_before"],
            "{what}: load balancers"
        );
        let mut exposed: Vec<String> = ["SVC301", "SVC302"]
            .iter()
            .flat_map(|c| flagged(&lint, c))
            .chain(flagged_at(&lint, "SVC304", Some("warning")))
            .collect();
        exposed.sort();
        exposed.dedup();
        let mut before: Vec<String> = migrate["exposure"]["before"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["backend"].as_str())
            .filter_map(|b| b.rsplit_once(':').map(|(svc, _)| svc.to_string()))
            .collect();
        before.sort();
        before.dedup();
        assert_eq!(exposed, before, "{what}: exposed before the migration");
        // Internal: the load balancers lint does not call open to the
        // world (none of these has source ranges but settings' `ranges`).
        let lbs = flagged(&lint, "SVC302");
        let public = flagged(&lint, "SVC303");
        let internal: Vec<&String> = lbs
            .iter()
            .filter(|s| !public.contains(s) && s.as_str() != "net/ranges")
            .collect();
        let mixed = notes(&migrate)
            .iter()
            .any(|(c, _)| c == "mixed-load-balancers");
        assert_eq!(
            mixed,
            !internal.is_empty() && internal.len() < lbs.len(),
            "{what}: internal {internal:?} among {lbs:?}, migrate notes {:?}",
            notes(&migrate)
        );
    }
}

/// The demo, then every YAML fixture of these directories, as the
/// arguments that read each.
fn demo_and_fixtures(dirs: &[&str]) -> Vec<Vec<String>> {
    let mut inputs: Vec<Vec<String>> = vec![vec!["--demo".into()]];
    for dir in dirs {
        let mut files: Vec<_> = std::fs::read_dir(root().join(dir))
            .expect("fixtures")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        files.sort();
        for f in files {
            inputs.push(vec!["-A".into(), "-f".into(), f.display().to_string()]);
        }
    }
    inputs
}

/// `svcx CMD ARGS…` over one of [`demo_and_fixtures`]'s inputs, as JSON.
fn json_of(cmd: &[&str], input: &[String]) -> Value {
    let mut args: Vec<&str> = cmd.to_vec();
    args.extend(input.iter().map(String::as_str));
    json(svcx(&args))
}

/// One finding: code, object kind, namespace, name, field, severity.
type Said = (String, String, String, String, String, String);

/// Every finding anywhere in a report, as [`Said`]: explain nests them
/// under Services, routes and Gateways.
fn findings_in(report: &Value, out: &mut BTreeSet<Said>) {
    match report {
        Value::Object(map) => {
            if let (Some(code), Some(object), Some(severity)) =
                (map.get("code"), map.get("object"), map.get("severity"))
            {
                let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
                out.insert((
                    s(code),
                    s(&object["kind"]),
                    s(&object["namespace"]),
                    s(&object["name"]),
                    s(&map.get("field").cloned().unwrap_or_default()),
                    s(severity),
                ));
            }
            map.values().for_each(|v| findings_in(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| findings_in(v, out)),
        _ => {}
    }
}

/// explain and lint say the same of every object explain shows: the
/// findings the semantic model raises are computed once per Service
/// (`model::view_findings`) and per route (`model::routes`), and both read
/// them; lint only adds its own rules' findings and may report more objects
/// (an Ingress whose backend Service was not read has no Service for
/// explain to show, hence SVC509 in lint only). Over the demo and every
/// semantics fixture.
#[test]
fn explain_and_lint_agree_on_the_model_findings() {
    let rules = json(svcx(&["rule", "--all", "-o", "json"]));
    let model: BTreeSet<String> = rules
        .as_array()
        .expect("a list of rules")
        .iter()
        .filter(|r| {
            r["raised_by"]
                .as_str()
                .is_some_and(|b| b.starts_with("the semantic model"))
        })
        .filter_map(|r| r["code"].as_str().map(str::to_string))
        .collect();
    assert!(
        model.contains("SVC101") && !model.contains("SVC301"),
        "{model:?}"
    );
    let inputs = demo_and_fixtures(&["tests/fixtures/semantics"]);
    // Inputs on threads of their own: two or three runs of svcx each.
    let compared: usize = common::parallel(&inputs, |input| {
        let mut compared = 0;
        let run = |cmd: &[&str]| json_of(cmd, input);
        let mut explained = BTreeSet::new();
        findings_in(&run(&["explain", "-o", "json"]), &mut explained);
        let mut linted = BTreeSet::new();
        findings_in(
            &run(&["lint", "--no-config", "-o", "json"])["findings"],
            &mut linted,
        );
        linted.retain(|f| model.contains(&f.0));
        let what = input.join(" ");
        let missing: Vec<_> = explained.difference(&linted).collect();
        assert!(
            missing.is_empty(),
            "{what}: explain says, lint does not: {missing:?}"
        );
        let extra: Vec<_> = linted
            .difference(&explained)
            .filter(|f| f.0 != "SVC509")
            .collect();
        assert!(
            extra.is_empty(),
            "{what}: lint says, explain does not: {extra:?}"
        );
        compared += explained.len();
        compared
    })
    .into_iter()
    .sum();
    assert!(compared > 50, "only {compared} findings compared");
}

/// Every finding trace shows on a hop is one the model raised, as lint
/// reports it: about the traced Service, or about an object on its path (a
/// route, an Ingress, a policy). trace decides no finding of its own (an
/// endpoint that is not ready, where only terminating endpoints serve,
/// carries no SVC105: the model says SVC106 for the port). Over the demo and
/// every semantics fixture.
#[test]
fn trace_shows_only_findings_lint_reports() {
    let inputs = demo_and_fixtures(&["tests/fixtures/semantics"]);
    // Inputs on threads of their own: two or three runs of svcx each.
    let compared: usize = common::parallel(&inputs, |input| {
        let mut compared = 0;
        let run = |cmd: &[&str]| json_of(cmd, input);
        let traced = run(&["trace", "-o", "json"]);
        let mut linted = BTreeSet::new();
        findings_in(
            &run(&["lint", "--no-config", "-o", "json"])["findings"],
            &mut linted,
        );
        let on_path: BTreeSet<&str> = linted
            .iter()
            .filter(|f| f.1 != "Service")
            .map(|f| f.0.as_str())
            .collect();
        for svc in traced["services"].as_array().into_iter().flatten() {
            let ns = svc["namespace"].as_str().unwrap_or_default();
            let name = svc["name"].as_str().unwrap_or_default();
            let own: BTreeSet<&str> = linted
                .iter()
                .filter(|f| f.1 == "Service" && f.2 == ns && f.3 == name)
                .map(|f| f.0.as_str())
                .collect();
            for hop in svc["paths"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|p| p["hops"].as_array().cloned().unwrap_or_default())
            {
                for code in strings(&hop["findings"]) {
                    compared += 1;
                    assert!(
                        own.contains(code.as_str()) || on_path.contains(code.as_str()),
                        "{}: {ns}/{name} hop {} shows {code}, which lint does not report",
                        input.join(" "),
                        hop["id"]
                    );
                }
            }
        }
        compared
    })
    .into_iter()
    .sum();
    assert!(compared > 30, "only {compared} hop findings compared");
}

/// What explain shows a Service opens to the outside (its load balancer's
/// addresses, node ports and externalIPs, per Service port) is what migrate
/// lists as reachable before it, for every Service migrate moves: both read
/// the view's facts, so neither can add or drop a way in. Over the demo and
/// the semantics and migrate fixtures.
#[test]
fn explain_and_migrate_see_the_same_ways_in() {
    let inputs = demo_and_fixtures(&["tests/fixtures/semantics", "tests/fixtures/migrate"]);
    // Inputs on threads of their own: two or three runs of svcx each.
    let compared: usize = common::parallel(&inputs, |input| {
        let mut compared = 0;
        let with = |cmd: &[&str]| {
            let mut args: Vec<&str> = cmd.to_vec();
            args.extend(input.iter().map(String::as_str));
            svcx(&args)
        };
        let migrated = with(&[
            "migrate-to-gateway",
            "-o",
            "json",
            "--gateway-class",
            "c",
            "--gateway-api-version",
            "v1.6",
        ]);
        if migrated.code != 0 {
            return 0; // a fixture migrate refuses as a whole (said elsewhere)
        }
        let report = json(migrated)["report"].clone();
        // Migrate's ways in of Services themselves: no hostPort, no host.
        let mut before: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for e in report["exposure"]["before"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let address = e["address"].as_str().unwrap_or_default();
            if e.get("host").is_some() || address.ends_with("(hostPort)") {
                continue;
            }
            let backend = e["backend"].as_str().unwrap_or_default();
            let service = backend.rsplit_once(':').map_or(backend, |(s, _)| s);
            before
                .entry(service.to_string())
                .or_default()
                .insert(format!("{address} -> {backend}"));
        }
        let explained = json(with(&["explain", "-o", "json"]));
        for svc in explained["services"].as_array().into_iter().flatten() {
            let full = format!(
                "{}/{}",
                svc["namespace"].as_str().unwrap_or_default(),
                svc["name"].as_str().unwrap_or_default()
            );
            let Some(theirs) = before.get(&full) else {
                continue;
            };
            let mut ours = BTreeSet::new();
            for p in svc["ports"].as_array().into_iter().flatten() {
                let port = &p["port"];
                let backend = format!("{full}:{port}");
                for layer in svc["layers"].as_array().into_iter().flatten() {
                    match layer["layer"].as_str().unwrap_or_default() {
                        "load-balancer" => {
                            let addresses: Vec<String> = layer["ingress"]
                                .as_array()
                                .into_iter()
                                .flatten()
                                .filter_map(|i| i["ip"].as_str().or(i["hostname"].as_str()))
                                .map(str::to_string)
                                .collect();
                            if addresses.is_empty() {
                                ours.insert(format!(
                                    "(load balancer, no address yet):{port} -> {backend}"
                                ));
                            }
                            for a in addresses {
                                ours.insert(format!("{a}:{port} -> {backend}"));
                            }
                        }
                        "node-port" => {
                            // A port without one gets one on creation, unless
                            // a load balancer was told not to allocate them.
                            let allocated = !svc["layers"]
                                .as_array()
                                .into_iter()
                                .flatten()
                                .any(|l| l["allocate_node_ports"] == false);
                            let np = match p["node_port"].as_i64() {
                                Some(n) => n.to_string(),
                                None if allocated => "(node port assigned at creation)".into(),
                                None => continue,
                            };
                            ours.insert(format!("NODE:{np} -> {backend}"));
                        }
                        "external-ips" => {
                            for ip in strings(&layer["external_ips"]) {
                                ours.insert(format!("{ip}:{port} -> {backend}"));
                            }
                        }
                        _ => {}
                    }
                }
            }
            assert_eq!(&ours, theirs, "{}: {full}", input.join(" "));
            compared += 1;
        }
        compared
    })
    .into_iter()
    .sum();
    assert!(compared > 15, "only {compared} Services compared");
}
