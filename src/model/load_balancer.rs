//! Who provisions a LoadBalancer Service's load balancer and how it delivers
//! traffic, read from what the manifest (or the cluster) shows: the
//! `loadBalancerClass`, the status `ipMode`, and the annotations of the
//! implementations svcx knows. This is the one table of these facts; explain,
//! trace, lint and migrate read it from [`super::view::LoadBalancerFacts`].
//! Where the input does not say, the answer is [`Delivery::Depends`]: svcx
//! does not guess the cloud.
//!
//! Sources, per implementation:
//! - **Kubernetes API** (k8s-openapi 0.28, `LoadBalancerIngress.ipMode`):
//!   `VIP`: "traffic is delivered to the node with the destination set to the
//!   load-balancer's IP and port"; `Proxy`: "to the node or pod with the
//!   destination set to the node's IP and node port or the pod's IP and port".
//!   `loadBalancerClass`: the default implementation ignores the Service.
//! - **AWS Load Balancer Controller** (kubernetes-sigs/aws-load-balancer-controller
//!   225f445): handles a Service whose class is `service.k8s.aws/nlb`, or
//!   annotated `aws-load-balancer-type: nlb-ip`, or `external` with an
//!   `aws-load-balancer-nlb-target-type` of `ip` or `instance`
//!   (`pkg/service/service_utils.go`, `IsServiceSupported`); targets are pod
//!   IPs for `nlb-ip` or target type `ip`, else instances on the node port
//!   (`pkg/service/model_build_target_group.go`, `buildTargetType`); the
//!   scheme is the `aws-load-balancer-scheme` annotation, else the legacy
//!   `aws-load-balancer-internal`, else internal by default since v2.2.0
//!   (`docs/guide/service/nlb.md`, `model_build_load_balancer.go`).
//! - **AWS cloud provider** (kubernetes/cloud-provider-aws 63ec440): any other
//!   Service it handles gets a Classic ELB whose listeners send to the node
//!   port (`pkg/providers/v1/aws.go`, `buildListener`: `InstancePort =
//!   NodePort`) or, with `aws-load-balancer-type: nlb`, an NLB whose target
//!   groups are instances on the node port (`aws_loadbalancer.go`,
//!   `ensureTargetGroup`; `aws.go`, `TrafficPort: NodePort`); types `external`
//!   and `nlb-ip` are left to another controller (`isLBExternal`). Internal
//!   when `aws-load-balancer-internal` is set to anything but `false`.
//! - **GKE** (cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer):
//!   a LoadBalancer Service gets a passthrough Network Load Balancer, whose
//!   packets reach the nodes with their destination address unchanged
//!   (cloud.google.com/load-balancing/docs/passthrough-network-load-balancer):
//!   the load balancer's IP, which kube-proxy catches. Internal with
//!   `networking.gke.io/load-balancer-type: Internal` (or the older
//!   `cloud.google.com/load-balancer-type`); the addresses asked for are named
//!   in `networking.gke.io/load-balancer-ip-addresses`.
//! - **Azure** (kubernetes-sigs/cloud-provider-azure 7b31c76,
//!   `pkg/provider/azure_loadbalancer.go`): load-balancing rules use floating
//!   IP with the Service port as backend port, so packets reach the node with
//!   the frontend IP as destination; with
//!   `azure-disable-load-balancer-floating-ip: "true"`, or for an internal
//!   load balancer's IPv6 frontend, the backend port is the node port.
//!   Internal with `azure-load-balancer-internal: "true"`.
//! - **MetalLB** (metallb/metallb 7938d3f, website/content/concepts): the
//!   node that announces the address (layer 2) or the routers' next hops
//!   (BGP) receive the traffic, and kube-proxy takes it from there; the
//!   address asked for is `spec.loadBalancerIP` or the
//!   `metallb.io/loadBalancerIPs` annotation (website/content/usage).
//! - `service.beta.kubernetes.io/load-balancer-source-ranges`: the client
//!   ranges when `spec.loadBalancerSourceRanges` is empty (k8s.io/cloud-provider
//!   `service/helpers.go`, `GetLoadBalancerSourceRanges`, used by the cloud
//!   providers).

use super::nodes::Family;
use super::view::LoadBalancerIngress;
use k8s_openapi::api::core::v1::Service;
use serde::Serialize;
use std::collections::BTreeMap;

/// Where the load balancer sends the traffic it receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Delivery {
    /// To every node's nodePort; kube-proxy forwards from there.
    NodePorts,
    /// To nodes, addressed to the load balancer's own IP, where kube-proxy
    /// catches it as it catches the cluster IP.
    LoadBalancerIp,
    /// Straight to pod IPs: no node port on the way.
    Pods,
    /// The input does not say: it depends on the implementation.
    Depends,
}

impl Delivery {
    /// A few words naming the way of delivery, for a heading.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Delivery::NodePorts => "Delivery to node ports",
            Delivery::LoadBalancerIp => "Delivery on the load balancer's own IP",
            Delivery::Pods => "Delivery straight to pods",
            Delivery::Depends => "Delivery by the implementation",
        }
    }

    /// Where it sends traffic, as the end of "the load balancer ...".
    pub(crate) fn how(self) -> &'static str {
        match self {
            Delivery::NodePorts => "sends connections to the nodes' node ports",
            Delivery::LoadBalancerIp => {
                "delivers packets to the nodes still addressed to its own IP, where kube-proxy catches them"
            }
            Delivery::Pods => "sends connections straight to pod IPs, past the node ports",
            Delivery::Depends => {
                "sends to the nodes' node ports, to the nodes on its own IP, or straight to pod IPs, as its \
                 implementation does: the Service does not say which"
            }
        }
    }
}

/// An implementation svcx knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[expect(
    clippy::enum_variant_names,
    reason = "AwsCloudProvider is the implementation's own name: the in-tree AWS cloud provider"
)]
pub(crate) enum Provider {
    AwsLoadBalancerController,
    AwsCloudProvider,
    Gke,
    Azure,
    #[serde(rename = "metallb")]
    MetalLb,
    /// Oracle Cloud (OCI), IBM Cloud, OpenStack (Octavia), DigitalOcean,
    /// Hetzner Cloud and Linode: recognised by their annotations, so that a
    /// Service written for one is not told to install a bare-metal
    /// controller; how each delivers traffic is not modelled (it depends).
    Oci,
    IbmCloud,
    #[serde(rename = "openstack")]
    OpenStack,
    #[serde(rename = "digitalocean")]
    DigitalOcean,
    Hetzner,
    Linode,
}

impl Provider {
    /// Its name in sentences.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Provider::AwsLoadBalancerController => "the AWS Load Balancer Controller",
            Provider::AwsCloudProvider => "the AWS cloud provider",
            Provider::Gke => "GKE",
            Provider::Azure => "the Azure cloud provider",
            Provider::MetalLb => "MetalLB",
            Provider::Oci => "the Oracle Cloud (OCI) cloud controller",
            Provider::IbmCloud => "the IBM Cloud cloud controller",
            Provider::OpenStack => "the OpenStack cloud controller (Octavia)",
            Provider::DigitalOcean => "the DigitalOcean cloud controller",
            Provider::Hetzner => "the Hetzner Cloud cloud controller",
            Provider::Linode => "the Linode cloud controller",
        }
    }
}

/// A fact and what in the input shows it (`annotation
/// service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Shown<T> {
    pub(crate) value: T,
    /// What says so; absent for a default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) by: Option<String>,
}

/// An address asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct RequestedAddress {
    /// An IP, or the name of a reserved address (GKE).
    pub(crate) value: String,
    /// `spec.loadBalancerIP` or the annotation's key.
    pub(crate) from: String,
    /// Whether `value` names a reserved address rather than being an IP.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) name: bool,
}

/// What the input shows of a load balancer's implementation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Implementation {
    /// Who provisions it, when the input says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) provider: Option<Shown<Provider>>,
    pub(crate) delivery: Shown<Delivery>,
    /// Reachable only from the provider's private network, when the input
    /// says so; absent when it does not (then it is public, or it depends).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) internal: Option<String>,
    /// The annotation (key, value as written) that makes it internal, when
    /// one does (not a class, nor a controller's default): what a Gateway
    /// can carry to its own load balancer.
    #[serde(skip)]
    pub(crate) internal_annotation: Option<(String, String)>,
    /// Addresses asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) requested: Vec<RequestedAddress>,
    /// `spec.loadBalancerSourceRanges`, else the older annotation's ranges.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) source_ranges: Vec<String>,
    /// What the ranges come from, when there are any: `loadBalancerSourceRanges`
    /// or the annotation's key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) source_ranges_from: Option<String>,
}

/// The AWS Load Balancer Controller's default class.
pub(crate) const AWS_NLB_CLASS: &str = "service.k8s.aws/nlb";
const AWS_TYPE: &str = "service.beta.kubernetes.io/aws-load-balancer-type";
const AWS_TARGET_TYPE: &str = "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type";
const AWS_SCHEME: &str = "service.beta.kubernetes.io/aws-load-balancer-scheme";
const AWS_INTERNAL: &str = "service.beta.kubernetes.io/aws-load-balancer-internal";
const AWS_PREFIX: &str = "service.beta.kubernetes.io/aws-load-balancer-";
const GKE_CLASSES: [&str; 2] = [
    "networking.gke.io/l4-regional-external",
    "networking.gke.io/l4-regional-internal",
];
const GKE_TYPE: [&str; 2] = [
    "networking.gke.io/load-balancer-type",
    "cloud.google.com/load-balancer-type",
];
/// GKE's annotation for the reserved addresses (by name) to use.
pub(crate) const GKE_ADDRESSES: &str = "networking.gke.io/load-balancer-ip-addresses";
const GKE_OTHERS: [&str; 4] = [
    "cloud.google.com/l4-rbs",
    "networking.gke.io/internal-load-balancer-subnet",
    "networking.gke.io/internal-load-balancer-allow-global-access",
    GKE_ADDRESSES,
];
const AZURE_PREFIX: &str = "service.beta.kubernetes.io/azure-";
const AZURE_INTERNAL: &str = "service.beta.kubernetes.io/azure-load-balancer-internal";
const AZURE_NO_FLOATING_IP: &str =
    "service.beta.kubernetes.io/azure-disable-load-balancer-floating-ip";
/// MetalLB's annotations, current and before v0.13.
const METALLB_PREFIXES: [&str; 2] = ["metallb.io/", "metallb.universe.tf/"];
/// MetalLB's annotations for the addresses asked for.
pub(crate) const METALLB_ADDRESSES: [&str; 2] = [
    "metallb.io/loadBalancerIPs",
    "metallb.universe.tf/loadBalancerIPs",
];
/// Other providers' annotations that make a load balancer internal.
/// Annotation prefixes of other clouds' load balancer controllers, and the
/// cloud each names: OCI's (docs.oracle.com, Kubernetes Engine, "Summary of
/// Annotations for Load Balancers and Network Load Balancers": the
/// `service.beta.kubernetes.io/oci-load-balancer-*` and
/// `oci.oraclecloud.com/*` keys), Hetzner Cloud's
/// (hcloud-cloud-controller-manager: `load-balancer.hetzner.cloud/location`
/// or `network-zone` is required), and the documented key families of IBM
/// Cloud, OpenStack's cloud-provider-openstack (Octavia), DigitalOcean and
/// Linode. Only which cloud a Service is written for is read from them.
const OTHER_CLOUDS: &[(&str, Provider)] = &[
    (
        "service.beta.kubernetes.io/oci-load-balancer-",
        Provider::Oci,
    ),
    ("oci.oraclecloud.com/", Provider::Oci),
    (
        "service.kubernetes.io/ibm-load-balancer-cloud-provider-",
        Provider::IbmCloud,
    ),
    ("loadbalancer.openstack.org/", Provider::OpenStack),
    (
        "service.beta.kubernetes.io/openstack-internal-load-balancer",
        Provider::OpenStack,
    ),
    (
        "service.beta.kubernetes.io/do-loadbalancer-",
        Provider::DigitalOcean,
    ),
    ("load-balancer.hetzner.cloud/", Provider::Hetzner),
    (
        "service.beta.kubernetes.io/linode-loadbalancer-",
        Provider::Linode,
    ),
];

const OTHER_INTERNAL: &[(&str, &str)] = &[
    (
        "service.beta.kubernetes.io/oci-load-balancer-internal",
        "true",
    ),
    (
        "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type",
        "private",
    ),
    (
        "service.beta.kubernetes.io/openstack-internal-load-balancer",
        "true",
    ),
];

/// The annotation that predates `spec.loadBalancerSourceRanges`.
pub(crate) const SOURCE_RANGES_ANNOTATION: &str =
    "service.beta.kubernetes.io/load-balancer-source-ranges";

fn shown<T>(value: T, by: Option<String>) -> Shown<T> {
    Shown { value, by }
}

/// Reads what a LoadBalancer Service's manifest shows of its implementation.
/// `families` are the Service's IP families; `ip_modes` the `ipMode` of each
/// status ingress with an IP; `metallb_objects` whether the input holds
/// MetalLB's own objects (address pools, advertisements), as a manifest
/// written for MetalLB does.
pub(crate) fn read(
    svc: &Service,
    families: &[Family],
    ip_modes: &[Option<&str>],
    metallb_objects: bool,
) -> Implementation {
    let empty = BTreeMap::new();
    let notes = svc.metadata.annotations.as_ref().unwrap_or(&empty);
    let spec = svc.spec.as_ref();
    let class = spec.and_then(|s| s.load_balancer_class.as_deref());
    let note = |k: &str| notes.get(k).map(|v| v.trim());
    let said = |k: &str| note(k).map(|v| format!("annotation {k}: {v}"));
    let annotated = |prefix: &str| notes.keys().find(|k| k.starts_with(prefix)).cloned();

    let aws_type = note(AWS_TYPE);
    let target = note(AWS_TARGET_TYPE);
    let lbc = class == Some(AWS_NLB_CLASS)
        || (class.is_none()
            && (aws_type == Some("nlb-ip")
                || aws_type == Some("external") && matches!(target, Some("ip" | "instance"))));
    let (provider, mut delivery) = if lbc {
        let by = match class {
            Some(c) => format!("loadBalancerClass {c}"),
            None => said(AWS_TYPE).unwrap_or_default(),
        };
        let delivery = if aws_type == Some("nlb-ip") {
            shown(Delivery::Pods, said(AWS_TYPE))
        } else if target == Some("ip") {
            shown(Delivery::Pods, said(AWS_TARGET_TYPE))
        } else {
            // Instance targets, the controller's default.
            shown(
                Delivery::NodePorts,
                said(AWS_TARGET_TYPE)
                    .or_else(|| Some("the controller's default target type, instance".into())),
            )
        };
        (
            Some(shown(Provider::AwsLoadBalancerController, Some(by))),
            delivery,
        )
    } else if class.is_some_and(|c| GKE_CLASSES.contains(&c))
        || class.is_none()
            && GKE_TYPE
                .iter()
                .chain(&GKE_OTHERS)
                .any(|k| notes.contains_key(*k))
    {
        let by = match class {
            Some(c) => format!("loadBalancerClass {c}"),
            None => GKE_TYPE
                .iter()
                .chain(&GKE_OTHERS)
                .find_map(|k| notes.contains_key(*k).then(|| format!("annotation {k}")))
                .unwrap_or_default(),
        };
        (
            Some(shown(Provider::Gke, Some(by.clone()))),
            shown(Delivery::LoadBalancerIp, Some(by)),
        )
    } else if class.is_none() && aws_type.is_some_and(|t| t == "external" || t == "nlb-ip") {
        // Left by the cloud provider to a controller svcx cannot name.
        (None, shown(Delivery::Depends, said(AWS_TYPE)))
    } else if let (None, Some(key)) = (class, annotated(AWS_PREFIX)) {
        (
            Some(shown(
                Provider::AwsCloudProvider,
                Some(format!("annotation {key}")),
            )),
            shown(Delivery::NodePorts, Some(format!("annotation {key}"))),
        )
    } else if let (None, Some(key)) = (class, annotated(AZURE_PREFIX)) {
        let delivery = if note(AZURE_NO_FLOATING_IP) == Some("true") {
            shown(Delivery::NodePorts, said(AZURE_NO_FLOATING_IP))
        } else if note(AZURE_INTERNAL) == Some("true") && families.first() == Some(&Family::IPv6) {
            shown(Delivery::NodePorts, said(AZURE_INTERNAL))
        } else {
            shown(Delivery::LoadBalancerIp, Some(format!("annotation {key}")))
        };
        (
            Some(shown(Provider::Azure, Some(format!("annotation {key}")))),
            delivery,
        )
    } else if let (None, Some((key, cloud))) = (
        class,
        notes.keys().find_map(|k| {
            OTHER_CLOUDS
                .iter()
                .find(|(prefix, _)| k.starts_with(prefix))
                .map(|(_, cloud)| (k, *cloud))
        }),
    ) {
        let by = format!("annotation {key}");
        (
            Some(shown(cloud, Some(by.clone()))),
            shown(Delivery::Depends, Some(by)),
        )
    } else if let Some(by) = metallb(class, notes, metallb_objects) {
        (
            Some(shown(Provider::MetalLb, Some(by.clone()))),
            shown(Delivery::LoadBalancerIp, Some(by)),
        )
    } else {
        (
            None,
            shown(
                Delivery::Depends,
                class.map(|c| format!("loadBalancerClass {c}")),
            ),
        )
    };
    // What the status says overrides what a provider usually does.
    let modes: Vec<&str> = ip_modes.iter().map(|m| m.unwrap_or("VIP")).collect();
    if !ip_modes.is_empty() && ip_modes.iter().all(|m| m.is_some()) {
        if modes.iter().all(|m| *m == "VIP") {
            delivery = shown(Delivery::LoadBalancerIp, Some("status ipMode VIP".into()));
        } else if modes.iter().all(|m| *m == "Proxy") && delivery.value == Delivery::LoadBalancerIp
        {
            delivery = shown(Delivery::Depends, Some("status ipMode Proxy".into()));
        }
    }
    let source = spec
        .and_then(|s| s.load_balancer_source_ranges.clone())
        .filter(|r| !r.is_empty());
    let (source_ranges, source_ranges_from) = match source {
        Some(r) => (r, Some("loadBalancerSourceRanges".to_string())),
        None => match note(SOURCE_RANGES_ANNOTATION).filter(|v| !v.is_empty()) {
            Some(v) => (
                v.split(',')
                    .map(|r| r.trim().to_string())
                    .filter(|r| !r.is_empty())
                    .collect(),
                Some(SOURCE_RANGES_ANNOTATION.to_string()),
            ),
            None => (Vec::new(), None),
        },
    };
    let (internal, internal_annotation) =
        internal(class, notes, provider.as_ref().map(|p| p.value)).unzip();
    Implementation {
        internal,
        internal_annotation: internal_annotation.flatten(),
        requested: requested(svc, notes),
        provider,
        delivery,
        source_ranges,
        source_ranges_from,
    }
}

/// What shows a Service is written for MetalLB, if anything does.
fn metallb(class: Option<&str>, notes: &BTreeMap<String, String>, objects: bool) -> Option<String> {
    if let Some(c) = class {
        return c
            .contains("metallb")
            .then(|| format!("loadBalancerClass {c}"));
    }
    notes
        .keys()
        .find(|k| METALLB_PREFIXES.iter().any(|p| k.starts_with(p)))
        .map(|k| format!("annotation {k}"))
        .or_else(|| objects.then(|| "MetalLB's address pools in the input".to_string()))
}

/// What makes the load balancer internal, if anything does: why (for
/// sentences), and the annotation that says so (key and value as written),
/// when it is one. Values decide, not keys: `aws-load-balancer-scheme:
/// internet-facing` is public.
fn internal(
    class: Option<&str>,
    notes: &BTreeMap<String, String>,
    provider: Option<Provider>,
) -> Option<(String, Option<(String, String)>)> {
    let get = |k: &str| notes.get(k).map(|v| v.trim().to_ascii_lowercase());
    let by = |k: &str| {
        let v = notes[k].trim();
        (
            format!("annotation {k}: {v}"),
            Some((k.to_string(), notes[k].clone())),
        )
    };
    if class == Some("networking.gke.io/l4-regional-internal") {
        return Some((
            "loadBalancerClass networking.gke.io/l4-regional-internal".into(),
            None,
        ));
    }
    for k in GKE_TYPE {
        if get(k).as_deref() == Some("internal") {
            return Some(by(k));
        }
    }
    if get(AZURE_INTERNAL).as_deref() == Some("true") {
        return Some(by(AZURE_INTERNAL));
    }
    let scheme = get(AWS_SCHEME);
    let legacy = get(AWS_INTERNAL).filter(|v| !v.is_empty());
    match (scheme.as_deref(), legacy.as_deref(), provider) {
        (Some("internal"), ..) => return Some(by(AWS_SCHEME)),
        (Some(_), ..) => return None,
        (None, Some("false"), _) => return None,
        (None, Some(_), _) => return Some(by(AWS_INTERNAL)),
        (None, None, Some(Provider::AwsLoadBalancerController)) => {
            return Some((
                "the AWS Load Balancer Controller's default scheme (internal since v2.2.0)".into(),
                None,
            ));
        }
        _ => {}
    }
    OTHER_INTERNAL
        .iter()
        .find(|(k, v)| get(k).as_deref() == Some(*v))
        .map(|(k, _)| by(k))
}

/// The addresses asked for: `spec.loadBalancerIP`, MetalLB's and GKE's
/// annotations (comma-separated lists).
fn requested(svc: &Service, notes: &BTreeMap<String, String>) -> Vec<RequestedAddress> {
    let mut out: Vec<RequestedAddress> = svc
        .spec
        .as_ref()
        .and_then(|s| s.load_balancer_ip.clone())
        .filter(|ip| !ip.is_empty())
        .map(|ip| RequestedAddress {
            value: ip,
            from: "spec.loadBalancerIP".into(),
            name: false,
        })
        .into_iter()
        .collect();
    for key in METALLB_ADDRESSES.iter().chain([&GKE_ADDRESSES]) {
        for value in notes.get(*key).into_iter().flat_map(|v| v.split(',')) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            out.push(RequestedAddress {
                value: value.to_string(),
                from: key.to_string(),
                name: value.parse::<std::net::IpAddr>().is_err(),
            });
        }
    }
    out
}

/// MetalLB's sharing annotations: Services with the same key and the same
/// requested address share one IP (`allow-shared-ip`).
const SHARE_KEY_ANNOTATIONS: [&str; 2] = [
    "metallb.io/allow-shared-ip",
    "metallb.universe.tf/allow-shared-ip",
];

/// `(requested address, sharing key)` of a LoadBalancer Service that asks to
/// share its address, if it does.
pub(super) fn shared_request(svc: &Service) -> Option<(String, String)> {
    let spec = svc.spec.as_ref()?;
    if spec.type_.as_deref() != Some("LoadBalancer") {
        return None;
    }
    let annotations = svc.metadata.annotations.as_ref()?;
    let key = SHARE_KEY_ANNOTATIONS
        .iter()
        .find_map(|k| annotations.get(*k))?;
    let ip = spec
        .load_balancer_ip
        .clone()
        .filter(|ip| !ip.is_empty())
        .or_else(|| {
            METALLB_ADDRESSES
                .iter()
                .find_map(|k| annotations.get(*k))
                .and_then(|v| v.split(',').next().map(|s| s.trim().to_string()))
        })?;
    Some((ip, key.clone()))
}

/// Which Services share one load balancer, among `views`: a group per
/// load balancer, each the `ns/name` of its Services. Services that report
/// one address, or that ask MetalLB for one address with the same sharing
/// key, share one ([`super::view::LoadBalancerFacts::shared_with`]); asking
/// for the same address alone is no sharing (MetalLB gives it to one Service
/// only). Sharing is followed through: a Service sharing with two others
/// joins their groups. lint's count and migrate's both read this.
pub(crate) fn shared_groups<'v, 's: 'v>(
    views: impl IntoIterator<Item = &'v super::view::ServiceView<'s>>,
) -> Vec<std::collections::BTreeSet<String>> {
    use std::collections::BTreeSet;
    let mut groups: Vec<BTreeSet<String>> = Vec::new();
    for v in views {
        let Some(lb) = &v.load_balancer else { continue };
        let mut names: BTreeSet<String> = lb.shared_with.iter().cloned().collect();
        names.insert(v.full_name());
        let (joined, mut rest): (Vec<_>, Vec<_>) =
            groups.into_iter().partition(|g| !g.is_disjoint(&names));
        for g in joined {
            names.extend(g);
        }
        rest.push(names);
        groups = rest;
    }
    groups
}

pub(super) fn ingress_of(svc: &Service) -> Vec<LoadBalancerIngress> {
    svc.status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_ref())
        .into_iter()
        .flatten()
        .map(|i| LoadBalancerIngress {
            ip: i.ip.clone().filter(|s| !s.is_empty()),
            hostname: i.hostname.clone().filter(|s| !s.is_empty()),
            ip_mode: i.ip_mode.clone(),
        })
        .filter(|i| i.address().is_some())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lb(annotations: serde_json::Value, spec: serde_json::Value) -> Implementation {
        let mut spec_obj = json!({"type": "LoadBalancer", "ports": [{"port": 80}]});
        for (k, v) in spec.as_object().unwrap() {
            spec_obj[k] = v.clone();
        }
        let svc: Service = serde_json::from_value(json!({
            "metadata": {"name": "s", "annotations": annotations}, "spec": spec_obj,
        }))
        .unwrap();
        read(&svc, &[Family::IPv4], &[], false)
    }

    /// A Service written for another cloud's controller names that cloud
    /// (so a pending one is not told to install a bare-metal controller);
    /// how its load balancer delivers is not modelled: it depends. Keys from
    /// OCI's and Hetzner's annotation docs (see `OTHER_CLOUDS`).
    #[test]
    fn other_clouds_are_named_and_their_delivery_depends() {
        for (key, cloud) in [
            (
                "service.beta.kubernetes.io/oci-load-balancer-shape",
                Provider::Oci,
            ),
            ("oci.oraclecloud.com/load-balancer-type", Provider::Oci),
            ("load-balancer.hetzner.cloud/location", Provider::Hetzner),
            (
                "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type",
                Provider::IbmCloud,
            ),
        ] {
            let imp = lb(json!({key: "x"}), json!({}));
            assert_eq!(imp.provider.map(|p| p.value), Some(cloud), "{key}");
            assert_eq!(imp.delivery.value, Delivery::Depends, "{key}");
        }
        let private = lb(
            json!({"service.beta.kubernetes.io/oci-load-balancer-internal": "true"}),
            json!({}),
        );
        assert!(private.internal.is_some());
        // A class is the controller's word: the annotations then say nothing.
        let classed = lb(
            json!({"load-balancer.hetzner.cloud/location": "nbg1"}),
            json!({"loadBalancerClass": "example.com/lb"}),
        );
        assert_eq!(classed.provider, None);
    }

    #[test]
    fn aws_target_types_and_schemes() {
        let ip = lb(
            json!({AWS_TYPE: "external", AWS_TARGET_TYPE: "ip", AWS_SCHEME: "internet-facing"}),
            json!({}),
        );
        assert_eq!(
            ip.provider.unwrap().value,
            Provider::AwsLoadBalancerController
        );
        assert_eq!(ip.delivery.value, Delivery::Pods);
        assert_eq!(ip.internal, None);
        let class = lb(json!({}), json!({"loadBalancerClass": AWS_NLB_CLASS}));
        assert_eq!(
            class.delivery.value,
            Delivery::NodePorts,
            "instance targets by default"
        );
        assert!(class.internal.is_some(), "internal by default");
        let classic = lb(
            json!({"service.beta.kubernetes.io/aws-load-balancer-internal": "0.0.0.0/0"}),
            json!({}),
        );
        assert_eq!(classic.provider.unwrap().value, Provider::AwsCloudProvider);
        assert_eq!(classic.delivery.value, Delivery::NodePorts);
        assert!(classic.internal.is_some());
        let nlb = lb(json!({AWS_TYPE: "nlb"}), json!({}));
        assert_eq!(nlb.delivery.value, Delivery::NodePorts);
        // `external` without a target type: neither controller takes it.
        let external = lb(json!({AWS_TYPE: "external"}), json!({}));
        assert_eq!(
            (external.provider, external.delivery.value),
            (None, Delivery::Depends)
        );
    }

    #[test]
    fn gke_azure_metallb_and_the_unknown() {
        let gke = lb(
            json!({"networking.gke.io/load-balancer-type": "Internal"}),
            json!({}),
        );
        assert_eq!(gke.delivery.value, Delivery::LoadBalancerIp);
        assert!(gke.internal.is_some());
        let azure = lb(json!({AZURE_INTERNAL: "true"}), json!({}));
        assert_eq!(azure.delivery.value, Delivery::LoadBalancerIp);
        assert!(azure.internal.is_some());
        let no_float = lb(json!({AZURE_NO_FLOATING_IP: "true"}), json!({}));
        assert_eq!(no_float.delivery.value, Delivery::NodePorts);
        let metallb = lb(
            json!({"metallb.io/loadBalancerIPs": "192.0.2.10,2001:db8::10"}),
            json!({}),
        );
        assert_eq!(metallb.provider.unwrap().value, Provider::MetalLb);
        assert_eq!(metallb.requested.len(), 2);
        let plain = lb(json!({}), json!({}));
        assert_eq!(
            (plain.provider, plain.delivery.value, plain.internal),
            (None, Delivery::Depends, None)
        );
        let other = lb(json!({}), json!({"loadBalancerClass": "example.com/lb"}));
        assert_eq!(other.delivery.value, Delivery::Depends);
    }

    #[test]
    fn requested_addresses_and_source_ranges() {
        let gke = lb(json!({GKE_ADDRESSES: "helloweb-ip"}), json!({}));
        assert_eq!(gke.requested[0].value, "helloweb-ip");
        assert!(gke.requested[0].name, "a reserved address's name");
        let ranges = lb(
            json!({SOURCE_RANGES_ANNOTATION: "10.0.0.0/8, 192.168.0.0/16"}),
            json!({}),
        );
        assert_eq!(ranges.source_ranges, ["10.0.0.0/8", "192.168.0.0/16"]);
        let field = lb(
            json!({SOURCE_RANGES_ANNOTATION: "10.0.0.0/8"}),
            json!({"loadBalancerSourceRanges": ["203.0.113.0/24"]}),
        );
        assert_eq!(field.source_ranges, ["203.0.113.0/24"], "the field wins");
    }

    #[test]
    fn ip_mode_in_the_status_says_how_traffic_arrives() {
        let svc: Service = serde_json::from_value(json!({
            "metadata": {"name": "s"}, "spec": {"type": "LoadBalancer"},
        }))
        .unwrap();
        assert_eq!(
            read(&svc, &[Family::IPv4], &[Some("VIP")], false)
                .delivery
                .value,
            Delivery::LoadBalancerIp
        );
        assert_eq!(
            read(&svc, &[Family::IPv4], &[Some("Proxy")], false)
                .delivery
                .value,
            Delivery::Depends
        );
        assert_eq!(
            read(&svc, &[Family::IPv4], &[None], false).delivery.value,
            Delivery::Depends
        );
        assert_eq!(
            read(&svc, &[Family::IPv4], &[], true)
                .provider
                .unwrap()
                .value,
            Provider::MetalLb
        );
    }
}
