//! The semantic model of a Service: what it *does*, computed once, in one
//! place. A [`ServiceView`] holds the Service's shape, its exposure layers
//! (load balancer and its state, node ports per IP family, externalIPs,
//! cluster IPs), its traffic policies, its backends with the endpoint set of
//! every port as kube-proxy builds it ([`super::endpoints`]), and the
//! [`Finding`]s all of that raises. explain and trace arrange these facts;
//! neither computes them again, so they cannot disagree.
//!
//! Kubernetes constants that several analyses need live here too.

use super::endpoints::{Backends, EndpointState, PortEndpoints, Receivers};
use super::finding::{Code, Finding, Severity};
use super::load_balancer::{ingress_of, shared_request};
use super::nodes::{Family, NodeTable};
use super::policy::{Policies, ServicePolicies};
use super::ports::{TargetStatus, format_int_or_string, protocol, target_port};
use super::routes::{RouteIndex, ServiceRoute};
use super::selector::format_selector;
use super::{Located, Snapshot, SourceInfo};
use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kube::ResourceExt;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

/// The API server's default `--service-node-port-range`.
pub(crate) const NODE_PORT_RANGE: (i32, i32) = (30000, 32767);

/// `sessionAffinityConfig.clientIP.timeoutSeconds` when unset: 3 hours.
pub(crate) const DEFAULT_AFFINITY_TIMEOUT_SECONDS: i32 = 10800;

/// How many names a message lists before "and N more".
pub(crate) const NAMES_SHOWN: usize = 10;

/// What kind of thing a Service really is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Shape {
    LoadBalancer,
    NodePort,
    ClusterIp,
    Headless,
    ExternalName,
}

impl Shape {
    /// What a Service's spec makes it: its type, and headless for a
    /// ClusterIP Service whose clusterIP is `None`.
    pub(crate) fn of(spec: &ServiceSpec) -> Shape {
        match spec.type_.as_deref() {
            Some("ExternalName") => Shape::ExternalName,
            Some("LoadBalancer") => Shape::LoadBalancer,
            Some("NodePort") => Shape::NodePort,
            _ if spec.cluster_ip.as_deref() == Some("None") => Shape::Headless,
            _ => Shape::ClusterIp,
        }
    }

    /// Whether kube-proxy programs the Service at all: it skips headless
    /// and ExternalName Services (pkg/proxy/util/utils.go,
    /// `ShouldSkipService`), so nothing of theirs opens on a node.
    pub(crate) fn proxied(self) -> bool {
        !matches!(self, Shape::Headless | Shape::ExternalName)
    }
}

/// The externalIPs on which nodes answer for the Service: those written,
/// unless kube-proxy skips the Service ([`Shape::proxied`]).
pub(crate) fn open_external_ips(spec: &ServiceSpec) -> Vec<String> {
    if Shape::of(spec).proxied() {
        spec.external_ips.clone().unwrap_or_default()
    } else {
        Vec::new()
    }
}

/// The state of a LoadBalancer Service's load balancer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum LoadBalancerStatus {
    /// `status.loadBalancer.ingress` lists addresses.
    Provisioned,
    /// Created, but no controller has written an address yet.
    Pending,
    /// Read from a manifest with no status: not created yet, so neither.
    NotCreated,
}

/// One `status.loadBalancer.ingress` entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct LoadBalancerIngress {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) hostname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) ip_mode: Option<String>,
}

impl LoadBalancerIngress {
    /// The IP, else the hostname.
    pub(crate) fn address(&self) -> Option<&str> {
        self.ip.as_deref().or(self.hostname.as_deref())
    }

    /// Whether kube-proxy captures in-cluster traffic to this address and
    /// sends it straight to the Service: only for an IP (a hostname is
    /// resolved by clients and left alone), and not with `ipMode: Proxy`
    /// (KEP-1860), where the load balancer must see the traffic.
    pub(crate) fn short_circuited(&self) -> bool {
        self.ip.is_some() && self.ip_mode.as_deref() != Some("Proxy")
    }
}

/// The load balancer layer.
#[derive(Clone, Debug)]
pub(crate) struct LoadBalancerFacts {
    pub(crate) status: LoadBalancerStatus,
    pub(crate) ingress: Vec<LoadBalancerIngress>,
    pub(crate) class: Option<String>,
    /// `loadBalancerSourceRanges`: they filter traffic to the load balancer's
    /// addresses only, never node:nodePort traffic.
    pub(crate) source_ranges: Vec<String>,
    /// `spec.loadBalancerIP` (deprecated since 1.24).
    pub(crate) requested_ip: Option<String>,
    /// `Some(false)` when the load balancer has addresses and the requested
    /// one is not among them.
    pub(crate) requested_honoured: Option<bool>,
    /// `spec.allocateLoadBalancerNodePorts` (default true).
    pub(crate) allocates_node_ports: bool,
    /// Other Services (`ns/name`) that report one of the same addresses
    /// (e.g. MetalLB's allow-shared-ip): one load balancer between them.
    pub(crate) shared_with: Vec<String>,
    /// Who provisions it, how it delivers traffic, whether it is internal,
    /// which addresses are asked for ([`super::load_balancer`]).
    pub(crate) implementation: super::load_balancer::Implementation,
}

impl LoadBalancerFacts {
    /// The first IP asked for (`spec.loadBalancerIP`, MetalLB's annotation),
    /// shown where no address is assigned yet.
    pub(crate) fn requested_address(&self) -> Option<String> {
        self.implementation
            .requested
            .iter()
            .find(|r| !r.name)
            .map(|r| r.value.clone())
    }
}

/// The node port layer: which Service ports open on every node, on the
/// addresses of which families.
#[derive(Clone, Debug)]
pub(crate) struct NodePortFacts {
    /// `(position in spec.ports, nodePort)`; `None` until the API server
    /// allocates it at creation.
    pub(crate) ports: Vec<(usize, Option<i32>)>,
    /// Node ports open on the node addresses of these families only.
    pub(crate) families: Vec<Family>,
    pub(crate) health_check_node_port: Option<i32>,
    /// A LoadBalancer with `allocateLoadBalancerNodePorts: false` whose
    /// nodePorts were set explicitly: they still open on every node.
    pub(crate) explicit_only: bool,
}

impl NodePortFacts {
    /// The nodePort of a Service port, if that port has a node port layer.
    pub(crate) fn of_port(&self, port: usize) -> Option<Option<i32>> {
        self.ports
            .iter()
            .find(|(i, _)| *i == port)
            .map(|(_, np)| *np)
    }

    /// The assigned nodePorts.
    pub(crate) fn numbers(&self) -> Vec<i32> {
        self.ports.iter().filter_map(|(_, np)| *np).collect()
    }
}

/// Whether an ExternalName can be served by cluster DNS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ExternalNameValidity {
    /// A DNS name: DNS answers with a CNAME to it.
    DnsName,
    /// Empty: DNS has nothing to answer.
    Empty,
    /// An IPv4 address: accepted by the API (it is a valid DNS subdomain),
    /// but DNS publishes a CNAME to a name that does not exist.
    IpAddress,
    /// Not a DNS name (an IPv6 address, a URL...): the API rejects it.
    Invalid,
}

/// `spec.trafficDistribution`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum TrafficDistribution {
    /// Endpoints in the client's zone first (GA in 1.35).
    PreferSameZone,
    /// The deprecated alias of PreferSameZone.
    PreferClose,
    /// Endpoints on the client's node first, then its zone (GA in 1.35).
    PreferSameNode,
    /// A value svcx does not know.
    Other(String),
}

impl TrafficDistribution {
    /// What it prefers: the client's zone or its node (`None` for unknown values).
    pub(crate) fn prefers(&self) -> Option<&'static str> {
        match self {
            TrafficDistribution::PreferSameZone | TrafficDistribution::PreferClose => {
                Some("same-zone")
            }
            TrafficDistribution::PreferSameNode => Some("same-node"),
            TrafficDistribution::Other(_) => None,
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "PreferSameZone" => TrafficDistribution::PreferSameZone,
            "PreferClose" => TrafficDistribution::PreferClose,
            "PreferSameNode" => TrafficDistribution::PreferSameNode,
            other => TrafficDistribution::Other(other.to_string()),
        }
    }
}

pub(crate) use super::locality::NodeTraffic;

/// Everything svcx knows about what one Service does.
#[derive(Clone, Debug)]
pub struct ServiceView<'s> {
    /// Position in [`Snapshot::services`].
    pub(crate) index: usize,
    pub(crate) located: &'s Located<Service>,
    pub(crate) spec: &'s ServiceSpec,
    pub(crate) namespace: String,
    pub name: String,
    /// `spec.type` (ClusterIP when unset).
    pub(crate) service_type: String,
    pub(crate) shape: Shape,
    /// The selector, when it has one (empty counts as none).
    pub(crate) selector: Option<&'s BTreeMap<String, String>>,
    /// The Service's IP families: `spec.ipFamilies`, else those of its
    /// cluster IPs, else IPv4.
    pub(crate) families: Vec<Family>,
    /// Cluster IPs (empty when headless, ExternalName, or not assigned yet).
    pub(crate) cluster_ips: Vec<String>,
    pub(crate) dns_name: String,
    pub(crate) load_balancer: Option<LoadBalancerFacts>,
    pub(crate) node_ports: Option<NodePortFacts>,
    pub(crate) external_ips: Vec<String>,
    /// `(target, validity)` for an ExternalName Service.
    pub(crate) external_name: Option<(String, ExternalNameValidity)>,
    /// `externalTrafficPolicy: Local`.
    pub(crate) external_local: bool,
    /// `internalTrafficPolicy: Local`.
    pub(crate) internal_local: bool,
    /// Session affinity timeout when `sessionAffinity: ClientIP`.
    pub(crate) affinity_timeout: Option<i32>,
    pub(crate) traffic_distribution: Option<TrafficDistribution>,
    pub(crate) publish_not_ready: bool,
    pub(crate) backends: Backends,
    /// The routes and Ingress paths that reach it, or try to
    /// ([`super::routes`]); their findings are on each route.
    pub(crate) routes: Vec<ServiceRoute>,
    /// Whose way in it is (an Ingress controller's, a Gateway's proxy, a
    /// mesh gateway), when the input shows it
    /// ([`super::entry_point`]).
    pub(crate) entry_point: Option<super::entry_point::EntryPoint>,
    /// Whose control plane it serves (istiod, a Gateway controller), by
    /// its pods' images: not a way in for clients
    /// ([`super::entry_point::control_plane`]).
    pub(crate) control_plane: Option<&'static str>,
    /// The network policies that select its endpoints, and whether each
    /// source of its paths gets through ([`super::policy`]); `None` when
    /// the input holds no policy (or for an ExternalName Service).
    pub(crate) policies: Option<ServicePolicies>,
    pub(crate) findings: Vec<Finding>,
}

static EMPTY_SPEC: LazyLock<ServiceSpec> = LazyLock::new(ServiceSpec::default);

/// What every Service's view shares, read once per run.
pub struct Semantics<'s> {
    pub(crate) snap: &'s Snapshot,
    pub(crate) nodes: NodeTable,
    /// Every Gateway, route and Ingress, resolved.
    pub(crate) routes: RouteIndex,
    /// Every network policy, indexed; `None` when the input holds none.
    pub(crate) policies: Option<Policies<'s>>,
    /// How each Ingress controller routes requests, built on first use.
    ingress_routing: std::sync::OnceLock<crate::model::routing::IngressRouting>,
    /// Each Gateway's own Service (`namespace`, `name`) → its position,
    /// found on first use.
    gateway_services: std::sync::OnceLock<HashMap<(String, String), usize>>,
    /// Load balancer addresses → positions of the Services reporting them.
    lb_owners: HashMap<String, Vec<usize>>,
    /// Manifests without status: (requested address, MetalLB sharing key) →
    /// positions of the Services asking for that address with that key.
    lb_requests: HashMap<(String, String), Vec<usize>>,
    /// Whether the input holds MetalLB's own objects (address pools,
    /// advertisements): its LoadBalancer Services are written for MetalLB.
    metallb_objects: bool,
    /// Whether the cluster is dual-stack: some node has addresses of both
    /// families, or some Service two cluster IPs; `None` when the input
    /// does not say.
    pub(crate) dual_stack: Option<bool>,
}

impl<'s> Semantics<'s> {
    /// Reads node facts, load balancer addresses and routes once.
    pub fn new(snap: &'s Snapshot) -> Self {
        let mut lb_owners: HashMap<String, Vec<usize>> = HashMap::new();
        let mut lb_requests: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (i, s) in snap.services.iter().enumerate() {
            if let Some(key) = shared_request(&s.object) {
                lb_requests.entry(key).or_default().push(i);
            }
            for ing in ingress_of(&s.object) {
                if let Some(a) = ing.address() {
                    lb_owners.entry(a.to_string()).or_default().push(i);
                }
            }
        }
        let nodes = NodeTable::build(snap);
        let two_cluster_ips = snap.services.iter().any(|s| {
            s.object
                .spec
                .as_ref()
                .and_then(|s| s.cluster_ips.as_ref())
                .is_some_and(|ips| ips.len() == 2)
        });
        let dual_nodes = nodes
            .nodes
            .iter()
            .any(|n| n.address(Family::IPv4).is_some() && n.address(Family::IPv6).is_some());
        let dual_stack = if two_cluster_ips || dual_nodes {
            Some(true)
        } else if nodes.known {
            Some(false)
        } else {
            None
        };
        Semantics {
            snap,
            dual_stack,
            nodes,
            routes: RouteIndex::build(snap),
            policies: (!snap.network_policies.is_empty()
                || !snap.cluster_policies.is_empty()
                || !snap.foreign_policies.is_empty())
            .then(|| Policies::build(snap)),
            ingress_routing: std::sync::OnceLock::new(),
            gateway_services: std::sync::OnceLock::new(),
            lb_owners,
            lb_requests,
            metallb_objects: snap
                .stats
                .objects
                .keys()
                .any(|k| k.ends_with(".metallb.io")),
        }
    }

    /// The servers and locations each Ingress controller builds from the
    /// Ingresses it serves (the routing model of Ingresses).
    pub(crate) fn ingress_routing(&self) -> &crate::model::routing::IngressRouting {
        self.ingress_routing
            .get_or_init(|| crate::model::routing::IngressRouting::build(self.snap, &self.routes))
    }

    /// The position of the Gateway `namespace/name`'s own Service, its
    /// proxies' way in, when the input holds it
    /// ([`crate::model::policy::gateway_services`]).
    pub(crate) fn gateway_service(&self, namespace: &str, name: &str) -> Option<usize> {
        self.gateway_services
            .get_or_init(|| crate::model::policy::gateway_services(self.snap))
            .get(&(namespace.to_string(), name.to_string()))
            .copied()
    }

    /// The view of the Service at position `index` in the snapshot.
    pub fn view(&self, index: usize) -> ServiceView<'s> {
        let located = &self.snap.services[index];
        let svc = &located.object;
        let spec = svc.spec.as_ref().unwrap_or(&EMPTY_SPEC);
        let namespace = svc.namespace().unwrap_or_default();
        let name = svc.name_any();
        let service_type = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
        let shape = Shape::of(spec);
        let cluster_ips: Vec<String> = if matches!(shape, Shape::Headless | Shape::ExternalName) {
            Vec::new()
        } else {
            spec.cluster_ips
                .clone()
                .filter(|v| !v.is_empty())
                .or_else(|| spec.cluster_ip.clone().map(|ip| vec![ip]))
                .unwrap_or_default()
                .into_iter()
                .filter(|ip| !ip.is_empty() && ip != "None")
                .collect()
        };
        let mut families: Vec<Family> = spec
            .ip_families
            .iter()
            .flatten()
            .filter_map(|f| Family::parse(f))
            .collect();
        if families.is_empty() {
            families = cluster_ips.iter().filter_map(|ip| Family::of(ip)).collect();
        }
        if families.is_empty() {
            families.push(Family::IPv4);
        }
        // Dual-stack policies: RequireDualStack always gets both families
        // (the API server refuses it in a single-stack cluster);
        // PreferDualStack gets both in a dual-stack cluster, the one first
        // listed in ipFamilies (or the cluster's) first ("two IP families on
        // dual-stack configured clusters": ServiceSpec.ipFamilyPolicy).
        let both = match spec.ip_family_policy.as_deref() {
            Some("RequireDualStack") => true,
            Some("PreferDualStack") => self.dual_stack == Some(true),
            _ => false,
        };
        if both && families.len() == 1 {
            families.push(families[0].other());
        }
        let selector = spec.selector.as_ref().filter(|s| !s.is_empty());
        let external_name = (shape == Shape::ExternalName).then(|| {
            let target = spec.external_name.clone().unwrap_or_default();
            let validity = external_name_validity(&target);
            (target, validity)
        });
        let load_balancer = (shape == Shape::LoadBalancer)
            .then(|| self.load_balancer(index, located, spec, &families));
        let node_ports = node_port_facts(shape, spec, &families);
        let mut view = ServiceView {
            index,
            located,
            spec,
            dns_name: super::lookup::service_dns_name(&namespace, &name),
            namespace,
            name,
            service_type,
            shape,
            selector,
            families,
            cluster_ips,
            load_balancer,
            node_ports,
            external_ips: open_external_ips(spec),
            external_name,
            external_local: spec.external_traffic_policy.as_deref() == Some("Local"),
            internal_local: spec.internal_traffic_policy.as_deref() == Some("Local"),
            affinity_timeout: (spec.session_affinity.as_deref() == Some("ClientIP")).then(|| {
                spec.session_affinity_config
                    .as_ref()
                    .and_then(|c| c.client_ip.as_ref())
                    .and_then(|c| c.timeout_seconds)
                    .unwrap_or(DEFAULT_AFFINITY_TIMEOUT_SECONDS)
            }),
            traffic_distribution: spec
                .traffic_distribution
                .as_deref()
                .map(TrafficDistribution::parse),
            publish_not_ready: spec.publish_not_ready_addresses == Some(true),
            backends: self.snap.backends(located),
            routes: self.routes.for_service(index),
            entry_point: None,
            control_plane: None,
            policies: None,
            findings: Vec::new(),
        };
        {
            let controller_of = self
                .routes
                .ingresses
                .iter()
                .find(|i| i.controller_service_index == Some(index))
                .map(|i| i.class.clone().unwrap_or_else(|| "(none)".into()));
            view.entry_point =
                super::entry_point::recognise(self.snap, located, &view.backends, controller_of);
            if view.entry_point.is_none() {
                view.control_plane =
                    super::entry_point::control_plane(self.snap, located, &view.backends);
            }
        }
        view.policies = self.policies.as_ref().and_then(|p| p.for_service(&view));
        view.findings = super::view_findings::findings(self, &view);
        view
    }

    fn load_balancer(
        &self,
        index: usize,
        located: &Located<Service>,
        spec: &ServiceSpec,
        families: &[Family],
    ) -> LoadBalancerFacts {
        let ingress = ingress_of(&located.object);
        let modes: Vec<Option<&str>> = ingress
            .iter()
            .filter(|i| i.ip.is_some())
            .map(|i| i.ip_mode.as_deref())
            .collect();
        let implementation =
            super::load_balancer::read(&located.object, families, &modes, self.metallb_objects);
        let status = if !self.snap.load_balancer_status_known(&located.object) {
            LoadBalancerStatus::NotCreated
        } else if ingress.is_empty() {
            LoadBalancerStatus::Pending
        } else {
            LoadBalancerStatus::Provisioned
        };
        let requested_ip = spec.load_balancer_ip.clone().filter(|s| !s.is_empty());
        let requested_honoured = match (&requested_ip, status) {
            (Some(want), LoadBalancerStatus::Provisioned) => Some(
                ingress
                    .iter()
                    .any(|i| i.address().is_some_and(|a| same_address(a, want))),
            ),
            _ => None,
        };
        // Services that report one of the same addresses share a load
        // balancer; before any status exists (a manifest), so do Services
        // that ask MetalLB for the same address with the same sharing key.
        let requested = (status == LoadBalancerStatus::NotCreated)
            .then(|| shared_request(&located.object))
            .flatten();
        let mut shared_with: Vec<String> = ingress
            .iter()
            .filter_map(|i| i.address())
            .flat_map(|a| self.lb_owners.get(a).into_iter().flatten())
            .chain(
                requested
                    .iter()
                    .flat_map(|k| self.lb_requests.get(k).into_iter().flatten()),
            )
            .filter(|&&j| j != index)
            .map(|&j| {
                let o = &self.snap.services[j].object;
                format!("{}/{}", o.namespace().unwrap_or_default(), o.name_any())
            })
            .collect();
        shared_with.sort();
        shared_with.dedup();
        LoadBalancerFacts {
            status,
            ingress,
            class: spec.load_balancer_class.clone(),
            source_ranges: implementation.source_ranges.clone(),
            requested_ip,
            requested_honoured,
            allocates_node_ports: spec.allocate_load_balancer_node_ports.unwrap_or(true),
            shared_with,
            implementation,
        }
    }
}

/// Whether two addresses are the same: IPs by value, names case-insensitively.
pub(crate) fn same_address(a: &str, b: &str) -> bool {
    match (a.parse::<std::net::IpAddr>(), b.parse::<std::net::IpAddr>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a
            .trim_end_matches('.')
            .eq_ignore_ascii_case(b.trim_end_matches('.')),
    }
}

/// The node port layer, if the Service has one. NodePort Services and
/// LoadBalancer Services that allocate node ports open one on every node for
/// every port; with `allocateLoadBalancerNodePorts: false`, only the ports
/// whose nodePort was set explicitly do.
fn node_port_facts(shape: Shape, spec: &ServiceSpec, families: &[Family]) -> Option<NodePortFacts> {
    let ports = spec.ports.as_deref().unwrap_or_default();
    let allocates = spec.allocate_load_balancer_node_ports.unwrap_or(true);
    let every_port = || {
        ports
            .iter()
            .enumerate()
            .map(|(i, p)| (i, p.node_port))
            .collect()
    };
    let (list, explicit_only): (Vec<(usize, Option<i32>)>, bool) = match shape {
        Shape::NodePort => (every_port(), false),
        Shape::LoadBalancer if allocates => (every_port(), false),
        Shape::LoadBalancer => (
            ports
                .iter()
                .enumerate()
                .filter_map(|(i, p)| p.node_port.map(|np| (i, Some(np))))
                .collect(),
            true,
        ),
        _ => return None,
    };
    if list.is_empty() && shape == Shape::LoadBalancer {
        return None;
    }
    Some(NodePortFacts {
        ports: list,
        families: families.to_vec(),
        health_check_node_port: spec.health_check_node_port,
        explicit_only,
    })
}

/// Cluster DNS serves an ExternalName as a CNAME; the API accepts any DNS-1123
/// subdomain, which an IPv4 address also is.
fn external_name_validity(target: &str) -> ExternalNameValidity {
    let t = target.trim_end_matches('.');
    if t.is_empty() {
        return ExternalNameValidity::Empty;
    }
    match t.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => return ExternalNameValidity::IpAddress,
        Ok(std::net::IpAddr::V6(_)) => return ExternalNameValidity::Invalid,
        Err(_) => {}
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if t.len() <= 253 && t.split('.').all(label_ok) {
        ExternalNameValidity::DnsName
    } else {
        ExternalNameValidity::Invalid
    }
}

impl ServiceView<'_> {
    /// The Service's ports.
    pub(crate) fn ports(&self) -> &[ServicePort] {
        self.spec.ports.as_deref().unwrap_or_default()
    }

    /// The endpoint set of Service port `i`.
    pub(crate) fn port_endpoints(&self, i: usize) -> Option<&PortEndpoints> {
        self.backends.ports.get(i)
    }

    /// `ns/name`.
    pub(crate) fn full_name(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// Findings about Service port `i`, or about the Service as a whole.
    pub(crate) fn findings_for_port(&self, i: Option<usize>) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| f.port.is_none() || f.port == i)
    }

    /// The findings for which the API server refuses this Service (SVC210,
    /// a port number outside 1-65535): with any, it is never created.
    pub(crate) fn refusals(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.code == Code::InvalidPortNumber)
    }

    /// Whether clients outside the cluster can reach it by some path this
    /// Service itself opens (load balancer, node ports, externalIPs that
    /// open: none on a headless Service). The one answer: the policy
    /// sources of its paths and migrate's choice of Services read it.
    pub(crate) fn reachable_from_outside(&self) -> bool {
        self.load_balancer.is_some() || self.node_ports.is_some() || !self.external_ips.is_empty()
    }

    /// Whether clients outside the cluster plausibly want to reach it: a
    /// port that carries HTTP, gRPC or TLS ([`super::ports::port_kind`]),
    /// outside `kube-system`, and not a proxy's own Service.
    pub fn exposure_plausible(&self) -> bool {
        use super::ports::{PortKind, port_kind};
        self.entry_point.is_none()
            && self.control_plane.is_none()
            && self.namespace != "kube-system"
            && self.ports().iter().any(|p| {
                matches!(
                    port_kind(p),
                    PortKind::Http | PortKind::Grpc | PortKind::Tls
                )
            })
    }

    /// The targetPort of port `i` as written (`8080` or `http`).
    pub(crate) fn target_label(&self, i: usize) -> String {
        self.ports()
            .get(i)
            .map(|sp| format_int_or_string(&target_port(sp)))
            .unwrap_or_default()
    }

    /// The numeric targetPort of port `i`, if it is numeric.
    pub(crate) fn numeric_target(&self, i: usize) -> Option<i32> {
        match target_port(self.ports().get(i)?) {
            IntOrString::Int(n) => Some(n),
            IntOrString::String(s) => s.parse().ok(),
        }
    }

    /// The protocol of port `i`.
    pub(crate) fn protocol(&self, i: usize) -> &str {
        self.ports()
            .get(i)
            .map_or("TCP", |sp| protocol(sp.protocol.as_ref()))
    }

    /// The Service's families as `IPv4, IPv6`.
    pub(crate) fn families_text(&self) -> String {
        self.families
            .iter()
            .map(|f| f.word())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The selector as `k=v,...`.
    pub(crate) fn selector_text(&self) -> Option<String> {
        self.selector.map(format_selector)
    }
}

/// Whether the source reads a whole cluster (live, the demo), where absence
/// of an object means it does not exist.
pub(crate) fn source_is_cluster(snap: &Snapshot) -> bool {
    matches!(snap.source, SourceInfo::Live { .. } | SourceInfo::Demo)
}

/// Severity to use for a problem on one port: an error when no endpoint of
/// the port is left, a warning while others still serve it.
pub(super) fn partial(total_left: usize) -> Severity {
    if total_left == 0 {
        Severity::Error
    } else {
        Severity::Warning
    }
}

/// Whether the endpoint receives new connections given who receives on its port.
pub(crate) fn receives(state: EndpointState, receivers: Receivers) -> bool {
    match receivers {
        Receivers::Ready => state.is_ready(),
        Receivers::TerminatingFallback => state == EndpointState::ServingTerminating,
        Receivers::Nobody => false,
        Receivers::Unknown => state == EndpointState::Unknown,
    }
}

/// `a, b, c and N more`.
pub(crate) fn names_list<S: AsRef<str>>(names: &[S]) -> String {
    let shown = names
        .iter()
        .take(NAMES_SHOWN)
        .map(|s| s.as_ref())
        .collect::<Vec<_>>()
        .join(", ");
    match names.len().saturating_sub(NAMES_SHOWN) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// The position of a targetPort status among the unresolved kinds, for grouping.
pub(crate) fn unresolved_code(status: &TargetStatus) -> Code {
    match status {
        TargetStatus::ProtocolMismatch { .. } => Code::ProtocolMismatch,
        TargetStatus::SlicePortMissing => Code::SlicePortMissing,
        _ => Code::TargetPortNameNotFound,
    }
}
