//! Network plugins' own policy kinds, which svcx reads only to know they
//! are there: each can admit what a NetworkPolicy drops and drop what it
//! admits, so where one may select a pod, svcx's answer for that pod is
//! "depends", never what the NetworkPolicies alone say.
//!
//! - Cilium: a CiliumNetworkPolicy selects endpoints of its namespace, a
//!   CiliumClusterwideNetworkPolicy any endpoint; their allow rules add to
//!   the NetworkPolicies' and their deny rules take precedence
//!   (docs.cilium.io, security/policy/language, "Deny Policies"; the
//!   official example examples/kubernetes/servicemesh/policy/default-deny.yaml
//!   is a clusterwide one that denies ingress to every namespace but
//!   kube-system).
//! - Calico: NetworkPolicy and GlobalNetworkPolicy of `projectcalico.org`
//!   (and their CRDs in `crd.projectcalico.org`), ordered with Kubernetes'
//!   own in tiers, with Allow, Deny and Pass actions (docs.tigera.io,
//!   calico/latest/reference/resources/networkpolicy and
//!   globalnetworkpolicy).
//! - Antrea: NetworkPolicy and ClusterNetworkPolicy of `crd.antrea.io`,
//!   ordered with Kubernetes' own by tier and priority, with Allow, Drop,
//!   Reject and Pass (antrea.io/docs, antrea-network-policy).
//!
//! Staged policies (Calico's StagedNetworkPolicy and the like) enforce
//! nothing and are not listed.

/// One policy kind of a network plugin.
struct Kind {
    group: &'static str,
    kind: &'static str,
    /// Whether it selects pods of every namespace (else of its own).
    cluster_wide: bool,
    plugin: &'static str,
}

const KINDS: &[Kind] = &[
    Kind {
        group: "cilium.io",
        kind: "CiliumNetworkPolicy",
        cluster_wide: false,
        plugin: "Cilium",
    },
    Kind {
        group: "cilium.io",
        kind: "CiliumClusterwideNetworkPolicy",
        cluster_wide: true,
        plugin: "Cilium",
    },
    Kind {
        group: "projectcalico.org",
        kind: "NetworkPolicy",
        cluster_wide: false,
        plugin: "Calico",
    },
    Kind {
        group: "projectcalico.org",
        kind: "GlobalNetworkPolicy",
        cluster_wide: true,
        plugin: "Calico",
    },
    Kind {
        group: "crd.projectcalico.org",
        kind: "NetworkPolicy",
        cluster_wide: false,
        plugin: "Calico",
    },
    Kind {
        group: "crd.projectcalico.org",
        kind: "GlobalNetworkPolicy",
        cluster_wide: true,
        plugin: "Calico",
    },
    Kind {
        group: "crd.antrea.io",
        kind: "NetworkPolicy",
        cluster_wide: false,
        plugin: "Antrea",
    },
    Kind {
        group: "crd.antrea.io",
        kind: "ClusterNetworkPolicy",
        cluster_wide: true,
        plugin: "Antrea",
    },
];

fn kind(group: &str, kind: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.group == group && k.kind == kind)
}

/// Whether objects of `group`/`kind` are a network plugin's cluster-wide
/// policies (they carry no namespace).
pub(crate) fn is_cluster_wide(group: &str, kind_name: &str) -> bool {
    kind(group, kind_name).is_some_and(|k| k.cluster_wide)
}

/// A network plugin's policy in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ForeignPolicy {
    /// `CiliumNetworkPolicy`.
    pub(crate) kind: &'static str,
    /// `Cilium`.
    pub(crate) plugin: &'static str,
    /// Its namespace; `None` for a cluster-wide one.
    pub(crate) namespace: Option<String>,
    pub(crate) name: String,
}

impl ForeignPolicy {
    /// The policy, when `group`/`kind` is a network plugin's policy kind.
    pub(crate) fn of(group: &str, kind_name: &str, namespace: &str, name: &str) -> Option<Self> {
        let k = kind(group, kind_name)?;
        Some(ForeignPolicy {
            kind: k.kind,
            plugin: k.plugin,
            namespace: (!k.cluster_wide).then(|| namespace.to_string()),
            name: name.to_string(),
        })
    }

    /// Whether it may select pods of `namespace`.
    pub(crate) fn may_select(&self, namespace: &str) -> bool {
        self.namespace.as_deref().is_none_or(|n| n == namespace)
    }

    /// `CiliumClusterwideNetworkPolicy default-deny`, `CiliumNetworkPolicy
    /// shop/allow-web`.
    pub(crate) fn label(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{} {ns}/{}", self.kind, self.name),
            None => format!("{} {}", self.kind, self.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_plugins_policy_kinds_are_foreign_policies() {
        let cnp = ForeignPolicy::of("cilium.io", "CiliumNetworkPolicy", "shop", "web").unwrap();
        assert!(cnp.may_select("shop"));
        assert!(!cnp.may_select("other"));
        let ccnp =
            ForeignPolicy::of("cilium.io", "CiliumClusterwideNetworkPolicy", "", "deny").unwrap();
        assert!(ccnp.may_select("any"));
        assert_eq!(ccnp.label(), "CiliumClusterwideNetworkPolicy deny");
        assert!(is_cluster_wide("projectcalico.org", "GlobalNetworkPolicy"));
        assert!(!is_cluster_wide("crd.antrea.io", "NetworkPolicy"));
        // Kubernetes' own NetworkPolicy, and a CRD of a plugin that is not
        // a policy, are not.
        assert!(ForeignPolicy::of("networking.k8s.io", "NetworkPolicy", "a", "b").is_none());
        assert!(ForeignPolicy::of("cilium.io", "CiliumEnvoyConfig", "a", "b").is_none());
    }
}
