//! The pods that carry traffic in through a Gateway or an Ingress: a
//! Gateway's proxies and an Ingress controller's pods. For network policies
//! they are the source of that path's traffic, not the client.
//!
//! A Gateway's pods: GEP-1762 (standard) has in-cluster implementations
//! label the Deployment and Service they create for a Gateway with
//! `gateway.networking.k8s.io/gateway-name: NAME`, in the Gateway's
//! namespace; svcx looks there for pods (offline, pod templates) with that
//! label. Implementations that run their proxies elsewhere (a shared
//! deployment in their own namespace) are not found, and the answer says
//! the proxies are not in the input. An Ingress controller's pods are the
//! pods its own Service selects, when the input holds that Service.

use super::subject::Member;
use crate::model::Snapshot;
use crate::model::entry_point::GATEWAY_NAME_LABEL;
use crate::model::selector::service_selector_matches;
use std::collections::BTreeMap;


/// The labels a Gateway's proxies are known to carry.
pub fn gateway_labels(name: &str) -> BTreeMap<String, String> {
    BTreeMap::from([(GATEWAY_NAME_LABEL.to_string(), name.to_string())])
}

/// The proxy pods (offline: pod templates) of the Gateway `namespace/name`.
pub fn gateway_proxies<'s>(snap: &'s Snapshot, namespace: &str, name: &str) -> Vec<Member<'s>> {
    let mut out: Vec<Member> = snap
        .pod_positions_labelled(namespace, GATEWAY_NAME_LABEL, name)
        .iter()
        .map(|&i| Member::Pod(i, &snap.pods[i].object))
        .collect();
    if out.is_empty() {
        out = snap
            .workload_positions_labelled(namespace, GATEWAY_NAME_LABEL, name)
            .iter()
            .map(|&i| Member::Template(i, &snap.workloads[i].object))
            .collect();
    }
    out.sort_by_key(Member::label);
    out
}

/// The pods (offline: pod templates) the Service at `service` selects: an
/// Ingress controller's, for its own Service.
pub fn service_pods(snap: &Snapshot, service: usize) -> (String, Vec<Member<'_>>) {
    let svc = &snap.services[service].object;
    let namespace = svc.metadata.namespace.clone().unwrap_or_default();
    let Some(selector) = svc
        .spec
        .as_ref()
        .and_then(|s| s.selector.as_ref())
        .filter(|s| !s.is_empty())
    else {
        return (namespace, Vec::new());
    };
    let mut out: Vec<Member> = snap
        .pods_selected_by(&namespace, selector)
        .into_iter()
        .filter_map(|p| {
            let i = snap.pod_position(&namespace, p.object.metadata.name.as_deref()?)?;
            Some(Member::Pod(i, &snap.pods[i].object))
        })
        .collect();
    if out.is_empty() {
        out = snap
            .workload_positions_in(&namespace)
            .filter(|&i| service_selector_matches(selector, &snap.workloads[i].object.labels))
            .map(|i| Member::Template(i, &snap.workloads[i].object))
            .collect();
    }
    (namespace, out)
}
