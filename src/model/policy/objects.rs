//! What svcx keeps of network policies: NetworkPolicy
//! (`networking.k8s.io/v1`), ClusterNetworkPolicy
//! (`policy.networking.k8s.io/v1alpha2`, network-policy-api v0.2.0) and the
//! AdminNetworkPolicy / BaselineAdminNetworkPolicy it replaced
//! (`policy.networking.k8s.io/v1alpha1`), reduced to what admission needs:
//! who they select, and per rule the peers, ports and action. Like
//! [`crate::model::slim`] does for Pods, each decodes straight from the
//! object's JSON and skips the rest (status, managed fields).
//!
//! The API server's validation of these fields is repeated where a manifest
//! could break it (a peer with both an ipBlock and a selector, a CIDR that
//! does not parse, an `endPort` on a named port): such a manifest is refused
//! by `kubectl apply`, so reading it is an error at the field, as the API
//! server's would be. The three cluster-wide kinds become one
//! [`ClusterPolicy`], with ANP's `Allow` read as CNP's `Accept`.
//!
//! References: the NetworkPolicy API reference (NetworkPolicySpec,
//! NetworkPolicyPeer, NetworkPolicyPort, IPBlock); network-policy-api
//! `apis/v1alpha2/clusternetworkpolicy_types.go` (v0.2.0) and
//! `apis/v1alpha1/{adminnetworkpolicy,baselineadminnetworkpolicy,shared}_types.go`.

use super::cidr::{AddressSet, Cidr};
use k8s_openapi::NamespaceResourceScope;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Which way traffic crosses the selected pod.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ingress,
    Egress,
}

/// A NetworkPolicy, reduced to what admission needs.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(from = "RawNetworkPolicy")]
pub struct NetworkPolicy {
    /// Only `name`, `namespace` and `uid` are kept.
    pub metadata: ObjectMeta,
    /// `spec.podSelector`; `None` when omitted, which selects every pod of
    /// the namespace as `{}` does (optional from the 1.34 API).
    pub pod_selector: Option<LabelSelector>,
    /// `spec.policyTypes` as written; `None` when omitted.
    pub policy_types: Option<Vec<Direction>>,
    pub ingress: Vec<NetworkPolicyRule>,
    pub egress: Vec<NetworkPolicyRule>,
    /// Whether `spec.egress` was written with at least one rule (for the
    /// policyTypes default).
    egress_written: bool,
}

impl NetworkPolicy {
    /// Whether the policy isolates its pods in `direction`: `policyTypes`
    /// when written; else Ingress always, and Egress when the policy has
    /// egress rules (NetworkPolicySpec.policyTypes).
    pub fn isolates(&self, direction: Direction) -> bool {
        match &self.policy_types {
            Some(types) => types.contains(&direction),
            None => direction == Direction::Ingress || self.egress_written,
        }
    }

    /// The rules of one direction.
    pub fn rules(&self, direction: Direction) -> &[NetworkPolicyRule] {
        match direction {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }
}

/// One ingress or egress rule: it allows traffic that matches one of its
/// peers and one of its ports.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(from = "RawRule")]
pub struct NetworkPolicyRule {
    /// `from`/`to`; empty when omitted or empty, which matches every source
    /// (or destination).
    pub peers: Vec<Peer>,
    /// `ports`; empty when omitted or empty, which matches every port.
    pub ports: Vec<PortMatch>,
}

/// One `from`/`to` entry of a NetworkPolicy rule.
#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "RawPeer")]
pub enum Peer {
    /// `podSelector` and/or `namespaceSelector`: pods matching the pod
    /// selector (every pod when absent) in the namespaces matching the
    /// namespace selector (the policy's own namespace when absent).
    Pods {
        namespaces: Option<LabelSelector>,
        pods: Option<LabelSelector>,
    },
    /// `ipBlock`: addresses in `cidr` and not in `except`.
    IpBlock {
        cidr: String,
        except: Vec<String>,
        set: AddressSet,
    },
}

/// A port match: a protocol and a port (or range, or container port name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PortMatch {
    /// `None`: any protocol (a named port matches whatever protocol the
    /// container port has).
    pub protocol: Option<String>,
    pub port: PortSpec,
}

/// Which destination ports a rule matches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PortSpec {
    /// Every port of the protocol.
    Any,
    Number(i32),
    /// `port` to `endPort` (or `start` to `end`), inclusive.
    Range(i32, i32),
    /// A container port name, resolved on each destination pod.
    Named(String),
}

impl kube::Resource for NetworkPolicy {
    type DynamicType = ();
    type Scope = NamespaceResourceScope;

    fn kind(_: &()) -> Cow<'_, str> {
        "NetworkPolicy".into()
    }
    fn group(_: &()) -> Cow<'_, str> {
        "networking.k8s.io".into()
    }
    fn version(_: &()) -> Cow<'_, str> {
        "v1".into()
    }
    fn plural(_: &()) -> Cow<'_, str> {
        "networkpolicies".into()
    }
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

/// The tier a cluster-wide policy sits in: Admin before NetworkPolicies,
/// Baseline after them (network-policy-api: Admin → NetworkPolicy →
/// Baseline → allow).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    Admin,
    /// The namespaced NetworkPolicies.
    NetworkPolicy,
    Baseline,
}

/// What a cluster-wide rule does with the traffic it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Accepted (ANP and BANP call it `Allow`): no later rule decides.
    Accept,
    /// Dropped: no later rule decides.
    Deny,
    /// Skips the rest of its tier: the next tier decides.
    Pass,
}

/// Which of the three cluster-wide kinds a [`ClusterPolicy`] was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ClusterKind {
    ClusterNetworkPolicy,
    AdminNetworkPolicy,
    BaselineAdminNetworkPolicy,
}

impl ClusterKind {
    /// The kind as written in manifests.
    pub fn name(self) -> &'static str {
        match self {
            ClusterKind::ClusterNetworkPolicy => "ClusterNetworkPolicy",
            ClusterKind::AdminNetworkPolicy => "AdminNetworkPolicy",
            ClusterKind::BaselineAdminNetworkPolicy => "BaselineAdminNetworkPolicy",
        }
    }
}

/// Which pods a cluster-wide policy (or one of its peers) selects.
#[derive(Clone, Debug)]
pub enum ClusterSelector {
    /// Every pod of the namespaces the selector matches.
    Namespaces(LabelSelector),
    /// The pods the pod selector matches in the namespaces the namespace
    /// selector matches (an empty selector matches all).
    Pods {
        namespaces: LabelSelector,
        pods: LabelSelector,
    },
}

/// One peer of a cluster-wide rule.
#[derive(Clone, Debug)]
pub enum ClusterPeer {
    Select(ClusterSelector),
    /// Egress only: the addresses of the Nodes the selector matches.
    Nodes(LabelSelector),
    /// Egress only: CIDRs, which match pod addresses too.
    Networks(Vec<String>, AddressSet),
    /// Egress only: DNS names (outside the cluster).
    DomainNames(Vec<String>),
    /// No field svcx knows is set (a newer CRD's peer): the API says to
    /// fail closed, matching nothing for Accept and everything otherwise.
    Unrecognized,
}

/// One rule of a cluster-wide policy.
#[derive(Clone, Debug)]
pub struct ClusterRule {
    pub name: Option<String>,
    pub action: Action,
    pub peers: Vec<ClusterPeer>,
    /// `None`: every port (`protocols` or `ports` not set).
    pub ports: Option<Vec<PortMatch>>,
}

/// A ClusterNetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy.
#[derive(Clone, Debug)]
pub struct ClusterPolicy {
    /// Only `name` is kept (these kinds are cluster-scoped).
    pub metadata: ObjectMeta,
    pub kind: ClusterKind,
    pub tier: Tier,
    /// Lower first; a BaselineAdminNetworkPolicy (one per cluster) has none.
    pub priority: Option<i32>,
    pub subject: ClusterSelector,
    pub ingress: Vec<ClusterRule>,
    pub egress: Vec<ClusterRule>,
}

impl ClusterPolicy {
    /// The rules of one direction, in precedence order (as written).
    pub fn rules(&self, direction: Direction) -> &[ClusterRule] {
        match direction {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }

    /// The policy's name.
    pub fn name(&self) -> &str {
        self.metadata.name.as_deref().unwrap_or_default()
    }
}

// ------------------------------------------------------------ wire shapes

#[derive(Deserialize)]
struct RawMeta {
    name: Option<String>,
    namespace: Option<String>,
    uid: Option<String>,
}

/// The metadata kept: name, namespace, uid.
fn meta(m: Option<RawMeta>) -> ObjectMeta {
    {
        let m = m.unwrap_or(RawMeta {
            name: None,
            namespace: None,
            uid: None,
        });
        ObjectMeta {
            name: m.name,
            namespace: m.namespace,
            uid: m.uid,
            ..Default::default()
        }
    }
}

#[derive(Deserialize)]
struct RawNetworkPolicy {
    metadata: Option<RawMeta>,
    spec: Option<RawNetworkPolicySpec>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawNetworkPolicySpec {
    pod_selector: Option<LabelSelector>,
    policy_types: Option<Vec<Direction>>,
    ingress: Option<Vec<NetworkPolicyRule>>,
    egress: Option<Vec<NetworkPolicyRule>>,
}

impl<'de> Deserialize<'de> for Direction {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match String::deserialize(d)?.as_str() {
            "Ingress" => Ok(Direction::Ingress),
            "Egress" => Ok(Direction::Egress),
            other => Err(serde::de::Error::custom(format!(
                "unknown policy type `{other}`: expected `Ingress` or `Egress`"
            ))),
        }
    }
}

impl From<RawNetworkPolicy> for NetworkPolicy {
    fn from(raw: RawNetworkPolicy) -> Self {
        let spec = raw.spec.unwrap_or(RawNetworkPolicySpec {
            pod_selector: None,
            policy_types: None,
            ingress: None,
            egress: None,
        });
        let egress = spec.egress.unwrap_or_default();
        NetworkPolicy {
            metadata: meta(raw.metadata),
            pod_selector: spec.pod_selector,
            policy_types: spec.policy_types,
            ingress: spec.ingress.unwrap_or_default(),
            egress_written: !egress.is_empty(),
            egress,
        }
    }
}

#[derive(Deserialize)]
struct RawRule {
    from: Option<Vec<Peer>>,
    to: Option<Vec<Peer>>,
    ports: Option<Vec<RawNetworkPolicyPort>>,
}

impl From<RawRule> for NetworkPolicyRule {
    fn from(raw: RawRule) -> Self {
        NetworkPolicyRule {
            peers: raw.from.or(raw.to).unwrap_or_default(),
            ports: raw
                .ports
                .unwrap_or_default()
                .into_iter()
                .map(|p| p.0)
                .collect(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPeer {
    pod_selector: Option<LabelSelector>,
    namespace_selector: Option<LabelSelector>,
    ip_block: Option<RawIpBlock>,
}

impl TryFrom<RawPeer> for Peer {
    type Error = String;

    /// NetworkPolicyPeer: exactly one of ipBlock, or podSelector and/or
    /// namespaceSelector (ValidateNetworkPolicyPeer).
    fn try_from(raw: RawPeer) -> Result<Self, String> {
        match (raw.ip_block, raw.pod_selector, raw.namespace_selector) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(
                "ipBlock cannot be combined with podSelector or namespaceSelector in one peer: \
                 write them as two entries"
                    .to_string(),
            ),
            (Some(b), None, None) => Ok(Peer::IpBlock {
                set: b.set,
                cidr: b.cidr.0,
                except: b.except.into_iter().map(|e| e.0).collect(),
            }),
            (None, None, None) => {
                Err("a peer must set podSelector, namespaceSelector or ipBlock".to_string())
            }
            (None, pods, namespaces) => Ok(Peer::Pods { namespaces, pods }),
        }
    }
}

/// A CIDR as text, checked as the API server checks it.
#[derive(Deserialize)]
#[serde(try_from = "String")]
struct CidrText(String);

impl TryFrom<String> for CidrText {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        match Cidr::parse(&s) {
            Some(_) if s.contains('/') => Ok(CidrText(s)),
            _ => Err(format!(
                "`{s}` is not a CIDR such as 10.0.0.0/8 or 2001:db8::/64"
            )),
        }
    }
}

#[derive(Deserialize)]
#[serde(try_from = "RawIpBlockFields")]
struct RawIpBlock {
    cidr: CidrText,
    except: Vec<CidrText>,
    set: AddressSet,
}

#[derive(Deserialize)]
struct RawIpBlockFields {
    cidr: CidrText,
    except: Option<Vec<CidrText>>,
}

impl TryFrom<RawIpBlockFields> for RawIpBlock {
    type Error = String;

    /// Every `except` must lie inside `cidr` (ValidateIPBlock).
    fn try_from(raw: RawIpBlockFields) -> Result<Self, String> {
        let except = raw.except.unwrap_or_default();
        let whole = AddressSet::block(&raw.cidr.0, &[]).unwrap_or_default();
        for e in &except {
            let part = AddressSet::block(&e.0, &[]).unwrap_or_default();
            if !whole.covers(&part) {
                return Err(format!(
                    "except `{}` is not inside cidr `{}`: the API server rejects it",
                    e.0, raw.cidr.0
                ));
            }
        }
        let texts: Vec<String> = except.iter().map(|e| e.0.clone()).collect();
        Ok(RawIpBlock {
            set: AddressSet::block(&raw.cidr.0, &texts).unwrap_or_default(),
            cidr: raw.cidr,
            except,
        })
    }
}

#[derive(Deserialize)]
#[serde(try_from = "RawPortFields")]
struct RawNetworkPolicyPort(PortMatch);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPortFields {
    protocol: Option<String>,
    port: Option<IntOrString>,
    end_port: Option<i32>,
}

impl TryFrom<RawPortFields> for RawNetworkPolicyPort {
    type Error = String;

    /// NetworkPolicyPort: protocol defaults to TCP; `endPort` needs a
    /// numeric `port` no greater than it.
    fn try_from(raw: RawPortFields) -> Result<Self, String> {
        let protocol = Some(raw.protocol.unwrap_or_else(|| "TCP".to_string()));
        let port = match (raw.port, raw.end_port) {
            (None, None) => PortSpec::Any,
            (None, Some(_)) => {
                return Err("endPort needs a port to start the range at".to_string());
            }
            (Some(IntOrString::Int(n)), None) => PortSpec::Number(n),
            (Some(IntOrString::Int(n)), Some(end)) if end >= n => PortSpec::Range(n, end),
            (Some(IntOrString::Int(n)), Some(end)) => {
                return Err(format!(
                    "endPort {end} is below port {n}: the API server rejects it"
                ));
            }
            (Some(IntOrString::String(s)), None) => match s.parse::<i32>() {
                Ok(n) => PortSpec::Number(n),
                Err(_) => PortSpec::Named(s),
            },
            (Some(IntOrString::String(s)), Some(_)) => {
                return Err(format!(
                    "endPort cannot follow the named port `{s}`: a range needs a number"
                ));
            }
        };
        Ok(RawNetworkPolicyPort(PortMatch { protocol, port }))
    }
}

// ----------------------------------------------- cluster-wide policies

/// A ClusterNetworkPolicy as read: it becomes a [`ClusterPolicy`].
#[derive(Deserialize)]
#[serde(try_from = "RawCnp")]
pub struct ClusterNetworkPolicyObject(pub ClusterPolicy);

/// An AdminNetworkPolicy as read: it becomes a [`ClusterPolicy`].
#[derive(Deserialize)]
#[serde(try_from = "RawAnp")]
pub struct AdminNetworkPolicyObject(pub ClusterPolicy);

/// A BaselineAdminNetworkPolicy as read: it becomes a [`ClusterPolicy`].
#[derive(Deserialize)]
#[serde(try_from = "RawBanp")]
pub struct BaselineAdminNetworkPolicyObject(pub ClusterPolicy);

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
    use serde_json::json;

    fn np(v: serde_json::Value) -> Result<NetworkPolicy, String> {
        serde_path_to_error::deserialize(v).map_err(|e| format!("{}: {}", e.path(), e.inner()))
    }

    /// policyTypes defaults (NetworkPolicySpec): Ingress always, Egress
    /// only when the policy has egress rules.
    #[test]
    fn policy_types_default_by_the_rules_written() {
        let ingress_only = np(json!({"spec": {"podSelector": {}}})).unwrap();
        assert!(ingress_only.isolates(Direction::Ingress));
        assert!(!ingress_only.isolates(Direction::Egress));
        let with_egress = np(json!({"spec": {"egress": [{"to": [{"podSelector": {}}]}]}})).unwrap();
        assert!(with_egress.isolates(Direction::Egress));
        assert!(with_egress.isolates(Direction::Ingress));
        let empty_egress = np(json!({"spec": {"egress": []}})).unwrap();
        assert!(!empty_egress.isolates(Direction::Egress));
        let egress_only = np(json!({"spec": {"policyTypes": ["Egress"]}})).unwrap();
        assert!(!egress_only.isolates(Direction::Ingress));
        assert!(egress_only.isolates(Direction::Egress));
        assert!(egress_only.pod_selector.is_none(), "omitted stays omitted");
    }

    /// The API server's validation, at the field: a peer mixing ipBlock and
    /// a selector, an invalid CIDR, an except outside the cidr, endPort on a
    /// named port or below port, an unknown policy type.
    #[test]
    fn invalid_fields_are_errors_at_their_path() {
        let peer = |p: serde_json::Value| np(json!({"spec": {"ingress": [{"from": [p]}]}}));
        let e = peer(json!({"ipBlock": {"cidr": "10.0.0.0/8"}, "podSelector": {}})).unwrap_err();
        assert!(
            e.starts_with("spec.ingress[0].from[0]: ipBlock cannot"),
            "{e}"
        );
        let e = peer(json!({"ipBlock": {"cidr": "10.0.0.0"}})).unwrap_err();
        assert!(
            e.starts_with("spec.ingress[0].from[0].ipBlock.cidr: "),
            "{e}"
        );
        let e = peer(json!({"ipBlock": {"cidr": "10.0.0.0/8", "except": ["192.168.0.0/16"]}}))
            .unwrap_err();
        assert!(
            e.starts_with("spec.ingress[0].from[0].ipBlock: except"),
            "{e}"
        );
        let e = peer(json!({})).unwrap_err();
        assert!(e.contains("must set"), "{e}");
        let port = |p: serde_json::Value| np(json!({"spec": {"ingress": [{"ports": [p]}]}}));
        let e = port(json!({"port": "http", "endPort": 9000})).unwrap_err();
        assert!(e.starts_with("spec.ingress[0].ports[0]: endPort"), "{e}");
        let e = port(json!({"port": 9000, "endPort": 80})).unwrap_err();
        assert!(e.contains("below port"), "{e}");
        let e = np(json!({"spec": {"policyTypes": ["Inbound"]}})).unwrap_err();
        assert!(
            e.starts_with("spec.policyTypes[0]: unknown policy type"),
            "{e}"
        );
    }

    #[test]
    fn ports_read_as_the_api_defines_them() {
        let p = np(json!({"spec": {"ingress": [{"ports": [
            {"port": 8080}, {"protocol": "UDP", "port": 53}, {"port": "http"},
            {"port": 32000, "endPort": 32768}, {"protocol": "SCTP"}
        ]}]}}))
        .unwrap();
        let ports: Vec<(Option<&str>, &PortSpec)> = p.ingress[0]
            .ports
            .iter()
            .map(|m| (m.protocol.as_deref(), &m.port))
            .collect();
        assert_eq!(
            ports,
            [
                (Some("TCP"), &PortSpec::Number(8080)),
                (Some("UDP"), &PortSpec::Number(53)),
                (Some("TCP"), &PortSpec::Named("http".into())),
                (Some("TCP"), &PortSpec::Range(32000, 32768)),
                (Some("SCTP"), &PortSpec::Any),
            ]
        );
    }

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
