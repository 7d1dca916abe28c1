//! Label matching, as the API server defines it for Service selectors (a plain
//! map, every pair must match) and for workload `LabelSelector`s (match labels
//! plus set-based expressions).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use std::collections::BTreeMap;

/// Whether `labels` carries every `key=value` of a Service selector. An empty
/// selector matches nothing here: a Service without a selector gets no
/// automatic endpoints at all.
pub(crate) fn service_selector_matches(
    selector: &BTreeMap<String, String>,
    labels: &BTreeMap<String, String>,
) -> bool {
    !selector.is_empty() && selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// Whether `labels` satisfy a `LabelSelector` (matchLabels and matchExpressions).
pub(crate) fn label_selector_matches(
    selector: &LabelSelector,
    labels: &BTreeMap<String, String>,
) -> bool {
    label_selector_matches_by(selector, |k| labels.get(k).map(String::as_str))
}

/// [`label_selector_matches`], with the labels given by a lookup (labels
/// that are partly computed, such as a namespace's name label, need not be
/// copied into a map).
pub(crate) fn label_selector_matches_by<'a>(
    selector: &LabelSelector,
    label: impl Fn(&str) -> Option<&'a str>,
) -> bool {
    let labels_ok = selector
        .match_labels
        .iter()
        .flatten()
        .all(|(k, v)| label(k) == Some(v.as_str()));
    let exprs_ok = selector.match_expressions.iter().flatten().all(|e| {
        let values = e.values.as_deref().unwrap_or_default();
        let value = label(&e.key);
        let listed = |v: &str| values.iter().any(|x| x == v);
        match e.operator.as_str() {
            "In" => value.is_some_and(listed),
            "NotIn" => value.is_none_or(|v| !listed(v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            _ => false,
        }
    });
    labels_ok && exprs_ok
}

/// A LabelSelector the way kubectl writes one: `k=v,k2 in (a,b),!k3`;
/// `(any labels)` for the empty selector.
pub(crate) fn label_selector_text(sel: &LabelSelector) -> String {
    let mut parts: Vec<String> = sel
        .match_labels
        .iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for e in sel.match_expressions.iter().flatten() {
        let values = e.values.clone().unwrap_or_default().join(",");
        parts.push(match e.operator.as_str() {
            "In" => format!("{} in ({values})", e.key),
            "NotIn" => format!("{} notin ({values})", e.key),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            op => format!("{} {op} ({values})", e.key),
        });
    }
    if parts.is_empty() {
        "(any labels)".to_string()
    } else {
        parts.join(",")
    }
}

/// `k=v,k2=v2`, the way kubectl prints a selector.
pub(crate) fn format_selector(selector: &BTreeMap<String, String>) -> String {
    selector
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// A label map from pairs, for tests.
#[cfg(test)]
pub(crate) fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::labels as map;
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    #[test]
    fn service_selector_needs_every_pair() {
        let pod = map(&[("app", "web"), ("tier", "fe")]);
        assert!(service_selector_matches(&map(&[("app", "web")]), &pod));
        assert!(!service_selector_matches(
            &map(&[("app", "web"), ("v", "2")]),
            &pod
        ));
        assert!(!service_selector_matches(&map(&[]), &pod));
    }

    #[test]
    fn label_selector_expressions() {
        let sel = LabelSelector {
            match_labels: Some(map(&[("app", "db")])),
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: "tier".into(),
                operator: "In".into(),
                values: Some(vec!["a".into(), "b".into()]),
            }]),
        };
        assert!(label_selector_matches(
            &sel,
            &map(&[("app", "db"), ("tier", "b")])
        ));
        assert!(!label_selector_matches(
            &sel,
            &map(&[("app", "db"), ("tier", "c")])
        ));
        assert!(!label_selector_matches(&sel, &map(&[("app", "db")])));
    }
}
