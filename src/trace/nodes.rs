//! The node layer: every node listens on a Service's nodePort, and
//! `externalTrafficPolicy` decides which of them pass traffic on.
//!
//! Node facts come from the model's [`NodeTable`], read once per run. A
//! Service's node hops cost O(nodes with something to say) rather than
//! O(nodes): past [`LIST_LIMIT`] nodes, the ones that behave alike are folded
//! into one hop with a count and a few names.

use super::report::{Hop, HopId, HopKind, HopName, Members};
use super::verdict::Verdict;
use crate::model::finding::Code;
use crate::model::nodes::{Family, NodeFacts, NodeTable};
use crate::model::view::{NodeTraffic, ServiceView};
use std::collections::BTreeMap;

/// Up to this many nodes, each gets its own hop.
pub(crate) const LIST_LIMIT: usize = 16;
/// Names shown for a folded group of nodes.
const SAMPLE: usize = 10;

/// Where a trace enters the node layer.
pub(crate) struct NodeEntry<'a> {
    /// Only this node, at this address (the target was ADDRESS:NODEPORT).
    pub(crate) only: Option<(&'a str, &'a str)>,
    /// The IP family whose node addresses are shown.
    pub(crate) family: Family,
}

/// The node hops of Service port `port`.
pub(crate) fn node_hops(
    table: &NodeTable,
    v: &ServiceView,
    port: usize,
    entry: &NodeEntry,
) -> Vec<Hop> {
    let node_port = v
        .node_ports
        .as_ref()
        .and_then(|np| np.of_port(port))
        .flatten();
    let has_lb = v.load_balancer.is_some();
    // Under Local with no healthy node at all, every node drops traffic: broken.
    let none_healthy = v
        .findings_for_port(Some(port))
        .any(|f| f.code == Code::NoNodeWithLocalEndpoint);
    if !table.known {
        let mut hop = Hop::new(
            HopId::AllNodes,
            HopKind::Node,
            Verdict::Ok,
            match node_port {
                Some(p) => format!("every node listens on {p}; there are no Nodes in the input, so they cannot be listed"),
                None => "every node will listen on the nodePort the API server assigns when the Service is created \
                         (30000-32767 by default; a cluster may configure another range)"
                    .to_string(),
            },
        )
        .name(HopName::EveryNode)
        .at(None, node_port);
        if v.external_local {
            hop = hop.note("externalTrafficPolicy Local: only nodes running a ready endpoint of this Service pass traffic on");
        }
        if none_healthy {
            hop = hop.with_findings(
                v.findings_for_port(Some(port))
                    .filter(|f| f.code == Code::NoNodeWithLocalEndpoint),
            );
        }
        return vec![hop];
    }
    let one = |n: &NodeFacts, address: Option<&str>| {
        node_hop(
            n,
            v,
            port,
            node_port,
            has_lb,
            none_healthy,
            address,
            entry.family,
        )
    };
    if let Some((name, address)) = entry.only {
        return table
            .get(name)
            .map(|n| one(n, Some(address)))
            .into_iter()
            .collect();
    }
    if table.nodes.len() <= LIST_LIMIT {
        return table.nodes.iter().map(|n| one(n, None)).collect();
    }
    // Many nodes: list the ones with something to say (NotReady ones, and
    // under Local the ones with a local endpoint), fold the rest.
    let mut listed: BTreeMap<&str, &NodeFacts> = BTreeMap::new();
    for n in table.not_ready() {
        listed.insert(&n.name, n);
    }
    if v.external_local
        && let Some(pe) = v.port_endpoints(port)
    {
        for name in pe.local.keys() {
            if let Some(n) = table.get(name) {
                listed.insert(&n.name, n);
            }
        }
    }
    let mut hops: Vec<Hop> = listed.values().map(|n| one(n, None)).collect();
    let rest: Vec<&NodeFacts> = table
        .nodes
        .iter()
        .filter(|n| n.ready != Some(false) && !listed.contains_key(n.name.as_str()))
        .collect();
    if let Some(first) = rest.first() {
        let like = one(first, None);
        let mut hop = Hop::new(HopId::OtherNodes, HopKind::Node, like.verdict, like.reason)
            .name(HopName::OtherNodes(rest.len()))
            .at(None, node_port);
        hop.findings = like.findings;
        hop.members = Some(Members {
            count: rest.len(),
            names: rest.iter().take(SAMPLE).map(|n| n.name.clone()).collect(),
        });
        hops.push(hop);
    }
    hops
}

#[allow(clippy::too_many_arguments)]
fn node_hop(
    n: &NodeFacts,
    v: &ServiceView,
    port: usize,
    node_port: Option<i32>,
    has_lb: bool,
    none_healthy: bool,
    address: Option<&str>,
    family: Family,
) -> Hop {
    let hc = v.spec.health_check_node_port;
    let (verdict, reason) = match v.node_traffic(port, &n.name) {
        NodeTraffic::Forwards => (
            Verdict::Ok,
            "forwards to any ready endpoint, maybe on another node (an extra hop; SNAT hides the client IP)".to_string(),
        ),
        NodeTraffic::Local(k) => (
            Verdict::Ok,
            format!(
                "{k} ready endpoint{} on this node: traffic stays here and the client IP is kept",
                if k == 1 { "" } else { "s" }
            ),
        ),
        NodeTraffic::LocalTerminating(k) => (
            Verdict::Warn,
            format!(
                "only {k} terminating endpoint{} here: {}traffic sent to this node still reaches {} until {} exit{}",
                if k == 1 { "" } else { "s" },
                match (hc, has_lb) {
                    (Some(h), true) => format!("the node fails the health check on port {h}, but "),
                    _ => String::new(),
                },
                if k == 1 { "it" } else { "them" },
                if k == 1 { "it" } else { "they" },
                if k == 1 { "s" } else { "" },
            ),
        ),
        NodeTraffic::Drops => (
            if none_healthy { Verdict::Broken } else { Verdict::Warn },
            match (hc, has_lb) {
                (Some(h), true) => format!(
                    "no ready endpoint on this node: it fails the load balancer's health check on port {h} and gets no \
                     traffic from it; connections sent to it directly are dropped"
                ),
                _ => "no ready endpoint on this node: with externalTrafficPolicy Local it drops external traffic \
                      instead of forwarding it"
                    .to_string(),
            },
        ),
        NodeTraffic::Unknown => (
            Verdict::Ok,
            "externalTrafficPolicy Local: passes traffic only if a ready endpoint of this Service runs here; \
             which nodes have one is known only in a cluster"
                .to_string(),
        ),
    };
    // A Service of both families opens its node port on the node's
    // addresses of either: a node without one of the family traced is
    // still a way in over the other.
    let other = v
        .families
        .iter()
        .filter(|f| **f != family)
        .find_map(|f| n.address(*f).map(|a| (*f, a)));
    let addr = address
        .map(str::to_string)
        .or_else(|| n.address(family).map(str::to_string))
        .or_else(|| other.map(|(_, a)| a.to_string()));
    let mut hop = Hop::new(HopId::Node(n.name.clone()), HopKind::Node, verdict, reason)
        .name(&n.name)
        .at(addr.clone(), node_port);
    if matches!(v.node_traffic(port, &n.name), NodeTraffic::Drops) {
        // The finding that says why this node has no local endpoint: none
        // healthy anywhere, this node among those without, or no ready
        // endpoint at all.
        let why = [
            Code::NoNodeWithLocalEndpoint,
            Code::NodesWithoutLocalEndpoint,
            Code::NoReadyEndpoints,
        ]
        .into_iter()
        .find(|c| v.findings_for_port(Some(port)).any(|f| f.code == *c));
        hop.findings.extend(why);
    }
    if n.ready == Some(false) {
        hop.verdict = hop.verdict.max(Verdict::Warn);
        hop.notes.insert(0, hop.reason.clone());
        hop.reason = if has_lb {
            "node is NotReady: kube-proxy there may be stale or down; the load balancer keeps the node and its health \
             check decides (KEP-3458)"
                .to_string()
        } else {
            "node is NotReady: kube-proxy there may be stale or down".to_string()
        };
        hop.hint = Some(format!("see why with `kubectl describe node {}`", n.name));
    }
    if address.is_none()
        && n.address(family).is_none()
        && let Some((f, _)) = other
    {
        hop = hop.note(format!(
            "the node reports no {} address: it is reached over {}",
            family.word(),
            f.word()
        ));
    }
    if addr.is_none() {
        // No address of the family traced: clients cannot reach its node
        // port over that family, so it is no way in for it.
        hop.notes.insert(0, std::mem::take(&mut hop.reason));
        hop.reason = format!(
            "the node reports no {} InternalIP or ExternalIP: it is no way in over {}",
            family.word(),
            family.word()
        );
        hop.verdict = hop.verdict.max(Verdict::Warn);
    }
    hop
}
