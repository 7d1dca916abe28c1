//! Whether a rule's peers and ports match one side of a connection: the
//! source of ingress traffic, the destination of egress traffic. A peer
//! matches all of a source class, part of it, none, or cannot be told.

use super::cidr::AddressSet;
use super::describe;
use super::evaluate::Traffic;
use super::index::Policies;
use super::objects::{Action, ClusterPeer, ClusterSelector, Peer, PortMatch, PortSpec};
use super::subject::Member;
use super::walk::Match;
use crate::model::slim::SlimContainer;

/// The side of a connection that a rule's peers describe.
#[derive(Clone, Debug)]
pub(super) enum Other<'a> {
    Pod {
        namespace: Option<&'a str>,
        member: Option<Member<'a>>,
        addresses: Option<Vec<&'a str>>,
    },
    Node {
        name: Option<&'a str>,
        addresses: Vec<&'a str>,
    },
    Client {
        set: AddressSet,
    },
    /// A source that is neither a pod nor an address, which no peer names
    /// (Cilium's reserved identity `ingress`, [`crate::model::cilium`]):
    /// only a rule without peers admits it.
    Identity,
}

/// The pod a direction's policies select.
#[derive(Clone, Copy)]
pub(super) struct Selected<'a> {
    pub(crate) namespace: &'a str,
    pub(crate) member: Option<Member<'a>>,
    pub(crate) host_network: bool,
}

impl Policies<'_> {
    /// Whether a NetworkPolicy peer (of a policy in `ns`) matches `other`.
    pub(super) fn np_peer(&self, peer: &Peer, ns: &str, other: &Other) -> Match {
        match (peer, other) {
            (_, Other::Identity) => Match::No,
            (Peer::IpBlock { set, cidr, except }, _) => {
                ip_match(set, &describe::ip_block(cidr, except), other)
            }
            (Peer::Pods { .. }, Other::Node { .. } | Other::Client { .. }) => Match::No,
            (
                Peer::Pods { namespaces, pods },
                Other::Pod {
                    namespace, member, ..
                },
            ) => {
                let in_ns = match (namespaces, namespace) {
                    (None, Some(n)) => Match::from(*n == ns),
                    (None, None) => Match::Part(vec![format!("pods in namespace {ns}")]),
                    (Some(sel), Some(n)) => match self.namespaces.selects(sel, n) {
                        Some(b) => Match::from(b),
                        None => Match::Unknown(format!(
                            "namespace {n}'s labels were not read, and a namespaceSelector asks about them"
                        )),
                    },
                    (Some(sel), None) if super::index::is_empty(sel) => Match::Yes,
                    (Some(sel), None) => {
                        Match::Part(vec![format!("pods in {}", describe::namespaces(sel))])
                    }
                };
                let pod = match (pods, member) {
                    (None, _) => Match::Yes,
                    (Some(sel), _) if super::index::is_empty(sel) => Match::Yes,
                    (Some(sel), Some(m)) => match m.selected_by(sel) {
                        Some(b) => Match::from(b),
                        None => Match::Unknown(format!(
                            "not every label of {} is known, and a podSelector asks about {}",
                            m.label(),
                            crate::model::selector::label_selector_text(sel)
                        )),
                    },
                    (Some(_), None) => Match::Part(Vec::new()),
                };
                match in_ns.and(pod) {
                    Match::Part(_) => Match::Part(vec![describe::peer(peer, ns)]),
                    m => m,
                }
            }
        }
    }

    /// Whether a cluster-wide rule's peer matches `other`. A peer svcx does
    /// not know fails closed: it matches nothing for Accept, everything for
    /// Deny and Pass (the peer types' docs).
    pub(super) fn cluster_peer(&self, peer: &ClusterPeer, action: Action, other: &Other) -> Match {
        match (peer, other) {
            (ClusterPeer::Unrecognized, _) => Match::from(action != Action::Accept),
            (_, Other::Identity) => Match::No,
            (ClusterPeer::Networks(cidrs, set), _) => ip_match(set, &cidrs.join(", "), other),
            (ClusterPeer::DomainNames(_), _) => Match::No,
            (ClusterPeer::Nodes(_), Other::Pod { .. }) => Match::No,
            (ClusterPeer::Nodes(_), _) => Match::No,
            (ClusterPeer::Select(_), Other::Node { .. } | Other::Client { .. }) => Match::No,
            (
                ClusterPeer::Select(sel),
                Other::Pod {
                    namespace, member, ..
                },
            ) => match namespace {
                Some(ns) => match (self.cluster_selects(sel, ns, member.as_ref()), member) {
                    (Some(b), _) => Match::from(b),
                    (None, Some(_)) => Match::Unknown(format!(
                        "the labels {} selects on were not read",
                        describe::cluster_peer(peer)
                    )),
                    (None, None) => Match::Part(vec![describe::cluster_peer(peer)]),
                },
                None => match sel {
                    ClusterSelector::Namespaces(n) if super::index::is_empty(n) => Match::Yes,
                    ClusterSelector::Pods { namespaces, pods }
                        if super::index::is_empty(namespaces) && super::index::is_empty(pods) =>
                    {
                        Match::Yes
                    }
                    _ => Match::Part(vec![describe::cluster_peer(peer)]),
                },
            },
        }
    }
}

pub(super) fn name_of(np: &super::objects::NetworkPolicy) -> &str {
    np.metadata.name.as_deref().unwrap_or_default()
}

/// Whether an address range matches `other`.
pub(super) fn ip_match(set: &AddressSet, text: &str, other: &Other) -> Match {
    match other {
        Other::Client { set: clients } if set.covers(clients) => Match::Yes,
        Other::Client { set: clients } if set.meets(clients) => {
            Match::Part(vec![format!("clients in {text}")])
        }
        Other::Client { .. } | Other::Identity => Match::No,
        Other::Node { addresses, .. } if addresses.is_empty() => {
            Match::Unknown("the nodes' addresses were not read".to_string())
        }
        Other::Node { addresses, .. } => Match::from(addresses.iter().any(|a| set.contains(a))),
        Other::Pod {
            addresses: Some(a), ..
        } if !a.is_empty() => Match::from(a.iter().any(|a| set.contains(a))),
        Other::Pod {
            member: Some(_), ..
        } => Match::Unknown(
            "pod addresses exist only in a cluster, and an ipBlock asks about them".to_string(),
        ),
        Other::Pod { .. } => Match::Part(vec![format!("pods whose address is in {text}")]),
    }
}

/// Whether a port match matches the traffic; named ports resolve on the
/// destination pod's containers (`containers`), per pod.
pub(super) fn port_match(
    pm: &PortMatch,
    t: &Traffic,
    containers: Option<&[SlimContainer]>,
) -> Match {
    if pm.protocol.as_deref().is_some_and(|p| p != t.protocol) {
        return Match::No;
    }
    match &pm.port {
        PortSpec::Any => Match::Yes,
        PortSpec::Number(n) => Match::from(*n == t.port),
        PortSpec::Range(a, b) => Match::from((*a..=*b).contains(&t.port)),
        PortSpec::Named(name) => match containers {
            Some(cs) => Match::from(cs.iter().flat_map(|c| &c.ports).any(|p| {
                p.name.as_deref() == Some(name.as_str())
                    && p.port == t.port
                    && p.protocol == t.protocol
            })),
            None if t.name == Some(name.as_str()) => Match::Yes,
            None => Match::Unknown(format!(
                "the port named `{name}` resolves on each pod, and this pod's spec was not read"
            )),
        },
    }
}
