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
//! `foreign` (network plugins' own policy kinds, which make answers
//! "depends"), `service` (per Service: the sources of its paths and their answers),
//! `proxies` (a Gateway's and an Ingress controller's pods).

mod cidr;
mod cluster;
mod decision;
pub(crate) mod describe;
mod evaluate;
pub(crate) mod findings;
pub(crate) mod foreign;
mod index;
mod matching;
mod objects;
mod proxies;
mod service;
mod subject;
mod walk;

pub(crate) use cluster::{
    AdminNetworkPolicyObject, BaselineAdminNetworkPolicyObject, ClusterNetworkPolicyObject,
};
pub(crate) use decision::{Admission, Decision, tier_word};
pub(crate) use evaluate::Source;
pub(crate) use findings::{code_for, service_findings};
pub(crate) use index::Policies;
pub(crate) use objects::{ClusterPolicy, NetworkPolicy, Peer, Tier};
pub(crate) use proxies::{Placement, admitting_policy, cluster_ip_proxy_service, gateway_services};
pub(crate) use service::{
    PolicyId, PolicyRules, PortAdmissions, ServicePolicies, SourceAdmissions, SourceClass,
};
pub(crate) use subject::Member;
