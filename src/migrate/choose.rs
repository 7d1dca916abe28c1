//! Step 1, choose what moves: the Services named (or every one in scope)
//! that a way of their own makes reachable from outside, less those the API
//! server refuses and the entry points that are already the shared way in;
//! the Ingresses in scope (or those that reach the Services named); and the
//! Ingress controllers' own Services, which the Gateway replaces.

use super::{Note, NoteCode, Options};
use crate::model::routes::IngressFacts;
use crate::model::view::{Semantics, ServiceView, Shape};
use crate::model::{Located, Snapshot};
use k8s_openapi::api::core::v1::Service;
use std::collections::BTreeSet;

/// What the migration moves.
pub(super) struct Chosen<'s> {
    /// The Services that get routes: load balancers first (their clients
    /// connect to the Service's own port, which the Gateway keeps where it
    /// can), then node ports (whose clients change port anyway).
    pub(crate) views: Vec<ServiceView<'s>>,
    /// The Ingress controllers' own Services: the Gateway replaces them, so
    /// they are left as they are and get no route.
    pub(crate) controllers: Vec<ServiceView<'s>>,
    /// The Ingresses whose routes move.
    pub(crate) ingresses: Vec<&'s IngressFacts>,
}

impl Chosen<'_> {
    /// Nothing to write: no Gateway, so no class or release to decide.
    pub(super) fn is_empty(&self) -> bool {
        self.views.is_empty() && self.ingresses.is_empty()
    }

    /// Positions of the chosen Ingresses in the route index.
    pub(super) fn ingress_indices(&self) -> Vec<usize> {
        self.ingresses.iter().map(|i| i.index).collect()
    }
}

/// Chooses the Services and Ingresses that move, and says why each Service
/// named, or found in scope, is left out.
pub(super) fn choose<'s>(
    snap: &'s Snapshot,
    sem: &'s Semantics<'s>,
    opts: &Options,
    notes: &mut Vec<Note>,
) -> Chosen<'s> {
    let named: Vec<usize> = if opts.services.is_empty() {
        (0..snap.services.len())
            .filter(|&i| snap.scope.includes(namespace_of(&snap.services[i])))
            .collect()
    } else {
        opts.services.clone()
    };
    let mut views: Vec<ServiceView> = Vec::new();
    for i in named {
        let view = sem.view(i);
        let refused: Vec<&str> = view.refusals().filter_map(|f| f.field.as_deref()).collect();
        if !refused.is_empty() {
            // Its port numbers would become listener ports and backendRef
            // ports, which the Gateway API CRDs refuse in turn.
            notes.push(Note {
                code: NoteCode::RefusedService,
                object: format!("Service {}", view.full_name()),
                port: None,
                message: format!(
                    "is refused by the API server ({} outside 1-65535, SVC210), so it is left out",
                    refused.join(", ")
                ),
                instead: "fix its port numbers (`svcx lint` points at each), then migrate it"
                    .into(),
            });
        } else if view.reachable_from_outside() {
            views.push(view);
        } else if !opts.services.is_empty() {
            notes.push(Note {
                code: NoteCode::NotExposed,
                object: format!("Service {}", view.full_name()),
                port: None,
                message: format!(
                    "is {} with no load balancer, node port or externalIP: nothing reaches it from outside \
                     by itself, so it is left as it is",
                    view.service_type
                ),
                instead: "route to it from the Gateway by hand if it should be reachable".into(),
            });
        }
    }
    let mut ingresses: Vec<&IngressFacts> = sem
        .routes
        .ingresses
        .iter()
        .filter(|i| snap.scope.includes(&i.namespace))
        .filter(|i| {
            opts.services.is_empty()
                || i.paths
                    .iter()
                    .any(|p| p.target.is_some_and(|t| opts.services.contains(&t)))
        })
        .collect();
    // An Ingress the API server refuses routed nothing: its routes would
    // add what was never there.
    ingresses.retain(|i| {
        let Some(field) = i.refused() else {
            return true;
        };
        notes.push(Note {
            code: NoteCode::RefusedIngress,
            object: format!("Ingress {}/{}", i.namespace, i.name),
            port: None,
            message: format!(
                "is refused by the API server ({field}), so it routes nothing and is left out"
            ),
            instead: "fix it (a path: `svcx lint` points at each, SVC522; a host must be a DNS name: a template \
                      left unrendered?), then migrate it"
                .into(),
        });
        false
    });
    // The Ingress controller's own Service is replaced by the Gateway,
    // not routed to through it.
    let controller_indices: BTreeSet<usize> = ingresses
        .iter()
        .filter_map(|i| i.controller_service_index)
        .collect();
    let mut controllers = Vec::new();
    views.retain(|v| {
        if controller_indices.contains(&v.index) {
            controllers.push(v.clone());
            return false;
        }
        true
    });
    // Another entry point (a Gateway's proxy, an Ingress controller whose
    // Ingresses are not migrated here, a mesh gateway): already the shared
    // way in, left as it is.
    views.retain(|v| {
        let Some(e) = &v.entry_point else { return true };
        notes.push(Note {
            code: NoteCode::EntryPoint,
            object: format!("Service {}", v.full_name()),
            port: None,
            message: format!(
                "is the way in of {} ({}): routes through it already share its load balancer, so it is left \
                 as it is",
                e.what, e.by
            ),
            instead: "route to the Services behind it from the Gateway, or keep this proxy as the way in".into(),
        });
        false
    });
    for v in &controllers {
        notes.push(Note {
            code: NoteCode::IngressController,
            object: format!("Service {}", v.full_name()),
            port: None,
            message: "is the Ingress controller's own Service: its Ingresses become routes on the Gateway, so it \
                      is left as it is"
                .into(),
            instead: "remove the Ingress controller once the routes are accepted and traffic has moved".into(),
        });
    }
    views.sort_by_key(|v| match v.shape {
        Shape::LoadBalancer => 0,
        Shape::NodePort => 1,
        _ => 2,
    });
    Chosen {
        views,
        controllers,
        ingresses,
    }
}

pub(super) fn namespace_of(s: &Located<Service>) -> &str {
    s.object.metadata.namespace.as_deref().unwrap_or_default()
}
