//! The policies of a run, indexed once: NetworkPolicies by namespace and,
//! for each pod (offline, each pod template), the NetworkPolicies whose
//! `podSelector` selects it; cluster-wide policies per tier in evaluation
//! order; node addresses. Found through the snapshot's label index, so the
//! cost follows what the selectors select, not pods × policies.

use super::foreign::ForeignPolicy;
use super::objects::{ClusterSelector, Direction, PortSpec, Tier};
use super::subject::Member;
use crate::model::Snapshot;
use crate::model::namespaces::NamespaceLabels;
use crate::model::selector::label_selector_matches;
use crate::model::slim::SlimObject;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use std::collections::HashMap;

/// Every policy of a snapshot, indexed for admission.
pub(crate) struct Policies<'s> {
    pub(super) snap: &'s Snapshot,
    pub(super) namespaces: NamespaceLabels,
    /// NetworkPolicies of each namespace (positions in
    /// `Snapshot::network_policies`).
    by_namespace: HashMap<&'s str, Vec<usize>>,
    /// Those that select every pod of their namespace (an empty or omitted
    /// `podSelector`).
    namespace_wide: HashMap<&'s str, Vec<usize>>,
    /// Pod position → the other NetworkPolicies that select it.
    pods: HashMap<usize, Vec<usize>>,
    /// Workload position → the NetworkPolicies that select its template.
    templates: HashMap<usize, Vec<usize>>,
    /// Cluster-wide policies of the Admin tier, in evaluation order
    /// (priority, lower first; then name, as ties have no defined order).
    pub(super) admin: Vec<usize>,
    /// The same for the Baseline tier.
    pub(super) baseline: Vec<usize>,
    /// Per NetworkPolicy, how many pods and templates its podSelector selects.
    pub(super) np_selects: Vec<usize>,
    /// Whether any rule names a port, which then resolves on each pod.
    pub(super) named_ports: bool,
}

/// The NetworkPolicies that select a pod in one direction.
#[derive(Debug, Default)]
pub(super) struct Selected {
    /// Those that certainly select it.
    pub(crate) sure: Vec<usize>,
    /// Those that may (its labels are not known).
    pub(crate) maybe: Vec<usize>,
}

impl<'s> Policies<'s> {
    /// Indexes the policies of a snapshot.
    pub(crate) fn build(snap: &'s Snapshot) -> Self {
        let mut ix = Policies {
            snap,
            namespaces: NamespaceLabels::read(snap),
            by_namespace: HashMap::new(),
            namespace_wide: HashMap::new(),
            pods: HashMap::new(),
            templates: HashMap::new(),
            admin: Vec::new(),
            baseline: Vec::new(),
            np_selects: vec![0; snap.network_policies.len()],
            named_ports: false,
        };
        let named = |p: &super::objects::PortMatch| matches!(p.port, PortSpec::Named(_));
        ix.named_ports = snap.network_policies.iter().any(|np| {
            np.object
                .ingress
                .iter()
                .chain(&np.object.egress)
                .any(|r| r.ports.iter().any(named))
        }) || snap.cluster_policies.iter().any(|c| {
            c.object
                .ingress
                .iter()
                .chain(&c.object.egress)
                .any(|r| r.ports.iter().flatten().any(named))
        });
        for (i, np) in snap.network_policies.iter().enumerate() {
            let ns = np.object.metadata.namespace.as_deref().unwrap_or_default();
            ix.by_namespace.entry(ns).or_default().push(i);
            let selector = np.object.pod_selector.as_ref().filter(|s| !is_empty(s));
            let Some(selector) = selector else {
                ix.namespace_wide.entry(ns).or_default().push(i);
                ix.np_selects[i] =
                    snap.pod_positions_in(ns).count() + snap.workload_positions_in(ns).count();
                continue;
            };
            for p in candidates(
                snap,
                ns,
                selector,
                Snapshot::pod_positions_labelled,
                |s, n| s.pod_positions_in(n).collect(),
            ) {
                if label_selector_matches(selector, snap.pods[p].object.labels()) {
                    ix.pods.entry(p).or_default().push(i);
                    ix.np_selects[i] += 1;
                }
            }
            for w in candidates(
                snap,
                ns,
                selector,
                Snapshot::workload_positions_labelled,
                |s, n| s.workload_positions_in(n).collect(),
            ) {
                if label_selector_matches(selector, &snap.workloads[w].object.labels) {
                    ix.templates.entry(w).or_default().push(i);
                    ix.np_selects[i] += 1;
                }
            }
        }
        let mut tiers: Vec<(Tier, i32, &str, usize)> = snap
            .cluster_policies
            .iter()
            .enumerate()
            .map(|(i, c)| {
                (
                    c.object.tier,
                    c.object.priority.unwrap_or(i32::MAX),
                    c.object.name(),
                    i,
                )
            })
            .collect();
        tiers.sort();
        for (tier, _, _, i) in tiers {
            match tier {
                Tier::Admin => ix.admin.push(i),
                _ => ix.baseline.push(i),
            }
        }
        ix
    }

    /// The NetworkPolicies of a namespace.
    pub(super) fn in_namespace(&self, namespace: &str) -> &[usize] {
        self.by_namespace.get(namespace).map_or(&[], Vec::as_slice)
    }

    /// The NetworkPolicies that isolate `member` in `direction` (or, with
    /// no member, any pod of `namespace` whose labels are not known).
    pub(super) fn selecting(
        &self,
        namespace: &str,
        member: Option<&Member>,
        direction: Direction,
    ) -> Selected {
        let isolates = |&i: &usize| self.snap.network_policies[i].object.isolates(direction);
        let wide = self
            .namespace_wide
            .get(namespace)
            .map_or(&[][..], Vec::as_slice);
        let mut out = Selected {
            sure: wide.iter().copied().filter(isolates).collect(),
            maybe: Vec::new(),
        };
        let indexed = match member {
            Some(Member::Pod(i, _)) => Some(self.pods.get(i)),
            Some(Member::Template(i, _)) => Some(self.templates.get(i)),
            _ => None,
        };
        match indexed {
            Some(list) => out
                .sure
                .extend(list.into_iter().flatten().copied().filter(isolates)),
            None => {
                for &i in self.in_namespace(namespace) {
                    if wide.contains(&i) || !isolates(&i) {
                        continue;
                    }
                    let selector = self.snap.network_policies[i].object.pod_selector.as_ref();
                    match member.and_then(|m| selector.and_then(|s| m.selected_by(s))) {
                        Some(true) => out.sure.push(i),
                        Some(false) => {}
                        None => out.maybe.push(i),
                    }
                }
            }
        }
        out.sure.sort_unstable();
        out
    }

    /// Whether a cluster-wide selector (a subject, or a `namespaces` or
    /// `pods` peer) selects a pod of `namespace`; `None` when that cannot
    /// be known. Host-network pods are never selected (the subject and
    /// peer docs of network-policy-api).
    pub(super) fn cluster_selects(
        &self,
        selector: &ClusterSelector,
        namespace: &str,
        member: Option<&Member>,
    ) -> Option<bool> {
        if member.is_some_and(Member::host_network) {
            return Some(false);
        }
        match selector {
            ClusterSelector::Namespaces(ns) => self.namespaces.selects(ns, namespace),
            ClusterSelector::Pods { namespaces, pods } => {
                let ns = self.namespaces.selects(namespaces, namespace);
                if ns == Some(false) {
                    return Some(false);
                }
                let pod = match member {
                    Some(m) => m.selected_by(pods),
                    None if is_empty(pods) => Some(true),
                    None => None,
                };
                match (ns, pod) {
                    (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                }
            }
        }
    }

    /// Whether no policy can apply to a pod of `namespace`: no cluster-wide
    /// policy, no NetworkPolicy in that namespace, and no network plugin's
    /// policy that may select it.
    pub(super) fn quiet(&self, namespace: &str) -> bool {
        self.snap.cluster_policies.is_empty()
            && self.in_namespace(namespace).is_empty()
            && self.foreign_over(namespace).next().is_none()
    }

    /// The network plugins' policies that may select pods of `namespace`
    /// ([`super::foreign`]).
    pub(super) fn foreign_over<'a>(
        &self,
        namespace: &'a str,
    ) -> impl Iterator<Item = &'s ForeignPolicy> + use<'s, 'a> {
        self.snap
            .foreign_policies
            .iter()
            .filter(move |p| p.may_select(namespace))
    }
}

/// Whether a selector selects everything (`{}`).
pub(super) fn is_empty(s: &LabelSelector) -> bool {
    s.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && s.match_expressions.as_ref().is_none_or(|e| e.is_empty())
}

/// The positions a selector may select in a namespace: the posting list of
/// its rarest `matchLabels` pair, or every position when it has none.
fn candidates<'s>(
    snap: &'s Snapshot,
    namespace: &str,
    selector: &LabelSelector,
    posting: impl Fn(&'s Snapshot, &str, &str, &str) -> &'s [usize],
    all: impl Fn(&'s Snapshot, &str) -> Vec<usize>,
) -> Vec<usize> {
    let lists: Vec<&[usize]> = selector
        .match_labels
        .iter()
        .flatten()
        .map(|(k, v)| posting(snap, namespace, k, v))
        .collect();
    match lists.iter().min_by_key(|l| l.len()) {
        Some(shortest) => shortest.to_vec(),
        None => all(snap, namespace),
    }
}
