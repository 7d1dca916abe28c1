//! `svcx migrate-to-gateway` routes every request as the Ingress controller
//! did, and proves it: one test per routing fact of the implementations,
//! each on a fixture written as the controller's users write it (the
//! official examples under tests/fixtures/routing/, SOURCES.md), asserting
//! the objects written and the request table of the report
//! (`report.requests[]`: request, before, after, same).
//!
//! ingress-nginx facts are cited at tag controller-v1.15.1 (commit
//! 0a5901f3c64f11e92e487799b8da3f00cca37515), Gateway API at v1.6.1
//! (8bb74df00e56ec8f944d48c25e6c1c9c2f6848e3), ingress-gce at acbcf5d66dd9.

use crate::common;

use common::{json_out, root, svcx};
use serde_json::Value;

fn fixture(name: &str) -> String {
    root()
        .join("tests/fixtures/routing")
        .join(name)
        .display()
        .to_string()
}

/// A migration of the fixtures at Gateway API `version`: (objects, report).
fn migrate(files: &[&str], version: &str, extra: &[&str]) -> (Vec<Value>, Value) {
    let paths: Vec<String> = files.iter().map(|f| fixture(f)).collect();
    let mut args = vec![
        "migrate-to-gateway",
        "--gateway-api-version",
        version,
        "-o",
        "json",
    ];
    if !extra.contains(&"--existing-gateway") {
        args.extend(["--gateway-class", "eg"]);
    }
    for p in &paths {
        args.extend(["-f", p.as_str()]);
    }
    args.extend_from_slice(extra);
    let run = svcx(&args);
    assert_eq!(run.code, 0, "{run}");
    let doc = json_out(&run);
    let objects = doc["objects"].as_array().expect("objects").clone();
    (objects, doc["report"].clone())
}

/// A migration of an official example edited as a user would edit it
/// (`from` replaced by `to` once, which must be there), with the files
/// `with`, at v1.6.
fn migrate_edited(
    file: &std::path::Path,
    from: &str,
    to: &str,
    with: &[&str],
) -> (Vec<Value>, Value) {
    let text = std::fs::read_to_string(file).unwrap();
    let edited = text.replacen(from, to, 1);
    assert_ne!(text, edited, "{}: `{from}` is not there", file.display());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file.file_name().unwrap());
    std::fs::write(&path, edited).unwrap();
    let mut files = with.to_vec();
    files.push(path.to_str().unwrap());
    migrate(&files, "v1.6", &[])
}

/// The request of the table with this scheme, host, path and headers.
fn request<'a>(report: &'a Value, url: &str, headers: &[(&str, &str)]) -> &'a Value {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    report["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .find(|r| {
            let q = &r["request"];
            let want: serde_json::Map<String, Value> = headers
                .iter()
                .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                .collect();
            q["scheme"] == scheme
                && q["host"] == host
                && q["path"] == path
                && q.get("headers")
                    .cloned()
                    .unwrap_or_else(|| Value::Object(Default::default()))
                    == Value::Object(want)
        })
        .unwrap_or_else(|| panic!("no request {url} {headers:?} in {}", report["requests"]))
}

/// An answer as `(outcome, [(backend, weight)])`, or the status for a
/// redirect or a response.
fn answer(side: &Value) -> (String, Vec<(String, u64)>) {
    let outcome = side["outcome"].as_str().expect("outcome").to_string();
    let mut backends: Vec<(String, u64)> = side["backends"]
        .as_array()
        .map(|b| {
            b.iter()
                .map(|s| {
                    (
                        s["backend"].as_str().unwrap().to_string(),
                        s["weight"].as_u64().unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    backends.sort();
    if let Some(status) = side.get("status") {
        backends.push((status.to_string(), 0));
    }
    (outcome, backends)
}

fn forward(shares: &[(&str, u64)]) -> (String, Vec<(String, u64)>) {
    let mut b: Vec<(String, u64)> = shares.iter().map(|(s, w)| (s.to_string(), *w)).collect();
    b.sort();
    ("forward".into(), b)
}

/// A rule's header value (if it matches one) and its backends with weights.
type HeaderRule = (Option<String>, Vec<(String, Option<i64>)>);

fn named<'a>(objects: &'a [Value], kind: &str, name: &str) -> &'a Value {
    objects
        .iter()
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

/// The protocols of the written Gateway's listeners, each once, sorted.
fn listener_protocols(objects: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = named(objects, "Gateway", "shared-gateway")["spec"]["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["protocol"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn of_kind<'a>(objects: &'a [Value], kind: &str) -> Vec<&'a Value> {
    objects.iter().filter(|o| o["kind"] == kind).collect()
}

/// Notes of a code, as `(object, message)`.
fn notes<'a>(report: &'a Value, code: &str) -> Vec<(&'a str, &'a str)> {
    report["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter(|n| n["code"] == code)
        .map(|n| {
            (
                n["object"].as_str().unwrap(),
                n["message"].as_str().unwrap(),
            )
        })
        .collect()
}

/// Every request answered differently is a `routing-differs` note, and no
/// other request is.
fn differences_are_notes(report: &Value) -> usize {
    let differ: Vec<&Value> = report["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["same"] == false)
        .collect();
    let said = notes(report, "routing-differs");
    assert_eq!(differ.len(), said.len(), "{}", report["notes"]);
    differ.len()
}

/// A canary Ingress (`canary-weight: "50"`, ingress-nginx's canary example,
/// docs/examples/canary/README.md) creates no location of its own: it is the
/// alternative backend of the main Ingress's location with the same host,
/// path and type (`mergeAlternativeBackends`, controller.go:1610-1715), and
/// the balancer sends it `weight` out of 100 (balancer.lua:268-275). One
/// rule with weighted backendRefs, not a second route with the same match
/// (which Gateway API would break by age).
#[test]
fn a_canary_weight_is_a_weighted_backend_of_its_main_rule() {
    let (objects, report) = migrate(
        &[
            "ingress-nginx-canary-production-ingress.yaml",
            "ingress-nginx-canary-weight-ingress.yaml",
        ],
        "v1.6",
        &["--gateway-namespace", "default"],
    );
    let routes = of_kind(&objects, "HTTPRoute");
    assert_eq!(routes.len(), 1, "{routes:?}");
    let refs = &routes[0]["spec"]["rules"][0]["backendRefs"];
    assert_eq!(
        refs,
        &serde_json::json!([
            {"name": "production", "port": 80, "weight": 50},
            {"name": "canary", "port": 80, "weight": 50}
        ])
    );
    let r = request(&report, "http://echo.prod.mydomain.com/", &[]);
    assert_eq!(
        answer(&r["before"]),
        forward(&[("default/production:80", 50), ("default/canary:80", 50)])
    );
    assert_eq!(r["same"], true);
    assert_eq!(differences_are_notes(&report), 0);
}

/// Without its main Ingress, a canary is dropped ("unable to find real
/// backend for alternative backend ... Deleting.", controller.go:1709-1712):
/// it serves nothing, so nothing is written for it, and the report says so.
#[test]
fn a_canary_alone_serves_nothing_and_is_not_written() {
    let (objects, report) = migrate(&["ingress-nginx-canary-weight-ingress.yaml"], "v1.6", &[]);
    assert!(objects.is_empty(), "{objects:?}");
    assert_eq!(notes(&report, "ingress-path-ignored").len(), 1);
    // Its host's requests got the controller's 404 before, and still do.
    let requests = report["requests"].as_array().unwrap();
    assert!(!requests.is_empty());
    for r in requests {
        assert_eq!(r["before"]["outcome"], "no-route", "{r}");
        assert_eq!(r["same"], true, "{r}");
    }
    // And trace finds nothing serving its host: the canary is no route.
    let run = svcx(&[
        "trace",
        "echo.prod.mydomain.com/",
        "-f",
        &fixture("ingress-nginx-canary-weight-ingress.yaml"),
    ]);
    assert_eq!(run.code, 2, "{run}");
}

/// canary-by-header (balancer.lua:232-256): `always` sends to the canary,
/// `never` to the main backend without looking at the weight, any other
/// value falls through to the weight; with canary-by-header-value only that
/// value selects the canary. Written as header-matched rules (more header
/// matches win in Gateway API, httproute_types.go:184-207), the weight on
/// the rule without headers; every request routes as before.
#[test]
fn canary_headers_become_header_matches() {
    let (objects, report) = migrate(&["canary-header.yaml"], "v1.6", &[]);
    let shop = named(&objects, "HTTPRoute", "production-shop-example-com");
    let rules = shop["spec"]["rules"].as_array().unwrap();
    let header_of = |r: &Value| {
        r["matches"][0]["headers"][0]["value"]
            .as_str()
            .map(String::from)
    };
    let to = |r: &Value| {
        r["backendRefs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b["name"].as_str().unwrap().to_string(),
                    b["weight"].as_i64(),
                )
            })
            .collect::<Vec<_>>()
    };
    let by_header: Vec<HeaderRule> = rules.iter().map(|r| (header_of(r), to(r))).collect();
    assert_eq!(
        by_header,
        [
            (Some("always".into()), vec![("canary".into(), None)]),
            (Some("never".into()), vec![("production".into(), None)]),
            (
                None,
                vec![("production".into(), Some(90)), ("canary".into(), Some(10))]
            ),
        ]
    );
    let always = request(
        &report,
        "http://shop.example.com/",
        &[("x-canary", "always")],
    );
    assert_eq!(answer(&always["before"]), forward(&[("shop/canary:80", 1)]));
    let other = request(&report, "http://shop.example.com/", &[("x-canary", "svcx")]);
    assert_eq!(
        answer(&other["before"]),
        forward(&[("shop/production:80", 90), ("shop/canary:80", 10)])
    );
    let value = request(
        &report,
        "http://beta.example.com/",
        &[("x-region", "eu-west")],
    );
    assert_eq!(
        answer(&value["before"]),
        forward(&[("shop/beta-canary:80", 1)])
    );
    // With -value, "always" is just another value: the main backend.
    let not_value = request(
        &report,
        "http://beta.example.com/",
        &[("x-region", "always")],
    );
    assert_eq!(
        answer(&not_value["before"]),
        forward(&[("shop/beta:80", 1)])
    );
    assert_eq!(differences_are_notes(&report), 0);
}

/// canary-by-cookie has no Gateway API form (HTTPRoute matches paths,
/// headers, query parameters and methods): the requests that carry the
/// cookie are routed differently, and both the rule and the requests say so.
#[test]
fn a_canary_cookie_cannot_be_carried_and_its_requests_are_listed() {
    let (_, report) = migrate(&["canary-cookie.yaml"], "v1.6", &[]);
    assert_eq!(notes(&report, "canary-not-carried").len(), 1);
    let r = request(
        &report,
        "http://shop.example.com/",
        &[("cookie", "use_canary=always")],
    );
    assert_eq!(answer(&r["before"]), forward(&[("shop/canary:80", 1)]));
    assert_eq!(answer(&r["after"]), forward(&[("shop/production:80", 1)]));
    assert_eq!(r["same"], false);
    assert_eq!(differences_are_notes(&report), 1);
}

/// ingress-nginx builds one server per host from every Ingress of its
/// class (createServers, controller.go:1269-1532); the first Ingress with
/// TLS for the host gives its certificate (:1448-1462), which then serves
/// every path of the host, and ssl-redirect (default true, config.go:873)
/// redirects every location of a host that has a certificate
/// (lua_ingress.lua:65-79, certificate.lua:217-223) with
/// http-redirect-code (308, config.go:800). So the API's paths, whose
/// Ingress has no TLS, are served on 443 and redirected on 80.
#[test]
fn one_ingress_certificate_serves_and_redirects_every_path_of_its_host() {
    let (objects, report) = migrate(&["tls-shared-host.yaml"], "v1.6", &[]);
    let https = named(&objects, "HTTPRoute", "api-shop-example-com");
    let paths: Vec<&str> = https["spec"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["matches"][0]["path"]["value"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["/api", "/"]);
    let redirect = named(&objects, "HTTPRoute", "api-shop-example-com-http-redirect");
    for rule in redirect["spec"]["rules"].as_array().unwrap() {
        assert_eq!(rule["filters"][0]["requestRedirect"]["statusCode"], 308);
    }
    let api = request(&report, "http://shop.example.com/api", &[]);
    assert_eq!(answer(&api["before"]).0, "redirect");
    assert_eq!(api["before"]["status"], 308);
    assert_eq!(api["same"], true);
    let api_tls = request(&report, "https://shop.example.com/api", &[]);
    assert_eq!(answer(&api_tls["after"]), forward(&[("shop/api:8080", 1)]));
    assert_eq!(differences_are_notes(&report), 0);
    // Port 80 answers with the redirect, so it is no way in to a backend,
    // before or after.
    for side in ["before", "after"] {
        let ports: Vec<&str> = report["exposure"][side]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["address"].as_str().unwrap().rsplit(':').next().unwrap())
            .collect();
        assert!(!ports.is_empty(), "{side}");
        assert!(ports.iter().all(|p| *p == "443"), "{side}: {ports:?}");
    }
}

/// Before Gateway API v1.5 the RequestRedirect filter offers 301 and 302
/// only (the HTTPRoute CRD's statusCode enum; 303, 307 and 308 arrive in
/// v1.5.1, /work/shared/gateway-api-crds): the 308 of ingress-nginx's TLS
/// example (docs/examples/tls-termination) becomes 301, said once, and the
/// check reports the requests whose status changed.
#[test]
fn a_308_redirect_is_kept_from_v1_5_and_reported_before() {
    let (objects, report) = migrate(&["ingress-nginx-tls-termination-ingress.yaml"], "v1.4", &[]);
    assert_eq!(notes(&report, "redirect-status-changed").len(), 1);
    let redirect = of_kind(&objects, "HTTPRoute")
        .into_iter()
        .find(|r| {
            r["metadata"]["name"]
                .as_str()
                .unwrap()
                .ends_with("-http-redirect")
        })
        .expect("the redirect route");
    assert_eq!(
        redirect["spec"]["rules"][0]["filters"][0]["requestRedirect"]["statusCode"],
        301
    );
    let r = request(&report, "http://foo.bar.com/", &[]);
    assert_eq!(
        (
            r["before"]["status"].as_u64(),
            r["after"]["status"].as_u64()
        ),
        (Some(308), Some(301))
    );
    assert_eq!(r["same"], false);
    assert!(differences_are_notes(&report) > 0);
    let (_, report) = migrate(&["ingress-nginx-tls-termination-ingress.yaml"], "v1.6", &[]);
    assert!(notes(&report, "redirect-status-changed").is_empty());
    assert_eq!(request(&report, "http://foo.bar.com/", &[])["same"], true);
    assert_eq!(differences_are_notes(&report), 0);
}

/// use-regex or rewrite-target on any Ingress of a host turns every path of
/// the host into a case-insensitive regular expression anchored at the
/// start (`enforceRegexModifier`/`buildLocation`, template.go:506-539);
/// nginx takes the first that matches, longest path first
/// (controller.go:996-1003). The documented example
/// (docs/user-guide/ingress-path-matching.md:105-125): `/foo/bar/1` →
/// service3, `/foo/bar/` → service2, `/foo/bar` → service1. Every path of
/// test.com is written as a RegularExpression, and since how Gateway API
/// ranks regular expressions is implementation-specific, the requests that
/// several of them match are reported as depending on it.
#[test]
fn regex_paths_are_host_wide_and_their_precedence_is_reported() {
    let (objects, report) = migrate(
        &[
            "ingress-nginx-path-matching-priority-ingress-1.yaml",
            "ingress-nginx-path-matching-priority-ingress-2.yaml",
        ],
        "v1.6",
        &[],
    );
    let types: Vec<&str> = of_kind(&objects, "HTTPRoute")
        .iter()
        .flat_map(|r| r["spec"]["rules"].as_array().unwrap().iter())
        .map(|r| r["matches"][0]["path"]["type"].as_str().unwrap())
        .collect();
    assert!(types.iter().all(|t| *t == "RegularExpression"), "{types:?}");
    for (url, service, after) in [
        (
            "http://test.com/foo/bar/svcx",
            "default/service3:80",
            "depends",
        ),
        ("http://test.com/foo/bar/", "default/service2:80", "depends"),
        // Only one regular expression matches these: no doubt after.
        ("http://test.com/foo/bar", "default/service1:80", "forward"),
        // Case-insensitive, and a prefix of characters.
        ("http://test.com/FOO/BAR", "default/service1:80", "forward"),
        (
            "http://test.com/foo/barsvcx",
            "default/service1:80",
            "forward",
        ),
    ] {
        let r = request(&report, url, &[]);
        assert_eq!(answer(&r["before"]), forward(&[(service, 1)]), "{url}");
        assert_eq!(answer(&r["after"]).0, after, "{url}");
    }
    assert!(!notes(&report, "regex-path").is_empty());
    assert!(differences_are_notes(&report) > 0);
}

/// A regular-expression path is asked about with paths it matches, not
/// only its text before the first special character. ingress-nginx's
/// path-matching guide (docs/user-guide/ingress-path-matching.md:142-167)
/// writes `/foo/bar/[A-Z0-9]{3}` beside `/foo/bar/bar`; edited as a user
/// would, to send the pattern to a Service of its own, `/foo/bar/000`
/// reaches only the pattern's location (`~* "^/foo/bar/[A-Z0-9]{3}"`,
/// case-insensitive and anchored at the start only: template.go
/// `buildLocation`), and `/FOO/BAR/000` and `/foo/bar/000/svcx` too. Its
/// text up to the class, `/foo/bar/`, matches neither location, so before
/// this no request of the check reached test-regex at all. `/foo/bar/bar`
/// matches both patterns, and which one wins after the move is the
/// Gateway implementation's ranking of regular expressions.
#[test]
fn a_regex_path_is_asked_about_with_paths_it_matches() {
    let file =
        root().join("tests/fixtures/routing/ingress-nginx-path-matching-warning-ingress-3.yaml");
    let (_, report) = migrate_edited(
        &file,
        "/foo/bar/[A-Z0-9]{3}\n        pathType: ImplementationSpecific\n        backend:\n          service:\n            name: test\n",
        "/foo/bar/[A-Z0-9]{3}\n        pathType: ImplementationSpecific\n        backend:\n          service:\n            name: test-regex\n",
        &[],
    );
    for url in [
        "http://test.com/foo/bar/000",
        "http://test.com/FOO/BAR/000",
        "http://test.com/foo/bar/000/svcx",
    ] {
        let r = request(&report, url, &[]);
        assert_eq!(
            answer(&r["before"]),
            forward(&[("default/test-regex:80", 1)]),
            "{url}"
        );
        assert_eq!(r["same"], true, "{url}");
    }
    let r = request(&report, "http://test.com/foo/bar/", &[]);
    assert_eq!(answer(&r["before"]).0, "no-route");
    let r = request(&report, "http://test.com/foo/bar/bar", &[]);
    assert_eq!(
        answer(&r["before"]),
        forward(&[("default/test-regex:80", 1)])
    );
    assert_eq!(answer(&r["after"]).0, "depends");
}

/// spec.defaultBackend of an Ingress with rules is the default upstream of
/// the servers its rules create, not a catch-all (controller.go:1335-1392);
/// only an Ingress without rules configures the catch-all server
/// (:1343-1356). docs.example.com's unmatched paths go to docs-404,
/// blog.example.com's to the 404 of the controller, other hosts to landing.
#[test]
fn a_default_backend_serves_its_own_hosts() {
    let (objects, report) = migrate(&["default-backends.yaml"], "v1.6", &[]);
    let docs = named(&objects, "HTTPRoute", "docs-docs-example-com");
    let last = docs["spec"]["rules"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["matches"][0]["path"]["value"], "/");
    assert_eq!(last["backendRefs"][0]["name"], "docs-404");
    let catch_all = named(&objects, "HTTPRoute", "catch-all-all-hosts");
    assert!(catch_all["spec"].get("hostnames").is_none());
    for (url, before) in [
        (
            "http://docs.example.com/svcx-unmatched",
            forward(&[("web/docs-404:80", 1)]),
        ),
        (
            "http://blog.example.com/svcx-unmatched",
            ("no-route".into(), vec![]),
        ),
        (
            "http://svcx-unknown.invalid/",
            forward(&[("web/landing:80", 1)]),
        ),
    ] {
        let r = request(&report, url, &[]);
        assert_eq!(answer(&r["before"]), before, "{url}");
        assert_eq!(r["same"], true, "{url}");
    }
    assert_eq!(differences_are_notes(&report), 0);
}

/// An Ingress with no class, read by the Ingress specification alone (the
/// cluster's default class decides who serves it), as GKE's ASM recipe
/// writes it: a defaultBackend beside rules, and a TLS entry that lists no
/// hosts. Controllers read both differently, so the check says "depends"
/// instead of guessing: a defaultBackend beside rules serves its hosts'
/// unmatched paths in ingress-nginx, the hosts no rule names in Contour
/// (`rulesFromSpec`, internal/dag/ingress_processor.go at 31c4bb38) and
/// nothing in Traefik (only an Ingress without rules gets its
/// `default-router`, pkg/provider/kubernetes/ingress/kubernetes.go:303 at
/// fd5a576d); a TLS entry without hosts "defaults to the wildcard host
/// setting for the loadbalancer controller" (networking/v1 IngressTLS).
/// The HTTPS the Ingress served is a difference, since no listener can be
/// written for a certificate whose names are unknown.
#[test]
fn a_classless_ingress_default_backend_and_hostless_tls_depend_on_the_controller() {
    let asm = official(
        "GoogleCloudPlatform-gke-networking-recipes--ingress-single-cluster-ingress-asm-multi-backendconfig-istio-ingressgateway-service.yaml",
    );
    let (objects, report) = migrate(&[asm.as_str()], "v1.6", &[]);
    let unknown = request(&report, "http://svcx-unknown.invalid/", &[]);
    assert_eq!(unknown["before"]["outcome"], "depends", "{unknown}");
    assert_eq!(unknown["same"], false);
    let https = request(&report, "https://bar.example.com/", &[]);
    assert_eq!(
        answer(&https["before"]),
        forward(&[("default/istio-ingressgateway:15023", 1)])
    );
    assert_eq!(https["after"]["outcome"], "refused");
    assert_eq!(listener_protocols(&objects), ["HTTP"]);
    let choices = notes(&report, "controller-choice");
    assert_eq!(choices.len(), 3, "{choices:?}");
    assert!(differences_are_notes(&report) > 0);
}

/// GKE's Cloud Armor recipe: the policy reaches the load balancer through
/// the backend Service's `cloud.google.com/backend-config` annotation,
/// which only the GKE Ingress controller reads (ingress-gce
/// pkg/annotations/service.go at acbcf5d6, `BackendConfigKey`, and the beta
/// key after it). A Gateway reads none; GKE's Gateway takes the same
/// settings from a GCPBackendPolicy and a HealthCheckPolicy (GKE docs,
/// "Configure Gateway resources using Policies" and "Secure a Gateway").
/// Every request still routes the same, and the lost policy is said.
#[test]
fn a_backend_config_on_an_ingress_backend_is_said_to_be_lost() {
    let (_, report) = migrate(&["gke-recipes-cloudarmor-ingress.yaml"], "v1.6", &[]);
    let lost: Vec<&str> = notes(&report, "ingress-annotation")
        .into_iter()
        .filter(|(o, _)| *o == "Service default/whereami")
        .map(|(_, m)| m)
        .collect();
    assert_eq!(lost.len(), 1, "{}", report["notes"]);
    assert!(
        lost[0].contains("cloud.google.com/backend-config"),
        "{lost:?}"
    );
    let requests = report["requests"].as_array().unwrap();
    assert!(!requests.is_empty());
    assert!(requests.iter().all(|r| r["same"] == true), "{requests:?}");
}

/// An official example, as `tests/corpus/official` keeps it: in the
/// directory of its project, whose name starts the file's.
fn official(file: &str) -> String {
    let project = file.split("--").next().expect("a project prefix");
    root()
        .join("tests/corpus/official")
        .join(project)
        .join(file)
        .display()
        .to_string()
}

/// The AWS Load Balancer Controller's HTTPS redirect (its guide,
/// docs/guide/tasks/ssl_redirect.md): with `ssl-redirect: '443'` every
/// HTTP listener's only action is a 301 to HTTPS on port 443 and it gets
/// no rules (aws-load-balancer-controller 225f445,
/// pkg/ingress/model_build_listener.go:71-74, model_build_listener_rules.go:
/// 19-22, `buildSSLRedirectConfig` in model_builder.go:513-552), and the
/// rules answer on HTTPS:443 from `listen-ports` with the ACM certificate
/// of `certificate-arn` (`computeIngressListenPorts`,
/// model_build_listener.go:237-272). No Gateway listener can name an ACM
/// certificate, so no HTTPS is written and every request is reported.
#[test]
fn an_alb_ssl_redirect_answers_http_with_a_301_and_https_needs_its_certificate() {
    let (objects, report) = migrate(&["aws-lbc-ssl-redirect.yaml"], "v1.6", &[]);
    let http = request(&report, "http://svcx-unknown.invalid/users/svcx", &[]);
    assert_eq!(http["before"]["outcome"], "redirect", "{http}");
    assert_eq!(http["before"]["status"], 301);
    let https = request(&report, "https://svcx-unknown.invalid/users/svcx", &[]);
    assert_eq!(
        answer(&https["before"]),
        forward(&[("default/user-service:80", 1)])
    );
    assert_eq!(https["after"]["outcome"], "refused");
    assert_eq!(listener_protocols(&objects), ["HTTP"]);
    assert_eq!(
        notes(&report, "controller-choice").len(),
        1,
        "{}",
        report["notes"]
    );
    for w in report["exposure"]["before"].as_array().unwrap() {
        assert!(w["address"].as_str().unwrap().ends_with(":443"), "{w}");
    }
    assert_eq!(report["load_balancers_before"], 1);
    assert!(differences_are_notes(&report) > 0);
}

/// An ALB Ingress without `group.name` is a load balancer of its own (its
/// implicit group, `loadGroupID` in pkg/ingress/group_loader.go:232-255),
/// so the EKS workshop's first Ingress and its grouped one do not contest
/// `/`: two ALBs, each forwarding it to the ui Service.
#[test]
fn alb_ingresses_without_a_group_are_load_balancers_of_their_own() {
    let single = official(
        "aws-samples-eks-workshop-v2--manifests-modules-exposing-ingress-creating-ingress-ingress.yaml",
    );
    let (_, report) = migrate(
        &[single.as_str(), "eks-workshop-ingress-ui.yaml"],
        "v1.6",
        &[],
    );
    let requests = report["requests"].as_array().unwrap();
    assert!(!requests.is_empty());
    for r in requests {
        assert_ne!(r["before"]["outcome"], "depends", "{r}");
    }
    assert_eq!(report["load_balancers_before"], 2);
}

/// An IngressGroup's rules are matched in priority order, first match
/// wins: the Ingresses by `group.order`, then `namespace/name`
/// (`sortGroupMembers`, group_loader.go), each listener rule numbered in
/// that order (`buildListenerRules`, model_build_listener_rules.go:69-80).
/// The workshop's group sends `/catalog` to the catalog (catalog/
/// catalog-multi sorts first); given `group.order: "-1"`, the ui's `/`
/// comes first and takes it, where a Gateway's longest prefix would not.
#[test]
fn an_alb_group_matches_its_rules_in_priority_order() {
    let catalog = official(
        "aws-samples-eks-workshop-v2--manifests-modules-exposing-ingress-multiple-ingress-ingress-catalog.yaml",
    );
    let (_, report) = migrate(
        &[catalog.as_str(), "eks-workshop-ingress-ui.yaml"],
        "v1.6",
        &[],
    );
    let r = request(&report, "http://svcx-unknown.invalid/catalog", &[]);
    assert_eq!(answer(&r["before"]), forward(&[("catalog/catalog:80", 1)]));
    assert_eq!(r["same"], true);
    assert_eq!(report["load_balancers_before"], 1);

    let (_, report) = migrate_edited(
        std::path::Path::new(&fixture("eks-workshop-ingress-ui.yaml")),
        "    alb.ingress.kubernetes.io/group.name: retail-app-group\n",
        "    alb.ingress.kubernetes.io/group.name: retail-app-group\n    alb.ingress.kubernetes.io/group.order: \"-1\"\n",
        &[catalog.as_str()],
    );
    let r = request(&report, "http://svcx-unknown.invalid/catalog", &[]);
    assert_eq!(answer(&r["before"]), forward(&[("ui/ui:80", 1)]));
    assert_eq!(answer(&r["after"]), forward(&[("catalog/catalog:80", 1)]));
    assert_eq!(r["same"], false);
    assert!(differences_are_notes(&report) > 0);
}

/// A backend whose port is `use-annotation` names an action, not a
/// Service: the ALB's action is the annotation `actions.NAME`
/// (pkg/ingress/enhanced_backend_builder.go), here the blue/green split of
/// the controller's guide (docs/guide/use_cases/blue_green/index.md).
/// Lint does not call it a missing Service, and the check says the
/// routing depends on the annotation, which svcx does not read.
#[test]
fn an_alb_action_annotation_is_not_a_missing_service() {
    let file = fixture("aws-lbc-blue-green.yaml");
    let lint = svcx(&["lint", "-f", &file, "-o", "json"]);
    let doc = json_out(&lint);
    let codes: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(!codes.contains(&"SVC509"), "{codes:?}");
    let (_, report) = migrate(&["aws-lbc-blue-green.yaml"], "v1.6", &[]);
    let r = request(&report, "http://svcx-unknown.invalid/", &[]);
    assert_eq!(r["before"]["outcome"], "depends", "{r}");
    // The path gets no rule, said once, beside the annotation itself.
    assert_eq!(notes(&report, "unresolved-backend").len(), 1);
    assert!(
        notes(&report, "ingress-annotation")
            .iter()
            .any(|(_, m)| m.contains("alb.ingress.kubernetes.io/actions.blue-green")),
        "{}",
        report["notes"]
    );
}

/// Traefik (pkg/provider/kubernetes/ingress/kubernetes.go at fd5a576)
/// writes a `Prefix` path as `PathPrefix("/foo")`, which matches
/// characters (`/foosvcx` too), unless its static provider option
/// `strictPrefixMatching` makes it `(Path("/foo") || PathPrefix("/foo/"))`
/// (`buildRule`, `buildStrictPrefixMatchingRule`). The option is not in
/// the input, so where the readings part, the check says "depends"; where
/// they agree, the request routes the same. The Kubernetes website's
/// fanout example, given Traefik's class as a k3s user would.
#[test]
fn traefik_prefix_paths_match_characters_unless_strict() {
    let (_, report) = migrate_edited(
        &root().join(
            "tests/corpus/official/kubernetes-website/kubernetes-website--service-networking-simple-fanout-example.yaml",
        ),
        "  spec: {\n",
        "  spec: {\n    ingressClassName: \"traefik\",\n",
        &[],
    );
    let inside = request(&report, "http://foo.bar.com/foo/svcx", &[]);
    assert_eq!(
        answer(&inside["before"]),
        forward(&[("default/service1:4200", 1)])
    );
    assert_eq!(inside["same"], true);
    let beside = request(&report, "http://foo.bar.com/foosvcx", &[]);
    assert_eq!(beside["before"]["outcome"], "depends", "{beside}");
    assert_eq!(beside["same"], false);
    assert_eq!(
        notes(&report, "controller-choice")
            .iter()
            .filter(|(_, m)| m.contains("strictPrefixMatching"))
            .count(),
        2
    );
    assert!(differences_are_notes(&report) > 0);
}

/// Traefik's own Ingress example with `router.tls: "true"` and
/// `router.entrypoints: websecure` (docs/content/reference/
/// routing-configuration/kubernetes/ingress.md): a router with TLS is not
/// served over plain HTTP (pkg/config/runtime/runtime_http.go), so its
/// paths answered 404 on HTTP, which the Gateway's HTTP listener does not;
/// and which port `websecure` is, is Traefik's static configuration.
#[test]
fn a_traefik_tls_router_serves_no_plain_http() {
    let (_, report) = migrate(&["traefik-ingress-router-tls.yaml"], "v1.6", &[]);
    let http = request(&report, "http://example.com/bar", &[]);
    assert_eq!(http["before"]["outcome"], "no-route", "{http}");
    assert_eq!(http["same"], false);
    let https = request(&report, "https://example.com/bar", &[]);
    assert_eq!(https["before"]["outcome"], "depends", "{https}");
    assert!(differences_are_notes(&report) > 0);
}

/// Contour's TLS delegation for Ingress v1 (site/content/docs/main/config/
/// tls-delegation.md at 31c4bb38): `projectcontour.io/tls-cert-namespace`
/// takes the TLS Secret from that namespace (`computeSecureVirtualhosts`,
/// internal/dag/ingress_processor.go). The listener names the Secret there,
/// and a ReferenceGrant in that namespace lets the Gateway read it.
#[test]
fn a_contour_certificate_from_another_namespace_is_referenced_there() {
    let (objects, report) = migrate(&["contour-tls-delegation-ingress.yaml"], "v1.6", &[]);
    let gateway = named(&objects, "Gateway", "shared-gateway");
    let refs: Vec<(&str, &str)> = gateway["spec"]["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| l["tls"]["certificateRefs"].as_array().into_iter().flatten())
        .map(|r| {
            (
                r["namespace"].as_str().unwrap(),
                r["name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(refs, [("www-admin", "example-com-wildcard")]);
    let grant = of_kind(&objects, "ReferenceGrant");
    assert_eq!(grant.len(), 1);
    assert_eq!(grant[0]["metadata"]["namespace"], "www-admin");
    let https = request(&report, "https://foo2.bar.com/", &[]);
    assert_eq!(https["same"], true, "{https}");
    assert!(
        notes(&report, "ingress-annotation")
            .iter()
            .all(|(_, m)| !m.contains("tls-cert-namespace")),
        "{}",
        report["notes"]
    );
}

/// ingress-nginx's redirect annotations answer before anything else:
/// `app-root` is a server-level `if ($uri = /) { return 302
/// $scheme://$http_host/app1; }` (nginx.tmpl:1000-1004 at dbb11b9), and
/// `temporal-redirect` a location's `return 307 URL` (nginx.tmpl:1417-1419;
/// `Parse` in annotations/redirect/redirect.go reads it before
/// `permanent-redirect`), which runs in nginx's rewrite phase before the
/// ssl-redirect's `rewrite_by_lua` (nginx.tmpl:1167): on a host with TLS,
/// plain HTTP gets the 307 too, not the 308 to https.
#[test]
fn ingress_nginx_redirect_annotations_answer_before_ssl_redirect() {
    let (_, report) = migrate(&["ingress-nginx-app-root-ingress.yaml"], "v1.6", &[]);
    let root = request(&report, "http://approot.bar.com/", &[]);
    assert_eq!(root["before"]["outcome"], "redirect", "{root}");
    assert_eq!(root["before"]["status"], 302);
    assert_eq!(root["before"]["location"], "http://approot.bar.com/app1");
    assert_eq!(root["same"], true, "{root}");
    assert_eq!(differences_are_notes(&report), 0);

    let (_, report) = migrate_edited(
        std::path::Path::new(&fixture("ingress-nginx-tls-termination-ingress.yaml")),
        "  name: nginx-test\n",
        "  name: nginx-test\n  annotations:\n    nginx.ingress.kubernetes.io/temporal-redirect: https://www.example.org\n    \
         nginx.ingress.kubernetes.io/temporal-redirect-code: '307'\n",
        &[],
    );
    for url in ["http://foo.bar.com/", "https://foo.bar.com/svcx"] {
        let r = request(&report, url, &[]);
        assert_eq!(r["before"]["outcome"], "redirect", "{r}");
        assert_eq!(r["before"]["status"], 307, "{r}");
        assert_eq!(r["before"]["location"], "https://www.example.org", "{r}");
    }
}

/// `from-to-www-redirect` gives the host a server of its own for the other
/// name (`BuildRedirects`, pkg/util/ingress/ingress.go at dbb11b9), which
/// answers every request with `http-redirect-code` (308) to the same
/// scheme and port on the host, the URI without its trailing `/`
/// (lua/nginx/ngx_srv_redirect.lua); ingress-nginx's own e2e test expects
/// `http://HOST:80/foo` for `/foo` and `https://HOST:443` for `/`
/// (test/e2e/annotations/fromtowwwredirect.go). The Gateway writes no
/// route for the other name: the check asks for it and says so. A host
/// that another Ingress names already gets no redirect.
#[test]
fn from_to_www_redirect_is_asked_about() {
    let tls =
        std::path::Path::new(&fixture("ingress-nginx-tls-termination-ingress.yaml")).to_path_buf();
    let (_, report) = migrate_edited(
        &tls,
        "  name: nginx-test\n",
        "  name: nginx-test\n  annotations:\n    nginx.ingress.kubernetes.io/from-to-www-redirect: \"true\"\n",
        &[],
    );
    for (url, location) in [
        ("http://www.foo.bar.com/", "http://foo.bar.com:80"),
        ("https://www.foo.bar.com/", "https://foo.bar.com:443"),
    ] {
        let r = request(&report, url, &[]);
        assert_eq!(r["before"]["outcome"], "redirect", "{r}");
        assert_eq!(r["before"]["status"], 308, "{r}");
        assert_eq!(r["before"]["location"], location, "{r}");
        assert_eq!(r["same"], false, "{r}");
    }
    // The host itself is served as before.
    let host = request(&report, "https://foo.bar.com/", &[]);
    assert_eq!(
        answer(&host["before"]),
        forward(&[("default/http-svc:80", 1)])
    );
    assert!(
        notes(&report, "ingress-annotation")
            .iter()
            .any(|(_, m)| m.contains("from-to-www-redirect")),
        "{}",
        report["notes"]
    );
    // Another Ingress for www.foo.bar.com (the example copied for it): that
    // name has a server of its own, and no redirect is made.
    let text = std::fs::read_to_string(&tls).unwrap();
    let www = text
        .replacen("name: nginx-test", "name: www-test", 1)
        .replace("foo.bar.com", "www.foo.bar.com");
    let dir = tempfile::tempdir().unwrap();
    let www_path = dir.path().join("www-test.yaml");
    std::fs::write(&www_path, www).unwrap();
    let (_, report) = migrate_edited(
        &tls,
        "  name: nginx-test\n",
        "  name: nginx-test\n  annotations:\n    nginx.ingress.kubernetes.io/from-to-www-redirect: \"true\"\n",
        &[www_path.to_str().unwrap()],
    );
    let r = request(&report, "https://www.foo.bar.com/", &[]);
    assert_eq!(
        answer(&r["before"]),
        forward(&[("default/http-svc:80", 1)]),
        "{r}"
    );
}

/// `server-alias` adds names to the Ingress's server (`createServers`,
/// controller.go:1506-1530 at dbb11b9; nginx.tmpl writes them into
/// `server_name`), so the alias was served as the host is; the Gateway
/// writes no route for it, and the check says so. `ssl-passthrough` hands
/// TLS to the backend by SNI only where the controller runs with
/// `--enable-ssl-passthrough` (pkg/flags/flags.go), which the input does
/// not show: HTTPS there depends.
#[test]
fn server_aliases_and_ssl_passthrough_are_asked_about() {
    let tls =
        std::path::Path::new(&fixture("ingress-nginx-tls-termination-ingress.yaml")).to_path_buf();
    let (_, report) = migrate_edited(
        &tls,
        "  name: nginx-test\n",
        "  name: nginx-test\n  annotations:\n    nginx.ingress.kubernetes.io/server-alias: www.foo.bar.com\n",
        &[],
    );
    let alias = request(&report, "https://www.foo.bar.com/", &[]);
    assert_eq!(
        answer(&alias["before"]),
        forward(&[("default/http-svc:80", 1)])
    );
    assert_eq!(alias["same"], false);
    assert!(
        notes(&report, "ingress-annotation")
            .iter()
            .any(|(_, m)| m.contains("server-alias")),
        "{}",
        report["notes"]
    );
    assert!(differences_are_notes(&report) > 0);

    let (_, report) = migrate_edited(
        &tls,
        "  name: nginx-test\n",
        "  name: nginx-test\n  annotations:\n    nginx.ingress.kubernetes.io/ssl-passthrough: \"true\"\n",
        &[],
    );
    let https = request(&report, "https://foo.bar.com/", &[]);
    assert_eq!(https["before"]["outcome"], "depends", "{https}");
    let http = request(&report, "http://foo.bar.com/", &[]);
    assert_ne!(http["before"]["outcome"], "depends", "{http}");
}

/// GKE's internal Ingress recipe (class `gce-internal`: an internal load
/// balancer, ingress-gce pkg/annotations/ingress.go `GceL7ILBIngressClass`)
/// moved to an external GKE GatewayClass would face the internet; an
/// internal class (`gke-l7-rilb`, GKE docs "GatewayClass capabilities")
/// keeps it inside the VPC, and another implementation's class is its
/// configuration's to say.
#[test]
fn an_internal_gke_ingress_is_said_to_leave_the_vpc_on_an_external_class() {
    let file = official(
        "GoogleCloudPlatform-gke-networking-recipes--ingress-single-cluster-ingress-internal-basic-internal-ingress-basic.yaml",
    );
    let internal = |class: &str| {
        let run = svcx(&[
            "migrate-to-gateway",
            "-f",
            &file,
            "--gateway-class",
            class,
            "-o",
            "json",
        ]);
        assert_eq!(run.code, 0, "{run}");
        notes(&json_out(&run)["report"], "internal-ingress").len()
    };
    assert_eq!(internal("gke-l7-global-external-managed"), 1);
    assert_eq!(internal("gke-l7-rilb"), 0);
    assert_eq!(internal("eg"), 1);
}

/// Two Ingresses with one host and path: ingress-nginx sorts Ingresses
/// oldest first (`sortIngressSlice`, store.go:1102-1115) and drops a later
/// location with the same path and type ("Location %q already configured",
/// controller.go:816-834). With creation times (as `kubectl get -o yaml`
/// prints them) the older is written and the other reported; without them
/// which one serves is not known, and the check says so.
#[test]
fn the_older_of_two_ingresses_keeps_a_path() {
    let (objects, report) = migrate(&["conflict-dated.yaml"], "v1.6", &[]);
    let routes = of_kind(&objects, "HTTPRoute");
    assert_eq!(routes.len(), 1);
    assert_eq!(
        routes[0]["spec"]["rules"][0]["backendRefs"][0]["name"],
        "app"
    );
    let ignored = notes(&report, "ingress-path-ignored");
    assert_eq!(ignored.len(), 1);
    assert_eq!(ignored[0].0, "Ingress app/app-v2");
    assert_eq!(differences_are_notes(&report), 0);
    let (_, report) = migrate(&["conflict-undated.yaml"], "v1.6", &[]);
    // Beside the note that each of its Ingresses of class nginx is read as
    // ingress-nginx's.
    let choices = notes(&report, "controller-choice");
    assert_eq!(
        choices
            .iter()
            .filter(|(_, m)| !m.starts_with("class nginx"))
            .count(),
        1,
        "{choices:?}"
    );
    let r = request(&report, "http://app.example.com/", &[]);
    assert_eq!(answer(&r["before"]).0, "depends");
    assert!(differences_are_notes(&report) > 0);
}

/// An Ingress wildcard host matches exactly one label (networking/v1
/// types.go:413-421; ingress-nginx writes `*.apps.example.com` as the
/// server name `~^(?<subdomain>[\w-]+)\.apps\.example\.com$`,
/// template.go:1686-1695); a Gateway API wildcard matches one or more
/// (httproute_types.go:89-91). The translation widens exposure: a note, and
/// the two-label requests listed.
#[test]
fn a_wildcard_host_widens_and_says_so() {
    let (_, report) = migrate(&["wildcard.yaml"], "v1.6", &[]);
    assert_eq!(notes(&report, "wildcard-widened").len(), 1);
    let one = request(&report, "http://svcx.apps.example.com/", &[]);
    assert_eq!(one["same"], true);
    let two = request(&report, "http://a.svcx.apps.example.com/", &[]);
    assert_eq!(answer(&two["before"]).0, "no-route");
    assert_eq!(
        answer(&two["after"]),
        forward(&[("preview/preview-router:80", 1)])
    );
    assert!(differences_are_notes(&report) > 0);
}

/// GKE: `kubernetes.io/ingress.allow-http: "false"` removes the port-80
/// forwarding rule (ingress-gce pkg/annotations/ingress.go:31-36,
/// pkg/loadbalancers/l7.go:162-171): no HTTP listener is written, and http
/// stays refused. The backend is NodePort because GCE needs node ports
/// without NEG (translator.go:140-151): it gets no listener of its own.
/// `service.alpha.kubernetes.io/app-protocols` (HTTPS to the pods,
/// annotations/service.go:27-35) is named. From GKE's hello-app-tls sample.
#[test]
fn gke_allow_http_false_writes_no_http_listener() {
    let (objects, report) = migrate(&["gke-samples-helloweb-ingress-tls.yaml"], "v1.6", &[]);
    let gw = &of_kind(&objects, "Gateway")[0];
    let protocols: Vec<&str> = gw["spec"]["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["protocol"].as_str().unwrap())
        .collect();
    assert_eq!(protocols, ["HTTPS"]);
    let svc = named(&objects, "Service", "helloweb-backend");
    assert_eq!(svc["spec"]["type"], "ClusterIP");
    assert_eq!(notes(&report, "ingress-backend-node-port").len(), 1);
    assert!(
        notes(&report, "ingress-annotation")
            .iter()
            .any(|(o, m)| *o == "Service default/helloweb-backend" && m.contains("app-protocols")),
        "{}",
        report["notes"]
    );
    let http = request(&report, "http://svcx-unknown.invalid/", &[]);
    assert_eq!(
        (
            answer(&http["before"]).0.as_str(),
            answer(&http["after"]).0.as_str()
        ),
        ("refused", "refused")
    );
    assert_eq!(differences_are_notes(&report), 0);
}

/// With container-native load balancing (`cloud.google.com/neg:
/// '{"ingress": true}'` on the Service) the GKE load balancer reaches the
/// pods, not the node ports (ingress-gce translator.go:140-151 asks for
/// NodePort only "when not using NEGs"): the Service migrates as any other,
/// without the node-port note.
#[test]
fn a_gke_backend_with_negs_needs_no_node_ports() {
    let (objects, report) = migrate_edited(
        std::path::Path::new(&fixture("gke-samples-helloweb-ingress-tls.yaml")),
        "  annotations:\n    # Use app-protocols",
        "  annotations:\n    cloud.google.com/neg: '{\"ingress\": true}'\n    # Use app-protocols",
        &[],
    );
    assert!(notes(&report, "ingress-backend-node-port").is_empty());
    let svc = named(&objects, "Service", "helloweb-backend");
    assert_eq!(svc["spec"]["type"], "ClusterIP");
    assert_eq!(differences_are_notes(&report), 0);
}

/// Every annotation of a migrated Ingress that is not translated is named,
/// whatever its prefix: GKE's reserved address
/// (`kubernetes.io/ingress.global-static-ip-name`, annotations/ingress.go:
/// 38-43) among them. And a host that is no DNS name (GKE's recipe keeps a
/// `${DOMAIN}` for the user to fill in) is refused with its field, not
/// turned into names the API server rejects.
#[test]
fn untranslated_annotations_and_invalid_hosts_are_named() {
    let (_, report) = migrate(
        &["gke-samples-helloweb-ingress-static-ip.yaml"],
        "v1.6",
        &[],
    );
    assert!(
        notes(&report, "ingress-annotation")
            .iter()
            .any(|(_, m)| m.contains("kubernetes.io/ingress.global-static-ip-name")),
        "{}",
        report["notes"]
    );
    // ingress-nginx's docker-registry example: `registry.<your domain>`
    // and cert-manager's `kubernetes.io/tls-acme` (certificate renewal moves
    // to the Gateway's listeners).
    let registry = root()
        .join("tests/corpus/official/kubernetes-ingress-nginx/kubernetes-ingress-nginx--docs-examples-docker-registry-ingress-with-tls.yaml")
        .display()
        .to_string();
    let run = svcx(&[
        "migrate-to-gateway",
        "--gateway-class",
        "eg",
        "-o",
        "json",
        "-f",
        &registry,
    ]);
    // An Ingress whose host is not a DNS name is refused by the API server
    // (kubernetes/kubernetes pkg/apis/networking/validation/validation.go,
    // `validateIngressRules`: a DNS-1123 subdomain, or `*.` and one), so it
    // never routed: it is left out, with the field, and the check asks
    // nothing of it.
    let registry = json_out(&run);
    assert!(registry["objects"].as_array().unwrap().is_empty());
    let refused = notes(&registry["report"], "refused-ingress");
    assert_eq!(refused.len(), 1, "{}", registry["report"]["notes"]);
    assert!(refused[0].1.contains("(spec.rules[0].host)"), "{refused:?}");
    assert!(
        registry["report"]["requests"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["before"]["outcome"] != "forward"),
        "{}",
        registry["report"]["requests"]
    );
    let (objects, report) = migrate(&["gke-recipes-secure-ingress.yaml"], "v1.6", &[]);
    assert!(of_kind(&objects, "HTTPRoute").is_empty());
    let refused = notes(&report, "refused-ingress");
    assert!(!refused.is_empty(), "{}", report["notes"]);
    assert!(
        refused.iter().all(|(_, m)| m.contains("host)")),
        "{refused:?}"
    );
}

/// An ImplementationSpecific path is not written, and the check names the
/// rule that receives its requests after the migration: ingress-nginx reads
/// it as a prefix of characters (location.go:54-58, not split like Prefix).
#[test]
fn an_implementation_specific_path_names_who_receives_its_requests() {
    let (_, report) = migrate(&["../migrate/ingress.yaml"], "v1.6", &[]);
    assert_eq!(notes(&report, "implementation-specific-path").len(), 1);
    let r = request(&report, "https://shop.example.com/legacysvcx", &[]);
    assert_eq!(answer(&r["before"]), forward(&[("shop/web:8080", 1)]));
    assert_eq!(answer(&r["after"]), forward(&[("shop/fallback:80", 1)]));
    assert_eq!(
        r["after"]["by"][0],
        "HTTPRoute shop/shop-shop-example-com rule 2"
    );
}

/// The notes that say why a request may route differently: a difference
/// that none of them explains, on the Ingress that served the request, is a
/// bug in the translation or in a routing model.
const CAUSES: &[&str] = &[
    "controller-choice",
    "regex-path",
    "implementation-specific-path",
    "wildcard-widened",
    "canary-not-carried",
    "redirect-status-changed",
    "tls-without-secret",
    "unresolved-backend",
    "ingress-path-ignored",
    "ingress-annotation",
    "listener-missing",
    "port-moved",
];

/// Every file of a corpus directory that holds an Ingress.
fn ingress_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("corpus directory").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "json")
                && std::fs::read_to_string(&p).is_ok_and(|t| {
                    t.contains("kind: Ingress\n") || t.contains("\"kind\": \"Ingress\"")
                })
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `scheme://host/path [name: value]`, as the notes name a request.
fn request_text(r: &Value) -> String {
    let mut s = format!(
        "{}://{}{}",
        r["scheme"].as_str().unwrap(),
        r["host"].as_str().unwrap(),
        r["path"].as_str().unwrap()
    );
    for (k, v) in r["headers"].as_object().into_iter().flatten() {
        s.push_str(&format!(" [{k}: {}]", v.as_str().unwrap()));
    }
    s
}

/// Migrates every corpus file with Ingresses and holds each to the check:
/// every request answered differently is listed as a `routing-differs` note
/// naming it, and explained by a note of a cause (CAUSES) on the Ingress
/// that served it. Returns how many requests were checked and differed.
fn check_corpus(dir: &std::path::Path) -> (usize, usize) {
    let (mut checked, mut differ) = (0, 0);
    let files = ingress_files(dir);
    assert!(!files.is_empty(), "no Ingress under {}", dir.display());
    for f in files {
        let path = f.display().to_string();
        let run = svcx(&[
            "migrate-to-gateway",
            "--gateway-class",
            "eg",
            "-o",
            "json",
            "-f",
            &path,
        ]);
        if run.code == 2 {
            // Input svcx refuses (invalid YAML as published) is not a routing question.
            assert!(run.stderr.contains("svcx: error:"), "{run}");
            continue;
        }
        assert_eq!(run.code, 0, "{run}");
        let report = json_out(&run)["report"].clone();
        let notes = report["notes"].as_array().unwrap();
        let wrote_routes = report["routes"].as_array().is_some_and(|r| !r.is_empty());
        let requests = report["requests"].as_array().unwrap();
        if wrote_routes && !report["ingresses"].as_array().unwrap().is_empty() {
            assert!(
                !requests.is_empty(),
                "{path}: routes written, no request checked"
            );
        }
        for r in requests {
            checked += 1;
            if r["same"] == true {
                continue;
            }
            differ += 1;
            let text = request_text(&r["request"]);
            let said = notes
                .iter()
                .find(|n| {
                    n["code"] == "routing-differs"
                        && n["message"]
                            .as_str()
                            .unwrap()
                            .starts_with(&format!("{text}: "))
                })
                .unwrap_or_else(|| panic!("{path}: {text} differs and no note says so"));
            let object = said["object"].as_str().unwrap();
            assert!(
                notes.iter().any(|n| n["object"] == object && CAUSES.contains(&n["code"].as_str().unwrap())),
                "{path}: {text} differs ({}), and no note on {object} says why:\n{}",
                said["message"],
                serde_json::to_string_pretty(notes).unwrap()
            );
        }
    }
    (checked, differ)
}

/// The official examples and installs (tests/corpus/official): no
/// unexplained routing difference.
#[test]
fn migrating_the_official_examples_reports_every_difference_with_its_cause() {
    let (checked, differ) = check_corpus(&root().join("tests/corpus/official"));
    assert!(checked > 100, "{checked} requests");
    assert!(differ < checked);
}

/// The third-party corpus (../shared/corpus, with the ingress2gateway
/// input files): no unexplained routing difference.
#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus beside the repository"
)]
fn migrating_the_corpus_reports_every_difference_with_its_cause() {
    let (checked, _) = check_corpus(&root().join(common::corpus("")));
    assert!(checked > 100, "{checked} requests");
}

/// `namespace/name` of every Service of an explain or trace report.
fn service_names(report: &Value) -> std::collections::BTreeSet<String> {
    report["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{}/{}",
                s["namespace"].as_str().unwrap(),
                s["name"].as_str().unwrap()
            )
        })
        .collect()
}

/// trace by host and path asks the routing model migrate's check asks
/// before: on every official example, each request the check forwards
/// (plain, without headers) traces to the Services it names.
#[test]
fn trace_by_host_and_path_agrees_with_the_check() {
    let compared = trace_agrees(&root().join("tests/corpus/official"));
    assert!(compared > 20, "{compared} requests traced");
}

/// The same agreement on the third-party corpus and the ingress2gateway
/// inputs.
#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus beside the repository"
)]
fn trace_by_host_and_path_agrees_with_the_check_on_the_corpus() {
    // Most ingress2gateway inputs carry Ingresses without their Services,
    // which trace needs: the files that have both are compared.
    let compared = trace_agrees(&root().join(common::corpus("")));
    assert!(compared >= 6, "{compared} requests traced");
}

/// Traces up to six plain forwarded requests of each file's check and
/// compares the Services; returns how many were compared.
fn trace_agrees(dir: &std::path::Path) -> usize {
    // Files on threads of their own: up to eight runs of svcx each.
    common::parallel(ingress_files(dir), |f| {
        let mut compared = 0;
        let path = f.display().to_string();
        let run = svcx(&[
            "migrate-to-gateway",
            "--gateway-class",
            "eg",
            "-o",
            "json",
            "-f",
            &path,
        ]);
        if run.code != 0 {
            return 0;
        }
        let report = json_out(&run)["report"].clone();
        let services = service_names(&json_out(&svcx(&["explain", "-o", "json", "-f", &path])));
        let plain: Vec<&Value> = report["requests"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                r["before"]["outcome"] == "forward" && r["request"].get("headers").is_none()
            })
            .filter(|r| r["request"]["host"] != "svcx-unknown.invalid")
            .take(6)
            .collect();
        for r in plain {
            let q = &r["request"];
            let port = if q["scheme"] == "https" { "443" } else { "80" };
            let target = format!(
                "{}:{port}{}",
                q["host"].as_str().unwrap(),
                q["path"].as_str().unwrap()
            );
            let trace = svcx(&["trace", "-o", "json", &target, "-f", &path]);
            // trace follows Services into their endpoints, so it needs them in
            // the input; the check names a backend the Ingress gives by number
            // either way.
            let in_input =
                |backend: &str| services.contains(&backend[..backend.rfind(':').unwrap()]);
            if trace.code == 2
                && r["before"]["backends"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|b| !in_input(b["backend"].as_str().unwrap()))
            {
                continue;
            }
            assert!(trace.code == 0 || trace.code == 1, "{target}: {trace}");
            let traced = service_names(&json_out(&trace));
            let before: std::collections::BTreeSet<String> = r["before"]["backends"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| {
                    let b = b["backend"].as_str().unwrap();
                    b[..b.rfind(':').unwrap()].to_string()
                })
                .collect();
            assert_eq!(traced, before, "{path}: {target}");
            compared += 1;
        }
        compared
    })
    .into_iter()
    .sum()
}

// ------------------------------------------------------------ Gateway API

/// `svcx trace -o json TARGET -f FILES...`: the rules that serve it (the
/// report's `target.routes`) and the Services traced.
fn trace(files: &[String], target: &str) -> (Vec<String>, Vec<String>) {
    let mut args = vec!["trace", "-o", "json", target];
    for f in files {
        args.extend(["-f", f.as_str()]);
    }
    let run = svcx(&args);
    assert!(run.code == 0 || run.code == 1, "{target}: {run}");
    let doc = json_out(&run);
    let routes = doc["target"]["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect();
    let mut services: Vec<String> = doc["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    services.sort();
    (routes, services)
}

fn conformance(name: &str) -> Vec<String> {
    vec![
        root()
            .join(common::corpus(
                "manifests/kubernetes-sigs-gateway-api--conformance-base-manifests.yaml",
            ))
            .display()
            .to_string(),
        fixture(name),
    ]
}

/// Gateway API conformance (v1.6.1): a backendRef of weight 0 receives
/// nothing (`httproute-weight.go`: 70/30/0 → 0.7/0.3/0.0; `weight` in
/// shared_types.go:315-327); `/v2example` is no `/v2` prefix and `/v2/` is
/// (httproute-matching.go); across routes the longer prefix wins, and a
/// route without the request's hostname is not a candidate
/// (httproute-matching-across-routes.go); an exact listener hostname beats
/// a wildcard, and a wildcard covers several labels
/// (httproute-listener-hostname-matching.go: `multiple.prefixes.bar.com` →
/// v3, `foo.bar.com` → v2).
#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus beside the repository"
)]
fn gateway_routing_follows_the_conformance_tests() {
    let weight = conformance("gwapi-conformance-httproute-weight.yaml");
    assert_eq!(
        trace(&weight, "any.example.com/").1,
        ["infra-backend-v1", "infra-backend-v2"]
    );
    let matching = conformance("gwapi-conformance-httproute-matching.yaml");
    assert_eq!(
        trace(&matching, "example.com/v2example").1,
        ["infra-backend-v1"]
    );
    assert_eq!(trace(&matching, "example.com/v2/").1, ["infra-backend-v2"]);
    let across = conformance("gwapi-conformance-httproute-matching-across-routes.yaml");
    assert_eq!(trace(&across, "example.com/v2").1, ["infra-backend-v2"]);
    assert_eq!(trace(&across, "example.net/v2").1, ["infra-backend-v1"]);
    let hosts = conformance("gwapi-conformance-httproute-listener-hostname-matching.yaml");
    assert_eq!(trace(&hosts, "foo.bar.com/").1, ["infra-backend-v2"]);
    assert_eq!(
        trace(&hosts, "multiple.prefixes.bar.com/").1,
        ["infra-backend-v3"]
    );
    assert_eq!(trace(&hosts, "bar.com/").1, ["infra-backend-v1"]);
}

/// A RequestRedirect answers with the Location the specification builds
/// (HTTPRoute `HTTPRequestRedirectFilter`, checked by the conformance
/// tests httproute-redirect-path.go and httproute-redirect-port.go):
/// ReplacePrefixMatch replaces only the prefix the rule matched
/// (`/original-prefix/lemon` → `/replacement-prefix/lemon`), ReplaceFullPath
/// the whole path, `hostname` the host, `port` the port (8083, written into
/// the Location; the listener's 80 is not), and `statusCode` the status,
/// 302 by default. trace has no Service to follow there: it exits 2,
/// naming the status and the Location.
#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus beside the repository"
)]
fn a_redirect_answers_with_the_location_the_specification_builds() {
    let redirected = |files: &[String], target: &str| {
        let mut args = vec!["trace".to_string(), target.to_string()];
        for f in files {
            args.extend(["-f".to_string(), f.clone()]);
        }
        let run = svcx(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(run.code, 2, "{run}");
        run.stderr
    };
    let path = conformance("gwapi-conformance-httproute-redirect-path.yaml");
    for (target, status, location) in [
        (
            "gw.example/original-prefix/lemon",
            302,
            "http://gw.example/replacement-prefix/lemon",
        ),
        (
            "gw.example/full/path/original",
            302,
            "http://gw.example/full-path-replacement",
        ),
        (
            "gw.example/path-and-host",
            302,
            "http://example.org/replacement-prefix",
        ),
        (
            "gw.example/path-and-status",
            301,
            "http://gw.example/replacement-prefix",
        ),
        (
            "gw.example/full-path-and-host",
            302,
            "http://example.org/replacement-full",
        ),
    ] {
        let said = redirected(&path, target);
        assert!(
            said.contains(&format!("answers {status} redirecting to {location}\n")),
            "{target}: {said}"
        );
    }
    let port = conformance("gwapi-conformance-httproute-redirect-port.yaml");
    for (target, status, location) in [
        ("gw.example/port", 302, "http://gw.example:8083/port"),
        (
            "gw.example/port-and-host",
            302,
            "http://example.org:8083/port-and-host",
        ),
        (
            "gw.example/port-and-status",
            301,
            "http://gw.example:8083/port-and-status",
        ),
    ] {
        let said = redirected(&port, target);
        assert!(
            said.contains(&format!("answers {status} redirecting to {location}\n")),
            "{target}: {said}"
        );
    }
}

/// Ties across routes go to the oldest route (creation timestamp), then to
/// `{namespace}/{name}` (httproute_types.go:184-207): `/cart` is store's,
/// the older route. Without creation times the order is not known, and the
/// answer says it depends, naming both routes.
#[test]
fn gateway_ties_go_to_the_older_route_or_depend() {
    let files = [fixture("gateway-age-ties.yaml")];
    let (routes, services) = trace(&files, "store.example.com/cart");
    assert_eq!(services, ["cart"]);
    assert_eq!(
        routes,
        ["HTTPRoute store/store rule 0 via Gateway infra/web:80"]
    );
    let (routes, services) = trace(&files, "store.example.com/search");
    assert_eq!(routes.len(), 1);
    assert!(routes[0].contains("(depends: "), "{routes:?}");
    assert!(
        routes[0].contains("store/search rule 0")
            && routes[0].contains("store/search-canary rule 0")
    );
    // Both are traced, each as a candidate; search-canary's weight-0
    // backend receives nothing.
    assert_eq!(services, ["search", "search-canary"]);
}

/// An HTTPRoute and a GRPCRoute with one hostname on one listener: exactly
/// one is accepted, the older (grpcroute_types.go:126-137). Here the
/// HTTPRoute is older, so even a gRPC call goes to it.
#[test]
fn of_an_http_and_a_grpc_route_for_one_host_the_older_serves() {
    let files = [fixture("gateway-grpc-http-conflict.yaml")];
    let (routes, services) = trace(&files, "api.example.com/shop.Cart/Add");
    assert_eq!(services, ["rest"], "{routes:?}");
}

/// `--existing-gateway`: the report names the existing listener each route
/// joins, and the routes already there that serve the same hostnames; the
/// routing check answers with them in place. Here the Ingress's `/` ties
/// with the existing route's `/`, and the existing route is older than any
/// route written (ties go to the older route, httproute_types.go:184-207):
/// `/` keeps going to storefront, which was legacy-storefront before.
#[test]
fn routes_joining_an_existing_listener_name_the_routes_there() {
    let (_, report) = migrate(
        &["existing-gateway.yaml"],
        "v1.6",
        &["--existing-gateway", "infra/public"],
    );
    let shared = notes(&report, "shared-listener");
    assert_eq!(shared.len(), 1, "{shared:?}");
    assert!(
        shared[0].1.contains("HTTPRoute shop/storefront"),
        "{shared:?}"
    );
    assert_eq!(report["routes"][0]["listener"], "http");
    let api = request(&report, "http://shop.example.com/api", &[]);
    assert_eq!(api["same"], true);
    let root = request(&report, "http://shop.example.com/", &[]);
    assert_eq!(
        answer(&root["before"]),
        forward(&[("shop/legacy-storefront:80", 1)])
    );
    assert_eq!(
        answer(&root["after"]),
        forward(&[("shop/storefront:80", 1)])
    );
    assert_eq!(root["after"]["by"][0], "HTTPRoute shop/storefront rule 0");
    assert!(differences_are_notes(&report) > 0);
}

/// ListenerSet (standard from Gateway API v1.5; `listenerset_types.go`,
/// GEP-1713): its listeners join its Gateway, and only routes that name the
/// ListenerSet reach them; a route attached to the Gateway reaches the
/// Gateway's own listeners only (conformance `listenerset-http-routing.go`:
/// the Gateway's route answers 404 on ListenerSet hosts). A route naming
/// both reaches both.
#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus beside the repository"
)]
fn listener_set_listeners_serve_the_routes_that_name_them() {
    let files = conformance("gwapi-conformance-listenerset-http-routing.yaml");
    let set_host = "listener-set-http-routing-1-listener-1.com";
    assert_eq!(
        trace(&files, &format!("{set_host}/route")).1,
        ["infra-backend-v1"]
    );
    assert_eq!(
        trace(
            &files,
            &format!("{set_host}/listener-set-http-routing-1-route")
        )
        .1,
        ["infra-backend-v2"]
    );
    assert_eq!(
        trace(&files, "gateway-listener-1.com/gateway-route").1,
        ["infra-backend-v2"]
    );
    assert_eq!(
        trace(&files, "gateway-listener-1.com/route").1,
        ["infra-backend-v1"]
    );
    // The Gateway's own route does not serve a ListenerSet's host.
    let mut args = vec!["trace".to_string(), format!("{set_host}/gateway-route")];
    for f in &files {
        args.extend(["-f".to_string(), f.clone()]);
    }
    let run = svcx(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 2, "{run}");
}

/// A ListenerSet's listener with the hostname and port of one of its
/// Gateway's is not accepted (the Gateway comes first; then ListenerSets by
/// age, then by name): routes naming the ListenerSet do not get that host
/// (conformance `listenerset-hostname-conflict.go`).
#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus beside the repository"
)]
fn a_listener_set_listener_that_conflicts_is_not_accepted() {
    let files = conformance("gwapi-conformance-listenerset-hostname-conflict.yaml");
    let run = svcx(&[
        "explain",
        "-o",
        "json",
        "--gateway",
        "gateway-conformance-infra/gateway-with-listenerset-hostname-conflict",
        "-f",
        &files[0],
        "-f",
        &files[1],
    ]);
    assert_eq!(run.code, 0, "{run}");
    let doc = json_out(&run);
    let listeners: Vec<(String, Option<String>)> = doc["gateways"][0]["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["name"].as_str().unwrap().to_string(),
                l["listener_set"].as_str().map(String::from),
            )
        })
        .collect();
    // The Gateway's listener keeps its hostname; the first ListenerSet's
    // copy of it is not accepted; of the two ListenerSets that name
    // `hostname-conflict-with-listener-set-listener.com`, the first by
    // `namespace/name` (neither says when it was created) keeps it.
    let of = |name: &str| -> Vec<Option<String>> {
        listeners
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, s)| s.clone())
            .collect()
    };
    assert_eq!(of("hostname-conflict-with-gateway-listener"), [None]);
    assert_eq!(
        of("hostname-conflict-with-listener-set-listener"),
        [Some(
            "gateway-conformance-infra/listenerset-with-hostname-conflict-with-gateway-1"
                .to_string()
        )]
    );
    assert_eq!(of("listener-set-2-listener").len(), 1);
    // No two accepted listeners share port and hostname.
    let gateway = &doc["gateways"][0]["listeners"];
    let mut seen = std::collections::BTreeSet::new();
    for l in gateway.as_array().unwrap() {
        assert!(
            seen.insert((l["port"].as_i64(), l["hostname"].as_str().map(String::from))),
            "{listeners:?}"
        );
    }
}

/// trace by host and path matches regular expressions as the controller
/// does: ingress-nginx's rewrite example (`use-regex`, path
/// `/something(/|$)(.*)`, docs/examples/rewrite) makes the location
/// `~* "^/something(/|$)(.*)"`, case-insensitive and anchored at the start
/// only (template.go `buildLocation`), so `/something/new` and `/SOMETHING`
/// reach http-svc and `/somethingelse` does not.
#[test]
fn trace_matches_regex_paths_as_ingress_nginx_does() {
    let files = [
        fixture("ingress-nginx-rewrite-ingress.yaml"),
        fixture("http-svc.yaml"),
    ];
    for path in ["/something/new", "/SOMETHING", "/something"] {
        let (routes, services) = trace(&files, &format!("rewrite.bar.com{path}"));
        assert_eq!(services, ["http-svc"], "{path}: {routes:?}");
    }
    let mut args = vec![
        "trace".to_string(),
        "rewrite.bar.com/somethingelse".to_string(),
    ];
    for f in &files {
        args.extend(["-f".to_string(), f.clone()]);
    }
    let run = svcx(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 2, "{run}");
}

/// An Ingress the API server refuses never exists, so it routed nothing:
/// Contour's documented minimal Ingress has `pathType: Prefix` and no path
/// (site/content/docs/main/config/fundamentals.md at 31c4bb38), which
/// `validateHTTPIngressPath` refuses ("must be an absolute path"). migrate
/// leaves it out with `refused-ingress` and writes no route for its host;
/// the check asks nothing of it. The Ingress beside it (ingress-nginx's
/// TLS termination example) is migrated as ever.
#[test]
fn an_ingress_the_api_server_refuses_is_left_out() {
    let (objects, report) = migrate(
        &[
            "contour-fundamentals-ingress.yaml",
            "ingress-nginx-tls-termination-ingress.yaml",
        ],
        "v1.6",
        &[],
    );
    let refused = notes(&report, "refused-ingress");
    assert_eq!(refused.len(), 1, "{}", report["notes"]);
    assert_eq!(refused[0].0, "Ingress default/basic");
    assert!(
        refused[0].1.contains("spec.rules[0].http.paths[0].path"),
        "{refused:?}"
    );
    let hosts: Vec<&Value> = of_kind(&objects, "HTTPRoute")
        .iter()
        .flat_map(|r| r["spec"]["hostnames"].as_array().unwrap().iter())
        .collect();
    assert!(!hosts.is_empty());
    assert!(hosts.iter().all(|h| *h != "foo-basic.bar.com"), "{hosts:?}");
    let asked: Vec<&Value> = report["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["request"]["host"] == "foo-basic.bar.com")
        .collect();
    assert!(asked.is_empty(), "{asked:#?}");
    let served = request(&report, "https://foo.bar.com/", &[]);
    assert_eq!(served["same"], true, "{served}");
}

/// Contour, as its Ingress processor writes Envoy routes
/// (projectcontour/contour 31c4bb38 internal/dag/ingress_processor.go):
/// the cert-manager guide's Ingress asks for
/// `ingress.kubernetes.io/force-ssl-redirect: "true"`, which makes its
/// port-80 routes redirects to https (`TLSRequired`, `HTTPSUpgrade`;
/// Envoy's `https_redirect` answers 301), so plain HTTP is a 301 before
/// and, with the redirect route migrate writes, after; the annotation is
/// carried, not listed as lost. Edited as a user would, with a second path
/// `ImplementationSpecific` `/api`: Contour matches it character by
/// character (`PrefixMatchString`, no regex characters in it), so
/// `/apisvcx` went to its backend, and the route's PathPrefix does not
/// take it: the check says so. Without the redirect, Contour serves plain
/// HTTP on a TLS host as it is (no redirect of its own).
#[test]
fn contour_reads_its_redirect_and_paths_as_envoy_routes() {
    let (_, report) = migrate(&["contour-cert-manager-ingress.yaml"], "v1.6", &[]);
    let http = request(&report, "http://httpbin.davecheney.com/svcx", &[]);
    assert_eq!(http["before"]["outcome"], "redirect", "{http}");
    assert_eq!(http["before"]["status"], 301, "{http}");
    assert_eq!(http["same"], true, "{http}");
    assert!(
        notes(&report, "ingress-annotation")
            .iter()
            .all(|(_, m)| !m.contains("force-ssl-redirect")),
        "{}",
        report["notes"]
    );
    assert_eq!(differences_are_notes(&report), 0);

    let file = std::path::Path::new(&fixture("contour-cert-manager-ingress.yaml")).to_path_buf();
    let (_, report) = migrate_edited(
        &file,
        "      paths:\n",
        "      paths:\n      - pathType: ImplementationSpecific\n        path: /api\n        backend:\n          \
         service:\n            name: api\n            port:\n              number: 8080\n",
        &[],
    );
    let api = request(&report, "https://httpbin.davecheney.com/apisvcx", &[]);
    assert_eq!(
        answer(&api["before"]),
        forward(&[("default/api:8080", 1)]),
        "{api}"
    );
    assert_eq!(api["same"], false, "{api}");
    let root = request(&report, "https://httpbin.davecheney.com/svcx", &[]);
    assert_eq!(
        answer(&root["before"]),
        forward(&[("default/httpbin:8080", 1)]),
        "{root}"
    );

    let (_, report) = migrate_edited(
        &file,
        "    ingress.kubernetes.io/force-ssl-redirect: \"true\"\n",
        "",
        &[],
    );
    let plain = request(&report, "http://httpbin.davecheney.com/svcx", &[]);
    assert_eq!(
        answer(&plain["before"]),
        forward(&[("default/httpbin:8080", 1)]),
        "{plain}"
    );

    // `kubernetes.io/ingress.allow-http: "false"` keeps the Ingress's
    // routes off port 80 (`HTTPAllowed`): plain HTTP found no route, and
    // migrate writes no HTTP rule for it (no HTTP listener then), so
    // nothing forwards it after either.
    let (objects, report) = migrate_edited(
        &file,
        "    ingress.kubernetes.io/force-ssl-redirect: \"true\"\n",
        "    kubernetes.io/ingress.allow-http: \"false\"\n",
        &[],
    );
    let closed = request(&report, "http://httpbin.davecheney.com/svcx", &[]);
    assert_eq!(closed["before"]["outcome"], "no-route", "{closed}");
    assert_ne!(closed["after"]["outcome"], "forward", "{closed}");
    assert!(
        of_kind(&objects, "HTTPRoute")
            .iter()
            .all(|r| !r["metadata"]["name"].as_str().unwrap().ends_with("-http")),
        "{objects:#?}"
    );
    let tls = request(&report, "https://httpbin.davecheney.com/svcx", &[]);
    assert_eq!(tls["same"], true, "{tls}");
}

/// Two Ingresses with one host, path and match: Contour keeps one route
/// per match on the virtual host, and which Ingress's it is follows the
/// order it reads them in, a Go map's (`computeIngresses` ranges over
/// `source.ingresses`): the answer depends. The cert-manager guide's
/// Ingress, and the same copied under another name to another Service, as
/// a user might.
#[test]
fn contour_two_ingresses_with_one_path_depend_on_its_order() {
    let file = std::path::Path::new(&fixture("contour-cert-manager-ingress.yaml")).to_path_buf();
    let copy = std::fs::read_to_string(&file)
        .unwrap()
        .replacen("name: httpbin\n", "name: httpbin-v2\n", 1)
        .replacen(
            "name: httpbin\n            port",
            "name: httpbin-v2\n            port",
            1,
        );
    let dir = tempfile::tempdir().unwrap();
    let second = dir.path().join("httpbin-v2.yaml");
    std::fs::write(&second, &copy).unwrap();
    let (_, report) = migrate(
        &[
            "contour-cert-manager-ingress.yaml",
            second.to_str().unwrap(),
        ],
        "v1.6",
        &[],
    );
    let r = request(&report, "https://httpbin.davecheney.com/", &[]);
    assert_eq!(r["before"]["outcome"], "depends", "{r}");
    let by: Vec<&str> = r["before"]["by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap())
        .collect();
    assert_eq!(by.len(), 2, "{by:?}");
    assert!(
        !notes(&report, "controller-choice").is_empty(),
        "{}",
        report["notes"]
    );
}

/// An official example of `tests/corpus/official/cilium-cilium`.
fn cilium(name: &str) -> String {
    root()
        .join("tests/corpus/official/cilium-cilium")
        .join(format!(
            "cilium-cilium--examples-kubernetes-servicemesh-{name}.yaml"
        ))
        .display()
        .to_string()
}

fn bookinfo() -> String {
    root()
        .join("tests/corpus/official/istio-istio/istio-istio--samples-bookinfo-platform-kube-bookinfo.yaml")
        .display()
        .to_string()
}

/// Cilium's Ingress controller writes Envoy routes (cilium/cilium 062e4cd
/// operator/pkg/model/ingestion/ingress.go): `ImplementationSpecific` is a
/// regular expression over the whole path, and routes sort exact, regular
/// expression, prefix, longest first. Its path-types example, where its
/// docs (Documentation/network/servicemesh/path-types.rst) send `/impl` to
/// implpath and `/implementation` to implpath2: svcx answers the same
/// before, and migrate writes those paths as RegularExpression matches.
/// Its TLS example: plain HTTP to a TLS host is a 301 to https, by the
/// operator's `enforce-ingress-https` (default true) with no
/// `ingress.cilium.io/force-https` to say otherwise, and `disabled` there
/// serves it as it is; each Ingress is a load balancer of its own
/// (dedicated, the chart's default), which the migration counts.
#[test]
fn cilium_reads_its_paths_and_https_redirect_as_its_envoy_routes() {
    let (objects, report) = migrate(
        &[
            &cilium("ingress-path-types"),
            &cilium("ingress-path-types-ingress"),
        ],
        "v1.6",
        &[],
    );
    for (path, to) in [
        ("/", "prefixpath"),
        ("/exact", "exactpath"),
        ("/prefixsvcx", "prefixpath"),
        ("/impl", "implpath"),
        ("/impl/svcx", "implpath2"),
        ("/implsvcx", "implpath2"),
    ] {
        let r = request(&report, &format!("http://pathtypes.example.com{path}"), &[]);
        assert_eq!(
            answer(&r["before"]),
            forward(&[(&format!("default/{to}:80"), 1)]),
            "{path}: {r}"
        );
    }
    let written: Vec<(String, String)> = of_kind(&objects, "HTTPRoute")
        .iter()
        .flat_map(|r| r["spec"]["rules"].as_array().unwrap().clone())
        .flat_map(|rule| rule["matches"].as_array().cloned().unwrap_or_default())
        .map(|m| {
            (
                m["path"]["type"].as_str().unwrap().to_string(),
                m["path"]["value"].as_str().unwrap().to_string(),
            )
        })
        .filter(|(kind, _)| kind == "RegularExpression")
        .collect();
    assert_eq!(
        written,
        [
            ("RegularExpression".to_string(), "/impl".to_string()),
            ("RegularExpression".to_string(), "/impl.+".to_string())
        ]
    );
    assert_eq!(report["load_balancers_before"], 1, "{report}");
    // Moved to Cilium's own Gateway (its chart's GatewayClass read), whose
    // regular expressions rank between Exact and PathPrefix as its
    // Ingress's do: every request routes the same.
    let class = root().join("tests/fixtures/trace/gatewayclass-cilium-installed.yaml");
    let run = svcx(&[
        "migrate-to-gateway",
        "-o",
        "json",
        "-f",
        &cilium("ingress-path-types"),
        "-f",
        &cilium("ingress-path-types-ingress"),
        "-f",
        class.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{run}");
    let doc = json_out(&run);
    let requests = doc["report"]["requests"].as_array().unwrap();
    assert!(requests.len() >= 20, "{doc:#}");
    assert!(requests.iter().all(|r| r["same"] == true), "{doc:#}");

    let (_, report) = migrate(&[&cilium("tls-ingress"), &bookinfo()], "v1.6", &[]);
    let plain = request(&report, "http://bookinfo.cilium.rocks/details", &[]);
    assert_eq!(plain["before"]["outcome"], "redirect", "{plain}");
    assert_eq!(plain["before"]["status"], 301, "{plain}");
    assert_eq!(plain["same"], true, "{plain}");
    let (_, report) = migrate_edited(
        std::path::Path::new(&cilium("tls-ingress")),
        "spec:\n",
        "  annotations:\n    ingress.cilium.io/force-https: disabled\nspec:\n",
        &[&bookinfo()],
    );
    let plain = request(&report, "http://bookinfo.cilium.rocks/details", &[]);
    assert_eq!(
        answer(&plain["before"]),
        forward(&[("default/details:9080", 1)]),
        "{plain}"
    );
}

/// Two Cilium Ingresses with one host and path: each on its own load
/// balancer by default, so neither contests the other's; on the shared
/// one (`ingress.cilium.io/loadbalancer-mode: shared`) Cilium merges them
/// into one route that splits requests between their backends, which no
/// migrated rule does: "depends", with both named. The basic Ingress
/// example, copied under another name to another Service, as a user might.
#[test]
fn cilium_ingresses_contest_a_path_only_on_the_shared_load_balancer() {
    let file = cilium("basic-ingress");
    let text = std::fs::read_to_string(&file).unwrap();
    let copy = text
        .replacen("name: basic-ingress\n", "name: basic-ingress-v2\n", 1)
        .replacen("name: details\n", "name: reviews\n", 1);
    assert_ne!(copy, text);
    let dir = tempfile::tempdir().unwrap();
    let second = dir.path().join("basic-ingress-v2.yaml");
    std::fs::write(&second, &copy).unwrap();
    let second = second.display().to_string();
    let (_, report) = migrate(&[&file, &second, &bookinfo()], "v1.6", &[]);
    assert_eq!(report["load_balancers_before"], 2, "{report}");
    let shared = |s: &str| {
        s.replacen(
            "spec:\n",
            "  annotations:\n    ingress.cilium.io/loadbalancer-mode: shared\nspec:\n",
            1,
        )
    };
    let a = dir.path().join("a.yaml");
    let b = dir.path().join("b.yaml");
    std::fs::write(&a, shared(&text)).unwrap();
    std::fs::write(&b, shared(&copy)).unwrap();
    let (_, report) = migrate(
        &[a.to_str().unwrap(), b.to_str().unwrap(), &bookinfo()],
        "v1.6",
        &[],
    );
    let details = request(&report, "http://svcx-unknown.invalid/details", &[]);
    assert_eq!(details["before"]["outcome"], "depends", "{details}");
    assert_eq!(
        details["before"]["by"].as_array().unwrap().len(),
        2,
        "{details}"
    );
}

/// Istio's Ingress controller (istio/istio 86c9f01
/// pilot/pkg/config/kube/ingress/virtualservices.go): paths sort by the
/// length of their match as written, an exact one first at equal length,
/// and Envoy takes the first that matches; `ImplementationSpecific` is a
/// prefix before a final `/*` or `.*` and the exact path otherwise
/// (`createFallbackStringMatch`). On the input of its own golden test
/// (testdata/simple.yaml, whose golden file puts prefix `/sub/path/` ahead
/// of both exact `/sub/path`), `/sub/path` is 4209's before and, moved to
/// HTTPRoutes where Exact ranks first, 4201's after: reported. Istio
/// ignores `spec.defaultBackend` (ingress.go, "Ignore default wildcard
/// ingress"): a host no rule names finds no route before, and migrate
/// writes no catch-all for it.
#[test]
fn istio_reads_its_ingress_paths_by_length_and_ignores_the_default_backend() {
    let (_, report) = migrate(&["istio-ingress-simple.yaml"], "v1.6", &[]);
    let at = |path: &str| request(&report, &format!("http://foohost.bar.com{path}"), &[]).clone();
    let sub = at("/sub/path");
    assert_eq!(
        answer(&sub["before"]),
        forward(&[("ns/service1:4209", 1)]),
        "{sub}"
    );
    assert_eq!(
        answer(&sub["after"]),
        forward(&[("ns/service1:4201", 1)]),
        "{sub}"
    );
    assert_eq!(sub["same"], false, "{sub}");
    let slash = at("/sub/path/");
    assert_eq!(
        answer(&slash["before"]),
        forward(&[("ns/service1:4202", 1)]),
        "{slash}"
    );
    let regex3 = at("/regex3/svcx");
    assert_eq!(
        answer(&regex3["before"]),
        forward(&[("ns/service1:4205", 1)]),
        "{regex3}"
    );
    assert_eq!(regex3["same"], true, "{regex3}");
    let exact = at("/path/svcx");
    assert_eq!(exact["before"]["outcome"], "no-route", "{exact}");

    let file = std::path::Path::new(&fixture("istio-ingress-simple.yaml")).to_path_buf();
    let (objects, report) = migrate_edited(
        &file,
        "  ingressClassName: istio\n",
        "  ingressClassName: istio\n  defaultBackend: {service: {name: service1, port: {number: 4200}}}\n",
        &[],
    );
    let elsewhere = request(&report, "http://svcx-unknown.invalid/", &[]);
    assert_eq!(elsewhere["before"]["outcome"], "no-route", "{elsewhere}");
    assert_eq!(elsewhere["same"], true, "{elsewhere}");
    assert!(
        of_kind(&objects, "HTTPRoute")
            .iter()
            .all(|r| r["spec"]["hostnames"]
                .as_array()
                .is_some_and(|h| !h.is_empty())),
        "no catch-all route: {objects:#?}"
    );
}

/// ingress-nginx's client certificate example (docs/examples/auth/
/// client-certs at dbb11b9): its `auth-tls-*` annotations verify client
/// certificates on the TLS handshake, which in Gateway API is the
/// Gateway's `spec.tls.frontend` (`default.validation`, standard from
/// v1.5, GEP-91; the v1.5.1 CRDs), not an authentication policy: each is
/// reported as not carried over, pointing there, and the routes still
/// route the same.
#[test]
fn client_certificate_annotations_point_at_the_gateways_frontend_tls() {
    let official = root().join("tests/corpus/official/kubernetes-ingress-nginx");
    let example =
        official.join("kubernetes-ingress-nginx--docs-examples-auth-client-certs-ingress.yaml");
    let backend = official.join("kubernetes-ingress-nginx--docs-examples-http-svc.yaml");
    let (_, report) = migrate(
        &[example.to_str().unwrap(), backend.to_str().unwrap()],
        "v1.6",
        &[],
    );
    let tls: Vec<&Value> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["code"] == "ingress-annotation")
        .filter(|n| n["message"].as_str().unwrap().contains("auth-tls-"))
        .collect();
    assert_eq!(tls.len(), 5, "{report:#}");
    assert!(
        tls.iter()
            .all(|n| n["instead"].as_str().unwrap().contains("spec.tls.frontend")),
        "{tls:#?}"
    );
    assert_eq!(differences_are_notes(&report), 0);
}

/// A migration of routing fixtures behind NGINX Gateway Fabric (its
/// official install, which defines GatewayClass `nginx`).
fn migrate_to_ngf(files: &[&str]) -> (Vec<Value>, Value) {
    let install = official("nginx-nginx-gateway-fabric--deploy-default-deploy.yaml");
    let mut args = vec![
        "migrate-to-gateway".to_string(),
        "--gateway-class".into(),
        "nginx".into(),
        "-o".into(),
        "json".into(),
        "-f".into(),
        install,
    ];
    for f in files {
        args.extend(["-f".into(), fixture(f)]);
    }
    let run = svcx(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 0, "{run}");
    let doc = json_out(&run);
    (
        doc["objects"].as_array().unwrap().clone(),
        doc["report"].clone(),
    )
}

/// NGINX Gateway Fabric writes a RegularExpression path as nginx's
/// `location ~ ^PATH` itself and refuses one that does not start with `/`
/// or holds whitespace, `{`, `}` or `;`, dropping its rule
/// (internal/controller/nginx/config/validation/common.go
/// `validatePathInRegexMatch`; configuration.go `if !rule.ValidMatches`).
/// ingress-nginx's rewrite example (`use-regex`) is written for it as
/// `/(?i)something(/|$)(.*)...`, without the `^` it refuses, and every
/// request routes the same. Its path-matching example's
/// `/foo/bar/[A-Z0-9]{3}` cannot be: the report says NGF refuses it, and
/// the check lists the requests only it served as lost (404).
#[test]
fn behind_nginx_gateway_fabric_regex_paths_are_written_as_it_accepts_them() {
    let (objects, report) =
        migrate_to_ngf(&["ingress-nginx-rewrite-ingress.yaml", "http-svc.yaml"]);
    let values: Vec<&str> = of_kind(&objects, "HTTPRoute")
        .iter()
        .flat_map(|r| r["spec"]["rules"].as_array().unwrap().iter())
        .filter_map(|r| r["matches"][0]["path"]["value"].as_str())
        .collect();
    assert!(!values.is_empty());
    assert!(values.iter().all(|v| v.starts_with("/(?i)")), "{values:?}");
    assert_eq!(differences_are_notes(&report), 0);
    for url in [
        "http://rewrite.bar.com/something/a",
        "http://rewrite.bar.com/SOMETHING",
    ] {
        let r = request(&report, url, &[]);
        assert_eq!(
            answer(&r["after"]),
            forward(&[("default/http-svc:80", 1)]),
            "{url}"
        );
    }

    let (_, report) = migrate_to_ngf(&["ingress-nginx-path-matching-warning-ingress-3.yaml"]);
    assert!(
        notes(&report, "regex-path")
            .iter()
            .any(|(_, message)| message.contains("/foo/bar/[A-Z0-9]{3}")
                && message.contains("NGINX Gateway Fabric")),
        "{report:#}"
    );
    let lost = request(&report, "http://test.com/foo/bar/000", &[]);
    assert_eq!(answer(&lost["before"]), forward(&[("default/test:80", 1)]));
    assert_eq!(answer(&lost["after"]).0, "no-route");
    assert_eq!(lost["same"], false);
}

/// NGINX Inc's official files (tests/corpus/official/nginx-kubernetes-ingress,
/// nginx/kubernetes-ingress 0eb3072).
fn nginx_inc(name: &str) -> String {
    official(&format!("nginx-kubernetes-ingress--{name}.yaml"))
}

/// A migration of files (full paths) behind Envoy Gateway at v1.6.
fn migrate_paths(files: &[String]) -> (Vec<Value>, Value) {
    let mut args = vec![
        "migrate-to-gateway",
        "--gateway-class",
        "eg",
        "--gateway-api-version",
        "v1.6",
        "-o",
        "json",
    ];
    for f in files {
        args.extend(["-f", f.as_str()]);
    }
    let run = svcx(&args);
    assert_eq!(run.code, 0, "{run}");
    let doc = json_out(&run);
    (
        doc["objects"].as_array().unwrap().clone(),
        doc["report"].clone(),
    )
}

/// NGINX Inc's mergeable Ingresses (its mergeable-ingress-types example):
/// the master gives the host its server, TLS and https redirect, the
/// minions their locations (internal/configs/ingress.go
/// `generateNginxCfgForMergeableIngresses`: the master's server with the
/// minions' locations). So `http://cafe.example.com/tea` is a 301 to
/// https, and the migration writes an HTTPS listener with the master's
/// Secret and the redirect, unmatched paths included (the redirect is the
/// server's, `$scheme = http` in nginx.ingress.tmpl). Its prefixes are
/// nginx's, by characters (`location /tea`): `/teasvcx` is tea's, which a
/// Gateway PathPrefix is not, and the check says so. A minion without its
/// master serves nothing (internal/k8s/configuration.go: minions are only
/// built under a master).
#[test]
fn nginx_inc_merges_minions_under_the_master_host() {
    let example = |names: &[&str]| -> Vec<String> {
        let mut files: Vec<String> = names
            .iter()
            .map(|n| {
                nginx_inc(&format!(
                    "examples-ingress-resources-mergeable-ingress-types-{n}"
                ))
            })
            .collect();
        files.push(nginx_inc("deployments-common-ingress-class"));
        files
    };
    let (objects, report) = migrate_paths(&example(&[
        "cafe",
        "cafe-master",
        "coffee-minion",
        "tea-minion",
    ]));
    let https: Vec<&Value> = of_kind(&objects, "Gateway")[0]["spec"]["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["protocol"] == "HTTPS")
        .collect();
    assert_eq!(https.len(), 1, "{objects:#?}");
    assert_eq!(https[0]["tls"]["certificateRefs"][0]["name"], "tls-secret");
    for url in [
        "http://cafe.example.com/tea",
        "http://cafe.example.com/svcx-unmatched",
    ] {
        let r = request(&report, url, &[]);
        assert_eq!(r["before"]["outcome"], "redirect", "{url}");
        assert_eq!(r["before"]["status"], 301, "{url}");
        assert_eq!(r["same"], true, "{url}");
    }
    let tea = request(&report, "https://cafe.example.com/tea", &[]);
    assert_eq!(
        answer(&tea["before"]),
        forward(&[("default/tea-svc:80", 1)])
    );
    assert_eq!(tea["same"], true);
    let sibling = request(&report, "https://cafe.example.com/teasvcx", &[]);
    assert_eq!(
        answer(&sibling["before"]),
        forward(&[("default/tea-svc:80", 1)])
    );
    assert_eq!(sibling["same"], false);
    assert!(
        notes(&report, "ingress-annotation").is_empty(),
        "{report:#}"
    );

    let (_, alone) = migrate_paths(&example(&["cafe", "tea-minion"]));
    let r = request(&alone, "http://cafe.example.com/tea", &[]);
    assert_eq!(r["before"]["outcome"], "no-route");
}

/// NGINX Inc gives a host to its oldest Ingress, whole
/// (internal/k8s/configuration.go `buildHostsAndResources`): of two
/// Ingresses for cafe.example.com read from a cluster, the later one's
/// `/menu` is not served (404), and a migration that served it would
/// change where its requests go; it is left out and said.
#[test]
fn nginx_inc_serves_a_host_from_its_oldest_ingress() {
    let files = vec![
        fixture("nginx-inc-host-taken.yaml"),
        nginx_inc("examples-ingress-resources-complete-example-cafe"),
        nginx_inc("deployments-common-ingress-class"),
    ];
    let (_, report) = migrate_paths(&files);
    let menu = request(&report, "http://cafe.example.com/menu", &[]);
    assert_eq!(menu["before"]["outcome"], "no-route");
    assert_eq!(menu["same"], true, "{menu:#}");
    let tea = request(&report, "http://cafe.example.com/tea", &[]);
    assert_eq!(
        answer(&tea["before"]),
        forward(&[("default/tea-svc:80", 1)])
    );
}

/// NGINX Inc's `nginx.org/http-redirect-code` sets its https redirect's
/// status (internal/configs/annotations.go; 301, 302, 307 or 308). Its
/// complete example, with a user's `308`: http is answered with a 308, and
/// the migration writes the redirect with it.
#[test]
fn nginx_inc_redirects_with_its_http_redirect_code() {
    let dir = tempfile::tempdir().unwrap();
    let source = nginx_inc("examples-ingress-resources-complete-example-cafe-ingress");
    let text = std::fs::read_to_string(&source).unwrap();
    let edited = text.replacen(
        "  name: cafe-ingress\n",
        "  name: cafe-ingress\n  annotations:\n    nginx.org/http-redirect-code: \"308\"\n",
        1,
    );
    assert_ne!(text, edited);
    let path = dir.path().join("cafe-ingress.yaml");
    std::fs::write(&path, edited).unwrap();
    let files = vec![
        path.display().to_string(),
        nginx_inc("examples-ingress-resources-complete-example-cafe"),
        nginx_inc("deployments-common-ingress-class"),
    ];
    let (objects, report) = migrate_paths(&files);
    let r = request(&report, "http://cafe.example.com/coffee", &[]);
    assert_eq!(r["before"]["status"], 308);
    assert_eq!(r["same"], true);
    let codes: Vec<Value> = of_kind(&objects, "HTTPRoute")
        .iter()
        .flat_map(|o| o["spec"]["rules"].as_array().unwrap().iter())
        .flat_map(|r| r["filters"].as_array().cloned().unwrap_or_default())
        .filter_map(|f| f.get("requestRedirect").map(|rr| rr["statusCode"].clone()))
        .collect();
    assert!(
        !codes.is_empty() && codes.iter().all(|c| *c == 308),
        "{codes:?}"
    );
}

/// Class `nginx` is the default class of ingress-nginx and of NGINX Inc's
/// controller (nginx/kubernetes-ingress 0eb3072
/// deployments/common/ingress-class.yaml), which route differently. NGINX
/// Inc's complete example has neither its IngressClass nor an annotation
/// of its own: read as ingress-nginx's, and the report says so
/// (`controller-choice`); with its IngressClass in the input, it is NGINX
/// Inc's, with nothing to say.
#[test]
fn class_nginx_without_its_ingress_class_is_said_to_be_read_as_ingress_nginx() {
    let example = vec![
        nginx_inc("examples-ingress-resources-complete-example-cafe-ingress"),
        nginx_inc("examples-ingress-resources-complete-example-cafe"),
    ];
    let (_, report) = migrate_paths(&example);
    assert_eq!(
        notes(&report, "controller-choice")
            .iter()
            .filter(
                |(object, message)| *object == "Ingress default/cafe-ingress"
                    && message.starts_with("class nginx")
            )
            .count(),
        1,
        "{report:#}"
    );
    let mut with_class = example.clone();
    with_class.push(nginx_inc("deployments-common-ingress-class"));
    let (_, report) = migrate_paths(&with_class);
    assert!(
        notes(&report, "controller-choice")
            .iter()
            .all(|(_, message)| !message.starts_with("class nginx")),
        "{report:#}"
    );
}
