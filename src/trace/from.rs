//! `--from`: one source inside the cluster, so that its own egress policies
//! apply too. `NAMESPACE` (some pod of it), `NAMESPACE/POD` (a pod, or
//! offline a workload whose template stands for its pods) or
//! `NAMESPACE/KEY=VALUE[,KEY=VALUE]` (a pod with exactly these labels, read
//! or not).

use super::target::TargetError;
use crate::model::Snapshot;
use crate::model::lookup::edit_distance;
use crate::model::policy::{Member, Source, SourceClass};
use crate::model::selector::format_selector;
use std::collections::BTreeMap;

/// The source named with `--from`, resolved against a snapshot.
pub(crate) struct From<'s> {
    /// How reports name it.
    pub(crate) class: SourceClass,
    namespace: String,
    member: Option<Member<'s>>,
    labels: Option<BTreeMap<String, String>>,
}

impl<'s> From<'s> {
    /// The source, for [`crate::model::policy::Policies::admits`].
    pub(crate) fn source(&self) -> Source<'_> {
        let member = match (&self.member, &self.labels) {
            (Some(m), _) => Some(*m),
            (None, Some(labels)) => Some(Member::Labelled {
                namespace: &self.namespace,
                labels,
                exact: true,
            }),
            (None, None) => None,
        };
        Source::Pod {
            namespace: Some(&self.namespace),
            member,
        }
    }
}

impl From<'_> {
    /// What the answer stands for when no pod of the source's namespace was
    /// read (a namespace with no pods, or a typo): a pod that would run
    /// there.
    pub(crate) fn unread(&self, snap: &Snapshot) -> Option<String> {
        let none = self.member.is_none()
            && snap.pod_positions_in(&self.namespace).next().is_none()
            && snap.workload_positions_in(&self.namespace).next().is_none();
        none.then(|| {
            format!(
                "--from {}: no pod of namespace `{}` was read, so the answers are for a pod that would run there",
                self.namespace, self.namespace
            )
        })
    }
}

/// The namespace `--from` names (its first part), whose pods and
/// NetworkPolicies the answer needs.
pub(crate) fn namespace_of(text: &str) -> &str {
    text.split_once('/').map_or(text, |(ns, _)| ns).trim()
}

/// Reads `--from`.
pub(crate) fn resolve<'s>(snap: &'s Snapshot, text: &str) -> Result<From<'s>, TargetError> {
    let bad = |message: String| TargetError {
        message,
        candidates: Vec::new(),
        hint: "--from takes NAMESPACE, NAMESPACE/POD or NAMESPACE/KEY=VALUE[,KEY=VALUE]"
            .to_string(),
    };
    let (namespace, rest) = match text.split_once('/') {
        Some((ns, rest)) => (ns.trim(), Some(rest.trim())),
        None => (text.trim(), None),
    };
    if namespace.is_empty() || rest.is_some_and(str::is_empty) {
        return Err(bad(format!("`{text}` names no source")));
    }
    let Some(rest) = rest else {
        return Ok(From {
            class: SourceClass::Pod {
                namespace: namespace.to_string(),
                pod: None,
                labels: None,
            },
            namespace: namespace.to_string(),
            member: None,
            labels: None,
        });
    };
    if rest.contains('=') {
        let mut labels = BTreeMap::new();
        for pair in rest.split(',') {
            let Some((k, v)) = pair.split_once('=') else {
                return Err(bad(format!("`{pair}` is not KEY=VALUE")));
            };
            labels.insert(k.trim().to_string(), v.trim().to_string());
        }
        return Ok(From {
            class: SourceClass::Pod {
                namespace: namespace.to_string(),
                pod: None,
                labels: Some(format_selector(&labels)),
            },
            namespace: namespace.to_string(),
            member: None,
            labels: Some(labels),
        });
    }
    let member = snap
        .pod_position(namespace, rest)
        .map(|i| Member::Pod(i, &snap.pods[i].object))
        .or_else(|| {
            snap.workload_positions_in(namespace)
                .find(|&i| {
                    let w = &snap.workloads[i].object;
                    w.name == rest || format!("{}/{}", w.kind, w.name) == rest
                })
                .map(|i| Member::Template(i, &snap.workloads[i].object))
        });
    let Some(member) = member else {
        let mut names: Vec<String> = snap
            .pod_positions_in(namespace)
            .filter_map(|i| snap.pods[i].object.metadata.name.clone())
            .chain(
                snap.workload_positions_in(namespace)
                    .map(|i| snap.workloads[i].object.name.clone()),
            )
            .filter(|n| edit_distance(n, rest) <= 3)
            .collect();
        names.sort();
        names.dedup();
        return Err(TargetError {
            message: format!("no pod or workload `{rest}` in namespace `{namespace}`"),
            candidates: names.iter().map(|n| format!("{namespace}/{n}")).collect(),
            hint: "name a pod (or, from manifests, a workload), or describe one by its labels: \
                   --from NAMESPACE/KEY=VALUE"
                .to_string(),
        });
    };
    Ok(From {
        class: SourceClass::Pod {
            namespace: namespace.to_string(),
            pod: Some(member.label()),
            labels: None,
        },
        namespace: namespace.to_string(),
        member: Some(member),
        labels: None,
    })
}
