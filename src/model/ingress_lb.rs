//! Ingress controllers whose cloud load balancer reaches a backend Service
//! through its node ports unless the manifest asks for pod IPs: there, the
//! node ports are the Ingress's way to the Service, and type ClusterIP is no
//! advice.
//!
//! - **GKE Ingress** (ingress-gce): through the node ports (the nodes'
//!   instance groups; kube-proxy forwards from there), or straight to the
//!   pods with container-native load balancing, which the Service asks for
//!   with `cloud.google.com/neg: '{"ingress": true}'` and which is the
//!   default "for GKE clusters running version 1.17 or later and under
//!   certain conditions"
//!   (cloud.google.com/kubernetes-engine/docs/how-to/container-native-load-balancing;
//!   "Without container-native load balancing, load balancer traffic travels
//!   to the node instance groups and gets routed via iptables rules to
//!   Pods"). Without the annotation, which one applies is the cluster's: it
//!   depends.
//! - **AWS Load Balancer Controller** (an Ingress of class `alb`, or whose
//!   IngressClass names controller `ingress.k8s.aws/alb`): target type
//!   `instance`, the default, routes "to all ec2 instances within cluster on
//!   NodePort opened for your service" ("service must be of type NodePort or
//!   LoadBalancer to use instance mode"); `ip` routes "directly to the pod
//!   IP". The annotation `alb.ingress.kubernetes.io/target-type` goes on the
//!   Ingress or the Service, and "Annotations applied to Service have higher
//!   priority over annotations applied to Ingress"
//!   (kubernetes-sigs/aws-load-balancer-controller 48b4a7d,
//!   docs/guide/ingress/annotations.md).

use super::load_balancer::{Delivery, Shown};
use super::view::{Semantics, ServiceView};
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::networking::v1::Ingress;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// The annotation that turns GKE's container-native load balancing on or off.
pub(crate) const NEG_ANNOTATION: &str = "cloud.google.com/neg";

/// How ingress-gce reaches this Service: [`Delivery::Pods`] with NEGs,
/// [`Delivery::NodePorts`] without, [`Delivery::Depends`] when the Service
/// does not say.
pub(crate) fn ingress_delivery(svc: &Service) -> Shown<Delivery> {
    let value = svc
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(NEG_ANNOTATION));
    let ingress = value
        .and_then(|v| serde_json::from_str::<serde_json::Value>(v).ok())
        .and_then(|v| v.get("ingress").and_then(serde_json::Value::as_bool));
    let by = value.map(|v| format!("annotation {NEG_ANNOTATION}: {v}"));
    match ingress {
        Some(true) => Shown {
            value: Delivery::Pods,
            by,
        },
        Some(false) => Shown {
            value: Delivery::NodePorts,
            by,
        },
        None => Shown {
            value: Delivery::Depends,
            by: None,
        },
    }
}

/// The annotation that chooses the ALB's target type.
pub(crate) const ALB_TARGET_TYPE: &str = "alb.ingress.kubernetes.io/target-type";
/// The AWS Load Balancer Controller's IngressClass controller and its
/// default class name.
const ALB_CONTROLLER: &str = "ingress.k8s.aws/alb";
const ALB_CLASS: &str = "alb";
/// The prefix of the AWS Load Balancer Controller's Ingress annotations.
pub(crate) const ALB_PREFIX: &str = "alb.ingress.kubernetes.io/";
/// The backend port name that makes a path's action the annotation
/// `actions.SERVICE-NAME` (pkg/ingress/enhanced_backend_builder.go): the
/// "Service" is then an action's name, not a Service.
pub(crate) const ALB_USE_ANNOTATION: &str = "use-annotation";

/// Whether the AWS Load Balancer Controller serves an Ingress: its
/// IngressClass names the controller, or, that class not read, the class is
/// the controller's default one.
pub(crate) fn is_alb(controller: Option<&str>, class: Option<&str>) -> bool {
    controller == Some(ALB_CONTROLLER) || controller.is_none() && class == Some(ALB_CLASS)
}

/// How the ALB of an Ingress reaches this Service: the Service's target
/// type, else the Ingress's, else `instance`, the controller's default.
pub(crate) fn alb_delivery(svc: &Service, ingress: &Ingress) -> Shown<Delivery> {
    let of = |m: &ObjectMeta, whose: &str| {
        m.annotations
            .as_ref()
            .and_then(|a| a.get(ALB_TARGET_TYPE))
            .map(|v| {
                (
                    v.trim().to_string(),
                    format!("{whose} annotation {ALB_TARGET_TYPE}: {}", v.trim()),
                )
            })
    };
    match of(&svc.metadata, "Service").or_else(|| of(&ingress.metadata, "Ingress")) {
        Some((t, by)) if t == "ip" => Shown {
            value: Delivery::Pods,
            by: Some(by),
        },
        Some((_, by)) => Shown {
            value: Delivery::NodePorts,
            by: Some(by),
        },
        None => Shown {
            value: Delivery::NodePorts,
            by: Some("the controller's default target type, instance".into()),
        },
    }
}

/// A cloud Ingress controller of those above.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IngressLoadBalancer {
    Gke,
    AwsAlb,
}

impl IngressLoadBalancer {
    /// `GKE Ingress`, `ALB Ingress`.
    pub(crate) fn ingress(self) -> &'static str {
        match self {
            IngressLoadBalancer::Gke => "GKE Ingress",
            IngressLoadBalancer::AwsAlb => "ALB Ingress",
        }
    }

    /// Its load balancer, in sentences.
    pub(crate) fn load_balancer(self) -> &'static str {
        match self {
            IngressLoadBalancer::Gke => "the GKE load balancer",
            IngressLoadBalancer::AwsAlb => "the AWS Application Load Balancer",
        }
    }

    /// What sends it straight to the pods instead.
    pub(crate) fn to_pods(self) -> &'static str {
        match self {
            IngressLoadBalancer::Gke => {
                "cloud.google.com/neg: '{\"ingress\": true}' on the Service"
            }
            IngressLoadBalancer::AwsAlb => {
                "alb.ingress.kubernetes.io/target-type: ip on the Service or its Ingress"
            }
        }
    }
}

/// The Ingresses of one cloud controller that route to a Service, and how
/// its load balancer reaches it.
#[derive(Clone, Debug)]
pub(crate) struct LoadBalancedIngresses {
    pub(crate) by: IngressLoadBalancer,
    /// `namespace/name` of those Ingresses (of those that need the node
    /// ports, when some do).
    pub(crate) names: Vec<String>,
    pub(crate) delivery: Shown<Delivery>,
}

impl LoadBalancedIngresses {
    /// Whether the load balancer needs, or may need, the node ports.
    pub(crate) fn needs_node_ports(&self) -> bool {
        self.delivery.value != Delivery::Pods
    }
}

impl Semantics<'_> {
    /// The Ingresses of a cloud controller above that route to a Service,
    /// and how its load balancer reaches it; `None` when none does. Where
    /// some of an ALB's Ingresses need the node ports and others do not,
    /// the answer names those that do.
    pub(crate) fn load_balanced_ingresses(&self, v: &ServiceView) -> Option<LoadBalancedIngresses> {
        let routing = self.ingress_routing();
        let label = |r: &super::routes::ServiceRoute| format!("{}/{}", r.namespace, r.name);
        let mut gke: Vec<String> = Vec::new();
        let mut alb: Vec<(String, Shown<Delivery>)> = Vec::new();
        for r in v.routes.iter() {
            if r.ingress.is_none() {
                continue;
            }
            if routing
                .front_of(r.index)
                .is_some_and(|f| f.implementation == super::routing::Implementation::Gce)
            {
                gke.push(label(r));
            } else if routing
                .front_of(r.index)
                .is_some_and(|f| f.implementation == super::routing::Implementation::Alb)
            {
                let ingress = &self.snap.ingresses[self.routes.ingresses[r.index].index].object;
                alb.push((label(r), alb_delivery(&v.located.object, ingress)));
            }
        }
        gke.dedup();
        alb.dedup_by(|a, b| a.0 == b.0);
        if !gke.is_empty() {
            return Some(LoadBalancedIngresses {
                by: IngressLoadBalancer::Gke,
                names: gke,
                delivery: ingress_delivery(&v.located.object),
            });
        }
        let first = alb.first()?.1.clone();
        let needing: Vec<&(String, Shown<Delivery>)> = alb
            .iter()
            .filter(|(_, d)| d.value != Delivery::Pods)
            .collect();
        Some(match needing.first() {
            Some((_, d)) => LoadBalancedIngresses {
                by: IngressLoadBalancer::AwsAlb,
                names: needing.iter().map(|(n, _)| n.clone()).collect(),
                delivery: d.clone(),
            },
            None => LoadBalancedIngresses {
                by: IngressLoadBalancer::AwsAlb,
                names: alb.into_iter().map(|(n, _)| n).collect(),
                delivery: first,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn svc(annotations: serde_json::Value) -> Service {
        serde_json::from_value(json!({"metadata": {"name": "s", "annotations": annotations}}))
            .unwrap()
    }

    #[test]
    fn the_alb_target_type_of_the_service_wins_over_the_ingress() {
        let ingress = |annotations: serde_json::Value| -> Ingress {
            serde_json::from_value(json!({"metadata": {"name": "i", "annotations": annotations}}))
                .unwrap()
        };
        let ip = ingress(json!({ALB_TARGET_TYPE: "ip"}));
        assert_eq!(alb_delivery(&svc(json!({})), &ip).value, Delivery::Pods);
        assert_eq!(
            alb_delivery(&svc(json!({ALB_TARGET_TYPE: "instance"})), &ip).value,
            Delivery::NodePorts,
            "the Service's annotation has priority"
        );
        assert_eq!(
            alb_delivery(&svc(json!({})), &ingress(json!({}))).value,
            Delivery::NodePorts,
            "instance by default"
        );
    }

    #[test]
    fn the_neg_annotation_says_how_ingress_gce_reaches_the_service() {
        assert_eq!(
            ingress_delivery(&svc(json!({NEG_ANNOTATION: "{\"ingress\": true}"}))).value,
            Delivery::Pods
        );
        assert_eq!(
            ingress_delivery(&svc(json!({NEG_ANNOTATION: "{\"ingress\": false}"}))).value,
            Delivery::NodePorts
        );
        assert_eq!(ingress_delivery(&svc(json!({}))).value, Delivery::Depends);
        // NEGs for other ports only: not for the Ingress.
        assert_eq!(
            ingress_delivery(&svc(
                json!({NEG_ANNOTATION: "{\"exposed_ports\": {\"80\": {}}}"})
            ))
            .value,
            Delivery::Depends
        );
    }
}
