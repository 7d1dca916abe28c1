//! Ingress → HTTPRoute, written from the routing model's servers
//! ([`IngressRouting`]): what the controller serves per host, merged from
//! every Ingress of its class, not Ingress by Ingress. Per host (and per
//! namespace of the Ingresses that serve it, since a route lives in one)
//! one HTTPRoute, a rule per location: `Exact` → `Exact`, `Prefix` →
//! `PathPrefix`, and in a host ingress-nginx reads as regular expressions,
//! every path → `RegularExpression`. A canary becomes weighted backendRefs
//! and header matches on its location's rule. A host with a certificate
//! gets an HTTPS listener with it, and its locations that redirected `http`
//! get a RequestRedirect (308 where the target release has it) on the HTTP
//! listener. A default backend answers its own hosts' unmatched paths. A
//! path the controller ignored is not written. What cannot be expressed is
//! reported, never guessed; `prove` then checks every request.

use super::target::{ApiKind, Writes};
use super::{
    Emitted, Listener, Manifest, Note, NoteCode, RouteLine, Want, fitting, free_port, meta,
    missing_listener, unique_name,
};
use crate::model::Snapshot;
use crate::model::ports::is_port_number;
use crate::model::routes::{GatewayFacts, IngressPathFacts, RouteIndex};
use crate::model::routing::ingress::{
    Canary, Fallback, Location, PathKind, PathRegex, Server, Target, Tls,
};
use crate::model::routing::{Front, Implementation, IngressRouting, NGINX_PREFIX};
use gateway_api::apis::standard::httproutes::{
    HttpRoute, HttpRouteParentRefs, HttpRouteRules, HttpRouteRulesBackendRefs,
    HttpRouteRulesFilters, HttpRouteRulesFiltersRequestRedirect,
    HttpRouteRulesFiltersRequestRedirectScheme, HttpRouteRulesFiltersType,
    HttpRouteRulesFiltersUrlRewrite, HttpRouteRulesFiltersUrlRewritePath,
    HttpRouteRulesFiltersUrlRewritePathType, HttpRouteRulesMatches, HttpRouteRulesMatchesHeaders,
    HttpRouteRulesMatchesHeadersType, HttpRouteRulesMatchesPath, HttpRouteRulesMatchesPathType,
    HttpRouteSpec,
};
use nginx::Nginx;
use std::collections::{BTreeMap, BTreeSet, HashMap};

mod annotations;
mod nginx;

/// What the Ingress part of a migration shares with the rest.
pub(super) struct Context<'a> {
    pub snap: &'a Snapshot,
    pub ix: &'a RouteIndex,
    pub routing: &'a IngressRouting,
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

/// One route being written: a host's locations of one namespace and kind.
struct Group {
    namespace: String,
    kind: ApiKind,
    /// The first Ingress (in the controller's order) it holds: the route's name.
    name: String,
    /// Rules for `https` (or for `http` when the host has no certificate).
    rules: Vec<HttpRouteRules>,
    /// Rules for `http` on a host with a certificate (redirects, or the
    /// same rules where a location does not redirect).
    http_rules: Vec<HttpRouteRules>,
    first_line: usize,
}

/// Migrates the Ingresses at the positions given (in the route index).
pub(super) fn migrate(cx: &Context, chosen: &[usize], out: &mut Out) {
    if cx.target.api_version(ApiKind::HttpRoute).is_none() {
        return;
    }
    let mut per_ingress: HashMap<usize, Nginx> = HashMap::new();
    for &i in chosen {
        per_ingress.insert(i, annotations_of(cx, i, out));
    }
    backend_protocols(cx, chosen, out);
    for front in &cx.routing.fronts {
        if !front.ingresses.iter().any(|i| chosen.contains(i)) {
            continue;
        }
        for d in front
            .decisions
            .iter()
            .filter(|d| chosen.contains(&d.ingress))
        {
            out.notes.push(Note {
                code: NoteCode::IngressPathIgnored,
                object: ingress_label(cx, d.ingress),
                port: None,
                message: format!("{}: {}", d.field, d.message),
                instead: "nothing to write: the route would serve what the controller never served; fix or delete \
                          the Ingress path if it was meant to serve"
                    .into(),
            });
        }
        for server in &front.servers {
            if server.locations.iter().any(|l| chosen.contains(&l.ingress))
                || matches!(&server.fallback, Fallback::Backend { ingress, .. } if chosen.contains(ingress))
            {
                write_server(cx, front, server, chosen, &per_ingress, out);
            }
        }
    }
}

fn ingress_label(cx: &Context, i: usize) -> String {
    let f = &cx.ix.ingresses[i];
    format!("Ingress {}/{}", f.namespace, f.name)
}

/// Reads an Ingress's annotations: what they ask of its rules, and a note
/// for each that is not translated.
fn annotations_of(cx: &Context, i: usize, out: &mut Out) -> Nginx {
    let facts = &cx.ix.ingresses[i];
    let object = ingress_label(cx, i);
    let all = cx.snap.ingresses[facts.index]
        .object
        .metadata
        .annotations
        .clone()
        .unwrap_or_default();
    let (n, mut translated) = nginx::read(&all, cx.target, &object, &mut out.notes);
    translated.insert(crate::model::routes::CLASS_ANNOTATION.to_string());
    let front = cx.routing.front_of(i);
    if front.is_some_and(|f| f.implementation == Implementation::IngressNginx) {
        for k in [
            "canary",
            "canary-weight",
            "canary-weight-total",
            "canary-by-header",
            "canary-by-header-value",
            "canary-by-header-pattern",
            // Said by the rule it leaves out (canary-not-carried).
            "canary-by-cookie",
        ] {
            translated.insert(format!("{NGINX_PREFIX}{k}"));
        }
    }
    if front.is_some_and(|f| f.implementation == Implementation::Gce && !f.http) {
        translated.insert(crate::model::routing::ALLOW_HTTP.to_string());
        out.notes.push(Note {
            code: NoteCode::CarriedToGateway,
            object: object.clone(),
            port: None,
            message: format!(
                "annotation {}: \"false\" closed port 80 of its load balancer: its hosts get no HTTP listener",
                crate::model::routing::ALLOW_HTTP
            ),
            instead: "nothing to do; add an HTTP listener by hand if port 80 should open".into(),
        });
    }
    for (key, value) in &all {
        let short = key.strip_prefix(NGINX_PREFIX).unwrap_or(key);
        if translated.contains(key)
            || translated.contains(short)
            || annotations::INERT.contains(&key.as_str())
        {
            continue;
        }
        let d = annotations::describe(key);
        out.notes.push(Note {
            code: NoteCode::IngressAnnotation,
            object: object.clone(),
            port: None,
            message: format!(
                "annotation {key}: \"{}\" is {}'s, and is not carried over",
                value.chars().take(120).collect::<String>(),
                d.whose
            ),
            instead: d.instead.into(),
        });
    }
    n
}

/// The GKE controller's backend protocol annotations on the Services the
/// Ingresses reach (HTTPS or HTTP/2 from the load balancer to the pods):
/// a Gateway speaks plain HTTP to a backend unless told otherwise, so
/// each is said (the Service keeps the annotation, which the Gateway does
/// not read).
fn backend_protocols(cx: &Context, chosen: &[usize], out: &mut Out) {
    let mut seen: BTreeSet<usize> = BTreeSet::new();
    for &i in chosen {
        for p in &cx.ix.ingresses[i].paths {
            let Some(s) = p.target.filter(|s| seen.insert(*s)) else {
                continue;
            };
            let svc = &cx.snap.services[s].object;
            for key in APP_PROTOCOLS {
                let Some(value) = svc.metadata.annotations.as_ref().and_then(|a| a.get(*key))
                else {
                    continue;
                };
                let d = annotations::describe(key);
                out.notes.push(Note {
                    code: NoteCode::IngressAnnotation,
                    object: format!(
                        "Service {}/{}",
                        svc.metadata.namespace.as_deref().unwrap_or_default(),
                        svc.metadata.name.as_deref().unwrap_or_default()
                    ),
                    port: None,
                    message: format!(
                        "annotation {key}: \"{value}\" is {}'s: the Gateway does not read it, and speaks plain HTTP \
                         to the backend",
                        d.whose
                    ),
                    instead: d.instead.into(),
                });
            }
        }
    }
}

/// The Service annotations that set the GKE load balancer's protocol to the
/// pods (the older key is read first, ingress-gce `annotations/service.go`).
const APP_PROTOCOLS: &[&str] = &[
    "service.alpha.kubernetes.io/app-protocols",
    "cloud.google.com/app-protocols",
];

/// Whether a host is one the Ingress API accepts: a DNS-1123 subdomain,
/// or `*.` and one.
fn valid_host(host: &str) -> bool {
    let bare = host.strip_prefix("*.").unwrap_or(host);
    !bare.is_empty()
        && bare.len() <= 253
        && bare.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

/// Writes the routes of one server's chosen locations.
fn write_server(
    cx: &Context,
    front: &Front,
    server: &Server,
    chosen: &[usize],
    per_ingress: &HashMap<usize, Nginx>,
    out: &mut Out,
) {
    let host = server.host.clone();
    let first = server
        .locations
        .iter()
        .find(|l| chosen.contains(&l.ingress));
    let object = |i: usize| ingress_label(cx, i);
    let note_on = |i: usize, code, message: String, instead: &str| Note {
        code,
        object: object(i),
        port: None,
        message,
        instead: instead.into(),
    };
    let anchor = first.map_or_else(
        || match &server.fallback {
            Fallback::Backend { ingress, .. } => *ingress,
            _ => 0,
        },
        |l| l.ingress,
    );
    if let Some(h) = &host
        && !valid_host(h)
    {
        let field = first
            .and_then(|l| cx.ix.ingresses[l.ingress].paths[l.path_index].rule)
            .map_or("spec.rules".to_string(), |r| {
                format!("spec.rules[{r}].host")
            });
        out.notes.push(note_on(
            anchor,
            NoteCode::InvalidHost,
            format!(
                "{field}: host `{h}` is not a DNS name (a DNS-1123 subdomain, or `*.` and one): the API server \
                 refuses it, so no route is written for it"
            ),
            "fix the host in the Ingress (a template left unrendered?), then migrate again",
        ));
        return;
    }
    if let Some(h) = host.as_deref().filter(|h| h.starts_with("*."))
        && front.wildcards_widen()
    {
        out.notes.push(note_on(
            anchor,
            NoteCode::WildcardWidened,
            format!(
                "host {h} covered one DNS label (x{}), and a Gateway API wildcard covers any number (a.x{} too): \
                 the route serves more names than the Ingress did",
                &h[1..],
                &h[1..]
            ),
            "list the names one label deep instead of the wildcard if deeper ones must not be served",
        ));
    }
    let redirect_code = redirect_code(cx, front, anchor, &mut out.notes);
    // The certificate the host is served with.
    let secret = match &server.tls {
        Tls::Secret {
            namespace, name, ..
        } if front.https => Some((namespace.clone(), name.clone())),
        Tls::DefaultCertificate { ingress } if front.https => {
            out.notes.push(note_on(
                *ingress,
                NoteCode::TlsWithoutSecret,
                format!(
                    "spec.tls lists {} with no secretName (the controller's default certificate): the Gateway \
                     gets no HTTPS listener for it",
                    host.as_deref().unwrap_or("every host")
                ),
                "name the certificate Secret in spec.tls, or add an HTTPS listener by hand",
            ));
            None
        }
        Tls::Depends(why) => {
            out.notes.push(note_on(
                anchor,
                NoteCode::ControllerChoice,
                format!(
                    "{}: {why}; no HTTPS listener is written",
                    host.as_deref().unwrap_or("(any host)")
                ),
                "list the host with its Secret in spec.tls, then migrate again",
            ));
            None
        }
        _ => None,
    };
    let mut groups: Vec<Group> = Vec::new();
    let mut regex_said = false;
    for loc in server
        .locations
        .iter()
        .filter(|l| chosen.contains(&l.ingress))
    {
        let facts = &cx.ix.ingresses[loc.ingress];
        let p = &facts.paths[loc.path_index];
        let n = &per_ingress[&loc.ingress];
        let kind = if n.grpc && cx.target.api_version(ApiKind::GrpcRoute).is_some() {
            ApiKind::GrpcRoute
        } else {
            ApiKind::HttpRoute
        };
        if !loc.contested.is_empty() {
            let others: Vec<String> = loc
                .contested
                .iter()
                .map(|&(i, pi)| {
                    format!(
                        "{} {}",
                        ingress_label(cx, i),
                        cx.ix.ingresses[i].paths[pi].field
                    )
                })
                .collect();
            out.notes.push(note_on(
                loc.ingress,
                NoteCode::ControllerChoice,
                format!(
                    "{}: {} defines the same host and path, and the controller keeps the older Ingress, which the \
                     input does not say (no creation times): this one is written",
                    p.field,
                    others.join(", ")
                ),
                "check which Ingress serves the path today, and delete the other path (or its route) before applying",
            ));
        }
        let Some(path_match) = path_match(cx, front, server, loc, p, n, &mut regex_said, out)
        else {
            continue;
        };
        let g = group(
            &mut groups,
            &facts.namespace,
            kind,
            &facts.name,
            out.lines.len(),
        );
        if kind == ApiKind::GrpcRoute {
            out.grpc
                .insert(format!("{}/{}", facts.namespace, facts.name));
        }
        if let Some(root) = &n.app_root
            && kind == ApiKind::HttpRoute
            && !g.rules.iter().any(|r| r == &nginx::app_root_rule(root))
        {
            g.rules.push(nginx::app_root_rule(root));
            g.http_rules.push(nginx::app_root_rule(root));
        }
        let rules = location_rules(cx, loc, p, n, path_match, out);
        if rules.is_empty() {
            continue;
        }
        let redirect = match loc.redirect_http {
            Some(r) => r,
            None => {
                out.notes.push(note_on(
                    loc.ingress,
                    NoteCode::ControllerChoice,
                    format!(
                        "{}: whether {} redirects http to https is the controller's choice: http is forwarded as \
                         https is",
                        p.field,
                        host.as_deref().unwrap_or("the host")
                    ),
                    "add a RequestRedirect rule on the HTTP listener if the controller redirected",
                ));
                false
            }
        };
        for r in &rules {
            g.http_rules.push(if redirect && secret.is_some() {
                redirect_rule(r, redirect_code)
            } else {
                r.clone()
            });
        }
        g.rules.extend(rules);
    }
    // The default backend answers the host's unmatched paths, unless a
    // location already covers every path.
    if let Fallback::Backend {
        ingress,
        path_index,
        target,
    } = &server.fallback
        && chosen.contains(ingress)
        && !server
            .locations
            .iter()
            .any(|l| l.path == "/" && l.kind != PathKind::Exact)
    {
        let facts = &cx.ix.ingresses[*ingress];
        let p = &facts.paths[*path_index];
        if let Some((rule, backend)) = backend_rule(
            cx,
            *ingress,
            root_match(server.regex),
            target,
            p,
            &per_ingress[ingress],
            out,
        ) {
            let g = group(
                &mut groups,
                &facts.namespace,
                ApiKind::HttpRoute,
                &facts.name,
                out.lines.len(),
            );
            if let Some(line) = backend {
                out.lines.push(line_for(line, &host));
            }
            let redirect = server.fallback_redirect == Some(true) && secret.is_some();
            g.http_rules.push(if redirect {
                redirect_rule(&rule, redirect_code)
            } else {
                rule.clone()
            });
            g.rules.push(rule);
        }
    } else if let Fallback::Depends(why) = &server.fallback {
        out.notes.push(note_on(
            anchor,
            NoteCode::ControllerChoice,
            format!(
                "{}: {why}; no rule is written for its unmatched paths",
                host.as_deref().unwrap_or("(any host)")
            ),
            "give the host one default backend (or a `/` Prefix path), then migrate again",
        ));
    }
    for g in groups {
        write_group(cx, front, &host, secret.as_ref(), g, out);
    }
}

/// The group of a namespace and kind, created on first use.
fn group<'g>(
    groups: &'g mut Vec<Group>,
    namespace: &str,
    kind: ApiKind,
    name: &str,
    first_line: usize,
) -> &'g mut Group {
    let k = match groups
        .iter()
        .position(|g| g.namespace == namespace && g.kind == kind)
    {
        Some(k) => k,
        None => {
            groups.push(Group {
                namespace: namespace.to_string(),
                kind,
                name: name.to_string(),
                rules: Vec::new(),
                http_rules: Vec::new(),
                first_line,
            });
            groups.len() - 1
        }
    };
    &mut groups[k]
}

/// The `PathPrefix /` match of a default backend (in a regex host, `^/`).
fn root_match(regex: bool) -> HttpRouteRulesMatchesPath {
    if regex {
        HttpRouteRulesMatchesPath {
            r#type: Some(HttpRouteRulesMatchesPathType::RegularExpression),
            value: Some(nginx::written(PathRegex::CaseInsensitive, "/")),
        }
    } else {
        HttpRouteRulesMatchesPath {
            r#type: Some(HttpRouteRulesMatchesPathType::PathPrefix),
            value: Some("/".into()),
        }
    }
}

/// The path match of a location, or `None` (and a note) when it has none.
#[allow(clippy::too_many_arguments)]
fn path_match(
    cx: &Context,
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
        let regex = nginx::written(flavor, &value);
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
        (PathKind::ImplementationSpecific, Implementation::Gce) => {
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
fn location_rules(
    cx: &Context,
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

fn line_for((service, port): (String, i32), host: &Option<String>) -> RouteLine {
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
fn backend_rule(
    cx: &Context,
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
    let port = match target.service {
        Some((s, k)) => cx.snap.services[s]
            .object
            .spec
            .as_ref()
            .and_then(|sp| sp.ports.as_ref()?.get(k))
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

/// The status code of the redirect to https: the controller's (308 for
/// ingress-nginx) where the target release's RequestRedirect offers it
/// (303, 307 and 308 from v1.5), else 301, said once.
fn redirect_code(cx: &Context, front: &Front, anchor: usize, notes: &mut Vec<Note>) -> i64 {
    let code = i64::from(front.https_redirect_status());
    if matches!(code, 301 | 302) || cx.target.release_at_least() >= 5 {
        return code;
    }
    if !notes
        .iter()
        .any(|n| n.code == NoteCode::RedirectStatusChanged)
    {
        notes.push(Note {
            code: NoteCode::RedirectStatusChanged,
            object: ingress_label(cx, anchor),
            port: None,
            message: format!(
                "ingress-nginx redirects http to https with {code} (http-redirect-code), which keeps the method and \
                 body; the RequestRedirect filter of {} offers 301 and 302 only, so the redirect is written with \
                 301, after which clients may turn a POST into a GET",
                cx.target
            ),
            instead: "target Gateway API v1.5 or later (--gateway-api-version) to keep 308".into(),
        });
    }
    301
}

/// Writes a group's routes and attaches them to the host's listeners.
fn write_group(
    cx: &Context,
    front: &Front,
    host: &Option<String>,
    secret: Option<&(String, String)>,
    g: Group,
    out: &mut Out,
) {
    if g.rules.is_empty() {
        out.lines.truncate(g.first_line);
        return;
    }
    let want = |protocol, port, kind| Want {
        protocol,
        port,
        hostname: host.as_deref(),
        kind,
        namespace: &g.namespace,
    };
    let redirects = g.http_rules.iter().all(is_redirect);
    let http_kind = if redirects {
        ApiKind::HttpRoute
    } else {
        g.kind
    };
    let http = if front.http {
        match listener(cx, out, &want("HTTP", 80, http_kind), None) {
            Some(l) => Some(l),
            None => {
                out.lines.truncate(g.first_line);
                return;
            }
        }
    } else {
        None
    };
    let https = match secret {
        Some(s) => {
            if s.0 != cx.gateway_namespace && cx.existing.is_none() {
                out.grants
                    .entry(s.0.clone())
                    .or_default()
                    .insert(s.1.clone());
            }
            match listener(cx, out, &want("HTTPS", 443, g.kind), Some(s.clone())) {
                Some(l) => Some(l),
                None => {
                    out.lines.truncate(g.first_line);
                    return;
                }
            }
        }
        None => None,
    };
    let slug = host
        .as_deref()
        .map(slug)
        .unwrap_or_else(|| "all-hosts".into());
    let base = format!("{}-{slug}", g.name);
    let mut routes = Vec::new();
    match (&http, &https) {
        (Some(http), Some(https)) => {
            let name = if redirects {
                format!("{base}-http-redirect")
            } else {
                format!("{base}-http")
            };
            routes.push((name, http.clone(), g.http_rules, http_kind));
            routes.push((base.clone(), https.clone(), g.rules, g.kind));
        }
        (Some(l), None) | (None, Some(l)) => {
            routes.push((base.clone(), l.clone(), g.rules, g.kind))
        }
        (None, None) => {
            out.lines.truncate(g.first_line);
            return;
        }
    }
    let served = routes.last().map(|(n, l, _, _)| (n.clone(), l.clone()));
    for (name, (section, _), rules, route_kind) in routes {
        let metadata = meta(&name, &g.namespace);
        let parent = (
            cx.gateway_name.to_string(),
            cx.gateway_namespace.to_string(),
            section,
        );
        let object = match (route_kind, cx.target.api_version(ApiKind::GrpcRoute)) {
            (ApiKind::GrpcRoute, Some(v)) => Emitted {
                api_version: v,
                object: Manifest::GrpcRoute(Box::new(nginx::grpc_route(
                    metadata,
                    host.clone(),
                    parent,
                    &rules,
                ))),
            },
            _ => Emitted {
                api_version: cx
                    .target
                    .api_version(ApiKind::HttpRoute)
                    .unwrap_or_default(),
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
        for line in &mut out.lines[g.first_line..] {
            line.kind = g.kind;
            line.route = format!("{}/{name}", g.namespace);
            line.listener = section.clone();
            line.listener_port = port;
        }
    }
}

fn is_redirect(r: &HttpRouteRules) -> bool {
    r.filters
        .iter()
        .flatten()
        .any(|f| f.r#type == HttpRouteRulesFiltersType::RequestRedirect)
        && r.backend_refs.as_ref().is_none_or(Vec::is_empty)
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

/// The same matches, redirected to https instead of forwarded.
fn redirect_rule(r: &HttpRouteRules, status: i64) -> HttpRouteRules {
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

#[cfg(test)]
mod tests {
    use super::valid_host;

    /// Ingress `spec.rules[].host`: a DNS-1123 subdomain, or a wildcard of
    /// one ("*.foo.com"); `registry.<your domain>` from an unrendered
    /// template is neither.
    #[test]
    fn hosts_are_dns_names() {
        assert!(valid_host("foo.bar.com"));
        assert!(valid_host("*.foo.com"));
        assert!(!valid_host("registry.<your domain>"));
        assert!(!valid_host("Foo.com"));
        assert!(!valid_host("*"));
        assert!(!valid_host("a..b"));
    }
}
