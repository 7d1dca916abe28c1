//! Nodes as traffic sees them, read once per run: each node's name, its
//! readiness, its addresses per IP family and its zone. A Service's node
//! ports open on these addresses; `externalTrafficPolicy: Local` and
//! `internalTrafficPolicy: Local` are decided per node name.

use super::Snapshot;

use crate::model::slim::SlimObject;
use serde::Serialize;
use std::collections::HashMap;

/// An IP family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub(crate) enum Family {
    IPv4,
    IPv6,
}

impl Family {
    /// The family of an address, if it is an IP address.
    pub(crate) fn of(address: &str) -> Option<Family> {
        match address.parse::<std::net::IpAddr>().ok()? {
            std::net::IpAddr::V4(_) => Some(Family::IPv4),
            std::net::IpAddr::V6(_) => Some(Family::IPv6),
        }
    }

    /// Reads `spec.ipFamilies` entries (`IPv4`, `IPv6`).
    pub(crate) fn parse(s: &str) -> Option<Family> {
        match s {
            "IPv4" => Some(Family::IPv4),
            "IPv6" => Some(Family::IPv6),
            _ => None,
        }
    }

    /// The other family.
    pub(crate) fn other(self) -> Family {
        match self {
            Family::IPv4 => Family::IPv6,
            Family::IPv6 => Family::IPv4,
        }
    }

    /// `IPv4` or `IPv6`.
    pub(crate) fn word(self) -> &'static str {
        match self {
            Family::IPv4 => "IPv4",
            Family::IPv6 => "IPv6",
        }
    }
}

/// Which of a node's addresses a node port of these families opens on:
/// those of the families, in the order given.
pub(crate) fn in_families<'a>(
    addresses: impl IntoIterator<Item = &'a String>,
    families: &[Family],
) -> impl Iterator<Item = &'a str> {
    addresses
        .into_iter()
        .filter(|a| Family::of(a).is_some_and(|f| families.contains(&f)))
        .map(String::as_str)
}

/// One node.
#[derive(Clone, Debug)]
pub(crate) struct NodeFacts {
    pub(crate) name: String,
    /// `None` when the node reports no Ready condition.
    pub(crate) ready: Option<bool>,
    /// InternalIP addresses, in status order.
    pub(crate) internal: Vec<String>,
    /// ExternalIP addresses, in status order.
    pub(crate) external: Vec<String>,
}

impl NodeFacts {
    /// The address a node port of this family is reached at: the node's
    /// InternalIP of that family, else its ExternalIP of that family. kube-proxy
    /// opens node ports on the node's addresses of the Service's families only,
    /// so a single-stack IPv6 Service has no node port on an IPv4 address.
    pub(crate) fn address(&self, family: Family) -> Option<&str> {
        fn pick(list: &[String], family: Family) -> Option<&str> {
            list.iter()
                .find(|a| Family::of(a) == Some(family))
                .map(String::as_str)
        }
        pick(&self.internal, family).or_else(|| pick(&self.external, family))
    }
}

/// Every node of a snapshot, in name order, with a lookup by name.
#[derive(Debug, Default)]
pub(crate) struct NodeTable {
    /// Whether the source listed Nodes at all: when not, "no node" means
    /// "unknown", never "none".
    pub(crate) known: bool,
    pub(crate) nodes: Vec<NodeFacts>,
    by_name: HashMap<String, usize>,
    not_ready: usize,
    /// Whether some node has an IPv6 address (counted once: each Service's
    /// node port layer asks).
    any_ipv6: bool,
}

impl NodeTable {
    /// Reads every node once.
    pub(crate) fn build(snap: &Snapshot) -> NodeTable {
        let mut nodes: Vec<NodeFacts> = snap
            .nodes
            .iter()
            .map(|n| {
                let mut internal = Vec::new();
                let mut external = Vec::new();
                for (kind, addr) in n.object.addresses() {
                    match kind {
                        "InternalIP" => internal.push(addr.to_string()),
                        "ExternalIP" => external.push(addr.to_string()),
                        _ => {}
                    }
                }
                NodeFacts {
                    name: n.object.name_any(),
                    ready: n.object.ready(),
                    internal,
                    external,
                }
            })
            .collect();
        nodes.sort_by(|a, b| a.name.cmp(&b.name));
        let by_name = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.name.clone(), i))
            .collect();
        let not_ready = nodes.iter().filter(|n| n.ready == Some(false)).count();
        let any_ipv6 = nodes.iter().any(|n| n.address(Family::IPv6).is_some());
        NodeTable {
            any_ipv6,
            known: snap.nodes_known || !snap.nodes.is_empty(),
            nodes,
            by_name,
            not_ready,
        }
    }

    /// A node by name.
    pub(crate) fn get(&self, name: &str) -> Option<&NodeFacts> {
        self.by_name.get(name).map(|&i| &self.nodes[i])
    }

    /// Whether a node is known to be NotReady.
    pub(crate) fn is_not_ready(&self, name: &str) -> bool {
        self.get(name).is_some_and(|n| n.ready == Some(false))
    }

    /// NotReady nodes.
    pub(crate) fn not_ready(&self) -> impl Iterator<Item = &NodeFacts> {
        self.nodes.iter().filter(|n| n.ready == Some(false))
    }

    /// Whether some node is known to be NotReady.
    pub(crate) fn any_not_ready(&self) -> bool {
        self.not_ready > 0
    }

    /// Whether some node has an IPv6 address.
    pub(crate) fn any_ipv6(&self) -> bool {
        self.any_ipv6
    }
}
