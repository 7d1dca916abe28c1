//! Network policy admission: which NetworkPolicies and cluster-wide
//! policies (ClusterNetworkPolicy, and the AdminNetworkPolicy and
//! BaselineAdminNetworkPolicy it replaced) select a Service's endpoints, and
//! whether each source a path brings reaches each endpoint on its pod port.
//!
//! Built once per run ([`Policies::build`], through
//! [`Semantics`](super::view::Semantics)); [`Policies::admits`] is the one
//! function explain, trace, lint and migrate ask. Modules: `objects` (what
//! is read of each kind), `cidr` (address ranges), `index` (who selects
//! whom), `subject` (pods, templates and described pods), `evaluate` (the
//! tiers), `walk` (rules in precedence order over a source class),
//! `matching` (peers and ports), `decision` (the answer), `describe`
//! (policies in words), `findings`, `cluster` (the cluster-wide kinds' wire
//! shapes),
//! `service` (per Service: the sources of its paths and their answers),
//! `proxies` (a Gateway's and an Ingress controller's pods).

mod cidr;
mod cluster;
mod decision;
pub mod describe;
mod evaluate;
pub(crate) mod findings;
mod index;
mod matching;
mod objects;
mod proxies;
mod service;
mod subject;
mod walk;

pub use cidr::{AddressSet, Cidr};
pub use cluster::{
    AdminNetworkPolicyObject, BaselineAdminNetworkPolicyObject, ClusterNetworkPolicyObject,
};
pub use decision::{Admission, Decider, Decision, Effect, tier_word};
pub use evaluate::{Destination, Source, Traffic};
pub use findings::{code_for, service_findings};
pub use index::Policies;
pub use objects::{
    Action, ClusterKind, ClusterPeer, ClusterPolicy, ClusterRule, ClusterSelector, Direction,
    NetworkPolicy, NetworkPolicyRule, Peer, PortMatch, PortSpec, Tier,
};
pub use proxies::{admitting_policy, gateway_labels, gateway_proxies};
pub use service::{
    Answer, PolicyId, PolicyRules, PortAdmissions, SelectingPolicy, ServicePolicies,
    SourceAdmissions, SourceClass,
};
pub use subject::Member;
