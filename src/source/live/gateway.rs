//! The Gateway API part of a live read: which of its kinds the cluster
//! serves (discovery of one group), listing each at the served version
//! closest to svcx's types, and typing what comes back.

use super::{GATEWAY_GROUP, GatewayApi, ListFailure, Listed, list};
use crate::model::{Origin, Scope, Snapshot};
use kube::Client;
use kube::api::{Api, ApiResource, DynamicObject};
use serde_json::Value;

/// The Gateway API kinds svcx reads, with the version its types are written for.
const GATEWAY_KINDS: &[(&str, &str)] = &[
    ("GatewayClass", "v1"),
    ("Gateway", "v1"),
    ("HTTPRoute", "v1"),
    ("GRPCRoute", "v1"),
    ("ReferenceGrant", "v1"),
    ("TLSRoute", "v1"),
    ("TCPRoute", "v1alpha2"),
    ("UDPRoute", "v1alpha2"),
];

/// Finds which Gateway API kinds the cluster serves (legacy discovery of one
/// group) and lists each at the version closest to svcx's types.
pub(super) async fn gateway_api(client: &Client, scope: &Scope) -> Result<GatewayApi, ListFailure> {
    let discovery = |error| ListFailure {
        resource: "API groups (/apis)".to_string(),
        error,
    };
    let groups = match client.list_api_groups().await {
        Ok(groups) => groups,
        Err(kube::Error::Api(status)) if status.code == 403 => return Ok(GatewayApi::Forbidden),
        Err(kube::Error::Api(status)) if status.code == 404 => return Ok(GatewayApi::NotInstalled),
        Err(e) => return Err(discovery(e)),
    };
    let Some(group) = groups.groups.into_iter().find(|g| g.name == GATEWAY_GROUP) else {
        return Ok(GatewayApi::NotInstalled);
    };
    // Served versions, preferred first, each with the resources it serves.
    let mut versions: Vec<String> = group.versions.iter().map(|v| v.version.clone()).collect();
    if let Some(preferred) = &group.preferred_version {
        versions.retain(|v| *v != preferred.version);
        versions.insert(0, preferred.version.clone());
    }
    let mut served = Vec::new();
    for version in versions {
        match client
            .list_api_group_resources(&format!("{GATEWAY_GROUP}/{version}"))
            .await
        {
            Ok(list) => served.push((version, list.resources)),
            Err(kube::Error::Api(status)) if matches!(status.code, 403 | 404) => {}
            Err(e) => return Err(discovery(e)),
        }
    }
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
        let api: Api<DynamicObject> = match scope {
            Scope::Namespace(ns) if *namespaced => {
                Api::namespaced_with(client.clone(), ns, resource)
            }
            _ => Api::all_with(client.clone(), resource),
        };
        let label = format!("{}.{GATEWAY_GROUP}", resource.plural);
        tasks.spawn(async move { (i, list(api, &label).await) });
    }
    let mut listed: Vec<Option<Listed<DynamicObject>>> = resources.iter().map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        let (i, result) = joined.expect("a list task does not panic");
        listed[i] = Some(result?);
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

/// Adds one Gateway API object listed at whatever version the cluster serves.
/// It goes through the same typed ingest as manifests; one that does not fit
/// svcx's types (an older CRD version) is skipped with a notice.
pub(super) fn add_gateway_object(
    snap: &mut Snapshot,
    object: DynamicObject,
    resource: &ApiResource,
    context: &str,
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
    if let Err(e) = snap.ingest(value, origin, &namespace) {
        snap.notice(
            format!(
                "{} `{name}` ({}): skipped: {e}",
                resource.kind, resource.api_version
            ),
            None,
        );
    }
}
