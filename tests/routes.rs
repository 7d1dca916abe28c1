//! Every route and Ingress in the corpus (../shared/corpus), resolved and
//! snapshotted in a compact form a reviewer can read: for each Gateway its
//! listeners and findings, for each route its parents (the listeners that
//! admit it), its rules with their backends, and its findings with code,
//! severity, field and message; for each Ingress its class and paths. The
//! snapshots were read for false findings (see the comments below on what
//! is expected); a changed one must be read again.
//!
//! The per-rule semantics are tested on small fixtures in tests/semantics.rs.

use crate::common;

use common::{corpus, root, settings};
use serde::Serialize;
use svcx::Finding;
use svcx::RouteIndex;
use svcx::Scope;

#[derive(Serialize)]
struct Summary {
    gateways: Vec<GatewaySummary>,
    routes: Vec<RouteSummary>,
    ingresses: Vec<IngressSummary>,
}

#[derive(Serialize)]
struct GatewaySummary {
    gateway: String,
    address: String,
    listeners: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    findings: Vec<String>,
}

#[derive(Serialize)]
struct RouteSummary {
    route: String,
    parents: Vec<String>,
    rules: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    status: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    findings: Vec<String>,
}

#[derive(Serialize)]
struct IngressSummary {
    ingress: String,
    class: String,
    paths: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    findings: Vec<String>,
}

fn finding(f: &Finding) -> String {
    format!(
        "{} {} {}: {}",
        f.code,
        f.severity.word(),
        f.field.as_deref().unwrap_or("-"),
        f.message
    )
}

/// The compact, reviewable form of everything the model resolved.
fn summarize(ix: &RouteIndex) -> Summary {
    let gateways = ix
        .gateways
        .iter()
        .map(|g| GatewaySummary {
            gateway: g.full_name(),
            address: format!("{:?} {:?}", g.addresses.state, g.addresses.assigned),
            listeners: g
                .listeners
                .iter()
                .map(|l| {
                    format!(
                        "{} {} {}{} from {:?}{} kinds {}: {} attached",
                        l.name,
                        l.protocol,
                        l.port,
                        l.hostname
                            .as_ref()
                            .map(|h| format!(" {h}"))
                            .unwrap_or_default(),
                        l.allowed_routes.from,
                        l.allowed_routes
                            .selector
                            .as_ref()
                            .map(|s| format!(" {s}"))
                            .unwrap_or_default(),
                        l.allowed_routes.kinds.join(","),
                        l.attached.len()
                    )
                })
                .collect(),
            findings: g.findings.iter().map(finding).collect(),
        })
        .collect();
    let routes = ix
        .routes
        .iter()
        .map(|r| RouteSummary {
            route: format!("{} {}/{}", r.kind.kind(), r.namespace, r.name),
            parents: r
                .parents
                .iter()
                .map(|p| {
                    let on: Vec<String> = p
                        .listeners
                        .iter()
                        .map(|l| {
                            if l.hostnames.is_empty() {
                                l.name.clone()
                            } else {
                                format!("{} ({})", l.name, l.hostnames.join(", "))
                            }
                        })
                        .collect();
                    format!(
                        "{} {}: {}",
                        p.kind,
                        p.gateway,
                        if on.is_empty() {
                            "not attached".to_string()
                        } else {
                            on.join(", ")
                        }
                    )
                })
                .collect(),
            rules: r
                .rules
                .iter()
                .map(|rule| {
                    let to: Vec<String> = rule
                        .backends
                        .iter()
                        .map(|b| {
                            format!(
                                "{} {}/{}:{} w{} {}",
                                b.kind,
                                b.namespace,
                                b.name,
                                b.port.map_or("-".to_string(), |p| p.to_string()),
                                b.weight,
                                if b.resolved() {
                                    "resolves"
                                } else {
                                    "unresolved"
                                }
                            )
                        })
                        .collect();
                    format!(
                        "{} [{}] -> {}",
                        rule.matches.join(" | "),
                        rule.filters.join(","),
                        if to.is_empty() {
                            "(no backend)".to_string()
                        } else {
                            to.join(", ")
                        }
                    )
                })
                .collect(),
            status: r
                .parents
                .iter()
                .filter_map(|p| {
                    let s = p.status.as_ref()?;
                    let c = |c: &Option<svcx::ConditionView>| {
                        c.as_ref()
                            .map_or("-".to_string(), |c| format!("{}/{}", c.status, c.reason))
                    };
                    Some(format!(
                        "{}: Accepted {} ResolvedRefs {} agrees {}",
                        p.gateway,
                        c(&s.accepted),
                        c(&s.resolved_refs),
                        s.agrees
                    ))
                })
                .collect(),
            findings: r.all_findings().map(finding).collect(),
        })
        .collect();
    let ingresses = ix
        .ingresses
        .iter()
        .map(|i| IngressSummary {
            ingress: format!("{}/{}", i.namespace, i.name),
            class: format!(
                "{} ({:?}){}",
                i.class.as_deref().unwrap_or("-"),
                i.class_source,
                i.controller
                    .as_ref()
                    .map(|c| format!(" controller {c}"))
                    .unwrap_or_default()
            ),
            paths: i
                .paths
                .iter()
                .map(|p| {
                    format!(
                        "{} {}{} -> {}:{} {}",
                        p.host.as_deref().unwrap_or("*"),
                        p.matches.join(" | "),
                        if p.tls { " (tls)" } else { "" },
                        p.service.as_deref().unwrap_or("-"),
                        p.port.as_deref().unwrap_or("-"),
                        if p.port_index.is_some() {
                            "resolves"
                        } else {
                            "unresolved"
                        }
                    )
                })
                .collect(),
            findings: i
                .findings
                .iter()
                .chain(i.paths.iter().flat_map(|p| p.findings.iter()))
                .map(finding)
                .collect(),
        })
        .collect();
    Summary {
        gateways,
        routes,
        ingresses,
    }
}

fn resolved(files: &[&str]) -> RouteIndex {
    let paths: Vec<std::path::PathBuf> = files.iter().map(|f| root().join(corpus(f))).collect();
    let snap = svcx::files::load(&paths, Scope::AllNamespaces, None).expect("corpus loads");
    RouteIndex::build(&snap)
}

/// Every file in corpus/manifests that holds a route or an Ingress, with the
/// Services it routes to where the corpus has them. Reviewed:
/// - the Gateway API examples name Services that are not in the example:
///   SVC506 warnings ("not in the input"), never errors; their Gateways have
///   no status: addresses not created yet, never pending;
/// - cross-namespace-routing's Selector is answered from the Namespaces in
///   the same file: all three routes attach;
/// - standard-selected: `foo-route` has no parentRefs (SVC515) and the
///   ReferenceGrant example is not referenced; TCPRoute v1 attaches to TCP;
/// - bookinfo: the HTTPRoute and the Ingress both reach productpage:9080,
///   with no finding;
/// - conformance: every route to an infra backend attaches to
///   `same-namespace`;
/// - istio's kube-gateway testdata has InferencePool backends (SVC512,
///   info) and cross-namespace references without ReferenceGrants in the
///   input (SVC508 warnings);
/// - kube-score's negative cases are findings (SVC509/SVC510), as kube-score
///   finds them.
#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus beside the repository"
)]
fn corpus_routes_resolve() {
    let cases: &[(&str, &[&str])] = &[
        (
            "gateway_api_simple_http_https",
            &["manifests/kubernetes-sigs-gateway-api--examples-simple-http-https.yaml"],
        ),
        (
            "gateway_api_cross_namespace_routing",
            &["manifests/kubernetes-sigs-gateway-api--examples-cross-namespace-routing.yaml"],
        ),
        (
            "gateway_api_standard_selected",
            &["manifests/kubernetes-sigs-gateway-api--examples-standard-selected.yaml"],
        ),
        (
            "bookinfo_gateway_api_and_ingress",
            &[
                "manifests/istio-istio--bookinfo.yaml",
                "manifests/istio-istio--bookinfo-gateway-api.yaml",
                "manifests/istio-istio--bookinfo-ingress.yaml",
            ],
        ),
        (
            "gateway_api_conformance",
            &[
                "manifests/kubernetes-sigs-gateway-api--conformance-base-manifests.yaml",
                "manifests/kubernetes-sigs-gateway-api--conformance-httproute-service-types.yaml",
            ],
        ),
        (
            "istio_kube_gateway_http",
            &[
                "manifests/istio-istio--kube-gateway-testdata-http.yaml",
                "live/istio-istio--kube-gateway-testdata-http.status.yaml",
            ],
        ),
        (
            "microservices_demo_istio",
            &[
                "manifests/GoogleCloudPlatform-microservices-demo--kubernetes-manifests.yaml",
                "manifests/GoogleCloudPlatform-microservices-demo--istio-manifests.yaml",
            ],
        ),
        (
            "ingress_nginx_multi_tls",
            &["manifests/kubernetes-ingress-nginx--docs-multi-tls.yaml"],
        ),
        (
            "kube_score_ingress",
            &[
                "manifests/zegl-kube-score--ingress-networkingv1-targets-service-no-match.yaml",
                "manifests/zegl-kube-score--ingress-v1-invalid-backend.yaml",
            ],
        ),
        (
            "argo_gateway_status_live",
            &["live/argoproj-argo-cd--gateway-api-status-samples.yaml"],
        ),
    ];
    for (name, files) in cases {
        let ix = resolved(files);
        assert!(
            !ix.routes.is_empty() || !ix.ingresses.is_empty(),
            "{name}: no route read"
        );
        // From files, nothing missing is ever called absent for sure.
        for f in ix.findings() {
            if matches!(f.code.code(), "SVC501" | "SVC506" | "SVC508" | "SVC509")
                && !f.message.contains("names neither")
            {
                assert_eq!(f.severity.word(), "warning", "{name}: {}", finding(f));
            }
        }
        settings().bind(|| insta::assert_yaml_snapshot!(format!("corpus_{name}"), summarize(&ix)));
    }
}

/// Every file of corpus/manifests that holds a route or an Ingress is in
/// the list above, so none goes unreviewed.
#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus beside the repository"
)]
fn every_corpus_route_file_is_reviewed() {
    let mut with_routes = Vec::new();
    for entry in std::fs::read_dir(root().join(corpus("manifests"))).expect("corpus") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let kinds = [
            "kind: HTTPRoute",
            "kind: GRPCRoute",
            "kind: TLSRoute",
            "kind: TCPRoute",
            "kind: UDPRoute",
            "kind: Ingress\n",
        ];
        if kinds.iter().any(|k| text.contains(k)) {
            with_routes.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    with_routes.sort();
    let source = std::fs::read_to_string(root().join("tests/routes.rs")).unwrap();
    for f in &with_routes {
        assert!(
            source.contains(f.as_str()),
            "{f} holds routes and is not reviewed here"
        );
    }
    assert!(with_routes.len() >= 10, "{with_routes:?}");
}
