//! The network policy part of a live read: the NetworkPolicies of the
//! namespaces in scope (listed with the other kinds, in `read`), and the
//! network-policy-api's cluster-wide kinds where the cluster serves them:
//! ClusterNetworkPolicy (`v1alpha2`) and, on older installs,
//! AdminNetworkPolicy and BaselineAdminNetworkPolicy (`v1alpha1`).
//!
//! A kind the cluster does not serve (404: its CRD is not installed) has no
//! objects, so nothing is lost and nothing is said; one served only at a
//! version svcx does not read, that RBAC forbids, or that fails leaves a
//! notice naming what could not be judged.

use super::fetch::{Progress, Reader};
use super::{ListFailure, Listed, degrade, list};
use crate::model::policy::{NetworkPolicy, Peer};
use crate::model::{POLICY_API, Snapshot};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{APIGroup, APIResourceList};
use kube::api::{Api, ApiResource, DynamicObject};

/// The cluster-wide kinds, with the version svcx reads and the plural.
const CLUSTER_KINDS: &[(&str, &str, &str)] = &[
    ("ClusterNetworkPolicy", "v1alpha2", "clusternetworkpolicies"),
    ("AdminNetworkPolicy", "v1alpha1", "adminnetworkpolicies"),
    (
        "BaselineAdminNetworkPolicy",
        "v1alpha1",
        "baselineadminnetworkpolicies",
    ),
];

/// What was lost when a cluster-wide kind could not be read.
const LOST: &str = "cluster-wide policies (Admin and Baseline tiers) were not read, so answers about network \
                    policy admission leave them out";

/// Lists each cluster-wide kind, at once.
pub(super) async fn cluster_policies(
    reader: &Reader,
) -> Result<Vec<(ApiResource, Listed<DynamicObject>)>, ListFailure> {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (kind, version, plural)) in CLUSTER_KINDS.iter().enumerate() {
        let gvk = kube::api::GroupVersionKind::gvk(POLICY_API, version, kind);
        let resource = ApiResource::from_gvk_with_plural(&gvk, plural);
        let api: Api<DynamicObject> = Api::all_with(reader.client.clone(), &resource);
        let reader = reader.clone();
        let label = format!("{plural}.{POLICY_API}");
        tasks.spawn(async move { (i, resource, list(&reader, api, label).await) });
    }
    let mut out: Vec<Option<(ApiResource, Listed<DynamicObject>)>> =
        CLUSTER_KINDS.iter().map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        let (i, resource, result) = joined.expect("a list task does not panic");
        out[i] = Some((resource, degrade(result)?));
    }
    let mut out: Vec<(ApiResource, Listed<DynamicObject>)> = out.into_iter().flatten().collect();
    if out.iter().any(|(_, l)| matches!(l, Listed::NotServed)) {
        // A kind absent at the version svcx reads may be served at another
        // (a newer release of the API): its objects exist and cannot be
        // judged. The resource then carries the version served, which tells
        // add_cluster_policies to say so.
        let elsewhere = served_elsewhere(reader).await;
        for (resource, listed) in &mut out {
            if !matches!(listed, Listed::NotServed) {
                continue;
            }
            if let Some((_, version)) = elsewhere.iter().find(|(p, _)| *p == resource.plural) {
                resource.version = version.clone();
                resource.api_version = format!("{POLICY_API}/{version}");
            }
        }
    }
    Ok(out)
}

/// `(plural, version)` of the cluster-wide kinds the cluster serves at a
/// version svcx does not read, from the group's discovery. Best effort: a
/// discovery that fails says nothing (the lists already did).
async fn served_elsewhere(reader: &Reader) -> Vec<(String, String)> {
    let get = |path: String| {
        move || {
            http::Request::get(path.as_str())
                .body(Vec::new())
                .map_err(kube::core::request::Error::BuildRequest)
        }
    };
    let progress = Progress::default();
    let Ok(group) = reader
        .get::<APIGroup>(get(format!("/apis/{POLICY_API}")), &progress)
        .await
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for v in &group.versions {
        let read = |plural: &str| {
            CLUSTER_KINDS
                .iter()
                .any(|(_, version, p)| *p == plural && *version == v.version)
        };
        let path = format!("/apis/{}", v.group_version);
        if let Ok(list) = reader.get::<APIResourceList>(get(path), &progress).await {
            out.extend(
                list.resources
                    .iter()
                    .filter(|r| {
                        CLUSTER_KINDS.iter().any(|(_, _, p)| *p == r.name) && !read(&r.name)
                    })
                    .map(|r| (r.name.clone(), v.version.clone())),
            );
        }
    }
    out
}

/// Whether svcx reads this kind at this version.
fn read_here(resource: &ApiResource) -> bool {
    CLUSTER_KINDS
        .iter()
        .any(|(_, version, plural)| *plural == resource.plural && *version == resource.version)
}

/// Adds the cluster-wide policies listed, and a notice for each kind that
/// could not be read.
pub(super) fn add_cluster_policies(
    snap: &mut Snapshot,
    listed: Vec<(ApiResource, Listed<DynamicObject>)>,
    context: &str,
) {
    for (resource, listed) in listed {
        let plural = format!("{}.{POLICY_API}", resource.plural);
        match listed {
            Listed::Items(items) => {
                for object in items {
                    super::gateway::add_listed_object(snap, object, &resource, context);
                }
            }
            Listed::NotServed if read_here(&resource) => {}
            Listed::NotServed => {
                let reads = CLUSTER_KINDS
                    .iter()
                    .find(|(_, _, p)| *p == resource.plural)
                    .map_or("", |(_, v, _)| v);
                snap.notice(
                    format!(
                        "{plural}: served at {}, a version svcx does not read (it reads {reads}) — {LOST}",
                        resource.version
                    ),
                    Some(format!(
                        "the cluster runs a network-policy-api release svcx does not know; see `kubectl get {plural}`"
                    )),
                );
            }
            Listed::Forbidden => snap.notice(
                format!(
                    "{plural}: forbidden; svcx needs `list` on {plural} (cluster-scoped) — {LOST}"
                ),
                Some(format!("check with `kubectl auth can-i list {plural}`")),
            ),
            Listed::Unreadable(why) => snap.notice(
                format!("{plural}: could not be read ({why}) — {LOST}"),
                Some(super::UNREADABLE_HINT.to_string()),
            ),
        }
    }
}

/// Whether the policies listed select namespaces by labels other than
/// their name: then the Namespaces must be read to judge them.
pub(super) fn select_namespaces(
    network_policies: &Result<Listed<NetworkPolicy>, ListFailure>,
    cluster: &Result<Vec<(ApiResource, Listed<DynamicObject>)>, ListFailure>,
) -> bool {
    let by_label = |sel: &k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector| {
        sel.match_labels
            .iter()
            .flatten()
            .map(|(k, _)| k)
            .chain(sel.match_expressions.iter().flatten().map(|e| &e.key))
            .any(|k| k != crate::model::namespaces::NAMESPACE_NAME_LABEL)
    };
    let namespaced = match network_policies {
        Ok(Listed::Items(items)) => items.iter().any(|np| {
            np.ingress.iter().chain(&np.egress).any(|r| {
                r.peers
                    .iter()
                    .any(|p| matches!(p, Peer::Pods { namespaces: Some(sel), .. } if by_label(sel)))
            })
        }),
        _ => false,
    };
    let cluster_wide = match cluster {
        Ok(kinds) => kinds
            .iter()
            .any(|(_, l)| matches!(l, Listed::Items(items) if !items.is_empty())),
        Err(_) => false,
    };
    namespaced || cluster_wide
}

#[cfg(test)]
mod tests {
    use super::super::{GatewayApi, Lists, snapshot};
    use super::*;
    use crate::model::Scope;
    use serde_json::json;

    fn lists(network_policies: Listed<NetworkPolicy>) -> Lists {
        Lists {
            services: Listed::Items(vec![]),
            endpoint_slices: Listed::Items(vec![]),
            pods: Listed::Items(vec![]),
            nodes: Listed::Items(vec![]),
            ingresses: Listed::Items(vec![]),
            ingress_classes: Listed::Items(vec![]),
            gateway: GatewayApi::NotInstalled,
            endpoints: super::super::endpoints::Read::default(),
            network_policies,
            also_notices: Vec::new(),
            cluster_policies: Vec::new(),
            namespaces: None,
        }
    }

    fn resource(kind: &str, version: &str, plural: &str) -> ApiResource {
        let gvk = kube::api::GroupVersionKind::gvk(POLICY_API, version, kind);
        ApiResource::from_gvk_with_plural(&gvk, plural)
    }

    fn messages(snap: &Snapshot) -> Vec<&str> {
        snap.notices
            .iter()
            .map(|n| n.message.as_str())
            .filter(|m| !m.starts_with("Gateway API"))
            .collect()
    }

    /// A refused NetworkPolicy list says what is not judged; a cluster-wide
    /// kind the cluster does not serve (its CRD is not installed) has no
    /// objects and says nothing, one RBAC refuses says what is left out.
    #[test]
    fn refused_policy_lists_are_notices_and_absent_kinds_are_not() {
        let shop = Scope::Namespace("shop".into());
        let snap = snapshot(lists(Listed::Forbidden), "prod", "https://k", shop.clone());
        assert!(!snap.network_policies_known);
        assert_eq!(
            messages(&snap),
            [
                "networkpolicies: forbidden; svcx needs `list` on networkpolicies in namespace `shop` — \
              whether network policies admit traffic is not judged"
            ]
        );
        let mut l = lists(Listed::Items(vec![]));
        l.cluster_policies = vec![
            (
                resource("ClusterNetworkPolicy", "v1alpha2", "clusternetworkpolicies"),
                Listed::Forbidden,
            ),
            (
                resource("AdminNetworkPolicy", "v1alpha1", "adminnetworkpolicies"),
                Listed::NotServed,
            ),
        ];
        let snap = snapshot(l, "prod", "https://k", shop);
        assert!(snap.network_policies_known);
        let m = messages(&snap);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with("clusternetworkpolicies.policy.networking.k8s.io: forbidden"),
            "{m:?}"
        );
    }

    /// Cluster-wide policies listed at the version svcx reads are typed
    /// through the same ingest as manifests.
    #[test]
    fn listed_cluster_policies_are_read() {
        let mut l = lists(Listed::Items(vec![]));
        let cnp: DynamicObject = serde_json::from_value(json!({
            "metadata": {"name": "deny-x"},
            "spec": {"tier": "Admin", "priority": 3, "subject": {"namespaces": {}},
                     "ingress": [{"action": "Deny", "from": [{"namespaces": {}}]}]}
        }))
        .unwrap();
        l.cluster_policies = vec![(
            resource("ClusterNetworkPolicy", "v1alpha2", "clusternetworkpolicies"),
            Listed::Items(vec![cnp]),
        )];
        let snap = snapshot(l, "prod", "https://k", Scope::AllNamespaces);
        assert_eq!(snap.cluster_policies.len(), 1, "{:?}", snap.notices);
        assert_eq!(snap.cluster_policies[0].object.priority, Some(3));
    }
}
