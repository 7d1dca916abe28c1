//! Step 5, carry over or report settings: what of the rewritten Services'
//! load balancer settings one Gateway can carry (a static address, the
//! internal load balancer annotations), and every setting it cannot, each
//! said with what to do instead.

use super::target::Writes;
use super::{Note, NoteCode};
use crate::model::load_balancer::Implementation;
use crate::model::view::ServiceView;
use std::collections::{BTreeMap, BTreeSet};

/// Load balancer settings of the rewritten Services that the Gateway
/// carries: a static address (`spec.addresses`) and the internal load
/// balancer annotations (`spec.infrastructure.annotations`).
#[derive(Default)]
pub(super) struct Carried {
    pub(crate) address: Option<String>,
    pub(crate) annotations: BTreeMap<String, String>,
}

/// What of the rewritten LoadBalancer Services' settings one Gateway can
/// carry: a loadBalancerIP when they ask for one address only; internal load
/// balancer annotations when every one asks for the same (standard
/// `spec.infrastructure` from Gateway API v1.2). What it carries replaces the
/// per-Service notes; what it cannot is said.
pub(super) fn carry(
    rewritten: &[&ServiceView],
    target: &Writes,
    gateway: &str,
    notes: &mut Vec<Note>,
) -> Carried {
    let mut carried = Carried::default();
    let lbs: Vec<&&ServiceView> = rewritten
        .iter()
        .filter(|v| v.load_balancer.is_some())
        .collect();
    let ips: BTreeSet<&String> = lbs
        .iter()
        .filter_map(|v| v.load_balancer.as_ref()?.requested_ip.as_ref())
        .collect();
    if let [ip] = ips.into_iter().collect::<Vec<_>>().as_slice() {
        carried.address = Some((*ip).clone());
        notes.retain(|n| n.code != NoteCode::LoadBalancerIp);
        notes.push(Note {
            code: NoteCode::CarriedToGateway,
            object: gateway.to_string(),
            port: None,
            message: format!("loadBalancerIP {ip} goes to the Gateway's spec.addresses"),
            instead: "check that your implementation honours static addresses (support is implementation-specific)"
                .into(),
        });
    }
    // Whether a load balancer is internal, and the annotation that says so,
    // are the model's facts (`load_balancer::Implementation`); that
    // annotation is what the Gateway can carry.
    let internal: Vec<Option<&Implementation>> = lbs
        .iter()
        .map(|v| {
            v.load_balancer
                .as_ref()
                .map(|lb| &lb.implementation)
                .filter(|imp| imp.internal.is_some())
        })
        .collect();
    let supported = match target {
        Writes::Release(t) => t.minor >= 2,
        Writes::Served(_) => true,
    };
    let names = |want: bool| {
        lbs.iter()
            .zip(&internal)
            .filter(|(_, i)| i.is_some() == want)
            .map(|(v, _)| v.full_name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let annotations: BTreeSet<Option<&(String, String)>> = internal
        .iter()
        .map(|i| i.and_then(|imp| imp.internal_annotation.as_ref()))
        .collect();
    let message = if internal.iter().all(Option::is_none) {
        return carried;
    } else if internal.iter().any(Option::is_none) {
        format!(
            "{} asked for an internal load balancer and {} for a public one: one Gateway cannot be both, so \
             no internal annotation is carried over",
            names(true),
            names(false)
        )
    } else if !supported {
        "internal load balancer annotations cannot be carried over: spec.infrastructure is standard from \
         Gateway API v1.2"
            .to_string()
    } else if let [Some((key, value))] = annotations.iter().collect::<Vec<_>>().as_slice() {
        carried.annotations = BTreeMap::from([(key.clone(), value.clone())]);
        notes.push(Note {
            code: NoteCode::CarriedToGateway,
            object: gateway.to_string(),
            port: None,
            message: format!(
                "internal load balancer annotation {key} goes to the Gateway's spec.infrastructure.annotations"
            ),
            instead: "check that your implementation propagates infrastructure annotations to its load balancer \
                      (GatewayInfrastructurePropagation)"
                .into(),
        });
        return carried;
    } else {
        format!(
            "{} are internal, but not by one annotation (or by a class or a controller's default): no internal \
             annotation is carried over",
            names(true)
        )
    };
    notes.push(Note {
        code: NoteCode::MixedLoadBalancers,
        object: gateway.to_string(),
        port: None,
        message,
        instead: "migrate internal and public Services in separate runs, each to a Gateway of its own \
                  (--gateway-name), and make each Gateway's load balancer internal or public with its implementation's \
                  settings"
            .into(),
    });
    carried
}

/// Annotation prefixes that configure a cloud or bare-metal load balancer.
const LB_ANNOTATION_PREFIXES: &[&str] = &[
    "service.beta.kubernetes.io/",
    "service.alpha.kubernetes.io/",
    "cloud.google.com/load-balancer",
    "networking.gke.io/load-balancer",
    "networking.gke.io/internal-load-balancer",
    "service.kubernetes.io/ibm-load-balancer-cloud-provider-",
    "metallb.universe.tf/",
    "metallb.io/",
    "load-balancer.hetzner.cloud/",
    "kube-vip.io/",
    "lbipam.cilium.io/",
];

/// Whether an annotation configures a load balancer of the Service. The
/// GKE app-protocols annotation is not one: it sets the protocol an
/// Ingress's load balancer speaks to the Service (the Ingress part of a
/// migration names it).
pub(crate) fn is_lb_annotation(key: &str) -> bool {
    LB_ANNOTATION_PREFIXES.iter().any(|p| key.starts_with(p)) && !key.ends_with("/app-protocols")
}

/// Every setting of a Service that the Gateway cannot carry over.
pub(super) fn untranslatable(view: &ServiceView) -> Vec<Note> {
    let object = format!("Service {}", view.full_name());
    let mut notes = Vec::new();
    let mut note = |code, message: String, instead: &str| {
        notes.push(Note {
            code,
            object: object.clone(),
            port: None,
            message,
            instead: instead.to_string(),
        })
    };
    if let Some(lb) = &view.load_balancer {
        if !lb.source_ranges.is_empty() {
            note(
                NoteCode::LoadBalancerSourceRanges,
                format!(
                    "loadBalancerSourceRanges {} limited who could connect; Gateway API has no such field, so the \
                     Gateway admits every client",
                    lb.source_ranges.join(", ")
                ),
                "restrict clients with your Gateway implementation's policy (e.g. Envoy Gateway SecurityPolicy \
                 clientCIDRs) or its own Service's loadBalancerSourceRanges, before applying",
            );
        }
        if let Some(ip) = &lb.requested_ip {
            note(
                NoteCode::LoadBalancerIp,
                format!(
                    "loadBalancerIP {ip} asked for a fixed address, which the rewritten Service drops"
                ),
                "ask for it on the Gateway with spec.addresses [{type: IPAddress, value: ...}] if your implementation \
                 supports static addresses, and point DNS at the Gateway's address",
            );
        }
        if let Some(class) = &lb.class {
            note(
                NoteCode::LoadBalancerClass,
                format!(
                    "loadBalancerClass {class} chose the load balancer implementation; Gateway API has no such field"
                ),
                "the Gateway's own Service is made by its implementation: set the class through its configuration \
                 (the GatewayClass parametersRef)",
            );
        }
    }
    if view.external_local {
        note(
            NoteCode::ExternalTrafficPolicyLocal,
            "externalTrafficPolicy: Local kept the client's IP address; behind the Gateway, connections come from \
             the Gateway's proxies"
                .into(),
            "read the client address from X-Forwarded-For on HTTP routes, and set externalTrafficPolicy: Local \
             on the Gateway's own Service through your implementation's configuration",
        );
    }
    if let Some(timeout) = view.affinity_timeout {
        note(
            NoteCode::SessionAffinityClientIp,
            format!(
                "sessionAffinity: ClientIP ({timeout}s) is kept for clients inside the cluster, but through the Gateway \
                 the client is its proxy, and Gateway API has no client-IP persistence"
            ),
            "use cookie or header sessionPersistence (experimental channel) where your implementation supports it",
        );
    }
    let annotations: Vec<&String> = view
        .located
        .object
        .metadata
        .annotations
        .iter()
        .flatten()
        .map(|(k, _)| k)
        .filter(|k| is_lb_annotation(k))
        .collect();
    if !annotations.is_empty() {
        note(
            NoteCode::CloudLoadBalancerAnnotations,
            format!(
                "load balancer annotations {} configured the load balancer; they are dropped from the rewritten \
                 Service",
                annotations
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "copy those that must survive to the Gateway's spec.infrastructure.annotations if your implementation \
             propagates them to its load balancer",
        );
    }
    if !view.external_ips.is_empty() {
        note(
            NoteCode::ExternalIps,
            format!(
                "externalIPs {} (deprecated since Kubernetes 1.36) stop answering",
                view.external_ips.join(", ")
            ),
            "point the clients of those addresses at the Gateway's address",
        );
    }
    if let Some(np) = &view.node_ports {
        let numbers = np.numbers();
        if !numbers.is_empty() {
            note(
                NoteCode::FixedNodePorts,
                format!(
                    "node ports {} stop answering on every node",
                    numbers
                        .iter()
                        .map(i32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "point the clients of NODE:PORT at the Gateway's address and listener port",
            );
        }
    }
    notes
}
