//! SVC117: a network policy that selects no pod (raised by lint).

use crate::lint::Context;
use crate::rules::registry::{Check, declare_rule};
use crate::model::finding::Finding;

declare_rule! {
    /// ## What it does
    /// Flags a NetworkPolicy whose `podSelector` selects no pod of its
    /// namespace, and a ClusterNetworkPolicy (or AdminNetworkPolicy,
    /// BaselineAdminNetworkPolicy) whose subject selects no pod, where the
    /// input holds that namespace's pods (live, the demo) or pod templates.
    ///
    /// ## Why is this bad?
    /// A policy that selects nothing protects nothing: often its selector
    /// has a typo, or names a label the pods lost in a rewrite. The pods it
    /// was meant for stay open (or stay closed by another policy), and
    /// nothing in the cluster reports it.
    ///
    /// ## Example
    /// ```yaml
    /// kind: NetworkPolicy
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: order-api}   # the pods are labelled app=orders-api
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: NetworkPolicy
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: orders-api}
    /// ```
    ///
    /// ## How to fix
    /// Make the selector match the pods' labels (`kubectl get pods -n NS
    /// --show-labels`), or delete the policy if its pods are gone.
    ///
    /// ## Known limitations
    /// From manifests, a namespace whose pods are created by objects not in
    /// the input is not judged. Host-network pods are not in a cluster-wide
    /// policy's subject.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource
    /// - https://network-policy-api.sigs.k8s.io/api-overview/
    code: "SVC117",
    name: "policy-selects-no-pods",
    severity: Warning,
    summary: "a network policy's selector or subject selects no pod",
    migrate: false,
    check: Check::Run(check),
    raised_in: crate::model::policy::Policies::policies_selecting_nothing,
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    if let Some(p) = &cx.sem.policies {
        out.extend(p.policies_selecting_nothing());
    }
}
