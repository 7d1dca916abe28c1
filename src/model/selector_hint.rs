//! "Did you mean": when a Service selector matches nothing, find the nearest
//! label set that does match (a typo `app=payment` for pods labelled
//! `app=payments`, or one label too many). Runs only for Services whose
//! selector matches nothing, over the label pairs of their own namespace.

use super::Snapshot;
use super::lookup::edit_distance;
use std::collections::BTreeMap;

/// A selector that would match, and how it differs from the one written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SelectorHint {
    pub(crate) selector: BTreeMap<String, String>,
    /// How many pods (or workloads) it matches.
    pub(crate) matches: usize,
    /// `(written, suggested)` pairs as `k=v`; `suggested` is empty when the
    /// pair is better dropped.
    pub(crate) changes: Vec<(String, String)>,
}

impl SelectorHint {
    /// The changes as text: `` `app=payment` → `app=payments`, drop `tier=x` ``.
    pub(crate) fn changes_text(&self) -> String {
        self.changes
            .iter()
            .map(|(from, to)| {
                if to.is_empty() {
                    format!("drop `{from}`")
                } else {
                    format!("`{from}` → `{to}`")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Upper bound on the selectors tried, so a long selector stays cheap.
const MAX_COMBINATIONS: usize = 64;
/// Alternatives kept per selector pair.
const MAX_ALTERNATIVES: usize = 3;

/// One way to satisfy a written pair: the pair to use instead (`None`: drop
/// it) and what the change costs.
type Choice = (Option<(String, String)>, usize);

/// How different two label keys or values may be and still count as a typo.
/// Short ones (`p1`, `v2`) must match but for case: one character apart,
/// they usually name different things.
fn close_enough(a: &str, b: &str) -> Option<usize> {
    let la = a.chars().count();
    let limit = match la {
        0..=3 if a.eq_ignore_ascii_case(b) => 1,
        0..=3 => 0,
        4..=12 => 2,
        _ => 3,
    };
    // No edit distance is within the limit when the lengths alone differ by
    // more: a namespace holds thousands of label values, and most are ruled
    // out here without computing one.
    if la.abs_diff(b.chars().count()) > limit {
        return None;
    }
    let d = edit_distance(&a.to_ascii_lowercase(), &b.to_ascii_lowercase());
    // Case-only differences still count as one edit.
    let d = if d == 0 && a != b { 1 } else { d };
    (d <= limit).then_some(d)
}

/// Finds the nearest selector that matches something.
///
/// `pairs` are the label pairs present in the namespace (with how many objects
/// carry each); `count` says how many objects a candidate selector matches.
pub(crate) fn nearest(
    selector: &BTreeMap<String, String>,
    pairs: &[((&str, &str), usize)],
    count: impl Fn(&BTreeMap<String, String>) -> usize,
) -> Option<SelectorHint> {
    if selector.is_empty() {
        return None;
    }
    // For each written pair: itself if some object carries it, then the
    // closest pairs with a similar key and value, then dropping it.
    let mut options: Vec<Vec<Choice>> = Vec::new();
    for (k, v) in selector {
        let mut opts: Vec<Choice> = Vec::new();
        let exists = pairs.iter().any(|((pk, pv), _)| pk == k && pv == v);
        if exists {
            opts.push((Some((k.clone(), v.clone())), 0));
        }
        let mut near: Vec<(usize, usize, &str, &str)> = pairs
            .iter()
            .filter(|((pk, pv), _)| !(pk == k && pv == v))
            .filter_map(|((pk, pv), n)| {
                let dk = if pk == k { 0 } else { close_enough(k, pk)? };
                let dv = if pv == v { 0 } else { close_enough(v, pv)? };
                Some((dk + dv, usize::MAX - n, *pk, *pv))
            })
            .collect();
        near.sort();
        opts.extend(
            near.into_iter()
                .take(MAX_ALTERNATIVES)
                .map(|(d, _, pk, pv)| (Some((pk.to_string(), pv.to_string())), d)),
        );
        // Dropping a pair costs more than any typo fix.
        if selector.len() > 1 {
            opts.push((None, 10));
        }
        if opts.is_empty() {
            // Nothing carries this pair or anything like it, and it cannot be dropped.
            return None;
        }
        options.push(opts);
    }
    let mut best: Option<(usize, usize, SelectorHint)> = None;
    let mut tried = 0;
    let mut choice = vec![0usize; options.len()];
    loop {
        if tried >= MAX_COMBINATIONS {
            break;
        }
        tried += 1;
        let cost: usize = choice.iter().zip(&options).map(|(&c, o)| o[c].1).sum();
        if cost > 0 {
            let candidate: BTreeMap<String, String> = choice
                .iter()
                .zip(&options)
                .filter_map(|(&c, o)| o[c].0.clone())
                .collect();
            if !candidate.is_empty() {
                let n = count(&candidate);
                let better = match &best {
                    None => n > 0,
                    Some((bc, bn, _)) => n > 0 && (cost, usize::MAX - n) < (*bc, usize::MAX - *bn),
                };
                if better {
                    let changes = selector
                        .iter()
                        .zip(choice.iter().zip(&options))
                        .filter(|(_, (c, o))| o[**c].1 > 0)
                        .map(|((k, v), (&c, o))| {
                            let to = o[c]
                                .0
                                .as_ref()
                                .map(|(k, v)| format!("{k}={v}"))
                                .unwrap_or_default();
                            (format!("{k}={v}"), to)
                        })
                        .collect();
                    best = Some((
                        cost,
                        n,
                        SelectorHint {
                            selector: candidate,
                            matches: n,
                            changes,
                        },
                    ));
                }
            }
        }
        // Next combination (odometer order).
        let mut i = 0;
        loop {
            if i == choice.len() {
                return best.map(|(_, _, h)| h);
            }
            choice[i] += 1;
            if choice[i] < options[i].len() {
                break;
            }
            choice[i] = 0;
            i += 1;
        }
    }
    best.map(|(_, _, h)| h)
}

impl Snapshot {
    /// The selector nearest to `selector` that matches pods in `namespace`.
    pub(crate) fn pod_selector_hint(
        &self,
        namespace: &str,
        selector: &BTreeMap<String, String>,
    ) -> Option<SelectorHint> {
        self.pod_selector_hint_among(&self.pod_label_counts(namespace), namespace, selector)
    }

    /// [`Snapshot::pod_selector_hint`] with the namespace's label pairs
    /// ([`Snapshot::pod_label_counts`]) already at hand, for callers that ask
    /// about many Services of one namespace.
    pub(crate) fn pod_selector_hint_among(
        &self,
        pairs: &[((&str, &str), usize)],
        namespace: &str,
        selector: &BTreeMap<String, String>,
    ) -> Option<SelectorHint> {
        nearest(selector, pairs, |sel| {
            self.pods_selected_by(namespace, sel).len()
        })
    }

    /// The selector nearest to `selector` that matches pod templates of
    /// workloads in `namespace` (manifests, where there are no pods).
    pub(crate) fn workload_selector_hint(
        &self,
        namespace: &str,
        selector: &BTreeMap<String, String>,
    ) -> Option<SelectorHint> {
        let pairs = self.workload_label_counts(namespace);
        nearest(selector, &pairs, |sel| {
            self.workloads_selected_by(namespace, sel).len()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::selector::labels as map;

    /// Objects as label sets; counts and matching computed from them.
    fn run(selector: &[(&str, &str)], objects: &[&[(&str, &str)]]) -> Option<SelectorHint> {
        let objects: Vec<BTreeMap<String, String>> = objects.iter().map(|o| map(o)).collect();
        let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
        for o in &objects {
            for (k, v) in o {
                *counts.entry((k.clone(), v.clone())).or_default() += 1;
            }
        }
        let pairs: Vec<((&str, &str), usize)> = counts
            .iter()
            .map(|((k, v), n)| ((k.as_str(), v.as_str()), *n))
            .collect();
        nearest(&map(selector), &pairs, |sel| {
            objects
                .iter()
                .filter(|o| sel.iter().all(|(k, v)| o.get(k) == Some(v)))
                .count()
        })
    }

    #[test]
    fn a_typo_in_a_value() {
        let hint = run(
            &[("app", "payment")],
            &[&[("app", "payments")], &[("app", "cart")]],
        )
        .expect("a hint");
        assert_eq!(hint.selector, map(&[("app", "payments")]));
        assert_eq!(
            hint.changes,
            vec![("app=payment".into(), "app=payments".into())]
        );
        assert_eq!(hint.matches, 1);
    }

    #[test]
    fn one_label_too_many() {
        let hint = run(
            &[("app", "web"), ("tier", "frontend")],
            &[&[("app", "web"), ("team", "a")]],
        )
        .expect("a hint");
        assert_eq!(hint.selector, map(&[("app", "web")]));
        assert_eq!(hint.changes, vec![("tier=frontend".into(), String::new())]);
    }

    #[test]
    fn a_wrong_version_is_dropped_not_guessed() {
        let hint = run(
            &[("app", "web"), ("version", "v2")],
            &[&[("app", "web"), ("version", "v1")]],
        )
        .expect("a hint");
        assert_eq!(hint.selector, map(&[("app", "web")]));
        assert_eq!(hint.changes, vec![("version=v2".into(), String::new())]);
    }

    #[test]
    fn short_values_must_match_but_for_case() {
        assert_eq!(run(&[("app", "p2")], &[&[("app", "p1")]]), None);
        let hint = run(&[("app", "API")], &[&[("app", "api")]]).expect("a hint");
        assert_eq!(hint.selector, map(&[("app", "api")]));
    }

    #[test]
    fn nothing_close() {
        assert_eq!(run(&[("app", "payment")], &[&[("app", "zookeeper")]]), None);
        assert_eq!(run(&[("app", "payment")], &[]), None);
        assert_eq!(run(&[], &[&[("app", "x")]]), None);
    }
}
