//! ListenerSets (Gateway API, standard from v1.5: kubernetes-sigs/gateway-api
//! `apis/v1/listenerset_types.go`): listeners another namespace adds to a
//! Gateway that allows them.
//!
//! - A Gateway accepts none by default: its `allowedListeners.namespaces`
//!   says `from: None` unless it says `Same`, `All` or `Selector`
//!   (`gateway_types.go`, `+kubebuilder:default={from: None}`).
//! - "Implementations MUST treat the parent Gateway as having the merged
//!   list of all listeners from itself and attached ListenerSets using the
//!   following precedence: 1. "parent" Gateway 2. ListenerSet ordered by
//!   creation time (oldest first) 3. ListenerSet ordered alphabetically by
//!   {namespace}/{name}"; a listener that conflicts with one before it (the
//!   same port with another protocol, or the same port, protocol and
//!   hostname) is not accepted.
//! - A route reaches a ListenerSet's listeners only by naming the
//!   ListenerSet as its parent (GEP-1713: a route attached to the Gateway
//!   "MUST NOT attach to any listeners in the child ListenerSets"), and
//!   `allowedRoutes` `from: Same` means the ListenerSet's namespace.

use super::gateway::{GatewayFacts, ListenerFacts, NamespaceLabels};
use super::shape::GATEWAY_GROUP;
use crate::model::Snapshot;
use crate::model::selector::label_selector_matches;
use gateway_api::apis::standard::gateways::{
    GatewayAllowedListenersNamespacesFrom as From, GatewayListeners,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::ResourceExt;

/// Adds the listeners of every ListenerSet its Gateway allows, in the
/// specification's order.
pub(super) fn attach(snap: &Snapshot, gateways: &mut [GatewayFacts], namespaces: &NamespaceLabels) {
    let mut sets: Vec<usize> = (0..snap.listener_sets.len()).collect();
    let created = |i: usize| {
        snap.listener_sets[i]
            .object
            .metadata
            .creation_timestamp
            .as_ref()
            .map(|t| t.0.to_string())
    };
    let name = |i: usize| {
        let o = &snap.listener_sets[i].object;
        (o.namespace().unwrap_or_default(), o.name_any())
    };
    sets.sort_by(|&a, &b| {
        created(a)
            .cmp(&created(b))
            .then_with(|| name(a).cmp(&name(b)))
    });
    for i in sets {
        let set = &snap.listener_sets[i].object;
        let (ns, set_name) = name(i);
        let parent = &set.spec.parent_ref;
        if parent.group.as_deref().unwrap_or(GATEWAY_GROUP) != GATEWAY_GROUP
            || parent.kind.as_deref().unwrap_or("Gateway") != "Gateway"
        {
            continue;
        }
        let gateway_ns = parent.namespace.clone().unwrap_or_else(|| ns.clone());
        let Some(g) = gateways
            .iter()
            .position(|g| g.namespace == gateway_ns && g.name == parent.name)
        else {
            continue;
        };
        if !allows(snap, &gateways[g], &ns, namespaces) {
            continue;
        }
        for l in &set.spec.listeners {
            // A ListenerSet's listener has a Gateway listener's fields.
            let Some(listener) = serde_json::to_value(l)
                .ok()
                .and_then(|v| serde_json::from_value::<GatewayListeners>(v).ok())
            else {
                continue;
            };
            let mut facts = ListenerFacts::read(&listener, gateways[g].controller.as_deref());
            facts.listener_set = Some(format!("{ns}/{set_name}"));
            let conflicts = gateways[g].listeners.iter().any(|other| {
                other.port == facts.port
                    && (other.protocol != facts.protocol || other.hostname == facts.hostname)
            });
            if !conflicts {
                gateways[g].listeners.push(facts);
            }
        }
    }
}

/// Whether a Gateway's `allowedListeners` admits ListenerSets from
/// `namespace`; a selector on labels that were not read admits, as the
/// route status will say otherwise.
fn allows(
    snap: &Snapshot,
    gateway: &GatewayFacts,
    namespace: &str,
    namespaces: &NamespaceLabels,
) -> bool {
    let allowed = snap.gateways[gateway.index]
        .object
        .spec
        .allowed_listeners
        .as_ref()
        .and_then(|a| a.namespaces.as_ref());
    match allowed.and_then(|n| n.from.as_ref()) {
        None | Some(From::None) => false,
        Some(From::Same) => namespace == gateway.namespace,
        Some(From::All) => true,
        Some(From::Selector) => {
            let selector: Option<LabelSelector> = allowed
                .and_then(|n| n.selector.as_ref())
                .and_then(|s| serde_json::to_value(s).ok())
                .and_then(|v| serde_json::from_value(v).ok());
            match (selector, namespaces.of(namespace)) {
                (Some(sel), Some(labels)) => label_selector_matches(&sel, &labels),
                (Some(_), None) => true,
                (None, _) => false,
            }
        }
    }
}
