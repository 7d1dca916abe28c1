//! Findings about a Service's backends as a whole: workloads scaled to zero
//! (SVC103), and why a Service has no backend at all: a selector that
//! matches nothing (SVC101), pods made by objects not in the input (SVC102),
//! matched pods that are no endpoints (SVC104), or no selector and no
//! endpoints written (SVC107).

use crate::model::Snapshot;
use crate::model::endpoints::BackendSource;
use crate::model::finding::{Code, Finding, Severity};
use crate::model::selector::format_selector;
use crate::model::view::{Semantics, ServiceView, names_list, source_is_cluster};
use std::collections::BTreeMap;

/// SVC103: workloads the selector picks that ask for no replicas (an error
/// when they are all the Service has).
pub(crate) fn scaled_to_zero(v: &ServiceView, out: &mut Vec<Finding>) {
    let b = &v.backends;
    if !b.scaled_to_zero.is_empty() {
        let sev = if b.items.is_empty() {
            Severity::Error
        } else {
            Severity::Info
        };
        out.push(
            Finding::new(
                Code::WorkloadScaledToZero,
                v.located,
                "spec.selector",
                format!(
                    "{} {} `replicas: 0`: no pods to send to",
                    names_list(&b.scaled_to_zero),
                    if b.scaled_to_zero.len() == 1 {
                        "asks for"
                    } else {
                        "ask for"
                    }
                ),
            )
            .severity(sev)
            .hint("scale it up, or point the selector at the workload that runs"),
        );
    }
}

/// SVC107: a Service without selector whose endpoints are written by hand
/// (EndpointSlices, or an Endpoints object mirrored into one) and list none;
/// an error when the input is the cluster, whose slices are all read.
pub(crate) fn selectorless(sem: &Semantics, v: &ServiceView, out: &mut Vec<Finding>) {
    let snap = sem.snap;
    let b = &v.backends;
    if !matches!(
        b.source,
        BackendSource::None | BackendSource::EndpointSlices | BackendSource::MirroredEndpoints
    ) {
        return;
    }
    let cluster = source_is_cluster(snap) || snap.endpoint_slices_known;
    // Slices that list no endpoint (written empty, to be filled
    // later by hand or by another controller) are not "no slice".
    let (message, hint) = if b.source == BackendSource::EndpointSlices {
        (
            "no selector, and its EndpointSlices list no endpoint: it has none",
            "list the backends' addresses in its EndpointSlices, or give it a selector",
        )
    } else if b.source == BackendSource::MirroredEndpoints {
        (
            "no selector, and its Endpoints list no IP address: it has none",
            "list the backends' IP addresses in its Endpoints (or EndpointSlices), or give it a selector",
        )
    } else {
        (
            "no selector and no EndpointSlice: Kubernetes writes no endpoints for it, so it has none",
            "write EndpointSlices labelled kubernetes.io/service-name for it (or an Endpoints object of its name, which Kubernetes mirrors into one), or give it a selector",
        )
    };
    // A slice labelled for a near name was probably meant for it.
    let near = (b.source == BackendSource::None)
        .then(|| near_slice_label(snap, &v.namespace, &v.name))
        .flatten();
    let hint = match &near {
        Some(other) => format!(
            "an EndpointSlice in `{}` is labelled {label}={other}: if it is meant for this Service, label it {label}={} (a slice belongs to the Service its label names)",
            v.namespace,
            v.name,
            label = crate::model::index::SERVICE_NAME_LABEL,
        ),
        None => hint.to_string(),
    };
    out.push(
        Finding::new(
            Code::SelectorlessWithoutEndpoints,
            v.located,
            "spec",
            message,
        )
        .severity(if cluster {
            Severity::Error
        } else {
            Severity::Warning
        })
        .hint(hint),
    );
}

/// Why a Service with a selector has no backend at all: the pods it matches
/// are no endpoints (SVC104), it matches no pod or pod template (SVC101, with
/// the nearest labels), or its pods come from objects not in the input
/// (SVC102).
pub(crate) fn empty_selector(
    sem: &Semantics,
    v: &ServiceView,
    selector: &BTreeMap<String, String>,
) -> Finding {
    let snap = sem.snap;
    let sel = format_selector(selector);
    let ns = &v.namespace;
    let field = "spec.selector";
    let pods_read =
        v.backends.source != BackendSource::None || snap.pods_known || snap.has_pods_in(ns);
    if !v.backends.excluded.is_empty() {
        let names: Vec<String> = v
            .backends
            .excluded
            .iter()
            .map(|e| format!("{} ({})", e.pod, e.why))
            .collect();
        return Finding::new(
            Code::NoReadyEndpoints,
            v.located,
            field,
            format!("the pods `{sel}` matches are no endpoints: {}", names_list(&names)),
        )
        .hint("pods that finished or have no IP yet never receive traffic; see them with `kubectl get pods -l ...`");
    }
    if pods_read {
        let hint = snap.pod_selector_hint(ns, selector);
        return Finding::new(
            Code::SelectorMatchesNoPods,
            v.located,
            field,
            format!("selector `{sel}` matches no pods in namespace `{ns}`"),
        )
        .hint(match hint {
            Some(h) => format!(
                "{} {} `{}`; did you mean that? ({})",
                plural(h.matches, "pod", "pods"),
                if h.matches == 1 { "carries" } else { "carry" },
                format_selector(&h.selector),
                h.changes_text()
            ),
            None => {
                format!("compare with the pods' labels: `kubectl get pods -n {ns} --show-labels`")
            }
        });
    }
    // An operator creates pods from custom resources svcx does not read
    // (a Prometheus from `Prometheus` objects): with such objects in the
    // namespace, a near miss on the workloads read is no proof of a typo.
    let custom = snap.stats.operators_in(ns);
    match snap.workload_selector_hint(ns, selector) {
        Some(h) if custom.is_none() => Finding::new(
            Code::SelectorMatchesNoPods,
            v.located,
            field,
            format!("selector `{sel}` matches no pod template in namespace `{ns}`"),
        )
        .hint(format!(
            "{} {} `{}`; did you mean that? ({})",
            plural(h.matches, "workload", "workloads"),
            if h.matches == 1 { "carries" } else { "carry" },
            format_selector(&h.selector),
            h.changes_text()
        )),
        _ => match custom {
            Some(kinds) => Finding::new(
                Code::BackendsNotInInput,
                v.located,
                field,
                format!(
                    "no pod template in the input carries `{sel}`; its pods may be created from {} in namespace `{ns}`, which svcx does not read",
                    names_list(&kinds.iter().collect::<Vec<_>>())
                ),
            )
            .hint("an operator creates pods from these custom resources; check their pod labels, or run against a live cluster"),
            None => Finding::new(
                Code::BackendsNotInInput,
                v.located,
                field,
                format!(
                    "no pod or workload in the input carries `{sel}`; its pods may be created elsewhere"
                ),
            )
            .hint("include the workloads that create its pods, or run against a live cluster"),
        },
    }
}

/// The Service name an EndpointSlice of `namespace` is labelled with that is
/// nearest to `name` (a typo: `web-svc` for `web`), if one is near.
fn near_slice_label(snap: &Snapshot, namespace: &str, name: &str) -> Option<String> {
    snap.slice_service_names(namespace)
        .into_iter()
        .filter(|other| *other != name)
        .map(|other| (crate::model::lookup::edit_distance(name, other), other))
        .filter(|(d, other)| {
            *d <= 2
                || other.starts_with(&format!("{name}-"))
                || name.starts_with(&format!("{other}-"))
        })
        .min()
        .map(|(_, other)| other.to_string())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
