//! Entry-point Services: the LoadBalancer or NodePort Service of an Ingress
//! controller, a Gateway implementation's proxy, or a mesh gateway. It is
//! already the shared way in for every route its proxy serves, so the advice
//! to move it behind a Gateway (a proxy behind a proxy) does not apply, and
//! `migrate-to-gateway` leaves it alone.
//!
//! Recognised by what the input shows, first match wins:
//! - its owner: a Gateway (`ownerReferences`), or the label Gateway API
//!   implementations put on what they create for a Gateway,
//!   `gateway.networking.k8s.io/gateway-name` (GEP-1762, "MUST label all
//!   generated resources (Service, Deployment, etc)"; kubernetes-sigs/gateway-api
//!   apis/v1/well_known_labels.go), or Envoy Gateway's
//!   `gateway.envoyproxy.io/owning-gateway-name` (envoyproxy/gateway
//!   internal/gatewayapi/translator.go);
//! - Cilium's label on its Ingress Services, `cilium.io/ingress: "true"`
//!   ([`super::cilium::INGRESS_SERVICE_LABEL`]);
//! - the Ingress controller whose own Service it is (an Ingress's status
//!   address is this Service's, [`super::routes`]);
//! - the pods it selects: the labels of Istio's and Linkerd's gateways
//!   (`istio: ingressgateway`, `app: linkerd-gateway`, as their installs
//!   write them), or the image of a proxy or controller (ingress-nginx's
//!   controller, Traefik, Envoy, Kong, HAProxy's ingress controllers,
//!   NGINX's), as the projects' own install manifests name them
//!   (tests/corpus/official).

use super::endpoints::Backends;
use super::{Located, Snapshot};
use crate::model::slim::SlimObject;
use k8s_openapi::api::core::v1::Service;
use kube::ResourceExt;

/// What a Service is the way in of, and what shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub(crate) struct EntryPoint {
    /// `ingress-nginx`, `Gateway infra/public`, `Istio's ingress gateway`.
    pub(crate) what: String,
    /// `image registry.k8s.io/ingress-nginx/controller:v1.15.1 of
    /// Deployment/ingress-nginx-controller`.
    pub(crate) by: String,
}

/// Image repositories (the path after the registry, without tag or digest)
/// of proxies and Ingress controllers, and what they are.
const IMAGES: &[(&str, &str)] = &[
    ("ingress-nginx/controller", "ingress-nginx"),
    ("nginx/nginx-ingress", "NGINX Ingress Controller"),
    ("nginx/nginx-plus-ingress", "NGINX Ingress Controller"),
    ("traefik", "Traefik"),
    ("envoyproxy/envoy", "an Envoy proxy"),
    ("kong", "Kong"),
    ("kong/kong-gateway", "Kong"),
    (
        "haproxytech/kubernetes-ingress",
        "HAProxy Kubernetes Ingress Controller",
    ),
    ("jcmoraisjr/haproxy-ingress", "HAProxy Ingress"),
    ("haproxy-ingress/haproxy-ingress", "HAProxy Ingress"),
];

/// Pod labels of gateways and Ingress controllers, as their own install
/// manifests set them (and their Services select them), and what they are.
const POD_LABELS: &[(&str, &str, &str)] = &[
    ("istio", "ingressgateway", "Istio's ingress gateway"),
    ("istio", "eastwestgateway", "Istio's east-west gateway"),
    ("istio", "egressgateway", "Istio's egress gateway"),
    ("app", "linkerd-gateway", "Linkerd's multicluster gateway"),
    ("app.kubernetes.io/name", "ingress-nginx", "ingress-nginx"),
    ("app", "envoy", "Contour's Envoy"),
    ("app.kubernetes.io/name", "traefik", "Traefik"),
];

/// The pod label of Istio's gateways: `istio: ingressgateway` and the like
/// from its legacy charts, and from its `istio/gateway` chart the release
/// name without `istio-` (`istio-ingress` gives `istio: ingress`;
/// istio/istio 86c9f01 manifests/charts/gateway/templates/_helpers.tpl),
/// which that chart's Service selects; its pods run the container
/// `istio-proxy` with `image: auto`, which Istio's injection replaces
/// (templates/deployment.yaml).
const ISTIO_GATEWAY_LABEL: &str = "istio";

/// The Gateway API label on what an implementation creates for a Gateway.
pub(crate) const GATEWAY_NAME_LABEL: &str = "gateway.networking.k8s.io/gateway-name";
/// Envoy Gateway's label on a Gateway's proxy resources: the Gateway's name.
pub(crate) const ENVOY_GATEWAY_OWNER: &str = "gateway.envoyproxy.io/owning-gateway-name";
/// Envoy Gateway's label on a Gateway's proxy resources: the Gateway's
/// namespace (they run in Envoy Gateway's own namespace by default,
/// envoyproxy/gateway d32f282 internal/gatewayapi/helpers.go).
pub(crate) const ENVOY_GATEWAY_OWNER_NAMESPACE: &str =
    "gateway.envoyproxy.io/owning-gateway-namespace";

/// The Gateway a Service is the way in of, as the Service shows it.
pub(crate) struct OwningGateway {
    pub(crate) namespace: String,
    pub(crate) name: String,
    /// What shows it: `its ownerReferences name the Gateway`, `label K=V`.
    pub(crate) by: String,
    /// Shown by Envoy Gateway's own labels, in whichever namespace the
    /// Service is.
    pub(crate) envoy_gateway: bool,
}

/// Whether a Service is a Gateway's own, and whose: its ownerReferences,
/// else the GEP-1762 label (the Gateway of its namespace), else Envoy
/// Gateway's owner labels (the Gateway they name, whose namespace is the
/// label's: Envoy Gateway runs proxies in its own namespace by default).
pub(crate) fn gateway_of(o: &Service) -> Option<OwningGateway> {
    let ns = o.namespace().unwrap_or_default();
    if let Some(owner) = o
        .owner_references()
        .iter()
        .find(|r| r.kind == "Gateway" && r.api_version.starts_with("gateway.networking.k8s.io/"))
    {
        return Some(OwningGateway {
            namespace: ns,
            name: owner.name.clone(),
            by: "its ownerReferences name the Gateway".into(),
            envoy_gateway: false,
        });
    }
    if let Some(gw) = o.labels().get(GATEWAY_NAME_LABEL) {
        return Some(OwningGateway {
            namespace: ns,
            name: gw.clone(),
            by: format!("label {GATEWAY_NAME_LABEL}={gw}"),
            envoy_gateway: false,
        });
    }
    let gw = o.labels().get(ENVOY_GATEWAY_OWNER)?;
    Some(OwningGateway {
        namespace: o
            .labels()
            .get(ENVOY_GATEWAY_OWNER_NAMESPACE)
            .cloned()
            .unwrap_or(ns),
        name: gw.clone(),
        by: format!("label {ENVOY_GATEWAY_OWNER}={gw}"),
        envoy_gateway: true,
    })
}

/// The repository of an image reference: `registry.k8s.io/ingress-nginx/controller:v1@sha256:…`
/// → `ingress-nginx/controller`; `docker.io/library/traefik:v3` → `traefik`.
fn repository(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last_slash = no_digest.rfind('/').map_or(0, |i| i + 1);
    let no_tag = match no_digest[last_slash..].find(':') {
        Some(i) => &no_digest[..last_slash + i],
        None => no_digest,
    };
    // A first component with a dot, a colon or `localhost` is a registry.
    let path = match no_tag.split_once('/') {
        Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => rest,
        _ => no_tag,
    };
    path.strip_prefix("library/").unwrap_or(path)
}

/// Whether `image` is of repository `known` (or a mirror of it).
pub(crate) fn image_is(image: &str, known: &str) -> bool {
    is_repository(repository(image), known)
}

/// Whether repository `repo` is `known`, or `known` under another
/// organisation's path (`myorg/traefik` mirrors `traefik`).
fn is_repository(repo: &str, known: &str) -> bool {
    repo.strip_suffix(known)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with('/'))
}

/// The pod or workload whose labels or image showed what a Service is.
enum Whose<'a> {
    Pod(&'a str),
    Workload(&'a str),
}

impl std::fmt::Display for Whose<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Whose::Pod(p) => write!(f, "pod {p}"),
            Whose::Workload(w) => f.write_str(w),
        }
    }
}

/// Whether a Service is an entry point, and of what. `controller_of` names
/// the Ingress class whose controller's own Service it is, if any.
pub(crate) fn recognise(
    snap: &Snapshot,
    svc: &Located<Service>,
    backends: &Backends,
    controller_of: Option<String>,
) -> Option<EntryPoint> {
    let o = &svc.object;
    let ns = o.namespace().unwrap_or_default();
    if let Some(g) = gateway_of(o) {
        return Some(EntryPoint {
            what: format!("Gateway {}/{}", g.namespace, g.name),
            by: g.by,
        });
    }
    if super::cilium::is_ingress_service(o) {
        return Some(EntryPoint {
            what: "Cilium's Ingress".into(),
            by: format!(
                "label {}=true: Cilium's datapath hands its traffic to the Envoy on each node, and its endpoints \
                 are a placeholder that receives none",
                super::cilium::INGRESS_SERVICE_LABEL
            ),
        });
    }
    if let Some(class) = controller_of {
        return Some(EntryPoint {
            what: format!("the Ingress controller of class {class}"),
            by: "the Ingresses of that class report its address".into(),
        });
    }
    // The selector names the labels of the pods, even where they are not
    // in the input.
    let selector = o.spec.as_ref().and_then(|s| s.selector.as_ref());
    for (k, v, what) in POD_LABELS {
        if selector.and_then(|s| s.get(*k)).is_some_and(|l| l == v) {
            return Some(EntryPoint {
                what: what.to_string(),
                by: format!("its selector {k}={v}"),
            });
        }
    }
    if let Some(v) = selector.and_then(|s| s.get(ISTIO_GATEWAY_LABEL)) {
        return Some(EntryPoint {
            what: "an Istio gateway".into(),
            by: format!("its selector {ISTIO_GATEWAY_LABEL}={v}"),
        });
    }
    // Every pod of the Service is looked at, so nothing here allocates
    // until one matches: thousands of Services with ten pods each are
    // recognised in every explain.
    for (labels, containers, whose) in backend_pods(snap, &ns, backends) {
        for (k, v, what) in POD_LABELS {
            if labels.get(*k).is_some_and(|l| l == v) {
                return Some(EntryPoint {
                    what: what.to_string(),
                    by: format!("label {k}={v} of {whose}"),
                });
            }
        }
        for c in containers {
            if c.name == "istio-proxy" && c.image == "auto" {
                return Some(EntryPoint {
                    what: "an Istio gateway".into(),
                    by: format!(
                        "container istio-proxy with image `auto` (Istio injects its gateway) of {whose}"
                    ),
                });
            }
            let repo = repository(&c.image);
            if let Some((_, what)) = IMAGES.iter().find(|(r, _)| is_repository(repo, r)) {
                return Some(EntryPoint {
                    what: what.to_string(),
                    by: format!("image {} of {whose}", c.image),
                });
            }
        }
    }
    None
}

/// The labels, containers and name of each pod (or workload template) that
/// backs a Service in namespace `ns`, as the input holds them.
fn backend_pods<'s>(
    snap: &'s Snapshot,
    ns: &'s str,
    backends: &'s Backends,
) -> impl Iterator<
    Item = (
        &'s std::collections::BTreeMap<String, String>,
        &'s [crate::model::slim::SlimContainer],
        Whose<'s>,
    ),
> {
    backends
        .items
        .iter()
        .filter_map(move |b| match (&b.pod, &b.workload) {
            (Some(p), _) => snap
                .pod(ns, p)
                .map(|pod| (pod.object.labels(), pod.object.containers(), Whose::Pod(p))),
            (None, Some(w)) => snap
                .workloads_in(ns)
                .find(|x| w.split_once('/') == Some((x.kind.as_str(), x.name.as_str())))
                .map(|x| (&x.labels, x.containers.as_slice(), Whose::Workload(w))),
            (None, None) => None,
        })
}

/// Image repositories of control planes: their Services serve the
/// implementation's own proxies, webhooks and metrics, not clients, and
/// are no candidates for exposure (the image names as the projects'
/// installs write them: envoyproxy/gateway d32f282 charts/gateway-helm;
/// nginx/nginx-gateway-fabric e55bfe3 deploy/default/deploy.yaml; istio/istio
/// 86c9f01 manifests/charts/istio-control/istio-discovery).
const CONTROL_PLANES: &[(&str, &str)] = &[
    ("envoyproxy/gateway", "Envoy Gateway's controller"),
    ("envoyproxy/gateway-dev", "Envoy Gateway's controller"),
    (
        "nginx/nginx-gateway-fabric",
        "NGINX Gateway Fabric's control plane",
    ),
    ("istio/pilot", "istiod, Istio's control plane"),
];

/// Whether a Service serves a Gateway implementation's or mesh's control
/// plane, and whose, by the images of its pods.
pub(crate) fn control_plane(
    snap: &Snapshot,
    svc: &Located<Service>,
    backends: &Backends,
) -> Option<&'static str> {
    let ns = svc.object.namespace().unwrap_or_default();
    backend_pods(snap, &ns, backends).find_map(|(_, containers, _)| {
        containers.iter().find_map(|c| {
            let repo = repository(&c.image);
            CONTROL_PLANES
                .iter()
                .find(|(r, _)| is_repository(repo, r))
                .map(|(_, what)| *what)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::{is_repository, repository};

    /// A known repository matches itself, or itself under another path
    /// (a mirror), never a longer name that ends the same way.
    #[test]
    fn repositories_match_whole_path_components() {
        assert!(is_repository("traefik", "traefik"));
        assert!(is_repository("mirror/library/traefik", "traefik"));
        assert!(is_repository(
            "myorg/ingress-nginx/controller",
            "ingress-nginx/controller"
        ));
        assert!(!is_repository("notraefik", "traefik"));
        assert!(!is_repository("kong/kong-gateway", "kong"));
        assert!(!is_repository("traefik/whoami", "traefik"));
    }

    #[test]
    fn repositories_leave_out_registry_tag_and_digest() {
        assert_eq!(
            repository("registry.k8s.io/ingress-nginx/controller:v1.15.1@sha256:59"),
            "ingress-nginx/controller"
        );
        assert_eq!(repository("docker.io/library/traefik:v3.4"), "traefik");
        assert_eq!(repository("traefik:v3.7"), "traefik");
        assert_eq!(repository("kong:3.9"), "kong");
        assert_eq!(
            repository("localhost:5000/envoyproxy/envoy"),
            "envoyproxy/envoy"
        );
        assert_eq!(
            repository("haproxytech/kubernetes-ingress"),
            "haproxytech/kubernetes-ingress"
        );
        assert_eq!(repository("example.com/team/web:1"), "team/web");
    }
}
