//! Who policies select and match: a pod read from the source, offline a
//! workload's pod template standing in for its pods, or a pod known only by
//! its namespace and labels (a source named with `--from NS/KEY=VALUE`, a
//! Gateway's proxies found by the label GEP-1762 gives them). Each answers
//! the questions policies ask of it: namespace, labels, addresses, node,
//! host network, container ports.

use crate::model::endpoints::Backend;
use crate::model::slim::SlimObject;
use crate::model::slim::{SlimContainer, SlimPod};
use crate::model::{Snapshot, Workload};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use std::collections::BTreeMap;

/// A pod, as policies see it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Member<'a> {
    /// A pod read from the source, at this position in `Snapshot::pods`.
    Pod(usize, &'a SlimPod),
    /// Offline: a workload's pod template, at this position in
    /// `Snapshot::workloads`.
    Template(usize, &'a Workload),
    /// A pod known by namespace and labels only. `exact`: these are all
    /// its labels (a source described by the user); otherwise it has at
    /// least these (a Gateway's proxies, by the label they are known to
    /// carry), and a selector asking about others cannot be answered.
    Labelled {
        namespace: &'a str,
        labels: &'a BTreeMap<String, String>,
        exact: bool,
    },
}

impl<'a> Member<'a> {
    /// The pod's namespace.
    pub(crate) fn namespace(&self) -> &'a str {
        match self {
            Member::Pod(_, p) => p.metadata.namespace.as_deref().unwrap_or_default(),
            Member::Template(_, w) => &w.namespace,
            Member::Labelled { namespace, .. } => namespace,
        }
    }

    /// Its labels (for a template, the template's).
    pub(crate) fn labels(&self) -> &'a BTreeMap<String, String> {
        static NONE: BTreeMap<String, String> = BTreeMap::new();
        match self {
            Member::Pod(_, p) => p.metadata.labels.as_deref().unwrap_or(&NONE),
            Member::Template(_, w) => &w.labels,
            Member::Labelled { labels, .. } => labels,
        }
    }

    /// Its containers, when known.
    pub(crate) fn containers(&self) -> Option<&'a [SlimContainer]> {
        match self {
            Member::Pod(_, p) => Some(p.containers()),
            Member::Template(_, w) => Some(&w.containers),
            Member::Labelled { .. } => None,
        }
    }

    /// Its addresses, when known (a created pod's; templates and
    /// described pods have none yet).
    pub(crate) fn ips(&self) -> Option<Vec<&'a str>> {
        match self {
            Member::Pod(_, p) if p.has_status() => Some(p.ips()),
            _ => None,
        }
    }

    /// `spec.hostNetwork`.
    pub(crate) fn host_network(&self) -> bool {
        match self {
            Member::Pod(_, p) => p.host_network(),
            Member::Template(_, w) => w.host_network,
            Member::Labelled { .. } => false,
        }
    }

    /// Whether both are the same pod (or template).
    pub(crate) fn same(&self, other: &Member) -> bool {
        match (self, other) {
            (Member::Pod(a, _), Member::Pod(b, _)) => a == b,
            (Member::Template(a, _), Member::Template(b, _)) => a == b,
            _ => false,
        }
    }

    /// How it is named in messages.
    pub(crate) fn label(&self) -> String {
        match self {
            Member::Pod(_, p) => p.name_any(),
            Member::Template(_, w) => format!("{}/{}", w.kind, w.name),
            Member::Labelled {
                namespace, labels, ..
            } => format!(
                "a pod labelled {} in {namespace}",
                crate::model::selector::format_selector(labels)
            ),
        }
    }

    /// Whether `selector` selects it; `None` when its labels are not all
    /// known and the selector asks about one that is not.
    pub(crate) fn selected_by(&self, selector: &LabelSelector) -> Option<bool> {
        let labels = self.labels();
        let partial = matches!(self, Member::Labelled { exact: false, .. });
        let mut unknown = false;
        for (k, v) in selector.match_labels.iter().flatten() {
            match labels.get(k) {
                Some(have) if have == v => {}
                Some(_) => return Some(false),
                None if partial => unknown = true,
                None => return Some(false),
            }
        }
        for e in selector.match_expressions.iter().flatten() {
            let values = e.values.as_deref().unwrap_or_default();
            let Some(value) = labels.get(&e.key) else {
                if partial {
                    unknown = true;
                    continue;
                }
                match e.operator.as_str() {
                    "NotIn" | "DoesNotExist" => continue,
                    _ => return Some(false),
                }
            };
            let ok = match e.operator.as_str() {
                "In" => values.contains(value),
                "NotIn" => !values.contains(value),
                "Exists" => true,
                _ => false,
            };
            if !ok {
                return Some(false);
            }
        }
        (!unknown).then_some(true)
    }
}

impl Snapshot {
    /// The pod or template behind a Service's backend, when the source
    /// holds it (a manual address, or a pod the source did not list, has
    /// none).
    pub(crate) fn member_of<'s>(
        &'s self,
        namespace: &str,
        backend: &Backend,
    ) -> Option<Member<'s>> {
        if let Some(name) = &backend.pod {
            let i = self.pod_position(namespace, name)?;
            return Some(Member::Pod(i, &self.pods[i].object));
        }
        let (kind, name) = backend.workload.as_deref()?.split_once('/')?;
        self.workload_positions_in(namespace)
            .find(|&i| {
                let w = &self.workloads[i].object;
                w.kind == kind && w.name == name
            })
            .map(|i| Member::Template(i, &self.workloads[i].object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::selector::labels;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    fn sel(pairs: &[(&str, &str)], exprs: &[(&str, &str, &[&str])]) -> LabelSelector {
        LabelSelector {
            match_labels: Some(labels(pairs)),
            match_expressions: Some(
                exprs
                    .iter()
                    .map(|(k, op, vs)| LabelSelectorRequirement {
                        key: k.to_string(),
                        operator: op.to_string(),
                        values: Some(vs.iter().map(|v| v.to_string()).collect()),
                    })
                    .collect(),
            ),
        }
    }

    /// A pod known to carry at least some labels: a selector on those is
    /// answered, one on others is not (the proxies of a Gateway carry
    /// `gateway.networking.k8s.io/gateway-name`, and more svcx cannot see).
    #[test]
    fn partly_known_labels_answer_only_what_they_can() {
        let known = labels(&[("gateway.networking.k8s.io/gateway-name", "public")]);
        let proxies = Member::Labelled {
            namespace: "infra",
            labels: &known,
            exact: false,
        };
        let by_gateway = sel(&[("gateway.networking.k8s.io/gateway-name", "public")], &[]);
        assert_eq!(proxies.selected_by(&by_gateway), Some(true));
        let other_gateway = sel(
            &[("gateway.networking.k8s.io/gateway-name", "internal")],
            &[],
        );
        assert_eq!(proxies.selected_by(&other_gateway), Some(false));
        assert_eq!(proxies.selected_by(&sel(&[("app", "envoy")], &[])), None);
        let described = Member::Labelled {
            namespace: "infra",
            labels: &known,
            exact: true,
        };
        assert_eq!(
            described.selected_by(&sel(&[("app", "envoy")], &[])),
            Some(false)
        );
        assert_eq!(
            described.selected_by(&sel(&[], &[("app", "DoesNotExist", &[])])),
            Some(true)
        );
        assert_eq!(described.selected_by(&LabelSelector::default()), Some(true));
    }
}
