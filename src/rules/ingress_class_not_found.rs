//! SVC513: an Ingress names an IngressClass that does not exist, or none while no class is the default (raised by the semantic model's route resolution,
//! `model::routes`).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags an Ingress whose `spec.ingressClassName` (or
    /// `kubernetes.io/ingress.class` annotation) names a class that was not
    /// found where IngressClasses were listed, or that names none when no
    /// IngressClass is the default.
    ///
    /// ## Why is this bad?
    /// No controller claims the Ingress: it is never served.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Ingress
    /// spec:
    ///   ingressClassName: ngnix
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Ingress
    /// spec:
    ///   ingressClassName: nginx
    /// ```
    ///
    /// ## How to fix
    /// Name an installed IngressClass (`kubectl get ingressclass`), or mark one
    /// as the default.
    ///
    /// ## Known limitations
    /// From manifests, IngressClasses are usually installed by another chart;
    /// judged only where they were listed.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class
    code: "SVC513",
    name: "ingress-class-not-found",
    severity: Warning,
    summary: "an Ingress names an IngressClass that does not exist, or none while no class is the default",
    migrate: false,
    check: Check::Model,
    raised_in: crate::model::routes::ingress::read,
}
