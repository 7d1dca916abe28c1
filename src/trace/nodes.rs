//! The node layer: every node listens on a Service's nodePort, and
//! `externalTrafficPolicy` decides which of them pass traffic on.
//!
//! Node facts (address, readiness) are read once per run into a [`NodeTable`].
//! A Service's node hops then cost O(nodes with something to say) rather than
//! O(nodes): past [`LIST_LIMIT`] nodes, the ones that behave alike are folded
//! into one hop with a count and a few names.

use super::report::{Hop, HopKind, Members};
use super::verdict::Verdict;
use crate::model::Snapshot;
use crate::model::status::node_addresses;
use kube::ResourceExt;
use std::collections::{BTreeMap, HashMap};

/// Up to this many nodes, each gets its own hop.
pub const LIST_LIMIT: usize = 16;
/// Names shown for a folded group of nodes.
const SAMPLE: usize = 10;

/// One node, as the trace needs it.
#[derive(Clone, Debug)]
pub struct NodeFacts {
    pub name: String,
    /// The address a client outside would use: ExternalIP, else InternalIP.
    pub address: Option<String>,
    /// `None` when the node reports no Ready condition.
    pub ready: Option<bool>,
}

/// Every node, read once per run.
#[derive(Debug, Default)]
pub struct NodeTable {
    /// Whether the source listed Nodes at all.
    pub known: bool,
    /// In name order.
    pub nodes: Vec<NodeFacts>,
    by_name: HashMap<String, usize>,
    /// Positions of nodes whose Ready condition is False.
    not_ready: Vec<usize>,
}

impl NodeTable {
    /// Reads every node of a snapshot, in name order.
    pub fn build(snap: &Snapshot) -> NodeTable {
        let mut nodes: Vec<NodeFacts> = snap
            .nodes
            .iter()
            .map(|n| NodeFacts {
                name: n.object.name_any(),
                address: node_addresses(&n.object).into_iter().next().map(|(_, a)| a),
                ready: n.object.ready(),
            })
            .collect();
        nodes.sort_by(|a, b| a.name.cmp(&b.name));
        let by_name = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.name.clone(), i))
            .collect();
        let not_ready = nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.ready == Some(false))
            .map(|(i, _)| i)
            .collect();
        NodeTable {
            known: snap.nodes_known || !snap.nodes.is_empty(),
            nodes,
            by_name,
            not_ready,
        }
    }

    /// A node by name.
    pub fn get(&self, name: &str) -> Option<&NodeFacts> {
        self.by_name.get(name).map(|&i| &self.nodes[i])
    }

    /// Whether a node is known to be NotReady.
    pub fn is_not_ready(&self, name: &str) -> bool {
        self.get(name).is_some_and(|n| n.ready == Some(false))
    }

    /// Names of NotReady nodes.
    pub fn not_ready_names(&self) -> impl Iterator<Item = &str> {
        self.not_ready.iter().map(|&i| self.nodes[i].name.as_str())
    }

    fn ready_count(&self) -> usize {
        self.nodes.len() - self.not_ready.len()
    }
}

/// How the Service sends external traffic to the node layer.
pub struct NodeLayer<'a> {
    pub node_port: Option<i32>,
    /// `externalTrafficPolicy: Local`.
    pub local: bool,
    pub health_check_node_port: Option<i32>,
    /// Ready endpoints per node name; `None` when it cannot be known (pod
    /// templates, or endpoints without node names).
    pub local_ready: Option<&'a BTreeMap<String, usize>>,
    /// Only this node (the target was NODE:NODEPORT).
    pub only: Option<&'a str>,
}

/// The node hops of one Service port.
pub fn node_hops(table: &NodeTable, layer: &NodeLayer, id_prefix: &str) -> Vec<Hop> {
    let port = layer.node_port;
    if !table.known {
        let mut hop = Hop::new(
            format!("{id_prefix}all"),
            HopKind::Node,
            Verdict::Ok,
            match port {
                Some(p) => format!("every node listens on {p}; there are no Nodes in the input, so they cannot be listed"),
                None => "every node will listen on the nodePort the API server assigns when the Service is created \
                         (30000-32767 by default; a cluster may configure another range)"
                    .to_string(),
            },
        )
        .name("every node")
        .at(None, port);
        if layer.local {
            hop = hop.note("externalTrafficPolicy Local: only nodes running a ready endpoint of this Service pass traffic on");
        }
        return vec![hop];
    }
    let one = |n: &NodeFacts| node_hop(n, layer, format!("{id_prefix}{}", n.name), table);
    if let Some(only) = layer.only {
        return table.get(only).map(one).into_iter().collect();
    }
    if table.nodes.len() <= LIST_LIMIT {
        return table.nodes.iter().map(one).collect();
    }
    // Many nodes: list the ones with something to say (NotReady ones, and
    // under Local the ones with a local endpoint), fold the rest.
    let mut listed: BTreeMap<&str, &NodeFacts> = BTreeMap::new();
    for name in table.not_ready_names() {
        if let Some(n) = table.get(name) {
            listed.insert(&n.name, n);
        }
    }
    if layer.local {
        for name in layer.local_ready.into_iter().flat_map(|m| m.keys()) {
            if let Some(n) = table.get(name) {
                listed.insert(&n.name, n);
            }
        }
    }
    let mut hops: Vec<Hop> = listed.values().map(|n| one(n)).collect();
    let rest = table.ready_count() - listed.values().filter(|n| n.ready != Some(false)).count();
    if rest > 0 {
        let names: Vec<String> = table
            .nodes
            .iter()
            .filter(|n| n.ready != Some(false) && !listed.contains_key(n.name.as_str()))
            .take(SAMPLE)
            .map(|n| n.name.clone())
            .collect();
        let (verdict, reason) = if layer.local && layer.local_ready.is_some() {
            (Verdict::Warn, no_local_endpoint_reason(layer))
        } else {
            (Verdict::Ok, forward_reason(layer))
        };
        let mut hop = Hop::new(format!("{id_prefix}others"), HopKind::Node, verdict, reason)
            .name(format!("{rest} other nodes"))
            .at(None, port);
        hop.members = Some(Members { count: rest, names });
        hops.push(hop);
    }
    hops
}

fn forward_reason(layer: &NodeLayer) -> String {
    if layer.local {
        "externalTrafficPolicy Local: passes traffic only if a ready endpoint of this Service runs here; \
         which nodes have one is known only in a cluster"
            .to_string()
    } else {
        "forwards to any ready endpoint, maybe on another node (an extra hop; SNAT hides the client IP)".to_string()
    }
}

fn no_local_endpoint_reason(layer: &NodeLayer) -> String {
    match layer.health_check_node_port {
        Some(h) => format!(
            "no ready endpoint on this node: it fails the load balancer's health check on port {h} and gets no \
             external traffic; connections sent to it directly are dropped"
        ),
        None => "no ready endpoint on this node: with externalTrafficPolicy Local it drops external traffic \
                 instead of forwarding it"
            .to_string(),
    }
}

fn node_hop(n: &NodeFacts, layer: &NodeLayer, id: String, table: &NodeTable) -> Hop {
    let local = layer
        .local_ready
        .map(|m| m.get(&n.name).copied().unwrap_or(0));
    let all_not_ready = table.ready_count() == 0;
    let (verdict, reason, hint) = if n.ready == Some(false) {
        (
            if all_not_ready { Verdict::Broken } else { Verdict::Warn },
            "node is NotReady: kube-proxy there may be stale or down, and load balancers take it out of rotation"
                .to_string(),
            Some(format!("see why with `kubectl describe node {}`", n.name)),
        )
    } else if layer.local {
        match local {
            Some(0) => (Verdict::Warn, no_local_endpoint_reason(layer), None),
            Some(k) => (
                Verdict::Ok,
                format!(
                    "{k} ready endpoint{} on this node: traffic stays here and the client IP is kept",
                    if k == 1 { "" } else { "s" }
                ),
                None,
            ),
            None => (Verdict::Ok, forward_reason(layer), None),
        }
    } else {
        (Verdict::Ok, forward_reason(layer), None)
    };
    let mut hop = Hop::new(id, HopKind::Node, verdict, reason)
        .name(&n.name)
        .at(n.address.clone(), layer.node_port);
    hop.hint = hint;
    if n.address.is_none() {
        hop = hop.note("the node reports no InternalIP or ExternalIP");
    }
    hop
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(n: usize, not_ready: &[usize]) -> NodeTable {
        let nodes: Vec<NodeFacts> = (0..n)
            .map(|i| NodeFacts {
                name: format!("node-{i:03}"),
                address: Some(format!("10.0.{}.{}", i / 250, i % 250)),
                ready: Some(!not_ready.contains(&i)),
            })
            .collect();
        let by_name = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.name.clone(), i))
            .collect();
        NodeTable {
            known: true,
            nodes,
            by_name,
            not_ready: not_ready.to_vec(),
        }
    }

    #[test]
    fn many_nodes_fold_into_one_hop() {
        let t = table(100, &[7]);
        let local: BTreeMap<String, usize> = [("node-003".to_string(), 2)].into();
        let layer = NodeLayer {
            node_port: Some(30080),
            local: true,
            health_check_node_port: Some(32000),
            local_ready: Some(&local),
            only: None,
        };
        let hops = node_hops(&t, &layer, "n:");
        assert_eq!(hops.len(), 3);
        assert_eq!(hops[0].name.as_deref(), Some("node-003"));
        assert_eq!(hops[0].verdict, Verdict::Ok);
        assert_eq!(hops[1].name.as_deref(), Some("node-007"));
        assert_eq!(hops[1].verdict, Verdict::Warn);
        let rest = &hops[2];
        assert_eq!(rest.verdict, Verdict::Warn);
        assert_eq!(rest.members.as_ref().map(|m| m.count), Some(98));
        assert_eq!(rest.members.as_ref().map(|m| m.names.len()), Some(10));
    }

    #[test]
    fn all_nodes_not_ready_is_broken() {
        let t = table(2, &[0, 1]);
        let layer = NodeLayer {
            node_port: Some(30080),
            local: false,
            health_check_node_port: None,
            local_ready: None,
            only: None,
        };
        assert!(
            node_hops(&t, &layer, "")
                .iter()
                .all(|h| h.verdict == Verdict::Broken)
        );
    }
}
