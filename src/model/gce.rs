//! How the GKE Ingress controller (ingress-gce) reaches a backend Service:
//! through its node ports (the nodes' instance groups; kube-proxy forwards
//! from there), or straight to the pods with container-native load
//! balancing, which the Service asks for with `cloud.google.com/neg:
//! '{"ingress": true}'` and which is the default "for GKE clusters running
//! version 1.17 or later and under certain conditions"
//! (cloud.google.com/kubernetes-engine/docs/how-to/container-native-load-balancing;
//! "Without container-native load balancing, load balancer traffic travels to
//! the node instance groups and gets routed via iptables rules to Pods").
//! Without the annotation, which one applies is the cluster's: it depends.

use super::load_balancer::{Delivery, Shown};
use super::view::{Semantics, ServiceView};
use k8s_openapi::api::core::v1::Service;

/// The annotation that turns container-native load balancing on or off.
pub const NEG_ANNOTATION: &str = "cloud.google.com/neg";

/// How ingress-gce reaches this Service: [`Delivery::Pods`] with NEGs,
/// [`Delivery::NodePorts`] without, [`Delivery::Depends`] when the Service
/// does not say.
pub fn ingress_delivery(svc: &Service) -> Shown<Delivery> {
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

impl Semantics<'_> {
    /// The GKE Ingresses (`namespace/name`) that route to a Service, and
    /// how they reach it; `None` when no GKE Ingress does.
    pub fn gce_ingresses(&self, v: &ServiceView) -> Option<(Vec<String>, Shown<Delivery>)> {
        let routing = self.ingress_routing();
        let mut names: Vec<String> = v
            .routes
            .iter()
            .filter(|r| r.ingress.is_some())
            .filter(|r| {
                routing
                    .front_of(r.index)
                    .is_some_and(|f| f.implementation == super::routing::Implementation::Gce)
            })
            .map(|r| format!("{}/{}", r.namespace, r.name))
            .collect();
        names.dedup();
        (!names.is_empty()).then(|| (names, ingress_delivery(&v.located.object)))
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
