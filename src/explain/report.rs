//! The explain report: plain data, serialised as the `-o json` / `-o yaml`
//! schema (docs/json.md). Field names are part of that contract: add fields,
//! never rename or remove them without bumping `schema`.

use crate::model::endpoints::{Backends, EndpointCounts};
use crate::model::finding::Finding;
use crate::model::nodes::Family;
use crate::model::policy::{PolicyRules, ServicePolicies};
use crate::model::routes::{GatewayFacts, RouteFacts, ServiceRoute};
use crate::model::{ClusterInfo, Notice, Origin, Scope, SourceInfo};
use serde::Serialize;

pub(crate) use crate::model::view::{
    ExternalNameValidity, LoadBalancerIngress, LoadBalancerStatus, Shape,
};

/// Version of the explain JSON schema. 2: findings with codes; per-port
/// endpoint counts; endpoint states as kube-proxy sees them. 3: the routes
/// and Ingresses of each Service (`services[].routes`), and Gateways
/// (`gateways[]`). Added without a new number: `services[].network_policies`.
/// 4: nodes are named once (`nodes[]`); a node-port layer counts them and
/// lists only the nodes where this Service differs (`local_nodes`), instead
/// of every node per Service.
pub(crate) const SCHEMA: u32 = 4;

/// Everything `svcx explain` found.
#[derive(Debug, Serialize)]
pub struct ExplainReport {
    pub(crate) schema: u32,
    pub(crate) source: SourceInfo,
    pub(crate) scope: Scope,
    /// Over several clusters only: each cluster asked for, read or not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) clusters: Vec<ClusterInfo>,
    pub(crate) services: Vec<ServiceExplanation>,
    /// Gateways asked for by name, or every Gateway in scope when nothing was named.
    pub(crate) gateways: Vec<GatewayExplanation>,
    /// Every network policy that selects an explained Service's endpoints,
    /// with what its rules do, once each (the Services name them in
    /// `network_policies.selecting`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) network_policies: Vec<PolicyRules>,
    /// Every node, once, when some explained Service has node ports: the
    /// node-port layers refer to these by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) nodes: Vec<NodeInfo>,
    pub(crate) notices: Vec<Notice>,
}

/// One node, named once per document.
#[derive(Debug, Serialize)]
pub(crate) struct NodeInfo {
    pub(crate) name: String,
    /// InternalIP addresses, then ExternalIP ones, in status order.
    pub(crate) addresses: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) ready: Option<bool>,
    /// Over several clusters only: the cluster the node is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) context: Option<String>,
}

impl NodeInfo {
    /// Whether this node is in the cluster `svc` was read from (over
    /// several clusters, node names repeat).
    pub(crate) fn serves(&self, svc: &ServiceExplanation) -> bool {
        match (&self.context, &svc.origin) {
            (Some(c), Origin::Live { context }) => c == context,
            _ => true,
        }
    }

    /// The address a node port of these families is shown at: the node's
    /// first address of one of them.
    pub(crate) fn address_in(&self, families: &[Family]) -> Option<&str> {
        crate::model::nodes::in_families(&self.addresses, families).next()
    }
}

/// One Gateway: its addresses, its listeners and what each admits.
#[derive(Debug, Serialize)]
pub(crate) struct GatewayExplanation {
    #[serde(flatten)]
    pub(crate) gateway: GatewayFacts,
    /// Every route that names it as a parent, resolved: its parents, rules,
    /// backends and findings.
    pub(crate) routes: Vec<RouteFacts>,
    /// Teaching notes about this Gateway.
    pub(crate) notes: Vec<String>,
}

/// One Service, its layers from the outside in, its backends and notes.
#[derive(Debug, Serialize)]
pub(crate) struct ServiceExplanation {
    pub(crate) namespace: String,
    pub(crate) name: String,
    pub(crate) origin: Origin,
    /// `spec.type` as the API has it (ClusterIP when unset).
    #[serde(rename = "type")]
    pub(crate) service_type: String,
    /// `load-balancer`, `node-port`, `cluster-ip`, `headless` or `external-name`.
    pub(crate) shape: Shape,
    /// One sentence: what this Service is.
    pub(crate) summary: String,
    /// Outside in: load-balancer, node-port, external-ips, cluster-ip | headless | external-name.
    pub(crate) layers: Vec<Layer>,
    pub(crate) ports: Vec<PortView>,
    /// The Service's selector (`k=v,...`); absent when it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) selector: Option<String>,
    pub(crate) backends: Backends,
    pub(crate) endpoint_summary: EndpointSummary,
    /// Routes and Ingress paths that reach it, or try to, each with the
    /// Gateway listeners or Ingress controller they come through and the
    /// findings that say why one does not get through.
    pub(crate) routes: Vec<ServiceRoute>,
    /// The network policies that select its endpoints, in tier order, and
    /// whether each source of its paths gets through on each port; absent
    /// when the input holds no policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) network_policies: Option<ServicePolicies>,
    /// Problems, each with a stable code, severity, field and location.
    pub(crate) findings: Vec<Finding>,
    /// Teaching notes about this Service as a whole.
    pub(crate) notes: Vec<String>,
    /// Whose way in it is, when it is an Ingress controller's or a Gateway
    /// proxy's own Service (then it is not advised to move behind a Gateway).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) entry_point: Option<crate::model::entry_point::EntryPoint>,
    /// Whose control plane it serves (istiod, a Gateway controller): no
    /// way in for clients, and not advised to be exposed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) control_plane: Option<&'static str>,
}

/// One Service port and how it is exposed.
#[derive(Debug, Serialize)]
pub(crate) struct PortView {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    pub(crate) protocol: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) app_protocol: Option<String>,
    pub(crate) port: i32,
    /// As written: a number, or a container port name resolved per pod.
    pub(crate) target_port: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) node_port: Option<i32>,
    /// This port's endpoint set, counted as kube-proxy builds it.
    pub(crate) endpoints: EndpointCounts,
}

/// Backend counts by state (a backend may serve some ports and not others;
/// `ports[].endpoints` has the counts per port).
#[derive(Debug, Default, Serialize)]
pub(crate) struct EndpointSummary {
    pub(crate) total: usize,
    pub(crate) ready: usize,
    /// Marked ready only by publishNotReadyAddresses.
    pub(crate) published: usize,
    pub(crate) not_ready: usize,
    /// Terminating, whether or not still serving.
    pub(crate) terminating: usize,
    /// Backends whose readiness cannot be known (pod templates).
    pub(crate) unknown: usize,
    /// Pods (as opposed to workloads' templates or manual addresses).
    pub(crate) pods: usize,
    /// Workloads whose templates stand in for pods.
    pub(crate) workloads: usize,
}

/// One layer of a Service, outermost first.
#[derive(Debug, Serialize)]
#[serde(tag = "layer", rename_all = "kebab-case")]
pub(crate) enum Layer {
    LoadBalancer(LoadBalancerLayer),
    NodePort(NodePortLayer),
    ExternalIps(ExternalIpsLayer),
    ClusterIp(ClusterIpLayer),
    Headless(HeadlessLayer),
    ExternalName(ExternalNameLayer),
}

impl Layer {
    /// The layer's teaching lines.
    pub(crate) fn explanation(&self) -> &[String] {
        match self {
            Layer::LoadBalancer(l) => &l.explanation,
            Layer::NodePort(l) => &l.explanation,
            Layer::ExternalIps(l) => &l.explanation,
            Layer::ClusterIp(l) => &l.explanation,
            Layer::Headless(l) => &l.explanation,
            Layer::ExternalName(l) => &l.explanation,
        }
    }
}

/// The external load balancer.
#[derive(Debug, Serialize)]
pub(crate) struct LoadBalancerLayer {
    /// `provisioned`, `pending`, or `not-created` (a manifest without status).
    pub(crate) status: LoadBalancerStatus,
    /// Whether a requested `spec.loadBalancerIP` is among the addresses;
    /// absent when none was requested or none is assigned yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) requested_ip_honoured: Option<bool>,
    /// Other Services (`ns/name`) that share this load balancer's address.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) shared_with: Vec<String>,
    pub(crate) ingress: Vec<LoadBalancerIngress>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) load_balancer_class: Option<String>,
    /// Client ranges allowed in; empty means anyone who can reach it.
    pub(crate) source_ranges: Vec<String>,
    /// `spec.allocateLoadBalancerNodePorts` (default true).
    pub(crate) allocate_node_ports: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) requested_ip: Option<String>,
    /// Who provisions it, how it delivers traffic (`node-ports`,
    /// `load-balancer-ip`, `pods`, or `depends`), whether it is internal, and
    /// the addresses asked for, each with what in the input says so.
    pub(crate) implementation: crate::model::load_balancer::Implementation,
    pub(crate) implemented_by: String,
    pub(crate) explanation: Vec<String>,
}

/// Node ports on every node.
#[derive(Debug, Serialize)]
pub(crate) struct NodePortLayer {
    pub(crate) node_ports: Vec<i32>,
    /// Node ports open on node addresses of these families only.
    pub(crate) families: Vec<Family>,
    pub(crate) external_traffic_policy: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) health_check_node_port: Option<i32>,
    /// Nodes the ports open on: every node read (the document's `nodes`);
    /// 0 when nodes are unknown.
    pub(crate) node_count: usize,
    /// How many of them accept external traffic for this Service.
    pub(crate) nodes_accepting: usize,
    /// Whether a node not in `local_nodes` accepts external traffic (under
    /// Cluster, or when which nodes hold endpoints is unknown).
    pub(crate) other_nodes_accept: bool,
    /// Under externalTrafficPolicy Local: the nodes that hold an endpoint
    /// of this Service, each with what it does with external traffic.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) local_nodes: Vec<LocalNode>,
    pub(crate) nodes_known: bool,
    pub(crate) implemented_by: String,
    pub(crate) explanation: Vec<String>,
}

impl NodePortLayer {
    /// Whether node `name` accepts external traffic for this Service.
    pub(crate) fn accepts(&self, name: &str) -> bool {
        self.local_nodes
            .iter()
            .find(|n| n.name == name)
            .map_or(self.other_nodes_accept, |n| n.accepts_external)
    }
}

/// A node that holds an endpoint of a Service under externalTrafficPolicy Local.
#[derive(Debug, Serialize)]
pub(crate) struct LocalNode {
    pub(crate) name: String,
    /// Ready endpoints of this Service on this node, for its first port
    /// with a node port (a pod serves all its ports from one node).
    pub(crate) local_ready_endpoints: usize,
    /// Whether the node accepts external traffic for this Service.
    pub(crate) accepts_external: bool,
}

/// `spec.externalIPs`: addresses every node answers for.
#[derive(Debug, Serialize)]
pub(crate) struct ExternalIpsLayer {
    pub(crate) external_ips: Vec<String>,
    pub(crate) implemented_by: String,
    pub(crate) explanation: Vec<String>,
}

/// The virtual cluster IP.
#[derive(Debug, Serialize)]
pub(crate) struct ClusterIpLayer {
    pub(crate) cluster_ips: Vec<String>,
    pub(crate) ip_families: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) ip_family_policy: Option<String>,
    pub(crate) dns_name: String,
    pub(crate) session_affinity: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) session_affinity_timeout_seconds: Option<i32>,
    pub(crate) internal_traffic_policy: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) traffic_distribution: Option<String>,
    /// What trafficDistribution prefers: `same-zone` (PreferSameZone and its
    /// deprecated alias PreferClose) or `same-node` (PreferSameNode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) traffic_distribution_prefers: Option<&'static str>,
    pub(crate) implemented_by: String,
    pub(crate) explanation: Vec<String>,
}

/// `clusterIP: None`: DNS names the pods directly.
#[derive(Debug, Serialize)]
pub(crate) struct HeadlessLayer {
    pub(crate) dns_name: String,
    pub(crate) publish_not_ready_addresses: bool,
    pub(crate) implemented_by: String,
    pub(crate) explanation: Vec<String>,
}

/// `type: ExternalName`: a DNS alias.
#[derive(Debug, Serialize)]
pub(crate) struct ExternalNameLayer {
    pub(crate) dns_name: String,
    pub(crate) external_name: String,
    /// Whether cluster DNS can serve it: `dns-name`, `empty`, `ip-address`, `invalid`.
    pub(crate) validity: ExternalNameValidity,
    pub(crate) implemented_by: String,
    pub(crate) explanation: Vec<String>,
}
