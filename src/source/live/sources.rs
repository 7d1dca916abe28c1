//! What a path needs beyond the namespaces in scope: the pods and
//! NetworkPolicies of the namespace a traced source is in (`trace -n shop
//! --from monitoring`), so that the source's own egress policies apply live
//! as they do from files, where every namespace is read.

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
    let why = match listed {
        Listed::Forbidden => "forbidden".to_string(),
        Listed::NotServed => "not served by this cluster (404)".to_string(),
        Listed::Unreadable(why) => format!("could not be read ({why})"),
        Listed::Items(_) => String::new(),
    };
    format!(
        "{resource} in namespace `{ns}` (the traced source's): {why} — the source's own egress policies \
         are not judged"
    )
}
