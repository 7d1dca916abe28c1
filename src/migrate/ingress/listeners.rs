//! A host's routes written and attached: the HTTP and HTTPS listeners they
//! need (shared by every Ingress of the host, or found on
//! `--existing-gateway`), route names, and the status of the https
//! redirect at the target release.

use super::nginx;
use super::rules::is_redirect;
use super::{Group, IngressPlan, Out, ingress_label};
use crate::migrate::target::ApiKind;
use crate::migrate::{
    Emitted, Listener, Manifest, Note, NoteCode, RouteLine, Want, fitting, free_port, meta,
    missing_listener, unique_name,
};
use crate::model::routing::Front;
use crate::model::routing::ingress::Server;
use gateway_api::apis::standard::httproutes::{HttpRoute, HttpRouteParentRefs, HttpRouteSpec};
use std::collections::BTreeSet;

/// The status code of the redirect to https: the controller's (308 for
/// ingress-nginx) where the target release's RequestRedirect offers it
/// (303, 307 and 308 from v1.5), else 301, said once.
pub(super) fn redirect_code(
    cx: &IngressPlan,
    front: &Front,
    server: &Server,
    anchor: usize,
    notes: &mut Vec<Note>,
) -> i64 {
    let code = i64::from(
        server
            .redirect_status
            .unwrap_or_else(|| front.https_redirect_status()),
    );
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
                "the controller redirects http to https with {code}, which keeps the method and body; the \
                 RequestRedirect filter of {} offers 301 and 302 only, so the redirect is written with 301, after \
                 which clients may turn a POST into a GET",
                cx.target
            ),
            instead: "target Gateway API v1.5 or later (--gateway-api-version) to keep 308".into(),
        });
    }
    301
}

/// Writes a group's routes and attaches them to the host's listeners.
pub(super) fn write_group(
    cx: &IngressPlan,
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
    // No HTTP rule (every path's Ingress closed port 80): no HTTP listener.
    let http = if front.http && !g.http_rules.is_empty() {
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
    // The HTTP route of a host that also has HTTPS, where it forwards some
    // Service ports instead of redirecting: each is a way in on port 80 too.
    let mut http_too: Option<(String, (String, i32))> = None;
    // The Service ports (`namespace/name`, port) that route forwards.
    let mut forwarded: BTreeSet<(String, i32)> = BTreeSet::new();
    match (&http, &https) {
        (Some(http), Some(https)) => {
            let name = if redirects {
                format!("{base}-http-redirect")
            } else {
                format!("{base}-http")
            };
            if !redirects {
                forwarded = g
                    .http_rules
                    .iter()
                    .flat_map(|r| r.backend_refs.iter().flatten())
                    .filter_map(|b| Some((format!("{}/{}", g.namespace, b.name), b.port?)))
                    .collect();
                http_too = Some((name.clone(), http.clone()));
            }
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
    if let Some((name, (section, port))) = http_too {
        let also: Vec<RouteLine> = out.lines[g.first_line..]
            .iter()
            .filter(|l| forwarded.contains(&(l.service.clone(), l.port)))
            .map(|l| RouteLine {
                kind: http_kind,
                route: format!("{}/{name}", g.namespace),
                listener: section.clone(),
                listener_port: port,
                ..l.clone()
            })
            .collect();
        out.lines.extend(also);
    }
}

/// The listener `want` asks for, shared by every Ingress of that host;
/// returns `(name, port)`. On an existing Gateway, the listener that fits,
/// or `None` (and a note) when none does.
fn listener(
    cx: &IngressPlan,
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
