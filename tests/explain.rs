//! `svcx explain` end to end: the demo, real third-party manifests and live
//! dumps, with the semantics that must be right asserted on the JSON report
//! and what users see snapshotted.

use crate::common;

use common::{corpus, json_out, layer, node_acceptance, root, service, settings, svcx};
use serde_json::Value;

fn explain_json(args: &[&str]) -> Value {
    let mut full = vec!["explain", "-o", "json"];
    full.extend_from_slice(args);
    json_out(&svcx(&full))
}

#[test]
fn demo_human() {
    let run = svcx(&["explain", "--demo"]);
    assert_eq!(run.code, 0);
    settings().bind(|| insta::assert_snapshot!(run.stdout));
}

#[test]
fn demo_json() {
    let report = explain_json(&["--demo"]);
    settings().bind(|| insta::assert_json_snapshot!(report));
}

#[test]
fn load_balancer_is_also_node_port_and_cluster_ip() {
    let report = explain_json(&["--demo", "shop/storefront"]);
    let svc = service(&report, "shop", "storefront");
    let kinds: Vec<&str> = svc["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["layer"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["load-balancer", "node-port", "cluster-ip"]);
    assert_eq!(
        layer(svc, "load-balancer").unwrap()["ingress"][0]["ip"],
        "203.0.113.10"
    );
    assert_eq!(
        layer(svc, "node-port").unwrap()["node_ports"],
        serde_json::json!([30080, 30443])
    );
    assert!(
        svc["notes"][0]
            .as_str()
            .unwrap()
            .contains("also a NodePort Service")
    );
}

#[test]
fn external_traffic_policy_local_excludes_nodes_without_endpoints() {
    let report = explain_json(&["--demo", "shop/storefront"]);
    let svc = service(&report, "shop", "storefront");
    let np = layer(svc, "node-port").unwrap();
    assert_eq!(np["external_traffic_policy"], "Local");
    assert_eq!(np["health_check_node_port"], 32456);
    assert_eq!(np["node_count"], 3);
    assert_eq!(np["nodes_accepting"], 2);
    let accepting = node_acceptance(&report, svc);
    let accepting: Vec<(&str, bool)> = accepting.iter().map(|(n, a)| (n.as_str(), *a)).collect();
    assert_eq!(
        accepting,
        [("node-a", true), ("node-b", true), ("node-c", false)]
    );
}

#[test]
fn named_target_port_resolves_per_pod() {
    let report = explain_json(&["--demo", "shop/storefront"]);
    let svc = service(&report, "shop", "storefront");
    let http: Vec<(String, i64)> = svc["backends"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["pod"].as_str().unwrap().to_string(),
                b["ports"][0]["port"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(
        http.contains(&("storefront-canary-5b8f9-p7t3z".into(), 8081)),
        "{http:?}"
    );
    assert!(
        http.contains(&("storefront-7d9c6b-x2k4p".into(), 8080)),
        "{http:?}"
    );
}

#[test]
fn pending_load_balancer_and_classes() {
    let report = explain_json(&["--demo"]);
    let promo = layer(service(&report, "shop", "promo"), "load-balancer").unwrap();
    assert_eq!(promo["status"], "pending");
    assert!(
        promo["explanation"][0]
            .as_str()
            .unwrap()
            .contains("MetalLB")
    );
    let edge = service(&report, "infra", "edge-proxy");
    let lb = layer(edge, "load-balancer").unwrap();
    assert_eq!(lb["load_balancer_class"], "metallb.io/metallb");
    assert_eq!(lb["allocate_node_ports"], false);
    assert_eq!(lb["source_ranges"], serde_json::json!(["198.51.100.0/24"]));
    assert!(
        layer(edge, "node-port").is_none(),
        "allocateLoadBalancerNodePorts: false drops the NodePort layer"
    );
}

#[test]
fn headless_external_name_and_selectorless() {
    let report = explain_json(&["--demo"]);
    let pg = service(&report, "data", "postgres");
    assert_eq!(pg["shape"], "headless");
    assert!(layer(pg, "cluster-ip").is_none());
    assert_eq!(
        layer(pg, "headless").unwrap()["publish_not_ready_addresses"],
        true
    );
    let ext = service(&report, "payments", "card-processor");
    assert_eq!(ext["shape"], "external-name");
    assert_eq!(
        layer(ext, "external-name").unwrap()["external_name"],
        "api.cards.example.com"
    );
    assert_eq!(ext["backends"]["items"].as_array().unwrap().len(), 0);
    let api = service(&report, "default", "kubernetes");
    assert!(api.get("selector").is_none());
    assert_eq!(api["backends"]["items"][0]["addresses"][0], "10.0.0.11");
}

#[test]
fn cluster_ip_settings_and_external_ips() {
    let report = explain_json(&["--demo"]);
    let cart = layer(service(&report, "shop", "cart"), "cluster-ip").unwrap();
    assert_eq!(
        cart["cluster_ips"],
        serde_json::json!(["10.96.12.40", "fd00:10:96::c28"])
    );
    assert_eq!(cart["session_affinity"], "ClientIP");
    assert_eq!(cart["session_affinity_timeout_seconds"], 10800);
    assert_eq!(cart["internal_traffic_policy"], "Local");
    let metrics = service(&report, "infra", "metrics");
    let ext = layer(metrics, "external-ips").unwrap();
    assert_eq!(ext["external_ips"], serde_json::json!(["203.0.113.30"]));
    assert!(
        ext["explanation"][1]
            .as_str()
            .unwrap()
            .contains("CVE-2020-8554")
    );
}

#[test]
fn endpoint_conditions_and_port_problems() {
    let report = explain_json(&["--demo"]);
    let checkout = service(&report, "shop", "checkout");
    assert_eq!(checkout["endpoint_summary"]["ready"], 1);
    assert_eq!(checkout["endpoint_summary"]["not_ready"], 1);
    let rec = service(&report, "shop", "recommendations");
    let port = &rec["backends"]["items"][0]["ports"][0];
    assert_eq!(port["status"], "name-not-found");
    assert_eq!(port["name"], "grpc");
    let syslog = service(&report, "infra", "syslog");
    assert_eq!(
        syslog["backends"]["items"][0]["ports"][0]["status"],
        "protocol-mismatch"
    );
    let payments = service(&report, "payments", "payments-api");
    assert_eq!(payments["endpoint_summary"]["total"], 0);
}

#[test]
fn offline_templates_resolve_named_ports_per_workload() {
    let report = explain_json(&["-f", "tests/fixtures/explain/offline-templates.yaml"]);
    let api = service(&report, "web", "api");
    assert_eq!(api["backends"]["source"], "pod-templates");
    let items = api["backends"]["items"].as_array().unwrap();
    let http: Vec<(&str, i64)> = items
        .iter()
        .map(|b| {
            (
                b["workload"].as_str().unwrap(),
                b["ports"][0]["port"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        http,
        [("Deployment/api", 8080), ("Deployment/api-canary", 9090)]
    );
    assert_eq!(items[0]["ports"][1]["status"], "name-not-found");
    assert_eq!(layer(api, "node-port").unwrap()["nodes_known"], false);
    let run = svcx(&[
        "explain",
        "-f",
        "tests/fixtures/explain/offline-templates.yaml",
    ]);
    settings().bind(|| insta::assert_snapshot!(run.stdout));
}

#[test]
fn origins_point_at_file_and_line() {
    let report = explain_json(&["-f", "tests/fixtures/explain/offline-templates.yaml"]);
    let origin = &service(&report, "web", "api")["origin"];
    assert_eq!(
        origin["path"],
        "tests/fixtures/explain/offline-templates.yaml"
    );
    assert_eq!(origin["line"], 31);
}

#[test]
fn concepts_need_no_cluster() {
    let run = svcx(&["explain", "--concepts"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("LoadBalancer ⊃ NodePort ⊃ ClusterIP"));
    settings().bind(|| insta::assert_snapshot!(run.stdout));
}

#[test]
fn namespace_flag_narrows_offline_input() {
    let report = explain_json(&["--demo", "-n", "infra"]);
    let names: Vec<&str> = report["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["edge-proxy", "metrics", "syslog"]);
}

#[test]
fn yaml_output_is_the_same_document() {
    let run = svcx(&["explain", "--demo", "-o", "yaml", "shop/cart"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("schema: 4"), "{}", run.stdout);
    assert!(run.stdout.contains("session_affinity: ClientIP"));
}

/// Real third-party manifests and cluster dumps (../shared/corpus).
#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus (not found beside the repo)"
)]
fn corpus_manifests() {
    for (name, rel) in [
        (
            "microservices_demo",
            "manifests/GoogleCloudPlatform-microservices-demo--kubernetes-manifests.yaml",
        ),
        ("bookinfo", "manifests/istio-istio--bookinfo.yaml"),
        (
            "ingress_nginx_cloud",
            "manifests/kubernetes-ingress-nginx--deploy-cloud.yaml",
        ),
        (
            "ingress_nginx_baremetal",
            "manifests/kubernetes-ingress-nginx--deploy-baremetal.yaml",
        ),
        (
            "kube_prometheus",
            "manifests/prometheus-operator-kube-prometheus--manifests-services.yaml",
        ),
        (
            "argo_lb_live",
            "live/argoproj-argo-cd--svc-loadbalancer.yaml",
        ),
        (
            "argo_lb_unassigned_live",
            "live/argoproj-argo-cd--svc-loadbalancer-unassigned.yaml",
        ),
        ("k9s_svc_live", "live/derailed-k9s--render-svc.json"),
        (
            "argo_lb_list_live",
            "live/argoproj-argo-cd--svc-loadbalancer-nonemptylist.yaml",
        ),
        (
            "popeye_network_live",
            "live/derailed-popeye--lint-testdata-network.yaml",
        ),
        (
            "schema_complete_live",
            "live/kubernetes-api--testdata-HEAD-schema-complete.yaml",
        ),
    ] {
        let path = corpus(rel);
        let path = path.to_str().unwrap();
        let human = svcx(&["explain", "-f", path]);
        assert_eq!(human.code, 0, "{name}: {human}");
        let json = svcx(&["explain", "-o", "json", "-f", path]);
        assert_eq!(json.code, 0, "{name}: {json}");
        let value: Value = serde_json::from_str(&json.stdout).unwrap();
        assert!(
            !value["services"].as_array().unwrap().is_empty(),
            "{name} has Services"
        );
        settings().bind(|| {
            insta::assert_snapshot!(format!("corpus_{name}_human"), human.stdout);
            insta::assert_json_snapshot!(format!("corpus_{name}_json"), value);
        });
    }
}

#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus (not found beside the repo)"
)]
fn corpus_semantics() {
    // ingress-nginx's cloud install: a LoadBalancer with externalTrafficPolicy Local. A manifest
    // has no status: the Service is not created yet, which is not the same as pending.
    let report = explain_json(&[
        "-f",
        corpus("manifests/kubernetes-ingress-nginx--deploy-cloud.yaml")
            .to_str()
            .unwrap(),
    ]);
    let ctrl = service(&report, "ingress-nginx", "ingress-nginx-controller");
    assert_eq!(
        layer(ctrl, "load-balancer").unwrap()["status"],
        "not-created"
    );
    assert_eq!(
        layer(ctrl, "node-port").map(|l| l["external_traffic_policy"].clone()),
        Some("Local".into())
    );
    // The baremetal install is a NodePort Service, resolved through the controller Deployment's template.
    let report = explain_json(&[
        "-f",
        corpus("manifests/kubernetes-ingress-nginx--deploy-baremetal.yaml")
            .to_str()
            .unwrap(),
    ]);
    let ctrl = service(&report, "ingress-nginx", "ingress-nginx-controller");
    assert_eq!(ctrl["shape"], "node-port");
    assert_eq!(ctrl["backends"]["source"], "pod-templates");
    // The argo-cd live dump carries a provisioned hostname.
    let report = explain_json(&[
        "-f",
        corpus("live/argoproj-argo-cd--svc-loadbalancer.yaml")
            .to_str()
            .unwrap(),
    ]);
    let lb = report["services"][0]["layers"][0].clone();
    assert_eq!(lb["status"], "provisioned");
    // A dump whose status.loadBalancer is empty: pending, as kubectl shows it.
    let report = explain_json(&[
        "-f",
        corpus("live/argoproj-argo-cd--svc-loadbalancer-unassigned.yaml")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(report["services"][0]["layers"][0]["status"], "pending");
}

/// The folder `kubectl cluster-info dump --output-directory DIR` writes:
/// `nodes.json` at the top, then per namespace `services.json`, `pods.json`,
/// `deployments.json`... as typed lists (`ServiceList`) whose items carry no
/// kind or apiVersion, beside `POD/logs.txt` files that are not manifests.
#[test]
fn cluster_info_dump_directory() {
    let dir = tempfile::tempdir().unwrap();
    let mut lists: std::collections::BTreeMap<(String, String), Vec<Value>> = Default::default();
    for doc in svcx::yaml::split_documents(svcx::demo::MANIFEST) {
        let doc = svcx::yaml::parse_document(&doc).unwrap();
        let kind = doc["kind"].as_str().unwrap().to_string();
        let ns = doc["metadata"]["namespace"]
            .as_str()
            .unwrap_or("")
            .to_string();
        // `kubectl cluster-info dump` writes Nodes and, per namespace, Events,
        // ReplicationControllers, Services, DaemonSets, Deployments,
        // ReplicaSets and Pods (with logs): no EndpointSlices, no Gateway API.
        if ![
            "Node",
            "Service",
            "Pod",
            "Deployment",
            "DaemonSet",
            "ReplicaSet",
            "ReplicationController",
        ]
        .contains(&kind.as_str())
        {
            continue;
        }
        let mut item = doc.clone();
        let obj = item.as_object_mut().unwrap();
        obj.remove("kind");
        obj.remove("apiVersion");
        lists.entry((ns, kind)).or_default().push(item);
    }
    for ((ns, kind), items) in lists {
        let folder = if ns.is_empty() {
            dir.path().to_path_buf()
        } else {
            dir.path().join(&ns)
        };
        std::fs::create_dir_all(&folder).unwrap();
        let file = format!("{}s.json", kind.to_lowercase());
        let list = serde_json::json!({"kind": format!("{kind}List"), "apiVersion": "v1", "metadata": {}, "items": items});
        std::fs::write(
            folder.join(file),
            serde_json::to_string_pretty(&list).unwrap(),
        )
        .unwrap();
        if kind == "Pod" {
            std::fs::create_dir_all(folder.join("some-pod")).unwrap();
            std::fs::write(
                folder.join("some-pod/logs.txt"),
                "==== START logs ====\nnot: [yaml\n",
            )
            .unwrap();
        }
    }
    let path = dir.path().to_str().unwrap();
    let report = explain_json(&["-f", path]);
    assert_eq!(report["services"].as_array().unwrap().len(), 14);
    let storefront = service(&report, "shop", "storefront");
    // Without EndpointSlices, the selected Pods stand in, readiness from their Ready condition.
    assert_eq!(storefront["backends"]["source"], "pods");
    assert_eq!(storefront["endpoint_summary"]["ready"], 3);
    let np = layer(storefront, "node-port").unwrap();
    assert_eq!(np["node_count"], 3);
    assert_eq!(report["nodes"].as_array().unwrap().len(), 3);
    let checkout = service(&report, "shop", "checkout");
    assert_eq!(checkout["endpoint_summary"]["not_ready"], 1);
    // Each list item keeps its own line in its file.
    let origin = &storefront["origin"];
    assert!(
        origin["path"]
            .as_str()
            .unwrap()
            .ends_with("shop/services.json"),
        "{origin}"
    );
    assert!(origin["line"].as_u64().unwrap() > 1, "{origin}");
}

#[test]
fn selector_typo_gets_a_suggestion() {
    let report = explain_json(&["--demo", "payments/payments-api"]);
    let findings = service(&report, "payments", "payments-api")["findings"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(f["code"], "SVC101");
    assert_eq!(f["field"], "spec.selector");
    assert_eq!(f["severity"], "error");
    // The suggestion names the selector that would match.
    assert!(
        f["hint"].as_str().unwrap().contains("`app=payments`"),
        "{f}"
    );
}

/// `--gateway NAME` and `gateway/NAME` explain a Gateway: its listeners and
/// what each admits, with the routes that name it (the admitted and the
/// refused); an unknown name fails with the Gateways there are.
#[test]
fn gateways_are_explained_by_name() {
    for args in [
        vec!["--demo", "--gateway", "infra/public"],
        vec!["--demo", "gateway/public"],
        vec!["--demo", "-n", "infra", "--gateway", "public"],
    ] {
        let report = explain_json(&args);
        assert!(
            report["services"].as_array().unwrap().is_empty(),
            "{args:?}"
        );
        let gw = &report["gateways"][0];
        assert_eq!(gw["name"], "public", "{args:?}");
        assert_eq!(
            gw["addresses"]["assigned"],
            serde_json::json!(["203.0.113.40"])
        );
        let listeners: Vec<&str> = gw["listeners"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["name"].as_str().unwrap())
            .collect();
        assert_eq!(listeners, ["http", "https"]);
        assert_eq!(gw["listeners"][0]["allowed_routes"]["from"], "selector");
        assert_eq!(gw["rejected"][0]["name"], "pay");
        assert_eq!(gw["rejected"][0]["findings"][0]["code"], "SVC503");
        assert_eq!(gw["routes"].as_array().unwrap().len(), 4);
    }
    let run = svcx(&["explain", "--demo", "--gateway", "privat"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("no Gateway `privat`"), "{run}");
    assert!(run.stderr.contains("infra/public"), "{run}");
}

/// With no name, every Gateway in scope is explained after the Services.
#[test]
fn every_gateway_in_scope_is_explained() {
    let report = explain_json(&["--demo"]);
    assert_eq!(report["gateways"].as_array().unwrap().len(), 1);
    assert!(
        explain_json(&["--demo", "-n", "shop"])["gateways"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

/// The "Network policies" section: the policies that select a Service's
/// endpoints in evaluation order (Admin tier by priority, NetworkPolicies,
/// Baseline tier), what each rule does, and who gets through per source.
#[test]
fn network_policies_in_tier_order() {
    let args = [
        "-f",
        "tests/fixtures/semantics/nodes.yaml",
        "-f",
        "tests/fixtures/semantics/cnp.yaml",
        "team-a/api",
    ];
    let report = explain_json(&args);
    let np = &service(&report, "team-a", "api")["network_policies"];
    let order: Vec<(&str, &str)> = np["selecting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["tier"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        order,
        [
            ("admin", "cluster-wide-allow-example"),
            ("network-policy", "default-deny-ingress"),
            ("baseline", "default"),
        ]
    );
    let mut full = vec!["explain"];
    full.extend_from_slice(&args);
    let run = svcx(&full);
    assert_eq!(run.code, 0, "{run}");
    settings().bind(|| insta::assert_snapshot!(run.stdout));
}

/// A Gateway implementation's control plane is no way in for clients: on
/// Envoy Gateway's chart output and NGINX Gateway Fabric's install, their
/// controllers' Services (`envoy-gateway`, `nginx-gateway`) are said to
/// serve the control plane (`control_plane`), not taken for a way in, and
/// get no advice to expose them.
#[test]
fn a_control_plane_service_is_not_advised_to_be_exposed() {
    for (file, service, whose) in [
        (
            "envoyproxy-gateway/envoyproxy-gateway--test-helm-gateway-helm-default-config.out.yaml",
            "envoy-gateway",
            "Envoy Gateway's controller",
        ),
        (
            "nginx-nginx-gateway-fabric/nginx-nginx-gateway-fabric--deploy-default-deploy.yaml",
            "nginx-gateway",
            "NGINX Gateway Fabric's control plane",
        ),
    ] {
        let path = root().join("tests/corpus/official").join(file);
        let run = svcx(&["explain", "-o", "json", "-f", path.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{run}");
        let doc = json_out(&run);
        let svc = doc["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == service)
            .unwrap_or_else(|| panic!("{service} in {file}"));
        assert_eq!(svc["control_plane"], whose, "{svc:#}");
        assert!(svc.get("entry_point").is_none(), "{svc:#}");
    }
}
