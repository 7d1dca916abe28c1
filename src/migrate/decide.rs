//! Step 2, decide the target: which Gateway API release (or, live, what the
//! cluster serves) the objects are written for, and which Gateway the routes
//! attach to: an existing one (`--existing-gateway`) or a new one, with its
//! class, namespace and name.

use super::choose::Chosen;
use super::target::{Release, Writes};
use super::{DEFAULT_GATEWAY_NAME, Note, NoteCode, Options, PlanError};
use crate::model::Snapshot;
use crate::model::routes::GatewayFacts;
use crate::model::view::Semantics;
use std::collections::BTreeSet;

/// What was decided.
pub(super) struct Decided<'s> {
    /// What the objects are written for.
    pub(crate) target: Writes,
    /// `--existing-gateway`: its listeners are reused, none is added.
    pub(crate) existing: Option<&'s GatewayFacts>,
    pub(crate) gateway_class: String,
    pub(crate) gateway_namespace: String,
    pub(crate) gateway_name: String,
}

impl Decided<'_> {
    /// `Gateway namespace/name`, as notes name it.
    pub(super) fn gateway_label(&self) -> String {
        format!("Gateway {}/{}", self.gateway_namespace, self.gateway_name)
    }
}

/// Decides the release and the Gateway. Fails when the Gateway named does
/// not exist or no class can be chosen.
pub(super) fn decide<'s>(
    snap: &Snapshot,
    sem: &'s Semantics<'s>,
    opts: &Options,
    chosen: &Chosen,
    notes: &mut Vec<Note>,
) -> Result<Decided<'s>, PlanError> {
    let target = match (opts.target, &snap.gateway_api_served) {
        (Some(t), _) => Writes::Release(t),
        (None, Some(served)) if !served.is_empty() => Writes::Served(served.clone()),
        (None, served) => {
            let t = Release::newest();
            let message = if served.is_some() {
                format!(
                    "the cluster serves no Gateway API: writing for {t}, the newest release svcx knows"
                )
            } else {
                format!("no --gateway-api-version: writing for {t}, the newest release svcx knows")
            };
            notes.push(Note {
                code: NoteCode::TargetDefaulted,
                object: "Gateway API".into(),
                port: None,
                message,
                instead: "pass --gateway-api-version (and --channel) for the release your cluster has installed, \
                          and install its CRDs before applying"
                    .into(),
            });
            Writes::Release(t)
        }
    };
    let existing = match &opts.existing_gateway {
        Some((ns, name)) => Some(sem.routes.gateway(ns, name).ok_or_else(|| {
            let there: Vec<String> = sem.routes.gateways.iter().map(|g| g.full_name()).collect();
            PlanError {
                message: format!("Gateway {ns}/{name} was not read, so routes cannot attach to it"),
                hint: if there.is_empty() {
                    "no Gateway was read: with -f, pass the file that holds it; or drop --existing-gateway to write a \
                     new one"
                        .to_string()
                } else {
                    format!("Gateways there are: {}", there.join(", "))
                },
            }
        })?),
        None => None,
    };
    let gateway_class = match existing {
        Some(g) => g.class.clone(),
        None => gateway_class(snap, opts, notes)?,
    };
    let namespaces: BTreeSet<&str> = chosen
        .views
        .iter()
        .map(|v| v.namespace.as_str())
        .chain(chosen.ingresses.iter().map(|i| i.namespace.as_str()))
        .collect();
    let gateway_namespace = match existing {
        Some(g) => g.namespace.clone(),
        None => opts.gateway_namespace.clone().unwrap_or_else(|| {
            // One namespace: the Gateway lives beside what it serves.
            match namespaces.into_iter().collect::<Vec<_>>().as_slice() {
                [only] => only.to_string(),
                _ => "default".to_string(),
            }
        }),
    };
    let gateway_name = match existing {
        Some(g) => g.name.clone(),
        None => opts
            .gateway_name
            .clone()
            .unwrap_or_else(|| DEFAULT_GATEWAY_NAME.to_string()),
    };
    Ok(Decided {
        target,
        existing,
        gateway_class,
        gateway_namespace,
        gateway_name,
    })
}

/// `--gateway-class`, else the only GatewayClass read.
fn gateway_class(
    snap: &Snapshot,
    opts: &Options,
    notes: &mut Vec<Note>,
) -> Result<String, PlanError> {
    if let Some(c) = &opts.gateway_class {
        return Ok(c.clone());
    }
    let names: Vec<String> = snap
        .gateway_classes
        .iter()
        .filter_map(|c| c.object.metadata.name.clone())
        .collect();
    match names.as_slice() {
        [only] => {
            notes.push(Note {
                code: NoteCode::ClassInferred,
                object: format!("GatewayClass {only}"),
                port: None,
                message: format!("the Gateway uses GatewayClass {only}, the only one read"),
                instead: "pass --gateway-class to choose another".into(),
            });
            Ok(only.clone())
        }
        [] => Err(PlanError {
            message: "no GatewayClass was read, so svcx cannot tell which Gateway implementation to write for".into(),
            hint: "pass --gateway-class NAME (the class your Gateway controller installs, e.g. `kubectl get gatewayclass`)"
                .into(),
        }),
        many => Err(PlanError {
            message: format!("{} GatewayClasses were read: {}", many.len(), many.join(", ")),
            hint: "pass --gateway-class NAME to say which the Gateway uses".into(),
        }),
    }
}
