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
//!
//! Here: which servers of which fronts are written, per host and namespace.
//! `rules` writes each location's rules, `listeners` each host's routes on
//! their listeners, `annotations` reads and reports each Ingress's
//! annotations, `nginx` translates ingress-nginx's.

use super::target::{ApiKind, Writes};
use super::{Emitted, Listener, Note, NoteCode, RouteLine};
use crate::model::Snapshot;
use crate::model::routes::{GatewayFacts, IngressFacts, RouteIndex};
use crate::model::routing::ingress::{Fallback, PathKind, Server, Tls};
use crate::model::routing::{Front, Implementation, IngressRouting};
use annotations::{annotations_of, backend_annotations};
use gateway_api::apis::standard::httproutes::{HttpRouteRules, HttpRouteRulesMatches};
use listeners::{redirect_code, write_group};
use nginx::Nginx;
use rules::{backend_rule, line_for, location_rules, path_match, redirect_rule, root_match};
use std::collections::{BTreeMap, BTreeSet, HashMap};

mod annotations;
mod listeners;
mod nginx;
mod rules;

/// What the Ingress part of a migration shares with the rest.
pub(super) struct IngressPlan<'a> {
    pub(crate) snap: &'a Snapshot,
    pub(crate) ix: &'a RouteIndex,
    pub(crate) routing: &'a IngressRouting,
    /// `--existing-gateway`: reuse its listeners, add none.
    pub(crate) existing: Option<&'a GatewayFacts>,
    pub(crate) gateway_name: &'a str,
    pub(crate) gateway_namespace: &'a str,
    /// The Gateway's GatewayClass.
    pub(crate) gateway_class: &'a str,
    pub(crate) target: &'a Writes,
}

/// What it adds to the migration.
#[derive(Default)]
pub(super) struct Out {
    pub(crate) listeners: Vec<Listener>,
    pub(crate) objects: Vec<Emitted>,
    pub(crate) lines: Vec<RouteLine>,
    pub(crate) notes: Vec<Note>,
    /// Certificate Secrets of other namespaces than the Gateway's, by
    /// namespace: the plan writes their ReferenceGrants.
    pub(crate) grants: BTreeMap<String, BTreeSet<String>>,
    /// `namespace/name` of the Ingresses written as GRPCRoutes.
    pub(crate) grpc: BTreeSet<String>,
}

/// One route being written: a host's locations of one namespace and kind.
pub(super) struct Group {
    pub(super) namespace: String,
    pub(super) kind: ApiKind,
    /// The first Ingress (in the controller's order) it holds: the route's name.
    pub(super) name: String,
    /// Rules for `https` (or for `http` when the host has no certificate).
    pub(super) rules: Vec<HttpRouteRules>,
    /// Rules for `http` on a host with a certificate (redirects, or the
    /// same rules where a location does not redirect).
    pub(super) http_rules: Vec<HttpRouteRules>,
    pub(super) first_line: usize,
}

/// Migrates the Ingresses at the positions given (in the route index).
pub(super) fn migrate(cx: &IngressPlan, chosen: &[usize], out: &mut Out) {
    if cx.target.api_version(ApiKind::HttpRoute).is_none() {
        return;
    }
    let mut per_ingress: HashMap<usize, Nginx> = HashMap::new();
    for &i in chosen {
        per_ingress.insert(i, annotations_of(cx, i, out));
    }
    backend_annotations(cx, chosen, out);
    internal_load_balancers(cx, chosen, out);
    class_nginx_assumed(cx, chosen, out);
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

pub(super) fn ingress_label(cx: &IngressPlan, i: usize) -> String {
    let f = &cx.ix.ingresses[i];
    format!("Ingress {}/{}", f.namespace, f.name)
}

/// Writes the routes of one server's chosen locations.
fn write_server(
    cx: &IngressPlan,
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
    let redirect_code = redirect_code(cx, front, server, anchor, &mut out.notes);
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
        if front.implementation == Implementation::Traefik
            && loc.kind == PathKind::Prefix
            && loc.path != "/"
        {
            out.notes.push(note_on(
                loc.ingress,
                NoteCode::ControllerChoice,
                format!(
                    "{}: Traefik matches Prefix {} character by character ({}x too) unless its provider option \
                     strictPrefixMatching is on; the route's PathPrefix matches path elements",
                    p.field, loc.path, loc.path
                ),
                "check which reading your Traefik uses; write the longer paths it served as routes of their own",
            ));
        }
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
                    "{}: {} defines the same host and path, and {}: this one is written",
                    p.field,
                    others.join(", "),
                    if front.implementation == Implementation::Contour {
                        "Contour keeps one of them, in the order it reads them, which is not fixed"
                    } else {
                        "the controller keeps the older Ingress, which the input does not say (no creation times)"
                    }
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
        // Contour's `allow-http: "false"`: this Ingress's paths are not on
        // port 80, and without TLS not served at all.
        if !front.serves_http(loc.ingress) {
            if secret.is_some() {
                g.rules.extend(rules);
            }
            continue;
        }
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
            root_match(cx, server.regex),
            target,
            p,
            &per_ingress[ingress],
            out,
        ) {
            let g = http_group(&mut groups, facts, out.lines.len());
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
    } else if server.fallback == Fallback::NotFound
        && server.fallback_redirect == Some(true)
        && !server
            .locations
            .iter()
            .any(|l| l.path == "/" && l.kind != PathKind::Exact)
        && secret.is_some()
        && front.serves_http(anchor)
        && chosen.contains(&anchor)
    {
        // The controller redirects every http request of the host, those
        // no path matches too (NGINX Inc's server-wide `$scheme = http`
        // redirect, ingress-nginx's default location's): a catch-all
        // redirect on the HTTP listener, after which https answers 404 as
        // it did.
        let g = http_group(&mut groups, &cx.ix.ingresses[anchor], out.lines.len());
        let root = HttpRouteRules {
            matches: Some(vec![HttpRouteRulesMatches {
                path: Some(root_match(cx, server.regex)),
                ..Default::default()
            }]),
            ..Default::default()
        };
        g.http_rules.push(redirect_rule(&root, redirect_code));
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

/// Class `nginx` is the default class of ingress-nginx and of NGINX Inc's
/// controller, which route differently: where neither the IngressClass nor
/// an annotation of either says which serves an Ingress, the routing model
/// reads it as ingress-nginx's, and the report says so.
fn class_nginx_assumed(cx: &IngressPlan, chosen: &[usize], out: &mut Out) {
    for &i in chosen {
        if cx.routing.nginx_by_class_alone(i) {
            out.notes.push(Note {
                code: NoteCode::ControllerChoice,
                object: ingress_label(cx, i),
                port: None,
                message: "class nginx is the default class of both ingress-nginx and NGINX Inc's controller, which route \
                 differently (http to https with 308 or 301, prefixes by path element or by characters, paths of \
                 one host merged or the host given to one Ingress): with neither the IngressClass nor an annotation \
                 of either in the input, it is read as ingress-nginx's"
                    .into(),
                instead: "add the IngressClass `nginx` to the input (kubectl get ingressclass nginx -o yaml), then \
                          migrate again"
                    .into(),
            });
        }
    }
}

/// The HTTPRoute group of an Ingress's namespace, created on first use
/// (named after the Ingress).
fn http_group<'g>(
    groups: &'g mut Vec<Group>,
    facts: &IngressFacts,
    first_line: usize,
) -> &'g mut Group {
    group(
        groups,
        &facts.namespace,
        ApiKind::HttpRoute,
        &facts.name,
        first_line,
    )
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

/// One note per migrated Ingress: the routes it becomes, and that it is
/// deleted once they are accepted.
pub(super) fn replaced(ingresses: &[&IngressFacts], grpc: &BTreeSet<String>) -> Vec<Note> {
    ingresses
        .iter()
        .map(|i| Note {
            code: NoteCode::IngressReplaced,
            object: format!("Ingress {}/{}", i.namespace, i.name),
            port: None,
            message: format!(
                "becomes {}{}",
                if grpc.contains(&format!("{}/{}", i.namespace, i.name)) {
                    "GRPCRoutes"
                } else {
                    "HTTPRoutes"
                },
                i.class
                    .as_deref()
                    .map(|c| format!(" (it was served by class {c})"))
                    .unwrap_or_default()
            ),
            instead: "delete the Ingress once the routes are accepted and traffic has moved".into(),
        })
        .collect()
}

/// The GKE Ingress class whose load balancer is internal, reachable only
/// inside the VPC (ingress-gce `pkg/annotations/ingress.go`,
/// `GceL7ILBIngressClass`).
const GCE_INTERNAL_CLASS: &str = "gce-internal";

/// An internal GKE Ingress whose routes go to a Gateway that is not
/// surely internal: a GKE external class makes it public; another
/// implementation's is its configuration's to say.
fn internal_load_balancers(cx: &IngressPlan, chosen: &[usize], out: &mut Out) {
    if crate::model::gke_gateway::INTERNAL_CLASSES.contains(&cx.gateway_class) {
        return;
    }
    for &i in chosen {
        let facts = &cx.ix.ingresses[i];
        let gce = cx
            .routing
            .front_of(i)
            .is_some_and(|f| f.implementation == Implementation::Gce);
        if !gce || facts.class.as_deref() != Some(GCE_INTERNAL_CLASS) {
            continue;
        }
        let gateway = if cx.gateway_class.starts_with("gke-") {
            format!(
                "GatewayClass {} is an external GKE class: its load balancer faces the internet",
                cx.gateway_class
            )
        } else {
            format!(
                "whether GatewayClass {}'s load balancer is internal is its implementation's configuration",
                cx.gateway_class
            )
        };
        out.notes.push(Note {
            code: NoteCode::InternalIngress,
            object: ingress_label(cx, i),
            port: None,
            message: format!("class {GCE_INTERNAL_CLASS} made its load balancer internal (inside the VPC only); {gateway}"),
            instead: "use an internal GatewayClass (on GKE, gke-l7-rilb), or migrate it to a Gateway of its own that is internal".into(),
        });
    }
}
