//! The Gateway API part of a live read: which of its kinds the cluster
//! serves (discovery of one group), listing each at the served version
//! closest to svcx's types, and typing what comes back.

use super::fetch::{Failed, Progress, Reader};
use super::{
    GATEWAY_GROUP, GatewayApi, ListFailure, Listed, degrade, in_scope, list, until_deadline,
};
use crate::model::{Origin, Scope, Snapshot};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{APIGroupList, APIResourceList};
use kube::api::{Api, ApiResource, DynamicObject};
use serde_json::Value;

/// The Gateway API kinds svcx reads, with the version its types are written for.
const GATEWAY_KINDS: &[(&str, &str)] = &[
    ("GatewayClass", "v1"),
    ("Gateway", "v1"),
    ("ListenerSet", "v1"),
    ("HTTPRoute", "v1"),
    ("GRPCRoute", "v1"),
    ("ReferenceGrant", "v1"),
    ("TLSRoute", "v1"),
    ("TCPRoute", "v1alpha2"),
    ("UDPRoute", "v1alpha2"),
];

/// What the discovery requests are called in messages.
const DISCOVERY: &str = "API groups (/apis)";

/// Finds which Gateway API kinds the cluster serves (legacy discovery of one
/// group) and lists each at the version closest to svcx's types.
pub(super) async fn gateway_api(reader: &Reader, scope: &Scope) -> Result<GatewayApi, ListFailure> {
    let progress = Progress::default();
    let served = until_deadline(reader, DISCOVERY, &progress, discover(reader, &progress)).await?;
    let Some(served) = served else {
        return Ok(GatewayApi::NotInstalled);
    };
    let served = match served {
        Discovered::Served(served) => served,
        Discovered::Forbidden => return Ok(GatewayApi::Forbidden),
    };
    let mut resources = Vec::new();
    for (kind, type_version) in GATEWAY_KINDS {
        let serving = |version: &str| {
            served
                .iter()
                .find(|(v, _)| v == version)
                .and_then(|(_, rs)| {
                    rs.iter()
                        .find(|r| r.kind == *kind && !r.name.contains('/'))
                        .map(|r| (version.to_string(), r))
                })
        };
        let chosen = serving(type_version).or_else(|| served.iter().find_map(|(v, _)| serving(v)));
        if let Some((version, r)) = chosen {
            let gvk = kube::api::GroupVersionKind::gvk(GATEWAY_GROUP, &version, kind);
            resources.push((
                ApiResource::from_gvk_with_plural(&gvk, &r.name),
                r.namespaced,
            ));
        }
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (resource, namespaced)) in resources.iter().enumerate() {
        let client = reader.client.clone();
        let plural = format!("{}.{GATEWAY_GROUP}", resource.plural);
        let (api, label): (Api<DynamicObject>, _) = match scope {
            Scope::Namespace(ns) if *namespaced => (
                Api::namespaced_with(client, ns, resource),
                in_scope(&plural, scope),
            ),
            _ if *namespaced => (Api::all_with(client, resource), in_scope(&plural, scope)),
            _ => (Api::all_with(client, resource), plural),
        };
        let reader = reader.clone();
        tasks.spawn(async move { (i, list(&reader, api, label).await) });
    }
    let mut listed: Vec<Option<Listed<DynamicObject>>> = resources.iter().map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        let (i, result) = joined.expect("a list task does not panic");
        // One kind that could not be read leaves the others.
        listed[i] = Some(degrade(result)?);
    }
    let served_kinds = served
        .iter()
        .flat_map(|(version, rs)| {
            rs.iter()
                .filter(|r| !r.name.contains('/'))
                .map(move |r| (r.kind.clone(), version.clone()))
        })
        .collect();
    Ok(GatewayApi::Installed(
        resources
            .into_iter()
            .zip(listed)
            .map(|((r, _), l)| (r, l.expect("every task reported")))
            .collect(),
        served_kinds,
    ))
}

/// What discovery of the Gateway API group found.
enum Discovered {
    /// Each served version, preferred first, with the resources it serves.
    Served(
        Vec<(
            String,
            Vec<k8s_openapi::apimachinery::pkg::apis::meta::v1::APIResource>,
        )>,
    ),
    /// Discovery was refused (403).
    Forbidden,
}

/// Asks `/apis` whether the group is served (`None`: it is not), then each
/// served version for its resources.
async fn discover(reader: &Reader, progress: &Progress) -> Result<Option<Discovered>, ListFailure> {
    let get = |path: String| {
        move || {
            http::Request::get(path.as_str())
                .body(Vec::new())
                .map_err(kube::core::request::Error::BuildRequest)
        }
    };
    let failure = |failed: Failed| ListFailure {
        resource: DISCOVERY.to_string(),
        failed: Box::new(failed),
    };
    progress.set("waiting for /apis");
    let groups: APIGroupList = match reader.get(get("/apis".to_string()), progress).await {
        Ok(groups) => groups,
        Err(f) if f.fault.code() == Some(403) => return Ok(Some(Discovered::Forbidden)),
        Err(f) if f.fault.code() == Some(404) => return Ok(None),
        Err(f) => return Err(failure(f)),
    };
    let Some(group) = groups.groups.into_iter().find(|g| g.name == GATEWAY_GROUP) else {
        return Ok(None);
    };
    // Served versions, preferred first, each with the resources it serves.
    let mut versions: Vec<String> = group.versions.iter().map(|v| v.version.clone()).collect();
    if let Some(preferred) = &group.preferred_version {
        versions.retain(|v| *v != preferred.version);
        versions.insert(0, preferred.version.clone());
    }
    let mut served = Vec::new();
    for version in versions {
        let path = format!("/apis/{GATEWAY_GROUP}/{version}");
        progress.set(format!("waiting for {path}"));
        match reader.get::<APIResourceList>(get(path), progress).await {
            Ok(list) => served.push((version, list.resources)),
            Err(f) if matches!(f.fault.code(), Some(403 | 404)) => {}
            Err(f) => return Err(failure(f)),
        }
    }
    Ok(Some(Discovered::Served(served)))
}

/// Adds one object listed at whatever version the cluster serves (Gateway
/// API kinds, the network-policy-api's cluster-wide policies). It goes
/// through the same typed ingest as manifests; one that does not fit svcx's
/// types (an older CRD version) is skipped with a notice.
pub(super) fn add_listed_object(
    snap: &mut Snapshot,
    object: DynamicObject,
    resource: &ApiResource,
    context: &str,
) {
    add_object(snap, object, resource, context, false);
}

/// [`add_listed_object`] for an object outside the namespace in scope, read
/// by name because an object in scope names it.
pub(super) fn add_fetched_object(
    snap: &mut Snapshot,
    object: DynamicObject,
    resource: &ApiResource,
    context: &str,
) {
    add_object(snap, object, resource, context, true);
}

fn add_object(
    snap: &mut Snapshot,
    object: DynamicObject,
    resource: &ApiResource,
    context: &str,
    beyond_scope: bool,
) {
    let name = format!(
        "{}/{}",
        object.metadata.namespace.as_deref().unwrap_or(""),
        object.metadata.name.as_deref().unwrap_or("")
    );
    let mut value = match serde_json::to_value(&object) {
        Ok(v) => v,
        Err(e) => {
            snap.notice(format!("{} `{name}`: skipped: {e}", resource.kind), None);
            return;
        }
    };
    // List items may come without (or, through DynamicObject, with empty)
    // type fields; the list's resource says what they are.
    if let Some(map) = value.as_object_mut() {
        for (field, known) in [
            ("apiVersion", &resource.api_version),
            ("kind", &resource.kind),
        ] {
            if map
                .get(field)
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                map.insert(field.to_string(), Value::String(known.clone()));
            }
        }
    }
    let namespace = object.metadata.namespace.clone().unwrap_or_default();
    let origin = Origin::Live {
        context: context.to_string(),
    };
    let ingested = if beyond_scope {
        snap.ingest_beyond_scope(value, origin)
    } else {
        snap.ingest(value, origin, &namespace)
    };
    if let Err(e) = ingested {
        snap.notice(
            format!(
                "{} `{name}` ({}): skipped: {e}",
                resource.kind, resource.api_version
            ),
            None,
        );
    }
}
