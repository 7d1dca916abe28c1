//! The labels a workload's controller adds to the pods it creates, beside
//! those of the pod template. Offline a template stands in for its pods, so
//! a Service selector on one of these labels must match the template's
//! workload as it matches the pods in a cluster:
//!
//! - StatefulSet: `statefulset.kubernetes.io/pod-name` (the pod's name,
//!   `<set>-<ordinal>`) and `apps.kubernetes.io/pod-index` (the ordinal) on
//!   every pod, whatever the template says (kubernetes/kubernetes
//!   `pkg/controller/statefulset/stateful_set_utils.go`, `updateIdentity`;
//!   "so that you can attach a Service to a specific Pod",
//!   kubernetes.io/docs/concepts/workloads/controllers/statefulset/#pod-name-label).
//!   Ordinals run from `spec.ordinals.start` (default 0).
//! - Job: `job-name` and `batch.kubernetes.io/job-name` (the Job's name), set
//!   on the template by the API server unless `spec.manualSelector` is true
//!   and kept when the template already has them
//!   (`pkg/registry/batch/job/strategy.go`, `generateSelector`); an Indexed
//!   Job's pods also carry `batch.kubernetes.io/job-completion-index`
//!   (kubernetes.io/docs/concepts/workloads/controllers/job/#job-labels).
//! - Labels whose value exists only at run time (a Job's `controller-uid`,
//!   a Deployment's `pod-template-hash`, `controller-revision-hash`, the
//!   name of a Job a CronJob creates): a selector on them matches pods of
//!   the workload, and which value they carry cannot be known offline.

use std::collections::BTreeMap;

/// The label the StatefulSet controller puts on each pod: its name.
pub(crate) const STATEFULSET_POD_NAME: &str = "statefulset.kubernetes.io/pod-name";
/// The label the StatefulSet and Job controllers put on each pod: its ordinal
/// or completion index.
pub(crate) const POD_INDEX: &str = "apps.kubernetes.io/pod-index";
/// An Indexed Job pod's completion index.
pub(crate) const JOB_COMPLETION_INDEX: &str = "batch.kubernetes.io/job-completion-index";
/// A Job's name, on its pods (the legacy key and the prefixed one).
pub(crate) const JOB_NAME: [&str; 2] = ["job-name", "batch.kubernetes.io/job-name"];
/// A Job's uid, on its pods.
const CONTROLLER_UID: [&str; 2] = ["controller-uid", "batch.kubernetes.io/controller-uid"];
/// A Deployment's ReplicaSet hash, on its pods.
const POD_TEMPLATE_HASH: &str = "pod-template-hash";
/// StatefulSet and DaemonSet revision hash, on their pods.
const CONTROLLER_REVISION_HASH: &str = "controller-revision-hash";
/// DaemonSet template generation, on its pods.
const POD_TEMPLATE_GENERATION: &str = "pod-template-generation";

/// Per-pod labels are listed in the index for at most this many ordinals: a
/// selector naming a pod beyond them is matched by scanning the namespace's
/// workloads (see [`ControllerLabels::matches`]).
pub(crate) const INDEXED_ORDINALS: i64 = 1000;

/// What a workload's controller adds to the labels of its pods.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ControllerLabels {
    /// The same value on every pod, set only where the template has none.
    pub(crate) fixed: BTreeMap<String, String>,
    /// One value per pod, whatever the template says: key and value prefix;
    /// the pod of ordinal `i` carries `prefix` followed by `i`.
    pub(crate) per_pod: Vec<(&'static str, String)>,
    /// The ordinals of the pods: `start..start + count`.
    pub(crate) ordinals: Option<(i64, i64)>,
    /// Keys whose value is chosen at run time.
    pub(crate) runtime: Vec<&'static str>,
}

impl ControllerLabels {
    /// What the controller of `kind` adds. `spec` is the workload's spec
    /// (for a CronJob, its Job template's spec), `name` the workload's name,
    /// `replicas` the pods it asks for.
    pub(crate) fn of(
        kind: &str,
        name: &str,
        spec: &serde_json::Value,
        replicas: Option<i32>,
    ) -> ControllerLabels {
        let int = |pointer: &str| spec.pointer(pointer).and_then(serde_json::Value::as_i64);
        match kind {
            "StatefulSet" => ControllerLabels {
                fixed: BTreeMap::new(),
                per_pod: vec![
                    (STATEFULSET_POD_NAME, format!("{name}-")),
                    (POD_INDEX, String::new()),
                ],
                ordinals: Some((
                    int("/ordinals/start").unwrap_or(0).max(0),
                    i64::from(replicas.unwrap_or(1).max(0)),
                )),
                runtime: vec![CONTROLLER_REVISION_HASH],
            },
            "Job" | "CronJob" => {
                let manual =
                    spec.pointer("/manualSelector") == Some(&serde_json::Value::Bool(true));
                let indexed = spec
                    .pointer("/completionMode")
                    .and_then(serde_json::Value::as_str)
                    == Some("Indexed");
                let mut labels = ControllerLabels::default();
                if indexed {
                    labels.per_pod = vec![
                        (JOB_COMPLETION_INDEX, String::new()),
                        (POD_INDEX, String::new()),
                    ];
                    labels.ordinals = Some((0, int("/completions").unwrap_or(1).max(0)));
                }
                if manual {
                    return labels;
                }
                labels.runtime.extend(CONTROLLER_UID);
                if kind == "Job" {
                    labels.fixed = JOB_NAME
                        .iter()
                        .map(|k| (k.to_string(), name.to_string()))
                        .collect();
                } else {
                    // A CronJob's Jobs are named `<cronjob>-<scheduled time>`.
                    labels.runtime.extend(JOB_NAME);
                }
                labels
            }
            "Deployment" => ControllerLabels {
                runtime: vec![POD_TEMPLATE_HASH],
                ..ControllerLabels::default()
            },
            "DaemonSet" => ControllerLabels {
                runtime: vec![CONTROLLER_REVISION_HASH, POD_TEMPLATE_GENERATION],
                ..ControllerLabels::default()
            },
            _ => ControllerLabels::default(),
        }
    }

    /// The ordinal a per-pod label's value names, if it names one of the pods.
    fn ordinal(&self, key: &str, value: &str) -> Option<i64> {
        let (_, prefix) = self.per_pod.iter().find(|(k, _)| *k == key)?;
        let digits = value.strip_prefix(prefix.as_str())?;
        let i: i64 = digits.parse().ok()?;
        // `01` is not the label the controller writes for pod 1.
        let (start, count) = self.ordinals?;
        (i.to_string() == digits && i >= start && i < start + count).then_some(i)
    }

    /// How many of the workload's pods, whose template carries `template`
    /// and of which there are `replicas`, a Service selector matches:
    /// `None` for none, `Some(None)` for all of them (however many run).
    pub(crate) fn matches(
        &self,
        template: &BTreeMap<String, String>,
        replicas: Option<i32>,
        selector: &BTreeMap<String, String>,
    ) -> Option<Option<i32>> {
        if selector.is_empty() {
            return None;
        }
        let mut one: Option<i64> = None;
        for (k, v) in selector {
            if self.per_pod.iter().any(|(key, _)| key == k) {
                let i = self.ordinal(k, v)?;
                if one.is_some_and(|o| o != i) {
                    return None;
                }
                one = Some(i);
                continue;
            }
            match template.get(k).or_else(|| self.fixed.get(k)) {
                Some(t) if t == v => {}
                Some(_) => return None,
                None if self.runtime.contains(&k.as_str()) => {}
                None => return None,
            }
        }
        Some(if one.is_some() { Some(1) } else { replicas })
    }

    /// The label pairs to index the workload by, beside its template's: the
    /// fixed ones and the per-pod ones of the first [`INDEXED_ORDINALS`] pods.
    pub(crate) fn indexed<'a>(
        &'a self,
        template: &'a BTreeMap<String, String>,
    ) -> impl Iterator<Item = (String, String)> + 'a {
        let fixed = self
            .fixed
            .iter()
            .filter(|(k, _)| !template.contains_key(*k))
            .map(|(k, v)| (k.clone(), v.clone()));
        let (start, count) = self.ordinals.unwrap_or((0, 0));
        let per_pod = (start..start + count.min(INDEXED_ORDINALS)).flat_map(move |i| {
            self.per_pod
                .iter()
                .map(move |(k, prefix)| (k.to_string(), format!("{prefix}{i}")))
        });
        fixed.chain(per_pod)
    }

    /// Whether `key` is a per-pod label some controller sets (StatefulSet
    /// ordinals, Job completion indexes).
    pub(crate) fn is_per_pod(key: &str) -> bool {
        [STATEFULSET_POD_NAME, POD_INDEX, JOB_COMPLETION_INDEX].contains(&key)
    }

    /// Whether `key` is one a controller sets with a value only known at
    /// run time.
    pub(crate) fn is_runtime(key: &str) -> bool {
        CONTROLLER_UID.contains(&key)
            || JOB_NAME.contains(&key)
            || [
                POD_TEMPLATE_HASH,
                CONTROLLER_REVISION_HASH,
                POD_TEMPLATE_GENERATION,
            ]
            .contains(&key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::selector::labels as map;
    use serde_json::json;

    #[test]
    fn a_statefulset_pod_is_selected_by_its_name() {
        let sts = ControllerLabels::of("StatefulSet", "redis", &json!({}), Some(3));
        let template = map(&[("app", "redis")]);
        let one = |sel: &[(&str, &str)]| sts.matches(&template, Some(3), &map(sel));
        assert_eq!(
            one(&[("app", "redis"), (STATEFULSET_POD_NAME, "redis-2")]),
            Some(Some(1))
        );
        assert_eq!(one(&[(POD_INDEX, "0")]), Some(Some(1)));
        // Beyond the replicas, a padded ordinal, another set's pod.
        assert_eq!(one(&[(STATEFULSET_POD_NAME, "redis-3")]), None);
        assert_eq!(one(&[(STATEFULSET_POD_NAME, "redis-01")]), None);
        assert_eq!(one(&[(STATEFULSET_POD_NAME, "other-0")]), None);
        // Name and index of two different pods select none.
        assert_eq!(
            one(&[(STATEFULSET_POD_NAME, "redis-1"), (POD_INDEX, "2")]),
            None
        );
        assert_eq!(one(&[("app", "redis")]), Some(Some(3)));
        let from_five = ControllerLabels::of(
            "StatefulSet",
            "db",
            &json!({"ordinals": {"start": 5}}),
            Some(2),
        );
        assert_eq!(
            from_five.matches(&map(&[]), Some(2), &map(&[(POD_INDEX, "6")])),
            Some(Some(1))
        );
        assert_eq!(
            from_five.matches(&map(&[]), Some(2), &map(&[(POD_INDEX, "0")])),
            None
        );
    }

    #[test]
    fn a_job_names_its_pods_unless_the_selector_is_manual() {
        let job = ControllerLabels::of("Job", "train", &json!({}), Some(1));
        let none = map(&[]);
        assert_eq!(
            job.matches(&none, Some(1), &map(&[("job-name", "train")])),
            Some(Some(1))
        );
        assert_eq!(
            job.matches(
                &none,
                Some(1),
                &map(&[("batch.kubernetes.io/job-name", "train")])
            ),
            Some(Some(1))
        );
        assert_eq!(
            job.matches(&none, Some(1), &map(&[("job-name", "other")])),
            None
        );
        // The template's own value is kept.
        let own = map(&[("job-name", "custom")]);
        assert_eq!(
            job.matches(&own, Some(1), &map(&[("job-name", "train")])),
            None
        );
        let manual =
            ControllerLabels::of("Job", "train", &json!({"manualSelector": true}), Some(1));
        assert_eq!(
            manual.matches(&none, Some(1), &map(&[("job-name", "train")])),
            None
        );
        let indexed = ControllerLabels::of(
            "Job",
            "t",
            &json!({"completionMode": "Indexed", "completions": 4}),
            Some(4),
        );
        assert_eq!(
            indexed.matches(&none, Some(4), &map(&[(JOB_COMPLETION_INDEX, "3")])),
            Some(Some(1))
        );
        assert_eq!(
            indexed.matches(&none, Some(4), &map(&[(JOB_COMPLETION_INDEX, "4")])),
            None
        );
    }

    #[test]
    fn run_time_values_match_any_value() {
        let d = ControllerLabels::of("Deployment", "web", &json!({}), Some(2));
        let t = map(&[("app", "web")]);
        assert_eq!(
            d.matches(
                &t,
                Some(2),
                &map(&[("app", "web"), ("pod-template-hash", "5d9")])
            ),
            Some(Some(2))
        );
        let cron = ControllerLabels::of("CronJob", "nightly", &json!({}), None);
        assert_eq!(
            cron.matches(&t, None, &map(&[("job-name", "nightly-29000")])),
            Some(None)
        );
        // No key the controller sets: the template alone decides.
        assert_eq!(d.matches(&t, Some(2), &map(&[("tier", "x")])), None);
        assert!(ControllerLabels::is_runtime("controller-uid"));
        assert!(!ControllerLabels::is_runtime("app"));
    }

    #[test]
    fn indexed_pairs_are_the_fixed_and_per_pod_ones() {
        let sts = ControllerLabels::of("StatefulSet", "r", &json!({}), Some(2));
        let pairs: Vec<(String, String)> = sts.indexed(&BTreeMap::new()).collect();
        assert_eq!(
            pairs,
            [
                (STATEFULSET_POD_NAME.to_string(), "r-0".to_string()),
                (POD_INDEX.to_string(), "0".to_string()),
                (STATEFULSET_POD_NAME.to_string(), "r-1".to_string()),
                (POD_INDEX.to_string(), "1".to_string()),
            ]
        );
    }
}
