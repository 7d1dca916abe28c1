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
//! The cluster-wide kinds' wire shapes are in `cluster`.
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
use std::collections::BTreeMap;

/// Which way traffic crosses the selected pod.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Direction {
    Ingress,
    Egress,
}

/// A NetworkPolicy, reduced to what admission needs.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(from = "RawNetworkPolicy")]
pub(crate) struct NetworkPolicy {
    /// Only `name`, `namespace`, `uid` and the `svcx/ignore` annotation
    /// are kept.
    pub(crate) metadata: ObjectMeta,
    /// `spec.podSelector`; `None` when omitted, which selects every pod of
    /// the namespace as `{}` does (optional from the 1.34 API).
    pub(crate) pod_selector: Option<LabelSelector>,
    /// `spec.policyTypes` as written; `None` when omitted.
    pub(crate) policy_types: Option<Vec<Direction>>,
    pub(crate) ingress: Vec<NetworkPolicyRule>,
    pub(crate) egress: Vec<NetworkPolicyRule>,
    /// Whether `spec.egress` was written with at least one rule (for the
    /// policyTypes default).
    egress_written: bool,
}

impl NetworkPolicy {
    /// Whether the policy isolates its pods in `direction`: `policyTypes`
    /// when written; else Ingress always, and Egress when the policy has
    /// egress rules (NetworkPolicySpec.policyTypes).
    pub(crate) fn isolates(&self, direction: Direction) -> bool {
        match &self.policy_types {
            Some(types) => types.contains(&direction),
            None => direction == Direction::Ingress || self.egress_written,
        }
    }

    /// The rules of one direction.
    pub(crate) fn rules(&self, direction: Direction) -> &[NetworkPolicyRule] {
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
pub(crate) struct NetworkPolicyRule {
    /// `from`/`to`; empty when omitted or empty, which matches every source
    /// (or destination).
    pub(crate) peers: Vec<Peer>,
    /// `ports`; empty when omitted or empty, which matches every port.
    pub(crate) ports: Vec<PortMatch>,
}

/// One `from`/`to` entry of a NetworkPolicy rule.
#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "RawPeer")]
pub(crate) enum Peer {
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
pub(crate) struct PortMatch {
    /// `None`: any protocol (a named port matches whatever protocol the
    /// container port has).
    pub(crate) protocol: Option<String>,
    pub(crate) port: PortSpec,
}

/// Which destination ports a rule matches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum PortSpec {
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
pub(crate) enum Tier {
    Admin,
    /// The namespaced NetworkPolicies.
    NetworkPolicy,
    Baseline,
}

/// What a cluster-wide rule does with the traffic it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Action {
    /// Accepted (ANP and BANP call it `Allow`): no later rule decides.
    Accept,
    /// Dropped: no later rule decides.
    Deny,
    /// Skips the rest of its tier: the next tier decides.
    Pass,
}

/// Which of the three cluster-wide kinds a [`ClusterPolicy`] was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[expect(
    clippy::enum_variant_names,
    reason = "the variants are the kinds' own names, as written in manifests"
)]
pub(crate) enum ClusterKind {
    ClusterNetworkPolicy,
    AdminNetworkPolicy,
    BaselineAdminNetworkPolicy,
}

impl ClusterKind {
    /// The kind as written in manifests.
    pub(crate) fn name(self) -> &'static str {
        match self {
            ClusterKind::ClusterNetworkPolicy => "ClusterNetworkPolicy",
            ClusterKind::AdminNetworkPolicy => "AdminNetworkPolicy",
            ClusterKind::BaselineAdminNetworkPolicy => "BaselineAdminNetworkPolicy",
        }
    }
}

/// Which pods a cluster-wide policy (or one of its peers) selects.
#[derive(Clone, Debug)]
pub(crate) enum ClusterSelector {
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
pub(crate) enum ClusterPeer {
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
pub(crate) struct ClusterRule {
    pub(crate) name: Option<String>,
    pub(crate) action: Action,
    pub(crate) peers: Vec<ClusterPeer>,
    /// `None`: every port (`protocols` or `ports` not set).
    pub(crate) ports: Option<Vec<PortMatch>>,
}

/// A ClusterNetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy.
#[derive(Clone, Debug)]
pub(crate) struct ClusterPolicy {
    /// Only `name` and the `svcx/ignore` annotation are kept (these kinds
    /// are cluster-scoped).
    pub(crate) metadata: ObjectMeta,
    pub(crate) kind: ClusterKind,
    pub(crate) tier: Tier,
    /// Lower first; a BaselineAdminNetworkPolicy (one per cluster) has none.
    pub(crate) priority: Option<i32>,
    pub(crate) subject: ClusterSelector,
    pub(crate) ingress: Vec<ClusterRule>,
    pub(crate) egress: Vec<ClusterRule>,
}

impl ClusterPolicy {
    /// The rules of one direction, in precedence order (as written).
    pub(crate) fn rules(&self, direction: Direction) -> &[ClusterRule] {
        match direction {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }

    /// The policy's name.
    pub(crate) fn name(&self) -> &str {
        self.metadata.name.as_deref().unwrap_or_default()
    }
}

// ------------------------------------------------------------ wire shapes

#[derive(Deserialize)]
pub(super) struct RawMeta {
    name: Option<String>,
    namespace: Option<String>,
    uid: Option<String>,
    annotations: Option<BTreeMap<String, String>>,
}

/// The metadata kept: name, namespace, uid, and of the annotations only
/// `svcx/ignore` (lint's per-object opt-out).
pub(super) fn meta(m: Option<RawMeta>) -> ObjectMeta {
    let Some(m) = m else {
        return ObjectMeta::default();
    };
    let annotations = m.annotations.and_then(|mut a| {
        let kept = a.remove(crate::model::finding::IGNORE_ANNOTATION)?;
        Some(BTreeMap::from([(
            crate::model::finding::IGNORE_ANNOTATION.to_string(),
            kept,
        )]))
    });
    ObjectMeta {
        name: m.name,
        namespace: m.namespace,
        uid: m.uid,
        annotations,
        ..Default::default()
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
pub(super) struct CidrText(pub(super) String);

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
}
