//! What an admission question gets back: admitted, dropped or depends, the
//! policies (tier and rule) that decided, and why in plain words. Plain
//! data, serialised in explain's and trace's JSON.

use super::objects::{Direction, Tier};
use serde::Serialize;

/// Whether a source's traffic reaches the endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Admission {
    /// The policies let it in (from every source of the class, or from the
    /// sources `only` lists).
    Admitted,
    /// svcx cannot tell: the network plugin decides (source NAT, host
    /// network), or the input lacks what would decide.
    Depends,
    /// The policies drop it.
    Dropped,
}

impl Admission {
    /// The word printed for it.
    pub(crate) fn word(self) -> &'static str {
        match self {
            Admission::Admitted => "admitted",
            Admission::Depends => "depends",
            Admission::Dropped => "dropped",
        }
    }
}

/// What a policy did to the traffic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Effect {
    /// One of its rules lets the traffic in (or out).
    Admits,
    /// One of its rules drops it.
    Drops,
    /// One of its rules passes it to the next tier.
    Passes,
    /// It isolates the pod and none of its rules lets this traffic through.
    Isolates,
}

/// A policy that took part in a decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Decider {
    /// `NetworkPolicy`, `ClusterNetworkPolicy`, `AdminNetworkPolicy` or
    /// `BaselineAdminNetworkPolicy`.
    pub(crate) kind: &'static str,
    /// Empty for the cluster-wide kinds.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub(crate) namespace: String,
    pub(crate) name: String,
    pub(crate) tier: Tier,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) priority: Option<i32>,
    pub(crate) direction: Direction,
    /// The rule (position in `ingress` or `egress`) that decided; absent
    /// when the policy decided by isolating.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) rule: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) rule_name: Option<String>,
    pub(crate) effect: Effect,
}

impl Decider {
    /// `NetworkPolicy shop/allow-web ingress rule 1`, `ClusterNetworkPolicy
    /// deny-x (Admin tier, priority 10) ingress rule 0 `block``.
    pub(crate) fn label(&self) -> String {
        let object = if self.namespace.is_empty() {
            format!("{} {}", self.kind, self.name)
        } else {
            format!("{} {}/{}", self.kind, self.namespace, self.name)
        };
        let tier = match (self.tier, self.priority) {
            (Tier::NetworkPolicy, _) => String::new(),
            (t, Some(p)) => format!(" ({} tier, priority {p})", tier_word(t)),
            (t, None) => format!(" ({} tier)", tier_word(t)),
        };
        let dir = super::describe::direction_word(self.direction);
        let rule = match (self.rule, &self.rule_name) {
            (Some(r), Some(n)) => format!(" {dir} rule {r} `{n}`"),
            (Some(r), None) => format!(" {dir} rule {r}"),
            (None, _) => String::new(),
        };
        format!("{object}{tier}{rule}")
    }
}

/// `Admin`, `NetworkPolicy`, `Baseline`.
pub(crate) fn tier_word(t: Tier) -> &'static str {
    match t {
        Tier::Admin => "Admin",
        Tier::NetworkPolicy => "NetworkPolicy",
        Tier::Baseline => "Baseline",
    }
}

/// The answer to "does this source reach this endpoint on this port".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Decision {
    pub(crate) admission: Admission,
    /// When admitted from part of the source class only: those parts
    /// (`pods labelled app=web in namespace shop`). Empty: all of it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) only: Vec<String>,
    /// The policies that decided, in evaluation order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) by: Vec<Decider>,
    /// Why, in plain words.
    pub(crate) reason: String,
}

impl Decision {
    /// Admitted, with no policy involved.
    pub(crate) fn open(reason: impl Into<String>) -> Self {
        Decision {
            admission: Admission::Admitted,
            only: Vec::new(),
            by: Vec::new(),
            reason: reason.into(),
        }
    }

    /// svcx cannot tell, and why.
    pub(crate) fn depends(reason: impl Into<String>, by: Vec<Decider>) -> Self {
        Decision {
            admission: Admission::Depends,
            only: Vec::new(),
            by,
            reason: reason.into(),
        }
    }

    /// Whether some policy took part (anything else is plain "no policy
    /// selects it").
    pub(crate) fn involves_policies(&self) -> bool {
        !self.by.is_empty() || self.admission != Admission::Admitted || !self.only.is_empty()
    }

    /// Both directions of one connection: it needs the source's egress and
    /// the destination's ingress (the NetworkPolicy concept page: "both the
    /// egress policy on the source pod and the ingress policy on the
    /// destination pod need to allow the traffic").
    pub(crate) fn both(egress: Decision, ingress: Decision) -> Decision {
        if !egress.involves_policies() {
            return ingress;
        }
        let worst = egress.admission.max(ingress.admission);
        let mut by = egress.by.clone();
        by.extend(ingress.by.iter().cloned());
        let reason = match (egress.admission, ingress.admission) {
            (Admission::Dropped, _) => format!("its egress: {}", egress.reason),
            (_, Admission::Dropped) => ingress.reason.clone(),
            (Admission::Depends, _) => format!("its egress: {}", egress.reason),
            (_, Admission::Depends) => ingress.reason.clone(),
            _ => format!("{}; its egress: {}", ingress.reason, egress.reason),
        };
        Decision {
            admission: worst,
            only: if worst == Admission::Admitted {
                ingress.only
            } else {
                Vec::new()
            },
            by,
            reason,
        }
    }
}
