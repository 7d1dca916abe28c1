//! The explain report: plain data, serialised as the `-o json` / `-o yaml`
//! schema (docs/json.md). Field names are part of that contract: add fields,
//! never rename or remove them without bumping `schema`.

use crate::model::endpoints::Backends;
use crate::model::{Notice, Origin, Scope, SourceInfo};
use serde::Serialize;

/// Version of the explain JSON schema.
pub const SCHEMA: u32 = 1;

/// Everything `svcx explain` found.
#[derive(Debug, Serialize)]
pub struct ExplainReport {
    pub schema: u32,
    pub source: SourceInfo,
    pub scope: Scope,
    pub services: Vec<ServiceExplanation>,
    pub notices: Vec<Notice>,
}

/// One Service, its layers from the outside in, its backends and notes.
#[derive(Debug, Serialize)]
pub struct ServiceExplanation {
    pub namespace: String,
    pub name: String,
    pub origin: Origin,
    /// `spec.type` as the API has it (ClusterIP when unset).
    #[serde(rename = "type")]
    pub service_type: String,
    /// `load-balancer`, `node-port`, `cluster-ip`, `headless` or `external-name`.
    pub shape: Shape,
    /// One sentence: what this Service is.
    pub summary: String,
    /// Outside in: load-balancer, node-port, external-ips, cluster-ip | headless | external-name.
    pub layers: Vec<Layer>,
    pub ports: Vec<PortView>,
    /// The Service's selector (`k=v,...`); absent when it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    pub backends: Backends,
    pub endpoint_summary: EndpointSummary,
    /// Teaching notes about this Service as a whole.
    pub notes: Vec<String>,
}

/// What kind of thing a Service really is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    LoadBalancer,
    NodePort,
    ClusterIp,
    Headless,
    ExternalName,
}

/// One Service port and how it is exposed.
#[derive(Debug, Serialize)]
pub struct PortView {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub protocol: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_protocol: Option<String>,
    pub port: i32,
    /// As written: a number, or a container port name resolved per pod.
    pub target_port: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_port: Option<i32>,
}

/// Backend counts by condition.
#[derive(Debug, Default, Serialize)]
pub struct EndpointSummary {
    pub total: usize,
    pub ready: usize,
    pub not_ready: usize,
    pub terminating: usize,
    /// Backends whose readiness cannot be known (pod templates).
    pub unknown: usize,
}

/// One layer of a Service, outermost first.
#[derive(Debug, Serialize)]
#[serde(tag = "layer", rename_all = "kebab-case")]
pub enum Layer {
    LoadBalancer(LoadBalancerLayer),
    NodePort(NodePortLayer),
    ExternalIps(ExternalIpsLayer),
    ClusterIp(ClusterIpLayer),
    Headless(HeadlessLayer),
    ExternalName(ExternalNameLayer),
}

impl Layer {
    /// The layer's teaching lines.
    pub fn explanation(&self) -> &[String] {
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
pub struct LoadBalancerLayer {
    /// `provisioned`, `pending`, or `not-created` (a manifest without status).
    pub status: LoadBalancerStatus,
    pub ingress: Vec<LoadBalancerIngress>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_balancer_class: Option<String>,
    /// Client ranges allowed in; empty means anyone who can reach it.
    pub source_ranges: Vec<String>,
    /// `spec.allocateLoadBalancerNodePorts` (default true).
    pub allocate_node_ports: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_ip: Option<String>,
    pub implemented_by: String,
    pub explanation: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LoadBalancerStatus {
    Provisioned,
    Pending,
    /// Read from a manifest with no status: not created yet, so neither.
    NotCreated,
}

/// One `status.loadBalancer.ingress` entry.
#[derive(Debug, Serialize)]
pub struct LoadBalancerIngress {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_mode: Option<String>,
}

/// Node ports on every node.
#[derive(Debug, Serialize)]
pub struct NodePortLayer {
    pub node_ports: Vec<i32>,
    pub external_traffic_policy: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_check_node_port: Option<i32>,
    /// Nodes and whether each takes external traffic; empty when nodes are unknown.
    pub nodes: Vec<NodeView>,
    pub nodes_known: bool,
    pub implemented_by: String,
    pub explanation: Vec<String>,
}

/// One node as seen by a NodePort.
#[derive(Debug, Serialize)]
pub struct NodeView {
    pub name: String,
    pub addresses: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready: Option<bool>,
    /// Ready endpoints of this Service on this node.
    pub local_ready_endpoints: usize,
    /// Whether the node accepts external traffic for this Service.
    pub accepts_external: bool,
}

/// `spec.externalIPs`: addresses every node answers for.
#[derive(Debug, Serialize)]
pub struct ExternalIpsLayer {
    pub external_ips: Vec<String>,
    pub implemented_by: String,
    pub explanation: Vec<String>,
}

/// The virtual cluster IP.
#[derive(Debug, Serialize)]
pub struct ClusterIpLayer {
    pub cluster_ips: Vec<String>,
    pub ip_families: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_family_policy: Option<String>,
    pub dns_name: String,
    pub session_affinity: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_affinity_timeout_seconds: Option<i32>,
    pub internal_traffic_policy: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traffic_distribution: Option<String>,
    pub implemented_by: String,
    pub explanation: Vec<String>,
}

/// `clusterIP: None`: DNS names the pods directly.
#[derive(Debug, Serialize)]
pub struct HeadlessLayer {
    pub dns_name: String,
    pub publish_not_ready_addresses: bool,
    pub implemented_by: String,
    pub explanation: Vec<String>,
}

/// `type: ExternalName`: a DNS alias.
#[derive(Debug, Serialize)]
pub struct ExternalNameLayer {
    pub dns_name: String,
    pub external_name: String,
    pub implemented_by: String,
    pub explanation: Vec<String>,
}
