//! Lookups a Service needs, answered from hash maps built once per snapshot, so
//! the work per Service does not grow with the size of the cluster: pods by
//! label, EndpointSlices by Service, nodes by name, Services by address.

use super::controller_labels::ControllerLabels;
use super::selector::service_selector_matches;
use super::slim::{SlimNode, SlimObject, SlimPod};
use super::{Located, Snapshot, Workload};
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::ResourceExt;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// The label EndpointSlice controllers put on every slice they manage, naming
/// the Service it belongs to.
pub(crate) const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";

/// Namespace, then name (or label key, then value). Nested rather than keyed
/// by pairs so that lookups borrow their keys instead of allocating them.
type Nested<V> = HashMap<String, HashMap<String, V>>;

/// Hash indexes over a [`Snapshot`]; positions refer to the snapshot's lists.
#[derive(Debug, Default)]
pub(crate) struct Index {
    services: Nested<usize>,
    slices_by_service: Nested<Vec<usize>>,
    mirrored_by_service: Nested<Vec<usize>>,
    /// Namespace, then label key, then label value.
    pods_by_label: HashMap<String, Nested<Vec<usize>>>,
    pods_by_name: Nested<usize>,
    workloads_by_ns: HashMap<String, Vec<usize>>,
    /// Namespace, then pod template label key, then value.
    workloads_by_label: HashMap<String, Nested<Vec<usize>>>,
    nodes: HashMap<String, usize>,
    /// Namespace, then the sorted label pairs of `workloads_by_label` with
    /// how many workloads carry each: sorted once, on the first selector
    /// hint, rather than for every Service that needs one.
    workload_pairs: OnceLock<HashMap<String, Vec<LabelCount>>>,
}

/// A label pair (key, value) and how many objects carry it.
type LabelCount = ((String, String), usize);

/// The entry for `key` in `map`, allocating the key only when it is new.
fn entry<'a, V: Default>(map: &'a mut HashMap<String, V>, key: &str) -> &'a mut V {
    if !map.contains_key(key) {
        map.insert(key.to_string(), V::default());
    }
    map.get_mut(key).expect("just inserted")
}

impl Index {
    pub(super) fn build(snap: &Snapshot) -> Index {
        let mut ix = Index::default();
        for (i, s) in snap.services.iter().enumerate() {
            let (ns, name) = ns_name(&s.object);
            entry(&mut ix.services, ns).insert(name.to_string(), i);
        }
        for (i, s) in snap.endpoint_slices.iter().enumerate() {
            if let Some(svc) = s.object.labels().get(SERVICE_NAME_LABEL) {
                let (ns, _) = ns_name(&s.object);
                entry(entry(&mut ix.slices_by_service, ns), svc).push(i);
            }
        }
        for (i, s) in snap.mirrored_slices.iter().enumerate() {
            if let Some(svc) = s.object.labels().get(SERVICE_NAME_LABEL) {
                let (ns, _) = ns_name(&s.object);
                entry(entry(&mut ix.mirrored_by_service, ns), svc).push(i);
            }
        }
        for (i, p) in snap.pods.iter().enumerate() {
            let (ns, name) = ns_name(&p.object);
            entry(&mut ix.pods_by_name, ns).insert(name.to_string(), i);
            let by_label = entry(&mut ix.pods_by_label, ns);
            for (k, v) in p.object.labels() {
                entry(entry(by_label, k), v).push(i);
            }
        }
        for (i, w) in snap.workloads.iter().enumerate() {
            entry(&mut ix.workloads_by_ns, &w.namespace).push(i);
            let by_label = entry(&mut ix.workloads_by_label, &w.namespace);
            // The labels its controller adds too: a selector on a
            // StatefulSet's pod-name or a Job's job-name finds it here.
            for (k, v) in w.indexed_labels() {
                entry(entry(by_label, &k), &v).push(i);
            }
        }
        for (i, n) in snap.nodes.iter().enumerate() {
            ix.nodes.insert(n.object.name_any(), i);
        }
        ix
    }
}

/// Namespace and name, borrowed (`""` for no namespace; the generated name
/// when there is no name, as `ResourceExt::name_any` reads it).
pub(super) fn ns_name<T: NsName>(o: &T) -> (&str, &str) {
    o.ns_name()
}

/// The namespace and name of an object svcx holds, API-typed or slim
/// ([`SlimObject`]): the name, else the `generateName` prefix, as
/// `ResourceExt::name_any` reads it.
pub(crate) trait NsName {
    fn ns_name(&self) -> (&str, &str);
}

impl<T: kube::Resource> NsName for T {
    fn ns_name(&self) -> (&str, &str) {
        let m = self.meta();
        ns_and_name(&m.namespace, &m.name, &m.generate_name)
    }
}

impl NsName for SlimPod {
    fn ns_name(&self) -> (&str, &str) {
        self.metadata.ns_name()
    }
}

impl NsName for SlimNode {
    fn ns_name(&self) -> (&str, &str) {
        self.metadata.ns_name()
    }
}

pub(super) fn ns_and_name<'a>(
    namespace: &'a Option<String>,
    name: &'a Option<String>,
    generate_name: &'a Option<String>,
) -> (&'a str, &'a str) {
    (
        namespace.as_deref().unwrap_or_default(),
        name.as_deref()
            .or(generate_name.as_deref())
            .unwrap_or_default(),
    )
}

impl Snapshot {
    /// The Service `namespace/name`, if present.
    pub(crate) fn service(&self, namespace: &str, name: &str) -> Option<&Located<Service>> {
        let i = self.index.services.get(namespace)?.get(name)?;
        Some(&self.services[*i])
    }

    /// The position in [`Snapshot::services`] of the Service `namespace/name`.
    pub(crate) fn service_position(&self, namespace: &str, name: &str) -> Option<usize> {
        self.index.services.get(namespace)?.get(name).copied()
    }

    /// EndpointSlices that belong to a Service (by the `kubernetes.io/service-name` label).
    pub(crate) fn slices_for(
        &self,
        namespace: &str,
        service: &str,
    ) -> Vec<&Located<EndpointSlice>> {
        self.index
            .slices_by_service
            .get(namespace)
            .and_then(|by_service| by_service.get(service))
            .map(|ix| ix.iter().map(|&i| &self.endpoint_slices[i]).collect())
            .unwrap_or_default()
    }

    /// The Service names EndpointSlices of `namespace` are labelled with
    /// (`kubernetes.io/service-name`), sorted.
    pub(crate) fn slice_service_names(&self, namespace: &str) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .index
            .slices_by_service
            .get(namespace)
            .into_iter()
            .flat_map(|m| m.keys().map(String::as_str))
            .collect();
        names.sort();
        names
    }

    /// The slices the mirroring controller writes for the Endpoints object of
    /// a Service's name ([`super::mirror`]).
    pub(crate) fn mirrored_slices_for(
        &self,
        namespace: &str,
        service: &str,
    ) -> Vec<&Located<EndpointSlice>> {
        self.index
            .mirrored_by_service
            .get(namespace)
            .and_then(|by_service| by_service.get(service))
            .map(|ix| ix.iter().map(|&i| &self.mirrored_slices[i]).collect())
            .unwrap_or_default()
    }

    /// Pods in `namespace` that carry every label of a Service selector. Starts
    /// from the rarest label's posting list, so the cost follows the answer, not
    /// the number of pods in the cluster.
    pub(crate) fn pods_selected_by(
        &self,
        namespace: &str,
        selector: &BTreeMap<String, String>,
    ) -> Vec<&Located<SlimPod>> {
        rarest_first(
            self.index.pods_by_label.get(namespace),
            selector,
            &self.pods,
            |p| p.object.labels(),
        )
    }

    /// The label pairs carried by pods in a namespace, with how many pods carry
    /// each; used to suggest the selector a user probably meant.
    pub(crate) fn pod_label_counts(&self, namespace: &str) -> Vec<((&str, &str), usize)> {
        let mut out: Vec<_> = self
            .index
            .pods_by_label
            .get(namespace)
            .into_iter()
            .flatten()
            .flat_map(|(k, values)| {
                values
                    .iter()
                    .map(move |(v, list)| ((k.as_str(), v.as_str()), list.len()))
            })
            .collect();
        out.sort();
        out
    }

    /// Workloads in `namespace` whose pods carry every selector label: the
    /// template's labels, or those the workload's controller adds
    /// ([`super::controller_labels`]).
    pub(crate) fn workloads_selected_by(
        &self,
        namespace: &str,
        selector: &BTreeMap<String, String>,
    ) -> Vec<&Located<Workload>> {
        // As for pods: only the workloads that carry the selector's rarest
        // pair are compared, so a namespace of many workloads costs no scan
        // per Service. Pairs whose value only exists at run time (a hash,
        // a uid) have no posting list; a selector made only of those, or
        // naming a pod past the indexed ordinals, is compared with every
        // workload of the namespace.
        let Some(by_label) = self.index.workloads_by_label.get(namespace) else {
            return Vec::new();
        };
        let mut lists = Vec::with_capacity(selector.len());
        let mut unindexed = false;
        for (k, v) in selector {
            match by_label.get(k).and_then(|values| values.get(v)) {
                Some(list) => lists.push(list),
                None if ControllerLabels::is_runtime(k) || ControllerLabels::is_per_pod(k) => {
                    unindexed = true
                }
                None => return Vec::new(),
            }
        }
        let matches = |w: &&Located<Workload>| w.object.selected(selector).is_some();
        match lists.iter().min_by_key(|l| l.len()) {
            Some(shortest) => shortest
                .iter()
                .map(|&i| &self.workloads[i])
                .filter(matches)
                .collect(),
            None if unindexed => self.workloads_in(namespace).filter(matches).collect(),
            None => Vec::new(),
        }
    }

    /// The label pairs carried by workloads' pod templates in a namespace,
    /// with how many carry each (for selector hints).
    pub(crate) fn workload_label_counts(&self, namespace: &str) -> Vec<((&str, &str), usize)> {
        let pairs = self.index.workload_pairs.get_or_init(|| {
            let by_ns = &self.index.workloads_by_label;
            by_ns
                .iter()
                .map(|(ns, by_label)| {
                    let mut out: Vec<LabelCount> = by_label
                        .iter()
                        .flat_map(|(k, values)| {
                            values
                                .iter()
                                .map(move |(v, list)| ((k.clone(), v.clone()), list.len()))
                        })
                        .collect();
                    out.sort();
                    (ns.clone(), out)
                })
                .collect()
        });
        pairs
            .get(namespace)
            .into_iter()
            .flatten()
            .map(|((k, v), n)| ((k.as_str(), v.as_str()), *n))
            .collect()
    }

    /// Every workload in a namespace.
    pub(crate) fn workloads_in(&self, namespace: &str) -> impl Iterator<Item = &Located<Workload>> {
        self.index
            .workloads_by_ns
            .get(namespace)
            .into_iter()
            .flatten()
            .map(|&i| &self.workloads[i])
    }

    /// A pod by namespace and name (EndpointSlice `targetRef`s name pods).
    pub(crate) fn pod(&self, namespace: &str, name: &str) -> Option<&Located<SlimPod>> {
        let i = self.index.pods_by_name.get(namespace)?.get(name)?;
        Some(&self.pods[*i])
    }

    /// Whether any pod of `namespace` was read.
    pub(crate) fn has_pods_in(&self, namespace: &str) -> bool {
        self.index
            .pods_by_name
            .get(namespace)
            .is_some_and(|pods| !pods.is_empty())
    }

    /// The position in [`Snapshot::pods`] of a pod, by namespace and name.
    pub(crate) fn pod_position(&self, namespace: &str, name: &str) -> Option<usize> {
        self.index.pods_by_name.get(namespace)?.get(name).copied()
    }

    /// Positions in [`Snapshot::pods`] of every pod of a namespace.
    pub(crate) fn pod_positions_in(&self, namespace: &str) -> impl Iterator<Item = usize> + '_ {
        self.index
            .pods_by_name
            .get(namespace)
            .into_iter()
            .flat_map(|m| m.values().copied())
    }

    /// Positions in [`Snapshot::workloads`] of every workload of a namespace.
    pub(crate) fn workload_positions_in(
        &self,
        namespace: &str,
    ) -> impl Iterator<Item = usize> + '_ {
        self.index
            .workloads_by_ns
            .get(namespace)
            .into_iter()
            .flatten()
            .copied()
    }

    /// Positions of the pods of a namespace that carry `key=value`.
    pub(crate) fn pod_positions_labelled(
        &self,
        namespace: &str,
        key: &str,
        value: &str,
    ) -> &[usize] {
        posting(self.index.pods_by_label.get(namespace), key, value)
    }

    /// The namespaces where some pod (else some workload's pod template)
    /// carries `key=value`: where a Gateway's proxies run when their
    /// implementation does not say.
    pub(crate) fn namespaces_labelled(&self, key: &str, value: &str) -> Vec<&str> {
        let pods = labelled_in(&self.index.pods_by_label, key, value);
        if pods.is_empty() {
            labelled_in(&self.index.workloads_by_label, key, value)
        } else {
            pods
        }
    }

    /// Positions of the workloads of a namespace whose pod template carries
    /// `key=value`.
    pub(crate) fn workload_positions_labelled(
        &self,
        namespace: &str,
        key: &str,
        value: &str,
    ) -> &[usize] {
        posting(self.index.workloads_by_label.get(namespace), key, value)
    }
}

/// The namespaces of a label index with some item carrying `key=value`,
/// sorted.
fn labelled_in<'a>(
    by_ns: &'a HashMap<String, Nested<Vec<usize>>>,
    key: &str,
    value: &str,
) -> Vec<&'a str> {
    let mut out: Vec<&str> = by_ns
        .iter()
        .filter(|(_, by_label)| !posting(Some(by_label), key, value).is_empty())
        .map(|(ns, _)| ns.as_str())
        .collect();
    out.sort_unstable();
    out
}

/// One posting list of a label index (empty when absent).
fn posting<'a>(by_label: Option<&'a Nested<Vec<usize>>>, key: &str, value: &str) -> &'a [usize] {
    by_label
        .and_then(|b| b.get(key))
        .and_then(|v| v.get(value))
        .map_or(&[], Vec::as_slice)
}

/// The items that carry every label of `selector`, found from the posting
/// list of its rarest pair in `by_label` (label key, then value, then
/// positions in `items`), so the cost follows the answer, not the number of
/// items in the namespace.
fn rarest_first<'a, T>(
    by_label: Option<&Nested<Vec<usize>>>,
    selector: &BTreeMap<String, String>,
    items: &'a [T],
    labels: impl Fn(&'a T) -> &'a BTreeMap<String, String>,
) -> Vec<&'a T> {
    let Some(by_label) = by_label else {
        return Vec::new();
    };
    let mut lists = Vec::with_capacity(selector.len());
    for (k, v) in selector {
        match by_label.get(k).and_then(|values| values.get(v)) {
            Some(list) => lists.push(list),
            None => return Vec::new(),
        }
    }
    let Some(shortest) = lists.iter().min_by_key(|l| l.len()) else {
        return Vec::new();
    };
    shortest
        .iter()
        .map(|&i| &items[i])
        .filter(|item| service_selector_matches(selector, labels(item)))
        .collect()
}
