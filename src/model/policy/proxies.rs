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
pub(crate) fn gateway_labels(name: &str) -> BTreeMap<String, String> {
    BTreeMap::from([(GATEWAY_NAME_LABEL.to_string(), name.to_string())])
}

/// The proxy pods (offline: pod templates) of the Gateway `namespace/name`.
pub(crate) fn gateway_proxies<'s>(
    snap: &'s Snapshot,
    namespace: &str,
    name: &str,
) -> Vec<Member<'s>> {
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
pub(super) fn service_pods(snap: &Snapshot, service: usize) -> (String, Vec<Member<'_>>) {
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

impl<'s> super::index::Policies<'s> {
    /// Whether the policies of `v`'s endpoints admit the proxies of the
    /// Gateway `namespace/name`, per Service port and endpoint: its pods
    /// when the input holds them, else a pod of that namespace known only
    /// by the label GEP-1762 gives it (a Gateway a migration is about to
    /// create has no pods yet).
    pub(crate) fn gateway_admits(
        &self,
        v: &crate::model::view::ServiceView<'s>,
        namespace: &str,
        name: &str,
    ) -> super::service::SourceAdmissions {
        let proxies = gateway_proxies(self.snap, namespace, name);
        let labels = gateway_labels(name);
        let class = super::service::SourceClass::Gateway {
            namespace: namespace.to_string(),
            name: name.to_string(),
            proxies: proxies.iter().map(Member::label).collect(),
        };
        let source = super::evaluate::Source::Proxies {
            namespace,
            members: &proxies,
            labels: Some(&labels),
        };
        self.answer_for(v, class, &source)
    }
}

/// The NetworkPolicy that admits exactly the proxies of the Gateway
/// `gateway_namespace/gateway_name` to the pods of `v`, on their pod ports
/// (each Service port's targetPort, a number or a container port name,
/// which resolves on each pod): the pods its selector selects, from pods
/// labelled with the Gateway's name in the Gateway's namespace. `None` for
/// a Service without selector (no labels to select its pods by).
pub(crate) fn admitting_policy(
    v: &crate::model::view::ServiceView,
    gateway_namespace: &str,
    gateway_name: &str,
) -> Option<k8s_openapi::api::networking::v1::NetworkPolicy> {
    use k8s_openapi::api::networking::v1::{
        NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec,
    };
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
    let selector = v.selector?;
    let mut ports: Vec<NetworkPolicyPort> = Vec::new();
    for sp in v.ports() {
        let port = NetworkPolicyPort {
            protocol: Some(crate::model::ports::protocol(sp.protocol.as_ref()).to_string()),
            port: Some(crate::model::ports::target_port(sp)),
            end_port: None,
        };
        if !ports.contains(&port) {
            ports.push(port);
        }
    }
    let by_name = |key: &str, value: &str| LabelSelector {
        match_labels: Some(BTreeMap::from([(key.to_string(), value.to_string())])),
        match_expressions: None,
    };
    let mut name = format!("{}-from-gateway-{gateway_name}", v.name);
    if name.len() > 253 {
        name.truncate(253);
    }
    Some(k8s_openapi::api::networking::v1::NetworkPolicy {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: Some(v.namespace.clone()),
            ..Default::default()
        },
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(LabelSelector {
                match_labels: Some(selector.clone()),
                match_expressions: None,
            }),
            policy_types: Some(vec!["Ingress".to_string()]),
            ingress: Some(vec![NetworkPolicyIngressRule {
                from: Some(vec![NetworkPolicyPeer {
                    namespace_selector: Some(by_name(
                        crate::model::namespaces::NAMESPACE_NAME_LABEL,
                        gateway_namespace,
                    )),
                    pod_selector: Some(by_name(GATEWAY_NAME_LABEL, gateway_name)),
                    ip_block: None,
                }]),
                ports: Some(ports),
            }]),
            egress: None,
        }),
    })
}
