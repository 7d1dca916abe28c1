//! Namespace labels, for everything that selects namespaces by label:
//! Gateway listeners (`allowedRoutes.namespaces.from: Selector`) and network
//! policies (`namespaceSelector`, ClusterNetworkPolicy subjects and peers).
//! The API server sets `kubernetes.io/metadata.name` on every Namespace
//! (Kubernetes 1.22+), so a selector on that label alone is answered even
//! when Namespaces were not read.

use super::Snapshot;
use super::selector::{label_selector_matches, label_selector_matches_by};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::ResourceExt;
use std::collections::{BTreeMap, HashMap};

/// The label the API server puts on every Namespace, holding its name
/// (Kubernetes 1.22+, "kubernetes.io/metadata.name"): a selector on it can
/// be answered without reading Namespaces.
pub(crate) const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// The labels of the Namespaces read.
#[derive(Debug, Default)]
pub(crate) struct NamespaceLabels {
    /// Whether every Namespace was listed: one not read does not exist.
    known: bool,
    labels: HashMap<String, BTreeMap<String, String>>,
}

impl NamespaceLabels {
    /// Reads the Namespaces of a snapshot.
    pub(crate) fn read(snap: &Snapshot) -> Self {
        NamespaceLabels {
            known: snap.namespaces_known,
            labels: snap
                .namespaces
                .iter()
                .map(|n| (n.object.name_any(), n.object.labels().clone()))
                .collect(),
        }
    }

    /// The labels of `namespace`, with the one the API server always sets;
    /// `None` when the Namespace was not read.
    pub(crate) fn of(&self, namespace: &str) -> Option<BTreeMap<String, String>> {
        let mut labels = match self.labels.get(namespace) {
            Some(l) => l.clone(),
            None if self.known => BTreeMap::new(),
            None => return None,
        };
        labels.insert(NAMESPACE_NAME_LABEL.to_string(), namespace.to_string());
        Some(labels)
    }

    /// Whether `selector` selects `namespace`; `None` when that cannot be
    /// known (its labels were not read, and the selector asks about more
    /// than its name).
    pub(crate) fn selects(&self, selector: &LabelSelector, namespace: &str) -> Option<bool> {
        // The labels read, with the name label, looked up without a copy.
        let read = self.labels.get(namespace);
        if read.is_some() || self.known {
            return Some(label_selector_matches_by(selector, |k| {
                if k == NAMESPACE_NAME_LABEL {
                    Some(namespace)
                } else {
                    read.and_then(|l| l.get(k)).map(String::as_str)
                }
            }));
        }
        let only_name = selector
            .match_labels
            .iter()
            .flatten()
            .map(|(k, _)| k)
            .chain(selector.match_expressions.iter().flatten().map(|e| &e.key))
            .all(|k| k == NAMESPACE_NAME_LABEL);
        only_name.then(|| {
            let labels =
                BTreeMap::from([(NAMESPACE_NAME_LABEL.to_string(), namespace.to_string())]);
            label_selector_matches(selector, &labels)
        })
    }

    /// Labels known without reading anything (tests): none read.
    #[cfg(test)]
    pub(crate) fn none() -> Self {
        NamespaceLabels::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::selector::labels;

    #[test]
    fn the_name_label_is_always_known() {
        let ns = NamespaceLabels::none();
        let by_name = LabelSelector {
            match_labels: Some(labels(&[(NAMESPACE_NAME_LABEL, "shop")])),
            ..Default::default()
        };
        assert_eq!(ns.selects(&by_name, "shop"), Some(true));
        assert_eq!(ns.selects(&by_name, "data"), Some(false));
        let other = LabelSelector {
            match_labels: Some(labels(&[("team", "a")])),
            ..Default::default()
        };
        assert_eq!(ns.selects(&other, "shop"), None);
        assert_eq!(ns.selects(&LabelSelector::default(), "shop"), Some(true));
    }
}
