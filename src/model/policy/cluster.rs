//! The wire shapes of the network-policy-api's cluster-wide kinds:
//! ClusterNetworkPolicy (`v1alpha2`, v0.2.0: `tier`, `priority`,
//! `protocols`, actions Accept/Deny/Pass) and AdminNetworkPolicy /
//! BaselineAdminNetworkPolicy (`v1alpha1`: `ports`, `Allow`), each read into
//! one [`ClusterPolicy`], refusing what the CRDs' validation refuses.

use super::cidr::AddressSet;
use super::objects::{
    Action, CidrText, ClusterKind, ClusterPeer, ClusterPolicy, ClusterRule, ClusterSelector,
    PortMatch, PortSpec, RawMeta, Tier, meta,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::Deserialize;

/// A ClusterNetworkPolicy as read: it becomes a [`ClusterPolicy`].
#[derive(Deserialize)]
#[serde(try_from = "RawCnp")]
pub(crate) struct ClusterNetworkPolicyObject(pub ClusterPolicy);

/// An AdminNetworkPolicy as read: it becomes a [`ClusterPolicy`].
#[derive(Deserialize)]
#[serde(try_from = "RawAnp")]
pub(crate) struct AdminNetworkPolicyObject(pub ClusterPolicy);

/// A BaselineAdminNetworkPolicy as read: it becomes a [`ClusterPolicy`].
#[derive(Deserialize)]
#[serde(try_from = "RawBanp")]
pub(crate) struct BaselineAdminNetworkPolicyObject(pub ClusterPolicy);

#[derive(Deserialize)]
struct RawCnp {
    metadata: Option<RawMeta>,
    spec: RawCnpSpec,
}

#[derive(Deserialize)]
struct RawCnpSpec {
    tier: RawTier,
    priority: i32,
    subject: RawSubject,
    ingress: Option<Vec<RawClusterRule>>,
    egress: Option<Vec<RawClusterRule>>,
}

#[derive(Deserialize)]
#[serde(try_from = "String")]
struct RawTier(Tier);

impl TryFrom<String> for RawTier {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        match s.as_str() {
            "Admin" => Ok(RawTier(Tier::Admin)),
            "Baseline" => Ok(RawTier(Tier::Baseline)),
            _ => Err(format!(
                "unknown tier `{s}`: expected `Admin` or `Baseline`"
            )),
        }
    }
}

#[derive(Deserialize)]
struct RawAnp {
    metadata: Option<RawMeta>,
    spec: RawAnpSpec,
}

#[derive(Deserialize)]
struct RawAnpSpec {
    priority: i32,
    subject: RawSubject,
    ingress: Option<Vec<RawClusterRule>>,
    egress: Option<Vec<RawClusterRule>>,
}

#[derive(Deserialize)]
struct RawBanp {
    metadata: Option<RawMeta>,
    spec: RawBanpSpec,
}

#[derive(Deserialize)]
struct RawBanpSpec {
    subject: RawSubject,
    ingress: Option<Vec<RawClusterRule>>,
    egress: Option<Vec<RawClusterRule>>,
}

/// A subject, or a `pods` peer's shape.
#[derive(Deserialize)]
#[serde(try_from = "RawSelectorFields")]
struct RawSubject(ClusterSelector);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSelectorFields {
    namespaces: Option<LabelSelector>,
    pods: Option<RawNamespacedPod>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawNamespacedPod {
    namespace_selector: Option<LabelSelector>,
    pod_selector: LabelSelector,
}

impl TryFrom<RawSelectorFields> for RawSubject {
    type Error = String;

    /// Exactly one of `namespaces` and `pods` (MinProperties and
    /// MaxProperties 1).
    fn try_from(raw: RawSelectorFields) -> Result<Self, String> {
        match (raw.namespaces, raw.pods) {
            (Some(n), None) => Ok(RawSubject(ClusterSelector::Namespaces(n))),
            (None, Some(p)) => Ok(RawSubject(ClusterSelector::Pods {
                namespaces: p.namespace_selector.unwrap_or_default(),
                pods: p.pod_selector,
            })),
            _ => Err("set exactly one of `namespaces` and `pods`".to_string()),
        }
    }
}

/// One rule of any of the three kinds: CNP writes `protocols` and
/// `Accept`; ANP and BANP write `ports` and `Allow`.
#[derive(Deserialize)]
#[serde(try_from = "RawClusterRuleFields")]
struct RawClusterRule(ClusterRule);

#[derive(Deserialize)]
struct RawClusterRuleFields {
    name: Option<String>,
    action: String,
    from: Option<Vec<RawClusterPeer>>,
    to: Option<Vec<RawClusterPeer>>,
    protocols: Option<Vec<RawCnpProtocol>>,
    ports: Option<Vec<RawAnpPort>>,
}

impl TryFrom<RawClusterRuleFields> for RawClusterRule {
    type Error = String;
    fn try_from(raw: RawClusterRuleFields) -> Result<Self, String> {
        let action = match raw.action.as_str() {
            "Accept" | "Allow" => Action::Accept,
            "Deny" => Action::Deny,
            "Pass" => Action::Pass,
            other => {
                return Err(format!(
                    "unknown action `{other}`: expected `Accept`, `Deny` or `Pass` (`Allow` in v1alpha1)"
                ));
            }
        };
        let ports = match (raw.protocols, raw.ports) {
            (Some(p), _) => Some(p.into_iter().map(|p| p.0).collect()),
            (None, Some(p)) => Some(p.into_iter().map(|p| p.0).collect()),
            (None, None) => None,
        };
        Ok(RawClusterRule(ClusterRule {
            name: raw.name.filter(|n| !n.is_empty()),
            action,
            peers: raw
                .from
                .or(raw.to)
                .unwrap_or_default()
                .into_iter()
                .map(|p| p.0)
                .collect(),
            ports,
        }))
    }
}

#[derive(Deserialize)]
#[serde(try_from = "RawClusterPeerFields")]
struct RawClusterPeer(ClusterPeer);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawClusterPeerFields {
    namespaces: Option<LabelSelector>,
    pods: Option<RawNamespacedPod>,
    nodes: Option<LabelSelector>,
    networks: Option<Vec<CidrText>>,
    domain_names: Option<Vec<String>>,
}

impl TryFrom<RawClusterPeerFields> for RawClusterPeer {
    type Error = String;

    /// At most one field (MaxProperties 1); none set is a peer of a newer
    /// CRD, read as "fail closed".
    fn try_from(raw: RawClusterPeerFields) -> Result<Self, String> {
        let set = [
            raw.namespaces.is_some(),
            raw.pods.is_some(),
            raw.nodes.is_some(),
            raw.networks.is_some(),
            raw.domain_names.is_some(),
        ]
        .iter()
        .filter(|s| **s)
        .count();
        if set > 1 {
            return Err(
                "a peer sets one of namespaces, pods, nodes, networks or domainNames".to_string(),
            );
        }
        let peer = if let Some(n) = raw.namespaces {
            ClusterPeer::Select(ClusterSelector::Namespaces(n))
        } else if let Some(p) = raw.pods {
            ClusterPeer::Select(ClusterSelector::Pods {
                namespaces: p.namespace_selector.unwrap_or_default(),
                pods: p.pod_selector,
            })
        } else if let Some(n) = raw.nodes {
            ClusterPeer::Nodes(n)
        } else if let Some(n) = raw.networks {
            let texts: Vec<String> = n.into_iter().map(|c| c.0).collect();
            let set = texts
                .iter()
                .filter_map(|c| AddressSet::block(c, &[]))
                .fold(AddressSet::default(), |a, b| a.union(&b));
            ClusterPeer::Networks(texts, set)
        } else if let Some(d) = raw.domain_names {
            ClusterPeer::DomainNames(d)
        } else {
            ClusterPeer::Unrecognized
        };
        Ok(RawClusterPeer(peer))
    }
}

/// A CNP `protocols` entry: `tcp`, `udp` or `sctp` with an optional
/// `destinationPort`, or `destinationNamedPort`.
#[derive(Deserialize)]
#[serde(try_from = "RawCnpProtocolFields")]
struct RawCnpProtocol(PortMatch);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCnpProtocolFields {
    tcp: Option<RawDestination>,
    udp: Option<RawDestination>,
    sctp: Option<RawDestination>,
    destination_named_port: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDestination {
    destination_port: Option<RawNumberOrRange>,
}

#[derive(Deserialize)]
struct RawNumberOrRange {
    number: Option<i32>,
    range: Option<RawRange>,
}

#[derive(Deserialize)]
struct RawRange {
    start: i32,
    end: i32,
}

impl TryFrom<RawCnpProtocolFields> for RawCnpProtocol {
    type Error = String;
    fn try_from(raw: RawCnpProtocolFields) -> Result<Self, String> {
        let one = |protocol: &str, d: RawDestination| -> Result<PortMatch, String> {
            let port = match d.destination_port {
                None => PortSpec::Any,
                Some(RawNumberOrRange {
                    number: Some(n),
                    range: None,
                }) => PortSpec::Number(n),
                Some(RawNumberOrRange {
                    number: None,
                    range: Some(r),
                }) if r.start < r.end => PortSpec::Range(r.start, r.end),
                Some(RawNumberOrRange {
                    number: None,
                    range: Some(r),
                }) => {
                    return Err(format!(
                        "range start {} must be less than end {}",
                        r.start, r.end
                    ));
                }
                Some(_) => {
                    return Err("destinationPort sets exactly one of number and range".to_string());
                }
            };
            Ok(PortMatch {
                protocol: Some(protocol.to_string()),
                port,
            })
        };
        match (raw.tcp, raw.udp, raw.sctp, raw.destination_named_port) {
            (Some(d), None, None, None) => one("TCP", d).map(RawCnpProtocol),
            (None, Some(d), None, None) => one("UDP", d).map(RawCnpProtocol),
            (None, None, Some(d), None) => one("SCTP", d).map(RawCnpProtocol),
            (None, None, None, Some(n)) => Ok(RawCnpProtocol(PortMatch {
                protocol: None,
                port: PortSpec::Named(n),
            })),
            _ => Err("set exactly one of tcp, udp, sctp and destinationNamedPort".to_string()),
        }
    }
}

/// An ANP/BANP `ports` entry: `portNumber`, `namedPort` or `portRange`.
#[derive(Deserialize)]
#[serde(try_from = "RawAnpPortFields")]
struct RawAnpPort(PortMatch);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAnpPortFields {
    port_number: Option<RawAnpNumber>,
    named_port: Option<String>,
    port_range: Option<RawAnpRange>,
}

#[derive(Deserialize)]
struct RawAnpNumber {
    protocol: Option<String>,
    port: i32,
}

#[derive(Deserialize)]
struct RawAnpRange {
    protocol: Option<String>,
    start: i32,
    end: i32,
}

impl TryFrom<RawAnpPortFields> for RawAnpPort {
    type Error = String;
    fn try_from(raw: RawAnpPortFields) -> Result<Self, String> {
        let tcp = |p: Option<String>| Some(p.unwrap_or_else(|| "TCP".to_string()));
        match (raw.port_number, raw.named_port, raw.port_range) {
            (Some(n), None, None) => Ok(RawAnpPort(PortMatch {
                protocol: tcp(n.protocol),
                port: PortSpec::Number(n.port),
            })),
            (None, Some(name), None) => Ok(RawAnpPort(PortMatch {
                protocol: None,
                port: PortSpec::Named(name),
            })),
            (None, None, Some(r)) if r.start < r.end => Ok(RawAnpPort(PortMatch {
                protocol: tcp(r.protocol),
                port: PortSpec::Range(r.start, r.end),
            })),
            (None, None, Some(r)) => Err(format!(
                "portRange start {} must be less than end {}",
                r.start, r.end
            )),
            _ => Err("set exactly one of portNumber, namedPort and portRange".to_string()),
        }
    }
}

/// The API's bounds on `priority` (0 to 1000).
fn priority(p: i32) -> Result<i32, String> {
    if (0..=1000).contains(&p) {
        Ok(p)
    } else {
        Err(format!(
            "priority {p} is outside 0-1000: the API server rejects it"
        ))
    }
}

fn rules(raw: Option<Vec<RawClusterRule>>) -> Vec<ClusterRule> {
    raw.unwrap_or_default().into_iter().map(|r| r.0).collect()
}

impl TryFrom<RawCnp> for ClusterNetworkPolicyObject {
    type Error = String;
    fn try_from(raw: RawCnp) -> Result<Self, String> {
        Ok(ClusterNetworkPolicyObject(ClusterPolicy {
            metadata: meta(raw.metadata),
            kind: ClusterKind::ClusterNetworkPolicy,
            tier: raw.spec.tier.0,
            priority: Some(priority(raw.spec.priority)?),
            subject: raw.spec.subject.0,
            ingress: rules(raw.spec.ingress),
            egress: rules(raw.spec.egress),
        }))
    }
}

impl TryFrom<RawAnp> for AdminNetworkPolicyObject {
    type Error = String;
    fn try_from(raw: RawAnp) -> Result<Self, String> {
        Ok(AdminNetworkPolicyObject(ClusterPolicy {
            metadata: meta(raw.metadata),
            kind: ClusterKind::AdminNetworkPolicy,
            tier: Tier::Admin,
            priority: Some(priority(raw.spec.priority)?),
            subject: raw.spec.subject.0,
            ingress: rules(raw.spec.ingress),
            egress: rules(raw.spec.egress),
        }))
    }
}

impl TryFrom<RawBanp> for BaselineAdminNetworkPolicyObject {
    type Error = String;
    fn try_from(raw: RawBanp) -> Result<Self, String> {
        let ingress = rules(raw.spec.ingress);
        let egress = rules(raw.spec.egress);
        if ingress
            .iter()
            .chain(&egress)
            .any(|r| r.action == Action::Pass)
        {
            return Err(
                "a BaselineAdminNetworkPolicy rule is `Allow` or `Deny`: `Pass` has no tier to pass to"
                    .to_string(),
            );
        }
        Ok(BaselineAdminNetworkPolicyObject(ClusterPolicy {
            metadata: meta(raw.metadata),
            kind: ClusterKind::BaselineAdminNetworkPolicy,
            tier: Tier::Baseline,
            priority: None,
            subject: raw.spec.subject.0,
            ingress,
            egress,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::policy::objects::{Action, ClusterPeer, PortSpec, Tier};
    use serde_json::json;

    fn cluster<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T, String> {
        serde_path_to_error::deserialize(v).map_err(|e| format!("{}: {}", e.path(), e.inner()))
    }

    /// network-policy-api v0.2.0 (v1alpha2) and v1alpha1 read as one kind:
    /// ANP's `Allow` is CNP's `Accept`, `ports` and `protocols` the same
    /// matches, a BANP has no priority.
    #[test]
    fn the_three_cluster_kinds_read_alike() {
        let cnp: ClusterNetworkPolicyObject = cluster(json!({
            "metadata": {"name": "deny-x"},
            "spec": {"tier": "Admin", "priority": 10,
                     "subject": {"namespaces": {}},
                     "ingress": [{"name": "r", "action": "Deny",
                                  "from": [{"pods": {"namespaceSelector": {}, "podSelector": {"matchLabels": {"a": "b"}}}}],
                                  "protocols": [{"tcp": {"destinationPort": {"range": {"start": 80, "end": 90}}}},
                                                {"destinationNamedPort": "http"}]}]}
        }))
        .unwrap();
        let c = cnp.0;
        assert_eq!((c.tier, c.priority), (Tier::Admin, Some(10)));
        let rule = &c.ingress[0];
        assert_eq!(rule.action, Action::Deny);
        assert_eq!(
            rule.ports.as_ref().unwrap()[0].port,
            PortSpec::Range(80, 90)
        );
        assert_eq!(rule.ports.as_ref().unwrap()[1].protocol, None);
        let anp: AdminNetworkPolicyObject = cluster(json!({
            "metadata": {"name": "allow-dns"},
            "spec": {"priority": 5, "subject": {"pods": {"namespaceSelector": {}, "podSelector": {}}},
                     "egress": [{"action": "Allow", "to": [{"networks": ["10.0.0.0/8"]}],
                                 "ports": [{"portNumber": {"port": 53, "protocol": "UDP"}}]}]}
        }))
        .unwrap();
        assert_eq!(anp.0.egress[0].action, Action::Accept);
        assert_eq!(anp.0.tier, Tier::Admin);
        let banp: BaselineAdminNetworkPolicyObject = cluster(json!({
            "metadata": {"name": "default"},
            "spec": {"subject": {"namespaces": {}}, "ingress": [{"action": "Deny", "from": [{"namespaces": {}}]}]}
        }))
        .unwrap();
        assert_eq!((banp.0.tier, banp.0.priority), (Tier::Baseline, None));
        let e = cluster::<ClusterNetworkPolicyObject>(json!({
            "spec": {"tier": "Admin", "priority": 1001, "subject": {"namespaces": {}}}
        }))
        .err()
        .unwrap();
        assert!(e.contains("outside 0-1000"), "{e}");
        let e = cluster::<ClusterNetworkPolicyObject>(json!({
            "spec": {"tier": "Admin", "priority": 1, "subject": {"namespaces": {}},
                     "ingress": [{"action": "Allow", "from": [{"namespaces": {}}]}]}
        }));
        assert!(e.is_ok(), "Allow is read as Accept in any version");
        let e = cluster::<ClusterNetworkPolicyObject>(json!({
            "spec": {"tier": "Admin", "priority": 1, "subject": {"namespaces": {}},
                     "ingress": [{"action": "Drop", "from": [{"namespaces": {}}]}]}
        }))
        .err()
        .unwrap();
        assert!(e.starts_with("spec.ingress[0]: unknown action"), "{e}");
        let odd: ClusterNetworkPolicyObject = cluster(json!({
            "spec": {"tier": "Baseline", "priority": 1, "subject": {"namespaces": {}},
                     "ingress": [{"action": "Deny", "from": [{"futurePeer": {}}]}]}
        }))
        .unwrap();
        assert!(matches!(
            odd.0.ingress[0].peers[0],
            ClusterPeer::Unrecognized
        ));
    }
}
