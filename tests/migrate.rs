//! `svcx migrate-to-gateway`: the objects it writes are read back as the
//! YAML they are (and as the gateway-api crate's types), the report is read
//! from `-o json`, the CRDs' CEL rules are checked here (schema validators do
//! not run them), and `svcx trace` on the output follows the Gateway path to
//! every migrated Service.

use crate::common;

use common::{Run, corpus, root, settings, svcx, svcx_stdin};
use gateway_api::apis::standard::gateways::Gateway;
use gateway_api::apis::standard::grpcroutes::GrpcRoute;
use gateway_api::apis::standard::httproutes::HttpRoute;
use gateway_api::apis::standard::referencegrants::ReferenceGrant;
use gateway_api::apis::standard::tlsroutes::TlsRoute;
use k8s_openapi::api::core::v1::Service;
use serde_json::Value;
use std::collections::HashSet;
use svcx::L4Route;

const KINDS: &str = "tests/fixtures/migrate/kinds.yaml";
const SETTINGS: &str = "tests/fixtures/migrate/settings.yaml";
const INTERNAL: &str = "tests/fixtures/migrate/internal.yaml";
const NETWORK_POLICY: &str = "tests/fixtures/migrate/network-policy.yaml";

/// The documents of a multi-document YAML stream.
fn documents(yaml: &str) -> Vec<Value> {
    svcx::yaml::split_documents(yaml)
        .iter()
        .map(|d| svcx::yaml::parse_document(d).expect("svcx writes valid YAML"))
        .filter(|v| !v.is_null())
        .collect()
}

/// Runs a migration and returns (objects read from the YAML on stdout, the
/// report of the same run's `-o json`).
fn migrate(args: &[&str]) -> (Vec<Value>, Value) {
    let mut all = vec!["migrate-to-gateway"];
    all.extend_from_slice(args);
    let run = svcx(&all);
    assert_eq!(run.code, 0, "{run}");
    let objects = documents(&run.stdout);
    all.extend_from_slice(&["-o", "json"]);
    let json = common::json_out(&svcx(&all));
    assert_eq!(
        json["objects"].as_array().expect("objects"),
        &objects,
        "-o json holds the objects the YAML holds"
    );
    check_cel(&objects);
    check_types(&objects);
    (objects, json["report"].clone())
}

fn of_kind<'a>(objects: &'a [Value], kind: &str) -> Vec<&'a Value> {
    objects.iter().filter(|o| o["kind"] == kind).collect()
}

fn named<'a>(objects: &'a [Value], kind: &str, name: &str) -> Option<&'a Value> {
    objects
        .iter()
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
}

fn codes(report: &Value) -> Vec<(String, String)> {
    report["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .map(|n| {
            (
                n["code"].as_str().unwrap_or_default().to_string(),
                n["object"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn has_note(report: &Value, code: &str, object: &str) -> bool {
    codes(report).iter().any(|(c, o)| c == code && o == object)
}

/// The CEL rules of the Gateway API CRDs that OpenAPI validators do not run.
fn check_cel(objects: &[Value]) {
    for gw in of_kind(objects, "Gateway") {
        let listeners = gw["spec"]["listeners"].as_array().expect("listeners");
        assert!(listeners.len() <= 64, "at most 64 listeners");
        let mut names = HashSet::new();
        let mut keys = HashSet::new();
        for l in listeners {
            let protocol = l["protocol"].as_str().expect("protocol");
            assert!(
                names.insert(l["name"].clone()),
                "listener names unique: {l}"
            );
            assert!(
                keys.insert((
                    l["port"].clone(),
                    protocol.to_string(),
                    l["hostname"].clone()
                )),
                "port+protocol+hostname unique: {l}"
            );
            if matches!(protocol, "HTTP" | "TCP" | "UDP") {
                assert!(l.get("tls").is_none(), "no tls on {protocol}: {l}");
            }
            if matches!(protocol, "TCP" | "UDP") {
                assert!(
                    l.get("hostname").is_none(),
                    "no hostname on {protocol}: {l}"
                );
            }
            if protocol == "HTTPS" {
                assert_eq!(l["tls"]["mode"], "Terminate", "HTTPS terminates: {l}");
                assert!(
                    l["tls"]["certificateRefs"]
                        .as_array()
                        .is_some_and(|c| !c.is_empty()),
                    "HTTPS has certificateRefs: {l}"
                );
            }
            if protocol == "TLS" {
                assert!(l["tls"]["mode"].is_string(), "TLS says its mode: {l}");
            }
        }
    }
    for o in objects {
        let kind = o["kind"].as_str().unwrap_or_default();
        if !kind.ends_with("Route") {
            continue;
        }
        let rules = o["spec"]["rules"].as_array().expect("rules");
        let version = o["apiVersion"].as_str().unwrap_or_default();
        if matches!(kind, "TCPRoute" | "UDPRoute") && version.ends_with("/v1") {
            assert_eq!(rules.len(), 1, "{kind} v1 has exactly one rule");
        }
        if kind == "TLSRoute" && version.ends_with("/v1") {
            assert!(
                o["spec"]["hostnames"]
                    .as_array()
                    .is_some_and(|h| !h.is_empty()),
                "TLSRoute v1 requires hostnames: {o}"
            );
        }
        for rule in rules {
            for b in rule["backendRefs"].as_array().into_iter().flatten() {
                let service = b.get("kind").is_none_or(|k| k == "Service")
                    && b.get("group").is_none_or(|g| g == "");
                if service {
                    assert!(
                        b["port"].is_i64(),
                        "Must have port for Service reference: {b}"
                    );
                }
            }
        }
    }
}

/// Every object of a kind the gateway-api crate knows reads into its type;
/// TCPRoute and UDPRoute (v1 and v1alpha2) into svcx's own; Services into
/// k8s-openapi's.
fn check_types(objects: &[Value]) {
    for o in objects {
        let v = o.clone();
        let ok = match o["kind"].as_str().unwrap_or_default() {
            "Gateway" => serde_json::from_value::<Gateway>(v).is_ok(),
            "HTTPRoute" => serde_json::from_value::<HttpRoute>(v).is_ok(),
            "GRPCRoute" => serde_json::from_value::<GrpcRoute>(v).is_ok(),
            "TLSRoute" => serde_json::from_value::<TlsRoute>(v).is_ok(),
            "TCPRoute" | "UDPRoute" => serde_json::from_value::<L4Route>(v).is_ok(),
            "Service" => serde_json::from_value::<Service>(v).is_ok(),
            "ReferenceGrant" => serde_json::from_value::<ReferenceGrant>(v).is_ok(),
            other => panic!("unexpected kind {other}"),
        };
        assert!(ok, "reads back into its type: {o}");
    }
}

/// The route of Service port `port_name` of `edge`, if one was written.
fn route_of<'a>(objects: &'a [Value], port_name: &str) -> Option<&'a Value> {
    objects
        .iter()
        .find(|o| o["metadata"]["name"] == format!("edge-{port_name}"))
}

fn api_version(o: &Value) -> &str {
    o["apiVersion"].as_str().unwrap_or_default()
}

#[test]
fn each_port_gets_the_route_kind_of_what_it_carries() {
    let (objects, report) = migrate(&[
        "-f",
        KINDS,
        "--gateway-class",
        "envoy",
        "--domain",
        "example.com",
        "--gateway-api-version",
        "v1.6",
    ]);
    let kind =
        |port: &str| route_of(&objects, port).map(|o| o["kind"].as_str().unwrap_or_default());
    assert_eq!(kind("http"), Some("HTTPRoute"));
    assert_eq!(
        kind("grpc"),
        Some("GRPCRoute"),
        "h2c on a grpc-named port is gRPC"
    );
    assert_eq!(kind("https"), Some("TLSRoute"));
    assert_eq!(kind("redis"), Some("TCPRoute"));
    assert_eq!(kind("dns"), Some("UDPRoute"));
    assert_eq!(kind("diameter"), None, "SCTP has no route");
    assert!(has_note(&report, "sctp", "Service apps/edge"));
    // Every backendRef names the Service port by number.
    for (port, number) in [
        ("http", 80),
        ("grpc", 9000),
        ("https", 443),
        ("redis", 6379),
        ("dns", 53),
    ] {
        let route = route_of(&objects, port).expect("route");
        assert_eq!(
            route["spec"]["rules"][0]["backendRefs"][0]["port"], number,
            "{port}"
        );
        assert_eq!(route["spec"]["rules"][0]["backendRefs"][0]["name"], "edge");
    }
    // TLS is passed through by SNI, on a TLS listener that says so.
    let tls = route_of(&objects, "https").expect("TLSRoute");
    assert_eq!(tls["spec"]["hostnames"][0], "edge.apps.example.com");
    let gw = &of_kind(&objects, "Gateway")[0];
    let listener = |section: &Value| {
        gw["spec"]["listeners"]
            .as_array()
            .and_then(|ls| ls.iter().find(|l| l["name"] == *section))
            .cloned()
            .expect("the route's listener")
    };
    let l = listener(&tls["spec"]["parentRefs"][0]["sectionName"]);
    assert_eq!(
        (l["protocol"].as_str(), l["port"].as_i64()),
        (Some("TLS"), Some(443))
    );
    assert_eq!(l["tls"]["mode"], "Passthrough");
    let udp = listener(
        &route_of(&objects, "dns").expect("UDPRoute")["spec"]["parentRefs"][0]["sectionName"],
    );
    assert_eq!(udp["protocol"], "UDP");
    let grpc = listener(
        &route_of(&objects, "grpc").expect("GRPCRoute")["spec"]["parentRefs"][0]["sectionName"],
    );
    assert_eq!(grpc["allowedRoutes"]["kinds"][0]["kind"], "GRPCRoute");
    // The Gateway admits routes from the migrated namespace only.
    for l in gw["spec"]["listeners"].as_array().expect("listeners") {
        assert_eq!(l["allowedRoutes"]["namespaces"]["from"], "Selector");
        assert_eq!(
            l["allowedRoutes"]["namespaces"]["selector"]["matchLabels"]["kubernetes.io/metadata.name"],
            "apps"
        );
    }
}

/// One migration of a fixture with flags, and what it must write and say.
struct Case {
    name: &'static str,
    /// Where the objects come from (`-f FILE`, `--demo`).
    input: &'static [&'static str],
    args: &'static [&'static str],
    /// `--gateway-api-version`, when given.
    release: Option<&'static str>,
    /// `(port name, route kind, apiVersion)` of each route that must be written.
    routes: &'static [(&'static str, &'static str, &'static str)],
    /// Port names that must get no route.
    no_route: &'static [&'static str],
    /// `(code, object)` of each note the report must hold.
    notes: &'static [(&'static str, &'static str)],
    /// Codes no note may carry.
    no_codes: &'static [&'static str],
    /// The ports noted `kind-not-served`, in order, when checked.
    not_served: Option<&'static [&'static str]>,
    /// The release targeted, `(minor, channel)`, when checked.
    target: Option<(u64, &'static str)>,
    /// How many listeners the Gateway has, when checked.
    listeners: Option<usize>,
    /// `(before, after)` load balancer counts, when checked.
    load_balancers: Option<(u64, u64)>,
    /// Services that must be, and must not be, in the report's list.
    moved: &'static [&'static str],
    kept: &'static [&'static str],
    /// The Services moved, exactly and in order, when checked.
    services: Option<&'static [&'static str]>,
    /// The Gateway the report names, when checked.
    gateway: Option<&'static str>,
    /// `(JSON pointer, value as JSON text)` in the first Gateway; `None`:
    /// the field is absent.
    gateway_fields: &'static [(&'static str, Option<&'static str>)],
    /// `(code, objects)`: the objects noted with that code, exactly.
    noted: &'static [(&'static str, &'static [&'static str])],
    /// How many NetworkPolicies are written, when checked.
    network_policies: Option<usize>,
}

const CASE: Case = Case {
    name: "",
    input: &["-f", KINDS],
    args: &[],
    release: None,
    routes: &[],
    no_route: &[],
    notes: &[],
    no_codes: &[],
    not_served: None,
    target: None,
    listeners: None,
    load_balancers: None,
    moved: &[],
    kept: &[],
    services: None,
    gateway: None,
    gateway_fields: &[],
    noted: &[],
    network_policies: None,
};

const V1: &str = "gateway.networking.k8s.io/v1";
const V1ALPHA2: &str = "gateway.networking.k8s.io/v1alpha2";

/// Which route kind and version each release and channel writes, and what
/// the report says of the rest. Release contents: the Gateway API release
/// notes (https://github.com/kubernetes-sigs/gateway-api/releases): TLSRoute
/// v1 in the standard channel from v1.5, TCPRoute and UDPRoute v1 from v1.6,
/// all three v1alpha2 in the experimental channel before.
const CASES: &[Case] = &[
    Case {
        name: "v1.4 standard writes HTTP and gRPC and reports the rest",
        args: &["--gateway-class", "c", "--domain", "example.com"],
        release: Some("v1.4"),
        routes: &[("http", "HTTPRoute", V1), ("grpc", "GRPCRoute", V1)],
        no_route: &["https", "redis", "dns"],
        not_served: Some(&["dns", "https", "redis"]),
        // No listener is left without a route.
        listeners: Some(2),
        ..CASE
    },
    Case {
        name: "v1.5 standard writes TLSRoute v1 but no L4 routes",
        args: &["--gateway-class", "c", "--domain", "example.com"],
        release: Some("v1.5"),
        routes: &[("https", "TLSRoute", V1)],
        no_route: &["redis", "dns"],
        notes: &[("kind-not-served", "Service apps/edge")],
        ..CASE
    },
    Case {
        name: "v1.6 standard writes TCP and UDP routes v1",
        args: &["--gateway-class", "c", "--domain", "example.com"],
        release: Some("v1.6"),
        routes: &[
            ("redis", "TCPRoute", V1),
            ("dns", "UDPRoute", V1),
            ("https", "TLSRoute", V1),
        ],
        ..CASE
    },
    Case {
        name: "the experimental channel writes v1alpha2 before v1.6",
        args: &[
            "--gateway-class",
            "c",
            "--domain",
            "example.com",
            "--channel",
            "experimental",
        ],
        release: Some("v1.4"),
        routes: &[
            ("redis", "TCPRoute", V1ALPHA2),
            ("dns", "UDPRoute", V1ALPHA2),
            ("https", "TLSRoute", V1ALPHA2),
        ],
        target: Some((4, "experimental")),
        no_codes: &["kind-not-served"],
        ..CASE
    },
    Case {
        name: "TLS without a hostname is passed through by port",
        args: &["--gateway-class", "c"],
        release: Some("v1.6"),
        routes: &[("https", "TCPRoute", V1)],
        notes: &[
            ("tls-without-hostname", "Service apps/edge"),
            ("no-hostname", "Gateway apps/shared-gateway"),
        ],
        ..CASE
    },
    Case {
        name: "no version targets the newest and says so",
        args: &["--gateway-class", "c"],
        target: Some((6, "standard")),
        notes: &[("target-defaulted", "Gateway API")],
        ..CASE
    },
    Case {
        name: "every setting that cannot be carried over is named",
        input: &["-f", SETTINGS],
        args: &["--gateway-class", "c"],
        release: Some("v1.6"),
        notes: &[
            ("load-balancer-source-ranges", "Service net/ranges"),
            ("external-traffic-policy-local", "Service net/local"),
            ("session-affinity-client-ip", "Service net/sticky"),
            ("load-balancer-ip", "Service net/pinned"),
            ("cloud-load-balancer-annotations", "Service net/internal"),
            ("load-balancer-class", "Service net/classy"),
            ("external-ips", "Service net/legacy"),
            ("fixed-node-ports", "Service net/fixed"),
        ],
        // ranges, local, pinned, internal, classy, and shared-a with
        // shared-b: load balancers that share an address count once.
        load_balancers: Some((6, 1)),
        // externalIPs move behind the Gateway; a ClusterIP Service is left alone.
        moved: &["net/legacy"],
        kept: &["net/inside"],
        ..CASE
    },
    Case {
        name: "a static address and an internal load balancer go to the Gateway",
        input: &["-f", INTERNAL],
        args: &["--gateway-class", "c"],
        release: Some("v1.2"),
        gateway_fields: &[
            (
                "/spec/addresses",
                Some(r#"[{"type": "IPAddress", "value": "10.128.0.50"}]"#),
            ),
            (
                "/spec/infrastructure/annotations",
                Some(r#"{"networking.gke.io/load-balancer-type": "Internal"}"#),
            ),
        ],
        notes: &[("carried-to-gateway", "Gateway corp/shared-gateway")],
        // Carried, so not lost.
        no_codes: &["load-balancer-ip"],
        ..CASE
    },
    Case {
        // spec.infrastructure is standard from v1.2 only.
        name: "before v1.2 an internal load balancer is reported",
        input: &["-f", INTERNAL],
        args: &["--gateway-class", "c"],
        release: Some("v1.1"),
        gateway_fields: &[("/spec/infrastructure", None)],
        notes: &[("mixed-load-balancers", "Gateway corp/shared-gateway")],
        ..CASE
    },
    Case {
        name: "internal and public load balancers on one Gateway are reported",
        input: &["-f", SETTINGS],
        args: &["--gateway-class", "c"],
        // Two static addresses: one Gateway cannot have both, so neither is carried.
        gateway_fields: &[("/spec/infrastructure", None), ("/spec/addresses", None)],
        notes: &[
            ("mixed-load-balancers", "Gateway net/shared-gateway"),
            ("load-balancer-ip", "Service net/classy"),
        ],
        ..CASE
    },
    Case {
        name: "a Gateway name that exists is reported",
        input: &["--demo"],
        args: &["--gateway-name", "public", "--gateway-namespace", "infra"],
        notes: &[("name-taken", "Gateway infra/public")],
        ..CASE
    },
    Case {
        name: "a Gateway name that is free is not reported",
        input: &["--demo"],
        no_codes: &["name-taken"],
        ..CASE
    },
    Case {
        name: "a namespace chooses what moves",
        input: &["--demo"],
        args: &["-n", "shop"],
        services: Some(&["shop/promo", "shop/storefront", "shop/checkout"]),
        // The one namespace migrated.
        gateway: Some("shop/shared-gateway"),
        ..CASE
    },
    Case {
        name: "names choose what moves",
        input: &["--demo"],
        args: &["shop/checkout", "shop/catalog"],
        services: Some(&["shop/checkout"]),
        // catalog is ClusterIP already.
        notes: &[("not-exposed", "Service shop/catalog")],
        ..CASE
    },
    Case {
        name: "a backend that drops the proxies is noted",
        input: &["-f", NETWORK_POLICY],
        args: &["--gateway-class", "envoy", "--gateway-namespace", "infra"],
        noted: &[("proxies-not-admitted", &["Service shop/web"])],
        // Only with --allow-gateway-proxies.
        network_policies: Some(0),
        ..CASE
    },
    Case {
        // The Gateway in the backend's own namespace: its proxies are pods
        // of that namespace, which the policy admits.
        name: "proxies the policies admit need nothing",
        input: &["-f", NETWORK_POLICY],
        args: &[
            "--gateway-class",
            "envoy",
            "--gateway-namespace",
            "shop",
            "--allow-gateway-proxies",
        ],
        noted: &[("proxies-not-admitted", &[])],
        network_policies: Some(0),
        ..CASE
    },
];

#[test]
fn migrate_cases() {
    for case in CASES {
        let name = case.name;
        let mut args = case.input.to_vec();
        args.extend_from_slice(case.args);
        if let Some(release) = case.release {
            args.extend_from_slice(&["--gateway-api-version", release]);
        }
        let (objects, report) = migrate(&args);
        for &(port, kind, version) in case.routes {
            let route = route_of(&objects, port)
                .unwrap_or_else(|| panic!("{name}: a route for port {port}"));
            assert_eq!(route["kind"], kind, "{name}: port {port}");
            assert_eq!(api_version(route), version, "{name}: port {port}");
        }
        for port in case.no_route {
            assert!(
                route_of(&objects, port).is_none(),
                "{name}: no route for {port}"
            );
        }
        for &(code, object) in case.notes {
            assert!(
                has_note(&report, code, object),
                "{name}: {code} on {object}: {:?}",
                codes(&report)
            );
        }
        for code in case.no_codes {
            assert!(
                !codes(&report).iter().any(|(c, _)| c == code),
                "{name}: no {code}: {:?}",
                codes(&report)
            );
        }
        // Every note says what to do instead.
        for n in report["notes"].as_array().expect("notes") {
            assert!(
                n["instead"].as_str().is_some_and(|s| !s.is_empty()),
                "{name}: {n}"
            );
        }
        if let Some(ports) = case.not_served {
            let noted: Vec<&str> = report["notes"]
                .as_array()
                .expect("notes")
                .iter()
                .filter(|n| n["code"] == "kind-not-served")
                .map(|n| n["port"].as_str().unwrap_or_default())
                .collect();
            assert_eq!(noted, ports, "{name}: kind-not-served");
        }
        if let Some((minor, channel)) = case.target {
            assert_eq!(
                report["target"],
                serde_json::json!({"minor": minor, "channel": channel}),
                "{name}"
            );
        }
        if let Some(n) = case.listeners {
            let gw = &of_kind(&objects, "Gateway")[0];
            assert_eq!(
                gw["spec"]["listeners"].as_array().expect("listeners").len(),
                n,
                "{name}: listeners"
            );
        }
        if let Some((before, after)) = case.load_balancers {
            assert_eq!(report["load_balancers_before"], before, "{name}");
            assert_eq!(report["load_balancers_after"], after, "{name}");
        }
        let services: Vec<&str> = report["services"]
            .as_array()
            .expect("services")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        for svc in case.moved {
            assert!(services.contains(svc), "{name}: {svc} moves: {services:?}");
        }
        for svc in case.kept {
            assert!(!services.contains(svc), "{name}: {svc} stays: {services:?}");
        }
        if let Some(want) = case.services {
            assert_eq!(services, want, "{name}: the Services moved");
        }
        if let Some(gateway) = case.gateway {
            assert_eq!(report["gateway"], gateway, "{name}");
        }
        for &(code, want) in case.noted {
            let got: Vec<String> = codes(&report)
                .into_iter()
                .filter(|(c, _)| c == code)
                .map(|(_, o)| o)
                .collect();
            assert_eq!(got, want, "{name}: {code}");
        }
        if let Some(n) = case.network_policies {
            assert_eq!(of_kind(&objects, "NetworkPolicy").len(), n, "{name}");
        }
        for &(pointer, want) in case.gateway_fields {
            let got = of_kind(&objects, "Gateway")[0].pointer(pointer);
            let want: Option<Value> =
                want.map(|text| serde_json::from_str(text).expect("JSON in the table"));
            assert_eq!(got, want.as_ref(), "{name}: Gateway {pointer}");
        }
    }
}

/// Runs that are usage errors: exit 2, nothing on stdout, and the error
/// names what to give instead (the flag, or what there is).
#[test]
fn migrate_usage_errors() {
    for (name, args, names) in [
        (
            "a GatewayClass is needed when none can be inferred",
            &["-f", KINDS][..],
            Some("--gateway-class"),
        ),
        (
            "a release svcx does not know",
            &["--demo", "--gateway-api-version", "v1.9"][..],
            None,
        ),
        (
            "an existing Gateway that is not there names those there are",
            &["--demo", "--existing-gateway", "infra/nope"][..],
            Some("infra/public"),
        ),
        (
            "a Service that is not there",
            &["--demo", "shop/nope"][..],
            None,
        ),
    ] {
        let mut all = vec!["migrate-to-gateway"];
        all.extend_from_slice(args);
        let run = svcx(&all);
        assert_eq!(run.code, 2, "{name}: {run}");
        assert!(run.stdout.is_empty(), "{name}: {run}");
        if let Some(flag) = names {
            assert!(run.stderr.contains(flag), "{name}: {run}");
        }
    }
}

#[test]
fn services_become_clusterip_and_apply_cleanly() {
    let (objects, _) = migrate(&[
        "-f",
        SETTINGS,
        "--gateway-class",
        "c",
        "--gateway-api-version",
        "v1.6",
    ]);
    let services = of_kind(&objects, "Service");
    assert_eq!(services.len(), 10);
    for s in services {
        let spec = &s["spec"];
        assert_eq!(spec["type"], "ClusterIP", "{s}");
        for gone in [
            "externalIPs",
            "externalTrafficPolicy",
            "healthCheckNodePort",
            "allocateLoadBalancerNodePorts",
            "loadBalancerClass",
            "loadBalancerIP",
            "loadBalancerSourceRanges",
        ] {
            assert!(spec.get(gone).is_none(), "{gone} removed: {s}");
        }
        for p in spec["ports"].as_array().unwrap() {
            assert!(p.get("nodePort").is_none(), "nodePort removed: {s}");
        }
        assert!(s.get("status").is_none(), "status stripped: {s}");
        for server_set in [
            "uid",
            "resourceVersion",
            "creationTimestamp",
            "finalizers",
            "managedFields",
        ] {
            assert!(
                s["metadata"].get(server_set).is_none(),
                "{server_set} stripped: {s}"
            );
        }
    }
    let shared = named(&objects, "Service", "shared-a").unwrap();
    assert_eq!(
        shared["spec"]["clusterIP"], "10.96.50.1",
        "the cluster IP is kept"
    );
    assert_eq!(
        shared["spec"]["selector"]["app"], "shared",
        "the selector is kept"
    );
    let internal = named(&objects, "Service", "internal").unwrap();
    assert_eq!(
        internal["metadata"]["annotations"],
        serde_json::json!({"team": "payments"}),
        "load balancer annotations go, others stay"
    );
}

/// `svcx trace` on the migrated objects follows client → Gateway →
/// listener → route → backendRef to every migrated Service port, explain
/// finds no route problem, and `svcx lint` reports no error on them.
fn round_trip(objects_yaml: &str, report: &Value) {
    round_trip_among(objects_yaml, objects_yaml, report);
}

/// [`round_trip`] on the migrated objects read together with the rest of
/// the input (`objects_yaml`): lint errors are judged on what migrate wrote
/// (`migrated`) only, since the rest may carry problems of its own (the
/// demo's broken Services and route, on purpose).
fn round_trip_among(objects_yaml: &str, migrated: &str, report: &Value) {
    let lint = svcx_stdin(&["lint", "-f", "-", "-o", "json"], Some(objects_yaml));
    if objects_yaml == migrated {
        assert_eq!(lint.code, 0, "lint of the migrated objects: {lint}");
    }
    let lint: Value = serde_json::from_str(&lint.stdout).unwrap_or_else(|e| panic!("{e}: {lint}"));
    let written: Vec<(Value, Value, Value)> = documents(migrated)
        .iter()
        .map(|o| {
            (
                o["kind"].clone(),
                o["metadata"]["namespace"].clone(),
                o["metadata"]["name"].clone(),
            )
        })
        .collect();
    let errors: Vec<&Value> = lint["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "error")
        .filter(|f| {
            let o = &f["object"];
            written.contains(&(o["kind"].clone(), o["namespace"].clone(), o["name"].clone()))
        })
        .collect();
    assert!(
        errors.is_empty(),
        "lint errors on the migrated objects: {errors:#?}"
    );
    let trace = svcx_stdin(&["trace", "-f", "-", "-o", "json"], Some(objects_yaml));
    let trace: Value =
        serde_json::from_str(&trace.stdout).unwrap_or_else(|e| panic!("{e}: {trace}"));
    for line in report["routes"].as_array().unwrap() {
        let full = line["service"].as_str().unwrap();
        let (ns, name) = full.split_once('/').unwrap();
        let svc = trace["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["namespace"] == ns && s["name"] == name)
            .unwrap_or_else(|| panic!("{full} traced"));
        let path = svc["paths"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["port"]["port"] == line["port"])
            .unwrap_or_else(|| panic!("{full}:{} traced", line["port"]));
        let hops = path["hops"].as_array().unwrap();
        for kind in ["gateway", "listener", "route", "backend-ref"] {
            let of_kind: Vec<&Value> = hops.iter().filter(|h| h["kind"] == kind).collect();
            assert!(!of_kind.is_empty(), "{full}:{}: a {kind} hop", line["port"]);
            for hop in of_kind {
                assert_eq!(hop["verdict"], "ok", "{full}: {hop}");
            }
        }
        assert!(
            hops.iter()
                .any(|h| h["kind"] == "listener" && h["name"] == line["listener"]),
            "{full}: through listener {}",
            line["listener"]
        );
    }
    let explain = svcx_stdin(&["explain", "-f", "-", "-o", "json"], Some(objects_yaml));
    let explain: Value =
        serde_json::from_str(&explain.stdout).unwrap_or_else(|e| panic!("{e}: {explain}"));
    // Only what the migration wrote is judged: the input may hold routes of
    // its own, broken or not.
    let written: Vec<&str> = report["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["route"].as_str())
        .collect();
    let mut checked = 0;
    for s in explain["services"].as_array().unwrap() {
        for route in s["routes"].as_array().unwrap() {
            let name = format!(
                "{}/{}",
                route["namespace"].as_str().unwrap_or_default(),
                route["name"].as_str().unwrap_or_default()
            );
            if !written.contains(&name.as_str()) {
                continue;
            }
            checked += 1;
            assert_eq!(route["reaches"], true, "{route}");
            assert_eq!(route["findings"], serde_json::json!([]), "{route}");
            for parent in route["parents"].as_array().unwrap() {
                assert_eq!(parent["findings"], serde_json::json!([]), "{route}");
            }
        }
    }
    assert!(
        checked >= written.len().min(1),
        "the routes written are explained"
    );
}

fn stdout_of(args: &[&str]) -> (Run, Value) {
    let run = svcx(args);
    let mut json_args = args.to_vec();
    json_args.extend_from_slice(&["-o", "json"]);
    let report = common::json_out(&svcx(&json_args))["report"].clone();
    (run, report)
}

#[test]
fn round_trip_demo() {
    let (run, report) = stdout_of(&["migrate-to-gateway", "--demo", "--domain", "example.com"]);
    round_trip(&run.stdout, &report);
    let (run, report) = stdout_of(&["migrate-to-gateway", "--demo"]);
    round_trip(&run.stdout, &report);
}

/// The migrated objects, then every object of `input` they do not replace
/// (Services kept as they are, backends of Ingresses), as one stream.
fn with_rest_of(input: &str, migrated: &str) -> String {
    let out = documents(migrated);
    let key = |o: &Value| {
        (
            o["kind"].clone(),
            o["metadata"]["namespace"].clone(),
            o["metadata"]["name"].clone(),
        )
    };
    let written: Vec<_> = out.iter().map(key).collect();
    let text = std::fs::read_to_string(root().join(input)).unwrap();
    let mut stream = migrated.to_string();
    for o in documents(&text) {
        if !written.contains(&key(&o)) {
            stream.push_str(&format!("---\n{o}\n"));
        }
    }
    stream
}

#[test]
fn round_trip_fixtures() {
    for (file, extra) in [(KINDS, "--domain"), (SETTINGS, "--domain")] {
        let (run, report) = stdout_of(&[
            "migrate-to-gateway",
            "-f",
            file,
            "--gateway-class",
            "c",
            extra,
            "example.com",
            "--channel",
            "experimental",
        ]);
        round_trip(&with_rest_of(file, &run.stdout), &report);
    }
}

#[test]
fn a_service_with_a_port_no_route_carries_keeps_its_type() {
    let (objects, report) = migrate(&[
        "-f",
        KINDS,
        "--gateway-class",
        "c",
        "--domain",
        "example.com",
    ]);
    assert!(has_note(&report, "service-kept", "Service apps/edge"));
    assert!(
        named(&objects, "Service", "edge").is_none(),
        "not rewritten"
    );
    assert!(
        route_of(&objects, "http").is_some(),
        "its other ports are routed"
    );
    assert_eq!(report["services"], serde_json::json!([]));
    assert_eq!(report["load_balancers_before"], 1);
    assert_eq!(
        report["load_balancers_after"], 2,
        "the Gateway's and its own"
    );
}

/// What a user sees: the YAML on stdout and the report on stderr.
fn snapshot(name: &str, args: &[&str]) {
    let run = svcx(args);
    assert_eq!(run.code, 0, "{run}");
    let objects = documents(&run.stdout);
    check_cel(&objects);
    check_types(&objects);
    settings().bind(|| insta::assert_snapshot!(name, run.to_string()));
}

#[test]
fn demo_snapshot() {
    snapshot("migrate_demo", &["migrate-to-gateway", "--demo"]);
    snapshot(
        "migrate_demo_domain",
        &[
            "migrate-to-gateway",
            "--demo",
            "--domain",
            "example.com",
            "--gateway-namespace",
            "infra",
        ],
    );
    snapshot(
        "migrate_ingress",
        &[
            "migrate-to-gateway",
            "-f",
            INGRESS,
            "--gateway-class",
            "c",
            "--gateway-namespace",
            "gateways",
        ],
    );
}

#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus beside the repository"
)]
fn corpus_snapshots() {
    for (name, rel) in [
        (
            "migrate_corpus_microservices_demo",
            "manifests/GoogleCloudPlatform-microservices-demo--kubernetes-manifests.yaml",
        ),
        (
            "migrate_corpus_productpage_nodeport",
            "manifests/istio-istio--productpage-nodeport.yaml",
        ),
        (
            "migrate_corpus_ingress_nginx_cloud",
            "manifests/kubernetes-ingress-nginx--deploy-cloud.yaml",
        ),
        (
            "migrate_corpus_opentelemetry_demo",
            "manifests/open-telemetry-opentelemetry-demo--opentelemetry-demo.yaml",
        ),
        (
            "migrate_corpus_bookinfo_ingress",
            "manifests/istio-istio--bookinfo-ingress.yaml",
        ),
        (
            "migrate_corpus_ingress2gateway_common",
            "ingress2gateway/kubernetes-sigs-ingress2gateway--common/input-file.yaml",
        ),
        (
            "migrate_corpus_metallb_shared_ip",
            "manifests/metallb-metallb--usage-allow-shared-ip.yaml",
        ),
    ] {
        let path = corpus(rel);
        assert!(root().join(&path).exists(), "{}", path.display());
        let path = path.display().to_string();
        snapshot(
            name,
            &[
                "migrate-to-gateway",
                "-f",
                &path,
                "--gateway-class",
                "example",
            ],
        );
    }
}

/// One rule of an HTTPRoute, as the reviewer compares them: the Gateway
/// port it is served on, hostnames, path match, backends, filters.
type RuleKey = (i64, Vec<String>, String, String, Vec<(String, i64)>, String);

/// The rules of every HTTPRoute in `objects`, by what they do, not by name.
fn route_rules(objects: &[Value]) -> Vec<RuleKey> {
    let gateways = of_kind(objects, "Gateway");
    let listeners: Vec<&Value> = gateways
        .iter()
        .flat_map(|g| g["spec"]["listeners"].as_array().into_iter().flatten())
        .collect();
    let mut out = Vec::new();
    for route in of_kind(objects, "HTTPRoute") {
        let mut hostnames: Vec<String> = route["spec"]["hostnames"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|h| h.as_str().map(String::from))
            .collect();
        hostnames.sort();
        let mut ports: Vec<i64> = Vec::new();
        for parent in route["spec"]["parentRefs"].as_array().into_iter().flatten() {
            for l in &listeners {
                let by_section = parent["sectionName"]
                    .as_str()
                    .is_some_and(|s| l["name"] == s);
                let by_host = parent.get("sectionName").is_none_or(Value::is_null)
                    && (l.get("hostname").is_none_or(Value::is_null)
                        || hostnames.iter().any(|h| l["hostname"] == h.as_str()));
                if by_section || by_host {
                    ports.push(l["port"].as_i64().unwrap_or_default());
                }
            }
        }
        for rule in route["spec"]["rules"].as_array().into_iter().flatten() {
            let mut backends: Vec<(String, i64)> = rule["backendRefs"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|b| {
                    (
                        b["name"].as_str().unwrap_or_default().to_string(),
                        b["port"].as_i64().unwrap_or_default(),
                    )
                })
                .collect();
            backends.sort();
            let filters: Vec<String> = rule["filters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| match f["type"].as_str().unwrap_or_default() {
                    "RequestRedirect" => format!(
                        "redirect {} {}",
                        f["requestRedirect"]["scheme"].as_str().unwrap_or_default(),
                        f["requestRedirect"]["statusCode"]
                    ),
                    "URLRewrite" => format!("rewrite {}", f["urlRewrite"]["path"]),
                    other => other.to_string(),
                })
                .collect();
            let matches: Vec<&Value> = rule["matches"].as_array().into_iter().flatten().collect();
            for m in matches {
                for port in &ports {
                    out.push((
                        *port,
                        hostnames.clone(),
                        m["path"]["type"]
                            .as_str()
                            .unwrap_or("PathPrefix")
                            .to_string(),
                        m["path"]["value"].as_str().unwrap_or("/").to_string(),
                        backends.clone(),
                        filters.join(", "),
                    ));
                }
            }
        }
    }
    out.sort();
    out
}

/// ingress2gateway's own conversions (its kgateway emitter's test data,
/// standard Gateway API objects beside kgateway's policies): svcx writes the
/// same hostnames, matches, backends and redirects. The differences that
/// remain are docs/ingress2gateway.md's, asserted here one by one.
#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus beside the repository"
)]
fn ingresses_convert_as_ingress2gateway_does() {
    let dir = "ingress2gateway/kubernetes-sigs-ingress2gateway--kgateway-emitter-pr399";
    for case in [
        "basic",
        "ssl_redirect",
        "rewrite_target",
        "use_regex",
        "timeouts",
        "load_balance",
        "basic_auth",
    ] {
        let input = corpus(&format!("{dir}/input/{case}.yaml"))
            .display()
            .to_string();
        let expected =
            std::fs::read_to_string(root().join(corpus(&format!("{dir}/output/{case}.yaml"))))
                .expect("the expected output");
        // ingress2gateway writes the https redirect with 301; ingress-nginx
        // answers it with 308 (`http-redirect-code`, default 308 in
        // controller-v1.15.1 `internal/ingress/controller/config/config.go`),
        // which svcx keeps where the target has it (v1.5 and later).
        let theirs: Vec<RuleKey> = route_rules(&documents(&expected))
            .into_iter()
            .map(|mut r| {
                if r.5 == "redirect https 301" {
                    r.5 = "redirect https 308".into();
                }
                r
            })
            .collect();
        let (ours, report) = migrate(&[
            "-f",
            &input,
            "--gateway-class",
            "kgateway",
            "--gateway-api-version",
            "v1.6",
        ]);
        // Both write use-regex paths as RegularExpression matches, and svcx
        // says so (code regex-path). svcx keeps nginx's case-insensitive
        // prefix reading, `(?i)^PATH.*`, where ingress2gateway writes
        // `^PATH` (docs/ingress2gateway.md). And where one Ingress of a host
        // uses use-regex or rewrite-target, ingress-nginx reads every path
        // of the host as such a regular expression ("the case insensitive
        // regular expression location modifier will be enforced on ALL
        // paths for a given host regardless of what Ingress they are
        // defined on", docs/user-guide/ingress-path-matching.md;
        // `enforceRegexModifier` in template.go), which ingress2gateway
        // does not: svcx writes those paths as regular expressions too.
        let regex_hosts: Vec<Vec<String>> = route_rules(&ours)
            .into_iter()
            .filter(|r| r.2 == "RegularExpression")
            .map(|r| r.1)
            .collect();
        let mut theirs: Vec<RuleKey> = theirs
            .into_iter()
            .map(|mut r| {
                if r.2 == "PathPrefix" && regex_hosts.contains(&r.1) {
                    r.2 = "RegularExpression".into();
                    r.3 = format!("^{}", r.3);
                }
                r
            })
            .collect();
        let regexes = theirs.iter().filter(|r| r.2 == "RegularExpression").count();
        let reported = codes(&report)
            .iter()
            .filter(|(c, _)| c == "regex-path")
            .count();
        assert!(
            reported > 0 || regexes == 0,
            "{case}: regex paths are reported"
        );
        let mut ours: Vec<RuleKey> = route_rules(&ours)
            .into_iter()
            .map(|mut r| {
                if r.2 == "RegularExpression" {
                    assert!(r.3.starts_with("(?i)^") && r.3.ends_with(".*"), "{r:?}");
                    r.3 = r.3["(?i)".len()..r.3.len() - ".*".len()].to_string();
                }
                r
            })
            .collect();
        ours.sort();
        theirs.sort();
        assert_eq!(ours, theirs, "{case}");
    }
}

const INGRESS: &str = "tests/fixtures/migrate/ingress.yaml";

/// The rules of a route as `(match type, value, backend, port, filters)`.
fn rules_of(route: &Value) -> Vec<(String, String, String, i64, Vec<String>)> {
    route["spec"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["matches"][0]["path"]["type"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                r["matches"][0]["path"]["value"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                r["backendRefs"][0]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                r["backendRefs"][0]["port"].as_i64().unwrap_or_default(),
                r["filters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|f| f["type"].as_str().unwrap_or_default().to_string())
                    .collect(),
            )
        })
        .collect()
}

fn s(v: &str) -> String {
    v.to_string()
}

#[test]
fn ingress_paths_become_httproute_rules() {
    let (objects, report) = migrate(&[
        "-f",
        INGRESS,
        "--gateway-class",
        "c",
        "--gateway-namespace",
        "gateways",
        "--gateway-api-version",
        "v1.6",
    ]);
    // Exact and Prefix paths, the named port resolved to its number; the
    // ImplementationSpecific path reported, not guessed.
    let shop = named(&objects, "HTTPRoute", "shop-shop-example-com").expect("the HTTPS route");
    assert_eq!(
        shop["spec"]["hostnames"],
        serde_json::json!(["shop.example.com"])
    );
    assert_eq!(
        rules_of(shop)[..2],
        [
            (s("PathPrefix"), s("/api"), s("web"), 8080, vec![]),
            (s("Exact"), s("/healthz"), s("web"), 8080, vec![]),
        ]
    );
    assert!(has_note(
        &report,
        "implementation-specific-path",
        "Ingress shop/shop"
    ));
    // ssl-redirect is on by default with TLS: port 80 redirects, with
    // ingress-nginx's http-redirect-code (308, ingress-nginx
    // controller-v1.15.1 `internal/ingress/controller/config/config.go`
    // `HTTPRedirectCode: 308`), which the RequestRedirect filter offers from
    // Gateway API v1.5 (the v1.5.1 HTTPRoute CRD's statusCode enum).
    let redirect =
        named(&objects, "HTTPRoute", "shop-shop-example-com-http-redirect").expect("redirect");
    let rule = &redirect["spec"]["rules"][0];
    assert_eq!(rule["filters"][0]["requestRedirect"]["scheme"], "https");
    assert_eq!(rule["filters"][0]["requestRedirect"]["statusCode"], 308);
    assert!(rule.get("backendRefs").is_none());
    // The default backend of an Ingress with rules answers the unmatched
    // paths of its own hosts, not every host (`createServers` in
    // `controller.go`: "defines both a backend and rules. Using its backend
    // as default upstream for all its rules"): a `/` rule of its host's
    // route, and no route for all hosts.
    assert!(named(&objects, "HTTPRoute", "shop-all-hosts").is_none());
    assert_eq!(
        rules_of(shop).last(),
        Some(&(s("PathPrefix"), s("/"), s("fallback"), 80, vec![]))
    );
    // ssl-redirect "false": served on both ports; rewrite-target makes the
    // host's paths case-insensitive regular expressions (`enforceRegexModifier`
    // in `template.go`), and a plain one becomes URLRewrite ReplaceFullPath.
    for name in ["plain-plain-example-com", "plain-plain-example-com-http"] {
        let plain = named(&objects, "HTTPRoute", name).expect(name);
        let rule = &plain["spec"]["rules"][0];
        assert_eq!(
            rule["matches"][0]["path"]["type"], "RegularExpression",
            "{name}"
        );
        assert_eq!(
            rule["filters"][0]["urlRewrite"]["path"]["replaceFullPath"], "/",
            "{name}"
        );
    }
    // HTTPS terminates with the Ingress's Secret, granted to the Gateway.
    let gw = &of_kind(&objects, "Gateway")[0];
    let https = gw["spec"]["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["hostname"] == "shop.example.com" && l["protocol"] == "HTTPS")
        .expect("an HTTPS listener");
    assert_eq!(https["port"], 443);
    assert_eq!(
        https["tls"]["certificateRefs"],
        serde_json::json!([{"name": "shop-tls", "namespace": "shop"}])
    );
    let grant = &of_kind(&objects, "ReferenceGrant")[0];
    assert_eq!(grant["metadata"]["namespace"], "shop");
    assert_eq!(grant["apiVersion"], "gateway.networking.k8s.io/v1");
    assert_eq!(
        grant["spec"]["from"],
        serde_json::json!([{"group": "gateway.networking.k8s.io", "kind": "Gateway", "namespace": "gateways"}])
    );
    let secrets: Vec<&str> = grant["spec"]["to"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            assert_eq!(t["kind"], "Secret");
            t["name"].as_str().unwrap()
        })
        .collect();
    assert_eq!(secrets, ["plain-tls", "shop-tls"]);
    // Annotations without an equivalent are named.
    assert!(has_note(&report, "ingress-annotation", "Ingress shop/shop"));
    // The controller's Service is left alone, and its load balancer counted.
    assert!(named(&objects, "Service", "ingress-nginx-controller").is_none());
    assert!(has_note(
        &report,
        "ingress-controller",
        "Service ingress-nginx/ingress-nginx-controller"
    ));
    assert_eq!(report["load_balancers_before"], 1);
    assert_eq!(
        report["ingresses"],
        serde_json::json!(["shop/plain", "shop/shop"])
    );
}

#[test]
fn reference_grants_are_v1beta1_up_to_v1_4() {
    let (objects, _) = migrate(&[
        "-f",
        INGRESS,
        "--gateway-class",
        "c",
        "--gateway-namespace",
        "gateways",
        "--gateway-api-version",
        "v1.4",
    ]);
    let grant = &of_kind(&objects, "ReferenceGrant")[0];
    assert_eq!(grant["apiVersion"], "gateway.networking.k8s.io/v1beta1");
}

#[test]
fn round_trip_ingresses() {
    let (run, report) = stdout_of(&[
        "migrate-to-gateway",
        "-f",
        INGRESS,
        "--gateway-class",
        "c",
        "--gateway-namespace",
        "gateways",
    ]);
    // The backends are not rewritten: trace them from the input.
    round_trip(&with_rest_of(INGRESS, &run.stdout), &report);
}

#[test]
fn output_dir_holds_one_file_per_object_and_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("migration");
    let out_arg = out.to_str().unwrap();
    let yaml = svcx(&["migrate-to-gateway", "--demo"]);
    let objects = documents(&yaml.stdout);
    let run = svcx(&["migrate-to-gateway", "--demo", "--output-dir", out_arg]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.is_empty(), "{run}");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), objects.len() + 1);
    assert_eq!(names.last().map(String::as_str), Some("MIGRATION.md"));
    let from_files: Vec<Value> = names[..objects.len()]
        .iter()
        .flat_map(|n| documents(&std::fs::read_to_string(out.join(n)).unwrap()))
        .collect();
    assert_eq!(
        from_files, objects,
        "the files hold what stdout would, in order"
    );
    let report = std::fs::read_to_string(out.join("MIGRATION.md")).unwrap();
    assert!(report.contains("`load-balancer-source-ranges`"), "{report}");
    // A second run never overwrites: it fails before writing anything.
    let before = std::fs::read_to_string(out.join(&names[0])).unwrap();
    let again = svcx(&[
        "migrate-to-gateway",
        "--demo",
        "--gateway-name",
        "other",
        "--output-dir",
        out_arg,
    ]);
    assert_eq!(again.code, 2, "{again}");
    // Refused before the report: no plan is printed for files not written.
    assert!(
        !again.stderr.contains("migrating") && again.stderr.contains("could not write"),
        "{again}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join(&names[0])).unwrap(),
        before
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), names.len());
}

#[test]
fn routes_attach_to_an_existing_gateway_and_missing_listeners_are_reported() {
    let args = [
        "--demo",
        "--existing-gateway",
        "infra/public",
        "--domain",
        "example.com",
        "shop/promo",
        "shop/checkout",
    ];
    let (objects, report) = migrate(&args);
    assert!(
        of_kind(&objects, "Gateway").is_empty(),
        "no Gateway is written"
    );
    assert_eq!(report["gateway"], "infra/public");
    assert_eq!(report["gateway_class"], "envoy");
    // promo's HTTP port fits the Gateway's `http` listener (port 80, *.example.com).
    let promo = named(&objects, "HTTPRoute", "promo-http").expect("promo's route");
    assert_eq!(
        promo["spec"]["parentRefs"],
        serde_json::json!([{"name": "public", "namespace": "infra", "sectionName": "http"}])
    );
    assert_eq!(
        named(&objects, "Service", "promo").unwrap()["spec"]["type"],
        "ClusterIP"
    );
    // checkout's port 8080 has no listener: none is added, the Service stays.
    assert!(has_note(
        &report,
        "listener-missing",
        "Gateway infra/public"
    ));
    assert!(has_note(&report, "service-kept", "Service shop/checkout"));
    assert!(named(&objects, "Service", "checkout").is_none());
    assert!(
        !has_note(&report, "fixed-node-ports", "Service shop/checkout"),
        "a Service kept as it is loses nothing"
    );
    let mut all = vec!["migrate-to-gateway"];
    all.extend_from_slice(&args);
    let (run, report) = stdout_of(&all);
    round_trip_among(
        &with_rest_of("src/source/demo.yaml", &run.stdout),
        &run.stdout,
        &report,
    );
}

fn backends(entries: &Value) -> std::collections::BTreeSet<String> {
    entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["backend"].as_str().unwrap().to_string())
        .collect()
}

/// Each host's ways in through the Ingresses are the Gateway's after, port
/// for port: ingress-nginx answers port 80 of a host with a certificate
/// with a redirect (`ssl-redirect`, on by default), which reaches no
/// backend, and forwards it where `ssl-redirect: "false"`, as the
/// fixture's `plain` Ingress says; the HTTP route that forwards is a way
/// in on port 80 after, as the HTTPS one is on 443.
#[test]
fn an_ingress_way_in_keeps_its_port_after() {
    let (_, report) = migrate(&["-f", INGRESS, "--gateway-class", "c"]);
    let ways = |side: &str| -> std::collections::BTreeSet<(String, String, String)> {
        report["exposure"][side]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| {
                let host = e["host"].as_str()?;
                let port = e["address"].as_str()?.rsplit(':').next()?;
                Some((
                    port.to_string(),
                    host.split('/').next()?.to_string(),
                    e["backend"].as_str()?.to_string(),
                ))
            })
            .collect()
    };
    let before = ways("before");
    assert!(before.contains(&(
        "80".into(),
        "plain.example.com".into(),
        "shop/web:8080".into()
    )));
    assert!(
        !before
            .iter()
            .any(|(p, h, _)| p == "80" && h == "shop.example.com"),
        "{before:?}"
    );
    assert_eq!(before, ways("after"));
}

#[test]
fn exposure_before_and_after_reach_the_same_backends() {
    let (_, report) = migrate(&["--demo"]);
    let exposure = &report["exposure"];
    assert_eq!(
        backends(&exposure["before"]),
        backends(&exposure["after"]),
        "nothing falls off"
    );
    let before: Vec<&str> = exposure["before"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["address"].as_str().unwrap())
        .collect();
    assert!(before.contains(&"203.0.113.10:80"), "{before:?}");
    assert!(before.contains(&"NODE:31080"), "{before:?}");
    assert!(
        before.contains(&"203.0.113.30:9090"),
        "externalIPs: {before:?}"
    );
    for e in exposure["after"].as_array().unwrap() {
        assert!(
            e["address"]
                .as_str()
                .unwrap()
                .starts_with("Gateway default/shared-gateway:"),
            "only the Gateway is reachable after: {e}"
        );
    }
    // A Service kept as it is stays reachable its own way.
    let (_, report) = migrate(&[
        "-f",
        KINDS,
        "--gateway-class",
        "c",
        "--domain",
        "example.com",
    ]);
    let after: Vec<String> = report["exposure"]["after"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} → {}",
                e["address"].as_str().unwrap(),
                e["backend"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        after.contains(&"(load balancer, no address yet):3868 → apps/edge:3868".to_string()),
        "{after:?}"
    );
}

#[test]
fn a_tls_secret_serves_http_routes_on_https_too() {
    let args = [
        "--demo",
        "--domain",
        "example.com",
        "--gateway-namespace",
        "infra",
        "--tls-secret",
        "shop/checkout=checkout-tls",
        "shop/checkout",
    ];
    let (objects, report) = migrate(&args);
    let route = named(&objects, "HTTPRoute", "checkout-http").expect("the route");
    let sections: Vec<&str> = route["spec"]["parentRefs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["sectionName"].as_str().unwrap())
        .collect();
    assert_eq!(sections.len(), 2, "HTTP and HTTPS: {sections:?}");
    let gw = &of_kind(&objects, "Gateway")[0];
    let https = gw["spec"]["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == sections[1])
        .expect("the HTTPS listener");
    assert_eq!(https["protocol"], "HTTPS");
    assert_eq!(https["port"], 443);
    assert_eq!(https["hostname"], "checkout.shop.example.com");
    assert_eq!(
        https["tls"]["certificateRefs"],
        serde_json::json!([{"name": "checkout-tls", "namespace": "shop"}])
    );
    // The Secret is in shop, the Gateway in infra: granted.
    let grant = &of_kind(&objects, "ReferenceGrant")[0];
    assert_eq!(grant["metadata"]["namespace"], "shop");
    assert_eq!(grant["spec"]["to"][0]["name"], "checkout-tls");
    assert_eq!(grant["spec"]["from"][0]["namespace"], "infra");
    let mut all = vec!["migrate-to-gateway"];
    all.extend_from_slice(&args);
    let (run, report2) = stdout_of(&all);
    assert_eq!(report2["routes"], report["routes"]);
    round_trip(&run.stdout, &report);
    // Without a hostname there is nothing to serve the certificate for.
    let (objects, report) = migrate(&[
        "--demo",
        "--tls-secret",
        "checkout=checkout-tls",
        "shop/checkout",
    ]);
    assert!(has_note(
        &report,
        "tls-secret-without-hostname",
        "Service shop/checkout"
    ));
    assert!(of_kind(&objects, "ReferenceGrant").is_empty());
}

#[test]
fn a_service_takes_the_host_its_ingress_serves_it_by() {
    let (objects, report) = migrate(&[
        "-f",
        "tests/fixtures/migrate/ingress-host.yaml",
        "--gateway-class",
        "c",
    ]);
    let route = named(&objects, "HTTPRoute", "app-http").expect("the Service's route");
    assert_eq!(
        route["spec"]["hostnames"],
        serde_json::json!(["app.example.com"])
    );
    // One listener for the host: the Ingress's route and the Service's share it.
    let gw = &of_kind(&objects, "Gateway")[0];
    assert_eq!(gw["spec"]["listeners"].as_array().unwrap().len(), 1, "{gw}");
    let ingress_route =
        named(&objects, "HTTPRoute", "app-app-example-com").expect("the Ingress's route");
    assert_eq!(
        ingress_route["spec"]["parentRefs"][0]["sectionName"],
        route["spec"]["parentRefs"][0]["sectionName"]
    );
    assert!(
        !codes(&report)
            .iter()
            .any(|(c, _)| c == "port-moved" || c == "no-hostname")
    );
}

const NGINX: &str = "tests/fixtures/migrate/nginx-annotations.yaml";

/// The migration of the ingress-nginx annotations fixture for a release.
fn nginx_at(release: &str) -> (Vec<Value>, Value) {
    migrate(&[
        "-f",
        NGINX,
        "--gateway-class",
        "c",
        "--gateway-api-version",
        release,
    ])
}

/// The filters of the first rule of a route, by type.
fn first_filter<'a>(route: &'a Value, ty: &str) -> Option<&'a Value> {
    route["spec"]["rules"][0]["filters"]
        .as_array()?
        .iter()
        .find(|f| f["type"] == ty)
}

/// Notes of code `ingress-annotation` on an Ingress that name `annotation`.
fn annotation_reported(report: &Value, ingress: &str, annotation: &str) -> bool {
    report["notes"].as_array().unwrap().iter().any(|n| {
        n["code"] == "ingress-annotation"
            && n["object"] == format!("Ingress {ingress}")
            && n["message"]
                .as_str()
                .is_some_and(|m| m.contains(&format!("nginx.ingress.kubernetes.io/{annotation}")))
    })
}

/// ingress-nginx annotations reference (kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/):
/// `permanent-redirect` answers 301 and `temporal-redirect` 302 unless their `-code` annotation says
/// otherwise. HTTPRoute's RequestRedirect `statusCode` enum is 301/302 in the CRDs before v1.5 and adds
/// 303/307/308 from v1.5 (../shared/gateway-api-crds, httproutes `requestRedirect.statusCode`).
#[test]
fn nginx_redirects_become_request_redirect_filters() {
    let (objects, report) = nginx_at("v1.6");
    let moved = named(&objects, "HTTPRoute", "moved-moved-example-com").expect("moved");
    assert_eq!(
        first_filter(moved, "RequestRedirect").unwrap()["requestRedirect"],
        serde_json::json!({
            "scheme": "https",
            "hostname": "www.example.com",
            "path": {"type": "ReplaceFullPath", "replaceFullPath": "/new"},
            "statusCode": 301
        })
    );
    assert!(
        moved["spec"]["rules"][0].get("backendRefs").is_none(),
        "a redirecting rule has no backend (a CEL rule)"
    );
    let temporary = named(&objects, "HTTPRoute", "temporary-temp-example-com").unwrap();
    let redirect = &first_filter(temporary, "RequestRedirect").unwrap()["requestRedirect"];
    assert_eq!(redirect["statusCode"], 307, "temporal-redirect-code");
    assert_eq!(redirect["port"], 8081);
    assert_eq!(redirect["scheme"], "http");
    assert!(!annotation_reported(
        &report,
        "shop/moved",
        "permanent-redirect"
    ));
    assert!(!annotation_reported(
        &report,
        "shop/temporary",
        "temporal-redirect-code"
    ));
    // v1.4's CRDs offer 301 and 302 only: the nearest is written, and said.
    let (objects, report) = nginx_at("v1.4");
    let temporary = named(&objects, "HTTPRoute", "temporary-temp-example-com").unwrap();
    assert_eq!(
        first_filter(temporary, "RequestRedirect").unwrap()["requestRedirect"]["statusCode"],
        302
    );
    assert!(annotation_reported(
        &report,
        "shop/temporary",
        "temporal-redirect"
    ));
}

/// ingress-nginx `app-root`: "redirects `/` to this path" (annotations reference), with a 302.
#[test]
fn nginx_app_root_redirects_the_root_only() {
    let (objects, report) = nginx_at("v1.6");
    let root = named(&objects, "HTTPRoute", "root-root-example-com").unwrap();
    let rules = root["spec"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 2);
    assert_eq!(
        rules[0]["matches"][0]["path"],
        serde_json::json!({"type": "Exact", "value": "/"})
    );
    assert_eq!(
        rules[0]["filters"][0]["requestRedirect"],
        serde_json::json!({"path": {"type": "ReplaceFullPath", "replaceFullPath": "/app"}, "statusCode": 302})
    );
    assert_eq!(
        rules[1]["backendRefs"][0]["name"], "web",
        "the rest is served"
    );
    assert!(!annotation_reported(&report, "shop/root", "app-root"));
}

/// ingress-nginx `upstream-vhost` sets the Host header sent upstream (annotations reference);
/// Gateway API's URLRewrite filter carries that as `hostname`, and allows one URLRewrite per rule.
#[test]
fn nginx_upstream_vhost_and_rewrite_share_one_url_rewrite() {
    let (objects, report) = nginx_at("v1.6");
    let vhost = named(&objects, "HTTPRoute", "vhost-vhost-example-com").unwrap();
    let filters = vhost["spec"]["rules"][0]["filters"].as_array().unwrap();
    assert_eq!(filters.len(), 1, "one URLRewrite per rule: {filters:?}");
    assert_eq!(
        filters[0]["urlRewrite"],
        serde_json::json!({
            "hostname": "internal.shop.svc",
            "path": {"type": "ReplaceFullPath", "replaceFullPath": "/"}
        })
    );
    assert!(!annotation_reported(
        &report,
        "shop/vhost",
        "upstream-vhost"
    ));
}

/// ingress-nginx `enable-cors` and `cors-allow-*` (annotations reference); HTTPRoute's `CORS` filter
/// (GEP-1767) is in the standard-channel CRDs from v1.5 (../shared/gateway-api-crds).
#[test]
fn nginx_cors_becomes_the_cors_filter_from_v1_5() {
    let (objects, report) = nginx_at("v1.5");
    let cors = named(&objects, "HTTPRoute", "cors-cors-example-com").unwrap();
    let filter = &first_filter(cors, "CORS").expect("a CORS filter")["cors"];
    assert_eq!(
        filter["allowOrigins"],
        serde_json::json!(["https://a.example.com", "https://b.example.com"])
    );
    assert_eq!(filter["allowMethods"], serde_json::json!(["GET", "POST"]));
    assert_eq!(filter["maxAge"], 600);
    // ingress-nginx's defaults for what the annotations leave out.
    assert_eq!(filter["allowCredentials"], true);
    assert!(
        filter["allowHeaders"]
            .as_array()
            .unwrap()
            .contains(&Value::from("Authorization"))
    );
    assert!(!annotation_reported(&report, "shop/cors", "enable-cors"));
    // v1.4 standard has no CORS filter: every CORS annotation is named.
    let (objects, report) = nginx_at("v1.4");
    let cors = named(&objects, "HTTPRoute", "cors-cors-example-com").unwrap();
    assert!(first_filter(cors, "CORS").is_none());
    for a in [
        "enable-cors",
        "cors-allow-origin",
        "cors-allow-methods",
        "cors-max-age",
    ] {
        assert!(annotation_reported(&report, "shop/cors", a), "{a}");
    }
}

/// ingress-nginx `use-regex` makes paths case-insensitive regular expressions matched as
/// prefixes (annotations reference, "Use Regex"); Gateway API's `RegularExpression` path match is
/// implementation-specific support (HTTPPathMatch in the API reference), so it is reported.
#[test]
fn nginx_regex_paths_become_regular_expression_matches() {
    let (objects, report) = nginx_at("v1.6");
    let regex = named(&objects, "HTTPRoute", "regex-regex-example-com").unwrap();
    assert_eq!(
        regex["spec"]["rules"][0]["matches"][0]["path"],
        serde_json::json!({"type": "RegularExpression", "value": "(?i)^/api/v[0-9]+.*"})
    );
    assert!(
        has_note(&report, "regex-path", "Ingress shop/regex"),
        "the implementation-specific match is said"
    );
}

/// ingress-nginx `backend-protocol: GRPC|GRPCS` proxies gRPC (annotations reference); GRPCRoute is
/// served as `gateway.networking.k8s.io/v1` from Gateway API v1.1.
#[test]
fn nginx_grpc_backends_become_grpcroutes() {
    let (objects, report) = nginx_at("v1.6");
    let grpc = named(&objects, "GRPCRoute", "grpc-grpc-example-com").expect("a GRPCRoute");
    let rules = grpc["spec"]["rules"].as_array().unwrap();
    assert_eq!(
        rules[0]["matches"][0]["method"],
        serde_json::json!({"type": "Exact", "service": "shop.Cart"})
    );
    assert!(
        rules[1].get("matches").is_none(),
        "`/` matches every method"
    );
    assert_eq!(
        rules[1]["backendRefs"][0],
        serde_json::json!({"name": "cart", "port": 9000})
    );
    assert_eq!(
        rules.len(),
        2,
        "a path naming no gRPC service is not guessed"
    );
    assert!(has_note(
        &report,
        "implementation-specific-path",
        "Ingress shop/grpc"
    ));
    assert!(named(&objects, "HTTPRoute", "grpc-grpc-example-com").is_none());
    let gateway = of_kind(&objects, "Gateway")[0];
    let listener = gateway["spec"]["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["hostname"] == "grpc.example.com")
        .unwrap();
    assert_eq!(listener["allowedRoutes"]["kinds"][0]["kind"], "GRPCRoute");
    // v1.0 standard serves no GRPCRoute: an HTTPRoute, and the annotation named.
    let (objects, report) = nginx_at("v1.0");
    assert!(named(&objects, "HTTPRoute", "grpc-grpc-example-com").is_some());
    assert!(annotation_reported(
        &report,
        "shop/grpc",
        "backend-protocol"
    ));
}

#[test]
fn nginx_annotations_gateway_api_cannot_express_are_named() {
    let (_, report) = nginx_at("v1.6");
    for a in [
        "proxy-body-size",
        "whitelist-source-range",
        "limit-rps",
        "auth-url",
    ] {
        assert!(annotation_reported(&report, "shop/limits", a), "{a}");
    }
    let instead: Vec<&str> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["object"] == "Ingress shop/limits" && n["code"] == "ingress-annotation")
        .filter_map(|n| n["instead"].as_str())
        .collect();
    assert_eq!(instead.len(), 4);
    assert!(
        instead.iter().all(|i| !i.contains("or drop it")),
        "each says what to use instead: {instead:?}"
    );
}

#[test]
fn round_trip_nginx_annotations() {
    let (run, report) = stdout_of(&["migrate-to-gateway", "-f", NGINX, "--gateway-class", "c"]);
    round_trip(&with_rest_of(NGINX, &run.stdout), &report);
}

/// Two load balancers both served port 80 with no hostname: one Gateway
/// cannot, so one of them moves, and its clients are told where to go
/// (never silent); with --domain both keep port 80, by hostname.
#[test]
fn a_port_taken_without_hostnames_moves_and_its_clients_are_told() {
    let (_, report) = migrate(&["--demo"]);
    let line = |report: &Value, service: &str, port: i64| {
        report["routes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["service"] == service && l["port"] == port)
            .cloned()
            .unwrap_or_else(|| panic!("{service}:{port} routed"))
    };
    assert_eq!(line(&report, "shop/promo", 80)["listener_port"], 80);
    assert_eq!(line(&report, "shop/storefront", 80)["listener_port"], 81);
    let moved: Vec<&Value> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["code"] == "port-moved")
        .collect();
    let http = moved
        .iter()
        .find(|n| n["object"] == "Service shop/storefront" && n["port"] == "http")
        .expect("the move of storefront's port 80 is reported");
    let message = http["message"].as_str().unwrap();
    assert!(
        message.contains("203.0.113.10:80") && message.contains("port 81"),
        "names the clients' old address and the new port: {message}"
    );
    // With hostnames, HTTP routes share port 80: nothing moves.
    let (_, report) = migrate(&["--demo", "--domain", "example.com"]);
    assert_eq!(line(&report, "shop/storefront", 80)["listener_port"], 80);
    assert_eq!(line(&report, "shop/promo", 80)["listener_port"], 80);
    assert!(
        !codes(&report)
            .iter()
            .any(|(c, o)| c == "port-moved" && o == "Service shop/storefront"),
        "{report}"
    );
}

/// An ingress2gateway output file as YAML documents: two of the nginx
/// provider's begin with its CLI notification box, before the first
/// `apiVersion:`.
fn their_output(rel: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(root().join(corpus(rel))).expect("the expected output");
    let start = text.find("apiVersion:").unwrap_or(0);
    documents(&text[start..])
}

/// A difference between ingress2gateway's standard emitter and svcx, each
/// explained in docs/ingress2gateway.md under the same name.
#[derive(Clone, Copy, Debug)]
enum Difference {
    /// An nginx.org or Traefik annotation ingress2gateway turns into this
    /// filter; svcx reports the annotation instead.
    FilterNotCarried(&'static str),
    /// `nginx.org/grpc-services`: a GRPCRoute there, an HTTPRoute rule for
    /// the same path in svcx (which reports the annotation).
    GrpcServicesAsHttp,
    /// A TLS host of an nginx controller: port 80 redirects to https in
    /// svcx (the controller's ssl-redirect default); ingress2gateway serves
    /// both ports.
    HttpsRedirect,
    /// `nginx.org/listen-ports*` and Traefik's `websecure` entry point:
    /// other Gateway ports there; svcx serves port 80 and reports the
    /// annotation (and invents no certificate Secret).
    OnPort80,
    /// An annotation value NGINX Inc's controller refuses
    /// (`nginx.org/path-regex: "true"`; its allowed values are
    /// `case_sensitive`, `case_insensitive` and `exact`): the Ingress is
    /// not served, so svcx writes no route for it and says so;
    /// ingress2gateway converts it.
    Refused,
}

/// ingress2gateway's standard emitter (its nginx.org and Traefik
/// providers' test data) against svcx on the same Ingresses: after the
/// documented differences of each case are applied to ingress2gateway's
/// rules, the rules are the same.
#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus beside the repository"
)]
fn ingresses_convert_as_the_standard_emitter_does() {
    use Difference::*;
    const NGINX: &str = "kubernetes-sigs-ingress2gateway--nginx";
    const TRAEFIK: &str = "kubernetes-sigs-ingress2gateway--traefik-pr400";
    let cases: &[(&str, &str, &[Difference])] = &[
        (NGINX, "nginx-grpc-services", &[GrpcServicesAsHttp]),
        (
            NGINX,
            "nginx-hsts",
            &[FilterNotCarried("ResponseHeaderModifier"), HttpsRedirect],
        ),
        (NGINX, "nginx-listen-ports", &[OnPort80]),
        (NGINX, "nginx-path-regex", &[Refused]),
        (
            NGINX,
            "nginx-proxy-hide-headers",
            &[FilterNotCarried("ResponseHeaderModifier")],
        ),
        (
            NGINX,
            "nginx-proxy-set-headers",
            &[FilterNotCarried("RequestHeaderModifier")],
        ),
        (NGINX, "nginx-rewrite", &[FilterNotCarried("rewrite")]),
        (NGINX, "nginx-ssl-redirect", &[]),
        (NGINX, "nginx-ssl-services", &[]),
        (TRAEFIK, "1-router-tls-websecure", &[OnPort80]),
        (TRAEFIK, "2-router-tls-web", &[]),
        (TRAEFIK, "3-unknown-annotation", &[]),
    ];
    for (dir, case, differences) in cases {
        let input = corpus(&format!("ingress2gateway/{dir}/input/{case}.yaml"))
            .display()
            .to_string();
        let their_objects = their_output(&format!("ingress2gateway/{dir}/output/{case}.yaml"));
        let mut theirs = route_rules(&their_objects);
        let (ours, report) = migrate(&[
            "-f",
            &input,
            "--gateway-class",
            "c",
            "--gateway-api-version",
            "v1.6",
        ]);
        let mut ours = route_rules(&ours);
        let annotations_reported = codes(&report)
            .iter()
            .filter(|(c, _)| c == "ingress-annotation")
            .count();
        for d in *differences {
            match d {
                FilterNotCarried(prefix) => {
                    for r in &mut theirs {
                        assert!(r.5.starts_with(prefix), "{case}: {r:?}");
                        r.5.clear();
                    }
                    assert!(annotations_reported > 0, "{case}: the annotation is named");
                }
                GrpcServicesAsHttp => {
                    for route in of_kind(&their_objects, "GRPCRoute") {
                        for rule in route["spec"]["rules"].as_array().unwrap() {
                            let m = &rule["matches"][0]["method"];
                            theirs.push((
                                80,
                                vec![route["spec"]["hostnames"][0].as_str().unwrap().to_string()],
                                "PathPrefix".into(),
                                format!(
                                    "/{}/{}",
                                    m["service"].as_str().unwrap(),
                                    m["method"].as_str().unwrap()
                                ),
                                vec![(
                                    rule["backendRefs"][0]["name"].as_str().unwrap().to_string(),
                                    rule["backendRefs"][0]["port"].as_i64().unwrap(),
                                )],
                                String::new(),
                            ));
                        }
                    }
                    assert!(annotations_reported > 0, "{case}: the annotation is named");
                }
                HttpsRedirect => {
                    for r in theirs.iter_mut().filter(|r| r.0 == 80) {
                        r.4.clear();
                        r.5 = "redirect https 301".into();
                    }
                }
                OnPort80 => {
                    for r in &mut theirs {
                        r.0 = 80;
                    }
                    assert!(annotations_reported > 0, "{case}: the annotation is named");
                }
                Refused => {
                    assert!(ours.is_empty(), "{case}: {ours:?}");
                    theirs.clear();
                    assert!(has_note(
                        &report,
                        "ingress-path-ignored",
                        "Ingress default/test-path-regex"
                    ));
                }
            }
        }
        theirs.sort();
        theirs.dedup();
        ours.sort();
        let refused = differences.iter().any(|d| matches!(d, Refused));
        assert!(refused || !ours.is_empty(), "{case}");
        assert_eq!(ours, theirs, "{case}");
    }
}

/// A Service whose port numbers the API server refuses (SVC210) is left
/// out: its ports would become listener and backendRef ports that the
/// Gateway API CRDs refuse in turn (`PortNumber`: minimum 1, maximum
/// 65535). The others still move.
#[test]
fn a_refused_service_is_left_out() {
    let (objects, report) = migrate(&[
        "--gateway-class",
        "eg",
        "-f",
        "tests/fixtures/hostile/ports-out-of-range.yaml",
        "-f",
        "tests/fixtures/lint/SVC206/clean.yaml",
    ]);
    assert!(has_note(
        &report,
        "refused-service",
        "Service default/ports"
    ));
    assert_eq!(report["services"], serde_json::json!(["shop/web"]));
    for port in objects
        .iter()
        .flat_map(|o| {
            o["spec"]["listeners"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .map(|l| l["port"].as_i64().unwrap())
    {
        assert!((1..=65535).contains(&port), "listener port {port}");
    }
}
