//! What a path needs beyond the namespaces in scope: the pods and
//! NetworkPolicies of the namespace a traced source is in (`trace -n shop
//! --from monitoring`), so that the source's own egress policies apply live
//! as they do from files, where every namespace is read; and those of a
//! Gateway read in another namespace, for its proxies.

use super::fetch::Reader;
use super::{ListFailure, Listed, degrade, list};
use crate::model::policy::NetworkPolicy;
use crate::model::slim::SlimPod;
use k8s_openapi::api::core::v1::Pod;
use kube::api::Api;

/// The pods and NetworkPolicies of each of `namespaces` (those outside the
/// scope), and a notice for each list that could not be read, naming what is
/// then not judged.
pub(super) async fn read(
    reader: &Reader,
    namespaces: &[String],
) -> Result<(Vec<SlimPod>, Vec<NetworkPolicy>, Vec<String>), ListFailure> {
    let mut pods = Vec::new();
    let mut policies = Vec::new();
    let mut notices = Vec::new();
    for ns in namespaces {
        let (p, np) = tokio::join!(
            list(
                reader,
                Api::<Pod>::namespaced(reader.client.clone(), ns),
                format!("pods in namespace {ns}")
            ),
            list(
                reader,
                Api::<NetworkPolicy>::namespaced(reader.client.clone(), ns),
                format!("networkpolicies in namespace {ns}")
            ),
        );
        match degrade(p)? {
            Listed::Items(items) => pods.extend(items),
            other => notices.push(lost("pods", ns, &other)),
        }
        match degrade(np)? {
            Listed::Items(items) => policies.extend(items),
            other => notices.push(lost("networkpolicies", ns, &other)),
        }
    }
    Ok((pods, policies, notices))
}

/// The notice for a list of the source's namespace that gave no objects.
fn lost<T>(resource: &str, ns: &str, listed: &Listed<T>) -> String {
    format!(
        "{resource} in namespace `{ns}` (the traced source's): {} — the source's own egress policies \
         are not judged",
        why(listed)
    )
}

/// Why a list gave no objects.
fn why<T>(listed: &Listed<T>) -> String {
    match listed {
        Listed::Forbidden => "forbidden".to_string(),
        Listed::NotServed => "not served by this cluster (404)".to_string(),
        Listed::Unreadable(why) => format!("could not be read ({why})"),
        Listed::Items(_) => String::new(),
    }
}

/// The proxy pods and the NetworkPolicies of the Gateways read beyond the
/// scope (a route's parent in another namespace, [`super::references`]):
/// a Gateway's proxies are the source of its routes' traffic and the
/// destination of its clients, so their policies are judged live as from
/// files. Per Gateway, the pods of its namespace that carry its name in
/// the label GEP-1762 gives them (a list narrowed by the API server); per
/// namespace, its NetworkPolicies. Implementations that run the proxies
/// elsewhere (Envoy Gateway by default) are not found this way, and the
/// model says their answer depends. A list that cannot be read leaves a
/// notice naming what is then not judged.
/// `read_already`: the namespaces whose pods and policies were read whole.
pub(super) async fn gateway_namespaces(
    reader: &Reader,
    snap: &mut crate::model::Snapshot,
    read_already: &[String],
    context: &str,
) {
    use crate::model::entry_point::GATEWAY_NAME_LABEL;
    use crate::model::{Located, Origin};
    use kube::ResourceExt;
    let outside: Vec<(String, String)> = snap
        .gateways
        .iter()
        .map(|g| {
            (
                g.object.namespace().unwrap_or_default(),
                g.object.name_any(),
            )
        })
        .filter(|(ns, _)| !snap.scope.includes(ns) && !read_already.contains(ns))
        .collect();
    let origin = Origin::Live {
        context: context.to_string(),
    };
    let mut namespaces: Vec<&str> = outside.iter().map(|(ns, _)| ns.as_str()).collect();
    namespaces.sort_unstable();
    namespaces.dedup();
    for ns in namespaces {
        let listed = list(
            reader,
            Api::<NetworkPolicy>::namespaced(reader.client.clone(), ns),
            format!("networkpolicies in namespace {ns}"),
        )
        .await;
        let items = items_or_notice(snap, listed, "networkpolicies", ns);
        snap.network_policies
            .extend(items.into_iter().map(|p| Located::new(p, origin.clone())));
    }
    for (ns, name) in &outside {
        let narrow =
            kube::api::ListParams::default().labels(&format!("{GATEWAY_NAME_LABEL}={name}"));
        let listed = super::list_trimmed(
            reader,
            Api::<Pod>::namespaced(reader.client.clone(), ns),
            format!("pods of Gateway {ns}/{name}'s proxies"),
            narrow,
            |_: &mut SlimPod| {},
        )
        .await;
        let items = items_or_notice(snap, listed, "pods", ns);
        snap.pods
            .extend(items.into_iter().map(|p| Located::new(p, origin.clone())));
    }
}

/// The objects of a list of a Gateway's namespace, or a notice saying why
/// there are none (a failure, a refusal, a kind not served).
fn items_or_notice<T>(
    snap: &mut crate::model::Snapshot,
    listed: Result<Listed<T>, ListFailure>,
    resource: &str,
    ns: &str,
) -> Vec<T> {
    match listed.unwrap_or_else(|f| Listed::Unreadable(super::describe(&f.failed))) {
        Listed::Items(items) => items,
        other => {
            snap.notice(proxies_lost(resource, ns, &other), None);
            Vec::new()
        }
    }
}

/// The notice for a list of a Gateway's namespace that gave no objects.
fn proxies_lost<T>(resource: &str, ns: &str, listed: &Listed<T>) -> String {
    format!(
        "{resource} in namespace `{ns}` (a Gateway's): {} — its proxies' policies are not judged",
        why(listed)
    )
}
