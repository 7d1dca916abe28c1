//! The rules of one location: the path match as the controller reads it
//! (Exact, Prefix, the regular expressions of a regex host, GKE's
//! patterns), the backend with the filters its Ingress's annotations ask
//! for, the canary's weight and header rules, and the same matches
//! redirected to https.

use super::nginx::{self, Nginx};
use super::{IngressPlan, Out, ingress_label};
use crate::migrate::target::ApiKind;
use crate::migrate::{Note, NoteCode, RouteLine};
use crate::model::ports::{is_port_number, service_ports};
use crate::model::routes::IngressPathFacts;
use crate::model::routes::gateway::{
    NGINX_GATEWAY_FABRIC_CONTROLLER, nginx_gateway_fabric_accepts_regex_path,
};
use crate::model::routing::ingress::{Canary, Location, PathKind, PathRegex, Server, Target};
use crate::model::routing::istio::IstioMatch;
use crate::model::routing::{Front, Implementation, NGINX_PREFIX};
use gateway_api::apis::standard::httproutes::{
    HttpRouteRules, HttpRouteRulesBackendRefs, HttpRouteRulesFilters,
    HttpRouteRulesFiltersRequestRedirect, HttpRouteRulesFiltersRequestRedirectScheme,
    HttpRouteRulesFiltersType, HttpRouteRulesFiltersUrlRewrite,
    HttpRouteRulesFiltersUrlRewritePath, HttpRouteRulesFiltersUrlRewritePathType,
    HttpRouteRulesMatches, HttpRouteRulesMatchesHeaders, HttpRouteRulesMatchesHeadersType,
    HttpRouteRulesMatchesPath, HttpRouteRulesMatchesPathType,
};

/// The `PathPrefix /` match of a default backend (in a regex host, `^/`).
pub(super) fn root_match(cx: &IngressPlan, regex: bool) -> HttpRouteRulesMatchesPath {
    if regex {
        HttpRouteRulesMatchesPath {
            r#type: Some(HttpRouteRulesMatchesPathType::RegularExpression),
            value: Some(nginx::written(
                PathRegex::CaseInsensitive,
                "/",
                writes_nginx_locations(cx),
            )),
        }
    } else {
        HttpRouteRulesMatchesPath {
            r#type: Some(HttpRouteRulesMatchesPathType::PathPrefix),
            value: Some("/".into()),
        }
    }
}

/// Whether the Gateway's implementation writes RegularExpression paths as
/// nginx locations (`~ ^PATH`), NGINX Gateway Fabric's way.
fn writes_nginx_locations(cx: &IngressPlan) -> bool {
    cx.snap.class_controller(cx.gateway_class) == Some(NGINX_GATEWAY_FABRIC_CONTROLLER)
}

/// The path match of a location, or `None` (and a note) when it has none.
#[allow(clippy::too_many_arguments)]
pub(super) fn path_match(
    cx: &IngressPlan,
    front: &Front,
    server: &Server,
    loc: &Location,
    p: &IngressPathFacts,
    n: &Nginx,
    regex_said: &mut bool,
    out: &mut Out,
) -> Option<HttpRouteRulesMatchesPath> {
    let object = ingress_label(cx, loc.ingress);
    let note = |code, message: String, instead: &str| Note {
        code,
        object: object.clone(),
        port: None,
        message,
        instead: instead.to_string(),
    };
    let value = loc.path.clone();
    let m = |kind, value| HttpRouteRulesMatchesPath {
        r#type: Some(kind),
        value: Some(value),
    };
    if n.grpc {
        // A gRPC path names a service (and method): anything else has no
        // GRPCRoute match.
        if nginx::grpc_match(&value).is_none() {
            out.notes.push(note(
                NoteCode::ImplementationSpecificPath,
                format!(
                    "{}: path {value} of a gRPC Ingress (backend-protocol GRPC) names no gRPC service: no rule is \
                     written",
                    p.field
                ),
                "use `/` or `/package.Service[/Method]` paths for gRPC, then migrate again",
            ));
            return None;
        }
        return Some(m(HttpRouteRulesMatchesPathType::PathPrefix, value));
    }
    if let Some(flavor) = loc.regex {
        let nginx_location = writes_nginx_locations(cx);
        let regex = nginx::written(flavor, &value, nginx_location);
        // NGINX Gateway Fabric drops a rule whose expression holds what an
        // nginx location cannot (a `{n}` count, whitespace): said, and the
        // routing check shows its requests lost.
        if nginx_location && !nginx_gateway_fabric_accepts_regex_path(&regex) {
            out.notes.push(note(
                NoteCode::RegexPath,
                format!(
                    "{}: path {value} is written as RegularExpression {regex}, which NGINX Gateway Fabric refuses \
                     (`{{`, `}}`, `;` or whitespace): it drops the rule, and its requests get another rule or a 404",
                    p.field
                ),
                "rewrite the expression without counts in braces (`[0-9][0-9][0-9]` for `[0-9]{3}`), or as \
                 PathPrefix/Exact",
            ));
        }
        let annotated = |key: &str| {
            cx.snap.ingresses[cx.ix.ingresses[loc.ingress].index]
                .object
                .metadata
                .annotations
                .as_ref()
                .is_some_and(|a| a.get(key).is_some_and(|v| !v.is_empty() && v != "false"))
        };
        // The path's own Ingress asked for regular expressions, or another
        // Ingress of its host did.
        let own = !server.regex
            || annotated(&format!("{NGINX_PREFIX}use-regex"))
            || annotated(&format!("{NGINX_PREFIX}rewrite-target"));
        if !*regex_said || !own {
            *regex_said = true;
            out.notes.push(note(
                NoteCode::RegexPath,
                format!(
                    "{}: path {value} is a regular expression to the controller{}, written as RegularExpression \
                     {regex}, whose support and dialect are implementation-specific",
                    p.field,
                    if own {
                        String::new()
                    } else {
                        format!(
                            " (another Ingress of host {} uses use-regex or rewrite-target, which makes every path of \
                             the host one, case-insensitive)",
                            server.host.as_deref().unwrap_or("(any)")
                        )
                    }
                ),
                "check that your implementation supports RegularExpression path matches (RE2 in Envoy-based \
                 ones), or rewrite the path as PathPrefix/Exact",
            ));
        }
        return Some(m(HttpRouteRulesMatchesPathType::RegularExpression, regex));
    }
    match (loc.kind, front.implementation) {
        (PathKind::Exact, _) => Some(m(HttpRouteRulesMatchesPathType::Exact, value)),
        (PathKind::Prefix, _) => Some(m(HttpRouteRulesMatchesPathType::PathPrefix, value)),
        // GCE path patterns, and ALB ones whose only wildcard is a final
        // `/*`: `/foo/*` covers what is below `/foo/` (the routing check
        // reports `/foo` itself, which PathPrefix also serves).
        (PathKind::ImplementationSpecific, Implementation::Gce | Implementation::Alb)
            if front.implementation == Implementation::Gce
                || !value
                    .strip_suffix("/*")
                    .unwrap_or(&value)
                    .contains(['*', '?']) =>
        {
            Some(match value.strip_suffix("/*") {
                Some(stem) => m(
                    HttpRouteRulesMatchesPathType::PathPrefix,
                    if stem.is_empty() {
                        "/".into()
                    } else {
                        stem.into()
                    },
                ),
                None if value == "/*" => m(HttpRouteRulesMatchesPathType::PathPrefix, "/".into()),
                None => m(HttpRouteRulesMatchesPathType::Exact, value),
            })
        }
        // Cilium's is a regular expression over the whole path, as
        // Envoy's `safe_regex` matches, which is how Cilium's own Gateway
        // (and Envoy Gateway) read RegularExpression.
        (PathKind::ImplementationSpecific, Implementation::Cilium) => {
            out.notes.push(note(
                NoteCode::RegexPath,
                format!(
                    "{}: path {value} is a regular expression over the whole path to Cilium, written as \
                     RegularExpression {value}, whose support and dialect are implementation-specific",
                    p.field
                ),
                "Cilium's Gateway and other Envoy-based implementations read it the same way (RE2, whole path); \
                 check that yours does",
            ));
            Some(m(HttpRouteRulesMatchesPathType::RegularExpression, value))
        }
        // Istio's reading is fixed (`createFallbackStringMatch`): a match
        // of everything, a prefix, or the exact path.
        (PathKind::ImplementationSpecific, Implementation::Istio) => {
            Some(match IstioMatch::of(loc.kind, &value) {
                IstioMatch::Exact(p) => m(HttpRouteRulesMatchesPathType::Exact, p.to_string()),
                IstioMatch::Prefix(p) => {
                    m(HttpRouteRulesMatchesPathType::PathPrefix, p.to_string())
                }
                IstioMatch::Any => m(HttpRouteRulesMatchesPathType::PathPrefix, "/".into()),
            })
        }
        (PathKind::ImplementationSpecific, implementation) => {
            out.notes.push(note(
                NoteCode::ImplementationSpecificPath,
                format!(
                    "{}: path {value} has pathType {}{}: no rule is written, and its requests go to the rule the \
                     routing check names below",
                    p.field,
                    if p.path_type.is_empty() { "(none)" } else { &p.path_type },
                    if implementation == Implementation::IngressNginx {
                        ", which ingress-nginx reads as a prefix of characters (`/a` also serves `/ab`)"
                    } else {
                        ", whose meaning is the controller's"
                    }
                ),
                "set pathType Prefix or Exact on the Ingress (what the controller did), then migrate again",
            ));
            None
        }
    }
}

/// The rules of one location: its backend (weighted with its canary), and
/// a header-matched rule per canary header value.
pub(super) fn location_rules(
    cx: &IngressPlan,
    loc: &Location,
    p: &IngressPathFacts,
    n: &Nginx,
    path: HttpRouteRulesMatchesPath,
    out: &mut Out,
) -> Vec<HttpRouteRules> {
    let host = p.host.clone();
    let Some((mut main, backend)) =
        backend_rule(cx, loc.ingress, path.clone(), &loc.target, p, n, out)
    else {
        return Vec::new();
    };
    if let Some(line) = backend {
        out.lines.push(line_for(line, &host));
    }
    let Some(c) = loc.canaries.first() else {
        return vec![main];
    };
    let cp = &cx.ix.ingresses[c.ingress].paths[c.path_index];
    let Some((canary, canary_backend)) =
        backend_rule(cx, c.ingress, path.clone(), &c.target, cp, n, out)
    else {
        return vec![main];
    };
    if let Some(line) = canary_backend {
        out.lines.push(line_for(line, &host));
    }
    let object = ingress_label(cx, c.ingress);
    let mut rules = Vec::new();
    let with_header = |rule: &HttpRouteRules, name: &str, value: &str, regex: bool| {
        let mut r = rule.clone();
        r.matches = Some(vec![HttpRouteRulesMatches {
            path: Some(path.clone()),
            headers: Some(vec![HttpRouteRulesMatchesHeaders {
                name: name.to_string(),
                value: value.to_string(),
                r#type: Some(if regex {
                    HttpRouteRulesMatchesHeadersType::RegularExpression
                } else {
                    HttpRouteRulesMatchesHeadersType::Exact
                }),
            }]),
            ..Default::default()
        }]);
        r
    };
    if let Some(h) = &c.header {
        match (&c.header_value, &c.header_pattern) {
            (Some(v), _) => rules.push(with_header(&canary, h, v, false)),
            (None, Some(pattern)) => {
                rules.push(with_header(&canary, h, pattern, true));
                out.notes.push(Note {
                    code: NoteCode::CanaryNotCarried,
                    object: object.clone(),
                    port: None,
                    message: format!(
                        "canary-by-header-pattern {pattern} (a PCRE searched anywhere in the value) is written as a \
                         RegularExpression header match, whose dialect and anchoring are implementation-specific"
                    ),
                    instead: "check the pattern against your implementation's regular expressions".into(),
                });
            }
            (None, None) => {
                rules.push(with_header(&canary, h, "always", false));
                rules.push(with_header(&main, h, "never", false));
            }
        }
    }
    if let Some(cookie) = &c.cookie {
        out.notes.push(Note {
            code: NoteCode::CanaryNotCarried,
            object: object.clone(),
            port: None,
            message: format!(
                "canary-by-cookie {cookie}: Gateway API matches no cookie, so requests with {cookie}=always or \
                 {cookie}=never now follow the weights"
            ),
            instead: "route the canary by a header instead (canary-by-header), or use your implementation's \
                      cookie matching"
                .into(),
        });
    }
    weigh(&mut main, &canary, c);
    rules.push(main);
    rules
}

/// The canary's share of a location's rule: `canary-weight` out of
/// `canary-weight-total` (a total under 100 counts as 100, as
/// ingress-nginx's balancer reads it).
fn weigh(main: &mut HttpRouteRules, canary: &HttpRouteRules, c: &Canary) {
    let total = c.total.max(100);
    let weight = c.weight.min(total);
    let (Some(mb), Some(cb)) = (
        main.backend_refs.as_mut().and_then(|b| b.first_mut()),
        canary.backend_refs.as_ref().and_then(|b| b.first()),
    ) else {
        return;
    };
    if weight == 0 {
        return;
    }
    if weight == total {
        *mb = cb.clone();
        return;
    }
    mb.weight = i32::try_from(total - weight).ok();
    let mut cb = cb.clone();
    cb.weight = i32::try_from(weight).ok();
    if let Some(refs) = main.backend_refs.as_mut() {
        refs.push(cb);
    }
}

pub(super) fn line_for((service, port): (String, i32), host: &Option<String>) -> RouteLine {
    RouteLine {
        service,
        port,
        kind: ApiKind::HttpRoute,
        route: String::new(),
        listener: String::new(),
        listener_port: 0,
        hostname: host.clone(),
    }
}

/// The forwarding (or redirecting) rule of one backend, with the
/// Service and port it reaches; `None` (and a note) when it does not
/// resolve to a port number.
pub(super) fn backend_rule(
    cx: &IngressPlan,
    ingress: usize,
    path: HttpRouteRulesMatchesPath,
    target: &Target,
    p: &IngressPathFacts,
    n: &Nginx,
    out: &mut Out,
) -> Option<(HttpRouteRules, Option<(String, i32)>)> {
    let namespace = cx.ix.ingresses[ingress].namespace.as_str();
    let unresolved = |out: &mut Out, what: String| {
        out.notes.push(Note {
            code: NoteCode::UnresolvedBackend,
            object: ingress_label(cx, ingress),
            port: None,
            message: format!("{}: the backend is {what}: no rule is written", p.field),
            instead: "fix the backend (or pass the Service's manifest with -f) and migrate again"
                .into(),
        });
    };
    let Some(service) = &p.service else {
        unresolved(out, "a resource backend, not a Service".into());
        return None;
    };
    if target.service.is_none()
        && p.port.as_deref() == Some(crate::model::ingress_lb::ALB_USE_ANNOTATION)
        && cx
            .routing
            .front_of(ingress)
            .is_some_and(|f| f.implementation == Implementation::Alb)
    {
        unresolved(
            out,
            format!(
                "the ALB action of annotation {}actions.{service}, which has no translation",
                crate::model::ingress_lb::ALB_PREFIX
            ),
        );
        return None;
    }
    let port = match target.service {
        Some((s, k)) => service_ports(&cx.snap.services[s].object)
            .get(k)
            .map(|sp| sp.port),
        // A port given by number still makes a valid backendRef, if it is
        // a port number: the HTTPRoute CRD refuses the others.
        None => p.port.as_deref().and_then(|n| n.parse::<i32>().ok()),
    };
    let port = match port {
        Some(n) if is_port_number(n) => n,
        Some(n) => {
            unresolved(
                out,
                format!("Service {service} port {n}, which is not a port number (1-65535)"),
            );
            return None;
        }
        None => {
            unresolved(
                out,
                match &p.port {
                    Some(port) => format!("Service {service} port {port}, which does not resolve"),
                    None => format!("Service {service}, with no port"),
                },
            );
            return None;
        }
    };
    Some(http_rule(path, service, port, n, p, namespace))
}

/// One forwarding rule (or redirecting, with `permanent-redirect` and
/// `temporal-redirect`), with the filters the annotations ask for.
fn http_rule(
    path: HttpRouteRulesMatchesPath,
    service: &str,
    port: i32,
    nginx: &Nginx,
    p: &IngressPathFacts,
    namespace: &str,
) -> (HttpRouteRules, Option<(String, i32)>) {
    let matches = Some(vec![HttpRouteRulesMatches {
        path: Some(path),
        ..Default::default()
    }]);
    if let Some(redirect) = &nginx.redirect {
        // The CRDs refuse backendRefs beside a RequestRedirect.
        let rule = HttpRouteRules {
            matches,
            filters: Some(vec![HttpRouteRulesFilters {
                r#type: HttpRouteRulesFiltersType::RequestRedirect,
                request_redirect: Some(redirect.clone()),
                ..Default::default()
            }]),
            ..Default::default()
        };
        return (rule, None);
    }
    let mut filters = Vec::new();
    let rewrite = nginx
        .rewrite
        .as_ref()
        .filter(|_| p.rule.is_some())
        .map(|r| HttpRouteRulesFiltersUrlRewritePath {
            r#type: HttpRouteRulesFiltersUrlRewritePathType::ReplaceFullPath,
            replace_full_path: Some(r.to_string()),
            ..Default::default()
        });
    // One URLRewrite per rule (a CEL rule): path and Host together.
    if rewrite.is_some() || nginx.vhost.is_some() {
        filters.push(HttpRouteRulesFilters {
            r#type: HttpRouteRulesFiltersType::UrlRewrite,
            url_rewrite: Some(HttpRouteRulesFiltersUrlRewrite {
                hostname: nginx.vhost.clone(),
                path: rewrite,
            }),
            ..Default::default()
        });
    }
    if let Some(cors) = &nginx.cors {
        filters.push(HttpRouteRulesFilters {
            r#type: HttpRouteRulesFiltersType::Cors,
            cors: Some(cors.clone()),
            ..Default::default()
        });
    }
    let rule = HttpRouteRules {
        matches,
        filters: (!filters.is_empty()).then_some(filters),
        backend_refs: Some(vec![HttpRouteRulesBackendRefs {
            name: service.to_string(),
            port: Some(port),
            ..Default::default()
        }]),
        ..Default::default()
    };
    (rule, Some((format!("{namespace}/{service}"), port)))
}

pub(super) fn is_redirect(r: &HttpRouteRules) -> bool {
    r.filters
        .iter()
        .flatten()
        .any(|f| f.r#type == HttpRouteRulesFiltersType::RequestRedirect)
        && r.backend_refs.as_ref().is_none_or(Vec::is_empty)
}

/// The same matches, redirected to https instead of forwarded.
pub(super) fn redirect_rule(r: &HttpRouteRules, status: i64) -> HttpRouteRules {
    HttpRouteRules {
        matches: r.matches.clone(),
        filters: Some(vec![HttpRouteRulesFilters {
            r#type: HttpRouteRulesFiltersType::RequestRedirect,
            request_redirect: Some(HttpRouteRulesFiltersRequestRedirect {
                scheme: Some(HttpRouteRulesFiltersRequestRedirectScheme::Https),
                status_code: Some(status),
                ..Default::default()
            }),
            ..Default::default()
        }]),
        ..Default::default()
    }
}
