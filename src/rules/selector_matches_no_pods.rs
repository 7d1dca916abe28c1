//! SVC101: the selector matches no pod (raised by the semantic model).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a Service whose selector matches no pod: live, no pod in its
    /// namespace carries all of the selector's labels; from manifests, no pod
    /// template does while a workload with nearly the same labels exists. The
    /// help names the nearest label set ("did you mean `app=web`?").
    ///
    /// ## Why is this bad?
    /// The EndpointSlice controller lists only the pods the selector matches.
    /// With none, the Service has no endpoints and every connection to it is
    /// refused or times out, while `kubectl get svc` shows nothing wrong.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   selector:
    ///     app: web-frontend   # the pods are labelled app=web
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   selector:
    ///     app: web
    /// ```
    ///
    /// ## How to fix
    /// Make every label of the selector match the pod template's labels
    /// (`kubectl get pods -n NS --show-labels`), or fix the pod template.
    /// A selector matches a pod only when *all* of its labels match.
    ///
    /// ## Known limitations
    /// From manifests, svcx judges only when the input holds a workload that
    /// could have matched; when nothing in the input comes close, it raises
    /// SVC102 (`backends-not-in-input`) instead, since the pods may be created
    /// by objects in another file or chart.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/service/#services-in-kubernetes
    /// - https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
    code: "SVC101",
    name: "selector-matches-no-pods",
    severity: Error,
    summary: "the Service's selector matches no pod, so it has no endpoints",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::view_findings::backends::empty_selector,
}
