//! The pods that carry traffic in through a Gateway or an Ingress: a
//! Gateway's proxies and an Ingress controller's pods. For network policies
//! they are the destination of the clients' traffic and the source of the
//! traffic to the backends.
//!
//! Where a Gateway's proxies run, and what they carry, is the
//! implementation's choice ([`Placement`], one table by the GatewayClass's
//! controllerName). GEP-1762 (standard) has in-cluster implementations label
//! what they create for a Gateway `gateway.networking.k8s.io/gateway-name:
//! NAME`; svcx looks for pods (offline, pod templates) with that label in
//! the Gateway's namespace, and for Envoy Gateway's own labels in any
//! namespace. An Ingress controller's pods are the pods its own Service
//! selects, when the input holds that Service.

use super::subject::Member;
use crate::model::Snapshot;
use crate::model::entry_point::{
    ENVOY_GATEWAY_OWNER, ENVOY_GATEWAY_OWNER_NAMESPACE, GATEWAY_NAME_LABEL,
};
use crate::model::proxy_params::{self, ProxyParameters};
use crate::model::routes::gateway::{
    CONTOUR_CONTROLLER, ENVOY_GATEWAY_CONTROLLER, ISTIO_CONTROLLER, KGATEWAY_CONTROLLER,
    NGINX_GATEWAY_FABRIC_CONTROLLER,
};
use crate::model::selector::service_selector_matches;
use crate::model::{cilium, gke_gateway};
use std::collections::{BTreeMap, HashMap};

/// Where an implementation runs the proxies of a Gateway, and the port a
/// listener's traffic arrives on in them. The policy answers for a route's
/// backends, trace's Gateway hop and the NetworkPolicy `migrate-to-gateway`
/// writes all read this one table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Placement {
    /// Pods of their own in the Gateway's namespace, labelled
    /// `gateway.networking.k8s.io/gateway-name: NAME`.
    GatewayNamespace(PortMap),
    /// Envoy Gateway: in its controller's namespace (`envoy-gateway-system`
    /// as installed), labelled `owning-gateway-name` and
    /// `owning-gateway-namespace`, by default; in the Gateway's namespace,
    /// with the GEP-1762 label too, when its configuration says
    /// `provider.kubernetes.deploy.type: GatewayNamespace`. The input
    /// does not hold that configuration's effect, so both are possible.
    EnvoyGateway,
    /// No pod of the cluster receives the clients: a policy that selects
    /// pods cannot name the proxies (why).
    NotPods(&'static str),
    /// Not pods either, and their requests carry a network plugin's
    /// identity that only a NetworkPolicy rule without peers admits
    /// (Cilium, [`crate::model::cilium`]; why): answers are exact.
    Identity(&'static str),
    /// A load balancer outside the cluster whose requests come from these
    /// address ranges (GKE's global external classes: Google's front
    /// ends), which a policy admits by ipBlock.
    Addresses(&'static [&'static str]),
    /// An implementation svcx does not know, a class not read, or Envoy
    /// Gateway's proxies customised by an EnvoyProxy: GEP-1762
    /// asks in-cluster implementations for the label, but where their pods
    /// run is theirs to say.
    Unknown,
}

/// The pod port a listener port arrives on in an implementation's proxies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PortMap {
    /// The listener's port itself.
    Same,
    /// Contour: the listener port plus 8000, wrapped past 65535 and off the
    /// privileged ports (projectcontour/contour 31c4bb3
    /// internal/gatewayapi/listeners.go `toContainerPort`).
    Contour,
    /// kgateway: the listener port in current releases, plus 8000 below
    /// 1024 in releases before them (kgateway-dev/kgateway 06ff8b9
    /// internal/kgateway/ports/ports.go): the input does not say which.
    Kgateway,
}

/// The implementations whose proxies svcx knows, by controllerName.
/// Sources: Istio istio/istio 86c9f01 manifests/charts/istio-control/
/// istio-discovery/files/kube-gateway.yaml (the label; no port shift, the
/// pod lowers `ip_unprivileged_port_start`); NGINX Gateway Fabric
/// nginx/nginx-gateway-fabric e55bfe3 internal/controller/provisioner/
/// objects.go; Contour's provisioner projectcontour/contour 31c4bb3
/// internal/provisioner/objects/dataplane/dataplane.go; kgateway
/// pkg/kgateway/helm/envoy/templates; Envoy Gateway envoyproxy/gateway
/// d32f282 internal/infrastructure/kubernetes/proxy/resource_provider.go
/// (`envoyLabels`) and api/v1alpha1/envoygateway_types.go (the deploy
/// type, `ControllerNamespace` by default); Cilium's per-node Envoy
/// (docs.cilium.io network/servicemesh/ingress-and-network-policy: traffic
/// to backends carries the reserved identity `ingress`); GKE's load
/// balancers (cloud.google.com/load-balancing/docs/firewall-rules: Google
/// front ends and proxy-only subnets); Traefik's Gateway provider, served
/// by Traefik's own pods wherever they are installed (traefik/traefik
/// fd5a576 pkg/provider/kubernetes/gateway).
const PLACEMENTS: &[(&str, Placement)] = &[
    (ISTIO_CONTROLLER, Placement::GatewayNamespace(PortMap::Same)),
    (
        NGINX_GATEWAY_FABRIC_CONTROLLER,
        Placement::GatewayNamespace(PortMap::Same),
    ),
    (
        CONTOUR_CONTROLLER,
        Placement::GatewayNamespace(PortMap::Contour),
    ),
    (
        KGATEWAY_CONTROLLER,
        Placement::GatewayNamespace(PortMap::Kgateway),
    ),
    (ENVOY_GATEWAY_CONTROLLER, Placement::EnvoyGateway),
    (
        cilium::GATEWAY_CONTROLLER,
        Placement::Identity(cilium::IDENTITY),
    ),
];

/// The implementations whose proxy Service keeps the client's address
/// (`externalTrafficPolicy: Local`) unless their parameters say otherwise,
/// so that the proxies' own policies see the clients themselves: Envoy
/// Gateway (envoyproxy/gateway d32f282 api/v1alpha1/kubernetes_helpers.go)
/// and NGINX Gateway Fabric (nginx/nginx-gateway-fabric e55bfe3
/// internal/controller/provisioner/objects.go, the Service it provisions
/// per Gateway; its install's NginxProxy says so too) and Contour's
/// provisioner (projectcontour/contour 31c4bb3 internal/provisioner/model/
/// model.go: `envoy-<gateway>`, a LoadBalancer with `Local`). Another's
/// Service may not (kgateway's and Traefik's leave it `Cluster`).
const KEEPS_CLIENT_ADDRESS: &[&str] = &[
    ENVOY_GATEWAY_CONTROLLER,
    NGINX_GATEWAY_FABRIC_CONTROLLER,
    CONTOUR_CONTROLLER,
];

/// A regional or internal GKE Gateway's requests: from the region's
/// proxy-only subnet.
const GKE_PROXY_ONLY_SUBNET: Placement = Placement::NotPods(
    "a regional or internal GKE Gateway is a Google Cloud load balancer whose requests reach the pods from the \
     region's proxy-only subnet, whose range is the VPC's, not in the input",
);

impl Placement {
    /// The placement of the proxies of class `class`, whose controller is
    /// `controller` (`None`: the GatewayClass was not read).
    pub(crate) fn of(controller: Option<&str>, class: &str) -> Placement {
        let gke = match controller {
            Some(c) => c == gke_gateway::CONTROLLER,
            None => gke_gateway::is_gke_class(class),
        };
        if gke {
            return gke_gateway::source_ranges(class)
                .map_or(GKE_PROXY_ONLY_SUBNET, Placement::Addresses);
        }
        controller
            .and_then(|c| PLACEMENTS.iter().find(|(name, _)| *name == c))
            .map_or(Placement::Unknown, |(_, p)| *p)
    }

    /// The placement of the proxies of the Gateway `namespace/name`, as
    /// its class (and its own parameters) say.
    pub(crate) fn of_gateway(snap: &Snapshot, namespace: &str, name: &str) -> Placement {
        let Some(g) = snap.gateway_object(namespace, name) else {
            return Placement::Unknown;
        };
        Placement::of_class_with(snap, &g.spec.gateway_class_name, Some((namespace, name)))
    }

    /// The placement of the proxies of a new Gateway of class `class`.
    pub(crate) fn of_class(snap: &Snapshot, class: &str) -> Placement {
        Placement::of_class_with(snap, class, None)
    }

    /// The placement for class `class` (and the Gateway `namespace/name`).
    /// Envoy Gateway's, unless an EnvoyProxy the class or the Gateway names
    /// (`parametersRef`) moves or relabels the proxies, or is not in the
    /// input to say it does not ([`crate::model::proxy_params`]): then where
    /// they run and how a policy names them is not known
    /// ([`Placement::Unknown`]).
    fn of_class_with(snap: &Snapshot, class: &str, gateway: Option<(&str, &str)>) -> Placement {
        let object = snap.gateway_class_object(class);
        let controller = object.map(|c| c.spec.controller_name.as_str());
        let placement = Placement::of(controller, class);
        if controller == Some(ISTIO_CONTROLLER)
            && gateway
                .is_some_and(|(namespace, name)| istio_deployed_by_hand(snap, namespace, name))
        {
            return Placement::Unknown;
        }
        if placement == Placement::EnvoyGateway
            && parameters(snap, class, gateway)
                .iter()
                .any(|p| p.is_none_or(|p| p.moves.is_some()))
        {
            Placement::Unknown
        } else {
            placement
        }
    }

    /// The pod ports a listener on `port` may arrive on, most likely first.
    pub(crate) fn pod_ports(self, port: i32) -> Vec<i32> {
        let mut out = match self {
            Placement::GatewayNamespace(PortMap::Same) | Placement::Unknown => vec![port],
            Placement::GatewayNamespace(PortMap::Contour) => {
                let mut p = port + 8000;
                if p > 65535 {
                    p -= 65535;
                }
                if p <= 1023 {
                    p += 1023;
                }
                vec![p]
            }
            Placement::GatewayNamespace(PortMap::Kgateway) if port < 1024 => {
                vec![port, port + 8000]
            }
            Placement::GatewayNamespace(PortMap::Kgateway) => vec![port],
            // Below 1024 plus 10000, unless the EnvoyProxy sets
            // `useListenerPortAsContainerPort` (internal/gatewayapi/
            // listener.go `servicePortToContainerPort`).
            Placement::EnvoyGateway if port < 1024 => vec![port + 10000, port],
            Placement::EnvoyGateway => vec![port],
            Placement::NotPods(_) | Placement::Identity(_) | Placement::Addresses(_) => Vec::new(),
        };
        out.dedup();
        out
    }
}

/// The namespace Envoy Gateway runs in, and so, by default, its proxies:
/// its controller's (image `envoyproxy/gateway`, or `gateway-dev` as its
/// chart's tests render it) when the input holds it, else
/// `envoy-gateway-system`, where its documentation installs it.
fn envoy_gateway_namespace(snap: &Snapshot) -> &str {
    snap.workloads
        .iter()
        .find(|w| {
            w.object.containers.iter().any(|c| {
                ["envoyproxy/gateway", "envoyproxy/gateway-dev"]
                    .iter()
                    .any(|r| crate::model::entry_point::image_is(&c.image, r))
            })
        })
        .map_or("envoy-gateway-system", |w| w.object.namespace.as_str())
}

/// The proxies' parameters (EnvoyProxy, NginxProxy) that class `class`,
/// and the Gateway `namespace/name`, name as their `parametersRef`, the
/// Gateway's last: `None` for one named but not in the input.
fn parameters<'s>(
    snap: &'s Snapshot,
    class: &str,
    gateway: Option<(&str, &str)>,
) -> Vec<Option<&'s ProxyParameters>> {
    let find = |kind: &str, namespace: &str, name: &str| {
        snap.proxy_parameters
            .iter()
            .find(|p| p.kind == kind && p.namespace == namespace && p.name == name)
    };
    let known = |group: &str, kind: &str| proxy_params::is_parameters(group, kind);
    let mut out = Vec::new();
    if let Some(r) = snap
        .gateway_class_object(class)
        .and_then(|c| c.spec.parameters_ref.as_ref())
        .filter(|r| known(&r.group, &r.kind))
    {
        out.push(find(
            &r.kind,
            r.namespace.as_deref().unwrap_or_default(),
            &r.name,
        ));
    }
    if let Some((namespace, name)) = gateway
        && let Some(r) = snap
            .gateway_object(namespace, name)
            .and_then(|g| g.spec.infrastructure.as_ref())
            .and_then(|i| i.parameters_ref.as_ref())
            .filter(|r| known(&r.group, &r.kind))
    {
        // A Gateway's parameters are in its own namespace.
        out.push(find(&r.kind, namespace, &r.name));
    }
    out
}

/// Whether Istio leaves the Gateway `namespace/name` to proxies deployed
/// by hand (its "manual deployment"): one address that is not an IP (the
/// hostname of the Service of an existing gateway, such as
/// `istio-ingressgateway.istio-system.svc.cluster.local`), or several
/// (istio/istio 86c9f01 pilot/pkg/config/kube/gatewaycommon/gateway_utils.go
/// `IsManaged`). Then the proxies are that gateway's pods, not ones istiod
/// creates beside the Gateway.
fn istio_deployed_by_hand(snap: &Snapshot, namespace: &str, name: &str) -> bool {
    let Some(g) = snap.gateway_object(namespace, name) else {
        return false;
    };
    match g.spec.addresses.as_deref().unwrap_or_default() {
        [] => false,
        [one] => one.r#type.as_deref().is_some_and(|t| t != "IPAddress"),
        _ => true,
    }
}

/// Istio's Gateway annotation that sets the type of the Service it
/// creates for the Gateway (istio/istio 86c9f01
/// pilot/pkg/config/kube/gatewaycommon/deploymentcontroller.go, the
/// class's default type unless the annotation names one).
pub(crate) const ISTIO_SERVICE_TYPE: &str = "networking.istio.io/service-type";

/// What makes the proxy Service of the Gateway `namespace/name` a
/// ClusterIP Service, which clients outside the cluster cannot reach: its
/// parameters' Service type (an EnvoyProxy's `envoyService.type`, an
/// NginxProxy's `kubernetes.service.type`; the Gateway's own parameters win
/// over its class's), or Istio's annotation on the Gateway. In words.
pub(crate) fn cluster_ip_proxy_service(
    snap: &Snapshot,
    namespace: &str,
    name: &str,
) -> Option<String> {
    let g = snap.gateway_object(namespace, name)?;
    let class = g.spec.gateway_class_name.as_str();
    match snap.class_controller(class) {
        Some(ENVOY_GATEWAY_CONTROLLER | NGINX_GATEWAY_FABRIC_CONTROLLER) => {
            parameters(snap, class, Some((namespace, name)))
                .into_iter()
                .flatten()
                .rfind(|p| p.service_type.is_some())
                .filter(|p| p.service_type.as_deref() == Some("ClusterIP"))
                .map(|p| format!("{} {}/{}", p.kind, p.namespace, p.name))
        }
        Some(ISTIO_CONTROLLER) => g
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(ISTIO_SERVICE_TYPE))
            .filter(|t| *t == "ClusterIP")
            .map(|t| format!("annotation {ISTIO_SERVICE_TYPE}: {t}")),
        _ => None,
    }
}

/// Whether the proxy Service of the Gateway `namespace/name` keeps the
/// client's address: its implementation's default
/// ([`KEEPS_CLIENT_ADDRESS`]), unless the parameters it names (EnvoyProxy,
/// NginxProxy) say otherwise, or are not in the input to say.
fn keeps_client_address(
    snap: &Snapshot,
    controller: Option<&str>,
    (namespace, name): (&str, &str),
) -> bool {
    if !controller.is_some_and(|c| KEEPS_CLIENT_ADDRESS.contains(&c)) {
        return false;
    }
    let class = snap
        .gateway_object(namespace, name)
        .map(|g| g.spec.gateway_class_name.as_str())
        .unwrap_or_default();
    parameters(snap, class, Some((namespace, name)))
        .iter()
        .all(|p| p.and_then(|p| p.keeps_client_address) == Some(true))
}

/// The labels a Gateway's proxies are known to carry in the Gateway's
/// namespace (GEP-1762).
pub(crate) fn gateway_labels(name: &str) -> BTreeMap<String, String> {
    BTreeMap::from([(GATEWAY_NAME_LABEL.to_string(), name.to_string())])
}

/// The labels Envoy Gateway gives the proxies of Gateway `namespace/name`,
/// whichever namespace they run in.
pub(crate) fn envoy_gateway_labels(namespace: &str, name: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (ENVOY_GATEWAY_OWNER.to_string(), name.to_string()),
        (
            ENVOY_GATEWAY_OWNER_NAMESPACE.to_string(),
            namespace.to_string(),
        ),
    ])
}

/// A Gateway's proxy pods as the input shows them: where they run, and the
/// pods (offline: pod templates) found there.
pub(crate) struct Found<'s> {
    pub(crate) namespace: String,
    pub(crate) members: Vec<Member<'s>>,
}

/// The proxy pods (offline: pod templates) of the Gateway `namespace/name`:
/// those labelled with its name in its namespace (GEP-1762), else those
/// Envoy Gateway labels as its own in any namespace; `None` when the input
/// holds neither.
pub(crate) fn gateway_proxies<'s>(
    snap: &'s Snapshot,
    namespace: &str,
    name: &str,
) -> Option<Found<'s>> {
    let mut found = labelled(snap, namespace, GATEWAY_NAME_LABEL, name);
    let mut at = namespace.to_string();
    if found.is_empty() {
        // Envoy Gateway's: both owner labels, in whichever namespace they are.
        for ns in snap.namespaces_labelled(ENVOY_GATEWAY_OWNER, name) {
            let theirs: Vec<Member> = labelled(snap, ns, ENVOY_GATEWAY_OWNER, name)
                .into_iter()
                .filter(|m| {
                    m.labels()
                        .get(ENVOY_GATEWAY_OWNER_NAMESPACE)
                        .map(String::as_str)
                        == Some(namespace)
                })
                .collect();
            if !theirs.is_empty() {
                found = theirs;
                at = ns.to_string();
                break;
            }
        }
    }
    if found.is_empty() {
        return None;
    }
    found.sort_by_key(Member::label);
    Some(Found {
        namespace: at,
        members: found,
    })
}

/// The pods of `namespace` labelled `key=value`, else its pod templates.
fn labelled<'s>(snap: &'s Snapshot, namespace: &str, key: &str, value: &str) -> Vec<Member<'s>> {
    let pods: Vec<Member> = snap
        .pod_positions_labelled(namespace, key, value)
        .iter()
        .map(|&i| Member::Pod(i, &snap.pods[i].object))
        .collect();
    if !pods.is_empty() {
        return pods;
    }
    snap.workload_positions_labelled(namespace, key, value)
        .iter()
        .map(|&i| Member::Template(i, &snap.workloads[i].object))
        .collect()
}

/// The pods (offline: pod templates) the Service at `service` selects: an
/// Ingress controller's, for its own Service.
pub(super) fn service_pods(snap: &Snapshot, service: usize) -> (String, Vec<Member<'_>>) {
    let svc = &snap.services[service].object;
    let namespace = svc.metadata.namespace.clone().unwrap_or_default();
    let Some(selector) = svc
        .spec
        .as_ref()
        .and_then(|s| s.selector.as_ref())
        .filter(|s| !s.is_empty())
    else {
        return (namespace, Vec::new());
    };
    let mut out: Vec<Member> = snap
        .pods_selected_by(&namespace, selector)
        .into_iter()
        .filter_map(|p| {
            let i = snap.pod_position(&namespace, p.object.metadata.name.as_deref()?)?;
            Some(Member::Pod(i, &snap.pods[i].object))
        })
        .collect();
    if out.is_empty() {
        out = snap
            .workload_positions_in(&namespace)
            .filter(|&i| service_selector_matches(selector, &snap.workloads[i].object.labels))
            .map(|i| Member::Template(i, &snap.workloads[i].object))
            .collect();
    }
    (namespace, out)
}

impl<'s> super::index::Policies<'s> {
    /// The proxies of the Gateway `namespace/name` as a source of traffic:
    /// its pods when the input holds them, else pods known by the labels
    /// their implementation gives them where it runs them ([`Placement`];
    /// a Gateway a migration is about to create has no pods yet).
    pub(crate) fn gateway_way(
        &self,
        namespace: &str,
        name: &str,
        placement: Placement,
    ) -> super::service::Way<'s> {
        let found = gateway_proxies(self.snap, namespace, name);
        let class = super::service::SourceClass::Gateway {
            namespace: namespace.to_string(),
            name: name.to_string(),
            proxies: found
                .iter()
                .flat_map(|f| f.members.iter().map(Member::label))
                .collect(),
        };
        let (labels, elsewhere, not_pods) = match placement {
            Placement::EnvoyGateway => {
                let mut here = envoy_gateway_labels(namespace, name);
                here.extend(gateway_labels(name));
                (
                    Some(here),
                    Some(envoy_gateway_labels(namespace, name)),
                    None,
                )
            }
            Placement::NotPods(why) => (None, None, Some(why)),
            Placement::Identity(_) | Placement::Addresses(_) => (None, None, None),
            Placement::GatewayNamespace(_) | Placement::Unknown => {
                (Some(gateway_labels(name)), None, None)
            }
        };
        let clients: Option<Vec<String>> = match placement {
            Placement::Addresses(ranges) => Some(ranges.iter().map(|r| r.to_string()).collect()),
            _ => None,
        };
        match found {
            Some(f) => super::service::Way {
                class,
                proxies: f.members,
                labels,
                elsewhere: None,
                namespace: Some(f.namespace),
                not_pods: None,
                identity: false,
                clients: None,
            },
            None => {
                let identity = matches!(placement, Placement::Identity(_));
                super::service::Way {
                    class,
                    proxies: Vec::new(),
                    labels,
                    elsewhere,
                    namespace: (not_pods.is_none() && clients.is_none() && !identity)
                        .then(|| namespace.to_string()),
                    not_pods,
                    identity,
                    clients,
                }
            }
        }
    }

    /// Whether the policies of `v`'s endpoints admit the proxies `way` (of
    /// a Gateway, [`Self::gateway_way`]), per Service port and endpoint.
    pub(crate) fn gateway_admits(
        &self,
        v: &crate::model::view::ServiceView<'s>,
        way: &super::service::Way<'s>,
    ) -> super::service::SourceAdmissions {
        let members = self.members(v);
        self.way_admissions(v, &members, way)
    }
}

/// The NetworkPolicy that admits exactly the proxies of the Gateway
/// `gateway_namespace/gateway_name` to the pods of `v`, on their pod ports
/// (each Service port's targetPort, a number or a container port name,
/// which resolves on each pod): the pods its selector selects, from pods
/// labelled with the Gateway's name in the Gateway's namespace. `None` for
/// a Service without selector (no labels to select its pods by).
pub(crate) fn admitting_policy(
    v: &crate::model::view::ServiceView,
    gateway_namespace: &str,
    gateway_name: &str,
    placement: Placement,
) -> Option<k8s_openapi::api::networking::v1::NetworkPolicy> {
    if let Placement::NotPods(_) | Placement::Identity(_) = placement {
        return None;
    }
    use k8s_openapi::api::networking::v1::{
        NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec,
    };
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
    let selector = v.selector?;
    let mut ports: Vec<NetworkPolicyPort> = Vec::new();
    for sp in v.ports() {
        let port = NetworkPolicyPort {
            protocol: Some(crate::model::ports::protocol(sp.protocol.as_ref()).to_string()),
            port: Some(crate::model::ports::target_port(sp)),
            end_port: None,
        };
        if !ports.contains(&port) {
            ports.push(port);
        }
    }
    let by_name = |key: &str, value: &str| LabelSelector {
        match_labels: Some(BTreeMap::from([(key.to_string(), value.to_string())])),
        match_expressions: None,
    };
    let mut peers = match placement {
        // A load balancer outside the cluster: an ipBlock per range.
        Placement::Addresses(ranges) => ranges
            .iter()
            .map(|r| NetworkPolicyPeer {
                ip_block: Some(k8s_openapi::api::networking::v1::IPBlock {
                    cidr: r.to_string(),
                    except: None,
                }),
                namespace_selector: None,
                pod_selector: None,
            })
            .collect(),
        _ => vec![NetworkPolicyPeer {
            namespace_selector: Some(by_name(
                crate::model::namespaces::NAMESPACE_NAME_LABEL,
                gateway_namespace,
            )),
            pod_selector: Some(by_name(GATEWAY_NAME_LABEL, gateway_name)),
            ip_block: None,
        }],
    };
    if placement == Placement::EnvoyGateway {
        // By default in Envoy Gateway's own namespace, whose name the input
        // does not hold: any namespace, by the two owner labels.
        peers.push(NetworkPolicyPeer {
            namespace_selector: Some(LabelSelector::default()),
            pod_selector: Some(LabelSelector {
                match_labels: Some(envoy_gateway_labels(gateway_namespace, gateway_name)),
                match_expressions: None,
            }),
            ip_block: None,
        });
    }
    let mut name = format!("{}-from-gateway-{gateway_name}", v.name);
    if name.len() > 253 {
        name.truncate(253);
    }
    Some(k8s_openapi::api::networking::v1::NetworkPolicy {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: Some(v.namespace.clone()),
            ..Default::default()
        },
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(LabelSelector {
                match_labels: Some(selector.clone()),
                match_expressions: None,
            }),
            policy_types: Some(vec!["Ingress".to_string()]),
            ingress: Some(vec![NetworkPolicyIngressRule {
                from: Some(peers),
                ports: Some(ports),
            }]),
            egress: None,
        }),
    })
}

impl super::index::Policies<'_> {
    /// Whether clients outside the cluster get through the policies of the
    /// Gateway `namespace/name`'s own proxies on listener `port`, when its
    /// proxy Service is not in the input (with it, that Service's view
    /// answers): its proxy pods when read, else pods known by the labels
    /// their implementation gives them in the Gateway's namespace, on each
    /// pod port the listener may arrive on. `None` where no policy can
    /// apply (the proxies are not pods, or no policy is near them).
    /// `controller`: the Gateway's class's controllerName, when read.
    pub(crate) fn gateway_clients(
        &self,
        (namespace, name): (&str, &str),
        controller: Option<&str>,
        placement: Placement,
        (port, protocol): (i32, &str),
    ) -> Option<super::Decision> {
        use super::Admission;
        use super::Decision;
        use super::evaluate::{Destination, Source, Traffic};
        // Its proxies as a source ([`Self::gateway_way`]): where they are,
        // and the pods read or the labels they are known by; none for
        // proxies that are not pods.
        let way = self.gateway_way(namespace, name, placement);
        let at = way.namespace.as_deref()?;
        let found = !way.proxies.is_empty();
        let members: Vec<Member> = if found {
            way.proxies.clone()
        } else {
            vec![Member::Labelled {
                namespace: at,
                labels: way.labels.as_ref()?,
                exact: false,
            }]
        };
        let keeps = keeps_client_address(self.snap, controller, (namespace, name));
        let ask = |m: &Member, ns: &str| -> Vec<Decision> {
            placement
                .pod_ports(port)
                .into_iter()
                .map(|p| {
                    let dst = Destination {
                        namespace: ns,
                        member: Some(*m),
                        addresses: &[],
                        node: None,
                        host_network: m.host_network(),
                        is_pod: true,
                    };
                    let traffic = Traffic {
                        port: p,
                        protocol,
                        name: None,
                    };
                    let source = Source::Outside {
                        snat: !keeps,
                        clients: &[],
                    };
                    self.admits(&source, &dst, &traffic)
                })
                .collect()
        };
        // Envoy Gateway's default: its own namespace, where its
        // owner-labelled pods may not be plainly admitted.
        let elsewhere: Option<(&str, Decision)> = match (&way.elsewhere, found) {
            (Some(labels), false) => {
                let ns = envoy_gateway_namespace(self.snap);
                let m = Member::Labelled {
                    namespace: ns,
                    labels,
                    exact: false,
                };
                (ns != at && !self.quiet(ns))
                    .then(|| ask(&m, ns))
                    .into_iter()
                    .flatten()
                    .find(|d| d.admission != Admission::Admitted || !d.only.is_empty())
                    .map(|d| (ns, d))
            }
            _ => None,
        };
        if self.quiet(at) && self.snap.cluster_policies.is_empty() {
            let (ns, d) = elsewhere?;
            return Some(Decision::depends(
                format!(
                    "Envoy Gateway runs a Gateway's proxies in its own namespace, {ns}, by default: there, {}, {}",
                    d.admission.word(),
                    d.reason
                ),
                d.by,
            ));
        }
        let mut answers: Vec<Decision> = Vec::new();
        for m in &members {
            answers.extend(ask(m, at));
        }
        let first = answers.first()?.clone();
        let alike = answers
            .iter()
            .all(|d| d.admission == first.admission && d.only == first.only);
        let mut by: Vec<_> = answers.iter().flat_map(|d| d.by.clone()).collect();
        super::walk::dedup(&mut by);
        if !alike {
            return Some(Decision::depends(
                "the proxy pods, or the ports their implementation listens on for this listener, are not all \
                 admitted alike",
                by,
            ));
        }
        let open = first.admission == Admission::Admitted && first.only.is_empty();
        if let (Some((ns, d)), true) = (&elsewhere, open) {
            by.extend(d.by.iter().cloned());
            super::walk::dedup(&mut by);
            return Some(Decision::depends(
                format!(
                    "Envoy Gateway runs a Gateway's proxies in its own namespace, {ns}, by default: there, {}, {}; in \
                     the Gateway's namespace (its GatewayNamespace mode), admitted",
                    d.admission.word(),
                    d.reason
                ),
                by,
            ));
        }
        if found || open {
            return Some(first);
        }
        // Not read: where they run is the implementation's to say.
        let why = match placement {
            Placement::GatewayNamespace(_) => return Some(first),
            Placement::EnvoyGateway => {
                "Envoy Gateway runs a Gateway's proxies in its own namespace by default, \
                                        and in the Gateway's namespace in GatewayNamespace mode"
                    .to_string()
            }
            _ => format!(
                "where the proxies run is up to the Gateway's implementation{}",
                controller.map(|c| format!(" ({c})")).unwrap_or_default()
            ),
        };
        Some(Decision::depends(
            format!(
                "{why}; in the Gateway's namespace, {}: {}",
                first.admission.word(),
                first.reason
            ),
            by,
        ))
    }
}

/// Each Gateway's own Service, its proxies' way in, as the input holds
/// them ([`crate::model::entry_point::gateway_of`]), by the Gateway's
/// `(namespace, name)`: the first in the input's order, one the Gateway
/// owns or labels in its namespace before one Envoy Gateway labels
/// elsewhere. One pass over the Services.
pub(crate) fn gateway_services(snap: &Snapshot) -> HashMap<(String, String), usize> {
    let mut own: HashMap<(String, String), usize> = HashMap::new();
    let mut envoy: HashMap<(String, String), usize> = HashMap::new();
    for (i, s) in snap.services.iter().enumerate() {
        let Some(g) = crate::model::entry_point::gateway_of(&s.object) else {
            continue;
        };
        let by = if g.envoy_gateway {
            &mut envoy
        } else {
            &mut own
        };
        by.entry((g.namespace, g.name)).or_insert(i);
    }
    for (k, i) in envoy {
        own.entry(k).or_insert(i);
    }
    own
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pod ports a listener arrives on, per implementation: Contour
    /// adds 8000, wrapping past 65535 and off the privileged ports
    /// (`toContainerPort`); Envoy Gateway adds 10000 below 1024 unless
    /// told not to; kgateway's depends on its release.
    #[test]
    fn listener_ports_arrive_on_the_ports_each_implementation_listens_on() {
        let of = |c: &str| Placement::of(Some(c), "any");
        assert_eq!(of("istio.io/gateway-controller").pod_ports(80), [80]);
        let contour = of(CONTOUR_CONTROLLER);
        assert_eq!(contour.pod_ports(80), [8080]);
        assert_eq!(contour.pod_ports(443), [8443]);
        assert_eq!(contour.pod_ports(60000), [2465]);
        assert_eq!(contour.pod_ports(57600), [1088]);
        let eg = of(ENVOY_GATEWAY_CONTROLLER);
        assert_eq!(eg.pod_ports(80), [10080, 80]);
        assert_eq!(eg.pod_ports(8080), [8080]);
        assert_eq!(of(KGATEWAY_CONTROLLER).pod_ports(443), [443, 8443]);
        assert!(of("io.cilium/gateway-controller").pod_ports(80).is_empty());
        assert_eq!(Placement::of(None, "any"), Placement::Unknown);
        // GKE: Google's front ends for the global external classes, the
        // proxy-only subnet for the others.
        let gke = |class: &str| Placement::of(Some("networking.gke.io/gateway"), class);
        assert_eq!(
            gke("gke-l7-global-external-managed"),
            Placement::Addresses(&["35.191.0.0/16", "130.211.0.0/22"])
        );
        assert!(matches!(gke("gke-l7-rilb"), Placement::NotPods(_)));
        // GKE's own class names say it without the GatewayClass.
        assert_eq!(
            Placement::of(None, "gke-l7-gxlb"),
            Placement::Addresses(&["35.191.0.0/16", "130.211.0.0/22"])
        );
        assert_eq!(of("example.com/gateway"), Placement::Unknown);
    }
}
