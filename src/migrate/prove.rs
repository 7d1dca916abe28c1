//! The routing check: every migration proves, request by request, that the
//! objects it writes send each request where the Ingresses sent it. The
//! requests come from [`sample::requests`] (every host and path migrated,
//! and the requests around them); the answer before comes from the
//! Ingress controller's routing model, the answer after from the Gateway
//! API model over the objects written, read back through the same reader
//! as any manifest (with the Services, Gateways, routes and
//! ReferenceGrants of the input that the migration does not replace).
//! Every request answered differently is a note; none is left unsaid.

use super::{Emitted, Note, NoteCode};
use crate::model::routes::{RouteIndex, RouteKind};
use crate::model::routing::gateway::GatewayRouter;
use crate::model::routing::{Answer, IngressRouting, Outcome, Request, ServedBy, sample};
use crate::model::{Located, Origin, Scope, Snapshot};
use kube::Resource;
use serde::Serialize;
use std::collections::HashSet;

/// One request, where it went before and where it goes after.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct RequestCheck {
    pub(crate) request: Request,
    pub(crate) before: Routed,
    pub(crate) after: Routed,
    /// Whether both send it to the same place (shares as proportions); a
    /// `depends` is never the same.
    pub(crate) same: bool,
}

/// An outcome and the rules that decided it, in words.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Routed {
    #[serde(flatten)]
    pub(crate) outcome: Outcome,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) by: Vec<String>,
}

/// The Gateway the routes attach to.
pub(super) struct Parent<'a> {
    pub(crate) namespace: &'a str,
    pub(crate) name: &'a str,
}

/// Checks the requests of the Ingresses at positions `chosen`.
pub(super) fn prove(
    snap: &Snapshot,
    ix: &RouteIndex,
    routing: &IngressRouting,
    chosen: &[usize],
    objects: &[Emitted],
    gateway: Parent,
) -> (Vec<RequestCheck>, Vec<Note>) {
    let probes = sample::requests(snap, ix, routing, chosen);
    if probes.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let (after, written) = after_snapshot(snap, objects);
    let after_ix = RouteIndex::build(&after);
    let router = GatewayRouter::with_new_routes(&after_ix, written);
    // Nothing written (every path left out): once the Ingresses are gone,
    // a cloud Ingress's load balancer goes with them (nothing listens),
    // and a controller that stays answers 404.
    let g = after_ix
        .gateways
        .iter()
        .position(|g| g.namespace == gateway.namespace && g.name == gateway.name);
    let mut checks = Vec::new();
    let mut notes = Vec::new();
    for (f, request, probed) in probes {
        let front = &routing.fronts[f];
        let before = front.answer(&request);
        let after = match g {
            Some(g) => router.answer(g, request.scheme.default_port(), &request),
            None if front.own_load_balancer() => Answer::new(Outcome::Refused),
            None => Answer::new(Outcome::NoRoute),
        };
        let same = before.outcome.same_as(&after.outcome);
        let check = RequestCheck {
            before: routed(&before, ix),
            after: routed(&after, &after_ix),
            request,
            same,
        };
        if !same {
            notes.push(difference(&check, &before, ix, probed));
        }
        checks.push(check);
    }
    (checks, notes)
}

fn routed(a: &Answer, ix: &RouteIndex) -> Routed {
    Routed {
        outcome: a.outcome.clone(),
        by: a.by.iter().map(|b| describe(b, ix)).collect(),
    }
}

/// `Ingress shop/web spec.rules[0].http.paths[1]`, `HTTPRoute shop/web rule 2`.
pub(crate) fn describe(by: &ServedBy, ix: &RouteIndex) -> String {
    match *by {
        ServedBy::Ingress { ingress, path } => {
            let i = &ix.ingresses[ingress];
            format!("Ingress {}/{} {}", i.namespace, i.name, i.paths[path].field)
        }
        ServedBy::Route { route, rule, .. } => {
            let r = &ix.routes[route];
            format!("{} {}/{} rule {rule}", r.kind.kind(), r.namespace, r.name)
        }
    }
}

/// The note of a request routed differently.
fn difference(check: &RequestCheck, before: &Answer, ix: &RouteIndex, probed: usize) -> Note {
    let i = before
        .by
        .iter()
        .find_map(|b| match b {
            ServedBy::Ingress { ingress, .. } => Some(*ingress),
            ServedBy::Route { .. } => None,
        })
        .unwrap_or(probed);
    let object = format!(
        "Ingress {}/{}",
        ix.ingresses[i].namespace, ix.ingresses[i].name
    );
    let side = |r: &Routed| {
        if r.by.is_empty() {
            r.outcome.describe()
        } else {
            format!("{} ({})", r.outcome.describe(), r.by.join(", "))
        }
    };
    let instead = match (&check.before.outcome, &check.after.outcome) {
        (Outcome::Depends { .. }, _) => {
            "find out what the controller does with this request today (its logs or a test request), and make the \
             routes do the same"
        }
        (_, Outcome::Depends { .. }) => {
            "make the routes unambiguous for this request (distinct matches), or check what your Gateway \
             implementation does with it"
        }
        _ => {
            "change the written routes so that this request goes where it went, or accept the change knowingly"
        }
    };
    Note {
        code: NoteCode::RoutingDiffers,
        object,
        port: None,
        message: format!(
            "{}: before, {}; after, {}",
            check.request,
            side(&check.before),
            side(&check.after)
        ),
        instead: instead.into(),
    }
}

/// The objects written, read back as a manifest, with what the input holds
/// that they do not replace: Services (for backends), Gateways and
/// GatewayClasses, routes, ReferenceGrants and Namespaces. Returns the
/// snapshot and the routes written.
fn after_snapshot(
    snap: &Snapshot,
    objects: &[Emitted],
) -> (Snapshot, Vec<(RouteKind, String, String)>) {
    let mut after = Snapshot::new(snap.source.clone(), Scope::AllNamespaces);
    let origin = Origin::File {
        path: "(written by migrate-to-gateway)".into(),
        line: 1,
    };
    let mut written_keys: HashSet<(String, String, String)> = HashSet::new();
    let mut routes = Vec::new();
    for e in objects {
        let v = e.to_value();
        let s = |p: &str| {
            v.pointer(p)
                .and_then(|x| x.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let (kind, ns, name) = (s("/kind"), s("/metadata/namespace"), s("/metadata/name"));
        if let Some(k) = RouteKind::parse(&kind) {
            routes.push((k, ns.clone(), name.clone()));
        }
        written_keys.insert((kind, ns, name));
        // Every object written fits its schema (the tests hold migrate to
        // the CRDs); one that would not is simply absent from the check.
        let _ = after.ingest(v, origin.clone(), "default");
    }
    fn keep<T: Resource<DynamicType = ()> + Clone>(
        from: &[Located<T>],
        to: &mut Vec<Located<T>>,
        written: &HashSet<(String, String, String)>,
    ) {
        for o in from {
            let key = (
                T::kind(&()).to_string(),
                o.object.meta().namespace.clone().unwrap_or_default(),
                o.object.meta().name.clone().unwrap_or_default(),
            );
            if !written.contains(&key) {
                to.push(o.clone());
            }
        }
    }
    keep(&snap.services, &mut after.services, &written_keys);
    keep(&snap.gateways, &mut after.gateways, &written_keys);
    keep(
        &snap.gateway_classes,
        &mut after.gateway_classes,
        &written_keys,
    );
    keep(&snap.http_routes, &mut after.http_routes, &written_keys);
    keep(&snap.grpc_routes, &mut after.grpc_routes, &written_keys);
    keep(&snap.tls_routes, &mut after.tls_routes, &written_keys);
    keep(&snap.tcp_routes, &mut after.tcp_routes, &written_keys);
    keep(&snap.udp_routes, &mut after.udp_routes, &written_keys);
    keep(
        &snap.reference_grants,
        &mut after.reference_grants,
        &written_keys,
    );
    keep(&snap.namespaces, &mut after.namespaces, &written_keys);
    after.namespaces_known = snap.namespaces_known;
    (after.finish(), routes)
}
