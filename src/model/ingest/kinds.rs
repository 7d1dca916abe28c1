//! What svcx reads: the one table of kinds ([`KINDS`]: group and kind, the
//! API versions accepted, the list of the snapshot an object goes to), the
//! versions no longer served ([`OLD_VERSIONS`]), and the questions asked of
//! them.

/// The list of the [`Snapshot`](crate::model::Snapshot) an object goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Destination {
    Service,
    EndpointSlice,
    /// v1 Endpoints, kept as the slices the mirroring controller writes.
    Endpoints,
    Pod,
    Node,
    Namespace,
    Ingress,
    IngressClass,
    GatewayClass,
    Gateway,
    ListenerSet,
    HttpRoute,
    GrpcRoute,
    TlsRoute,
    TcpRoute,
    UdpRoute,
    ReferenceGrant,
    NetworkPolicy,
    /// ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy.
    ClusterPolicy(ClusterKindTarget),
    /// A controller whose pod template stands in for its pods offline.
    Workload(TemplateAt),
}

/// Which cluster-wide policy kind an object is read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ClusterKindTarget {
    Cnp,
    Anp,
    Banp,
}

/// Where a workload keeps its pod template and selector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TemplateAt {
    /// `spec.template`, `spec.selector` a LabelSelector.
    Template,
    /// CronJob: `spec.jobTemplate.spec.template`.
    JobTemplate,
    /// ReplicationController: `spec.selector` a plain label map, defaulting
    /// to the template's labels.
    LabelMap,
}

/// One kind svcx reads.
#[derive(Debug)]
pub struct KnownKind {
    pub(crate) group: &'static str,
    pub(crate) kind: &'static str,
    /// Accepted versions, the preferred (current) one first.
    pub(crate) versions: &'static [&'static str],
    pub(crate) cluster_scoped: bool,
    pub(super) target: Destination,
}

impl KnownKind {
    /// `v1`, `apps/v1`: the apiVersion to write for this kind.
    pub(crate) fn api_version(&self) -> String {
        api_version(self.group, self.versions[0])
    }
}

pub(super) const fn kind(
    group: &'static str,
    kind: &'static str,
    versions: &'static [&'static str],
    target: Destination,
) -> KnownKind {
    KnownKind {
        group,
        kind,
        versions,
        cluster_scoped: false,
        target,
    }
}

pub(super) const fn cluster(
    group: &'static str,
    kind_: &'static str,
    versions: &'static [&'static str],
    target: Destination,
) -> KnownKind {
    KnownKind {
        cluster_scoped: true,
        ..kind(group, kind_, versions, target)
    }
}

pub(super) const GATEWAY: &str = "gateway.networking.k8s.io";
/// The network-policy-api's group (ClusterNetworkPolicy and the kinds it replaced).
pub(crate) const POLICY_API: &str = "policy.networking.k8s.io";

/// What svcx reads. Versions are those current clusters and manifests carry:
/// Kubernetes' GA APIs, for the Gateway API every version a release from
/// v1.2 to v1.6 serves (standard or experimental channel; the CRDs are
/// checked in docs/decisions.md), and for the network-policy-api
/// ClusterNetworkPolicy `v1alpha2` (v0.2.0) and the `v1alpha1` kinds it
/// replaced, which older clusters still serve.
pub(crate) const KINDS: &[KnownKind] = &[
    kind("", "Service", &["v1"], Destination::Service),
    kind("", "Pod", &["v1"], Destination::Pod),
    cluster("", "Node", &["v1"], Destination::Node),
    cluster("", "Namespace", &["v1"], Destination::Namespace),
    kind(
        "",
        "ReplicationController",
        &["v1"],
        Destination::Workload(TemplateAt::LabelMap),
    ),
    kind("", "Endpoints", &["v1"], Destination::Endpoints),
    kind(
        "discovery.k8s.io",
        "EndpointSlice",
        &["v1"],
        Destination::EndpointSlice,
    ),
    kind(
        "networking.k8s.io",
        "Ingress",
        &["v1"],
        Destination::Ingress,
    ),
    cluster(
        "networking.k8s.io",
        "IngressClass",
        &["v1"],
        Destination::IngressClass,
    ),
    kind(
        "networking.k8s.io",
        "NetworkPolicy",
        &["v1"],
        Destination::NetworkPolicy,
    ),
    cluster(
        POLICY_API,
        "ClusterNetworkPolicy",
        &["v1alpha2"],
        Destination::ClusterPolicy(ClusterKindTarget::Cnp),
    ),
    cluster(
        POLICY_API,
        "AdminNetworkPolicy",
        &["v1alpha1"],
        Destination::ClusterPolicy(ClusterKindTarget::Anp),
    ),
    cluster(
        POLICY_API,
        "BaselineAdminNetworkPolicy",
        &["v1alpha1"],
        Destination::ClusterPolicy(ClusterKindTarget::Banp),
    ),
    kind(
        "apps",
        "Deployment",
        &["v1"],
        Destination::Workload(TemplateAt::Template),
    ),
    kind(
        "apps",
        "StatefulSet",
        &["v1"],
        Destination::Workload(TemplateAt::Template),
    ),
    kind(
        "apps",
        "DaemonSet",
        &["v1"],
        Destination::Workload(TemplateAt::Template),
    ),
    kind(
        "apps",
        "ReplicaSet",
        &["v1"],
        Destination::Workload(TemplateAt::Template),
    ),
    kind(
        "batch",
        "Job",
        &["v1"],
        Destination::Workload(TemplateAt::Template),
    ),
    kind(
        "batch",
        "CronJob",
        &["v1"],
        Destination::Workload(TemplateAt::JobTemplate),
    ),
    cluster(
        GATEWAY,
        "GatewayClass",
        &["v1", "v1beta1"],
        Destination::GatewayClass,
    ),
    kind(GATEWAY, "Gateway", &["v1", "v1beta1"], Destination::Gateway),
    kind(GATEWAY, "ListenerSet", &["v1"], Destination::ListenerSet),
    kind(
        GATEWAY,
        "HTTPRoute",
        &["v1", "v1beta1"],
        Destination::HttpRoute,
    ),
    kind(GATEWAY, "GRPCRoute", &["v1"], Destination::GrpcRoute),
    kind(
        GATEWAY,
        "TLSRoute",
        &["v1", "v1alpha3", "v1alpha2"],
        Destination::TlsRoute,
    ),
    kind(
        GATEWAY,
        "TCPRoute",
        &["v1", "v1alpha2"],
        Destination::TcpRoute,
    ),
    kind(
        GATEWAY,
        "UDPRoute",
        &["v1", "v1alpha2"],
        Destination::UdpRoute,
    ),
    kind(
        GATEWAY,
        "ReferenceGrant",
        &["v1", "v1beta1"],
        Destination::ReferenceGrant,
    ),
];

/// API versions that once served kinds svcx reads and no longer do.
#[derive(Debug)]
pub(crate) struct OldVersion {
    pub(crate) group: &'static str,
    pub(crate) versions: &'static [&'static str],
    pub(crate) kinds: &'static [&'static str],
    /// Completes "that API ...".
    pub(crate) gone: &'static str,
}

/// Old API versions of the kinds svcx reads: skipped with a notice that
/// says when they went away (Kubernetes' deprecation guide; Gateway API
/// CRDs of v1.2 and later).
pub(crate) const OLD_VERSIONS: &[OldVersion] = &[
    OldVersion {
        group: "extensions",
        versions: &["v1beta1"],
        kinds: &["Deployment", "DaemonSet", "ReplicaSet", "NetworkPolicy"],
        gone: "was removed in Kubernetes 1.16",
    },
    OldVersion {
        group: "apps",
        versions: &["v1beta1", "v1beta2"],
        kinds: &["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"],
        gone: "was removed in Kubernetes 1.16",
    },
    OldVersion {
        group: "extensions",
        versions: &["v1beta1"],
        kinds: &["Ingress"],
        gone: "was removed in Kubernetes 1.22",
    },
    OldVersion {
        group: "networking.k8s.io",
        versions: &["v1beta1"],
        kinds: &["Ingress", "IngressClass"],
        gone: "was removed in Kubernetes 1.22",
    },
    OldVersion {
        group: "discovery.k8s.io",
        versions: &["v1beta1"],
        kinds: &["EndpointSlice"],
        gone: "was removed in Kubernetes 1.25",
    },
    OldVersion {
        group: "batch",
        versions: &["v1beta1"],
        kinds: &["CronJob"],
        gone: "was removed in Kubernetes 1.25",
    },
    OldVersion {
        group: GATEWAY,
        versions: &["v1alpha2"],
        kinds: &[
            "GatewayClass",
            "Gateway",
            "HTTPRoute",
            "GRPCRoute",
            "ReferenceGrant",
        ],
        gone: "is not served by Gateway API v1.2 or later",
    },
    OldVersion {
        group: "networking.x-k8s.io",
        versions: &["v1alpha1"],
        kinds: &[
            "GatewayClass",
            "Gateway",
            "HTTPRoute",
            "TCPRoute",
            "UDPRoute",
            "TLSRoute",
        ],
        gone: "is the Gateway API before v0.4, which moved to gateway.networking.k8s.io",
    },
];

/// Kinds that only exist at cluster scope, among those svcx does not read
/// (for those it reads, [`KINDS`] says): they count in no namespace.
pub(super) const OTHER_CLUSTER_SCOPED: &[&str] = &[
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "APIService",
    "StorageClass",
    "PersistentVolume",
    "PriorityClass",
    "RuntimeClass",
    "CSIDriver",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
];

/// `apiVersion` from group and version (the core group has no prefix).
pub(super) fn api_version(group: &str, version: &str) -> String {
    if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    }
}

/// Groups whose kinds are Kubernetes' own (core, the built-in groups, and
/// `*.k8s.io`): a kind svcx reads, met in one of these at the wrong place, is
/// a mistake. In any other group a same-named kind is someone else's (Istio's
/// `Gateway`, Knative's `Service`).
pub(super) fn kubernetes_group(group: &str) -> bool {
    matches!(
        group,
        "" | "apps" | "batch" | "extensions" | "autoscaling" | "policy"
    ) || group.ends_with(".k8s.io")
}

/// Kinds outside Kubernetes' own groups that svcx does not read and that
/// create no pods: the Multi-Cluster Services API's ServiceExport and
/// ServiceImport (KEP-1645), upstream and as GKE serves them (`net.gke.io`);
/// Envoy Gateway's policies and filters (envoyproxy/gateway d32f282
/// api/v1alpha1: they configure the proxies its EnvoyProxy places) and NGINX
/// Gateway Fabric's (nginx/nginx-gateway-fabric e55bfe3 apis/v1alpha1,
/// v1alpha2). Another custom resource may be an operator's, whose pods a
/// Service could select (see the SVC101/SVC102 choice in
/// `view_findings::backends`).
pub(super) fn creates_no_pods(group: &str, kind: &str) -> bool {
    match group {
        "multicluster.x-k8s.io" | "net.gke.io" => matches!(kind, "ServiceExport" | "ServiceImport"),
        "gateway.envoyproxy.io" => matches!(
            kind,
            "BackendTrafficPolicy"
                | "ClientTrafficPolicy"
                | "SecurityPolicy"
                | "EnvoyExtensionPolicy"
                | "EnvoyPatchPolicy"
                | "Backend"
                | "HTTPRouteFilter"
        ),
        "gateway.nginx.org" => matches!(
            kind,
            "ClientSettingsPolicy"
                | "ObservabilityPolicy"
                | "UpstreamSettingsPolicy"
                | "SnippetsFilter"
                | "NginxGateway"
        ),
        _ => false,
    }
}

/// The row of [`KINDS`] for a group and kind.
pub(crate) fn known_kind(group: &str, kind: &str) -> Option<&'static KnownKind> {
    KINDS.iter().find(|k| k.group == group && k.kind == kind)
}

/// The row of [`OLD_VERSIONS`] for an apiVersion and kind.
pub(crate) fn old_version(group: &str, version: &str, kind: &str) -> Option<&'static OldVersion> {
    OLD_VERSIONS
        .iter()
        .find(|o| o.group == group && o.versions.contains(&version) && o.kinds.contains(&kind))
}

/// Whether objects of this apiVersion and kind are ones svcx does not read
/// at all (a ConfigMap, a CRD, a third party's kind): counted and skipped,
/// with nothing to check in them. A kind svcx reads, at any version, is not;
/// nor are the proxies' parameters (EnvoyProxy, NginxProxy), of which a
/// few facts are read ([`crate::model::proxy_params`]).
pub(crate) fn unused_kind(api_version: &str, kind: &str) -> bool {
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    known_kind(group, kind).is_none()
        && old_version(group, version, kind).is_none()
        && !(kubernetes_group(group) && KINDS.iter().any(|k| k.kind == kind))
        && !crate::model::proxy_params::is_parameters(group, kind)
}
