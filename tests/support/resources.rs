//! The resource types the test API server knows: what discovery advertises and
//! which URL paths it answers. Secrets are deliberately absent.

/// One resource as `/api/v1` or `/apis/GROUP/VERSION` lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceType {
    /// API group; empty for the core group.
    pub group: &'static str,
    pub version: &'static str,
    /// Plural name, as it appears in URLs (`services`).
    pub plural: &'static str,
    pub singular: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
    pub short_names: &'static [&'static str],
    /// Whether objects of this type are custom resources, whose list items
    /// carry `kind` and `apiVersion` (built-in list items do not).
    pub custom: bool,
}

impl ResourceType {
    /// `v1` or `group/version`.
    pub fn group_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The URL prefix of this resource's group version: `/api/v1` or `/apis/G/V`.
    pub fn prefix(&self) -> String {
        if self.group.is_empty() {
            format!("/api/{}", self.version)
        } else {
            format!("/apis/{}/{}", self.group, self.version)
        }
    }

    /// Whether this is a Gateway API resource.
    pub fn is_gateway_api(&self) -> bool {
        self.group == GATEWAY_GROUP
    }

    /// Whether this is a network-policy-api resource (a CRD, served only
    /// where it is installed).
    pub fn is_policy_api(&self) -> bool {
        self.group == POLICY_GROUP
    }
}

pub const GATEWAY_GROUP: &str = "gateway.networking.k8s.io";
pub const POLICY_GROUP: &str = "policy.networking.k8s.io";

const fn builtin(
    group: &'static str,
    version: &'static str,
    plural: &'static str,
    singular: &'static str,
    kind: &'static str,
    namespaced: bool,
    short_names: &'static [&'static str],
) -> ResourceType {
    ResourceType {
        group,
        version,
        plural,
        singular,
        kind,
        namespaced,
        short_names,
        custom: false,
    }
}

const fn gateway(
    version: &'static str,
    plural: &'static str,
    singular: &'static str,
    kind: &'static str,
    namespaced: bool,
    short_names: &'static [&'static str],
) -> ResourceType {
    ResourceType {
        group: GATEWAY_GROUP,
        version,
        plural,
        singular,
        kind,
        namespaced,
        short_names,
        custom: true,
    }
}

/// Every resource the server can serve. The Gateway API kinds appear only when
/// the server is told the Gateway API is installed. TLSRoute, TCPRoute and
/// UDPRoute are served at v1alpha2 only, as the experimental channel did
/// before TLSRoute reached v1, so clients must cope with a version other than
/// the one their types were written for.
pub const RESOURCES: &[ResourceType] = &[
    builtin("", "v1", "pods", "pod", "Pod", true, &["po"]),
    builtin("", "v1", "services", "service", "Service", true, &["svc"]),
    builtin(
        "",
        "v1",
        "endpoints",
        "endpoints",
        "Endpoints",
        true,
        &["ep"],
    ),
    builtin("", "v1", "nodes", "node", "Node", false, &["no"]),
    builtin(
        "",
        "v1",
        "namespaces",
        "namespace",
        "Namespace",
        false,
        &["ns"],
    ),
    builtin("", "v1", "events", "event", "Event", true, &["ev"]),
    builtin(
        "",
        "v1",
        "configmaps",
        "configmap",
        "ConfigMap",
        true,
        &["cm"],
    ),
    builtin(
        "apps",
        "v1",
        "deployments",
        "deployment",
        "Deployment",
        true,
        &["deploy"],
    ),
    builtin(
        "apps",
        "v1",
        "replicasets",
        "replicaset",
        "ReplicaSet",
        true,
        &["rs"],
    ),
    builtin(
        "apps",
        "v1",
        "statefulsets",
        "statefulset",
        "StatefulSet",
        true,
        &["sts"],
    ),
    builtin(
        "apps",
        "v1",
        "daemonsets",
        "daemonset",
        "DaemonSet",
        true,
        &["ds"],
    ),
    builtin(
        "discovery.k8s.io",
        "v1",
        "endpointslices",
        "endpointslice",
        "EndpointSlice",
        true,
        &[],
    ),
    builtin(
        "networking.k8s.io",
        "v1",
        "ingresses",
        "ingress",
        "Ingress",
        true,
        &["ing"],
    ),
    builtin(
        "networking.k8s.io",
        "v1",
        "ingressclasses",
        "ingressclass",
        "IngressClass",
        false,
        &[],
    ),
    builtin(
        "networking.k8s.io",
        "v1",
        "networkpolicies",
        "networkpolicy",
        "NetworkPolicy",
        true,
        &["netpol"],
    ),
    ResourceType {
        group: POLICY_GROUP,
        version: "v1alpha2",
        plural: "clusternetworkpolicies",
        singular: "clusternetworkpolicy",
        kind: "ClusterNetworkPolicy",
        namespaced: false,
        short_names: &["cnp"],
        custom: true,
    },
    ResourceType {
        group: POLICY_GROUP,
        version: "v1alpha1",
        plural: "adminnetworkpolicies",
        singular: "adminnetworkpolicy",
        kind: "AdminNetworkPolicy",
        namespaced: false,
        short_names: &["anp"],
        custom: true,
    },
    ResourceType {
        group: POLICY_GROUP,
        version: "v1alpha1",
        plural: "baselineadminnetworkpolicies",
        singular: "baselineadminnetworkpolicy",
        kind: "BaselineAdminNetworkPolicy",
        namespaced: false,
        short_names: &["banp"],
        custom: true,
    },
    builtin(
        "events.k8s.io",
        "v1",
        "events",
        "event",
        "Event",
        true,
        &["ev"],
    ),
    gateway(
        "v1",
        "gatewayclasses",
        "gatewayclass",
        "GatewayClass",
        false,
        &["gc"],
    ),
    gateway("v1", "gateways", "gateway", "Gateway", true, &["gtw"]),
    gateway(
        "v1",
        "listenersets",
        "listenerset",
        "ListenerSet",
        true,
        &["lset"],
    ),
    gateway("v1", "httproutes", "httproute", "HTTPRoute", true, &[]),
    gateway("v1", "grpcroutes", "grpcroute", "GRPCRoute", true, &[]),
    gateway(
        "v1",
        "referencegrants",
        "referencegrant",
        "ReferenceGrant",
        true,
        &["refgrant"],
    ),
    gateway("v1alpha2", "tlsroutes", "tlsroute", "TLSRoute", true, &[]),
    gateway("v1alpha2", "tcproutes", "tcproute", "TCPRoute", true, &[]),
    gateway("v1alpha2", "udproutes", "udproute", "UDPRoute", true, &[]),
];

/// The resource that stores objects of `group` and `kind`. The core `Event`
/// is stored once, under the core group.
pub fn for_kind(group: &str, kind: &str) -> Option<&'static ResourceType> {
    RESOURCES
        .iter()
        .find(|r| r.group == group && r.kind == kind)
}

/// The resource served at `group`/`version` under `plural`.
pub fn at(group: &str, version: &str, plural: &str) -> Option<&'static ResourceType> {
    RESOURCES
        .iter()
        .find(|r| r.group == group && r.version == version && r.plural == plural)
}

/// The resource table with some resources served at other versions than
/// the table's: `versions` maps a plural to every version it is served at
/// (a Gateway API release serves TCPRoute at v1, an older experimental
/// channel at v1alpha2, v1.5 serves ReferenceGrant at v1beta1 and v1).
/// Objects are stored by group and plural, so every version serves them.
pub fn served_at(
    versions: &std::collections::HashMap<String, Vec<&'static str>>,
) -> Vec<ResourceType> {
    RESOURCES
        .iter()
        .flat_map(|r| match versions.get(r.plural) {
            Some(vs) => vs
                .iter()
                .map(|v| ResourceType { version: v, ..*r })
                .collect(),
            None => vec![*r],
        })
        .collect()
}
