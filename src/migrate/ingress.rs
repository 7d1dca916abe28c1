//! Ingress → HTTPRoute. Each Ingress becomes one HTTPRoute per host (the
//! default backend and host-less rules share one without hostnames), with a
//! rule per path: `Exact` → `Exact`, `Prefix` → `PathPrefix`; backends by
//! port name resolved to numbers through the model ([`IngressPathFacts`]).
//! TLS hosts get an HTTPS listener terminating with the Ingress's Secret
//! (and a ReferenceGrant when the Secret lives in another namespace than the
//! Gateway). ingress-nginx's `ssl-redirect` (on by default with TLS) and
//! `force-ssl-redirect` become a RequestRedirect on port 80, a plain
//! `rewrite-target` on a Prefix path a URLRewrite ReplaceFullPath. What cannot be expressed
//! (ImplementationSpecific paths, regexes, other ingress-nginx annotations,
//! backends that do not resolve) is reported and never guessed.

use super::target::{ApiKind, Writes};
use super::{
    Emitted, Listener, Manifest, Note, NoteCode, RouteLine, Want, fitting, free_port, meta,
    missing_listener, unique_name,
};
use crate::model::Snapshot;
use crate::model::ports::is_port_number;
use crate::model::routes::{GatewayFacts, IngressFacts, IngressPathFacts};
use gateway_api::apis::standard::httproutes::{
    HttpRoute, HttpRouteParentRefs, HttpRouteRules, HttpRouteRulesBackendRefs,
    HttpRouteRulesFilters, HttpRouteRulesFiltersRequestRedirect,
    HttpRouteRulesFiltersRequestRedirectScheme, HttpRouteRulesFiltersType,
    HttpRouteRulesFiltersUrlRewrite, HttpRouteRulesFiltersUrlRewritePath,
    HttpRouteRulesFiltersUrlRewritePathType, HttpRouteRulesMatches, HttpRouteRulesMatchesPath,
    HttpRouteRulesMatchesPathType, HttpRouteSpec,
};
use nginx::Nginx;
use std::collections::{BTreeMap, BTreeSet};

mod nginx;

/// The prefix of ingress-nginx's annotations.
pub const NGINX_PREFIX: &str = "nginx.ingress.kubernetes.io/";

/// What the Ingress part of a migration shares with the rest.
pub(super) struct Context<'a> {
    pub snap: &'a Snapshot,
    /// `--existing-gateway`: reuse its listeners, add none.
    pub existing: Option<&'a GatewayFacts>,
    pub gateway_name: &'a str,
    pub gateway_namespace: &'a str,
    pub target: &'a Writes,
}

/// What it adds to the migration.
#[derive(Default)]
pub(super) struct Out {
    pub listeners: Vec<Listener>,
    pub objects: Vec<Emitted>,
    pub lines: Vec<RouteLine>,
    pub notes: Vec<Note>,
    /// Certificate Secrets of other namespaces than the Gateway's, by
    /// namespace: the plan writes their ReferenceGrants.
    pub grants: BTreeMap<String, BTreeSet<String>>,
    /// `namespace/name` of the Ingresses written as GRPCRoutes.
    pub grpc: BTreeSet<String>,
}

/// Migrates the Ingresses given, in order.
pub(super) fn migrate(cx: &Context, ingresses: &[&IngressFacts], out: &mut Out) {
    let Some(api_version) = cx.target.api_version(ApiKind::HttpRoute) else {
        return;
    };
    for ing in ingresses {
        let object = format!("Ingress {}/{}", ing.namespace, ing.name);
        let annotations = cx.snap.ingresses[ing.index]
            .object
            .metadata
            .annotations
            .clone()
            .unwrap_or_default();
        let is_nginx = ing.class.as_deref().is_some_and(|c| c.contains("nginx"))
            || annotations.keys().any(|k| k.starts_with(NGINX_PREFIX));
        let (nginx, translated) = nginx::read(&annotations, cx.target, &object, &mut out.notes);
        let nginx_ann = |key: &str| {
            annotations
                .get(&format!("{NGINX_PREFIX}{key}"))
                .map(String::as_str)
        };
        for (key, value) in &annotations {
            let Some(short) = key.strip_prefix(NGINX_PREFIX) else {
                continue;
            };
            if !translated.contains(short) {
                out.notes.push(Note {
                    code: NoteCode::IngressAnnotation,
                    object: object.clone(),
                    port: None,
                    message: format!(
                        "annotation {key}: \"{value}\" is ingress-nginx's, and is not carried over"
                    ),
                    instead: nginx::instead(short).into(),
                });
            }
        }
        for (key, value) in &annotations {
            if let Some((controller, instead)) = nginx::other_controller(key)
                && !translated.contains(key)
            {
                out.notes.push(Note {
                    code: NoteCode::IngressAnnotation,
                    object: object.clone(),
                    port: None,
                    message: format!(
                        "annotation {key}: \"{value}\" is {controller}'s, and is not carried over"
                    ),
                    instead: instead.into(),
                });
            }
        }
        // gRPC backends get a GRPCRoute (read() says so only where the
        // target serves it).
        let grpc_version = nginx
            .grpc
            .then(|| cx.target.api_version(ApiKind::GrpcRoute))
            .flatten();
        let kind = if grpc_version.is_some() {
            out.grpc.insert(format!("{}/{}", ing.namespace, ing.name));
            ApiKind::GrpcRoute
        } else {
            ApiKind::HttpRoute
        };
        let tls_secrets = tls_secrets(cx.snap, ing.index);
        // Paths by host, in the Ingress's order.
        let mut hosts: Vec<(Option<String>, Vec<&IngressPathFacts>)> = Vec::new();
        for p in &ing.paths {
            match hosts.iter_mut().find(|(h, _)| *h == p.host) {
                Some((_, ps)) => ps.push(p),
                None => hosts.push((p.host.clone(), vec![p])),
            }
        }
        for (host, paths) in hosts {
            let first_line = out.lines.len();
            let mut rules = Vec::new();
            if let Some(root) = &nginx.app_root
                && kind == ApiKind::HttpRoute
            {
                rules.push(nginx::app_root_rule(root));
            }
            for p in &paths {
                let Some((r, backend)) = rule(cx, ing, p, &nginx, &object, &mut out.notes) else {
                    continue;
                };
                rules.push(r);
                if let Some((service, port)) = backend {
                    out.lines.push(RouteLine {
                        service,
                        port,
                        kind,
                        route: String::new(),
                        listener: String::new(),
                        listener_port: 0,
                        hostname: host.clone(),
                    });
                }
            }
            if rules.is_empty() {
                continue;
            }
            let secret = host
                .as_ref()
                .and_then(|h| tls_secrets.get(h).cloned())
                .or_else(|| {
                    host.is_none()
                        .then(|| tls_secrets.get("").cloned())
                        .flatten()
                });
            let tls_named = paths.iter().any(|p| p.tls);
            if tls_named && secret.is_none() {
                out.notes.push(Note {
                    code: NoteCode::TlsWithoutSecret,
                    object: object.clone(),
                    port: None,
                    message: format!(
                        "spec.tls lists {} with no secretName (the controller's default certificate): the Gateway \
                         gets no HTTPS listener for it",
                        host.as_deref().unwrap_or("every host")
                    ),
                    instead: "name the certificate Secret in spec.tls, or add an HTTPS listener by hand".into(),
                });
            }
            let redirect = secret.is_some()
                && is_nginx
                && (nginx_ann("ssl-redirect") != Some("false")
                    || nginx_ann("force-ssl-redirect") == Some("true"));
            // Port 80 carries the https redirect (an HTTPRoute) or the routes.
            let http_kind = if redirect { ApiKind::HttpRoute } else { kind };
            let want = |protocol, port, kind| Want {
                protocol,
                port,
                hostname: host.as_deref(),
                kind,
                namespace: &ing.namespace,
            };
            let Some(http) = listener(cx, out, &want("HTTP", 80, http_kind), None) else {
                out.lines.truncate(first_line);
                continue;
            };
            let https = match secret {
                Some(s) => {
                    if s.0 != cx.gateway_namespace && cx.existing.is_none() {
                        out.grants
                            .entry(s.0.clone())
                            .or_default()
                            .insert(s.1.clone());
                    }
                    match listener(cx, out, &want("HTTPS", 443, kind), Some(s)) {
                        Some(l) => Some(l),
                        None => {
                            out.lines.truncate(first_line);
                            continue;
                        }
                    }
                }
                None => None,
            };
            let slug = host
                .as_deref()
                .map(slug)
                .unwrap_or_else(|| "all-hosts".into());
            let base = format!("{}-{slug}", ing.name);
            let mut routes = Vec::new();
            match (&https, redirect) {
                (Some(https), true) => {
                    let redirects = rules.iter().map(redirect_rule).collect();
                    routes.push((
                        format!("{base}-http-redirect"),
                        http.clone(),
                        redirects,
                        ApiKind::HttpRoute,
                    ));
                    routes.push((base.clone(), https.clone(), rules, kind));
                }
                (Some(https), false) => {
                    routes.push((format!("{base}-http"), http.clone(), rules.clone(), kind));
                    routes.push((base.clone(), https.clone(), rules, kind));
                }
                (None, _) => routes.push((base.clone(), http.clone(), rules, kind)),
            }
            let served = routes.last().map(|(n, l, _, _)| (n.clone(), l.clone()));
            for (name, (section, _), rules, route_kind) in routes {
                let metadata = meta(&name, &ing.namespace);
                let parent = (
                    cx.gateway_name.to_string(),
                    cx.gateway_namespace.to_string(),
                    section,
                );
                let object = match (route_kind, &grpc_version) {
                    (ApiKind::GrpcRoute, Some(v)) => Emitted {
                        api_version: v.clone(),
                        object: Manifest::GrpcRoute(Box::new(nginx::grpc_route(
                            metadata,
                            host.clone(),
                            parent,
                            &rules,
                        ))),
                    },
                    _ => Emitted {
                        api_version: api_version.clone(),
                        object: Manifest::HttpRoute(Box::new(HttpRoute {
                            metadata,
                            spec: HttpRouteSpec {
                                hostnames: host.clone().map(|h| vec![h]),
                                parent_refs: Some(vec![HttpRouteParentRefs {
                                    name: parent.0,
                                    namespace: Some(parent.1),
                                    section_name: Some(parent.2),
                                    ..Default::default()
                                }]),
                                rules: Some(rules),
                            },
                            status: None,
                        })),
                    },
                };
                out.objects.push(object);
            }
            if let Some((name, (section, port))) = served {
                for line in &mut out.lines[first_line..] {
                    line.route = format!("{}/{name}", ing.namespace);
                    line.listener = section.clone();
                    line.listener_port = port;
                }
            }
        }
    }
}

/// `spec.tls` of an Ingress: host → `(namespace, secretName)`; `""` for an
/// entry with no hosts (it covers the rules without a host).
fn tls_secrets(snap: &Snapshot, index: usize) -> BTreeMap<String, (String, String)> {
    let ing = &snap.ingresses[index].object;
    let namespace = ing.metadata.namespace.clone().unwrap_or_default();
    let mut out = BTreeMap::new();
    for tls in ing.spec.iter().flat_map(|s| s.tls.iter().flatten()) {
        let Some(secret) = tls.secret_name.clone().filter(|s| !s.is_empty()) else {
            continue;
        };
        let hosts = tls.hosts.clone().unwrap_or_default();
        if hosts.is_empty() {
            out.entry(String::new())
                .or_insert((namespace.clone(), secret.clone()));
        }
        for h in hosts {
            out.entry(h).or_insert((namespace.clone(), secret.clone()));
        }
    }
    out
}

/// The listener `want` asks for, shared by every Ingress of that host;
/// returns `(name, port)`. On an existing Gateway, the listener that fits,
/// or `None` (and a note) when none does.
fn listener(
    cx: &Context,
    out: &mut Out,
    want: &Want,
    certificate: Option<(String, String)>,
) -> Option<(String, i32)> {
    if let Some(g) = cx.existing {
        let found = fitting(cx.snap, g, want, &mut out.notes);
        if found.is_none() {
            out.notes.push(missing_listener(g, want));
        }
        return found;
    }
    let Want {
        protocol,
        port,
        hostname,
        kind,
        namespace,
    } = *want;
    let host = hostname.map(String::from);
    if let Some(l) = out.listeners.iter_mut().find(|l| {
        l.protocol == protocol
            && l.hostname == host
            && l.kinds
                .iter()
                .all(|k| matches!(k, ApiKind::HttpRoute | ApiKind::GrpcRoute))
            && (certificate.is_none() || l.certificate == certificate)
    }) {
        // HTTP listeners admit HTTPRoutes and GRPCRoutes alike.
        l.kinds.insert(kind);
        l.namespaces.insert(namespace.to_string());
        return Some((l.name.clone(), l.port));
    }
    let port = free_port(&out.listeners, protocol, port, hostname);
    let base = match &host {
        Some(h) => format!("{}-{port}-{}", protocol.to_lowercase(), slug(h)),
        None => format!("{}-{port}", protocol.to_lowercase()),
    };
    let name = unique_name(&out.listeners, &base);
    out.listeners.push(Listener {
        name: name.clone(),
        protocol,
        port,
        hostname: host,
        kinds: BTreeSet::from([kind]),
        namespaces: BTreeSet::from([namespace.to_string()]),
        certificate,
    });
    Some((name, port))
}

/// A hostname as a name part: `*.example.com` → `wildcard-example-com`.
fn slug(host: &str) -> String {
    host.replace("*.", "wildcard.").replace('.', "-")
}

/// The rule of one Ingress path, with the Service and port it reaches
/// (`None` for a rule that redirects instead); `None` (and a note) when it
/// cannot be carried over.
fn rule(
    cx: &Context,
    ing: &IngressFacts,
    p: &IngressPathFacts,
    nginx: &Nginx,
    object: &str,
    notes: &mut Vec<Note>,
) -> Option<(HttpRouteRules, Option<(String, i32)>)> {
    let note = |code, message: String, instead: &str| Note {
        code,
        object: object.to_string(),
        port: None,
        message,
        instead: instead.to_string(),
    };
    let default_backend = p.rule.is_none();
    let (kind, value) = if default_backend {
        (HttpRouteRulesMatchesPathType::PathPrefix, "/".to_string())
    } else {
        let value = if p.path.is_empty() {
            "/".to_string()
        } else {
            p.path.clone()
        };
        if nginx.grpc {
            // A gRPC path names a service (and method): anything else has
            // no GRPCRoute match.
            if nginx::grpc_match(&value).is_none() {
                notes.push(note(
                    NoteCode::ImplementationSpecificPath,
                    format!(
                        "{}: path {value} of a gRPC Ingress (backend-protocol GRPC) names no gRPC service: no rule \
                         is written",
                        p.field
                    ),
                    "use `/` or `/package.Service[/Method]` paths for gRPC, then migrate again",
                ));
                return None;
            }
            (HttpRouteRulesMatchesPathType::PathPrefix, value)
        } else if let Some(flavor) = nginx.regex {
            // The controller reads the path as a regular expression: even
            // `/a` then matches `/ab`, which no PathPrefix does.
            let regex = flavor.written(&value);
            notes.push(note(
                NoteCode::RegexPath,
                format!(
                    "{}: path {value} is a regular expression to the controller, written as RegularExpression \
                     {regex}, whose support and dialect are implementation-specific",
                    p.field
                ),
                "check that your implementation supports RegularExpression path matches (RE2 in Envoy-based \
                 ones), or rewrite the path as PathPrefix/Exact",
            ));
            (HttpRouteRulesMatchesPathType::RegularExpression, regex)
        } else {
            match p.path_type.as_str() {
                "Exact" => (HttpRouteRulesMatchesPathType::Exact, value),
                "Prefix" => (HttpRouteRulesMatchesPathType::PathPrefix, value),
                other => {
                    notes.push(note(
                        NoteCode::ImplementationSpecificPath,
                        format!(
                            "{}: path {value} has pathType {}, whose meaning is the controller's: it is not guessed",
                            p.field,
                            if other.is_empty() { "(none)" } else { other }
                        ),
                        "set pathType Prefix or Exact on the Ingress (what the controller did), then migrate again",
                    ));
                    return None;
                }
            }
        }
    };
    let unresolved = |notes: &mut Vec<Note>, what: String| {
        notes.push(note(
            NoteCode::UnresolvedBackend,
            format!("{}: the backend is {what}: no rule is written", p.field),
            "fix the backend (or pass the Service's manifest with -f) and migrate again",
        ));
    };
    let (Some(service_name), Some(target), Some(port_index)) = (&p.service, p.target, p.port_index)
    else {
        let number = p.port.as_deref().and_then(|n| n.parse::<i32>().ok());
        let what = match (&p.service, &p.port, number) {
            (None, ..) => "a resource backend, not a Service".to_string(),
            // A port given by number still makes a valid backendRef, if it
            // is a port number: the HTTPRoute CRD refuses the others.
            (Some(s), _, Some(n)) if is_port_number(n) => {
                return Some(http_rule(kind, value, s, n, nginx, p, &ing.namespace));
            }
            (Some(s), Some(port), Some(_)) => {
                format!("Service {s} port {port}, which is not a port number (1-65535)")
            }
            (Some(s), Some(port), None) => {
                format!("Service {s} port {port}, which does not resolve")
            }
            (Some(s), None, _) => format!("Service {s}, with no port"),
        };
        unresolved(notes, what);
        return None;
    };
    let port = cx.snap.services[target]
        .object
        .spec
        .as_ref()
        .and_then(|s| s.ports.as_ref()?.get(port_index))
        .map(|sp| sp.port)?;
    if !is_port_number(port) {
        // The Service is refused by the API server (SVC210).
        unresolved(
            notes,
            format!("Service {service_name} port {port}, which is not a port number (1-65535)"),
        );
        return None;
    }
    Some(http_rule(
        kind,
        value,
        service_name,
        port,
        nginx,
        p,
        &ing.namespace,
    ))
}

/// One forwarding rule (or redirecting, with `permanent-redirect` and
/// `temporal-redirect`), with the filters the annotations ask for.
fn http_rule(
    kind: HttpRouteRulesMatchesPathType,
    value: String,
    service: &str,
    port: i32,
    nginx: &Nginx,
    p: &IngressPathFacts,
    namespace: &str,
) -> (HttpRouteRules, Option<(String, i32)>) {
    let matches = Some(vec![HttpRouteRulesMatches {
        path: Some(HttpRouteRulesMatchesPath {
            r#type: Some(kind.clone()),
            value: Some(value),
        }),
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
    let path = nginx
        .rewrite
        .as_ref()
        .filter(|_| kind == HttpRouteRulesMatchesPathType::PathPrefix && p.rule.is_some())
        .map(|r| HttpRouteRulesFiltersUrlRewritePath {
            r#type: HttpRouteRulesFiltersUrlRewritePathType::ReplaceFullPath,
            replace_full_path: Some(r.to_string()),
            ..Default::default()
        });
    // One URLRewrite per rule (a CEL rule): path and Host together.
    if path.is_some() || nginx.vhost.is_some() {
        filters.push(HttpRouteRulesFilters {
            r#type: HttpRouteRulesFiltersType::UrlRewrite,
            url_rewrite: Some(HttpRouteRulesFiltersUrlRewrite {
                hostname: nginx.vhost.clone(),
                path,
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

/// The same matches, redirected to https (301) instead of forwarded.
fn redirect_rule(r: &HttpRouteRules) -> HttpRouteRules {
    HttpRouteRules {
        matches: r.matches.clone(),
        filters: Some(vec![HttpRouteRulesFilters {
            r#type: HttpRouteRulesFiltersType::RequestRedirect,
            request_redirect: Some(HttpRouteRulesFiltersRequestRedirect {
                scheme: Some(HttpRouteRulesFiltersRequestRedirectScheme::Https),
                status_code: Some(301),
                ..Default::default()
            }),
            ..Default::default()
        }]),
        ..Default::default()
    }
}
