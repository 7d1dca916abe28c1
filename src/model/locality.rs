//! Which endpoints receive a Service port's traffic on one node under a
//! Local traffic policy, decided once, per port: the node's ready local
//! endpoints, else its serving-and-terminating local ones (KEP-1669), else
//! none. kube-proxy builds this local set per Service port, the same way for
//! `externalTrafficPolicy` and `internalTrafficPolicy` (kubernetes/kubernetes
//! pkg/proxy/topology.go, `CategorizeEndpoints`); the health check on
//! `healthCheckNodePort` counts a node's ready local endpoints of the whole
//! Service, whatever their port (pkg/proxy/endpointschangetracker.go,
//! `LocalReadyEndpoints`). The view's
//! findings, explain's nodes and trace's node hops all read these functions.

use super::endpoints::LocalCounts;
use super::nodes::NodeTable;
use super::view::ServiceView;

/// Which local endpoints of one Service port receive traffic on one node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LocalReceivers {
    /// Its ready local endpoints (this many).
    Ready(usize),
    /// No local endpoint is ready: the serving-and-terminating ones (this many).
    TerminatingFallback(usize),
    /// No local endpoint receives: traffic is dropped.
    Nobody,
    /// Which nodes hold endpoints is unknown (pod templates).
    Unknown,
}

/// How a node treats external traffic on one Service port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NodeTraffic {
    /// externalTrafficPolicy Cluster: forwards to any endpoint (SNAT).
    Forwards,
    /// Local, with ready local endpoints: passes the health check, keeps the client IP.
    Local(usize),
    /// Local, only serving-terminating local endpoints: fails the health
    /// check, but traffic sent to it directly still reaches them (KEP-1669).
    LocalTerminating(usize),
    /// Local, no local endpoint: fails the health check and drops traffic.
    Drops,
    /// Local, but which nodes hold endpoints is unknown (pod templates).
    Unknown,
}

impl ServiceView<'_> {
    /// Which local endpoints of Service port `port` receive traffic on node
    /// `node`, whatever the policy (the answer when it is Local).
    pub(crate) fn local_receivers(&self, port: usize, node: &str) -> LocalReceivers {
        self.receivers_at(port, Some(node))
    }

    /// [`Self::local_receivers`] on node `node`, or (`None`) on any node
    /// that holds no endpoint of this Service: every such node gets the same
    /// answer, so it is computed once rather than per node.
    fn receivers_at(&self, port: usize, node: Option<&str>) -> LocalReceivers {
        let Some(pe) = self.port_endpoints(port) else {
            return LocalReceivers::Nobody;
        };
        if !pe.local_known {
            return LocalReceivers::Unknown;
        }
        match node
            .and_then(|n| pe.local.get(n))
            .copied()
            .unwrap_or_default()
        {
            LocalCounts { ready, .. } if ready > 0 => LocalReceivers::Ready(ready),
            LocalCounts {
                serving_terminating,
                ..
            } if serving_terminating > 0 => {
                LocalReceivers::TerminatingFallback(serving_terminating)
            }
            _ => LocalReceivers::Nobody,
        }
    }

    /// How node `node` treats external traffic for Service port `port`.
    pub(crate) fn node_traffic(&self, port: usize, node: &str) -> NodeTraffic {
        self.traffic_at(port, Some(node))
    }

    fn traffic_at(&self, port: usize, node: Option<&str>) -> NodeTraffic {
        if !self.external_local {
            return NodeTraffic::Forwards;
        }
        match self.receivers_at(port, node) {
            LocalReceivers::Ready(k) => NodeTraffic::Local(k),
            LocalReceivers::TerminatingFallback(k) => NodeTraffic::LocalTerminating(k),
            LocalReceivers::Nobody => NodeTraffic::Drops,
            LocalReceivers::Unknown => NodeTraffic::Unknown,
        }
    }

    /// Whether a load balancer sends node `node` external traffic: always
    /// under Cluster; under Local, when the node passes the health check on
    /// `healthCheckNodePort`, which kube-proxy answers per Service, not per
    /// port (a ready local endpoint of any port), or when which nodes do is
    /// unknown. Node readiness does not decide it: load balancers follow
    /// their health checks (KEP-3458).
    pub(crate) fn passes_health_check(&self, node: &str) -> bool {
        self.health_check_at(Some(node))
    }

    fn health_check_at(&self, node: Option<&str>) -> bool {
        !self.external_local
            || (0..self.ports().len()).any(|p| {
                matches!(
                    self.receivers_at(p, node),
                    LocalReceivers::Ready(_) | LocalReceivers::Unknown
                )
            })
    }

    /// Whether node `node` accepts external traffic on every port of the
    /// node port layer (explain's per-node answer): it passes the health
    /// check, and on each port some local endpoint receives (under Local;
    /// under Cluster it forwards). A node that passes on one port's
    /// endpoints but has none of another drops that port's traffic.
    pub(crate) fn accepts_external(&self, node: &str) -> bool {
        self.accepts_at(Some(node))
    }

    /// Whether a node that holds no endpoint of this Service accepts
    /// external traffic: the answer for every node outside
    /// [`Self::nodes_with_local_endpoints`] (true under Cluster, or when
    /// which nodes hold endpoints is unknown).
    pub(crate) fn accepts_external_elsewhere(&self) -> bool {
        self.accepts_at(None)
    }

    fn accepts_at(&self, node: Option<&str>) -> bool {
        let ports = self.node_ports.as_ref().map(|np| np.ports.as_slice());
        self.health_check_at(node)
            && ports
                .unwrap_or_default()
                .iter()
                .all(|(i, _)| self.traffic_at(*i, node) != NodeTraffic::Drops)
    }

    /// The nodes (by name, in name order) that hold an endpoint of some
    /// port of this Service: the only nodes whose answers can differ from
    /// [`Self::accepts_external_elsewhere`]'s. Read from the endpoints, so
    /// the cost grows with them, not with the nodes of the cluster.
    pub(crate) fn nodes_with_local_endpoints(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .backends
            .ports
            .iter()
            .flat_map(|pe| pe.local.keys().map(String::as_str))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Nodes (by name) that pass the health check for port `port` under
    /// externalTrafficPolicy Local: nodes with a ready local endpoint. With
    /// Nodes read, only nodes that exist count; without, the endpoints' node
    /// names stand for them. `None` when locality is unknown.
    pub(crate) fn healthy_nodes(&self, nodes: &NodeTable, port: usize) -> Option<Vec<&str>> {
        let pe = self.port_endpoints(port)?;
        if !pe.local_known {
            return None;
        }
        Some(
            pe.local
                .iter()
                .filter(|(n, c)| c.ready > 0 && (!nodes.known || nodes.get(n).is_some()))
                .map(|(n, _)| n.as_str())
                .collect(),
        )
    }
}
