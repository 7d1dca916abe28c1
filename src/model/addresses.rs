//! Services by the addresses clients use to reach them: ClusterIPs, load
//! balancer ingress IPs and hostnames, externalIPs, requested
//! `loadBalancerIP`s, and node addresses with nodePorts; and Gateways by
//! their addresses (`status.addresses`, else the requested
//! `spec.addresses`). Built once per run (linear in Services, Gateways and
//! Nodes), so looking up an address costs a hash lookup however large the
//! cluster.

use super::Snapshot;
use super::status::node_addresses;
use crate::model::slim::SlimObject;
use serde::Serialize;
use std::collections::HashMap;

/// What an address is to the Service that owns it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum AddressRole {
    /// A load balancer ingress IP from `status.loadBalancer.ingress[].ip`.
    LoadBalancerIp,
    /// A load balancer ingress hostname (`status.loadBalancer.ingress[].hostname`).
    LoadBalancerHostname,
    /// An IP the Service asked for in `spec.loadBalancerIP` (deprecated field,
    /// still used by MetalLB and some clouds) that is not yet in its status.
    RequestedLoadBalancerIp,
    /// One of `spec.externalIPs`.
    ExternalIp,
    /// One of `spec.clusterIPs`.
    ClusterIp,
}

impl AddressRole {
    /// Plain words for messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            AddressRole::LoadBalancerIp => "load balancer IP",
            AddressRole::LoadBalancerHostname => "load balancer hostname",
            AddressRole::RequestedLoadBalancerIp => "requested load balancer IP",
            AddressRole::ExternalIp => "externalIP",
            AddressRole::ClusterIp => "cluster IP",
        }
    }
}

/// One Service that answers on an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AddressOwner {
    /// Position in [`Snapshot::services`].
    pub(crate) service: usize,
    pub(crate) role: AddressRole,
}

/// One Service port that a nodePort belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NodePortOwner {
    /// Position in [`Snapshot::services`].
    pub(crate) service: usize,
    /// Position in the Service's `spec.ports`.
    pub(crate) port: usize,
}

/// Hash indexes from addresses to Services and from node addresses to nodes.
#[derive(Debug, Default)]
pub(crate) struct AddressIndex {
    by_address: HashMap<String, Vec<AddressOwner>>,
    by_node_port: HashMap<i32, Vec<NodePortOwner>>,
    nodes_by_address: HashMap<String, String>,
    gateways_by_address: HashMap<String, Vec<usize>>,
}

impl AddressIndex {
    /// Indexes every Service and Node of a snapshot.
    pub(crate) fn build(snap: &Snapshot) -> AddressIndex {
        let mut ix = AddressIndex::default();
        for (i, svc) in snap.services.iter().enumerate() {
            let Some(spec) = svc.object.spec.as_ref() else {
                continue;
            };
            let mut add = |addr: &str, role| {
                let addr = normalize(addr);
                if addr.is_empty() || addr == "None" {
                    return;
                }
                let owners = ix.by_address.entry(addr).or_default();
                let owner = AddressOwner { service: i, role };
                if !owners.iter().any(|o| o.service == i) {
                    owners.push(owner);
                }
            };
            let ingress = svc
                .object
                .status
                .as_ref()
                .and_then(|s| s.load_balancer.as_ref())
                .and_then(|lb| lb.ingress.as_ref());
            for ing in ingress.into_iter().flatten() {
                if let Some(ip) = &ing.ip {
                    add(ip, AddressRole::LoadBalancerIp);
                }
                if let Some(host) = &ing.hostname {
                    add(host, AddressRole::LoadBalancerHostname);
                }
            }
            // Only those a node answers for: none of a headless or
            // ExternalName Service.
            for ip in &super::view::open_external_ips(spec) {
                add(ip, AddressRole::ExternalIp);
            }
            if let Some(ip) = &spec.load_balancer_ip {
                add(ip, AddressRole::RequestedLoadBalancerIp);
            }
            for ip in spec
                .cluster_ips
                .iter()
                .flatten()
                .chain(spec.cluster_ip.iter())
            {
                add(ip, AddressRole::ClusterIp);
            }
            for (p, port) in spec.ports.iter().flatten().enumerate() {
                if let Some(np) = port.node_port {
                    ix.by_node_port.entry(np).or_default().push(NodePortOwner {
                        service: i,
                        port: p,
                    });
                }
            }
        }
        for (i, g) in snap.gateways.iter().enumerate() {
            let assigned: Vec<&str> = g
                .object
                .status
                .iter()
                .flat_map(|s| s.addresses.iter().flatten())
                .map(|a| a.value.as_str())
                .collect();
            let requested: Vec<&str> = g
                .object
                .spec
                .addresses
                .iter()
                .flatten()
                .filter_map(|a| a.value.as_deref())
                .collect();
            // Requested addresses stand in only until some are assigned.
            let addresses = if assigned.is_empty() {
                requested
            } else {
                assigned
            };
            for a in addresses.into_iter().filter(|a| !a.is_empty()) {
                let owners = ix.gateways_by_address.entry(normalize(a)).or_default();
                if !owners.contains(&i) {
                    owners.push(i);
                }
            }
        }
        for node in &snap.nodes {
            let name = node.object.name_any();
            for (_, addr) in node_addresses(&node.object) {
                ix.nodes_by_address
                    .entry(normalize(&addr))
                    .or_insert_with(|| name.clone());
            }
            ix.nodes_by_address.entry(name.clone()).or_insert(name);
        }
        ix
    }

    /// Services that answer on `address` (an IP or a hostname).
    pub(crate) fn owners(&self, address: &str) -> &[AddressOwner] {
        self.by_address
            .get(&normalize(address))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Gateways (positions in [`Snapshot::gateways`]) at `address`.
    pub(crate) fn gateways_at(&self, address: &str) -> &[usize] {
        self.gateways_by_address
            .get(&normalize(address))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Service ports that use `node_port`.
    pub(crate) fn node_port_owners(&self, node_port: i32) -> &[NodePortOwner] {
        self.by_node_port
            .get(&node_port)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The node that has `address` (InternalIP, ExternalIP or its name).
    pub(crate) fn node_at(&self, address: &str) -> Option<&str> {
        self.nodes_by_address
            .get(&normalize(address))
            .map(String::as_str)
    }

    /// Every indexed Service address, for "did you mean" lists.
    pub(crate) fn service_addresses(&self) -> impl Iterator<Item = (&str, &[AddressOwner])> {
        self.by_address
            .iter()
            .map(|(a, o)| (a.as_str(), o.as_slice()))
    }

    /// Every node address, with its node's name.
    pub(crate) fn node_addresses(&self) -> impl Iterator<Item = (&str, &str)> {
        self.nodes_by_address
            .iter()
            .map(|(a, n)| (a.as_str(), n.as_str()))
    }

    /// Every nodePort in use.
    pub(crate) fn node_ports(&self) -> impl Iterator<Item = (i32, &[NodePortOwner])> {
        self.by_node_port.iter().map(|(p, o)| (*p, o.as_slice()))
    }
}

/// Hostnames compare without case or a trailing dot; IPv6 in its canonical form.
fn normalize(addr: &str) -> String {
    let a = addr.trim().trim_end_matches('.');
    match a.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.to_string(),
        Err(_) => a.to_ascii_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Scope, SourceInfo};

    fn snap(yaml: &str) -> Snapshot {
        let mut s = Snapshot::new(SourceInfo::Demo, Scope::AllNamespaces);
        crate::source::files::load_text(&mut s, yaml, "t", |line| Origin::Demo { line }, "default")
            .expect("fixture parses");
        s.finish()
    }

    #[test]
    fn finds_services_by_every_address_kind() {
        let s = snap(
            "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  type: LoadBalancer\n  clusterIP: 10.96.0.5\n  externalIPs: [192.0.2.9]\n  ports: [{port: 80, nodePort: 30080}]\nstatus: {loadBalancer: {ingress: [{ip: 203.0.113.1}, {hostname: LB.Example.com}]}}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus: {addresses: [{type: InternalIP, address: 10.0.0.1}]}\n",
        );
        let ix = AddressIndex::build(&s);
        assert_eq!(
            ix.owners("203.0.113.1")[0].role,
            AddressRole::LoadBalancerIp
        );
        assert_eq!(
            ix.owners("lb.example.com.")[0].role,
            AddressRole::LoadBalancerHostname
        );
        assert_eq!(ix.owners("192.0.2.9")[0].role, AddressRole::ExternalIp);
        assert_eq!(ix.owners("10.96.0.5")[0].role, AddressRole::ClusterIp);
        assert_eq!(
            ix.node_port_owners(30080),
            &[NodePortOwner {
                service: 0,
                port: 0
            }]
        );
        assert_eq!(ix.node_at("10.0.0.1"), Some("n1"));
        assert!(ix.owners("10.0.0.1").is_empty());
    }

    #[test]
    fn finds_gateways_by_their_addresses() {
        let s = snap(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g, namespace: infra}\nspec:\n  gatewayClassName: c\n  addresses: [{value: 192.0.2.1}]\n  listeners: [{name: http, port: 80, protocol: HTTP}]\nstatus: {addresses: [{type: IPAddress, value: 203.0.113.40}]}\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: h, namespace: infra}\nspec:\n  gatewayClassName: c\n  addresses: [{type: Hostname, value: GW.example.com}]\n  listeners: [{name: http, port: 80, protocol: HTTP}]\n",
        );
        let ix = AddressIndex::build(&s);
        assert_eq!(ix.gateways_at("203.0.113.40"), &[0]);
        // Once one is assigned, a requested address is not the Gateway's.
        assert!(ix.gateways_at("192.0.2.1").is_empty());
        // Without status, the requested one stands in.
        assert_eq!(ix.gateways_at("gw.example.com."), &[1]);
    }
}
