//! Following references out of the namespace in scope. A run over one
//! namespace lists that namespace only; what its routes and ListenerSets name
//! elsewhere ([`beyond_scope`]: parent Gateways and ListenerSets, the Services
//! of cross-namespace backendRefs with their EndpointSlices, the
//! ReferenceGrants of the namespaces those cross into, the Namespaces whose
//! labels a listener's selector asks about) is then read by name: one GET
//! per object, or a list of one namespace narrowed by label for the
//! EndpointSlices of one Service and the ReferenceGrants of one namespace.
//! Nothing is listed across namespaces.
//!
//! What a fetched object names in turn is read in the next round (a
//! ListenerSet's Gateway, then the Namespaces its selector asks about), for
//! at most [`MAX_ROUNDS`] rounds and [`MAX_FETCHES`] references. Each answer
//! is recorded in [`Snapshot::fetched`]: a 404 says the object does not
//! exist, so the model can say so; a 403 or a failure leaves a notice naming
//! exactly what could not be read, and the model falls back on the routes'
//! status where it can.

use super::fetch::{Progress, Reader};
use super::{GATEWAY_GROUP, Listed, UNREADABLE_HINT, list_trimmed};
use crate::model::routes::{Outcome, Reference, beyond_scope};
use crate::model::slim::{trim_endpoint_slice, trim_service};
use crate::model::{Located, Origin, SERVICE_NAME_LABEL, Snapshot};
use k8s_openapi::api::core::v1::{Namespace, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::api::{Api, ApiResource, DynamicObject, GetParams, ListParams};
use serde::de::DeserializeOwned;

/// Rounds of following: routes name ListenerSets, ListenerSets name
/// Gateways, Gateways' selectors name Namespaces; nothing read later names
/// anything further.
const MAX_ROUNDS: usize = 3;

/// References read at most in one run: past this, the rest are named in a
/// notice (the objects of one namespace rarely name more).
const MAX_FETCHES: usize = 64;

/// What one reference gave: objects to add, and the outcome.
enum Got {
    Dynamic(Vec<DynamicObject>, ApiResource),
    /// A Service, its EndpointSlices, and why they are missing when their
    /// list failed.
    Service(Box<Service>, Vec<EndpointSlice>, Option<String>),
    Namespace(Box<Namespace>),
    Nothing,
}

/// Reads what the snapshot's objects name outside its namespace, round by
/// round, adds it, and records what came of each. `gateway_kinds` are the
/// Gateway API kinds the cluster serves, at the versions listed.
pub(super) async fn follow(
    reader: &Reader,
    gateway_kinds: &[ApiResource],
    snap: &mut Snapshot,
    context: &str,
) {
    let origin = Origin::Live {
        context: context.to_string(),
    };
    for _ in 0..MAX_ROUNDS {
        let mut wanted = beyond_scope(snap);
        if wanted.is_empty() {
            return;
        }
        let room = MAX_FETCHES.saturating_sub(snap.fetched.asked.len());
        if wanted.len() > room {
            let left: Vec<String> = wanted[room..].iter().map(Reference::describe).collect();
            snap.notice(
                format!(
                    "{} objects in other namespaces named by the objects read were not read (svcx reads at most {MAX_FETCHES}): {}",
                    left.len(),
                    left.join(", ")
                ),
                Some("run with -A to read every namespace".to_string()),
            );
            wanted.truncate(room);
        }
        if wanted.is_empty() {
            return;
        }
        // Sent at once, so one slow answer does not hold the others back;
        // answers are added in the references' order.
        let mut asks = tokio::task::JoinSet::new();
        for (i, reference) in wanted.into_iter().enumerate() {
            let (reader, kinds) = (reader.clone(), gateway_kinds.to_vec());
            asks.spawn(async move {
                let got =
                    tokio::time::timeout_at(reader.deadline, read(&reader, &kinds, &reference))
                        .await
                        .unwrap_or_else(|_| {
                            Err(Outcome::Failed(
                                "no answer within --request-timeout".to_string(),
                            ))
                        });
                (i, reference, got)
            });
        }
        let mut answers = asks.join_all().await;
        answers.sort_by_key(|(i, ..)| *i);
        for (_, reference, got) in answers {
            let outcome = match got {
                Ok(got) => {
                    add(snap, got, &origin, context);
                    Outcome::Read
                }
                Err(outcome) => {
                    if let Some((message, hint)) = notice(&reference, &outcome) {
                        snap.notice(message, Some(hint));
                    }
                    outcome
                }
            };
            snap.fetched.asked.insert(reference, outcome);
        }
    }
}

/// Adds what one reference gave to the snapshot.
fn add(snap: &mut Snapshot, got: Got, origin: &Origin, context: &str) {
    match got {
        Got::Dynamic(objects, resource) => {
            for o in objects {
                super::gateway::add_fetched_object(snap, o, &resource, context);
            }
        }
        Got::Service(service, slices, unread) => {
            if let Some(message) = unread {
                snap.notice(message, Some(UNREADABLE_HINT.to_string()));
            }
            snap.services.push(Located::new(*service, origin.clone()));
            snap.endpoint_slices
                .extend(slices.into_iter().map(|s| Located::new(s, origin.clone())));
        }
        Got::Namespace(ns) => snap.namespaces.push(Located::new(*ns, origin.clone())),
        Got::Nothing => {}
    }
}

/// Reads one reference. `Err` carries what came of it when nothing was read.
async fn read(reader: &Reader, kinds: &[ApiResource], r: &Reference) -> Result<Got, Outcome> {
    let served = |kind: &str| kinds.iter().find(|k| k.kind == kind).cloned();
    match r {
        Reference::Gateway { namespace, name } | Reference::ListenerSet { namespace, name } => {
            // A kind the cluster does not serve has no objects.
            let resource = served(r.kind()).ok_or(Outcome::Absent)?;
            let api: Api<DynamicObject> =
                Api::namespaced_with(reader.client.clone(), namespace, &resource);
            let object = get(reader, &api, name, r).await?;
            Ok(Got::Dynamic(vec![object], resource))
        }
        Reference::Service { namespace, name } => {
            let api: Api<Service> = Api::namespaced(reader.client.clone(), namespace);
            let mut service: Service = get(reader, &api, name, r).await?;
            trim_service(&mut service);
            // Its slices, narrowed by the API server to this Service's.
            let slices: Api<EndpointSlice> = Api::namespaced(reader.client.clone(), namespace);
            let narrow = ListParams::default().labels(&format!("{SERVICE_NAME_LABEL}={name}"));
            let what = format!("endpointslices of Service `{namespace}/{name}`");
            let listed =
                list_trimmed(reader, slices, what.clone(), narrow, trim_endpoint_slice).await;
            // The Service was read; without its slices, where it sends is
            // not known, and a notice says so.
            let why = match listed {
                Ok(Listed::Items(items)) => {
                    return Ok(Got::Service(Box::new(service), items, None));
                }
                Ok(Listed::Forbidden) => format!(
                    "forbidden; svcx needs `list` on endpointslices in namespace `{namespace}`"
                ),
                Ok(Listed::NotServed) => "not served by this cluster (404)".to_string(),
                Ok(Listed::Unreadable(why)) => format!("could not be read ({why})"),
                Err(f) => format!(
                    "could not be read ({})",
                    super::failure::describe(&f.failed)
                ),
            };
            let message = format!("{what}: {why} — where the backendRefs to it send is not known");
            Ok(Got::Service(Box::new(service), Vec::new(), Some(message)))
        }
        Reference::ReferenceGrants { namespace } => {
            let Some(resource) = served("ReferenceGrant") else {
                return Ok(Got::Nothing);
            };
            let api: Api<DynamicObject> =
                Api::namespaced_with(reader.client.clone(), namespace, &resource);
            let what = format!("referencegrants.{GATEWAY_GROUP} in namespace `{namespace}`");
            match list_trimmed(reader, api, what, ListParams::default(), |_| {}).await {
                Ok(Listed::Items(items)) => Ok(Got::Dynamic(items, resource)),
                Ok(Listed::NotServed) => Ok(Got::Nothing),
                Ok(Listed::Forbidden) => Err(Outcome::Refused),
                Ok(Listed::Unreadable(why)) => Err(Outcome::Failed(why)),
                Err(f) => Err(Outcome::Failed(super::failure::describe(&f.failed))),
            }
        }
        Reference::Namespace { name } => {
            let api: Api<Namespace> = Api::all(reader.client.clone());
            Ok(Got::Namespace(Box::new(get(reader, &api, name, r).await?)))
        }
    }
}

/// One GET by name: a 404 says the object does not exist, a 403 that RBAC
/// refused it.
async fn get<K>(reader: &Reader, api: &Api<K>, name: &str, r: &Reference) -> Result<K, Outcome>
where
    K: DeserializeOwned + kube::Resource,
{
    let request = kube::core::Request::new(api.resource_url());
    let progress = Progress::default();
    progress.set(format!("reading {} `{}`", r.kind(), r.target()));
    match reader
        .get::<K>(|| request.get(name, &GetParams::default()), &progress)
        .await
    {
        Ok(object) => Ok(object),
        Err(f) => Err(match f.fault.code() {
            Some(404) => Outcome::Absent,
            Some(403) => Outcome::Refused,
            _ => Outcome::Failed(super::failure::describe(&f)),
        }),
    }
}

/// The notice for a reference that could not be read, with the command that
/// checks the permission; none for one that does not exist.
fn notice(r: &Reference, outcome: &Outcome) -> Option<(String, String)> {
    let (resource, verb) = match r {
        Reference::Gateway { .. } => (format!("gateways.{GATEWAY_GROUP}"), "get"),
        Reference::ListenerSet { .. } => (format!("listenersets.{GATEWAY_GROUP}"), "get"),
        Reference::Service { .. } => ("services".to_string(), "get"),
        Reference::ReferenceGrants { .. } => (format!("referencegrants.{GATEWAY_GROUP}"), "list"),
        Reference::Namespace { .. } => ("namespaces".to_string(), "get"),
    };
    let lost = match r {
        Reference::Gateway { .. } | Reference::ListenerSet { .. } => {
            "a route read names it as its parent; where the route's status says it was accepted there, svcx takes \
             that as evidence, else whether the route is attached is not known"
        }
        Reference::Service { .. } => {
            "a backendRef names it; whether it exists and where it sends are not known"
        }
        Reference::ReferenceGrants { .. } => {
            "whether backendRefs into this namespace are allowed is not known"
        }
        Reference::Namespace { .. } => {
            "whether listeners that admit routes by namespace label admit routes from it is not known"
        }
    };
    let (what, check) = match r {
        Reference::ReferenceGrants { namespace } => (
            format!("{resource} in namespace `{namespace}`"),
            format!("kubectl auth can-i list {resource} -n {namespace}"),
        ),
        Reference::Namespace { name } => (
            format!("namespace `{name}`"),
            format!("kubectl auth can-i get namespaces/{name}"),
        ),
        Reference::Gateway { namespace, name }
        | Reference::ListenerSet { namespace, name }
        | Reference::Service { namespace, name } => (
            format!("{resource} `{namespace}/{name}`"),
            format!("kubectl auth can-i get {resource}/{name} -n {namespace}"),
        ),
    };
    match outcome {
        Outcome::Read | Outcome::Absent => None,
        Outcome::Refused => Some((
            format!("{what}: forbidden; svcx needs `{verb}` on it — {lost}"),
            format!("check with `{check}`"),
        )),
        Outcome::Failed(why) => Some((
            format!("{what}: could not be read ({why}) — {lost}"),
            UNREADABLE_HINT.to_string(),
        )),
    }
}
