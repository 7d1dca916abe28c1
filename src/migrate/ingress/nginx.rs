//! ingress-nginx annotations, read once per Ingress: which of them Gateway
//! API expresses at the target release (redirects, app-root, upstream-vhost,
//! CORS from v1.5, regex paths, gRPC backends, simple rewrites), as the
//! filters and matches the Ingress's rules get; and, for every other one,
//! what to use instead. An annotation is either translated here or named in
//! the report, never dropped silently.

use super::super::target::{ApiKind, Writes};
use super::super::{Note, NoteCode};
pub(in crate::migrate) use crate::model::routing::NGINX_PREFIX;
use crate::model::routing::ingress::{NGINX_ORG_PATH_REGEX, PathRegex};
use crate::model::routing::nginx;
use gateway_api::apis::standard::grpcroutes::{
    GrpcRoute, GrpcRouteParentRefs, GrpcRouteRules, GrpcRouteRulesBackendRefs,
    GrpcRouteRulesMatches, GrpcRouteRulesMatchesMethod, GrpcRouteRulesMatchesMethodType,
    GrpcRouteSpec,
};
use gateway_api::apis::standard::httproutes::{
    HttpRouteRules, HttpRouteRulesFilters, HttpRouteRulesFiltersCors,
    HttpRouteRulesFiltersRequestRedirect, HttpRouteRulesFiltersRequestRedirectPath,
    HttpRouteRulesFiltersRequestRedirectPathType, HttpRouteRulesFiltersRequestRedirectScheme,
    HttpRouteRulesFiltersType, HttpRouteRulesMatches, HttpRouteRulesMatchesPath,
    HttpRouteRulesMatchesPathType,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::{BTreeMap, BTreeSet};

/// What an Ingress's ingress-nginx annotations ask of its rules.
#[derive(Default)]
pub(in crate::migrate) struct Nginx {
    /// A `rewrite-target` without capture groups.
    pub(crate) rewrite: Option<String>,
    /// `upstream-vhost`: the Host header sent to the backend.
    pub(crate) vhost: Option<String>,
    /// `permanent-redirect` / `temporal-redirect`: every path answers with
    /// this redirect instead of reaching its backend.
    pub(crate) redirect: Option<HttpRouteRulesFiltersRequestRedirect>,
    /// `app-root`: `/` redirects (302) to this path.
    pub(crate) app_root: Option<String>,
    /// `enable-cors` and `cors-*`, where the target serves the filter.
    pub(crate) cors: Option<HttpRouteRulesFiltersCors>,
    /// `backend-protocol: GRPC`/`GRPCS`, where the target serves GRPCRoute.
    pub(crate) grpc: bool,
}

/// A path the controller reads as a regular expression, as a
/// RegularExpression match: anchored at the start as nginx's `location ~
/// ^PATH` is, and open at the end (`.*`), since Envoy-based implementations
/// match the whole path where nginx matched a prefix; `(?i)` (which RE2 and
/// PCRE read alike) where nginx ignored case. `nginx_location`: for a
/// Gateway implementation that writes the path as nginx's `location ~
/// ^PATH` itself and refuses one that does not start with `/` (NGINX
/// Gateway Fabric): no `^`, and `(?i)` after the first `/`, which has no
/// case.
pub(in crate::migrate) fn written(flavor: PathRegex, path: &str, nginx_location: bool) -> String {
    let bare = path.trim_start_matches('^');
    let anchor = if nginx_location { "" } else { "^" };
    match flavor {
        PathRegex::Exact => format!("{anchor}{}$", bare.trim_end_matches('$')),
        PathRegex::CaseSensitive | PathRegex::CaseInsensitive => {
            let open = if bare.ends_with('$') || bare.ends_with(".*") {
                ""
            } else {
                ".*"
            };
            let case = if flavor == PathRegex::CaseInsensitive {
                "(?i)"
            } else {
                ""
            };
            match bare.strip_prefix('/') {
                Some(rest) if nginx_location => format!("/{case}{rest}{open}"),
                _ => format!("{case}{anchor}{bare}{open}"),
            }
        }
    }
}

/// Reads the annotations; returns what they ask and the short names of
/// those translated (the caller reports every other one).
pub(in crate::migrate) fn read(
    annotations: &BTreeMap<String, String>,
    target: &Writes,
    object: &str,
    notes: &mut Vec<Note>,
) -> (Nginx, BTreeSet<String>) {
    let get = |k: &str| {
        annotations
            .get(&format!("{NGINX_PREFIX}{k}"))
            .map(|v| v.trim())
    };
    let mut n = Nginx::default();
    let mut done: BTreeSet<String> = ["ssl-redirect", "force-ssl-redirect", "use-regex"]
        .into_iter()
        .map(String::from)
        .collect();
    let mut note = |message: String, instead: &str| {
        notes.push(Note {
            code: NoteCode::IngressAnnotation,
            object: object.to_string(),
            port: None,
            message,
            instead: instead.to_string(),
        })
    };
    if annotations.contains_key(NGINX_ORG_PATH_REGEX) {
        done.insert(NGINX_ORG_PATH_REGEX.into());
    }
    match get("backend-protocol")
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        Some("HTTP") => {
            done.insert("backend-protocol".into());
        }
        Some(p @ ("GRPC" | "GRPCS")) if target.api_version(ApiKind::GrpcRoute).is_some() => {
            n.grpc = true;
            done.insert("backend-protocol".into());
            if p == "GRPCS" {
                note(
                    format!(
                        "annotation {NGINX_PREFIX}backend-protocol: \"GRPCS\": the routes are GRPCRoutes, but the \
                         backend's TLS is not carried over"
                    ),
                    "add a BackendTLSPolicy for the Service (standard from Gateway API v1.4), or the backend \
                     receives cleartext",
                );
            }
        }
        _ => {}
    }
    // GRPCRoute has no redirect, rewrite or CORS filter: on a gRPC Ingress
    // those stay reported.
    if n.grpc {
        return (n, done);
    }
    if let Some(r) = get("rewrite-target").filter(|r| simple_rewrite(r)) {
        n.rewrite = Some(r.to_string());
        done.insert("rewrite-target".into());
    }
    if let Some(h) = get("upstream-vhost").filter(|h| precise_hostname(h)) {
        n.vhost = Some(h.to_string());
        done.insert("upstream-vhost".into());
    }
    if let Some(root) = nginx::app_root(get).filter(|r| !r.contains(['?', '$'])) {
        n.app_root = Some(root.to_string());
        done.insert("app-root".into());
    }
    if let Some(r) = nginx::location_return(get)
        && let Some(mut redirect) = redirect_to(r.url)
    {
        let (key, code) = (r.key, i64::from(r.code));
        let code_key = format!("{key}-code");
        // 303, 307 and 308 are in the CRDs from v1.5; before, the nearest.
        let served = if target.release_at_least() >= 5 {
            [301, 302, 303, 307, 308].contains(&code)
        } else {
            [301, 302].contains(&code)
        };
        let written = if served {
            code
        } else if matches!(code, 301 | 308) {
            301
        } else {
            302
        };
        if written != code {
            note(
                format!(
                    "annotation {NGINX_PREFIX}{key} answers with status {code}, which the HTTPRoute RequestRedirect \
                     filter of {target} does not offer: it is written with {written}"
                ),
                "target Gateway API v1.5 or later (--gateway-api-version) for 303, 307 and 308",
            );
        }
        redirect.status_code = Some(written);
        n.redirect = Some(redirect);
        done.insert(key.into());
        done.insert(code_key);
    }
    if get("enable-cors") == Some("true") {
        if target.release_at_least() >= 5 {
            match cors(&get) {
                Ok((filter, keys)) => {
                    n.cors = Some(filter);
                    done.insert("enable-cors".into());
                    done.extend(keys);
                }
                Err(why) => note(
                    format!(
                        "annotation {NGINX_PREFIX}enable-cors: {why}, so no CORS filter is written"
                    ),
                    "fix the cors-* annotation, or write the HTTPRoute CORS filter by hand",
                ),
            }
        }
    } else if get("enable-cors").is_some() {
        done.insert("enable-cors".into());
    }
    (n, done)
}

/// Whether a rewrite-target is a plain path (no capture groups). nginx's
/// `rewrite` replaces the whole URI when the path matches, which is what
/// URLRewrite ReplaceFullPath does.
pub(in crate::migrate) fn simple_rewrite(value: &str) -> bool {
    value.starts_with('/') && !value.contains('$')
}

/// A hostname the CRDs take as a URLRewrite hostname (lower case, no port,
/// no wildcard, no nginx variable).
fn precise_hostname(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 253
        && h.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// A RequestRedirect to `url` (`scheme://host[:port][/path]`, or a path):
/// nginx's `return CODE URL` sends every request there, so the path is
/// replaced whole. `None` for what the filter cannot say (a query, a
/// fragment, nginx variables, another scheme).
fn redirect_to(url: &str) -> Option<HttpRouteRulesFiltersRequestRedirect> {
    if url.contains(['?', '#', '$']) {
        return None;
    }
    let path = |p: &str| HttpRouteRulesFiltersRequestRedirectPath {
        r#type: HttpRouteRulesFiltersRequestRedirectPathType::ReplaceFullPath,
        replace_full_path: Some(if p.is_empty() { "/".into() } else { p.into() }),
        ..Default::default()
    };
    if url.starts_with('/') {
        return Some(HttpRouteRulesFiltersRequestRedirect {
            path: Some(path(url)),
            ..Default::default()
        });
    }
    let (scheme, rest) = url.split_once("://")?;
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "http" => HttpRouteRulesFiltersRequestRedirectScheme::Http,
        "https" => HttpRouteRulesFiltersRequestRedirectScheme::Https,
        _ => return None,
    };
    let (authority, p) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, port)) => (
            h,
            Some(
                port.parse::<i32>()
                    .ok()
                    .filter(|&p| crate::model::ports::is_port_number(p))?,
            ),
        ),
        None => (authority, None),
    };
    let host = host.to_ascii_lowercase();
    if !precise_hostname(&host) {
        return None;
    }
    Some(HttpRouteRulesFiltersRequestRedirect {
        scheme: Some(scheme),
        hostname: Some(host),
        port,
        path: Some(path(p)),
        ..Default::default()
    })
}

/// The rule `app-root` adds: `/` (exactly) redirects to the root, 302 as
/// ingress-nginx answers.
pub(in crate::migrate) fn app_root_rule(root: &str) -> HttpRouteRules {
    HttpRouteRules {
        matches: Some(vec![HttpRouteRulesMatches {
            path: Some(HttpRouteRulesMatchesPath {
                r#type: Some(HttpRouteRulesMatchesPathType::Exact),
                value: Some("/".into()),
            }),
            ..Default::default()
        }]),
        filters: Some(vec![HttpRouteRulesFilters {
            r#type: HttpRouteRulesFiltersType::RequestRedirect,
            request_redirect: Some(HttpRouteRulesFiltersRequestRedirect {
                path: Some(HttpRouteRulesFiltersRequestRedirectPath {
                    r#type: HttpRouteRulesFiltersRequestRedirectPathType::ReplaceFullPath,
                    replace_full_path: Some(root.to_string()),
                    ..Default::default()
                }),
                status_code: Some(302),
                ..Default::default()
            }),
            ..Default::default()
        }]),
        ..Default::default()
    }
}

/// ingress-nginx's CORS defaults, written out so that the filter allows
/// what the controller allowed.
const CORS_METHODS: &str = "GET, PUT, POST, DELETE, PATCH, OPTIONS";
const CORS_HEADERS: &str = "DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization";
const CORS_MAX_AGE: i32 = 1_728_000;
const METHODS: &[&str] = &[
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "*",
];

/// The CORS filter of `enable-cors` and `cors-*` (each defaulting as
/// ingress-nginx does), with the annotations read; an error says which
/// value the CRD would refuse.
fn cors<'a>(
    get: &impl Fn(&str) -> Option<&'a str>,
) -> Result<(HttpRouteRulesFiltersCors, Vec<String>), String> {
    let mut keys = Vec::new();
    let mut value = |k: &str, default: &'a str| match get(k) {
        Some(v) => {
            keys.push(k.to_string());
            v
        }
        None => default,
    };
    let list = |v: &str| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for item in v.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if !out.iter().any(|o| o == item) {
                out.push(item.to_string());
            }
        }
        out
    };
    let origins = list(value("cors-allow-origin", "*"));
    if let Some(bad) = origins.iter().find(|o| !origin(o)) {
        return Err(format!(
            "origin `{bad}` is not `*` nor scheme://host[:port]"
        ));
    }
    let methods: Vec<String> = list(value("cors-allow-methods", CORS_METHODS))
        .into_iter()
        .map(|m| m.to_ascii_uppercase())
        .collect();
    if let Some(bad) = methods.iter().find(|m| !METHODS.contains(&m.as_str())) {
        return Err(format!(
            "method `{bad}` is not an HTTP method the filter knows"
        ));
    }
    let token = |h: &String| {
        !h.is_empty()
            && h.len() <= 256
            && h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    let headers = list(value("cors-allow-headers", CORS_HEADERS));
    let expose = list(value("cors-expose-headers", ""));
    if let Some(bad) = headers.iter().chain(&expose).find(|h| !token(h)) {
        return Err(format!("header `{bad}` is not a header name"));
    }
    let credentials = value("cors-allow-credentials", "true") == "true";
    let max_age = value("cors-max-age", "")
        .parse::<i32>()
        .ok()
        .filter(|a| *a >= 1)
        .unwrap_or(CORS_MAX_AGE);
    for (what, items) in [
        ("origins", &origins),
        ("methods", &methods),
        ("headers", &headers),
    ] {
        if items.len() > 1 && items.iter().any(|i| i == "*") {
            return Err(format!(
                "`*` stands beside other {what}, which the CRD refuses"
            ));
        }
    }
    Ok((
        HttpRouteRulesFiltersCors {
            allow_origins: Some(origins),
            allow_methods: Some(methods),
            allow_headers: Some(headers),
            expose_headers: (!expose.is_empty()).then_some(expose),
            allow_credentials: Some(credentials),
            max_age: Some(max_age),
        },
        keys,
    ))
}

/// An origin as the CRD takes it: `*`, or `http(s)://host[:port]` (the
/// host may start with `*.`).
fn origin(o: &str) -> bool {
    if o == "*" {
        return true;
    }
    let Some((scheme, rest)) = o.split_once("://") else {
        return false;
    };
    let (host, port) = rest
        .rsplit_once(':')
        .map_or((rest, None), |(h, p)| (h, Some(p)));
    matches!(scheme, "http" | "https")
        && port
            .is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
        && (host == "*"
            || host.strip_prefix("*.").unwrap_or(host).split('.').all(|l| {
                !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            }))
}

/// Whether an Ingress path can be a GRPCRoute match: `/` (every method),
/// `/pkg.Service` or `/pkg.Service/` (a service), `/pkg.Service/Method`
/// (one method). `Some(None)`: match everything.
pub(in crate::migrate) fn grpc_match(path: &str) -> Option<Option<GrpcRouteRulesMatchesMethod>> {
    let trimmed = path.trim_start_matches('/');
    if trimmed.is_empty() {
        return Some(None);
    }
    let (service, method) = match trimmed.trim_end_matches('/').split_once('/') {
        Some((s, m)) => (s, Some(m)),
        None => (trimmed.trim_end_matches('/'), None),
    };
    let name = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
    };
    if !name(service) || method.is_some_and(|m| !name(m) || m.contains('.')) {
        return None;
    }
    Some(Some(GrpcRouteRulesMatchesMethod {
        r#type: Some(GrpcRouteRulesMatchesMethodType::Exact),
        service: Some(service.to_string()),
        method: method.map(String::from),
    }))
}

/// The GRPCRoute of a gRPC Ingress host: its rules' backends, each matched
/// by the gRPC service (and method) its path names.
pub(in crate::migrate) fn grpc_route(
    metadata: ObjectMeta,
    host: Option<String>,
    (name, namespace, section): (String, String, String),
    rules: &[HttpRouteRules],
) -> GrpcRoute {
    let rules = rules
        .iter()
        .map(|r| {
            let method = r
                .matches
                .iter()
                .flatten()
                .filter_map(|m| m.path.as_ref()?.value.as_deref())
                .find_map(grpc_match)
                .flatten();
            GrpcRouteRules {
                matches: method.map(|m| {
                    vec![GrpcRouteRulesMatches {
                        method: Some(m),
                        ..Default::default()
                    }]
                }),
                backend_refs: r.backend_refs.as_ref().map(|refs| {
                    refs.iter()
                        .map(|b| GrpcRouteRulesBackendRefs {
                            name: b.name.clone(),
                            port: b.port,
                            ..Default::default()
                        })
                        .collect()
                }),
                ..Default::default()
            }
        })
        .collect();
    GrpcRoute {
        metadata,
        spec: GrpcRouteSpec {
            hostnames: host.map(|h| vec![h]),
            parent_refs: Some(vec![GrpcRouteParentRefs {
                name,
                namespace: Some(namespace),
                section_name: Some(section),
                ..Default::default()
            }]),
            rules: Some(rules),
        },
        status: None,
    }
}

/// What to do instead of an ingress-nginx annotation that is not carried over.
pub(in crate::migrate) fn instead(short: &str) -> &'static str {
    match short {
        // Client certificate verification (mTLS) is the listener's, not an
        // authentication policy's: Gateway `spec.tls.frontend`
        // (`default.validation.caCertificateRefs`), standard from Gateway
        // API v1.5 (GEP-91; the v1.5.1 CRDs in ../shared).
        s if s.starts_with("auth-tls-") => {
            "verify client certificates with the Gateway's spec.tls.frontend (default.validation.caCertificateRefs, \
             standard from Gateway API v1.5: --gateway-api-version v1.5) or your implementation's client TLS policy"
        }
        s if s.starts_with("auth-") => {
            "use your Gateway implementation's authentication policy (external or basic auth)"
        }
        s if s.starts_with("cors-") || s == "enable-cors" => {
            "use the HTTPRoute CORS filter (standard from Gateway API v1.5: --gateway-api-version v1.5) or your \
             implementation's CORS policy"
        }
        s if s.starts_with("limit-") || s == "global-rate-limit" => {
            "use your Gateway implementation's rate limit policy (e.g. Envoy Gateway BackendTrafficPolicy rateLimit)"
        }
        "whitelist-source-range" | "allowlist-source-range" | "denylist-source-range" => {
            "restrict client addresses with your implementation's policy (e.g. Envoy Gateway SecurityPolicy \
             authorization by clientCIDRs)"
        }
        "proxy-body-size" | "client-body-buffer-size" => {
            "set the request body limit in your implementation's policy (e.g. Envoy Gateway \
             ClientTrafficPolicy/BackendTrafficPolicy)"
        }
        s if s.ends_with("snippet") => {
            "snippets are nginx configuration, with no Gateway API equivalent: rewrite what they do as filters \
             or implementation policies"
        }
        s if s.starts_with("affinity") || s.starts_with("session-cookie") => {
            "use cookie sessionPersistence (experimental channel) where your implementation supports it"
        }
        s if s.starts_with("proxy-ssl") => {
            "verify the backend's certificate with a BackendTLSPolicy (standard from Gateway API v1.4)"
        }
        "backend-protocol" => {
            "GRPC: a GRPCRoute (standard from v1.1); HTTPS: add a BackendTLSPolicy (standard from v1.4); \
             FCGI and AUTO_HTTP have no Gateway API equivalent"
        }
        s if s.starts_with("proxy-") && s.ends_with("timeout") => {
            "set HTTPRoute rules[].timeouts (request, backendRequest)"
        }
        "rewrite-target" => {
            "a rewrite with capture groups has no Gateway API equivalent: use URLRewrite ReplacePrefixMatch or \
             ReplaceFullPath where the paths allow"
        }
        "permanent-redirect"
        | "temporal-redirect"
        | "permanent-redirect-code"
        | "temporal-redirect-code" => {
            "a redirect to a URL with a query or nginx variables has no RequestRedirect equivalent: write the \
             filter by hand"
        }
        "upstream-vhost" => {
            "write a URLRewrite filter with the hostname, if it is a plain host name"
        }
        "app-root" => "write an Exact `/` rule with a RequestRedirect filter to the path",
        "from-to-www-redirect" => {
            "write an HTTPRoute for the other name (`www.` added or taken off) whose rule has a RequestRedirect \
             filter to the host, statusCode 308, and give the Gateway a listener (and certificate) for that name"
        }
        _ => "configure the same behaviour in your Gateway implementation, or drop it",
    }
}

/// Annotations of other Ingress controllers (and of cert-manager), which
/// svcx does not translate: `(whose, what to do instead)`, so that none is
/// dropped silently.
pub(in crate::migrate) fn other_controller(key: &str) -> Option<(&'static str, &'static str)> {
    // NGINX Inc's annotations that have a Gateway API equivalent
    // (nginx/kubernetes-ingress 0eb3072 docs, "Advanced configuration with
    // annotations").
    const NGINX_INC: &[(&str, &str)] = &[
        (
            "nginx.org/ssl-services",
            "verify and speak TLS to these backends with a BackendTLSPolicy (standard from Gateway API v1.4)",
        ),
        (
            "nginx.org/grpc-services",
            "route these backends with a GRPCRoute (standard from v1.1): an HTTPRoute does not speak gRPC to them",
        ),
        (
            "nginx.org/rewrites",
            "write an HTTPRoute URLRewrite filter (ReplacePrefixMatch) on the rule of each path",
        ),
        (
            "nginx.org/rewrite-target",
            "write an HTTPRoute URLRewrite filter (ReplacePrefixMatch or ReplaceFullPath) where the path allows",
        ),
        (
            "nginx.org/redirect-to-https",
            "write a RequestRedirect to https on the HTTP listener's rules",
        ),
    ];
    if let Some((_, instead)) = NGINX_INC.iter().find(|(k, _)| *k == key) {
        return Some(("the NGINX Ingress Controller (nginx.org)", instead));
    }
    const OTHERS: &[(&str, &str, &str)] = &[
        (
            "cert-manager.io/",
            "cert-manager",
            "put it on the Gateway: cert-manager issues the certificates of Gateway listeners too (with its \
             Gateway API support enabled)",
        ),
        (
            "nginx.org/",
            "the NGINX Ingress Controller (nginx.org)",
            "configure the same behaviour with HTTPRoute filters or your Gateway implementation's policies",
        ),
        (
            "traefik.ingress.kubernetes.io/",
            "Traefik",
            "configure the same behaviour with HTTPRoute filters or your Gateway implementation's policies",
        ),
        (
            "alb.ingress.kubernetes.io/",
            "the AWS Load Balancer Controller",
            "configure the same behaviour on the Gateway (its infrastructure or the implementation's policies)",
        ),
        (
            "haproxy.org/",
            "HAProxy Ingress",
            "configure the same behaviour with HTTPRoute filters or your Gateway implementation's policies",
        ),
        (
            "konghq.com/",
            "Kong",
            "configure the same behaviour with HTTPRoute filters or your Gateway implementation's policies",
        ),
        (
            "appgw.ingress.kubernetes.io/",
            "the Azure Application Gateway Ingress Controller",
            "configure the same behaviour on the Gateway (its infrastructure or the implementation's policies)",
        ),
    ];
    OTHERS
        .iter()
        .find(|(prefix, _, _)| key.starts_with(prefix))
        .map(|(_, who, instead)| (*who, *instead))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// NGINX Inc's annotations with a Gateway API equivalent name it: the
    /// kind or filter that does the same.
    #[test]
    fn nginx_inc_annotations_point_at_their_gateway_api_equivalent() {
        for (key, names) in [
            ("nginx.org/ssl-services", "BackendTLSPolicy"),
            ("nginx.org/grpc-services", "GRPCRoute"),
            ("nginx.org/rewrites", "URLRewrite"),
            ("nginx.org/redirect-to-https", "RequestRedirect"),
        ] {
            let (reader, instead) = other_controller(key).expect("known");
            assert_eq!(reader, "the NGINX Ingress Controller (nginx.org)");
            assert!(instead.contains(names), "{key}: {instead}");
        }
        let (_, generic) = other_controller("nginx.org/proxy-connect-timeout").expect("known");
        assert!(!generic.contains("GRPCRoute"));
    }

    #[test]
    fn redirect_urls_split_into_the_filter_fields() {
        let r = redirect_to("https://www.example.com:8443/new").unwrap();
        assert_eq!(r.hostname.as_deref(), Some("www.example.com"));
        assert_eq!(r.port, Some(8443));
        assert_eq!(
            r.scheme,
            Some(HttpRouteRulesFiltersRequestRedirectScheme::Https)
        );
        assert_eq!(r.path.unwrap().replace_full_path.as_deref(), Some("/new"));
        let bare = redirect_to("http://example.com").unwrap();
        assert_eq!(bare.path.unwrap().replace_full_path.as_deref(), Some("/"));
        assert!(redirect_to("https://example.com/?a=b").is_none());
        assert!(redirect_to("https://$host/x").is_none());
        assert!(redirect_to("ftp://example.com").is_none());
        assert!(redirect_to("/moved").unwrap().hostname.is_none());
    }

    #[test]
    fn grpc_paths_name_services_and_methods() {
        assert_eq!(grpc_match("/"), Some(None));
        let m = grpc_match("/shop.Cart/").unwrap().unwrap();
        assert_eq!(
            (m.service.as_deref(), m.method.as_deref()),
            (Some("shop.Cart"), None)
        );
        let m = grpc_match("/shop.Cart/Add").unwrap().unwrap();
        assert_eq!(m.method.as_deref(), Some("Add"));
        assert_eq!(grpc_match("/api/v1/things"), None);
    }

    #[test]
    fn regex_paths_keep_how_nginx_read_them() {
        assert_eq!(
            written(PathRegex::CaseInsensitive, "/api/v[0-9]+", false),
            "(?i)^/api/v[0-9]+.*"
        );
        assert_eq!(
            written(PathRegex::CaseSensitive, "/static", false),
            "^/static.*"
        );
        assert_eq!(written(PathRegex::CaseSensitive, "^/end$", false), "^/end$");
        assert_eq!(written(PathRegex::Exact, "/exact", false), "^/exact$");
        // NGINX Gateway Fabric writes `~ ^PATH` itself and wants a `/` first.
        assert_eq!(
            written(PathRegex::CaseInsensitive, "/api/v[0-9]+", true),
            "/(?i)api/v[0-9]+.*"
        );
        assert_eq!(written(PathRegex::Exact, "/exact", true), "/exact$");
    }

    #[test]
    fn origins_follow_the_crd_pattern() {
        assert!(origin("*"));
        assert!(origin("https://example.com"));
        assert!(origin("https://*.example.com:8443"));
        assert!(!origin("example.com"));
        assert!(!origin("https://example.com/path"));
    }
}
